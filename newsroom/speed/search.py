"""Text search: any run of two or more characters, the same answers on every database, two ways.

A reader's words separated by spaces (``张掖 招商``) mean all of them, each anywhere in a
story's text (``terms``). ``TextMatch(terms)`` is the condition "``search_text`` contains
every one of ``terms``" (all in lower case). It compiles to one of two SQL conditions,
chosen by the query it is part of:

- from the index (the default): trigrams for three characters or more and
  two-character runs for two on PostgreSQL (migration 0005), FTS5's trigram
  table on SQLite; every match is gathered, then sorted.
- walking (``walk(queryset)``): each of the newest stories is tested in turn.
  For a word in many stories a walk finds a page of them long before the
  index has gathered every match; for a rare word it would read the archive.

The paginator makes the choice (``paginator.SlimOffsetPaginator``), once it
knows how common the text is; the list is filtered once either way.
"""

from django.db.models import BooleanField, CharField, Expression, F, IntegerField

from .rows import flag_of, flagged

WALK_FLAG = "walk_text_search"
SEARCH_FLAG = "has_text_search"
# A list item's snippet: this many characters before the first word found, and in all.
SNIPPET_BEFORE = 20
SNIPPET_LENGTH = 80
ELLIPSIS = "…"


def terms(text):
    """The distinct words of a reader's ``text``, in lower case and in order: split at any space, full-width too."""
    return list(dict.fromkeys(text.lower().split()))


class TextMatch(Expression):
    """``search_text`` contains every one of ``terms``: from the index, or tested story by story in a walking query."""

    output_field = BooleanField()

    def __init__(self, terms, table, id=None, column=None):
        super().__init__()
        self.terms, self.table = tuple(terms), table
        self.id = F("pk") if id is None else id
        self.column = F("search_text") if column is None else column

    def __repr__(self):
        return f"TextMatch({self.terms!r})"

    def get_source_expressions(self):
        return [self.id, self.column]

    def set_source_expressions(self, expressions):
        self.id, self.column = expressions

    def as_sql(self, compiler, connection):
        column, _ = compiler.compile(self.column)
        if flag_of(compiler.query, WALK_FLAG):
            sql, params = tested_one_by_one(column, self.terms, connection.vendor)
        else:
            id_column, _ = compiler.compile(self.id)
            table = connection.ops.quote_name(self.table)
            sql, params = from_index(id_column, column, table, self.terms, connection.vendor)
        # One condition of several words: whatever Django writes around it applies to all of them.
        return f"({sql})", params


def tested_one_by_one(column, terms, vendor):
    function = "strpos" if vendor == "postgresql" else "instr"
    return " AND ".join(f"{function}({column}, %s) > 0" for _ in terms), list(terms)


def from_index(id_column, column, table, terms, vendor):
    """The condition that gathers every story with all of ``terms`` from the database's index, in one pass."""
    if vendor == "postgresql":
        long = [term for term in terms if len(term) >= 3]
        short = [term for term in terms if len(term) < 3]
        conditions = ["search_text LIKE %s"] * len(long)
        params = ["%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for term in long]
        if short:
            conditions.append(f"newsroom_bigrams(lower(search_text)) @> ARRAY[{', '.join(['lower(%s)'] * len(short))}]")
            params += short
        # The matches are gathered once, from the indexes, into an array: given the condition
        # itself, the planner would rather walk the newest stories testing each one in turn.
        return f"{id_column} = ANY(ARRAY(SELECT id FROM {table} WHERE {' AND '.join(conditions)}))", params
    indexed = [term for term in terms if len(term) >= 3 and not set(term) & set("%_\\")]
    tested = [term for term in terms if term not in indexed]
    conditions, params = [], []
    if vendor == "sqlite" and indexed:
        # No ESCAPE clause: with one, FTS5 scans the whole table instead of using its index.
        likes = " AND ".join(["search_text LIKE %s"] * len(indexed))
        conditions.append(f"{id_column} IN (SELECT rowid FROM newsroom_story_search WHERE {likes})")
        params += [f"%{term}%" for term in indexed]
    else:
        tested = list(terms)
    if tested:
        # Two characters on SQLite: no index serves them, each story the index leaves is tested.
        condition, tested_params = tested_one_by_one(column, tested, vendor)
        conditions.append(condition)
        params += tested_params
    return " AND ".join(conditions), params


class Snippet(Expression):
    """The stretch of ``search_text`` around the first ``term`` in it, for a list item; "…" where it was cut."""

    output_field = CharField()

    def __init__(self, term, column=None):
        super().__init__()
        self.term = term
        self.column = F("search_text") if column is None else column

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        column, _ = compiler.compile(self.column)
        find, larger = ("strpos", "greatest") if connection.vendor == "postgresql" else ("instr", "max")
        start = f"{larger}({find}({column}, %s) - {SNIPPET_BEFORE}, 1)"
        sql = (
            f"CASE WHEN {start} > 1 THEN %s ELSE '' END || substr({column}, {start}, {SNIPPET_LENGTH})"
            f" || CASE WHEN length({column}) >= {start} + {SNIPPET_LENGTH} THEN %s ELSE '' END"
        )
        return sql, [self.term, ELLIPSIS, self.term, self.term, ELLIPSIS]


class HeadlineMatches(Expression):
    """How many of ``terms`` a story's kicker or headline holds: the first place each is found in ``search_text``.

    ``search_text`` starts with the kicker and the headline, a line each (``models.search_text_of``),
    so a word found first within their length is found in one of them. Character positions and
    lengths are counted alike by SQLite and PostgreSQL, so both rank every story alike.
    """

    output_field = IntegerField()

    def __init__(self, terms, column=None, kicker=None, headline=None):
        super().__init__()
        self.terms = tuple(terms)
        self.column = F("search_text") if column is None else column
        self.kicker = F("kicker") if kicker is None else kicker
        self.headline = F("headline") if headline is None else headline

    def get_source_expressions(self):
        return [self.column, self.kicker, self.headline]

    def set_source_expressions(self, expressions):
        self.column, self.kicker, self.headline = expressions

    def as_sql(self, compiler, connection):
        column, _ = compiler.compile(self.column)
        kicker, _ = compiler.compile(self.kicker)
        headline, _ = compiler.compile(self.headline)
        find = "strpos" if connection.vendor == "postgresql" else "instr"
        # The word ends within the kicker, its line break and the headline: it starts at most here.
        head = f"length({kicker}) + length({headline}) + 2"
        cases = [f"CASE WHEN {find}({column}, %s) BETWEEN 1 AND {head} - %s THEN 1 ELSE 0 END" for _ in self.terms]
        params = [value for term in self.terms for value in (term, len(term))]
        return f"({' + '.join(cases) or '0'})", params


def search(queryset, terms):
    """``queryset`` narrowed to the stories whose search text contains every one of ``terms`` (lower case)."""
    return flagged(queryset.filter(TextMatch(terms, queryset.model._meta.db_table)), SEARCH_FLAG)


def with_snippet(queryset, word):
    """``queryset``, each story with ``snippet``: its search text around the first ``word`` in it."""
    return queryset.annotate(snippet=Snippet(word))


def by_relevance(queryset, terms):
    """``queryset`` with the stories holding most of ``terms`` in their kicker or headline first, then newest first."""
    ranked = queryset.alias(headline_matches=HeadlineMatches(terms))
    return ranked.order_by("-headline_matches", "-published_at", "-pk")


def has_search(queryset):
    return bool(flag_of(queryset.query, SEARCH_FLAG))


def walk(queryset):
    """The same stories as ``queryset``, its text search tested story by story rather than from the index."""
    return flagged(queryset, WALK_FLAG)
