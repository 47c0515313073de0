//! Deserializing the createSession output of the seed example into our
//! validated `Output`, atrium-api's `Output`, and a plain serde struct of
//! `String`s (no validation: the floor).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lexgen_bench::{PlainOutput, CREATE_SESSION_OUTPUT};
use std::hint::black_box;

type Ours = atproto_types::com::atproto::server::create_session::Output;
type Atrium = atrium_api::com::atproto::server::create_session::Output;

fn bench(c: &mut Criterion) {
    let json = CREATE_SESSION_OUTPUT;
    // All three read the same data.
    let ours: Ours = serde_json::from_str(json).expect("ours");
    let atrium: Atrium = serde_json::from_str(json).expect("atrium");
    let plain: PlainOutput = serde_json::from_str(json).expect("plain");
    assert_eq!(ours.handle.as_str(), plain.handle);
    assert_eq!(atrium.handle.as_str(), plain.handle);
    assert!(ours.did_doc.is_some() && atrium.did_doc.is_some() && plain.did_doc.is_some());

    let mut g = c.benchmark_group("create_session");
    g.throughput(Throughput::Bytes(json.len() as u64));
    g.bench_function("lexgen", |b| {
        b.iter(|| serde_json::from_str::<Ours>(black_box(json)).expect("valid"))
    });
    g.bench_function("atrium", |b| {
        b.iter(|| serde_json::from_str::<Atrium>(black_box(json)).expect("valid"))
    });
    g.bench_function("plain", |b| {
        b.iter(|| serde_json::from_str::<PlainOutput>(black_box(json)).expect("valid"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
