"""Indexes for readers' text search, which must find any run of two or more characters.

Chinese has no spaces, so words cannot be indexed; substrings can.
- PostgreSQL: a trigram index (pg_trgm) answers queries of three characters
  or more, and an index of each text's two-character runs answers two-character
  queries, which trigrams cannot.
- SQLite: an FTS5 table with the trigram tokenizer, kept in step by triggers,
  answers queries of three characters or more; two-character queries scan.
Both give the same answers as a plain substring search.
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE OR REPLACE FUNCTION newsroom_bigrams(body text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(body, i, 2)), '{}')
        FROM generate_series(1, greatest(char_length(body) - 1, 0)) AS i
    $$
    """,
    "CREATE INDEX IF NOT EXISTS story_search_trigrams ON newsroom_story USING gin (search_text gin_trgm_ops)",
    """
    CREATE INDEX IF NOT EXISTS story_search_bigrams
    ON newsroom_story USING gin (newsroom_bigrams(lower(search_text)))
    """,
]
POSTGRESQL_BACK = [
    "DROP INDEX IF EXISTS story_search_bigrams",
    "DROP INDEX IF EXISTS story_search_trigrams",
    "DROP FUNCTION IF EXISTS newsroom_bigrams(text)",
]
SQLITE = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS newsroom_story_search USING fts5(
        search_text, content='newsroom_story', content_rowid='id', tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS newsroom_story_search_insert AFTER INSERT ON newsroom_story BEGIN
        INSERT INTO newsroom_story_search(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS newsroom_story_search_delete AFTER DELETE ON newsroom_story BEGIN
        INSERT INTO newsroom_story_search(newsroom_story_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS newsroom_story_search_update AFTER UPDATE OF search_text ON newsroom_story BEGIN
        INSERT INTO newsroom_story_search(newsroom_story_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO newsroom_story_search(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    "INSERT INTO newsroom_story_search(newsroom_story_search) VALUES ('rebuild')",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS newsroom_story_search_update",
    "DROP TRIGGER IF EXISTS newsroom_story_search_delete",
    "DROP TRIGGER IF EXISTS newsroom_story_search_insert",
    "DROP TABLE IF EXISTS newsroom_story_search",
]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0004_import_batches")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_BACK, "sqlite": SQLITE_BACK}),
        )
    ]
