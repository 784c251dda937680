"""One settings module, driven by environment variables.

SQLite under ./var is the embedded default so a newcomer needs no server; set
DATABASE_URL (e.g. postgres://user@host/db) to use PostgreSQL. DEBUG is off unless
asked for, and outside development a SECRET_KEY must be given.
"""

import os
import sys
import tempfile
from pathlib import Path

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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "linkwell.core",
    "linkwell.accounts",
    "linkwell.audit",
    "linkwell.places",
    "linkwell.directory",
    "linkwell.referrals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "linkwell" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "linkwell.core.context_processors.site",
                "linkwell.accounts.context_processors.permissions",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Outside production, serve static files straight from the apps (no collectstatic needed).
WHITENOISE_AUTOREFRESH = DEBUG or DEVELOPMENT or TESTING

# Open Referral UK requires anonymous cross-origin access to the feed.
CORS_ALLOW_ALL_ORIGINS = True
# The open directory and place look-ups only: the referral endpoints (personal data) are for
# the partners' own systems, server to server, never read by another site's page.
CORS_URLS_REGEX = r"^/api/v1/(?!referrals/|people/|cases/|notifications/).*$"
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not (DEBUG or DEVELOPMENT or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEVELOPMENT)
    else "django.core.mail.backends.smtp.EmailBackend",
)

# Where the default place's open data lives (see ../shared/data/SOURCES.md).
PLACE_DATA_DIR = Path(os.environ.get("LINKWELL_PLACE_DIR", BASE_DIR.parent / "shared" / "data"))
# The public address of this feed, used in links inside the ORUK root document.
PUBLIC_BASE_URL = os.environ.get("LINKWELL_PUBLIC_URL", "http://localhost:8000").rstrip("/")

# A listing not reviewed for this many days shows as stale.
LISTING_STALE_AFTER_DAYS = env_int("LINKWELL_STALE_AFTER_DAYS", 183)
API_MAX_PER_PAGE = env_int("LINKWELL_API_MAX_PER_PAGE", 100)
# A stale listing is flagged to its provider; this many days later it leaves default search.
LISTING_STALE_GRACE_DAYS = env_int("LINKWELL_STALE_GRACE_DAYS", 30)
# Map background tiles ({z}/{x}/{y} template); empty: ward outlines only, no tile server.
MAP_TILES_URL = os.environ.get(
    "LINKWELL_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
MAP_TILES_ATTRIBUTION = os.environ.get(
    "LINKWELL_MAP_TILES_ATTRIBUTION", "© OpenStreetMap contributors"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
