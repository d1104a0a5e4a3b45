"""Which charte a person must have accepted, read through the cache (asked on every page)."""

from django.core.cache import cache

from .models import CharteVersion

_CACHE_SECONDS = 60


def current_charte_for(academie_id: int | None) -> CharteVersion | None:
    """The newest charte of the person's académie, or the default one."""
    key = f"preau:charte:{academie_id or 0}"
    charte = cache.get(key)
    if charte is None:
        own = (
            CharteVersion.objects.filter(academie_id=academie_id).order_by("-version").first() if academie_id else None
        )
        # An académie's own charte, when it has published one, wins over the default.
        charte = own or CharteVersion.objects.filter(academie__isnull=True).order_by("-version").first()
        cache.set(key, charte or False, _CACHE_SECONDS)
    return charte or None


def forget_current_charte(academie_id: int | None) -> None:
    cache.delete(f"preau:charte:{academie_id or 0}")
