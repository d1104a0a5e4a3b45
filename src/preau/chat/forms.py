from django import forms
from django.conf import settings
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm

DAY_CHOICES = [(str(number + 1), WEEKDAYS[number]) for number in range(7)]
MUTE_CHOICES = [
    ("15", _("15 minutes")),
    ("60", _("1 heure")),
    ("1440", _("1 jour")),
    ("10080", _("1 semaine")),
]


class PostForm(DsfrForm):
    text = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.PREAU_CHAT_MAX_LENGTH
        self.fields["text"].help_text = gettext("Texte simple, %(limit)s caractères au plus.") % {"limit": limit}
        # The browser stops at the limit; the action checks it again (a WebSocket has no form).
        self.fields["text"].widget.attrs["maxlength"] = limit


class RoomSettingsForm(DsfrForm):
    days = forms.MultipleChoiceField(
        label=_("Jours d'ouverture"), choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(
        label=_("Ouverture"),
        help_text=_("00:00 : dès minuit."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    closes_at = forms.TimeField(
        label=_("Fermeture"),
        help_text=_("23:59 : jusqu'à minuit."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    pupils_may_write = forms.BooleanField(label=_("Les élèves peuvent écrire"), required=False)

    @classmethod
    def for_room(cls, room, data=None) -> "RoomSettingsForm":
        initial = {
            "days": list(room.days),
            "opens_at": room.opens_at,
            "closes_at": room.closes_at,
            "pupils_may_write": room.pupils_may_write,
        }
        return cls(data, initial=initial, prefix="reglages")
