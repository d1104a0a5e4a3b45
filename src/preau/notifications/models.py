"""Notifications: the timeline, each person's choices, the digest queue, push subscriptions and
each school's quiet hours.

Entries are grouped when they are written: a notice whose `group_key` matches an entry of the
person updates that entry (latest title, one more in `count`, unread again), so that reading
the timeline is one indexed query whatever the history.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One line of a person's timeline."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("destinataire"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=80)
    # Which of the person's children (and school) it is about, for parents: "Léa — CE1 A".
    concerns = models.CharField(_("concerne"), max_length=300, blank=True)
    title = models.CharField(_("titre"), max_length=300)
    url = models.CharField(_("lien"), max_length=500)
    body = models.TextField(_("extrait"), blank=True)
    group_key = models.CharField(_("clé de regroupement"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("nombre"), default=1)
    school_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-created_at", "-id"], name="notif_entry_timeline"),
            models.Index(fields=["person", "read_at"], name="notif_entry_unread"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "group_key"], condition=~Q(group_key=""), name="notif_entry_one_per_group"
            )
        ]

    def __str__(self) -> str:
        return self.full_title

    @property
    def full_title(self) -> str:
        return f"{self.concerns} : {self.title}" if self.concerns else self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @cached_property
    def open_url(self) -> str:
        """The entry's link: it marks the entry read, then leads to `url`."""
        return reverse("notifications:open", args=[self.pk])


class EmailMode(models.TextChoices):
    NONE = "aucun", _("Pas de courriel")
    IMMEDIATE = "immediat", _("Courriel immédiat")
    DIGEST = "resume", _("Résumé quotidien")


class Preference(models.Model):
    """A person's choice for one kind of notice; without a row, the kind's default channels apply.

    The timeline always shows every notice: only e-mail and push are chosen.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=80)
    email = models.CharField(_("courriel"), max_length=8, choices=EmailMode.choices)
    push = models.BooleanField(_("notification sur l'appareil"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="notif_preference_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}: {self.email}{' + push' if self.push else ''}"


class DigestItem(models.Model):
    """A line of a person's next daily summary: chosen as such, or held back by quiet hours."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=80)
    title = models.CharField(max_length=600)
    url = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    # Held by the quiet hours: it would have been an e-mail or a push right away.
    held = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Not sent before the end of the quiet hours of the school it comes from.
    not_before = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("élément du résumé")
        verbose_name_plural = _("éléments des résumés")
        indexes = [models.Index(fields=["sent_at", "not_before"], name="notif_digest_due")]

    def __str__(self) -> str:
        return self.title


class PushSubscription(models.Model):
    """One browser of a person that accepted push notifications (the Push API's subscription)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(_("adresse du service"), max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement aux notifications de l'appareil")
        verbose_name_plural = _("abonnements aux notifications des appareils")

    def __str__(self) -> str:
        return f"{self.person_id} — {self.user_agent[:60]}"

    @property
    def info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


def _weekend() -> list[int]:
    return [5, 6]


class QuietHours(models.Model):
    """A school's quiet hours (droit à la déconnexion): when e-mails and pushes wait.

    Without a row, the defaults apply: nothing between 19:00 and 07:30, nor at weekends, on
    school holidays of the académie's zone and on public holidays.
    """

    school = models.OneToOneField(
        "directory.School", verbose_name=_("école"), on_delete=models.CASCADE, related_name="+"
    )
    enabled = models.BooleanField(_("heures calmes actives"), default=True)
    morning = models.TimeField(_("fin des heures calmes (matin)"), default=datetime.time(7, 30))
    evening = models.TimeField(_("début des heures calmes (soir)"), default=datetime.time(19, 0))
    # Days (0 = Monday) kept quiet all day long.
    quiet_days = models.JSONField(_("jours calmes"), default=_weekend)
    school_holidays = models.BooleanField(_("calme pendant les vacances scolaires"), default=True)
    public_holidays = models.BooleanField(_("calme les jours fériés"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("heures calmes")
        verbose_name_plural = _("heures calmes")

    def __str__(self) -> str:
        return f"{self.school_id}: {self.evening:%H:%M}–{self.morning:%H:%M}"
