#!/bin/bash
# The HTML report's count axes (volume, response times) have whole, round
# ticks: 0, step, 2 step, ... with a step of 1, 2 or 5 times a power of
# ten, the top tick the first at or above the largest bar, and bars drawn
# to the same scale; a chart with nothing to count has no ticks.  Read
# from the SVG of the page.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/report
F="cm-report --now $DEMO_END -f html"

# axes PAGE [TICKS]: checks every count chart of PAGE; with TICKS (like
# "0 50 100 150"), the ticks of the first volume chart are those.
axes() {
	python3 - "$@" <<'PY'
import math, re, sys
import xml.etree.ElementTree as ET
page = open(sys.argv[1], encoding="utf-8").read()
want = sys.argv[2] if len(sys.argv) > 2 else None
NS = "{http://www.w3.org/2000/svg}"
ML, MT, MB, H = 56, 16, 40, 240
bad, charts = [], 0
for m in re.finditer(r'<svg class="chart" id="(volume|response)-[0-9]+".*?</svg>', page, re.S):
    name = re.search(r'id="([^"]+)"', m.group(0)).group(1)
    try:
        svg = ET.fromstring(m.group(0))
    except ET.ParseError as e:
        bad.append("%s: not well-formed SVG: %s" % (name, e))
        svg = ET.fromstring(re.sub(r"<title><", "<title>&lt;", m.group(0)))
    charts += 1
    labels = [t for t in svg.iter(NS + "text") if t.get("x") == str(ML - 6)]
    grid = [l for l in svg.iter(NS + "line") if l.get("class") == "grid"]
    if m.group(1) == "volume":
        heights = []
        for g in svg.iter(NS + "g"):
            t = g.find(NS + "title")
            if t is None or "inbound" not in (t.text or ""):
                continue
            n = [int(x) for x in re.findall(r"([0-9]+) (?:inbound|brand)", t.text)]
            h = sum(float(r.get("height")) for r in g.iter(NS + "rect"))
            heights.append((sum(n), h))
    else:
        heights = [(int(re.search(r": ([0-9]+)$", r.find(NS + "title").text).group(1)),
                    float(r.get("height"))) for r in svg.iter(NS + "rect")
                   if r.get("class") in ("cal", "biz") and r.find(NS + "title") is not None]
    top = max([n for n, _ in heights] or [0])
    ticks = [t.text for t in labels]
    if want and name.startswith("volume") and " ".join(ticks) != want:
        bad.append("%s: ticks %s, wanted %s" % (name, ticks, want))
        want = None
    if top == 0:
        if labels or grid:
            bad.append("%s: nothing to count, but ticks %s" % (name, ticks))
        continue
    if not all(re.fullmatch(r"[0-9]+", t) for t in ticks):
        bad.append("%s: ticks not whole: %s" % (name, ticks))
        continue
    v = [int(t) for t in ticks]
    step = v[1] - v[0] if len(v) > 1 else 0
    mant = step / 10 ** int(math.log10(step)) if step > 0 else 0
    if (v[0] != 0 or len(v) < 2 or len(v) > 5 or mant not in (1, 2, 5) or
            any(b - a != step for a, b in zip(v, v[1:]))):
        bad.append("%s: ticks %s are not 0 and steps of 1, 2 or 5 x 10^k (max %d)" % (name, v, top))
        continue
    if not (v[-1] >= top > v[-1] - step):
        bad.append("%s: top tick %d for a largest count of %d" % (name, v[-1], top))
    if len(grid) != len(v):
        bad.append("%s: %d grid lines for %d ticks" % (name, len(grid), len(v)))
    for t, l in zip(labels, grid):
        y = H - MB - (H - MT - MB) * int(t.text) / v[-1]
        if abs(float(l.get("y1")) - y) > 0.06:
            bad.append("%s: tick %s at %s, not %.1f" % (name, t.text, l.get("y1"), y))
    for n, h in heights:
        if abs(h - (H - MT - MB) * n / v[-1]) > 0.051:     # %.1f rounds
            bad.append("%s: a bar of %d is %.2f high, not to the axis' scale" % (name, n, h))
            break
if charts == 0:
    bad.append("no count charts in the page")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
}

# day N: N inbound records on 2026-11-20, each answered 10 minutes later.
day() {
	python3 - "$1" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    t = "2026-11-20T%02d:%02d:00Z" % (8 + i // 60 % 12, i % 60)
    r = "2026-11-20T%02d:%02d:00Z" % (8 + (i + 10) // 60 % 12, (i + 10) % 60)
    print(json.dumps({"id": "in%d" % i, "created_at": t, "author": {"handle": "u%d" % i, "is_brand": False}}))
    print(json.dumps({"id": "re%d" % i, "in_reply_to": "in%d" % i, "created_at": r, "author": {"handle": "acme", "is_brand": True}}))
PY
}

cm-fetch --end "$DEMO_END" demo:3000 > demo.ndjson
ok "demo: the count axes have round ticks" eval '$F demo.ndjson > d.html && axes d.html'
ok "demo by platform and by hour: round ticks in every chart" eval '
	$F --by platform demo.ndjson > p.html && axes p.html && $F -i hour demo.ndjson > h.html && axes h.html'
ok "small counts: whole ticks (0 1 2 3 4, never 0.5)" eval '$F "$R/basic.ndjson" > b.html && axes b.html "0 1 2 3 4"'
ok "one record and its reply: 0 1 2" eval 'day 1 > one.ndjson && $F one.ndjson > one.html && axes one.html "0 1 2"'
ok "25 records and replies in a day: 0 20 40 60 (50 bars)" eval 'day 25 > d25.ndjson && $F d25.ndjson > d25.html && axes d25.html "0 20 40 60"'
ok "75 records and replies: 0 50 100 150, not 12.5 or 37.5" eval 'day 75 > d75.ndjson && $F d75.ndjson > d75.html && axes d75.html "0 50 100 150" && lacks d75.html ">37.5<"'
ok "demo:200 and demo:20000: still round" eval '
	cm-fetch --end "$DEMO_END" demo:200 | $F > s.html && axes s.html &&
	cm-fetch --end "$DEMO_END" demo:20000 | $F > l.html && axes l.html'
ok "an empty report: no chart has ticks" eval '
	: | $F > e.html && axes e.html && ! grep -q "class=\"grid\"" e.html'
ok "records but no answers: the response chart has no ticks" eval '
	$F "$R/inbound.ndjson" > i.html && axes i.html'

done_testing
