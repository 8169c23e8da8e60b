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
use waarborg_store::{Case, CaseKind, CaseStatus, Store, audit::sha256_hex};

use crate::error::{AppError, Result};
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
    let request_id = req
        .request_id
        .clone()
        .or_else(|| case.as_ref().map(|c| c.id.clone()));
    let policy = register.map(|r| &r.policy);
    let outcome = match req.op {
        Op::Access => {
            let report = engine.access(&who).await?;
            let info = waarborg_engine::art15_info(policy, &report, req.lang);
            Outcome::Access { report, info }
        }
        Op::Erase => {
            let opts = EraseOptions {
                dry_run: req.dry_run,
                now: Some(req.now.unwrap_or_else(jiff::Timestamp::now)),
                hash_key: ws.keys().mask.as_ref().map(|k| k.expose().to_vec()),
                request_id,
            };
            Outcome::Certificate(engine.erase(&who, policy, &opts).await?)
        }
        Op::Rectify => {
            if req.sets.is_empty() {
                return Err(AppError::invalid(
                    "nothing to rectify: give column=value pairs",
                ));
            }
            let opts = EraseOptions {
                dry_run: req.dry_run,
                now: None,
                hash_key: ws.keys().mask.as_ref().map(|k| k.expose().to_vec()),
                request_id,
            };
            Outcome::Certificate(engine.rectify(&who, &req.sets, &opts).await?)
        }
    };
    let identity_kinds: Vec<String> = who.identities.iter().map(|(k, _)| k.clone()).collect();
    let bytes = deliver(&outcome)?;
    let Some(store) = store else {
        return Ok(Done {
            outcome,
            audit_seq: None,
            case,
            identity_kinds,
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
    Ok(Done {
        outcome,
        audit_seq: Some(entry.seq),
        case,
        identity_kinds,
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
