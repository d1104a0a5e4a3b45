import pytest
from django.db import transaction

from preau.core import audit, events
from preau.core.context import Origin, current_origin
from preau.directory.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_audit_records_who_on_whom_and_from_where():
    actor, subject = PersonFactory(), PersonFactory()
    token = current_origin.set(Origin(request_id="r1", ip="192.0.2.7"))
    try:
        entry = audit.record(actor, "directory.person_viewed", target=subject, subject=subject, reason="test")
    finally:
        current_origin.reset(token)
    assert entry.actor == actor and entry.subject == subject
    assert entry.ip == "192.0.2.7" and entry.request_id == "r1"
    assert entry.target_type == "directory.person" and entry.details == {"reason": "test"}


def test_audit_without_actor_is_the_system():
    assert audit.record(None, "feeder.imported").actor_label == "système"


def test_events_are_delivered_after_commit_only(django_capture_on_commit_callbacks):
    received = []
    events.subscriber("test.happened")(lambda name, **payload: received.append(payload))
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("test.happened", value=1)
    assert received == [{"value": 1}]


@pytest.mark.django_db(transaction=True)
def test_events_of_a_rolled_back_transaction_are_never_sent():
    received = []
    events.subscriber("test.rolled_back")(lambda name, **payload: received.append(payload))
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit("test.rolled_back", value=1)
        raise RuntimeError
    assert received == []


def test_a_failing_subscriber_does_not_stop_the_others(django_capture_on_commit_callbacks):
    received = []

    def broken(name, **payload):
        raise ValueError("boom")

    events.subscriber("test.partly_broken")(broken)
    events.subscriber("test.partly_broken")(lambda name, **payload: received.append(payload))
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("test.partly_broken", value=2)
    assert received == [{"value": 2}]
