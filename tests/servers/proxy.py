#!/usr/bin/env python3
"""proxy.py - a forward HTTP proxy for cm's tests, in Python's standard
library: it takes plain-http requests in absolute form (GET
http://HOST:PORT/PATH), logs each (one JSON object a line to --log:
method, target as the request line had it, and whether Authorization and
Proxy-Authorization headers came, never their values) and forwards it to
HOST:PORT, the answer passed back as it came (gzip and all).
    python3 proxy.py --port-file FILE --log FILE
Once it listens (127.0.0.1 only) it writes its port to FILE, whole."""

import argparse
import http.client
import json
import os
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
# hop-by-hop headers (RFC 9110, 7.6.1): not forwarded either way
HOP = {'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization',
       'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade'}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True

    def log_message(self, fmt, *a):
        pass

    def relay(self):
        with LOCK, open(self.server.log, 'a') as f:
            f.write(json.dumps({
                'method': self.command, 'target': self.path,
                'auth': 'Authorization' in self.headers,
                'proxy_auth': 'Proxy-Authorization' in self.headers}) + '\n')
        u = urllib.parse.urlsplit(self.path)
        if u.scheme != 'http' or not u.hostname:
            body = b'absolute-form http:// requests only\n'
            self.send_response(400)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        n = int(self.headers.get('Content-Length') or 0)
        data = self.rfile.read(n) if n > 0 else None
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower() not in HOP}
        origin = http.client.HTTPConnection(u.hostname, u.port or 80,
                                            timeout=60)
        try:
            origin.request(self.command, (u.path or '/') +
                           ('?' + u.query if u.query else ''), body=data,
                           headers=hdrs)
            r = origin.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException):
            # the origin reset or broke off: so does the proxy
            self.close_connection = True
            return
        finally:
            origin.close()
        self.send_response(r.status, r.reason)
        for k, v in r.getheaders():
            if k.lower() not in HOP and k.lower() != 'content-length':
                self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = relay


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--port-file', required=True)
    ap.add_argument('--log', required=True)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(('127.0.0.1', 0), Proxy)
    srv.daemon_threads = True
    srv.log = args.log
    open(args.log, 'a').close()
    tmp = args.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write('%d\n' % srv.server_address[1])
    os.rename(tmp, args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
