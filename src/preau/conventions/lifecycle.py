"""What time does to conventions: expiry, termination taking effect, coverage, data deletion.

`apply_conventions(today)` is run daily by `preau apply_conventions`. Each step looks for the
rows whose state is behind the calendar and moves them on, so a second run the same day
changes nothing and a run after a pause catches up. Reminders are sent once each (`Reminder`).

Coverage (see DECISIONS.md): a school is covered from the signature of a convention enrolling
it to the convention's end (its end date, or the effective date of its termination). When no
convention covers it any more, its accounts keep a read-only access for three months
(`School.is_active` is off: `middleware.AccessPeriodMiddleware` refuses changes), then the
school's data is deleted (`purge_school_data`).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import CharField, F, Max, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from preau.core import audit, events, notices, school_data
from preau.directory.models import Enrolment, Group, GuardianLink, Person, PupilRecord, Role, School, SchoolClass

from . import dates, queries
from .models import Convention, ConventionSchool, Coverage, Termination


@dataclass
class Report:
    expired: int = 0
    terminated: int = 0
    coverage_ended: int = 0
    purged: int = 0
    reminders: int = 0
    details: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "expired": self.expired,
            "terminated": self.terminated,
            "coverage_ended": self.coverage_ended,
            "purged": self.purged,
            "reminders": self.reminders,
        }


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def cover_schools(convention: Convention, *, today: datetime.date) -> None:
    """A convention is signed: its schools are covered and their accounts active again.

    Called inside the signing action's transaction. A school in its access period gets its
    full access back; one whose data was deleted starts again from the directory's next import.
    """
    school_ids = list(convention.enrolled.values_list("school_id", flat=True))
    if convention.end_date < today:
        return
    School.objects.filter(id__in=school_ids, is_active=False).update(is_active=True)
    existing = set(Coverage.objects.filter(school_id__in=school_ids).values_list("school_id", flat=True))
    Coverage.objects.filter(school_id__in=existing).update(
        state=Coverage.State.COVERED, convention=convention, ended_on=None, delete_on=None, updated_at=timezone.now()
    )
    Coverage.objects.bulk_create(
        Coverage(school_id=school_id, state=Coverage.State.COVERED, convention=convention)
        for school_id in school_ids
        if school_id not in existing
    )


def _covered_school_ids(today: datetime.date) -> set[int]:
    return set(
        ConventionSchool.objects.filter(
            convention__state=Convention.State.SIGNED,
            convention__signed_on__lte=today,
            convention__end_date__gte=today,
        ).values_list("school_id", flat=True)
    )


def apply_conventions(today: datetime.date | None = None) -> Report:
    """Bring every convention, termination and school coverage up to `today`; send reminders.

    The system acts (journal entries have no author). Idempotent.
    """
    from . import reminders

    today = today or timezone.localdate()
    report = Report()
    with transaction.atomic():
        _apply_terminations(today, report)
        _expire(today, report)
        _end_coverage(today, report)
    for coverage in Coverage.objects.filter(state=Coverage.State.ACCESS, delete_on__lte=today).select_related("school"):
        with transaction.atomic():
            purge_school_data(coverage.school, today=today)
        report.purged += 1
        report.details.append(_("Données supprimées : %(school)s") % {"school": coverage.school})
    report.reminders = reminders.send_reminders(today)
    return report


def _apply_terminations(today: datetime.date, report: Report) -> None:
    due = Termination.objects.filter(state=Termination.State.NOTIFIED, effective_date__lt=today).select_related(
        "convention"
    )
    for termination in due:
        convention = termination.convention
        termination.state, termination.closed_at = Termination.State.EFFECTIVE, timezone.now()
        termination.save(update_fields=["state", "closed_at"])
        convention.state, convention.closed_on = Convention.State.TERMINATED, termination.effective_date
        convention.save(update_fields=["state", "closed_on"])
        audit.record(
            None,
            "conventions.terminated",
            target=convention,
            academie_id=convention.academie_id,
            effective_date=termination.effective_date.isoformat(),
        )
        report.terminated += 1
        report.details.append(_("Résiliée : %(convention)s") % {"convention": convention})


def _expire(today: datetime.date, report: Report) -> None:
    ended = Convention.objects.filter(
        state__in=[Convention.State.SIGNED, Convention.State.SENT, Convention.State.DRAFT], end_date__lt=today
    )
    for convention in ended:
        was_signed = convention.state == Convention.State.SIGNED
        convention.state = Convention.State.EXPIRED
        convention.closed_on = convention.end_date if was_signed else None
        convention.save(update_fields=["state", "closed_on"])
        audit.record(
            None, "conventions.expired", target=convention, academie_id=convention.academie_id, was_signed=was_signed
        )
        report.expired += 1
        report.details.append(_("Expirée : %(convention)s") % {"convention": convention})


def _last_covered_days(school_ids: list[int], today: datetime.date) -> dict[int, datetime.date]:
    """School id → the last day a signed convention covered it (never after yesterday), in one query."""
    last = dict(
        ConventionSchool.objects.filter(school_id__in=school_ids, convention__signed_on__isnull=False)
        .order_by()
        .values("school_id")
        .annotate(last=Max(Coalesce("convention__closed_on", "convention__end_date")))
        .values_list("school_id", "last")
    )
    yesterday = today - datetime.timedelta(days=1)
    return {
        school_id: min(last[school_id], yesterday) if last.get(school_id) else yesterday for school_id in school_ids
    }


def _end_coverage(today: datetime.date, report: Report) -> None:
    covered = _covered_school_ids(today)
    ending = list(
        Coverage.objects.filter(state=Coverage.State.COVERED)
        .exclude(school_id__in=covered)
        .select_related("school__commune__departement")
    )
    if not ending:
        return
    communes = {c.school.commune_id for c in ending}
    academies = {c.school.commune.departement.academie_id for c in ending}
    referents, admins = queries.referent_ids(communes), queries.academie_admin_ids(academies)
    school_ids = [c.school_id for c in ending]
    directors = queries.director_ids(school_ids)
    # At the year's end date a whole académie may stop at once: a constant number of writes, not a few per school.
    last_days, now = _last_covered_days(school_ids, today), timezone.now()
    for coverage in ending:
        coverage.ended_on = last_days[coverage.school_id]
        coverage.delete_on = dates.delete_on(coverage.ended_on)
        coverage.state, coverage.updated_at = Coverage.State.ACCESS, now
    Coverage.objects.bulk_update(ending, ["state", "ended_on", "delete_on", "updated_at"])
    School.objects.filter(id__in=school_ids).update(is_active=False)
    for coverage in ending:
        school = coverage.school
        academie_id = school.commune.departement.academie_id
        audit.record(
            None,
            "conventions.coverage_ended",
            target=school,
            school_id=school.id,
            academie_id=academie_id,
            ended_on=coverage.ended_on.isoformat(),
            delete_on=coverage.delete_on.isoformat(),
        )
        recipients = directors.get(school.id, set()) | referents.get(school.commune_id, set())
        recipients |= admins.get(academie_id, set())
        notices.announce(
            "conventions.coverage",
            recipients,
            title=_("%(school)s n'est plus couverte par une convention : données supprimées le %(day)s")
            % {"school": school.name, "day": _day(coverage.delete_on)},
            url=reverse("conventions:coverage"),
            school_id=school.id,
            body=_("Les comptes restent accessibles en lecture jusqu'au %(day)s pour que chacun récupère ses données.")
            % {"day": _day(coverage.delete_on)},
        )
        events.emit("conventions.coverage_ended", school_id=school.id, delete_on=coverage.delete_on.isoformat())
        report.coverage_ended += 1
        report.details.append(_("Fin de couverture : %(school)s") % {"school": school})


# --- Deletion -------------------------------------------------------------------------------


def _anonymise(person_ids: set[int], now: datetime.datetime) -> int:
    """Erase the identity of accounts that no longer belong anywhere; they cannot sign in again.

    The row stays (with a neutral name) so that the journal and other services' records keep
    their references; nothing in it identifies the person any more.
    """
    people = Person.objects.filter(id__in=person_ids, is_superuser=False, is_staff=False)
    PupilRecord.objects.filter(pupil__in=people).delete()
    GuardianLink.objects.filter(Q(guardian__in=people) | Q(child__in=people)).delete()
    return people.update(
        username=Concat(Value("supprime."), Cast("id", CharField())),
        first_name=_("Compte"),
        last_name=_("supprimé"),
        email="",
        phone="",
        birth_date=None,
        external_id="",
        password=make_password(None),
        is_active=False,
        detached_at=now,
        activated_at=None,
        session_version=F("session_version") + 1,
    )


def purge_school_data(school: School, *, today: datetime.date) -> dict[str, int]:
    """Delete a school's data once its access period is over (three months after coverage).

    First every service deletes what it keeps for the school (`core.school_data.erase_school`:
    notes, news, blogs, rooms, events, cahiers, queue, settings… and their files), while the
    classes still exist so that what hangs on them can be found. Then its classes (with
    enrolments and teachings), groups and roles go, and the accounts left with nothing else in
    Préau are anonymised: pupils with no other class or school, guardians with no other child,
    staff with no other role. People who belong elsewhere keep their accounts. The School row
    stays (the directory lists it), inactive. All in the caller's transaction: a rollback
    leaves everything, files included. Called by `apply_conventions` (the system). Journal:
    `conventions.school_data_deleted` with counts only (rows deleted per service). Emits
    `conventions.school_data_deleted` after commit.
    """
    classes = SchoolClass.objects.filter(school=school)
    pupil_ids = set(Enrolment.objects.filter(school_class__in=classes).values_list("pupil_id", flat=True))
    guardian_ids = set(GuardianLink.objects.filter(child_id__in=pupil_ids).values_list("guardian_id", flat=True))
    staff_ids = set(Role.objects.filter(school=school).values_list("person_id", flat=True))
    counts = {"classes": classes.count(), "groups": Group.objects.filter(school=school).count()}
    erased_by_service = school_data.erase_school(school.id)
    classes.delete()
    Group.objects.filter(school=school).delete()
    Role.objects.filter(school=school).delete()
    # Who still belongs somewhere keeps their account.
    elsewhere = set(Role.objects.filter(person_id__in=pupil_ids | staff_ids).values_list("person_id", flat=True))
    elsewhere |= set(Enrolment.objects.filter(pupil_id__in=pupil_ids).values_list("pupil_id", flat=True))
    gone_pupils = pupil_ids - elsewhere
    now = timezone.now()
    erased = _anonymise(gone_pupils, now)
    still_parents = set(
        GuardianLink.objects.filter(guardian_id__in=guardian_ids).values_list("guardian_id", flat=True)
    ) | set(Role.objects.filter(person_id__in=guardian_ids).values_list("person_id", flat=True))
    erased += _anonymise((guardian_ids | staff_ids) - still_parents - elsewhere - pupil_ids, now)
    School.objects.filter(pk=school.pk).update(is_active=False)
    Coverage.objects.filter(school=school).update(state=Coverage.State.PURGED, purged_at=now, updated_at=now)
    counts.update(accounts_erased=erased, pupils=len(pupil_ids), guardians=len(guardian_ids), staff=len(staff_ids))
    counts.update(erased_by_service)
    audit.record(
        None,
        "conventions.school_data_deleted",
        target=school,
        school_id=school.id,
        academie_id=school.circonscription.departement.academie_id,
        **counts,
    )
    events.emit("conventions.school_data_deleted", school_id=school.id, day=today.isoformat())
    return counts
