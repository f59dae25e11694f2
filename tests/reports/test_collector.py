"""measures/reports/collector.py: the cyclic collector paused around allocation-heavy work."""

import gc

import pytest

from measures.reports.collector import collector_paused


@pytest.fixture(autouse=True)
def collector_on():
    assert gc.isenabled()
    yield
    gc.enable()


def test_it_pauses_the_collector_during_the_call_and_resumes_it_after():
    @collector_paused
    def work():
        return gc.isenabled()

    assert work() is False
    assert gc.isenabled()


def test_it_resumes_the_collector_when_the_call_raises():
    @collector_paused
    def fails():
        raise ValueError("x")

    with pytest.raises(ValueError):
        fails()
    assert gc.isenabled()


def test_a_nested_call_leaves_the_resuming_to_the_outer_one():
    @collector_paused
    def inner():
        return gc.isenabled()

    @collector_paused
    def outer():
        return inner(), gc.isenabled()

    assert outer() == (False, False)
    assert gc.isenabled()


def test_it_leaves_a_collector_that_was_off_off():
    gc.disable()
    collector_paused(lambda: None)()
    assert not gc.isenabled()
