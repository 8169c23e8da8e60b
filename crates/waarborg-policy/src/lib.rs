//! The Waarborg register: an organisation's processing of personal data as policy-as-code.
//!
//! This crate is the ground floor of Waarborg: it knows the register's types, loads them from
//! TOML with precise error locations, lints them against the GDPR and Dutch law, and renders
//! the privacy statement and the Art. 30 register from them. It does no I/O beyond reading a file.
//!
//! ```no_run
//! let policy = waarborg_policy::load_file("examples/demo/policy.toml")?;
//! println!("{} {}", policy.controller.name, policy.digest());
//! # Ok::<(), waarborg_policy::LoadError>(())
//! ```
#![warn(missing_docs)]

pub mod cookie_db;
pub mod duration;
pub mod fideslang;
pub mod legal_periods;
pub mod lint;
pub mod load;
pub mod model;
pub mod render;
pub mod rules;
pub mod source;
pub mod texts;
pub mod vocab;

pub use duration::{DurationError, IsoDuration};
pub use lint::{Diagnostic, FileReport, Severity, lint, lint_policy};
pub use load::{
    LoadError, PolicyDocument, Problem, ProblemKind, document_from_toml_str, from_toml_str,
    load_document, load_file,
};
pub use model::*;
pub use source::{Location, Source};
