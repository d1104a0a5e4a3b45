"""The e-mails of notifications, in French, plain text and HTML: one per notice for those who
chose it, and the daily digest (chosen, or held back by the quiet hours).

Every batch goes through one connection of Django's e-mail backend. Only people with an
address get e-mails; each ends with a link to the preferences.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable
from functools import cache
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import DigestItem, Entry

log = logging.getLogger(__name__)

# Sent digest lines are kept a month, to answer "did I get it?", then removed.
DIGEST_KEPT_DAYS = 30


def absolute_url(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.PREAU_SITE_URL}{url}"


@cache
def _preferences_path() -> str:
    return reverse("notifications:preferences")


def _message(subject: str, template: str, context: dict, to: str) -> EmailMultiAlternatives:
    context = {**context, "preferences_url": absolute_url(_preferences_path())}
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context), "text/html")
    return message


def notice_message(person, entry: Entry) -> EmailMultiAlternatives:
    """The e-mail of one notice, right away."""
    return _message(
        entry.full_title,
        "notice",
        {"person": person, "entry": entry, "url": absolute_url(entry.open_url)},
        person.email,
    )


def digest_message(person, items: list[DigestItem], now) -> EmailMultiAlternatives:
    """The summary of everything waiting for the person."""
    lines = [{"item": item, "at": timezone.localtime(item.created_at), "url": absolute_url(item.url)} for item in items]
    return _message(
        _("Préau : votre résumé du %(date)s") % {"date": date_format(timezone.localtime(now), "l j F")},
        "digest",
        {"person": person, "lines": lines, "timeline_url": absolute_url(reverse("notifications:timeline"))},
        person.email,
    )


def send_all(messages: Iterable[tuple[int, EmailMessage]]) -> list[int]:
    """Send each (key, message) through one connection; the keys of those that left."""
    messages = list(messages)
    if not messages:
        return []
    sent = []
    try:
        with get_connection() as connection:
            for key, message in messages:
                try:
                    connection.send_messages([message])
                except (smtplib.SMTPException, OSError):
                    log.warning("notification e-mail not sent", exc_info=True)
                else:
                    sent.append(key)
    except (smtplib.SMTPException, OSError):
        # The mail server cannot be reached: what is unsent stays due (digests) or is in the timeline.
        log.warning("mail server unreachable", exc_info=True)
    return sent


def send_digests(*, now=None) -> int:
    """Send every person their due digest lines in one e-mail; the number of e-mails sent.

    Due lines are those whose quiet hours are over (`not_before`). Run each morning by
    `preau send_digests` (cron) or the `send_daily_digests` task; run one of them only.
    """
    now = now or timezone.now()
    due = (
        DigestItem.objects.filter(sent_at__isnull=True, not_before__lte=now)
        .exclude(person__email="")
        .select_related("person")
        .order_by("person_id", "created_at", "id")
    )
    by_person = {person_id: list(items) for person_id, items in groupby(due, key=lambda item: item.person_id)}
    sent = send_all((person_id, digest_message(items[0].person, items, now)) for person_id, items in by_person.items())
    DigestItem.objects.filter(pk__in=[item.pk for person_id in sent for item in by_person[person_id]]).update(
        sent_at=now
    )
    DigestItem.objects.filter(created_at__lt=now - datetime.timedelta(days=DIGEST_KEPT_DAYS)).delete()
    return len(sent)
