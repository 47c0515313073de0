// Installs lexicons with the reference tool, @atproto/lex's installer, for
// tests/lifecycle_e2e.rs: node lex-install.mjs LEXICONS MANIFEST PLC_URL AT-URI...
// (The `lex` CLI cannot be pointed at a local PLC directory; its library can.)
// Run from target/e2e/, where node_modules is.
import { install } from '@atproto/lex-installer'

const [lexicons, manifest, plcDirectoryUrl, ...add] = process.argv.slice(2)
await install({ lexicons, manifest, add, save: true, plcDirectoryUrl })
