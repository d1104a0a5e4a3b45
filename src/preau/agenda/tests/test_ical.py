"""The private iCalendar feed: parsed back with icalendar, per person, revocable."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from preau.agenda.models import Event, FeedToken
from preau.core.models import AuditEntry

from .conftest import due_for, event_in, make_person

C = Event.Calendar


def _subscribe(client) -> str:
    """Create the address from the agenda's page, as a person does; return its token."""
    page = client.post(reverse("agenda:subscription")).content.decode()
    return re.search(r"/agenda/ical/([^\"]+)\.ics", page).group(1)


def _feed(client, token):
    return client.get(reverse("agenda:ical", args=[token]))


def _events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


@pytest.fixture
def agenda(world):
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=3), datetime.time(9, 0)))
    return {
        "school": event_in(world, C.SCHOOL, title="Réunion de rentrée", category="reunion"),
        "class": event_in(
            world, C.CLASS, title="Sortie au musée", all_day=False, starts_at=start,
            ends_at=start + datetime.timedelta(hours=6), starts_on=start.date(), ends_on=start.date(), place="Tarbes",
        ),
        "personal": event_in(world, C.PERSONAL, title="Rendez-vous personnel"),
        "other": event_in(world, C.SCHOOL, title="Fête ailleurs", school=world["other_school"]),
        "due": due_for(world, work_id=7, day=today + datetime.timedelta(days=1)),
    }  # fmt: skip


def test_a_parent_subscribes_and_the_feed_holds_what_they_may_see(world, agenda, client, client_for):
    parent = make_person("parent", world)
    token = _subscribe(client_for(parent))
    response = _feed(client, token)  # no session: the address is the key
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    found = _events(response)
    school, outing = found[f"evenement-{agenda['school'].pk}"], found[f"evenement-{agenda['class'].pk}"]
    assert f"evenement-{agenda['personal'].pk}" not in found and f"evenement-{agenda['other'].pk}" not in found
    # All-day: DATE values, the end exclusive.
    assert school.decoded("DTSTART") == agenda["school"].starts_on
    assert school.decoded("DTEND") == agenda["school"].starts_on + datetime.timedelta(days=1)
    # Timed: local time with its zone, and the zone described once.
    assert outing["DTSTART"].params["TZID"] == "Europe/Paris"
    assert outing.decoded("DTSTART") == agenda["class"].starts_at
    assert str(outing["LOCATION"]) == "Tarbes"
    calendar = Calendar.from_ical(response.content)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    child = parent.child_links.get().child
    homework = found[f"devoir-7-{child.pk}"]
    assert str(homework["SUMMARY"]) == "À faire : Poésie 7" and child.first_name in str(homework["DESCRIPTION"])
    assert any(uid.startswith(("vacances-C-", "ferie-")) for uid in found) or not holidays_in_window()
    # The same lines keep the same UID from one read to the next.
    assert set(_events(_feed(client, token))) == set(found)


def holidays_in_window() -> bool:
    from preau.agenda.feed import feed_window
    from preau.agenda.school_holidays import holidays_between

    return bool(holidays_between(["C"], *feed_window(timezone.localdate())))


def test_the_teacher_sees_their_own_events_and_not_the_others(world, agenda, client, client_for):
    token = _subscribe(client_for(world["teacher"]))
    found = _events(_feed(client, token))
    assert {f"evenement-{agenda[k].pk}" for k in ("school", "class", "personal")} <= set(found)
    assert f"evenement-{agenda['other'].pk}" not in found


def test_only_the_hash_is_kept_and_a_replaced_or_revoked_address_answers_404(world, agenda, client, client_for):
    parent = make_person("parent", world)
    browser = client_for(parent)
    first = _subscribe(browser)
    stored = FeedToken.objects.get(person=parent)
    assert stored.token_hash == hashlib.sha256(first.encode()).hexdigest() and first not in stored.token_hash
    second = _subscribe(browser)
    assert _feed(client, first).status_code == 404 and _feed(client, second).status_code == 200
    page = browser.get(reverse("agenda:subscription")).content.decode()
    assert second not in page  # shown once, when created
    browser.post(reverse("agenda:subscription_revoke"))
    assert _feed(client, second).status_code == 404 and _feed(client, "nimporte-quoi").status_code == 404
    actions = list(AuditEntry.objects.filter(subject=parent).values_list("action", flat=True))
    assert {"agenda.feed_created", "agenda.feed_regenerated", "agenda.feed_revoked", "agenda.feed_read"} <= set(actions)
    assert actions.count("agenda.feed_read") == 1  # once a day, not at every read


def test_an_inactive_account_has_no_feed(world, agenda, client, client_for):
    parent = make_person("parent", world)
    token = _subscribe(client_for(parent))
    type(parent).objects.filter(pk=parent.pk).update(is_active=False)
    assert _feed(client, token).status_code == 404


@pytest.mark.parametrize("count", [3, 150])
def test_the_feed_costs_the_same_with_3_or_150_events(world, client, client_for, django_assert_max_num_queries, count):
    parent = make_person("parent", world)
    token = _subscribe(client_for(parent))
    today = timezone.localdate()
    Event.objects.bulk_create(
        Event(calendar=C.CLASS, school=world["school"], school_class=world["class"], title=f"É{i}", all_day=True,
              starts_on=today + datetime.timedelta(days=i), ends_on=today + datetime.timedelta(days=i))
        for i in range(count)
    )  # fmt: skip
    for i in range(5):
        due_for(world, work_id=100 + i)
    with django_assert_max_num_queries(10):
        response = _feed(client, token)
    assert sum(1 for uid in _events(response) if uid.startswith("evenement-")) == count
