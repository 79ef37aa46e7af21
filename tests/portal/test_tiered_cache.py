"""The per-process tier in front of Redis (portal/cache.py), against a real Redis."""

import subprocess
import sys

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from portal.cache import TieredCache


@pytest.fixture
def tiers(settings):
    if not settings.TEST_REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL)")
    url = settings.TEST_REDIS_URL.rsplit("/", 1)[0] + "/14"  # a database of its own
    local = LocMemCache("tiered-test", {})
    shared = RedisCache(url, {"KEY_PREFIX": "tiered-test"})
    tiered = TieredCache("", {"OPTIONS": {"LOCAL": "unused", "SHARED": "unused"}})
    tiered.local, tiered.shared = local, shared  # the cached_property slots
    shared.clear()
    local.clear()
    yield tiered, local, shared
    shared.clear()


def test_a_value_set_is_in_both_tiers(tiers):
    tiered, local, shared = tiers
    tiered.set("k", {"n": 1}, 60)
    assert local.get("k") == {"n": 1} and shared.get("k") == {"n": 1}


def test_a_value_another_process_set_is_read_once_from_the_shared_tier(tiers):
    tiered, local, shared = tiers
    shared.set("computed-elsewhere", [1, 2, 3], 60)
    assert local.get("computed-elsewhere") is None
    assert tiered.get("computed-elsewhere") == [1, 2, 3]
    shared.delete("computed-elsewhere")  # the next read is served from process memory
    assert tiered.get("computed-elsewhere") == [1, 2, 3]


def test_a_miss_is_a_miss_in_both(tiers):
    tiered, _local, _shared = tiers
    assert tiered.get("nothing") is None
    assert tiered.get("nothing", "fallback") == "fallback"
    tiered.set("none-stored", None, 60)  # None is a value, as in Django's caches
    assert tiered.get("none-stored", "fallback") is None


def test_delete_and_clear_reach_both_tiers(tiers):
    tiered, local, shared = tiers
    tiered.set("a", 1, 60)
    tiered.set("b", 2, 60)
    tiered.delete("a")
    assert local.get("a") is None and shared.get("a") is None
    tiered.clear()
    assert local.get("b") is None and shared.get("b") is None


def test_settings_with_a_shared_cache_keep_sessions_in_it(settings):
    """With CACHE_URL set to Redis: the tiered default, sessions cached in the shared
    tier; without: one per-process cache and sessions in the database."""
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, "
        "getattr(s, 'SESSION_CACHE_ALIAS', 'default'))"
    )
    base = {"DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "1", "PATH": ""}
    shared = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "CACHE_URL": "redis://127.0.0.1:6379/7"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shared == [
        "portal.cache.TieredCache",
        "django.contrib.sessions.backends.cached_db",
        "shared",
    ]
    alone = subprocess.run(
        [sys.executable, "-c", code],
        env=base,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert alone == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
        "default",
    ]
