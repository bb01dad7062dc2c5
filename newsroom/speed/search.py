"""Text search: any run of two or more characters, the same answers on every database, two ways.

``TextMatch(text)`` is the condition "``search_text`` contains ``text``" (both
in lower case). It compiles to one of two SQL conditions, chosen by the query
it is part of:

- from the index (the default): trigrams for three characters or more and
  two-character runs for two on PostgreSQL (migration 0005), FTS5's trigram
  table on SQLite; every match is gathered, then sorted.
- walking (``walk(queryset)``): each of the newest stories is tested in turn.
  For a word in many stories a walk finds a page of them long before the
  index has gathered every match; for a rare word it would read the archive.

The paginator makes the choice (``paginator.SlimOffsetPaginator``), once it
knows how common the text is; the list is filtered once either way.
"""

from django.db.models import BooleanField, Expression, F

from .rows import flag_of, flagged

WALK_FLAG = "walk_text_search"
SEARCH_FLAG = "has_text_search"


class TextMatch(Expression):
    """``search_text`` contains ``text``: from the index, or tested story by story in a walking query."""

    output_field = BooleanField()

    def __init__(self, text, table, id=None, column=None):
        super().__init__()
        self.text, self.table = text, table
        self.id = F("pk") if id is None else id
        self.column = F("search_text") if column is None else column

    def __repr__(self):
        return f"TextMatch({self.text!r})"

    def get_source_expressions(self):
        return [self.id, self.column]

    def set_source_expressions(self, expressions):
        self.id, self.column = expressions

    def as_sql(self, compiler, connection):
        column, _ = compiler.compile(self.column)
        if flag_of(compiler.query, WALK_FLAG):
            return tested_one_by_one(column, self.text, connection.vendor)
        id_column, _ = compiler.compile(self.id)
        table = connection.ops.quote_name(self.table)
        return from_index(id_column, column, table, self.text, connection.vendor)


def tested_one_by_one(column, text, vendor):
    function = "strpos" if vendor == "postgresql" else "instr"
    return f"{function}({column}, %s) > 0", [text]


def from_index(id_column, column, table, text, vendor):
    """The condition that gathers every match for ``text`` from the database's index."""
    if vendor == "postgresql":
        if len(text) >= 3:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            condition, params = "search_text LIKE %s", [pattern]
        else:
            condition, params = "newsroom_bigrams(lower(search_text)) @> ARRAY[lower(%s)]", [text]
        # The matches are gathered once, from the index, into an array: given the condition
        # itself, the planner would rather walk the newest stories testing each one in turn.
        return f"{id_column} = ANY(ARRAY(SELECT id FROM {table} WHERE {condition}))", params
    if vendor == "sqlite" and len(text) >= 3 and not set(text) & set("%_\\"):
        # No ESCAPE clause: with one, FTS5 scans the whole table instead of using its index.
        return f"{id_column} IN (SELECT rowid FROM newsroom_story_search WHERE search_text LIKE %s)", [f"%{text}%"]
    # Two characters on SQLite: no index serves them, every story is tested.
    return tested_one_by_one(column, text, vendor)


def search(queryset, text):
    """``queryset`` narrowed to the stories whose search text contains ``text`` (lower case, stripped)."""
    return flagged(queryset.filter(TextMatch(text, queryset.model._meta.db_table)), SEARCH_FLAG)


def has_search(queryset):
    return bool(flag_of(queryset.query, SEARCH_FLAG))


def walk(queryset):
    """The same stories as ``queryset``, its text search tested story by story rather than from the index."""
    return flagged(queryset, WALK_FLAG)
