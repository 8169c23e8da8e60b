//! A small real SMTP server that keeps what it receives in memory: the demo's mailbox
//! (`waarborg serve --demo` without `--smtp`, shown at `/demo/mail`) and the tests' way to read
//! the mails Waarborg sends over a real SMTP conversation on loopback.
//!
//! It speaks enough SMTP (RFC 5321) for an ordinary client such as lettre: `HELO`/`EHLO`,
//! `MAIL FROM`, `RCPT TO`, `DATA` (with dot-unstuffing), `RSET`, `NOOP`, `QUIT`. It accepts
//! every message, never relays, and listens only where it is told (loopback in the demo).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_quoted_printable_and_base64() {
        assert_eq!(decode_qp("a=3Db=\r\nc =C3=A9"), "a=bc é".as_bytes());
        assert_eq!(decode_base64("aGVsbG8g\r\nd29ybGQ="), b"hello world");
    }
}

/// The largest message accepted (bytes).
pub const MAX_MESSAGE: usize = 1024 * 1024;

/// The most messages kept; older ones are dropped first.
pub const MAX_KEPT: usize = 1000;

/// A message as received.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReceivedMail {
    /// The envelope sender.
    pub from: String,
    /// The envelope recipients.
    pub to: Vec<String>,
    /// The message: headers and body, CRLF line ends, dot-unstuffed.
    pub data: String,
}

impl ReceivedMail {
    /// The value of header `name` (case-insensitive; folded lines joined), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        let mut found: Option<String> = None;
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some(v) = found.as_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                continue;
            }
            if found.is_some() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.trim().eq_ignore_ascii_case(name)
            {
                found = Some(v.trim().to_string());
            }
        }
        found
    }

    /// The body (after the blank line), decoded from its `Content-Transfer-Encoding`
    /// (quoted-printable, base64, 7bit or 8bit), with CRLF turned into LF.
    pub fn body(&self) -> String {
        let raw = self
            .data
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        let enc = self
            .header("Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let bytes = match enc.as_str() {
            "quoted-printable" => decode_qp(raw),
            "base64" => decode_base64(raw),
            _ => raw.as_bytes().to_vec(),
        };
        String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
    }

    /// The first link in the body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let body = self.body();
        let start = body.find(prefix)?;
        let rest = body.get(start..)?;
        Some(
            rest.split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_string(),
        )
    }
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Decodes quoted-printable (RFC 2045 6.7): `=XX` bytes and `=` soft line breaks.
fn decode_qp(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'=' {
            match (b.get(i + 1), b.get(i + 2)) {
                (Some(b'\r'), Some(b'\n')) => i += 3,
                (Some(b'\n'), _) => i += 2,
                (Some(&h), Some(&l)) => match (hex_val(h), hex_val(l)) {
                    (Some(h), Some(l)) => {
                        out.push(h * 16 + l);
                        i += 3;
                    }
                    _ => {
                        out.push(c);
                        i += 1;
                    }
                },
                _ => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Decodes base64, skipping line breaks.
fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let Some(v) = val(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    out
}

/// The sink: where it listens and what it received.
#[derive(Clone)]
pub struct SmtpSink {
    addr: SocketAddr,
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
    arrived: Arc<Notify>,
    task: Arc<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for SmtpSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The mails are personal data: only where it listens.
        f.debug_struct("SmtpSink")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl SmtpSink {
    /// Starts listening on `addr` (e.g. `127.0.0.1:0`).
    pub async fn start(addr: SocketAddr) -> std::io::Result<SmtpSink> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let mails: Arc<Mutex<Vec<ReceivedMail>>> = Arc::default();
        let arrived = Arc::new(Notify::new());
        let (m, n) = (mails.clone(), arrived.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (m, n) = (m.clone(), n.clone());
                tokio::spawn(async move {
                    if let Err(e) = session(stream, &m, &n).await {
                        tracing::debug!("smtp sink: {e}");
                    }
                });
            }
        });
        Ok(SmtpSink {
            addr,
            mails,
            arrived,
            task: Arc::new(task),
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `smtp://host:port` URL of the sink.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Every message received so far, oldest first.
    pub fn mails(&self) -> Vec<ReceivedMail> {
        self.mails.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Waits (at most `timeout`) for a message to `to` that `pred` accepts and returns it.
    pub async fn wait_for(
        &self,
        to: &str,
        timeout: std::time::Duration,
        pred: impl Fn(&ReceivedMail) -> bool,
    ) -> Option<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.arrived.notified();
            if let Some(m) = self
                .mails()
                .into_iter()
                .rev()
                .find(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(to)) && pred(m))
            {
                return Some(m);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }

    /// Stops listening.
    pub fn stop(&self) {
        self.task.abort();
    }
}

fn path_of(arg: &str) -> String {
    let a = arg.trim();
    let a = a.split_once(':').map_or(a, |(_, v)| v).trim();
    let a = a.split_whitespace().next().unwrap_or("");
    a.trim_start_matches('<').trim_end_matches('>').to_string()
}

async fn session(
    stream: TcpStream,
    store: &Mutex<Vec<ReceivedMail>>,
    arrived: &Notify,
) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 waarborg-sink ESMTP ready\r\n").await?;
    let mut from = String::new();
    let mut to: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end();
        let verb = cmd
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => {
                w.write_all(
                    b"250-waarborg-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 1048576\r\n",
                )
                .await?
            }
            "HELO" => w.write_all(b"250 waarborg-sink\r\n").await?,
            "MAIL" => {
                from = path_of(cmd.get(4..).unwrap_or(""));
                to.clear();
                w.write_all(b"250 OK\r\n").await?;
            }
            "RCPT" => {
                to.push(path_of(cmd.get(4..).unwrap_or("")));
                w.write_all(b"250 OK\r\n").await?;
            }
            "DATA" => {
                if to.is_empty() {
                    w.write_all(b"503 RCPT first\r\n").await?;
                    continue;
                }
                w.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = String::new();
                let mut too_big = false;
                loop {
                    line.clear();
                    if r.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    let l = line.trim_end_matches(['\r', '\n']);
                    if l == "." {
                        break;
                    }
                    let l = l.strip_prefix('.').unwrap_or(l);
                    if data.len() + l.len() > MAX_MESSAGE {
                        too_big = true;
                        continue;
                    }
                    data.push_str(l);
                    data.push_str("\r\n");
                }
                if too_big {
                    w.write_all(b"552 message too big\r\n").await?;
                    continue;
                }
                if let Ok(mut m) = store.lock() {
                    if m.len() >= MAX_KEPT {
                        m.remove(0);
                    }
                    m.push(ReceivedMail {
                        from: from.clone(),
                        to: std::mem::take(&mut to),
                        data,
                    });
                }
                arrived.notify_waiters();
                w.write_all(b"250 OK queued\r\n").await?;
            }
            "RSET" => {
                from.clear();
                to.clear();
                w.write_all(b"250 OK\r\n").await?;
            }
            "NOOP" => w.write_all(b"250 OK\r\n").await?,
            "QUIT" => {
                w.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => w.write_all(b"502 command not implemented\r\n").await?,
        }
    }
}
