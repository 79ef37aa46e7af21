"""Set up a load test on the province data: log users in, start contest attempts.

    DATABASE_URL=… SECRET_KEY=… .venv/bin/python bench/sessions.py [contest users]

Writes ``bench/out/targets.lua`` (the pages to request, each with the session cookie of
the user who opens it) and ``bench/out/answers.lua`` (the session, CSRF token and attempt
of each of the contest users, who each have a fresh attempt at the open contest). Sessions
are made with Django's SessionStore, exactly as a login makes them, so the server under
test needs the same SECRET_KEY.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
OUT = ROOT / "bench" / "out"
CSRF = "benchcsrfsecretbenchcsrfsecret12"  # 32 characters: a valid unmasked CSRF secret


def session_for(user) -> str:  # type: ignore[no-untyped-def]
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    import django

    django.setup()
    from assessment import services as assessment_services
    from assessment.models import Attempt, Contest
    from portal.models import Membership, Organisation, Position

    contest_users = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    root = Organisation.objects.get(code="PROV")
    committee_user = (
        Position.objects.current().filter(organisation=root, title="committee_member").first().user  # type: ignore[union-attr]
    )
    secretary_post = (
        Position.objects.current()
        .filter(title="secretary", organisation__path__startswith=root.path)
        .select_related("user", "organisation")
        .order_by("organisation__path")[5]
    )
    branch = secretary_post.organisation
    officers = set(
        Position.objects.current()
        .filter(organisation__path__startswith=branch.path)
        .values_list("user_id", flat=True)
    )
    member = (
        Membership.objects.filter(branch=branch)
        .exclude(user_id__in=officers)
        .select_related("user")
        .order_by("user_id")
        .first()
        .user  # type: ignore[union-attr]
    )
    contest = Contest.objects.filter(
        organisation=root, closes_at__gt=django.utils.timezone.now()
    ).get()
    # The member's own attempt, open, for the contest question page.
    taken = set(Attempt.objects.filter(contest=contest).values_list("user_id", flat=True))
    if member.pk in taken:
        Attempt.objects.filter(contest=contest, user=member).delete()
    member_attempt = assessment_services.attempt_start(
        contest=contest, user=member, branch_id=branch.pk
    )
    year = django.utils.timezone.localdate().year
    sessions = {
        "member": session_for(member),
        "secretary": session_for(secretary_post.user),
        "committee": session_for(committee_user),
    }
    pages = [
        ("bare view", None, "/bench/bare/"),
        ("home: member", "member", "/"),
        ("home: secretary", "secretary", "/"),
        ("home: committee", "committee", "/"),
        ("meetings list: secretary", "secretary", "/meetings/list/"),
        ("meetings list: committee", "committee", "/meetings/list/"),
        ("meetings home: secretary", "secretary", "/meetings/"),
        ("committee calendar, 1,000 branches", "committee", f"/meetings/committees/{root.pk}/"),
        ("study archive", "member", f"/learning/archive/{member.pk}/?year={year}"),
        ("learning home: member", "member", "/learning/"),
        ("study plans: secretary", "secretary", "/learning/plans/"),
        ("reflections: secretary", "secretary", "/learning/reflections/"),
        ("materials: member", "member", "/learning/materials/"),
        ("study plans: committee", "committee", "/learning/plans/"),
        ("contest question page", "member", f"/assessment/attempts/{member_attempt.pk}/"),
        ("league table", "committee", f"/assessment/contests/{contest.pk}/league/"),
        ("member list: committee", "committee", "/members/"),
        ("tasks: secretary", "secretary", "/committee/tasks/"),
        ("assignments: committee", "committee", "/committee/assignments/"),
        ("scorecard table: committee", "committee", "/scorecards/"),
    ]
    OUT.mkdir(exist_ok=True)
    lines = ["pages = {"]
    for name, who, path in pages:
        cookie = f"sessionid={sessions[who]}" if who else ""
        lines.append(
            f"  {{name = {lua_string(name)}, path = {lua_string(path)}, cookie = {lua_string(cookie)}}},"
        )
    lines.append("}")
    (OUT / "targets.lua").write_text("\n".join(lines) + "\n")
    (OUT / "targets.tsv").write_text(
        "".join(
            f"{name}\t{path}\t{'sessionid=' + sessions[who] if who else ''}\n"
            for name, who, path in pages
        )
    )

    # Contest load: fresh attempts for members who have not taken the open contest.
    people = list(
        Membership.objects.filter(branch__path__startswith=root.path)
        .exclude(user_id__in=taken | {member.pk})
        .select_related("user")
        .order_by("user_id")[:contest_users]
    )
    Attempt.objects.filter(contest=contest, user__in=[m.user for m in people]).delete()
    lines = ["answerers = {"]
    for m in people:
        attempt = assessment_services.attempt_start(
            contest=contest, user=m.user, branch_id=m.branch_id
        )
        lines.append(
            f"  {{cookie = {lua_string('sessionid=' + session_for(m.user) + '; csrftoken=' + CSRF)}, "
            f"attempt = {attempt.pk}}},"
        )
    lines.append("}")
    lines.append(f"csrf = {lua_string(CSRF)}")
    (OUT / "answers.lua").write_text("\n".join(lines) + "\n")
    print(f"{len(pages)} pages, {len(people)} contest attempts; contest {contest.pk}")


if __name__ == "__main__":
    main()
