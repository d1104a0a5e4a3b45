from django.urls import path

from . import api, console_views, idp_views, views

app_name = "sso"
urlpatterns = [
    # Signing in through an identity provider.
    path("je-suis/<slug:who>/", views.wayf, name="wayf"),
    path("<slug:slug>/connexion/", views.start, name="start"),
    path("<slug:slug>/oidc/retour/", views.oidc_callback, name="oidc_callback"),
    path("<slug:slug>/oidc/deconnexion/", views.oidc_frontchannel_logout, name="oidc_frontchannel_logout"),
    path("<slug:slug>/saml/metadonnees/", views.saml_metadata, name="saml_metadata"),
    path("<slug:slug>/saml/acs/", views.saml_acs, name="saml_acs"),
    path("<slug:slug>/saml/slo/", views.saml_slo, name="saml_slo"),
    path("premiere-connexion/", views.confirm, name="confirm"),
    path("choix-du-compte/", views.choose, name="choose"),
    path("choix-de-l-ecole/", views.choose_school, name="choose_school"),
    path("deconnexion/", views.signed_out, name="signed_out"),
    path("deconnexion/fin/", views.after_idp_logout, name="after_idp_logout"),
    # The second factor of local sign-ins.
    path("double-authentification/", views.totp_setup, name="totp_setup"),
    path("double-authentification/code/", views.totp_verify, name="totp_verify"),
    path("double-authentification/cles/options/", views.security_key_options, name="security_key_options"),
    path("double-authentification/cles/ajouter/", views.security_key_add, name="security_key_add"),
    path("double-authentification/cles/defi/", views.security_key_challenge, name="security_key_challenge"),
    path("double-authentification/cles/verifier/", views.security_key_sign_in, name="security_key_sign_in"),
    # Préau as SAML identity provider and CAS server.
    path("saml/idp/metadonnees/", idp_views.idp_metadata, name="idp_metadata"),
    path("saml/idp/sso/", idp_views.idp_sso, name="idp_sso"),
    path("saml/idp/sso/suite/", idp_views.idp_sso_continue, name="idp_sso_continue"),
    path("saml/idp/slo/", idp_views.idp_slo, name="idp_slo"),
    path("cas/login", idp_views.cas_login, name="cas_login"),
    path("cas/serviceValidate", idp_views.cas_service_validate, name="cas_service_validate"),
    path("cas/p3/serviceValidate", idp_views.cas_service_validate, name="cas_p3_service_validate"),
    path("cas/logout", idp_views.cas_logout, name="cas_logout"),
    # The académie administrators' console.
    path("console/", console_views.console, name="console"),
    path("console/fournisseurs/ajouter/", console_views.provider_form, name="provider_create"),
    path("console/fournisseurs/<int:provider_id>/", console_views.provider_form, name="provider_edit"),
    path("console/fournisseurs/<int:provider_id>/supprimer/", console_views.provider_delete, name="provider_delete"),
    path("console/partenaires/ajouter/<slug:protocol>/", console_views.partner_form, name="partner_create"),
    path("console/partenaires/<int:partner_id>/", console_views.partner_form, name="partner_edit"),
    path("console/partenaires/<int:partner_id>/secret/", console_views.partner_secret, name="partner_secret"),
    path("console/partenaires/<int:partner_id>/supprimer/", console_views.partner_delete, name="partner_delete"),
    path("api/fournisseurs/", api.providers, name="api_providers"),
    path("api/partenaires/", api.partners, name="api_partners"),
]
