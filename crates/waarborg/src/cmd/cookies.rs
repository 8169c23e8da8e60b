//! Commands of the cookie area: `cookies lookup NAME`, answered from the Open Cookie Database
//! bundled with `waarborg-policy` (or a newer CSV given with `--db`). The logic lives in
//! `waarborg_policy::cookie_db`; this module only parses arguments and prints.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use waarborg_policy::Lang;
use waarborg_policy::cookie_db::CookieDb;

/// The commands of this area.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Cookies known by name (Open Cookie Database).
    #[command(subcommand)]
    Cookies(CookiesCommand),
}

/// `waarborg cookies ...`
#[derive(Debug, Subcommand)]
pub enum CookiesCommand {
    /// What the Open Cookie Database knows about cookie names: platform, category, provider,
    /// lifetime, whether consent is needed, and a `[[cookies]]` entry for the register.
    ///
    /// A name may be a family with `*` (`li_*`, `_ga_*`). Exit code 0: every name is known;
    /// 1: at least one is not; 2: the database given with --db cannot be read.
    Lookup(LookupArgs),
}

/// Output format of `cookies lookup`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LookupFormat {
    /// Text.
    Human,
    /// JSON: one object per name.
    Json,
}

/// Language of the answer.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Dutch.
    Nl,
    /// English.
    En,
}

/// Arguments of `cookies lookup`.
#[derive(Debug, Args)]
pub struct LookupArgs {
    /// Cookie names, e.g. `_ga`, `IDE`, `_ga_ABC123`, `li_*`.
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    /// Language of the answer.
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: LookupFormat,
    /// Read this Open Cookie Database CSV instead of the bundled one (e.g. a newer download).
    #[arg(long, value_name = "CSV")]
    pub db: Option<PathBuf>,
}

/// Runs one command of this area and returns the process exit code.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    match cmd {
        Commands::Cookies(CookiesCommand::Lookup(a)) => run_lookup(a),
    }
}

fn run_lookup(a: LookupArgs) -> anyhow::Result<ExitCode> {
    let owned;
    let db: &CookieDb = match &a.db {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the cookie database `{}`", path.display()))?;
            owned = CookieDb::from_csv(&text)
                .map_err(|e| anyhow::anyhow!("`{}`: {e}", path.display()))?;
            &owned
        }
        None => {
            CookieDb::bundled().map_err(|e| anyhow::anyhow!("the bundled cookie database: {e}"))?
        }
    };
    let lang = match a.lang {
        LangArg::Nl => Lang::Nl,
        LangArg::En => Lang::En,
    };
    let answers: Vec<_> = a.names.iter().map(|n| db.answer(n, lang)).collect();
    let text = match a.format {
        LookupFormat::Human => answers
            .iter()
            .map(|x| x.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        LookupFormat::Json => format!(
            "{:#}\n",
            serde_json::Value::Array(answers.iter().map(|x| x.json.clone()).collect())
        ),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")?;
    Ok(if answers.iter().all(|x| x.found) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
