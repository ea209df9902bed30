#!/usr/bin/env python3
"""replay.py - a loopback HTTP server that answers with responses recorded
from real platform servers (VCR.py and R vcr YAML cassettes, Betamax JSON
cassettes, or a bare JSON body for one route), read where they lie at run
time: nothing of them is copied.

usage: replay.py --port-file FILE --log FILE [--alias OURS=RECORDED]...
                 [--route METHOD PATH FILE]... CASSETTE...

A request is answered by the recorded interaction of the same method and
path (trailing '/' ignored) whose query agrees with it: the parameters
both name must be equal, and the cursors (max_id, after, cursor, ...) are
either in both or in neither.  The best match (most parameters agreeing)
wins; the first recorded one of those.  A created Mastodon status
(POST /api/v1/statuses) also answers GET /api/v1/statuses/ID: the server
returns the same entity for both.  Anything else is a 404, said in the log
("MISS"), so a caller can tell a request nobody recorded from a replay.
"""
import argparse
import base64
import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml

CURSORS = {"max_id", "min_id", "since_id", "after", "before", "cursor",
           "numericFilters"}
# Parameters that choose what a list holds; the others (limit, raw_json,
# sort, depth, ...) only shape it and may differ between clients.
COMPARED = CURSORS | {"q", "type", "types[]", "uri", "actor", "handle",
                      "query", "tags"}
# Not passed on: the body is sent decoded and whole.
DROPPED = {"content-length", "transfer-encoding", "content-encoding",
           "connection", "keep-alive"}


def norm_path(path):
    path = path.rstrip("/")
    return path or "/"


def split(uri):
    u = urllib.parse.urlsplit(uri)
    q = urllib.parse.parse_qs(u.query, keep_blank_values=True)
    return norm_path(urllib.parse.unquote(u.path)), {
        k: v for k, v in q.items() if k in COMPARED}


def status_of(resp):
    st = resp.get("status")
    if isinstance(st, dict):
        st = st.get("code", st.get("status_code"))
    return int(st)


def headers_of(resp):
    out = []
    for name, val in (resp.get("headers") or {}).items():
        vals = val if isinstance(val, list) else [val]
        for v in vals:
            if name.lower() not in DROPPED:
                out.append((name, str(v)))
    return out


def body_of(resp):
    b = resp.get("body")
    if isinstance(b, dict):
        if b.get("base64_string"):
            return base64.b64decode(b["base64_string"])
        b = b.get("string")
    if b is None:
        return b""
    return b.encode("utf-8") if isinstance(b, str) else bytes(b)


def load(path):
    """The interactions of a cassette: (method, uri, status, headers, body)."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f) if path.endswith(".json") else yaml.safe_load(f)
    its = doc.get("interactions") or doc.get("http_interactions") or []
    for it in its:
        req, resp = it["request"], it["response"]
        yield (req["method"].upper(), req["uri"], status_of(resp),
               headers_of(resp), body_of(resp))


class Replay:
    def __init__(self, aliases):
        self.entries = []
        self.aliases = aliases
        self.lock = threading.Lock()

    def add(self, method, uri, status, headers, body):
        path, query = split(uri)
        self.entries.append((method, path, query, status, headers, body))
        if (method == "POST" and path == "/api/v1/statuses" and
                status == 200):
            try:
                sid = json.loads(body)["id"]
            except (ValueError, KeyError, TypeError):
                return
            self.entries.append(("GET", "/api/v1/statuses/" + str(sid), {},
                                 status, headers, body))

    def find(self, method, uri):
        path, query = split(uri)
        path = self.aliases.get(path, path)
        best, score = None, -1
        for e in self.entries:
            m, p, q = e[0], e[1], e[2]
            if m != method or p != path:
                continue
            if any(k in q and q[k] != v for k, v in query.items()):
                continue
            if any((k in q) != (k in query) for k in CURSORS):
                continue
            s = sum(1 for k in query if k in q)
            if s > score:
                best, score = e, s
        return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--alias", action="append", default=[])
    ap.add_argument("--route", nargs=3, action="append", default=[],
                    metavar=("METHOD", "PATH", "FILE"))
    ap.add_argument("cassettes", nargs="*")
    a = ap.parse_args()
    aliases = dict(x.split("=", 1) for x in a.alias)
    rp = Replay(aliases)
    for c in a.cassettes:
        for e in load(c):
            rp.add(*e)
    for method, path, file in a.route:
        with open(file, "rb") as f:
            rp.add(method.upper(), path, 200,
                   [("Content-Type", "application/json")], f.read())
    log = open(a.log, "a", buffering=1, encoding="utf-8")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self):
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)
            e = rp.find(self.command, self.path)
            if e is None:
                log.write("MISS %s %s\n" % (self.command, self.path))
                status, headers = 404, [("Content-Type",
                                         "application/json")]
                body = b'{"error":"not recorded"}'
            else:
                log.write("HIT %s %s\n" % (self.command, self.path))
                status, headers, body = e[3], e[4], e[5]
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = answer

        def log_message(self, fmt, *args):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(a.port_file + ".tmp", a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
