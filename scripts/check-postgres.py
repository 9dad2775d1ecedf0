"""Exit 0 when the PostgreSQL in DATABASE_URL answers, 1 when it does not."""

import os
import sys

import psycopg

url = os.environ["DATABASE_URL"]
try:
    with psycopg.connect(url, connect_timeout=5) as connection:
        connection.execute("SELECT 1")
except psycopg.OperationalError as error:
    print(f"PostgreSQL at {url} is unreachable: {error}", file=sys.stderr)
    sys.exit(1)
