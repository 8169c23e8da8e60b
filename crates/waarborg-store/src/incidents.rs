//! The breach register (GDPR Art. 33(5)): every personal-data breach, notified or not, with
//! its facts, its assessment (Art. 33(1), 34), the 72-hour clock to the Autoriteit
//! Persoonsgegevens and the notifications made.
//!
//! An incident's row holds its whole current state as one JSON document; every change writes
//! the document after it as an event, in one transaction with an audit entry (`incident.<event>`)
//! that commits to the document's SHA-256. `verify_audit` checks that each event matches its
//! entry and that each incident row is the document its last event left.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::audit::{Problem, ProblemKind, sha256_hex};
use crate::db::{Backend, Tx, args};
use crate::deadline::{fmt_ts, now, parse_ts};
use crate::{Error, Store};

/// The Art. 33(1) period: 72 hours from becoming aware, in calendar hours.
pub const AP_PERIOD: SignedDuration = SignedDuration::from_hours(72);

/// What happened to the data (the AP form's "nature of the breach").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// Read by someone not entitled to.
    Read,
    /// Copied.
    Copied,
    /// Altered.
    Altered,
    /// Deleted or destroyed.
    Deleted,
    /// Lost.
    Lost,
    /// Stolen.
    Stolen,
    /// Sent to the wrong person.
    Misdirected,
}

impl Nature {
    /// Every nature.
    pub const ALL: [Nature; 7] = [
        Nature::Read,
        Nature::Copied,
        Nature::Altered,
        Nature::Deleted,
        Nature::Lost,
        Nature::Stolen,
        Nature::Misdirected,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Nature::Read => "read",
            Nature::Copied => "copied",
            Nature::Altered => "altered",
            Nature::Deleted => "deleted",
            Nature::Lost => "lost",
            Nature::Stolen => "stolen",
            Nature::Misdirected => "misdirected",
        }
    }
}

impl std::str::FromStr for Nature {
    type Err = Error;
    fn from_str(s: &str) -> Result<Nature, Error> {
        Nature::ALL
            .into_iter()
            .find(|n| n.as_str() == s.trim())
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "unknown nature `{s}`; one of read, copied, altered, deleted, lost, stolen, misdirected"
                ))
            })
    }
}

/// The facts of an incident, as far as known; every field may be filled in later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentFacts {
    /// When the breach was discovered (may be before the organisation became aware of it as a
    /// personal-data breach).
    pub discovered_at: Option<Timestamp>,
    /// Who reported it (a role or department; no need for a name).
    pub reported_by: Option<String>,
    /// Whether it is still going on.
    pub ongoing: Option<bool>,
    /// What happened to the data.
    pub nature: Vec<Nature>,
    /// The systems involved.
    pub systems: Vec<String>,
    /// Data categories (the register's fideslang keys).
    pub categories: Vec<String>,
    /// Whether special categories (Art. 9) or criminal data (Art. 10) are involved.
    pub special_categories: bool,
    /// Whether the citizen service number (BSN) is involved.
    pub bsn: bool,
    /// Approximate number of people affected: at least.
    pub people_min: Option<u64>,
    /// Approximate number of people affected: at most.
    pub people_max: Option<u64>,
    /// Approximate number of records: at least.
    pub records_min: Option<u64>,
    /// Approximate number of records: at most.
    pub records_max: Option<u64>,
    /// Groups of people affected (customers, employees, children, patients, ...).
    pub groups: Vec<String>,
    /// Whether the data was encrypted or hashed so that it is unintelligible (Art. 34(3)(a)).
    pub encrypted: Option<bool>,
    /// Likely consequences for the people.
    pub consequences: Option<String>,
    /// Measures taken.
    pub measures_taken: Option<String>,
    /// Measures planned.
    pub measures_planned: Option<String>,
    /// Cross-border aspects (other EU countries, lead authority).
    pub cross_border: Option<String>,
    /// The DPO or contact for the AP and the people.
    pub contact: Option<String>,
    /// The register's processor activities involved (ids): data processed for other
    /// controllers, each of whom must be told (Art. 33(2)).
    pub processor_activities: Vec<String>,
}

/// The risk to the people's rights and freedoms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Unlikely to result in a risk: documented, not notified (Art. 33(1)).
    None,
    /// A risk: notify the AP.
    Risk,
    /// A high risk: notify the AP and inform the people (Art. 34(1)).
    High,
}

impl std::str::FromStr for Risk {
    type Err = Error;
    fn from_str(s: &str) -> Result<Risk, Error> {
        match s.trim() {
            "none" => Ok(Risk::None),
            "risk" => Ok(Risk::Risk),
            "high" => Ok(Risk::High),
            other => Err(Error::Invalid(format!(
                "unknown risk `{other}`; one of none, risk, high"
            ))),
        }
    }
}

/// The assessment of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// The risk.
    pub risk: Risk,
    /// Why.
    pub reasons: String,
    /// Whether to notify the AP (Art. 33(1)).
    pub notify_ap: bool,
    /// Why (or why not).
    pub notify_ap_reason: String,
    /// Whether to inform the people (Art. 34).
    pub inform_people: bool,
    /// Why (or why not: encrypted, risk contained, disproportionate effort, Art. 34(3)).
    pub inform_people_reason: String,
    /// When assessed.
    pub at: Timestamp,
}

/// A notification to the AP (the first, then follow-ups in phases, Art. 33(4)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// 1 for the first notification, 2... for follow-ups.
    pub phase: u32,
    /// When it was sent.
    pub at: Timestamp,
    /// The AP's reference, when given.
    pub reference: Option<String>,
    /// The reason for the delay, when later than 72 hours after awareness (Art. 33(1)).
    pub late_reason: Option<String>,
}

/// A controller told of the breach by us as its processor (Art. 33(2)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControllerTold {
    /// The register's processor activity the controller belongs to.
    pub activity: String,
    /// When the controller was told.
    pub at: Timestamp,
    /// How (e-mail to the contact in the agreement, phone, portal).
    pub how: String,
}

/// The state of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    /// Being handled.
    Open,
    /// Notified to the AP (follow-ups may come).
    Notified,
    /// Closed.
    Closed,
}

impl IncidentStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Open => "open",
            IncidentStatus::Notified => "notified",
            IncidentStatus::Closed => "closed",
        }
    }
}

/// An incident in the breach register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// The id (UUID v7).
    pub id: String,
    /// What happened, in a sentence.
    pub summary: String,
    /// When the organisation became aware of the breach; the 72 hours count from here.
    pub aware_at: Timestamp,
    /// `aware_at` + 72 hours.
    pub ap_deadline: Timestamp,
    /// The state.
    pub status: IncidentStatus,
    /// The facts.
    pub facts: IncidentFacts,
    /// The assessment, once made.
    pub assessment: Option<Assessment>,
    /// Notifications to the AP.
    pub notifications: Vec<Notification>,
    /// When and how the people were informed (Art. 34), if they were.
    pub people_informed: Option<(Timestamp, String)>,
    /// The controllers told, when we are their processor (Art. 33(2)).
    #[serde(default)]
    pub controllers_told: Vec<ControllerTold>,
    /// A closing note.
    pub closing_note: Option<String>,
    /// When recorded.
    pub created_at: Timestamp,
}

impl Incident {
    /// Whether the AP must still be notified: not assessed yet (to be safe) or assessed as to
    /// notify, and no notification made.
    pub fn ap_notification_due(&self) -> bool {
        self.status != IncidentStatus::Closed
            && self.notifications.is_empty()
            && self.assessment.as_ref().is_none_or(|a| a.notify_ap)
    }

    /// The processor activities named in the facts whose controller has not been told yet.
    pub fn controllers_not_told(&self) -> impl Iterator<Item = &str> {
        self.facts
            .processor_activities
            .iter()
            .filter(|a| !self.controllers_told.iter().any(|t| t.activity == **a))
            .map(String::as_str)
    }

    /// Whether the AP deadline has passed without the notification that is due.
    pub fn ap_overdue(&self, now: Timestamp) -> bool {
        self.ap_notification_due() && now >= self.ap_deadline
    }
}

/// One event in an incident's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentEvent {
    /// When.
    pub at: Timestamp,
    /// What: opened, updated, assessed, notified, informed, closed.
    pub event: String,
    /// The incident after it.
    pub incident: Incident,
    /// Its audit entry.
    pub audit_seq: i64,
    /// Who made the change (none for events recorded before this was kept).
    pub actor: Option<String>,
}

fn doc_of(i: &Incident) -> Result<String, Error> {
    serde_json::to_string(i).map_err(|e| Error::Invalid(format!("incident: {e}")))
}

fn parse_doc(text: &str) -> Result<Incident, Error> {
    serde_json::from_str(text).map_err(|e| Error::Corrupt(format!("incident document: {e}")))
}

fn need(what: &str, v: &str) -> Result<(), Error> {
    if v.trim().is_empty() {
        Err(Error::Invalid(format!("{what} is needed")))
    } else {
        Ok(())
    }
}

impl Store {
    /// Records a new incident; the AP deadline is `aware_at` + 72 hours.
    pub async fn open_incident(
        &self,
        actor: &str,
        summary: &str,
        aware_at: Timestamp,
        facts: IncidentFacts,
    ) -> Result<Incident, Error> {
        need("who records the breach", actor)?;
        need("a summary of what happened", summary)?;
        let at = now();
        if aware_at > at + SignedDuration::from_mins(5) {
            return Err(Error::Invalid(
                "the moment of becoming aware lies in the future; give it with its offset, e.g. 2026-03-28T12:00:00+01:00".into(),
            ));
        }
        let incident = Incident {
            id: uuid::Uuid::now_v7().to_string(),
            summary: summary.trim().to_string(),
            aware_at,
            ap_deadline: aware_at + AP_PERIOD,
            status: IncidentStatus::Open,
            facts,
            assessment: None,
            notifications: Vec::new(),
            people_informed: None,
            controllers_told: Vec::new(),
            closing_note: None,
            created_at: at,
        };
        let doc = doc_of(&incident)?;
        let mut tx = self.pool.begin_write().await?;
        tx.exec(
            "INSERT INTO incidents (id, summary, aware_at, ap_deadline, status, doc, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            args![
                incident.id.as_str(),
                incident.summary.as_str(),
                fmt_ts(incident.aware_at),
                fmt_ts(incident.ap_deadline),
                incident.status.as_str(),
                doc.as_str(),
                fmt_ts(at)
            ],
        )
        .await?;
        self.incident_event(&mut tx, &incident, "opened", actor, &doc, at)
            .await?;
        tx.commit().await?;
        Ok(incident)
    }

    async fn incident_event(
        &self,
        tx: &mut Tx,
        incident: &Incident,
        event: &str,
        actor: &str,
        doc: &str,
        at: Timestamp,
    ) -> Result<(), Error> {
        let payload = serde_json::json!({
            "incident": incident.id,
            "event": event,
            "actor": actor,
            "status": incident.status.as_str(),
            "doc_sha256": sha256_hex(doc.as_bytes()),
        });
        let entry = self
            .audit(tx, &format!("incident.{event}"), &payload)
            .await?;
        tx.exec(
            "INSERT INTO incident_events (incident_id, at, event, doc, audit_seq, actor) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            args![
                incident.id.as_str(),
                fmt_ts(at),
                event,
                doc,
                entry.seq,
                actor
            ],
        )
        .await?;
        Ok(())
    }

    /// Loads, changes and writes an incident in one transaction, with its event and audit entry.
    async fn change_incident<F>(
        &self,
        id: &str,
        event: &str,
        actor: &str,
        f: F,
    ) -> Result<Incident, Error>
    where
        F: FnOnce(&mut Incident, Timestamp) -> Result<(), Error>,
    {
        need("who makes the change", actor)?;
        let mut tx = self.pool.begin_write().await?;
        let row = match tx.backend() {
            Backend::Postgres => {
                tx.opt(
                    "SELECT doc FROM incidents WHERE id = $1 FOR UPDATE",
                    args![id.trim()],
                )
                .await?
            }
            Backend::Sqlite => {
                tx.opt("SELECT doc FROM incidents WHERE id = $1", args![id.trim()])
                    .await?
            }
        };
        let Some(row) = row else {
            return Err(Error::IncidentNotFound(id.trim().to_string()));
        };
        let mut incident = parse_doc(&row.text("doc")?)?;
        if incident.status == IncidentStatus::Closed {
            return Err(Error::Invalid(format!(
                "incident {} is closed; it stays in the register as it is",
                incident.id
            )));
        }
        let at = now();
        f(&mut incident, at)?;
        let doc = doc_of(&incident)?;
        tx.exec(
            "UPDATE incidents SET summary = $2, status = $3, doc = $4, updated_at = $5 WHERE id = $1",
            args![
                incident.id.as_str(),
                incident.summary.as_str(),
                incident.status.as_str(),
                doc.as_str(),
                fmt_ts(at)
            ],
        )
        .await?;
        self.incident_event(&mut tx, &incident, event, actor, &doc, at)
            .await?;
        tx.commit().await?;
        Ok(incident)
    }

    /// Replaces the facts of an incident (and its summary, when given).
    pub async fn update_incident(
        &self,
        actor: &str,
        id: &str,
        summary: Option<&str>,
        facts: IncidentFacts,
    ) -> Result<Incident, Error> {
        self.change_incident(id, "updated", actor, |i, _| {
            if let Some(s) = summary {
                need("a summary", s)?;
                i.summary = s.trim().to_string();
            }
            i.facts = facts;
            Ok(())
        })
        .await
    }

    /// Records the assessment (Art. 33(1), 34). Every decision needs its reason; a high risk
    /// without informing the people needs an Art. 34(3) reason.
    pub async fn assess_incident(
        &self,
        actor: &str,
        id: &str,
        mut a: Assessment,
    ) -> Result<Incident, Error> {
        need("the reasons for the risk assessment", &a.reasons)?;
        need(
            "the reason to notify the AP or not (Art. 33(1))",
            &a.notify_ap_reason,
        )?;
        need(
            "the reason to inform the people or not (Art. 34)",
            &a.inform_people_reason,
        )?;
        if a.risk != Risk::None && !a.notify_ap {
            return Err(Error::Invalid(
                "a breach that is likely to result in a risk is notified to the AP (Art. 33(1)); only `risk none` is not".into(),
            ));
        }
        if a.risk == Risk::High && !a.notify_ap {
            return Err(Error::Invalid("a high risk is notified to the AP".into()));
        }
        self.change_incident(id, "assessed", actor, |i, at| {
            a.at = at;
            i.assessment = Some(a);
            Ok(())
        })
        .await
    }

    /// Records a notification to the AP at `at` (the first, or a follow-up). The first one after
    /// the 72 hours needs the reason for the delay (Art. 33(1)).
    pub async fn record_ap_notification(
        &self,
        actor: &str,
        id: &str,
        at: Timestamp,
        reference: Option<&str>,
        late_reason: Option<&str>,
    ) -> Result<Incident, Error> {
        self.change_incident(id, "notified", actor, |i, _| {
            let late_reason = late_reason.map(str::trim).filter(|r| !r.is_empty());
            if i.notifications.is_empty() && at > i.ap_deadline && late_reason.is_none() {
                let deadline = crate::deadline::amsterdam()
                    .map(|tz| {
                        i.ap_deadline
                            .to_zoned(tz)
                            .strftime("%Y-%m-%dT%H:%M:%S%:z")
                            .to_string()
                    })
                    .unwrap_or_else(|_| i.ap_deadline.to_string());
                return Err(Error::Invalid(format!(
                    "the notification comes after the deadline ({deadline}); give the reason for the delay (Art. 33(1))"
                )));
            }
            if at < i.aware_at {
                return Err(Error::Invalid(
                    "a notification cannot be made before the breach was known".into(),
                ));
            }
            let phase = u32::try_from(i.notifications.len()).unwrap_or(u32::MAX - 1) + 1;
            i.notifications.push(Notification {
                phase,
                at,
                reference: reference.map(String::from),
                late_reason: late_reason.map(String::from),
            });
            i.status = IncidentStatus::Notified;
            Ok(())
        })
        .await
    }

    /// Records that the people were informed (Art. 34), and how (letter, e-mail, public notice).
    pub async fn record_people_informed(
        &self,
        actor: &str,
        id: &str,
        at: Timestamp,
        how: &str,
    ) -> Result<Incident, Error> {
        need("how the people were informed", how)?;
        self.change_incident(id, "informed", actor, |i, _| {
            i.people_informed = Some((at, how.trim().to_string()));
            Ok(())
        })
        .await
    }

    /// Records that the controller of processor activity `activity` was told of the breach at
    /// `at` (Art. 33(2)), and how. The activity must be one the incident's facts name.
    pub async fn record_controller_told(
        &self,
        actor: &str,
        id: &str,
        activity: &str,
        at: Timestamp,
        how: &str,
    ) -> Result<Incident, Error> {
        need("how the controller was told", how)?;
        self.change_incident(id, "controller_told", actor, |i, _| {
            let activity = activity.trim();
            if !i.facts.processor_activities.iter().any(|a| a == activity) {
                return Err(Error::Invalid(format!(
                    "the incident's facts name no processor activity `{activity}`; add it to the facts first (`waarborg breach update --processor-activity {activity}`)"
                )));
            }
            if at < i.aware_at {
                return Err(Error::Invalid(
                    "a controller cannot be told before the breach was known".into(),
                ));
            }
            i.controllers_told.push(ControllerTold {
                activity: activity.to_string(),
                at,
                how: how.trim().to_string(),
            });
            Ok(())
        })
        .await
    }

    /// Closes an incident with a note; it stays in the register.
    pub async fn close_incident(
        &self,
        actor: &str,
        id: &str,
        note: &str,
    ) -> Result<Incident, Error> {
        need("a closing note", note)?;
        self.change_incident(id, "closed", actor, |i, _| {
            if i.assessment.is_none() {
                return Err(Error::Invalid(
                    "assess the incident before closing it (`waarborg breach assess`)".into(),
                ));
            }
            if i.ap_notification_due() {
                return Err(Error::Invalid(
                    "the assessment says to notify the AP; record the notification first".into(),
                ));
            }
            if let Some(a) = i.controllers_not_told().next() {
                return Err(Error::Invalid(format!(
                    "the controller of processor activity `{a}` has not been told (Art. 33(2)); record that first (`waarborg breach tell-controller`)"
                )));
            }
            i.closing_note = Some(note.trim().to_string());
            i.status = IncidentStatus::Closed;
            Ok(())
        })
        .await
    }

    /// One incident.
    pub async fn incident(&self, id: &str) -> Result<Incident, Error> {
        let mut tx = self.pool.begin_read().await?;
        let row = tx
            .opt("SELECT doc FROM incidents WHERE id = $1", args![id.trim()])
            .await?;
        tx.commit().await?;
        match row {
            Some(r) => parse_doc(&r.text("doc")?),
            None => Err(Error::IncidentNotFound(id.trim().to_string())),
        }
    }

    /// Every incident, the earliest AP deadline first (the Art. 33(5) register).
    pub async fn incidents(&self) -> Result<Vec<Incident>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                "SELECT doc FROM incidents ORDER BY ap_deadline, id",
                args![],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(|r| parse_doc(&r.text("doc")?)).collect()
    }

    /// An incident's history, oldest first.
    pub async fn incident_events(&self, id: &str) -> Result<Vec<IncidentEvent>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                "SELECT at, event, doc, audit_seq, actor FROM incident_events WHERE incident_id = $1 ORDER BY id",
                args![id.trim()],
            )
            .await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(IncidentEvent {
                    at: parse_ts(&r.text("at")?)?,
                    event: r.text("event")?,
                    incident: parse_doc(&r.text("doc")?)?,
                    audit_seq: r.int("audit_seq")?,
                    actor: r.opt_text("actor")?,
                })
            })
            .collect()
    }
}

/// Cross-checks incidents against the audit trail: each event's document hash is the one its
/// entry committed to, every `incident.*` entry has its event, and each incident row is the
/// document its last event left.
pub(crate) async fn check(
    tx: &mut Tx,
    entries: &[(i64, String, Option<String>)],
) -> Result<Vec<Problem>, Error> {
    let mut problems = Vec::new();
    let events = tx
        .all(
            "SELECT id, incident_id, event, doc, audit_seq, actor FROM incident_events ORDER BY id",
            args![],
        )
        .await?;
    let mut last: std::collections::BTreeMap<String, (i64, String)> = Default::default();
    let mut seen = std::collections::BTreeSet::new();
    let by_seq: std::collections::BTreeMap<i64, &(i64, String, Option<String>)> =
        entries.iter().map(|e| (e.0, e)).collect();
    for r in &events {
        let seq = r.int("audit_seq")?;
        let incident = r.text("incident_id")?;
        let doc = r.text("doc")?;
        seen.insert(seq);
        let committed = by_seq
            .get(&seq)
            .and_then(|e| e.2.as_deref())
            .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok());
        match committed {
            None => problems.push(Problem {
                seq,
                kind: ProblemKind::RecordChanged,
                message: format!(
                    "incident {incident}: event {} has no audit entry recording it",
                    r.int("id")?
                ),
            }),
            Some(p) => {
                let want = p.get("doc_sha256").and_then(|v| v.as_str()).unwrap_or("");
                // Entries written before the actor was kept carry none; from then on the
                // event's actor is the one the entry committed to.
                let actor_changed = p.get("actor").is_some_and(|a| {
                    a.as_str().map(String::from) != r.opt_text("actor").ok().flatten()
                });
                if want != sha256_hex(doc.as_bytes())
                    || p.get("incident").and_then(|v| v.as_str()) != Some(incident.as_str())
                    || actor_changed
                {
                    problems.push(Problem {
                        seq,
                        kind: ProblemKind::RecordChanged,
                        message: format!(
                            "incident {incident}: the event recorded at seq {seq} was changed after it was written"
                        ),
                    });
                }
            }
        }
        let e = last.entry(incident).or_insert((seq, doc.clone()));
        if seq >= e.0 {
            *e = (seq, doc);
        }
    }
    for (seq, kind, _) in entries {
        if kind.starts_with("incident.") && !seen.contains(seq) {
            problems.push(Problem {
                seq: *seq,
                kind: ProblemKind::RecordChanged,
                message: format!("the incident event recorded at seq {seq} is missing"),
            });
        }
    }
    let rows = tx
        .all("SELECT id, doc FROM incidents ORDER BY id", args![])
        .await?;
    for r in &rows {
        let id = r.text("id")?;
        let doc = r.text("doc")?;
        match last.get(&id) {
            Some((seq, d)) if *d == doc => {
                let _ = seq;
            }
            Some((seq, _)) => problems.push(Problem {
                seq: *seq,
                kind: ProblemKind::RecordChanged,
                message: format!(
                    "incident {id} differs from the state its last recorded event left"
                ),
            }),
            None => problems.push(Problem {
                seq: 0,
                kind: ProblemKind::RecordChanged,
                message: format!("incident {id} has no recorded events"),
            }),
        }
    }
    Ok(problems)
}
