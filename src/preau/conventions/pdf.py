"""The convention as a PDF (reportlab), from the académie's model with the values filled in.

Parties, preamble, numbered articles, signatures, then annex 1 (the enrolled schools with
their UAI and the amount). Same house style as accounts/pdf.py: A4, Helvetica, blue titles.
"""

import io
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from . import template_text

BLUE = colors.HexColor("#000091")
GREY = colors.HexColor("#666666")
MARGIN = 20 * mm

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=5)
STYLES = {
    "body": _BASE,
    "small": ParagraphStyle("small", parent=_BASE, fontSize=8.5, leading=11, textColor=GREY),
    "brand": ParagraphStyle("brand", parent=_BASE, fontName="Helvetica-Bold", fontSize=12, textColor=BLUE),
    "title": ParagraphStyle(
        "title",
        parent=_BASE,
        fontName="Helvetica-Bold",
        fontSize=15,
        leading=19,
        alignment=TA_CENTER,
        textColor=BLUE,
        spaceBefore=8,
        spaceAfter=12,
    ),
    "party": ParagraphStyle("party", parent=_BASE, fontName="Helvetica-Bold", spaceAfter=1),
    "line": ParagraphStyle("line", parent=_BASE, spaceAfter=1),
    "heading": ParagraphStyle(
        "heading",
        parent=_BASE,
        fontName="Helvetica-Bold",
        fontSize=11.5,
        leading=15,
        textColor=BLUE,
        spaceBefore=9,
        spaceAfter=4,
    ),
    "subheading": ParagraphStyle(
        "subheading", parent=_BASE, fontName="Helvetica-Bold", fontSize=10.5, spaceBefore=5, spaceAfter=3
    ),
}


def euros(amount: Decimal) -> str:
    """40 → "40 €", 42.5 → "42,50 €", 1200 → "1 200 €" (French, as the conventions write it)."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = divmod(abs(amount) * 100, 100)
    digits = f"{int(whole):,}".replace(",", " ")
    text = digits if cents == 0 else f"{digits},{int(cents):02d}"
    return f"{'-' if amount < 0 else ''}{text} €"


@dataclass(frozen=True)
class Rendering:
    """What a PDF says besides the model: from a convention or, for a preview, made up."""

    title: str
    preamble: str
    articles: str
    academie_party: str
    academie_address: str
    academie_signatory_name: str
    academie_signatory_title: str
    collectivite_name: str
    commune_name: str
    commune_siret: str
    commune_address: str
    commune_signatory_name: str
    commune_signatory_title: str
    place: str
    court: str
    year_label: str
    fee_per_school: Decimal
    schools: list[tuple[str, str]]  # (UAI, name)
    end_date_label: str
    date_label: str
    is_preview: bool = False

    @property
    def total(self) -> Decimal:
        return self.fee_per_school * len(self.schools)

    def values(self) -> dict[str, str]:
        return {
            "academie": self.academie_party,
            "collectivite": self.collectivite_name,
            "commune": self.commune_name,
            "annee_scolaire": self.year_label,
            "montant_par_ecole": euros(self.fee_per_school),
            "nombre_ecoles": str(len(self.schools)),
            "montant_total": euros(self.total),
            "date_fin": self.end_date_label,
            "liste_ecoles": ", ".join(f"{name} ({uai})" for uai, name in self.schools) or "—",
            "lieu": self.place,
            "juridiction": self.court,
        }


def rendering_of(convention, template, *, today) -> Rendering:
    """The rendering of a convention with its model (a TemplateVersion, or None for the default)."""
    commune = convention.commune
    return Rendering(
        title=template.title if template else template_text.DEFAULT_TITLE,
        preamble=template.preamble if template else template_text.DEFAULT_PREAMBLE,
        articles=template.articles if template else template_text.DEFAULT_ARTICLES,
        academie_party=convention.academie_party,
        academie_address=convention.academie_address,
        academie_signatory_name=convention.academie_signatory_name,
        academie_signatory_title=convention.academie_signatory_title,
        collectivite_name=convention.collectivite_name,
        commune_name=commune.name,
        commune_siret=commune.siret,
        commune_address=commune.address,
        commune_signatory_name=convention.commune_signatory_name,
        commune_signatory_title=convention.commune_signatory_title,
        place=convention.place,
        court=convention.court,
        year_label=convention.year_label,
        fee_per_school=convention.fee_per_school,
        schools=[(school.uai, school.name) for school in convention.enrolled.all()],
        end_date_label=date_format(convention.end_date, "j F Y"),
        date_label=date_format(today, "j F Y"),
    )


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text), STYLES[style])


def _text_blocks(text: str, values: dict[str, str]) -> list:
    flowables: list = []
    for block in template_text.parse(template_text.fill(text, values)):
        if block.kind == "article":
            flowables.append(
                _p(_("Article %(number)s – %(title)s") % {"number": block.number, "title": block.text}, "heading")
            )
        elif block.kind == "subarticle":
            flowables.append(_p(f"{block.number} {block.text}", "subheading"))
        elif block.kind == "list":
            items = [ListItem(_p(item), leftIndent=12, value="•") for item in block.items]
            flowables.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12, bulletFontSize=8))
        else:
            flowables.append(_p(block.text))
    return flowables


def _parties(r: Rendering) -> list:
    academie = [
        _p(_("Entre :"), "line"),
        _p(r.academie_party.upper(), "party"),
        *([_p(r.academie_address, "line")] if r.academie_address else []),
        _p(
            _("Représentée par %(name)s, en sa qualité de %(title)s")
            % {"name": r.academie_signatory_name, "title": r.academie_signatory_title},
            "line",
        ),
        _p(_("ci-après dénommée « l'académie »"), "body"),
    ]
    collectivite = [
        _p(_("Et :"), "line"),
        _p(r.collectivite_name.upper(), "party"),
        *(
            [_p(_("Commune : %(name)s") % {"name": r.commune_name}, "line")]
            if r.commune_name.lower() not in r.collectivite_name.lower()
            else []
        ),
        *([_p(_("SIRET : %(siret)s") % {"siret": r.commune_siret}, "line")] if r.commune_siret else []),
        *([_p(_("Adresse : %(address)s") % {"address": r.commune_address}, "line")] if r.commune_address else []),
        _p(
            _("Représentée par %(name)s, en sa qualité de %(title)s")
            % {"name": r.commune_signatory_name, "title": r.commune_signatory_title},
            "line",
        ),
        _p(_("ci-après dénommée « la collectivité »"), "body"),
    ]
    return [*academie, Spacer(1, 4), *collectivite, Spacer(1, 6)]


def _signatures(r: Rendering) -> list:
    cell = STYLES["line"]
    table = Table(
        [
            [
                Paragraph(escape(_("Pour la collectivité")), STYLES["party"]),
                Paragraph(escape(_("Pour l'académie")), STYLES["party"]),
            ],
            [
                Paragraph(escape(f"{r.commune_signatory_name}, {r.commune_signatory_title}"), cell),
                Paragraph(escape(f"{r.academie_signatory_name}, {r.academie_signatory_title}"), cell),
            ],
            ["", ""],
        ],
        colWidths=[(A4[0] - 2 * MARGIN) / 2] * 2,
        rowHeights=[None, None, 28 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    place = _("Fait à %(place)s, le ____________________, en deux exemplaires.") % {"place": r.place}
    return [KeepTogether([Spacer(1, 10), _p(place), Spacer(1, 4), table])]


def _annex(r: Rendering) -> list:
    header = [_("N°"), _("UAI"), _("École"), _("Participation")]
    rows = [
        [str(index), uai, Paragraph(escape(name), STYLES["line"]), euros(r.fee_per_school)]
        for index, (uai, name) in enumerate(r.schools, start=1)
    ]
    total = _("Total : %(count)s école(s) × %(fee)s = %(total)s") % {
        "count": len(r.schools),
        "fee": euros(r.fee_per_school),
        "total": euros(r.total),
    }
    width = A4[0] - 2 * MARGIN
    table = Table([header, *rows], colWidths=[12 * mm, 26 * mm, width - 70 * mm, 32 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("BACKGROUND", (0, 0), (-1, 0), BLUE),
                ("GRID", (0, 0), (-1, -1), 0.5, GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    title = _("Annexe 1 – Écoles inscrites à l'ENT-école pour l'année scolaire %(year)s") % {"year": r.year_label}
    return [
        PageBreak(),
        _p(title, "heading"),
        _p(_("Collectivité : %(name)s") % {"name": r.collectivite_name}),
        table,
        Spacer(1, 6),
        _p(total, "party"),
    ]


def convention_pdf(r: Rendering) -> bytes:
    """The whole convention, ready to sign electronically or to print."""
    buffer = io.BytesIO()
    footer = _("Convention ENT-école – %(collectivite)s – année scolaire %(year)s") % {
        "collectivite": r.collectivite_name,
        "year": r.year_label,
    }
    if r.is_preview:
        footer = _("APERÇU DU MODÈLE – ") + footer

    def decorate(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, 10 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, _("page %(number)s") % {"number": document.page})
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{r.title} – {r.year_label} – {r.collectivite_name}",
        author="Préau",
        subject=_("Convention de partenariat"),
    )
    values = r.values()
    story = [
        _p(r.academie_party.upper(), "brand"),
        _p(_("Le %(date)s") % {"date": r.date_label}, "small"),
        _p(f"{r.title} – {_('Année scolaire')} {r.year_label}", "title"),
        *_parties(r),
        _p(_("Il est convenu ce qui suit."), "body"),
        _p(_("Préambule"), "heading"),
        *_text_blocks(r.preamble, values),
        *_text_blocks(r.articles, values),
        *_signatures(r),
        *_annex(r),
    ]
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
