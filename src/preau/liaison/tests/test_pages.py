"""The cahier de liaison's pages through Django's test client: content, refusals, query counts."""

import html

import pytest
from django.urls import reverse

from preau.directory.factories import make_school
from preau.directory.models import GuardianLink
from preau.liaison import actions
from preau.liaison.models import Acknowledgement, Note, NoteChild, Reply

from .conftest import enrol, make_person


def text(response) -> str:
    return html.unescape(response.content.decode())


# Measured: each bound counts the session's person, the charte (when the cache is cold),
# the person's scope (3) and the page's own queries; the same at 3 and at 121 notes.

NOTEBOOK_QUERIES = 9
SENT_QUERIES = 8
TRACKING_QUERIES = 13
NOTE_QUERIES = 12
CREATE_QUERIES = 8


@pytest.fixture
def year_of_notes(db):
    """A school whose class of 30 pupils gets `count` notes; a third signed, some answered."""

    def build(count: int):
        built = make_school(classes=2, pupils=30, parents_per_pupil=2)
        school_class, teacher = built.classes[0], built.teachers[0]
        pupils = built.pupils[school_class.id]
        notes = []
        for index in range(count):
            notes.append(
                actions.publish_note(
                    teacher,
                    target_keys=[f"classe:{school_class.pk}"],
                    title=f"Mot {index}",
                    body=f"<p>Texte du mot {index}.</p>",
                    requires_ack=index % 2 == 0,
                    allows_reply=True,
                    form_kind="oui_non" if index % 3 == 0 else "",
                    question="Mon enfant participera" if index % 3 == 0 else "",
                )
            )
        last = notes[-1]
        for rank, pupil in enumerate(pupils[:10]):
            guardian = built.parents[pupil.pk][rank % 2]
            if last.requires_ack:
                actions.sign_note(guardian, last, pupil_id=pupil.pk, answer="Oui" if last.has_form else None)
            actions.reply_to_note(guardian, last, pupil_id=pupil.pk, body="Bien reçu.")
        return built, notes

    return build


@pytest.mark.parametrize("count", [3, 121])
def test_a_parents_notebook_costs_the_same_with_3_or_121_notes(
    year_of_notes, client_for, django_assert_max_num_queries, count
):
    built, notes = year_of_notes(count)
    pupil = built.pupils[built.classes[0].id][0]
    parent = built.parents[pupil.pk][0]
    client = client_for(parent)
    client.get(reverse("liaison:note", args=[notes[0].pk]))  # one read note, among unread ones
    with django_assert_max_num_queries(NOTEBOOK_QUERIES):
        response = client.get(reverse("liaison:notebook"))
    assert response.status_code == 200
    content = text(response)
    assert content.count('class="fr-card__title"') == min(count, 20)
    # Unread first, newest first: the note already read comes last.
    if count == 3:
        assert content.index(">Mot 2</a>") < content.index(">Mot 1</a>") < content.index(">Mot 0</a>")
    else:
        assert f">Mot {count - 1}</a>" in content and ">Mot 0</a>" not in content


@pytest.mark.parametrize("count", [3, 121])
def test_the_authors_list_costs_the_same_with_3_or_121_notes(
    year_of_notes, client_for, django_assert_max_num_queries, count
):
    built, notes = year_of_notes(count)
    client = client_for(built.teachers[0])
    with django_assert_max_num_queries(SENT_QUERIES):
        response = client.get(reverse("liaison:sent"))
    assert response.status_code == 200
    content = text(response)
    assert content.count("<tr>") == 1 + min(count, 20)
    if notes[-1].requires_ack:
        assert "10 sur 30" in content


@pytest.mark.parametrize("count", [3, 121])
def test_the_signatures_page_costs_the_same_with_3_or_121_notes(
    year_of_notes, client_for, django_assert_max_num_queries, count
):
    built, notes = year_of_notes(count)
    note = notes[-1]
    client = client_for(built.teachers[0])
    with django_assert_max_num_queries(TRACKING_QUERIES):
        response = client.get(reverse("liaison:tracking", args=[note.pk]))
    assert response.status_code == 200
    content = text(response)
    assert content.count('<th scope="row">') == 30
    if note.requires_ack:
        assert "10 sur 30" in content and "Signé par" in content and "Relancer les 20 familles" in content
    assert "1 message" in content


def test_the_director_follows_the_class_too_and_a_colleague_does_not(year_of_notes, client_for):
    built, notes = year_of_notes(1)
    note = notes[0]
    assert client_for(built.director).get(reverse("liaison:tracking", args=[note.pk])).status_code == 200
    colleague = built.teachers[1]
    assert client_for(colleague).get(reverse("liaison:tracking", args=[note.pk])).status_code == 404
    other = make_school(classes=1, pupils=1)
    assert client_for(other.director).get(reverse("liaison:tracking", args=[note.pk])).status_code == 404
    assert text(client_for(other.director).get(reverse("liaison:sent"))).count("<tr>") == 2  # empty


def test_a_parent_of_two_sees_each_childs_notebook_and_signs_for_each(world, client_for, django_assert_max_num_queries):
    teacher, director = make_person("teacher", world), make_person("director", world)
    lea, (sophie, thomas) = enrol(world["class"], guardians=2, first_name="Léa")
    hugo, _ = enrol(world["other_class"], first_name="Hugo")
    GuardianLink.objects.create(guardian=sophie, child=hugo, relationship="mere")
    outing = actions.publish_note(
        teacher, target_keys=[f"classe:{world['class'].pk}"], title="Sortie au musée", body="b", requires_ack=True
    )
    rules = actions.publish_note(
        director, target_keys=[f"ecole:{world['school'].pk}"], title="Règlement", body="b", requires_ack=True
    )
    client = client_for(sophie)
    lea_page = text(client.get(reverse("liaison:notebook"), {"enfant": lea.pk}))
    hugo_page = text(client.get(reverse("liaison:notebook"), {"enfant": hugo.pk}))
    assert "Sortie au musée" in lea_page and "Sortie au musée" not in hugo_page
    assert "Règlement" in lea_page and "Règlement" in hugo_page
    assert "2 à signer" in lea_page  # the switcher counts each child's notes to sign

    response = client.post(reverse("liaison:sign", args=[rules.pk]), {"enfant": lea.pk}, follow=True)
    assert "votre signature est enregistrée" in text(response)
    with django_assert_max_num_queries(NOTE_QUERIES):
        hugo_note = text(client.get(reverse("liaison:note", args=[rules.pk]), {"enfant": hugo.pk}))
    assert "Signer pour Hugo" in hugo_note  # one signature per child

    client_for(thomas).post(reverse("liaison:sign", args=[outing.pk]), {"enfant": lea.pk})
    page = text(client.get(reverse("liaison:note", args=[outing.pk]), {"enfant": lea.pk}))
    assert f"Signé pour Léa par {thomas.full_name} le" in page and "Signer pour Léa" not in page
    response = client.post(reverse("liaison:sign", args=[outing.pk]), {"enfant": lea.pk}, follow=True)
    assert f"déjà signé pour Léa par {thomas.full_name}" in text(response)
    assert Acknowledgement.objects.count() == 2


def test_forged_child_ids_get_a_french_refusal_and_change_nothing(world, family, client_for):
    child, parent = family
    teacher = make_person("teacher", world)
    stranger, _ = enrol(world["class"])
    note = actions.publish_note(
        teacher, target_keys=[f"classe:{world['class'].pk}"], title="t", body="b", requires_ack=True
    )
    client = client_for(parent)
    for response in (
        client.get(reverse("liaison:notebook"), {"enfant": stranger.pk}),
        client.get(reverse("liaison:notebook"), {"enfant": "abc"}),
        client.get(reverse("liaison:note", args=[note.pk]), {"enfant": stranger.pk}),
        client.post(reverse("liaison:sign", args=[note.pk]), {"enfant": stranger.pk}),
        client.post(reverse("liaison:sign", args=[note.pk]), {"enfant": "1 OR 1=1"}),
        client.post(reverse("liaison:answer", args=[note.pk]), {"enfant": stranger.pk, "answer": "Oui"}),
        client.post(reverse("liaison:reply", args=[note.pk]), {"enfant": stranger.pk, "body": "x"}),
    ):
        assert response.status_code == 403
        assert "n'est pas le vôtre" in text(response) or "pas partie de vos enfants" in (text(response))
    assert not Acknowledgement.objects.exists() and not Reply.objects.exists()
    assert not NoteChild.objects.exclude(answer="").exists()


def test_the_pupil_reads_their_own_notebook_without_signing(world, family, client_for):
    child, parent = family
    teacher = make_person("teacher", world)
    note = actions.publish_note(
        teacher, target_keys=[f"classe:{world['class'].pk}"], title="Piscine", body="b", requires_ack=True
    )
    client = client_for(child)
    assert "Mon cahier de liaison" in text(client.get(reverse("liaison:notebook")))
    page = text(client.get(reverse("liaison:note", args=[note.pk])))
    assert "Piscine" in page and "Pas encore signé" in page and "Signer pour" not in page
    assert client.post(reverse("liaison:sign", args=[note.pk]), {"enfant": child.pk}).status_code == 403


def test_a_teacher_writes_from_the_form_and_a_forged_target_changes_nothing(
    world, family, client_for, django_assert_max_num_queries
):
    teacher = make_person("teacher", world)
    client = client_for(teacher)
    with django_assert_max_num_queries(CREATE_QUERIES):
        page = text(client.get(reverse("liaison:create")))
    assert "Classe K1" in page and "Classe K1b" not in page
    data = {
        "targets": [f"classe:{world['class'].pk}"],
        "title": "Sortie au musée",
        "body": "<p>Mardi</p>",
        "requires_ack": "on",
        "allows_reply": "on",
        "form_kind": "oui_non",
        "question": "Mon enfant participera à la sortie",
    }
    forged = client.post(reverse("liaison:create"), {**data, "targets": [f"classe:{world['other_class'].pk}"]})
    assert forged.status_code == 200 and "Sélectionnez un choix valide" in text(forged)
    assert not Note.objects.exists()
    response = client.post(reverse("liaison:create"), data)
    note = Note.objects.get()
    assert response.status_code == 302 and response.url == reverse("liaison:tracking", args=[note.pk])
    assert note.requires_ack and note.allows_reply and note.question == "Mon enfant participera à la sortie"
    tracking = text(client.get(response.url))
    assert "0 sur 1" in tracking


def test_remind_from_the_page_then_wait(world, family, client_for):
    teacher = make_person("teacher", world)
    note = actions.publish_note(
        teacher, target_keys=[f"classe:{world['class'].pk}"], title="t", body="b", requires_ack=True
    )
    client = client_for(teacher)
    response = client.post(reverse("liaison:remind", args=[note.pk]), follow=True)
    assert "Rappel envoyé aux familles de 1 enfant" in text(response)
    assert "Prochaine relance possible le" in text(response)
    response = client.post(reverse("liaison:remind", args=[note.pk]), follow=True)
    assert "déjà été relancées" in text(response)
    parent = family[1]
    assert client_for(parent).post(reverse("liaison:remind", args=[note.pk])).status_code == 404


def test_replies_on_both_sides(world, family, client_for, django_assert_max_num_queries):
    child, parent = family
    teacher = make_person("teacher", world)
    note = actions.publish_note(
        teacher, target_keys=[f"classe:{world['class'].pk}"], title="t", body="b", allows_reply=True
    )
    family_client = client_for(parent)
    family_client.post(reverse("liaison:reply", args=[note.pk]), {"enfant": child.pk, "body": "Il a ses bottes."})
    staff = client_for(teacher)
    with django_assert_max_num_queries(14):
        page = staff.get(reverse("liaison:child", args=[note.pk, child.pk]))
    assert "Il a ses bottes." in text(page) and parent.full_name in text(page)
    staff.post(reverse("liaison:child", args=[note.pk, child.pk]), {"body": "Parfait, merci."})
    family_page = text(family_client.get(reverse("liaison:note", args=[note.pk])))
    assert "Il a ses bottes." in family_page and "Parfait, merci." in family_page
    other = client_for(make_person("other_class_teacher", world))
    assert other.get(reverse("liaison:child", args=[note.pk, child.pk])).status_code == 404


def test_the_communes_notes_are_labelled_as_the_communes(world, family, client_for):
    child, parent = family
    referent = make_person("city_referent", world)
    note = actions.publish_note(
        referent,
        target_keys=[f"commune:{world['commune'].pk}"],
        title="Repas de Noël",
        body="b",
        form_kind="oui_non",
        question="Mon enfant déjeunera à la cantine",
    )
    client = client_for(parent)
    notebook = text(client.get(reverse("liaison:notebook")))
    assert "Commune de Commune 1 — périscolaire" in notebook and "fr-badge--purple-glycine" in notebook
    client.post(reverse("liaison:answer", args=[note.pk]), {"enfant": child.pk, "answer": "Oui"})
    tracking = text(client_for(referent).get(reverse("liaison:tracking", args=[note.pk])))
    assert "Oui : <strong>1</strong>" in tracking
    assert client_for(make_person("director", world)).get(reverse("liaison:tracking", args=[note.pk])).status_code == (
        404
    )


def test_the_api_gives_the_notebook_and_the_signatures(world, family, client_for):
    child, parent = family
    teacher = make_person("teacher", world)
    note = actions.publish_note(
        teacher, target_keys=[f"classe:{world['class'].pk}"], title="Sortie", body="b", requires_ack=True
    )
    actions.sign_note(parent, note, pupil_id=child.pk)
    data = client_for(parent).get(reverse("liaison:api_notebook")).json()
    assert data["enfant"]["id"] == child.pk
    assert [(n["titre"], n["signe_par"]) for n in data["mots"]] == [("Sortie", parent.full_name)]
    state = client_for(teacher).get(reverse("liaison:api_signatures", args=[note.pk])).json()
    assert (state["enfants"], state["signes"]) == (1, 1)
    assert state["suivi"][0]["signe_par"] == parent.full_name
    assert client_for(parent).get(reverse("liaison:api_signatures", args=[note.pk])).status_code == 404
    forged = client_for(parent).get(reverse("liaison:api_notebook"), {"enfant": teacher.pk})
    assert forged.status_code == 403 and "ne fait pas partie" in forged.json()["detail"]
