//! `waarborg demo`: the main job end to end on an embedded default (SQLite, a demo register).
//! The demo itself is `waarborg_app::demo`; this prints what it does.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

/// The demo command.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Runs Waarborg's main job end to end on an embedded demo: reads a privacy statement,
    /// lints and renders the demo register, answers an access and an erasure request on a
    /// SQLite shop database, uses a single-use consent, sweeps expired data and verifies the
    /// audit trail.
    Demo(DemoArgs),
}

/// Options of `waarborg demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The folder to write the demo's files into (created when missing).
    #[arg(long, default_value = "waarborg-demo")]
    out: PathBuf,
}

/// Runs the demo.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    match cmd {
        Commands::Demo(args) => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            rt.block_on(demo(&args.out))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn demo(out: &std::path::Path) -> anyhow::Result<()> {
    let mut say = |line: &str| println!("{line}");
    waarborg_app::demo::build(out, &mut say).await?;
    println!(
        "\nDone. Try: waarborg serve --demo (the dashboard), waarborg lint examples/*/policy.toml, waarborg read ../shared/corpus/seeds"
    );
    Ok(())
}
