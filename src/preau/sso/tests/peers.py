"""Real peers for the tests, started by them: an OpenID provider built from Authlib's server
components and a SAML identity provider and service provider built from pysaml2, each with its
own keys made at test time. Both speak real HTTP (a WSGI server in a thread) or real signed
XML; nothing of Préau is mocked."""

import base64
import json
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, make_server

import requests
from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey
from requests.structures import CaseInsensitiveDict
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, xmldsig
from saml2.client import Saml2Client
from saml2.config import IdPConfig, SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

from preau.sso.keys import new_key_pair

SIGN = xmldsig.SIG_RSA_SHA256
DIGEST = xmldsig.DIGEST_SHA256
XMLSEC = "/usr/bin/xmlsec1"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class ThreadedServer:
    """A WSGI application on 127.0.0.1 (a free port), served by a thread until `stop()`."""

    def __init__(self, app):
        self.httpd = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _query(environ) -> dict[str, list[str]]:
    return parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)


def _form(environ) -> dict[str, list[str]]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length).decode() if length else ""
    return parse_qs(body, keep_blank_values=True)


def _headers(environ) -> CaseInsensitiveDict:
    headers = CaseInsensitiveDict()
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-")] = value
    if environ.get("CONTENT_TYPE"):
        headers["Content-Type"] = environ["CONTENT_TYPE"]
    return headers


# --- OpenID provider ----------------------------------------------------------------------------


class _Payload(OAuth2Payload):
    def __init__(self, values: dict[str, list[str]]):
        self._values = values

    @property
    def data(self):
        return {key: values[0] for key, values in self._values.items() if values}

    @property
    def datalist(self):
        return defaultdict(list, self._values)


class _Request(OAuth2Request):
    def __init__(self, environ, values: dict[str, list[str]]):
        uri = f"http://{environ['HTTP_HOST']}{environ['PATH_INFO']}"
        if environ.get("QUERY_STRING"):
            uri += f"?{environ['QUERY_STRING']}"
        super().__init__(environ["REQUEST_METHOD"], uri, headers=_headers(environ))
        self.payload = _Payload(values)
        self._query = _query(environ)
        self._values = values

    @property
    def args(self):
        return {key: values[0] for key, values in self._query.items()}

    @property
    def form(self):
        return {key: values[0] for key, values in self._values.items()}


class _Client:
    def __init__(self, client_id: str, secret: str, redirect_uris: list[str]):
        self.client_id, self.secret, self.redirect_uris = client_id, secret, redirect_uris

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return scope

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return client_secret == self.secret

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


class _Code:
    def __init__(self, **fields):
        self.__dict__.update(fields)
        self.auth_time = int(time.time())

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class OidcProvider:
    """An OpenID provider (Authlib server components) on a thread: discovery, authorize (signs in
    `next_user` at once, or shows a button when `interactive`), token (PKCE required), userinfo,
    JWKS, end session. `id_token_claims` overrides claims to build the bad tokens of the tests."""

    def __init__(self, *, client_id: str = "preau", client_secret: str = "secret-de-test"):  # noqa: S107
        self.server = ThreadedServer(self.app)
        self.issuer = self.server.url
        self.key = RSAKey.generate_key(2048, parameters={"kid": "cle-1", "use": "sig", "alg": "RS256"})
        self.client = _Client(client_id, client_secret, [])
        self.codes: dict[str, _Code] = {}
        self.tokens: dict[str, dict] = {}
        self.next_user: dict = {}
        self.userinfo_overrides: dict = {}
        self.id_token_claims: dict = {}
        self.signing_key = self.key
        self.interactive = False
        self.ended_sessions: list[dict] = []
        self.authz = self._authorization_server()

    def stop(self) -> None:
        self.server.stop()

    def endpoints(self) -> dict[str, str]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
        }

    def _authorization_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id):
                return provider.client if client_id == provider.client.client_id else None

            def save_token(self, token, request):
                provider.tokens[token["access_token"]] = dict(request.user)

            def create_oauth2_request(self, request):
                return request

            def create_json_request(self, request):
                return request

            def handle_response(self, status, body, headers):
                return status, body, headers

            def send_signal(self, name, *args, **kwargs):
                pass

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, request):
                data = request.payload.data
                provider.codes[code] = _Code(
                    code=code,
                    client_id=request.client.client_id,
                    redirect_uri=request.payload.redirect_uri,
                    scope=request.payload.scope,
                    user=request.user,
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.user

        class Code(OpenIDCode):
            def exists_nonce(self, nonce, request):
                return any(code.nonce == nonce for code in provider.codes.values())

            def resolve_client_private_key(self, client):
                return provider.signing_key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": provider.signing_key.kid}

            def get_client_claims(self, client):
                claims = {"iss": provider.issuer, "aud": [client.client_id], "exp": int(time.time()) + 600}
                return claims | {k: v for k, v in provider.id_token_claims.items() if k in ("iss", "aud", "exp", "iat")}

            def generate_user_info(self, user, scope):
                info = UserInfo(sub=user["sub"])
                for key, value in user.items():
                    info[key] = value
                return info | {
                    k: v for k, v in provider.id_token_claims.items() if k not in ("iss", "aud", "exp", "iat")
                }

        server = Server(scopes_supported=["openid", "profile", "email"])
        server.register_token_generator("default", BearerTokenGenerator(lambda **kwargs: generate_token(40)))
        server.register_grant(CodeGrant, [CodeChallenge(required=True), Code(require_nonce=True)])
        return server

    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        method = environ["REQUEST_METHOD"]
        if path == "/.well-known/openid-configuration":
            return self._json(start_response, 200, {**self.endpoints(), "response_types_supported": ["code"]})
        if path == "/jwks":
            return self._json(start_response, 200, {"keys": [self.key.as_dict(private=False)]})
        if path == "/authorize":
            values = _query(environ) if method == "GET" else _form(environ)
            if self.interactive and method == "GET":
                return self._approval_page(start_response, values)
            request = _Request(environ, values)
            status, body, headers = self.authz.create_authorization_response(request, grant_user=self.next_user)
            return self._answer(start_response, status, body, headers)
        if path == "/token":
            request = _Request(environ, _form(environ))
            status, body, headers = self.authz.create_token_response(request)
            return self._answer(start_response, status, body, headers)
        if path == "/userinfo":
            token = _headers(environ).get("Authorization", "").removeprefix("Bearer ")
            if token not in self.tokens:
                return self._json(start_response, 401, {"error": "invalid_token"})
            return self._json(start_response, 200, {**self.tokens[token], **self.userinfo_overrides})
        if path == "/logout":
            values = {k: v[0] for k, v in _query(environ).items()}
            self.ended_sessions.append(values)
            start_response("302 Found", [("Location", values.get("post_logout_redirect_uri", "/"))])
            return [b""]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _approval_page(self, start_response, values):
        fields = "".join(
            f'<input type="hidden" name="{key}" value="{value[0]}">' for key, value in values.items() if value
        )
        page = (
            '<!doctype html><html lang="fr"><head><title>ÉduConnect (test)</title></head><body><main>'
            f"<h1>ÉduConnect de test</h1><p>Se connecter en tant que {self.next_user.get('given_name', '')}.</p>"
            f'<form method="post" action="/authorize">{fields}<button type="submit">Valider</button></form>'
            "</main></body></html>"
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    @staticmethod
    def _json(start_response, status: int, payload: dict):
        start_response(f"{status} X", [("Content-Type", "application/json")])
        return [json.dumps(payload).encode()]

    @staticmethod
    def _answer(start_response, status, body, headers):
        start_response(f"{status} X", list(headers))
        if isinstance(body, dict):
            return [json.dumps(body).encode()]
        return [(body or "").encode()]


# --- SAML peers -----------------------------------------------------------------------------------


def _pair(directory: Path, name: str) -> tuple[str, str]:
    key, cert = new_key_pair(name, key_size=2048)
    (directory / f"{name}.key").write_bytes(key)
    (directory / f"{name}.crt").write_bytes(cert)
    return str(directory / f"{name}.key"), str(directory / f"{name}.crt")


class SamlIdP:
    """A SAML 2 identity provider (pysaml2) that trusts Préau's SP metadata and answers its
    AuthnRequests with signed responses; the knobs build the bad ones (unsigned, another
    audience, expired, wrapped)."""

    def __init__(self, directory: Path, *, sp_metadata: list[str], base_url: str = "https://idp.example.test"):
        self.directory = directory
        self.base_url = base_url
        self.entity_id = f"{base_url}/idp"
        self.key_file, self.cert_file = _pair(directory, "idp")
        self.sp_metadata = sp_metadata
        self.server = Server(config=self._config(sp_metadata))

    def _config(self, sp_metadata: list[str]) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(f"{self.base_url}/sso", BINDING_HTTP_REDIRECT)],
                            "single_logout_service": [(f"{self.base_url}/slo", BINDING_HTTP_REDIRECT)],
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                    }
                },
                "key_file": self.key_file,
                "cert_file": self.cert_file,
                "xmlsec_binary": XMLSEC,
                "metadata": {"inline": sp_metadata} if sp_metadata else {},
                "allow_unknown_attributes": True,
            }
        )
        return config

    def metadata(self) -> str:
        return str(entity_descriptor(self._config([])))

    def parse(self, redirect_url: str):
        query = {key: values[0] for key, values in parse_qs(urlsplit(redirect_url).query).items()}
        request = self.server.parse_authn_request(
            query["SAMLRequest"], BINDING_HTTP_REDIRECT, sigalg=query.get("SigAlg"), signature=query.get("Signature")
        )
        return request, query.get("RelayState", "")

    def response_xml(
        self,
        redirect_url: str,
        attributes: dict[str, list[str]],
        *,
        name_id: str = "sujet-persistant-1",
        sign_response: bool = True,
        sign_assertion: bool = True,
        audience: str | None = None,
        session_index: str = "",
    ) -> str:
        request, _relay = self.parse(redirect_url)
        args = self.server.response_args(request.message, [BINDING_HTTP_POST])
        return str(
            self.server.create_authn_response(
                attributes,
                in_response_to=args["in_response_to"],
                destination=args["destination"],
                sp_entity_id=audience or args["sp_entity_id"],
                name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=name_id),
                authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
                sign_response=sign_response,
                sign_assertion=sign_assertion,
                sign_alg=SIGN,
                digest_alg=DIGEST,
                session_not_on_or_after=None,
                **({"session_index": session_index} if session_index else {}),
            )
        )

    def answer(self, redirect_url: str, attributes: dict[str, list[str]], **options) -> str:
        return encode(self.response_xml(redirect_url, attributes, **options))

    def logout_request_url(self, destination: str, sp_entity_id: str, name_id: str, session_index: str) -> str:
        _request_id, request = self.server.create_logout_request(
            destination,
            sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=name_id),
            session_indexes=[session_index],
            sign=False,
        )
        info = self.server.apply_binding(BINDING_HTTP_REDIRECT, str(request), destination, "", sign=True, sigalg=SIGN)
        return dict(info["headers"])["Location"]


def forged(url: str) -> str:
    """The same signed message with another signature, of the right length, that nobody made."""
    params = query_of(url)
    params["Signature"] = base64.b64encode(bytes(len(base64.b64decode(params["Signature"])))).decode()
    return f"{urlsplit(url).path}?{urlencode(params)}"


class SamlSP:
    """A SAML 2 service provider (pysaml2) that trusts Préau's IdP metadata: a partner service."""

    def __init__(self, directory: Path, *, idp_metadata: str, entity_id: str = "https://partenaire.example.test/sp"):
        self.entity_id = entity_id
        self.acs = entity_id.rsplit("/", 1)[0] + "/acs"
        key_file, cert_file = _pair(directory, "sp-" + uuid.uuid4().hex[:6])
        config = SPConfig()
        config.load(
            {
                "entityid": entity_id,
                "service": {
                    "sp": {
                        "endpoints": {
                            "assertion_consumer_service": [(self.acs, BINDING_HTTP_POST)],
                            "single_logout_service": [(entity_id.rsplit("/", 1)[0] + "/slo", BINDING_HTTP_REDIRECT)],
                        },
                        "want_assertions_signed": True,
                        "want_response_signed": True,
                        "authn_requests_signed": True,
                        "allow_unsolicited": False,
                    }
                },
                "key_file": key_file,
                "cert_file": cert_file,
                "xmlsec_binary": XMLSEC,
                "metadata": {"inline": [idp_metadata]} if idp_metadata else {},
                "allow_unknown_attributes": True,
            }
        )
        self.config = config
        self.client = Saml2Client(config=config)

    def metadata(self) -> str:
        return str(entity_descriptor(self.config))

    def authn_request_url(self, idp_entity_id: str, relay_state: str = "retour") -> tuple[str, str]:
        request_id, info = self.client.prepare_for_authenticate(
            entityid=idp_entity_id, relay_state=relay_state, binding=BINDING_HTTP_REDIRECT, sign=True, sigalg=SIGN
        )
        return dict(info["headers"])["Location"], request_id

    def read_response(self, saml_response: str, request_id: str):
        return self.client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"})

    def logout_request_url(self, destination: str, idp_entity_id: str, name_id: str) -> str:
        """A LogoutRequest signed for the HTTP-Redirect binding: the partner signs the person out."""
        _request_id, request = self.client.create_logout_request(
            destination, idp_entity_id, name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=name_id), sign=False
        )
        info = self.client.apply_binding(BINDING_HTTP_REDIRECT, str(request), destination, "", sign=True, sigalg=SIGN)
        return dict(info["headers"])["Location"]


class DjangoClientAdapter(requests.adapters.BaseAdapter):
    """requests → Django's test client, so that Authlib's and python-cas's HTTP calls reach
    Préau in-process (the back channel of a partner service)."""

    def __init__(self, client):
        super().__init__()
        self.client = client

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        extra = {
            f"HTTP_{name.upper().replace('-', '_')}": value
            for name, value in request.headers.items()
            if name.lower() not in ("content-type", "content-length")
        }
        body = request.body or b""
        if request.method == "POST":
            answer = self.client.post(
                path, data=body, content_type=request.headers.get("Content-Type", "text/plain"), **extra
            )
        else:
            answer = self.client.get(path, **extra)
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(answer.items())
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def through_django(session: requests.Session, client) -> requests.Session:
    session.mount("http://testserver", DjangoClientAdapter(client))
    return session


def encode(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class SamlIdPSite:
    """`SamlIdP` served over HTTP for the browser: /sso shows who signs in and a button that
    posts the signed answer to Préau; /slo records the LogoutRequests it receives."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.server = ThreadedServer(self.app)
        self.url = self.server.url
        self.attributes: dict[str, list[str]] = {}
        self.logouts: list[str] = []
        self.idp: SamlIdP | None = None

    def trust(self, sp_metadata: str) -> str:
        """Trust Préau's SP metadata (none yet: "") with new keys; returns the IdP's metadata."""
        self.idp = SamlIdP(self.directory, sp_metadata=[sp_metadata] if sp_metadata else [], base_url=self.url)
        return self.idp.metadata()

    def stop(self) -> None:
        self.server.stop()

    def app(self, environ, start_response):
        request_url = f"{self.url}{environ['PATH_INFO']}?{environ.get('QUERY_STRING', '')}"
        if environ["PATH_INFO"] == "/sso":
            request, relay_state = self.idp.parse(request_url)
            destination = self.idp.server.response_args(request.message, [BINDING_HTTP_POST])["destination"]
            answer = self.idp.answer(request_url, self.attributes)
            page = (
                '<!doctype html><html lang="fr"><head><title>Identité académique (test)</title></head><body><main>'
                "<h1>Identité académique de test</h1>"
                f'<form method="post" action="{destination}"><input type="hidden" name="SAMLResponse" value="{answer}">'
                f'<input type="hidden" name="RelayState" value="{relay_state}">'
                '<button type="submit">Continuer vers Préau</button></form></main></body></html>'
            )
        elif environ["PATH_INFO"] == "/slo":
            self.logouts.append(request_url)
            page = (
                '<!doctype html><html lang="fr"><head><title>Déconnecté</title></head><body><main>'
                "<h1>Déconnecté de l'identité académique</h1></main></body></html>"
            )
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b""]
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]
