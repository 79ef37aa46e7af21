"""Run some apps' province seeders again on a database whose portal part is already loaded.

    DATABASE_URL=… DJANGO_DEBUG=1 .venv/bin/python bench/seed_apps.py learning assessment

``seed_demo --scale province`` does everything in one go; this rebuilds its context (the
tree, members, secretaries and committee members under the ``PROV`` root) from the
database, for re-running one app's seeder while developing it.
"""

from __future__ import annotations

import os
import sys
import time
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def main() -> None:
    import django

    django.setup()
    from portal.models import Membership, Organisation, Position
    from portal.scale import ProvinceContext

    root = Organisation.objects.get(code="PROV")
    tree = Organisation.objects.filter(path__startswith=root.path).order_by("path")
    context = ProvinceContext(root_id=root.pk)
    for org in tree:
        if org.kind == "committee":
            context.committee_ids.append(org.pk)
        elif org.kind == "branch":
            context.branch_ids.append(org.pk)
            context.group_ids_by_branch[org.pk] = []
    by_path = {org.path: org.pk for org in tree}
    for org in tree.filter(kind="group"):
        context.group_ids_by_branch[by_path[org.path[: -Organisation.steplen]]].append(org.pk)
    context.members = list(
        Membership.objects.filter(branch_id__in=context.branch_ids)
        .order_by("branch__path", "id")
        .values_list("user_id", "branch_id", "group_id")
    )
    for p in Position.objects.filter(organisation__in=tree, ended_on__isnull=True):
        if p.title == "secretary":
            context.secretary_by_branch[p.organisation_id] = p.user_id
        elif p.title == "committee_member":
            context.committee_user_by_committee[p.organisation_id] = p.user_id
    for app in sys.argv[1:]:
        started = time.monotonic()
        summary = import_module(f"{app}.scale").seed_province(context)
        print(f"{app}: {summary} in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
