"""The pages, end to end through the views: drawing up, signing, titre, dashboard, export, API."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from preau.conventions import actions, terms
from preau.conventions.models import Convention, FeeSchedule, TemplateVersion, Termination
from preau.directory.factories import person_with_role
from preau.directory.models import Commune, Profile

from .conftest import pdf_upload
from .helpers import draft, signed

pytestmark = pytest.mark.django_db


def test_admin_sets_the_fee_then_draws_up_lannemezan_in_two_steps(seeds, client_for, django_assert_max_num_queries):
    client = client_for(seeds.admin)
    response = client.post(
        "/conventions/participations/", {"academie": seeds.toulouse.pk, "school_year": seeds.year, "amount": "40"}
    )
    assert response.status_code == 302
    assert FeeSchedule.objects.get(school_year=seeds.year).amount_per_school == Decimal("40")
    with django_assert_max_num_queries(8):
        page = client.get("/conventions/nouvelle/")
    assert "Afficher les écoles de la commune" in page.content.decode()
    with django_assert_max_num_queries(9):
        page = client.get(f"/conventions/nouvelle/?commune={seeds.lannemezan.pk}")
    text = page.content.decode()
    assert all(school.name in text for school in seeds.lannemezan_schools)
    assert seeds.rodez_schools[0].name not in text
    data = {
        "commune": seeds.lannemezan.pk,
        "school_year": seeds.year,
        "schools": [school.pk for school in seeds.lannemezan_schools],
        "commune_signatory_name": "Bernard Plano",
        "commune_signatory_title": "Maire",
        "academie_signatory_name": "Karim Benmiloud",
        "academie_signatory_title": "recteur de l'académie de Toulouse",
    }
    response = client.post("/conventions/nouvelle/", data)
    convention = Convention.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/conventions/{convention.pk}/"
    with django_assert_max_num_queries(9):
        page = client.get(f"/conventions/{convention.pk}/").content.decode()
    assert "4 école(s) × 40 € = <strong>160 €</strong>" in page
    assert "0651069J" in page and "Générer le PDF" in page


def test_a_school_of_another_commune_cannot_be_slipped_in(seeds, client_for):
    terms.set_fee(seeds.admin, academie=seeds.toulouse, school_year=seeds.year, amount="40")
    response = client_for(seeds.admin).post(
        "/conventions/nouvelle/",
        {
            "commune": seeds.lannemezan.pk,
            "school_year": seeds.year,
            "schools": [seeds.rodez_schools[0].pk],
            "commune_signatory_name": "B",
            "commune_signatory_title": "Maire",
        },
    )
    assert response.status_code == 400
    assert not Convention.objects.exists()


def test_an_admin_cannot_draw_up_another_academies_commune(seeds, client_for):
    terms.set_fee(seeds.montpellier_admin, academie=seeds.montpellier, school_year=seeds.year, amount="45")
    page = client_for(seeds.admin).get(f"/conventions/nouvelle/?commune={seeds.le_boulou.pk}").content.decode()
    assert "Le Boulou" not in page  # not offered: the first step is shown again
    assert "Afficher les écoles de la commune" in page


def test_generate_send_then_the_referent_downloads_and_uploads_the_signed_copy(seeds, client_for):
    convention = draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    admin = client_for(seeds.admin)
    assert admin.post(f"/conventions/{convention.pk}/generer/").status_code == 302
    assert admin.post(f"/conventions/{convention.pk}/envoyer/").status_code == 302
    convention.refresh_from_db()
    assert convention.state == Convention.State.SENT and convention.pdf
    referent = client_for(seeds.referent)
    download = referent.get(f"/conventions/{convention.pk}/convention.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    page = referent.get(f"/conventions/{convention.pk}/signee/")
    assert page.status_code == 200
    response = referent.post(
        f"/conventions/{convention.pk}/signee/",
        {"upload": pdf_upload(), "signed_on": timezone.localdate().isoformat(), "mode": "papier"},
    )
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.state == Convention.State.SIGNED and convention.signature_mode == "papier"
    assert convention.signed_copy_uploaded_by == seeds.referent
    copy = referent.get(f"/conventions/{convention.pk}/exemplaire-signe.pdf")
    assert copy.status_code == 200


def test_a_signed_copy_must_really_be_a_pdf(seeds, client_for):
    convention = draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    actions.send_convention(seeds.admin, convention)
    fake = SimpleUploadedFile(
        "convention.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client_for(seeds.referent).post(
        f"/conventions/{convention.pk}/signee/",
        {"upload": fake, "signed_on": timezone.localdate().isoformat(), "mode": "electronique"},
    )
    assert response.status_code == 400
    assert "n'est pas d'un type accepté (PDF)" in html.unescape(response.content.decode())
    convention.refresh_from_db()
    assert convention.state == Convention.State.SENT and not convention.signed_copy


def test_a_signature_date_in_the_future_is_refused(seeds, client_for):
    convention = draft(seeds.admin, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    actions.send_convention(seeds.admin, convention)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(seeds.referent).post(
        f"/conventions/{convention.pk}/signee/",
        {"upload": pdf_upload(), "signed_on": tomorrow.isoformat(), "mode": "electronique"},
    )
    assert response.status_code == 400 and "futur" in response.content.decode()


def test_another_communes_referent_sees_nothing_of_lannemezan(seeds, client_for):
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    rodez = client_for(seeds.rodez_referent)
    assert rodez.get(f"/conventions/{convention.pk}/").status_code == 404
    assert rodez.get(f"/conventions/{convention.pk}/convention.pdf").status_code == 404
    assert rodez.get(f"/conventions/{convention.pk}/exemplaire-signe.pdf").status_code == 404
    assert rodez.post(f"/conventions/{convention.pk}/signee/", {"upload": pdf_upload()}).status_code == 404
    assert rodez.post(f"/conventions/{convention.pk}/resiliation/", {"grievances": "x"}).status_code == 404
    assert "Lannemezan" not in rodez.get("/conventions/").content.decode()
    assert rodez.get("/conventions/api/conventions/").json()["count"] == 0


def test_the_titre_is_issued_then_paid(seeds, client_for, sent_notices):
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    client = client_for(seeds.admin)
    today = timezone.localdate().isoformat()
    client.post(f"/conventions/{convention.pk}/titre/", {"step": "issue", "reference": "TP-2026-0412", "on": today})
    convention.refresh_from_db()
    assert convention.titre_state == Convention.Titre.ISSUED and convention.titre_reference == "TP-2026-0412"
    titre = next(n for n in sent_notices() if n.kind == "conventions.titre")
    assert titre.recipient_ids == (seeds.referent.pk,) and "160 €" in titre.title
    client.post(f"/conventions/{convention.pk}/titre/", {"step": "paid", "on": today})
    convention.refresh_from_db()
    assert convention.titre_state == Convention.Titre.PAID
    # The référent cannot record it.
    client_for(seeds.referent).post(f"/conventions/{convention.pk}/titre/", {"step": "cancel", "on": today})
    convention.refresh_from_db()
    assert convention.titre_state == Convention.Titre.PAID


def test_renew_from_the_page(seeds, client_for):
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    client = client_for(seeds.admin)
    response = client.post(f"/conventions/{convention.pk}/renouveler/", follow=True)
    assert "Fixez d'abord la participation" in html.unescape(response.content.decode())
    terms.set_fee(seeds.admin, academie=seeds.toulouse, school_year=seeds.year + 1, amount="40")
    response = client.post(f"/conventions/{convention.pk}/renouveler/")
    renewal = Convention.objects.get(school_year=seeds.year + 1)
    assert response["Location"] == f"/conventions/{renewal.pk}/"
    assert renewal.renewed_from == convention and renewal.state == Convention.State.DRAFT
    assert "Préparer le renouvellement" not in client.get(f"/conventions/{convention.pk}/").content.decode()


def test_edit_and_delete_a_draft(seeds, client_for):
    convention = draft(seeds.admin, seeds.rodez, seeds.rodez_schools, seeds.year)
    client = client_for(seeds.admin)
    assert client.get(f"/conventions/{convention.pk}/modifier/").status_code == 200
    response = client.post(
        f"/conventions/{convention.pk}/modifier/",
        {
            "schools": [s.pk for s in seeds.rodez_schools[:2]],
            "collectivite_name": "Ville de Rodez",
            "commune_signatory_name": "Christian Teyssèdre",
            "commune_signatory_title": "Maire",
            "academie_signatory_name": "Karim Benmiloud",
            "academie_signatory_title": "recteur",
        },
    )
    assert response.status_code == 302
    convention.refresh_from_db()
    assert (convention.school_count, convention.collectivite_name) == (2, "Ville de Rodez")
    assert client.post(f"/conventions/{convention.pk}/supprimer/").status_code == 302
    assert not Convention.objects.exists()


def test_termination_pages_follow_the_procedure(seeds, client_for):
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    referent = client_for(seeds.referent)
    page = referent.get(f"/conventions/{convention.pk}/resiliation/").content.decode()
    assert "Vous agissez pour la collectivité" in page and "résiliation effective au plus tôt" in page
    notice_day = convention.signed_on
    response = referent.post(
        f"/conventions/{convention.pk}/resiliation/",
        {"notice_date": notice_day.isoformat(), "grievances": "Pas d'assistance."},
    )
    termination = Termination.objects.get()
    assert response["Location"] == f"/conventions/resiliations/{termination.pk}/"
    page = referent.get(response["Location"]).content.decode()
    assert "Fin du délai de conciliation" in page
    admin = client_for(seeds.admin)
    response = admin.post(
        f"/conventions/resiliations/{termination.pk}/",
        {"step": "letter", "letter_date": notice_day.isoformat(), "reasons": "Échec."},
    )
    assert response.status_code == 302
    termination.refresh_from_db()
    assert termination.state == Termination.State.NOTIFIED
    assert termination.effective_date == notice_day + datetime.timedelta(days=15)
    assert client_for(seeds.rodez_referent).get(f"/conventions/resiliations/{termination.pk}/").status_code == 404


def test_the_model_page_saves_a_version_and_previews_it(seeds, client_for):
    client = client_for(seeds.admin)
    page = client.get("/conventions/modele/")
    assert page.status_code == 200 and "texte par défaut de Préau" in page.content.decode()
    data = {**terms.template_defaults(seeds.toulouse), "signatory_name": "Karim Benmiloud"}
    data["articles"] += "\n\n## Clause {{ inconnue }}\nTexte."
    response = client.post(f"/conventions/modele/?academie={seeds.toulouse.pk}", data)
    assert response.status_code == 400 and "Champs inconnus" in response.content.decode()
    data["articles"] = data["articles"].replace("{{ inconnue }}", "locale")
    assert client.post(f"/conventions/modele/?academie={seeds.toulouse.pk}", data).status_code == 302
    assert TemplateVersion.objects.get().version == 1
    preview = client.get(f"/conventions/modele/apercu.pdf?academie={seeds.toulouse.pk}")
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")


def test_directors_see_whether_their_school_is_covered(seeds, client_for, django_assert_max_num_queries):
    director = person_with_role(Profile.DIRECTOR, seeds.lannemezan_schools[0])
    client = client_for(director)
    page = html.unescape(client.get("/conventions/ecoles/").content.decode())
    assert "Aucune convention signée ne couvre encore l'école" in page
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    with django_assert_max_num_queries(8):
        page = client.get("/conventions/ecoles/").content.decode()
    assert f"Couverte par la convention {convention.year_label} de la commune de Lannemezan" in page
    assert "160" not in page  # no amounts for directors
    assert seeds.lannemezan_schools[1].name not in page  # only their own school
    referent_page = client_for(seeds.referent).get("/conventions/ecoles/").content.decode()
    assert all(school.name in referent_page for school in seeds.lannemezan_schools)


# --- Lists and dashboard: query counts that do not grow with the data ---------------------------


def _many_conventions(seeds, count: int) -> None:
    """`count` conventions of the year over as many communes of Hautes-Pyrénées, in every state."""
    departement = seeds.lannemezan.departement
    communes = Commune.objects.bulk_create(
        Commune(departement=departement, name=f"Commune {index:04d}") for index in range(count)
    )
    states = [Convention.State.SIGNED, Convention.State.SENT, Convention.State.EXPIRED, Convention.State.DRAFT]
    Convention.objects.bulk_create(
        Convention(
            academie=seeds.toulouse,
            departement=departement,
            commune=commune,
            school_year=seeds.year,
            state=states[index % 4],
            academie_party="Région académique Occitanie",
            academie_signatory_name="K. B.",
            academie_signatory_title="recteur",
            collectivite_name=f"Commune de {commune.name}",
            commune_signatory_name="Maire",
            commune_signatory_title="Maire",
            place="Toulouse",
            court="TA",
            fee_per_school=Decimal("40"),
            school_count=2,
            amount_due=Decimal("80"),
            end_date=datetime.date(seeds.year + 1, 9, 5),
            titre_state=Convention.Titre.PAID if index % 8 == 0 else Convention.Titre.TO_ISSUE,
        )
        for index, commune in enumerate(communes)
    )


@pytest.mark.parametrize("count", [5, 500])
def test_the_dashboard_costs_the_same_with_5_or_500_conventions(
    seeds, client_for, count, django_assert_max_num_queries
):
    _many_conventions(seeds, count)
    client = client_for(seeds.admin)
    with django_assert_max_num_queries(16):
        response = client.get(f"/conventions/tableau-de-bord/?annee={seeds.year}")
    assert response.status_code == 200
    data = response.context["data"]
    signed_count = len(range(0, count, 4))
    expired = len(range(2, count, 4))
    assert data.totals["conventions"] == signed_count + expired
    assert data.totals["schools"] == 2 * (signed_count + expired)
    assert data.totals["due"] == Decimal(80 * (signed_count + expired))
    assert data.totals["collected"] == Decimal(80 * len(range(0, count, 8)))


@pytest.mark.parametrize("count", [5, 500])
def test_the_list_and_the_api_cost_the_same_with_5_or_500(seeds, client_for, count, django_assert_max_num_queries):
    _many_conventions(seeds, count)
    client = client_for(seeds.admin)
    with django_assert_max_num_queries(8):
        assert client.get("/conventions/").status_code == 200
    with django_assert_max_num_queries(7):
        body = client.get(f"/conventions/api/conventions/?annee={seeds.year}").json()
    assert body["count"] == count and len(body["results"]) == min(count, 50)


def test_the_dashboard_shows_the_seeds_totals_and_the_dsden_only_its_departement(seeds, client_for):
    signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    signed(seeds.admin, seeds.rodez_referent, seeds.rodez, seeds.rodez_schools, seeds.year)
    page = client_for(seeds.admin).get("/conventions/tableau-de-bord/").content.decode()
    assert "560 €" in page  # 160 € + 400 €
    assert "65 — Hautes-Pyrénées" in page and "12 — Aveyron" in page
    assert "<td>Académie de Toulouse</td><td>2</td><td>14</td><td>560 €</td>" in page
    dsden = person_with_role(Profile.DSDEN_ADMIN, seeds.rodez.departement)
    dsden_page = client_for(dsden).get("/conventions/tableau-de-bord/").content.decode()
    assert "400 €" in dsden_page and "560 €" not in dsden_page and "Lannemezan" not in dsden_page


def test_the_csv_export_lists_each_convention_with_its_schools(seeds, client_for, django_assert_max_num_queries):
    signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    client = client_for(seeds.admin)
    with django_assert_max_num_queries(8):
        response = client.get(f"/conventions/tableau-de-bord/conventions.csv?annee={seeds.year}")
        body = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("annee_scolaire;departement;commune;siret")
    assert (
        "Lannemezan;21650258300018;Commune de Lannemezan;signée;4;0650768G 0651067G 0651068H 0651069J;40,00;160,00"
        in (lines[1])
    )


def test_the_api_gives_one_convention_with_its_schools(seeds, client_for):
    convention = signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)
    body = client_for(seeds.referent).get(f"/conventions/api/conventions/{convention.pk}/").json()
    assert body["amount_due"] == "160.00" and body["commune"]["siret"] == "21650258300018"
    assert [s["uai"] for s in body["schools_enrolled"]] == ["0650768G", "0651067G", "0651068H", "0651069J"]
    assert body["signatories"]["collectivite"]["name"] == "Bernard Plano"
