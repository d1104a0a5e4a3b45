"""Writes of the communication rules, suspensions and teachers' answering hours.

Each checks the policy, changes one thing in one transaction and journals it.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit, events
from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Academie, Person, School, SchoolClass
from preau.directory.queries import access_of

from . import policy
from .models import AnsweringHours, ClassRule, CommunicationRules, Suspension


def _rule_values(values: dict) -> dict[str, bool]:
    unknown = set(values) - set(CommunicationRules.RULE_FIELDS)
    if unknown:
        raise DomainError(_("Cette règle n'existe pas."))
    return {name: bool(values.get(name)) for name in CommunicationRules.RULE_FIELDS}


def save_school_rules(actor: Person, school: School, values: dict) -> CommunicationRules:
    """The director sets the school's own rules (from then on, the académie's no longer apply)."""
    if not policy.can_manage_school_rules(actor, school):
        raise NotAllowed(_("Seule la direction de l'école règle sa communication."))
    clean = _rule_values(values)
    with transaction.atomic():
        row, _created = CommunicationRules.objects.update_or_create(
            school=school, defaults={**clean, "updated_by": actor}
        )
        audit.record(actor, "messaging.rules_changed", target=row, school_id=school.pk, **clean)
    return row


def reset_school_rules(actor: Person, school: School) -> None:
    """The director goes back to the académie's rules."""
    if not policy.can_manage_school_rules(actor, school):
        raise NotAllowed(_("Seule la direction de l'école règle sa communication."))
    with transaction.atomic():
        CommunicationRules.objects.filter(school=school).delete()
        audit.record(actor, "messaging.rules_reset", target=school, school_id=school.pk)


def save_academie_rules(actor: Person, academie: Academie, values: dict) -> CommunicationRules:
    """An académie administrator sets the rules of the académie's schools that have none."""
    if not policy.can_manage_academie_rules(actor, academie):
        raise NotAllowed(_("Seule l'administration de l'académie règle sa communication."))
    clean = _rule_values(values)
    with transaction.atomic():
        row, _created = CommunicationRules.objects.update_or_create(
            academie=academie, defaults={**clean, "updated_by": actor}
        )
        audit.record(actor, "messaging.rules_changed", target=row, academie_id=academie.pk, **clean)
    return row


def set_class_rule(actor: Person, school_class: SchoolClass, *, pupils_write_classmates: bool) -> ClassRule:
    """The teacher lets the pupils of their class write to each other, or stops it."""
    if not policy.can_manage_class_rule(actor, school_class):
        raise NotAllowed(_("Seul·es les enseignant·es de la classe règlent sa messagerie."))
    with transaction.atomic():
        rule, _created = ClassRule.objects.update_or_create(
            school_class=school_class,
            defaults={"pupils_write_classmates": pupils_write_classmates, "updated_by": actor},
        )
        audit.record(
            actor,
            "messaging.class_rule_changed",
            target=school_class,
            school_id=school_class.school_id,
            pupils_write_classmates=pupils_write_classmates,
        )
    return rule


# --- Suspensions --------------------------------------------------------------------------------


def belongs_to(person: Person, school: School) -> bool:
    """Holds a role in the school, or is the parent of one of its pupils this year."""
    access = access_of(person)
    return school.pk in access.school_ids() or school.pk in access.child_school_ids


def suspend_writing(actor: Person, *, person: Person, school: School, reason: str) -> Suspension:
    """The director takes away a person's right to write (mail and chat), with a reason they see.

    Journals `messaging.suspended` and emits the event of the same name.
    """
    if not policy.can_suspend_in(actor, school):
        raise NotAllowed(_("Seule la direction de l'école peut suspendre un droit d'écrire."))
    if person.pk == actor.pk:
        raise DomainError(_("Vous ne pouvez pas suspendre votre propre droit d'écrire."))
    if not belongs_to(person, school):
        raise DomainError(_("Cette personne n'appartient pas à votre école."), field="person")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Donnez le motif de la suspension : la personne le lira."), field="reason")
    if Suspension.objects.filter(person=person, school=school, lifted_at__isnull=True).exists():
        raise DomainError(_("Le droit d'écrire de cette personne est déjà suspendu."), field="person")
    with transaction.atomic():
        suspension = Suspension.objects.create(person=person, school=school, reason=reason[:500], created_by=actor)
        audit.record(
            actor, "messaging.suspended", target=suspension, subject=person, school_id=school.pk, reason=reason
        )
        events.emit("messaging.suspended", suspension_id=suspension.pk, person_id=person.pk, school_id=school.pk)
    return suspension


def lift_suspension(actor: Person, suspension: Suspension) -> Suspension:
    """The director gives the person back their right to write."""
    if not policy.can_suspend_in(actor, suspension.school):
        raise NotAllowed(_("Seule la direction de l'école peut lever cette suspension."))
    if suspension.lifted_at is not None:
        raise DomainError(_("Cette suspension est déjà levée."))
    with transaction.atomic():
        suspension.lifted_at = timezone.now()
        suspension.lifted_by = actor
        suspension.save(update_fields=["lifted_at", "lifted_by"])
        audit.record(
            actor,
            "messaging.suspension_lifted",
            target=suspension,
            subject=suspension.person,
            school_id=suspension.school_id,
        )
    return suspension


# --- Answering hours ----------------------------------------------------------------------------


def set_answering_hours(
    actor: Person, *, days: str, start: datetime.time, end: datetime.time, note: str = ""
) -> AnsweringHours:
    """A teacher says when they answer messages; parents read it in the composer."""
    if not policy.can_set_answering_hours(actor):
        raise NotAllowed(_("Les heures de réponse sont celles des enseignant·es et de la direction."))
    days = "".join(sorted({day for day in days if day in "1234567"}))
    if not days:
        raise DomainError(_("Choisissez au moins un jour."), field="days")
    if start >= end:
        raise DomainError(_("L'heure de fin doit suivre l'heure de début."), field="end")
    with transaction.atomic():
        hours, _created = AnsweringHours.objects.update_or_create(
            person=actor, defaults={"days": days, "start": start, "end": end, "note": note.strip()[:200]}
        )
        audit.record(actor, "messaging.answering_hours_changed", target=hours, days=days)
    return hours


def clear_answering_hours(actor: Person) -> None:
    with transaction.atomic():
        deleted, _rows = AnsweringHours.objects.filter(person=actor).delete()
        if deleted:
            audit.record(actor, "messaging.answering_hours_cleared")
