//! Facts with spans: what a document says, each fact with the byte range in
//! [`Document::text`](crate::ingest::Document::text) it rests on.
//!
//! Everything language-specific (phrases, month names, services) is data in
//! `crates/waarborg-reader/data/` (see [`lexicon`]; numbers, units and durations are read by the
//! shared [`crate::text`] layer); the code here only combines lexicon hits, patterns, sentences
//! and lists. Call [`extract`].

pub mod lexicon;
pub mod sections;

mod extract;

use std::ops::Range;

pub use crate::text::{Duration, Quantity, Unit};

use crate::summary::{DocType, Lang, LegalBasis, Right, SpecialCategory};

pub use extract::extract;

/// A value found in the text, with the byte range it rests on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Found<T> {
    /// The value.
    pub value: T,
    /// Byte range in the document text (the phrase, or the sentence for derived values).
    pub span: Range<usize>,
}

impl<T> Found<T> {
    /// Wraps a value and its span.
    pub fn new(value: T, span: Range<usize>) -> Self {
        Self { value, span }
    }
}

/// A retention statement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Retention {
    /// Which data or which people, as in the text (best effort).
    pub what: String,
    /// The period, when the text gives a number.
    pub period: Option<Duration>,
    /// The sentence it rests on.
    pub span: Range<usize>,
    /// The duration phrase itself, when there is one.
    pub period_span: Option<Range<usize>>,
}

/// Transfers outside the EEA.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Transfer {
    /// Whether transfers outside the EEA (or where data are processed) are mentioned.
    pub mentioned: bool,
    /// The mechanism named (`Privacy Shield`, `standard contractual clauses`, ...).
    pub mechanism: Option<Found<String>>,
    /// The phrases that mention a transfer.
    pub mentions: Vec<Range<usize>>,
}

/// Contract terms.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TermsFacts {
    /// Payment term.
    pub payment_term: Option<Found<Duration>>,
    /// Notice period.
    pub notice_period: Option<Found<Duration>>,
    /// Automatic renewal (true when a renewal clause is found).
    pub auto_renewal: Option<Found<bool>>,
    /// Liability cap as written.
    pub liability_cap: Option<Found<String>>,
    /// Competent court as written.
    pub jurisdiction: Option<Found<String>>,
    /// Governing law as written.
    pub governing_law: Option<Found<String>>,
    /// Breach-notification deadline.
    pub breach_notification: Option<Found<Duration>>,
}

/// All facts of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Facts {
    /// Kind of document.
    pub doc_type: DocType,
    /// Which kinds of text the document contains (more than one for `mixed`).
    pub parts: Vec<DocType>,
    /// Language.
    pub language: Lang,
    /// Controller (or supplier) name as written.
    pub controller_name: Option<Found<String>>,
    /// Every KvK number as written (value: digits only).
    pub kvk: Vec<Found<String>>,
    /// Every postal address (value: as written, white space collapsed).
    pub addresses: Vec<Found<String>>,
    /// Every postcode (`1234 AB`) as written, also those outside full addresses.
    pub postcodes: Vec<Found<String>>,
    /// Every e-mail address as written.
    pub emails: Vec<Found<String>>,
    /// Every phone number as written.
    pub phones: Vec<Found<String>>,
    /// Privacy officer / DPO mention.
    pub privacy_contact: Option<Found<String>>,
    /// Personal data named, as written.
    pub data_categories: Vec<Found<String>>,
    /// Special categories named (not in a negated sentence).
    pub special_categories: Vec<Found<SpecialCategory>>,
    /// Purposes as written.
    pub purposes: Vec<Found<String>>,
    /// Legal bases named.
    pub legal_bases: Vec<Found<LegalBasis>>,
    /// Retention statements.
    pub retention: Vec<Retention>,
    /// Every duration in the text ("veertien (30) dagen" keeps both numbers).
    pub durations: Vec<Quantity>,
    /// Recipients: named services and recipient categories, as written (services by their
    /// canonical name).
    pub recipients: Vec<Found<String>>,
    /// Cookies and trackers named.
    pub cookies: Vec<Found<String>>,
    /// Transfers outside the EEA.
    pub transfer: Transfer,
    /// Rights listed.
    pub rights: Vec<Found<Right>>,
    /// Deadline for answering data-subject requests.
    pub request_deadline: Option<Found<Duration>>,
    /// The sentence that mentions the right to complain to a supervisory authority.
    pub complaint_authority: Option<Found<String>>,
    /// Sentences about cookies.
    pub cookie_sentences: Vec<Range<usize>>,
    /// Last-updated / in-force date, `YYYY-MM-DD`.
    pub last_updated: Option<Found<String>>,
    /// Contract terms.
    pub terms: TermsFacts,
}
