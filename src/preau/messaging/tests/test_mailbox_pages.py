"""The folders, the conversation page and the JSON API: content, scope and a constant cost."""

import datetime

import pytest
from django.utils import timezone

from preau.messaging import actions
from preau.messaging.models import Conversation, Delivery, Message

pytestmark = pytest.mark.django_db

INBOX_QUERIES = 10
CONVERSATION_QUERIES = 13


def _class_parents(world) -> str:
    return f"classe-parents:{world.school_class.pk}"


def _fill_mailbox(owner, author, size: int) -> None:
    """`size` received messages in `owner`'s inbox, written with bulk_create (no action)."""
    now = timezone.now() - datetime.timedelta(days=2)
    conversations = Conversation.objects.bulk_create(
        Conversation(subject=f"Message {n}", started_by=author) for n in range(size)
    )
    messages = Message.objects.bulk_create(
        Message(
            conversation=conversation,
            author=author,
            subject=conversation.subject,
            body=f"<p>Texte {n}</p>",
            body_text=f"Texte {n}",
            search_document=f"{conversation.subject} Texte {n}",
            sent_at=now,
            recipient_count=1,
        )
        for n, conversation in enumerate(conversations)
    )
    Delivery.objects.bulk_create(
        (Delivery(message=m, person=owner, box=Delivery.Box.INBOX, sort_at=now) for m in messages), batch_size=2000
    )


@pytest.mark.parametrize("size", [10, 10_000])
def test_the_inbox_and_a_conversation_cost_the_same_at_10_and_10000_messages(
    world, client_for, django_assert_max_num_queries, size
):
    parent, teacher = world["parent"], world["teacher"]
    _fill_mailbox(parent, teacher, size)
    message = actions.send_message(teacher, subject="Sortie au musée", body="Jeudi.", lists=[_class_parents(world)])
    actions.send_message(parent, subject="Re : Sortie", body="Merci !", people=[teacher.pk], reply_to=message)
    client = client_for(parent)
    with django_assert_max_num_queries(INBOX_QUERIES):
        response = client.get("/messagerie/")
    assert response.status_code == 200
    assert "Sortie au musée" in response.content.decode()
    assert response.context["unread"] == size + 1
    with django_assert_max_num_queries(CONVERSATION_QUERIES):
        response = client.get(f"/messagerie/conversation/{message.conversation_id}/")
    assert response.status_code == 200
    assert [item["message"].subject for item in response.context["items"]] == ["Sortie au musée", "Re : Sortie"]
    with django_assert_max_num_queries(INBOX_QUERIES):
        response = client.get("/messagerie/api/boite/")
    assert response.json()["compteurs"]["recus"] == size + 1
    with django_assert_max_num_queries(CONVERSATION_QUERIES):
        response = client.get(f"/messagerie/api/conversations/{message.conversation_id}/")
    assert len(response.json()["messages"]) == 2


def test_the_inbox_marks_unread_messages_and_counts_each_folder(world, client_for):
    parent, teacher = world["parent"], world["teacher"]
    read = actions.send_message(teacher, subject="Lu", body="x", people=[parent.pk])
    actions.send_message(teacher, subject="Pas lu", body="x", people=[parent.pk])
    actions.mark_conversation_read(parent, read.conversation)
    actions.send_message(parent, subject="Ma question", body="x", people=[teacher.pk])
    actions.save_draft(parent, subject="Brouillon")
    page = client_for(parent).get("/messagerie/").content.decode()
    assert page.count("Non lu") == 1  # the row's badge
    assert "1 non lu" in page  # the folder menu
    assert "Pas lu" in page and "Lu" in page and "Ma question" not in page
    response = client_for(parent).get("/messagerie/dossier/envoyes/")
    assert "Ma question" in response.content.decode()
    counts = {item["slug"]: item["count"] for item in response.context["folders"]}
    assert counts == {"recus": 2, "envoyes": 1, "brouillons": 1, "archives": 0, "corbeille": 0}


def test_a_conversation_shows_receipts_to_its_author_only(world, client_for):
    teacher, parent = world["teacher"], world["parent"]
    message = actions.send_message(teacher, subject="Photos", body="Voir le blog.", lists=[_class_parents(world)])
    url = f"/messagerie/conversation/{message.conversation_id}/"
    client_for(parent).get(url)
    page = client_for(teacher).get(url).content.decode()
    assert "Lu par 1 parent sur 2" in page
    assert "Lu par" not in client_for(parent).get(url).content.decode()
    receipts = client_for(teacher).get(f"/messagerie/message/{message.pk}/lectures/")
    assert receipts.status_code == 200 and "Sophie FOURCADE" in receipts.content.decode()
    assert client_for(parent).get(f"/messagerie/message/{message.pk}/lectures/").status_code == 404


def test_families_of_a_list_do_not_see_each_other(world, client_for):
    teacher = world["teacher"]
    message = actions.send_message(teacher, subject="Réunion", body="Mardi.", lists=[_class_parents(world)])
    page = client_for(world["parent"]).get(f"/messagerie/conversation/{message.conversation_id}/").content.decode()
    assert "Parents de CE1 A" in page
    assert "BAYLAC" not in page  # the other family


def test_external_links_are_flagged_to_readers(world, client_for):
    body = '<p>Inscription : <a href="https://example.org/form">ici</a> ou <a href="/blog/">le blog</a></p>'
    message = actions.send_message(world["teacher"], subject="Liens", body=body, people=[world["parent"].pk])
    response = client_for(world["parent"]).get(f"/messagerie/conversation/{message.conversation_id}/")
    assert response.context["items"][0]["external_links"] == ["https://example.org/form"]
    assert "sites extérieurs à Préau" in response.content.decode()


def test_nobody_opens_a_conversation_they_do_not_hold(world, client_for):
    message = actions.send_message(world["teacher"], subject="Privé", body="x", people=[world["parent"].pk])
    for name in ("elected_parent", "director", "other_parent"):
        assert client_for(world[name]).get(f"/messagerie/conversation/{message.conversation_id}/").status_code == 404
        assert (
            client_for(world[name]).get(f"/messagerie/api/conversations/{message.conversation_id}/").status_code == 404
        )


def test_trash_restore_and_empty_touch_one_copy_only(world, client_for):
    teacher, parent = world["teacher"], world["parent"]
    message = actions.send_message(teacher, subject="Cantine", body="Menu.", lists=[_class_parents(world)])
    client = client_for(parent)
    client.post(f"/messagerie/message/{message.pk}/classer/", {"operation": "supprimer"})
    assert Delivery.objects.get(message=message, person=parent).state == Delivery.State.TRASHED
    assert "Cantine" in client.get("/messagerie/dossier/corbeille/").content.decode()
    client.post(f"/messagerie/message/{message.pk}/classer/", {"operation": "restaurer"})
    assert Delivery.objects.get(message=message, person=parent).state == Delivery.State.ACTIVE
    client.post(f"/messagerie/message/{message.pk}/classer/", {"operation": "archiver"})
    assert "Cantine" in client.get("/messagerie/dossier/archives/").content.decode()
    client.post(f"/messagerie/message/{message.pk}/classer/", {"operation": "supprimer"})
    client.post("/messagerie/corbeille/vider/")
    assert Delivery.objects.get(message=message, person=parent).state == Delivery.State.PURGED
    assert client.get(f"/messagerie/conversation/{message.conversation_id}/").status_code == 404
    # The message stays with its author, for the others and for the retention period.
    assert Message.objects.filter(pk=message.pk, author=teacher).exists()
    assert (
        client_for(world["elected_parent"]).get(f"/messagerie/conversation/{message.conversation_id}/").status_code
        == 200
    )
    # A forged id changes nothing.
    other = actions.send_message(teacher, subject="Autre", body="x", people=[world["elected_parent"].pk])
    assert client.post(f"/messagerie/message/{other.pk}/classer/", {"operation": "supprimer"}).status_code == 404


def test_mark_unread_brings_the_marker_back(world, client_for):
    message = actions.send_message(world["teacher"], subject="Note", body="x", people=[world["parent"].pk])
    client = client_for(world["parent"])
    client.get(f"/messagerie/conversation/{message.conversation_id}/")
    assert Delivery.objects.get(message=message, person=world["parent"]).read_at is not None
    client.post(f"/messagerie/message/{message.pk}/classer/", {"operation": "non-lu"})
    assert Delivery.objects.get(message=message, person=world["parent"]).read_at is None


def test_search_finds_subject_text_and_sender_in_ones_own_mail_only(world, client_for, django_assert_max_num_queries):
    teacher, parent = world["teacher"], world["parent"]
    actions.send_message(teacher, subject="Piscine", body="Apportez un bonnet.", people=[parent.pk])
    actions.send_message(teacher, subject="Théâtre", body="Spectacle vendredi.", people=[world["elected_parent"].pk])
    client = client_for(parent)
    for text in ("piscine", "bonnet", "Abadie", "bonnet piscine"):
        with django_assert_max_num_queries(12):
            response = client.get("/messagerie/recherche/", {"q": text})
        assert [d.message.subject for d in response.context["page"]] == ["Piscine"], text
    assert list(client.get("/messagerie/recherche/", {"q": "spectacle"}).context["page"]) == []


def test_api_lists_a_folder_and_refuses_unknown_ones(world, client_for):
    actions.send_message(world["teacher"], subject="Devoirs", body="x", people=[world["parent"].pk])
    data = client_for(world["parent"]).get("/messagerie/api/boite/").json()
    assert data["messages"][0]["objet"] == "Devoirs" and data["messages"][0]["lu"] is False
    assert data["messages"][0]["auteur"]["nom"] == "Julien ABADIE"
    assert client_for(world["parent"]).get("/messagerie/api/boite/", {"dossier": "x"}).status_code == 400
