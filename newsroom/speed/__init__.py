"""The hand-tuned reads: what makes readers' pages fast at archive size, in one place.

Each page of the public site reads a fixed number of queries whatever the size
of the archive (tests/test_query_counts.py). Where Django's ordinary ways cost
more than the query itself, these modules do the same work by hand:

- ``rows``: the only use of Django's private API in the project: setting a
  relation or a prefetched list on a model instance without a query, the
  database an instance came from, a queryset that yields through an iterable
  of ours. ``tests/test_speed.py`` checks each against the installed Django.
- ``lists``: stories as lists, feeds and story pages read them: places from the
  region map instead of joins, credits and lead photos for a whole page in one
  query each (the lead photos' in written-out SQL).
- ``search``: text search, from the trigram or FTS5 index or by walking the
  newest stories; the paginator decides which (``StoryQuerySet.walking()``).
- ``paginator``: pages read ids first, deep pages from the nearest anchor,
  counts kept per content version.
- ``widgets``: the filter form's drop-downs and inputs written in Python, and
  django-filter's filters copied shallowly for each request.

Nothing outside this package reaches into Django's internals
(``tests/test_layout.py``). Nothing here imports the models but the
paginator, which only the views use: the querysets are the models' managers
and use ``rows``, ``lists`` and ``search``, which reach the models they work
on through the stories' relations.
"""
