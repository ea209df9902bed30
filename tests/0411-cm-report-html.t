#!/bin/bash
# cm-report --format html in a real browser: headless Chromium (Debian's
# chromium package) parses the page and renders it to a PNG; the DOM must
# hold the three SVG charts and the tables, and the picture must show the
# charts' colours.  Skipped where Chromium is absent.
. "$(dirname "$0")/lib.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	echo "1..0 # SKIP no chromium"
	exit 0
fi

# chrome ARGS...: headless Chromium, isolated and offline, with a time limit.
chrome() {
	profile=$(mktemp -d "$SCRATCH/profile.XXXXXX")
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$profile" --window-size=1200,2000 "$@" 2> chrome.err
}

# pixels PNG R G B: how many pixels of PNG are within 24 of colour R G B
# (a small PNG decoder: 8-bit RGB or RGBA, not interlaced).
pixels() {
	python3 - "$@" <<'PY'
import struct, sys, zlib
path, want = sys.argv[1], [int(x) for x in sys.argv[2:5]]
data = open(path, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        assert depth == 8 and ctype in (2, 6) and interlace == 0, "PNG kind"
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
bpp = 3 if ctype == 2 else 4
raw, stride, prev, count = zlib.decompress(idat), w * bpp, None, 0
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    up = prev or bytearray(stride)
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = up[i], (up[i - bpp] if i >= bpp else 0)
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        if all(abs(line[x + k] - want[k]) <= 24 for k in range(3)):
            count += 1
    prev = line
print(count)
PY
}

cm-fetch --end "$DEMO_END" demo:2000 > demo.ndjson
cm-report --now "$DEMO_END" --format html demo.ndjson > report.html

ok "Chromium parses the page (--dump-dom)" eval 'chrome --dump-dom "file://$SCRATCH/report.html" > dom.html && contains dom.html "<h1>Community report</h1>"'
ok "the DOM holds the three charts as SVG" eval '
	for id in volume-0 sentiment-0 response-0; do grep -q "<svg class=\"chart\" id=\"$id\"" dom.html || { echo "no $id"; exit 1; }; done'
ok "the volume chart has a bar per day, inbound and brand" eval '
	[ "$(grep -o "<rect class=\"inb\"" dom.html | wc -l)" -ge 14 ] && [ "$(grep -o "<rect class=\"brd\"" dom.html | wc -l)" -ge 14 ]'
ok "the response-time chart has calendar and business bars" eval '
	[ "$(grep -oE "<rect class=\"cal\"[^>]*><title>" dom.html | wc -l)" -eq 6 ] &&
	[ "$(grep -oE "<rect class=\"biz\"[^>]*><title>" dom.html | wc -l)" -eq 6 ]'
ok "the tables and definitions are in the DOM" eval '
	contains dom.html "<details id=\"response_times\" open=\"\">" && contains dom.html "<dt>first_response_time</dt>"'
ok "Chromium renders a screenshot" eval 'chrome --screenshot="$SCRATCH/shot.png" "file://$SCRATCH/report.html" > /dev/null && [ -s shot.png ]'
ok "an empty page renders for comparison" eval '
	echo "<!DOCTYPE html><title>x</title>" > blank.html && chrome --screenshot="$SCRATCH/blank.png" "file://$SCRATCH/blank.html" > /dev/null && [ -s blank.png ]'
ok "the screenshot is not blank" eval '[ "$(stat -c %s shot.png)" -gt $((10 * $(stat -c %s blank.png))) ]'
if command -v python3 > /dev/null; then
	ok "the screenshot shows the inbound bars (blue)" eval 'n=$(pixels shot.png 59 111 216) && echo "$n pixels" && [ "$n" -gt 5000 ]'
	ok "the screenshot shows the brand bars (orange)" eval 'n=$(pixels shot.png 240 140 46) && echo "$n pixels" && [ "$n" -gt 2000 ]'
	ok "the screenshot shows the business-hours bars (green)" eval 'n=$(pixels shot.png 46 168 118) && echo "$n pixels" && [ "$n" -gt 500 ]'
	ok "the empty page has none of them" eval '[ "$(pixels blank.png 59 111 216)" -eq 0 ]'
else
	for t in "inbound bars" "brand bars" "business-hours bars" "empty page"; do
		skip "the screenshot shows the $t" "no python3 to decode the PNG"
	done
fi

done_testing
