#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Plain language, measured: the rendered statement of every example in Dutch and English is
//! scored for average sentence length, average word length in syllables, and reading ease
//! (Flesch–Douma for Dutch, Flesch for English). The figures are printed
//! (`cargo test -p waarborg-policy --test readability -- --nocapture`) and held to B1-level
//! bounds, so a wording change that makes the texts harder fails here.

mod common;
use common::{EXAMPLES, example};

use waarborg_policy::Lang;
use waarborg_policy::render::{Format, Options, What, render_with};

/// Syllables of a word: groups of vowels (Dutch `ij` counts as one vowel; a final silent `e` in
/// English is not counted).
fn syllables(word: &str, lang: Lang) -> usize {
    let w = word.to_lowercase().replace("ij", "y");
    let vowel = |c: char| "aeiouyàáâäèéêëìíîïòóôöùúûü".contains(c);
    let mut n = 0;
    let mut prev = false;
    for c in w.chars() {
        let v = vowel(c);
        if v && !prev {
            n += 1;
        }
        prev = v;
    }
    if lang == Lang::En && w.ends_with('e') && !w.ends_with("le") && n > 1 {
        n -= 1;
    }
    n.max(1)
}

/// The prose of a Markdown statement: headings, paragraphs and list items, each a unit that
/// ends a sentence; tables, links' addresses, e-mail addresses and web addresses left out.
fn prose(md: &str) -> Vec<String> {
    let mut units = Vec::new();
    for line in md.lines() {
        let l = line.trim();
        // Headings are not sentences; tables and the draft banner are not prose.
        if l.is_empty() || l.starts_with('|') || l.starts_with('>') || l.starts_with('#') {
            continue;
        }
        let l = l.trim_start_matches(['#', '-', ' ']);
        // Link targets and addresses are not words a person reads aloud.
        let words: Vec<&str> = l
            .split_whitespace()
            .filter(|w| {
                !w.contains('@') && !w.contains("://") && !w.contains("](") && !w.starts_with('(')
            })
            .collect();
        if !words.is_empty() {
            units.push(words.join(" "));
        }
    }
    units
}

struct Figures {
    sentences: usize,
    words: usize,
    syllables: usize,
    long_sentences: usize,
}

fn measure(md: &str, lang: Lang) -> Figures {
    let mut f = Figures {
        sentences: 0,
        words: 0,
        syllables: 0,
        long_sentences: 0,
    };
    for unit in prose(md) {
        // Sentences end at `.`, `?` or `!` followed by a space, or at the end of a unit.
        let mut sentence_words = 0;
        for token in unit.split_whitespace() {
            let word: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
            if !word.is_empty() {
                f.words += 1;
                sentence_words += 1;
                f.syllables += syllables(&word, lang);
            }
            if token.ends_with(['.', '?', '!']) && sentence_words > 0 {
                f.sentences += 1;
                if sentence_words > 25 {
                    f.long_sentences += 1;
                }
                sentence_words = 0;
            }
        }
        if sentence_words > 0 {
            f.sentences += 1;
            if sentence_words > 25 {
                f.long_sentences += 1;
            }
        }
    }
    f
}

impl Figures {
    fn words_per_sentence(&self) -> f64 {
        self.words as f64 / self.sentences.max(1) as f64
    }

    fn syllables_per_word(&self) -> f64 {
        self.syllables as f64 / self.words.max(1) as f64
    }

    /// Flesch–Douma (Dutch) or Flesch reading ease (English): higher is easier; 60–70 is plain.
    fn reading_ease(&self, lang: Lang) -> f64 {
        match lang {
            Lang::Nl => {
                206.835 - 0.93 * self.words_per_sentence() - 77.0 * self.syllables_per_word()
            }
            Lang::En => {
                206.835 - 1.015 * self.words_per_sentence() - 84.6 * self.syllables_per_word()
            }
        }
    }
}

#[test]
fn statements_read_at_b1_level() {
    let draft = Options {
        draft: true,
        templates: None,
    };
    println!(
        "example         lang  sentences  words/sentence  syllables/word  reading ease  >25 words"
    );
    for name in EXAMPLES {
        let p = example(name);
        for lang in [Lang::Nl, Lang::En] {
            let md = render_with(&p, What::Statement, lang, Format::Markdown, &draft).unwrap();
            let f = measure(&md, lang);
            let ease = f.reading_ease(lang);
            println!(
                "{name:<15} {:<5} {:>9}  {:>14.1}  {:>14.2}  {:>12.1}  {:>9}",
                lang.code(),
                f.sentences,
                f.words_per_sentence(),
                f.syllables_per_word(),
                ease,
                f.long_sentences
            );
            assert!(
                f.sentences > 40,
                "{name} {lang:?}: too little text measured"
            );
            assert!(
                f.words_per_sentence() <= 14.0,
                "{name} {lang:?}: {:.1} words per sentence",
                f.words_per_sentence()
            );
            let floor = match lang {
                Lang::Nl => 50.0,
                Lang::En => 60.0,
            };
            assert!(
                ease >= floor,
                "{name} {lang:?}: reading ease {ease:.1} < {floor}"
            );
        }
    }
}

#[test]
fn the_measure_tells_plain_from_hard() {
    // The measure itself: a plain B1 text scores higher than legal prose.
    let plain = measure(
        "Wij bewaren uw naam twee jaar. Daarna wissen wij hem. U mag altijd vragen wat wij weten.",
        Lang::Nl,
    );
    let hard = measure(
        "Verwerkingsverantwoordelijke draagt zorg voor passende technische en organisatorische beveiligingsmaatregelen overeenkomstig de toepasselijke wetgeving inzake gegevensbescherming.",
        Lang::Nl,
    );
    assert!(
        plain.reading_ease(Lang::Nl) > 80.0,
        "{}",
        plain.reading_ease(Lang::Nl)
    );
    assert!(
        hard.reading_ease(Lang::Nl) < 20.0,
        "{}",
        hard.reading_ease(Lang::Nl)
    );
    assert_eq!(syllables("gegevens", Lang::Nl), 3);
    assert_eq!(syllables("bijzondere", Lang::Nl), 4);
    assert_eq!(syllables("privacy", Lang::En), 3);
    assert_eq!(syllables("use", Lang::En), 1);
}
