"""Write many match rows fast: PostgreSQL's COPY through psycopg 3 (a city's run writes millions
of rows, and INSERT with per-row JSON encoding took 30 s for the demo town's 150,000), or one
prepared INSERT run over every row on SQLite (``bulk_create`` builds a model instance per row:
13 s for the demo town's 80,000, against about 2 s this way)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.db import connection, models


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order; JSON fields as Python objects). Must run
    inside the caller's transaction. Return the number of rows written."""
    json_at = [
        i
        for i, name in enumerate(columns)
        if isinstance(model._meta.get_field(name), models.JSONField)
    ]
    db_columns = [model._meta.get_field(name).column for name in columns]
    if connection.vendor == "sqlite":
        return _sqlite_insert(model, columns, db_columns, json_at, rows)
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=2000)
        return len(objects)
    statement = (
        f"COPY {connection.ops.quote_name(model._meta.db_table)} "
        f"({', '.join(connection.ops.quote_name(c) for c in db_columns)}) FROM STDIN"
    )
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            if json_at:
                row = list(row)
                for i in json_at:
                    row[i] = json.dumps(row[i], separators=(",", ":"))
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
                row[i] = json.dumps(row[i], separators=(",", ":"))
            for i in adapt_at:
                row[i] = adapt(row[i])
            yield row

    values = list(adapted())
    with connection.cursor() as cursor:
        cursor.executemany(statement, values)
    return len(values)
