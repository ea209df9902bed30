// guard.cjs - preloaded (node -r) into the Bluesky test network: every
// server listens on 127.0.0.1 only, every outbound connection, DNS query
// and datagram to anything but loopback is refused, and each of these is
// logged to $CM_BSKY_NETLOG, so a test can prove that nothing went out.
// "localhost" is dialled as 127.0.0.1: the dev-env names its servers so,
// and it may resolve to ::1, where nothing listens.
'use strict'

const fs = require('node:fs')
const net = require('node:net')
const dns = require('node:dns')
const dgram = require('node:dgram')
const http = require('node:http')

const logPath = process.env.CM_BSKY_NETLOG
const logFd = logPath ? fs.openSync(logPath, 'a') : -1

function log(line) {
  if (logFd >= 0) fs.writeSync(logFd, `${new Date().toISOString()} ${line}\n`)
}

function isLoopback(host) {
  if (host === undefined || host === null || host === '') return false
  host = String(host).replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host === '::1') return true
  if (host.startsWith('::ffff:')) host = host.slice(7)
  return net.isIPv4(host) && host.startsWith('127.')
}

// listen(port, host, backlog, cb), listen({port, host}, cb), listen(cb),
// listen(path): a TCP listener is made to bind 127.0.0.1.
const origListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  let asked
  if (args.length && typeof args[0] === 'object' && args[0] !== null &&
      !(args[0] instanceof net.Server) && args[0]._handle === undefined) {
    const o = { ...args[0] }
    if (o.path == null) {
      asked = o.host
      if (!isLoopback(o.host)) o.host = '127.0.0.1'
      if (o.ipv6Only) delete o.ipv6Only
    }
    args[0] = o
  } else if (typeof args[0] === 'number' || (typeof args[0] === 'string' &&
             /^\d+$/.test(args[0])) || typeof args[0] === 'function' ||
             args.length === 0) {
    if (typeof args[0] === 'function' || args.length === 0) args.unshift(0)
    if (typeof args[1] === 'string') {
      asked = args[1]
      if (!isLoopback(args[1])) args[1] = '127.0.0.1'
    } else {
      args.splice(1, 0, '127.0.0.1')
    }
  }
  this.once('listening', () => {
    const a = this.address()
    if (a && typeof a === 'object') {
      log(`listen ${a.address}:${a.port} (asked ${asked === undefined ? 'any' : asked})`)
      if (!isLoopback(a.address)) {
        log(`refused listen ${a.address}:${a.port}`)
        this.close()
      }
    }
  })
  // Each HTTP request, for tests that read what the servers answered (no
  // headers: they hold tokens).
  if (this instanceof http.Server) {
    this.on('request', (req, res) => {
      const t = Date.now()
      res.on('finish', () => {
        const a = this.address()
        const path = String(req.url || '').split('?')[0]
        log(`http ${a && a.port} ${req.method} ${path} ${res.statusCode} ` +
            `${Date.now() - t}ms`)
      })
    })
  }
  return origListen.apply(this, args)
}

// connect(options, cb), connect(port, host, cb), connect(path, cb)
const origConnect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  let o = args[0]
  if (Array.isArray(o)) o = o[0] // normalised args from net.connect
  if (o && typeof o === 'object' && o.path == null && o.port !== undefined) {
    const host = o.host === undefined ? 'localhost' : o.host
    if (!isLoopback(host)) {
      log(`refused connect ${host}:${o.port}`)
      const err = Object.assign(new Error(`cm test guard: no connection to ${host}:${o.port}`),
        { code: 'ECONNREFUSED' })
      process.nextTick(() => this.destroy(err))
      return this
    }
    if (host === 'localhost') {
      o.host = '127.0.0.1'
      delete o.family
      if (o.autoSelectFamily) o.autoSelectFamily = false
    }
  } else if (typeof o === 'number' || (typeof o === 'string' && /^\d+$/.test(o))) {
    const host = typeof args[1] === 'string' ? args[1] : 'localhost'
    if (!isLoopback(host)) {
      log(`refused connect ${host}:${o}`)
      const err = Object.assign(new Error(`cm test guard: no connection to ${host}:${o}`),
        { code: 'ECONNREFUSED' })
      process.nextTick(() => this.destroy(err))
      return this
    }
    if (host === 'localhost' || typeof args[1] !== 'string') {
      if (typeof args[1] === 'string') args[1] = '127.0.0.1'
      else args.splice(1, 0, '127.0.0.1')
    }
  }
  return origConnect.apply(this, args)
}

// DNS: names are looked up on this machine only for loopback ones; the
// resolvers (queries sent to a name server) are refused outright.
const origLookup = dns.lookup
dns.lookup = function (host, ...rest) {
  const cb = rest[rest.length - 1]
  if (isLoopback(host)) return origLookup.call(this, '127.0.0.1', ...rest)
  log(`refused lookup ${host}`)
  const err = Object.assign(new Error(`cm test guard: no lookup of ${host}`),
    { code: 'ENOTFOUND', hostname: host })
  process.nextTick(() => cb(err))
  return {}
}
function refuseResolve(name) {
  return function (host, ...rest) {
    log(`refused resolve ${host}`)
    const err = Object.assign(new Error(`cm test guard: no DNS query for ${host}`),
      { code: 'ENOTFOUND', hostname: host })
    const cb = rest[rest.length - 1]
    if (typeof cb === 'function') { process.nextTick(() => cb(err)); return }
    return Promise.reject(err)
  }
}
for (const m of ['resolve', 'resolve4', 'resolve6', 'resolveTxt', 'resolveAny',
  'resolveCname', 'resolveMx', 'resolveNs', 'resolveSrv', 'resolveNaptr',
  'resolvePtr', 'resolveSoa', 'resolveCaa', 'reverse']) {
  if (dns[m]) dns[m] = refuseResolve(m)
  if (dns.Resolver && dns.Resolver.prototype[m]) dns.Resolver.prototype[m] = refuseResolve(m)
  if (dns.promises[m]) dns.promises[m] = refuseResolve(m)
  if (dns.promises.Resolver && dns.promises.Resolver.prototype[m]) {
    dns.promises.Resolver.prototype[m] = refuseResolve(m)
  }
}
const origPLookup = dns.promises.lookup
dns.promises.lookup = function (host, ...rest) {
  if (isLoopback(host)) return origPLookup.call(this, '127.0.0.1', ...rest)
  log(`refused lookup ${host}`)
  return Promise.reject(Object.assign(new Error(`cm test guard: no lookup of ${host}`),
    { code: 'ENOTFOUND', hostname: host }))
}

const origSend = dgram.Socket.prototype.send
dgram.Socket.prototype.send = function (...args) {
  const host = args.find((a, i) => i > 0 && typeof a === 'string')
  if (!isLoopback(host)) {
    log(`refused datagram ${host}`)
    return
  }
  return origSend.apply(this, args)
}

module.exports = { isLoopback, log }
