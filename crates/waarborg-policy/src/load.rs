//! Loading a register from TOML, with errors that name file, line and column, say what was
//! expected and how to fix it.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::fideslang;
use crate::model::{HasId, Policy};
use crate::source::{Location, Source};

/// The kind of a loading problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The text is not valid TOML.
    Syntax,
    /// A key that the register format does not know.
    UnknownKey,
    /// A required key is missing.
    MissingKey,
    /// A value has the wrong type or form (including durations and dates).
    InvalidValue,
    /// A data category that is not a fideslang key.
    UnknownDataCategory,
    /// An id that refers to nothing.
    UnknownReference,
    /// Two items with the same id.
    DuplicateId,
}

/// One problem found while loading.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Where, when known.
    pub location: Option<Location>,
    /// The rustc-style rendering with the source line.
    #[serde(skip)]
    pub rendered: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered)
    }
}

/// Why a register could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error(
        "cannot read register `{path}`: {source}; check the path and that the file is readable"
    )]
    Read {
        /// The path as given.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but is not a valid register.
    #[error("{}", render_problems(.path, .problems))]
    Invalid {
        /// The path as given.
        path: String,
        /// Every problem found (at least one).
        problems: Vec<Problem>,
    },
}

impl LoadError {
    /// The problems found (empty for a read error).
    pub fn problems(&self) -> &[Problem] {
        match self {
            LoadError::Read { .. } => &[],
            LoadError::Invalid { problems, .. } => problems,
        }
    }
}

fn render_problems(path: &str, problems: &[Problem]) -> String {
    let mut out = format!(
        "`{path}` is not a valid register ({} problem{})",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        out.push_str("\n\n");
        out.push_str(&p.rendered);
    }
    out
}

/// A register together with its source text (for diagnostics with locations).
#[derive(Clone, Debug)]
pub struct PolicyDocument {
    /// The register.
    pub policy: Policy,
    /// The text it was loaded from.
    pub source: Source,
}

/// Loads and validates a register file.
pub fn load_file(path: impl AsRef<Path>) -> Result<Policy, LoadError> {
    load_document(path).map(|d| d.policy)
}

/// Loads and validates a register file, keeping its source for diagnostics.
pub fn load_document(path: impl AsRef<Path>) -> Result<PolicyDocument, LoadError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
        path: name.clone(),
        source,
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => document_from_toml_str(&text, &name),
        Err(e) => Err(not_utf8(&name, e.as_bytes(), e.utf8_error())),
    }
}

/// The error for a file that is not UTF-8 text (binary data, or Latin-1 / Windows-1252): where
/// the first invalid byte is, and how to fix it.
fn not_utf8(name: &str, bytes: &[u8], err: std::str::Utf8Error) -> LoadError {
    let at = err.valid_up_to();
    let byte = bytes.get(at).copied().unwrap_or(0);
    // The text up to the bad byte is valid, so its offsets are the same in the lossy copy.
    let source = Source::new(name, String::from_utf8_lossy(bytes).into_owned());
    let end = at + '\u{FFFD}'.len_utf8();
    let location = Some(source.location(at..end));
    let problem = make_problem(
        &source,
        ProblemKind::Syntax,
        format!("the file is not UTF-8 text: byte 0x{byte:02X} cannot start a UTF-8 character"),
        Some(
            "a register is TOML, which must be UTF-8: save the file as UTF-8 (not Latin-1 or \
             Windows-1252), and check that it is the register and not a binary file"
                .to_owned(),
        ),
        location,
    );
    LoadError::Invalid {
        path: name.to_owned(),
        problems: vec![problem],
    }
}

/// Parses and validates a register from TOML text; `path_name` is used in messages.
pub fn from_toml_str(src: &str, path_name: &str) -> Result<Policy, LoadError> {
    document_from_toml_str(src, path_name).map(|d| d.policy)
}

/// Like [`from_toml_str`], keeping the source for diagnostics.
pub fn document_from_toml_str(src: &str, path_name: &str) -> Result<PolicyDocument, LoadError> {
    let source = Source::new(path_name, src);
    if src.trim().is_empty() {
        return Err(LoadError::Invalid {
            path: path_name.to_owned(),
            problems: vec![make_problem(
                &source,
                ProblemKind::MissingKey,
                "the register is empty".to_owned(),
                Some(
                    "a register needs at least `[statement]` (version, effective_date) and \
                     `[controller]` (name); start from the annotated example in docs/policy.md"
                        .to_owned(),
                ),
                None,
            )],
        });
    }
    let policy: Policy = match toml::from_str(src) {
        Ok(p) => p,
        Err(e) => {
            return Err(LoadError::Invalid {
                path: path_name.to_owned(),
                problems: vec![problem_from_toml(&source, &e)],
            });
        }
    };
    let problems = validate(&policy, &source);
    if problems.is_empty() {
        Ok(PolicyDocument { policy, source })
    } else {
        Err(LoadError::Invalid {
            path: path_name.to_owned(),
            problems,
        })
    }
}

fn make_problem(
    source: &Source,
    kind: ProblemKind,
    message: String,
    help: Option<String>,
    location: Option<Location>,
) -> Problem {
    let mut rendered = format!("error: {message}\n");
    match &location {
        Some(loc) => rendered.push_str(&source.snippet(loc, "")),
        None => rendered.push_str(&format!("  --> {}", source.name())),
    }
    if let Some(h) = &help {
        let pad = " ".repeat(
            location
                .as_ref()
                .map(|l| l.line.to_string().len() + 1)
                .unwrap_or(2),
        );
        rendered.push_str(&format!("\n{pad}= help: {h}"));
    }
    Problem {
        kind,
        message,
        help,
        location,
        rendered,
    }
}

fn problem_from_toml(source: &Source, e: &toml::de::Error) -> Problem {
    let msg = e.message().trim().to_owned();
    let location = e.span().map(|s| source.location(s));
    let (kind, help) = if msg.starts_with("unknown field") {
        (ProblemKind::UnknownKey, Some(unknown_key_help(&msg)))
    } else if msg.starts_with("missing field") {
        let field = msg.split('`').nth(1).unwrap_or("it");
        let help = if matches!(field, "statement" | "controller") {
            format!("add a `[{field}]` table (see the annotated example in docs/policy.md)")
        } else {
            format!("add `{field} = ...` to this table (see docs/policy.md)")
        };
        (ProblemKind::MissingKey, Some(help))
    } else if msg.contains("unknown variant") {
        (
            ProblemKind::InvalidValue,
            Some("use one of the values listed above".to_owned()),
        )
    } else if msg.contains("ISO 8601") || msg.contains("YYYY-MM-DD") || msg.contains("invalid type")
    {
        (
            ProblemKind::InvalidValue,
            Some("change the value to the expected form".to_owned()),
        )
    } else if looks_like_syntax(&msg) {
        (
            ProblemKind::Syntax,
            Some(
                "fix the TOML syntax here (quotes around strings, `key = value`, closed brackets)"
                    .to_owned(),
            ),
        )
    } else {
        (ProblemKind::InvalidValue, None)
    };
    make_problem(source, kind, msg, help, location)
}

/// "did you mean" for an unknown key, from the list of expected keys in toml's message.
fn unknown_key_help(msg: &str) -> String {
    let mut ticks = msg.split('`').skip(1).step_by(2);
    let typed = ticks.next().unwrap_or("");
    let best = ticks
        .map(|k| (k, strsim::jaro_winkler(typed, k)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|(_, s)| *s > 0.8);
    match best {
        Some((k, _)) => {
            format!("did you mean `{k}`? Otherwise remove this key (see docs/policy.md)")
        }
        None => "remove this key or fix its spelling; the keys allowed here are listed above \
                 (see docs/policy.md)"
            .to_owned(),
    }
}

fn looks_like_syntax(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    [
        "expected",
        "invalid",
        "unclosed",
        "duplicate key",
        "unexpected",
        "missing",
    ]
    .iter()
    .any(|w| m.contains(w))
}

struct Checker<'a> {
    source: &'a Source,
    problems: Vec<Problem>,
    /// The ids of each list referred to (keyed by the list's address and length), built once:
    /// a check per reference instead of a scan of the list.
    known: std::collections::HashMap<(usize, usize), std::collections::HashSet<String>>,
    /// Unknown references given a did-you-mean (a scan of the list each); after
    /// [`SUGGESTIONS`] the rest get the plain message, so a file full of wrong ids stays linear.
    suggested: usize,
}

/// How many unknown references get a did-you-mean or the list of ids.
const SUGGESTIONS: usize = 50;

impl Checker<'_> {
    fn push(&mut self, kind: ProblemKind, path: &str, message: String, help: Option<String>) {
        let loc = self.source.locate(path);
        self.problems
            .push(make_problem(self.source, kind, message, help, loc));
    }

    fn unique<T: HasId>(&mut self, list: &str, items: &[T]) {
        let mut seen = HashSet::new();
        for (i, item) in items.iter().enumerate() {
            if item.id().trim().is_empty() {
                self.push(
                    ProblemKind::InvalidValue,
                    &format!("{list}[{i}].id"),
                    format!("`{list}` item {} has an empty id", i + 1),
                    Some("give every item a short, stable id such as `orders`".into()),
                );
            } else if !seen.insert(item.id()) {
                self.push(
                    ProblemKind::DuplicateId,
                    &format!("{list}[{i}].id"),
                    format!("the id `{}` is used twice in `{list}`", item.id()),
                    Some("ids must be unique within a list; rename one of them".into()),
                );
            }
        }
    }

    fn refs<T: HasId>(&mut self, path: &str, ids: &[String], target: &str, items: &[T]) {
        for (i, id) in ids.iter().enumerate() {
            self.reference(&format!("{path}[{i}]"), id, target, items);
        }
    }

    fn reference<T: HasId>(&mut self, path: &str, id: &str, target: &str, items: &[T]) {
        let ids = self
            .known
            .entry((items.as_ptr() as usize, items.len()))
            .or_insert_with(|| items.iter().map(|t| t.id().to_string()).collect());
        if ids.contains(id) {
            return;
        }
        self.suggested += 1;
        if self.suggested > SUGGESTIONS {
            self.push(
                ProblemKind::UnknownReference,
                path,
                format!("`{id}` is not the id of any item in `{target}`"),
                None,
            );
            return;
        }
        let known: Vec<&str> = items.iter().map(HasId::id).collect();
        let close = known
            .iter()
            .copied()
            .max_by(|a, b| strsim::jaro_winkler(id, a).total_cmp(&strsim::jaro_winkler(id, b)))
            .filter(|k| strsim::jaro_winkler(id, k) > 0.8);
        let help = match close {
            Some(k) => format!("did you mean `{k}`?"),
            None if known.is_empty() => format!("add a `[[{target}]]` item with id `{id}`"),
            None => format!(
                "use one of the ids in `{target}`: {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.push(
            ProblemKind::UnknownReference,
            path,
            format!("`{id}` is not the id of any item in `{target}`"),
            Some(help),
        );
    }
}

/// Checks ids, references and data-category keys; returns every problem found.
fn validate(p: &Policy, source: &Source) -> Vec<Problem> {
    let mut c = Checker {
        source,
        problems: Vec::new(),
        known: std::collections::HashMap::new(),
        suggested: 0,
    };
    c.unique("subjects", &p.subjects);
    c.unique("data", &p.data);
    c.unique("purposes", &p.purposes);
    c.unique("retention", &p.retention);
    c.unique("legal_holds", &p.legal_holds);
    c.unique("recipients", &p.recipients);
    c.unique("cookies", &p.cookies);
    c.unique("automated_decisions", &p.automated_decisions);
    c.unique("security", &p.security);
    c.unique("processor_activities", &p.processor_activities);

    for (i, d) in p.data.iter().enumerate() {
        if !fideslang::is_known(&d.category) {
            let help = match fideslang::suggest(&d.category) {
                Some(s) => format!("did you mean `{s}`? Use a fideslang data category key"),
                None => "use a fideslang data category key such as `user.contact.email` \
                         (the list is in docs/policy.md)"
                    .to_owned(),
            };
            c.push(
                ProblemKind::UnknownDataCategory,
                &format!("data[{i}].category"),
                format!("`{}` is not a fideslang data category", d.category),
                Some(help),
            );
        }
    }
    for (i, pu) in p.purposes.iter().enumerate() {
        c.refs(&format!("purposes[{i}].data"), &pu.data, "data", &p.data);
        c.refs(
            &format!("purposes[{i}].subjects"),
            &pu.subjects,
            "subjects",
            &p.subjects,
        );
        c.refs(
            &format!("purposes[{i}].recipients"),
            &pu.recipients,
            "recipients",
            &p.recipients,
        );
        if let Some(r) = pu.consent.as_ref().and_then(|c| c.recipient.as_ref()) {
            c.reference(
                &format!("purposes[{i}].consent.recipient"),
                r,
                "recipients",
                &p.recipients,
            );
        }
    }
    for (i, r) in p.retention.iter().enumerate() {
        if let Some(pu) = &r.purpose {
            c.reference(
                &format!("retention[{i}].purpose"),
                pu,
                "purposes",
                &p.purposes,
            );
        }
        c.refs(&format!("retention[{i}].data"), &r.data, "data", &p.data);
        if r.purpose.is_none() && r.data.is_empty() {
            c.push(
                ProblemKind::MissingKey,
                &format!("retention[{i}]"),
                format!("retention rule `{}` applies to nothing", r.id),
                Some("add `purpose = \"...\"` and/or `data = [\"...\"]`".into()),
            );
        }
    }
    for (i, h) in p.legal_holds.iter().enumerate() {
        c.refs(&format!("legal_holds[{i}].data"), &h.data, "data", &p.data);
        c.refs(
            &format!("legal_holds[{i}].purposes"),
            &h.purposes,
            "purposes",
            &p.purposes,
        );
    }
    for (i, r) in p.recipients.iter().enumerate() {
        let code = r.country.trim();
        let two_letters = code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic());
        if !two_letters {
            // "USA" or "Nederland" would be read as an unknown country outside the EEA, and the
            // transfer rules would misfire (WB006 says the DPF "only covers the US").
            let hint = match code.to_ascii_lowercase().as_str() {
                "usa" | "united states" | "verenigde staten" => " (`US` for the United States)",
                "nederland" | "netherlands" | "nld" => " (`NL` for the Netherlands)",
                "uk" | "united kingdom" | "gbr" => " (`GB` for the United Kingdom)",
                _ => "",
            };
            c.push(
                ProblemKind::InvalidValue,
                &format!("recipients[{i}].country"),
                format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
                Some(format!(
                    "write the two-letter code{hint}, e.g. `NL`, `DE`, `US`, `IN`"
                )),
            );
        }
    }
    for (i, k) in p.cookies.iter().enumerate() {
        if let Some(r) = &k.recipient {
            c.reference(
                &format!("cookies[{i}].recipient"),
                r,
                "recipients",
                &p.recipients,
            );
        }
    }
    for (i, a) in p.automated_decisions.iter().enumerate() {
        c.reference(
            &format!("automated_decisions[{i}].purpose"),
            &a.purpose,
            "purposes",
            &p.purposes,
        );
    }
    for (i, a) in p.processor_activities.iter().enumerate() {
        c.refs(
            &format!("processor_activities[{i}].subjects"),
            &a.subjects,
            "subjects",
            &p.subjects,
        );
        c.refs(
            &format!("processor_activities[{i}].data"),
            &a.data,
            "data",
            &p.data,
        );
        c.refs(
            &format!("processor_activities[{i}].sub_processors"),
            &a.sub_processors,
            "recipients",
            &p.recipients,
        );
    }
    c.problems
}
