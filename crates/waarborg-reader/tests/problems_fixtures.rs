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
            "RD-ART13-REQUIREMENT",
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
            "RD-ART13-REQUIREMENT",
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
        assert!(!r.title.is_empty() && !r.title_nl.is_empty(), "{}", r.code);
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

/// The conditional and easily forgotten Art. 13 items, on short texts written for this test:
/// 13(2)(c) only where consent is used, 13(2)(e) unless the text says what must be provided,
/// 13(1)(e) unless some recipient (or "nobody") is named.
#[test]
fn conditional_art13_items() {
    let items = |text: &str| -> BTreeSet<String> {
        waarborg_reader::read_bytes("t.txt", text.as_bytes(), None)
            .unwrap()
            .summary
            .problems
            .iter()
            .filter_map(|p| p.item.clone())
            .collect()
    };
    let base = "Privacyverklaring van Fietsmaker De Spaak\n\nWij verwerken uw naam en e-mailadres om uw fiets te repareren. \
                De grondslag is de uitvoering van de overeenkomst. Uw gegevens bewaren wij 2 jaar. \
                U heeft recht op inzage, correctie, verwijdering, beperking, bezwaar en overdraagbaarheid. \
                U kunt een klacht indienen bij de Autoriteit Persoonsgegevens. Mail ons via info@despaak.example.";
    let got = items(base);
    assert!(
        got.contains("13(2)(e)") && got.contains("13(1)(e)"),
        "{got:?}"
    );
    assert!(
        !got.contains("13(2)(c)"),
        "no consent, no withdrawal item: {got:?}"
    );

    let with_consent = format!("{base} Voor de nieuwsbrief vragen wij uw toestemming.");
    assert!(items(&with_consent).contains("13(2)(c)"));
    let withdrawable =
        format!("{with_consent} U kunt zich altijd afmelden via de link in elke nieuwsbrief.");
    assert!(!items(&withdrawable).contains("13(2)(c)"));

    let complete = format!(
        "{base} Zonder e-mailadres kunnen wij de reparatie niet uitvoeren; u bent niet verplicht uw telefoonnummer op te geven. \
         Wij delen uw gegevens met niemand, ook niet met derden."
    );
    let got = items(&complete);
    assert!(
        !got.contains("13(2)(e)") && !got.contains("13(1)(e)"),
        "{got:?}"
    );

    let en = "Privacy Policy of Example Bikes\n\nWe collect your name and email address to repair your bike. \
              Providing your email address is a contractual requirement: if you do not provide it, we cannot repair your bike. \
              We share your data with our payment provider.";
    let got = items(en);
    assert!(
        !got.contains("13(2)(e)") && !got.contains("13(1)(e)"),
        "{got:?}"
    );
}

/// The title decides the kind of document: terms that mention "the privacy statement" in one
/// clause, and a cookie statement, get no Art. 13 checklist.
#[test]
fn title_decides_the_kind_of_document() {
    let terms = "Algemene voorwaarden Fietsmaker De Spaak\n\nArtikel 1 - Toepasselijkheid\n\
                 1.1 Deze voorwaarden gelden voor elke overeenkomst tussen opdrachtgever en opdrachtnemer. \
                 Betaling geschiedt binnen 14 dagen na de factuurdatum.\n\
                 Artikel 2 - Persoonsgegevens\n\
                 2.1 Op de verwerking van uw persoonsgegevens is ons privacybeleid van toepassing. \
                 Wij verwerken uw persoonsgegevens volgens de AVG; zie het privacybeleid op onze website.";
    let r = waarborg_reader::read_bytes("terms.txt", terms.as_bytes(), None).unwrap();
    assert_eq!(r.summary.doc_type, waarborg_reader::summary::DocType::Terms);
    assert!(
        r.summary.problems.iter().all(|p| p.item.is_none()),
        "{:#?}",
        r.summary.problems
    );

    let cookie = "Cookiebeleid\n\nDeze website plaatst functionele cookies en, met uw toestemming, analytische cookies. \
                  Uw persoonsgegevens worden niet verkocht. U kunt cookies weigeren in de cookie-instellingen.";
    let r = waarborg_reader::read_bytes("cookie.txt", cookie.as_bytes(), None).unwrap();
    assert_eq!(
        r.summary.doc_type,
        waarborg_reader::summary::DocType::Cookie
    );
    assert!(r.summary.problems.iter().all(|p| p.item.is_none()));
}

/// A processor agreement that mentions audits only to exclude them lacks Art. 28(3)(h); one that
/// grants them does not.
#[test]
fn audit_clause_that_excludes_audits_is_missing_28_3_h() {
    let base = "Verwerkersovereenkomst\n\n\
        Artikel 1 - Verwerking\n\n\
        1.1 De verwerker verwerkt de persoonsgegevens uitsluitend in opdracht van de verwerkingsverantwoordelijke en op basis van diens schriftelijke instructies.\n\
        1.2 De verwerker meldt een datalek binnen 24 uur.\n\n\
        Artikel 2 - Verantwoording\n\n\
        2.1 De verwerker stelt alle informatie ter beschikking die nodig is om de nakoming aan te tonen.\n";
    let denied = format!(
        "{base}2.2 Een inspectie of audit bij de verwerker ter plaatse maakt geen deel uit van de afspraken.\n"
    );
    let granted = format!(
        "{base}2.2 De verwerkingsverantwoordelijke mag eenmaal per jaar een audit laten uitvoeren.\n"
    );
    let audit = |text: &str| {
        let r = waarborg_reader::read_bytes("dpa.txt", text.as_bytes(), None).unwrap();
        r.summary
            .problems
            .iter()
            .find(|p| p.rule == "RD-ART28-AUDIT")
            .cloned()
    };
    let p = audit(&denied).expect("28(3)(h) missing where audits are excluded");
    let ev = format!("{:?}", p.evidence);
    assert!(ev.contains("maakt geen deel uit"), "{ev}");
    assert!(audit(&granted).is_none());
}
