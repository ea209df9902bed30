"""posts.py - what the fake platforms do with a reply: Mastodon's POST
/api/v1/statuses (Idempotency-Key kept an hour) and Reddit's POST
/api/comment, their answers as the platforms give them, the replies put
into the corpus (so that a context, a comment tree shows them), and the
record of every reply made, for the tests (GET /_admin/posts).  The
caller holds the server's lock."""

import json
import re
import time

import corpus

MASTO_MAX = 500             # a status's characters, Mastodon's default
MASTO_KEY_TTL = 3600        # how long Mastodon keeps an Idempotency-Key
REDDIT_MAX = 10000          # a comment's characters
VISIBILITIES = ('public', 'unlisted', 'private', 'direct')


def esc(s):
    """HTML-escaped as Rails' h() does."""
    return (s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
            .replace('"', '&quot;').replace("'", '&#39;'))


MENTION = re.compile(r'^@(\w+)(?:@([\w.-]*\w))?(\W*)$')
TAG = re.compile(r'^#(\w+)(\W*)$')
LINK = re.compile(r'^(https?)://(\S+?)([.,!?;:)]*)$')


def masto_html(text):
    """A status's text as Mastodon's content: paragraphs at blank lines,
    <br /> at line breaks, and mentions, hashtags and links as its
    formatter writes them; a mention shows its user name alone (as
    Mastodon shows a mention of an account it knows), so a client that
    compares texts must allow for that."""
    paras = []
    for p in re.split(r'\n\s*\n', text.strip()):
        lines = []
        for line in p.split('\n'):
            out = []
            for w in line.split():
                m = MENTION.match(w)
                if m:
                    user, dom, after = m.group(1), m.group(2), m.group(3)
                    out.append('<span class="h-card" translate="no"><a '
                               'href="https://%s/@%s" class="u-url '
                               'mention">@<span>%s</span></a></span>%s' %
                               (dom or corpus.MASTO_DOMAIN, user, user,
                                esc(after)))
                    continue
                m = TAG.match(w)
                if m:
                    out.append('<a href="https://%s/tags/%s" class="mention '
                               'hashtag" rel="tag">#<span>%s</span></a>%s' %
                               (corpus.MASTO_DOMAIN, m.group(1).lower(),
                                m.group(1), esc(m.group(2))))
                    continue
                m = LINK.match(w)
                if m:
                    scheme, rest, after = m.groups()
                    out.append('<a href="%s://%s" target="_blank" rel="'
                               'nofollow noopener" translate="no"><span '
                               'class="invisible">%s://</span><span class='
                               '"ellipsis">%s</span><span class="invisible">'
                               '%s</span></a>%s' % (
                                   scheme, esc(rest), scheme, esc(rest[:20]),
                                   esc(rest[20:]), esc(after)))
                    continue
                out.append(esc(w))
            lines.append(' '.join(out))
        paras.append('<p>' + '<br />'.join(lines) + '</p>')
    return ''.join(paras)


class Posts:
    """The replies made, in order, and what undoes them."""

    def __init__(self):
        self.made = []          # dicts for /_admin/posts, with 'undo'
        self.masto_keys = {}    # Idempotency-Key -> (time, status)
        self.seq = 0

    def reset(self, c):
        """Takes every reply out of corpus c (newest first), forgets the
        keys."""
        for p in reversed(self.made):
            p['undo'](c)
        self.made = []
        self.masto_keys = {}

    def forget(self):
        """For a new corpus: the replies went with the old one."""
        self.made = []
        self.masto_keys = {}

    def listing(self, platform):
        return [{k: v for k, v in p.items() if k != 'undo'}
                for p in self.made if platform in (None, p['platform'])]

    def note(self, platform, target, text, key, pid, body, ctype, undo):
        self.made.append({'platform': platform, 'target': target,
                          'text': text, 'key': key, 'id': pid,
                          'time': time.time(), 'body': body,
                          'content_type': ctype, 'undo': undo})


def form_or_json(body, ctype):
    """The fields of a POST body, form-encoded or JSON; None when it is
    neither."""
    import urllib.parse
    ctype = (ctype or '').split(';')[0].strip().lower()
    try:
        if ctype == 'application/json':
            d = json.loads(body or b'{}')
            return {k: (v if isinstance(v, str) else json.dumps(v))
                    for k, v in d.items()} if isinstance(d, dict) else None
        if ctype in ('application/x-www-form-urlencoded', ''):
            return {k: v[-1] for k, v in urllib.parse.parse_qs(
                body.decode('utf-8'), keep_blank_values=True,
                strict_parsing=False).items()}
    except (ValueError, UnicodeDecodeError):
        return None
    return None


def masto_post(posts, c, body, ctype, key, ignore_keys, host):
    """POST /api/v1/statuses: (status, answer)."""
    now = time.time()
    if key and not ignore_keys:
        hit = posts.masto_keys.get(key)
        if hit and now - hit[0] < MASTO_KEY_TTL:
            # the first status again, and nothing posted
            return 200, c.masto_status(hit[1], host)
    f = form_or_json(body, ctype)
    if f is None:
        return 400, {'error': 'Unsupported or malformed body'}
    text = f.get('status', '')
    vis = f.get('visibility') or 'public'
    if not text.strip():
        return 422, {'error': "Validation failed: Text can't be blank"}
    if len(text) > MASTO_MAX:
        return 422, {'error': 'Validation failed: Text character limit of '
                     '%d exceeded' % MASTO_MAX}
    if vis not in VISIBILITIES:
        return 422, {'error': 'Validation failed: Visibility is not '
                     'included in the list'}
    parent = None
    if f.get('in_reply_to_id'):
        parent = c.masto_by_id.get(f['in_reply_to_id'])
        if parent is None:
            return 404, {'error': 'The post you are trying to reply to '
                         'does not appear to exist.'}
    posts.seq += 1
    sid = str(114000000000000000 + posts.seq * 1000)
    tx = corpus.Text()
    tx.word(esc(text))      # for search: the plain text as it was sent
    s = {'id': sid, 'i': len(c.masto_statuses), 't': now,
         'author': c.brand_masto, 'parent': parent, 'text': tx,
         'html': masto_html(text), 'visibility': vis,
         'mentions_brand': False, 'spoiler': '', 'lang': None, 'likes': 0,
         'reblogs': 0, 'replies': 0, 'quotes': None, 'url_null': False,
         'dup': False, 'reblog': None}
    c.masto_statuses.append(s)
    c.masto_by_id[sid] = s
    if parent is not None:
        parent['replies'] += 1

    def undo(cc):
        if cc.masto_by_id.get(sid) is s:
            cc.masto_statuses.remove(s)
            del cc.masto_by_id[sid]
            if parent is not None:
                parent['replies'] -= 1
    if key and not ignore_keys:
        posts.masto_keys[key] = (now, s)
    posts.note('mastodon', f.get('in_reply_to_id'), text, key, sid,
               body.decode('utf-8', 'replace'), ctype, undo)
    return 200, c.masto_status(s, host)


def reddit_error(code, msg, field):
    return {'json': {'errors': [[code, msg, field]]}}


def reddit_comment(posts, c, body, ctype, fault):
    """POST /api/comment (api_type=json): (status, answer).  fault is a
    "ratelimit" fault or None: Reddit's RATELIMIT error, nothing made."""
    f = form_or_json(body, ctype) or {}
    if fault is not None:
        n = int(fault.get('seconds', 1))
        d = reddit_error('RATELIMIT', 'you are doing that too much. try '
                         'again in %d second%s.' % (n, '' if n == 1 else 's'),
                         'ratelimit')
        d['json']['ratelimit'] = float(n)
        return 200, d
    thing = f.get('thing_id', '')
    text = f.get('text', '')
    parent = c.rd_by_name.get(thing)
    if parent is None:
        return 200, reddit_error('DELETED_COMMENT' if thing.startswith('t1_')
                                 else 'DELETED_LINK', 'that comment has '
                                 'been deleted' if thing.startswith('t1_')
                                 else 'the link you are commenting on has '
                                 'been deleted', 'parent')
    if not text.strip():
        return 200, reddit_error('NO_TEXT', 'we need something here', 'text')
    if len(text) > REDDIT_MAX:
        return 200, reddit_error('TOO_LONG', 'this is too long (max: %d)' %
                                 REDDIT_MAX, 'text')
    post = parent if parent['kind'] == 't3' else parent['post']
    posts.seq += 1
    cid = corpus.b36(60000000 + posts.seq)
    x = {'kind': 't1', 'id': cid, 'name': 't1_' + cid, 't': time.time(),
         'author': corpus.REDDIT_BRAND, 'sub': post['sub'], 'post': post,
         'parent': parent, 'body': text, 'score': 1, 'mention': False,
         'permalink': post['permalink'] + cid + '/'}
    post['comments'].append(x)
    post['replies_n'] += 1
    c.rd_by_name[x['name']] = x

    def undo(cc):
        if cc.rd_by_name.get(x['name']) is x:
            post['comments'].remove(x)
            post['replies_n'] -= 1
            del cc.rd_by_name[x['name']]
    posts.note('reddit', thing, text, None, x['name'],
               body.decode('utf-8', 'replace'), ctype, undo)
    return 200, {'json': {'errors': [], 'data': {'things': [
        c.rd_thing(x, True)]}}}
