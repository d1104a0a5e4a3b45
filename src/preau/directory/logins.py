"""How Préau names new accounts: prenom.nom in plain ASCII, numbered when already taken."""

import unicodedata


def login_part(text: str) -> str:
    """'Jean-Albert Bessière' → 'jean-albert-bessiere'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower().replace(" ", "-") if c.isalnum() or c == "-")


def unique_username(first_name: str, last_name: str, taken: set[str]) -> str:
    """A free login for a new account; adds it to `taken` (the logins already in use)."""
    base = f"{login_part(first_name) or 'x'}.{login_part(last_name) or 'x'}"[:140]
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate
