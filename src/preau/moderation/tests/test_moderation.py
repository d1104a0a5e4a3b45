"""Reports, the queue and decisions, on a real service (actualités) through core.moderation."""

import pytest
from django.urls import reverse

from preau.core import events, moderation
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.factories import make_school, person_with_role
from preau.directory.models import Profile
from preau.moderation import actions, queries
from preau.moderation.models import Decision, QueueItem, Report
from preau.news import actions as news_actions
from preau.news.models import NewsItem


@pytest.fixture
def built(db):
    return make_school(classes=1, pupils=2)


@pytest.fixture
def item(built):
    teacher = built.teachers[0]
    return news_actions.publish_news(
        teacher,
        target_key=f"classe:{built.classes[0].pk}",
        audience="tous",
        title="Sortie au musée",
        body="<p>Rendez-vous devant l'école.</p>",
    )


def _parent(built):
    pupil = built.pupils[built.classes[0].pk][0]
    return built.parents[pupil.pk][0]


def test_a_parent_reports_and_the_director_unpublishes_with_a_reason(built, item, django_capture_on_commit_callbacks):
    parent = _parent(built)
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.report_content(parent, "news.item", item.pk, reason="insulte", details="Propos blessants")
    queued = report.item
    assert (queued.school_id, queued.state) == (built.school.pk, "publie")
    queued.refresh_from_db()
    assert queued.open_reports == 1 and queued.author == built.teachers[0]
    assert list(queries.reported_for(built.director)) == [queued]
    assert list(queries.reported_for(built.teachers[0])) == []  # the author does not judge their own item
    with pytest.raises(DomainError, match="déjà signalé"):
        actions.report_content(parent, "news.item", item.pk, reason="insulte")

    with pytest.raises(DomainError, match="Expliquez"):
        actions.decide(built.director, queued, "unpublish", reason="")
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide(built.director, queued, "unpublish", reason="Propos contraires à la charte")
    item.refresh_from_db()
    queued.refresh_from_db()
    assert item.withdrawn_at is not None and item.withdrawn_reason == "Propos contraires à la charte"
    assert queued.state == QueueItem.State.UNPUBLISHED and queued.open_reports == 0
    assert Report.objects.get().handled_at is not None
    assert AuditEntry.objects.filter(action="moderation.unpublish", target_id=str(queued.pk)).exists()
    # The decision can be undone by the same director, and is kept in the history.
    actions.decide(built.director, queued, "restore")
    item.refresh_from_db()
    assert item.withdrawn_at is None
    assert list(Decision.objects.values_list("verb", flat=True)) == ["restore", "unpublish"]


def test_the_author_is_told_once_of_the_queues_decision(built, item, monkeypatch, django_capture_on_commit_callbacks):
    told = []
    monkeypatch.setitem(
        events._subscribers, "notice", [*events._subscribers["notice"], lambda name, notice: told.append(notice)]
    )
    report = actions.report_content(_parent(built), "news.item", item.pk, reason="insulte")
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide(built.director, report.item, "unpublish", reason="Propos contraires à la charte")
    author = built.teachers[0].pk
    assert [notice.kind for notice in told if author in notice.recipient_ids] == ["moderation.decision"]


def test_news_online_shows_among_the_directors_recent_publications(built, item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        news_actions.publish_news(
            built.teachers[0],
            target_key=f"classe:{built.classes[0].pk}",
            audience="tous",
            title="Kermesse",
            body="<p>Samedi matin.</p>",
        )
    recent = queries.recent_for(built.director)
    assert [queued.title for queued in recent] == ["Kermesse"]
    # Withdrawn from the queue, then put back from the news page: the queue follows.
    queued = recent.get()
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide(built.director, queued, "unpublish", reason="Date à confirmer")
    with django_capture_on_commit_callbacks(execute=True):
        news_actions.restore_news(built.director, NewsItem.objects.get(pk=queued.object_id))
    queued.refresh_from_db()
    assert queued.state == QueueItem.State.PUBLISHED


def test_news_withdrawn_on_its_own_page_leaves_the_queue_too(built, item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.report_content(_parent(built), "news.item", item.pk, reason="insulte")
    with django_capture_on_commit_callbacks(execute=True):
        news_actions.withdraw_news(built.director, item, reason="Propos contraires à la charte")
    queued = report.item
    queued.refresh_from_db()
    assert queued.state == QueueItem.State.UNPUBLISHED and queued.open_reports == 0
    assert Report.objects.get().handled_at is not None
    assert list(queries.reported_for(built.director)) == []
    # Put back from the news page: published again in the queue.
    with django_capture_on_commit_callbacks(execute=True):
        news_actions.restore_news(built.director, item)
    queued.refresh_from_db()
    assert queued.state == QueueItem.State.PUBLISHED


def test_nobody_reports_what_they_cannot_see(built, item):
    outsider_school = make_school(classes=1, pupils=1)
    outsider = outsider_school.parents[outsider_school.pupils[outsider_school.classes[0].pk][0].pk][0]
    with pytest.raises(NotAllowed):
        actions.report_content(outsider, "news.item", item.pk, reason="insulte")
    with pytest.raises(NotAllowed):
        actions.report_content(_parent(built), "inconnu.truc", 1, reason="insulte")
    assert not Report.objects.exists()


def test_only_the_publication_director_decides(built, item):
    report = actions.report_content(_parent(built), "news.item", item.pk, reason="autre")
    other = make_school(classes=1, pupils=1)
    for person in (other.director, built.teachers[0], _parent(built)):
        with pytest.raises(NotAllowed):
            actions.decide(person, report.item, "unpublish", reason="non")
    with pytest.raises(DomainError, match="ne s'applique pas"):
        actions.decide(built.director, report.item, "approve")  # it is already published


def test_a_submission_waits_for_its_teacher_who_may_approve_it(built, item, django_capture_on_commit_callbacks):
    teacher = built.teachers[0]
    flags = moderation.screen("appelle au 06 12 34 56 78", None)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.submit("news.item", item.pk, cause="screen", flags=flags, decider_ids=[teacher.pk])
    queued = QueueItem.objects.get()
    assert queued.state == "attente" and queued.flags[0]["category"].endswith("téléphone")
    assert list(queries.pending_for(teacher)) == [queued]
    assert list(queries.pending_for(built.director)) == [queued]
    other_teacher = person_with_role(Profile.TEACHER, built.school)
    assert list(queries.pending_for(other_teacher)) == []
    with pytest.raises(NotAllowed):  # a decider only approves or refuses
        actions.decide(teacher, queued, "warn", reason="attention")
    with pytest.raises(DomainError, match="ne permet pas"):  # actualités cannot be approved: the service says so
        actions.decide(teacher, queued, "approve")


def test_the_queue_pages(built, item, client_for, django_assert_max_num_queries):
    parent = _parent(built)
    client = client_for(parent)
    page = client.get(reverse("moderation:report", args=["news.item", item.pk]))
    assert page.status_code == 200 and "Signaler" in page.content.decode()
    response = client.post(reverse("moderation:report", args=["news.item", item.pk]), {"reason": "insulte"})
    assert response.status_code == 302 and response.url == reverse("news:detail", args=[item.pk])
    queued = QueueItem.objects.get()
    director = client_for(built.director)
    with django_assert_max_num_queries(12):
        listing = director.get(reverse("moderation:queue") + "?vue=signalements")
    assert "Sortie au musée" in listing.content.decode()
    with django_assert_max_num_queries(16):
        detail = director.get(reverse("moderation:item", args=[queued.pk]))
    assert "propos injurieux" in detail.content.decode()
    response = director.post(reverse("moderation:item", args=[queued.pk]), {"verb": "unpublish", "reason": ""})
    assert "Expliquez votre décision" in response.content.decode()
    response = director.post(
        reverse("moderation:item", args=[queued.pk]), {"verb": "unpublish", "reason": "Hors charte"}
    )
    assert response.status_code == 302
    # The parent cannot open the queue nor the item.
    assert client.get(reverse("moderation:queue")).status_code == 403
    assert client.get(reverse("moderation:item", args=[queued.pk])).status_code == 404


@pytest.mark.parametrize("count", [3, 300])
def test_the_queue_costs_the_same_whatever_its_length(built, client_for, django_assert_max_num_queries, count):
    QueueItem.objects.bulk_create(
        QueueItem(
            kind="news.item",
            object_id=i,
            title=f"Contenu {i}",
            author_label="X",
            url="/",
            school=built.school,
            state="attente",
            cause="screen",
            flags=[{"category": "insultes", "excerpt": "x"}],
        )
        for i in range(count)
    )
    client = client_for(built.director)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("moderation:queue"))
    assert response.content.decode().count("Contenu ") == min(count, 30)


def test_a_message_reported_in_the_messagerie_reaches_the_directors_queue(built, django_capture_on_commit_callbacks):
    from preau.messaging import actions as messaging_actions

    teacher = built.teachers[0]
    parent = _parent(built)
    message = messaging_actions.send_message(
        parent, people=[teacher.pk], subject="Réclamation", body="Vous êtes un incapable."
    )
    with django_capture_on_commit_callbacks(execute=True):
        messaging_actions.report_message(teacher, message, "Propos injurieux")
    queued = QueueItem.objects.get(kind="messaging.message", object_id=message.pk)
    assert queued.open_reports == 1 and queued.school_id == built.school.pk
    assert "incapable" in queued.excerpt
    assert list(queries.reported_for(built.director)) == [queued]
    actions.decide(built.director, queued, "warn", reason="Restez courtois avec l'équipe.")
    queued.refresh_from_db()
    assert queued.open_reports == 0
