#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Three registers written by a reviewer who did not write the rules (a clinic with health data
//! and the BSN, a SaaS processor with US and Indian sub-processors, a football club with youth
//! members): lint finds nothing in them, and finds each defect planted in a copy.

use std::collections::BTreeSet;
use std::path::PathBuf;

use waarborg_policy::{document_from_toml_str, lint};

fn fixture(name: &str) -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.toml"));
    std::fs::read_to_string(path).unwrap()
}

/// The rule codes lint reports for `text`.
fn codes(text: &str) -> BTreeSet<&'static str> {
    let doc = document_from_toml_str(text, "qa.toml").unwrap_or_else(|e| panic!("{e}"));
    lint(&doc).diagnostics.iter().map(|d| d.code).collect()
}

/// `name` with the edits applied (each `from` must occur).
fn planted(name: &str, edits: &[(&str, &str)]) -> String {
    let mut text = fixture(name);
    for (from, to) in edits {
        assert!(text.contains(from), "{name}: `{from}` not found");
        text = text.replacen(from, to, 1);
    }
    text
}

#[test]
fn correct_registers_have_no_findings() {
    for name in ["qa_clinic", "qa_saas", "qa_club"] {
        let found = codes(&fixture(name));
        assert!(found.is_empty(), "{name}: {found:?}");
    }
}

#[test]
fn bsn_under_a_contract_with_the_law_named_is_allowed() {
    // The clinic's treatment purpose is a contract (WGBO) and names the Wabvpz for the BSN.
    let text = fixture("qa_clinic");
    assert!(text.contains("legal_basis = \"contract\"\nlegal_ground = \"Burgerlijk"));
    assert!(!codes(&text).contains("WB020"));
}

#[test]
fn bsn_under_consent_or_without_the_law_is_an_error() {
    let consent = planted(
        "qa_clinic",
        &[(
            "legal_basis = \"contract\"\nlegal_ground = \"Burgerlijk",
            "legal_basis = \"consent\"\nlegal_ground = \"Burgerlijk",
        )],
    );
    assert!(codes(&consent).contains("WB020"));
    let no_law = planted(
        "qa_clinic",
        &[(
            "legal_ground = \"Wet op de loonbelasting 1964, art. 28; AWR art. 52\"\n",
            "",
        )],
    );
    let found = codes(&no_law);
    assert!(
        found.contains("WB020") && found.contains("WB042"),
        "{found:?}"
    );
}

#[test]
fn explicit_consent_needs_the_withdrawal_right_and_a_channel() {
    // Research on a public task with explicit consent (Art. 9(2)(a)) for the health data: the
    // consent table is right there (no WB024), and people must be told they can withdraw.
    let base = [(
        "legal_basis = \"consent\"\nart9_exception = \"explicit_consent\"",
        "legal_basis = \"public_task\"\nlegal_ground = \"Wet op het wetenschappelijk onderzoek\"\nart9_exception = \"explicit_consent\"",
    )];
    assert!(codes(&planted("qa_clinic", &base)).is_empty());
    let no_right = planted(
        "qa_clinic",
        &[
            base[0],
            (
                "\"objection\", \"withdraw_consent\", \"complaint\"]",
                "\"objection\", \"complaint\"]",
            ),
        ],
    );
    assert_eq!(codes(&no_right), BTreeSet::from(["WB013"]));
    let no_channel = planted(
        "qa_clinic",
        &[
            base[0],
            (
                "withdrawal = [{ kind = \"email\", address = \"onderzoek@kliniek-lindenhof.example\" }, { kind = \"in_person\" }]",
                "withdrawal = []",
            ),
        ],
    );
    assert_eq!(codes(&no_channel), BTreeSet::from(["WB022"]));
}

#[test]
fn a_deadline_in_days_longer_than_february_is_too_long() {
    for days in ["P30D", "P31D", "P5W"] {
        let text = planted(
            "qa_clinic",
            &[("deadline = \"P1M\"", &format!("deadline = \"{days}\""))],
        );
        assert!(codes(&text).contains("WB030"), "{days}");
    }
    for ok in ["P28D", "P4W", "P1M"] {
        let text = planted(
            "qa_clinic",
            &[("deadline = \"P1M\"", &format!("deadline = \"{ok}\""))],
        );
        assert!(!codes(&text).contains("WB030"), "{ok}");
    }
}

#[test]
fn a_fiscal_hold_of_2555_days_is_shorter_than_seven_years() {
    let text = planted(
        "qa_clinic",
        &[(
            "period = \"P7Y\"\nfrom = \"invoice_date\"\npurposes",
            "period = \"P2555D\"\nfrom = \"invoice_date\"\npurposes",
        )],
    );
    assert!(codes(&text).contains("WB038"));
}

#[test]
fn adequacy_claimed_for_the_us_is_not_a_mechanism() {
    let text = planted(
        "qa_saas",
        &[(
            "country = \"US\"\ntransfer_mechanism = \"standard_contractual_clauses\"",
            "country = \"US\"\ntransfer_mechanism = \"adequacy\"",
        )],
    );
    assert_eq!(codes(&text), BTreeSet::from(["WB006"]));
    // For a country with a country-wide decision it is fine.
    let text = planted(
        "qa_saas",
        &[(
            "country = \"GB\"\nprocessor_agreement = true",
            "country = \"GB\"\ntransfer_mechanism = \"adequacy\"\nprocessor_agreement = true",
        )],
    );
    assert!(codes(&text).is_empty());
}

#[test]
fn planted_transfer_and_processor_defects_are_found() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[(
                "transfer_mechanism = \"data_privacy_framework\"",
                "transfer_mechanism = \"privacy_shield\"",
            )],
            "WB007",
        ),
        (
            &[("transfer_mechanism = \"data_privacy_framework\"\n", "")],
            "WB006",
        ),
        (
            &[(
                "country = \"IN\"\ntransfer_mechanism = \"standard_contractual_clauses\"",
                "country = \"IN\"\ntransfer_mechanism = \"data_privacy_framework\"",
            )],
            "WB006",
        ),
        (
            &[(
                "country = \"IN\"\ntransfer_mechanism = \"standard_contractual_clauses\"",
                "country = \"IN\"\ntransfer_mechanism = \"old_standard_contractual_clauses\"",
            )],
            "WB008",
        ),
        (
            &[(
                "lifetime = \"P13M\"\nconsent = \"opt_in\"",
                "lifetime = \"P13M\"\nconsent = \"implied\"",
            )],
            "WB036",
        ),
        (&[("human_review = true", "human_review = false")], "WB017"),
        (
            &[(
                "agreement = true\nsub_processor_clause",
                "agreement = false\nsub_processor_clause",
            )],
            "WB028",
        ),
        (
            &[(
                "country = \"DE\"\nprocessor_agreement = true",
                "country = \"DE\"",
            )],
            "WB027",
        ),
    ];
    for (edits, code) in cases {
        let found = codes(&planted("qa_saas", edits));
        assert!(found.contains(code), "{code}: {found:?}");
    }
}

#[test]
fn children_need_a_parent_or_an_age_limit() {
    let no_parent = planted(
        "qa_club",
        &[(
            "minimum_age = 16\nparental_consent = true",
            "parental_consent = false",
        )],
    );
    assert_eq!(codes(&no_parent), BTreeSet::from(["WB026"]));
    let thirteen = planted(
        "qa_club",
        &[(
            "minimum_age = 16\nparental_consent = true",
            "minimum_age = 13",
        )],
    );
    assert_eq!(codes(&thirteen), BTreeSet::from(["WB026"]));
    // Only people of 16 and older may consent: children are kept out, which is allowed.
    let adults_only = planted(
        "qa_club",
        &[(
            "minimum_age = 16\nparental_consent = true",
            "minimum_age = 16",
        )],
    );
    assert!(codes(&adults_only).is_empty());
    let pre_ticked = planted(
        "qa_club",
        &[(
            "method = \"opt_in\"\nminimum_age",
            "method = \"pre_ticked\"\nminimum_age",
        )],
    );
    assert_eq!(codes(&pre_ticked), BTreeSet::from(["WB023"]));
}
