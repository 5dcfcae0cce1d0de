"""Django settings for healthgap.web; every deployment choice comes from the environment.

See `healthgap.web.config` for the variables and docs/web.md for how to run the app.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from healthgap.web import config

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = config.var_dir()

DEBUG = config.env_flag("HEALTHGAP_DEBUG")
SECRET_KEY = config.secret_key(VAR_DIR)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("HEALTHGAP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",
    "healthgap.web.core",
    "healthgap.web.directory",
    "healthgap.web.accounts",
    "healthgap.web.audit",
    "healthgap.web.tokens",
    "healthgap.web.action",
    "healthgap.web.library",
    "healthgap.web.need",
    "healthgap.web.oruk",
    "healthgap.web.equality",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "healthgap.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "healthgap.web.audit.middleware.RefusedAccessMiddleware",
    # django-axes must be last (its documentation).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "healthgap.web.urls"
WSGI_APPLICATION = "healthgap.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "healthgap.web.navigation.navigation",
            ],
        },
    },
]

DATABASES = {"default": config.database(VAR_DIR)}

# --- cache: Redis when HEALTHGAP_CACHE_URL is set (`make serve`), else this process's memory ---
# Profile and atlas aggregates are cached under keys that carry the loaded results version, so a
# new results load is never served stale (docs/reliability.md).
CACHE_URL = os.environ.get("HEALTHGAP_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Reminders (`equality_reminders --send`) print to the console unless a backend is configured.
EMAIL_BACKEND = os.environ.get(
    "HEALTHGAP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

# --- upload limits (healthgap.web.core.uploads; docs/reliability.md, "Upload limits") -------
# Every uploaded file: at most this many bytes (a ZIP's contents too) and this many rows.
HEALTHGAP_UPLOAD_MAX_BYTES = int(os.environ.get("HEALTHGAP_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
HEALTHGAP_UPLOAD_MAX_ROWS = int(os.environ.get("HEALTHGAP_UPLOAD_MAX_ROWS", 100_000))
# The limiting handler first: bytes past the limit are dropped, never written out.
FILE_UPLOAD_HANDLERS = [
    "healthgap.web.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- accounts, passwords, login throttling ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# --- security headers and cookies --------------------------------------------------------
HTTPS = config.env_flag("HEALTHGAP_HTTPS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

# --- static files: vendored from npm by scripts/build_frontend.sh, served by WhiteNoise -----
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "web" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders as well, so `runserver` works without collectstatic.
WHITENOISE_USE_FINDERS = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
