//! The load generator of the XRPC benchmark, the same for every server:
//! `--connections` keep-alive HTTP/1.1 connections, each sending
//! `GET <path>` with a bearer token back to back (one request in flight per
//! connection) for `--duration` seconds, counting 2xx answers. Rounds
//! alternate between the targets (the first target starts odd rounds, the
//! last even ones); prints the median requests/s of each, the ratio to the
//! first, and each server's peak memory (`VmHWM` of `/proc/<pid>/status`)
//! as a markdown table.
//!
//! Usage: xrpc-load [--connections N] [--duration SECS] [--rounds R]
//!        [--path P] [--token T] NAME=HOST:PORT:PID...
//!
//! Plain `std` threads and sockets: no async runtime of its own to favour
//! either server, and nothing to install.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Target {
    name: String,
    addr: String,
    pid: u32,
    rates: Vec<f64>,
}

struct Options {
    connections: usize,
    duration: Duration,
    rounds: usize,
    request: Arc<Vec<u8>>,
    targets: Vec<Target>,
}

fn main() {
    let options = match parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("xrpc-load: {e}");
            std::process::exit(2);
        }
    };
    let Options {
        connections,
        duration,
        rounds,
        request,
        mut targets,
    } = options;
    // Warm-up (JIT, connection pools, allocator), not counted.
    for target in &targets {
        let (ok, bad) = load(&target.addr, &request, connections, Duration::from_secs(2));
        eprintln!("warm-up {}: {ok} ok, {bad} not 2xx", target.name);
        if ok == 0 {
            eprintln!("xrpc-load: {} answered no 2xx", target.name);
            std::process::exit(1);
        }
    }
    for round in 0..rounds {
        let order: Vec<usize> = match round % 2 {
            0 => (0..targets.len()).collect(),
            _ => (0..targets.len()).rev().collect(),
        };
        for i in order {
            let target = &mut targets[i];
            let (ok, bad) = load(&target.addr, &request, connections, duration);
            let rate = ok as f64 / duration.as_secs_f64();
            eprintln!(
                "round {}: {} {rate:.0} req/s ({bad} not 2xx)",
                round + 1,
                target.name
            );
            target.rates.push(rate);
        }
    }
    print_table(&mut targets, connections, duration, rounds);
}

fn print_table(targets: &mut [Target], connections: usize, duration: Duration, rounds: usize) {
    println!(
        "\n`getSession` on loopback, {connections} keep-alive connections, {rounds} alternating rounds of {} s each (medians):\n",
        duration.as_secs()
    );
    println!("| server | req/s (median) | min–max | vs first | peak RSS (VmHWM) |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let first = median(&mut targets[0].rates.clone());
    for target in targets.iter_mut() {
        let mut rates = target.rates.clone();
        let med = median(&mut rates);
        let (min, max) = (rates[0], rates[rates.len() - 1]);
        println!(
            "| {} | {med:.0} | {min:.0}–{max:.0} | {:.2}x | {} |",
            target.name,
            med / first,
            peak_rss(target.pid)
        );
    }
}

/// Sorts `v` and returns its median.
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n % 2 {
        1 => v[n / 2],
        _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// `VmHWM` of a process, as `/proc` writes it (`12345 kB` → `12.1 MiB`).
fn peak_rss(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    match kb {
        Some(kb) => format!("{:.1} MiB", kb / 1024.0),
        None => "?".into(),
    }
}

/// Runs `connections` connections against `addr` for `duration`: (2xx
/// answers, other answers).
fn load(addr: &str, request: &Arc<Vec<u8>>, connections: usize, duration: Duration) -> (u64, u64) {
    let ok = Arc::new(AtomicU64::new(0));
    let bad = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + duration;
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (addr, request) = (addr.to_owned(), request.clone());
            let (ok, bad) = (ok.clone(), bad.clone());
            std::thread::spawn(move || {
                let (mut n_ok, mut n_bad) = (0, 0);
                while Instant::now() < deadline {
                    let _ = connection(&addr, &request, deadline, &mut n_ok, &mut n_bad);
                }
                ok.fetch_add(n_ok, Ordering::Relaxed);
                bad.fetch_add(n_bad, Ordering::Relaxed);
            })
        })
        .collect();
    for w in workers {
        w.join().expect("load thread");
    }
    (ok.load(Ordering::Relaxed), bad.load(Ordering::Relaxed))
}

/// One connection, used until the deadline or until it fails.
fn connection(
    addr: &str,
    request: &[u8],
    deadline: Instant,
    ok: &mut u64,
    bad: &mut u64,
) -> std::io::Result<()> {
    let stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut sink = Vec::new();
    while Instant::now() < deadline {
        writer.write_all(request)?;
        let status = response(&mut reader, &mut line, &mut sink)?;
        match status {
            200..=299 => *ok += 1,
            _ => *bad += 1,
        }
    }
    Ok(())
}

fn invalid(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned())
}

/// Reads one response (content-length or chunked body); returns its status.
fn response(
    reader: &mut BufReader<TcpStream>,
    line: &mut String,
    sink: &mut Vec<u8>,
) -> std::io::Result<u16> {
    line.clear();
    if reader.read_line(line)? == 0 {
        return Err(invalid("connection closed"));
    }
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("status line"))?;
    let (mut length, mut chunked) = (0usize, false);
    loop {
        line.clear();
        if reader.read_line(line)? == 0 {
            return Err(invalid("connection closed in headers"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').ok_or_else(|| invalid("header"))?;
        if name.eq_ignore_ascii_case("content-length") {
            length = value
                .trim()
                .parse()
                .map_err(|_| invalid("content-length"))?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        }
    }
    if !chunked {
        sink.resize(length, 0);
        reader.read_exact(sink)?;
        return Ok(status);
    }
    loop {
        line.clear();
        reader.read_line(line)?;
        let size = usize::from_str_radix(line.trim_end().split(';').next().unwrap_or(""), 16)
            .map_err(|_| invalid("chunk size"))?;
        if size == 0 {
            // Trailers, then the empty line.
            loop {
                line.clear();
                reader.read_line(line)?;
                if line.trim_end().is_empty() {
                    return Ok(status);
                }
            }
        }
        sink.resize(size + 2, 0);
        reader.read_exact(sink)?;
    }
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let (mut connections, mut duration, mut rounds) = (32usize, 5u64, 5usize);
    let mut path = "/xrpc/com.atproto.server.getSession".to_owned();
    let mut token = "bench-token".to_owned();
    let mut targets = Vec::new();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--connections" => connections = num(&value("--connections")?)?,
            "--duration" => duration = num(&value("--duration")?)?,
            "--rounds" => rounds = num(&value("--rounds")?)?,
            "--path" => path = value("--path")?,
            "--token" => token = value("--token")?,
            target => {
                let (name, rest) = target
                    .split_once('=')
                    .ok_or(format!("expected NAME=HOST:PORT:PID, got {target:?}"))?;
                let (addr, pid) = rest
                    .rsplit_once(':')
                    .ok_or(format!("expected NAME=HOST:PORT:PID, got {target:?}"))?;
                targets.push(Target {
                    name: name.to_owned(),
                    addr: addr.to_owned(),
                    pid: num(pid)?,
                    rates: Vec::new(),
                });
            }
        }
    }
    if targets.is_empty() || connections == 0 || duration == 0 || rounds == 0 {
        return Err("usage: xrpc-load [--connections N] [--duration SECS] [--rounds R] [--path P] [--token T] NAME=HOST:PORT:PID...".into());
    }
    let host = targets[0].addr.clone();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n\r\n"
    );
    Ok(Options {
        connections,
        duration: Duration::from_secs(duration),
        rounds,
        request: Arc::new(request.into_bytes()),
        targets,
    })
}

fn num<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("not a number: {s:?}"))
}
