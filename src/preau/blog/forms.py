from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm, RichTextField

from .models import Blog


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class PostForm(DsfrForm):
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = RichTextField(label=_("Texte"), max_length=50_000)
    categories = forms.CharField(
        label=_("Catégories"),
        required=False,
        max_length=300,
        help_text=_("Séparées par des virgules : sorties, sciences…"),
    )
    files = MultipleFileField(
        label=_("Photos et documents"), required=False, help_text=_("Images, PDF, sons ou vidéos ; 10 Mo par fichier.")
    )
    tagged_pupils = forms.MultipleChoiceField(
        label=_("Élèves visibles sur les photos"), required=False, widget=forms.CheckboxSelectMultiple
    )
    image_rights_confirmed = forms.BooleanField(
        label=_("Les familles des élèves visibles ont donné leur accord pour la publication de leur image."),
        required=False,
    )

    def __init__(self, *args, pupils=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tagged_pupils"].choices = [(str(p.pk), p.full_name) for p in pupils]
        if editing:
            for name in ("files", "tagged_pupils", "image_rights_confirmed"):
                del self.fields[name]

    def category_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data.get("categories", "").split(",") if name.strip()]


class CommentForm(DsfrForm):
    body = forms.CharField(label=_("Votre commentaire"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(DsfrForm):
    reason = forms.CharField(label=_("Motif, transmis à l'auteur"), required=False, max_length=2000)


class SettingsForm(DsfrForm):
    title = forms.CharField(label=_("Titre"), max_length=150)
    description = forms.CharField(label=_("Présentation"), max_length=300, required=False)
    audience = forms.ChoiceField(label=_("Lecteurs"), choices=Blog.Audience.choices, widget=forms.RadioSelect)
    pupils_may_post = forms.BooleanField(
        label=_("Les élèves écrivent des articles (validés avant publication)"), required=False
    )
    pupils_may_comment = forms.BooleanField(label=_("Les élèves commentent"), required=False)
    parents_may_comment = forms.BooleanField(label=_("Les parents commentent"), required=False)
