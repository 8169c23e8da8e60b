#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! What is particular to MariaDB / MySQL, on the real server (waarborg-testkit): foreign keys
//! checked row by row without deferral (cycles broken by nulling a nullable link, or refused
//! before any write, dry run included), connection errors that name their cause at once, the
//! column types (TIMESTAMP in UTC, BOOLEAN, DECIMAL, unsigned, ENUM, binary) read and written
//! back, and the `mariadb://` alias.

mod common;

use std::time::{Duration, Instant};

use common::*;
use waarborg_engine::{
    ColKind, Datasets, Engine, EngineError, EraseOptions, Pool, Subject, SweepOptions, introspect,
};

fn opts(dry_run: bool) -> EraseOptions {
    EraseOptions {
        dry_run,
        now: Some(now()),
        hash_key: Some(b"k".to_vec()),
        ..EraseOptions::default()
    }
}

fn bind(text: &str, db: &Db) -> Datasets {
    let mut ds = Datasets::from_toml(text).unwrap();
    ds.bind(&[("club".into(), db.url.clone())]).unwrap();
    ds
}

/// A member with two accounts, the second merged into the first (a self-reference), and a
/// member row and its address pointing at each other (a two-table cycle); Eva is another
/// member whose rows must stay as they are.
const CYCLES: &str = "
CREATE TABLE member (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, name VARCHAR(100), merged_into INTEGER NULL REFERENCES member(id), home_address INTEGER NULL);
CREATE TABLE address (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES member(id), street VARCHAR(100));
ALTER TABLE member ADD CONSTRAINT member_home FOREIGN KEY (home_address) REFERENCES address(id);
INSERT INTO member VALUES (1, 'noor@example.nl', 'Noor', NULL, NULL);
INSERT INTO member VALUES (2, 'noor@example.nl', 'Noor B.', 1, NULL);
INSERT INTO member VALUES (3, 'eva@example.nl', 'Eva', NULL, NULL);
INSERT INTO address VALUES (10, 1, 'Kade 1');
INSERT INTO address VALUES (11, 2, 'Kade 2');
INSERT INTO address VALUES (30, 3, 'Gracht 3');
UPDATE member SET home_address = 10 WHERE id = 1;
UPDATE member SET home_address = 11 WHERE id = 2;
UPDATE member SET home_address = 30 WHERE id = 3;
";

const CYCLES_DATASET: &str = r#"
[databases.club.tables.member]
erase = "delete"
columns = { id = "system.operations", email = { category = "user.contact.email", identity = "email" }, name = "user.name", merged_into = "system.operations", home_address = "system.operations" }
references = [{ column = "home_address", to = "address.id" }]

[databases.club.tables.address]
erase = "delete"
columns = { id = "system.operations", member_id = "system.operations", street = "user.contact.address.street" }
references = [{ column = "member_id", to = "member.id" }]
"#;

#[tokio::test]
async fn cycles_are_broken_by_nulling_a_nullable_link() {
    let db = new_db(Kind::Maria).await;
    exec(&db, CYCLES).await;
    // Without help the server refuses the deletes in either order.
    let refused = {
        use sqlx::Connection;
        let mut c = sqlx::MySqlConnection::connect(&db.url).await.unwrap();
        let mut tx = c.begin().await.unwrap();
        let a = sqlx::query("DELETE FROM address WHERE id IN (10, 11)")
            .execute(&mut *tx)
            .await;
        let b = sqlx::query("DELETE FROM member WHERE id IN (1, 2)")
            .execute(&mut *tx)
            .await;
        tx.rollback().await.unwrap();
        a.is_err() && b.is_err()
    };
    assert!(refused, "the fixture must need the cycle broken");

    let engine = Engine::connect(&bind(CYCLES_DATASET, &db), &[])
        .await
        .unwrap();
    let noor = Subject::new("email", "noor@example.nl");
    let eva_before = rows(
        &db,
        "SELECT CAST(id AS TEXT), email, name, CAST(merged_into AS TEXT), CAST(home_address AS TEXT) FROM member WHERE id = 3",
    )
    .await;
    let dry = engine.erase(&noor, None, &opts(true)).await.unwrap();
    assert_eq!(count(&db, "member").await, 3, "a dry run changes nothing");
    let cert = engine.erase(&noor, None, &opts(false)).await.unwrap();
    let counts = |c: &waarborg_engine::Certificate| {
        let mut v = c
            .tables
            .iter()
            .map(|t| (t.table.clone(), t.deleted, t.masked))
            .collect::<Vec<_>>();
        v.sort();
        v
    };
    assert_eq!(counts(&dry), counts(&cert), "the dry run predicts the run");
    assert_eq!(
        counts(&cert),
        vec![("address".into(), 2, 0), ("member".into(), 2, 0)]
    );
    assert_eq!(cert.remaining_changes, 0);
    assert_eq!(
        rows(&db, "SELECT CAST(id AS TEXT) FROM member ORDER BY id").await,
        vec!["3"]
    );
    assert_eq!(
        rows(&db, "SELECT CAST(id AS TEXT) FROM address ORDER BY id").await,
        vec!["30"]
    );
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(id AS TEXT), email, name, CAST(merged_into AS TEXT), CAST(home_address AS TEXT) FROM member WHERE id = 3",
        )
        .await,
        eva_before,
        "another member's row is untouched"
    );
}

#[tokio::test]
async fn a_cycle_without_a_nullable_link_is_refused_before_any_write() {
    let db = new_db(Kind::Maria).await;
    // Both links NOT NULL: the rows can only be written with the keys added afterwards.
    exec(
        &db,
        "CREATE TABLE team (id INTEGER PRIMARY KEY, captain INTEGER NOT NULL, name VARCHAR(100));
CREATE TABLE player (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL, email VARCHAR(200) NOT NULL);
INSERT INTO team VALUES (1, 5, 'De Spurters');
INSERT INTO player VALUES (5, 1, 'bas@example.nl');
ALTER TABLE team ADD CONSTRAINT team_captain FOREIGN KEY (captain) REFERENCES player(id);
ALTER TABLE player ADD CONSTRAINT player_team FOREIGN KEY (team_id) REFERENCES team(id);
",
    )
    .await;
    let ds = bind(
        r#"
[databases.club.tables.player]
erase = "delete"
columns = { id = "system.operations", team_id = "system.operations", email = { category = "user.contact.email", identity = "email" } }
references = [{ column = "team_id", to = "team.id" }]

[databases.club.tables.team]
erase = "delete"
columns = { id = "system.operations", captain = "system.operations", name = "user.name" }
references = [{ column = "captain", to = "player.id", direction = "both" }]
"#,
        &db,
    );
    let engine = Engine::connect(&ds, &[]).await.unwrap();
    let bas = Subject::new("email", "bas@example.nl");
    for dry_run in [true, false] {
        match engine.erase(&bas, None, &opts(dry_run)).await {
            Err(e @ EngineError::DeleteCycle(_)) => {
                let text = e.to_string();
                assert!(text.starts_with("erase refused before any write"), "{text}");
                assert!(text.contains("player.team_id -> team"), "{text}");
                assert!(text.contains("team.captain -> player"), "{text}");
                assert!(text.contains("allow NULL"), "{text}");
            }
            other => panic!("dry run {dry_run}: {other:?}"),
        }
    }
    assert_eq!(count(&db, "team").await, 1);
    assert_eq!(count(&db, "player").await, 1);
}

#[tokio::test]
async fn connection_errors_name_their_cause_at_once() {
    let admin = waarborg_testkit::mysql_admin_url();
    let base = admin.rsplit_once('/').unwrap().0.to_string();
    let host = base.rsplit_once('@').map_or(base.as_str(), |(_, h)| h);
    for (url, want) in [
        ("mysql://root@127.0.0.1:1/shop".to_string(), "refused"),
        (
            format!("{base}/waarborg_no_such_database"),
            "Unknown database",
        ),
        (
            format!("mysql://waarborg_nobody:wrong@{host}/mysql"),
            "Access denied",
        ),
    ] {
        let started = Instant::now();
        let err = Pool::connect("shop", &url).await.unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(want) && text.contains("database `shop`"),
            "{url}: {text}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{url}: took {:?}",
            started.elapsed()
        );
    }
}

/// The column kinds as MariaDB reports them, read into an access export, rectified, masked
/// and swept.
#[tokio::test]
async fn column_types_read_and_write_back() {
    let db = new_db(Kind::Maria).await;
    exec(
        &db,
        "CREATE TABLE customer (id BIGINT UNSIGNED PRIMARY KEY, email VARCHAR(120) NOT NULL, active BOOLEAN NOT NULL, balance DECIMAL(10,2), level ENUM('brons','zilver','goud'), photo VARBINARY(16), born DATE, seen_at TIMESTAMP NULL, visited DATETIME(3), score FLOAT, visits SMALLINT UNSIGNED);
INSERT INTO customer VALUES (18446744073709551610, 'Lotte@Example.nl', TRUE, 12.50, 'goud', X'CAFE', '1990-02-03', '2018-05-01 08:00:00', '2026-10-01 09:15:00.250', 1.5, 7);
INSERT INTO customer VALUES (2, 'ruben@example.nl', FALSE, NULL, NULL, NULL, NULL, '2026-11-01 08:00:00', NULL, NULL, NULL);
",
    )
    .await;
    let pool = Pool::connect("club", &db.url).await.unwrap();
    let live = introspect("club", &pool).await.unwrap();
    let t = live.iter().find(|t| t.name == "customer").unwrap();
    let kind = |c: &str| t.column(c).unwrap().kind;
    assert_eq!(kind("id"), ColKind::Int);
    assert_eq!(kind("active"), ColKind::Bool);
    assert_eq!(kind("balance"), ColKind::Numeric);
    assert_eq!(kind("level"), ColKind::Other);
    assert_eq!(kind("photo"), ColKind::Bytes);
    assert_eq!(kind("born"), ColKind::Date);
    assert_eq!(kind("seen_at"), ColKind::TimestampTz);
    assert_eq!(kind("visited"), ColKind::Timestamp);
    assert_eq!(t.column("email").unwrap().max_len, Some(120));
    assert!(!t.column("email").unwrap().nullable);
    assert!(t.column("seen_at").unwrap().nullable);
    assert_eq!(t.primary_key, vec!["id".to_string()]);

    let ds = bind(
        r#"
[masking.categories]
"user.contact.email" = { strategy = "hash" }

[databases.club.tables.customer]
erase = "mask"
retention = { rule = "inactive-2y", from = "seen_at" }
columns = { id = "system.operations", email = { category = "user.contact.email", identity = "email" }, active = "user.account.settings", balance = "user.financial", level = "system.operations", photo = { category = "user.biometric", masking = { strategy = "null" } }, born = "user.demographic.date_of_birth", seen_at = "user.behavior", visited = "user.behavior", score = "system.operations", visits = "system.operations" }
"#,
        &db,
    );
    let engine = Engine::connect(&ds, &[]).await.unwrap();
    // The default collation compares without case: the stored `Lotte@Example.nl` is found.
    let lotte = Subject::new("email", "lotte@example.nl");
    let rep = engine.access(&lotte).await.unwrap();
    assert_eq!(rep.total_rows, 1);
    let row = serde_json::to_value(&rep.tables[0].rows[0]).unwrap();
    assert_eq!(
        row["id"], "18446744073709551610",
        "beyond i64: kept exact as text"
    );
    assert_eq!(row["email"], "Lotte@Example.nl");
    assert_eq!(row["active"], true);
    assert_eq!(row["balance"], "12.50");
    assert_eq!(row["level"], "goud");
    assert_eq!(row["photo"], "cafe");
    assert_eq!(row["born"], "1990-02-03");
    assert_eq!(row["seen_at"], "2018-05-01 08:00:00+00:00");
    assert_eq!(row["visited"], "2026-10-01 09:15:00.250");
    assert_eq!(row["score"], 1.5);
    assert_eq!(row["visits"], 7);

    // Rectification writes each kind back, validated (personal-data columns only).
    let set = |c: &str, v: &str| (format!("customer.{c}"), v.to_string());
    engine
        .rectify(
            &lotte,
            &[
                set("active", "nee"),
                set("balance", "99.95"),
                set("born", "1991-03-04"),
                set("seen_at", "2019-06-01T10:00:00+02:00"),
                set("visited", "2026-11-02 10:00:00"),
            ],
            &opts(false),
        )
        .await
        .unwrap();
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(active AS TEXT), CAST(balance AS TEXT), CAST(born AS TEXT), CAST(seen_at AS TEXT), CAST(visited AS TEXT) FROM customer WHERE visits = 7",
        )
        .await,
        vec!["0|99.95|1991-03-04|2019-06-01 08:00:00|2026-11-02 10:00:00.000"]
    );
    let err = engine
        .rectify(&lotte, &[set("active", "misschien")], &opts(false))
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::InvalidValue { .. }), "{err}");

    // The sweep counts TIMESTAMP retention in UTC: Lotte (2019) expired, Ruben (2026) not.
    let reg = waarborg_testkit::policy(
        "[[purposes]]\nid = \"members\"\nname = \"Leden\"\n\n[[retention]]\nid = \"inactive-2y\"\npurpose = \"members\"\nperiod = \"P2Y\"\nfrom = \"last_visit\"\naction = \"anonymise\"\n",
    )
    .unwrap();
    let sweep = engine
        .sweep(
            &reg,
            now(),
            &SweepOptions {
                hash_key: Some(b"k".to_vec()),
                ..SweepOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(sweep.rules[0].expired, 1);
    assert_eq!(sweep.rules[0].anonymised, 1);
    let masked = rows(
        &db,
        "SELECT email, COALESCE(CAST(balance AS TEXT), 'NULL'), COALESCE(HEX(photo), 'NULL'), COALESCE(CAST(born AS TEXT), 'NULL') FROM customer WHERE visits = 7",
    )
    .await;
    let f: Vec<&str> = masked[0].split('|').collect();
    assert_eq!(f[0].len(), 64, "e-mail hashed: {masked:?}");
    assert_eq!(&f[1..], &["NULL", "NULL", "NULL"], "{masked:?}");
    assert_eq!(
        rows(&db, "SELECT email FROM customer WHERE id = 2").await,
        vec!["ruben@example.nl"]
    );
}

#[tokio::test]
async fn the_mariadb_scheme_is_an_alias() {
    let db = shop(Kind::Maria).await;
    let url = db.url.replacen("mysql://", "mariadb://", 1);
    let pool = Pool::connect("shop", &url).await.unwrap();
    assert_eq!(pool.backend(), waarborg_engine::Backend::Mysql);
    let engine = Engine::connect(&datasets(&db), &[("shop".into(), url)])
        .await
        .unwrap();
    let rep = engine
        .access(&Subject::new("email", "jan@example.nl"))
        .await
        .unwrap();
    assert_eq!(rep.total_rows, 9);
}

/// Composite keys and ON DELETE rules come out of `information_schema` whole.
#[tokio::test]
async fn introspection_keeps_composite_keys_and_delete_rules() {
    let db = new_db(Kind::Maria).await;
    exec(
        &db,
        "CREATE TABLE season (club INTEGER NOT NULL, year INTEGER NOT NULL, title VARCHAR(50), PRIMARY KEY (club, year));
CREATE TABLE entry (id INTEGER PRIMARY KEY, club INTEGER NOT NULL, year INTEGER NOT NULL, CONSTRAINT entry_season FOREIGN KEY (club, year) REFERENCES season (club, year) ON DELETE CASCADE);
CREATE TABLE note (id INTEGER PRIMARY KEY, entry_id INTEGER NULL, CONSTRAINT note_entry FOREIGN KEY (entry_id) REFERENCES entry (id) ON DELETE SET NULL);
",
    )
    .await;
    let pool = Pool::connect("club", &db.url).await.unwrap();
    let live = introspect("club", &pool).await.unwrap();
    let t = |n: &str| live.iter().find(|t| t.name == n).unwrap();
    assert_eq!(t("season").primary_key, vec!["club", "year"]);
    let fk = &t("entry").foreign_keys;
    assert_eq!(fk.len(), 1, "{fk:?}");
    assert_eq!(fk[0].columns, vec!["club", "year"]);
    assert_eq!(fk[0].ref_columns, vec!["club", "year"]);
    assert_eq!(fk[0].ref_table, "season");
    assert_eq!(fk[0].ref_schema, None);
    assert_eq!(fk[0].on_delete, "CASCADE");
    assert!(!fk[0].blocks_delete());
    let fk = &t("note").foreign_keys;
    assert_eq!(fk[0].on_delete, "SET NULL");
    assert!(t("note").column("entry_id").unwrap().nullable);
}
