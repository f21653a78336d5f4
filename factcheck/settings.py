"""Settings for the claim tracker: one module, driven by the environment.

With no environment at all the app runs for local use: SQLite, Celery's
filesystem broker, a file cache shared by web and worker, DEBUG on. With DEBUG
off it refuses to start on the development secret or an empty ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_cache_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FACTCHECK_VAR_DIR", BASE_DIR / "var"))

DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105 - refused with DEBUG off


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean strictly: anything but True/False (any case, or 1/0) is an error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: set it to True or False.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc}") from None
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_secret("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
PORT = env_int("PORT", 8000)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")

if not DEBUG:
    problems = []
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:
        problems.append("set SECRET_KEY (or SECRET_KEY_FILE) to a long random value")
    elif len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY is too short: use at least 50 random characters")
    if not ALLOWED_HOSTS:
        problems.append("set ALLOWED_HOSTS to the host names this site is served on, comma-separated")
    if problems:
        raise ImproperlyConfigured("Refusing to start with DEBUG off: " + "; ".join(problems) + ".")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # the JSON API (claims/api/): its Swagger UI files, served from static/ like ours
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages anonymous visitors share: from the shared cache, before the rest (claims/publishing/cache.py).
    "claims.publishing.cache.PublicPageMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user is known: public pages in the site's language, staff pages in the user's (claims/languages.py).
    "claims.middleware.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After htmx's (they answer htmx requests with HX-Redirect), before anything that acts for the user.
    "claims.middleware.SessionIdleTimeoutMiddleware",
    "claims.middleware.TwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into our "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

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
                "claims.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite by default, with a busy timeout and IMMEDIATE transactions so the web
# process and the worker wait for each other instead of failing with "locked".
# The three service addresses may carry passwords: each may also be read from a file (NAME_FILE).
DATABASE_URL = env_secret("DATABASE_URL", f"sqlite:///{VAR_DIR / 'factcheck.sqlite3'}")
# Each web process keeps its connection open between requests (CONN_MAX_AGE seconds), checked before
# reuse: opening a PostgreSQL connection costs more than most pages' queries (docs/performance.md), and
# one the database dropped (a restart, a failover) is replaced instead of failing the first query.
# 0 closes it after every request; a pool (psycopg_pool) suits threaded servers, see docs/operations.md.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 300), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
# The default is a file cache: unlike locmem it is shared by web and worker.
CACHE_URL = env_secret("CACHE_URL", f"file://{VAR_DIR / 'cache'}")
CACHES = {"default": django_cache_url.parse(CACHE_URL)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "factcheck.redis_cache.ReusedClientRedisCache"  # one client per pool, not per call
    # A cache host that stops answering must not hang every page (nor /healthz): give up after 2 s.
    CACHES["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=2, socket_timeout=2)

# The page chrome (head links, footer) rendered once per process, language and site settings version:
# nothing shared, so nothing to invalidate across processes (the version is in the key).
CACHES["chrome"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chrome"}
# Each process's own copies of what the shared cache holds under a versioned key (the claim page's parts): a
# key names one content for good, so a copy is never stale; it saves the round trip.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "local",
    "OPTIONS": {"MAX_ENTRIES": 500},
}

# How long a web process may go on serving its own copies of public pages without asking the shared cache
# whether something was published meanwhile (claims/publishing/cache.py). 0 asks on every request.
PUBLIC_PAGE_LOCAL_SECONDS = env_float("PUBLIC_PAGE_LOCAL_SECONDS", 1.0)

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = env_secret("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_folder = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_folder / "queue"),
        "data_folder_out": str(_broker_folder / "queue"),
        "processed_folder": str(_broker_folder / "processed"),
        "store_processed": False,
        # Exchange tables; kombu's default is "control" in the working directory.
        "control_folder": str(_broker_folder / "control"),
    }
    # Kombu's filesystem transport does not create its folders; the worker
    # dies on start-up (and web/beat cannot publish) without them.
    for _folder in ("queue", "processed", "control"):
        (_broker_folder / _folder).mkdir(parents=True, exist_ok=True)
else:
    # Unacknowledged work of a killed worker comes back after this long. It must be longer than
    # the hard time limit (a running task is not handed out twice) and than any retry's wait.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 300)}
# Queues (docs/deploy.md): imports, matching and email each have their own, so each can have workers
# of its own on machines of its own; everything else (the sweeps, the heartbeat) goes to the default
# queue, Celery's own "celery". A worker started without -Q consumes all four (`make run`).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {name: {"routing_key": name} for name in ("celery", "import", "matching", "email")}
CELERY_TASK_ROUTES = {
    **{
        f"claims.tasks.{name}": {"queue": "import"} for name in ("poll_feed", "fetch_source", "read_claimreview_source")
    },
    **{f"claims.tasks.{name}": {"queue": "matching"} for name in ("match_source", "match_tip")},
    **{
        f"claims.tasks.{name}": {"queue": "email"}
        for name in (
            "send_notification",
            "send_pending_notifications",
            "alert_event",
            "tell_tip_senders",
            "send_triage_digest",
            "deliver_webhook",
        )
    },
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 300_000  # KiB
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must never hang on a broker that is down: fail fast, the
# scheduler picks up the saved work later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat skips its periodic work while the embedded filesystem broker holds more than this many
# messages: that broker lists its folder for every message it hands out, so a backlog of thousands
# drains slowly (about 12 a second at 17,000), and the sweeps would only add to it (factcheck/beat.py).
CELERY_BEAT_SCHEDULER = "factcheck.beat:BacklogAwareScheduler"
BEAT_SKIP_BACKLOG = env_int("BEAT_SKIP_BACKLOG", 500)
# How often the triage staff get the digest of new tips and error reports (claims/alerts.py).
TRIAGE_DIGEST_MINUTES = env_int("TRIAGE_DIGEST_MINUTES", 30)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "claims.tasks.record_worker_heartbeat", "schedule": 60.0},
    "send-pending-notifications": {"task": "claims.tasks.send_pending_notifications", "schedule": 120.0},
    "delete-expired-contacts": {"task": "claims.tasks.delete_expired_contacts", "schedule": 24 * 3600.0},
    # Polls the feeds that are due and enqueues again what waited while the broker was down.
    "schedule-due-feeds": {"task": "claims.tasks.schedule_due_feeds", "schedule": 60.0},
    "delete-expired-article-text": {"task": "claims.tasks.delete_expired_article_text", "schedule": 24 * 3600.0},
    "delete-unused-vectors": {"task": "claims.tasks.delete_unused_vectors", "schedule": 24 * 3600.0},
    # Matches the tips and tells the senders that waited while the broker was down.
    "tips-catch-up": {"task": "claims.tasks.tips_catch_up", "schedule": 300.0},
    # Tells the people who must act what waited while the broker was down (claims/alerts.py).
    "alerts-catch-up": {"task": "claims.tasks.alerts_catch_up", "schedule": 300.0},
    # New tips and error reports, told to the triage staff as one digest per period, not one email per tip.
    "triage-digest": {"task": "claims.tasks.send_triage_digest", "schedule": TRIAGE_DIGEST_MINUTES * 60.0},
    # Reads again the ClaimReview sources that are due (claims/importing/external.py).
    "read-due-claimreview-sources": {"task": "claims.tasks.read_due_claimreview_sources", "schedule": 300.0},
}
# Jobs the broker did not take (it was down) wait in the outbox; the relay sends them again (claims/jobs.py).
PENDING_JOBS_SECONDS = env_int("PENDING_JOBS_SECONDS", 15)
CELERY_BEAT_SCHEDULE["send-pending-jobs"] = {
    "task": "claims.tasks.send_pending_jobs",
    "schedule": float(PENDING_JOBS_SECONDS),
}
CELERY_BEAT_SCHEDULE |= {
    # Webhook deliveries whose next attempt is due: retries after a failure, and any the broker lost.
    "deliver-due-webhooks": {"task": "claims.tasks.deliver_due_webhooks", "schedule": 30.0},
    # Exports: builds any the broker lost, and deletes the files of expired ones (claims/exports.py).
    "exports-sweep": {"task": "claims.tasks.exports_sweep", "schedule": 600.0},
}


# How often an active ClaimReview source (another organisation's fact-checks) is read again.
CLAIMREVIEW_READ_MINUTES = env_int("CLAIMREVIEW_READ_MINUTES", 360)
CELERY_TIMEZONE = "UTC"

# --- Auth -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "claims.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "home"
# django-axes checks every authentication (the staff login; the admin sends to the same page) first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "claims.auth_backends.UserWithRolesBackend",
    # Sessions signed in before UserWithRolesBackend name this one: they stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]

# The visitor's address, for login throttling, rate limits and logs (claims/client_ip.py): empty
# means the socket's REMOTE_ADDR; behind a reverse proxy, the request.META key of the header the
# proxy sets, e.g. HTTP_X_REAL_IP. RATELIMIT_IP_META_KEY is its older name, still read.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER") or env_str("RATELIMIT_IP_META_KEY")

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is locked for LOGIN_LOCKOUT_MINUTES. Locking the pair, not the username,
# means nobody elsewhere can lock a reviewer out; the lock runs from the last failure before it
# began, so failures during it do not lengthen it.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "claims.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "claims.views.accounts.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # failures are kept (AccessAttempt); successful logins are not logged to the database
AXES_ENABLE_ADMIN = False  # our admin site is claims.admin.admin_site; lockouts end by themselves

# Password reset by email: links work once (the token depends on the password and last login)
# and for PASSWORD_RESET_TIMEOUT seconds; PASSWORD_RESET_RATE limits the emails asked for per
# visitor's address and per email address ("5/h": five an hour).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)
PASSWORD_RESET_RATE = env_str("PASSWORD_RESET_RATE", "5/h")

# Two-factor authentication (django-otp, TOTP and recovery codes). While TWO_FACTOR_REQUIRED is
# on, reviewers and admins must set up an authenticator before any other page; anyone with one
# enters a code after the password. `make run` turns it off; `check --deploy` warns when it is off.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)

# Signed-in sessions end after this many seconds without activity (background polling does not
# count); the session cookie itself lasts two weeks at most.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 8 * 3600)
# Sessions are kept in the database and read through the shared cache: a signed-in page does not ask
# PostgreSQL for its session (signing out everywhere still works: the user row's session hash is checked).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Internationalisation ------------------------------------------------
# The languages the site is written in. The newsroom picks its public language among them (a site
# setting); each staff member picks their own on My account (docs/architecture.md, "Languages").
# To add one: add it here, run `make messages`, translate locale/<code>/LC_MESSAGES/*.po, compile.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fa", "فارسی"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")  # the newsroom's zone is a site setting
USE_I18N = True
USE_TZ = True
# Dates are shown in each language's formats (django.utils.formats); English as the newsroom writes it,
# "18 July 2022" rather than Django's "July 18, 2022" (factcheck/formats/en/formats.py).
FORMAT_MODULE_PATH = ["factcheck.formats"]

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
# MEDIA_ROOT holds only files the site itself publishes (the logo): the proxy may serve it.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files fetched from outside (snapshots of articles) live apart, under names nobody can guess, and
# have no URL: staff read them through a sandboxed view (docs/architecture.md, Security).
FETCHED_FILES_ROOT = Path(env_str("FETCHED_FILES_ROOT", str(VAR_DIR / "fetched")))
# Exports of the claims (CSV, JSON) may hold internal fields: private too, served only by a staff view.
EXPORTS_ROOT = Path(env_str("EXPORTS_ROOT", str(VAR_DIR / "exports")))
for _private_name, _private in (("FETCHED_FILES_ROOT", FETCHED_FILES_ROOT), ("EXPORTS_ROOT", EXPORTS_ROOT)):
    for _served_name, _served in (("MEDIA_ROOT", MEDIA_ROOT), ("STATIC_ROOT", STATIC_ROOT)):
        _kept, _served = _private.resolve(), _served.resolve()
        if _kept == _served or _served in _kept.parents or _kept in _served.parents:
            raise ImproperlyConfigured(
                f"Refusing to start: {_private_name} ({_private}) overlaps {_served_name} ({_served}), "
                "which is served to anyone; keep private files in a folder of their own."
            )
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "fetched": {"BACKEND": "claims.fetched_files.FetchedFileStorage"},
    "exports": {"BACKEND": "claims.export_files.ExportFileStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Several web and worker machines must see the same files: either MEDIA_ROOT and FETCHED_FILES_ROOT
# on a shared volume (NFS and the like; MEDIA_STORAGE=filesystem, the default), or object storage
# (MEDIA_STORAGE=s3: S3 or any S3-compatible server, through django-storages). Published files and
# fetched ones go to two buckets: the media bucket may be readable by anyone (MEDIA_URL), the
# fetched one must not be, and its files get no URL (claims/fetched_files_s3.py).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem").lower()
if MEDIA_STORAGE == "s3":
    _s3 = {
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "access_key": env_secret("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env_secret("AWS_SECRET_ACCESS_KEY") or None,
        "default_acl": None,  # the buckets' own policies decide who reads
        "file_overwrite": False,
    }
    _media_bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    _fetched_bucket = env_str("AWS_FETCHED_BUCKET_NAME")
    if not _media_bucket or not _fetched_bucket or _media_bucket == _fetched_bucket:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (published files) and AWS_FETCHED_BUCKET_NAME "
            "(fetched files, never public): two different buckets."
        )
    _media_domain = env_str("AWS_S3_CUSTOM_DOMAIN") or None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "bucket_name": _media_bucket, "custom_domain": _media_domain, "querystring_auth": False},
    }
    STORAGES["fetched"] = {
        "BACKEND": "claims.fetched_files_s3.FetchedS3Storage",
        "OPTIONS": {**_s3, "bucket_name": _fetched_bucket, "querystring_auth": True},
    }
    # Exports are built by a worker and downloaded through a web machine: private, beside the fetched files.
    STORAGES["exports"] = {
        "BACKEND": "claims.fetched_files_s3.FetchedS3Storage",
        "OPTIONS": {**_s3, "bucket_name": _fetched_bucket, "location": "exports", "querystring_auth": True},
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r}: set it to filesystem or s3.")

# --- Email ----------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "claims@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (Django's deployment checklist) ----------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
# True only where every subdomain of the site's domain is served over HTTPS (docs/operations.md).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is off by default on purpose: once browsers ship the domain in their preload list,
# taking it out again takes months, and every subdomain must keep HTTPS meanwhile. Switching it
# on is the operator's decision, so the deployment check does not press for it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Request size limits: forms are small; uploads (the logo) are capped.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)  # 2.5 MiB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# No inline script or style anywhere, so no nonces and no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
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

# --- Outbound fetches -----------------------------------------------------
# Loopback may be allowed for development and tests; never with DEBUG off.
FETCH_ALLOW_LOOPBACK = env_bool("FETCH_ALLOW_LOOPBACK", False)
if FETCH_ALLOW_LOOPBACK and not DEBUG:
    raise ImproperlyConfigured("Refusing to start: FETCH_ALLOW_LOOPBACK cannot be enabled with DEBUG off.")

# --- Webhooks and exports (claims/webhooks.py, claims/exports.py) -----------
# The waits, in seconds, before each retry of a webhook delivery that failed; after the last, it has failed.
WEBHOOK_RETRY_DELAYS = [int(item) for item in env_list("WEBHOOK_RETRY_DELAYS", "60,300,1800,7200,21600")]
# A finished export's file is deleted after this many days.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)

# --- Tips and error reports from the public ------------------------------
# How many each visitor's address may send (django-ratelimit, counted in the shared cache):
# "5/h" is five an hour.
PUBLIC_FORM_RATE = env_str("PUBLIC_FORM_RATE", "5/h")
# django-ratelimit reads the visitor's address through the same function as everything else.
RATELIMIT_IP_META_KEY = "claims.client_ip.client_ip"

# --- The JSON API (claims/api/) ----------------------------------------------
# Requests per API token, and per address for requests without a token ("600/m": 600 a minute),
# counted in the shared cache; over the limit the API answers 429 with Retry-After.
API_RATE_PER_TOKEN = env_str("API_RATE_PER_TOKEN", "600/m")
API_RATE_PER_ADDRESS = env_str("API_RATE_PER_ADDRESS", "60/m")

# --- Staff accounts --------------------------------------------------------
# An invitation link works once, for this many days; each admin may send this many an hour.
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7)
INVITATIONS_PER_HOUR = env_int("INVITATIONS_PER_HOUR", 20)

# --- Matching imported articles against the claims (docs/matching.md) ------
# Similarity (0-1) at which an article's sentence is suggested against a claim, and at which the match is
# called strong; the defaults are the ones tuned on the CLEF train split and checked on the demo feed.
MATCH_SUGGEST_THRESHOLD = env_float("MATCH_SUGGEST_THRESHOLD", 0.37)
MATCH_STRONG_THRESHOLD = env_float("MATCH_STRONG_THRESHOLD", 0.50)
if not 0 < MATCH_SUGGEST_THRESHOLD <= MATCH_STRONG_THRESHOLD <= 1:
    raise ImproperlyConfigured(
        "MATCH_SUGGEST_THRESHOLD and MATCH_STRONG_THRESHOLD must satisfy 0 < suggest <= strong <= 1."
    )
# Similarity (0-1) at which a tip that arrives joins the group of the most alike open tip: chosen on the CLEF
# train tweets, two tweets on the same claim standing for two tips (bench/tip_grouping_eval.py).
TIP_GROUP_THRESHOLD = env_float("TIP_GROUP_THRESHOLD", 0.59)
if not 0 < TIP_GROUP_THRESHOLD <= 1:
    raise ImproperlyConfigured("TIP_GROUP_THRESHOLD must be between 0 and 1.")
# Imported articles no claim cites, and which matched nothing or only dismissed claims, lose their text
# and snapshot after this many days (the row stays, so the feed does not import them again).
IMPORTED_TEXT_RETENTION_DAYS = env_int("IMPORTED_TEXT_RETENTION_DAYS", 90)

# --- Load benchmark ----------------------------------------------------------
# Routes /bench/trivial, the yardstick bench/load.py compares every page with (docs/performance.md).
BENCH = env_bool("BENCH", False)

# --- Logging --------------------------------------------------------------
# To stderr; LOG_FORMAT=json writes one JSON object a line (factcheck/logs.py) from web, worker and beat
# alike: Celery then leaves the root logger to these settings instead of installing its own.
LOG_FORMAT = env_str("LOG_FORMAT", "text").lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: set it to text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "factcheck.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
