"""How fast this core runs the app's CPU loop right now: prints CPU nanoseconds per iteration.

A shared virtual machine's vCPU does not run at one speed: co-tenants on the host slowed the
same loop by up to 2x from one hour (even one minute) to the next, and /proc counts the lost
speed as our CPU time. The harness runs this on the server's core just before and just after
each run, so a run says at what speed it was measured.

Usage: speed_probe.py [ITERATIONS [REPEATS]]; prints the median of REPEATS timings.
"""
import os
import statistics
import sys
import time

# The probe must not need the database: app.py reads only its environment at import.
os.environ.setdefault("IO_BOUND", "0")
os.environ.setdefault("CPU_BOUND", "100")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from app import cpu_work  # noqa: E402

iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
if iterations < 1 or repeats < 1:
    sys.exit(f"iterations ({iterations}) and repeats ({repeats}) must be >= 1")

timings_ns = []
for _ in range(repeats):
    start = time.thread_time_ns()
    cpu_work(float(iterations))  # the app's bound is a float too
    timings_ns.append((time.thread_time_ns() - start) / iterations)
print(f"{statistics.median(timings_ns):.3f}")
