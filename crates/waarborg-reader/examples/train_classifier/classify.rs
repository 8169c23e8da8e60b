//! A statistical passage classifier for the GDPR Art. 13/14 items (English), as tried for issue
//! 13 item 4. It is a development tool, not part of the reader: cross-validated on the GDPR-T200
//! development documents it did not beat the keyword rules of `src/problems/notice.rs` (see
//! `RESULTS.md`), so the reader does not use it. It lives here, beside the training command, so
//! that the experiment can be repeated and wired in later if more labelled data changes the
//! verdict.
//!
//! A linear model scores every passage of a document for each of the GDPR-T200 requirement
//! labels ([`LABELS`]); a document's score for a label is the best passage's, and an item's score
//! is its label's (the lowest of several where the item needs all of them: 13(1)(a) name and
//! contact, 13(2)(b) the six rights). See [`ITEM_LABELS`].
//!
//! The model is logistic regression (one vs rest) over binary features of a passage: its words,
//! word bigrams and the words of the heading it stands under ([`features`]), scaled by one over
//! the square root of their number. Scoring is deterministic and hashes the features
//! ([`feature_hashes`]) so that no strings are built at run time.
//!
//! How the score is used per item ([`Mode`]): the rules alone, or the rules with the classifier
//! as a veto (`and`: missing only when the rules say so and the score is below the threshold),
//! or as a second opinion (`or`), or the classifier alone.

use std::collections::HashMap;

use thiserror::Error;

/// The 21 requirement labels of the GDPR-T200 annotations, in the model's order.
pub const LABELS: [&str; 21] = [
    "Controller Name",
    "Controller Contact",
    "DPO Contact",
    "Processing Purpose",
    "Legal Basis for Processing",
    "Legitimate Interests for Processing",
    "Data Recipients",
    "Third-country Transfers",
    "Data Retention Period",
    "Right to Access",           // GDPR Art. 15
    "Right to Rectification",    // GDPR Art. 16
    "Right to Erasure",          // GDPR Art. 17
    "Right to Restrict",         // GDPR Art. 18
    "Right to Object",           // GDPR Art. 21
    "Right to Portability",      // GDPR Art. 20
    "Right to Withdraw Consent", // GDPR Art. 7(3)
    "Right to Lodge Complaint",  // GDPR Art. 77
    "Mandatory Data Disclosure",
    "Automated Decision-Making",
    "Data Categories",
    "Source of Data",
];

/// The GDPR items and the labels (indexes into [`LABELS`]) that disclose them: an item is
/// disclosed when every one of its labels is.
pub const ITEM_LABELS: [(&str, &[usize]); 14] = [
    ("13(1)(a)", &[0, 1]),
    ("13(1)(b)", &[2]),
    ("13(1)(c)", &[4]),
    ("13(1)(d)", &[5]),
    ("13(1)(e)", &[6]),
    ("13(1)(f)", &[7]),
    ("13(2)(a)", &[8]),
    ("13(2)(b)", &[9, 10, 11, 12, 13, 14]),
    ("13(2)(c)", &[15]),
    ("13(2)(d)", &[16]),
    ("13(2)(e)", &[17]),
    ("13(2)(f)", &[18]),
    ("14(1)(d)", &[19]),
    ("14(2)(f)", &[20]),
];

/// A feature's name and its (label, weight) pairs.
pub type Weights = (String, Vec<(u8, f32)>);

/// How the classifier's score decides whether an item is missing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// The rules alone.
    Rules,
    /// Missing when the rules say so and the item's score is below the threshold.
    And(f32),
    /// Missing when the rules say so or the item's score is below the threshold.
    Or(f32),
    /// Missing when the item's score is below the threshold.
    Classifier(f32),
}

impl Mode {
    /// The decision for one item, given the rules' decision and the item's score.
    #[must_use]
    pub fn missing(self, rules_missing: bool, score: f32) -> bool {
        match self {
            Self::Rules => rules_missing,
            Self::And(t) => rules_missing && score < t,
            Self::Or(t) => rules_missing || score < t,
            Self::Classifier(t) => score < t,
        }
    }

    /// The mode as written in the model file (`rules`, `and 0.40`, ...).
    #[must_use]
    pub fn to_field(self) -> String {
        match self {
            Self::Rules => "rules".to_owned(),
            Self::And(t) => format!("and\t{t:.3}"),
            Self::Or(t) => format!("or\t{t:.3}"),
            Self::Classifier(t) => format!("clf\t{t:.3}"),
        }
    }
}

/// Why a model file could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ModelError {
    /// A line that does not follow the format.
    #[error("classifier model line {line}: {what}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        what: String,
    },
    /// The label list differs from [`LABELS`].
    #[error("classifier model: the labels differ from the reader's")]
    Labels,
}

/// A trained model: weights per feature and label, biases, and the decision per item.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Bias per label.
    bias: Vec<f32>,
    /// Feature hash → range into `weights`.
    index: HashMap<u64, (u32, u32)>,
    /// (label, weight) pairs, grouped by feature.
    weights: Vec<(u8, f32)>,
    /// The decision per item (the items of [`ITEM_LABELS`], in order).
    modes: Vec<Mode>,
}

impl Model {
    /// Builds a model from weights given by feature name (as [`features`] spells them), the
    /// biases and the modes per item.
    #[must_use]
    pub fn from_parts(
        bias: Vec<f32>,
        features: &[(String, Vec<(u8, f32)>)],
        modes: Vec<Mode>,
    ) -> Self {
        let mut m = Self {
            bias,
            modes,
            ..Self::default()
        };
        for (name, ws) in features {
            let start = u32::try_from(m.weights.len()).unwrap_or(u32::MAX);
            m.weights.extend(ws.iter().copied());
            let end = u32::try_from(m.weights.len()).unwrap_or(u32::MAX);
            m.index.insert(hash_str(name), (start, end));
        }
        m
    }

    /// Parses a model file (the format `examples/train_classifier.rs` writes):
    /// `labels` (tab-separated names), `bias` (one per label), `item ITEM MODE [THRESHOLD]`, and
    /// `f NAME LABEL:WEIGHT ...` lines; `#` starts a comment line.
    ///
    /// # Errors
    /// [`ModelError`] for a malformed line or labels other than [`LABELS`].
    pub fn parse(src: &str) -> Result<Self, ModelError> {
        let mut bias = Vec::new();
        let mut feats: Vec<Weights> = Vec::new();
        let mut modes = vec![Mode::Rules; ITEM_LABELS.len()];
        let mut labels_seen = false;
        for (n, line) in src.lines().enumerate() {
            let err = |what: &str| ModelError::Line {
                line: n + 1,
                what: what.to_owned(),
            };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            match cols.next() {
                Some("labels") => {
                    let got: Vec<&str> = cols.collect();
                    if got != LABELS {
                        return Err(ModelError::Labels);
                    }
                    labels_seen = true;
                }
                Some("bias") => {
                    bias = cols
                        .map(|c| c.parse::<f32>().map_err(|_| err("bad bias")))
                        .collect::<Result<_, _>>()?;
                    if bias.len() != LABELS.len() {
                        return Err(err("one bias per label expected"));
                    }
                }
                Some("item") => {
                    let item = cols.next().ok_or_else(|| err("item name missing"))?;
                    let pos = ITEM_LABELS
                        .iter()
                        .position(|(i, _)| *i == item)
                        .ok_or_else(|| err("unknown item"))?;
                    let mode = cols.next().ok_or_else(|| err("mode missing"))?;
                    let t = cols.next().map(str::parse::<f32>).transpose();
                    let t = t.map_err(|_| err("bad threshold"))?;
                    let mode = match (mode, t) {
                        ("rules", None) => Mode::Rules,
                        ("and", Some(t)) => Mode::And(t),
                        ("or", Some(t)) => Mode::Or(t),
                        ("clf", Some(t)) => Mode::Classifier(t),
                        _ => return Err(err("unknown mode or threshold")),
                    };
                    if let Some(m) = modes.get_mut(pos) {
                        *m = mode;
                    }
                }
                Some("f") => {
                    let name = cols.next().ok_or_else(|| err("feature name missing"))?;
                    let mut ws = Vec::new();
                    for c in cols {
                        let (l, w) = c
                            .split_once(':')
                            .ok_or_else(|| err("LABEL:WEIGHT expected"))?;
                        let l: u8 = l.parse().map_err(|_| err("bad label index"))?;
                        if usize::from(l) >= LABELS.len() {
                            return Err(err("label index out of range"));
                        }
                        let w: f32 = w.parse().map_err(|_| err("bad weight"))?;
                        ws.push((l, w));
                    }
                    feats.push((name.to_owned(), ws));
                }
                _ => return Err(err("unknown line kind")),
            }
        }
        if !labels_seen || bias.len() != LABELS.len() {
            return Err(ModelError::Line {
                line: 0,
                what: "labels and bias lines are required".to_owned(),
            });
        }
        Ok(Self::from_parts(bias, &feats, modes))
    }

    /// The number of features with weights.
    #[must_use]
    pub fn feature_count(&self) -> usize {
        self.index.len()
    }

    /// The decision for each item of [`ITEM_LABELS`], in order.
    #[must_use]
    pub fn modes(&self) -> &[Mode] {
        &self.modes
    }

    fn scores_of(&self, hashes: &[u64]) -> Vec<f32> {
        let mut s = self.bias.clone();
        let norm = 1.0 / (hashes.len().max(1) as f32).sqrt();
        for h in hashes {
            let Some(&(a, b)) = self.index.get(h) else {
                continue;
            };
            let range = usize::try_from(a).unwrap_or(0)..usize::try_from(b).unwrap_or(0);
            for (l, w) in self.weights.get(range).unwrap_or(&[]) {
                if let Some(x) = s.get_mut(usize::from(*l)) {
                    *x += w * norm;
                }
            }
        }
        s
    }

    /// A document's probability per label: the best passage's (see [`passages`]).
    #[must_use]
    pub fn label_scores(&self, text: &str) -> Vec<f32> {
        let mut best = vec![f32::NEG_INFINITY; LABELS.len()];
        let mut hashes = Vec::new();
        for p in passages(text) {
            hashes.clear();
            feature_hashes(p.text, p.heading, &mut hashes);
            for (b, s) in best.iter_mut().zip(self.scores_of(&hashes)) {
                if s > *b {
                    *b = s;
                }
            }
        }
        best.into_iter().map(sigmoid).collect()
    }

    /// A document's score per item of [`ITEM_LABELS`]: the lowest of its labels' scores.
    #[must_use]
    pub fn item_scores(&self, text: &str) -> Vec<f32> {
        items_from_labels(&self.label_scores(text))
    }
}

/// Item scores from label scores: for each item of [`ITEM_LABELS`], the lowest score of its
/// labels.
#[must_use]
pub fn items_from_labels(labels: &[f32]) -> Vec<f32> {
    ITEM_LABELS
        .iter()
        .map(|(_, ls)| {
            ls.iter()
                .map(|l| labels.get(*l).copied().unwrap_or(0.0))
                .fold(1.0_f32, f32::min)
        })
        .collect()
}

/// The logistic function.
#[must_use]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// A passage of a document: a non-empty line (without a list bullet) and the heading it stands
/// under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passage<'a> {
    /// The passage's text.
    pub text: &'a str,
    /// The nearest heading line before it, if any.
    pub heading: Option<&'a str>,
    /// Whether the passage is itself a heading line.
    pub is_heading: bool,
}

/// Whether a line looks like a heading: short, no sentence end.
#[must_use]
pub fn is_heading(line: &str) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().count();
    !t.is_empty()
        && words <= 12
        && t.len() <= 100
        && !t.starts_with("- ")
        && !t.ends_with(['.', ',', ';', '!', '?'])
        && t.chars().any(char::is_alphabetic)
}

/// The passages of a text: its non-empty lines, list bullets (`- `) taken off, each with the
/// nearest heading line before it.
#[must_use]
pub fn passages(text: &str) -> Vec<Passage<'_>> {
    let mut out = Vec::new();
    let mut heading: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let body = t.strip_prefix("- ").unwrap_or(t).trim();
        if body.is_empty() {
            continue;
        }
        let h = is_heading(t);
        out.push(Passage {
            text: body,
            heading: if h { None } else { heading },
            is_heading: h,
        });
        if h {
            heading = Some(t);
        }
    }
    out
}

/// Lower-cased word tokens: runs of letters and digits, every digit written `0`.
fn tokens(text: &str, out: &mut Vec<String>) {
    out.clear();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_numeric() {
                cur.push('0');
            } else {
                cur.extend(c.to_lowercase());
            }
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
}

/// The most tokens of a passage that count (a longer passage is read up to here).
const MAX_TOKENS: usize = 400;

/// The features of a passage by name: `w:WORD`, `b:WORD_WORD` (adjacent words), `h:WORD` (a
/// word of the heading), each once.
#[must_use]
pub fn features(passage: &str, heading: Option<&str>) -> Vec<String> {
    let mut toks = Vec::new();
    let mut out = Vec::new();
    tokens(passage, &mut toks);
    toks.truncate(MAX_TOKENS);
    for (i, t) in toks.iter().enumerate() {
        out.push(format!("w:{t}"));
        if let Some(n) = toks.get(i + 1) {
            out.push(format!("b:{t}_{n}"));
        }
    }
    if let Some(h) = heading {
        tokens(h, &mut toks);
        toks.truncate(MAX_TOKENS);
        for t in &toks {
            out.push(format!("h:{t}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The hashes of [`features`] (the same set, without building the names).
pub fn feature_hashes(passage: &str, heading: Option<&str>, out: &mut Vec<u64>) {
    let mut toks = Vec::new();
    tokens(passage, &mut toks);
    toks.truncate(MAX_TOKENS);
    for (i, t) in toks.iter().enumerate() {
        out.push(Fnv::new().write(b"w:").write(t.as_bytes()).finish());
        if let Some(n) = toks.get(i + 1) {
            out.push(
                Fnv::new()
                    .write(b"b:")
                    .write(t.as_bytes())
                    .write(b"_")
                    .write(n.as_bytes())
                    .finish(),
            );
        }
    }
    if let Some(h) = heading {
        tokens(h, &mut toks);
        toks.truncate(MAX_TOKENS);
        for t in &toks {
            out.push(Fnv::new().write(b"h:").write(t.as_bytes()).finish());
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// The hash of a feature name.
#[must_use]
pub fn hash_str(name: &str) -> u64 {
    Fnv::new().write(name.as_bytes()).finish()
}

/// FNV-1a, 64 bits (streaming: the hash of pieces equals the hash of their concatenation).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn write(mut self, bytes: &[u8]) -> Self {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    fn finish(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_names() {
        let p = "We keep your e-mail address for 2 years.";
        let names = features(p, Some("How long we keep it"));
        let mut want: Vec<u64> = names.iter().map(|n| hash_str(n)).collect();
        want.sort_unstable();
        let mut got = Vec::new();
        feature_hashes(p, Some("How long we keep it"), &mut got);
        assert_eq!(got, want);
        assert!(names.contains(&"b:for_0".to_owned()));
        assert!(names.contains(&"h:long".to_owned()));
    }

    #[test]
    fn passages_and_headings() {
        let text = "Your choices\n\nYou may ask us for a copy.\n- a list entry here.\n";
        let ps = passages(text);
        assert_eq!(ps.len(), 3);
        assert!(ps[0].is_heading);
        assert_eq!(ps[1].heading, Some("Your choices"));
        assert_eq!(ps[2].text, "a list entry here.");
    }

    #[test]
    fn modes_decide() {
        assert!(Mode::And(0.5).missing(true, 0.2));
        assert!(!Mode::And(0.5).missing(true, 0.7));
        assert!(!Mode::And(0.5).missing(false, 0.1));
        assert!(Mode::Or(0.5).missing(false, 0.1));
        assert!(Mode::Classifier(0.5).missing(false, 0.1));
        assert!(Mode::Rules.missing(true, 0.9));
    }

    #[test]
    fn parse_rejects_bad_files() {
        assert!(Model::parse("").is_err());
        assert!(matches!(
            Model::parse("labels\tA\n"),
            Err(ModelError::Labels)
        ));
    }
}
