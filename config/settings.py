"""One settings module, driven by environment variables.

SQLite under ./var is the embedded default so a newcomer needs no server; set
DATABASE_URL (e.g. postgres://user@host/db) to use PostgreSQL. DEBUG is off unless
asked for, and outside development a SECRET_KEY must be given.
"""

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import django.conf.locale
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Parse a yes/no environment variable strictly: a typo is an error, not False."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from exc


TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")
DEVELOPMENT = env_bool("LINKWELL_DEV", False)
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEVELOPMENT or TESTING:
        SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY, or LINKWELL_DEV=1 for local development."
        )

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEVELOPMENT or DEBUG or TESTING:
    ALLOWED_HOSTS += ["localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = [
    # The front first: its templates (sign-in pages among them) win over contrib.admin's.
    "linkwell.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    # django-ninja: its API docs page then serves Swagger UI from our static files, not a CDN.
    "ninja",
    "linkwell.core",
    "linkwell.accounts",
    "linkwell.audit",
    "linkwell.notifications",
    "linkwell.places",
    "linkwell.directory",
    "linkwell.referrals",
    "linkwell.matching",
    "linkwell.outcomes",
    "linkwell.intelligence",
    "linkwell.operations",
    # Signing in (docs/adr/0020-staff-sign-in.md): one-time codes and password-guessing limits.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Which device verified the session; then the idle and absolute timeouts; then the second
    # step of signing in, before any view (docs/adr/0020-staff-sign-in.md).
    "django_otp.middleware.OTPMiddleware",
    "linkwell.accounts.signin.middleware.SessionTimeoutMiddleware",
    "linkwell.accounts.signin.middleware.SecondStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "linkwell.web.context_processors.site",
                "linkwell.web.context_processors.permissions",
                "linkwell.web.hub.context.hub",
            ],
        },
    },
]

VAR_DIR = Path(os.environ.get("LINKWELL_VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'linkwell.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers carry on during a long import; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file too, not Django's shared in-memory database: there, two connections
    # writing at once fail at once ("table is locked") instead of waiting as they do on a file,
    # which would make the concurrency tests (capacity races) test the wrong thing. One file
    # per test process, so two test runs at once never share (or delete) one database.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(Path(tempfile.gettempdir()) / f"linkwell-test-{os.getpid()}.sqlite3")
    )

# --- The cache (docs/adr/0021) ---
# Rate limits must hold across every worker process, so the default cache is a table in the
# database (made by `migrate`: core migration 0001), and CACHE_URL (or REDIS_URL) may point at
# Redis instead. Tests keep each process's own memory unless CACHE_URL is given: a test process
# is one worker, and tests that never touch the database still use the cache.
CACHE_TABLE = "linkwell_cache"


def cache_config(url: str, *, testing: bool = False) -> dict[str, Any]:
    """The default cache for a URL: empty or db:// = the database table, redis://, rediss://
    or unix:// = Redis, locmem:// = this process's memory only (one worker)."""
    if not url:
        scheme = "locmem" if testing else "db"
    else:
        scheme = url.split("://", 1)[0].lower() if "://" in url else "?"
    if scheme == "db":
        # Culling starts past MAX_ENTRIES: high enough that rate-limit counts are not culled.
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if scheme in {"redis", "rediss", "unix"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "linkwell",
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "linkwell"}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, unix://, db:// or locmem://; got {url!r}"
    )


CACHES = {
    "default": cache_config(
        os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "", testing=TESTING
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"

# --- Signing in (docs/adr/0020-staff-sign-in.md) ---
# django-axes first: it refuses a locked account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Without a `next` page: the staff home for the person's roles (or the home page).
LOGIN_REDIRECT_URL = "/accounts/profile/"
# NCSC password guidance: long enough, not a known or guessable one, no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "linkwell.accounts.signin.passwords.LongEnough", "OPTIONS": {"min_length": 12}},
    {"NAME": "linkwell.accounts.signin.passwords.NotCommon"},
    {"NAME": "linkwell.accounts.signin.passwords.NotOnlyNumbers"},
    {"NAME": "linkwell.accounts.signin.passwords.NotLikeYourDetails"},
]
# Password guessing: an account is locked after this many wrong passwords (from anywhere), an
# address after this many (at any accounts; higher, as a whole NHS site may share one address;
# 0: no limit by address), each for the cool-off after the last failure.
SIGNIN_FAILURE_LIMIT = env_int("LINKWELL_SIGNIN_FAILURE_LIMIT", 5)
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("LINKWELL_SIGNIN_ADDRESS_FAILURE_LIMIT", 50)
SIGNIN_COOLOFF_MINUTES = env_int("LINKWELL_SIGNIN_COOLOFF_MINUTES", 15)
if SIGNIN_FAILURE_LIMIT < 1 or SIGNIN_ADDRESS_FAILURE_LIMIT < 0 or SIGNIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured(
        "LINKWELL_SIGNIN_FAILURE_LIMIT and LINKWELL_SIGNIN_COOLOFF_MINUTES must be 1 or more, "
        "LINKWELL_SIGNIN_ADDRESS_FAILURE_LIMIT 0 or more"
    )
# The client's address: REMOTE_ADDR, unless a reverse proxy in front sets this header (e.g.
# X-Forwarded-For); then the address LINKWELL_PROXY_COUNT hops from the right end of it, the
# one our own proxies saw, since whatever is further left the client may have written itself.
CLIENT_IP_HEADER = os.environ.get("LINKWELL_CLIENT_IP_HEADER", "").strip()
PROXY_COUNT = env_int("LINKWELL_PROXY_COUNT", 1)
# The open match API (POST /api/v1/match): requests a client address may make per window.
MATCH_RATE_LIMIT_PER_IP = env_int("LINKWELL_MATCH_RATE_LIMIT_PER_IP", 60)
MATCH_RATE_LIMIT_WINDOW_SECONDS = env_int("LINKWELL_MATCH_RATE_LIMIT_WINDOW_SECONDS", 60)
# The optional semantic path of need reading (needs the `semantic` extra; docs/adr/0027).
LINKWELL_NEEDS_SEMANTIC = env_bool("LINKWELL_NEEDS_SEMANTIC")
AXES_HANDLER = "linkwell.accounts.signin.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = "linkwell.accounts.signin.lockout.account_failure_limit"
AXES_COOLOFF_TIME = "linkwell.accounts.signin.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_CLIENT_IP_CALLABLE = "linkwell.accounts.signin.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "linkwell.web.signin.views.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # "wait 15 minutes" stays true
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log
AXES_ENABLE_ADMIN = False  # the accounts admin shows lockouts, with an audited unlock
# One-time codes: an authenticator app (TOTP) and single-use recovery codes.
OTP_TOTP_ISSUER = "Linkwell"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sessions end after this many minutes without a request, and this many hours after signing
# in however busy; the cookie lasts no longer, and ends with the browser.
SESSION_IDLE_MINUTES = env_int("LINKWELL_SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("LINKWELL_SESSION_MAX_HOURS", 12)
if not 1 <= SESSION_MAX_HOURS <= 24 or not 1 <= SESSION_IDLE_MINUTES <= SESSION_MAX_HOURS * 60:
    raise ImproperlyConfigured(
        "LINKWELL_SESSION_MAX_HOURS must be 1 to 24 and LINKWELL_SESSION_IDLE_MINUTES 1 to that"
    )
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# Languages the pages are offered in (docs/adr/0011-interface-languages.md; adding one:
# docs/how-to/translate.md). Punjabi is Shahmukhi, the Perso-Arabic script, written right to
# left: Django knows only Gurmukhi `pa`, so `pa-arab` is described in LANG_INFO below, and
# base.html takes the direction of every language from LANG_INFO.
LANGUAGES = [
    ("en-gb", "English"),
    ("ur", "Urdu"),
    ("pl", "Polish"),
    ("pa-arab", "Punjabi (Shahmukhi)"),
]
# name_local is how the picker names each language, in itself.
LANG_INFO = {
    **django.conf.locale.LANG_INFO,
    "en-gb": {**django.conf.locale.LANG_INFO["en-gb"], "name_local": "English"},
    "pl": {**django.conf.locale.LANG_INFO["pl"], "name_local": "Polski"},
    "pa-arab": {"bidi": True, "code": "pa-arab", "name": "Punjabi", "name_local": "پنجابی"},
}
django.conf.locale.LANG_INFO = LANG_INFO
# Django decides "right to left" from the base language ("pa"); Gurmukhi `pa` is not offered.
LANGUAGES_BIDI = [*global_settings.LANGUAGES_BIDI, "pa"]
# The picker's choice is kept for a year (a cookie the person asked for; no consent needed).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LOCALE_PATHS = [BASE_DIR / "linkwell" / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Where static files are kept and how they are served: see Serving, at the end.

# Open Referral UK requires anonymous cross-origin access to the feed.
CORS_ALLOW_ALL_ORIGINS = True
# The open directory and place look-ups only: the referral endpoints (personal data) are for
# the partners' own systems, server to server, never read by another site's page.
CORS_URLS_REGEX = r"^/api/v1/(?!referrals/|people/|cases/|notifications/).*$"
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]

# --- HTTPS and security headers (docs/adr/0021-production-settings-csp-and-shared-cache.md) ---
# Production (not LINKWELL_DEV, DEBUG or the tests) is HTTPS only: secure cookies, plain HTTP
# redirected, and HSTS so browsers never try HTTP again. `scripts/start` serves plain HTTP.
HTTPS_ONLY = not (DEBUG or DEVELOPMENT or TESTING)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS_ONLY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Off only behind a proxy that already redirects HTTP to HTTPS.
SECURE_SSL_REDIRECT = env_bool("LINKWELL_SSL_REDIRECT", HTTPS_ONLY)
SECURE_HSTS_SECONDS = env_int("LINKWELL_HSTS_SECONDS", 365 * 24 * 60 * 60 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LINKWELL_HSTS_INCLUDE_SUBDOMAINS", HTTPS_ONLY)
# Preloading is the domain owner's promise to browsers (hstspreload.org), slow to undo, so it is
# never a default; Django's reminder to set it (security.W021) is silenced for that reason.
SECURE_HSTS_PRELOAD = env_bool("LINKWELL_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# No search words (a person's needs) leave in the Referer header to other sites.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"


def proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """The header a TLS-terminating proxy sets to "https" (e.g. X-Forwarded-Proto), as Django
    wants it. Trust it only behind a proxy that always sets or strips it: else any client can
    send it and pass plain HTTP off as HTTPS."""
    name = name.strip()
    if not name:
        return None
    if not re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", name):
        raise ImproperlyConfigured(
            f"LINKWELL_PROXY_SSL_HEADER must be a header name like X-Forwarded-Proto; got {name!r}"
        )
    return "HTTP_" + name.upper().replace("-", "_"), "https"


def origins(name: str) -> list[str]:
    """Comma-separated origins (scheme://host[:port]); anything else is an error."""
    found = [o.strip() for o in os.environ.get(name, "").split(",") if o.strip()]
    for origin in found:
        parts = urlsplit(origin)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
            raise ImproperlyConfigured(
                f"{name} takes origins like https://linkwell.example; got {origin!r}"
            )
    return [origin.rstrip("/") for origin in found]


SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("LINKWELL_PROXY_SSL_HEADER", ""))
# Other origins whose forms may post here (e.g. a second public name of the site).
CSRF_TRUSTED_ORIGINS = origins("CSRF_TRUSTED_ORIGINS")
# A refused form gets the site's styled 403 page (JSON under /api/), not Django's bare one.
CSRF_FAILURE_VIEW = "linkwell.core.errors.csrf_failure"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEVELOPMENT)
    else "django.core.mail.backends.smtp.EmailBackend",
)

# Where the default place's open data lives: one or more folders read as one place, Bradford's
# files then Craven's rows (see ../shared/data/SOURCES.md and ../shared/data-craven/SOURCES.md).
# LINKWELL_PLACE_DIR may name several folders separated by os.pathsep (":" on Linux).
PLACE_DATA_DIRS = [
    Path(folder)
    for folder in os.environ.get(
        "LINKWELL_PLACE_DIR",
        os.pathsep.join(str(BASE_DIR.parent / "shared" / name) for name in ("data", "data-craven")),
    ).split(os.pathsep)
    if folder.strip()
]
if not PLACE_DATA_DIRS:
    raise ImproperlyConfigured("LINKWELL_PLACE_DIR names no folder")
PLACE_DATA_DIR = PLACE_DATA_DIRS[0]  # the first folder (its SOURCES.md names the place)
# The public address of this feed, used in links inside the ORUK root document.
PUBLIC_BASE_URL = os.environ.get("LINKWELL_PUBLIC_URL", "http://localhost:8000").rstrip("/")

# Outcomes: a follow-up falls due this many weeks after the baseline (or at the last session);
# a self-completion link works this many days; a person may ask for a new link this many times
# a day (a link's administration, whichever address asks).
OUTCOME_FOLLOW_UP_WEEKS = env_int("LINKWELL_OUTCOME_FOLLOW_UP_WEEKS", 12)
OUTCOME_LINK_DAYS = env_int("LINKWELL_OUTCOME_LINK_DAYS", 14)
OUTCOME_LINK_REQUESTS_PER_DAY = env_int("LINKWELL_OUTCOME_LINK_REQUESTS_PER_DAY", 3)
if not (1 <= OUTCOME_FOLLOW_UP_WEEKS <= 104 and 1 <= OUTCOME_LINK_DAYS <= 90):
    raise ImproperlyConfigured(
        "LINKWELL_OUTCOME_FOLLOW_UP_WEEKS must be 1 to 104 and LINKWELL_OUTCOME_LINK_DAYS 1 to 90"
    )

# A listing not reviewed for this many days shows as stale.
LISTING_STALE_AFTER_DAYS = env_int("LINKWELL_STALE_AFTER_DAYS", 183)
API_MAX_PER_PAGE = env_int("LINKWELL_API_MAX_PER_PAGE", 100)
# API tokens stop working this many days after they are made (at most a year).
API_TOKEN_DAYS = env_int("LINKWELL_API_TOKEN_DAYS", 90)
if not 1 <= API_TOKEN_DAYS <= 365:
    raise ImproperlyConfigured(f"LINKWELL_API_TOKEN_DAYS must be 1 to 365; got {API_TOKEN_DAYS}")
# A stale listing is flagged to its provider; this many days later it leaves default search.
LISTING_STALE_GRACE_DAYS = env_int("LINKWELL_STALE_GRACE_DAYS", 30)
# Map background tiles ({z}/{x}/{y} template); empty: ward outlines only, no tile server.
MAP_TILES_URL = os.environ.get(
    "LINKWELL_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
MAP_TILES_ATTRIBUTION = os.environ.get(
    "LINKWELL_MAP_TILES_ATTRIBUTION", "© OpenStreetMap contributors"
)


def csp_source(url: str) -> str | None:
    """Where a URL template loads from, as a CSP source: scheme://host[:port], with Leaflet's
    {s} subdomain as *; None for a path on this site (already 'self') or no URL at all."""
    parts = urlsplit(url.strip())
    if not parts.scheme and not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1].replace("{s}", "*")
    if parts.scheme not in {"http", "https"} or not re.fullmatch(
        r"(\*\.)?[A-Za-z0-9.-]+(:[0-9]+)?", host
    ):
        raise ImproperlyConfigured(f"LINKWELL_MAP_TILES_URL is not an http(s) address: {url!r}")
    return f"{parts.scheme}://{host}"


def content_security_policy(map_tiles_url: str) -> dict[str, Any]:
    """Everything from this site only: no inline script or style, no framing, no plugins.
    Images may also be data: URIs (Leaflet, the admin) and the map's tile server."""
    tiles = csp_source(map_tiles_url)
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:", *([tiles] if tiles else [])],
            "connect-src": ["'self'"],
            "frame-ancestors": ["'none'"],
            "form-action": ["'self'"],
            "base-uri": ["'self'"],
            "object-src": ["'none'"],
        }
    }


# Served by csp.middleware.CSPMiddleware on every response (django-csp).
CONTENT_SECURITY_POLICY = content_security_policy(MAP_TILES_URL)

# --- Health, logs and metrics (docs/adr/0036) ---
# First of all middleware: the request id and the request's log line and latency around
# everything; then the probes and /metrics, answered before the HTTPS redirect and host check.
MIDDLEWARE = [
    "linkwell.operations.middleware.RequestLogMiddleware",
    "linkwell.operations.middleware.ProbeMiddleware",
    *MIDDLEWARE,
]
# /readyz wants a worker seen within this many minutes, when jobs are queued for one; unset,
# LINKWELL_READY_REQUIRE_WORKER follows LINKWELL_JOBS (a worker is needed unless "inline").
READY_WORKER_MINUTES = env_int("LINKWELL_READY_WORKER_MINUTES", 5)
READY_REQUIRE_WORKER = (
    env_bool("LINKWELL_READY_REQUIRE_WORKER")
    if os.environ.get("LINKWELL_READY_REQUIRE_WORKER", "").strip()
    else None
)
if READY_WORKER_MINUTES < 1:
    raise ImproperlyConfigured("LINKWELL_READY_WORKER_MINUTES must be 1 or more")
# /metrics answers this machine, and elsewhere only `Authorization: Bearer <this token>`.
METRICS_TOKEN = os.environ.get("LINKWELL_METRICS_TOKEN", "").strip()
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured(
        "LINKWELL_METRICS_TOKEN must be at least 32 characters; make one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
    )
# One JSON object a line for a log shipper (production), or plain text at a console.
LOG_FORMAT = (
    os.environ.get("LOG_FORMAT", "text" if (DEBUG or DEVELOPMENT or TESTING) else "json")
    .strip()
    .lower()
)
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text; got {LOG_FORMAT!r}")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "linkwell.operations.logs.RequestIdFilter"},
        "route_not_path": {"()": "linkwell.operations.logs.RouteNotPathFilter"},
    },
    "formatters": {
        "json": {"()": "linkwell.operations.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "route_not_path"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own console handler (DEBUG only) would write its lines twice: one handler.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}

# --- E-mail and text messages: GOV.UK Notify, SMTP or the console (docs/adr/0035) ---
# LINKWELL_MAIL chooses how messages leave: "notify" (e-mail and text through GOV.UK Notify),
# "smtp" (e-mail through EMAIL_BACKEND, SMTP by default; no texts) or "console" (e-mail through
# EMAIL_BACKEND, the console by default, texts to the log). EMAIL_BACKEND, if set, still wins.
LINKWELL_MAIL = os.environ.get("LINKWELL_MAIL", "").strip().lower() or (
    "console" if (DEBUG or DEVELOPMENT or TESTING) else "smtp"
)
if LINKWELL_MAIL not in {"notify", "smtp", "console"}:
    raise ImproperlyConfigured(
        f"LINKWELL_MAIL must be notify, smtp or console; got {LINKWELL_MAIL!r}"
    )
if not os.environ.get("EMAIL_BACKEND") and LINKWELL_MAIL != "notify":
    EMAIL_BACKEND = f"django.core.mail.backends.{LINKWELL_MAIL}.EmailBackend"
# The API key from Notify's "API integration" page; the ids of two generic templates whose
# content is ((body)) (the e-mail's subject ((subject))): see docs/adr/0035-notify.md.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "").strip()
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = env_int("NOTIFY_TIMEOUT", 10)  # seconds; a slower answer is tried again later
NOTIFY_TEMPLATES = {
    "email": os.environ.get("NOTIFY_TEMPLATE_EMAIL", "").strip(),
    "text": os.environ.get("NOTIFY_TEMPLATE_TEXT", "").strip(),
}
# Tries of a message before it is given up as failed (and its sender told).
LINKWELL_MAIL_ATTEMPTS = env_int("LINKWELL_MAIL_ATTEMPTS", 5)
if LINKWELL_MAIL == "notify" and (len(NOTIFY_API_KEY) < 74 or not all(NOTIFY_TEMPLATES.values())):
    raise ImproperlyConfigured(
        "LINKWELL_MAIL=notify needs NOTIFY_API_KEY (the whole key Notify shows, name included), "
        "NOTIFY_TEMPLATE_EMAIL and NOTIFY_TEMPLATE_TEXT (template ids): see docs/adr/0035-notify.md"
    )
if not 1 <= LINKWELL_MAIL_ATTEMPTS <= 50:
    raise ImproperlyConfigured("LINKWELL_MAIL_ATTEMPTS must be 1 to 50")

# --- Serving (docs/adr/0037) ---
# Static files: in production, compressed copies under content-hashed names made by
# `collectstatic` (`linkwell serve` runs it at start, the image at build) and served by
# WhiteNoise with "cache for ever" headers; in development and tests, straight from the apps
# (no collectstatic needed, changes seen at once).
STATIC_FROM_APPS = DEBUG or DEVELOPMENT or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_FROM_APPS
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_APPS
WHITENOISE_AUTOREFRESH = STATIC_FROM_APPS
# Health checks come over plain HTTP from inside (the container runtime, a load balancer's
# probe): answered, not redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz)$"]


def server_bind(bind: str, port: str) -> str:
    """LINKWELL_BIND as given; else every interface on PORT (a platform's port, e.g. a PaaS);
    else the loopback only, for a reverse proxy on the same host."""
    if bind.strip():
        return bind.strip()
    if port.strip():
        if not port.strip().isdigit():
            raise ImproperlyConfigured(f"PORT must be a port number; got {port!r}")
        return f"0.0.0.0:{port.strip()}"
    return "127.0.0.1:8000"


# `linkwell serve` (gunicorn): where it listens (LINKWELL_BIND, else 0.0.0.0:PORT when a
# platform gives PORT, else 127.0.0.1:8000); its processes and threads (0: from the CPUs it
# may use); how long a request may run before its worker is replaced, and how long requests
# in flight may take to finish after SIGTERM; whether it runs collectstatic as it starts.
SERVER_BIND = server_bind(os.environ.get("LINKWELL_BIND", ""), os.environ.get("PORT", ""))
SERVER_WORKERS = env_int("LINKWELL_WEB_WORKERS", 0)
SERVER_THREADS = env_int("LINKWELL_WEB_THREADS", 0)
SERVER_REQUEST_TIMEOUT = env_int("LINKWELL_REQUEST_TIMEOUT", 60)
SERVER_GRACEFUL_TIMEOUT = env_int("LINKWELL_GRACEFUL_TIMEOUT", 30)
SERVER_COLLECTSTATIC = env_bool("LINKWELL_COLLECTSTATIC", True)
if (
    min(SERVER_WORKERS, SERVER_THREADS) < 0
    or min(SERVER_REQUEST_TIMEOUT, SERVER_GRACEFUL_TIMEOUT) < 1
):
    raise ImproperlyConfigured(
        "LINKWELL_WEB_WORKERS and LINKWELL_WEB_THREADS must be 0 (from the CPUs) or more, "
        "LINKWELL_REQUEST_TIMEOUT and LINKWELL_GRACEFUL_TIMEOUT 1 second or more"
    )

# --- Background jobs and the schedule (docs/adr/0034-background-jobs.md) ---
# django-q2 with its database (ORM) broker: jobs wait in a table of this database, SQLite or
# PostgreSQL alike, for `linkwell worker`. "inline" runs them in this process after commit
# instead (tests and the demo: no worker needed).
INSTALLED_APPS += ["django_q"]
LINKWELL_JOBS = os.environ.get("LINKWELL_JOBS", "").strip().lower() or (
    "inline" if DEVELOPMENT or TESTING else "worker"
)
if LINKWELL_JOBS not in {"inline", "worker"}:
    raise ImproperlyConfigured(f"LINKWELL_JOBS must be inline or worker; got {LINKWELL_JOBS!r}")
# A job that raises is tried again FIRST, FIRST*FACTOR, FIRST*FACTOR^2... minutes later (1, 5,
# 25), MAX_ATTEMPTS tries in all; each failed try shows in the admin's failed tasks.
LINKWELL_JOB_MAX_ATTEMPTS = env_int("LINKWELL_JOB_MAX_ATTEMPTS", 4)
LINKWELL_JOB_RETRY_FIRST_MINUTES = env_int("LINKWELL_JOB_RETRY_FIRST_MINUTES", 1)
LINKWELL_JOB_RETRY_FACTOR = env_int("LINKWELL_JOB_RETRY_FACTOR", 5)
# A job running longer is stopped (and retried); the hub refresh takes under a minute at
# national scale.
LINKWELL_JOB_TIMEOUT = env_int("LINKWELL_JOB_TIMEOUT", 600)
if LINKWELL_JOB_MAX_ATTEMPTS < 1 or LINKWELL_JOB_TIMEOUT < 1:
    raise ImproperlyConfigured(
        "LINKWELL_JOB_MAX_ATTEMPTS and LINKWELL_JOB_TIMEOUT must be 1 or more"
    )
# After each hub refresh, a job works out the flows page's first view in each language, so the
# first person to open it does not wait (off in tests, where most refreshes are never viewed).
LINKWELL_HUB_WARM_PAGES = env_bool("LINKWELL_HUB_WARM_PAGES", not TESTING)
# The largest file the imports page takes (a feed of about 40,000 services is 100 MB); the
# import runs as a job, so a bigger one also needs a longer LINKWELL_JOB_TIMEOUT.
LINKWELL_IMPORT_MAX_MB = env_int("LINKWELL_IMPORT_MAX_MB", 100)
LINKWELL_WORKERS = env_int("LINKWELL_WORKERS", os.cpu_count() or 1)
LINKWELL_WORKER_HEARTBEAT_SECONDS = env_int("LINKWELL_WORKER_HEARTBEAT_SECONDS", 30)
# Local time of day ("HH:MM", or "off") of each daily job, e.g. LINKWELL_SCHEDULE_REFRESH_HUB=04:00;
# defaults in linkwell/operations/schedule.py.
LINKWELL_SCHEDULE = {
    name: os.environ[f"LINKWELL_SCHEDULE_{name.upper()}"].strip()
    for name in (
        "escalate_referrals",
        "notify_stale_listings",
        "purge_contact_requests",
        "refresh_hub",
        "remind_outcomes",
    )
    if os.environ.get(f"LINKWELL_SCHEDULE_{name.upper()}", "").strip()
}
for _name, _at in LINKWELL_SCHEDULE.items():
    if _at != "off" and not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", _at):
        raise ImproperlyConfigured(
            f"LINKWELL_SCHEDULE_{_name.upper()} must be HH:MM (24-hour) or off; got {_at!r}"
        )
# The cluster's status snapshots (qinfo, qmonitor) would be rewritten twice a second: kept
# nowhere; the heartbeat and the admin's task lists say how the worker is doing.
CACHES["jobs_status"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
Q_CLUSTER = {
    "name": "linkwell",
    "orm": "default",
    "workers": max(1, LINKWELL_WORKERS),
    "queue_limit": max(1, LINKWELL_WORKERS),  # taken from the queue only when a worker is free
    "timeout": LINKWELL_JOB_TIMEOUT,
    # The lease: a job taken but not acknowledged (its worker killed) is taken again this long
    # after; longer than the timeout, so a job still running is never taken twice.
    "retry": LINKWELL_JOB_TIMEOUT + 120,
    "ack_failures": True,  # a failed try leaves the queue: the jobs layer schedules the next
    "max_attempts": 0,
    "catch_up": False,  # a worker down for days runs each daily job once, not once a day missed
    "poll": 1,  # seconds between looks at an empty queue
    "save_limit": 1000,  # successful tasks kept for the admin; failed ones are all kept
    "cache": "jobs_status",
    "label": "Background jobs",
}
