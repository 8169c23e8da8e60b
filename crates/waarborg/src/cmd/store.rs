//! Commands of the store area: `case`, `consent` and `audit`. The use cases live in
//! `waarborg-app`; this module only parses arguments and prints.
//!
//! Every command takes `--store URL` (env `WAARBORG_STORE`, default `waarborg.db`, an SQLite
//! file in the current folder; `postgres://...` for PostgreSQL). When `WAARBORG_AUDIT_KEY` is
//! set, new audit entries are HMAC-SHA-256 with that key and `audit verify` checks them with it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use jiff::Timestamp;
use waarborg_app::cases::{self, OpenCase};
use waarborg_app::{Keys, LoadedRegister, audit, consent};
use waarborg_store::checkpoint;
use waarborg_store::deadline::{self, fmt_ts};
use waarborg_store::{
    Case, CaseFilter, CaseKind, CaseStatus, ConsentScope, ConsentState, ConsentUse, Store,
};

/// The commands of this area.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Data-subject requests: open, list, verify, extend, close, reject, purge.
    #[command(subcommand)]
    Case(CaseCmd),
    /// The consent ledger: grant, withdraw, use, show.
    #[command(subcommand)]
    Consent(ConsentCmd),
    /// The audit trail: verify the hash chain, export it, sign checkpoints of its head.
    #[command(subcommand)]
    Audit(AuditCmd),
}

/// Where the store is.
#[derive(Debug, Clone, Args)]
pub struct StoreArg {
    /// The store: an SQLite file path or `postgres://user@host/db`.
    #[arg(long, env = "WAARBORG_STORE", default_value = waarborg_store::DEFAULT_STORE, value_name = "URL")]
    pub store: String,
}

/// Output format of `show` and `list`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum OutFormat {
    /// Text for people.
    #[default]
    Text,
    /// JSON.
    Json,
}

/// `waarborg case ...`
#[derive(Debug, Subcommand)]
pub enum CaseCmd {
    /// Open a case. The deadline is one calendar month after receipt (Europe/Amsterdam), or the
    /// register's shorter promise.
    Open(OpenArgs),
    /// List cases (no identities are printed).
    List(ListArgs),
    /// Show one case with its events.
    Show(ShowArgs),
    /// Record that the subject's identity is verified, and how.
    Verify(VerifyArgs),
    /// Start work on a verified case (verified → in_progress).
    Start(StartArgs),
    /// Claim the verified case with the earliest deadline for this worker.
    Claim(ClaimArgs),
    /// Extend the deadline by one or two further months, with the reason told to the subject.
    Extend(ExtendArgs),
    /// Close a case as done (a verified case is started first).
    Close(CloseArgs),
    /// Reject a case, with the reasons (GDPR Art. 12(4)).
    Reject(RejectArgs),
    /// Anonymise cases closed longer ago than the evidence period (default P5Y).
    Purge(PurgeArgs),
}

/// Arguments of `case open`.
#[derive(Debug, Args)]
pub struct OpenArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The kind of request.
    #[arg(long, value_parser = parse_kind)]
    kind: CaseKind,
    /// The subject's identity as key=value (repeat for more keys); keep only what the case needs.
    #[arg(long = "subject", value_name = "KEY=VALUE", required = true)]
    subject: Vec<String>,
    /// When the request arrived (letters, e-mails): a date (2026-01-31) or an RFC 3339 time.
    #[arg(long, value_name = "DATE")]
    received: Option<String>,
    /// The register's promised deadline as an ISO 8601 duration (e.g. P4W, PT48H).
    #[arg(long, value_name = "DURATION", conflicts_with = "policy")]
    deadline: Option<String>,
    /// Take the promised deadline from this register (rights.deadline).
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
    /// A note on what is asked (stored with the opening event).
    #[arg(long)]
    note: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: OutFormat,
}

/// Arguments of `case list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Only open cases whose deadline has passed.
    #[arg(long)]
    overdue: bool,
    /// Only open cases.
    #[arg(long)]
    open: bool,
    /// Only cases with this status.
    #[arg(long, value_parser = parse_status)]
    status: Option<CaseStatus>,
    /// The time to judge "overdue" at (default: now).
    #[arg(long, value_name = "DATE")]
    now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: OutFormat,
}

/// Arguments of `case show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The case id (or a unique prefix of at least 8 characters).
    id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: OutFormat,
}

/// Arguments of `case verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The case id.
    id: String,
    /// How the identity was verified (e.g. email-link, logged-in, id-check).
    #[arg(long)]
    method: String,
}

/// Arguments of `case start`.
#[derive(Debug, Args)]
pub struct StartArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The case id.
    id: String,
    /// Who works on it (default: this host and process).
    #[arg(long)]
    worker: Option<String>,
}

/// Arguments of `case claim`.
#[derive(Debug, Args)]
pub struct ClaimArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Who works on it (default: this host and process).
    #[arg(long)]
    worker: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: OutFormat,
}

/// Arguments of `case extend`.
#[derive(Debug, Args)]
pub struct ExtendArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The case id.
    id: String,
    /// Further months (1 or 2), counted from receipt.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    months: u8,
    /// The reason told to the subject (complexity, number of requests).
    #[arg(long)]
    reason: String,
    /// The time of the extension (default: now); must be before the first deadline.
    #[arg(long, value_name = "DATE")]
    now: Option<String>,
}

/// Arguments of `case close`.
#[derive(Debug, Args)]
pub struct CloseArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The case id.
    id: String,
    /// A note on what was done.
    #[arg(long)]
    note: Option<String>,
}

/// Arguments of `case reject`.
#[derive(Debug, Args)]
pub struct RejectArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The case id.
    id: String,
    /// The reasons (told to the subject with the right to complain to the AP).
    #[arg(long)]
    reason: String,
}

/// Arguments of `case purge`.
#[derive(Debug, Args)]
pub struct PurgeArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The time to purge at (default: now).
    #[arg(long, value_name = "DATE")]
    now: Option<String>,
    /// How long closed cases are kept as evidence (ISO 8601 duration).
    #[arg(long, value_name = "DURATION", default_value = waarborg_store::DEFAULT_EVIDENCE_PERIOD)]
    period: String,
}

/// `waarborg consent ...`
#[derive(Debug, Subcommand)]
pub enum ConsentCmd {
    /// Record a consent given (standing, or single use with --object and --recipient).
    Grant(GrantArgs),
    /// Record a withdrawal: every consent of the subject for the purpose ends.
    Withdraw(WithdrawArgs),
    /// Record a use of data under consent; fails when none is in force or a single-use consent
    /// is already used.
    Use(UseArgs),
    /// Show the consent in force per purpose (a fold over the events).
    Show(ConsentShowArgs),
}

/// Arguments of `consent grant`.
#[derive(Debug, Args)]
pub struct GrantArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Who consents (best a pseudonymous key such as customer:123).
    #[arg(long)]
    subject: String,
    /// The register's purpose id.
    #[arg(long)]
    purpose: String,
    /// Single use: the one object (with --recipient).
    #[arg(long, requires = "recipient")]
    object: Option<String>,
    /// Single use: the one recipient (with --object).
    #[arg(long, requires = "object")]
    recipient: Option<String>,
    /// The wording shown.
    #[arg(long, conflicts_with = "wording_file")]
    wording: Option<String>,
    /// A file with the wording shown.
    #[arg(long, value_name = "PATH")]
    wording_file: Option<PathBuf>,
    /// Only the SHA-256 of the wording shown.
    #[arg(long, value_name = "HEX")]
    wording_sha256: Option<String>,
    /// The register version (hex SHA-256) in force.
    #[arg(long, value_name = "HEX", conflicts_with = "policy")]
    register_hash: Option<String>,
    /// Take the register version from this register file.
    #[arg(long, value_name = "PATH")]
    policy: Option<PathBuf>,
    /// Where consent was given (web-form, letter, phone, ...).
    #[arg(long)]
    source: String,
}

/// Arguments of `consent withdraw`.
#[derive(Debug, Args)]
pub struct WithdrawArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Who withdraws.
    #[arg(long)]
    subject: String,
    /// The purpose id.
    #[arg(long)]
    purpose: String,
    /// Where it was withdrawn.
    #[arg(long)]
    source: String,
}

/// Arguments of `consent use`.
#[derive(Debug, Args)]
pub struct UseArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Whose data.
    #[arg(long)]
    subject: String,
    /// The purpose id.
    #[arg(long)]
    purpose: String,
    /// Single use: the object.
    #[arg(long, requires = "recipient")]
    object: Option<String>,
    /// Single use: the recipient.
    #[arg(long, requires = "object")]
    recipient: Option<String>,
    /// Which process uses it.
    #[arg(long, default_value = "cli")]
    source: String,
}

/// Arguments of `consent show`.
#[derive(Debug, Args)]
pub struct ConsentShowArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Whose consent.
    #[arg(long)]
    subject: String,
    /// Only this purpose.
    #[arg(long)]
    purpose: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: OutFormat,
}

/// `waarborg audit ...`
#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Re-verify the hash chain; names every changed, removed, inserted or reordered entry.
    /// Exit code 0: intact; 1: problems found; 2: the store could not be read.
    Verify(AuditVerifyArgs),
    /// Export the chain as JSON Lines, one entry per line, for an auditor.
    Export(ExportArgs),
    /// Record the register's current version in the chain when it changed since the last record.
    Register(AuditRegisterArgs),
    /// Make an Ed25519 signing key for checkpoints: writes the private key file (owner-only,
    /// never overwritten) and prints the public key to publish.
    Keygen(KeygenArgs),
    /// Verify the chain and write a signed checkpoint of its head (entries, head hash, time,
    /// public key, signature; JSON). Keep it outside the store: a file elsewhere, a mail to the
    /// officer, an object store.
    Checkpoint(CheckpointArgs),
}

/// Arguments of `audit keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write the private key (refused when the file exists).
    #[arg(long, value_name = "KEYFILE")]
    out: PathBuf,
}

/// Arguments of `audit checkpoint`.
#[derive(Debug, Args)]
pub struct CheckpointArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The private key file made by `audit keygen`.
    #[arg(long, value_name = "KEYFILE", env = "WAARBORG_CHECKPOINT_KEY")]
    key: PathBuf,
    /// Where to write the checkpoint (JSON); `-` for standard output.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Arguments of `audit register`.
#[derive(Debug, Args)]
pub struct AuditRegisterArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The register file (policy.toml).
    #[arg(long, value_name = "PATH")]
    policy: PathBuf,
}

/// Arguments of `audit verify`.
#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Also check the chain against this signed checkpoint (made by `audit checkpoint`): a cut
    /// tail, a reset or a rewritten chain shows.
    #[arg(long, value_name = "FILE")]
    checkpoint: Option<PathBuf>,
    /// The organisation's public key (hex) the checkpoint must be signed with; without it the
    /// key inside the checkpoint is trusted, so compare that with the published key.
    #[arg(long, value_name = "HEX", requires = "checkpoint")]
    public_key: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: OutFormat,
}

/// Arguments of `audit export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

fn parse_kind(s: &str) -> Result<CaseKind, String> {
    s.parse().map_err(|e: waarborg_store::Error| e.to_string())
}

fn parse_status(s: &str) -> Result<CaseStatus, String> {
    s.parse().map_err(|e: waarborg_store::Error| e.to_string())
}

/// Runs one command of this area and returns the process exit code.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        match cmd {
            Commands::Case(c) => run_case(c).await,
            Commands::Consent(c) => run_consent(c).await,
            Commands::Audit(c) => run_audit(c).await,
        }
    })
}

/// Opens the store for a command that writes a first record (`case open`, `consent grant`,
/// ...): the store is created when missing.
pub(crate) async fn open(store: &StoreArg) -> anyhow::Result<Store> {
    open_url(&store.store).await
}

/// Opens the store for a command that only reads or acts on records that must already be
/// there: a missing store is an error ("no store at PATH"), never created empty.
pub(crate) async fn open_existing(store: &StoreArg) -> anyhow::Result<Store> {
    open_with(&store.store, true).await
}

/// Opens the store at `url` (SQLite path or `postgres://...`), with the audit key from
/// `WAARBORG_AUDIT_KEY` when set, creating it when missing. Shared with the engine commands'
/// `--store` (they write an `engine.run` entry).
pub(crate) async fn open_url(url: &str) -> anyhow::Result<Store> {
    open_with(url, false).await
}

async fn open_with(url: &str, must_exist: bool) -> anyhow::Result<Store> {
    Ok(waarborg_app::config::open_store(url, &Keys::from_env(), must_exist, 2).await?)
}

fn when(s: Option<&str>) -> anyhow::Result<Timestamp> {
    Ok(match s {
        Some(s) => deadline::parse_when(s)?,
        None => deadline::now(),
    })
}

fn worker(w: Option<String>) -> String {
    w.unwrap_or_else(|| {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "waarborg".into());
        format!("{host}-{}", std::process::id())
    })
}

fn load_register(path: &std::path::Path) -> anyhow::Result<LoadedRegister> {
    Ok(LoadedRegister::load(path)?)
}

fn local(ts: Timestamp) -> String {
    match deadline::amsterdam() {
        Ok(tz) => ts.to_zoned(tz).strftime("%Y-%m-%d %H:%M").to_string(),
        Err(_) => fmt_ts(ts),
    }
}

/// The deadline for people: "2026-02-28 (end of day, Europe/Amsterdam)", or, for a promise in
/// hours that ends during a day, the exact local time ("2026-10-26 23:30 (Europe/Amsterdam)").
fn due_text(c: &Case) -> String {
    let at_midnight = deadline::amsterdam()
        .map(|tz| {
            let z = c.due_at.to_zoned(tz);
            z.hour() == 0 && z.minute() == 0 && z.second() == 0 && z.subsec_nanosecond() == 0
        })
        .unwrap_or(true);
    if at_midnight {
        format!("{} (end of day, Europe/Amsterdam)", c.due_date)
    } else {
        format!("{} (Europe/Amsterdam)", local(c.due_at))
    }
}

fn case_json(c: &Case, now: Timestamp) -> serde_json::Value {
    cases::case_json(c, now, true)
}

pub(crate) fn print_json(v: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

fn print_case_line(c: &Case, now: Timestamp) {
    let flag = if c.is_overdue(now) { "  OVERDUE" } else { "" };
    let ext = if c.extended { " (extended)" } else { "" };
    println!(
        "{}  {:<18} {:<11} received {}  due {}{ext}{flag}",
        c.id,
        c.kind.as_str(),
        c.status.as_str(),
        deadline::local_date(c.received_at)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        c.due_date,
    );
}

async fn run_case(cmd: CaseCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        CaseCmd::Open(a) => {
            let register = a.policy.as_deref().map(load_register).transpose()?;
            let input = OpenCase {
                kind: a.kind,
                subject: a.subject.clone(),
                received: a
                    .received
                    .as_deref()
                    .map(deadline::parse_when)
                    .transpose()?,
                deadline: a
                    .deadline
                    .as_deref()
                    .map(deadline::parse_duration)
                    .transpose()?,
                note: a.note.clone(),
            };
            let store = open(&a.store).await?;
            let c = cases::open(&store, input, register.as_ref()).await?;
            match a.format {
                OutFormat::Json => print_json(&case_json(&c, deadline::now()))?,
                OutFormat::Text => {
                    println!("opened case {}", c.id);
                    println!("  kind      {}", c.kind);
                    println!("  received  {} (Europe/Amsterdam)", local(c.received_at));
                    println!("  due       {}", due_text(&c));
                }
            }
        }
        CaseCmd::List(a) => {
            let store = open_existing(&a.store).await?;
            let now = when(a.now.as_deref())?;
            let filter = CaseFilter {
                status: a.status,
                overdue_at: a.overdue.then_some(now),
                open_only: a.open,
                ..CaseFilter::default()
            };
            let cases = cases::list(&store, &filter).await?;
            match a.format {
                OutFormat::Json => {
                    // Lists carry no identities; `case show` gives them for one case.
                    let v: Vec<_> = cases
                        .iter()
                        .map(|c| {
                            let mut v = case_json(c, now);
                            if let Some(obj) = v.as_object_mut() {
                                obj.remove("subject");
                            }
                            v
                        })
                        .collect();
                    print_json(&v)?;
                }
                OutFormat::Text => {
                    if cases.is_empty() {
                        println!("no cases");
                    }
                    for c in &cases {
                        print_case_line(c, now);
                    }
                }
            }
        }
        CaseCmd::Show(a) => {
            let store = open_existing(&a.store).await?;
            let (c, events) = cases::show(&store, &a.id).await?;
            let now = deadline::now();
            match a.format {
                OutFormat::Json => {
                    let mut v = case_json(&c, now);
                    if let Some(obj) = v.as_object_mut() {
                        obj.insert("events".into(), serde_json::to_value(&events)?);
                    }
                    print_json(&v)?;
                }
                OutFormat::Text => {
                    println!("case {}", c.id);
                    println!("  kind          {}", c.kind);
                    println!("  status        {}", c.status);
                    match &c.subject {
                        Some(s) => {
                            for (k, v) in &s.0 {
                                println!("  subject       {k}={v}");
                            }
                        }
                        None => println!("  subject       (anonymised)"),
                    }
                    if let Some(v) = &c.verification {
                        println!("  verified by   {v}");
                    }
                    println!("  received      {}", local(c.received_at));
                    let flag = if c.is_overdue(now) { "  OVERDUE" } else { "" };
                    println!("  due           {}{flag}", due_text(&c));
                    if c.extended {
                        println!(
                            "  extended      from {}: {}",
                            deadline::last_day(c.original_due_at)?,
                            c.extension_reason.as_deref().unwrap_or("(reason erased)")
                        );
                    }
                    if let Some(o) = &c.outcome {
                        println!("  outcome       {o}");
                    }
                    println!("  events");
                    for e in &events {
                        let from = e.from_status.map(|s| s.as_str()).unwrap_or("-");
                        let detail = e
                            .detail
                            .as_deref()
                            .map(|d| format!(": {d}"))
                            .unwrap_or_default();
                        println!(
                            "    {}  {:<10} {from} → {}  (audit seq {}){detail}",
                            local(e.at),
                            e.event,
                            e.to_status,
                            e.audit_seq
                        );
                    }
                }
            }
        }
        CaseCmd::Verify(a) => {
            let store = open_existing(&a.store).await?;
            let c = cases::verify(&store, &a.id, &a.method).await?;
            println!("case {} is {}", c.id, c.status);
        }
        CaseCmd::Start(a) => {
            let store = open_existing(&a.store).await?;
            let c = cases::start(&store, &a.id, &worker(a.worker)).await?;
            println!("case {} is {}", c.id, c.status);
        }
        CaseCmd::Claim(a) => {
            let store = open_existing(&a.store).await?;
            let claimed = cases::claim(&store, &worker(a.worker)).await?;
            match (a.format, claimed) {
                (OutFormat::Json, c) => {
                    let v = c.map(|c| case_json(&c, deadline::now()));
                    print_json(&v)?;
                }
                (OutFormat::Text, Some(c)) => {
                    println!("claimed case {} (due {})", c.id, c.due_date)
                }
                (OutFormat::Text, None) => println!("no verified case to claim"),
            }
        }
        CaseCmd::Extend(a) => {
            let store = open_existing(&a.store).await?;
            let c =
                cases::extend(&store, &a.id, a.months, &a.reason, when(a.now.as_deref())?).await?;
            println!("case {} is now due {}", c.id, due_text(&c));
        }
        CaseCmd::Close(a) => {
            let store = open_existing(&a.store).await?;
            let c = cases::close(&store, &a.id, &worker(None), a.note.as_deref()).await?;
            println!("case {} is {}", c.id, c.status);
        }
        CaseCmd::Reject(a) => {
            let store = open_existing(&a.store).await?;
            let c = cases::reject(&store, &a.id, &a.reason).await?;
            println!("case {} is {}", c.id, c.status);
        }
        CaseCmd::Purge(a) => {
            let store = open_existing(&a.store).await?;
            let period = deadline::parse_duration(&a.period)?;
            let r = cases::purge(&store, when(a.now.as_deref())?, period).await?;
            println!(
                "anonymised {} case(s) closed before {} ({} audit payload(s) erased; the chain still verifies)",
                r.anonymised.len(),
                local(r.cutoff),
                r.erased_payloads
            );
            for id in &r.anonymised {
                println!("  {id}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_state(s: &ConsentState) {
    let status = if s.in_force() {
        "in force"
    } else {
        "not in force"
    };
    println!("purpose {}: {status}", s.purpose);
    if let Some(g) = &s.standing {
        println!(
            "  standing consent since {} (event {}, via {})",
            local(g.at),
            g.id,
            g.source
        );
    }
    for g in &s.open_single_use {
        if let Some(ConsentScope::SingleUse { object, recipient }) = &g.scope {
            println!(
                "  single use, open: object {object}, recipient {recipient} (event {})",
                g.id
            );
        }
    }
    for g in &s.used_single_use {
        if let Some(ConsentScope::SingleUse { object, recipient }) = &g.scope {
            println!(
                "  single use, used: object {object}, recipient {recipient} (event {})",
                g.id
            );
        }
    }
    if let Some(w) = s.withdrawn_at {
        println!("  last withdrawn {}", local(w));
    }
}

async fn run_consent(cmd: ConsentCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        ConsentCmd::Grant(a) => {
            let wording = match (&a.wording, &a.wording_file) {
                (Some(w), _) => Some(w.clone()),
                (None, Some(p)) => Some(
                    std::fs::read_to_string(p)
                        .with_context(|| format!("cannot read the wording file {}", p.display()))?,
                ),
                (None, None) => None,
            };
            let register = a.policy.as_deref().map(load_register).transpose()?;
            let single_use = match (a.object, a.recipient) {
                (Some(object), Some(recipient)) => Some((object, recipient)),
                _ => None,
            };
            let store = open(&a.store).await?;
            let e = consent::grant(
                &store,
                register.as_ref(),
                consent::Grant {
                    subject: a.subject,
                    purpose: a.purpose,
                    single_use,
                    wording,
                    wording_sha256: a.wording_sha256,
                    source: a.source,
                    register_hash: a.register_hash,
                },
            )
            .await?;
            println!(
                "consent event {} recorded (audit seq {})",
                e.id, e.audit_seq
            );
        }
        ConsentCmd::Withdraw(a) => {
            let store = open(&a.store).await?;
            let e = consent::withdraw(&store, &a.subject, &a.purpose, &a.source).await?;
            println!(
                "withdrawal recorded: event {} (audit seq {})",
                e.id, e.audit_seq
            );
        }
        ConsentCmd::Use(a) => {
            let store = open_existing(&a.store).await?;
            let e = consent::use_consent(
                &store,
                &ConsentUse {
                    subject: a.subject,
                    purpose: a.purpose,
                    object: a.object,
                    recipient: a.recipient,
                    source: a.source,
                },
            )
            .await?;
            println!(
                "use recorded: event {} under grant {} (audit seq {})",
                e.id,
                e.grant_id.unwrap_or_default(),
                e.audit_seq
            );
        }
        ConsentCmd::Show(a) => {
            let store = open_existing(&a.store).await?;
            let states = consent::show(&store, &a.subject, a.purpose.as_deref()).await?;
            match a.format {
                OutFormat::Json => {
                    let v: Vec<_> = states
                        .iter()
                        .map(|s| {
                            let mut v = serde_json::to_value(s).unwrap_or(serde_json::Value::Null);
                            if let Some(obj) = v.as_object_mut() {
                                obj.insert("in_force".into(), s.in_force().into());
                            }
                            v
                        })
                        .collect();
                    print_json(&v)?;
                }
                OutFormat::Text => {
                    if states.is_empty() {
                        println!("no consent events for this subject");
                    }
                    for s in &states {
                        print_state(s);
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_audit(cmd: AuditCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        AuditCmd::Verify(a) => {
            let checkpoint = match &a.checkpoint {
                Some(path) => {
                    let text = std::fs::read_to_string(path).with_context(|| {
                        format!("cannot read the checkpoint {}", path.display())
                    })?;
                    let cp = audit::checkpoint_from_json(&text, a.public_key.as_deref())
                        .map_err(|e| e.context(format!("checkpoint {}", path.display())))?;
                    if !cp.key_checked {
                        eprintln!(
                            "note: checkpoint signed by key {}; give --public-key to require the organisation's key",
                            cp.checkpoint.public_key
                        );
                    }
                    Some(cp)
                }
                None => None,
            };
            let store = open_existing(&a.store).await?;
            let r = audit::verify(&store, checkpoint.as_ref()).await?;
            match a.format {
                OutFormat::Json => print_json(&r)?,
                OutFormat::Text => {
                    if r.ok() {
                        println!(
                            "audit chain intact: {} entries, last seq {}, head {} ({} erased payloads)",
                            r.entries, r.last_seq, r.head_hash, r.erased_payloads
                        );
                        if let Some(cp) = checkpoint.as_ref().map(|c| &c.checkpoint) {
                            println!(
                                "  consistent with the checkpoint of {} ({} entries, signed by {})",
                                cp.at, cp.entries, cp.public_key
                            );
                        }
                    } else {
                        println!(
                            "audit chain BROKEN: {} problem(s) in {} entries",
                            r.problems.len(),
                            r.entries
                        );
                        for p in &r.problems {
                            println!("  seq {}: {}", p.seq, p.message);
                        }
                    }
                    for id in &r.unfinished_runs {
                        println!(
                            "  engine run {id}: intent recorded, outcome not (yet): interrupted or still running; the next erase, rectify or sweep on this store establishes it"
                        );
                    }
                }
            }
            Ok(if r.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        AuditCmd::Export(a) => {
            let store = open_existing(&a.store).await?;
            let n = match &a.output {
                Some(path) => {
                    let file = std::fs::File::create(path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    let mut w = std::io::BufWriter::new(file);
                    let n = audit::export(&store, &mut w).await?;
                    w.flush()?;
                    eprintln!("exported {n} entries to {}", path.display());
                    n
                }
                None => {
                    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                    let n = audit::export(&store, &mut w).await?;
                    w.flush()?;
                    n
                }
            };
            let _ = n;
            Ok(ExitCode::SUCCESS)
        }
        AuditCmd::Keygen(a) => {
            let key = checkpoint::generate_key()?;
            checkpoint::write_key_file(&a.out, &key)?;
            eprintln!(
                "private key written to {} (keep it secret, away from the store)",
                a.out.display()
            );
            println!("{}", checkpoint::public_key_hex(&key));
            Ok(ExitCode::SUCCESS)
        }
        AuditCmd::Checkpoint(a) => {
            let store = open_existing(&a.store).await?;
            let cp = audit::sign_checkpoint(&store, &a.key).await?;
            let mut text = serde_json::to_string_pretty(&cp)?;
            text.push('\n');
            if a.out.as_os_str() == "-" {
                print!("{text}");
            } else {
                waarborg_engine::write_output(&a.out, text.as_bytes())
                    .with_context(|| format!("cannot write the checkpoint {}", a.out.display()))?;
                eprintln!(
                    "checkpoint of {} entries (head {}) written to {}",
                    cp.entries,
                    cp.head_hash,
                    a.out.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCmd::Register(a) => {
            let register = load_register(&a.policy)?;
            let digest = register.digest.clone();
            let store = open(&a.store).await?;
            match register.record(&store).await? {
                Some(seq) => println!("register {digest} recorded (audit seq {seq})"),
                None => println!("register {digest} unchanged since it was last recorded"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
