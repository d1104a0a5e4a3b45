"""Validating a whole set of AAF files before anything is applied.

`read_set()` streams every file once, keeps of each record only the attributes Préau uses,
and returns a `FileSet` with the blocking errors and the warnings. A set with errors is
never applied.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from preau.directory.models import Academie, Person, School
from preau.directory.validators import normalize_uai, validate_uai

from .aaf import (
    CATEGORIES,
    AafFile,
    AafFileError,
    Record,
    check_size,
    find_files,
    parse_bool,
    parse_compound,
    parse_date,
    read_records,
)

# The attributes of each 1D family (national-formats.md §2.3). Others raise a warning.
KNOWN_ATTRIBUTES = {
    "EtabEducNat": {
        "ENTStructureJointure", "ENTStructureUAI", "ENTStructureSIREN", "ENTStructureNomCourant",
        "ENTStructureTypeStruct", "ENTStructureCodeTypeStruct", "ENTEcoleMinistereTutelle",
        "ENTEcoleCodeMinistereTutelle", "ENTEtablissementContrat", "ENTStructureBoitePostale",
        "ENTStructureAdresse", "ENTStructureCodePostal", "ENTStructureVille", "ENTStructureTelephone",
        "ENTStructureFax", "ENTStructureEmail", "ENTStructureMailSI", "ENTServAcAcademie",
        "ENTServAcCodeAcademie", "ENTEcoleSecteur", "ENTEcoleCirconscription", "ENTEcoleCommune",
        "ENTEcoleRPI", "categorieStructure",
    },
    "Eleve": {
        "ENTPersonJointure", "ENTEleveINE", "ENTPersonNom", "ENTPersonPrenom", "ENTPersonAutresPrenoms",
        "ENTPersonNomPatro", "ENTPersonCivilite", "ENTPersonDateNaissance", "ENTPersonMail",
        "ENTPersonStructRattach", "ENTPersonClasses", "ENTPersonGroupes", "ENTEleveAutoriteParentale",
        "ENTEleveNiveau", "ENTEleveCycle", "ENTEleveTypeClasse", "ENTEleveDateEntreeClasses",
        "ENTEleveDateSortieClasses", "ENTEleveDateEntreeStructRattach", "ENTEleveDateSortieStructRattach",
        "ENTEleveRestaurantScolaire", "ENTEleveTransport", "ENTEleveGarderieMatin", "ENTEleveGarderieSoir",
        "ENTEleveEtudesSurveillees", "categoriePersonne",
    },
    "PersRelEleve": {
        "ENTPersonJointure", "ENTPersonNom", "ENTPersonPrenom", "ENTPersonNomPatro", "ENTPersonAutresPrenoms",
        "ENTPersonCivilite", "ENTPersonDateNaissance", "ENTPersonTelPerso", "ENTPersRelEleveTelPro",
        "ENTPersRelEleveTelMobile", "ENTPersonAdresse", "ENTPersonCodePostal", "ENTPersonVille",
        "ENTPersonPays", "ENTPersonAdresseDiffusion", "ENTPersonMail", "ENTPersRelEleveEleve",
        "categoriePersonne",
    },
    "PersEducNat": {
        "ENTPersonJointure", "ENTPersonNom", "ENTPersonPrenom", "ENTPersonNomPatro", "ENTPersonAutresPrenoms",
        "ENTPersonCivilite", "ENTPersonDateNaissance", "ENTPersonMail", "ENTPersonStructRattach",
        "ENTPersonFonctions", "ENTEnsFonctionDir", "ENTPersonCategorieEnseignant", "ENTEnsSpecialites",
        "ENTPersonStructRattachDate", "ENTPersonFonctionsDate", "ENTEnsFonctionDirDate",
        "ENTPersonCategorieEnseignantDate", "ENTPersonClasses", "ENTPersonGroupes", "categoriePersonne",
    },
}
# Attributes whose values are read as dates and booleans, checked here so applying never fails.
DATE_ATTRIBUTES = {"ENTPersonDateNaissance"}
BOOL_ATTRIBUTES = {
    "ENTEleveRestaurantScolaire", "ENTEleveTransport", "ENTEleveGarderieMatin", "ENTEleveGarderieSoir",
    "ENTEleveEtudesSurveillees", "ENTPersonCategorieEnseignant",
}
REQUIRED_ON_ADD = {
    "EtabEducNat": ("ENTStructureUAI", "ENTStructureNomCourant"),
    "Eleve": ("ENTPersonNom", "ENTPersonPrenom", "ENTPersonStructRattach"),
    "PersRelEleve": ("ENTPersonNom", "ENTPersonPrenom"),
    "PersEducNat": ("ENTPersonNom", "ENTPersonPrenom", "ENTPersonStructRattach"),
}


@dataclass
class Issue:
    file: str
    line: int | None
    id: str
    message: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "id": self.id, "message": self.message}


@dataclass
class FileSet:
    academie: Academie
    files: list[AafFile] = field(default_factory=list)
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {c: {} for c in CATEGORIES})
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    file_facts: list[dict] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return any(f.kind == "Complet" for f in self.files)

    @property
    def categories(self) -> set[str]:
        return {f.category for f in self.files}

    @property
    def date(self):
        return max(f.date for f in self.files) if self.files else None

    def error(self, record_or_file, message: str, *, line: int | None = None, id: str = "") -> None:
        self.errors.append(_issue(record_or_file, message, line, id))

    def warn(self, record_or_file, message: str, *, line: int | None = None, id: str = "") -> None:
        self.warnings.append(_issue(record_or_file, message, line, id))


def _issue(source, message: str, line: int | None, id: str) -> Issue:
    if isinstance(source, Record):
        return Issue(source.file, source.line, source.id, message)
    return Issue(str(source), line, id, message)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_set(paths: list[Path], academie: Academie, progress=None) -> FileSet:
    """Read and validate every file under `paths` for `academie`."""
    found, refused = find_files(paths)
    fileset = FileSet(academie=academie)
    for name, message in refused:
        fileset.error(name, message)
    # Structures first, then pupils, guardians and staff (the AAF's own order).
    fileset.files = sorted(found, key=lambda f: (CATEGORIES.index(f.category), f.name))
    kinds = {f.kind for f in fileset.files}
    if len(kinds) > 1:
        fileset.error("", _("Le lot mélange des fichiers complets et des fichiers delta : importez-les séparément."))
    for index, aaf_file in enumerate(fileset.files):
        if progress:
            progress(index, len(fileset.files), _("Lecture de %(name)s") % {"name": aaf_file.name})
        try:
            check_size(aaf_file.path)
        except AafFileError as error:
            fileset.error(aaf_file.name, error.message)
            continue
        fileset.file_facts.append({
            "name": aaf_file.name, "sha256": sha256_of(aaf_file.path), "size": aaf_file.path.stat().st_size,
            "kind": aaf_file.kind, "category": aaf_file.category,
        })
        _read_file(fileset, aaf_file)
    _check_references(fileset)
    return fileset


def _read_file(fileset: FileSet, aaf_file: AafFile) -> None:
    unknown_reported: set[str] = set()
    try:
        for record in read_records(aaf_file):
            _check_record(fileset, aaf_file, record, unknown_reported)
    except AafFileError as error:
        fileset.error(aaf_file.name, error.message, line=error.line)


def _check_record(fileset: FileSet, aaf_file: AafFile, record: Record, unknown_reported: set[str]) -> None:
    category = aaf_file.category
    if record.category and record.category != category:
        fileset.error(record, _("Catégorie « %(found)s » dans un fichier %(expected)s.")
                      % {"found": record.category, "expected": category})
        return
    if not record.id:
        fileset.error(record, _("Enregistrement sans identifiant (identifier/id)."))
        return
    if aaf_file.kind == "Complet" and record.operation != "add":
        fileset.error(record, _("Un fichier complet ne contient que des ajouts (addRequest)."))
        return
    if record.id in fileset.records[category]:
        first = fileset.records[category][record.id]
        fileset.error(record, _("Identifiant de jointure en double : déjà présent dans %(file)s, ligne %(line)d.")
                      % {"file": first.file, "line": first.line})
        return
    known = KNOWN_ATTRIBUTES[category]
    for name in list(record.attrs):
        if name not in known:
            if name not in unknown_reported:
                unknown_reported.add(name)
                fileset.warn(record, _("Attribut inconnu « %(name)s » ignoré (signalé une fois par fichier).")
                             % {"name": name})
            del record.attrs[name]
    if record.operation == "add":
        for name in REQUIRED_ON_ADD[category]:
            if not record.first(name):
                fileset.error(record, _("Attribut obligatoire manquant : %(name)s.") % {"name": name})
    if not _values_are_valid(fileset, record):
        return
    if category == "EtabEducNat" and not _school_is_valid(fileset, record):
        return
    fileset.records[category][record.id] = record


def _values_are_valid(fileset: FileSet, record: Record) -> bool:
    valid = True
    for name in DATE_ATTRIBUTES & record.attrs.keys():
        try:
            parse_date(record.first(name))
        except ValueError:
            fileset.error(record, _("Date invalide pour %(name)s : « %(value)s » (attendu JJ/MM/AAAA).")
                          % {"name": name, "value": record.first(name)})
            valid = False
    for name in BOOL_ATTRIBUTES & record.attrs.keys():
        try:
            parse_bool(record.first(name))
        except ValueError:
            fileset.error(record, _("Valeur invalide pour %(name)s : « %(value)s » (attendu O ou N).")
                          % {"name": name, "value": record.first(name)})
            valid = False
    return valid


def _school_is_valid(fileset: FileSet, record: Record) -> bool:
    uai = record.first("ENTStructureUAI")
    if uai or record.operation == "add":
        try:
            validate_uai(uai)
        except ValidationError as error:
            fileset.error(record, error.messages[0])
            return False
        record.attrs["ENTStructureUAI"] = [normalize_uai(uai)]
    code = record.first("ENTServAcCodeAcademie")
    if code and code.lstrip("0") != fileset.academie.code.lstrip("0"):
        fileset.error(record, _("Cette école appartient à l'académie de code %(code)s, pas à %(academie)s"
                                " (code %(expected)s) : fichier d'une autre académie ?")
                      % {"code": code, "academie": fileset.academie.name, "expected": fileset.academie.code})
        return False
    return True


def _check_references(fileset: FileSet) -> None:
    """Every pupil's and staff member's school, every class's school, every family link resolves."""
    records = fileset.records
    known_schools = set(records["EtabEducNat"]) | set(
        School.objects.filter(circonscription__departement__academie=fileset.academie)
        .exclude(external_id="").values_list("external_id", flat=True)
    )
    for category in ("Eleve", "PersEducNat"):
        for record in records[category].values():
            if record.operation == "delete":
                continue
            for school_id in record.values("ENTPersonStructRattach"):
                if school_id not in known_schools:
                    fileset.error(record, _("École inconnue « %(id)s » (ENTPersonStructRattach) : ni dans les"
                                            " fichiers ni dans l'annuaire.") % {"id": school_id})
            for value in record.values("ENTPersonClasses") + record.values("ENTPersonGroupes"):
                compound = parse_compound(value)
                if compound.structure not in known_schools:
                    fileset.error(record, _("La classe ou le groupe « %(value)s » désigne une école inconnue.")
                                  % {"value": value})
                elif not compound.code:
                    fileset.error(record, _("Classe ou groupe sans code : « %(value)s ».") % {"value": value})
    known_people = defaultdict(set)
    for category in ("Eleve", "PersRelEleve"):
        known_people[category] = set(records[category])
        if not fileset.is_complete:
            known_people[category] |= set(
                Person.objects.filter(academie=fileset.academie, external_category=category)
                .values_list("external_id", flat=True)
            )
    for record in records["Eleve"].values():
        for value in record.values("ENTEleveAutoriteParentale"):
            guardian_id = value.split("$")[0]
            if guardian_id not in known_people["PersRelEleve"]:
                fileset.error(record, _("Responsable légal inconnu « %(id)s » (ENTEleveAutoriteParentale).")
                              % {"id": guardian_id})
    guardians_named_by_pupils = {
        value.split("$")[0] for record in records["Eleve"].values()
        for value in record.values("ENTEleveAutoriteParentale")
    }
    for record in records["PersRelEleve"].values():
        children = [value.split("$")[0] for value in record.values("ENTPersRelEleveEleve")]
        for child_id in children:
            if child_id not in known_people["Eleve"]:
                fileset.error(record, _("Élève inconnu « %(id)s » (ENTPersRelEleveEleve).") % {"id": child_id})
        if record.operation == "add" and not children and record.id not in guardians_named_by_pupils:
            fileset.warn(record, _("Responsable sans enfant rattaché."))
