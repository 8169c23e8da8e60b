//! `waarborg serve`: the data subject's portal ([`portal`]: privacy statement, requests,
//! consent), the privacy officer's dashboard (server-rendered HTML, Dutch and English,
//! working without JavaScript) and the JSON API under `/api/v1/`, described by the OpenAPI
//! document at `/api/openapi.json`. One binary, SQLite by default.
//!
//! Every handler is thin: it checks who asks ([`auth`]), calls a use case of `waarborg_app`
//! and presents the result. The server keeps the store's pool, the connected databases and the
//! checked schema warm for its lifetime, so a request costs what its SQL costs.
#![warn(missing_docs)]

pub mod api;
pub mod auth;
pub mod banner;
mod breaches;
mod documents;
pub mod i18n;
pub mod mailer;
mod pages;
pub mod portal;
pub mod smtp_sink;
pub mod state;
mod views;
mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub use banner::BannerSettings;
pub use state::{AppState, ServerConfig};

/// The strict Content-Security-Policy of every response: only this origin's stylesheet and
/// script, no inline script, no framing, forms only to this origin; `fetch` only to this
/// origin (the cookie banner on the demo shop page asks its config and posts the choice).
pub const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The largest request body accepted (forms and JSON).
pub const BODY_LIMIT: usize = 256 * 1024;

/// The whole application: dashboard, API, health check, with the security headers.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(web::routes())
        .merge(breaches::routes())
        .merge(banner::routes())
        .merge(portal::routes())
        .nest("/api/v1", api::routes())
        .route("/api/openapi.json", axum::routing::get(api::openapi_json))
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cache-control"),
            HeaderValue::from_static("no-store"),
        ))
}

/// A server started by [`spawn`] on a task of the current runtime (for embedding and tests).
#[derive(Debug)]
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), ServeError>>,
}

impl Running {
    /// Stops accepting connections, lets running requests finish, and waits for the end.
    pub async fn stop(mut self) -> Result<(), ServeError> {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(ServeError::Io(std::io::Error::other(e.to_string()))),
        }
    }
}

/// Serves `state` on `addr` (port 0: any free port) on a new task until [`Running::stop`];
/// returns once it listens.
pub async fn spawn(state: Arc<AppState>, addr: SocketAddr) -> Result<Running, ServeError> {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<SocketAddr>();
    let task = tokio::spawn(serve(
        state,
        addr,
        async move {
            let _ = stopped.await;
        },
        move |a| {
            let _ = ready_tx.send(a);
        },
    ));
    match ready_rx.await {
        Ok(addr) => Ok(Running {
            addr,
            stop: Some(stop),
            task,
        }),
        // It never listened: the task ended with the reason.
        Err(_) => match task.await {
            Ok(Err(e)) => Err(e),
            Ok(Ok(())) => Err(ServeError::Io(std::io::Error::other(
                "the server stopped before it listened",
            ))),
            Err(e) => Err(ServeError::Io(std::io::Error::other(e.to_string()))),
        },
    }
}

/// Errors of starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error(
        "cannot listen on {addr}: {source}; is another program using the port? Choose one with --bind"
    )]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The server stopped with an I/O error.
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves until `shutdown` completes; then stops accepting connections and lets running
/// requests finish (at most 30 seconds). Calls `ready` with the bound address once listening.
pub async fn serve<F>(
    state: Arc<AppState>,
    addr: SocketAddr,
    shutdown: F,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError>
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener.local_addr()?;
    ready(local);
    state.portal.bound(local);
    let app = router(state.clone());
    let mail_worker = crate::mailer::spawn_worker(state.clone(), state.portal.worker_every());
    let checker = state.config.schema_check.map(|every| {
        let st = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tick.tick().await;
                match st.ws.recheck().await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(
                        "the live schema no longer matches the dataset file; requests on the databases are refused until it does"
                    ),
                    Err(e) => tracing::warn!("schema check: {}", e.kind),
                }
            }
        })
    });
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let mut rx = stop_rx.clone();
    tokio::select! {
        r = server.into_future() => r?,
        _ = async {
            // Once shutdown begins, running requests get 30 s to finish.
            let _ = rx.wait_for(|s| *s).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        } => {
            tracing::warn!("requests still running 30 s after shutdown began; stopping anyway");
        }
    }
    if let Some(c) = checker {
        c.abort();
    }
    mail_worker.abort();
    state.store.close().await;
    Ok(())
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
