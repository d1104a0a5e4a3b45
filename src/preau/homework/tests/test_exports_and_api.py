"""The history exported as CSV and PDF, and the JSON API: same scope and content as the pages."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from preau.homework.factories import AttachmentFactory, EntryFactory, WorkFactory

from .conftest import enrol, make_person

TODAY = timezone.localdate()
MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday())


@pytest.fixture
def book(world):
    """A week of CE1 A: two séances, a work with a file and a link, a draft; a séance of K2."""
    teacher = make_person("teacher", world)
    EntryFactory(
        school_class=world["class"],
        date=MONDAY,
        subject="francais",
        title="Le son [ou]",
        body="<p>Lecture de <b>mots</b> avec « ou ».</p>",
    )
    EntryFactory(
        school_class=world["class"],
        date=MONDAY + datetime.timedelta(days=1),
        subject="mathematiques",
        title="Les nombres jusqu'à 100",
        body="<p>Dizaines et unités.</p>",
    )
    work = WorkFactory(
        school_class=world["class"],
        assigned_on=MONDAY,
        due_date=MONDAY + datetime.timedelta(days=1),
        subject="francais",
        title="Relire la fiche",
        links=[{"url": "https://example.org/ou", "label": "Jeu du son ou"}],
    )
    AttachmentFactory(work=work, name="fiche-ou.txt")
    WorkFactory(
        school_class=world["class"],
        assigned_on=MONDAY,
        due_date=MONDAY + datetime.timedelta(days=2),
        title="Brouillon secret",
        publish_at=None,
        published_at=None,
    )
    EntryFactory(school_class=world["sibling_class"], date=MONDAY, title="Autre classe")
    return {"teacher": teacher, "work": work, **world}


def _week(name: str, class_id: int) -> str:
    return f"{reverse(name, args=[class_id])}?periode=semaine&jour={MONDAY.isoformat()}"


def test_the_csv_lists_the_week_in_date_order_for_a_parent(book, client_for, django_assert_max_num_queries):
    _pupil, parent = enrol(book["class"], with_parent=True)
    client = client_for(parent)
    with django_assert_max_num_queries(12):
        response = client.get(_week("homework:export_csv", book["class"].pk))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"cahier-de-textes-CE1-A-{MONDAY.isoformat()}" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["type", "date", "pour_le", "matiere", "titre", "contenu", "liens", "pieces_jointes"]
    assert rows[1] == [
        "séance",
        MONDAY.isoformat(),
        "",
        "Français",
        "Le son [ou]",
        "Lecture de mots avec « ou ».",
        "",
        "",
    ]
    assert rows[2][:5] == [
        "travail",
        MONDAY.isoformat(),
        (MONDAY + datetime.timedelta(days=1)).isoformat(),
        "Français",
        "Relire la fiche",
    ]
    assert rows[2][6:] == ["https://example.org/ou", "fiche-ou.txt"]
    assert rows[3][4] == "Les nombres jusqu'à 100"
    assert len(rows) == 4  # neither the draft nor the other class


def test_the_teacher_exports_drafts_too(book, client_for):
    response = client_for(book["teacher"]).get(_week("homework:export_csv", book["class"].pk))
    assert "Brouillon secret" in response.content.decode("utf-8-sig")


def test_the_pdf_is_an_a4_listing_of_the_period(book, client_for, django_assert_max_num_queries):
    client = client_for(enrol(book["class"]))
    with django_assert_max_num_queries(12):
        response = client.get(_week("homework:export_pdf", book["class"].pk))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Cahier de textes — CE1 A" in text
    assert "Le son [ou]" in text and "Relire la fiche" in text and "Les nombres jusqu'à 100" in text
    assert "Brouillon secret" not in text and "Autre classe" not in text


def test_exports_are_closed_to_other_schools(book, client_for):
    client = client_for(make_person("other_school_teacher", book))
    assert client.get(_week("homework:export_pdf", book["class"].pk)).status_code == 404
    assert client.get(_week("homework:export_csv", book["class"].pk)).status_code == 404


def test_the_api_gives_a_pupil_their_work_to_do(book, client_for, django_assert_max_num_queries):
    pupil = enrol(book["class"])
    upcoming = WorkFactory(school_class=book["class"], title="Apprendre la poésie")
    client = client_for(pupil)
    with django_assert_max_num_queries(9):
        data = client.get(reverse("homework:api_todo")).json()
    assert data["classe"]["nom"] == "CE1 A"
    titles = [w["titre"] for w in data["travaux"]]
    assert "Apprendre la poésie" in titles and "Brouillon secret" not in titles
    item = next(w for w in data["travaux"] if w["id"] == upcoming.pk)
    assert item["pour_le"] == upcoming.due_date.isoformat() and item["fait"] is False
    assert item["url"] == reverse("homework:work", args=[upcoming.pk])


def test_the_api_for_a_parent_names_the_child_and_refuses_anothers(book, client_for):
    pupil, parent = enrol(book["class"], with_parent=True)
    client = client_for(parent)
    assert client.get(f"{reverse('homework:api_todo')}?enfant={pupil.pk}").json()["eleve"]["id"] == pupil.pk
    stranger = enrol(book["class"])
    assert client.get(f"{reverse('homework:api_todo')}?enfant={stranger.pk}").status_code == 403


def test_the_api_lists_a_class_entries_and_coming_works(book, client_for, django_assert_max_num_queries):
    client = client_for(book["teacher"])
    with django_assert_max_num_queries(12):
        data = client.get(reverse("homework:api_class", args=[book["class"].pk])).json()
    assert {e["titre"] for e in data["seances"]} == {"Le son [ou]", "Les nombres jusqu'à 100"}
    assert data["seances"][0]["date"] >= data["seances"][1]["date"]  # latest first
    assert (
        client_for(make_person("city_referent", book))
        .get(reverse("homework:api_class", args=[book["class"].pk]))
        .status_code
        == 404
    )
