#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property tests on random small schemas and data graphs, with self-references, shared
//! (catalogue) tables, cycles and references that cross from one person to another, on SQLite,
//! PostgreSQL and MariaDB:
//! - access returns exactly the person's rows as the boundary rule of docs/datasets.md defines
//!   them (checked against a naive fixpoint over all row pairs), and shared rows only as
//!   context; never a row that holds another person's identity;
//! - erasure leaves none of the person's erasable data, changes no row that holds another
//!   person's identity, no shared row and no row outside the person's, and keeps held rows as
//!   the hold says; a dry run reports exactly what the real run then does;
//! - the next person's erasure works after the first.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use proptest::prelude::*;
use waarborg_engine::{Certificate, Datasets, Engine, EraseOptions, Policy, Subject};

/// A tiny deterministic generator, so that one u64 seed describes a whole world.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

#[derive(Debug, Clone)]
struct Edge {
    from: usize, // table holding the reference column r{e}
    to: usize,   // table whose id it refers to
    dir: &'static str,
}

#[derive(Debug, Clone)]
struct Row {
    id: i64,
    owner: Option<usize>,
    email: Option<String>,
    secret: String,
    keep_name: String,
    doc_date: String,
    refs: BTreeMap<usize, Option<i64>>, // edge index -> referenced id
}

#[derive(Debug, Clone)]
struct World {
    tables: usize,
    identity: Vec<bool>,
    shared: Vec<bool>,
    delete: Vec<bool>,
    hold_table: Option<usize>,
    edges: Vec<Edge>,
    rows: Vec<Vec<Row>>,
}

fn email(p: usize) -> String {
    format!("p{p}@example.nl")
}

fn world(n: usize, persons: usize, seed: u64) -> World {
    let mut r = Rng(seed);
    let identity: Vec<bool> = (0..n).map(|i| i == 0 || r.below(3) == 0).collect();
    let shared: Vec<bool> = (0..n)
        .map(|i| i != 0 && !identity[i] && r.below(4) == 0)
        .collect();
    let delete: Vec<bool> = (0..n).map(|_| r.below(2) == 0).collect();
    let hold_table = if n > 1 && !shared[1] && r.below(2) == 0 {
        Some(1)
    } else {
        None
    };
    let n_edges = 1 + r.below(4) as usize;
    let edges: Vec<Edge> = (0..n_edges)
        .map(|_| Edge {
            from: r.below(n as u64) as usize,
            to: r.below(n as u64) as usize,
            dir: ["to", "from", "both"][r.below(3) as usize],
        })
        .collect();
    let mut next_id = 1i64;
    let mut rows: Vec<Vec<Row>> = vec![Vec::new(); n];
    for (t, table_rows) in rows.iter_mut().enumerate() {
        let owners: Vec<Option<usize>> = if shared[t] {
            (0..1 + r.below(3)).map(|_| None).collect()
        } else {
            (0..persons)
                .flat_map(|p| (0..r.below(3)).map(move |_| Some(p)))
                .collect()
        };
        for owner in owners {
            table_rows.push(Row {
                id: next_id,
                owner,
                email: match owner {
                    Some(p) if identity[t] && r.below(4) != 0 => {
                        // Stored as people type them: some in capitals, some with spaces.
                        Some(match r.below(3) {
                            0 => email(p).to_uppercase(),
                            1 => format!(" {} ", email(p)),
                            _ => email(p),
                        })
                    }
                    _ => None,
                },
                secret: format!("secret-{next_id}"),
                keep_name: format!("name-{next_id}"),
                doc_date: if r.below(2) == 0 {
                    "2024-01-01".into()
                } else {
                    "2010-01-01".into()
                },
                refs: BTreeMap::new(),
            });
            next_id += 1;
        }
    }
    // Mostly a row refers to a row of the same person; sometimes to anyone's (a referral, a
    // shared record), sometimes to nothing.
    for (e, edge) in edges.iter().enumerate() {
        let targets: Vec<(Option<usize>, i64)> =
            rows[edge.to].iter().map(|x| (x.owner, x.id)).collect();
        for row in rows[edge.from].iter_mut() {
            let mine: Vec<i64> = targets
                .iter()
                .filter(|(o, _)| o.is_some() && *o == row.owner)
                .map(|(_, id)| *id)
                .collect();
            let roll = r.below(20);
            let v = if targets.is_empty() || roll < 3 {
                None
            } else if roll < 8 || mine.is_empty() {
                Some(targets[r.below(targets.len() as u64) as usize].1)
            } else {
                Some(mine[r.below(mine.len() as u64) as usize])
            };
            row.refs.insert(e, v);
        }
    }
    World {
        tables: n,
        identity,
        shared,
        delete,
        hold_table,
        edges,
        rows,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum St {
    Peer,
    Context,
    Mine,
    Other,
}

/// The oracle's verdict for one person.
struct Verdict {
    mine: BTreeSet<(usize, i64)>,
    joint: BTreeSet<(usize, i64)>,
    context: BTreeSet<(usize, i64)>,
}

impl World {
    fn sql(&self) -> String {
        let date = "DATE";
        let mut s = String::new();
        for t in 0..self.tables {
            let refs: String = self
                .edges
                .iter()
                .enumerate()
                .filter(|(_, e)| e.from == t)
                .map(|(i, _)| format!(", r{i} INTEGER"))
                .collect();
            s.push_str(&format!("CREATE TABLE t{t} (id INTEGER PRIMARY KEY, owner INTEGER, email VARCHAR(100), secret VARCHAR(100), keep_name VARCHAR(100), doc_date {date}{refs});\n"));
            for row in &self.rows[t] {
                let refs: String = row
                    .refs
                    .values()
                    .map(|v| format!(", {}", v.map_or("NULL".to_string(), |x| x.to_string())))
                    .collect();
                let email = row
                    .email
                    .as_ref()
                    .map_or("NULL".to_string(), |e| format!("'{e}'"));
                let owner = row.owner.map_or("NULL".to_string(), |o| o.to_string());
                s.push_str(&format!(
                    "INSERT INTO t{t} VALUES ({}, {owner}, {email}, '{}', '{}', '{}'{refs});\n",
                    row.id, row.secret, row.keep_name, row.doc_date
                ));
            }
        }
        s
    }

    fn datasets(&self, url: &str) -> Datasets {
        let mut s = String::new();
        for t in 0..self.tables {
            s.push_str(&format!(
                "[databases.w.tables.t{t}]\nerase = \"{}\"\n",
                if self.delete[t] { "delete" } else { "mask" }
            ));
            if self.shared[t] {
                s.push_str("shared = true\n");
            }
            if self.hold_table == Some(t) {
                s.push_str(
                    "hold = { hold = \"fiscal\", from = \"doc_date\", keep = [\"keep_name\"] }\n",
                );
            }
            let email = if self.identity[t] {
                "{ category = \"user.contact.email\", identity = \"email\" }"
            } else {
                "\"user.contact.email\""
            };
            let refs: String = self
                .edges
                .iter()
                .enumerate()
                .filter(|(_, e)| e.from == t)
                .map(|(i, _)| format!(", r{i} = \"system.operations\""))
                .collect();
            s.push_str(&format!("columns = {{ id = \"system.operations\", owner = \"system.operations\", email = {email}, secret = \"user.name\", keep_name = \"user.name\", doc_date = \"system.operations\"{refs} }}\n"));
            let refs: Vec<String> = self
                .edges
                .iter()
                .enumerate()
                .filter(|(_, e)| e.from == t)
                .map(|(i, e)| {
                    format!(
                        "{{ column = \"r{i}\", to = \"t{}.id\", direction = \"{}\" }}",
                        e.to, e.dir
                    )
                })
                .collect();
            if !refs.is_empty() {
                s.push_str(&format!("references = [{}]\n", refs.join(", ")));
            }
        }
        let mut ds = Datasets::from_toml(&s).unwrap();
        ds.bind(&[("w".into(), url.into())]).unwrap();
        ds
    }

    fn row(&self, t: usize, id: i64) -> Option<&Row> {
        self.rows[t].iter().find(|r| r.id == id)
    }

    /// The boundary rule, naively: a fixpoint over every pair of rows.
    fn verdict(&self, p: usize) -> Verdict {
        let me = email(p);
        let norm = |e: &str| e.trim().to_lowercase();
        // Rule 1 (one identity kind here: the e-mail).
        let judge = |t: usize, r: &Row| -> Option<bool> {
            if !self.identity[t] {
                return None;
            }
            r.email.as_deref().map(|e| norm(e) == me)
        };
        let mut st: BTreeMap<(usize, i64), St> = BTreeMap::new();
        let mut by_identity: BTreeSet<(usize, i64)> = BTreeSet::new();
        let set = |st: &mut BTreeMap<(usize, i64), St>, k: (usize, i64), s: St| -> bool {
            match st.get(&k) {
                Some(St::Other) => false,
                Some(old) if *old >= s => false,
                _ => {
                    st.insert(k, s);
                    true
                }
            }
        };
        for t in 0..self.tables {
            for r in &self.rows[t] {
                if judge(t, r) == Some(true) {
                    by_identity.insert((t, r.id));
                    let s = if self.shared[t] {
                        St::Context
                    } else {
                        St::Mine
                    };
                    set(&mut st, (t, r.id), s);
                }
            }
        }
        let arrive = |t: usize, r: &Row, via: &str| -> St {
            match (judge(t, r), via) {
                (Some(false), _) => St::Other,
                (_, _) if self.shared[t] => St::Context,
                (Some(true), _) => St::Mine,
                (None, "down") => St::Mine,
                (None, "peer") => St::Peer,
                (None, _) => St::Context,
            }
        };
        loop {
            let mut changed = false;
            for (e, edge) in self.edges.iter().enumerate() {
                for a in &self.rows[edge.from] {
                    let Some(Some(target)) = a.refs.get(&e) else {
                        continue;
                    };
                    let Some(b) = self.row(edge.to, *target) else {
                        continue;
                    };
                    let peer = edge.from == edge.to;
                    // Up: a is the person's, b is what it refers to.
                    if edge.dir != "from" && st.get(&(edge.from, a.id)) == Some(&St::Mine) {
                        let s = arrive(edge.to, b, if peer { "peer" } else { "up" });
                        if judge(edge.to, b) == Some(true) {
                            by_identity.insert((edge.to, b.id));
                        }
                        changed |= set(&mut st, (edge.to, b.id), s);
                    }
                    // Down: b is the person's, a refers to it.
                    if edge.dir != "to" && st.get(&(edge.to, b.id)) == Some(&St::Mine) {
                        let s = arrive(edge.from, a, if peer { "peer" } else { "down" });
                        if judge(edge.from, a) == Some(true) {
                            by_identity.insert((edge.from, a.id));
                        }
                        changed |= set(&mut st, (edge.from, a.id), s);
                    }
                }
            }
            // Rule 3: context rows of non-shared tables referred to only by the person's rows.
            let candidates: Vec<(usize, i64)> = st
                .iter()
                .filter(|(k, s)| **s == St::Context && !self.shared[k.0])
                .map(|(k, _)| *k)
                .collect();
            for (t, id) in candidates {
                let exclusive = self.edges.iter().enumerate().all(|(e, edge)| {
                    edge.to != t
                        || self.rows[edge.from].iter().all(|a| {
                            a.refs.get(&e) != Some(&Some(id))
                                || st.get(&(edge.from, a.id)) == Some(&St::Mine)
                        })
                });
                if exclusive {
                    changed |= set(&mut st, (t, id), St::Mine);
                }
            }
            if !changed {
                break;
            }
        }
        let mine: BTreeSet<(usize, i64)> = st
            .iter()
            .filter(|(_, s)| **s == St::Mine)
            .map(|(k, _)| *k)
            .collect();
        // Joint: the person's rows (not by identity) referring to another person's row.
        let mut joint = BTreeSet::new();
        for &(t, id) in &mine {
            if by_identity.contains(&(t, id)) {
                continue;
            }
            let a = self.row(t, id).unwrap();
            for (e, edge) in self.edges.iter().enumerate() {
                if edge.from != t || !self.identity[edge.to] {
                    continue;
                }
                if let Some(Some(target)) = a.refs.get(&e)
                    && !mine.contains(&(edge.to, *target))
                    && let Some(b) = self.row(edge.to, *target)
                    && judge(edge.to, b) == Some(false)
                {
                    joint.insert((t, id));
                }
            }
        }
        let context = st
            .iter()
            .filter(|(_, s)| **s == St::Context)
            .map(|(k, _)| *k)
            .collect();
        Verdict {
            mine,
            joint,
            context,
        }
    }
}

fn register() -> Policy {
    waarborg_testkit::policy(
        "[[legal_holds]]\nid = \"fiscal\"\nlaw = \"AWR art. 52(4)\"\nperiod = \"P7Y\"\nfrom = \"invoice_date\"\n",
    )
    .unwrap()
}

async fn dump(db: &Db, w: &World) -> BTreeMap<(usize, i64), String> {
    let mut out = BTreeMap::new();
    for t in 0..w.tables {
        for line in rows(
            db,
            &format!(
                "SELECT CAST(id AS TEXT), CAST(owner AS TEXT), email, secret, keep_name FROM t{t}"
            ),
        )
        .await
        {
            let id: i64 = line.split('|').next().unwrap().parse().unwrap();
            out.insert((t, id), line);
        }
    }
    out
}

fn counts(c: &Certificate) -> Vec<(String, u64, u64, u64, u64, u64)> {
    let mut v: Vec<_> = c
        .tables
        .iter()
        .map(|t| {
            (
                t.table.clone(),
                t.deleted,
                t.masked,
                t.kept,
                t.unchanged,
                t.shared,
            )
        })
        .collect();
    v.sort();
    v
}

async fn check(kind: Kind, n: usize, persons: usize, seed: u64) {
    let w = world(n, persons, seed);
    let db = new_db(kind).await;
    waarborg_engine::run_script(&db.url, &w.sql())
        .await
        .unwrap();
    let engine = Engine::connect(&w.datasets(&db.url), &[]).await.unwrap();
    // The person asks with their address in capitals.
    let subject = Subject::new("email", &email(0).to_uppercase());
    let v = w.verdict(0);
    let others_identity = |line: &str| {
        let f: Vec<&str> = line.split('|').collect();
        f[2] != "NULL" && f[2].trim().to_lowercase() != email(0)
    };

    // Access: exactly the person's rows (joint ones included), shared rows only as context.
    let report = engine.access(&subject).await.unwrap();
    let mut got = BTreeSet::new();
    let mut ctx = BTreeSet::new();
    for t in &report.tables {
        let ti: usize = t.table.trim_start_matches('t').parse().unwrap();
        for r in &t.rows {
            if let Some(e) = r["email"].as_str() {
                assert!(
                    !w.identity[ti] || e.trim().to_lowercase() == email(0),
                    "access returned a row holding another person's identity: {r:?}"
                );
            }
            got.insert((ti, r["id"].as_i64().unwrap()));
        }
        for r in &t.context {
            ctx.insert((ti, r["id"].as_i64().unwrap()));
        }
    }
    let want: BTreeSet<(usize, i64)> = v.mine.iter().copied().collect();
    assert_eq!(
        got, want,
        "access differs from the person's rows; world {w:#?}"
    );
    assert_eq!(ctx, v.context, "context rows differ; world {w:#?}");

    // Dry run, then the real run: the same counts.
    let opts = EraseOptions {
        now: Some(now()),
        ..EraseOptions::default()
    };
    let before = dump(&db, &w).await;
    let dry = engine
        .erase(
            &subject,
            Some(&register()),
            &EraseOptions {
                dry_run: true,
                ..opts.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(dump(&db, &w).await, before, "a dry run changed data");
    let cert = engine
        .erase(&subject, Some(&register()), &opts)
        .await
        .unwrap();
    assert_eq!(counts(&dry), counts(&cert), "dry run and real run differ");
    assert_eq!(cert.remaining_changes, 0);
    assert_eq!(cert.subject_found, !v.mine.is_empty());
    let after = dump(&db, &w).await;
    for (key, line) in &before {
        let (t, id) = *key;
        let row = w.row(t, id).unwrap();
        let erasable = v.mine.contains(key) && !v.joint.contains(key);
        if !erasable {
            assert_eq!(
                after.get(key),
                Some(line),
                "a row outside the person's own changed: {key:?}; world {w:#?}"
            );
            continue;
        }
        assert!(
            !others_identity(line),
            "erasure touched a row holding another person's identity"
        );
        assert!(!w.shared[t], "erasure touched a shared row");
        let held = w.hold_table == Some(t) && row.doc_date == "2024-01-01";
        match after.get(key) {
            None => assert!(w.delete[t] && !held, "row {key:?} deleted but should stay"),
            Some(now_line) => {
                let f: Vec<&str> = now_line.split('|').collect();
                assert!(!w.delete[t] || held, "row {key:?} should be deleted");
                assert_eq!(f[2], "NULL", "e-mail left in {key:?}");
                assert_eq!(f[3], "NULL", "secret left in {key:?}");
                if held {
                    assert_eq!(f[4], row.keep_name, "held row lost the data the duty needs");
                } else {
                    assert_eq!(f[4], "NULL");
                }
            }
        }
    }
    // A second run changes nothing; the next person's erasure works.
    engine
        .erase(&subject, Some(&register()), &opts)
        .await
        .unwrap();
    assert_eq!(dump(&db, &w).await, after);
    if persons > 1 {
        engine
            .erase(&Subject::new("email", &email(1)), Some(&register()), &opts)
            .await
            .unwrap();
    }
}

fn run(kind: Kind, n: usize, persons: usize, seed: u64) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(check(kind, n, persons, seed));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn boundary_on_random_graphs_sqlite(n in 1usize..=5, persons in 1usize..=3, seed in any::<u64>()) {
        run(Kind::Sqlite, n, persons, seed);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]

    #[test]
    fn boundary_on_random_graphs_postgres(n in 1usize..=5, persons in 1usize..=3, seed in any::<u64>()) {
        run(Kind::Pg, n, persons, seed);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]

    #[test]
    fn boundary_on_random_graphs_mariadb(n in 1usize..=5, persons in 1usize..=3, seed in any::<u64>()) {
        run(Kind::Maria, n, persons, seed);
    }
}
