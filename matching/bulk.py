"""Write many match rows fast: PostgreSQL's COPY through psycopg 3 (a city's run writes millions
of rows, and INSERT with per-row JSON encoding took 30 s for the demo town's 150,000), or
``bulk_create`` on SQLite."""

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
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=2000)
        return len(objects)
    db_columns = [model._meta.get_field(name).column for name in columns]
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
