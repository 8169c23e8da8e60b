#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Intent before action, under kill -9 of the real CLI at every step of an erasure and of a
//! sweep, on SQLite (store and shop) and on PostgreSQL (store and shop).
//!
//! The binary is a debug build, so `WAARBORG_TEST_PAUSE_AT=<step>` makes it stop for good at
//! that step (see `waarborg_engine::pause`); the test waits for `paused at <step>` on its
//! standard error and sends SIGKILL. Afterwards: the chain verifies; a data change made before
//! the kill has its record (`recovered: applied` with the counts read from the rows), a run
//! killed before its data commit is recorded as `recovered: not applied`; the re-run closes
//! the case with a certificate that counts the rows actually erased (never 0), and no intent
//! is left without an outcome.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use waarborg_testkit::PgTestDb;

const BIN: &str = env!("CARGO_BIN_EXE_waarborg");
const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/demo/");
const EMMA: &str = "email=sanne.devries@example.nl";

/// The steps of an erasure, in order, and whether the data is changed once it is reached.
const STEPS: [(&str, bool); 6] = [
    ("run.before-intent", false),
    ("run.after-intent", false),
    ("erase.before-commit", false),
    ("erase.after-commit", true),
    ("run.before-certificate", true),
    ("run.after-certificate", true),
];

struct Env {
    store: String,
    shop: String,
    dir: tempfile::TempDir,
    _pg: Vec<PgTestDb>,
}

impl Env {
    async fn new(pg: bool) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let sql = std::fs::read_to_string(format!("{DEMO}demo.sql")).unwrap();
        if pg {
            let shop = PgTestDb::create()
                .await
                .expect("the test PostgreSQL server must run");
            waarborg_engine::run_script(shop.url(), &sql).await.unwrap();
            let store = PgTestDb::create()
                .await
                .expect("the test PostgreSQL server must run");
            Env {
                store: store.url().to_string(),
                shop: shop.url().to_string(),
                dir,
                _pg: vec![shop, store],
            }
        } else {
            let shop = format!("sqlite://{}", dir.path().join("shop.db").display());
            waarborg_engine::run_script(&format!("{shop}?mode=rwc"), &sql)
                .await
                .unwrap();
            Env {
                store: dir.path().join("w.db").display().to_string(),
                shop,
                dir,
                _pg: Vec::new(),
            }
        }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .env("WAARBORG_MASK_KEY", "intent-crash-test-key")
            .env_remove("WAARBORG_STORE")
            .env_remove("WAARBORG_AUDIT_KEY")
            .env_remove("WAARBORG_TEST_PAUSE_AT")
            .current_dir(self.dir.path());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "waarborg {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    fn engine_args(&self, cmd: &str) -> Vec<String> {
        vec![
            cmd.into(),
            "--policy".into(),
            format!("{DEMO}policy.toml"),
            "--datasets".into(),
            format!("{DEMO}datasets.toml"),
            "--db".into(),
            format!("shop={}", self.shop),
            "--store".into(),
            self.store.clone(),
        ]
    }

    /// Starts `args` with the pause hook at `step`, waits until it is there, kills it (SIGKILL).
    fn kill_at(&self, args: &[String], step: &str) {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = self
            .cmd(&argv)
            .env("WAARBORG_TEST_PAUSE_AT", step)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let want = format!("paused at {step}");
        std::thread::spawn(move || {
            let mut seen = String::new();
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let hit = line.contains(&want);
                seen.push_str(&line);
                seen.push('\n');
                if hit {
                    let _ = tx.send(Ok(()));
                    return;
                }
            }
            let _ = tx.send(Err(seen));
        });
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(Ok(())) => {}
            Ok(Err(stderr)) => {
                let _ = child.kill();
                panic!("the run ended without reaching step {step}: {stderr}")
            }
            Err(_) => {
                let _ = child.kill();
                panic!("the run did not reach step {step} in 120 s")
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }

    fn open_verified_case(&self) -> String {
        let (out, _) = self.ok(&[
            "case",
            "open",
            "--store",
            &self.store,
            "--kind",
            "erasure",
            "--subject",
            EMMA,
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let id = v["id"].as_str().unwrap().to_string();
        self.ok(&[
            "case",
            "verify",
            "--store",
            &self.store,
            &id,
            "--method",
            "email-link",
        ]);
        id
    }

    fn case_status(&self, id: &str) -> String {
        let (out, _) = self.ok(&[
            "case",
            "show",
            "--store",
            &self.store,
            id,
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.get("case").unwrap_or(&v)["status"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The person's rows in the shop now (an access export without a store: records nothing).
    fn rows_of_emma(&self) -> u64 {
        let out = self.run(&[
            "access",
            "--datasets",
            &format!("{DEMO}datasets.toml"),
            "--db",
            &format!("shop={}", self.shop),
            "--subject",
            EMMA,
        ]);
        assert!(matches!(out.status.code(), Some(0 | 3)));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["total_rows"].as_u64().unwrap()
    }

    fn verify(&self) -> serde_json::Value {
        let out = self.run(&[
            "audit",
            "verify",
            "--store",
            &self.store,
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(out.status.success(), "the chain does not verify: {v}");
        v
    }

    fn audit(&self) -> Vec<(String, serde_json::Value)> {
        let (out, _) = self.ok(&["audit", "export", "--store", &self.store]);
        out.lines()
            .map(|l| {
                let e: serde_json::Value = serde_json::from_str(l).unwrap();
                let p = e["payload"]
                    .as_str()
                    .map(|p| serde_json::from_str(p).unwrap())
                    .unwrap_or(serde_json::Value::Null);
                (e["kind"].as_str().unwrap().to_string(), p)
            })
            .collect()
    }
}

fn counts(v: &serde_json::Value) -> (u64, u64) {
    // (deleted, masked) summed over a certificate's tables or a summary's `applied`.
    let tables = v.as_array().unwrap();
    (
        tables.iter().map(|t| t["deleted"].as_u64().unwrap()).sum(),
        tables.iter().map(|t| t["masked"].as_u64().unwrap()).sum(),
    )
}

fn erasure_killed_at(env: &Env, step: &str, data_changed: bool) {
    let id = env.open_verified_case();
    let before = env.rows_of_emma();
    assert!(before > 0);
    // What a complete erasure does (a dry run changes nothing and leaves the case open).
    let mut dry = env.engine_args("erase");
    dry.extend(["--case".into(), id.clone(), "--dry-run".into()]);
    let argv: Vec<&str> = dry.iter().map(String::as_str).collect();
    let (out, _) = env.ok(&argv);
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (plan_deleted, plan_masked) = counts(&plan["tables"]);
    eprintln!("{step}: a complete erasure deletes {plan_deleted} and masks {plan_masked} rows");
    assert!(plan_deleted > 0 && plan_masked > 0, "{plan}");

    let cert1 = env.dir.path().join(format!("cert-{step}.json"));
    let mut args = env.engine_args("erase");
    args.extend([
        "--case".into(),
        id.clone(),
        "--certificate".into(),
        cert1.display().to_string(),
    ]);
    env.kill_at(&args, step);

    // The data is whole: all of the erasure or none of it.
    let after_kill = env.rows_of_emma();
    if data_changed {
        assert!(after_kill < before, "{step}: the erasure was committed");
    } else {
        assert_eq!(after_kill, before, "{step}: nothing was committed");
    }
    // The chain verifies; the killed run is an intent without an outcome (once it got that far).
    let v = env.verify();
    let unfinished = v["unfinished_runs"].as_array().unwrap().len();
    assert_eq!(
        unfinished,
        usize::from(step != "run.before-intent"),
        "{step}: {v}"
    );
    assert_ne!(env.case_status(&id), "done", "{step}");

    // The re-run recovers first, then finishes the request and closes the case.
    let cert2 = env.dir.path().join(format!("cert-{step}-again.json"));
    let mut again = env.engine_args("erase");
    again.extend([
        "--case".into(),
        id.clone(),
        "--certificate".into(),
        cert2.display().to_string(),
    ]);
    let argv: Vec<&str> = again.iter().map(String::as_str).collect();
    let (_, err) = env.ok(&argv);
    assert_eq!(env.case_status(&id), "done", "{step}");
    let cert: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cert2).unwrap()).unwrap();
    // The certificate that closes the case counts every row erased for it, not 0.
    assert_eq!(
        counts(&cert["tables"]),
        (plan_deleted, plan_masked),
        "{step}: {cert}\n{err}"
    );
    assert!(
        !cert.to_string().contains("sanne"),
        "personal data in the certificate"
    );

    let entries = env.audit();
    let recovered: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|(k, _)| k == "engine.recovered")
        .map(|(_, p)| p)
        .collect();
    if step == "run.before-intent" {
        assert!(recovered.is_empty(), "{step}: {recovered:?}");
        assert!(cert.get("recovered_runs").is_none(), "{cert}");
    } else {
        assert_eq!(recovered.len(), 1, "{step}: {recovered:?}\n{err}");
        let r = recovered[0];
        assert!(err.contains("was interrupted"), "{err}");
        let applied = counts(&r["summary"]["applied"]);
        if data_changed {
            // The killed run's changes have their record, with the counts read from the rows.
            assert_eq!(r["outcome"], "recovered: applied", "{step}: {r}");
            assert_eq!(applied, (plan_deleted, plan_masked), "{step}: {r}");
            assert_eq!(
                cert["recovered_runs"][0], r["run_id"],
                "{step}: the certificate names the recovered run"
            );
        } else {
            assert_eq!(r["outcome"], "recovered: not applied", "{step}: {r}");
            assert_eq!(applied, (0, 0), "{step}: {r}");
            assert!(cert.get("recovered_runs").is_none(), "{cert}");
        }
        assert!(!r.to_string().contains("sanne"), "personal data: {r}");
    }
    // The intents and their outcomes pair up; the outcome that closed the case has the
    // certificate's SHA-256.
    let intents = entries.iter().filter(|(k, _)| k == "engine.intent").count();
    let outcomes = entries
        .iter()
        .filter(|(k, p)| {
            k == "engine.recovered" || (k == "engine.run" && p.get("run_id").is_some())
        })
        .count();
    assert_eq!(intents, outcomes, "{step}");
    let last = entries
        .iter()
        .rev()
        .find(|(k, _)| k == "engine.run")
        .unwrap();
    assert_eq!(last.1["outcome"], "applied");
    assert_eq!(
        last.1["certificate_sha256"],
        waarborg_store::audit::sha256_hex(&std::fs::read(&cert2).unwrap()).as_str()
    );
    let v = env.verify();
    assert!(v["unfinished_runs"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(cert["remaining_changes"], 0, "{step}: {cert}");
}

fn sweep_killed_after_first_batch(env: &Env) {
    let mut args = env.engine_args("sweep");
    args.extend([
        "--now".into(),
        "2026-11-20".into(),
        "--batch-size".into(),
        "1".into(),
    ]);
    let mut dry = args.clone();
    dry.push("--dry-run".into());
    let argv: Vec<&str> = dry.iter().map(String::as_str).collect();
    let (out, _) = env.ok(&argv);
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    let to_do: u64 = plan["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["deleted"].as_u64().unwrap() + r["anonymised"].as_u64().unwrap())
        .sum();
    assert!(to_do > 1, "{plan}");
    env.kill_at(&args, "sweep.after-commit");
    let v = env.verify();
    assert_eq!(v["unfinished_runs"].as_array().unwrap().len(), 1, "{v}");
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (out, err) = env.ok(&argv);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let done_now: u64 = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["deleted"].as_u64().unwrap() + r["anonymised"].as_u64().unwrap())
        .sum();
    let entries = env.audit();
    let recovered: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|(k, _)| k == "engine.recovered")
        .map(|(_, p)| p)
        .collect();
    assert_eq!(recovered.len(), 1, "{err}");
    let r = recovered[0];
    // One batch of one row was committed before the kill: recorded as such, from the rows.
    assert_eq!(r["outcome"], "recovered: partly applied", "{r}");
    let (d, m) = counts(&r["summary"]["applied"]);
    assert_eq!(d + m, 1, "{r}");
    // Together the two runs account for every row the sweep had to do.
    assert_eq!(d + m + done_now, to_do, "{r}\n{report}");
    let v = env.verify();
    assert!(v["unfinished_runs"].as_array().unwrap().is_empty(), "{v}");
}

async fn every_step(pg: bool) {
    for (step, changed) in STEPS {
        let env = Env::new(pg).await;
        tokio::task::spawn_blocking(move || {
            erasure_killed_at(&env, step, changed);
            env
        })
        .await
        .unwrap();
    }
    let env = Env::new(pg).await;
    tokio::task::spawn_blocking(move || {
        sweep_killed_after_first_batch(&env);
        env
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn killed_at_every_step_sqlite() {
    every_step(false).await;
}

#[tokio::test]
async fn killed_at_every_step_postgres() {
    every_step(true).await;
}
