#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Rendering: snapshots of the demo's statement, register and cookie table, and checks that every
//! example renders a complete statement in both languages.

mod common;
use common::{EXAMPLES, example};

use waarborg_policy::render::{Format, Options, RenderError, What, render, render_with};
use waarborg_policy::{Lang, Policy, from_toml_str};

/// A marked draft: renders whatever the register's state.
fn draft(p: &Policy, what: What, lang: Lang, format: Format) -> String {
    render_with(
        p,
        what,
        lang,
        format,
        &Options {
            draft: true,
            templates: None,
        },
    )
    .unwrap()
}

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
        let nl = draft(&p, What::Statement, Lang::Nl, Format::Markdown);
        let en = draft(&p, What::Statement, Lang::En, Format::Markdown);
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
        let html = draft(&p, What::Statement, Lang::En, Format::Html);
        assert!(html.starts_with("<!doctype html>") && html.contains("<h2 id="));
        let csv = render(&p, What::Register, Lang::En, Format::Csv, None).unwrap();
        assert_eq!(csv.lines().count(), p.purposes.len() + 1, "{name}");
    }
}

#[test]
fn transfers_and_invalid_mechanisms_are_visible() {
    let p = example("kvgo");
    // An invalid transfer mechanism is an error (WB007): no final statement, and the draft
    // shows the mechanism for what it is.
    assert!(matches!(
        render(&p, What::Statement, Lang::En, Format::Markdown, None),
        Err(RenderError::Refused { .. })
    ));
    let out = draft(&p, What::Statement, Lang::En, Format::Markdown);
    assert!(
        out.contains("the EU-US Privacy Shield (no longer valid since 16 July 2020)"),
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
    let html = draft(&p, What::Statement, Lang::Nl, Format::Html);
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    let md = draft(&p, What::Statement, Lang::Nl, Format::Markdown);
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

#[test]
fn every_example_statement_snapshot() {
    // The statement of every example in both languages: final where the register is ready
    // (the demo), a marked draft where lint still finds errors (the seeds' registers).
    for name in EXAMPLES {
        let p = example(name);
        let ready = waarborg_policy::render::blocking_findings(&p, What::Statement).is_empty();
        for lang in [Lang::Nl, Lang::En] {
            let strict = render(&p, What::Statement, lang, Format::Markdown, None);
            assert_eq!(strict.is_ok(), ready, "{name} {lang:?}: {strict:?}");
            let text = draft(&p, What::Statement, lang, Format::Markdown);
            let marker = if lang == Lang::Nl { "CONCEPT" } else { "DRAFT" };
            assert!(text.starts_with(&format!("> **{marker}")), "{name}");
            insta::assert_snapshot!(format!("statement_{name}_{}", lang.code()), text);
        }
    }
}

/// A complete register that lint finds clean, to take one Art. 13 item away at a time.
const COMPLETE: &str = r#"
[statement]
version = "1"
effective_date = 2026-01-01
no_automated_decisions = true

[controller]
name = "Bakkerij Test B.V."
email = "privacy@bakkerij.example"
addresses = [{ street = "Dorpsstraat 1", postcode = "1234 AB", city = "Ergens" }]

[[subjects]]
id = "customers"
label = { nl = "Klanten", en = "Customers" }

[[data]]
id = "name"
label = { nl = "Naam", en = "Name" }
category = "user.name"

[[purposes]]
id = "orders"
name = { nl = "Bestellingen", en = "Orders" }
legal_basis = "contract"
subjects = ["customers"]
data = ["name"]
recipients = ["host"]
provision = "prerequisite_for_contract"

[[retention]]
id = "orders"
purpose = "orders"
period = "P1Y"
from = "end_of_contract"

[[recipients]]
id = "host"
name = "Host B.V."
role = "processor"
country = "NL"
processor_agreement = true

[[cookies]]
id = "session"
name = "sessie"
provider = "Bakkerij Test B.V."
category = "necessary"
consent = "exempt"
session = true

[rights]
offered = ["access", "rectification", "erasure", "restriction", "objection", "portability", "complaint"]
channels = [{ kind = "email", address = "privacy@bakkerij.example" }]
deadline = "P1M"
complaint_authority = "Autoriteit Persoonsgegevens"
identity_check = "email_link"

[[security]]
id = "tls"
description = { nl = "Versleutelde verbindingen.", en = "Encrypted connections." }
"#;

#[test]
fn a_register_missing_an_art13_item_is_refused_and_the_draft_marks_the_gap() {
    let p = from_toml_str(COMPLETE, "complete.toml").unwrap();
    let errors: Vec<_> = waarborg_policy::lint_policy(&p)
        .into_iter()
        .filter(|d| d.severity == waarborg_policy::Severity::Error)
        .map(|d| (d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    render(&p, What::Statement, Lang::Nl, Format::Markdown, None).unwrap();
    // (item, edit that removes it, the rule that must stop the rendering)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "13(1)(c) basis",
            "legal_basis = \"contract\"\n",
            "",
            "WB003",
        ),
        (
            "13(1)(e) recipients",
            "recipients = [\"host\"]\n",
            "",
            "WB062",
        ),
        (
            "13(2)(a) retention",
            "period = \"P1Y\"\nfrom = \"end_of_contract\"\n",
            "",
            "WB010",
        ),
        (
            "13(2)(f) automated decisions",
            "no_automated_decisions = true\n",
            "",
            "WB063",
        ),
        (
            "13(2)(b) request channel",
            "channels = [{ kind = \"email\", address = \"privacy@bakkerij.example\" }]\n",
            "",
            "WB034",
        ),
        ("11.7a cookies", "[[cookies]]", "[[nothing]]", "WB061"),
        ("11.7a cookie lifetime", "session = true\n", "", "WB064"),
        (
            "13(1)(f) transfer mechanism",
            "country = \"NL\"\nprocessor_agreement = true\n",
            "country = \"US\"\nprocessor_agreement = true\n",
            "WB006",
        ),
    ];
    for (item, from, to, code) in cases {
        let mut text = COMPLETE.replacen(from, to, 1);
        if *code == "WB062" {
            // The recipient itself goes too.
            text = text.replacen("[[recipients]]\nid = \"host\"\nname = \"Host B.V.\"\nrole = \"processor\"\ncountry = \"NL\"\nprocessor_agreement = true\n", "", 1);
        }
        if *code == "WB010" {
            text = text.replacen(
                "[[retention]]\nid = \"orders\"\npurpose = \"orders\"\n",
                "",
                1,
            );
        }
        if *code == "WB061" {
            text = text.replacen("[[nothing]]\nid = \"session\"\nname = \"sessie\"\nprovider = \"Bakkerij Test B.V.\"\ncategory = \"necessary\"\nconsent = \"exempt\"\nsession = true\n", "", 1);
        }
        let p = from_toml_str(&text, "gap.toml").unwrap_or_else(|e| panic!("{item}: {e}\n{text}"));
        for lang in [Lang::Nl, Lang::En] {
            match render(&p, What::Statement, lang, Format::Markdown, None) {
                Err(RenderError::Refused { findings, .. }) => assert!(
                    findings.iter().any(|f| f.code == *code),
                    "{item}: refused, but not for {code}: {findings:?}"
                ),
                other => panic!("{item}: not refused: {other:?}"),
            }
            let md = draft(&p, What::Statement, lang, Format::Markdown);
            let gap = if lang == Lang::Nl {
                "ONTBREEKT:"
            } else {
                "MISSING:"
            };
            assert!(
                md.lines().any(|l| l.contains(gap) && l.contains(code)),
                "{item} {lang:?}: the draft does not mark the gap\n{md}"
            );
            // Silence never becomes a negative claim.
            for claim in [
                "gebruikt geen cookies",
                "uses no cookies",
                "aan niemand anders",
                "to nobody else",
                "Een computer neemt geen besluiten",
                "No computer takes decisions",
            ] {
                let said = match *code {
                    "WB061" => claim.contains("cookies"),
                    "WB062" => claim.contains("niemand") || claim.contains("nobody"),
                    "WB063" => claim.contains("omputer"),
                    _ => false,
                };
                if said {
                    assert!(!md.contains(claim), "{item}: `{claim}` from silence\n{md}");
                }
            }
        }
    }
}

#[test]
fn internal_notes_are_never_published() {
    let text = COMPLETE.replacen(
        "from = \"end_of_contract\"\n",
        "from = \"end_of_contract\"\nnote = \"INTERN: navragen bij de jurist\"\nexplanation = { nl = \"Zo kunnen wij garantie geven.\", en = \"So we can give a warranty.\" }\n",
        1,
    );
    let p = from_toml_str(&text, "notes.toml").unwrap();
    for lang in [Lang::Nl, Lang::En] {
        for what in [What::Statement, What::Register] {
            let md = draft(&p, what, lang, Format::Markdown);
            assert!(!md.contains("INTERN"), "{what:?} {lang:?}\n{md}");
        }
        let md = render(&p, What::Statement, lang, Format::Markdown, None).unwrap();
        let explanation = if lang == Lang::Nl {
            "Zo kunnen wij garantie geven."
        } else {
            "So we can give a warranty."
        };
        assert!(md.contains(explanation), "{md}");
    }
}

#[test]
fn statement_page_has_contents_links_and_print_style() {
    let p = from_toml_str(COMPLETE, "complete.toml").unwrap();
    let html = render(&p, What::Statement, Lang::Nl, Format::Html, None).unwrap();
    for needle in [
        "<nav class=\"toc\"",
        "<a href=\"#wie-zijn-wij\">Wie zijn wij?</a>",
        "<h2 id=\"wie-zijn-wij\">",
        "href=\"mailto:privacy@bakkerij.example\"",
        "href=\"https://www.autoriteitpersoonsgegevens.nl/",
        "@media print",
        "Versie 1, geldig vanaf 1 januari 2026.",
        "<html lang=\"nl\">",
        "<main id=\"main\">",
    ] {
        assert!(html.contains(needle), "lacks `{needle}`\n{html}");
    }
    // Ids are unique.
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
}

#[test]
fn english_text_does_not_mix_in_dutch() {
    // A register text given only in Dutch is marked in the English statement.
    let text = COMPLETE.replacen(
        "name = { nl = \"Bestellingen\", en = \"Orders\" }",
        "name = { nl = \"Bestellingen\" }",
        1,
    );
    let p = from_toml_str(&text, "nl-only.toml").unwrap();
    let md = render(&p, What::Statement, Lang::En, Format::Markdown, None).unwrap();
    assert!(md.contains("### Bestellingen (in Dutch only)"), "{md}");
}

/// A word a person should never read in a statement: a fideslang key, an ISO 8601 duration, a
/// snake_case identifier, a lint code or a template placeholder.
fn machine_word(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '_' && c != '{' && c != '}');
    let rest = w.strip_prefix('P').unwrap_or_default();
    let iso = rest.len() > 1
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || "YMWDTHS".contains(c))
        && rest.chars().any(|c| c.is_ascii_digit());
    let snake = w.contains('_')
        && w.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && !w.starts_with('_');
    let code = w
        .strip_prefix("WB")
        .is_some_and(|n| n.len() == 3 && n.chars().all(|c| c.is_ascii_digit()));
    w.starts_with("user.") || iso || snake || code || w.contains("{{") || w.contains('{')
}

#[test]
fn no_key_code_or_iso_duration_in_any_statement() {
    for name in EXAMPLES {
        let p = example(name);
        for lang in [Lang::Nl, Lang::En] {
            let md = draft(&p, What::Statement, lang, Format::Markdown);
            for line in md.lines() {
                // A draft's gap markers name the lint rule on purpose; a final text has none.
                if line.contains("ONTBREEKT:") || line.contains("MISSING:") {
                    continue;
                }
                // Cookie names are the cookies' own technical names (`_ga`), shown as such.
                if line.starts_with('|') {
                    continue;
                }
                for word in line.split_whitespace() {
                    assert!(!machine_word(word), "{name} {lang:?}: `{word}` in `{line}`");
                }
            }
        }
    }
    assert!(
        machine_word("P14M")
            && machine_word("user.contact.email")
            && machine_word("legal_obligation")
    );
    assert!(!machine_word("Privacy") && !machine_word("_ga"));
}

#[test]
fn a_register_without_contact_or_rights_is_refused() {
    // Items the draft cannot show as a gap in place (the contact block, the rights list that
    // the statement always gives in full) still stop a final statement.
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "13(1)(a) contact",
            "email = \"privacy@bakkerij.example\"\naddresses = [{ street = \"Dorpsstraat 1\", postcode = \"1234 AB\", city = \"Ergens\" }]\n",
            "",
            "WB001",
        ),
        (
            "13(2)(b) rights",
            "offered = [\"access\", \"rectification\", \"erasure\", \"restriction\", \"objection\", \"portability\", \"complaint\"]",
            "offered = [\"access\", \"complaint\"]",
            "WB012",
        ),
        (
            "13(2)(d) complaint",
            "offered = [\"access\", \"rectification\", \"erasure\", \"restriction\", \"objection\", \"portability\", \"complaint\"]",
            "offered = [\"access\", \"rectification\", \"erasure\", \"restriction\", \"objection\", \"portability\"]",
            "WB014",
        ),
    ];
    for (item, from, to, code) in cases {
        assert!(COMPLETE.contains(from), "{item}: the edit does not apply");
        let p = from_toml_str(&COMPLETE.replacen(from, to, 1), "gap.toml").unwrap();
        match render(&p, What::Statement, Lang::Nl, Format::Markdown, None) {
            Err(RenderError::Refused { findings, .. }) => assert!(
                findings.iter().any(|f| f.code == *code),
                "{item}: refused, but not for {code}: {findings:?}"
            ),
            other => panic!("{item}: not refused: {other:?}"),
        }
        // The draft still renders, marked.
        assert!(draft(&p, What::Statement, Lang::Nl, Format::Markdown).starts_with("> **CONCEPT"));
    }
}
