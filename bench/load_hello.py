"""A bare Flask app answering "hello": the yardstick of ``bench.load``.

Served by gunicorn with the project's own ``gunicorn.conf.py`` (same workers, threads, access
log), so the ratios page/hello and save/hello show what selfreg itself costs per request.
"""
from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
