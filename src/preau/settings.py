"""Préau's only settings module.

Every value comes from an environment variable; when it is unset, the embedded default
(SQLite, local files, in-process cache, database task queue) applies, so that `make run`
needs nothing. `docs/operations.md` lists the variables a région académique sets.
"""

import os
import warnings
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


BASE_DIR = Path(__file__).resolve().parent
# Everything the embedded set-up writes (database, files) lives under var/ of the checkout.
VAR_DIR = Path(os.environ.get("PREAU_VAR_DIR", Path.cwd() / "var"))


def kept_in_var(name: str, make: Callable[[], str]) -> str:
    """Embedded mode only: a secret made once per checkout into var/, so a restart keeps it."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
# Unset (embedded mode): one key per checkout, so that sessions survive a restart.
SECRET_KEY = os.environ.get("SECRET_KEY", "") or kept_in_var("secret_key", get_random_secret_key)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
PREAU_SITE_URL = os.environ.get("PREAU_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "dsfr",
    "csp",
    "preau.core",
    "preau.directory",
    "preau.accounts",
    "preau.portal",
    "preau.feeder",
    "preau.demo",
    "preau.messaging",
    "preau.notifications",
    "preau.chat",
    "preau.homework",
    "preau.liaison",
    "preau.journal",
    "preau.agenda",
    "preau.conventions",
    "preau.blog",
    "preau.news",
    "preau.moderation",
    "preau.sso",
    # Préau as OpenID Connect provider stores its clients and tokens in django-oauth-toolkit.
    "oauth2_provider",
]

MIDDLEWARE = [
    "preau.core.middleware.RequestIdMiddleware",
    "preau.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Before the charte: a local sign-in that owes its second factor reaches nothing else; a
    # federated sign-out goes on to the identity provider and the partner services.
    "preau.sso.middleware.SsoSessionMiddleware",
    "preau.accounts.middleware.CharteMiddleware",
]

ROOT_URLCONF = "preau.urls"
WSGI_APPLICATION = "preau.wsgi.application"
ASGI_APPLICATION = "preau.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "preau.core.context_processors.preau",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'preau.sqlite3'}"),
        # Under the ASGI server each request may run in its own thread: a persistent connection
        # per thread would pile up. Connections are reused through a pool instead (below).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        " PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
elif env_bool("DATABASE_POOL", True) and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's pool: a few connections per server process, shared by its requests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 10),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks -----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "preau",
        }
    }
    CACHES["shared"] = CACHES["default"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Shared between the web server and the task worker (separate processes): the
        # progress of background work, which the worker writes inside its transaction.
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        },
    }

# Sessions live in the database (behind the cache when there is Redis): a restart or a
# redeploy signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_COOKIE_NAME = "preau_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "directory.Person"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "preau.core.hashers.PreauArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock-out: after this many failures an account waits, doubling each time.
PREAU_LOGIN_FAILURES_BEFORE_DELAY = env_int("PREAU_LOGIN_FAILURES_BEFORE_DELAY", 5)
PREAU_LOGIN_MAX_DELAY_SECONDS = env_int("PREAU_LOGIN_MAX_DELAY_SECONDS", 900)
PREAU_LOGIN_ATTEMPTS_PER_ADDRESS = env_int("PREAU_LOGIN_ATTEMPTS_PER_ADDRESS", 30)
PREAU_ACTIVATION_DAYS = env_int("PREAU_ACTIVATION_DAYS", 60)

# --- Security -------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and env_bool("HTTPS", False))
SESSION_COOKIE_SECURE = env_bool("HTTPS", False)
CSRF_COOKIE_SECURE = env_bool("HTTPS", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if env_bool("HTTPS", False) else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# --- Files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# WhiteNoise serves this folder once `collectstatic` has filled it; it must exist before.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("COLLECTSTATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if os.environ.get("S3_BUCKET"):
    # At scale: an S3-compatible object store (extra "scale" installs django-storages).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- E-mail ---------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = 10
else:
    # Embedded mode: e-mails are written as files under var/mail, one per message.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Préau <ne-pas-repondre@preau.invalid>")

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
# French only for now: the msgids are French; another language comes with its catalogue.
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Logs -----------------------------------------------------------------------------
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "preau.core.middleware.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per request comes from preau.request; Django's own would double it.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # pysaml2's schema library announces every schema it loads, at each start.
        "xmlschema": {"level": "WARNING"},
    },
}
# pysaml2 imports a cipher mode cryptography has moved (it does not use it): a warning at each
# start that says nothing to an operator.
warnings.filterwarnings("ignore", message="CFB has been moved", module="saml2")

# --- Real time (Channels) -------------------------------------------------------------
# One process in embedded mode; across processes and nodes, Redis.
if REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Préau ----------------------------------------------------------------------------
# The AAF exports its directory in pages of a few MB; anything this large is not one.
PREAU_AAF_MAX_FILE_BYTES = env_int("PREAU_AAF_MAX_FILE_BYTES", 512 * 2**20)
PREAU_AAF_UPLOAD_DIR = Path(os.environ.get("PREAU_AAF_UPLOAD_DIR", VAR_DIR / "aaf"))
PREAU_REQUEST_LOG = env_bool("PREAU_REQUEST_LOG", True)

# --- Messaging (app messaging) --------------------------------------------------------
# Attachments: each file at most this size, and each person's files together at most the quota.
PREAU_MESSAGING_MAX_FILE_BYTES = env_int("PREAU_MESSAGING_MAX_FILE_BYTES", 10 * 2**20)
PREAU_MESSAGING_QUOTA_BYTES = env_int("PREAU_MESSAGING_QUOTA_BYTES", 200 * 2**20)
PREAU_MESSAGING_MAX_FILES = env_int("PREAU_MESSAGING_MAX_FILES", 10)
# Sending limits per person and per hour, "messages,recipients" for each kind of sender:
# pupils, families (parents, elected parents) and staff (school, commune, authorities).
# A family cannot write to 300 families; a stolen account cannot spam.
PREAU_MESSAGING_HOURLY_LIMITS = {
    kind: tuple(int(n) for n in os.environ.get(f"PREAU_MESSAGING_LIMIT_{kind.upper()}", default).split(","))
    for kind, default in (("pupil", "20,40"), ("family", "20,60"), ("staff", "60,3000"))
}
# Recipients of a list larger than this never see each other (families never do).
PREAU_MESSAGING_VISIBLE_LIST_MAX = env_int("PREAU_MESSAGING_VISIBLE_LIST_MAX", 30)
# How long messages are kept with their author once sent (days): the legal retention period.
PREAU_MESSAGING_RETENTION_DAYS = env_int("PREAU_MESSAGING_RETENTION_DAYS", 365)

# --- Notifications (app notifications) ------------------------------------------------
# Web push signs every message with a VAPID key pair (RFC 8292). At scale every node gets the
# same pair from the environment (`preau vapid_keys` prints a new one); embedded, one pair per
# checkout is generated once into var/, like the secret key, so subscriptions survive a restart.
PREAU_VAPID_PRIVATE_KEY = os.environ.get("PREAU_VAPID_PRIVATE_KEY", "")
PREAU_VAPID_PUBLIC_KEY = os.environ.get("PREAU_VAPID_PUBLIC_KEY", "")
if not PREAU_VAPID_PRIVATE_KEY:
    from preau.notifications.vapid import new_private_key, public_key_of

    PREAU_VAPID_PRIVATE_KEY = kept_in_var("vapid_private_key", new_private_key)
    PREAU_VAPID_PUBLIC_KEY = public_key_of(PREAU_VAPID_PRIVATE_KEY)
# Push services may ask who sends: an address the operators read.
PREAU_VAPID_SUBJECT = os.environ.get("PREAU_VAPID_SUBJECT", "mailto:exploitation@preau.invalid")
# The browsers' push services: a subscription to any other host is refused, so that nobody can
# make the server post to an address of their choice. https only, except in tests.
PREAU_PUSH_SERVICE_HOSTS = env_list(
    "PREAU_PUSH_SERVICE_HOSTS",
    "fcm.googleapis.com,push.services.mozilla.com,web.push.apple.com,notify.windows.com",
)
PREAU_PUSH_ALLOW_HTTP = env_bool("PREAU_PUSH_ALLOW_HTTP", False)
# The unread counters of the header badge: the fan-out runs in the worker, another process, so
# the cache must be one both see ("shared": a folder in embedded mode, Redis at scale).
PREAU_NOTIFICATIONS_CACHE = os.environ.get("PREAU_NOTIFICATIONS_CACHE", "shared")

# --- Instant messaging (app chat) -----------------------------------------------------
# A message is plain text of at most this many characters.
PREAU_CHAT_MAX_LENGTH = env_int("PREAU_CHAT_MAX_LENGTH", 1000)
# Posting ceiling per person, all rooms together: this many messages per window of seconds.
PREAU_CHAT_RATE_MESSAGES = env_int("PREAU_CHAT_RATE_MESSAGES", 10)
PREAU_CHAT_RATE_SECONDS = env_int("PREAU_CHAT_RATE_SECONDS", 10)
# School time, when pupils may use their rooms: these hours on school days (Monday to Friday
# outside the académie's holidays and public holidays), Wednesday's own hours ("" = no school
# on Wednesday, the four-day week).
PREAU_CHAT_SCHOOL_HOURS = os.environ.get("PREAU_CHAT_SCHOOL_HOURS", "08:00-17:00")
PREAU_CHAT_WEDNESDAY_HOURS = os.environ.get("PREAU_CHAT_WEDNESDAY_HOURS", "08:00-12:00")
# Off only where the académie lets pupils chat outside school time (rooms' hours still apply).
PREAU_CHAT_PUPILS_IN_SCHOOL_TIME_ONLY = env_bool("PREAU_CHAT_PUPILS_IN_SCHOOL_TIME_ONLY", True)

# --- Cahier de textes, liaison, journal, agenda ---------------------------------------
# Cahier journal: the longest a teacher may lend their journal to a replacement, in days.
PREAU_JOURNAL_MAX_SHARE_DAYS = env_int("PREAU_JOURNAL_MAX_SHARE_DAYS", 366)
# Agenda: the window of the private iCalendar feeds (days before and after today), how often
# calendar applications are asked to read them again (hours), and how far the portal's
# "coming up" list looks ahead (days).
PREAU_AGENDA_FEED_DAYS_BEFORE = env_int("PREAU_AGENDA_FEED_DAYS_BEFORE", 62)
PREAU_AGENDA_FEED_DAYS_AFTER = env_int("PREAU_AGENDA_FEED_DAYS_AFTER", 366)
PREAU_AGENDA_FEED_REFRESH_HOURS = env_int("PREAU_AGENDA_FEED_REFRESH_HOURS", 6)
PREAU_AGENDA_UPCOMING_DAYS = env_int("PREAU_AGENDA_UPCOMING_DAYS", 30)
PREAU_LIAISON_REMINDER_HOURS = env_int("PREAU_LIAISON_REMINDER_HOURS", 24)  # hours between reminders
PREAU_LIAISON_REPLY_MAX_LENGTH = env_int("PREAU_LIAISON_REPLY_MAX_LENGTH", 2000)  # characters of a reply
PREAU_HOMEWORK_ATTACHMENT_MAX_BYTES = env_int("PREAU_HOMEWORK_ATTACHMENT_MAX_BYTES", 10 * 2**20)
PREAU_HOMEWORK_MAX_ATTACHMENTS = env_int("PREAU_HOMEWORK_MAX_ATTACHMENTS", 5)  # files per séance or work

# --- Conventions (app conventions) ----------------------------------------------------
# The signed copy of a convention: a PDF, scanned or signed electronically.
PREAU_CONVENTIONS_SIGNED_MAX_BYTES = env_int("PREAU_CONVENTIONS_SIGNED_MAX_BYTES", 20 * 2**20)
# Reminders of the daily `preau apply_conventions`, in days: conventions to renew before their
# end, sent and not signed, titres to issue after signature or not paid after issue, and
# termination deadlines or data deletions coming.
PREAU_CONVENTIONS_RENEWAL_NOTICE_DAYS = env_int("PREAU_CONVENTIONS_RENEWAL_NOTICE_DAYS", 60)
PREAU_CONVENTIONS_SIGNATURE_REMINDER_DAYS = env_int("PREAU_CONVENTIONS_SIGNATURE_REMINDER_DAYS", 30)
PREAU_CONVENTIONS_TITRE_REMINDER_DAYS = env_int("PREAU_CONVENTIONS_TITRE_REMINDER_DAYS", 30)
PREAU_CONVENTIONS_DEADLINE_NOTICE_DAYS = env_int("PREAU_CONVENTIONS_DEADLINE_NOTICE_DAYS", 14)
# During the three months after a school's coverage ends its people only read and export:
# the middleware refuses their changes, except in these URL namespaces (exports of services).
PREAU_CONVENTIONS_OPEN_NAMESPACES = env_list("PREAU_CONVENTIONS_OPEN_NAMESPACES")
if env_bool("PREAU_CONVENTIONS_READ_ONLY_AFTER_COVERAGE", True):
    MIDDLEWARE = [*MIDDLEWARE, "preau.conventions.middleware.AccessPeriodMiddleware"]


# --- Performance and overload (bench/, core.overload) ---------------------------------
# Overload: each server process takes at most this many HTTP requests at once; beyond it a
# request gets at once a 503 with Retry-After and a waiting page (core.overload). 0 turns
# the limit off. Classes by path: "heavy" is shed from a share of the limit, "normal" at the
# limit, "essential" keeps a reserve above it; "exempt" (health checks, static files) never is.
# A pattern starting with "*" is a suffix (exports), any other a path prefix.
PREAU_OVERLOAD_MAX_IN_FLIGHT = env_int("PREAU_OVERLOAD_MAX_IN_FLIGHT", 16)
PREAU_OVERLOAD_SHARES = {
    "heavy": float(os.environ.get("PREAU_OVERLOAD_HEAVY_SHARE", "0.5")),
    "normal": 1.0,
    "essential": float(os.environ.get("PREAU_OVERLOAD_ESSENTIAL_SHARE", "1.25")),
}
PREAU_OVERLOAD_PATHS = {
    "exempt": env_list("PREAU_OVERLOAD_EXEMPT", "/healthz,/static/"),
    "heavy": env_list(
        "PREAU_OVERLOAD_HEAVY",
        "*.csv,*.pdf,*.zip,*.ics,/annuaire/journal/,/annuaire/imports/,/exploitation/,/recherche/,/messagerie/recherche/",
    ),
    "essential": env_list(
        "PREAU_OVERLOAD_ESSENTIAL", "/cahier-de-textes/,/cahier-de-liaison/,/connexion/,/deconnexion/,/activation/"
    ),
}
# Retry-After, in seconds, drawn at random between these bounds so retries do not come back
# all at once.
PREAU_OVERLOAD_RETRY_AFTER = (
    env_int("PREAU_OVERLOAD_RETRY_MIN", 2),
    env_int("PREAU_OVERLOAD_RETRY_MAX", 8),
)
# Bench only (bench/run.py sets them; never on in production): the floor view at
# /bench/plancher, and the number of SQL queries of each response in `X-Preau-Queries`.
PREAU_BENCH_FLOOR = env_bool("PREAU_BENCH_FLOOR", False)
PREAU_BENCH_QUERY_HEADER = env_bool("PREAU_BENCH_QUERY_HEADER", False)
if PREAU_BENCH_QUERY_HEADER:
    MIDDLEWARE.insert(0, "preau.core.floor.QueryCountMiddleware")

# --- Single sign-on (app sso) ---------------------------------------------------------
# The key pair that signs SAML messages (as SP and as IdP) and the ID tokens. At scale every
# node reads the same files; embedded, a pair is made once into var/sso/ (partners register
# its certificate, published in the metadata, so it must not change with each start).
PREAU_SSO_SIGNING_KEY_FILE = Path(os.environ.get("PREAU_SSO_SIGNING_KEY_FILE", VAR_DIR / "sso" / "signing-key.pem"))
PREAU_SSO_SIGNING_CERT_FILE = Path(os.environ.get("PREAU_SSO_SIGNING_CERT_FILE", VAR_DIR / "sso" / "signing-cert.pem"))
from preau.sso.keys import ensure_signing_pair  # noqa: E402  (no Django import in it)

ensure_signing_pair(PREAU_SSO_SIGNING_KEY_FILE, PREAU_SSO_SIGNING_CERT_FILE, common_name="Préau")
# The identity providers' client secrets and the TOTP seeds are encrypted with this key
# (derived from SECRET_KEY when unset); the old keys still decrypt after a change.
PREAU_SSO_SECRET_KEY = os.environ.get("PREAU_SSO_SECRET_KEY", "")
PREAU_SSO_OLD_SECRET_KEYS = env_list("PREAU_SSO_OLD_SECRET_KEYS")
PREAU_SSO_XMLSEC_BINARY = os.environ.get("PREAU_SSO_XMLSEC_BINARY", "/usr/bin/xmlsec1")
# Session lifetime in hours per kind of profile; a person gets the shortest of theirs.
PREAU_SSO_SESSION_HOURS = {
    group: float(os.environ.get(f"PREAU_SSO_SESSION_HOURS_{group.upper()}", default))
    for group, default in (("pupil", "8"), ("family", "12"), ("staff", "12"), ("commune", "12"), ("admin", "4"))
}
# Administrators (DSDEN, académie, operators) must add a second factor (an authenticator
# application or a security key) to their local sign-in; on by default wherever Préau is served
# over HTTPS.
PREAU_SSO_TOTP_REQUIRED_FOR_ADMINS = env_bool("PREAU_SSO_TOTP_REQUIRED_FOR_ADMINS", env_bool("HTTPS", False))
# Security keys (WebAuthn) are bound to this domain; empty: the host the browser asked for
# (set it when a proxy rewrites the Host header, or to the parent domain of several sites).
PREAU_WEBAUTHN_RP_ID = os.environ.get("PREAU_WEBAUTHN_RP_ID", "")
# CAS service tickets live this many seconds.
PREAU_SSO_CAS_TICKET_SECONDS = env_int("PREAU_SSO_CAS_TICKET_SECONDS", 30)
# FrEduUrlRetour (ÉduConnect's "go back to" address) is followed after sign-out only to these
# hosts (a leading dot: the domain and its sub-domains).
PREAU_SSO_URL_RETOUR_HOSTS = env_list("PREAU_SSO_URL_RETOUR_HOSTS", ".education.gouv.fr")
# The partner registrations point at django-oauth-toolkit's own client model (swappable there).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    # RFC 9700 (OAuth 2.0 Security BCP): no implicit nor password grant, PKCE S256 only, tokens
    # never in the query string, `iss` in the authorization response, hashed tokens, refresh
    # token replay detection.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": PREAU_SSO_SIGNING_KEY_FILE.read_text(),
    "OIDC_ISS_ENDPOINT": PREAU_SITE_URL,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID Connect"},
    "DEFAULT_SCOPES": ["openid"],
    "SCOPES_BACKEND_CLASS": "preau.sso.oidc_provider.PartnerScopes",
    "OAUTH2_VALIDATOR_CLASS": "preau.sso.oidc_provider.PreauOAuth2Validator",
    # Consent is asked once, then again only when the client asks more or its tokens expired.
    "REQUEST_APPROVAL_PROMPT": "auto",
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if env_bool("HTTPS", False) else ["https", "http"],
}
