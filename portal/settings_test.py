"""Settings for the test suite: the real settings, with a fast hasher and mail kept in memory.

The database and broker still come from DATABASE_URL and REDIS_URL, so CI runs the same
suite on PostgreSQL with Redis and again on the embedded defaults.
"""

import os
from urllib.parse import urlsplit

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Login lockout is switched on by the tests about it (override_settings(AXES_ENABLED=True)).
AXES_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MIDDLEWARE = list(MIDDLEWARE)
# Each test process keeps its own cache, whatever CACHE_URL a developer has set.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Ordinary tests run tasks in-process; the tests about tasks start real workers on Redis
# (tests/support/workers.py) and switch this off for their duration. Tests use their own
# Redis database so they never meet a developer's queued tasks.
CELERY_TASK_ALWAYS_EAGER = True
if REDIS_URL:
    TEST_REDIS_URL = urlsplit(REDIS_URL)._replace(path="/15").geturl()
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = TEST_REDIS_URL
else:
    TEST_REDIS_URL = ""
