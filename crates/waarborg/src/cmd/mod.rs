//! One module per area; each defines `Commands` (clap subcommands) and `run`.

pub mod breach;
pub mod cookies;
pub mod demo;
pub mod engine;
pub mod read;
pub mod register;
pub mod serve;
pub mod store;
pub mod users;
