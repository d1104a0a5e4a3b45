"""A person's agenda as iCalendar (RFC 5545), for the calendar of their phone.

Timed events carry their local time with TZID and the matching VTIMEZONE, so that a phone in
another zone still shows the right instant; all-day events and holidays are DATE values with
an exclusive DTEND; every line keeps the same UID from one read to the next, so that
applications update their copy instead of adding one.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar as ICalendar
from icalendar import Event as IEvent

from preau.core.richtext import plain_text

from .queries import Item, agenda_items

ONE_DAY = datetime.timedelta(days=1)


def feed_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """What the feed carries: a few weeks back, a year ahead (settings)."""
    return (
        today - datetime.timedelta(days=settings.PREAU_AGENDA_FEED_DAYS_BEFORE),
        today + datetime.timedelta(days=settings.PREAU_AGENDA_FEED_DAYS_AFTER),
    )


def _vevent(item: Item, *, host: str, stamp: datetime.datetime) -> IEvent:
    event = IEvent()
    event.add("uid", f"{item.uid}@{host}")
    event.add("dtstamp", stamp)
    if item.updated_at is not None:
        event.add("last-modified", item.updated_at.astimezone(datetime.UTC))
    event.add("summary", item.title)
    if item.all_day:
        event.add("dtstart", item.starts_on)
        event.add("dtend", item.ends_on + ONE_DAY)
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", timezone.localtime(item.starts_at))
        event.add("dtend", timezone.localtime(item.ends_at))
    if item.place:
        event.add("location", item.place)
    description = plain_text(item.description) if item.description else ""
    details = " — ".join(part for part in (item.source, description) if part)
    if details:
        event.add("description", details)
    if item.category_label:
        event.add("categories", [item.category_label])
    if item.url:
        event.add("url", f"{settings.PREAU_SITE_URL}{item.url}" if item.url.startswith("/") else item.url)
    return event


def agenda_ical(person, *, today: datetime.date | None = None) -> bytes:
    """The person's agenda for the feed's window, as an iCalendar file."""
    start, end = feed_window(today or timezone.localdate())
    host = urlsplit(settings.PREAU_SITE_URL).hostname or "preau"
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    calendar = ICalendar()
    calendar.add("prodid", "-//Préau//Agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Préau — agenda de %(name)s") % {"name": person.first_name})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", datetime.timedelta(hours=settings.PREAU_AGENDA_FEED_REFRESH_HOURS))
    for item in agenda_items(person, start=start, end=end):
        calendar.add_component(_vevent(item, host=host, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
