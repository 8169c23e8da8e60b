//! The workspace: what the use cases work on, loaded and connected once. The CLI makes one per
//! command; the server keeps one for its lifetime, so connections and the checked schema stay
//! warm between requests.

use std::path::Path;
use std::sync::{Arc, RwLock};

use waarborg_engine::{Datasets, Engine};

use crate::config::{Config, Keys};
use crate::error::{AppError, Result};
use crate::register::LoadedRegister;

/// The engine as last checked: connected, or the reason it may not be used (the live schema
/// no longer matches the dataset file).
type Checked = Result<Arc<Engine>, AppError>;

/// The register, the connected databases and the keys.
pub struct Workspace {
    keys: Keys,
    register: Option<LoadedRegister>,
    engine: Option<RwLock<Checked>>,
    source: Option<(Datasets, Vec<(String, String)>)>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("keys", &self.keys)
            .field("register", &self.register.as_ref().map(|r| &r.source))
            .field("databases", &self.engine.is_some())
            .finish()
    }
}

impl Workspace {
    /// A workspace with a register (maybe) and no databases.
    pub fn new(keys: Keys, register: Option<LoadedRegister>) -> Workspace {
        Workspace {
            keys,
            register,
            engine: None,
            source: None,
        }
    }

    /// Loads the dataset file, connects to its databases (`bindings` override the URLs in the
    /// file) and checks the live schema against it.
    pub async fn connect(
        keys: Keys,
        register: Option<LoadedRegister>,
        datasets: &Path,
        bindings: &[(String, String)],
    ) -> Result<Workspace> {
        let ds = Datasets::load(datasets)?;
        Workspace::connect_datasets(keys, register, &ds, bindings).await
    }

    /// As [`Workspace::connect`], with the datasets already parsed.
    pub async fn connect_datasets(
        keys: Keys,
        register: Option<LoadedRegister>,
        datasets: &Datasets,
        bindings: &[(String, String)],
    ) -> Result<Workspace> {
        let engine = Engine::connect(datasets, bindings).await?;
        Ok(Workspace {
            keys,
            register,
            engine: Some(RwLock::new(Ok(Arc::new(engine)))),
            source: Some((datasets.clone(), bindings.to_vec())),
        })
    }

    /// The workspace a configuration describes: the register when given, the databases when a
    /// dataset file is given.
    pub async fn from_config(config: &Config) -> Result<Workspace> {
        let register = crate::register::load_optional(config.policy.as_deref())?;
        match &config.datasets {
            Some(ds) => {
                Workspace::connect(config.keys.clone(), register, ds, &config.databases).await
            }
            None => Ok(Workspace::new(config.keys.clone(), register)),
        }
    }

    /// The connected engine, as last checked against the live schema.
    pub fn engine(&self) -> Result<Arc<Engine>> {
        let lock = self.engine.as_ref().ok_or_else(|| {
            AppError::invalid(
                "no databases are connected: give the dataset file that describes them (--datasets)",
            )
        })?;
        let guard = lock
            .read()
            .map_err(|_| AppError::internal("the engine's lock is poisoned"))?;
        match &*guard {
            Ok(e) => Ok(e.clone()),
            Err(e) => Err(AppError::new(e.kind, e.message.clone())),
        }
    }

    /// Connects again and checks the live schema against the dataset file (a long-running
    /// server calls this now and then, so that a changed schema is noticed). When the schema no
    /// longer matches, requests are refused with the reason until it matches again; when a
    /// database does not answer, the last good connection is kept. Returns whether the schema
    /// matches now.
    pub async fn recheck(&self) -> Result<bool> {
        let (Some(lock), Some((ds, bindings))) = (&self.engine, &self.source) else {
            return Ok(true);
        };
        let fresh: Checked = Engine::connect(ds, bindings)
            .await
            .map(Arc::new)
            .map_err(AppError::from);
        if let Err(e) = &fresh
            && e.kind == crate::error::ErrorKind::Unavailable
        {
            return Err(AppError::new(e.kind, e.message.clone()));
        }
        let ok = fresh.is_ok();
        let mut guard = lock
            .write()
            .map_err(|_| AppError::internal("the engine's lock is poisoned"))?;
        *guard = fresh.map_err(|e| {
            e.context(
                "the live schema no longer matches the dataset file; requests wait until it does",
            )
        });
        Ok(ok)
    }

    /// The register, when one was given.
    pub fn register(&self) -> Option<&LoadedRegister> {
        self.register.as_ref()
    }

    /// The register, or an error saying it is needed for `what`.
    pub fn require_register(&self, what: &str) -> Result<&LoadedRegister> {
        self.register.as_ref().ok_or_else(|| {
            AppError::invalid(format!("{what} needs the register: give it with --policy"))
        })
    }

    /// The keys.
    pub fn keys(&self) -> &Keys {
        &self.keys
    }
}
