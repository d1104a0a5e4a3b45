"""Sending: recipients resolved at send time, hidden families, notices, limits, urgent, replies."""

import pytest
from django.core.exceptions import PermissionDenied

from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.factories import PersonFactory
from preau.directory.models import GuardianLink
from preau.messaging import actions, rule_actions
from preau.messaging.models import Delivery, Message

pytestmark = pytest.mark.django_db


def _class_parents(world) -> str:
    return f"classe-parents:{world.school_class.pk}"


def test_a_teacher_writes_to_the_parents_of_their_class(world, captured, django_capture_on_commit_callbacks):
    teacher = world["teacher"]
    with django_capture_on_commit_callbacks(execute=True):
        message = actions.send_message(
            teacher,
            subject="Sortie au musée",
            body="<p>Bonjour, la sortie aura lieu jeudi.</p>",
            lists=[_class_parents(world)],
        )
    copies = {d.person: d for d in Delivery.objects.filter(message=message, box=Delivery.Box.INBOX)}
    assert set(copies) == {world["parent"], world["elected_parent"]}
    assert all(copy.hidden and copy.is_family and copy.via_list == _class_parents(world) for copy in copies.values())
    assert Delivery.objects.get(message=message, person=teacher).box == Delivery.Box.SENT
    assert message.recipients_label == "Parents de CE1 A"
    assert message.school == world.school
    assert message.lists[0]["count"] == 2 and message.lists[0]["hidden"]

    notice = captured["notice"][0]["notice"]
    assert notice.kind == "messaging.message"
    assert set(notice.recipient_ids) == {world["parent"].pk, world["elected_parent"].pk}
    assert notice.title == "Nouveau message de Julien ABADIE : Sortie au musée"
    assert notice.url == f"/messagerie/conversation/{message.conversation_id}/#message-{message.pk}"
    assert set(notice.pupil_ids) == {world["pupil"].pk, world["classmate"].pk}
    assert notice.group_key == f"conversation:{message.conversation_id}"
    assert notice.body == "Bonjour, la sortie aura lieu jeudi."
    assert notice.school_id == world.school.pk and notice.actor_id == teacher.pk and not notice.urgent
    assert captured["messaging.sent"][0]["recipient_count"] == 2
    entry = AuditEntry.objects.get(action="messaging.sent")
    assert entry.actor == teacher and entry.details["lists"] == [_class_parents(world)]


def test_a_forbidden_recipient_is_refused_in_french_and_nothing_is_sent(world):
    with pytest.raises(NotAllowed, match="règles de communication"):
        actions.send_message(world["parent"], subject="Bonjour", body="Coucou", people=[world["other_parent"].pk])
    assert not Message.objects.exists()


def test_a_forged_list_is_refused(world):
    other_class = f"classe-parents:{world.other_class.pk}"
    with pytest.raises(NotAllowed, match="listes"):
        actions.send_message(world["teacher"], subject="Bonjour", body="Texte", lists=[other_class])
    with pytest.raises(DomainError, match="destinataire"):
        actions.send_message(world["teacher"], subject="Bonjour", body="Texte", people=["abc"])
    assert not Message.objects.exists()


def test_a_message_needs_a_subject_a_text_and_a_recipient(world):
    teacher = world["teacher"]
    with pytest.raises(DomainError, match="objet"):
        actions.send_message(teacher, subject=" ", body="Texte", people=[world["parent"].pk])
    with pytest.raises(DomainError, match="Écrivez"):
        actions.send_message(teacher, subject="Objet", body="<p> </p>", people=[world["parent"].pk])
    with pytest.raises(DomainError, match="au moins un destinataire"):
        actions.send_message(teacher, subject="Objet", body="Texte")


def test_families_never_see_each_other_but_one_family_does(world):
    teacher, parent, other_family = world["teacher"], world["parent"], world["elected_parent"]
    two_families = actions.send_message(teacher, subject="A", body="x", people=[parent.pk, other_family.pk])
    assert all(d.hidden for d in Delivery.objects.filter(message=two_families, box=Delivery.Box.INBOX))
    father = PersonFactory()
    GuardianLink.objects.create(guardian=father, child=world["pupil"], relationship="pere")
    one_family = actions.send_message(teacher, subject="B", body="x", people=[parent.pk, father.pk])
    assert not any(d.hidden for d in Delivery.objects.filter(message=one_family, box=Delivery.Box.INBOX))
    staff = actions.send_message(teacher, subject="C", body="x", people=[world["director"].pk, parent.pk])
    assert not any(d.hidden for d in Delivery.objects.filter(message=staff, box=Delivery.Box.INBOX))


def test_anyone_may_answer_the_author_of_a_message_they_received(world):
    admin, teacher = world["academie_admin"], world["teacher"]
    first = actions.send_message(admin, subject="Enquête numérique", body="Merci de répondre.", people=[teacher.pk])
    with pytest.raises(NotAllowed):
        actions.send_message(teacher, subject="Question", body="?", people=[admin.pk])
    reply = actions.send_message(teacher, subject="Re : Enquête", body="Voici.", people=[admin.pk], reply_to=first)
    assert reply.conversation_id == first.conversation_id
    assert Delivery.objects.filter(message=reply, person=admin, box=Delivery.Box.INBOX).exists()
    # Not a message one never received.
    with pytest.raises(NotAllowed):
        actions.send_message(world["parent"], subject="Re", body="x", people=[admin.pk], reply_to=first)


def test_sending_limits_stop_a_flood(world, settings):
    settings.PREAU_MESSAGING_HOURLY_LIMITS = {**settings.PREAU_MESSAGING_HOURLY_LIMITS, "family": (2, 3)}
    parent, teacher, director = world["parent"], world["teacher"], world["director"]
    actions.send_message(parent, subject="1", body="x", people=[teacher.pk])
    with pytest.raises(DomainError, match="limite d'envoi"):
        actions.send_message(
            parent, subject="2", body="x", people=[teacher.pk, director.pk, world["elected_parent"].pk]
        )
    actions.send_message(parent, subject="2", body="x", people=[teacher.pk])
    with pytest.raises(DomainError, match="limite d'envoi"):
        actions.send_message(parent, subject="3", body="x", people=[teacher.pk])
    assert Message.objects.filter(author=parent).count() == 2
    assert AuditEntry.objects.filter(action="messaging.limit_reached", actor=parent).count() == 2


def test_only_the_director_sends_urgent_messages(world, captured, django_capture_on_commit_callbacks):
    families = f"ecole-familles:{world.school.pk}"
    with pytest.raises(NotAllowed, match="direction"):
        actions.send_message(world["teacher"], subject="Urgent", body="x", people=[world["parent"].pk], urgent=True)
    with django_capture_on_commit_callbacks(execute=True):
        message = actions.send_message(
            world["director"], subject="École fermée demain", body="Neige.", lists=[families], urgent=True
        )
    assert message.urgent
    assert captured["notice"][0]["notice"].urgent
    assert AuditEntry.objects.filter(action="messaging.urgent", target_id=str(message.pk)).exists()


def test_a_suspended_person_cannot_send_and_reads_why(world):
    rule_actions.suspend_writing(world["director"], person=world["parent"], school=world.school, reason="Menaces")
    parent = PersonFactory._meta.model.objects.get(pk=world["parent"].pk)
    with pytest.raises(NotAllowed, match="Menaces"):
        actions.send_message(parent, subject="x", body="x", people=[world["teacher"].pk])
    with pytest.raises(PermissionDenied):
        actions.save_draft(parent, subject="x")


def test_a_director_suspends_only_people_of_their_school(world):
    director = world["director"]
    with pytest.raises(DomainError, match="n'appartient pas"):
        rule_actions.suspend_writing(director, person=world["other_parent"], school=world.school, reason="x")
    with pytest.raises(NotAllowed):
        rule_actions.suspend_writing(world["teacher"], person=world["parent"], school=world.school, reason="x")
    with pytest.raises(NotAllowed):
        rule_actions.suspend_writing(director, person=world["other_parent"], school=world.other_school, reason="x")
    suspension = rule_actions.suspend_writing(director, person=world["parent"], school=world.school, reason="Insultes")
    entry = AuditEntry.objects.get(action="messaging.suspended")
    assert entry.subject == world["parent"] and entry.school_id == world.school.pk
    rule_actions.lift_suspension(director, suspension)
    assert AuditEntry.objects.filter(action="messaging.suspension_lifted").exists()


def test_sending_to_a_whole_school_costs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    families = f"ecole-familles:{world.school.pk}"
    director = world["director"]
    with django_assert_max_num_queries(30):
        message = actions.send_message(director, subject="Kermesse", body="Samedi.", lists=[families])
    assert message.recipient_count == 2
