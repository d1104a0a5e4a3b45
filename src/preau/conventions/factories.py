"""Factories for the conventions, and the seeds' communes and schools with their real UAI/SIRET."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from preau.directory.factories import (
    AcademieFactory,
    CirconscriptionFactory,
    CommuneFactory,
    DepartementFactory,
    SchoolFactory,
)

from . import dates
from .models import Convention, ConventionSchool, FeeSchedule


class FeeScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeSchedule

    academie = factory.SubFactory(AcademieFactory)
    school_year = 2025
    amount_per_school = Decimal("40.00")
    end_date = factory.LazyAttribute(lambda o: dates.default_end_date(o.school_year))


class ConventionFactory(factory.django.DjangoModelFactory):
    """A convention of a commune; `schools=[...]` enrols them (and sets the count and amount)."""

    class Meta:
        model = Convention
        skip_postgeneration_save = True

    commune = factory.SubFactory(CommuneFactory)
    departement = factory.SelfAttribute("commune.departement")
    academie = factory.SelfAttribute("commune.departement.academie")
    school_year = 2025
    academie_party = "Région académique Occitanie"
    academie_signatory_name = "Karim Benmiloud"
    academie_signatory_title = "recteur de l'académie de Toulouse"
    collectivite_name = factory.LazyAttribute(lambda o: f"Commune de {o.commune.name}")
    commune_signatory_name = "Maire"
    commune_signatory_title = "maire"
    place = "Toulouse"
    court = "tribunal administratif de Montpellier"
    fee_per_school = Decimal("40.00")
    end_date = factory.LazyAttribute(lambda o: dates.default_end_date(o.school_year))

    @factory.post_generation
    def schools(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        ConventionSchool.objects.bulk_create(
            ConventionSchool(convention=self, school=school, uai=school.uai, name=school.name) for school in extracted
        )
        self.school_count = len(extracted)
        self.amount_due = self.fee_per_school * len(extracted)
        self.save(update_fields=["school_count", "amount_due"])


def signed_convention(schools, *, signed_on: datetime.date | None = None, **fields) -> Convention:
    """A signed convention enrolling `schools`, as if its copy had been uploaded."""
    return ConventionFactory(
        schools=schools,
        commune=schools[0].commune,
        state=Convention.State.SIGNED,
        signed_on=signed_on or timezone.localdate(),
        **fields,
    )


# The seeds: (académie, code), (département code, name), commune, SIRET, address, schools (UAI, name).
SEEDS = {
    "Lannemezan": (
        ("Académie de Toulouse", "16"),
        ("65", "Hautes-Pyrénées"),
        "21650258300018",
        "1 place de la République, 65300 Lannemezan",
        [
            ("0651067G", "E.P.PU Bourtoulets"),
            ("0650768G", "E.P.PU Las Moulias"),
            ("0651068H", "E.P.PU Le Guerissa"),
            ("0651069J", "E.P.PU P. Bert P. Baratgin"),
        ],
    ),
    "Rodez": (
        ("Académie de Toulouse", "16"),
        ("12", "Aveyron"),
        "21120202300019",
        "place Eugène Raynaldy, 12000 Rodez",
        [
            ("0120612A", "E.E.PU Ferdinand Foch"),
            ("0120611Z", "E.M.PU Paraire"),
            ("0120595G", "E.P.PU Cambon"),
            ("0121221M", "E.P.PU Cardaillac"),
            ("0121250U", "E.P.PU Flaugergues"),
            ("0121325A", "E.P.PU François Mitterrand"),
            ("0121302A", "E.P.PU Gourgan"),
            ("0121236D", "E.P.PU Jean-Albert Bessière"),
            ("0120601N", "E.P.PU Paul Ramadier"),
            ("0121071Z", "E.P.PR Sainte-Procule"),
        ],
    ),
    "Le Boulou": (
        ("Académie de Montpellier", "11"),
        ("66", "Pyrénées-Orientales"),
        "21660024700011",
        "avenue Léon-Jean Grégory, 66160 Le Boulou",
        [("0660713S", "École élémentaire publique La Subéraie")],
    ),
}


def seed_commune(name: str, *, academies: dict | None = None):
    """The seed commune `name` with its real SIRET and schools (real UAI), in its académie.

    `academies` (name → Académie) lets several seed communes share their académie.
    """
    (academie_name, code), (dep_code, dep_name), siret, address, schools = SEEDS[name]
    academies = academies if academies is not None else {}
    if academie_name not in academies:
        academies[academie_name] = AcademieFactory(name=academie_name, code=code)
    departement = DepartementFactory(academie=academies[academie_name], code=dep_code, name=dep_name)
    circonscription = CirconscriptionFactory(departement=departement, name=name)
    commune = CommuneFactory(departement=departement, name=name, siret=siret, address=address)
    built = [
        SchoolFactory(uai=uai, name=school, commune=commune, circonscription=circonscription) for uai, school in schools
    ]
    return commune, built
