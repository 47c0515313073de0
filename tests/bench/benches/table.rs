//! Every figure of the issue in one markdown table: generation and `check`
//! (the lexgen binary, as processes), then the run-time cases of
//! `src/cases.rs` (handles, DIDs, createSession, the 10,000-post workload
//! decoded and serialized). Each case runs its contenders in alternating
//! rounds; the table gives medians and the median per-round ratio to
//! lexgen. Run it through `tests/bench/run.sh`, which builds the release
//! `lexgen` first and passes it in `LEXGEN_BIN`.

use lexgen_bench::rounds::{compare, Figure, Round};
use lexgen_bench::{car, cases, posts, DIDS, HANDLES};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const ROUNDS: usize = 21;
const PROCESS_ROUNDS: usize = 11;
/// A round decodes a whole 10,000-record CAR (tens of ms).
const CAR_ROUNDS: usize = 11;

/// A round running `lexgen` with `args` in `dir` (a fresh output directory
/// each time for `generate`): nanoseconds of wall time.
fn process<'a>(bin: &'a Path, root: &'a Path, args: &'a [&'a str], fresh_out: bool) -> Round<'a> {
    Box::new(move || {
        let out = std::env::temp_dir().join(format!("lexgen-bench-out-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let mut cmd = Command::new(bin);
        cmd.current_dir(root)
            .args(args)
            .stdout(std::process::Stdio::null());
        if fresh_out {
            cmd.arg("--out").arg(&out);
        }
        let start = Instant::now();
        let status = cmd.status().expect("lexgen runs");
        let elapsed = start.elapsed();
        assert!(status.success(), "lexgen {args:?} failed: {status}");
        let _ = std::fs::remove_dir_all(&out);
        elapsed.as_nanos() as f64
    })
}

fn row(case: &str, f: &Figure, unit: &str) {
    let (value, per_sec) = match unit {
        "ms" => (format!("{:.1} ms", f.ns / 1e6), String::new()),
        "record" => (
            format!("{:.0} ns", f.ns),
            format!(" ({:.0}k/s)", 1e6 / f.ns),
        ),
        _ => (format!("{:.1} ns", f.ns), String::new()),
    };
    println!(
        "| {case} | {} | {value}{per_sec} | {:.2}x |",
        f.name, f.ratio
    );
}

fn table(case: &str, figures: &[Figure], unit: &str) {
    for (i, f) in figures.iter().enumerate() {
        row(if i == 0 { case } else { "" }, f, unit);
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin = std::env::var_os("LEXGEN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/lexgen"));

    println!("| case | contender | median | time / lexgen's (per-round median) |");
    println!("| --- | --- | ---: | ---: |");
    if bin.exists() {
        let generate = ["generate", "--lexicons", "lexicons"];
        let check = ["check", "--runtime-path", "codegen/runtime"];
        let figures = compare(
            PROCESS_ROUNDS,
            &mut [("lexgen", process(&bin, &root, &generate, true))],
        );
        table(
            "`lexgen generate`, whole corpus, fresh out dir",
            &figures,
            "ms",
        );
        println!("| | atrium lexgen | skipped: atrium's `atrium-codegen` is not published on crates.io | |");
        let figures = compare(
            PROCESS_ROUNDS,
            &mut [("lexgen", process(&bin, &root, &check, false))],
        );
        table("`lexgen check`, unchanged `generated/`", &figures, "ms");
    } else {
        println!(
            "| generation | | skipped: no lexgen binary at {} | |",
            bin.display()
        );
    }

    for (case, mut contenders) in [
        cases::handles(&HANDLES),
        cases::dids(&DIDS),
        cases::create_session(),
    ] {
        table(case, &compare(ROUNDS, &mut contenders), "ns");
    }
    let jsonl = posts::jsonl(posts::SEED, posts::POSTS);
    let lines: Vec<&str> = jsonl.lines().collect();
    let (case, mut contenders) = cases::decode_posts(&lines);
    table(case, &compare(ROUNDS, &mut contenders), "record");
    let decoded = cases::Decoded::new(&lines);
    let (case, mut contenders) = cases::serialize_posts(&decoded);
    table(case, &compare(ROUNDS, &mut contenders), "record");
    let car = car::repo_car(&lines);
    car::check(&car, lines.len());
    let (case, mut contenders) = car::decode_car(&car, lines.len());
    table(case, &compare(CAR_ROUNDS, &mut contenders), "record");
}
