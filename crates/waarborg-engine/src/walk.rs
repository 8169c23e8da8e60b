//! The walk from a person's identities to their rows, and the boundary it never crosses.
//!
//! The rule (docs/datasets.md, "The person's boundary"):
//! 1. A row of a table with an identity column belongs to the person when one of its identity
//!    values is the person's (compared as the column says: e-mail without regard to case, phone
//!    numbers in any form). It belongs to **another** person when it holds an identity value of a
//!    kind the person is known by and none of its values is the person's. The person is known by
//!    the identities given and the identity values of the rows found by them.
//! 2. A row that points at one of the person's rows (followed *down* a reference, from the
//!    referenced row to the rows referring to it) is the person's, unless rule 1 says it is
//!    another's. A reference from a table to itself (`referred_by`, `partner_id`, `parent_id`)
//!    links people, not a person to their data: a row reached through it must be the person's
//!    by rule 1, or it is not entered.
//! 3. A row the person's rows point at (followed *up* a reference) is the person's only when
//!    its table holds personal data (a column of a `user` category besides keys and links)
//!    and every row that refers to it, through every reference the dataset describes, is the
//!    person's (an address only they use). Otherwise it is shared (a product, a branch, an
//!    event): shown in an access export as context, never masked or deleted, never walked
//!    through. Tables marked `shared = true` are always shared.
//! 4. The walk continues only from the person's own rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sea_query::{Alias, Expr, ExprTrait};

use crate::engine::{CHUNK, CTable, Conns, Engine, FoundTable, Subject, key_string};
use crate::error::{EngineError, Result};
use crate::identity::{IdentityMatch, normalise, phone_forms};
use crate::value::{ColKind, Val};

/// How a row was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Via {
    /// By one of the person's identities.
    Identity,
    /// Down a reference: the row refers to one of the person's rows.
    Down,
    /// Up a reference: one of the person's rows refers to it.
    Up,
    /// Through a reference from a table to itself (either way).
    Peer,
}

/// Whose a row is, as far as the walk knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    /// Reached through a peer link without an identity of the person: not entered (may still
    /// become the person's by another way).
    Peer,
    /// Shared, or not yet shown to be the person's only.
    Context,
    /// The person's.
    Mine,
    /// Another person's by its identity values: final.
    Other,
}

/// What an identity column says about a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Judged {
    Mine,
    Other,
    Unknown,
}

struct Seen {
    row: Vec<Val>,
    status: Status,
    /// The row holds one of the person's identity values.
    by_identity: bool,
}

#[derive(Default)]
struct TableState {
    order: Vec<String>,
    rows: HashMap<String, Seen>,
}

impl Engine {
    /// The country calling code for phone numbers without one.
    pub(crate) fn phone_country(&self) -> &str {
        self.datasets.phone_country.as_deref().unwrap_or("31")
    }

    /// The identity column `ci` of `t` as the comparable expression of its match mode.
    fn identity_expr(&self, t: &CTable, ci: usize) -> (Expr, IdentityMatch) {
        let col = self.cmp_col(t, ci);
        let mode = t
            .cols
            .get(ci)
            .filter(|c| c.kind.is_textual())
            .map(|c| c.matching)
            .unwrap_or(IdentityMatch::Exact);
        (mode.sql_expr(col), mode)
    }

    /// The values an identity lookup compares the column's expression with.
    fn identity_values(&self, mode: IdentityMatch, given: &str) -> Vec<String> {
        match mode {
            IdentityMatch::Exact => vec![given.to_string()],
            IdentityMatch::Casefold => vec![normalise(mode, given, self.phone_country())],
            IdentityMatch::Phone => phone_forms(given, self.phone_country()),
        }
    }

    /// The SQL condition finding rows of `t` whose identity column `ci` holds one of `given`.
    pub(crate) fn identity_cond(&self, t: &CTable, ci: usize, given: &[String]) -> Option<Expr> {
        let (e, mode) = self.identity_expr(t, ci);
        if mode == IdentityMatch::Exact {
            let vals: Vec<Val> = given.iter().map(|g| Val::Text(g.clone())).collect();
            return self.in_expr(t, ci, &vals);
        }
        let mut vals: Vec<String> = given
            .iter()
            .flat_map(|g| self.identity_values(mode, g))
            .collect();
        vals.sort();
        vals.dedup();
        if vals.is_empty() {
            return None;
        }
        Some(e.is_in(vals.into_iter().map(Expr::val)))
    }

    /// Whether the value of identity column `c` is one of `known` (compared as the column says).
    fn identity_matches(&self, mode: IdentityMatch, v: &Val, known: &[String]) -> bool {
        let Some(text) = v.as_text() else {
            return false;
        };
        let cc = self.phone_country();
        let mine = normalise(mode, &text, cc);
        known.iter().any(|k| normalise(mode, k, cc) == mine)
    }

    /// Rule 1: whose a row of `t` is by its identity columns.
    fn judge(&self, t: &CTable, row: &[Val], known: &BTreeMap<String, Vec<String>>) -> Judged {
        let mut conflict = false;
        for (ci, c) in t.cols.iter().enumerate() {
            let Some(kind) = &c.identity else { continue };
            let Some(v) = row.get(ci).filter(|v| !v.is_null()) else {
                continue;
            };
            let Some(values) = known.get(kind).filter(|k| !k.is_empty()) else {
                continue;
            };
            let mode = if c.kind.is_textual() {
                c.matching
            } else {
                IdentityMatch::Exact
            };
            if self.identity_matches(mode, v, values) {
                return Judged::Mine;
            }
            conflict = true;
        }
        if conflict {
            Judged::Other
        } else {
            Judged::Unknown
        }
    }

    /// Finds the person's rows (and the shared rows they refer to), never entering a row of
    /// another person. Lookups are set-based (`WHERE col IN (...)`, 500 values a statement);
    /// each value is looked up once per column and way, so cycles end.
    pub(crate) async fn traverse(
        &self,
        conns: &mut Conns,
        subject: &Subject,
    ) -> Result<Vec<FoundTable>> {
        let mut known: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in &subject.identities {
            known.entry(k.clone()).or_default().push(v.clone());
        }
        let mut state: Vec<TableState> = (0..self.tables.len())
            .map(|_| TableState::default())
            .collect();

        // 1. The rows found by the person's identities.
        let mut any_identity = false;
        let mut pending: BTreeMap<(Via, usize, usize), Vec<Val>> = BTreeMap::new();
        let mut seeds: Vec<(usize, Vec<Val>)> = Vec::new();
        for (ti, t) in self.tables.iter().enumerate() {
            for (ci, c) in t.cols.iter().enumerate() {
                let Some(kind) = &c.identity else { continue };
                let given: Vec<String> = subject
                    .identities
                    .iter()
                    .filter(|(k, _)| k == kind)
                    .map(|(_, v)| v.clone())
                    .collect();
                if given.is_empty() {
                    continue;
                }
                any_identity = true;
                let Some(cond) = self.identity_cond(t, ci, &given) else {
                    continue;
                };
                let all = t.all_cols();
                let kinds: Vec<ColKind> = all.iter().map(|&i| Self::read_kind(t, i)).collect();
                let mut q = self.select(t, &all);
                q.and_where(cond);
                let db = self.db(t)?;
                let conn = conns.get(&self.dbs, t.db).await?;
                for row in conn.fetch(&db.name, &q, &kinds).await? {
                    seeds.push((ti, row));
                }
            }
        }
        if !any_identity {
            let kinds: BTreeSet<&str> = self
                .tables
                .iter()
                .flat_map(|t| t.cols.iter().filter_map(|c| c.identity.as_deref()))
                .collect();
            return Err(EngineError::Subject(format!(
                "no table has an identity column of kind {}; the datasets know: {}",
                subject
                    .identities
                    .iter()
                    .map(|(k, _)| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                kinds.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
        // The person is also known by the identity values of the rows their identities found.
        for (ti, row) in &seeds {
            let Some(t) = self.tables.get(*ti) else {
                continue;
            };
            for (ci, c) in t.cols.iter().enumerate() {
                if let (Some(kind), Some(text)) = (&c.identity, row.get(ci).and_then(Val::as_text))
                {
                    let list = known.entry(kind.clone()).or_default();
                    if !list.contains(&text) {
                        list.push(text);
                    }
                }
            }
        }
        for (ti, row) in seeds {
            self.settle(ti, row, Via::Identity, &known, &mut state, &mut pending)?;
        }

        // 2. Walk the references from the person's rows; 3. settle shared rows.
        let mut looked: HashMap<(Via, usize, usize), BTreeSet<String>> = HashMap::new();
        let mut counts: HashMap<(usize, String), u64> = HashMap::new();
        loop {
            while let Some(((via, ti, ci), vals)) = pending.pop_first() {
                let t = self.table(ti)?;
                let seen = looked.entry((via, ti, ci)).or_default();
                let mut fresh = Vec::new();
                for v in vals {
                    if !v.is_null() && seen.insert(v.key()) {
                        fresh.push(v);
                    }
                }
                let all = t.all_cols();
                let kinds: Vec<ColKind> = all.iter().map(|&i| Self::read_kind(t, i)).collect();
                let db = self.db(t)?;
                for chunk in fresh.chunks(CHUNK) {
                    let Some(cond) = self.in_expr(t, ci, chunk) else {
                        continue;
                    };
                    let mut q = self.select(t, &all);
                    q.and_where(cond);
                    let conn = conns.get(&self.dbs, t.db).await?;
                    let rows = conn.fetch(&db.name, &q, &kinds).await?;
                    for row in rows {
                        self.settle(ti, row, via, &known, &mut state, &mut pending)?;
                    }
                }
            }
            // Rows reached up a reference become the person's when every row referring to
            // them is the person's.
            let promoted = self
                .promote_exclusive(conns, &mut state, &mut counts)
                .await?;
            if promoted.is_empty() {
                break;
            }
            for (ti, key) in promoted {
                let Some(s) = state.get_mut(ti).and_then(|st| st.rows.get_mut(&key)) else {
                    continue;
                };
                s.status = Status::Mine;
                let row = s.row.clone();
                self.expand(ti, &row, &mut pending);
            }
        }

        let joint = self.joint_rows(conns, &state, &known).await?;
        let mut out = Vec::with_capacity(state.len());
        for (ti, st) in state.into_iter().enumerate() {
            let mut f = FoundTable::default();
            for k in &st.order {
                if let Some(s) = st.rows.get(k) {
                    match s.status {
                        Status::Mine if joint.contains(&(ti, k.clone())) => {
                            f.joint.push(s.row.clone())
                        }
                        Status::Mine => f.rows.push(s.row.clone()),
                        Status::Context => f.context.push(s.row.clone()),
                        Status::Other | Status::Peer => f.others.push(s.row.clone()),
                    }
                }
            }
            out.push(f);
        }
        let total: usize = out.iter().map(|f| f.rows.len() + f.joint.len()).sum();
        let context: usize = out.iter().map(|f| f.context.len()).sum();
        let others: usize = out.iter().map(|f| f.others.len()).sum();
        tracing::info!(
            rows = total,
            context,
            not_entered = others,
            "traversal done"
        );
        Ok(out)
    }

    /// Decides whose a fetched row is and, when it becomes the person's, queues the lookups
    /// its references lead to.
    fn settle(
        &self,
        ti: usize,
        row: Vec<Val>,
        via: Via,
        known: &BTreeMap<String, Vec<String>>,
        state: &mut [TableState],
        pending: &mut BTreeMap<(Via, usize, usize), Vec<Val>>,
    ) -> Result<()> {
        let t = self.table(ti)?;
        let judged = self.judge(t, &row, known);
        let status = match (via, judged) {
            // Found in SQL by the person's identity.
            (Via::Identity, _) if !t.spec.shared => Status::Mine,
            (Via::Identity, _) => Status::Context,
            (_, Judged::Other) => Status::Other,
            (_, Judged::Mine) if !t.spec.shared => Status::Mine,
            (_, Judged::Mine) => Status::Context,
            (_, Judged::Unknown) if t.spec.shared => Status::Context,
            (Via::Down, Judged::Unknown) => Status::Mine,
            (Via::Peer, Judged::Unknown) => Status::Peer,
            (Via::Up, Judged::Unknown) => Status::Context,
        };
        let key = key_string(&t.key_of(&row));
        let st = state
            .get_mut(ti)
            .ok_or_else(|| EngineError::Dataset("internal: walk index".into()))?;
        let became_mine = match st.rows.get_mut(&key) {
            Some(s) => {
                // Another person's stays another's; otherwise the strongest claim wins.
                s.by_identity |= via == Via::Identity || judged == Judged::Mine;
                if s.status != Status::Other && status > s.status {
                    let mine = status == Status::Mine && s.status != Status::Mine;
                    s.status = status;
                    mine
                } else {
                    false
                }
            }
            None => {
                st.order.push(key.clone());
                st.rows.insert(
                    key,
                    Seen {
                        row: row.clone(),
                        status,
                        by_identity: via == Via::Identity || judged == Judged::Mine,
                    },
                );
                status == Status::Mine
            }
        };
        if became_mine {
            self.expand(ti, &row, pending);
        }
        Ok(())
    }

    /// Queues the lookups from one of the person's rows along every edge leaving its table.
    fn expand(
        &self,
        ti: usize,
        row: &[Val],
        pending: &mut BTreeMap<(Via, usize, usize), Vec<Val>>,
    ) {
        for e in self.edges.iter().filter(|e| e.from.0 == ti) {
            if let Some(v) = row.get(e.from.1)
                && !v.is_null()
            {
                let via = if e.from.0 == e.to.0 {
                    Via::Peer
                } else if e.up {
                    Via::Up
                } else {
                    Via::Down
                };
                pending
                    .entry((via, e.to.0, e.to.1))
                    .or_default()
                    .push(v.clone());
            }
        }
    }

    /// Rule 3: rows reached up a reference (status context, in a table not marked shared)
    /// whose every referring row, through every described reference, is the person's. The
    /// number of referring rows per value is counted in the database once and cached.
    async fn promote_exclusive(
        &self,
        conns: &mut Conns,
        state: &mut [TableState],
        counts: &mut HashMap<(usize, String), u64>,
    ) -> Result<Vec<(usize, String)>> {
        let mut promoted = Vec::new();
        for (ti, t) in self.tables.iter().enumerate() {
            // A table without personal data (a catalogue) holds no one's own rows.
            if t.spec.shared || t.erasable_cols().is_empty() {
                continue;
            }
            let candidates: Vec<(String, Vec<Val>)> = state
                .get(ti)
                .map(|st| {
                    st.order
                        .iter()
                        .filter_map(|k| {
                            st.rows
                                .get(k)
                                .filter(|s| s.status == Status::Context)
                                .map(|s| (k.clone(), s.row.clone()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            if candidates.is_empty() {
                continue;
            }
            let mut exclusive: BTreeSet<String> =
                candidates.iter().map(|(k, _)| k.clone()).collect();
            for (li, link) in self.links.iter().enumerate() {
                if link.parent.0 != ti {
                    continue;
                }
                let (cti, cci) = link.child;
                let ct = self.table(cti)?;
                let ckind = ct.cols.get(cci).map_or(ColKind::Text, |c| c.kind);
                // The values the candidates are referred to by, as the child column holds them.
                let mut by_value: BTreeMap<String, (Val, Vec<String>)> = BTreeMap::new();
                for (k, row) in &candidates {
                    let Some(v) = row.get(link.parent.1).and_then(|v| v.coerce(ckind)) else {
                        continue;
                    };
                    if v.is_null() {
                        continue;
                    }
                    by_value
                        .entry(v.key())
                        .or_insert_with(|| (v.clone(), Vec::new()))
                        .1
                        .push(k.clone());
                }
                let missing: Vec<Val> = by_value
                    .iter()
                    .filter(|(vk, _)| !counts.contains_key(&(li, (*vk).clone())))
                    .map(|(_, (v, _))| v.clone())
                    .collect();
                let db = self.db(ct)?;
                for chunk in missing.chunks(CHUNK) {
                    for v in chunk {
                        counts.insert((li, v.key()), 0);
                    }
                    let Some(cond) = self.in_expr(ct, cci, chunk) else {
                        continue;
                    };
                    let mut q = sea_query::Query::select();
                    q.from(Engine::tref(ct))
                        .expr(self.read_expr(ct, cci))
                        .expr(Expr::cust("COUNT(*)"))
                        .and_where(cond)
                        .group_by_col(Alias::new(
                            ct.cols.get(cci).map(|c| c.name.clone()).unwrap_or_default(),
                        ));
                    let kinds = [Self::read_kind(ct, cci), ColKind::Int];
                    let conn = conns.get(&self.dbs, ct.db).await?;
                    for r in conn.fetch(&db.name, &q, &kinds).await? {
                        if let (Some(v), Some(Val::Int(n))) = (r.first(), r.get(1)) {
                            counts.insert((li, v.key()), u64::try_from(*n).unwrap_or(0));
                        }
                    }
                }
                // The person's rows of the child table per value.
                let mut mine: HashMap<String, u64> = HashMap::new();
                if let Some(cst) = state.get(cti) {
                    for s in cst.rows.values() {
                        if s.status == Status::Mine
                            && let Some(v) = s.row.get(cci).filter(|v| !v.is_null())
                        {
                            *mine.entry(v.key()).or_default() += 1;
                        }
                    }
                }
                for (vk, (_, keys)) in &by_value {
                    let total = counts.get(&(li, vk.clone())).copied().unwrap_or(0);
                    let own = mine.get(vk).copied().unwrap_or(0);
                    if total > own {
                        for k in keys {
                            exclusive.remove(k);
                        }
                    }
                }
            }
            promoted.extend(exclusive.into_iter().map(|k| (ti, k)));
        }
        Ok(promoted)
    }

    /// The person's rows (not found by an identity of theirs) that also refer to a row of
    /// another person through a described reference, e.g. a message from the person to
    /// someone else: exported, but left unchanged by erasure and rectification.
    async fn joint_rows(
        &self,
        conns: &mut Conns,
        state: &[TableState],
        known: &BTreeMap<String, Vec<String>>,
    ) -> Result<BTreeSet<(usize, String)>> {
        let mut joint = BTreeSet::new();
        for link in &self.links {
            let (cti, cci) = link.child;
            let (pti, pci) = link.parent;
            let pt = self.table(pti)?;
            if !pt.cols.iter().any(|c| c.identity.is_some()) {
                continue;
            }
            let Some(cst) = state.get(cti) else { continue };
            let pkind = pt.cols.get(pci).map_or(ColKind::Text, |c| c.kind);
            // Values the person's (non-identity) rows refer to that are not the person's rows.
            let mut mine_parent: BTreeSet<String> = BTreeSet::new();
            if let Some(pst) = state.get(pti) {
                for s in pst.rows.values() {
                    if s.status == Status::Mine
                        && let Some(v) = s.row.get(pci).filter(|v| !v.is_null())
                    {
                        mine_parent.insert(v.key());
                    }
                }
            }
            let mut refs: BTreeMap<String, (Val, Vec<String>)> = BTreeMap::new();
            for (k, s) in &cst.rows {
                if s.status != Status::Mine || s.by_identity {
                    continue;
                }
                let Some(v) = s
                    .row
                    .get(cci)
                    .and_then(|v| v.coerce(pkind))
                    .filter(|v| !v.is_null())
                else {
                    continue;
                };
                if mine_parent.contains(&v.key()) {
                    continue;
                }
                refs.entry(v.key())
                    .or_insert_with(|| (v.clone(), Vec::new()))
                    .1
                    .push(k.clone());
            }
            if refs.is_empty() {
                continue;
            }
            let vals: Vec<Val> = refs.values().map(|(v, _)| v.clone()).collect();
            let all = pt.all_cols();
            let kinds: Vec<ColKind> = all.iter().map(|&i| Self::read_kind(pt, i)).collect();
            let db = self.db(pt)?;
            for chunk in vals.chunks(CHUNK) {
                let Some(cond) = self.in_expr(pt, pci, chunk) else {
                    continue;
                };
                let mut q = self.select(pt, &all);
                q.and_where(cond);
                let conn = conns.get(&self.dbs, pt.db).await?;
                for row in conn.fetch(&db.name, &q, &kinds).await? {
                    if self.judge(pt, &row, known) == Judged::Other
                        && let Some(v) = row.get(pci)
                        && let Some((_, keys)) = refs.get(&v.key())
                    {
                        for k in keys {
                            joint.insert((cti, k.clone()));
                        }
                    }
                }
            }
        }
        Ok(joint)
    }
}
