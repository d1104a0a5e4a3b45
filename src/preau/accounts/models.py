"""Sign-in data: the charte and its acceptances, activation codes, pupils' login cards."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CharteVersion(models.Model):
    """A version of the charte d'utilisation; an académie may publish its own."""

    academie = models.ForeignKey(
        "directory.Academie",
        verbose_name=_("académie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chartes",
        help_text=_("Vide : la charte par défaut, pour les académies qui n'en ont pas publié."),
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    published_at = models.DateTimeField(_("publiée le"))

    class Meta:
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["academie", "version"], name="charte_unique_version", condition=models.Q(academie__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["version"], name="charte_unique_default_version", condition=models.Q(academie__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class CharteAcceptance(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="charte_acceptances")
    charte = models.ForeignKey(CharteVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(_("acceptée le"), auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("acceptation de la charte")
        verbose_name_plural = _("acceptations de la charte")
        constraints = [models.UniqueConstraint(fields=["person", "charte"], name="charte_accepted_once")]

    def __str__(self) -> str:
        return f"{self.person} — {self.charte}"


class ActivationCode(models.Model):
    """A one-time code printed on a parent's activation letter (hashed with argon2)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)
    # A newer letter replaces the older one.
    revoked_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("code d'activation")
        verbose_name_plural = _("codes d'activation")
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} n° {self.pk}"


class LoginCard(models.Model):
    """A pupil's login card: a QR code to scan and a picture code for the class tablet.

    The QR token has 256 bits of entropy and is stored as its SHA-256 digest, so signing in
    by card costs no password hashing. The picture code (three pictures out of nine) is
    hashed with argon2 and is only accepted from the class's own sign-in page.
    """

    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_cards")
    token_digest = models.CharField(max_length=64, unique=True)
    picture_code_hash = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("carte de connexion")
        verbose_name_plural = _("cartes de connexion")
        indexes = [models.Index(fields=["pupil", "-created_at"])]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} n° {self.pk}"
