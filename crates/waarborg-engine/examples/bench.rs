//! Benchmark on a generated shop database: access and erasure time per request (median, p99)
//! with case-insensitive identity lookups (`LOWER(TRIM(email))`, served by expression indexes on
//! both sides)
//! and sweep rows per second, each beside minimal hand-written SQL doing the same work.
//!
//! ```sh
//! CARGO_TARGET_DIR=... cargo run --release -p waarborg-engine --example bench
//! WAARBORG_BENCH_PEOPLE=1000000 WAARBORG_BENCH_BACKEND=postgres cargo run --release ... --example bench
//! ```
//!
//! Environment: `WAARBORG_BENCH_PEOPLE` (default 100000; 10 tables, 26 rows per person),
//! `WAARBORG_BENCH_REQUESTS` (default 200 per measurement), `WAARBORG_BENCH_BACKEND`
//! (`sqlite`, `postgres`, `mariadb`, `both` for SQLite and PostgreSQL, or `all`, the default;
//! PostgreSQL from `WAARBORG_TEST_PG_URL` or the local trust-auth server, MariaDB from
//! `WAARBORG_TEST_MYSQL_URL` or root on 127.0.0.1:3306). Not part of the test run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::time::{Duration, Instant};

use sqlx::Connection;
use waarborg_engine::{Datasets, Engine, EraseOptions, Subject, SweepOptions};

const DATASETS: &str = r#"
[databases.b.tables.people]
erase = "delete"
columns = { id = "user.unique_id", email = { category = "user.contact.email", identity = "email" }, name = "user.name", phone = "user.contact.phone_number", created_at = "system.operations" }
[databases.b.tables.addresses]
columns = { id = "system.operations", person_id = "user.unique_id", street = "user.contact.address.street", city = "user.contact.address.city" }
references = [{ column = "person_id", to = "people.id", direction = "from" }]
[databases.b.tables.orders]
erase = "mask"
columns = { id = "system.operations", person_id = "user.unique_id", placed_at = "system.operations", delivery_note = "user.content.private", total_cents = "system.operations" }
references = [{ column = "person_id", to = "people.id", direction = "from" }]
[databases.b.tables.order_lines]
erase = "mask"
columns = { id = "system.operations", order_id = "system.operations", product = "system.operations", qty = "system.operations" }
references = [{ column = "order_id", to = "orders.id", direction = "from" }]
[databases.b.tables.payments]
erase = "mask"
columns = { id = "system.operations", order_id = "system.operations", iban = "user.financial.bank_account", amount_cents = "system.operations" }
references = [{ column = "order_id", to = "orders.id", direction = "from" }]
[databases.b.tables.invoices]
erase = "mask"
hold = { hold = "fiscal", from = "invoice_date", keep = ["customer_name"] }
columns = { id = "system.operations", order_id = "system.operations", invoice_date = "system.operations", customer_name = "user.name", customer_email = "user.contact.email" }
references = [{ column = "order_id", to = "orders.id", direction = "from" }]
[databases.b.tables.tickets]
columns = { id = "system.operations", person_id = "user.unique_id", subject = "user.content.private" }
references = [{ column = "person_id", to = "people.id", direction = "from" }]
[databases.b.tables.messages]
columns = { id = "system.operations", ticket_id = "system.operations", body = "user.content.private" }
references = [{ column = "ticket_id", to = "tickets.id", direction = "from" }]
[databases.b.tables.sessions]
retention = { rule = "sessions-1y", from = "started_at" }
columns = { id = "system.operations", person_id = "user.unique_id", ip = "user.device.ip_address", started_at = "system.operations" }
references = [{ column = "person_id", to = "people.id", direction = "from" }]
[databases.b.tables.newsletter]
columns = { id = "system.operations", email = { category = "user.contact.email", identity = "email" }, subscribed_at = "system.operations" }
"#;

/// The register tables the bench needs (after `waarborg_testkit::POLICY_HEADER`).
const REGISTER: &str = r#"
[[purposes]]
id = "sessions"
name = "Sessies"
[[retention]]
id = "sessions-1y"
purpose = "sessions"
period = "P1Y"
from = "collection"
[[legal_holds]]
id = "fiscal"
law = "AWR art. 52(4)"
period = "P7Y"
from = "invoice_date"
"#;

fn schema(backend: &str, n: u64) -> String {
    let pg = backend == "postgres";
    let maria = backend == "mariadb";
    let ts = if pg { "TIMESTAMP" } else { "DATETIME" };
    // Integer division (MariaDB's `/` gives a decimal that the INSERT would round).
    let div = if maria { "DIV" } else { "/" };
    // Numbers 1..n: generate_series on PostgreSQL, the sequence engine on MariaDB, a recursive
    // CTE on SQLite. (`||` concatenates on MariaDB too: sqlx sets PIPES_AS_CONCAT.)
    let nums = |k: u64| {
        if pg {
            format!("(SELECT generate_series(1, {k}) AS x) g")
        } else if maria {
            format!("(SELECT seq AS x FROM seq_1_to_{k}) g")
        } else {
            format!(
                "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {k}) SELECT x FROM c) g"
            )
        }
    };
    let date = |expr: &str| {
        if pg {
            format!("(TIMESTAMP '2019-01-01 00:00:00' + ({expr}) * INTERVAL '1 hour')")
        } else if maria {
            format!("(TIMESTAMP '2019-01-01 00:00:00' + INTERVAL ({expr}) HOUR)")
        } else {
            format!("datetime('2019-01-01 00:00:00', '+' || ({expr}) || ' hours')")
        }
    };
    let mod_ = |a: &str, b: u64| format!("(({a}) % {b})");
    let p = nums(n);
    let o = nums(n * 3);
    let l = nums(n * 6);
    let s = nums(n * 5);
    let t = nums(n);
    let m = nums(n * 2);
    // `sessions_hand` is the hand-written sweep's copy of `sessions`, outside the dataset: it has
    // no foreign key, which the engine would rightly report as blocking the deletes of people.
    format!(
        "CREATE TABLE people (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, name VARCHAR(100), phone VARCHAR(20), created_at {ts} NOT NULL);
CREATE TABLE addresses (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id), street VARCHAR(100), city VARCHAR(100));
CREATE TABLE orders (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id), placed_at {ts} NOT NULL, delivery_note VARCHAR(200), total_cents INTEGER);
CREATE TABLE order_lines (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), product VARCHAR(100), qty INTEGER);
CREATE TABLE payments (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), iban VARCHAR(34), amount_cents INTEGER);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), invoice_date DATE NOT NULL, customer_name VARCHAR(100), customer_email VARCHAR(100));
CREATE TABLE tickets (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id), subject VARCHAR(200));
CREATE TABLE messages (id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL REFERENCES tickets(id), body VARCHAR(500));
CREATE TABLE sessions (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id), ip VARCHAR(45), started_at {ts} NOT NULL);
CREATE TABLE sessions_hand (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL, ip VARCHAR(45), started_at {ts} NOT NULL);
CREATE TABLE newsletter (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, subscribed_at {ts});
INSERT INTO people SELECT x, 'p' || x || '@example.nl', 'Persoon ' || x, '06' || x, {pdate} FROM {p};
INSERT INTO addresses SELECT x, x, 'Straat ' || x, 'Plaats' FROM {p2};
INSERT INTO orders SELECT x, (x + 2) {div} 3, {odate}, 'notitie ' || x, x FROM {o};
INSERT INTO order_lines SELECT x, (x + 1) {div} 2, 'product', 1 FROM {l};
INSERT INTO payments SELECT x, x, 'NL00BANK' || x, x FROM {o2};
INSERT INTO invoices SELECT x, x, {odate_d}, 'Persoon ' || ((x + 2) {div} 3), 'p' || ((x + 2) {div} 3) || '@example.nl' FROM {o3};
INSERT INTO tickets SELECT x, x, 'vraag' FROM {t};
INSERT INTO messages SELECT x, (x + 1) {div} 2, 'bericht ' || x FROM {m};
INSERT INTO sessions SELECT x, (x + 4) {div} 5, '10.0.0.1', {sdate} FROM {s};
INSERT INTO sessions_hand SELECT * FROM sessions;
INSERT INTO newsletter SELECT x, 'p' || x || '@example.nl', {pdate} FROM {p3};
CREATE INDEX people_email ON people((LOWER(TRIM(email))));
CREATE INDEX addresses_person ON addresses(person_id);
CREATE INDEX orders_person ON orders(person_id);
CREATE INDEX lines_order ON order_lines(order_id);
CREATE INDEX payments_order ON payments(order_id);
CREATE INDEX invoices_order ON invoices(order_id);
CREATE INDEX tickets_person ON tickets(person_id);
CREATE INDEX messages_ticket ON messages(ticket_id);
CREATE INDEX sessions_person ON sessions(person_id);
CREATE INDEX sessions_hand_person ON sessions_hand(person_id);
CREATE INDEX newsletter_email ON newsletter((LOWER(TRIM(email))));
",
        pdate = date(&mod_("x", 60000)),
        odate_d = if pg || maria {
            format!("CAST({} AS DATE)", date(&mod_("x * 7", 68000)))
        } else {
            format!("date({})", date(&mod_("x * 7", 68000)))
        },
        odate = date(&mod_("x * 7", 68000)),
        sdate = date(&mod_("x * 13", 68000)),
        p2 = nums(n),
        p3 = nums(n),
        o2 = nums(n * 3),
        o3 = nums(n * 3),
    )
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let med = ms(v[v.len() / 2]);
    let p99 = ms(v[((v.len() as f64 * 0.99).ceil() as usize).saturating_sub(1)]);
    (med, p99)
}

enum Conn {
    Sqlite(sqlx::SqliteConnection),
    Pg(sqlx::PgConnection),
    Maria(sqlx::MySqlConnection),
}

impl Conn {
    async fn run(&mut self, sql: &str, binds: &[&str]) -> u64 {
        match self {
            Conn::Sqlite(c) => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
                for b in binds {
                    q = q.bind(b.to_string());
                }
                let rows = q.fetch_all(&mut *c).await.unwrap();
                rows.len() as u64
            }
            Conn::Pg(c) => {
                let pg = sql.replace('?', "$1");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(pg));
                for b in binds {
                    q = q.bind(b.to_string());
                }
                let rows = q.fetch_all(&mut *c).await.unwrap();
                rows.len() as u64
            }
            Conn::Maria(c) => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
                for b in binds {
                    q = q.bind(b.to_string());
                }
                let rows = q.fetch_all(&mut *c).await.unwrap();
                rows.len() as u64
            }
        }
    }
    async fn exec(&mut self, sql: &str) {
        match self {
            Conn::Sqlite(c) => {
                sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut *c)
                    .await
                    .unwrap();
            }
            Conn::Pg(c) => {
                sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut *c)
                    .await
                    .unwrap();
            }
            Conn::Maria(c) => {
                sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut *c)
                    .await
                    .unwrap();
            }
        }
    }
}

/// The hand-written access: one query per table, joined through subqueries.
async fn hand_access(c: &mut Conn, email: &str) -> u64 {
    let pid = "(SELECT id FROM people WHERE LOWER(TRIM(email)) = ?)";
    let oid = format!("(SELECT id FROM orders WHERE person_id IN {pid})");
    let mut n = 0;
    n += c
        .run(
            "SELECT * FROM people WHERE LOWER(TRIM(email)) = ?",
            &[email],
        )
        .await;
    n += c
        .run(
            "SELECT * FROM newsletter WHERE LOWER(TRIM(email)) = ?",
            &[email],
        )
        .await;
    for t in ["addresses", "orders", "tickets", "sessions"] {
        n += c
            .run(
                &format!("SELECT * FROM {t} WHERE person_id IN {pid}"),
                &[email],
            )
            .await;
    }
    for t in ["order_lines", "payments", "invoices"] {
        n += c
            .run(
                &format!("SELECT * FROM {t} WHERE order_id IN {oid}"),
                &[email],
            )
            .await;
    }
    n += c
        .run(&format!("SELECT * FROM messages WHERE ticket_id IN (SELECT id FROM tickets WHERE person_id IN {pid})"), &[email])
        .await;
    n
}

/// The hand-written erasure: the same deletes and masks in one transaction.
async fn hand_erase(c: &mut Conn, email: &str, hold_cutoff: &str) {
    let pid = "(SELECT id FROM people WHERE LOWER(TRIM(email)) = ?)";
    let oid = format!("(SELECT id FROM orders WHERE person_id IN {pid})");
    c.exec("BEGIN").await;
    c.run(&format!("DELETE FROM messages WHERE ticket_id IN (SELECT id FROM tickets WHERE person_id IN {pid})"), &[email]).await;
    for t in ["tickets", "sessions", "addresses"] {
        c.run(
            &format!("DELETE FROM {t} WHERE person_id IN {pid}"),
            &[email],
        )
        .await;
    }
    c.run(
        "DELETE FROM newsletter WHERE LOWER(TRIM(email)) = ?",
        &[email],
    )
    .await;
    c.run(
        &format!("UPDATE orders SET delivery_note = NULL WHERE person_id IN {pid}"),
        &[email],
    )
    .await;
    c.run(
        &format!("UPDATE payments SET iban = NULL WHERE order_id IN {oid}"),
        &[email],
    )
    .await;
    c.run(&format!("UPDATE invoices SET customer_email = NULL WHERE order_id IN {oid} AND invoice_date >= '{hold_cutoff}'"), &[email]).await;
    c.run(&format!("UPDATE invoices SET customer_email = NULL, customer_name = NULL WHERE order_id IN {oid} AND invoice_date < '{hold_cutoff}'"), &[email]).await;
    c.run(
        "UPDATE people SET email = 'x' || id, name = NULL, phone = NULL WHERE LOWER(TRIM(email)) = ?",
        &[email],
    )
    .await;
    c.exec("COMMIT").await;
}

/// The hand-written erasure in MariaDB's own form: multi-table DELETE and UPDATE with joins
/// (MariaDB 10.x runs `WHERE col IN (subquery)` in a single-table DELETE or UPDATE as a scan).
async fn hand_erase_maria(c: &mut Conn, email: &str, hold_cutoff: &str) {
    let people = "JOIN people p ON p.id = x.person_id WHERE p.email = ?";
    let orders = "JOIN orders o ON o.id = x.order_id JOIN people p ON p.id = o.person_id";
    c.exec("BEGIN").await;
    c.run("DELETE m FROM messages m JOIN tickets x ON x.id = m.ticket_id JOIN people p ON p.id = x.person_id WHERE p.email = ?", &[email]).await;
    for t in ["tickets", "sessions", "addresses"] {
        c.run(&format!("DELETE x FROM {t} x {people}"), &[email])
            .await;
    }
    c.run("DELETE FROM newsletter WHERE email = ?", &[email])
        .await;
    c.run(
        "UPDATE orders x JOIN people p ON p.id = x.person_id SET x.delivery_note = NULL WHERE p.email = ?",
        &[email],
    )
    .await;
    c.run(
        &format!("UPDATE payments x {orders} SET x.iban = NULL WHERE p.email = ?"),
        &[email],
    )
    .await;
    c.run(&format!("UPDATE invoices x {orders} SET x.customer_email = NULL WHERE p.email = ? AND x.invoice_date >= '{hold_cutoff}'"), &[email]).await;
    c.run(&format!("UPDATE invoices x {orders} SET x.customer_email = NULL, x.customer_name = NULL WHERE p.email = ? AND x.invoice_date < '{hold_cutoff}'"), &[email]).await;
    c.run(
        "UPDATE people SET email = 'x' || id, name = NULL, phone = NULL WHERE email = ?",
        &[email],
    )
    .await;
    c.exec("COMMIT").await;
}

async fn bench(backend: &str, people: u64, requests: u64) {
    let _pg_db;
    let _maria_db;
    let _dir;
    let url = if backend == "postgres" {
        let db = waarborg_testkit::PgTestDb::create().await.unwrap();
        let u = db.url().to_string();
        _pg_db = db;
        u
    } else if backend == "mariadb" {
        let db = waarborg_testkit::MariaTestDb::create().await.unwrap();
        let u = db.url().to_string();
        _maria_db = db;
        u
    } else {
        let d = tempfile::tempdir().unwrap();
        let u = format!("sqlite://{}", d.path().join("bench.db").display());
        _dir = d;
        u
    };
    let t = Instant::now();
    waarborg_engine::run_script(&url, &schema(backend, people))
        .await
        .unwrap();
    let mut conn = if backend == "postgres" {
        Conn::Pg(sqlx::PgConnection::connect(&url).await.unwrap())
    } else if backend == "mariadb" {
        Conn::Maria(sqlx::MySqlConnection::connect(&url).await.unwrap())
    } else {
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&mut c)
            .await
            .unwrap();
        Conn::Sqlite(c)
    };
    if backend == "mariadb" {
        conn.exec("ANALYZE TABLE people, addresses, orders, order_lines, payments, invoices, tickets, messages, sessions, sessions_hand, newsletter").await;
    } else {
        conn.exec("ANALYZE").await;
    }
    println!(
        "\n== {backend}: {people} people, {} rows, generated in {:.1} s",
        people * 26 + people * 5,
        t.elapsed().as_secs_f64()
    );

    let mut ds = Datasets::from_toml(DATASETS).unwrap();
    ds.bind(&[("b".into(), url.clone())]).unwrap();
    let engine = Engine::connect(&ds, &[]).await.unwrap();
    let reg = waarborg_testkit::policy(REGISTER).unwrap();
    let step = (people / requests).max(1);

    // Access. The engine and the hand-written SQL each read a different person (half a step
    // apart), and take turns going first: the one that ran second on the same rows would find
    // them in the server's cache (at 1M people the tables no longer fit in it).
    let (mut eng, mut hand) = (Vec::new(), Vec::new());
    let mut rows = 0;
    for i in 0..requests {
        let email = format!("p{}@example.nl", 1 + i * step);
        let other = format!("p{}@example.nl", 1 + i * step + step / 2);
        for turn in 0..2 {
            if (turn + i) % 2 == 0 {
                let t = Instant::now();
                let r = engine.access(&Subject::new("email", &email)).await.unwrap();
                eng.push(t.elapsed());
                rows = r.total_rows as u64;
            } else {
                let t = Instant::now();
                hand_access(&mut conn, &other).await;
                hand.push(t.elapsed());
            }
        }
        assert_eq!(
            rows,
            hand_access(&mut conn, &email).await,
            "engine and hand-written SQL disagree"
        );
    }
    let (em, ep) = stats(eng);
    let (hm, hp) = stats(hand);
    println!(
        "access ({rows} rows/person): engine median {em:.2} ms p99 {ep:.2} ms | hand-written median {hm:.2} ms p99 {hp:.2} ms | ratio {:.2}",
        em / hm
    );

    // Erasure (different people for the engine and the hand-written SQL, taking turns)
    let opts = EraseOptions {
        now: Some("2026-11-20T12:00:00Z".parse().unwrap()),
        hash_key: Some(b"bench".to_vec()),
        ..EraseOptions::default()
    };
    let (mut eng, mut hand) = (Vec::new(), Vec::new());
    for i in 0..requests {
        let a = format!("p{}@example.nl", 2 + i * step);
        let b = format!("p{}@example.nl", 2 + i * step + step / 2);
        for turn in 0..2 {
            if (turn + i) % 2 == 0 {
                let t = Instant::now();
                let cert = engine
                    .erase(&Subject::new("email", &a), Some(&reg), &opts)
                    .await
                    .unwrap();
                eng.push(t.elapsed());
                assert_eq!(cert.remaining_changes, 0);
            } else {
                let t = Instant::now();
                if backend == "mariadb" {
                    hand_erase_maria(&mut conn, &b, "2019-11-20").await;
                } else {
                    hand_erase(&mut conn, &b, "2019-11-20").await;
                }
                hand.push(t.elapsed());
            }
        }
    }
    let (em, ep) = stats(eng);
    let (hm, hp) = stats(hand);
    println!(
        "erase: engine median {em:.2} ms p99 {ep:.2} ms (incl. traversal + verification) | hand-written median {hm:.2} ms p99 {hp:.2} ms | ratio {:.2}",
        em / hm
    );

    // Sweep: sessions older than one year (about 40% of them).
    let t = Instant::now();
    let rep = engine
        .sweep(
            &reg,
            "2026-11-20T12:00:00Z".parse().unwrap(),
            &SweepOptions {
                batch_size: 1000,
                ..SweepOptions::default()
            },
        )
        .await
        .unwrap();
    let es = t.elapsed().as_secs_f64();
    let deleted: u64 = rep.rules.iter().map(|r| r.deleted).sum();
    let cutoff = "2025-11-20 12:00:00";
    let sql_batch = if backend == "mariadb" {
        // MariaDB takes no LIMIT in an IN subquery; a single-table DELETE takes one itself.
        format!("DELETE FROM sessions_hand WHERE started_at < '{cutoff}' ORDER BY id LIMIT 1000")
    } else if backend == "postgres" {
        format!(
            "DELETE FROM sessions_hand WHERE id IN (SELECT id FROM sessions_hand WHERE started_at < TIMESTAMP '{cutoff}' ORDER BY id LIMIT 1000)"
        )
    } else {
        format!(
            "DELETE FROM sessions_hand WHERE id IN (SELECT id FROM sessions_hand WHERE datetime(started_at) < '{cutoff}' ORDER BY id LIMIT 1000)"
        )
    };
    let t = Instant::now();
    let mut hand_deleted = 0u64;
    loop {
        let n = match &mut conn {
            Conn::Sqlite(c) => sqlx::query(sqlx::AssertSqlSafe(sql_batch.clone()))
                .execute(&mut *c)
                .await
                .unwrap()
                .rows_affected(),
            Conn::Pg(c) => sqlx::query(sqlx::AssertSqlSafe(sql_batch.clone()))
                .execute(&mut *c)
                .await
                .unwrap()
                .rows_affected(),
            Conn::Maria(c) => sqlx::query(sqlx::AssertSqlSafe(sql_batch.clone()))
                .execute(&mut *c)
                .await
                .unwrap()
                .rows_affected(),
        };
        hand_deleted += n;
        if n == 0 {
            break;
        }
    }
    let hs = t.elapsed().as_secs_f64();
    println!(
        "sweep: engine {deleted} rows in {es:.2} s = {:.0} rows/s | hand-written batched DELETE {hand_deleted} rows in {hs:.2} s = {:.0} rows/s | ratio {:.2}",
        deleted as f64 / es,
        hand_deleted as f64 / hs,
        es / hs
    );
}

fn main() {
    let people: u64 = std::env::var("WAARBORG_BENCH_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let requests: u64 = std::env::var("WAARBORG_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let backend = std::env::var("WAARBORG_BENCH_BACKEND").unwrap_or_else(|_| "all".into());
    let rt = tokio::runtime::Runtime::new().unwrap();
    for b in ["sqlite", "postgres", "mariadb"] {
        if backend == "all" || (backend == "both" && b != "mariadb") || backend == b {
            rt.block_on(bench(b, people, requests));
        }
    }
}
