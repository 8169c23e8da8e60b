//! The retention sweep as a use case: delete or anonymise what is past its retention period,
//! respecting legal holds, and record the report in the audit trail.

use waarborg_engine::{ProgressFn, SweepOptions, SweepReport};
use waarborg_store::{RunIntent, RunOutcome, Store, audit::sha256_hex};

use crate::error::{AppError, Result};
use crate::recovery::{Plan, Recovery, sweep_counts};
use crate::workspace::Workspace;

/// A sweep to run.
#[derive(Clone, Default)]
pub struct Sweep {
    /// Count only; change nothing.
    pub dry_run: bool,
    /// The moment retention is judged at (default now).
    pub now: Option<jiff::Timestamp>,
    /// Rows per batch (one transaction each); default 1000.
    pub batch_size: Option<usize>,
    /// Called after every batch (a progress bar).
    pub progress: Option<ProgressFn>,
}

impl std::fmt::Debug for Sweep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sweep")
            .field("dry_run", &self.dry_run)
            .field("now", &self.now)
            .field("batch_size", &self.batch_size)
            .finish()
    }
}

/// A sweep carried out.
#[derive(Debug)]
pub struct Swept {
    /// The report.
    pub report: SweepReport,
    /// The audit entry recording it, when a store was given.
    pub audit_seq: Option<i64>,
    /// What recovery established about earlier interrupted runs, before this one ran.
    pub recovery: Recovery,
}

/// Runs the sweep with the workspace's register and engine. `deliver` writes or keeps the
/// report and returns its bytes as delivered; their SHA-256 is recorded.
pub async fn run<F>(
    ws: &Workspace,
    store: Option<&Store>,
    sweep: Sweep,
    deliver: F,
) -> Result<Swept>
where
    F: FnOnce(&SweepReport) -> Result<Vec<u8>>,
{
    let register = ws.require_register("the retention sweep")?;
    let engine = ws.engine()?;
    if let Some(store) = store {
        register.record(store).await?;
    }
    let defaults = SweepOptions::default();
    let opts = SweepOptions {
        dry_run: sweep.dry_run,
        batch_size: sweep.batch_size.unwrap_or(defaults.batch_size),
        hash_key: ws.keys().mask.as_ref().map(|k| k.expose().to_vec()),
        progress: sweep.progress,
    };
    let now = sweep.now.unwrap_or_else(jiff::Timestamp::now);
    let (Some(store), false) = (store, sweep.dry_run) else {
        let report = engine.sweep(&register.policy, now, &opts).await?;
        let bytes = deliver(&report)?;
        let Some(store) = store else {
            return Ok(Swept {
                report,
                audit_seq: None,
                recovery: Recovery::default(),
            });
        };
        let entry = store
            .append_engine_run("sweep", &sha256_hex(&bytes), &summary(&report))
            .await
            .map_err(|e| {
                AppError::from(e)
                    .context("the sweep is done, but recording it in the audit trail failed")
            })?;
        return Ok(Swept {
            report,
            audit_seq: Some(entry.seq),
            recovery: Recovery::default(),
        });
    };
    // A sweep that changes data: recovery first, the intent with the dry run's counts, the
    // batches, then the outcome.
    let recovery = crate::recovery::recover(ws, store, None).await?;
    let dry = engine
        .sweep(
            &register.policy,
            now,
            &SweepOptions {
                dry_run: true,
                progress: None,
                ..opts.clone()
            },
        )
        .await?;
    let mut rules: Vec<String> = dry.rules.iter().map(|r| r.rule.clone()).collect();
    rules.sort();
    rules.dedup();
    let plan = Plan {
        basis: "retention".into(),
        now: now.to_string(),
        tables: sweep_counts(&dry),
        sets_fingerprint: None,
        rules,
    };
    waarborg_engine::pause_point("run.before-intent");
    let run = store
        .record_intent(&RunIntent {
            op: "sweep".into(),
            case_id: None,
            subject_fingerprint: None,
            request_id: None,
            register_sha256: Some(register.digest.clone()),
            worker: crate::recovery::worker(),
            plan: serde_json::to_value(&plan)?,
        })
        .await?;
    waarborg_engine::pause_point("run.after-intent");
    // Bound first: a future in the match's scrutinee would live across the recovery's await.
    let result = engine.sweep(&register.policy, now, &opts).await;
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            // Earlier batches are committed: establish and record what they did.
            let _ = crate::recovery::recover(ws, store, None).await;
            return Err(e.into());
        }
    };
    waarborg_engine::pause_point("run.before-certificate");
    let bytes = deliver(&report)?;
    waarborg_engine::pause_point("run.after-certificate");
    let digest = sha256_hex(&bytes);
    let (entry, _) = store
        .record_outcome(
            &run.id,
            &RunOutcome {
                outcome: "applied",
                certificate_sha256: Some(&digest),
                summary: summary(&report),
                close_case: None,
            },
        )
        .await
        .map_err(|e| {
            AppError::from(e)
                .context("the sweep is done, but recording it in the audit trail failed")
        })?;
    Ok(Swept {
        report,
        audit_seq: Some(entry.seq),
        recovery,
    })
}

/// The audit summary of a sweep: counts only.
fn summary(report: &SweepReport) -> serde_json::Value {
    serde_json::json!({
        "dry_run": report.dry_run,
        "rules": report.rules.len(),
        "expired": report.rules.iter().map(|r| r.expired).sum::<u64>(),
        "held": report.rules.iter().map(|r| r.held).sum::<u64>(),
        "deleted": report.rules.iter().map(|r| r.deleted).sum::<u64>(),
        "anonymised": report.rules.iter().map(|r| r.anonymised).sum::<u64>(),
    })
}

/// The sweep report as pretty JSON (the default delivery).
pub fn report_json(report: &SweepReport) -> Result<Vec<u8>> {
    Ok(serde_json::to_string_pretty(report)?.into_bytes())
}
