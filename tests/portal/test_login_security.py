"""Login lockout, password hashing and two-factor authentication."""

import importlib

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(AXES_ENABLED=True)
def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, world):
    world.member.set_password("right-password-123")
    world.member.save()
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "member", "password": "wrong"})
    assert response.status_code == 429
    response = client.post(url, {"username": "member", "password": "right-password-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_a_wrong_password_then_the_right_one_logs_in(client, world):
    world.member.set_password("right-password-123")
    world.member.save()
    client.post(reverse("login"), {"username": "member", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "member", "password": "right-password-123"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.member.pk)


def test_production_hashes_passwords_with_argon2(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    settings = importlib.import_module("portal.settings")
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


@override_settings(OTP_REQUIRED=True)
def test_committee_member_must_set_up_two_factor(as_user, world):
    client = as_user(world.committee_user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:two_factor_setup"))
    page = client.get(reverse("portal:two_factor_setup"))
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=world.committee_user)
    response = client.post(reverse("portal:two_factor_setup"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_wrong_code_is_refused_and_then_throttled(as_user, world):
    client = as_user(world.member)
    client.get(reverse("portal:two_factor_setup"))
    device = TOTPDevice.objects.get(user=world.member)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    first = client.post(reverse("portal:two_factor_setup"), {"token": wrong})
    assert "wrong" in str(first.context["form"].errors["token"]) or "错误" in str(
        first.context["form"].errors["token"]
    )
    second = client.post(reverse("portal:two_factor_setup"), {"token": current_code(device)})
    assert second.status_code == 200  # throttled for a moment after a wrong code
    device.refresh_from_db()
    assert not device.confirmed


@override_settings(OTP_REQUIRED=True)
def test_returning_committee_member_enters_a_code(client, world):
    device = TOTPDevice.objects.create(user=world.committee_user, name="a", confirmed=True)
    client.force_login(world.committee_user)
    response = client.get(reverse("portal:members"))
    assert response["Location"].startswith(reverse("portal:two_factor_verify"))
    response = client.post(
        reverse("portal:two_factor_verify") + "?next=/members/", {"token": current_code(device)}
    )
    assert response["Location"] == "/members/"
    assert client.get(reverse("portal:members")).status_code == 200


@override_settings(OTP_REQUIRED=True)
def test_plain_member_is_not_asked_for_two_factor(as_user, world):
    assert as_user(world.member).get(reverse("portal:home")).status_code == 200


@override_settings(OTP_REQUIRED=False)
def test_two_factor_is_optional_by_default(as_user, world):
    assert as_user(world.committee_user).get(reverse("portal:home")).status_code == 200


def test_next_parameter_cannot_leave_the_site(as_user, world):
    device = TOTPDevice.objects.create(user=world.member, name="a", confirmed=True)
    client = as_user(world.member)
    response = client.post(
        reverse("portal:two_factor_verify") + "?next=https://evil.example/",
        {"token": current_code(device)},
    )
    assert response["Location"] == reverse("portal:home")


@pytest.mark.parametrize("token", ["", "12345", "abcdef", "1234567"])
def test_malformed_codes_are_refused_with_a_message(as_user, world, token):
    response = as_user(world.member).post(reverse("portal:two_factor_verify"), {"token": token})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
