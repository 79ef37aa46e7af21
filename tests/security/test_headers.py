"""Headers and templates: the Content Security Policy, HSTS, frame denial, the referrer
policy, no inline script in any template, and `check --deploy` clean in production."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

ROOT = Path(settings.BASE_DIR)

TEMPLATES = sorted(
    p
    for p in ROOT.glob("**/templates/**/*.html")
    if ".venv" not in p.parts and "staticfiles" not in p.parts and "node_modules" not in p.parts
)

SCRIPT_TAG = re.compile(r"<script\b(?P<attrs>[^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_templates_are_found():
    assert len(TEMPLATES) > 20
    assert ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_inline_script(template: Path):
    text = template.read_text(encoding="utf-8")
    for match in SCRIPT_TAG.finditer(text):
        attrs = match["attrs"]
        is_json = re.search(r"""type\s*=\s*["']application/json["']""", attrs)
        assert "src=" in attrs or is_json, f"inline <script> in {template}: {match[0]}"
    handler = HANDLER.search(text)
    assert not handler, f"on* handler attribute in {template}: {handler[0][:120]}"
    assert not JS_URL.search(text), f"javascript: URL in {template}"


def test_the_scan_catches_inline_script_and_handlers():
    assert not any("src=" in m["attrs"] for m in SCRIPT_TAG.finditer("<script>alert(1)</script>"))
    assert HANDLER.search('<button class="x" onclick="go()">')
    assert not HANDLER.search('<button data-once="1" class="online">')


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(world, as_user):
    response = as_user(world.member).get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_frame_denial_referrer_policy_and_nosniff(world, as_user):
    response = as_user(world.member).get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_is_sent_over_https():
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_settings_harden_cookies_and_transport():
    """The real settings module without DJANGO_DEBUG: what a deployment runs."""
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_HTTPONLY, s.DEBUG)"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["True", "True", "True", "31536000", "True", "False"]


def _production_env() -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "PYTHONPATH"}}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": "a-production-like-secret-" + "x9Qw" * 12,
        "ALLOWED_HOSTS": "portal.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
        "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }


def test_check_deploy_is_clean_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
