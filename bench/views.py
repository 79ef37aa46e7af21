"""The bare view the load test compares every page with: one query, a small template.

Served only when settings.BENCHMARK_VIEWS is true (see portal/urls.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines

from portal.models import Organisation

TEMPLATE = engines["django"].from_string(
    '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>bare</title></head>'
    "<body><h1>{{ organisation.name }}</h1><p>{{ organisation.kind }} · {{ organisation.path }}</p>"
    "</body></html>"
)


def bare(request: HttpRequest) -> HttpResponse:
    organisation = Organisation.objects.order_by("pk").first()
    return HttpResponse(TEMPLATE.render({"organisation": organisation}, request))
