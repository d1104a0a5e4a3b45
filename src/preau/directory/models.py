"""The directory: structures, classes, groups, people, their profiles and family links.

Structures nest région académique › académie › département › circonscription › école; a
school also belongs to the commune (collectivité) that signs the convention for it. A
person holds any number of profiles (`Role`), each in one structure. Parents hold no role:
their scope follows their children (`GuardianLink`), as the AAF feed says it.
"""

import datetime
import operator
from functools import reduce

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import normalize_siret, normalize_uai, validate_siret, validate_uai


def school_year_of(day: datetime.date) -> int:
    """The school year a day belongs to, named by its first calendar year (2025 = 2025-2026).

    The year turns on 1 August: the summer belongs to the coming year, when directors
    prepare their classes.
    """
    return day.year if day.month >= 8 else day.year - 1


def current_school_year() -> int:
    return school_year_of(timezone.localdate())


def school_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


class Source(models.TextChoices):
    """Where a record comes from: the AAF feed only ever changes what it created."""

    AAF = "aaf", _("annuaire académique (AAF)")
    CSV = "csv", _("import de fichier")
    MANUAL = "manual", _("saisie manuelle")


class RegionAcademique(models.Model):
    name = models.CharField(_("nom"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("région académique")
        verbose_name_plural = _("régions académiques")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Academie(models.Model):
    class Zone(models.TextChoices):
        A = "A", _("zone A")
        B = "B", _("zone B")
        C = "C", _("zone C")

    region = models.ForeignKey(
        RegionAcademique,
        verbose_name=_("région académique"),
        on_delete=models.PROTECT,
        related_name="academies",
    )
    name = models.CharField(_("nom"), max_length=120, unique=True)
    # The national code of the académie (e.g. 16 for Toulouse), as ÉduConnect sends it.
    code = models.CharField(_("code"), max_length=4, unique=True)
    holiday_zone = models.CharField(_("zone de vacances"), max_length=1, choices=Zone.choices)

    class Meta:
        verbose_name = _("académie")
        verbose_name_plural = _("académies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    academie = models.ForeignKey(
        Academie, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="departements"
    )
    code = models.CharField(_("numéro"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=120)

    class Meta:
        verbose_name = _("département (DSDEN)")
        verbose_name_plural = _("départements (DSDEN)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Circonscription(models.Model):
    departement = models.ForeignKey(
        Departement,
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        related_name="circonscriptions",
    )
    name = models.CharField(_("nom"), max_length=120)
    code = models.CharField(_("code"), max_length=20, blank=True)
    # The AAF's ENTEcoleCirconscription value, within the département's académie.
    external_id = models.CharField(_("identifiant AAF"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("circonscription")
        verbose_name_plural = _("circonscriptions")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["departement", "name"], name="circonscription_unique_name")]

    def __str__(self) -> str:
        return self.name


class Regroupement(models.Model):
    """A grouping of communes (communauté de communes, SIVU, RPI) that may run schools."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])

    class Meta:
        verbose_name = _("regroupement de communes")
        verbose_name_plural = _("regroupements de communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A collectivité: it signs the convention for its schools (one per commune)."""

    departement = models.ForeignKey(
        Departement, verbose_name=_("département"), on_delete=models.PROTECT, related_name="communes"
    )
    regroupement = models.ForeignKey(
        Regroupement,
        verbose_name=_("regroupement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communes",
    )
    name = models.CharField(_("nom"), max_length=120)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True)
    # Blank for communes the AAF feed creates, until their convention gives the SIRET.
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    address = models.CharField(_("adresse"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["siret"], condition=~Q(siret=""), name="commune_unique_siret")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.siret = normalize_siret(self.siret)


class School(models.Model):
    class Kind(models.TextChoices):
        MATERNELLE = "maternelle", _("école maternelle")
        ELEMENTAIRE = "elementaire", _("école élémentaire")
        PRIMAIRE = "primaire", _("école primaire")

    class Sector(models.TextChoices):
        PUBLIC = "public", _("public")
        PRIVATE = "prive", _("privé")

    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    sector = models.CharField(_("secteur"), max_length=6, choices=Sector.choices, default=Sector.PUBLIC)
    circonscription = models.ForeignKey(
        Circonscription,
        verbose_name=_("circonscription"),
        on_delete=models.PROTECT,
        related_name="schools",
    )
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="schools")
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    # The AAF jointure of the school (ENTStructureJointure), unique within its académie.
    external_id = models.CharField(_("identifiant de jointure"), max_length=64, blank=True, db_index=True)
    source = models.CharField(_("origine"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    # Set when a full AAF import no longer lists the school (closed or merged in ONDE).
    detached_at = models.DateTimeField(_("absente de l'annuaire depuis"), null=True, blank=True)
    # Off while no convention covers the school (the conventions app decides).
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("école")
        verbose_name_plural = _("écoles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.uai = normalize_uai(self.uai)


class Level(models.TextChoices):
    TPS = "TPS", _("toute petite section")
    PS = "PS", _("petite section")
    MS = "MS", _("moyenne section")
    GS = "GS", _("grande section")
    CP = "CP", _("cours préparatoire")
    CE1 = "CE1", _("cours élémentaire 1")
    CE2 = "CE2", _("cours élémentaire 2")
    CM1 = "CM1", _("cours moyen 1")
    CM2 = "CM2", _("cours moyen 2")


LEVEL_ORDER = {code: index for index, code in enumerate(Level.values)}


class SchoolClass(models.Model):
    """A class of one school year. Last year's classes stay as history."""

    school = models.ForeignKey(School, verbose_name=_("école"), on_delete=models.CASCADE, related_name="classes")
    year = models.PositiveSmallIntegerField(_("année scolaire"), db_index=True)
    name = models.CharField(_("nom"), max_length=80)
    # Space-separated level codes: "CE1 CE2" for a multi-level class.
    levels = models.CharField(_("niveaux"), max_length=40)
    external_code = models.CharField(_("code AAF"), max_length=80, blank=True)
    pupils = models.ManyToManyField(
        "Person", through="Enrolment", related_name="pupil_classes", verbose_name=_("élèves")
    )
    teachers = models.ManyToManyField(
        "Person", through="Teaching", related_name="taught_classes", verbose_name=_("enseignants")
    )

    class Meta:
        verbose_name = _("classe")
        verbose_name_plural = _("classes")
        ordering = ["school", "year", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "year", "name"], name="class_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def level_list(self) -> list[str]:
        return sorted(self.levels.split(), key=lambda code: LEVEL_ORDER.get(code, 99))

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)


class PersonManager(UserManager):
    def get_by_natural_key(self, username: str):
        return self.get(username__iexact=username)


def full_name_of(first_name: str, last_name: str) -> str:
    """How Préau writes a person's name, "Léa FOURCADE" (`Person.full_name`, and labels copied in bulk)."""
    return f"{first_name} {last_name.upper()}".strip()


class Person(AbstractBaseUser, PermissionsMixin):
    """Anyone who may sign in to Préau, whatever their profiles."""

    Source = Source

    username = models.CharField(_("identifiant"), max_length=150, unique=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    academie = models.ForeignKey(
        Academie,
        verbose_name=_("académie d'origine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The AAF jointure id; unique within an académie only.
    external_id = models.CharField(_("identifiant de jointure"), max_length=64, blank=True)
    source = models.CharField(_("origine"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    # The AAF family the person comes from (Eleve, PersRelEleve, PersEducNat): a full import
    # detaches the people of the families it carries and no longer lists.
    external_category = models.CharField(_("famille AAF"), max_length=16, blank=True)
    is_active = models.BooleanField(_("compte actif"), default=True)
    is_staff = models.BooleanField(_("exploitant"), default=False)
    date_joined = models.DateTimeField(_("créé le"), default=timezone.now)
    detached_at = models.DateTimeField(_("détaché de l'annuaire le"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activé le"), null=True, blank=True)
    must_change_password = models.BooleanField(_("doit choisir son mot de passe"), default=False)
    # Bumped to sign the person out of every session at once.
    session_version = models.PositiveIntegerField(default=0)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = PersonManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        constraints = [
            # Logins are typed in any case and looked up case-insensitively: "Marie.Curie" and
            # "marie.curie" must never be two accounts.
            models.UniqueConstraint(
                Lower("username"),
                name="person_unique_username_ci",
                violation_error_message=_("Cet identifiant est déjà celui d'un autre compte."),
            ),
            models.UniqueConstraint(
                fields=["academie", "external_id"],
                condition=~Q(external_id=""),
                name="person_unique_jointure",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # The feed looks people up by batches of 2,000 jointures: PostgreSQL cannot use the
            # partial unique index above for a list that long, so it gets a plain one.
            models.Index(fields=["academie", "external_id"], name="person_jointure_lookup"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return full_name_of(self.first_name, self.last_name)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    def get_session_auth_hash(self) -> str:
        # Sessions carry this hash: bumping session_version ends them all.
        return f"{super().get_session_auth_hash()}.{self.session_version}"

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None


class Profile(models.TextChoices):
    PUPIL = "eleve", _("élève")
    TEACHER = "enseignant", _("enseignant·e")
    DIRECTOR = "directeur", _("directeur·trice d'école")
    PARENT = "parent", _("parent")
    ELECTED_PARENT = "parent_elu", _("parent élu")
    CITY_REFERENT = "referent_ville", _("référent·e ville")
    CITY_CONTRIBUTOR = "contributeur", _("contributeur·trice de la commune")
    PERISCOLAIRE = "periscolaire", _("intervenant·e périscolaire")
    ADVISOR = "conseiller", _("conseiller·ère pédagogique")
    ERUN = "erun", _("ERUN")
    IEN = "ien", _("IEN")
    DSDEN_ADMIN = "admin_dsden", _("administrateur·trice DSDEN")
    ACADEMIE_ADMIN = "admin_academie", _("administrateur·trice académique")


# Which structure each profile is held in. Parents have no role row (see module doc).
SCHOOL_PROFILES = {Profile.PUPIL, Profile.TEACHER, Profile.DIRECTOR, Profile.ELECTED_PARENT}
COMMUNE_PROFILES = {Profile.CITY_REFERENT, Profile.CITY_CONTRIBUTOR, Profile.PERISCOLAIRE}
CIRCONSCRIPTION_PROFILES = {Profile.ADVISOR, Profile.ERUN, Profile.IEN}
DEPARTEMENT_PROFILES = {Profile.DSDEN_ADMIN}
ACADEMIE_PROFILES = {Profile.ACADEMIE_ADMIN}
# The structure each profile is held in, in the order of Role's fields.
ROLE_STRUCTURES = {
    "school": SCHOOL_PROFILES,
    "commune": COMMUNE_PROFILES,
    "circonscription": CIRCONSCRIPTION_PROFILES,
    "departement": DEPARTEMENT_PROFILES,
    "academie": ACADEMIE_PROFILES,
}
STAFF_PROFILES = (
    {Profile.TEACHER, Profile.DIRECTOR} | CIRCONSCRIPTION_PROFILES | DEPARTEMENT_PROFILES | ACADEMIE_PROFILES
)

# The national profile codes of the SDET (national-formats.md §1.3).
NATIONAL_PROFILE = {
    Profile.PUPIL: "National_ELV",
    Profile.TEACHER: "National_ENS",
    Profile.DIRECTOR: "National_DIR",
    Profile.PARENT: "National_TUT",
    Profile.ELECTED_PARENT: "National_TUT",
    Profile.CITY_REFERENT: "National_COL",
    Profile.CITY_CONTRIBUTOR: "National_COL",
    Profile.PERISCOLAIRE: "National_COL",
    Profile.ADVISOR: "National_ACA",
    Profile.ERUN: "National_ACA",
    Profile.IEN: "National_ACA",
    Profile.DSDEN_ADMIN: "National_ACA",
    Profile.ACADEMIE_ADMIN: "National_ACA",
}


class Role(models.Model):
    """One profile of a person in one structure."""

    person = models.ForeignKey(Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="roles")
    profile = models.CharField(_("profil"), max_length=20, choices=Profile.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="roles")
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.CASCADE, related_name="roles")
    circonscription = models.ForeignKey(
        Circonscription, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    departement = models.ForeignKey(Departement, null=True, blank=True, on_delete=models.CASCADE, related_name="roles")
    academie = models.ForeignKey(Academie, null=True, blank=True, on_delete=models.CASCADE, related_name="roles")
    source = models.CharField(_("origine"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profils")
        constraints = [
            # One role per person, profile and structure (one constraint per kind of structure,
            # since SQLite cannot treat NULLs as equal in a unique constraint).
            *[
                models.UniqueConstraint(
                    fields=["person", "profile", structure],
                    condition=Q(**{f"{structure}__isnull": False}),
                    name=f"role_unique_in_{structure}",
                )
                for structure in ROLE_STRUCTURES
            ],
            # Exactly one structure, and the one the profile belongs to.
            models.CheckConstraint(
                condition=reduce(
                    operator.or_,
                    (
                        Q(profile__in=sorted(profiles), **{f"{s}__isnull": s != structure for s in ROLE_STRUCTURES})
                        for structure, profiles in ROLE_STRUCTURES.items()
                    ),
                ),
                name="role_structure_matches_profile",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_profile_display()} — {self.structure}"

    @property
    def structure(self):
        return self.school or self.commune or self.circonscription or self.departement or self.academie


class PupilRecord(models.Model):
    """What the registry (ONDE, through the AAF) says of a pupil beyond their identity."""

    pupil = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="pupil_record")
    ine = models.CharField(_("INE"), max_length=11, blank=True)
    level = models.CharField(_("niveau"), max_length=80, blank=True)
    canteen = models.BooleanField(_("restaurant scolaire"), default=False)
    transport = models.BooleanField(_("transport scolaire"), default=False)
    morning_care = models.BooleanField(_("garderie du matin"), default=False)
    evening_care = models.BooleanField(_("garderie du soir"), default=False)
    supervised_study = models.BooleanField(_("études surveillées"), default=False)

    class Meta:
        verbose_name = _("fiche élève")
        verbose_name_plural = _("fiches élèves")

    def __str__(self) -> str:
        return f"{self.pupil} ({self.ine or '—'})"


class Enrolment(models.Model):
    """A pupil in a class of a school year."""

    pupil = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="enrolments")
    source = models.CharField(_("origine"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inscription en classe")
        verbose_name_plural = _("inscriptions en classe")
        constraints = [models.UniqueConstraint(fields=["pupil", "school_class"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.pupil} — {self.school_class}"


class Teaching(models.Model):
    """A teacher of a class."""

    teacher = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="teachings")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="teachings")
    source = models.CharField(_("origine"), max_length=8, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        verbose_name = _("enseignement")
        verbose_name_plural = _("enseignements")
        constraints = [models.UniqueConstraint(fields=["teacher", "school_class"], name="teaching_unique")]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.school_class}"


class GuardianLink(models.Model):
    """A legal guardian (or another person in charge) of a pupil."""

    class Relationship(models.TextChoices):
        MOTHER = "mere", _("mère")
        FATHER = "pere", _("père")
        GUARDIAN = "tuteur", _("tuteur·trice")
        OTHER = "autre", _("autre personne en charge")

    guardian = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardian_links")
    relationship = models.CharField(_("lien"), max_length=8, choices=Relationship.choices)
    parental_authority = models.BooleanField(_("autorité parentale"), default=True)
    source = models.CharField(_("origine"), max_length=8, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        verbose_name = _("lien responsable–élève")
        verbose_name_plural = _("liens responsables–élèves")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "child"], name="guardian_link_unique"),
            models.CheckConstraint(condition=~Q(guardian=models.F("child")), name="guardian_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.child}"


class Group(models.Model):
    """A free group: a school's, a teacher's, or a commune's périscolaire group."""

    class Kind(models.TextChoices):
        SCHOOL = "ecole", _("groupe d'école")
        TEACHER = "enseignant", _("groupe d'enseignant")
        PERISCOLAIRE = "periscolaire", _("groupe périscolaire")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=120)
    year = models.PositiveSmallIntegerField(_("année scolaire"))
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="groups")
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.CASCADE, related_name="groups")
    owner = models.ForeignKey(
        Person,
        verbose_name=_("responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_groups",
    )
    external_code = models.CharField(_("code AAF"), max_length=80, blank=True)
    members = models.ManyToManyField(Person, related_name="member_groups", blank=True)

    class Meta:
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="periscolaire", commune__isnull=False) | Q(~Q(kind="periscolaire"), school__isnull=False)
                ),
                name="group_structure_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name
