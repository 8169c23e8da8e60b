#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The engine commands with `--store` and `--case`: a case is carried out by the engine, the
//! run lands in the audit chain with the SHA-256 of its certificate, and the register's version
//! is recorded when it changes. Store on SQLite and on PostgreSQL; the shop is the demo's SQLite.

use std::path::Path;
use std::process::{Command, Output};

use waarborg_testkit::PgTestDb;

const BIN: &str = env!("CARGO_BIN_EXE_waarborg");
const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/demo/");

struct Env {
    store: String,
    shop: String,
    dir: tempfile::TempDir,
    _pg: Option<PgTestDb>,
}

impl Env {
    async fn new(pg: bool) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let shop = format!("sqlite://{}", dir.path().join("shop.db").display());
        waarborg_engine::run_script(
            &format!("{shop}?mode=rwc"),
            &std::fs::read_to_string(format!("{DEMO}demo.sql")).unwrap(),
        )
        .await
        .unwrap();
        let (store, pgdb) = if pg {
            let db = PgTestDb::create()
                .await
                .expect("the test PostgreSQL server must run");
            (db.url().to_string(), Some(db))
        } else {
            (dir.path().join("w.db").display().to_string(), None)
        };
        Env {
            store,
            shop,
            dir,
            _pg: pgdb,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .env("WAARBORG_MASK_KEY", "engine-store-test-key")
            .env_remove("WAARBORG_STORE")
            .env_remove("WAARBORG_AUDIT_KEY")
            .current_dir(self.dir.path())
            .output()
            .unwrap()
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

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "waarborg {args:?} should fail: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    fn open_case(&self, kind: &str, subject: &str) -> String {
        let (out, _) = self.ok(&[
            "case",
            "open",
            "--store",
            &self.store,
            "--kind",
            kind,
            "--subject",
            subject,
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["id"].as_str().unwrap().to_string()
    }

    fn status(&self, id: &str) -> String {
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
        let case = v.get("case").unwrap_or(&v);
        case["status"].as_str().unwrap().to_string()
    }

    fn audit(&self) -> Vec<serde_json::Value> {
        let (out, _) = self.ok(&["audit", "export", "--store", &self.store]);
        out.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn engine_args<'a>(&'a self, cmd: &'a str, bind: &'a str) -> Vec<&'a str> {
        vec![
            cmd,
            "--policy",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../examples/demo/policy.toml"
            ),
            "--datasets",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../examples/demo/datasets.toml"
            ),
            "--db",
            bind,
            "--store",
            &self.store,
        ]
    }
}

fn payload(entry: &serde_json::Value) -> serde_json::Value {
    serde_json::from_str(entry["payload"].as_str().unwrap()).unwrap()
}

fn engine_runs(entries: &[serde_json::Value]) -> Vec<serde_json::Value> {
    entries
        .iter()
        .filter(|e| e["kind"] == "engine.run")
        .map(payload)
        .collect()
}

fn sha256_file(p: &Path) -> String {
    waarborg_store::audit::sha256_hex(&std::fs::read(p).unwrap())
}

fn erasure_case_is_carried_out_and_proven(env: &Env) {
    let bind = format!("shop={}", env.shop);
    let emma = "email=emma.visser@example.nl";
    let id = env.open_case("erasure", emma);

    // Not verified yet: the engine refuses and changes nothing.
    let mut args = env.engine_args("erase", &bind);
    args.extend(["--case", &id]);
    let err = env.fails(&args);
    assert!(err.contains("not verified"), "{err}");
    assert!(err.contains("case verify"), "{err}");

    // The wrong command for the case's kind.
    let mut access = env.engine_args("access", &bind);
    access.extend(["--case", &id]);
    let err = env.fails(&access);
    assert!(err.contains("erasure request"), "{err}");

    env.ok(&[
        "case",
        "verify",
        "--store",
        &env.store,
        &id,
        "--method",
        "email-link",
    ]);

    // A --subject that is not the case's identity is refused.
    let mut other = args.clone();
    other.extend(["--subject", "email=sanne.devries@example.nl"]);
    let err = env.fails(&other);
    assert!(err.contains("differs from the identity"), "{err}");

    // A dry run is recorded but leaves the case where it was.
    let mut dry = args.clone();
    dry.push("--dry-run");
    env.ok(&dry);
    assert_eq!(env.status(&id), "verified");

    // The real run: certificate to a file, its hash in the chain, the case closed.
    let cert = env.dir.path().join("cert.json");
    let cert_s = cert.display().to_string();
    let mut real = args.clone();
    real.extend(["--certificate", &cert_s]);
    let (_, err) = env.ok(&real);
    assert!(err.contains("recorded in the audit trail"), "{err}");
    assert_eq!(env.status(&id), "done");
    let certificate: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cert).unwrap()).unwrap();
    assert_eq!(
        certificate["request_id"],
        id.as_str(),
        "the case is the request id"
    );

    let entries = env.audit();
    let runs = engine_runs(&entries);
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(runs[0]["summary"]["dry_run"], true);
    assert_eq!(runs[1]["run_kind"], "erase");
    assert_eq!(runs[1]["certificate_sha256"], sha256_file(&cert).as_str());
    assert_eq!(runs[1]["summary"]["case"], id.as_str());
    let kept = runs[1]["summary"]["kept"].as_u64().unwrap();
    assert!(
        kept > 0,
        "the invoices stay under the fiscal hold: {runs:?}"
    );
    for r in &runs {
        let text = r.to_string();
        assert!(
            !text.contains("emma"),
            "personal data in the audit run: {text}"
        );
    }
    // The register was recorded once, not once per run.
    let registers = entries
        .iter()
        .filter(|e| e["kind"] == "register.change")
        .count();
    assert_eq!(registers, 1);

    // A closed case is not carried out again.
    let err = env.fails(&args);
    assert!(err.contains("already closed"), "{err}");

    // A sweep with --store is recorded too; the chain verifies.
    let mut sweep = env.engine_args("sweep", &bind);
    sweep.extend(["--now", "2026-11-01"]);
    let (out, _) = env.ok(&sweep);
    let entries = env.audit();
    let runs = engine_runs(&entries);
    assert_eq!(runs.last().unwrap()["run_kind"], "sweep");
    assert_eq!(
        runs.last().unwrap()["certificate_sha256"],
        waarborg_store::audit::sha256_hex(out.trim_end().as_bytes()).as_str()
    );
    let (verify, _) = env.ok(&["audit", "verify", "--store", &env.store]);
    assert!(!verify.is_empty());
}

fn access_case_without_subject(env: &Env) {
    let bind = format!("shop={}", env.shop);
    let id = env.open_case("access", "email=sanne.devries@example.nl");
    env.ok(&[
        "case",
        "verify",
        "--store",
        &env.store,
        &id,
        "--method",
        "logged-in",
    ]);
    let out_dir = env.dir.path().join("export");
    let out_s = out_dir.display().to_string();
    let mut args = env.engine_args("access", &bind);
    args.extend(["--case", &id, "--out", &out_s]);
    env.ok(&args);
    assert_eq!(env.status(&id), "done");
    let export: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("access.json")).unwrap())
            .unwrap();
    assert!(export["total_rows"].as_u64().unwrap() > 0);
    let runs = engine_runs(&env.audit());
    let run = runs.last().unwrap();
    assert_eq!(run["run_kind"], "access");
    assert_eq!(
        run["certificate_sha256"],
        sha256_file(&out_dir.join("access.json")).as_str()
    );
    assert_eq!(run["summary"]["rows"], export["total_rows"]);
}

#[tokio::test]
async fn erasure_case_sqlite_store() {
    erasure_case_is_carried_out_and_proven(&Env::new(false).await);
}

#[tokio::test]
async fn erasure_case_postgres_store() {
    erasure_case_is_carried_out_and_proven(&Env::new(true).await);
}

#[tokio::test]
async fn access_case_sqlite_store() {
    access_case_without_subject(&Env::new(false).await);
}

#[tokio::test]
async fn access_case_postgres_store() {
    access_case_without_subject(&Env::new(true).await);
}

#[tokio::test]
async fn case_needs_a_store() {
    let env = Env::new(false).await;
    let out = Command::new(BIN)
        .args([
            "erase",
            "--datasets",
            &format!("{DEMO}datasets.toml"),
            "--case",
            "0123456789",
        ])
        .env_remove("WAARBORG_STORE")
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--store"), "{err}");
}
