#!/bin/sh
# One command, one table: builds the release lexgen and the benches, then
# prints every figure (generation, check, formats, createSession, the
# 10,000-post workload decoded and serialized) as one markdown table of
# medians and ratios from alternating rounds. Run from anywhere. The
# release profile (not bench) shares the build of `cargo build --release`.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release -q -p atproto-lexgen
# The peer generator, jacquard-lexicon's, beside it (target/release).
cargo build --release -q --manifest-path tests/bench/Cargo.toml --bin jacquard_codegen
LEXGEN_BIN="$CARGO_TARGET_DIR/release/lexgen" \
    cargo bench -q --profile release --manifest-path tests/bench/Cargo.toml --bench table
# Then the XRPC server table (Rust XrpcRouter vs @atproto/xrpc-server, about
# 90 s; it says SKIPPED without the e2e harness's Node): tests/bench/xrpc.sh.
tests/bench/xrpc.sh
