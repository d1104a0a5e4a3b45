"""Pages of the chat: my rooms, a room (history, composer, members, moderation).

The page works without JavaScript: messages are posted by a form and history is paged.
With JavaScript (static/chat/room.js), the same page goes live over the WebSocket of
consumers.py, and falls back to the form whenever the socket is not there.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error
from preau.core.pagination import page_of
from preau.directory.models import Group, Person, School, SchoolClass

from . import actions, policy, queries, schedule
from .forms import MUTE_CHOICES, PostForm, RoomSettingsForm
from .models import Room
from .payloads import removed_label, room_json

PAGE_SIZE = 50


def _room_or_404(request, room_id: int) -> Room:
    room = queries.room_visible_to(request.user, room_id)
    if room is None:
        raise Http404(_("Ce salon n'existe pas ou ne vous est pas ouvert."))
    return room


def _room_url(room: Room, anchor: str = "") -> str:
    return reverse("chat:room", args=[room.pk]) + (f"#{anchor}" if anchor else "")


def rooms(request):
    """My rooms with their unread counts, and the rooms I may open."""
    my_rooms = list(queries.rooms_with_unread(request.user))
    now = timezone.now()
    for room in my_rooms:
        room.hours = schedule.hours_label(room)
        room.readable_now = policy.can_read_now(request.user, room, now)
    return render(
        request,
        "chat/rooms.html",
        {
            "title": _("Discussions"),
            "rooms": my_rooms,
            "openable": queries.rooms_openable_by(request.user, my_rooms),
        },
    )


def room(request, room_id: int):
    """A room: its history (newest at the bottom), the composer, and the moderators' tools.

    A POST is the composer's form, for browsers without WebSocket.
    """
    room = _room_or_404(request, room_id)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.post_message(request.user, room, form.cleaned_data["text"])
        except DomainError as error:
            show_error(form, error)
        else:
            return redirect(_room_url(room, "composer"))
    return _render_room(request, room, post_form=form)


def _render_room(request, room: Room, *, post_form=None, settings_form=None):
    person, now = request.user, timezone.now()
    place = policy.standing(person, room)
    readable = policy.can_read_now(person, room, now)
    participation = queries.participation_of(person, room)
    context = {
        "title": room.title,
        "room": room,
        "place": place,
        "readable": readable,
        "hours": schedule.hours_label(room),
        "post_form": post_form or PostForm(),
        "websocket_path": room_json(room)["websocket"],
    }
    if not readable:
        context["closed_notice"] = policy.closed_notice(person, room, now)
        return render(request, "chat/room.html", context)
    page = page_of(request, queries.history_of(room), per_page=PAGE_SIZE)
    history = list(reversed(page.object_list))
    last_read = participation.last_read_id if participation else 0
    # "Nouveaux messages" above the first one unread, from the second visit on.
    first_unread = next((m.pk for m in history if m.pk > last_read and m.author_id != person.pk), None)
    if not last_read:
        first_unread = None
    if history and page.number == 1 and history[-1].pk > last_read:
        actions.mark_read(person, room, history[-1].pk)
    context.update(
        page=page,
        history=history,
        first_unread=first_unread,
        refusal=policy.posting_refusal(person, room, now, participation=participation) if place.member else None,
        can_remove=place.moderator or place.overseer,
        removed_label=removed_label(room),
        members=queries.members_of(room),
        mute_choices=MUTE_CHOICES,
        now=now,
    )
    if place.moderator:
        context["settings_form"] = settings_form or RoomSettingsForm.for_room(room)
    status = 400 if (post_form is not None and post_form.errors) or (settings_form and settings_form.errors) else 200
    return render(request, "chat/room.html", context, status=status)


@require_POST
def open_room(request):
    """Open (or reopen) the room of a class, a group or a school's staff, named by `cible`."""
    target = queries.opening_target(request.POST.get("cible", ""))
    opener = {SchoolClass: actions.open_class_room, Group: actions.open_group_room, School: actions.open_staff_room}
    if target is None:
        messages.error(request, _("Ce salon ne peut pas être ouvert : sa classe ou son groupe est introuvable."))
        return redirect("chat:rooms")
    room = opener[type(target)](request.user, target)
    messages.success(request, _("Le salon « %(title)s » est ouvert.") % {"title": room.title})
    return redirect(_room_url(room))


def _moderate(request, room: Room, success: str, act, *args, **kwargs):
    """Run a moderation action; a refusal (NotAllowed) answers 403, other errors are shown."""
    try:
        act(request.user, *args, **kwargs)
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(_room_url(room, "moderation"))


@require_POST
def remove_message(request, room_id: int, message_id: int):
    room = _room_or_404(request, room_id)
    message = get_object_or_404(room.messages.select_related("author"), pk=message_id)
    message.room = room
    return _moderate(request, room, _("Le message est retiré."), actions.remove_message, message)


def _member_or_404(person_id: int) -> Person:
    return get_object_or_404(Person, pk=person_id)


@require_POST
def mute_member(request, room_id: int, person_id: int):
    room = _room_or_404(request, room_id)
    person = _member_or_404(person_id)
    minutes = request.POST.get("minutes", "")
    if not minutes.isdigit():
        messages.error(request, _("Choisissez une durée."))
        return redirect(_room_url(room, "membres"))
    success = _("%(name)s ne peut plus écrire pour le moment.") % {"name": person.full_name}
    return _moderate(request, room, success, actions.mute_member, room, person, minutes=int(minutes))


@require_POST
def unmute_member(request, room_id: int, person_id: int):
    room = _room_or_404(request, room_id)
    person = _member_or_404(person_id)
    success = _("%(name)s peut à nouveau écrire.") % {"name": person.full_name}
    return _moderate(request, room, success, actions.unmute_member, room, person)


@require_POST
def room_settings(request, room_id: int):
    room = _room_or_404(request, room_id)
    if not policy.can_moderate(request.user, room):
        raise NotAllowed(_("Seuls les modérateurs du salon en règlent les horaires."))
    form = RoomSettingsForm.for_room(room, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_room_settings(
                request.user,
                room,
                days="".join(data["days"]),
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                pupils_may_write=data["pupils_may_write"],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Les réglages du salon sont enregistrés."))
            return redirect(_room_url(room, "moderation"))
    return _render_room(request, room, settings_form=form)


@require_POST
def close_room(request, room_id: int):
    room = _room_or_404(request, room_id)
    return _moderate(request, room, _("Le salon est fermé."), actions.close_room, room)


@require_POST
def reopen_room(request, room_id: int):
    room = _room_or_404(request, room_id)
    return _moderate(request, room, _("Le salon est rouvert."), actions.reopen_room, room)
