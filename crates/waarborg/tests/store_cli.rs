#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The `case`, `consent` and `audit` commands, on SQLite and on PostgreSQL.

use std::process::{Command, Output};

use waarborg_testkit::PgTestDb;

const BIN: &str = env!("CARGO_BIN_EXE_waarborg");

/// A store for one test: an SQLite file in a temporary folder, or a PostgreSQL test database.
struct Db {
    url: String,
    dir: tempfile::TempDir,
    _pg: Option<PgTestDb>,
}

impl Db {
    async fn sqlite() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("w.db").to_str().unwrap().to_string();
        Db {
            url,
            dir,
            _pg: None,
        }
    }
    async fn postgres() -> Db {
        let pg = PgTestDb::create()
            .await
            .expect("the test PostgreSQL server must run");
        Db {
            url: pg.url().to_string(),
            dir: tempfile::tempdir().unwrap(),
            _pg: Some(pg),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .env("WAARBORG_STORE", &self.url)
            .env_remove("WAARBORG_AUDIT_KEY")
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    /// Runs and expects success; returns standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "waarborg {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects exit code `code`; returns standard error.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "waarborg {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

fn case_lifecycle(db: &Db) {
    let opened = db.json(&[
        "case",
        "open",
        "--kind",
        "erasure",
        "--subject",
        "email=jan@example.nl",
        "--received",
        "2026-01-31",
        "--note",
        "erase my account",
        "--format",
        "json",
    ]);
    let id = opened["id"].as_str().unwrap().to_string();
    assert_eq!(opened["due_date"], "2026-02-28");
    assert_eq!(opened["status"], "received");
    // A register's shorter deadline wins.
    let short = db.json(&[
        "case",
        "open",
        "--kind",
        "access",
        "--subject",
        "customer_id=9",
        "--received",
        "2026-03-02",
        "--deadline",
        "P4W",
        "--format",
        "json",
    ]);
    assert_eq!(short["due_date"], "2026-03-30");

    let list = db.json(&["case", "list", "--format", "json", "--now", "2026-03-01"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(
        list[0].get("subject").is_none(),
        "lists carry no identities"
    );
    let text = db.ok(&["case", "list", "--overdue", "--now", "2026-03-01"]);
    assert!(text.contains(&id) && text.contains("OVERDUE"), "{text}");
    assert!(
        !text.contains("jan@example.nl"),
        "list prints no identities"
    );
    let overdue = db.json(&[
        "case",
        "list",
        "--overdue",
        "--now",
        "2026-03-01",
        "--format",
        "json",
    ]);
    assert_eq!(overdue.as_array().unwrap().len(), 1);

    // Invalid transition: typed error, exit 2.
    let err = db.fails(&["case", "reject", &id, "--reason", ""], 2);
    assert!(err.contains("reasons"), "{err}");
    let err = db.fails(
        &[
            "case",
            "extend",
            &id,
            "--reason",
            "busy",
            "--now",
            "2026-03-01",
        ],
        2,
    );
    assert!(err.contains("first deadline"), "{err}");
    db.ok(&[
        "case",
        "extend",
        &id,
        "--months",
        "2",
        "--reason",
        "many systems",
        "--now",
        "2026-02-10",
    ]);
    let err = db.fails(
        &[
            "case",
            "extend",
            &id,
            "--reason",
            "again",
            "--now",
            "2026-02-11",
        ],
        2,
    );
    assert!(err.contains("already extended"), "{err}");
    db.ok(&[
        "case",
        "verify",
        id.get(..13).unwrap(),
        "--method",
        "email-link",
    ]);
    db.ok(&["case", "close", &id, "--note", "erased in 3 systems"]);
    let err = db.fails(&["case", "close", &id], 2);
    assert!(
        err.starts_with("error: ") && err.contains("cannot become done"),
        "{err}"
    );

    let shown = db.json(&["case", "show", &id, "--format", "json"]);
    assert_eq!(shown["status"], "done");
    assert_eq!(shown["due_date"], "2026-04-30");
    assert_eq!(shown["subject"]["email"], "jan@example.nl");
    let events: Vec<_> = shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        ["opened", "extended", "verified", "started", "done"]
    );
    let text = db.ok(&["case", "show", &id]);
    assert!(
        text.contains("many systems") && text.contains("done"),
        "{text}"
    );

    db.ok(&[
        "case",
        "reject",
        short["id"].as_str().unwrap().get(..13).unwrap(),
        "--reason",
        "not our customer",
    ]);

    // Audit: intact, exported, then purged and still intact.
    assert!(db.ok(&["audit", "verify"]).contains("intact"));
    let export = db.ok(&["audit", "export"]);
    assert_eq!(export.lines().count(), 7);
    let purged = db.ok(&["case", "purge", "--now", "2032-06-01"]);
    assert!(purged.contains("anonymised 2 case(s)"), "{purged}");
    let report = db.json(&["audit", "verify", "--format", "json"]);
    assert_eq!(report["problems"].as_array().unwrap().len(), 0);
    assert_eq!(report["erased_payloads"], 7);
    assert!(!db.ok(&["audit", "export"]).contains("jan@example.nl"));
    assert!(db.ok(&["case", "show", &id]).contains("(anonymised)"));
}

fn consent_flow(db: &Db) {
    let wp = [
        "--subject",
        "customer:7",
        "--purpose",
        "whitepaper_sponsor",
        "--object",
        "wp-2026",
        "--recipient",
        "sponsor:acme",
    ];
    let mut grant = vec![
        "consent",
        "grant",
        "--wording",
        "Eenmalig delen met de sponsor",
        "--source",
        "web-form",
    ];
    grant.extend(wp);
    db.ok(&grant);
    let mut use_ = vec!["consent", "use"];
    use_.extend(wp);
    db.ok(&use_);
    let err = db.fails(&use_, 2);
    assert!(err.contains("already been used"), "{err}");
    db.ok(&[
        "consent",
        "grant",
        "--subject",
        "customer:7",
        "--purpose",
        "newsletter",
        "--wording-sha256",
        &"ab".repeat(32),
        "--source",
        "web-form",
    ]);
    db.ok(&[
        "consent",
        "use",
        "--subject",
        "customer:7",
        "--purpose",
        "newsletter",
    ]);
    db.ok(&[
        "consent",
        "withdraw",
        "--subject",
        "customer:7",
        "--purpose",
        "newsletter",
        "--source",
        "portal",
    ]);
    let err = db.fails(
        &[
            "consent",
            "use",
            "--subject",
            "customer:7",
            "--purpose",
            "newsletter",
        ],
        2,
    );
    assert!(err.contains("no consent"), "{err}");
    let states = db.json(&[
        "consent",
        "show",
        "--subject",
        "customer:7",
        "--format",
        "json",
    ]);
    let states = states.as_array().unwrap();
    assert_eq!(states.len(), 2);
    assert!(states.iter().all(|s| s["in_force"] == false));
    let text = db.ok(&["consent", "show", "--subject", "customer:7"]);
    assert!(
        text.contains("single use, used") && text.contains("withdrawn"),
        "{text}"
    );
    assert!(db.ok(&["audit", "verify"]).contains("intact"));
}

/// Several `waarborg case claim` processes at once never get the same case.
fn claim_processes(db: &Db) {
    let n = 12;
    for i in 0..n {
        let c = db.json(&[
            "case",
            "open",
            "--kind",
            "access",
            "--subject",
            &format!("customer_id={i}"),
            "--format",
            "json",
        ]);
        db.ok(&[
            "case",
            "verify",
            c["id"].as_str().unwrap(),
            "--method",
            "logged-in",
        ]);
    }
    let mut children = Vec::new();
    for w in 0..4 {
        let url = db.url.clone();
        children.push(std::thread::spawn(move || {
            let mut got = Vec::new();
            loop {
                let out = Command::new(BIN)
                    .args([
                        "case",
                        "claim",
                        "--format",
                        "json",
                        "--worker",
                        &format!("w{w}"),
                        "--store",
                        &url,
                    ])
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                if v.is_null() {
                    return got;
                }
                got.push(v["id"].as_str().unwrap().to_string());
            }
        }));
    }
    let mut all: Vec<String> = children
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    let count = all.len();
    all.sort();
    all.dedup();
    assert_eq!((count, all.len()), (n, n), "each case claimed exactly once");
    assert!(db.ok(&["audit", "verify"]).contains("intact"));
}

#[tokio::test]
async fn case_lifecycle_sqlite() {
    case_lifecycle(&Db::sqlite().await);
}
#[tokio::test]
async fn case_lifecycle_postgres() {
    case_lifecycle(&Db::postgres().await);
}
#[tokio::test]
async fn consent_flow_sqlite() {
    consent_flow(&Db::sqlite().await);
}
#[tokio::test]
async fn consent_flow_postgres() {
    consent_flow(&Db::postgres().await);
}
#[tokio::test]
async fn claim_processes_sqlite() {
    claim_processes(&Db::sqlite().await);
}
#[tokio::test]
async fn claim_processes_postgres() {
    claim_processes(&Db::postgres().await);
}

#[tokio::test]
async fn default_store_is_waarborg_db_in_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .env_remove("WAARBORG_STORE")
            .env_remove("WAARBORG_AUDIT_KEY")
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = run(&[
        "case",
        "open",
        "--kind",
        "access",
        "--subject",
        "email=a@example.nl",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("waarborg.db").exists());
    let out = run(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 entries"));
}

/// Commands that only read never create a store: a mistyped path is an error, and no file
/// appears; commands that write a first record create it.
#[tokio::test]
async fn read_only_commands_never_create_a_store() {
    let db = Db::sqlite().await;
    let missing = db.dir.path().join("typo.db");
    let missing_s = missing.to_str().unwrap();
    for args in [
        &["audit", "verify", "--store", missing_s][..],
        &["audit", "export", "--store", missing_s],
        &["case", "list", "--store", missing_s],
        &["consent", "show", "--subject", "c:1", "--store", missing_s],
        &["case", "claim", "--store", missing_s],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("no store at {missing_s}: the file does not exist")),
            "{args:?}: {err}"
        );
        assert!(!missing.exists(), "{args:?} created {missing_s}");
    }
    // sqlite: URLs are checked the same way.
    let url = format!("sqlite://{missing_s}");
    let out = Command::new(BIN)
        .args(["audit", "verify", "--store", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no store at"));
    assert!(!missing.exists());
    // An empty file is not a store either.
    let empty = db.dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let out = Command::new(BIN)
        .args(["audit", "verify", "--store", empty.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no store at") && err.contains("no schema"),
        "{err}"
    );
    // A writing command creates it; then the reading ones work.
    let out = Command::new(BIN)
        .args([
            "consent",
            "grant",
            "--store",
            missing_s,
            "--subject",
            "c:1",
            "--purpose",
            "news",
            "--wording",
            "yes",
            "--source",
            "web",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(missing.exists());
    let out = Command::new(BIN)
        .args(["audit", "verify", "--store", missing_s])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A PostgreSQL database without Waarborg's schema is not a store for a reading command.
#[tokio::test]
async fn read_only_commands_refuse_an_empty_postgres_database() {
    let db = Db::postgres().await;
    let err = db.fails(&["audit", "verify"], 2);
    assert!(
        err.contains("no store at") && err.contains("no schema"),
        "{err}"
    );
    db.ok(&[
        "case",
        "open",
        "--kind",
        "access",
        "--subject",
        "email=a@example.nl",
    ]);
    assert!(db.ok(&["audit", "verify"]).contains("intact"));
}

/// An unknown scheme is an error naming the accepted forms, and creates nothing.
#[tokio::test]
async fn unknown_scheme_is_refused() {
    let db = Db::sqlite().await;
    for args in [
        &[
            "case",
            "open",
            "--kind",
            "access",
            "--subject",
            "email=a@example.nl",
        ][..],
        &["audit", "verify"],
    ] {
        let out = Command::new(BIN)
            .args(args)
            .env("WAARBORG_STORE", "mysql://root@localhost/waarborg")
            .current_dir(db.dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("unknown store scheme `mysql://`")
                && err.contains("postgres://")
                && err.contains("SQLite file path"),
            "{err}"
        );
    }
    assert_eq!(std::fs::read_dir(db.dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn unreachable_store_is_a_clear_error() {
    let db = Db::sqlite().await;
    let out = Command::new(BIN)
        .args([
            "case",
            "list",
            "--store",
            "postgres://nobody:secret@127.0.0.1:1/x",
        ])
        .output()
        .unwrap();
    // Exit 4: a service did not answer (retrying later may work).
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot open the store") && !err.contains("secret"),
        "{err}"
    );
    drop(db);
}

/// The register's version goes into the chain when it changes, and into consent grants.
#[tokio::test]
async fn register_version_in_the_chain() {
    let db = Db::sqlite().await;
    let policy = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/cantorclin/policy.toml"
    );
    assert!(
        db.ok(&["audit", "register", "--policy", policy])
            .contains("recorded")
    );
    assert!(
        db.ok(&["audit", "register", "--policy", policy])
            .contains("unchanged")
    );
    db.ok(&[
        "consent",
        "grant",
        "--subject",
        "customer:1",
        "--purpose",
        "newsletter",
        "--wording",
        "Ja",
        "--source",
        "web-form",
        "--policy",
        policy,
    ]);
    let export = db.ok(&["audit", "export"]);
    let lines: Vec<serde_json::Value> = export
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let reg: serde_json::Value =
        serde_json::from_str(lines[0]["payload"].as_str().unwrap()).unwrap();
    let grant: serde_json::Value =
        serde_json::from_str(lines[1]["payload"].as_str().unwrap()).unwrap();
    assert_eq!(reg["register_sha256"], grant["register_hash"]);
}

/// An hour promise that ends during a day shows its exact time, not "end of day"; a hand edit of
/// a consent row is named by `audit verify`; no identity reaches the log at -vv.
fn hours_tamper_and_logs(db: &Db) {
    let out = db.ok(&[
        "case",
        "open",
        "--kind",
        "erasure",
        "--subject",
        "email=geheim@example.nl",
        "--received",
        "2026-10-24T22:30:00Z",
        "--deadline",
        "PT48H",
    ]);
    // 00:30 on the day summer time ends, plus 48 real hours: 23:30 local time two days later.
    assert!(
        out.contains("due       2026-10-26 23:30 (Europe/Amsterdam)"),
        "{out}"
    );
    assert!(!out.contains("end of day"), "{out}");
    let out = db.ok(&[
        "case",
        "open",
        "--kind",
        "access",
        "--subject",
        "email=x@example.nl",
        "--received",
        "2026-01-31",
    ]);
    assert!(
        out.contains("due       2026-02-28 (end of day, Europe/Amsterdam)"),
        "{out}"
    );

    let log = db.run(&[
        "-vv",
        "consent",
        "grant",
        "--subject",
        "geheim@example.nl",
        "--purpose",
        "newsletter",
        "--wording",
        "Ja",
        "--source",
        "web",
    ]);
    assert!(log.status.success());
    assert!(!String::from_utf8_lossy(&log.stderr).contains("geheim"));
    db.ok(&[
        "consent",
        "withdraw",
        "--subject",
        "geheim@example.nl",
        "--purpose",
        "newsletter",
        "--source",
        "portal",
    ]);
    assert!(db.ok(&["audit", "verify"]).contains("intact"));
    // Turn the withdrawal into a grant behind the store's back.
    let sql = "UPDATE consent_events SET action = 'granted' WHERE action = 'withdrawn'";
    let status = if db.url.starts_with("postgres") {
        Command::new("psql")
            .args([db.url.as_str(), "-q", "-c", sql])
            .status()
    } else {
        Command::new("sqlite3")
            .args([db.url.as_str(), sql])
            .status()
    };
    if !status.is_ok_and(|s| s.success()) {
        // No command-line client on this machine: the library tests cover the check.
        return;
    }
    let out = db.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("says `granted` but its audit entry"),
        "{text}"
    );
}

#[tokio::test]
async fn hours_tamper_and_logs_sqlite() {
    hours_tamper_and_logs(&Db::sqlite().await);
}
#[tokio::test]
async fn hours_tamper_and_logs_postgres() {
    hours_tamper_and_logs(&Db::postgres().await);
}

/// `consent grant --policy` records consent only for a purpose of the register that rests on
/// consent, and asks for the object and recipient where the register says single use.
#[tokio::test]
async fn consent_grant_checks_the_purpose_against_the_register() {
    let db = Db::sqlite().await;
    let demo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/demo/policy.toml"
    );
    let kantoor = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/crmned-kantoor/policy.toml"
    );
    let grant = |purpose: &str, policy: &str, extra: &[&str]| {
        let mut args = vec![
            "consent",
            "grant",
            "--subject",
            "c:1",
            "--purpose",
            purpose,
            "--wording",
            "Ja",
            "--source",
            "web",
            "--policy",
            policy,
        ];
        args.extend_from_slice(extra);
        db.run(&args)
    };
    let o = grant("nieuwsbrief", demo, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no purpose `nieuwsbrief`") && err.contains("newsletter"),
        "{err}"
    );
    let o = grant("orders", demo, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("rests on contract"));
    assert!(grant("newsletter", demo, &[]).status.success());
    let o = grant("whitepaper", kantoor, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("give the object and the recipient"));
    let o = grant(
        "whitepaper",
        kantoor,
        &["--object", "wp-1", "--recipient", "whitepaper-sponsor"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Nothing refused was written.
    let export = db.ok(&["audit", "export"]);
    assert_eq!(export.lines().count(), 2, "{export}");
}
