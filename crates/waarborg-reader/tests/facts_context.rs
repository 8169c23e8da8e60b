#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Facts read from their context: a request deadline whose request is named in the sentence
//! before, a processor's deadline that is not one, and trackers that set cookies only where the
//! text says so.

use waarborg_reader::summary::{SpecialCategory, Summary};

fn read(text: &str) -> Summary {
    waarborg_reader::read_bytes("own.txt", text.as_bytes(), None)
        .unwrap()
        .summary
}

#[test]
fn deadline_takes_its_request_from_the_sentence_before() {
    let s = read(
        "Privacyverklaring van Stichting De Boomgaard\n\n\
         Wij verwerken uw naam en e-mailadres om u de nieuwsbrief te sturen.\n\
         U kunt ons vragen uw gegevens in te zien of te laten verwijderen. Wij reageren zo snel mogelijk, maar uiterlijk binnen drie weken.\n",
    );
    assert_eq!(s.request_deadline.as_deref(), Some("P3W"));
}

#[test]
fn a_deadline_without_a_request_is_none() {
    let s = read(
        "Privacyverklaring van Stichting De Boomgaard\n\n\
         Wij verwerken uw naam en e-mailadres om u de nieuwsbrief te sturen.\n\
         De nieuwsbrief verschijnt binnen drie weken na elke ledenvergadering.\n",
    );
    assert_eq!(s.request_deadline, None);
}

#[test]
fn a_processors_deadline_to_its_customer_is_not_a_request_deadline() {
    let s = read(
        "Processing agreement between Customer and Acme Hosting B.V.\n\n\
         1. Acme Hosting processes personal data only on the documented instructions of Customer, as processor.\n\
         2. Where a data subject sends a request to exercise their rights, the processor shall assist Customer within ten working days.\n",
    );
    assert_eq!(s.request_deadline, None);
    let s = read(
        "Privacy statement of Acme Books\n\n\
         We use your name and address to deliver your order.\n\
         You may send us a request to access or delete your data. We respond within two weeks.\n",
    );
    assert_eq!(s.request_deadline.as_deref(), Some("P2W"));
}

#[test]
fn a_tracker_sets_cookies_only_where_the_text_says_so() {
    let s = read(
        "Privacy statement of Acme Books\n\n\
         We use your name and address to deliver your order.\n\n\
         Follow us on Facebook for news about new books.\n\n\
         Cookies\n\n\
         Our website uses cookies. Google Analytics places a cookie to count visits.\n",
    );
    assert!(
        s.cookies.iter().any(|c| c == "Google Analytics"),
        "{:?}",
        s.cookies
    );
    assert!(
        !s.cookies.iter().any(|c| c == "Facebook"),
        "{:?}",
        s.cookies
    );
    assert!(
        s.recipients.iter().any(|c| c == "Facebook"),
        "{:?}",
        s.recipients
    );
}

#[test]
fn a_tracker_under_a_cookie_heading_sets_cookies() {
    let s = read(
        "Privacyverklaring van Webwinkel De Kast\n\n\
         Wij gebruiken uw naam en adres om uw bestelling te bezorgen.\n\n\
         Trackers op onze website\n\n\
         Wij meten het bezoek met Hotjar. Zo zien we welke pagina's worden gelezen.\n",
    );
    assert!(s.cookies.iter().any(|c| c == "Hotjar"), "{:?}", s.cookies);
}

#[test]
fn a_definition_of_special_categories_claims_none() {
    let s = read(
        "Privacyverklaring van Sportclub De Vaart\n\n\
         Wij verwerken uw naam en adres voor de ledenadministratie.\n\
         Bijzondere persoonsgegevens zijn gevoelige gegevens, zoals over godsdienst, politieke voorkeur of vakbondslidmaatschap. Die vragen wij niet standaard.\n\
         Voor deelname aan de zwemles noteren wij allergieën en andere gegevens over uw gezondheid.\n",
    );
    assert_eq!(s.special_categories, [SpecialCategory::Health]);
}

#[test]
fn a_category_named_as_processed_with_examples_counts() {
    let s = read(
        "Privacy statement of Acme Forum\n\n\
         If a message you post contains special categories of personal data such as religious beliefs or political opinions, we store it with the message.\n",
    );
    assert!(
        s.special_categories.contains(&SpecialCategory::Religious),
        "{:?}",
        s.special_categories
    );
}

#[test]
fn the_name_of_a_law_is_not_a_category() {
    let s = read(
        "Data processing agreement between Customer and Acme Cloud GmbH\n\n\
         1. The processor keeps professional secrets under the German Criminal Code and processes names and e-mail addresses only on instructions.\n",
    );
    assert!(
        !s.special_categories.contains(&SpecialCategory::Criminal),
        "{:?}",
        s.special_categories
    );
}

#[test]
fn the_people_a_processor_agreement_names_are_no_data() {
    let s = read(
        "Verwerkersovereenkomst Tuincentrum De Linde\n\n\
         Artikel 1 - Partijen\n\n\
         De dienst wordt geleverd door [naam leverancier], ingeschreven onder nummer [KvK-nummer], gevestigd te [adres].\n\n\
         Artikel 4 - Soorten persoonsgegevens en categorieën betrokkenen\n\n\
         4.1 Soorten persoonsgegevens:\n\
         - Naam\n\
         - Telefoonnummer\n\n\
         4.2 Categorieën betrokkenen:\n\
         - Vaste klanten van de winkel\n\
         - Bezorgers van leveranciers\n\n\
         Artikel 5 - Betrokkenen en gegevens\n\n\
         - Betrokkenen: bezoekers van de kas\n\
         - Gegevens: e-mailadres en klantnummer\n",
    );
    let d = &s.data_categories;
    assert!(d.iter().any(|x| x == "Naam"), "{d:?}");
    assert!(d.iter().any(|x| x.contains("klantnummer")), "{d:?}");
    for people in ["Vaste klanten", "Bezorgers", "bezoekers van de kas", "["] {
        assert!(!d.iter().any(|x| x.contains(people)), "{people}: {d:?}");
    }
}

#[test]
fn a_list_of_data_subjects_in_english_is_no_data() {
    let s = read(
        "Data Processing Agreement of Harbour Books Ltd\n\n\
         3. Categories of Data Subjects\n\n\
         3.1. The processing concerns the following categories of natural persons:\n\n\
         - Readers who borrow books\n\
         - Staff of the Client\n\n\
         4. Types of Personal Data\n\n\
         4.1. The processing concerns the following types of personal data:\n\n\
         - Name\n\
         - Email address\n",
    );
    let d = &s.data_categories;
    assert!(d.iter().any(|x| x == "Email address"), "{d:?}");
    assert!(!d.iter().any(|x| x.contains("Readers")), "{d:?}");
    assert!(!d.iter().any(|x| x.contains("Staff")), "{d:?}");
}

#[test]
fn the_other_party_to_a_contract_is_no_recipient() {
    let terms = read(
        "Algemene voorwaarden van Klusbedrijf Het Anker\n\n\
         Artikel 1 Definities\n\
         Opdrachtgever: iedere persoon die met Opdrachtnemer een overeenkomst aangaat.\n\n\
         Artikel 2 Betaling\n\
         De Opdrachtgever betaalt binnen 14 dagen na factuurdatum. Bij niet tijdige betaling is Opdrachtnemer gerechtigd de vordering uit handen te geven.\n\n\
         Artikel 3 Persoonsgegevens\n\
         Opdrachtnemer verstrekt persoonsgegevens uitsluitend aan de Opdrachtgever en aan een incassobureau als dat nodig is.\n",
    );
    let r = &terms.recipients;
    assert!(
        !r.iter().any(|x| x.eq_ignore_ascii_case("opdrachtgever")),
        "{r:?}"
    );
    assert!(r.iter().any(|x| x == "incassobureau"), "{r:?}");
    let statement = read(
        "Privacyverklaring van Uitzendbureau De Brug\n\n\
         Wij verwerken uw naam, e-mailadres en cv om u aan werk te helpen.\n\
         Wij delen uw cv met de opdrachtgever bij wie u kunt gaan werken, en met onze salarisadministrateur.\n",
    );
    let r = &statement.recipients;
    assert!(r.iter().any(|x| x == "opdrachtgever"), "{r:?}");
}

#[test]
fn a_basis_named_in_a_purposes_list_item_counts() {
    let s = read(
        "Privacyverklaring van Stichting Voedselbank Oost\n\n\
         Waarvoor gebruiken wij uw gegevens?\n\n\
         - Uitdelen van pakketten – uitvoering overeenkomst\n\
         - Nieuwsbrief voor vrijwilligers – gerechtvaardigd belang\n",
    );
    let b: Vec<String> = s
        .legal_bases
        .iter()
        .map(|b| format!("{b:?}").to_lowercase())
        .collect();
    assert!(b.iter().any(|x| x.contains("contract")), "{b:?}");
    assert!(b.iter().any(|x| x.contains("legitimate")), "{b:?}");
}

#[test]
fn general_terms_without_a_privacy_part_state_no_rights() {
    let s = read(
        "Algemene voorwaarden van Drukkerij De Pers\n\n\
         Artikel 1 Toepasselijkheid\n\
         1.1 Deze voorwaarden gelden voor iedere offerte en overeenkomst tussen Drukkerij De Pers en Opdrachtgever.\n\n\
         Artikel 2 Werken\n\
         2.1 Opdrachtgever mag het drukwerk na levering wijzigen of aanpassen.\n\
         2.2 De Pers mag de drukbestanden na een jaar verwijderen.\n\n\
         Artikel 3 Betaling\n\
         3.1 Opdrachtgever betaalt binnen 30 dagen na factuurdatum. De aansprakelijkheid van De Pers is beperkt tot het factuurbedrag.\n",
    );
    assert!(s.rights.is_empty(), "{:?}", s.rights);
}

#[test]
fn allergies_and_care_notes_are_health_data() {
    let s = read(
        "Verwerkersovereenkomst Kookstudio De Pan\n\n\
         Artikel 3 Gegevens\n\
         De verwerker verwerkt namens de kookstudio: naam, e-mailadres en eventuele allergieën van deelnemers aan een kookles.\n",
    );
    assert!(
        s.special_categories.contains(&SpecialCategory::Health),
        "{:?}",
        s.special_categories
    );
    let s = read(
        "Verwerkersovereenkomst Thuiszorg De Zorgzame Buur\n\n\
         Artikel 3 Gegevens\n\
         De verwerker slaat voor de zorgaanbieder namen van cliënten en zorginhoudelijke notities op.\n",
    );
    assert!(
        s.special_categories.contains(&SpecialCategory::Health),
        "{:?}",
        s.special_categories
    );
}

#[test]
fn a_platforms_company_is_not_the_controller() {
    let s = read(
        "Privacybeleid\n\n\
         Hockeyclub De Stok verwerkt gegevens van haar leden voor de ledenadministratie. \
         Hockeyclub De Stok deelt die gegevens niet met anderen.\n\
         Op de website van Hockeyclub De Stok worden cookies gebruikt voor statistieken. \
         Met Google Ireland Limited is daarvoor een verwerkersovereenkomst gesloten.\n",
    );
    let name = s.controller.name.unwrap_or_default();
    assert!(!name.contains("Ireland"), "{name}");
    assert!(!name.contains("Limited"), "{name}");
}

/// Without a legal form or a role sentence the controller is the most frequent proper name, but
/// not a word the text also writes in lower case ("Premium" beside "premium") and not a known
/// outside service; a name that appears in lower case only in an address still counts.
#[test]
fn the_controller_by_frequency_is_no_common_word_and_no_outside_service() {
    let s = read(
        "Privacy Policy\n\n\
         We at Orbitly care about your data. With a Premium plan, the Premium features and the \
         Premium support keep your notes on our servers, so do all Premium backups; a free plan \
         is no less premium for your privacy. We count app starts with Mixpanel, and Mixpanel and \
         Mixpanel alone sees them, as Mixpanel says. Write to privacy@orbitly.example with \
         questions for Orbitly, or ask Orbitly in the app.\n",
    );
    assert_eq!(s.controller.name.as_deref(), Some("Orbitly"));
}
