"""Every write of the mail itself: drafts, sending, reading, folders, reports.

Sending resolves the recipients at send time (people and lists, through `rules`), checks the
sender's hourly limits and files, then writes the message and one copy per recipient with
`bulk_create` in one transaction: 300 families cost a handful of queries. Notices and events
leave after the commit (`core.notices.announce`, `core.events.emit`).
The rules, suspensions and answering hours are written by `rule_actions.py`.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit, events, notices
from preau.core.errors import DomainError, NotAllowed
from preau.core.files import delete_unused_files
from preau.core.richtext import clean_html, plain_text
from preau.core.uploads import CheckedUpload, check_upload
from preau.directory.models import Person

from . import policy, queries, rules
from .models import Attachment, ClassRule, CommunicationRules, Conversation, Delivery, Message, Report, Suspension
from .recipients import Resolved, person_ids, resolve_recipients, school_of

Box, State = Delivery.Box, Delivery.State
DELIVERY_BATCH = 1000


# --- Checks shared by drafts and sending ------------------------------------------------------


def _refuse_if_suspended(actor: Person) -> None:
    refusal = rules.suspension_refusal(actor)
    if refusal is not None:
        raise NotAllowed(refusal)
    if not policy.can_use_messaging(actor):
        raise NotAllowed(_("Votre profil ne permet pas d'écrire de message."))


def _held(actor: Person, message: Message | None) -> Message | None:
    """The message, if the actor holds a copy of it (forged ids change nothing)."""
    if message is None:
        return None
    if queries.delivery_of(actor, message.pk) is None or message.sent_at is None:
        raise NotAllowed(_("Ce message ne vous est pas accessible."))
    return message


def _check_files(actor: Person, files: Sequence, already: int) -> list[CheckedUpload]:
    checked = []
    for upload in files:
        try:
            checked.append(check_upload(upload, max_bytes=settings.PREAU_MESSAGING_MAX_FILE_BYTES))
        except ValidationError as error:
            raise DomainError(error.messages[0], field="files") from error
    if already + len(checked) > settings.PREAU_MESSAGING_MAX_FILES:
        raise DomainError(
            _("Un message emporte au plus %(n)d pièces jointes.") % {"n": settings.PREAU_MESSAGING_MAX_FILES},
            field="files",
        )
    if checked:
        used = queries.quota_used(actor)
        if used + sum(item.size for item in checked) > settings.PREAU_MESSAGING_QUOTA_BYTES:
            raise DomainError(
                _("Ces pièces jointes dépassent votre espace de %(quota)s (%(used)s déjà utilisés).")
                % {
                    "quota": filesizeformat(settings.PREAU_MESSAGING_QUOTA_BYTES),
                    "used": filesizeformat(used),
                },
                field="files",
            )
    return checked


def _attach(actor: Person, message: Message, checked: list[CheckedUpload]) -> None:
    for item in checked:
        attachment = Attachment(
            message=message, uploaded_by=actor, name=item.name, size=item.size, content_type=item.content_type
        )
        attachment.file.save(item.name, item.file, save=False)
        attachment.save()


def _copy_attachments(source: Message, target: Message) -> None:
    Attachment.objects.bulk_create(
        Attachment(
            message=target,
            uploaded_by_id=original.uploaded_by_id,
            file=original.file.name,
            name=original.name,
            size=original.size,
            content_type=original.content_type,
            is_copy=True,
        )
        for original in source.attachments.all()
    )


def _check_hourly_limits(actor: Person, count: int) -> None:
    kind = policy.sender_kind(actor)
    max_messages, max_recipients = settings.PREAU_MESSAGING_HOURLY_LIMITS[kind]
    sent, reached = queries.sent_in_last_hour(actor)
    if sent + 1 > max_messages or reached + count > max_recipients:
        # Journaled outside any transaction: a stolen account trying to spam leaves a trace.
        audit.record(actor, "messaging.limit_reached", kind=kind, sent=sent, reached=reached, asked=count)
        raise DomainError(
            _(
                "Vous avez atteint la limite d'envoi (%(messages)d messages et %(recipients)d destinataires "
                "par heure). Réessayez plus tard, ou adressez-vous à la direction de l'école."
            )
            % {"messages": max_messages, "recipients": max_recipients}
        )


# --- Drafts -------------------------------------------------------------------------------------


def _prepare(
    actor: Person,
    *,
    draft: Message | None,
    subject: str,
    body: str,
    people: Sequence,
    lists: Sequence[str],
    reply_to: Message | None,
    forwarded_from: Message | None,
) -> Message:
    """The draft to fill: the given one (the actor's own) or a new one in its conversation."""
    now = timezone.now()
    if draft is not None:
        if draft.author_id != actor.pk or draft.sent_at is not None:
            raise NotAllowed(_("Ce brouillon ne vous appartient pas."))
        message = draft
    else:
        conversation = (
            reply_to.conversation
            if reply_to is not None
            else Conversation.objects.create(subject=subject[:200] or _("(sans objet)"), started_by=actor)
        )
        message = Message(
            conversation=conversation, author=actor, reply_to=reply_to, forwarded_from=forwarded_from, created_at=now
        )
    message.subject = subject[:200]
    message.body = clean_html(body)
    message.body_text = plain_text(message.body)
    message.draft_recipients = {"people": sorted(person_ids(people)), "lists": list(dict.fromkeys(lists))}
    message.save()
    if draft is None and forwarded_from is not None:
        _copy_attachments(forwarded_from, message)
    return message


def save_draft(
    actor: Person,
    *,
    draft: Message | None = None,
    subject: str = "",
    body: str = "",
    people: Sequence = (),
    lists: Sequence[str] = (),
    files: Sequence = (),
    reply_to: Message | None = None,
    forwarded_from: Message | None = None,
) -> Message:
    """Save what the actor is writing as a draft (new or theirs); files are checked and kept.

    Any person who may use the messagerie; nothing is sent, nobody is told.
    """
    _refuse_if_suspended(actor)
    reply_to, forwarded_from = _held(actor, reply_to), _held(actor, forwarded_from)
    already = draft.attachments.count() if draft is not None else 0
    checked = _check_files(actor, files, already)
    with transaction.atomic():
        message = _prepare(
            actor,
            draft=draft,
            subject=subject,
            body=body,
            people=people,
            lists=lists,
            reply_to=reply_to,
            forwarded_from=forwarded_from,
        )
        _attach(actor, message, checked)
        Delivery.objects.update_or_create(
            message=message,
            person=actor,
            defaults={"box": Box.DRAFT, "state": State.ACTIVE, "sort_at": timezone.now(), "read_at": timezone.now()},
        )
    return message


def remove_attachment(actor: Person, attachment: Attachment) -> None:
    """Take a file off the actor's own draft; the stored file goes too, unless a message
    still carries it (a forwarded file belongs to its original)."""
    if attachment.message.author_id != actor.pk or attachment.message.sent_at is not None:
        raise NotAllowed(_("Cette pièce jointe ne fait pas partie de vos brouillons."))
    with transaction.atomic():
        attachment.delete()
        delete_unused_files(Attachment, "file", [attachment.file.name])


# --- Sending ------------------------------------------------------------------------------------


def send_message(
    actor: Person,
    *,
    subject: str,
    body: str,
    people: Sequence = (),
    lists: Sequence[str] = (),
    files: Sequence = (),
    draft: Message | None = None,
    reply_to: Message | None = None,
    forwarded_from: Message | None = None,
    urgent: bool = False,
) -> Message:
    """Send a message to people and lists the rules allow, now.

    Refuses (French message, nothing changes) a suspended sender, a recipient or list the rules
    forbid, a sender over their hourly limits, a bad file or a full quota, "urgent" from anyone
    but the school's director. Journals `messaging.sent` (and `messaging.urgent`), emits
    `messaging.sent` and the notice `messaging.message` to the recipients.
    """
    _refuse_if_suspended(actor)
    reply_to, forwarded_from = _held(actor, reply_to), _held(actor, forwarded_from)
    if draft is not None:
        reply_to, forwarded_from = draft.reply_to, draft.forwarded_from
    subject = (subject or "").strip()
    if not subject:
        raise DomainError(_("Donnez un objet à votre message."), field="subject")
    already = draft.attachments.count() if draft is not None else 0
    if not plain_text(clean_html(body)) and not (files or already or forwarded_from):
        raise DomainError(_("Écrivez votre message."), field="body")
    resolved = resolve_recipients(actor, people, lists, reply_to)
    school_id = school_of(actor, resolved, reply_to)
    if urgent and not policy.can_mark_urgent_in(actor, school_id):
        raise NotAllowed(_("Seule la direction de l'école peut envoyer un message urgent."))
    checked = _check_files(actor, files, already)
    _check_hourly_limits(actor, len(resolved.recipients))
    with transaction.atomic():
        message = _prepare(
            actor,
            draft=draft,
            subject=subject,
            body=body,
            people=people,
            lists=lists,
            reply_to=reply_to,
            forwarded_from=forwarded_from,
        )
        _attach(actor, message, checked)
        _deliver(actor, message, resolved, school_id, urgent)
    return message


def _deliver(actor: Person, message: Message, resolved: Resolved, school_id: int | None, urgent: bool) -> None:
    now = timezone.now()
    message.sent_at = now
    message.school_id = school_id
    message.urgent = urgent
    message.lists = resolved.list_summaries
    message.recipients_label = resolved.label
    message.recipient_count = len(resolved.recipients)
    message.pupil_ids = sorted(resolved.pupil_ids)
    message.search_document = f"{message.subject}\n{actor.full_name}\n{message.body_text}"
    message.save()
    conversation = message.conversation
    if conversation.school_id is None and school_id:
        Conversation.objects.filter(pk=conversation.pk).update(school_id=school_id)
    if message.reply_to_id is None:
        Conversation.objects.filter(pk=conversation.pk).update(subject=message.subject)
    Delivery.objects.filter(message=message, person=actor).delete()
    Delivery.objects.bulk_create(
        [
            Delivery(message=message, person=actor, box=Box.SENT, read_at=now, sort_at=now),
            *(
                Delivery(
                    message=message,
                    person_id=person_id,
                    box=Box.INBOX,
                    hidden=recipient.hidden,
                    is_family=recipient.is_family,
                    via_list=recipient.via_list,
                    sort_at=now,
                )
                for person_id, recipient in resolved.recipients.items()
            ),
        ],
        batch_size=DELIVERY_BATCH,
    )
    audit.record(
        actor,
        "messaging.sent",
        target=message,
        school_id=school_id,
        recipients=message.recipient_count,
        lists=[item["code"] for item in resolved.list_summaries],
        urgent=urgent,
    )
    if urgent:
        audit.record(actor, "messaging.urgent", target=message, school_id=school_id)
    url = reverse("messaging:conversation", args=[conversation.pk]) + f"#message-{message.pk}"
    notices.announce(
        "messaging.message",
        resolved.recipients.keys(),
        title=_("Nouveau message de %(author)s : %(subject)s")
        % {"author": actor.full_name, "subject": message.subject},
        url=url,
        actor_id=actor.pk,
        school_id=school_id,
        pupil_ids=sorted(resolved.pupil_ids),
        body=plain_text(message.body, 300),
        group_key=f"conversation:{conversation.pk}",
        urgent=urgent,
    )
    events.emit(
        "messaging.sent",
        message_id=message.pk,
        conversation_id=conversation.pk,
        author_id=actor.pk,
        school_id=school_id,
        recipient_count=message.recipient_count,
    )


# --- Reading and folders ------------------------------------------------------------------------


def mark_conversation_read(actor: Person, conversation: Conversation) -> int:
    """Mark the actor's unread copies of the conversation read (read receipts). One query."""
    messages = Message.objects.filter(conversation=conversation).values("pk")
    return Delivery.objects.filter(message_id__in=messages, person=actor, box=Box.INBOX, read_at__isnull=True).update(
        read_at=timezone.now()
    )


FILING = {
    # operation: (states it applies to, new state)
    "archiver": ({State.ACTIVE}, State.ARCHIVED),
    "desarchiver": ({State.ARCHIVED}, State.ACTIVE),
    "supprimer": ({State.ACTIVE, State.ARCHIVED}, State.TRASHED),
    "restaurer": ({State.TRASHED}, State.ACTIVE),
    "effacer": ({State.TRASHED}, State.PURGED),
}


def file_delivery(actor: Person, delivery: Delivery, operation: str) -> Delivery:
    """Archive, unarchive, delete (to the trash), restore or erase (from the trash) one copy.

    Only the actor's own copy changes; the message stays for the others and the retention.
    """
    if delivery.person_id != actor.pk:
        raise NotAllowed(_("Ce message ne vous est pas accessible."))
    if operation == "non-lu":
        if delivery.box != Box.INBOX:
            raise DomainError(_("Seul un message reçu peut être marqué non lu."))
        delivery.read_at = None
        delivery.save(update_fields=["read_at"])
        return delivery
    if operation not in FILING:
        raise DomainError(_("Cette opération n'existe pas."))
    sources, target = FILING[operation]
    if delivery.state not in sources:
        raise DomainError(_("Ce message n'est pas dans un dossier où cette opération s'applique."))
    delivery.state = target
    delivery.state_changed_at = timezone.now()
    delivery.save(update_fields=["state", "state_changed_at"])
    if target == State.PURGED:
        audit.record(actor, "messaging.erased", target=delivery.message)
    return delivery


def empty_trash(actor: Person) -> int:
    """Erase every copy in the actor's trash, for them only (the messages stay, see retention)."""
    with transaction.atomic():
        count = Delivery.objects.filter(person=actor, state=State.TRASHED).update(
            state=State.PURGED, state_changed_at=timezone.now()
        )
        if count:
            audit.record(actor, "messaging.trash_emptied", copies=count)
    return count


# --- Reports ------------------------------------------------------------------------------------


def report_message(actor: Person, message: Message, reason: str) -> Report:
    """A recipient reports a message to the moderation (conventions, art. 6).

    Journals `messaging.reported` and emits the event `messaging.reported` with the report,
    message and school ids, from which the moderation app builds its queue.
    """
    delivery = queries.delivery_of(actor, message.pk)
    if delivery is None or delivery.box != Box.INBOX:
        raise NotAllowed(_("Vous ne pouvez signaler qu'un message que vous avez reçu."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Dites en quelques mots ce qui pose problème."), field="reason")
    if Report.objects.filter(message=message, reporter=actor).exists():
        raise DomainError(_("Vous avez déjà signalé ce message ; la direction en est informée."))
    with transaction.atomic():
        report = Report.objects.create(message=message, reporter=actor, school_id=message.school_id, reason=reason)
        audit.record(actor, "messaging.reported", target=message, subject=message.author, school_id=message.school_id)
        events.emit("messaging.reported", report_id=report.pk, message_id=message.pk, school_id=message.school_id)
    return report


# --- Retention ----------------------------------------------------------------------------------


def purge_expired_messages(now=None) -> int:
    """Delete the messages sent before the retention period that nobody holds any more.

    A message some person still keeps (in any folder), or that was reported, stays. Files no
    remaining attachment points to are deleted from storage once the purge has committed.
    Run by `preau purge_messages`.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.PREAU_MESSAGING_RETENTION_DAYS)
    kept = Delivery.objects.filter(message=OuterRef("pk")).exclude(state=State.PURGED)
    expired = Message.objects.filter(sent_at__lt=cutoff).exclude(Exists(kept)).exclude(reports__isnull=False)
    with transaction.atomic():
        ids = list(expired.values_list("pk", flat=True))
        files = set(Attachment.objects.filter(message_id__in=ids).values_list("file", flat=True))
        Message.objects.filter(reply_to_id__in=ids).update(reply_to=None)
        Message.objects.filter(forwarded_from_id__in=ids).update(forwarded_from=None)
        Message.objects.filter(pk__in=ids).delete()
        Conversation.objects.filter(messages__isnull=True, created_at__lt=cutoff).delete()
        delete_unused_files(Attachment, "file", files)
        if ids:
            audit.record(None, "messaging.purged", messages=len(ids))
    return len(ids)


# --- End of a school's data (core.school_data) ---------------------------------------------------


def erase_school_data(school_id: int) -> int:
    """Delete the school's own state: its communication rules, its classes' rules and the
    suspensions its director decided.

    Messages are kept, with their attachments and reports: each belongs to its author's and
    recipients' mailboxes, some of whom remain elsewhere, for the legal retention period
    (`purge_expired_messages` deletes them when nobody holds them any more). Their `school`
    only scoped them. The recipient lists are computed from the directory, never stored.
    Rows deleted; idempotent (`core.school_data`).
    """
    deleted = CommunicationRules.objects.filter(school_id=school_id).delete()[0]
    deleted += ClassRule.objects.filter(school_class__school_id=school_id).delete()[0]
    return deleted + Suspension.objects.filter(school_id=school_id).delete()[0]
