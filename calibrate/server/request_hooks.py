"""Gunicorn config for `workersim calibrate --app`: measures each request of the user's app
without touching its code.

The harness's own hooks (gunicorn_hooks.py: PR_SET_PDEATHSIG, the "Worker ready" line that
times the boot) are loaded beside these. pre_request and post_request bracket the app in
a sync worker (gunicorn/workers/sync.py:167 pre_request, :179 the app, :209 post_request,
which runs after the response is written and the access log line), so the window is the
app's call plus the writing of its response, on the worker's one thread:

  cpu_s          time.thread_time(): the thread's CPU, user and system
  wall_s         time.perf_counter()
  nvcsw          getrusage(RUSAGE_THREAD).ru_nvcsw: voluntary switches, about one per blocking
                 wait (a query, a downstream call)
  run_delay_s    /proc/self/task/TID/schedstat's 2nd field: time runnable but waiting for a core

so the app's time off the CPU (its IO) is wall - cpu - run_delay. One tab-separated line per
request goes to WORKERSIM_REQUEST_LOG/requests-PID.tsv, flushed at once so that a worker
killed by the timeout keeps its finished lines.
"""
import os
import resource
import threading
import time

_here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(_here, "gunicorn_hooks.py")) as _hooks:
    exec(compile(_hooks.read(), "gunicorn_hooks.py", "exec"))

_log_dir = os.environ.get("WORKERSIM_REQUEST_LOG", "")
_files = {}
_start = {}


def _run_delay_s():
    # /proc/self/task/TID/schedstat: "cpu_ns run_delay_ns timeslices" (Documentation/scheduler/sched-stats.rst)
    try:
        with open("/proc/self/task/%d/schedstat" % threading.get_native_id()) as f:
            return int(f.read().split()[1]) * 1e-9
    except (OSError, IndexError, ValueError):
        return 0.0


def _file():
    pid = os.getpid()
    f = _files.get(pid)
    if f is None:
        f = open(os.path.join(_log_dir, "requests-%d.tsv" % pid), "a", buffering=1)
        _files[pid] = f
    return f


def pre_request(worker, req):
    if not _log_dir:
        return
    _start[threading.get_ident()] = (time.thread_time(), time.perf_counter(),
                                     resource.getrusage(resource.RUSAGE_THREAD).ru_nvcsw, _run_delay_s())


def post_request(worker, req, environ, resp):
    if not _log_dir:
        return
    end = (time.thread_time(), time.perf_counter(),
           resource.getrusage(resource.RUSAGE_THREAD).ru_nvcsw, _run_delay_s())
    start = _start.pop(threading.get_ident(), None)
    if start is None:
        return
    status = str(resp.status).split()[0] if resp is not None and resp.status else "0"
    _file().write("%s\t%s\t%.9f\t%.9f\t%d\t%.9f\n" % (
        req.path, status, end[0] - start[0], end[1] - start[1], end[2] - start[2], end[3] - start[3]))


def when_ready(server):
    # In the master once it listens: the interpreter and Gunicorn that really serve the app
    # (`--gunicorn PATH` may be a virtualenv's), for the profile's provenance.
    if not _log_dir:
        return
    import sys
    import gunicorn
    with open(os.path.join(_log_dir, "runtime.tsv"), "w") as f:
        f.write("%s\t%s\t%s\n" % (sys.executable, sys.version.split()[0], gunicorn.__version__))
