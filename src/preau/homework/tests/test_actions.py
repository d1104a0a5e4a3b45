"""Writing the cahier de textes through its actions: publication, notices, events, copies,
done marks, attachments and the journal's API."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.models import Teaching
from preau.homework import actions
from preau.homework.models import Attachment, DoneMark, Entry, Work

from .conftest import enrol, make_person

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def teacher(world):
    teacher = make_person("teacher", world)
    Teaching.objects.create(teacher=teacher, school_class=world["sibling_class"])
    return teacher


def _work(actor, classes, **fields):
    defaults = {
        "assigned_on": TODAY,
        "due_date": TOMORROW,
        "subject": "francais",
        "title": "Lire la page 12",
        "body": "Lire la page 12 <script>alert(1)</script>à voix haute.",
        "publish_at": timezone.now(),
    }
    return actions.create_work(actor, school_classes=classes, **(defaults | fields))


def test_a_work_for_two_classes_tells_each_class_its_families_once(
    world, teacher, captured, django_capture_on_commit_callbacks
):
    pupil_a, parent_a = enrol(world["class"], with_parent=True)
    pupil_b, parent_b = enrol(world["sibling_class"], with_parent=True)
    with django_capture_on_commit_callbacks(execute=True):
        works = _work(teacher, [world["class"], world["sibling_class"]])
    assert [w.school_class for w in works] == [world["class"], world["sibling_class"]]
    assert works[0].body == "Lire la page 12 à voix haute."  # cleaned: no script
    assert all(w.published_at is not None for w in works)
    notices = [payload["notice"] for payload in captured["notice"]]
    assert len(notices) == 2
    by_class = {n.group_key: n for n in notices}
    first = by_class[f"homework:{world['class'].pk}:{TOMORROW.isoformat()}"]
    assert first.kind == "homework.published"
    assert set(first.recipient_ids) == {pupil_a.pk, parent_a.pk}
    assert first.pupil_ids == (pupil_a.pk,)
    assert first.title == "Devoirs en CE1 A pour demain : Lire la page 12"
    assert first.actor_id == teacher.pk and first.school_id == world["school"].pk
    assert set(by_class[f"homework:{world['sibling_class'].pk}:{TOMORROW.isoformat()}"].recipient_ids) == {
        pupil_b.pk,
        parent_b.pk,
    }
    published = captured["homework.work_published"]
    assert [p["school_class_ids"] for p in published] == [[world["class"].pk], [world["sibling_class"].pk]]
    assert published[0]["due_date"] == TOMORROW and published[0]["url"] == f"/cahier-de-textes/travail/{works[0].pk}/"
    assert AuditEntry.objects.filter(action="homework.work_created").count() == 2


def test_nobody_writes_for_a_class_they_do_not_teach(world, teacher):
    colleague = make_person("colleague", world)
    with pytest.raises(NotAllowed):
        _work(colleague, [world["class"]])
    with pytest.raises(NotAllowed):  # one class of the set is not theirs: nothing at all is written
        _work(colleague, [world["sibling_class"], world["class"]])
    other = make_person("other_school_teacher", world)
    with pytest.raises(NotAllowed):
        actions.create_entry(
            other,
            school_classes=[world["class"]],
            date=TODAY,
            subject="francais",
            title="t",
            body="b",
            publish_at=None,
        )
    assert not Work.objects.exists() and not Entry.objects.exists()


def test_bad_input_is_refused_in_french_and_changes_nothing(world, teacher):
    with pytest.raises(DomainError, match="jour qui suit"):
        _work(teacher, [world["class"]], due_date=TODAY - datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="matière"):
        _work(teacher, [world["class"]], subject="alchimie")
    with pytest.raises(DomainError, match="adresse web"):
        actions.clean_links(["javascript:alert(1)"])
    assert actions.clean_links(["Le conte | https://example.org/conte", "", "https://example.org"]) == [
        {"url": "https://example.org/conte", "label": "Le conte"},
        {"url": "https://example.org", "label": "https://example.org"},
    ]
    assert not Work.objects.exists()


def test_editing_does_not_tell_families_again_but_a_new_due_date_does(
    world, teacher, captured, django_capture_on_commit_callbacks
):
    enrol(world["class"], with_parent=True)
    with django_capture_on_commit_callbacks(execute=True):
        (work,) = _work(teacher, [world["class"]])
    captured.clear()
    fields = {
        "assigned_on": TODAY,
        "subject": "francais",
        "body": "Relire",
        "publish_at": work.publish_at,
    }
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_work(teacher, work, due_date=TOMORROW, title="Lire la page 12", **fields)
    assert captured == {}  # a fix of the text: nobody is told
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_work(teacher, work, due_date=TOMORROW, title="Lire les pages 12 et 13", **fields)
    assert "notice" not in captured and len(captured["homework.work_changed"]) == 1
    captured.clear()
    later = TODAY + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_work(teacher, work, due_date=later, title="Lire les pages 12 et 13", **fields)
    (notice,) = [p["notice"] for p in captured["notice"]]
    assert notice.kind == "homework.changed" and "reportés" in notice.title
    assert captured["homework.work_changed"][0]["due_date"] == later


def test_unpublishing_and_deleting_withdraw_the_work_from_the_agenda(
    world, teacher, captured, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, second = _work(teacher, [world["class"]]) + _work(teacher, [world["class"]], title="Autre")
        actions.update_work(
            teacher,
            first,
            assigned_on=TODAY,
            due_date=TOMORROW,
            subject="francais",
            title=first.title,
            body="x",
            publish_at=None,
        )
        second_pk = second.pk
        actions.delete_item(teacher, second)
    assert [p["work_id"] for p in captured["homework.work_withdrawn"]] == [first.pk, second_pk]
    first.refresh_from_db()
    assert first.is_draft and first.published_at is None
    assert not Work.objects.filter(pk=second_pk).exists()
    with django_capture_on_commit_callbacks(execute=True):  # published again: told again
        actions.update_work(
            teacher,
            first,
            assigned_on=TODAY,
            due_date=TOMORROW,
            subject="francais",
            title=first.title,
            body="x",
            publish_at=timezone.now(),
        )
    assert len(captured["homework.work_published"]) == 3


def test_a_hostile_file_named_like_a_pdf_is_refused(world, teacher):
    hostile = SimpleUploadedFile(
        "devoir.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "application/pdf"
    )
    with pytest.raises(DomainError, match="type accepté") as refused:
        _work(teacher, [world["class"]], files=[hostile])
    assert refused.value.field == "files"
    assert not Work.objects.exists() and not Attachment.objects.exists()


def test_a_real_pdf_is_stored_once_for_every_class(world, teacher):
    works = _work(
        teacher, [world["class"], world["sibling_class"]], files=[SimpleUploadedFile("fiche.pdf", PDF, "text/html")]
    )
    first, second = (w.attachments.get() for w in works)
    assert first.content_type == "application/pdf" and first.name == "fiche.pdf"  # by content, not by claim
    assert first.file.name == second.file.name
    assert first.file.read() == PDF


def test_a_removed_file_leaves_storage_unless_a_copy_still_holds_it(world, teacher, django_capture_on_commit_callbacks):
    first, second = _work(
        teacher, [world["class"], world["sibling_class"]], files=[SimpleUploadedFile("fiche.pdf", PDF)]
    )
    (own,) = _work(teacher, [world["class"]], files=[SimpleUploadedFile("seule.pdf", PDF)])
    shared, alone = first.attachments.get(), own.attachments.get()
    storage = Attachment._meta.get_field("file").storage
    fields = {"assigned_on": TODAY, "due_date": TOMORROW, "subject": "francais", "body": "x", "publish_at": None}
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_work(teacher, first, title="Lire", remove_attachment_ids=[shared.pk], **fields)
        actions.update_work(teacher, own, title="Lire", remove_attachment_ids=[alone.pk], **fields)
    assert not first.attachments.exists() and not own.attachments.exists()
    assert storage.exists(shared.file.name)  # the other class's work still holds it
    assert not storage.exists(alone.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_item(teacher, second)
    assert not storage.exists(shared.file.name)


def test_too_many_files_are_refused(world, teacher, settings):
    settings.PREAU_HOMEWORK_MAX_ATTACHMENTS = 1
    files = [SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(2)]
    with pytest.raises(DomainError, match="Pas plus de 1"):
        _work(teacher, [world["class"]], files=files)


def test_copy_a_week_to_another_class_keeps_links_files_and_drafts(
    world, teacher, captured, django_capture_on_commit_callbacks
):
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    (entry,) = actions.create_entry(
        teacher,
        school_classes=[world["class"]],
        date=monday,
        subject="mathematiques",
        title="La soustraction",
        body="Posée",
        links=[{"url": "https://example.org", "label": "Jeu"}],
        publish_at=timezone.now(),
        files=[SimpleUploadedFile("fiche.pdf", PDF)],
    )
    _work(teacher, [world["class"]], assigned_on=monday, due_date=monday + datetime.timedelta(days=1), entry=entry)
    _work(teacher, [world["class"]], assigned_on=monday, due_date=monday + datetime.timedelta(days=3), publish_at=None)
    _work(teacher, [world["class"]], assigned_on=monday - datetime.timedelta(days=7), due_date=monday)  # last week
    with django_capture_on_commit_callbacks(execute=True):
        counts = actions.copy_week(teacher, source=world["class"], target=world["sibling_class"], week_of=TODAY)
    assert counts == (1, 2)
    copied_entry = Entry.objects.get(school_class=world["sibling_class"])
    assert copied_entry.links == entry.links and copied_entry.is_visible() and copied_entry.author == teacher
    assert copied_entry.attachments.get().file.name == entry.attachments.get().file.name
    works = list(Work.objects.filter(school_class=world["sibling_class"]).order_by("due_date"))
    assert works[0].entry == copied_entry and works[0].is_visible()
    assert works[1].is_draft  # a draft stays a draft
    assert len(captured["homework.work_published"]) == 1
    with pytest.raises(DomainError, match="autre classe ou une autre semaine"):
        actions.copy_week(teacher, source=world["class"], target=world["class"], week_of=TODAY)
    with pytest.raises(NotAllowed):  # to a class the teacher does not teach
        actions.copy_week(teacher, source=world["class"], target=world["other_class"], week_of=TODAY)


def test_copy_a_week_to_the_next_week_shifts_every_date(world, teacher):
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    _work(teacher, [world["class"]], assigned_on=monday, due_date=monday + datetime.timedelta(days=1))
    actions.copy_week(
        teacher,
        source=world["class"],
        target=world["class"],
        week_of=monday,
        target_week_of=monday + datetime.timedelta(days=9),
        as_drafts=True,
    )
    copy = Work.objects.order_by("-pk").first()
    assert copy.assigned_on == monday + datetime.timedelta(days=7)
    assert copy.due_date == monday + datetime.timedelta(days=8)
    assert copy.is_draft


def test_pupils_mark_done_only_their_own_and_only_when_the_class_tracks_it(world, teacher):
    pupil, parent = enrol(world["class"], with_parent=True)
    classmate = enrol(world["class"])
    (work,) = _work(teacher, [world["class"]])
    with pytest.raises(DomainError, match="n'utilise pas"):
        actions.mark_done(pupil, work)
    actions.set_track_done(teacher, world["class"], track_done=True)
    assert actions.mark_done(pupil, work) is True
    with pytest.raises(NotAllowed):
        actions.mark_done(pupil, work, pupil=classmate)
    with pytest.raises(NotAllowed):
        actions.mark_done(parent, work, pupil=classmate)
    actions.mark_done(parent, work, pupil=pupil, done=False)
    assert not DoneMark.objects.exists()
    actions.mark_done(classmate, work)
    actions.mark_done(classmate, work)  # twice: still one mark
    assert list(DoneMark.objects.values_list("pupil_id", flat=True)) == [classmate.pk]
    with pytest.raises(NotAllowed):  # only its writers change the class's settings
        actions.set_track_done(pupil, world["class"], track_done=False)


def test_a_draft_cannot_be_marked_done(world, teacher):
    pupil = enrol(world["class"])
    actions.set_track_done(teacher, world["class"], track_done=True)
    (work,) = _work(teacher, [world["class"]], publish_at=None)
    with pytest.raises(NotAllowed):
        actions.mark_done(pupil, work)


def test_the_journal_creates_a_published_seance_for_a_class_its_author_teaches(world, teacher):
    entry_id = actions.create_entry_from_journal(
        teacher,
        school_class=world["class"],
        date=TODAY,
        subject="questionner_le_monde",
        title="Les états de l'eau",
        content_html="<p>Glace, eau, vapeur.</p>",
    )
    entry = Entry.objects.get(pk=entry_id)
    assert entry.is_visible() and entry.subject_label == "Questionner le monde"
    with pytest.raises(NotAllowed):
        actions.create_entry_from_journal(
            make_person("colleague", world),
            school_class=world["class"],
            date=TODAY,
            subject="francais",
            title="t",
            content_html="c",
        )


def test_a_replacement_teacher_added_to_the_class_writes(world, teacher, django_capture_on_commit_callbacks):
    replacement = make_person("replacement_teacher", world)
    (work,) = _work(replacement, [world["class"]])
    assert work.author == replacement
