"""The history of a class's cahier de textes as CSV (a spreadsheet) and as PDF (A4, reportlab).

Both take the same period and subject as the history page, and the same scoped queries.
"""

import csv
import datetime
import io
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from preau.core import audit
from preau.core.richtext import plain_text

from .views import class_or_404, history_of

HEADER = ["type", "date", "pour_le", "matiere", "titre", "contenu", "liens", "pieces_jointes"]


def rows_of(entries, works) -> list[list[str]]:
    """One row per séance then per work, in date order, plain text only."""

    def common(item) -> list[str]:
        return [
            item.subject_label,
            item.title,
            plain_text(item.body),
            " ".join(link["url"] for link in item.links),
            " ; ".join(a.name for a in item.attachments.all()),
        ]

    rows = [[_("séance"), e.date.isoformat(), "", *common(e)] for e in entries]
    rows += [[_("travail"), w.assigned_on.isoformat(), w.due_date.isoformat(), *common(w)] for w in works]
    return sorted(rows, key=lambda row: (row[1], row[0]))


def _filename(school_class, start, end, extension: str) -> str:
    name = "".join(ch if ch.isalnum() else "-" for ch in school_class.name)
    return f"cahier-de-textes-{name}-{start.isoformat()}-{end.isoformat()}.{extension}"


def _journal(request, school_class, form_kind: str, start, end) -> None:
    audit.record(
        request.user,
        "homework.exported",
        target=school_class,
        school_id=school_class.school_id,
        format=form_kind,
        start=start.isoformat(),
        end=end.isoformat(),
    )


@require_GET
def export_csv(request, class_id: int):
    school_class = class_or_404(request, class_id)
    _form, _kind, start, end, _subject, entries, works = history_of(request, school_class)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(rows_of(entries, works))
    _journal(request, school_class, "csv", start, end)
    # A BOM so that spreadsheets opened by double-click read the accents right.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(school_class, start, end, "csv")}"'
    return response


def pdf_of(school_class, start, end, entries, works) -> bytes:
    """A clean A4 listing: a title, then one table of séances and works by date."""
    buffer = io.BytesIO()
    title = _("Cahier de textes — %(name)s — %(school)s") % {
        "name": school_class.name,
        "school": school_class.school.name,
    }
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Préau",
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=9, leading=11)
    period = _("Du %(start)s au %(end)s") % {
        "start": date_format(start, "DATE_FORMAT"),
        "end": date_format(end, "DATE_FORMAT"),
    }
    story = [Paragraph(escape(title), styles["Title"]), Paragraph(escape(period), styles["Normal"]), Spacer(1, 6 * mm)]
    data = [[Paragraph(f"<b>{escape(h)}</b>", small) for h in (_("Date"), _("Matière"), _("Séance ou travail"))]]
    for row in rows_of(entries, works):
        kind, day, due, subject, item_title, content, links, files = row
        when = date_format(datetime.date.fromisoformat(day), "D j M")
        text = f"<b>{escape(item_title)}</b>"
        if due:
            due_text = _("Travail pour le %(day)s :") % {"day": date_format(datetime.date.fromisoformat(due), "l j F")}
            text = f"<b>{escape(due_text)}</b> {text}"
        details = " ".join(part for part in (content, links, files) if part)
        if details:
            text += "<br/>" + escape(details)
        data.append([Paragraph(escape(when), small), Paragraph(escape(subject), small), Paragraph(text, small)])
    if len(data) == 1:
        story.append(Paragraph(escape(_("Rien pour cette période.")), styles["Normal"]))
    else:
        table = Table(data, colWidths=[25 * mm, 40 * mm, 115 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e3fd")),
                ]
            )
        )
        story.append(table)
    document.build(story)
    return buffer.getvalue()


@require_GET
def export_pdf(request, class_id: int):
    school_class = class_or_404(request, class_id)
    _form, _kind, start, end, _subject, entries, works = history_of(request, school_class)
    content = pdf_of(school_class, start, end, entries, works)
    _journal(request, school_class, "pdf", start, end)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(school_class, start, end, "pdf")}"'
    return response
