// Start an in-memory PLC directory + the reference PDS on 127.0.0.1 only, via @atproto/dev-env.
// Run by pds.sh with Node >= 22.19. Env: PLC_PORT (2582), PDS_PORT (2583),
// DID_DOC_WITH_SESSION=1 (include didDoc in session responses),
// LEXGEN_E2E_PARENT_PID (exit when that process is gone, so no server outlives its runner).
import net from 'node:net'

// PDS and PLC call app.listen(port) without a host, which binds every interface: force loopback.
const origListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    const cb = args.find((a) => typeof a === 'function')
    return origListen.call(this, { port: Number(args[0]), host: '127.0.0.1' }, cb)
  }
  if (args[0] && typeof args[0] === 'object' && !(args[0] instanceof net.Server) && 'port' in args[0]) {
    args[0] = { ...args[0], host: '127.0.0.1' }
  }
  return origListen.apply(this, args)
}

const t0 = Date.now()
const { TestNetworkNoAppView } = await import('@atproto/dev-env')
const network = await TestNetworkNoAppView.create({
  plc: { port: Number(process.env.PLC_PORT || 2582) },
  pds: {
    port: Number(process.env.PDS_PORT || 2583),
    // Leave didPlcUrl at its default http://localhost:PLC_PORT: an IP literal makes the
    // DID resolver reject it ("Invalid hostname"), so didDoc lookups fail.
    enableDidDocWithSession: process.env.DID_DOC_WITH_SESSION === '1',
  },
})
console.log(`PLC_URL=${network.plc.url}`)
console.log(`PDS_URL=${network.pds.url}`)
console.log(`READY_MS=${Date.now() - t0}`)

let closing = false
const shutdown = async (why) => {
  if (closing) return
  closing = true
  console.log(`shutting down (${why})`)
  const force = setTimeout(() => process.exit(1), 10_000)
  force.unref()
  try { await network.close() } catch (e) { console.error('close error', e) }
  process.exit(0)
}
process.on('SIGINT', () => shutdown('SIGINT'))
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGHUP', () => shutdown('SIGHUP'))

const parent = Number(process.env.LEXGEN_E2E_PARENT_PID || 0)
if (parent > 0) {
  setInterval(() => {
    try { process.kill(parent, 0) } catch { shutdown('parent gone') }
  }, 1000).unref()
}
