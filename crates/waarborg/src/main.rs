//! `waarborg`: the command-line interface of the Waarborg privacy engine.
//!
//! Every area owns one module under `cmd/` with its own clap subcommands, flattened here.
//! A command returns the process exit code; an error is printed as `error: ...` with its causes
//! and exits with code 2 (usage, input or state error), 4 when a database or the store did not
//! answer (retrying later may work) or 70 for an internal fault.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// Waarborg makes a privacy statement true: it reads privacy statements, terms and processor
/// agreements, keeps the processing as a linted register (policy-as-code), enforces it on the
/// organisation's own SQL databases and proves what it did in a tamper-evident audit trail.
#[derive(Debug, Parser)]
#[command(name = "waarborg", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// More log output on standard error (-v: info, -vv: debug). Personal data is never logged.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Register(cmd::register::Commands),
    #[command(flatten)]
    Read(cmd::read::Commands),
    #[command(flatten)]
    Engine(cmd::engine::Commands),
    #[command(flatten)]
    Store(cmd::store::Commands),
    #[command(flatten)]
    Users(cmd::users::Commands),
    #[command(flatten)]
    Demo(cmd::demo::Commands),
    #[command(flatten)]
    Cookies(cmd::cookies::Commands),
    #[command(flatten)]
    Serve(cmd::serve::Commands),
    #[command(flatten)]
    Breach(cmd::breach::Commands),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match cli.command {
        Command::Register(c) => cmd::register::run(c),
        Command::Read(c) => cmd::read::run(c),
        Command::Engine(c) => cmd::engine::run(c),
        Command::Store(c) => cmd::store::run(c),
        Command::Users(c) => cmd::users::run(c),
        Command::Demo(c) => cmd::demo::run(c),
        Command::Cookies(c) => cmd::cookies::run(c),
        Command::Serve(c) => cmd::serve::run(c),
        Command::Breach(c) => cmd::breach::run(c),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            // The application layer's errors carry their kind: 4 when a database or the
            // store did not answer (retry later), 70 for an internal fault, else 2.
            let code = err
                .chain()
                .find_map(|e| e.downcast_ref::<waarborg_app::AppError>())
                .map_or(2, |e| e.kind.exit_code());
            ExitCode::from(code)
        }
    }
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("WAARBORG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
