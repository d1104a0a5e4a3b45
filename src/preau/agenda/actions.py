"""Every write of the agenda: policy, one transaction, the audit log, the notices."""

import datetime
import secrets

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from preau.core import audit, events, notices
from preau.core.errors import DomainError, NotAllowed
from preau.core.richtext import clean_html, plain_text
from preau.directory.models import Profile, Role, SchoolClass, Teaching, current_school_year
from preau.directory.queries import enrolled_pupil_ids, guardian_ids_of

from . import policy
from .models import Event, FeedToken, HomeworkDue
from .queries import calendar_targets, token_hash

Calendar = Event.Calendar
MAX_EVENT_DAYS = 366
SCHOOL_PEOPLE = (Profile.PUPIL, Profile.TEACHER, Profile.DIRECTOR, Profile.ELECTED_PARENT)


def _when(
    *,
    all_day: bool,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
) -> dict:
    """The days and instants of an event, checked; local times are those of the server's zone."""
    ends_on = ends_on or starts_on
    if ends_on < starts_on:
        raise DomainError(_("Le dernier jour doit suivre le premier."), field="ends_on")
    if (ends_on - starts_on).days > MAX_EVENT_DAYS:
        raise DomainError(_("Un événement dure au plus une année."), field="ends_on")
    if all_day:
        return {"all_day": True, "starts_on": starts_on, "ends_on": ends_on, "starts_at": None, "ends_at": None}
    if start_time is None:
        raise DomainError(_("Donnez l'heure de début, ou cochez « Toute la journée »."), field="start_time")
    if end_time is None:
        raise DomainError(_("Donnez l'heure de fin, ou cochez « Toute la journée »."), field="end_time")
    zone = timezone.get_current_timezone()
    starts_at = timezone.make_aware(datetime.datetime.combine(starts_on, start_time), zone)
    ends_at = timezone.make_aware(datetime.datetime.combine(ends_on, end_time), zone)
    if ends_at <= starts_at:
        raise DomainError(_("L'événement doit finir après son début."), field="end_time")
    return {"all_day": False, "starts_on": starts_on, "ends_on": ends_on, "starts_at": starts_at, "ends_at": ends_at}


def _content(*, title: str, description: str, place: str, category: str) -> dict:
    title = title.strip()
    if not title:
        raise DomainError(_("Donnez un titre à l'événement."), field="title")
    if category not in Event.Category.values:
        raise DomainError(_("Choisissez une catégorie de la liste."), field="category")
    return {"title": title, "description": clean_html(description), "place": place.strip(), "category": category}


def add_event(
    actor,
    *,
    target_key: str,
    title: str,
    category: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    all_day: bool = True,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    place: str = "",
    description: str = "",
) -> Event:
    """Add an event to a calendar the actor writes in (theirs, their school's, their class's).

    School and class events are announced to the people concerned (notice "agenda.event").
    Emits `agenda.event_added`.
    """
    target = next((t for t in calendar_targets(actor) if t.key == target_key), None)
    if target is None:
        raise NotAllowed(_("Vous ne pouvez pas écrire dans cet agenda."))
    fields = {
        **_content(title=title, description=description, place=place, category=category),
        **_when(all_day=all_day, starts_on=starts_on, ends_on=ends_on, start_time=start_time, end_time=end_time),
    }
    where = {
        Calendar.PERSONAL: {"owner": actor},
        Calendar.SCHOOL: {"school": target.school},
        Calendar.CLASS: {"school": target.school, "school_class": target.school_class},
    }[target.calendar]
    with transaction.atomic():
        event = Event.objects.create(calendar=target.calendar, author=actor, **where, **fields)
        audit.record(actor, "agenda.event_added", target=event, school_id=event.school_id, calendar=event.calendar)
        if event.calendar != Calendar.PERSONAL:
            _announce(event, actor)
        events.emit(
            "agenda.event_added",
            event_id=event.pk,
            calendar=event.calendar,
            school_id=event.school_id,
            school_class_id=event.school_class_id,
        )
    return event


def when_label(event: Event) -> str:
    """ "mardi 2 décembre", "mardi 2 décembre à 9 h 00", "du 3 au 5 juin"."""
    if event.all_day:
        if event.ends_on == event.starts_on:
            return date_format(event.starts_on, "l j F")
        return _("du %(start)s au %(end)s") % {
            "start": date_format(event.starts_on, "j F"),
            "end": date_format(event.ends_on, "j F"),
        }
    local = timezone.localtime(event.starts_at)
    return _("%(day)s à %(time)s") % {"day": date_format(local, "l j F"), "time": date_format(local, "G \\h i")}


def _audience(event: Event) -> tuple[set[int], list[int]]:
    """Who learns of a new event (recipients), and the pupils it is about (for the parents)."""
    if event.calendar == Calendar.SCHOOL:
        pupils = enrolled_pupil_ids(school_class__school_id=event.school_id, school_class__year=current_school_year())
        people = set(
            Role.objects.filter(school_id=event.school_id, profile__in=SCHOOL_PEOPLE).values_list(
                "person_id", flat=True
            )
        )
    else:
        pupils = enrolled_pupil_ids(school_class_id=event.school_class_id)
        people = set(pupils) | set(
            Teaching.objects.filter(school_class_id=event.school_class_id).values_list("teacher_id", flat=True)
        )
    people |= set(guardian_ids_of(pupils))
    return people, pupils


def _announce(event: Event, actor) -> None:
    recipients, pupils = _audience(event)
    source = event.school_class.name if event.calendar == Calendar.CLASS else event.school.name
    notices.announce(
        "agenda.event",
        recipients,
        title=_("%(source)s : %(title)s, %(when)s")
        % {"source": source, "title": event.title, "when": when_label(event)},
        url=reverse("agenda:event", args=[event.pk]),
        actor_id=actor.pk,
        school_id=event.school_id,
        pupil_ids=pupils,
        body=plain_text(event.description, limit=300),
        group_key=f"agenda:{event.pk}",
    )


def update_event(
    actor,
    event: Event,
    *,
    title: str,
    category: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    all_day: bool = True,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    place: str = "",
    description: str = "",
) -> Event:
    """Change an event (its calendar stays): whoever may write in that calendar."""
    if not policy.can_manage(actor, event):
        raise NotAllowed(_("Vous ne pouvez pas modifier cet événement."))
    fields = {
        **_content(title=title, description=description, place=place, category=category),
        **_when(all_day=all_day, starts_on=starts_on, ends_on=ends_on, start_time=start_time, end_time=end_time),
    }
    with transaction.atomic():
        for name, value in fields.items():
            setattr(event, name, value)
        event.save()
        audit.record(actor, "agenda.event_updated", target=event, school_id=event.school_id)
        events.emit("agenda.event_updated", event_id=event.pk, calendar=event.calendar, school_id=event.school_id)
    return event


def delete_event(actor, event: Event) -> None:
    if not policy.can_manage(actor, event):
        raise NotAllowed(_("Vous ne pouvez pas supprimer cet événement."))
    with transaction.atomic():
        audit.record(actor, "agenda.event_deleted", target=event, school_id=event.school_id, title=event.title)
        events.emit("agenda.event_deleted", event_id=event.pk, calendar=event.calendar, school_id=event.school_id)
        event.delete()


# --- Homework due dates (kept from the cahier de textes' events) ----------------------------


def keep_homework_due(
    *, work_id: int, school_class_ids, due_date, title: str, url: str, school_id: int
) -> HomeworkDue | None:
    """Record (or update) the due date of a work for its classes; forget it when it has none.

    Called by the subscribers of `homework.work_published` and `homework.work_changed`: the
    system writes, for nobody's request, so there is no policy to check; only the classes of
    the work's school are kept.
    """
    if isinstance(due_date, str):
        due_date = datetime.date.fromisoformat(due_date) if due_date else None
    classes = list(SchoolClass.objects.filter(id__in=list(school_class_ids or ()), school_id=school_id))
    if due_date is None or not classes:
        forget_homework_due(work_id=work_id)
        return None
    with transaction.atomic():
        due, _created = HomeworkDue.objects.update_or_create(
            work_id=work_id,
            defaults={"school_id": school_id, "title": (title or "")[:300], "due_on": due_date, "url": url[:300]},
        )
        due.classes.set(classes)
    return due


def forget_homework_due(*, work_id: int) -> None:
    """A work withdrawn (or without due date any more) leaves the agendas."""
    HomeworkDue.objects.filter(work_id=work_id).delete()


# --- The private iCalendar address ----------------------------------------------------------


def create_feed_token(actor) -> str:
    """Give the actor a new private feed address; any previous one stops working.

    Returns the token, shown once: only its hash is kept.
    """
    if getattr(actor, "pk", None) is None:
        raise NotAllowed(_("Connectez-vous pour vous abonner à votre agenda."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        replaced = FeedToken.objects.filter(person=actor).delete()[0] > 0
        feed = FeedToken.objects.create(person=actor, token_hash=token_hash(token))
        audit.record(
            actor, "agenda.feed_regenerated" if replaced else "agenda.feed_created", target=feed, subject=actor
        )
    return token


def revoke_feed_token(actor) -> None:
    """The actor's feed address stops working (404 from then on)."""
    with transaction.atomic():
        deleted = FeedToken.objects.filter(person=actor).delete()[0]
        if not deleted:
            raise DomainError(_("Vous n'avez pas d'adresse d'abonnement."))
        audit.record(actor, "agenda.feed_revoked", subject=actor)


def record_feed_read(feed: FeedToken) -> None:
    """Note that a calendar application read the feed: journaled once a day per person."""
    now = timezone.now()
    first_today = feed.last_used_at is None or timezone.localdate(feed.last_used_at) != timezone.localdate(now)
    FeedToken.objects.filter(pk=feed.pk).update(last_used_at=now)
    if first_today:
        audit.record(feed.person, "agenda.feed_read", target=feed, subject=feed.person)


# --- End of a school's data (core.school_data) ---------------------------------------------------


def erase_school_data(school_id: int) -> int:
    """Delete the events of the school's and its classes' calendars and the works due copied
    from its cahier de textes. Personal events stay: they are their owner's.

    Rows deleted; idempotent. Runs in the purge's transaction (`core.school_data`).
    """
    deleted = Event.objects.filter(Q(school_id=school_id) | Q(school_class__school_id=school_id)).delete()[0]
    return deleted + HomeworkDue.objects.filter(school_id=school_id).delete()[0]
