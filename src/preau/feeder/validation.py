"""Validating a whole set of AAF files before anything is applied.

`read_set()` streams every file once, keeps of each record only the attributes Préau uses,
and returns a `FileSet` with the blocking errors and the warnings. A set with errors is
never applied.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
        "ENTStructureJointure",
        "ENTStructureUAI",
        "ENTStructureSIREN",
        "ENTStructureNomCourant",
        "ENTStructureTypeStruct",
        "ENTStructureCodeTypeStruct",
        "ENTEcoleMinistereTutelle",
        "ENTEcoleCodeMinistereTutelle",
        "ENTEtablissementContrat",
        "ENTStructureBoitePostale",
        "ENTStructureAdresse",
        "ENTStructureCodePostal",
        "ENTStructureVille",
        "ENTStructureTelephone",
        "ENTStructureFax",
        "ENTStructureEmail",
        "ENTStructureMailSI",
        "ENTServAcAcademie",
        "ENTServAcCodeAcademie",
        "ENTEcoleSecteur",
        "ENTEcoleCirconscription",
        "ENTEcoleCommune",
        "ENTEcoleRPI",
        "categorieStructure",
    },
    "Eleve": {
        "ENTPersonJointure",
        "ENTEleveINE",
        "ENTPersonNom",
        "ENTPersonPrenom",
        "ENTPersonAutresPrenoms",
        "ENTPersonNomPatro",
        "ENTPersonCivilite",
        "ENTPersonDateNaissance",
        "ENTPersonMail",
        "ENTPersonStructRattach",
        "ENTPersonClasses",
        "ENTPersonGroupes",
        "ENTEleveAutoriteParentale",
        "ENTEleveNiveau",
        "ENTEleveCycle",
        "ENTEleveTypeClasse",
        "ENTEleveDateEntreeClasses",
        "ENTEleveDateSortieClasses",
        "ENTEleveDateEntreeStructRattach",
        "ENTEleveDateSortieStructRattach",
        "ENTEleveRestaurantScolaire",
        "ENTEleveTransport",
        "ENTEleveGarderieMatin",
        "ENTEleveGarderieSoir",
        "ENTEleveEtudesSurveillees",
        "categoriePersonne",
    },
    "PersRelEleve": {
        "ENTPersonJointure",
        "ENTPersonNom",
        "ENTPersonPrenom",
        "ENTPersonNomPatro",
        "ENTPersonAutresPrenoms",
        "ENTPersonCivilite",
        "ENTPersonDateNaissance",
        "ENTPersonTelPerso",
        "ENTPersRelEleveTelPro",
        "ENTPersRelEleveTelMobile",
        "ENTPersonAdresse",
        "ENTPersonCodePostal",
        "ENTPersonVille",
        "ENTPersonPays",
        "ENTPersonAdresseDiffusion",
        "ENTPersonMail",
        "ENTPersRelEleveEleve",
        "categoriePersonne",
    },
    "PersEducNat": {
        "ENTPersonJointure",
        "ENTPersonNom",
        "ENTPersonPrenom",
        "ENTPersonNomPatro",
        "ENTPersonAutresPrenoms",
        "ENTPersonCivilite",
        "ENTPersonDateNaissance",
        "ENTPersonMail",
        "ENTPersonStructRattach",
        "ENTPersonFonctions",
        "ENTEnsFonctionDir",
        "ENTPersonCategorieEnseignant",
        "ENTEnsSpecialites",
        "ENTPersonStructRattachDate",
        "ENTPersonFonctionsDate",
        "ENTEnsFonctionDirDate",
        "ENTPersonCategorieEnseignantDate",
        "ENTPersonClasses",
        "ENTPersonGroupes",
        "categoriePersonne",
    },
}
# Attributes whose values are read as dates and booleans, checked here so applying never fails.
DATE_ATTRIBUTES = {"ENTPersonDateNaissance"}
BOOL_ATTRIBUTES = {
    "ENTEleveRestaurantScolaire",
    "ENTEleveTransport",
    "ENTEleveGarderieMatin",
    "ENTEleveGarderieSoir",
    "ENTEleveEtudesSurveillees",
    "ENTPersonCategorieEnseignant",
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
    """A validated set of files. Records are not kept: `records()` reads them again, so memory
    holds only the index of ids (for duplicates, references, and what a full import lacks)."""

    academie: Academie
    files: list[AafFile] = field(default_factory=list)
    # category → {id: (index of the file in `files`, line)}
    ids: dict[str, dict[str, tuple[int, int]]] = field(default_factory=lambda: {c: {} for c in CATEGORIES})
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    file_facts: list[dict] = field(default_factory=list)
    # (guardian id, pupil record) pairs to check once every guardian is known.
    pending_guardians: list[tuple[str, str, int, str]] = field(default_factory=list)
    guardians_named_by_pupils: set[str] = field(default_factory=set)
    guardians_without_child: list[tuple[str, int, str]] = field(default_factory=list)
    known_schools: set[str] = field(default_factory=set)
    # Jointures already in the directory, per family (deltas only, loaded on first need).
    directory_ids: dict[str, set[str]] = field(default_factory=dict)
    # (school id, code) → label of every class and group named by people (a few thousand).
    classes: dict[tuple[str, str], str] = field(default_factory=dict)
    groups: dict[tuple[str, str], str] = field(default_factory=dict)

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

    def records(self, category: str) -> Iterator[Record]:
        """The records of one family, read again from the files, cleaned as when validated."""
        for aaf_file in self.files:
            if aaf_file.category == category:
                for record in read_records(aaf_file):
                    _drop_unknown_attributes(record, category)
                    if category == "EtabEducNat" and record.first("ENTStructureUAI"):
                        record.attrs["ENTStructureUAI"] = [normalize_uai(record.first("ENTStructureUAI"))]
                    yield record


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
    fileset.known_schools = set(
        School.objects.filter(circonscription__departement__academie=academie)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    for index, aaf_file in enumerate(fileset.files):
        if progress:
            progress(index, len(fileset.files), _("Lecture de %(name)s") % {"name": aaf_file.name})
        try:
            check_size(aaf_file.path)
        except AafFileError as error:
            fileset.error(aaf_file.name, error.message)
            continue
        fileset.file_facts.append(
            {
                "name": aaf_file.name,
                "sha256": sha256_of(aaf_file.path),
                "size": aaf_file.path.stat().st_size,
                "kind": aaf_file.kind,
                "category": aaf_file.category,
            }
        )
        _read_file(fileset, aaf_file, index)
    _check_references(fileset)
    return fileset


def _read_file(fileset: FileSet, aaf_file: AafFile, file_index: int) -> None:
    unknown_reported: set[str] = set()
    try:
        for record in read_records(aaf_file):
            _check_record(fileset, aaf_file, file_index, record, unknown_reported)
    except AafFileError as error:
        fileset.error(aaf_file.name, error.message, line=error.line)


def _drop_unknown_attributes(record: Record, category: str) -> list[str]:
    known = KNOWN_ATTRIBUTES[category]
    unknown = [name for name in record.attrs if name not in known]
    for name in unknown:
        del record.attrs[name]
    return unknown


def _check_record(
    fileset: FileSet, aaf_file: AafFile, file_index: int, record: Record, unknown_reported: set[str]
) -> None:
    category = aaf_file.category
    if record.category and record.category != category:
        fileset.error(
            record,
            _("Catégorie « %(found)s » dans un fichier %(expected)s.")
            % {"found": record.category, "expected": category},
        )
        return
    if not record.id:
        fileset.error(record, _("Enregistrement sans identifiant (identifier/id)."))
        return
    if aaf_file.kind == "Complet" and record.operation != "add":
        fileset.error(record, _("Un fichier complet ne contient que des ajouts (addRequest)."))
        return
    if record.id in fileset.ids[category]:
        file_index, line = fileset.ids[category][record.id]
        fileset.error(
            record,
            _("Identifiant de jointure en double : déjà présent dans %(file)s, ligne %(line)d.")
            % {"file": fileset.files[file_index].name, "line": line},
        )
        return
    for name in _drop_unknown_attributes(record, category):
        if name not in unknown_reported:
            unknown_reported.add(name)
            fileset.warn(
                record, _("Attribut inconnu « %(name)s » ignoré (signalé une fois par fichier).") % {"name": name}
            )
    if record.operation == "add":
        for name in REQUIRED_ON_ADD[category]:
            if not record.first(name):
                fileset.error(record, _("Attribut obligatoire manquant : %(name)s.") % {"name": name})
    if not _values_are_valid(fileset, record):
        return
    if category == "EtabEducNat" and not _school_is_valid(fileset, record):
        return
    fileset.ids[category][record.id] = (file_index, record.line)
    if category == "EtabEducNat":
        fileset.known_schools.add(record.id)
    elif record.operation != "delete":
        _check_references_of(fileset, category, record)


def _check_references_of(fileset: FileSet, category: str, record: Record) -> None:
    """Schools and classes are known when people are read (structures come first)."""
    if category in ("Eleve", "PersEducNat"):
        for school_id in record.values("ENTPersonStructRattach"):
            if school_id not in fileset.known_schools:
                fileset.error(
                    record,
                    _("École inconnue « %(id)s » (ENTPersonStructRattach) : ni dans les fichiers ni dans l'annuaire.")
                    % {"id": school_id},
                )
        for attribute, named in (("ENTPersonClasses", fileset.classes), ("ENTPersonGroupes", fileset.groups)):
            for value in record.values(attribute):
                compound = parse_compound(value)
                if compound.structure not in fileset.known_schools:
                    fileset.error(
                        record, _("La classe ou le groupe « %(value)s » désigne une école inconnue.") % {"value": value}
                    )
                elif not compound.code:
                    fileset.error(record, _("Classe ou groupe sans code : « %(value)s ».") % {"value": value})
                else:
                    named[(compound.structure, compound.code)] = compound.label or compound.code
    if category == "Eleve":
        for value in record.values("ENTEleveAutoriteParentale"):
            guardian_id = value.split("$")[0]
            fileset.guardians_named_by_pupils.add(guardian_id)
            fileset.pending_guardians.append((guardian_id, record.file, record.line, record.id))
    if category == "PersRelEleve":
        children = [value.split("$")[0] for value in record.values("ENTPersRelEleveEleve")]
        known = fileset.ids["Eleve"]
        for child_id in children:
            if child_id not in known and not _exists_in_directory(fileset, "Eleve", child_id):
                fileset.error(record, _("Élève inconnu « %(id)s » (ENTPersRelEleveEleve).") % {"id": child_id})
        if record.operation == "add" and not children:
            fileset.guardians_without_child.append((record.file, record.line, record.id))


def _exists_in_directory(fileset: FileSet, category: str, external_id: str) -> bool:
    """A delta may name people imported earlier; a full set must be complete in itself."""
    if fileset.is_complete:
        return False
    if category not in fileset.directory_ids:
        # One query per family, the first time a delta needs it.
        fileset.directory_ids[category] = set(
            Person.objects.filter(academie=fileset.academie, external_category=category).values_list(
                "external_id", flat=True
            )
        )
    return external_id in fileset.directory_ids[category]


VALUE_CHECKS = (
    (DATE_ATTRIBUTES, parse_date, gettext_lazy("Date invalide pour %(name)s : « %(value)s » (attendu JJ/MM/AAAA).")),
    (BOOL_ATTRIBUTES, parse_bool, gettext_lazy("Valeur invalide pour %(name)s : « %(value)s » (attendu O ou N).")),
)


def _values_are_valid(fileset: FileSet, record: Record) -> bool:
    valid = True
    for names, parse, message in VALUE_CHECKS:
        for name in names & record.attrs.keys():
            try:
                parse(record.first(name))
            except ValueError:
                fileset.error(record, str(message) % {"name": name, "value": record.first(name)})
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
        fileset.error(
            record,
            _(
                "Cette école appartient à l'académie de code %(code)s, pas à %(academie)s"
                " (code %(expected)s) : fichier d'une autre académie ?"
            )
            % {"code": code, "academie": fileset.academie.name, "expected": fileset.academie.code},
        )
        return False
    return True


def _check_references(fileset: FileSet) -> None:
    """What could only be checked once every file was read: pupils' guardians."""
    guardians = fileset.ids["PersRelEleve"]
    for guardian_id, file, line, pupil_id in fileset.pending_guardians:
        if guardian_id not in guardians and not _exists_in_directory(fileset, "PersRelEleve", guardian_id):
            fileset.errors.append(
                Issue(
                    file,
                    line,
                    pupil_id,
                    _("Responsable légal inconnu « %(id)s » (ENTEleveAutoriteParentale).") % {"id": guardian_id},
                )
            )
    for file, line, guardian_id in fileset.guardians_without_child:
        if guardian_id not in fileset.guardians_named_by_pupils:
            fileset.warnings.append(Issue(file, line, guardian_id, _("Responsable sans enfant rattaché.")))
    fileset.pending_guardians.clear()
