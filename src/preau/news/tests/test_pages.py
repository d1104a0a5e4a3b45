"""The pages of actualités and of the commune, through Django's test client."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from preau.news.models import CommunePage, NewsItem

from .conftest import make_person

Scope = NewsItem.Scope


def _items(world, author, count: int) -> None:
    NewsItem.objects.bulk_create(
        NewsItem(
            scope=Scope.CLASS if i % 2 else Scope.SCHOOL,
            school=world["school"],
            school_class=world["class"] if i % 2 else None,
            title=f"Nouvelle {i}",
            body=f"<p>Texte {i}</p>",
            author=author,
            source_label="École",
        )
        for i in range(count)
    )


@pytest.mark.parametrize("count", [3, 500])
def test_the_list_costs_the_same_with_3_or_500_items(world, client_for, django_assert_max_num_queries, count):
    director, parent = make_person("director", world), make_person("parent", world)
    _items(world, director, count)
    client = client_for(parent)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("news:list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="fr-card__title"') == min(count, 20)


@pytest.mark.parametrize("count", [3, 500])
def test_the_portal_block_is_one_query(world, django_assert_num_queries, count):
    director, parent = make_person("director", world), make_person("parent", world)
    _items(world, director, count)
    request = RequestFactory().get("/")
    request.user = parent
    from preau.directory.queries import access_of

    access_of(parent)  # loaded once per request by the page itself
    with django_assert_num_queries(1):
        html = Template("{% load news %}{% news_block %}").render(Context({"request": request}))
    assert html.count('class="fr-card__title"') == min(count, 4)


def test_a_teacher_publishes_from_the_form_and_a_parent_reads_it(world, client_for, django_assert_max_num_queries):
    teacher, parent = make_person("teacher", world), make_person("parent", world)
    client = client_for(teacher)
    page = client.get(reverse("news:create"))
    assert "charte" in page.content.decode().lower()
    response = client.post(
        reverse("news:create"),
        {
            "target": f"classe:{world['class'].pk}",
            "audience": "tous",
            "title": "Sortie à la ferme",
            "body": "<p>Mardi, <a href='javascript:alert(1)'>bottes</a> !</p>",
            "publish_at": "2020-01-01T08:00",
        },
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302 and response.url == reverse("news:detail", args=[item.pk])
    assert "javascript" not in item.body
    reader = client_for(parent)
    with django_assert_max_num_queries(10):
        response = reader.get(reverse("news:detail", args=[item.pk]))
    assert "Sortie à la ferme" in response.content.decode()
    assert reader.get(reverse("news:edit", args=[item.pk])).status_code == 403


def test_a_forged_target_changes_nothing_and_says_so_in_french(world, client_for):
    teacher = make_person("teacher", world)
    response = client_for(teacher).post(
        reverse("news:create"),
        {
            "target": f"classe:{world['other_class'].pk}",
            "audience": "tous",
            "title": "x",
            "body": "y",
            "publish_at": "2020-01-01T08:00",
        },
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_outsiders_get_a_404_and_people_without_structure_cannot_publish(world, client_for):
    director = make_person("director", world)
    _items(world, director, 1)
    item = NewsItem.objects.get()
    outsider = make_person("other_school_parent", world)
    assert client_for(outsider).get(reverse("news:detail", args=[item.pk])).status_code == 404
    assert client_for(outsider).get(reverse("news:create")).status_code == 403
    assert client_for(make_person("parent", world)).get(reverse("news:manage")).status_code == 403


def test_the_director_withdraws_from_the_page(world, client_for):
    director, parent = make_person("director", world), make_person("parent", world)
    _items(world, director, 1)
    item = NewsItem.objects.get()
    response = client_for(director).post(reverse("news:withdraw", args=[item.pk]), {"reason": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    assert client_for(parent).get(reverse("news:detail", args=[item.pk])).status_code == 404
    manage = client_for(director).get(reverse("news:manage")).content.decode()
    assert "retirée" in manage


def test_the_commune_pages_for_families_and_their_editors(world, client_for, django_assert_max_num_queries):
    referent, parent = make_person("city_referent", world), make_person("parent", world)
    commune = world["commune"]
    editor = client_for(referent)
    editor.post(reverse("news:commune_default_pages", args=[commune.pk]))
    assert CommunePage.objects.filter(commune=commune, is_published=False).count() == 4
    response = editor.post(
        reverse("news:commune_page_edit", args=[commune.pk, "menus-cantine"]),
        {"title": "Menus de la cantine", "body": "Lundi : carottes râpées", "order": 10, "is_published": "on"},
    )
    assert response.status_code == 302
    reader = client_for(parent)
    with django_assert_max_num_queries(10):
        response = reader.get(reverse("news:commune", args=[commune.pk]))
    content = response.content.decode()
    assert "carottes râpées" in content and "Inscriptions" not in content  # drafts stay hidden
    assert reader.get(reverse("news:commune_page_edit", args=[commune.pk, "menus-cantine"])).status_code == 403
    outsider = client_for(make_person("other_school_parent", world))
    assert outsider.get(reverse("news:commune", args=[commune.pk])).status_code == 404


def test_the_api_lists_what_the_page_lists(world, client_for):
    director, parent = make_person("director", world), make_person("parent", world)
    _items(world, director, 3)
    data = client_for(parent).get(reverse("news:api_news")).json()
    assert [entry["titre"] for entry in data["actualites"]] == ["Nouvelle 2", "Nouvelle 1", "Nouvelle 0"]
