"""Messagerie: data and invariants.

One `Message` is written once, by its author; each person it concerns holds a `Delivery` (their
own copy: read or not, in which folder, trashed or not). The author's own copy lives in
"envoyés" (or "brouillons" while it is a draft). Deleting, archiving, reading and emptying the
trash touch a delivery only: the message itself, with its author and the list of its
deliveries, stays for the legal retention period (see DECISIONS.md).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Academie, Person, School, SchoolClass


class CommunicationRules(models.Model):
    """Who may write to whom, for an académie (its default) or for one school (its own choice).

    A school without its own row follows its académie's row, and an académie without one the
    defaults below. Each field is a yes/no the académie administrator or the director decides.
    """

    academie = models.OneToOneField(
        Academie, null=True, blank=True, on_delete=models.CASCADE, related_name="communication_rules"
    )
    school = models.OneToOneField(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="communication_rules"
    )
    pupils_write_teachers = models.BooleanField(_("les élèves écrivent à leurs enseignant·es"), default=True)
    pupils_write_classmates = models.BooleanField(
        _("les enseignant·es peuvent permettre à leurs élèves de s'écrire entre camarades de classe"), default=True
    )
    parents_write_families = models.BooleanField(
        _("les familles écrivent aux autres familles de l'école"), default=False
    )
    parents_write_representatives = models.BooleanField(
        _("les familles écrivent aux parents élus de l'école"), default=True
    )
    representatives_write_families = models.BooleanField(
        _("les parents élus écrivent à toutes les familles de l'école"), default=False
    )
    commune_staff_write_families = models.BooleanField(
        _("le personnel de la commune (périscolaire) et les familles s'écrivent"), default=True
    )
    teachers_write_school_families = models.BooleanField(
        _("les enseignant·es écrivent aux familles de toute l'école, pas seulement de leurs classes"),
        default=False,
    )
    updated_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    RULE_FIELDS = (
        "pupils_write_teachers",
        "pupils_write_classmates",
        "parents_write_families",
        "parents_write_representatives",
        "representatives_write_families",
        "commune_staff_write_families",
        "teachers_write_school_families",
    )

    class Meta:
        verbose_name = _("règles de communication")
        verbose_name_plural = _("règles de communication")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(academie__isnull=False, school__isnull=True) | Q(academie__isnull=True, school__isnull=False)
                ),
                name="messaging_rules_one_scope",
            )
        ]

    def __str__(self) -> str:
        return str(self.school or self.academie)


class ClassRule(models.Model):
    """A teacher's choice for one class: may its pupils write to each other?"""

    school_class = models.OneToOneField(SchoolClass, on_delete=models.CASCADE, related_name="messaging_rule")
    pupils_write_classmates = models.BooleanField(_("les élèves de la classe s'écrivent entre eux"), default=False)
    updated_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("règle de classe")
        verbose_name_plural = _("règles de classe")

    def __str__(self) -> str:
        return str(self.school_class)


class Suspension(models.Model):
    """A director took away a person's right to write (mail and chat) until they lift it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="messaging_suspensions")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="messaging_suspensions")
    reason = models.CharField(_("motif"), max_length=500)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("suspension d'écriture")
        verbose_name_plural = _("suspensions d'écriture")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "lifted_at"], name="messaging_suspension_active")]

    def __str__(self) -> str:
        return f"{self.person} — {self.school}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class AnsweringHours(models.Model):
    """When a teacher answers messages, shown to parents who write to them."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="answering_hours")
    # ISO weekdays, "12345" = Monday to Friday.
    days = models.CharField(_("jours"), max_length=7, default="12345")
    start = models.TimeField(_("à partir de"))
    end = models.TimeField(_("jusqu'à"))
    note = models.CharField(_("précision"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("heures de réponse")
        verbose_name_plural = _("heures de réponse")

    def __str__(self) -> str:
        return str(self.person)


class Conversation(models.Model):
    """A thread: the first message and its replies share it."""

    subject = models.CharField(_("objet"), max_length=200)
    started_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="messages")
    # Kept with its author for the legal retention period, whatever the recipients delete.
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authored_messages")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"), blank=True)  # clean HTML (core.richtext)
    body_text = models.TextField(blank=True)  # its words, for previews and e-mails
    # Subject, author and words together: what the search reads (a French full-text index on
    # PostgreSQL, see migration 0002).
    search_document = models.TextField(blank=True)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    forwarded_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forwards"
    )
    # What the author chose, kept for the draft and shown to them: {"people": [ids], "lists": [codes]}.
    draft_recipients = models.JSONField(default=dict, blank=True)
    # Set at send time: the lists as they were resolved [{"code", "label", "count", "hidden"}]
    # and a one-line summary shown in folders ("Parents de CE1 A, Mme Martin").
    lists = models.JSONField(default=list, blank=True)
    recipients_label = models.CharField(max_length=300, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    pupil_ids = models.JSONField(default=list, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["author", "sent_at"], name="messaging_author_sent")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_draft(self) -> bool:
        return self.sent_at is None


class Delivery(models.Model):
    """One person's copy of a message: in their inbox, their sent folder or their drafts."""

    class Box(models.TextChoices):
        INBOX = "inbox", _("reçus")
        SENT = "sent", _("envoyés")
        DRAFT = "draft", _("brouillons")

    class State(models.TextChoices):
        ACTIVE = "active", _("dans sa boîte")
        ARCHIVED = "archived", _("archivé")
        TRASHED = "trashed", _("dans la corbeille")
        # Gone for this person (trash emptied); the row stays so that who received what is known.
        PURGED = "purged", _("supprimé")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="message_deliveries")
    box = models.CharField(max_length=5, choices=Box.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACTIVE)
    # Not shown to the other recipients (families, large lists).
    hidden = models.BooleanField(default=False)
    # A parent of a pupil: read receipts count them ("lu par 18 parents sur 24").
    is_family = models.BooleanField(default=False)
    via_list = models.CharField(max_length=60, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    sort_at = models.DateTimeField(default=timezone.now)  # when it arrived (or was last saved)
    state_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("exemplaire")
        verbose_name_plural = _("exemplaires")
        constraints = [models.UniqueConstraint(fields=["message", "person"], name="messaging_delivery_unique")]
        indexes = [
            models.Index(fields=["person", "state", "box", "-sort_at", "-id"], name="messaging_folder"),
            models.Index(fields=["person", "message"], name="messaging_person_message"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.message}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the file's own name is kept in `name` and given back on download only.
    return f"messaging/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    # Who uploaded the file: their quota counts it (a forwarded copy points to the same file).
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    is_copy = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """A recipient's report of a message, for the moderation queue (conventions, art. 6)."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("motif"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [models.UniqueConstraint(fields=["message", "reporter"], name="messaging_report_once")]

    def __str__(self) -> str:
        return f"{self.message} — {self.reporter}"
