"""The erasers' registry: every registered eraser runs, in the order of their codes, all or
nothing; files go from storage only once the transaction commits, and only when no row keeps them."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from preau.core import files, school_data
from preau.core.models import AuditEntry


@pytest.fixture
def registry(db, monkeypatch):
    """An empty registry for the test (the apps' erasers are put back afterwards)."""
    monkeypatch.setattr(school_data, "_erasers", {})
    return school_data


def test_every_eraser_runs_in_the_order_of_its_code_and_counts(registry):
    calls = []
    registry.register("zoo", "Zoo", lambda school_id: calls.append(("zoo", school_id)) or 3)
    registry.register("agenda", "Agenda", lambda school_id: calls.append(("agenda", school_id)) or 0)
    registry.register("blog", "Blogs", lambda school_id: calls.append(("blog", school_id)) or 7)

    assert registry.erase_school(42) == {"agenda": 0, "blog": 7, "zoo": 3}
    assert calls == [("agenda", 42), ("blog", 42), ("zoo", 42)]
    assert [eraser.label for eraser in registry.erasers()] == ["Agenda", "Blogs", "Zoo"]


def test_registering_a_code_again_replaces_its_eraser(registry):
    registry.register("blog", "Blogs", lambda school_id: 1)
    registry.register("blog", "Blogs", lambda school_id: 2)
    assert registry.erase_school(1) == {"blog": 2}


def test_a_failing_eraser_undoes_what_the_others_deleted(registry):
    AuditEntry.objects.create(action="test.kept")

    def first(school_id: int) -> int:
        return AuditEntry.objects.filter(action="test.kept").delete()[0]

    def second(school_id: int) -> int:
        raise RuntimeError("storage down")

    registry.register("a", "A", first)
    registry.register("b", "B", second)
    with pytest.raises(RuntimeError):
        registry.erase_school(1)
    assert AuditEntry.objects.filter(action="test.kept").exists()


def test_the_apps_register_their_erasers():
    codes = {eraser.code for eraser in school_data.erasers()}
    assert {
        "agenda",
        "blog",
        "chat",
        "homework",
        "journal",
        "liaison",
        "messaging",
        "moderation",
        "news",
        "notifications",
    } <= codes


def test_files_go_after_commit_and_only_when_no_row_keeps_them(
    db, settings, tmp_path, django_capture_on_commit_callbacks
):
    from preau.homework.factories import AttachmentFactory
    from preau.homework.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    shared, alone = AttachmentFactory(), AttachmentFactory()
    AttachmentFactory(file=shared.file.name)  # another class's copy of the same file
    storage = Attachment._meta.get_field("file").storage
    names = [shared.file.name, alone.file.name]
    assert all(storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Attachment.objects.filter(pk__in=[shared.pk, alone.pk]).delete()
        files.delete_unused_files(Attachment, "file", [*names, ""])
    assert all(storage.exists(name) for name in names)  # nothing before the commit
    for callback in callbacks:
        callback()
    assert storage.exists(shared.file.name) and not storage.exists(alone.file.name)


def test_a_rolled_back_deletion_keeps_the_files(db, settings, tmp_path, django_capture_on_commit_callbacks):
    from preau.homework.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    name = Attachment._meta.get_field("file").storage.save("homework/fiche.txt", ContentFile(b"x"))
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        files.delete_unused_files(Attachment, "file", [name])
        raise RuntimeError
    assert callbacks == []
    assert (tmp_path / name).exists()
