"""Walk every URL the tracker serves and check who gets what.

Anonymous visitors never see data: every route but the few public ones (login, language switch,
static files) sends them to the login page, for GET and for POST alike.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "login",
    "set_language",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "logout",
    "admin:login",
    "admin:logout",
}


def walk(patterns, prefix="", namespace=""):
    """Yield (name, route) for every URL pattern, with the parameters filled in."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from walk(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or route, route


def concrete(route):
    """Turn a route (path or regex) into a URL with sample values for its parameters."""
    url = re.sub(r"<(?:int|str|slug|path):\w+>", "1", route)
    url = re.sub(r"<\w+>", "1", url)
    url = url.lstrip("^").rstrip("$").replace("\\", "")
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url)
    url = re.sub(r"[()?*+|\[\]]", "", url)
    return "/" + url


ROUTES = sorted(set(walk(get_resolver().url_patterns)))
PRIVATE = [(name, route) for name, route in ROUTES if name not in PUBLIC]


def test_the_walk_finds_the_routes():
    names = {name for name, _ in ROUTES}
    assert "login" in names and "admin:index" in names


def test_the_public_routes_are_only_the_login_and_language_ones():
    public = {name for name, _ in ROUTES} - {name for name, _ in PRIVATE}
    assert public == PUBLIC


@pytest.mark.parametrize(("name", "route"), PRIVATE, ids=[n for n, _ in PRIVATE])
def test_anonymous_visitors_see_no_data(client, db, name, route):
    url = concrete(route)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (301, 302), (
            f"{method.__name__.upper()} {url}: {response.status_code}"
        )
        assert "login" in response["Location"], f"{url} redirects to {response['Location']}"
