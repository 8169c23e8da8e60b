//! One error type for every use case, with a kind that front ends map to what they speak:
//! a process exit code for the CLI, an HTTP status for the server.

use std::fmt;

/// What kind of failure an [`AppError`] is; decides the CLI exit code and the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input is wrong (a malformed value, an unknown purpose, a file that does not parse).
    Invalid,
    /// What was asked for does not exist (a case id, a store that was never created).
    NotFound,
    /// The request conflicts with the current state (a closed case, a used-up consent, a
    /// schema that no longer matches the dataset file).
    Conflict,
    /// The caller is not known: no session, an expired token, a failed login.
    Unauthenticated,
    /// The caller may not do this.
    Forbidden,
    /// Too many attempts; try again later.
    RateLimited,
    /// What was asked for existed but is no longer there (a used or expired link).
    Gone,
    /// A database or the store did not answer; trying again later may work.
    Unavailable,
    /// A fault in Waarborg or a corrupt store; report it.
    Internal,
}

impl ErrorKind {
    /// The process exit code of the CLI: 2 for everything the user must fix (input, unknown
    /// ids, state, rights), 4 when a service did not answer, 70 for an internal fault.
    /// (0 is success, 1 "findings" such as lint errors, 3 "no one found".)
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Invalid
            | ErrorKind::NotFound
            | ErrorKind::Conflict
            | ErrorKind::Unauthenticated
            | ErrorKind::Forbidden
            | ErrorKind::RateLimited
            | ErrorKind::Gone => 2,
            ErrorKind::Unavailable => 4,
            ErrorKind::Internal => 70,
        }
    }

    /// The HTTP status of the server.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::Invalid => 422,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Unauthenticated => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::RateLimited => 429,
            ErrorKind::Gone => 410,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        }
    }

    /// A stable name (`invalid`, `not_found`, ...), used in problem+json `type` URIs.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Invalid => "invalid",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unauthenticated => "unauthenticated",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Gone => "gone",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }

    /// A short title in Dutch or English, for problem+json and error pages.
    pub fn title(self, lang: waarborg_policy::Lang) -> &'static str {
        let nl = lang == waarborg_policy::Lang::Nl;
        match (self, nl) {
            (ErrorKind::Invalid, true) => "Ongeldige invoer",
            (ErrorKind::Invalid, false) => "Invalid input",
            (ErrorKind::NotFound, true) => "Niet gevonden",
            (ErrorKind::NotFound, false) => "Not found",
            (ErrorKind::Conflict, true) => "Kan nu niet",
            (ErrorKind::Conflict, false) => "Conflicts with the current state",
            (ErrorKind::Unauthenticated, true) => "Niet ingelogd",
            (ErrorKind::Unauthenticated, false) => "Not logged in",
            (ErrorKind::RateLimited, true) => "Te veel pogingen",
            (ErrorKind::RateLimited, false) => "Too many attempts",
            (ErrorKind::Gone, true) => "Niet meer geldig",
            (ErrorKind::Gone, false) => "No longer valid",
            (ErrorKind::Forbidden, true) => "Niet toegestaan",
            (ErrorKind::Forbidden, false) => "Forbidden",
            (ErrorKind::Unavailable, true) => "Tijdelijk niet bereikbaar",
            (ErrorKind::Unavailable, false) => "Temporarily unavailable",
            (ErrorKind::Internal, true) => "Interne fout",
            (ErrorKind::Internal, false) => "Internal error",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed use case: its kind and a message that tells the user what to do.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The whole message, causes included.
    pub message: String,
}

/// The result of a use case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    /// A new error.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> AppError {
        AppError {
            kind,
            message: message.into(),
        }
    }

    /// Invalid input.
    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Invalid, message)
    }

    /// Not found.
    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::NotFound, message)
    }

    /// Conflicts with the current state.
    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Conflict, message)
    }

    /// Not allowed for this caller.
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Forbidden, message)
    }

    /// An internal fault.
    pub fn internal(message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Internal, message)
    }

    /// The same error with `context: ` put in front of its message.
    pub fn context(mut self, context: impl fmt::Display) -> AppError {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

/// Adds context to a result's error.
pub trait Context<T> {
    /// Puts `context: ` in front of the error's message.
    fn context(self, context: impl fmt::Display) -> Result<T>;
    /// As [`Context::context`], computed only on failure.
    fn with_context<C: fmt::Display>(self, f: impl FnOnce() -> C) -> Result<T>;
}

impl<T, E: Into<AppError>> Context<T> for std::result::Result<T, E> {
    fn context(self, context: impl fmt::Display) -> Result<T> {
        self.map_err(|e| e.into().context(context))
    }
    fn with_context<C: fmt::Display>(self, f: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|e| e.into().context(f()))
    }
}

/// Classifies a database error by its text (without depending on a driver here): connection
/// problems are `Unavailable`, the rest `Internal`.
fn db_kind(text: &str) -> ErrorKind {
    let t = text.to_ascii_lowercase();
    let unavailable = [
        "connection refused",
        "timed out",
        "broken pipe",
        "connection reset",
        "no route to host",
        "error communicating with database",
        "database is locked",
    ];
    if unavailable.iter().any(|u| t.contains(u)) {
        ErrorKind::Unavailable
    } else {
        ErrorKind::Internal
    }
}

impl From<waarborg_store::Error> for AppError {
    fn from(e: waarborg_store::Error) -> AppError {
        use waarborg_store::Error as E;
        let message = e.to_string();
        let kind = match &e {
            E::Open { .. } => ErrorKind::Unavailable,
            E::UnknownScheme { .. } | E::AmbiguousCase(_) | E::AuditKeyRequired { .. } => {
                ErrorKind::Invalid
            }
            E::Invalid(_) | E::Time(_) | E::PasswordTooShort { .. } => ErrorKind::Invalid,
            E::NoStore { .. }
            | E::CaseNotFound(_)
            | E::IncidentNotFound(_)
            | E::UserNotFound(_)
            | E::TokenNotFound(_)
            | E::LinkNotFound => ErrorKind::NotFound,
            E::LinkGone(_) => ErrorKind::Gone,
            E::LoginFailed => ErrorKind::Unauthenticated,
            E::TooManyAttempts { .. } => ErrorKind::RateLimited,
            E::EmailTaken | E::LastOfficer(_) => ErrorKind::Conflict,
            E::SchemaTooNew { .. }
            | E::InvalidTransition { .. }
            | E::ExtensionRefused { .. }
            | E::NoConsent { .. }
            | E::ConsentUsedUp { .. } => ErrorKind::Conflict,
            E::Db(_) => db_kind(&message),
            _ => ErrorKind::Internal,
        };
        AppError { kind, message }
    }
}

impl From<waarborg_engine::EngineError> for AppError {
    fn from(e: waarborg_engine::EngineError) -> AppError {
        use waarborg_engine::EngineError as E;
        let message = e.to_string();
        let kind = match &e {
            E::File { .. }
            | E::Dataset(_)
            | E::Unbound(_)
            | E::UnsupportedUrl(_)
            | E::Register(_)
            | E::Subject(_)
            | E::InvalidValue { .. }
            | E::MissingKey
            | E::Time(_) => ErrorKind::Invalid,
            E::DeleteCycle(_) | E::SchemaMismatch(_) | E::UndescribedForeignKeys { .. } => {
                ErrorKind::Conflict
            }
            E::Db { .. } => db_kind(&message),
            _ => ErrorKind::Internal,
        };
        AppError { kind, message }
    }
}

impl From<waarborg_policy::LoadError> for AppError {
    fn from(e: waarborg_policy::LoadError) -> AppError {
        AppError::invalid(e.to_string())
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> AppError {
        let kind = match e.kind() {
            std::io::ErrorKind::NotFound => ErrorKind::NotFound,
            std::io::ErrorKind::PermissionDenied => ErrorKind::Forbidden,
            _ => ErrorKind::Internal,
        };
        AppError::new(kind, e.to_string())
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> AppError {
        AppError::internal(format!("cannot serialise: {e}"))
    }
}

impl From<jiff::Error> for AppError {
    fn from(e: jiff::Error) -> AppError {
        AppError::invalid(e.to_string())
    }
}
