"""The pages: what each person sees, and a number of queries that does not grow with the data
("a class of 30 pupils and a year of entries" costs what 3 entries cost)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.directory.factories import PersonFactory
from preau.directory.models import GuardianLink, Teaching
from preau.homework import queries
from preau.homework.factories import AttachmentFactory, ClassSettingFactory, EntryFactory, WorkFactory
from preau.homework.models import DoneMark, Entry, Work

from .conftest import enrol, make_person

TODAY = timezone.localdate()
SIZES = {"small": (3, 3), "large": (180, 150)}


def _fill(school_class, teacher, entries: int, works: int) -> None:
    """`entries` séances and `works` works spread over the school year, around today."""
    start = datetime.date(school_class.year, 9, 1)
    span = (datetime.date(school_class.year + 1, 7, 4) - start).days
    published = timezone.now() - datetime.timedelta(days=1)
    common = {"school_class": school_class, "school_id": school_class.school_id, "year": school_class.year}
    Entry.objects.bulk_create(
        Entry(
            date=start + datetime.timedelta(days=i * span // entries),
            subject="francais",
            title=f"Séance {i}",
            body="<p>Lecture</p>",
            publish_at=published,
            published_at=published,
            author=teacher,
            **common,
        )
        for i in range(entries)
    )
    near = [TODAY + datetime.timedelta(days=d) for d in (1, 2, 3, 9)]
    Work.objects.bulk_create(
        Work(
            assigned_on=min(day, TODAY),
            due_date=day,
            subject="mathematiques",
            title=f"Travail {i}",
            body="<p>Exercices</p>",
            publish_at=published,
            published_at=published,
            author=teacher,
            **common,
        )
        for i, day in enumerate(
            near[: min(works, 4)]
            + [start + datetime.timedelta(days=i * span // works) for i in range(max(works - 4, 0))]
        )
    )
    for work in Work.objects.filter(school_class=school_class).order_by("id")[:10]:
        AttachmentFactory(work=work)
    for entry in Entry.objects.filter(school_class=school_class).order_by("id")[:5]:
        AttachmentFactory(work=None, entry=entry)


@pytest.fixture(params=list(SIZES))
def scene(request, world):
    """K1 with 30 pupils (each with a mother), done tracking on, and a parent of two children
    (one in K1, one in K2); filled with the parametrised number of séances and works."""
    teacher = make_person("teacher", world)
    pupils = [enrol(world["class"], with_parent=True) for _ in range(30)]
    pupil, parent = pupils[0]
    sibling = enrol(world["sibling_class"])
    GuardianLink.objects.create(guardian=parent, child=sibling, relationship=GuardianLink.Relationship.MOTHER)
    ClassSettingFactory(school_class=world["class"])
    entries, works = SIZES[request.param]
    _fill(world["class"], teacher, entries, works)
    _fill(world["sibling_class"], teacher, 2, 2)
    DoneMark.objects.bulk_create(
        DoneMark(work=work, pupil=p) for work in Work.objects.filter(school_class=world["class"]) for p, _m in pupils
    )
    return {"teacher": teacher, "pupil": pupil, "parent": parent, "sibling": sibling, **world}


def _get(client, url, django_assert_max_num_queries, bound: int):
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_pupil_sees_what_to_do_first_in_large_type_with_read_aloud(
    scene, client_for, django_assert_max_num_queries
):
    client = client_for(scene["pupil"])
    page = _get(client, reverse("homework:todo"), django_assert_max_num_queries, 11)
    assert "Mes devoirs" in page and "preau-homework-todo" in page
    assert page.index("Travail 0") < page.index("Ce que nous avons fait en classe")
    assert 'data-read-aloud="lire-travail-' in page and "homework/read_aloud.js" in page
    assert "J&#x27;ai fini" in page or "Fait !" in page  # the class tracks work done
    assert "<script>" not in page.split("<main")[1].split("</main>")[0]  # no inline script


def test_the_parent_switches_between_their_two_children(scene, client_for, django_assert_max_num_queries):
    client = client_for(scene["parent"])
    first = _get(client, reverse("homework:todo"), django_assert_max_num_queries, 11)
    second = _get(client, f"{reverse('homework:todo')}?enfant={scene['sibling'].pk}", django_assert_max_num_queries, 11)
    assert f"?enfant={scene['sibling'].pk}" in first and "CE1 A" in first and "Travail 0" in first
    assert "CE1 B" in second and "Travail 0" in second
    forged = PersonFactory()
    assert client.get(f"{reverse('homework:todo')}?enfant={forged.pk}").status_code == 404


def test_the_teacher_class_page(scene, client_for, django_assert_max_num_queries):
    client = client_for(scene["teacher"])
    page = _get(client, reverse("homework:class", args=[scene["class"].pk]), django_assert_max_num_queries, 15)
    assert "Nouvelle séance" in page and "Travail 0" in page and "Suivi du travail fait" in page


def test_a_seance_page_shows_its_draft_works_to_the_writers_only(world, client_for, django_assert_max_num_queries):
    teacher = make_person("teacher", world)
    pupil, parent = enrol(world["class"], with_parent=True)
    entry = EntryFactory(school_class=world["class"])
    WorkFactory(school_class=world["class"], entry=entry, title="Exercices publiés")
    WorkFactory(school_class=world["class"], entry=entry, title="Exercices en brouillon", publish_at=None)
    url = reverse("homework:entry", args=[entry.pk])
    page = _get(client_for(parent), url, django_assert_max_num_queries, 10)
    assert "Exercices publiés" in page and "Exercices en brouillon" not in page
    page = _get(client_for(teacher), url, django_assert_max_num_queries, 10)
    assert "Exercices publiés" in page and "Exercices en brouillon" in page


@pytest.mark.parametrize("period", ["semaine", "mois", "annee"])
def test_the_history_by_week_month_and_year(scene, client_for, django_assert_max_num_queries, period):
    client = client_for(scene["parent"])
    url = f"{reverse('homework:history', args=[scene['class'].pk])}?periode={period}&jour={TODAY.isoformat()}"
    page = _get(client, url, django_assert_max_num_queries, 12)
    assert "Exporter (PDF)" in page and "data-print" in page
    if period == "annee":
        assert (
            page.count("<tr>")
            == 1
            + Entry.objects.filter(school_class=scene["class"]).count()
            + Work.objects.filter(school_class=scene["class"]).count()
        )


def test_the_history_by_subject(scene, client_for):
    url = reverse("homework:history", args=[scene["class"].pk])
    page = client_for(scene["teacher"]).get(f"{url}?periode=annee&matiere=francais").content.decode()
    assert "Séance 0" in page and "Travail 0" not in page


def test_the_done_tracking_pages(scene, client_for, django_assert_max_num_queries):
    client = client_for(scene["teacher"])
    page = _get(client, reverse("homework:done_tracking", args=[scene["class"].pk]), django_assert_max_num_queries, 11)
    assert "30 élève(s) sur 30" in page
    work = Work.objects.filter(school_class=scene["class"]).first()
    page = _get(client, reverse("homework:work_done", args=[work.pk]), django_assert_max_num_queries, 10)
    assert page.count("fr-badge--success") == 30


def test_the_index_of_a_teacher_and_of_an_ien(scene, client_for, django_assert_max_num_queries):
    page = _get(client_for(scene["teacher"]), reverse("homework:index"), django_assert_max_num_queries, 8)
    assert "CE1 A" in page
    page = _get(client_for(make_person("ien", scene)), reverse("homework:index"), django_assert_max_num_queries, 8)
    assert "CE1 A" in page and "CE1 B" in page and "Nouvelle séance" not in page


def test_pupils_and_parents_go_straight_to_what_to_do(world, client_for):
    pupil = enrol(world["class"])
    response = client_for(pupil).get(reverse("homework:index"))
    assert response.status_code == 302 and response["Location"] == reverse("homework:todo")


def test_a_teacher_writes_a_work_for_two_classes_through_the_form(world, client_for):
    teacher = make_person("teacher", world)
    Teaching.objects.create(teacher=teacher, school_class=world["sibling_class"])
    client = client_for(teacher)
    form = client.get(f"{reverse('homework:work_create')}?classe={world['class'].pk}").content.decode()
    assert "Questionner le monde" in form and "Histoire-géographie" not in form  # CE1: cycle 2 subjects
    response = client.post(
        reverse("homework:work_create"),
        {
            "classes": [world["class"].pk, world["sibling_class"].pk],
            "assigned_on": TODAY.isoformat(),
            "due_date": (TODAY + datetime.timedelta(days=2)).isoformat(),
            "subject": "mathematiques",
            "title": "Table de 3",
            "body": "Réciter la table de 3.",
            "links": "Calcul mental | https://example.org/calcul",
            "publication": "now",
        },
    )
    assert response.status_code == 302
    assert Work.objects.filter(title="Table de 3").count() == 2
    assert Work.objects.get(title="Table de 3", school_class=world["class"]).links == [
        {"url": "https://example.org/calcul", "label": "Calcul mental"}
    ]


def test_the_edit_form_shows_the_item_as_it_is_and_saves_the_change(world, client_for):
    teacher = make_person("teacher", world)
    later = timezone.now() + datetime.timedelta(days=3)
    work = WorkFactory(
        school_class=world["class"],
        title="Table de 3",
        links=[{"url": "https://example.org/calcul", "label": "Calcul mental"}],
        publish_at=later,
        published_at=None,
    )
    attachment = AttachmentFactory(work=work, name="fiche.txt")
    client = client_for(teacher)
    form = client.get(reverse("homework:work_edit", args=[work.pk])).content.decode()
    assert 'value="Table de 3"' in form and "Calcul mental | https://example.org/calcul" in form
    assert f'value="{work.due_date.isoformat()}"' in form and "fiche.txt" in form
    assert f'value="{timezone.localtime(later):%Y-%m-%dT%H:%M}"' in form  # still scheduled
    new_due = work.due_date + datetime.timedelta(days=1)
    response = client.post(
        reverse("homework:work_edit", args=[work.pk]),
        {
            "assigned_on": work.assigned_on.isoformat(),
            "due_date": new_due.isoformat(),
            "subject": work.subject,
            "title": "Table de 4",
            "body": "Réciter la table de 4.",
            "links": "",
            "remove_attachments": [attachment.pk],
            "publication": "draft",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("homework:work", args=[work.pk])
    work.refresh_from_db()
    assert (work.title, work.due_date, work.links, work.is_draft) == ("Table de 4", new_due, [], True)
    assert not work.attachments.exists()
    entry = EntryFactory(school_class=world["class"], title="Dictée", publish_at=None, published_at=None)
    form = client.get(reverse("homework:entry_edit", args=[entry.pk])).content.decode()
    assert f'value="{TODAY.isoformat()}"' in form and 'value="Dictée"' in form


def test_the_form_refuses_a_schedule_in_the_past_and_a_bad_link(world, client_for):
    teacher = make_person("teacher", world)
    response = client_for(teacher).post(
        reverse("homework:entry_create"),
        {
            "classes": [world["class"].pk],
            "date": TODAY.isoformat(),
            "subject": "francais",
            "title": "Dictée",
            "links": "ftp://example.org",
            "publication": "later",
            "publish_at": "2000-01-01T08:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Choisissez un moment à venir" in page
    assert not Entry.objects.exists()
    response = client_for(teacher).post(
        reverse("homework:entry_create"),
        {
            "classes": [world["class"].pk],
            "date": TODAY.isoformat(),
            "subject": "francais",
            "title": "Dictée",
            "links": "ftp://example.org",
            "publication": "now",
        },
    )
    assert "n&#x27;est pas une adresse web" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_pupil_ticks_a_work_done_from_the_page(world, client_for):
    teacher = make_person("teacher", world)
    pupil = enrol(world["class"])
    ClassSettingFactory(school_class=world["class"])
    work = WorkFactory(school_class=world["class"])
    client = client_for(pupil)
    response = client.post(
        reverse("homework:mark_done", args=[work.pk]), {"fait": "1", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("homework:work", args=[work.pk])
    assert DoneMark.objects.filter(work=work, pupil=pupil).exists()
    page = client_for(teacher).get(reverse("homework:work_done", args=[work.pk])).content.decode()
    assert pupil.full_name in page and "fait —" in page


def test_the_teacher_turns_done_tracking_on(world, client_for):
    teacher = make_person("teacher", world)
    response = client_for(teacher).post(reverse("homework:settings", args=[world["class"].pk]), {"track_done": "on"})
    assert response.status_code == 302
    assert queries.tracks_done(world["class"])


def test_an_attachment_is_served_only_through_the_checked_view(world, client_for):
    pupil = enrol(world["class"])
    attachment = AttachmentFactory(work=WorkFactory(school_class=world["class"]))
    response = client_for(pupil).get(reverse("homework:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"Fiche d'exercices\n"
    other = enrol(world["other_class"])
    assert client_for(other).get(reverse("homework:attachment", args=[attachment.pk])).status_code == 404


def test_a_parent_ticks_their_childs_work_from_the_work_page(world, client_for):
    pupil, parent = enrol(world["class"], with_parent=True)
    ClassSettingFactory(school_class=world["class"])
    work = WorkFactory(school_class=world["class"])
    client = client_for(parent)
    page = client.get(reverse("homework:work", args=[work.pk])).content.decode()
    assert f'name="enfant" value="{pupil.pk}"' in page
    client.post(reverse("homework:mark_done", args=[work.pk]), {"fait": "1", "enfant": pupil.pk})
    assert DoneMark.objects.filter(work=work, pupil=pupil).exists()
    stranger = enrol(world["class"])
    response = client.post(reverse("homework:mark_done", args=[work.pk]), {"fait": "1", "enfant": stranger.pk})
    assert response.status_code == 404 and not DoneMark.objects.filter(pupil=stranger).exists()
