"""Province scale (issue 8): the study plans are stamped, and reflections get the indexes
a committee's list and the officers' review counts read.

* (``learning_studyplan`` is stamped by ``LearningConfig.ready``, portal/stamps.py: a
  committee's counts of plans are cached under the stamps of plans, memberships and the
  tree, learning/counting.py.)
* ``reflection_created``: a committee's pages of reflections walk it newest first.
* ``reflection_waiting``: what waits for review is an index-only scan of the few thousand
  submitted rows.
* ``parallel_workers = 0`` on reflections (PostgreSQL): PostgreSQL cannot estimate
  ``organisation_id = ANY(ARRAY(SELECT …))`` and planned a parallel scan for a branch's
  page of a few hundred rows, where starting the worker cost 5 ms of the page's 6.
"""

from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE learning_reflection SET (parallel_workers = 0)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE learning_reflection RESET (parallel_workers)")


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_generated_upload_names"),
        ("portal", "0003_change_stamps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reflection",
            index=models.Index(fields=["created_at", "id"], name="reflection_created"),
        ),
        migrations.AddIndex(
            model_name="reflection",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["organisation", "author"],
                include=("is_exemplar",),
                name="reflection_waiting",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
