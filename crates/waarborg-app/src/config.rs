//! Configuration, read once into types: the store, the keys, the time zone, the register and
//! the organisation's databases. Front ends fill it from flags and the environment and hand it
//! to the use cases; nothing below reads the environment itself.

use std::fmt;
use std::path::{Path, PathBuf};

use waarborg_store::{Store, StoreOptions};

use crate::error::{AppError, Result};

/// A secret (a key): its bytes are never printed, not even by `{:?}`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps key bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Secret {
        Secret(bytes.into())
    }

    /// The key bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Reads a key file; its whole content is the key.
    pub fn from_file(path: &Path) -> Result<Secret> {
        std::fs::read(path).map(Secret).map_err(|e| {
            AppError::from(e).context(format!("cannot read key file {}", path.display()))
        })
    }

    /// The key in environment variable `name`, when set and not empty.
    pub fn from_env(name: &str) -> Option<Secret> {
        std::env::var(name)
            .ok()
            .filter(|k| !k.is_empty())
            .map(|k| Secret(k.into_bytes()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The environment variable of the audit key (HMAC over the chain).
pub const AUDIT_KEY_ENV: &str = "WAARBORG_AUDIT_KEY";
/// The environment variable of the masking key (keyed hashes of masked values).
pub const MASK_KEY_ENV: &str = "WAARBORG_MASK_KEY";
/// The environment variable of the time zone deadlines are shown in.
pub const TZ_ENV: &str = "WAARBORG_TZ";
/// The default time zone.
pub const DEFAULT_TZ: &str = "Europe/Amsterdam";

/// The keys Waarborg uses.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// Keys the audit chain's HMAC (`WAARBORG_AUDIT_KEY`).
    pub audit: Option<Secret>,
    /// Keys masked values (`WAARBORG_MASK_KEY`, or `--key-file`).
    pub mask: Option<Secret>,
}

impl Keys {
    /// The keys from the environment.
    pub fn from_env() -> Keys {
        Keys {
            audit: Secret::from_env(AUDIT_KEY_ENV),
            mask: Secret::from_env(MASK_KEY_ENV),
        }
    }

    /// The masking key: the file when given, else the environment's.
    pub fn with_mask_file(mut self, file: Option<&Path>) -> Result<Keys> {
        if let Some(f) = file {
            self.mask = Some(Secret::from_file(f)?);
        }
        Ok(self)
    }
}

/// Everything a front end configures.
#[derive(Debug, Clone)]
pub struct Config {
    /// The store URL (`waarborg.db`, `sqlite://...`, `postgres://...`).
    pub store_url: String,
    /// The keys.
    pub keys: Keys,
    /// The time zone people read dates in (IANA name, default `Europe/Amsterdam`).
    pub time_zone: jiff::tz::TimeZone,
    /// The register (policy TOML), when one is used.
    pub policy: Option<PathBuf>,
    /// The dataset file describing the organisation's databases, when requests are carried out.
    pub datasets: Option<PathBuf>,
    /// `NAME=URL` bindings of the dataset's databases (override the URLs in the file).
    pub databases: Vec<(String, String)>,
}

impl Config {
    /// A configuration for `store_url` with the keys and time zone from the environment.
    pub fn new(store_url: impl Into<String>) -> Result<Config> {
        Ok(Config {
            store_url: store_url.into(),
            keys: Keys::from_env(),
            time_zone: time_zone(std::env::var(TZ_ENV).ok().as_deref())?,
            policy: None,
            datasets: None,
            databases: Vec::new(),
        })
    }

    /// Opens the store; `must_exist` refuses to create an empty one (for commands that only
    /// read or act on records that must already be there).
    pub async fn open_store(&self, must_exist: bool) -> Result<Store> {
        open_store(&self.store_url, &self.keys, must_exist, 2).await
    }
}

/// The time zone named `name` (default `Europe/Amsterdam`).
pub fn time_zone(name: Option<&str>) -> Result<jiff::tz::TimeZone> {
    let name = name.filter(|n| !n.is_empty()).unwrap_or(DEFAULT_TZ);
    jiff::tz::TimeZone::get(name).map_err(|e| {
        AppError::invalid(format!(
            "unknown time zone `{name}` ({e}); give an IANA name such as Europe/Amsterdam"
        ))
    })
}

/// Opens the store at `url` with the audit key, at most `max_connections` connections.
pub async fn open_store(
    url: &str,
    keys: &Keys,
    must_exist: bool,
    max_connections: u32,
) -> Result<Store> {
    let opts = StoreOptions {
        audit_key: keys.audit.as_ref().map(|k| k.expose().to_vec()),
        max_connections: Some(max_connections),
        must_exist,
    };
    Ok(Store::open_with(url, opts).await?)
}

/// Parses `NAME=URL` database bindings.
pub fn parse_bindings(items: &[String]) -> Result<Vec<(String, String)>> {
    items
        .iter()
        .map(|b| waarborg_engine::parse_binding(b).map_err(|e| AppError::invalid(e.to_string())))
        .collect()
}
