#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    dead_code
)]
//! The portal tests' server: the demo organisation served for real on loopback, its mails
//! sent with lettre over a real SMTP conversation to the library's SMTP sink.

use std::sync::Arc;
use std::time::Duration;

use waarborg_app::{LoadedRegister, Workspace};
use waarborg_policy::Lang;
use waarborg_server::portal::PortalConfig;
use waarborg_server::smtp_sink::{ReceivedMail, SmtpSink};
use waarborg_server::{AppState, ServerConfig};
use waarborg_store::{Role, Store};

pub const OFFICER: (&str, &str) = ("officer@example.nl", "officer-pass-1234");

pub struct Server {
    pub base: String,
    pub store: Store,
    pub sink: SmtpSink,
    pub data_dir: std::path::PathBuf,
    running: waarborg_server::Running,
    _dir: tempfile::TempDir,
}

/// Starts the demo with the portal; `tune` may change the portal's settings (limits, mailer).
pub async fn start(tune: impl FnOnce(&mut PortalConfig, &SmtpSink)) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut quiet = |_: &str| {};
    let org = waarborg_app::demo::build(&dir.path().join("demo"), &mut quiet)
        .await
        .unwrap();
    let register = LoadedRegister::load(&org.policy).unwrap();
    let ws = Workspace::connect(
        org.keys.clone(),
        Some(register),
        &org.datasets,
        &org.bindings,
    )
    .await
    .unwrap();
    let store = waarborg_app::config::open_store(&org.store_url, &org.keys, false, 4)
        .await
        .unwrap();
    store
        .add_user(OFFICER.0, OFFICER.1, Role::Officer, Lang::En)
        .await
        .unwrap();
    let data_dir = org.folder.join("data");
    let config = ServerConfig {
        public_url: None,
        data_dir: data_dir.clone(),
        session_ttl: Duration::from_secs(3600),
        time_zone: waarborg_app::config::time_zone(None).unwrap(),
        schema_check: None,
    };
    let sink = SmtpSink::start("127.0.0.1:0".parse().unwrap())
        .await
        .expect("the SMTP sink must listen on loopback");
    let mut portal = PortalConfig::new(waarborg_app::mail::MailTemplates::load(None).unwrap());
    portal.mailer = Some(
        waarborg_server::mailer::Mailer::new(&sink.url(), "privacy@voorbeeldwebwinkel.example")
            .unwrap(),
    );
    portal.worker_every = Duration::from_millis(200);
    tune(&mut portal, &sink);
    let state = Arc::new(
        AppState::new(store.clone(), ws, config)
            .unwrap()
            .with_portal(portal)
            .unwrap(),
    );
    let running = waarborg_server::spawn(state, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let addr = running.addr;
    Server {
        base: format!("http://{addr}"),
        store,
        sink,
        data_dir,
        running,
        _dir: dir,
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The newest mail to `to` whose subject contains `subject` (waits up to 10 s).
    pub async fn mail(&self, to: &str, subject: &str) -> ReceivedMail {
        let s = subject.to_string();
        self.sink
            .wait_for(to, Duration::from_secs(10), move |m| {
                m.header("Subject").is_some_and(|h| h.contains(&s))
            })
            .await
            .unwrap_or_else(|| {
                panic!(
                    "no mail to {to} with subject `{subject}` within 10 s; received: {:?}",
                    self.sink
                        .mails()
                        .iter()
                        .map(|m| (m.to.clone(), m.header("Subject")))
                        .collect::<Vec<_>>()
                )
            })
    }

    /// The path-and-token of the first link in `mail` under `/portal/{what}/`.
    pub fn link(&self, mail: &ReceivedMail, what: &str) -> String {
        mail.link(&self.url(&format!("/portal/{what}/")))
            .unwrap_or_else(|| panic!("no {what} link in the mail: {}", mail.body()))
    }

    pub async fn stop(self) {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.running.stop()).await;
        self.sink.stop();
    }
}

/// A client with a cookie jar, not following redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The CSRF token of the public form at `page` (sets the cookie in `c`'s jar).
pub async fn csrf(c: &reqwest::Client, page: &str) -> String {
    let html = c.get(page).send().await.unwrap().text().await.unwrap();
    let at = html
        .find("name=\"csrf\" value=\"")
        .unwrap_or_else(|| panic!("no CSRF field on {page}"));
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}
