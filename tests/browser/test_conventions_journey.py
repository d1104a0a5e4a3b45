"""The partnership, end to end: the académie sets the fee, draws up Lannemezan's convention with
its four schools and generates the PDF; the commune's référent downloads it and uploads the signed
copy; the dashboard shows the total. axe-core checks every page on the way."""

import io

import pytest
from playwright.sync_api import expect
from reportlab.pdfgen.canvas import Canvas

from preau.conventions.factories import seed_commune
from preau.conventions.models import Convention
from preau.directory.factories import TEST_PASSWORD, person_with_role
from preau.directory.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 750, "Convention ENT-école 2025-2026 — signée")
    canvas.save()
    return buffer.getvalue()


def sign_in(page, username: str) -> None:
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_academie_draws_up_lannemezan_and_the_commune_signs(page, settings, tmp_path, check_accessibility, sign_out):
    settings.MEDIA_ROOT = tmp_path
    lannemezan, schools = seed_commune("Lannemezan")
    academie = lannemezan.departement.academie
    admin = person_with_role(Profile.ACADEMIE_ADMIN, academie, username="marc.rouzaud")
    person_with_role(Profile.CITY_REFERENT, lannemezan, username="nathalie.cazaux")

    # The académie sets the year's fee.
    sign_in(page, admin.username)
    page.goto("/conventions/participations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Participations financières")
    check_accessibility(page)
    page.get_by_label("Participation par école (€ TTC)").fill("40")
    page.get_by_role("button", name="Enregistrer la participation").click()
    expect(page.locator("main")).to_contain_text("par école")
    expect(page.locator("tbody")).to_contain_text("40 €")

    # …draws up Lannemezan's convention: the commune first, then its schools.
    page.goto("/conventions/")
    check_accessibility(page)
    page.get_by_role("link", name="Nouvelle convention").click()
    page.get_by_label("Commune").select_option(label="Lannemezan")
    check_accessibility(page)
    page.get_by_role("button", name="Afficher les écoles de la commune").click()
    for school in schools:
        expect(page.get_by_label(school.name)).to_be_checked()
    check_accessibility(page)
    page.get_by_label("Signataire pour la collectivité").fill("Bernard Plano")
    page.get_by_label("Signataire pour l'académie").fill("Karim Benmiloud")
    page.get_by_role("button", name="Créer la convention").click()
    expect(page.locator("#montant")).to_contain_text("4 école(s) × 40 € = 160 €")
    check_accessibility(page)

    # …generates the PDF and sends it for signature.
    page.get_by_role("button", name="Générer le PDF").click()
    expect(page.get_by_role("link", name="Télécharger la convention (PDF)")).to_be_visible()
    page.get_by_role("button", name="Envoyer à la commune pour signature").click()
    expect(page.locator("main")).to_contain_text("envoyée pour signature")
    check_accessibility(page)
    sign_out()

    # The commune's référent downloads it, and uploads the signed copy.
    sign_in(page, "nathalie.cazaux")
    page.goto("/conventions/")
    page.get_by_role("link", name="Commune de Lannemezan").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la convention (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Déposer la convention signée").click()
    check_accessibility(page)
    page.get_by_label("Convention signée (PDF)").set_input_files(
        files=[{"name": "convention-signee.pdf", "mimeType": "application/pdf", "buffer": signed_pdf()}]
    )
    page.get_by_role("button", name="Enregistrer l'exemplaire signé").click()
    expect(page.locator("main")).to_contain_text("la convention est signée")
    expect(page.get_by_role("link", name="Exemplaire signé (PDF)")).to_be_visible()
    check_accessibility(page)
    sign_out()
    assert Convention.objects.get().state == Convention.State.SIGNED

    # The dashboard shows the total.
    sign_in(page, admin.username)
    page.goto("/conventions/tableau-de-bord/")
    expect(page.locator("#total-ecoles")).to_have_text("4")
    expect(page.locator("#total-du")).to_have_text("160 €")
    expect(page.locator("main")).to_contain_text("65 — Hautes-Pyrénées")
    check_accessibility(page)
