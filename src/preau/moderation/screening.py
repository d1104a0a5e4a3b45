"""The automatic first screen: likely insults, slurs, threats and personal data in French text.

It flags, it never decides: a flagged contribution of a pupil or a parent waits in the
publication director's queue instead of going online. Each académie completes the lists
(WordList); these defaults are Préau's own starting point.
"""

import re
import unicodedata

from django.core.cache import cache
from django.utils.translation import gettext as _

from preau.core.moderation import Flag

from .models import WordList

DEFAULT_PHRASES = {
    WordList.Category.INSULT: [
        "connard", "connasse", "salope", "salaud", "pute", "putain", "enculé", "enfoiré", "bâtard", "abruti",
        "crétin", "débile", "imbécile", "bouffon", "boloss", "merde", "merdeux", "ta gueule", "nique", "niquer",
        "ntm", "fils de pute", "va te faire foutre", "trou du cul", "cassos", "gogol", "mongol",
    ],
    WordList.Category.SLUR: [
        "pédé", "pd", "tapette", "tarlouze", "gouine", "négro", "bougnoule", "youpin", "bicot", "sale arabe",
        "sale noir", "sale noire", "sale juif", "sale blanc", "sale race",
    ],
    WordList.Category.THREAT: [
        "je vais te tuer", "je vais te frapper", "je vais te défoncer", "on va te tuer", "on va te frapper",
        "tu vas mourir", "suicide toi", "tue toi", "je sais où tu habites",
    ],
}  # fmt: skip
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s", "5": "s", "7": "t", "€": "e"})
PHONE = re.compile(r"(?<!\d)(?:(?:\+|00)33[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ADDRESS = re.compile(
    r"\b\d{1,4}\s?(?:bis|ter)?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|impasse|allée|allee|place|route|quai"
    r"|cours|lotissement|résidence|residence)\s+\w+",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """Lower case, no accents, leetspeak undone, repeated letters once: "CoNNNaRD" → "conard"."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(LEET)
    text = re.sub(r"(\w)\1+", r"\1", text)
    return " ".join(re.findall(r"\w+", text))


def _phrases(academie_id: int | None) -> dict[str, list[str]]:
    key = f"moderation:words:{academie_id}"
    found = cache.get(key)
    if found is not None:
        return found
    found = {category: list(phrases) for category, phrases in DEFAULT_PHRASES.items()}
    if academie_id is not None:
        for word_list in WordList.objects.filter(academie_id=academie_id):
            found.setdefault(word_list.category, []).extend(
                line.strip() for line in word_list.words.splitlines() if line.strip()
            )
    found = {category: sorted({normalise(p) for p in phrases if normalise(p)}) for category, phrases in found.items()}
    cache.set(key, found, 300)
    return found


def forget_lists(academie_id: int) -> None:
    cache.delete(f"moderation:words:{academie_id}")


def screen(text: str, academie_id: int | None) -> list[Flag]:
    flags: list[Flag] = []
    if not text:
        return flags
    labels = dict(WordList.Category.choices)
    padded = f" {normalise(text)} "
    for category, phrases in _phrases(academie_id).items():
        for phrase in phrases:
            if f" {phrase} " in padded:
                flags.append(Flag(str(labels.get(category, category)), phrase))
    for pattern, label in (
        (PHONE, _("donnée personnelle : numéro de téléphone")),
        (EMAIL, _("donnée personnelle : adresse électronique")),
        (ADDRESS, _("donnée personnelle : adresse postale")),
    ):
        for match in pattern.finditer(text):
            flags.append(Flag(label, match.group(0)))
    return flags
