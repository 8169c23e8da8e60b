#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! kill -9 of the real CLI: `waarborg case open` processes are killed with SIGKILL at staggered
//! moments (before, during and after their transaction); afterwards the chain verifies, every
//! process that reported success has its case, and no case lacks its audit entry.

use std::process::{Command, Stdio};

use waarborg_testkit::PgTestDb;

const BIN: &str = env!("CARGO_BIN_EXE_waarborg");

fn run(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env("WAARBORG_STORE", url)
        .env_remove("WAARBORG_AUDIT_KEY")
        .output()
        .unwrap()
}

fn kill_writers(url: &str) {
    // Create the store first (a writing command; reading ones never create it), so that every
    // writer below only appends.
    let created = run(
        url,
        &[
            "case",
            "open",
            "--kind",
            "access",
            "--subject",
            "customer_id=0",
            "--format",
            "json",
        ],
    );
    assert!(created.status.success());
    let created: serde_json::Value = serde_json::from_slice(&created.stdout).unwrap();
    // How long one uninterrupted writer takes; the kills are spread over 0..1.2 of that.
    let t0 = std::time::Instant::now();
    let first = run(
        url,
        &[
            "case",
            "open",
            "--kind",
            "erasure",
            "--subject",
            "customer_id=1",
            "--format",
            "json",
        ],
    );
    assert!(first.status.success());
    let full = t0.elapsed();
    let first: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    let mut committed = vec![
        created["id"].as_str().unwrap().to_string(),
        first["id"].as_str().unwrap().to_string(),
    ];
    let mut killed = 0;
    let rounds = 40u32;
    for round in 0..rounds {
        let mut child = Command::new(BIN)
            .args([
                "case",
                "open",
                "--kind",
                "erasure",
                "--subject",
                "customer_id=1",
                "--format",
                "json",
            ])
            .env("WAARBORG_STORE", url)
            .env_remove("WAARBORG_AUDIT_KEY")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(1.2 * f64::from(round) / f64::from(rounds)));
        if child.try_wait().unwrap().is_none() {
            // SIGKILL (std's kill on Unix).
            child.kill().unwrap();
            killed += 1;
        }
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            committed.push(v["id"].as_str().unwrap().to_string());
        }
    }
    let verify = run(url, &["audit", "verify", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert!(verify.status.success(), "{report}");
    let list = run(url, &["case", "list", "--format", "json"]);
    let cases: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let ids: Vec<&str> = cases
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in &committed {
        assert!(ids.contains(&id.as_str()), "committed case {id} lost");
    }
    // One opening entry per case: no case without its entry, no entry without its case.
    assert_eq!(
        report["entries"].as_u64().unwrap() as usize,
        ids.len(),
        "{report}"
    );
    eprintln!(
        "{rounds} writers ({full:?} each), {killed} killed while running, {} cases committed",
        ids.len()
    );
    assert!(killed > 0, "no writer was killed while running");
}

#[test]
fn kill_minus_nine_cli_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    kill_writers(dir.path().join("w.db").to_str().unwrap());
}

#[tokio::test]
async fn kill_minus_nine_cli_postgres() {
    let pg = PgTestDb::create()
        .await
        .expect("the test PostgreSQL server must run");
    let url = pg.url().to_string();
    tokio::task::spawn_blocking(move || kill_writers(&url))
        .await
        .unwrap();
}
