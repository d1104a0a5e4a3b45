"""Reads of the agenda, always those one person may see.

`agenda_items(person, start, end)` gathers, in a constant number of queries, the events of
the calendars the person reads, the holidays of their zones and the homework due for them
(per child for a parent); the pages, the API and the iCalendar feed all read it.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from preau.directory.models import Academie, Profile, School, SchoolClass
from preau.directory.queries import access_of

from . import policy
from .models import Event, FeedToken, HomeworkDue
from .school_holidays import holidays_between

Calendar = Event.Calendar


class Kind:
    EVENT, HOMEWORK, HOLIDAYS, PUBLIC_HOLIDAY = "evenement", "devoir", "vacances", "ferie"


@dataclass
class Item:
    """One line of someone's agenda, whatever it comes from."""

    kind: str
    uid: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    source: str  # whose calendar: the school, the class, "Mon agenda", "Zone C", "Léa — CE1"
    url: str = ""
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    category: str = ""
    category_label: str = ""
    place: str = ""
    description: str = ""  # clean HTML
    updated_at: datetime.datetime | None = None

    @property
    def all_day(self) -> bool:
        return self.starts_at is None

    @property
    def several_days(self) -> bool:
        return self.ends_on > self.starts_on

    def _when(self, with_day: bool) -> str:
        if self.several_days:
            return _("du %(start)s au %(end)s") % {
                "start": date_format(self.starts_on, "l j F"),
                "end": date_format(self.ends_on, "l j F"),
            }
        day = date_format(self.starts_on, "l j F") if with_day else ""
        if self.all_day:
            return day
        hours = f"{timezone.localtime(self.starts_at):%H:%M} – {timezone.localtime(self.ends_at):%H:%M}"
        return f"{day}, {hours}" if day else hours

    def _meta(self, with_day: bool) -> str:
        source = "" if self.kind == Kind.PUBLIC_HOLIDAY else self.source
        return " · ".join(part for part in (self._when(with_day), source, self.place) if part)

    @property
    def meta(self) -> str:
        """Like "09:00 – 11:30 · CE1 · Musée de Tarbes", for a list grouped by day."""
        return self._meta(False)

    @property
    def meta_with_day(self) -> str:
        """The same with the day, for a list of what is coming."""
        return self._meta(True)


@dataclass
class Target:
    """A calendar a person writes in, as offered by the event form."""

    key: str  # "perso", "ecole:12", "classe:34"
    label: str
    calendar: str
    school: School | None = None
    school_class: SchoolClass | None = None


def calendar_targets(person) -> list[Target]:
    """The calendars `person` may add events to: their own, their schools', their classes'."""
    access = access_of(person)
    if access.person is None:
        return []
    targets = [Target("perso", _("Mon agenda personnel"), Calendar.PERSONAL)]
    for role in access.roles:
        if role.profile == Profile.DIRECTOR and role.school is not None:
            label = _("École : %(name)s") % {"name": role.school.name}
            targets.append(Target(f"ecole:{role.school_id}", label, Calendar.SCHOOL, school=role.school))
    for school_class in sorted(access.taught_classes, key=lambda c: c.name):
        label = _("Classe : %(name)s") % {"name": school_class.name}
        targets.append(
            Target(
                f"classe:{school_class.pk}",
                label,
                Calendar.CLASS,
                school=school_class.school,
                school_class=school_class,
            )
        )
    return targets


def _events_q(person) -> Q:
    found = policy.readership(person)
    q = Q(calendar=Calendar.PERSONAL, owner_id=person.pk)
    if found.school_ids:
        q |= Q(calendar=Calendar.SCHOOL, school_id__in=found.school_ids)
    if found.commune_ids:
        q |= Q(calendar=Calendar.SCHOOL, school__commune_id__in=found.commune_ids)
    if found.class_ids:
        q |= Q(calendar=Calendar.CLASS, school_class_id__in=found.class_ids)
    if found.director_school_ids:
        q |= Q(calendar=Calendar.CLASS, school_id__in=found.director_school_ids)
    return q


def events_visible_to(person, *, start: datetime.date, end: datetime.date) -> QuerySet[Event]:
    """Events of the calendars `person` reads that touch `start`…`end` (both included)."""
    if access_of(person).person is None:
        return Event.objects.none()
    return (
        Event.objects.filter(_events_q(person), starts_on__lte=end, ends_on__gte=start)
        .select_related("school", "school_class")
        .order_by("starts_on", "starts_at", "id")
    )


def event_for(person, event_id: int) -> Event | None:
    """One event, if `person` may read it (None otherwise: the page answers 404)."""
    if access_of(person).person is None:
        return None
    return (
        Event.objects.select_related("school", "school_class", "author").filter(_events_q(person), pk=event_id).first()
    )


def token_hash(token: str) -> str:
    """What is kept of a private feed address: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(person) -> FeedToken | None:
    """The person's own private feed address, if they made one."""
    return FeedToken.objects.filter(person_id=person.pk).first()


def feed_for_token(token: str) -> FeedToken | None:
    """The feed whose private address this is, with its person, if that person is active."""
    return (
        FeedToken.objects.select_related("person").filter(token_hash=token_hash(token), person__is_active=True).first()
    )


def holiday_zones(person) -> set[str]:
    """The holiday zones of the académies the person belongs to (one query, kept for the request)."""
    access = access_of(person)
    cached = getattr(access, "_agenda_zones", None)
    if cached is not None:
        return cached
    zones: set[str] = set()
    if access.person is not None:
        q = Q(id__in=access.academie_ids | ({person.academie_id} if person.academie_id else set()))
        for lookup, ids in (
            ("departements__circonscriptions__schools__id__in", access.school_ids() | access.child_school_ids),
            ("departements__communes__id__in", access.commune_ids),
            ("departements__circonscriptions__id__in", access.circonscription_ids),
            ("departements__id__in", access.departement_ids),
        ):
            if ids:
                q |= Q(**{lookup: ids})
        zones = set(Academie.objects.filter(q).values_list("holiday_zone", flat=True).distinct())
    access._agenda_zones = zones
    return zones


def homework_due_for(person, *, start: datetime.date, end: datetime.date) -> list[Item]:
    """Work due in `start`…`end` for the person's classes, once per child for a parent."""
    access = access_of(person)
    class_ids = policy.readership(person).homework_class_ids
    if not class_ids:
        return []
    rows = (
        HomeworkDue.classes.through.objects.filter(
            schoolclass_id__in=class_ids, homeworkdue__due_on__gte=start, homeworkdue__due_on__lte=end
        )
        .select_related("homeworkdue")
        .order_by("homeworkdue__due_on", "homeworkdue_id")
    )
    own = {c.id: c.name for c in access.taught_classes + access.own_classes}  # as teacher or pupil
    children: dict[int, list] = {}
    for child in access.children:
        for school_class in child.classes:
            children.setdefault(school_class.id, []).append((child, school_class))
    items: dict[str, Item] = {}
    for row in rows:
        due = row.homeworkdue
        viewers = []
        if row.schoolclass_id in own:
            viewers.append(("", own[row.schoolclass_id]))
        for child, school_class in children.get(row.schoolclass_id, []):
            viewers.append((child.person.pk, f"{child.person.first_name} — {school_class.name}"))
        for child_id, source in viewers:
            uid = f"devoir-{due.work_id}" + (f"-{child_id}" if child_id else "")
            items.setdefault(
                uid,
                Item(
                    kind=Kind.HOMEWORK,
                    uid=uid,
                    title=_("À faire : %(title)s") % {"title": due.title},
                    starts_on=due.due_on,
                    ends_on=due.due_on,
                    source=source,
                    url=due.url,
                    category=Kind.HOMEWORK,
                    category_label=_("devoir"),
                    updated_at=due.updated_at,
                ),
            )
    return list(items.values())


def event_item(event: Event) -> Item:
    if event.calendar == Calendar.PERSONAL:
        source = _("Mon agenda")
    elif event.calendar == Calendar.CLASS:
        source = event.school_class.name
    else:
        source = event.school.name
    return Item(
        kind=Kind.EVENT,
        uid=f"evenement-{event.pk}",
        title=event.title,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        source=source,
        url=reverse("agenda:event", args=[event.pk]),
        category=event.category,
        category_label=event.get_category_display(),
        place=event.place,
        description=event.description,
        updated_at=event.updated_at,
    )


def holiday_items(person, *, start: datetime.date, end: datetime.date) -> list[Item]:
    zones = holiday_zones(person)
    several = len(zones) > 1
    items = []
    for holiday in holidays_between(zones, start, end):
        if holiday.is_public:
            source, kind, label = _("Jour férié"), Kind.PUBLIC_HOLIDAY, _("jour férié")
        else:
            source, kind, label = _("Zone %(zone)s") % {"zone": holiday.zone}, Kind.HOLIDAYS, _("vacances scolaires")
        title = f"{holiday.name} ({source})" if several and not holiday.is_public else holiday.name
        items.append(
            Item(
                kind=kind,
                uid=holiday.uid,
                title=title,
                starts_on=holiday.starts_on,
                ends_on=holiday.ends_on,
                source=source,
                category=kind,
                category_label=label,
            )
        )
    return items


def agenda_items(person, *, start: datetime.date, end: datetime.date, with_holidays: bool = True) -> list[Item]:
    """Everything in the person's agenda touching `start`…`end`, in order."""
    items = [event_item(event) for event in events_visible_to(person, start=start, end=end)]
    items += homework_due_for(person, start=start, end=end)
    if with_holidays:
        items += holiday_items(person, start=start, end=end)
    return sorted(items, key=_order)


def _order(item: Item):
    # Within a day: holidays first, then all-day lines, then by time.
    rank = {Kind.HOLIDAYS: 0, Kind.PUBLIC_HOLIDAY: 0, Kind.HOMEWORK: 1}.get(item.kind, 2)
    return (item.starts_on, rank, item.starts_at.timestamp() if item.starts_at else 0, item.uid)


def upcoming_for(person, *, today: datetime.date, days: int = 30, limit: int = 5) -> list[Item]:
    """What is coming for the portal: the next events, homework and holidays."""
    return agenda_items(person, start=today, end=today + datetime.timedelta(days=days))[:limit]
