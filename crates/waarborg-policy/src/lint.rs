//! Linting a register against the GDPR and Dutch law, and reporting the findings as text
//! (rustc style), JSON or SARIF 2.1.0.

use std::fmt;

use serde::Serialize;
use serde_json::json;

use crate::load::PolicyDocument;
use crate::model::Policy;
use crate::rules::{self, Rule};
use crate::source::{Location, Source};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Breaks the law as written: `waarborg lint` exits 1.
    Error,
    /// Probably wrong or incomplete; check it.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The SARIF `level` for this severity.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fixed description of a rule.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// Stable code, e.g. `WB001`.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `controller-contact-missing`.
    pub name: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// The article(s) it enforces, e.g. `GDPR Art. 13(1)(a)`.
    pub article: &'static str,
    /// One-line summary in English.
    pub summary: &'static str,
    /// One-line summary in Dutch.
    pub summary_nl: &'static str,
}

/// What a rule found, before locations are resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Path of the offending item in the TOML, e.g. `purposes[2].legal_basis`.
    pub path: String,
    /// What is wrong, naming the item.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Finding {
    /// A finding at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
            help: None,
        }
    }

    /// Adds a fix hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A finding with its rule and location.
#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    /// Rule code, e.g. `WB006`.
    pub code: &'static str,
    /// Rule name.
    pub name: &'static str,
    /// Severity.
    pub severity: Severity,
    /// The article enforced.
    pub article: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Path of the offending item in the TOML.
    pub path: String,
    /// Where in the file, when known.
    pub location: Option<Location>,
}

/// All findings for one file.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// The file name as given.
    pub file: String,
    /// The SHA-256 digest of the register.
    pub digest: String,
    /// Findings, errors first, then by line.
    pub diagnostics: Vec<Diagnostic>,
    /// The source, for rendering.
    #[serde(skip)]
    pub source: Option<Source>,
}

impl FileReport {
    /// Number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// The distinct rule codes found, sorted.
    pub fn codes(&self) -> Vec<&'static str> {
        let mut codes: Vec<_> = self.diagnostics.iter().map(|d| d.code).collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }
}

fn run_rules(policy: &Policy) -> Vec<(&'static Rule, Finding)> {
    let mut out = Vec::new();
    for rule in rules::all() {
        let mut found = Vec::new();
        (rule.check)(policy, &mut found);
        out.extend(found.into_iter().map(|f| (rule, f)));
    }
    out
}

/// Lints a register without source locations.
pub fn lint_policy(policy: &Policy) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = run_rules(policy)
        .into_iter()
        .map(|(rule, f)| to_diagnostic(rule, f, None))
        .collect();
    diags.sort_by(|a, b| (a.severity, a.code).cmp(&(b.severity, b.code)));
    diags
}

fn to_diagnostic(rule: &Rule, f: Finding, source: Option<&Source>) -> Diagnostic {
    Diagnostic {
        code: rule.meta.code,
        name: rule.meta.name,
        severity: rule.meta.severity,
        article: rule.meta.article,
        message: f.message,
        help: f.help,
        location: source.map(|s| s.locate(&f.path).unwrap_or_else(|| s.location(0..0))),
        path: f.path,
    }
}

/// Lints a loaded register; diagnostics carry file, line and column.
pub fn lint(doc: &PolicyDocument) -> FileReport {
    let mut diags: Vec<Diagnostic> = run_rules(&doc.policy)
        .into_iter()
        .map(|(rule, f)| to_diagnostic(rule, f, Some(&doc.source)))
        .collect();
    diags.sort_by_key(|d| {
        (
            d.severity,
            d.location.as_ref().map(|l| l.line).unwrap_or(0),
            d.code,
        )
    });
    FileReport {
        file: doc.source.name().to_owned(),
        digest: doc.policy.digest(),
        diagnostics: diags,
        source: Some(doc.source.clone()),
    }
}

/// Renders reports like rustc: one block per finding with the source line, then a summary.
pub fn render_human(reports: &[FileReport]) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for r in reports {
        for d in &r.diagnostics {
            out.push_str(&format!("{}[{}]: {}\n", d.severity, d.code, d.message));
            match (&d.location, &r.source) {
                (Some(loc), Some(src)) => out.push_str(&src.snippet(loc, d.name)),
                _ => out.push_str(&format!("  --> {}", r.file)),
            }
            let pad = " ".repeat(
                d.location
                    .as_ref()
                    .map(|l| l.line.to_string().len() + 1)
                    .unwrap_or(2),
            );
            out.push_str(&format!("\n{pad}= article: {}", d.article));
            if let Some(h) = &d.help {
                out.push_str(&format!("\n{pad}= help: {h}"));
            }
            out.push_str("\n\n");
        }
        errors += r.count(Severity::Error);
        warnings += r.count(Severity::Warning);
        infos += r.count(Severity::Info);
        if r.diagnostics.is_empty() {
            out.push_str(&format!("{}: no findings\n", r.file));
        }
    }
    out.push_str(&format!(
        "{} file{} checked: {errors} error{}, {warnings} warning{}, {infos} info\n",
        reports.len(),
        if reports.len() == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    ));
    out
}

/// The reports as a JSON value: `{ "files": [...], "summary": {...} }`.
pub fn to_json(reports: &[FileReport]) -> serde_json::Value {
    let count = |s| reports.iter().map(|r| r.count(s)).sum::<usize>();
    json!({
        "files": reports,
        "summary": {
            "files": reports.len(),
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "infos": count(Severity::Info),
        }
    })
}

/// The reports as a SARIF 2.1.0 log for GitHub code scanning.
pub fn to_sarif(reports: &[FileReport]) -> serde_json::Value {
    let all = rules::all();
    let rule_index = |code: &str| all.iter().position(|r| r.meta.code == code).unwrap_or(0);
    let driver_rules: Vec<_> = all
        .iter()
        .map(|r| {
            json!({
                "id": r.meta.code,
                "name": r.meta.name,
                "shortDescription": { "text": r.meta.summary },
                "fullDescription": { "text": format!("{} ({})", r.meta.summary, r.meta.article) },
                "help": { "text": r.doc(), "markdown": r.doc() },
                "defaultConfiguration": { "level": r.meta.severity.sarif_level() },
                "properties": { "article": r.meta.article, "summary_nl": r.meta.summary_nl, "tags": ["privacy", "gdpr"] },
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        for d in &r.diagnostics {
            let region = match &d.location {
                Some(loc) => json!({
                    "startLine": loc.line,
                    "startColumn": loc.column,
                    "endLine": loc.end_line,
                    "endColumn": loc.end_column.max(1),
                }),
                None => json!({ "startLine": 1 }),
            };
            let physical = json!({
                "artifactLocation": { "uri": sarif_uri(&r.file) },
                "region": region,
            });
            let text = match &d.help {
                Some(h) => format!("{} — {} ({})", d.message, h, d.article),
                None => format!("{} ({})", d.message, d.article),
            };
            let result = json!({
                "ruleId": d.code,
                "ruleIndex": rule_index(d.code),
                "level": d.severity.sarif_level(),
                "message": { "text": text },
                "locations": [{ "physicalLocation": physical }],
                "partialFingerprints": { "waarborgPath/v1": format!("{}:{}", d.code, d.path) },
            });
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "waarborg",
                "informationUri": "https://example.invalid/waarborg",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": driver_rules,
            }},
            "results": results,
        }]
    })
}

fn sarif_uri(file: &str) -> String {
    let f = file.replace('\\', "/");
    f.strip_prefix("./").unwrap_or(&f).replace(' ', "%20")
}

/// Loads and lints every path; files that cannot be loaded are returned as errors.
pub fn lint_paths<P: AsRef<std::path::Path>>(
    paths: &[P],
) -> (Vec<FileReport>, Vec<crate::load::LoadError>) {
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match crate::load::load_document(p) {
            Ok(doc) => reports.push(lint(&doc)),
            Err(e) => errors.push(e),
        }
    }
    (reports, errors)
}

/// `true` when any report has an error-level finding.
pub fn has_errors(reports: &[FileReport]) -> bool {
    reports.iter().any(|r| r.count(Severity::Error) > 0)
}
