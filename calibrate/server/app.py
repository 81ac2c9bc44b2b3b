"""The seed article's wsgi.py, statement for statement (../shared/reference/seed-article.md).

Run under Gunicorn (``gunicorn app:application``). Per request: an IO phase (a new PostgreSQL
connection and ``SELECT pg_sleep(s)``), then a CPU phase (a pure-Python while loop), a line
printed to stdout, and 204 No Content with an empty body.

Environment, as in the article:
  IO_BOUND, CPU_BOUND  integer percentages of one unit spent waiting on PostgreSQL and
                       computing (default 0); if they do not sum to 100 the import raises
                       ValueError, so the workers fail to boot.
Extras that default to the article's values:
  UNIT_S               the unit in seconds (default 1: pg_sleep(io/100), cpu/100 * 5,000,000
                       iterations).
  PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD
                       the connection (default 127.0.0.1, 5432, postgres, postgres, password).
"""
import os
import time

import psycopg2

io_percentage = int(os.getenv("IO_BOUND", 0))
cpu_percentage = int(os.getenv("CPU_BOUND", 0))
if io_percentage + cpu_percentage != 100:
    raise ValueError(io_percentage, cpu_percentage)

UNIT_S = float(os.getenv("UNIT_S", "1"))
if not UNIT_S > 0:
    raise ValueError("UNIT_S must be > 0", UNIT_S)

CONNECTION = dict(
    host=os.getenv("PGHOST", "127.0.0.1"),
    port=os.getenv("PGPORT", "5432"),
    dbname=os.getenv("PGDATABASE", "postgres"),
    user=os.getenv("PGUSER", "postgres"),
    password=os.getenv("PGPASSWORD", "password"),
)


def cpu_work(max_iterations):
    """The article's loop: an int counter compared with a float bound, float arithmetic.

    Its form sets its speed (a `for range` loop with integer arithmetic runs ~2.2x faster on
    the same core), so speed_probe.py times this very function.
    """
    iterations_done = 0
    work = 15
    while iterations_done < max_iterations:
        work = (work + 7 + work / 2) % 1000
        iterations_done += 1
    return work


def application(environ, start_response):
    start = time.time()
    if io_percentage:
        # The connection is never closed explicitly: CPython frees it, and libpq closes the
        # socket, when this function returns, i.e. after the CPU phase, as in the article.
        connection = psycopg2.connect(**CONNECTION)
        cursor = connection.cursor()
        s = float(io_percentage) / 100.0 * UNIT_S
        cursor.execute(f"SELECT pg_sleep({s})")
    if cpu_percentage:
        max_iterations = (float(cpu_percentage) / 100.0) * 5000000 * UNIT_S
        cpu_work(max_iterations)
    duration = time.time() - start
    print(f"IO work: {io_percentage}, CPU work: {cpu_percentage}, time: {duration:.1f} seconds")
    start_response("204 No Content", [])
    return [b""]
