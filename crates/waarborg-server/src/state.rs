//! What every request shares: the store, the workspace (register and warm database
//! connections), the templates and the server's settings.

use std::path::PathBuf;
use std::time::Duration;

use waarborg_app::{AppError, Workspace};
use waarborg_store::Store;

use crate::i18n::Messages;

/// Settings of the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The URL people reach the server at (e.g. `https://privacy.example.nl`); with `https`
    /// cookies are marked `Secure`.
    pub public_url: Option<String>,
    /// Where delivered documents (certificates, access exports) are kept for download.
    pub data_dir: PathBuf,
    /// How long a dashboard session lasts.
    pub session_ttl: Duration,
    /// The time zone dates are shown in.
    pub time_zone: jiff::tz::TimeZone,
    /// How often to check the live schema of the databases again (none: never).
    pub schema_check: Option<Duration>,
}

impl ServerConfig {
    /// Whether cookies get the `Secure` attribute (served over TLS, or behind a TLS proxy
    /// named by `--public-url https://...`).
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// The state shared by all requests.
pub struct AppState {
    /// The store (cases, consent, audit, users).
    pub store: Store,
    /// The register and the connected databases.
    pub ws: Workspace,
    /// Settings.
    pub config: ServerConfig,
    /// The dashboard's texts in Dutch and English.
    pub messages: Messages,
    /// The data subject's portal (mail, links, limits).
    pub portal: crate::portal::Portal,
    pub(crate) templates: minijinja::Environment<'static>,
    /// The cookie banner's settings and rate limiter.
    pub banner: crate::banner::BannerState,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("ws", &self.ws)
            .field("config", &self.config)
            .finish()
    }
}

impl AppState {
    /// The state for `store` and `ws`; creates the data folder (mode 0700 on Unix: it holds
    /// access exports, which are personal data).
    pub fn new(store: Store, ws: Workspace, config: ServerConfig) -> Result<AppState, AppError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            AppError::from(e).context(format!(
                "cannot create the data folder {}",
                config.data_dir.display()
            ))
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ =
                std::fs::set_permissions(&config.data_dir, std::fs::Permissions::from_mode(0o700));
        }
        let messages = Messages::load()?;
        let templates = crate::pages::environment()?;
        let portal = crate::portal::Portal::new(
            crate::portal::PortalConfig::new(waarborg_app::mail::MailTemplates::load(None)?),
            config.public_url.clone(),
            config.time_zone.clone(),
        )?;
        Ok(AppState {
            store,
            ws,
            config,
            messages,
            portal,
            templates,
            banner: crate::banner::BannerState::new(crate::banner::BannerSettings::default())?,
        })
    }

    /// The same state with the cookie banner's settings (allowed origins, demo page, limit).
    pub fn with_banner(
        mut self,
        settings: crate::banner::BannerSettings,
    ) -> Result<AppState, AppError> {
        self.banner = crate::banner::BannerState::new(settings)?;
        Ok(self)
    }

    /// The state with the portal set up by `portal` (mailer, mail texts, limits).
    pub fn with_portal(
        mut self,
        portal: crate::portal::PortalConfig,
    ) -> Result<AppState, AppError> {
        self.portal = crate::portal::Portal::new(
            portal,
            self.config.public_url.clone(),
            self.config.time_zone.clone(),
        )?;
        Ok(self)
    }
}
