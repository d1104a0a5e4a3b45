"""Publishing, scheduling, withdrawing and the commune's pages, through the actions."""

import datetime

import pytest
from django.utils import timezone

from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.news import actions
from preau.news.models import CommunePage, NewsItem
from preau.news.queries import audience_ids, news_visible_to

from .conftest import make_person

Scope, Audience = NewsItem.Scope, NewsItem.Audience


@pytest.fixture
def people(world):
    return {name: make_person(name, world) for name in ("director", "teacher", "parent", "pupil", "city_referent")}


def test_a_director_publishes_for_the_families_and_they_are_told(
    world, people, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        item = actions.publish_news(
            people["director"],
            target_key=f"ecole:{world['school'].pk}",
            audience=Audience.FAMILIES,
            title="Photos de classe",
            body="<p>Jeudi <script>x</script><b>matin</b>.</p>",
        )
    assert item.body == "<p>Jeudi <b>matin</b>.</p>"
    assert item.source_label == f"École {world['school'].name}"
    assert item.announced_at is not None
    # The families are told; staff read it on their portal without a notification, pupils not at all.
    recipients = audience_ids(item)
    assert recipients == [people["parent"].pk]
    assert item in news_visible_to(people["teacher"])
    assert item in news_visible_to(people["parent"]) and item not in news_visible_to(people["pupil"])
    assert AuditEntry.objects.filter(action="news.published", target_id=str(item.pk)).exists()


def test_nobody_publishes_outside_their_structures(world, people):
    with pytest.raises(NotAllowed):
        actions.publish_news(
            people["teacher"], target_key=f"ecole:{world['school'].pk}", audience="tous", title="t", body="b"
        )
    with pytest.raises(NotAllowed):  # a forged key naming another class
        actions.publish_news(
            people["teacher"], target_key=f"classe:{world['other_class'].pk}", audience="tous", title="t", body="b"
        )
    with pytest.raises(DomainError, match="public"):  # a class item is for the whole class
        actions.publish_news(
            people["teacher"], target_key=f"classe:{world['class'].pk}", audience="personnels", title="t", body="b"
        )
    assert not NewsItem.objects.exists()


def test_a_scheduled_item_is_invisible_then_told_once_when_due(world, people, django_capture_on_commit_callbacks):
    later = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        item = actions.publish_news(
            people["teacher"],
            target_key=f"classe:{world['class'].pk}",
            audience="tous",
            title="Piscine",
            body="Apportez un bonnet.",
            publish_at=later,
        )
    assert item.announced_at is None
    assert item not in news_visible_to(people["parent"])
    assert not actions.announce(item)  # too early: the queued task will do nothing
    NewsItem.objects.filter(pk=item.pk).update(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    item.refresh_from_db()
    assert item in news_visible_to(people["parent"])
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.announce(item)
        assert not actions.announce(item)  # a second run (the task and a retry) tells nobody again


def test_expiry_must_follow_publication(world, people):
    now = timezone.now()
    with pytest.raises(DomainError, match="retrait"):
        actions.publish_news(
            people["director"],
            target_key=f"ecole:{world['school'].pk}",
            audience="tous",
            title="t",
            body="b",
            publish_at=now,
            expires_at=now - datetime.timedelta(hours=1),
        )


def test_the_director_withdraws_a_teachers_item_with_a_reason_and_can_restore_it(
    world, people, django_capture_on_commit_callbacks
):
    item = actions.publish_news(
        people["teacher"], target_key=f"classe:{world['class'].pk}", audience="tous", title="Sortie", body="Lundi."
    )
    with pytest.raises(DomainError, match="pourquoi"):
        actions.withdraw_news(people["director"], item, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_news(people["director"], item, reason="Date erronée")
    item.refresh_from_db()
    assert item.withdrawn_by == people["director"] and item.withdrawn_reason == "Date erronée"
    assert item not in news_visible_to(people["parent"])
    with pytest.raises(NotAllowed):  # the author cannot put back what the director took down
        actions.restore_news(people["teacher"], item)
    actions.restore_news(people["director"], item)
    item.refresh_from_db()
    assert item.withdrawn_at is None and item in news_visible_to(people["parent"])


def test_the_commune_keeps_its_pages(world, people):
    commune = world["commune"]
    created = actions.create_default_pages(people["city_referent"], commune)
    assert [page.slug for page in created] == ["menus-cantine", "periscolaire", "inscriptions", "contacts"]
    assert not any(page.is_published for page in created)  # drafts until filled in
    assert actions.create_default_pages(people["city_referent"], commune) == []
    page = actions.save_commune_page(
        people["city_referent"], commune, title="Menus de la cantine", body="<p>Lundi : lentilles</p>", order=5
    )
    assert page.slug == "menus-de-la-cantine"
    with pytest.raises(NotAllowed):
        actions.save_commune_page(people["director"], commune, title="Piratage", body="")
    with pytest.raises(NotAllowed):  # a page of another commune, passed with this commune
        other = CommunePage.objects.create(
            commune=world["other_commune"], slug="x", title="x", updated_by=people["city_referent"]
        )
        actions.save_commune_page(people["city_referent"], commune, title="x", body="", page=other)
    actions.delete_commune_page(people["city_referent"], page)
    assert not CommunePage.objects.filter(pk=page.pk).exists()
