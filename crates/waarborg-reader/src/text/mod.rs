//! The text layer shared by [`crate::facts`] and [`crate::problems`]: what both read out of the
//! normalised text before either looks for meaning (numbers, durations, identifiers, lines and
//! sentences). Each part exists once; what it knows of a language is data under
//! `data/<lang>/`.

pub mod lists;
pub mod segments;
pub mod words;
