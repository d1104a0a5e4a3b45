"""Adding, changing and deleting events; who is told of a new one."""

import datetime

import pytest

from preau.agenda import actions
from preau.agenda.models import Event
from preau.core import events
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry

from .conftest import make_person

Calendar = Event.Calendar
DAY = datetime.date(2026, 6, 12)
received = []


@events.subscriber("notice")
def _collect(name, notice):
    received.append(notice)


def test_a_class_outing_is_announced_to_its_pupils_their_parents_and_teachers(
    world, django_capture_on_commit_callbacks
):
    teacher = world["teacher"]
    pupil, parent = make_person("pupil", world), make_person("parent", world)
    parent_child = parent.child_links.get().child
    make_person("other_school_parent", world)
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = actions.add_event(
            teacher,
            target_key=f"classe:{world['class'].pk}",
            title="Sortie à la ferme",
            category=Event.Category.OUTING,
            starts_on=DAY,
            all_day=False,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(16, 30),
            place="Ferme de Capvern",
            description="<p>Prévoir des bottes <script>x</script></p>",
        )
    assert (event.calendar, event.school, event.school_class) == (Calendar.CLASS, world["school"], world["class"])
    assert event.description == "<p>Prévoir des bottes </p>"
    assert event.starts_at == datetime.datetime(2026, 6, 12, 7, 0, tzinfo=datetime.UTC)  # 9 h in Paris, summer time
    notice = received[-1]
    assert notice.kind == "agenda.event"
    assert set(notice.recipient_ids) == {pupil.pk, parent_child.pk, parent.pk}  # the author is not told
    assert set(notice.pupil_ids) == {pupil.pk, parent_child.pk}
    assert notice.title == "K1 : Sortie à la ferme, vendredi 12 juin à 9 h 00"
    assert AuditEntry.objects.filter(action="agenda.event_added", target_id=str(event.pk)).exists()


def test_a_school_event_is_announced_to_the_school_and_its_families(world, django_capture_on_commit_callbacks):
    director = make_person("director", world)
    colleague, parent = make_person("colleague", world), make_person("parent", world)
    referent = make_person("city_referent", world)
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_event(
            director,
            target_key=f"ecole:{world['school'].pk}",
            title="Fête de l'école",
            category=Event.Category.PARTY,
            starts_on=DAY,
            ends_on=DAY + datetime.timedelta(days=1),
        )
    recipients = set(received[-1].recipient_ids)
    assert {world["teacher"].pk, colleague.pk, parent.pk} <= recipients
    assert director.pk not in recipients and referent.pk not in recipients
    assert "du 12 juin au 13 juin" in received[-1].title


def test_a_personal_event_tells_nobody(world, django_capture_on_commit_callbacks):
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = actions.add_event(
            make_person("parent", world), target_key="perso", title="Dentiste", category="sante", starts_on=DAY
        )
    assert event.calendar == Calendar.PERSONAL and event.owner.pk and received == []


@pytest.mark.parametrize(
    ("person_name", "target"),
    [("teacher", "ecole"), ("director", "classe"), ("parent", "classe"), ("other_school_director", "ecole"),
     ("city_referent", "ecole"), ("teacher", "other_class")],
)  # fmt: skip
def test_nobody_writes_in_a_calendar_that_is_not_theirs(world, person_name, target):
    person = make_person(person_name, world)
    key = {
        "ecole": f"ecole:{world['school'].pk}",
        "classe": f"classe:{world['class'].pk}",
        "other_class": f"classe:{world['other_class'].pk}",
    }[target]
    with pytest.raises(NotAllowed):
        actions.add_event(person, target_key=key, title="x", category="autre", starts_on=DAY)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "titre"),
        ({"category": "anniversaire"}, "catégorie"),
        ({"ends_on": DAY - datetime.timedelta(days=1)}, "dernier jour"),
        ({"all_day": False, "end_time": datetime.time(10, 0)}, "heure de début"),
        ({"all_day": False, "start_time": datetime.time(10, 0), "end_time": datetime.time(9, 0)}, "finir après"),
        ({"ends_on": DAY + datetime.timedelta(days=400)}, "une année"),
    ],
)
def test_an_event_that_makes_no_sense_is_refused_in_french(world, fields, message):
    values = {"title": "Réunion", "category": "reunion", "starts_on": DAY, **fields}
    with pytest.raises(DomainError, match=message):
        actions.add_event(world["teacher"], target_key="perso", **values)
    assert not Event.objects.exists()


def test_an_event_is_changed_and_deleted_by_who_writes_its_calendar(world):
    teacher, director = world["teacher"], make_person("director", world)
    event = actions.add_event(
        teacher, target_key=f"classe:{world['class'].pk}", title="Piscine", category="sport", starts_on=DAY
    )
    with pytest.raises(NotAllowed):
        actions.update_event(director, event, title="x", category="sport", starts_on=DAY)
    with pytest.raises(NotAllowed):
        actions.delete_event(make_person("parent", world), event)
    actions.update_event(
        teacher,
        event,
        title="Piscine (bonnets)",
        category="sport",
        starts_on=DAY,
        all_day=False,
        start_time=datetime.time(14, 0),
        end_time=datetime.time(15, 0),
    )
    event.refresh_from_db()
    assert event.title == "Piscine (bonnets)" and not event.all_day
    assert event.ends_at == datetime.datetime(2026, 6, 12, 13, 0, tzinfo=datetime.UTC)
    actions.delete_event(teacher, event)
    assert not Event.objects.exists()
    assert list(AuditEntry.objects.filter(action__startswith="agenda.").values_list("action", flat=True)) == [
        "agenda.event_deleted",
        "agenda.event_updated",
        "agenda.event_added",
    ]
