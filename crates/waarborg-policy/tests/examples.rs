#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The five seed organisations' registers: lint must report the real defects of each document.

use std::path::PathBuf;

use waarborg_policy::{Severity, lint, load_document};

fn report(name: &str) -> waarborg_policy::FileReport {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../examples/{name}/policy.toml"));
    let doc = load_document(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    lint(&doc)
}

fn assert_codes(name: &str, expected: &[&str]) {
    let r = report(name);
    let codes = r.codes();
    for code in expected {
        assert!(
            codes.contains(code),
            "{name}: expected {code}, found {codes:?}"
        );
    }
    assert!(
        r.count(Severity::Error) > 0,
        "{name} should have error-level findings"
    );
    for d in &r.diagnostics {
        let loc = d.location.as_ref().unwrap();
        assert!(loc.line >= 1, "{name}: {d:?}");
    }
}

#[test]
fn crmned_kantoor() {
    // No legal bases, no retention, missing rights incl. complaint, GA to the US without a
    // mechanism, advertising/analytics cookies without consent, processors without agreement.
    assert_codes(
        "crmned-kantoor",
        &[
            "WB003", "WB006", "WB010", "WB012", "WB013", "WB014", "WB027", "WB035",
        ],
    );
    // Its single-use whitepaper consent is tied to the sponsor: not flagged.
    assert!(!report("crmned-kantoor").codes().contains(&"WB025"));
}

#[test]
fn kvgo() {
    // Privacy Shield, implied cookie consent, visit = consent, kept until a request, no objection.
    assert_codes(
        "kvgo",
        &["WB007", "WB012", "WB023", "WB027", "WB036", "WB049"],
    );
}

#[test]
fn cantorclin() {
    // US transfers without mechanism, social-media tracking cookies, health data and VOG without
    // an Art. 9/10 ground, no restriction right, masked ID copy for every request, open-ended
    // extension of the 4-week term.
    assert_codes(
        "cantorclin",
        &[
            "WB006", "WB012", "WB018", "WB019", "WB035", "WB039", "WB048",
        ],
    );
    // Its BSN use is a named legal duty: not flagged.
    assert!(!report("cantorclin").codes().contains(&"WB020"));
}

#[test]
fn werktijden() {
    // No contact details, no bases, no rights; processor terms without a sub-processor clause.
    // The 48 hours vs 7 days contradiction shows as conflicting retention rules.
    assert_codes(
        "werktijden",
        &["WB001", "WB003", "WB012", "WB014", "WB029", "WB050"],
    );
    assert!(!report("werktijden").codes().contains(&"WB028"));
}

#[test]
fn leerwerkburo() {
    // €78 fee, deemed consent, GA without mechanism, special/criminal data without ground, BSN
    // without a named law, no retention for medical data, missing rights.
    assert_codes(
        "leerwerkburo",
        &[
            "WB006", "WB010", "WB011", "WB012", "WB018", "WB019", "WB020", "WB023", "WB032",
        ],
    );
}

#[test]
fn lint_reports_snapshot() {
    // One snapshot per seed register, like ruff's fixture snapshots: the full human report.
    for name in [
        "crmned-kantoor",
        "kvgo",
        "cantorclin",
        "werktijden",
        "leerwerkburo",
    ] {
        let shown = format!("examples/{name}/policy.toml");
        let text = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(&shown),
        )
        .unwrap();
        let doc = waarborg_policy::document_from_toml_str(&text, &shown).unwrap();
        let human = waarborg_policy::lint::render_human(&[lint(&doc)]);
        insta::assert_snapshot!(format!("lint_{name}"), human);
    }
}
