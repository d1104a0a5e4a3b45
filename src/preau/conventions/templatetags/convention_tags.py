"""Money and states as the conventions pages show them."""

from django import template

from ..models import Convention, Coverage, Termination
from ..pdf import euros as format_euros

register = template.Library()

STATE_BADGES = {
    Convention.State.DRAFT: "new",
    Convention.State.SENT: "info",
    Convention.State.SIGNED: "success",
    Convention.State.TERMINATED: "error",
    Convention.State.EXPIRED: "warning",
    Convention.Titre.TO_ISSUE: "new",
    Convention.Titre.ISSUED: "info",
    Convention.Titre.PAID: "success",
    Termination.State.CONCILIATION: "warning",
    Termination.State.NOTIFIED: "error",
    Termination.State.EFFECTIVE: "error",
    Termination.State.ABANDONED: "success",
    Coverage.State.COVERED: "success",
    Coverage.State.ACCESS: "warning",
    Coverage.State.PURGED: "error",
}


@register.filter
def euros(amount) -> str:
    """40 → "40 €", 42.5 → "42,50 €"."""
    return "" if amount is None else format_euros(amount)


@register.filter
def badge(state: str) -> str:
    """The DSFR badge modifier of a state: "success", "info", "warning", "error" or "new"."""
    return STATE_BADGES.get(state, "info")
