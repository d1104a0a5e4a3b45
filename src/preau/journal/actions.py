"""Every write of the cahier journal: policy, one transaction, the audit log.

The journal is private: its actions tell nobody, except the replacement a teacher lends it to.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from preau.core import audit, notices
from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Person, SchoolClass
from preau.homework.actions import create_entry_from_journal
from preau.homework.subjects import SUBJECTS

from . import policy
from .models import DayTemplate, JournalShare, Organisation, Slot, TemplateSlot

MAX_REPEAT = 10  # weeks a day or a week may be copied onto at once
SUBJECT_CODES = {code for code, _label in SUBJECTS}


def _day_label(day: datetime.date) -> str:
    return date_format(day, "l j F Y")


def _check_content(fields: dict) -> dict:
    """Clean and check what a session says, the same for a day's slot and a template's."""
    fields = {**fields}
    for name in ("title", "objectives", "material", "assessment"):
        fields[name] = (fields.get(name) or "").strip()
    if not fields["title"]:
        raise DomainError(_("Donnez un intitulé à la séance."), field="title")
    if fields.get("subject") not in SUBJECT_CODES:
        raise DomainError(_("Choisissez une discipline de la liste."), field="subject")
    if fields.get("organisation", "") not in {"", *Organisation.values}:
        raise DomainError(_("Choisissez une organisation de la liste."), field="organisation")
    fields["organisation"] = fields.get("organisation", "")
    if fields["ends_at"] <= fields["starts_at"]:
        raise DomainError(_("La séance doit finir après son début."), field="ends_at")
    return fields


def _check_class(actor, school_class: SchoolClass) -> None:
    if not policy.can_plan_for(actor, school_class):
        raise NotAllowed(_("Vous n'enseignez pas dans cette classe cette année."))


def plan_slot(actor, *, school_class: SchoolClass, date: datetime.date, **content) -> Slot:
    """Add a session to the actor's day for a class they teach."""
    _check_class(actor, school_class)
    content = _check_content(content)
    with transaction.atomic():
        slot = Slot.objects.create(author=actor, school_class=school_class, date=date, **content)
        audit.record(actor, "journal.slot_planned", target=slot, school_id=school_class.school_id)
    return slot


def update_slot(actor, slot: Slot, *, review: str = "", **content) -> Slot:
    """Change a session (its date and class stay); the author only."""
    if not policy.can_edit(actor, slot):
        raise NotAllowed(_("Cette séance n'est pas dans votre cahier journal."))
    content = _check_content(content)
    with transaction.atomic():
        for name, value in content.items():
            setattr(slot, name, value)
        slot.review = review.strip()
        slot.save()
        audit.record(actor, "journal.slot_updated", target=slot, school_id=slot.school_class.school_id)
    return slot


def write_review(actor, slot: Slot, *, review: str) -> Slot:
    """Write the bilan of a session, after it: the author only."""
    if not policy.can_edit(actor, slot):
        raise NotAllowed(_("Cette séance n'est pas dans votre cahier journal."))
    with transaction.atomic():
        slot.review = review.strip()
        slot.save(update_fields=["review", "updated_at"])
        audit.record(actor, "journal.review_written", target=slot, school_id=slot.school_class.school_id)
    return slot


def delete_slot(actor, slot: Slot) -> None:
    if not policy.can_edit(actor, slot):
        raise NotAllowed(_("Cette séance n'est pas dans votre cahier journal."))
    with transaction.atomic():
        audit.record(actor, "journal.slot_deleted", target=slot, school_id=slot.school_class.school_id)
        slot.delete()


def _lay_out(actor, school_class: SchoolClass, plan: dict[datetime.date, list], *, replace: bool) -> list[Slot]:
    """Create `plan` (day → contents) in the actor's journal for a class.

    A day that already has sessions is refused unless `replace`, which empties it first:
    nothing is ever mixed up silently.
    """
    existing = Slot.objects.filter(author=actor, school_class=school_class, date__in=list(plan))
    if not replace:
        busy = sorted(set(existing.values_list("date", flat=True)))
        if busy:
            raise DomainError(
                _("Le %(day)s a déjà des séances pour cette classe : cochez « Remplacer » pour les remplacer.")
                % {"day": _day_label(busy[0])},
                field="replace",
            )
    existing.delete()
    return Slot.objects.bulk_create(
        Slot(author=actor, school_class=school_class, date=day, **content)
        for day, contents in sorted(plan.items())
        for content in contents
    )


def save_day_as_template(actor, *, school_class: SchoolClass, date: datetime.date, name: str) -> DayTemplate:
    """Keep a day of a class as a journée type (its sessions without their bilan)."""
    _check_class(actor, school_class)
    name = name.strip()
    if not name:
        raise DomainError(_("Donnez un nom à la journée type."), field="name")
    slots = list(Slot.objects.filter(author=actor, school_class=school_class, date=date))
    if not slots:
        raise DomainError(_("Cette journée n'a aucune séance à garder."))
    if DayTemplate.objects.filter(author=actor, name__iexact=name).exists():
        raise DomainError(_("Vous avez déjà une journée type de ce nom."), field="name")
    with transaction.atomic():
        template = DayTemplate.objects.create(author=actor, name=name)
        TemplateSlot.objects.bulk_create(TemplateSlot(template=template, **slot.content()) for slot in slots)
        audit.record(actor, "journal.template_saved", target=template, school_id=school_class.school_id)
    return template


def apply_template(
    actor, template: DayTemplate, *, school_class: SchoolClass, date: datetime.date, replace: bool = False
) -> list[Slot]:
    """Lay a journée type on a date of a class."""
    if template.author_id != actor.pk:
        raise NotAllowed(_("Cette journée type n'est pas la vôtre."))
    _check_class(actor, school_class)
    contents = [slot.content() for slot in template.slots.all()]
    with transaction.atomic():
        created = _lay_out(actor, school_class, {date: contents}, replace=replace)
        audit.record(
            actor, "journal.template_applied", target=template, school_id=school_class.school_id, date=str(date)
        )
    return created


def delete_template(actor, template: DayTemplate) -> None:
    if template.author_id != actor.pk:
        raise NotAllowed(_("Cette journée type n'est pas la vôtre."))
    with transaction.atomic():
        audit.record(actor, "journal.template_deleted", target=template)
        template.delete()


def copy_days(
    actor,
    *,
    school_class: SchoolClass,
    source: datetime.date,
    target: datetime.date,
    week: bool = False,
    repeat: int = 1,
    replace: bool = False,
) -> list[Slot]:
    """Copy a day (or the week of `source`) of a class onto `target` (or its week), and the
    `repeat - 1` following weeks. Copies leave the bilan and the cahier de textes link behind."""
    _check_class(actor, school_class)
    if not 1 <= repeat <= MAX_REPEAT:
        raise DomainError(_("Copiez sur 1 à %(n)d semaines.") % {"n": MAX_REPEAT}, field="repeat")
    span = 7 if week else 1
    if week:
        source, target = source - datetime.timedelta(source.weekday()), target - datetime.timedelta(target.weekday())
    source_days = {source + datetime.timedelta(days=i) for i in range(span)}
    targets = [target + datetime.timedelta(weeks=n) for n in range(repeat)]
    if any(start <= day < start + datetime.timedelta(days=span) for start in targets for day in source_days):
        raise DomainError(_("Choisissez une date d'arrivée différente du modèle copié."), field="target")
    slots = list(Slot.objects.filter(author=actor, school_class=school_class, date__in=source_days))
    if not slots:
        raise DomainError(_("Il n'y a aucune séance à copier à cette date."), field="source")
    plan: dict[datetime.date, list] = {}
    for start in targets:
        for day in range(span):
            contents = [s.content() for s in slots if s.date == source + datetime.timedelta(days=day)]
            if contents:
                plan[start + datetime.timedelta(days=day)] = contents
    with transaction.atomic():
        created = _lay_out(actor, school_class, plan, replace=replace)
        audit.record(
            actor,
            "journal.days_copied",
            target=school_class,
            school_id=school_class.school_id,
            source=str(source),
            target_day=str(target),
            week=week,
            repeat=repeat,
        )
    return created


def share_journal(actor, *, replacement: Person, starts_on: datetime.date, ends_on: datetime.date) -> JournalShare:
    """Lend the actor's journal, read-only, to a replacement of their school for some days.

    The replacement is told (a notice); the loan ends by itself after `ends_on`.
    """
    if not policy.keeps_journal(actor):
        raise NotAllowed(_("Vous n'avez pas de classe cette année."))
    if not policy.may_be_replacement(actor, replacement):
        raise DomainError(_("Choisissez un enseignant de votre école."), field="replacement")
    if ends_on < starts_on:
        raise DomainError(_("La fin du remplacement doit suivre son début."), field="ends_on")
    if ends_on < timezone.localdate():
        raise DomainError(_("Ces dates sont passées."), field="ends_on")
    if (ends_on - starts_on).days >= settings.PREAU_JOURNAL_MAX_SHARE_DAYS:
        raise DomainError(
            _("Un prêt dure au plus %(n)d jours.") % {"n": settings.PREAU_JOURNAL_MAX_SHARE_DAYS}, field="ends_on"
        )
    school_ids = policy.taught_school_ids(actor)
    school_id = replacement.roles.filter(school_id__in=school_ids).values_list("school_id", flat=True).first()
    with transaction.atomic():
        share = JournalShare.objects.create(
            author=actor, replacement=replacement, school_id=school_id, starts_on=starts_on, ends_on=ends_on
        )
        audit.record(
            actor,
            "journal.shared",
            target=share,
            subject=replacement,
            school_id=school_id,
            starts_on=str(starts_on),
            ends_on=str(ends_on),
        )
        notices.announce(
            "journal.shared",
            [replacement.pk],
            title=_("%(name)s vous prête son cahier journal du %(start)s au %(end)s")
            % {"name": actor.full_name, "start": date_format(starts_on, "j F"), "end": date_format(ends_on, "j F Y")},
            url=reverse("journal:shared", args=[share.pk]),
            actor_id=actor.pk,
            school_id=school_id,
        )
    return share


def revoke_share(actor, share: JournalShare) -> JournalShare:
    """Stop a loan before its end: its author only."""
    if share.author_id != actor.pk:
        raise NotAllowed(_("Ce partage n'est pas le vôtre."))
    if not policy.is_running(share):
        raise DomainError(_("Ce partage est déjà terminé."))
    with transaction.atomic():
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        audit.record(actor, "journal.share_revoked", target=share, subject=share.replacement, school_id=share.school_id)
    return share


def record_shared_read(actor, share: JournalShare, day: datetime.date) -> None:
    """Journal that a replacement read a lent journal (a teacher's personal work)."""
    if not policy.can_read_shared(actor, share):
        raise NotAllowed(_("Ce cahier journal ne vous est pas prêté."))
    audit.record(
        actor, "journal.shared_read", target=share, subject=share.author, school_id=share.school_id, day=str(day)
    )


def _homework_content(slot: Slot) -> str:
    paragraphs = [f"<p><strong>{escape(slot.title)}</strong></p>"]
    if slot.objectives:
        objectives = "<br>".join(escape(line) for line in slot.objectives.splitlines() if line.strip())
        paragraphs.append(f"<p>{escape(_('Objectifs :'))}<br>{objectives}</p>")
    return "".join(paragraphs)


def report_slot_to_homework(actor, slot: Slot) -> int:
    """Write the session in the class's cahier de textes, in one step, and remember the entry.

    Calls the homework app's public action (the one import of another service that issue 5
    allows), which checks its own policy and tells the families. What is sent: the date, the
    discipline, the title and the objectives; never the organisation, material, assessment
    or bilan, which stay the teacher's own.
    """
    if not policy.is_author(actor, slot):
        raise NotAllowed(_("Cette séance n'est pas dans votre cahier journal."))
    if slot.homework_entry_id is not None:
        raise DomainError(_("Cette séance est déjà dans le cahier de textes."))
    _check_class(actor, slot.school_class)
    with transaction.atomic():
        locked = Slot.objects.select_for_update().get(pk=slot.pk)
        if locked.homework_entry_id is not None:
            raise DomainError(_("Cette séance est déjà dans le cahier de textes."))
        entry_id = create_entry_from_journal(
            actor,
            school_class=slot.school_class,
            date=slot.date,
            subject=slot.subject,
            title=slot.title,
            content_html=_homework_content(slot),
        )
        slot.homework_entry_id = entry_id
        slot.save(update_fields=["homework_entry_id", "updated_at"])
        audit.record(
            actor, "journal.reported_to_homework", target=slot, school_id=slot.school_class.school_id, entry=entry_id
        )
    return entry_id


# --- End of a school's data (core.school_data) ---------------------------------------------------


def erase_school_data(school_id: int) -> int:
    """Delete the slots planned for the school's classes and the loans made in the school.

    A teacher's day templates stay: they are the teacher's own, bound to no class, and go
    with them to their other school. Rows deleted; idempotent (`core.school_data`).
    """
    deleted = Slot.objects.filter(school_class__school_id=school_id).delete()[0]
    return deleted + JournalShare.objects.filter(school_id=school_id).delete()[0]
