#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! "om ... te <verb>" purposes run on to the end of their phrase, stop at a new clause, and a
//! clause that opens the sentence ends at its verb.

fn purposes(text: &str) -> Vec<String> {
    waarborg_reader::read_bytes("own.txt", text.as_bytes(), None)
        .unwrap()
        .summary
        .purposes
}

#[test]
fn om_te_clause_runs_to_the_end_of_its_phrase() {
    let p = purposes(
        "Privacyverklaring van De Fietsclub\n\nWij gebruiken uw gegevens zoals naam en e-mailadres om u te informeren over de ritten van dit seizoen. \
         Wij verwerken deze gegevens ook om vast te stellen dat u lid bent.\n\
         Om de veiligheid te borgen is er een bestuurslid aangewezen dat de gegevens beheert.\n",
    );
    assert!(
        p.iter()
            .any(|x| x == "om u te informeren over de ritten van dit seizoen"),
        "{p:?}"
    );
    // stops before "dat ...": a four-word clause, too short to be a purpose
    assert!(!p.iter().any(|x| x.contains("vast te stellen")), "{p:?}");
    assert!(!p.iter().any(|x| x.contains("bestuurslid")), "{p:?}");
}

#[test]
fn a_colon_after_data_words_introduces_data_not_purposes() {
    let p = purposes(
        "Privacyverklaring van Hockeyclub De Stok\n\n\
         Ten behoeve van de ledenadministratie leggen we per lid de volgende gegevens vast: naam, adres, geboortedatum en telefoonnummer.\n\
         Wij gebruiken uw gegevens voor de volgende doeleinden: het innen van de contributie; het indelen van teams.\n",
    );
    assert!(!p.iter().any(|x| x.contains("geboortedatum")), "{p:?}");
    assert!(
        p.iter().any(|x| x.contains("innen van de contributie")),
        "{p:?}"
    );
}

#[test]
fn a_clause_that_points_at_the_purposes_is_none() {
    let p = purposes(
        "Privacyverklaring van Hockeyclub De Stok\n\n\
         Wij verwerken uw gegevens alleen zolang dat nodig is om de hierboven genoemde doelen te kunnen realiseren.\n\
         Wij gebruiken uw gegevens om de wedstrijdschema's van uw team per week te versturen.\n",
    );
    assert!(!p.iter().any(|x| x.contains("doelen")), "{p:?}");
    assert!(p.iter().any(|x| x.contains("wedstrijdschema")), "{p:?}");
}

#[test]
fn clauses_and_denials_in_a_purposes_list_are_no_purposes() {
    let p = purposes(
        "Privacyverklaring van Hockeyclub De Stok\n\n\
         Waarvoor gebruiken wij uw gegevens\n\n\
         - het innen van de contributie\n\
         - het indelen van teams\n\
         - niet: het doorverkopen van adressen\n\
         - 2.1 Wij delen gegevens met de bond\n",
    );
    assert!(
        p.iter().any(|x| x.contains("innen van de contributie")),
        "{p:?}"
    );
    assert!(!p.iter().any(|x| x.contains("doorverkopen")), "{p:?}");
    assert!(!p.iter().any(|x| x.contains("bond")), "{p:?}");
}

#[test]
fn used_to_gives_the_purpose_itself() {
    let p = purposes(
        "Privacy policy of the Harbour Rowing Club\n\nIf you join our mailing list, the information you give will be used only to send you the club newsletter, and will not be shared.\n\
         Some information is also used to plan the boats for each training session.\n\
         Your data are used to it.\n",
    );
    assert!(
        p.iter().any(|x| x == "send you the club newsletter"),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|x| x == "plan the boats for each training session"),
        "{p:?}"
    );
    // one word is no purpose
    assert!(!p.iter().any(|x| x == "it"), "{p:?}");
}

#[test]
fn the_service_a_paragraph_describes_and_what_is_necessary_give_purposes() {
    let p = purposes(
        "Privacyverklaring van Zwemvereniging De Golf\n\n\
         Statistieken. Voor het tellen van bezoeken werken wij met een statistiekdienst. \
         Wij gebruiken deze dienst om bij te houden welke pagina's van de zwemroosters het vaakst worden gelezen.\n\n\
         Functionele cookies zijn noodzakelijk om de inschrijving voor zwemlessen goed te laten verlopen.\n",
    );
    assert!(
        p.iter()
            .any(|x| x.starts_with("om bij te houden welke pagina's")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|x| x.contains("inschrijving voor zwemlessen goed te laten verlopen")),
        "{p:?}"
    );
}

#[test]
fn an_address_used_only_for_one_thing_gives_that_purpose() {
    let p = purposes(
        "Privacy notice of the Riverside Rowing Club\n\n\
         If you join the club, your postal address will be used only to send the yearly membership card, and for nothing else.\n",
    );
    assert!(
        p.iter().any(|x| x == "send the yearly membership card"),
        "{p:?}"
    );
}

#[test]
fn definitions_and_the_persons_own_aim_are_no_purposes() {
    let p = purposes(
        "Privacy notice of the Riverside Rowing Club\n\n\
         For the purposes of this Privacy Notice:\n\n\
         - Member means a person who pays the yearly fee.\n\
         - Boat means a vessel the club owns.\n\n\
         In order to use our booking page for boats, you create an account with your name and email address.\n\
         We use your data to plan the rowing sessions and to send the newsletter.\n",
    );
    assert!(!p.iter().any(|x| x.contains("means")), "{p:?}");
    assert!(!p.iter().any(|x| x.contains("booking page")), "{p:?}");
    assert!(
        p.iter().any(|x| x.contains("plan the rowing sessions")),
        "{p:?}"
    );
}

#[test]
fn an_enumeration_of_purposes_keeps_asides_and_continuations_out() {
    let p = purposes(
        "Privacy notice of the Riverside Rowing Club\n\n\
         We may use your information to book your boat (including charging the boat fee, your receipt and the key deposit), \
         to evaluate a merger, or other transfer of club property, whether in whole or in part, and to improve the club website.\n",
    );
    assert!(p.iter().any(|x| x == "book your boat"), "{p:?}");
    assert!(!p.iter().any(|x| x.contains(')')), "{p:?}");
    assert!(!p.iter().any(|x| x.starts_with("or ")), "{p:?}");
    assert!(!p.iter().any(|x| x.starts_with("whether ")), "{p:?}");
    assert!(
        p.iter().any(|x| x.contains("improve the club website")),
        "{p:?}"
    );
}

#[test]
fn a_business_purposes_intro_introduces_recipients_not_purposes() {
    let p = purposes(
        "Privacy notice of the Riverside Rowing Club\n\n\
         We disclose your contact details to the following categories of third parties for business purposes: payment processors; hosting companies.\n",
    );
    assert!(!p.iter().any(|x| x.contains("payment processors")), "{p:?}");
}
