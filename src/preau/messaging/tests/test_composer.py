"""The composer: recipients offered by the rules, sending, drafts, replies, forwards, files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from preau.core.models import AuditEntry
from preau.messaging import actions, rule_actions
from preau.messaging.models import Attachment, Delivery, Message

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_a_parent_is_offered_only_allowed_people_and_sees_the_teachers_hours(
    world, client_for, django_assert_max_num_queries
):
    import datetime

    rule_actions.set_answering_hours(
        world["teacher"], days="12345", start=datetime.time(8), end=datetime.time(18), note=""
    )
    client = client_for(world["parent"])
    with django_assert_max_num_queries(16):
        response = client.get("/messagerie/ecrire/", {"a": world["teacher"].pk})
    assert response.status_code == 200
    offered = {entry["person"] for entry in response.context["candidates"]}
    assert world["teacher"] in offered and world["director"] in offered
    assert world["other_parent"] not in offered and world["classmate"] not in offered
    page = response.content.decode()
    assert "Je réponds du lundi au vendredi, 8 h – 18 h." in page
    assert response.context["hours_shown"]


def test_a_teacher_finds_recipients_by_search_without_javascript(world, client_for):
    client = client_for(world["teacher"])
    response = client.post("/messagerie/ecrire/", {"intent": "search", "chercher": "Fourc", "subject": "Bonjour"})
    assert response.status_code == 200
    assert {entry["person"] for entry in response.context["candidates"]} == {world["parent"], world["pupil"]}
    assert response.context["form"]["subject"].value() == "Bonjour"
    found = client.get("/messagerie/ecrire/destinataires/", {"q": "fourcade"}).json()["personnes"]
    assert {item["nom"] for item in found} == {"Léa FOURCADE", "Sophie FOURCADE"}
    other_family = {"q": world["other_parent"].last_name}
    assert client_for(world["parent"]).get("/messagerie/ecrire/destinataires/", other_family).json() == {
        "personnes": []
    }


def test_sending_from_the_composer_goes_to_the_conversation(world, client_for):
    client = client_for(world["teacher"])
    response = client.post(
        "/messagerie/ecrire/",
        {
            "intent": "send",
            "subject": "Sortie",
            "body": "<p>Jeudi <script>alert(1)</script></p>",
            "lists": [f"classe-parents:{world.school_class.pk}"],
        },
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/messagerie/conversation/{message.conversation_id}/#message-{message.pk}"
    assert "<script>" not in message.body and "Jeudi" in message.body
    assert message.recipient_count == 2


def test_the_composer_refuses_a_forged_recipient_in_french(world, client_for):
    response = client_for(world["parent"]).post(
        "/messagerie/ecrire/",
        {"intent": "send", "subject": "x", "body": "x", "people": [world["other_parent"].pk]},
    )
    assert response.status_code == 400
    assert "ne vous permettent pas" in response.content.decode()
    assert not Message.objects.exists()


def test_the_draft_button_works_without_javascript_and_sending_uses_the_draft(world, client_for):
    client = client_for(world["parent"])
    response = client.post(
        "/messagerie/ecrire/",
        {"intent": "draft", "subject": "Absence", "body": "Léa sera absente", "people": [world["teacher"].pk]},
    )
    draft = Message.objects.get()
    assert response["Location"] == f"/messagerie/ecrire/?brouillon={draft.pk}"
    assert draft.sent_at is None and Delivery.objects.get(message=draft).box == Delivery.Box.DRAFT
    page = client.get(response["Location"])
    assert page.context["form"]["subject"].value() == "Absence"
    assert [e["person"] for e in page.context["candidates"] if e["checked"]] == [world["teacher"]]
    client.post(
        "/messagerie/ecrire/",
        {
            "intent": "send",
            "brouillon": draft.pk,
            "subject": "Absence",
            "body": "Léa sera absente",
            "people": [world["teacher"].pk],
        },
    )
    draft.refresh_from_db()
    assert draft.sent_at is not None and Message.objects.count() == 1
    assert Delivery.objects.get(message=draft, person=world["parent"]).box == Delivery.Box.SENT


def test_the_draft_saves_itself_as_one_types(world, client_for):
    client = client_for(world["parent"])
    first = client.post("/messagerie/ecrire/brouillon/", {"subject": "Cantine", "body": "Bonj"})
    draft_id = first.json()["brouillon"]
    assert "Brouillon enregistré" in first.json()["message"]
    again = client.post(
        "/messagerie/ecrire/brouillon/", {"brouillon": draft_id, "subject": "Cantine", "body": "Bonjour"}
    )
    assert again.json()["brouillon"] == draft_id
    assert Message.objects.get().body == "<p>Bonjour</p>"
    # Someone else's draft id is not theirs to overwrite.
    other = client_for(world["teacher"]).post("/messagerie/ecrire/brouillon/", {"brouillon": draft_id, "body": "x"})
    assert other.status_code == 404 and Message.objects.get().body == "<p>Bonjour</p>"


def test_reply_all_never_adds_the_families_of_a_list(world, client_for):
    teacher = world["teacher"]
    message = actions.send_message(
        teacher,
        subject="Sortie",
        body="x",
        people=[world["director"].pk],
        lists=[f"classe-parents:{world.school_class.pk}"],
    )
    response = client_for(world["parent"]).get("/messagerie/ecrire/", {"repondre-a-tous": message.pk})
    chosen = {e["person"] for e in response.context["candidates"] if e["checked"]}
    assert chosen == {teacher, world["director"]}
    assert response.context["form"]["subject"].value() == "Re : Sortie"
    assert not [entry for entry in response.context["lists"] if entry["checked"]]
    # The author's own "reply to all" keeps the list.
    own = client_for(teacher).get("/messagerie/ecrire/", {"repondre-a-tous": message.pk})
    assert [entry["item"].code for entry in own.context["lists"] if entry["checked"]] == [
        f"classe-parents:{world.school_class.pk}"
    ]


def test_attachments_are_checked_kept_and_served_to_holders_only(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    teacher, parent = world["teacher"], world["parent"]
    client = client_for(teacher)
    response = client.post(
        "/messagerie/ecrire/",
        {"intent": "send", "subject": "Photo", "body": "Voici", "people": [parent.pk], "files": [_png()]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == "photo.png" and attachment.content_type == "image/png"
    download = client_for(parent).get(f"/messagerie/piece-jointe/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client_for(world["elected_parent"]).get(f"/messagerie/piece-jointe/{attachment.pk}/").status_code == 404
    fake = SimpleUploadedFile("devoir.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    refused = client.post(
        "/messagerie/ecrire/", {"intent": "send", "subject": "x", "body": "x", "people": [parent.pk], "files": [fake]}
    )
    assert refused.status_code == 400 and "type accepté" in refused.content.decode()
    settings.PREAU_MESSAGING_QUOTA_BYTES = len(PNG) + 10
    over = client.post(
        "/messagerie/ecrire/", {"intent": "send", "subject": "x", "body": "x", "people": [parent.pk], "files": [_png()]}
    )
    assert over.status_code == 400 and "dépassent votre espace" in over.content.decode()
    settings.PREAU_MESSAGING_MAX_FILE_BYTES = 10
    big = client.post(
        "/messagerie/ecrire/", {"intent": "send", "subject": "x", "body": "x", "people": [parent.pk], "files": [_png()]}
    )
    assert big.status_code == 400 and "la limite est de" in big.content.decode()
    assert Message.objects.count() == 1


def test_a_forward_carries_the_attachments(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    teacher, director = world["teacher"], world["director"]
    original = actions.send_message(teacher, subject="Planning", body="x", people=[director.pk], files=[_png()])
    response = client_for(director).get("/messagerie/ecrire/", {"transferer": original.pk})
    assert response.context["form"]["subject"].value() == "Tr : Planning"
    client_for(director).post(
        "/messagerie/ecrire/",
        {
            "intent": "send",
            "transfert_de": original.pk,
            "subject": "Tr : Planning",
            "body": "Pour info",
            "people": [world["advisor"].pk],
        },
    )
    forwarded = Message.objects.get(forwarded_from=original)
    copy = forwarded.attachments.get()
    assert copy.is_copy and copy.file.name == original.attachments.get().file.name
    assert client_for(world["advisor"]).get(f"/messagerie/piece-jointe/{copy.pk}/").status_code == 200


def test_a_suspended_person_sees_why_in_the_composer(world, client_for):
    rule_actions.suspend_writing(
        world["director"], person=world["parent"], school=world.school, reason="Propos menaçants"
    )
    response = client_for(world["parent"]).get("/messagerie/ecrire/")
    page = response.content.decode()
    assert "Votre droit d'écrire est suspendu" in page and "Propos menaçants" in page
    assert 'id="composer"' not in page


def test_a_recipient_reports_a_message(world, client_for, captured, django_capture_on_commit_callbacks):
    message = actions.send_message(world["teacher"], subject="Hmm", body="x", people=[world["parent"].pk])
    client = client_for(world["parent"])
    assert client.get(f"/messagerie/message/{message.pk}/signaler/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/messagerie/message/{message.pk}/signaler/", {"reason": "Ton menaçant"})
    assert response.status_code == 302
    report = message.reports.get()
    assert report.reporter == world["parent"] and report.school == world.school
    assert captured["messaging.reported"] == [
        {"report_id": report.pk, "message_id": message.pk, "school_id": world.school.pk}
    ]
    assert AuditEntry.objects.filter(action="messaging.reported", target_id=str(message.pk)).exists()
    again = client.post(f"/messagerie/message/{message.pk}/signaler/", {"reason": "Encore"})
    assert "déjà signalé" in again.content.decode()
    # The author does not report their own message; nobody else reaches it.
    assert client_for(world["teacher"]).get(f"/messagerie/message/{message.pk}/signaler/").status_code == 404
    assert (
        client_for(world["director"]).post(f"/messagerie/message/{message.pk}/signaler/", {"reason": "x"}).status_code
        == 404
    )


def test_a_file_taken_off_a_draft_leaves_the_storage_unless_a_message_carries_it(
    world, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    teacher, director = world["teacher"], world["director"]
    draft = actions.save_draft(teacher, subject="Brouillon", files=[_png()])
    own = draft.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(teacher).post(f"/messagerie/piece-jointe/{own.pk}/retirer/")
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=own.pk).exists()
    assert not own.file.storage.exists(own.file.name)

    original = actions.send_message(teacher, subject="Planning", body="x", people=[director.pk], files=[_png()])
    forward = actions.save_draft(director, subject="Tr : Planning", forwarded_from=original)
    copy = forward.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(director).post(f"/messagerie/piece-jointe/{copy.pk}/retirer/")
    assert not Attachment.objects.filter(pk=copy.pk).exists()
    assert copy.file.storage.exists(copy.file.name)  # the original message still carries it


def test_the_composer_offers_the_author_one_answers_even_beyond_the_rules(world, client_for):
    admin, teacher = world["academie_admin"], world["teacher"]
    first = actions.send_message(admin, subject="Enquête numérique", body="Merci de répondre.", people=[teacher.pk])
    client = client_for(teacher)
    answer = client.get("/messagerie/ecrire/", {"repondre": first.pk})
    chosen = [entry["person"] for entry in answer.context["candidates"] if entry["checked"]]
    assert chosen == [admin]
    forged = client.get("/messagerie/ecrire/", {"a": admin.pk})
    assert admin not in [entry["person"] for entry in forged.context["candidates"] if entry["checked"]]
    sent = client.post(
        "/messagerie/ecrire/",
        {"intent": "send", "reponse_a": first.pk, "subject": "Re : Enquête", "body": "Voici.", "people": [admin.pk]},
    )
    assert sent.status_code == 302
    assert Delivery.objects.filter(message__reply_to=first, person=admin, box=Delivery.Box.INBOX).exists()
