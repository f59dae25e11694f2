"""
The floor of the benchmark: the first page of the measure list (25 rows, in the admin
changelist's default order) fetched with one raw SQL query and rendered by a minimal Django
template — no ORM, no forms, no base template. No page of the tracker can be much faster.
"""

from pathlib import Path

from django.db import connection
from django.http import HttpResponse
from django.template import Context, Engine

PAGE_SIZE = 25

# Measure.Meta.ordering = plan (→ Plan.Meta.ordering: start, title), action_line__order, code,
# title; the admin changelist adds -pk to make the order total.
FLOOR_SQL = """
SELECT m.id, m.title, o.name, m.status, m.due_date, p.title
FROM measures_measure m
JOIN measures_organisation o ON o.id = m.owner_id
JOIN measures_plan p ON p.id = m.plan_id
LEFT OUTER JOIN measures_actionline a ON a.id = m.action_line_id
ORDER BY p.start ASC, p.title ASC, a."order" ASC, m.code ASC, m.title ASC, m.id DESC
LIMIT %s
"""

_template = Engine(autoescape=True).from_string(
    (Path(__file__).resolve().parent / "floor.html").read_text()
)


def floor_rows(limit=PAGE_SIZE):
    """Return the first `limit` rows: (id, title, owner name, status, due date, plan title)."""
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [limit])
        return cursor.fetchall()


def floor(request):
    return HttpResponse(_template.render(Context({"rows": floor_rows()})))
