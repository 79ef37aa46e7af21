"""Every model the admin shows opens without an error, in Chinese, on the demo data."""

import pytest
from django.contrib import admin
from django.urls import reverse

from portal.demo import seed_demo
from portal.management.commands.seed_demo import app_modules
from portal.models import User


@pytest.fixture
def admin_client_with_demo(client, db):
    seed_demo()
    for module in app_modules("demo"):
        module.seed_demo()
    client.force_login(User.objects.get(username="admin"))
    return client


def test_every_admin_list_and_first_record_opens(admin_client_with_demo):
    client = admin_client_with_demo
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        first = model_admin.get_queryset(response.wsgi_request).first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert client.get(change).status_code == 200, change


def test_admin_speaks_chinese(admin_client_with_demo):
    page = admin_client_with_demo.get(reverse("admin:index")).content.decode()
    assert "组织" in page and "党员" in page
