//! Ratios that hold on a busy machine: the contenders of each comparison run
//! in alternating rounds (so load changes hit all of them alike), and the
//! medians of the per-round times and of the per-round ratios to the first
//! contender are reported.

use std::hint::black_box;
use std::time::Instant;

/// The median (upper, for an even count) of `v`.
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One timed round of a contender: nanoseconds per operation.
pub type Round<'a> = Box<dyn FnMut() -> f64 + 'a>;

/// A round of `batch` runs of `run` on inputs made by `setup` beforehand;
/// outputs are dropped after the clock stops.
pub fn batched<'a, I: 'a, O>(
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

/// A contender's result: median ns/op and median ratio to the first.
#[derive(Debug, Clone)]
pub struct Figure {
    pub name: String,
    pub ns: f64,
    pub ratio: f64,
}

/// Runs the contenders in `rounds` alternating rounds (after two warm-up
/// rounds).
pub fn compare(rounds: usize, contenders: &mut [(&str, Round<'_>)]) -> Vec<Figure> {
    let n = contenders.len();
    let mut times = vec![Vec::with_capacity(rounds); n];
    for round in 0..rounds + 2 {
        for (i, (_, f)) in contenders.iter_mut().enumerate() {
            let t = f();
            if round >= 2 {
                times[i].push(t);
            }
        }
    }
    (0..n)
        .map(|i| Figure {
            name: contenders[i].0.to_string(),
            ns: median(times[i].clone()),
            ratio: median(
                times[i]
                    .iter()
                    .zip(&times[0])
                    .map(|(t, base)| t / base)
                    .collect(),
            ),
        })
        .collect()
}

/// Prints figures as ratios.rs always has: ns/op and the ratio to the first.
pub fn print(name: &str, figures: &[Figure]) {
    println!("{name}");
    for f in figures {
        println!(
            "  {:<8} {:>9.1} ns/op   x{:.2} of {}",
            f.name, f.ns, f.ratio, figures[0].name
        );
    }
}
