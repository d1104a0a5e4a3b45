"""Applying a validated set of AAF files to the directory, in bulk and idempotently.

Only what the feed created (`source="aaf"`) is ever changed or detached: people, roles,
enrolments, teachings and family links made by hand or by CSV are left alone. Logins,
passwords, activation, charte acceptances and e-mails people gave are never touched.
Applying the same set twice changes nothing the second time.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone
from django.utils.crypto import get_random_string

from preau.directory.logins import unique_username
from preau.directory.models import (
    LEVEL_ORDER,
    Circonscription,
    Commune,
    Departement,
    Enrolment,
    Group,
    GuardianLink,
    Person,
    Profile,
    PupilRecord,
    Role,
    School,
    SchoolClass,
    Source,
    Teaching,
    school_year_of,
)

from .aaf import Record, parse_bool, parse_compound, parse_date
from .validation import FileSet

KINDS = ("schools", "classes", "pupils", "guardians", "staff")
KIND_LABELS = {"pupils": "Élèves", "guardians": "Responsables", "staff": "Personnels"}
PERSON_FIELDS = ("first_name", "last_name", "birth_date", "email", "phone")
PUPIL_FLAGS = {
    "canteen": "ENTEleveRestaurantScolaire",
    "transport": "ENTEleveTransport",
    "morning_care": "ENTEleveGarderieMatin",
    "evening_care": "ENTEleveGarderieSoir",
    "supervised_study": "ENTEleveEtudesSurveillees",
}
PEOPLE_KIND = {"Eleve": "pupils", "PersRelEleve": "guardians", "PersEducNat": "staff"}
BATCH = 2000
MAX_LISTED_CHANGES = 500
_LEVEL_IN_LABEL = re.compile(r"\b(TPS|PS|MS|GS|CP|CE1|CE2|CM1|CM2)\b")


@dataclass
class Report:
    created: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    detached: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    reattached: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    links: dict = field(default_factory=lambda: {"added": 0, "removed": 0})
    changed_fields: dict = field(default_factory=lambda: defaultdict(int))
    changes: list = field(default_factory=list)

    def note(self, action: str, kind: str, key: str, label: str, fields: list[str] | None = None) -> None:
        getattr(self, action)[kind] += 1
        for name in fields or []:
            self.changed_fields[f"{kind}.{name}"] += 1
        if len(self.changes) < MAX_LISTED_CHANGES:
            self.changes.append({"action": action, "kind": kind, "id": key, "label": label, "fields": fields or []})

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "detached": self.detached,
            "reattached": self.reattached,
            "links": self.links,
            "changed_fields": dict(self.changed_fields),
            "changes": self.changes,
        }


def _delete(model, pks: list[int]) -> None:
    """Delete by primary key in batches (SQLite caps the number of query parameters)."""
    for start in range(0, len(pks), BATCH):
        model.objects.filter(pk__in=pks[start : start + BATCH]).delete()


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]+", "", decomposed.encode("ascii", "ignore").decode().lower())


def levels_from_label(label: str) -> str:
    found = sorted(set(_LEVEL_IN_LABEL.findall(label.upper())), key=LEVEL_ORDER.get)
    return " ".join(found)


def school_kind(record: Record) -> str:
    label = _ascii(record.first("ENTStructureTypeStruct") + record.first("ENTStructureCodeTypeStruct"))
    if "maternelle" in label or label.startswith("em"):
        return School.Kind.MATERNELLE
    if "elementaire" in label or label.startswith("ee"):
        return School.Kind.ELEMENTAIRE
    return School.Kind.PRIMAIRE


class Applier:
    """Applies a validated FileSet: structures first, then each family in batches of BATCH
    records read again from the files, then family links, then (full sets) who is missing."""

    def __init__(self, fileset: FileSet, progress=None):
        self.fileset = fileset
        self.academie = fileset.academie
        self.year = school_year_of(fileset.date)
        self.now = timezone.now()
        self.report = Report()
        self.progress = progress or (lambda done, total, step: None)
        self.school_ids: dict[str, int] = {}
        self.class_ids: dict[tuple[int, str], int] = {}
        self.group_ids: dict[tuple[int, str], int] = {}
        self.person_ids: dict[str, dict[str, int]] = {category: {} for category in PEOPLE_KIND}
        self.usernames: set[str] | None = None
        # Family links as each side states them: (person id, ids on the other side, side is known).
        self.pupil_sides: list[tuple[int, tuple[str, ...]]] = []
        self.guardian_sides: list[tuple[int, tuple[str, ...]]] = []

    def run(self) -> Report:
        total = sum(len(ids) for ids in self.fileset.ids.values()) or 1
        done = 0
        self.progress(done, total, "Écoles")
        self.apply_schools(self.fileset.records("EtabEducNat"))
        done += len(self.fileset.ids["EtabEducNat"])
        self.apply_classes()
        for category, kind in PEOPLE_KIND.items():
            for batch in _batched(self.fileset.records(category), BATCH):
                self.apply_people(category, batch)
                done += len(batch)
                self.progress(done, total, KIND_LABELS[kind])
        self.progress(done, total, "Liens familiaux")
        self.apply_links()
        if self.fileset.is_complete:
            self.progress(done, total, "Personnes absentes de l'export")
            self.detach_missing()
        self.progress(total, total, "Terminé")
        return self.report

    # --- Schools --------------------------------------------------------------------------

    def apply_schools(self, records) -> None:
        in_academie = School.objects.filter(circonscription__departement__academie=self.academie)
        by_external = {s.external_id: s for s in in_academie.exclude(external_id="")}
        by_uai = {s.uai: s for s in in_academie}
        departements = {d.code: d for d in Departement.objects.filter(academie=self.academie)}
        circonscriptions = {
            c.external_id: c
            for c in Circonscription.objects.filter(departement__academie=self.academie)
            if c.external_id
        }
        communes = {
            (c.departement_id, c.name.upper()): c for c in Commune.objects.filter(departement__academie=self.academie)
        }
        for record in records:
            school = by_external.get(record.id) or by_uai.get(record.first("ENTStructureUAI"))
            if record.operation == "delete":
                if school is not None and school.detached_at is None:
                    School.objects.filter(pk=school.pk).update(detached_at=self.now)
                    self.report.note("detached", "schools", record.id, school.name)
                continue
            wanted = self._school_fields(record, school, departements, circonscriptions, communes)
            if school is None:
                school = School.objects.create(external_id=record.id, source=Source.AAF, **wanted)
                self.report.note("created", "schools", record.id, school.name)
            else:
                changed = [name for name, value in wanted.items() if getattr(school, name) != value]
                if school.external_id != record.id:
                    wanted["external_id"], changed = record.id, [*changed, "external_id"]
                if school.detached_at is not None:
                    wanted["detached_at"] = None
                    self.report.note("reattached", "schools", record.id, school.name)
                if changed or school.detached_at is not None:
                    School.objects.filter(pk=school.pk).update(**wanted)
                if changed:
                    self.report.note("updated", "schools", record.id, school.name, changed)
            self.school_ids[record.id] = school.pk
        self.school_ids.update({ext: s.pk for ext, s in by_external.items() if ext not in self.school_ids})

    def _school_fields(self, record: Record, school, departements, circonscriptions, communes) -> dict:
        present = record.attrs.keys() if record.operation == "modify" else None

        def has(*names: str) -> bool:
            return present is None or any(name in present for name in names)

        wanted: dict = {}
        uai = record.first("ENTStructureUAI") or (school.uai if school else "")
        if has("ENTStructureUAI"):
            wanted["uai"] = uai
        if has("ENTStructureNomCourant"):
            wanted["name"] = record.first("ENTStructureNomCourant")
        if has("ENTStructureTypeStruct", "ENTStructureCodeTypeStruct"):
            wanted["kind"] = school_kind(record)
        if has("ENTEtablissementContrat"):
            wanted["sector"] = (
                School.Sector.PRIVATE
                if record.first("ENTEtablissementContrat").upper().startswith("PR")
                else School.Sector.PUBLIC
            )
        for attribute, name in (
            ("ENTStructureAdresse", "address"),
            ("ENTStructureCodePostal", "postcode"),
            ("ENTStructureVille", "city"),
            ("ENTStructureEmail", "email"),
        ):
            if has(attribute):
                wanted[name] = record.first(attribute)[: School._meta.get_field(name).max_length]
        departement = self._departement(uai, departements)
        if has("ENTEcoleCirconscription") or school is None:
            wanted["circonscription"] = self._circonscription(record, departement, circonscriptions)
        if has("ENTEcoleCommune") or school is None:
            wanted["commune"] = self._commune(record, departement, communes)
        return wanted

    def _departement(self, uai: str, departements: dict) -> Departement:
        code = str(int(uai[:3])).zfill(2) if uai[:3].isdigit() else uai[:3]
        if code not in departements:
            departements[code] = Departement.objects.create(
                academie=self.academie, code=code, name=f"Département {code}"
            )
        return departements[code]

    def _circonscription(self, record: Record, departement: Departement, known: dict) -> Circonscription:
        value = record.first("ENTEcoleCirconscription") or f"sans-circonscription-{departement.code}"
        if value not in known:
            name = value.split("$")[-1] or value
            known[value] = Circonscription.objects.create(
                departement=departement,
                external_id=value,
                name=name if not Circonscription.objects.filter(departement=departement, name=name).exists() else value,
            )
        return known[value]

    def _commune(self, record: Record, departement: Departement, known: dict) -> Commune:
        name = record.first("ENTEcoleCommune") or record.first("ENTStructureVille") or "Commune inconnue"
        key = (departement.id, name.upper())
        if key not in known:
            known[key] = Commune.objects.create(departement=departement, name=name.title())
        return known[key]

    # --- Classes and groups ---------------------------------------------------------------

    def apply_classes(self) -> None:
        existing = {
            (c.school_id, c.external_code): c
            for c in SchoolClass.objects.filter(
                year=self.year, school__circonscription__departement__academie=self.academie
            )
        }
        names_taken = {(c.school_id, c.name) for c in existing.values()}
        for (school_ext, code), label in self.fileset.classes.items():
            school_id = self.school_ids[school_ext]
            school_class = existing.get((school_id, code))
            if school_class is None:
                name = label if (school_id, label) not in names_taken else f"{label} ({code})"
                names_taken.add((school_id, name))
                school_class = SchoolClass.objects.create(
                    school_id=school_id,
                    year=self.year,
                    external_code=code,
                    name=name,
                    levels=levels_from_label(label),
                )
                self.report.note("created", "classes", code, name)
            elif school_class.name != label and (school_id, label) not in names_taken:
                SchoolClass.objects.filter(pk=school_class.pk).update(name=label, levels=levels_from_label(label))
                names_taken.add((school_id, label))
                self.report.note("updated", "classes", code, label, ["name"])
            self.class_ids[(school_id, code)] = school_class.pk
        existing_groups = {
            (g.school_id, g.external_code): g
            for g in Group.objects.filter(
                year=self.year,
                kind=Group.Kind.SCHOOL,
                school__circonscription__departement__academie=self.academie,
            ).exclude(external_code="")
        }
        for (school_ext, code), label in self.fileset.groups.items():
            school_id = self.school_ids[school_ext]
            group = existing_groups.get((school_id, code))
            if group is None:
                group = Group.objects.create(
                    kind=Group.Kind.SCHOOL, year=self.year, school_id=school_id, external_code=code, name=label
                )
            elif group.name != label:
                Group.objects.filter(pk=group.pk).update(name=label)
            self.group_ids[(school_id, code)] = group.pk

    # --- People ---------------------------------------------------------------------------

    def apply_people(self, category: str, records: list[Record]) -> None:
        """One batch of one family: the people, then what hangs on them."""
        kind = PEOPLE_KIND[category]
        existing = {
            row["external_id"]: row
            for row in Person.objects.filter(academie=self.academie, external_id__in=[r.id for r in records]).values(
                "id",
                "external_id",
                "first_name",
                "last_name",
                "birth_date",
                "email",
                "phone",
                "is_active",
                "detached_at",
                "source",
                "external_category",
            )
        }
        to_create: list[Person] = []
        to_update: list[Person] = []
        detach_ids: list[int] = []
        ids = self.person_ids[category]
        for record in records:
            row = existing.get(record.id)
            if row is not None:
                ids[record.id] = row["id"]
            if record.operation == "delete":
                if row and row["source"] == Source.AAF and row["is_active"]:
                    detach_ids.append(row["id"])
                    self.report.note("detached", kind, record.id, f"{row['first_name']} {row['last_name']}")
                continue
            wanted = self._person_fields(category, record, row)
            if row is None:
                if self.usernames is None:
                    self.usernames = set(Person.objects.values_list("username", flat=True))
                to_create.append(
                    Person(
                        username=unique_username(wanted["first_name"], wanted["last_name"], self.usernames),
                        password=UNUSABLE_PASSWORD_PREFIX + get_random_string(40),
                        academie=self.academie,
                        external_id=record.id,
                        external_category=category,
                        source=Source.AAF,
                        **wanted,
                    )
                )
                self.report.note("created", kind, record.id, f"{wanted['first_name']} {wanted['last_name']}")
                continue
            if row["source"] != Source.AAF:
                continue  # created by hand or by CSV with the same key: never touched by the feed
            changed = [name for name, value in wanted.items() if row[name] != value]
            reattach = not row["is_active"] and row["detached_at"] is not None
            if changed or reattach or row["external_category"] != category:
                person = Person(pk=row["id"], **{**{k: row[k] for k in PERSON_FIELDS}, **wanted})
                person.is_active, person.detached_at = (
                    (True, None) if reattach else (row["is_active"], row["detached_at"])
                )
                person.external_category = category
                to_update.append(person)
            if changed:
                self.report.note("updated", kind, record.id, f"{row['first_name']} {row['last_name']}", changed)
            if reattach:
                self.report.note("reattached", kind, record.id, f"{row['first_name']} {row['last_name']}")
        Person.objects.bulk_create(to_create, batch_size=BATCH)
        if not all(person.pk for person in to_create):  # databases that do not return ids
            ids.update(
                Person.objects.filter(
                    academie=self.academie, external_id__in=[p.external_id for p in to_create]
                ).values_list("external_id", "id")
            )
        ids.update((person.external_id, person.pk) for person in to_create if person.pk)
        Person.objects.bulk_update(
            to_update, [*PERSON_FIELDS, "is_active", "detached_at", "external_category"], batch_size=BATCH
        )
        if detach_ids:
            Person.objects.filter(pk__in=detach_ids).update(is_active=False, detached_at=self.now)
        live = [record for record in records if record.operation != "delete"]
        if category == "Eleve":
            self._apply_pupil_records(live)
            self._apply_roles(category, live, self._pupil_roles)
            self._apply_memberships(live, Enrolment, "pupil_id")
            self._apply_group_members(category, live)
            self.pupil_sides.extend(
                (ids[r.id], tuple(v.split("$")[0] for v in r.values("ENTEleveAutoriteParentale")))
                for r in live
                if r.operation == "add" or "ENTEleveAutoriteParentale" in r.attrs
            )
        elif category == "PersRelEleve":
            self.guardian_sides.extend(
                (ids[r.id], tuple(v.split("$")[0] for v in r.values("ENTPersRelEleveEleve")))
                for r in live
                if r.operation == "add" or "ENTPersRelEleveEleve" in r.attrs
            )
        else:
            self._apply_roles(category, live, self._staff_roles)
            self._apply_memberships(live, Teaching, "teacher_id")
            self._apply_group_members(category, live)

    def _person_fields(self, category: str, record: Record, row: dict | None) -> dict:
        present = record.attrs.keys() if record.operation == "modify" and row is not None else None

        def has(*names: str) -> bool:
            return present is None or any(name in present for name in names)

        wanted: dict = {}
        if has("ENTPersonPrenom"):
            wanted["first_name"] = record.first("ENTPersonPrenom")[:150]
        if has("ENTPersonNom"):
            wanted["last_name"] = record.first("ENTPersonNom")[:150]
        if has("ENTPersonDateNaissance"):
            wanted["birth_date"] = parse_date(record.first("ENTPersonDateNaissance"))
        if has("ENTPersonMail") and (category == "PersEducNat" or row is None or not row["email"]):
            # Staff: the académie mail is the SSO key. Families keep the address they gave.
            wanted["email"] = record.first("ENTPersonMail")[:254]
        phones = ("ENTPersRelEleveTelMobile", "ENTPersonTelPerso", "ENTPersRelEleveTelPro")
        if category == "PersRelEleve" and has(*phones):
            wanted["phone"] = next((record.first(n) for n in phones if record.first(n)), "")[:30]
        if row is None:
            wanted.setdefault("first_name", "")
            wanted.setdefault("last_name", "")
        return wanted

    def _apply_pupil_records(self, records: list[Record]) -> None:
        ids = self.person_ids["Eleve"]
        existing = {r.pupil_id: r for r in PupilRecord.objects.filter(pupil_id__in=[ids[r.id] for r in records])}
        to_create, to_update = [], []
        for record in records:
            pupil_id = ids[record.id]
            current = existing.get(pupil_id)
            modify = record.operation == "modify" and current is not None
            wanted = {}
            if not modify or "ENTEleveINE" in record.attrs:
                wanted["ine"] = record.first("ENTEleveINE")[:11]
            if not modify or "ENTEleveNiveau" in record.attrs:
                wanted["level"] = record.first("ENTEleveNiveau").split("$")[-1][:80]
            for name, attribute in PUPIL_FLAGS.items():
                if not modify or attribute in record.attrs:
                    wanted[name] = bool(parse_bool(record.first(attribute)))
            if current is None:
                to_create.append(PupilRecord(pupil_id=pupil_id, **wanted))
            elif any(getattr(current, k) != v for k, v in wanted.items()):
                for k, v in wanted.items():
                    setattr(current, k, v)
                to_update.append(current)
        PupilRecord.objects.bulk_create(to_create, batch_size=BATCH)
        PupilRecord.objects.bulk_update(to_update, ["ine", "level", *PUPIL_FLAGS], batch_size=BATCH)

    # --- Roles, classes, groups -----------------------------------------------------------

    def _pupil_roles(self, record: Record) -> set[tuple[str, int]] | None:
        if "ENTPersonStructRattach" not in record.attrs:
            return None
        return {(Profile.PUPIL, self.school_ids[s]) for s in record.values("ENTPersonStructRattach")}

    def _staff_roles(self, record: Record) -> set[tuple[str, int]]:
        roles: set[tuple[str, int]] = set()
        functions = [parse_compound(value).fields for value in record.values("ENTPersonFonctions")]
        is_teacher = parse_bool(record.first("ENTPersonCategorieEnseignant"))
        if is_teacher is None:
            is_teacher = any(code in ("ENS", "DOC") for fields in functions for code in fields[1:2])
        director_of = {value.split("$")[0] for value in record.values("ENTEnsFonctionDir")}
        director_of |= {
            fields[0]
            for fields in functions
            if "DIRECTION" in (f.upper() for f in fields[1:]) or (len(fields) > 1 and fields[1].upper() == "DIR")
        }
        for school in record.values("ENTPersonStructRattach"):
            if is_teacher and school in self.school_ids:
                roles.add((Profile.TEACHER, self.school_ids[school]))
        for school in director_of:
            if school in self.school_ids:
                roles.add((Profile.DIRECTOR, self.school_ids[school]))
                roles.add((Profile.TEACHER, self.school_ids[school]))
        return roles

    def _apply_roles(self, category: str, records: list[Record], roles_of) -> None:
        """Sync the feed's school roles of the people whose records state their structures."""
        ids = self.person_ids[category]
        wanted: set[tuple[int, str, int]] = set()
        covered: set[int] = set()
        for record in records:
            roles = roles_of(record)
            if roles is None:
                continue
            person_id = ids[record.id]
            covered.add(person_id)
            wanted |= {(person_id, profile, school) for profile, school in roles}
        if not covered:
            return
        existing = {
            (r["person_id"], r["profile"], r["school_id"]): r["id"]
            for r in Role.objects.filter(person_id__in=covered, source=Source.AAF).values(
                "id", "person_id", "profile", "school_id"
            )
        }
        _delete(Role, [pk for key, pk in existing.items() if key not in wanted])
        Role.objects.bulk_create(
            [
                Role(person_id=p, profile=profile, school_id=s, source=Source.AAF)
                for (p, profile, s) in wanted
                if (p, profile, s) not in existing
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )

    def _apply_memberships(self, records: list[Record], model, person_field: str) -> None:
        """The year's class enrolments (pupils) or teachings (staff) the feed states."""
        category = "Eleve" if model is Enrolment else "PersEducNat"
        ids = self.person_ids[category]
        wanted, covered = set(), set()
        for record in records:
            if record.operation == "modify" and "ENTPersonClasses" not in record.attrs:
                continue
            person_id = ids[record.id]
            covered.add(person_id)
            for value in record.values("ENTPersonClasses"):
                compound = parse_compound(value)
                wanted.add((person_id, self.class_ids[(self.school_ids[compound.structure], compound.code)]))
        if not covered:
            return
        existing = {
            (row[person_field], row["school_class_id"]): row["id"]
            for row in model.objects.filter(
                **{f"{person_field}__in": covered}, school_class__year=self.year, source=Source.AAF
            ).values("id", person_field, "school_class_id")
        }
        _delete(model, [pk for key, pk in existing.items() if key not in wanted])
        model.objects.bulk_create(
            [
                model(**{person_field: p, "school_class_id": c, "source": Source.AAF})
                for (p, c) in wanted
                if (p, c) not in existing
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )

    def _apply_group_members(self, category: str, records: list[Record]) -> None:
        through = Group.members.through
        ids = self.person_ids[category]
        wanted, covered = set(), set()
        for record in records:
            if record.operation == "modify" and "ENTPersonGroupes" not in record.attrs:
                continue
            person_id = ids[record.id]
            covered.add(person_id)
            for value in record.values("ENTPersonGroupes"):
                compound = parse_compound(value)
                wanted.add((person_id, self.group_ids[(self.school_ids[compound.structure], compound.code)]))
        if not covered:
            return
        existing = {
            (row["person_id"], row["group_id"]): row["id"]
            for row in through.objects.filter(person_id__in=covered, group__year=self.year)
            .exclude(group__external_code="")
            .values("id", "person_id", "group_id")
        }
        _delete(through, [pk for key, pk in existing.items() if key not in wanted])
        through.objects.bulk_create(
            [through(person_id=p, group_id=g) for (p, g) in wanted if (p, g) not in existing],
            batch_size=BATCH,
            ignore_conflicts=True,
        )

    # --- Family links ---------------------------------------------------------------------

    def apply_links(self) -> None:
        """Parental authority from both sides: the pupil's list and the guardian's children.

        A side is known when its record carries the attribute or is a full add; a link goes
        when no side present in the set still names it.
        """
        pupils = self._ids_with_directory("Eleve")
        guardians = self._ids_with_directory("PersRelEleve")
        wanted: set[tuple[int, int]] = set()
        for pupil_id, guardian_exts in self.pupil_sides:
            wanted.update((guardians[g], pupil_id) for g in guardian_exts)
        for guardian_id, child_exts in self.guardian_sides:
            wanted.update((guardian_id, pupils[c]) for c in child_exts)
        covered_children = {pupil_id for pupil_id, _ in self.pupil_sides}
        covered_guardians = {guardian_id for guardian_id, _ in self.guardian_sides}
        if not (covered_children or covered_guardians):
            return
        existing = {
            (guardian_id, child_id): pk
            for pk, guardian_id, child_id in GuardianLink.objects.filter(
                child__academie=self.academie, source=Source.AAF
            )
            .values_list("id", "guardian_id", "child_id")
            .iterator(chunk_size=BATCH)
            if child_id in covered_children or guardian_id in covered_guardians
        }
        stale = [pk for pair, pk in existing.items() if pair not in wanted]
        _delete(GuardianLink, stale)
        new = [pair for pair in wanted if pair not in existing]
        GuardianLink.objects.bulk_create(
            [
                GuardianLink(
                    guardian_id=g,
                    child_id=c,
                    relationship=GuardianLink.Relationship.OTHER,
                    parental_authority=True,
                    source=Source.AAF,
                )
                for (g, c) in new
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        self.report.links["added"] += len(new)
        self.report.links["removed"] += len(stale)

    def _ids_with_directory(self, category: str) -> dict[str, int]:
        """Ids of this set's people, completed from the directory for a delta's references."""
        if self.fileset.is_complete:
            return self.person_ids[category]
        ids = dict(
            Person.objects.filter(academie=self.academie, external_category=category).values_list("external_id", "id")
        )
        ids.update(self.person_ids[category])
        return ids

    # --- Full imports: who is no longer there ---------------------------------------------

    def detach_missing(self) -> None:
        for category in self.fileset.categories & set(PEOPLE_KIND):
            kind = PEOPLE_KIND[category]
            present = self.fileset.ids[category]
            missing = [
                (pk, external_id, first, last)
                for pk, external_id, first, last in Person.objects.filter(
                    academie=self.academie, external_category=category, source=Source.AAF, is_active=True
                )
                .values_list("id", "external_id", "first_name", "last_name")
                .iterator(chunk_size=BATCH)
                if external_id not in present
            ]
            for _pk, external_id, first, last in missing:
                self.report.note("detached", kind, external_id, f"{first} {last}")
            for start in range(0, len(missing), BATCH):
                Person.objects.filter(pk__in=[m[0] for m in missing[start : start + BATCH]]).update(
                    is_active=False, detached_at=self.now
                )
        if "EtabEducNat" in self.fileset.categories:
            present = set(self.fileset.ids["EtabEducNat"])
            for school in School.objects.filter(
                circonscription__departement__academie=self.academie, source=Source.AAF, detached_at__isnull=True
            ):
                if school.external_id not in present:
                    School.objects.filter(pk=school.pk).update(detached_at=self.now)
                    self.report.note("detached", "schools", school.external_id, school.name)


def _batched(records, size: int):
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
