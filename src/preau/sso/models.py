"""Single sign-on: the identity providers Préau trusts, the partner services that trust Préau.

Inbound, each académie configures ÉduConnect (families) and its agents' IdP (staff), in OIDC
or SAML 2; a federated identity is linked to a directory person at its first confirmed match.
Outbound, académie administrators register the partner services (SAML SP, OIDC client, CAS
service) with the attributes each may receive. Secrets are stored encrypted (`crypto.py`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IdentityProvider(models.Model):
    """An identity provider of one académie: ÉduConnect or the agents' IdP, in OIDC or SAML."""

    class Kind(models.TextChoices):
        EDUCONNECT = "educonnect", _("ÉduConnect (responsables et élèves)")
        AGENTS = "agents", _("Personnels de l'Éducation nationale")

    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2")

    academie = models.ForeignKey(
        "directory.Academie", verbose_name=_("académie"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("usagers"), max_length=12, choices=Kind.choices)
    protocol = models.CharField(_("protocole"), max_length=4, choices=Protocol.choices)
    # In the URLs of the sign-in and of the callbacks the IdP is told about.
    slug = models.SlugField(_("identifiant court"), max_length=40, unique=True)
    label = models.CharField(_("nom affiché"), max_length=120)
    is_active = models.BooleanField(_("actif"), default=True)
    # ÉduConnect serves 1D pupils only where the académie activated it (national-formats §5.1).
    allows_pupils = models.BooleanField(_("ouvert aux élèves"), default=False)
    # OpenID Connect
    issuer = models.URLField(_("émetteur (issuer)"), max_length=500, blank=True)
    authorization_endpoint = models.URLField(_("point d'autorisation"), max_length=500, blank=True)
    token_endpoint = models.URLField(_("point de jeton"), max_length=500, blank=True)
    userinfo_endpoint = models.URLField(_("point userinfo"), max_length=500, blank=True)
    jwks_uri = models.URLField(_("clés publiques (JWKS)"), max_length=500, blank=True)
    end_session_endpoint = models.URLField(_("point de déconnexion"), max_length=500, blank=True)
    client_id = models.CharField(_("identifiant client"), max_length=200, blank=True)
    client_secret_encrypted = models.TextField(blank=True)
    scopes = models.CharField(_("portées demandées"), max_length=300, default="openid profile email")
    # SAML 2
    idp_metadata = models.TextField(_("métadonnées SAML du fournisseur"), blank=True)
    idp_entity_id = models.CharField(_("entityID du fournisseur"), max_length=500, blank=True)
    # Attribute (SAML) or claim (OIDC) names, per Préau field, where they differ from the defaults.
    attribute_map = models.JSONField(_("correspondance des attributs"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fournisseur d'identité")
        verbose_name_plural = _("fournisseurs d'identité")
        ordering = ["academie__name", "kind"]
        constraints = [models.UniqueConstraint(fields=["academie", "kind"], name="sso_one_provider_per_kind")]

    def __str__(self) -> str:
        return f"{self.label} — {self.academie}"


class FederatedLink(models.Model):
    """An identity at a provider (its stable subject) → the Préau account it signs in to."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="links")
    subject = models.CharField(_("identifiant chez le fournisseur"), max_length=255)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("compte"), on_delete=models.CASCADE, related_name="federated_links"
    )
    created_at = models.DateTimeField(_("lié le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("identité fédérée")
        verbose_name_plural = _("identités fédérées")
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="sso_link_unique_subject")]

    def __str__(self) -> str:
        return f"{self.provider.slug}:{self.subject} → {self.person}"


class MergedRecord(models.Model):
    """Another directory record of the same guardian (known in two académies), folded into the
    account that ÉduConnect's assertion named together with it. Its children are mirrored onto
    the account (`MirroredGuardianLink`); the record itself stays, kept up to date by the feed."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    record = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(FederatedLink, on_delete=models.CASCADE, related_name="merged_records")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fiche rattachée")
        verbose_name_plural = _("fiches rattachées")
        constraints = [models.CheckConstraint(condition=~Q(account=models.F("record")), name="sso_merge_not_self")]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.account_id}"


class MirroredGuardianLink(models.Model):
    """A guardian link made on the account for a child of a merged record (source: manual)."""

    merge = models.ForeignKey(MergedRecord, on_delete=models.CASCADE, related_name="mirrors")
    guardian_link = models.OneToOneField("directory.GuardianLink", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("lien recopié")
        verbose_name_plural = _("liens recopiés")

    def __str__(self) -> str:
        return f"{self.merge_id}: {self.guardian_link_id}"


class SeenAssertion(models.Model):
    """The id of a SAML assertion already used, kept until it expires: a replay is refused."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    assertion_id = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "assertion_id"], name="sso_assertion_once")]

    def __str__(self) -> str:
        return self.assertion_id


class TotpDevice(models.Model):
    """A person's authenticator application (TOTP, RFC 6238) for local sign-ins."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("activée le"), null=True, blank=True)
    # The time step of the last accepted code: the same code is never accepted twice.
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("application d'authentification")
        verbose_name_plural = _("applications d'authentification")

    def __str__(self) -> str:
        return f"TOTP {self.person_id}"


class SecurityKey(models.Model):
    """A security key or passkey (WebAuthn) a person registered as the second factor of local
    sign-ins; the public key only, the private one never leaves the authenticator."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_keys")
    name = models.CharField(_("nom"), max_length=60)
    # base64url, as the browser sends it; unique across Préau like the authenticator makes it.
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()
    # The authenticator's counter: a value that does not grow betrays a cloned key.
    sign_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé de sécurité")
        verbose_name_plural = _("clés de sécurité")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


def new_pairwise_salt() -> str:
    return secrets.token_hex(32)


class PartnerService(models.Model):
    """A service that trusts Préau: a SAML SP, an OIDC client or a CAS service of one académie."""

    class Protocol(models.TextChoices):
        SAML = "saml", _("SAML 2 (fournisseur de service)")
        OIDC = "oidc", _("OpenID Connect (client)")
        CAS = "cas", _("CAS 3 (service)")

    class Attribute(models.TextChoices):
        NAME = "name", _("nom et prénom")
        PROFILE = "profile", _("profils (codes nationaux)")
        UAI = "uai", _("UAI des écoles")
        CLASSES = "classes", _("classes")

    academie = models.ForeignKey(
        "directory.Academie", verbose_name=_("académie"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=120)
    protocol = models.CharField(_("protocole"), max_length=4, choices=Protocol.choices)
    is_active = models.BooleanField(_("actif"), default=True)
    # What the partner may receive beyond its opaque identifier of the person.
    released_attributes = models.JSONField(_("attributs transmis"), default=list, blank=True)
    # Secret of the opaque identifiers: stable for this partner, meaningless to any other.
    pairwise_salt = models.CharField(max_length=64, default=new_pairwise_salt, editable=False)
    # SAML: the SP's metadata (its entityID, ACS and certificate).
    sp_metadata = models.TextField(_("métadonnées SAML du service"), blank=True)
    sp_entity_id = models.CharField(_("entityID du service"), max_length=500, blank=True)
    # OIDC: the client, in django-oauth-toolkit's table.
    application = models.OneToOneField(
        "oauth2_provider.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="partner"
    )
    # CAS: the service URLs this partner may ask tickets for (prefix).
    service_url = models.URLField(_("adresse du service (préfixe)"), max_length=500, blank=True)
    # Front-channel single logout: opened in a hidden frame when the person signs out of Préau.
    logout_url = models.URLField(_("adresse de déconnexion"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service partenaire")
        verbose_name_plural = _("services partenaires")
        ordering = ["academie__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sp_entity_id"], condition=~Q(sp_entity_id=""), name="sso_partner_unique_entity"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def releases(self, attribute: str) -> bool:
        return attribute in self.released_attributes


class ServiceTicket(models.Model):
    """A CAS service ticket: valid a few seconds, for one service URL, used once."""

    ticket = models.CharField(max_length=64, unique=True)
    partner = models.ForeignKey(PartnerService, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    service = models.URLField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    consumed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.ticket[:8]}…"
