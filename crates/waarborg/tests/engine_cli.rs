#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The enforcement commands end to end through the binary: datasets scan/check, access, erase,
//! rectify and sweep on the demo shop (SQLite), and kill -9 in the middle of an erasure and of
//! a sweep.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/demo/");

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_waarborg"));
    c.env("WAARBORG_MASK_KEY", "cli-test-key");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "waarborg {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn script(url: &str, sql: &str) {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(waarborg_engine::run_script(url, sql))
        .unwrap();
}

fn demo_db(dir: &Path) -> String {
    let url = format!("sqlite://{}", dir.join("shop.db").display());
    script(
        &url,
        &std::fs::read_to_string(format!("{DEMO}demo.sql")).unwrap(),
    );
    url
}

fn p(s: &str) -> String {
    format!("{DEMO}{s}")
}

#[test]
fn access_erase_rectify_sweep_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let url = demo_db(dir.path());
    cli_flow(dir.path(), &url);
}

/// The same flow on MariaDB (the demo SQL runs unchanged there), and a server that does not
/// answer named at once.
#[test]
fn access_erase_rectify_sweep_through_the_cli_on_mariadb() {
    let dir = tempfile::tempdir().unwrap();
    let maria = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(waarborg_testkit::MariaTestDb::create())
        .expect("test MariaDB must run");
    script(
        maria.url(),
        &std::fs::read_to_string(format!("{DEMO}demo.sql")).unwrap(),
    );
    cli_flow(dir.path(), maria.url());

    let started = std::time::Instant::now();
    let out = run(&["datasets", "scan", "--db", "mysql://root@127.0.0.1:1/shop"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refused"), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

fn cli_flow(dir: &Path, url: &str) {
    let bind = format!("shop={url}");
    let policy = p("policy.toml");
    let datasets = p("datasets.toml");

    // datasets scan proposes identities and references; check accepts the demo dataset.
    let scan = ok(&["datasets", "scan", "--db", url, "--name", "shop"]);
    assert!(scan.contains("identity = \"email\""), "{scan}");
    assert!(scan.contains("to = \"customers.id\""), "{scan}");
    // References follow ownership: from a customer down to the rows that point at them.
    assert!(scan.contains("direction = \"from\""), "{scan}");
    let check = ok(&["datasets", "check", "--datasets", &datasets, "--db", &bind]);
    assert!(check.lines().any(|l| l.starts_with("ok:")), "{check}");
    // The normalised e-mail lookup comes with the index that serves it.
    assert!(
        check
            .lines()
            .any(|l| l.starts_with("note: shop.customers.email")
                && l.contains("LOWER(TRIM(email))")
                && (l.contains("CREATE INDEX") || l.contains("ADD INDEX"))),
        "{check}"
    );

    // access to a directory
    let out = dir.join("export");
    ok(&[
        "access",
        "--policy",
        &policy,
        "--datasets",
        &datasets,
        "--db",
        &bind,
        "--subject",
        "email=sanne.devries@example.nl",
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("access.json")).unwrap()).unwrap();
    assert_eq!(json["format"], "waarborg-access/1");
    assert_eq!(
        json["information"]["controller"],
        "Voorbeeld Webwinkel B.V."
    );
    assert!(out.join("shop.invoices.csv").exists());
    assert!(
        std::fs::read_to_string(out.join("information.txt"))
            .unwrap()
            .contains("How long we keep your data")
    );

    // rectify
    let cert: serde_json::Value = serde_json::from_str(&ok(&[
        "rectify",
        "--datasets",
        &datasets,
        "--db",
        &bind,
        "--subject",
        "email=daan.bakker@example.nl",
        "--set",
        "customers.city=Haren",
    ]))
    .unwrap();
    assert_eq!(cert["tables"][0]["rectified"], 1);
    let bad = run(&[
        "rectify",
        "--datasets",
        &datasets,
        "--db",
        &bind,
        "--subject",
        "email=daan.bakker@example.nl",
        "--set",
        "orders.total_cents=veel",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .starts_with("error: invalid value for orders.total_cents")
    );

    // erase: dry run, then for real with a certificate file; then again (nothing to do)
    let dry: serde_json::Value = serde_json::from_str(&ok(&[
        "erase",
        "--policy",
        &policy,
        "--datasets",
        &datasets,
        "--db",
        &bind,
        "--subject",
        "email=sanne.devries@example.nl",
        "--dry-run",
        "--now",
        "2026-11-20",
    ]))
    .unwrap();
    assert_eq!(dry["dry_run"], true);
    let certfile = dir.join("cert.json");
    ok(&[
        "erase",
        "--policy",
        &policy,
        "--datasets",
        &datasets,
        "--db",
        &bind,
        "--subject",
        "email=sanne.devries@example.nl",
        "--now",
        "2026-11-20",
        "--certificate",
        certfile.to_str().unwrap(),
    ]);
    let cert: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&certfile).unwrap()).unwrap();
    assert_eq!(cert["remaining_changes"], 0);
    assert_eq!(cert["scheduled"][0]["hold"], "fiscal");
    let inv = cert["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "invoices")
        .unwrap();
    assert_eq!(inv["kept"], 2);
    let again = run(&[
        "erase",
        "--policy",
        &policy,
        "--datasets",
        &datasets,
        "--db",
        &bind,
        "--subject",
        "email=sanne.devries@example.nl",
        "--now",
        "2026-11-20",
    ]);
    // Her identity is gone: the second erasure finds no one, says so, and exits 3.
    assert_eq!(again.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("no one found"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let again_cert: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again_cert["subject_found"], false);

    // sweep, with a report file
    let report = dir.join("sweep.json");
    ok(&[
        "sweep",
        "--policy",
        &policy,
        "--datasets",
        &datasets,
        "--db",
        &bind,
        "--now",
        "2026-11-20",
        "--report",
        report.to_str().unwrap(),
    ]);
    let rep: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(rep["format"], "waarborg-sweep/1");
    let again: serde_json::Value = serde_json::from_str(&ok(&[
        "sweep",
        "--policy",
        &policy,
        "--datasets",
        &datasets,
        "--db",
        &bind,
        "--now",
        "2026-11-20",
    ]))
    .unwrap();
    for r in again["rules"].as_array().unwrap() {
        assert_eq!(r["deleted"], 0, "{r}");
        assert_eq!(r["anonymised"], 0, "{r}");
    }

    // A dataset that does not match the schema is refused before any write.
    let broken = dir.join("broken.toml");
    std::fs::write(
        &broken,
        std::fs::read_to_string(&datasets)
            .unwrap()
            .replace("delivery_note =", "bezorgnotitie ="),
    )
    .unwrap();
    let out = run(&[
        "erase",
        "--policy",
        &policy,
        "--datasets",
        broken.to_str().unwrap(),
        "--db",
        &bind,
        "--subject",
        "email=daan.bakker@example.nl",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("does not match the live schema") && err.contains("shop.orders.bezorgnotitie"),
        "{err}"
    );
}

// ------------------------------------------------------------------------------- kill -9

const N: usize = 60_000;

const KILL_DATASETS: &str = r#"
[databases.big.tables.people]
purposes = ["analytics"]
columns = { id = "user.unique_id", email = { category = "user.contact.email", identity = "email" } }

[databases.big.tables.events]
purposes = ["analytics"]
erase = "delete"
retention = { rule = "analytics-14m", from = "occurred_at" }
references = [{ column = "person_id", to = "people.id" }]
columns = { id = "system.operations", person_id = "user.unique_id", payload = "user.behavior.browsing_history", occurred_at = "system.operations" }
"#;

fn big_db(dir: &Path) -> (String, PathBuf) {
    let url = format!("sqlite://{}", dir.join("big.db").display());
    let sql = format!(
        "CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE events (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id), payload TEXT, occurred_at TIMESTAMP NOT NULL);
INSERT INTO people VALUES (1, 'old@example.nl');
INSERT INTO people VALUES (2, 'keep@example.nl');
INSERT INTO events SELECT x, CASE WHEN x % 10 = 0 THEN 2 ELSE 1 END, 'page-' || x, CASE WHEN x % 10 = 0 THEN '2026-11-01 00:00:00' ELSE '2020-01-01 00:00:00' END FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {N}) SELECT x FROM c);
"
    );
    script(&url, &sql);
    let ds = dir.join("big.toml");
    std::fs::write(&ds, KILL_DATASETS).unwrap();
    (url, ds)
}

fn rows_of(url: &str, ds: &Path, who: &str) -> u64 {
    let out = run(&[
        "access",
        "--datasets",
        ds.to_str().unwrap(),
        "--db",
        &format!("big={url}"),
        "--subject",
        &format!("email={who}"),
    ]);
    // Exit 3: no one found (still a complete export, with 0 rows).
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = v["total_rows"].as_u64().unwrap();
    assert_eq!(out.status.code() == Some(3), n == 0);
    n
}

fn kill_after(mut cmd: Command, ms: u64) -> bool {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(ms));
    let finished = child.try_wait().unwrap().is_some();
    // SIGKILL: no destructors, no rollback by the process itself.
    let _ = child.kill();
    let _ = child.wait();
    !finished
}

#[test]
fn kill_9_during_erasure_leaves_all_or_nothing() {
    let policy = p("policy.toml");
    // How long a whole erasure takes here, to kill at fractions of it.
    let full = {
        let dir = tempfile::tempdir().unwrap();
        let (url, ds) = big_db(dir.path());
        let t = std::time::Instant::now();
        ok(&[
            "erase",
            "--policy",
            &policy,
            "--datasets",
            ds.to_str().unwrap(),
            "--db",
            &format!("big={url}"),
            "--subject",
            "email=old@example.nl",
        ]);
        t.elapsed().as_millis() as u64
    };
    eprintln!("a whole erasure takes {full} ms");
    for delay in [full / 4, full / 2, full * 3 / 4, full * 9 / 10] {
        let dir = tempfile::tempdir().unwrap();
        let (url, ds) = big_db(dir.path());
        let keep_before = rows_of(&url, &ds, "keep@example.nl");
        let old_before = rows_of(&url, &ds, "old@example.nl");
        assert_eq!(old_before as usize, N - N / 10 + 1);
        let mut cmd = bin();
        cmd.args([
            "erase",
            "--policy",
            &policy,
            "--datasets",
            ds.to_str().unwrap(),
            "--db",
            &format!("big={url}"),
            "--subject",
            "email=old@example.nl",
        ]);
        let killed = kill_after(cmd, delay);
        let after = rows_of(&url, &ds, "old@example.nl");
        eprintln!("erase killed after {delay} ms: {killed}; rows of the person left: {after}");
        assert!(
            after == old_before || after == 0,
            "half an erasure is visible: {after} rows (killed: {killed})"
        );
        // Run again: it finishes and the certificate tells what this run did.
        let certfile = dir.path().join("cert.json");
        let rerun = run(&[
            "erase",
            "--policy",
            &policy,
            "--datasets",
            ds.to_str().unwrap(),
            "--db",
            &format!("big={url}"),
            "--subject",
            "email=old@example.nl",
            "--certificate",
            certfile.to_str().unwrap(),
        ]);
        // Exit 3 when the first run had committed: no one left to find.
        assert_eq!(
            rerun.status.code(),
            Some(if after == 0 { 3 } else { 0 }),
            "{}",
            String::from_utf8_lossy(&rerun.stderr)
        );
        let cert: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&certfile).unwrap()).unwrap();
        assert_eq!(cert["remaining_changes"], 0);
        let deleted: u64 = cert["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["deleted"].as_u64().unwrap())
            .sum();
        assert_eq!(
            deleted, after,
            "the second run deletes exactly what the first left"
        );
        assert_eq!(rows_of(&url, &ds, "old@example.nl"), 0);
        assert_eq!(rows_of(&url, &ds, "keep@example.nl"), keep_before);
    }
}

#[test]
fn kill_9_during_sweep_resumes() {
    let policy = p("policy.toml");
    let dir = tempfile::tempdir().unwrap();
    let (url, ds) = big_db(dir.path());
    let bind = format!("big={url}");
    let expired = |dir: &Path| -> u64 {
        let f = dir.join("dry.json");
        ok(&[
            "sweep",
            "--policy",
            &policy,
            "--datasets",
            ds.to_str().unwrap(),
            "--db",
            &bind,
            "--now",
            "2026-11-20",
            "--dry-run",
            "--report",
            f.to_str().unwrap(),
        ]);
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        v["rules"][0]["expired"].as_u64().unwrap()
    };
    let total = expired(dir.path());
    assert_eq!(total as usize, N - N / 10);
    let keep_before = rows_of(&url, &ds, "keep@example.nl");
    let batch = 250u64;
    let mut cmd = bin();
    cmd.args([
        "sweep",
        "--policy",
        &policy,
        "--datasets",
        ds.to_str().unwrap(),
        "--db",
        &bind,
        "--now",
        "2026-11-20",
        "--batch-size",
        &batch.to_string(),
    ]);
    let killed = kill_after(cmd, 700);
    let left = expired(dir.path());
    eprintln!("killed: {killed}, expired rows left after kill: {left} of {total}");
    assert_eq!(
        (total - left) % batch,
        0,
        "only whole batches were committed"
    );
    // Resume: it finishes.
    ok(&[
        "sweep",
        "--policy",
        &policy,
        "--datasets",
        ds.to_str().unwrap(),
        "--db",
        &bind,
        "--now",
        "2026-11-20",
        "--batch-size",
        &batch.to_string(),
    ]);
    assert_eq!(expired(dir.path()), 0);
    assert_eq!(
        rows_of(&url, &ds, "keep@example.nl"),
        keep_before,
        "rows within their period stay"
    );
}

#[test]
fn undescribed_foreign_key_is_reported_and_blocks_writes() {
    let dir = tempfile::tempdir().unwrap();
    let url = demo_db(dir.path());
    script(
        &url,
        "CREATE TABLE reviews (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), body TEXT);
         INSERT INTO reviews VALUES (1, 3, 'Snel geleverd');",
    );
    let bind = format!("shop={url}");
    let datasets = p("datasets.toml");
    let policy = p("policy.toml");

    let out = run(&["datasets", "check", "--datasets", &datasets, "--db", &bind]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("reviews"), "{text}");
    assert!(text.contains("customer_id"), "{text}");

    // Erasure refuses before writing: the person's rows are all still there.
    let emma_rows = || {
        let out = ok(&[
            "access",
            "--datasets",
            &datasets,
            "--db",
            &bind,
            "--subject",
            "email=emma.visser@example.nl",
        ]);
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["tables"].clone()
    };
    let before = emma_rows();
    let out = run(&[
        "erase",
        "--policy",
        &policy,
        "--datasets",
        &datasets,
        "--db",
        &bind,
        "--subject",
        "email=emma.visser@example.nl",
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("reviews"), "{err}");
    let after = emma_rows();
    assert_eq!(before, after, "the refused erasure changed data");
}
