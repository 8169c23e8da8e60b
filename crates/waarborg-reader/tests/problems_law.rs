#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The second-pass rules (issue 13), each on short texts of our own: it fires on the clause the
//! law names, quotes it verbatim, and stays silent on the lawful or negated variant.

use waarborg_reader::problems::{Context, Parts, Problem, detect_text};

fn detect(text: &str, privacy: bool, dpa: bool, terms: bool) -> Vec<Problem> {
    detect_text(
        text,
        &Context {
            parts: Some(Parts {
                privacy,
                dpa,
                terms,
            }),
            ..Context::default()
        },
    )
}

fn fired(problems: &[Problem], rule: &str) -> Option<Problem> {
    problems.iter().find(|p| p.rule == rule).cloned()
}

fn assert_fires(text: &str, parts: (bool, bool, bool), rule: &str, quote_part: &str) {
    let problems = detect(text, parts.0, parts.1, parts.2);
    let p = fired(&problems, rule).unwrap_or_else(|| panic!("{rule} did not fire on: {text}"));
    assert!(
        p.evidence.iter().any(|e| e.contains(quote_part)),
        "{rule}: no quote with {quote_part:?}: {:?}",
        p.evidence
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for e in &p.evidence {
        assert!(flat.contains(e.as_str()), "{rule}: not verbatim: {e}");
    }
}

fn assert_silent(text: &str, parts: (bool, bool, bool), rule: &str) {
    let problems = detect(text, parts.0, parts.1, parts.2);
    assert!(
        fired(&problems, rule).is_none(),
        "{rule} fired on: {text}\n{problems:#?}"
    );
}

const TERMS: (bool, bool, bool) = (false, false, true);
const PRIVACY: (bool, bool, bool) = (true, false, false);
const DPA: (bool, bool, bool) = (false, true, false);

#[test]
fn penalty_without_moderation() {
    assert_fires(
        "Artikel 9. Boete\nBij overtreding betaalt de huurder een boete van 500 euro per dag, die niet voor matiging door de rechter vatbaar is.",
        TERMS,
        "RD-PENALTY-MODERATION",
        "niet voor matiging",
    );
    assert_silent(
        "Bij overtreding betaalt de huurder een boete van 500 euro per dag.",
        TERMS,
        "RD-PENALTY-MODERATION",
    );
}

#[test]
fn waiver_of_withdrawal() {
    assert_fires(
        "Door te bestellen doet de koper afstand van zijn herroepingsrecht.",
        TERMS,
        "RD-WITHDRAWAL-WAIVER",
        "afstand van zijn herroepingsrecht",
    );
    assert_fires(
        "By placing an order the buyer waives the statutory right of withdrawal.",
        TERMS,
        "RD-WITHDRAWAL-WAIVER",
        "waives",
    );
    assert_silent(
        "De koper heeft een herroepingsrecht van 14 dagen.",
        TERMS,
        "RD-WITHDRAWAL-WAIVER",
    );
}

#[test]
fn set_off_only_where_consumers_are_covered() {
    let text = "Deze voorwaarden gelden ook voor consumenten. Facturen worden binnen 14 dagen betaald, zonder verrekening.";
    assert_fires(text, TERMS, "RD-TERMS-SETOFF", "zonder verrekening");
    assert_silent(
        "Deze voorwaarden gelden voor zakelijke afnemers. Facturen worden binnen 14 dagen betaald, zonder verrekening.",
        TERMS,
        "RD-TERMS-SETOFF",
    );
}

#[test]
fn collection_costs_without_the_scale() {
    let text = "Ook consumenten zijn klant. Alle buitengerechtelijke incassokosten komen voor rekening van de klant.";
    assert_fires(text, TERMS, "RD-TERMS-COLLECTION-COSTS", "incassokosten");
    assert_silent(
        "Ook consumenten zijn klant. Alle buitengerechtelijke incassokosten komen voor rekening van de klant, volgens het Besluit vergoeding voor buitengerechtelijke incassokosten.",
        TERMS,
        "RD-TERMS-COLLECTION-COSTS",
    );
}

#[test]
fn total_exclusion_of_liability() {
    assert_fires(
        "The supplier will not be liable for any damages whatsoever, in contract, tort or otherwise.",
        TERMS,
        "RD-LIABILITY-TOTAL",
        "not be liable for any damages",
    );
    // excepted for intent elsewhere, or tied to one cause: not total
    assert_silent(
        "The supplier will not be liable for any damages whatsoever. This does not apply to intent or gross negligence.",
        TERMS,
        "RD-LIABILITY-TOTAL",
    );
    assert_silent(
        "Wij zijn niet aansprakelijk voor enige schade die voortvloeit uit storingen van het netwerk.",
        TERMS,
        "RD-LIABILITY-TOTAL",
    );
}

#[test]
fn processor_keeps_data_or_carves_out_subprocessors() {
    assert_fires(
        "After the end of the agreement the processor deletes the data. Data whose deletion would take a disproportionate effort are kept.",
        DPA,
        "RD-DPA-KEEP-AFTER-END",
        "disproportionate effort",
    );
    assert_fires(
        "Hosting and support services of third parties are not considered subprocessing under this clause.",
        DPA,
        "RD-DPA-SUBPROC-CARVEOUT",
        "not considered subprocessing",
    );
    assert_silent(
        "The processor engages sub-processors only with prior written authorisation of the controller.",
        DPA,
        "RD-DPA-SUBPROC-CARVEOUT",
    );
}

#[test]
fn consent_bundled_with_the_terms() {
    assert_fires(
        "Door akkoord te gaan met deze voorwaarden geeft de klant toestemming voor het ontvangen van reclame per e-mail.",
        TERMS,
        "RD-CONSENT-BUNDLED",
        "Door akkoord te gaan",
    );
    assert_silent(
        "Voor reclame per e-mail vragen wij apart uw toestemming, die u altijd kunt intrekken.",
        TERMS,
        "RD-CONSENT-BUNDLED",
    );
}

#[test]
fn special_categories_without_an_exception() {
    assert_fires(
        "Wij verwerken de volgende bijzondere persoonsgegevens van u: uw gezondheid en uw godsdienst.",
        PRIVACY,
        "RD-SPECIAL-NO-EXCEPTION",
        "bijzondere persoonsgegevens",
    );
    assert_silent(
        "Wij verwerken de volgende bijzondere persoonsgegevens van u: uw gezondheid. Dat doen wij alleen met uw uitdrukkelijke toestemming.",
        PRIVACY,
        "RD-SPECIAL-NO-EXCEPTION",
    );
    assert_silent(
        "Wij verwerken geen bijzondere persoonsgegevens.",
        PRIVACY,
        "RD-SPECIAL-NO-EXCEPTION",
    );
}

#[test]
fn public_body_with_legitimate_interests() {
    assert_fires(
        "De gemeente verwerkt deze gegevens op grond van een taak van algemeen belang. Voor de nieuwsbrief steunen wij op ons gerechtvaardigd belang.",
        PRIVACY,
        "RD-PUBLIC-LEGITIMATE-INTEREST",
        "gerechtvaardigd belang",
    );
    // the six bases explained, not claimed
    assert_silent(
        "De wet kent zes grondslagen: toestemming, overeenkomst, wettelijke plicht, vitaal belang, algemeen belang en gerechtvaardigd belang.",
        PRIVACY,
        "RD-PUBLIC-LEGITIMATE-INTEREST",
    );
}

#[test]
fn no_cookies_yet_cookies() {
    assert_fires(
        "This shop does not use cookies.\nThe embedded video player sets cookies to count views.",
        PRIVACY,
        "RD-CONTRA-NO-COOKIES",
        "does not use cookies",
    );
    assert_silent(
        "This shop does not use cookies. Nor does it place any trackers.",
        PRIVACY,
        "RD-CONTRA-NO-COOKIES",
    );
}

#[test]
fn annex_that_is_not_there() {
    assert_fires(
        "1. The prices are listed in Annex B to this agreement.\n\nAnnex A - Security measures\nEncryption at rest.",
        TERMS,
        "RD-XREF-ANNEX",
        "Annex B",
    );
    assert_silent(
        "1. The prices are listed in Annex A to this agreement.\n\nAnnex A - Prices\nTen euro a month.",
        TERMS,
        "RD-XREF-ANNEX",
    );
}

#[test]
fn name_spelt_two_ways() {
    let text = "Welkom bij Bakkerij Zonneschijn. Bakkerij Zonneschijn bakt brood. Vragen? Mail Bakkerij Zonneschjin.";
    assert_fires(text, PRIVACY, "RD-TYPO-NAME", "Bakkerij Zonneschjin");
    // a plural is no typo
    assert_silent(
        "De Gebruiker Voorwaarden gelden. De Gebruiker Voorwaarde geldt.",
        PRIVACY,
        "RD-TYPO-NAME",
    );
}

#[test]
fn claim_expiry_stated_twice() {
    assert_fires(
        "Artikel 4. Elke vordering tot schadevergoeding vervalt na een jaar.\nArtikel 9. De vordering vervalt door verloop van twee jaar na het ontstaan ervan.",
        TERMS,
        "RD-CONTRA-PERIOD",
        "vervalt",
    );
}

#[test]
fn free_once_a_year_is_a_fee() {
    assert_fires(
        "You have the right to request access to your data (free of charge once a year).",
        PRIVACY,
        "RD-FEE-REQUEST",
        "once a year",
    );
}

#[test]
fn template_placeholders() {
    assert_fires(
        "Deze dienst wordt geleverd door [bedrijfsnaam], ingeschreven onder [KvK-nummer].",
        DPA,
        "RD-PLACEHOLDER",
        "[bedrijfsnaam]",
    );
    assert_silent(
        "Deze dienst wordt geleverd door Voorbeeld B.V. [zie bijlage 1].",
        DPA,
        "RD-PLACEHOLDER",
    );
}

#[test]
fn clauses_numbered_under_another_article() {
    let text = "Artikel 1. Begrippen\n1.1. Klant: de afnemer.\n1.2. Dienst: de hosting.\n\nArtikel 2. Betaling\n2.1. Betaling binnen dertig dagen.\n\nArtikel 3. Recht\n2.1. Nederlands recht is van toepassing.\n2.2. De rechter in Utrecht is bevoegd.\n";
    assert_fires(text, TERMS, "RD-XREF-NUMBERING", "Artikel 3. Recht");
    assert_silent(
        "Artikel 1. Begrippen\n1.1. Klant: de afnemer.\n\nArtikel 2. Betaling\n2.1. Betaling binnen dertig dagen.\n\nArtikel 3. Recht\n3.1. Nederlands recht is van toepassing.\n",
        TERMS,
        "RD-XREF-NUMBERING",
    );
}

#[test]
fn newsletter_consent_and_automatic_subscription() {
    assert_fires(
        "Nieuwsbrief: wij sturen de nieuwsbrief op basis van uw toestemming.\nNa een bestelling wordt u automatisch toegevoegd aan de lijst voor onze nieuwsbrief.",
        PRIVACY,
        "RD-CONTRA-AUTO-SUBSCRIBE",
        "automatisch toegevoegd",
    );
}

#[test]
fn consent_only_yet_legal_duty() {
    assert_fires(
        "All the data we collect are only used based on your explicit consent.\nWe are legally required to keep invoices for seven years.",
        PRIVACY,
        "RD-CONTRA-CONSENT-ONLY",
        "explicit consent",
    );
    assert_silent(
        "We only send the newsletter with your consent.\nWe are legally required to keep invoices for seven years.",
        PRIVACY,
        "RD-CONTRA-CONSENT-ONLY",
    );
}

#[test]
fn cookie_data_called_not_personal() {
    assert_fires(
        "Onze cookies verzamelen geen persoonsgegevens.\nDe cookie van de winkelwagen herkent uw apparaat bij een volgend bezoek.",
        PRIVACY,
        "RD-CONTRA-COOKIE-PERSONAL",
        "herkent uw apparaat",
    );
}

#[test]
fn id_copy_on_top_of_an_account() {
    let text = "U kunt uw gegevens zelf inzien via de instellingen van uw account.\nBij een verzoek tot inzage vragen wij een kopie van uw identiteitsbewijs. Maak daarop uw pasfoto zwart.";
    assert_fires(
        text,
        PRIVACY,
        "RD-ID-COPY",
        "kopie van uw identiteitsbewijs",
    );
    assert_silent(
        "Bij een verzoek tot inzage vragen wij een kopie van uw identiteitsbewijs. Maak daarop uw pasfoto zwart.",
        PRIVACY,
        "RD-ID-COPY",
    );
}

#[test]
fn authority_named_without_a_complaint_is_no_complaint_right() {
    let text = "Privacyverklaring\nWij verwerken uw gegevens. Onze verwerking is aangemeld bij de Autoriteit Persoonsgegevens.\nU heeft het recht op inzage, correctie en verwijdering.";
    let problems = detect(text, true, false, false);
    assert!(
        problems
            .iter()
            .any(|p| p.item.as_deref() == Some("13(2)(d)")),
        "{problems:#?}"
    );
    let text = "Privacyverklaring\nWij verwerken uw gegevens.\nU heeft het recht een klacht in te dienen bij de Autoriteit Persoonsgegevens.";
    let problems = detect(text, true, false, false);
    assert!(
        !problems
            .iter()
            .any(|p| p.item.as_deref() == Some("13(2)(d)"))
    );
}

#[test]
fn analytics_cookies_without_consent() {
    assert_fires(
        "This website uses Google Analytics, which places cookies to count visits.\nYou can set your browser to refuse cookies.",
        PRIVACY,
        "RD-COOKIE-NO-CONSENT",
        "Google Analytics",
    );
    // set up privacy-friendly: no consent needed
    assert_silent(
        "This website uses Google Analytics, which places cookies to count visits. The last octet of the IP address is masked.",
        PRIVACY,
        "RD-COOKIE-NO-CONSENT",
    );
    // "we strive to ask consent" is no consent
    assert_fires(
        "Wij streven ernaar altijd toestemming te vragen voor cookies.\nDeze site gebruikt Hotjar, dat cookies plaatst.",
        PRIVACY,
        "RD-COOKIE-NO-CONSENT",
        "Hotjar",
    );
}

#[test]
fn processor_that_wipes_has_a_deletion_clause() {
    let text = "Verwerkersovereenkomst\nDe verwerker verwerkt de persoonsgegevens alleen in opdracht van de klant. Na het einde van de dienst wist de verwerker alle persoonsgegevens.";
    let problems = detect(text, false, true, false);
    assert!(
        !problems.iter().any(|p| p.rule == "RD-ART28-DELETION"),
        "{problems:#?}"
    );
}

#[test]
fn retain_without_a_period_is_no_retention_answer() {
    let missing = |text: &str| {
        detect(text, true, false, false)
            .iter()
            .any(|p| p.item.as_deref() == Some("13(2)(a)"))
    };
    assert!(missing(
        "Privacy policy\nThe information we ask for is retained on your device and used as described here."
    ));
    assert!(!missing(
        "Privacy policy\nWe only keep your account data whilst you are a user of the app."
    ));
    assert!(!missing(
        "Privacy policy\nWe retain your e-mail address for two years after your last order."
    ));
}
