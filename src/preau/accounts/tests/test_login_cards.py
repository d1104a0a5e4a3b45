"""The class's login cards: list, print, reprint, revoke."""

import io

import pytest
from django.contrib.auth.hashers import check_password
from pypdf import PdfReader

from preau.accounts.card_actions import issue_login_card, issue_missing_login_cards, revoke_login_card
from preau.accounts.codes import picture_code_secret, token_digest
from preau.accounts.models import LoginCard
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.factories import make_school

pytestmark = pytest.mark.django_db


def cards_url(school_class) -> str:
    return f"/classes/{school_class.pk}/cartes/"


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "no-store"
    return PdfReader(io.BytesIO(response.content))


def test_teacher_sees_each_pupil_card_state_with_bounded_queries(client_for, django_assert_max_num_queries):
    for size in (3, 30):
        built = make_school(classes=1, pupils=size)
        school_class = built.classes[0]
        teacher = built.teachers[0]
        pupils = built.pupils[school_class.id]
        issue_login_card(teacher, pupils[0], school_class)
        revoked = issue_login_card(teacher, pupils[1], school_class)
        revoke_login_card(teacher, revoked.card)
        client = client_for(teacher)
        with django_assert_max_num_queries(num=10):
            response = client.get(cards_url(school_class))
        assert response.status_code == 200
        page = response.content.decode()
        assert "en service depuis le" in page and "désactivée le" in page and "aucune carte" in page
        assert pupils[-1].first_name in page


def test_print_all_makes_cards_only_for_pupils_without_one(school, client_for):
    school_class = school.classes[0]
    teacher = school.teachers[0]
    pupils = school.pupils[school_class.id]
    kept = issue_login_card(teacher, pupils[0], school_class)
    response = client_for(teacher).post(f"{cards_url(school_class)}imprimer.pdf")
    reader = pdf_of(response)
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1  # several cards per page
    assert pupils[1].first_name in text and pupils[2].first_name in text
    assert pupils[0].first_name not in text
    assert "/connexion/carte/" in text and school_class.name in text
    assert LoginCard.objects.get(pk=kept.card.pk).revoked_at is None
    assert LoginCard.objects.filter(revoked_at=None).count() == 3
    assert AuditEntry.objects.filter(action="accounts.login_card_issued").count() == 3


def test_card_pdf_carries_the_qr_code_and_the_picture_words(school):
    from preau.accounts import pdf
    from preau.accounts.pictures import PICTURES

    card = issue_login_card(school.director, school.pupils[school.classes[0].id][0], school.classes[0])
    reader = PdfReader(io.BytesIO(pdf.login_cards_pdf([card])))
    text = reader.pages[0].extract_text()
    assert card.url in text.replace("\n", "")
    for key in card.pictures:
        assert str(PICTURES[key].label) in text
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    assert content.count(" re") > 100  # the QR code's dark modules


def test_nothing_missing_says_to_use_reprint(school, client_for):
    school_class = school.classes[0]
    issue_missing_login_cards(school.director, school_class)
    response = client_for(school.director).post(f"{cards_url(school_class)}imprimer.pdf", follow=True)
    assert "Réimprimer" in response.content.decode()
    assert LoginCard.objects.count() == 3


def test_card_secrets_are_stored_hashed_only(school):
    pupil = school.pupils[school.classes[0].id][0]
    issued = issue_login_card(school.teachers[0], pupil, school.classes[0])
    card = LoginCard.objects.get(pupil=pupil)
    assert card.token_digest == token_digest(issued.token) and issued.token not in card.token_digest
    assert card.picture_code_hash.startswith("argon2")
    assert check_password(picture_code_secret(issued.pictures), card.picture_code_hash)
    assert len(set(issued.pictures)) == 3


def test_reprint_revokes_the_old_card(school, client_for):
    school_class = school.classes[0]
    pupil = school.pupils[school_class.id][0]
    old = issue_login_card(school.teachers[0], pupil, school_class)
    response = client_for(school.teachers[0]).post(f"{cards_url(school_class)}{pupil.pk}/carte.pdf")
    assert pupil.first_name in pdf_of(response).pages[0].extract_text()
    old.card.refresh_from_db()
    assert old.card.revoked_at is not None
    assert LoginCard.objects.filter(pupil=pupil, revoked_at=None).count() == 1


def test_teacher_revokes_a_card(school, client_for):
    school_class = school.classes[0]
    issued = issue_login_card(school.teachers[0], school.pupils[school_class.id][0], school_class)
    response = client_for(school.teachers[0]).post(
        f"/cartes/{issued.card.pk}/desactiver/", {"class_id": school_class.pk}
    )
    assert response.status_code == 302 and response["Location"] == cards_url(school_class)
    issued.card.refresh_from_db()
    assert issued.card.revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.login_card_revoked").count() == 1
    with pytest.raises(DomainError):
        revoke_login_card(school.teachers[0], issued.card)


def test_a_pupil_of_another_class_gets_no_card_here(school):
    first, second = school.classes
    with pytest.raises(DomainError):
        issue_login_card(school.teachers[0], school.pupils[second.id][0], first)
    assert not LoginCard.objects.exists()


@pytest.mark.parametrize("who", ["teacher_of_other_class", "other_director", "parent", "pupil"])
def test_others_are_refused_with_403_and_nothing_is_created(school, client_for, who):
    first, second = school.classes
    pupil = school.pupils[first.id][0]
    actor = {
        "teacher_of_other_class": school.teachers[1],
        "other_director": make_school(classes=0).director,
        "parent": school.parents[pupil.id][0],
        "pupil": pupil,
    }[who]
    client = client_for(actor)
    with pytest.raises(NotAllowed):
        issue_login_card(actor, pupil, first)
    assert client.get(cards_url(first)).status_code == 403
    assert client.post(f"{cards_url(first)}imprimer.pdf").status_code == 403
    assert client.post(f"{cards_url(first)}{pupil.pk}/carte.pdf").status_code == 403
    assert client.post(f"/classes/{first.pk}/tablette/").status_code == 403
    assert not LoginCard.objects.exists()
    issued = issue_login_card(school.director, pupil, first)
    response = client.post(f"/cartes/{issued.card.pk}/desactiver/", {"class_id": first.pk})
    assert response.status_code == 403
    issued.card.refresh_from_db()
    assert issued.card.revoked_at is None


def test_pages_listing_a_class_s_pupils_or_parents_are_journaled(school, client_for):
    school_class = school.classes[0]
    client_for(school.teachers[0]).get(f"/classes/{school_class.id}/cartes/")
    client_for(school.director).get(f"/classes/{school_class.id}/activation/")
    entries = AuditEntry.objects.filter(action="directory.class_viewed", target_id=str(school_class.id))
    assert sorted(entry.details["page"] for entry in entries) == ["cartes", "parents"]
    assert all(entry.school_id == school.school.id for entry in entries)
