"""`{% second_factor_summary %}`: on "Mon compte", the state of one's second factors and the way
to change them (adults only: pupils sign in with their cards)."""

from django import template

from preau.sso import policy
from preau.sso.queries import second_factors_of

register = template.Library()


@register.inclusion_tag("sso/second_factor_summary.html", takes_context=True)
def second_factor_summary(context):
    person = context["request"].user
    if not policy.may_use_totp(person):
        return {"shown": False}
    factors = second_factors_of(person)
    return {"shown": True, "application": factors.application, "keys": factors.keys}
