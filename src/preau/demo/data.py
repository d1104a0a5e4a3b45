"""The demo académie: real structures and schools from the conventions, fictional people.

`load_demo()` builds two régions académiques (Occitanie: Toulouse and Montpellier;
Provence-Alpes-Côte d'Azur: Nice), the communes and schools named in the partnership
conventions (their UAI and SIRET are the real ones), and fictional classes, pupils, families
and staff drawn from fixed name lists with a seeded random generator, so every run builds
the same académie. `DEMO_LOGINS` are the accounts shown on `make run`, one per profile.

`Populator` is shared with `generate_academie`: it builds people in memory and writes them
with bulk inserts, which is what keeps a whole académie to seconds.
"""

# The demo passwords are public on purpose: they are printed by `preau demo_logins`.
# ruff: noqa: S106

import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps
from django.contrib.auth.hashers import make_password
from django.db import connections, router, transaction
from django.utils import timezone

from preau.accounts.charte import forget_current_charte
from preau.accounts.models import CharteVersion
from preau.core import audit
from preau.directory.logins import unique_username
from preau.directory.models import (
    Academie,
    Circonscription,
    Commune,
    Departement,
    Enrolment,
    GuardianLink,
    Person,
    Profile,
    RegionAcademique,
    Regroupement,
    Role,
    School,
    SchoolClass,
    Teaching,
    current_school_year,
)

DEMO_SEED = 2026
# RFC 2606 reserves .invalid: no demo e-mail can reach a real mailbox.
DEMO_EMAIL_DOMAIN = "demo.preau.invalid"


@dataclass(frozen=True)
class DemoLogin:
    profile: str
    username: str
    password: str
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def as_dict(self) -> dict[str, str]:
        return {"profile": self.profile, "username": self.username, "password": self.password, "name": self.name}


DEMO_LOGINS = [
    DemoLogin(Profile.PUPIL, "lea.fourcade", "demo-eleve-2026", "Léa", "Fourcade"),
    DemoLogin(Profile.PARENT, "sophie.fourcade", "demo-parent-2026", "Sophie", "Fourcade"),
    DemoLogin(Profile.TEACHER, "julien.abadie", "demo-enseignant-2026", "Julien", "Abadie"),
    DemoLogin(Profile.DIRECTOR, "isabelle.dupuy", "demo-directeur-2026", "Isabelle", "Dupuy"),
    DemoLogin(Profile.CITY_REFERENT, "nathalie.cazaux", "demo-referent-2026", "Nathalie", "Cazaux"),
    DemoLogin(Profile.ACADEMIE_ADMIN, "marc.rouzaud", "demo-academie-2026", "Marc", "Rouzaud"),
    DemoLogin(Profile.CITY_CONTRIBUTOR, "claire.soule", "demo-contributeur-2026", "Claire", "Soulé"),
    DemoLogin(Profile.IEN, "philippe.lacaze", "demo-ien-2026", "Philippe", "Lacaze"),
    DemoLogin(Profile.DSDEN_ADMIN, "anne.dasque", "demo-dsden-2026", "Anne", "Dasque"),
    DemoLogin(Profile.ELECTED_PARENT, "karim.bensaid", "demo-parent-elu-2026", "Karim", "Bensaïd"),
    DemoLogin(Profile.PERISCOLAIRE, "laura.mengelle", "demo-periscolaire-2026", "Laura", "Mengelle"),
]
DEMO_LOGIN_BY_PROFILE = {login.profile: login for login in DEMO_LOGINS}

# Région académique › académie (name, code, zone) › départements.
STRUCTURES = [
    (
        "Occitanie",
        [
            ("Académie de Toulouse", "16", "C", [("65", "Hautes-Pyrénées"), ("12", "Aveyron")]),
            ("Académie de Montpellier", "11", "C", [("66", "Pyrénées-Orientales"), ("11", "Aude")]),
        ],
    ),
    (
        "Provence-Alpes-Côte d'Azur",
        [
            ("Académie de Nice", "23", "B", [("06", "Alpes-Maritimes")]),
        ],
    ),
]

MOUTHOUMET_REGROUPEMENT = "Communauté de communes Région Lézignanaise, Corbières et Minervois"

# Département, commune, INSEE code, SIRET, town hall address, postcode, circonscription.
COMMUNES = [
    ("65", "Lannemezan", "65258", "21650258300018", "1 place de la République", "65300", "Lannemezan"),
    ("12", "Rodez", "12202", "21120202300019", "place Eugène Raynaldy", "12000", "Rodez"),
    ("66", "Le Boulou", "66024", "21660024700011", "avenue Léon-Jean Grégory", "66160", "Céret"),
    # The convention gives no SIRET for Mouthoumet: this one is a demo value (valid Luhn key).
    ("11", "Mouthoumet", "11266", "21110266000019", "", "11330", "Lézignan-Corbières"),
    # SIREN 210600110 is on the prefecture's stamp of the convention; NIC 00001 is assumed.
    ("06", "Beaulieu-sur-Mer", "06011", "21060011000014", "", "06310", "Menton"),
]

_P, _E, _M = School.Kind.PRIMAIRE, School.Kind.ELEMENTAIRE, School.Kind.MATERNELLE
# Commune, UAI, name, kind, sector, address, the levels of each class.
SCHOOLS = [
    ("Lannemezan", "0651067G", "E.P.PU Bourtoulets", _P, "public", "", ["PS MS", "GS CP", "CE1", "CE2 CM1", "CM2"]),
    ("Lannemezan", "0650768G", "E.P.PU Las Moulias", _P, "public", "", ["PS MS GS", "CP CE1", "CE2 CM1 CM2"]),
    ("Lannemezan", "0651068H", "E.P.PU Le Guerissa", _P, "public", "", ["PS MS", "GS", "CP CE1", "CE2 CM1 CM2"]),
    ("Lannemezan", "0651069J", "E.P.PU P. Bert P. Baratgin", _P, "public", "", ["MS GS", "CP", "CE1 CE2", "CM1 CM2"]),
    ("Rodez", "0120612A", "E.E.PU Ferdinand Foch", _E, "public", "", ["CP", "CE1", "CE2", "CM1", "CM2"]),
    ("Rodez", "0120611Z", "E.M.PU Paraire", _M, "public", "", ["PS", "MS", "GS"]),
    ("Rodez", "0120595G", "E.P.PU Cambon", _P, "public", "", ["PS MS GS", "CP CE1", "CE2 CM1 CM2"]),
    ("Rodez", "0121221M", "E.P.PU Cardaillac", _P, "public", "", ["PS MS", "GS CP", "CE1 CE2", "CM1 CM2"]),
    ("Rodez", "0121250U", "E.P.PU Flaugergues", _P, "public", "", ["PS MS GS", "CP CE1 CE2", "CM1 CM2"]),
    ("Rodez", "0121325A", "E.P.PU François Mitterrand", _P, "public", "", ["PS MS", "GS", "CP", "CE1 CE2", "CM1 CM2"]),
    ("Rodez", "0121302A", "E.P.PU Gourgan", _P, "public", "", ["PS MS GS", "CP CE1", "CE2 CM1 CM2"]),
    ("Rodez", "0121236D", "E.P.PU Jean-Albert Bessière", _P, "public", "", ["PS MS", "GS CP", "CE1 CE2", "CM1 CM2"]),
    ("Rodez", "0120601N", "E.P.PU Paul Ramadier", _P, "public", "", ["PS MS GS", "CP CE1 CE2", "CM1 CM2"]),
    ("Rodez", "0121071Z", "E.P.PR Sainte-Procule", _P, "prive", "", ["PS MS", "GS CP", "CE1 CE2", "CM1 CM2"]),
    (
        "Le Boulou",
        "0660713S",
        "École élémentaire publique La Subéraie",
        _E,
        "public",
        "",
        ["CP", "CE1", "CE2", "CM1", "CM2"],
    ),
    ("Mouthoumet", "0110422Z", "École élémentaire publique", _E, "public", "", ["CP CE1 CE2", "CM1 CM2"]),
    (
        "Beaulieu-sur-Mer",
        "0061594A",
        "École Marinoni",
        _P,
        "public",
        "17 boulevard Paul Déroulède",
        ["PS MS", "GS CP", "CE1 CE2", "CM1 CM2"],
    ),
]

CHARTE_TITLE = "Charte d'utilisation de Préau"
CHARTE_BODY = "\n\n".join(
    [
        "Préau est l'espace numérique de travail de l'école. Il est mis à disposition des élèves, de leurs "
        "familles, des enseignants et des partenaires de l'école par l'académie et la commune, dans le cadre "
        "du service public de l'éducation.",
        "Respect des personnes. Chacun s'exprime avec politesse et bienveillance. Les propos injurieux, "
        "diffamatoires, discriminatoires, violents ou harcelants sont interdits, dans les messages comme dans "
        "les blogs, les commentaires et les documents partagés.",
        "Neutralité du service public. Préau ne sert ni à la publicité, ni à la propagande politique ou "
        "religieuse, ni à des fins commerciales. Les échanges portent sur la vie de l'école et les "
        "apprentissages.",
        "Identifiants. Votre identifiant et votre mot de passe sont personnels : ne les communiquez à "
        "personne. Un élève ne se connecte qu'avec sa propre carte. Signalez sans attendre toute utilisation "
        "de votre compte que vous n'avez pas faite.",
        "Données personnelles. Préau ne traite que les données nécessaires au fonctionnement de l'école "
        "(règlement général sur la protection des données). Chacun peut exercer ses droits d'accès et de "
        "rectification auprès du directeur ou de la directrice de l'école. Les connexions et les actions sont "
        "journalisées et conservées pendant la durée légale.",
        "Droit à l'image et propriété intellectuelle. Aucune photo, vidéo ni enregistrement d'un élève ou "
        "d'un adulte n'est publié sans l'autorisation des personnes concernées ou des responsables légaux de "
        "l'élève. On ne publie que des contenus dont on a le droit de se servir, en citant leurs auteurs.",
        "Signalement. Tout contenu choquant, inapproprié ou inquiétant doit être signalé avec le bouton « "
        "Signaler » ou à l'enseignant. Les enseignants et le directeur ou la directrice modèrent les contenus "
        "publiés dans l'école.",
        "Sanctions. Le non-respect de cette charte peut entraîner la suspension de l'accès à Préau, sans "
        "préjudice des sanctions prévues par le règlement intérieur de l'école et des poursuites prévues par "
        "la loi.",
    ]
)


def words(text: str) -> list[str]:
    """The words of a block of text: name lists read as a paragraph, not a column."""
    return text.split()


CHILD_FIRST_NAMES = words(
    """
Adam Agathe Alba Alice Ambre Anna Arthur Axel Camille Chloé Clément Eden Élio Élise Emma Ethan Gabin
Gabriel Hugo Iris Jade Jeanne Jules Juliette Kaïs Léna Léo Liam Lina Louis Louise Lucas Lucie Maël
Manon Margot Marius Martin Maya Mila Nathan Noah Noé Nina Paul Raphaël Rose Sacha Sofia Tiago Timéo
Victor Yanis Zoé Inaya Mathis Océane Romy Soan Valentin Youssef Aaron Capucine Éléonore
"""
)
WOMEN_FIRST_NAMES = words(
    """
Amandine Audrey Aurélie Carole Delphine Élodie Émilie Fatima Florence Hélène Julie Karine Laetitia
Marie Mélanie Nadia Pascale Sabrina Sandrine Séverine Sylvie Vanessa Virginie Anaïs Céline Stéphanie
Sophie Samira
"""
)
MEN_FIRST_NAMES = words(
    """
Benoît Cédric Christophe David Fabien Frédéric Guillaume Jérôme Laurent Ludovic Mathieu Mehdi
Nicolas Olivier Patrice Rachid Sébastien Stéphane Thomas Vincent Yannick Damien Julien Xavier
Alexandre Samuel Karim
"""
)
ADULT_FIRST_NAMES = WOMEN_FIRST_NAMES + MEN_FIRST_NAMES
LAST_NAMES = words(
    """
Abadie Arnaud Barrère Bataille Bénazet Bernard Blanc Bonnet Bories Bousquet Carrère Castéran
Cazenave Chevalier Costes Courtade Delmas Domec Dubois Dufour Durand Escudier Fabre Faure Ferrer
Fontaine Fournier Garcia Garrigues Gineste Girard Guilhem Hamidi Lacombe Lafon Lagarde Lambert
Lapeyre Laporte Larrieu Lasserre Laurent Lefèvre Lopez Marty Mercier Moreau Mounier Nguyen Pujol Rey
Rigal Roux Sabatier Salvat Serres Soulié Teulier Vergnes Vidal Bertrand Claverie Maurel Ribes Benali
Martins Rouquette
"""
)

# Age at the start of the school year, by level: what birth years the pupils get.
LEVEL_AGE = {"TPS": 2, "PS": 3, "MS": 4, "GS": 5, "CP": 6, "CE1": 7, "CE2": 8, "CM1": 9, "CM2": 10}
# A new family has two guardians three times out of four; one pupil in ten has a brother or
# sister already in the school. That gives the ~1.6 guardians per pupil of the AAF exports.
TWO_GUARDIANS_RATE = 0.75
SIBLING_RATE = 0.10


def class_names(levels: list[str]) -> list[str]:
    """Class names from their levels: "CE1-CE2", and "CP A", "CP B" for parallel classes."""
    counts = Counter(levels)
    seen: Counter[str] = Counter()
    names = []
    for level in levels:
        base = level.replace(" ", "-")
        if counts[level] > 1:
            base = f"{base} {chr(ord('A') + seen[level])}"
            seen[level] += 1
        names.append(base)
    return names


@dataclass
class Family:
    last_name: str
    guardians: list[Person]
    classes: list[SchoolClass] = field(default_factory=list)


class Populator:
    """Builds people, classes and links in memory; `flush()` writes them in bulk."""

    def __init__(self, *, seed: int, year: int, taken_usernames=()) -> None:
        self.rng = random.Random(seed)
        self.year = year
        self.usernames = set(taken_usernames)
        self.no_password = make_password(None)
        self.people: list[Person] = []
        self.classes: list[SchoolClass] = []
        self.roles: list[Role] = []
        self.enrolments: list[Enrolment] = []
        self.teachings: list[Teaching] = []
        self.links: list[GuardianLink] = []
        self.families: list[Family] = []
        self.totals: Counter[str] = Counter()

    def username_for(self, first_name: str, last_name: str) -> str:
        return unique_username(first_name, last_name, self.usernames)

    def person(
        self, first_name: str, last_name: str, *, academie: Academie, adult: bool = True, username: str = "", **fields
    ) -> Person:
        username = username or self.username_for(first_name, last_name)
        self.usernames.add(username)
        fields.setdefault("password", self.no_password)
        person = Person(
            username=username,
            first_name=first_name,
            last_name=last_name,
            academie=academie,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}" if adult else "",
            **fields,
        )
        self.people.append(person)
        return person

    def staff(self, academie: Academie, **fields) -> Person:
        rng = self.rng
        return self.person(rng.choice(ADULT_FIRST_NAMES), rng.choice(LAST_NAMES), academie=academie, **fields)

    def add_role(self, person: Person, profile: str, **structure) -> None:
        self.roles.append(Role(person=person, profile=profile, **structure))

    def new_family(self, academie: Academie, last_name: str | None = None) -> Family:
        last_name = last_name or self.rng.choice(LAST_NAMES)
        # A mother then a father, or one of them alone (see `link_guardians`).
        names = [WOMEN_FIRST_NAMES, MEN_FIRST_NAMES]
        if self.rng.random() >= TWO_GUARDIANS_RATE:
            names = [self.rng.choice(names)]
        guardians = [self.person(self.rng.choice(n), last_name, academie=academie) for n in names]
        return Family(last_name=last_name, guardians=guardians)

    def link_guardians(self, family: Family, child: Person) -> None:
        for guardian in family.guardians:
            is_mother = guardian.first_name in WOMEN_FIRST_NAMES
            relationship = GuardianLink.Relationship.MOTHER if is_mother else GuardianLink.Relationship.FATHER
            self.links.append(GuardianLink(guardian=guardian, child=child, relationship=relationship))

    def pupil(
        self,
        school_class: SchoolClass,
        family: Family,
        *,
        first_name: str | None = None,
        level: str | None = None,
        child: Person | None = None,
    ) -> Person:
        """A pupil of `school_class` (a new one, or `child`), with a birth date that fits the level."""
        rng = self.rng
        level = level or rng.choice(school_class.levels.split())
        if child is None:
            child = self.person(
                first_name or rng.choice(CHILD_FIRST_NAMES),
                family.last_name,
                academie=family.guardians[0].academie,
                adult=False,
            )
        first_day = datetime.date(self.year - LEVEL_AGE[level], 1, 1)
        child.birth_date = first_day + datetime.timedelta(days=rng.randrange(365))
        self.add_role(child, Profile.PUPIL, school=school_class.school)
        self.enrolments.append(Enrolment(pupil=child, school_class=school_class))
        self.link_guardians(family, child)
        family.classes.append(school_class)
        return child

    def teach(self, teacher: Person, school_class: SchoolClass) -> None:
        self.teachings.append(Teaching(teacher=teacher, school_class=school_class))

    def fill_school(
        self,
        school: School,
        levels: list[str],
        *,
        academie: Academie,
        pupils: tuple[int, int] = (12, 20),
        director: Person | None = None,
        teachers: dict[str, Person] | None = None,
        neighbours: list[Family] | None = None,
        neighbour_rate: float = 0.0,
    ) -> list[SchoolClass]:
        """Classes of the year with their pupils, families, teachers and a teaching director.

        `teachers` maps a class's levels to a given teacher; the director takes the last class.
        `neighbours` are families of another school (of the same commune): a pupil joins one of
        them at `neighbour_rate`, a family with children in two schools. The school's families
        stay in `self.families` until the next school.
        """
        teachers = teachers or {}
        director = director or self.staff(academie)
        self.add_role(director, Profile.DIRECTOR, school=school)
        self.add_role(director, Profile.TEACHER, school=school)
        families = self.families = []
        neighbours = list(neighbours or ())
        classes = []
        for index, (class_levels, name) in enumerate(zip(levels, class_names(levels), strict=True)):
            school_class = SchoolClass(school=school, year=self.year, name=name, levels=class_levels)
            self.classes.append(school_class)
            classes.append(school_class)
            is_last = index == len(levels) - 1
            teacher = director if is_last else teachers.get(class_levels) or self.staff(academie)
            if teacher is not director:
                self.add_role(teacher, Profile.TEACHER, school=school)
            self.teach(teacher, school_class)
            # The school's families with no child in this class yet (a class is new, so all).
            elders = list(families)
            for _ in range(self.rng.randint(*pupils)):
                if neighbours and self.rng.random() < neighbour_rate:
                    family = _take(neighbours, self.rng.choice(neighbours))
                    families.append(family)
                elif elders and self.rng.random() < SIBLING_RATE:
                    family = _take(elders, self.rng.choice(elders))
                else:
                    family = self.new_family(academie)
                    families.append(family)
                self.pupil(school_class, family)
        return classes

    def flush(self) -> int:
        """Write everything built since the last flush; return the number of rows written."""
        rows = 0
        for model, objects in [
            (Person, self.people),
            (SchoolClass, self.classes),
            (Role, self.roles),
            (Enrolment, self.enrolments),
            (Teaching, self.teachings),
            (GuardianLink, self.links),
        ]:
            # Objects link to people and classes saved just before, whose ids are now known.
            bulk_insert(model, objects)
            self.totals[model._meta.model_name] += len(objects)
            rows += len(objects)
            objects.clear()
        return rows


def _take(families: list[Family], family: Family) -> Family:
    """Remove `family` (this very object) from `families` and return it."""
    del families[next(index for index, other in enumerate(families) if other is family)]
    return family


def bulk_insert(model, objects: list, *, as_given: bool = False) -> None:
    """Insert new objects in bulk and set their ids; by COPY on PostgreSQL.

    COPY skips most of the ORM's per-value work and the INSERT's parameters: on PostgreSQL it
    writes a synthetic académie about twice as fast as `bulk_create`. The ids come from the
    table's sequence first, so objects that point to these ones get them as `bulk_create`
    would give them. Foreign keys are read from the related objects saved before.

    `as_given` writes the dates the objects carry even in the fields Django fills itself
    (`auto_now`, `auto_now_add`), as a history that happened needs; an empty one gets now.
    """
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    given = _dates_given(model, objects) if as_given else set()
    if connection.vendor == "postgresql":
        _copy(model, objects, connection, given)
    elif given:
        _insert_raw(model, objects, connection, given)
    else:
        model.objects.bulk_create(objects, batch_size=2000)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def _dates_given(model, objects: list) -> set[str]:
    """The `auto_now(_add)` fields of `model` (attnames), set to now where an object left them empty."""
    automatic = [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    for obj in objects:
        for date_field in automatic:
            if getattr(obj, date_field.attname) is None:
                date_field.pre_save(obj, True)
    return {field.attname for field in automatic}


def _link_ids(related: list, obj) -> None:
    """A foreign key given as an object takes its id, now known; None stays None."""
    for key in related:
        if getattr(obj, key.attname) is None and key.is_cached(obj):
            target = key.get_cached_value(obj)
            setattr(obj, key.attname, None if target is None else target.pk)


def _copy(model, objects: list, connection, given: set[str]) -> None:
    meta = model._meta
    fields = meta.concrete_fields
    related = [field for field in fields if field.is_relation]
    plain = {field.attname for field in fields if not field.is_relation and not _copies_as_is(field)}

    def value(field, obj):
        value = getattr(obj, field.attname) if field.attname in given else field.pre_save(obj, True)
        return field.get_db_prep_save(value, connection) if field.attname in plain else value

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        new = [obj for obj in objects if obj.pk is None]
        if new:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(new)],
            )
            for obj, (pk,) in zip(new, cursor.fetchall(), strict=True):
                obj.pk = pk
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                _link_ids(related, obj)
                copy.write_row([value(field, obj) for field in fields])


def _insert_raw(model, objects: list, connection, given: set[str]) -> None:
    """`bulk_create` that leaves the `given` fields as the objects hold them: Django's raw insert
    (loaddata's), after the `pre_save` of the other fields."""
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.generated]
    related = [field for field in fields if field.is_relation]
    others = [field for field in fields if field.attname not in given]
    for obj in objects:
        _link_ids(related, obj)
        for other in others:
            other.pre_save(obj, True)
    queryset = model._base_manager.using(connection.alias)
    with transaction.atomic(using=connection.alias, savepoint=False):
        # As `bulk_create`: objects without an id get theirs from the database.
        _insert_rows(queryset, [obj for obj in objects if obj.pk is not None], fields)
        new = [field for field in fields if field is not meta.auto_field]
        _insert_rows(queryset, [obj for obj in objects if obj.pk is None], new, meta.db_returning_fields)


def _insert_rows(queryset, objects: list, fields: list, returning=()) -> None:
    if not objects:
        return
    size = min(2000, connections[queryset.db].ops.bulk_batch_size(fields, objects))
    for start in range(0, len(objects), size):
        batch = objects[start : start + size]
        rows = queryset._insert(batch, fields, returning_fields=list(returning) or None, raw=True)
        for obj, row in zip(batch, rows, strict=True) if returning else ():
            for column, found in zip(returning, row, strict=True):
                setattr(obj, column.attname, found)


def _copies_as_is(field) -> bool:
    """Whether psycopg writes this field's Python value as the column expects it."""
    return field.get_internal_type() in {
        "AutoField",
        "BigAutoField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "EmailField",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }


def _create_structures() -> dict[str, object]:
    """Régions, académies, départements, circonscriptions, communes and schools, by key."""
    found: dict[str, object] = {}
    for region_name, academies in STRUCTURES:
        region = RegionAcademique.objects.create(name=region_name)
        for name, code, zone, departements in academies:
            academie = Academie.objects.create(region=region, name=name, code=code, holiday_zone=zone)
            found[f"academie:{code}"] = academie
            for dep_code, dep_name in departements:
                found[f"departement:{dep_code}"] = Departement.objects.create(
                    academie=academie, code=dep_code, name=dep_name
                )
    regroupement, _created = Regroupement.objects.get_or_create(name=MOUTHOUMET_REGROUPEMENT)
    postcodes = {}
    for dep_code, name, insee, siret, address, postcode, circonscription_name in COMMUNES:
        postcodes[name] = postcode
        departement = found[f"departement:{dep_code}"]
        found[f"commune:{name}"] = Commune.objects.create(
            departement=departement,
            name=name,
            insee_code=insee,
            siret=siret,
            address=f"{address}, {postcode} {name}" if address else f"{postcode} {name}",
            regroupement=regroupement if name == "Mouthoumet" else None,
        )
        found[f"circonscription:{name}"] = Circonscription.objects.create(
            departement=departement, name=circonscription_name
        )
    for commune_name, uai, name, kind, sector, address, _levels in SCHOOLS:
        commune = found[f"commune:{commune_name}"]
        # No e-mail: the schools' real addresses must not receive demo notifications.
        found[f"school:{uai}"] = School.objects.create(
            uai=uai,
            name=name,
            kind=kind,
            sector=sector,
            commune=commune,
            circonscription=found[f"circonscription:{commune_name}"],
            address=address,
            postcode=postcodes[commune_name],
            city=commune_name,
        )
    return found


def _demo_person(
    populator: Populator, login: DemoLogin, academie: Academie, hashes: dict[str, str], now: datetime.datetime, **fields
) -> Person:
    if login.password not in hashes:
        hashes[login.password] = make_password(login.password)
    return populator.person(
        login.first_name,
        login.last_name,
        academie=academie,
        username=login.username,
        password=hashes[login.password],
        activated_at=now,
        **fields,
    )


def _by_levels(classes: list[SchoolClass], levels: str) -> SchoolClass:
    return next(c for c in classes if c.levels == levels)


def load_demo(*, seed: int = DEMO_SEED) -> dict[str, int] | None:
    """Build the demo académie; None (and nothing changed) if a région académique exists."""
    if RegionAcademique.objects.exists():
        return None
    started = time.monotonic()
    now = timezone.now()
    with transaction.atomic():
        found = _create_structures()
        populator = Populator(
            seed=seed, year=current_school_year(), taken_usernames=[login.username for login in DEMO_LOGINS]
        )
        toulouse = found["academie:16"]
        hashes: dict[str, str] = {}

        def demo(profile: str, **fields) -> Person:
            return _demo_person(populator, DEMO_LOGIN_BY_PROFILE[profile], toulouse, hashes, now, **fields)

        director = demo(Profile.DIRECTOR)
        teacher = demo(Profile.TEACHER)
        classes_by_uai = {}
        for _commune, uai, _name, _kind, _sector, _address, levels in SCHOOLS:
            school = found[f"school:{uai}"]
            academie = school.commune.departement.academie
            is_demo_school = uai == "0651067G"
            classes_by_uai[uai] = populator.fill_school(
                school,
                levels,
                academie=academie,
                director=director if is_demo_school else None,
                teachers={"CE1": teacher} if is_demo_school else None,
            )
        _place_demo_families(populator, found, classes_by_uai, demo)
        lannemezan = found["commune:Lannemezan"]
        for profile in (Profile.CITY_REFERENT, Profile.CITY_CONTRIBUTOR, Profile.PERISCOLAIRE):
            populator.add_role(demo(profile), profile, commune=lannemezan)
        populator.add_role(demo(Profile.IEN), Profile.IEN, circonscription=found["circonscription:Lannemezan"])
        populator.add_role(demo(Profile.DSDEN_ADMIN), Profile.DSDEN_ADMIN, departement=found["departement:65"])
        populator.add_role(demo(Profile.ACADEMIE_ADMIN), Profile.ACADEMIE_ADMIN, academie=toulouse)
        populator.flush()
        publish_default_charte(now)
        totals = {"schools": len(SCHOOLS), **populator.totals}
        world = DemoWorld(
            found=found,
            classes_by_uai={uai: [c for c in classes if c.pk] for uai, classes in classes_by_uai.items()},
            people={
                person.username: person
                for person in Person.objects.filter(username__in=[login.username for login in DEMO_LOGINS])
            },
            now=now,
        )
        totals.update(_populate_services(world))
        audit.record(None, "directory.demo_loaded", **totals)
    totals["seconds"] = round(time.monotonic() - started, 2)
    return totals


@dataclass
class DemoWorld:
    """What the services' demo content builds on (see `_populate_services`)."""

    found: dict  # "academie:16", "school:0651067G", "commune:Lannemezan", … → the object
    classes_by_uai: dict[str, list[SchoolClass]]
    people: dict[str, Person]  # the demo logins' accounts, by username ("julien.abadie", …)
    now: datetime.datetime

    def person(self, profile: str) -> Person:
        return self.people[DEMO_LOGIN_BY_PROFILE[profile].username]


def app_modules(name: str) -> list[tuple[AppConfig, ModuleType]]:
    """The module `name` ("demo_content", "bench_history") of each installed app that has one."""
    found = []
    for config in apps.get_app_configs():
        try:
            found.append((config, import_module(f"{config.name}.{name}")))
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.{name}":
                raise  # the module is there but imports something missing
    return found


def _populate_services(world: DemoWorld) -> dict[str, int]:
    """Each service's demo content: `populate(world)` of a `demo_content` module in its app.

    A service writes its content through its own actions, so the demo shows what the
    services really do (timeline entries included), and returns what it created. A module's
    optional `after_commit(world)` runs once the demo is committed, after everything the
    services queued on commit (the notifications' fan-outs, for instance).
    """
    totals: dict[str, int] = {}
    modules = [module for _config, module in app_modules("demo_content")]
    for module in modules:
        totals.update(module.populate(world) or {})
    for module in modules:
        if hasattr(module, "after_commit"):
            transaction.on_commit(lambda module=module: module.after_commit(world))
    return totals


def _place_demo_families(populator: Populator, found: dict, classes_by_uai: dict, demo) -> None:
    """The demo parent's two children, the elected parent's child, a family across two schools."""
    bourtoulets = classes_by_uai["0651067G"]
    toulouse = found["academie:16"]
    fourcade = Family("Fourcade", [demo(Profile.PARENT)])
    fourcade.guardians.append(populator.person("Thomas", "Fourcade", academie=toulouse))
    populator.pupil(_by_levels(bourtoulets, "CE1"), fourcade, child=demo(Profile.PUPIL, adult=False), level="CE1")
    populator.pupil(_by_levels(bourtoulets, "CM2"), fourcade, first_name="Hugo", level="CM2")

    bensaid = Family("Bensaïd", [populator.person("Samira", "Bensaïd", academie=toulouse)])
    elected = demo(Profile.ELECTED_PARENT)
    bensaid.guardians.append(elected)
    populator.add_role(elected, Profile.ELECTED_PARENT, school=found["school:0651067G"])
    populator.pupil(_by_levels(bourtoulets, "GS CP"), bensaid, first_name="Inès", level="GS")

    vidal = Family(
        "Vidal",
        [
            populator.person("Céline", "Vidal", academie=toulouse),
            populator.person("Olivier", "Vidal", academie=toulouse),
        ],
    )
    populator.pupil(_by_levels(classes_by_uai["0120611Z"], "GS"), vidal, first_name="Emma", level="GS")
    populator.pupil(_by_levels(classes_by_uai["0120612A"], "CE2"), vidal, first_name="Lucas", level="CE2")


def publish_default_charte(now: datetime.datetime) -> CharteVersion:
    """The national charte (of no académie), first published with the demo's text if there is none."""
    charte = CharteVersion.objects.filter(academie__isnull=True).order_by("-version").first()
    if charte is None:
        charte = CharteVersion.objects.create(
            academie=None, version=1, title=CHARTE_TITLE, body=CHARTE_BODY, published_at=now
        )
        forget_current_charte(None)
    return charte
