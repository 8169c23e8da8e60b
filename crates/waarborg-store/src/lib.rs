//! Waarborg's own state: data-subject request cases with deadlines, the consent ledger, the
//! tamper-evident audit hash chain, and the server's accounts, sessions and API tokens; SQLite by
//! default, PostgreSQL by URL.
//!
//! ```no_run
//! # async fn demo() -> Result<(), waarborg_store::Error> {
//! use waarborg_store::{CaseKind, Identity, NewCase, Store};
//! let store = Store::open("waarborg.db").await?;
//! let case = store
//!     .open_case(NewCase::new(CaseKind::Access, Identity::parse_pairs(["email=a@example.nl"])?))
//!     .await?;
//! store.append_engine_run("access", &"0".repeat(64), &serde_json::json!({"rows": 3})).await?;
//! assert!(store.verify_audit().await?.ok());
//! # let _ = case; Ok(()) }
//! ```
//!
//! Every change is one transaction that writes the event and its audit entry together. See
//! `docs/store.md` for the schema and the chain format.
#![warn(missing_docs)]

pub mod audit;
mod cases;
pub mod checkpoint;
mod consent;
mod db;
pub mod deadline;
pub mod incidents;
pub mod portal;
mod records;
pub mod runs;
mod store;
mod users;

pub use audit::{AuditEntry, Problem, ProblemKind, VerifyReport};
pub use cases::{
    Case, CaseCounts, CaseEvent, CaseFilter, CaseKind, CaseStatus, Identity, NewCase, PurgeReport,
};
pub use checkpoint::Checkpoint;
pub use consent::{
    ConsentAction, ConsentEvent, ConsentGrant, ConsentScope, ConsentState, ConsentUse,
    PurposeSummary,
};
pub use db::Backend;
pub use incidents::{
    Assessment, ControllerTold, Incident, IncidentEvent, IncidentFacts, IncidentStatus, Nature,
    Notification, Risk,
};
pub use portal::{
    Link, LinkPurpose, Mail, NewLink, NewMail, OutboxCounts, PortalRequest, subject_key,
};
pub use runs::{Run, RunIntent, RunOutcome};
pub use store::{DEFAULT_EVIDENCE_PERIOD, DEFAULT_STORE, SCHEMA_VERSION, Store, StoreOptions};
pub use users::{
    API_TOKEN_PREFIX, ApiToken, ApiTokenSecret, LOGIN_MAX_FAILURES, LOGIN_WINDOW,
    MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, Role, Session, SessionToken, User, normalize_email,
    parse_lang,
};

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store could not be opened.
    #[error("cannot open the store {url}: {source}")]
    Open {
        /// The store URL (without password).
        url: String,
        /// The cause.
        source: sqlx::Error,
    },
    /// The store URL names a scheme other than SQLite or PostgreSQL.
    #[error("unknown store scheme `{scheme}://`; a store is {accepted}")]
    UnknownScheme {
        /// The scheme given.
        scheme: String,
        /// The forms accepted.
        accepted: &'static str,
    },
    /// A command that only reads was pointed at a store that does not exist.
    #[error(
        "no store at {url}: {reason}. Check --store (or WAARBORG_STORE); a store is created by \
         the first command that writes to it (e.g. `waarborg case open`)"
    )]
    NoStore {
        /// The store URL (without password).
        url: String,
        /// What was found instead.
        reason: String,
    },
    /// The database was written by a newer Waarborg.
    #[error(
        "the store's schema is version {found}, newer than the newest this waarborg knows \
         ({known}); use a newer waarborg for this store"
    )]
    SchemaTooNew {
        /// The newest migration applied to the database.
        found: i64,
        /// The newest migration this binary has.
        known: i64,
    },
    /// A migration failed.
    #[error("cannot migrate the store: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database reported an error.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// Date arithmetic failed.
    #[error("date arithmetic: {0}")]
    Time(#[from] jiff::Error),
    /// No case has this id.
    #[error("no case with id {0}")]
    CaseNotFound(String),
    /// No incident with this id in the breach register.
    #[error("no incident {0}; `waarborg breach list` shows them")]
    IncidentNotFound(String),
    /// A case id prefix matches several cases.
    #[error("the id prefix {0} matches more than one case; give more of the id")]
    AmbiguousCase(String),
    /// The status machine does not allow this transition.
    #[error("case {id} is {from}; it cannot become {to} (allowed: {allowed})")]
    InvalidTransition {
        /// The case.
        id: String,
        /// Its current status.
        from: CaseStatus,
        /// The status asked for.
        to: CaseStatus,
        /// What the current status may become.
        allowed: String,
    },
    /// The deadline may not be extended (again, or any more).
    #[error("case {id} cannot be extended: {reason}")]
    ExtensionRefused {
        /// The case.
        id: String,
        /// Why not.
        reason: String,
    },
    /// There is no consent in force for this use.
    #[error("no consent in force for purpose {purpose}{detail}")]
    NoConsent {
        /// The purpose.
        purpose: String,
        /// More about what was looked for.
        detail: String,
    },
    /// A single-use consent was already used.
    #[error(
        "the single-use consent for purpose {purpose} (object {object}, recipient {recipient}) \
         has already been used; ask for consent again"
    )]
    ConsentUsedUp {
        /// The purpose.
        purpose: String,
        /// The object it was tied to.
        object: String,
        /// The recipient it was tied to.
        recipient: String,
    },
    /// The chain is keyed and this store has no key: appending a plain entry would be a
    /// downgrade.
    #[error(
        "the audit chain is keyed (hmac-sha256; its last entry is seq {seq}) and no audit key is \
         set: set WAARBORG_AUDIT_KEY (StoreOptions::audit_key) to the chain's key to write to this store"
    )]
    AuditKeyRequired {
        /// The last entry of the chain.
        seq: i64,
    },
    /// A password shorter than [`MIN_PASSWORD_CHARS`].
    #[error(
        "the password has {got} characters; it needs at least {min}. A passphrase of a few \
         unrelated words is long and easy to remember"
    )]
    PasswordTooShort {
        /// The least number of characters.
        min: usize,
        /// The number given.
        got: usize,
    },
    /// A user with this e-mail address exists already (e-mail addresses are compared
    /// trimmed and lower-cased).
    #[error(
        "a user with this e-mail address exists already; change that user (role, password) or \
         use another address"
    )]
    EmailTaken,
    /// No user has this id.
    #[error("no user with id {0}")]
    UserNotFound(i64),
    /// No API token has this id.
    #[error("no API token with id {0}")]
    TokenNotFound(i64),
    /// Unknown e-mail address, disabled user or wrong password: deliberately not told apart.
    #[error("login failed: unknown e-mail address or wrong password")]
    LoginFailed,
    /// Too many failed logins for this e-mail address; try again later.
    #[error("too many failed logins for this e-mail address; try again in {retry_after_secs} s")]
    TooManyAttempts {
        /// Seconds until a login is checked again.
        retry_after_secs: u64,
    },
    /// The change would leave no enabled officer to manage users.
    #[error(
        "user {0} is the last enabled officer; make another user officer first, or nobody can \
         manage users any more"
    )]
    LastOfficer(i64),
    /// Hashing, random numbers or another cryptographic step failed.
    #[error("cryptography: {0}")]
    Crypto(String),
    /// Input that does not make sense.
    #[error("{0}")]
    Invalid(String),
    /// A portal link that does not exist (or is for something else).
    #[error("this link is not valid; request a new one")]
    LinkNotFound,
    /// A portal link that expired or was used already.
    #[error("{0}; request a new link")]
    LinkGone(String),
    /// A stored row that does not make sense.
    #[error("the store holds an unreadable value: {0}")]
    Corrupt(String),
}
