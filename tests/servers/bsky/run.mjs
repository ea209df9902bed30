// run.mjs - a real Bluesky network for cm's tests: the reference PLC, PDS
// and AppView of @atproto/dev-env on 127.0.0.1, over a throwaway
// PostgreSQL cluster, with a loopback control port through which a test
// makes users, app passwords and posts, waits for the AppView to index
// them, and gets an expired access token.  Run with guard.cjs preloaded
// (node -r), which keeps everything on loopback.
//
// Environment: CM_BSKY_DIR (a folder for its files: "pgdata", then
// "ready" with the URLs, "log"), CM_BSKY_MODULES (the folder holding
// node_modules), CM_BSKY_RATELIMITS=1 (the PDS's rate limits on),
// CM_BSKY_PGTMP (where the cluster goes; TMPDIR, where the PDS keeps its
// data and blobs, may be a private folder).
// It stops on SIGTERM or SIGINT, on POST /stop, or when its parent is
// gone, and removes the cluster.

import { createRequire } from 'node:module'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const dir = process.env.CM_BSKY_DIR
const modules = process.env.CM_BSKY_MODULES
if (!dir || !modules) {
  console.error('run.mjs: CM_BSKY_DIR and CM_BSKY_MODULES must be set')
  process.exit(2)
}
const require = createRequire(path.join(modules, 'node_modules', 'x.js'))
const t0 = Date.now()
const say = (msg) => console.error(`bsky: ${((Date.now() - t0) / 1000).toFixed(2)}s ${msg}`)

// ---- PostgreSQL: a cluster of its own, as the postgres user when root ----

let pgdata = null
const asRoot = process.getuid() === 0
let pgUid = null
let pgGid = null
if (asRoot) {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
  if (r.status !== 0) die('there is no postgres user to run PostgreSQL as')
  pgUid = Number(r.stdout.trim())
  pgGid = Number(g.stdout.trim())
}

function pgBin(name) {
  for (const d of (process.env.PATH || '').split(':')) {
    if (d && fs.existsSync(path.join(d, name))) return path.join(d, name)
  }
  const v = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort().reverse() : []
  for (const x of v) {
    const p = path.join('/usr/lib/postgresql', x, 'bin', name)
    if (fs.existsSync(p)) return p
  }
  die(`${name} not found (PostgreSQL's server, Debian's postgresql)`)
}

function pg(args) {
  const cmd = pgBin(args[0])
  const r = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args.slice(1)], { encoding: 'utf8', cwd: '/' })
    : spawnSync(cmd, args.slice(1), { encoding: 'utf8', cwd: '/' })
  return r
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

async function startPostgres() {
  // outside TMPDIR, which is in the test's scratch, where the postgres
  // user cannot go
  pgdata = fs.mkdtempSync(path.join(process.env.CM_BSKY_PGTMP || os.tmpdir(), 'cm-bsky-pg.'))
  fs.writeFileSync(path.join(dir, 'pgdata'), pgdata + '\n')
  if (asRoot) fs.chownSync(pgdata, pgUid, pgGid)
  fs.chmodSync(pgdata, 0o700)
  const db = path.join(pgdata, 'db')
  let r = pg(['initdb', '-D', db, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8',
    '--locale=C', '--no-sync'])
  if (r.status !== 0) die(`initdb failed: ${r.stderr || r.stdout}`)
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    r = pg(['pg_ctl', '-D', db, '-w', '-t', '60', '-l', path.join(pgdata, 'log'), '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -c fsync=off -c synchronous_commit=off ` +
      `-c full_page_writes=off -c unix_socket_directories=${pgdata} -c max_connections=200`,
    'start'])
    if (r.status === 0) return port
    say(`PostgreSQL did not start on port ${port} (${(r.stderr || '').trim()}), again`)
  }
  die('PostgreSQL did not start')
}

function stopPostgres() {
  if (!pgdata) return
  pg(['pg_ctl', '-D', path.join(pgdata, 'db'), '-m', 'immediate', '-w', 'stop'])
  fs.rmSync(pgdata, { recursive: true, force: true })
  pgdata = null
}

// ---- the network ----

let network = null
let control = null
let stopping = false

async function stop(code) {
  if (stopping) return
  stopping = true
  try { if (control) control.close() } catch {}
  try { if (network) await Promise.race([network.close(), new Promise((r) => setTimeout(r, 10000))]) } catch (e) {
    say(`closing the network: ${e.message}`)
  }
  stopPostgres()
  say('stopped')
  process.exit(code)
}

function die(msg) {
  console.error(`run.mjs: ${msg}`)
  if (!stopping) {
    stopping = true
    try { stopPostgres() } catch {}
  }
  process.exit(1)
}

process.on('SIGTERM', () => stop(0))
process.on('SIGINT', () => stop(0))
process.on('uncaughtException', (e) => { console.error(e); stop(1) })
// The test that started us is gone (killed, without its trap): stop too.
const parent = process.ppid
setInterval(() => { if (process.ppid !== parent) stop(0) }, 500).unref()

const pgPort = await startPostgres()
say(`PostgreSQL on 127.0.0.1:${pgPort}`)
process.env.DB_POSTGRES_URL = `postgresql://postgres@127.0.0.1:${pgPort}/postgres`
// Checked to be set, never used: an address where nothing listens.
process.env.REDIS_HOST = '127.0.0.1:1'

const { TestNetwork } = require('@atproto/dev-env')
const { AtpAgent, RichText } = require('@atproto/api')
const jose = require('jose')

const rateLimits = process.env.CM_BSKY_RATELIMITS === '1'
network = await TestNetwork.create({
  dbPostgresSchema: `cm_${String.fromCharCode(...String(process.pid).split("").map((d) => 97 + Number(d)))}`,
  pds: { rateLimitsEnabled: rateLimits },
})
const loop = (u) => u.replace('//localhost:', '//127.0.0.1:')
const pdsUrl = loop(network.pds.url)
const appviewUrl = loop(network.bsky.url)
say(`PDS ${pdsUrl}, AppView ${appviewUrl}, PLC ${loop(network.plc.url)}`)

// ---- users and posts ----

const users = new Map()	// handle -> { did, handle, password, agent }
const pad = (h) => (h.includes('.') ? h : `${h}.test`)

async function user(handle) {
  const u = users.get(pad(handle))
  if (!u) throw Object.assign(new Error(`no user ${handle}`), { status: 404 })
  return u
}

async function createUser({ handle, name }) {
  handle = pad(handle)
  const password = `pw-${handle}-${Math.random().toString(36).slice(2)}`
  const agent = new AtpAgent({ service: pdsUrl })
  await agent.createAccount({ handle, email: `${handle}@example.test`, password })
  if (name !== undefined) {
    await agent.com.atproto.repo.putRecord({
      repo: agent.session.did, collection: 'app.bsky.actor.profile', rkey: 'self',
      record: { $type: 'app.bsky.actor.profile', displayName: name },
    })
  }
  const u = { did: agent.session.did, handle, password, agent }
  users.set(handle, u)
  await indexed()
  return { did: u.did, handle, password }
}

async function appPassword({ handle, name }) {
  const u = await user(handle)
  const r = await u.agent.com.atproto.server.createAppPassword({ name: name || 'cm' })
  return { password: r.data.password }
}

// The AppView has seen everything the PDS sequenced (the dev-env polls
// the firehose's cursor; no fixed sleep).
async function indexed() {
  await network.processAll(30000)
}

async function getPost(uri) {
  const r = await fetch(`${appviewUrl}/xrpc/app.bsky.feed.getPosts?uris=${encodeURIComponent(uri)}`)
  if (r.status !== 200) return null
  const j = await r.json()
  return j.posts && j.posts[0] ? j.posts[0] : null
}

async function post({ handle, text, reply_to, quote, created_at, langs }) {
  const u = await user(handle)
  const rt = new RichText({ text })
  await rt.detectFacets(u.agent)
  const rec = { $type: 'app.bsky.feed.post', text: rt.text, createdAt: created_at || new Date().toISOString() }
  if (rt.facets && rt.facets.length) rec.facets = rt.facets
  if (langs) rec.langs = langs
  if (reply_to) {
    const parent = await getPost(reply_to)
    if (!parent) throw Object.assign(new Error(`no post ${reply_to}`), { status: 404 })
    const root = parent.record.reply ? parent.record.reply.root : { uri: parent.uri, cid: parent.cid }
    rec.reply = { root, parent: { uri: parent.uri, cid: parent.cid } }
  }
  if (quote) {
    const q = await getPost(quote)
    if (!q) throw Object.assign(new Error(`no post ${quote}`), { status: 404 })
    rec.embed = { $type: 'app.bsky.embed.record', record: { uri: q.uri, cid: q.cid } }
  }
  const r = await u.agent.com.atproto.repo.createRecord({
    repo: u.did, collection: 'app.bsky.feed.post', record: rec,
  })
  await indexed()
  // and the AppView answers with it
  for (let i = 0; i < 200 && !(await getPost(r.data.uri)); i++) await network.processAll(5000)
  return { uri: r.data.uri, cid: r.data.cid }
}

// An access token of the user's, signed with the PDS's secret as the PDS
// signs its own (account-manager/helpers/auth.js), with the app password's
// scope, that expired a minute ago.
async function expiredToken({ handle }) {
  const u = await user(handle)
  const now = Math.floor(Date.now() / 1000)
  const token = await new jose.SignJWT({ scope: 'com.atproto.appPass' })
    .setProtectedHeader({ typ: 'at+jwt', alg: 'HS256' })
    .setAudience(network.pds.ctx.cfg.service.did)
    .setSubject(u.did)
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 60)
    .sign(network.pds.jwtSecretKey())
  return { token }
}

// Spend the PDS's budget for 127.0.0.1: count requests, the last
// answer's RateLimit-* headers returned.
async function burn({ count }) {
  let last = null
  for (let i = 0; i < count; i++) {
    const r = await fetch(`${pdsUrl}/xrpc/com.atproto.server.describeServer`)
    await r.arrayBuffer()
    last = r
  }
  const h = (n) => (last ? last.headers.get(n) : null)
  return {
    limit: h('ratelimit-limit'), remaining: h('ratelimit-remaining'),
    reset: h('ratelimit-reset'), policy: h('ratelimit-policy'),
  }
}

// Try to reach outside: the guard must refuse it (and log it).
async function probe() {
  const out = {}
  try {
    await fetch('http://192.0.2.1/', { signal: AbortSignal.timeout(3000) })
    out.connect = 'connected'
  } catch (e) { out.connect = String((e.cause && e.cause.code) || e.code || e.message) }
  try {
    await (await import('node:dns')).promises.resolveTxt('_atproto.example.com')
    out.resolve = 'resolved'
  } catch (e) { out.resolve = String(e.code || e.message) }
  return out
}

const routes = {
  info: async () => ({ pds: pdsUrl, appview: appviewUrl, plc: loop(network.plc.url), pid: process.pid }),
  user: createUser,
  app_password: appPassword,
  post,
  indexed: async () => { await indexed(); return {} },
  expired_token: expiredToken,
  burn,
  probe,
  stop: async () => { setTimeout(() => stop(0), 10); return {} },
}

control = http.createServer((req, res) => {
  let body = ''
  req.setEncoding('utf8')
  req.on('data', (c) => { body += c })
  req.on('end', async () => {
    const name = (req.url || '').replace(/^\//, '').split('?')[0]
    const f = routes[name]
    let status = 200
    let out
    try {
      if (!f || req.method !== 'POST') throw Object.assign(new Error(`no command ${name}`), { status: 404 })
      out = await f(body ? JSON.parse(body) : {})
    } catch (e) {
      status = e.status || 500
      out = { error: e.message, detail: e.error || null }
      say(`${name}: ${e.stack || e.message}`)
    }
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(out) + '\n')
  })
})
control.listen(0, '127.0.0.1', () => {
  const ready = {
    control: `http://127.0.0.1:${control.address().port}`,
    pds: pdsUrl, appview: appviewUrl, plc: loop(network.plc.url),
    pid: process.pid, pg_port: pgPort, rate_limits: rateLimits,
  }
  fs.writeFileSync(path.join(dir, 'ready.tmp'), JSON.stringify(ready) + '\n')
  fs.renameSync(path.join(dir, 'ready.tmp'), path.join(dir, 'ready'))
  say(`ready: control ${ready.control}`)
})
