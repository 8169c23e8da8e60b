#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Loading registers: the demo loads; bad input gives located, helpful errors.

use std::path::PathBuf;

use waarborg_policy::{
    LegalBasis, LoadError, ProblemKind, RetentionAction, RetentionEvent, from_toml_str, load_file,
};

fn demo_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo/policy.toml")
}

const MINIMAL: &str = r#"
[statement]
version = "1"
effective_date = "2026-01-01"

[controller]
name = "Test B.V."

[[data]]
id = "email"
category = "user.contact.email"
label = "E-mail"

[[purposes]]
id = "p"
name = "P"
legal_basis = "contract"
data = ["email"]

[[retention]]
id = "r"
purpose = "p"
period = "P1Y"
from = "collection"
"#;

fn problems(src: &str) -> Vec<waarborg_policy::Problem> {
    match from_toml_str(src, "test.toml") {
        Err(LoadError::Invalid { problems, .. }) => problems,
        other => panic!("expected an invalid register, got {other:?}"),
    }
}

#[test]
fn demo_loads_with_its_ids() {
    let p = load_file(demo_path()).unwrap();
    assert_eq!(p.controller.name, "Voorbeeld Webwinkel B.V.");
    assert_eq!(
        p.purpose("orders").unwrap().legal_basis,
        Some(LegalBasis::Contract)
    );
    let r = p.retention_rule("customers-after-last-contact").unwrap();
    assert_eq!(r.period.as_str(), "P2Y");
    assert_eq!(r.from, RetentionEvent::LastContact);
    assert_eq!(r.action, RetentionAction::Delete);
    let hold = p.legal_hold("fiscal").unwrap();
    assert_eq!(hold.period.as_str(), "P7Y");
    assert_eq!(hold.from, RetentionEvent::Named("invoice_date".into()));
    assert!(!p.holds_for_data("payment").is_empty());
    assert!(p.purpose("newsletter").unwrap().consent.is_some());
    assert_eq!(p.rights.deadline.as_ref().unwrap().as_str(), "P1M");
}

#[test]
fn minimal_loads() {
    let p = from_toml_str(MINIMAL, "m.toml").unwrap();
    assert_eq!(p.data.len(), 1);
    assert_eq!(p.data[0].label.nl, "E-mail");
}

#[test]
fn digest_ignores_formatting_but_not_content() {
    let a = from_toml_str(MINIMAL, "a.toml").unwrap();
    let reformatted = MINIMAL.replace(
        "name = \"Test B.V.\"",
        "name   =   \"Test B.V.\"   # comment",
    );
    let b = from_toml_str(&reformatted, "b.toml").unwrap();
    assert_eq!(a.digest(), b.digest());
    assert_eq!(a.digest().len(), 64);
    let changed = MINIMAL.replace("P1Y", "P2Y");
    let c = from_toml_str(&changed, "c.toml").unwrap();
    assert_ne!(a.digest(), c.digest());
}

#[test]
fn missing_file_is_a_read_error() {
    let e = load_file("/nonexistent/policy.toml").unwrap_err();
    assert!(matches!(e, LoadError::Read { .. }));
    let msg = e.to_string();
    assert!(
        msg.contains("/nonexistent/policy.toml") && msg.contains("check the path"),
        "{msg}"
    );
}

#[test]
fn syntax_error_has_location() {
    let src = MINIMAL.replace("name = \"Test B.V.\"", "name = \"Test B.V.");
    let ps = problems(&src);
    assert_eq!(ps.len(), 1);
    let loc = ps[0].location.as_ref().unwrap();
    assert_eq!(loc.line, 7, "{}", ps[0].rendered);
    assert!(
        ps[0].rendered.contains("test.toml:7:"),
        "{}",
        ps[0].rendered
    );
    assert!(ps[0].help.is_some());
}

#[test]
fn unknown_key_is_rejected_at_its_line() {
    let src = MINIMAL.replace(
        "legal_basis = \"contract\"",
        "legal_basis = \"contract\"\nlegal_bsis = \"x\"",
    );
    let ps = problems(&src);
    assert_eq!(ps[0].kind, ProblemKind::UnknownKey, "{}", ps[0].rendered);
    assert!(ps[0].message.contains("legal_bsis"));
    assert!(
        ps[0]
            .help
            .as_ref()
            .unwrap()
            .contains("did you mean `legal_basis`"),
        "{:?}",
        ps[0].help
    );
    let line = ps[0].location.as_ref().unwrap().line;
    assert_eq!(src.lines().nth(line - 1).unwrap(), "legal_bsis = \"x\"");
}

#[test]
fn wrong_duration_says_how_to_write_it() {
    let src = MINIMAL.replace("\"P1Y\"", "\"1 year\"");
    let ps = problems(&src);
    assert_eq!(ps[0].kind, ProblemKind::InvalidValue);
    assert!(
        ps[0].message.contains("ISO 8601") && ps[0].message.contains("P4W"),
        "{}",
        ps[0].message
    );
    let line = ps[0].location.as_ref().unwrap().line;
    assert!(src.lines().nth(line - 1).unwrap().contains("1 year"));
}

#[test]
fn unknown_data_category_suggests_a_key() {
    let src = MINIMAL.replace("user.contact.email", "user.contact.emial");
    let ps = problems(&src);
    assert_eq!(ps[0].kind, ProblemKind::UnknownDataCategory);
    assert!(ps[0].help.as_ref().unwrap().contains("user.contact.email"));
    let line = ps[0].location.as_ref().unwrap().line;
    assert!(src.lines().nth(line - 1).unwrap().starts_with("category"));
}

#[test]
fn unknown_reference_and_duplicate_id() {
    let src = MINIMAL
        .replace("data = [\"email\"]", "data = [\"emale\"]")
        .replace("id = \"r\"", "id = \"p\"");
    let ps = problems(&src);
    let r = ps
        .iter()
        .find(|p| p.kind == ProblemKind::UnknownReference)
        .unwrap();
    assert!(
        r.help.as_ref().unwrap().contains("did you mean `email`"),
        "{:?}",
        r.help
    );
    assert!(r.location.is_some());
    // Same id in two different lists is fine; in one list it is not.
    assert!(!ps.iter().any(|p| p.kind == ProblemKind::DuplicateId));
    let dup = MINIMAL.to_owned()
        + "\n[[retention]]\nid = \"r\"\npurpose = \"p\"\nperiod = \"P1Y\"\nfrom = \"collection\"\n";
    let ps = problems(&dup);
    assert_eq!(ps[0].kind, ProblemKind::DuplicateId);
}

#[test]
fn missing_key_and_bad_enum() {
    let src = MINIMAL.replace("name = \"Test B.V.\"\n", "");
    let ps = problems(&src);
    assert_eq!(ps[0].kind, ProblemKind::MissingKey, "{}", ps[0].rendered);
    assert!(ps[0].help.as_ref().unwrap().contains("name"));
    let src = MINIMAL.replace("\"contract\"", "\"contrakt\"");
    let ps = problems(&src);
    assert!(ps[0].message.contains("contrakt"), "{}", ps[0].message);
    assert!(ps[0].location.is_some());
}

#[test]
fn bad_date_is_explained() {
    let src = MINIMAL.replace("\"2026-01-01\"", "\"1 januari\"");
    let ps = problems(&src);
    assert!(ps[0].message.contains("YYYY-MM-DD"), "{}", ps[0].message);
}

#[test]
fn never_panics_on_garbage() {
    for src in [
        "",
        "[[[",
        "statement = 3",
        "\u{0}\u{1}",
        "[statement]\nversion = 1",
    ] {
        assert!(from_toml_str(src, "g.toml").is_err());
    }
}

#[test]
fn a_hold_keeps_the_categories_of_its_data_and_below() {
    let p = load_file(demo_path()).unwrap();
    let fiscal = p.legal_hold("fiscal").unwrap();
    // The demo's fiscal hold keeps name, address, orders and payment (data ids).
    let cats = p.hold_categories(fiscal);
    assert!(cats.contains(&"user.name"), "{cats:?}");
    assert!(cats.contains(&"user.contact.address"), "{cats:?}");
    assert!(p.hold_keeps_category(fiscal, "user.name"));
    assert!(p.hold_keeps_category(fiscal, "user.contact.address.city"));
    assert!(!p.hold_keeps_category(fiscal, "user.contact.email"));
    // A prefix of a segment is not a category below it.
    assert!(!p.hold_keeps_category(fiscal, "user.names"));
    assert_eq!(
        waarborg_policy::LegalHold::GDPR_EXCEPTION,
        "GDPR Art. 17(3)(b)"
    );
}

#[test]
fn languages_parse_from_their_codes() {
    use waarborg_policy::Lang;
    assert_eq!("nl".parse::<Lang>().unwrap(), Lang::Nl);
    assert_eq!("en".parse::<Lang>().unwrap(), Lang::En);
    let e = "de".parse::<Lang>().unwrap_err();
    assert_eq!(e.to_string(), "language `de`: use nl or en");
}

#[test]
fn data_sources_in_words() {
    use waarborg_policy::{DataSource, Lang};
    assert_eq!(DataSource::DataSubject.words(Lang::Nl), None);
    assert_eq!(DataSource::ThirdParty.words(Lang::Nl), Some("derden"));
    assert_eq!(
        DataSource::Observed.words(Lang::En),
        Some("observed by our systems")
    );
}
