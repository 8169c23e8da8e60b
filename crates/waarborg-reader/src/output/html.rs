//! One self-contained HTML page per document: the text with facts and problems highlighted, and
//! beside it the problems (grouped, with rule, law and explanation, linked to their quotes) and
//! the key facts. No scripts, no external resources; every piece of text is escaped.

use std::fmt::Write as _;
use std::ops::Range;

use waarborg_policy::Lang;

use super::labels::Labels;
use super::locate;
use crate::Report;
use crate::problems;

/// Escapes text for HTML element content and attribute values.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A highlighted span: problems win over facts where they overlap.
struct Mark {
    range: Range<usize>,
    class: String,
    title: String,
    id: Option<String>,
    problem: bool,
}

fn fact_marks(report: &Report, l: Labels) -> Vec<Mark> {
    let f = &report.facts;
    let mut marks = Vec::new();
    let mut add = |r: &Range<usize>, key: &str| {
        marks.push(Mark {
            range: r.clone(),
            class: "fact".to_owned(),
            title: l.get(key).to_owned(),
            id: None,
            problem: false,
        });
    };
    if let Some(c) = &f.controller_name {
        add(&c.span, "controller");
    }
    for (list, label) in [
        (&f.kvk, "kvk_number"),
        (&f.addresses, "address"),
        (&f.emails, "email"),
        (&f.phones, "phone"),
        (&f.data_categories, "data_category"),
        (&f.purposes, "purpose"),
        (&f.recipients, "recipient"),
        (&f.cookies, "cookie"),
    ] {
        for x in list {
            add(&x.span, label);
        }
    }
    for x in &f.legal_bases {
        add(&x.span, "legal_basis");
    }
    for x in &f.rights {
        add(&x.span, "right");
    }
    for r in &f.retention {
        add(
            r.period_span.as_ref().unwrap_or(&r.span),
            "retention_period",
        );
    }
    if let Some(x) = &f.complaint_authority {
        add(&x.span, "complaint_authority");
    }
    if let Some(x) = &f.last_updated {
        add(&x.span, "last_updated");
    }
    marks
}

/// The HTML page of one document with its labels, titles and explanations in `lang` (see
/// [`super::report_lang`] for the document's own). The page's `lang` is the report's language;
/// the document's text carries its own.
#[must_use]
pub fn html(report: &Report, lang: Lang) -> String {
    let l = Labels { lang };
    let text = &report.document.text;
    let s = &report.summary;
    let mut marks = fact_marks(report, l);
    // problems: one mark per located quote
    let mut panel = String::new();
    for (pi, p) in s.problems.iter().enumerate() {
        let rule = problems::rule(&p.rule);
        let mut links = String::new();
        for (qi, q) in p.evidence.iter().enumerate() {
            let id = format!("p{pi}-{qi}");
            if let Some(r) = locate(text, q) {
                let line = report.document.line_col(r.start).0;
                let _ = write!(
                    links,
                    "<li><a href=\"#{id}\">{} {line}</a>: <q>{}</q></li>",
                    escape(l.get("line")),
                    escape(q)
                );
                marks.push(Mark {
                    range: r,
                    class: format!("problem {}", p.kind.as_str()),
                    title: format!("{}: {}", p.rule, p.explanation_in(lang)),
                    id: Some(id),
                    problem: true,
                });
            } else {
                let _ = write!(links, "<li><q>{}</q></li>", escape(q));
            }
        }
        let item = p
            .item
            .as_deref()
            .map(|i| {
                format!(
                    " <span class=\"item\">{} {}</span>",
                    escape(l.get("art")),
                    escape(i)
                )
            })
            .unwrap_or_default();
        let _ = write!(
            panel,
            "<li class=\"{kind}\"><div><code>{code}</code>{item} <b>{title}</b></div><div class=\"law\">{law}</div><p>{expl}</p><ul>{links}</ul></li>",
            kind = p.kind.as_str(),
            code = escape(&p.rule),
            title = escape(rule.map(|r| l.title(r)).unwrap_or_default()),
            law = escape(rule.map(|r| l.law(r)).unwrap_or_default()),
            expl = escape(p.explanation_in(lang)),
        );
    }
    let body = render_text(text, &mut marks);
    let mut facts = String::new();
    let mut row = |k: &str, v: String| {
        if !v.is_empty() {
            let _ = write!(
                facts,
                "<tr><th>{}</th><td>{}</td></tr>",
                escape(l.get(k)),
                escape(&v)
            );
        }
    };
    row("controller", s.controller.name.clone().unwrap_or_default());
    row("kvk", s.controller.kvk.clone().unwrap_or_default());
    row("addresses", s.controller.addresses.join("; "));
    row("email", s.controller.emails.join(", "));
    row("purposes", s.purposes.join("; "));
    row("data", s.data_categories.join(", "));
    row(
        "retention",
        s.retention
            .iter()
            .map(|r| {
                let p = r
                    .period
                    .as_deref()
                    .map_or_else(|| "?".to_owned(), |p| l.duration(p));
                format!("{}: {p}", r.what)
            })
            .collect::<Vec<_>>()
            .join("; "),
    );
    row("recipients", s.recipients.join(", "));
    row("cookies", s.cookies.join(", "));
    row(
        "request_deadline",
        s.request_deadline
            .as_deref()
            .map(|d| l.duration(d))
            .unwrap_or_default(),
    );
    row("last_updated", s.last_updated.clone().unwrap_or_default());
    let source = s.source.as_deref().unwrap_or(&report.document.source);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{title}</title><style>{CSS}</style></head><body><header><h1>{title}</h1><p>{n}</p></header><main><article><pre lang=\"{doc_lang}\">{body}</pre></article><aside><h2>{problems}</h2><ol class=\"problems\">{panel}</ol><h2>{facts_heading}</h2><table>{facts}</table></aside></main></body></html>\n",
        lang = lang.code(),
        doc_lang = s.language.code(),
        title = escape(source),
        n = escape(&if s.problems.is_empty() {
            l.get("no_problems").to_owned()
        } else {
            l.problems(s.problems.len())
        }),
        problems = escape(l.get("problems_heading")),
        facts_heading = escape(l.get("facts_heading")),
    );
    out
}

fn render_text(text: &str, marks: &mut [Mark]) -> String {
    // cut the text at every mark boundary; each piece takes the innermost problem mark, else the
    // innermost fact mark
    let mut points: Vec<usize> = vec![0, text.len()];
    for m in marks.iter() {
        if m.range.start < m.range.end && m.range.end <= text.len() {
            points.push(m.range.start);
            points.push(m.range.end);
        }
    }
    points.sort_unstable();
    points.dedup();
    marks.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
    let mut out = String::with_capacity(text.len() * 11 / 10);
    let mut used_ids: Vec<&str> = Vec::new();
    for w in points.windows(2) {
        let (Some(&a), Some(&b)) = (w.first(), w.get(1)) else {
            continue;
        };
        let Some(piece) = text.get(a..b) else {
            continue;
        };
        let cover = marks
            .iter()
            .filter(|m| m.range.start <= a && b <= m.range.end)
            .max_by_key(|m| (m.problem, m.range.start));
        match cover {
            Some(m) => {
                let id = match &m.id {
                    Some(id) if m.range.start == a && !used_ids.contains(&id.as_str()) => {
                        used_ids.push(id);
                        format!(" id=\"{}\"", escape(id))
                    }
                    _ => String::new(),
                };
                let _ = write!(
                    out,
                    "<mark class=\"{}\"{id} title=\"{}\">{}</mark>",
                    escape(&m.class),
                    escape(&m.title),
                    escape(piece)
                );
            }
            None => out.push_str(&escape(piece)),
        }
    }
    out
}

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#222}header{padding:.5em 1em;background:#223;color:#fff}header h1{font-size:1.1em;margin:0}header p{margin:.2em 0 0}main{display:flex;gap:1em;padding:1em}article{flex:3;min-width:0}aside{flex:2;min-width:0;position:sticky;top:0;max-height:100vh;overflow:auto}pre{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:.85em;line-height:1.45}mark.fact{background:#e3f0ff}mark.problem{background:#ffd9d9;outline:1px solid #d33}mark.missing_art13_item,mark.missing_art28_item{background:#fff1c2;outline-color:#c90}ol.problems>li{margin-bottom:1em}ol.problems code{font-weight:bold}.law{color:#666;font-size:.85em}.item{background:#eee;padding:0 .3em}q{font-style:italic}table{border-collapse:collapse;font-size:.85em}th{text-align:left;vertical-align:top;padding-right:.5em}@media (max-width:48em){main{flex-direction:column}aside{position:static;max-height:none}}";
