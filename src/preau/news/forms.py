from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm, RichTextField

from .models import NewsItem

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


def datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeLocalInput, input_formats=[DATETIME_FORMAT], **kwargs)


class NewsForm(DsfrForm):
    target = forms.ChoiceField(label=_("Où publier"))
    audience = forms.ChoiceField(label=_("Pour qui"), choices=NewsItem.Audience.choices)
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = RichTextField(label=_("Texte"), max_length=20_000)
    publish_at = datetime_field(
        _("Publication le"), help_text=_("Laissez l'heure actuelle pour publier tout de suite.")
    )
    expires_at = datetime_field(
        _("Retrait le"), required=False, help_text=_("L'actualité quitte les portails à cette date.")
    )

    def __init__(self, *args, targets=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["target"]
        else:
            self.fields["target"].choices = [(t.key, t.label) for t in targets]


class WithdrawForm(DsfrForm):
    reason = forms.CharField(
        label=_("Motif"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("L'auteur le lira. Obligatoire quand vous retirez l'actualité de quelqu'un d'autre."),
    )


class CommunePageForm(DsfrForm):
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = RichTextField(label=_("Texte"), required=False, max_length=50_000)
    order = forms.IntegerField(label=_("Ordre dans le menu"), min_value=0, max_value=999, initial=100)
    is_published = forms.BooleanField(label=_("Publiée (visible des familles)"), required=False, initial=True)
