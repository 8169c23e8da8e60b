#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! External check against Fides' own example: its Postgres sample SQL and
//! `postgres_example_test_dataset.yml`, read from ../shared/external/fides/ (not copied in),
//! on real PostgreSQL and MariaDB servers (the SQL put into MariaDB's dialect as it is read).

mod common;

use common::*;
use waarborg_engine::{
    Datasets, Direction, Engine, EraseAction, EraseOptions, MaskStrategy, Subject,
};

macro_rules! fides {
    ($f:literal) => {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/external/fides/",
            $f
        )
    };
}

const DATASET: &str = fides!("data__dataset__postgres_example_test_dataset.yml");
const SAMPLE_SQL: &str = fides!("src__fides__data__sample_project__postgres_sample.sql");
const KEY: &str = "postgres_example_test_dataset";

#[test]
fn reads_the_fides_dataset() {
    let ds = Datasets::load(std::path::Path::new(DATASET)).unwrap();
    let db = ds.database(KEY).unwrap();
    assert!(db.url.is_none());
    assert_eq!(db.tables.len(), 11);
    let customer = db.tables.iter().find(|t| t.name == "customer").unwrap();
    assert_eq!(customer.primary_key, vec!["id"]);
    assert_eq!(customer.erase, EraseAction::Mask);
    assert_eq!(
        customer.column("email").unwrap().identity.as_deref(),
        Some("email")
    );
    assert_eq!(customer.references[0].direction, Direction::To);
    assert_eq!(customer.references[0].target.table, "address");
    let login = db.tables.iter().find(|t| t.name == "login").unwrap();
    assert_eq!(login.references[0].direction, Direction::From);
    let employee = db.tables.iter().find(|t| t.name == "employee").unwrap();
    assert_eq!(
        employee.column("name").unwrap().masking,
        Some(MaskStrategy::Fixed {
            value: "testing".into()
        })
    );
}

#[test]
fn reads_the_other_fides_datasets() {
    for f in [
        fides!("data__dataset__bigquery_example_test_dataset.yml"),
        fides!("data__dataset__example_field_masking_override_test_dataset.yml"),
        fides!("data__dataset__postgres_example_test_extended_dataset.yml"),
        fides!("data__dataset__postgres_example_custom_request_field_dataset.yml"),
        fides!("data__dataset__postgres_example_invalid_masking_strategy_override_dataset.yml"),
    ] {
        let ds = Datasets::load(std::path::Path::new(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(!ds.databases.is_empty());
    }
    let bq = Datasets::load(std::path::Path::new(fides!(
        "data__dataset__bigquery_example_test_dataset.yml"
    )))
    .unwrap();
    let db = &bq.databases[0];
    let emp = db.tables.iter().find(|t| t.name == "employee").unwrap();
    assert_eq!(
        emp.erase,
        EraseAction::Delete,
        "collection-level masking_strategy_override: delete"
    );
    let addr = db.tables.iter().find(|t| t.name == "address").unwrap();
    assert_eq!(
        addr.erase_after,
        vec!["bigquery_example_test_dataset.employee"]
    );
    let cust = db.tables.iter().find(|t| t.name == "customer").unwrap();
    assert!(
        cust.column("extra_address_data").is_none(),
        "nested object fields are skipped"
    );
}

async fn fides_db(kind: Kind) -> Db {
    let db = new_db(kind).await;
    let sql = std::fs::read_to_string(SAMPLE_SQL).unwrap();
    let sql = match kind {
        Kind::Maria => maria_dialect(&sql),
        _ => sql,
    };
    exec(&db, &sql).await;
    db
}

/// Fides' PostgreSQL sample in MariaDB's dialect: no `public.` schema, no sequences, SERIAL as
/// INTEGER, TIMESTAMP (without time zone) as DATETIME, MONEY as text (its values are `$20.00`),
/// and without the backup schema (a MariaDB schema is a database on the shared server).
fn maria_dialect(sql: &str) -> String {
    let upto = sql.find("CREATE SCHEMA backup_schema").unwrap_or(sql.len());
    sql.get(..upto)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("ALTER SEQUENCE"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("public.", "")
        .replace("SERIAL", "INTEGER")
        .replace("TIMESTAMP", "DATETIME")
        .replace("MONEY", "VARCHAR(20)")
}

#[tokio::test]
async fn access_and_erasure_on_the_fides_sample() {
    fides_sample(Kind::Pg).await;
}

#[tokio::test]
async fn access_and_erasure_on_the_fides_sample_on_mariadb() {
    fides_sample(Kind::Maria).await;
}

async fn fides_sample(kind: Kind) {
    let db = fides_db(kind).await;
    let ds = Datasets::load(std::path::Path::new(DATASET)).unwrap();
    let engine = Engine::connect(&ds, &[(KEY.into(), db.url.clone())])
        .await
        .unwrap();
    let subject = Subject::new("email", "customer-1@example.com");
    let report = engine.access(&subject).await.unwrap();
    let n = |t: &str| {
        report
            .tables
            .iter()
            .find(|x| x.table == t)
            .map_or(0, |x| x.rows.len())
    };
    let ctx = |t: &str| {
        report
            .tables
            .iter()
            .find(|x| x.table == t)
            .map_or(0, |x| x.context.len())
    };
    assert_eq!(n("customer"), 1);
    // The sample's addresses are shared: John's order ships to Jill's home (address 2), and
    // Jill's card and order use John's home (address 1). Both are shown as context, neither is
    // John's alone, so neither is his to erase.
    assert_eq!(n("address"), 0, "no address is John's alone");
    assert_eq!(ctx("address"), 2, "home and shipping address as context");
    // Products are shared by everybody's orders.
    assert_eq!(n("product"), 0);
    assert_eq!(ctx("product"), 2);
    assert_eq!(n("orders"), 3);
    assert_eq!(n("order_item"), 4);
    assert_eq!(n("login"), 6);
    assert_eq!(n("payment_card"), 1);
    assert_eq!(n("visit"), 1);
    assert_eq!(n("service_request"), 1);
    assert_eq!(
        n("employee"),
        0,
        "service_request.employee_id is a `from` reference"
    );
    assert_eq!(n("report"), 0);
    assert_eq!(report.total_rows, 17);
    let customer = &report
        .tables
        .iter()
        .find(|x| x.table == "customer")
        .unwrap()
        .rows[0];
    assert_eq!(customer["name"], "John Customer");
    assert_eq!(customer["created"], "2020-04-01 11:47:42");
    let card = &report
        .tables
        .iter()
        .find(|x| x.table == "payment_card")
        .unwrap()
        .rows[0];
    assert_eq!(card["ccn"], 123456789);
    assert_eq!(card["preferred"], true);

    let before_other = rows(
        &db,
        "SELECT email, name FROM customer WHERE id <> 1 ORDER BY id",
    )
    .await;
    let addresses = rows(
        &db,
        "SELECT CAST(id AS TEXT), street, city FROM address ORDER BY id",
    )
    .await;
    let cert = engine
        .erase(&subject, None, &EraseOptions::default())
        .await
        .unwrap();
    let t = |name: &str| {
        cert.tables
            .iter()
            .find(|x| x.table == name)
            .unwrap()
            .clone()
    };
    assert_eq!(t("customer").masked, 1);
    assert_eq!(
        t("visit").deleted,
        1,
        "identity in the primary key: deleted"
    );
    assert_eq!(t("login").masked, 6);
    assert_eq!(
        t("order_item").unchanged,
        4,
        "nothing personal in order_item"
    );
    assert_eq!(cert.remaining_changes, 0);
    assert_eq!(
        rows(
            &db,
            "SELECT COALESCE(email, 'NULL'), COALESCE(name, 'NULL') FROM customer WHERE id = 1"
        )
        .await,
        vec!["NULL|NULL"]
    );
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(COUNT(*) AS TEXT) FROM visit WHERE email = 'customer-1@example.com'"
        )
        .await,
        vec!["0"]
    );
    assert_eq!(
        rows(
            &db,
            "SELECT COALESCE(alt_email, 'NULL') FROM service_request WHERE id = 'ser_aaa-aaa'"
        )
        .await,
        vec!["NULL"]
    );
    assert_eq!(
        rows(
            &db,
            "SELECT email, name FROM customer WHERE id <> 1 ORDER BY id"
        )
        .await,
        before_other
    );
    assert_eq!(
        rows(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM visit").await,
        vec!["1"]
    );
    // Shared addresses are untouched; the orders keep their link to the customer row (a
    // reference column is never masked: nulling it would cut the rows loose, not erase them).
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(id AS TEXT), street, city FROM address ORDER BY id"
        )
        .await,
        addresses
    );
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(COUNT(*) AS TEXT) FROM orders WHERE customer_id = 1"
        )
        .await,
        vec!["3"]
    );
    // The backup schema's copy of the tables is another schema: untouched.
    if kind == Kind::Pg {
        assert_eq!(
            rows(&db, "SELECT email FROM backup_schema.customer").await,
            vec!["customer-500@example.com"]
        );
    }
    // Second run: nothing left to find.
    let again = engine.access(&subject).await.unwrap();
    assert_eq!(again.total_rows, 0);
}

#[tokio::test]
async fn fides_dataset_without_binding_is_refused() {
    let ds = Datasets::load(std::path::Path::new(DATASET)).unwrap();
    let err = Engine::connect(&ds, &[]).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("--db postgres_example_test_dataset=URL"),
        "{err}"
    );
}

/// A "billion laughs" file (nested aliases, about 250 KB) is refused at once with the line of
/// the first alias, before the YAML parser expands anything; a `*` inside a value is not an
/// alias.
#[test]
fn yaml_aliases_are_refused_quickly() {
    let mut text = String::from(
        "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    // Padding to the size of the reported attack: comments only.
    while text.len() < 250_000 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    text.push_str("dataset: []\n");
    let t0 = std::time::Instant::now();
    let err = waarborg_engine::from_fides_yaml(&text)
        .unwrap_err()
        .to_string();
    assert!(
        t0.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        t0.elapsed()
    );
    assert!(
        err.contains("line 2") && err.contains("`*a0`") && err.contains("alias"),
        "{err}"
    );
    // A `*` inside values is not an alias.
    let ok = "dataset:\n  - fides_key: shop\n    description: a *b and c *d\n    collections: []\n";
    if let Err(e) = waarborg_engine::from_fides_yaml(ok) {
        panic!("{e}");
    }
}
