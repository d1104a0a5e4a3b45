"""Every change a person makes to their notifications, and a director to their school's quiet hours.

The fan-out of notices (system writes) lives in `delivery.py`; it runs in a background task.
"""

import base64
import binascii
import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from preau.core import audit, notices
from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Person, School

from . import policy, push
from .models import EmailMode, Entry, Preference, PushSubscription, QuietHours
from .preferences import Choice
from .queries import forget_unread_count, forget_unread_counts


def _owner_only(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(_("Cette notification n'est pas la vôtre."))


def open_entry(person: Person, entry: Entry) -> str:
    """The person opens one of their entries: it is read; the safe address it leads to.

    Not journaled: reading one's own notifications touches nobody else's data.
    """
    _owner_only(policy.can_read_entry(person, entry))
    if entry.read_at is None:
        Entry.objects.filter(pk=entry.pk, read_at__isnull=True).update(read_at=timezone.now())
        forget_unread_count(person.pk)
    # Services give paths of this site; anything else leads to the timeline instead.
    if url_has_allowed_host_and_scheme(entry.url, allowed_hosts=None) and entry.url.startswith("/"):
        return entry.url
    return reverse("notifications:timeline")


def mark_all_read(person: Person) -> int:
    """Every unread entry of the person is read; how many were."""
    _owner_only(policy.has_timeline(person))
    count = Entry.objects.filter(person=person, read_at__isnull=True).update(read_at=timezone.now())
    forget_unread_count(person.pk)
    if count:
        audit.record(person, "notifications.all_read", subject=person, count=count)
    return count


def save_preferences(person: Person, choices: Mapping[str, Choice]) -> None:
    """The person chooses, per kind of notice, e-mail (none, immediate, digest) and push.

    Kinds nobody registered and unknown e-mail modes are refused; nothing changes then.
    """
    _owner_only(policy.has_timeline(person))
    known = {kind.code for kind in notices.kinds()}
    for code, choice in choices.items():
        if code not in known:
            raise DomainError(_("Ce type de notification n'existe pas."))
        if choice.email not in EmailMode.values:
            raise DomainError(_("Choisissez comment recevoir les courriels."))
    with transaction.atomic():
        Preference.objects.filter(person=person, kind__in=list(choices)).delete()
        Preference.objects.bulk_create(
            Preference(person=person, kind=code, email=choice.email, push=choice.push)
            for code, choice in choices.items()
        )
        audit.record(
            person,
            "notifications.preferences_changed",
            subject=person,
            choices={code: {"courriel": c.email, "push": c.push} for code, c in choices.items()},
        )


def _decoded_length(value: str) -> int:
    try:
        return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError):
        return -1


def subscribe_push(person: Person, *, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """The person allows push on this browser: its subscription is kept (moved to them if the
    browser was someone else's before)."""
    _owner_only(policy.has_timeline(person))
    if not push.is_push_service(endpoint) or len(endpoint) > 1000:
        raise DomainError(_("Ce service de notifications n'est pas reconnu."))
    if _decoded_length(p256dh) != 65 or _decoded_length(auth) != 16:
        raise DomainError(_("Les clés de cet abonnement ne sont pas valides."))
    with transaction.atomic():
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"person": person, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]},
        )
        audit.record(person, "notifications.push_subscribed", target=subscription, subject=person)
    return subscription


def unsubscribe_push(person: Person, subscription: PushSubscription) -> None:
    """The person withdraws push from one of their browsers."""
    _owner_only(policy.owns_subscription(person, subscription))
    with transaction.atomic():
        audit.record(person, "notifications.push_unsubscribed", target=subscription, subject=person)
        subscription.delete()


def set_quiet_hours(
    actor: Person,
    school: School,
    *,
    enabled: bool,
    morning: datetime.time,
    evening: datetime.time,
    quiet_days: Iterable[int],
    school_holidays: bool,
    public_holidays: bool,
) -> QuietHours:
    """The director sets when the school's e-mails and pushes wait (journaled)."""
    if not policy.can_set_quiet_hours(actor, school):
        raise NotAllowed(_("Seule la direction de l'école choisit ses heures calmes."))
    days = sorted(set(quiet_days))
    if any(day not in range(7) for day in days):
        raise DomainError(_("Choisissez des jours de la semaine."), field="quiet_days")
    if len(days) == 7:
        raise DomainError(_("Laissez au moins un jour sans heures calmes."), field="quiet_days")
    if not morning < evening:
        raise DomainError(_("Le soir doit commencer après la fin de la matinée calme."), field="evening")
    values = {
        "enabled": enabled,
        "morning": morning,
        "evening": evening,
        "quiet_days": days,
        "school_holidays": school_holidays,
        "public_holidays": public_holidays,
    }
    with transaction.atomic():
        quiet_hours, _created = QuietHours.objects.update_or_create(
            school=school, defaults={**values, "updated_by": actor}
        )
        audit.record(
            actor,
            "notifications.quiet_hours_changed",
            target=quiet_hours,
            school_id=school.pk,
            **{**values, "morning": morning.strftime("%H:%M"), "evening": evening.strftime("%H:%M")},
        )
    return quiet_hours


# --- End of a school's data (core.school_data) ---------------------------------------------------


def erase_school_data(school_id: int) -> int:
    """Delete the school's quiet hours and the timeline entries its notices left: their titles
    and excerpts copy the school's contents, deleted with it, and their links lead nowhere.

    People's preferences and devices are their own and stay; pending digest lines name no
    school and leave with the next digest. Rows deleted; idempotent (`core.school_data`).
    """
    entries = Entry.objects.filter(school_id=school_id)
    unread_of = set(entries.filter(read_at__isnull=True).values_list("person_id", flat=True))
    deleted = entries.delete()[0] + QuietHours.objects.filter(school_id=school_id).delete()[0]
    if unread_of:
        transaction.on_commit(lambda: forget_unread_counts(unread_of))
    return deleted
