#!/usr/bin/python3
# bench/mastodon_py.py BASE_URL [LIMIT]: the peer of cm-fetch's Mastodon benchmark
# (bench/fetch.sh).  Debian's python3-mastodon (Mastodon.py) reads every
# mention notification the server has, page after page by its Link
# headers (notifications(), then fetch_next), and writes for each one a
# JSON line of the fields cm-fetch writes (cm-record(5)), so both do the
# same work: fetch, parse, write; with LIMIT, it stops after that many, as
# cm-fetch --limit does.  One thing it does not do that cm-fetch
# does: the text stays the status's HTML (cm-fetch makes plain text of it
# and finds its links), which only flatters the peer.  The token comes
# from the environment (MASTODON_TOKEN), never from argv.
import datetime
import json
import os
import sys

from mastodon import Mastodon


def rfc3339(t):
    return t.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def record(n, host, fetched_at):
    s = n.get('status') or {}
    a = s.get('account') or n['account']
    reply = s.get('in_reply_to_id')
    return {
        'id': 'mastodon:%s:%s' % (host, s.get('id', n['id'])),
        'platform': 'mastodon',
        'kind': 'reply' if reply else 'post',
        'reason': 'mention',
        'created_at': rfc3339(s.get('created_at') or n['created_at']),
        'url': s.get('url'),
        'author': {'id': str(a['id']), 'handle': a['acct'],
                   'name': a.get('display_name', ''), 'url': a.get('url'),
                   'followers': a.get('followers_count'),
                   'verified': None, 'is_brand': a['acct'] == 'acme'},
        'text': s.get('content', ''),
        'lang': s.get('language'),
        'in_reply_to': 'mastodon:%s:%s' % (host, reply) if reply else None,
        'thread': 'mastodon:%s:%s' % (host, reply) if reply else None,
        'tags': [t['name'] for t in s.get('tags') or []],
        'mentions': [m['acct'] for m in s.get('mentions') or []],
        'links': [],
        'metrics': {'likes': s.get('favourites_count'),
                    'reposts': s.get('reblogs_count'),
                    'replies': s.get('replies_count'), 'quotes': None},
        'source': {'account': 'm', 'feed': 'mentions',
                   'fetched_at': fetched_at},
    }


def main():
    base = sys.argv[1]
    host = base.split('/')[2]
    left = int(sys.argv[2]) if len(sys.argv) > 2 else -1
    api = Mastodon(access_token=os.environ['MASTODON_TOKEN'],
                   api_base_url=base, version_check_mode='none',
                   ratelimit_method='wait')
    fetched_at = rfc3339(datetime.datetime.now(datetime.timezone.utc))
    out = sys.stdout
    page = api.notifications(types=['mention'], limit=40)
    while page:
        for n in page:
            if left == 0:
                return 0
            left -= 1
            out.write(json.dumps(record(n, host, fetched_at),
                                 ensure_ascii=False))
            out.write('\n')
        if left == 0:
            return 0
        page = api.fetch_next(page)
    return 0


if __name__ == '__main__':
    sys.exit(main())
