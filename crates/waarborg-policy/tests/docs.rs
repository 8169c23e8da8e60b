#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The documentation stays true: the annotated example in docs/policy.md loads and lints without
//! errors, and docs/rules.md is the output of `waarborg rules --format md`.

use std::path::PathBuf;

use waarborg_policy::{Severity, document_from_toml_str, lint, rules};

fn doc(name: &str) -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs")
            .join(name),
    )
    .unwrap()
}

#[test]
fn annotated_example_loads_and_has_no_errors() {
    let text = doc("policy.md");
    let after = text
        .split("## A complete annotated example")
        .nth(1)
        .unwrap();
    let toml = after
        .split("```toml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let d = document_from_toml_str(toml, "docs/policy.md").unwrap_or_else(|e| panic!("{e}"));
    let report = lint(&d);
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code, d.message.clone()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn rules_md_is_generated_from_the_catalogue() {
    assert_eq!(
        doc("rules.md"),
        rules::catalogue_markdown(),
        "regenerate with: waarborg rules --format md > docs/rules.md"
    );
}
