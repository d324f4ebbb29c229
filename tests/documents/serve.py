"""A minimal WSGI server for the kill tests: prints its port, then serves until killed."""

from __future__ import annotations

import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.documents.server_settings")
sys.path.insert(0, os.getcwd())

import django

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402


class Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
