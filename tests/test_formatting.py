"""measures/formatting.py: dates the Dutch way."""

import datetime
import zoneinfo

from measures.formatting import date_nl


def test_a_moment_is_dated_in_amsterdam_time():
    # 23:30 UTC on 31 May is already 1 June in Amsterdam.
    moment = datetime.datetime(2015, 5, 31, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert date_nl(moment) == "1 juni 2015"
    assert date_nl(datetime.date(2015, 6, 1)) == "1 juni 2015"
