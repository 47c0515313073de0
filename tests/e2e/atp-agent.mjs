// The official TypeScript client (@atproto/api's AtpAgent, pinned in package-lock.json) against the
// Rust session server of tests/support/session_server.rs (runtime feature `server`): typed errors,
// login, getSession, an expired access token refreshed by the agent, resume, logout.
// Run by tests/atp_agent_e2e.rs with Node 22 from beside node_modules: node atp-agent.mjs URL
import { AtpAgent, ComAtprotoServerCreateSession as CreateSession } from '@atproto/api'

const url = process.argv[2]
const check = (ok, what) => {
  if (!ok) {
    console.error(`atp-agent: FAIL: ${what}`)
    process.exit(1)
  }
  console.log(`atp-agent: ok: ${what}`)
}
const refused = async (promise) => {
  try {
    await promise
  } catch (e) {
    return e
  }
  return null
}

const agent = new AtpAgent({ service: url })
const described = await agent.com.atproto.server.describeServer()
check(described.data.did === 'did:web:localhost', 'describeServer')

let e = await refused(agent.login({ identifier: 'twofa.test', password: 'hunter22' }))
check(e instanceof CreateSession.AuthFactorTokenRequiredError, `AuthFactorTokenRequiredError (${e?.constructor?.name})`)
e = await refused(agent.login({ identifier: 'banned.test', password: 'hunter22' }))
check(e instanceof CreateSession.AccountTakedownError, `AccountTakedownError (${e?.constructor?.name})`)

await agent.login({ identifier: 'twofa.test', password: 'hunter22', authFactorToken: '123456' })
check(agent.session?.handle === 'twofa.test', 'login with an auth factor token')
await agent.login({ identifier: 'alice.test', password: 'hunter22' })
check(agent.session?.did === 'did:plc:alice0000000000000000000', 'login')
const me = await agent.com.atproto.server.getSession()
check(me.data.handle === 'alice.test', 'getSession')

// The server now answers ExpiredToken for every access token issued so far.
await fetch(`${url}/test/expire`, { method: 'POST' })
const stale = agent.session.accessJwt
const again = await agent.com.atproto.server.getSession()
check(again.data.did === me.data.did && agent.session.accessJwt !== stale, 'ExpiredToken: refreshed and retried')

const resumed = new AtpAgent({ service: url })
await resumed.resumeSession(agent.session)
check(resumed.session?.handle === 'alice.test', 'resumeSession')
await resumed.logout()
check(!resumed.session, 'logout (deleteSession)')
e = await refused(new AtpAgent({ service: url }).resumeSession({ ...agent.session, accessJwt: 'nope' }))
check(e !== null, `a bad session does not resume (${e?.error})`)
console.log('atp-agent: OK')
