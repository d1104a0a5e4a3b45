"""Cahier journal: the teacher's own planning of each school day.

A day is the slots (`Slot`) a teacher plans for one of their classes on a date. It is theirs
alone: no director, IEN or administrator reads it. A teacher may lend it, read-only, to a
named replacement for a few dates (`JournalShare`); the loan ends by itself. A day can be kept
as a template (`DayTemplate`, "lundi type") and laid again on other dates.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Person, School, SchoolClass


class Organisation(models.TextChoices):
    COLLECTIVE = "collectif", _("collectif")
    GROUPS = "groupes", _("en groupes")
    WORKSHOPS = "ateliers", _("ateliers tournants")
    PAIRS = "binomes", _("en binômes")
    INDIVIDUAL = "individuel", _("individuel")
    AUTONOMY = "autonomie", _("en autonomie")


class SlotContent(models.Model):
    """What a session is, wherever it is kept: a day's slot or a template's."""

    starts_at = models.TimeField(_("début"))
    ends_at = models.TimeField(_("fin"))
    # A code of the cahier de textes' subjects (preau.homework.subjects.SUBJECTS).
    subject = models.CharField(_("discipline"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=200)
    objectives = models.TextField(_("objectifs"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=12, choices=Organisation.choices, blank=True)
    material = models.TextField(_("matériel"), blank=True)
    assessment = models.TextField(_("évaluation"), blank=True)

    COPIED_FIELDS = ("starts_at", "ends_at", "subject", "title", "objectives", "organisation", "material", "assessment")

    class Meta:
        abstract = True
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M} {self.title}"

    def content(self) -> dict:
        return {name: getattr(self, name) for name in self.COPIED_FIELDS}


class Slot(SlotContent):
    """A session planned in the cahier journal of `author` for `school_class` on `date`."""

    author = models.ForeignKey(Person, verbose_name=_("enseignant·e"), on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(SchoolClass, verbose_name=_("classe"), on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    # Written after the session: how it went, what to take up again.
    review = models.TextField(_("bilan"), blank=True)
    # The cahier de textes entry the session was reported to (the homework app's id).
    homework_entry_id = models.PositiveBigIntegerField(_("entrée du cahier de textes"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("séance du cahier journal")
        verbose_name_plural = _("séances du cahier journal")
        ordering = ["date", "starts_at", "id"]
        indexes = [models.Index(fields=["author", "date"])]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="journal_slot_ends_after")]


class DayTemplate(models.Model):
    """A typical day ("lundi type") a teacher lays again on other dates."""

    author = models.ForeignKey(Person, verbose_name=_("enseignant·e"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nom"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("journée type")
        verbose_name_plural = _("journées types")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["author", "name"], name="journal_template_unique_name")]

    def __str__(self) -> str:
        return self.name


class TemplateSlot(SlotContent):
    template = models.ForeignKey(DayTemplate, on_delete=models.CASCADE, related_name="slots")

    class Meta(SlotContent.Meta):
        verbose_name = _("séance d'une journée type")
        verbose_name_plural = _("séances des journées types")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="journal_template_slot_ends_after")
        ]


class JournalShare(models.Model):
    """`author` lends their cahier journal, read-only, to `replacement` for the days
    `starts_on`…`ends_on`. It ends by itself after `ends_on`, or earlier when revoked."""

    author = models.ForeignKey(Person, verbose_name=_("enseignant·e"), on_delete=models.CASCADE, related_name="+")
    replacement = models.ForeignKey(
        Person, verbose_name=_("remplaçant·e"), on_delete=models.CASCADE, related_name="journal_shares_received"
    )
    # The school where both work: it scopes the audit entries.
    school = models.ForeignKey(School, verbose_name=_("école"), on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("arrêté le"), null=True, blank=True)

    class Meta:
        verbose_name = _("partage du cahier journal")
        verbose_name_plural = _("partages du cahier journal")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="journal_share_dates_in_order"),
            models.CheckConstraint(condition=~Q(author=F("replacement")), name="journal_share_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.author} → {self.replacement} ({self.starts_on} – {self.ends_on})"

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on
