"""The fan-out of a notice: timeline entries, live updates, e-mails, digest lines and pushes.

`deliver()` runs in a background task (`tasks.fan_out_notice`), never in the sender's request:
the subscriber of "notice" only queues it. Its cost is a constant number of queries whatever
the number of recipients (bulk reads and writes); only sending e-mails and pushes goes one by
one, over one SMTP connection and one HTTP session.
"""

import dataclasses
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core.notices import Notice
from preau.core.realtime import send_to_person
from preau.directory.models import Person

from . import families, mail, push, quiet
from .models import DigestItem, EmailMode, Entry
from .preferences import Choice, choices_for
from .queries import unread_counts

log = logging.getLogger(__name__)

BODY_LIMIT = 2000
PUSH_BODY_LIMIT = 300


def notice_to_json(notice: Notice) -> dict:
    return dataclasses.asdict(notice)


def notice_from_json(data: dict) -> Notice:
    known = {f.name for f in dataclasses.fields(Notice)}
    fields = {key: value for key, value in data.items() if key in known}
    fields["recipient_ids"] = tuple(fields.get("recipient_ids", ()))
    fields["pupil_ids"] = tuple(fields.get("pupil_ids", ()))
    return Notice(**fields)


def _write_entries(notice: Notice, person_ids: list[int], concerns: dict[int, str], now) -> dict[int, Entry]:
    """One entry per person, or the person's entry of the same group brought up to date.

    At most four queries: the group's entries, their common update, the few whose child label
    changed, the new ones.
    """
    fields = {
        "kind": notice.kind,
        "title": notice.title[:300],
        "url": notice.url[:500],
        "body": notice.body[:BODY_LIMIT],
        "school_id": notice.school_id,
        "created_at": now,
    }
    entries: dict[int, Entry] = {}
    if notice.group_key:
        grouped = list(Entry.objects.filter(person_id__in=person_ids, group_key=notice.group_key))
        Entry.objects.filter(pk__in=[entry.pk for entry in grouped]).update(
            **fields, count=F("count") + 1, read_at=None
        )
        relabelled = []
        for entry in grouped:
            for name, value in fields.items():
                setattr(entry, name, value)
            entry.count += 1
            entry.read_at = None
            if entry.concerns != concerns.get(entry.person_id, ""):
                entry.concerns = concerns.get(entry.person_id, "")
                relabelled.append(entry)
            entries[entry.person_id] = entry
        Entry.objects.bulk_update(relabelled, ["concerns"])
    created = Entry.objects.bulk_create(
        Entry(person_id=person_id, group_key=notice.group_key, concerns=concerns.get(person_id, ""), **fields)
        for person_id in person_ids
        if person_id not in entries
    )
    entries.update((entry.person_id, entry) for entry in created)
    return entries


def _needs_digest_line(choice: Choice, held: bool) -> bool:
    """Chosen as a digest, or an immediate e-mail or push held back by the quiet hours."""
    return choice.email == EmailMode.DIGEST or (held and (choice.email == EmailMode.IMMEDIATE or choice.push))


def deliver(notice: Notice, *, now=None) -> dict[str, int]:
    """Turn a notice into what each recipient chose; what was done, counted."""
    now = now or timezone.now()
    people = list(
        Person.objects.filter(pk__in=notice.recipient_ids, is_active=True).only(
            "id", "email", "first_name", "last_name"
        )
    )
    if not people:
        return {"entries": 0}
    ids = [person.pk for person in people]
    choices = choices_for(ids, notice.kind)
    concerns = families.concerns_for(ids, notice.pupil_ids)
    rules = quiet.rules_for_school(notice.school_id)
    held = not notice.urgent and rules.is_quiet(now)
    not_before = rules.next_allowed(now)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                entries = _write_entries(notice, ids, concerns, now)
                lines = DigestItem.objects.bulk_create(
                    DigestItem(
                        person=person,
                        kind=notice.kind,
                        title=entries[person.pk].full_title[:600],
                        url=entries[person.pk].open_url,
                        body=notice.body[:BODY_LIMIT],
                        held=held and choices[person.pk].email != EmailMode.DIGEST,
                        created_at=now,
                        not_before=not_before,
                    )
                    for person in people
                    if person.email and _needs_digest_line(choices[person.pk], held)
                )
            break
        except IntegrityError:
            # Another fan-out of the same group created one of these entries meanwhile: again,
            # it is now found and updated.
            if attempt == 2:
                raise
    unread = unread_counts(ids)
    for person_id, entry in entries.items():
        send_to_person(person_id, live_message(entry, unread[person_id]))
    emails = []
    pushes = {}
    if not held:
        emails = mail.send_all(
            (person.pk, mail.notice_message(person, entries[person.pk]))
            for person in people
            if person.email and choices[person.pk].email == EmailMode.IMMEDIATE
        )
        pushes = {person_id: push_payload(entries[person_id]) for person_id in ids if choices[person_id].push}
    return {
        "entries": len(entries),
        "emails": len(emails),
        "digest_lines": len(lines),
        "pushes": push.send(pushes) if pushes else 0,
        "held": int(held),
    }


def live_message(entry: Entry, unread: int) -> dict:
    """What an open page receives (core.realtime → the consumer → live.js)."""
    return {
        "type": "timeline.entry",
        "id": entry.pk,
        "title": entry.full_title,
        "url": entry.open_url,
        "unread": unread,
        "label": _("Nouvelle notification :"),
        "close_label": _("Masquer le message"),
    }


def push_payload(entry: Entry) -> dict:
    """What the service worker shows (notifications/sw.js)."""
    return {
        "title": entry.concerns or "Préau",
        "body": entry.title[:PUSH_BODY_LIMIT],
        "url": entry.open_url,
        "tag": entry.group_key or f"entry-{entry.pk}",
    }
