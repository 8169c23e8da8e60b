//! The whole reader pipeline (ingest → structure → facts → problems → summary) on text input,
//! reported as throughput in bytes per second (one thread, so the figure is per core).
//!
//! Input: the team's own fixtures, concatenated and repeated to about 1 MiB, plus one realistic
//! privacy statement of about 20 KiB. Run with
//! `cargo bench -p waarborg-reader --bench pipeline -- --warm-up-time 1 --measurement-time 5`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/corpus.rs"]
mod corpus;

fn bench(c: &mut Criterion) {
    let big = corpus::corpus_of(1 << 20);
    let small = corpus::corpus_of(20 << 10);
    // warm the lazily compiled lexicons
    let _ = waarborg_reader::read_bytes("warm.txt", small.as_bytes(), None);
    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10);
    for (name, input) in [("20KiB", &small), ("1MiB", &big)] {
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| waarborg_reader::read_bytes("bench.txt", input.as_bytes(), None).unwrap());
        });
    }
    g.finish();
    // the problem detectors alone, on the normalised text
    let mut g = c.benchmark_group("problems");
    g.sample_size(10);
    for (name, input) in [("20KiB", &small), ("1MiB", &big)] {
        let doc = waarborg_reader::ingest::ingest("bench.txt", input.as_bytes(), None).unwrap();
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| waarborg_reader::problems::detect_text(&doc.text, &Default::default()));
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
