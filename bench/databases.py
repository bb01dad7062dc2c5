"""The benchmarks' PostgreSQL databases, made from the settings' connection details."""

import psycopg2
from psycopg2 import sql


def _server(database):
    """An autocommit connection to the server's ``postgres`` database: CREATE DATABASE refuses a transaction."""
    options = {key.lower(): database[key] for key in ("USER", "PASSWORD", "HOST", "PORT") if database.get(key)}
    options["dbname"] = "postgres"
    connection = psycopg2.connect(**options)
    connection.autocommit = True
    return connection


def create_database(database):
    """Create the PostgreSQL database if it is missing (SQLite makes its file by itself)."""
    if "postgresql" not in database["ENGINE"]:
        return
    server = _server(database)
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
            if cursor.fetchone() is None:
                print(f"Creating database {database['NAME']}", flush=True)
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
    finally:
        server.close()


def recreate_database(database):
    """Drop the PostgreSQL database, closing whatever is connected to it, and create it empty."""
    server = _server(database)
    try:
        with server.cursor() as cursor:
            name = sql.Identifier(database["NAME"])
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    finally:
        server.close()
