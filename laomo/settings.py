"""The one settings module. Everything that differs between machines comes from the environment.

Development (the default, ``LAOMO_DEBUG`` true): embedded SQLite, fixed development keys.
Production (``LAOMO_DEBUG=false``): every secret is required and ``manage.py check --deploy`` passes.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from laomo.db_url import parse_database_url
from laomo.env import env_bool, env_int, env_ip_networks, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("LAOMO_DEBUG", True)
TESTING = env_bool("LAOMO_TESTING", False)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105 - development only; production requires SECRET_KEY
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
# Field encryption (AES-256-GCM) and the keyed hash used for lookups; both 32 bytes, base64.
# Changing either makes stored ID and bank numbers unreadable: back them up with the database.
FIELD_ENCRYPTION_KEY = env_str(
    "FIELD_ENCRYPTION_KEY", "ZGV2LW9ubHktZmllbGQtZW5jcnlwdGlvbi1rZXktMzI=" if DEBUG else None
)
FIELD_HASH_KEY = env_str("FIELD_HASH_KEY", "ZGV2LW9ubHktZmllbGQtaGFzaC1rZXktLS0tLS0tMzI=" if DEBUG else None)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Reverse proxies in front of the app (addresses or networks). Only when the direct peer is one of
# them is X-Forwarded-For read for the client's address (text-message limits, login and audit
# logs); otherwise anyone could write any address there. Empty: the peer is the client.
TRUSTED_PROXIES = env_ip_networks("TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    # Only for its static files: /api/docs then serves Swagger UI from here, not from a CDN.
    "ninja",
    "core",
    "people",
    "census",
    "payments",
    "assistance",
    "casework",
    "volunteering",
    "trips",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.SecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.NoCacheHtmlMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "laomo.urls"
WSGI_APPLICATION = "laomo.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(env_str("DATABASE_URL", "sqlite:///var/laomo.sqlite3"), base_dir=str(BASE_DIR))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (``include=``, the volunteering proposal's) are PostgreSQL's; SQLite builds them
# without the extra columns, which is all the embedded default needs: no warning on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# Background work: one interface (django-tasks). Immediate by default (no extra process);
# LAOMO_TASKS=database queues into the database for `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env_str("LAOMO_TASKS", "immediate")]
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.passwords.CharacterClassValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login policy (等保 2.0): lockout, idle timeout, two factors for staff.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# The cookie age is an idle timeout: core.middleware.IdleTimeoutMiddleware saves a signed-in
# session (so pushes its expiry ahead) at most once a minute, instead of SESSION_SAVE_EVERY_REQUEST.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", True)
OTP_TOTP_ISSUER = "Laomo"
AUDIT_RETENTION_DAYS = max(env_int("AUDIT_RETENTION_DAYS", 365), 183)  # 网络安全法: at least 6 months

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["laomo.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The public address of the site, for links in text messages and e-mails (https://laomo.example.cn).
# Unset: links are built from the request that sends them (core.request_context.site_url).
LAOMO_SITE_URL = env_str("LAOMO_SITE_URL", "")

# The city this installation serves (region code); the demo seeds Ningbo.
LAOMO_CITY_CODE = env_str("LAOMO_CITY_CODE", "330200")

# Notifications: text messages go through a gateway adapter; console in development.
SMS_BACKEND = env_str("SMS_BACKEND", "core.notify.ConsoleSmsBackend")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "laomo@localhost")

# Scripts only from this site's static files (no inline scripts, no eval). Inline styles stay
# allowed: templates size charts with style attributes and htmx adds its indicator style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask": {"()": "core.masking.MaskingLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO" if not TESTING else "WARNING")},
}
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
