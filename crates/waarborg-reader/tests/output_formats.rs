#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The output formats: JSON as the schema, JSON Lines, SARIF 2.1.0, HTML (escaped, self-contained),
//! human report, and the draft register (loads with the policy crate's loader).

use serde_json::Value;
use waarborg_policy::Lang;
use waarborg_reader::output;

fn fixture(name: &str) -> waarborg_reader::Report {
    waarborg_reader::read_path(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

const REQUIRED: &[&str] = &[
    "doc_type",
    "language",
    "controller",
    "data_categories",
    "special_categories",
    "purposes",
    "legal_bases",
    "retention",
    "recipients",
    "third_country_transfer",
    "rights",
    "complaint_authority_mentioned",
    "request_deadline",
    "cookies",
    "last_updated",
    "terms",
    "problems",
];

const KINDS: &[&str] = &[
    "contradiction",
    "broken_reference",
    "outdated_reference",
    "missing_art13_item",
    "missing_art28_item",
    "questionable_clause",
    "typo_in_identifier",
];

#[test]
fn json_follows_the_schema() {
    let r = fixture("problems_en_dpa.txt");
    let v: Value = serde_json::from_str(&output::json(&r)).unwrap();
    for k in REQUIRED {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let problems = v["problems"].as_array().unwrap();
    assert!(!problems.is_empty());
    for p in problems {
        assert!(KINDS.contains(&p["kind"].as_str().unwrap()));
        assert!(p["evidence"].is_array());
        assert!(p["explanation"].is_string());
        assert!(p["rule"].as_str().unwrap().starts_with("RD-"));
        match p["kind"].as_str().unwrap() {
            "missing_art13_item" | "missing_art28_item" => {
                assert!(p["item"].as_str().unwrap().contains('('));
            }
            _ => assert!(p.get("item").is_none(), "item must be absent: {p}"),
        }
    }
}

#[test]
fn jsonl_is_one_line_and_array_holds_all() {
    let a = fixture("problems_en_dpa.txt");
    let b = fixture("problems_nl_terms.txt");
    let line = output::jsonl(&a);
    assert!(!line.contains('\n'));
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["doc_type"], "dpa");
    let arr: Value = serde_json::from_str(&output::json_array(&[&a, &b])).unwrap();
    assert_eq!(arr.as_array().unwrap().len(), 2);
}

#[test]
fn sarif_has_rules_and_regions() {
    let a = fixture("problems_nl_terms.txt");
    let b = fixture("problems_en_privacy.txt");
    let v: Value = serde_json::from_str(&output::sarif(&[&a, &b])).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "waarborg");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() > 20);
    assert!(rules.iter().all(|r| r["help"]["text"].as_str().is_some()));
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        a.summary.problems.len() + b.summary.problems.len()
    );
    let addr = results
        .iter()
        .find(|r| r["ruleId"] == "RD-CONTRA-ADDRESS")
        .unwrap();
    let region = &addr["locations"][0]["physicalLocation"]["region"];
    // "Hamerweg 12" is on line 4 of the fixture
    assert_eq!(region["startLine"], 4);
    assert!(region["startColumn"].as_u64().unwrap() > 1);
    assert!(region["endLine"].as_u64().unwrap() >= 4);
    let idx = addr["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], "RD-CONTRA-ADDRESS");
    assert_eq!(
        results
            .iter()
            .filter(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 1)
            .count(),
        b.summary.problems.len()
    );
}

#[test]
fn html_is_escaped_and_self_contained() {
    let text = "Privacyverklaring\n\n<script>alert('x')</script> Wij houden ons aan de Wet bescherming persoonsgegevens & meer.\n";
    let r = waarborg_reader::read_bytes("t.txt", text.as_bytes(), None).unwrap();
    let html = output::html(&r, Lang::En);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains("&amp; meer"));
    assert!(html.contains("RD-OUTDATED-WBP"));
    assert!(html.contains("<mark class=\"problem outdated_reference\" id=\"p0-0\""));
    assert!(!html.contains("http://") && !html.contains("src="));
    // on a phone-width screen the text and the panel stack instead of sitting side by side
    assert!(html.contains("name=\"viewport\" content=\"width=device-width,initial-scale=1\""));
    assert!(html.contains("@media (max-width:48em){main{flex-direction:column}"));
}

#[test]
fn human_report_groups_and_numbers_lines() {
    let r = fixture("problems_nl_terms.txt");
    let out = output::human(&r, false, Lang::En);
    assert!(out.contains("CONTRADICTIONS"));
    assert!(out.contains("RD-CONTRA-ADDRESS"));
    assert!(out.contains("line    4:"));
    assert!(!out.contains('\x1b'));
    assert!(output::human(&r, true, Lang::En).contains('\x1b'));
}

#[test]
fn draft_register_loads_with_the_policy_loader() {
    for name in [
        "problems_nl_privacy_defects.txt",
        "problems_nl_privacy_clean.txt",
        "problems_en_privacy.txt",
        "problems_en_dpa.txt",
        "problems_nl_terms.txt",
    ] {
        let r = fixture(name);
        let toml = output::draft_policy(&r).unwrap();
        let policy = waarborg_policy::from_toml_str(&toml, name).unwrap();
        assert!(!policy.controller.name.is_empty());
    }
    let r = fixture("problems_nl_privacy_clean.txt");
    let toml = output::draft_policy(&r).unwrap();
    assert!(toml.contains("[controller]"));
    assert!(toml.contains("87654321"));
}

#[test]
fn draft_registers_of_the_seeds_load() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let r = waarborg_reader::read_path(e.path()).unwrap();
        let toml = output::draft_policy(&r).unwrap();
        waarborg_policy::from_toml_str(&toml, "seed").unwrap();
    }
}

#[test]
fn locate_finds_quotes_across_line_breaks() {
    let r = fixture("problems_en_dpa.txt");
    for p in &r.summary.problems {
        for q in &p.evidence {
            assert!(output::locate(&r.document.text, q).is_some(), "{q}");
        }
    }
}
