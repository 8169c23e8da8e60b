//! Cross-checks the state tables (`cases`, `case_events`, `consent_events`) against the audit
//! entries that recorded them.
//!
//! The hash chain proves the audit entries were not changed; this check proves the rows people
//! and the engine actually read were not changed behind the chain's back. Every case event and
//! consent event is written in the same transaction as its audit entry, so each row must match
//! the payload of the entry at its `audit_seq` (where the payload was not erased), every such
//! entry must have its row, and a case's status and deadlines must be those its events left.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use crate::audit::{Problem, ProblemKind, sha256_hex};

/// One audit entry of kind `case.*` or `consent.*`: its kind and payload (`None` once erased).
pub(crate) type Recorded = HashMap<i64, (String, Option<String>)>;

/// A row of `consent_events`.
pub(crate) struct ConsentRow {
    pub id: i64,
    pub fields: Vec<(&'static str, Option<String>)>,
    pub grant_id: Option<i64>,
    pub wording: Option<String>,
    pub wording_sha256: Option<String>,
    pub action: String,
    pub audit_seq: i64,
}

/// A row of `case_events`.
pub(crate) struct CaseEventRow {
    pub id: i64,
    pub case_id: String,
    pub event: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub detail: Option<String>,
    pub audit_seq: i64,
}

/// A row of `cases` (the columns the events determine).
pub(crate) struct CaseRow {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub subject: Option<String>,
    pub received_at: String,
    pub due_at: String,
    pub original_due_at: String,
    pub extended: bool,
}

/// The commitment that `case purge` keeps, in the payload of the `case.anonymised` entry, to the
/// rows whose audit payloads it erases: hex SHA-256 of one line for the case row and one per
/// event row (in `audit_seq` order), with only the fields that outlive the purge.
///
/// ```text
/// case  TAB id TAB kind TAB status TAB received_at TAB due_at TAB original_due_at TAB extended(0|1) LF
/// event TAB audit_seq TAB case_id TAB event TAB from_status|- TAB to_status LF
/// ```
pub(crate) fn kept_commitment(case: &CaseRow, events: &[&CaseEventRow]) -> String {
    let mut text = format!(
        "case\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
        case.id,
        case.kind,
        case.status,
        case.received_at,
        case.due_at,
        case.original_due_at,
        u8::from(case.extended)
    );
    let mut sorted: Vec<&&CaseEventRow> = events.iter().collect();
    sorted.sort_by_key(|e| e.audit_seq);
    for e in sorted {
        text.push_str(&format!(
            "event\t{}\t{}\t{}\t{}\t{}\n",
            e.audit_seq,
            e.case_id,
            e.event,
            e.from_status.as_deref().unwrap_or("-"),
            e.to_status
        ));
    }
    sha256_hex(text.as_bytes())
}

fn changed(seq: i64, message: String) -> Problem {
    Problem {
        seq,
        kind: ProblemKind::RecordChanged,
        message,
    }
}

fn payload(p: &Option<String>) -> Option<Value> {
    p.as_deref().and_then(|t| serde_json::from_str(t).ok())
}

fn text_of(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    }
}

/// Checks the rows against the recorded entries; returns every problem found.
pub(crate) fn check(
    recorded: &Recorded,
    consents: &[ConsentRow],
    events: &[CaseEventRow],
    cases: &[CaseRow],
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();

    for r in consents {
        let s = r.audit_seq;
        let expected_kind = format!("consent.{}", r.action);
        let Some((kind, body)) = recorded.get(&s) else {
            problems.push(changed(s, format!(
                "consent event {} points at audit entry seq {s}, which recorded no consent event: the row was added or changed by hand",
                r.id
            )));
            continue;
        };
        if !seen.insert(s) {
            problems.push(changed(s, format!(
                "consent event {} points at audit entry seq {s}, which another consent event already uses: the row was copied by hand",
                r.id
            )));
            continue;
        }
        if *kind != expected_kind {
            problems.push(changed(s, format!(
                "consent event {} says `{}` but its audit entry seq {s} recorded `{kind}`: the row was changed",
                r.id, r.action
            )));
            continue;
        }
        if let Some(p) = payload(body) {
            let mut differ: Vec<&str> = r
                .fields
                .iter()
                .filter(|(name, value)| text_of(p.get(*name)) != *value)
                .map(|(name, _)| *name)
                .collect();
            if p.get("grant_id").and_then(Value::as_i64) != r.grant_id {
                differ.push("grant_id");
            }
            if !differ.is_empty() {
                problems.push(changed(s, format!(
                    "consent event {} differs from its audit entry seq {s} in {}: the row was changed",
                    r.id,
                    differ.join(", ")
                )));
            }
        }
        if let (Some(w), Some(h)) = (&r.wording, &r.wording_sha256)
            && sha256_hex(w.as_bytes()) != *h
        {
            problems.push(changed(s, format!(
                "consent event {}: the wording kept no longer matches its recorded SHA-256: the wording was changed",
                r.id
            )));
        }
    }

    let known_cases: HashSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    let mut by_case: BTreeMap<&str, Vec<&CaseEventRow>> = BTreeMap::new();
    for e in events {
        let s = e.audit_seq;
        by_case.entry(e.case_id.as_str()).or_default().push(e);
        if !known_cases.contains(e.case_id.as_str()) {
            problems.push(changed(s, format!(
                "case event {} belongs to case {}, which is not in `cases`: the case was deleted",
                e.id, e.case_id
            )));
        }
        let Some((kind, body)) = recorded.get(&s) else {
            problems.push(changed(s, format!(
                "case event {} points at audit entry seq {s}, which recorded no case event: the row was added or changed by hand",
                e.id
            )));
            continue;
        };
        if !seen.insert(s) {
            problems.push(changed(s, format!(
                "case event {} points at audit entry seq {s}, which another event already uses: the row was copied by hand",
                e.id
            )));
            continue;
        }
        if *kind != format!("case.{}", e.event) {
            problems.push(changed(s, format!(
                "case event {} says `{}` but its audit entry seq {s} recorded `{kind}`: the row was changed",
                e.id, e.event
            )));
            continue;
        }
        if let Some(p) = payload(body) {
            let mut differ = Vec::new();
            if text_of(p.get("case_id")).as_deref() != Some(e.case_id.as_str()) {
                differ.push("case_id");
            }
            if text_of(p.get("from")) != e.from_status {
                differ.push("from_status");
            }
            if text_of(p.get("to")).as_deref() != Some(e.to_status.as_str()) {
                differ.push("to_status");
            }
            if text_of(p.get("detail")) != e.detail {
                differ.push("detail");
            }
            if !differ.is_empty() {
                problems.push(changed(s, format!(
                    "case event {} differs from its audit entry seq {s} in {}: the row was changed",
                    e.id,
                    differ.join(", ")
                )));
            }
        }
    }

    for (s, (kind, _)) in recorded {
        if seen.contains(s) {
            continue;
        }
        let table = if kind.starts_with("consent.") {
            "consent_events"
        } else {
            "case_events"
        };
        problems.push(Problem {
            seq: *s,
            kind: ProblemKind::RecordMissing,
            message: format!(
                "audit entry seq {s} recorded `{kind}`, but no row of `{table}` points at it: the row was deleted"
            ),
        });
    }

    for c in cases {
        if let Some(evs) = by_case.get(c.id.as_str()) {
            check_erased(recorded, c, evs, &mut problems);
        }
    }

    for c in cases {
        let Some(evs) = by_case.get(c.id.as_str()) else {
            problems.push(changed(
                0,
                format!(
                    "case {} has no events: it was added by hand, outside the audit trail",
                    c.id
                ),
            ));
            continue;
        };
        let Some(last) = evs.last() else { continue };
        if last.to_status != c.status {
            problems.push(changed(last.audit_seq, format!(
                "case {} has status `{}`, but its last event (audit seq {}) left it `{}`: the row was changed",
                c.id, c.status, last.audit_seq, last.to_status
            )));
        }
        let extensions: Vec<&&CaseEventRow> =
            evs.iter().filter(|e| e.event == "extended").collect();
        let has_extension = !extensions.is_empty();
        if c.extended != has_extension {
            problems.push(changed(last.audit_seq, format!(
                "case {} is marked {}extended, but its events say otherwise: the row was changed",
                c.id,
                if c.extended { "" } else { "not " }
            )));
        }
        let data_of = |e: &CaseEventRow| {
            recorded
                .get(&e.audit_seq)
                .and_then(|(_, b)| payload(b))
                .and_then(|p| p.get("data").cloned())
        };
        let opened = evs.iter().find(|e| e.event == "opened");
        if let Some(o) = opened
            && let Some(d) = data_of(o)
        {
            let mut differ = Vec::new();
            if text_of(d.get("kind")).as_deref() != Some(c.kind.as_str()) {
                differ.push("kind");
            }
            if text_of(d.get("received_at")).as_deref() != Some(c.received_at.as_str()) {
                differ.push("received_at");
            }
            if text_of(d.get("due_at")).as_deref() != Some(c.original_due_at.as_str()) {
                differ.push("original_due_at");
            }
            if let Some(subject) = &c.subject {
                let row: Option<Value> = serde_json::from_str(subject).ok();
                if row.as_ref() != d.get("subject") {
                    differ.push("subject");
                }
            }
            let due = extensions
                .last()
                .and_then(|e| data_of(e))
                .and_then(|x| text_of(x.get("due_at")))
                .or_else(|| text_of(d.get("due_at")));
            if due.as_deref().is_some_and(|due| due != c.due_at) {
                differ.push("due_at");
            }
            if !differ.is_empty() {
                problems.push(changed(
                    o.audit_seq,
                    format!(
                        "case {} differs from what its events recorded in {}: the row was changed",
                        c.id,
                        differ.join(", ")
                    ),
                ));
            }
        }
    }
    problems.sort_by_key(|p| p.seq);
    problems
}

/// A case event whose audit payload is erased is checked against the commitment that the purge
/// kept in the `case.anonymised` entry: a payload set to NULL by hand (outside a purge, or to
/// hide an edit of the row) is named, not skipped.
fn check_erased(
    recorded: &Recorded,
    c: &CaseRow,
    evs: &[&CaseEventRow],
    problems: &mut Vec<Problem>,
) {
    let erased = |e: &&&CaseEventRow| matches!(recorded.get(&e.audit_seq), Some((_, None)));
    let Some(first_erased) = evs.iter().find(erased) else {
        return;
    };
    let anonymised = evs
        .iter()
        .rev()
        .find(|e| e.event == "anonymised" && !erased(e));
    let Some(anon) = anonymised else {
        problems.push(changed(
            first_erased.audit_seq,
            format!(
                "the payload of audit entry seq {} (case {}) is erased, but the case was never \
                 purged (no readable `anonymised` event): the payload was removed by hand",
                first_erased.audit_seq, c.id
            ),
        ));
        return;
    };
    for e in evs.iter().filter(erased) {
        if e.audit_seq > anon.audit_seq {
            problems.push(changed(
                e.audit_seq,
                format!(
                    "the payload of audit entry seq {} (case {}) is erased, but it came after the \
                     purge (seq {}): the payload was removed by hand",
                    e.audit_seq, c.id, anon.audit_seq
                ),
            ));
        }
    }
    let kept = recorded
        .get(&anon.audit_seq)
        .and_then(|(_, b)| payload(b))
        .and_then(|p| p.get("data").and_then(|d| text_of(d.get("kept_sha256"))));
    // A purge made before the commitment existed kept none; its rows cannot be checked.
    let Some(kept) = kept else { return };
    let before: Vec<&CaseEventRow> = evs
        .iter()
        .filter(|e| e.audit_seq < anon.audit_seq)
        .copied()
        .collect();
    if kept_commitment(c, &before) != kept {
        problems.push(changed(
            anon.audit_seq,
            format!(
                "case {} or its events differ from what the purge at audit seq {} committed to \
                 (kind, status, dates, events): the rows were changed after their payloads were erased",
                c.id, anon.audit_seq
            ),
        ));
    }
}
