#!/usr/bin/env python3
"""admin.py - a client of the fake server's admin API, for tests/lib.sh
(so the tests need no curl program):
    admin.py BASE METHOD CALL [JSON]    e.g. admin.py $FAKE POST fault '{...}'
    admin.py BASE GET expect platform=mastodon feed=mentions
Prints the answer's body; exits 1 on an HTTP error.  An https BASE (the
server's --cert) is verified with the CA file FAKE_CACERT names; no
proxy of the environment is used: the server is on this machine."""
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

base, method, call = sys.argv[1:4]
rest = sys.argv[4:]
url = base + '/_admin/' + call
data = None
if method == 'GET' and rest:
    url += '?' + urllib.parse.urlencode([tuple(a.split('=', 1)) for a in rest])
elif rest:
    data = rest[0].encode()
req = urllib.request.Request(url, data=data, method=method,
                             headers={'Content-Type': 'application/json'})
handlers = [urllib.request.ProxyHandler({})]
if base.startswith('https:'):
    handlers.append(urllib.request.HTTPSHandler(
        context=ssl.create_default_context(
            cafile=os.environ.get('FAKE_CACERT'))))
try:
    with urllib.request.build_opener(*handlers).open(req, timeout=60) as r:
        sys.stdout.buffer.write(r.read())
except urllib.error.HTTPError as e:
    sys.stderr.write('%s: %d %s\n' % (url, e.code, e.read().decode()))
    sys.exit(1)
