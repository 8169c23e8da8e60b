#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The demo shop (examples/demo: policy.toml, datasets.toml, demo.sql) on SQLite, PostgreSQL and
//! MariaDB:
//! the register from the policy crate drives access, erasure with the fiscal hold, and a sweep.

mod common;

use common::*;
use waarborg_engine::{
    Datasets, Engine, EraseOptions, Lang, Policy, Subject, SweepOptions, art15_info, run_script,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/demo/");

async fn demo(kind: Kind) -> (Db, Engine, Policy) {
    let db = new_db(kind).await;
    let sql = std::fs::read_to_string(format!("{DIR}demo.sql")).unwrap();
    run_script(&db.url, &sql).await.unwrap();
    let ds = Datasets::load(std::path::Path::new(&format!("{DIR}datasets.toml"))).unwrap();
    let reg = waarborg_policy::load_file(format!("{DIR}policy.toml")).unwrap();
    ds.check_register(&reg).unwrap();
    let engine = Engine::connect(&ds, &[("shop".into(), db.url.clone())])
        .await
        .unwrap();
    assert_eq!(engine.undescribed_foreign_keys(), Vec::new());
    (db, engine, reg)
}

async fn demo_runs(kind: Kind) {
    let (db, engine, reg) = demo(kind).await;
    let sanne = Subject::new("email", "sanne.devries@example.nl");
    let report = engine.access(&sanne).await.unwrap();
    let n = |t: &str| {
        report
            .tables
            .iter()
            .find(|x| x.table == t)
            .map_or(0, |x| x.rows.len())
    };
    assert_eq!(n("customers"), 1);
    assert_eq!(n("orders"), 3);
    assert_eq!(n("order_lines"), 3);
    assert_eq!(n("invoices"), 3);
    assert_eq!(n("newsletter_subscriptions"), 1);
    assert_eq!(n("support_tickets"), 2);
    assert_eq!(n("analytics_events"), 2);
    let info = art15_info(Some(&reg), &report, Lang::Nl);
    assert_eq!(info.controller, "Voorbeeld Webwinkel B.V.");
    assert!(info.purposes.iter().any(|p| p.id == "invoices"));
    assert!(
        info.recipients
            .iter()
            .any(|r| r.contains("Belastingdienst"))
    );
    assert!(info.retention.iter().any(|r| {
        r.starts_with("Facturen en boekhouding: wij bewaren ze 7 jaar na de factuurdatum.")
    }));

    let opts = EraseOptions {
        now: Some(now()),
        hash_key: Some(b"demo-key".to_vec()),
        ..EraseOptions::default()
    };
    let cert = engine.erase(&sanne, Some(&reg), &opts).await.unwrap();
    let t = |name: &str| {
        cert.tables
            .iter()
            .find(|x| x.table == name)
            .unwrap()
            .clone()
    };
    // 2019 invoice: the 7 years have passed -> masked; 2022 and 2026 -> kept under the hold.
    assert_eq!(t("invoices").kept, 2);
    assert_eq!(t("invoices").masked, 1);
    assert_eq!(cert.scheduled[0].not_before, "2033-09-28");
    assert_eq!(t("support_tickets").deleted, 2);
    assert_eq!(t("newsletter_subscriptions").deleted, 1);
    assert_eq!(t("analytics_events").deleted, 2);
    assert_eq!(
        t("customers").masked,
        1,
        "still referenced by the kept orders"
    );
    assert_eq!(cert.remaining_changes, 0);
    let inv = rows(&db, "SELECT CAST(id AS TEXT), COALESCE(customer_name, '-'), COALESCE(iban, '-'), customer_email FROM invoices WHERE order_id IN (101, 102, 103) ORDER BY id").await;
    assert!(inv[0].starts_with("1001|-|-|"), "{inv:?}");
    assert!(
        inv[1].starts_with("1002|Sanne de Vries|NL00BANK0123456789|"),
        "fiscal data kept: {inv:?}"
    );
    assert!(
        !inv[1].contains("sanne.devries@"),
        "the e-mail is not needed for the duty"
    );
    // Daan is untouched.
    assert_eq!(
        rows(&db, "SELECT name FROM customers WHERE id = 2").await,
        vec!["Daan Bakker"]
    );

    let rep = engine
        .sweep(
            &reg,
            now(),
            &SweepOptions {
                hash_key: Some(b"demo-key".to_vec()),
                ..SweepOptions::default()
            },
        )
        .await
        .unwrap();
    let r = |rule: &str| rep.rules.iter().find(|x| x.rule == rule).unwrap().clone();
    assert_eq!(r("customers-after-last-contact").deleted, 1, "Lucas");
    assert_eq!(
        r("customers-after-last-contact").skipped,
        1,
        "Emma's order references her"
    );
    assert_eq!(r("newsletter-until-withdrawn").deleted, 1);
    assert_eq!(
        r("customer-service-1y").deleted,
        1,
        "ticket 3 (ticket 2 went with Sanne)"
    );
    assert_eq!(r("analytics-14m").deleted, 1);
    assert_eq!(r("invoices-7y").expired, 1);
    assert_eq!(
        r("orders-anonymised").anonymised,
        1,
        "Emma's 2023 order; Sanne's were erased"
    );
}

#[tokio::test]
async fn demo_on_sqlite() {
    demo_runs(Kind::Sqlite).await;
}

#[tokio::test]
async fn demo_on_postgres() {
    demo_runs(Kind::Pg).await;
}

#[tokio::test]
async fn demo_on_mariadb() {
    demo_runs(Kind::Maria).await;
}
