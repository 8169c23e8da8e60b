//! Rendering the register into the privacy statement, the Art. 30 register and the cookie table
//! (Markdown, HTML or CSV, in Dutch or English). Templates are minijinja templates embedded in
//! the crate; an organisation can override any of them with a template directory. For auditors the
//! same Markdown can be turned into a Word document ([`render_document`] with [`Format::Docx`]).

use std::path::{Path, PathBuf};

use minijinja::value::{Serde, Value as JValue};
use minijinja::{Environment, syntax::SyntaxConfig};
use serde_json::{Value, json};

use crate::model::*;
use crate::rules::helpers::{adequate, in_eea, is_processor, relies_on_consent};

mod docx;
pub use docx::render_document;

/// What to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// The privacy statement (Art. 13).
    Statement,
    /// The record of processing activities (Art. 30).
    Register,
    /// The cookie table.
    Cookies,
}

impl What {
    fn key(self) -> &'static str {
        match self {
            What::Statement => "statement",
            What::Register => "register",
            What::Cookies => "cookies",
        }
    }
}

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Markdown.
    Markdown,
    /// A complete HTML page.
    Html,
    /// CSV (only for the register and the cookie table).
    Csv,
    /// A Word document (DOCX, Office Open XML); binary, so only through [`render_document`].
    Docx,
}

/// Why rendering failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template override could not be read.
    #[error("cannot read template `{path}`: {source}; check the --templates directory")]
    ReadTemplate {
        /// The template path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A template has an error.
    #[error(
        "template `{name}` failed: {detail}; fix the template (see docs/policy.md, 'Templates')"
    )]
    Template {
        /// Template name.
        name: String,
        /// What the template engine said.
        detail: String,
    },
    /// The combination is not available.
    #[error("{0}")]
    Unsupported(String),
    /// CSV writing failed.
    #[error("cannot write CSV: {0}")]
    Csv(String),
    /// A `texts.<lang>.toml` override could not be used.
    #[error("{0}")]
    Texts(String),
    /// The register is not ready to publish: it has error-level lint findings or is silent on
    /// something the text must say.
    #[error("{}", refused_message(findings, gaps))]
    Refused {
        /// The error-level lint findings.
        findings: Vec<crate::lint::Diagnostic>,
        /// What the text would have to say but the register does not.
        gaps: Vec<Gap>,
    },
    /// The Word document could not be put together.
    #[error("cannot write the DOCX document: {0}")]
    Docx(String),
}

fn refused_message(findings: &[crate::lint::Diagnostic], gaps: &[Gap]) -> String {
    let mut out = format!(
        "the register is not ready to publish: {} error-level finding(s); fix them (`waarborg register lint` shows where), or render a marked draft with --draft",
        findings.len().max(gaps.len())
    );
    for d in findings {
        out.push_str(&format!("\n  error[{}]: {}", d.code, d.message));
    }
    if findings.is_empty() {
        for g in gaps {
            out.push_str(&format!("\n  missing [{}]: {}", g.code, g.what));
        }
    }
    out
}

/// The embedded templates: (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "statement.nl.md",
        include_str!("../templates/statement.nl.md"),
    ),
    (
        "statement.en.md",
        include_str!("../templates/statement.en.md"),
    ),
    ("register.md", include_str!("../templates/register.md")),
    ("cookies.md", include_str!("../templates/cookies.md")),
    ("page.html", include_str!("../templates/page.html")),
];

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Render a visibly marked draft even when the register is not ready to publish: every gap
    /// is shown as a gap ("ONTBREEKT: ..."), never as a claim.
    pub draft: bool,
    /// A directory with template overrides and `texts.<lang>.toml` word overrides.
    pub templates: Option<&'a Path>,
}

/// Renders `what` for a register, refusing a statement or cookie table from a register that
/// is not ready to publish (see [`render_with`]).
pub fn render(
    policy: &Policy,
    what: What,
    lang: Lang,
    format: Format,
    templates: Option<&Path>,
) -> Result<String, RenderError> {
    if format == Format::Docx {
        return Err(RenderError::Unsupported(
            "DOCX is a binary format: use render_document, or on the command line --format docx \
             with --out FILE"
                .into(),
        ));
    }
    render_with(
        policy,
        what,
        lang,
        format,
        &Options {
            draft: false,
            templates,
        },
    )
}

/// `what` as published when the register is ready, otherwise as the marked draft (for pages and
/// downloads that must show something: the portal's statement, the dashboard). Returns the
/// bytes (see [`render_document`]) and whether they are the draft.
pub fn final_or_draft(
    policy: &Policy,
    what: What,
    lang: Lang,
    format: Format,
    templates: Option<&Path>,
) -> Result<(Vec<u8>, bool), RenderError> {
    let options = |draft| Options { draft, templates };
    match render_document(policy, what, lang, format, &options(false)) {
        Err(RenderError::Refused { .. }) => {
            render_document(policy, what, lang, format, &options(true)).map(|b| (b, true))
        }
        other => other.map(|b| (b, false)),
    }
}

/// The error-level lint findings that stop `what` from being published: every error for the
/// statement, the cookie rules' errors for the cookie table, none for the Art. 30 register (an
/// internal record, where a gap is shown as a gap).
pub fn blocking_findings(policy: &Policy, what: What) -> Vec<crate::lint::Diagnostic> {
    if what == What::Register {
        return Vec::new();
    }
    crate::lint::lint_policy(policy)
        .into_iter()
        .filter(|d| d.severity == crate::lint::Severity::Error)
        .filter(|d| what == What::Statement || d.path.starts_with("cookies") || d.code == "WB061")
        .collect()
}

/// Renders `what` for a register. The statement and the cookie table say only what the register
/// says: where it is silent on something they must say, or lint finds an error, rendering is
/// refused with those findings ([`RenderError::Refused`]) unless `options.draft` asks for a
/// marked draft.
pub fn render_with(
    policy: &Policy,
    what: What,
    lang: Lang,
    format: Format,
    options: &Options<'_>,
) -> Result<String, RenderError> {
    if format == Format::Docx {
        return Err(RenderError::Unsupported(
            "DOCX is a binary format: use render_document, or on the command line --format docx \
             with --out FILE"
                .into(),
        ));
    }
    let ctx = view(policy, what, lang, options)?;
    if format == Format::Csv {
        return match what {
            What::Register => register_csv(&ctx),
            What::Cookies => cookies_csv(&ctx),
            What::Statement => Err(RenderError::Unsupported(
                "the statement cannot be rendered as CSV; use --format md or html (CSV is for \
                 --what register or cookies)"
                    .into(),
            )),
        };
    }
    let html = format == Format::Html;
    let env = environment(options.templates, html)?;
    let md = tidy(&render_template(&env, &template_name(what, lang), &ctx)?);
    if !html {
        return Ok(md);
    }
    let (body, toc) = markdown_to_html(&md);
    let mut page_ctx = ctx.clone();
    if let Some(obj) = page_ctx.as_object_mut() {
        // The table of contents goes after the title and introduction, before the first section.
        let (intro, rest) = body.split_at(body.find("<h2").unwrap_or(0));
        obj.insert("body_intro".into(), Value::String(intro.to_owned()));
        obj.insert("body_rest".into(), Value::String(rest.to_owned()));
        obj.insert("body".into(), Value::String(body.clone()));
        obj.insert("what".into(), Value::String(what.key().into()));
        obj.insert("toc".into(), Value::Array(toc));
    }
    render_template(&env, "page.html", &page_ctx)
}

/// The view model for `what`, or the refusal when the register is not ready to publish it
/// (unless `options.draft`): the one gate every output format passes.
pub(crate) fn view(
    policy: &Policy,
    what: What,
    lang: Lang,
    options: &Options<'_>,
) -> Result<Value, RenderError> {
    let words = match options.templates {
        None => Words::new(lang),
        Some(dir) => Words {
            lang,
            t: std::borrow::Cow::Owned(
                crate::texts::Texts::with_overrides(lang, Some(dir))
                    .map_err(|e| RenderError::Texts(e.to_string()))?,
            ),
        },
    };
    let (mut ctx, gaps) = context_with(policy, &words);
    if !options.draft && what != What::Register {
        let findings = blocking_findings(policy, what);
        let gaps: Vec<Gap> = gaps
            .into_iter()
            .filter(|g| what == What::Statement || g.code == "WB061" || g.code == "WB064")
            .collect();
        if !findings.is_empty() || !gaps.is_empty() {
            return Err(RenderError::Refused { findings, gaps });
        }
    }
    if let Some(obj) = ctx.as_object_mut() {
        obj.insert("draft".into(), Value::Bool(options.draft));
    }
    Ok(ctx)
}

fn markdown_to_html(md: &str) -> (String, Vec<Value>) {
    let (html, toc) = statement_html(md, true);
    let toc = toc
        .into_iter()
        .map(|h| json!({ "title": h.text, "id": h.id }))
        .collect();
    (html, toc)
}

/// One `##` heading of a rendered statement, for a table of contents.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// The anchor (`id`) of the heading.
    pub id: String,
    /// Its text.
    pub text: String,
}

/// A rendered statement's Markdown as HTML: every `##` and `###` heading gets an `id` (a slug
/// of its text, made unique), the `##` headings are returned as the table of contents, and the
/// `#` title is left out when `keep_title` is false (a page with its own title).
pub fn statement_html(md: &str, keep_title: bool) -> (String, Vec<Heading>) {
    use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
    let opts = pulldown_cmark::Options::ENABLE_TABLES;
    let mut events: Vec<Event<'_>> = pulldown_cmark::Parser::new_ext(md, opts).collect();
    if !keep_title {
        let start = events.iter().position(|e| {
            matches!(
                e,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })
            )
        });
        let end = events
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(HeadingLevel::H1))));
        if let (Some(a), Some(b)) = (start, end)
            && a <= b
        {
            events.drain(a..=b);
        }
    }
    let mut toc = Vec::new();
    let mut used: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let level = match events.get(i) {
            Some(Event::Start(Tag::Heading { level, .. })) => Some(*level),
            _ => None,
        };
        if let Some(level) = level.filter(|l| matches!(l, HeadingLevel::H2 | HeadingLevel::H3)) {
            let mut title = String::new();
            for e in events.iter().skip(i + 1) {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => title.push_str(t),
                    _ => {}
                }
            }
            let id = crate::texts::unique_id(&slug(&title), "h", |id| used.iter().any(|u| u == id));
            used.push(id.clone());
            if level == HeadingLevel::H2 {
                toc.push(Heading {
                    id: id.clone(),
                    text: title,
                });
            }
            if let Some(Event::Start(Tag::Heading { id: slot, .. })) = events.get_mut(i) {
                *slot = Some(id.into());
            }
        }
        i += 1;
    }
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, events.into_iter());
    (body, toc)
}

/// A heading's anchor: lower case letters and digits, the rest as `-`.
fn slug(h: &str) -> String {
    let mut out = String::new();
    for c in h.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// The Markdown template that renders `what` in `lang`.
fn template_name(what: What, lang: Lang) -> String {
    match what {
        What::Statement => format!("statement.{}.md", lang.code()),
        other => format!("{}.md", other.key()),
    }
}

/// Removes template artefacts: trailing spaces and runs of blank lines (a left-out optional
/// part must not leave a gap of two or more empty lines).
fn tidy(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut blank = 0;
    for line in md.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn render_template(env: &Environment<'_>, name: &str, ctx: &Value) -> Result<String, RenderError> {
    let err = |e: minijinja::Error| RenderError::Template {
        name: name.to_owned(),
        detail: e.to_string(),
    };
    let tmpl = env.get_template(name).map_err(err)?;
    tmpl.render(JValue::from(Serde(ctx))).map_err(err)
}

fn environment(templates: Option<&Path>, html: bool) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    if let Ok(syntax) = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    for (name, src) in TEMPLATES {
        let mut source = (*src).to_owned();
        if let Some(dir) = templates {
            let path = dir.join(name);
            if path.exists() {
                source = std::fs::read_to_string(&path)
                    .map_err(|source| RenderError::ReadTemplate { path, source })?;
            }
        }
        env.add_template_owned(name.to_string(), source)
            .map_err(|e| RenderError::Template {
                name: name.to_string(),
                detail: e.to_string(),
            })?;
    }
    // `{{ x | period }}`: ends a sentence with a value that may already end in a full stop
    // (`HelpDesk Inc.`), without doubling it.
    env.add_filter("period", |s: String| -> String {
        let t = s.trim_end();
        if t.ends_with(['.', '!', '?']) {
            t.to_owned()
        } else {
            format!("{t}.")
        }
    });
    // Values are escaped for the output: `|` for Markdown tables; `<`, `>` and `&` for HTML.
    // The HTML page's `body` is already HTML and is marked safe in the template.
    env.set_formatter(move |out, state, value| {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        if *state.auto_escape() != minijinja::AutoEscape::None || value.is_safe() {
            return minijinja::escape_formatter(out, state, value);
        }
        let s = escape_value(&value.to_string(), html);
        out.write_str(&s).map_err(minijinja::Error::from)
    });
    Ok(env)
}

/// Escapes a register value for the Markdown the templates produce. A value is text, never
/// markup: line breaks become spaces (a value cannot start a heading or a list), and the
/// characters that make links, images, code, emphasis or raw HTML are escaped, so a name like
/// `[klik](javascript:...)` or `<script>` stays literal text. For HTML output (where the
/// Markdown is only an intermediate step) every ASCII punctuation character that Markdown could
/// read is escaped, and `&`, `<`, `>` become entities.
fn escape_value(text: &str, html: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // `# x`, `- x`, `+ x`, `> x` at the start of a value that starts a line (a bullet)
        // would become a heading, a nested list or a quote.
        let block_marker = start && chars.peek().is_none_or(|n| n.is_whitespace());
        match c {
            '\r' | '\n' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                continue;
            }
            '&' if html => out.push_str("&amp;"),
            '<' if html => out.push_str("&lt;"),
            '>' if html => out.push_str("&gt;"),
            '\\' | '`' | '[' | ']' | '<' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '*' | '_' | '(' | ')' | '!' | '#' | '~' | '-' | '+' | '.' | '{' | '}' if html => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '>' if block_marker => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        start = false;
    }
    out
}

/// A date in words: `1 maart 2026` / `1 March 2026`.
pub fn date_words(d: jiff::civil::Date, lang: Lang) -> String {
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = if lang == Lang::Nl { NL } else { EN };
    let month = usize::try_from(d.month() - 1)
        .ok()
        .and_then(|m| names.get(m))
        .copied()
        .unwrap_or("");
    format!("{} {month} {}", d.day(), d.year())
}

/// The snake_case key of a vocabulary value, as written in TOML (`opt_in`, `web_form`).
fn key_of<T: serde::Serialize>(v: T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The statement's words for the register's vocabulary, from `texts/<lang>.toml`.
struct Words {
    lang: Lang,
    /// The built-in texts (borrowed), or an organisation's overrides put over them (owned).
    t: std::borrow::Cow<'static, crate::texts::Texts>,
}

impl Words {
    fn new(lang: Lang) -> Self {
        Words {
            lang,
            t: std::borrow::Cow::Borrowed(crate::texts::Texts::builtin(lang)),
        }
    }

    fn get(&self, key: &str) -> String {
        self.t.get(key).to_owned()
    }

    /// `group.<key of v>`.
    fn of<T: serde::Serialize>(&self, group: &str, v: T) -> String {
        self.get(&format!("{group}.{}", key_of(v)))
    }

    fn basis(&self, b: Option<LegalBasis>) -> String {
        b.map(|b| self.of("basis", b)).unwrap_or_default()
    }

    fn right(&self, r: Right) -> (String, String) {
        let k = key_of(r);
        (
            self.get(&format!("right.{k}.name")),
            self.get(&format!("right.{k}.text")),
        )
    }

    fn role(&self, r: RecipientRole) -> String {
        self.of("role", r)
    }

    fn mechanism(&self, m: Option<TransferMechanism>, country: &str) -> String {
        match m {
            Some(m) => self.of("mechanism", m),
            None if adequate(country) => self.get("mechanism.adequacy"),
            None => String::new(),
        }
    }

    fn cookie_category(&self, c: CookieCategory) -> String {
        self.of("cookie_category", c)
    }

    fn cookie_consent(&self, c: CookieConsent) -> String {
        self.of("cookie_consent", c)
    }

    fn duration(&self, d: &crate::IsoDuration) -> String {
        d.words_in(&self.t)
    }

    fn channel(&self, c: &Channel) -> String {
        let kind = self.of("channel", c.kind);
        match &c.address {
            Some(a) if !a.trim().is_empty() => format!("{kind} ({})", a.trim()),
            _ => kind,
        }
    }

    fn identity(&self, i: Option<IdentityCheck>) -> String {
        self.of("identity", i.unwrap_or(IdentityCheck::None))
    }

    fn fee(&self, f: &Fee) -> String {
        let amount = match f.amount_cents {
            Some(c) => format!("€ {},{:02}", c / 100, c % 100),
            None => self.get("fee.a_fee"),
        };
        let within = f
            .within
            .as_ref()
            .map(|w| self.duration(w))
            .unwrap_or_default();
        self.t.fill(
            &format!("fee.{}", key_of(f.policy)),
            &[("amount", &amount), ("within", &within)],
        )
    }

    fn provision(&self, p: Option<Provision>) -> String {
        p.map(|p| self.of("provision", p)).unwrap_or_default()
    }

    fn special(&self, k: Art9Kind) -> String {
        self.of("special", k)
    }

    fn action(&self, a: RetentionAction) -> String {
        self.of("action", a)
    }

    fn country(&self, code: &str) -> String {
        self.t.country(code)
    }

    fn list(&self, items: &[String], or: bool) -> String {
        self.t.list(items, or)
    }
}

/// A register text in `lang`. A text the register gives only in the other language is used,
/// marked as such (`(alleen in het Engels)`), never silently mixed in.
fn text(t: &Text, lang: Lang) -> String {
    let (own, other) = match lang {
        Lang::Nl => (&t.nl, &t.en),
        Lang::En => (&t.en, &t.nl),
    };
    if !own.trim().is_empty() || other.trim().is_empty() {
        return own.trim().to_owned();
    }
    let mark = crate::texts::Texts::builtin(lang).get("draft.only_other_language");
    format!("{} {mark}", other.trim())
}

fn opt_text(t: &Option<Text>, lang: Lang) -> String {
    t.as_ref().map(|t| text(t, lang)).unwrap_or_default()
}

/// One retention rule as sentences: "E-mailadres: wij bewaren ze 2 jaar na het laatste
/// contact. Daarna verwijderen wij ze." The rule's `explanation` follows; its `note` is the
/// organisation's own and is never published.
fn retention_line(p: &Policy, r: &RetentionRule, w: &Words) -> String {
    let data: Vec<String> = r
        .data
        .iter()
        .filter_map(|d| p.data_category(d))
        .map(|d| text(&d.label, w.lang))
        .collect();
    let scope = if data.is_empty() {
        String::new()
    } else {
        crate::texts::capitalise(&w.list(&in_sentence(data), false))
    };
    retention_line_scoped(p, r, w, scope)
}

fn retention_line_scoped(p: &Policy, r: &RetentionRule, w: &Words, scope: String) -> String {
    let lang = w.lang;
    let event = p.event_words(&r.from, lang);
    let period = w.duration(&r.period);
    let action = w.action(r.action);
    let key = match (r.period.is_zero(), scope.is_empty()) {
        (false, false) => "retention.line",
        (false, true) => "retention.line_no_scope",
        (true, false) => "retention.line_zero",
        (true, true) => "retention.line_zero_no_scope",
    };
    let mut line = w.t.fill(
        key,
        &[
            ("scope", &scope),
            ("period", &period),
            ("event", &event),
            ("action", &action),
        ],
    );
    if r.extendable {
        let ext = r
            .extension
            .as_ref()
            .map(|e| w.duration(e))
            .unwrap_or_else(|| w.get("retention.extension_agreed"));
        line.push(' ');
        line.push_str(&w.t.fill("retention.extension", &[("extension", &ext)]));
    }
    let explanation = opt_text(&r.explanation, lang);
    if !explanation.is_empty() {
        line.push(' ');
        line.push_str(&explanation);
    }
    line
}

/// One retention rule in sentences, as the statement gives it ("Naam en e-mailadres: wij
/// bewaren ze 2 jaar na het laatste contact. Daarna verwijderen wij ze."), for the access
/// letter and other texts for people.
pub fn retention_sentence(p: &Policy, r: &RetentionRule, lang: Lang) -> String {
    let w = Words::new(lang);
    // Outside the statement no purpose heading says what a rule without data is about: its
    // purpose's name does.
    match r.purpose.as_deref().and_then(|id| p.purpose(id)) {
        Some(pu) if r.data.is_empty() => retention_line_scoped(p, r, &w, text(&pu.name, lang)),
        _ => retention_line(p, r, &w),
    }
}

/// A legal basis in words with its article: "de overeenkomst met u, of de stappen om die te
/// sluiten (art. 6 lid 1 sub b AVG)".
pub fn basis_words(b: LegalBasis, lang: Lang) -> String {
    let w = Words::new(lang);
    let article = if lang == Lang::Nl {
        b.article_nl()
    } else {
        b.article()
    };
    format!("{} ({article})", w.basis(Some(b)))
}

/// The register's label of a data category found by its fideslang key (`user.contact.email`):
/// the label of the register's category with that key, or with the nearest parent or child
/// key; `None` when the register describes no such data.
pub fn data_label(p: &Policy, key: &str, lang: Lang) -> Option<String> {
    let exact = p.data.iter().find(|d| d.category == key);
    let near = || {
        p.data.iter().find(|d| {
            key.starts_with(&format!("{}.", d.category))
                || d.category.starts_with(&format!("{key}."))
        })
    };
    exact
        .or_else(near)
        .map(|d| in_sentence(vec![text(&d.label, lang)]).concat())
        .or_else(|| {
            // Common categories the register does not label itself (`texts/<lang>.toml`).
            let t = crate::texts::Texts::builtin(lang);
            let mut k = key;
            loop {
                let words = t.get(&format!("fideslang.{k}"));
                if !words.is_empty() {
                    return Some(words.to_owned());
                }
                k = k.rsplit_once('.')?.0;
            }
        })
}

/// The sensitive data by kind, each kind with its own legal regime: Art. 9 special categories
/// (with the Art. 9(2) ground of each purpose in words), Art. 10 criminal data and the BSN (with
/// the law each purpose names). Kinds without data are left out.
fn sensitive_groups(p: &Policy, lang: Lang, w: &Words, gaps: &Gaps) -> Vec<Value> {
    let vocab = crate::vocab::vocabulary();
    let nl = lang == Lang::Nl;
    let mut groups = Vec::new();
    for key in ["special", "criminal", "national_id"] {
        let Some(kind) = vocab.kinds.get(key) else {
            continue;
        };
        let mut items = Vec::new();
        for d in &p.data {
            let kinds = d.sensitivities();
            if !kinds.iter().any(|k| k.kind_key() == key) {
                continue;
            }
            let label = text(&d.label, lang);
            let uses: Vec<String> = p
                .purposes
                .iter()
                .filter(|pu| pu.data.contains(&d.id))
                .map(|pu| {
                    let name = text(&pu.name, lang);
                    let why = if key == "special" {
                        pu.art9_exception.map(|e| {
                            let article = if nl { e.article_nl() } else { e.article() };
                            format!("{} ({article})", e.words(lang))
                        })
                    } else {
                        pu.legal_ground
                            .as_deref()
                            .filter(|g| !g.trim().is_empty())
                            .map(|g| w.t.fill("sensitive.law", &[("law", g.trim())]))
                    };
                    let code = match key {
                        "special" => "WB018",
                        "criminal" => "WB019",
                        _ => "WB020",
                    };
                    let why = why.unwrap_or_else(|| gaps.gap(w, "sensitive_ground", code));
                    w.t.fill("sensitive.ground", &[("purpose", &name), ("why", &why)])
                })
                .collect();
            items.push(json!({ "label": label, "uses": uses }));
        }
        if items.is_empty() {
            continue;
        }
        groups.push(json!({
            "key": key,
            "heading": if nl { &kind.nl } else { &kind.en },
            "article": if nl { &kind.article_nl } else { &kind.article_en },
            "intro": if nl { &kind.intro_nl } else { &kind.intro_en },
            "items": items,
        }));
    }
    groups
}

/// What the register is silent about, found while building the view model: each gap is shown
/// as a gap in a draft and makes a final rendering refuse.
#[derive(Default)]
struct Gaps(std::cell::RefCell<Vec<Gap>>);

/// One thing the statement would have to say but the register does not.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Gap {
    /// The lint rule that reports it, e.g. `WB061`.
    pub code: &'static str,
    /// What is missing, in words of the statement's language.
    pub what: String,
}

impl Gaps {
    /// Records a gap and returns its visible marker, e.g. `ONTBREEKT: ... (WB061)`.
    fn gap(&self, w: &Words, what_key: &str, code: &'static str) -> String {
        let what = w.get(&format!("gap.{what_key}"));
        self.0.borrow_mut().push(Gap {
            code,
            what: what.clone(),
        });
        w.t.fill("draft.gap", &[("what", &what), ("codes", code)])
    }
}

/// The view model given to the templates (also useful for other front ends).
pub fn context(p: &Policy, lang: Lang) -> Value {
    context_with(p, &Words::new(lang)).0
}

/// The view model and the gaps found while building it, with the given words.
fn context_with(p: &Policy, w: &Words) -> (Value, Vec<Gap>) {
    let lang = w.lang;
    let gaps = Gaps::default();
    let data_labels = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .map(|id| {
                p.data_category(id)
                    .map(|d| text(&d.label, lang))
                    .unwrap_or_else(|| id.clone())
            })
            .collect()
    };
    let subject_labels = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .map(|id| {
                p.subject(id)
                    .map(|s| text(&s.label, lang))
                    .unwrap_or_else(|| id.clone())
            })
            .collect()
    };
    let recipient_labels = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .map(|id| {
                p.recipient(id)
                    .map(|r| text(&r.name, lang))
                    .unwrap_or_else(|| id.clone())
            })
            .collect()
    };
    let purposes: Vec<Value> = p
        .purposes
        .iter()
        .map(|pu| {
            let retention: Vec<String> = p
                .retention_for_purpose(&pu.id)
                .into_iter()
                .map(|r| retention_line(p, r, w))
                .collect();
            let holds: Vec<String> = p
                .legal_holds
                .iter()
                .filter(|h| h.purposes.contains(&pu.id))
                .map(|h| w.t.fill("retention.hold", &[("law", h.law.trim()), ("period", &w.duration(&h.period)), ("event", &p.event_words(&h.from, lang))]))
                .collect();
            let withdrawal: Vec<String> = pu
                .consent
                .as_ref()
                .map(|c| c.withdrawal.iter().map(|ch| w.channel(ch)).collect())
                .unwrap_or_default();
            let basis = match pu.legal_basis {
                Some(b) => w.basis(Some(b)),
                None => gaps.gap(w, "basis", "WB003"),
            };
            let retention_gap = if retention.is_empty() && holds.is_empty() {
                gaps.gap(w, "retention", "WB010")
            } else {
                String::new()
            };
            let provision = w.provision(pu.provision);
            let consequence = opt_text(&pu.consequence_if_not_provided, lang);
            let consequence = if consequence.is_empty() || provision.is_empty() {
                String::new()
            } else {
                w.t.fill("provision.consequence", &[("consequence", consequence.trim())])
            };
            json!({
                "id": pu.id,
                "name": text(&pu.name, lang),
                "description": text(&pu.description, lang),
                "basis": basis,
                "basis_article": pu.legal_basis.map(|b| if lang == Lang::Nl { b.article_nl() } else { b.article() }).unwrap_or(""),
                "basis_key": pu.legal_basis.map(LegalBasis::key).unwrap_or(""),
                "legitimate_interest": opt_text(&pu.legitimate_interest, lang),
                "legal_ground": pu.legal_ground.clone().unwrap_or_default(),
                "art9_exception": pu.art9_exception.map(|e| serde_json::to_value(e).unwrap_or(Value::Null)),
                "art9_words": pu.art9_exception.map(|e| e.words(lang)).unwrap_or_default(),
                "art9_article": pu.art9_exception.map(|e| if lang == Lang::Nl { e.article_nl() } else { e.article() }).unwrap_or_default(),
                "data": data_labels(&pu.data),
                "data_words": w.list(&in_sentence(data_labels(&pu.data)), false),
                "subjects": subject_labels(&pu.subjects),
                "subjects_words": w.list(&in_sentence(subject_labels(&pu.subjects)), false),
                "recipients": recipient_labels(&pu.recipients),
                "recipients_words": w.list(&recipient_labels(&pu.recipients), false),
                "recipient_ids": pu.recipients,
                "provision": provision,
                "consequence": consequence,
                "retention_gap": retention_gap,
                "consent": relies_on_consent(pu),
                "parental_consent": pu.consent.as_ref().is_some_and(|c| c.parental_consent),
                "minimum_age": pu.consent.as_ref().and_then(|c| c.minimum_age).unwrap_or(16),
                "single_use": pu.consent.as_ref().is_some_and(|c| c.scope == ConsentScope::SingleUse),
                "withdrawal_words": w.list(&withdrawal, true),
                "withdrawal": withdrawal,
                "retention": retention,
                "holds": holds,
            })
        })
        .collect();
    let recipients: Vec<Value> = p
        .recipients
        .iter()
        .map(|r| {
            let outside = !in_eea(&r.country);
            let mechanism = if outside {
                let m = w.mechanism(r.transfer_mechanism, &r.country);
                if m.is_empty() {
                    gaps.gap(w, "mechanism", "WB006")
                } else {
                    m
                }
            } else {
                String::new()
            };
            json!({
                "id": r.id,
                "name": text(&r.name, lang),
                "role": w.role(r.role),
                "country": w.country(&r.country),
                "country_code": r.country,
                "outside_eea": outside,
                "mechanism": mechanism,
                "safeguards_url": r.safeguards_url.clone().unwrap_or_default(),
                "agreement": r.processor_agreement,
                "description": opt_text(&r.description, lang),
            })
        })
        .collect();
    let transfers: Vec<&Value> = recipients
        .iter()
        .filter(|r| r.get("outside_eea").and_then(Value::as_bool) == Some(true))
        .collect();
    let data: Vec<Value> = p
        .data
        .iter()
        .map(|d| {
            let mut special = Vec::new();
            if let Some(k) = d.special {
                special.push(w.special(k));
            }
            if d.criminal {
                special.push(w.get("special.criminal"));
            }
            if d.national_id {
                special.push(w.get("special.national_id"));
            }
            let retention: Vec<String> = p
                .retention_for_data(&d.id)
                .into_iter()
                .map(|r| {
                    w.t.fill(
                        "retention.data_period",
                        &[
                            ("period", &w.duration(&r.period)),
                            ("event", &p.event_words(&r.from, lang)),
                        ],
                    )
                })
                .collect();
            let label = text(&d.label, lang);
            let special = special.join(", ");
            // "BSN: burgerservicenummer (BSN)" says the same thing twice: the label suffices.
            let special_line = if special.is_empty() || special.eq_ignore_ascii_case(&label) {
                label.clone()
            } else {
                format!("{label}: {special}")
            };
            json!({
                "id": d.id,
                "label": label,
                "category": d.category,
                "special": special,
                "special_line": special_line,
                "from_others": matches!(d.source, DataSource::ThirdParty | DataSource::Public),
                "retention": retention,
            })
        })
        .collect();
    // The statement names every right the GDPR gives in this situation, whether or not the
    // organisation's current text did (`offered` is what lint checks, WB012-WB014).
    let has_adm = !p.automated_decisions.is_empty();
    let rights: Vec<Value> = Right::ALL
        .iter()
        .filter(|r| match r {
            Right::WithdrawConsent => {
                p.rights.offered.contains(r) || p.purposes.iter().any(relies_on_consent)
            }
            Right::NoAutomatedDecision => p.rights.offered.contains(r) || has_adm,
            _ => true,
        })
        .map(|r| {
            let (name, desc) = w.right(*r);
            json!({ "name": name, "description": desc })
        })
        .collect();
    let cookies: Vec<Value> = p
        .cookies
        .iter()
        .map(|c| {
            let lifetime = match (&c.lifetime, c.session) {
                (Some(l), _) => w.duration(l),
                (None, true) => w.get("cookie.session"),
                (None, false) => gaps.gap(w, "cookie_lifetime", "WB064"),
            };
            json!({
                "name": c.name,
                "provider": c.provider,
                "category": w.cookie_category(c.category),
                "lifetime": lifetime,
                "consent": w.cookie_consent(c.consent),
                "purpose": opt_text(&c.purpose, lang),
            })
        })
        .collect();
    let adm: Vec<Value> = p
        .automated_decisions
        .iter()
        .map(|a| {
            json!({
                "description": text(&a.description, lang),
                "logic": opt_text(&a.logic, lang),
                "consequences": opt_text(&a.consequences, lang),
                "human_review": a.human_review,
                "profiling": a.profiling,
            })
        })
        .collect();
    let activities: Vec<Value> = p
        .processor_activities
        .iter()
        .map(|a| {
            json!({
                "controller": text(&a.controller, lang),
                "description": text(&a.description, lang).trim_end_matches('.').to_owned(),
                "subjects": subject_labels(&a.subjects),
                "data": data_labels(&a.data),
                "sub_processors": recipient_labels(&a.sub_processors),
                "delete_after_end": a.delete_after_end.as_ref().map(|d| w.duration(d)).unwrap_or_default(),
                "breach_notice": a.breach_notice.as_ref().map(|d| w.duration(d)).unwrap_or_default(),
            })
        })
        .collect();
    let c = &p.controller;
    let addresses: Vec<String> = c
        .addresses
        .iter()
        .map(|a| format!("{}, {} {}", a.street, a.postcode, a.city).replace(",  ", ", "))
        .collect();
    let security: Vec<String> = p
        .security
        .iter()
        .map(|s| text(&s.description, lang))
        .collect();
    let subjects: Vec<String> = p.subjects.iter().map(|s| text(&s.label, lang)).collect();
    let uses_consent = p.purposes.iter().any(relies_on_consent);
    let from_others_labels: Vec<String> = p
        .data
        .iter()
        .filter(|d| matches!(d.source, DataSource::ThirdParty | DataSource::Public))
        .map(|d| text(&d.label, lang))
        .collect();
    let from_others = !from_others_labels.is_empty();
    let has_processors = p.recipients.iter().any(|r| is_processor(r.role));
    // Silence is never a claim: "no cookies", "nobody else" and "no automated decisions" are
    // said only when the register says so; otherwise they are gaps.
    let recipients_gap = if p.recipients.is_empty() && !p.statement.no_recipients {
        gaps.gap(w, "recipients", "WB062")
    } else {
        String::new()
    };
    let cookies_gap = if p.cookies.is_empty() && !p.statement.no_cookies {
        gaps.gap(w, "cookies", "WB061")
    } else {
        String::new()
    };
    let adm_gap = if p.automated_decisions.is_empty() && !p.statement.no_automated_decisions {
        gaps.gap(w, "automated_decisions", "WB063")
    } else {
        String::new()
    };
    let channels: Vec<String> = p.rights.channels.iter().map(|ch| w.channel(ch)).collect();
    let channels_words = if channels.is_empty() {
        gaps.gap(w, "channels", "WB034")
    } else {
        w.list(&channels, true)
    };
    let sensitive = sensitive_groups(p, lang, w, &gaps);
    let glossary: Vec<String> = [
        ("personal_data", true),
        ("controller", true),
        ("processor", has_processors),
        ("basis", !p.purposes.is_empty()),
        ("eea", true),
        ("consent", uses_consent || !p.cookies.is_empty()),
        ("avg", true),
    ]
    .iter()
    .filter(|(_, used)| *used)
    .map(|(k, _)| w.get(&format!("glossary.{k}")))
    .collect();
    let value = json!({
        "lang": lang.code(),
        "version": p.statement.version,
        "effective_date": p.statement.effective_date.to_string(),
        "effective_date_words": date_words(p.statement.effective_date.0, lang),
        "url": p.statement.url.clone().unwrap_or_default(),
        "controller": {
            "name": c.name,
            "trade_names": c.trade_names,
            "kvk": c.kvk.clone().unwrap_or_default(),
            "addresses": addresses,
            "email": c.email.clone().unwrap_or_default(),
            "email_href": email_href(c.email.as_deref()),
            "phone": c.phone.clone().unwrap_or_default(),
            "phone_href": phone_href(c.phone.as_deref()),
            "website": c.website.clone().unwrap_or_default(),
        },
        "officer": p.privacy_officer.as_ref().map(|o| json!({
            "name": o.name,
            "email": o.email.clone().unwrap_or_default(),
            "email_href": email_href(o.email.as_deref()),
            "phone": o.phone.clone().unwrap_or_default(),
            "formal_dpo": o.formal_dpo,
        })),
        "representative": p.representative.as_ref().map(|r| json!({
            "name": r.name,
            "email": r.email.clone().unwrap_or_default(),
        })),
        "subjects": subjects,
        "data": data,
        "has_special": p.data.iter().any(|d| d.special.is_some() || d.criminal || d.national_id),
        "sensitive": sensitive,
        "from_others": from_others,
        "from_others_words": w.list(&in_sentence(from_others_labels.clone()), false),
        "from_others_labels": from_others_labels,
        "has_processors": has_processors,
        "purposes": purposes,
        "recipients": recipients,
        "transfers": transfers,
        "uses_consent": uses_consent,
        "rights": rights,
        "channels": channels,
        "channels_words": channels_words,
        "deadline": p.rights.deadline.as_ref().map(|d| w.duration(d)).unwrap_or_default(),
        "extension": p.rights.extension.as_ref().map(|d| w.duration(d)).unwrap_or_default(),
        "identity": w.identity(p.rights.identity_check),
        "fee": w.fee(&p.rights.fee),
        "complaint_authority": p.rights.complaint_authority.clone().unwrap_or_else(|| "Autoriteit Persoonsgegevens".into()),
        "self_service_erasure": p.rights.self_service_erasure.as_ref().map(|d| w.duration(d)).unwrap_or_default(),
        "automated_decisions": adm,
        "cookies": cookies,
        "security": security,
        "activities": activities,
        "legal_holds": p.legal_holds.iter().map(|h| json!({
            "law": h.law,
            "period": w.duration(&h.period),
            "from": p.event_words(&h.from, lang),
            "explanation": opt_text(&h.explanation, lang),
        })).collect::<Vec<_>>(),
    });
    let extra = json!({
        "recipients_gap": recipients_gap,
        "cookies_gap": cookies_gap,
        "automated_decisions_gap": adm_gap,
        "glossary_heading": w.get("glossary.heading"),
        "glossary": glossary,
        "complaint_url": w.get("page.complaint_url"),
        "complaint_is_ap": p.rights.complaint_authority.as_deref().is_none_or(|a| a.to_lowercase().contains("autoriteit persoonsgegevens")),
        "complaint_link": w.get("page.complaint_link"),
        "contents": w.get("page.contents"),
        "skip": w.get("page.skip"),
        "draft": false,
        "draft_banner": w.get("draft.banner"),
        "draft_title": w.get("page.draft"),
    });
    let mut value = value;
    if let (Some(obj), Value::Object(more)) = (value.as_object_mut(), extra) {
        obj.extend(more);
    }
    (value, gaps.0.into_inner())
}

/// Labels as they read inside a sentence: `E-mailadres` becomes `e-mailadres`, while an
/// abbreviation or name written in capitals (`BSN`, `IBAN`, `KvK-nummer`) stays as it is.
fn in_sentence(labels: Vec<String>) -> Vec<String> {
    labels
        .into_iter()
        .map(|l| {
            let mut chars = l.chars();
            match (chars.next(), chars.next()) {
                (Some(first), Some(second))
                    if first.is_uppercase()
                        && !second.is_uppercase()
                        && l.split_whitespace()
                            .skip(1)
                            .all(|w| !w.chars().next().is_some_and(char::is_uppercase)) =>
                {
                    first.to_lowercase().chain(l.chars().skip(1)).collect()
                }
                _ => l,
            }
        })
        .collect()
}

/// The address for a `mailto:` link, when it is a plain address (no spaces, brackets or
/// other characters that would end or change a Markdown link); otherwise empty (no link).
fn email_href(email: Option<&str>) -> String {
    let Some(e) = email.map(str::trim) else {
        return String::new();
    };
    let plain = e.split('@').count() == 2
        && e.chars()
            .all(|c| c.is_alphanumeric() || "._%+-@".contains(c));
    if plain { e.to_owned() } else { String::new() }
}

/// The number for a `tel:` link: digits with a leading `+`, nothing else; empty when the
/// phone field does not look like one number.
fn phone_href(phone: Option<&str>) -> String {
    let Some(p) = phone.map(str::trim) else {
        return String::new();
    };
    if !p
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
    {
        return String::new();
    }
    let digits: String = p
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect();
    if digits.trim_start_matches('+').len() >= 6 {
        digits
    } else {
        String::new()
    }
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return
/// at the start) gets a leading apostrophe, so that opening the register in Excel or LibreOffice
/// never runs a value from the register file (CSV injection, OWASP).
fn defuse_cell(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

fn csv_out(header: &[&str], rows: Vec<Vec<String>>) -> Result<String, RenderError> {
    let mut wtr = csv::Writer::from_writer(Vec::new());
    wtr.write_record(header)
        .map_err(|e| RenderError::Csv(e.to_string()))?;
    for r in rows {
        let r: Vec<String> = r.into_iter().map(defuse_cell).collect();
        wtr.write_record(&r)
            .map_err(|e| RenderError::Csv(e.to_string()))?;
    }
    let bytes = wtr
        .into_inner()
        .map_err(|e| RenderError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| RenderError::Csv(e.to_string()))
}

fn s(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| s(Some(x)))
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn register_csv(ctx: &Value) -> Result<String, RenderError> {
    let empty = Vec::new();
    let purposes = ctx
        .get("purposes")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let controller = s(ctx.get("controller").and_then(|c| c.get("name")));
    let sentences = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|x| s(Some(x)))
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let rows = purposes
        .iter()
        .map(|p| {
            let article = s(p.get("basis_article"));
            let basis = if article.is_empty() {
                s(p.get("basis"))
            } else {
                format!("{} ({article})", s(p.get("basis")))
            };
            // Retention lines are sentences: join them with a space, not with "; ".
            let mut retention = sentences(p.get("retention"));
            retention.extend(sentences(p.get("holds")));
            let retention = retention.join(" ");
            // Art. 30(1)(e): the purpose's recipients outside the EEA, with the mechanism.
            let names = sentences(p.get("recipient_ids"));
            let transfers = ctx
                .get("transfers")
                .and_then(Value::as_array)
                .map(|ts| {
                    ts.iter()
                        .filter(|t| names.contains(&s(t.get("id"))))
                        .map(|t| {
                            format!(
                                "{} ({}): {}",
                                s(t.get("name")),
                                s(t.get("country")),
                                s(t.get("mechanism"))
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            vec![
                controller.clone(),
                s(p.get("id")),
                s(p.get("name")),
                basis.trim().to_owned(),
                s(p.get("subjects")),
                s(p.get("data")),
                s(p.get("recipients")),
                transfers,
                retention,
            ]
        })
        .collect();
    csv_out(
        &[
            "controller",
            "purpose_id",
            "purpose",
            "legal_basis",
            "data_subjects",
            "data_categories",
            "recipients",
            "transfers_outside_eea",
            "retention",
        ],
        rows,
    )
}

fn cookies_csv(ctx: &Value) -> Result<String, RenderError> {
    let empty = Vec::new();
    let cookies = ctx
        .get("cookies")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let rows = cookies
        .iter()
        .map(|c| {
            [
                "name", "provider", "category", "lifetime", "consent", "purpose",
            ]
            .iter()
            .map(|k| s(c.get(*k)))
            .collect()
        })
        .collect();
    csv_out(
        &[
            "name", "provider", "category", "lifetime", "consent", "purpose",
        ],
        rows,
    )
}
