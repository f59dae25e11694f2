"""The interface tests read the English source strings, so their client asks for English: they
hold whether or not the Dutch catalogue is compiled and merged. Import `english` into a test module
to apply it there (autouse)."""

import pytest


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
