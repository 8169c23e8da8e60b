#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property tests on random small schemas and data graphs (SQLite, and MariaDB with fewer cases): access returns exactly the
//! rows reachable from the person (checked against a naive fixpoint over all row pairs);
//! erasure leaves none of the person's erasable data, changes no other person's row, and keeps
//! held rows as the hold says.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use proptest::prelude::*;
use waarborg_engine::{Datasets, Engine, EraseOptions, Register, Subject};

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
    owner: usize,
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
    delete: Vec<bool>,
    hold_table: Option<usize>,
    edges: Vec<Edge>,
    rows: Vec<Vec<Row>>,
}

fn world(n: usize, persons: usize, seed: u64) -> World {
    let mut r = Rng(seed);
    let identity: Vec<bool> = (0..n).map(|i| i == 0 || r.below(3) == 0).collect();
    let delete: Vec<bool> = (0..n).map(|_| r.below(2) == 0).collect();
    let hold_table = if n > 1 && r.below(2) == 0 {
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
        for p in 0..persons {
            for _ in 0..r.below(3) {
                table_rows.push(Row {
                    id: next_id,
                    owner: p,
                    email: if identity[t] && r.below(4) != 0 {
                        Some(format!("p{p}@example.nl"))
                    } else {
                        None
                    },
                    secret: format!("secret-{next_id}"),
                    keep_name: format!("name-{p}"),
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
    }
    // References point at rows of the same person only, so people's graphs are disjoint.
    for (e, edge) in edges.iter().enumerate() {
        let targets: Vec<(usize, i64)> = rows[edge.to].iter().map(|x| (x.owner, x.id)).collect();
        for row in rows[edge.from].iter_mut() {
            let mine: Vec<i64> = targets
                .iter()
                .filter(|(o, _)| *o == row.owner)
                .map(|(_, id)| *id)
                .collect();
            let v = if mine.is_empty() || r.below(4) == 0 {
                None
            } else {
                Some(mine[r.below(mine.len() as u64) as usize])
            };
            row.refs.insert(e, v);
        }
    }
    World {
        tables: n,
        identity,
        delete,
        hold_table,
        edges,
        rows,
    }
}

impl World {
    fn sql(&self) -> String {
        let mut s = String::new();
        for t in 0..self.tables {
            let refs: String = self
                .edges
                .iter()
                .enumerate()
                .filter(|(_, e)| e.from == t)
                .map(|(i, _)| format!(", r{i} INTEGER"))
                .collect();
            s.push_str(&format!("CREATE TABLE t{t} (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, email TEXT, secret TEXT, keep_name TEXT, doc_date DATE{refs});\n"));
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
                s.push_str(&format!(
                    "INSERT INTO t{t} VALUES ({}, {}, {email}, '{}', '{}', '{}'{refs});\n",
                    row.id, row.owner, row.secret, row.keep_name, row.doc_date
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

    /// Naive fixpoint: (table, id) of every row reachable from person p's e-mail.
    fn reachable(&self, p: usize) -> BTreeSet<(usize, i64)> {
        let email = format!("p{p}@example.nl");
        let mut set: BTreeSet<(usize, i64)> = BTreeSet::new();
        for t in 0..self.tables {
            if self.identity[t] {
                for r in &self.rows[t] {
                    if r.email.as_deref() == Some(email.as_str()) {
                        set.insert((t, r.id));
                    }
                }
            }
        }
        loop {
            let mut added = false;
            for (e, edge) in self.edges.iter().enumerate() {
                for a in &self.rows[edge.from] {
                    let Some(Some(target)) = a.refs.get(&e) else {
                        continue;
                    };
                    for b in &self.rows[edge.to] {
                        if b.id != *target {
                            continue;
                        }
                        let fwd = edge.dir != "from" && set.contains(&(edge.from, a.id));
                        let back = edge.dir != "to" && set.contains(&(edge.to, b.id));
                        if fwd && set.insert((edge.to, b.id)) {
                            added = true;
                        }
                        if back && set.insert((edge.from, a.id)) {
                            added = true;
                        }
                    }
                }
            }
            if !added {
                return set;
            }
        }
    }
}

fn register() -> Register {
    Register::from_toml(
        "[[legal_holds]]\nid = \"fiscal\"\nduration = \"P7Y\"\narticle = \"AWR art. 52(4)\"\n",
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

async fn check(kind: Kind, n: usize, persons: usize, seed: u64) {
    let w = world(n, persons, seed);
    let db = new_db(kind).await;
    waarborg_engine::run_script(&db.url, &w.sql())
        .await
        .unwrap();
    let engine = Engine::connect(&w.datasets(&db.url), &[]).await.unwrap();
    let p = 0;
    let subject = Subject::new("email", "p0@example.nl");
    let expected = w.reachable(p);

    // Access: exactly the reachable rows.
    let report = engine.access(&subject).await.unwrap();
    let mut got = BTreeSet::new();
    for t in &report.tables {
        let ti: usize = t.table.trim_start_matches('t').parse().unwrap();
        for r in &t.rows {
            assert_eq!(r["owner"], 0, "access returned another person's row");
            got.insert((ti, r["id"].as_i64().unwrap()));
        }
    }
    assert_eq!(got, expected, "access differs from the reachable rows");

    // Erasure.
    let before = dump(&db, &w).await;
    let cert = engine
        .erase(
            &subject,
            Some(&register()),
            &EraseOptions {
                now: Some(now()),
                ..EraseOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(cert.remaining_changes, 0);
    let after = dump(&db, &w).await;
    for (key, line) in &before {
        let (t, id) = *key;
        let row = w.rows[t].iter().find(|r| r.id == id).unwrap();
        if !expected.contains(key) {
            assert_eq!(
                after.get(key),
                Some(line),
                "a row outside the person's graph changed"
            );
            continue;
        }
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
    // Nothing of the person is reachable any more, and a second run changes nothing.
    assert_eq!(engine.access(&subject).await.unwrap().total_rows, 0);
    engine
        .erase(
            &subject,
            Some(&register()),
            &EraseOptions {
                now: Some(now()),
                ..EraseOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(dump(&db, &w).await, after);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn access_and_erasure_on_random_graphs(n in 1usize..=5, persons in 1usize..=3, seed in any::<u64>()) {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
            .block_on(check(Kind::Sqlite, n, persons, seed));
    }
}

proptest! {
    // Each case creates a database on the server: fewer cases than on SQLite.
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    #[test]
    fn access_and_erasure_on_random_graphs_on_mariadb(n in 1usize..=5, persons in 1usize..=3, seed in any::<u64>()) {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
            .block_on(check(Kind::Maria, n, persons, seed));
    }
}
