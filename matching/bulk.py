"""Write many match rows fast: PostgreSQL's COPY through psycopg 3 (a city's run writes millions
of rows, and INSERT with per-row JSON encoding took 30 s for the demo town's 150,000), or one
prepared INSERT run over every row on SQLite (``bulk_create`` builds a model instance per row:
13 s for the demo town's 80,000, against about 2 s this way)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import orjson
from django.db import connection, models


class JSONText(str):
    """A JSON value already encoded (a value written to several rows is encoded once)."""


NUMPY = orjson.OPT_SERIALIZE_NUMPY


def _encoded(value) -> str:
    return value if isinstance(value, JSONText) else orjson.dumps(value, option=NUMPY).decode()


def in_ids(column: str) -> str:
    """Return a condition that ``column`` is among the ids of one parameter (``ids_param``): one
    parameter however many ids, where ``IN (%s, %s, ...)`` costs the client and the server a
    placeholder each."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)"
    return f"{column} IN (SELECT value FROM json_each(%s))"


def ids_param(ids: Iterable[int]) -> list[int] | str:
    ids = [int(i) for i in ids]
    return ids if connection.vendor == "postgresql" else orjson.dumps(ids).decode()


def select_rows(model: type[models.Model], fields: Sequence[str], column: str, ids) -> list[tuple]:
    """Return ``fields`` (``"pk"`` for the key) of ``model``'s rows whose ``column`` is among
    ``ids``, as plain tuples (no model instance, no per-field conversion)."""
    quote = connection.ops.quote_name
    names = [
        model._meta.pk.column if f == "pk" else model._meta.get_field(f).column for f in fields
    ]
    sql = (
        f"SELECT {', '.join(quote(n) for n in names)} FROM {quote(model._meta.db_table)} "
        f"WHERE {in_ids(quote(column))}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids_param(ids)])
        return cursor.fetchall()


def delete_rows(model: type[models.Model], pks: Sequence[int]) -> None:
    """Delete ``model``'s rows with these keys, in one statement (for tables nothing refers to:
    no cascade is run)."""
    if not pks:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} "
            f"WHERE {in_ids(quote(model._meta.pk.column))}",
            [ids_param(pks)],
        )


def delete_rows_except(model: type[models.Model], column: str, ids) -> None:
    """Delete ``model``'s rows whose ``column`` is not among ``ids``, in one statement (for
    tables nothing refers to). The ids are a set the server hashes once (PostgreSQL 15 tests
    ``NOT (column = ANY(...))`` against each id in turn: a second for the demo town's rows)."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        among = "SELECT unnest(%s::bigint[])"
    else:
        among = "SELECT value FROM json_each(%s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(column)} NOT IN ({among})",
            [ids_param(ids)],
        )


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order; JSON fields as Python objects). Must run
    inside the caller's transaction; ``rows`` may be a generator (on PostgreSQL the rows stream
    to the server while the next are made). Return the number of rows written."""
    json_at = [
        i
        for i, name in enumerate(columns)
        if isinstance(model._meta.get_field(name), models.JSONField)
    ]
    db_columns = [model._meta.get_field(name).column for name in columns]
    if connection.vendor == "sqlite":
        return _sqlite_insert(model, columns, db_columns, json_at, rows)
    if connection.vendor != "postgresql":
        raise NotImplementedError(f"no bulk insert for {connection.vendor}")
    statement = (
        f"COPY {connection.ops.quote_name(model._meta.db_table)} "
        f"({', '.join(connection.ops.quote_name(c) for c in db_columns)}) FROM STDIN"
    )
    from psycopg.copy import QueuedLibpqWriter

    count = 0
    with connection.cursor() as cursor:
        # A thread sends while this one makes rows: the server parses rows while the next
        # rows' reasons are built.
        raw = cursor.cursor
        with raw.copy(statement, writer=QueuedLibpqWriter(raw)) as copy:
            for row in rows:
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = _encoded(row[i])
                copy.write_row(row)
                count += 1
    return count


def _sqlite_insert(model, columns, db_columns, json_at, rows) -> int:
    """Insert through ``executemany``, adapting values as the ORM would (JSON text, datetimes)."""
    adapt_at = [
        i
        for i, name in enumerate(columns)
        if isinstance(model._meta.get_field(name), models.DateTimeField)
    ]
    adapt = connection.ops.adapt_datetimefield_value
    quote = connection.ops.quote_name
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in db_columns)}) "
        f"VALUES ({', '.join('%s' for _ in db_columns)})"
    )

    def adapted():
        for row in rows:
            row = list(row)
            for i in json_at:
                row[i] = _encoded(row[i])
            for i in adapt_at:
                row[i] = adapt(row[i])
            yield row

    values = list(adapted())
    with connection.cursor() as cursor:
        cursor.executemany(statement, values)
    return len(values)
