//! The engine's typed errors.

use std::fmt;

/// One way a dataset file does not match the live database schema.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SchemaProblem {
    /// The database (dataset name) the problem is in.
    pub database: String,
    /// The table, if the problem is about one.
    pub table: Option<String>,
    /// The column, if the problem is about one.
    pub column: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for SchemaProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.database)?;
        if let Some(t) = &self.table {
            write!(f, ".{t}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ".{c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every error the engine returns.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A dataset or register file could not be read or parsed.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What went wrong, with line and column where known.
        message: String,
    },
    /// The dataset description is inconsistent in itself.
    #[error("dataset: {0}")]
    Dataset(String),
    /// A database has no URL: neither the dataset file nor a `--db NAME=URL` binding names one.
    #[error("database `{0}` has no URL: give one in the dataset file or bind it with --db {0}=URL")]
    Unbound(String),
    /// A database URL has a scheme the engine does not support.
    #[error(
        "unsupported database URL `{0}`: use sqlite://FILE, postgres://... or mysql://... (MariaDB, MySQL)"
    )]
    UnsupportedUrl(String),
    /// The tables an erasure deletes from refer to each other in a cycle of foreign keys that
    /// the database checks at once and whose columns may not be NULL: no order of deletes
    /// works. Found before any write (in a dry run too).
    #[error(
        "erase refused before any write: these foreign keys form a cycle that no order of deletes satisfies:\n{}\nmake one of them DEFERRABLE (PostgreSQL: ALTER TABLE ... ALTER CONSTRAINT ... DEFERRABLE), allow NULL in one of its columns, or set `erase = \"mask\"` on one of the tables",
        .0.iter().map(|s| format!("  - {s}")).collect::<Vec<_>>().join("\n")
    )]
    DeleteCycle(Vec<String>),
    /// A primary key declared in the dataset file (the database does not enforce it) is not
    /// unique in the live table. Found before any write (in a dry run too).
    #[error(
        "refused before any write: the primary key declared for {database}.{table} ({columns}) is not unique in the live table ({duplicates} key value(s) occur more than once), so a change by that key would reach other rows, possibly another person's. Declare a key that is unique (`primary_key = [...]` in the dataset file) or add a PRIMARY KEY / UNIQUE constraint to the table"
    )]
    KeyNotUnique {
        /// The database (dataset) name.
        database: String,
        /// The table.
        table: String,
        /// The declared key's columns.
        columns: String,
        /// How many key values occur more than once.
        duplicates: u64,
    },
    /// The dataset does not match the live schema.
    #[error("the dataset does not match the live schema:\n{}", list(.0))]
    SchemaMismatch(Vec<SchemaProblem>),
    /// Tables the dataset does not describe have foreign keys to tables the operation deletes
    /// from: such a delete would fail and roll the work back, so the operation is refused before
    /// any write. Each problem names the undescribed table and column, the referenced table and
    /// what to change in the dataset file.
    #[error(
        "{operation} refused before any write: tables the dataset does not describe have foreign keys to tables it deletes from:\n{}",
        list(.problems)
    )]
    UndescribedForeignKeys {
        /// The refused operation (`erase`, `sweep`).
        operation: String,
        /// One problem per foreign key.
        problems: Vec<SchemaProblem>,
    },
    /// The register (policy) lacks something the dataset refers to.
    #[error("register: {0}")]
    Register(String),
    /// The subject (identity) given is unusable.
    #[error("subject: {0}")]
    Subject(String),
    /// A value given for rectification does not fit its column.
    #[error("invalid value for {column}: {message}")]
    InvalidValue {
        /// The column (`table.column`).
        column: String,
        /// Why it does not fit.
        message: String,
    },
    /// A masking key is needed (hash strategy) but none was given.
    #[error(
        "a hash masking strategy is used but no key is set: set WAARBORG_MASK_KEY or pass a key file"
    )]
    MissingKey,
    /// A database operation failed. The driver's error is part of the message (and not
    /// repeated as a cause, so that it is printed once).
    #[error("database `{database}`: {}", describe(.error))]
    Db {
        /// The database (dataset name).
        database: String,
        /// The driver error.
        error: sqlx::Error,
    },
    /// Writing an export or certificate failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A date or duration computation failed.
    #[error("time: {0}")]
    Time(String),
}

fn list(problems: &[SchemaProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The engine's result type.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;

pub(crate) fn db_err(database: &str) -> impl FnOnce(sqlx::Error) -> EngineError + '_ {
    move |error| EngineError::Db {
        database: database.to_string(),
        error,
    }
}

/// The driver's error in words, with the cause of an I/O error (connection refused, no such
/// host) named at once.
fn describe(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Io(io) => format!("cannot connect: {io}"),
        sqlx::Error::Tls(t) => format!("TLS: {t}"),
        sqlx::Error::PoolTimedOut => {
            "no connection within the time limit (is the server overloaded or its port filtered?)"
                .to_string()
        }
        other => other.to_string(),
    }
}
