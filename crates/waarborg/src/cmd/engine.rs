//! Commands of this area.

use std::process::ExitCode;

use clap::Subcommand;

/// The commands of this area.
#[derive(Debug, Subcommand)]
pub enum Commands {}

/// Runs one command of this area and returns the process exit code.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    match cmd {}
}
