"""An example Django app for `workersim calibrate --app shop.wsgi:application --chdir
calibrate/examples/django_shop`: the Flask example's four kinds of request, the Django way.

  /orders   a read from PostgreSQL through Django's connection, kept per worker
            (CONN_MAX_AGE = None), ~20 ms in the database (ORDERS_QUERY_S)
  /report   a large table rendered by Django's template engine: pure-Python CPU
  /partner  a call to a slow third-party HTTP API (calibrate/examples/slow_stub.py at
            PARTNER_URL): waiting, no CPU
  /digest   sha256 and zlib over a few MB: CPU in C code that releases the GIL
"""
import hashlib
import os
import urllib.request
import zlib

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

_query_s = float(os.environ.get("ORDERS_QUERY_S", "0.02"))
_partner_url = os.environ.get("PARTNER_URL", "http://127.0.0.1:8089/")
_blob = os.urandom(1 << 20) * 4  # 4 MiB, made once at import


def orders(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s), count(*) FROM generate_series(1, 1000)", [_query_s])
        _, count = cursor.fetchone()
    return JsonResponse({"orders": count})


def report(request):
    rows = [{"id": i, "name": "item %d" % i, "price": i * 0.37, "tags": ["a", "b", str(i % 7)]}
            for i in range(2000)]
    return render(request, "report.html", {"rows": rows})


def partner(request):
    with urllib.request.urlopen(_partner_url, timeout=10) as answer:
        return HttpResponse(answer.read(), content_type="application/json")


def digest(request):
    digest = hashlib.sha256(_blob).hexdigest()
    compressed = len(zlib.compress(_blob[: 1 << 20], 6))
    return JsonResponse({"sha256": digest, "compressed": compressed})
