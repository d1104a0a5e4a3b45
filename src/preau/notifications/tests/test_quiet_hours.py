"""Quiet hours (droit à la déconnexion): the rules, and the director who sets them for the school."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.models import Academie
from preau.notifications import actions
from preau.notifications.models import QuietHours
from preau.notifications.quiet import QuietRules, rules_for_school


def at(text: str) -> datetime.datetime:
    """A moment in Paris: "2026-03-10 20:00"."""
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


ZONE_C = QuietRules(zone="C")


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        ("2026-03-10 12:00", False),  # a Tuesday at noon
        ("2026-03-10 07:29", True),  # before the end of the quiet morning
        ("2026-03-10 07:30", False),
        ("2026-03-10 18:59", False),
        ("2026-03-10 19:00", True),  # the evening begins
        ("2026-03-14 11:00", True),  # a Saturday
        ("2026-05-08 10:00", True),  # 8 mai, a public holiday (a Friday of no school holiday)
        ("2026-10-20 10:00", True),  # the Toussaint holidays of zone C
    ],
)
def test_the_default_quiet_hours(moment, quiet):
    assert ZONE_C.is_quiet(at(moment)) is quiet


@pytest.mark.parametrize(
    ("rules", "moment", "released"),
    [
        (ZONE_C, "2026-03-10 12:00", "2026-03-10 12:00"),  # nothing to wait for
        (ZONE_C, "2026-03-10 20:00", "2026-03-11 07:30"),  # the next morning
        (ZONE_C, "2026-03-11 05:00", "2026-03-11 07:30"),  # the same morning
        (ZONE_C, "2026-03-13 20:00", "2026-03-16 07:30"),  # Friday evening: Monday morning
        (ZONE_C, "2026-05-07 20:00", "2026-05-11 07:30"),  # over the 8 mai and the weekend
        (QuietRules(zone="C", public_holidays=False), "2026-05-07 20:00", "2026-05-08 07:30"),
        (ZONE_C, "2026-10-16 20:00", "2026-11-02 07:30"),  # the Toussaint holidays
        (QuietRules(zone="C", school_holidays=False), "2026-10-16 20:00", "2026-10-19 07:30"),
        (ZONE_C, "2026-12-18 20:00", "2027-01-04 07:30"),  # Christmas
        (QuietRules(zone=""), "2026-12-18 20:00", "2026-12-21 07:30"),  # no school: no school holidays
        (QuietRules(zone="C", quiet_days=frozenset({2, 5, 6})), "2026-03-10 20:00", "2026-03-12 07:30"),
        (QuietRules(zone="C", enabled=False), "2026-03-14 23:00", "2026-03-14 23:00"),
    ],
)
def test_what_is_held_goes_out_when_the_quiet_hours_end(rules, moment, released):
    assert rules.next_allowed(at(moment)) == at(released)


def test_a_school_uses_its_academie_zone_and_its_own_settings(built):
    built.school.circonscription.departement.academie.holiday_zone = Academie.Zone.A
    built.school.circonscription.departement.academie.save()
    assert rules_for_school(built.school.pk) == QuietRules(zone="A")
    actions.set_quiet_hours(
        built.director,
        built.school,
        enabled=True,
        morning=datetime.time(8, 0),
        evening=datetime.time(18, 0),
        quiet_days=[6],
        school_holidays=False,
        public_holidays=True,
    )
    rules = rules_for_school(built.school.pk)
    assert rules == QuietRules(
        morning=datetime.time(8, 0),
        evening=datetime.time(18, 0),
        quiet_days=frozenset({6}),
        school_holidays=False,
        zone="A",
    )
    assert rules.is_quiet(at("2026-03-14 11:00")) is False  # Saturdays are no longer quiet
    assert rules_for_school(None) == QuietRules()


def test_the_director_sets_the_quiet_hours_and_it_is_journaled(built, client_for, django_assert_max_num_queries):
    client = client_for(built.director)
    url = reverse("notifications:quiet_hours", args=[built.school.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert "Heures calmes" in page.content.decode()
    response = client.post(
        url,
        {
            "enabled": "on",
            "morning": "08:00",
            "evening": "18:30",
            "quiet_days": ["5", "6"],
            "school_holidays": "on",
        },
    )
    assert response.status_code == 302
    saved = QuietHours.objects.get(school=built.school)
    assert (saved.morning, saved.evening, saved.quiet_days) == (datetime.time(8), datetime.time(18, 30), [5, 6])
    assert saved.school_holidays and not saved.public_holidays and saved.updated_by == built.director
    entry = AuditEntry.objects.get(action="notifications.quiet_hours_changed")
    assert entry.actor == built.director and entry.school_id == built.school.pk
    assert entry.details["evening"] == "18:30"
    assert client.get(reverse("notifications:quiet_hours_index")).url == url


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"morning": "19:00", "evening": "07:30"}, "Le soir doit commencer après la fin de la matinée calme."),
        ({"morning": "07:30", "evening": "19:00", "quiet_days": [str(d) for d in range(7)]}, "au moins un jour"),
        ({"morning": "07:30", "evening": "19:00", "quiet_days": ["9"]}, "Sélectionnez un choix valide"),
        ({"morning": "sept heures", "evening": "19:00"}, "Saisissez une heure valide"),
    ],
)
def test_impossible_quiet_hours_are_refused_in_french_and_change_nothing(built, client_for, data, message):
    response = client_for(built.director).post(reverse("notifications:quiet_hours", args=[built.school.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not QuietHours.objects.exists()
    assert not AuditEntry.objects.filter(action="notifications.quiet_hours_changed").exists()


def test_nobody_but_the_director_sets_a_schools_quiet_hours(built, client_for):
    from preau.directory.factories import make_school

    other = make_school(classes=1, pupils=1)
    with pytest.raises(NotAllowed):
        actions.set_quiet_hours(
            other.director,
            built.school,
            enabled=False,
            morning=datetime.time(7),
            evening=datetime.time(19),
            quiet_days=[],
            school_holidays=True,
            public_holidays=True,
        )
    url = reverse("notifications:quiet_hours", args=[built.school.pk])
    assert client_for(other.director).post(url, {"morning": "07:00", "evening": "20:00"}).status_code == 404
    assert client_for(built.teachers[0]).get(url).status_code == 404
    assert client_for(built.teachers[0]).get(reverse("notifications:quiet_hours_index")).status_code == 403
    assert not QuietHours.objects.exists()
    with pytest.raises(DomainError):
        actions.set_quiet_hours(
            built.director,
            built.school,
            enabled=True,
            morning=datetime.time(20),
            evening=datetime.time(19),
            quiet_days=[],
            school_holidays=True,
            public_holidays=True,
        )
