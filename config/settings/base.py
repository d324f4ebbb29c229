"""Settings for every shape of motcua, read from environment variables.

See docs/operations.md for the list of variables and their defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_from_url(url: str, data_dir: Path) -> dict[str, object]:
    """Translate DATABASE_URL (sqlite:///path or postgres://user:pass@host:port/name)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("/") and url.startswith("sqlite:////"):
            name = "/" + path.lstrip("/")
        else:
            name = path.lstrip("/") or str(data_dir / "motcua.sqlite3")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                # BEGIN IMMEDIATE: writers queue on the database lock instead of failing
                # with "database is locked" when a read transaction tries to upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
                ),
            },
            "TEST": {"NAME": None},
        }
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "motcua",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": int(env("MOTCUA_DB_CONN_MAX_AGE", "60")),
            # A health check costs a query per request; a broken connection fails one request instead.
            "CONN_HEALTH_CHECKS": env_bool("MOTCUA_DB_CONN_HEALTH_CHECKS", False),
            "OPTIONS": options,
        }
    raise ValueError(f"Unsupported DATABASE_URL scheme: {parsed.scheme!r}")


DATA_DIR = Path(env("MOTCUA_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("MOTCUA_SECRET_KEY", "")
if not SECRET_KEY:
    # Embedded default: a key generated once and kept in the data directory.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

DEBUG = env_bool("MOTCUA_DEBUG", False)
ALLOWED_HOSTS = [h for h in env("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("MOTCUA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "motcua.core",
    "motcua.units",
    "motcua.accounts",
    "motcua.calendar",
    "motcua.audit",
    "motcua.catalog",
    "motcua.workflow",
    "motcua.dossiers",
    "motcua.api",
    "motcua.documents",
    "motcua.feedback",
    "motcua.queueing",
    "motcua.reports",
    "motcua.official_forms",
    "motcua.supervision",
    "motcua.desk",
    "motcua.portal",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # In place of django.middleware.locale.LocaleMiddleware: Vietnamese whatever the browser's
    # Accept-Language says; English only after the user chooses it with the switch in the page
    # header (set_language at /i18n/setlang/ keeps the choice in the django_language cookie).
    # See docs/decisions/0002-language.md.
    "motcua.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "motcua.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env("DATABASE_URL", "sqlite://"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

_redis = env("REDIS_URL")
if _redis:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}}
else:
    # Shared by every worker process without another server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "motcua_cache",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
# The language chosen with the switch is remembered for a year (Django's default: until the browser closes).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The pages' own CSS and JavaScript and the vendored htmx (no CDN: offices run on intranets).
STATICFILES_DIRS = [BASE_DIR / "motcua" / "static"]

# Citizens log in on the portal; the desk has its own login page (/desk/dang-nhap/).
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/ho-so/"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("MOTCUA_LOG_LEVEL", "INFO")},
}

# --- motcua settings (domain-rules: "configurable" items) -------------------------------
MOTCUA = {
    # Files: attachments live under FILES_DIR, named by their SHA-256.
    "FILES_DIR": Path(env("MOTCUA_FILES_DIR", str(DATA_DIR / "files"))),
    "MAX_FILE_BYTES": int(env("MOTCUA_MAX_FILE_BYTES", str(20 * 1024 * 1024))),
    "MAX_DOSSIER_BYTES": int(env("MOTCUA_MAX_DOSSIER_BYTES", str(100 * 1024 * 1024))),
    "MAX_ARCHIVE_EXPANDED_BYTES": int(env("MOTCUA_MAX_ARCHIVE_EXPANDED_BYTES", str(100 * 1024 * 1024))),
    # Working hours used when a unit has none of its own.
    "DEFAULT_WORKING_HOURS": env("MOTCUA_WORKING_HOURS", "07:00-11:30,13:30-17:00"),
    # Working hours counted as one working day when converting limits.
    "HOURS_PER_WORKING_DAY": env("MOTCUA_HOURS_PER_WORKING_DAY", "8"),
    # An online dossier must be checked within this many working hours of submission.
    "ONLINE_CHECK_HOURS": env("MOTCUA_ONLINE_CHECK_HOURS", "8"),
    # Receipt normalisation rule (domain-rules §4); "next_opening" is the only rule defined so far.
    "RECEIPT_NORMALISATION": env("MOTCUA_RECEIPT_NORMALISATION", "next_opening"),
    # How many times a dossier may be rescheduled by an apology.
    "MAX_APOLOGIES": int(env("MOTCUA_MAX_APOLOGIES", "1")),
    # API tokens.
    "TOKEN_TTL_HOURS": int(env("MOTCUA_TOKEN_TTL_HOURS", "12")),
    # How long an API token's user and roles are kept in memory (0: read them on every request).
    "ACTOR_CACHE_SECONDS": int(env("MOTCUA_ACTOR_CACHE_SECONDS", "30")),
    # How long a server process keeps its copy of the unit tree (names and codes of units) before
    # reading it again; the process that changes a unit refreshes at once.
    "REFERENCE_CACHE_SECONDS": int(env("MOTCUA_REFERENCE_CACHE_SECONDS", "60")),
    # PostgreSQL: let the server prepare the statements of the busiest reads (motcua.core.prepared).
    # Turn off behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode
    # before 1.21, or without max_prepared_statements).
    "DB_PREPARED_STATEMENTS": env_bool("MOTCUA_DB_PREPARED_STATEMENTS", True),
    # Check every fast-path JSON answer against its declared response schema (on in DEBUG and in
    # the tests; off in production, where the representations are built for the contract directly).
    "VALIDATE_RESPONSES": env_bool("MOTCUA_VALIDATE_RESPONSES", DEBUG),
    # Rate limits.
    "LOGIN_MAX_FAILURES": int(env("MOTCUA_LOGIN_MAX_FAILURES", "10")),
    "LOGIN_WINDOW_SECONDS": int(env("MOTCUA_LOGIN_WINDOW_SECONDS", "900")),
    "LOGIN_LOCK_SECONDS": int(env("MOTCUA_LOGIN_LOCK_SECONDS", "900")),
    "PUBLIC_LOOKUPS_PER_MINUTE": int(env("MOTCUA_PUBLIC_LOOKUPS_PER_MINUTE", "60")),
    # Petitions (phản ánh, kiến nghị) without a CAPTCHA: per client address and hour, per contact
    # phone and day; attachments per petition.
    "PETITIONS_PER_HOUR_PER_ADDRESS": int(env("MOTCUA_PETITIONS_PER_HOUR_PER_ADDRESS", "120")),
    "PETITIONS_PER_DAY_PER_CONTACT": int(env("MOTCUA_PETITIONS_PER_DAY_PER_CONTACT", "30")),
    "PETITION_MAX_FILES": int(env("MOTCUA_PETITION_MAX_FILES", "5")),
    # Queue tickets (bốc số) per client address and minute (a kiosk takes one every few seconds).
    "QUEUE_TICKETS_PER_MINUTE_PER_ADDRESS": int(env("MOTCUA_QUEUE_TICKETS_PER_MINUTE_PER_ADDRESS", "60")),
    # The kiosk goes back to its home screen after this many seconds without a touch.
    "KIOSK_IDLE_SECONDS": int(env("MOTCUA_KIOSK_IDLE_SECONDS", "60")),
    # The kiosk prints a ticket as soon as it is taken (Chromium started with --kiosk-printing
    # prints to the thermal printer without a dialog).
    "KIOSK_AUTO_PRINT": env_bool("MOTCUA_KIOSK_AUTO_PRINT", False),
    "IDEMPOTENCY_TTL_HOURS": 24,
    # Links printed in QR codes (receipts, signed results) start with this address.
    "PUBLIC_BASE_URL": env("MOTCUA_PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
    # The place on the date line of the official forms; empty: the province's name.
    "FORMS_PLACE": env("MOTCUA_FORMS_PLACE", ""),
    # Documents (docs/documents.md).
    "STORAGE_BACKEND": env("MOTCUA_STORAGE_BACKEND", "local"),
    "S3_BUCKET": env("MOTCUA_S3_BUCKET", ""),
    "S3_ENDPOINT_URL": env("MOTCUA_S3_ENDPOINT_URL", ""),
    "S3_REGION": env("MOTCUA_S3_REGION", ""),
    "S3_ACCESS_KEY": env("MOTCUA_S3_ACCESS_KEY", ""),
    "S3_SECRET_KEY": env("MOTCUA_S3_SECRET_KEY", ""),
    "S3_PREFIX": env("MOTCUA_S3_PREFIX", ""),
    "CLAMD_ADDRESS": env("MOTCUA_CLAMD_ADDRESS", ""),
    "CLAMD_TIMEOUT": int(env("MOTCUA_CLAMD_TIMEOUT", "30")),
    "REQUIRE_SIGNED_RESULTS": env_bool("MOTCUA_REQUIRE_SIGNED_RESULTS", False),
    "CLEANUP_GRACE_SECONDS": int(env("MOTCUA_CLEANUP_GRACE_SECONDS", "86400")),
    "PUBLIC_VERIFICATIONS_PER_MINUTE": int(env("MOTCUA_PUBLIC_VERIFICATIONS_PER_MINUTE", "30")),
    # OCR of digitised documents: "auto" (when tesseract is installed), "on" or "off".
    "OCR": env("MOTCUA_OCR", "auto"),
}
