#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `waarborg demo` runs the main job end to end and leaves evidence that can be checked.

use std::process::Command;

#[test]
fn demo_runs_end_to_end_and_its_evidence_holds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_waarborg"))
            .arg("demo")
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    let first = run();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "demo failed: {stdout}\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout.contains("chain intact"), "{stdout}");
    assert!(stdout.contains("second use refused"), "{stdout}");
    assert!(
        stdout.contains("the same erasure again changes 0 rows"),
        "{stdout}"
    );

    // The reader found the statement's defects, with quotes that stand in the statement.
    let statement = std::fs::read_to_string(out.join("statement.txt")).unwrap();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("statement.summary.json")).unwrap())
            .unwrap();
    let problems = summary["problems"].as_array().unwrap();
    assert!(problems.len() >= 3, "{problems:?}");
    let collapsed = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    for p in problems {
        for q in p["evidence"].as_array().unwrap() {
            assert!(
                collapsed.contains(q.as_str().unwrap()),
                "quote not in statement: {q}"
            );
        }
    }
    assert!(
        problems.iter().any(|p| p["kind"] == "outdated_reference"),
        "Privacy Shield is flagged: {problems:?}"
    );

    // The erasure certificate keeps the invoice under the fiscal hold and erases the rest.
    let cert: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("erasure-certificate.json")).unwrap(),
    )
    .unwrap();
    let tables = cert["tables"].as_array().unwrap();
    let kept: u64 = tables.iter().map(|t| t["kept"].as_u64().unwrap()).sum();
    let erased: u64 = tables
        .iter()
        .map(|t| t["deleted"].as_u64().unwrap() + t["masked"].as_u64().unwrap())
        .sum();
    assert!(kept >= 1, "{cert}");
    assert!(erased >= 1, "{cert}");

    // The rendered statement and the Art. 30 register exist and name the controller.
    let nl = std::fs::read_to_string(out.join("privacyverklaring.md")).unwrap();
    assert!(nl.contains("Voorbeeld Webwinkel"), "{nl}");
    let csv = std::fs::read_to_string(out.join("art30-register.csv")).unwrap();
    assert!(csv.lines().count() > 2, "{csv}");

    // The audit export is one JSON object per line, linked by hashes.
    let audit = std::fs::read_to_string(out.join("audit.jsonl")).unwrap();
    let entries: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(entries.len() >= 10, "{}", entries.len());
    for pair in entries.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"], "chain is linked");
        assert_eq!(
            pair[1]["seq"].as_i64().unwrap(),
            pair[0]["seq"].as_i64().unwrap() + 1
        );
    }

    // Running the demo again starts from scratch and succeeds again.
    let second = run();
    assert!(second.status.success());
}
