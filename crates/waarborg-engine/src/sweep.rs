//! Retention sweeps: per retention rule, delete or anonymise the rows whose period has passed,
//! except rows under a legal hold. Set-based SQL in batches, each batch its own transaction, with
//! idempotent criteria: a sweep killed half-way is finished by the next run; safe from cron.

use std::sync::Arc;

use sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, TableRef};
use serde::Serialize;

use crate::db::{Backend, Conn};
use crate::engine::{CTable, Conns, Engine};
use crate::erase::{civil_now, sub_span};
use crate::error::{EngineError, Result};
use crate::mask::mask_value;
use crate::model::{MaskStrategy, SweepAction};
use crate::value::{ColKind, Val};
use waarborg_policy::{Policy, RetentionAction};

/// The sweep report format identifier.
pub const SWEEP_FORMAT: &str = "waarborg-sweep/1";

/// Progress of a sweep, reported after every batch.
#[derive(Debug, Clone, Serialize)]
pub struct SweepProgress {
    /// The retention rule.
    pub rule: String,
    /// `database.table`.
    pub table: String,
    /// Rows handled so far for this rule and table.
    pub done: u64,
    /// Rows expected (counted at the start).
    pub total: u64,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&SweepProgress) + Send + Sync>;

/// Options of a sweep.
#[derive(Clone)]
pub struct SweepOptions {
    /// Count only; change nothing.
    pub dry_run: bool,
    /// Rows per batch (each batch is one transaction). Default 1000.
    pub batch_size: usize,
    /// The key for the hash masking strategy.
    pub hash_key: Option<Vec<u8>>,
    /// Called after every batch.
    pub progress: Option<ProgressFn>,
}

impl Default for SweepOptions {
    fn default() -> Self {
        SweepOptions {
            dry_run: false,
            batch_size: 1000,
            hash_key: None,
            progress: None,
        }
    }
}

impl std::fmt::Debug for SweepOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SweepOptions")
            .field("dry_run", &self.dry_run)
            .field("batch_size", &self.batch_size)
            .finish()
    }
}

/// What a sweep did.
#[derive(Debug, Clone, Serialize)]
pub struct SweepReport {
    /// Always [`SWEEP_FORMAT`].
    pub format: String,
    /// The moment the periods were judged at (RFC 3339).
    pub now: String,
    /// Whether nothing was changed.
    pub dry_run: bool,
    /// One entry per table with a retention rule.
    pub rules: Vec<RuleReport>,
}

/// Counts for one retention rule on one table.
#[derive(Debug, Clone, Serialize)]
pub struct RuleReport {
    /// Retention rule id.
    pub rule: String,
    /// Database (dataset) name.
    pub database: String,
    /// Table.
    pub table: String,
    /// `delete` or `anonymise`.
    pub action: String,
    /// The period.
    pub period: String,
    /// Rows counting from before this moment have expired.
    pub cutoff: String,
    /// Rows whose period has passed (at the start).
    pub expired: u64,
    /// Expired rows kept because a legal hold still runs.
    pub held: u64,
    /// Rows deleted.
    pub deleted: u64,
    /// Rows anonymised.
    pub anonymised: u64,
    /// Expired rows left alone: still referenced by other rows (delete) or already anonymised.
    pub skipped: u64,
    /// Expired rows, not under a hold, that a delete cannot remove because other rows still
    /// refer to them (each is counted once, whatever refers to it). They stay until the rows
    /// referring to them go; `blocked_by` says which references hold them.
    pub blocked: u64,
    /// Per foreign key: the rows it blocks (`orders.customer_id -> customers.id`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocked_by: Vec<Blocked>,
    /// Batches (transactions) committed.
    pub batches: u64,
}

/// Expired rows a foreign key keeps from being deleted.
#[derive(Debug, Clone, Serialize)]
pub struct Blocked {
    /// The reference: `child_table.column -> table.column`.
    pub reference: String,
    /// Expired rows it blocks.
    pub rows: u64,
}

impl Engine {
    /// `col < cutoff` for a retention/hold column, per backend and column kind.
    fn before(&self, t: &CTable, ci: usize, cut: jiff::civil::DateTime) -> Result<Expr> {
        let c = t
            .cols
            .get(ci)
            .ok_or_else(|| EngineError::Dataset("internal: column".into()))?;
        let db = self.db(t)?;
        let backend = db.pool.backend();
        let col = Expr::col(Alias::new(c.name.clone()));
        let text_dt = cut.strftime("%Y-%m-%d %H:%M:%S").to_string();
        Ok(match (backend, c.kind) {
            (_, ColKind::Int) => {
                let secs = cut
                    .to_zoned(db.tz.clone())
                    .map_err(|e| EngineError::Time(e.to_string()))?
                    .timestamp()
                    .as_second();
                col.lt(Expr::val(secs))
            }
            (Backend::Postgres, ColKind::Timestamp) => {
                col.lt(Expr::val(text_dt).cast_as("timestamp"))
            }
            (Backend::Postgres, ColKind::TimestampTz) => {
                let ts = cut
                    .to_zoned(db.tz.clone())
                    .map_err(|e| EngineError::Time(e.to_string()))?
                    .timestamp()
                    .to_string();
                col.lt(Expr::val(ts).cast_as("timestamptz"))
            }
            (Backend::Postgres, ColKind::Date) => {
                col.lt(Expr::val(cut.date().to_string()).cast_as("date"))
            }
            (Backend::Postgres, _) => col.lt(Expr::val(text_dt)),
            (Backend::Mysql, ColKind::TimestampTz) => {
                // The session runs in UTC (see `db::mysql_options`).
                let utc = cut
                    .to_zoned(db.tz.clone())
                    .map_err(|e| EngineError::Time(e.to_string()))?
                    .timestamp()
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .datetime()
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string();
                col.lt(Expr::val(utc))
            }
            (Backend::Mysql, ColKind::Date) => col.lt(Expr::val(cut.date().to_string())),
            (Backend::Mysql, _) => col.lt(Expr::val(text_dt)),
            (Backend::Sqlite, ColKind::Date) => col.lt(Expr::val(cut.date().to_string())),
            (Backend::Sqlite, _) => sea_query::Func::cust("datetime")
                .arg(col)
                .lt(Expr::val(text_dt)),
        })
    }

    /// Runs the retention sweep at `now`.
    pub async fn sweep(
        &self,
        register: &Policy,
        now: jiff::Timestamp,
        opts: &SweepOptions,
    ) -> Result<SweepReport> {
        self.datasets.check_register(register)?;
        self.refuse_undescribed("sweep", false, |ti| {
            self.tables
                .get(ti)
                .and_then(|t| t.spec.retention.as_ref())
                .and_then(|ret| {
                    let rule = register.retention_rule(&ret.rule)?;
                    Some(ret.action.unwrap_or(match rule.action {
                        RetentionAction::Delete => SweepAction::Delete,
                        RetentionAction::Anonymise => SweepAction::Anonymise,
                    }))
                })
                == Some(SweepAction::Delete)
        })?;
        let batch = opts.batch_size.max(1);
        let mut report = SweepReport {
            format: SWEEP_FORMAT.into(),
            now: now.to_string(),
            dry_run: opts.dry_run,
            rules: Vec::new(),
        };
        let mut conns = Conns::new(self.dbs.len());
        let swept: Vec<usize> = self
            .tables
            .iter()
            .enumerate()
            .filter(|(_, t)| t.spec.retention.is_some())
            .map(|(ti, _)| ti)
            .collect();
        self.check_declared_keys(&mut conns, swept).await?;
        for t in &self.tables {
            let Some(ret) = &t.spec.retention else {
                continue;
            };
            let db = self.db(t)?;
            let rule = register.retention_rule(&ret.rule).ok_or_else(|| {
                EngineError::Register(format!("no retention rule `{}`", ret.rule))
            })?;
            let action = ret.action.unwrap_or(match rule.action {
                RetentionAction::Delete => SweepAction::Delete,
                RetentionAction::Anonymise => SweepAction::Anonymise,
            });
            let now_c = civil_now(now, &db.tz);
            let cut = sub_span(now_c, rule.period.span())?;
            let from = t
                .col(&ret.from)
                .ok_or_else(|| EngineError::Dataset(format!("{}: {}", t.name(), ret.from)))?;
            let expired = self.before(t, from, cut)?;
            // Rows still under a hold are never touched.
            let not_held = match &t.spec.hold {
                Some(h) => {
                    let lh = register.legal_hold(&h.hold).ok_or_else(|| {
                        EngineError::Register(format!("no legal hold `{}`", h.hold))
                    })?;
                    let hc = t
                        .col(&h.from)
                        .ok_or_else(|| EngineError::Dataset(format!("{}: {}", t.name(), h.from)))?;
                    let hcut = sub_span(now_c, lh.period.span())?;
                    let hname = t.cols.get(hc).map(|c| c.name.clone()).unwrap_or_default();
                    Some(
                        self.before(t, hc, hcut)?
                            .or(Expr::col(Alias::new(hname)).is_null()),
                    )
                }
                None => None,
            };
            let erasable = t.erasable_cols();
            // Only rows that are not yet in their anonymised state, where SQL can tell.
            let not_done: Option<Expr> = match action {
                SweepAction::Delete => None,
                SweepAction::Anonymise => erasable
                    .iter()
                    .filter_map(|&ci| t.cols.get(ci))
                    .filter(|c| c.nullable && c.mask == MaskStrategy::Null)
                    .map(|c| Expr::col(Alias::new(c.name.clone())).is_not_null())
                    .reduce(|a, b| a.or(b)),
            };
            let mut criteria = expired.clone();
            if let Some(nh) = &not_held {
                criteria = criteria.and(nh.clone());
            }
            if let Some(nd) = &not_done {
                criteria = criteria.and(nd.clone());
            }
            let mut base = expired.clone();
            if let Some(nh) = &not_held {
                base = base.and(nh.clone());
            }
            let refs = if action == SweepAction::Delete {
                self.referencing_exists(t)?
            } else {
                Vec::new()
            };
            for (_, ex) in &refs {
                criteria = criteria.and(ex.clone().not());
            }
            // One pass over the expired rows counts all three: expired, held, to do.
            let mut q = Query::select();
            q.from(Self::aliased(t))
                .expr(Expr::cust("COUNT(*)"))
                .and_where(expired.clone());
            let case_count = |cond: Expr| {
                Expr::case(cond, Expr::val(1i64))
                    .finally(Expr::val(0i64))
                    .sum()
                    .cast_as(match db.pool.backend() {
                        Backend::Postgres => "bigint",
                        Backend::Mysql => "SIGNED",
                        Backend::Sqlite => "integer",
                    })
            };
            if let Some(nh) = &not_held {
                q.expr(case_count(nh.clone().not()));
            }
            q.expr(case_count(criteria.clone()));
            // Rows the references block: any of them, then each.
            if let Some(any) = refs.iter().map(|(_, e)| e.clone()).reduce(|a, b| a.or(b)) {
                q.expr(case_count(base.clone().and(any)));
                for (_, ex) in &refs {
                    q.expr(case_count(base.clone().and(ex.clone())));
                }
            }
            let conn = conns.get(&self.dbs, t.db).await?;
            let n_fixed = if not_held.is_some() { 3 } else { 2 };
            let n_refs = if refs.is_empty() { 0 } else { refs.len() + 1 };
            let kinds = vec![ColKind::Int; n_fixed + n_refs];
            let counts = conn.fetch(&db.name, &q, &kinds).await?;
            let count_at = |i: usize| match counts.first().and_then(|r| r.get(i)) {
                Some(Val::Int(n)) => u64::try_from(*n).unwrap_or(0),
                _ => 0,
            };
            let n_expired = count_at(0);
            let (n_held, total) = match &not_held {
                Some(_) => (count_at(1), count_at(2)),
                None => (0, count_at(1)),
            };
            let mut rr = RuleReport {
                rule: rule.id.clone(),
                database: db.name.clone(),
                table: t.spec.name.clone(),
                action: match action {
                    SweepAction::Delete => "delete".into(),
                    SweepAction::Anonymise => "anonymise".into(),
                },
                period: rule.period.span().to_string(),
                cutoff: cut.to_string(),
                expired: n_expired,
                held: n_held,
                deleted: 0,
                anonymised: 0,
                skipped: 0,
                blocked: if refs.is_empty() {
                    0
                } else {
                    count_at(n_fixed)
                },
                blocked_by: refs
                    .iter()
                    .enumerate()
                    .map(|(i, (name, _))| Blocked {
                        reference: name.clone(),
                        rows: count_at(n_fixed + 1 + i),
                    })
                    .filter(|b| b.rows > 0)
                    .collect(),
                batches: 0,
            };
            if rr.blocked > 0 {
                // Reported to the caller in the report; the front end says it.
                tracing::info!(
                    rule = %rr.rule,
                    table = %rr.table,
                    blocked = rr.blocked,
                    "expired rows stay because other rows still refer to them: {}",
                    rr.blocked_by
                        .iter()
                        .map(|b| format!("{} ({} rows)", b.reference, b.rows))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if !opts.dry_run && total > 0 {
                // MariaDB / MySQL: no alias in a single-table DELETE, so delete by key.
                if action == SweepAction::Delete && db.pool.backend() != Backend::Mysql {
                    self.sweep_delete(conn, t, &criteria, batch, total, &mut rr, opts)
                        .await?;
                } else {
                    self.sweep_table(
                        conn, t, action, &criteria, &erasable, batch, total, &mut rr, opts,
                    )
                    .await?;
                }
            }
            let done = if opts.dry_run {
                total
            } else {
                rr.deleted + rr.anonymised
            };
            rr.skipped = n_expired.saturating_sub(n_held).saturating_sub(done);
            if opts.dry_run {
                match action {
                    SweepAction::Delete => rr.deleted = total,
                    SweepAction::Anonymise => rr.anonymised = total,
                }
            }
            tracing::info!(
                rule = %rr.rule, table = %rr.table, expired = rr.expired, held = rr.held,
                deleted = rr.deleted, anonymised = rr.anonymised, "retention rule swept"
            );
            report.rules.push(rr);
        }
        conns.done();
        Ok(report)
    }

    fn aliased(t: &CTable) -> TableRef {
        Self::tref(t).alias(Alias::new("w0"))
    }

    /// `EXISTS (SELECT 1 FROM child WHERE child.fk = w0.pk)` for every declared single-column
    /// foreign key of a described table that points at `t`.
    fn referencing_exists(&self, t: &CTable) -> Result<Vec<(String, Expr)>> {
        let mut out = Vec::new();
        for ct in &self.tables {
            if ct.db != t.db {
                continue;
            }
            for fk in &ct.fks {
                if fk.ref_table != t.spec.name
                    || (fk.ref_schema.is_some() && fk.ref_schema != t.schema)
                {
                    continue;
                }
                let ([fcol], [pcol]) = (fk.columns.as_slice(), fk.ref_columns.as_slice()) else {
                    continue;
                };
                let (Some(fci), Some(pci)) = (ct.col(fcol), t.col(pcol)) else {
                    continue;
                };
                let (Some(fc), Some(pc)) = (ct.cols.get(fci), t.cols.get(pci)) else {
                    continue;
                };
                let mut sub = Query::select();
                sub.expr(Expr::cust("1"))
                    .from(Self::tref(ct).alias(Alias::new("w1")))
                    .and_where(
                        Expr::col((Alias::new("w1"), Alias::new(fc.name.clone())))
                            .equals((Alias::new("w0"), Alias::new(pc.name.clone()))),
                    );
                out.push((
                    format!(
                        "{}.{} -> {}.{}",
                        ct.spec.name, fc.name, t.spec.name, pc.name
                    ),
                    Expr::exists(sub),
                ));
            }
        }
        Ok(out)
    }

    /// `(pk...) <op> (values...)` for keyset pagination.
    fn key_cmp(&self, t: &CTable, key: &[Val], greater: bool) -> Option<Expr> {
        let left = Expr::tuple(t.pk.iter().map(|&ci| self.cmp_col(t, ci)));
        let right: Option<Vec<Expr>> =
            t.pk.iter()
                .zip(key.iter())
                .map(|(&ci, v)| self.value_expr(t, ci, v))
                .collect();
        let right = Expr::tuple(right?);
        Some(if greater {
            left.gt(right)
        } else {
            left.lte(right)
        })
    }

    /// Deletes expired rows in batches without shipping keys back and forth: find the key that
    /// ends the batch (`ORDER BY pk LIMIT 1 OFFSET n-1`), then delete the matching rows up to
    /// it; each batch one transaction, keyset over the primary key.
    #[allow(clippy::too_many_arguments)]
    async fn sweep_delete(
        &self,
        conn: &mut Conn,
        t: &CTable,
        criteria: &Expr,
        batch: usize,
        total: u64,
        rr: &mut RuleReport,
        opts: &SweepOptions,
    ) -> Result<()> {
        let db = self.db(t)?;
        let kinds: Vec<ColKind> = t.pk.iter().map(|&i| Engine::read_kind(t, i)).collect();
        let mut last: Option<Vec<Val>> = None;
        let mut done = 0u64;
        loop {
            let lower = match &last {
                Some(k) => Some(
                    self.key_cmp(t, k, true)
                        .ok_or_else(|| EngineError::Dataset("internal: key".into()))?,
                ),
                None => None,
            };
            let mut tx = conn.begin(&db.name).await?;
            tx.custom_plans(&db.name).await?;
            let mut q: SelectStatement = Query::select();
            q.from(Self::aliased(t));
            for &ci in &t.pk {
                q.expr(self.read_expr(t, ci));
            }
            q.and_where(criteria.clone());
            if let Some(l) = &lower {
                q.and_where(l.clone());
            }
            self.order_by_key(t, "w0", &mut q);
            q.limit(1).offset(batch.saturating_sub(1) as u64);
            let hi = tx.fetch(&db.name, &q, &kinds).await?.into_iter().next();
            // Delete the range directly (a `pk IN (subquery)` lets PostgreSQL hash-join the
            // whole table per batch).
            let mut d = Query::delete();
            d.from_table(Self::aliased(t)).and_where(criteria.clone());
            if let Some(l) = lower {
                d.and_where(l);
            }
            if let Some(h) = &hi {
                d.and_where(
                    self.key_cmp(t, h, false)
                        .ok_or_else(|| EngineError::Dataset("internal: key".into()))?,
                );
            }
            let n = tx.delete(&db.name, &d).await?;
            crate::pause::pause_point("sweep.before-commit");
            tx.commit(&db.name).await?;
            crate::pause::pause_point("sweep.after-commit");
            rr.deleted += n;
            rr.batches += 1;
            done += n;
            if let Some(p) = &opts.progress {
                p(&SweepProgress {
                    rule: rr.rule.clone(),
                    table: format!("{}.{}", rr.database, rr.table),
                    done,
                    total,
                });
            }
            match hi {
                Some(h) => last = Some(h),
                None => return Ok(()),
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn sweep_table(
        &self,
        conn: &mut Conn,
        t: &CTable,
        action: SweepAction,
        criteria: &Expr,
        erasable: &[usize],
        batch: usize,
        total: u64,
        rr: &mut RuleReport,
        opts: &SweepOptions,
    ) -> Result<()> {
        let db = self.db(t)?;
        let mut cols = t.pk.clone();
        if action == SweepAction::Anonymise {
            cols.extend(erasable.iter().copied());
        }
        let kinds: Vec<ColKind> = cols.iter().map(|&i| Engine::read_kind(t, i)).collect();
        let mut last: Option<Vec<Val>> = None;
        let mut done = 0u64;
        loop {
            let mut q: SelectStatement = Query::select();
            q.from(Self::aliased(t));
            for &ci in &cols {
                q.expr(self.read_expr(t, ci));
            }
            q.and_where(criteria.clone());
            if let Some(k) = &last {
                let left = Expr::tuple(t.pk.iter().map(|&ci| self.cmp_col(t, ci)));
                let right: Option<Vec<Expr>> =
                    t.pk.iter()
                        .zip(k.iter())
                        .map(|(&ci, v)| self.value_expr(t, ci, v))
                        .collect();
                let Some(right) = right else { break };
                q.and_where(left.gt(Expr::tuple(right)));
            }
            self.order_by_key(t, "w0", &mut q);
            q.limit(batch as u64);
            let mut tx = conn.begin(&db.name).await?;
            tx.custom_plans(&db.name).await?;
            let rows = tx.fetch(&db.name, &q, &kinds).await?;
            if rows.is_empty() {
                break;
            }
            let keys: Vec<Vec<Val>> = rows
                .iter()
                .map(|r| r.iter().take(t.pk.len()).cloned().collect())
                .collect();
            last = keys.last().cloned();
            match action {
                SweepAction::Delete => {
                    let Some(cond) = self.key_in(t, &keys) else {
                        break;
                    };
                    let mut d = Query::delete();
                    d.from_table(Engine::tref(t)).and_where(cond);
                    rr.deleted += tx.delete(&db.name, &d).await?;
                }
                SweepAction::Anonymise => {
                    let mut changes = Vec::new();
                    for r in &rows {
                        let mut ch = Vec::new();
                        for (pos, &ci) in erasable.iter().enumerate() {
                            let Some(c) = t.cols.get(ci) else { continue };
                            let v = r.get(t.pk.len() + pos).cloned().unwrap_or(Val::Null);
                            if c.mask == MaskStrategy::Hash && opts.hash_key.is_none() {
                                return Err(EngineError::MissingKey);
                            }
                            if let Some(nv) = mask_value(c, &v, opts.hash_key.as_deref()) {
                                ch.push((ci, nv));
                            }
                        }
                        if !ch.is_empty() {
                            changes.push((t.key_of_prefix(r), ch));
                        }
                    }
                    let refs: Vec<crate::erase::KeyedChanges<'_>> =
                        changes.iter().map(|(k, c)| (k.clone(), c)).collect();
                    self.write_updates(&mut tx, t, &refs).await?;
                    rr.anonymised += refs.len() as u64;
                }
            }
            crate::pause::pause_point("sweep.before-commit");
            tx.commit(&db.name).await?;
            crate::pause::pause_point("sweep.after-commit");
            rr.batches += 1;
            done += rows.len() as u64;
            if let Some(p) = &opts.progress {
                p(&SweepProgress {
                    rule: rr.rule.clone(),
                    table: format!("{}.{}", rr.database, rr.table),
                    done,
                    total,
                });
            }
            if rows.len() < batch {
                break;
            }
        }
        Ok(())
    }
}

impl CTable {
    /// The key of a row whose first values are the key columns.
    pub(crate) fn key_of_prefix(&self, row: &[Val]) -> Vec<Val> {
        row.iter().take(self.pk.len()).cloned().collect()
    }
}
