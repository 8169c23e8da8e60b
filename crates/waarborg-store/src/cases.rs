//! Data-subject request cases: kinds, status machine, deadlines, claiming, retention.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use serde::{Deserialize, Serialize};

use crate::db::{Backend, Row, Tx, args};
use crate::deadline::{self, fmt_ts, now, parse_ts};
use crate::{Error, Store};

/// The kind of request (GDPR Arts. 15–21 and 7(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// Art. 15: access.
    Access,
    /// Art. 16: rectification.
    Rectification,
    /// Art. 17: erasure.
    Erasure,
    /// Art. 18: restriction of processing.
    Restriction,
    /// Art. 20: data portability.
    Portability,
    /// Art. 21: objection.
    Objection,
    /// Art. 7(3): withdrawal of consent.
    ConsentWithdrawal,
}

impl CaseKind {
    /// Every kind, in article order.
    pub const ALL: [CaseKind; 7] = [
        CaseKind::Access,
        CaseKind::Rectification,
        CaseKind::Erasure,
        CaseKind::Restriction,
        CaseKind::Portability,
        CaseKind::Objection,
        CaseKind::ConsentWithdrawal,
    ];

    /// The stored name (`access`, ..., `consent_withdrawal`).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Access => "access",
            CaseKind::Rectification => "rectification",
            CaseKind::Erasure => "erasure",
            CaseKind::Restriction => "restriction",
            CaseKind::Portability => "portability",
            CaseKind::Objection => "objection",
            CaseKind::ConsentWithdrawal => "consent_withdrawal",
        }
    }
}

impl fmt::Display for CaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CaseKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        CaseKind::ALL
            .into_iter()
            .find(|k| k.as_str() == norm)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "unknown case kind `{s}`; expected one of: {}",
                    CaseKind::ALL.map(CaseKind::as_str).join(", ")
                ))
            })
    }
}

/// Where a case is: received → verified → in_progress → done, or rejected from any open status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Received, identity not yet verified.
    Received,
    /// The subject's identity is verified.
    Verified,
    /// Claimed by a worker and being carried out.
    InProgress,
    /// Carried out (closed).
    Done,
    /// Refused, with reasons (closed).
    Rejected,
}

impl CaseStatus {
    /// Every status, in order.
    pub const ALL: [CaseStatus; 5] = [
        CaseStatus::Received,
        CaseStatus::Verified,
        CaseStatus::InProgress,
        CaseStatus::Done,
        CaseStatus::Rejected,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Received => "received",
            CaseStatus::Verified => "verified",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::Done => "done",
            CaseStatus::Rejected => "rejected",
        }
    }

    /// The statuses this one may become.
    pub fn next(self) -> &'static [CaseStatus] {
        match self {
            CaseStatus::Received => &[CaseStatus::Verified, CaseStatus::Rejected],
            CaseStatus::Verified => &[CaseStatus::InProgress, CaseStatus::Rejected],
            CaseStatus::InProgress => &[CaseStatus::Done, CaseStatus::Rejected],
            CaseStatus::Done | CaseStatus::Rejected => &[],
        }
    }

    /// Whether the case is closed (done or rejected).
    pub fn is_closed(self) -> bool {
        matches!(self, CaseStatus::Done | CaseStatus::Rejected)
    }
}

impl fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CaseStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        CaseStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == norm)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "unknown case status `{s}`; expected one of: {}",
                    CaseStatus::ALL.map(CaseStatus::as_str).join(", ")
                ))
            })
    }
}

/// The subject's identity as typed `key=value` pairs (`email=...`, `customer_id=...`).
///
/// Keep only what the case needs to find the subject's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Identity(pub BTreeMap<String, String>);

impl Identity {
    /// Parses `key=value` pairs. Keys are lower-case letters, digits, `_` and `.`.
    pub fn parse_pairs<I, S>(pairs: I) -> Result<Identity, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut map = BTreeMap::new();
        for pair in pairs {
            let pair = pair.as_ref();
            let (k, v) = pair.split_once('=').ok_or_else(|| {
                Error::Invalid(
                    "an identity is given as key=value, e.g. email=name@example.nl".into(),
                )
            })?;
            let k = k.trim();
            let key_ok = k.starts_with(|c: char| c.is_ascii_lowercase())
                && k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
            if !key_ok {
                return Err(Error::Invalid(format!(
                    "identity key `{k}` must be lower-case letters, digits, `_` or `.` (e.g. email, customer_id)"
                )));
            }
            let v = v.trim();
            if v.is_empty() {
                return Err(Error::Invalid(format!(
                    "identity key `{k}` has an empty value"
                )));
            }
            map.insert(k.to_string(), v.to_string());
        }
        Ok(Identity(map))
    }

    /// Whether no pair is given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A new case, for [`Store::open_case`].
#[derive(Debug, Clone)]
pub struct NewCase {
    /// The kind of request.
    pub kind: CaseKind,
    /// Who asks (at least one pair).
    pub subject: Identity,
    /// When the request arrived (letters, e-mails); `None` = now.
    pub received: Option<Timestamp>,
    /// The register's promised deadline (ISO 8601 duration), used when shorter than one month.
    pub promise: Option<Span>,
    /// A note on the request (what is asked), kept with the opening event.
    pub note: Option<String>,
}

impl NewCase {
    /// A case of `kind` for `subject`, received now, with the statutory deadline.
    pub fn new(kind: CaseKind, subject: Identity) -> NewCase {
        NewCase {
            kind,
            subject,
            received: None,
            promise: None,
            note: None,
        }
    }

    /// Sets when the request was received.
    pub fn received(mut self, at: Timestamp) -> NewCase {
        self.received = Some(at);
        self
    }

    /// Sets the register's promised deadline.
    pub fn promise(mut self, span: Option<Span>) -> NewCase {
        self.promise = span;
        self
    }

    /// Sets a note.
    pub fn note(mut self, note: impl Into<String>) -> NewCase {
        self.note = Some(note.into());
        self
    }
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// UUID v7.
    pub id: String,
    /// The kind of request.
    pub kind: CaseKind,
    /// Where it is.
    pub status: CaseStatus,
    /// Who asked; `None` once anonymised.
    pub subject: Option<Identity>,
    /// How the identity was verified.
    pub verification: Option<String>,
    /// When the request was received.
    pub received_at: Timestamp,
    /// The deadline in force, as an exclusive instant (start of the next day in Europe/Amsterdam).
    pub due_at: Timestamp,
    /// The last day (Europe/Amsterdam) on which the deadline in force is met.
    pub due_date: Date,
    /// The deadline before any extension.
    pub original_due_at: Timestamp,
    /// Whether the deadline was extended (at most once).
    pub extended: bool,
    /// The reason recorded for the extension.
    pub extension_reason: Option<String>,
    /// Reason for rejection or note on completion.
    pub outcome: Option<String>,
    /// Which worker claimed it.
    pub claimed_by: Option<String>,
    /// When it was claimed.
    pub claimed_at: Option<Timestamp>,
    /// When it was closed (done or rejected).
    pub closed_at: Option<Timestamp>,
    /// When its personal data were erased by the store's retention.
    pub anonymised_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Case {
    /// Whether the case is open and its deadline has passed at `now`.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        !self.status.is_closed() && now >= self.due_at
    }
}

/// One event in a case's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseEvent {
    /// Event number (store-wide).
    pub id: i64,
    /// The case.
    pub case_id: String,
    /// When.
    pub at: Timestamp,
    /// `opened`, `verified`, `started`, `extended`, `done`, `rejected`, `anonymised`.
    pub event: String,
    /// Status before.
    pub from_status: Option<CaseStatus>,
    /// Status after.
    pub to_status: CaseStatus,
    /// Reason or note; `None` once anonymised.
    pub detail: Option<String>,
    /// The audit entry that records it.
    pub audit_seq: i64,
}

/// Which cases [`Store::list_cases`] returns.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases with this status.
    pub status: Option<CaseStatus>,
    /// Only open cases whose deadline has passed at this time.
    pub overdue_at: Option<Timestamp>,
    /// Only open cases (not done or rejected).
    pub open_only: bool,
    /// Only cases of this kind.
    pub kind: Option<CaseKind>,
    /// At most this many (default: all), after skipping `offset`; a page of the list.
    pub limit: Option<u32>,
    /// Skip this many of the matching cases first (soonest due first).
    pub offset: u64,
}

impl CaseFilter {
    /// The statuses the filter lets through, as five bound values (repeated to fill the five
    /// places of `status IN ($1, ..., $5)`).
    fn statuses(&self) -> [&'static str; 5] {
        let open = [
            CaseStatus::Received,
            CaseStatus::Verified,
            CaseStatus::InProgress,
        ];
        let pick: &[CaseStatus] = match self.status {
            Some(s) if self.open_only && s.is_closed() => &[],
            Some(ref s) => std::slice::from_ref(s),
            None if self.open_only => &open,
            None => &CaseStatus::ALL,
        };
        // No status matches `-`: an empty choice lets nothing through.
        let mut out = ["-"; 5];
        for (slot, s) in out.iter_mut().zip(pick.iter().cycle()) {
            *slot = s.as_str();
        }
        out
    }
}

/// How many cases a [`CaseFilter`] matches (its `limit` and `offset` aside), and how many of
/// the open ones among them are overdue or due soon; see [`Store::count_cases`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CaseCounts {
    /// Cases matching the filter.
    pub total: u64,
    /// Open ones whose deadline has passed.
    pub overdue: u64,
    /// Open ones not overdue but due by the moment given as `soon`.
    pub due_soon: u64,
}

/// What [`Store::purge_closed_cases`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PurgeReport {
    /// Cases closed before this time were anonymised.
    pub cutoff: Timestamp,
    /// The ids of the cases anonymised now.
    pub anonymised: Vec<String>,
    /// Audit payloads erased (their digests stay in the chain).
    pub erased_payloads: u64,
}

macro_rules! case_cols {
    () => {
        "id, kind, status, subject, verification, received_at, due_at, original_due_at, extended, \
         extension_reason, outcome, claimed_by, claimed_at, closed_at, anonymised_at, updated_at"
    };
}

fn opt_ts(v: Option<String>) -> Result<Option<Timestamp>, Error> {
    v.as_deref().map(parse_ts).transpose()
}

fn row_to_case(row: &Row) -> Result<Case, Error> {
    let subject = match row.opt_text("subject")? {
        Some(s) => Some(
            serde_json::from_str::<Identity>(&s)
                .map_err(|e| Error::Corrupt(format!("case subject: {e}")))?,
        ),
        None => None,
    };
    let due_at = parse_ts(&row.text("due_at")?)?;
    Ok(Case {
        id: row.text("id")?,
        kind: row.text("kind")?.parse()?,
        status: row.text("status")?.parse()?,
        subject,
        verification: row.opt_text("verification")?,
        received_at: parse_ts(&row.text("received_at")?)?,
        due_at,
        due_date: deadline::last_day(due_at)?,
        original_due_at: parse_ts(&row.text("original_due_at")?)?,
        extended: row.int("extended")? != 0,
        extension_reason: row.opt_text("extension_reason")?,
        outcome: row.opt_text("outcome")?,
        claimed_by: row.opt_text("claimed_by")?,
        claimed_at: opt_ts(row.opt_text("claimed_at")?)?,
        closed_at: opt_ts(row.opt_text("closed_at")?)?,
        anonymised_at: opt_ts(row.opt_text("anonymised_at")?)?,
        updated_at: parse_ts(&row.text("updated_at")?)?,
    })
}

fn row_to_event(row: &Row) -> Result<CaseEvent, Error> {
    Ok(CaseEvent {
        id: row.int("id")?,
        case_id: row.text("case_id")?,
        at: parse_ts(&row.text("at")?)?,
        event: row.text("event")?,
        from_status: row
            .opt_text("from_status")?
            .map(|s| s.parse())
            .transpose()?,
        to_status: row.text("to_status")?.parse()?,
        detail: row.opt_text("detail")?,
        audit_seq: row.int("audit_seq")?,
    })
}

/// Resolves a full id or a unique prefix (at least 8 characters) to the full id.
async fn resolve_id(tx: &mut Tx, id: &str) -> Result<String, Error> {
    let id = id.trim();
    if !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(Error::CaseNotFound(id.to_string()));
    }
    if id.len() < 8 {
        return Err(Error::Invalid(format!(
            "`{id}` is too short to find a case: give the case id or at least its first 8 characters"
        )));
    }
    let rows = tx
        .all(
            "SELECT id FROM cases WHERE id LIKE $1 ORDER BY id LIMIT 2",
            args![format!("{}%", id.to_ascii_lowercase())],
        )
        .await?;
    match rows.as_slice() {
        [one] => one.text("id"),
        [] => Err(Error::CaseNotFound(id.to_string())),
        _ => Err(Error::AmbiguousCase(id.to_string())),
    }
}

async fn load_case(tx: &mut Tx, id: &str, lock: bool) -> Result<Case, Error> {
    let row = if lock && tx.backend() == Backend::Postgres {
        tx.opt(
            concat!(
                "SELECT ",
                case_cols!(),
                " FROM cases WHERE id = $1 FOR UPDATE"
            ),
            args![id],
        )
        .await?
    } else {
        tx.opt(
            concat!("SELECT ", case_cols!(), " FROM cases WHERE id = $1"),
            args![id],
        )
        .await?
    };
    row_to_case(&row.ok_or_else(|| Error::CaseNotFound(id.to_string()))?)
}

impl Store {
    /// Appends the audit entry and the case event for one transition, inside `tx`.
    #[allow(clippy::too_many_arguments)]
    async fn case_event(
        &self,
        tx: &mut Tx,
        case_id: &str,
        event: &str,
        from: Option<CaseStatus>,
        to: CaseStatus,
        detail: Option<&str>,
        extra: serde_json::Value,
    ) -> Result<i64, Error> {
        let at = fmt_ts(now());
        let payload = serde_json::json!({
            "case_id": case_id,
            "event": event,
            "from": from.map(CaseStatus::as_str),
            "to": to.as_str(),
            "detail": detail,
            "data": extra,
            "salt": crate::audit::salt(),
        });
        let kind = format!("case.{event}");
        let entry = self.audit(tx, &kind, &payload).await?;
        tx.exec(
            "INSERT INTO case_events (case_id, at, event, from_status, to_status, detail, audit_seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            args![case_id, at, event, from.map(CaseStatus::as_str), to.as_str(), detail, entry.seq],
        )
        .await?;
        Ok(entry.seq)
    }

    /// Opens a case. The deadline is one calendar month after receipt in Europe/Amsterdam, or
    /// the register's `promise` when that is shorter.
    pub async fn open_case(&self, new: NewCase) -> Result<Case, Error> {
        if new.subject.is_empty() {
            return Err(Error::Invalid(
                "a case needs the subject's identity, e.g. email=name@example.nl".into(),
            ));
        }
        let received = deadline::micros(new.received.unwrap_or_else(now));
        let due = deadline::due(received, new.promise)?;
        let at = now();
        if received > at.checked_add(jiff::SignedDuration::from_hours(24))? {
            return Err(Error::Invalid(
                "a request cannot be received in the future".into(),
            ));
        }
        let id = uuid::Uuid::now_v7().to_string();
        let subject = serde_json::to_string(&new.subject)
            .map_err(|e| Error::Invalid(format!("identity: {e}")))?;
        let mut tx = self.pool.begin_write().await?;
        tx.exec(
            "INSERT INTO cases (id, kind, status, subject, received_at, due_at, original_due_at, extended, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, 0, $7)",
            args![
                id.as_str(),
                new.kind.as_str(),
                CaseStatus::Received.as_str(),
                subject,
                fmt_ts(received),
                fmt_ts(due),
                fmt_ts(at)
            ],
        )
        .await?;
        let extra = serde_json::json!({
            "kind": new.kind.as_str(),
            "subject": new.subject,
            "received_at": fmt_ts(received),
            "due_at": fmt_ts(due),
            "promise": new.promise.map(|p| p.to_string()),
        });
        self.case_event(
            &mut tx,
            &id,
            "opened",
            None,
            CaseStatus::Received,
            new.note.as_deref(),
            extra,
        )
        .await?;
        let case = load_case(&mut tx, &id, false).await?;
        tx.commit().await?;
        Ok(case)
    }

    /// One case, by full id or a unique prefix of at least 8 characters.
    pub async fn case(&self, id: &str) -> Result<Case, Error> {
        let mut tx = self.pool.begin_read().await?;
        let id = resolve_id(&mut tx, id).await?;
        let case = load_case(&mut tx, &id, false).await?;
        tx.commit().await?;
        Ok(case)
    }

    /// A case's events, oldest first.
    pub async fn case_events(&self, id: &str) -> Result<Vec<CaseEvent>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let id = resolve_id(&mut tx, id).await?;
        let rows = tx
            .all(
                "SELECT id, case_id, at, event, from_status, to_status, detail, audit_seq \
                 FROM case_events WHERE case_id = $1 ORDER BY id",
                args![id],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(row_to_event).collect()
    }

    /// Cases, soonest due first (then by id). Status, kind, limit and offset are applied in
    /// SQL, so a page of the queue reads only the rows it shows (served by the `cases_due`
    /// index).
    pub async fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = match filter.overdue_at {
            Some(at) => {
                tx.all(
                    concat!(
                        "SELECT ",
                        case_cols!(),
                        " FROM cases WHERE status IN ('received', 'verified', 'in_progress') \
                         AND due_at <= $1 ORDER BY due_at, id"
                    ),
                    args![fmt_ts(at)],
                )
                .await?
            }
            None => {
                let [s1, s2, s3, s4, s5] = filter.statuses();
                let limit = filter.limit.map_or(i64::MAX, i64::from);
                let offset = i64::try_from(filter.offset).unwrap_or(i64::MAX);
                let kind = filter.kind.map_or("", CaseKind::as_str);
                let args = args![s1, s2, s3, s4, s5, kind, limit, offset];
                // SQLite without statistics would pick the (status, due_at) index and sort
                // every open case; walking `cases_due` stops after one page.
                match tx.backend() {
                    Backend::Sqlite => {
                        tx.all(
                            concat!(
                                "SELECT ",
                                case_cols!(),
                                " FROM cases INDEXED BY cases_due \
                                 WHERE status IN ($1, $2, $3, $4, $5) AND ($6 = '' OR kind = $6) \
                                 ORDER BY due_at, id LIMIT $7 OFFSET $8"
                            ),
                            args,
                        )
                        .await?
                    }
                    Backend::Postgres => {
                        tx.all(
                            concat!(
                                "SELECT ",
                                case_cols!(),
                                " FROM cases \
                                 WHERE status IN ($1, $2, $3, $4, $5) AND ($6 = '' OR kind = $6) \
                                 ORDER BY due_at, id LIMIT $7 OFFSET $8"
                            ),
                            args,
                        )
                        .await?
                    }
                }
            }
        };
        tx.commit().await?;
        let mut cases = Vec::with_capacity(rows.len());
        for row in &rows {
            let c = row_to_case(row)?;
            if filter.status.is_some_and(|s| s != c.status)
                || (filter.open_only && c.status.is_closed())
                || filter.kind.is_some_and(|k| k != c.kind)
            {
                continue;
            }
            cases.push(c);
        }
        if filter.overdue_at.is_some() {
            let skip = usize::try_from(filter.offset).unwrap_or(usize::MAX);
            let take = filter
                .limit
                .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
            cases = cases.into_iter().skip(skip).take(take).collect();
        }
        Ok(cases)
    }

    /// How many cases `filter` matches (its limit and offset aside; its `overdue_at` too), and
    /// how many of the open ones are overdue at `now` or due by `soon`: the queue's counts,
    /// from the index alone.
    pub async fn count_cases(
        &self,
        filter: &CaseFilter,
        now: Timestamp,
        soon: Timestamp,
    ) -> Result<CaseCounts, Error> {
        let [s1, s2, s3, s4, s5] = filter.statuses();
        let kind = filter.kind.map_or("", CaseKind::as_str);
        let mut tx = self.pool.begin_read().await?;
        let row = tx
            .one(
                "SELECT COUNT(*) AS total, \
                 COALESCE(SUM(CASE WHEN status IN ('received', 'verified', 'in_progress') \
                   AND due_at <= $7 THEN 1 ELSE 0 END), 0) AS overdue, \
                 COALESCE(SUM(CASE WHEN status IN ('received', 'verified', 'in_progress') \
                   AND due_at > $7 AND due_at <= $8 THEN 1 ELSE 0 END), 0) AS due_soon \
                 FROM cases WHERE status IN ($1, $2, $3, $4, $5) AND ($6 = '' OR kind = $6)",
                args![s1, s2, s3, s4, s5, kind, fmt_ts(now), fmt_ts(soon)],
            )
            .await?;
        tx.commit().await?;
        let n = |col: &str| -> Result<u64, Error> { Ok(u64::try_from(row.int(col)?).unwrap_or(0)) };
        Ok(CaseCounts {
            total: n("total")?,
            overdue: n("overdue")?,
            due_soon: n("due_soon")?,
        })
    }

    /// Open cases whose deadline has passed at `now`.
    pub async fn overdue_cases(&self, now: Timestamp) -> Result<Vec<Case>, Error> {
        self.list_cases(&CaseFilter {
            overdue_at: Some(now),
            ..CaseFilter::default()
        })
        .await
    }

    /// Moves a case to `to`, checking the status machine; one event + audit entry.
    async fn transition(
        &self,
        id: &str,
        to: CaseStatus,
        event: &str,
        detail: Option<&str>,
        verification: Option<&str>,
        worker: Option<&str>,
    ) -> Result<Case, Error> {
        let mut tx = self.pool.begin_write().await?;
        let case = self
            .transition_in(&mut tx, id, to, event, detail, verification, worker)
            .await?;
        tx.commit().await?;
        Ok(case)
    }

    /// [`Store::transition`] inside the caller's transaction (which may record more with it).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn transition_in(
        &self,
        tx: &mut Tx,
        id: &str,
        to: CaseStatus,
        event: &str,
        detail: Option<&str>,
        verification: Option<&str>,
        worker: Option<&str>,
    ) -> Result<Case, Error> {
        let id = resolve_id(tx, id).await?;
        let case = load_case(tx, &id, true).await?;
        if !case.status.next().contains(&to) {
            return Err(Error::InvalidTransition {
                id,
                from: case.status,
                to,
                allowed: allowed(case.status),
            });
        }
        let at = fmt_ts(now());
        let closed_at = to.is_closed().then(|| at.clone());
        let claimed_at = worker.map(|_| at.clone());
        let n = tx
            .exec(
                "UPDATE cases SET status = $2, updated_at = $3, \
                 verification = COALESCE($4, verification), \
                 claimed_by = COALESCE($5, claimed_by), claimed_at = COALESCE($6, claimed_at), \
                 outcome = COALESCE($7, outcome), closed_at = COALESCE($8, closed_at) \
                 WHERE id = $1 AND status = $9",
                args![
                    id.as_str(),
                    to.as_str(),
                    at.as_str(),
                    verification,
                    worker,
                    claimed_at,
                    detail,
                    closed_at,
                    case.status.as_str()
                ],
            )
            .await?;
        if n != 1 {
            return Err(Error::Corrupt(format!("case {id} changed under a lock")));
        }
        let extra = serde_json::json!({ "verification": verification, "worker": worker });
        self.case_event(tx, &id, event, Some(case.status), to, detail, extra)
            .await?;
        load_case(tx, &id, false).await
    }

    /// received → verified, recording how the identity was verified (e.g. `email-link`).
    pub async fn verify_case(&self, id: &str, method: &str) -> Result<Case, Error> {
        if method.trim().is_empty() {
            return Err(Error::Invalid(
                "say how the identity was verified (e.g. email-link)".into(),
            ));
        }
        self.transition(
            id,
            CaseStatus::Verified,
            "verified",
            None,
            Some(method),
            None,
        )
        .await
    }

    /// verified → in_progress for this case, claimed by `worker`.
    pub async fn start_case(&self, id: &str, worker: &str) -> Result<Case, Error> {
        self.transition(
            id,
            CaseStatus::InProgress,
            "started",
            None,
            None,
            Some(worker),
        )
        .await
    }

    /// in_progress → done, with an optional note.
    pub async fn close_case(&self, id: &str, note: Option<&str>) -> Result<Case, Error> {
        self.transition(id, CaseStatus::Done, "done", note, None, None)
            .await
    }

    /// Any open status → rejected, with the reasons (GDPR Art. 12(4)).
    pub async fn reject_case(&self, id: &str, reason: &str) -> Result<Case, Error> {
        if reason.trim().is_empty() {
            return Err(Error::Invalid(
                "a rejection needs its reasons (GDPR Art. 12(4)); give --reason".into(),
            ));
        }
        self.transition(
            id,
            CaseStatus::Rejected,
            "rejected",
            Some(reason),
            None,
            None,
        )
        .await
    }

    /// Claims the verified case with the earliest deadline for `worker` (verified →
    /// in_progress). Two processes never get the same case: PostgreSQL locks the row with
    /// `FOR UPDATE SKIP LOCKED`, SQLite runs the claim in a `BEGIN IMMEDIATE` transaction with an
    /// `UPDATE ... WHERE status = 'verified'`.
    pub async fn claim_next(&self, worker: &str) -> Result<Option<Case>, Error> {
        if worker.trim().is_empty() {
            return Err(Error::Invalid("a claim needs a worker name".into()));
        }
        let mut tx = self.pool.begin_write().await?;
        let at = fmt_ts(now());
        let id = match tx.backend() {
            Backend::Postgres => {
                let Some(row) = tx
                    .opt(
                        "SELECT id FROM cases WHERE status = 'verified' ORDER BY due_at, id \
                         LIMIT 1 FOR UPDATE SKIP LOCKED",
                        args![],
                    )
                    .await?
                else {
                    return Ok(None);
                };
                let id = row.text("id")?;
                tx.exec(
                    "UPDATE cases SET status = 'in_progress', claimed_by = $2, claimed_at = $3, updated_at = $3 \
                     WHERE id = $1 AND status = 'verified'",
                    args![id.as_str(), worker, at.as_str()],
                )
                .await?;
                id
            }
            Backend::Sqlite => {
                let Some(row) = tx
                    .opt(
                        "UPDATE cases SET status = 'in_progress', claimed_by = $1, claimed_at = $2, updated_at = $2 \
                         WHERE id = (SELECT id FROM cases WHERE status = 'verified' ORDER BY due_at, id LIMIT 1) \
                         AND status = 'verified' RETURNING id",
                        args![worker, at.as_str()],
                    )
                    .await?
                else {
                    return Ok(None);
                };
                row.text("id")?
            }
        };
        let extra = serde_json::json!({ "worker": worker, "claimed": true });
        self.case_event(
            &mut tx,
            &id,
            "started",
            Some(CaseStatus::Verified),
            CaseStatus::InProgress,
            None,
            extra,
        )
        .await?;
        let case = load_case(&mut tx, &id, false).await?;
        tx.commit().await?;
        Ok(Some(case))
    }

    /// Extends the deadline by `months` (1 or 2) further months, counted from receipt, with the
    /// reason told to the subject. Allowed once, and only while the first deadline has not
    /// passed at `now` (GDPR Art. 12(3): the subject is told within the first month).
    pub async fn extend_case(
        &self,
        id: &str,
        months: u8,
        reason: &str,
        now: Timestamp,
    ) -> Result<Case, Error> {
        if reason.trim().is_empty() {
            return Err(Error::Invalid(
                "an extension needs the reason told to the subject (GDPR Art. 12(3)); give --reason".into(),
            ));
        }
        let mut tx = self.pool.begin_write().await?;
        let id = resolve_id(&mut tx, id).await?;
        let case = load_case(&mut tx, &id, true).await?;
        let refuse = |reason: String| Error::ExtensionRefused {
            id: id.clone(),
            reason,
        };
        if case.status.is_closed() {
            return Err(refuse(format!("it is already {}", case.status)));
        }
        if case.extended {
            return Err(refuse(
                "it was already extended; the law allows one extension of at most two months"
                    .into(),
            ));
        }
        if now >= case.original_due_at {
            return Err(refuse(format!(
                "its first deadline ({}) has passed; an extension must be announced within the first month",
                deadline::last_day(case.original_due_at)?
            )));
        }
        let due = deadline::extended_due(case.received_at, months)?.max(case.due_at);
        let at = fmt_ts(deadline::now());
        tx.exec(
            "UPDATE cases SET due_at = $2, extended = 1, extension_reason = $3, updated_at = $4 \
             WHERE id = $1 AND extended = 0",
            args![id.as_str(), fmt_ts(due), reason, at],
        )
        .await?;
        let extra = serde_json::json!({ "months": months, "due_at": fmt_ts(due) });
        self.case_event(
            &mut tx,
            &id,
            "extended",
            Some(case.status),
            case.status,
            Some(reason),
            extra,
        )
        .await?;
        let case = load_case(&mut tx, &id, false).await?;
        tx.commit().await?;
        Ok(case)
    }

    /// The store's own retention: cases closed longer than `period` before `now` (default
    /// [`crate::DEFAULT_EVIDENCE_PERIOD`]) are reduced to an anonymous record. Their identity,
    /// verification, reasons and the payloads of their audit entries are erased; kind, dates,
    /// statuses and the chain (with the payload digests) stay, so `verify_audit` still passes.
    pub async fn purge_closed_cases(
        &self,
        now: Timestamp,
        period: Option<Span>,
    ) -> Result<PurgeReport, Error> {
        let period = match period {
            Some(p) => p,
            None => deadline::parse_duration(crate::DEFAULT_EVIDENCE_PERIOD)?,
        };
        let cutoff = now
            .to_zoned(deadline::amsterdam()?)
            .checked_sub(period)?
            .timestamp();
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                "SELECT id FROM cases WHERE status IN ('done', 'rejected') AND anonymised_at IS NULL \
                 AND closed_at < $1 ORDER BY closed_at, id",
                args![fmt_ts(cutoff)],
            )
            .await?;
        tx.commit().await?;
        let mut report = PurgeReport {
            cutoff,
            anonymised: Vec::new(),
            erased_payloads: 0,
        };
        for row in &rows {
            let id = row.text("id")?;
            let mut tx = self.pool.begin_write().await?;
            let case = load_case(&mut tx, &id, true).await?;
            if case.anonymised_at.is_some() {
                continue;
            }
            let at = fmt_ts(deadline::now());
            tx.exec(
                "UPDATE cases SET subject = NULL, verification = NULL, extension_reason = NULL, \
                 outcome = NULL, claimed_by = NULL, anonymised_at = $2, updated_at = $2 WHERE id = $1",
                args![id.as_str(), at],
            )
            .await?;
            tx.exec(
                "UPDATE case_events SET detail = NULL WHERE case_id = $1",
                args![id.as_str()],
            )
            .await?;
            // The portal's record of the request holds the address too, and its links.
            tx.exec(
                "DELETE FROM portal_requests WHERE case_id = $1",
                args![id.as_str()],
            )
            .await?;
            tx.exec(
                "DELETE FROM portal_tokens WHERE case_id = $1",
                args![id.as_str()],
            )
            .await?;
            tx.exec(
                "UPDATE outbox SET to_addr = '', body = '' WHERE case_id = $1",
                args![id.as_str()],
            )
            .await?;
            let erased = tx
                .exec(
                    "UPDATE audit_log SET payload = NULL WHERE payload IS NOT NULL AND seq IN \
                     (SELECT audit_seq FROM case_events WHERE case_id = $1)",
                    args![id.as_str()],
                )
                .await?;
            let kept = kept_commitment_in(&mut tx, &id).await?;
            let extra = serde_json::json!({
                "erased_payloads": erased,
                "period": period.to_string(),
                "kept_sha256": kept,
            });
            self.case_event(
                &mut tx,
                &id,
                "anonymised",
                Some(case.status),
                case.status,
                None,
                extra,
            )
            .await?;
            tx.commit().await?;
            report.anonymised.push(id);
            report.erased_payloads += erased;
        }
        Ok(report)
    }
}

/// The commitment to a case's rows (see [`crate::records::kept_commitment`]), read in `tx`.
async fn kept_commitment_in(tx: &mut Tx, id: &str) -> Result<String, Error> {
    let r = tx
        .one(
            "SELECT id, kind, status, received_at, due_at, original_due_at, extended \
             FROM cases WHERE id = $1",
            args![id],
        )
        .await?;
    let case = crate::records::CaseRow {
        id: r.text("id")?,
        kind: r.text("kind")?,
        status: r.text("status")?,
        subject: None,
        received_at: r.text("received_at")?,
        due_at: r.text("due_at")?,
        original_due_at: r.text("original_due_at")?,
        extended: r.int("extended")? != 0,
    };
    let events = tx
        .all(
            "SELECT id, case_id, event, from_status, to_status, audit_seq \
             FROM case_events WHERE case_id = $1 ORDER BY audit_seq",
            args![id],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(crate::records::CaseEventRow {
                id: r.int("id")?,
                case_id: r.text("case_id")?,
                event: r.text("event")?,
                from_status: r.opt_text("from_status")?,
                to_status: r.text("to_status")?,
                detail: None,
                audit_seq: r.int("audit_seq")?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let refs: Vec<&crate::records::CaseEventRow> = events.iter().collect();
    Ok(crate::records::kept_commitment(&case, &refs))
}

fn allowed(s: CaseStatus) -> String {
    let next = s.next();
    if next.is_empty() {
        "nothing, the case is closed".to_string()
    } else {
        next.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
