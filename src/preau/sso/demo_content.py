"""The demo's single sign-on: the académie de Toulouse's ÉduConnect prepared but not yet
switched on (its endpoints follow ÉduConnect's published layout, the client is the académie's to
obtain), and two partner services registered by its administrator: the visio tool in OpenID
Connect (it may know the name) and Lannemezan's family portal in CAS (an opaque identifier and
the schools' UAI). Made through the console's actions, as the administrator would."""

from preau.directory.models import Profile

from . import admin_actions

EDUCONNECT = "https://educonnect.education.gouv.fr/idp"


def populate(world) -> dict[str, int]:
    admin = world.person(Profile.ACADEMIE_ADMIN)
    toulouse = world.found["academie:16"]
    admin_actions.save_provider(
        admin,
        None,
        academie=toulouse,
        client_secret="a-remplacer-par-le-secret-fourni-par-educonnect",  # noqa: S106 (a placeholder)
        kind="educonnect",
        protocol="oidc",
        slug="educonnect-toulouse",
        label="ÉduConnect",
        is_active=False,
        allows_pupils=False,
        issuer=EDUCONNECT,
        authorization_endpoint=f"{EDUCONNECT}/profile/oidc/authorize",
        token_endpoint=f"{EDUCONNECT}/profile/oidc/token",
        userinfo_endpoint=f"{EDUCONNECT}/profile/oidc/userinfo",
        jwks_uri=f"{EDUCONNECT}/profile/oidc/keyset.jwk",
        end_session_endpoint=f"{EDUCONNECT}/profile/oidc/logout",
        client_id="preau-academie-toulouse",
        scopes="openid profile",
    )
    admin_actions.save_partner(
        admin,
        None,
        academie=toulouse,
        name="Visio de l'académie",
        protocol="oidc",
        released_attributes=["name"],
        redirect_uris="https://visio.ac-toulouse.example/oidc/retour",
    )
    admin_actions.save_partner(
        admin,
        None,
        academie=toulouse,
        name="Portail famille de Lannemezan",
        protocol="cas",
        released_attributes=["uai"],
        service_url="https://portail-famille.lannemezan.example/",
        logout_url="https://portail-famille.lannemezan.example/deconnexion",
    )
    return {"sso_providers": 1, "sso_partners": 2}
