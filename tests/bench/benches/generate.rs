//! lexgen on the whole corpus of `lexicons/`: parse, resolve, emit and
//! render every file in memory (no disk writes).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut config = atproto_lexgen::Config::new();
    config.lexicons(lexgen_bench::lexicons_dir());
    let files = config.render().expect("the corpus generates");
    assert!(files.len() > 259, "{} files", files.len());

    let mut g = c.benchmark_group("generate");
    g.sample_size(10);
    g.bench_function("corpus", |b| {
        b.iter(|| black_box(config.render().expect("generates")).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
