//! Enforces the register on the organisation's own SQL databases (SQLite, PostgreSQL, MariaDB /
//! MySQL): access, erasure and rectification requests, and retention sweeps.
//!
//! The register (purposes, retention rules, legal holds, recipients) is the policy crate's
//! [`Policy`], loaded with `waarborg_policy::load_file`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use waarborg_engine::{Datasets, Engine, EraseOptions, Subject, SweepOptions};
//! let datasets = Datasets::load(std::path::Path::new("examples/demo/datasets.toml"))?;
//! let register = waarborg_policy::load_file("examples/demo/policy.toml")?;
//! datasets.check_register(&register)?;
//! let engine = Engine::connect(&datasets, &[]).await?;
//! let subject = Subject::parse("email=jan@example.nl")?;
//! let report = engine.access(&subject).await?;
//! let cert = engine.erase(&subject, Some(&register), &EraseOptions::default()).await?;
//! let swept = engine.sweep(&register, jiff::Timestamp::now(), &SweepOptions::default()).await?;
//! # let _ = (report, cert, swept); Ok(()) }
//! ```
//!
//! Security: values are always bound; table and column names come only from the dataset checked
//! against the live schema and are quoted by sea-query; logs carry counts and table names only.
#![warn(missing_docs)]

mod access;
mod db;
mod engine;
mod erase;
mod error;
mod fides;
mod identity;
mod mask;
mod model;
mod output;
pub mod pause;
mod scan;
mod sweep;
mod value;
mod walk;

pub use access::{
    ACCESS_FORMAT, AccessReport, Art15Info, ColumnInfo, PurposeInfo, TableExport, access_document,
    art15_info, information_html, information_letter, write_access_export,
};
pub use db::{Backend, LiveColumn, LiveForeignKey, LiveTable, Pool, introspect, run_script};
pub use engine::{Engine, Subject};
pub use erase::{
    CERTIFICATE_FORMAT, Certificate, DatabaseOutcome, EraseOptions, Reason, ScheduledErasure,
    TableCertificate, write_certificate,
};
pub use error::{EngineError, Result, SchemaProblem};
pub use fides::from_fides_yaml;
pub use identity::IdentityMatch;
pub use model::{
    ColumnAddr, ColumnSpec, DatabaseSpec, Datasets, Direction, EraseAction, HoldSpec, MaskStrategy,
    MaskingConfig, Reference, RetentionSpec, SweepAction, TableSpec, parse_binding,
};
pub use output::write_output;
pub use pause::pause_point;
pub use scan::{Proposal, hint, scan, scan_proposal};
pub use sweep::{
    Blocked, ProgressFn, RuleReport, SWEEP_FORMAT, SweepOptions, SweepProgress, SweepReport,
};
pub use value::{ColKind, Val, parse_civil, parse_text};
/// The register's types the engine's API takes: the policy (register) and its languages.
pub use waarborg_policy::{Lang, Policy};
