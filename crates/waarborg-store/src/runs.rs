//! Intent before action: engine runs that change the organisation's data are recorded before
//! their data transaction and finished after it.
//!
//! [`Store::record_intent`] writes an `engine_runs` row and an `engine.intent` audit entry (what
//! will be done, to whom as a keyed fingerprint, under which register version, with the dry
//! run's counts) in one transaction, before the engine writes anything. [`Store::record_outcome`]
//! writes the outcome (`engine.run`, or `engine.recovered` after an interruption) and, for a
//! case, closes it in the same transaction. A row without an outcome is a run that was
//! interrupted, or that still runs: [`Store::unfinished_runs`] lists them for recovery, which
//! re-reads the rows and records what actually happened.

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::audit::{AuditEntry, Problem, ProblemKind};
use crate::cases::{Case, CaseStatus};
use crate::db::{Row, args};
use crate::deadline::{fmt_ts, now};
use crate::store::check_sha256;
use crate::{Error, Store};

/// What a run is about to do, recorded before it does it.
#[derive(Debug, Clone, Default)]
pub struct RunIntent {
    /// `erase`, `rectify` or `sweep`.
    pub op: String,
    /// The case the run answers, if any.
    pub case_id: Option<String>,
    /// The keyed fingerprint of the person ([`Store::subject_fingerprint`]); never the identity.
    pub subject_fingerprint: Option<String>,
    /// The request id the certificate will carry.
    pub request_id: Option<String>,
    /// The register's version (hex SHA-256 of its file), if one is used.
    pub register_sha256: Option<String>,
    /// Who runs it: host and process id, so that recovery leaves a run that still runs alone.
    pub worker: String,
    /// The plan: the dry run's counts per table or rule, the moment judged at, the rules. No
    /// personal data.
    pub plan: serde_json::Value,
}

/// A recorded run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// Its id (UUID).
    pub id: String,
    /// `erase`, `rectify` or `sweep`.
    pub op: String,
    /// The case it answers, if any.
    pub case_id: Option<String>,
    /// The keyed fingerprint of the person.
    pub subject_fingerprint: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// The register's version.
    pub register_sha256: Option<String>,
    /// Host and process id of the process that started it.
    pub worker: String,
    /// The plan (see [`RunIntent::plan`]).
    pub plan: serde_json::Value,
    /// When the intent was recorded (RFC 3339 UTC).
    pub started_at: String,
    /// The `engine.intent` audit entry.
    pub intent_seq: i64,
    /// `applied`, `failed`, `recovered: applied`, `recovered: partly applied`,
    /// `recovered: not applied`; `None` while unfinished.
    pub outcome: Option<String>,
    /// The audit entry of the outcome.
    pub outcome_seq: Option<i64>,
    /// The outcome's counts, as its audit entry recorded them.
    pub summary: Option<serde_json::Value>,
    /// When the outcome was recorded.
    pub finished_at: Option<String>,
}

/// The outcome of a run, recorded after it.
#[derive(Debug, Clone)]
pub struct RunOutcome<'a> {
    /// `applied`, `failed`, `recovered: applied`, `recovered: partly applied` or
    /// `recovered: not applied`.
    pub outcome: &'a str,
    /// Hex SHA-256 of the certificate or report delivered, if one was.
    pub certificate_sha256: Option<&'a str>,
    /// Counts (no personal data).
    pub summary: serde_json::Value,
    /// Close the run's case with this note, in the same transaction.
    pub close_case: Option<&'a str>,
}

/// The outcomes a run may end with.
pub const OUTCOMES: [&str; 5] = [
    "applied",
    "failed",
    "recovered: applied",
    "recovered: partly applied",
    "recovered: not applied",
];

fn row_to_run(r: &Row) -> Result<Run, Error> {
    let plan = r.text("plan")?;
    Ok(Run {
        id: r.text("id")?,
        op: r.text("op")?,
        case_id: r.opt_text("case_id")?,
        subject_fingerprint: r.opt_text("subject_fp")?,
        request_id: r.opt_text("request_id")?,
        register_sha256: r.opt_text("register_sha256")?,
        worker: r.text("worker")?,
        plan: serde_json::from_str(&plan)
            .map_err(|e| Error::Corrupt(format!("engine run plan: {e}")))?,
        started_at: r.text("started_at")?,
        intent_seq: r.int("intent_seq")?,
        outcome: r.opt_text("outcome")?,
        outcome_seq: r.opt_int("outcome_seq")?,
        summary: r
            .opt_text("summary")?
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| Error::Corrupt(format!("engine run summary: {e}")))?,
        finished_at: r.opt_text("finished_at")?,
    })
}

impl Store {
    /// The keyed fingerprint of a person's identities: hex HMAC-SHA-256 over the sorted
    /// `kind NUL value NUL` pairs, keyed with the audit key when one is set, else with this
    /// store's own random secret (created on first use). Whoever holds a certificate or the
    /// audit trail cannot confirm a guessed address with it; the same person gives the same
    /// fingerprint in the same store.
    pub async fn subject_fingerprint(
        &self,
        identities: &[(String, String)],
    ) -> Result<String, Error> {
        let key: Vec<u8> = match self.key() {
            Some(k) => k.to_vec(),
            None => self.store_secret().await?.into_bytes(),
        };
        let mut pairs: Vec<&(String, String)> = identities.iter().collect();
        pairs.sort();
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key)
            .map_err(|e| Error::Crypto(format!("fingerprint key: {e}")))?;
        mac.update(b"waarborg-subject-v1\0");
        for (k, v) in pairs {
            mac.update(k.as_bytes());
            mac.update(&[0]);
            mac.update(v.as_bytes());
            mac.update(&[0]);
        }
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    async fn store_secret(&self) -> Result<String, Error> {
        let mut tx = self.pool.begin_write().await?;
        let fresh = format!("{}{}", crate::audit::salt(), crate::audit::salt());
        tx.exec(
            "INSERT INTO store_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
            args![fresh.as_str()],
        )
        .await?;
        let secret = tx
            .one("SELECT secret FROM store_secret WHERE id = 1", args![])
            .await?
            .text("secret")?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Records that a run is about to change data: an `engine_runs` row and an `engine.intent`
    /// audit entry, in one transaction. Call it before the data transaction.
    pub async fn record_intent(&self, intent: &RunIntent) -> Result<Run, Error> {
        if !matches!(intent.op.as_str(), "erase" | "rectify" | "sweep" | "access") {
            return Err(Error::Invalid(format!(
                "an engine run is erase, rectify, sweep or access, not `{}`",
                intent.op
            )));
        }
        if let Some(h) = &intent.register_sha256 {
            check_sha256(h, "register_sha256")?;
        }
        let id = uuid::Uuid::new_v4().to_string();
        let at = fmt_ts(now());
        let plan = serde_json::to_string(&intent.plan)
            .map_err(|e| Error::Invalid(format!("engine run plan: {e}")))?;
        let payload = serde_json::json!({
            "run_id": id,
            "op": intent.op,
            "case": intent.case_id,
            "subject_fingerprint": intent.subject_fingerprint,
            "request_id": intent.request_id,
            "register_sha256": intent.register_sha256,
            "worker": intent.worker,
            "plan": intent.plan,
        });
        let mut tx = self.pool.begin_write().await?;
        let entry = self.audit(&mut tx, "engine.intent", &payload).await?;
        tx.exec(
            "INSERT INTO engine_runs (id, op, case_id, subject_fp, request_id, register_sha256, \
             worker, plan, started_at, intent_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            args![
                id.as_str(),
                intent.op.as_str(),
                intent.case_id.as_deref(),
                intent.subject_fingerprint.as_deref(),
                intent.request_id.as_deref(),
                intent.register_sha256.as_deref(),
                intent.worker.as_str(),
                plan.as_str(),
                at.as_str(),
                entry.seq
            ],
        )
        .await?;
        let row = tx
            .one(
                "SELECT id, op, case_id, subject_fp, request_id, register_sha256, worker, plan, \
                 started_at, intent_seq, outcome, outcome_seq, summary, finished_at FROM engine_runs WHERE id = $1",
                args![id.as_str()],
            )
            .await?;
        let run = row_to_run(&row)?;
        tx.commit().await?;
        Ok(run)
    }

    /// Records a run's outcome: an `engine.run` entry (`engine.recovered` for the outcomes of
    /// recovery) naming the run, the row's outcome, and with [`RunOutcome::close_case`] the
    /// case closed, all in one transaction. A run has one outcome: a second is refused.
    pub async fn record_outcome(
        &self,
        run_id: &str,
        outcome: &RunOutcome<'_>,
    ) -> Result<(AuditEntry, Option<Case>), Error> {
        if !OUTCOMES.contains(&outcome.outcome) {
            return Err(Error::Invalid(format!(
                "unknown run outcome `{}` (one of: {})",
                outcome.outcome,
                OUTCOMES.join(", ")
            )));
        }
        if let Some(h) = outcome.certificate_sha256 {
            check_sha256(h, "certificate_sha256")?;
        }
        let mut tx = self.pool.begin_write().await?;
        let row = tx
            .opt(
                "SELECT id, op, case_id, subject_fp, request_id, register_sha256, worker, plan, \
                 started_at, intent_seq, outcome, outcome_seq, summary, finished_at FROM engine_runs WHERE id = $1",
                args![run_id],
            )
            .await?
            .ok_or_else(|| Error::Invalid(format!("no engine run {run_id}")))?;
        let run = row_to_run(&row)?;
        if let Some(o) = &run.outcome {
            return Err(Error::Invalid(format!(
                "engine run {run_id} already has its outcome ({o}, audit seq {})",
                run.outcome_seq.unwrap_or(0)
            )));
        }
        let kind = if outcome.outcome.starts_with("recovered") {
            "engine.recovered"
        } else {
            "engine.run"
        };
        let payload = serde_json::json!({
            "run_id": run.id,
            "run_kind": run.op,
            "outcome": outcome.outcome,
            "certificate_sha256": outcome.certificate_sha256.map(str::to_ascii_lowercase),
            "summary": outcome.summary,
        });
        let entry = self.audit(&mut tx, kind, &payload).await?;
        let summary = serde_json::to_string(&outcome.summary)
            .map_err(|e| Error::Invalid(format!("engine run summary: {e}")))?;
        let at = fmt_ts(now());
        let n = tx
            .exec(
                "UPDATE engine_runs SET outcome = $2, outcome_seq = $3, finished_at = $4, \
                 summary = $5 WHERE id = $1 AND outcome IS NULL",
                args![
                    run_id,
                    outcome.outcome,
                    entry.seq,
                    at.as_str(),
                    summary.as_str()
                ],
            )
            .await?;
        if n != 1 {
            return Err(Error::Invalid(format!(
                "engine run {run_id} got its outcome from another process meanwhile"
            )));
        }
        let case = match (outcome.close_case, &run.case_id) {
            (Some(note), Some(id)) => Some(
                self.transition_in(
                    &mut tx,
                    id,
                    CaseStatus::Done,
                    "done",
                    Some(note),
                    None,
                    None,
                )
                .await?,
            ),
            _ => None,
        };
        tx.commit().await?;
        Ok((entry, case))
    }

    /// Runs without an outcome, oldest first: interrupted, or still running.
    pub async fn unfinished_runs(&self) -> Result<Vec<Run>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                "SELECT id, op, case_id, subject_fp, request_id, register_sha256, worker, plan, \
                 started_at, intent_seq, outcome, outcome_seq, summary, finished_at FROM engine_runs \
                 WHERE outcome IS NULL ORDER BY started_at, id",
                args![],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(row_to_run).collect()
    }

    /// The runs of a case, oldest first.
    pub async fn case_runs(&self, case_id: &str) -> Result<Vec<Run>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                "SELECT id, op, case_id, subject_fp, request_id, register_sha256, worker, plan, \
                 started_at, intent_seq, outcome, outcome_seq, summary, finished_at FROM engine_runs \
                 WHERE case_id = $1 ORDER BY started_at, id",
                args![case_id],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(row_to_run).collect()
    }
}

/// An `engine.intent`, `engine.run` or `engine.recovered` audit entry: seq, kind, payload.
pub(crate) type RunEntries = Vec<(i64, String, Option<String>)>;

/// Cross-checks `engine_runs` against the audit entries: every intent has its row, every row
/// its intent (with the same op, case and plan), and a row's outcome is the one its outcome
/// entry recorded. Returns the problems and the ids of runs still without an outcome.
pub(crate) async fn check(
    tx: &mut crate::db::Tx,
    entries: &RunEntries,
) -> Result<(Vec<Problem>, Vec<String>), Error> {
    let rows = tx
        .all(
            "SELECT id, op, case_id, subject_fp, request_id, register_sha256, worker, plan, \
             started_at, intent_seq, outcome, outcome_seq, summary, finished_at FROM engine_runs ORDER BY id",
            args![],
        )
        .await?;
    let runs: Vec<Run> = rows.iter().map(row_to_run).collect::<Result<_, _>>()?;
    let mut problems = Vec::new();
    let parsed: Vec<(i64, &str, Option<serde_json::Value>)> = entries
        .iter()
        .map(|(s, k, p)| {
            (
                *s,
                k.as_str(),
                p.as_deref().and_then(|t| serde_json::from_str(t).ok()),
            )
        })
        .collect();
    let run_id_of = |p: &Option<serde_json::Value>| {
        p.as_ref()
            .and_then(|v| v.get("run_id"))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let mut unfinished = Vec::new();
    for run in &runs {
        let intent = parsed
            .iter()
            .find(|(s, k, _)| *s == run.intent_seq && *k == "engine.intent");
        match intent {
            None => problems.push(Problem {
                seq: run.intent_seq,
                kind: ProblemKind::RecordChanged,
                message: format!(
                    "engine run {} points at audit entry seq {}, which recorded no intent: the row was added or changed by hand",
                    run.id, run.intent_seq
                ),
            }),
            Some((s, _, p)) => {
                let same = p.as_ref().is_some_and(|v| {
                    v.get("run_id").and_then(|x| x.as_str()) == Some(run.id.as_str())
                        && v.get("op").and_then(|x| x.as_str()) == Some(run.op.as_str())
                        && v.get("case").and_then(|x| x.as_str()) == run.case_id.as_deref()
                        && v.get("plan") == Some(&run.plan)
                });
                if !same {
                    problems.push(Problem {
                        seq: *s,
                        kind: ProblemKind::RecordChanged,
                        message: format!(
                            "engine run {} differs from its intent (audit seq {s}) in its id, op, case or plan: the row was changed",
                            run.id
                        ),
                    });
                }
            }
        }
        let outcome_entry = parsed.iter().find(|(_, k, p)| {
            (*k == "engine.run" || *k == "engine.recovered")
                && run_id_of(p).as_deref() == Some(run.id.as_str())
        });
        match (&run.outcome, outcome_entry) {
            (None, None) => unfinished.push(run.id.clone()),
            (None, Some((s, _, _))) => problems.push(Problem {
                seq: *s,
                kind: ProblemKind::RecordChanged,
                message: format!(
                    "engine run {} has no outcome, but audit entry seq {s} recorded one: the row was changed",
                    run.id
                ),
            }),
            (Some(o), None) => problems.push(Problem {
                seq: run.outcome_seq.unwrap_or(run.intent_seq),
                kind: ProblemKind::RecordChanged,
                message: format!(
                    "engine run {} says `{o}`, but no audit entry recorded its outcome: the row was changed",
                    run.id
                ),
            }),
            (Some(o), Some((s, _, p))) => {
                let recorded = p
                    .as_ref()
                    .and_then(|v| v.get("outcome"))
                    .and_then(|v| v.as_str());
                let summary = p.as_ref().and_then(|v| v.get("summary"));
                if recorded != Some(o.as_str())
                    || run.outcome_seq != Some(*s)
                    || summary != run.summary.as_ref()
                {
                    problems.push(Problem {
                        seq: *s,
                        kind: ProblemKind::RecordChanged,
                        message: format!(
                            "engine run {} says `{o}` (seq {:?}), but its outcome entry seq {s} recorded `{}`: the row was changed (or its counts differ)",
                            run.id,
                            run.outcome_seq,
                            recorded.unwrap_or("?")
                        ),
                    });
                }
            }
        }
    }
    for (s, k, p) in &parsed {
        let Some(id) = run_id_of(p) else { continue };
        if !runs.iter().any(|r| r.id == id) {
            problems.push(Problem {
                seq: *s,
                kind: ProblemKind::RecordMissing,
                message: format!(
                    "audit entry seq {s} recorded `{k}` of engine run {id}, but no row of `engine_runs` holds it: the row was deleted"
                ),
            });
        }
    }
    Ok((problems, unfinished))
}
