"""Settings shared by every environment; each value that differs per machine comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "website",
    "knowledge",
    "community",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.admin",
    "wagtail",
    "wagtail.search",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "website.middleware.InterfaceLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

ROOT_URLCONF = "website.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "website" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "community.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "website.wsgi.application"


def database_from_environment():
    url = os.environ.get("DATABASE_URL")
    if not url:
        from website.database import database_url

        url = database_url()
    return dj_database_url.parse(url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")))


DATABASES = {"default": database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("nl", "Nederlands")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploads: Wagtail refuses larger images and unknown types with a message in the admin.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WAGTAIL_SITE_NAME = "Alliantie Open Overheid"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILEMBEDS_RESPONSIVE_HTML = True


# Text in Wagtail's Elasticsearch index is analysed as Dutch: stemmed, accents and case folded.
DUTCH_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "filter": {
                "dutch_stop": {"type": "stop", "stopwords": "_dutch_"},
                "dutch_stemmer": {"type": "stemmer", "language": "dutch"},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "asciifolding", "dutch_stop", "dutch_stemmer"],
                }
            },
        }
    }
}


def search_backends(elasticsearch_url=None, index_prefix="alliantie_wagtail_"):
    """Wagtail's own search (the admin's) on PostgreSQL with the dutch configuration, or on Elasticsearch 9."""
    if elasticsearch_url:
        return {
            "default": {
                "BACKEND": "wagtail.search.backends.elasticsearch9",
                "URLS": [elasticsearch_url],
                "INDEX_PREFIX": index_prefix,
                "INDEX_SETTINGS": DUTCH_INDEX_SETTINGS,
                "TIMEOUT": 5,
            }
        }
    return {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "dutch"}}


WAGTAILSEARCH_BACKENDS = search_backends(
    os.environ.get("ELASTICSEARCH_URL"), os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "alliantie_wagtail_")
)

# Our search (/zoeken/): PostgreSQL's search documents are always kept; with ELASTICSEARCH_URL set,
# Elasticsearch mirrors them and answers first (PostgreSQL takes over while it is unreachable).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL") or None
SEARCH_BACKEND = (
    "search.backends.elasticsearch.ElasticsearchBackend"
    if ELASTICSEARCH_URL
    else "search.backends.postgres.PostgresBackend"
)
SEARCH_ELASTICSEARCH_INDEX = os.environ.get("SEARCH_ELASTICSEARCH_INDEX", "alliantie_search")  # an alias
# Let Elasticsearch's shard request cache keep the counts (total, facets) of a repeated query until
# the index changes; the benchmark turns it off to measure the work itself.
SEARCH_ELASTICSEARCH_REQUEST_CACHE = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Alliantie Open Overheid <noreply@alliantie.example>")

LOGIN_URL = "community:login"
LOGIN_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = "/inloggen/"

# Rate limits and lockouts count in a cache every process shares: the database. Image renditions,
# looked up many times per page, stay in each process's memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_entries"},
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 600},
}

# Joining the alliance: e-mail and password, the address verified before the first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupForm"
ACCOUNT_ADAPTER = "community.accounts.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Alliantie Open Overheid] "
LOGIN_LOCKOUT_MINUTES = 15
ACCOUNT_RATE_LIMITS = {
    # After 5 failed logins for one account, or 10 from one address, wait 15 minutes.
    "login_failed": f"10/{LOGIN_LOCKOUT_MINUTES}m/ip,5/{LOGIN_LOCKOUT_MINUTES}m/key",
    "signup": "5/10m/ip",
    "contact_member": "5/h/user",
    "report_content": "20/h/user",
    "group_invite": "20/h/user",
    "dilemma_reaction": "20/h/user",
    "contribution_submit": "20/h/user",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Contributions and moderation (community.services.trust, community.moderation)
# A member's first contributions wait for an editor; after this many approvals they are trusted.
CONTRIBUTION_TRUST_THRESHOLD = 3
# Reports from this many distinct members hide an item until an editor decides.
REPORT_HIDE_THRESHOLD = 3

# Proposals waiting in the workflow are rebased when another version is published (community.contributions);
# that relies on Wagtail cancelling the running workflow on publish, its default, stated here on purpose.
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
