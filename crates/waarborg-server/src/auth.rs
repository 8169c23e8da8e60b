//! Who is asking: the dashboard's session cookie, or the API's bearer token. Both end in the
//! same [`Caller`], whose role the use cases' permission table ([`waarborg_app::auth`]) checks.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use waarborg_app::auth::{Action, permit};
use waarborg_app::{AppError, ErrorKind};
use waarborg_policy::Lang;
use waarborg_store::{Session, User};

use crate::api::Problem;
use crate::state::AppState;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "wb_session";

/// A logged-in user of the dashboard.
#[derive(Debug, Clone)]
pub struct WebUser {
    /// The user.
    pub user: User,
    /// Their session.
    pub session: Session,
}

impl WebUser {
    /// The user's language.
    pub fn lang(&self) -> Lang {
        self.user.lang
    }

    /// `Ok` when the user may do `action`.
    pub fn permit(&self, action: Action) -> Result<(), AppError> {
        permit(self.user.role, action)
    }

    /// Checks a form's CSRF token against this session.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        if self.session.check_csrf(token) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "the form is out of date or did not come from this site; reload the page and try again",
            ))
        }
    }

    /// The CSRF token for this session's forms.
    pub fn csrf(&self) -> String {
        self.session.csrf_token().unwrap_or_default()
    }
}

/// The value of cookie `name` in the request's headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The `Set-Cookie` value of a session cookie (`max_age` seconds; 0 removes it).
pub fn session_cookie(value: &str, max_age: u64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

impl FromRequestParts<Arc<AppState>> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || {
            let next = parts.uri.path();
            let next = if next.starts_with('/') && !next.starts_with("//") {
                next
            } else {
                "/"
            };
            Redirect::to(&format!("/login?next={}", urlencode(next))).into_response()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        match state.store.session(token, jiff::Timestamp::now()).await {
            Ok(Some((session, user))) => Ok(WebUser { user, session }),
            Ok(None) => Err(to_login()),
            Err(e) => Err(crate::web::error_page(state, Lang::Nl, &AppError::from(e))),
        }
    }
}

/// A caller of the API, by bearer token.
#[derive(Debug, Clone)]
pub struct ApiUser {
    /// The token's user.
    pub user: User,
}

impl ApiUser {
    /// `Ok` when the user may do `action`.
    pub fn permit(&self, action: Action) -> Result<(), AppError> {
        permit(self.user.role, action)
    }
}

impl FromRequestParts<Arc<AppState>> for ApiUser {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim);
        let Some(token) = token else {
            return Err(Problem::from(AppError::new(
                ErrorKind::Unauthenticated,
                "send an API token as `Authorization: Bearer wb_...` (make one with `waarborg token add`)",
            )));
        };
        match state
            .store
            .api_token_user(token, jiff::Timestamp::now())
            .await
        {
            Ok(Some((_, user))) => Ok(ApiUser { user }),
            Ok(None) => Err(Problem::from(AppError::new(
                ErrorKind::Unauthenticated,
                "the API token is unknown, expired or revoked",
            ))),
            Err(e) => Err(Problem::from(AppError::from(e))),
        }
    }
}

/// Percent-encodes a path or query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
