"""Cahier de textes: data and invariants.

A class's cahier de textes holds two kinds of writing, both per class (a teacher writing for
several classes at once makes one row per class, so that each class's history stands alone):

- `Entry`, a séance: what was done on a date in a subject;
- `Work`, a travail à faire: what pupils must do for a due date, with its instructions.

Both carry links and attachments and a publication time: `publish_at` empty is a draft (or a
withdrawn item), in the future a scheduled publication, in the past a published item that
pupils and families see. `published_at` records when the publication took effect (notices
and events sent), so that publishing twice tells nobody twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.directory.models import School, SchoolClass

from .subjects import SUBJECTS, subject_label


class Published(models.Model):
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("classe"), on_delete=models.CASCADE, related_name="+")
    # Copied from the class: the school scopes staff reads, the year files the history.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("année scolaire"))
    subject = models.CharField(_("matière"), max_length=32, choices=SUBJECTS)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("contenu"), blank=True)  # clean HTML (core.richtext)
    # Links to resources, as [{"url": ..., "label": ...}], http(s) only.
    links = models.JSONField(_("liens"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    publish_at = models.DateTimeField(_("publication"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def subject_label(self) -> str:
        return subject_label(self.subject)

    def is_visible(self, now=None) -> bool:
        """Whether pupils and families see it: published, and its time has come."""
        return self.publish_at is not None and self.publish_at <= (now or timezone.now())

    @property
    def is_draft(self) -> bool:
        return self.publish_at is None

    @property
    def is_scheduled(self) -> bool:
        return self.publish_at is not None and self.publish_at > timezone.now()


class Entry(Published):
    """A séance: the content of a lesson, on a date, in a subject."""

    date = models.DateField(_("date de la séance"))

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-date", "subject", "id"]
        indexes = [models.Index(fields=["school_class", "date"]), models.Index(fields=["school_class", "year"])]


class Work(Published):
    """A travail à faire: given on a day (during a séance, or not), due on another."""

    entry = models.ForeignKey(
        Entry,
        verbose_name=_("séance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="works",
    )
    assigned_on = models.DateField(_("donné le"))
    due_date = models.DateField(_("pour le"))

    class Meta:
        verbose_name = _("travail à faire")
        verbose_name_plural = _("travaux à faire")
        ordering = ["due_date", "subject", "id"]
        indexes = [models.Index(fields=["school_class", "due_date"]), models.Index(fields=["school_class", "year"])]
        constraints = [
            models.CheckConstraint(condition=Q(due_date__gte=models.F("assigned_on")), name="homework_work_due_after")
        ]


class Attachment(models.Model):
    """A file joined to a séance or to a work; served only through the policy-checked view."""

    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="homework/%Y/%m/")
    name = models.CharField(_("nom"), max_length=200)
    size = models.PositiveIntegerField(_("taille"))
    content_type = models.CharField(_("type"), max_length=120)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=False, work__isnull=True) | Q(entry__isnull=True, work__isnull=False),
                name="homework_attachment_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class DoneMark(models.Model):
    """A pupil (or their family for them) says a work is done."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="done_marks")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("travail fait")
        verbose_name_plural = _("travaux faits")
        constraints = [models.UniqueConstraint(fields=["work", "pupil"], name="homework_done_once")]

    def __str__(self) -> str:
        return f"{self.pupil_id} — {self.work_id}"


class ClassSetting(models.Model):
    """A class's choices for its cahier de textes, set by its teachers."""

    school_class = models.OneToOneField(SchoolClass, primary_key=True, on_delete=models.CASCADE, related_name="+")
    # Pupils tick "fait" and the teachers see who did: off until a teacher wants it.
    track_done = models.BooleanField(_("les élèves indiquent le travail fait"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réglage de classe")
        verbose_name_plural = _("réglages de classe")

    def __str__(self) -> str:
        return str(self.school_class_id)
