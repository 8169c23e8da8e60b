#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Problem detection on the team's own fixtures (NL and EN; privacy statements, terms, a DPA):
//! the exact set of rule codes each fixture triggers, and verbatim evidence.

use std::collections::BTreeSet;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn rules_of(name: &str) -> (BTreeSet<String>, waarborg_reader::Report) {
    let report = waarborg_reader::read_path(fixture(name)).unwrap();
    let rules = report
        .summary
        .problems
        .iter()
        .map(|p| p.rule.clone())
        .collect();
    (rules, report)
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| (*c).to_owned()).collect()
}

fn assert_verbatim(report: &waarborg_reader::Report) {
    let text = waarborg_reader::ingest::collapse_ws(&report.document.text);
    for p in &report.summary.problems {
        for q in &p.evidence {
            assert!(text.contains(q.as_str()), "{}: not verbatim: {q}", p.rule);
        }
    }
}

#[test]
fn dutch_privacy_statement_with_defects() {
    let (rules, report) = rules_of("problems_nl_privacy_defects.txt");
    assert_eq!(
        rules,
        set(&[
            "RD-CONTRA-EU-ONLY",
            "RD-CONTRA-NUMBER-WORDS",
            "RD-OUTDATED-WBP",
            "RD-OUTDATED-PRIVACY-SHIELD",
            "RD-ART13-RIGHTS",
            "RD-ART13-COMPLAINT",
            "RD-RETENTION-INDEFINITE",
            "RD-ID-COPY",
            "RD-COOKIE-IMPLIED",
            "RD-TYPO-DOMAIN",
            "RD-FEE-REQUEST",
        ])
    );
    let rights = report
        .summary
        .problems
        .iter()
        .find(|p| p.rule == "RD-ART13-RIGHTS")
        .unwrap();
    assert_eq!(rights.item.as_deref(), Some("13(2)(b)"));
    assert!(rights.explanation.contains("objection"));
    assert!(rights.explanation.contains("restriction"));
    assert_verbatim(&report);
}

#[test]
fn clean_dutch_privacy_statement_has_no_problems() {
    let (rules, report) = rules_of("problems_nl_privacy_clean.txt");
    assert!(rules.is_empty(), "{:#?}", report.summary.problems);
}

#[test]
fn english_privacy_policy() {
    let (rules, report) = rules_of("problems_en_privacy.txt");
    assert_eq!(
        rules,
        set(&[
            "RD-CONTRA-COOKIES",
            "RD-CONTRA-RETENTION",
            "RD-OUTDATED-SAFE-HARBOR",
            "RD-OUTDATED-UK-DPA-1998",
            "RD-ART13-RIGHTS",
            "RD-ART13-COMPLAINT",
            "RD-COOKIE-IMPLIED",
            "RD-FEE-REQUEST",
        ])
    );
    assert_verbatim(&report);
}

#[test]
fn english_processor_agreement() {
    let (rules, report) = rules_of("problems_en_dpa.txt");
    assert_eq!(
        rules,
        set(&[
            "RD-CONTRA-PERIOD",
            "RD-XREF-BROKEN",
            "RD-ART28-SUBPROCESSORS",
            "RD-ART28-AUDIT",
            "RD-DPA-BREACH-THRESHOLD",
            "RD-DPA-LIABILITY",
        ])
    );
    let xref = report
        .summary
        .problems
        .iter()
        .find(|p| p.rule == "RD-XREF-BROKEN")
        .unwrap();
    assert!(xref.evidence[0].contains("clause 5.4"));
    let period = report
        .summary
        .problems
        .iter()
        .find(|p| p.rule == "RD-CONTRA-PERIOD")
        .unwrap();
    assert_eq!(period.evidence.len(), 2);
    assert_verbatim(&report);
}

#[test]
fn dutch_terms() {
    let (rules, report) = rules_of("problems_nl_terms.txt");
    assert_eq!(
        rules,
        set(&[
            "RD-CONTRA-ADDRESS",
            "RD-CONTRA-AMENDMENT",
            "RD-CONTRA-NUMBER-WORDS",
            "RD-XREF-BROKEN",
            "RD-OUTDATED-VAR",
            "RD-OUTDATED-COURT",
        ])
    );
    let kinds: BTreeSet<&str> = report
        .summary
        .problems
        .iter()
        .map(|p| p.kind.as_str())
        .collect();
    assert!(kinds.contains("contradiction"));
    assert!(kinds.contains("broken_reference"));
    assert!(kinds.contains("outdated_reference"));
    assert_verbatim(&report);
}

#[test]
fn every_rule_code_is_documented() {
    for r in waarborg_reader::problems::rules() {
        assert!(r.code.starts_with("RD-"));
        assert!(!r.law.is_empty() && !r.help_en.is_empty() && !r.help_nl.is_empty());
    }
    for name in [
        "problems_nl_privacy_defects.txt",
        "problems_en_privacy.txt",
        "problems_en_dpa.txt",
        "problems_nl_terms.txt",
    ] {
        let (rules, _) = rules_of(name);
        for code in rules {
            assert!(
                waarborg_reader::problems::rule(&code).is_some(),
                "{code} has no registry entry"
            );
        }
    }
}
