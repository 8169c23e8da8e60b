//! Opening a store (SQLite file or PostgreSQL URL), migrations, and the audit operations.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use ed25519_dalek::SigningKey;

use crate::Error;
use crate::audit::{self, AuditEntry, Verifier, VerifyReport};
use crate::checkpoint::Checkpoint;
use crate::db::{Backend, Pool, Tx, args};

/// The store used when none is named: the SQLite file `waarborg.db` in the current folder.
pub const DEFAULT_STORE: &str = "waarborg.db";

/// The evidence period used by [`Store::purge_closed_cases`] when the register names none:
/// five years, the general limitation period for claims in Dutch law (art. 3:310 BW), so that
/// the organisation can prove how it handled a request for as long as it can be held to account.
pub const DEFAULT_EVIDENCE_PERIOD: &str = "P5Y";

/// The newest schema version this binary knows (the version of its last migration).
pub const SCHEMA_VERSION: i64 = 20261204000001;

static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
static PG_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Options for [`Store::open_with`].
#[derive(Clone, Default)]
pub struct StoreOptions {
    /// A key for the audit chain: new entries are then HMAC-SHA-256 instead of SHA-256, so that
    /// only holders of the key can extend or re-verify the chain.
    pub audit_key: Option<Vec<u8>>,
    /// The most connections the pool opens (default 4 for SQLite, 8 for PostgreSQL).
    pub max_connections: Option<u32>,
    /// Open only a store that exists: a missing SQLite file, or a database without Waarborg's
    /// schema, is [`Error::NoStore`] instead of being created. Set it for commands that only
    /// read (verify, list, export), so that a mistyped path is an error, not an empty store.
    pub must_exist: bool,
}

impl std::fmt::Debug for StoreOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreOptions")
            .field("audit_key", &self.audit_key.as_ref().map(|_| "<set>"))
            .field("max_connections", &self.max_connections)
            .field("must_exist", &self.must_exist)
            .finish()
    }
}

/// The forms of store URL this build accepts, for messages.
pub const ACCEPTED_FORMS: &str = "an SQLite file path (waarborg.db), sqlite:PATH, sqlite://PATH, postgres://USER@HOST/DB or postgresql://USER@HOST/DB";

/// Which back end a store URL names: `Ok(true)` for PostgreSQL, `Ok(false)` for SQLite.
/// A URL with another scheme (`mysql://...`) is [`Error::UnknownScheme`].
fn is_postgres(url: &str) -> Result<bool, Error> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(true);
    }
    if url.starts_with("sqlite:") {
        return Ok(false);
    }
    if let Some((scheme, _)) = url.split_once("://")
        && !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
    {
        return Err(Error::UnknownScheme {
            scheme: scheme.to_string(),
            accepted: ACCEPTED_FORMS,
        });
    }
    Ok(false)
}

/// Waarborg's own state: cases, consent ledger and audit chain in one database.
///
/// Cheap to clone (a connection pool inside).
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    pub(crate) key: Option<Arc<[u8]>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.pool.backend())
            .field("keyed", &self.key.is_some())
            .finish()
    }
}

/// The URL with any password replaced by `***`, for messages.
pub(crate) fn redact(url: &str) -> String {
    if let (Some(scheme_end), Some(at)) = (url.find("://"), url.rfind('@')) {
        let userinfo = url.get(scheme_end + 3..at).unwrap_or("");
        if let Some((user, _)) = userinfo.split_once(':') {
            return format!(
                "{}{}:***{}",
                url.get(..scheme_end + 3).unwrap_or(""),
                user,
                url.get(at..).unwrap_or("")
            );
        }
    }
    url.to_string()
}

impl Store {
    /// Opens (creating it when needed) the store at `url` and applies its migrations.
    ///
    /// `url` is `postgres://...` / `postgresql://...` for PostgreSQL, `sqlite:...` or a plain
    /// file path for SQLite (created when missing, WAL mode, 10 s busy timeout); any other
    /// `scheme://` is [`Error::UnknownScheme`].
    /// Fails with [`Error::SchemaTooNew`] when the database has a newer schema than this binary.
    /// See [`StoreOptions::must_exist`] to refuse creating a store.
    pub async fn open(url: &str) -> Result<Store, Error> {
        Store::open_with(url, StoreOptions::default()).await
    }

    /// [`Store::open`] with options (audit key, pool size).
    pub async fn open_with(url: &str, options: StoreOptions) -> Result<Store, Error> {
        let open_err = |source| Error::Open {
            url: redact(url),
            source,
        };
        let pool = if is_postgres(url)? {
            let opts = PgConnectOptions::from_str(url).map_err(open_err)?;
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections.unwrap_or(8))
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await
                .map_err(open_err)?;
            Pool::Pg(pool)
        } else {
            let opts = if url.starts_with("sqlite:") {
                SqliteConnectOptions::from_str(url).map_err(open_err)?
            } else {
                SqliteConnectOptions::new().filename(url)
            };
            let filename = opts.get_filename().to_path_buf();
            let in_memory = filename.as_os_str() == ":memory:" || url.contains("mode=memory");
            if options.must_exist && !in_memory && !filename.is_file() {
                return Err(Error::NoStore {
                    url: redact(url),
                    reason: if filename.exists() {
                        "it is not a regular file".into()
                    } else {
                        "the file does not exist".into()
                    },
                });
            }
            let opts = opts
                .create_if_missing(!options.must_exist)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(options.max_connections.unwrap_or(4))
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await
                .map_err(open_err)?;
            Pool::Sqlite(pool)
        };
        let store = Store {
            pool,
            key: options.audit_key.map(Arc::from),
        };
        if options.must_exist && store.schema_version().await?.is_none() {
            store.close().await;
            return Err(Error::NoStore {
                url: redact(url),
                reason: "the database holds no Waarborg store (no schema)".into(),
            });
        }
        store.migrate().await?;
        Ok(store)
    }

    /// Which database this store runs on.
    pub fn backend(&self) -> Backend {
        self.pool.backend()
    }

    /// Closes the connection pool (waits for connections in use).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The newest migration applied to the database, if any.
    pub async fn schema_version(&self) -> Result<Option<i64>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let exists = match tx.backend() {
            Backend::Sqlite => tx
                .one(
                    "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
                    args![],
                )
                .await?
                .int("n")?
                > 0,
            Backend::Postgres => tx
                .one("SELECT to_regclass('_sqlx_migrations')::text AS t", args![])
                .await?
                .opt_text("t")?
                .is_some(),
        };
        if !exists {
            return Ok(None);
        }
        let v = tx
            .one("SELECT MAX(version) AS v FROM _sqlx_migrations", args![])
            .await?
            .opt_int("v")?;
        tx.commit().await?;
        Ok(v)
    }

    async fn migrate(&self) -> Result<(), Error> {
        let migrator = match self.pool {
            Pool::Sqlite(_) => &SQLITE_MIGRATOR,
            Pool::Pg(_) => &PG_MIGRATOR,
        };
        let known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        if let Some(found) = self.schema_version().await? {
            if found > known {
                return Err(Error::SchemaTooNew { found, known });
            }
            if found == known {
                return Ok(());
            }
        }
        match &self.pool {
            Pool::Pg(p) => migrator.run(p).await?,
            Pool::Sqlite(p) => {
                // Two processes may create the same new file at once; the loser retries and
                // finds the migrations applied.
                let mut attempt = 0;
                loop {
                    match migrator.run(p).await {
                        Ok(()) => break,
                        Err(e) if attempt < 5 => {
                            attempt += 1;
                            tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                            let _ = e;
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        Ok(())
    }

    pub(crate) fn key(&self) -> Option<&[u8]> {
        self.key.as_deref()
    }

    /// Appends `payload` under `kind` inside `tx`.
    pub(crate) async fn audit(
        &self,
        tx: &mut Tx,
        kind: &str,
        payload: &serde_json::Value,
    ) -> Result<AuditEntry, Error> {
        let text = serde_json::to_string(payload)
            .map_err(|e| Error::Invalid(format!("audit payload: {e}")))?;
        audit::append(tx, self.key(), kind, &text).await
    }

    /// Records an engine run (access, erasure, rectification, sweep, ...) in the audit chain.
    ///
    /// `certificate_sha256` is the hex SHA-256 of the run's certificate; `summary` is a small
    /// JSON value without personal data (counts, dataset names).
    pub async fn append_engine_run(
        &self,
        kind: &str,
        certificate_sha256: &str,
        summary: &serde_json::Value,
    ) -> Result<AuditEntry, Error> {
        check_sha256(certificate_sha256, "certificate_sha256")?;
        if kind.trim().is_empty() {
            return Err(Error::Invalid(
                "an engine run needs a kind (access, erasure, sweep, ...)".into(),
            ));
        }
        let payload = serde_json::json!({
            "run_kind": kind,
            "certificate_sha256": certificate_sha256.to_ascii_lowercase(),
            "summary": summary,
        });
        let mut tx = self.pool.begin_write().await?;
        let entry = self.audit(&mut tx, "engine.run", &payload).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Records a change of the register (policy) in the audit chain: its new version hash (hex
    /// SHA-256 of the register file) and a summary.
    pub async fn append_register_change(
        &self,
        register_sha256: &str,
        summary: &serde_json::Value,
    ) -> Result<AuditEntry, Error> {
        check_sha256(register_sha256, "register_sha256")?;
        let payload = serde_json::json!({
            "register_sha256": register_sha256.to_ascii_lowercase(),
            "summary": summary,
        });
        let mut tx = self.pool.begin_write().await?;
        let entry = self.audit(&mut tx, "register.change", &payload).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Records a register change only when `register_sha256` differs from the last one
    /// recorded; returns the new entry, or `None` when the register is unchanged.
    pub async fn append_register_change_if_changed(
        &self,
        register_sha256: &str,
        summary: &serde_json::Value,
    ) -> Result<Option<AuditEntry>, Error> {
        check_sha256(register_sha256, "register_sha256")?;
        let hash = register_sha256.to_ascii_lowercase();
        let mut tx = self.pool.begin_write().await?;
        if tx.backend() == Backend::Postgres {
            tx.exec(
                "SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE",
                args![],
            )
            .await?;
        }
        let last = tx
            .opt(
                "SELECT payload FROM audit_log WHERE kind = 'register.change' ORDER BY seq DESC LIMIT 1",
                args![],
            )
            .await?;
        if let Some(row) = last
            && let Some(p) = row.opt_text("payload")?
            && serde_json::from_str::<serde_json::Value>(&p)
                .ok()
                .and_then(|v| {
                    v.get("register_sha256")
                        .and_then(|h| h.as_str())
                        .map(str::to_string)
                })
                .is_some_and(|h| h == hash)
        {
            return Ok(None);
        }
        let payload = serde_json::json!({ "register_sha256": hash, "summary": summary });
        let entry = self.audit(&mut tx, "register.change", &payload).await?;
        tx.commit().await?;
        Ok(Some(entry))
    }

    /// Re-verifies the whole audit chain (in one consistent snapshot) and names every place
    /// where it was changed, removed, inserted or reordered.
    pub async fn verify_audit(&self) -> Result<VerifyReport, Error> {
        self.verify_audit_with(None).await
    }

    /// [`Store::verify_audit`], and also compares the chain with a signed checkpoint kept
    /// outside the store: fewer entries than it names is [`crate::ProblemKind::Truncated`] (a
    /// cut tail or a reset), another hash at its position [`crate::ProblemKind::Rewritten`].
    /// Check the checkpoint's signature first ([`Checkpoint::verify_signature`]).
    pub async fn verify_audit_with(
        &self,
        checkpoint: Option<&Checkpoint>,
    ) -> Result<VerifyReport, Error> {
        let mut tx = self.pool.begin_read().await?;
        let head = tx
            .one("SELECT seq, hash FROM audit_head WHERE id = 1", args![])
            .await?;
        let head = (head.int("seq")?, head.text("hash")?);
        let hash_at_checkpoint = match checkpoint {
            Some(cp) => tx
                .opt(
                    "SELECT hash FROM audit_log WHERE seq = $1",
                    args![cp.entries],
                )
                .await?
                .map(|r| r.text("hash"))
                .transpose()?,
            None => None,
        };
        let mut v = Verifier::new(self.key());
        let mut recorded = crate::records::Recorded::new();
        let mut accounts = crate::users::AccountEntries::new();
        let mut incident_entries: Vec<(i64, String, Option<String>)> = Vec::new();
        let mut after = i64::MIN;
        loop {
            let rows = tx
                .all(
                    "SELECT seq, at, kind, alg, payload, payload_digest, prev_hash, hash \
                     FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 1000",
                    args![after],
                )
                .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let e = audit::row_to_entry(row)?;
                after = e.seq;
                v.feed(&e);
                if e.kind.starts_with("case.") || e.kind.starts_with("consent.") {
                    recorded.insert(e.seq, (e.kind, e.payload));
                } else if e.kind.starts_with("incident.") {
                    incident_entries.push((e.seq, e.kind, e.payload));
                } else if crate::users::is_account_kind(&e.kind) {
                    accounts.push((e.seq, e.kind, e.payload));
                }
            }
        }
        let consents = tx
            .all(
                "SELECT id, subject, purpose, action, scope, object, recipient, grant_id, register_hash, \
                 wording_sha256, wording, source, at, audit_seq FROM consent_events ORDER BY id",
                args![],
            )
            .await?
            .iter()
            .map(|r| {
                let mut fields = Vec::new();
                for name in [
                    "subject",
                    "purpose",
                    "action",
                    "scope",
                    "object",
                    "recipient",
                    "register_hash",
                    "wording_sha256",
                    "source",
                    "at",
                ] {
                    fields.push((name, r.opt_text(name)?));
                }
                Ok(crate::records::ConsentRow {
                    id: r.int("id")?,
                    fields,
                    grant_id: r.opt_int("grant_id")?,
                    wording: r.opt_text("wording")?,
                    wording_sha256: r.opt_text("wording_sha256")?,
                    action: r.text("action")?,
                    audit_seq: r.int("audit_seq")?,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let events = tx
            .all(
                "SELECT id, case_id, event, from_status, to_status, detail, audit_seq \
                 FROM case_events ORDER BY id",
                args![],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(crate::records::CaseEventRow {
                    id: r.int("id")?,
                    case_id: r.text("case_id")?,
                    event: r.text("event")?,
                    from_status: r.opt_text("from_status")?,
                    to_status: r.text("to_status")?,
                    detail: r.opt_text("detail")?,
                    audit_seq: r.int("audit_seq")?,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let cases = tx
            .all(
                "SELECT id, kind, status, subject, received_at, due_at, original_due_at, extended \
                 FROM cases ORDER BY id",
                args![],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(crate::records::CaseRow {
                    id: r.text("id")?,
                    kind: r.text("kind")?,
                    status: r.text("status")?,
                    subject: r.opt_text("subject")?,
                    received_at: r.text("received_at")?,
                    due_at: r.text("due_at")?,
                    original_due_at: r.text("original_due_at")?,
                    extended: r.int("extended")? != 0,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let account_problems = crate::users::check_accounts(&mut tx, &accounts).await?;
        let incident_problems = crate::incidents::check(&mut tx, &incident_entries).await?;
        tx.commit().await?;
        let mut report = v.finish(Some(head));
        report
            .problems
            .extend(crate::records::check(&recorded, &consents, &events, &cases));
        report.problems.extend(account_problems);
        report.problems.extend(incident_problems);
        if let Some(cp) = checkpoint {
            report
                .problems
                .extend(cp.compare(report.last_seq, hash_at_checkpoint.as_deref()));
        }
        report.problems.sort_by_key(|p| p.seq);
        Ok(report)
    }

    /// Verifies the chain and signs a checkpoint of its head with `key`. Refuses to sign a
    /// chain with problems (the checkpoint would vouch for it).
    pub async fn checkpoint(&self, key: &SigningKey) -> Result<Checkpoint, Error> {
        let report = self.verify_audit().await?;
        if !report.ok() {
            return Err(Error::Invalid(format!(
                "the audit chain has {} problem(s); a checkpoint would vouch for it. Run \
                 `waarborg audit verify` and resolve them first",
                report.problems.len()
            )));
        }
        let at = crate::deadline::fmt_ts(crate::deadline::now());
        Ok(Checkpoint::sign(
            key,
            report.last_seq,
            &report.head_hash,
            &at,
        ))
    }

    /// Audit entries with `seq` in `from..`, at most `limit`, in chain order.
    pub async fn audit_entries(&self, from: i64, limit: u32) -> Result<Vec<AuditEntry>, Error> {
        let mut tx = self.pool.begin_read().await?;
        let rows = tx
            .all(
                "SELECT seq, at, kind, alg, payload, payload_digest, prev_hash, hash \
                 FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
                args![from, i64::from(limit)],
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(audit::row_to_entry).collect()
    }

    /// Writes the whole chain as JSON Lines (one [`AuditEntry`] per line, in chain order) and
    /// returns the number of entries written.
    pub async fn export_audit<W: std::io::Write>(&self, out: &mut W) -> Result<u64, Error> {
        let mut n = 0u64;
        let mut from = i64::MIN;
        loop {
            let page = self.audit_entries(from, 1000).await?;
            let Some(last) = page.last() else { break };
            from = last.seq + 1;
            for e in &page {
                serde_json::to_writer(&mut *out, e)
                    .map_err(|err| Error::Invalid(format!("cannot write the export: {err}")))?;
                out.write_all(b"\n")
                    .map_err(|err| Error::Invalid(format!("cannot write the export: {err}")))?;
                n += 1;
            }
        }
        Ok(n)
    }
}

pub(crate) fn check_sha256(s: &str, what: &str) -> Result<(), Error> {
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "{what} must be 64 hex digits (a SHA-256), got `{s}`"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("waarborg.db"), "waarborg.db");
    }

    #[test]
    fn schemes() {
        assert!(is_postgres("postgres://u@h/db").unwrap());
        assert!(is_postgres("postgresql://u@h/db").unwrap());
        assert!(!is_postgres("sqlite://w.db").unwrap());
        assert!(!is_postgres("sqlite:w.db").unwrap());
        assert!(!is_postgres("w.db").unwrap());
        assert!(!is_postgres("dir/with:colon.db").unwrap());
        let e = is_postgres("mysql://u@h/db").unwrap_err();
        assert!(matches!(e, Error::UnknownScheme { ref scheme, .. } if scheme == "mysql"));
        assert!(e.to_string().contains("postgres://"), "{e}");
    }
}
