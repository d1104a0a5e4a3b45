"""Cahier de liaison: data and invariants.

A note (`Note`, *un mot*) is written once, by a school's teacher or director or by a
commune's staff, and is addressed to children: its recipients (`NoteChild`) are the children
targeted when it was published, one row each, with the class they were in. Each child's
family acknowledges it once (`Acknowledgement`, never changed nor removed), answers its
question if it asks one, and may exchange replies (`Reply`) with the staff of the class.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Commune, Person, School, SchoolClass


class Note(models.Model):
    class Origin(models.TextChoices):
        SCHOOL = "ecole", _("école")
        COMMUNE = "commune", _("commune (périscolaire)")

    class FormKind(models.TextChoices):
        NONE = "", _("aucune question")
        YES_NO = "oui_non", _("une question oui / non")
        CHOICE = "choix", _("un choix parmi des réponses")

    origin = models.CharField(_("origine"), max_length=8, choices=Origin.choices)
    # A school note belongs to one school, a commune note to one commune: its publication
    # director (the school's director, the commune's référent) answers for it.
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("année scolaire"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("auteur")
    )
    author_label = models.CharField(_("auteur (texte)"), max_length=200)
    # "École E.P.PU Bourtoulets" or "Commune de Lannemezan — périscolaire".
    source_label = models.CharField(_("origine (texte)"), max_length=250)
    # "CE1 A, Léa Fourcade": whom it was addressed to, as the author chose.
    audience_label = models.CharField(_("destinataires"), max_length=500)
    # The classes of its recipients: who follows it without a query (policy.can_follow_note).
    class_ids = models.JSONField(default=list)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))  # clean HTML (core.richtext)
    requires_ack = models.BooleanField(_("signature demandée"), default=False)
    allows_reply = models.BooleanField(_("réponse possible"), default=False)
    form_kind = models.CharField(_("question"), max_length=8, choices=FormKind.choices, blank=True, default="")
    question = models.CharField(_("intitulé de la question"), max_length=300, blank=True)
    options = models.JSONField(_("réponses proposées"), default=list, blank=True)
    published_at = models.DateTimeField(_("publié le"), db_index=True)
    last_reminded_at = models.DateTimeField(_("dernière relance"), null=True, blank=True)

    class Meta:
        verbose_name = _("mot du cahier de liaison")
        verbose_name_plural = _("mots du cahier de liaison")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["author", "year"]),
            models.Index(fields=["school", "year"]),
            models.Index(fields=["commune", "year"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin="ecole", school__isnull=False, commune__isnull=True)
                | Q(origin="commune", commune__isnull=False, school__isnull=True),
                name="liaison_note_origin_matches_structure",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_from_commune(self) -> bool:
        return self.origin == self.Origin.COMMUNE

    @property
    def has_form(self) -> bool:
        return bool(self.form_kind)

    @property
    def answer_choices(self) -> list[str]:
        if self.form_kind == self.FormKind.YES_NO:
            return [str(_("Oui")), str(_("Non"))]
        return list(self.options)


class NoteChild(models.Model):
    """One child a note is addressed to: their family reads, signs and answers it here."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="recipients")
    pupil = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # The child's class when the note was published (the teachers of this class follow it).
    school_class = models.ForeignKey(SchoolClass, null=True, on_delete=models.SET_NULL, related_name="+")
    year = models.PositiveSmallIntegerField()
    answer = models.CharField(_("réponse"), max_length=200, blank=True)
    answered_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enfant destinataire")
        verbose_name_plural = _("enfants destinataires")
        constraints = [models.UniqueConstraint(fields=["note", "pupil"], name="liaison_one_row_per_child")]
        indexes = [models.Index(fields=["pupil", "year"]), models.Index(fields=["note", "school_class"])]

    def __str__(self) -> str:
        return f"{self.note} → {self.pupil}"


class Acknowledgement(models.Model):
    """A guardian's signature for one child: one per child and note, never changed."""

    recipient = models.OneToOneField(NoteChild, on_delete=models.CASCADE, related_name="acknowledgement")
    guardian = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    # Kept as text: the signature still says who once the account is gone.
    guardian_label = models.CharField(_("signé par"), max_length=200)
    at = models.DateTimeField(_("signé le"))

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.recipient} — {self.guardian_label}"


class Reading(models.Model):
    """A person (guardian or the pupil) opened a note in a child's notebook."""

    recipient = models.ForeignKey(NoteChild, on_delete=models.CASCADE, related_name="readings")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "person"], name="liaison_one_reading")]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.person}"


class Reply(models.Model):
    """A message about a note between one child's family and the staff who follow it."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="replies")
    pupil = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=200)
    from_family = models.BooleanField()
    body = models.TextField(_("message"))  # plain text
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["note", "pupil", "created_at"])]

    def __str__(self) -> str:
        return f"{self.note} — {self.author_label}"


class Reminder(models.Model):
    """The author reminded the families that had not signed yet."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="reminders")
    actor = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200)
    at = models.DateTimeField()
    children = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.note} — {self.at:%Y-%m-%d %H:%M}"
