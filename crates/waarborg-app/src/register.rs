//! The register (policy-as-code) as the use cases need it: the policy, its digest (the version
//! the audit trail records) and where it came from.

use std::path::Path;

use waarborg_policy::Policy;
use waarborg_store::Store;

use crate::error::{AppError, Result};

/// A loaded register.
#[derive(Debug, Clone)]
pub struct LoadedRegister {
    /// The register.
    pub policy: Policy,
    /// Its digest (SHA-256 of the canonical form).
    pub digest: String,
    /// Where it was loaded from (a path, or a name such as `demo`).
    pub source: String,
}

impl LoadedRegister {
    /// Loads the register file at `path`.
    pub fn load(path: &Path) -> Result<LoadedRegister> {
        let policy = waarborg_policy::load_file(path).map_err(|e| {
            AppError::from(e).context(format!("cannot load the register {}", path.display()))
        })?;
        Ok(LoadedRegister::from_policy(
            policy,
            path.display().to_string(),
        ))
    }

    /// Wraps a register already loaded.
    pub fn from_policy(policy: Policy, source: impl Into<String>) -> LoadedRegister {
        LoadedRegister {
            digest: policy.digest(),
            policy,
            source: source.into(),
        }
    }

    /// Records the register's version in the audit trail when it changed since last recorded;
    /// returns the new entry's sequence number, or `None` when unchanged.
    pub async fn record(&self, store: &Store) -> Result<Option<i64>> {
        let summary = serde_json::json!({ "file": self.source });
        Ok(store
            .append_register_change_if_changed(&self.digest, &summary)
            .await?
            .map(|e| e.seq))
    }
}

/// Loads the register at `path` when one is given.
pub fn load_optional(path: Option<&Path>) -> Result<Option<LoadedRegister>> {
    path.map(LoadedRegister::load).transpose()
}
