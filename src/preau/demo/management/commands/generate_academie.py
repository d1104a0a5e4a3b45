"""`preau generate_academie --schools N --seed S`: a large synthetic académie, for load tests.

Sizes follow the French primary school: maternelles of 3–4 classes, élémentaires of 5–12,
primaires in between, about 24 pupils a class and 1.6 guardians a pupil (some families have
children in two schools of their commune); most communes run 1–3 schools and a few towns run
30 or more. Everything is written in bulk (COPY on PostgreSQL), one transaction per batch of
schools, so a partial run leaves whole schools behind. Progress goes to stderr.

Then each service adds its history (messages, homework, notes…): an app that has a
`bench_history` module with `generate(academie: SyntheticAcademie, rng, progress) -> dict`
gets the académie just built (its ids only, see `SyntheticAcademie`) and writes its rows
with `academie.insert(objects)`, reporting its progress with `progress.stage(...)` and
`progress.advance(...)`.
"""

import random
import sys
import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from preau.demo.data import Family, Populator, app_modules, bulk_insert, words
from preau.directory.models import (
    Academie,
    Circonscription,
    Commune,
    Departement,
    Person,
    Profile,
    RegionAcademique,
    School,
    current_school_year,
)
from preau.directory.validators import UAI_LETTERS, luhn_is_valid

KIND_WEIGHTS = {School.Kind.MATERNELLE: 30, School.Kind.ELEMENTAIRE: 35, School.Kind.PRIMAIRE: 35}
CLASS_COUNTS = {School.Kind.MATERNELLE: (3, 4), School.Kind.ELEMENTAIRE: (5, 12), School.Kind.PRIMAIRE: (2, 8)}
KIND_LEVELS = {
    School.Kind.MATERNELLE: ["PS", "MS", "GS"],
    School.Kind.ELEMENTAIRE: ["CP", "CE1", "CE2", "CM1", "CM2"],
    School.Kind.PRIMAIRE: ["PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"],
}
KIND_NAMES = {
    School.Kind.MATERNELLE: "École maternelle",
    School.Kind.ELEMENTAIRE: "École élémentaire",
    School.Kind.PRIMAIRE: "École primaire",
}
PUPILS_PER_CLASS = (20, 28)
PRIVATE_RATE = 0.08
# One commune in two hundred is a town with 30 schools or more.
TOWN_RATE = 0.005
SCHOOLS_PER_CIRCONSCRIPTION = 35
SCHOOLS_PER_DEPARTEMENT = 400
BATCH_SCHOOLS = 25
# In a commune with several schools (a maternelle and an élémentaire, say), a pupil in twenty
# is the brother or sister of a pupil of the commune's previous school.
NEIGHBOUR_RATE = 0.05

TOWN_STEMS = words(
    """
Saint-Martin Villeneuve Castelnau Montaigut Labastide Sainte-Croix Lavaur Belcastel Roquefort
Puylaurens Saint-Jean Montesquieu Lacaze Aurignac Vieillevigne Fontanes Saint-Sernin Cazals Mirande
Peyrusse
"""
)
TOWN_ENDINGS = [
    "",
    "-sur-Tarn",
    "-de-Rivière",
    "-d'Aveyron",
    "-le-Vieux",
    "-en-Corbières",
    "-du-Causse",
    "-les-Bains",
    "-sur-Garonne",
    "-de-Comminges",
]


def class_levels(kind: str, count: int) -> list[str]:
    """Spread a school's levels over `count` classes: parallel classes, or multi-level ones."""
    levels = KIND_LEVELS[kind]
    if count >= len(levels):
        per_level = [1] * len(levels)
        for extra in range(count - len(levels)):
            per_level[extra % len(levels)] += 1
        return [level for level, n in zip(levels, per_level, strict=True) for _ in range(n)]
    size, rest = divmod(len(levels), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < rest else 0)
        chunks.append(" ".join(levels[start:end]))
        start = end
    return chunks


def commune_sizes(schools: int, rng) -> list[int]:
    """How many schools each commune runs: a chef-lieu of 30+ first when the académie is big enough."""
    sizes = [rng.randint(30, min(60, schools // 3))] if schools >= 100 else []
    schools -= sum(sizes)
    while schools > 0:
        if schools >= 30 and rng.random() < TOWN_RATE:
            size = rng.randint(30, min(schools, 80))
        else:
            size = min(schools, rng.choice([1, 1, 1, 2, 2, 3]))
        sizes.append(size)
        schools -= size
    return sizes


def free_codes(taken: set[str], candidates):
    """The candidates not yet in `taken`, marking each one as taken when handed out."""
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            yield candidate


def sirets():
    for number in range(10**10):
        base = f"219{number:010d}"
        yield next(base + str(key) for key in range(10) if luhn_is_valid(base + str(key)))


def uais():
    for number in range(900000, 10**7):
        digits = f"{number:07d}"
        yield digits + UAI_LETTERS[number % 23]


@dataclass
class SyntheticClass:
    id: int
    levels: str
    teacher_ids: list[int] = field(default_factory=list)
    pupil_ids: list[int] = field(default_factory=list)
    name: str = ""  # "CE1 A": what labels, titles and audiences show


@dataclass
class SyntheticSchool:
    id: int
    uai: str
    commune_id: int
    director_id: int
    classes: list[SyntheticClass] = field(default_factory=list)
    name: str = ""


@dataclass
class SyntheticAcademie:
    """What the services' `bench_history.generate` builds on: the académie just generated."""

    academie: object  # directory.models.Academie
    year: int
    now: object  # datetime, when the generation started
    schools: list[SyntheticSchool] = field(default_factory=list)
    guardians: dict[int, list[int]] = field(default_factory=dict)  # pupil id → guardian ids
    staff: dict[str, list[int]] = field(default_factory=dict)  # profile → person ids (outside schools)

    @staticmethod
    def insert(objects: list) -> int:
        """Write new model objects of one model in bulk (COPY on PostgreSQL); their ids are set.

        A history is written as it happened: the dates the objects carry are kept, even in the
        fields Django fills itself (`auto_now_add`, `auto_now`); an empty one gets now.
        """
        if objects:
            bulk_insert(type(objects[0]), objects, as_given=True)
        return len(objects)


class Progress:
    """A progress line on stderr: redrawn in place on a terminal, every tenth otherwise."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.live = getattr(self.stream, "isatty", lambda: False)()
        self.started = time.monotonic()
        self.rows = 0
        self.label, self.unit, self.total, self.done, self.stage_started = "", "", 0, 0, self.started
        self.last_tenth = -1

    def stage(self, label: str, total: int, unit: str) -> None:
        """Start a stage of `total` steps (schools, classes…)."""
        self.finish()
        self.label, self.unit, self.total, self.done = label, unit, max(total, 1), 0
        self.stage_started = time.monotonic()
        self.last_tenth = -1

    def advance(self, steps: int = 1, *, rows: int = 0) -> None:
        self.done += steps
        self.rows += rows
        tenth = 10 * self.done // self.total
        if self.live or tenth != self.last_tenth:
            self.last_tenth = tenth
            self._draw()

    def finish(self) -> None:
        if self.live and self.total:
            self.stream.write("\n")
        self.total = 0

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def _draw(self) -> None:
        share = min(1.0, self.done / self.total)
        bar = "█" * int(share * 24) + "·" * (24 - int(share * 24))
        line = (
            f"{self.label} [{bar}] {share:4.0%} {self.done}/{self.total} {self.unit}"
            f" · {self.elapsed:5.1f} s · {self.rows / max(self.elapsed, 1e-6):,.0f} lignes/s".replace(",", "\u202f")
        )
        self.stream.write(f"\r{line}" if self.live else f"{line}\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Génère une académie synthétique de grande taille (insertions en masse), pour les mesures."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=100, help="Nombre d'écoles (100 par défaut).")
        parser.add_argument("--seed", type=int, default=1, help="Graine du hasard : même graine, même académie.")
        parser.add_argument(
            "--no-history", action="store_true", help="Sans l'historique des services (messages, devoirs…)."
        )

    def handle(self, *args, schools: int, seed: int, no_history: bool, **options):
        if schools < 1:
            raise CommandError("Il faut au moins une école (--schools 1).")
        self.progress = progress = Progress(self.stderr._out)
        self.populator = populator = Populator(
            seed=seed,
            year=current_school_year(),
            taken_usernames=Person.objects.values_list("username", flat=True),
        )
        rng = populator.rng
        self.staff_people: list[tuple[str, Person]] = []
        self.previous: tuple[int | None, list[Family]] = (None, [])
        with transaction.atomic():
            academie, departement_codes = self._academie(rng)
            self.synthetic = SyntheticAcademie(academie=academie, year=populator.year, now=timezone.now())
            plan = self._plan(schools, rng, academie, departement_codes)
            progress.rows += populator.flush()
        for profile, person in self.staff_people:
            self.synthetic.staff.setdefault(profile, []).append(person.pk)
        communes = len({school.commune_id for school, _classes in plan})
        self.stdout.write(f"{academie.name} : {schools} écoles dans {communes} communes.")
        progress.stage("Écoles", len(plan), "écoles")
        for first in range(0, len(plan), BATCH_SCHOOLS):
            with transaction.atomic():
                self._fill(plan[first : first + BATCH_SCHOOLS], academie)
        directory_seconds = progress.elapsed
        totals = dict(populator.totals)
        history = {} if no_history else self._history(seed)
        progress.finish()
        elapsed = progress.elapsed
        self.stdout.write(
            self.style.SUCCESS(
                f"Fini en {elapsed:.1f} s : {schools}/{schools} écoles, {totals['schoolclass']} classes,"
                f" {totals['person']} personnes, {totals['guardianlink']} liens responsable–élève"
                f" ({progress.rows / elapsed:.0f} lignes/s ; annuaire en {directory_seconds:.1f} s)."
            )
        )
        if history:
            self.stdout.write("Historique : " + ", ".join(f"{name} {count}" for name, count in history.items()))

    def _fill(self, batch, academie) -> None:
        """Classes, people and links of a batch of schools, written at once."""
        populator = self.populator
        filled = []
        for school, class_count in batch:
            school.save()
            # The plan lists a commune's schools one after the other.
            commune_id, families = self.previous
            classes = populator.fill_school(
                school,
                class_levels(school.kind, class_count),
                academie=academie,
                pupils=PUPILS_PER_CLASS,
                neighbours=families if commune_id == school.commune_id else None,
                neighbour_rate=NEIGHBOUR_RATE,
            )
            self.previous = (school.commune_id, populator.families)
            filled.append((school, classes))
        written = (list(populator.roles), list(populator.teachings), list(populator.enrolments), list(populator.links))
        rows = populator.flush()
        self._remember(filled, *written)
        self.progress.advance(len(batch), rows=rows + len(batch))

    def _remember(self, filled, roles, teachings, enrolments, links) -> None:
        """Keep the ids of what was written, for the services' history."""
        synthetic = self.synthetic
        directors = {role.school_id: role.person_id for role in roles if role.profile == Profile.DIRECTOR}
        by_class = {}
        for school, classes in filled:
            entry = SyntheticSchool(school.pk, school.uai, school.commune_id, directors[school.pk], name=school.name)
            for school_class in classes:
                by_class[school_class.pk] = SyntheticClass(school_class.pk, school_class.levels, name=school_class.name)
                entry.classes.append(by_class[school_class.pk])
            synthetic.schools.append(entry)
        for teaching in teachings:
            by_class[teaching.school_class_id].teacher_ids.append(teaching.teacher_id)
        for enrolment in enrolments:
            by_class[enrolment.school_class_id].pupil_ids.append(enrolment.pupil_id)
        for link in links:
            synthetic.guardians.setdefault(link.child_id, []).append(link.guardian_id)

    def _history(self, seed: int) -> dict[str, int]:
        """Each service's history: `generate(academie, rng, progress)` of its `bench_history`."""
        totals: dict[str, int] = {}
        for config, module in app_modules("bench_history"):
            rng = random.Random(f"{seed}:{config.label}")
            with transaction.atomic():
                totals.update(module.generate(self.synthetic, rng, self.progress) or {})
        return totals

    def _academie(self, rng) -> tuple[Academie, set[str]]:
        region, _created = RegionAcademique.objects.get_or_create(name="Région académique synthétique")
        taken = set(Academie.objects.values_list("code", flat=True))
        code = next(free_codes(taken, (f"S{n:02d}" for n in range(100))), None)
        if code is None:
            raise CommandError("Plus de code d'académie synthétique libre : repartez d'une base vide.")
        academie = Academie.objects.create(
            region=region, name=f"Académie synthétique {code}", code=code, holiday_zone=rng.choice(Academie.Zone.values)
        )
        return academie, set(Departement.objects.values_list("code", flat=True))

    def _plan(self, schools: int, rng, academie: Academie, departement_codes: set[str]):
        """Départements, circonscriptions and communes (saved), and the schools to fill."""
        new_siret = free_codes(set(Commune.objects.values_list("siret", flat=True)), sirets())
        new_uai = free_codes(set(School.objects.values_list("uai", flat=True)), uais())
        departement_code = free_codes(departement_codes, (f"{c}{n:02d}" for c in "STUVW" for n in range(100)))
        names = free_codes(
            set(),
            (
                f"{stem}{end}{'' if n == 0 else f' {n + 1}'}"
                for n in range(10**6)
                for stem in TOWN_STEMS
                for end in TOWN_ENDINGS
            ),
        )
        kinds = list(KIND_WEIGHTS)
        plan = []
        departement = circonscription = None
        in_departement = in_circonscription = 0
        for size in commune_sizes(schools, rng):
            if departement is None or in_departement >= SCHOOLS_PER_DEPARTEMENT:
                code = next(departement_code)
                departement = Departement.objects.create(academie=academie, code=code, name=f"Département {code}")
                self._staff(academie, Profile.DSDEN_ADMIN, departement=departement)
                in_departement, circonscription = 0, None
            name = next(names)
            if circonscription is None or in_circonscription >= SCHOOLS_PER_CIRCONSCRIPTION:
                circonscription = Circonscription.objects.create(departement=departement, name=name)
                self._staff(academie, Profile.IEN, circonscription=circonscription)
                in_circonscription = 0
            commune = Commune.objects.create(departement=departement, name=name, siret=next(new_siret))
            self._staff(academie, Profile.CITY_REFERENT, commune=commune)
            for rank in range(size):
                kind = rng.choices(kinds, weights=list(KIND_WEIGHTS.values()))[0]
                number = f" n°{rank + 1}" if size > 1 else ""
                school = School(
                    uai=next(new_uai),
                    name=f"{KIND_NAMES[kind]} {name}{number}",
                    kind=kind,
                    sector=School.Sector.PRIVATE if rng.random() < PRIVATE_RATE else School.Sector.PUBLIC,
                    circonscription=circonscription,
                    commune=commune,
                    city=name,
                )
                plan.append((school, rng.randint(*CLASS_COUNTS[kind])))
            in_departement += size
            in_circonscription += size
        self._staff(academie, Profile.ACADEMIE_ADMIN, academie=academie)
        return plan

    def _staff(self, home: Academie, profile: str, **structure) -> None:
        person = self.populator.staff(home)
        self.populator.add_role(person, profile, **structure)
        self.staff_people.append((profile, person))
