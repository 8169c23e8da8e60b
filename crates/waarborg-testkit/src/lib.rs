//! Test support for Waarborg: throw-away databases on real PostgreSQL and MariaDB servers.
//!
//! Tests that claim PostgreSQL must run against a real server. [`PgTestDb::create`] makes a
//! database with a unique name on the server named by `WAARBORG_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`, the local trust-auth server that `.ci/run`
//! installs when it is missing) and drops it again when the value is dropped.
//! [`MariaTestDb::create`] does the same on the MariaDB (or MySQL) server named by
//! `WAARBORG_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/mysql`).
//!
//! There is no silent skip: when no server answers, `create` returns an error and the test fails.
//!
//! [`policy`] builds a small register (`waarborg_policy::Policy`) for tests from the tables they
//! need, after a minimal `[statement]` and `[controller]`.
#![warn(missing_docs)]

use sqlx::Connection;

/// The environment variable that names the administrative PostgreSQL URL used by tests.
pub const PG_URL_ENV: &str = "WAARBORG_TEST_PG_URL";

/// The default administrative URL: the local server with trust authentication.
pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The administrative URL in force: `WAARBORG_TEST_PG_URL` or [`DEFAULT_PG_URL`].
pub fn admin_url() -> String {
    std::env::var(PG_URL_ENV).unwrap_or_else(|_| DEFAULT_PG_URL.to_string())
}

/// A PostgreSQL database created for one test and dropped when this value is dropped.
#[derive(Debug)]
pub struct PgTestDb {
    name: String,
    url: String,
    admin: String,
}

impl PgTestDb {
    /// Creates a fresh, empty database with a unique name (`waarborg_test_<uuid>`).
    ///
    /// Fails with a message that says how to start PostgreSQL when no server answers.
    pub async fn create() -> Result<Self, String> {
        let admin = admin_url();
        let name = format!("waarborg_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&admin).await.map_err(|e| {
            format!(
                "cannot reach the test PostgreSQL server at {admin}: {e}. Start it (see .ci/run) \
                 or set {PG_URL_ENV} to an administrative URL"
            )
        })?;
        // The name is generated above from hex digits only, so it is safe as an identifier.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut conn)
            .await
            .map_err(|e| format!("cannot create test database {name}: {e}"))?;
        let _ = conn.close().await;
        let url = replace_db_name(&admin, &name);
        Ok(Self { name, url, admin })
    }

    /// The URL of the test database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The name of the test database.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Waits until every session on the test database is idle (outside a transaction) or
    /// gone, for at most `timeout`.
    ///
    /// A client killed after it sent `COMMIT` leaves its server session behind, and that
    /// session still commits; a test that reads the database twice after killing clients
    /// waits here first, so that both reads see the same committed state. Idle sessions (a
    /// pool's, or a killed client's whose transaction has ended) are not waited for.
    pub async fn wait_idle(&self, timeout: std::time::Duration) -> Result<(), String> {
        let mut conn = sqlx::PgConnection::connect(&self.admin)
            .await
            .map_err(|e| format!("cannot reach the test PostgreSQL server: {e}"))?;
        let t0 = std::time::Instant::now();
        loop {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 \
                 AND pid <> pg_backend_pid() AND state IS DISTINCT FROM 'idle'",
            )
            .bind(&self.name)
            .fetch_one(&mut conn)
            .await
            .map_err(|e| format!("cannot read pg_stat_activity: {e}"))?;
            if n == 0 {
                let _ = conn.close().await;
                return Ok(());
            }
            if t0.elapsed() > timeout {
                let _ = conn.close().await;
                return Err(format!(
                    "{n} sessions on {} still busy after {timeout:?}",
                    self.name
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Drop may run inside a tokio runtime: do the async work on a thread of its own.
        let handle = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    )))
                    .execute(&mut conn)
                    .await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = handle.join();
    }
}

/// The environment variable that names the administrative MariaDB / MySQL URL used by tests.
pub const MYSQL_URL_ENV: &str = "WAARBORG_TEST_MYSQL_URL";

/// The default administrative MariaDB URL: the local server, root without a password over TCP.
pub const DEFAULT_MYSQL_URL: &str = "mysql://root@127.0.0.1:3306/mysql";

/// The administrative MariaDB URL in force: `WAARBORG_TEST_MYSQL_URL` or [`DEFAULT_MYSQL_URL`].
pub fn mysql_admin_url() -> String {
    std::env::var(MYSQL_URL_ENV).unwrap_or_else(|_| DEFAULT_MYSQL_URL.to_string())
}

/// A MariaDB / MySQL database created for one test and dropped when this value is dropped.
#[derive(Debug)]
pub struct MariaTestDb {
    name: String,
    url: String,
    admin: String,
}

impl MariaTestDb {
    /// Creates a fresh, empty database with a unique name (`waarborg_test_<uuid>`), in
    /// `utf8mb4` with the server's default (case-insensitive) collation.
    ///
    /// Fails with a message that says how to start MariaDB when no server answers.
    pub async fn create() -> Result<Self, String> {
        let admin = mysql_admin_url();
        let name = format!("waarborg_test_{}", uuid::Uuid::new_v4().simple());
        let connect = sqlx::MySqlConnection::connect(&admin);
        let mut conn = match tokio::time::timeout(std::time::Duration::from_secs(10), connect).await
        {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return Err(maria_hint(&admin, &e.to_string())),
            Err(_) => return Err(maria_hint(&admin, "no answer within 10 s")),
        };
        // The name is generated above from hex digits only, so it is safe as an identifier.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE `{name}` CHARACTER SET utf8mb4"
        )))
        .execute(&mut conn)
        .await
        .map_err(|e| format!("cannot create test database {name}: {e}"))?;
        let _ = conn.close().await;
        let url = replace_db_name(&admin, &name);
        Ok(Self { name, url, admin })
    }

    /// The URL of the test database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The name of the test database.
    pub fn name(&self) -> &str {
        &self.name
    }
}

fn maria_hint(admin: &str, cause: &str) -> String {
    format!(
        "cannot reach the test MariaDB server at {admin}: {cause}. Start it (Debian: `apt-get install \
         mariadb-server mariadb-client && service mariadb start`, then let root log in over TCP \
         without a password; .ci/run does all of this) or set {MYSQL_URL_ENV} to an \
         administrative URL"
    )
}

impl Drop for MariaTestDb {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let name = self.name.clone();
        // Drop may run inside a tokio runtime: do the async work on a thread of its own.
        let handle = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = sqlx::MySqlConnection::connect(&admin).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS `{name}`"
                    )))
                    .execute(&mut conn)
                    .await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = handle.join();
    }
}

/// Replaces the database name (the path) of a PostgreSQL URL, keeping any query string.
fn replace_db_name(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    // The path starts at the first '/' after the "scheme://" part.
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base
        .get(after_scheme..)
        .and_then(|rest| rest.find('/'))
        .map(|i| i + after_scheme)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", base.get(..host_end).unwrap_or(base), db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_path_and_keeps_query() {
        assert_eq!(
            replace_db_name("postgres://u@h:5432/postgres?sslmode=disable", "x"),
            "postgres://u@h:5432/x?sslmode=disable"
        );
        assert_eq!(replace_db_name("postgres://u@h", "x"), "postgres://u@h/x");
    }

    #[tokio::test]
    async fn creates_and_drops_a_database() {
        let db = PgTestDb::create().await.expect("test PostgreSQL must run");
        let name = db.name().to_string();
        let mut conn = sqlx::PgConnection::connect(db.url()).await.unwrap();
        let one: i32 = sqlx::query_scalar("SELECT 1")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(one, 1);
        conn.close().await.unwrap();
        drop(db);
        let mut admin = sqlx::PgConnection::connect(&admin_url()).await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .unwrap();
        assert_eq!(n, 0, "the test database is dropped");
    }

    #[test]
    fn replaces_mysql_path() {
        assert_eq!(
            replace_db_name("mysql://root@127.0.0.1:3306/mysql", "waarborg_test_x"),
            "mysql://root@127.0.0.1:3306/waarborg_test_x"
        );
    }

    #[tokio::test]
    async fn creates_and_drops_a_mariadb_database() {
        let db = MariaTestDb::create().await.expect("test MariaDB must run");
        let name = db.name().to_string();
        let mut conn = sqlx::MySqlConnection::connect(db.url()).await.unwrap();
        let current: String = sqlx::query_scalar("SELECT CAST(DATABASE() AS CHAR)")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(current, name);
        conn.close().await.unwrap();
        drop(db);
        let mut admin = sqlx::MySqlConnection::connect(&mysql_admin_url())
            .await
            .unwrap();
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
        )
        .bind(&name)
        .fetch_one(&mut admin)
        .await
        .unwrap();
        assert_eq!(n, 0, "the test database is dropped");
    }

    #[tokio::test]
    async fn a_closed_port_fails_loudly_with_the_way_to_start_mariadb() {
        // The error of a real refused connection, as `create` words it.
        let err = {
            let admin = "mysql://root@127.0.0.1:1/mysql";
            match tokio::time::timeout(
                std::time::Duration::from_secs(10),
                sqlx::MySqlConnection::connect(admin),
            )
            .await
            {
                Ok(Err(e)) => maria_hint(admin, &e.to_string()),
                other => panic!("port 1 answered: {}", other.is_ok()),
            }
        };
        assert!(err.contains("mariadb-server"), "{err}");
        assert!(err.contains(MYSQL_URL_ENV), "{err}");
    }
}

/// The `[statement]` and `[controller]` that [`policy`] puts before a test's tables.
pub const POLICY_HEADER: &str = r#"[statement]
version = "test"
effective_date = 2026-01-01

[controller]
name = "Testorganisatie B.V."
"#;

/// A register for a test: `body` holds the register tables the test needs (`[[data]]`,
/// `[[purposes]]`, `[[retention]]`, `[[legal_holds]]`, ...; the format of `policy.toml`, see
/// docs/policy.md) and is loaded after [`POLICY_HEADER`], checked as `waarborg lint` loads a
/// register. The error names the line in the whole text.
pub fn policy(body: &str) -> Result<waarborg_policy::Policy, waarborg_policy::LoadError> {
    waarborg_policy::from_toml_str(&format!("{POLICY_HEADER}\n{body}"), "<test register>")
}

#[cfg(test)]
mod policy_tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn a_test_register_loads_and_is_checked() {
        let p = super::policy(
            "[[data]]\nid = \"name\"\ncategory = \"user.name\"\nlabel = \"Naam\"\n\n[[legal_holds]]\nid = \"fiscal\"\nlaw = \"AWR art. 52\"\nperiod = \"P7Y\"\nfrom = \"invoice_date\"\ndata = [\"name\"]\n",
        )
        .unwrap();
        assert_eq!(p.controller.name, "Testorganisatie B.V.");
        assert_eq!(p.legal_hold("fiscal").unwrap().period.as_str(), "P7Y");
        // A reference to a data id the register does not define is refused.
        let e = super::policy("[[legal_holds]]\nid = \"h\"\nlaw = \"x\"\nperiod = \"P1Y\"\nfrom = \"collection\"\ndata = [\"nope\"]\n")
            .unwrap_err();
        assert!(e.to_string().contains("nope"), "{e}");
    }
}
