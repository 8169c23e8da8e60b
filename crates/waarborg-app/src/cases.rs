//! The life of a request case in the store: open, verify the person's identity, start,
//! extend (Art. 12(3)), reject (Art. 12(4)), close, and purge old closed cases. Carrying a case
//! out on the databases is [`crate::requests::carry_out`].

use jiff::{Span, Timestamp};
use waarborg_store::{
    Case, CaseCounts, CaseEvent, CaseFilter, CaseKind, CaseStatus, Identity, NewCase, PurgeReport,
    Store,
};

use crate::error::Result;
use crate::register::LoadedRegister;

/// A new case as a front end receives it.
#[derive(Debug, Clone)]
pub struct OpenCase {
    /// The kind of request.
    pub kind: CaseKind,
    /// The person's identities (`email=a@b.nl`).
    pub subject: Vec<String>,
    /// When the request was received (default now).
    pub received: Option<Timestamp>,
    /// The deadline promised, when shorter than the law's month (default: the register's
    /// `rights.deadline`, else one month).
    pub deadline: Option<Span>,
    /// A free note (no personal data beyond what the case needs).
    pub note: Option<String>,
}

/// Opens a case. The deadline is the one given, else the register's promise, else the
/// GDPR's one month (Art. 12(3)).
pub async fn open(
    store: &Store,
    input: OpenCase,
    register: Option<&LoadedRegister>,
) -> Result<Case> {
    let promise = match input.deadline {
        Some(d) => Some(d),
        None => register.and_then(|r| r.policy.rights.deadline.as_ref().map(|d| d.span())),
    };
    let subject = Identity::parse_pairs(&input.subject)?;
    let mut new = NewCase::new(input.kind, subject).promise(promise);
    if let Some(r) = input.received {
        new = new.received(r);
    }
    if let Some(n) = input.note {
        new = new.note(n);
    }
    Ok(store.open_case(new).await?)
}

/// The cases matching `filter`, soonest due first.
pub async fn list(store: &Store, filter: &CaseFilter) -> Result<Vec<Case>> {
    let mut cases = store.list_cases(filter).await?;
    cases.sort_by(|a, b| a.due_at.cmp(&b.due_at).then_with(|| a.id.cmp(&b.id)));
    Ok(cases)
}

/// How many cases `filter` matches, and how many of the open ones are overdue or due this
/// week (as [`urgency`] counts them): the queue's counts, without reading the cases.
pub async fn counts(store: &Store, filter: &CaseFilter, now: Timestamp) -> Result<CaseCounts> {
    let week = now.checked_add(week()).unwrap_or(now);
    Ok(store.count_cases(filter, now, week).await?)
}

fn week() -> Span {
    Span::new().hours(24 * 7)
}

/// One case with its timeline.
pub async fn show(store: &Store, id: &str) -> Result<(Case, Vec<CaseEvent>)> {
    let c = store.case(id).await?;
    let events = store.case_events(&c.id).await?;
    Ok((c, events))
}

/// Records that the person's identity was checked, and how (Art. 12(6)).
pub async fn verify(store: &Store, id: &str, method: &str) -> Result<Case> {
    Ok(store.verify_case(id, method).await?)
}

/// Marks a verified case as in progress by `worker`.
pub async fn start(store: &Store, id: &str, worker: &str) -> Result<Case> {
    Ok(store.start_case(id, worker).await?)
}

/// Claims the verified case due soonest for `worker`.
pub async fn claim(store: &Store, worker: &str) -> Result<Option<Case>> {
    Ok(store.claim_next(worker).await?)
}

/// Extends a case by `months` (1 or 2) with the reason the person is told (Art. 12(3)): only
/// within the first month.
pub async fn extend(
    store: &Store,
    id: &str,
    months: u8,
    reason: &str,
    now: Timestamp,
) -> Result<Case> {
    Ok(store.extend_case(id, months, reason, now).await?)
}

/// Closes a case as done, starting it first when it was only verified.
pub async fn close(store: &Store, id: &str, worker: &str, note: Option<&str>) -> Result<Case> {
    let c = store.case(id).await?;
    if c.status == CaseStatus::Verified {
        store.start_case(&c.id, worker).await?;
    }
    Ok(store.close_case(&c.id, note).await?)
}

/// Refuses a request with the reason the person is told (Art. 12(4)).
pub async fn reject(store: &Store, id: &str, reason: &str) -> Result<Case> {
    Ok(store.reject_case(id, reason).await?)
}

/// Anonymises cases closed longer than `period` ago.
pub async fn purge(store: &Store, now: Timestamp, period: Span) -> Result<PurgeReport> {
    Ok(store.purge_closed_cases(now, Some(period)).await?)
}

/// A case as JSON, with `overdue` at `now`; `with_subject` keeps the identities (lists leave
/// them out; one case's page shows them).
pub fn case_json(c: &Case, now: Timestamp, with_subject: bool) -> serde_json::Value {
    let mut v = serde_json::to_value(c).unwrap_or(serde_json::Value::Null);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("overdue".into(), c.is_overdue(now).into());
        if !with_subject {
            obj.remove("subject");
        }
    }
    v
}

/// How urgent an open case is at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Closed.
    Closed,
    /// Past its deadline.
    Overdue,
    /// Due within seven days.
    DueThisWeek,
    /// Due later.
    Later,
}

/// The urgency of `c` at `now`.
pub fn urgency(c: &Case, now: Timestamp) -> Urgency {
    if c.status.is_closed() {
        Urgency::Closed
    } else if c.is_overdue(now) {
        Urgency::Overdue
    } else if now.checked_add(week()).is_ok_and(|week| c.due_at <= week) {
        Urgency::DueThisWeek
    } else {
        Urgency::Later
    }
}

/// Whether the case may still be extended at `now`: open, not extended before, and within the
/// first month after receipt (Art. 12(3)); the store checks the same when it extends.
pub fn can_extend(c: &Case, now: Timestamp) -> bool {
    !c.status.is_closed() && !c.extended && now < c.original_due_at
}
