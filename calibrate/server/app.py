"""The seed article's reference app: one request = an IO phase, then a CPU phase.

Run under Gunicorn sync workers (``gunicorn app:application``). Environment:
  IO_BOUND, CPU_BOUND  percentages of one unit spent waiting on PostgreSQL and computing;
                       they must sum to 100, otherwise the app refuses to start.
  UNIT_S               the unit in seconds (default 1.0).
  PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE   where pg_sleep runs.
"""
import os

import psycopg2

IO_PCT = float(os.environ.get("IO_BOUND", "100"))
CPU_PCT = float(os.environ.get("CPU_BOUND", "0"))
UNIT_S = float(os.environ.get("UNIT_S", "1.0"))

if IO_PCT < 0 or CPU_PCT < 0 or abs(IO_PCT + CPU_PCT - 100) > 1e-9:
    raise RuntimeError(
        f"IO_BOUND ({IO_PCT:g}) and CPU_BOUND ({CPU_PCT:g}) must be >= 0 and sum to 100")
if UNIT_S <= 0:
    raise RuntimeError(f"UNIT_S ({UNIT_S:g}) must be > 0")

# 5,000,000 iterations took about 1 s on the article's machine; here it is calibrated, not assumed.
CPU_ITERATIONS = int(CPU_PCT / 100 * 5_000_000 * UNIT_S)
IO_SLEEP_S = IO_PCT / 100 * UNIT_S


def io_phase():
    # A new connection per request, as in the article: each one forks a PostgreSQL backend.
    connection = psycopg2.connect(
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=int(os.environ.get("PGPORT", "5432")),
        user=os.environ.get("PGUSER", "postgres"),
        password=os.environ.get("PGPASSWORD", ""),
        dbname=os.environ.get("PGDATABASE", "postgres"),
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(%s)", (IO_SLEEP_S,))
            cursor.fetchall()
    finally:
        connection.close()


def spin(iterations):
    """The CPU phase's pure-Python arithmetic; speed_probe.py times this very loop."""
    total = 0
    for i in range(iterations):
        total += i * 2 % 7
    return total


def application(environ, start_response):
    if IO_PCT > 0:
        io_phase()
    if CPU_PCT > 0:
        spin(CPU_ITERATIONS)
    start_response("204 No Content", [])
    return [b""]
