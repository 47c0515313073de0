// Signature vectors from the official @atproto/crypto (pinned through @atproto/pds in
// package-lock.json), for the runtime's `crypto` tests: for each curve, fresh keys sign messages,
// and each case records what @atproto/crypto's verifySignature says of it (`valid`), including
// the cases it refuses (high-S, DER, another key, a changed message).
// Run with Node 22 from beside node_modules:
//   see tests/e2e/README.md ("Signature vectors")
import * as crypto from '@atproto/crypto'
import { p256 } from '@noble/curves/p256'
import { secp256k1 } from '@noble/curves/secp256k1'
import { signCommit, verifyCommitSig } from '@atproto/repo'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'

const b64 = (bytes) => Buffer.from(bytes).toString('base64')
const cases = []
const add = async (comment, did, message, sig) => {
  // It throws on some malformed signatures (a DER one's length): invalid too.
  const valid = await crypto.verifySignature(did, message, sig).catch(() => false)
  cases.push({ comment, didKey: did, messageBase64: b64(message), signatureBase64: b64(sig), valid })
}
for (const [name, Keypair, curve] of [
  ['P-256', crypto.P256Keypair, p256],
  ['secp256k1', crypto.Secp256k1Keypair, secp256k1],
]) {
  const key = await Keypair.create({ exportable: true })
  const other = await Keypair.create({ exportable: true })
  for (const text of ['', 'hello', 'a longer message, with commas and ✨'.repeat(3)]) {
    const message = new TextEncoder().encode(text)
    const sig = await key.sign(message)
    await add(`${name}: signed by the key (${message.length} bytes)`, key.did(), message, sig)
    await add(`${name}: another key`, other.did(), message, sig)
    const changed = new Uint8Array([...message, 0x21])
    await add(`${name}: the message changed`, key.did(), changed, sig)
    // The same signature with s -> n - s: valid maths, refused as malleable.
    const parsed = curve.Signature.fromCompact(sig)
    const high = new curve.Signature(parsed.r, curve.CURVE.n - parsed.s)
    await add(`${name}: high-S form of a good signature`, key.did(), message, high.toCompactRawBytes())
    await add(`${name}: DER form of a good signature`, key.did(), message, parsed.toDERRawBytes())
  }
}
// Repository commits, signed and judged by @atproto/repo (signCommit, verifyCommitSig).
const commits = []
for (const [name, Keypair] of [['P-256', crypto.P256Keypair], ['secp256k1', crypto.Secp256k1Keypair]]) {
  const key = await Keypair.create({ exportable: true })
  const unsigned = {
    did: 'did:plc:ewvi7nxzyoun6zhxrhs64oiz',
    version: 3,
    data: CID.parse('bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm'),
    rev: '3jzfcijpj2z2a',
    prev: null,
  }
  const commit = await signCommit(unsigned, key)
  const valid = await verifyCommitSig(commit, key.did())
  commits.push({ comment: `${name}: a commit signed by @atproto/repo`, didKey: key.did(), commitBase64: b64(dagCbor.encode(commit)), valid })
}

import { readFileSync } from 'node:fs'
const version = JSON.parse(readFileSync(new URL('./node_modules/@atproto/crypto/package.json', import.meta.url))).version
console.log(JSON.stringify({ source: `@atproto/crypto ${version}`, cases, commits }, null, 1))
