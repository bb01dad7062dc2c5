"""Counts of long lists that stop early: exact up to a bound, the planner's estimate above it.

The admin's lists count what they show on every request, and the desk's lists change
without readers' content changing (drafts, the review queue), so a count kept per content
version (``newsroom.cache``) would be out of date there. Counting every one of 100,000
stories visits each of them; counting up to a bound visits at most that many. Above it an
editor is told "more than" the bound, and the pages go on as far as PostgreSQL's planner
estimates the list to run (SQLite, the small paper's database, counts exactly).
"""

import json

from django.db import connections


def capped_count(queryset, cap):
    """The number of rows of ``queryset``, counting no further than ``cap + 1``."""
    return queryset.order_by()[: cap + 1].count()


def estimated_count(queryset):
    """PostgreSQL's estimate of the rows of ``queryset`` (a plan, not a count); an exact count elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.count()
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
