"""An example Flask app for `workersim calibrate --app app:app --chdir calibrate/examples/flask_shop`:
four views, each the shape of a common kind of request.

  /orders   a read from PostgreSQL through one connection kept per worker (opened on the
            worker's first request, not per request: the common case), ~20 ms in the database
  /report   a large JSON response rendered in pure Python: CPU holding the GIL
  /partner  a call to a slow third-party HTTP API (calibrate/examples/slow_stub.py at
            PARTNER_URL): waiting, no CPU
  /digest   sha256 and zlib over a few MB: CPU in C code that releases the GIL
  POST /digest  the same path posted a JSON document (--url 'POST /digest' --body FILE
            --header 'Content-Type: application/json'): parsed, checked and hashed

The database comes from libpq's PG* environment variables; ORDERS_QUERY_S (default 0.02)
sets the query's time in the database.
"""
import hashlib
import json
import os
import urllib.request
import zlib

import psycopg2
from flask import Flask, Response, abort, request

app = Flask(__name__)

_connection = None  # one per worker process: opened lazily after the fork
_query_s = float(os.environ.get("ORDERS_QUERY_S", "0.02"))
_partner_url = os.environ.get("PARTNER_URL", "http://127.0.0.1:8089/")
_blob = os.urandom(1 << 20) * 4  # 4 MiB, made once at import


def connection():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect("")
        _connection.autocommit = True
    return _connection


@app.route("/orders")
def orders():
    with connection().cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s), count(*) FROM generate_series(1, 1000)", (_query_s,))
        _, count = cursor.fetchone()
    return {"orders": count}


@app.route("/report")
def report():
    rows = [{"id": i, "name": "item %d" % i, "price": i * 0.37, "tags": ["a", "b", str(i % 7)]}
            for i in range(6000)]
    return Response(json.dumps({"rows": rows}), mimetype="application/json")


@app.route("/partner")
def partner():
    with urllib.request.urlopen(_partner_url, timeout=10) as answer:
        return Response(answer.read(), mimetype="application/json")


@app.route("/digest")
def digest():
    digest = hashlib.sha256(_blob).hexdigest()
    compressed = len(zlib.compress(_blob[: 1 << 20], 6))
    return {"sha256": digest, "compressed": compressed}


@app.route("/digest", methods=["POST"])
def digest_upload():
    document = request.get_json()  # 400 (Flask 2.2; 415 from 2.3) without Content-Type: application/json
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        abort(400)
    return {"sha256": hashlib.sha256(request.get_data()).hexdigest(), "items": len(items)}
