//! Enforcement commands: `datasets scan|check`, `access`, `erase`, `rectify`, `sweep`.
//! Thin: parse arguments, call `waarborg_engine`, print or write the result.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use clap::{Args, Subcommand};
use waarborg_engine::{
    Datasets, Engine, EraseOptions, Lang, Register, Subject, SweepOptions, art15_info,
    parse_binding, write_access_export, write_certificate,
};

/// The commands of this area.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Dataset files: where personal data lives in the organisation's databases.
    Datasets {
        #[command(subcommand)]
        cmd: DatasetsCmd,
    },
    /// Access request (GDPR Art. 15/20): every row of the person, as JSON and CSV, with the
    /// Art. 15(1) information from the register.
    Access {
        #[command(flatten)]
        common: Common,
        /// Write the export to this directory (access.json, one CSV per table,
        /// information.txt); without it the JSON goes to standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Language of the Art. 15(1) information.
        #[arg(long, default_value = "nl", value_parser = ["nl", "en"])]
        lang: String,
    },
    /// Erasure request (GDPR Art. 17): delete or mask the person's rows, respecting legal holds,
    /// and print the certificate.
    Erase {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        write: WriteArgs,
        /// Judge legal holds at this date (YYYY-MM-DD or RFC 3339; default now).
        #[arg(long)]
        now: Option<String>,
    },
    /// Rectification request (GDPR Art. 16): set columns of the person's rows.
    Rectify {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        write: WriteArgs,
        /// `column=value`, `table.column=value` or `database.table.column=value`; repeatable.
        #[arg(long = "set", required = true)]
        sets: Vec<String>,
    },
    /// Retention sweep: delete or anonymise rows whose retention period has passed, except
    /// rows under a legal hold. Safe to run from cron; resumable after a crash.
    Sweep {
        /// The register (policy TOML) with the retention rules and legal holds.
        #[arg(long)]
        policy: PathBuf,
        /// The dataset file (Waarborg TOML or Fides YAML).
        #[arg(long)]
        datasets: PathBuf,
        /// Bind a dataset to a database: NAME=URL (repeatable).
        #[arg(long = "db")]
        db: Vec<String>,
        /// Count only; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Judge periods at this date (YYYY-MM-DD or RFC 3339; default now).
        #[arg(long)]
        now: Option<String>,
        /// Rows per batch; each batch is one transaction.
        #[arg(long, default_value_t = 1000)]
        batch_size: usize,
        /// Write the report (JSON) to this file as well.
        #[arg(long)]
        report: Option<PathBuf>,
        /// File with the key for the hash masking strategy (else WAARBORG_MASK_KEY).
        #[arg(long)]
        key_file: Option<PathBuf>,
    },
}

/// `datasets` subcommands.
#[derive(Debug, Subcommand)]
pub enum DatasetsCmd {
    /// Propose a dataset file from a live schema (foreign keys, column-name hints).
    Scan {
        /// The database: sqlite://FILE or postgres://...
        #[arg(long)]
        db: String,
        /// The dataset name to use.
        #[arg(long, default_value = "main")]
        name: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Leave the URL out of the proposal (bind it with --db NAME=URL later).
        #[arg(long)]
        no_url: bool,
    },
    /// Check a dataset file against the live schema.
    Check {
        /// The dataset file (Waarborg TOML or Fides YAML).
        #[arg(long)]
        datasets: PathBuf,
        /// Bind a dataset to a database: NAME=URL (repeatable).
        #[arg(long = "db")]
        db: Vec<String>,
    },
}

/// Arguments every request command takes.
#[derive(Debug, Args)]
pub struct Common {
    /// The register (policy TOML).
    #[arg(long)]
    policy: Option<PathBuf>,
    /// The dataset file (Waarborg TOML or Fides YAML).
    #[arg(long)]
    datasets: PathBuf,
    /// Bind a dataset to a database: NAME=URL (repeatable).
    #[arg(long = "db")]
    db: Vec<String>,
    /// The person: KIND=VALUE, e.g. email=a@b.nl (repeatable).
    #[arg(long = "subject", required = true)]
    subject: Vec<String>,
}

/// Arguments of the writing request commands.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Plan and certify only; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the certificate (JSON) to this file; it is printed otherwise.
    #[arg(long)]
    certificate: Option<PathBuf>,
    /// File with the key for the hash masking strategy (else WAARBORG_MASK_KEY).
    #[arg(long)]
    key_file: Option<PathBuf>,
    /// An id for the request (default: a new UUID).
    #[arg(long)]
    request_id: Option<String>,
}

/// Runs one command of this area and returns the process exit code.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(run_async(cmd))
}

fn load(datasets: &Path, db: &[String]) -> anyhow::Result<(Datasets, Vec<(String, String)>)> {
    let ds = Datasets::load(datasets)?;
    let bindings = db
        .iter()
        .map(|b| parse_binding(b))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((ds, bindings))
}

fn subject(items: &[String]) -> anyhow::Result<Subject> {
    let mut s = Subject::default();
    for i in items {
        s.identities.extend(Subject::parse(i)?.identities);
    }
    Ok(s)
}

fn register(path: Option<&Path>) -> anyhow::Result<Option<Register>> {
    path.map(Register::load).transpose().map_err(Into::into)
}

fn hash_key(file: Option<&Path>) -> anyhow::Result<Option<Vec<u8>>> {
    if let Some(f) = file {
        let k =
            std::fs::read(f).with_context(|| format!("cannot read key file {}", f.display()))?;
        return Ok(Some(k));
    }
    Ok(std::env::var("WAARBORG_MASK_KEY")
        .ok()
        .filter(|k| !k.is_empty())
        .map(String::into_bytes))
}

fn parse_now(s: Option<&str>) -> anyhow::Result<jiff::Timestamp> {
    match s {
        None => Ok(jiff::Timestamp::now()),
        Some(s) => {
            if let Ok(t) = s.parse::<jiff::Timestamp>() {
                return Ok(t);
            }
            let dt = waarborg_engine::parse_civil(s)
                .with_context(|| format!("--now `{s}`: expected YYYY-MM-DD or RFC 3339"))?;
            Ok(dt.in_tz("Europe/Amsterdam")?.timestamp())
        }
    }
}

fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

fn emit_certificate(
    cert: &waarborg_engine::Certificate,
    path: Option<&Path>,
) -> anyhow::Result<()> {
    match path {
        Some(p) => {
            write_certificate(p, cert)?;
            for t in &cert.tables {
                eprintln!(
                    "{}.{}: deleted {}, masked {}, kept {}, rectified {}, unchanged {}",
                    t.database, t.table, t.deleted, t.masked, t.kept, t.rectified, t.unchanged
                );
            }
            eprintln!("certificate written to {}", p.display());
            Ok(())
        }
        None => print_json(cert),
    }
}

async fn run_async(cmd: Commands) -> anyhow::Result<ExitCode> {
    match cmd {
        Commands::Datasets { cmd } => match cmd {
            DatasetsCmd::Scan {
                db,
                name,
                out,
                no_url,
            } => {
                let mut ds = waarborg_engine::scan(&name, &db).await?;
                if no_url {
                    for d in &mut ds.databases {
                        d.url = None;
                    }
                }
                let text = format!(
                    "# Proposed by `waarborg datasets scan`: review the categories, identities,\n# purposes, retention and holds before use.\n{}",
                    ds.to_toml()?
                );
                match out {
                    Some(p) => {
                        std::fs::write(&p, text)
                            .with_context(|| format!("cannot write {}", p.display()))?;
                        eprintln!("dataset proposal written to {}", p.display());
                    }
                    None => print!("{text}"),
                }
                Ok(ExitCode::SUCCESS)
            }
            DatasetsCmd::Check { datasets, db } => {
                let (ds, bindings) = load(&datasets, &db)?;
                let engine = Engine::connect(&ds, &bindings).await?;
                let n: usize = engine
                    .datasets()
                    .databases
                    .iter()
                    .map(|d| d.tables.len())
                    .sum();
                println!("ok: {n} tables match the live schema");
                Ok(ExitCode::SUCCESS)
            }
        },
        Commands::Access { common, out, lang } => {
            let (ds, bindings) = load(&common.datasets, &common.db)?;
            let reg = register(common.policy.as_deref())?.unwrap_or_default();
            let engine = Engine::connect(&ds, &bindings).await?;
            let report = engine.access(&subject(&common.subject)?).await?;
            let info = art15_info(&reg, &report, lang.parse::<Lang>()?);
            match out {
                Some(dir) => {
                    let files = write_access_export(&dir, &report, &info)?;
                    for t in &report.tables {
                        eprintln!("{}.{}: {} rows", t.database, t.table, t.rows.len());
                    }
                    eprintln!(
                        "{} rows; {} files written to {}",
                        report.total_rows,
                        files.len(),
                        dir.display()
                    );
                }
                None => print_json(&serde_json::json!({
                    "format": report.format,
                    "generated_at": report.generated_at,
                    "total_rows": report.total_rows,
                    "information": info,
                    "tables": report.tables,
                }))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Commands::Erase { common, write, now } => {
            let (ds, bindings) = load(&common.datasets, &common.db)?;
            let reg = register(common.policy.as_deref())?;
            let engine = Engine::connect(&ds, &bindings).await?;
            let opts = EraseOptions {
                dry_run: write.dry_run,
                now: Some(parse_now(now.as_deref())?),
                hash_key: hash_key(write.key_file.as_deref())?,
                request_id: write.request_id,
            };
            let cert = engine
                .erase(&subject(&common.subject)?, reg.as_ref(), &opts)
                .await?;
            emit_certificate(&cert, write.certificate.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Commands::Rectify {
            common,
            write,
            sets,
        } => {
            let (ds, bindings) = load(&common.datasets, &common.db)?;
            let engine = Engine::connect(&ds, &bindings).await?;
            let pairs = sets
                .iter()
                .map(|s| {
                    s.split_once('=')
                        .map(|(c, v)| (c.to_string(), v.to_string()))
                        .with_context(|| format!("--set `{s}`: expected column=value"))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let opts = EraseOptions {
                dry_run: write.dry_run,
                now: None,
                hash_key: hash_key(write.key_file.as_deref())?,
                request_id: write.request_id,
            };
            let cert = engine
                .rectify(&subject(&common.subject)?, &pairs, &opts)
                .await?;
            emit_certificate(&cert, write.certificate.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Commands::Sweep {
            policy,
            datasets,
            db,
            dry_run,
            now,
            batch_size,
            report,
            key_file,
        } => {
            let (ds, bindings) = load(&datasets, &db)?;
            let reg = Register::load(&policy)?;
            let engine = Engine::connect(&ds, &bindings).await?;
            let progress: Option<waarborg_engine::ProgressFn> = if std::io::stderr().is_terminal() {
                let bar: Arc<Mutex<Option<(String, indicatif::ProgressBar)>>> =
                    Arc::new(Mutex::new(None));
                Some(Arc::new(move |p: &waarborg_engine::SweepProgress| {
                    let Ok(mut guard) = bar.lock() else { return };
                    let label = format!("{} {}", p.rule, p.table);
                    let fresh = guard.as_ref().is_none_or(|(l, _)| *l != label);
                    if fresh {
                        if let Some((_, old)) = guard.take() {
                            old.finish();
                        }
                        let pb = indicatif::ProgressBar::new(p.total);
                        if let Ok(style) = indicatif::ProgressStyle::with_template(
                            "{msg} [{bar:30}] {pos}/{len} rows ({per_sec})",
                        ) {
                            pb.set_style(style);
                        }
                        pb.set_message(label.clone());
                        *guard = Some((label, pb));
                    }
                    if let Some((_, pb)) = guard.as_ref() {
                        pb.set_position(p.done.min(p.total));
                    }
                }))
            } else {
                None
            };
            let opts = SweepOptions {
                dry_run,
                batch_size,
                hash_key: hash_key(key_file.as_deref())?,
                progress,
            };
            let rep = engine
                .sweep(&reg, parse_now(now.as_deref())?, &opts)
                .await?;
            if let Some(p) = &report {
                std::fs::write(p, serde_json::to_string_pretty(&rep)?)
                    .with_context(|| format!("cannot write {}", p.display()))?;
            }
            for r in &rep.rules {
                eprintln!(
                    "{:<32} {}.{}: expired {}, held {}, deleted {}, anonymised {}, skipped {}",
                    r.rule,
                    r.database,
                    r.table,
                    r.expired,
                    r.held,
                    r.deleted,
                    r.anonymised,
                    r.skipped
                );
            }
            if report.is_none() {
                print_json(&rep)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
