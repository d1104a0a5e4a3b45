"""The CSV import, for the people the AAF does not carry.

Commune staff, périscolaire partners, and the classes and families of a school outside the
feed (a private school, another set-up). Columns are documented in docs/import-csv.md.
People imported this way are keyed by (académie, "csv:" + identifiant), marked `source=csv`
and never touched by the AAF feed; importing the same file twice changes nothing.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from preau.directory.logins import unique_username
from preau.directory.models import (
    Commune,
    Enrolment,
    GuardianLink,
    Person,
    Profile,
    Role,
    School,
    SchoolClass,
    Source,
    Teaching,
    current_school_year,
)
from preau.directory.validators import normalize_siret, normalize_uai, validate_siret, validate_uai

from .aaf import parse_date
from .apply import BATCH, PERSON_FIELDS, Report, levels_from_label
from .validation import Issue

COLUMNS = (
    "profil",
    "identifiant",
    "nom",
    "prenom",
    "date_naissance",
    "courriel",
    "telephone",
    "uai",
    "siret",
    "classe",
    "niveaux",
    "enfants",
)
REQUIRED_COLUMNS = ("profil", "identifiant", "nom", "prenom")
SCHOOL_PROFILES = {Profile.PUPIL, Profile.TEACHER, Profile.DIRECTOR, Profile.ELECTED_PARENT}
COMMUNE_PROFILES = {Profile.CITY_REFERENT, Profile.CITY_CONTRIBUTOR, Profile.PERISCOLAIRE}
ALLOWED_PROFILES = SCHOOL_PROFILES | COMMUNE_PROFILES | {"responsable"}
KIND_OF = {Profile.PUPIL: "pupils", "responsable": "guardians"}
CATEGORY = "CSV"
MAX_BYTES = 20 * 2**20


@dataclass
class Row:
    line: int
    profile: str
    key: str
    values: dict


@dataclass
class CsvSet:
    rows: list[Row] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    name: str = ""

    def error(self, line: int | None, key: str, message: str) -> None:
        self.errors.append(Issue(self.name, line, key, message))


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 — what spreadsheets save."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_csv(name: str, data: bytes, academie) -> CsvSet:
    """Parse and validate the whole file; nothing is written."""
    result = CsvSet(name=name)
    if len(data) > MAX_BYTES:
        result.error(None, "", _("Fichier trop volumineux (au plus 20 Mo)."))
        return result
    try:
        text = decode(data)
    except UnicodeDecodeError:
        result.error(None, "", _("Encodage non reconnu : enregistrez le fichier en UTF-8 ou en Windows-1252."))
        return result
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [column.strip().lower() for column in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        result.error(
            1,
            "",
            _("Colonnes obligatoires absentes : %(columns)s. Colonnes attendues : %(all)s.")
            % {"columns": ", ".join(missing), "all": ";".join(COLUMNS)},
        )
        return result
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        result.warnings.append(
            Issue(name, 1, "", _("Colonnes ignorées : %(columns)s.") % {"columns": ", ".join(unknown)})
        )
    reader.fieldnames = header
    seen: dict[tuple[str, str], int] = {}
    for line, raw in enumerate(reader, start=2):
        values = {column: (raw.get(column) or "").strip() for column in COLUMNS}
        row = Row(line=line, profile=values["profil"].lower(), key=values["identifiant"], values=values)
        if _row_is_valid(result, row, seen):
            result.rows.append(row)
    _check_structures(result, academie)
    return result


def _row_is_valid(result: CsvSet, row: Row, seen: dict) -> bool:
    if not row.key:
        result.error(row.line, "", _("Identifiant manquant."))
        return False
    if row.profile not in ALLOWED_PROFILES:
        result.error(
            row.line,
            row.key,
            _("Profil inconnu « %(profile)s » : %(allowed)s.")
            % {"profile": row.profile, "allowed": ", ".join(sorted(ALLOWED_PROFILES))},
        )
        return False
    if (row.key, row.profile) in seen:
        result.error(
            row.line,
            row.key,
            _("Ligne en double : même identifiant et même profil qu'à la ligne %(line)d.")
            % {"line": seen[(row.key, row.profile)]},
        )
        return False
    seen[(row.key, row.profile)] = row.line
    valid = True
    for column in ("nom", "prenom"):
        if not row.values[column]:
            result.error(row.line, row.key, _("Colonne « %(column)s » vide.") % {"column": column})
            valid = False
    try:
        parse_date(row.values["date_naissance"])
    except ValueError:
        result.error(
            row.line,
            row.key,
            _("Date de naissance invalide « %(value)s » (attendu JJ/MM/AAAA).")
            % {"value": row.values["date_naissance"]},
        )
        valid = False
    needs = {"uai": SCHOOL_PROFILES, "siret": COMMUNE_PROFILES, "classe": {Profile.PUPIL}, "enfants": {"responsable"}}
    for column, profiles in needs.items():
        if row.profile in profiles and not row.values[column]:
            result.error(
                row.line,
                row.key,
                _("Colonne « %(column)s » obligatoire pour le profil %(profile)s.")
                % {"column": column, "profile": row.profile},
            )
            valid = False
    for column, validate in (("uai", validate_uai), ("siret", validate_siret)):
        if row.values[column]:
            try:
                validate(row.values[column])
            except ValidationError as error:
                result.error(row.line, row.key, error.messages[0])
                valid = False
    return valid


def _check_structures(result: CsvSet, academie) -> None:
    schools = set(School.objects.filter(circonscription__departement__academie=academie).values_list("uai", flat=True))
    communes = set(
        Commune.objects.filter(departement__academie=academie).exclude(siret="").values_list("siret", flat=True)
    )
    pupils_in_file = {row.key for row in result.rows if row.profile == Profile.PUPIL}
    pupils_known = pupils_in_file | {
        key.removeprefix("csv:")
        for key in Person.objects.filter(
            academie=academie, external_category=CATEGORY, roles__profile=Profile.PUPIL
        ).values_list("external_id", flat=True)
    }
    for row in result.rows:
        uai, siret = normalize_uai(row.values["uai"]), normalize_siret(row.values["siret"])
        if row.profile in SCHOOL_PROFILES and uai not in schools:
            result.error(
                row.line,
                row.key,
                _("École %(uai)s inconnue dans cette académie : créez-la d'abord dans la console académique.")
                % {"uai": uai},
            )
        if row.profile in COMMUNE_PROFILES and siret not in communes:
            result.error(
                row.line, row.key, _("Commune de SIRET %(siret)s inconnue dans cette académie.") % {"siret": siret}
            )
        for child in filter(None, (c.strip() for c in row.values["enfants"].split("|"))):
            if child not in pupils_known:
                result.error(
                    row.line,
                    row.key,
                    _(
                        "Enfant « %(id)s » inconnu : il doit figurer comme élève dans le"
                        " fichier ou dans un import précédent."
                    )
                    % {"id": child},
                )


def apply_csv(csv_set: CsvSet, academie) -> Report:
    """Write a validated file. Called inside the import's transaction."""
    report = Report()
    year = current_school_year()
    known = _apply_people(csv_set, academie, report)
    people = {row.key: known[row.key] for row in csv_set.rows}
    schools = dict(School.objects.filter(circonscription__departement__academie=academie).values_list("uai", "id"))
    communes = dict(Commune.objects.filter(departement__academie=academie).values_list("siret", "id"))
    classes = ClassFinder(academie, year, report)
    wanted_roles, wanted_enrolments, wanted_teachings, wanted_links = set(), set(), set(), set()
    for row in csv_set.rows:
        person_id = people[row.key]
        uai, siret = normalize_uai(row.values["uai"]), normalize_siret(row.values["siret"])
        if row.profile in SCHOOL_PROFILES:
            wanted_roles.add((person_id, row.profile, schools[uai], None))
        if row.profile == Profile.DIRECTOR:
            wanted_roles.add((person_id, Profile.TEACHER, schools[uai], None))
        if row.profile in COMMUNE_PROFILES:
            wanted_roles.add((person_id, row.profile, None, communes[siret]))
        if row.values["classe"] and row.profile in (Profile.PUPIL, Profile.TEACHER, Profile.DIRECTOR):
            class_id = classes.id_of(schools[uai], row.values["classe"], row.values["niveaux"])
            (wanted_enrolments if row.profile == Profile.PUPIL else wanted_teachings).add((person_id, class_id))
        for child in filter(None, (c.strip() for c in row.values["enfants"].split("|"))):
            wanted_links.add((person_id, known[child]))
    covered = set(people.values())
    _sync(
        Role,
        {
            (r.person_id, r.profile, r.school_id, r.commune_id): r.pk
            for r in Role.objects.filter(person__academie=academie, source=Source.CSV)
            if r.person_id in covered
        },
        wanted_roles,
        lambda p, profile, s, c: Role(person_id=p, profile=profile, school_id=s, commune_id=c, source=Source.CSV),
    )
    for model, field_name, wanted in (
        (Enrolment, "pupil_id", wanted_enrolments),
        (Teaching, "teacher_id", wanted_teachings),
    ):
        existing = {
            (getattr(row, field_name), row.school_class_id): row.pk
            for row in model.objects.filter(
                school_class__year=year,
                school_class__school__circonscription__departement__academie=academie,
                source=Source.CSV,
            )
            if getattr(row, field_name) in covered
        }
        _sync(
            model,
            existing,
            wanted,
            lambda p, c, m=model, f=field_name: m(**{f: p, "school_class_id": c, "source": Source.CSV}),
        )
    existing_links = {
        (link.guardian_id, link.child_id): link.pk
        for link in GuardianLink.objects.filter(guardian__academie=academie, source=Source.CSV)
        if link.guardian_id in covered
    }
    added, removed = _sync(
        GuardianLink,
        existing_links,
        wanted_links,
        lambda g, c: GuardianLink(
            guardian_id=g, child_id=c, relationship=GuardianLink.Relationship.OTHER, source=Source.CSV
        ),
    )
    report.links = {"added": added, "removed": removed}
    return report


def _apply_people(csv_set: CsvSet, academie, report: Report) -> dict[str, int]:
    """Create or update the file's people in bulk; returns the ids of the académie's CSV people by identifiant."""
    existing = {p.external_id: p for p in Person.objects.filter(academie=academie, external_category=CATEGORY)}
    usernames = None
    rows_by_key: dict[str, list[Row]] = defaultdict(list)
    for row in csv_set.rows:
        rows_by_key[row.key].append(row)
    to_create, to_update = [], []
    for key, rows in rows_by_key.items():
        values = rows[0].values
        kind = next((KIND_OF[r.profile] for r in rows if r.profile in KIND_OF), "staff")
        wanted = {
            "first_name": values["prenom"][:150],
            "last_name": values["nom"][:150],
            "birth_date": parse_date(values["date_naissance"]),
            "phone": values["telephone"][:30],
        }
        person = existing.get(f"csv:{key}")
        if person is None:
            usernames = usernames if usernames is not None else set(Person.objects.values_list("username", flat=True))
            person = Person(
                username=unique_username(wanted["first_name"], wanted["last_name"], usernames),
                password=UNUSABLE_PASSWORD_PREFIX + get_random_string(40),
                academie=academie,
                external_id=f"csv:{key}",
                external_category=CATEGORY,
                source=Source.CSV,
                email=values["courriel"][:254],
                **wanted,
            )
            to_create.append(person)
            report.note("created", kind, key, person.full_name)
            continue
        if not person.email and values["courriel"]:
            wanted["email"] = values["courriel"][:254]
        changed = [name for name, value in wanted.items() if getattr(person, name) != value]
        reattach = not person.is_active and person.detached_at is not None
        if changed:
            report.note("updated", kind, key, person.full_name, changed)
        if reattach:
            report.note("reattached", kind, key, person.full_name)
            person.is_active, person.detached_at = True, None
        if changed or reattach:
            for name, value in wanted.items():
                setattr(person, name, value)
            to_update.append(person)
    Person.objects.bulk_create(to_create, batch_size=BATCH)
    Person.objects.bulk_update(to_update, [*PERSON_FIELDS, "is_active", "detached_at"], batch_size=BATCH)
    # Everyone the CSV imports ever made in this académie: the file's people and earlier children.
    return {
        external_id.removeprefix("csv:"): pk
        for external_id, pk in Person.objects.filter(academie=academie, external_category=CATEGORY).values_list(
            "external_id", "id"
        )
    }


class ClassFinder:
    """The classes of the year by (school, name), loaded once; a missing one is created."""

    def __init__(self, academie, year: int, report: Report):
        self.year, self.report = year, report
        self.ids = {
            (school_id, name): pk
            for pk, school_id, name in SchoolClass.objects.filter(
                year=year, school__circonscription__departement__academie=academie
            ).values_list("id", "school_id", "name")
        }

    def id_of(self, school_id: int, name: str, levels: str) -> int:
        key = (school_id, name[:80])
        if key not in self.ids:
            levels = " ".join(levels.replace(",", " ").split()) or levels_from_label(name)
            self.ids[key] = SchoolClass.objects.create(
                school_id=school_id, year=self.year, name=key[1], levels=levels
            ).pk
            self.report.note("created", "classes", name, name)
        return self.ids[key]


def _sync(model, existing: dict, wanted: set, build) -> tuple[int, int]:
    stale = [pk for key, pk in existing.items() if key not in wanted]
    for start in range(0, len(stale), BATCH):
        model.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    new = [build(*key) for key in wanted if key not in existing]
    model.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    return len(new), len(stale)
