"""Login throttling (django-axes): per user name and address, and per address; the client's
address is the one rule shared with the history origin, also behind the trusted proxy."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from measures.models import Measure

pytestmark = pytest.mark.django_db

SPRAYED = "Zomer2026!"


def attempt(client, username, password, address, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_spraying_one_password_over_many_user_names_from_one_address_is_stopped(client, vera):
    statuses = [attempt(client, f"user{n}", SPRAYED, "198.51.100.9").status_code for n in range(12)]
    assert statuses[0] == 200  # the form again, with its error
    assert 429 in statuses[:-1]  # locked before the end
    assert statuses.index(429) == settings.AXES_FAILURE_LIMIT - 1
    assert set(statuses[statuses.index(429) :]) == {429}
    # Even a right password is refused from that address while it is locked.
    assert attempt(client, "vera", "pw-vera", "198.51.100.9").status_code == 429


def test_failures_from_other_addresses_do_not_lock_a_user_out_at_their_own(client, vera):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "vera", "wrong", f"203.0.113.{n + 1}")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "vera", "wrong", "203.0.113.99")
    assert attempt(client, "vera", "pw-vera", "203.0.113.99").status_code == 429

    response = attempt(client, "vera", "pw-vera", "192.0.2.44")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(vera.pk)


def test_a_lock_out_ends_after_the_cool_off(client, vera):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "vera", "wrong", "203.0.113.7")
    assert attempt(client, "vera", "pw-vera", "203.0.113.7").status_code == 429
    # Travel past the cool-off: the failures are now older than AXES_COOLOFF_TIME.
    for record in AccessAttempt.objects.all():
        record.attempt_time -= settings.AXES_COOLOFF_TIME
        record.save()
    assert attempt(client, "vera", "pw-vera", "203.0.113.7").status_code == 302


def test_a_successful_login_does_not_reset_the_address_count(client, vera):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, f"user{n}", SPRAYED, "198.51.100.20")
    assert attempt(client, "vera", "pw-vera", "198.51.100.20").status_code == 302
    client.logout()
    assert attempt(client, "user99", SPRAYED, "198.51.100.20").status_code == 429


def test_behind_the_trusted_proxy_each_client_is_throttled_on_its_own(client, vera, settings):
    settings.TRACKER_TRUST_X_FORWARDED_FOR = True
    proxy = "10.0.0.1"
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"user{n}", SPRAYED, proxy, forwarded="spoofed, 198.51.100.66")
    assert attempt(client, "user9", SPRAYED, proxy, forwarded="198.51.100.66").status_code == 429
    assert {a.ip_address for a in AccessAttempt.objects.all()} == {"198.51.100.66"}

    response = attempt(client, "vera", "pw-vera", proxy, forwarded="192.0.2.10")
    assert response.status_code == 302


def test_without_the_trusted_proxy_setting_x_forwarded_for_is_ignored(client, vera):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"user{n}", SPRAYED, "198.51.100.70", forwarded=f"192.0.2.{n}")
    assert {a.ip_address for a in AccessAttempt.objects.all()} == {"198.51.100.70"}


def test_a_forwarded_value_that_is_no_address_falls_back_to_the_socket(client, vera, settings):
    settings.TRACKER_TRUST_X_FORWARDED_FOR = True
    response = attempt(client, "nobody", "wrong", "10.0.0.1", forwarded="<script>")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "10.0.0.1"


def test_the_history_origin_and_the_throttle_see_the_same_address(client, alice, measure, settings):
    settings.TRACKER_TRUST_X_FORWARDED_FOR = True
    attempt(client, "alice", "wrong", "10.0.0.1", forwarded="198.51.100.80")
    assert AccessAttempt.objects.get().ip_address == "198.51.100.80"
    client.force_login(alice)
    page = client.get(f"/measures/{measure.pk}/edit/")
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["title"] = "Handboek, herzien"
    response = client.post(
        f"/measures/{measure.pk}/edit/",
        data,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.80",
    )
    assert response.status_code == 302, response.context["form"].errors
    record = Measure.history.filter(id=measure.pk).latest("history_date")
    assert record.history_origin == "web 198.51.100.80"
