"""The fee: set by the académie per year, times the enrolled schools (the seeds' cases)."""

import datetime
from decimal import Decimal

import pytest

from preau.conventions import actions, terms
from preau.conventions.models import Convention, FeeSchedule
from preau.conventions.pdf import euros
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry

from .helpers import draft

pytestmark = pytest.mark.django_db


def test_lannemezan_enrols_four_schools_at_40_euros_for_160(seeds):
    convention = draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools, 2025)
    assert convention.school_count == 4
    assert convention.fee_per_school == Decimal("40.00")
    assert convention.amount_due == Decimal("160.00")
    assert sorted(convention.enrolled.values_list("uai", flat=True)) == ["0650768G", "0651067G", "0651068H", "0651069J"]
    assert convention.end_date == datetime.date(2026, 9, 5)  # art. 10 of the 2025 conventions
    assert convention.collectivite_name == "Commune de Lannemezan"


def test_rodez_enrols_ten_schools_at_40_euros_for_400(seeds):
    convention = draft(seeds.admin, seeds.rodez, seeds.rodez_schools, 2025)
    assert (convention.school_count, convention.amount_due) == (10, Decimal("400.00"))
    assert "0121071Z" in convention.enrolled.values_list("uai", flat=True)  # the private school too


def test_le_boulou_enrols_one_school_at_45_euros_in_2023(seeds):
    terms.set_fee(
        seeds.montpellier_admin,
        academie=seeds.montpellier,
        school_year=2023,
        amount="45",
        end_date=datetime.date(2024, 9, 1),
    )
    convention = actions.create_convention(
        seeds.montpellier_admin,
        commune=seeds.le_boulou,
        school_year=2023,
        schools=seeds.le_boulou_schools,
        commune_signatory_name="François Comes",
        commune_signatory_title="Maire",
        academie_signatory_name="Sophie Béjean",
        academie_signatory_title="rectrice de la région académique Occitanie",
    )
    assert (convention.school_count, convention.amount_due) == (1, Decimal("45.00"))
    assert convention.end_date == datetime.date(2024, 9, 1)  # as the 2023-2024 convention says


def test_the_2021_fee_was_50_euros(seeds):
    fee = terms.set_fee(seeds.montpellier_admin, academie=seeds.montpellier, school_year=2021, amount=Decimal("50"))
    assert fee.amount_per_school == Decimal("50.00")
    assert fee.end_date == datetime.date(2022, 9, 3)  # default: the Saturday of the rentrée week


def test_a_new_fee_updates_drafts_but_not_conventions_already_sent(seeds):
    sent = draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    actions.send_convention(seeds.admin, sent)
    still_draft = actions.create_convention(
        seeds.admin,
        commune=seeds.rodez,
        school_year=seeds.year,
        schools=seeds.rodez_schools[:3],
        commune_signatory_name="Christian Teyssedre",
        commune_signatory_title="Maire",
        academie_signatory_name="Karim Benmiloud",
    )
    terms.set_fee(seeds.admin, academie=seeds.toulouse, school_year=seeds.year, amount="42.5")
    sent.refresh_from_db()
    still_draft.refresh_from_db()
    assert sent.amount_due == Decimal("160.00")
    assert (still_draft.fee_per_school, still_draft.amount_due) == (Decimal("42.50"), Decimal("127.50"))
    assert FeeSchedule.objects.get(academie=seeds.toulouse, school_year=seeds.year).amount_per_school == Decimal("42.5")
    entry = AuditEntry.objects.filter(action="conventions.fee_set").first()
    assert entry.details["drafts_updated"] == 1 and entry.academie_id == seeds.toulouse.id


@pytest.mark.parametrize("amount", ["-1", "10000", "quarante"])
def test_a_wrong_fee_is_refused_in_french(seeds, amount):
    with pytest.raises(DomainError) as refused:
        terms.set_fee(seeds.admin, academie=seeds.toulouse, school_year=2025, amount=amount)
    assert refused.value.field == "amount"
    assert not FeeSchedule.objects.exists()


def test_an_end_date_outside_the_next_year_is_refused(seeds):
    with pytest.raises(DomainError, match="doit tomber entre juin et décembre 2026"):
        terms.set_fee(
            seeds.admin, academie=seeds.toulouse, school_year=2025, amount="40", end_date=datetime.date(2025, 9, 5)
        )


def test_only_the_academies_own_administrators_set_its_fee(seeds):
    with pytest.raises(NotAllowed):
        terms.set_fee(seeds.montpellier_admin, academie=seeds.toulouse, school_year=2025, amount="40")
    with pytest.raises(NotAllowed):
        terms.set_fee(seeds.referent, academie=seeds.toulouse, school_year=2025, amount="1")


def test_a_convention_needs_the_years_fee_first(seeds):
    with pytest.raises(DomainError, match="Fixez d'abord la participation"):
        actions.create_convention(
            seeds.admin,
            commune=seeds.lannemezan,
            school_year=2025,
            schools=seeds.lannemezan_schools,
            commune_signatory_name="B. Plano",
            commune_signatory_title="Maire",
        )
    assert not Convention.objects.exists()


def test_a_commune_enrols_only_its_own_schools(seeds):
    with pytest.raises(DomainError, match="n'est pas une école de la commune Lannemezan"):
        draft(seeds.admin, seeds.lannemezan, [*seeds.lannemezan_schools, seeds.rodez_schools[0]], 2025)


def test_one_convention_per_commune_and_year(seeds):
    draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools, 2025)
    with pytest.raises(DomainError, match="déjà une convention pour 2025-2026"):
        draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools[:1], 2025)


def test_editing_the_schools_recomputes_the_amount(seeds):
    convention = draft(seeds.admin, seeds.rodez, seeds.rodez_schools, 2025)
    actions.update_convention(
        seeds.admin,
        convention,
        schools=seeds.rodez_schools[:7],
        collectivite_name="Commune de Rodez",
        commune_signatory_name="Christian Teyssedre",
        commune_signatory_title="Maire",
        academie_signatory_name="Karim Benmiloud",
        academie_signatory_title="recteur de l'académie de Toulouse",
    )
    convention.refresh_from_db()
    assert (convention.school_count, convention.amount_due) == (7, Decimal("280.00"))


@pytest.mark.parametrize(
    ("amount", "text"),
    [(Decimal("40"), "40 €"), (Decimal("42.5"), "42,50 €"), (Decimal("1200"), "1 200 €"), (Decimal("0"), "0 €")],
)
def test_amounts_read_the_french_way(amount, text):
    assert euros(amount) == text
