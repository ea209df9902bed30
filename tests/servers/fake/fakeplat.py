#!/usr/bin/env python3
"""fakeplat.py - a fake Mastodon, Reddit, Hacker News (Algolia) and Bluesky
for cm's tests: their endpoints from a generated corpus, with faults to
inject on demand.  Python's standard library only.  See README.md."""

import argparse
import gzip
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import bluesky as bsky
import corpus
import posts

# Reentrant: send() notes in the log what it sent, and handlers call it
# with the lock held.
LOCK = threading.RLock()


class State:
    """Everything the handlers share: the corpus, the faults waiting for
    their requests, the request log, the budgets.  Guarded by LOCK."""

    def __init__(self, args):
        self.args = args
        self.corpus = corpus.Corpus(seed=args.seed, mastodon=args.mastodon,
                                    reddit=args.reddit, hn=args.hn,
                                    bluesky=args.bluesky)
        self.bsky = bsky.Bluesky(args.seed, args.bluesky)
        self.faults = []        # dicts: path, kind, count (-1: always)
        self.log = []
        self.budgets = {}       # platform -> dict(limit, window, used, start)
        self.default_limit = {'mastodon': 3000, 'reddit': 1000,
                              'bluesky': 3000}
        self.windows = {}       # platform -> [start, used] for the default
        self.overspent = 0
        self.masto_token = args.mastodon_token
        # --page-cache: Mastodon notification pages as sent (gzipped or
        # not), by host, path and query; emptied when the corpus changes.
        self.page_cache = {} if args.page_cache else None
        self.reddit_tokens = set()     # access tokens handed out
        self.reddit_refresh = {}       # refresh token -> user
        self.bsky_access = set()
        self.bsky_refresh = set()
        self.token_seq = 0
        self.ports = [0, 0]
        self.scheme = 'https' if args.cert else 'http'
        self.quirks = {}        # name -> value, from /_admin/quirks
        self.posts = posts.Posts()     # the replies made (posts.py)
        self.vis_set = []       # statuses /_admin/visibility changed

    def fault_for(self, path, method='GET'):
        """The first fault waiting for path (a prefix match) and method
        (when the fault names one: "method": "POST"), used up; one with
        "skip": N lets N requests pass first."""
        for f in self.faults:
            if f['kind'] == 'delay' or not path.startswith(f['path']) or \
                    f['count'] == 0 or \
                    f.get('method', method).upper() != method:
                continue
            if f.get('skip', 0) > 0:
                f['skip'] -= 1
                continue
            if f['count'] > 0:
                f['count'] -= 1
            return dict(f)
        return None

    def delay_for(self, path):
        """Per-request delay (seconds) of the 'delay' faults."""
        d = 0.0
        for f in self.faults:
            if f['kind'] == 'delay' and path.startswith(f['path']):
                d += f.get('ms', 0) / 1000.0
        return d


def gzip_accepted(value):
    """Whether an Accept-Encoding header value allows gzip (by name or
    by *, and not with q=0)."""
    for part in (value or '').split(','):
        fields = [f.strip() for f in part.split(';')]
        if fields[0].lower() not in ('gzip', 'x-gzip', '*'):
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith('q='):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            return True
    return False


def iso(t):
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + \
        '.%03dZ' % int((t - int(t)) * 1000)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'fakeplat/1'
    # An answer goes out as two writes (headers, then body): with Nagle
    # on, the body waits for the client's delayed ACK of the headers,
    # 40 ms on Linux for every request on a kept-alive connection after
    # the first few.  Real servers set TCP_NODELAY; so do we.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *a):
        if self.server.state.args.verbose:
            sys.stderr.write('fakeplat: ' + fmt % a + '\n')

    # --- plumbing -------------------------------------------------------

    def body_in(self):
        """The request's body, read once (handle_any reads it before a
        fault answers, so that a kept-alive connection's next request
        does not start inside it)."""
        if getattr(self, 'req_body', None) is None:
            n = int(self.headers.get('Content-Length') or 0)
            self.req_body = self.rfile.read(n) if n > 0 else b''
        return self.req_body

    def send(self, status, body, ctype='application/json; charset=utf-8',
             headers=None, raw=False):
        """Sends a whole answer; body is bytes, str, or a value for
        JSON.  Gzip when the client accepts it and it is worth it."""
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False)
        if isinstance(body, str):
            body = body.encode('utf-8')
        hdrs = list(headers or [])
        fault = getattr(self, 'fault', None)
        if (not raw and len(body) > 1024 and self.may_gzip()):
            body = gzip.compress(body, mtime=0)
            hdrs.append(('Content-Encoding', 'gzip'))
        if any(k == 'Content-Encoding' for k, _ in hdrs):
            self.logged('gzipped', True)
        self.send_response(status)
        self.send_header('Content-Type', ctype)
        for k, v in hdrs:
            self.send_header(k, v)
        for k, v in getattr(self, 'extra_headers', []):
            self.send_header(k, v)
        if fault and fault['kind'] == 'lost':
            # the request was carried out; its answer never comes
            self.reset()
            return
        if fault and fault['kind'] == 'late':
            # the request was carried out; its answer comes late
            time.sleep(float(fault.get('ms', 1000)) / 1000)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if fault and fault['kind'] == 'truncate':
            self.wfile.write(body[:max(1, len(body) // 2)])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def may_gzip(self):
        """The answer may go gzipped: the client accepts it, and the
        quirk no_gzip (a server that never compresses) is off."""
        return gzip_accepted(self.headers.get('Accept-Encoding')) and \
            not st_quirk(self, 'no_gzip')

    def logged(self, key, value):
        """Adds key to this request's entry in the log."""
        e = getattr(self, 'log_entry', None)
        if e is not None:
            with LOCK:
                e[key] = value

    def huge(self, f):
        """A 200 JSON answer of f["bytes"] bytes (a list padded with
        spaces), written as it is made, never whole in memory; gzipped
        (then small on the wire) with "gzip": true and a client that
        accepts it."""
        n = max(2, int(f.get('bytes', (16 << 20) + 1024)))
        chunk = b' ' * 65536

        def pieces():
            left = n - 2
            yield b'['
            while left > 0:
                k = min(left, len(chunk))
                yield chunk[:k]
                left -= k
            yield b']'
        hdrs = []
        if f.get('gzip') and self.may_gzip():
            z = zlib.compressobj(6, zlib.DEFLATED, 31)
            body = b''.join(z.compress(p) for p in pieces()) + z.flush()
            hdrs.append(('Content-Encoding', 'gzip'))
            self.logged('gzipped', True)
            parts, length = [body], len(body)
        else:
            parts, length = pieces(), n
        self.send_response(200)
        self.send_header('Content-Type', 'application/json; charset=utf-8')
        for k, v in hdrs + getattr(self, 'extra_headers', []):
            self.send_header(k, v)
        self.send_header('Content-Length', str(length))
        self.end_headers()
        try:
            for p in parts:
                self.wfile.write(p)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass    # the client stopped reading at its cap, as it should
        self.close_connection = True

    def reset(self):
        """Closes the connection with a TCP reset (RST), nothing sent."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack('ii', 1, 0))
        self.connection.close()
        self.close_connection = True

    def record(self, path, query):
        with LOCK:
            st = self.server.state
            self.log_entry = {
                'n': len(st.log) + 1,
                'time': time.time(),
                'port': 'other' if self.server.other else 'main',
                'method': self.command,
                'path': path,
                'query': query,
                'auth': 'Authorization' in self.headers,
                'user_agent': self.headers.get('User-Agent', ''),
                'gzip': gzip_accepted(self.headers.get('Accept-Encoding')),
                'gzipped': False,
            }
            for h, k in (('Idempotency-Key', 'idempotency_key'),
                         ('Content-Type', 'content_type')):
                if self.headers.get(h) is not None:
                    self.log_entry[k] = self.headers.get(h)
            st.log.append(self.log_entry)

    # --- dispatch -------------------------------------------------------

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def handle_any(self):
        u = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(u.path)
        query = u.query
        self.extra_headers = []
        self.fault = None
        self.log_entry = None
        self.req_body = None
        self.body_in()
        if path.startswith('/_admin/'):
            return self.admin(path, query)
        self.record(path, query)
        st = self.server.state
        with LOCK:
            delay = st.delay_for(path)
            fault = None if self.server.other else st.fault_for(
                path, self.command)
        if delay:
            time.sleep(delay)
        if fault and fault['kind'] == 'delay':
            fault = None
        self.fault = fault
        if fault:
            done = self.apply_fault(fault, path, query)
            if done:
                return
        q = urllib.parse.parse_qs(query, keep_blank_values=True)
        platform = path.split('/')[1] if path.count('/') >= 1 else ''
        if platform in ('mastodon', 'reddit', 'bluesky'):
            if not self.budget(platform, path):
                return
        try:
            if platform == 'mastodon':
                return self.mastodon(path[len('/mastodon'):], q)
            if platform == 'reddit':
                return self.reddit(path[len('/reddit'):], q)
            if platform == 'hn':
                return self.hn(path[len('/hn'):], q)
            if platform == 'bluesky':
                return self.bluesky(path[len('/bluesky'):], q)
        except BrokenPipeError:
            self.close_connection = True
            return
        self.send(404, {'error': 'Not found: ' + path})

    def apply_fault(self, f, path, query):
        """Answers with the fault: True when that was the answer, False
        when the request goes on (a fault that only changes the body)."""
        k = f['kind']
        if k == 'status':
            code = int(f.get('status', 500))
            hdrs = []
            if 'retry_after' in f:
                hdrs.append(('Retry-After', str(f['retry_after'])))
            self.send(code, {'error': 'injected %d' % code}, headers=hdrs)
            return True
        if k == 'html':
            code = int(f.get('status', 502))
            self.send(code, '<html><head><title>%d Bad Gateway</title>'
                      '</head><body><center><h1>%d Bad Gateway</h1>'
                      '</center><hr><center>nginx</center></body></html>\n'
                      % (code, code), ctype='text/html')
            return True
        if k == 'html200':
            self.send(200, '<!DOCTYPE html><html><body><p>We are down '
                      'for maintenance.</p></body></html>\n',
                      ctype='text/html')
            return True
        if k == 'badjson':
            self.send(200, '{"id": "1", "oops": [1, 2,, }\n')
            return True
        if k == 'reset':
            self.reset()
            return True
        if k == 'stall':
            time.sleep(float(f.get('seconds', 30)))
            self.reset()
            return True
        if k == 'expired':
            plat = path.split('/')[1]
            if plat == 'bluesky':
                self.send(400, {'error': 'ExpiredToken',
                                'message': 'Token has expired'})
            elif plat == 'reddit':
                self.send(401, {'message': 'Unauthorized', 'error': 401},
                          headers=[('WWW-Authenticate',
                                    'Bearer realm="reddit", '
                                    'error="invalid_token"')])
            else:
                self.send(401, {'error': 'The access token is invalid'})
            return True
        if k == 'redirect':
            port = self.server.state.ports[1 if f.get('other', True) else 0]
            loc = '%s://127.0.0.1:%d%s' % (self.server.state.scheme, port,
                                           self.path)
            self.send(int(f.get('status', 302)), '',
                      ctype='text/plain', headers=[('Location', loc)])
            return True
        if k == 'truncate':
            return False    # send() cuts the body
        if k == 'lost':
            return False    # send() resets instead of answering
        if k == 'late':
            return False    # send() waits before it answers
        if k == 'ratelimit':
            return False    # Reddit's comment answers with RATELIMIT
        if k == 'huge':
            self.huge(f)
            return True
        self.send(500, {'error': 'unknown fault kind ' + k})
        return True

    def budget(self, platform, path):
        """Adds the platform's rate-limit headers; in budget mode answers
        429 (and returns False) when the client has spent the budget."""
        st = self.server.state
        now = time.time()
        with LOCK:
            b = st.budgets.get(platform)
            if b is None:
                w = st.windows.setdefault(platform, [now, 0])
                window = 300 if platform != 'reddit' else 600
                if now >= w[0] + window:
                    w[0], w[1] = now, 0
                w[1] += 1
                limit, used, reset_at = st.default_limit[platform], w[1], \
                    w[0] + window
                over = False
            else:
                if now >= b['start'] + b['window']:
                    b['start'] += b['window'] * \
                        int((now - b['start']) // b['window'])
                    b['used'] = 0
                b['used'] += 1
                limit, used, reset_at = b['limit'], b['used'], \
                    b['start'] + b['window']
                over = used > limit
                if over:
                    st.overspent += 1
                    st.log[-1]['overspent'] = True
        remaining = max(0, limit - used)
        if platform == 'mastodon':
            h = [('X-RateLimit-Limit', str(limit)),
                 ('X-RateLimit-Remaining', str(remaining)),
                 ('X-RateLimit-Reset', iso(reset_at))]
        elif platform == 'reddit':
            h = [('X-Ratelimit-Used', str(min(used, limit))),
                 ('X-Ratelimit-Remaining', '%.1f' % remaining),
                 ('X-Ratelimit-Reset', str(max(0, int(reset_at - now))))]
        else:
            h = [('RateLimit-Limit', str(limit)),
                 ('RateLimit-Remaining', str(remaining)),
                 ('RateLimit-Reset', str(int(reset_at))),
                 ('RateLimit-Policy', '%d;w=%d' % (limit, 300))]
        self.extra_headers = h
        if over:
            wait = max(1, int(reset_at - now + 0.999))
            self.send(429, {'error': 'Too many requests'},
                      headers=[('Retry-After', str(wait))])
            return False
        return True

    # --- admin ----------------------------------------------------------

    def admin(self, path, query):
        st = self.server.state
        body = self.body_in()
        try:
            arg = json.loads(body) if body else {}
        except ValueError:
            return self.send(400, {'error': 'not JSON'})
        q = dict(urllib.parse.parse_qsl(query))
        what = path[len('/_admin/'):]
        with LOCK:
            if what == 'fault' and self.command == 'POST':
                if 'kind' not in arg or 'path' not in arg:
                    return self.send(400, {'error': 'kind and path'})
                arg.setdefault('count', 1)
                st.faults.append(arg)
                return self.send(200, {'faults': len(st.faults)})
            if what == 'faults' and self.command == 'DELETE':
                st.faults = []
                return self.send(200, {})
            if what == 'log':
                if self.command == 'DELETE':
                    st.log = []
                    return self.send(200, {})
                return self.send(200, '\n'.join(json.dumps(e) for e in
                                 st.log) + ('\n' if st.log else ''),
                                 ctype='application/x-ndjson')
            if what == 'budget' and self.command == 'POST':
                plat = arg.get('platform', 'mastodon')
                if arg.get('limit') is None:
                    st.budgets.pop(plat, None)
                else:
                    # The window ends at .9 of a second: a client that
                    # drops the fraction of a reset asks too early.
                    w = float(arg.get('window', 60))
                    now = time.time()
                    st.budgets[plat] = {'limit': int(arg['limit']),
                                        'window': w, 'used': 0,
                                        'start': now - (now + w - 0.9) % 1}
                return self.send(200, {})
            if what == 'quirks' and self.command == 'POST':
                st.quirks.update(arg)
                st.corpus.pad = int(st.quirks.get('mastodon_pad') or 0)
                return self.send(200, st.quirks)
            if what == 'stats':
                counts = st.corpus.counts()
                counts.update(st.bsky.counts())
                return self.send(200, {'requests': len(st.log),
                                       'overspent': st.overspent,
                                       'counts': counts})
            if what == 'posts':
                made = st.posts.listing(q.get('platform'))
                return self.send(200, ''.join(json.dumps(
                    p, ensure_ascii=False) + '\n' for p in made),
                    ctype='application/x-ndjson')
            if what == 'visibility' and self.command == 'POST':
                s = st.corpus.masto_by_id.get(str(arg.get('id')))
                if s is None or arg.get('visibility') not in \
                        posts.VISIBILITIES:
                    return self.send(400, {'error': 'id and visibility'})
                s['visibility'] = arg['visibility']
                st.vis_set.append(s)
                return self.send(200, {})
            if what == 'reset' and self.command == 'POST':
                st.posts.reset(st.corpus)
                for s in st.vis_set:
                    s.pop('visibility', None)
                st.vis_set = []
                st.faults, st.log, st.budgets, st.overspent = [], [], {}, 0
                st.windows, st.quirks = {}, {}
                st.corpus.pad = 0
                return self.send(200, {})
            if what == 'add' and self.command == 'POST' and \
                    arg.get('platform') == 'bluesky':
                st.bsky.add(int(arg.get('n', 1)))
                return self.send(200, {'added': int(arg.get('n', 1))})
            if what == 'add' and self.command == 'POST':
                n = st.corpus.add(arg.get('platform', 'mastodon'),
                                  int(arg.get('n', 1)), arg.get('at'))
                if st.page_cache is not None:
                    st.page_cache.clear()
                return self.send(200, {'added': n})
            if what == 'generate' and self.command == 'POST':
                if st.page_cache is not None:
                    st.page_cache.clear()
                st.posts.forget()
                st.vis_set = []
                st.corpus = corpus.Corpus(
                    seed=int(arg.get('seed', st.args.seed)),
                    mastodon=int(arg.get('mastodon', st.args.mastodon)),
                    reddit=int(arg.get('reddit', st.args.reddit)),
                    hn=int(arg.get('hn', st.args.hn)),
                    bluesky=int(arg.get('bluesky', st.args.bluesky)))
                st.bsky = bsky.Bluesky(int(arg.get('seed', st.args.seed)),
                                       int(arg.get('bluesky',
                                                   st.args.bluesky)))
                return self.send(200, st.corpus.counts())
            if what == 'expect':
                base = 'http://127.0.0.1:%d' % st.ports[0]
                try:
                    recs = st.corpus.expect(q.get('platform', ''),
                                            q.get('feed', ''),
                                            q.get('arg'), base)
                except KeyError as e:
                    return self.send(404, {'error': str(e)})
                return self.send(200, '\n'.join(
                    json.dumps(r, ensure_ascii=False) for r in recs) +
                    ('\n' if recs else ''), ctype='application/x-ndjson')
        return self.send(404, {'error': 'no such admin call ' + path})

    # --- Mastodon -------------------------------------------------------

    def bearer(self):
        a = self.headers.get('Authorization') or ''
        return a[7:] if a.startswith('Bearer ') else None

    def masto_auth(self):
        if self.server.other:
            return True
        if self.bearer() != self.server.state.masto_token:
            self.send(401, {'error': 'The access token is invalid'})
            return False
        return True

    def link_header(self, path, q, items, key='id'):
        """Mastodon's Link: next (older, max_id) and prev (newer,
        min_id), as its servers write them."""
        if not items:
            return []
        base = '%s://%s/mastodon%s' % (self.server.state.scheme,
                                       self.headers.get('Host',
                                                        '127.0.0.1'), path)
        keep = [(k, v) for k, vs in q.items() if k not in
                ('max_id', 'min_id', 'since_id') for v in vs]
        last = items[-1][key]
        if st_quirk(self, 'mastodon_opaque_cursors'):
            # a server of Mastodon's API whose cursors are its own words,
            # not its ids (as a client must take them: from the header)
            last = 'c+%x' % int(last)
        nxt = urllib.parse.urlencode(keep + [('max_id', last)])
        prv = urllib.parse.urlencode(keep + [('min_id', items[0][key])])
        return [('Link', '<%s?%s>; rel="next", <%s?%s>; rel="prev"' %
                 (base, nxt, base, prv))]

    def mastodon(self, path, q):
        c = self.server.state.corpus
        host = self.headers.get('Host', '127.0.0.1')
        if not self.masto_auth():
            return
        limit = min(80 if path.startswith('/api/v1/accounts/') else 40,
                    int(q.get('limit', ['20'])[0] or 20))
        if path == '/api/v1/accounts/verify_credentials':
            return self.send(200, c.masto_account_json(c.brand_masto, host))
        if path == '/api/v1/statuses' and self.command == 'POST':
            with LOCK:
                code, body = posts.masto_post(
                    self.server.state.posts, c, self.body_in(),
                    self.headers.get('Content-Type'),
                    self.headers.get('Idempotency-Key'),
                    st_quirk(self, 'mastodon_ignore_idempotency'), host)
            return self.send(code, body)
        if path == '/api/v1/notifications':
            cache = self.server.state.page_cache
            enc = self.headers.get('Accept-Encoding') or ''
            key = (host, self.path, enc)
            with LOCK:
                hit = cache.get(key) if cache is not None else None
            if hit is not None:
                return self.send(200, hit[0], headers=hit[1], raw=True)
            if st_quirk(self, 'mastodon_opaque_cursors') and 'max_id' in q:
                mx = q['max_id'][0]
                if not mx.startswith('c+'):
                    return self.send(400, {'error': 'unknown cursor'})
                q = dict(q, max_id=[str(int(mx[2:], 16))])
            with LOCK:
                # a server that ignores types[] (older Mastodon, some
                # servers of its API) sends every kind
                types = [] if st_quirk(self, 'mastodon_ignore_types') else \
                    q.get('types[]', [])
                items = c.masto_notifications(
                    types, q.get('exclude_types[]', []))
                page = corpus.page_by_id(items, q, limit)
                body = c.masto_dump([c.masto_note(n, host) for n in page])
            hdrs = self.link_header(path, q, page)
            if cache is None:
                return self.send(200, body, headers=hdrs)
            # compressed once here as send() would, then sent raw
            body = body.encode('utf-8')
            if len(body) > 1024 and self.may_gzip():
                body = gzip.compress(body, mtime=0)
                hdrs.append(('Content-Encoding', 'gzip'))
            with LOCK:
                cache[key] = (body, hdrs)
            return self.send(200, body, headers=hdrs, raw=True)
        if path == '/api/v2/search':
            with LOCK:
                items = c.masto_search(q.get('q', [''])[0])
                if q.get('type', ['statuses'])[0] != 'statuses':
                    items = []
                page = corpus.page_by_id(items, q, limit)
                if 'offset' in q:
                    off = int(q['offset'][0])
                    page = corpus.page_by_id(items, {}, off + limit)[off:]
                body = '{"accounts":[],"statuses":%s,"hashtags":[]}' % \
                    c.masto_dump([c.masto_status(s, host) for s in page])
            return self.send(200, body)
        if path.startswith('/api/v1/timelines/tag/'):
            tag = path[len('/api/v1/timelines/tag/'):]
            with LOCK:
                items = c.masto_tag(tag)
                page = corpus.page_by_id(items, q, limit)
                body = c.masto_dump([c.masto_status(s, host) for s in page])
            return self.send(200, body, headers=self.link_header(path, q,
                                                                 page))
        parts = path.split('/')
        # /api/v1/statuses/ID[/context]
        if len(parts) >= 5 and parts[1:4] == ['api', 'v1', 'statuses']:
            with LOCK:
                s = c.masto_by_id.get(parts[4])
                if s is None:
                    return self.send(404, {'error': 'Record not found'})
                if len(parts) == 5:
                    return self.send(200, c.masto_dump(
                        c.masto_status(s, host)))
                if len(parts) == 6 and parts[5] == 'context':
                    anc, desc = c.masto_context(s)
                    return self.send(200, '{"ancestors":%s,"descendants":'
                                     '%s}' % (c.masto_dump([
                                         c.masto_status(x, host) for x in
                                         anc]), c.masto_dump([
                                             c.masto_status(x, host) for x
                                             in desc])))
        # /api/v1/accounts/ID/statuses
        if len(parts) == 6 and parts[1:4] == ['api', 'v1', 'accounts'] and \
                parts[5] == 'statuses':
            with LOCK:
                items = c.masto_account_statuses(
                    parts[4], q.get('exclude_reblogs', ['false'])[0] ==
                    'true', q.get('exclude_replies', ['false'])[0] ==
                    'true')
                if items is None:
                    return self.send(404, {'error': 'Record not found'})
                page = corpus.page_by_id(items, q, limit)
                body = c.masto_dump([c.masto_status(s, host) for s in page])
            return self.send(200, body, headers=self.link_header(path, q,
                                                                 page))
        return self.send(404, {'error': 'Record not found'})

    # --- Reddit ---------------------------------------------------------

    REDDIT_CLIENT = ('fake-client-id', 'fake-client-secret')
    REDDIT_USER = ('acme_support', 'fake-reddit-pass-5')
    REDDIT_REFRESH = 'fake-refresh-token-8'

    def reddit(self, path, q):
        st = self.server.state
        c = st.corpus
        if path == '/api/v1/access_token':
            return self.reddit_token()
        if path.endswith('.json'):
            path = path[:-5]
        public = 'Authorization' not in self.headers
        if not public and not self.server.other:
            a = self.headers['Authorization']
            with LOCK:
                good = a.startswith('bearer ') or a.startswith('Bearer ')
                good = good and a[7:] in st.reddit_tokens
            if not good:
                return self.send(401, {'message': 'Unauthorized',
                                       'error': 401})
        raw = q.get('raw_json', ['0'])[0] == '1'
        limit = max(1, min(100, int(q.get('limit', ['25'])[0] or 25)))
        after = q.get('after', [None])[0]
        parts = path.split('/')
        if path == '/api/comment' or path.startswith('/api/v1/me') or \
                path == '/api/info':
            if public:
                return self.send(401, {'message': 'Unauthorized',
                                       'error': 401})
            with LOCK:
                if path == '/api/comment':
                    if self.command != 'POST':
                        return self.send(405, {'message': 'Method Not '
                                               'Allowed', 'error': 405})
                    f = self.fault if self.fault and \
                        self.fault['kind'] == 'ratelimit' else None
                    code, body = posts.reddit_comment(
                        st.posts, c, self.body_in(),
                        self.headers.get('Content-Type'), f)
                    return self.send(code, body)
                if path == '/api/info':
                    x = c.rd_by_name.get(q.get('id', [''])[0])
                    items = [(x, None)] if x is not None else []
                    return self.send(200, c.rd_listing(items, None, 100,
                                                       raw))
                return self.send(200, {'name': corpus.REDDIT_BRAND,
                                       'id': c.rd_user_id(
                                           corpus.REDDIT_BRAND)[3:]})
        with LOCK:
            if path.startswith('/message/'):
                if public:
                    return self.send(403, {'message': 'Forbidden',
                                           'error': 403})
                feed = parts[2]
                if feed not in ('mentions', 'comments', 'selfreply'):
                    return self.send(404, {'message': 'Not Found',
                                           'error': 404})
                items = c.rd_list(feed)
                return self.send(200, c.rd_listing(items, after, limit, raw))
            if len(parts) == 4 and parts[1] == 'r' and parts[3] in (
                    'new', 'comments'):
                items = c.rd_list('new' if parts[3] == 'new' else
                                  'subcomments', parts[2])
                return self.send(200, c.rd_listing(items, after, limit, raw))
            if path == '/search':
                items = c.rd_list('search', q.get('q', [''])[0])
                return self.send(200, c.rd_listing(items, after, limit, raw))
            if len(parts) == 4 and parts[1] == 'user' and \
                    parts[3] == 'overview':
                items = c.rd_list('own', parts[2])
                return self.send(200, c.rd_listing(items, after, limit, raw))
            if len(parts) >= 3 and parts[1] == 'comments':
                t = c.rd_thread(parts[2], raw, q.get('comment', [None])[0],
                                q.get('sort', [''])[0] == 'new')
                if t is None:
                    return self.send(404, {'message': 'Not Found',
                                           'error': 404})
                return self.send(200, t)
        self.send(404, {'message': 'Not Found', 'error': 404})

    def reddit_token(self):
        """Script-app OAuth: the app in Basic auth, a password or a
        refresh_token grant in the form."""
        import base64
        st = self.server.state
        form = urllib.parse.parse_qs(self.body_in().decode(),
                                     keep_blank_values=True)
        a = self.headers.get('Authorization') or ''
        try:
            app = tuple(base64.b64decode(a[6:]).decode().split(':', 1)) \
                if a.startswith('Basic ') else None
        except ValueError:
            app = None
        if self.command != 'POST' or app != self.REDDIT_CLIENT:
            return self.send(401, {'message': 'Unauthorized', 'error': 401})
        g = form.get('grant_type', [''])[0]
        ok = (g == 'password' and
              (form.get('username', [''])[0],
               form.get('password', [''])[0]) == self.REDDIT_USER) or \
            (g == 'refresh_token' and
             form.get('refresh_token', [''])[0] == self.REDDIT_REFRESH)
        if not ok:
            return self.send(200, {'error': 'invalid_grant'})
        with LOCK:
            st.token_seq += 1
            tok = 'reddit-access-%d' % st.token_seq
            st.reddit_tokens.add(tok)
        self.send(200, {'access_token': tok, 'token_type': 'bearer',
                        'expires_in': 86400, 'scope': '*'})

    # --- Hacker News (Algolia) ------------------------------------------

    def hn(self, path, q):
        c = self.server.state.corpus
        if path == '/api/v1/search_by_date' or path == '/api/v1/search':
            query = q.get('query', [''])[0]
            tags = q.get('tags', [''])[0]
            numeric = [f for v in q.get('numericFilters', []) for f in
                       v.split(',') if f]
            per = max(1, min(1000, int(q.get('hitsPerPage', ['20'])[0])))
            page = int(q.get('page', ['0'])[0] or 0)
            with LOCK:
                items = c.hn_search(query, tags, numeric)
                hits = [c.hn_hit(x) for x in
                        items[page * per:(page + 1) * per]]
            return self.send(200, {
                'hits': hits, 'nbHits': len(items), 'page': page,
                'nbPages': (len(items) + per - 1) // per,
                'hitsPerPage': per, 'exhaustiveNbHits': True,
                'query': query, 'params': urllib.parse.urlencode(
                    [(k, v) for k, vs in q.items() for v in vs]),
                'processingTimeMS': 1})
        if path.startswith('/api/v1/items/'):
            try:
                iid = int(path[len('/api/v1/items/'):])
            except ValueError:
                iid = -1
            with LOCK:
                x = c.hn_by_id.get(iid)
                if x is None:
                    return self.send(404, {'status': 404,
                                           'error': 'Not Found'})
                return self.send(200, c.hn_item(x))
        self.send(404, {'message': 'Not Found', 'status': 404})

    def bluesky(self, path, q):
        """XRPC: com.atproto.server.createSession and refreshSession, and
        the AppView's reads (as the PDS proxies them) with the access
        token; errors as XRPC names them (400 ExpiredToken, not 401)."""
        st = self.server.state
        b = st.bsky
        if not path.startswith('/xrpc/'):
            return self.send(404, {'error': 'NotFound'})
        nsid = path[len('/xrpc/'):]
        tok = self.bearer()
        if nsid == 'com.atproto.server.createSession':
            try:
                arg = json.loads(self.body_in() or b'{}')
            except ValueError:
                return self.send(400, {'error': 'InvalidRequest',
                                       'message': 'not JSON'})
            if arg.get('identifier') not in (bsky.BRAND_HANDLE,
                                             bsky.BRAND_DID) or \
                    arg.get('password') != bsky.APP_PASSWORD:
                return self.send(401, {'error': 'AuthenticationRequired',
                                       'message': 'Invalid identifier or '
                                       'password'})
            return self.send(200, self.bsky_session())
        if nsid == 'com.atproto.server.refreshSession':
            with LOCK:
                good = tok in st.bsky_refresh
                if good:
                    st.bsky_refresh.discard(tok)
            if not good:
                return self.send(400, {'error': 'ExpiredToken',
                                       'message': 'Token has expired'})
            return self.send(200, self.bsky_session())
        if not self.server.other:
            with LOCK:
                good = tok in st.bsky_access
            if tok is None:
                return self.send(401, {'error': 'AuthMissing',
                                       'message': 'Authentication Required'})
            if not good:
                return self.send(400, {'error': 'InvalidToken',
                                       'message': 'Token could not be '
                                       'verified'})
        if nsid in BSKY_REPLY_CALLS:
            return self.bluesky_reply(nsid, q)
        limit = max(1, min(100, int(q.get('limit', ['50'])[0] or 50)))
        cursor = q.get('cursor', [None])[0]
        with LOCK:
            if nsid == 'app.bsky.notification.listNotifications':
                return self.send(200, b.notifications(cursor, limit))
            if nsid == 'app.bsky.feed.searchPosts':
                return self.send(200, b.search(q.get('q', [''])[0], cursor,
                                               limit))
            if nsid == 'app.bsky.feed.getAuthorFeed':
                return self.send(200, b.author_feed(
                    q.get('actor', [''])[0], cursor, limit))
            if nsid == 'app.bsky.feed.getPostThread':
                t = b.thread(q.get('uri', [''])[0],
                             int(q.get('depth', ['6'])[0]),
                             int(q.get('parentHeight', ['80'])[0]))
                if t is None:
                    return self.send(400, {'error': 'NotFound',
                                           'message': 'Post not found'})
                return self.send(200, t)
        self.send(501, {'error': 'MethodNotImplemented',
                        'message': 'Method Not Implemented'})

    def bluesky_reply(self, nsid, q):
        """What a reply takes: getPosts, resolveHandle, getRecord and
        createRecord (each post made listed by /_admin/posts, its key
        the record key, and taken out again by /_admin/reset)."""
        st = self.server.state
        b = st.bsky
        arg1 = lambda k: q.get(k, [''])[0]
        if nsid == 'com.atproto.repo.createRecord':
            raw = self.body_in()
            try:
                arg = json.loads(raw or b'{}')
            except ValueError:
                return self.send(400, {'error': 'InvalidRequest',
                                       'message': 'not JSON'})
            if self.command != 'POST' or not isinstance(arg, dict):
                return self.send(400, {'error': 'InvalidRequest',
                                       'message': 'a POST of an object'})
            with LOCK:
                now = time.time()
                status, out, p = b.create_record(arg, now)
                if p is not None:
                    rec = p['record']
                    st.posts.note(
                        'bluesky', (rec.get('reply') or {}).get(
                            'parent', {}).get('uri'), rec.get('text'),
                        p['uri'].rsplit('/', 1)[1], p['uri'],
                        raw.decode('utf-8', 'replace'),
                        self.headers.get('Content-Type'),
                        lambda c, b=b, p=p: b.remove(p))
            return self.send(status, out)
        with LOCK:
            if nsid == 'app.bsky.feed.getPosts':
                return self.send(200, b.get_posts(q.get('uris', [])))
            if nsid == 'com.atproto.identity.resolveHandle':
                did = b.resolve(arg1('handle'))
                if did is None:
                    return self.send(400, {'error': 'InvalidRequest',
                                           'message': 'Unable to resolve '
                                           'handle'})
                return self.send(200, {'did': did})
            if nsid == 'com.atproto.repo.getRecord':
                status, out = b.get_record(arg1('repo'), arg1('collection'),
                                           arg1('rkey'))
                return self.send(status, out)
        self.send(501, {'error': 'MethodNotImplemented'})

    def bsky_session(self):
        st = self.server.state
        with LOCK:
            st.token_seq += 1
            acc = 'bsky-access-%d' % st.token_seq
            ref = 'bsky-refresh-%d' % st.token_seq
            st.bsky_access.add(acc)
            st.bsky_refresh.add(ref)
        return {'accessJwt': acc, 'refreshJwt': ref,
                'handle': bsky.BRAND_HANDLE, 'did': bsky.BRAND_DID,
                'active': True}


BSKY_REPLY_CALLS = ('com.atproto.repo.createRecord', 'app.bsky.feed.getPosts',
                    'com.atproto.identity.resolveHandle',
                    'com.atproto.repo.getRecord')


def st_quirk(handler, name):
    return handler.server.state.quirks.get(name)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, state, other, tls=None):
        super().__init__(('127.0.0.1', 0), Handler)
        self.state = state
        self.other = other
        self.tls = tls

    def finish_request(self, request, client_address):
        # The TLS handshake in the request's own thread: a client that
        # refuses the certificate (or stalls) holds up no other.
        if self.tls is not None:
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError) as e:
                if self.state.args.verbose:
                    sys.stderr.write('fakeplat: TLS: %s\n' % e)
                return
        try:
            super().finish_request(request, client_address)
        finally:
            if self.tls is not None:
                request.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--port-file', required=True,
                    help='where to write "PORT OTHER_PORT" once listening')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--mastodon', type=int, default=300,
                    help='statuses in the Mastodon corpus')
    ap.add_argument('--reddit', type=int, default=300)
    ap.add_argument('--hn', type=int, default=300)
    ap.add_argument('--bluesky', type=int, default=200)
    ap.add_argument('--mastodon-token', default='fake-masto-token-9f2c',
                    help='the only bearer token Mastodon accepts')
    ap.add_argument('--page-cache', action='store_true',
                    help='for benchmarks: keep Mastodon notification '
                    'pages once made, so that the server spends next to '
                    'no time on a page asked for again')
    ap.add_argument('--cert', help='serve https with this certificate '
                    '(PEM), its key in --key')
    ap.add_argument('--key')
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args()
    tls = None
    if args.cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.cert, args.key)
    state = State(args)
    main_srv = Server(state, other=False, tls=tls)
    other_srv = Server(state, other=True, tls=tls)
    state.ports = [main_srv.server_address[1], other_srv.server_address[1]]
    threading.Thread(target=other_srv.serve_forever, daemon=True).start()
    # Written whole, then renamed: a reader never sees half a file.
    tmp = args.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write('%d %d\n' % tuple(state.ports))
    os.rename(tmp, args.port_file)
    try:
        main_srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
