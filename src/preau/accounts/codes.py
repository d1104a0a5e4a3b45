"""Secrets printed on paper: activation codes, card tokens, picture codes, provisional passwords.

Only their hashes are stored. Activation codes and picture codes are short, so they are
hashed with argon2 like passwords; card tokens carry 256 bits and need only SHA-256.
"""

import hashlib
import secrets

from .pictures import PICTURES

# No 0/O, 1/I/L, 5/S or 2/Z: a parent copies the code from paper without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 12

# Short words a child reads and types, for provisional passwords.
_WORDS = (
    "arbre",
    "avion",
    "balle",
    "bateau",
    "biscuit",
    "bougie",
    "cahier",
    "canard",
    "carotte",
    "castor",
    "cerise",
    "chapeau",
    "citron",
    "colline",
    "crayon",
    "dauphin",
    "domino",
    "fleur",
    "fromage",
    "girafe",
    "gomme",
    "hibou",
    "jardin",
    "lapin",
    "lune",
    "maison",
    "melon",
    "mouton",
    "nuage",
    "orange",
    "panda",
    "papillon",
    "pirate",
    "poire",
    "pomme",
    "radis",
    "renard",
    "robot",
    "salade",
    "sapin",
    "soleil",
    "tambour",
    "tigre",
    "tortue",
    "train",
    "tulipe",
    "vague",
    "violon",
    "zebre",
)


def new_activation_code() -> str:
    """Twelve characters grouped by four: "K7QM-3XPA-R9TD"."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_activation_code(typed: str) -> str:
    """What the parent typed, as it was hashed: upper case, spaces and dashes ignored."""
    raw = "".join(ch for ch in typed.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def new_card_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_picture_code() -> tuple[str, ...]:
    """Three different pictures out of the nine, in order."""
    return tuple(secrets.SystemRandom().sample(list(PICTURES), 3))


def picture_code_secret(pictures: tuple[str, ...] | list[str]) -> str:
    """The string that is hashed for a picture code."""
    return "-".join(pictures)


def new_provisional_password() -> str:
    """Easy to read aloud and copy for a child: "lapin-sapin-47"."""
    first, second = (secrets.choice(_WORDS) for _ in range(2))
    return f"{first}-{second}-{secrets.randbelow(90) + 10}"
