#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The `user` and `token` commands, on SQLite and on PostgreSQL.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use waarborg_store::{Error, Role, Store};
use waarborg_testkit::PgTestDb;

const BIN: &str = env!("CARGO_BIN_EXE_waarborg");
const PW: &str = "correct horse battery staple";
const PW_STDIN: &str = "een wachtwoord via stdin";

struct Db {
    url: String,
    dir: tempfile::TempDir,
    _pg: Option<PgTestDb>,
}

impl Db {
    fn cmd(&self, args: &[&str], password: Option<&str>) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .env("WAARBORG_STORE", &self.url)
            .env_remove("WAARBORG_AUDIT_KEY")
            .env_remove("WAARBORG_PASSWORD")
            .stdin(Stdio::null())
            .current_dir(self.dir.path());
        if let Some(p) = password {
            c.env("WAARBORG_PASSWORD", p);
        }
        c
    }

    fn run(&self, args: &[&str], password: Option<&str>) -> Output {
        self.cmd(args, password).output().unwrap()
    }

    fn with_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .cmd(args, None)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        check_ok(args, self.run(args, None))
    }

    fn fails(&self, args: &[&str], password: Option<&str>) -> String {
        let out = self.run(args, password);
        assert_eq!(
            out.status.code(),
            Some(2),
            "waarborg {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

fn check_ok(args: &[&str], out: Output) -> String {
    assert!(
        out.status.success(),
        "waarborg {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

async fn users_and_tokens(db: Db) {
    // Reading commands need a store.
    let e = db.fails(&["user", "list"], None);
    assert!(e.contains("no store at"), "{e}");

    // Add: password from the environment; a short one is refused; none at all is an error.
    let args = ["user", "add", "Anna@Example.NL", "--role", "officer"];
    let out = check_ok(&args, db.run(&args, Some(PW)));
    assert!(out.contains("anna@example.nl (officer, nl)"), "{out}");
    let e = db.fails(
        &["user", "add", "kort@example.nl", "--role", "operator"],
        Some("te kort"),
    );
    assert!(e.contains("at least 12"), "{e}");
    let e = db.fails(
        &["user", "add", "geen@example.nl", "--role", "operator"],
        None,
    );
    assert!(
        e.contains("no password") && e.contains("--password-stdin"),
        "{e}"
    );
    let e = db.fails(
        &["user", "add", "ANNA@example.nl", "--role", "auditor"],
        Some(PW),
    );
    assert!(e.contains("exists already"), "{e}");

    // Add: password from standard input.
    let args = [
        "user",
        "add",
        "piet@example.nl",
        "--role",
        "operator",
        "--lang",
        "en",
        "--password-stdin",
        "--format",
        "json",
    ];
    let out = check_ok(&args, db.with_stdin(&args, &format!("{PW_STDIN}\n")));
    let piet: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(piet["role"], "operator");
    assert_eq!(piet["lang"], "en");

    // List.
    let list = db.json(&["user", "list", "--format", "json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["email"], "anna@example.nl");
    assert_eq!(list[0]["role"], "officer");
    assert_eq!(list[1]["email"], "piet@example.nl");
    assert_eq!(list[1]["disabled"], false);
    let text = db.ok(&["user", "list"]);
    assert!(
        text.contains("piet@example.nl") && text.contains("operator"),
        "{text}"
    );

    // Token add: the token alone on standard output, the warning on standard error.
    let args = [
        "token",
        "add",
        "--user",
        "anna@example.nl",
        "--name",
        "ci",
        "--days",
        "30",
    ];
    let out = db.run(&args, None);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let token = check_ok(&args, out).trim().to_string();
    assert!(token.starts_with("wb_") && token.len() == 67, "{token}");
    assert!(stderr.contains("shown only now"), "{stderr}");
    assert!(stderr.contains("alleen nu getoond"), "{stderr}");
    let tokens = db.json(&["token", "list", "--format", "json"]);
    let tokens = tokens.as_array().unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0]["name"], "ci");
    assert_eq!(tokens[0]["active"], true);
    assert_eq!(tokens[0]["user_email"], "anna@example.nl");
    assert!(token.starts_with(tokens[0]["prefix"].as_str().unwrap()));
    let listed = db.ok(&["token", "list", "--user", "anna@example.nl"]);
    assert!(
        listed.contains("ci") && !listed.contains(&token),
        "{listed}"
    );
    let id = tokens[0]["id"].as_i64().unwrap().to_string();

    // The store agrees: the passwords and the token work.
    let store = Store::open(&db.url).await.unwrap();
    let now = jiff::Timestamp::now();
    assert_eq!(
        store.login("anna@example.nl", PW, now).await.unwrap().role,
        Role::Officer
    );
    assert_eq!(
        store
            .login("piet@example.nl", PW_STDIN, now)
            .await
            .unwrap()
            .role,
        Role::Operator
    );
    let (_, u) = store.api_token_user(&token, now).await.unwrap().unwrap();
    assert_eq!(u.email, "anna@example.nl");

    // Revoke.
    let out = db.ok(&["token", "revoke", &id]);
    assert!(out.contains("revoked"), "{out}");
    assert!(store.api_token_user(&token, now).await.unwrap().is_none());
    let tokens = db.json(&["token", "list", "--format", "json"]);
    assert_eq!(tokens[0]["active"], false);
    assert!(tokens[0]["revoked_at"].is_string());
    let e = db.fails(&["token", "revoke", "9999"], None);
    assert!(e.contains("no API token with id 9999"), "{e}");

    // Role, disable, and the last officer.
    db.ok(&["user", "role", "piet@example.nl", "--role", "auditor"]);
    db.ok(&["user", "disable", "piet@example.nl"]);
    let list = db.json(&["user", "list", "--format", "json"]);
    assert_eq!(list[1]["role"], "auditor");
    assert_eq!(list[1]["disabled"], true);
    assert!(matches!(
        store
            .login("piet@example.nl", PW_STDIN, now)
            .await
            .unwrap_err(),
        Error::LoginFailed
    ));
    let e = db.fails(&["user", "disable", "anna@example.nl"], None);
    assert!(e.contains("last enabled officer"), "{e}");
    let e = db.fails(
        &["user", "role", "nobody@example.nl", "--role", "officer"],
        None,
    );
    assert!(e.contains("no user with e-mail address"), "{e}");

    // Password change from the environment.
    let args = ["user", "password", "anna@example.nl"];
    check_ok(&args, db.run(&args, Some("een heel nieuw wachtwoord")));
    assert!(
        store
            .login("anna@example.nl", "een heel nieuw wachtwoord", now)
            .await
            .is_ok()
    );

    // Every change is in the audit trail, and the chain verifies.
    let out = db.ok(&["audit", "verify", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["problems"].as_array().unwrap().len(), 0, "{out}");
    let entries = store.audit_entries(1, 100).await.unwrap();
    let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "user.added",
            "user.added",
            "token.created",
            "token.revoked",
            "user.role_changed",
            "user.disabled",
            "user.password_set"
        ]
    );
    assert!(
        entries
            .iter()
            .all(|e| !e.payload.as_deref().unwrap_or("").contains("example.nl"))
    );
    store.close().await;
}

#[tokio::test]
async fn sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("w.db").to_str().unwrap().to_string();
    users_and_tokens(Db {
        url,
        dir,
        _pg: None,
    })
    .await;
}

#[tokio::test]
async fn postgres() {
    let pg = PgTestDb::create()
        .await
        .expect("the test PostgreSQL server must run");
    users_and_tokens(Db {
        url: pg.url().to_string(),
        dir: tempfile::tempdir().unwrap(),
        _pg: Some(pg),
    })
    .await;
}
