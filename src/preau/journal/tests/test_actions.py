"""Planning, bilans, journées types, copies and loans, through the actions."""

import datetime

import pytest
from django.utils import timezone

from preau.core import events
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.journal import actions, policy, queries
from preau.journal.models import DayTemplate, JournalShare, Slot

from .conftest import make_person, slot_for

MONDAY = datetime.date(2026, 3, 2)
received = []


@events.subscriber("notice")
def _collect(name, notice):
    received.append(notice)


def content(**fields):
    return {
        "starts_at": datetime.time(8, 30),
        "ends_at": datetime.time(9, 15),
        "subject": "mathematiques",
        "title": "Calcul mental",
        "objectives": "Tables de 2 et 5",
        "organisation": "collectif",
        "material": "Ardoises",
        "assessment": "",
        **fields,
    }


def test_a_teacher_plans_a_session_for_their_class_and_it_is_journaled(world):
    teacher = world["teacher"]
    slot = actions.plan_slot(teacher, school_class=world["class"], date=MONDAY, **content(title="  Calcul mental "))
    assert slot.title == "Calcul mental" and slot.author == teacher
    entry = AuditEntry.objects.get(action="journal.slot_planned")
    assert entry.target_id == str(slot.pk) and entry.school_id == world["school"].pk
    assert list(queries.slots_of(teacher, start=MONDAY, end=MONDAY)) == [slot]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ends_at": datetime.time(8, 0)}, "finir après"),
        ({"subject": "alchimie"}, "discipline"),
        ({"title": "  "}, "intitulé"),
        ({"organisation": "en vrac"}, "organisation"),
    ],
)
def test_a_session_that_makes_no_sense_is_refused_in_french(world, fields, message):
    with pytest.raises(DomainError, match=message):
        actions.plan_slot(world["teacher"], school_class=world["class"], date=MONDAY, **content(**fields))
    assert not Slot.objects.exists()


def test_nobody_plans_for_a_class_they_do_not_teach(world):
    with pytest.raises(NotAllowed):
        actions.plan_slot(world["teacher"], school_class=world["other_class"], date=MONDAY, **content())
    director = make_person("director", world)
    with pytest.raises(NotAllowed):
        actions.plan_slot(director, school_class=world["class"], date=MONDAY, **content())
    assert not Slot.objects.exists()


def test_only_the_author_changes_deletes_or_writes_the_bilan(world):
    slot = slot_for(world, MONDAY)
    colleague = make_person("colleague", world)
    with pytest.raises(NotAllowed):
        actions.update_slot(colleague, slot, **content())
    with pytest.raises(NotAllowed):
        actions.write_review(colleague, slot, review="Trop long")
    with pytest.raises(NotAllowed):
        actions.delete_slot(colleague, slot)
    actions.write_review(world["teacher"], slot, review=" Les groupes ont bien tourné. ")
    slot.refresh_from_db()
    assert slot.review == "Les groupes ont bien tourné."
    actions.update_slot(world["teacher"], slot, review="Reprendre jeudi", **content(title="Calcul réfléchi"))
    slot.refresh_from_db()
    assert (slot.title, slot.review, slot.date) == ("Calcul réfléchi", "Reprendre jeudi", MONDAY)
    actions.delete_slot(world["teacher"], slot)
    assert not Slot.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="journal.").count() == 3


def test_a_day_kept_as_template_is_laid_again_without_its_bilan(world):
    teacher, k1 = world["teacher"], world["class"]
    slot_for(world, MONDAY, review="Très bien", homework_entry_id=4)
    slot_for(world, MONDAY, starts_at=datetime.time(10, 0), ends_at=datetime.time(11, 0), title="Géométrie")
    template = actions.save_day_as_template(teacher, school_class=k1, date=MONDAY, name="Lundi type")
    assert template.slots.count() == 2
    with pytest.raises(DomainError, match="déjà une journée type"):
        actions.save_day_as_template(teacher, school_class=k1, date=MONDAY, name="lundi TYPE")
    next_monday = MONDAY + datetime.timedelta(days=7)
    created = actions.apply_template(teacher, template, school_class=k1, date=next_monday)
    assert [(s.title, s.review, s.homework_entry_id) for s in created] == [
        ("Lecture : le loup", "", None),
        ("Géométrie", "", None),
    ]
    # Laying it again on a day that has sessions is refused, unless they are replaced.
    with pytest.raises(DomainError, match="Remplacer"):
        actions.apply_template(teacher, template, school_class=k1, date=next_monday)
    actions.apply_template(teacher, template, school_class=k1, date=next_monday, replace=True)
    assert Slot.objects.filter(date=next_monday).count() == 2
    with pytest.raises(NotAllowed):
        actions.apply_template(make_person("colleague", world), template, school_class=k1, date=next_monday)


def test_an_empty_day_makes_no_template(world):
    with pytest.raises(DomainError, match="aucune séance"):
        actions.save_day_as_template(world["teacher"], school_class=world["class"], date=MONDAY, name="Vide")
    assert not DayTemplate.objects.exists()


def test_a_day_is_copied_onto_a_date_and_the_following_weeks(world):
    slot_for(world, MONDAY, review="bilan")
    target = MONDAY + datetime.timedelta(days=14)
    created = actions.copy_days(world["teacher"], school_class=world["class"], source=MONDAY, target=target, repeat=3)
    assert sorted(s.date for s in created) == [target + datetime.timedelta(weeks=n) for n in range(3)]
    assert all(s.review == "" for s in created)
    with pytest.raises(DomainError, match="différente"):
        actions.copy_days(world["teacher"], school_class=world["class"], source=MONDAY, target=MONDAY)
    with pytest.raises(DomainError, match="1 à 10"):
        actions.copy_days(world["teacher"], school_class=world["class"], source=MONDAY, target=target, repeat=11)


def test_a_week_is_copied_day_for_day(world):
    tuesday, thursday = MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=3)
    slot_for(world, tuesday, title="Mardi")
    slot_for(world, thursday, title="Jeudi")
    # Any day of the week names the week, on both sides.
    created = actions.copy_days(
        world["teacher"],
        school_class=world["class"],
        source=thursday,
        target=MONDAY + datetime.timedelta(days=9),
        week=True,
    )
    assert sorted((s.date, s.title) for s in created) == [
        (tuesday + datetime.timedelta(weeks=1), "Mardi"),
        (thursday + datetime.timedelta(weeks=1), "Jeudi"),
    ]
    with pytest.raises(DomainError, match="aucune séance"):
        actions.copy_days(
            world["teacher"], school_class=world["class"], source=MONDAY + datetime.timedelta(weeks=5), target=MONDAY
        )


def test_a_loan_to_a_replacement_of_the_school_is_told_journaled_and_ends_by_itself(
    world, django_capture_on_commit_callbacks
):
    teacher = world["teacher"]
    colleague = make_person("colleague", world)
    today = timezone.localdate()
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        share = actions.share_journal(teacher, replacement=colleague, starts_on=today, ends_on=today)
    assert received[-1].kind == "journal.shared" and received[-1].recipient_ids == (colleague.pk,)
    assert "Julien ABADIE" in received[-1].title
    entry = AuditEntry.objects.get(action="journal.shared")
    assert entry.subject_id == colleague.pk and entry.school_id == world["school"].pk
    assert policy.can_read(colleague, slot_for(world, today))
    assert not policy.can_read(colleague, slot_for(world, today + datetime.timedelta(days=1)))
    # The day after its last day, the loan is over without anyone doing anything.
    yesterday = today - datetime.timedelta(days=1)
    JournalShare.objects.filter(pk=share.pk).update(starts_on=yesterday, ends_on=yesterday)
    colleague = type(colleague).objects.get(pk=colleague.pk)  # a new request
    assert not policy.can_read(colleague, slot_for(world, yesterday))


def test_a_loan_goes_only_to_the_teaching_staff_of_the_school_and_can_be_stopped(world):
    teacher, today = world["teacher"], timezone.localdate()
    for outsider in ("other_school_teacher", "parent", "city_referent"):
        with pytest.raises(DomainError, match="enseignant de votre école"):
            actions.share_journal(teacher, replacement=make_person(outsider, world), starts_on=today, ends_on=today)
    with pytest.raises(DomainError, match="enseignant de votre école"):
        actions.share_journal(teacher, replacement=teacher, starts_on=today, ends_on=today)
    colleague = make_person("colleague", world)
    with pytest.raises(DomainError, match="suivre"):
        actions.share_journal(teacher, replacement=colleague, starts_on=today, ends_on=today - datetime.timedelta(1))
    with pytest.raises(DomainError, match="passées"):
        actions.share_journal(
            teacher,
            replacement=colleague,
            starts_on=today - datetime.timedelta(5),
            ends_on=today - datetime.timedelta(1),
        )
    share = actions.share_journal(teacher, replacement=colleague, starts_on=today, ends_on=today)
    with pytest.raises(NotAllowed):
        actions.revoke_share(colleague, share)
    actions.revoke_share(teacher, share)
    assert not policy.can_read(type(colleague).objects.get(pk=colleague.pk), slot_for(world, today))
    with pytest.raises(DomainError, match="terminé"):
        actions.revoke_share(teacher, share)
    assert AuditEntry.objects.filter(action="journal.share_revoked", subject=colleague).exists()


def test_people_without_a_class_lend_no_journal(world):
    today = timezone.localdate()
    with pytest.raises(NotAllowed):
        actions.share_journal(
            make_person("academie_admin", world), replacement=world["teacher"], starts_on=today, ends_on=today
        )
