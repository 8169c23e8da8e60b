//! The text layer shared by [`crate::facts`] and [`crate::problems`]: what both read out of the
//! normalised text before either looks for meaning (numbers, durations, identifiers, lines and
//! sentences). Each part exists once; what it knows of a language is data under
//! `data/<lang>/`.
//!
//! - [`numbers`]: number words and their values, compounds included (`data/<lang>/numbers.toml`,
//!   which also holds the units of time and the KvK cue words);
//! - [`duration`]: durations ("veertien (30) dagen", "one calendar month") as [`Quantity`];
//! - [`identifiers`]: KvK (Chamber of Commerce) numbers.

pub mod duration;
pub mod identifiers;
pub mod numbers;

pub use duration::{Duration, DurationReader, Quantity, Unit};
pub use numbers::{Numbers, NumbersFile};
