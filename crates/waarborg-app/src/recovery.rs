//! Intent before action, and recovery after an interruption.
//!
//! Every run that changes the organisation's data (erasure, rectification, sweep) and has a
//! store records its intent first ([`waarborg_store::Store::record_intent`]: what will be done,
//! to whom as a keyed fingerprint, under which basis or rules, with the dry run's counts) and
//! its outcome after. A process killed in between leaves an intent without an outcome.
//! [`recover`] runs before anything else in the next run: for each such intent it re-reads the
//! rows (a dry run of the same request, at the same moment) and compares what is still to do
//! with what was planned; the difference is what the interrupted run did. It records that as
//! `recovered: applied`, `recovered: partly applied` or `recovered: not applied` with the
//! counts, so that the case's certificate and the audit trail tell what really happened.
//!
//! Recovery needs the person: a run for a case takes the identity from the case; a run without
//! a case is established when the same request (same identity, whose keyed fingerprint matches)
//! is run again. A run whose process still runs on this host is left alone; a run started on
//! another host is left alone for [`OTHER_HOST_GRACE`].

use serde::{Deserialize, Serialize};
use waarborg_engine::{Certificate, EraseOptions, Subject, SweepOptions, SweepReport};
use waarborg_store::{Run, RunOutcome, Store};

use crate::error::{AppError, Result};
use crate::workspace::Workspace;

/// How long a run started on another host is taken to be still running.
pub const OTHER_HOST_GRACE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Counts of one table, planned or established.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableCounts {
    /// Database (dataset) name.
    pub database: String,
    /// Table.
    pub table: String,
    /// Rows deleted.
    #[serde(default)]
    pub deleted: u64,
    /// Rows masked (erasure) or anonymised (sweep).
    #[serde(default)]
    pub masked: u64,
    /// Rows kept under a legal hold.
    #[serde(default)]
    pub kept: u64,
    /// Rows rectified.
    #[serde(default)]
    pub rectified: u64,
}

impl TableCounts {
    fn changes(&self) -> u64 {
        self.deleted + self.masked + self.rectified
    }
}

/// What an intent records as its plan. No personal data: counts, the moment, the basis or the
/// rules, and keyed fingerprints.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Plan {
    /// The legal basis of a request (`GDPR Art. 17`), or `retention` for a sweep.
    pub basis: String,
    /// The moment holds and periods are judged at (RFC 3339).
    pub now: String,
    /// The dry run's counts per table.
    pub tables: Vec<TableCounts>,
    /// Rectification: keyed fingerprint of the `column=value` pairs (never the values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sets_fingerprint: Option<String>,
    /// Sweep: the retention rules applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

/// The counts per table of a certificate.
pub fn certificate_counts(cert: &Certificate) -> Vec<TableCounts> {
    cert.tables
        .iter()
        .map(|t| TableCounts {
            database: t.database.clone(),
            table: t.table.clone(),
            deleted: t.deleted,
            masked: t.masked,
            kept: t.kept,
            rectified: t.rectified,
        })
        .collect()
}

/// The counts per table of a sweep report (what it deleted or anonymised, or in a dry run
/// would).
pub fn sweep_counts(report: &SweepReport) -> Vec<TableCounts> {
    let mut out: Vec<TableCounts> = Vec::new();
    for r in &report.rules {
        let i = match out
            .iter()
            .position(|t| t.database == r.database && t.table == r.table)
        {
            Some(i) => i,
            None => {
                out.push(TableCounts {
                    database: r.database.clone(),
                    table: r.table.clone(),
                    ..TableCounts::default()
                });
                out.len() - 1
            }
        };
        if let Some(t) = out.get_mut(i) {
            t.deleted += r.deleted;
            t.masked += r.anonymised;
            t.kept += r.held;
        }
    }
    out
}

/// Adds `more` to the certificate's table counts (a recovered run's changes, counted in the
/// certificate of the request that finishes it).
pub fn add_counts(cert: &mut Certificate, more: &[TableCounts]) {
    for m in more {
        match cert
            .tables
            .iter_mut()
            .find(|t| t.database == m.database && t.table == m.table)
        {
            Some(t) => {
                t.deleted += m.deleted;
                t.masked += m.masked;
                t.rectified += m.rectified;
            }
            None => cert.tables.push(waarborg_engine::TableCertificate {
                database: m.database.clone(),
                table: m.table.clone(),
                deleted: m.deleted,
                masked: m.masked,
                rectified: m.rectified,
                ..waarborg_engine::TableCertificate::default()
            }),
        }
    }
}

fn total(tables: &[TableCounts], f: fn(&TableCounts) -> u64) -> u64 {
    tables.iter().map(f).sum()
}

/// This process, as recorded in an intent: `host:pid`.
pub fn worker() -> String {
    format!("{}:{}", host(), std::process::id())
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// Why a run without an outcome may still be running, if it may.
fn still_running(run: &Run) -> Option<String> {
    let (h, pid) = run.worker.rsplit_once(':')?;
    if h == host() {
        if pid == std::process::id().to_string() {
            return None;
        }
        // Linux: a live process has its /proc entry. Elsewhere the run is taken as ended.
        return std::path::Path::new("/proc")
            .join(pid)
            .exists()
            .then(|| format!("process {pid} on this host still runs it"));
    }
    let started: jiff::Timestamp = run.started_at.parse().ok()?;
    let age = jiff::Timestamp::now().duration_since(started);
    (age < jiff::SignedDuration::try_from(OTHER_HOST_GRACE).ok()?).then(|| {
        format!("it was started on host {h} less than an hour ago and may still run there")
    })
}

/// A run whose outcome recovery established.
#[derive(Debug, Clone, Serialize)]
pub struct Recovered {
    /// The run.
    pub run_id: String,
    /// `erase`, `rectify` or `sweep`.
    pub op: String,
    /// Its case, if any.
    pub case_id: Option<String>,
    /// `recovered: applied`, `recovered: partly applied` or `recovered: not applied`.
    pub outcome: String,
    /// What it did, per table (from the rows).
    pub applied: Vec<TableCounts>,
    /// The audit entry recording it.
    pub audit_seq: i64,
    /// Whether the person of the current request is the run's person.
    #[serde(skip)]
    pub same_subject: bool,
}

/// A run without an outcome that recovery could not establish now, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Pending {
    /// The run.
    pub run_id: String,
    /// `erase`, `rectify` or `sweep`.
    pub op: String,
    /// Why it is left for later.
    pub reason: String,
}

/// What [`recover`] did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Recovery {
    /// Runs established and recorded.
    pub recovered: Vec<Recovered>,
    /// Runs left without an outcome, with the reason.
    pub pending: Vec<Pending>,
}

/// The current request, which may be the re-run of an interrupted one.
#[derive(Debug, Clone, Copy)]
pub struct Current<'a> {
    /// The person.
    pub subject: &'a Subject,
    /// Rectification's `column=value` pairs.
    pub sets: &'a [(String, String)],
}

/// Finds the runs with an intent and no outcome, establishes from the rows what each did, and
/// records it. Runs it cannot establish now are returned as [`Recovery::pending`] (the next run
/// tries again).
pub async fn recover(
    ws: &Workspace,
    store: &Store,
    current: Option<Current<'_>>,
) -> Result<Recovery> {
    let mut out = Recovery::default();
    for run in store.unfinished_runs().await? {
        if let Some(why) = still_running(&run) {
            out.pending.push(pending(&run, why));
            continue;
        }
        let plan: Plan = match serde_json::from_value(run.plan.clone()) {
            Ok(p) => p,
            Err(e) => {
                out.pending
                    .push(pending(&run, format!("its plan cannot be read ({e})")));
                continue;
            }
        };
        match establish(ws, store, &run, &plan, current).await {
            Ok(Ok((applied, same_subject))) => {
                let planned = total(&plan.tables, TableCounts::changes);
                let done = total(&applied, TableCounts::changes);
                let outcome = if done == planned {
                    "recovered: applied"
                } else if done == 0 {
                    "recovered: not applied"
                } else {
                    "recovered: partly applied"
                };
                let summary = serde_json::json!({
                    "planned": plan.tables,
                    "applied": applied,
                    "deleted": total(&applied, |t| t.deleted),
                    "masked": total(&applied, |t| t.masked),
                    "rectified": total(&applied, |t| t.rectified),
                    "case": run.case_id,
                    "established_by": "re-reading the rows: the planned changes a dry run of the same request no longer finds were made",
                });
                let (entry, _) = store
                    .record_outcome(
                        &run.id,
                        &RunOutcome {
                            outcome,
                            certificate_sha256: None,
                            summary,
                            close_case: None,
                        },
                    )
                    .await?;
                out.recovered.push(Recovered {
                    run_id: run.id.clone(),
                    op: run.op.clone(),
                    case_id: run.case_id.clone(),
                    outcome: outcome.to_string(),
                    applied,
                    audit_seq: entry.seq,
                    same_subject,
                });
            }
            Ok(Err(reason)) => out.pending.push(pending(&run, reason)),
            Err(e) => out
                .pending
                .push(pending(&run, format!("re-reading the rows failed: {e}"))),
        }
    }
    Ok(out)
}

fn pending(run: &Run, reason: String) -> Pending {
    Pending {
        run_id: run.id.clone(),
        op: run.op.clone(),
        reason,
    }
}

/// What the run did per table, and whether its person is the current request's; or why it
/// cannot be told now.
async fn establish(
    ws: &Workspace,
    store: &Store,
    run: &Run,
    plan: &Plan,
    current: Option<Current<'_>>,
) -> Result<std::result::Result<(Vec<TableCounts>, bool), String>> {
    let engine = ws.engine()?;
    let now: jiff::Timestamp = plan
        .now
        .parse()
        .map_err(|e| AppError::internal(format!("engine run {}: its moment: {e}", run.id)))?;
    let hash_key = ws.keys().mask.as_ref().map(|k| k.expose().to_vec());
    let still: Vec<TableCounts> = match run.op.as_str() {
        "erase" | "rectify" => {
            let current_fp = match current {
                Some(c) => Some(store.subject_fingerprint(&c.subject.identities).await?),
                None => None,
            };
            let same_subject = current_fp.is_some() && current_fp == run.subject_fingerprint;
            let subject = match (&run.case_id, current) {
                (_, Some(c)) if same_subject => c.subject.clone(),
                (Some(id), _) => match store.case(id).await?.subject {
                    Some(identity) => Subject {
                        identities: identity
                            .0
                            .iter()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                    },
                    None => return Ok(Err(format!("its case {id} no longer holds the identity"))),
                },
                _ => {
                    return Ok(Err(
                        "it had no case: run the same request (same identity) again to establish what it did"
                            .into(),
                    ));
                }
            };
            let opts = EraseOptions {
                dry_run: true,
                now: Some(now),
                hash_key,
                request_id: run.request_id.clone(),
            };
            let cert = if run.op == "erase" {
                engine
                    .erase(&subject, ws.register().map(|r| &r.policy), &opts)
                    .await?
            } else {
                let Some(c) = current.filter(|_| same_subject) else {
                    return Ok(Err(
                        "a rectification is established when it is run again with the same values"
                            .into(),
                    ));
                };
                let sets_fp = store.subject_fingerprint(c.sets).await?;
                if plan.sets_fingerprint.as_deref() != Some(sets_fp.as_str()) {
                    return Ok(Err(
                        "a rectification is established when it is run again with the same values"
                            .into(),
                    ));
                }
                engine.rectify(&subject, c.sets, &opts).await?
            };
            let still = certificate_counts(&cert);
            return Ok(Ok((applied(plan, &still), same_subject)));
        }
        "sweep" => {
            let Some(register) = ws.register() else {
                return Ok(Err(
                    "a sweep is established with its register (--policy)".into()
                ));
            };
            let opts = SweepOptions {
                dry_run: true,
                hash_key,
                ..SweepOptions::default()
            };
            sweep_counts(&engine.sweep(&register.policy, now, &opts).await?)
        }
        other => return Ok(Err(format!("runs of kind `{other}` are not recovered"))),
    };
    Ok(Ok((applied(plan, &still), false)))
}

/// Planned minus still to do, per planned table.
fn applied(plan: &Plan, still: &[TableCounts]) -> Vec<TableCounts> {
    plan.tables
        .iter()
        .map(|p| {
            let s = still
                .iter()
                .find(|s| s.database == p.database && s.table == p.table);
            let left = |f: fn(&TableCounts) -> u64| s.map(f).unwrap_or(0);
            TableCounts {
                database: p.database.clone(),
                table: p.table.clone(),
                deleted: p.deleted.saturating_sub(left(|t| t.deleted)),
                masked: p.masked.saturating_sub(left(|t| t.masked)),
                kept: p.kept,
                rectified: p.rectified.saturating_sub(left(|t| t.rectified)),
            }
        })
        .collect()
}

/// Reports what recovery did on standard error (for the CLI).
pub fn describe(r: &Recovery) -> Vec<String> {
    let mut lines = Vec::new();
    for x in &r.recovered {
        let sum = |f: fn(&TableCounts) -> u64| x.applied.iter().map(f).sum::<u64>();
        lines.push(format!(
            "an earlier {} run ({}{}) was interrupted; from the rows: {} ({} deleted, {} masked, {} rectified); recorded in the audit trail (seq {})",
            x.op,
            x.run_id,
            x.case_id
                .as_ref()
                .map(|c| format!(", case {c}"))
                .unwrap_or_default(),
            x.outcome,
            sum(|t| t.deleted),
            sum(|t| t.masked),
            sum(|t| t.rectified),
            x.audit_seq
        ));
    }
    for p in &r.pending {
        lines.push(format!(
            "an earlier {} run ({}) has no recorded outcome yet: {}",
            p.op, p.run_id, p.reason
        ));
    }
    lines
}
