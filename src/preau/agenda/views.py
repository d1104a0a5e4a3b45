"""Pages of the agenda and the iCalendar feed. Thin: parse, call actions and queries, render."""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error

from . import actions, policy, queries
from .feed import agenda_ical
from .forms import EventForm
from .models import Event


def parse_day(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


def parse_month(value: str | None) -> datetime.date:
    """The first day of the month `YYYY-MM`, the current month when absent or malformed."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _month_url(first: datetime.date) -> str:
    return f"{reverse('agenda:month')}?{urlencode({'mois': first.strftime('%Y-%m')})}"


def _week_url(monday: datetime.date) -> str:
    return f"{reverse('agenda:week')}?{urlencode({'date': monday.isoformat()})}"


@require_GET
def month(request):
    """A month of the person's agenda as a list, day by day (accessible, fits a phone)."""
    first = parse_month(request.GET.get("mois"))
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    items = queries.agenda_items(request.user, start=first, end=last)
    days: dict[datetime.date, list] = {}
    for item in items:
        # An item begun before the month is listed on its first day within it.
        days.setdefault(max(item.starts_on, first), []).append(item)
    previous_month = (first - datetime.timedelta(days=1)).replace(day=1)
    next_month = last + datetime.timedelta(days=1)
    return render(
        request,
        "agenda/month.html",
        {
            "title": _("Agenda — %(month)s") % {"month": date_format(first, "F Y")},
            "first": first,
            "days": sorted(days.items()),
            "previous_url": _month_url(previous_month),
            "next_url": _month_url(next_month),
            "week_url": _week_url(first - datetime.timedelta(days=first.weekday())),
            "can_write_shared": policy.writes_somewhere_shared(request.user),
        },
    )


@require_GET
def week(request):
    """A week of the person's agenda: what spans several days first, then each day."""
    monday = parse_day(request.GET.get("date"))
    monday -= datetime.timedelta(days=monday.weekday())
    sunday = monday + datetime.timedelta(days=6)
    items = queries.agenda_items(request.user, start=monday, end=sunday)
    spanning = [item for item in items if item.several_days]
    days = [
        {
            "day": day,
            "items": [item for item in items if not item.several_days and item.starts_on == day],
        }
        for day in (monday + datetime.timedelta(days=offset) for offset in range(7))
    ]
    return render(
        request,
        "agenda/week.html",
        {
            "title": _("Agenda — semaine du %(day)s") % {"day": date_format(monday, "j F Y")},
            "monday": monday,
            "spanning": spanning,
            "days": days,
            "previous_url": _week_url(monday - datetime.timedelta(days=7)),
            "next_url": _week_url(monday + datetime.timedelta(days=7)),
            "month_url": _month_url(monday.replace(day=1)),
        },
    )


def _event_or_404(request, event_id: int) -> Event:
    event = queries.event_for(request.user, event_id)
    if event is None:
        raise Http404
    return event


@require_GET
def event_detail(request, event_id: int):
    event = _event_or_404(request, event_id)
    return render(
        request,
        "agenda/event.html",
        {
            "title": event.title,
            "event": event,
            "item": queries.event_item(event),
            "can_manage": policy.can_manage(request.user, event),
        },
    )


def event_create(request):
    targets = queries.calendar_targets(request.user)
    if not targets:
        raise NotAllowed(_("Connectez-vous pour écrire dans un agenda."))
    wanted = request.GET.get("agenda", "")
    initial = {
        "starts_on": parse_day(request.GET.get("date")),
        "target": wanted if any(t.key == wanted for t in targets) else targets[-1].key,
    }
    form = EventForm(request.POST or None, targets=targets, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = actions.add_event(request.user, target_key=form.cleaned_data["target"], **form.event_fields())
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("L'événement est ajouté à l'agenda."))
            return redirect("agenda:event", event.pk)
    return render(request, "agenda/event_form.html", {"title": _("Nouvel événement"), "form": form})


def event_edit(request, event_id: int):
    event = _event_or_404(request, event_id)
    if not policy.can_manage(request.user, event):
        raise NotAllowed(_("Vous ne pouvez pas modifier cet événement."))
    local_start = timezone.localtime(event.starts_at) if event.starts_at else None
    local_end = timezone.localtime(event.ends_at) if event.ends_at else None
    initial = {
        "title": event.title,
        "category": event.category,
        "all_day": event.all_day,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "start_time": local_start.time() if local_start else None,
        "end_time": local_end.time() if local_end else None,
        "place": event.place,
        "description": event.description,
    }
    form = EventForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_event(request.user, event, **form.event_fields())
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("L'événement est modifié."))
            return redirect("agenda:event", event.pk)
    return render(request, "agenda/event_form.html", {"title": _("Modifier l'événement"), "form": form, "event": event})


@require_POST
def event_delete(request, event_id: int):
    event = _event_or_404(request, event_id)
    day = event.starts_on
    actions.delete_event(request.user, event)
    messages.success(request, _("L'événement est supprimé."))
    return redirect(_month_url(day.replace(day=1)))


def subscription(request):
    """The private iCalendar address: create, replace or revoke it. Shown once, when created."""
    token = actions.create_feed_token(request.user) if request.method == "POST" else None
    feed = queries.feed_of(request.user)
    return render(
        request,
        "agenda/subscription.html",
        {
            "title": _("Abonner mon téléphone à l'agenda"),
            "feed": feed,
            "feed_url": request.build_absolute_uri(reverse("agenda:ical", args=[token])) if token else "",
        },
    )


@require_POST
def subscription_revoke(request):
    try:
        actions.revoke_feed_token(request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("L'ancienne adresse ne fonctionne plus."))
    return redirect("agenda:subscription")


@never_cache
@require_GET
@login_not_required
def ical(request, token: str):
    """The feed of the person whose private address this is (no session: the address is the key)."""
    feed = queries.feed_for_token(token)
    if feed is None:
        raise Http404
    actions.record_feed_read(feed)
    response = HttpResponse(agenda_ical(feed.person), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
