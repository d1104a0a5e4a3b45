"""The daily reminders: conventions to renew or sign, titres to issue or not paid, termination
dates, data about to be deleted. Each is sent once (its key is kept in `Reminder`), as a notice
`conventions.reminder` to the académie's administrators and/or the commune's référents (and the
school's directors for a deletion)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from preau.core import notices

from . import queries
from .models import Convention, Coverage, Reminder, Termination
from .pdf import euros


@dataclass(frozen=True)
class Due:
    key: str
    title: str
    url: str
    academie_id: int | None = None  # tell its administrators
    commune_id: int | None = None  # tell its référents
    school_id: int | None = None  # tell its directors


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _convention_url(convention: Convention) -> str:
    return reverse("conventions:detail", args=[convention.pk])


def _renewals(today: datetime.date) -> list[Due]:
    horizon = today + datetime.timedelta(days=settings.PREAU_CONVENTIONS_RENEWAL_NOTICE_DAYS)
    following = Convention.objects.filter(
        commune_id=OuterRef("commune_id"), school_year=OuterRef("school_year") + 1
    ).exclude(state=Convention.State.TERMINATED)
    conventions = Convention.objects.filter(state=Convention.State.SIGNED, end_date__lte=horizon).exclude(
        Exists(following)
    )
    return [
        Due(
            key=f"renewal:{c.pk}",
            title=_("À renouveler : la convention %(year)s de %(collectivite)s prend fin le %(day)s")
            % {"year": c.year_label, "collectivite": c.collectivite_name, "day": _day(c.end_date)},
            url=_convention_url(c),
            academie_id=c.academie_id,
            commune_id=c.commune_id,
        )
        for c in conventions
    ]


def _signatures(today: datetime.date) -> list[Due]:
    since = today - datetime.timedelta(days=settings.PREAU_CONVENTIONS_SIGNATURE_REMINDER_DAYS)
    return [
        Due(
            key=f"signature:{c.pk}",
            title=_("Convention %(year)s envoyée le %(day)s, toujours pas signée")
            % {"year": c.year_label, "day": _day(c.sent_at.date())},
            url=_convention_url(c),
            academie_id=c.academie_id,
            commune_id=c.commune_id,
        )
        for c in Convention.objects.filter(state=Convention.State.SENT, sent_at__date__lte=since)
    ]


def _titres(today: datetime.date) -> list[Due]:
    delay = datetime.timedelta(days=settings.PREAU_CONVENTIONS_TITRE_REMINDER_DAYS)
    due = [
        Due(
            key=f"titre_to_issue:{c.pk}",
            title=_("Titre de perception à émettre : %(collectivite)s, %(amount)s")
            % {"collectivite": c.collectivite_name, "amount": euros(c.amount_due)},
            url=_convention_url(c),
            academie_id=c.academie_id,
        )
        for c in Convention.objects.filter(
            state=Convention.State.SIGNED, titre_state=Convention.Titre.TO_ISSUE, signed_on__lte=today - delay
        )
    ]
    for c in Convention.objects.filter(titre_state=Convention.Titre.ISSUED, titre_issued_on__lte=today - delay):
        # Once per period of the delay, while unpaid.
        period = (today - c.titre_issued_on).days // delay.days
        due.append(
            Due(
                key=f"titre_unpaid:{c.pk}:{c.titre_reference}:{period}",
                title=_("Titre %(reference)s du %(day)s non payé : %(amount)s")
                % {"reference": c.titre_reference, "day": _day(c.titre_issued_on), "amount": euros(c.amount_due)},
                url=_convention_url(c),
                academie_id=c.academie_id,
                commune_id=c.commune_id,
            )
        )
    return due


def _terminations(today: datetime.date) -> list[Due]:
    soon = today + datetime.timedelta(days=settings.PREAU_CONVENTIONS_DEADLINE_NOTICE_DAYS)
    due = []
    for t in Termination.objects.filter(
        state__in=[Termination.State.CONCILIATION, Termination.State.NOTIFIED]
    ).select_related("convention"):
        c, url = t.convention, reverse("conventions:termination", args=[t.pk])
        parties = {"academie_id": c.academie_id, "commune_id": c.commune_id}
        if t.state == Termination.State.CONCILIATION and t.conciliation_deadline <= today:
            title = _("Conciliation terminée le %(day)s (%(collectivite)s) : notifier la résiliation ou y renoncer")
            due.append(
                Due(
                    f"termination:{t.pk}:over",
                    title % {"day": _day(t.conciliation_deadline), "collectivite": c.collectivite_name},
                    url,
                    **parties,
                )
            )
        elif t.state == Termination.State.CONCILIATION and t.conciliation_deadline <= soon:
            title = _("Conciliation avec %(collectivite)s : délai d'un mois jusqu'au %(day)s")
            due.append(
                Due(
                    f"termination:{t.pk}:deadline",
                    title % {"day": _day(t.conciliation_deadline), "collectivite": c.collectivite_name},
                    url,
                    **parties,
                )
            )
        elif t.state == Termination.State.NOTIFIED and t.effective_date <= soon:
            title = _("Résiliation de la convention de %(collectivite)s effective le %(day)s")
            due.append(
                Due(
                    f"termination:{t.pk}:effective",
                    title % {"day": _day(t.effective_date), "collectivite": c.collectivite_name},
                    url,
                    **parties,
                )
            )
    return due


def _deletions(today: datetime.date) -> list[Due]:
    soon = today + datetime.timedelta(days=settings.PREAU_CONVENTIONS_DEADLINE_NOTICE_DAYS)
    return [
        Due(
            key=f"deletion:{c.school_id}:{c.delete_on.isoformat()}",
            title=_("Les données de %(school)s seront supprimées le %(day)s : récupérez-les d'ici là")
            % {"school": c.school.name, "day": _day(c.delete_on)},
            url=reverse("conventions:coverage"),
            academie_id=c.school.commune.departement.academie_id,
            commune_id=c.school.commune_id,
            school_id=c.school_id,
        )
        for c in Coverage.objects.filter(state=Coverage.State.ACCESS, delete_on__lte=soon).select_related(
            "school__commune__departement"
        )
    ]


def send_reminders(today: datetime.date) -> int:
    """Send the reminders due today that were never sent; return how many were sent."""
    due = _renewals(today) + _signatures(today) + _titres(today) + _terminations(today) + _deletions(today)
    sent_keys = set(Reminder.objects.filter(key__in=[d.key for d in due]).values_list("key", flat=True))
    due = [d for d in due if d.key not in sent_keys]
    if not due:
        return 0
    admins = queries.academie_admin_ids({d.academie_id for d in due if d.academie_id})
    referents = queries.referent_ids({d.commune_id for d in due if d.commune_id})
    directors = queries.director_ids({d.school_id for d in due if d.school_id})
    with transaction.atomic():
        Reminder.objects.bulk_create(Reminder(key=d.key, sent_on=today) for d in due)
        for d in due:
            recipients = admins.get(d.academie_id, set()) | referents.get(d.commune_id, set())
            recipients |= directors.get(d.school_id, set())
            notices.announce(
                "conventions.reminder",
                recipients,
                title=d.title,
                url=d.url,
                school_id=d.school_id,
                group_key=d.key.rsplit(":", 1)[0],
            )
    return len(due)
