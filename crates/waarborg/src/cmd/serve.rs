//! `waarborg serve`: the privacy officer's dashboard and the JSON API (see `waarborg-server`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use waarborg_app::{Keys, LoadedRegister, Workspace};
use waarborg_server::{AppState, ServerConfig};

/// The serve command.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Serve the dashboard (for the privacy officer, operators and auditors) and the JSON API
    /// (`/api/v1/`, described at `/api/openapi.json`) until ctrl-c or SIGTERM; running requests
    /// are finished first. `waarborg serve --demo` builds the demo organisation and serves it.
    Serve(ServeArgs),
}

/// Options of `waarborg serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Build the demo organisation (as `waarborg demo` does) in --demo-dir, make a demo officer
    /// account and serve it.
    #[arg(long, conflicts_with_all = ["policy", "datasets", "db"])]
    demo: bool,
    /// The folder of the demo.
    #[arg(long, default_value = "waarborg-demo", value_name = "DIR")]
    demo_dir: PathBuf,
    /// The register (policy TOML).
    #[arg(long)]
    policy: Option<PathBuf>,
    /// The dataset file describing the organisation's databases (Waarborg TOML or Fides YAML).
    #[arg(long)]
    datasets: Option<PathBuf>,
    /// Bind a dataset to a database: NAME=URL (repeatable).
    #[arg(long = "db")]
    db: Vec<String>,
    /// The store: an SQLite file path or `postgres://user@host/db`.
    #[arg(long, env = "WAARBORG_STORE", default_value = waarborg_store::DEFAULT_STORE, value_name = "URL")]
    store: String,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// The URL people use to reach the server; with `https://...` (behind a TLS proxy) the
    /// session cookie is marked Secure.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Where certificates and access exports are kept for download (created, mode 0700).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// How long a dashboard session lasts, in hours.
    #[arg(long, default_value_t = 8)]
    session_hours: u64,
    /// Every this many seconds, connect again and check the live schema against the dataset
    /// file; while it does not match, requests on the databases are refused with the reason
    /// (0: never).
    #[arg(long, default_value_t = 60)]
    schema_check_secs: u64,
    /// A website origin (`https://www.example.nl`) whose pages may use the cookie banner
    /// (`/consent.js` and `/api/v1/banner/*`), besides the register's controller website
    /// (repeatable).
    #[arg(long = "banner-origin", value_name = "ORIGIN")]
    banner_origin: Vec<String>,
    /// Connections to the store.
    #[arg(long, default_value_t = 8)]
    store_connections: u32,
    /// The SMTP relay the portal's mails go through: smtp://host:port (plain SMTP, e.g. a
    /// relay on the organisation's network). Without it mails wait in the outbox (see /mail);
    /// with --demo a built-in SMTP sink on loopback receives them (shown at /demo/mail).
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,
    /// The sender address of the portal's mails (default: the register's controller e-mail).
    #[arg(long, value_name = "ADDRESS")]
    mail_from: Option<String>,
    /// A folder with nl.toml and/or en.toml overriding the portal's mail texts key by key
    /// (the keys of crates/waarborg-app/mail/*.toml).
    #[arg(long, value_name = "DIR")]
    mail_templates: Option<PathBuf>,
    /// Portal requests one client address may make per 15 minutes (kept in memory, per
    /// process); over it the portal answers 429.
    #[arg(long, default_value_t = 20, value_name = "N")]
    portal_client_limit: u32,
    /// Portal requests per e-mail address per 15 minutes; over it the answer stays the same
    /// but no more mail is sent.
    #[arg(long, default_value_t = 5, value_name = "N")]
    portal_address_limit: u32,
}

/// Runs the command.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    let Commands::Serve(args) = cmd;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(serve(args))?;
    Ok(ExitCode::SUCCESS)
}

/// A password for the demo officer: 16 random letters and digits.
fn demo_password() -> anyhow::Result<String> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

async fn serve(a: ServeArgs) -> anyhow::Result<()> {
    let tz = waarborg_app::config::time_zone(
        std::env::var(waarborg_app::config::TZ_ENV).ok().as_deref(),
    )?;
    let (ws, store, data_dir) = if a.demo {
        let mut say = |line: &str| eprintln!("{line}");
        let org = waarborg_app::demo::build(&a.demo_dir, &mut say).await?;
        let register = LoadedRegister::load(&org.policy)?;
        let ws = Workspace::connect(
            org.keys.clone(),
            Some(register),
            &org.datasets,
            &org.bindings,
        )
        .await?;
        let store =
            waarborg_app::config::open_store(&org.store_url, &org.keys, false, a.store_connections)
                .await?;
        let email = "officer@example.nl";
        let password = demo_password()?;
        store
            .add_user(
                email,
                &password,
                waarborg_store::Role::Officer,
                waarborg_policy::Lang::Nl,
            )
            .await?;
        eprintln!("\nDemo-account / demo account: {email}  wachtwoord / password: {password}");
        (ws, store, org.folder.join("data"))
    } else {
        let keys = Keys::from_env();
        let register = waarborg_app::register::load_optional(a.policy.as_deref())?;
        let bindings = waarborg_app::config::parse_bindings(&a.db)?;
        let ws = match &a.datasets {
            Some(ds) => Workspace::connect(keys.clone(), register, ds, &bindings).await?,
            None => Workspace::new(keys.clone(), register),
        };
        let store =
            waarborg_app::config::open_store(&a.store, &keys, false, a.store_connections).await?;
        (
            ws,
            store,
            a.data_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from("waarborg-data")),
        )
    };
    let config = ServerConfig {
        public_url: a.public_url.clone(),
        data_dir,
        session_ttl: Duration::from_secs(a.session_hours.max(1) * 3600),
        time_zone: tz,
        schema_check: (a.schema_check_secs > 0).then(|| Duration::from_secs(a.schema_check_secs)),
    };
    let banner = waarborg_server::BannerSettings {
        origins: a.banner_origin.clone(),
        demo: a.demo,
        ..waarborg_server::BannerSettings::default()
    };
    let from = a
        .mail_from
        .clone()
        .or_else(|| {
            ws.register()
                .and_then(|r| r.policy.controller.email.clone())
        })
        .unwrap_or_else(|| "waarborg@localhost".to_string());
    let mut portal = waarborg_server::portal::PortalConfig::new(
        waarborg_app::mail::MailTemplates::load(a.mail_templates.as_deref())?,
    );
    portal.per_client = (a.portal_client_limit, Duration::from_secs(900));
    portal.per_address = (a.portal_address_limit, Duration::from_secs(900));
    // An explicit --smtp wins, also with --demo; the demo alone gets a sink on loopback.
    let smtp = match (&a.smtp, a.demo) {
        (Some(url), _) => Some(url.clone()),
        (None, true) => {
            let sink = waarborg_server::smtp_sink::SmtpSink::start("127.0.0.1:0".parse()?)
                .await
                .context("cannot start the demo's SMTP sink")?;
            let url = sink.url();
            eprintln!("Demo: mails go to a built-in SMTP sink ({url}); read them at /demo/mail");
            portal.sink = Some(sink);
            Some(url)
        }
        (None, false) => None,
    };
    if let Some(url) = &smtp {
        portal.mailer = Some(waarborg_server::mailer::Mailer::new(url, &from)?);
    }
    let state = Arc::new(
        AppState::new(store, ws, config)?
            .with_portal(portal)?
            .with_banner(banner)?,
    );
    let public = a.public_url.clone();
    let demo = a.demo;
    waarborg_server::serve(state, a.bind, waarborg_server::shutdown_signal(), move |addr| {
        let url = public.unwrap_or_else(|| format!("http://{addr}/"));
        eprintln!("Waarborg serves the dashboard at {url} (portal: {url}privacy and {url}portal; API: {url}api/v1/, OpenAPI: {url}api/openapi.json); stop with ctrl-c");
        if demo {
            eprintln!("the demo shop with the cookie banner: {url}demo/shop (cookie table: {url}cookies)");
        }
    })
    .await?;
    eprintln!("stopped");
    Ok(())
}
