//! Accounts, browser sessions and API tokens for the server (`waarborg serve`).
//!
//! No secret is stored in the clear: passwords as argon2id PHC strings, session and API tokens
//! as hex SHA-256 (a token is 32 random bytes, so a fast hash is enough), failed logins under a
//! hash of the e-mail address. Adding and disabling a user, changing a role or a password and
//! creating or revoking an API token each append an audit entry in the same transaction (user
//! id and role, never the e-mail address, password, hash or token); sessions and logins are not
//! audited. Permission checks live in the application layer; [`Role`] only says what a role
//! may do. See `docs/store.md`, "Accounts, sessions and API tokens".

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use hmac::{Hmac, KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sha2::{Digest, Sha256};
use waarborg_policy::Lang;

use crate::audit::{Problem, ProblemKind};
use crate::db::{Backend, Row, Tx, args};
use crate::deadline::{fmt_ts, micros, now, parse_ts};
use crate::{Error, Store};

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The longest password accepted, in bytes (a bound on the work one login asks for).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// How many failed logins for one e-mail address within [`LOGIN_WINDOW`] lock it.
pub const LOGIN_MAX_FAILURES: usize = 5;

/// The window in which failed logins are counted: 15 minutes.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// What every API token starts with (so that secret scanners and people recognise it).
pub const API_TOKEN_PREFIX: &str = "wb_";

/// An argon2id hash (of a random password nobody knows) that [`Store::login`] verifies against
/// when the e-mail address is unknown, so that an unknown address costs the same time as a
/// wrong password. Made with the default parameters (m=19456, t=2, p=1); a unit test checks that
/// they are those [`Store::add_user`] hashes with.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$hZGyjE0e6mOHUV1zBKLpuA$N3m4q3pDJ1O9M2mJ1QO9iO2rC9RVuvHw2QmIsL6T9Bo";

/// What a user may do. Checked by the application layer; the store only records the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The privacy officer: everything an operator may do, and manage users and API tokens,
    /// run sweeps and change the register.
    Officer,
    /// Carries out cases: opens, verifies, extends, closes and rejects requests, records
    /// consent, runs access, erasure and rectification for a case.
    Operator,
    /// Reads everything (cases, consent ledger, audit trail, reports) and changes nothing.
    Auditor,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 3] = [Role::Officer, Role::Operator, Role::Auditor];

    /// The stored name: `officer`, `operator` or `auditor`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Operator => "operator",
            Role::Auditor => "auditor",
        }
    }

    /// Whether this role may change cases and the consent ledger (officer, operator).
    pub fn can_change_cases(self) -> bool {
        matches!(self, Role::Officer | Role::Operator)
    }

    /// Whether this role may manage users and tokens, run sweeps and change the register
    /// (officer only).
    pub fn can_admin(self) -> bool {
        matches!(self, Role::Officer)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Role, Error> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "unknown role `{s}`; a role is officer, operator or auditor"
                ))
            })
    }
}

/// Parses a language code as stored: `nl` or `en`.
pub fn parse_lang(s: &str) -> Result<Lang, Error> {
    s.parse::<Lang>().map_err(|e| Error::Invalid(e.to_string()))
}

/// An account of the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// The user's number.
    pub id: i64,
    /// The e-mail address, trimmed and lower-cased; unique.
    pub email: String,
    /// What the user may do.
    pub role: Role,
    /// The language of the dashboard for this user (`nl` by default).
    pub lang: Lang,
    /// When the account was made.
    pub created_at: Timestamp,
    /// Whether the account is disabled (it can no longer log in, and its sessions and API
    /// tokens no longer work).
    pub disabled: bool,
}

/// The plaintext of a session token, shown to the browser once (as a cookie) and never stored.
/// `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

/// The plaintext of an API token (`wb_...`), shown once when made and never stored.
/// `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiTokenSecret(String);

macro_rules! secret_text {
    ($t:ident) => {
        impl $t {
            /// The token's text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The token's text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($t), "(<redacted>)"))
            }
        }
    };
}
secret_text!(SessionToken);
secret_text!(ApiTokenSecret);

/// A browser session.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    /// The session's number (not secret; the token is).
    pub id: i64,
    /// Whose session it is.
    pub user_id: i64,
    /// When it began.
    pub created_at: Timestamp,
    /// When it ends, whatever happens (absolute expiry, exclusive).
    pub expires_at: Timestamp,
    /// A random secret (hex) of this session from which CSRF tokens are derived; see
    /// [`Session::csrf_token`]. Never sent to the browser as such.
    #[serde(skip)]
    pub csrf_secret: String,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("csrf_secret", &"<redacted>")
            .finish()
    }
}

impl Session {
    fn csrf_mac(&self) -> Result<Hmac<Sha256>, Error> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.csrf_secret.as_bytes())
            .map_err(|e| Error::Crypto(format!("CSRF key: {e}")))?;
        mac.update(b"waarborg-csrf-v1");
        Ok(mac)
    }

    /// The CSRF token of this session (hex HMAC-SHA-256 of a fixed label under the session's
    /// secret): put it in forms, and check what comes back with [`Session::check_csrf`].
    pub fn csrf_token(&self) -> Result<String, Error> {
        Ok(hex::encode(self.csrf_mac()?.finalize().into_bytes()))
    }

    /// Whether `token` is this session's CSRF token (compared in constant time).
    pub fn check_csrf(&self, token: &str) -> bool {
        let Ok(given) = hex::decode(token.trim()) else {
            return false;
        };
        self.csrf_mac()
            .map(|m| m.verify_slice(&given).is_ok())
            .unwrap_or(false)
    }
}

/// An API token as stored (without its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// The token's number.
    pub id: i64,
    /// Whose token it is: requests with it act as this user, with this user's role.
    pub user_id: i64,
    /// What it is for (`ci`, `portal`, ...).
    pub name: String,
    /// The token's first characters (`wb_1a2b3c4d`), to recognise it; not secret.
    pub prefix: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working (exclusive).
    pub expires_at: Timestamp,
    /// When it was last used (recorded at most once a minute).
    pub last_used_at: Option<Timestamp>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
}

impl ApiToken {
    /// Whether the token works at `now` (not revoked, not expired; the user may still be
    /// disabled).
    pub fn active(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// The e-mail address as stored: trimmed and lower-cased. Refuses what is no address.
pub fn normalize_email(email: &str) -> Result<String, Error> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(e.split_once('@'), Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if ok {
        Ok(e)
    } else {
        Err(Error::Invalid(
            "an e-mail address is name@domain, without spaces (at most 254 characters)".into(),
        ))
    }
}

fn check_password(password: &str) -> Result<(), Error> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(Error::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
            got: chars,
        });
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::Invalid(format!(
            "a password is at most {MAX_PASSWORD_BYTES} bytes long"
        )));
    }
    Ok(())
}

fn random_hex(bytes: usize) -> Result<String, Error> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| {
        Error::Crypto(format!(
            "cannot get random bytes from the operating system: {e}"
        ))
    })?;
    Ok(hex::encode(buf))
}

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// The key under which failed logins are counted: never the address itself.
fn throttle_key(email: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"waarborg-login-throttle-v1\0");
    h.update(email.as_bytes());
    hex::encode(h.finalize())
}

fn plus(at: Timestamp, d: Duration) -> Result<Timestamp, Error> {
    let d = SignedDuration::try_from(d)
        .map_err(|e| Error::Invalid(format!("duration out of range: {e}")))?;
    Ok(at.checked_add(d)?)
}

fn minus(at: Timestamp, d: Duration) -> Result<Timestamp, Error> {
    let d = SignedDuration::try_from(d)
        .map_err(|e| Error::Invalid(format!("duration out of range: {e}")))?;
    Ok(at.checked_sub(d)?)
}

/// Hashes a password with argon2id (default parameters, random 16-byte salt) off the async
/// threads.
async fn hash_password(password: &str) -> Result<String, Error> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| {
        Error::Crypto(format!(
            "cannot get random bytes from the operating system: {e}"
        ))
    })?;
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password_with_salt(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Crypto(format!("cannot hash the password: {e}")))
    })
    .await
    .map_err(|e| Error::Crypto(format!("the password hashing task failed: {e}")))?
}

/// Whether `password` matches the PHC string `phc` (argon2, with the parameters in `phc`).
async fn verify_password(password: &str, phc: String) -> Result<bool, Error> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), phc.as_str())
            .is_ok()
    })
    .await
    .map_err(|e| Error::Crypto(format!("the password check failed: {e}")))
}

fn opt_ts(row: &Row, col: &str) -> Result<Option<Timestamp>, Error> {
    row.opt_text(col)?.map(|s| parse_ts(&s)).transpose()
}

fn row_to_user(row: &Row) -> Result<User, Error> {
    Ok(User {
        id: row.int("id")?,
        email: row.text("email")?,
        role: row
            .text("role")?
            .parse()
            .map_err(|e: Error| Error::Corrupt(e.to_string()))?,
        lang: parse_lang(&row.text("lang")?).map_err(|e| Error::Corrupt(e.to_string()))?,
        created_at: parse_ts(&row.text("created_at")?)?,
        disabled: row.opt_text("disabled_at")?.is_some(),
    })
}

fn row_to_token(row: &Row) -> Result<ApiToken, Error> {
    Ok(ApiToken {
        id: row.int("id")?,
        user_id: row.int("user_id")?,
        name: row.text("name")?,
        prefix: row.text("prefix")?,
        created_at: parse_ts(&row.text("created_at")?)?,
        expires_at: parse_ts(&row.text("expires_at")?)?,
        last_used_at: opt_ts(row, "last_used_at")?,
        revoked_at: opt_ts(row, "revoked_at")?,
    })
}

fn row_to_session(row: &Row) -> Result<Session, Error> {
    Ok(Session {
        id: row.int("id")?,
        user_id: row.int("user_id")?,
        created_at: parse_ts(&row.text("created_at")?)?,
        expires_at: parse_ts(&row.text("expires_at")?)?,
        csrf_secret: row.text("csrf_secret")?,
    })
}

macro_rules! user_cols {
    () => {
        "id, email, role, lang, created_at, disabled_at"
    };
}

macro_rules! token_cols {
    () => {
        "id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at"
    };
}

async fn user_in(tx: &mut Tx, id: i64) -> Result<User, Error> {
    let row = tx
        .opt(
            concat!("SELECT ", user_cols!(), " FROM users WHERE id = $1"),
            args![id],
        )
        .await?
        .ok_or(Error::UserNotFound(id))?;
    row_to_user(&row)
}

fn is_unique_violation(e: &Error) -> bool {
    matches!(e, Error::Db(sqlx::Error::Database(d)) if d.is_unique_violation())
}

impl Store {
    /// Begins a write transaction that holds the audit head lock from the start (PostgreSQL),
    /// so that checks and the change they allow cannot interleave with another writer.
    async fn begin_accounts(&self) -> Result<Tx, Error> {
        let mut tx = self.pool.begin_write().await?;
        if tx.backend() == Backend::Postgres {
            tx.exec(
                "SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE",
                args![],
            )
            .await?;
        }
        Ok(tx)
    }

    /// Refuses a change that would leave no enabled officer (nobody could manage users from
    /// the dashboard any more).
    async fn keep_an_officer(&self, tx: &mut Tx, user: &User) -> Result<(), Error> {
        if user.role != Role::Officer || user.disabled {
            return Ok(());
        }
        let others = tx
            .one(
                "SELECT COUNT(*) AS n FROM users WHERE role = 'officer' AND disabled_at IS NULL \
                 AND id <> $1",
                args![user.id],
            )
            .await?
            .int("n")?;
        if others == 0 {
            return Err(Error::LastOfficer(user.id));
        }
        Ok(())
    }

    /// Adds a user. The password (at least [`MIN_PASSWORD_CHARS`] characters) is stored as an
    /// argon2id PHC string; the e-mail address is trimmed and lower-cased and must be new
    /// ([`Error::EmailTaken`]). Appends a `user.added` entry (id, role, language).
    pub async fn add_user(
        &self,
        email: &str,
        password: &str,
        role: Role,
        lang: Lang,
    ) -> Result<User, Error> {
        let email = normalize_email(email)?;
        check_password(password)?;
        let hash = hash_password(password).await?;
        let at = fmt_ts(now());
        let mut tx = self.begin_accounts().await?;
        let taken = tx
            .opt("SELECT id FROM users WHERE email = $1", args![&email])
            .await?;
        if taken.is_some() {
            return Err(Error::EmailTaken);
        }
        let row = match tx
            .one(
                concat!(
                    "INSERT INTO users (email, password_hash, role, lang, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING ",
                    user_cols!()
                ),
                args![&email, hash, role.as_str(), lang.code(), &at],
            )
            .await
        {
            Ok(row) => row,
            Err(e) if is_unique_violation(&e) => return Err(Error::EmailTaken),
            Err(e) => return Err(e),
        };
        let user = row_to_user(&row)?;
        let payload = serde_json::json!({
            "user_id": user.id,
            "role": role.as_str(),
            "lang": lang.code(),
            "at": at,
        });
        self.audit(&mut tx, "user.added", &payload).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Sets a new password (same rules as [`Store::add_user`]) and ends the user's sessions.
    /// Appends a `user.password_set` entry (id and role only).
    pub async fn set_password(&self, user_id: i64, password: &str) -> Result<(), Error> {
        check_password(password)?;
        let hash = hash_password(password).await?;
        let at = fmt_ts(now());
        let mut tx = self.begin_accounts().await?;
        let user = user_in(&mut tx, user_id).await?;
        tx.exec(
            "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3",
            args![hash, &at, user_id],
        )
        .await?;
        tx.exec("DELETE FROM sessions WHERE user_id = $1", args![user_id])
            .await?;
        let payload = serde_json::json!({
            "user_id": user_id,
            "role": user.role.as_str(),
            "at": at,
        });
        self.audit(&mut tx, "user.password_set", &payload).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a user's role; takes effect at the user's next request (sessions and tokens
    /// read the role afresh). Refuses to demote the last enabled officer
    /// ([`Error::LastOfficer`]). Appends a `user.role_changed` entry (id, old and new role)
    /// when the role changes.
    pub async fn set_role(&self, user_id: i64, role: Role) -> Result<User, Error> {
        let at = fmt_ts(now());
        let mut tx = self.begin_accounts().await?;
        let user = user_in(&mut tx, user_id).await?;
        if user.role == role {
            tx.commit().await?;
            return Ok(user);
        }
        self.keep_an_officer(&mut tx, &user).await?;
        tx.exec(
            "UPDATE users SET role = $1, updated_at = $2 WHERE id = $3",
            args![role.as_str(), &at, user_id],
        )
        .await?;
        let payload = serde_json::json!({
            "user_id": user_id,
            "from": user.role.as_str(),
            "role": role.as_str(),
            "at": at,
        });
        self.audit(&mut tx, "user.role_changed", &payload).await?;
        tx.commit().await?;
        Ok(User { role, ..user })
    }

    /// Disables a user: no more logins, and its sessions are ended (its API tokens stop
    /// working too, see [`Store::api_token_user`]). Refuses to disable the last enabled officer
    /// ([`Error::LastOfficer`]). Appends a `user.disabled` entry (id and role); disabling a
    /// disabled user changes nothing.
    pub async fn disable_user(&self, user_id: i64) -> Result<User, Error> {
        let at = fmt_ts(now());
        let mut tx = self.begin_accounts().await?;
        let user = user_in(&mut tx, user_id).await?;
        if user.disabled {
            tx.commit().await?;
            return Ok(user);
        }
        self.keep_an_officer(&mut tx, &user).await?;
        tx.exec(
            "UPDATE users SET disabled_at = $1, updated_at = $1 WHERE id = $2",
            args![&at, user_id],
        )
        .await?;
        tx.exec("DELETE FROM sessions WHERE user_id = $1", args![user_id])
            .await?;
        let payload = serde_json::json!({
            "user_id": user_id,
            "role": user.role.as_str(),
            "at": at,
        });
        self.audit(&mut tx, "user.disabled", &payload).await?;
        tx.commit().await?;
        Ok(User {
            disabled: true,
            ..user
        })
    }

    /// Every user, by id.
    pub async fn users(&self) -> Result<Vec<User>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                concat!("SELECT ", user_cols!(), " FROM users ORDER BY id"),
                args![],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(row_to_user).collect()
    }

    /// One user by id.
    pub async fn user(&self, id: i64) -> Result<Option<User>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let row = tx
            .opt(
                concat!("SELECT ", user_cols!(), " FROM users WHERE id = $1"),
                args![id],
            )
            .await?;
        tx.commit().await?;
        row.as_ref().map(row_to_user).transpose()
    }

    /// One user by e-mail address (compared trimmed and lower-cased).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, Error> {
        let email = normalize_email(email)?;
        let mut tx = self.pool.begin_read().await?;
        let row = tx
            .opt(
                concat!("SELECT ", user_cols!(), " FROM users WHERE email = $1"),
                args![email],
            )
            .await?;
        tx.commit().await?;
        row.as_ref().map(row_to_user).transpose()
    }

    /// Checks an e-mail address and password at `now`.
    ///
    /// An unknown address, a disabled user and a wrong password are all
    /// [`Error::LoginFailed`], and take the same time (an unknown address is checked against a
    /// dummy argon2id hash). Each failure is counted under a hash of the address; after
    /// [`LOGIN_MAX_FAILURES`] failures within [`LOGIN_WINDOW`] the address is refused with
    /// [`Error::TooManyAttempts`] without checking the password, whether it exists or not,
    /// until the oldest of those failures leaves the window. A success clears the count.
    /// Logins are not audited.
    pub async fn login(&self, email: &str, password: &str, now: Timestamp) -> Result<User, Error> {
        let now = micros(now);
        let email = email.trim().to_lowercase();
        let key = throttle_key(&email);
        let window_start = fmt_ts(minus(now, LOGIN_WINDOW)?);
        let mut tx = self.pool.begin_read().await?;
        let recent = tx
            .all(
                "SELECT at FROM login_failures WHERE email_key = $1 AND at > $2 ORDER BY at DESC",
                args![&key, &window_start],
            )
            .await?;
        if recent.len() >= LOGIN_MAX_FAILURES {
            tx.commit().await?;
            // The lock lifts when the oldest of the last LOGIN_MAX_FAILURES failures leaves
            // the window.
            let nth = recent
                .get(LOGIN_MAX_FAILURES - 1)
                .map(|r| r.text("at"))
                .transpose()?
                .map(|s| parse_ts(&s))
                .transpose()?
                .unwrap_or(now);
            let free_at = plus(nth, LOGIN_WINDOW)?;
            let micros_left = free_at.as_microsecond() - now.as_microsecond();
            let secs = u64::try_from(micros_left.max(1))
                .unwrap_or(1)
                .div_ceil(1_000_000);
            return Err(Error::TooManyAttempts {
                retry_after_secs: secs,
            });
        }
        let row = tx
            .opt(
                "SELECT id, email, role, lang, created_at, disabled_at, password_hash \
                 FROM users WHERE email = $1",
                args![&email],
            )
            .await?;
        tx.commit().await?;
        let (user, phc) = match &row {
            Some(r) => (Some(row_to_user(r)?), r.text("password_hash")?),
            None => (None, DUMMY_HASH.to_string()),
        };
        let matches =
            password.len() <= MAX_PASSWORD_BYTES && verify_password(password, phc).await?;
        let mut tx = self.pool.begin_write().await?;
        match user {
            Some(u) if matches && !u.disabled => {
                tx.exec(
                    "DELETE FROM login_failures WHERE email_key = $1",
                    args![&key],
                )
                .await?;
                tx.commit().await?;
                Ok(u)
            }
            _ => {
                tx.exec(
                    "DELETE FROM login_failures WHERE email_key = $1 AND at <= $2",
                    args![&key, &window_start],
                )
                .await?;
                tx.exec(
                    "INSERT INTO login_failures (email_key, at) VALUES ($1, $2)",
                    args![&key, fmt_ts(now)],
                )
                .await?;
                tx.commit().await?;
                Err(Error::LoginFailed)
            }
        }
    }

    /// Starts a session for an enabled user, valid from `now` for `ttl` (absolute expiry; there
    /// is no idle expiry). Returns the token for the browser (32 random bytes, hex; only its
    /// SHA-256 is stored) and the session, with a random CSRF secret. Not audited.
    pub async fn create_session(
        &self,
        user_id: i64,
        now: Timestamp,
        ttl: Duration,
    ) -> Result<(SessionToken, Session), Error> {
        if ttl.is_zero() {
            return Err(Error::Invalid(
                "a session lasts longer than 0 seconds".into(),
            ));
        }
        let now = micros(now);
        let expires = plus(now, ttl)?;
        let token = random_hex(32)?;
        let csrf = random_hex(32)?;
        let mut tx = self.pool.begin_write().await?;
        let user = user_in(&mut tx, user_id).await?;
        if user.disabled {
            return Err(Error::Invalid(format!(
                "user {user_id} is disabled; a disabled user gets no session"
            )));
        }
        let row = tx
            .one(
                "INSERT INTO sessions (token_sha256, user_id, csrf_secret, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5) \
                 RETURNING id, user_id, csrf_secret, created_at, expires_at",
                args![
                    sha256_hex(&token),
                    user_id,
                    csrf,
                    fmt_ts(now),
                    fmt_ts(expires)
                ],
            )
            .await?;
        tx.commit().await?;
        Ok((SessionToken(token), row_to_session(&row)?))
    }

    /// The session of `token` at `now`, with its user; `None` when the token is unknown or
    /// malformed, the session has expired or ended, or the user is disabled.
    pub async fn session(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<Option<(Session, User)>, Error> {
        let token = token.trim();
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let mut tx = self.pool.begin_read().await?;
        let row = tx
            .opt(
                "SELECT id, user_id, csrf_secret, created_at, expires_at FROM sessions \
                 WHERE token_sha256 = $1",
                args![sha256_hex(&token.to_ascii_lowercase())],
            )
            .await?;
        let Some(row) = row else {
            tx.commit().await?;
            return Ok(None);
        };
        let session = row_to_session(&row)?;
        let user = user_in(&mut tx, session.user_id).await?;
        tx.commit().await?;
        if now >= session.expires_at || user.disabled {
            return Ok(None);
        }
        Ok(Some((session, user)))
    }

    /// Ends the session of `token` (logout); whether there was one.
    pub async fn end_session(&self, token: &str) -> Result<bool, Error> {
        let token = token.trim().to_ascii_lowercase();
        let mut tx = self.pool.begin_write().await?;
        let n = tx
            .exec(
                "DELETE FROM sessions WHERE token_sha256 = $1",
                args![sha256_hex(&token)],
            )
            .await?;
        tx.commit().await?;
        Ok(n > 0)
    }

    /// Deletes the sessions that have expired at `now`, and the failed logins that have left
    /// the throttling window; returns the number of sessions deleted. Run it now and then
    /// (the server does, e.g. hourly).
    pub async fn purge_expired_sessions(&self, now: Timestamp) -> Result<u64, Error> {
        let now = micros(now);
        let mut tx = self.pool.begin_write().await?;
        let n = tx
            .exec(
                "DELETE FROM sessions WHERE expires_at <= $1",
                args![fmt_ts(now)],
            )
            .await?;
        tx.exec(
            "DELETE FROM login_failures WHERE at <= $1",
            args![fmt_ts(minus(now, LOGIN_WINDOW)?)],
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Makes an API token for an enabled user, valid from `now` for `ttl`. Returns the token
    /// (`wb_` and 64 hex digits; shown once, only its SHA-256 is stored) and its record.
    /// Appends a `token.created` entry (token id, user id, role, expiry).
    pub async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        now: Timestamp,
        ttl: Duration,
    ) -> Result<(ApiTokenSecret, ApiToken), Error> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::Invalid(
                "an API token needs a name of 1 to 100 characters (what it is for: ci, portal, ...)"
                    .into(),
            ));
        }
        if ttl.is_zero() {
            return Err(Error::Invalid(
                "an API token lasts longer than 0 seconds".into(),
            ));
        }
        let now = micros(now);
        let expires = plus(now, ttl)?;
        let secret = format!("{API_TOKEN_PREFIX}{}", random_hex(32)?);
        let prefix: String = secret.chars().take(API_TOKEN_PREFIX.len() + 8).collect();
        let mut tx = self.begin_accounts().await?;
        let user = user_in(&mut tx, user_id).await?;
        if user.disabled {
            return Err(Error::Invalid(format!(
                "user {user_id} is disabled; a disabled user gets no API token"
            )));
        }
        let row = tx
            .one(
                concat!(
                    "INSERT INTO api_tokens (user_id, name, prefix, token_sha256, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
                    token_cols!()
                ),
                args![
                    user_id,
                    name,
                    prefix,
                    sha256_hex(&secret),
                    fmt_ts(now),
                    fmt_ts(expires)
                ],
            )
            .await?;
        let token = row_to_token(&row)?;
        let payload = serde_json::json!({
            "token_id": token.id,
            "user_id": user_id,
            "role": user.role.as_str(),
            "expires_at": fmt_ts(expires),
            "at": fmt_ts(now),
        });
        self.audit(&mut tx, "token.created", &payload).await?;
        tx.commit().await?;
        Ok((ApiTokenSecret(secret), token))
    }

    /// The token and user that `token` stands for at `now`; `None` when it is unknown or
    /// malformed, expired, revoked, or its user is disabled. Records the use (at most once a
    /// minute per token).
    pub async fn api_token_user(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<Option<(ApiToken, User)>, Error> {
        let token = token.trim();
        let well_formed = token.strip_prefix(API_TOKEN_PREFIX).is_some_and(|h| {
            h.len() == 64
                && h.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        if !well_formed {
            return Ok(None);
        }
        let now = micros(now);
        let mut tx = self.pool.begin_read().await?;
        let row = tx
            .opt(
                concat!(
                    "SELECT ",
                    token_cols!(),
                    " FROM api_tokens WHERE token_sha256 = $1"
                ),
                args![sha256_hex(token)],
            )
            .await?;
        let Some(row) = row else {
            tx.commit().await?;
            return Ok(None);
        };
        let mut t = row_to_token(&row)?;
        let user = user_in(&mut tx, t.user_id).await?;
        tx.commit().await?;
        if !t.active(now) || user.disabled {
            return Ok(None);
        }
        let stale = minus(now, Duration::from_secs(60))?;
        if t.last_used_at.is_none_or(|l| l < stale) {
            let mut tx = self.pool.begin_write().await?;
            tx.exec(
                "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
                args![fmt_ts(now), t.id],
            )
            .await?;
            tx.commit().await?;
            t.last_used_at = Some(now);
        }
        Ok(Some((t, user)))
    }

    /// A user's API tokens (also expired and revoked ones), by id.
    pub async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                concat!(
                    "SELECT ",
                    token_cols!(),
                    " FROM api_tokens WHERE user_id = $1 ORDER BY id"
                ),
                args![user_id],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(row_to_token).collect()
    }

    /// Revokes an API token: it stops working at once. Appends a `token.revoked` entry (token
    /// id, user id, role); revoking a revoked token changes nothing.
    pub async fn revoke_api_token(&self, id: i64) -> Result<ApiToken, Error> {
        let at = now();
        let mut tx = self.begin_accounts().await?;
        let row = tx
            .opt(
                concat!("SELECT ", token_cols!(), " FROM api_tokens WHERE id = $1"),
                args![id],
            )
            .await?
            .ok_or(Error::TokenNotFound(id))?;
        let token = row_to_token(&row)?;
        if token.revoked_at.is_some() {
            tx.commit().await?;
            return Ok(token);
        }
        let user = user_in(&mut tx, token.user_id).await?;
        tx.exec(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2",
            args![fmt_ts(at), id],
        )
        .await?;
        let payload = serde_json::json!({
            "token_id": id,
            "user_id": token.user_id,
            "role": user.role.as_str(),
            "at": fmt_ts(at),
        });
        self.audit(&mut tx, "token.revoked", &payload).await?;
        tx.commit().await?;
        Ok(ApiToken {
            revoked_at: Some(at),
            ..token
        })
    }
}

/// Audit entries of kind `user.*` and `token.*`, in chain order: seq, kind, payload.
pub(crate) type AccountEntries = Vec<(i64, String, Option<String>)>;

/// Whether an audit entry of `kind` belongs to [`check_accounts`].
pub(crate) fn is_account_kind(kind: &str) -> bool {
    kind.starts_with("user.") || kind.starts_with("token.")
}

/// The state of one user or token that the audit trail recorded.
struct Recorded {
    /// The entry that created it.
    created: i64,
    /// The last entry about it.
    last: i64,
    role: Option<String>,
    user_id: Option<i64>,
    expires_at: Option<String>,
    ended: bool,
}

fn fold_accounts(
    entries: &AccountEntries,
) -> (
    std::collections::BTreeMap<i64, Recorded>,
    std::collections::BTreeMap<i64, Recorded>,
) {
    let mut users = std::collections::BTreeMap::new();
    let mut tokens = std::collections::BTreeMap::new();
    for (seq, kind, body) in entries {
        // Account payloads are never erased; a removed one is reported by the chain check.
        let Some(p) = body
            .as_deref()
            .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
        else {
            continue;
        };
        let int = |k: &str| p.get(k).and_then(serde_json::Value::as_i64);
        let text = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let (map, id) = if kind.starts_with("user.") {
            (&mut users, int("user_id"))
        } else {
            (&mut tokens, int("token_id"))
        };
        let Some(id) = id else { continue };
        let r = map.entry(id).or_insert(Recorded {
            created: *seq,
            last: *seq,
            role: None,
            user_id: None,
            expires_at: None,
            ended: false,
        });
        r.last = *seq;
        match kind.as_str() {
            "user.added" | "user.role_changed" => r.role = text("role"),
            "user.disabled" => r.ended = true,
            "token.created" => {
                r.user_id = int("user_id");
                r.expires_at = text("expires_at");
            }
            "token.revoked" => r.ended = true,
            _ => {}
        }
    }
    (users, tokens)
}

/// Cross-checks `users` and `api_tokens` against the audit entries that recorded them: a user
/// or token added, changed (role, disabled, owner, expiry, revoked) or deleted behind the
/// trail's back is a [`ProblemKind::RecordChanged`] or [`ProblemKind::RecordMissing`].
/// Password hashes, sessions and last use are not in the trail and are not checked.
pub(crate) async fn check_accounts(
    tx: &mut Tx,
    entries: &AccountEntries,
) -> Result<Vec<Problem>, Error> {
    let (rec_users, rec_tokens) = fold_accounts(entries);
    let changed = |seq: i64, message: String| Problem {
        seq,
        kind: ProblemKind::RecordChanged,
        message,
    };
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for row in tx
        .all(
            "SELECT id, role, disabled_at FROM users ORDER BY id",
            args![],
        )
        .await?
    {
        let id = row.int("id")?;
        let role = row.text("role")?;
        let disabled = row.opt_text("disabled_at")?.is_some();
        seen.insert(id);
        let Some(r) = rec_users.get(&id) else {
            problems.push(changed(0, format!(
                "user {id} is not in the audit trail (no user.added entry): the row was added by hand"
            )));
            continue;
        };
        if r.role.as_deref() != Some(role.as_str()) {
            problems.push(changed(r.last, format!(
                "user {id} has role `{role}`, but the audit trail (last entry seq {}) says `{}`: the row was changed",
                r.last,
                r.role.as_deref().unwrap_or("?")
            )));
        }
        if disabled != r.ended {
            problems.push(changed(r.last, format!(
                "user {id} is {}, but the audit trail (last entry seq {}) says {}: the row was changed",
                if disabled { "disabled" } else { "enabled" },
                r.last,
                if r.ended { "disabled" } else { "enabled" }
            )));
        }
    }
    for (id, r) in &rec_users {
        if !seen.contains(id) {
            problems.push(Problem {
                seq: r.created,
                kind: ProblemKind::RecordMissing,
                message: format!(
                    "audit entry seq {} added user {id}, but `users` has no such row: the row was deleted",
                    r.created
                ),
            });
        }
    }
    seen.clear();
    for row in tx
        .all(
            "SELECT id, user_id, expires_at, revoked_at FROM api_tokens ORDER BY id",
            args![],
        )
        .await?
    {
        let id = row.int("id")?;
        seen.insert(id);
        let Some(r) = rec_tokens.get(&id) else {
            problems.push(changed(0, format!(
                "API token {id} is not in the audit trail (no token.created entry): the row was added by hand"
            )));
            continue;
        };
        let mut differ = Vec::new();
        if r.user_id != Some(row.int("user_id")?) {
            differ.push("user_id");
        }
        if r.expires_at.as_deref() != Some(row.text("expires_at")?.as_str()) {
            differ.push("expires_at");
        }
        if r.ended != row.opt_text("revoked_at")?.is_some() {
            differ.push("revoked_at");
        }
        if !differ.is_empty() {
            problems.push(changed(r.last, format!(
                "API token {id} differs from the audit trail (last entry seq {}) in {}: the row was changed",
                r.last,
                differ.join(", ")
            )));
        }
    }
    for (id, r) in &rec_tokens {
        if !seen.contains(id) {
            problems.push(Problem {
                seq: r.created,
                kind: ProblemKind::RecordMissing,
                message: format!(
                    "audit entry seq {} created API token {id}, but `api_tokens` has no such row: the row was deleted",
                    r.created
                ),
            });
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn dummy_hash_has_the_default_parameters() {
        let h = argon2::password_hash::phc::PasswordHash::new(DUMMY_HASH).unwrap();
        let p = argon2::Params::try_from(&h).unwrap();
        let d = argon2::Params::default();
        assert_eq!(
            (p.m_cost(), p.t_cost(), p.p_cost()),
            (d.m_cost(), d.t_cost(), d.p_cost())
        );
        assert_eq!(h.algorithm.as_str(), "argon2id");
    }

    #[test]
    fn dummy_hash_is_checked_in_full() {
        // A wrong password, not a malformed hash: the full argon2id work is done.
        let e = Argon2::default()
            .verify_password(b"correct horse battery staple", DUMMY_HASH)
            .unwrap_err();
        assert!(
            matches!(e, argon2::password_hash::Error::PasswordInvalid),
            "{e:?}"
        );
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("admin".parse::<Role>().is_err());
        assert!(Role::Officer.can_admin() && Role::Officer.can_change_cases());
        assert!(!Role::Operator.can_admin() && Role::Operator.can_change_cases());
        assert!(!Role::Auditor.can_admin() && !Role::Auditor.can_change_cases());
    }

    #[test]
    fn emails_are_folded() {
        assert_eq!(
            normalize_email("  Jan.Jansen@Example.NL ").unwrap(),
            "jan.jansen@example.nl"
        );
        for bad in ["", "jan", "@example.nl", "jan@", "j an@example.nl", "a@b@c"] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn csrf_tokens_check() {
        let s = Session {
            id: 1,
            user_id: 1,
            created_at: Timestamp::UNIX_EPOCH,
            expires_at: Timestamp::UNIX_EPOCH,
            csrf_secret: "ab".repeat(32),
        };
        let t = s.csrf_token().unwrap();
        assert!(s.check_csrf(&t));
        assert!(!s.check_csrf(&"00".repeat(32)));
        assert!(!s.check_csrf("not hex"));
        let other = Session {
            csrf_secret: "cd".repeat(32),
            ..s.clone()
        };
        assert!(!other.check_csrf(&t));
        assert!(!format!("{s:?}").contains(&"ab".repeat(32)));
    }
}
