// facets.cjs - @atproto/api's own facets of texts, for cm's differential
// test (tests/0755): each line of stdin a JSON string, each line out its
// facets "KIND START END ..." as RichText.detectFacetsWithoutResolution
// finds them, less what cm leaves out on purpose (lib/core/facets.h):
// links without a scheme (bare domains), cashtags, tags after a
// full-width '＃', and a facet that overlaps one before it.  Mentions:
// the client offers for resolution any handle whose last label is a TLD
// of its list (or "test"), cm any handle of valid syntax; a handle that
// is not both resolves to nothing, so the post has no facet for it
// either way: such mentions are dropped from both sides.  With a file
// of cm's facets of the same texts (argument 1), prints those, less
// such mentions, instead.
const fs = require('node:fs')
const path = require('node:path')
const readline = require('node:readline')

const modules = process.env.CM_BSKY_MODULES
const api = path.join(modules, 'node_modules', '@atproto', 'api')
const { RichText } = require(api)
const tlds = require(require.resolve('tlds', { paths: [api] }))
const ours = process.argv[2] ? fs.readFileSync(process.argv[2], 'utf8').split('\n') : null
// atproto's handle syntax (https://atproto.com/specs/handle)
const HANDLE = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/
const tld = new Set(tlds.map((t) => t.toLowerCase()))
const both = (h) => HANDLE.test(h) && h.length <= 253 &&
  (tld.has(h.split('.').pop().toLowerCase()) || h.endsWith('.test'))
let n = 0

const rl = readline.createInterface({ input: process.stdin, terminal: false })
const out = []
rl.on('line', (line) => {
  const text = JSON.parse(line)
  const utf8b = Buffer.from(text, 'utf8')
  if (ours) {
    const f = ours[n++].split(' ')
    const kept = []
    for (let i = 0; i + 2 < f.length; i += 3) {
      const s = Number(f[i + 1]); const e = Number(f[i + 2])
      if (f[i] === 'mention' && !both(utf8b.subarray(s + 1, e).toString('utf8'))) continue
      kept.push(`${f[i]} ${s} ${e}`)
    }
    out.push(kept.join(' '))
    return
  }
  const rt = new RichText({ text })
  rt.detectFacetsWithoutResolution()
  const kept = []
  for (const f of (rt.facets || []).slice().sort((a, b) => a.index.byteStart - b.index.byteStart)) {
    const ft = f.features[0]
    const kind = ft.$type.split('#')[1]
    const covered = utf8b.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8')
    if (kind === 'link' && !/^https?:\/\//i.test(covered)) continue
    if (kind === 'tag' && (ft.tag.startsWith('$') || covered.startsWith('＃'))) continue
    if (kind === 'mention' && !both(covered.slice(1))) continue
    const last = kept[kept.length - 1]
    if (last && f.index.byteStart < last.end) continue
    kept.push({ kind, start: f.index.byteStart, end: f.index.byteEnd })
  }
  out.push(kept.map((k) => `${k.kind} ${k.start} ${k.end}`).join(' '))
})
rl.on('close', () => { process.stdout.write(out.map((l) => l + '\n').join('')) })
