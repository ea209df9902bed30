# expect.jq - the cm record (cm-record(5)) of a Bluesky post view or
# notification, computed from the AppView's own JSON, for the tests to
# compare cm-fetch's records with, field by field: rec(REASON; BRAND_DID).
# Written from the lexicons, not from lib/platforms/bluesky.c.

# UTF-8 length of a code point, and the text between two byte offsets.
def u8len: if . < 128 then 1 elif . < 2048 then 2 elif . < 65536 then 3 else 4 end;
def bslice($s; $e):
  explode as $cp
  | reduce range(0; $cp | length) as $i ({b: 0, o: []};
      (if .b >= $s and .b < $e then .o += [$cp[$i]] else . end)
      | .b += ($cp[$i] | u8len))
  | .o | implode;

# An atproto datetime (any offset, any fraction) as RFC 3339 UTC seconds.
def utc:
  capture("^(?<d>[0-9]{4}-[0-9]{2}-[0-9]{2})T(?<t>[0-9]{2}:[0-9]{2}:[0-9]{2})(\\.[0-9]+)?(?<z>Z|[+-][0-9]{2}:[0-9]{2})$") as $m
  | (if $m.z == "Z" then 0 else
      ($m.z | capture("(?<s>[+-])(?<h>[0-9]{2}):(?<mi>[0-9]{2})")
       | ((.h | tonumber) * 3600 + (.mi | tonumber) * 60) * (if .s == "-" then -1 else 1 end))
    end) as $off
  | ($m.d + "T" + $m.t + "Z" | fromdateiso8601) - $off | todate;

def once: reduce .[] as $x ([]; if any(.[]; . == $x) then . else . + [$x] end);

def features($t): [.record.facets[]? as $f | $f.features[]? | select(.["$type"] == $t) | {f: $f, x: .}];

def rec($reason; $brand):
  . as $p | .record as $r | (.uri | split("/") | last) as $rkey
  | {
      id: ("bluesky:" + .uri),
      platform: "bluesky",
      kind: (if $r.reply then "reply" else "post" end),
      reason: $reason,
      created_at: ($r.createdAt | utc),
      url: "https://bsky.app/profile/\(.author.handle)/post/\($rkey)",
      author: {
        id: .author.did,
        handle: .author.handle,
        name: ((.author.displayName // "") | if . == "" then $p.author.handle else . end),
        url: "https://bsky.app/profile/\(.author.handle)",
        followers: .author.followersCount,
        verified: (.author.verification.verifiedStatus == "valid"),
        is_brand: (.author.did == $brand)
      },
      text: $r.text,
      lang: ($r.langs // [])[0],
      in_reply_to: (if $r.reply then "bluesky:" + $r.reply.parent.uri else null end),
      thread: (if $r.reply then "bluesky:" + $r.reply.root.uri else null end),
      tags: ([features("app.bsky.richtext.facet#tag")[] | .x.tag | ascii_downcase] | once),
      mentions: ([features("app.bsky.richtext.facet#mention")[]
                  | . as $m | ($r.text | bslice($m.f.index.byteStart; $m.f.index.byteEnd))
                  | ltrimstr("@")] | once),
      links: ([features("app.bsky.richtext.facet#link")[] | .x.uri] | once),
      metrics: {likes: .likeCount, reposts: .repostCount, replies: .replyCount, quotes: .quoteCount},
      bluesky: {uri: .uri, cid: .cid, root: (if $r.reply then $r.reply.root else null end)}
    };

# What a thread view holds: its parents, the post, every reply below.
def thread_down: (.post // empty), (.replies[]? | thread_down);
def thread_posts:
  def up: (if .parent then .parent | up else empty end), (.post // empty);
  (.parent | if . then up else empty end), (.post // empty), (.replies[]? | thread_down);
