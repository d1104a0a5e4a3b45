"""DSFR classes on form widgets, so that every form renders through core/form_fields.html."""

from django import forms


class DsfrFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
                continue
            css = "fr-select" if isinstance(widget, forms.Select) else "fr-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                described_by = [f"id_{name}_helptext"] if field.help_text else []
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = " ".join([*described_by, f"id_{name}-error"])


class DsfrForm(DsfrFormMixin, forms.Form):
    pass


class RichTextarea(forms.Textarea):
    """A textarea that static/core/richtext.js turns into a small editor (bold, lists, links).

    Without JavaScript it stays a textarea: plain text is then kept as paragraphs.
    """

    def __init__(self, attrs=None):
        super().__init__({"rows": 8, "data-richtext": "", **(attrs or {})})


class RichTextField(forms.CharField):
    """Rich text cleaned with the allow-list of core.richtext; the cleaned value is safe HTML."""

    widget = RichTextarea

    def __init__(self, *args, max_length: int = 50_000, **kwargs):
        super().__init__(*args, max_length=max_length, strip=True, **kwargs)

    def clean(self, value):
        from .richtext import clean_html, plain_text

        value = super().clean(value)
        cleaned = clean_html(value)
        if self.required and not plain_text(cleaned) and "<img" not in cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


def show_error(form: forms.Form, error) -> None:
    """Show a refused action (a DomainError) on the form, on its field when it names one."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
