"""The bench scenarios as WSGI apps, for the Gunicorn anchors (`gunicorn wsgi_apps:hello`).

Each app answers exactly what its twin in ../../scenarios/*.mjs answers: same status, same
content-type, same body bytes (the harness checks this before measuring). `io` sleeps with
time.sleep, which gevent's monkey patching makes cooperative, as Gunicorn's docs intend.
"""
import hashlib
import json as jsonlib
import time

OK = "200 OK"
TEXT = "text/plain"


def _respond(start_response, content_type, body):
    start_response(OK, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


HELLO_BODY = b"Hello, World!"


def hello(environ, start_response):
    return _respond(start_response, TEXT, HELLO_BODY)


def _build_document():
    items = [
        {
            "id": i,
            "name": "item-%d" % i,
            "sku": "NW-%d" % (1000 + i),
            "priceCents": 100 * i + 99,
            "inStock": i % 3 != 0,
            "tags": ["narwhal", "bench"],
        }
        for i in range(1, 11)
    ]
    return {"service": "narwhal-bench", "page": 1, "count": len(items), "items": items}


def json(environ, start_response):
    body = jsonlib.dumps(_build_document(), separators=(",", ":")).encode()
    return _respond(start_response, "application/json", body)


CPU_ITERATIONS = 24000


def cpu(environ, start_response):
    key = hashlib.pbkdf2_hmac("sha256", b"narwhal", b"bench", CPU_ITERATIONS, 32)
    return _respond(start_response, TEXT, key.hex().encode())


IO_BODY = b"waited 20 ms"


def io(environ, start_response):
    time.sleep(0.02)
    return _respond(start_response, TEXT, IO_BODY)


DOWNLOAD_BODY = b"narwhal " * (1024 * 1024 // 8)


def download(environ, start_response):
    return _respond(start_response, "application/octet-stream", DOWNLOAD_BODY)


def upload(environ, start_response):
    stream = environ["wsgi.input"]
    length = 0
    while True:
        chunk = stream.read(65536)
        if not chunk:
            break
        length += len(chunk)
    return _respond(start_response, TEXT, str(length).encode())
