"""The convention as a PDF: generated from the académie's model, with parties, schools and amounts."""

import io
import re

import pytest
from pypdf import PdfReader

from preau.conventions import actions, template_text, terms
from preau.conventions.models import Convention
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry

from .helpers import draft

pytestmark = pytest.mark.django_db


def pdf_text(field_file) -> str:
    field_file.open("rb")
    reader = PdfReader(io.BytesIO(field_file.read()))
    field_file.close()
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_generated_convention_names_the_parties_schools_year_and_amounts(seeds):
    convention = draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools, 2025)
    actions.generate_convention_pdf(seeds.admin, convention)
    convention.refresh_from_db()
    text = pdf_text(convention.pdf)
    assert "RÉGION ACADÉMIQUE OCCITANIE" in text
    assert "COMMUNE DE LANNEMEZAN" in text
    assert "SIRET : 21650258300018" in text
    assert "Représentée par Bernard Plano, en sa qualité de Maire" in text
    assert "Année scolaire 2025-2026" in text
    for uai in ("0651067G", "0650768G", "0651068H", "0651069J"):
        assert uai in text
    assert "4 école(s) × 40 € = 160 €" in text
    assert "fixée à 40 € TTC par école" in text
    assert "prend fin le 5 septembre 2026" in text
    assert "Total : 4 école(s) × 40 € = 160 €" in text  # annex 1
    # The articles of the seeds, in their order, numbered.
    titles = [
        "Objet",
        "Services offerts",
        "Engagements des parties",
        "Participation financière",
        "Mesure d'audience",
        "Responsabilité de publication",
        "Assistance aux usagers",
        "Protection des données personnelles",
        "Écoles inscrites et montant dû",
        "Durée",
        "Modification et résiliation",
    ]
    positions = [text.index(f"Article {number} – {title}") for number, title in enumerate(titles, start=1)]
    assert positions == sorted(positions)
    assert "quinze jours" in text and "dans un délai d'un mois" in text
    assert convention.template is None  # Préau's default text
    entry = AuditEntry.objects.get(action="conventions.pdf_generated")
    assert entry.details["version"] == 0 and entry.academie_id == seeds.toulouse.id


def test_rodez_lists_its_ten_schools_and_400_euros(seeds):
    convention = draft(seeds.admin, seeds.rodez, seeds.rodez_schools, 2025)
    actions.generate_convention_pdf(seeds.admin, convention)
    convention.refresh_from_db()
    text = pdf_text(convention.pdf)
    assert "10 école(s) × 40 € = 400 €" in text
    assert all(school.uai in text for school in seeds.rodez_schools)
    assert "SIRET : 21120202300019" in text


def test_the_academie_edits_its_model_and_the_next_pdf_follows_it(seeds):
    values = terms.template_defaults(seeds.toulouse)
    values.update(
        party_name="Région académique Occitanie",
        signatory_name="Karim Benmiloud",
        signatory_title="recteur de l'académie de Toulouse",
        court="tribunal administratif de Montpellier",
        articles=values["articles"] + "\n\n## Clause locale\nLa commune {{ commune }} verse {{ montant_total }}.",
    )
    template = terms.save_template(seeds.admin, academie=seeds.toulouse, **values)
    assert template.version == 1
    convention = draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools, 2025)
    assert convention.academie_signatory_name == "Karim Benmiloud"
    actions.generate_convention_pdf(seeds.admin, convention)
    convention.refresh_from_db()
    text = pdf_text(convention.pdf)
    assert "Article 12 – Clause locale" in text
    assert "La commune Lannemezan verse 160 €." in text
    assert "tribunal administratif de Montpellier" in text
    assert convention.template == template
    second = terms.save_template(seeds.admin, academie=seeds.toulouse, **values)
    assert second.version == 2


@pytest.mark.parametrize(
    ("articles", "message"),
    [
        ("Un texte sans article.", "au moins un article"),
        ("## Objet\nMontant : {{ montant }}.", "Champs inconnus : {{ montant }}"),
        ("## Objet\n{{ academie.__class__ }}", "Champs inconnus"),
    ],
)
def test_a_model_with_unknown_fields_or_no_article_is_refused(seeds, articles, message):
    values = {**terms.template_defaults(seeds.toulouse), "signatory_name": "K. Benmiloud", "articles": articles}
    with pytest.raises(DomainError, match=re.escape(message)):
        terms.save_template(seeds.admin, academie=seeds.toulouse, **values)


def test_markup_in_values_is_printed_as_text(seeds):
    convention = draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools, 2025)
    Convention.objects.filter(pk=convention.pk).update(commune_signatory_name="<b>Plano</b> & fils")
    convention.refresh_from_db()
    actions.generate_convention_pdf(seeds.admin, convention)
    assert "<b>Plano</b> & fils" in pdf_text(convention.pdf)


def test_a_signed_convention_is_not_regenerated_and_others_cannot_generate(seeds):
    convention = draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools, 2025)
    with pytest.raises(NotAllowed):
        actions.generate_convention_pdf(seeds.referent, convention)
    with pytest.raises(NotAllowed):
        actions.generate_convention_pdf(seeds.montpellier_admin, convention)
    Convention.objects.filter(pk=convention.pk).update(state=Convention.State.SIGNED)
    convention.refresh_from_db()
    with pytest.raises(NotAllowed):
        actions.generate_convention_pdf(seeds.admin, convention)


def test_the_default_text_is_preau_s_own_and_fills_every_placeholder(seeds):
    for text in (template_text.DEFAULT_PREAMBLE, template_text.DEFAULT_ARTICLES):
        assert template_text.unknown_placeholders(text) == []
    blocks = template_text.parse(template_text.DEFAULT_ARTICLES)
    assert [b.number for b in blocks if b.kind == "subarticle"] == ["3.1", "3.2"]
    assert sum(1 for b in blocks if b.kind == "list") == 1
