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
    /// The Word document could not be put together.
    #[error("cannot write the DOCX document: {0}")]
    Docx(String),
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

/// Renders `what` for a register.
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
    let ctx = context(policy, lang);
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
    let env = environment(templates, html)?;
    let md = tidy(&render_template(&env, &template_name(what, lang), &ctx)?);
    if !html {
        return Ok(md);
    }
    let mut body = String::new();
    let opts = pulldown_cmark::Options::ENABLE_TABLES;
    pulldown_cmark::html::push_html(&mut body, pulldown_cmark::Parser::new_ext(&md, opts));
    let mut page_ctx = ctx.clone();
    if let Some(obj) = page_ctx.as_object_mut() {
        obj.insert("body".into(), Value::String(body));
        obj.insert("what".into(), Value::String(what.key().into()));
    }
    render_template(&env, "page.html", &page_ctx)
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

struct Words {
    lang: Lang,
}

impl Words {
    fn pick(&self, nl: &str, en: &str) -> String {
        if self.lang == Lang::Nl { nl } else { en }.to_owned()
    }

    fn basis(&self, b: Option<LegalBasis>) -> String {
        match b {
            None => self.pick("niet vastgelegd", "not stated"),
            Some(b) => b.words(self.lang).to_owned(),
        }
    }

    fn right(&self, r: Right) -> (String, String) {
        let (nl, en, nl_d, en_d) = match r {
            Right::Access => (
                "Inzage",
                "Access",
                "U mag weten welke gegevens wij van u hebben en een kopie krijgen.",
                "You may know which data we have about you and get a copy.",
            ),
            Right::Rectification => (
                "Verbetering",
                "Rectification",
                "Kloppen uw gegevens niet, dan passen wij ze aan.",
                "If your data are wrong, we correct them.",
            ),
            Right::Erasure => (
                "Verwijdering",
                "Erasure",
                "U mag vragen uw gegevens te wissen.",
                "You may ask us to erase your data.",
            ),
            Right::Restriction => (
                "Beperking",
                "Restriction",
                "U mag vragen het gebruik van uw gegevens tijdelijk te stoppen.",
                "You may ask us to stop using your data for a while.",
            ),
            Right::Portability => (
                "Overdracht",
                "Portability",
                "U mag uw gegevens in een gewoon computerbestand krijgen, ook voor een ander bedrijf.",
                "You may get your data in a common computer file, also for another company.",
            ),
            Right::Objection => (
                "Bezwaar",
                "Objection",
                "U mag bezwaar maken tegen gebruik op basis van ons gerechtvaardigd belang, en altijd tegen direct marketing.",
                "You may object to use based on our legitimate interest, and always to direct marketing.",
            ),
            Right::WithdrawConsent => (
                "Toestemming intrekken",
                "Withdrawing consent",
                "U mag uw toestemming altijd intrekken. Wat wij daarvoor deden, blijft wel geldig.",
                "You may withdraw your consent at any time. What we did before stays lawful.",
            ),
            Right::NoAutomatedDecision => (
                "Geen automatisch besluit",
                "No automated decision",
                "U mag vragen dat een mens naar een automatisch besluit kijkt.",
                "You may ask for a person to look at an automated decision.",
            ),
            Right::Complaint => (
                "Klacht",
                "Complaint",
                "U mag een klacht indienen bij de toezichthouder.",
                "You may complain to the supervisory authority.",
            ),
        };
        (self.pick(nl, en), self.pick(nl_d, en_d))
    }

    fn role(&self, r: RecipientRole) -> String {
        match r {
            RecipientRole::Processor => self.pick("verwerker", "processor"),
            RecipientRole::SubProcessor => self.pick("subverwerker", "sub-processor"),
            RecipientRole::Controller => {
                self.pick("zelfstandig verantwoordelijke", "independent controller")
            }
            RecipientRole::JointController => {
                self.pick("gezamenlijk verantwoordelijke", "joint controller")
            }
            RecipientRole::PublicAuthority => self.pick("overheid", "public authority"),
        }
    }

    fn mechanism(&self, m: Option<TransferMechanism>, country: &str) -> String {
        match m {
            Some(TransferMechanism::Adequacy) => self.pick(
                "besluit van de Europese Commissie dat het land passend beschermt",
                "European Commission decision that the country protects data adequately",
            ),
            Some(TransferMechanism::DataPrivacyFramework) => self.pick(
                "EU-VS Data Privacy Framework (de ontvanger is gecertificeerd)",
                "EU-US Data Privacy Framework (the recipient is certified)",
            ),
            Some(TransferMechanism::StandardContractualClauses) => self.pick(
                "standaardcontractbepalingen van de Europese Commissie",
                "standard contractual clauses of the European Commission",
            ),
            Some(TransferMechanism::OldStandardContractualClauses) => self.pick(
                "oude standaardcontractbepalingen",
                "old standard contractual clauses",
            ),
            Some(TransferMechanism::BindingCorporateRules) => {
                self.pick("bindende bedrijfsvoorschriften", "binding corporate rules")
            }
            Some(TransferMechanism::Derogation) => self.pick(
                "een uitzondering uit artikel 49 AVG",
                "an exception of Article 49 GDPR",
            ),
            Some(TransferMechanism::PrivacyShield) => self.pick(
                "EU-VS Privacy Shield (let op: ongeldig sinds 16 juli 2020)",
                "EU-US Privacy Shield (note: invalid since 16 July 2020)",
            ),
            Some(TransferMechanism::SafeHarbor) => self.pick(
                "Safe Harbor (let op: ongeldig sinds 6 oktober 2015)",
                "Safe Harbor (note: invalid since 6 October 2015)",
            ),
            _ if adequate(country) => self.pick(
                "besluit van de Europese Commissie dat het land passend beschermt",
                "European Commission decision that the country protects data adequately",
            ),
            _ => self.pick("geen regeling vastgelegd", "no mechanism recorded"),
        }
    }

    fn cookie_category(&self, c: CookieCategory) -> String {
        match c {
            CookieCategory::Necessary => self.pick("noodzakelijk", "necessary"),
            CookieCategory::Functional => self.pick("functioneel", "functional"),
            CookieCategory::Analytics => self.pick("analytisch", "analytics"),
            CookieCategory::Advertising => {
                self.pick("advertenties en tracking", "advertising and tracking")
            }
        }
    }

    fn cookie_consent(&self, c: CookieConsent) -> String {
        match c {
            CookieConsent::OptIn => {
                self.pick("alleen na uw toestemming", "only after your consent")
            }
            CookieConsent::Implied => self.pick(
                "door gebruik van de site (geen geldige toestemming)",
                "by using the site (not valid consent)",
            ),
            CookieConsent::None => self.pick("zonder toestemming", "without consent"),
            CookieConsent::Exempt => self.pick("geen toestemming nodig", "no consent needed"),
        }
    }

    fn channel(&self, c: &Channel) -> String {
        let kind = match c.kind {
            ChannelKind::Email => self.pick("e-mail", "e-mail"),
            ChannelKind::WebForm => self.pick("webformulier", "web form"),
            ChannelKind::Portal => self.pick("uw account", "your account"),
            ChannelKind::Link => self.pick("link in het bericht", "link in the message"),
            ChannelKind::Post => self.pick("post", "post"),
            ChannelKind::Phone => self.pick("telefoon", "phone"),
            ChannelKind::InPerson => self.pick("persoonlijk", "in person"),
            ChannelKind::CookieSettings => self.pick("cookie-instellingen", "cookie settings"),
        };
        match &c.address {
            Some(a) if !a.trim().is_empty() => format!("{kind} ({})", a.trim()),
            _ => kind,
        }
    }

    fn identity(&self, i: Option<IdentityCheck>) -> String {
        match i {
            Some(IdentityCheck::EmailLink) => self.pick(
                "We sturen een link naar het e-mailadres dat wij al van u hebben.",
                "We send a link to the e-mail address we already have.",
            ),
            Some(IdentityCheck::Account) => self.pick(
                "U logt in op uw account.",
                "You log in to your account.",
            ),
            Some(IdentityCheck::KnowledgeQuestions) => self.pick(
                "We stellen een paar vragen die alleen u kunt beantwoorden.",
                "We ask a few questions only you can answer.",
            ),
            Some(IdentityCheck::ShowDocument) => self.pick(
                "U laat een identiteitsbewijs zien; wij maken geen kopie.",
                "You show an identity document; we do not copy it.",
            ),
            Some(IdentityCheck::MaskedIdCopy) => self.pick(
                "Alleen als we twijfelen, vragen we een kopie van uw identiteitsbewijs. Maak dan uw BSN en pasfoto onzichtbaar.",
                "Only when in doubt, we ask for a copy of your identity document. Hide your BSN and photo on it.",
            ),
            Some(IdentityCheck::MaskedIdCopyAlways) => self.pick(
                "We vragen bij elk verzoek een kopie van uw identiteitsbewijs. Maak daarop uw BSN en pasfoto onzichtbaar.",
                "With every request we ask for a copy of your identity document. Hide your BSN and photo on it.",
            ),
            Some(IdentityCheck::IdCopy) => self.pick(
                "We vragen een kopie van uw identiteitsbewijs.",
                "We ask for a copy of your identity document.",
            ),
            Some(IdentityCheck::None) | None => self.pick(
                "We controleren op een eenvoudige manier of het verzoek van u komt.",
                "We check in a simple way that the request comes from you.",
            ),
        }
    }

    fn fee(&self, f: &Fee) -> String {
        let amount = f
            .amount_cents
            .map(|c| format!("€ {},{:02}", c / 100, c % 100))
            .unwrap_or_else(|| self.pick("een vergoeding", "a fee"));
        match f.policy {
            FeePolicy::Free => self.pick("Een verzoek is gratis.", "A request is free."),
            FeePolicy::ExcessiveOnly => self.pick(
                "Een verzoek is gratis. Alleen bij een duidelijk ongegrond of overdreven verzoek kunnen we een redelijke vergoeding vragen.",
                "A request is free. Only for a clearly unfounded or excessive request may we ask a reasonable fee.",
            ),
            FeePolicy::ExtraCopies => self.pick(
                "Een verzoek is gratis. Voor extra kopieën vragen we een redelijke vergoeding.",
                "A request is free. For extra copies we ask a reasonable fee.",
            ),
            FeePolicy::Repeat => {
                let within = f
                    .within
                    .as_ref()
                    .map(|w| w.words(self.lang))
                    .unwrap_or_default();
                if self.lang == Lang::Nl {
                    format!("Het eerste verzoek is gratis. Voor een nieuw verzoek binnen {within} vragen wij {amount}.")
                } else {
                    format!("The first request is free. For a new request within {within} we ask {amount}.")
                }
            }
            FeePolicy::Always => {
                if self.lang == Lang::Nl {
                    format!("Voor een verzoek vragen wij {amount}.")
                } else {
                    format!("For a request we ask {amount}.")
                }
            }
        }
    }

    fn provision(&self, p: Option<Provision>) -> String {
        match p {
            Some(Provision::Statutory) => {
                self.pick("Dit is wettelijk verplicht.", "This is required by law.")
            }
            Some(Provision::Contractual) => self.pick(
                "Dit is verplicht volgens de overeenkomst.",
                "The contract requires this.",
            ),
            Some(Provision::PrerequisiteForContract) => self.pick(
                "Dit is nodig om een overeenkomst te sluiten.",
                "This is needed to enter into a contract.",
            ),
            Some(Provision::Voluntary) => self.pick(
                "U bent niet verplicht deze gegevens te geven.",
                "You do not have to give these data.",
            ),
            None => String::new(),
        }
    }

    fn special(&self, k: Art9Kind) -> String {
        match k {
            Art9Kind::RacialOrEthnicOrigin => {
                self.pick("ras of etnische afkomst", "racial or ethnic origin")
            }
            Art9Kind::PoliticalOpinions => self.pick("politieke opvattingen", "political opinions"),
            Art9Kind::ReligiousOrPhilosophicalBeliefs => self.pick(
                "religie of levensovertuiging",
                "religious or philosophical beliefs",
            ),
            Art9Kind::TradeUnionMembership => {
                self.pick("lidmaatschap van een vakbond", "trade-union membership")
            }
            Art9Kind::Genetic => self.pick("genetische gegevens", "genetic data"),
            Art9Kind::Biometric => self.pick("biometrische gegevens", "biometric data"),
            Art9Kind::Health => self.pick("gezondheid", "health"),
            Art9Kind::SexLifeOrOrientation => self.pick(
                "seksueel gedrag of gerichtheid",
                "sex life or sexual orientation",
            ),
        }
    }

    fn action(&self, a: RetentionAction) -> String {
        match a {
            RetentionAction::Delete => self.pick("verwijderd", "deleted"),
            RetentionAction::Anonymise => self.pick("anoniem gemaakt", "made anonymous"),
        }
    }
}

fn text(t: &Text, lang: Lang) -> String {
    t.get(lang).to_owned()
}

fn opt_text(t: &Option<Text>, lang: Lang) -> String {
    t.as_ref().map(|t| text(t, lang)).unwrap_or_default()
}

fn retention_line(p: &Policy, r: &RetentionRule, w: &Words) -> String {
    let lang = w.lang;
    let data: Vec<String> = r
        .data
        .iter()
        .filter_map(|d| p.data_category(d))
        .map(|d| text(&d.label, lang))
        .collect();
    let scope = match (&r.purpose, data.is_empty()) {
        (_, false) => data.join(", "),
        (Some(pid), true) => p
            .purpose(pid)
            .map(|pu| text(&pu.name, lang))
            .unwrap_or_else(|| pid.clone()),
        (None, true) => r.id.clone(),
    };
    let prefix = if r.data.is_empty() && r.purpose.is_some() {
        String::new()
    } else {
        format!("{scope}: ")
    };
    let mut line = if lang == Lang::Nl {
        format!(
            "{prefix}{} na {}, daarna {}.",
            r.period.words(lang),
            p.event_words(&r.from, lang),
            w.action(r.action)
        )
    } else {
        format!(
            "{prefix}{} after {}, then {}.",
            r.period.words(lang),
            p.event_words(&r.from, lang),
            w.action(r.action)
        )
    };
    if r.extendable {
        let ext = r
            .extension
            .as_ref()
            .map(|e| e.words(lang))
            .unwrap_or_else(|| w.pick("een afgesproken termijn", "an agreed period"));
        line.push_str(&if lang == Lang::Nl {
            format!(" Met uw toestemming bewaren we het langer, tot {ext} extra.")
        } else {
            format!(" With your consent we keep it longer, up to {ext} more.")
        });
    }
    if let Some(n) = &r.note {
        line.push(' ');
        line.push_str(n.get(lang));
    }
    line
}

/// The sensitive data by kind, each kind with its own legal regime: Art. 9 special categories
/// (with the Art. 9(2) ground of each purpose in words), Art. 10 criminal data and the BSN (with
/// the law each purpose names). Kinds without data are left out.
fn sensitive_groups(p: &Policy, lang: Lang) -> Vec<Value> {
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
                            .map(|g| {
                                if nl {
                                    format!("op grond van {}", g.trim())
                                } else {
                                    format!("under {}", g.trim())
                                }
                            })
                    };
                    match why {
                        Some(why) => format!("{name}: {why}"),
                        None if nl => format!("{name}: geen grond vastgelegd"),
                        None => format!("{name}: no ground recorded"),
                    }
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

/// The view model given to the templates (also useful for other front ends).
pub fn context(p: &Policy, lang: Lang) -> Value {
    let w = Words { lang };
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
                .map(|r| retention_line(p, r, &w))
                .collect();
            let holds: Vec<String> = p
                .legal_holds
                .iter()
                .filter(|h| h.purposes.contains(&pu.id))
                .map(|h| {
                    if lang == Lang::Nl {
                        format!("Wettelijke bewaarplicht: {} na {} ({}).", h.period.words(lang), p.event_words(&h.from, lang), h.law)
                    } else {
                        format!("Legal duty to keep: {} after {} ({}).", h.period.words(lang), p.event_words(&h.from, lang), h.law)
                    }
                })
                .collect();
            let withdrawal: Vec<String> = pu
                .consent
                .as_ref()
                .map(|c| c.withdrawal.iter().map(|ch| w.channel(ch)).collect())
                .unwrap_or_default();
            json!({
                "id": pu.id,
                "name": text(&pu.name, lang),
                "description": text(&pu.description, lang),
                "basis": w.basis(pu.legal_basis),
                "basis_article": pu.legal_basis.map(|b| if lang == Lang::Nl { b.article_nl() } else { b.article() }).unwrap_or(""),
                "basis_key": pu.legal_basis.map(LegalBasis::key).unwrap_or(""),
                "legitimate_interest": opt_text(&pu.legitimate_interest, lang),
                "legal_ground": pu.legal_ground.clone().unwrap_or_default(),
                "art9_exception": pu.art9_exception.map(|e| serde_json::to_value(e).unwrap_or(Value::Null)),
                "art9_words": pu.art9_exception.map(|e| e.words(lang)).unwrap_or_default(),
                "art9_article": pu.art9_exception.map(|e| if lang == Lang::Nl { e.article_nl() } else { e.article() }).unwrap_or_default(),
                "data": data_labels(&pu.data),
                "subjects": subject_labels(&pu.subjects),
                "recipients": recipient_labels(&pu.recipients),
                "recipient_ids": pu.recipients,
                "provision": w.provision(pu.provision),
                "consequence": opt_text(&pu.consequence_if_not_provided, lang),
                "consent": relies_on_consent(pu),
                "parental_consent": pu.consent.as_ref().is_some_and(|c| c.parental_consent),
                "minimum_age": pu.consent.as_ref().and_then(|c| c.minimum_age).unwrap_or(16),
                "single_use": pu.consent.as_ref().is_some_and(|c| c.scope == ConsentScope::SingleUse),
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
            json!({
                "id": r.id,
                "name": text(&r.name, lang),
                "role": w.role(r.role),
                "country": r.country,
                "outside_eea": outside,
                "mechanism": if outside { w.mechanism(r.transfer_mechanism, &r.country) } else { String::new() },
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
                special.push(w.pick("strafrechtelijke gegevens", "criminal-offence data"));
            }
            if d.national_id {
                special.push(w.pick("burgerservicenummer (BSN)", "citizen service number (BSN)"));
            }
            let retention: Vec<String> = p
                .retention_for_data(&d.id)
                .into_iter()
                .map(|r| {
                    format!(
                        "{} ({})",
                        r.period.words(lang),
                        p.event_words(&r.from, lang)
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
            json!({
                "name": c.name,
                "provider": c.provider,
                "category": w.cookie_category(c.category),
                "lifetime": c.lifetime.as_ref().map(|l| l.words(lang)).unwrap_or_else(|| w.pick("tot u de browser sluit", "until you close the browser")),
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
                "delete_after_end": a.delete_after_end.as_ref().map(|d| d.words(lang)).unwrap_or_default(),
                "breach_notice": a.breach_notice.as_ref().map(|d| d.words(lang)).unwrap_or_default(),
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
    json!({
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
            "phone": c.phone.clone().unwrap_or_default(),
            "website": c.website.clone().unwrap_or_default(),
        },
        "officer": p.privacy_officer.as_ref().map(|o| json!({
            "name": o.name,
            "email": o.email.clone().unwrap_or_default(),
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
        "sensitive": sensitive_groups(p, lang),
        "from_others": from_others,
        "from_others_labels": from_others_labels,
        "has_processors": has_processors,
        "purposes": purposes,
        "recipients": recipients,
        "transfers": transfers,
        "uses_consent": uses_consent,
        "rights": rights,
        "channels": p.rights.channels.iter().map(|ch| w.channel(ch)).collect::<Vec<_>>(),
        "deadline": p.rights.deadline.as_ref().map(|d| d.words(lang)).unwrap_or_default(),
        "extension": p.rights.extension.as_ref().map(|d| d.words(lang)).unwrap_or_default(),
        "identity": w.identity(p.rights.identity_check),
        "fee": w.fee(&p.rights.fee),
        "complaint_authority": p.rights.complaint_authority.clone().unwrap_or_else(|| "Autoriteit Persoonsgegevens".into()),
        "self_service_erasure": p.rights.self_service_erasure.as_ref().map(|d| d.words(lang)).unwrap_or_default(),
        "automated_decisions": adm,
        "cookies": cookies,
        "security": security,
        "activities": activities,
        "legal_holds": p.legal_holds.iter().map(|h| json!({
            "law": h.law,
            "period": h.period.words(lang),
            "from": p.event_words(&h.from, lang),
            "note": opt_text(&h.note, lang),
        })).collect::<Vec<_>>(),
    })
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
