//! Erasure (Art. 17) with legal holds (Art. 17(3)) and rectification (Art. 16), each proved by
//! a certificate.

use std::collections::{BTreeMap, BTreeSet};

use sea_query::{Alias, Query};
use serde::Serialize;

use crate::engine::{CTable, Conns, Engine, FoundTable, Subject, key_string};
use crate::error::{EngineError, Result};
use crate::mask::{is_masked, mask_value};
use crate::value::{ColKind, Val, parse_civil, parse_text};
use waarborg_policy::{LegalHold, Policy};

/// The certificate format identifier.
pub const CERTIFICATE_FORMAT: &str = "waarborg-certificate/1";

/// Options of an erasure or rectification.
#[derive(Debug, Clone, Default)]
pub struct EraseOptions {
    /// Plan and certify only; change nothing.
    pub dry_run: bool,
    /// The moment holds are judged at (default: now).
    pub now: Option<jiff::Timestamp>,
    /// The key for the hash masking strategy.
    pub hash_key: Option<Vec<u8>>,
    /// An id for the request (default: a new UUID v7).
    pub request_id: Option<String>,
}

/// Proof of what an erasure or rectification did, per table, with reasons.
#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    /// Always [`CERTIFICATE_FORMAT`].
    pub format: String,
    /// `erase` or `rectify`.
    pub operation: String,
    /// The request id.
    pub request_id: String,
    /// Keyed fingerprint of the identities (HMAC-SHA-256 with the masking key, or the store's
    /// key when the run is recorded in a store); empty, and left out, without a key. The
    /// identities themselves are not kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subject_fingerprint: String,
    /// The identity kinds used.
    pub identity_kinds: Vec<String>,
    /// Whether this was a dry run (nothing changed).
    pub dry_run: bool,
    /// Start (RFC 3339).
    pub started_at: String,
    /// End (RFC 3339).
    pub finished_at: String,
    /// Per database: whether its transaction was committed.
    pub databases: Vec<DatabaseOutcome>,
    /// Per table counts and reasons.
    pub tables: Vec<TableCertificate>,
    /// Erasures that must still happen when a hold ends.
    pub scheduled: Vec<ScheduledErasure>,
    /// Verification after the run: rows a repeated run would still change (0 = complete).
    pub remaining_changes: u64,
    /// Whether any row of the person was found. `false` means the identities matched no one:
    /// nothing was erased or rectified, and the request needs another identity.
    pub subject_found: bool,
    /// Earlier runs of this request that were interrupted after they changed data, whose
    /// changes (established by recovery, from the rows) are counted in `tables` too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovered_runs: Vec<String>,
}

/// The outcome for one database.
#[derive(Debug, Clone, Serialize)]
pub struct DatabaseOutcome {
    /// Database (dataset) name.
    pub database: String,
    /// Whether the transaction was committed (false in a dry run).
    pub committed: bool,
}

/// Counts and reasons for one table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TableCertificate {
    /// Database (dataset) name.
    pub database: String,
    /// Table name.
    pub table: String,
    /// Rows deleted.
    pub deleted: u64,
    /// Rows whose personal columns were masked.
    pub masked: u64,
    /// Rows kept under a legal hold (masked except what the duty needs).
    pub kept: u64,
    /// Rows already in their erased state (nothing to change).
    pub unchanged: u64,
    /// Rows rectified.
    pub rectified: u64,
    /// The person's rows that also belong to another person (they refer to that person's
    /// row, e.g. a message to them): left unchanged.
    pub shared: u64,
    /// Columns that were masked or rectified.
    pub columns: Vec<String>,
    /// Why.
    pub reasons: Vec<Reason>,
}

impl TableCertificate {
    /// Adds the reason for `rows` rows (nothing when there are none).
    fn note(&mut self, action: &str, rows: u64, rule: &str, article: &str, explanation: &str) {
        if rows > 0 {
            self.reasons.push(Reason {
                action: action.into(),
                rows,
                rule: rule.into(),
                article: article.into(),
                explanation: explanation.into(),
            });
        }
    }
}

/// Why rows were treated as they were.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Reason {
    /// `deleted`, `masked`, `kept`, `unchanged` or `rectified`.
    pub action: String,
    /// Rows.
    pub rows: u64,
    /// The rule (register id or engine rule).
    pub rule: String,
    /// The article.
    pub article: String,
    /// In words.
    pub explanation: String,
}

/// An erasure that waits for a hold to end.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduledErasure {
    /// Database (dataset) name.
    pub database: String,
    /// Table name.
    pub table: String,
    /// Rows.
    pub rows: u64,
    /// The hold id.
    pub hold: String,
    /// The law that imposes the hold.
    pub article: String,
    /// The earliest date the rows may be erased (the latest hold end among them).
    pub not_before: String,
}

/// Column changes of one row: (column index, new value).
pub(crate) type Changes = Vec<(usize, Val)>;
/// A row key with its changes.
pub(crate) type KeyedChanges<'a> = (Vec<Val>, &'a Changes);
/// Per table: its index and the changes per row key.
type TableChanges = (usize, Vec<(Vec<Val>, Changes)>);

#[derive(Debug, Clone)]
pub(crate) enum RowPlan {
    Delete,
    Mask(Vec<(usize, Val)>),
    Held {
        changes: Vec<(usize, Val)>,
        until: jiff::civil::DateTime,
    },
    Unchanged,
    /// Also another person's row: left as it is.
    Shared,
}

/// The order deletes are written in per database, and the nullable key columns set to NULL
/// first to cut a cycle of immediate foreign keys.
#[derive(Debug, Default)]
pub(crate) struct DeleteOrder {
    order: BTreeMap<usize, Vec<usize>>,
    prenull: Vec<(usize, Vec<usize>)>,
}

/// A cycle among `edges` (child, parent, ...) restricted to `nodes`, as edge indexes.
fn find_cycle<T>(nodes: &[usize], edges: &[(usize, usize, T)]) -> Option<Vec<usize>> {
    fn dfs<T>(
        n: usize,
        edges: &[(usize, usize, T)],
        state: &mut BTreeMap<usize, u8>,
        stack: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        state.insert(n, 1);
        for (ei, (c, p, _)) in edges.iter().enumerate() {
            if *c != n {
                continue;
            }
            match state.get(p).copied().unwrap_or(0) {
                1 => {
                    // The cycle: the edges on the stack from the one leaving `p`.
                    let start = stack
                        .iter()
                        .position(|&e| edges.get(e).is_some_and(|(c2, _, _)| c2 == p))
                        .unwrap_or(stack.len());
                    let mut cyc: Vec<usize> = stack.get(start..).unwrap_or(&[]).to_vec();
                    cyc.push(ei);
                    return Some(cyc);
                }
                0 => {
                    stack.push(ei);
                    if let Some(c) = dfs(*p, edges, state, stack) {
                        return Some(c);
                    }
                    stack.pop();
                }
                _ => {}
            }
        }
        state.insert(n, 2);
        None
    }
    let mut state = BTreeMap::new();
    for &n in nodes {
        if state.get(&n).copied().unwrap_or(0) == 0 {
            let mut stack = Vec::new();
            if let Some(c) = dfs(n, edges, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

pub(crate) struct TablePlan {
    ti: usize,
    rows: Vec<(Vec<Val>, RowPlan)>,
    downgraded: u64,
}

impl TablePlan {
    /// The rows of the plan to delete.
    fn rows_to_delete(&self) -> impl Iterator<Item = &Vec<Val>> {
        self.rows
            .iter()
            .filter(|(_, rp)| matches!(rp, RowPlan::Delete))
            .map(|(r, _)| r)
    }
}

impl RowPlan {
    /// Whether carrying out the plan changes the row (a delete, or a mask with changes).
    fn changes_row(&self) -> bool {
        match self {
            RowPlan::Delete => true,
            RowPlan::Mask(ch) | RowPlan::Held { changes: ch, .. } => !ch.is_empty(),
            RowPlan::Unchanged | RowPlan::Shared => false,
        }
    }
}

/// The moment as a civil date-time in a time zone.
pub(crate) fn civil_now(now: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> jiff::civil::DateTime {
    now.to_zoned(tz.clone()).datetime()
}

/// Adds a span to a civil date-time (calendar arithmetic: months and years clamp at month
/// ends).
pub(crate) fn add_span(
    dt: jiff::civil::DateTime,
    span: jiff::Span,
) -> Result<jiff::civil::DateTime> {
    dt.checked_add(span)
        .map_err(|e| EngineError::Time(e.to_string()))
}

/// Subtracts a span from a civil date-time.
pub(crate) fn sub_span(
    dt: jiff::civil::DateTime,
    span: jiff::Span,
) -> Result<jiff::civil::DateTime> {
    dt.checked_sub(span)
        .map_err(|e| EngineError::Time(e.to_string()))
}

/// Whether a held row keeps column `i` of `t` unmasked: a personal column (not a key or a
/// reference) that the dataset's hold names in `keep`, or whose category the register's hold
/// keeps (its data categories, resolved by the policy).
fn hold_keeps(t: &CTable, i: usize, keep: &[String], held: Option<(&Policy, &LegalHold)>) -> bool {
    t.cols.get(i).is_some_and(|c| {
        c.personal
            && !t.pk.contains(&i)
            && !c.is_ref
            && (keep.contains(&c.name)
                || held.is_some_and(|(p, lh)| {
                    c.category
                        .as_deref()
                        .is_some_and(|cat| p.hold_keeps_category(lh, cat))
                }))
    })
}

/// Reads a timestamp cell as a civil date-time (text dates, or unix seconds for integers).
pub(crate) fn cell_datetime(v: &Val, tz: &jiff::tz::TimeZone) -> Option<jiff::civil::DateTime> {
    match v {
        Val::Text(s) => parse_civil(s),
        Val::Int(secs) => jiff::Timestamp::from_second(*secs)
            .ok()
            .map(|t| t.to_zoned(tz.clone()).datetime()),
        _ => None,
    }
}

impl Engine {
    fn mask_changes(
        &self,
        t: &CTable,
        row: &[Val],
        cols: &[usize],
        key: Option<&[u8]>,
    ) -> Result<Vec<(usize, Val)>> {
        let mut out = Vec::new();
        for &ci in cols {
            let Some(c) = t.cols.get(ci) else { continue };
            let v = row.get(ci).cloned().unwrap_or(Val::Null);
            if matches!(c.mask, crate::model::MaskStrategy::Hash)
                && key.is_none()
                && !is_masked(c, &v)
            {
                return Err(EngineError::MissingKey);
            }
            if let Some(nv) = mask_value(c, &v, key) {
                out.push((ci, nv));
            }
        }
        Ok(out)
    }

    /// Plans the erasure of the found rows.
    fn plan_erase(
        &self,
        register: Option<&Policy>,
        found: &[FoundTable],
        opts: &EraseOptions,
    ) -> Result<Vec<TablePlan>> {
        let now = opts.now.unwrap_or_else(jiff::Timestamp::now);
        let key = opts.hash_key.as_deref();
        let mut plans = Vec::new();
        for (ti, f) in found.iter().enumerate() {
            if f.rows.is_empty() && f.joint.is_empty() {
                continue;
            }
            let t = self.table(ti)?;
            let db = self.db(t)?;
            let hold = match &t.spec.hold {
                Some(h) => {
                    let reg = register.ok_or_else(|| {
                        EngineError::Register(format!(
                            "table {} has legal hold `{}`: pass the register (--policy)",
                            t.name(),
                            h.hold
                        ))
                    })?;
                    let lh = reg.legal_hold(&h.hold).ok_or_else(|| {
                        EngineError::Register(format!("no legal hold `{}` in the register", h.hold))
                    })?;
                    let from = t.col(&h.from).ok_or_else(|| {
                        EngineError::Dataset(format!("{}: hold column {}", t.name(), h.from))
                    })?;
                    Some((lh.period.span(), from, h.keep.as_slice(), (reg, lh)))
                }
                None => None,
            };
            let now_civil = civil_now(now, &db.tz);
            let erasable = t.erasable_cols();
            let mut rows = Vec::new();
            for row in &f.rows {
                let mut held_until = None;
                if let Some((dur, from, _, _)) = &hold
                    && let Some(start) = row.get(*from).and_then(|v| cell_datetime(v, &db.tz))
                {
                    let until = add_span(start, *dur)?;
                    if until > now_civil {
                        held_until = Some(until);
                    }
                }
                let plan = if let (Some(until), Some((_, _, keep, held))) = (held_until, &hold) {
                    // Every personal column but the keys, the references and what the hold keeps.
                    let cols: Vec<usize> = t
                        .cols
                        .iter()
                        .enumerate()
                        .filter(|(i, c)| {
                            c.personal
                                && !t.pk.contains(i)
                                && !c.is_ref
                                && !hold_keeps(t, *i, keep, Some(*held))
                        })
                        .map(|(i, _)| i)
                        .collect();
                    RowPlan::Held {
                        changes: self.mask_changes(t, row, &cols, key)?,
                        until,
                    }
                } else {
                    match t.effective_erase() {
                        crate::model::EraseAction::Delete => RowPlan::Delete,
                        crate::model::EraseAction::Mask => {
                            let ch = self.mask_changes(t, row, &erasable, key)?;
                            if ch.is_empty() {
                                RowPlan::Unchanged
                            } else {
                                RowPlan::Mask(ch)
                            }
                        }
                    }
                };
                rows.push((row.clone(), plan));
            }
            for row in &f.joint {
                rows.push((row.clone(), RowPlan::Shared));
            }
            plans.push(TablePlan {
                ti,
                rows,
                downgraded: 0,
            });
        }
        Ok(plans)
    }

    /// Rows to delete that are still referenced (declared foreign key) by rows that stay are
    /// masked instead, until nothing changes.
    ///
    /// Where the traversal followed the foreign key itself (a reference from the parent's key
    /// column to the child's column), every child row of a found parent was found too, so the
    /// referencing rows are known without asking the database again.
    async fn downgrade_referenced_async(
        &self,
        conns: &mut Conns,
        plans: &mut [TablePlan],
        found: &[FoundTable],
        key: Option<&[u8]>,
    ) -> Result<()> {
        loop {
            let mut changed = false;
            for pi in 0..plans.len() {
                let Some(p) = plans.get(pi) else { continue };
                let pt = self.table(p.ti)?;
                // Children: every described table with a declared FK to this table.
                for (cti, ct) in self.tables.iter().enumerate() {
                    if ct.db != pt.db {
                        continue;
                    }
                    for fk in &ct.fks {
                        if fk.ref_table != pt.spec.name
                            || (fk.ref_schema.is_some() && fk.ref_schema != pt.schema)
                        {
                            continue;
                        }
                        let ([fcol], [pcol]) = (fk.columns.as_slice(), fk.ref_columns.as_slice())
                        else {
                            continue;
                        };
                        let (Some(fci), Some(pci)) = (ct.col(fcol), pt.col(pcol)) else {
                            continue;
                        };
                        let Some(p) = plans.get(pi) else { continue };
                        let del_vals: Vec<Val> = p
                            .rows_to_delete()
                            .filter_map(|r| r.get(pci).cloned())
                            .filter(|v| !v.is_null())
                            .collect();
                        if del_vals.is_empty() {
                            continue;
                        }
                        let child_deleted: BTreeSet<String> = plans
                            .iter()
                            .find(|x| x.ti == cti)
                            .map(|x| {
                                x.rows_to_delete()
                                    .map(|r| key_string(&ct.key_of(r)))
                                    .collect()
                            })
                            .unwrap_or_default();
                        let mut referenced = BTreeSet::new();
                        let followed = self
                            .edges
                            .iter()
                            .any(|e| e.from == (p.ti, pci) && e.to == (cti, fci));
                        if followed {
                            if let Some(x) = plans.iter().find(|x| x.ti == cti) {
                                for (r, rp) in &x.rows {
                                    if !matches!(rp, RowPlan::Delete)
                                        && let Some(v) = r.get(fci)
                                        && !v.is_null()
                                    {
                                        referenced.insert(v.key());
                                    }
                                }
                            }
                            // Rows of other people and shared rows stay too.
                            if let Some(f) = found.get(cti) {
                                for r in f.others.iter().chain(f.context.iter()) {
                                    if let Some(v) = r.get(fci)
                                        && !v.is_null()
                                    {
                                        referenced.insert(v.key());
                                    }
                                }
                            }
                        } else {
                            let mut cols = ct.pk.clone();
                            cols.push(fci);
                            let kinds: Vec<ColKind> =
                                cols.iter().map(|&i| Engine::read_kind(ct, i)).collect();
                            let db = self.db(ct)?;
                            for chunk in del_vals.chunks(crate::engine::CHUNK) {
                                let Some(cond) = self.in_expr(ct, fci, chunk) else {
                                    continue;
                                };
                                let mut q = self.select(ct, &cols);
                                q.and_where(cond);
                                let conn = conns.get(&self.dbs, ct.db).await?;
                                for r in conn.fetch(&db.name, &q, &kinds).await? {
                                    let k: Vec<Val> = r.iter().take(ct.pk.len()).cloned().collect();
                                    if !child_deleted.contains(&key_string(&k))
                                        && let Some(v) = r.last()
                                    {
                                        referenced.insert(v.key());
                                    }
                                }
                            }
                        }
                        if referenced.is_empty() {
                            continue;
                        }
                        let erasable = pt.erasable_cols();
                        let Some(p) = plans.get_mut(pi) else { continue };
                        for (row, rp) in p.rows.iter_mut() {
                            if matches!(rp, RowPlan::Delete)
                                && row.get(pci).is_some_and(|v| referenced.contains(&v.key()))
                            {
                                let ch = self.mask_changes(pt, row, &erasable, key)?;
                                *rp = if ch.is_empty() {
                                    RowPlan::Unchanged
                                } else {
                                    RowPlan::Mask(ch)
                                };
                                p.downgraded += 1;
                                changed = true;
                            }
                        }
                    }
                }
            }
            if !changed {
                return Ok(());
            }
        }
    }

    /// Erases the person's data: deletes or masks per table, respecting legal holds, in one
    /// transaction per database, and returns the certificate. A second run changes nothing.
    pub async fn erase(
        &self,
        subject: &Subject,
        register: Option<&Policy>,
        opts: &EraseOptions,
    ) -> Result<Certificate> {
        self.refuse_undescribed("erase", true, |ti| {
            self.tables
                .get(ti)
                .is_some_and(|t| t.effective_erase() == crate::model::EraseAction::Delete)
        })?;
        let started = jiff::Timestamp::now();
        let mut conns = Conns::new(self.dbs.len());
        let found = self.traverse(&mut conns, subject).await?;
        let mut plans = self.plan_erase(register, &found, opts)?;
        self.downgrade_referenced_async(&mut conns, &mut plans, &found, opts.hash_key.as_deref())
            .await?;
        let order = self.check_delete_order(&plans)?;
        let touched: Vec<usize> = plans.iter().map(|p| p.ti).collect();
        self.check_declared_keys(&mut conns, touched).await?;
        let mut cert = self.new_certificate("erase", subject, opts, started);
        cert.subject_found = found
            .iter()
            .any(|f| !f.rows.is_empty() || !f.joint.is_empty());
        let mut committed = BTreeMap::new();
        for (di, d) in self.dbs.iter().enumerate() {
            let mine: Vec<&TablePlan> = plans
                .iter()
                .filter(|p| self.table(p.ti).is_ok_and(|t| t.db == di))
                .collect();
            let has_work = mine
                .iter()
                .any(|p| p.rows.iter().any(|(_, rp)| rp.changes_row()));
            if opts.dry_run || !has_work {
                committed.insert(d.name.clone(), false);
                continue;
            }
            let conn = conns.get(&self.dbs, di).await?;
            let mut tx = conn.begin(&d.name).await?;
            tx.defer_foreign_keys(&d.name).await?;
            // Updates first, then deletes children before parents.
            for p in &mine {
                let t = self.table(p.ti)?;
                let changes: Vec<KeyedChanges<'_>> = p
                    .rows
                    .iter()
                    .filter_map(|(r, rp)| match rp {
                        RowPlan::Mask(ch) | RowPlan::Held { changes: ch, .. } if !ch.is_empty() => {
                            Some((t.key_of(r), ch))
                        }
                        _ => None,
                    })
                    .collect();
                self.write_updates(&mut tx, t, &changes).await?;
            }
            // Cut cycles of immediate keys: NULL the key in the rows about to be deleted.
            for (ti, cols) in &order.prenull {
                let t = self.table(*ti)?;
                if t.db != di {
                    continue;
                }
                let Some(p) = mine.iter().find(|p| p.ti == *ti) else {
                    continue;
                };
                let nulls: Changes = cols.iter().map(|&c| (c, Val::Null)).collect();
                let changes: Vec<KeyedChanges<'_>> =
                    p.rows_to_delete().map(|r| (t.key_of(r), &nulls)).collect();
                self.write_updates(&mut tx, t, &changes).await?;
            }
            for &ti in order.order.get(&di).map(Vec::as_slice).unwrap_or(&[]) {
                let Some(p) = mine.iter().find(|p| p.ti == ti) else {
                    continue;
                };
                let t = self.table(ti)?;
                let keys: Vec<Vec<Val>> = p.rows_to_delete().map(|r| t.key_of(r)).collect();
                for chunk in keys.chunks(crate::engine::CHUNK) {
                    let Some(cond) = self.key_in(t, chunk) else {
                        continue;
                    };
                    let mut q = Query::delete();
                    q.from_table(Engine::tref(t)).and_where(cond);
                    tx.delete(&d.name, &q).await?;
                }
            }
            crate::pause::pause_point("erase.before-commit");
            tx.commit(&d.name).await?;
            crate::pause::pause_point("erase.after-commit");
            tracing::info!(database = %d.name, "erasure committed");
            committed.insert(d.name.clone(), true);
        }
        cert.databases = committed
            .into_iter()
            .map(|(database, committed)| DatabaseOutcome {
                database,
                committed,
            })
            .collect();
        self.fill_certificate(&mut cert, register, &plans)?;
        if !opts.dry_run {
            // Verify: what would a repeated run still change?
            let again = self.traverse(&mut conns, subject).await?;
            let mut replan = self.plan_erase(register, &again, opts)?;
            self.downgrade_referenced_async(
                &mut conns,
                &mut replan,
                &again,
                opts.hash_key.as_deref(),
            )
            .await?;
            cert.remaining_changes = replan
                .iter()
                .flat_map(|p| p.rows.iter())
                .filter(|(_, rp)| rp.changes_row())
                .count() as u64;
        }
        conns.done();
        cert.finished_at = jiff::Timestamp::now().to_string();
        Ok(cert)
    }

    /// The order deletes are written in, per database, and the links cut first: children
    /// before parents along every declared foreign key the database checks at once (not
    /// `DEFERRABLE` on PostgreSQL, `RESTRICT` on SQLite, every key on MariaDB), between tables
    /// that both lose rows; `erase_after` hints where they do not contradict a key. A cycle of
    /// such keys is cut where a key's columns may be NULL (those columns are set to NULL in
    /// the rows about to be deleted, first); a cycle that cannot be cut is an error before any
    /// write, in a dry run too.
    pub(crate) fn check_delete_order(&self, plans: &[TablePlan]) -> Result<DeleteOrder> {
        let deleting: BTreeSet<usize> = plans
            .iter()
            .filter(|p| p.rows_to_delete().next().is_some())
            .map(|p| p.ti)
            .collect();
        let mut out = DeleteOrder::default();
        for di in 0..self.dbs.len() {
            let ids: Vec<usize> = deleting
                .iter()
                .copied()
                .filter(|&ti| self.tables.get(ti).is_some_and(|t| t.db == di))
                .collect();
            // Hard edges: (child, parent, fk columns) for immediate keys. MariaDB / MySQL
            // check a key row by row, even within one statement, so a key from a table to
            // itself among the rows deleted is a cycle there too.
            let row_by_row = self
                .dbs
                .get(di)
                .is_some_and(|d| d.pool.backend() == crate::db::Backend::Mysql);
            let mut hard: Vec<(usize, usize, Vec<String>)> = Vec::new();
            for &ci in &ids {
                let Some(c) = self.tables.get(ci) else {
                    continue;
                };
                for fk in c.fks.iter().filter(|f| !f.deferrable && f.blocks_delete()) {
                    for &pi in &ids {
                        if (pi != ci || row_by_row)
                            && self.tables.get(pi).is_some_and(|p| {
                                p.spec.name == fk.ref_table
                                    && (fk.ref_schema.is_none() || fk.ref_schema == p.schema)
                            })
                        {
                            hard.push((ci, pi, fk.columns.clone()));
                        }
                    }
                }
            }
            // Cut cycles: while the hard edges have a cycle, null a nullable key in it.
            while let Some(cycle) = find_cycle(&ids, &hard) {
                let cut = cycle.iter().copied().find(|&ei| {
                    hard.get(ei).is_some_and(|(ci, _, cols)| {
                        self.tables.get(*ci).is_some_and(|t| {
                            cols.iter().all(|c| {
                                t.col(c)
                                    .and_then(|i| t.cols.get(i))
                                    .is_some_and(|cc| cc.nullable)
                            })
                        })
                    })
                });
                match cut {
                    Some(ei) => {
                        let (ci, _, cols) = hard.remove(ei);
                        if let Some(t) = self.tables.get(ci) {
                            let idx: Vec<usize> = cols.iter().filter_map(|c| t.col(c)).collect();
                            out.prenull.push((ci, idx));
                        }
                    }
                    None => {
                        let names: Vec<String> = cycle
                            .iter()
                            .filter_map(|&ei| hard.get(ei))
                            .filter_map(|(ci, pi, cols)| {
                                Some(format!(
                                    "{}.{} -> {}",
                                    self.tables.get(*ci)?.spec.name,
                                    cols.join(", "),
                                    self.tables.get(*pi)?.spec.name
                                ))
                            })
                            .collect();
                        return Err(EngineError::DeleteCycle(names));
                    }
                }
            }
            // Soft edges from erase_after (the table named is erased first), kept only where
            // they add no cycle.
            let mut edges: Vec<(usize, usize)> = hard.iter().map(|(c, p, _)| (*c, *p)).collect();
            for &ci in &ids {
                let Some(c) = self.tables.get(ci) else {
                    continue;
                };
                for ea in &c.spec.erase_after {
                    let name = ea.rsplit('.').next().unwrap_or(ea);
                    for &pi in &ids {
                        if pi != ci && self.tables.get(pi).is_some_and(|p| p.spec.name == name) {
                            edges.push((pi, ci));
                            let probe: Vec<(usize, usize, Vec<String>)> =
                                edges.iter().map(|(a, b)| (*a, *b, Vec::new())).collect();
                            if find_cycle(&ids, &probe).is_some() {
                                edges.pop();
                            }
                        }
                    }
                }
            }
            // Kahn's algorithm, smallest table index first, for a stable order.
            let mut order = Vec::new();
            let mut left: BTreeSet<usize> = ids.iter().copied().collect();
            while !left.is_empty() {
                let next = left.iter().copied().find(|&n| {
                    !edges
                        .iter()
                        .any(|(c, p)| *p == n && *c != n && left.contains(c))
                });
                let Some(n) = next.or_else(|| left.iter().next().copied()) else {
                    break;
                };
                left.remove(&n);
                order.push(n);
            }
            out.order.insert(di, order);
        }
        Ok(out)
    }

    /// Writes per-row changes; rows with identical changes share one set-based UPDATE.
    pub(crate) async fn write_updates(
        &self,
        tx: &mut crate::db::Tx<'_>,
        t: &CTable,
        changes: &[KeyedChanges<'_>],
    ) -> Result<u64> {
        let db = self.db(t)?;
        let mut groups: BTreeMap<String, (Changes, Vec<Vec<Val>>)> = BTreeMap::new();
        for (key, ch) in changes {
            let gk = ch
                .iter()
                .map(|(i, v)| format!("{i}={}", v.key()))
                .collect::<Vec<_>>()
                .join("\u{1e}");
            groups
                .entry(gk)
                .or_insert_with(|| ((*ch).clone(), Vec::new()))
                .1
                .push(key.clone());
        }
        let mut n = 0;
        for (_, (ch, keys)) in groups {
            for chunk in keys.chunks(crate::engine::CHUNK) {
                let Some(cond) = self.key_in(t, chunk) else {
                    continue;
                };
                let mut q = Query::update();
                q.table(Engine::tref(t));
                for (ci, v) in &ch {
                    let Some(c) = t.cols.get(*ci) else { continue };
                    let e =
                        self.value_expr(t, *ci, v)
                            .ok_or_else(|| EngineError::InvalidValue {
                                column: format!("{}.{}", t.name(), c.name),
                                message: "masked value does not fit the column".into(),
                            })?;
                    q.value(Alias::new(c.name.clone()), e);
                }
                q.and_where(cond);
                n += tx.update(&db.name, &q).await?;
            }
        }
        Ok(n)
    }

    fn new_certificate(
        &self,
        op: &str,
        subject: &Subject,
        opts: &EraseOptions,
        started: jiff::Timestamp,
    ) -> Certificate {
        Certificate {
            format: CERTIFICATE_FORMAT.into(),
            operation: op.into(),
            request_id: opts
                .request_id
                .clone()
                .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
            subject_fingerprint: subject.keyed_fingerprint(opts.hash_key.as_deref()),
            identity_kinds: subject.identities.iter().map(|(k, _)| k.clone()).collect(),
            dry_run: opts.dry_run,
            started_at: started.to_string(),
            finished_at: String::new(),
            databases: Vec::new(),
            tables: Vec::new(),
            scheduled: Vec::new(),
            remaining_changes: 0,
            subject_found: false,
            recovered_runs: Vec::new(),
        }
    }

    fn fill_certificate(
        &self,
        cert: &mut Certificate,
        register: Option<&Policy>,
        plans: &[TablePlan],
    ) -> Result<()> {
        for p in plans {
            let t = self.table(p.ti)?;
            let db = self.db(t)?;
            let mut tc = TableCertificate {
                database: db.name.clone(),
                table: t.spec.name.clone(),
                ..TableCertificate::default()
            };
            let mut cols = BTreeSet::new();
            let mut latest: Option<jiff::civil::DateTime> = None;
            for (_, rp) in &p.rows {
                match rp {
                    RowPlan::Delete => tc.deleted += 1,
                    RowPlan::Mask(ch) => {
                        tc.masked += 1;
                        for (ci, _) in ch {
                            if let Some(c) = t.cols.get(*ci) {
                                cols.insert(c.name.clone());
                            }
                        }
                    }
                    RowPlan::Held { changes, until } => {
                        tc.kept += 1;
                        for (ci, _) in changes {
                            if let Some(c) = t.cols.get(*ci) {
                                cols.insert(c.name.clone());
                            }
                        }
                        latest = Some(latest.map_or(*until, |l| l.max(*until)));
                    }
                    RowPlan::Unchanged => tc.unchanged += 1,
                    RowPlan::Shared => tc.shared += 1,
                }
            }
            tc.columns = cols.into_iter().collect();
            let art17 = "GDPR Art. 17(1)";
            tc.note(
                "deleted",
                tc.deleted,
                if t.identity_in_key() && t.spec.erase != crate::model::EraseAction::Delete {
                    "identity-in-key"
                } else {
                    "erase-delete"
                },
                art17,
                "the person's rows are deleted",
            );
            let masked_plain = tc.masked.saturating_sub(p.downgraded);
            tc.note(
                "masked",
                masked_plain,
                "erase-mask",
                art17,
                "personal columns masked; the row stays for the records it belongs to",
            );
            tc.note(
                "masked",
                p.downgraded,
                "referenced-row",
                art17,
                "rows still referenced by kept rows (foreign key) are masked instead of deleted",
            );
            tc.note("shared", tc.shared, "another-persons-row", "GDPR Art. 17(1); Art. 15(4)", "the rows also refer to another person's row (they are that person's data too) and are left unchanged");
            tc.note(
                "unchanged",
                tc.unchanged,
                "already-erased",
                art17,
                "already in the erased state",
            );
            if tc.kept > 0
                && let Some(h) = &t.spec.hold
            {
                let held = register.and_then(|r| r.legal_hold(&h.hold).map(|lh| (r, lh)));
                let article = held.map(|(_, l)| l.law.clone()).unwrap_or_default();
                let exception = LegalHold::GDPR_EXCEPTION;
                // The personal columns the hold keeps: the same test as the plan's.
                let kept_cols: Vec<String> = t
                    .cols
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| hold_keeps(t, *i, &h.keep, held))
                    .map(|(_, c)| c.name.clone())
                    .collect();
                let kept_text = if kept_cols.is_empty() {
                    "no personal columns".to_string()
                } else {
                    kept_cols.join(", ")
                };
                tc.note(
                    "kept",
                    tc.kept,
                    &h.hold,
                    &format!("{exception}; {article}"),
                    &format!(
                        "kept under a legal hold with the personal data the duty needs ({kept_text}); the other personal columns are masked and erasure is scheduled"
                    ),
                );
                if let Some(l) = latest {
                    cert.scheduled.push(ScheduledErasure {
                        database: db.name.clone(),
                        table: t.spec.name.clone(),
                        rows: tc.kept,
                        hold: h.hold.clone(),
                        article,
                        not_before: l.date().to_string(),
                    });
                }
            }
            cert.tables.push(tc);
        }
        Ok(())
    }

    /// Rectifies the person's data: `sets` are (`column`, `table.column` or
    /// `database.table.column`, value) pairs, validated against the column types; one
    /// transaction per database; returns the certificate.
    pub async fn rectify(
        &self,
        subject: &Subject,
        sets: &[(String, String)],
        opts: &EraseOptions,
    ) -> Result<Certificate> {
        let started = jiff::Timestamp::now();
        if sets.is_empty() {
            return Err(EngineError::Subject(
                "nothing to rectify: give --set column=value".into(),
            ));
        }
        let mut conns = Conns::new(self.dbs.len());
        let found = self.traverse(&mut conns, subject).await?;
        let touched: Vec<usize> = found
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.rows.is_empty())
            .map(|(ti, _)| ti)
            .collect();
        self.check_declared_keys(&mut conns, touched).await?;
        // (table index) -> (col, new value)
        let mut targets: BTreeMap<usize, Vec<(usize, Val)>> = BTreeMap::new();
        for (spec, value) in sets {
            let parts: Vec<&str> = spec.split('.').collect();
            let (dbn, tn, cn) = match parts.as_slice() {
                [c] => (None, None, *c),
                [t, c] => (None, Some(*t), *c),
                [d, t, c] => (Some(*d), Some(*t), *c),
                _ => {
                    return Err(EngineError::Subject(format!(
                        "--set `{spec}`: expected column, table.column or database.table.column"
                    )));
                }
            };
            let mut hit = false;
            for (ti, t) in self.tables.iter().enumerate() {
                let dname = self.db(t)?.name.as_str();
                if tn.is_some_and(|x| x != t.spec.name) || dbn.is_some_and(|x| x != dname) {
                    continue;
                }
                let Some(ci) = t.col(cn) else { continue };
                let Some(c) = t.cols.get(ci) else { continue };
                let colname = format!("{}.{}", t.spec.name, c.name);
                let named = tn.is_some();
                if t.pk.contains(&ci) {
                    if !named {
                        continue;
                    }
                    return Err(EngineError::InvalidValue {
                        column: colname,
                        message: "a primary key column cannot be rectified".into(),
                    });
                }
                if c.is_ref {
                    if !named {
                        continue;
                    }
                    return Err(EngineError::InvalidValue {
                        column: colname,
                        message: "the column links rows (a reference or foreign key): changing it would move rows to another record; rectify the record it refers to".into(),
                    });
                }
                // Only the person's personal data is rectified: a product's `name` is not
                // the person's name.
                if !c.personal {
                    if !named {
                        continue;
                    }
                    return Err(EngineError::InvalidValue {
                        column: colname,
                        message: format!(
                            "the column holds no personal data (category {}); only columns with a `user` category or an identity are rectified",
                            c.category.as_deref().unwrap_or("none")
                        ),
                    });
                }
                let v = parse_text(value, c.kind).ok_or_else(|| EngineError::InvalidValue {
                    column: colname.clone(),
                    message: format!("`{value}` is not a valid {:?} value", c.kind),
                })?;
                if let (Some(m), Val::Text(s)) = (c.max_len, &v)
                    && s.chars().count() > m as usize
                {
                    return Err(EngineError::InvalidValue {
                        column: colname,
                        message: format!("longer than the column allows ({m})"),
                    });
                }
                hit = true;
                targets.entry(ti).or_default().push((ci, v));
            }
            if !hit {
                return Err(EngineError::InvalidValue {
                    column: spec.clone(),
                    message: "no table in the datasets has a personal-data column of this name (see the dataset's categories)".into(),
                });
            }
        }
        let mut cert = self.new_certificate("rectify", subject, opts, started);
        cert.subject_found = found
            .iter()
            .any(|f| !f.rows.is_empty() || !f.joint.is_empty());
        let mut per_table: Vec<TableChanges> = Vec::new();
        for (ti, sets) in &targets {
            let t = self.table(*ti)?;
            let Some(f) = found.get(*ti) else { continue };
            let mut rows = Vec::new();
            for r in &f.rows {
                let ch: Vec<(usize, Val)> = sets
                    .iter()
                    .filter(|(ci, v)| {
                        r.get(*ci)
                            .and_then(|cur| {
                                cur.coerce(t.cols.get(*ci).map_or(ColKind::Text, |c| c.kind))
                            })
                            .is_none_or(|cur| cur.key() != v.key())
                    })
                    .cloned()
                    .collect();
                rows.push((t.key_of(r), ch));
            }
            per_table.push((*ti, rows));
        }
        for (di, d) in self.dbs.iter().enumerate() {
            let mine: Vec<&TableChanges> = per_table
                .iter()
                .filter(|(ti, rows)| {
                    self.table(*ti).is_ok_and(|t| t.db == di)
                        && rows.iter().any(|(_, ch)| !ch.is_empty())
                })
                .collect();
            if opts.dry_run || mine.is_empty() {
                cert.databases.push(DatabaseOutcome {
                    database: d.name.clone(),
                    committed: false,
                });
                continue;
            }
            let conn = conns.get(&self.dbs, di).await?;
            let mut tx = conn.begin(&d.name).await?;
            for (ti, rows) in mine {
                let t = self.table(*ti)?;
                let ch: Vec<KeyedChanges<'_>> = rows
                    .iter()
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(k, c)| (k.clone(), c))
                    .collect();
                self.write_updates(&mut tx, t, &ch).await?;
            }
            crate::pause::pause_point("erase.before-commit");
            tx.commit(&d.name).await?;
            crate::pause::pause_point("erase.after-commit");
            cert.databases.push(DatabaseOutcome {
                database: d.name.clone(),
                committed: true,
            });
        }
        conns.done();
        for (ti, rows) in &per_table {
            let t = self.table(*ti)?;
            let mut tc = TableCertificate {
                database: self.db(t)?.name.clone(),
                table: t.spec.name.clone(),
                ..TableCertificate::default()
            };
            tc.rectified = rows.iter().filter(|(_, c)| !c.is_empty()).count() as u64;
            tc.unchanged = rows.len() as u64 - tc.rectified;
            // The columns actually changed in at least one row.
            let changed: BTreeSet<usize> = rows
                .iter()
                .flat_map(|(_, c)| c.iter().map(|(ci, _)| *ci))
                .collect();
            tc.columns = changed
                .iter()
                .filter_map(|ci| t.cols.get(*ci).map(|c| c.name.clone()))
                .collect();
            tc.shared = found.get(*ti).map_or(0, |f| f.joint.len() as u64);
            tc.note(
                "shared",
                tc.shared,
                "another-persons-row",
                "GDPR Art. 16",
                "the rows also refer to another person's row and are left unchanged",
            );
            tc.note(
                "rectified",
                tc.rectified,
                "rectify",
                "GDPR Art. 16",
                "the person's data corrected as requested",
            );
            tc.note(
                "unchanged",
                tc.unchanged,
                "already-correct",
                "GDPR Art. 16",
                "already has the requested value",
            );
            cert.tables.push(tc);
        }
        cert.finished_at = jiff::Timestamp::now().to_string();
        Ok(cert)
    }
}

/// Writes a certificate (see [`write_output`](crate::write_output): a regular file is replaced
/// atomically, a link or a device is written through, `-` is standard output) and returns the
/// text written, e.g. to hash it for the audit trail without reading the file back.
pub fn write_certificate(path: &std::path::Path, cert: &Certificate) -> Result<String> {
    let text =
        serde_json::to_string_pretty(cert).map_err(|e| EngineError::Dataset(e.to_string()))?;
    crate::output::write_output(path, text.as_bytes())?;
    Ok(text)
}
