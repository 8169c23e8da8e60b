#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Regression tests for the engine's boundary and constraints (issue "The engine must never
//! touch another person"), each on SQLite, PostgreSQL and MariaDB: self-references and shared tables,
//! identities as people type them, masking under UNIQUE, cycles of foreign keys, rectification
//! of personal data only, the hold's text, the sweep's blocked rows, connection errors.

mod common;

use common::*;
use waarborg_engine::{Datasets, Engine, EngineError, EraseOptions, Subject, SweepOptions};

fn ds(text: &str, db: &Db) -> Datasets {
    let mut d = Datasets::from_toml(text).unwrap();
    d.bind(&[("s".into(), db.url.clone())]).unwrap();
    d
}

fn opts() -> EraseOptions {
    EraseOptions {
        now: Some(now()),
        hash_key: Some(b"k".to_vec()),
        ..EraseOptions::default()
    }
}

fn dry() -> EraseOptions {
    EraseOptions {
        dry_run: true,
        ..opts()
    }
}

// ------------------------------------------------------------------ self-references and shared

const CLUB: &str = "
CREATE TABLE member (id INTEGER PRIMARY KEY, email VARCHAR(100), name VARCHAR(100), referred_by INTEGER REFERENCES member(id), branch_id INTEGER);
CREATE TABLE branch (id INTEGER PRIMARY KEY, city VARCHAR(100), manager VARCHAR(100));
CREATE TABLE product (id INTEGER PRIMARY KEY, name VARCHAR(100));
CREATE TABLE orders (id INTEGER PRIMARY KEY, member_id INTEGER, product_id INTEGER, note VARCHAR(100));
CREATE TABLE review (id INTEGER PRIMARY KEY, product_id INTEGER, member_id INTEGER, body VARCHAR(200));
INSERT INTO branch VALUES (1, 'Utrecht', 'Els Bos');
INSERT INTO product VALUES (1, 'Racket');
INSERT INTO product VALUES (2, 'Ballen');
INSERT INTO member VALUES (1, 'klaas@example.nl', 'Klaas', NULL, 1);
INSERT INTO member VALUES (2, 'jan@example.nl', 'Jan', 1, 1);
INSERT INTO member VALUES (3, 'piet@example.nl', 'Piet', 2, 1);
INSERT INTO orders VALUES (10, 2, 1, 'jan bestelt');
INSERT INTO orders VALUES (11, 3, 1, 'piet bestelt');
INSERT INTO orders VALUES (12, 3, 2, 'piet nog eens');
INSERT INTO review VALUES (20, 1, 2, 'jan vindt het goed');
INSERT INTO review VALUES (21, 1, 3, 'piet niet');
";

/// Every reference followed both ways, as `datasets scan` used to propose them.
const CLUB_DATASETS: &str = r#"
[databases.s.tables.member]
columns = { id = "user.unique_id", email = { category = "user.contact.email", identity = "email" }, name = "user.name", referred_by = "user.unique_id", branch_id = "system.operations" }
references = [{ column = "referred_by", to = "member.id" }, { column = "branch_id", to = "branch.id" }]
[databases.s.tables.branch]
columns = { id = "system.operations", city = "system.operations", manager = "user.name" }
[databases.s.tables.product]
columns = { id = "system.operations", name = "system.operations" }
[databases.s.tables.orders]
columns = { id = "system.operations", member_id = "user.unique_id", product_id = "system.operations", note = "user.content" }
references = [{ column = "member_id", to = "member.id" }, { column = "product_id", to = "product.id" }]
[databases.s.tables.review]
columns = { id = "system.operations", product_id = "system.operations", member_id = "user.unique_id", body = "user.content" }
references = [{ column = "product_id", to = "product.id" }, { column = "member_id", to = "member.id" }]
"#;

async fn club_state(db: &Db) -> Vec<String> {
    let mut out = Vec::new();
    for q in [
        "SELECT CAST(id AS TEXT), email, name FROM member WHERE id <> 2 ORDER BY id",
        "SELECT CAST(id AS TEXT), city, manager FROM branch ORDER BY id",
        "SELECT CAST(id AS TEXT), name FROM product ORDER BY id",
        "SELECT CAST(id AS TEXT), note FROM orders WHERE id <> 10 ORDER BY id",
        "SELECT CAST(id AS TEXT), body FROM review WHERE id <> 20 ORDER BY id",
    ] {
        out.extend(rows(db, q).await);
    }
    out
}

async fn walk_stays_with_the_person(kind: Kind) {
    let db = new_db(kind).await;
    exec(&db, CLUB).await;
    let engine = Engine::connect(&ds(CLUB_DATASETS, &db), &[]).await.unwrap();
    let jan = Subject::new("email", "jan@example.nl");
    let report = engine.access(&jan).await.unwrap();
    let ids = |t: &str| -> Vec<i64> {
        report
            .tables
            .iter()
            .find(|x| x.table == t)
            .map(|x| x.rows.iter().map(|r| r["id"].as_i64().unwrap()).collect())
            .unwrap_or_default()
    };
    // Not Klaas (who referred Jan), not Piet (whom Jan referred), not Piet's orders and
    // reviews of the same product.
    assert_eq!(ids("member"), vec![2]);
    assert_eq!(ids("orders"), vec![10]);
    assert_eq!(ids("review"), vec![20]);
    let text = serde_json::to_string(&report).unwrap();
    for other in [
        "klaas@example.nl",
        "piet@example.nl",
        "piet bestelt",
        "piet niet",
    ] {
        assert!(
            !text.contains(other),
            "export holds another person's data: {other}"
        );
    }
    // The product and the branch are shared: context, not Jan's rows.
    let ctx = |t: &str| {
        report
            .tables
            .iter()
            .find(|x| x.table == t)
            .map_or(0, |x| x.context.len())
    };
    assert_eq!(ids("product"), Vec::<i64>::new());
    assert_eq!(ctx("product"), 1);
    assert_eq!(ctx("branch"), 1);

    let before = club_state(&db).await;
    let cert = engine.erase(&jan, None, &opts()).await.unwrap();
    assert_eq!(cert.remaining_changes, 0);
    assert_eq!(
        club_state(&db).await,
        before,
        "another person's row changed"
    );
    // Piet's row still refers to Jan's (referred_by, a declared key): Jan's row stays, masked.
    assert_eq!(
        rows(
            &db,
            "SELECT COALESCE(email, 'NULL'), COALESCE(name, 'NULL') FROM member WHERE id = 2"
        )
        .await,
        vec!["NULL|NULL"]
    );
    // Piet can be erased after Jan.
    engine
        .erase(&Subject::new("email", "piet@example.nl"), None, &opts())
        .await
        .unwrap();
    assert_eq!(
        rows(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM product").await,
        vec!["2"],
        "the catalogue survives every erasure"
    );
}

// ------------------------------------------------------------------ identities as people type them

const PEOPLE: &str = "
CREATE TABLE person (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, phone VARCHAR(30), name VARCHAR(100));
INSERT INTO person VALUES (1, 'daan.bakker@example.nl', '06-12345678', 'Daan');
INSERT INTO person VALUES (2, 'eva@example.nl', '+31 6 87654321', 'Eva');
INSERT INTO person VALUES (3, 'fleur@example.nl', NULL, 'Fleur');
";

const PEOPLE_DATASETS: &str = r#"
[databases.s.tables.person]
erase = "mask"
columns = { id = "system.operations", email = { category = "user.contact.email", identity = "email" }, phone = { category = "user.contact.phone_number", identity = "phone" }, name = "user.name" }
"#;

async fn identities_match_as_people_type_them(kind: Kind) {
    let db = new_db(kind).await;
    exec(&db, PEOPLE).await;
    let engine = Engine::connect(&ds(PEOPLE_DATASETS, &db), &[])
        .await
        .unwrap();
    for (k, v, id) in [
        ("email", " Daan.Bakker@Example.NL ", 1),
        ("phone", "+31 6 1234 5678", 1),
        ("phone", "0031612345678", 1),
        ("phone", "06 87654321", 2),
    ] {
        let r = engine.access(&Subject::new(k, v)).await.unwrap();
        let ids: Vec<i64> = r
            .tables
            .iter()
            .flat_map(|t| t.rows.iter().map(|r| r["id"].as_i64().unwrap()))
            .collect();
        assert_eq!(ids, vec![id], "{k}={v}");
    }
    // Nobody: the certificate says so and nothing changes.
    let cert = engine
        .erase(&Subject::new("email", "nobody@example.nl"), None, &opts())
        .await
        .unwrap();
    assert!(!cert.subject_found);
    assert_eq!(cert.remaining_changes, 0);
}

async fn unique_columns_survive_two_erasures(kind: Kind) {
    let db = new_db(kind).await;
    exec(&db, PEOPLE).await;
    // Default masking: null. The e-mail is NOT NULL UNIQUE.
    let engine = Engine::connect(&ds(PEOPLE_DATASETS, &db), &[])
        .await
        .unwrap();
    for who in [
        "daan.bakker@example.nl",
        "eva@example.nl",
        "fleur@example.nl",
    ] {
        let cert = engine
            .erase(&Subject::new("email", who), None, &opts())
            .await
            .unwrap_or_else(|e| panic!("erasure of {who}: {e}"));
        assert_eq!(cert.remaining_changes, 0);
    }
    let emails = rows(&db, "SELECT email FROM person ORDER BY id").await;
    assert!(emails.iter().all(|e| !e.contains('@')), "{emails:?}");
    // A fixed value cannot serve a UNIQUE column: refused before anything runs.
    let fixed = PEOPLE_DATASETS.replace(
        "identity = \"email\" }",
        "identity = \"email\", masking = { strategy = \"fixed\", value = \"weg\" } }",
    );
    let err = Engine::connect(&ds(&fixed, &db), &[]).await.unwrap_err();
    assert!(err.to_string().contains("UNIQUE"), "{err}");
}

// ------------------------------------------------------------------ key columns are never masked

async fn key_references_are_never_masked(kind: Kind) {
    let db = new_db(kind).await;
    exec(
        &db,
        "CREATE TABLE customer (id INTEGER PRIMARY KEY, email VARCHAR(100));
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, note VARCHAR(100));
INSERT INTO customer VALUES (1, 'jan@example.nl');
INSERT INTO orders VALUES (10, 1, 'achterdeur');",
    )
    .await;
    // As Fides' example has it: no declared foreign key, the id filed as personal data.
    let text = r#"
[databases.s.tables.customer]
erase = "mask"
columns = { id = "user.unique_id", email = { category = "user.contact.email", identity = "email" } }
[databases.s.tables.orders]
erase = "mask"
columns = { id = "system.operations", customer_id = "user.unique_id", note = "user.content" }
references = [{ column = "customer_id", to = "customer.id", direction = "from" }]
"#;
    let engine = Engine::connect(&ds(text, &db), &[]).await.unwrap();
    engine
        .erase(&Subject::new("email", "jan@example.nl"), None, &opts())
        .await
        .unwrap();
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(customer_id AS TEXT), COALESCE(note, 'NULL') FROM orders"
        )
        .await,
        vec!["1|NULL"],
        "the link stays, the personal data goes"
    );
}

// ------------------------------------------------------------------ rectification

async fn rectify_only_personal_columns(kind: Kind) {
    let db = new_db(kind).await;
    exec(&db, CLUB).await;
    let engine = Engine::connect(&ds(CLUB_DATASETS, &db), &[]).await.unwrap();
    let jan = Subject::new("email", "jan@example.nl");
    let cert = engine
        .rectify(&jan, &[("name".into(), "Jan Jansen".into())], &opts())
        .await
        .unwrap();
    assert_eq!(
        rows(&db, "SELECT name FROM product ORDER BY id").await,
        vec!["Racket", "Ballen"],
        "a product's name is not the person's name"
    );
    assert_eq!(
        rows(&db, "SELECT name FROM member WHERE id = 2").await,
        vec!["Jan Jansen"]
    );
    let changed: Vec<(String, Vec<String>)> = cert
        .tables
        .iter()
        .filter(|t| t.rectified > 0)
        .map(|t| (t.table.clone(), t.columns.clone()))
        .collect();
    assert_eq!(
        changed,
        vec![("member".to_string(), vec!["name".to_string()])]
    );
    let err = engine
        .rectify(&jan, &[("product.name".into(), "x".into())], &opts())
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::InvalidValue { .. }), "{err}");
}

// ------------------------------------------------------------------ cycles of foreign keys

async fn cycle_with_one_deferrable_key(names: (&str, &str)) {
    // PostgreSQL only: a cycle in which one key is DEFERRABLE and the other is not. Whatever
    // the tables are called, the erasure works, and the dry run says what the run does.
    let db = new_db(Kind::Pg).await;
    let (a, b) = names;
    exec(
        &db,
        &format!(
            "CREATE TABLE {a} (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, other_id INTEGER NOT NULL);
CREATE TABLE {b} (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES {a}(id), note VARCHAR(100));
ALTER TABLE {a} ADD CONSTRAINT {a}_other FOREIGN KEY (other_id) REFERENCES {b}(id) DEFERRABLE INITIALLY IMMEDIATE;
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO {a} VALUES (1, 'jan@example.nl', 10);
INSERT INTO {b} VALUES (10, 1, 'x');
INSERT INTO {a} VALUES (2, 'piet@example.nl', 20);
INSERT INTO {b} VALUES (20, 2, 'y');
COMMIT;"
        ),
    )
    .await;
    let text = format!(
        r#"
[databases.s.tables.{a}]
columns = {{ id = "user.unique_id", email = {{ category = "user.contact.email", identity = "email" }}, other_id = "system.operations" }}
references = [{{ column = "other_id", to = "{b}.id" }}]
[databases.s.tables.{b}]
columns = {{ id = "system.operations", owner_id = "user.unique_id", note = "user.content" }}
references = [{{ column = "owner_id", to = "{a}.id", direction = "from" }}]
"#
    );
    let engine = Engine::connect(&ds(&text, &db), &[]).await.unwrap();
    let jan = Subject::new("email", "jan@example.nl");
    let d = engine.erase(&jan, None, &dry()).await.unwrap();
    let c = engine.erase(&jan, None, &opts()).await.unwrap();
    let counts = |c: &waarborg_engine::Certificate| {
        let mut v: Vec<(String, u64, u64)> = c
            .tables
            .iter()
            .map(|t| (t.table.clone(), t.deleted, t.masked))
            .collect();
        v.sort();
        v
    };
    assert_eq!(counts(&d), counts(&c));
    assert_eq!(c.tables.iter().map(|t| t.deleted).sum::<u64>(), 2);
    assert_eq!(
        rows(&db, &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {a}")).await,
        vec!["1"]
    );
}

async fn cycle_that_no_order_satisfies(kind: Kind) {
    let db = new_db(kind).await;
    // Both keys checked at once and NOT NULL: on SQLite RESTRICT is immediate.
    let (restrict, deferrable) = if kind == Kind::Pg {
        ("", "")
    } else {
        (" ON DELETE RESTRICT", "")
    };
    exec(
        &db,
        &format!(
            "CREATE TABLE a (id INTEGER PRIMARY KEY, email VARCHAR(100), b_id INTEGER NOT NULL);
CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES a(id){restrict}{deferrable});
INSERT INTO a VALUES (1, 'jan@example.nl', 10);
INSERT INTO b VALUES (10, 1);"
        ),
    )
    .await;
    if kind == Kind::Pg {
        exec(
            &db,
            "ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b(id)",
        )
        .await;
    }
    let text = r#"
[databases.s.tables.a]
columns = { id = "user.unique_id", email = { category = "user.contact.email", identity = "email" }, b_id = "system.operations" }
references = [{ column = "b_id", to = "b.id" }]
[databases.s.tables.b]
columns = { id = "system.operations", a_id = "user.unique_id" }
references = [{ column = "a_id", to = "a.id", direction = "from" }]
"#;
    let engine = Engine::connect(&ds(text, &db), &[]).await.unwrap();
    let jan = Subject::new("email", "jan@example.nl");
    if kind == Kind::Pg {
        // Both keys immediate, both NOT NULL: refused before any write, the dry run too.
        let e1 = engine.erase(&jan, None, &dry()).await.unwrap_err();
        let e2 = engine.erase(&jan, None, &opts()).await.unwrap_err();
        assert!(matches!(e1, EngineError::DeleteCycle(_)), "{e1}");
        assert_eq!(e1.to_string(), e2.to_string());
        assert_eq!(
            rows(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM a").await,
            vec!["1"]
        );
    } else {
        // SQLite: only b -> a is RESTRICT (a -> b is undeclared here), so the order works.
        let c = engine.erase(&jan, None, &opts()).await.unwrap();
        assert_eq!(c.tables.iter().map(|t| t.deleted).sum::<u64>(), 2);
    }
}

// ------------------------------------------------------------------ certificate and sweep

const REGISTER: &str = r#"
[[data]]
id = "name"
category = "user.name"
label = "Naam"

[[purposes]]
id = "members"
name = "Leden"
data = ["name"]

[[retention]]
id = "members-1y"
purpose = "members"
period = "P1Y"
from = "end_of_membership"

[[legal_holds]]
id = "fiscal"
law = "AWR art. 52(4)"
period = "P7Y"
from = "invoice_date"
data = ["name"]
"#;

async fn hold_text_names_what_is_kept(kind: Kind) {
    let db = new_db(kind).await;
    exec(
        &db,
        "CREATE TABLE invoice (id INTEGER PRIMARY KEY, email VARCHAR(100), name VARCHAR(100), city VARCHAR(100), invoice_date DATE);
INSERT INTO invoice VALUES (1, 'jan@example.nl', 'Jan', 'Utrecht', '2026-01-01');",
    )
    .await;
    let text = r#"
[databases.s.tables.invoice]
erase = "mask"
hold = { hold = "fiscal", from = "invoice_date", keep = ["city"] }
columns = { id = "system.operations", email = { category = "user.contact.email", identity = "email" }, name = "user.name", city = "user.contact.address.city", invoice_date = "system.operations" }
"#;
    let engine = Engine::connect(&ds(text, &db), &[]).await.unwrap();
    let reg = waarborg_testkit::policy(REGISTER).unwrap();
    let cert = engine
        .erase(
            &Subject::new("email", "jan@example.nl"),
            Some(&reg),
            &opts(),
        )
        .await
        .unwrap();
    let kept = cert.tables[0]
        .reasons
        .iter()
        .find(|r| r.action == "kept")
        .unwrap();
    // The register's hold keeps names too: the certificate must not say "only city".
    assert!(kept.explanation.contains("name"), "{}", kept.explanation);
    assert!(kept.explanation.contains("city"), "{}", kept.explanation);
    assert_eq!(
        rows(&db, "SELECT name, city FROM invoice").await,
        vec!["Jan|Utrecht"]
    );
}

async fn sweep_reports_blocked_rows(kind: Kind) {
    let db = new_db(kind).await;
    exec(
        &db,
        "CREATE TABLE member (id INTEGER PRIMARY KEY, email VARCHAR(100), left_at DATE);
CREATE TABLE payment (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES member(id), amount INTEGER);
INSERT INTO member VALUES (1, 'oud@example.nl', '2020-01-01');
INSERT INTO member VALUES (2, 'ook-oud@example.nl', '2020-01-01');
INSERT INTO payment VALUES (10, 1, 25);",
    )
    .await;
    let text = r#"
[databases.s.tables.member]
retention = { rule = "members-1y", from = "left_at" }
columns = { id = "user.unique_id", email = { category = "user.contact.email", identity = "email" }, left_at = "system.operations" }
[databases.s.tables.payment]
erase = "mask"
columns = { id = "system.operations", member_id = "user.unique_id", amount = "system.operations" }
references = [{ column = "member_id", to = "member.id", direction = "from" }]
"#;
    let engine = Engine::connect(&ds(text, &db), &[]).await.unwrap();
    let reg = waarborg_testkit::policy(REGISTER).unwrap();
    let rep = engine
        .sweep(&reg, now(), &SweepOptions::default())
        .await
        .unwrap();
    let r = rep.rules.iter().find(|r| r.table == "member").unwrap();
    assert_eq!(r.expired, 2);
    assert_eq!(r.deleted, 1);
    assert_eq!(r.blocked, 1, "{r:?}");
    assert_eq!(r.blocked_by.len(), 1);
    assert_eq!(r.blocked_by[0].reference, "payment.member_id -> member.id");
}

/// A primary key declared in the dataset file but not kept unique by the database is checked
/// against the live rows before any write: two people sharing `id = 1` make erasure,
/// rectification and the sweep refuse (dry run too), naming the table and the key; nobody's
/// row changes. A declared key that is unique is accepted.
async fn declared_key_must_be_unique(kind: Kind) {
    let db = new_db(kind).await;
    exec(
        &db,
        "CREATE TABLE member (id INTEGER, email VARCHAR(100), name VARCHAR(100), left_at DATE);
INSERT INTO member VALUES (1, 'jan@example.nl', 'Jan', '2020-01-01');
INSERT INTO member VALUES (1, 'piet@example.nl', 'Piet', '2020-01-01');
INSERT INTO member VALUES (2, 'klaas@example.nl', 'Klaas', '2020-01-01');",
    )
    .await;
    let text = r#"
[databases.s.tables.member]
primary_key = ["id"]
erase = "mask"
retention = { rule = "members-1y", from = "left_at" }
columns = { id = "system.operations", email = { category = "user.contact.email", identity = "email" }, name = "user.name", left_at = "system.operations" }
"#;
    let engine = Engine::connect(&ds(text, &db), &[]).await.unwrap();
    let reg = waarborg_testkit::policy(REGISTER).unwrap();
    let jan = Subject::new("email", "jan@example.nl");
    let before = rows(&db, "SELECT email, name FROM member ORDER BY email").await;
    let named = |e: EngineError| {
        let m = e.to_string();
        assert!(
            matches!(e, EngineError::KeyNotUnique { duplicates: 1, .. }),
            "{m}"
        );
        assert!(
            m.contains("s.member (id)") && m.contains("before any write"),
            "{m}"
        );
    };
    named(engine.erase(&jan, Some(&reg), &opts()).await.unwrap_err());
    named(engine.erase(&jan, Some(&reg), &dry()).await.unwrap_err());
    named(
        engine
            .rectify(&jan, &[("name".into(), "Jan B".into())], &opts())
            .await
            .unwrap_err(),
    );
    named(
        engine
            .sweep(&reg, now(), &SweepOptions::default())
            .await
            .unwrap_err(),
    );
    assert_eq!(
        rows(&db, "SELECT email, name FROM member ORDER BY email").await,
        before
    );
    // Once the key is unique, the same request goes through and touches only Jan.
    exec(
        &db,
        "UPDATE member SET id = 3 WHERE email = 'piet@example.nl'",
    )
    .await;
    let cert = engine
        .rectify(&jan, &[("name".into(), "Jan B".into())], &opts())
        .await
        .unwrap();
    assert_eq!(cert.tables[0].rectified, 1);
    assert_eq!(
        rows(&db, "SELECT name FROM member ORDER BY id").await,
        vec!["Jan B", "Klaas", "Piet"]
    );
}

// ------------------------------------------------------------------ connection errors

#[tokio::test]
async fn closed_postgres_port_is_named_at_once() {
    let text = r#"
[databases.s]
url = "postgres://postgres@127.0.0.1:1/none"
[databases.s.tables.t]
columns = { id = "system.operations" }
"#;
    let d = Datasets::from_toml(text).unwrap();
    let started = std::time::Instant::now();
    let err = Engine::connect(&d, &[]).await.unwrap_err().to_string();
    assert!(err.to_lowercase().contains("refused"), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    // Printed once: the driver's words are not repeated as a cause.
    assert_eq!(err.matches("refused").count(), 1, "{err}");
}

#[tokio::test]
async fn pg_cycle_with_one_deferrable_key_works_whatever_the_names() {
    cycle_with_one_deferrable_key(("alpha", "beta")).await;
    cycle_with_one_deferrable_key(("zulu", "yankee")).await;
}

macro_rules! on_all {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            use super::*;
            $(#[tokio::test] async fn $name() { super::$name(Kind::Sqlite).await; })*
        }
        mod postgres {
            use super::*;
            $(#[tokio::test] async fn $name() { super::$name(Kind::Pg).await; })*
        }
        mod mariadb {
            use super::*;
            $(#[tokio::test] async fn $name() { super::$name(Kind::Maria).await; })*
        }
    };
}

on_all!(
    walk_stays_with_the_person,
    identities_match_as_people_type_them,
    unique_columns_survive_two_erasures,
    key_references_are_never_masked,
    rectify_only_personal_columns,
    cycle_that_no_order_satisfies,
    hold_text_names_what_is_kept,
    sweep_reports_blocked_rows,
    declared_key_must_be_unique,
);
