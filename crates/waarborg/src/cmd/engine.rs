//! Enforcement commands: `datasets scan|check`, `access`, `erase`, `rectify`, `sweep`.
//! Thin: parse arguments, call `waarborg_engine`, print or write the result.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use clap::{Args, Subcommand};
use waarborg_engine::{
    Datasets, Engine, EraseOptions, Lang, Subject, SweepOptions, art15_info, parse_binding,
    write_access_export, write_certificate,
};
use waarborg_store::{Case, CaseKind, CaseStatus, Store, audit::sha256_hex};

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
fn no_one_found(who: &waarborg_engine::Subject) -> String {
    let kinds: Vec<&str> = who.identities.iter().map(|(k, _)| k.as_str()).collect();
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

/// The register for the engine, and its version (digest) for the audit trail.
struct LoadedRegister {
    register: waarborg_engine::Policy,
    digest: String,
    file: String,
}

fn register(path: Option<&Path>) -> anyhow::Result<Option<LoadedRegister>> {
    let Some(path) = path else { return Ok(None) };
    let policy = waarborg_policy::load_file(path)
        .with_context(|| format!("cannot load the register {}", path.display()))?;
    Ok(Some(LoadedRegister {
        digest: policy.digest(),
        register: policy,
        file: path.display().to_string(),
    }))
}

/// Records engine runs in the store's audit trail and, with `--case`, carries the case through.
struct Recorder {
    store: Store,
    case: Option<Case>,
}

/// What a command does, for matching it against a case's kind.
#[derive(Clone, Copy)]
enum Op {
    Access,
    Erase,
    Rectify,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Access => "access",
            Op::Erase => "erase",
            Op::Rectify => "rectify",
        }
    }

    fn serves(self, kind: CaseKind) -> bool {
        match self {
            Op::Access => matches!(kind, CaseKind::Access | CaseKind::Portability),
            Op::Erase => kind == CaseKind::Erasure,
            Op::Rectify => kind == CaseKind::Rectification,
        }
    }
}

/// Opens the store (when `--store` is given), records the register's version if it changed,
/// and, with `--case`, checks the case and starts it.
async fn recorder(
    store: Option<&str>,
    case: Option<&str>,
    op: Option<Op>,
    reg: Option<&LoadedRegister>,
) -> anyhow::Result<Option<Recorder>> {
    let Some(url) = store else { return Ok(None) };
    let store = super::store::open_url(url)
        .await
        .with_context(|| "cannot open the store given with --store".to_string())?;
    if let Some(r) = reg {
        store
            .append_register_change_if_changed(&r.digest, &serde_json::json!({ "file": r.file }))
            .await?;
    }
    let case = match (case, op) {
        (Some(id), Some(op)) => {
            let c = store.case(id).await?;
            if !op.serves(c.kind) {
                anyhow::bail!(
                    "case {} is a {} request; `waarborg {}` does not carry it out",
                    c.id,
                    c.kind.as_str(),
                    op.name()
                );
            }
            match c.status {
                CaseStatus::Received => anyhow::bail!(
                    "case {} is not verified yet: check the person's identity first \
                     (`waarborg case verify {} --method ...`)",
                    c.id,
                    c.id
                ),
                CaseStatus::Done | CaseStatus::Rejected => {
                    anyhow::bail!("case {} is already closed ({})", c.id, c.status.as_str())
                }
                CaseStatus::Verified | CaseStatus::InProgress => Some(c),
            }
        }
        _ => None,
    };
    Ok(Some(Recorder { store, case }))
}

/// Starts the case (verified → in progress) once everything is checked, unless a dry run.
async fn start(rec: Option<&mut Recorder>, op: Op, dry_run: bool) -> anyhow::Result<()> {
    let Some(rec) = rec else { return Ok(()) };
    if dry_run {
        return Ok(());
    }
    if let Some(c) = &rec.case
        && c.status == CaseStatus::Verified
    {
        let worker = format!("waarborg {} (pid {})", op.name(), std::process::id());
        rec.case = Some(rec.store.start_case(&c.id, &worker).await?);
    }
    Ok(())
}

/// The person to act on: `--subject`, or the case's identity; both given must agree.
fn subject_for(items: &[String], rec: Option<&Recorder>) -> anyhow::Result<Subject> {
    let case = rec.and_then(|r| r.case.as_ref());
    let Some(case) = case else {
        return subject(items);
    };
    let Some(identity) = &case.subject else {
        anyhow::bail!(
            "case {} no longer holds an identity (anonymised); give --subject",
            case.id
        )
    };
    let from_case = Subject {
        identities: identity
            .0
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    if items.is_empty() {
        return Ok(from_case);
    }
    let given = subject(items)?;
    let a: std::collections::BTreeSet<_> = given.identities.iter().collect();
    let b: std::collections::BTreeSet<_> = from_case.identities.iter().collect();
    if a != b {
        anyhow::bail!(
            "--subject differs from the identity recorded in case {}; leave --subject out to use the case's",
            case.id
        );
    }
    Ok(given)
}

/// What a request command works with once its arguments are checked.
struct Prepared {
    engine: Engine,
    loaded: Option<LoadedRegister>,
    rec: Option<Recorder>,
    who: Subject,
    case_id: Option<String>,
}

/// Loads the datasets and register, connects (checking the live schema), opens the store and
/// checks the case, works out the person, and only then starts the case.
async fn prepare(common: &Common, op: Op, dry_run: bool) -> anyhow::Result<Prepared> {
    let (ds, bindings) = load(&common.datasets, &common.db)?;
    let loaded = register(common.policy.as_deref())?;
    let engine = Engine::connect(&ds, &bindings).await?;
    let mut rec = recorder(
        common.store.as_deref(),
        common.case.as_deref(),
        Some(op),
        loaded.as_ref(),
    )
    .await?;
    let who = subject_for(&common.subject, rec.as_ref())?;
    start(rec.as_mut(), op, dry_run).await?;
    let case_id = rec
        .as_ref()
        .and_then(|r| r.case.as_ref())
        .map(|c| c.id.clone());
    Ok(Prepared {
        engine,
        loaded,
        rec,
        who,
        case_id,
    })
}

/// Appends the run to the audit chain and closes the case (unless a dry run).
async fn record(
    rec: Option<Recorder>,
    kind: &str,
    output: &[u8],
    mut summary: serde_json::Value,
    dry_run: bool,
    close_note: &str,
) -> anyhow::Result<()> {
    let Some(rec) = rec else { return Ok(()) };
    if let (Some(obj), Some(c)) = (summary.as_object_mut(), rec.case.as_ref()) {
        obj.insert("case".into(), serde_json::Value::String(c.id.clone()));
    }
    let entry = rec
        .store
        .append_engine_run(kind, &sha256_hex(output), &summary)
        .await
        .context("the run is done, but recording it in the audit trail failed")?;
    eprintln!("recorded in the audit trail (seq {})", entry.seq);
    if let Some(c) = &rec.case
        && !dry_run
    {
        let closed = rec.store.close_case(&c.id, Some(close_note)).await?;
        eprintln!("case {} closed ({})", closed.id, closed.status.as_str());
    }
    rec.store.close().await;
    Ok(())
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

/// Writes or prints the certificate; returns its bytes exactly as written, for the audit trail.
fn emit_certificate(
    cert: &waarborg_engine::Certificate,
    path: Option<&Path>,
) -> anyhow::Result<Vec<u8>> {
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
            let text = serde_json::to_string_pretty(cert)?;
            println!("{text}");
            Ok(text.into_bytes())
        }
    }
}

/// Row counts of a certificate, summed over its tables.
struct Counts {
    deleted: u64,
    masked: u64,
    kept: u64,
    rectified: u64,
}

/// Counts of a certificate, and its summary for the audit trail (no personal data).
fn cert_summary(cert: &waarborg_engine::Certificate) -> (Counts, serde_json::Value) {
    let sum = |f: fn(&waarborg_engine::TableCertificate) -> u64| -> u64 {
        cert.tables.iter().map(f).sum()
    };
    let c = Counts {
        deleted: sum(|t| t.deleted),
        masked: sum(|t| t.masked),
        kept: sum(|t| t.kept),
        rectified: sum(|t| t.rectified),
    };
    let v = serde_json::json!({
        "request_id": cert.request_id,
        "dry_run": cert.dry_run,
        "tables": cert.tables.len(),
        "deleted": c.deleted,
        "masked": c.masked,
        "kept": c.kept,
        "rectified": c.rectified,
        "remaining_changes": cert.remaining_changes,
    });
    (c, v)
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
            let Prepared {
                engine,
                loaded,
                rec,
                who,
                ..
            } = prepare(&common, Op::Access, false).await?;
            let report = engine.access(&who).await?;
            let reg = loaded.map(|l| l.register);
            let info = art15_info(reg.as_ref(), &report, lang.parse::<Lang>()?);
            let output = match out {
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
                    let main = dir.join("access.json");
                    std::fs::read(&main)
                        .with_context(|| format!("cannot read back {}", main.display()))?
                }
                None => {
                    let text = serde_json::to_string_pretty(&serde_json::json!({
                        "format": report.format,
                        "generated_at": report.generated_at,
                        "total_rows": report.total_rows,
                        "information": info,
                        "tables": report.tables,
                    }))?;
                    println!("{text}");
                    text.into_bytes()
                }
            };
            let summary = serde_json::json!({
                "rows": report.total_rows,
                "tables": report.tables.len(),
                "lang": lang,
            });
            let note = format!(
                "access export: {} rows in {} tables",
                report.total_rows,
                report.tables.len()
            );
            record(rec, "access", &output, summary, false, &note).await?;
            if report.total_rows == 0 {
                eprintln!("{}", no_one_found(&who));
                return Ok(ExitCode::from(NO_ONE_FOUND));
            }
            Ok(ExitCode::SUCCESS)
        }
        Commands::Erase { common, write, now } => {
            let Prepared {
                engine,
                loaded,
                rec,
                who,
                case_id,
            } = prepare(&common, Op::Erase, write.dry_run).await?;
            let opts = EraseOptions {
                dry_run: write.dry_run,
                now: Some(parse_now(now.as_deref())?),
                hash_key: hash_key(write.key_file.as_deref())?,
                request_id: write.request_id.or(case_id),
            };
            let cert = engine
                .erase(&who, loaded.as_ref().map(|l| &l.register), &opts)
                .await?;
            let output = emit_certificate(&cert, write.certificate.as_deref())?;
            let (c, summary) = cert_summary(&cert);
            let note = format!(
                "erased: {} rows deleted, {} masked, {} kept under a legal hold",
                c.deleted, c.masked, c.kept
            );
            record(rec, "erase", &output, summary, write.dry_run, &note).await?;
            if !cert.subject_found {
                eprintln!("{}", no_one_found(&who));
                return Ok(ExitCode::from(NO_ONE_FOUND));
            }
            Ok(ExitCode::SUCCESS)
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
            let Prepared {
                engine,
                rec,
                who,
                case_id,
                ..
            } = prepare(&common, Op::Rectify, write.dry_run).await?;
            let opts = EraseOptions {
                dry_run: write.dry_run,
                now: None,
                hash_key: hash_key(write.key_file.as_deref())?,
                request_id: write.request_id.or(case_id),
            };
            let cert = engine.rectify(&who, &pairs, &opts).await?;
            let output = emit_certificate(&cert, write.certificate.as_deref())?;
            let (c, summary) = cert_summary(&cert);
            let note = format!("rectified: {} rows", c.rectified);
            record(rec, "rectify", &output, summary, write.dry_run, &note).await?;
            if !cert.subject_found {
                eprintln!("{}", no_one_found(&who));
                return Ok(ExitCode::from(NO_ONE_FOUND));
            }
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
            store,
        } => {
            let (ds, bindings) = load(&datasets, &db)?;
            let loaded = register(Some(&policy))?;
            let Some(loaded) = loaded else {
                anyhow::bail!("the sweep needs the register given with --policy")
            };
            let engine = Engine::connect(&ds, &bindings).await?;
            let rec = recorder(store.as_deref(), None, None, Some(&loaded)).await?;
            let reg = loaded.register;
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
            let text = serde_json::to_string_pretty(&rep)?;
            if let Some(p) = &report {
                waarborg_engine::write_output(p, text.as_bytes())
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
                println!("{text}");
            }
            let summary = serde_json::json!({
                "dry_run": rep.dry_run,
                "rules": rep.rules.len(),
                "expired": rep.rules.iter().map(|r| r.expired).sum::<u64>(),
                "held": rep.rules.iter().map(|r| r.held).sum::<u64>(),
                "deleted": rep.rules.iter().map(|r| r.deleted).sum::<u64>(),
                "anonymised": rep.rules.iter().map(|r| r.anonymised).sum::<u64>(),
            });
            record(rec, "sweep", text.as_bytes(), summary, dry_run, "").await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
