"""Settings for the load test: the portal's own settings plus the bare comparison view.

(Once portal/settings.py reads ``BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)``
this module is only a convenience.)
"""

from portal.settings import *  # noqa: F403

BENCHMARK_VIEWS = True

# Plain static storage: `{% static %}` then needs no manifest, so the test needs no
# collectstatic (which fails today on chart.umd.min.js's missing source map, see
# docs/performance.md). The pages' HTML is what is measured; wrk fetches no static files.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
