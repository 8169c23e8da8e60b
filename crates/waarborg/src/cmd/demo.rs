//! `waarborg demo`: the main job end to end on an embedded default (SQLite, a demo policy).

use std::process::ExitCode;

use clap::Subcommand;

/// The demo command.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Runs Waarborg's main job end to end on an embedded demo register and SQLite database.
    Demo,
}

/// Runs the demo.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    match cmd {
        Commands::Demo => {
            anyhow::bail!("the demo is not assembled yet")
        }
    }
}
