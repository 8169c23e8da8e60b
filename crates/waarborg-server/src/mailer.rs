//! Sending the outbox over SMTP (lettre), with retries and backoff: a mail that fails stays in
//! the outbox with its error (without the address) and is tried again later, 30 seconds after
//! the first failure, doubling up to an hour; the officer sees failures on `/mail`.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use waarborg_app::AppError;
use waarborg_store::Mail;

use crate::state::AppState;

/// An SMTP relay to send through.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `smtp://host:port` (plain SMTP, e.g. to a relay on the organisation's own
    /// network or the demo's sink), sending from `from`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, AppError> {
        let rest = url.strip_prefix("smtp://").ok_or_else(|| {
            AppError::invalid(format!("--smtp takes smtp://host:port (got `{url}`)"))
        })?;
        let rest = rest.trim_end_matches('/');
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>().map_err(|_| {
                    AppError::invalid(format!("--smtp: `{p}` is not a port number"))
                })?,
            ),
            None => (rest, 25),
        };
        if host.is_empty() {
            return Err(AppError::invalid("--smtp names no host"));
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| {
            AppError::invalid(format!(
                "the sender address `{from}` is not an address: {e}"
            ))
        })?;
        Ok(Mailer { transport, from })
    }

    /// Sends one mail; the error names no address.
    pub async fn send(&self, mail: &Mail) -> Result<(), String> {
        let to = mail
            .to
            .parse::<Mailbox>()
            .map_err(|_| "the recipient address is not valid".to_string())?;
        let mut b = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone());
        if let Some(url) = &mail.list_unsubscribe {
            b = b
                .header(ListUnsubscribe(format!("<{url}>")))
                .header(ListUnsubscribePost);
        }
        // lettre chooses the transfer encoding (quoted-printable for long lines or non-ASCII).
        let part = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone());
        let msg = b
            .singlepart(part)
            .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport
            .send(msg)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

/// `List-Unsubscribe: <https://...>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// The wait before attempt `attempts + 1`: 30 s doubled per failure, at most an hour.
pub fn backoff(attempts: i64) -> Duration {
    let shift = u32::try_from(attempts.clamp(0, 7)).unwrap_or(7);
    Duration::from_secs((30u64 << shift).min(3600))
}

/// One round of the mail worker: mails the answers of closed portal cases, then sends the due
/// mails. Returns how many were sent.
pub async fn round(state: &AppState) -> Result<usize, AppError> {
    let settings = state.portal.settings();
    let now = jiff::Timestamp::now();
    waarborg_app::portal::answer_closed(&state.store, state.ws.register(), settings, now).await?;
    let Some(mailer) = &state.portal.mailer else {
        return Ok(0);
    };
    let mut sent = 0;
    for mail in state.store.due_mails(now, 50).await? {
        match mailer.send(&mail).await {
            Ok(()) => {
                state
                    .store
                    .mail_sent(mail.id, jiff::Timestamp::now())
                    .await?;
                sent += 1;
            }
            Err(e) => {
                let wait = jiff::SignedDuration::try_from(backoff(mail.attempts))
                    .unwrap_or(jiff::SignedDuration::from_secs(3600));
                let at = jiff::Timestamp::now()
                    .checked_add(wait)
                    .unwrap_or_else(|_| jiff::Timestamp::now());
                // The error may quote the address; it is kept in the outbox, not logged.
                tracing::warn!("mail {} ({}) not sent; see /mail", mail.id, mail.kind);
                state.store.mail_failed(mail.id, &e, at).await?;
            }
        }
    }
    Ok(sent)
}

/// Runs [`round`] every `every` until the task is aborted.
pub fn spawn_worker(state: Arc<AppState>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = round(&state).await {
                tracing::warn!("mail worker: {}", e.kind);
            }
        }
    })
}
