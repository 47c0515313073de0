//! Parsing handles and DIDs from owned `String`s: our byte-level checks
//! (`atproto_types::formats`) against atrium-api's regex-based newtypes.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use lexgen_bench::{DIDS, HANDLES};
use std::hint::black_box;

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

// Each routine turns the owned `String`s into values in place (same layout:
// no allocation) and returns them, so that freeing them is not timed.

fn bench_handles(c: &mut Criterion) {
    for h in HANDLES {
        assert!(
            atproto_types::formats::Handle::new(h).is_ok(),
            "ours rejects {h}"
        );
        assert!(
            atrium_api::types::string::Handle::new(h.to_owned()).is_ok(),
            "atrium rejects {h}"
        );
    }
    let mut g = c.benchmark_group("handle");
    g.throughput(Throughput::Elements(HANDLES.len() as u64));
    g.bench_function("lexgen", |b| {
        b.iter_batched(
            || owned(&HANDLES),
            |list| {
                list.into_iter()
                    .map(|s| atproto_types::formats::Handle::new(black_box(s)).expect("valid"))
                    .collect::<Vec<_>>()
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("atrium", |b| {
        b.iter_batched(
            || owned(&HANDLES),
            |list| {
                list.into_iter()
                    .map(|s| atrium_api::types::string::Handle::new(black_box(s)).expect("valid"))
                    .collect::<Vec<_>>()
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn bench_dids(c: &mut Criterion) {
    for d in DIDS {
        assert!(
            atproto_types::formats::Did::new(d).is_ok(),
            "ours rejects {d}"
        );
        assert!(
            atrium_api::types::string::Did::new(d.to_owned()).is_ok(),
            "atrium rejects {d}"
        );
    }
    let mut g = c.benchmark_group("did");
    g.throughput(Throughput::Elements(DIDS.len() as u64));
    g.bench_function("lexgen", |b| {
        b.iter_batched(
            || owned(&DIDS),
            |list| {
                list.into_iter()
                    .map(|s| atproto_types::formats::Did::new(black_box(s)).expect("valid"))
                    .collect::<Vec<_>>()
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("atrium", |b| {
        b.iter_batched(
            || owned(&DIDS),
            |list| {
                list.into_iter()
                    .map(|s| atrium_api::types::string::Did::new(black_box(s)).expect("valid"))
                    .collect::<Vec<_>>()
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench_handles, bench_dids);
criterion_main!(benches);
