//! The workspace: what the use cases work on, loaded and connected once. The CLI makes one per
//! command; the server keeps one for its lifetime, so connections and the checked schema stay
//! warm between requests.

use std::path::Path;

use waarborg_engine::{Datasets, Engine};

use crate::config::{Config, Keys};
use crate::error::{AppError, Result};
use crate::register::LoadedRegister;

/// The register, the connected databases and the keys.
pub struct Workspace {
    keys: Keys,
    register: Option<LoadedRegister>,
    engine: Option<Engine>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("keys", &self.keys)
            .field("register", &self.register.as_ref().map(|r| &r.source))
            .field("engine", &self.engine.is_some())
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
            engine: Some(engine),
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

    /// The connected engine.
    pub fn engine(&self) -> Result<&Engine> {
        self.engine.as_ref().ok_or_else(|| {
            AppError::invalid(
                "no databases are connected: give the dataset file that describes them (--datasets)",
            )
        })
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
