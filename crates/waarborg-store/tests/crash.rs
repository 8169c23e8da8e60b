#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Crash safety: a writer process is killed with SIGKILL in the middle of appending; afterwards
//! the chain verifies, no event is half-written and every event it reported committed is there.
//!
//! The writer is this test binary itself, re-run with `WAARBORG_CRASH_URL` set (see
//! `crash_child`), so no extra binary is needed.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Ctx;
use waarborg_store::{Backend, CaseKind, Identity, NewCase, Store};

const URL_ENV: &str = "WAARBORG_CRASH_URL";

/// The writer: appends for ever from three concurrent tasks and prints `committed <seq>` after
/// each commit. Does nothing in a normal test run.
#[test]
fn crash_child() {
    let Ok(url) = std::env::var(URL_ENV) else {
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(3)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let store = Store::open(&url).await.unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<i64>();
        for w in 0..3 {
            let s = store.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                let subject = Identity::parse_pairs(["customer_id=7"]).unwrap();
                for i in 0u64.. {
                    let seq = match i % 3 {
                        0 => {
                            let c = s
                                .open_case(NewCase::new(CaseKind::Erasure, subject.clone()))
                                .await
                                .unwrap();
                            s.case_events(&c.id).await.unwrap()[0].audit_seq
                        }
                        1 => {
                            s.append_engine_run(
                                &format!("w{w}"),
                                &"cd".repeat(32),
                                &serde_json::json!({ "i": i }),
                            )
                            .await
                            .unwrap()
                            .seq
                        }
                        _ => {
                            let g = waarborg_store::ConsentGrant {
                                subject: format!("s{w}"),
                                purpose: "newsletter".into(),
                                scope: waarborg_store::ConsentScope::Standing,
                                register_hash: None,
                                wording: Some("ja".into()),
                                wording_sha256: None,
                                source: "crash-test".into(),
                            };
                            s.grant_consent(&g).await.unwrap().audit_seq
                        }
                    };
                    if tx.send(seq).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut out = std::io::stdout().lock();
        for seq in rx {
            writeln!(out, "committed {seq}").unwrap();
            out.flush().unwrap();
        }
    });
}

/// Runs the writer against `url` until it has reported `commits` commits, then kills it with
/// SIGKILL (no chance to clean up) and returns the sequence numbers it reported committed.
fn run_and_kill(url: &str, commits: usize) -> BTreeSet<i64> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(URL_ENV, url)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(seq) = line.strip_prefix("committed ")
                && tx.send(seq.trim().parse::<i64>().unwrap()).is_err()
            {
                break;
            }
        }
    });
    let mut seen = BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while seen.len() < commits {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(seq) => {
                seen.insert(seq);
            }
            Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
            Err(e) => panic!("the writer stopped after {} commits: {e:?}", seen.len()),
        }
    }
    // std's Child::kill is SIGKILL on Unix.
    child.kill().unwrap();
    child.wait().unwrap();
    // Lines printed before the kill reached the pipe; collect them too.
    reader.join().unwrap();
    seen.extend(rx.try_iter());
    seen
}

async fn kill_minus_nine(b: Backend) {
    let ctx = Ctx::new(b).await;
    let mut committed = BTreeSet::new();
    for round in 0..3 {
        let url = ctx.url.clone();
        let seen = tokio::task::spawn_blocking(move || run_and_kill(&url, 40 + 25 * round))
            .await
            .unwrap();
        committed.extend(seen);
        ctx.settle().await;
        // After the crash: the store opens, the chain verifies, nothing committed is lost.
        let store = Store::open(&ctx.url).await.unwrap();
        let report = store.verify_audit().await.unwrap();
        assert!(report.ok(), "round {round}: {report:?}");
        let last = *committed.iter().max().unwrap();
        assert!(
            report.last_seq >= last,
            "round {round}: committed seq {last} lost ({report:?})"
        );
        let entries = store.audit_entries(1, u32::MAX).await.unwrap();
        let present: BTreeSet<i64> = entries.iter().map(|e| e.seq).collect();
        assert!(committed.is_subset(&present));
        // No half-written event: every case and consent event has its audit entry and every
        // case/consent audit entry has its event.
        let case_entries = entries
            .iter()
            .filter(|e| e.kind.starts_with("case."))
            .count();
        let consent_entries = entries
            .iter()
            .filter(|e| e.kind.starts_with("consent."))
            .count();
        let case_events = ctx
            .raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM case_events")
            .await;
        let consent_events = ctx
            .raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM consent_events")
            .await;
        let cases = ctx
            .raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM cases")
            .await;
        assert_eq!(case_events.parse::<usize>().unwrap(), case_entries);
        assert_eq!(
            cases.parse::<usize>().unwrap(),
            case_entries,
            "one opening event per case"
        );
        assert_eq!(consent_events.parse::<usize>().unwrap(), consent_entries);
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_minus_nine_sqlite() {
    kill_minus_nine(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_minus_nine_postgres() {
    kill_minus_nine(Backend::Postgres).await
}
