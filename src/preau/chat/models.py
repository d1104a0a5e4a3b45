"""Discussions instantanées: rooms, their messages, and each person's place in a room.

A room belongs to one class, one directory group or one school (the staff room). Who is in
it is never stored here: it is read from the directory at each request (`policy.py`), so a
pupil who changes class leaves the room the same day. `Participation` keeps only what is a
person's own in a room: how far they have read, and whether a moderator silenced them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Group, School, SchoolClass

# ISO day numbers (1 = Monday) of the default opening days: Wednesday and the weekend are off.
DEFAULT_DAYS = "1245"


class Room(models.Model):
    class Kind(models.TextChoices):
        CLASS = "classe", _("salon de classe")
        GROUP = "groupe", _("salon de groupe")
        STAFF = "equipe", _("salle des maîtres")

    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    school_class = models.OneToOneField(
        SchoolClass, verbose_name=_("classe"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.OneToOneField(
        Group, verbose_name=_("groupe"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The school of the room (none for a commune's périscolaire group): scoping and the journal.
    school = models.ForeignKey(
        School, verbose_name=_("école"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    is_open = models.BooleanField(_("ouvert"), default=True)
    pupils_may_write = models.BooleanField(_("les élèves peuvent écrire"), default=True)
    # Opening hours: ISO day numbers ("1245") and a time range, the same every open day.
    days = models.CharField(_("jours d'ouverture"), max_length=7, default=DEFAULT_DAYS)
    opens_at = models.TimeField(_("ouverture"), default=datetime.time(8, 30))
    closes_at = models.TimeField(_("fermeture"), default=datetime.time(16, 30))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("fermé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("salon de discussion")
        verbose_name_plural = _("salons de discussion")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="classe", school_class__isnull=False, group__isnull=True)
                | Q(kind="groupe", group__isnull=False, school_class__isnull=True)
                | Q(kind="equipe", school__isnull=False, school_class__isnull=True, group__isnull=True),
                name="chat_room_target_matches_kind",
            ),
            models.UniqueConstraint(fields=["school"], condition=Q(kind="equipe"), name="chat_one_staff_room"),
            models.CheckConstraint(condition=Q(opens_at__lt=models.F("closes_at")), name="chat_room_hours_in_order"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def title(self) -> str:
        if self.kind == self.Kind.CLASS:
            return self.school_class.name
        if self.kind == self.Kind.GROUP:
            return self.group.name
        return _("Salle des maîtres")

    @property
    def academie(self):
        """The académie whose holidays the room follows."""
        if self.school_id:
            return self.school.circonscription.departement.academie
        return self.group.commune.departement.academie

    @property
    def day_numbers(self) -> list[int]:
        return sorted(int(day) for day in self.days)


class Message(models.Model):
    """A plain-text message. A removed message stays, with who removed it, for the record."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("texte"))
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    removed_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retiré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message instantané")
        verbose_name_plural = _("messages instantanés")
        ordering = ["id"]
        indexes = [models.Index(fields=["room", "-id"], name="chat_message_room_latest")]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.pk}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class Participation(models.Model):
    """A person's own state in a room: last message read, silence set by a moderator."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(null=True, blank=True)
    muted_until = models.DateTimeField(_("en silence jusqu'au"), null=True, blank=True)
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("participation à un salon")
        verbose_name_plural = _("participations aux salons")
        constraints = [models.UniqueConstraint(fields=["room", "person"], name="chat_participation_unique")]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.room_id}"

    def is_muted(self, now: datetime.datetime) -> bool:
        return self.muted_until is not None and self.muted_until > now
