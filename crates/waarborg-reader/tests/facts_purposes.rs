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
