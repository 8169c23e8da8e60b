//! The audit trail: an append-only hash chain over the digests of the payloads.
//!
//! Entry `n` stores `seq, at, kind, alg, payload, payload_digest, prev_hash, hash`, where
//! `payload_digest = hex(SHA-256(payload))`, `prev_hash` is the `hash` of entry `n - 1` (64 zeros
//! for entry 1) and `hash = hex(H(message))` with
//!
//! ```text
//! message = prev_hash "\n" "waarborg-audit-v1" "\n" alg "\n" seq "\n" at "\n" kind "\n" payload_digest
//! ```
//!
//! (`seq` in decimal, all hashes lowercase hex, `H` = SHA-256 for `alg = sha256` or HMAC-SHA-256
//! with the configured key for `alg = hmac-sha256`). The chain covers the payload's *digest*, not
//! the payload, so a payload with personal data can be erased later without breaking the chain.

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::{Tx, args};
use crate::deadline::{fmt_ts, now};
use crate::{Backend, Error};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The version tag inside every hashed message.
pub const FORMAT: &str = "waarborg-audit-v1";

/// Algorithm name of the plain chain.
pub const ALG_SHA256: &str = "sha256";
/// Algorithm name of the keyed chain.
pub const ALG_HMAC: &str = "hmac-sha256";

/// One entry of the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the chain: 1, 2, 3, ... without gaps.
    pub seq: i64,
    /// When it was appended: RFC 3339 UTC with six fractional digits, exactly the text hashed.
    pub at: String,
    /// What happened: `case.opened`, `consent.granted`, `engine.run`, `register.change`, ...
    pub kind: String,
    /// `sha256` or `hmac-sha256`.
    pub alg: String,
    /// The exact payload text (JSON), or `None` once erased.
    pub payload: Option<String>,
    /// Hex SHA-256 of the payload's UTF-8 bytes.
    pub payload_digest: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The message that an entry's hash covers (see the module documentation).
pub fn message(
    prev_hash: &str,
    alg: &str,
    seq: i64,
    at: &str,
    kind: &str,
    payload_digest: &str,
) -> String {
    format!("{prev_hash}\n{FORMAT}\n{alg}\n{seq}\n{at}\n{kind}\n{payload_digest}")
}

/// Computes an entry's hash. `Ok(None)` when the entry is keyed and no key is given.
pub fn entry_hash(
    key: Option<&[u8]>,
    prev_hash: &str,
    alg: &str,
    seq: i64,
    at: &str,
    kind: &str,
    payload_digest: &str,
) -> Result<Option<String>, Error> {
    let msg = message(prev_hash, alg, seq, at, kind, payload_digest);
    match alg {
        ALG_SHA256 => Ok(Some(sha256_hex(msg.as_bytes()))),
        ALG_HMAC => match key {
            None => Ok(None),
            Some(k) => {
                let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(k)
                    .map_err(|e| Error::Invalid(format!("audit key: {e}")))?;
                mac.update(msg.as_bytes());
                Ok(Some(hex::encode(mac.finalize().into_bytes())))
            }
        },
        other => Err(Error::Corrupt(format!("unknown audit algorithm `{other}`"))),
    }
}

/// Appends one entry inside the caller's transaction (which also holds the event it records).
///
/// The head row is locked (`FOR UPDATE` on PostgreSQL; SQLite transactions that write are
/// `BEGIN IMMEDIATE`), so that concurrent writers form one linear chain.
pub(crate) async fn append(
    tx: &mut Tx,
    key: Option<&[u8]>,
    kind: &str,
    payload: &str,
) -> Result<AuditEntry, Error> {
    let head = match tx.backend() {
        Backend::Postgres => {
            tx.one(
                "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
                args![],
            )
            .await?
        }
        Backend::Sqlite => {
            tx.one("SELECT seq, hash FROM audit_head WHERE id = 1", args![])
                .await?
        }
    };
    let prev_seq = head.int("seq")?;
    let prev_hash = head.text("hash")?;
    if key.is_none() && prev_seq > 0 {
        // No downgrade: once the chain is keyed, a plain SHA-256 entry would let anyone without
        // the key extend it.
        let last = tx
            .opt("SELECT alg FROM audit_log WHERE seq = $1", args![prev_seq])
            .await?;
        if let Some(row) = last
            && row.text("alg")? == ALG_HMAC
        {
            return Err(Error::AuditKeyRequired { seq: prev_seq });
        }
    }
    let seq = prev_seq + 1;
    let at_s = fmt_ts(now());
    let alg = if key.is_some() { ALG_HMAC } else { ALG_SHA256 };
    let payload_digest = sha256_hex(payload.as_bytes());
    let hash = entry_hash(key, &prev_hash, alg, seq, &at_s, kind, &payload_digest)?
        .ok_or_else(|| Error::Invalid("keyed chain without a key".into()))?;
    tx.exec(
        "INSERT INTO audit_log (seq, at, kind, alg, payload, payload_digest, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![
            seq,
            at_s.as_str(),
            kind,
            alg,
            payload,
            payload_digest.as_str(),
            prev_hash.as_str(),
            hash.as_str()
        ],
    )
    .await?;
    tx.exec(
        "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
        args![seq, hash.as_str()],
    )
    .await?;
    Ok(AuditEntry {
        seq,
        at: at_s,
        kind: kind.to_string(),
        alg: alg.to_string(),
        payload: Some(payload.to_string()),
        payload_digest,
        prev_hash,
        hash,
    })
}

/// A random salt for payloads that may later be erased, so that the kept digest cannot be
/// confirmed by hashing guessed personal data.
pub(crate) fn salt() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// What is wrong with one place in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The entry's fields no longer give its stored hash: it was changed.
    Changed,
    /// The stored payload no longer matches its digest: the payload was changed.
    PayloadChanged,
    /// The entry's `prev_hash` is not the previous entry's hash: an entry before it was removed,
    /// inserted or reordered, or the previous entry's hash was rewritten.
    BrokenLink,
    /// Sequence numbers jump: entries are missing here.
    Missing,
    /// The head row disagrees with the last entry: entries at the end were removed (or added
    /// without going through the store).
    HeadMismatch,
    /// The entry is keyed (HMAC) and no key was given, so it could not be checked.
    KeyRequired,
    /// A plain SHA-256 entry follows a keyed (HMAC) one: someone without the key extended or
    /// rewrote the chain from here (a downgrade).
    Downgrade,
    /// The payload of an entry that is never erased (anything but a case event) was removed.
    PayloadRemoved,
    /// The chain has fewer entries than a signed checkpoint says it had: its end was cut off,
    /// or it was reset (emptied).
    Truncated,
    /// The entry at a signed checkpoint's position has another hash than the checkpoint says:
    /// the chain up to there was rewritten (recomputed after an edit, or forged).
    Rewritten,
    /// A row of `cases`, `case_events`, `consent_events`, `users` or `api_tokens` does not match
    /// the audit entry that recorded it (or has no such entry): the row was changed or added by
    /// hand.
    RecordChanged,
    /// An audit entry recorded a case or consent event, a user or an API token whose row is
    /// gone: the row was deleted.
    RecordMissing,
}

/// One problem found by [`crate::Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The sequence number where the problem shows.
    pub seq: i64,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// A sentence for people.
    pub message: String,
}

/// The result of verifying the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Entries read.
    pub entries: u64,
    /// Entries whose payload has been erased (they still verify through their digest).
    pub erased_payloads: u64,
    /// The last sequence number read.
    pub last_seq: i64,
    /// The hash of the last entry read (the value to note down to detect later truncation).
    pub head_hash: String,
    /// Everything found wrong, in chain order; empty when the chain is intact.
    pub problems: Vec<Problem>,
    /// Engine runs whose intent is recorded but not their outcome: interrupted (recovery
    /// establishes what happened at the next run) or still running. Not a problem of the chain.
    pub unfinished_runs: Vec<String>,
}

impl VerifyReport {
    /// Whether the chain is intact.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Incremental verifier: feed entries in `seq` order, then call `finish`.
#[derive(Debug)]
pub struct Verifier<'k> {
    key: Option<&'k [u8]>,
    expected_seq: i64,
    prev_hash: String,
    keyed_since: Option<i64>,
    report: VerifyReport,
}

impl<'k> Verifier<'k> {
    /// A verifier for a chain that starts at seq 1 with the genesis hash.
    pub fn new(key: Option<&'k [u8]>) -> Self {
        Verifier {
            key,
            expected_seq: 1,
            prev_hash: GENESIS.to_string(),
            keyed_since: None,
            report: VerifyReport {
                entries: 0,
                erased_payloads: 0,
                last_seq: 0,
                head_hash: GENESIS.to_string(),
                problems: Vec::new(),
                unfinished_runs: Vec::new(),
            },
        }
    }

    fn problem(&mut self, seq: i64, kind: ProblemKind, message: String) {
        self.report.problems.push(Problem { seq, kind, message });
    }

    /// Checks the next entry.
    pub fn feed(&mut self, e: &AuditEntry) {
        self.report.entries += 1;
        if e.seq != self.expected_seq {
            if e.seq > self.expected_seq {
                let msg = if e.seq - self.expected_seq == 1 {
                    format!("entry seq {} is missing (removed)", self.expected_seq)
                } else {
                    format!(
                        "entries seq {}..={} are missing (removed)",
                        self.expected_seq,
                        e.seq - 1
                    )
                };
                self.problem(self.expected_seq, ProblemKind::Missing, msg);
            } else {
                self.problem(
                    e.seq,
                    ProblemKind::Changed,
                    format!(
                        "entry seq {} is out of order (expected seq {})",
                        e.seq, self.expected_seq
                    ),
                );
            }
        }
        if e.prev_hash != self.prev_hash {
            let msg = format!(
                "entry seq {} does not link to the entry before it: an entry before seq {} was \
                 removed, inserted or reordered, or the hash of seq {} was rewritten",
                e.seq,
                e.seq,
                e.seq - 1
            );
            self.problem(e.seq, ProblemKind::BrokenLink, msg);
        }
        match entry_hash(
            self.key,
            &e.prev_hash,
            &e.alg,
            e.seq,
            &e.at,
            &e.kind,
            &e.payload_digest,
        ) {
            Ok(Some(h)) if h == e.hash => {}
            Ok(Some(_)) => self.problem(
                e.seq,
                ProblemKind::Changed,
                format!(
                    "entry seq {} was changed: its fields do not give its hash",
                    e.seq
                ),
            ),
            Ok(None) => self.problem(
                e.seq,
                ProblemKind::KeyRequired,
                format!(
                    "entry seq {} is keyed (hmac-sha256): give the audit key to verify it",
                    e.seq
                ),
            ),
            Err(err) => self.problem(
                e.seq,
                ProblemKind::Changed,
                format!("entry seq {}: {err}", e.seq),
            ),
        }
        match (e.alg.as_str(), self.keyed_since) {
            (ALG_HMAC, None) => self.keyed_since = Some(e.seq),
            (ALG_SHA256, Some(first)) => self.problem(
                e.seq,
                ProblemKind::Downgrade,
                format!(
                    "entry seq {} is plain sha256 but the chain is keyed (hmac-sha256) since seq \
                     {first}: it was appended or rewritten by someone without the key",
                    e.seq
                ),
            ),
            _ => {}
        }
        match &e.payload {
            None if !e.kind.starts_with("case.") => self.problem(
                e.seq,
                ProblemKind::PayloadRemoved,
                format!(
                    "the payload of entry seq {} ({}) was removed: only the payloads of case \
                     events are erased, by `case purge`",
                    e.seq, e.kind
                ),
            ),
            Some(p) if sha256_hex(p.as_bytes()) != e.payload_digest => self.problem(
                e.seq,
                ProblemKind::PayloadChanged,
                format!(
                    "the payload of entry seq {} was changed: it does not match its digest",
                    e.seq
                ),
            ),
            Some(_) => {}
            None => self.report.erased_payloads += 1,
        }
        self.expected_seq = e.seq + 1;
        self.prev_hash = e.hash.clone();
        self.report.last_seq = e.seq;
        self.report.head_hash = e.hash.clone();
    }

    /// Compares with the head row (`seq`, `hash`) and returns the report.
    pub fn finish(mut self, head: Option<(i64, String)>) -> VerifyReport {
        if let Some((seq, hash)) = head
            && (seq != self.report.last_seq || hash != self.report.head_hash)
        {
            {
                let msg = if seq > self.report.last_seq {
                    format!(
                        "the chain ends at seq {} but its head says seq {seq}: entries at the end were removed",
                        self.report.last_seq
                    )
                } else {
                    format!(
                        "the head (seq {seq}) does not match the last entry (seq {}): the head or the last entries were changed",
                        self.report.last_seq
                    )
                };
                self.problem(
                    seq.max(self.report.last_seq),
                    ProblemKind::HeadMismatch,
                    msg,
                );
            }
        }
        self.report
    }
}

pub(crate) fn row_to_entry(row: &crate::db::Row) -> Result<AuditEntry, Error> {
    Ok(AuditEntry {
        seq: row.int("seq")?,
        at: row.text("at")?,
        kind: row.text("kind")?,
        alg: row.text("alg")?,
        payload: row.opt_text("payload")?,
        payload_digest: row.text("payload_digest")?,
        prev_hash: row.text("prev_hash")?,
        hash: row.text("hash")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64, key: Option<&[u8]>) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        let alg = if key.is_some() { ALG_HMAC } else { ALG_SHA256 };
        (1..=n)
            .map(|seq| {
                let at = format!("2026-01-01T00:00:{:02}.000000Z", seq % 60);
                let payload = format!("{{\"n\":{seq}}}");
                let d = sha256_hex(payload.as_bytes());
                let hash = entry_hash(key, &prev, alg, seq, &at, "test", &d)
                    .unwrap()
                    .unwrap();
                let e = AuditEntry {
                    seq,
                    at,
                    kind: "test".into(),
                    alg: alg.into(),
                    payload: Some(payload),
                    payload_digest: d,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry], key: Option<&[u8]>) -> VerifyReport {
        let mut v = Verifier::new(key);
        for e in entries {
            v.feed(e);
        }
        let head = entries.last().map(|e| (e.seq, e.hash.clone()));
        v.finish(head)
    }

    #[test]
    fn known_vector() {
        // An auditor can recompute this with: printf '%s' "$msg" | sha256sum
        let d = sha256_hex(b"{}");
        assert_eq!(
            d,
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        let m = message(
            GENESIS,
            ALG_SHA256,
            1,
            "2026-01-01T00:00:00.000000Z",
            "test",
            &d,
        );
        assert_eq!(
            m,
            format!(
                "{GENESIS}\nwaarborg-audit-v1\nsha256\n1\n2026-01-01T00:00:00.000000Z\ntest\n{d}"
            )
        );
    }

    #[test]
    fn intact_and_erased_payloads_verify() {
        let mut c = chain(5, None);
        assert!(verify(&c, None).ok());
        c[2].kind = "case.opened".into();
        rechain(&mut c, None);
        c[2].payload = None;
        let r = verify(&c, None);
        assert!(r.ok());
        assert_eq!(r.erased_payloads, 1);
    }

    fn rechain(c: &mut [AuditEntry], key: Option<&[u8]>) {
        let mut prev = GENESIS.to_string();
        for e in c.iter_mut() {
            e.prev_hash = prev.clone();
            e.hash = entry_hash(key, &prev, &e.alg, e.seq, &e.at, &e.kind, &e.payload_digest)
                .unwrap()
                .unwrap();
            prev = e.hash.clone();
        }
    }

    #[test]
    fn plain_entry_after_a_keyed_one_is_a_downgrade() {
        let key: &[u8] = b"secret";
        let mut c = chain(4, Some(key));
        // Plain entries before the first keyed one are history from before the key: fine.
        c[0].alg = ALG_SHA256.into();
        rechain(&mut c, Some(key));
        assert!(verify(&c, Some(key)).ok(), "{:?}", verify(&c, Some(key)));
        // A plain entry after a keyed one is refused even though its hash is right.
        c[2].alg = ALG_SHA256.into();
        rechain(&mut c, Some(key));
        let r = verify(&c, Some(key));
        assert_eq!(r.problems.len(), 1, "{r:?}");
        assert_eq!(r.problems[0].kind, ProblemKind::Downgrade);
        assert_eq!(r.problems[0].seq, 3);
    }

    #[test]
    fn only_case_payloads_may_be_erased() {
        let mut c = chain(3, None);
        c[1].payload = None;
        let r = verify(&c, None);
        assert_eq!(r.problems.len(), 1, "{r:?}");
        assert_eq!(r.problems[0].kind, ProblemKind::PayloadRemoved);
        c[1].kind = "case.opened".into();
        rechain(&mut c, None);
        assert!(verify(&c, None).ok());
    }

    #[test]
    fn keyed_chain_needs_the_key() {
        let c = chain(3, Some(b"secret"));
        assert!(verify(&c, Some(b"secret")).ok());
        let r = verify(&c, Some(b"other"));
        assert_eq!(r.problems[0].kind, ProblemKind::Changed);
        let r = verify(&c, None);
        assert_eq!(r.problems[0].kind, ProblemKind::KeyRequired);
    }

    proptest::proptest! {
        #[test]
        fn any_single_tamper_is_named(n in 2i64..30, victim in 0usize..30, what in 0u8..5) {
            let mut c = chain(n, None);
            let victim = victim % c.len();
            let seq = c[victim].seq;
            match what {
                0 => c[victim].kind = "other".into(),
                1 => c[victim].payload = Some("{\"n\":-1}".into()),
                2 => { c.remove(victim); }
                3 => { if victim + 1 < c.len() { c.swap(victim, victim + 1); } else { c.swap(victim, 0); } }
                _ => c[victim].at = "2030-01-01T00:00:00.000000Z".into(),
            }
            let head = Some((n, chain(n, None).last().unwrap().hash.clone()));
            let mut v = Verifier::new(None);
            for e in &c { v.feed(e); }
            let r = v.finish(head);
            proptest::prop_assert!(!r.ok());
            // The first problem names the tampered place (or, for a swap, the first swapped seq).
            let first = r.problems[0].seq;
            proptest::prop_assert!(first == seq || (what == 3 && first <= seq) , "first {first} seq {seq} {:?}", r.problems);
        }
    }
}
