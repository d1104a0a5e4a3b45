"""Messages never vanish: emptying a trash hides one copy; only the retention purge deletes."""

import datetime
import io

import pytest
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
