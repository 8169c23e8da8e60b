//! Carrying out a person's request on the organisation's databases: access (Art. 15/20),
//! erasure (Art. 17) and rectification (Art. 16), with or without a case in the store.
//!
//! One workflow for every front end: check the case (its kind matches, its identity was
//! verified, it is not closed), work out the person, start the case, run the engine, hand the
//! result to the front end to deliver (a file, a download), record the hash of exactly what was
//! delivered in the audit trail, and close the case. A dry run changes nothing and leaves the
//! case open; it is still recorded.

use std::collections::BTreeSet;

use waarborg_engine::{
    AccessReport, Art15Info, Certificate, EraseOptions, Subject, TableCertificate,
};
use waarborg_policy::Lang;
use waarborg_store::{Case, CaseKind, CaseStatus, RunIntent, RunOutcome, Store, audit::sha256_hex};

use crate::error::{AppError, Result};
use crate::recovery::{Current, Plan, Recovery, TableCounts, add_counts, certificate_counts};
use crate::workspace::Workspace;

/// What a request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Export the person's data (Art. 15, 20).
    Access,
    /// Erase it (Art. 17), respecting legal holds.
    Erase,
    /// Correct it (Art. 16).
    Rectify,
}

impl Op {
    /// `access`, `erase` or `rectify`.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Access => "access",
            Op::Erase => "erase",
            Op::Rectify => "rectify",
        }
    }

    /// Whether this operation answers a case of `kind`.
    pub fn serves(self, kind: CaseKind) -> bool {
        match self {
            Op::Access => matches!(kind, CaseKind::Access | CaseKind::Portability),
            Op::Erase => kind == CaseKind::Erasure,
            Op::Rectify => kind == CaseKind::Rectification,
        }
    }

    /// The operation that answers a case of `kind`, if the engine carries such cases out.
    pub fn for_kind(kind: CaseKind) -> Option<Op> {
        [Op::Access, Op::Erase, Op::Rectify]
            .into_iter()
            .find(|op| op.serves(kind))
    }
}

/// A request to carry out.
#[derive(Debug, Clone)]
pub struct Request {
    /// What to do.
    pub op: Op,
    /// The case it answers, if any (then the case's identity is used).
    pub case: Option<String>,
    /// Identities given by the caller (`("email", "a@b.nl")`); with a case they must equal the
    /// case's.
    pub subject: Vec<(String, String)>,
    /// Plan and certify only; change nothing.
    pub dry_run: bool,
    /// The moment legal holds are judged at (default now).
    pub now: Option<jiff::Timestamp>,
    /// The request id on the certificate (default the case id, else a new id).
    pub request_id: Option<String>,
    /// Rectification: `column=value` pairs.
    pub sets: Vec<(String, String)>,
    /// The language of the Art. 15(1) information.
    pub lang: Lang,
    /// Who carries it out (recorded on the case).
    pub worker: String,
}

impl Request {
    /// A request of `op` with defaults (no case, no identities, not a dry run, Dutch).
    pub fn new(op: Op) -> Request {
        Request {
            op,
            case: None,
            subject: Vec::new(),
            dry_run: false,
            now: None,
            request_id: None,
            sets: Vec::new(),
            lang: Lang::Nl,
            worker: format!("waarborg {} (pid {})", op.as_str(), std::process::id()),
        }
    }
}

/// What the engine produced, before it is delivered.
#[derive(Debug)]
pub enum Outcome {
    /// The person's data and the Art. 15(1) information.
    Access {
        /// The rows.
        report: AccessReport,
        /// What the register says about them.
        info: Art15Info,
    },
    /// What an erasure or rectification did (or would do, in a dry run).
    Certificate(Certificate),
}

impl Outcome {
    /// The Art. 15(1) letter of an access request in the person's language, as plain text and
    /// as HTML (`information.txt`, `information.html`); `None` for a certificate.
    pub fn letter(&self) -> Option<(String, String)> {
        match self {
            Outcome::Access { report, info } => Some((
                waarborg_engine::information_letter(info, report),
                waarborg_engine::information_html(info, report),
            )),
            Outcome::Certificate(_) => None,
        }
    }

    /// The document as delivered by default: `access.json` or the certificate, pretty JSON.
    pub fn document(&self) -> Result<Vec<u8>> {
        let text = match self {
            Outcome::Access { report, info } => {
                serde_json::to_string_pretty(&waarborg_engine::access_document(report, info))?
            }
            Outcome::Certificate(c) => serde_json::to_string_pretty(c)?,
        };
        Ok(text.into_bytes())
    }

    /// Whether the identities matched anyone.
    pub fn subject_found(&self) -> bool {
        match self {
            Outcome::Access { report, .. } => report.total_rows > 0,
            Outcome::Certificate(c) => c.subject_found,
        }
    }
}

/// Row counts of a certificate, summed over its tables.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Counts {
    /// Rows deleted.
    pub deleted: u64,
    /// Rows masked.
    pub masked: u64,
    /// Rows kept under a legal hold.
    pub kept: u64,
    /// Rows rectified.
    pub rectified: u64,
}

impl Counts {
    /// The counts of a certificate.
    pub fn of(cert: &Certificate) -> Counts {
        let sum = |f: fn(&TableCertificate) -> u64| -> u64 { cert.tables.iter().map(f).sum() };
        Counts {
            deleted: sum(|t| t.deleted),
            masked: sum(|t| t.masked),
            kept: sum(|t| t.kept),
            rectified: sum(|t| t.rectified),
        }
    }
}

/// A request carried out.
#[derive(Debug)]
pub struct Done {
    /// What the engine produced.
    pub outcome: Outcome,
    /// The audit entry recording it, when a store was given.
    pub audit_seq: Option<i64>,
    /// The case after the run (closed unless a dry run), when there was one.
    pub case: Option<Case>,
    /// The identity kinds the person was looked up by (never the values).
    pub identity_kinds: Vec<String>,
    /// What recovery established about earlier interrupted runs, before this one ran.
    pub recovery: Recovery,
}

/// Checks that `case` can be carried out by `op` now.
pub fn check_case(case: &Case, op: Op) -> Result<()> {
    if !op.serves(case.kind) {
        return Err(AppError::conflict(format!(
            "case {} is a {} request; `{}` does not carry it out",
            case.id,
            case.kind.as_str(),
            op.as_str()
        )));
    }
    match case.status {
        CaseStatus::Received => Err(AppError::conflict(format!(
            "case {} is not verified yet: check the person's identity first \
             (`waarborg case verify {} --method ...`)",
            case.id, case.id
        ))),
        CaseStatus::Done | CaseStatus::Rejected => Err(AppError::conflict(format!(
            "case {} is already closed ({})",
            case.id,
            case.status.as_str()
        ))),
        CaseStatus::Verified | CaseStatus::InProgress => Ok(()),
    }
}

/// The person to act on: the identities given, or the case's; both given must agree.
pub fn subject_for(given: &[(String, String)], case: Option<&Case>) -> Result<Subject> {
    let given_subject = || -> Result<Subject> {
        if given.is_empty() {
            return Err(AppError::invalid(
                "no identity given: give the person's identity (e.g. email=a@b.nl) or a case",
            ));
        }
        Ok(Subject {
            identities: given.to_vec(),
        })
    };
    let Some(case) = case else {
        return given_subject();
    };
    let Some(identity) = &case.subject else {
        return Err(AppError::conflict(format!(
            "case {} no longer holds an identity (anonymised); give the identity",
            case.id
        )));
    };
    let from_case = Subject {
        identities: identity
            .0
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    if given.is_empty() {
        return Ok(from_case);
    }
    let a: BTreeSet<_> = given.iter().collect();
    let b: BTreeSet<_> = from_case.identities.iter().collect();
    if a != b {
        return Err(AppError::invalid(format!(
            "the identity given (--subject) differs from the identity recorded in case {}; leave it out to use the case's",
            case.id
        )));
    }
    given_subject()
}

/// Carries out `req` with the workspace's engine and register, recording in `store` when one
/// is given. `deliver` hands the outcome to the person who asked (writes the file, prints it,
/// keeps it for download) and returns the bytes exactly as delivered; their SHA-256 is what the
/// audit trail records. Nothing is recorded or closed when delivery fails.
pub async fn carry_out<F>(
    ws: &Workspace,
    store: Option<&Store>,
    req: &Request,
    deliver: F,
) -> Result<Done>
where
    F: FnOnce(&Outcome) -> Result<Vec<u8>>,
{
    let engine = ws.engine()?;
    let register = ws.register();
    let mut case = match (&req.case, store) {
        (Some(id), Some(store)) => {
            let c = store.case(id).await?;
            check_case(&c, req.op)?;
            Some(c)
        }
        (Some(_), None) => {
            return Err(AppError::invalid(
                "a case is kept in the store: give the store too",
            ));
        }
        (None, _) => None,
    };
    let who = subject_for(&req.subject, case.as_ref())?;
    // Only a request that passed its checks writes: the register's version first, so that the
    // run's entry follows the version it ran under.
    if let (Some(store), Some(r)) = (store, register) {
        r.record(store).await?;
    }
    if !req.dry_run
        && let (Some(store), Some(c)) = (store, &case)
        && c.status == CaseStatus::Verified
    {
        case = Some(store.start_case(&c.id, &req.worker).await?);
    }
    let now = req.now.unwrap_or_else(jiff::Timestamp::now);
    let request_id = req
        .request_id
        .clone()
        .or_else(|| case.as_ref().map(|c| c.id.clone()))
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let policy = register.map(|r| &r.policy);
    let hash_key = ws.keys().mask.as_ref().map(|k| k.expose().to_vec());
    let identity_kinds: Vec<String> = who.identities.iter().map(|(k, _)| k.clone()).collect();
    let writes = !req.dry_run && matches!(req.op, Op::Erase | Op::Rectify);
    if req.op == Op::Rectify && req.sets.is_empty() {
        return Err(AppError::invalid(
            "nothing to rectify: give column=value pairs",
        ));
    }
    let (Some(store), true) = (store, writes) else {
        // Access and dry runs change nothing: no intent, one entry after.
        let outcome = match req.op {
            Op::Access => {
                let report = engine.access(&who).await?;
                let info = waarborg_engine::art15_info(policy, &report, req.lang);
                Outcome::Access { report, info }
            }
            Op::Erase | Op::Rectify => {
                let opts = EraseOptions {
                    dry_run: req.dry_run,
                    now: Some(now),
                    hash_key,
                    request_id: Some(request_id),
                };
                let mut cert = if req.op == Op::Erase {
                    engine.erase(&who, policy, &opts).await?
                } else {
                    engine.rectify(&who, &req.sets, &opts).await?
                };
                if let Some(store) = store {
                    cert.subject_fingerprint = store.subject_fingerprint(&who.identities).await?;
                }
                Outcome::Certificate(cert)
            }
        };
        let bytes = deliver(&outcome)?;
        let Some(store) = store else {
            return Ok(Done {
                outcome,
                audit_seq: None,
                case,
                identity_kinds,
                recovery: Recovery::default(),
            });
        };
        let (mut summary, note) = summary(&outcome, req);
        if let (Some(obj), Some(c)) = (summary.as_object_mut(), case.as_ref()) {
            obj.insert("case".into(), serde_json::Value::String(c.id.clone()));
        }
        let entry = store
            .append_engine_run(req.op.as_str(), &sha256_hex(&bytes), &summary)
            .await
            .map_err(|e| {
                AppError::from(e).context("the request was carried out and delivered, but recording it in the audit trail failed")
            })?;
        if !req.dry_run
            && let Some(c) = &case
        {
            case = Some(store.close_case(&c.id, Some(&note)).await?);
        }
        return Ok(Done {
            outcome,
            audit_seq: Some(entry.seq),
            case,
            identity_kinds,
            recovery: Recovery::default(),
        });
    };

    // A run that changes data: recovery first, then the intent, then the data, then the
    // outcome (and the case's close) in one transaction.
    let recovery = crate::recovery::recover(
        ws,
        store,
        Some(Current {
            subject: &who,
            sets: &req.sets,
        }),
    )
    .await?;
    let opts_of = |dry_run: bool| EraseOptions {
        dry_run,
        now: Some(now),
        hash_key: hash_key.clone(),
        request_id: Some(request_id.clone()),
    };
    let dry_opts = opts_of(true);
    let dry = if req.op == Op::Erase {
        engine.erase(&who, policy, &dry_opts).await?
    } else {
        engine.rectify(&who, &req.sets, &dry_opts).await?
    };
    let fingerprint = store.subject_fingerprint(&who.identities).await?;
    let plan = Plan {
        basis: match req.op {
            Op::Erase => "GDPR Art. 17".into(),
            _ => "GDPR Art. 16".into(),
        },
        now: now.to_string(),
        tables: certificate_counts(&dry),
        sets_fingerprint: match req.op {
            Op::Rectify => Some(store.subject_fingerprint(&req.sets).await?),
            _ => None,
        },
        rules: Vec::new(),
    };
    waarborg_engine::pause_point("run.before-intent");
    let run = store
        .record_intent(&RunIntent {
            op: req.op.as_str().into(),
            case_id: case.as_ref().map(|c| c.id.clone()),
            subject_fingerprint: Some(fingerprint.clone()),
            request_id: Some(request_id.clone()),
            register_sha256: register.map(|r| r.digest.clone()),
            worker: crate::recovery::worker(),
            plan: serde_json::to_value(&plan)?,
        })
        .await?;
    waarborg_engine::pause_point("run.after-intent");
    // Bound first: a future in the match's scrutinee would live across the recovery's await.
    let real_opts = opts_of(false);
    let result = if req.op == Op::Erase {
        engine.erase(&who, policy, &real_opts).await
    } else {
        engine.rectify(&who, &req.sets, &real_opts).await
    };
    let mut cert = match result {
        Ok(c) => c,
        Err(e) => {
            // Establish what the failed run did (a database may have committed before
            // another failed) and record it; the error is reported either way.
            let _ = crate::recovery::recover(
                ws,
                store,
                Some(Current {
                    subject: &who,
                    sets: &req.sets,
                }),
            )
            .await;
            return Err(e.into());
        }
    };
    cert.subject_fingerprint = fingerprint;
    // Earlier interrupted runs of this request (its case, or the same person) changed rows
    // this run no longer finds: they count here.
    let mut earlier: Vec<(String, Vec<TableCounts>)> = recovery
        .recovered
        .iter()
        .filter(|r| {
            r.op == req.op.as_str()
                && (r.same_subject
                    || (r.case_id.is_some() && r.case_id == case.as_ref().map(|c| c.id.clone())))
        })
        .map(|r| (r.run_id.clone(), r.applied.clone()))
        .collect();
    if let Some(c) = &case {
        for r in store.case_runs(&c.id).await? {
            let recovered = r
                .outcome
                .as_deref()
                .is_some_and(|o| o.starts_with("recovered"));
            if recovered && r.op == req.op.as_str() && !earlier.iter().any(|(id, _)| *id == r.id) {
                let applied = r
                    .summary
                    .as_ref()
                    .and_then(|s| s.get("applied").cloned())
                    .and_then(|a| serde_json::from_value::<Vec<TableCounts>>(a).ok())
                    .unwrap_or_default();
                earlier.push((r.id.clone(), applied));
            }
        }
    }
    for (id, applied) in &earlier {
        if applied
            .iter()
            .any(|t| t.deleted + t.masked + t.rectified > 0)
        {
            add_counts(&mut cert, applied);
            cert.recovered_runs.push(id.clone());
            // The interrupted run found the person (and erased what this run no longer finds).
            cert.subject_found = true;
        }
    }
    let outcome = Outcome::Certificate(cert);
    waarborg_engine::pause_point("run.before-certificate");
    let bytes = deliver(&outcome)?;
    waarborg_engine::pause_point("run.after-certificate");
    let (mut summary, note) = summary(&outcome, req);
    if let Some(obj) = summary.as_object_mut() {
        if let Some(c) = case.as_ref() {
            obj.insert("case".into(), serde_json::Value::String(c.id.clone()));
        }
        if let Outcome::Certificate(c) = &outcome
            && !c.recovered_runs.is_empty()
        {
            obj.insert("recovered_runs".into(), serde_json::json!(c.recovered_runs));
        }
    }
    let digest = sha256_hex(&bytes);
    let (entry, closed) = store
        .record_outcome(
            &run.id,
            &RunOutcome {
                outcome: "applied",
                certificate_sha256: Some(&digest),
                summary,
                close_case: case.as_ref().map(|_| note.as_str()),
            },
        )
        .await
        .map_err(|e| {
            AppError::from(e).context("the request was carried out and delivered, but recording it in the audit trail failed")
        })?;
    if closed.is_some() {
        case = closed;
    }
    Ok(Done {
        outcome,
        audit_seq: Some(entry.seq),
        case,
        identity_kinds,
        recovery,
    })
}

/// The audit summary (counts only, no personal data) and the case's closing note.
fn summary(outcome: &Outcome, req: &Request) -> (serde_json::Value, String) {
    match outcome {
        Outcome::Access { report, .. } => (
            serde_json::json!({
                "rows": report.total_rows,
                "tables": report.tables.len(),
                "lang": req.lang.code(),
            }),
            format!(
                "access export: {} rows in {} tables",
                report.total_rows,
                report.tables.len()
            ),
        ),
        Outcome::Certificate(cert) => {
            let c = Counts::of(cert);
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
            let note = match req.op {
                Op::Rectify => format!("rectified: {} rows", c.rectified),
                _ => format!(
                    "erased: {} rows deleted, {} masked, {} kept under a legal hold",
                    c.deleted, c.masked, c.kept
                ),
            };
            (v, note)
        }
    }
}
