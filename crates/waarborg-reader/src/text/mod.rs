//! The text layer shared by [`crate::facts`] and [`crate::problems`]: what both read out of the
//! normalised text before either looks for meaning (numbers, durations, identifiers, lines and
//! sentences). Each part exists once; what it knows of a language is data under
//! `data/<lang>/`.
//!
//! - [`numbers`]: number words and their values, compounds included (`data/<lang>/numbers.toml`,
//!   which also holds the units of time and the KvK cue words);
//! - [`duration`]: durations ("veertien (30) dagen", "one calendar month") as [`Quantity`];
//! - [`identifiers`]: KvK (Chamber of Commerce) numbers;
//! - [`segments`]: lines, headings and sentences, split once per document (`data/<lang>/text.toml`
//!   holds the abbreviations that do not end a sentence); [`lists`]: lists and their intros;
//!   [`words`]: runs of letters;
//! - [`pattern`]: how every regular expression of the reader is parsed and compiled (large
//!   character classes read by blocks above U+07FF);
//! - [`automaton`]: an Aho-Corasick DFA stepped a byte at a time, for the whole-text scans.

pub mod automaton;
pub mod data;
pub mod duration;
pub mod identifiers;
pub mod lists;
pub mod numbers;
pub mod pattern;
pub mod segments;
pub mod words;

pub use duration::{Duration, DurationReader, Quantity, Unit};
pub use numbers::{Numbers, NumbersFile};
