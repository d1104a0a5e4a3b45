from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item] or super().clean(None)


class UploadForm(DsfrForm):
    academie = forms.ModelChoiceField(label=_("Académie"), queryset=None, empty_label=None)
    source = forms.ChoiceField(
        label=_("Format"),
        initial="aaf",
        choices=[
            ("aaf", _("Fichiers XML de l'AAF")),
            ("csv", _("Fichier CSV (personnes hors AAF : commune, périscolaire, école hors annuaire)")),
        ],
    )
    files = MultipleFileField(
        label=_("Fichiers"),
        help_text=_(
            "AAF : tous les fichiers XML d'un même export (complet ou delta) — EtabEducNat, Eleve,"
            " PersRelEleve, PersEducNat. CSV : un seul fichier, colonnes décrites dans la documentation."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Simulation : montrer ce qui changerait sans rien modifier"), required=False, initial=True
    )

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academie"].queryset = academies
        self.fields["files"].widget.attrs["accept"] = ".xml,.csv,application/xml,text/xml,text/csv"
