"""Production settings, security headers, login throttling and session limits."""

import os
import secrets
import subprocess
import sys
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from measures.middleware import SESSION_SEEN, SESSION_STARTED


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_the_deployment_check_is_clean_with_production_settings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="tracker.example.nl",
        # Its own database: a developer's seeded one holds the demo accounts (tracker.E001).
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_uses_host_only_secure_cookies_and_hsts():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="tracker.example.nl",
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
    ]


def test_every_page_sends_the_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy


def test_pages_with_data_are_not_stored(client, alice):
    client.force_login(alice)
    assert client.get("/admin/").headers["Cache-Control"] == "no-store"


def test_no_page_has_an_inline_script(client, alice):
    client.force_login(alice)
    html = client.get("/accounts/login/").content.decode()
    assert "<script>" not in html and "<script " not in html.replace("<script src=", "")


def login(client, password):
    return client.post(
        "/accounts/login/", {"username": "alice", "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def test_repeated_failed_logins_lock_the_account_with_a_clear_message(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200  # the form again, with its error
    assert login(client, "wrong").status_code == 429  # the last allowed failure locks
    response = login(client, "pw-alice")  # even the right password is refused now
    assert response.status_code == 429
    assert "failed" in response.content.decode() or "mislukte" in response.content.decode()
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="alice")  # the failures are recorded
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_a_successful_login_after_a_few_failures_works(client, alice):
    login(client, "wrong")
    response = login(client, "pw-alice")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_session_ends_at_its_absolute_limit(client, alice):
    client.force_login(alice)
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - settings.TRACKER_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_an_idle_session_expires(client, alice, settings):
    client.force_login(alice)
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - settings.SESSION_COOKIE_AGE - 1
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_active_session_is_refreshed_once_a_minute_not_on_every_request(client, alice):
    client.force_login(alice)
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - 61
    session.save()
    client.get("/admin/")
    assert int(time.time()) - client.session[SESSION_SEEN] < 5


@pytest.mark.urls("tests.urls_errors")
def test_a_server_error_shows_a_generic_page_without_details(client, db):
    client.raise_request_exception = False
    response = client.get("/fail/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Er ging iets mis" in body
    assert "secret detail" not in body and "Traceback" not in body


def test_failed_logins_lock_outs_and_refusals_are_logged(client, alice, vera, measure, caplog):
    caplog.set_level("INFO")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong")
    client.force_login(vera)
    client.get(f"/measures/{measure.pk}/edit/")  # a viewer may not edit
    messages = [(r.name, r.getMessage()) for r in caplog.records]
    assert any(
        name == "axes.handlers.database" and "login failed" in text for name, text in messages
    )
    assert any(name.startswith("axes") and "Locking out" in text for name, text in messages)
    assert any(name == "django.request" and "Forbidden" in text for name, text in messages)


def test_the_language_cookie_is_secure_and_same_site_under_production_settings(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.test import Client; "
        "r = Client().post('/i18n/setlang/', {'language': 'en'}, secure=True); "
        "print(r.status_code, r.cookies['django_language'].output())",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("302 Set-Cookie: django_language=en;"), result.stdout + result.stderr
    assert "Secure" in line and "SameSite=Lax" in line and "HttpOnly" in line
