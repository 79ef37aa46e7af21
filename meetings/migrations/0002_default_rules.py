"""The default compliance rules of DESIGN.md §2 as rows, so administrators can edit them."""

from django.db import migrations

DEFAULTS = [
    ("branch_assembly", "branch", "quarter", 1, "支部党员大会每季度至少召开1次"),
    ("committee_meeting", "branch", "month", 1, "支委会每月至少召开1次"),
    ("group_meeting", "group", "month", 1, "党小组会每月至少召开1次"),
    ("party_lecture", "branch", "quarter", 1, "党课每季度至少1次（各地要求不同）"),
    ("themed_party_day", "branch", "month", 1, "主题党日每月至少1次"),
    ("organisational_life", "branch", "year", 1, "组织生活会每年至少召开1次"),
    ("democratic_review", "branch", "year", 1, "民主评议党员每年开展1次"),
    ("party_lecture", "committee", "year", 1, "党委书记每年至少讲1次党课"),
]


def add_defaults(apps, schema_editor):
    Rule = apps.get_model("meetings", "ComplianceRule")
    for kind, org_kind, period, minimum, note in DEFAULTS:
        Rule.objects.get_or_create(
            kind=kind,
            organisation_kind=org_kind,
            organisation=None,
            defaults={"period": period, "minimum": minimum, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
