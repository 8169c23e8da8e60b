//! The consent ledger: append-only events; the state in force is a fold over them.

use std::fmt;

use jiff::Timestamp;
use serde::Serialize;

use crate::audit::sha256_hex;
use crate::db::{Backend, Row, Tx, args};
use crate::deadline::{fmt_ts, now, parse_ts};
use crate::store::check_sha256;
use crate::{Error, Store};

/// What a consent event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentAction {
    /// Consent was given.
    Granted,
    /// Consent was withdrawn (all consents for the purpose; GDPR Art. 7(3)).
    Withdrawn,
    /// Data were processed under a consent.
    Used,
}

impl ConsentAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentAction::Granted => "granted",
            ConsentAction::Withdrawn => "withdrawn",
            ConsentAction::Used => "used",
        }
    }
}

impl fmt::Display for ConsentAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far a consent reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum ConsentScope {
    /// Until withdrawn.
    Standing,
    /// For one use: one object shared with one recipient (e.g. one whitepaper download shared
    /// with its sponsor). Used up by its first use.
    SingleUse {
        /// The one object (e.g. `whitepaper-2026-privacy`).
        object: String,
        /// The one recipient (e.g. `sponsor:acme`).
        recipient: String,
    },
}

/// A consent given, for [`Store::grant_consent`].
#[derive(Debug, Clone)]
pub struct ConsentGrant {
    /// Who consents (a pseudonymous subject key is best, e.g. `customer:123`).
    pub subject: String,
    /// The register's purpose id.
    pub purpose: String,
    /// Standing or single use.
    pub scope: ConsentScope,
    /// Hex SHA-256 of the register version in force when consent was asked.
    pub register_hash: Option<String>,
    /// The wording shown (kept, and its SHA-256 computed), or
    pub wording: Option<String>,
    /// only the SHA-256 of the wording shown.
    pub wording_sha256: Option<String>,
    /// Where it was given (`web-form`, `letter`, `phone`, ...).
    pub source: String,
}

/// A use of data under consent, for [`Store::use_consent`].
#[derive(Debug, Clone)]
pub struct ConsentUse {
    /// Whose data.
    pub subject: String,
    /// The purpose.
    pub purpose: String,
    /// For a single-use consent: the object ...
    pub object: Option<String>,
    /// ... and the recipient.
    pub recipient: Option<String>,
    /// Which process used it.
    pub source: String,
}

/// One consent event as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsentEvent {
    /// Event number.
    pub id: i64,
    /// The subject.
    pub subject: String,
    /// The purpose.
    pub purpose: String,
    /// What happened.
    pub action: ConsentAction,
    /// Scope of a grant or of a use.
    pub scope: Option<ConsentScope>,
    /// For a use: the grant it used.
    pub grant_id: Option<i64>,
    /// The register version hash.
    pub register_hash: Option<String>,
    /// SHA-256 of the wording shown.
    pub wording_sha256: Option<String>,
    /// The wording shown, when kept.
    pub wording: Option<String>,
    /// Where it came from.
    pub source: String,
    /// When.
    pub at: Timestamp,
    /// Its audit entry.
    pub audit_seq: i64,
}

/// Counts of one purpose over the whole ledger (see [`Store::consent_summary`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PurposeSummary {
    /// The purpose.
    pub purpose: String,
    /// People with any event for it.
    pub people: u64,
    /// People with a standing consent in force.
    pub standing: u64,
    /// People whose consent was withdrawn and who have none in force.
    pub withdrawn: u64,
    /// Single-use consents given and not yet used or withdrawn.
    pub single_use_open: u64,
    /// Single-use consents used.
    pub single_use_used: u64,
}

/// The consent in force for one subject and purpose: a fold over its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsentState {
    /// The subject.
    pub subject: String,
    /// The purpose.
    pub purpose: String,
    /// The standing grant in force, if any.
    pub standing: Option<ConsentEvent>,
    /// Single-use grants not yet used or withdrawn.
    pub open_single_use: Vec<ConsentEvent>,
    /// Single-use grants used up.
    pub used_single_use: Vec<ConsentEvent>,
    /// The last withdrawal, if any.
    pub withdrawn_at: Option<Timestamp>,
    /// How many events the state is folded from.
    pub events: usize,
}

impl ConsentState {
    /// Whether any consent is in force.
    pub fn in_force(&self) -> bool {
        self.standing.is_some() || !self.open_single_use.is_empty()
    }

    /// Folds the events of one subject and purpose (in event order).
    pub fn fold(subject: &str, purpose: &str, events: &[ConsentEvent]) -> ConsentState {
        let mut s = ConsentState {
            subject: subject.to_string(),
            purpose: purpose.to_string(),
            standing: None,
            open_single_use: Vec::new(),
            used_single_use: Vec::new(),
            withdrawn_at: None,
            events: events.len(),
        };
        for e in events {
            match (e.action, &e.scope) {
                (ConsentAction::Granted, Some(ConsentScope::SingleUse { .. })) => {
                    s.open_single_use.push(e.clone())
                }
                (ConsentAction::Granted, _) => s.standing = Some(e.clone()),
                (ConsentAction::Withdrawn, _) => {
                    s.standing = None;
                    s.open_single_use.clear();
                    s.withdrawn_at = Some(e.at);
                }
                (ConsentAction::Used, _) => {
                    if let Some(pos) = s
                        .open_single_use
                        .iter()
                        .position(|g| Some(g.id) == e.grant_id)
                    {
                        let g = s.open_single_use.remove(pos);
                        s.used_single_use.push(g);
                    }
                }
            }
        }
        s
    }
}

fn row_to_event(row: &Row) -> Result<ConsentEvent, Error> {
    let action = match row.text("action")?.as_str() {
        "granted" => ConsentAction::Granted,
        "withdrawn" => ConsentAction::Withdrawn,
        "used" => ConsentAction::Used,
        other => return Err(Error::Corrupt(format!("consent action `{other}`"))),
    };
    let scope = match row.opt_text("scope")?.as_deref() {
        None => None,
        Some("standing") => Some(ConsentScope::Standing),
        Some("single_use") => Some(ConsentScope::SingleUse {
            object: row.opt_text("object")?.unwrap_or_default(),
            recipient: row.opt_text("recipient")?.unwrap_or_default(),
        }),
        Some(other) => return Err(Error::Corrupt(format!("consent scope `{other}`"))),
    };
    Ok(ConsentEvent {
        id: row.int("id")?,
        subject: row.text("subject")?,
        purpose: row.text("purpose")?,
        action,
        scope,
        grant_id: row.opt_int("grant_id")?,
        register_hash: row.opt_text("register_hash")?,
        wording_sha256: row.opt_text("wording_sha256")?,
        wording: row.opt_text("wording")?,
        source: row.text("source")?,
        at: parse_ts(&row.text("at")?)?,
        audit_seq: row.int("audit_seq")?,
    })
}

macro_rules! consent_cols {
    () => {
        "id, subject, purpose, action, scope, object, recipient, grant_id, register_hash, \
         wording_sha256, wording, source, at, audit_seq"
    };
}

async fn events_of(tx: &mut Tx, subject: &str, purpose: &str) -> Result<Vec<ConsentEvent>, Error> {
    let rows = tx
        .all(
            concat!(
                "SELECT ",
                consent_cols!(),
                " FROM consent_events WHERE subject = $1 AND purpose = $2 ORDER BY id"
            ),
            args![subject, purpose],
        )
        .await?;
    rows.iter().map(row_to_event).collect()
}

fn need(what: &str, v: &str) -> Result<(), Error> {
    if v.trim().is_empty() {
        Err(Error::Invalid(format!("a consent event needs a {what}")))
    } else {
        Ok(())
    }
}

/// The fields of one event to write.
struct Write<'a> {
    subject: &'a str,
    purpose: &'a str,
    action: ConsentAction,
    scope: Option<&'a ConsentScope>,
    grant_id: Option<i64>,
    register_hash: Option<&'a str>,
    wording_sha256: Option<&'a str>,
    wording: Option<&'a str>,
    source: &'a str,
}

impl Store {
    /// Begins a write transaction that holds the audit head lock from the start, so that the
    /// state read and the event written cannot interleave with another writer.
    async fn begin_consent(&self) -> Result<Tx, Error> {
        let mut tx = self.pool.begin_write().await?;
        if tx.backend() == Backend::Postgres {
            tx.exec(
                "SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE",
                args![],
            )
            .await?;
        }
        Ok(tx)
    }

    async fn write_consent(&self, tx: &mut Tx, w: Write<'_>) -> Result<ConsentEvent, Error> {
        let at = fmt_ts(now());
        let (scope, object, recipient) = match w.scope {
            None => (None, None, None),
            Some(ConsentScope::Standing) => (Some("standing"), None, None),
            Some(ConsentScope::SingleUse { object, recipient }) => (
                Some("single_use"),
                Some(object.as_str()),
                Some(recipient.as_str()),
            ),
        };
        let payload = serde_json::json!({
            "subject": w.subject,
            "purpose": w.purpose,
            "action": w.action.as_str(),
            "scope": scope,
            "object": object,
            "recipient": recipient,
            "grant_id": w.grant_id,
            "register_hash": w.register_hash,
            "wording_sha256": w.wording_sha256,
            "source": w.source,
            "at": at,
            "salt": crate::audit::salt(),
        });
        let kind = format!("consent.{}", w.action.as_str());
        let entry = self.audit(tx, &kind, &payload).await?;
        let row = tx
            .one(
                concat!(
                    "INSERT INTO consent_events (subject, purpose, action, scope, object, recipient, grant_id, \
                     register_hash, wording_sha256, wording, source, at, audit_seq) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ",
                    consent_cols!()
                ),
                args![
                    w.subject,
                    w.purpose,
                    w.action.as_str(),
                    scope,
                    object,
                    recipient,
                    w.grant_id,
                    w.register_hash,
                    w.wording_sha256,
                    w.wording,
                    w.source,
                    at,
                    entry.seq
                ],
            )
            .await?;
        row_to_event(&row)
    }

    /// Records a consent given. The wording shown is kept (and hashed), or only its hash.
    pub async fn grant_consent(&self, g: &ConsentGrant) -> Result<ConsentEvent, Error> {
        need("subject", &g.subject)?;
        need("purpose", &g.purpose)?;
        need("source", &g.source)?;
        if let ConsentScope::SingleUse { object, recipient } = &g.scope {
            need("object for a single-use consent", object)?;
            need("recipient for a single-use consent", recipient)?;
        }
        if let Some(h) = &g.register_hash {
            check_sha256(h, "register hash")?;
        }
        if let Some(w) = &g.wording {
            // An empty wording is no evidence of what the person agreed to (Art. 7(1)).
            need(
                "wording that is not empty (the text shown to the person)",
                w,
            )?;
        }
        let computed = g.wording.as_deref().map(|w| sha256_hex(w.as_bytes()));
        let wording_sha256 = match (&computed, &g.wording_sha256) {
            (Some(c), Some(given)) if !c.eq_ignore_ascii_case(given) => {
                return Err(Error::Invalid(
                    "the wording does not match the wording hash given".into(),
                ));
            }
            (Some(c), _) => c.clone(),
            (None, Some(given)) => {
                check_sha256(given, "wording hash")?;
                given.to_ascii_lowercase()
            }
            (None, None) => {
                return Err(Error::Invalid(
                    "a consent must record the wording shown (its text or its SHA-256; GDPR Art. 7(1))".into(),
                ));
            }
        };
        let mut tx = self.begin_consent().await?;
        let e = self
            .write_consent(
                &mut tx,
                Write {
                    subject: &g.subject,
                    purpose: &g.purpose,
                    action: ConsentAction::Granted,
                    scope: Some(&g.scope),
                    grant_id: None,
                    register_hash: g.register_hash.as_deref(),
                    wording_sha256: Some(&wording_sha256),
                    wording: g.wording.as_deref(),
                    source: &g.source,
                },
            )
            .await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Records a withdrawal: every consent of the subject for the purpose ends (GDPR Art. 7(3)).
    /// Always recorded, also when nothing was in force.
    pub async fn withdraw_consent(
        &self,
        subject: &str,
        purpose: &str,
        source: &str,
    ) -> Result<ConsentEvent, Error> {
        need("subject", subject)?;
        need("purpose", purpose)?;
        need("source", source)?;
        let mut tx = self.begin_consent().await?;
        let e = self
            .write_consent(
                &mut tx,
                Write {
                    subject,
                    purpose,
                    action: ConsentAction::Withdrawn,
                    scope: None,
                    grant_id: None,
                    register_hash: None,
                    wording_sha256: None,
                    wording: None,
                    source,
                },
            )
            .await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Records a use of data under consent, after checking that consent is in force.
    ///
    /// With an object and recipient, an open single-use consent for exactly those is used up
    /// (a second use fails with [`Error::ConsentUsedUp`]); otherwise a standing consent must be
    /// in force ([`Error::NoConsent`]).
    pub async fn use_consent(&self, u: &ConsentUse) -> Result<ConsentEvent, Error> {
        need("subject", &u.subject)?;
        need("purpose", &u.purpose)?;
        need("source", &u.source)?;
        let mut tx = self.begin_consent().await?;
        let events = events_of(&mut tx, &u.subject, &u.purpose).await?;
        let state = ConsentState::fold(&u.subject, &u.purpose, &events);
        let (grant, scope) = match (&u.object, &u.recipient) {
            (Some(object), Some(recipient)) => {
                let tied = |g: &&ConsentEvent| {
                    matches!(&g.scope, Some(ConsentScope::SingleUse { object: o, recipient: r })
                        if o == object && r == recipient)
                };
                if let Some(g) = state.open_single_use.iter().find(tied) {
                    (g.id, g.scope.clone())
                } else if let Some(g) = &state.standing {
                    (g.id, Some(ConsentScope::Standing))
                } else if let Some(g) = state.used_single_use.iter().rev().find(|g| tied(g))
                    && state.withdrawn_at.is_none_or(|w| w < g.at)
                {
                    return Err(Error::ConsentUsedUp {
                        purpose: u.purpose.clone(),
                        object: object.clone(),
                        recipient: recipient.clone(),
                    });
                } else {
                    // After a withdrawal, say so: "already used" would send the operator the
                    // wrong way (the person said no, not yes once).
                    let withdrawn = if state.withdrawn_at.is_some() {
                        "; the consent for this purpose was withdrawn"
                    } else {
                        ""
                    };
                    return Err(Error::NoConsent {
                        purpose: u.purpose.clone(),
                        detail: format!(
                            " for object {object} and recipient {recipient}{withdrawn}"
                        ),
                    });
                }
            }
            (None, None) => match &state.standing {
                Some(g) => (g.id, Some(ConsentScope::Standing)),
                None => {
                    return Err(Error::NoConsent {
                        purpose: u.purpose.clone(),
                        detail: if state.open_single_use.is_empty() {
                            String::new()
                        } else {
                            " (only single-use consent: name the object and the recipient)".into()
                        },
                    });
                }
            },
            _ => {
                return Err(Error::Invalid(
                    "a single-use consent is used with both an object and a recipient".into(),
                ));
            }
        };
        let e = self
            .write_consent(
                &mut tx,
                Write {
                    subject: &u.subject,
                    purpose: &u.purpose,
                    action: ConsentAction::Used,
                    scope: scope.as_ref(),
                    grant_id: Some(grant),
                    register_hash: None,
                    wording_sha256: None,
                    wording: None,
                    source: &u.source,
                },
            )
            .await?;
        tx.commit().await?;
        Ok(e)
    }

    /// The consent in force for a subject: for one purpose, or for every purpose with events.
    pub async fn consent_state(
        &self,
        subject: &str,
        purpose: Option<&str>,
    ) -> Result<Vec<ConsentState>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let purposes: Vec<String> = match purpose {
            Some(p) => vec![p.to_string()],
            None => {
                let rows = tx
                    .all(
                        "SELECT DISTINCT purpose FROM consent_events WHERE subject = $1 ORDER BY purpose",
                        args![subject],
                    )
                    .await?;
                rows.iter()
                    .map(|r| r.text("purpose"))
                    .collect::<Result<_, _>>()?
            }
        };
        let mut out = Vec::with_capacity(purposes.len());
        for p in &purposes {
            let events = events_of(&mut tx, subject, p).await?;
            out.push(ConsentState::fold(subject, p, &events));
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Counts per purpose over the whole ledger, for a dashboard: people with a standing
    /// consent in force, people whose consent was withdrawn and is not in force, single-use
    /// consents open and used. Folds every person's events, so it reads the whole ledger.
    pub async fn consent_summary(&self) -> Result<Vec<PurposeSummary>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                concat!(
                    "SELECT ",
                    consent_cols!(),
                    " FROM consent_events ORDER BY purpose, subject, id"
                ),
                args![],
            )
            .await?;
        tx.commit().await?;
        let events = rows
            .iter()
            .map(row_to_event)
            .collect::<Result<Vec<_>, _>>()?;
        let mut out: Vec<PurposeSummary> = Vec::new();
        for group in events.chunk_by(|a, b| a.purpose == b.purpose && a.subject == b.subject) {
            let Some(first) = group.first() else { continue };
            let state = ConsentState::fold(&first.subject, &first.purpose, group);
            if out.last().is_none_or(|s| s.purpose != first.purpose) {
                out.push(PurposeSummary {
                    purpose: first.purpose.clone(),
                    ..PurposeSummary::default()
                });
            }
            if let Some(s) = out.last_mut() {
                s.people += 1;
                if state.standing.is_some() {
                    s.standing += 1;
                } else if state.withdrawn_at.is_some() && !state.in_force() {
                    s.withdrawn += 1;
                }
                s.single_use_open += state.open_single_use.len() as u64;
                s.single_use_used += state.used_single_use.len() as u64;
            }
        }
        Ok(out)
    }

    /// All events of a subject and purpose, oldest first.
    pub async fn consent_events(
        &self,
        subject: &str,
        purpose: &str,
    ) -> Result<Vec<ConsentEvent>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let events = events_of(&mut tx, subject, purpose).await?;
        tx.commit().await?;
        Ok(events)
    }
}
