//! The retention sweep as a use case: delete or anonymise what is past its retention period,
//! respecting legal holds, and record the report in the audit trail.

use waarborg_engine::{ProgressFn, SweepOptions, SweepReport};
use waarborg_store::{Store, audit::sha256_hex};

use crate::error::{AppError, Result};
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
    let report = engine.sweep(&register.policy, now, &opts).await?;
    let bytes = deliver(&report)?;
    let Some(store) = store else {
        return Ok(Swept {
            report,
            audit_seq: None,
        });
    };
    let summary = serde_json::json!({
        "dry_run": report.dry_run,
        "rules": report.rules.len(),
        "expired": report.rules.iter().map(|r| r.expired).sum::<u64>(),
        "held": report.rules.iter().map(|r| r.held).sum::<u64>(),
        "deleted": report.rules.iter().map(|r| r.deleted).sum::<u64>(),
        "anonymised": report.rules.iter().map(|r| r.anonymised).sum::<u64>(),
    });
    let entry = store
        .append_engine_run("sweep", &sha256_hex(&bytes), &summary)
        .await
        .map_err(|e| {
            AppError::from(e)
                .context("the sweep is done, but recording it in the audit trail failed")
        })?;
    Ok(Swept {
        report,
        audit_seq: Some(entry.seq),
    })
}

/// The sweep report as pretty JSON (the default delivery).
pub fn report_json(report: &SweepReport) -> Result<Vec<u8>> {
    Ok(serde_json::to_string_pretty(report)?.into_bytes())
}
