//! The engine: connected databases, the dataset checked against the live schema, SQL building
//! (identifiers only from the checked schema, values always bound) and the graph traversal.

use std::collections::BTreeSet;

use sea_query::{
    Alias, Expr, ExprTrait, IntoIden, Order, Query, SchemaName, SelectStatement, TableName,
    TableRef,
};

use crate::db::{Backend, Conn, LiveForeignKey, Pool, introspect};
use crate::error::{EngineError, Result, SchemaProblem};
use crate::model::{Datasets, Direction, EraseAction, MaskStrategy, SweepAction, TableSpec};
use crate::value::{ColKind, Val};

/// Values are looked up in chunks of this many bound parameters.
pub(crate) const CHUNK: usize = 500;

/// A person, identified by one or more identity values (`email=a@b.nl`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    /// (identity kind, value) pairs, e.g. `("email", "a@b.nl")`.
    pub identities: Vec<(String, String)>,
}

impl Subject {
    /// A subject with one identity.
    pub fn new(kind: &str, value: &str) -> Subject {
        Subject {
            identities: vec![(kind.to_string(), value.to_string())],
        }
    }

    /// Parses `kind=value`.
    pub fn parse(s: &str) -> Result<Subject> {
        match s.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.is_empty() => Ok(Subject::new(k.trim(), v)),
            _ => Err(EngineError::Subject(format!(
                "`{s}`: expected KIND=VALUE, e.g. email=a@b.nl"
            ))),
        }
    }

    /// Adds another identity.
    pub fn and(mut self, kind: &str, value: &str) -> Subject {
        self.identities.push((kind.to_string(), value.to_string()));
        self
    }

    /// The fingerprint on certificates: hex HMAC-SHA-256 of the identities keyed with `key`
    /// (the masking key), so that whoever holds a certificate cannot confirm a guessed
    /// address; without a key, none (empty: a plain hash could be confirmed by anyone). A
    /// store keys it with its own key instead (see `waarborg_store::Store::subject_fingerprint`).
    pub fn keyed_fingerprint(&self, key: Option<&[u8]>) -> String {
        use hmac::{KeyInit, Mac};
        let Some(key) = key else {
            return String::new();
        };
        let Ok(mut mac) = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key) else {
            return String::new();
        };
        for (k, v) in &self.identities {
            mac.update(k.as_bytes());
            mac.update(&[0u8]);
            mac.update(v.as_bytes());
            mac.update(&[0u8]);
        }
        hex::encode(mac.finalize().into_bytes())
    }

    /// A plain SHA-256 of the identities. Not for anything others see: it can be confirmed by
    /// hashing a guessed address (certificates use [`Subject::keyed_fingerprint`]).
    pub fn fingerprint(&self) -> String {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for (k, v) in &self.identities {
            h.update(k.as_bytes());
            h.update([0u8]);
            h.update(v.as_bytes());
            h.update([0u8]);
        }
        hex::encode(h.finalize())
    }
}

pub(crate) struct DbConn {
    pub name: String,
    pub pool: Pool,
    pub tz: jiff::tz::TimeZone,
    /// The connection kept between requests (see [`Conns`]).
    pub kept: std::sync::Arc<tokio::sync::Mutex<Option<Conn>>>,
}

/// The connections of one request (or sweep): one per database, taken on first use and held
/// to the end. Each database keeps one connection between requests (`DbConn::kept`): a request
/// uses it when no other request does, and takes one from the pool otherwise. A request that
/// ends in an error (or is cancelled) does not give the kept connection back for reuse: it is
/// closed, and the next request starts on a fresh one.
pub(crate) struct Conns {
    slots: Vec<Option<Slot>>,
    ok: bool,
}

enum Slot {
    Kept(tokio::sync::OwnedMutexGuard<Option<Conn>>),
    Pooled(Conn),
}

impl Conns {
    pub fn new(n: usize) -> Conns {
        Conns {
            slots: (0..n).map(|_| None).collect(),
            ok: false,
        }
    }

    /// The held connection to database `di`.
    pub async fn get(&mut self, dbs: &[DbConn], di: usize) -> Result<&mut Conn> {
        let d = dbs
            .get(di)
            .ok_or_else(|| EngineError::Dataset("internal: database index".into()))?;
        let slot = self
            .slots
            .get_mut(di)
            .ok_or_else(|| EngineError::Dataset("internal: connection index".into()))?;
        if slot.is_none() {
            *slot = Some(match d.kept.clone().try_lock_owned() {
                Ok(mut g) => {
                    if g.is_none() {
                        *g = Some(d.pool.detached(&d.name).await?);
                    }
                    Slot::Kept(g)
                }
                Err(_) => Slot::Pooled(d.pool.acquire(&d.name).await?),
            });
        }
        match slot {
            Some(Slot::Kept(g)) => g.as_mut(),
            Some(Slot::Pooled(c)) => Some(c),
            None => None,
        }
        .ok_or_else(|| EngineError::Dataset("internal: connection".into()))
    }

    /// The request succeeded: the kept connections may serve the next one.
    pub fn done(mut self) {
        self.ok = true;
    }
}

impl Drop for Conns {
    fn drop(&mut self) {
        if !self.ok {
            for s in self.slots.iter_mut().flatten() {
                if let Slot::Kept(g) = s {
                    g.take();
                }
            }
        }
    }
}

/// A column of a checked table (every live column; described ones carry their annotations).
#[derive(Debug, Clone)]
pub(crate) struct CCol {
    pub name: String,
    pub kind: ColKind,
    pub nullable: bool,
    pub max_len: Option<u32>,
    pub category: Option<String>,
    pub identity: Option<String>,
    pub mask: MaskStrategy,
    pub personal: bool,
    pub is_ref: bool,
    /// How an identity column is compared.
    pub matching: crate::identity::IdentityMatch,
    /// A single-column UNIQUE constraint or index holds on the column.
    pub unique: bool,
}

/// A table checked against the live schema.
#[derive(Debug, Clone)]
pub(crate) struct CTable {
    pub db: usize,
    pub schema: Option<String>,
    pub spec: TableSpec,
    pub cols: Vec<CCol>,
    pub pk: Vec<usize>,
    pub fks: Vec<LiveForeignKey>,
    /// Whether the database itself keeps the key unique (it is the live primary key, or one
    /// NOT NULL column with a UNIQUE constraint). A key declared only in the dataset file is
    /// checked against the live rows before any write.
    pub pk_enforced: bool,
}

impl CTable {
    pub fn col(&self, name: &str) -> Option<usize> {
        self.cols.iter().position(|c| c.name == name)
    }
    pub fn name(&self) -> &str {
        &self.spec.name
    }
    pub fn all_cols(&self) -> Vec<usize> {
        (0..self.cols.len()).collect()
    }
    /// The row key: primary key values.
    pub fn key_of(&self, row: &[Val]) -> Vec<Val> {
        self.pk
            .iter()
            .map(|&i| row.get(i).cloned().unwrap_or(Val::Null))
            .collect()
    }
    /// Columns an erasure masks: personal, not part of the key, not a link column.
    pub fn erasable_cols(&self) -> Vec<usize> {
        self.cols
            .iter()
            .enumerate()
            .filter(|(i, c)| c.personal && !self.pk.contains(i) && !c.is_ref)
            .map(|(i, _)| i)
            .collect()
    }
    /// Whether a column the person is found by is part of the primary key (masking such a
    /// row is impossible; it is deleted instead).
    pub fn identity_in_key(&self) -> bool {
        self.pk
            .iter()
            .any(|&i| self.cols.get(i).is_some_and(|c| c.identity.is_some()))
    }
    pub fn effective_erase(&self) -> EraseAction {
        if self.identity_in_key() {
            EraseAction::Delete
        } else {
            self.spec.erase
        }
    }
}

/// A foreign key from a live table the dataset does not describe to a table it does. The
/// database enforces it, the engine cannot follow it: a delete of a referenced row fails.
#[derive(Debug, Clone)]
pub(crate) struct UndescribedFk {
    /// The database (index).
    pub db: usize,
    /// The referencing table as the dataset file would name it (`schema.table` outside
    /// PostgreSQL's `public`).
    pub table: String,
    /// The key.
    pub fk: LiveForeignKey,
    /// The referenced (described) table.
    pub target: usize,
}

/// A traversal edge: values of `from` column find rows by the `to` column. `up` when it goes
/// from a referencing row to the row it references (a child to its parent), down otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edge {
    pub from: (usize, usize),
    pub to: (usize, usize),
    pub up: bool,
}

/// A reference between two checked tables, whichever way it may be followed: the referencing
/// (child) column and the referenced (parent) column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Link {
    pub child: (usize, usize),
    pub parent: (usize, usize),
}

/// The engine over connected, checked databases.
pub struct Engine {
    pub(crate) dbs: Vec<DbConn>,
    pub(crate) tables: Vec<CTable>,
    pub(crate) edges: Vec<Edge>,
    pub(crate) links: Vec<Link>,
    pub(crate) datasets: Datasets,
    pub(crate) undescribed: Vec<UndescribedFk>,
    pub(crate) advice: Vec<SchemaProblem>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field(
                "databases",
                &self.dbs.iter().map(|d| &d.name).collect::<Vec<_>>(),
            )
            .field("tables", &self.tables.len())
            .finish()
    }
}

/// MariaDB / MySQL: the kinds `decode_mysql` reads natively are selected as they are, every
/// other kind as text (`CAST(col AS CHAR)`: dates, times, decimals, UUIDs, enums).
fn mysql_read(col: Expr, kind: ColKind) -> Expr {
    match kind {
        ColKind::Int | ColKind::Float | ColKind::Bool | ColKind::Bytes | ColKind::Text => col,
        _ => col.cast_as("CHAR"),
    }
}

/// MariaDB / MySQL: a bound value for a column of `kind`. The server converts text to the
/// column type itself; date-times lose any offset (MariaDB refuses them; see
/// `mysql_datetime_text`). `None` when the value does not fit.
fn mysql_value(kind: ColKind, v: &Val) -> Option<Expr> {
    match kind {
        ColKind::Other => Some(Expr::val(v.as_text()?)),
        // BIGINT UNSIGNED beyond i64 is read as text (see `decode_mysql`).
        ColKind::Int => match v.coerce(kind) {
            Some(c) => Some(Expr::val(c.to_sea())),
            None => Some(Expr::val(v.as_text()?.trim().parse::<u64>().ok()?)),
        },
        ColKind::Timestamp | ColKind::TimestampTz => {
            let text = v.coerce(kind)?.as_text()?;
            Some(Expr::val(crate::value::mysql_datetime_text(&text)?))
        }
        _ => Some(Expr::val(v.coerce(kind)?.to_sea())),
    }
}

/// Rows found for one table, by whose they are (see `walk.rs` and docs/datasets.md, "The
/// person's boundary").
#[derive(Debug, Clone, Default)]
pub(crate) struct FoundTable {
    /// The person's own rows: exported, erased, rectified.
    pub rows: Vec<Vec<Val>>,
    /// The person's rows that also refer to another person's row (a message to someone
    /// else): exported, never changed.
    pub joint: Vec<Vec<Val>>,
    /// Shared rows the person's rows refer to (a product, a branch): exported as context,
    /// never changed, never walked through.
    pub context: Vec<Vec<Val>>,
    /// Rows reached that belong to another person: never exported, never changed. Kept so
    /// that an erasure knows which rows stay and still refer to the person's rows.
    pub others: Vec<Vec<Val>>,
}

pub(crate) fn key_string(key: &[Val]) -> String {
    key.iter().map(Val::key).collect::<Vec<_>>().join("\u{1f}")
}

impl Engine {
    /// Connects to every database of the datasets (URLs from the file or from `bindings`,
    /// `NAME=URL`), reads the live schemas and checks the datasets against them. A mismatch is
    /// [`EngineError::SchemaMismatch`] listing every problem.
    pub async fn connect(datasets: &Datasets, bindings: &[(String, String)]) -> Result<Engine> {
        let mut ds = datasets.clone();
        ds.bind(bindings)?;
        ds.validate()?;
        let mut dbs = Vec::new();
        let mut lives = Vec::new();
        for db in &ds.databases {
            let url = db
                .url
                .clone()
                .ok_or_else(|| EngineError::Unbound(db.name.clone()))?;
            let pool = Pool::connect(&db.name, &url).await?;
            let live = introspect(&db.name, &pool).await?;
            let tzname = db.timezone.as_deref().unwrap_or("Europe/Amsterdam");
            let tz = jiff::tz::TimeZone::get(tzname)
                .map_err(|e| EngineError::Dataset(format!("{}: timezone: {e}", db.name)))?;
            dbs.push(DbConn {
                name: db.name.clone(),
                pool,
                tz,
                kept: Default::default(),
            });
            lives.push(live);
        }
        let mut problems = Vec::new();
        let mut tables = Vec::new();
        for (di, db) in ds.databases.iter().enumerate() {
            let live = lives.get(di).map(Vec::as_slice).unwrap_or(&[]);
            let backend = dbs.get(di).map(|d| d.pool.backend());
            for t in &db.tables {
                let prob = |column: Option<&str>, message: String| SchemaProblem {
                    database: db.name.clone(),
                    table: Some(t.name.clone()),
                    column: column.map(str::to_string),
                    message,
                };
                let want_schema = match backend {
                    Some(Backend::Postgres) => Some(t.schema.as_deref().unwrap_or("public")),
                    _ => None,
                };
                let Some(lt) = live
                    .iter()
                    .find(|l| l.name == t.name && l.schema.as_deref() == want_schema)
                else {
                    problems.push(prob(None, "no such table in the database".into()));
                    continue;
                };
                for c in &t.columns {
                    if lt.column(&c.name).is_none() {
                        problems.push(prob(
                            Some(&c.name),
                            format!(
                                "no such column (the table has: {})",
                                lt.columns
                                    .iter()
                                    .map(|c| c.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
                let pk_names = if t.primary_key.is_empty() {
                    lt.primary_key.clone()
                } else {
                    t.primary_key.clone()
                };
                if pk_names.is_empty() {
                    problems.push(prob(
                        None,
                        "no primary key: declare `primary_key = [...]` for the table".into(),
                    ));
                }
                let mut cols = Vec::new();
                for lc in &lt.columns {
                    let spec = t.column(&lc.name);
                    let category = spec.and_then(|s| s.category.clone());
                    let mask = spec
                        .and_then(|s| s.masking.clone())
                        .or_else(|| t.masking.clone())
                        .unwrap_or_else(|| ds.masking.for_category(category.as_deref()));
                    cols.push(CCol {
                        name: lc.name.clone(),
                        kind: lc.kind,
                        nullable: lc.nullable,
                        max_len: lc.max_len,
                        identity: spec.and_then(|s| s.identity.clone()),
                        personal: spec.is_some_and(|s| s.is_personal()),
                        category,
                        mask,
                        is_ref: false,
                        matching: spec.map(|s| s.identity_match()).unwrap_or_default(),
                        unique: lc.unique,
                    });
                }
                let mut pk = Vec::new();
                for p in &pk_names {
                    match cols.iter().position(|c| &c.name == p) {
                        Some(i) => pk.push(i),
                        None => problems.push(prob(Some(p), "primary key column missing".into())),
                    }
                }
                let pk_enforced = {
                    let mut a = pk_names.clone();
                    let mut b = lt.primary_key.clone();
                    a.sort();
                    b.sort();
                    (!b.is_empty() && a == b)
                        || (pk.len() == 1
                            && pk
                                .first()
                                .and_then(|&i| cols.get(i))
                                .is_some_and(|c| c.unique && !c.nullable))
                };
                let ct = CTable {
                    db: di,
                    schema: lt.schema.clone(),
                    spec: t.clone(),
                    cols,
                    pk,
                    fks: lt.foreign_keys.clone(),
                    pk_enforced,
                };
                for (what, col) in [
                    ("retention", t.retention.as_ref().map(|r| r.from.as_str())),
                    ("hold", t.hold.as_ref().map(|h| h.from.as_str())),
                ] {
                    if let Some(col) = col {
                        match ct.col(col).and_then(|i| ct.cols.get(i)) {
                            None => problems.push(prob(
                                Some(col),
                                format!("{what} counts from a column that does not exist"),
                            )),
                            Some(c) if !(c.kind.is_temporal() || c.kind == ColKind::Text) => {
                                problems.push(prob(
                                    Some(col),
                                    format!(
                                        "{what} counts from a column of type {:?}; a date, timestamp or unix-seconds integer is needed",
                                        c.kind
                                    ),
                                ))
                            }
                            Some(_) => {}
                        }
                    }
                }
                tables.push(ct);
            }
        }
        // Columns in declared foreign keys (either side) link rows: masking them would break
        // referential integrity, so they are never masked.
        let mut fk_cols: BTreeSet<(usize, String)> = BTreeSet::new();
        for t in &tables {
            for fk in &t.fks {
                for (ti, x) in tables.iter().enumerate() {
                    if x.db == t.db && std::ptr::eq(x, t) {
                        for c in &fk.columns {
                            fk_cols.insert((ti, c.clone()));
                        }
                    }
                    if x.db == t.db
                        && x.spec.name == fk.ref_table
                        && (fk.ref_schema.is_none() || fk.ref_schema == x.schema)
                    {
                        for c in &fk.ref_columns {
                            fk_cols.insert((ti, c.clone()));
                        }
                    }
                }
            }
        }
        // So are the key columns the dataset's references follow (either end): masking
        // `orders.customer_id` would cut rows loose from the person instead of erasing them. A
        // reference by personal data itself (an e-mail address, an identity) is masked: that
        // link is the person's data.
        let key_like = |t: &CTable, col: &str| {
            t.col(col).and_then(|i| t.cols.get(i)).is_some_and(|c| {
                c.identity.is_none()
                    && c.category.as_deref().is_none_or(|cat| {
                        !(cat == "user" || cat.starts_with("user."))
                            || cat == "user.unique_id"
                            || cat.starts_with("user.unique_id.")
                    })
            })
        };
        for (ti, t) in tables.iter().enumerate() {
            for r in &t.spec.references {
                if key_like(t, &r.column) {
                    fk_cols.insert((ti, r.column.clone()));
                }
                for (xi, x) in tables.iter().enumerate() {
                    if x.spec.name == r.target.table
                        && dbs.get(x.db).is_some_and(|d| d.name == r.target.database)
                        && key_like(x, &r.target.column)
                    {
                        fk_cols.insert((xi, r.target.column.clone()));
                    }
                }
            }
        }
        for (ti, t) in tables.iter_mut().enumerate() {
            for c in &mut t.cols {
                c.is_ref = fk_cols.contains(&(ti, c.name.clone()));
            }
        }
        // Every masking strategy that an erasure, a hold or a sweep may apply must fit its
        // column (type, length, NOT NULL, UNIQUE), checked before anything runs.
        for t in &tables {
            let Some(db) = ds.databases.get(t.db) else {
                continue;
            };
            for i in t.erasable_cols() {
                if let Some(c) = t.cols.get(i)
                    && let Err(m) = crate::mask::check_strategy(c)
                {
                    problems.push(SchemaProblem {
                        database: db.name.clone(),
                        table: Some(t.spec.name.clone()),
                        column: Some(c.name.clone()),
                        message: m,
                    });
                }
            }
        }
        // Edges from references (checked both ends exist).
        let mut edges = Vec::new();
        let mut links = Vec::new();
        for (ti, t) in tables.iter().enumerate() {
            for r in &t.spec.references {
                let Some(fc) = t.col(&r.column) else { continue };
                let target = tables.iter().enumerate().find(|(_, x)| {
                    x.spec.name == r.target.table
                        && dbs.get(x.db).is_some_and(|d| d.name == r.target.database)
                });
                let Some((tti, tt)) = target else { continue };
                let Some(tc) = tt.col(&r.target.column) else {
                    problems.push(SchemaProblem {
                        database: r.target.database.clone(),
                        table: Some(r.target.table.clone()),
                        column: Some(r.target.column.clone()),
                        message: format!(
                            "referenced from {}.{} but no such column",
                            t.spec.name, r.column
                        ),
                    });
                    continue;
                };
                links.push(Link {
                    child: (ti, fc),
                    parent: (tti, tc),
                });
                if matches!(r.direction, Direction::To | Direction::Both) {
                    edges.push(Edge {
                        from: (ti, fc),
                        to: (tti, tc),
                        up: true,
                    });
                }
                if matches!(r.direction, Direction::From | Direction::Both) {
                    edges.push(Edge {
                        from: (tti, tc),
                        to: (ti, fc),
                        up: false,
                    });
                }
            }
        }
        if !problems.is_empty() {
            return Err(EngineError::SchemaMismatch(problems));
        }
        // Foreign keys into described tables from tables the dataset leaves out.
        let mut undescribed = Vec::new();
        for (di, live) in lives.iter().enumerate() {
            // SQLite keeps `REFERENCES Customer(id)` as written but matches names without
            // regard to ASCII case; PostgreSQL's catalog holds the exact (folded) names.
            let sqlite = dbs
                .get(di)
                .is_some_and(|d| d.pool.backend() == Backend::Sqlite);
            let same_table = |a: &str, b: &str| {
                if sqlite {
                    a.eq_ignore_ascii_case(b)
                } else {
                    a == b
                }
            };
            for lt in live {
                if tables
                    .iter()
                    .any(|t| t.db == di && t.spec.name == lt.name && t.schema == lt.schema)
                {
                    continue;
                }
                for fk in &lt.foreign_keys {
                    let Some(target) = tables.iter().position(|t| {
                        t.db == di
                            && same_table(&t.spec.name, &fk.ref_table)
                            && (fk.ref_schema.is_none() || fk.ref_schema == t.schema)
                    }) else {
                        continue;
                    };
                    let table = match lt.schema.as_deref() {
                        Some(s) if s != "public" => format!("{s}.{}", lt.name),
                        _ => lt.name.clone(),
                    };
                    undescribed.push(UndescribedFk {
                        db: di,
                        table,
                        fk: fk.clone(),
                        target,
                    });
                }
            }
        }
        tracing::info!(
            databases = dbs.len(),
            tables = tables.len(),
            "datasets checked against the live schema"
        );
        let advice = advise(&dbs, &tables);
        let engine = Engine {
            dbs,
            tables,
            edges,
            links,
            datasets: ds,
            undescribed,
            advice,
        };
        for p in engine.undescribed_foreign_keys() {
            tracing::warn!("{p}; access works, erase and sweep refuse until this is fixed");
        }
        for u in &engine.undescribed {
            if u.fk.on_delete == "CASCADE"
                && let (Some(d), Some(t)) = (engine.dbs.get(u.db), engine.tables.get(u.target))
            {
                tracing::warn!(
                    "{}.{}: foreign key ({}) to {} ON DELETE CASCADE: deleting a `{}` row also deletes the `{}` rows referring to it, which the dataset does not describe (not in access exports, not counted in certificates)",
                    d.name,
                    u.table,
                    u.fk.columns.join(", "),
                    t.spec.name,
                    t.spec.name,
                    u.table
                );
            }
        }
        Ok(engine)
    }

    /// Foreign keys from tables the dataset does not describe to tables an erasure or a sweep
    /// may delete from (`erase = "delete"`, or a retention rule not overridden to
    /// `anonymise`), whose `ON DELETE` makes such a delete fail. Found when connecting; each
    /// is logged as a warning, access still works, and [`erase`](Engine::erase) and
    /// [`sweep`](Engine::sweep) refuse with [`EngineError::UndescribedForeignKeys`] before any
    /// write while one points at a table they would delete from. Empty when the dataset is
    /// complete.
    pub fn undescribed_foreign_keys(&self) -> Vec<SchemaProblem> {
        self.undescribed
            .iter()
            .filter_map(|u| {
                let t = self.tables.get(u.target)?;
                let erase = t.effective_erase() == EraseAction::Delete;
                let sweep = match t.spec.retention.as_ref().map(|r| r.action) {
                    Some(Some(SweepAction::Delete)) => Some(true),
                    Some(None) => Some(false),
                    _ => None,
                };
                self.undescribed_problem(u, erase, sweep)
            })
            .collect()
    }

    /// Refuses `operation` when an undescribed foreign key blocks a delete from a table for
    /// which `deletes(table index)` holds.
    pub(crate) fn refuse_undescribed(
        &self,
        operation: &str,
        erase: bool,
        deletes: impl Fn(usize) -> bool,
    ) -> Result<()> {
        let problems: Vec<SchemaProblem> = self
            .undescribed
            .iter()
            .filter(|u| deletes(u.target))
            .filter_map(|u| self.undescribed_problem(u, erase, (!erase).then_some(true)))
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(EngineError::UndescribedForeignKeys {
                operation: operation.into(),
                problems,
            })
        }
    }

    /// The problem an undescribed foreign key makes for deletes by erasure (`erase`) and/or
    /// the sweep (`sweep`: `Some(true)` it deletes, `Some(false)` it deletes if the register's
    /// rule says so, `None` it does not); `None` when the key does not block a delete or
    /// nothing deletes.
    fn undescribed_problem(
        &self,
        u: &UndescribedFk,
        erase: bool,
        sweep: Option<bool>,
    ) -> Option<SchemaProblem> {
        if !u.fk.blocks_delete() || !(erase || sweep.is_some()) {
            return None;
        }
        let db = self.dbs.get(u.db)?;
        let t = self.tables.get(u.target)?;
        let target = t.spec.name.as_str();
        let sweeping = match sweep {
            Some(true) => "a retention sweep",
            _ => "a retention sweep (if its rule deletes)",
        };
        let who = match (erase, sweep.is_some()) {
            (true, true) => format!("an erasure or {sweeping}"),
            (true, false) => "an erasure".into(),
            _ => sweeping.into(),
        };
        let reference = match (u.fk.columns.as_slice(), u.fk.ref_columns.as_slice()) {
            ([c], [r]) => {
                format!(", with `references = [{{ column = \"{c}\", to = \"{target}.{r}\" }}]`")
            }
            _ => String::new(),
        };
        let mut fix = format!("add `{}` to the dataset file{reference}", u.table);
        // The alternative: stop deleting from the target (masking a key is impossible).
        if !(erase && t.identity_in_key()) {
            let mut alt = Vec::new();
            if erase {
                alt.push(format!("`erase = \"mask\"` on `{target}`"));
            }
            if sweep.is_some() {
                alt.push(format!(
                    "`action = \"anonymise\"` in the retention of `{target}`"
                ));
            }
            fix.push_str(&format!(", or set {}", alt.join(" and ")));
        }
        Some(SchemaProblem {
            database: db.name.clone(),
            table: Some(u.table.clone()),
            column: Some(u.fk.columns.join(", ")),
            message: format!(
                "foreign key to {target}({}) ON DELETE {}, but `{}` is not in the dataset: {who} deleting a `{target}` row it references would fail; {fix}",
                u.fk.ref_columns.join(", "),
                u.fk.on_delete,
                u.table,
            ),
        })
    }

    /// What `datasets check` advises about the dataset, none of it blocking: references
    /// from a table to itself (they link people; the walk crosses them only to rows holding the
    /// person's identity), composite foreign keys between described tables that the engine does
    /// not follow, and the index that serves each identity column compared without regard to
    /// case or punctuation.
    pub fn advice(&self) -> &[SchemaProblem] {
        &self.advice
    }

    /// The datasets (with bindings applied).
    pub fn datasets(&self) -> &Datasets {
        &self.datasets
    }

    /// The backend of a database by dataset name.
    pub fn backend(&self, database: &str) -> Option<Backend> {
        self.dbs
            .iter()
            .find(|d| d.name == database)
            .map(|d| d.pool.backend())
    }

    pub(crate) fn db(&self, t: &CTable) -> Result<&DbConn> {
        self.dbs
            .get(t.db)
            .ok_or_else(|| EngineError::Dataset("internal: database index".into()))
    }

    pub(crate) fn table(&self, i: usize) -> Result<&CTable> {
        self.tables
            .get(i)
            .ok_or_else(|| EngineError::Dataset("internal: table index".into()))
    }

    /// Refuses, before any write, when a primary key declared in the dataset file (and not
    /// kept unique by the database) is not unique in the live table: a change by that key would
    /// reach other rows (another person's) than the ones planned.
    pub(crate) async fn check_declared_keys(
        &self,
        conns: &mut Conns,
        tables: Vec<usize>,
    ) -> Result<()> {
        let mut seen = BTreeSet::new();
        for ti in tables {
            if !seen.insert(ti) {
                continue;
            }
            let t = self.table(ti)?;
            if t.pk_enforced {
                continue;
            }
            let db = self.db(t)?;
            let names: Vec<String> =
                t.pk.iter()
                    .filter_map(|&i| t.cols.get(i).map(|c| c.name.clone()))
                    .collect();
            let mut inner = sea_query::Query::select();
            inner
                .expr(Expr::val(1i64))
                .from(Self::tref(t))
                .group_by_columns(names.iter().map(|n| Alias::new(n.clone())))
                .and_having(Expr::cust("COUNT(*) > 1"));
            let mut q = sea_query::Query::select();
            q.expr(Expr::cust("COUNT(*)"))
                .from_subquery(inner, Alias::new("dup"));
            let conn = conns.get(&self.dbs, t.db).await?;
            let rows = conn.fetch(&db.name, &q, &[ColKind::Int]).await?;
            let n = match rows.first().and_then(|r| r.first()) {
                Some(Val::Int(n)) => u64::try_from(*n).unwrap_or(0),
                _ => 0,
            };
            if n > 0 {
                return Err(EngineError::KeyNotUnique {
                    database: db.name.clone(),
                    table: t.spec.name.clone(),
                    columns: names.join(", "),
                    duplicates: n,
                });
            }
        }
        Ok(())
    }

    pub(crate) fn tref(t: &CTable) -> TableRef {
        let name = match &t.schema {
            Some(s) => TableName(
                Some(SchemaName(None, Alias::new(s.clone()).into_iden())),
                Alias::new(t.spec.name.clone()).into_iden(),
            ),
            None => TableName(None, Alias::new(t.spec.name.clone()).into_iden()),
        };
        TableRef::Table(name, None)
    }

    /// An expression reading column `ci` so that it decodes by its kind (PostgreSQL: cast to
    /// bigint / double precision / text).
    pub(crate) fn read_expr(&self, t: &CTable, ci: usize) -> Expr {
        let c = t.cols.get(ci);
        let name = c.map(|c| c.name.clone()).unwrap_or_default();
        let col = Expr::col(Alias::new(name));
        let backend = self.dbs.get(t.db).map(|d| d.pool.backend());
        match (backend, c.map(|c| c.kind)) {
            (Some(Backend::Postgres), Some(ColKind::Int)) => col.cast_as("bigint"),
            (Some(Backend::Postgres), Some(ColKind::Float)) => col.cast_as("double precision"),
            (Some(Backend::Postgres), Some(ColKind::Bool | ColKind::Bytes)) => col,
            (Some(Backend::Postgres), _) => col.cast_as("text"),
            (Some(Backend::Mysql), Some(k)) => mysql_read(col, k),
            _ => col,
        }
    }

    /// The kind a column is decoded as.
    pub(crate) fn read_kind(t: &CTable, ci: usize) -> ColKind {
        t.cols.get(ci).map(|c| c.kind).unwrap_or(ColKind::Other)
    }

    /// A bound value expression for column `ci` (PostgreSQL: cast to the column type where a
    /// text parameter would not be accepted). `None` when the value does not fit the column.
    pub(crate) fn value_expr(&self, t: &CTable, ci: usize, v: &Val) -> Option<Expr> {
        let c = t.cols.get(ci)?;
        if v.is_null() {
            return Some(Expr::cust("NULL"));
        }
        let backend = self.dbs.get(t.db).map(|d| d.pool.backend());
        if backend == Some(Backend::Mysql) {
            return mysql_value(c.kind, v);
        }
        if backend == Some(Backend::Postgres) && c.kind == ColKind::Other {
            return Some(Expr::val(v.as_text()?));
        }
        let cv = v.coerce(c.kind)?;
        let e = Expr::val(cv.to_sea());
        match (backend, c.kind.pg_cast()) {
            (Some(Backend::Postgres), Some(cast)) => Some(e.cast_as(cast)),
            _ => Some(e),
        }
    }

    /// The column as a comparable expression (PostgreSQL `Other` kinds compare as text).
    pub(crate) fn cmp_col(&self, t: &CTable, ci: usize) -> Expr {
        let c = t.cols.get(ci);
        let col = Expr::col(Alias::new(c.map(|c| c.name.clone()).unwrap_or_default()));
        let backend = self.dbs.get(t.db).map(|d| d.pool.backend());
        match (backend, c.map(|c| c.kind)) {
            (Some(Backend::Postgres), Some(ColKind::Other)) => col.cast_as("text"),
            _ => col,
        }
    }

    /// `col IN (v1, v2, ...)` with values bound; values that cannot fit the column are skipped.
    /// `None` when no value fits.
    pub(crate) fn in_expr(&self, t: &CTable, ci: usize, vals: &[Val]) -> Option<Expr> {
        let exprs: Vec<Expr> = vals
            .iter()
            .filter(|v| !v.is_null())
            .filter_map(|v| self.value_expr(t, ci, v))
            .collect();
        if exprs.is_empty() {
            None
        } else {
            Some(self.cmp_col(t, ci).is_in(exprs))
        }
    }

    /// A condition matching rows by primary key.
    pub(crate) fn key_in(&self, t: &CTable, keys: &[Vec<Val>]) -> Option<Expr> {
        match t.pk.as_slice() {
            [single] => {
                let vals: Vec<Val> = keys.iter().filter_map(|k| k.first().cloned()).collect();
                self.in_expr(t, *single, &vals)
            }
            many => {
                let mut any: Option<Expr> = None;
                for k in keys {
                    let mut all: Option<Expr> = None;
                    for (pos, &ci) in many.iter().enumerate() {
                        let v = k.get(pos).cloned().unwrap_or(Val::Null);
                        let e = if v.is_null() {
                            self.cmp_col(t, ci).is_null()
                        } else {
                            self.cmp_col(t, ci).eq(self.value_expr(t, ci, &v)?)
                        };
                        all = Some(match all {
                            Some(a) => a.and(e),
                            None => e,
                        });
                    }
                    if let Some(a) = all {
                        any = Some(match any {
                            Some(x) => x.or(a),
                            None => a,
                        });
                    }
                }
                any
            }
        }
    }

    /// `SELECT <cols> FROM t` (read expressions).
    pub(crate) fn select(&self, t: &CTable, cols: &[usize]) -> SelectStatement {
        let mut q = Query::select();
        q.from(Self::tref(t));
        for &ci in cols {
            q.expr(self.read_expr(t, ci));
        }
        q
    }

    /// Orders a select from `t` aliased `alias` by the primary key, compared as [`cmp_col`]
    /// compares it. The columns are qualified: a bare name in `ORDER BY` would name the output
    /// column, which on PostgreSQL is the cast read expression (no index, a sort of the table).
    ///
    /// [`cmp_col`]: Engine::cmp_col
    pub(crate) fn order_by_key(&self, t: &CTable, alias: &str, q: &mut SelectStatement) {
        let backend = self.dbs.get(t.db).map(|d| d.pool.backend());
        for &ci in &t.pk {
            if let Some(c) = t.cols.get(ci) {
                let col = Expr::col((Alias::new(alias), Alias::new(c.name.clone())));
                let e = match (backend, c.kind) {
                    (Some(Backend::Postgres), ColKind::Other) => col.cast_as("text"),
                    _ => col,
                };
                q.order_by_expr(e, Order::Asc);
            }
        }
    }
}

/// The advice of [`Engine::advice`], computed once at connect.
fn advise(dbs: &[DbConn], tables: &[CTable]) -> Vec<SchemaProblem> {
    use crate::identity::IdentityMatch;
    let mut out = Vec::new();
    for t in tables {
        let Some(d) = dbs.get(t.db) else { continue };
        let backend = d.pool.backend();
        let problem = |column: Option<String>, message: String| SchemaProblem {
            database: d.name.clone(),
            table: Some(t.spec.name.clone()),
            column,
            message,
        };
        for r in &t.spec.references {
            if r.target.table == t.spec.name && r.target.database == d.name {
                out.push(problem(
                    Some(r.column.clone()),
                    format!(
                        "refers to its own table ({}.{}): such a reference links people (a referral, a partner, a parent), not a person to their data; the walk enters a row through it only when that row holds the person's identity",
                        r.target.table, r.target.column
                    ),
                ));
            }
        }
        for fk in &t.fks {
            if fk.columns.len() > 1
                && tables
                    .iter()
                    .any(|x| x.db == t.db && x.spec.name == fk.ref_table)
            {
                out.push(problem(
                    Some(fk.columns.join(", ")),
                    format!(
                        "composite foreign key to {}({}) is not followed (the engine follows single-column references): rows linked only through it are not found; describe a single-column reference where the tables have one",
                        fk.ref_table,
                        fk.ref_columns.join(", ")
                    ),
                ));
            }
        }
        for c in &t.cols {
            if c.identity.is_none() || !c.kind.is_textual() {
                continue;
            }
            let name = &c.name;
            let table = &t.spec.name;
            if c.matching == IdentityMatch::Exact {
                continue;
            }
            let expr = c.matching.sql_text(name);
            let index = match backend {
                Backend::Postgres | Backend::Sqlite => {
                    format!("CREATE INDEX {table}_{name}_identity ON {table} (({expr}))")
                }
                // MariaDB indexes expressions through a generated column.
                Backend::Mysql => format!(
                    "ALTER TABLE {table} ADD COLUMN {name}_identity VARCHAR(255) AS ({expr}) VIRTUAL, ADD INDEX ({name}_identity)"
                ),
            };
            out.push(problem(
                Some(name.clone()),
                format!(
                    "identity compared as {:?}: lookups use `{expr}`; for a large table create the index that serves them: {index}",
                    c.matching
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod fingerprint_tests {
    #![allow(clippy::unwrap_used)]
    use super::Subject;

    /// The certificate's fingerprint is keyed: not the plain SHA-256 anyone can recompute from a
    /// guessed address, different under another key, and absent without a key.
    #[test]
    fn fingerprint_is_keyed_or_absent() {
        let s = Subject::new("email", "jan@example.nl");
        let a = s.keyed_fingerprint(Some(b"key one"));
        assert_eq!(a.len(), 64);
        assert_ne!(a, s.fingerprint());
        assert_ne!(a, s.keyed_fingerprint(Some(b"key two")));
        assert_eq!(a, s.keyed_fingerprint(Some(b"key one")));
        assert_eq!(s.keyed_fingerprint(None), "");
    }
}
