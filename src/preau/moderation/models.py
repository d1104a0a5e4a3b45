"""Moderation: the publication director's queue, reports, decisions and the screen's word lists."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Academie, Commune, School


class QueueItem(models.Model):
    """One piece of content under watch, as its service described it (never a copy of it)."""

    class State(models.TextChoices):
        PENDING = "attente", _("en attente de validation")
        PUBLISHED = "publie", _("publié")
        REFUSED = "refuse", _("refusé")
        UNPUBLISHED = "retire", _("retiré")

    class Cause(models.TextChoices):
        PUPIL = "pupil", _("contribution d'élève")
        SCREEN = "screen", _("repéré par le filtre automatique")
        PUBLIC = "public", _("publication sur le web public")
        REPORT = "report", _("signalé")
        PUBLISHED = "published", _("publié récemment")

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=250)
    excerpt = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_label = models.CharField(max_length=250)
    url = models.CharField(max_length=500)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices)
    cause = models.CharField(max_length=10, choices=Cause.choices)
    flags = models.JSONField(default=list, blank=True)  # [{"category": …, "excerpt": …}]
    # The teachers who validate a pupil's contribution, besides the publication director.
    deciders = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    open_reports = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="moderation_one_item_per_content")]
        indexes = [models.Index(fields=["school", "state"]), models.Index(fields=["commune", "state"])]
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Report(models.Model):
    class Reason(models.TextChoices):
        INSULT = "insulte", _("propos injurieux ou insultants")
        HARASSMENT = "harcelement", _("harcèlement ou menace")
        DISCRIMINATION = "discrimination", _("propos discriminatoires ou haineux")
        PERSONAL_DATA = "donnees", _("données personnelles exposées")
        IMAGE = "image", _("photo publiée sans accord")
        INAPPROPRIATE = "inapproprie", _("contenu inadapté à des enfants")
        OTHER = "autre", _("autre raison")

    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("raison"), max_length=16, choices=Reason.choices)
    details = models.TextField(_("précisions"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "reporter"],
                condition=models.Q(handled_at__isnull=True),
                name="moderation_one_open_report",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} — {self.item}"


class Decision(models.Model):
    """What the publication director (or the teacher, for pupils' posts) decided, and why."""

    class Verb(models.TextChoices):
        APPROVE = "approve", _("validé")
        REFUSE = "refuse", _("refusé")
        UNPUBLISH = "unpublish", _("retiré")
        RESTORE = "restore", _("remis en ligne")
        WARN = "warn", _("auteur averti")
        DISMISS = "dismiss", _("signalement classé sans suite")

    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="decisions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=10, choices=Verb.choices)
    reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_verb_display()} — {self.item}"


class WordList(models.Model):
    """Words the automatic screen flags, per académie and category (one word or phrase a line)."""

    class Category(models.TextChoices):
        INSULT = "insulte", _("insultes et grossièretés")
        SLUR = "injure", _("injures racistes, sexistes, homophobes")
        THREAT = "menace", _("menaces et violence")

    academie = models.ForeignKey(Academie, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=10, choices=Category.choices)
    words = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["academie", "category"], name="moderation_one_list_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.academie})"
