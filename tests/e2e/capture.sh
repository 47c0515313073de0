#!/usr/bin/env bash
# Capture real responses of the reference PDS into tests/e2e/captured/ (see README.md).
#
#   tests/e2e/capture.sh            # starts the PDS through pds.sh and captures
#
# Each NAME.json holds one response body, pretty-printed; index.json lists every call in order
# with its method, NSID, query, request body, HTTP status and content type (a call whose body
# is empty has "file": null). DIDs, CIDs, revs, JWTs and timestamps differ on every run.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ "${1:-}" != --inner ]]; then
  exec "$HERE/pds.sh" bash "$HERE/capture.sh" --inner
fi

: "${LEXGEN_PDS_URL:?run through pds.sh}" "${LEXGEN_E2E_NODE:?run through pds.sh}"
OUT=$HERE/captured
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT"
: >"$WORK/index.jsonl"

# get FILE EXPR: evaluate a JS expression over the JSON in FILE (bound to `r`), print the result
get() { "$LEXGEN_E2E_NODE" -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const v = eval(process.argv[2]); console.log(typeof v === "string" ? v : JSON.stringify(v))' "$1" "$2"; }

# call NAME METHOD NSID [--auth TOKEN] [--query QS] [--json BODY | --file PATH TYPE]
call() {
  local name=$1 method=$2 nsid=$3
  shift 3
  local auth='' query='' body='' file='' type='' meta
  while (($#)); do
    case $1 in
      --auth) auth=$2; shift 2 ;;
      --query) query=$2; shift 2 ;;
      --json) body=$2; shift 2 ;;
      --file) file=$2; type=$3; shift 3 ;;
      *) echo "call: bad argument $1" >&2; return 2 ;;
    esac
  done
  local args=(-s --noproxy '*' -X "$method" -o "$WORK/body" -w '%{http_code} %{content_type}')
  [[ -n $auth ]] && args+=(-H "authorization: Bearer $auth")
  [[ -n $body ]] && args+=(-H 'content-type: application/json' --data-binary "$body")
  [[ -n $file ]] && args+=(-H "content-type: $type" --data-binary "@$file")
  : >"$WORK/body"
  meta=$(curl "${args[@]}" "$LEXGEN_PDS_URL/xrpc/$nsid${query:+?$query}")
  "$LEXGEN_E2E_NODE" -e '
    const fs = require("fs")
    const [name, method, nsid, query, body, file, type, auth, meta, bodyPath, out, index] = process.argv.slice(1)
    const sp = meta.indexOf(" ")
    const status = meta.slice(0, sp), contentType = meta.slice(sp + 1) || null
    const raw = fs.readFileSync(bodyPath, "utf8")
    let saved = null
    if (raw.length) {
      fs.writeFileSync(`${out}/${name}.json`, JSON.stringify(JSON.parse(raw), null, 2) + "\n")
      saved = `${name}.json`
    }
    const entry = { name, method, nsid, query: query || null,
      request: body ? JSON.parse(body) : file ? { contentType: type, bytes: fs.statSync(file).size } : null,
      auth: auth || null, status: Number(status), contentType, file: saved }
    fs.appendFileSync(index, JSON.stringify(entry) + "\n")
    console.error(`${status} ${method} ${nsid} -> ${saved ?? "(empty body)"}`)
  ' "$name" "$method" "$nsid" "$query" "$body" "$file" "$type" "${auth:+${auth_label:-bearer}}" "$meta" \
    "$WORK/body" "$OUT" "$WORK/index.jsonl"
  cp "$WORK/body" "$WORK/last"
}

handle=alice.test email=alice@example.com password=hunter22
now() { date -u +%Y-%m-%dT%H:%M:%S.000Z; }

call describeServer GET com.atproto.server.describeServer
call createAccount POST com.atproto.server.createAccount \
  --json "{\"handle\":\"$handle\",\"email\":\"$email\",\"password\":\"$password\"}"
did=$(get "$WORK/last" r.did)

call createSession.byHandle POST com.atproto.server.createSession \
  --json "{\"identifier\":\"$handle\",\"password\":\"$password\"}"
call createSession.byEmail POST com.atproto.server.createSession \
  --json "{\"identifier\":\"$email\",\"password\":\"$password\"}"
access=$(get "$WORK/last" r.accessJwt) refresh=$(get "$WORK/last" r.refreshJwt)
call createSession.wrongPassword POST com.atproto.server.createSession \
  --json "{\"identifier\":\"$handle\",\"password\":\"wrong-password\"}"

auth_label=accessJwt call getSession GET com.atproto.server.getSession --auth "$access"
call getSession.noAuth GET com.atproto.server.getSession
auth_label=refreshJwt call refreshSession POST com.atproto.server.refreshSession --auth "$refresh"
access=$(get "$WORK/last" r.accessJwt) refresh=$(get "$WORK/last" r.refreshJwt)

auth_label=accessJwt call createRecord.post POST com.atproto.repo.createRecord --auth "$access" \
  --json "{\"repo\":\"$did\",\"collection\":\"app.bsky.feed.post\",\"record\":{\"\$type\":\"app.bsky.feed.post\",\"text\":\"hello from lexgen\",\"langs\":[\"en\"],\"createdAt\":\"$(now)\"}}"
post1_uri=$(get "$WORK/last" r.uri)
post1_rkey=${post1_uri##*/}

# 1x1 RGBA PNG, 70 bytes
printf 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' |
  base64 -d >"$WORK/avatar.png"
auth_label=accessJwt call uploadBlob.png POST com.atproto.repo.uploadBlob --auth "$access" \
  --file "$WORK/avatar.png" image/png
blob=$(get "$WORK/last" r.blob)

auth_label=accessJwt call putRecord.profile POST com.atproto.repo.putRecord --auth "$access" \
  --json "{\"repo\":\"$did\",\"collection\":\"app.bsky.actor.profile\",\"rkey\":\"self\",\"record\":{\"\$type\":\"app.bsky.actor.profile\",\"displayName\":\"Alice\",\"description\":\"Test account for lexgen\",\"avatar\":$blob,\"createdAt\":\"$(now)\"}}"
call getRecord.profile GET com.atproto.repo.getRecord \
  --query "repo=$did&collection=app.bsky.actor.profile&rkey=self"
call getRecord.post GET com.atproto.repo.getRecord \
  --query "repo=$did&collection=app.bsky.feed.post&rkey=$post1_rkey"
call getRecord.missing GET com.atproto.repo.getRecord \
  --query "repo=$did&collection=app.bsky.feed.post&rkey=doesnotexist"
call listRecords.post GET com.atproto.repo.listRecords \
  --query "repo=$did&collection=app.bsky.feed.post&limit=10"

auth_label=accessJwt call applyWrites POST com.atproto.repo.applyWrites --auth "$access" \
  --json "{\"repo\":\"$did\",\"writes\":[
    {\"\$type\":\"com.atproto.repo.applyWrites#create\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"3lexgenapply2\",\"value\":{\"\$type\":\"app.bsky.feed.post\",\"text\":\"second post, via applyWrites\",\"createdAt\":\"$(now)\"}},
    {\"\$type\":\"com.atproto.repo.applyWrites#update\",\"collection\":\"app.bsky.actor.profile\",\"rkey\":\"self\",\"value\":{\"\$type\":\"app.bsky.actor.profile\",\"displayName\":\"Alice (updated)\",\"avatar\":$blob}},
    {\"\$type\":\"com.atproto.repo.applyWrites#delete\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"$post1_rkey\"}]}"
call describeRepo GET com.atproto.repo.describeRepo --query "repo=$did"
auth_label=accessJwt call deleteRecord POST com.atproto.repo.deleteRecord --auth "$access" \
  --json "{\"repo\":\"$did\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"3lexgenapply2\"}"
call listRecords.afterDelete GET com.atproto.repo.listRecords \
  --query "repo=$did&collection=app.bsky.feed.post"

auth_label=refreshJwt call deleteSession POST com.atproto.server.deleteSession --auth "$refresh"
auth_label=accessJwt call getSession.afterDeleteSession GET com.atproto.server.getSession --auth "$access"
auth_label=refreshJwt call refreshSession.afterDeleteSession POST com.atproto.server.refreshSession --auth "$refresh"

"$LEXGEN_E2E_NODE" -e '
  const fs = require("fs")
  const path = require("path")
  const calls = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l))
  const modules = path.resolve(path.dirname(process.execPath), "../..")
  const version = (p) => JSON.parse(fs.readFileSync(`${modules}/${p}/package.json`, "utf8")).version
  const server = { pds: version("@atproto/pds"), devEnv: version("@atproto/dev-env"), node: process.version }
  fs.writeFileSync(process.argv[2], JSON.stringify({ server, calls }, null, 2) + "\n")
' "$WORK/index.jsonl" "$OUT/index.json"
echo "captured $(ls "$OUT" | wc -l) files into $OUT"
