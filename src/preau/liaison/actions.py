"""Every write of the cahier de liaison: policy, one transaction, journal, events, notices."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from preau.core import audit, events, notices
from preau.core.errors import DomainError, NotAllowed
from preau.core.richtext import clean_html, plain_text
from preau.directory.models import Commune, GuardianLink, School
from preau.directory.queries import access_of, guardian_ids_of

from . import policy, queries
from .models import Acknowledgement, Note, NoteChild, Reading, Reminder, Reply

FormKind = Note.FormKind
MAX_OPTIONS = 8


def when(at: datetime.datetime) -> str:
    """The one way this app writes a moment: "3 mars 2026 à 18:02"."""
    return date_format(timezone.localtime(at), "j F Y à H:i")


def _clean_form(form_kind: str, question: str, options: list[str]) -> tuple[str, list[str]]:
    if form_kind not in FormKind.values:
        raise DomainError(_("Ce type de question n'existe pas."), field="form_kind")
    question = question.strip()
    if not form_kind:
        return "", []
    if not question:
        raise DomainError(_("Écrivez la question posée aux familles."), field="question")
    if form_kind == FormKind.YES_NO:
        return question, []
    cleaned = list(dict.fromkeys(option.strip()[:200] for option in options if option.strip()))
    if not 2 <= len(cleaned) <= MAX_OPTIONS:
        raise DomainError(
            _("Proposez entre 2 et %(max)d réponses différentes, une par ligne.") % {"max": MAX_OPTIONS},
            field="options",
        )
    return question, cleaned


def _chosen_targets(actor, target_keys: list[str]) -> list[queries.Target]:
    allowed = {target.key: target for target in queries.writing_targets(actor)}
    if any(key not in allowed for key in target_keys):
        raise NotAllowed(_("Vous ne pouvez pas écrire à ces destinataires."))
    return [allowed[key] for key in dict.fromkeys(target_keys)]


def _origin_of(targets: list[queries.Target], pupil_schools: set[int]) -> tuple[str, int]:
    """The note's origin and its one school or commune; mixing them is refused."""
    origins = {target.origin for target in targets} | ({Note.Origin.SCHOOL} if pupil_schools else set())
    if len(origins) != 1:
        raise DomainError(
            _("Un mot vient soit de l'école, soit de la commune : choisissez des destinataires de l'une ou l'autre.")
        )
    if origins == {Note.Origin.SCHOOL}:
        structures = {target.school_id for target in targets} | pupil_schools
        message = _("Un mot s'adresse aux familles d'une seule école.")
    else:
        structures = {target.commune_id for target in targets}
        message = _("Un mot de la commune s'adresse aux familles d'une seule commune.")
    if len(structures) != 1:
        raise DomainError(message)
    return origins.pop(), structures.pop()


def publish_note(
    actor,
    *,
    target_keys: list[str],
    pupil_ids: list[int] = (),
    title: str,
    body: str,
    requires_ack: bool = False,
    allows_reply: bool = False,
    form_kind: str = "",
    question: str = "",
    options: list[str] = (),
) -> Note:
    """A teacher, a director or a commune's writer sends a note to the families of classes, a
    school, groups, chosen children or the commune's schools (policy.py says which).

    Creates the note and one row per child targeted; journals `liaison.note_published`;
    tells the children's guardians (notice `liaison.note`) and emits `liaison.note_published`.
    """
    access = access_of(actor)
    targets = _chosen_targets(actor, list(target_keys))
    pupil_ids = sorted({int(pupil_id) for pupil_id in pupil_ids})
    pupil_schools: set[int] = set()
    pupil_labels: list[str] = []
    if pupil_ids:
        writable = {e.pupil_id: e for e in queries.pupils_writable_by(actor).filter(pupil_id__in=pupil_ids)}
        if set(pupil_ids) - set(writable):
            raise NotAllowed(_("Vous ne pouvez pas écrire à la famille de cet élève."))
        pupil_schools = {writable[pupil_id].school_class.school_id for pupil_id in pupil_ids}
        pupil_labels = [writable[pupil_id].pupil.full_name for pupil_id in pupil_ids]
    if not targets and not pupil_ids:
        raise DomainError(_("Choisissez au moins un destinataire."), field="targets")
    origin, structure_id = _origin_of(targets, pupil_schools)
    title, body = title.strip(), clean_html(body)
    if not title or not plain_text(body):
        raise DomainError(_("Un mot a un titre et un texte."))
    question, options = _clean_form(form_kind, question, list(options))
    recipients = queries.recipients_of(targets, pupil_ids, year=access.year)
    if not recipients:
        raise DomainError(_("Aucun élève n'est inscrit parmi ces destinataires cette année."), field="targets")
    if origin == Note.Origin.SCHOOL:
        school = School.objects.get(pk=structure_id)
        place = {"school": school, "source_label": _("École %(name)s") % {"name": school.name}}
    else:
        commune = Commune.objects.get(pk=structure_id)
        place = {"commune": commune, "source_label": _("Commune de %(name)s — périscolaire") % {"name": commune.name}}
    now = timezone.now()
    with transaction.atomic():
        note = Note.objects.create(
            origin=origin,
            year=access.year,
            author=actor,
            author_label=actor.full_name,
            audience_label=", ".join([target.label for target in targets] + pupil_labels)[:500],
            class_ids=sorted({class_id for class_id in recipients.values() if class_id}),
            title=title[:200],
            body=body,
            requires_ack=requires_ack,
            allows_reply=allows_reply,
            form_kind=form_kind,
            question=question,
            options=options,
            published_at=now,
            **place,
        )
        NoteChild.objects.bulk_create(
            NoteChild(note=note, pupil_id=pupil_id, school_class_id=class_id, year=note.year)
            for pupil_id, class_id in recipients.items()
        )
        audit.record(actor, "liaison.note_published", target=note, school_id=note.school_id, children=len(recipients))
        template = _("Nouveau mot à signer : %(title)s") if requires_ack else _("Nouveau mot : %(title)s")
        notices.announce(
            "liaison.note",
            guardian_ids_of(recipients),
            title=template % {"title": note.title},
            url=reverse("liaison:note", args=[note.pk]),
            pupil_ids=list(recipients),
            school_id=note.school_id,
            actor_id=actor.pk,
            body=plain_text(note.body, limit=300),
            group_key=f"liaison:{note.pk}",
        )
        events.emit("liaison.note_published", note_id=note.pk, school_id=note.school_id)
    return note


def _recipient_for_family(actor, note: Note, pupil_id: int) -> NoteChild:
    """The note's row for a child of `actor`; a forged child id is refused, in French."""
    if not policy.is_guardian_of(actor, pupil_id):
        raise NotAllowed(_("Cet enfant ne fait pas partie de vos enfants."))
    recipient = NoteChild.objects.filter(note=note, pupil_id=pupil_id).select_related("pupil").first()
    if recipient is None:
        raise NotAllowed(_("Ce mot ne s'adresse pas à cet enfant."))
    return recipient


def _check_answer(note: Note, answer: str) -> str:
    answer = (answer or "").strip()
    if answer not in note.answer_choices:
        raise DomainError(_("Choisissez une des réponses proposées."), field="answer")
    return answer


def _already_signed(recipient: NoteChild, acknowledgement: Acknowledgement) -> DomainError:
    return DomainError(
        _("Ce mot est déjà signé pour %(child)s par %(who)s le %(when)s.")
        % {"child": recipient.pupil.first_name, "who": acknowledgement.guardian_label, "when": when(acknowledgement.at)}
    )


def sign_note(actor, note: Note, *, pupil_id: int, answer: str | None = None) -> Acknowledgement:
    """A legal guardian of the child acknowledges the note for that child, once and for good.

    When the note asks a question, its answer comes with the signature (unless a guardian
    already gave one). Journals `liaison.note_signed`, emits `liaison.note_signed`.
    """
    recipient = _recipient_for_family(actor, note, pupil_id)
    if not note.requires_ack:
        raise DomainError(_("Ce mot ne demande pas de signature."))
    existing = Acknowledgement.objects.filter(recipient=recipient).first()
    if existing is not None:
        raise _already_signed(recipient, existing)
    if not GuardianLink.objects.filter(guardian=actor, child_id=pupil_id, parental_authority=True).exists():
        raise NotAllowed(_("Seul un responsable légal de l'enfant peut signer ce mot."))
    if note.has_form and answer is None and not recipient.answer:
        raise DomainError(_("Répondez à la question avant de signer."), field="answer")
    answer = _check_answer(note, answer) if note.has_form and answer is not None else None
    now = timezone.now()
    try:
        with transaction.atomic():
            acknowledgement = Acknowledgement.objects.create(
                recipient=recipient, guardian=actor, guardian_label=actor.full_name, at=now
            )
            if answer is not None:
                _save_answer(recipient, actor, answer, now)
            audit.record(actor, "liaison.note_signed", target=note, subject=recipient.pupil, school_id=note.school_id)
            events.emit("liaison.note_signed", note_id=note.pk, pupil_id=pupil_id, guardian_id=actor.pk)
    except IntegrityError:
        # Another guardian signed for this child at the same moment: theirs is the signature.
        raise _already_signed(recipient, Acknowledgement.objects.get(recipient=recipient)) from None
    return acknowledgement


def _save_answer(recipient: NoteChild, actor, answer: str, now: datetime.datetime) -> None:
    recipient.answer, recipient.answered_by, recipient.answered_at = answer, actor, now
    recipient.save(update_fields=["answer", "answered_by", "answered_at"])


def answer_note(actor, note: Note, *, pupil_id: int, answer: str) -> NoteChild:
    """A guardian answers the note's question for one child (and may change the answer;
    each answer is journaled as `liaison.form_answered`)."""
    recipient = _recipient_for_family(actor, note, pupil_id)
    if not note.has_form:
        raise DomainError(_("Ce mot ne pose pas de question."))
    answer = _check_answer(note, answer)
    with transaction.atomic():
        _save_answer(recipient, actor, answer, timezone.now())
        audit.record(
            actor,
            "liaison.form_answered",
            target=note,
            subject=recipient.pupil,
            school_id=note.school_id,
            answer=answer,
        )
        events.emit("liaison.form_answered", note_id=note.pk, pupil_id=pupil_id)
    return recipient


def mark_note_read(person, recipient: NoteChild) -> bool:
    """The guardian or the pupil opened the note in the child's notebook (not journaled: it is
    their own reading). Returns whether it was the first time."""
    if not policy.can_read_in_notebook(person, recipient):
        raise NotAllowed(_("Ce mot ne fait pas partie de vos cahiers."))
    reading = Reading.objects.get_or_create(recipient=recipient, person=person, defaults={"at": timezone.now()})
    return reading[1]


def reply_to_note(actor, note: Note, *, pupil_id: int, body: str) -> Reply:
    """A message about the note for one child, between the child's family and the staff who
    follow the child. Guardians reply only when the note allows it. Tells the other side
    (notice `liaison.reply`), journals `liaison.replied`."""
    recipient = NoteChild.objects.filter(note=note, pupil_id=pupil_id).select_related("pupil").first()
    if recipient is None or not policy.can_see_replies(actor, note, recipient):
        raise NotAllowed(_("Ce mot ne s'adresse pas à cet enfant."))
    if not policy.can_reply(actor, note, recipient):
        raise NotAllowed(_("Ce mot n'attend pas de réponse."))
    body = body.strip()
    limit = settings.PREAU_LIAISON_REPLY_MAX_LENGTH
    if not body:
        raise DomainError(_("Écrivez votre message."), field="body")
    if len(body) > limit:
        raise DomainError(_("Votre message dépasse %(n)d caractères.") % {"n": limit}, field="body")
    from_family = policy.is_guardian_of(actor, pupil_id)
    with transaction.atomic():
        reply = Reply.objects.create(
            note=note,
            pupil=recipient.pupil,
            author=actor,
            author_label=actor.full_name,
            from_family=from_family,
            body=body,
            created_at=timezone.now(),
        )
        audit.record(actor, "liaison.replied", target=note, subject=recipient.pupil, school_id=note.school_id)
        if from_family:
            recipients = [note.author_id] if note.author_id else []
            title = _("Réponse de %(who)s pour %(child)s : %(title)s") % {
                "who": actor.full_name,
                "child": recipient.pupil.full_name,
                "title": note.title,
            }
            url = reverse("liaison:child", args=[note.pk, pupil_id])
        else:
            recipients = guardian_ids_of([pupil_id])
            title = _("Réponse de %(who)s : %(title)s") % {"who": actor.full_name, "title": note.title}
            url = f"{reverse('liaison:note', args=[note.pk])}?enfant={pupil_id}"
        notices.announce(
            "liaison.reply",
            recipients,
            title=title,
            url=url,
            pupil_ids=[pupil_id],
            school_id=note.school_id,
            actor_id=actor.pk,
            body=body[:300],
            group_key=f"liaison:{note.pk}:enfant:{pupil_id}",
        )
        events.emit("liaison.replied", note_id=note.pk, pupil_id=pupil_id, reply_id=reply.pk)
    return reply


def remind_families(actor, note: Note) -> Reminder:
    """The author (or the publication director) reminds the families that have not signed.

    At most once per PREAU_LIAISON_REMINDER_HOURS for a note. Tells only the guardians of the
    children not signed for (notice `liaison.reminder`), journals `liaison.reminded`.
    """
    if not policy.can_remind(actor, note):
        raise NotAllowed(_("Seul l'auteur du mot ou le directeur de la publication peut relancer les familles."))
    now = timezone.now()
    interval = datetime.timedelta(hours=settings.PREAU_LIAISON_REMINDER_HOURS)
    pending = list(NoteChild.objects.filter(note=note, acknowledgement__isnull=True).values_list("pupil_id", flat=True))
    if not pending:
        raise DomainError(_("Toutes les familles ont signé : personne à relancer."))
    with transaction.atomic():
        # One conditional update decides, even when two clicks arrive together.
        allowed = (
            Note.objects.filter(pk=note.pk).exclude(last_reminded_at__gt=now - interval).update(last_reminded_at=now)
        )
        if not allowed:
            last = Note.objects.values_list("last_reminded_at", flat=True).get(pk=note.pk)
            raise DomainError(
                _("Les familles ont déjà été relancées le %(last)s ; nouvelle relance possible le %(next)s.")
                % {"last": when(last), "next": when(last + interval)}
            )
        note.last_reminded_at = now
        reminder = Reminder.objects.create(
            note=note, actor=actor, actor_label=actor.full_name, at=now, children=len(pending)
        )
        audit.record(actor, "liaison.reminded", target=note, school_id=note.school_id, children=len(pending))
        notices.announce(
            "liaison.reminder",
            guardian_ids_of(pending),
            title=_("Rappel : mot à signer : %(title)s") % {"title": note.title},
            url=reverse("liaison:note", args=[note.pk]),
            pupil_ids=pending,
            school_id=note.school_id,
            actor_id=actor.pk,
            body=plain_text(note.body, limit=300),
            group_key=f"liaison:{note.pk}:rappel",
        )
        events.emit("liaison.reminded", note_id=note.pk, children=len(pending))
    return reminder


# --- End of a school's data (core.school_data) ---------------------------------------------------


def erase_school_data(school_id: int) -> int:
    """Delete the school's notes (recipients, signatures, answers, readings, replies, reminders)
    and, in the commune's notes, the rows of the children of its classes with their replies.

    The commune's notes themselves stay: the commune answers for them and writes to its other
    schools too. Runs before the classes are deleted (their deletion would only empty
    `school_class`, leaving the rows unattributable). Rows deleted; idempotent.
    """
    deleted = Note.objects.filter(school_id=school_id).delete()[0]
    of_school = NoteChild.objects.filter(school_class__school_id=school_id)
    deleted += Reply.objects.filter(Exists(of_school.filter(note=OuterRef("note"), pupil=OuterRef("pupil")))).delete()[
        0
    ]
    return deleted + of_school.delete()[0]
