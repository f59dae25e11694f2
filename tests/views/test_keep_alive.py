"""Staying logged in: POST /accounts/keep-alive/ renews the session (static/js/session.js)."""

import time

import pytest
from django.urls import reverse

from measures.middleware import SESSION_SEEN

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

URL = reverse("keep_alive")


def test_it_renews_the_idle_time_of_the_session(client, bob, settings):
    client.force_login(bob)
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - settings.SESSION_COOKIE_AGE + 30  # 30 s left
    session.save()
    response = client.post(URL)
    assert response.status_code == 204
    assert client.session[SESSION_SEEN] >= int(time.time()) - 1
    page = client.get(reverse("measures:dashboard")).content.decode()
    seconds = int(page.split('data-session-seconds="')[1].split('"')[0])
    assert settings.SESSION_COOKIE_AGE - 2 <= seconds <= settings.SESSION_COOKIE_AGE


def test_it_refuses_get(client, bob):
    client.force_login(bob)
    assert client.get(URL).status_code == 405


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.post(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_session_past_its_idle_limit_is_not_renewed(client, bob, settings):
    client.force_login(bob)
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session.save()
    response = client.post(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get(reverse("measures:dashboard")).status_code == 302  # logged out


def test_pages_tell_the_script_the_seconds_left_only_when_logged_in(client, bob):
    assert "data-session-seconds" not in client.get(reverse("login")).content.decode()
    client.force_login(bob)
    page = client.get(reverse("measures:dashboard")).content.decode()
    assert 'id="session-warning"' in page and 'role="alertdialog"' in page
    assert f'data-keep-alive-url="{URL}"' in page
