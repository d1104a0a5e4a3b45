"""The printed pages: parents' activation letters and pupils' login cards (reportlab).

Secrets appear only here, on paper: the views send the PDF and keep nothing.
"""

import io
from collections.abc import Iterable

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .pictures import PICTURES, draw_picture

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
BLUE = colors.HexColor("#000091")


def _new_canvas(buffer: io.BytesIO, title: str) -> Canvas:
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("Préau")
    return canvas


def _wrapped(
    canvas: Canvas,
    text: str,
    x: float,
    y: float,
    width: float,
    *,
    font: str = "Helvetica",
    size: float = 11,
    leading: float | None = None,
) -> float:
    """Write `text` in lines no wider than `width`; return the y below the last line."""
    leading = leading or size * 1.35
    canvas.setFont(font, size)
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and canvas.stringWidth(candidate, font, size) > width:
            canvas.drawString(x, y, line)
            y -= leading
            line = word
        else:
            line = candidate
    if line:
        canvas.drawString(x, y, line)
        y -= leading
    return y


def activation_letters_pdf(letters: Iterable) -> bytes:
    """One A4 page per parent: school, children, login, code, expiry, address, instructions."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, _("Lettres d'activation Préau"))
    address = settings.PREAU_SITE_URL + reverse("accounts:activate")
    for letter in letters:
        _activation_page(canvas, letter, address)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _activation_page(canvas: Canvas, letter, address: str) -> None:
    width = PAGE_WIDTH - 2 * MARGIN
    y = PAGE_HEIGHT - MARGIN
    canvas.setFillColor(BLUE)
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(MARGIN, y, letter.school.name)
    y -= 16
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica", 10)
    place = " ".join(filter(None, [letter.school.address, letter.school.postcode, letter.school.city]))
    if place:
        canvas.drawString(MARGIN, y, place)
        y -= 14
    y -= 20
    y = _wrapped(
        canvas,
        _("À l'attention de %(name)s") % {"name": letter.parent.full_name},
        MARGIN,
        y,
        width,
        font="Helvetica-Bold",
        size=12,
    )
    children = ", ".join(
        _("%(first_name)s (%(class_name)s)") % {"first_name": first, "class_name": name}
        for first, name in letter.children
    )
    y = _wrapped(canvas, _("Responsable de : %(children)s") % {"children": children}, MARGIN, y, width)
    y -= 18
    canvas.setFillColor(BLUE)
    y = _wrapped(
        canvas, _("Votre compte Préau, l'espace numérique de l'école"), MARGIN, y, width, font="Helvetica-Bold", size=18
    )
    canvas.setFillColor(colors.black)
    y -= 6
    y = _wrapped(
        canvas,
        _(
            "Préau vous permet de suivre la vie de la classe, le cahier de textes et les messages de"
            " l'école. Pour l'utiliser, activez votre compte avec les informations ci-dessous."
        ),
        MARGIN,
        y,
        width,
    )
    y -= 14
    box_height = 92
    canvas.setStrokeColor(BLUE)
    canvas.setLineWidth(1.5)
    canvas.rect(MARGIN, y - box_height, width, box_height)
    rows = [
        (_("Adresse"), address),
        (_("Identifiant"), letter.parent.username),
        (_("Code d'activation"), letter.code),
        (_("Valable jusqu'au"), date_format(timezone.localtime(letter.expires_at), "j F Y")),
    ]
    row_y = y - 20
    for label, value in rows:
        canvas.setFont("Helvetica", 11)
        canvas.drawString(MARGIN + 10, row_y, f"{label} :")
        canvas.setFont("Courier-Bold" if label != rows[0][0] else "Helvetica-Bold", 13)
        canvas.drawString(MARGIN + 140, row_y, value)
        row_y -= 20
    y -= box_height + 24
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(MARGIN, y, _("Comment faire ?"))
    y -= 20
    steps = [
        _("1. Allez à l'adresse %(address)s (ordinateur, tablette ou téléphone).") % {"address": address},
        _("2. Saisissez votre identifiant et le code d'activation, exactement comme ci-dessus."),
        _(
            "3. Choisissez votre mot de passe (au moins 10 caractères) et indiquez votre adresse"
            " électronique : elle vous servira si vous oubliez votre mot de passe."
        ),
        _(
            "4. Lisez et acceptez la charte d'utilisation. Ensuite, connectez-vous avec votre"
            " identifiant et votre mot de passe."
        ),
    ]
    for step in steps:
        y = _wrapped(canvas, step, MARGIN, y, width) - 4
    y -= 10
    _wrapped(
        canvas,
        _(
            "Ce code ne sert qu'une fois et est personnel : ne le communiquez à personne. S'il a"
            " expiré ou si vous avez perdu cette lettre, demandez-en une nouvelle à l'école."
        ),
        MARGIN,
        y,
        width,
        font="Helvetica-Oblique",
        size=10,
    )


# --- Login cards ------------------------------------------------------------------------------

CARD_COLUMNS, CARD_ROWS = 2, 4
CARD_WIDTH = (PAGE_WIDTH - 2 * 12 * mm) / CARD_COLUMNS
CARD_HEIGHT = (PAGE_HEIGHT - 2 * 12 * mm) / CARD_ROWS


def login_cards_pdf(cards: list) -> bytes:
    """Eight cards per A4 page, to cut out: first name, class, QR code and picture code."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, _("Cartes de connexion Préau"))
    per_page = CARD_COLUMNS * CARD_ROWS
    for start in range(0, len(cards), per_page):
        for index, card in enumerate(cards[start : start + per_page]):
            column, row = index % CARD_COLUMNS, index // CARD_COLUMNS
            x = 12 * mm + column * CARD_WIDTH
            y = PAGE_HEIGHT - 12 * mm - (row + 1) * CARD_HEIGHT
            _card(canvas, card, x, y)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _card(canvas: Canvas, card, x: float, y: float) -> None:
    pad = 5 * mm
    canvas.setStrokeColor(colors.grey)
    canvas.setDash(3, 3)
    canvas.setLineWidth(0.5)
    canvas.rect(x, y, CARD_WIDTH, CARD_HEIGHT)
    canvas.setDash()
    canvas.setFillColor(BLUE)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(x + pad, y + CARD_HEIGHT - pad - 16, card.pupil.first_name)
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(
        x + pad, y + CARD_HEIGHT - pad - 31, f"{card.school_class.name} — {card.school_class.school.name}"
    )
    qr_size = CARD_HEIGHT - 2 * pad - 40
    _draw_qr(canvas, card.url, x + pad, y + pad + 8, qr_size)
    canvas.setFont("Helvetica", 5)
    canvas.drawString(x + pad, y + pad, card.url)
    pictures_x = x + pad + qr_size + 6 * mm
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(pictures_x, y + CARD_HEIGHT - pad - 44, _("Mes 3 images :"))
    picture_size = 11 * mm
    for rank, key in enumerate(card.pictures):
        top = y + CARD_HEIGHT - pad - 48 - (rank + 1) * (picture_size + 1.5 * mm)
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(pictures_x, top + picture_size / 2 - 5, f"{rank + 1}.")
        draw_picture(canvas, key, pictures_x + 7 * mm, top, picture_size)
        canvas.setFont("Helvetica", 11)
        canvas.drawString(pictures_x + 9 * mm + picture_size, top + picture_size / 2 - 4, str(PICTURES[key].label))


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """The QR code as vector squares (sharp at any printer resolution), quiet zone included."""
    qr = segno.make(data, error="m", micro=False)
    matrix = list(qr.matrix_iter(border=2))
    module = size / len(matrix)
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                path.rect(x + col_index * module, y + size - (row_index + 1) * module, module, module)
    canvas.drawPath(path, stroke=0, fill=1)
