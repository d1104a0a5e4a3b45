"""The automatic screen: what it flags in French text, and what it leaves alone."""

import pytest

from preau.directory.factories import AcademieFactory, PersonFactory
from preau.moderation import actions
from preau.moderation.screening import normalise, screen


@pytest.mark.parametrize(
    "text, category",
    [
        ("T'es vraiment un CONNARD", "insultes"),
        ("espèce de c0nnnard !", "insultes"),
        ("sale arabe", "injures"),
        ("Je vais te tuer demain à la récré", "menaces"),
        ("Appelle-moi au 06 12 34 56 78", "téléphone"),
        ("mon numéro : +33 6 12 34 56 78", "téléphone"),
        ("écris à lea.martin@example.org", "adresse électronique"),
        ("j'habite 12 rue des Lilas", "adresse postale"),
    ],
)
def test_the_screen_flags_insults_threats_and_personal_data(db, text, category):
    flags = screen(text, None)
    assert any(category in flag.category for flag in flags), flags


@pytest.mark.parametrize(
    "text",
    [
        "Nous sommes allés à la ferme : les enfants ont vu des poules et des lapins.",
        "Je suis crevé après la sortie vélo !",
        "Le concert est à 18 h 30, salle 12.",
        "Les CE1 ont compté jusqu'à 1000.",
        "Rendez-vous le 06/12 à 14 h.",
    ],
)
def test_ordinary_school_text_passes(db, text):
    assert screen(text, None) == []


def test_normalisation_undoes_the_usual_disguises():
    assert normalise("CôNNNaRD!!") == "conard"
    assert normalise("s@l0pe") == "salope"


def test_an_academie_adds_its_own_words(db):
    academie = AcademieFactory()
    admin = PersonFactory()
    from preau.directory.factories import add_role
    from preau.directory.models import Profile

    add_role(admin, Profile.ACADEMIE_ADMIN, academie)
    assert screen("quel tocard celui-là", academie.pk) == []
    actions.save_word_list(admin, academie, "insulte", "tocard\n  \nTocard\nguignol")
    assert [flag.excerpt for flag in screen("quel tocard celui-là", academie.pk)] == ["tocard"]
    assert screen("quel tocard celui-là", None) == []  # another académie's lists do not apply
