"""Sentences the pages show: answering hours, read receipts, recipients."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import AnsweringHours, Message

DAY_NAMES = {
    "1": gettext_lazy("lundi"),
    "2": gettext_lazy("mardi"),
    "3": gettext_lazy("mercredi"),
    "4": gettext_lazy("jeudi"),
    "5": gettext_lazy("vendredi"),
    "6": gettext_lazy("samedi"),
    "7": gettext_lazy("dimanche"),
}


def time_label(moment: datetime.time) -> str:
    """8 h, 8 h 30."""
    return f"{moment.hour} h" if not moment.minute else f"{moment.hour} h {moment.minute:02d}"


def days_label(days: str) -> str:
    """ "du lundi au vendredi" for a run of days, "le lundi, le mardi et le jeudi" otherwise."""
    days = "".join(sorted(set(days)))
    names = [str(DAY_NAMES[day]) for day in days if day in DAY_NAMES]
    if not names:
        return ""
    if len(names) == 1:
        return _("le %(day)s") % {"day": names[0]}
    if len(days) > 2 and days == "".join(str(n) for n in range(int(days[0]), int(days[-1]) + 1)):
        return _("du %(first)s au %(last)s") % {"first": names[0], "last": names[-1]}
    return _("le %(days)s et le %(last)s") % {"days": ", le ".join(names[:-1]), "last": names[-1]}


def hours_label(hours: AnsweringHours) -> str:
    """ "Je réponds du lundi au vendredi, 8 h – 18 h." (and the teacher's own note)."""
    label = _("Je réponds %(days)s, %(start)s – %(end)s.") % {
        "days": days_label(hours.days),
        "start": time_label(hours.start),
        "end": time_label(hours.end),
    }
    return f"{label} {hours.note}".strip()


def _french_count(n: int) -> int:
    # French says "0 parent" (singular up to 1), whatever the catalog's plural rule.
    return 1 if n <= 1 else n


def receipt_label(message: Message) -> str:
    """ "Lu par 18 parents sur 24" (families only), or "Lu par 3 destinataires sur 5"."""
    if message.families and message.families == message.total:
        return ngettext(
            "Lu par %(read)d parent sur %(total)d",
            "Lu par %(read)d parents sur %(total)d",
            _french_count(message.families_read),
        ) % {"read": message.families_read, "total": message.families}
    label = ngettext(
        "Lu par %(read)d destinataire sur %(total)d",
        "Lu par %(read)d destinataires sur %(total)d",
        _french_count(message.read),
    ) % {"read": message.read, "total": message.total}
    if message.families:
        label += " " + ngettext(
            "(dont %(read)d parent sur %(total)d)",
            "(dont %(read)d parents sur %(total)d)",
            _french_count(message.families_read),
        ) % {"read": message.families_read, "total": message.families}
    return label
