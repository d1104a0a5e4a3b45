"""Coverage: signing opens a school's accounts; the end of coverage gives three months of read-only
access, then the school's data is deleted. The daily run is idempotent."""

import datetime

import pytest
from django.core.management import call_command

from preau.conventions import actions, dates
from preau.conventions.lifecycle import apply_conventions, purge_school_data
from preau.conventions.models import Convention, Coverage, Reminder
from preau.core.models import AuditEntry
from preau.directory.factories import SchoolFactory, add_role, make_school
from preau.directory.models import Enrolment, GuardianLink, Person, Profile, Role, School, SchoolClass

from .helpers import renew, sign, signed

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_signing_covers_the_schools_and_reopens_an_inactive_one(seeds, sent_notices):
    School.objects.filter(pk=seeds.lannemezan_schools[0].pk).update(is_active=False)
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    assert convention.state == Convention.State.SIGNED
    assert all(School.objects.filter(commune=seeds.lannemezan).values_list("is_active", flat=True))
    coverages = Coverage.objects.filter(school__commune=seeds.lannemezan)
    assert {c.state for c in coverages} == {Coverage.State.COVERED} and coverages.count() == 4
    signed_notice = next(n for n in sent_notices() if n.kind == "conventions.signed")
    assert seeds.admin.pk in signed_notice.recipient_ids  # the référent signed: the académie learns it
    assert seeds.referent.pk not in signed_notice.recipient_ids  # never told of one's own act
    to_sign = next(n for n in sent_notices() if n.kind == "conventions.to_sign")
    assert to_sign.recipient_ids == (seeds.referent.pk,)


def test_schools_no_convention_ever_covered_are_left_alone(seeds):
    report = apply_conventions(datetime.date(2030, 1, 1))
    assert report.coverage_ended == 0 and not Coverage.objects.exists()
    assert all(School.objects.values_list("is_active", flat=True))


def test_without_renewal_the_school_reads_for_three_months_then_its_data_is_deleted(seeds, sent_notices):
    built = make_school(classes=1, pupils=2, school=seeds.lannemezan_schools[0])
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    end = convention.end_date

    assert apply_conventions(end).coverage_ended == 0  # the last day is still covered
    report = apply_conventions(end + DAY)
    convention.refresh_from_db()
    assert (report.expired, report.coverage_ended) == (1, 4)
    assert convention.state == Convention.State.EXPIRED and convention.closed_on == end
    coverage = Coverage.objects.get(school=built.school)
    assert coverage.state == Coverage.State.ACCESS
    assert coverage.ended_on == end and coverage.delete_on == dates.delete_on(end)
    built.school.refresh_from_db()
    assert not built.school.is_active
    ended = next(n for n in sent_notices() if n.kind == "conventions.coverage" and n.school_id == built.school.pk)
    assert {built.director.pk, seeds.referent.pk, seeds.admin.pk} <= set(ended.recipient_ids)
    assert "données supprimées le" in ended.title

    # Nothing more the same day, nor the day before deletion.
    assert apply_conventions(end + DAY).as_dict() == {
        "expired": 0,
        "terminated": 0,
        "coverage_ended": 0,
        "purged": 0,
        "reminders": 0,
    }
    assert apply_conventions(coverage.delete_on - DAY).purged == 0
    assert SchoolClass.objects.filter(school=built.school).exists()

    report = apply_conventions(coverage.delete_on)
    assert report.purged == 4
    assert not SchoolClass.objects.filter(school=built.school).exists()
    assert not Role.objects.filter(school=built.school).exists()
    coverage.refresh_from_db()
    assert coverage.state == Coverage.State.PURGED and coverage.purged_at
    pupil = built.pupils[built.classes[0].id][0]
    pupil.refresh_from_db()
    assert (pupil.first_name, pupil.last_name, pupil.is_active) == ("Compte", "supprimé", False)
    assert pupil.username == f"supprime.{pupil.pk}" and not pupil.has_usable_password()
    parent = built.parents[pupil.id][0]
    parent.refresh_from_db()
    assert parent.email == "" and not parent.is_active
    entry = AuditEntry.objects.get(action="conventions.school_data_deleted", school_id=built.school.pk)
    assert entry.details["accounts_erased"] >= 5 and entry.actor is None
    assert apply_conventions(coverage.delete_on + DAY).purged == 0


@pytest.mark.parametrize("extra", [0, 20])
def test_ending_coverage_costs_one_journal_entry_a_school_and_nothing_more(seeds, extra, django_assert_max_num_queries):
    first = seeds.lannemezan_schools[0]
    schools = seeds.lannemezan_schools + [
        SchoolFactory(commune=seeds.lannemezan, circonscription=first.circonscription) for _ in range(extra)
    ]
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, schools, seeds.year)
    with django_assert_max_num_queries(21 + len(schools)):
        report = apply_conventions(convention.end_date + DAY)
    assert report.coverage_ended == len(schools)
    assert not School.objects.filter(id__in=[school.id for school in schools], is_active=True).exists()
    assert set(Coverage.objects.values_list("state", "ended_on")) == {(Coverage.State.ACCESS, convention.end_date)}


def test_deletion_keeps_the_people_who_belong_elsewhere(seeds):
    built = make_school(classes=1, pupils=2, school=seeds.lannemezan_schools[0])
    elsewhere = make_school(classes=1, pupils=1, school=seeds.rodez_schools[0])
    teacher = built.teachers[0]
    add_role(teacher, Profile.TEACHER, seeds.rodez_schools[0])  # also teaches in Rodez
    moved, stays = built.pupils[built.classes[0].id]
    Enrolment.objects.create(pupil=moved, school_class=elsewhere.classes[0])  # now in Rodez too
    sibling_parent = built.parents[stays.id][0]
    GuardianLink.objects.create(
        guardian=sibling_parent,
        child=elsewhere.pupils[elsewhere.classes[0].id][0],
        relationship=GuardianLink.Relationship.MOTHER,
    )

    counts = purge_school_data(built.school, today=datetime.date(2027, 1, 1))

    for person in (teacher, moved, sibling_parent, built.parents[moved.id][0]):
        person.refresh_from_db()
        assert person.is_active and person.last_name != "supprimé", person
    stays.refresh_from_db()
    built.director.refresh_from_db()
    assert not stays.is_active and not built.director.is_active
    assert Role.objects.filter(person=teacher, school=seeds.rodez_schools[0]).exists()
    assert counts["accounts_erased"] == 2  # the pupil who stays and the director
    assert Person.objects.filter(is_superuser=True).count() == 0


def test_a_renewal_signed_in_time_keeps_the_schools_covered(seeds):
    first = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    renewal = renew(seeds.admin, first)
    assert renewal.school_year == seeds.year + 1 and renewal.renewed_from == first
    assert renewal.school_count == 4
    actions.send_convention(seeds.admin, renewal)
    sign(seeds.referent, renewal)
    report = apply_conventions(first.end_date + DAY)
    assert (report.expired, report.coverage_ended) == (1, 0)
    assert set(Coverage.objects.values_list("state", flat=True)) == {Coverage.State.COVERED}
    assert all(School.objects.filter(commune=seeds.lannemezan).values_list("is_active", flat=True))


def test_a_school_left_out_of_the_renewal_loses_its_coverage(seeds):
    first = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    renewal = renew(seeds.admin, first)
    actions.update_convention(
        seeds.admin,
        renewal,
        schools=seeds.lannemezan_schools[1:],
        collectivite_name="Commune de Lannemezan",
        commune_signatory_name="Bernard Plano",
        commune_signatory_title="Maire",
        academie_signatory_name="Karim Benmiloud",
        academie_signatory_title="recteur",
    )
    actions.send_convention(seeds.admin, renewal)
    sign(seeds.referent, renewal)
    assert apply_conventions(first.end_date + DAY).coverage_ended == 1
    assert Coverage.objects.get(state=Coverage.State.ACCESS).school == seeds.lannemezan_schools[0]


def test_a_late_signature_gives_the_access_period_school_its_full_access_back(seeds):
    first = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    apply_conventions(first.end_date + DAY)
    assert not School.objects.get(pk=seeds.lannemezan_schools[0].pk).is_active
    renewal = renew(seeds.admin, first)
    Convention.objects.filter(pk=renewal.pk).update(state=Convention.State.SENT)
    renewal.refresh_from_db()
    from preau.conventions.lifecycle import cover_schools

    cover_schools(renewal, today=first.end_date + 10 * DAY)
    assert School.objects.get(pk=seeds.lannemezan_schools[0].pk).is_active
    coverage = Coverage.objects.get(school=seeds.lannemezan_schools[0])
    assert coverage.state == Coverage.State.COVERED and coverage.delete_on is None


def test_reminders_are_sent_once(seeds, sent_notices):
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    near_end = convention.end_date - datetime.timedelta(days=30)
    report = apply_conventions(near_end)
    assert report.reminders == 2  # to renew, and the titre de perception still to issue
    kinds = {n.title.split(" ")[0] for n in sent_notices() if n.kind == "conventions.reminder"}
    assert kinds == {"À", "Titre"}
    renewal = next(n for n in sent_notices() if n.title.startswith("À renouveler"))
    assert set(renewal.recipient_ids) == {seeds.admin.pk, seeds.referent.pk}
    titre = next(n for n in sent_notices() if n.title.startswith("Titre de perception à émettre"))
    assert titre.recipient_ids == (seeds.admin.pk,)
    assert apply_conventions(near_end).reminders == 0
    assert apply_conventions(near_end + DAY).reminders == 0
    assert Reminder.objects.count() == 2


def test_an_unpaid_titre_is_recalled_each_month(seeds, sent_notices):
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    actions.record_titre(seeds.admin, convention, step="issue", reference="TP-42", on=datetime.date.today())
    issued = convention.titre_issued_on
    assert apply_conventions(issued + 29 * DAY).reminders == 0
    assert apply_conventions(issued + 30 * DAY).reminders == 1
    assert apply_conventions(issued + 45 * DAY).reminders == 0
    assert apply_conventions(issued + 60 * DAY).reminders == 1
    actions.record_titre(seeds.admin, convention, step="paid", on=datetime.date.today())
    assert apply_conventions(issued + 90 * DAY).reminders == 0


def test_the_daily_command_reports_what_it_did(seeds, capsys):
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    call_command("apply_conventions", "--date", (convention.end_date + DAY).isoformat())
    out = capsys.readouterr().out
    assert "1 expirée(s)" in out and "4 fin(s) de couverture" in out
    assert "Fin de couverture : E.P.PU Bourtoulets" in out


def test_the_daily_command_refuses_a_wrong_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Date invalide"):
        call_command("apply_conventions", "--date", "31/01/2026")
