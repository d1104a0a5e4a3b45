"""The forms of the preferences page and of a school's quiet hours."""

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm
from preau.core.notices import NoticeKind

from .models import EmailMode, QuietHours
from .preferences import Choice

WEEKDAYS = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]


def _field_name(prefix: str, code: str) -> str:
    return f"{prefix}-{code.replace('.', '-')}"


class PreferencesForm(DsfrForm):
    """One row per kind of notice: how to receive e-mails, and whether to push."""

    def __init__(self, *args, choices: list[tuple[NoticeKind, Choice]], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = [kind for kind, _choice in choices]
        for kind, choice in choices:
            self.fields[_field_name("courriel", kind.code)] = forms.ChoiceField(
                label=_("Courriels pour « %(kind)s »") % {"kind": kind.label},
                choices=EmailMode.choices,
                initial=choice.email,
                widget=forms.Select(attrs={"class": "fr-select"}),
            )
            self.fields[_field_name("push", kind.code)] = forms.BooleanField(
                label=_("Notification sur l'appareil pour « %(kind)s »") % {"kind": kind.label},
                required=False,
                initial=choice.push,
            )

    @property
    def rows(self) -> list[tuple[NoticeKind, forms.BoundField, forms.BoundField]]:
        return [
            (kind, self[_field_name("courriel", kind.code)], self[_field_name("push", kind.code)])
            for kind in self.kinds
        ]

    def choices(self) -> dict[str, Choice]:
        data = self.cleaned_data
        return {
            kind.code: Choice(email=data[_field_name("courriel", kind.code)], push=data[_field_name("push", kind.code)])
            for kind in self.kinds
        }


class QuietHoursForm(DsfrForm):
    enabled = forms.BooleanField(
        label=_("Retenir les courriels et les notifications pendant les heures calmes"), required=False
    )
    morning = forms.TimeField(
        label=_("Fin des heures calmes, le matin"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    evening = forms.TimeField(
        label=_("Début des heures calmes, le soir"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_days = forms.TypedMultipleChoiceField(
        label=_("Jours entièrement calmes"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    school_holidays = forms.BooleanField(label=_("Calme pendant les vacances scolaires de la zone"), required=False)
    public_holidays = forms.BooleanField(label=_("Calme les jours fériés"), required=False)

    def __init__(self, *args, quiet_hours: QuietHours, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "enabled": quiet_hours.enabled,
                "morning": quiet_hours.morning,
                "evening": quiet_hours.evening,
                "quiet_days": list(quiet_hours.quiet_days),
                "school_holidays": quiet_hours.school_holidays,
                "public_holidays": quiet_hours.public_holidays,
            },
        )
        super().__init__(*args, **kwargs)
        # The days are a group of DSFR checkboxes, drawn by the template.
        self.fields["quiet_days"].widget.attrs.pop("class", None)
