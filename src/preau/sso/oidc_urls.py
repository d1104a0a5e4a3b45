"""Préau as OpenID Connect provider, in django-oauth-toolkit's namespace (its views reverse
"oauth2_provider:…"). Mounted at the root: the issuer is the site itself, its discovery document
at /.well-known/openid-configuration. Only the authorization page needs a signed-in person."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from oauth2_provider import views as dot

from .oidc_provider import PartnerAuthorizationView

app_name = "oauth2_provider"
urlpatterns = [
    path(
        ".well-known/openid-configuration",
        login_not_required(dot.ConnectDiscoveryInfoView.as_view()),
        name="oidc-connect-discovery-info",
    ),
    path("sso/oidc/authorize/", PartnerAuthorizationView.as_view(), name="authorize"),
    path("sso/oidc/token/", login_not_required(dot.TokenView.as_view()), name="token"),
    path("sso/oidc/userinfo/", login_not_required(dot.UserInfoView.as_view()), name="user-info"),
    path("sso/oidc/jwks/", login_not_required(dot.JwksInfoView.as_view()), name="jwks-info"),
    path("sso/oidc/revoke/", login_not_required(dot.RevokeTokenView.as_view()), name="revoke-token"),
    path("sso/oidc/logout/", login_not_required(dot.RPInitiatedLogoutView.as_view()), name="rp-initiated-logout"),
]
