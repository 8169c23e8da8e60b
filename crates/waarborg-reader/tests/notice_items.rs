#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The Art. 13 missing-item checks (issue 13, GDPR-T200 pass), each on short privacy texts of our
//! own: one text where the item is missing and the check fires, one where the item is given and
//! the check stays silent. A finding on something absent has no quote; a finding on something
//! present quotes it verbatim.

use waarborg_reader::problems::{Context, Parts, Problem, detect_text};

fn detect(text: &str) -> Vec<Problem> {
    detect_text(
        text,
        &Context {
            parts: Some(Parts {
                privacy: true,
                dpa: false,
                terms: false,
            }),
            ..Context::default()
        },
    )
}

fn item<'a>(problems: &'a [Problem], item: &str) -> Option<&'a Problem> {
    problems.iter().find(|p| p.item.as_deref() == Some(item))
}

fn assert_missing(text: &str, it: &str) -> Problem {
    let problems = detect(text);
    let p = item(&problems, it)
        .unwrap_or_else(|| panic!("{it} not reported on: {text}\n{problems:#?}"))
        .clone();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for e in &p.evidence {
        assert!(flat.contains(e.as_str()), "{it}: not verbatim: {e}");
    }
    p
}

fn assert_given(text: &str, it: &str) {
    let problems = detect(text);
    assert!(
        item(&problems, it).is_none(),
        "{it} reported on: {text}\n{problems:#?}"
    );
}

/// Shared body of the test statements: purposes, rights, complaint, retention.
const BODY: &str = "We use your personal information to run the planner and to answer your questions.\n\
The legal basis is the performance of our contract with you.\n\
We keep your account data for as long as your account is active.\n\
You have the right to access, rectify, erase, restrict and port your data and to object.\n\
You may lodge a complaint with your data protection authority.\n";

#[test]
fn identity_a_date_and_an_age_are_no_contact_details() {
    let text = format!(
        "Privacy Policy\nLast updated: 14 March 2025\n\nGreenleaf Tools Ltd runs the Seedling planner app.\n{BODY}\
         Our service is not meant for children under 13.\n\nContact us\nIf you have questions, please contact us.\n"
    );
    let p = assert_missing(&text, "13(1)(a)");
    assert!(p.evidence.is_empty(), "absence has no quote: {p:?}");
}

#[test]
fn identity_an_email_a_phone_or_a_contact_page_is_contact() {
    for contact in [
        "Write to privacy@greenleaf.example for any question.",
        "Phone: 020 555 0147.",
        "Call us on +44 20 7946 0321.",
        "Our office is at 12 Orchard Lane, Bristol.",
        "You can contact us:\n- by visiting the help page on our website: https://greenleaf.example/help",
    ] {
        let text = format!(
            "Privacy Policy\n\nGreenleaf Tools Ltd runs the Seedling planner app.\n{BODY}\nContact us\n{contact}\n"
        );
        assert_given(&text, "13(1)(a)");
    }
}

#[test]
fn identity_dutch_contact_details() {
    let body = "Wij gebruiken je gegevens om de planner te laten werken. De grondslag is de overeenkomst met jou.\n\
                Wij bewaren je gegevens zolang je account bestaat.\n";
    for contact in [
        "Tuinhulp B.V., Bloemstraat 12, 9999 ZZ Ergens.",
        "Tuinhulp B.V., T: 050 123 45 67.",
        "Tuinhulp B.V., bereikbaar op 0612345678.",
    ] {
        let text = format!("Privacyverklaring\n\n{contact}\n{body}");
        assert_given(&text, "13(1)(a)");
    }
    let none = format!("Privacyverklaring\n\nTuinhulp B.V. maakt de planner sinds 2019.\n{body}");
    assert_missing(&none, "13(1)(a)");
}

#[test]
fn identity_a_role_in_place_of_the_name_is_no_identity() {
    let text = format!(
        "Privacy Policy\n\nApp Developer built the Seedling planner app as a free app. This service is provided at no cost.\n{BODY}\
         Contact us at seedling.help@example.com.\n"
    );
    let p = assert_missing(&text, "13(1)(a)");
    assert!(
        p.evidence.iter().any(|e| e.contains("App Developer built")),
        "{p:?}"
    );
    let named = format!(
        "Privacy Policy\n\nGreenleaf Tools built the Seedling planner app as a free app.\n{BODY}\
         Contact us at seedling.help@example.com.\n"
    );
    assert_given(&named, "13(1)(a)");
}

#[test]
fn recipients_the_stock_phrase_use_and_disclosure_names_nobody() {
    let text = format!(
        "Privacy Policy\n\nGreenleaf Tools Ltd (info@greenleaf.example) runs the Seedling app.\n\
         By using the app you agree to the collection, use, and disclosure of your information as described here.\n\
         We collect your e-mail address and your garden notes.\n{BODY}"
    );
    assert_missing(&text, "13(1)(e)");
    let named = text.replace(
        "We collect your e-mail address",
        "We may disclose your notes to our hosting company. We collect your e-mail address",
    );
    assert_given(&named, "13(1)(e)");
}

#[test]
fn recipients_a_sharing_verb_without_a_party_names_nobody() {
    let base = "Privacy Policy\n\nGreenleaf Tools Ltd (info@greenleaf.example) runs the Seedling app.\n\
                We collect your e-mail address and your garden notes.\n";
    for unnamed in [
        "We do not collect or share any other personal information.",
        "We may share your notes when needed.",
        "Please think before you share your notes with us.",
    ] {
        let p = assert_missing(&format!("{base}{unnamed}\n{BODY}"), "13(1)(e)");
        assert_eq!(p.evidence, [unnamed], "the sharing sentence is the quote");
    }
    for named in [
        "We do not share your notes with anyone.",
        "We share your notes with us and with our hosting company.",
        "Your notes are never shared with advertisers.",
    ] {
        assert_given(&format!("{base}{named}\n{BODY}"), "13(1)(e)");
    }
    let nl = "Privacyverklaring\n\nTuinhulp B.V. (info@tuinhulp.example) maakt de planner.\n\
              Wij gebruiken je e-mailadres om de planner te laten werken. De grondslag is de overeenkomst met jou.\n\
              Wij bewaren je gegevens zolang je account bestaat.\n";
    for unnamed in [
        "Wij delen je gegevens niet.",
        "Je bepaalt zelf wat je met ons deelt.",
    ] {
        assert_missing(&format!("{nl}{unnamed}\n"), "13(1)(e)");
    }
    for named in [
        "Wij delen je gegevens met niemand.",
        "Je gegevens worden nooit aan adverteerders verstrekt.",
        "Wij verstrekken je e-mailadres aan de mailingdienst.",
    ] {
        assert_given(&format!("{nl}{named}\n"), "13(1)(e)");
    }
}

#[test]
fn withdrawal_consent_as_permission_needs_a_withdrawal() {
    let text = format!(
        "Privacy Policy\n\nGreenleaf Tools Ltd (info@greenleaf.example) runs the Seedling app.\n{BODY}\
         We will not send you offers without your permission.\n"
    );
    assert_missing(&text, "13(2)(c)");
    let given = format!("{text}You can withdraw your permission at any time in the settings.\n");
    assert_given(&given, "13(2)(c)");
}

#[test]
fn requirement_without_a_word_on_the_persons_side_is_missing() {
    let text = format!(
        "Privacy Policy\n\nGreenleaf Tools Ltd (info@greenleaf.example) runs the Seedling app.\n\
         We collect your e-mail address to create your account.\n{BODY}"
    );
    assert_missing(&text, "13(2)(e)");
}

#[test]
fn requirement_with_the_consequence_is_given() {
    for answer in [
        "If you do not consent to this processing, you cannot use the planner.",
        "If you choose not to provide your e-mail address, we will not be able to create an account.",
        "Providing your data is a statutory or contractual requirement.",
        "You must provide your e-mail address to register.",
        "Without this information we cannot create your account.",
        "If the requested details are not provided in time, the order is cancelled.",
        "If we do not receive the required information, the order is put on hold.",
    ] {
        let text = format!(
            "Privacy Policy\n\nGreenleaf Tools Ltd (info@greenleaf.example) runs the Seedling app.\n\
             When you register, we collect your e-mail address. {answer}\n{BODY}"
        );
        assert_given(&text, "13(2)(e)");
    }
}

#[test]
fn requirement_the_consequence_in_dutch_also_in_the_third_person_is_given() {
    let body = "Privacyverklaring\n\nTuinhulp B.V. (info@tuinhulp.example) maakt de planner.\n\
                Wij verzamelen je naam en e-mailadres om de planner te laten werken. De grondslag is de overeenkomst met jou.\n\
                Wij bewaren je gegevens zolang je account bestaat.\n";
    assert_missing(
        &format!("{body}Wij hebben je e-mailadres nodig om je account te maken.\n"),
        "13(2)(e)",
    );
    for answer in [
        "Zonder deze gegevens is het aanmaken van een account naar verwachting niet mogelijk.",
        "Indien de benodigde gegevens niet tijdig aan Tuinhulp zijn verstrekt, mag Tuinhulp de levering opschorten.",
        "Als wij geen of onvoldoende informatie ontvangen, kunnen wij de opdracht niet uitvoeren.",
        "Als je je e-mailadres niet opgeeft, kun je geen account maken.",
    ] {
        assert_given(&format!("{body}{answer}\n"), "13(2)(e)");
    }
}

#[test]
fn recipients_a_mail_service_in_an_address_is_no_recipient() {
    let text = format!(
        "Privacy Policy\n\nGreenleaf Tools Ltd runs the Seedling app.\n\
         We collect your garden notes on your phone only.\n{BODY}Questions: greenleaf.tools@gmail.com\n"
    );
    assert_missing(&text, "13(1)(e)");
    let named = text.replace(
        "We collect your garden notes",
        "Our crash reports go to Firebase. We collect your garden notes",
    );
    assert_given(&named, "13(1)(e)");
}

#[test]
fn categories_only_user_information_is_missing() {
    let text = "Seedling app - Privacy Policy\n\nGreenleaf Tools Ltd (info@greenleaf.example).\n\
                The advertising partner of this app may acquire user information automatically.\n\
                Please read your personal information policy of that partner for what it acquires.\n";
    assert_missing(text, "14(1)(d)");
}

#[test]
fn categories_a_contact_label_a_compound_or_the_device_used_name_no_data() {
    let text = "Seedling app - Privacy Policy\n\nGreenleaf Tools Ltd, Tel: 0612345678, E-mail: info@greenleaf.example.\n\
                This policy is written to be gender-neutral. It applies on all devices (laptop or tablet) you use.\n\
                We process personal information only where the law allows it.\n";
    let p = assert_missing(text, "14(1)(d)");
    assert_eq!(p.rule, "RD-ART14-CATEGORIES");
}

#[test]
fn categories_one_kind_of_data_or_none_collected_is_given() {
    for sentence in [
        "We collect your e-mail address when you register.",
        "We do not collect any personal information.",
        "Wij verzamelen geen persoonsgegevens.",
        "We read the model of your device to size the screen.",
        "We collect information about your device.",
        "We have not built this app to collect any personal information.",
    ] {
        let text = format!(
            "Seedling app - Privacy Policy\n\nGreenleaf Tools Ltd (info@greenleaf.example).\n\
             Your personal information is safe with us. {sentence}\n"
        );
        assert_given(&text, "14(1)(d)");
    }
}

#[test]
fn transfer_a_mail_address_at_a_us_service_is_no_transfer() {
    let text = format!(
        "Privacy Policy\n\nGreenleaf Tools Ltd runs the Seedling app.\n\
         We collect your garden notes and share them with nobody.\n{BODY}Questions: greenleaf.tools@gmail.com\n"
    );
    assert_given(&text, "13(1)(f)");
    let named = text.replace(
        "We collect your garden notes",
        "We measure visits with Google Analytics. We collect your garden notes",
    );
    assert_missing(&named, "13(1)(f)");
}

#[test]
fn interests_relied_on_without_saying_which_are_missing() {
    for sentence in [
        "We may process your data where this is in our legitimate interests and not overridden by your rights.",
        "Where we rely on our legitimate interests, we will tell you at the time what those legitimate interests are.",
        "Wij verwerken uw gegevens ook op grond van ons gerechtvaardigd belang.",
    ] {
        let text = format!(
            "Seedling app - Privacy Policy\n\nGreenleaf Tools Ltd (info@greenleaf.example).\n{BODY}{sentence}\n"
        );
        let p = assert_missing(&text, "13(1)(d)");
        assert_eq!(p.rule, "RD-ART13-INTERESTS");
        assert!(!p.evidence.is_empty(), "the mention is quoted: {p:#?}");
    }
}

#[test]
fn interests_named_or_tied_to_a_purpose_are_given() {
    for sentence in [
        "We rely on our legitimate interests, such as preventing fraud and keeping the network secure.",
        "We use your data to the extent needed for our legitimate interests in improving the planner.",
        "Sending you tips about the planner: legitimate interest.",
        "Data processing for this purpose is a legitimate business interest.",
        "Nieuwsbrief aan klanten – gerechtvaardigd belang.",
        "Wij verwerken uw gegevens op grond van ons gerechtvaardigd belang (fraudepreventie).",
        "Wij verwerken uw gegevens op grond van ons gerechtvaardigd belang, zoals het beveiligen van ons netwerk.",
    ] {
        let text = format!(
            "Seedling app - Privacy Policy\n\nGreenleaf Tools Ltd (info@greenleaf.example).\n{BODY}{sentence}\n"
        );
        assert_given(&text, "13(1)(d)");
    }
    // no legitimate interests at all: nothing to state
    let text = format!(
        "Seedling app - Privacy Policy\n\nGreenleaf Tools Ltd (info@greenleaf.example).\n{BODY}"
    );
    assert_given(&text, "13(1)(d)");
}

#[test]
fn basis_deemed_by_use_or_named_only_as_a_condition_is_missing() {
    // deemed consent by using the app, consent only as a condition for sharing, and withdrawal
    assert_missing(
        "Privacy Policy of Tide Tables\n\n\
         We use your location to show the tides of the nearest harbour. \
         By using the app, you consent to our use of your location as described in this policy.\n\
         We never give your data to others without your consent.\n\
         You may withdraw your consent in the app settings.\n",
        "13(1)(c)",
    );
    assert_given(
        "Privacy Policy of Tide Tables\n\n\
         We use your location to show the tides of the nearest harbour, on the basis of your consent.\n\
         You may withdraw your consent in the app settings.\n",
        "13(1)(c)",
    );
}

#[test]
fn a_basis_named_only_as_a_condition_or_withdrawal_is_missing_in_dutch() {
    assert_missing(
        "Privacyverklaring van Getijden App\n\n\
         Wij gebruiken uw locatie om de getijden van de dichtstbijzijnde haven te tonen. \
         Door gebruik te maken van de app geeft u toestemming voor dit gebruik.\n\
         Wij geven uw gegevens nooit aan anderen zonder uw toestemming.\n\
         U kunt uw toestemming altijd intrekken in de instellingen.\n",
        "13(1)(c)",
    );
    assert_given(
        "Privacyverklaring van Getijden App\n\n\
         Wij gebruiken uw locatie om de getijden van de dichtstbijzijnde haven te tonen, op basis van uw toestemming.\n",
        "13(1)(c)",
    );
}
