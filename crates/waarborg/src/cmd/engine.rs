//! Enforcement commands: `datasets scan|check`, `access`, `erase`, `rectify`, `sweep`.
//! Thin: parse arguments, call the use cases of `waarborg_app`, print or write the result.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use clap::{Args, Subcommand};
use waarborg_app::requests::{self, Op, Outcome, Request};
use waarborg_app::{AppError, Keys, LoadedRegister, Workspace};
use waarborg_engine::{Datasets, Engine, Subject, write_access_export, write_certificate};
use waarborg_policy::Lang;
use waarborg_store::Store;

/// The commands of this area.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Dataset files: where personal data lives in the organisation's databases.
    Datasets {
        #[command(subcommand)]
        cmd: DatasetsCmd,
    },
    /// Access request (GDPR Art. 15/20): every row of the person, as JSON and CSV, with the
    /// Art. 15(1) information from the register. Exits 3 when the identities match no one.
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
    /// and print the certificate. Exits 3 when the identities match no one.
    Erase {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        write: WriteArgs,
        /// Judge legal holds at this date (YYYY-MM-DD or RFC 3339; default now).
        #[arg(long)]
        now: Option<String>,
    },
    /// Rectification request (GDPR Art. 16): set personal-data columns of the person's rows.
    /// Exits 3 when the identities match no one.
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
        /// Record the run in this store's audit trail (SQLite file or postgres://...): the
        /// SHA-256 of the report and its counts, and the register's version if it changed.
        #[arg(long, env = "WAARBORG_STORE", value_name = "URL")]
        store: Option<String>,
    },
}

/// `datasets` subcommands.
#[derive(Debug, Subcommand)]
pub enum DatasetsCmd {
    /// Propose a dataset file from a live schema (foreign keys, column-name hints).
    Scan {
        /// The database: sqlite://FILE, postgres://... or mysql://... (MariaDB, MySQL)
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
    /// Check a dataset file against the live schema. Exits 0 when it matches, 1 when a
    /// foreign key from a table the file does not describe would block a delete, 2 on a
    /// mismatch or an unreadable file.
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
    /// The person: KIND=VALUE, e.g. email=a@b.nl (repeatable). With --case, the case's
    /// identity is used when this is left out.
    #[arg(long = "subject", required_unless_present = "case")]
    subject: Vec<String>,
    /// Record the run in this store's audit trail (SQLite file or postgres://...): the
    /// SHA-256 of the certificate or export and its counts, never the person's data.
    #[arg(long, env = "WAARBORG_STORE", value_name = "URL")]
    store: Option<String>,
    /// Carry out this case (its id, or a unique prefix of 8+ characters) from the store: the
    /// case must be of this kind and its identity verified; it is started before the run and
    /// closed after it (not with --dry-run).
    #[arg(long, value_name = "ID", requires = "store")]
    case: Option<String>,
}

/// Arguments of the writing request commands.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Plan and certify only; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the certificate (JSON) to this file (a regular file is replaced atomically, a
    /// link or a device is written through, `-` is standard output); it is printed otherwise.
    #[arg(long)]
    certificate: Option<PathBuf>,
    /// File with the key for the hash masking strategy (else WAARBORG_MASK_KEY).
    #[arg(long)]
    key_file: Option<PathBuf>,
    /// An id for the request (default: a new UUID).
    #[arg(long)]
    request_id: Option<String>,
}

/// The exit code of a request whose identities matched no one (nothing exported, erased or
/// rectified; the certificate says so with `subject_found: false`).
pub const NO_ONE_FOUND: u8 = 3;

/// The message for a request that found no one: which identity kinds were tried, never the
/// values (they are personal data and may be logged by a scheduler).
fn no_one_found(kinds: &[String]) -> String {
    format!(
        "no one found: no row matches the given identity ({}); nothing was changed. Check the value, or try another identity of the person (exit code {NO_ONE_FOUND})",
        kinds.join(", ")
    )
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
    Ok((ds, waarborg_app::config::parse_bindings(db)?))
}

/// `KIND=VALUE` items as identity pairs.
fn identities(items: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for i in items {
        out.extend(Subject::parse(i)?.identities);
    }
    Ok(out)
}

/// Connects the workspace of a request command and opens its store, when given.
async fn workspace(
    common: &Common,
    key_file: Option<&Path>,
) -> anyhow::Result<(Workspace, Option<Store>)> {
    let register = waarborg_app::register::load_optional(common.policy.as_deref())?;
    let keys = Keys::from_env().with_mask_file(key_file)?;
    let bindings = waarborg_app::config::parse_bindings(&common.db)?;
    let ws = Workspace::connect(keys.clone(), register, &common.datasets, &bindings).await?;
    let store = open_store(common.store.as_deref(), &keys).await?;
    Ok((ws, store))
}

async fn open_store(url: Option<&str>, keys: &Keys) -> anyhow::Result<Option<Store>> {
    match url {
        Some(url) => Ok(Some(
            waarborg_app::config::open_store(url, keys, false, 2)
                .await
                .map_err(|e| e.context("cannot open the store given with --store"))?,
        )),
        None => Ok(None),
    }
}

/// The request of a command's common arguments.
fn request(common: &Common, op: Op) -> anyhow::Result<Request> {
    let mut req = Request::new(op);
    req.case = common.case.clone();
    req.subject = identities(&common.subject)?;
    Ok(req)
}

/// Reports the audit entry and the case's new state on standard error.
fn report_recorded(done: &requests::Done) {
    for line in waarborg_app::recovery::describe(&done.recovery) {
        eprintln!("{line}");
    }
    if let Some(seq) = done.audit_seq {
        eprintln!("recorded in the audit trail (seq {seq})");
    }
    if let Some(c) = &done.case
        && c.status.is_closed()
    {
        eprintln!("case {} closed ({})", c.id, c.status.as_str());
    }
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

/// Writes or prints the certificate; returns its bytes exactly as written, for the audit trail.
fn emit_certificate(outcome: &Outcome, path: Option<&Path>) -> Result<Vec<u8>, AppError> {
    let Outcome::Certificate(cert) = outcome else {
        return Err(AppError::internal("expected a certificate"));
    };
    match path {
        Some(p) => {
            let bytes = write_certificate(p, cert)?.into_bytes();
            for t in &cert.tables {
                eprintln!(
                    "{}.{}: deleted {}, masked {}, kept {}, rectified {}, unchanged {}",
                    t.database, t.table, t.deleted, t.masked, t.kept, t.rectified, t.unchanged
                );
            }
            eprintln!("certificate written to {}", p.display());
            Ok(bytes)
        }
        None => {
            let bytes = outcome.document()?;
            println!("{}", String::from_utf8_lossy(&bytes));
            Ok(bytes)
        }
    }
}

/// The exit code of a finished request.
fn finished(done: &requests::Done) -> ExitCode {
    report_recorded(done);
    if done.outcome.subject_found() {
        ExitCode::SUCCESS
    } else {
        eprintln!("{}", no_one_found(&done.identity_kinds));
        ExitCode::from(NO_ONE_FOUND)
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
                let proposal = waarborg_engine::scan_proposal(&name, &db).await?;
                let mut ds = proposal.datasets;
                if no_url {
                    for d in &mut ds.databases {
                        d.url = None;
                    }
                }
                let mut notes = String::new();
                if !proposal.composite_keys.is_empty() {
                    notes.push_str("#\n# Composite foreign keys, not proposed (the engine follows single-column references):\n");
                    for k in &proposal.composite_keys {
                        notes.push_str(&format!("#   {k}\n"));
                        eprintln!(
                            "note: composite foreign key {k} is not proposed as a reference (the engine follows single-column references)"
                        );
                    }
                }
                let text = format!(
                    "# Proposed by `waarborg datasets scan`: review the categories, identities,\n# purposes, retention and holds before use. References follow ownership: `from` walks\n# from a person's row to the rows that point at it.\n{notes}{}",
                    ds.to_toml()?
                );
                match out {
                    Some(p) => {
                        waarborg_engine::write_output(&p, text.as_bytes())
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
                for a in engine.advice() {
                    println!("note: {a}");
                }
                let problems = engine.undescribed_foreign_keys();
                if problems.is_empty() {
                    println!("ok: {n} tables match the live schema");
                    return Ok(ExitCode::SUCCESS);
                }
                println!(
                    "{n} tables match the live schema, but {} foreign key(s) from tables the dataset does not describe would block a delete (erase and sweep refuse until this is fixed):",
                    problems.len()
                );
                for p in &problems {
                    println!("  - {p}");
                }
                Ok(ExitCode::from(1))
            }
        },
        Commands::Access { common, out, lang } => {
            let (ws, store) = workspace(&common, None).await?;
            let mut req = request(&common, Op::Access)?;
            req.lang = lang
                .parse::<Lang>()
                .map_err(|e| anyhow::anyhow!("--lang: {e}"))?;
            let done = requests::carry_out(&ws, store.as_ref(), &req, |o| {
                let Outcome::Access { report, info } = o else {
                    return Err(AppError::internal("expected an access export"));
                };
                match &out {
                    Some(dir) => {
                        let files = write_access_export(dir, report, info)?;
                        for t in &report.tables {
                            eprintln!("{}.{}: {} rows", t.database, t.table, t.rows.len());
                        }
                        eprintln!(
                            "{} rows; {} files written to {}",
                            report.total_rows,
                            files.len(),
                            dir.display()
                        );
                        let main = dir.join("access.json");
                        std::fs::read(&main).map_err(|e| {
                            AppError::from(e)
                                .context(format!("cannot read back {}", main.display()))
                        })
                    }
                    None => {
                        let bytes = o.document()?;
                        println!("{}", String::from_utf8_lossy(&bytes));
                        Ok(bytes)
                    }
                }
            })
            .await?;
            Ok(finished(&done))
        }
        Commands::Erase { common, write, now } => {
            let (ws, store) = workspace(&common, write.key_file.as_deref()).await?;
            let mut req = request(&common, Op::Erase)?;
            req.dry_run = write.dry_run;
            req.now = Some(parse_now(now.as_deref())?);
            req.request_id = write.request_id.clone();
            let done = requests::carry_out(&ws, store.as_ref(), &req, |o| {
                emit_certificate(o, write.certificate.as_deref())
            })
            .await?;
            Ok(finished(&done))
        }
        Commands::Rectify {
            common,
            write,
            sets,
        } => {
            let pairs = sets
                .iter()
                .map(|s| {
                    s.split_once('=')
                        .map(|(c, v)| (c.to_string(), v.to_string()))
                        .with_context(|| format!("--set `{s}`: expected column=value"))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let (ws, store) = workspace(&common, write.key_file.as_deref()).await?;
            let mut req = request(&common, Op::Rectify)?;
            req.dry_run = write.dry_run;
            req.request_id = write.request_id.clone();
            req.sets = pairs;
            let done = requests::carry_out(&ws, store.as_ref(), &req, |o| {
                emit_certificate(o, write.certificate.as_deref())
            })
            .await?;
            Ok(finished(&done))
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
            store,
        } => {
            let register = LoadedRegister::load(&policy)?;
            let keys = Keys::from_env().with_mask_file(key_file.as_deref())?;
            let bindings = waarborg_app::config::parse_bindings(&db)?;
            let ws = Workspace::connect(keys.clone(), Some(register), &datasets, &bindings).await?;
            let store = open_store(store.as_deref(), &keys).await?;
            let sweep = waarborg_app::sweep::Sweep {
                dry_run,
                now: Some(parse_now(now.as_deref())?),
                batch_size: Some(batch_size),
                progress: progress_bar(),
            };
            let swept = waarborg_app::sweep::run(&ws, store.as_ref(), sweep, |rep| {
                let bytes = waarborg_app::sweep::report_json(rep)?;
                if let Some(p) = &report {
                    waarborg_engine::write_output(p, &bytes).map_err(|e| {
                        AppError::from(e).context(format!("cannot write {}", p.display()))
                    })?;
                }
                Ok(bytes)
            })
            .await?;
            for line in waarborg_app::recovery::describe(&swept.recovery) {
                eprintln!("{line}");
            }
            let rep = &swept.report;
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
                if r.blocked > 0 {
                    eprintln!(
                        "{:<32}   {} expired rows blocked: still referred to by {}",
                        "",
                        r.blocked,
                        r.blocked_by
                            .iter()
                            .map(|b| format!("{} ({} rows)", b.reference, b.rows))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
            }
            if report.is_none() {
                println!("{}", serde_json::to_string_pretty(rep)?);
            }
            if let Some(seq) = swept.audit_seq {
                eprintln!("recorded in the audit trail (seq {seq})");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A progress bar per rule and table on a terminal.
fn progress_bar() -> Option<waarborg_engine::ProgressFn> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar: Arc<Mutex<Option<(String, indicatif::ProgressBar)>>> = Arc::new(Mutex::new(None));
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
}
