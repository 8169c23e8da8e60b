//! The audit trail as use cases: verify the chain (against a signed checkpoint when given),
//! export it, sign a checkpoint.

use waarborg_store::{Checkpoint, Store, VerifyReport, checkpoint};

use crate::error::Result;

/// A checkpoint to verify the chain against, with the key it must be signed by.
#[derive(Debug, Clone)]
pub struct TrustedCheckpoint {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// Whether the organisation's public key was given and matched (else only the
    /// checkpoint's own key was checked).
    pub key_checked: bool,
}

/// Parses a checkpoint (its JSON text) and checks its signature, by `public_key` (hex) when
/// given.
pub fn checkpoint_from_json(text: &str, public_key: Option<&str>) -> Result<TrustedCheckpoint> {
    let cp = Checkpoint::from_json(text)?;
    let trusted = public_key.map(checkpoint::parse_public_key).transpose()?;
    cp.verify_signature(trusted.as_ref())?;
    Ok(TrustedCheckpoint {
        checkpoint: cp,
        key_checked: trusted.is_some(),
    })
}

/// Verifies the whole chain, and its consistency with `checkpoint` when given.
pub async fn verify(store: &Store, checkpoint: Option<&TrustedCheckpoint>) -> Result<VerifyReport> {
    Ok(store
        .verify_audit_with(checkpoint.map(|c| &c.checkpoint))
        .await?)
}

/// Writes the chain as JSON lines; returns the number of entries.
pub async fn export<W: std::io::Write>(store: &Store, out: &mut W) -> Result<u64> {
    Ok(store.export_audit(out).await?)
}

/// Signs a checkpoint of the chain's head with the key in `key_file`.
pub async fn sign_checkpoint(store: &Store, key_file: &std::path::Path) -> Result<Checkpoint> {
    let key = checkpoint::read_key_file(key_file)?;
    Ok(store.checkpoint(&key).await?)
}
