//! The two measurements of `waarborg serve` (issue 10), against the release binary run as a
//! separate process (so that its peak memory is its own):
//!
//! 1. `queue`: a store with 10,000 cases (mixed kinds, statuses and deadlines), an officer with
//!    a dashboard session and an API token; the case queue page (`GET /cases`, session cookie)
//!    and `GET /api/v1/cases` (bearer token) at 1, 8 and 64 concurrent clients, each run bounded
//!    in requests and seconds; requests/s, p50 and p99 per run, and the server's peak RSS
//!    (`VmHWM`).
//! 2. `fides`: Fides' example schema (`../shared/external/fides/`) scaled to 1M customers on
//!    the local PostgreSQL (a database of its own, dropped afterwards), served with Fides'
//!    dataset file; per-request latency of the `/run` call of an access and an erasure case
//!    through the API, beside the hand-written SQL of the same access and erasure on a warm
//!    connection.
//!
//! ```sh
//! cargo build --release -p waarborg                    # the server (`--examples` builds no bin)
//! cargo build --release -p waarborg-server --examples
//! target/release/examples/load            # both
//! target/release/examples/load queue --store postgres
//! target/release/examples/load fides --customers 1000000 --requests 20
//! target/release/examples/load portal --requests 2000
//! ```
//!
//! Options: `--bin PATH` (default `target/release/waarborg`), `--store URL` (queue: default a
//! new SQLite file; a PostgreSQL URL names the server, a database of its own is made there),
//! `--store postgres` makes a database of its own on the test PostgreSQL server,
//! `WAARBORG_TEST_PG_URL` or the local trust-auth one, dropped afterwards; the `fides` part
//! always uses that server), `--cases N` (10000), `--requests N` per run (2000), `--seconds S`
//! per run (15),
//! `--customers N` (1000000), `--subjects N` per kind (20). Not part of the test run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    missing_docs
)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::Connection;
use waarborg_store::{CaseKind, NewCase, Role, Store};

const FIDES_KEY: &str = "postgres_example_test_dataset";

fn fides_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../../shared/external/fides/{name}"))
}

struct Opts {
    bin: PathBuf,
    store: Option<String>,
    cases: u64,
    requests: u64,
    seconds: u64,
    customers: u64,
    subjects: u64,
}

fn opts() -> (String, Opts) {
    let mut args = std::env::args().skip(1);
    let mut mode = "all".to_string();
    let target = std::env::var("CARGO_TARGET_DIR").map_or_else(
        |_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    );
    let mut o = Opts {
        bin: target.join("release/waarborg"),
        store: None,
        cases: 10_000,
        requests: 2000,
        seconds: 15,
        customers: 1_000_000,
        subjects: 20,
    };
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--bin" => o.bin = PathBuf::from(val()),
            "--store" => o.store = Some(val()),
            "--cases" => o.cases = val().parse().unwrap(),
            "--requests" => o.requests = val().parse().unwrap(),
            "--seconds" => o.seconds = val().parse().unwrap(),
            "--customers" => o.customers = val().parse().unwrap(),
            "--subjects" => o.subjects = val().parse().unwrap(),
            "queue" | "fides" | "portal" | "all" => mode = a.clone(),
            other => panic!("unknown argument {other}; see the top of examples/load.rs"),
        }
    }
    assert!(
        o.bin.exists(),
        "{} is missing: cargo build --release -p waarborg",
        o.bin.display()
    );
    (mode, o)
}

/// `waarborg serve` as a child process; killed (SIGTERM, then waited for) on drop.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(bin: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(bin)
            .arg("serve")
            .args(args)
            .args(["--bind", "127.0.0.1:0"])
            .env(
                "WAARBORG_MASK_KEY",
                std::env::var("WAARBORG_MASK_KEY").unwrap_or_else(|_| "bench-mask-key".into()),
            )
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let base = loop {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("waarborg serve stopped before listening"))
                .unwrap();
            eprintln!("  server: {line}");
            if let Some(rest) = line.split("dashboard at ").nth(1) {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_string();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Server { child, base }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `VmHWM` and `VmRSS` of the server, in MiB.
    fn memory(&self) -> (f64, f64) {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let kb = |key: &str| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (kb("VmHWM:") / 1024.0, kb("VmRSS:") / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    ms(sorted[i])
}

/// Adds an officer with a dashboard session and an API token; returns (cookie, bearer).
async fn officer(store: &Store) -> (String, String) {
    let user = store
        .add_user(
            "bench-officer@example.nl",
            "bench-password-123456",
            Role::Officer,
            waarborg_policy::Lang::Nl,
        )
        .await
        .unwrap();
    let now = jiff::Timestamp::now();
    let (session, _) = store
        .create_session(user.id, now, Duration::from_secs(8 * 3600))
        .await
        .unwrap();
    let (token, _) = store
        .create_api_token(user.id, "bench", now, Duration::from_secs(8 * 3600))
        .await
        .unwrap();
    (
        format!("wb_session={}", session.as_str()),
        format!("Bearer {}", token.as_str()),
    )
}

/// A store URL of its own: a new SQLite file in `dir` (or the path given), or with
/// `postgres` a new database on the test PostgreSQL server (`WAARBORG_TEST_PG_URL` or the local
/// trust-auth server), dropped with the returned guard.
async fn own_store(
    store: Option<&str>,
    dir: &Path,
) -> (String, Option<waarborg_testkit::PgTestDb>) {
    match store {
        Some(s) if s.starts_with("postgres") => {
            let db = waarborg_testkit::PgTestDb::create().await.unwrap();
            (db.url().to_string(), Some(db))
        }
        Some(path) => (path.to_string(), None),
        None => (dir.join("store.db").display().to_string(), None),
    }
}

async fn queue(o: &Opts) {
    let dir = tempfile::tempdir().unwrap();
    let (url, _guard) = own_store(o.store.as_deref(), dir.path()).await;
    let keys = waarborg_app::Keys::from_env();
    let store = waarborg_app::config::open_store(&url, &keys, false, 8)
        .await
        .unwrap();
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    // 10,000 cases: kinds in turn, received over the last 45 days (so some are overdue and
    // some due this week), statuses: 50% received, 20% verified, 10% in progress, 10% done,
    // 10% rejected.
    let t = Instant::now();
    let store = Arc::new(store);
    let workers = 4u64;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let store = store.clone();
        let n = o.cases;
        tasks.push(tokio::spawn(async move {
            let mut i = w;
            while i < n {
                let kind = CaseKind::ALL[(i % 7) as usize];
                let received = jiff::Timestamp::now()
                    - jiff::SignedDuration::from_mins(((i * 6481) % (45 * 24 * 60)) as i64);
                let subject =
                    waarborg_store::Identity::parse_pairs([format!("email=person-{i}@example.nl")])
                        .unwrap();
                let c = store
                    .open_case(NewCase::new(kind, subject).received(received))
                    .await
                    .unwrap();
                let s = i % 10;
                if (5..=8).contains(&s) {
                    store.verify_case(&c.id, "e-mail link").await.unwrap();
                }
                if (7..=8).contains(&s) {
                    store.start_case(&c.id, "bench").await.unwrap();
                }
                if s == 8 {
                    store.close_case(&c.id, Some("bench")).await.unwrap();
                }
                if s == 9 {
                    store.reject_case(&c.id, "bench").await.unwrap();
                }
                i += workers;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (cookie, bearer) = officer(&store).await;
    println!(
        "\n== case queue and API on {backend}: {} cases made in {:.1} s",
        o.cases,
        t.elapsed().as_secs_f64()
    );
    store.close().await;
    drop(store);

    let data = dir.path().join("data");
    let server = Server::start(
        &o.bin,
        &["--store", &url, "--data-dir", data.to_str().unwrap()],
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .build()
        .unwrap();
    let (hwm0, _) = server.memory();
    println!(
        "server pid {}, peak RSS after start {hwm0:.1} MiB",
        server.pid()
    );
    println!(
        "| endpoint | clients | requests | req/s | p50 ms | p99 ms | max ms | bytes/response |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (name, path, auth) in [
        (
            "GET /healthz (floor: HTTP and this client)",
            "/healthz",
            ("x-none", ""),
        ),
        (
            "GET /cases (queue page)",
            "/cases",
            ("cookie", cookie.as_str()),
        ),
        (
            "GET /api/v1/cases",
            "/api/v1/cases",
            ("authorization", bearer.as_str()),
        ),
    ] {
        let url = format!("{}{path}", server.base);
        // Warm up (and check the answer).
        for _ in 0..3 {
            let r = client
                .get(&url)
                .header(auth.0, auth.1)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{url}");
            r.bytes().await.unwrap();
        }
        for clients in [1u64, 8, 64] {
            let left = Arc::new(AtomicU64::new(o.requests));
            let bytes = Arc::new(AtomicU64::new(0));
            let until = Instant::now() + Duration::from_secs(o.seconds);
            let start = Instant::now();
            let mut tasks = Vec::new();
            for _ in 0..clients {
                let (client, url, left, bytes) =
                    (client.clone(), url.clone(), left.clone(), bytes.clone());
                let auth = (auth.0, auth.1.to_string());
                tasks.push(tokio::spawn(async move {
                    let mut lat = Vec::new();
                    while Instant::now() < until
                        && left
                            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                            .is_ok()
                    {
                        let t = Instant::now();
                        let r = client
                            .get(&url)
                            .header(auth.0, &auth.1)
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(r.status(), 200);
                        let b = r.bytes().await.unwrap();
                        lat.push(t.elapsed());
                        bytes.fetch_add(b.len() as u64, Ordering::Relaxed);
                    }
                    lat
                }));
            }
            let mut lat = Vec::new();
            for t in tasks {
                lat.extend(t.await.unwrap());
            }
            let wall = start.elapsed().as_secs_f64();
            lat.sort();
            println!(
                "| {name} | {clients} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
                lat.len(),
                lat.len() as f64 / wall,
                pct(&lat, 0.5),
                pct(&lat, 0.99),
                lat.last().map_or(f64::NAN, |d| ms(*d)),
                bytes.load(Ordering::Relaxed) / lat.len().max(1) as u64,
            );
        }
    }
    let (hwm, rss) = server.memory();
    println!("server peak RSS (VmHWM) {hwm:.1} MiB, RSS at the end {rss:.1} MiB");
}

/// The data subject's portal of the demo (`serve --demo`, mails to the built-in sink): the
/// privacy statement rendered from the register, and the request intake by form and by API
/// (every request writes a link and queues a mail). The rate limits are lifted for the run.
async fn portal(o: &Opts) {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    let server = Server::start(
        &o.bin,
        &[
            "--demo",
            "--demo-dir",
            demo.to_str().unwrap(),
            "--portal-client-limit",
            "1000000000",
            "--portal-address-limit",
            "1000000000",
        ],
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // The form's CSRF cookie and token, as a browser has them after opening /portal.
    let r = client
        .get(format!("{}/portal", server.base))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = r.text().await.unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let token = html.get(at..at + 64).unwrap().to_string();
    println!("\n== the portal (demo register, SQLite store)");
    println!(
        "| endpoint | clients | requests | req/s | p50 ms | p99 ms | max ms | bytes/response |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let n = Arc::new(AtomicU64::new(0));
    for (name, kind) in [
        ("GET /privacy (statement rendered from the register)", 0),
        ("POST /portal/request (form)", 1),
        ("POST /api/v1/requests", 2),
    ] {
        for clients in [1u64, 8, 64] {
            let left = Arc::new(AtomicU64::new(o.requests));
            let bytes = Arc::new(AtomicU64::new(0));
            let until = Instant::now() + Duration::from_secs(o.seconds);
            let start = Instant::now();
            let mut tasks = Vec::new();
            for _ in 0..clients {
                let (client, base, left, bytes, n) = (
                    client.clone(),
                    server.base.clone(),
                    left.clone(),
                    bytes.clone(),
                    n.clone(),
                );
                let (cookie, token) = (cookie.clone(), token.clone());
                tasks.push(tokio::spawn(async move {
                    let mut lat = Vec::new();
                    while Instant::now() < until
                        && left
                            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                            .is_ok()
                    {
                        let i = n.fetch_add(1, Ordering::Relaxed);
                        let email = format!("person-{i}@example.nl");
                        let t = Instant::now();
                        let r = match kind {
                            0 => client.get(format!("{base}/privacy")).send().await.unwrap(),
                            1 => client
                                .post(format!("{base}/portal/request"))
                                .header("cookie", &cookie)
                                .form(&[
                                    ("csrf", token.as_str()),
                                    ("kind", "access"),
                                    ("email", &email),
                                    ("lang", "nl"),
                                ])
                                .send()
                                .await
                                .unwrap(),
                            _ => client
                                .post(format!("{base}/api/v1/requests"))
                                .json(&serde_json::json!({"kind": "access", "email": email}))
                                .send()
                                .await
                                .unwrap(),
                        };
                        let status = r.status().as_u16();
                        assert!(status == 200 || status == 202, "{name}: {status}");
                        let b = r.bytes().await.unwrap();
                        lat.push(t.elapsed());
                        bytes.fetch_add(b.len() as u64, Ordering::Relaxed);
                    }
                    lat
                }));
            }
            let mut lat = Vec::new();
            for t in tasks {
                lat.extend(t.await.unwrap());
            }
            let wall = start.elapsed().as_secs_f64();
            lat.sort();
            println!(
                "| {name} | {clients} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
                lat.len(),
                lat.len() as f64 / wall,
                pct(&lat, 0.5),
                pct(&lat, 0.99),
                lat.last().map_or(f64::NAN, |d| ms(*d)),
                bytes.load(Ordering::Relaxed) / lat.len().max(1) as u64,
            );
        }
    }
    let (hwm, rss) = server.memory();
    println!("server peak RSS (VmHWM) {hwm:.1} MiB, RSS at the end {rss:.1} MiB");
}

/// Fides' tables (their CREATE TABLE statements, read from the sample SQL) filled with
/// `n` customers: per customer one address, one payment card, two orders of two items, three
/// logins, one visit, one service request and one report; six products and ten employees.
fn fides_load_sql(n: u64) -> String {
    let sample = std::fs::read_to_string(fides_file(
        "src__fides__data__sample_project__postgres_sample.sql",
    ))
    .unwrap();
    let ddl = sample.split("INSERT INTO").next().unwrap();
    format!(
        "{ddl}
INSERT INTO product SELECT x, 'Product ' || x, 'Cookie', 'https://example.com/' || x, 20 FROM generate_series(1, 6) x;
INSERT INTO address SELECT x, x % 1000, 'Street ' || x, 'Town ' || (x % 500), 'NY', lpad((x % 99999)::text, 5, '0') FROM generate_series(1, {n} + 10) x;
INSERT INTO employee SELECT x, 'employee-' || x || '@example.com', 'Employee ' || x, {n} + x FROM generate_series(1, 10) x;
INSERT INTO customer SELECT x, 'customer-' || x || '@example.com', 'Customer ' || x, TIMESTAMP '2020-01-01' + x * INTERVAL '1 minute', x FROM generate_series(1, {n}) x;
INSERT INTO payment_card SELECT 'pay_' || x, 'Card ' || x, 4000000000 + x, x % 1000, true, x, x FROM generate_series(1, {n}) x;
INSERT INTO orders SELECT 'ord_' || x, (x + 1) / 2, (x + 1) / 2, 'pay_' || ((x + 1) / 2) FROM generate_series(1, 2 * {n}) x;
INSERT INTO order_item SELECT 'ord_' || ((x + 1) / 2), 1 + x % 2, 1 + x % 6, 1 FROM generate_series(1, 4 * {n}) x;
INSERT INTO login SELECT x, (x + 2) / 3, TIMESTAMP '2021-01-01' + x * INTERVAL '1 minute' FROM generate_series(1, 3 * {n}) x;
INSERT INTO visit SELECT 'customer-' || x || '@example.com', TIMESTAMP '2021-06-01' + x * INTERVAL '1 second' FROM generate_series(1, {n}) x;
INSERT INTO service_request SELECT 'ser_' || x, 'customer-' || x || '@example.com', 'alt-' || x || '@example.com', DATE '2021-01-01', DATE '2021-01-02', 1 + x % 10 FROM generate_series(1, {n}) x;
INSERT INTO report SELECT x, 'customer-' || x || '@example.com', 'Report ' || x, 2021, 1 + x % 12, x % 50 FROM generate_series(1, {n}) x;
CREATE INDEX customer_email ON customer ((LOWER(TRIM(email))));
CREATE INDEX customer_address ON customer (address_id);
CREATE INDEX employee_email ON employee ((LOWER(TRIM(email))));
CREATE INDEX employee_address ON employee (address_id);
CREATE INDEX payment_card_customer ON payment_card (customer_id);
CREATE INDEX payment_card_address ON payment_card (billing_address_id);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_address ON orders (shipping_address_id);
CREATE INDEX order_item_product ON order_item (product_id);
CREATE INDEX login_customer ON login (customer_id);
CREATE INDEX visit_email ON visit ((LOWER(TRIM(email))));
CREATE INDEX service_request_email ON service_request ((LOWER(TRIM(email))));
CREATE INDEX service_request_alt_email ON service_request ((LOWER(TRIM(alt_email))));
CREATE INDEX service_request_employee ON service_request (employee_id);
CREATE INDEX report_email ON report ((LOWER(TRIM(email))));
ANALYZE;
"
    )
}

/// The hand-written access: every row of the customer, as the dataset's graph reaches them.
async fn hand_access(c: &mut sqlx::PgConnection, email: &str) -> usize {
    let cid = "(SELECT id FROM customer WHERE LOWER(TRIM(email)) = $1)";
    let oid = format!("(SELECT id FROM orders WHERE customer_id IN {cid})");
    let queries = [
        "SELECT * FROM customer WHERE LOWER(TRIM(email)) = $1".to_string(),
        "SELECT * FROM visit WHERE LOWER(TRIM(email)) = $1".to_string(),
        "SELECT * FROM report WHERE LOWER(TRIM(email)) = $1".to_string(),
        "SELECT * FROM service_request WHERE LOWER(TRIM(email)) = $1 OR LOWER(TRIM(alt_email)) = $1"
            .to_string(),
        format!("SELECT * FROM orders WHERE customer_id IN {cid}"),
        format!("SELECT * FROM payment_card WHERE customer_id IN {cid}"),
        format!("SELECT * FROM login WHERE customer_id IN {cid}"),
        format!("SELECT * FROM order_item WHERE order_id IN {oid}"),
        format!(
            "SELECT * FROM address WHERE id IN (SELECT address_id FROM customer WHERE id IN {cid} \
             UNION SELECT shipping_address_id FROM orders WHERE customer_id IN {cid} \
             UNION SELECT billing_address_id FROM payment_card WHERE customer_id IN {cid})"
        ),
        format!(
            "SELECT * FROM product WHERE id IN (SELECT product_id FROM order_item WHERE order_id IN {oid})"
        ),
    ];
    let mut n = 0;
    for q in queries {
        n += sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(email)
            .fetch_all(&mut *c)
            .await
            .unwrap()
            .len();
    }
    n
}

/// The hand-written erasure, in one transaction: what the engine's certificate reports for
/// the same customer (the visit deleted; the personal columns of customer, address, payment
/// card, login, service request and report set to NULL, reference columns kept, orders and
/// their items unchanged; the customer's row last, as it is how the others are found).
async fn hand_erase(c: &mut sqlx::PgConnection, email: &str) {
    let cid = "(SELECT id FROM customer WHERE LOWER(TRIM(email)) = $1)";
    let statements = [
        "DELETE FROM visit WHERE LOWER(TRIM(email)) = $1".to_string(),
        format!(
            "UPDATE address SET house = NULL, street = NULL, city = NULL, state = NULL, zip = NULL \
             WHERE id IN (SELECT address_id FROM customer WHERE id IN {cid})"
        ),
        format!("UPDATE login SET time = NULL WHERE customer_id IN {cid}"),
        format!(
            "UPDATE payment_card SET ccn = NULL, code = NULL, name = NULL, preferred = NULL \
             WHERE customer_id IN {cid}"
        ),
        "UPDATE service_request SET alt_email = NULL, employee_id = NULL \
         WHERE LOWER(TRIM(email)) = $1 OR LOWER(TRIM(alt_email)) = $1"
            .to_string(),
        "UPDATE report SET email = NULL WHERE LOWER(TRIM(email)) = $1".to_string(),
        "UPDATE customer SET email = NULL, name = NULL WHERE LOWER(TRIM(email)) = $1".to_string(),
    ];
    let mut tx = c.begin().await.unwrap();
    for s in statements {
        sqlx::query(sqlx::AssertSqlSafe(s))
            .bind(email)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn fides(o: &Opts) {
    let db = waarborg_testkit::PgTestDb::create().await.unwrap();
    let t = Instant::now();
    waarborg_engine::run_script(db.url(), &fides_load_sql(o.customers))
        .await
        .unwrap();
    let rows = o.customers * 15 + 16;
    println!(
        "\n== Fides' example schema on PostgreSQL: {} customers, {rows} rows, loaded in {:.1} s",
        o.customers,
        t.elapsed().as_secs_f64()
    );
    let dir = tempfile::tempdir().unwrap();
    let store_url = dir.path().join("store.db").display().to_string();
    let keys = waarborg_app::Keys::from_env();
    let store = waarborg_app::config::open_store(&store_url, &keys, false, 2)
        .await
        .unwrap();
    let (_, bearer) = officer(&store).await;
    store.close().await;
    drop(store);
    let datasets = fides_file("data__dataset__postgres_example_test_dataset.yml");
    let binding = format!("{FIDES_KEY}={}", db.url());
    let data = dir.path().join("data");
    let server = Server::start(
        &o.bin,
        &[
            "--store",
            &store_url,
            "--data-dir",
            data.to_str().unwrap(),
            "--datasets",
            datasets.to_str().unwrap(),
            "--db",
            &binding,
        ],
    );
    let client = reqwest::Client::new();
    let mut conn = sqlx::PgConnection::connect(db.url()).await.unwrap();
    let api = |p: &str| format!("{}/api/v1{p}", server.base);

    // The customers: spread over the table; the API and the hand-written SQL each get their
    // own (the hand-written one the neighbour), taking turns going first so neither finds the
    // other's rows in the cache.
    // The engine alone, in this process, on a warm connection: what the server's /run adds
    // to it is the case's bookkeeping in the store (start, audit entry, close), the document
    // kept for download and HTTP.
    let ds = waarborg_engine::Datasets::load(&datasets).unwrap();
    let engine = waarborg_engine::Engine::connect(&ds, &[(FIDES_KEY.into(), db.url().to_string())])
        .await
        .unwrap();
    let erase_opts = waarborg_engine::EraseOptions {
        now: Some(jiff::Timestamp::now()),
        hash_key: Some(b"bench-mask-key".to_vec()),
        ..waarborg_engine::EraseOptions::default()
    };
    let step = (o.customers / (o.subjects + 1)).max(8);
    for (kind, offset) in [("access", 1u64), ("erasure", 4)] {
        let (mut via_api, mut hand, mut eng, mut rows_seen) =
            (Vec::new(), Vec::new(), Vec::new(), 0usize);
        for i in 0..o.subjects {
            let k = offset + i * step;
            let mine = format!("customer-{k}@example.com");
            let other = format!("customer-{}@example.com", k + step / 3);
            let third = format!("customer-{}@example.com", k + 2 * step / 3);
            for turn in 0..3 {
                if (turn + i) % 3 == 2 {
                    let who = waarborg_engine::Subject::new("email", &third);
                    let t = Instant::now();
                    if kind == "access" {
                        engine.access(&who).await.unwrap();
                    } else {
                        engine.erase(&who, None, &erase_opts).await.unwrap();
                    }
                    eng.push(t.elapsed());
                } else if (turn + i) % 3 == 0 {
                    let r = client
                        .post(api("/cases"))
                        .header("authorization", &bearer)
                        .json(&serde_json::json!({"kind": kind, "subject": [format!("email={mine}")]}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
                    let case: serde_json::Value = r.json().await.unwrap();
                    let id = case["id"].as_str().unwrap().to_string();
                    let r = client
                        .post(api(&format!("/cases/{id}/verify")))
                        .header("authorization", &bearer)
                        .json(&serde_json::json!({"method": "bench"}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
                    let t = Instant::now();
                    let r = client
                        .post(api(&format!("/cases/{id}/run")))
                        .header("authorization", &bearer)
                        .json(&serde_json::json!({}))
                        .send()
                        .await
                        .unwrap();
                    let status = r.status();
                    let body: serde_json::Value = r.json().await.unwrap();
                    via_api.push(t.elapsed());
                    assert_eq!(status, 200, "{body}");
                    assert_eq!(body["subject_found"], true, "{body}");
                    if i == 0 {
                        println!(
                            "{kind} of one customer through the API: {}",
                            summary(kind, &body["result"]["tables"])
                        );
                    }
                } else if kind == "access" {
                    let t = Instant::now();
                    rows_seen = hand_access(&mut conn, &other).await;
                    hand.push(t.elapsed());
                } else {
                    let t = Instant::now();
                    hand_erase(&mut conn, &other).await;
                    hand.push(t.elapsed());
                }
            }
        }
        via_api.sort();
        hand.sort();
        eng.sort();
        let (a50, a90, h50, h90) = (
            pct(&via_api, 0.5),
            pct(&via_api, 0.9),
            pct(&hand, 0.5),
            pct(&hand, 0.9),
        );
        println!(
            "{kind}: API /run median {a50:.2} ms p90 {a90:.2} ms | engine alone median {:.2} ms p90 {:.2} ms | hand-written SQL median {h50:.2} ms p90 {h90:.2} ms | API/hand {:.2}, engine/hand {:.2} ({} requests each{})",
            pct(&eng, 0.5),
            pct(&eng, 0.9),
            a50 / h50,
            pct(&eng, 0.5) / h50,
            via_api.len(),
            if kind == "access" {
                format!(", {rows_seen} rows per customer by hand")
            } else {
                String::new()
            }
        );
    }
    let (hwm, _) = server.memory();
    println!("server peak RSS (VmHWM) {hwm:.1} MiB");
    drop(server);
    conn.close().await.unwrap();
    drop(db);
}

/// Per table: rows (access) or deleted/masked/kept (erasure), from the API's result.
fn summary(kind: &str, tables: &serde_json::Value) -> String {
    let Some(list) = tables.as_array() else {
        return tables.to_string();
    };
    list.iter()
        .map(|t| {
            let name = t["table"].as_str().unwrap_or_default();
            if kind == "access" {
                format!("{name} {}", t["rows"].as_array().map_or(0, Vec::len))
            } else {
                format!(
                    "{name} d{} m{} k{} u{}",
                    t["deleted"], t["masked"], t["kept"], t["unchanged"]
                )
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    let (mode, o) = opts();
    let rt = tokio::runtime::Runtime::new().unwrap();
    println!(
        "{} on {} cores, load average {}",
        jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC"),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    if mode == "queue" || mode == "all" {
        rt.block_on(queue(&o));
    }
    if mode == "fides" || mode == "all" {
        rt.block_on(fides(&o));
    }
    if mode == "portal" {
        rt.block_on(portal(&o));
    }
}
