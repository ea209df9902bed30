"""corpus.py - the fake platforms' data: one corpus made from a seed, the
same bytes every time, in the shapes the platforms document; and the
records cm-fetch must make of it (cm-record(5)), for the tests to compare
with.  Each item is kept once, as what it is (its words, its author, whom
it answers); the platform's JSON and the expected record are both made
from that, so neither is derived from the other."""

import json
import random
import time

T0 = 1793491200             # 2026-11-01T00:00:00Z
MASTO_DOMAIN = 'masto.example'
REMOTE_DOMAIN = 'remote.example'


def rfc3339(t):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(int(t)))


def iso_ms(t):
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(int(t))) + \
        '.%03dZ' % (int(round(t * 1000)) % 1000)


def page_by_id(items, q, limit):
    """A page of items (newest first, each with a numeric string 'id') as
    Mastodon pages: max_id (older than), since_id (newer than, from the
    newest), min_id (newer than, from just above it)."""
    def num(x):
        return int(x['id'])
    def arg(k):
        v = q.get(k)
        if isinstance(v, list):
            v = v[0] if v else None
        return int(v) if v not in (None, '') else None
    mx, since, mn = arg('max_id'), arg('since_id'), arg('min_id')
    sel = [x for x in items if (mx is None or num(x) < mx) and
           (since is None or num(x) > since) and
           (mn is None or num(x) > mn)]
    if mn is not None:
        return sel[-limit:] if limit > 0 else []
    return sel[:limit]


# Words the texts are made of.  Each text is segments: plain words, or
# tokens that are a mention, a hashtag or a link in both the HTML and the
# plain text.
OPENERS = ['Hi', 'Hey', 'Hello', 'Morning', 'Ugh,', 'Thanks', 'So']
COMPLAINTS = [
    'my order still has not arrived', 'the app crashes when I log in',
    'I was charged twice &amp; nobody answers',
    'the refund never came', 'your status page says all is fine',
    'can&#39;t reset my password', 'delivery was late again']
PRAISE = [
    'the new widget is great &lt;3', 'support fixed it in minutes',
    'love the &quot;quick start&quot; guide', 'shipping was fast']
QUESTIONS = [
    'is there an outage?', 'when does the sale end?',
    'do you ship to Portugal?', 'how do I export my data?']
TAGS = ['Widgets', 'AcmeHelp', 'outage', 'Café', 'billing']
NAMES = ['Jane Doe', 'Zoë 🌻', '', 'Ravi K.', 'Ana María', 'Ольга',
         'Tom & Co', 'ken']
LANGS = ['en', 'en', 'en', 'de', 'pt-BR', None]


def unescape(s):
    return (s.replace('&lt;', '<').replace('&gt;', '>')
            .replace('&quot;', '"').replace('&#39;', "'")
            .replace('&amp;', '&'))


class Text:
    """A text in paragraphs of segments, as HTML (Mastodon's forms) and
    as the plain text cm must make of it, with its tags, mentions and
    links in order."""

    def __init__(self):
        self.paras = [[]]
        self.tags, self.mentions, self.links = [], [], []

    def word(self, w):
        self.paras[-1].append(('w', w))

    def br(self):
        self.paras[-1].append(('br', None))

    def para(self):
        self.paras.append([])

    def mention(self, user, domain):
        self.paras[-1].append(('m', (user, domain)))
        if user not in self.mentions:
            self.mentions.append(user)

    def tag(self, t):
        self.paras[-1].append(('t', t))
        if t.lower() not in self.tags:
            self.tags.append(t.lower())

    def link(self, url, after=''):
        self.paras[-1].append(('l', (url, after)))
        if url not in self.links:
            self.links.append(url)

    def masto_html(self):
        out = []
        for p in self.paras:
            h, first = '', True
            for kind, v in p:
                if kind == 'br':
                    h += '<br />'
                    first = True
                    continue
                if not first:
                    h += ' '
                first = False
                if kind == 'w':
                    h += v
                elif kind == 'm':
                    user, dom = v
                    h += ('<span class="h-card" translate="no"><a href='
                          '"https://%s/@%s" class="u-url mention">@<span>'
                          '%s</span></a></span>' % (dom, user, user))
                elif kind == 't':
                    h += ('<a href="https://%s/tags/%s" class="mention '
                          'hashtag" rel="tag">#<span>%s</span></a>' %
                          (MASTO_DOMAIN, v.lower(), v))
                elif kind == 'l':
                    url, after = v
                    scheme, rest = url.split('://', 1)
                    h += ('<a href="%s" target="_blank" rel="nofollow '
                          'noopener" translate="no"><span class="invisible">'
                          '%s://</span><span class="ellipsis">%s</span>'
                          '<span class="invisible">%s</span></a>%s' %
                          (url, scheme, rest[:20], rest[20:], after))
            out.append('<p>' + h + '</p>')
        return ''.join(out)

    def plain(self, mention_form='@%s', tag_form='#%s'):
        paras = []
        for p in self.paras:
            s, first = '', True
            for kind, v in p:
                if kind == 'br':
                    s += '\n'
                    first = True
                    continue
                if not first:
                    s += ' '
                first = False
                if kind == 'w':
                    s += unescape(v)
                elif kind == 'm':
                    s += mention_form % v[0]
                elif kind == 't':
                    s += tag_form % v
                elif kind == 'l':
                    s += v[0] + v[1]
            paras.append(s)
        return '\n\n'.join(paras)


class MastodonMixin:
    def masto_counts(self):
        return {
            'mastodon_statuses': len(self.masto_statuses),
            'mastodon_notifications': len(self.masto_notes),
            'mastodon_mentions': sum(1 for n in self.masto_notes
                                     if n['type'] == 'mention'),
        }


    # --- Mastodon -------------------------------------------------------

    def make_mastodon(self, n):
        r = self.rng
        self.brand_masto = {
            'id': '1', 'username': 'acme', 'acct': 'acme',
            'display_name': 'Acme Support', 'domain': MASTO_DOMAIN,
            'followers_count': 1200}
        self.masto_accounts = []
        for k in range(40):
            remote = k % 3 == 1
            user = 'user%d' % k
            self.masto_accounts.append({
                'id': str(109000000000000000 + 1000 * k + r.randrange(1000)),
                'username': user,
                'acct': user + ('@' + REMOTE_DOMAIN if remote else ''),
                'display_name': NAMES[k % len(NAMES)],
                'domain': REMOTE_DOMAIN if remote else MASTO_DOMAIN,
                'followers_count': r.choice([0, 3, 57, 1024, 250000])})
        self.masto_statuses = []    # oldest first
        self.masto_by_id = {}
        self.masto_notes = []       # oldest first
        self.masto_step = 97 if n <= 20000 else 7
        self.masto_next_note = 1000
        self.masto_last_brand = None
        for _ in range(n):
            self.masto_new_status()

    def masto_new_status(self, force_mention=False, at=None):
        r = self.rng
        i = len(self.masto_statuses)
        t = (T0 + i * self.masto_step if at is None else at) + \
            r.randrange(1000) / 1000.0
        sid = str(113000000000000000 + i * 1000 + r.randrange(1000))
        brand = i % 10 == 0 and not force_mention
        author = self.brand_masto if brand else r.choice(self.masto_accounts)
        parent = None
        earlier = [s for s in self.masto_statuses[-8:] if not s['reblog']]
        if brand:
            # the brand answers someone who mentioned it
            cands = [s for s in earlier if s['mentions_brand']]
            parent = cands[-1] if cands and i % 20 == 0 else None
        elif earlier and i % 5 == 2:
            parent = r.choice(earlier)
        mentions_brand = not brand and (force_mention or i % 4 != 1)
        tx = Text()
        tx.word(r.choice(OPENERS))
        if parent is not None and parent['author'] is not author:
            pa = parent['author']
            tx.mention(pa['username'], pa['domain'])
        if mentions_brand and not (parent is not None and
                                   parent['author'] is self.brand_masto):
            tx.mention('acme', MASTO_DOMAIN)
        kind = i % 3
        tx.word(r.choice([COMPLAINTS, PRAISE, QUESTIONS][kind]))
        if i % 6 == 0:
            tx.word('see')
            tx.link('https://example.com/orders/%d/status' % (4000 + i),
                    '.' if i % 12 == 0 else '')
        if i % 2 == 0:
            tx.tag(TAGS[i % len(TAGS)])
        if i % 9 == 0:
            tx.word('order #%d' % (4821937 + i))
        if i % 7 == 0:
            tx.para()
            tx.word('Second line')
            tx.br()
            tx.word('and a third, about the refund')
            if i % 14 == 0:
                tx.tag(TAGS[(i + 2) % len(TAGS)])
        s = {
            'id': sid, 'i': i, 't': t, 'author': author, 'parent': parent,
            'text': tx, 'mentions_brand': mentions_brand,
            'spoiler': 'billing' if i % 17 == 3 else '',
            'lang': LANGS[i % len(LANGS)],
            'likes': r.randrange(50), 'reblogs': r.randrange(8),
            'replies': 0, 'quotes': r.randrange(3) if i % 3 == 0 else None,
            'url_null': i % 13 == 5, 'dup': i % 11 == 4, 'reblog': None,
        }
        if parent is not None:
            parent['replies'] += 1
        self.masto_statuses.append(s)
        self.masto_by_id[sid] = s
        # what the brand's notifications hold, in time order
        if mentions_brand or (parent is not None and parent['author'] is
                              self.brand_masto):
            self.masto_note_add('mention', t, author, s)
        if brand:
            self.masto_last_brand = s
        brand_posts = [self.masto_last_brand] if self.masto_last_brand \
            else []
        if i % 3 == 1 and brand_posts:
            self.masto_note_add('favourite', t + 30,
                                r.choice(self.masto_accounts),
                                brand_posts[-1])
        if i % 7 == 3:
            self.masto_note_add('follow', t + 40,
                                r.choice(self.masto_accounts), None)
        if i % 8 == 5 and brand_posts:
            self.masto_note_add('reblog', t + 50,
                                r.choice(self.masto_accounts),
                                brand_posts[-1])
        # the brand boosts now and then: in its statuses, not its "own"
        if i % 25 == 12:
            b = {'id': str(int(sid) + 1), 'i': i, 't': t + 60,
                 'author': self.brand_masto, 'parent': None, 'text': Text(),
                 'mentions_brand': False, 'spoiler': '', 'lang': None,
                 'likes': 0, 'reblogs': 0, 'replies': 0, 'quotes': None,
                 'url_null': False, 'dup': False, 'reblog': s}
            self.masto_statuses.append(b)
            self.masto_by_id[b['id']] = b

    def masto_note_add(self, typ, t, account, status):
        self.masto_notes.append({'id': str(self.masto_next_note),
                                 'type': typ, 't': t, 'account': account,
                                 'status': status})
        self.masto_next_note += 1 + self.rng.randrange(3)

    def masto_account_json(self, a, host=None):
        return {
            'id': a['id'], 'username': a['username'], 'acct': a['acct'],
            'display_name': a['display_name'], 'locked': False,
            'bot': False, 'discoverable': True, 'group': False,
            'created_at': '2022-04-01T00:00:00.000Z', 'note': '<p></p>',
            'url': 'https://%s/@%s' % (a['domain'], a['username']),
            'uri': 'https://%s/users/%s' % (a['domain'], a['username']),
            'avatar': 'https://%s/avatars/original/missing.png' %
            a['domain'], 'header': '', 'followers_count':
            a['followers_count'], 'following_count': 12,
            'statuses_count': 40, 'last_status_at': '2026-11-01',
            'emojis': [], 'fields': []}

    def masto_status_obj(self, s):
        a = self.masto_account_json(s['author'])
        url = 'https://%s/@%s/%s' % (s['author']['domain'],
                                     s['author']['username'], s['id'])
        uri = 'https://%s/users/%s/statuses/%s' % (
            s['author']['domain'], s['author']['username'], s['id'])
        p = s['parent']
        d = {
            'id': s['id'], 'created_at': iso_ms(s['t']),
            'in_reply_to_id': p['id'] if p else None,
            'in_reply_to_account_id': p['author']['id'] if p else None,
            'sensitive': bool(s['spoiler']), 'spoiler_text': s['spoiler'],
            'visibility': s.get('visibility', 'public'),
            'language': s['lang'], 'uri': uri,
            'url': None if s['url_null'] else url,
            'replies_count': s['replies'], 'reblogs_count': s['reblogs'],
            'favourites_count': s['likes'], 'edited_at': None,
            # a reply posted to the server (posts.py) has its own HTML
            'content': s['html'] if 'html' in s else
            s['text'].masto_html() if not s['reblog'] else '',
            'reblog': self.masto_status_obj(s['reblog']) if s['reblog']
            else None,
            'account': a, 'media_attachments': [],
            'mentions': [{'id': '0', 'username': m, 'acct': m,
                          'url': 'https://%s/@%s' % (MASTO_DOMAIN, m)}
                         for m in s['text'].mentions],
            'tags': [{'name': t, 'url': 'https://%s/tags/%s' %
                      (MASTO_DOMAIN, t)} for t in s['text'].tags],
            'emojis': [], 'card': None, 'poll': None}
        if s['quotes'] is not None:
            d['quotes_count'] = s['quotes']
        return d

    def masto_status(self, s, host=None):
        """A Status as JSON text; some with duplicate keys, the earlier
        value stale, as real servers send them (the last one wins)."""
        obj = self.masto_status_obj(s)
        if self.pad > 0:
            # a paragraph of "pad-ID" words, at least pad bytes: a long
            # text that says whose it is all along
            w = 'pad-%s ' % s['id']
            obj = dict(obj, content=obj['content'] + '<p>' +
                       (w * (self.pad // len(w) + 1)).rstrip() + '</p>')
        j = json.dumps(obj, ensure_ascii=False)
        if s['dup']:
            j = '{"content":"<p>stale duplicate</p>","language":"xx",' \
                '"id":"0",' + j[1:]
        return j

    def masto_note(self, n, host=None):
        d = {'id': n['id'], 'type': n['type'], 'created_at': iso_ms(n['t']),
             'group_key': 'ungrouped-' + n['id'],
             'account': self.masto_account_json(n['account'])}
        j = json.dumps(d, ensure_ascii=False)
        if n['status'] is not None:
            j = j[:-1] + ',"status":' + self.masto_status(n['status']) + '}'
        return j

    @staticmethod
    def masto_dump(x):
        return '[' + ','.join(x) + ']' if isinstance(x, list) else x

    def masto_notifications(self, types, exclude):
        return [n for n in reversed(self.masto_notes)
                if (not types or n['type'] in types) and
                n['type'] not in exclude]

    def masto_plain(self, s):
        t = s['text'].plain()
        return (s['spoiler'] + '\n\n' + t) if s['spoiler'] else t

    def masto_search(self, q):
        if q.startswith('https://') or q.startswith('http://'):
            # a status's URL (resolve=true): that status, as a server
            # finds one it knows by its url or uri
            return [s for s in reversed(self.masto_statuses)
                    if not s['reblog'] and q in (
                        'https://%s/@%s/%s' % (s['author']['domain'],
                                               s['author']['username'],
                                               s['id']),
                        'https://%s/users/%s/statuses/%s' % (
                            s['author']['domain'], s['author']['username'],
                            s['id']))]
        q = q.casefold()
        return [s for s in reversed(self.masto_statuses) if not s['reblog']
                and q and q in self.masto_plain(s).casefold()]

    def masto_tag(self, tag):
        tag = tag.lower()
        return [s for s in reversed(self.masto_statuses) if not s['reblog']
                and tag in s['text'].tags]

    def masto_root(self, s):
        while s['parent'] is not None:
            s = s['parent']
        return s

    def masto_context(self, s):
        anc = []
        p = s['parent']
        while p is not None:
            anc.insert(0, p)
            p = p['parent']
        desc = []
        def below(x):
            for c in self.masto_statuses:
                if c['parent'] is x:
                    desc.append(c)
                    below(c)
        below(s)
        return anc, desc

    def masto_account_statuses(self, aid, no_reblogs, no_replies):
        if aid == self.brand_masto['id']:
            a = self.brand_masto
        else:
            a = next((x for x in self.masto_accounts if x['id'] == aid),
                     None)
            if a is None:
                return None
        return [s for s in reversed(self.masto_statuses)
                if s['author'] is a and not (no_reblogs and s['reblog'])
                and not (no_replies and s['parent'])]

    def masto_expect(self, s, reason, base, thread_root=None):
        host = base.split('://', 1)[1].split('/', 1)[0]
        a = s['author']
        p = s['parent']
        mid = 'mastodon:%s:' % host
        is_brand = a is self.brand_masto
        if reason == 'mention' and p is not None and \
                p['author'] is self.brand_masto:
            reason = 'reply'
        obj = self.masto_status_obj(s)
        return {
            'id': mid + s['id'], 'platform': 'mastodon',
            'kind': 'reply' if p else 'post', 'reason': reason,
            'created_at': rfc3339(s['t']),
            'url': obj['url'] or obj['uri'],
            'author': {'id': a['id'], 'handle': a['acct'],
                       'name': a['display_name'] or a['username'],
                       'url': 'https://%s/@%s' % (a['domain'],
                                                  a['username']),
                       'followers': a['followers_count'], 'verified': None,
                       'is_brand': is_brand},
            'text': self.masto_plain(s), 'lang': s['lang'],
            'in_reply_to': mid + p['id'] if p else None,
            # a Status names its parent only: the root is known in a
            # thread:ID feed alone (cm-record(5))
            'thread': (mid + (thread_root or p)['id']) if p else None,
            'tags': s['text'].tags, 'mentions': s['text'].mentions,
            'links': s['text'].links,
            'metrics': {'likes': s['likes'], 'reposts': s['reblogs'],
                        'replies': s['replies'], 'quotes': s['quotes']},
        }

    # --- what cm-fetch must make ----------------------------------------

    def masto_expect_feed(self, feed, arg, base):
        if True:
            base = base + '/mastodon'
            if feed == 'mentions':
                out = [self.masto_expect(n['status'], 'mention', base)
                       for n in self.masto_notifications(['mention'], [])]
            elif feed == 'search':
                out = [self.masto_expect(s, 'search', base)
                       for s in self.masto_search(arg or '')]
            elif feed == 'tag':
                out = [self.masto_expect(s, 'tag', base)
                       for s in self.masto_tag((arg or '').lstrip('#'))]
            elif feed == 'own':
                out = [self.masto_expect(s, 'own', base)
                       for s in self.masto_account_statuses('1', True,
                                                            False)]
            elif feed == 'thread':
                s = self.masto_by_id[arg]
                anc, desc = self.masto_context(s)
                root = self.masto_root(s)
                out = []
                for x in anc + [s] + desc:
                    out.append(self.masto_expect(
                        x, 'own' if x['author'] is self.brand_masto else
                        'reply', base, root))
            else:
                raise KeyError(feed)
            for o in out:
                o['source'] = {'feed': feed + (':' + arg if arg else '')}
            return out


# --- Reddit ---------------------------------------------------------------

REDDIT_BRAND = 'acme_support'
REDDIT_SUB = 'acmewidgets'
REDDIT_WORDS = [
    'The widget broke after a week & support is slow',
    'Anyone else seeing <error 502> on checkout?',
    'Great customer service today, thanks!',
    'How do I get a refund for a double charge?',
    'Shipping to Canada took 3 weeks', 'Is the v2 worth it?']


def b36(n):
    s = ''
    while True:
        n, d = divmod(n, 36)
        s = '0123456789abcdefghijklmnopqrstuvwxyz'[d] + s
        if n == 0:
            return s


def reddit_escape(s):
    """What Reddit does to text without raw_json=1."""
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


class RedditMixin:
    def make_reddit(self, n):
        r = random.Random(self.seed * 7 + 1)
        self.rd_rng = r
        self.rd_users = ['user_%d' % k for k in range(30)] + [REDDIT_BRAND]
        self.rd_posts = []          # oldest first
        self.rd_comments = []       # oldest first
        self.rd_by_name = {}
        self.rd_t = T0 + 3600.0
        for i in range(n):
            self.rd_new_item(i)

    def rd_user_id(self, u):
        return 't2_' + b36(900000 + self.rd_users.index(u))

    def rd_new_item(self, i, force_mention=False):
        r = self.rd_rng
        self.rd_t += 61 + r.randrange(60)
        t = self.rd_t
        posts = self.rd_posts
        if not force_mention and (i % 5 == 0 or not posts):
            author = REDDIT_BRAND if i % 15 == 0 else r.choice(
                self.rd_users[:-1])
            pid = b36(1000000 + len(posts))
            sub = REDDIT_SUB if i % 4 != 3 else 'gadgets'
            slug = 'post_%s' % pid
            p = {'kind': 't3', 'id': pid, 'name': 't3_' + pid, 't': t,
                 'author': author, 'sub': sub,
                 'title': REDDIT_WORDS[i % len(REDDIT_WORDS)] +
                 (' (acme)' if i % 2 == 0 else ''),
                 'selftext': ('Details: order 1%04d, see '
                              'https://example.com/track/%d' % (i, i))
                 if i % 3 != 2 else '',
                 'score': r.randrange(-3, 400), 'comments': [],
                 'permalink': '/r/%s/comments/%s/%s/' % (sub, pid, slug),
                 'replies_n': 0}
            posts.append(p)
            self.rd_by_name[p['name']] = p
            return p
        post = posts[-1 - r.randrange(min(len(posts), 6))]
        parent = post
        if post['comments'] and i % 3 != 0:
            parent = r.choice(post['comments'][-6:])
        author = REDDIT_BRAND if (i % 7 == 0 and not force_mention) else \
            r.choice(self.rd_users[:-1])
        if author == parent['author']:
            author = self.rd_users[(self.rd_users.index(author) + 1) % 30]
        cid = b36(50000000 + len(self.rd_comments))
        mention = force_mention or (author != REDDIT_BRAND and i % 4 == 1)
        body = r.choice(['Same here.', 'Try clearing the cache &amp; '
                         'cookies.'.replace('&amp;', '&'),
                         'Mine arrived fine, 2 < 3 days.',
                         'Contact support, they helped me.',
                         'Thanks, that worked! #solved'])
        if mention:
            body = 'u/%s can you look at this? %s' % (REDDIT_BRAND, body)
        if i % 6 == 0:
            body += '\n\nMore: [the tracker](https://example.com/t/%d)' % i
        c = {'kind': 't1', 'id': cid, 'name': 't1_' + cid, 't': t,
             'author': author, 'sub': post['sub'], 'post': post,
             'parent': parent, 'body': body, 'score': r.randrange(-5, 90),
             'mention': mention,
             'permalink': post['permalink'] + cid + '/'}
        post['comments'].append(c)
        post['replies_n'] += 1
        self.rd_comments.append(c)
        self.rd_by_name[c['name']] = c
        return c

    def rd_add(self, n):
        for k in range(n):
            self.rd_new_item(len(self.rd_posts) + len(self.rd_comments) + k,
                             force_mention=True)

    # the platform's JSON
    def rd_thing(self, x, raw, inbox=None, replies=False, newest=False):
        esc = (lambda s: s) if raw else reddit_escape
        if x['kind'] == 't3':
            d = {'name': x['name'], 'id': x['id'], 'title': esc(x['title']),
                 'selftext': esc(x['selftext']), 'author': x['author'],
                 'author_fullname': self.rd_user_id(x['author']),
                 'subreddit': x['sub'], 'subreddit_name_prefixed': 'r/' +
                 x['sub'], 'created': x['t'], 'created_utc': x['t'],
                 'permalink': x['permalink'],
                 'url': 'https://www.reddit.com' + x['permalink'],
                 'score': x['score'], 'ups': x['score'], 'num_comments':
                 x['replies_n'], 'over_18': False, 'is_self': True,
                 'link_flair_text': None, 'stickied': False}
            return {'kind': 't3', 'data': d}
        d = {'name': x['name'], 'id': x['id'], 'body': esc(x['body']),
             'body_html': esc('<div class="md"><p>' + x['body'] +
                              '</p></div>'),
             'author': x['author'],
             'author_fullname': self.rd_user_id(x['author']),
             'subreddit': x['sub'], 'created': x['t'], 'created_utc': x['t'],
             'parent_id': x['parent']['name'], 'score': x['score'],
             'ups': x['score'], 'distinguished': None, 'stickied': False}
        if inbox:
            # inbox items: context instead of permalink and link_id
            d.update({'context': x['permalink'] + '?context=3',
                      'type': inbox, 'was_comment': True, 'new': True,
                      'dest': REDDIT_BRAND, 'subject': inbox.replace('_',
                                                                     ' '),
                      'link_title': esc(x['post']['title']),
                      'num_comments': x['post']['replies_n'],
                      'replies': ''})
        else:
            d.update({'link_id': x['post']['name'],
                      'permalink': x['permalink'],
                      'link_title': esc(x['post']['title'])})
            kids = [c for c in x['post']['comments'] if c['parent'] is x]
            if newest:
                kids.reverse()
            if replies and kids:
                d['replies'] = {'kind': 'Listing', 'data': {
                    'after': None, 'before': None, 'children':
                    [self.rd_thing(c, raw, replies=True, newest=newest)
                     for c in kids]}}
            else:
                d['replies'] = ''
        return {'kind': 't1', 'data': d}

    def rd_list(self, feed, arg=None):
        """A feed's things, newest first, with what the inbox says of
        each (None outside the inbox)."""
        if feed == 'mentions':
            return [(c, 'username_mention') for c in
                    reversed(self.rd_comments) if c['mention']]
        if feed == 'comments':
            return [(c, 'comment_reply') for c in reversed(self.rd_comments)
                    if c['parent']['kind'] == 't1' and
                    c['parent']['author'] == REDDIT_BRAND]
        if feed == 'selfreply':
            return [(c, 'post_reply') for c in reversed(self.rd_comments)
                    if c['parent']['kind'] == 't3' and
                    c['parent']['author'] == REDDIT_BRAND]
        if feed == 'new':
            return [(p, None) for p in reversed(self.rd_posts)
                    if p['sub'] == arg]
        if feed == 'subcomments':
            return [(c, None) for c in reversed(self.rd_comments)
                    if c['sub'] == arg]
        if feed == 'search':
            q = (arg or '').casefold()
            return [(p, None) for p in reversed(self.rd_posts)
                    if q and q in (p['title'] + ' ' +
                                   p['selftext']).casefold()]
        if feed == 'own':
            items = [x for x in self.rd_posts + self.rd_comments
                     if x['author'] == arg]
            items.sort(key=lambda x: x['t'], reverse=True)
            return [(x, None) for x in items]
        raise KeyError(feed)

    def rd_listing(self, items, after, limit, raw):
        names = [x['name'] for x, _ in items]
        start = names.index(after) + 1 if after in names else 0
        if after and after not in names:
            start = len(names)
        page = items[start:start + limit]
        more = start + limit < len(items)
        return {'kind': 'Listing', 'data': {
            'after': page[-1][0]['name'] if more and page else None,
            'before': None, 'dist': len(page), 'modhash': '',
            'geo_filter': '', 'children': [self.rd_thing(x, raw, inbox)
                                           for x, inbox in page]}}

    def rd_thread(self, pid, raw, focus=None, newest=False):
        """A post's comment tree; focus (a comment's id, Reddit's
        comment=) gives that comment's alone, newest (sort=new) each
        level newest first."""
        p = self.rd_by_name.get('t3_' + pid)
        if p is None:
            return None
        top = [c for c in p['comments'] if c['parent'] is p]
        if focus is not None:
            top = [c for c in p['comments'] if c['id'] == focus]
        if newest:
            top.reverse()
        kids = [self.rd_thing(c, raw, replies=True, newest=newest)
                for c in top]
        if len(top) > 3:
            kids.append({'kind': 'more', 'data': {
                'count': 0, 'name': 't1__', 'id': '_', 'parent_id':
                p['name'], 'depth': 0, 'children': []}})
        return [{'kind': 'Listing', 'data': {
                    'after': None, 'dist': 1, 'children':
                    [self.rd_thing(p, raw)]}},
                {'kind': 'Listing', 'data': {'after': None, 'children':
                                             kids}}]

    # what cm-fetch must make
    def rd_expect(self, x, reason, inbox=None, feed_is_thread=False):
        brand = x['author'] == REDDIT_BRAND
        if x['kind'] == 't3':
            text = x['title'] + ('\n\n' + x['selftext'] if x['selftext']
                                 else '')
        else:
            text = x['body']
        rec = {
            'id': 'reddit:' + x['name'], 'platform': 'reddit',
            'kind': 'post' if x['kind'] == 't3' else
            ('reply' if brand else 'comment'),
            'reason': 'own' if brand and feed_is_thread else reason,
            'created_at': rfc3339(x['t']),
            'url': 'https://www.reddit.com' + x['permalink'] +
            ('?context=3' if inbox else ''),
            'author': {'id': self.rd_user_id(x['author']),
                       'handle': x['author'], 'name': x['author'],
                       'url': 'https://www.reddit.com/user/' + x['author'],
                       'followers': None, 'verified': None,
                       'is_brand': brand},
            'text': text, 'lang': None,
            'in_reply_to': 'reddit:' + x['parent']['name'] if x['kind'] ==
            't1' else None,
            'thread': 'reddit:' + x['post']['name'] if x['kind'] == 't1'
            else None,
            'metrics': {'likes': x['score'], 'reposts': None,
                        'replies': x['replies_n'] if x['kind'] == 't3'
                        else None, 'quotes': None},
        }
        rec.update(text_fields(text))
        return rec


# --- Hacker News (Algolia) ------------------------------------------------

HN_BRAND = 'acme_hq'        # the handle the tests' account says
HN_TITLES = ['Show HN: Acme widgets, open source', 'Ask HN: Is Acme down?',
             'Acme raises prices again', 'Why we left Acme for Zeta',
             'Acme’s outage post-mortem']


class HnMixin:
    def make_hn(self, n):
        r = random.Random(self.seed * 13 + 5)
        self.hn_rng = r
        self.hn_items = []          # oldest first
        self.hn_by_id = {}
        self.hn_t = T0 + 7200
        for i in range(n):
            self.hn_new_item(i)

    def hn_new_item(self, i, force=False):
        r = self.hn_rng
        # Bursts: several items in one second, so pages end inside one
        # (paging by time must not lose or repeat them).
        if i % 3 != 0:
            self.hn_t += 0
        else:
            self.hn_t += 30 + r.randrange(90)
        t = self.hn_t
        hid = 41000000 + i * 7 + r.randrange(7)
        stories = [x for x in self.hn_items[-40:] if x['type'] == 'story']
        if not stories or (i % 6 == 0 and not force):
            it = {'id': hid, 'type': 'story', 't': t,
                  'author': r.choice(['pg_fan', 'dang_not', 'acme_hq',
                                      'throwaway9', 'zed']),
                  'title': HN_TITLES[i % len(HN_TITLES)],
                  'url': 'https://acme.example/blog/%d' % i if i % 4 == 0
                  else None,
                  'text': None if i % 4 == 0 else
                  '<p>We use Acme at work &amp; it&#x27;s <i>fine</i>.'
                  '<p>Thoughts?',
                  'plain': None if i % 4 == 0 else
                  "We use Acme at work & it's fine.\n\nThoughts?",
                  'points': r.randrange(1, 500), 'parent': None,
                  'story': None, 'children': []}
        else:
            story = r.choice(stories)
            parent = story
            if story['children'] and i % 2 == 1:
                parent = r.choice([c for c in self.hn_items[-30:]
                                   if c['story'] is story] or [story])
            link = i % 5 == 0
            it = {'id': hid, 'type': 'comment', 't': t,
                  'author': r.choice(['alice', 'bob', 'acme_hq', 'carol',
                                      'dave']),
                  'title': None, 'url': None,
                  'text': 'Acme support told me to wait &gt; 3 days.' +
                  ('<p>See <a href="https://status.acme.example/x/%d" '
                   'rel="nofollow">https://status.acme.example/x/%d</a>'
                   % (i, i) if link else ''),
                  'plain': 'Acme support told me to wait > 3 days.' +
                  ('\n\nSee https://status.acme.example/x/%d' % i
                   if link else ''),
                  'points': None, 'parent': parent, 'story': story,
                  'children': []}
            parent['children'].append(it)
            story['ncomments'] = story.get('ncomments', 0) + 1
        self.hn_items.append(it)
        self.hn_by_id[it['id']] = it
        return it

    def hn_add(self, n):
        for k in range(n):
            self.hn_new_item(len(self.hn_items), force=True)

    def hn_num_comments(self, s):
        return s.get('ncomments', 0)

    def hn_tags(self, x):
        if x['type'] == 'story':
            return ['story', 'author_' + x['author'], 'story_%d' % x['id']]
        return ['comment', 'author_' + x['author'],
                'story_%d' % x['story']['id']]

    def hn_hit(self, x):
        h = {'created_at': rfc3339(x['t']).replace('Z', '.000Z'),
             'created_at_i': x['t'], 'author': x['author'],
             'objectID': str(x['id']), 'updated_at': '2026-11-30T00:00:00Z',
             '_highlightResult': {}}
        if x['type'] == 'story':
            h.update({'title': x['title'], 'url': x['url'],
                      'story_text': x['text'], 'points': x['points'],
                      'num_comments': self.hn_num_comments(x),
                      'story_id': x['id'], 'children': [c['id'] for c in
                                                        x['children']],
                      '_tags': self.hn_tags(x)})
        else:
            h.update({'comment_text': x['text'], 'story_id': x['story']['id'],
                      'parent_id': x['parent']['id'],
                      'story_title': x['story']['title'],
                      'story_url': x['story']['url'], 'points': None,
                      'children': [c['id'] for c in x['children']],
                      '_tags': self.hn_tags(x)})
        return h

    def hn_item(self, x):
        return {'id': x['id'], 'created_at': rfc3339(x['t']).replace(
                    'Z', '.000Z'), 'created_at_i': x['t'],
                'type': x['type'], 'author': x['author'], 'title':
                x['title'], 'url': x['url'], 'text': x['text'],
                'points': x['points'], 'parent_id': x['parent']['id'] if
                x['parent'] else None, 'story_id': x['story']['id'] if
                x['story'] else x['id'], 'options': [],
                'children': [self.hn_item(c) for c in x['children']]}

    def hn_plain(self, x):
        if x['type'] == 'story':
            parts = [x['title']] + ([x['plain']] if x['plain'] else []) + \
                ([x['url']] if x['url'] else [])
            return '\n\n'.join(parts)
        return x['plain']

    def hn_search(self, query, tags, numeric):
        """Hits newest first: the words of query all in the text (as
        Algolia's prefix search, roughly), tags as Algolia reads them
        (commas AND, a parenthesised group OR), numericFilters."""
        words = query.casefold().split()
        groups = []
        for part in split_tags(tags):
            groups.append(part)
        out = []
        for x in reversed(self.hn_items):
            tags = self.hn_tags(x)
            if any(not any(t in tags for t in g) for g in groups):
                continue
            if not all(numeric_ok(x, f) for f in numeric):
                continue
            text = (self.hn_plain(x) + ' ' + x['author']).casefold()
            if any(w not in text for w in words):
                continue
            out.append(x)
        return out

    def hn_expect(self, x, reason):
        brand = x['author'] == HN_BRAND
        rec = {
            'id': 'hn:%d' % x['id'], 'platform': 'hn',
            'kind': 'post' if x['type'] == 'story' else
            ('reply' if brand else 'comment'),
            'reason': 'own' if brand and reason == 'reply' else reason,
            'created_at': rfc3339(x['t']),
            'url': 'https://news.ycombinator.com/item?id=%d' % x['id'],
            'author': {'id': x['author'], 'handle': x['author'],
                       'name': x['author'],
                       'url': 'https://news.ycombinator.com/user?id=' +
                       x['author'], 'followers': None, 'verified': None,
                       'is_brand': brand},
            'text': self.hn_plain(x), 'lang': None,
            'in_reply_to': 'hn:%d' % x['parent']['id'] if x['parent']
            else None,
            'thread': 'hn:%d' % x['story']['id'] if x['story'] else None,
            'metrics': {'likes': x['points'], 'reposts': None,
                        'replies': self.hn_num_comments(x) if x['type'] ==
                        'story' else None, 'quotes': None}}
        rec.update(text_fields(rec['text']))
        return rec


def split_tags(tags):
    """Algolia's tags: "a,(b,c)" is a AND (b OR c)."""
    out, i = [], 0
    while i < len(tags):
        if tags[i] == '(':
            j = tags.index(')', i)
            out.append([t for t in tags[i + 1:j].split(',') if t])
            i = j + 1
        else:
            j = tags.find(',', i)
            j = len(tags) if j < 0 else j
            if tags[i:j]:
                out.append([tags[i:j]])
            i = j
        if i < len(tags) and tags[i] == ',':
            i += 1
    return out


def numeric_ok(x, f):
    for op in ('<=', '>=', '<', '>', '='):
        if op in f:
            k, v = f.split(op, 1)
            a = {'created_at_i': x['t'], 'points': x['points'] or 0}.get(
                k.strip())
            if a is None:
                return True
            v = float(v)
            return {'<=': a <= v, '>=': a >= v, '<': a < v, '>': a > v,
                    '=': a == v}[op]
    return True


def text_fields(text):
    """tags, mentions and links of a plain text, by cm-record(5)'s rules,
    for the texts this corpus writes (ASCII handles, URLs ended by white
    space, a closing bracket, or a final full stop)."""
    import re
    tags, mentions, links = [], [], []
    for m in re.finditer(r'(?<![\w_@#$%&*+\-./\\=^`|~])#(\w+)', text):
        t = m.group(1)
        if not any(c.isalpha() for c in t):
            continue
        if t.lower() not in tags:
            tags.append(t.lower())
    for m in re.finditer(r'(?<![\w_@#$%&*+\-./\\=^`|~])(?:@|u/)'
                         r'([A-Za-z0-9_.\-]+(?:@[A-Za-z0-9.\-]+)?)', text):
        h = m.group(1).rstrip('.')
        if h not in mentions:
            mentions.append(h)
    for m in re.finditer(r'https?://[^\s"<>]+', text, re.I):
        u = m.group(0)
        while u and u[-1] in '.,;:!?)':
            if u[-1] == ')' and u.count('(') >= u.count(')'):
                break
            u = u[:-1]
        if u not in links:
            links.append(u)
    return {'tags': tags, 'mentions': mentions, 'links': links}


class Corpus(MastodonMixin, RedditMixin, HnMixin):
    def __init__(self, seed=1, mastodon=300, reddit=300, hn=300,
                 bluesky=200):
        self.seed = seed
        self.rng = random.Random(seed)
        self.pad = 0        # bytes added to each Mastodon status's content
        self.make_mastodon(mastodon)
        self.make_reddit(reddit)
        self.make_hn(hn)

    def counts(self):
        c = self.masto_counts()
        c.update({'reddit_posts': len(self.rd_posts),
                  'reddit_comments': len(self.rd_comments),
                  'hn_items': len(self.hn_items)})
        return c

    def add(self, platform, n, at=None):
        """n new items; a Mastodon mention at epoch seconds at, if given
        (a clock ahead or behind)."""
        if platform == 'mastodon':
            for _ in range(n):
                self.masto_new_status(force_mention=True, at=at)
        elif platform == 'reddit':
            self.rd_add(n)
        elif platform == 'hn':
            self.hn_add(n)
        else:
            raise KeyError(platform)
        return n

    def expect(self, platform, feed, arg, base):
        """The records of a feed, newest first, without source and raw."""
        if platform == 'mastodon':
            return self.masto_expect_feed(feed, arg, base)
        if platform == 'reddit':
            out = []
            if feed == 'mentions':
                out = [self.rd_expect(x, 'mention', i)
                       for x, i in self.rd_list('mentions')]
            elif feed == 'replies':
                out = [self.rd_expect(x, 'reply', i)
                       for x, i in self.rd_list('comments') +
                       self.rd_list('selfreply')]
            elif feed == 'sub':
                out = [self.rd_expect(x, 'channel')
                       for x, _ in self.rd_list('new', arg) +
                       self.rd_list('subcomments', arg)]
            elif feed == 'search':
                out = [self.rd_expect(x, 'search')
                       for x, _ in self.rd_list('search', arg)]
            elif feed == 'own':
                out = [self.rd_expect(x, 'own')
                       for x, _ in self.rd_list('own', REDDIT_BRAND)]
            elif feed == 'thread':
                p = self.rd_by_name['t3_' + arg.replace('t3_', '')]
                order = []
                def dfs(x):
                    order.append(x)
                    for c in p['comments']:
                        if c['parent'] is x:
                            dfs(c)
                dfs(p)
                out = [self.rd_expect(x, 'reply', feed_is_thread=True)
                       for x in order]
            else:
                raise KeyError(feed)
            out.sort(key=lambda r: r['created_at'], reverse=True)
        elif platform == 'hn':
            if feed == 'search':
                out = [self.hn_expect(x, 'search') for x in
                       self.hn_search(arg or '', '(story,comment)', [])]
            elif feed == 'thread':
                order = []
                def dfs(x):
                    order.append(x)
                    for c in x['children']:
                        dfs(c)
                dfs(self.hn_by_id[int(arg)])
                out = [self.hn_expect(x, 'reply') for x in order]
            else:
                raise KeyError(feed)
        else:
            raise KeyError(platform)
        for o in out:
            o['source'] = {'feed': feed + (':' + arg if arg else '')}
        return out
