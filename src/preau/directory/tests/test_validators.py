import pytest
from django.core.exceptions import ValidationError

from preau.directory.validators import uai_check_letter, validate_siret, validate_uai

SEED_UAIS = [
    "0651067G",
    "0650768G",
    "0651068H",
    "0651069J",  # Lannemezan
    "0660713S",  # Le Boulou
    "0110422Z",  # Mouthoumet
    "0120612A",
    "0120611Z",
    "0120595G",
    "0121221M",
    "0121250U",
    "0121325A",
    "0121302A",
    "0121236D",
    "0120601N",
    "0121071Z",  # Rodez
    "0061594A",  # Beaulieu-sur-Mer
]


@pytest.mark.parametrize("uai", SEED_UAIS)
def test_the_seeds_uai_codes_are_valid(uai):
    validate_uai(uai)


def test_lowercase_uai_is_accepted():
    validate_uai("0651067g")


def test_uai_with_wrong_check_letter_says_which_letter_was_expected():
    with pytest.raises(ValidationError) as error:
        validate_uai("0651067H")
    assert error.value.code == "uai_check_letter"
    assert "devrait être « G »" in error.value.messages[0]


@pytest.mark.parametrize("bad", ["", "065106G", "06510677G", "ABCDEFGH", "0651067 "])
def test_uai_of_the_wrong_shape_is_refused(bad):
    with pytest.raises(ValidationError) as error:
        validate_uai(bad)
    assert error.value.code == "uai_shape"
    assert "7 chiffres" in error.value.messages[0]


def test_check_letter_skips_i_o_and_q():
    letters = {uai_check_letter(f"{n:07d}") for n in range(23)}
    assert letters.isdisjoint({"I", "O", "Q"})
    assert len(letters) == 23


@pytest.mark.parametrize("siret", ["21650258300018", "21660024700011", "21120202300019", "216 502 583 00018"])
def test_the_seeds_siret_numbers_are_valid(siret):
    validate_siret(siret)


def test_siret_with_a_wrong_digit_fails_the_luhn_key():
    with pytest.raises(ValidationError) as error:
        validate_siret("21650258300019")
    assert error.value.code == "siret_luhn"
    assert "Luhn" in error.value.messages[0]


@pytest.mark.parametrize("bad", ["", "2165025830001", "2165025830001A"])
def test_siret_of_the_wrong_shape_is_refused(bad):
    with pytest.raises(ValidationError) as error:
        validate_siret(bad)
    assert error.value.code == "siret_shape"
