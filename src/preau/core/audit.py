"""The journal (art. 8 of the conventions: *journalisation*).

`record()` is called by every action and by every view that shows a person's data.
"""

from typing import Any

from django.db import models

from .context import current_origin
from .models import AuditEntry


def _label(obj: Any) -> str:
    return str(obj)[:300] if obj is not None else ""


def record(
    actor: Any,
    action: str,
    *,
    target: models.Model | None = None,
    subject: Any = None,
    academie_id: int | None = None,
    school_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Append one entry. `actor` is a person or None (the system: imports, commands)."""
    origin = current_origin.get()
    actor_obj = actor if getattr(actor, "pk", None) else None
    subject_obj = subject if getattr(subject, "pk", None) else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_label=_label(actor) if actor_obj else "système",
        action=action,
        subject=subject_obj,
        subject_label=_label(subject_obj),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=_label(target),
        academie_id=academie_id,
        school_id=school_id,
        ip=origin.ip,
        request_id=origin.request_id,
        details=details,
    )
