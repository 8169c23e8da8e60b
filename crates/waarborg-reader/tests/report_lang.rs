#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The human and HTML reports in Dutch and English: labels, kind headings, rule titles and
//! explanations follow the report language; the JSON summary stays English.

use waarborg_policy::Lang;
use waarborg_reader::{Report, output, problems};

fn bakery() -> Report {
    waarborg_reader::read_path(format!(
        "{}/tests/fixtures/report_nl_bakery.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The rule codes the fixture must raise: a message with a placeholder (the outdated Wbp), one
/// without (the fee), and a help-text explanation (or its message) for the retention contradiction.
const CODES: &[&str] = &["RD-OUTDATED-WBP", "RD-FEE-REQUEST", "RD-CONTRA-RETENTION"];

#[test]
fn a_dutch_document_reports_in_dutch_by_default() {
    let r = bakery();
    assert_eq!(output::report_lang(&r), Lang::Nl);
    let codes: Vec<&str> = r.summary.problems.iter().map(|p| p.rule.as_str()).collect();
    for c in CODES {
        assert!(codes.contains(c), "{c} not in {codes:?}");
    }
    let nl = output::human(&r, false, output::report_lang(&r));
    assert!(nl.contains("problemen"), "{nl}");
    assert!(nl.contains("VEROUDERDE VERWIJZINGEN"), "{nl}");
    assert!(nl.contains("TEGENSTRIJDIGHEDEN"), "{nl}");
    assert!(nl.contains("regel "), "{nl}");
    assert!(nl.contains("wet: AVG art. "), "{nl}");
    assert!(!nl.contains("GDPR"), "{nl}");
    assert!(nl.contains("geldt niet meer sinds 2018-05-25"), "{nl}");
    assert!(!nl.contains("no longer applies"), "{nl}");
    assert!(!nl.contains("    line "), "{nl}");
    for p in &r.summary.problems {
        let rule = problems::rule(&p.rule).unwrap();
        assert!(nl.contains(&rule.title_nl), "{}", rule.code);
        assert!(nl.contains(&rule.law_nl), "{}", rule.code);
        assert!(nl.contains(p.explanation_in(Lang::Nl)), "{}", p.rule);
        assert_ne!(p.explanation_in(Lang::Nl), p.explanation, "{}", p.rule);
        assert!(
            !nl.contains(&p.explanation),
            "{}: English explanation",
            p.rule
        );
    }

    let html = output::html(&r, Lang::Nl);
    assert!(html.contains("<html lang=\"nl\">"));
    assert!(html.contains("<h2>Problemen</h2>") && html.contains("<h2>Kerngegevens</h2>"));
    assert!(html.contains("regel "));
    assert!(html.contains("verwerkingsverantwoordelijke"));
    assert!(html.contains("geldt niet meer sinds 2018-05-25"));
    assert!(!html.contains("no longer applies"));
    assert!(!html.contains("<h2>Facts</h2>"));
}

#[test]
fn lang_en_reports_a_dutch_document_in_english() {
    let r = bakery();
    let en = output::human(&r, false, Lang::En);
    assert!(en.contains("problems"), "{en}");
    assert!(en.contains("OUTDATED REFERENCES"), "{en}");
    assert!(en.contains("line ") && en.contains("law: "), "{en}");
    assert!(en.contains("no longer applies since 2018-05-25"), "{en}");
    assert!(!en.contains("geldt niet meer"), "{en}");
    for p in &r.summary.problems {
        let rule = problems::rule(&p.rule).unwrap();
        assert!(en.contains(&rule.title), "{}", rule.code);
        assert!(!en.contains(&rule.title_nl), "{}", rule.code);
        assert!(en.contains(&rule.law), "{}", rule.code);
        assert!(en.contains(&p.explanation), "{}", p.rule);
    }
    let html = output::html(&r, Lang::En);
    assert!(html.contains("<html lang=\"en\">"));
    // the document's text keeps its own language
    assert!(html.contains("<pre lang=\"nl\">"));
    assert!(html.contains("<h2>Problems</h2>") && html.contains("<h2>Facts</h2>"));
    assert!(html.contains("no longer applies since 2018-05-25"));
    assert!(!html.contains("geldt niet meer"));
}

#[test]
fn json_explanations_stay_english() {
    let r = bakery();
    let json = output::json(&r);
    assert!(
        json.contains("no longer applies since 2018-05-25"),
        "{json}"
    );
    assert!(!json.contains("geldt niet meer"));
    assert!(!json.contains("explanation_nl"));
    // a problem read back from JSON has no Dutch text and falls back to the English one
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let p: problems::Problem = serde_json::from_value(v["problems"][0].clone()).unwrap();
    assert_eq!(p.explanation_nl, None);
    assert_eq!(p.explanation_in(Lang::Nl), p.explanation);
}

#[test]
fn an_english_document_reports_in_english_by_default() {
    let r = waarborg_reader::read_path(format!(
        "{}/tests/fixtures/problems_en_privacy.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_eq!(output::report_lang(&r), Lang::En);
    assert!(!r.summary.problems.is_empty());
    let en = output::human(&r, false, output::report_lang(&r));
    assert!(en.contains("problems") && en.contains("law: "), "{en}");
    let nl = output::human(&r, false, Lang::Nl);
    assert!(nl.contains("problemen") && nl.contains("wet: "), "{nl}");
}
