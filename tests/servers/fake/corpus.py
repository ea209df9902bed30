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


class Corpus:
    def __init__(self, seed=1, mastodon=300, reddit=300, hn=300,
                 bluesky=200):
        self.seed = seed
        self.rng = random.Random(seed)
        self.make_mastodon(mastodon)

    def counts(self):
        return {
            'mastodon_statuses': len(self.masto_statuses),
            'mastodon_notifications': len(self.masto_notes),
            'mastodon_mentions': sum(1 for n in self.masto_notes
                                     if n['type'] == 'mention'),
        }

    def add(self, platform, n):
        if platform == 'mastodon':
            for _ in range(n):
                self.masto_new_status(force_mention=True)
            return n
        raise KeyError(platform)

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

    def masto_new_status(self, force_mention=False):
        r = self.rng
        i = len(self.masto_statuses)
        t = T0 + i * self.masto_step + r.randrange(1000) / 1000.0
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
            'visibility': 'public', 'language': s['lang'], 'uri': uri,
            'url': None if s['url_null'] else url,
            'replies_count': s['replies'], 'reblogs_count': s['reblogs'],
            'favourites_count': s['likes'], 'edited_at': None,
            'content': s['text'].masto_html() if not s['reblog'] else '',
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
        j = json.dumps(self.masto_status_obj(s), ensure_ascii=False)
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

    def expect(self, platform, feed, arg, base):
        """The records of a feed, newest first, without source and raw."""
        if platform == 'mastodon':
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
        raise KeyError(platform)
