"""Settings for the Qianjiang mediation case-management system.

One module for every environment: development, CI and production differ only
through environment variables (see README.md for the full table). A local
``.env`` file is read when present; the real environment always wins.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

from qianjiang_mediation import file_storage

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.FileAwareEnv()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# No default: a missing key must stop the server, not fall back to something guessable.
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [],
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# A proxy in front terminates TLS and sets X-Forwarded-Proto and X-Forwarded-For
# (deploy/nginx/qianjiang.conf); only then are those headers believed.
BEHIND_TLS_PROXY = env.bool("DJANGO_BEHIND_TLS_PROXY", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "csp",
    "accounts.apps.SignInLockoutConfig",  # django-axes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "accounts",
    "cases",
    "agreements",
    "documents",
    "liaison",
    # The project package itself, for project-wide management commands
    # (send_reminders, workflow_diagram).
    "qianjiang_mediation",
]
# Demo data (seed_demo, whose accounts share a public password) stays out of
# production unless asked for: on in development, or with DJANGO_DEMO=true.
DEMO = DEBUG or env.bool("DJANGO_DEMO", default=False)
if DEMO:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    # First: /healthz answers the load balancer before the host check, the HTTPS redirect,
    # sessions and the sign-in rules (qianjiang_mediation/health.py).
    "qianjiang_mediation.health.HealthCheckMiddleware",
    # Second: times everything after it (LOG_JSON_REQUESTS).
    "qianjiang_mediation.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Gives the audit trail (accounts/audit.py) the signed-in user and address.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.IdleTimeoutMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # An action's address opened by GET: a page instead of an empty 405.
    "qianjiang_mediation.errors.MethodNotAllowedPageMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its response.
    "axes.middleware.AxesMiddleware",
]

# Widget templates are looked up in templates/ too (the credit-code widget lives there);
# the common widgets are written in Python, as their templates would write them.
FORM_RENDERER = "qianjiang_mediation.renderers.FormRenderer"

ROOT_URLCONF = "qianjiang_mediation.urls"
WSGI_APPLICATION = "qianjiang_mediation.wsgi.application"

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
                "csp.context_processors.nonce",
                "qianjiang_mediation.context_processors.navigation",
                "accounts.context_processors.session",
            ],
        },
    },
]

# SQLite keeps the first run free of setup; production and CI use PostgreSQL
# through DATABASE_URL. Persistent connections matter on PostgreSQL: forking a
# backend per request costs about 4x in throughput.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts and wait for a concurrent
    # writer, instead of failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL estimates the statistics' counts over a year of cases as costly enough to
    # compile to machine code, which takes longer (about half a second) than running them;
    # every query here is short. A ?options=... in DATABASE_URL wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserWithOrganisationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("DJANGO_PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.MixedCharactersValidator"},
    {"NAME": "accounts.passwords.DemoPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Case attachments: never under MEDIA_ROOT or STATIC_ROOT, only reachable through
# the download view, which checks the case scope.
PRIVATE_FILES_ROOT = env.path("DJANGO_PRIVATE_FILES_ROOT", default=BASE_DIR / "private")
ATTACHMENT_MAX_BYTES = env.int("DJANGO_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# The mediation process is not public (特邀调解规定第二条): the court liaison reads the
# session transcripts of a case only when this is on, or the parties consented or the
# court asked in writing (recorded on the case).
COURT_SEES_TRANSCRIPTS = env.bool("DJANGO_COURT_SEES_TRANSCRIPTS", default=False)
# Uploads larger than this are streamed to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploaded and generated files on this server's disk ("local") or in an S3-compatible
# object store shared by several app servers ("s3", needs django-storages: uv sync --extra s3).
FILE_STORAGE = env.str("DJANGO_FILE_STORAGE", default=file_storage.LOCAL)
STORAGES = {
    **file_storage.file_storages(
        FILE_STORAGE,
        private_root=PRIVATE_FILES_ROOT,
        s3=file_storage.S3Options(
            bucket=env.str("DJANGO_S3_BUCKET", default=""),
            media_bucket=env.str("DJANGO_S3_MEDIA_BUCKET", default=""),
            private_bucket=env.str("DJANGO_S3_PRIVATE_BUCKET", default=""),
            media_prefix=env.str("DJANGO_S3_MEDIA_PREFIX", default="media"),
            private_prefix=env.str("DJANGO_S3_PRIVATE_PREFIX", default="private"),
            endpoint_url=env.str("DJANGO_S3_ENDPOINT_URL", default=""),
            region=env.str("DJANGO_S3_REGION", default=""),
            access_key=env.str("DJANGO_S3_ACCESS_KEY_ID", default=""),
            secret_key=env.str("DJANGO_S3_SECRET_ACCESS_KEY", default=""),
            addressing_style=env.str("DJANGO_S3_ADDRESSING_STYLE", default=""),
        ),
    ),
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}

# Backups (manage.py backup / restore, qianjiang_mediation/backup.py): the directory the
# archives are written to, and how many of the newest the nightly run keeps (0: all).
# The archives hold every citizen's data: keep the directory private and copy it off the host.
BACKUP_DIR = env.path("DJANGO_BACKUP_DIR", default=BASE_DIR / "backups")
BACKUP_KEEP = env.int("DJANGO_BACKUP_KEEP", default=14)

# Sign-in lockout (django-axes, accounts/lockout.py): after LOGIN_FAILURE_LIMIT failures
# within LOGIN_FAILURE_WINDOW_MINUTES for a username, and separately from one address,
# sign-in is refused for LOGIN_LOCKOUT_MINUTES. Every failure is logged (admin:
# 登录失败记录); deleting the username's row under 登录尝试 lifts a lock early.
LOGIN_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW_MINUTES = env.int("DJANGO_LOGIN_FAILURE_WINDOW_MINUTES", default=15)
LOGIN_LOCKOUT_MINUTES = env.int("DJANGO_LOGIN_LOCKOUT_MINUTES", default=30)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.lockout.WindowedDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout neither count nor extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# The client's address: the socket's, or behind the TLS proxy the one it appended to
# X-Forwarded-For (never a header the client could write itself); the request log uses
# the same rule.
AXES_CLIENT_IP_CALLABLE = "qianjiang_mediation.requestlog.client_address"

# A second factor (an authenticator app's code, or a recovery code) at every sign-in for
# these roles, when switched on (accounts/two_factor.py). Superusers too.
TWO_FACTOR_REQUIRED = env.bool("DJANGO_TWO_FACTOR", default=False)
TWO_FACTOR_ROLES = env.list("DJANGO_TWO_FACTOR_ROLES", default=["admin", "head"])
OTP_TOTP_ISSUER = "潜江行政争议化解"

# Logs (the access log, the audit trail, sign-in records) older than this many days may be
# deleted by `manage.py prune_logs`; 0 keeps them all. Never less than 183 (six months,
# 网络安全法 Art. 21): the command refuses a shorter period.
LOG_RETENTION_DAYS = env.int("DJANGO_LOG_RETENTION_DAYS", default=0)

# The audit trail (accounts/audit.py) is a record, not an undo: no reverting from the
# admin's history page (a revert would bypass the services, e.g. the roster's status).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Sessions live in the database so any number of app servers can share them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A sign-in ends after SESSION_IDLE_MINUTES without a request (the page warns two minutes
# before) and SESSION_COOKIE_AGE seconds after it began, whichever comes first.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_IDLE_MINUTES = env.int("DJANGO_SESSION_IDLE_MINUTES", default=30)

# Security: everything is on unless DEBUG, and each switch can be overridden
# for a deployment behind a TLS-terminating proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: only our own static files, no inline code or styles.
# Every script tag carries the per-request nonce as a second line of defence.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The justice bureau that keeps the 府院联动 registers and signs their circulars and reports
# (not confirmed with the office: DOMAIN.md §9).
LIAISON_BUREAU_NAME = env.str("DJANGO_LIAISON_BUREAU_NAME", default="潜江市司法局")
# How rates are rounded to two decimals: "truncate" (the published 2023 figure 1/36 reads
# 2.77%) or "half_up"; and the smallest denominator a rate is shown and ranked for.
LIAISON_RATE_ROUNDING = env.str("DJANGO_LIAISON_RATE_ROUNDING", default="truncate")
LIAISON_MIN_SAMPLE = env.int("DJANGO_LIAISON_MIN_SAMPLE", default=5)
# The lawsuit outcomes that count as a dispute resolved in substance for the scorecard
# (codes of the result-type table; no published definition, DOMAIN.md §6.2).
LIAISON_SUBSTANTIVE_RESULT_CODES = env.list(
    "DJANGO_LIAISON_SUBSTANTIVE_RESULT_CODES", default=["withdrawn_after_correction", "mediated"]
)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
# Deadline reminders are always shown in the app; e-mail them too only when asked.
REMINDER_EMAILS = env.bool("DJANGO_REMINDER_EMAILS", default=False)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One JSON line per request (time, method, path without the query string, status, duration,
# user id, client address) on the qianjiang.requests logger (qianjiang_mediation/requestlog.py).
LOG_JSON_REQUESTS = env.bool("DJANGO_LOG_JSON", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "qianjiang_mediation.requestlog.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO; only its problems matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs each step of a failed sign-in at INFO; the failure itself and
        # the lockout are warnings (and accounts.security says until when).
        "axes": {"level": "WARNING"},
        # One JSON line per request when LOG_JSON_REQUESTS is on, and nothing else.
        "qianjiang.requests": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}
