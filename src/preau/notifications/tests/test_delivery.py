"""The fan-out of a notice: timeline entries, grouping, unread counts, cost, and the queue."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from preau.core.notices import Notice, announce
from preau.directory.factories import PersonFactory, make_school
from preau.notifications.delivery import deliver
from preau.notifications.models import DigestItem, Entry
from preau.notifications.queries import unread_count
from preau.notifications.subscribers import deliver_pending

from .conftest import DIGEST_KIND, URGENT_KIND

TUESDAY_NOON = timezone.make_aware(datetime.datetime(2026, 3, 10, 12, 0))


def tell(capture, recipients, **fields) -> None:
    """Announce through core.notices, as a service's action does, and let the transaction commit."""
    fields = {"title": "Nouveau mot à signer", "url": "/cahier-de-liaison/mots/1/", **fields}
    with capture(execute=True):
        announce(fields.pop("kind", URGENT_KIND.code), [p.pk for p in recipients], **fields)


def test_a_notice_becomes_an_entry_for_each_recipient_but_its_author(built, django_capture_on_commit_callbacks):
    teacher = built.teachers[0]
    parents = [parents[0] for parents in built.parents.values()]
    tell(django_capture_on_commit_callbacks, [teacher, *parents], actor_id=teacher.pk, school_id=built.school.pk)
    entries = Entry.objects.order_by("person_id")
    assert [e.person_id for e in entries] == sorted(p.pk for p in parents)
    assert {(e.title, e.url, e.kind, e.read_at) for e in entries} == {
        ("Nouveau mot à signer", "/cahier-de-liaison/mots/1/", URGENT_KIND.code, None)
    }
    assert unread_count(parents[0]) == 1
    assert not Entry.objects.filter(person=teacher).exists()


def test_inactive_and_unknown_people_get_nothing(built, django_capture_on_commit_callbacks):
    parent = built.parents[built.pupils[built.classes[0].id][0].id][0]
    parent.is_active = False
    parent.save()
    with django_capture_on_commit_callbacks(execute=True):
        announce(URGENT_KIND.code, [parent.pk, 987654], title="Mot", url="/x/")
    assert not Entry.objects.exists()


def test_the_same_group_shows_one_entry_with_the_latest_notice_and_a_count(built, django_capture_on_commit_callbacks):
    parent = built.parents[built.pupils[built.classes[0].id][0].id][0]
    other = built.parents[built.pupils[built.classes[0].id][1].id][0]
    for number in (1, 2):
        tell(django_capture_on_commit_callbacks, [parent], title=f"Message {number}", group_key="conversation:7")
    tell(django_capture_on_commit_callbacks, [parent, other], title="Message 3", group_key="conversation:7")
    tell(django_capture_on_commit_callbacks, [parent], title="Autre sujet", group_key="conversation:8")
    grouped = Entry.objects.get(person=parent, group_key="conversation:7")
    assert (grouped.title, grouped.count) == ("Message 3", 3)
    assert Entry.objects.get(person=other).count == 1
    assert Entry.objects.filter(person=parent).count() == 2
    # Read, then a new message of the same conversation: unread again, on top of the timeline.
    Entry.objects.filter(person=parent).update(read_at=timezone.now())
    tell(django_capture_on_commit_callbacks, [parent], title="Message 4", group_key="conversation:7")
    latest = Entry.objects.filter(person=parent).first()
    assert (latest.title, latest.count, latest.read_at) == ("Message 4", 4, None)
    assert unread_count(parent) == 1


def _fan_out_queries(recipients, pupils, school) -> int:
    notice = Notice(
        kind=URGENT_KIND.code,
        recipient_ids=tuple(p.pk for p in recipients),
        title="Sortie au musée",
        url="/cahier-de-liaison/mots/2/",
        school_id=school.pk,
        pupil_ids=tuple(p.pk for p in pupils),
        group_key="sortie:2",
    )
    deliver(notice, now=TUESDAY_NOON)  # a first time, so that the second one also updates the groups
    with CaptureQueriesContext(connection) as queries:
        deliver(notice, now=TUESDAY_NOON)
    grouped = Entry.objects.filter(person__in=recipients, group_key="sortie:2", count=2)
    assert grouped.count() == len(recipients)
    return len(queries)


def test_the_fan_out_costs_the_same_for_3_or_30_families(db, mailoutbox):
    small, large = make_school(classes=1, pupils=3), make_school(classes=1, pupils=30)
    costs = []
    for built in (small, large):
        pupils = built.pupils[built.classes[0].id]
        parents = [built.parents[p.pk][0] for p in pupils]
        costs.append(_fan_out_queries(parents, pupils, built.school))
    assert costs[0] == costs[1]
    assert costs[0] <= 12


def test_the_subscriber_only_queues_and_the_fan_out_runs_later(db, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    families = PersonFactory.create_batch(300)
    with CaptureQueriesContext(connection) as queries:
        tell(django_capture_on_commit_callbacks, families, kind=DIGEST_KIND.code, title="Réunion de rentrée")
    # The sender waited for one insert into the queue, whatever the number of families.
    assert len(queries) == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not Entry.objects.exists()
    assert deliver_pending() == 1
    assert Entry.objects.count() == 300
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert deliver_pending() == 0


def test_deliver_pending_does_nothing_with_tasks_run_at_once(built, django_capture_on_commit_callbacks):
    parent = built.parents[built.pupils[built.classes[0].id][0].id][0]
    tell(django_capture_on_commit_callbacks, [parent])
    assert deliver_pending() == 0
    assert Entry.objects.filter(person=parent).count() == 1


def test_without_an_email_address_there_is_no_digest_line(built):
    teacher = built.teachers[0]  # no e-mail address
    parent = built.parents[built.pupils[built.classes[0].id][0].id][0]
    notice = Notice(kind=DIGEST_KIND.code, recipient_ids=(teacher.pk, parent.pk), title="Devoirs", url="/d/")
    deliver(notice, now=TUESDAY_NOON)
    assert Entry.objects.count() == 2
    assert list(DigestItem.objects.values_list("person_id", flat=True)) == [parent.pk]


@pytest.mark.django_db(transaction=True)
def test_the_demos_notices_are_delivered_when_it_commits_without_a_worker(settings):
    """load_demo calls the demo content's after_commit once everything queued on commit is queued."""
    from preau.notifications import demo_content

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    parent = PersonFactory()
    with transaction.atomic():
        announce(DIGEST_KIND.code, [parent.pk], title="Marché de Noël", url="/actualites/1/")
        announce(URGENT_KIND.code, [parent.pk], title="Mot à signer", url="/cahier-de-liaison/1/")
        transaction.on_commit(lambda: demo_content.after_commit(None))  # as load_demo registers it, last
    assert sorted(Entry.objects.filter(person=parent).values_list("title", flat=True)) == [
        "Marché de Noël",
        "Mot à signer",
    ]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    # Outside the demo, a notice waits for the worker as usual.
    with transaction.atomic():
        announce(DIGEST_KIND.code, [parent.pk], title="Devoirs", url="/devoirs/")
    assert DBTaskResult.objects.filter(status="READY").count() == 1
