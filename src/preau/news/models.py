"""Actualités and the commune's pages: data and invariants.

A news item belongs to exactly one structure (a school, a class, a commune, a circonscription
or an académie): its publication director is that structure's (conventions, art. 6), and its
readers follow from it and from its audience.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Academie, Circonscription, Commune, School, SchoolClass


class NewsItem(models.Model):
    class Scope(models.TextChoices):
        SCHOOL = "ecole", _("école")
        CLASS = "classe", _("classe")
        COMMUNE = "commune", _("commune")
        CIRCONSCRIPTION = "circonscription", _("circonscription")
        ACADEMIE = "academie", _("académie")

    class Audience(models.TextChoices):
        EVERYONE = "tous", _("tout le monde (élèves, familles, personnels)")
        FAMILIES = "familles", _("les familles")
        STAFF = "personnels", _("les personnels")

    scope = models.CharField(_("portée"), max_length=16, choices=Scope.choices)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    circonscription = models.ForeignKey(
        Circonscription, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    academie = models.ForeignKey(Academie, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    audience = models.CharField(_("public"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))  # clean HTML (core.richtext)
    publish_at = models.DateTimeField(_("publication le"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("retrait le"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source_label = models.CharField(_("origine"), max_length=250)  # "École X", "Commune de Y", …
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(_("motif du retrait"), max_length=500, blank=True)
    # Set when its readers were told (at publication time, even when it was scheduled).
    announced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["scope", "publish_at"])]
        constraints = [
            models.CheckConstraint(
                name="news_one_structure_per_scope",
                condition=(
                    Q(scope="ecole", school__isnull=False, school_class__isnull=True, commune__isnull=True)
                    | Q(scope="classe", school_class__isnull=False, school__isnull=False, commune__isnull=True)
                    | Q(scope="commune", commune__isnull=False, school__isnull=True)
                    | Q(scope="circonscription", circonscription__isnull=False, school__isnull=True)
                    | Q(scope="academie", academie__isnull=False, school__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.withdrawn_at is None and self.publish_at <= now and (self.expires_at is None or self.expires_at > now)
        )


class CommunePage(models.Model):
    """One of the commune's pages for families: canteen menus, périscolaire, contacts, registrations."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(_("adresse"), max_length=80)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), blank=True)  # clean HTML (core.richtext)
    order = models.PositiveSmallIntegerField(_("ordre"), default=100)
    is_published = models.BooleanField(_("publiée"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("page de la commune")
        verbose_name_plural = _("pages de la commune")
        ordering = ["order", "title"]
        constraints = [models.UniqueConstraint(fields=["commune", "slug"], name="news_commune_page_slug_unique")]

    def __str__(self) -> str:
        return self.title
