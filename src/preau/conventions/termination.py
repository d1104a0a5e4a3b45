"""Termination of a convention (art. 11 of the 2023 and 2025 conventions, art. 8 of 2021).

1. A party sends the other a formal notice (mise en demeure) by registered letter, stating its
   grievances: `start_termination`. Conciliation follows, within one month at the latest.
2. If conciliation fails, the aggrieved party sends a registered letter giving the reasons:
   `notify_termination`. The convention ends when the fifteen days after it expire; the daily
   run (`lifecycle.apply_conventions`) makes it effective and ends the schools' coverage.
3. If conciliation succeeds: `abandon_termination`.
Sums already received are not refunded. Dates: `dates.py`.
"""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from preau.core import audit, notices
from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Person

from . import dates, policy, queries
from .models import Convention, Termination


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _tell_both(termination: Termination, actor: Person, title: str, body: str = "") -> None:
    convention = termination.convention
    recipients = queries.academie_admin_ids([convention.academie_id]).get(convention.academie_id, set())
    recipients |= queries.referent_ids([convention.commune_id]).get(convention.commune_id, set())
    notices.announce(
        "conventions.termination",
        recipients,
        title=title,
        url=reverse("conventions:termination", args=[termination.pk]),
        actor_id=actor.pk,
        body=body,
        group_key=f"termination:{termination.pk}",
    )


def _journal(actor: Person, action: str, termination: Termination, **details) -> None:
    convention = termination.convention
    audit.record(
        actor,
        f"conventions.termination_{action}",
        target=convention,
        academie_id=convention.academie_id,
        termination=termination.pk,
        side=termination.initiated_by,
        **details,
    )


def _check_date(day: datetime.date, field: str, *, not_before: datetime.date | None = None) -> None:
    if day > timezone.localdate():
        raise DomainError(_("La date d'envoi ne peut pas être dans le futur."), field=field)
    if not_before and day < not_before:
        raise DomainError(
            _("Cette date ne peut précéder le %(day)s.") % {"day": _day(not_before)},
            field=field,
        )


def start_termination(
    actor: Person, convention: Convention, *, notice_date: datetime.date, grievances: str
) -> Termination:
    """A party records the formal notice it sent; conciliation runs for one month from it.

    The académie's administrators act for the académie, the commune's référent for the
    collectivité. Notice `conventions.termination` to both parties. Journal:
    `conventions.termination_started`.
    """
    if not policy.can_request_termination(actor, convention):
        raise NotAllowed(_("Seules les parties d'une convention signée peuvent engager sa résiliation."))
    if not grievances.strip():
        raise DomainError(_("Exposez les griefs de la mise en demeure."), field="grievances")
    _check_date(notice_date, "notice_date", not_before=convention.signed_on)
    termination = Termination(
        convention=convention,
        initiated_by=policy.termination_side_of(actor, convention),
        requested_by=actor,
        grievances=grievances.strip(),
        notice_date=notice_date,
        conciliation_deadline=dates.conciliation_deadline(notice_date),
    )
    try:
        with transaction.atomic():
            termination.save()
            _journal(actor, "started", termination, notice_date=notice_date.isoformat())
            _tell_both(
                termination,
                actor,
                _("Mise en demeure : convention %(year)s de %(collectivite)s, conciliation jusqu'au %(day)s")
                % {
                    "year": convention.year_label,
                    "collectivite": convention.collectivite_name,
                    "day": _day(termination.conciliation_deadline),
                },
                body=termination.grievances[:500],
            )
    except IntegrityError as error:
        raise DomainError(_("Une résiliation est déjà en cours pour cette convention.")) from error
    return termination


def notify_termination(
    actor: Person, termination: Termination, *, letter_date: datetime.date, reasons: str
) -> Termination:
    """Conciliation failed: the party records the termination letter; effective fifteen days later.

    Journal: `conventions.termination_notified`. Notice to both parties.
    """
    if not policy.can_pursue_termination(actor, termination):
        raise NotAllowed(_("Vous ne pouvez pas poursuivre cette résiliation."))
    if termination.state != Termination.State.CONCILIATION:
        raise DomainError(_("La résiliation a déjà été notifiée."))
    if not reasons.strip():
        raise DomainError(_("La lettre de résiliation doit en préciser les motifs."), field="reasons")
    _check_date(letter_date, "letter_date", not_before=termination.notice_date)
    termination.letter_date = letter_date
    termination.reasons = reasons.strip()
    termination.effective_date = dates.effective_date(letter_date)
    termination.dispute_from = dates.dispute_from(letter_date)
    termination.state = Termination.State.NOTIFIED
    convention = termination.convention
    with transaction.atomic():
        termination.save()
        _journal(
            actor,
            "notified",
            termination,
            letter_date=letter_date.isoformat(),
            effective_date=termination.effective_date.isoformat(),
        )
        _tell_both(
            termination,
            actor,
            _("Résiliation notifiée : la convention %(year)s de %(collectivite)s prendra fin le %(day)s")
            % {
                "year": convention.year_label,
                "collectivite": convention.collectivite_name,
                "day": _day(termination.effective_date),
            },
            body=termination.reasons[:500],
        )
    return termination


def abandon_termination(actor: Person, termination: Termination, *, note: str = "") -> Termination:
    """Conciliation succeeded (or the party gives up): the convention goes on.

    Journal: `conventions.termination_abandoned`. Notice to both parties.
    """
    if not policy.can_pursue_termination(actor, termination):
        raise NotAllowed(_("Vous ne pouvez pas poursuivre cette résiliation."))
    termination.state = Termination.State.ABANDONED
    termination.outcome_note = note.strip()
    termination.closed_at = timezone.now()
    convention = termination.convention
    with transaction.atomic():
        termination.save(update_fields=["state", "outcome_note", "closed_at"])
        _journal(actor, "abandoned", termination)
        _tell_both(
            termination,
            actor,
            _("Résiliation abandonnée : la convention %(year)s de %(collectivite)s se poursuit")
            % {"year": convention.year_label, "collectivite": convention.collectivite_name},
            body=termination.outcome_note[:500],
        )
    return termination
