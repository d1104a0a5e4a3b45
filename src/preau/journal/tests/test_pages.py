"""The pages of the cahier journal, through Django's test client."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.core.models import AuditEntry
from preau.journal.models import DayTemplate, JournalShare, Slot

from .conftest import make_person

MONDAY = datetime.date(2026, 3, 2)


def _slots(world, days, per_day: int) -> None:
    Slot.objects.bulk_create(
        Slot(
            author=world["teacher"],
            school_class=world["class"],
            date=day,
            starts_at=datetime.time(8 + i % 8, 0),
            ends_at=datetime.time(8 + i % 8, 45),
            subject="francais",
            title=f"Séance {i}",
            objectives="Lire",
            review="Bien" if i % 2 else "",
        )
        for day in days
        for i in range(per_day)
    )


@pytest.mark.parametrize("per_day", [3, 60])
def test_the_day_costs_the_same_with_3_or_60_sessions(world, client_for, django_assert_max_num_queries, per_day):
    _slots(world, [MONDAY], per_day)
    client = client_for(world["teacher"])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("journal:day"), {"date": MONDAY.isoformat()})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="preau-slot"') == per_day
    assert "lundi 2 mars 2026" in content and "Reporter dans le cahier de textes" in content


@pytest.mark.parametrize("per_day", [1, 30])
def test_the_week_costs_the_same_with_5_or_150_sessions(world, client_for, django_assert_max_num_queries, per_day):
    _slots(world, [MONDAY + datetime.timedelta(days=n) for n in range(5)], per_day)
    client = client_for(world["teacher"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("journal:week"), {"date": (MONDAY + datetime.timedelta(days=2)).isoformat()})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<tr>") == 5 + 5 * per_day  # a header row per day, a row per session
    assert "Semaine du 2 mars 2026" in content


def test_a_teacher_plans_a_session_from_the_form(world, client_for):
    client = client_for(world["teacher"])
    page = client.get(reverse("journal:slot_create"), {"date": MONDAY.isoformat()})
    assert 'value="2026-03-02"' in page.content.decode()
    response = client.post(
        reverse("journal:slot_create"),
        {
            "school_class": world["class"].pk,
            "date": "2026-03-02",
            "starts_at": "09:00",
            "ends_at": "10:00",
            "subject": "questionner_le_monde",
            "title": "Le cycle de l'eau",
            "objectives": "Nommer les états de l'eau",
            "organisation": "groupes",
        },
    )
    slot = Slot.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#seance-{slot.pk}")
    day = client.get(response.url).content.decode()
    assert "Le cycle de l&#x27;eau" in day and "Questionner le monde" in day and "en groupes" in day


def test_a_forged_class_or_a_session_ending_first_changes_nothing(world, client_for):
    client = client_for(world["teacher"])
    data = {"date": "2026-03-02", "starts_at": "09:00", "ends_at": "10:00", "subject": "eps", "title": "Piscine"}
    response = client.post(reverse("journal:slot_create"), {**data, "school_class": world["other_class"].pk})
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = client.post(
        reverse("journal:slot_create"), {**data, "school_class": world["class"].pk, "ends_at": "08:00"}
    )
    assert "La séance doit finir après son début." in response.content.decode()
    assert client.get(reverse("journal:day"), {"classe": world["other_class"].pk}).status_code == 404
    assert not Slot.objects.exists()


def test_the_bilan_is_written_from_the_day(world, client_for):
    _slots(world, [MONDAY], 1)
    slot = Slot.objects.get()
    response = client_for(world["teacher"]).post(
        reverse("journal:slot_review", args=[slot.pk]), {f"bilan-{slot.pk}-review": "À reprendre en groupes"}
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.review == "À reprendre en groupes"
    other = client_for(make_person("colleague", world))
    assert other.post(reverse("journal:slot_review", args=[slot.pk]), {}).status_code == 404
    assert other.post(reverse("journal:slot_delete", args=[slot.pk])).status_code == 404
    assert Slot.objects.filter(pk=slot.pk).exists()


def test_journees_types_from_the_day_page(world, client_for, django_assert_max_num_queries):
    _slots(world, [MONDAY], 2)
    client = client_for(world["teacher"])
    common = {"date": "2026-03-02", "classe": world["class"].pk}
    client.post(reverse("journal:template_save"), {**common, "name": "Lundi type"})
    template = DayTemplate.objects.get()
    next_monday = {"date": "2026-03-09", "classe": world["class"].pk}
    client.post(reverse("journal:template_apply"), {**next_monday, "template": template.pk})
    assert Slot.objects.filter(date=datetime.date(2026, 3, 9)).count() == 2
    with django_assert_max_num_queries(8):
        page = client.get(reverse("journal:templates"))
    assert "Lundi type" in page.content.decode()
    response = client.post(reverse("journal:template_apply"), {**next_monday, "template": template.pk}, follow=True)
    assert "cochez « Remplacer »" in response.content.decode()
    assert (
        client_for(make_person("colleague", world))
        .post(reverse("journal:template_delete", args=[template.pk]))
        .status_code
        == 404
    )


def test_a_week_is_copied_from_the_copy_page(world, client_for):
    _slots(world, [MONDAY, MONDAY + datetime.timedelta(days=1)], 2)
    client = client_for(world["teacher"])
    page = client.get(reverse("journal:copy"), {"source": "2026-03-02", "quoi": "semaine"})
    assert 'value="semaine" selected' in page.content.decode()
    response = client.post(
        reverse("journal:copy"),
        {"school_class": world["class"].pk, "what": "semaine", "source": "2026-03-02", "target": "2026-03-16",
         "repeat": 2},
    )  # fmt: skip
    assert response.status_code == 302
    assert Slot.objects.filter(date__gte=datetime.date(2026, 3, 16)).count() == 8


def test_a_loan_is_given_on_the_page_and_read_by_the_replacement(world, client_for, django_assert_max_num_queries):
    today = timezone.localdate()
    _slots(world, [today], 2)
    colleague = make_person("colleague", world)
    teacher = client_for(world["teacher"])
    page = teacher.get(reverse("journal:shares")).content.decode()
    assert colleague.full_name in page and make_person("other_school_teacher", world).full_name not in page
    response = teacher.post(
        reverse("journal:shares"),
        {"replacement": colleague.pk, "starts_on": today.isoformat(), "ends_on": today.isoformat()},
    )
    assert response.status_code == 302
    share = JournalShare.objects.get()
    replacement = client_for(colleague)
    assert "Cahiers journaux qui vous sont prêtés" in replacement.get(reverse("journal:shares")).content.decode()
    with django_assert_max_num_queries(9):
        response = replacement.get(reverse("journal:shared", args=[share.pk]))
    content = response.content.decode()
    assert content.count('class="preau-slot"') == 2 and "Enregistrer le bilan" not in content
    assert AuditEntry.objects.filter(action="journal.shared_read", actor=colleague).exists()
    teacher.post(reverse("journal:share_revoke", args=[share.pk]))
    assert client_for(colleague).get(reverse("journal:shared", args=[share.pk])).status_code == 404


def test_the_api_gives_the_teachers_own_day(world, client_for):
    _slots(world, [MONDAY], 2)
    data = client_for(world["teacher"]).get(reverse("journal:api_day"), {"date": "2026-03-02"}).json()
    assert data["date"] == "2026-03-02"
    assert [s["intitule"] for s in data["seances"]] == ["Séance 0", "Séance 1"]
    assert data["seances"][0]["discipline_libelle"] == "Français"
    assert (
        client_for(make_person("director", world))
        .get(reverse("journal:api_day"), {"date": "2026-03-02"})
        .json()["seances"]
        == []
    )
    assert client_for(make_person("parent", world)).get(reverse("journal:api_day")).status_code == 403


def test_every_form_page_costs_a_few_queries(world, client_for, django_assert_max_num_queries):
    _slots(world, [MONDAY], 3)
    slot = Slot.objects.first()
    make_person("colleague", world)
    client = client_for(world["teacher"])
    for url in (
        reverse("journal:slot_create"),
        reverse("journal:slot_edit", args=[slot.pk]),
        reverse("journal:copy"),
        reverse("journal:shares"),
    ):
        with django_assert_max_num_queries(9):
            response = client.get(url)
        assert response.status_code == 200, url
