"""Identifiers of the national registries: UAI (schools) and SIRET (communes)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # 23 letters: no I, O nor Q
_UAI_SHAPE = re.compile(r"^\d{7}[A-Z]$")


def uai_check_letter(digits: str) -> str:
    """The check letter of a UAI: the 7-digit number modulo 23, mapped onto UAI_LETTERS."""
    return UAI_LETTERS[int(digits) % 23]


def normalize_uai(value: str) -> str:
    return (value or "").strip().upper()


def validate_uai(value: str) -> None:
    uai = normalize_uai(value)
    if not _UAI_SHAPE.match(uai):
        raise ValidationError(
            _("« %(uai)s » n'est pas un code UAI : il faut 7 chiffres suivis d'une lettre (par exemple 0651067G).")
            % {"uai": value},
            code="uai_shape",
        )
    expected = uai_check_letter(uai[:7])
    if uai[7] != expected:
        raise ValidationError(
            _(
                "Le code UAI « %(uai)s » est invalide : sa lettre de contrôle devrait être"
                " « %(expected)s » et non « %(letter)s »."
            )
            % {"uai": uai, "expected": expected, "letter": uai[7]},
            code="uai_check_letter",
        )


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def normalize_siret(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def validate_siret(value: str) -> None:
    siret = normalize_siret(value)
    if not re.fullmatch(r"\d{14}", siret):
        raise ValidationError(
            _("« %(siret)s » n'est pas un numéro SIRET : il faut 14 chiffres.") % {"siret": value},
            code="siret_shape",
        )
    if not luhn_is_valid(siret):
        raise ValidationError(
            _(
                "Le numéro SIRET « %(siret)s » est invalide : sa clé de contrôle (Luhn) ne"
                " correspond pas. Vérifiez les chiffres."
            )
            % {"siret": siret},
            code="siret_luhn",
        )
