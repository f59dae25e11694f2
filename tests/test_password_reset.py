"""Password reset by e-mail: absent without a mail server; with one, throttled per e-mail address
and per client, without telling which addresses have an account."""

import secrets

import pytest
from django.core import mail

from .test_security import manage

pytestmark = pytest.mark.django_db

URL = "/accounts/password_reset/"


@pytest.fixture
def reset_on(settings, tmp_path):
    settings.TRACKER_PASSWORD_RESET = True
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "throttle"),
        },
    }
    return settings


@pytest.fixture
def vera_with_mail(vera):
    vera.email = "vera@example.invalid"
    vera.save()
    return vera


def ask(client, email, address="198.51.100.5"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=address)


def test_without_a_mail_server_there_is_no_password_reset(client, vera_with_mail):
    assert client.get(URL).status_code == 404
    assert ask(client, "vera@example.invalid").status_code == 404
    assert mail.outbox == []


def test_production_turns_it_on_only_with_the_smtp_backend():
    common = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "tracker.example.nl",
    }
    code = "from django.conf import settings as s; print(s.TRACKER_PASSWORD_RESET)"
    console = manage("shell", "-c", code, **common)
    smtp = manage(
        "shell",
        "-c",
        code,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        **common,
    )
    assert console.stdout.strip().splitlines()[-1] == "False", console.stderr
    assert smtp.stdout.strip().splitlines()[-1] == "True", smtp.stderr


def test_a_reset_mail_is_sent_when_it_is_on(client, reset_on, vera_with_mail):
    assert client.get(URL).status_code == 200
    response = ask(client, "vera@example.invalid")
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["vera@example.invalid"]


def test_one_address_gets_at_most_a_few_mails_an_hour(client, reset_on, vera_with_mail):
    limit = reset_on.TRACKER_PASSWORD_RESET_PER_HOUR
    answers = [
        ask(client, "Vera@Example.invalid", address=f"203.0.113.{n}").status_code
        for n in range(limit + 2)
    ]
    assert answers == [302] * limit + [429, 429]
    assert len(mail.outbox) == limit
    refused = ask(client, "vera@example.invalid", address="203.0.113.200")
    assert "No e-mail was sent" in refused.content.decode() or "Er is geen" in (
        refused.content.decode()
    )


def test_one_client_cannot_send_mails_to_many_addresses(client, reset_on, vera_with_mail):
    limit = reset_on.TRACKER_PASSWORD_RESET_PER_CLIENT_HOUR
    answers = [ask(client, f"someone{n}@example.invalid").status_code for n in range(limit)]
    assert answers == [302] * limit  # no account: the same answer, no mail
    assert ask(client, "vera@example.invalid").status_code == 429
    assert mail.outbox == []
    assert ask(client, "vera@example.invalid", address="192.0.2.8").status_code == 302
    assert len(mail.outbox) == 1
