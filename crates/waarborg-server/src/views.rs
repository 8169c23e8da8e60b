//! Cases, events and dates as the pages show them.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::{Value, json};
use waarborg_app::cases;
use waarborg_store::{Case, CaseEvent};

/// `2026-12-03 14:05` in the server's time zone.
pub(crate) fn local(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

fn short(id: &str) -> String {
    id.chars().take(13).collect()
}

/// A row of the case queue (no identities: the queue does not show who asked).
pub(crate) fn case_row(c: &Case, now: Timestamp, tz: &TimeZone) -> Value {
    json!({
        "id": c.id,
        "short_id": short(&c.id),
        "kind": c.kind.as_str(),
        "status": c.status.as_str(),
        "received": local(c.received_at, tz),
        "due": c.due_date.to_string(),
        "urgency": cases::urgency(c, now),
        "extended": c.extended,
    })
}

/// One case's facts, with the person's identities.
pub(crate) fn case_detail(c: &Case, now: Timestamp, tz: &TimeZone) -> Value {
    json!({
        "id": c.id,
        "short_id": short(&c.id),
        "kind": c.kind.as_str(),
        "status": c.status.as_str(),
        "received": local(c.received_at, tz),
        "due": c.due_date.to_string(),
        "original_due": waarborg_store::deadline::last_day(c.original_due_at).map(|d| d.to_string()).unwrap_or_default(),
        "urgency": cases::urgency(c, now),
        "extended": c.extended,
        "extension_reason": c.extension_reason,
        "verification": c.verification,
        "outcome": c.outcome,
        "subject": c.subject.as_ref().map(|s| s.0.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>()),
    })
}

/// A timeline row.
pub(crate) fn event_row(e: &CaseEvent, tz: &TimeZone) -> Value {
    json!({
        "at": local(e.at, tz),
        "event": e.event,
        "to_status": e.to_status.as_str(),
        "detail": e.detail.clone().unwrap_or_default(),
        "audit_seq": e.audit_seq,
    })
}
