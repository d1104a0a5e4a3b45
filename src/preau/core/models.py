from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One line of the journal: who did what, on whom, when, from where.

    Rows are only ever added (by `core.audit.record`); the retention command removes
    those older than the legal period.
    """

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the journal still says who once the account is gone.
    actor_label = models.CharField(_("auteur (texte)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne concernée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject_label = models.CharField(_("personne concernée (texte)"), max_length=200, blank=True)
    target_type = models.CharField(_("type d'objet"), max_length=80, blank=True)
    target_id = models.CharField(_("identifiant d'objet"), max_length=64, blank=True)
    target_label = models.CharField(_("objet"), max_length=300, blank=True)
    # Scope of the entry, so that a DSDEN or a school can be shown only its own lines.
    academie_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    school_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"]),
            models.Index(fields=["subject", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"
