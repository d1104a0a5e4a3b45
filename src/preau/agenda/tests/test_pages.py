"""The agenda's pages, its API and the portal block, through Django's test client."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from preau.agenda.models import Event
from preau.directory.queries import access_of

from .conftest import due_for, event_in, make_person

C = Event.Calendar
NOVEMBER = datetime.date(2025, 11, 1)


def _events(world, count: int, first: datetime.date) -> None:
    Event.objects.bulk_create(
        Event(
            calendar=C.CLASS if i % 2 else C.SCHOOL,
            school=world["school"],
            school_class=world["class"] if i % 2 else None,
            title=f"Événement {i}",
            category="sortie",
            all_day=True,
            starts_on=first + datetime.timedelta(days=i % 28),
            ends_on=first + datetime.timedelta(days=i % 28 + i % 3),
        )
        for i in range(count)
    )


@pytest.mark.parametrize("count", [3, 200])
def test_the_month_costs_the_same_with_3_or_200_events(world, client_for, django_assert_max_num_queries, count):
    _events(world, count, NOVEMBER)
    for i in range(10):
        due_for(world, work_id=i + 1, day=NOVEMBER + datetime.timedelta(days=i))
    parent = make_person("parent", world)
    client = client_for(parent)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("agenda:month"), {"mois": "2025-11"})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("Événement ") == count
    assert content.count("À faire : Poésie") == 10
    # Holidays of the académie's zone (C) and public holidays.
    assert "Vacances de la Toussaint" in content and "Armistice" in content


@pytest.mark.parametrize("count", [3, 100])
def test_the_week_costs_the_same_with_3_or_100_events(world, client_for, django_assert_max_num_queries, count):
    monday = datetime.date(2025, 12, 15)
    Event.objects.bulk_create(
        Event(calendar=C.SCHOOL, school=world["school"], title=f"Réunion {i}", all_day=True,
              starts_on=monday + datetime.timedelta(days=i % 5), ends_on=monday + datetime.timedelta(days=i % 5))
        for i in range(count)
    )  # fmt: skip
    client = client_for(world["teacher"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("agenda:week"), {"date": "2025-12-17"})
    content = response.content.decode()
    assert content.count("Réunion ") == count
    assert "Sur plusieurs jours" in content and "Vacances de Noël" in content  # from Saturday 20


def test_a_teacher_adds_a_class_outing_from_the_form_and_a_parent_reads_it(
    world, client_for, django_assert_max_num_queries
):
    parent = make_person("parent", world)
    client = client_for(world["teacher"])
    form = client.get(reverse("agenda:event_create"), {"date": "2026-05-19"}).content.decode()
    assert 'value="2026-05-19"' in form and f'value="classe:{world["class"].pk}"' in form
    assert f'value="ecole:{world["school"].pk}"' not in form  # the director's calendar only
    response = client.post(
        reverse("agenda:event_create"),
        {"target": f"classe:{world['class'].pk}", "title": "Sortie au musée", "category": "sortie",
         "starts_on": "2026-05-19", "start_time": "09:00", "end_time": "16:00", "place": "Musée de Tarbes",
         "description": "Pique-nique à prévoir"},
    )  # fmt: skip
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == reverse("agenda:event", args=[event.pk])
    reader = client_for(parent)
    with django_assert_max_num_queries(10):
        page = reader.get(reverse("agenda:event", args=[event.pk]))
    content = page.content.decode()
    assert "Sortie au musée" in content and "de 09:00 à 16:00" in content and "<p>Pique-nique à prévoir</p>" in content
    assert "Modifier" not in content
    month = reader.get(reverse("agenda:month"), {"mois": "2026-05"}).content.decode()
    assert "Sortie au musée" in month and "Musée de Tarbes" in month


def test_a_forged_calendar_changes_nothing(world, client_for):
    response = client_for(world["teacher"]).post(
        reverse("agenda:event_create"),
        {"target": f"ecole:{world['other_school'].pk}", "title": "x", "category": "autre", "starts_on": "2026-05-19",
         "all_day": "on"},
    )  # fmt: skip
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Event.objects.exists()


def test_the_writer_edits_and_deletes_from_the_pages(world, client_for):
    event = event_in(world, C.CLASS, title="Piscine")
    client = client_for(world["teacher"])
    response = client.post(
        reverse("agenda:event_edit", args=[event.pk]),
        {"title": "Piscine annulée", "category": "sport", "starts_on": event.starts_on.isoformat(), "all_day": "on"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Piscine annulée"
    parent = client_for(make_person("parent", world))
    assert parent.post(reverse("agenda:event_delete", args=[event.pk])).status_code == 403
    client.post(reverse("agenda:event_delete", args=[event.pk]))
    assert not Event.objects.exists()


def test_the_api_lists_what_the_page_lists(world, client_for):
    event_in(world, C.SCHOOL, day=datetime.date(2025, 11, 14), title="Conseil d'école")
    parent = client_for(make_person("parent", world))
    data = parent.get(reverse("agenda:api_items"), {"debut": "2025-11-01", "fin": "2025-11-30"}).json()
    assert [(e["type"], e["titre"]) for e in data["elements"]] == [
        ("vacances", "Vacances de la Toussaint"),  # from 18 October, still on in November
        ("ferie", "Toussaint"),
        ("ferie", "Armistice"),
        ("evenement", "Conseil d'école"),
    ]
    assert parent.get(reverse("agenda:api_items"), {"debut": "demain"}).status_code == 400
    assert parent.get(reverse("agenda:api_items"), {"debut": "2025-01-01", "fin": "2027-01-01"}).status_code == 400


@pytest.mark.parametrize("count", [5, 100])
def test_the_portal_block_shows_what_comes_in_constant_queries(world, django_assert_max_num_queries, count):
    _events(world, count, timezone.localdate())
    parent = make_person("parent", world)
    request = RequestFactory().get("/")
    request.user = parent
    access_of(parent)  # loaded once per request by the page itself
    with django_assert_max_num_queries(3):
        html = Template("{% load agenda %}{% agenda_upcoming %}").render(Context({"request": request}))
    assert "À venir" in html and html.count("<li") == 5


def test_every_form_page_costs_a_few_queries(world, client_for, django_assert_max_num_queries):
    event = event_in(world, C.CLASS)
    client = client_for(world["teacher"])
    client.post(reverse("agenda:subscription"))
    for url in (
        reverse("agenda:event_create"),
        reverse("agenda:event_edit", args=[event.pk]),
        reverse("agenda:subscription"),
    ):
        with django_assert_max_num_queries(9):
            response = client.get(url)
        assert response.status_code == 200, url
