"""Préau as an OpenID Connect relying party (Authlib): the authorization code flow with PKCE,
a nonce, the ID token's signature and claims checked against the provider's published keys."""

from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import cache
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact
from requests import RequestException

from preau.core.errors import DomainError

from .crypto import decrypt
from .identity import InboundIdentity, as_lists, identity_from
from .models import IdentityProvider

TIMEOUT_SECONDS = 10
JWKS_CACHE_SECONDS = 3600
LEEWAY_SECONDS = 60
ALGORITHMS = ["RS256", "PS256", "ES256"]


def _client(provider: IdentityProvider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=decrypt(provider.client_secret_encrypted),
        scope=provider.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def authorization_redirect(provider: IdentityProvider, redirect_uri: str) -> tuple[str, dict]:
    """The provider's authorization URL, and what the callback must find again in the session."""
    flow = {"state": generate_token(32), "nonce": generate_token(32), "verifier": generate_token(64)}
    url, _state = _client(provider, redirect_uri).create_authorization_url(
        provider.authorization_endpoint, state=flow["state"], code_verifier=flow["verifier"], nonce=flow["nonce"]
    )
    return url, flow


def identity_from_callback(
    provider: IdentityProvider, redirect_uri: str, flow: dict, params: dict[str, str]
) -> tuple[InboundIdentity, dict]:
    """Exchange the code, check the ID token, read userinfo. Raises DomainError, never lets a
    doubtful answer through. Returns the identity and what single logout will need."""
    if params.get("error"):
        raise DomainError(
            _("Le fournisseur d'identité n'a pas authentifié la personne (%(error)s).")
            % {"error": params["error"][:80]}
        )
    if not flow or not params.get("state") or params["state"] != flow.get("state"):
        raise DomainError(_("Cette réponse ne correspond à aucune connexion en cours : recommencez la connexion."))
    if not params.get("code"):
        raise DomainError(_("Le fournisseur d'identité n'a pas transmis de code d'autorisation."))
    client = _client(provider, redirect_uri)
    try:
        token = client.fetch_token(
            provider.token_endpoint,
            grant_type="authorization_code",
            code=params["code"],
            code_verifier=flow["verifier"],
            timeout=TIMEOUT_SECONDS,
        )
    except (OAuthError, RequestException, ValueError) as error:
        raise DomainError(_("Le fournisseur d'identité n'a pas délivré de jeton : connexion impossible.")) from error
    if not token.get("id_token"):
        raise DomainError(_("Le fournisseur d'identité n'a pas délivré de jeton d'identité (ID token)."))
    claims = verify_id_token(provider, token["id_token"], nonce=flow["nonce"])
    userinfo = _userinfo(provider, client, claims["sub"])
    identity = identity_from(provider, as_lists({**claims, **userinfo}))
    return identity, {"id_token": token["id_token"], "sid": str(claims.get("sid", ""))}


def verify_id_token(provider: IdentityProvider, id_token: str, *, nonce: str) -> dict:
    """The ID token's claims, once its signature, issuer, audience, expiry and nonce are right."""
    try:
        decoded = jwt.decode(id_token, _keys(provider, id_token), algorithms=ALGORITHMS)
    except (JoseError, ValueError) as error:
        raise DomainError(_("La signature du jeton d'identité est invalide : connexion refusée.")) from error
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        sub={"essential": True},
        exp={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(decoded.claims)
    except ExpiredTokenError as error:
        raise DomainError(_("Le jeton d'identité a expiré : recommencez la connexion.")) from error
    except JoseError as error:
        raise DomainError(
            _("Le jeton d'identité n'est pas destiné à Préau ou ne vient pas du fournisseur attendu (%(claim)s).")
            % {"claim": getattr(error, "claim", error.error)}
        ) from error
    return decoded.claims


def _keys(provider: IdentityProvider, id_token: str) -> KeySet:
    """The provider's keys, from the cache; fetched again once when the token names an unknown key."""
    key = f"preau:sso:jwks:{provider.pk}:{provider.jwks_uri}"
    jwks = cache.get(key)
    kid = _kid(id_token)
    if jwks is None or (kid and kid not in {k.get("kid") for k in jwks.get("keys", [])}):
        try:
            response = requests.get(provider.jwks_uri, timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            jwks = response.json()
        except (RequestException, ValueError) as error:
            raise DomainError(_("Les clés publiques du fournisseur d'identité sont injoignables.")) from error
        cache.set(key, jwks, JWKS_CACHE_SECONDS)
    return KeySet.import_key_set(jwks)


def _kid(id_token: str) -> str:
    try:
        return str(extract_compact(id_token.encode()).headers().get("kid", ""))
    except (JoseError, ValueError):
        return ""


def _userinfo(provider: IdentityProvider, client: OAuth2Session, subject: str) -> dict:
    if not provider.userinfo_endpoint:
        return {}
    try:
        response = client.get(provider.userinfo_endpoint, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        claims = response.json()
    except (OAuthError, RequestException, ValueError) as error:
        raise DomainError(_("Le fournisseur d'identité n'a pas répondu à la demande d'informations.")) from error
    # OpenID Connect Core §5.3.2: a userinfo answer for someone else is thrown away.
    if not isinstance(claims, dict) or claims.get("sub") != subject:
        raise DomainError(_("Les informations reçues ne concernent pas la personne authentifiée : connexion refusée."))
    return claims


def end_session_url(provider: IdentityProvider, *, id_token: str, post_logout_redirect_uri: str) -> str:
    """Where to send the browser so that the provider ends its own session too (RP-initiated)."""
    if not provider.end_session_endpoint:
        return ""
    separator = "&" if "?" in provider.end_session_endpoint else "?"
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": provider.client_id,
        }
    )
    return f"{provider.end_session_endpoint}{separator}{query}"
