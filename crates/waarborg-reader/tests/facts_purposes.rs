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
