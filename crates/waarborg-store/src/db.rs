//! The two back ends behind one small interface: SQL is written once with `$1`-style
//! placeholders (SQLite accepts them too), values are text or 64-bit integers, rows are read by
//! column name.

use sqlx::postgres::{PgPool, PgRow};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Postgres, Row as _, Sqlite, Transaction};

use crate::Error;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// An SQLite file (the default).
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

/// A bound value: text or a 64-bit integer, either of which may be NULL.
#[derive(Debug, Clone)]
pub(crate) enum V {
    T(Option<String>),
    I(Option<i64>),
}

impl From<&str> for V {
    fn from(s: &str) -> Self {
        V::T(Some(s.to_string()))
    }
}
impl From<String> for V {
    fn from(s: String) -> Self {
        V::T(Some(s))
    }
}
impl From<&String> for V {
    fn from(s: &String) -> Self {
        V::T(Some(s.clone()))
    }
}
impl From<Option<String>> for V {
    fn from(s: Option<String>) -> Self {
        V::T(s)
    }
}
impl From<Option<&str>> for V {
    fn from(s: Option<&str>) -> Self {
        V::T(s.map(str::to_string))
    }
}
impl From<i64> for V {
    fn from(i: i64) -> Self {
        V::I(Some(i))
    }
}
impl From<Option<i64>> for V {
    fn from(i: Option<i64>) -> Self {
        V::I(i)
    }
}

/// Builds a `Vec<V>` from values that convert into [`V`].
macro_rules! args {
    ($($v:expr),* $(,)?) => { vec![$($crate::db::V::from($v)),*] };
}
pub(crate) use args;

pub(crate) enum Row {
    Sqlite(SqliteRow),
    Pg(PgRow),
}

impl Row {
    pub(crate) fn opt_text(&self, col: &str) -> Result<Option<String>, Error> {
        Ok(match self {
            Row::Sqlite(r) => r.try_get::<Option<String>, _>(col)?,
            Row::Pg(r) => r.try_get::<Option<String>, _>(col)?,
        })
    }
    pub(crate) fn text(&self, col: &str) -> Result<String, Error> {
        self.opt_text(col)?
            .ok_or_else(|| Error::Corrupt(format!("column {col} is NULL")))
    }
    pub(crate) fn opt_int(&self, col: &str) -> Result<Option<i64>, Error> {
        Ok(match self {
            Row::Sqlite(r) => r.try_get::<Option<i64>, _>(col)?,
            Row::Pg(r) => r.try_get::<Option<i64>, _>(col)?,
        })
    }
    pub(crate) fn int(&self, col: &str) -> Result<i64, Error> {
        self.opt_int(col)?
            .ok_or_else(|| Error::Corrupt(format!("column {col} is NULL")))
    }
}

type SqliteQuery = sqlx::query::Query<'static, Sqlite, sqlx::sqlite::SqliteArguments>;
type PgQuery = sqlx::query::Query<'static, Postgres, sqlx::postgres::PgArguments>;

fn bind_sqlite(mut q: SqliteQuery, args: Vec<V>) -> SqliteQuery {
    for a in args {
        q = match a {
            V::T(s) => q.bind(s),
            V::I(i) => q.bind(i),
        };
    }
    q
}

fn bind_pg(mut q: PgQuery, args: Vec<V>) -> PgQuery {
    for a in args {
        q = match a {
            V::T(s) => q.bind(s),
            V::I(i) => q.bind(i),
        };
    }
    q
}

impl Pool {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Pg(_) => Backend::Postgres,
        }
    }

    /// Begins a transaction that will write. SQLite: `BEGIN IMMEDIATE`, so that writers queue
    /// up front (with the busy timeout) instead of failing on lock upgrade.
    pub(crate) async fn begin_write(&self) -> Result<Tx, Error> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Pg(p) => Tx::Pg(p.begin().await?),
        })
    }

    /// Begins a read-only (deferred) transaction: one consistent snapshot.
    pub(crate) async fn begin_read(&self) -> Result<Tx, Error> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Pool::Pg(p) => Tx::Pg(
                p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    pub(crate) async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Pg(p) => p.close().await,
        }
    }
}

impl Tx {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Pg(_) => Backend::Postgres,
        }
    }

    /// Runs a statement; returns the number of rows affected.
    pub(crate) async fn exec(&mut self, sql: &'static str, args: Vec<V>) -> Result<u64, Error> {
        Ok(match self {
            Tx::Sqlite(tx) => bind_sqlite(sqlx::query(sql), args)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            Tx::Pg(tx) => bind_pg(sqlx::query(sql), args)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        })
    }

    /// Runs a query and returns all rows.
    pub(crate) async fn all(&mut self, sql: &'static str, args: Vec<V>) -> Result<Vec<Row>, Error> {
        Ok(match self {
            Tx::Sqlite(tx) => bind_sqlite(sqlx::query(sql), args)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Tx::Pg(tx) => bind_pg(sqlx::query(sql), args)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(Row::Pg)
                .collect(),
        })
    }

    /// Runs a query and returns its first row, if any.
    pub(crate) async fn opt(
        &mut self,
        sql: &'static str,
        args: Vec<V>,
    ) -> Result<Option<Row>, Error> {
        Ok(match self {
            Tx::Sqlite(tx) => bind_sqlite(sqlx::query(sql), args)
                .fetch_optional(&mut **tx)
                .await?
                .map(Row::Sqlite),
            Tx::Pg(tx) => bind_pg(sqlx::query(sql), args)
                .fetch_optional(&mut **tx)
                .await?
                .map(Row::Pg),
        })
    }

    /// Runs a query that must return one row.
    pub(crate) async fn one(&mut self, sql: &'static str, args: Vec<V>) -> Result<Row, Error> {
        self.opt(sql, args)
            .await?
            .ok_or_else(|| Error::Corrupt("a query that returns one row returned none".into()))
    }

    pub(crate) async fn commit(self) -> Result<(), Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Pg(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
