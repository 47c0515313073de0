//! Ratios that hold on a busy machine: the contenders of each comparison run
//! in alternating rounds (so load changes hit all of them alike), and the
//! medians of the per-round times and ratios are reported. Criterion's
//! figures (the other benches) are per contender, measured one after the
//! other.

use lexgen_bench::{PlainOutput, CREATE_SESSION_OUTPUT, DIDS, HANDLES};
use std::hint::black_box;
use std::time::Instant;

type Ours = atproto_types::com::atproto::server::create_session::Output;
type Atrium = atrium_api::com::atproto::server::create_session::Output;

const ROUNDS: usize = 41;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One timed round of a contender: nanoseconds per operation.
type Round<'a> = Box<dyn FnMut() -> f64 + 'a>;

/// A round of `batch` runs of `run` on inputs made by `setup` beforehand;
/// outputs are dropped after the clock stops.
fn batched<'a, I: 'a, O>(
    batch: usize,
    ops: usize,
    mut setup: impl FnMut() -> I + 'a,
    mut run: impl FnMut(I) -> O + 'a,
) -> Round<'a> {
    Box::new(move || {
        let inputs: Vec<I> = (0..batch).map(|_| setup()).collect();
        let mut outputs = Vec::with_capacity(batch);
        let start = Instant::now();
        for input in inputs {
            outputs.push(run(black_box(input)));
        }
        let elapsed = start.elapsed();
        drop(black_box(outputs));
        elapsed.as_nanos() as f64 / (batch * ops) as f64
    })
}

/// Runs the contenders in alternating rounds; prints medians and the
/// median ratio of each contender to the first.
fn compare(name: &str, contenders: &mut [(&str, Round<'_>)]) {
    let n = contenders.len();
    let mut times = vec![Vec::with_capacity(ROUNDS); n];
    for round in 0..ROUNDS + 2 {
        for (i, (_, f)) in contenders.iter_mut().enumerate() {
            let t = f();
            if round >= 2 {
                times[i].push(t); // the first two rounds warm up
            }
        }
    }
    println!("{name}");
    for i in 0..n {
        let ratios: Vec<f64> = times[i]
            .iter()
            .zip(&times[0])
            .map(|(t, base)| t / base)
            .collect();
        println!(
            "  {:<8} {:>9.1} ns/op   x{:.2} of {}",
            contenders[i].0,
            median(times[i].clone()),
            median(ratios),
            contenders[0].0
        );
    }
}

/// A round parsing the list from owned `String`s with `parse`.
fn parse_list<'a, T: 'a>(list: &'a [&'a str], parse: fn(String) -> T) -> Round<'a> {
    batched(
        20_000,
        list.len(),
        move || {
            list.iter()
                .map(|s| (*s).to_owned())
                .collect::<Vec<String>>()
        },
        move |strings| strings.into_iter().map(parse).collect::<Vec<T>>(),
    )
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    compare(
        "handle (8 mixed, from owned Strings)",
        &mut [
            (
                "lexgen",
                parse_list(&HANDLES, |s| {
                    atproto_types::formats::Handle::new(s).expect("valid")
                }),
            ),
            (
                "atrium",
                parse_list(&HANDLES, |s| {
                    atrium_api::types::string::Handle::new(s).expect("valid")
                }),
            ),
            ("floor", parse_list(&HANDLES, |s| s)),
        ],
    );
    compare(
        "did (8 mixed, from owned Strings)",
        &mut [
            (
                "lexgen",
                parse_list(&DIDS, |s| {
                    atproto_types::formats::Did::new(s).expect("valid")
                }),
            ),
            (
                "atrium",
                parse_list(&DIDS, |s| {
                    atrium_api::types::string::Did::new(s).expect("valid")
                }),
            ),
            ("floor", parse_list(&DIDS, |s| s)),
        ],
    );
    let json = CREATE_SESSION_OUTPUT;
    let de = |f: fn(&str) -> Box<dyn std::any::Any>| batched(2_000, 1, || json, f);
    compare(
        "createSession output (deserialize)",
        &mut [
            (
                "lexgen",
                de(|j| Box::new(serde_json::from_str::<Ours>(j).expect("valid"))),
            ),
            (
                "atrium",
                de(|j| Box::new(serde_json::from_str::<Atrium>(j).expect("valid"))),
            ),
            (
                "plain",
                de(|j| Box::new(serde_json::from_str::<PlainOutput>(j).expect("valid"))),
            ),
        ],
    );
}
