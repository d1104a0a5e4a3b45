"""The nine pictures of the pupils' picture codes, drawn the same on paper and on screen.

Each picture is a few plain shapes in a 100×100 box (y upwards), drawn by reportlab on the
card and as inline SVG on the class tablet: a five-year-old finds on the screen exactly
the picture printed on their card, whatever the device's emoji look like.
"""

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from reportlab.lib import colors


@dataclass(frozen=True)
class Shape:
    kind: str  # "circle" (cx, cy, r), "ellipse" (x1, y1, x2, y2), "rect" (x, y, w, h),
    # "polygon" (x1, y1, x2, y2, ...), "line" (x1, y1, x2, y2), "curve" (x0, y0, then
    # Bézier segments of six numbers each, closed)
    points: tuple[float, ...]
    fill: str | None = None
    stroke: str | None = None


@dataclass(frozen=True)
class Picture:
    key: str
    label: str
    shapes: tuple[Shape, ...]

    def svg(self, size: int = 64) -> SafeString:
        """The picture as inline SVG (decorative: the label says what it is)."""
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 100 100"'
            ' aria-hidden="true" focusable="false"><g transform="matrix(1 0 0 -1 0 100)"'
            ' stroke-width="3">{}</g></svg>',
            size,
            size,
            format_html_join("", "{}", ((_svg_shape(s),) for s in self.shapes)),
        )


def _star_points() -> tuple[float, ...]:
    points = []
    for i in range(10):
        radius = 46 if i % 2 == 0 else 19
        angle = math.pi / 2 + i * math.pi / 5
        points += [round(50 + radius * math.cos(angle), 1), round(48 + radius * math.sin(angle), 1)]
    return tuple(points)


def _sun_rays() -> tuple[Shape, ...]:
    rays = []
    for i in range(8):
        angle = i * math.pi / 4
        cos, sin = math.cos(angle), math.sin(angle)
        rays.append(
            Shape(
                "line",
                (round(50 + 30 * cos, 1), round(50 + 30 * sin, 1), round(50 + 45 * cos, 1), round(50 + 45 * sin, 1)),
                stroke="#e69500",
            )
        )
    return tuple(rays)


PICTURES: dict[str, Picture] = {
    p.key: p
    for p in (
        Picture("soleil", _("soleil"), (*_sun_rays(), Shape("circle", (50, 50, 24), "#f6c000", "#e69500"))),
        Picture("etoile", _("étoile"), (Shape("polygon", _star_points(), "#ffd23f", "#c99a00"),)),
        Picture(
            "coeur",
            _("cœur"),
            (
                Shape(
                    "curve",
                    (
                        50,
                        12,
                        20,
                        35,
                        5,
                        55,
                        15,
                        75,
                        25,
                        95,
                        48,
                        88,
                        50,
                        72,
                        52,
                        88,
                        75,
                        95,
                        85,
                        75,
                        95,
                        55,
                        80,
                        35,
                        50,
                        12,
                    ),
                    "#e1000f",
                    "#a0000a",
                ),
            ),
        ),
        Picture(
            "lune",
            _("lune"),
            (Shape("curve", (60, 8, 10, 10, 10, 90, 60, 92, 35, 75, 35, 25, 60, 8), "#f3d250", "#c9a400"),),
        ),
        Picture(
            "maison",
            _("maison"),
            (
                Shape("rect", (20, 10, 60, 48), "#f4e1c1", "#6b3e26"),
                Shape("polygon", (10, 56, 50, 92, 90, 56), "#c0392b", "#6b3e26"),
                Shape("rect", (42, 10, 16, 28), "#6b3e26"),
            ),
        ),
        Picture(
            "sapin",
            _("sapin"),
            (
                Shape("rect", (44, 5, 12, 16), "#6b3e26"),
                Shape("polygon", (10, 20, 50, 62, 90, 20), "#18753c", "#0f4d27"),
                Shape("polygon", (19, 42, 50, 80, 81, 42), "#18753c", "#0f4d27"),
                Shape("polygon", (28, 62, 50, 96, 72, 62), "#18753c", "#0f4d27"),
            ),
        ),
        Picture(
            "fleur",
            _("fleur"),
            (
                Shape("line", (50, 5, 50, 45), stroke="#18753c"),
                *(
                    Shape("circle", (50 + dx, 62 + dy, 14), "#f5a3c7", "#c2185b")
                    for dx, dy in ((0, 20), (19, 6), (12, -16), (-12, -16), (-19, 6))
                ),
                Shape("circle", (50, 62, 10), "#ffd23f", "#c2185b"),
            ),
        ),
        Picture(
            "poisson",
            _("poisson"),
            (
                Shape("polygon", (70, 50, 95, 72, 95, 28), "#4a90d9", "#1f4e89"),
                Shape("ellipse", (5, 28, 78, 72), "#4a90d9", "#1f4e89"),
                Shape("circle", (24, 56, 6), "#ffffff", "#1f4e89"),
            ),
        ),
        Picture(
            "nuage",
            _("nuage"),
            (
                Shape("circle", (30, 42, 18), "#dde5ee", "#7a8ba0"),
                Shape("circle", (50, 56, 24), "#dde5ee", "#7a8ba0"),
                Shape("circle", (72, 44, 18), "#dde5ee", "#7a8ba0"),
                Shape("rect", (30, 26, 42, 18), "#dde5ee"),
            ),
        ),
    )
}


def _svg_shape(shape: Shape) -> SafeString:
    paint = format_html('fill="{}" stroke="{}"', shape.fill or "none", shape.stroke or "none")
    p = shape.points
    if shape.kind == "circle":
        return format_html('<circle cx="{}" cy="{}" r="{}" {}/>', *p, paint)
    if shape.kind == "ellipse":
        return format_html(
            '<ellipse cx="{}" cy="{}" rx="{}" ry="{}" {}/>',
            (p[0] + p[2]) / 2,
            (p[1] + p[3]) / 2,
            (p[2] - p[0]) / 2,
            (p[3] - p[1]) / 2,
            paint,
        )
    if shape.kind == "rect":
        return format_html('<rect x="{}" y="{}" width="{}" height="{}" {}/>', *p, paint)
    if shape.kind == "line":
        return format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" {}/>', *p, paint)
    if shape.kind == "polygon":
        return format_html('<polygon points="{}" {}/>', " ".join(str(n) for n in p), paint)
    segments = " ".join(f"C {' '.join(str(n) for n in p[i : i + 6])}" for i in range(2, len(p), 6))
    return format_html('<path d="M {} {} {} Z" {}/>', p[0], p[1], segments, paint)


def draw_picture(canvas, key: str, x: float, y: float, size: float) -> None:
    """Draw the picture `key` in the square of side `size` whose lower-left corner is (x, y)."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / 100, size / 100)
    canvas.setLineWidth(3)
    for shape in PICTURES[key].shapes:
        _draw_shape(canvas, shape)
    canvas.restoreState()


def _draw_shape(canvas, shape: Shape) -> None:
    fill, stroke = shape.fill is not None, shape.stroke is not None
    if fill:
        canvas.setFillColor(colors.HexColor(shape.fill))
    if stroke:
        canvas.setStrokeColor(colors.HexColor(shape.stroke))
    p = shape.points
    if shape.kind == "circle":
        canvas.circle(*p, stroke=int(stroke), fill=int(fill))
    elif shape.kind == "ellipse":
        canvas.ellipse(*p, stroke=int(stroke), fill=int(fill))
    elif shape.kind == "rect":
        canvas.rect(*p, stroke=int(stroke), fill=int(fill))
    elif shape.kind == "line":
        canvas.line(*p)
    else:
        path = canvas.beginPath()
        path.moveTo(p[0], p[1])
        if shape.kind == "polygon":
            for i in range(2, len(p), 2):
                path.lineTo(p[i], p[i + 1])
        else:
            for i in range(2, len(p), 6):
                path.curveTo(*p[i : i + 6])
        path.close()
        canvas.drawPath(path, stroke=int(stroke), fill=int(fill))
