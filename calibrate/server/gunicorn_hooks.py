"""Gunicorn config for the harness (not the app: the app stays the article's).

post_worker_init runs after load_wsgi() and just before the worker's accept loop
(gunicorn/workers/base.py init_process), so counting its log lines tells the harness when
every worker is ready to accept: that is the boot time it reports.

post_fork asks the kernel to SIGKILL the worker when the master dies: if workersim itself is
SIGKILLed, the master dies with it (its own parent-death signal), and a sync worker would
otherwise only notice its new parent on its next pass through the accept loop, up to
--timeout / 2 later (gunicorn/workers/sync.py run_for_one).
"""
import ctypes
import signal

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def post_fork(server, worker):
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def post_worker_init(worker):
    worker.log.info("Worker ready: pid %s", worker.pid)
