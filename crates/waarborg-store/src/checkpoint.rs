//! Signed checkpoints of the audit chain's head (Ed25519), kept outside the store.
//!
//! A checkpoint says "on `at`, the chain had `entries` entries and entry `entries` had hash
//! `head_hash`", signed with the organisation's Ed25519 key. Anyone with the public key can check
//! it, and a store checked against it shows a cut tail, a reset or a rewritten chain, which the
//! database alone cannot show (an attacker with write access can make the chain consistent
//! again). The signed message is
//!
//! ```text
//! "waarborg-checkpoint-v1" LF entries LF head_hash LF at
//! ```
//!
//! (`entries` in decimal, `head_hash` lowercase hex, `at` RFC 3339 UTC), signed with Ed25519
//! (RFC 8032); `public_key` and `signature` are lowercase hex.

use std::path::Path;

use ed25519_dalek::{Signature, Signer, Verifier as _};
/// The Ed25519 key types used here, re-exported so that callers can name them.
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::audit::{GENESIS, Problem, ProblemKind};

/// The format tag of a checkpoint, first line of the signed message.
pub const CHECKPOINT_FORMAT: &str = "waarborg-checkpoint-v1";

/// The first line of a private key file.
const KEY_FILE_TAG: &str = "waarborg-ed25519-private-key-v1";

/// A signed statement of the chain's head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Always [`CHECKPOINT_FORMAT`].
    pub format: String,
    /// How many entries the chain had (the seq of its last entry).
    pub entries: i64,
    /// The hash of entry `entries` (64 zeros for an empty chain).
    pub head_hash: String,
    /// When the checkpoint was made (RFC 3339 UTC).
    pub at: String,
    /// The Ed25519 public key that signed it (hex, 32 bytes).
    pub public_key: String,
    /// The Ed25519 signature of the message (hex, 64 bytes).
    pub signature: String,
}

/// The message a checkpoint's signature covers.
pub fn checkpoint_message(entries: i64, head_hash: &str, at: &str) -> String {
    format!("{CHECKPOINT_FORMAT}\n{entries}\n{head_hash}\n{at}")
}

/// A new random Ed25519 signing key (from the operating system's random source).
pub fn generate_key() -> Result<SigningKey, Error> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| {
        Error::Invalid(format!(
            "cannot get random bytes from the operating system for a key: {e}"
        ))
    })?;
    Ok(SigningKey::from_bytes(&seed))
}

/// The public key of a signing key, as hex.
pub fn public_key_hex(key: &SigningKey) -> String {
    hex::encode(key.verifying_key().as_bytes())
}

/// Writes a private key file (`waarborg-ed25519-private-key-v1`, then the 32-byte seed in hex),
/// readable by its owner only; refuses to overwrite an existing file.
pub fn write_key_file(path: &Path, key: &SigningKey) -> Result<(), Error> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| {
        Error::Invalid(format!(
            "cannot create the key file {}: {e} (an existing key is never overwritten; choose another path)",
            path.display()
        ))
    })?;
    let text = format!("{KEY_FILE_TAG}\n{}\n", hex::encode(key.to_bytes()));
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::Invalid(format!("cannot write the key file {}: {e}", path.display())))
}

/// Reads a private key file written by [`write_key_file`].
pub fn read_key_file(path: &Path) -> Result<SigningKey, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Invalid(format!("cannot read the key file {}: {e}", path.display())))?;
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let bad = || {
        Error::Invalid(format!(
            "{} is not a Waarborg signing key (expected `{KEY_FILE_TAG}` and 64 hex digits; make one with `waarborg audit keygen`)",
            path.display()
        ))
    };
    if lines.next() != Some(KEY_FILE_TAG) {
        return Err(bad());
    }
    let seed: [u8; 32] = lines
        .next()
        .and_then(|l| hex::decode(l).ok())
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Parses a public key given as 64 hex digits.
pub fn parse_public_key(hex_text: &str) -> Result<VerifyingKey, Error> {
    let bad = || {
        Error::Invalid(format!(
            "`{hex_text}` is not an Ed25519 public key (64 hex digits, as printed by `waarborg audit keygen`)"
        ))
    };
    let bytes: [u8; 32] = hex::decode(hex_text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| bad())
}

impl Checkpoint {
    /// Signs a checkpoint of a chain with `entries` entries whose last hash is `head_hash`.
    pub fn sign(key: &SigningKey, entries: i64, head_hash: &str, at: &str) -> Checkpoint {
        let sig = key.sign(checkpoint_message(entries, head_hash, at).as_bytes());
        Checkpoint {
            format: CHECKPOINT_FORMAT.to_string(),
            entries,
            head_hash: head_hash.to_string(),
            at: at.to_string(),
            public_key: public_key_hex(key),
            signature: hex::encode(sig.to_bytes()),
        }
    }

    /// Parses a checkpoint from its JSON text.
    pub fn from_json(text: &str) -> Result<Checkpoint, Error> {
        serde_json::from_str(text)
            .map_err(|e| Error::Invalid(format!("not a Waarborg checkpoint (JSON): {e}")))
    }

    /// Checks the signature, with `trusted` (the organisation's published key) when given:
    /// without it the key inside the checkpoint is used, which proves only that the checkpoint
    /// was not changed after signing, not who signed it.
    pub fn verify_signature(&self, trusted: Option<&VerifyingKey>) -> Result<(), Error> {
        if self.format != CHECKPOINT_FORMAT {
            return Err(Error::Invalid(format!(
                "unknown checkpoint format `{}` (expected {CHECKPOINT_FORMAT})",
                self.format
            )));
        }
        let own = parse_public_key(&self.public_key)?;
        if let Some(t) = trusted
            && t != &own
        {
            return Err(Error::Invalid(format!(
                "the checkpoint was signed by key {}, not by the trusted key {}",
                self.public_key,
                hex::encode(t.as_bytes())
            )));
        }
        let sig_bytes: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| {
                Error::Invalid("the checkpoint's signature is not 128 hex digits".into())
            })?;
        let sig = Signature::from_bytes(&sig_bytes);
        own.verify(
            checkpoint_message(self.entries, &self.head_hash, &self.at).as_bytes(),
            &sig,
        )
        .map_err(|_| {
            Error::Invalid(format!(
                "the checkpoint's signature does not verify with key {}: the checkpoint was altered",
                self.public_key
            ))
        })
    }

    /// Compares a chain (its last seq, and the hash of the entry at this checkpoint's position,
    /// `None` when that entry is not there) with this checkpoint; returns what it shows.
    pub fn compare(&self, last_seq: i64, hash_at: Option<&str>) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.entries == 0 {
            if self.head_hash != GENESIS {
                problems.push(Problem {
                    seq: 0,
                    kind: ProblemKind::Rewritten,
                    message: "the checkpoint is of an empty chain but names a head hash".into(),
                });
            }
            return problems;
        }
        if last_seq < self.entries {
            let message = if last_seq == 0 {
                format!(
                    "the chain is empty, but the checkpoint of {} says it had {} entries: the chain was reset",
                    self.at, self.entries
                )
            } else {
                format!(
                    "the chain ends at seq {last_seq}, but the checkpoint of {} says it had {} entries: entries at the end were removed",
                    self.at, self.entries
                )
            };
            problems.push(Problem {
                seq: last_seq + 1,
                kind: ProblemKind::Truncated,
                message,
            });
            return problems;
        }
        match hash_at {
            Some(h) if h == self.head_hash => {}
            Some(h) => problems.push(Problem {
                seq: self.entries,
                kind: ProblemKind::Rewritten,
                message: format!(
                    "entry seq {} has hash {h}, but the checkpoint of {} says {}: the chain up to seq {} was rewritten",
                    self.entries, self.at, self.head_hash, self.entries
                ),
            }),
            None => problems.push(Problem {
                seq: self.entries,
                kind: ProblemKind::Truncated,
                message: format!(
                    "entry seq {} named by the checkpoint of {} is gone: the chain was cut or rewritten",
                    self.entries, self.at
                ),
            }),
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_verify() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let cp = Checkpoint::sign(&key, 3, &"ab".repeat(32), "2026-12-01T00:00:00.000000Z");
        assert!(cp.verify_signature(None).is_ok());
        assert!(cp.verify_signature(Some(&key.verifying_key())).is_ok());
        let other = SigningKey::from_bytes(&[8u8; 32]);
        assert!(cp.verify_signature(Some(&other.verifying_key())).is_err());
        let mut forged = cp.clone();
        forged.entries = 2;
        assert!(forged.verify_signature(None).is_err());
        let json = serde_json::to_string(&cp).unwrap_or_default();
        assert_eq!(Checkpoint::from_json(&json).ok(), Some(cp.clone()));
        assert!(cp.compare(3, Some(&"ab".repeat(32))).is_empty());
        assert_eq!(cp.compare(2, None)[0].kind, ProblemKind::Truncated);
        assert_eq!(cp.compare(0, None)[0].kind, ProblemKind::Truncated);
        assert_eq!(
            cp.compare(5, Some(&"cd".repeat(32)))[0].kind,
            ProblemKind::Rewritten
        );
    }

    #[test]
    fn key_file_round_trip() {
        let dir = std::env::temp_dir().join(format!("wb-key-{}", uuid::Uuid::new_v4().simple()));
        let _ = std::fs::create_dir(&dir);
        let path = dir.join("k");
        let key = generate_key().unwrap_or_else(|_| SigningKey::from_bytes(&[1u8; 32]));
        assert!(write_key_file(&path, &key).is_ok());
        assert!(write_key_file(&path, &key).is_err(), "never overwrites");
        let back = read_key_file(&path).map(|k| k.to_bytes());
        assert_eq!(back.ok(), Some(key.to_bytes()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
