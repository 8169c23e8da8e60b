#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The pipeline on the five seed documents (read by path, never copied): schema-shaped output and
//! a few facts.

use std::path::PathBuf;

use serde_json::Value;
use waarborg_reader::read_path;

fn seeds() -> Vec<PathBuf> {
    // WAARBORG_SEEDS_DIR overrides the location (e.g. when building from another checkout).
    let dir = std::env::var_os("WAARBORG_SEEDS_DIR").map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/corpus/seeds"
            ))
        },
        PathBuf::from,
    );
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    paths.sort();
    paths
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_shape(v: &Value) {
    let obj = v.as_object().unwrap();
    for key in [
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
    ] {
        assert!(obj.contains_key(key), "missing {key}");
    }
    let doc_types = ["privacy_statement", "terms", "dpa", "cookie", "mixed"];
    assert!(doc_types.contains(&v["doc_type"].as_str().unwrap()));
    assert!(["nl", "en"].contains(&v["language"].as_str().unwrap()));
    let c = &v["controller"];
    for key in ["addresses", "emails", "phones"] {
        assert!(c[key].is_array());
    }
    assert!(c["name"].is_string() || c["name"].is_null());
    if let Some(k) = c["kvk"].as_str() {
        assert!(k.chars().all(|c| c.is_ascii_digit()) && k.len() == 8, "{k}");
    }
    let iso = |s: &str| {
        s.starts_with('P')
            && s.len() >= 3
            && (s.ends_with(['Y', 'M', 'W', 'D']) || s.starts_with("PT") && s.ends_with('H'))
    };
    for r in v["retention"].as_array().unwrap() {
        assert!(r["what"].is_string() && r["evidence"].is_string());
        if let Some(p) = r["period"].as_str() {
            assert!(iso(p), "{p}");
        }
    }
    for key in ["request_deadline"] {
        if let Some(p) = v[key].as_str() {
            assert!(iso(p), "{p}");
        }
    }
    for key in ["payment_term", "notice_period", "breach_notification"] {
        if let Some(p) = v["terms"][key].as_str() {
            assert!(iso(p), "{p}");
        }
    }
    if let Some(d) = v["last_updated"].as_str() {
        assert_eq!(d.len(), 10);
        assert_eq!(d.get(4..5), Some("-"));
    }
    let specials = [
        "health",
        "bsn",
        "criminal",
        "racial_ethnic",
        "political",
        "religious",
        "trade_union",
        "genetic",
        "biometric",
        "sex_life_orientation",
    ];
    for s in v["special_categories"].as_array().unwrap() {
        assert!(specials.contains(&s.as_str().unwrap()));
    }
    assert!(v["third_country_transfer"]["mentioned"].is_boolean());
    assert!(v["complaint_authority_mentioned"].is_boolean());
}

#[test]
fn seeds_give_schema_shaped_summaries_with_verbatim_quotes() {
    let paths = seeds();
    if paths.is_empty() {
        eprintln!("seed corpus not found; skipping");
        return;
    }
    assert_eq!(paths.len(), 5);
    for path in &paths {
        let report = read_path(path).unwrap();
        let v = serde_json::to_value(&report.summary).unwrap();
        check_shape(&v);
        let original = collapse(&std::fs::read_to_string(path).unwrap()).to_lowercase();
        for r in &report.summary.retention {
            assert!(
                original.contains(&collapse(&r.evidence).to_lowercase()),
                "{}: {}",
                path.display(),
                r.evidence
            );
        }
        // every span of every fact lies inside the text
        for f in report
            .facts
            .data_categories
            .iter()
            .chain(&report.facts.purposes)
        {
            assert!(report.document.text.get(f.span.clone()).is_some());
        }
    }
}

#[test]
fn seeds_a_few_facts() {
    let paths = seeds();
    if paths.is_empty() {
        return;
    }
    let reports: Vec<_> = paths.iter().map(|p| read_path(p).unwrap()).collect();
    // all five are Dutch, and each names its controller
    for r in &reports {
        assert_eq!(r.summary.language.code(), "nl");
        assert!(r.summary.controller.name.is_some());
    }
    // the general terms with a processor chapter: mixed, with a breach-notification deadline
    let mixed = reports
        .iter()
        .filter(|r| r.summary.doc_type == waarborg_reader::summary::DocType::Mixed)
        .count();
    assert_eq!(mixed, 2);
    assert!(
        reports
            .iter()
            .any(|r| r.summary.terms.breach_notification.as_deref() == Some("PT36H"))
    );
    // a payment term written in words and digits that disagree is read from the words
    let q = reports
        .iter()
        .flat_map(|r| &r.facts.durations)
        .find(|q| q.words_digits_differ())
        .unwrap();
    assert_eq!(q.duration.iso(), "P14D");
    assert_eq!(q.digits, Some(30));
    // at least one seed has a cross-reference that does not resolve
    assert!(
        reports
            .iter()
            .any(|r| r.structure.references.iter().any(|x| x.is_broken()))
    );
}
