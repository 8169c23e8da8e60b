#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property tests standing in for the cargo-fuzz targets in `fuzz/` where no nightly cargo-fuzz
//! is installed: arbitrary bytes never panic the reader, and arbitrary text (random and
//! built from the words the detectors look for) gives only verbatim quotes.

use proptest::prelude::*;

const WORDS: &[&str] = &[
    "artikel",
    "32.2",
    "Privacy",
    "Shield",
    "Wbp",
    "VAR-verklaring",
    "veertien",
    "(30)",
    "dagen",
    "48",
    "uur",
    "7",
    "na",
    "beëindiging",
    "van",
    "de",
    "overeenkomst",
    "verwijderd",
    "bewaard",
    "alleen",
    "binnen",
    "Europese",
    "Unie",
    "Google",
    "Analytics",
    "Facebook",
    "cookies",
    "functionele",
    "toestemming",
    "akkoord",
    "website",
    "gebruikt",
    "€",
    "12,50",
    "verzoek",
    "kopie",
    "paspoort",
    "rechten",
    "inzien",
    "bezwaar",
    "Hamerweg",
    "12,",
    "3511",
    "AB",
    "Utrecht",
    "info@voorbeeld.nl",
    "info@voorbeeld2.nl",
    "We",
    "only",
    "use",
    "days",
    "fourteen",
    "(21)",
    "clause",
    "5.4",
    "\n",
    "\n\n",
    "1.",
    "- ",
    "•",
    ".",
    ",",
    "?",
    "Artikel 3",
    "ë",
    "ß",
];

fn text_from_words() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..300).prop_map(|w| w.join(" "))
}

fn verbatim(text: &str) {
    let collapsed = waarborg_reader::ingest::collapse_ws(text);
    for p in waarborg_reader::problems::detect_text(text, &Default::default()) {
        for q in &p.evidence {
            assert!(collapsed.contains(q.as_str()), "{}: {q:?}", p.rule);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        for hint in [None, Some(waarborg_reader::ingest::Format::Txt), Some(waarborg_reader::ingest::Format::Html)] {
            if let Ok(report) = waarborg_reader::read_bytes("prop", &bytes, hint) {
                let _ = waarborg_reader::output::json(&report);
                let _ = waarborg_reader::output::sarif(&[&report]);
                for lang in waarborg_policy::Lang::ALL {
                    let _ = waarborg_reader::output::html(&report, lang);
                    let _ = waarborg_reader::output::human(&report, false, lang);
                }
            }
        }
    }

    #[test]
    fn arbitrary_text_gives_verbatim_quotes(text in "\\PC{0,2000}") {
        verbatim(&text);
    }

    #[test]
    fn keyword_soup_gives_verbatim_quotes(text in text_from_words()) {
        verbatim(&text);
    }
}
