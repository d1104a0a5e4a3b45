from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm, RichTextField

from .models import Note


class RecipientsForm(DsfrForm):
    """Whom the note goes to: classes, the school, groups, the commune's schools, children.

    Its template draws the checkboxes as a DSFR fieldset; choices come from the writer's
    targets, so a forged value is refused by the form itself, in French.
    """

    targets = forms.MultipleChoiceField(label=_("Destinataires"), required=False)
    pupils = forms.TypedMultipleChoiceField(
        label=_("Ou des élèves en particulier"),
        required=False,
        coerce=int,
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )

    def __init__(self, *args, targets=(), pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = [(target.key, target.label) for target in targets]
        self.fields["targets"].widget = forms.CheckboxSelectMultiple(choices=self.fields["targets"].choices)
        grouped: dict[str, list] = {}
        for enrolment in pupils:
            grouped.setdefault(enrolment.school_class.name, []).append((enrolment.pupil_id, enrolment.pupil.full_name))
        self.fields["pupils"].choices = list(grouped.items())
        self.fields["pupils"].widget.attrs["size"] = 8
        if not pupils:
            del self.fields["pupils"]

    def clean(self):
        data = super().clean()
        if not data.get("targets") and not data.get("pupils"):
            raise forms.ValidationError(_("Choisissez au moins un destinataire."))
        return data


class NoteForm(DsfrForm):
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = RichTextField(label=_("Texte du mot"), max_length=20_000)
    requires_ack = forms.BooleanField(
        label=_("Demander une signature aux familles"),
        required=False,
        help_text=_("Un responsable de chaque enfant confirme avoir lu le mot ; vous voyez qui a signé."),
    )
    allows_reply = forms.BooleanField(label=_("Permettre aux familles de répondre"), required=False)
    form_kind = forms.ChoiceField(label=_("Poser une question"), choices=Note.FormKind.choices, required=False)
    question = forms.CharField(
        label=_("Question"),
        max_length=300,
        required=False,
        help_text=_("Par exemple : « Mon enfant participera à la sortie ». Une réponse par enfant."),
    )
    options = forms.CharField(
        label=_("Réponses proposées (pour un choix)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une réponse par ligne, de 2 à 8."),
    )

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class ReplyForm(DsfrForm):
    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=settings.PREAU_LIAISON_REPLY_MAX_LENGTH,
    )
