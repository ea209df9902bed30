#!/usr/bin/env python3
"""check.py - what cm-fetch should make of recorded real answers, worked
out from the payloads themselves (not by cm's C code), and compared with
the records it made (--raw: each keeps its own payload).

usage: check.py PLATFORM FEED HOST BRAND --count CASSETTE...
       check.py PLATFORM FEED HOST BRAND --records FILE CASSETTE...

PLATFORM FEED: mastodon mentions|own|tag|search|thread, bluesky thread,
reddit mentions|replies|sub|search|thread.  HOST is the replay server's
host:port (Mastodon ids are named after the instance); BRAND the
account's id or handle (whose posts are the brand's).  A cassette may be
METHOD:PATH=FILE for a bare JSON body.  --count prints how many records
the payloads hold; --records checks FILE's records: one per item, no
other, each with the payload's id, author, text, time and reply links.
Prints a TAP-like line per difference, and "checked N" at the end; exits
1 on any difference.
"""
import datetime
import html.parser
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import replay  # noqa: E402  (the same cassette reader as the server)


def rfc3339(t):
    """An ISO time or epoch seconds as cm-record(5) writes it (UTC, whole
    seconds)."""
    if isinstance(t, (int, float)):
        d = datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc)
    else:
        d = datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
        d = d.astimezone(datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


class Text(html.parser.HTMLParser):
    """Mastodon's HTML as its words: every text node (the invisible parts
    of a link too), entities decoded; blocks and <br> as white space."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "p"):
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag == "p":
            self.out.append(" ")

    def handle_data(self, data):
        self.out.append(data)


def words(s):
    return " ".join((s or "").split())


def html_words(s):
    p = Text()
    p.feed(s or "")
    p.close()
    return words("".join(p.out))


def bodies(files, method="GET"):
    """(path, query, json) of every 200 answer of the cassettes."""
    for f in files:
        if "=" in f and ":" in f.split("=", 1)[0]:
            route, file = f.split("=", 1)
            m, path = route.split(":", 1)
            with open(file, encoding="utf-8") as fh:
                yield m, path, {}, json.load(fh)
            continue
        for m, uri, status, _h, body in replay.load(f):
            if status != 200 or not body:
                continue
            u = urllib.parse.urlsplit(uri)
            try:
                doc = json.loads(body)
            except ValueError:
                continue
            yield (m, replay.norm_path(urllib.parse.unquote(u.path)),
                   urllib.parse.parse_qs(u.query), doc)


# Each platform: the expected records as dicts of the fields checked.

def masto_status(s, host, brand, reason):
    acc = s.get("account") or {}
    reply = s.get("in_reply_to_id")
    return {
        "id": "mastodon:%s:%s" % (host, s["id"]),
        "created_at": rfc3339(s["created_at"]),
        "author.id": acc.get("id"),
        "author.handle": acc.get("acct"),
        "author.is_brand": acc.get("id") == brand,
        "text": words((s.get("spoiler_text") or "") + " " +
                      html_words(s.get("content"))),
        "in_reply_to": "mastodon:%s:%s" % (host, reply) if reply else None,
        "url": s.get("url") or s.get("uri"),
        "reason": reason,
        "raw": s,
    }


def mastodon(feed, host, brand, files):
    out = []
    created = {}
    for m, path, q, doc in bodies(files, None):
        if m == "POST" and path == "/api/v1/statuses":
            created[doc.get("id")] = doc
        if m != "GET":
            continue
        if feed == "mentions" and path == "/api/v1/notifications":
            for n in doc:
                if n.get("type") == "mention" and n.get("status"):
                    s = n["status"]
                    r = ("reply" if s.get("in_reply_to_account_id") ==
                         brand else "mention")
                    out.append(masto_status(s, host, brand, r))
        elif ((feed == "own" and re.fullmatch(
                r"/api/v1/accounts/%s/statuses" % re.escape(brand), path)) or
              (feed == "tag" and path.startswith("/api/v1/timelines/tag/"))):
            if "min_id" in q or "since_id" in q:
                continue    # the same statuses again, newer first
            out += [masto_status(s, host, brand, feed) for s in doc
                    if not s.get("reblog")]
        elif (feed == "search" and path == "/api/v2/search" and
              q.get("type") == ["statuses"]):
            out += [masto_status(s, host, brand, "search")
                    for s in doc.get("statuses", []) if not s.get("reblog")]
        elif feed == "thread" and path.endswith("/context"):
            sid = path.split("/")[-2]
            for s in doc["ancestors"] + [created[sid]] + doc["descendants"]:
                e = masto_status(s, host, brand, "reply")
                if e["author.is_brand"]:
                    e["reason"] = "own"
                out.append(e)
    return out


def bsky_post(p, brand):
    rec = p.get("record") or {}
    au = p.get("author") or {}
    reply = rec.get("reply") or {}
    parent = (reply.get("parent") or {}).get("uri")
    root = (reply.get("root") or {}).get("uri")
    return {
        "id": "bluesky:" + p["uri"],
        "created_at": rfc3339(rec["createdAt"]),
        "author.id": au.get("did"),
        "author.handle": au.get("handle"),
        "author.is_brand": brand in (au.get("did"), au.get("handle")),
        "text": rec.get("text", ""),
        "in_reply_to": "bluesky:" + parent if parent else None,
        "thread": "bluesky:" + (root or parent) if parent else None,
        "bluesky.cid": p.get("cid"),
        "raw": p,
    }


def bluesky(feed, host, brand, files):
    out = []

    def up(t):
        if not isinstance(t, dict):
            return
        up(t.get("parent"))
        if "post" in t:
            out.append(bsky_post(t["post"], brand))

    def down(t):
        if not isinstance(t, dict):
            return
        if "post" in t:
            out.append(bsky_post(t["post"], brand))
        for r in t.get("replies") or []:
            down(r)

    for m, path, _q, doc in bodies(files):
        if feed == "thread" and path == "/xrpc/app.bsky.feed.getPostThread":
            t = doc["thread"]
            up(t.get("parent"))
            down(t)
    return out


def reddit_thing(kind, d, brand, reason):
    e = {
        "id": "reddit:" + d["name"],
        "created_at": rfc3339(d["created_utc"]),
        "author.handle": d.get("author"),
        "author.is_brand": (d.get("author") or "").lower() == brand.lower(),
        "reason": reason,
        "raw": d,
    }
    if kind == "t3":
        self_ = d.get("selftext") or ""
        e["text"] = d.get("title", "") + ("\n\n" + self_ if self_ else "")
        e["in_reply_to"] = None
    else:
        e["text"] = d.get("body", "")
        e["in_reply_to"] = ("reddit:" + d["parent_id"]
                            if d.get("parent_id") else None)
        link = d.get("link_id")
        if not link:
            m = re.search(r"/comments/([^/?]+)", d.get("context") or "")
            link = "t3_" + m.group(1) if m else None
        e["thread"] = "reddit:" + link if link else e["in_reply_to"]
    return e


def reddit(feed, host, brand, files):
    out = []
    reason = {"mentions": "mention", "replies": "reply", "sub": "channel",
              "search": "search", "thread": "reply"}[feed]

    def walk(listing):
        if not isinstance(listing, dict):
            return
        for c in listing.get("data", {}).get("children", []):
            if c.get("kind") not in ("t1", "t3"):
                continue    # "more" stubs
            e = reddit_thing(c["kind"], c["data"], brand, reason)
            if feed == "thread" and e["author.is_brand"]:
                e["reason"] = "own"
            out.append(e)
            walk(c["data"].get("replies"))

    for m, path, _q, doc in bodies(files):
        if path == "/api/v1/access_token":
            continue
        for listing in doc if isinstance(doc, list) else [doc]:
            walk(listing)
    return out


def field(rec, name):
    v = rec
    for k in name.split("."):
        v = v.get(k) if isinstance(v, dict) else None
    return v


def main(argv):
    platform, feed, host, brand, mode = argv[1:6]
    files = argv[6:] if mode == "--count" else argv[7:]
    want = {"mastodon": mastodon, "bluesky": bluesky,
            "reddit": reddit}[platform](feed, host, brand, files)
    if mode == "--count":
        print(len(want))
        return 0
    got = [json.loads(line) for line in open(argv[6], encoding="utf-8")
           if line.strip()]
    bad = 0
    ids = [r["id"] for r in got]
    if len(ids) != len(set(ids)):
        print("not ok - duplicate records")
        bad += 1
    byid = {r["id"]: r for r in got}
    wanted = {w["id"] for w in want}
    for i in sorted(set(byid) - wanted):
        print("not ok - %s: a record of no item" % i)
        bad += 1
    n = 0
    for w in want:
        r = byid.get(w["id"])
        if r is None:
            print("not ok - %s: no record" % w["id"])
            bad += 1
            continue
        n += 1
        for k, v in w.items():
            g = field(r, k)
            if k == "text" and platform == "mastodon":
                g = words(g)
            if g != v:
                if k == "raw":
                    g, v = "another payload", "its own"
                print("not ok - %s: %s is %r, the payload says %r" %
                      (w["id"], k, g, v))
                bad += 1
    print("checked %d records, %d fields each at most, %d differences" %
          (n, max((len(w) for w in want), default=0), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
