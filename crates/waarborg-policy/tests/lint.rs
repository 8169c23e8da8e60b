#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Lint on whole files: the demo is clean, locations point at the offending key, output formats.

use std::path::PathBuf;

use waarborg_policy::lint::{render_human, to_json, to_sarif};
use waarborg_policy::{Severity, document_from_toml_str, lint, load_document, rules};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/{name}/policy.toml"))
}

#[test]
fn demo_has_no_findings_of_error_level() {
    let doc = load_document(example("demo")).unwrap();
    let report = lint(&doc);
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "{}",
        render_human(std::slice::from_ref(&report))
    );
    assert!(
        report.diagnostics.is_empty(),
        "{}",
        render_human(std::slice::from_ref(&report))
    );
}

const BAD: &str = r#"
[statement]
version = "1"
effective_date = 2026-01-01

[controller]
name = "X B.V."

[[recipients]]
id = "mailer"
name = "Mailer"
role = "processor"
country = "US"
transfer_mechanism = "privacy_shield"
"#;

#[test]
fn diagnostics_point_at_the_offending_key() {
    let doc = document_from_toml_str(BAD, "bad.toml").unwrap();
    let report = lint(&doc);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == "WB007")
        .unwrap();
    let loc = d.location.as_ref().unwrap();
    assert_eq!(
        BAD.lines().nth(loc.line - 1).unwrap(),
        "transfer_mechanism = \"privacy_shield\""
    );
    assert_eq!(loc.column, 1);
    let human = render_human(std::slice::from_ref(&report));
    assert!(human.contains("error[WB007]"), "{human}");
    assert!(human.contains("--> bad.toml:14:1"), "{human}");
    assert!(
        human.contains("| transfer_mechanism = \"privacy_shield\""),
        "{human}"
    );
    assert!(report.codes().contains(&"WB027"));
}

#[test]
fn json_and_sarif_shapes() {
    let doc = document_from_toml_str(BAD, "dir/bad.toml").unwrap();
    let report = lint(&doc);
    let json = to_json(std::slice::from_ref(&report));
    assert_eq!(
        json["summary"]["errors"].as_u64().unwrap() as usize,
        report.count(Severity::Error)
    );
    assert_eq!(json["files"][0]["file"], "dir/bad.toml");
    let sarif = to_sarif(std::slice::from_ref(&report));
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let driver_rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(driver_rules.len(), rules::all().len());
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), report.diagnostics.len());
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(driver_rules[idx]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "dir/bad.toml"
        );
    }
}

#[test]
fn rule_catalogue_has_thirty_or_more_documented_rules() {
    let all = rules::all();
    assert!(all.len() >= 30);
    for r in all {
        assert!(r.meta.code.starts_with("WB"));
        assert!(r.doc().contains("## Why is this bad?"));
    }
}
