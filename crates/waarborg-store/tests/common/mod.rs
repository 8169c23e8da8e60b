#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Shared test support: the same test body runs on SQLite and on PostgreSQL.
#![allow(dead_code)]

use sqlx::Connection;
use waarborg_store::{Backend, Store, StoreOptions};
use waarborg_testkit::PgTestDb;

/// A store on a throw-away database, plus what keeps that database alive.
pub struct Ctx {
    pub store: Store,
    pub url: String,
    pub backend: Backend,
    _tmp: Option<tempfile::TempDir>,
    _pg: Option<PgTestDb>,
}

impl Ctx {
    /// Waits until no killed client's session can still commit (a no-op on SQLite, where a
    /// commit ends inside the process that makes it).
    #[allow(dead_code)]
    pub async fn settle(&self) {
        if let Some(pg) = &self._pg {
            pg.wait_idle(std::time::Duration::from_secs(30))
                .await
                .expect("the killed clients' sessions end");
        }
    }

    pub async fn new(backend: Backend) -> Ctx {
        Ctx::with(backend, StoreOptions::default()).await
    }

    pub async fn with(backend: Backend, opts: StoreOptions) -> Ctx {
        match backend {
            Backend::Sqlite => {
                let tmp = tempfile::tempdir().unwrap();
                let url = tmp.path().join("waarborg.db").to_str().unwrap().to_string();
                let store = Store::open_with(&url, opts).await.unwrap();
                Ctx {
                    store,
                    url,
                    backend,
                    _tmp: Some(tmp),
                    _pg: None,
                }
            }
            Backend::Postgres => {
                let pg = PgTestDb::create()
                    .await
                    .expect("the test PostgreSQL server must run");
                let url = pg.url().to_string();
                let store = Store::open_with(&url, opts).await.unwrap();
                Ctx {
                    store,
                    url,
                    backend,
                    _tmp: None,
                    _pg: Some(pg),
                }
            }
        }
    }

    /// Another store (its own pool) on the same database, as a second process would have.
    pub async fn another(&self) -> Store {
        Store::open(&self.url).await.unwrap()
    }

    /// Runs raw SQL on the database, bypassing the store (to tamper with it).
    pub async fn raw(&self, sql: &str) -> u64 {
        match self.backend {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", self.url))
                    .await
                    .unwrap();
                let n = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut c)
                    .await
                    .unwrap()
                    .rows_affected();
                c.close().await.unwrap();
                n
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                let n = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut c)
                    .await
                    .unwrap()
                    .rows_affected();
                c.close().await.unwrap();
                n
            }
        }
    }

    /// A text value from raw SQL.
    pub async fn raw_text(&self, sql: &str) -> String {
        match self.backend {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", self.url))
                    .await
                    .unwrap();
                let s: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
                    .fetch_one(&mut c)
                    .await
                    .unwrap();
                c.close().await.unwrap();
                s
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                let s: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
                    .fetch_one(&mut c)
                    .await
                    .unwrap();
                c.close().await.unwrap();
                s
            }
        }
    }
}

/// Runs `body(backend)` as two tests: `sqlite` and `postgres`.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name(waarborg_store::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$name(waarborg_store::Backend::Postgres).await
            }
        }
    };
}
