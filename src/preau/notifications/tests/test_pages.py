"""The pages: timeline, an entry's link, mark all read, preferences, the portal's block, the API, the badge."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from preau.core.models import AuditEntry
from preau.notifications.models import EmailMode, Entry, Preference
from preau.notifications.queries import unread_count

from .conftest import DIGEST_KIND, URGENT_KIND, as_submitted


def a_parent(built):
    return built.parents[built.pupils[built.classes[0].id][0].pk][0]


def fill_timeline(person, count: int, *, read: int = 0) -> list[Entry]:
    start = timezone.now() - datetime.timedelta(hours=count)
    return Entry.objects.bulk_create(
        Entry(
            person=person,
            kind=DIGEST_KIND.code,
            concerns="Léa — CE1 A",
            title=f"Devoirs n° {n}",
            url=f"/cahier-de-textes/{n}/",
            created_at=start + datetime.timedelta(hours=n),
            read_at=timezone.now() if n < read else None,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_the_timeline_costs_the_same_with_10_or_1000_entries(built, client_for, django_assert_max_num_queries, count):
    parent = a_parent(built)
    fill_timeline(parent, count)
    fill_timeline(built.teachers[0], 3)  # someone else's
    client = client_for(parent)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("notifications:timeline"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("/ouvrir/") == min(count, 25)
    assert f"Devoirs n° {count - 1}" in page  # the latest first
    assert f"{count} notifications non lues." in page
    assert "Léa — CE1 A" in page


@pytest.mark.parametrize("count", [10, 1000])
def test_the_portal_home_shows_the_latest_entries_at_the_same_cost(
    built, client_for, django_assert_max_num_queries, count
):
    parent = a_parent(built)
    fill_timeline(parent, count)
    client = client_for(parent)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dernières notifications" in page
    assert page.count("/ouvrir/") == 5
    assert f"Devoirs n° {count - 1}" in page and f"Devoirs n° {count - 6}" not in page


def test_opening_an_entry_reads_it_and_leads_to_its_page(built, client_for):
    parent = a_parent(built)
    entry, other = fill_timeline(parent, 2)
    client = client_for(parent)
    assert unread_count(parent) == 2
    response = client.get(reverse("notifications:open", args=[entry.pk]))
    assert response.status_code == 302 and response.url == "/cahier-de-textes/0/"
    entry.refresh_from_db()
    assert entry.read_at is not None
    assert unread_count(parent) == 1
    assert "Non lue" in client.get(reverse("notifications:timeline")).content.decode()


def test_an_entry_leading_elsewhere_than_this_site_leads_to_the_timeline(built, client_for):
    parent = a_parent(built)
    entry = Entry.objects.create(person=parent, kind=URGENT_KIND.code, title="Piège", url="https://ailleurs.invalid/")
    response = client_for(parent).get(reverse("notifications:open", args=[entry.pk]))
    assert response.url == reverse("notifications:timeline")


def test_nobody_opens_someone_elses_entry(built, client_for):
    parent = a_parent(built)
    (entry,) = fill_timeline(parent, 1)
    for intruder in (built.director, built.teachers[0], built.parents[built.pupils[built.classes[1].id][0].pk][0]):
        client = client_for(intruder)
        assert client.get(reverse("notifications:open", args=[entry.pk])).status_code == 404
        assert client.get(reverse("notifications:api_entry", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.read_at is None


def test_mark_all_read_reads_only_ones_own_entries(built, client_for):
    parent, teacher = a_parent(built), built.teachers[0]
    fill_timeline(parent, 4, read=1)
    fill_timeline(teacher, 2)
    assert unread_count(parent) == 3  # now in the cache
    response = client_for(parent).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Entry.objects.filter(person=parent, read_at__isnull=True).exists()
    assert Entry.objects.filter(person=teacher, read_at__isnull=True).count() == 2
    assert unread_count(parent) == 0
    assert AuditEntry.objects.get(action="notifications.all_read").details == {"count": 3}
    assert client_for(parent).get(reverse("notifications:mark_all_read")).status_code == 405


def test_a_parent_switches_a_kind_to_the_daily_digest(built, client_for, django_assert_max_num_queries):
    parent = a_parent(built)
    client = client_for(parent)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("notifications:preferences"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Mot à signer" in html and "Devoirs" in html
    assert 'name="courriel-essai-mot"' in html and 'name="push-essai-mot" id="id_push-essai-mot" checked' in html
    data = as_submitted(page.context["form"])
    data.update({"courriel-essai-mot": EmailMode.DIGEST, "courriel-essai-devoirs": EmailMode.NONE})
    data.pop("push-essai-mot")
    data["push-essai-devoirs"] = "on"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    chosen = {p.kind: (p.email, p.push) for p in Preference.objects.filter(person=parent)}
    assert chosen[URGENT_KIND.code] == (EmailMode.DIGEST, False)
    assert chosen[DIGEST_KIND.code] == (EmailMode.NONE, True)
    assert AuditEntry.objects.filter(action="notifications.preferences_changed", actor=parent).exists()


def test_a_forged_preference_is_refused_in_french_and_changes_nothing(built, client_for):
    parent = a_parent(built)
    client = client_for(parent)
    data = as_submitted(client.get(reverse("notifications:preferences")).context["form"])
    data["courriel-essai-mot"] = "sms"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Preference.objects.exists()


def test_the_api_lists_and_shows_ones_own_entries(built, client_for, django_assert_max_num_queries):
    parent = a_parent(built)
    entries = fill_timeline(parent, 3, read=1)
    fill_timeline(built.teachers[0], 2)
    client = client_for(parent)
    with django_assert_max_num_queries(8):
        data = client.get(reverse("notifications:api_entries")).json()
    assert data["non_lues"] == 2 and data["pages"] == 1
    assert [e["titre"] for e in data["entrees"]] == ["Devoirs n° 2", "Devoirs n° 1", "Devoirs n° 0"]
    detail = client.get(reverse("notifications:api_entry", args=[entries[0].pk])).json()
    assert detail["concerne"] == "Léa — CE1 A" and detail["lue"] is True


def test_the_badge_counts_unread_entries_from_the_cache(built, django_assert_num_queries):
    parent = a_parent(built)
    fill_timeline(parent, 7, read=2)
    request = RequestFactory().get("/")
    request.user = parent
    template = Template("{% load notifications %}{% unread_badge %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request}))
    assert "<span data-notifications-count>5</span>" in html and "fr-hidden" not in html
    with django_assert_num_queries(0):
        template.render(Context({"request": request}))
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    assert template.render(Context({"request": request})) == ""


def test_the_live_script_is_on_every_page_of_a_signed_in_person(built, client_for, client):
    page = client_for(a_parent(built)).get(reverse("notifications:timeline")).content.decode()
    assert "notifications/live.js" in page
    assert "notifications/live.js" not in client.get(reverse("accounts:login")).content.decode()


def test_a_director_finds_the_quiet_hours_from_the_preferences(built, client_for):
    link = reverse("notifications:quiet_hours_index")
    assert link in client_for(built.director).get(reverse("notifications:preferences")).content.decode()
    assert link not in client_for(a_parent(built)).get(reverse("notifications:preferences")).content.decode()
