//! Connections (one pool kind per backend), live-schema introspection and statement execution.

use std::str::FromStr;

use sea_query::{
    DeleteStatement, MysqlQueryBuilder, PostgresQueryBuilder, SelectStatement, SqliteQueryBuilder,
    UpdateStatement,
};
use sea_query_sqlx::SqlxBinder;
use sqlx::pool::PoolConnection;
use sqlx::{MySqlPool, PgPool, Row, SqlitePool};

use crate::error::{EngineError, Result, db_err};
use crate::value::{ColKind, Val};

/// The database backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MariaDB or MySQL (`mysql://` or `mariadb://` URLs).
    Mysql,
}

/// A connection pool to one customer database.
#[derive(Debug, Clone)]
pub enum Pool {
    /// SQLite.
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
    /// MariaDB or MySQL.
    Mysql(MySqlPool),
}

/// An open transaction on a [`Conn`].
pub(crate) enum Tx<'c> {
    Sqlite(sqlx::Transaction<'c, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'c, sqlx::Postgres>),
    Mysql(sqlx::Transaction<'c, sqlx::MySql>),
}

/// A connection a request holds from its first statement to its end: taken from the pool, or
/// detached from it to be kept by the engine between requests (see `engine::Conns`).
///
/// Statements on a pool directly take a connection per statement, and a pool connection pings
/// the server when it goes back, so each costs two round trips; the pool also hands its idle
/// connections out in turn, so consecutive statements land on different server processes with
/// cold caches. On a held connection a statement is one round trip on one warm process.
pub(crate) enum Conn {
    Sqlite(PoolConnection<sqlx::Sqlite>),
    Postgres(PoolConnection<sqlx::Postgres>),
    OwnSqlite(sqlx::SqliteConnection),
    OwnPostgres(sqlx::PgConnection),
    Mysql(PoolConnection<sqlx::MySql>),
    OwnMysql(sqlx::MySqlConnection),
}

/// The connection under a [`Conn`].
enum Raw<'a> {
    Sqlite(&'a mut sqlx::SqliteConnection),
    Postgres(&'a mut sqlx::PgConnection),
    Mysql(&'a mut sqlx::MySqlConnection),
}

async fn fetch_sqlite(
    c: &mut sqlx::SqliteConnection,
    name: &str,
    stmt: &SelectStatement,
    kinds: &[ColKind],
) -> Result<Vec<Vec<Val>>> {
    let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
    let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
        .fetch_all(c)
        .await
        .map_err(db_err(name))?;
    rows.iter().map(|r| decode_sqlite(r, kinds.len())).collect()
}

async fn fetch_pg(
    c: &mut sqlx::PgConnection,
    name: &str,
    stmt: &SelectStatement,
    kinds: &[ColKind],
) -> Result<Vec<Vec<Val>>> {
    let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
    let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
        .fetch_all(c)
        .await
        .map_err(db_err(name))?;
    rows.iter().map(|r| decode_pg(r, kinds)).collect()
}

async fn fetch_mysql(
    c: &mut sqlx::MySqlConnection,
    name: &str,
    stmt: &SelectStatement,
    kinds: &[ColKind],
) -> Result<Vec<Vec<Val>>> {
    let (sql, values) = stmt.build_sqlx(MysqlQueryBuilder);
    let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
        .fetch_all(c)
        .await
        .map_err(db_err(name))?;
    rows.iter().map(|r| decode_mysql(r, kinds)).collect()
}

/// How long connecting to a database server may take before the command gives up.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether `url` names a MariaDB / MySQL database.
pub(crate) fn is_mysql_url(url: &str) -> bool {
    url.starts_with("mysql://") || url.starts_with("mariadb://")
}

/// Connection options for a MariaDB / MySQL URL: the session runs in UTC (`TIMESTAMP` columns
/// are read and written as UTC; see `decode_mysql`) with utf8mb4.
fn mysql_options(name: &str, url: &str) -> Result<sqlx::mysql::MySqlConnectOptions> {
    Ok(sqlx::mysql::MySqlConnectOptions::from_str(url)
        .map_err(db_err(name))?
        .timezone(Some("+00:00".to_string()))
        .charset("utf8mb4"))
}

/// Connects a pool to a database server, opening one direct connection first: a server that is
/// down, an unknown host, a wrong password or a missing database is reported at once with its
/// cause (the pool would retry a refused connection until its acquire timeout and then only say
/// that it timed out). `timed_out` is the error when the server does not answer within
/// [`CONNECT_TIMEOUT`].
async fn connect_server<DB: sqlx::Database>(
    name: &str,
    opts: <DB::Connection as sqlx::Connection>::Options,
    timed_out: impl FnOnce() -> sqlx::Error,
) -> Result<sqlx::Pool<DB>> {
    use sqlx::Connection;
    let probe = tokio::time::timeout(CONNECT_TIMEOUT, DB::Connection::connect_with(&opts))
        .await
        .map_err(|_| db_err(name)(timed_out()))?
        .map_err(db_err(name))?;
    let _ = probe.close().await;
    sqlx::pool::PoolOptions::<DB>::new()
        .max_connections(4)
        .acquire_timeout(CONNECT_TIMEOUT)
        .test_before_acquire(false)
        .connect_with(opts)
        .await
        .map_err(db_err(name))
}

/// Connects to a MariaDB / MySQL server (see [`connect_server`]).
async fn connect_mysql(name: &str, url: &str) -> Result<MySqlPool> {
    connect_server::<sqlx::MySql>(name, mysql_options(name, url)?, || {
        sqlx::Error::Io(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!(
                "no answer from the MariaDB / MySQL server within {} s",
                CONNECT_TIMEOUT.as_secs()
            ),
        ))
    })
    .await
}

impl Pool {
    /// Connects to `sqlite://FILE` (or `sqlite:FILE`), `postgres://...` / `postgresql://...`
    /// or `mysql://...` / `mariadb://...`.
    pub async fn connect(name: &str, url: &str) -> Result<Pool> {
        if url.starts_with("sqlite:") {
            let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                .map_err(db_err(name))?
                .foreign_keys(true)
                .busy_timeout(std::time::Duration::from_secs(30));
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(4)
                .test_before_acquire(false)
                .connect_with(opts)
                .await
                .map_err(db_err(name))?;
            Ok(Pool::Sqlite(pool))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = sqlx::postgres::PgConnectOptions::from_str(url).map_err(db_err(name))?;
            let pool =
                connect_server::<sqlx::Postgres>(name, opts, || sqlx::Error::PoolTimedOut).await?;
            Ok(Pool::Postgres(pool))
        } else if is_mysql_url(url) {
            Ok(Pool::Mysql(connect_mysql(name, url).await?))
        } else {
            Err(EngineError::UnsupportedUrl(url.to_string()))
        }
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
            Pool::Mysql(_) => Backend::Mysql,
        }
    }

    /// Takes a connection from the pool.
    pub(crate) async fn acquire(&self, name: &str) -> Result<Conn> {
        match self {
            Pool::Sqlite(p) => Ok(Conn::Sqlite(p.acquire().await.map_err(db_err(name))?)),
            Pool::Postgres(p) => Ok(Conn::Postgres(p.acquire().await.map_err(db_err(name))?)),
            Pool::Mysql(p) => Ok(Conn::Mysql(p.acquire().await.map_err(db_err(name))?)),
        }
    }

    /// Takes a connection out of the pool for good (the engine keeps it between requests).
    pub(crate) async fn detached(&self, name: &str) -> Result<Conn> {
        match self {
            Pool::Sqlite(p) => Ok(Conn::OwnSqlite(
                p.acquire().await.map_err(db_err(name))?.detach(),
            )),
            Pool::Postgres(p) => Ok(Conn::OwnPostgres(
                p.acquire().await.map_err(db_err(name))?.detach(),
            )),
            Pool::Mysql(p) => Ok(Conn::OwnMysql(
                p.acquire().await.map_err(db_err(name))?.detach(),
            )),
        }
    }
}

impl Conn {
    fn raw(&mut self) -> Raw<'_> {
        match self {
            Conn::Sqlite(c) => Raw::Sqlite(c),
            Conn::Postgres(c) => Raw::Postgres(c),
            Conn::OwnSqlite(c) => Raw::Sqlite(c),
            Conn::OwnPostgres(c) => Raw::Postgres(c),
            Conn::Mysql(c) => Raw::Mysql(c),
            Conn::OwnMysql(c) => Raw::Mysql(c),
        }
    }

    /// Runs a SELECT and returns rows of values, decoded by the kinds given per column.
    pub(crate) async fn fetch(
        &mut self,
        name: &str,
        stmt: &SelectStatement,
        kinds: &[ColKind],
    ) -> Result<Vec<Vec<Val>>> {
        match self.raw() {
            Raw::Sqlite(c) => fetch_sqlite(c, name, stmt, kinds).await,
            Raw::Postgres(c) => fetch_pg(c, name, stmt, kinds).await,
            Raw::Mysql(c) => fetch_mysql(c, name, stmt, kinds).await,
        }
    }

    /// Begins a transaction on this connection.
    pub(crate) async fn begin(&mut self, name: &str) -> Result<Tx<'_>> {
        use sqlx::Connection;
        match self.raw() {
            Raw::Sqlite(c) => Ok(Tx::Sqlite(c.begin().await.map_err(db_err(name))?)),
            Raw::Postgres(c) => Ok(Tx::Postgres(c.begin().await.map_err(db_err(name))?)),
            Raw::Mysql(c) => Ok(Tx::Mysql(c.begin().await.map_err(db_err(name))?)),
        }
    }
}

impl Tx<'_> {
    pub(crate) async fn fetch(
        &mut self,
        name: &str,
        stmt: &SelectStatement,
        kinds: &[ColKind],
    ) -> Result<Vec<Vec<Val>>> {
        match self {
            Tx::Sqlite(tx) => fetch_sqlite(tx, name, stmt, kinds).await,
            Tx::Postgres(tx) => fetch_pg(tx, name, stmt, kinds).await,
            Tx::Mysql(tx) => fetch_mysql(tx, name, stmt, kinds).await,
        }
    }

    pub(crate) async fn update(&mut self, name: &str, stmt: &UpdateStatement) -> Result<u64> {
        let built = match self {
            Tx::Sqlite(_) => stmt.build_sqlx(SqliteQueryBuilder),
            Tx::Postgres(_) => stmt.build_sqlx(PostgresQueryBuilder),
            Tx::Mysql(_) => stmt.build_sqlx(MysqlQueryBuilder),
        };
        self.execute(name, built).await
    }

    pub(crate) async fn delete(&mut self, name: &str, stmt: &DeleteStatement) -> Result<u64> {
        let built = match self {
            Tx::Sqlite(_) => stmt.build_sqlx(SqliteQueryBuilder),
            Tx::Postgres(_) => stmt.build_sqlx(PostgresQueryBuilder),
            Tx::Mysql(_) => stmt.build_sqlx(MysqlQueryBuilder),
        };
        self.execute(name, built).await
    }

    async fn execute(
        &mut self,
        name: &str,
        (sql, values): (String, sea_query_sqlx::SqlxValues),
    ) -> Result<u64> {
        match self {
            Tx::Sqlite(tx) => Ok(sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .execute(&mut **tx)
                .await
                .map_err(db_err(name))?
                .rows_affected()),
            Tx::Postgres(tx) => Ok(sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .execute(&mut **tx)
                .await
                .map_err(db_err(name))?
                .rows_affected()),
            Tx::Mysql(tx) => Ok(sqlx::query_with(sqlx::AssertSqlSafe(sql), values)
                .execute(&mut **tx)
                .await
                .map_err(db_err(name))?
                .rows_affected()),
        }
    }

    /// PostgreSQL: plan every statement of this transaction for its actual parameters (a
    /// generic plan for `ORDER BY pk LIMIT 1 OFFSET $n` can scan the whole table per batch).
    pub(crate) async fn custom_plans(&mut self, name: &str) -> Result<()> {
        if let Tx::Postgres(tx) = self {
            sqlx::query("SET LOCAL plan_cache_mode = force_custom_plan")
                .execute(&mut **tx)
                .await
                .map_err(db_err(name))?;
        }
        Ok(())
    }

    /// Defers foreign-key checks to the commit where the backend allows it (cycles).
    pub(crate) async fn defer_foreign_keys(&mut self, name: &str) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => {
                sqlx::query("PRAGMA defer_foreign_keys = ON")
                    .execute(&mut **tx)
                    .await
                    .map_err(db_err(name))?;
            }
            Tx::Postgres(tx) => {
                sqlx::query("SET CONSTRAINTS ALL DEFERRED")
                    .execute(&mut **tx)
                    .await
                    .map_err(db_err(name))?;
            }
            // MariaDB / MySQL cannot defer foreign keys: the erasure orders its deletes and
            // breaks cycles itself (see `erase::mysql_cycle_breaks`).
            Tx::Mysql(_) => {}
        }
        Ok(())
    }

    pub(crate) async fn commit(self, name: &str) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await.map_err(db_err(name)),
            Tx::Postgres(tx) => tx.commit().await.map_err(db_err(name)),
            Tx::Mysql(tx) => tx.commit().await.map_err(db_err(name)),
        }
    }
}

fn decode_sqlite(row: &sqlx::sqlite::SqliteRow, n: usize) -> Result<Vec<Val>> {
    use sqlx::{TypeInfo, ValueRef};
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        // Decode by the value's storage class (a failed `try_get` builds an error message, and
        // trying each type in turn did that twice for every text value).
        let class = match row.try_get_raw(i) {
            Ok(raw) if raw.is_null() => {
                out.push(Val::Null);
                continue;
            }
            Ok(raw) => match raw.type_info().name() {
                "INTEGER" => 0,
                "REAL" => 1,
                "BLOB" => 3,
                _ => 2,
            },
            Err(_) => 0,
        };
        let typed = match class {
            0 => row.try_get::<i64, _>(i).ok().map(Val::Int),
            1 => row.try_get::<f64, _>(i).ok().map(Val::Float),
            2 => row.try_get::<String, _>(i).ok().map(Val::Text),
            _ => row.try_get::<Vec<u8>, _>(i).ok().map(Val::Bytes),
        };
        let v = if let Some(v) = typed {
            v
        } else if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            v.map_or(Val::Null, Val::Int)
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            v.map_or(Val::Null, Val::Float)
        } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
            v.map_or(Val::Null, Val::Text)
        } else if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
            v.map_or(Val::Null, Val::Bytes)
        } else {
            Val::Null
        };
        out.push(v);
    }
    Ok(out)
}

/// PostgreSQL columns are selected cast to bigint / double precision / text (see
/// `select_expr`), except booleans and bytea, so these four decoders cover every kind.
fn decode_pg(row: &sqlx::postgres::PgRow, kinds: &[ColKind]) -> Result<Vec<Val>> {
    let mut out = Vec::with_capacity(kinds.len());
    for (i, k) in kinds.iter().enumerate() {
        let v = match k {
            ColKind::Int => row
                .try_get::<Option<i64>, _>(i)
                .map(|v| v.map_or(Val::Null, Val::Int)),
            ColKind::Float => row
                .try_get::<Option<f64>, _>(i)
                .map(|v| v.map_or(Val::Null, Val::Float)),
            ColKind::Bool => row
                .try_get::<Option<bool>, _>(i)
                .map(|v| v.map_or(Val::Null, Val::Bool)),
            ColKind::Bytes => row
                .try_get::<Option<Vec<u8>>, _>(i)
                .map(|v| v.map_or(Val::Null, Val::Bytes)),
            _ => row
                .try_get::<Option<String>, _>(i)
                .map(|v| v.map_or(Val::Null, Val::Text)),
        };
        out.push(v.map_err(db_err("postgres"))?);
    }
    Ok(out)
}

/// MariaDB / MySQL columns are selected as they are for the kinds decoded here (integers,
/// floats, booleans, bytes, text) and cast to `CHAR` for every other kind (see `read_expr`).
/// `TIMESTAMP` columns (kind `TimestampTz`) are read in the session's UTC and get their
/// offset, as PostgreSQL prints `timestamptz`.
fn decode_mysql(row: &sqlx::mysql::MySqlRow, kinds: &[ColKind]) -> Result<Vec<Val>> {
    use sqlx::{TypeInfo, ValueRef};
    let mut out = Vec::with_capacity(kinds.len());
    for (i, k) in kinds.iter().enumerate() {
        let v = match k {
            ColKind::Int => {
                let unsigned = row
                    .try_get_raw(i)
                    .is_ok_and(|raw| raw.type_info().name().contains("UNSIGNED"));
                if unsigned {
                    row.try_get::<Option<u64>, _>(i).map(|v| {
                        v.map_or(Val::Null, |n| {
                            i64::try_from(n).map_or_else(|_| Val::Text(n.to_string()), Val::Int)
                        })
                    })
                } else {
                    row.try_get::<Option<i64>, _>(i)
                        .map(|v| v.map_or(Val::Null, Val::Int))
                }
            }
            ColKind::Float => row
                .try_get::<Option<f64>, _>(i)
                .map(|v| v.map_or(Val::Null, Val::Float)),
            ColKind::Bool => row
                .try_get::<Option<bool>, _>(i)
                .map(|v| v.map_or(Val::Null, Val::Bool)),
            ColKind::Bytes => row
                .try_get::<Option<Vec<u8>>, _>(i)
                .map(|v| v.map_or(Val::Null, Val::Bytes)),
            ColKind::TimestampTz => row
                .try_get::<Option<String>, _>(i)
                .map(|v| v.map_or(Val::Null, |s| Val::Text(format!("{s}+00:00")))),
            _ => row
                .try_get::<Option<String>, _>(i)
                .map(|v| v.map_or(Val::Null, Val::Text)),
        };
        out.push(v.map_err(db_err("mysql"))?);
    }
    Ok(out)
}

/// Runs a trusted SQL script (statements separated by `;` at the end of a line) in one
/// transaction, creating a missing SQLite file. Meant for demo and test databases written by
/// the project (e.g. `examples/demo/demo.sql`), never for user input.
pub async fn run_script(url: &str, script: &str) -> Result<()> {
    let name = "script";
    let stmts: Vec<String> = script
        .split(";\n")
        .map(|s| {
            s.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .map(|s| s.trim().trim_end_matches(';').to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if url.starts_with("sqlite:") {
        let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)
            .map_err(db_err(name))?
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .map_err(db_err(name))?;
        let mut tx = pool.begin().await.map_err(db_err(name))?;
        for s in stmts {
            sqlx::query(sqlx::AssertSqlSafe(s))
                .execute(&mut *tx)
                .await
                .map_err(db_err(name))?;
        }
        tx.commit().await.map_err(db_err(name))?;
        pool.close().await;
        Ok(())
    } else if is_mysql_url(url) {
        // MariaDB commits DDL implicitly: a script with CREATE TABLE is not atomic there.
        let pool = connect_mysql(name, url).await?;
        let mut tx = pool.begin().await.map_err(db_err(name))?;
        for s in stmts {
            sqlx::query(sqlx::AssertSqlSafe(s))
                .execute(&mut *tx)
                .await
                .map_err(db_err(name))?;
        }
        tx.commit().await.map_err(db_err(name))?;
        pool.close().await;
        Ok(())
    } else {
        let Pool::Postgres(pool) = Pool::connect(name, url).await? else {
            return Err(EngineError::UnsupportedUrl(url.to_string()));
        };
        let mut tx = pool.begin().await.map_err(db_err(name))?;
        for s in stmts {
            sqlx::query(sqlx::AssertSqlSafe(s))
                .execute(&mut *tx)
                .await
                .map_err(db_err(name))?;
        }
        tx.commit().await.map_err(db_err(name))?;
        pool.close().await;
        Ok(())
    }
}

/// A table in the live schema.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LiveTable {
    /// PostgreSQL schema (`None` for SQLite and MariaDB / MySQL, where the URL names the
    /// database).
    pub schema: Option<String>,
    /// Table name.
    pub name: String,
    /// Columns in order.
    pub columns: Vec<LiveColumn>,
    /// Primary key columns in order.
    pub primary_key: Vec<String>,
    /// Declared foreign keys.
    pub foreign_keys: Vec<LiveForeignKey>,
}

/// A column in the live schema.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LiveColumn {
    /// Name.
    pub name: String,
    /// The declared type as the database reports it.
    pub data_type: String,
    /// Classified kind.
    pub kind: ColKind,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// Maximum character length, if declared.
    pub max_len: Option<u32>,
    /// A UNIQUE constraint or unique index holds on this column alone (not the primary key).
    pub unique: bool,
}

/// A declared foreign key.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LiveForeignKey {
    /// Referencing columns (in this table).
    pub columns: Vec<String>,
    /// Referenced table's schema (PostgreSQL; on MariaDB / MySQL the referenced database when
    /// it is another one than the URL names).
    pub ref_schema: Option<String>,
    /// Referenced table.
    pub ref_table: String,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// What the database does to a referencing row when the referenced row is deleted:
    /// `NO ACTION`, `RESTRICT`, `CASCADE`, `SET NULL` or `SET DEFAULT`.
    pub on_delete: String,
    /// Whether the check can wait until the commit: `DEFERRABLE` on PostgreSQL; on SQLite
    /// every key is (the engine sets `PRAGMA defer_foreign_keys`), except `RESTRICT`, which
    /// SQLite checks at once.
    pub deferrable: bool,
}

impl LiveForeignKey {
    /// Whether the key makes the delete of a referenced row fail (`NO ACTION`, `RESTRICT`,
    /// `SET DEFAULT` when the default is not a referenced key): everything but `CASCADE` and
    /// `SET NULL`.
    pub fn blocks_delete(&self) -> bool {
        !matches!(self.on_delete.as_str(), "CASCADE" | "SET NULL")
    }
}

impl LiveTable {
    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&LiveColumn> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Reads the live schema: every table with its columns, primary key and foreign keys.
pub async fn introspect(name: &str, pool: &Pool) -> Result<Vec<LiveTable>> {
    match pool {
        Pool::Sqlite(p) => introspect_sqlite(name, p).await,
        Pool::Postgres(p) => introspect_pg(name, p).await,
        Pool::Mysql(p) => introspect_mysql(name, p).await,
    }
}

/// Reads the tables of the database the URL names (`DATABASE()`) from `information_schema`.
async fn introspect_mysql(name: &str, p: &MySqlPool) -> Result<Vec<LiveTable>> {
    // Every column is cast to CHAR / SIGNED: MySQL 8 and MariaDB report information_schema
    // columns with differing types and collations.
    let cols = sqlx::query(
        "SELECT CAST(c.TABLE_NAME AS CHAR), CAST(c.COLUMN_NAME AS CHAR),                 CAST(c.DATA_TYPE AS CHAR), CAST(c.COLUMN_TYPE AS CHAR),                 CAST(c.IS_NULLABLE = 'YES' AS SIGNED), CAST(c.CHARACTER_MAXIMUM_LENGTH AS SIGNED)          FROM information_schema.COLUMNS c          JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME          WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'          ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION",
    )
    .fetch_all(p)
    .await
    .map_err(db_err(name))?;
    let mut out: Vec<LiveTable> = Vec::new();
    for c in cols {
        let table: String = c.try_get(0).map_err(db_err(name))?;
        let cname: String = c.try_get(1).map_err(db_err(name))?;
        let ty: String = c.try_get(2).map_err(db_err(name))?;
        let column_type: String = c.try_get(3).map_err(db_err(name))?;
        let nullable: i64 = c.try_get(4).map_err(db_err(name))?;
        let max_len: Option<i64> = c.try_get(5).map_err(db_err(name))?;
        let col = LiveColumn {
            name: cname,
            kind: ColKind::from_mysql(&ty, &column_type),
            data_type: column_type,
            nullable: nullable != 0,
            max_len: max_len.and_then(|m| u32::try_from(m).ok()),
            unique: false,
        };
        match out.iter_mut().find(|t| t.name == table) {
            Some(t) => t.columns.push(col),
            None => out.push(LiveTable {
                schema: None,
                name: table,
                columns: vec![col],
                primary_key: Vec::new(),
                foreign_keys: Vec::new(),
            }),
        }
    }
    let keys = sqlx::query(
        "SELECT CAST(k.TABLE_NAME AS CHAR), CAST(k.CONSTRAINT_NAME AS CHAR), CAST(k.COLUMN_NAME AS CHAR),                 CAST(k.REFERENCED_TABLE_SCHEMA = k.TABLE_SCHEMA AS SIGNED),                 CAST(k.REFERENCED_TABLE_SCHEMA AS CHAR), CAST(k.REFERENCED_TABLE_NAME AS CHAR),                 CAST(k.REFERENCED_COLUMN_NAME AS CHAR), CAST(r.DELETE_RULE AS CHAR)          FROM information_schema.KEY_COLUMN_USAGE k          LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r            ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME           AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME          WHERE k.TABLE_SCHEMA = DATABASE()            AND (k.CONSTRAINT_NAME = 'PRIMARY' OR k.REFERENCED_TABLE_NAME IS NOT NULL)          ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    )
    .fetch_all(p)
    .await
    .map_err(db_err(name))?;
    let mut last: Option<(String, String)> = None;
    for r in keys {
        let table: String = r.try_get(0).map_err(db_err(name))?;
        let constraint: String = r.try_get(1).map_err(db_err(name))?;
        let col: String = r.try_get(2).map_err(db_err(name))?;
        let same_db: Option<i64> = r.try_get(3).map_err(db_err(name))?;
        let rschema: Option<String> = r.try_get(4).map_err(db_err(name))?;
        let rtable: Option<String> = r.try_get(5).map_err(db_err(name))?;
        let rcol: Option<String> = r.try_get(6).map_err(db_err(name))?;
        let on_delete: Option<String> = r.try_get(7).map_err(db_err(name))?;
        let Some(t) = out.iter_mut().find(|t| t.name == table) else {
            continue;
        };
        let (Some(rtable), Some(rcol)) = (rtable, rcol) else {
            if constraint == "PRIMARY" {
                t.primary_key.push(col);
            }
            continue;
        };
        let same = last
            .as_ref()
            .is_some_and(|(tb, cn)| *tb == table && *cn == constraint);
        match (same, t.foreign_keys.last_mut()) {
            (true, Some(fk)) => {
                fk.columns.push(col);
                fk.ref_columns.push(rcol);
            }
            _ => t.foreign_keys.push(LiveForeignKey {
                columns: vec![col],
                ref_schema: if same_db == Some(1) { None } else { rschema },
                ref_table: rtable,
                ref_columns: vec![rcol],
                on_delete: on_delete
                    .map(|d| d.to_ascii_uppercase())
                    .unwrap_or_else(|| "RESTRICT".into()),
                // InnoDB checks every key at once, row by row.
                deferrable: false,
            }),
        }
        last = Some((table, constraint));
    }
    // Single-column unique indexes (not the primary key).
    let uniques = sqlx::query(
        "SELECT CAST(s.TABLE_NAME AS CHAR), CAST(s.COLUMN_NAME AS CHAR) \
         FROM information_schema.STATISTICS s \
         WHERE s.TABLE_SCHEMA = DATABASE() AND s.NON_UNIQUE = 0 AND s.INDEX_NAME <> 'PRIMARY' \
         AND (SELECT COUNT(*) FROM information_schema.STATISTICS x \
              WHERE x.TABLE_SCHEMA = s.TABLE_SCHEMA AND x.TABLE_NAME = s.TABLE_NAME \
              AND x.INDEX_NAME = s.INDEX_NAME) = 1",
    )
    .fetch_all(p)
    .await
    .map_err(db_err(name))?;
    for r in uniques {
        let table: String = r.try_get(0).map_err(db_err(name))?;
        let col: String = r.try_get(1).map_err(db_err(name))?;
        if let Some(c) = out
            .iter_mut()
            .find(|t| t.name == table)
            .and_then(|t| t.columns.iter_mut().find(|c| c.name == col))
        {
            c.unique = true;
        }
    }
    Ok(out)
}

async fn introspect_sqlite(name: &str, p: &SqlitePool) -> Result<Vec<LiveTable>> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(p)
    .await
    .map_err(db_err(name))?;
    let mut out = Vec::new();
    for t in tables {
        let cols = sqlx::query(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind(&t)
        .fetch_all(p)
        .await
        .map_err(db_err(name))?;
        let mut columns = Vec::new();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for c in cols {
            let cname: String = c.try_get(0).map_err(db_err(name))?;
            let ty: String = c.try_get(1).map_err(db_err(name))?;
            let notnull: i64 = c.try_get(2).map_err(db_err(name))?;
            let pkpos: i64 = c.try_get(3).map_err(db_err(name))?;
            if pkpos > 0 {
                pk.push((pkpos, cname.clone()));
            }
            columns.push(LiveColumn {
                name: cname,
                kind: ColKind::from_sqlite(&ty),
                max_len: None,
                data_type: ty,
                nullable: notnull == 0 && pkpos == 0,
                unique: false,
            });
        }
        pk.sort();
        // Single-column unique indexes (UNIQUE constraints are indexes too).
        let uniques: Vec<String> = sqlx::query_scalar(
            "SELECT ii.name FROM pragma_index_list(?1) il, pragma_index_info(il.name) ii \
             WHERE il.\"unique\" = 1 AND il.origin <> 'pk' \
             AND (SELECT COUNT(*) FROM pragma_index_info(il.name)) = 1",
        )
        .bind(&t)
        .fetch_all(p)
        .await
        .map_err(db_err(name))?;
        for c in &mut columns {
            c.unique = uniques.contains(&c.name);
        }
        let fks = sqlx::query(
            "SELECT id, seq, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind(&t)
        .fetch_all(p)
        .await
        .map_err(db_err(name))?;
        let mut foreign_keys: Vec<(i64, LiveForeignKey)> = Vec::new();
        for f in fks {
            let id: i64 = f.try_get(0).map_err(db_err(name))?;
            let rt: String = f.try_get(2).map_err(db_err(name))?;
            let from: String = f.try_get(3).map_err(db_err(name))?;
            let to: Option<String> = f.try_get(4).map_err(db_err(name))?;
            let on_delete: String = f.try_get(5).map_err(db_err(name))?;
            match foreign_keys.iter_mut().find(|(i, _)| *i == id) {
                Some((_, fk)) => {
                    fk.columns.push(from);
                    fk.ref_columns.push(to.unwrap_or_default());
                }
                None => foreign_keys.push((
                    id,
                    LiveForeignKey {
                        columns: vec![from],
                        ref_schema: None,
                        ref_table: rt,
                        ref_columns: vec![to.unwrap_or_default()],
                        deferrable: !on_delete.eq_ignore_ascii_case("RESTRICT"),
                        on_delete: on_delete.to_ascii_uppercase(),
                    },
                )),
            }
        }
        out.push(LiveTable {
            schema: None,
            name: t,
            columns,
            primary_key: pk.into_iter().map(|(_, c)| c).collect(),
            foreign_keys: foreign_keys.into_iter().map(|(_, f)| f).collect(),
        });
    }
    // A foreign key without target columns refers to the target's primary key.
    let pks: Vec<(String, Vec<String>)> = out
        .iter()
        .map(|t| (t.name.clone(), t.primary_key.clone()))
        .collect();
    for t in &mut out {
        for fk in &mut t.foreign_keys {
            if fk.ref_columns.iter().any(String::is_empty)
                && let Some((_, pk)) = pks.iter().find(|(n, _)| *n == fk.ref_table)
            {
                fk.ref_columns = pk.clone();
            }
        }
    }
    Ok(out)
}

async fn introspect_pg(name: &str, p: &PgPool) -> Result<Vec<LiveTable>> {
    let cols = sqlx::query(
        "SELECT c.table_schema::text, c.table_name::text, c.column_name::text, c.data_type::text, \
                (c.is_nullable = 'YES'), c.character_maximum_length::int4 \
         FROM information_schema.columns c \
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND t.table_type = 'BASE TABLE' \
         ORDER BY c.table_schema, c.table_name, c.ordinal_position",
    )
    .fetch_all(p)
    .await
    .map_err(db_err(name))?;
    let mut out: Vec<LiveTable> = Vec::new();
    for c in cols {
        let schema: String = c.try_get(0).map_err(db_err(name))?;
        let table: String = c.try_get(1).map_err(db_err(name))?;
        let cname: String = c.try_get(2).map_err(db_err(name))?;
        let ty: String = c.try_get(3).map_err(db_err(name))?;
        let nullable: bool = c.try_get(4).map_err(db_err(name))?;
        let max_len: Option<i32> = c.try_get(5).map_err(db_err(name))?;
        let col = LiveColumn {
            name: cname,
            kind: ColKind::from_pg(&ty),
            data_type: ty,
            nullable,
            max_len: max_len.and_then(|m| u32::try_from(m).ok()),
            unique: false,
        };
        match out
            .iter_mut()
            .find(|t| t.name == table && t.schema.as_deref() == Some(schema.as_str()))
        {
            Some(t) => t.columns.push(col),
            None => out.push(LiveTable {
                schema: Some(schema),
                name: table,
                columns: vec![col],
                primary_key: Vec::new(),
                foreign_keys: Vec::new(),
            }),
        }
    }
    let pks = sqlx::query(
        "SELECT n.nspname::text, c.relname::text, a.attname::text \
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(att, ord) \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.att \
         WHERE i.indisprimary AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
         ORDER BY 1, 2, k.ord",
    )
    .fetch_all(p)
    .await
    .map_err(db_err(name))?;
    for r in pks {
        let schema: String = r.try_get(0).map_err(db_err(name))?;
        let table: String = r.try_get(1).map_err(db_err(name))?;
        let col: String = r.try_get(2).map_err(db_err(name))?;
        if let Some(t) = out
            .iter_mut()
            .find(|t| t.name == table && t.schema.as_deref() == Some(schema.as_str()))
        {
            t.primary_key.push(col);
        }
    }
    let fks = sqlx::query(
        "SELECT con.oid::int8, sn.nspname::text, st.relname::text, a.attname::text, \
                tn.nspname::text, tt.relname::text, af.attname::text, \
                CASE con.confdeltype WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' \
                     WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END, \
                con.condeferrable \
         FROM pg_constraint con \
         JOIN pg_class st ON st.oid = con.conrelid JOIN pg_namespace sn ON sn.oid = st.relnamespace \
         JOIN pg_class tt ON tt.oid = con.confrelid JOIN pg_namespace tn ON tn.oid = tt.relnamespace \
         CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(src, dst, ord) \
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.src \
         JOIN pg_attribute af ON af.attrelid = con.confrelid AND af.attnum = k.dst \
         WHERE con.contype = 'f' AND sn.nspname NOT IN ('pg_catalog', 'information_schema') \
         ORDER BY 1, k.ord",
    )
    .fetch_all(p)
    .await
    .map_err(db_err(name))?;
    let mut last: Option<(i64, String, String)> = None;
    for r in fks {
        let oid: i64 = r.try_get(0).map_err(db_err(name))?;
        let schema: String = r.try_get(1).map_err(db_err(name))?;
        let table: String = r.try_get(2).map_err(db_err(name))?;
        let col: String = r.try_get(3).map_err(db_err(name))?;
        let rschema: String = r.try_get(4).map_err(db_err(name))?;
        let rtable: String = r.try_get(5).map_err(db_err(name))?;
        let rcol: String = r.try_get(6).map_err(db_err(name))?;
        let on_delete: String = r.try_get(7).map_err(db_err(name))?;
        let deferrable: bool = r.try_get(8).map_err(db_err(name))?;
        let Some(t) = out
            .iter_mut()
            .find(|t| t.name == table && t.schema.as_deref() == Some(schema.as_str()))
        else {
            continue;
        };
        let same = last
            .as_ref()
            .is_some_and(|(o, s, tb)| *o == oid && *s == schema && *tb == table);
        match (same, t.foreign_keys.last_mut()) {
            (true, Some(fk)) => {
                fk.columns.push(col);
                fk.ref_columns.push(rcol);
            }
            _ => t.foreign_keys.push(LiveForeignKey {
                columns: vec![col],
                ref_schema: Some(rschema),
                ref_table: rtable,
                ref_columns: vec![rcol],
                on_delete,
                deferrable,
            }),
        }
        last = Some((oid, schema, table));
    }
    // Single-column unique constraints and unique indexes (not the primary key).
    let uniques = sqlx::query(
        "SELECT n.nspname::text, c.relname::text, a.attname::text \
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] \
         WHERE i.indisunique AND NOT i.indisprimary AND i.indnkeyatts = 1 \
         AND i.indexprs IS NULL AND i.indpred IS NULL \
         AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
    )
    .fetch_all(p)
    .await
    .map_err(db_err(name))?;
    for r in uniques {
        let schema: String = r.try_get(0).map_err(db_err(name))?;
        let table: String = r.try_get(1).map_err(db_err(name))?;
        let col: String = r.try_get(2).map_err(db_err(name))?;
        if let Some(c) = out
            .iter_mut()
            .find(|t| t.name == table && t.schema.as_deref() == Some(schema.as_str()))
            .and_then(|t| t.columns.iter_mut().find(|c| c.name == col))
        {
            c.unique = true;
        }
    }
    Ok(out)
}
