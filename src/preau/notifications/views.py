"""The timeline, the preferences (with push on this browser), a school's quiet hours."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error
from preau.core.pagination import page_of
from preau.core.redirects import next_url
from preau.directory.models import Profile
from preau.directory.queries import access_of

from . import actions, queries
from .forms import WEEKDAYS, PreferencesForm, QuietHoursForm
from .preferences import choices_of
from .quiet import rules_of

TIMELINE_PAGE = 25


@require_GET
def timeline(request):
    page = page_of(request, queries.entries_visible_to(request.user), per_page=TIMELINE_PAGE)
    return render(
        request,
        "notifications/timeline.html",
        {"page": page, "unread": queries.unread_count(request.user), "title": _("Mes notifications")},
    )


@require_GET
def open_entry(request, entry_id: int):
    """An entry's link: it becomes read and leads where the notice said."""
    entry = get_object_or_404(queries.entries_visible_to(request.user), pk=entry_id)
    return redirect(actions.open_entry(request.user, entry))


def _back(request, default: str) -> str:
    target = next_url(request)
    # A path only: these forms sit on Préau's own pages.
    return target if target.startswith("/") else default


@require_POST
def mark_all_read(request):
    count = actions.mark_all_read(request.user)
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect(_back(request, "notifications:timeline"))


def preferences(request):
    form = PreferencesForm(request.POST or None, choices=choices_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_preferences(request.user, form.choices())
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Vos préférences de notification sont enregistrées."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "subscriptions": list(queries.push_subscriptions_of(request.user)),
            "vapid_public_key": settings.PREAU_VAPID_PUBLIC_KEY,
            "directs_a_school": bool(access_of(request.user).school_ids(Profile.DIRECTOR)),
            "title": _("Mes préférences de notification"),
        },
        status=400 if form.errors else 200,
    )


def _json_body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@require_POST
def push_subscribe(request):
    """The browser's PushSubscription (as `subscription.toJSON()` gives it), from push.js."""
    data = _json_body(request)
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    try:
        actions.subscribe_push(
            request.user,
            endpoint=str(data.get("endpoint", "")),
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except DomainError as error:
        return JsonResponse({"erreur": error.message}, status=400)
    return JsonResponse({"abonne": True}, status=201)


@require_POST
def push_unsubscribe(request):
    """From push.js (JSON: the endpoint) or from the list of devices (form: its id)."""
    subscriptions = queries.push_subscriptions_of(request.user)
    if request.content_type == "application/json":
        endpoint = str(_json_body(request).get("endpoint", ""))
        subscription = subscriptions.filter(endpoint=endpoint).first()
        if subscription is not None:
            actions.unsubscribe_push(request.user, subscription)
        return JsonResponse({"abonne": False})
    raw_id = request.POST.get("subscription", "")
    subscription = subscriptions.filter(pk=int(raw_id)).first() if raw_id.isdigit() else None
    if subscription is None:
        raise Http404(_("Cet appareil n'est pas abonné."))
    actions.unsubscribe_push(request.user, subscription)
    messages.success(request, _("Cet appareil ne recevra plus de notifications."))
    return redirect("notifications:preferences")


@login_not_required
@require_GET
def service_worker(request):
    """The service worker that shows pushes; served from /notifications/ so that it may control it."""
    response = render(request, "notifications/sw.js", content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def quiet_hours_index(request):
    schools = list(queries.schools_with_quiet_hours_of(request.user))
    if not schools:
        raise NotAllowed(_("Seule la direction d'une école choisit ses heures calmes."))
    if len(schools) == 1:
        return redirect("notifications:quiet_hours", school_id=schools[0].pk)
    return render(request, "notifications/quiet_hours_index.html", {"schools": schools, "title": _("Heures calmes")})


def quiet_hours(request, school_id: int):
    school = get_object_or_404(queries.schools_with_quiet_hours_of(request.user), pk=school_id)
    current = queries.quiet_hours_of(school)
    form = QuietHoursForm(request.POST or None, quiet_hours=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_quiet_hours(request.user, school, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Les heures calmes de l'école sont enregistrées."))
            return redirect("notifications:quiet_hours", school_id=school.pk)
    zone = school.circonscription.departement.academie.holiday_zone
    return render(
        request,
        "notifications/quiet_hours.html",
        {
            "school": school,
            "form": form,
            "weekdays": WEEKDAYS,
            "chosen_days": {int(day) for day in (form["quiet_days"].value() or [])},
            "zone": zone,
            "quiet_now": rules_of(current, zone).is_quiet(timezone.now()),
            "title": _("Heures calmes — %(school)s") % {"school": school.name},
        },
        status=400 if form.errors else 200,
    )
