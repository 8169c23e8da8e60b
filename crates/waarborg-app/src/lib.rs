//! Waarborg's application layer: the use cases every front end calls.
//!
//! The CLI (`waarborg ...`) and the server (`waarborg serve`) are thin: they parse their input,
//! call a use case here and present its result. A use case does the whole job in one place:
//! carrying out a request checks the case, runs the engine, hands the result to the front end
//! to deliver, records the hash of what was delivered in the audit trail and closes the case.
//!
//! - [`config`]: configuration read once into types (store, keys, time zone, register,
//!   databases);
//! - [`workspace`]: the register and connected databases, kept warm by a server;
//! - [`cases`], [`requests`], [`consent`], [`sweep`], [`audit`]: the use cases;
//! - [`portal`], [`mail`]: the data subject's portal and its mails;
//! - [`demo`]: the demo organisation;
//! - [`init`]: `waarborg init`, a guided start of a register;
//! - [`error`]: one error type whose kind maps to CLI exit codes and HTTP statuses.
#![warn(missing_docs)]

pub mod audit;
pub mod auth;
pub mod banner;
pub mod breach;
pub mod cases;
pub mod config;
pub mod consent;
pub mod demo;
pub mod error;
pub mod init;
pub mod letters;
pub mod mail;
pub mod portal;
pub mod recovery;
pub mod register;
pub mod requests;
pub mod sweep;
pub mod workspace;

pub use config::{Config, Keys, Secret};
pub use error::{AppError, Context, ErrorKind, Result};
pub use register::LoadedRegister;
pub use workspace::Workspace;
