"""`{% second_factor_summary %}`: on "Mon compte", the state of one's second factors and the way
to change them (adults only: pupils sign in with their cards)."""

from django import template

from preau.sso import policy
from preau.sso.models import SecurityKey, TotpDevice

register = template.Library()


@register.inclusion_tag("sso/second_factor_summary.html", takes_context=True)
def second_factor_summary(context):
    person = context["request"].user
    if not policy.may_use_totp(person):
        return {"shown": False}
    return {
        "shown": True,
        "application": TotpDevice.objects.filter(person=person, confirmed_at__isnull=False).exists(),
        "keys": SecurityKey.objects.filter(person=person).count(),
    }
