"""The Simplified Chinese catalogue is complete, and both languages resolve."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

ZH_PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def parse_po(path: Path) -> list[dict[str, str]]:
    """Entries of a .po file as {keyword: text} (msgctxt, msgid, msgstr, msgstr[0] …)."""
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    flags: list[str] = []
    keyword = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry:
                entry["#flags"] = ",".join(flags)
                entries.append(entry)
            entry, flags, keyword = {}, [], None
        elif line.startswith("#,"):
            flags += [f.strip() for f in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[keyword] += ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            entry[keyword] = ast.literal_eval(rest)
    return entries


def test_every_zh_hans_msgid_is_translated():
    entries = [e for e in parse_po(ZH_PO) if e.get("msgid")]
    assert entries, "the catalogue has no messages"
    untranslated = [
        e["msgid"]
        for e in entries
        if not any(v.strip() for k, v in e.items() if k.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["#flags"].split(",")]
    assert untranslated == []
    assert fuzzy == []


def test_members_in_both_languages():
    with translation.override("zh-hans"):
        assert gettext("Members") == "党员"
    with translation.override("en"):
        assert gettext("Members") == "Members"


@pytest.mark.django_db
def test_the_language_switch_names_each_language_in_itself(client):
    """On a Chinese page the way back to English must read "English", not "英语"."""
    for accept in ("zh-CN", "en-US"):
        page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        assert 'lang="en" class="btn' in page and ">English</button>" in page, accept
        assert ">简体中文</button>" in page, accept
