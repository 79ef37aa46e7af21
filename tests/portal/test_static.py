"""Production static files: collectstatic with WhiteNoise's manifest storage succeeds, so a
page under DEBUG off never fails for a missing manifest entry (a vendored file's source
map reference, for instance)."""

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_builds_the_manifest(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/chartjs/chart.umd.min.*.js"))
