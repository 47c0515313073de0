//! Criterion: the 10,000-post repository CAR (`src/car.rs`) decoded by
//! each contender; `table` prints the same contenders with ratios.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lexgen_bench::{car, posts};

fn bench(c: &mut Criterion) {
    let jsonl = posts::jsonl(posts::SEED, posts::POSTS);
    let lines: Vec<&str> = jsonl.lines().collect();
    let bytes = car::repo_car(&lines);
    car::check(&bytes, lines.len());
    let (name, mut contenders) = car::decode_car(&bytes, lines.len());
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.throughput(Throughput::Elements(lines.len() as u64));
    for (contender, round) in contenders.iter_mut() {
        group.bench_function(*contender, |b| b.iter(|| round()));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
