//! The data subject's portal: the links Waarborg mails to a person (verification, status,
//! download, preferences, unsubscribe), the requests that came in through the portal, and the
//! outbox of mails to send.
//!
//! A link carries a token of 32 random bytes (hex); only its SHA-256 is stored. A single-use
//! link is spent atomically by its first use ([`Store::use_link`]); every link expires.
//! Not audited: the case, consent and engine events a link leads to are.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

use crate::db::{Row, args};
use crate::deadline::{fmt_ts, micros, parse_ts};
use crate::{Error, Store};

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPurpose {
    /// Confirms the address of a new request (single use).
    Verify,
    /// Shows the status of one case.
    Status,
    /// Downloads the answer of one case (single use).
    Download,
    /// Opens the person's consent preferences.
    Preferences,
    /// Withdraws one consent in one click (RFC 8058).
    Unsubscribe,
}

impl LinkPurpose {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Verify => "verify",
            LinkPurpose::Status => "status",
            LinkPurpose::Download => "download",
            LinkPurpose::Preferences => "preferences",
            LinkPurpose::Unsubscribe => "unsubscribe",
        }
    }

    /// Whether the link is spent by its first use.
    pub fn single_use(self) -> bool {
        matches!(self, LinkPurpose::Verify | LinkPurpose::Download)
    }
}

/// A link to make.
#[derive(Debug, Clone)]
pub struct NewLink {
    /// What it is for.
    pub purpose: LinkPurpose,
    /// The normalised e-mail address it is sent to.
    pub subject: String,
    /// Verify: the request kind asked for (`access`, ...).
    pub kind: Option<String>,
    /// The person's language (`nl`, `en`).
    pub lang: String,
    /// Status, download: the case.
    pub case_id: Option<String>,
    /// Unsubscribe: the register's purpose.
    pub purpose_id: Option<String>,
}

/// A link, as its token finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Row id.
    pub id: i64,
    /// What it is for.
    pub purpose: String,
    /// The address it was sent to.
    pub subject: String,
    /// Verify: the request kind.
    pub kind: Option<String>,
    /// The person's language.
    pub lang: String,
    /// The case, if any.
    pub case_id: Option<String>,
    /// The register's purpose, if any.
    pub purpose_id: Option<String>,
    /// When it stops working (exclusive).
    pub expires_at: Timestamp,
}

/// A request that came in through the portal, with the case it opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalRequest {
    /// The case.
    pub case_id: String,
    /// The request kind.
    pub kind: String,
    /// The address.
    pub subject: String,
    /// The person's language.
    pub lang: String,
}

/// A mail to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// What it is (`verification`, `receipt`, `answer`, ...).
    pub kind: String,
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
    /// The one-click unsubscribe URL (RFC 8058), for a mail about a subscription.
    pub list_unsubscribe: Option<String>,
    /// The case it is about.
    pub case_id: Option<String>,
}

/// A mail in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Row id.
    pub id: i64,
    /// What it is.
    pub kind: String,
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The body.
    pub body: String,
    /// The one-click unsubscribe URL.
    pub list_unsubscribe: Option<String>,
    /// The case it is about.
    pub case_id: Option<String>,
    /// When queued.
    pub created_at: Timestamp,
    /// Failed attempts so far.
    pub attempts: i64,
    /// When it is (or was) due.
    pub next_attempt_at: Timestamp,
    /// When sent.
    pub sent_at: Option<Timestamp>,
    /// The last failure.
    pub last_error: Option<String>,
}

/// Counts of the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct OutboxCounts {
    /// Sent.
    pub sent: u64,
    /// Waiting for their first attempt.
    pub waiting: u64,
    /// Failed at least once and not sent yet (retried with backoff).
    pub failing: u64,
}

/// The hex SHA-256 of a link token.
fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().to_ascii_lowercase().as_bytes()))
}

/// The key under which a person's portal requests are joined: never the address itself.
pub fn subject_key(subject: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"waarborg-portal-subject-v1\0");
    h.update(subject.as_bytes());
    hex::encode(h.finalize())
}

fn random_token() -> Result<String, Error> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| {
        Error::Crypto(format!(
            "cannot get random bytes from the operating system: {e}"
        ))
    })?;
    Ok(hex::encode(buf))
}

fn well_formed(token: &str) -> bool {
    let t = token.trim();
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

fn row_to_link(r: &Row) -> Result<Link, Error> {
    Ok(Link {
        id: r.int("id")?,
        purpose: r.text("purpose")?,
        subject: r.text("subject")?,
        kind: r.opt_text("kind")?,
        lang: r.text("lang")?,
        case_id: r.opt_text("case_id")?,
        purpose_id: r.opt_text("purpose_id")?,
        expires_at: parse_ts(&r.text("expires_at")?)?,
    })
}

fn row_to_mail(r: &Row) -> Result<Mail, Error> {
    Ok(Mail {
        id: r.int("id")?,
        kind: r.text("kind")?,
        to: r.text("to_addr")?,
        subject: r.text("subject")?,
        body: r.text("body")?,
        list_unsubscribe: r.opt_text("list_unsubscribe")?,
        case_id: r.opt_text("case_id")?,
        created_at: parse_ts(&r.text("created_at")?)?,
        attempts: r.int("attempts")?,
        next_attempt_at: parse_ts(&r.text("next_attempt_at")?)?,
        sent_at: r.opt_text("sent_at")?.map(|s| parse_ts(&s)).transpose()?,
        last_error: r.opt_text("last_error")?,
    })
}

fn plus(at: Timestamp, d: Duration) -> Result<Timestamp, Error> {
    let d = SignedDuration::try_from(d)
        .map_err(|e| Error::Invalid(format!("duration out of range: {e}")))?;
    Ok(at.checked_add(d)?)
}

impl Store {
    /// Makes a link valid from `now` for `ttl`; returns its token (32 random bytes, hex: only
    /// its SHA-256 is stored).
    pub async fn create_link(
        &self,
        link: &NewLink,
        now: Timestamp,
        ttl: Duration,
    ) -> Result<String, Error> {
        if ttl.is_zero() {
            return Err(Error::Invalid("a link lasts longer than 0 seconds".into()));
        }
        let now = micros(now);
        let expires = plus(now, ttl)?;
        let token = random_token()?;
        let mut tx = self.pool.begin_write().await?;
        tx.exec(
            "INSERT INTO portal_tokens (token_sha256, purpose, single_use, subject, kind, lang, \
             case_id, purpose_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            args![
                token_hash(&token),
                link.purpose.as_str(),
                i64::from(link.purpose.single_use()),
                link.subject.as_str(),
                link.kind.clone(),
                link.lang.as_str(),
                link.case_id.clone(),
                link.purpose_id.clone(),
                fmt_ts(now),
                fmt_ts(expires)
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Uses the link of `token` for `purpose` at `now`. A single-use link is spent by this call
    /// (atomically: of two concurrent uses one wins). Fails with [`Error::LinkNotFound`] when
    /// the token is unknown or for another purpose, [`Error::LinkGone`] when it expired or was
    /// used.
    pub async fn use_link(
        &self,
        token: &str,
        purpose: LinkPurpose,
        now: Timestamp,
    ) -> Result<Link, Error> {
        if !well_formed(token) {
            return Err(Error::LinkNotFound);
        }
        let hash = token_hash(token);
        let now_s = fmt_ts(micros(now));
        let mut tx = self.pool.begin_write().await?;
        let row = tx
            .opt(
                "SELECT id, purpose, subject, kind, lang, case_id, purpose_id, expires_at, \
                 used_at, single_use FROM portal_tokens WHERE token_sha256 = $1",
                args![hash],
            )
            .await?;
        let Some(row) = row else {
            tx.commit().await?;
            return Err(Error::LinkNotFound);
        };
        let link = row_to_link(&row)?;
        if link.purpose != purpose.as_str() {
            tx.commit().await?;
            return Err(Error::LinkNotFound);
        }
        if fmt_ts(link.expires_at) <= now_s {
            tx.commit().await?;
            return Err(Error::LinkGone("the link has expired".into()));
        }
        if row.int("single_use")? != 0 {
            let n = tx
                .exec(
                    "UPDATE portal_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
                    args![now_s.as_str(), link.id],
                )
                .await?;
            if n == 0 {
                tx.commit().await?;
                return Err(Error::LinkGone("the link has been used already".into()));
            }
        } else if row.opt_text("used_at")?.is_none() {
            tx.exec(
                "UPDATE portal_tokens SET used_at = $1 WHERE id = $2",
                args![now_s.as_str(), link.id],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(link)
    }

    /// Deletes links that expired before `now`; returns how many.
    pub async fn purge_expired_links(&self, now: Timestamp) -> Result<u64, Error> {
        let mut tx = self.pool.begin_write().await?;
        let n = tx
            .exec(
                "DELETE FROM portal_tokens WHERE expires_at <= $1",
                args![fmt_ts(micros(now))],
            )
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Records that case `case_id` was opened through the portal for `subject`.
    pub async fn record_portal_request(
        &self,
        req: &PortalRequest,
        now: Timestamp,
    ) -> Result<(), Error> {
        let mut tx = self.pool.begin_write().await?;
        tx.exec(
            "INSERT INTO portal_requests (case_id, kind, subject_key, subject, lang, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            args![
                req.case_id.as_str(),
                req.kind.as_str(),
                subject_key(&req.subject),
                req.subject.as_str(),
                req.lang.as_str(),
                fmt_ts(micros(now))
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The open case of `kind` that `subject` asked for through the portal, if any (a new
    /// request of the same kind joins it).
    pub async fn open_portal_case(
        &self,
        subject: &str,
        kind: &str,
    ) -> Result<Option<String>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let row = tx
            .opt(
                "SELECT p.case_id AS case_id FROM portal_requests p \
                 JOIN cases c ON c.id = p.case_id \
                 WHERE p.subject_key = $1 AND p.kind = $2 \
                 AND c.status NOT IN ('done', 'rejected') \
                 ORDER BY p.created_at LIMIT 1",
                args![subject_key(subject), kind],
            )
            .await?;
        tx.commit().await?;
        row.map(|r| r.text("case_id")).transpose()
    }

    /// The portal request of case `case_id`, if the case came in through the portal.
    pub async fn portal_request(&self, case_id: &str) -> Result<Option<PortalRequest>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let row = tx
            .opt(
                "SELECT case_id, kind, subject, lang FROM portal_requests WHERE case_id = $1",
                args![case_id],
            )
            .await?;
        tx.commit().await?;
        row.map(|r| row_to_request(&r)).transpose()
    }

    /// Portal requests whose case is closed and whose answer was not mailed yet (at most
    /// `limit`).
    pub async fn unanswered_portal_requests(
        &self,
        limit: u32,
    ) -> Result<Vec<PortalRequest>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                "SELECT p.case_id AS case_id, p.kind AS kind, p.subject AS subject, p.lang AS lang \
                 FROM portal_requests p JOIN cases c ON c.id = p.case_id \
                 WHERE p.answered_at IS NULL AND c.status IN ('done', 'rejected') \
                 ORDER BY p.created_at LIMIT $1",
                args![i64::from(limit)],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(row_to_request).collect()
    }

    /// Marks the answer of a portal request as mailed, queueing `mail` in the same transaction;
    /// `false` when it was marked already (another worker won).
    pub async fn answer_portal_request(
        &self,
        case_id: &str,
        mail: &NewMail,
        now: Timestamp,
    ) -> Result<bool, Error> {
        self.mark_and_mail(case_id, Mark::Answered, mail, now).await
    }

    /// Open portal requests whose case was extended and whose person was not told yet (at
    /// most `limit`).
    pub async fn unnotified_extensions(&self, limit: u32) -> Result<Vec<PortalRequest>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                "SELECT p.case_id AS case_id, p.kind AS kind, p.subject AS subject, p.lang AS lang \
                 FROM portal_requests p JOIN cases c ON c.id = p.case_id \
                 WHERE p.extension_notified_at IS NULL AND c.extended = 1 \
                 AND c.status NOT IN ('done', 'rejected') \
                 ORDER BY p.created_at LIMIT $1",
                args![i64::from(limit)],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(row_to_request).collect()
    }

    /// Marks the extension notice of a portal request as mailed, queueing `mail` in the same
    /// transaction; `false` when it was marked already.
    pub async fn notify_extension(
        &self,
        case_id: &str,
        mail: &NewMail,
        now: Timestamp,
    ) -> Result<bool, Error> {
        self.mark_and_mail(case_id, Mark::ExtensionNotified, mail, now)
            .await
    }

    /// Sets the `mark` moment of a portal request when not set yet, queueing `mail` in the
    /// same transaction; `false` when it was set already (another worker won).
    async fn mark_and_mail(
        &self,
        case_id: &str,
        mark: Mark,
        mail: &NewMail,
        now: Timestamp,
    ) -> Result<bool, Error> {
        let now_s = fmt_ts(micros(now));
        let mut tx = self.pool.begin_write().await?;
        let n = tx
            .exec(mark.update_sql(), args![now_s.as_str(), case_id])
            .await?;
        if n == 0 {
            tx.commit().await?;
            return Ok(false);
        }
        insert_mail(&mut tx, mail, &now_s).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Queues a mail, due at once; returns its id.
    pub async fn enqueue_mail(&self, mail: &NewMail, now: Timestamp) -> Result<i64, Error> {
        let now_s = fmt_ts(micros(now));
        let mut tx = self.pool.begin_write().await?;
        let id = insert_mail(&mut tx, mail, &now_s).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Unsent mails due at `now`, oldest first (at most `limit`).
    pub async fn due_mails(&self, now: Timestamp, limit: u32) -> Result<Vec<Mail>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                "SELECT id, kind, to_addr, subject, body, list_unsubscribe, case_id, created_at, \
                 attempts, next_attempt_at, sent_at, last_error FROM outbox \
                 WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
                args![fmt_ts(micros(now)), i64::from(limit)],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(row_to_mail).collect()
    }

    /// Marks mail `id` as sent, and blanks its body and unsubscribe URL: they hold the live
    /// tokens of its links, which the store otherwise keeps only as hashes.
    pub async fn mail_sent(&self, id: i64, now: Timestamp) -> Result<(), Error> {
        let mut tx = self.pool.begin_write().await?;
        tx.exec(
            "UPDATE outbox SET sent_at = $1, body = '', list_unsubscribe = NULL \
             WHERE id = $2 AND sent_at IS NULL",
            args![fmt_ts(micros(now)), id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed attempt to send mail `id` (`error` must not hold the address) and when
    /// to try again.
    pub async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Timestamp,
    ) -> Result<(), Error> {
        let mut tx = self.pool.begin_write().await?;
        tx.exec(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 \
             WHERE id = $3 AND sent_at IS NULL",
            args![error, fmt_ts(micros(retry_at)), id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest mails, newest first (at most `limit`).
    pub async fn outbox(&self, limit: u32) -> Result<Vec<Mail>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                "SELECT id, kind, to_addr, subject, body, list_unsubscribe, case_id, created_at, \
                 attempts, next_attempt_at, sent_at, last_error FROM outbox \
                 ORDER BY id DESC LIMIT $1",
                args![i64::from(limit)],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(row_to_mail).collect()
    }

    /// How many mails are sent, waiting and failing.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts, Error> {
        let mut tx = self.pool.begin_read().await?;
        let r = tx
            .one(
                "SELECT \
                 COUNT(CASE WHEN sent_at IS NOT NULL THEN 1 END) AS sent, \
                 COUNT(CASE WHEN sent_at IS NULL AND attempts = 0 THEN 1 END) AS waiting, \
                 COUNT(CASE WHEN sent_at IS NULL AND attempts > 0 THEN 1 END) AS failing \
                 FROM outbox",
                args![],
            )
            .await?;
        tx.commit().await?;
        let n = |c: &str| -> Result<u64, Error> { Ok(u64::try_from(r.int(c)?).unwrap_or(0)) };
        Ok(OutboxCounts {
            sent: n("sent")?,
            waiting: n("waiting")?,
            failing: n("failing")?,
        })
    }
}

fn row_to_request(r: &Row) -> Result<PortalRequest, Error> {
    Ok(PortalRequest {
        case_id: r.text("case_id")?,
        kind: r.text("kind")?,
        subject: r.text("subject")?,
        lang: r.text("lang")?,
    })
}

async fn insert_mail(tx: &mut crate::db::Tx, mail: &NewMail, now_s: &str) -> Result<i64, Error> {
    let r = tx
        .one(
            "INSERT INTO outbox (kind, to_addr, subject, body, list_unsubscribe, case_id, \
             created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
            args![
                mail.kind.as_str(),
                mail.to.as_str(),
                mail.subject.as_str(),
                mail.body.as_str(),
                mail.list_unsubscribe.clone(),
                mail.case_id.clone(),
                now_s
            ],
        )
        .await?;
    r.int("id")
}

/// Which moment of a portal request a mail marks (a fixed statement, never user input).
#[derive(Clone, Copy)]
enum Mark {
    /// The answer was mailed.
    Answered,
    /// The extension notice was mailed.
    ExtensionNotified,
}

impl Mark {
    /// Sets the moment once: `$1` the moment, `$2` the case.
    fn update_sql(self) -> &'static str {
        match self {
            Mark::Answered => {
                "UPDATE portal_requests SET answered_at = $1 \
                 WHERE case_id = $2 AND answered_at IS NULL"
            }
            Mark::ExtensionNotified => {
                "UPDATE portal_requests SET extension_notified_at = $1 \
                 WHERE case_id = $2 AND extension_notified_at IS NULL"
            }
        }
    }
}
