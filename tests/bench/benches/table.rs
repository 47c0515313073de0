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

/// What a process round measures.
#[derive(Clone, Copy)]
enum Clock {
    Wall,
    /// User + system CPU of the child, from this process's `cutime` and
    /// `cstime` (/proc/self/stat, in clock ticks of 10 ms).
    Cpu,
}

/// CPU time of the reaped children so far, in nanoseconds.
fn children_cpu_ns() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // Fields after the command name, which is in parentheses: state is the
    // 3rd field overall, cutime the 16th and cstime the 17th.
    let rest = &stat[stat.rfind(')').expect("stat has a comm") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields[13].parse::<f64>().unwrap() + fields[14].parse::<f64>().unwrap();
    ticks * 1e7
}

/// A round running `bin` with `args` in `root`: nanoseconds of wall or CPU
/// time. With `out`, a fresh output directory is passed each time, after
/// the flag it names (`""`: as the last positional argument).
fn process<'a>(
    bin: &'a Path,
    root: &'a Path,
    args: &'a [&'a str],
    out: Option<&'a str>,
    clock: Clock,
) -> Round<'a> {
    Box::new(move || {
        let dir = std::env::temp_dir().join(format!("lexgen-bench-out-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut cmd = Command::new(bin);
        cmd.current_dir(root)
            .args(args)
            .stdout(std::process::Stdio::null());
        match out {
            Some("") => {
                cmd.arg(&dir);
            }
            Some(flag) => {
                cmd.arg(flag).arg(&dir);
            }
            None => {}
        }
        let (start, cpu) = (Instant::now(), children_cpu_ns());
        let status = cmd.status().expect("the generator runs");
        let (wall, cpu) = (start.elapsed().as_nanos() as f64, children_cpu_ns() - cpu);
        assert!(
            status.success(),
            "{} {args:?} failed: {status}",
            bin.display()
        );
        let _ = std::fs::remove_dir_all(&dir);
        match clock {
            Clock::Wall => wall,
            Clock::Cpu => cpu,
        }
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
    // `cargo bench --bench table -- posts`: only the cases whose name
    // contains the filter (while iterating on one figure).
    let filter = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let wanted = |case: &str| filter.as_deref().map_or(true, |f| case.contains(f));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin = std::env::var_os("LEXGEN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/lexgen"));

    println!("| case | contender | median | time / lexgen's (per-round median) |");
    println!("| --- | --- | ---: | ---: |");
    if !wanted("`lexgen generate`") {
        // Filtered out.
    } else if bin.exists() {
        let generate = ["generate", "--lexicons", "lexicons"];
        let check = ["check", "--runtime-path", "codegen/runtime"];
        // jacquard's generator, built by run.sh beside the benches.
        let jacquard = bin
            .parent()
            .map(|dir| dir.join("jacquard_codegen"))
            .filter(|p| p.exists());
        let jacquard_args = ["lexicons"];
        for (clock, case) in [
            (Clock::Wall, "`generate`, whole corpus, fresh out dir: wall"),
            (Clock::Cpu, "`generate`, whole corpus, fresh out dir: CPU"),
        ] {
            let mut contenders = vec![(
                "lexgen",
                process(&bin, &root, &generate, Some("--out"), clock),
            )];
            if let Some(jq) = &jacquard {
                contenders.push((
                    "jacquard-lexicon",
                    process(jq, &root, &jacquard_args, Some(""), clock),
                ));
            }
            table(case, &compare(PROCESS_ROUNDS, &mut contenders), "ms");
        }
        if jacquard.is_none() {
            println!("| | jacquard-lexicon | skipped: no `jacquard_codegen` beside lexgen (run.sh builds it) | |");
        }
        println!("| | atrium lexgen | skipped: atrium's `atrium-codegen` is not published on crates.io | |");
        let figures = compare(
            PROCESS_ROUNDS,
            &mut [("lexgen", process(&bin, &root, &check, None, Clock::Wall))],
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
        if wanted(case) {
            table(case, &compare(ROUNDS, &mut contenders), "ns");
        }
    }
    let jsonl = posts::jsonl(posts::SEED, posts::POSTS);
    let lines: Vec<&str> = jsonl.lines().collect();
    let (case, mut contenders) = cases::decode_posts(&lines);
    if wanted(case) {
        table(case, &compare(ROUNDS, &mut contenders), "record");
    }
    let decoded = cases::Decoded::new(&lines);
    let (case, mut contenders) = cases::serialize_posts(&decoded);
    if wanted(case) {
        table(case, &compare(ROUNDS, &mut contenders), "record");
    }
    let car = car::repo_car(&lines);
    car::check(&car, lines.len());
    let (case, mut contenders) = car::decode_car(&car, lines.len());
    if wanted(case) {
        table(case, &compare(CAR_ROUNDS, &mut contenders), "record");
    }
}
