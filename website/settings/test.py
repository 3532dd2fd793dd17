from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-7d21e9"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".cache" / "test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# The suite runs on PostgreSQL; the Elasticsearch tier switches to a node itself (tests/conftest.py).
WAGTAILSEARCH_BACKENDS = search_backends(None)  # noqa: F405
SEARCH_BACKEND = "search.backends.postgres.PostgresBackend"  # tests/search/conftest.py switches per test
# Several suites may share one PostgreSQL (parallel work on one machine); each names its own database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_alliantie")}  # noqa: F405
