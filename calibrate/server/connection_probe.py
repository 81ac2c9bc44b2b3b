"""What a new PostgreSQL connection costs the app here: prints the client's CPU seconds and the
wall seconds of one connection (median over CONNECTIONS), as "CLIENT_CPU_S WALL_S".

Each connection is made as app.py makes it (its connect arguments, one pg_sleep query; the
article's app sleeps, here the sleep is 0 so only the connection's own cost remains), then
closed. The server's side (the forked backend, scram-sha-256) is read from /proc by the caller.

Usage: connection_probe.py [CONNECTIONS]
"""
import os
import statistics
import sys
import time

os.environ.setdefault("IO_BOUND", "100")
os.environ.setdefault("CPU_BOUND", "0")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import psycopg2  # noqa: E402
from app import CONNECTION  # noqa: E402

connections = int(sys.argv[1]) if len(sys.argv) > 1 else 20
if connections < 1:
    sys.exit(f"connections ({connections}) must be >= 1")

cpu_s, wall_s = [], []
for _ in range(connections):
    wall_start, cpu_start = time.perf_counter(), time.thread_time()
    connection = psycopg2.connect(**CONNECTION)
    cursor = connection.cursor()
    cursor.execute("SELECT pg_sleep(0)")
    connection.close()
    cpu_s.append(time.thread_time() - cpu_start)
    wall_s.append(time.perf_counter() - wall_start)
print(f"{statistics.median(cpu_s):.6f} {statistics.median(wall_s):.6f}")
