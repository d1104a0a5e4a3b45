"""`preau generate_aaf --schools N [--seed S] [--out DIR]`: write a synthetic AAF full export.

Reproducible for a given seed, realistic sizes (maternelles of 3–4 classes, élémentaires of
5–12, primaires; about 24 pupils per class; 1.6 guardians per pupil, some families with
children in two schools), split in pages of 10,000 records like the real feed. Used by the
feeder's benchmark (bench/README.md) and its round-trip test.
"""

import datetime
import random
import time
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.management.base import BaseCommand

from preau.directory.validators import UAI_LETTERS

PAGE = 10_000
FIRST_NAMES = (
    "Léa",
    "Hugo",
    "Chloé",
    "Louis",
    "Emma",
    "Gabriel",
    "Jade",
    "Raphaël",
    "Louise",
    "Arthur",
    "Alice",
    "Jules",
    "Lina",
    "Adam",
    "Rose",
    "Maël",
    "Anna",
    "Lucas",
    "Mila",
    "Noé",
    "Inès",
    "Sacha",
    "Zoé",
    "Nathan",
    "Julia",
    "Léo",
    "Ambre",
    "Tom",
    "Agathe",
    "Éthan",
    "Manon",
    "Paul",
    "Nina",
    "Timéo",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefebvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
)
LEVELS = {
    "maternelle": ("PS", "MS", "GS"),
    "elementaire": ("CP", "CE1", "CE2", "CM1", "CM2"),
    "primaire": ("PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"),
}


def uai(number: int) -> str:
    digits = f"{number:07d}"
    return digits + UAI_LETTERS[int(digits) % 23]


class PagedWriter:
    """Writes records of one family into numbered pages of PAGE records."""

    def __init__(self, folder: Path, date: str, category: str, operational: str):
        self.folder, self.date, self.category, self.operational = folder, date, category, operational
        self.page, self.count, self.stream, self.total = 0, 0, None, 0

    def add(self, identifier: str, attributes: list[tuple[str, list[str]]]) -> None:
        if self.stream is None or self.count == PAGE:
            self.close()
            name = f"ENT1D_Complet_{self.date}_{self.category}_{self.page:04d}.xml"
            self.stream = open(self.folder / name, "w", encoding="utf-8")  # noqa: SIM115 — closed in close()
            self.stream.write(
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n<ficAlimMENESR>\n'
            )
            self.page, self.count = self.page + 1, 0
        parts = [
            f'<addRequest><operationalAttributes><attr name="{self.operational}"><value>{self.category}'
            f"</value></attr></operationalAttributes><identifier><id>{identifier}</id></identifier><attributes>"
        ]
        for name, values in attributes:
            parts.append(f'<attr name="{name}">' + "".join(f"<value>{escape(v)}</value>" for v in values) + "</attr>")
        parts.append("</attributes></addRequest>\n")
        self.stream.write("".join(parts))
        self.count += 1
        self.total += 1

    def close(self) -> None:
        if self.stream is not None:
            self.stream.write("</ficAlimMENESR>\n")
            self.stream.close()
            self.stream = None


class Command(BaseCommand):
    help = "Écrit un export AAF complet synthétique (reproductible) pour les tests et les mesures."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", type=Path, default=Path("var/aaf-synthetique/toulouse"))
        parser.add_argument("--academie-code", default="16")
        parser.add_argument("--departement", default="065", help="3 chiffres du début des UAI")
        parser.add_argument("--date", default=None, help="AAAAMMJJ (par défaut : aujourd'hui)")

    def handle(self, *args, schools, seed, out, academie_code, departement, date, **options):
        started = time.perf_counter()
        rng = random.Random(seed)
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("ENT1D_*.xml"):
            old.unlink()
        date = date or datetime.date.today().strftime("%Y%m%d")
        writers = {
            "EtabEducNat": PagedWriter(out, date, "EtabEducNat", "categorieStructure"),
            "Eleve": PagedWriter(out, date, "Eleve", "categoriePersonne"),
            "PersRelEleve": PagedWriter(out, date, "PersRelEleve", "categoriePersonne"),
            "PersEducNat": PagedWriter(out, date, "PersEducNat", "categoriePersonne"),
        }
        base = int(departement) * 10_000
        pupil_no = guardian_no = staff_no = 0
        previous_family: tuple[str, list[str]] | None = None
        children_of: dict[str, list[str]] = {}
        guardian_identity: dict[str, tuple[str, str]] = {}
        for index in range(schools):
            school_id = f"S{index:05d}"
            kind = rng.choices(("maternelle", "elementaire", "primaire"), weights=(3, 4, 3))[0]
            classes = {
                "maternelle": rng.randint(3, 4),
                "elementaire": rng.randint(5, 12),
                "primaire": rng.randint(4, 10),
            }[kind]
            commune = f"COMMUNE {index // 2 if index % 40 else 'CHEF-LIEU'}"
            writers["EtabEducNat"].add(
                school_id,
                [
                    ("ENTStructureUAI", [uai(base + index)]),
                    (
                        "ENTStructureNomCourant",
                        [f"ÉCOLE {kind.upper()} {LAST_NAMES[index % len(LAST_NAMES)].upper()} {index}"],
                    ),
                    ("ENTStructureTypeStruct", [f"ECOLE {kind.upper()}"]),
                    ("ENTEtablissementContrat", ["PR" if index % 25 == 24 else "PU"]),
                    ("ENTStructureCodePostal", [f"{int(departement) % 100:02d}{index % 1000:03d}"]),
                    ("ENTStructureVille", [commune]),
                    ("ENTServAcCodeAcademie", [academie_code]),
                    ("ENTEcoleCirconscription", [f"CIRC-{index // 40:03d}"]),
                    ("ENTEcoleCommune", [commune]),
                ],
            )
            levels = LEVELS[kind]
            for class_index in range(classes):
                level = levels[class_index % len(levels)]
                class_code, label = f"{school_id}-C{class_index}", f"{level} {chr(65 + class_index // len(levels))}"
                staff_no += 1
                teacher = [
                    ("ENTPersonNom", [rng.choice(LAST_NAMES).upper()]),
                    ("ENTPersonPrenom", [rng.choice(FIRST_NAMES)]),
                    ("ENTPersonMail", [f"enseignant.{staff_no}@ac-synthetique.fr"]),
                    ("ENTPersonStructRattach", [school_id]),
                    ("ENTPersonFonctions", [f"{school_id}$ENS$ENSEIGNEMENT$$"]),
                    ("ENTPersonCategorieEnseignant", ["O"]),
                    ("ENTPersonClasses", [f"{school_id}$$${class_code}${label}"]),
                ]
                if class_index == 0:
                    teacher.append(("ENTEnsFonctionDir", [school_id]))
                writers["PersEducNat"].add(f"T{staff_no:07d}", teacher)
                for _ in range(rng.randint(20, 28)):
                    pupil_no += 1
                    pupil_id = f"E{pupil_no:08d}"
                    last = rng.choice(LAST_NAMES)
                    # One family in twenty has an elder child already enrolled (often in another school).
                    if previous_family and rng.random() < 0.05:
                        last, guardians = previous_family
                    else:
                        guardians = []
                        for _ in range(2 if rng.random() < 0.6 else 1):
                            guardian_no += 1
                            guardians.append(f"R{guardian_no:08d}")
                            guardian_identity[guardians[-1]] = (rng.choice(FIRST_NAMES), last)
                    previous_family = (last, guardians)
                    for guardian in guardians:
                        children_of.setdefault(guardian, []).append(pupil_id)
                    writers["Eleve"].add(
                        pupil_id,
                        [
                            ("ENTPersonNom", [last.upper()]),
                            ("ENTPersonPrenom", [rng.choice(FIRST_NAMES)]),
                            (
                                "ENTPersonDateNaissance",
                                [
                                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/"
                                    f"{2023 - levels.index(level) - (3 if kind != 'maternelle' else 0)}"
                                ],
                            ),
                            ("ENTPersonStructRattach", [school_id]),
                            ("ENTPersonClasses", [f"{school_id}$$${class_code}${label}"]),
                            ("ENTEleveAutoriteParentale", guardians),
                            ("ENTEleveRestaurantScolaire", ["O" if rng.random() < 0.7 else "N"]),
                            ("ENTEleveGarderieMatin", ["O" if rng.random() < 0.3 else "N"]),
                        ],
                    )
        for guardian, children in children_of.items():
            first, last = guardian_identity[guardian]
            writers["PersRelEleve"].add(
                guardian,
                [
                    ("ENTPersonNom", [last.upper()]),
                    ("ENTPersonPrenom", [first]),
                    ("ENTPersRelEleveTelMobile", [f"06{rng.randint(0, 99_999_999):08d}"]),
                    ("ENTPersRelEleveEleve", children),
                ],
            )
        for writer in writers.values():
            writer.close()
        elapsed = time.perf_counter() - started
        totals = {category: writer.total for category, writer in writers.items()}
        self.stdout.write(
            f"{out}: {totals['EtabEducNat']} écoles, {totals['Eleve']} élèves, {totals['PersRelEleve']} responsables,"
            f" {totals['PersEducNat']} personnels en {elapsed:.1f} s"
        )
