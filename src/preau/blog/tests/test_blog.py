"""Blogs end to end below the browser: actions, moderation, image rights, pages and the public web."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from preau.blog import actions, queries
from preau.blog.models import Blog, Comment, Post
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.core.tests.test_richtext import FORBIDDEN, HOSTILE
from preau.core.tests.test_uploads import PNG
from preau.directory.factories import make_school
from preau.moderation import actions as moderation_actions
from preau.moderation.models import QueueItem


@pytest.fixture
def built(db):
    return make_school(classes=1, pupils=3, parents_per_pupil=2)


@pytest.fixture
def blog(built):
    blog = actions.open_blog(built.teachers[0], Blog.Scope.CLASS, built.classes[0])
    return actions.update_blog_settings(
        built.teachers[0], blog, title="Les CE1", description="", audience="membres",
        pupils_may_post=True, pupils_may_comment=True, parents_may_comment=True,
    )  # fmt: skip


def _pupils(built):
    return built.pupils[built.classes[0].pk]


def _parents(built, index=0):
    return built.parents[_pupils(built)[index].pk]


def test_a_pupils_post_waits_for_the_teacher_then_goes_online(built, blog, django_capture_on_commit_callbacks):
    pupil, teacher = _pupils(built)[0], built.teachers[0]
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.write_post(pupil, blog, title="Notre sortie", body="Nous avons vu des vaches.")
    assert post.state == Post.State.PENDING
    queued = QueueItem.objects.get(kind="blog.post", object_id=post.pk)
    assert queued.cause == "pupil" and set(queued.deciders.values_list("pk", flat=True)) == {
        teacher.pk,
        built.director.pk,
    }
    assert list(queries.published_posts(blog)) == []
    with pytest.raises(NotAllowed):
        actions.decide_post(_parents(built)[0], post, "approve")
    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.decide(teacher, queued, "approve")
    post.refresh_from_db()
    queued.refresh_from_db()
    assert post.state == Post.State.PUBLISHED and queued.state == "publie"
    assert list(queries.published_posts(blog)) == [post]


def test_a_post_refused_on_the_blog_page_leaves_the_queue_too(built, blog, django_capture_on_commit_callbacks):
    pupil, teacher = _pupils(built)[0], built.teachers[0]
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.write_post(pupil, blog, title="Notre sortie", body="Nous avons vu des vaches.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_post(teacher, post, "refuse", reason="Ajoute une photo.")
    queued = QueueItem.objects.get(kind="blog.post", object_id=post.pk)
    assert queued.state == QueueItem.State.REFUSED
    # Restored from the blog page: published again in the queue, where it can be withdrawn.
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_post(teacher, post, "restore")
    queued.refresh_from_db()
    assert queued.state == QueueItem.State.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.decide(built.director, queued, "unpublish", reason="Photo d'un élève sans accord")
    post.refresh_from_db()
    assert post.state == Post.State.UNPUBLISHED


def test_the_teacher_decides_on_posts_and_comments_from_the_blog_page(built, blog, client_for):
    pupil, teacher = _pupils(built)[0], built.teachers[0]
    post = actions.write_post(pupil, blog, title="Ma cabane", body="Dans la cour.")
    client = client_for(teacher)
    decide = reverse("blog:post_decide", args=[post.pk])
    assert client.post(decide, {"verb": "supprimer"}).status_code == 404
    page = client.post(decide, {"verb": "refuse", "reason": " "}, follow=True).content.decode()
    assert "Dites à l&#x27;élève pourquoi" in page
    client.post(decide, {"verb": "refuse", "reason": "Ajoute une photo de ta cabane."})
    post.refresh_from_db()
    assert post.state == Post.State.REFUSED and post.moderation_reason == "Ajoute une photo de ta cabane."
    client.post(decide, {"verb": "restore"})
    post.refresh_from_db()
    comment = actions.write_comment(_parents(built)[0], post, "Bravo !")
    client.post(reverse("blog:comment_decide", args=[comment.pk]), {"verb": "unpublish", "reason": ""})
    comment.refresh_from_db()
    assert post.state == Post.State.PUBLISHED and comment.state == Comment.State.UNPUBLISHED
    journal = AuditEntry.objects.filter(
        action__in=["blog.post_refused", "blog.post_restored", "blog.comment_unpublished"]
    )
    assert list(journal.order_by("id").values_list("action", flat=True)) == [
        "blog.post_refused",
        "blog.post_restored",
        "blog.comment_unpublished",
    ]
    with pytest.raises(NotAllowed):
        actions.decide_comment(_parents(built)[1], comment, "restore")


def test_rich_text_is_neutralised_in_every_field(built, blog):
    teacher = built.teachers[0]
    for payload in HOSTILE:
        post = actions.write_post(teacher, blog, title="x", body=f"<p>texte</p>{payload}")
        for needle in FORBIDDEN:
            assert needle not in post.body.lower(), (payload, post.body)
        post = actions.update_post(teacher, post, title="y", body=f"<p>texte</p>{payload}")
        for needle in FORBIDDEN:
            assert needle not in post.body.lower(), (payload, post.body)


def test_photos_need_the_families_consent(built, blog):
    teacher, pupils = built.teachers[0], _pupils(built)
    photo = SimpleUploadedFile("sortie.png", PNG)
    with pytest.raises(DomainError, match="confirmez"):
        actions.write_post(teacher, blog, title="Photos", body="La sortie", files=[photo])
    actions.record_image_consents(teacher, built.classes[0], {pupils[0].pk: True, pupils[1].pk: False})
    with pytest.raises(DomainError, match=pupils[1].first_name):
        actions.write_post(
            teacher, blog, title="Photos", body="La sortie", files=[photo],
            tagged_pupil_ids=[pupils[0].pk, pupils[1].pk], image_rights_confirmed=True,
        )  # fmt: skip
    post = actions.write_post(
        teacher, blog, title="Photos", body="La sortie", files=[photo],
        tagged_pupil_ids=[pupils[0].pk], image_rights_confirmed=True,
    )  # fmt: skip
    assert post.files.get().content_type == "image/png"
    hostile = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>")
    with pytest.raises(DomainError, match="type accepté"):
        actions.write_post(teacher, blog, title="x", body="y", files=[hostile], image_rights_confirmed=True)


@pytest.mark.parametrize("pupils", [3, 30])
def test_the_image_rights_register_costs_the_same_whatever_the_class_size(
    db, client_for, django_assert_max_num_queries, pupils
):
    built = make_school(classes=1, pupils=pupils)
    school_class, teacher = built.classes[0], built.teachers[0]
    class_pupils = built.pupils[school_class.pk]
    actions.record_image_consents(teacher, school_class, {class_pupils[0].pk: True})
    client = client_for(teacher)
    url = reverse("blog:image_consents", args=[school_class.pk])
    with django_assert_max_num_queries(9):
        page = client.get(url).content.decode()
    assert class_pupils[-1].full_name in page and page.count(" checked") == 1
    with django_assert_max_num_queries(11):
        client.post(url, {f"eleve-{pupil.pk}": "oui" for pupil in class_pupils[1:]})
    assert queries.consents([p.pk for p in class_pupils], school_class.year) == {
        pupil.pk: pupil != class_pupils[0] for pupil in class_pupils
    }


def test_a_flagged_comment_waits_and_a_clean_one_is_published(built, blog, django_capture_on_commit_callbacks):
    post = actions.write_post(built.teachers[0], blog, title="Le loup", body="Notre histoire.")
    parent = _parents(built)[0]
    clean = actions.write_comment(parent, post, "Bravo à toute la classe !")
    assert clean.state == Comment.State.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        flagged = actions.write_comment(parent, post, "Appelez-moi au 06 12 34 56 78")
    assert flagged.state == Comment.State.PENDING
    assert QueueItem.objects.get(kind="blog.comment", object_id=flagged.pk).flags
    other_parent = _parents(built, 1)[0]
    assert [c.pk for c in queries.comments_for(post, other_parent)] == [clean.pk]  # the flagged one is not shown
    # The teacher publishes it from the blog page: the queue no longer lists it as waiting.
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_comment(built.teachers[0], flagged, "approve")
    assert QueueItem.objects.get(kind="blog.comment", object_id=flagged.pk).state == QueueItem.State.PUBLISHED


def test_the_publication_director_unpublishes_a_reported_comment_and_its_author_sees_why(
    built, blog, client_for, django_capture_on_commit_callbacks
):
    post = actions.write_post(built.teachers[0], blog, title="Le loup", body="Notre histoire.")
    author, reporter = _parents(built)[0], _parents(built, 1)[0]
    comment = actions.write_comment(author, post, "Cette histoire est nulle.")
    report = moderation_actions.report_content(reporter, "blog.comment", comment.pk, reason="inapproprie")
    moderation_actions.decide(built.director, report.item, "unpublish", reason="Restons bienveillants")
    comment.refresh_from_db()
    assert comment.state == Comment.State.UNPUBLISHED
    page = client_for(author).get(reverse("blog:post", args=[post.pk])).content.decode()
    assert "Restons bienveillants" in page
    assert (
        "Cette histoire est nulle."
        not in client_for(reporter).get(reverse("blog:post", args=[post.pk])).content.decode()
    )


@pytest.mark.parametrize("count", [3, 500])
def test_a_blog_page_costs_the_same_with_3_or_500_posts(built, blog, client_for, django_assert_max_num_queries, count):
    Post.objects.bulk_create(
        Post(blog=blog, author=built.teachers[0], title=f"Article {i}", body=f"<p>{i}</p>", state="publie")
        for i in range(count)
    )
    client = client_for(_parents(built)[0])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("blog:blog", args=[blog.pk]))
    assert response.content.decode().count('<article class="fr-mb-6w"') == min(count, 10)


def test_the_public_web_needs_the_directors_approval_and_shows_first_names_only(built, blog, client):
    pupil, teacher = _pupils(built)[0], built.teachers[0]
    post = actions.write_post(pupil, blog, title="Mon dessin", body="Un dragon.")
    actions.decide_post(teacher, post, "approve")
    actions.update_blog_settings(
        teacher, blog, title=blog.title, description="", audience="public",
        pupils_may_post=True, pupils_may_comment=False, parents_may_comment=False,
    )  # fmt: skip
    assert client.get(reverse("blog:public_blog", args=[blog.pk])).status_code == 404
    with pytest.raises(NotAllowed):
        actions.approve_public(teacher, blog)
    actions.approve_public(built.director, blog)
    page = client.get(reverse("blog:public_blog", args=[blog.pk])).content.decode()
    assert "Mon dessin" in page and pupil.first_name in page and pupil.last_name.upper() not in page
    assert client.get(reverse("blog:blog", args=[blog.pk])).status_code == 302  # the members' page stays private


def test_outsiders_see_nothing(built, blog, client_for):
    post = actions.write_post(built.teachers[0], blog, title="Interne", body="Pour la classe.")
    other = make_school(classes=1, pupils=1)
    outsider = client_for(other.teachers[0])
    assert outsider.get(reverse("blog:blog", args=[blog.pk])).status_code == 404
    assert outsider.get(reverse("blog:post", args=[post.pk])).status_code == 404
    assert outsider.post(reverse("blog:post", args=[post.pk]), {"body": "intrus"}).status_code == 404
    assert not Comment.objects.exists()
