"""bluesky.py - the fake Bluesky of fakeplat.py: a PDS and AppView's XRPC
shapes (sessions, notifications, search, threads, an author's feed) from
a corpus made from a seed.  Only the shapes: the records cm-fetch makes
of a real network are checked against the reference servers."""

import hashlib
import json
import random
import re

from corpus import T0, iso_ms

BRAND_DID = 'did:plc:acmebrand2345abcdefghij'
BRAND_HANDLE = 'acme.test'
APP_PASSWORD = 'fake-app-pass-1234'
B32 = 'abcdefghijklmnopqrstuvwxyz234567'
WORDS = ['my order is late', 'love the new widget', 'is the app down?',
         'charged twice, help', 'thanks for the quick fix',
         'how do I export my data?']


def rkey(n):
    s = ''
    for _ in range(13):
        n, d = divmod(n, 32)
        s = B32[d] + s
    return s


def cid(s):
    return 'bafyrei' + hashlib.sha256(s.encode()).hexdigest()[:52]


class Bluesky:
    def __init__(self, seed, n):
        self.rng = random.Random(seed * 31 + 3)
        self.brand = {'did': BRAND_DID, 'handle': BRAND_HANDLE,
                      'displayName': 'Acme'}
        self.users = [{'did': 'did:plc:user%019d' % k,
                       'handle': 'user%d.test' % k,
                       'displayName': ['Jane', 'Zoë 🌻', '', 'Ravi'][k % 4]}
                      for k in range(25)]
        self.posts = []         # oldest first
        self.by_uri = {}
        self.notes = []         # oldest first
        for i in range(n):
            self.new_post(i)

    def new_post(self, i, force=False):
        r = self.rng
        t = T0 + 10800 + i * 83 + r.randrange(1000) / 1000.0
        brand = i % 9 == 0 and not force
        author = self.brand if brand else r.choice(self.users)
        parent = None
        if self.posts and (i % 4 == 1 or force):
            parent = r.choice(self.posts[-10:])
        text, facets = '', []

        def add(s, feature=None):
            nonlocal text
            start = len(text.encode())
            text += s
            if feature:
                facets.append({'index': {'byteStart': start,
                                         'byteEnd': len(text.encode())},
                               'features': [feature]})
        add(r.choice(['Hi ', 'Hey ', 'Ugh, ', 'Olá ']))
        mentions = not brand and (force or i % 3 != 2)
        if mentions:
            add('@' + BRAND_HANDLE, {'$type': 'app.bsky.richtext.facet#'
                                     'mention', 'did': BRAND_DID})
            add(' ')
        add(r.choice(WORDS))
        if i % 2 == 0:
            add(' ')
            add('#Widgets', {'$type': 'app.bsky.richtext.facet#tag',
                             'tag': 'Widgets'})
        if i % 5 == 0:
            url = 'https://example.com/orders/%d/status' % (5000 + i)
            add(' ')
            add('example.com/orders/%d…' % (5000 + i),
                {'$type': 'app.bsky.richtext.facet#link', 'uri': url})
        uri = 'at://%s/app.bsky.feed.post/%s' % (author['did'],
                                                 rkey(10 ** 12 + i * 997))
        rec = {'$type': 'app.bsky.feed.post', 'text': text,
               'createdAt': iso_ms(t), 'langs': [['en', 'pt', 'de'][i % 3]]}
        if facets:
            rec['facets'] = facets
        root = parent
        while root is not None and root['parent'] is not None:
            root = root['parent']
        if parent is not None:
            rec['reply'] = {'root': {'uri': root['uri'], 'cid': root['cid']},
                            'parent': {'uri': parent['uri'],
                                       'cid': parent['cid']}}
        p = {'uri': uri, 'cid': cid(uri), 'author': author, 'record': rec,
             't': t, 'parent': parent, 'likes': r.randrange(40),
             'reposts': r.randrange(5), 'replies': 0, 'quotes': 0,
             'i': i}
        if parent is not None:
            parent['replies'] += 1
        self.posts.append(p)
        self.by_uri[uri] = p
        # one notification a post: a reply to the brand that also
        # mentions it is a reply
        if parent is not None and parent['author'] is self.brand and \
                author is not self.brand:
            self.notes.append((p, 'reply', parent))
        elif mentions:
            self.notes.append((p, 'mention', None))
        if i % 7 == 3:
            self.notes.append((p, 'like', None))
        return p

    def add(self, n):
        for _ in range(n):
            self.new_post(len(self.posts), force=True)

    def counts(self):
        return {'bluesky_posts': len(self.posts),
                'bluesky_notifications': len(self.notes),
                'bluesky_mentions_replies': sum(1 for n in self.notes
                                                if n[1] != 'like'),
                'bluesky_brand_posts': sum(1 for p in self.posts
                                           if p['author'] is self.brand)}

    # the XRPC shapes
    def profile(self, a):
        return {'did': a['did'], 'handle': a['handle'],
                'displayName': a['displayName'], 'avatar':
                'https://cdn.example/avatar/%s.jpg' % a['did'][8:],
                'labels': [], 'createdAt': '2023-01-01T00:00:00.000Z'}

    def post_view(self, p):
        return {'uri': p['uri'], 'cid': p['cid'],
                'author': self.profile(p['author']), 'record': p['record'],
                'replyCount': p['replies'], 'repostCount': p['reposts'],
                'likeCount': p['likes'], 'quoteCount': p['quotes'],
                'indexedAt': iso_ms(p['t'] + 0.5), 'labels': []}

    def note_view(self, n):
        p, reason, subject = n
        d = {'uri': p['uri'], 'cid': p['cid'],
             'author': self.profile(p['author']), 'reason': reason,
             'record': p['record'], 'isRead': False,
             'indexedAt': iso_ms(p['t'] + 0.5), 'labels': []}
        if reason == 'like':
            d['uri'] = 'at://%s/app.bsky.feed.like/%s' % (
                p['author']['did'], rkey(p['i']))
            d['record'] = {'$type': 'app.bsky.feed.like', 'subject':
                           {'uri': p['uri'], 'cid': p['cid']},
                           'createdAt': iso_ms(p['t'] + 1)}
            d['reasonSubject'] = p['uri']
        if subject is not None:
            d['reasonSubject'] = subject['uri']
        return d

    @staticmethod
    def page(items, cursor, limit):
        """Offset cursors as the AppView gives them: the page after the
        last holds nothing and still has a cursor; the one after that
        has none."""
        off = int(cursor) if cursor not in (None, '') else 0
        page = items[off:off + limit]
        if page:
            nxt = str(off + len(page))
        elif off == len(items):
            nxt = str(off + 1)
        else:
            nxt = None
        return page, nxt

    def notifications(self, cursor, limit):
        page, nxt = self.page(list(reversed(self.notes)), cursor, limit)
        d = {'notifications': [self.note_view(n) for n in page]}
        if nxt is not None:
            d['cursor'] = nxt
        return d

    def search(self, q, cursor, limit):
        # as the dev-env without a search service: case-sensitive LIKE
        items = [p for p in reversed(self.posts) if q and q in
                 p['record']['text']]
        page, nxt = self.page(items, cursor, limit)
        d = {'posts': [self.post_view(p) for p in page],
             'hitsTotal': len(items)}
        if nxt is not None:
            d['cursor'] = nxt
        return d

    def author_feed(self, actor, cursor, limit):
        items = []
        for p in reversed(self.posts):
            if actor in (p['author']['did'], p['author']['handle']):
                items.append({'post': self.post_view(p)})
            elif actor == BRAND_DID and p['i'] % 11 == 5:
                # the brand reposts now and then: a feed item with reason
                items.append({'post': self.post_view(p), 'reason': {
                    '$type': 'app.bsky.feed.defs#reasonRepost',
                    'by': self.profile(self.brand),
                    'indexedAt': iso_ms(p['t'] + 5)}})
        page, nxt = self.page(items, cursor, limit)
        d = {'feed': page}
        if nxt is not None:
            d['cursor'] = nxt
        return d

    def thread(self, uri, depth, height):
        p = self.by_uri.get(uri)
        if p is None:
            return None

        def down(x, d):
            v = {'$type': 'app.bsky.feed.defs#threadViewPost',
                 'post': self.post_view(x)}
            if d > 0:
                v['replies'] = [down(c, d - 1) for c in self.posts
                                if c['parent'] is x]
            return v

        def up(x, h):
            if x is None or h <= 0:
                return None
            v = {'$type': 'app.bsky.feed.defs#threadViewPost',
                 'post': self.post_view(x)}
            par = up(x['parent'], h - 1)
            if par is not None:
                v['parent'] = par
            return v
        t = down(p, depth)
        par = up(p['parent'], height)
        if par is not None:
            t['parent'] = par
        return {'thread': t}

    # --- the writes of a reply (cm-reply) ---------------------------------

    def resolve(self, handle):
        for a in [self.brand] + self.users:
            if a['handle'].lower() == handle.lower():
                return a['did']
        return None

    def get_posts(self, uris):
        return {'posts': [self.post_view(self.by_uri[u]) for u in uris
                          if u in self.by_uri]}

    def get_record(self, repo, collection, rkey):
        """(status, body) of com.atproto.repo.getRecord."""
        did = self.resolve(repo) if not repo.startswith('did:') else repo
        uri = 'at://%s/%s/%s' % (did, collection, rkey)
        p = self.by_uri.get(uri)
        if p is None:
            return 400, {'error': 'RecordNotFound',
                         'message': 'Could not locate record: ' + uri}
        return 200, {'uri': uri, 'cid': p['cid'], 'value': p['record']}

    def remove(self, p):
        """Takes a post createRecord made out again."""
        if self.by_uri.get(p['uri']) is p:
            del self.by_uri[p['uri']]
            self.posts.remove(p)
            if p['parent'] is not None:
                p['parent']['replies'] -= 1

    @staticmethod
    def check_post(rec):
        """Why a post record is not one app.bsky.feed.post takes, or
        None: its fields, its strong references, its facets' byte
        ranges within its text (checked as the PDS's lexicon does, and
        at whole characters, which it does not check but clients
        rely on).  Length: 3000 bytes (graphemes are not counted)."""
        if not isinstance(rec, dict) or \
                rec.get('$type') != 'app.bsky.feed.post':
            return 'Invalid $type: must be app.bsky.feed.post'
        text = rec.get('text')
        if not isinstance(text, str):
            return 'Record/text must be a string'
        raw = text.encode('utf-8')
        if len(raw) > 3000:
            return 'Record/text must not be longer than 3000 bytes'
        if not isinstance(rec.get('createdAt'), str) or \
                not ISO.match(rec['createdAt']):
            return 'Record/createdAt must be an valid atproto datetime'
        reply = rec.get('reply')
        if reply is not None:
            for k in ('root', 'parent'):
                ref = reply.get(k) if isinstance(reply, dict) else None
                if not isinstance(ref, dict) or \
                        not isinstance(ref.get('uri'), str) or \
                        not ref['uri'].startswith('at://') or \
                        not isinstance(ref.get('cid'), str) or \
                        not ref['cid']:
                    return 'Record/reply/%s must be a strong ref' % k
        starts = set()
        i = 0
        for ch in text:
            starts.add(i)
            i += len(ch.encode('utf-8'))
        starts.add(i)
        for n, f in enumerate(rec.get('facets', [])):
            idx = f.get('index', {}) if isinstance(f, dict) else {}
            s, e = idx.get('byteStart'), idx.get('byteEnd')
            if not isinstance(s, int) or not isinstance(e, int) or \
                    s < 0 or e > len(raw) or s >= e or \
                    s not in starts or e not in starts:
                return 'Record/facets/%d/index is out of the text' % n
            feats = f.get('features')
            if not isinstance(feats, list) or not feats:
                return 'Record/facets/%d/features must be a list' % n
            for ft in feats:
                t = ft.get('$type') if isinstance(ft, dict) else None
                key = {'app.bsky.richtext.facet#mention': 'did',
                       'app.bsky.richtext.facet#link': 'uri',
                       'app.bsky.richtext.facet#tag': 'tag'}.get(t)
                if key is None or not isinstance(ft.get(key), str):
                    return 'Record/facets/%d/features has an invalid ' \
                        'feature' % n
        return None

    def create_record(self, arg, now):
        """(status, body, made) of com.atproto.repo.createRecord by the
        brand: its rkey a TID when validate is on; a second create at a
        key is a 500 and the first record stays, as on the PDS."""
        repo = arg.get('repo')
        if repo not in (BRAND_DID, BRAND_HANDLE):
            return 400, {'error': 'InvalidRequest', 'message':
                         'Unsupported repo: %s' % repo}, None
        if arg.get('collection') != 'app.bsky.feed.post':
            return 400, {'error': 'InvalidRequest', 'message':
                         'only app.bsky.feed.post here'}, None
        rk = arg.get('rkey')
        validate = arg.get('validate', True) is not False
        if rk is None:
            rk = tid(int(now * 1e6), self.rng.randrange(1024))
        if not isinstance(rk, str) or not RKEY.match(rk) or \
                (validate and not TID.match(rk)):
            return 400, {'error': 'InvalidRequest',
                         'message': 'Invalid record key: %r' % (rk,)}, None
        rec = arg.get('record')
        why = self.check_post(rec) if validate else None
        if why is not None:
            return 400, {'error': 'InvalidRequest', 'message':
                         'Invalid app.bsky.feed.post record: ' + why}, None
        uri = 'at://%s/app.bsky.feed.post/%s' % (BRAND_DID, rk)
        if uri in self.by_uri:
            # the PDS's "There is already a value at key"
            return 500, {'error': 'InternalServerError',
                         'message': 'Internal Server Error'}, None
        parent = None
        if isinstance(rec.get('reply'), dict):
            parent = self.by_uri.get(rec['reply']['parent']['uri'])
        p = {'uri': uri, 'cid': cid(uri + json.dumps(rec, sort_keys=True)),
             'author': self.brand, 'record': rec, 't': now,
             'parent': parent, 'likes': 0, 'reposts': 0, 'replies': 0,
             'quotes': 0, 'i': len(self.posts)}
        if parent is not None:
            parent['replies'] += 1
        self.posts.append(p)
        self.by_uri[uri] = p
        return 200, {'uri': uri, 'cid': p['cid'], 'commit': {
            'cid': cid('commit' + uri), 'rev': tid(int(now * 1e6), 0)},
            'validationStatus': 'valid'}, p


ISO = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$')
TID = re.compile(r'^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$')
RKEY = re.compile(r'^[A-Za-z0-9._:~-]{1,512}$')


def tid(us, clock):
    """A TID: 53 bits of microseconds and 10 of a clock id, in
    base32-sortable."""
    v = (us << 10) | (clock & 0x3FF)
    s = ''
    for _ in range(13):
        v, d = divmod(v, 32)
        s = B32S[d] + s
    return s


B32S = '234567abcdefghijklmnopqrstuvwxyz'
