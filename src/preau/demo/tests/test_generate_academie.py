"""`preau generate_academie`: families across schools, progress, and the services' history hook."""

import re
import sys
import types
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from preau.blog.models import Blog, Post
from preau.core.models import AuditEntry
from preau.core.richtext import clean_html, plain_text
from preau.demo.management.commands import generate_academie
from preau.directory.models import Enrolment, GuardianLink, Person, Profile, Role, School, Teaching
from preau.homework.models import Entry, Work
from preau.liaison.models import Acknowledgement, Note, NoteChild
from preau.messaging import bench_history as messaging_history
from preau.messaging.models import Conversation, Delivery, Message

pytestmark = pytest.mark.django_db


def generate(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("generate_academie", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_some_families_have_children_in_two_schools_of_their_commune():
    generate("--schools", "12", "--seed", "3", "--no-history")
    across = (
        GuardianLink.objects.values("guardian")
        .annotate(schools=Count("child__enrolments__school_class__school", distinct=True))
        .filter(schools=2)
    )
    assert across.exists()
    guardian = across.order_by("guardian").first()["guardian"]
    communes = School.objects.filter(classes__enrolments__pupil__guardian_links__guardian=guardian)
    assert communes.values("commune").distinct().count() == 1


def test_it_reports_its_progress_on_stderr_and_its_speed():
    out, err = generate("--schools", "4", "--seed", "2", "--no-history")
    assert "Écoles [" in err and "100%" in err and "4/4 écoles" in err
    assert "lignes/s" in out and "Fini en" in out


def test_the_services_history_gets_the_ids_of_what_was_built(monkeypatch):
    monkeypatch.setattr(messaging_history, "BUSY_DIRECTOR_MESSAGES", 100)
    seen = {}

    def history(academie, rng, progress):
        seen["academie"] = academie
        progress.stage("Historique d'essai", len(academie.schools), "écoles")
        entries = [AuditEntry(action="bench.history", school_id=school.id) for school in academie.schools]
        progress.advance(len(academie.schools), rows=academie.insert(entries))
        seen["ids"] = [entry.pk for entry in entries]
        return {"entrées d'essai": len(entries)}

    module = types.ModuleType("preau.core.bench_history")
    module.generate = history
    monkeypatch.setitem(sys.modules, "preau.core.bench_history", module)
    out, err = generate("--schools", "3", "--seed", "5")

    academie = seen["academie"]
    assert "Historique : entrées d'essai 3" in out and "Historique d'essai" in err
    assert [s.id for s in academie.schools] == list(School.objects.order_by("pk").values_list("pk", flat=True))
    assert all(seen["ids"]) and AuditEntry.objects.filter(action="bench.history").count() == 3
    school = academie.schools[0]
    assert Role.objects.filter(person_id=school.director_id, school_id=school.id, profile=Profile.DIRECTOR).exists()
    school_class = school.classes[0]
    assert set(school_class.pupil_ids) == set(
        Enrolment.objects.filter(school_class_id=school_class.id).values_list("pupil_id", flat=True)
    )
    assert set(school_class.teacher_ids) == set(
        Teaching.objects.filter(school_class_id=school_class.id).values_list("teacher_id", flat=True)
    )
    pupil = school_class.pupil_ids[0]
    assert set(academie.guardians[pupil]) == set(
        GuardianLink.objects.filter(child_id=pupil).values_list("guardian_id", flat=True)
    )
    assert Person.objects.filter(pk__in=academie.staff[Profile.CITY_REFERENT]).count() >= 1


def test_no_history_skips_the_services(monkeypatch):
    module = types.ModuleType("preau.core.bench_history")
    module.generate = lambda academie, rng, progress: pytest.fail("history was generated")
    monkeypatch.setitem(sys.modules, "preau.core.bench_history", module)
    out, _err = generate("--schools", "1", "--no-history")
    assert "Historique" not in out


def test_the_services_history_shows_on_their_pages():
    """Messagerie, cahier de textes, cahier de liaison and blogs, as their pages show them."""
    out, err = generate("--schools", "3", "--seed", "4")
    assert "Messagerie [" in err and "Cahier de liaison [" in err
    if not Entry.objects.exists():
        pytest.skip("Pas encore de jour de classe cette année scolaire : l'historique est vide.")
    history = _history_counts(out)
    expected = {"messages", "exemplaires de messages", "séances du cahier de textes", "travaux à faire"}
    expected |= {"mots du cahier de liaison", "signatures", "blogs", "articles de blog"}
    assert expected <= set(history) and all(history[label] > 0 for label in expected), history
    _check_rows()

    # The busiest school's director: thousands of messages, served like ten.
    school = max(School.objects.annotate(pupils=Count("classes__enrolments")), key=lambda s: (s.pupils, -s.pk))
    director = Role.objects.get(school=school, profile=Profile.DIRECTOR).person
    received = Delivery.objects.filter(person=director, box=Delivery.Box.INBOX).count()
    assert received >= messaging_history.BUSY_DIRECTOR_MESSAGES
    page = _page(director, reverse("messaging:inbox"))
    assert page.count('<li class="preau-mail') == 50  # a full page of the thousands
    link = re.search(r'href="/messagerie/conversation/(\d+)/', page).group(1)
    conversation = Conversation.objects.get(pk=link)
    assert escape(conversation.subject) in _page(director, reverse("messaging:conversation", args=[link]))

    # A parent: the child's work to do, a note signed and one to sign, the class's blog.
    work = Work.objects.filter(due_date__gt=timezone.localdate(), publish_at__lte=timezone.now()).first()
    if work is not None:  # none during the holidays
        pupil = Enrolment.objects.filter(school_class_id=work.school_class_id).first().pupil
        parent = GuardianLink.objects.filter(child=pupil).first().guardian
        assert escape(work.title) in _page(parent, reverse("homework:todo"), enfant=pupil.pk)
    signed = Acknowledgement.objects.select_related("recipient").first()
    parent = Person.objects.get(pk=signed.guardian_id)
    page = _page(parent, reverse("liaison:notebook"), enfant=signed.recipient.pupil_id)
    assert f"Signé par {signed.guardian_label}" in page
    waiting = NoteChild.objects.filter(note__requires_ack=True, acknowledgement__isnull=True).first()
    if waiting is not None:
        parent = GuardianLink.objects.filter(child_id=waiting.pupil_id).first().guardian
        assert "À signer" in _page(parent, reverse("liaison:notebook"), enfant=waiting.pupil_id)
    blog = Blog.objects.filter(scope=Blog.Scope.CLASS, posts__isnull=False).first()
    parent = GuardianLink.objects.filter(child__enrolments__school_class_id=blog.school_class_id).first().guardian
    assert escape(blog.title) in _page(parent, reverse("blog:index"))
    post = Post.objects.filter(blog=blog).order_by("-publish_at").first()
    assert escape(post.title) in _page(parent, reverse("blog:blog", args=[blog.pk]))


def test_the_same_seed_gives_the_same_history(monkeypatch):
    # The same moment too: a history is the seed's up to `now`.
    now = timezone.now()
    monkeypatch.setattr(generate_academie, "timezone", types.SimpleNamespace(now=lambda: now))
    monkeypatch.setattr(messaging_history, "BUSY_DIRECTOR_MESSAGES", 100)
    first, _err = generate("--schools", "2", "--seed", "6")
    second, _err = generate("--schools", "2", "--seed", "6")
    assert _history_counts(first) == _history_counts(second) != {}


def _history_counts(out: str) -> dict[str, int]:
    line = next(line for line in out.splitlines() if line.startswith("Historique : "))
    parts = (part.rsplit(" ", 1) for part in line.removeprefix("Historique : ").split(", "))
    return {label: int(count) for label, count in parts}


def _page(person, path: str, **query) -> str:
    client = Client()
    client.force_login(person)
    response = client.get(path, query)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def _check_rows():
    """Bodies are stored clean, their words where the actions put them; dates as they happened."""
    published = Entry.objects.exclude(publish_at=None)
    assert published.filter(created_at=F("publish_at")).count() == published.count()
    for body, body_text in set(Message.objects.values_list("body", "body_text")):
        assert clean_html(body) == body and plain_text(body) == body_text
    for model in (Entry, Work, Note, Post):
        for body in set(model.objects.values_list("body", flat=True)):
            assert clean_html(body) == body
