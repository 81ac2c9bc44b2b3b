"""Gunicorn config for the harness: one log line per worker once its app is loaded.

post_worker_init runs after load_wsgi() and just before the worker's accept loop
(gunicorn/workers/base.py init_process), so counting these lines tells the harness when
every worker is ready to accept: that is the boot time it reports.
"""


def post_worker_init(worker):
    worker.log.info("Worker ready: pid %s", worker.pid)
