//! The human report: the document's key facts, then its problems grouped by kind, each with its
//! rule code, the law it rests on, the explanation and every quote with its line number.

use std::fmt::Write as _;

use waarborg_policy::Lang;

use super::labels::Labels;
use super::{locate, region};
use crate::Report;
use crate::problems::{self, Problem, ProblemKind};

const KINDS: &[ProblemKind] = &[
    ProblemKind::Contradiction,
    ProblemKind::TypoInIdentifier,
    ProblemKind::BrokenReference,
    ProblemKind::OutdatedReference,
    ProblemKind::QuestionableClause,
    ProblemKind::MissingArt13Item,
    ProblemKind::MissingArt28Item,
];

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn red(&self, s: &str) -> String {
        self.paint("1;31", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.paint("33", s)
    }
    fn cyan(&self, s: &str) -> String {
        self.paint("36", s)
    }
}

/// The human report of one document with its labels, titles and explanations in `lang` (see
/// [`super::report_lang`] for the document's own); `color` adds ANSI colours (use it only on a
/// terminal).
#[must_use]
pub fn human(report: &Report, color: bool, lang: Lang) -> String {
    let st = Style { on: color };
    let l = Labels { lang };
    let s = &report.summary;
    let mut out = String::new();
    let source = s.source.as_deref().unwrap_or(&report.document.source);
    let doc_type = l.doc_type(s.doc_type);
    let _ = writeln!(
        out,
        "{}  {}",
        st.bold(source),
        st.dim(&format!("{doc_type}, {}", s.language.code()))
    );
    let mut facts: Vec<String> = Vec::new();
    if let Some(n) = &s.controller.name {
        let kvk = s
            .controller
            .kvk
            .as_deref()
            .map(|k| format!(" ({} {k})", l.get("kvk")))
            .unwrap_or_default();
        facts.push(format!("{}: {n}{kvk}", l.get("controller")));
    }
    if !s.controller.emails.is_empty() {
        facts.push(format!(
            "{}: {}",
            l.get("email"),
            s.controller.emails.join(", ")
        ));
    }
    if !s.retention.is_empty() {
        let periods: Vec<String> = s
            .retention
            .iter()
            .map(|r| {
                r.period
                    .as_deref()
                    .map_or_else(|| "?".to_owned(), |p| l.duration(p))
            })
            .collect();
        facts.push(format!("{}: {}", l.get("retention"), periods.join(", ")));
    }
    if !s.recipients.is_empty() {
        facts.push(format!(
            "{}: {}",
            l.get("recipients"),
            s.recipients.join(", ")
        ));
    }
    if let Some(d) = &s.request_deadline {
        facts.push(format!("{}: {}", l.get("request_deadline"), l.duration(d)));
    }
    if let Some(d) = &s.last_updated {
        facts.push(format!("{}: {d}", l.get("last_updated")));
    }
    for f in facts {
        let _ = writeln!(out, "  {}", st.dim(&f));
    }
    if s.problems.is_empty() {
        let _ = writeln!(out, "  {}", l.get("no_problems"));
        return out;
    }
    let _ = writeln!(out, "  {}", st.bold(&l.problems(s.problems.len())));
    for kind in KINDS {
        let group: Vec<&Problem> = s.problems.iter().filter(|p| p.kind == *kind).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "  {} ({})",
            st.bold(&l.kind(*kind).to_uppercase()),
            group.len()
        );
        for p in group {
            write_problem(&mut out, report, p, &st, l);
        }
    }
    out
}

fn write_problem(out: &mut String, report: &Report, p: &Problem, st: &Style, l: Labels) {
    let rule = problems::rule(&p.rule);
    let title = rule.map(|r| l.title(r)).unwrap_or_default();
    let item = p
        .item
        .as_deref()
        .map(|i| format!(" [{} {i}]", l.get("art")))
        .unwrap_or_default();
    let code = if p.kind == ProblemKind::MissingArt13Item || p.kind == ProblemKind::MissingArt28Item
    {
        st.yellow(&p.rule)
    } else {
        st.red(&p.rule)
    };
    let _ = writeln!(out, "  - {code}{item} {title}");
    if let Some(r) = rule {
        let _ = writeln!(
            out,
            "    {}",
            st.dim(&format!("{}: {}", l.get("law"), l.law(r)))
        );
    }
    let _ = writeln!(out, "    {}", p.explanation_in(l.lang));
    for q in &p.evidence {
        let line = locate(&report.document.text, q)
            .map(|r| region(&report.document, &r).start_line)
            .map_or_else(|| "    ".to_owned(), |l| format!("{l:>4}"));
        let _ = writeln!(
            out,
            "    {} {}",
            st.cyan(&format!("{} {line}:", l.get("line"))),
            quoted(q)
        );
    }
}

fn quoted(q: &str) -> String {
    const MAX: usize = 240;
    if q.chars().count() <= MAX {
        format!("\"{q}\"")
    } else {
        let head: String = q.chars().take(MAX).collect();
        format!("\"{head}…\"")
    }
}
