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
    /// MariaDB / MySQL check foreign keys at once, row by row, and cannot defer them: the rows
    /// an erasure deletes refer to each other in a cycle whose every link is NOT NULL, so no
    /// order of deletes works and no link can be set to NULL first. Refused before any write
    /// (dry run included).
    #[error(
        "erase refused before any write: in database `{database}` the rows to delete refer to each other in a cycle of foreign keys that MariaDB / MySQL check at once: {}; make one of these columns nullable (the erasure then sets it to NULL in the rows it deletes), use ON DELETE CASCADE or SET NULL on one of them, or set `erase = \"mask\"` on one of the tables",
        .cycle.join(", ")
    )]
    ForeignKeyCycle {
        /// The database (dataset name).
        database: String,
        /// The links of the cycle, each `child(columns) -> parent(columns)`.
        cycle: Vec<String>,
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
    /// A database operation failed.
    #[error("database `{database}`: {source}")]
    Db {
        /// The database (dataset name).
        database: String,
        /// The driver error.
        #[source]
        source: sqlx::Error,
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
    move |source| EngineError::Db {
        database: database.to_string(),
        source,
    }
}
