#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Facts read from the team's own fixtures (NL and EN; privacy statement, terms, DPA).

use waarborg_reader::read_path;
use waarborg_reader::summary::{DocType, Lang, LegalBasis, Right, SpecialCategory};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn dutch_privacy_statement() {
    let r = read_path(fixture("facts_nl_privacy.txt")).unwrap();
    let s = &r.summary;
    assert_eq!(s.doc_type, DocType::PrivacyStatement);
    assert_eq!(s.language, Lang::Nl);
    assert_eq!(
        s.controller.name.as_deref(),
        Some("Bakkerij De Korenaar B.V.")
    );
    assert_eq!(s.controller.kvk.as_deref(), Some("12345678"));
    assert_eq!(
        s.controller.addresses,
        vec!["Molenstraat 12, 3512 AB Utrecht"]
    );
    assert_eq!(s.controller.emails, vec!["privacy@korenaar-bakkerij.nl"]);
    assert_eq!(s.controller.phones, vec!["030-1234567"]);
    assert!(
        s.privacy_contact
            .as_deref()
            .unwrap()
            .contains("Pieter Jansen")
    );
    for c in ["voor- en achternaam", "e-mailadres", "afleveradres"] {
        assert!(
            s.data_categories.iter().any(|d| d == c),
            "{c}: {:?}",
            s.data_categories
        );
    }
    assert_eq!(s.special_categories, vec![SpecialCategory::Health]);
    assert!(s.purposes.iter().any(|p| p.contains("nieuwsbrief")));
    for b in [
        LegalBasis::Contract,
        LegalBasis::LegalObligation,
        LegalBasis::Consent,
    ] {
        assert!(s.legal_bases.contains(&b), "{b:?}");
    }
    let periods: Vec<_> = s
        .retention
        .iter()
        .filter_map(|r| r.period.clone())
        .collect();
    assert_eq!(periods, vec!["P7Y", "P6M"]);
    assert!(s.recipients.iter().any(|r| r == "Mailchimp"));
    assert!(s.recipients.iter().any(|r| r == "bezorgdiensten"));
    assert_eq!(s.cookies, vec!["Google Analytics"]);
    assert!(s.third_country_transfer.mentioned);
    assert_eq!(
        s.third_country_transfer.mechanism.as_deref(),
        Some("standaardcontractbepalingen")
    );
    for right in [
        Right::Access,
        Right::Rectification,
        Right::Erasure,
        Right::Restriction,
        Right::Portability,
        Right::Objection,
    ] {
        assert!(s.rights.contains(&right), "{right:?}");
    }
    assert!(s.complaint_authority_mentioned);
    assert_eq!(s.request_deadline.as_deref(), Some("P1M"));
    assert_eq!(s.last_updated.as_deref(), Some("2025-02-14"));
    // every retention quote is verbatim
    for r in &s.retention {
        assert!(r.evidence.len() > 10);
        assert!(r.evidence.split_whitespace().count() > 2);
    }
}

#[test]
fn english_privacy_policy_in_markdown() {
    let r = read_path(fixture("facts_en_privacy.md")).unwrap();
    let s = &r.summary;
    assert_eq!(s.language, Lang::En);
    assert_eq!(s.doc_type, DocType::PrivacyStatement);
    assert_eq!(s.controller.name.as_deref(), Some("Northwind Traders Ltd"));
    assert_eq!(
        s.data_categories,
        vec!["name", "email address", "phone number", "IP address"]
    );
    assert_eq!(
        s.purposes,
        vec![
            "to process your orders",
            "to send you our newsletter",
            "to prevent fraud"
        ]
    );
    for b in [
        LegalBasis::Contract,
        LegalBasis::LegitimateInterests,
        LegalBasis::Consent,
    ] {
        assert!(s.legal_bases.contains(&b), "{b:?}");
    }
    let periods: Vec<_> = s
        .retention
        .iter()
        .filter_map(|r| r.period.clone())
        .collect();
    assert_eq!(periods, vec!["P7Y", "P12M"]);
    assert!(s.recipients.iter().any(|r| r == "HubSpot"));
    assert_eq!(
        s.third_country_transfer.mechanism.as_deref(),
        Some("standard contractual clauses")
    );
    assert!(s.rights.contains(&Right::WithdrawConsent));
    assert_eq!(s.request_deadline.as_deref(), Some("P1M"));
    assert_eq!(s.last_updated.as_deref(), Some("2024-03-03"));
    assert!(s.complaint_authority_mentioned);
    assert_eq!(
        s.privacy_contact.as_deref(),
        Some("Data Protection Officer")
    );
}

#[test]
fn dutch_terms() {
    let r = read_path(fixture("facts_nl_terms.txt")).unwrap();
    let s = &r.summary;
    assert_eq!(s.doc_type, DocType::Terms);
    assert_eq!(s.controller.kvk.as_deref(), Some("87654321"));
    let t = &s.terms;
    assert_eq!(t.payment_term.as_deref(), Some("P30D"));
    assert_eq!(t.notice_period.as_deref(), Some("P2M"));
    assert_eq!(
        t.auto_renewal,
        Some(waarborg_reader::summary::AutoRenewal::Bool(true))
    );
    assert!(
        t.liability_cap
            .as_deref()
            .unwrap()
            .starts_with("beperkt tot")
    );
    assert_eq!(t.governing_law.as_deref(), Some("Nederlands recht"));
    assert_eq!(
        t.jurisdiction.as_deref(),
        Some("de bevoegde rechter te Arnhem")
    );
    // "dertig (30) dagen": words and digits agree
    let q = r
        .facts
        .durations
        .iter()
        .find(|q| q.duration.iso() == "P30D")
        .unwrap();
    assert_eq!((q.words, q.digits), (Some(30), Some(30)));
    assert!(!q.words_digits_differ());
    // cross-references: 2.1 resolves, 7.3 does not
    let refs = &r.structure.references;
    assert!(refs.iter().any(|x| x.number == "2.1" && x.target.is_some()));
    assert!(refs.iter().any(|x| x.number == "7.3" && x.is_broken()));
    assert_eq!(r.structure.resolve("artikel 4.1").map(|c| c.line), Some(16));
}

#[test]
fn english_dpa() {
    let r = read_path(fixture("facts_en_dpa.txt")).unwrap();
    let s = &r.summary;
    assert_eq!(s.doc_type, DocType::Dpa);
    assert_eq!(s.language, Lang::En);
    assert_eq!(s.terms.breach_notification.as_deref(), Some("PT24H"));
    assert!(s.recipients.iter().any(|r| r == "Amazon Web Services"));
    assert!(s.recipients.iter().any(|r| r == "Zendesk"));
    assert_eq!(
        s.terms.governing_law.as_deref(),
        Some("the laws of the Netherlands")
    );
    assert!(s.legal_bases.is_empty());
}

#[test]
fn every_fact_span_points_into_the_text() {
    for name in [
        "facts_nl_privacy.txt",
        "facts_en_privacy.md",
        "facts_nl_terms.txt",
        "facts_en_dpa.txt",
    ] {
        let r = read_path(fixture(name)).unwrap();
        let text = &r.document.text;
        let f = &r.facts;
        for found in f
            .emails
            .iter()
            .chain(&f.data_categories)
            .chain(&f.purposes)
            .chain(&f.addresses)
        {
            let quoted = text.get(found.span.clone()).unwrap();
            assert_eq!(
                waarborg_reader::ingest::collapse_ws(quoted),
                waarborg_reader::ingest::collapse_ws(&found.value),
                "{name}"
            );
        }
        for ret in &f.retention {
            assert!(text.get(ret.span.clone()).is_some());
        }
    }
}

#[test]
fn english_terms() {
    let r = read_path(fixture("facts_en_terms.txt")).unwrap();
    let s = &r.summary;
    assert_eq!(s.doc_type, DocType::Terms);
    assert_eq!(s.language, Lang::En);
    assert_eq!(s.controller.name.as_deref(), Some("Acme Widgets Limited"));
    // a company number after a line break is not a phone number
    assert!(s.controller.phones.is_empty(), "{:?}", s.controller.phones);
    let t = &s.terms;
    assert_eq!(t.payment_term.as_deref(), Some("P30D"));
    assert_eq!(t.notice_period.as_deref(), Some("P3M"));
    assert_eq!(
        t.auto_renewal,
        Some(waarborg_reader::summary::AutoRenewal::Bool(true))
    );
    assert_eq!(
        t.governing_law.as_deref(),
        Some("the laws of England and Wales")
    );
    assert!(
        t.liability_cap
            .as_deref()
            .unwrap()
            .starts_with("shall not exceed")
    );
    assert!(
        r.structure
            .references
            .iter()
            .any(|x| x.number == "9.4" && x.is_broken())
    );
    assert!(s.retention.is_empty());
}

#[test]
fn dutch_cookie_statement() {
    let r = read_path(fixture("facts_nl_cookie.txt")).unwrap();
    let s = &r.summary;
    assert_eq!(s.doc_type, DocType::Cookie);
    assert_eq!(s.cookies, vec!["Google Analytics", "Facebook", "TikTok"]);
    let periods: Vec<_> = s
        .retention
        .iter()
        .filter_map(|r| r.period.clone())
        .collect();
    assert_eq!(periods, vec!["P14M", "P90D"]);
    assert_eq!(s.last_updated.as_deref(), Some("2026-01-02"));
    assert_eq!(s.legal_bases, vec![LegalBasis::Consent]);
}

/// Pieces of a clause split off at commas are no data categories; the data around them are.
#[test]
fn enumeration_pieces_of_a_clause_are_not_data() {
    let nl = "Privacyverklaring\n\nWij verwerken persoonsgegevens van onze leden. Wij vragen een foto voor plaatsing op, door de redactie gekozen, pagina's, waarin, naast de foto, ook de naam en het e-mailadres van het lid staan.\n";
    let r = waarborg_reader::read_bytes("nl.txt", nl.as_bytes(), None).unwrap();
    let cats = &r.summary.data_categories;
    for bad in [
        "waarin",
        "naast de foto",
        "Wij vragen een foto voor plaatsing op",
    ] {
        assert!(!cats.iter().any(|c| c == bad), "{bad} in {cats:?}");
    }
    let en = "Privacy statement\n\nWe process personal data of our members. For the newsletter we ask for a photo to print on, as chosen by the editors, pages, whereby, besides the photo, the name, email address and town of the member are shown.\n";
    let r = waarborg_reader::read_bytes("en.txt", en.as_bytes(), None).unwrap();
    let cats = &r.summary.data_categories;
    for bad in ["whereby", "besides the photo", "photo to print on"] {
        assert!(!cats.iter().any(|c| c == bad), "{bad} in {cats:?}");
    }
}

/// "We collect other data. For example, A, B etc.": the examples are data categories, without
/// the introducing word or the closing "etc.".
#[test]
fn examples_after_a_sentence_about_data() {
    let nl = "Privacyverklaring\n\nWij verwerken persoonsgegevens van onze klanten. Als u dat wilt, verzamelen wij ook andere gegevens. Bijvoorbeeld, uw telefoonnummer, uw aanhef etc.\n";
    let r = waarborg_reader::read_bytes("nl.txt", nl.as_bytes(), None).unwrap();
    assert_eq!(r.summary.data_categories, vec!["telefoonnummer", "aanhef"]);
    let en = "Privacy statement\n\nWe process personal data of our customers. If you wish, we also collect other information. For example, your phone number, your salutation etc.\n";
    let r = waarborg_reader::read_bytes("en.txt", en.as_bytes(), None).unwrap();
    assert_eq!(
        r.summary.data_categories,
        vec!["phone number", "salutation"]
    );
}

/// Headings decide what lists, table cells and paragraphs under them are (no cue word needed).
#[test]
fn sections_decide_what_items_are() {
    let nl = "Privacyverklaring Fietsenmakerij Spaak\n\n\
        Stichting Fietsenmakerij Spaak, gevestigd aan de Dorpsstraat 4 te Ede, is verantwoordelijk voor de verwerking van persoonsgegevens zoals beschreven in deze verklaring.\n\n\
        Welke gegevens verzamelen wij?\n\n\
        - Naam\n- Telefoonnummer\n- Framenummer van uw fiets\n\n\
        Waarvoor gebruiken wij uw gegevens\n\n\
        - Het inplannen van reparaties\n- Het versturen van de factuur\n\n\
        Met wie delen wij uw gegevens?\n\n\
        Moneybird (boekhouding): wij sturen facturen via Moneybird.\n\n\
        Hoe lang bewaren wij uw gegevens?\n\n\
        Reparatiegegevens: 2 jaar na de laatste reparatie.\n\n\
        Uw rechten\n\nU kunt uw gegevens inzien, corrigeren of laten verwijderen. U kunt een klacht indienen bij de Autoriteit Persoonsgegevens.\n";
    let r = waarborg_reader::read_bytes("nl.txt", nl.as_bytes(), None).unwrap();
    let s = &r.summary;
    assert_eq!(
        s.controller.name.as_deref(),
        Some("Stichting Fietsenmakerij Spaak")
    );
    for d in ["Naam", "Telefoonnummer", "Framenummer van uw fiets"] {
        assert!(
            s.data_categories.iter().any(|x| x == d),
            "{d}: {:?}",
            s.data_categories
        );
    }
    for p in [
        "Het inplannen van reparaties",
        "Het versturen van de factuur",
    ] {
        assert!(s.purposes.iter().any(|x| x == p), "{p}: {:?}", s.purposes);
    }
    assert!(
        s.recipients.iter().any(|x| x == "Moneybird"),
        "{:?}",
        s.recipients
    );
    let periods: Vec<_> = s
        .retention
        .iter()
        .filter_map(|r| r.period.as_deref())
        .collect();
    assert_eq!(periods, vec!["P2Y"]);
}

/// In a processor agreement the controller is the customer; an agreement that does not name it
/// has no controller, and the processor it is from is a recipient.
#[test]
fn processor_agreement_names_no_controller() {
    let nl = "Verwerkersovereenkomst\n\n\
        Partijen\n\n\
        1. [NAAM KLANT], hierna: Verwerkingsverantwoordelijke;\n\
        2. Roosterwerk B.V., gevestigd te Zwolle, KvK 12345678, hierna: Verwerker.\n\n\
        Artikel 1 - Verwerking\n\n\
        1.1 Verwerker verwerkt persoonsgegevens uitsluitend in opdracht van Verwerkingsverantwoordelijke en op basis van diens schriftelijke instructies.\n\
        1.2 Verwerker schakelt geen subverwerkers in zonder voorafgaande schriftelijke toestemming van Verwerkingsverantwoordelijke.\n\
        1.3 Verwerker meldt een datalek binnen 24 uur aan Verwerkingsverantwoordelijke.\n\
        1.4 Personen die onder gezag van Verwerker werken zijn tot geheimhouding verplicht.\n";
    let r = waarborg_reader::read_bytes("dpa.txt", nl.as_bytes(), None).unwrap();
    let s = &r.summary;
    assert_eq!(s.doc_type, DocType::Dpa);
    assert_eq!(s.controller.name, None);
    assert_eq!(s.controller.kvk, None);
    assert!(
        s.recipients.iter().any(|x| x == "Roosterwerk B.V."),
        "{:?}",
        s.recipients
    );
}

/// Terms with a clause headed "Privacy" make a mixed document when the clause is the privacy
/// statement, and stay terms when it points to a privacy statement elsewhere.
#[test]
fn a_privacy_clause_in_terms_that_points_elsewhere_is_no_privacy_part() {
    let terms = |clause: &str| {
        format!(
            "Gebruikersvoorwaarden Tuinhulp\n\n\
             Artikel 1 - Definities\nOpdrachtgever: de klant die een abonnement afneemt. Opdrachtnemer: Tuinhulp B.V.\n\n\
             Artikel 2 - Betaling\nFacturen worden betaald binnen een betalingstermijn van 30 dagen. \
             Bij opzegging blijven de tarieven van het lopende jaar gelden.\n\n\
             Artikel 3 - Aansprakelijkheid\nDe aansprakelijkheid van Tuinhulp is beperkt tot het factuurbedrag. \
             Overmacht ontslaat Tuinhulp van elke aansprakelijkheid. Garantie geldt alleen op onderdelen.\n\n\
             Privacybeleid\n{clause}\n\n\
             Artikel 5 - Slot\nOp deze voorwaarden is Nederlands recht van toepassing.\n"
        )
    };
    let elsewhere = terms(
        "Tuinhulp verwerkt persoonsgegevens van de opdrachtgever. Welke persoonsgegevens, de bewaartermijn, \
         het recht op inzage en de rol van de Autoriteit Persoonsgegevens staan in de privacyverklaring van Tuinhulp, \
         zie onze privacyverklaring op tuinhulp.example/privacy.",
    );
    let own = terms(
        "In deze privacyverklaring staat welke persoonsgegevens Tuinhulp verwerkt: naam en e-mailadres, met een \
         bewaartermijn van twee jaar. Je hebt recht op inzage en kunt klagen bij de Autoriteit Persoonsgegevens.",
    );
    let kind = |text: &str| {
        waarborg_reader::read_bytes("terms.txt", text.as_bytes(), None)
            .unwrap()
            .summary
            .doc_type
    };
    assert_eq!(kind(&elsewhere), DocType::Terms);
    assert_eq!(kind(&own), DocType::Mixed);
}
