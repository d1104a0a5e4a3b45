"""The rich-text allow-list: what people write keeps its form, nothing that runs survives."""

import pytest

from preau.core.forms import DsfrForm, RichTextField
from preau.core.richtext import clean_html, external_links, plain_text

# Payloads from the usual XSS cheat sheets: each must come out without anything that runs.
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<img src="/media/a.png" onload="alert(1)">',
    '<a href="javascript:alert(1)">lien</a>',
    '<a href="JaVaScRiPt:alert(1)">lien</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">lien</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://example.org"></iframe>',
    '<p style="background:url(javascript:alert(1))">texte</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<div onclick="alert(1)">clic</div>',
    "<object data=x.swf></object><embed src=x.swf>",
    '<form action="https://evil.example"><input name="p"></form>',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="  javascript:alert(1)">espace</a>',
    "<base href=https://evil.example/>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<img src="//evil.example/pixel.gif">',
    '<img src="https://evil.example/pixel.gif">',
]


FORBIDDEN = [
    "<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "<svg", "<object",
    "<embed", "<form", "<input", "style=", "<base", "<meta", "evil.example/pixel", "data:text",
]  # fmt: skip


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markup_is_neutralised(payload):
    cleaned = clean_html(payload).lower()
    for needle in FORBIDDEN:
        assert needle not in cleaned, (payload, cleaned)


def test_formatting_survives_and_links_are_made_safe():
    cleaned = clean_html(
        '<p><strong>Sortie</strong> au <em>musée</em></p><ul><li>goûter</li></ul><a href="https://musee.fr">site</a>'
    )
    assert "<strong>Sortie</strong>" in cleaned
    assert "<ul><li>goûter</li></ul>" in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned
    assert external_links(cleaned, "preau.example") == ["https://musee.fr"]


def test_plain_text_becomes_paragraphs_escaped():
    cleaned = clean_html("Bonjour,\n\nDemain : 2 < 3 & piscine.")
    assert cleaned == "<p>Bonjour,</p>\n\n<p>Demain : 2 &lt; 3 &amp; piscine.</p>"
    assert plain_text(cleaned) == "Bonjour, Demain : 2 < 3 & piscine."
    assert plain_text(cleaned, limit=10) == "Bonjour,…"


def test_images_from_preau_are_kept():
    assert (
        clean_html('<img src="/messagerie/pieces/3/" alt="dessin">') == '<img src="/messagerie/pieces/3/" alt="dessin">'
    )


class NoteForm(DsfrForm):
    body = RichTextField(label="Texte")


def test_the_form_field_refuses_markup_without_words():
    form = NoteForm(data={"body": "<p><script>x</script></p>"})
    assert not form.is_valid()
    assert form.errors["body"]
    form = NoteForm(data={"body": "<p>Bonjour <b>à tous</b></p>"})
    assert form.is_valid()
    assert form.cleaned_data["body"] == "<p>Bonjour <b>à tous</b></p>"
