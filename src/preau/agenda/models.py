"""Agenda: the school's, the classes' and each person's calendars.

An `Event` belongs to one calendar: a school's (its director writes), a class's (its teachers
write) or a person's own. Holidays are computed, never stored (see `holidays.py`). Homework
due dates are copied from the cahier de textes' events (`HomeworkDue`), one per work. Each
person may have a private iCalendar address (`FeedToken`), kept only as a hash.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Person, School, SchoolClass


class Event(models.Model):
    class Calendar(models.TextChoices):
        SCHOOL = "ecole", _("agenda de l'école")
        CLASS = "classe", _("agenda de la classe")
        PERSONAL = "perso", _("agenda personnel")

    class Category(models.TextChoices):
        OUTING = "sortie", _("sortie")
        MEETING = "reunion", _("réunion")
        PARTY = "fete", _("fête")
        HOLIDAY = "vacances", _("vacances, pont")
        SHOW = "spectacle", _("spectacle, exposition")
        SPORT = "sport", _("sport, piscine")
        HEALTH = "sante", _("santé, visite médicale")
        OTHER = "autre", _("autre")

    calendar = models.CharField(_("agenda"), max_length=6, choices=Calendar.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(SchoolClass, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)  # clean HTML (core.richtext)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    category = models.CharField(_("catégorie"), max_length=10, choices=Category.choices, default=Category.OTHER)
    all_day = models.BooleanField(_("toute la journée"), default=False)
    # Every event has its days (local dates, both included), which the range queries use;
    # a timed event also has its instants.
    starts_on = models.DateField(_("premier jour"))
    ends_on = models.DateField(_("dernier jour"))
    starts_at = models.DateTimeField(_("début"), null=True, blank=True)
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    author = models.ForeignKey(Person, verbose_name=_("auteur"), null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["starts_on", "starts_at", "id"]
        indexes = [
            models.Index(fields=["school", "starts_on"]),
            models.Index(fields=["school_class", "starts_on"]),
            models.Index(fields=["owner", "starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(calendar="ecole", school__isnull=False, school_class__isnull=True, owner__isnull=True)
                    | Q(calendar="classe", school__isnull=False, school_class__isnull=False, owner__isnull=True)
                    | Q(calendar="perso", school__isnull=True, school_class__isnull=True, owner__isnull=False)
                ),
                name="agenda_event_one_calendar",
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="agenda_event_days_in_order"),
            models.CheckConstraint(
                condition=Q(all_day=True, starts_at__isnull=True, ends_at__isnull=True)
                | Q(all_day=False, starts_at__isnull=False, ends_at__isnull=False, ends_at__gt=F("starts_at")),
                name="agenda_event_times",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class HomeworkDue(models.Model):
    """A work of the cahier de textes, due on a day, for some classes (kept from its events)."""

    work_id = models.PositiveBigIntegerField(_("travail"), unique=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    classes = models.ManyToManyField(SchoolClass, related_name="+")
    title = models.CharField(_("titre"), max_length=300)
    due_on = models.DateField(_("pour le"), db_index=True)
    url = models.CharField(_("adresse"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("travail à faire")
        verbose_name_plural = _("travaux à faire")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class FeedToken(models.Model):
    """The private address of a person's iCalendar feed: only its SHA-256 is kept."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="agenda_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement iCalendar")
        verbose_name_plural = _("abonnements iCalendar")

    def __str__(self) -> str:
        return str(self.person)
