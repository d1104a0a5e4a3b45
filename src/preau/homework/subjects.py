"""The subjects (disciplines) of French primary school, as the programmes name them.

`SUBJECTS` is the whole list, in display order; `subjects_for_levels` narrows it to the
cycles of a class (cycle 1: the five domains of maternelle; cycle 2: CP–CE2; cycle 3:
CM1–CM2). The journal app imports `SUBJECTS` and `subject_label` (a public API: keep the names).
"""

from django.utils.translation import gettext_lazy as _

SUBJECTS: list[tuple[str, str]] = [
    ("francais", _("Français")),
    ("mathematiques", _("Mathématiques")),
    ("questionner_le_monde", _("Questionner le monde")),
    ("sciences", _("Sciences et technologie")),
    ("histoire_geographie", _("Histoire-géographie")),
    ("emc", _("Enseignement moral et civique (EMC)")),
    ("langues_vivantes", _("Langues vivantes")),
    ("arts_plastiques", _("Arts plastiques")),
    ("education_musicale", _("Éducation musicale")),
    ("eps", _("Éducation physique et sportive (EPS)")),
    # Cycle 1 (maternelle): the five learning domains.
    ("langage", _("Mobiliser le langage dans toutes ses dimensions")),
    ("activite_physique", _("Agir, s'exprimer, comprendre à travers l'activité physique")),
    ("activites_artistiques", _("Agir, s'exprimer, comprendre à travers les activités artistiques")),
    ("premiers_outils_maths", _("Acquérir les premiers outils mathématiques")),
    ("explorer_le_monde", _("Explorer le monde")),
    ("vie_de_classe", _("Vie de classe")),
    ("autre", _("Autre")),
]

_LABELS = dict(SUBJECTS)

CYCLE_OF_LEVEL = {"TPS": 1, "PS": 1, "MS": 1, "GS": 1, "CP": 2, "CE1": 2, "CE2": 2, "CM1": 3, "CM2": 3}

_CYCLE_SUBJECTS = {
    1: ["langage", "activite_physique", "activites_artistiques", "premiers_outils_maths", "explorer_le_monde"],
    2: [
        "francais",
        "mathematiques",
        "questionner_le_monde",
        "emc",
        "langues_vivantes",
        "arts_plastiques",
        "education_musicale",
        "eps",
    ],
    3: [
        "francais",
        "mathematiques",
        "sciences",
        "histoire_geographie",
        "emc",
        "langues_vivantes",
        "arts_plastiques",
        "education_musicale",
        "eps",
    ],
}
_ALWAYS = ["vie_de_classe", "autre"]


def subject_label(code: str) -> str:
    """The French label of a subject code; the code itself when it is unknown."""
    return str(_LABELS.get(code, code))


def is_subject(code: str) -> bool:
    return code in _LABELS


def cycles_of(levels: str) -> set[int]:
    """The cycles of a class's space-separated levels ("CE2 CM1" → {2, 3})."""
    return {CYCLE_OF_LEVEL[level] for level in levels.split() if level in CYCLE_OF_LEVEL}


def subjects_for_levels(levels: str) -> list[tuple[str, str]]:
    """The subjects taught in the cycles of `levels`, in the order of `SUBJECTS`.

    A class whose levels are unknown gets every subject.
    """
    cycles = cycles_of(levels)
    if not cycles:
        return list(SUBJECTS)
    wanted = {code for cycle in cycles for code in _CYCLE_SUBJECTS[cycle]} | set(_ALWAYS)
    return [(code, label) for code, label in SUBJECTS if code in wanted]
