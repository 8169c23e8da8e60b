//! Case events and audit appends per second on SQLite and PostgreSQL.
//!
//! `cargo bench -p waarborg-store --bench store` (PostgreSQL: the test server of
//! `waarborg-testkit`, `WAARBORG_TEST_PG_URL`). Every measured operation is one committed
//! transaction holding an event and its audit entry (SQLite: WAL, synchronous=FULL).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use waarborg_store::{CaseKind, Identity, NewCase, Store};

fn subject() -> Identity {
    Identity::parse_pairs(["customer_id=42"]).unwrap()
}

fn bench_backend(c: &mut Criterion, name: &str, rt: &tokio::runtime::Runtime, url: &str) {
    let store = rt.block_on(Store::open(url)).unwrap();
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(1));
    g.bench_function("audit_append", |b| {
        b.iter(|| {
            rt.block_on(store.append_engine_run(
                "bench",
                &"ab".repeat(32),
                &serde_json::json!({"n": 1}),
            ))
            .unwrap()
        })
    });
    g.bench_function("case_event_open", |b| {
        b.iter(|| {
            rt.block_on(store.open_case(NewCase::new(CaseKind::Access, subject())))
                .unwrap()
        })
    });
    // A transition of an existing case: verify a freshly opened case (the opening is setup).
    g.bench_function("case_event_transition", |b| {
        b.iter_batched(
            || {
                rt.block_on(store.open_case(NewCase::new(CaseKind::Access, subject())))
                    .unwrap()
                    .id
            },
            |id| rt.block_on(store.verify_case(&id, "bench")).unwrap(),
            criterion::BatchSize::SmallInput,
        )
    });
    // Four concurrent writers (own pools, as separate processes): appends per second overall.
    let writers: Vec<Store> = (0..4)
        .map(|_| rt.block_on(Store::open(url)).unwrap())
        .collect();
    g.throughput(Throughput::Elements(4 * 8));
    g.bench_function("audit_append_4_writers", |b| {
        b.iter(|| {
            rt.block_on(async {
                let hs: Vec<_> = writers
                    .iter()
                    .cloned()
                    .map(|s| {
                        tokio::spawn(async move {
                            for _ in 0..8 {
                                s.append_engine_run(
                                    "bench",
                                    &"ab".repeat(32),
                                    &serde_json::json!({}),
                                )
                                .await
                                .unwrap();
                            }
                        })
                    })
                    .collect();
                for h in hs {
                    h.await.unwrap();
                }
            })
        })
    });
    g.finish();
    let report = rt.block_on(store.verify_audit()).unwrap();
    assert!(report.ok(), "{report:?}");
    eprintln!("{name}: chain of {} entries verifies", report.entries);
}

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bench.db");
    bench_backend(c, "sqlite", &rt, file.to_str().unwrap());
    let pg = rt
        .block_on(waarborg_testkit::PgTestDb::create())
        .expect("the test PostgreSQL server must run");
    bench_backend(c, "postgres", &rt, pg.url());
}

criterion_group! {
    name = store;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(store);
