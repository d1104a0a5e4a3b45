"""Messages never vanish: emptying a trash hides one copy; only the retention purge deletes."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from preau.core.models import AuditEntry
from preau.messaging import actions
from preau.messaging.models import Conversation, Delivery, Message

pytestmark = pytest.mark.django_db


def _everybody_erases(message) -> None:
    Delivery.objects.filter(message=message).update(state=Delivery.State.PURGED)


def test_the_purge_deletes_only_old_messages_nobody_keeps_and_never_reported_ones(world, settings):
    settings.PREAU_MESSAGING_RETENTION_DAYS = 365
    teacher, parent = world["teacher"], world["parent"]
    old_erased = actions.send_message(teacher, subject="Ancien", body="x", people=[parent.pk])
    old_kept = actions.send_message(teacher, subject="Gardé", body="x", people=[parent.pk])
    old_reported = actions.send_message(teacher, subject="Signalé", body="x", people=[parent.pk])
    recent_erased = actions.send_message(teacher, subject="Récent", body="x", people=[parent.pk])
    actions.report_message(parent, old_reported, "Menace")
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Message.objects.exclude(pk=recent_erased.pk).update(sent_at=long_ago)
    Conversation.objects.update(created_at=long_ago)
    for message in (old_erased, old_reported, recent_erased):
        _everybody_erases(message)
    Delivery.objects.filter(message=old_kept, person=teacher).update(state=Delivery.State.PURGED)

    output = io.StringIO()
    call_command("purge_messages", stdout=output)
    assert output.getvalue().startswith("1 message(s) de plus de 365 jours")

    assert set(Message.objects.values_list("subject", flat=True)) == {"Gardé", "Signalé", "Récent"}
    assert not Conversation.objects.filter(pk=old_erased.conversation_id).exists()
    assert AuditEntry.objects.get(action="messaging.purged").details == {"messages": 1}


def test_the_purge_takes_out_the_files_of_purged_messages_that_no_kept_copy_carries(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.PREAU_MESSAGING_RETENTION_DAYS = 365
    teacher, director, parent = world["teacher"], world["director"], world["parent"]
    text = b"Liste des fournitures\n"
    alone = actions.send_message(
        teacher, subject="Seul", body="x", people=[parent.pk], files=[SimpleUploadedFile("a.txt", text)]
    )
    shared = actions.send_message(
        teacher, subject="Partagé", body="x", people=[director.pk], files=[SimpleUploadedFile("b.txt", text)]
    )
    forwarded = actions.send_message(director, subject="Tr", body="x", people=[parent.pk], forwarded_from=shared)
    alone_file, shared_file = alone.attachments.get().file, shared.attachments.get().file
    Message.objects.filter(pk__in=[alone.pk, shared.pk]).update(sent_at=timezone.now() - datetime.timedelta(days=400))
    for message in (alone, shared):
        _everybody_erases(message)

    with django_capture_on_commit_callbacks(execute=True):
        assert actions.purge_expired_messages() == 2

    storage = alone_file.storage
    assert not storage.exists(alone_file.name)
    assert storage.exists(shared_file.name)  # the forward, still kept, carries it
    assert forwarded.attachments.get().file.name == shared_file.name
