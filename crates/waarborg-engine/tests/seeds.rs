#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The five seed organisations' demo datasets (examples/<org>/: policy.toml by the policy
//! engineer, datasets.toml + <org>.sql written here with synthetic people): access, erasure,
//! rectification and a sweep run on each, on SQLite and MariaDB.

mod common;

use common::*;
use waarborg_engine::{Datasets, Engine, EraseOptions, Subject, SweepOptions, run_script};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/");

#[tokio::test]
async fn every_seed_organisation_runs() {
    seeds_run(Kind::Sqlite).await;
}

#[tokio::test]
async fn every_seed_organisation_runs_on_mariadb() {
    seeds_run(Kind::Maria).await;
}

async fn seeds_run(kind: Kind) {
    for s in SEEDS {
        let dir = format!("{EXAMPLES}{}/", s.org);
        let db = new_db(kind).await;
        run_script(
            &db.url,
            &std::fs::read_to_string(format!("{dir}{}.sql", s.org)).unwrap(),
        )
        .await
        .unwrap();
        let ds = Datasets::load(std::path::Path::new(&format!("{dir}datasets.toml"))).unwrap();
        let reg = waarborg_policy::load_file(format!("{dir}policy.toml"))
            .unwrap_or_else(|e| panic!("{}: {e}", s.org));
        ds.check_register(&reg)
            .unwrap_or_else(|e| panic!("{}: {e}", s.org));
        let engine = Engine::connect(&ds, &[(s.db.into(), db.url.clone())])
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", s.org));
        // Every table with a foreign key into a table that is deleted from is described.
        assert_eq!(engine.undescribed_foreign_keys(), Vec::new(), "{}", s.org);

        let a = Subject::new("email", s.erase);
        let report = engine.access(&a).await.unwrap();
        assert!(
            report.total_rows >= 2,
            "{}: access found {}",
            s.org,
            report.total_rows
        );

        let opts = EraseOptions {
            now: Some(now()),
            hash_key: Some(b"seed".to_vec()),
            ..EraseOptions::default()
        };
        let cert = engine
            .erase(&a, Some(&reg), &opts)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", s.org));
        assert_eq!(cert.remaining_changes, 0, "{}", s.org);
        assert!(
            cert.tables
                .iter()
                .any(|t| t.deleted + t.masked + t.kept > 0),
            "{}",
            s.org
        );

        let b = Subject::new("email", s.rectify);
        let cert = engine
            .rectify(&b, &[(s.set.0.into(), s.set.1.into())], &opts)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", s.org));
        assert_eq!(
            cert.tables.iter().map(|t| t.rectified).sum::<u64>(),
            1,
            "{}",
            s.org
        );

        let rep = engine
            .sweep(
                &reg,
                now(),
                &SweepOptions {
                    hash_key: Some(b"seed".to_vec()),
                    ..SweepOptions::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", s.org));
        let touched: u64 = rep.rules.iter().map(|r| r.deleted + r.anonymised).sum();
        assert!(touched > 0, "{}: the sweep found nothing: {rep:?}", s.org);
    }
}
