"""`demo.data.bulk_insert`: ids set, foreign keys from the objects, dates as given for histories."""

import datetime

import pytest
from django.utils import timezone

from preau.core.models import AuditEntry
from preau.demo.data import bulk_insert
from preau.directory.factories import PersonFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(datetime.datetime(2025, 9, 2, 8, 30))


def test_a_history_keeps_the_dates_it_carries_and_dates_the_rest_now():
    actor = PersonFactory()
    entries = [AuditEntry(action="bench.old", actor=actor, at=LONG_AGO), AuditEntry(action="bench.new")]
    before = timezone.now()
    bulk_insert(AuditEntry, entries, as_given=True)

    assert all(entry.pk for entry in entries)
    old, new = (AuditEntry.objects.get(pk=entry.pk) for entry in entries)
    assert (old.at, old.actor_id) == (LONG_AGO, actor.pk)
    assert new.at >= before
    # Nothing of the model was changed on the way: a plain insert dates its rows now again.
    assert AuditEntry._meta.get_field("at").auto_now_add
    later = AuditEntry(action="bench.plain", at=LONG_AGO)
    bulk_insert(AuditEntry, [later])
    assert AuditEntry.objects.get(pk=later.pk).at >= before
