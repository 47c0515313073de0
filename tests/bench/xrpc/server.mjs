// The TypeScript side of the XRPC benchmark (tests/bench/xrpc.sh): the
// official @atproto/xrpc-server (pinned by tests/e2e/package-lock.json)
// answering com.atproto.server.getSession on 127.0.0.1 with the same session
// as the Rust server, after the same bearer-token check. Responses are not
// validated, as in the PDS outside dev mode (and the Rust router in release
// builds). Prints PORT=<port> once listening.
// Usage: node server.mjs lexicons/com/atproto/server/getSession.json
import fs from 'node:fs'
import http from 'node:http'
import { AuthRequiredError, createServer } from '@atproto/xrpc-server'

const TOKEN = 'bench-token'
const lexicon = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const session = {
  handle: 'bench.test',
  did: 'did:plc:ewvi7nxzyoun6zhxrhs64oiz',
  email: 'bench@example.com',
  emailConfirmed: true,
  active: true,
}

const server = createServer([lexicon], { validateResponse: false })
server.method('com.atproto.server.getSession', {
  auth: async ({ req }) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      throw new AuthRequiredError('Invalid bearer token')
    }
    return { credentials: { did: session.did } }
  },
  handler: async () => ({ encoding: 'application/json', body: session }),
})

const httpServer = http.createServer(server.router)
httpServer.keepAliveTimeout = 60_000
httpServer.listen(0, '127.0.0.1', () => {
  console.log(`PORT=${httpServer.address().port}`)
})
