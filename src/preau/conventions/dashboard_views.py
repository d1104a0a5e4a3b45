"""The dashboard of the académie and the DSDEN, and its CSV export."""

import csv

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from preau.core import audit
from preau.core.errors import NotAllowed
from preau.core.pagination import page_of
from preau.directory.queries import access_of

from . import policy, queries
from .views import parse_year


def _require_dashboard(request) -> int:
    if not policy.can_view_dashboard(request.user):
        raise NotAllowed(_("Le tableau de bord est réservé à l'académie et aux DSDEN."))
    return parse_year(request, access_of(request.user).year)


@require_GET
def dashboard(request):
    """Schools enrolled per commune, département and académie; fees due and collected per year;
    conventions to renew; terminations in progress. A constant number of queries."""
    year = _require_dashboard(request)
    data = queries.dashboard_for(request.user, year)
    communes = page_of(request, queries.communes_of_year(request.user, year), per_page=50)
    current = access_of(request.user).year
    return render(
        request,
        "conventions/dashboard.html",
        {
            "title": _("Tableau de bord des conventions"),
            "year": year,
            "year_label": f"{year}-{year + 1}",
            "years": [(y, f"{y}-{y + 1}") for y in range(current + 1, current - 5, -1)],
            "data": data,
            "communes": communes,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "annee_scolaire",
    "departement",
    "commune",
    "siret",
    "collectivite",
    "etat",
    "ecoles",
    "uai",
    "participation_par_ecole",
    "montant",
    "titre",
    "titre_reference",
    "titre_emis_le",
    "titre_paye_le",
    "signee_le",
    "fin",
]


def _rows(conventions):
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for c in conventions.iterator(chunk_size=500):
        yield writer.writerow(
            [
                c.year_label,
                c.departement.code,
                c.commune.name,
                c.commune.siret,
                c.collectivite_name,
                c.get_state_display(),
                c.school_count,
                " ".join(school.uai for school in c.enrolled.all()),
                f"{c.fee_per_school:.2f}".replace(".", ","),
                f"{c.amount_due:.2f}".replace(".", ","),
                c.get_titre_state_display(),
                c.titre_reference,
                c.titre_issued_on.isoformat() if c.titre_issued_on else "",
                c.titre_paid_on.isoformat() if c.titre_paid_on else "",
                c.signed_on.isoformat() if c.signed_on else "",
                c.end_date.isoformat(),
            ]
        )


@require_GET
def dashboard_csv(request):
    """Every convention of the year in the person's scope, one per line (semicolons, UTF-8)."""
    year = _require_dashboard(request)
    audit.record(request.user, "conventions.exported", year=year)
    response = StreamingHttpResponse(
        _rows(queries.conventions_for_export(request.user, year)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="conventions-{year}-{year + 1}.csv"'
    return response
