#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Rendering: snapshots of the demo's statement, register and cookie table, and checks that every
//! example renders a complete statement in both languages.

use std::path::PathBuf;

use waarborg_policy::render::{Format, What, render};
use waarborg_policy::{Lang, Policy, from_toml_str, load_file};

fn example(name: &str) -> Policy {
    load_file(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../examples/{name}/policy.toml")),
    )
    .unwrap()
}

const EXAMPLES: &[&str] = &[
    "demo",
    "crmned-kantoor",
    "kvgo",
    "cantorclin",
    "werktijden",
    "leerwerkburo",
];

#[test]
fn demo_statement_nl_md() {
    let out = render(
        &example("demo"),
        What::Statement,
        Lang::Nl,
        Format::Markdown,
        None,
    )
    .unwrap();
    insta::assert_snapshot!(out);
}

#[test]
fn demo_statement_en_md() {
    let out = render(
        &example("demo"),
        What::Statement,
        Lang::En,
        Format::Markdown,
        None,
    )
    .unwrap();
    insta::assert_snapshot!(out);
}

#[test]
fn demo_register_en_md_and_csv() {
    let p = example("demo");
    insta::assert_snapshot!(
        "demo_register_en_md",
        render(&p, What::Register, Lang::En, Format::Markdown, None).unwrap()
    );
    insta::assert_snapshot!(
        "demo_register_nl_csv",
        render(&p, What::Register, Lang::Nl, Format::Csv, None).unwrap()
    );
}

#[test]
fn demo_cookies_nl_html() {
    let out = render(
        &example("demo"),
        What::Cookies,
        Lang::Nl,
        Format::Html,
        None,
    )
    .unwrap();
    insta::assert_snapshot!(out);
}

#[test]
fn every_example_renders_every_art13_section() {
    let nl_sections = [
        "## Wie zijn wij?",
        "## Waarom gebruiken wij uw gegevens?",
        "## Met wie delen wij uw gegevens?",
        "## Gegevens buiten Europa",
        "## Hoe lang bewaren wij uw gegevens?",
        "## Uw rechten",
        "Autoriteit Persoonsgegevens",
        "## Automatische besluiten",
        "## Cookies",
    ];
    let en_sections = [
        "## Who are we?",
        "## Why do we use your data?",
        "## Who do we share your data with?",
        "## Data outside Europe",
        "## How long do we keep your data?",
        "## Your rights",
        "Autoriteit Persoonsgegevens",
        "## Automated decisions",
        "## Cookies",
    ];
    for name in EXAMPLES {
        let p = example(name);
        let nl = render(&p, What::Statement, Lang::Nl, Format::Markdown, None).unwrap();
        let en = render(&p, What::Statement, Lang::En, Format::Markdown, None).unwrap();
        for s in nl_sections {
            assert!(nl.contains(s), "{name} nl lacks {s}");
        }
        for s in en_sections {
            assert!(en.contains(s), "{name} en lacks {s}");
        }
        for pu in &p.purposes {
            assert!(
                nl.contains(pu.name.get(Lang::Nl)),
                "{name}: purpose {} missing",
                pu.id
            );
        }
        assert!(nl.contains(&p.controller.name));
        // Every statutory right is named, even when the organisation's own text left it out.
        for right in [
            "**Inzage.**",
            "**Verwijdering.**",
            "**Beperking.**",
            "**Bezwaar.**",
            "**Klacht.**",
        ] {
            assert!(nl.contains(right), "{name} nl lacks {right}");
        }
        let html = render(&p, What::Statement, Lang::En, Format::Html, None).unwrap();
        assert!(html.starts_with("<!doctype html>") && html.contains("<h2>"));
        let csv = render(&p, What::Register, Lang::En, Format::Csv, None).unwrap();
        assert_eq!(csv.lines().count(), p.purposes.len() + 1, "{name}");
    }
}

#[test]
fn transfers_and_invalid_mechanisms_are_visible() {
    let out = render(
        &example("kvgo"),
        What::Statement,
        Lang::En,
        Format::Markdown,
        None,
    )
    .unwrap();
    assert!(
        out.contains("Privacy Shield (note: invalid since 16 July 2020)"),
        "{out}"
    );
}

#[test]
fn html_escapes_register_values() {
    let src = r#"
[statement]
version = "1"
effective_date = 2026-01-01
[controller]
name = "<script>alert(1)</script> & Zn | B.V."
"#;
    let p = from_toml_str(src, "x.toml").unwrap();
    let html = render(&p, What::Statement, Lang::Nl, Format::Html, None).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    let md = render(&p, What::Statement, Lang::Nl, Format::Markdown, None).unwrap();
    assert!(md.contains("& Zn \\| B.V."));
}

#[test]
fn template_override_dir_is_used() {
    let dir = std::env::temp_dir().join(format!("wb-tpl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("cookies.md"),
        "EIGEN {{ controller.name }} {{ cookies | length }}\n",
    )
    .unwrap();
    let out = render(
        &example("demo"),
        What::Cookies,
        Lang::Nl,
        Format::Markdown,
        Some(&dir),
    )
    .unwrap();
    assert_eq!(out, "EIGEN Voorbeeld Webwinkel B.V. 4\n");
    std::fs::write(dir.join("cookies.md"), "{% if %}").unwrap();
    let err = render(
        &example("demo"),
        What::Cookies,
        Lang::Nl,
        Format::Markdown,
        Some(&dir),
    )
    .unwrap_err();
    assert!(err.to_string().contains("cookies.md"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn statement_as_csv_is_refused() {
    let err = render(
        &example("demo"),
        What::Statement,
        Lang::Nl,
        Format::Csv,
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("--what register"));
}
