//! `waarborg init`: a guided start of a register. A short set of questions (who you are, your
//! privacy contact, whose data, for what and on which legal basis, which data, how long, who
//! receives them, which cookies) turns into a register TOML that `waarborg_policy` loads, and the
//! lint findings of that register tell what to fix next.
//!
//! The questions and messages are data (`init/nl.toml`, `init/en.toml`); this module asks them,
//! checks every answer (a bad answer is asked again with a short reason) and writes the TOML.
//! With a document (`--from`), the reader's facts pre-fill the answers: Enter keeps one.
//!
//! - [`prefill_from_file`]: answers found in a privacy statement;
//! - [`interview`]: asks the questions line by line (works with piped input);
//! - [`register_toml`]: the answers as a register TOML (checked by loading it);
//! - [`check_target`], [`write_register`], [`check_written`]: refuse to overwrite, write
//!   atomically, load back and lint;
//! - [`report_text`]: the findings in the chosen language with what to do next.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::path::Path;

use serde::Serialize;
use toml::Value;
use waarborg_policy::lint::{FileReport, Severity};
use waarborg_policy::{
    CookieCategory, IsoDuration, Lang, LegalBasis, RecipientRole, RetentionEvent, Right,
};
use waarborg_reader::output::{fideslang_for, slug, split_address};

use crate::error::{AppError, Result};

const NL: &str = include_str!("../init/nl.toml");
const EN: &str = include_str!("../init/en.toml");

/// The legal bases of Art. 6(1), in the order they are offered (a to f).
const BASES: [LegalBasis; 6] = LegalBasis::ALL;

/// The recipient roles offered.
const ROLES: [RecipientRole; 3] = [
    RecipientRole::Processor,
    RecipientRole::Controller,
    RecipientRole::PublicAuthority,
];

/// The cookie categories offered.
const COOKIE_CATEGORIES: [CookieCategory; 4] = [
    CookieCategory::Necessary,
    CookieCategory::Functional,
    CookieCategory::Analytics,
    CookieCategory::Advertising,
];

/// The retention events offered first; the vocabulary's other events follow.
const FIRST_EVENTS: [&str; 4] = [
    "collection",
    "last_contact",
    "end_of_contract",
    "end_of_application",
];

/// The complaint authority written into a new register.
const AUTHORITY: &str = "Autoriteit Persoonsgegevens";

/// The answers: what the register is made from. Also used for pre-filled answers (then a
/// field may be empty or `None` where nothing was found).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    /// The organisation.
    pub controller: ControllerAnswers,
    /// The privacy contact or DPO, when there is one.
    pub officer: Option<OfficerAnswers>,
    /// Groups of people whose data are used (their names).
    pub subjects: Vec<String>,
    /// Purposes.
    pub purposes: Vec<PurposeAnswers>,
    /// Recipients.
    pub recipients: Vec<RecipientAnswers>,
    /// Cookies.
    pub cookies: Vec<CookieAnswers>,
    /// No cookies were named and the organisation confirmed its website places none.
    pub no_cookies: bool,
    /// No recipients were named and the organisation confirmed nobody receives data.
    pub no_recipients: bool,
    /// Whether a computer alone takes decisions about people (`Some(false)`: confirmed none).
    pub automated_decisions: Option<bool>,
}

/// Who the organisation is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ControllerAnswers {
    /// Legal name.
    pub name: String,
    /// KvK number (8 digits).
    pub kvk: Option<String>,
    /// Postal address.
    pub address: Option<AddressAnswer>,
    /// E-mail address for privacy questions.
    pub email: Option<String>,
    /// Telephone number.
    pub phone: Option<String>,
    /// Website (with `https://`).
    pub website: Option<String>,
}

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddressAnswer {
    /// Street and number.
    pub street: String,
    /// Postcode.
    pub postcode: String,
    /// City.
    pub city: String,
}

impl AddressAnswer {
    /// The address on one line, as it is asked: `Street 1, 1234 AB City`.
    pub fn line(&self) -> String {
        format!("{}, {} {}", self.street, self.postcode, self.city)
    }
}

/// The privacy contact or data protection officer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfficerAnswers {
    /// Name or job title.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// `true` for a DPO registered with the AP.
    pub formal_dpo: bool,
}

/// One purpose.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PurposeAnswers {
    /// Short name.
    pub name: String,
    /// Indexes into [`Answers::subjects`]; empty means all groups.
    pub subjects: Vec<usize>,
    /// The Art. 6(1) basis.
    pub basis: Option<LegalBasis>,
    /// The legitimate interest (for `legitimate_interests`).
    pub interest: Option<String>,
    /// The law that imposes the obligation or task.
    pub law: Option<String>,
    /// The data used, in the user's words (`naam`, `e-mailadres`) or fideslang keys.
    pub data: Vec<String>,
    /// How long the data are kept.
    pub retention: Option<RetentionAnswer>,
}

/// A retention period and the event it runs from.
#[derive(Debug, Clone, PartialEq)]
pub struct RetentionAnswer {
    /// The period.
    pub period: IsoDuration,
    /// The event; `None` when not known yet (pre-filled).
    pub from: Option<RetentionEvent>,
}

/// One recipient.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecipientAnswers {
    /// Name.
    pub name: String,
    /// Role.
    pub role: Option<RecipientRole>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// Indexes into [`Answers::purposes`]; empty means all purposes.
    pub purposes: Vec<usize>,
    /// For a processor: whether a processor agreement is signed.
    pub agreement: Option<bool>,
}

/// One cookie.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CookieAnswers {
    /// Cookie name.
    pub name: String,
    /// Who places it.
    pub provider: Option<String>,
    /// Category.
    pub category: Option<CookieCategory>,
    /// Lifetime; `None` for a session cookie.
    pub lifetime: Option<IsoDuration>,
}

/// The questions and messages of one language, with the duration words of both.
#[derive(Debug, Clone)]
pub struct Texts {
    map: BTreeMap<String, String>,
    units: Vec<(char, Vec<String>)>,
    connectors: Vec<String>,
    yes: Vec<String>,
    no: Vec<String>,
}

fn parse_texts(src: &str) -> Result<BTreeMap<String, String>> {
    toml::from_str(src).map_err(|e| AppError::internal(format!("the init texts do not parse: {e}")))
}

fn words(list: &str) -> Vec<String> {
    list.split(',')
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

impl Texts {
    /// The texts of `lang` (the words for durations, yes and no of both languages).
    pub fn load(lang: Lang) -> Result<Texts> {
        let nl = parse_texts(NL)?;
        let en = parse_texts(EN)?;
        let both = |key: &str| {
            let mut out = words(nl.get(key).map_or("", String::as_str));
            out.extend(words(en.get(key).map_or("", String::as_str)));
            out
        };
        let units = [
            ('Y', "unit_years"),
            ('M', "unit_months"),
            ('W', "unit_weeks"),
            ('D', "unit_days"),
            ('H', "unit_hours"),
        ]
        .into_iter()
        .map(|(unit, key)| (unit, both(key)))
        .collect();
        let (connectors, yes, no) = (both("connectors"), both("yes_words"), both("no_words"));
        let map = match lang {
            Lang::Nl => nl,
            Lang::En => en,
        };
        Ok(Texts {
            map,
            units,
            connectors,
            yes,
            no,
        })
    }

    /// The text of `key` (the key itself when missing; the tests check none is).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// The text of `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        waarborg_policy::texts::fill(self.get(key), values)
    }

    /// Reads a duration written as words (`7 jaar`, `2 years and 6 months`, `48 uur`) or as
    /// ISO 8601 (`P7Y`).
    pub fn duration(&self, text: &str) -> Option<IsoDuration> {
        let t = text.trim();
        if t.starts_with(['P', 'p']) {
            return IsoDuration::parse(t).ok();
        }
        // Runs of digits and runs of letters; anything else separates.
        let mut tokens: Vec<String> = Vec::new();
        let mut current = String::new();
        for c in t.to_lowercase().chars() {
            let same_kind = current
                .chars()
                .last()
                .is_some_and(|p| p.is_ascii_digit() == c.is_ascii_digit());
            if c.is_ascii_digit() || c.is_alphabetic() {
                if !same_kind && !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
                current.push(c);
            } else if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            tokens.push(current);
        }
        let mut amounts: BTreeMap<char, u32> = BTreeMap::new();
        let mut pending: Option<u32> = None;
        for token in &tokens {
            if token.chars().all(|c| c.is_ascii_digit()) {
                if pending.is_some() {
                    return None;
                }
                pending = Some(token.parse().ok()?);
            } else if self.connectors.contains(token) {
                if pending.is_some() {
                    return None;
                }
            } else {
                let unit = self
                    .units
                    .iter()
                    .find(|(_, w)| w.contains(token))
                    .map(|(u, _)| *u)?;
                let n = pending.take()?;
                if amounts.insert(unit, n).is_some() {
                    return None;
                }
            }
        }
        if pending.is_some() || amounts.is_empty() {
            return None;
        }
        let mut iso = String::from("P");
        for unit in ['Y', 'M', 'W', 'D'] {
            if let Some(n) = amounts.get(&unit) {
                iso.push_str(&format!("{n}{unit}"));
            }
        }
        if let Some(h) = amounts.get(&'H') {
            iso.push_str(&format!("T{h}H"));
        }
        IsoDuration::parse(&iso).ok()
    }

    /// Reads yes or no.
    pub fn yes_no(&self, text: &str) -> Option<bool> {
        let t = text.trim().to_lowercase();
        if self.yes.contains(&t) {
            Some(true)
        } else if self.no.contains(&t) {
            Some(false)
        } else {
            None
        }
    }
}

/// The TOML key of a vocabulary value (`legal_obligation`, `processor`, `analytics`).
fn key_of<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The retention events offered, in order: the common four, then the vocabulary's others
/// (one key per wording in `lang`, so that no two choices read the same).
fn events(lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = FIRST_EVENTS.iter().map(|e| (*e).to_owned()).collect();
    let mut seen: BTreeSet<&str> = out
        .iter()
        .filter_map(|k| waarborg_policy::vocab::event_words(k, lang))
        .collect();
    for (key, words) in &waarborg_policy::vocab::vocabulary().events {
        if !out.contains(key) && seen.insert(words.get(lang)) {
            out.push(key.clone());
        }
    }
    out
}

fn event_from_key(key: &str) -> Option<RetentionEvent> {
    serde_json::from_value(serde_json::Value::String(key.to_owned())).ok()
}

// --- Checking single answers -----------------------------------------------------------------

fn check_kvk(t: &str) -> Option<String> {
    let digits: String = t.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
    (digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

fn check_email(t: &str) -> Option<String> {
    let t = t.trim();
    let (local, domain) = t.split_once('@')?;
    let ok = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !t.chars().any(char::is_whitespace);
    ok.then(|| t.to_owned())
}

fn check_phone(t: &str) -> Option<String> {
    let t = t.trim();
    let allowed = t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'));
    let digits = t.chars().filter(char::is_ascii_digit).count();
    (allowed && (6..=15).contains(&digits)).then(|| t.to_owned())
}

fn check_website(t: &str) -> Option<String> {
    let t = t.trim();
    if t.chars().any(char::is_whitespace) {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let url = if lower.starts_with("https://") || lower.starts_with("http://") {
        t.to_owned()
    } else if lower.contains("://") {
        return None;
    } else {
        format!("https://{t}")
    };
    let host = url.split("://").nth(1)?.split('/').next()?;
    (host.contains('.') && !host.starts_with('.') && !host.ends_with('.')).then_some(url)
}

fn check_address(t: &str) -> Option<AddressAnswer> {
    split_address(t.trim()).map(|(street, postcode, city)| AddressAnswer {
        street,
        postcode,
        city,
    })
}

fn check_country(t: &str) -> Option<String> {
    let t = t.trim();
    (t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic())).then(|| t.to_ascii_uppercase())
}

fn check_choice(t: &str, max: usize) -> Option<usize> {
    let n: usize = t.trim().trim_end_matches('.').parse().ok()?;
    (1..=max).contains(&n).then(|| n - 1)
}

fn check_choices(t: &str, max: usize) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for part in t.split([',', ' ', ';']).filter(|p| !p.trim().is_empty()) {
        let i = check_choice(part, max)?;
        if !out.contains(&i) {
            out.push(i);
        }
    }
    (!out.is_empty()).then_some(out)
}

fn check_list(t: &str) -> Option<Vec<String>> {
    let out: Vec<String> = t
        .split([',', ';'])
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    (!out.is_empty()).then_some(out)
}

// --- Asking -----------------------------------------------------------------------------------

/// One question as it is asked.
struct Question {
    text: String,
    required: bool,
    default: Option<String>,
    options: Vec<String>,
    hint: Option<String>,
}

impl Question {
    fn new(text: String, required: bool) -> Question {
        Question {
            text,
            required,
            default: None,
            options: Vec::new(),
            hint: None,
        }
    }

    fn default(mut self, default: Option<String>) -> Question {
        self.default = default.filter(|d| !d.trim().is_empty());
        self
    }

    fn options(mut self, options: Vec<String>) -> Question {
        self.options = options;
        self
    }

    fn hint(mut self, hint: &str) -> Question {
        self.hint = Some(hint.to_owned());
        self
    }
}

/// An answer to a list item question.
enum Item {
    Value(String),
    Drop,
    Done,
}

struct Asker<'t, R, W> {
    texts: &'t Texts,
    input: R,
    output: W,
    echo: bool,
}

impl<R: BufRead, W: Write> Asker<'_, R, W> {
    fn say(&mut self, text: &str) -> Result<()> {
        writeln!(self.output, "{text}")
            .map_err(|e| AppError::internal(format!("cannot write the questions: {e}")))
    }

    fn section(&mut self, key: &str) -> Result<()> {
        let title = self.texts.get(key).to_owned();
        self.say(&format!("\n== {title} =="))
    }

    fn show(&mut self, q: &Question) -> Result<()> {
        let mut text = q.text.clone();
        if let Some(d) = &q.default {
            text.push_str(&format!(" [{d}]"));
        } else if !q.required && q.hint.is_none() {
            text.push(' ');
            text.push_str(self.texts.get("hint_optional"));
        }
        if let Some(h) = &q.hint {
            text.push(' ');
            text.push_str(h);
        }
        for (i, o) in q.options.iter().enumerate() {
            text.push_str(&format!("\n  {}. {o}", i + 1));
        }
        let prompt = self.texts.get("answer_prompt").to_owned();
        write!(self.output, "{text}\n{prompt}")
            .and_then(|()| self.output.flush())
            .map_err(|e| AppError::internal(format!("cannot write the questions: {e}")))
    }

    fn read(&mut self, q: &Question) -> Result<String> {
        let mut line = String::new();
        let n = self
            .input
            .read_line(&mut line)
            .map_err(|e| AppError::invalid(format!("cannot read the answer: {e}")))?;
        if n == 0 {
            return Err(AppError::invalid(format!(
                "the answers ended before the question \"{}\"; give one answer per line",
                q.text
            )));
        }
        let answer = line.trim().to_owned();
        if self.echo {
            self.say(&answer)?;
        }
        Ok(answer)
    }

    fn reask(&mut self, reason: &str) -> Result<()> {
        let text = self.texts.fill("reask", &[("reason", reason)]);
        self.say(&text)
    }

    /// Asks until the answer passes `check` (which returns `None` for a bad answer, then the
    /// question is asked again with `reason`). Empty keeps the default, or skips an optional
    /// question; `-` clears an optional one.
    fn ask<T>(
        &mut self,
        q: &Question,
        reason: &str,
        check: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>> {
        loop {
            self.show(q)?;
            let answer = self.read(q)?;
            let raw = if answer == "-" {
                None
            } else if answer.is_empty() {
                q.default.clone()
            } else {
                Some(answer)
            };
            let Some(raw) = raw else {
                if q.required {
                    let r = self.texts.get("err_required").to_owned();
                    self.reask(&r)?;
                    continue;
                }
                return Ok(None);
            };
            match check(&raw) {
                Some(v) => return Ok(Some(v)),
                None => self.reask(reason)?,
            }
        }
    }

    /// As [`Asker::ask`] for a required question (`q.required`): always an answer.
    fn ask_required<T>(
        &mut self,
        q: &Question,
        reason: &str,
        check: impl Fn(&str) -> Option<T>,
    ) -> Result<T> {
        self.ask(q, reason, check)?
            .ok_or_else(|| AppError::internal(format!("the question \"{}\" was skipped", q.text)))
    }

    fn text(
        &mut self,
        key: &str,
        values: &[(&str, &str)],
        default: Option<String>,
    ) -> Result<Option<String>> {
        let q = Question::new(self.texts.fill(key, values), false).default(default);
        self.ask(&q, "", |t| Some(t.to_owned()))
    }

    fn item(&mut self, key: &str, n: usize, default: Option<&str>) -> Result<Item> {
        let n = n.to_string();
        let mut q = Question::new(self.texts.fill(key, &[("n", &n)]), false)
            .default(default.map(str::to_owned));
        q = match default {
            Some(_) => q.hint(self.texts.get("hint_keep")),
            None => q.hint(self.texts.get("hint_list")),
        };
        self.show(&q)?;
        let answer = self.read(&q)?;
        Ok(match (answer.as_str(), default) {
            ("", Some(d)) => Item::Value(d.to_owned()),
            ("", None) => Item::Done,
            ("-", Some(_)) => Item::Drop,
            ("-", None) => Item::Done,
            (a, _) => Item::Value(a.to_owned()),
        })
    }

    fn choice(
        &mut self,
        text: String,
        options: Vec<String>,
        default: Option<usize>,
    ) -> Result<usize> {
        let max = options.len();
        let q = Question::new(text, true)
            .options(options)
            .default(default.map(|d| (d + 1).to_string()));
        let reason = self.texts.fill("err_choice", &[("max", &max.to_string())]);
        self.ask_required(&q, &reason, |t| check_choice(t, max))
    }

    fn choices(
        &mut self,
        text: String,
        options: Vec<String>,
        default: &[usize],
    ) -> Result<Vec<usize>> {
        let max = options.len();
        let default = (!default.is_empty()).then(|| {
            default
                .iter()
                .map(|d| (d + 1).to_string())
                .collect::<Vec<_>>()
                .join(",")
        });
        let q = Question::new(text, false)
            .options(options)
            .default(default)
            .hint(self.texts.get("hint_multi"));
        let reason = self.texts.fill("err_choice", &[("max", &max.to_string())]);
        Ok(self
            .ask(&q, &reason, |t| check_choices(t, max))?
            .unwrap_or_default())
    }

    fn yes_no(&mut self, text: String, default: Option<bool>) -> Result<Option<bool>> {
        let texts = self.texts;
        let default = default.and_then(|d| {
            let key = if d { "yes_words" } else { "no_words" };
            words(texts.get(key)).into_iter().nth(1)
        });
        let q = Question::new(text, false).default(default);
        let reason = texts.get("err_yes_no").to_owned();
        self.ask(&q, &reason, |t| texts.yes_no(t))
    }

    fn duration(
        &mut self,
        text: String,
        default: Option<&IsoDuration>,
        hint: Option<&str>,
    ) -> Result<Option<IsoDuration>> {
        let texts = self.texts;
        let mut q = Question::new(text, false).default(default.map(|d| d.as_str().to_owned()));
        if let Some(h) = hint {
            q = q.hint(texts.get(h));
        }
        let reason = texts.get("err_duration").to_owned();
        self.ask(&q, &reason, |t| texts.duration(t))
    }
}

/// Asks the questions in `lang`, one answer per line from `input`, prompts to `output`.
/// `prefill` gives the defaults (Enter keeps one); `from` names the document they came from.
/// With `echo` every answer read is written after its prompt (for piped input, so that the
/// output reads as a dialogue).
///
/// # Errors
/// When the input ends before a question is answered, or output cannot be written.
pub fn interview<R: BufRead, W: Write>(
    lang: Lang,
    prefill: &Answers,
    from: Option<&str>,
    input: R,
    output: W,
    echo: bool,
) -> Result<Answers> {
    let texts = Texts::load(lang)?;
    let mut a = Asker {
        texts: &texts,
        input,
        output,
        echo,
    };
    let mut out = Answers::default();
    a.say(texts.get("intro"))?;
    if let Some(f) = from {
        a.say(&texts.fill("prefilled", &[("file", f)]))?;
    }

    // --- The organisation.
    a.section("sec_controller")?;
    let p = &prefill.controller;
    let q = Question::new(texts.get("q_name").to_owned(), true).default(Some(p.name.clone()));
    out.controller.name = a.ask_required(&q, "", |t| Some(t.to_owned()))?;
    let q = Question::new(texts.get("q_kvk").to_owned(), false).default(p.kvk.clone());
    out.controller.kvk = a.ask(&q, texts.get("err_kvk"), check_kvk)?;
    let q = Question::new(texts.get("q_address").to_owned(), false)
        .default(p.address.as_ref().map(AddressAnswer::line));
    out.controller.address = a.ask(&q, texts.get("err_address"), check_address)?;
    let q = Question::new(texts.get("q_email").to_owned(), false).default(p.email.clone());
    out.controller.email = a.ask(&q, texts.get("err_email"), check_email)?;
    let q = Question::new(texts.get("q_phone").to_owned(), false).default(p.phone.clone());
    out.controller.phone = a.ask(&q, texts.get("err_phone"), check_phone)?;
    let q = Question::new(texts.get("q_website").to_owned(), false).default(p.website.clone());
    out.controller.website = a.ask(&q, texts.get("err_website"), check_website)?;

    // --- The privacy contact.
    a.section("sec_officer")?;
    let po = prefill.officer.as_ref();
    if let Some(name) = a.text("q_officer_name", &[], po.map(|o| o.name.clone()))? {
        let q = Question::new(texts.get("q_officer_email").to_owned(), false)
            .default(po.and_then(|o| o.email.clone()));
        let email = a.ask(&q, texts.get("err_email"), check_email)?;
        let formal = a
            .yes_no(
                texts.get("q_officer_formal").to_owned(),
                po.map(|o| o.formal_dpo),
            )?
            .unwrap_or(false);
        out.officer = Some(OfficerAnswers {
            name,
            email,
            formal_dpo: formal,
        });
    }

    // --- Whose data.
    a.section("sec_subjects")?;
    let mut pre = prefill.subjects.iter();
    loop {
        let default = pre.next();
        match a.item(
            "q_subject",
            out.subjects.len() + 1,
            default.map(String::as_str),
        )? {
            Item::Value(v) => out.subjects.push(v),
            Item::Drop => {}
            Item::Done => break,
        }
    }

    // --- Purposes.
    a.section("sec_purposes")?;
    let mut pre = prefill.purposes.iter();
    let bases: Vec<String> = BASES
        .iter()
        .map(|b| texts.get(&format!("basis_{}", b.key())).to_owned())
        .collect();
    let event_keys = events(lang);
    let event_words: Vec<String> = event_keys
        .iter()
        .map(|k| {
            waarborg_policy::vocab::event_words(k, lang)
                .unwrap_or(k)
                .to_owned()
        })
        .collect();
    loop {
        let pp = pre.next();
        // A pre-filled purpose without a name holds the defaults (data, retention, basis) the
        // document gave without naming a purpose: they go with the first purpose typed.
        let named_default = pp.map(|p| p.name.as_str()).filter(|n| !n.trim().is_empty());
        let name = match a.item("q_purpose", out.purposes.len() + 1, named_default)? {
            Item::Value(v) => v,
            Item::Drop => continue,
            Item::Done => break,
        };
        let empty = PurposeAnswers::default();
        let pp = pp.unwrap_or(&empty);
        let mut purpose = PurposeAnswers {
            name: name.clone(),
            ..PurposeAnswers::default()
        };
        let named = [("purpose", name.as_str())];
        if out.subjects.len() > 1 {
            purpose.subjects = a.choices(
                texts.fill("q_purpose_subjects", &named),
                out.subjects.clone(),
                &pp.subjects,
            )?;
        }
        let default = pp.basis.and_then(|b| BASES.iter().position(|x| *x == b));
        let basis = BASES
            .get(a.choice(texts.fill("q_basis", &named), bases.clone(), default)?)
            .copied()
            .unwrap_or(LegalBasis::Consent);
        purpose.basis = Some(basis);
        if basis == LegalBasis::LegitimateInterests {
            let q =
                Question::new(texts.fill("q_interest", &named), true).default(pp.interest.clone());
            purpose.interest = Some(a.ask_required(&q, "", |t| Some(t.to_owned()))?);
        }
        if matches!(basis, LegalBasis::LegalObligation | LegalBasis::PublicTask) {
            purpose.law = a.text("q_law", &named, pp.law.clone())?;
        }
        let q = Question::new(texts.fill("q_data", &named), false)
            .default((!pp.data.is_empty()).then(|| pp.data.join(", ")));
        purpose.data = a
            .ask(&q, texts.get("err_required"), check_list)?
            .unwrap_or_default();
        let pr = pp.retention.as_ref();
        if let Some(period) = a.duration(
            texts.fill("q_retention", &named),
            pr.map(|r| &r.period),
            None,
        )? {
            let default = pr
                .and_then(|r| r.from.as_ref())
                .and_then(|e| event_keys.iter().position(|k| k == e.key()));
            let i = a.choice(
                texts.get("q_event").to_owned(),
                event_words.clone(),
                default,
            )?;
            let from = event_keys.get(i).and_then(|k| event_from_key(k));
            purpose.retention = Some(RetentionAnswer { period, from });
        }
        out.purposes.push(purpose);
    }

    // --- Recipients.
    a.section("sec_recipients")?;
    let mut pre = prefill.recipients.iter();
    let roles: Vec<String> = ROLES
        .iter()
        .map(|r| texts.get(&format!("role_{}", key_of(r))).to_owned())
        .collect();
    let purpose_names: Vec<String> = out.purposes.iter().map(|p| p.name.clone()).collect();
    loop {
        let pr = pre.next();
        let name = match a.item(
            "q_recipient",
            out.recipients.len() + 1,
            pr.map(|r| r.name.as_str()),
        )? {
            Item::Value(v) => v,
            Item::Drop => continue,
            Item::Done => break,
        };
        let empty = RecipientAnswers::default();
        let pr = pr.unwrap_or(&empty);
        let named = [("recipient", name.as_str())];
        let default = pr.role.and_then(|r| ROLES.iter().position(|x| *x == r));
        let role = ROLES
            .get(a.choice(
                texts.fill("q_recipient_role", &named),
                roles.clone(),
                default,
            )?)
            .copied()
            .unwrap_or(RecipientRole::Processor);
        let q = Question::new(texts.fill("q_recipient_country", &named), true)
            .default(Some(pr.country.clone().unwrap_or_else(|| "NL".to_owned())));
        let country = a.ask_required(&q, texts.get("err_country"), check_country)?;
        let purposes = if purpose_names.len() > 1 {
            a.choices(
                texts.fill("q_recipient_purposes", &named),
                purpose_names.clone(),
                &pr.purposes,
            )?
        } else {
            Vec::new()
        };
        let agreement = if role == RecipientRole::Processor {
            a.yes_no(texts.fill("q_recipient_agreement", &named), pr.agreement)?
        } else {
            None
        };
        out.recipients.push(RecipientAnswers {
            name,
            role: Some(role),
            country: Some(country),
            purposes,
            agreement,
        });
    }

    // Silence is not a claim: "nobody receives data" only when the organisation says so.
    if out.recipients.is_empty() {
        out.no_recipients = a
            .yes_no(texts.get("q_no_recipients").to_owned(), None)?
            .unwrap_or(false);
    }

    // --- Cookies.
    a.section("sec_cookies")?;
    let mut pre = prefill.cookies.iter();
    let categories: Vec<String> = COOKIE_CATEGORIES
        .iter()
        .map(|c| waarborg_policy::vocab::cookie_category(*c, lang))
        .collect();
    loop {
        let pc = pre.next();
        let name = match a.item(
            "q_cookie",
            out.cookies.len() + 1,
            pc.map(|c| c.name.as_str()),
        )? {
            Item::Value(v) => v,
            Item::Drop => continue,
            Item::Done => break,
        };
        let empty = CookieAnswers::default();
        let pc = pc.unwrap_or(&empty);
        let named = [("cookie", name.as_str())];
        let provider = a.text("q_cookie_provider", &named, pc.provider.clone())?;
        let default = pc
            .category
            .and_then(|c| COOKIE_CATEGORIES.iter().position(|x| *x == c));
        let category = COOKIE_CATEGORIES
            .get(a.choice(
                texts.fill("q_cookie_category", &named),
                categories.clone(),
                default,
            )?)
            .copied();
        let lifetime = a.duration(
            texts.fill("q_cookie_lifetime", &named),
            pc.lifetime.as_ref(),
            Some("hint_session"),
        )?;
        out.cookies.push(CookieAnswers {
            name,
            provider,
            category,
            lifetime,
        });
    }
    if out.cookies.is_empty() {
        out.no_cookies = a
            .yes_no(texts.get("q_no_cookies").to_owned(), None)?
            .unwrap_or(false);
    }
    out.automated_decisions = a.yes_no(texts.get("q_automated").to_owned(), None)?;
    Ok(out)
}

// --- Pre-filling from a document --------------------------------------------------------------

/// Reads a privacy statement (txt, md, html, pdf: whatever `waarborg read` reads) and returns the
/// answers it gives: the controller's name and contact details, the privacy contact, purposes
/// (with the legal basis when the document names only one), data categories, retention periods,
/// recipients and cookies.
///
/// # Errors
/// When the file cannot be read or is no readable document.
pub fn prefill_from_file(path: &Path) -> Result<Answers> {
    let report = waarborg_reader::read_path(path).map_err(|e| {
        AppError::invalid(format!(
            "cannot read {} to pre-fill the answers: {e}",
            path.display()
        ))
    })?;
    let sm = &report.summary;
    let c = &sm.controller;
    let controller = ControllerAnswers {
        name: c.name.clone().unwrap_or_default(),
        kvk: c.kvk.as_deref().and_then(check_kvk),
        address: c.addresses.iter().find_map(|a| check_address(a)),
        email: c.emails.iter().find_map(|e| check_email(e)),
        phone: c.phones.iter().find_map(|p| check_phone(p)),
        website: None,
    };
    let officer = sm.privacy_contact.as_ref().map(|name| OfficerAnswers {
        name: name.clone(),
        email: None,
        formal_dpo: false,
    });
    let basis: Option<LegalBasis> = match sm.legal_bases.as_slice() {
        [one] => serde_json::to_value(one)
            .ok()
            .and_then(|v| serde_json::from_value(v).ok()),
        _ => None,
    };
    let periods: Vec<(String, IsoDuration)> = sm
        .retention
        .iter()
        .filter_map(|r| {
            let p = IsoDuration::parse(r.period.as_deref()?).ok()?;
            Some((r.what.to_lowercase(), p))
        })
        .collect();
    let mut names = sm.purposes.clone();
    if names.is_empty() && (!sm.data_categories.is_empty() || !periods.is_empty()) {
        // No purpose named: keep what was found as defaults for the first purpose typed.
        names.push(String::new());
    }
    let purposes = names
        .iter()
        .map(|name| {
            let lower = name.to_lowercase();
            let period = periods
                .iter()
                .find(|(what, _)| what.contains(&lower) || lower.contains(what.as_str()))
                .or(match periods.as_slice() {
                    [one] => Some(one),
                    _ => None,
                })
                .map(|(_, p)| p.clone());
            PurposeAnswers {
                name: name.clone(),
                basis,
                data: sm.data_categories.clone(),
                retention: period.map(|period| RetentionAnswer { period, from: None }),
                ..PurposeAnswers::default()
            }
        })
        .collect();
    let recipients = sm
        .recipients
        .iter()
        .map(|name| RecipientAnswers {
            name: name.clone(),
            // A guess to confirm: most recipients a statement names are processors.
            role: Some(RecipientRole::Processor),
            ..RecipientAnswers::default()
        })
        .collect();
    let cookies = sm
        .cookies
        .iter()
        .map(|name| CookieAnswers {
            name: name.clone(),
            ..CookieAnswers::default()
        })
        .collect();
    Ok(Answers {
        controller,
        officer,
        subjects: Vec::new(),
        purposes,
        recipients,
        cookies,
        ..Answers::default()
    })
}

// --- The register -----------------------------------------------------------------------------

/// A register text in the language it was typed in (`{ nl = "..." }`): a statement in the other
/// language then marks it as such instead of mixing it in unannounced.
fn text(lang: Lang, v: &str) -> Value {
    inline(vec![(lang.code(), s(v.to_owned()))])
}

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

fn strings(items: impl IntoIterator<Item = String>) -> Value {
    Value::Array(items.into_iter().map(Value::String).collect())
}

/// The keys of one table in the order they are written (the model's order, `id` and `name`
/// first), so that the register reads like the examples in docs/policy.md.
type Rows = Vec<(&'static str, Value)>;

fn opt(rows: &mut Rows, key: &'static str, v: Option<&String>) {
    if let Some(v) = v {
        rows.push((key, s(v.clone())));
    }
}

/// An inline table `{ k = v, ... }` (for small nested tables).
fn inline(rows: Rows) -> Value {
    Value::Table(rows.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// Writes `[header]` (or `[[header]]` for an item of a list) with its rows.
fn write_table(out: &mut String, header: &str, list: bool, rows: &Rows) {
    out.push('\n');
    if list {
        out.push_str(&format!("[[{header}]]\n"));
    } else {
        out.push_str(&format!("[{header}]\n"));
    }
    for (k, v) in rows {
        out.push_str(&format!("{k} = {v}\n"));
    }
}

/// The answers as a register TOML in the order of docs/policy.md, with a header comment in
/// `lang`; `file_name` is the name it will have (for the header and for load errors) and `today`
/// the statement's effective date.
///
/// # Errors
/// When the TOML does not load with `waarborg_policy` (a defect: reported, never written).
pub fn register_toml(
    answers: &Answers,
    lang: Lang,
    file_name: &str,
    today: jiff::civil::Date,
) -> Result<String> {
    let texts = Texts::load(lang)?;
    let mut used = BTreeSet::new();
    // The file name goes into a comment: no line breaks in it.
    let shown: String = file_name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = texts.fill(
        "toml_header",
        &[("date", &today.to_string()), ("file", &shown)],
    );
    out.push('\n');

    let date = today
        .to_string()
        .parse::<toml::value::Datetime>()
        .map_err(|e| AppError::internal(format!("cannot write the date {today}: {e}")))?;
    let statement: Rows = vec![
        ("version", s(format!("{}.1", today.year()))),
        ("effective_date", Value::Datetime(date)),
        // The answers are in one language: the statement is published in that one. Adding
        // the other language's texts later, and then that language here, is up to the register.
        ("languages", strings([lang.code().to_owned()])),
    ];
    let mut statement = statement;
    if answers.no_cookies && answers.cookies.is_empty() {
        statement.push(("no_cookies", Value::Boolean(true)));
    }
    if answers.no_recipients && answers.recipients.is_empty() {
        statement.push(("no_recipients", Value::Boolean(true)));
    }
    if answers.automated_decisions == Some(false) {
        statement.push(("no_automated_decisions", Value::Boolean(true)));
    }
    write_table(&mut out, "statement", false, &statement);

    let c = &answers.controller;
    let mut controller: Rows = vec![("name", s(c.name.clone()))];
    opt(&mut controller, "kvk", c.kvk.as_ref());
    opt(&mut controller, "email", c.email.as_ref());
    opt(&mut controller, "phone", c.phone.as_ref());
    opt(&mut controller, "website", c.website.as_ref());
    write_table(&mut out, "controller", false, &controller);
    if let Some(a) = &c.address {
        let address: Rows = vec![
            ("street", s(a.street.clone())),
            ("postcode", s(a.postcode.clone())),
            ("city", s(a.city.clone())),
        ];
        write_table(&mut out, "controller.addresses", true, &address);
    }

    if let Some(o) = &answers.officer {
        let mut officer: Rows = vec![("name", s(o.name.clone()))];
        opt(&mut officer, "email", o.email.as_ref());
        officer.push(("formal_dpo", Value::Boolean(o.formal_dpo)));
        write_table(&mut out, "privacy_officer", false, &officer);
    }

    let subject_ids: Vec<String> = answers
        .subjects
        .iter()
        .map(|l| slug(l, &mut used))
        .collect();
    for (label, id) in answers.subjects.iter().zip(&subject_ids) {
        let rows: Rows = vec![("id", s(id.clone())), ("label", text(lang, label))];
        write_table(&mut out, "subjects", true, &rows);
    }

    // Data: one entry per distinct phrase (case-insensitive) over all purposes.
    let mut data_ids: BTreeMap<String, String> = BTreeMap::new();
    for phrase in answers.purposes.iter().flat_map(|p| &p.data) {
        let key = phrase.trim().to_lowercase();
        if data_ids.contains_key(&key) {
            continue;
        }
        let id = slug(phrase, &mut used);
        let category = if waarborg_policy::fideslang::is_known(phrase.trim()) {
            phrase.trim()
        } else {
            fideslang_for(phrase)
        };
        let rows: Rows = vec![
            ("id", s(id.clone())),
            ("category", s(category)),
            ("label", text(lang, phrase.trim())),
        ];
        write_table(&mut out, "data", true, &rows);
        data_ids.insert(key, id);
    }

    let purpose_ids: Vec<String> = answers
        .purposes
        .iter()
        .map(|p| slug(&p.name, &mut used))
        .collect();
    let recipient_ids: Vec<String> = answers
        .recipients
        .iter()
        .map(|r| slug(&r.name, &mut used))
        .collect();
    let mut retention: Vec<Rows> = Vec::new();
    for (i, (p, id)) in answers.purposes.iter().zip(&purpose_ids).enumerate() {
        let mut rows: Rows = vec![("id", s(id.clone())), ("name", text(lang, &p.name))];
        if let Some(b) = p.basis {
            rows.push(("legal_basis", s(b.key())));
        }
        if let Some(interest) = &p.interest {
            rows.push(("legitimate_interest", text(lang, interest)));
        }
        opt(&mut rows, "legal_ground", p.law.as_ref());
        let ids = p
            .data
            .iter()
            .filter_map(|d| data_ids.get(&d.trim().to_lowercase()).cloned());
        rows.push(("data", strings(ids)));
        let subjects: Vec<String> = if p.subjects.is_empty() {
            subject_ids.clone()
        } else {
            p.subjects
                .iter()
                .filter_map(|i| subject_ids.get(*i).cloned())
                .collect()
        };
        rows.push(("subjects", strings(subjects)));
        let recipients = answers
            .recipients
            .iter()
            .zip(&recipient_ids)
            .filter(|(r, _)| r.purposes.is_empty() || r.purposes.contains(&i))
            .map(|(_, id)| id.clone());
        rows.push(("recipients", strings(recipients)));
        if p.basis == Some(LegalBasis::Consent) {
            let mut consent: Rows = vec![("method", s("opt_in"))];
            if let Some(email) = &c.email {
                let channel = inline(vec![("kind", s("email")), ("address", s(email.clone()))]);
                consent.push(("withdrawal", Value::Array(vec![channel])));
            }
            rows.push(("consent", inline(consent)));
        }
        write_table(&mut out, "purposes", true, &rows);
        if let Some(r) = &p.retention {
            let from = r.from.as_ref().map_or("collection", RetentionEvent::key);
            retention.push(vec![
                ("id", s(slug(&format!("{id} retention"), &mut used))),
                ("purpose", s(id.clone())),
                ("period", s(r.period.as_str())),
                ("from", s(from)),
            ]);
        }
    }
    for rows in &retention {
        write_table(&mut out, "retention", true, rows);
    }

    for (r, id) in answers.recipients.iter().zip(&recipient_ids) {
        let role = r.role.unwrap_or(RecipientRole::Processor);
        let mut rows: Rows = vec![
            ("id", s(id.clone())),
            ("name", text(lang, &r.name)),
            ("role", s(key_of(role))),
            (
                "country",
                s(r.country.clone().unwrap_or_else(|| "NL".into())),
            ),
        ];
        if let Some(agreed) = r.agreement {
            rows.push(("processor_agreement", Value::Boolean(agreed)));
        }
        write_table(&mut out, "recipients", true, &rows);
    }

    for ck in &answers.cookies {
        let category = ck.category.unwrap_or(CookieCategory::Functional);
        // Necessary and functional cookies are exempt; the others need an opt-in.
        let consent = match category {
            CookieCategory::Necessary | CookieCategory::Functional => "exempt",
            CookieCategory::Analytics | CookieCategory::Advertising => "opt_in",
        };
        let mut rows: Rows = vec![
            ("id", s(slug(&format!("cookie {}", ck.name), &mut used))),
            ("name", s(ck.name.clone())),
            ("provider", s(ck.provider.clone().unwrap_or_default())),
            ("category", s(key_of(category))),
        ];
        // Enter at the lifetime question means "until the browser closes".
        match &ck.lifetime {
            Some(l) => rows.push(("lifetime", s(l.as_str()))),
            None => rows.push(("session", Value::Boolean(true))),
        }
        rows.push(("consent", s(consent)));
        write_table(&mut out, "cookies", true, &rows);
    }

    // Rights: every right, the one-month deadline, the AP, and e-mail as a channel.
    let mut rights: Rows = vec![("offered", strings(Right::ALL.iter().map(key_of)))];
    if let Some(email) = &c.email {
        let channel = inline(vec![("kind", s("email")), ("address", s(email.clone()))]);
        rights.push(("channels", Value::Array(vec![channel])));
    }
    rights.push(("deadline", s("P1M")));
    rights.push(("complaint_authority", s(AUTHORITY)));
    write_table(&mut out, "rights", false, &rights);

    waarborg_policy::from_toml_str(&out, file_name).map_err(|e| {
        AppError::internal(format!(
            "the register made from the answers does not load: {e}"
        ))
    })?;
    Ok(out)
}

// --- Writing and checking ---------------------------------------------------------------------

/// Refuses a target that exists already, unless `force`.
///
/// # Errors
/// [`crate::ErrorKind::Conflict`] when `path` exists and `force` is not set;
/// [`crate::ErrorKind::Invalid`] for `-` (standard output is for the questions).
pub fn check_target(path: &Path, force: bool) -> Result<()> {
    if path.as_os_str() == "-" {
        return Err(AppError::invalid(
            "--out - is not possible: standard output shows the questions; give a file name",
        ));
    }
    if path.is_dir() {
        return Err(AppError::invalid(format!(
            "{} is a folder; give a file name such as register.toml",
            path.display()
        )));
    }
    if !force && std::fs::symlink_metadata(path).is_ok() {
        return Err(AppError::conflict(format!(
            "{} exists already; use --force to replace it, or --out to choose another file",
            path.display()
        )));
    }
    Ok(())
}

/// Writes the register atomically (a temporary file beside it, then a rename), after checking
/// the target again with [`check_target`].
///
/// # Errors
/// When the target exists (without `force`) or cannot be written.
pub fn write_register(path: &Path, toml: &str, force: bool) -> Result<()> {
    check_target(path, force)?;
    waarborg_engine::write_output(path, toml.as_bytes())
        .map_err(|e| AppError::from(e).context(format!("cannot write {}", path.display())))
}

/// Loads the written register back and lints it.
///
/// # Errors
/// When it does not load.
pub fn check_written(path: &Path) -> Result<FileReport> {
    let doc = waarborg_policy::load_document(path)?;
    Ok(waarborg_policy::lint(&doc))
}

/// The lint findings (errors and warnings) in `lang`, with what to do next.
///
/// # Errors
/// When the texts do not parse (a defect).
pub fn report_text(report: &FileReport, lang: Lang, file: &str) -> Result<String> {
    let texts = Texts::load(lang)?;
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let mut out = texts.fill("out_written", &[("file", file)]);
    out.push('\n');
    out.push_str(&texts.fill(
        "out_counts",
        &[
            ("errors", &errors.to_string()),
            ("warnings", &warnings.to_string()),
        ],
    ));
    out.push('\n');
    let mut first_code = None;
    for d in &report.diagnostics {
        let severity = match d.severity {
            Severity::Error => texts.get("sev_error"),
            Severity::Warning => texts.get("sev_warning"),
            Severity::Info => continue,
        };
        first_code.get_or_insert(d.code);
        let summary =
            waarborg_policy::rules::by_code(d.code).map_or(d.message.as_str(), |r| match lang {
                Lang::Nl => r.meta.summary_nl,
                Lang::En => r.meta.summary,
            });
        let line = d
            .location
            .as_ref()
            .map(|l| texts.fill("out_line", &[("line", &l.line.to_string())]))
            .unwrap_or_default();
        out.push_str(&texts.fill(
            "out_finding",
            &[
                ("severity", severity),
                ("code", d.code),
                ("summary", summary),
                ("path", &d.path),
                ("line", &line),
            ],
        ));
        out.push('\n');
    }
    out.push('\n');
    let next = match first_code {
        Some(code) if errors > 0 => {
            texts.fill("out_next_errors", &[("file", file), ("code", code)])
        }
        Some(code) => texts.fill("out_next_warnings", &[("file", file), ("code", code)]),
        None => texts.fill("out_next_clean", &[("file", file)]),
    };
    out.push_str(&next);
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn run(lang: Lang, prefill: &Answers, lines: &[&str]) -> (Answers, String) {
        let input = lines.join("\n") + "\n";
        let mut output = Vec::new();
        let answers =
            interview(lang, prefill, None, input.as_bytes(), &mut output, true).expect("interview");
        (answers, String::from_utf8(output).unwrap())
    }

    fn date() -> jiff::civil::Date {
        jiff::civil::date(2026, 12, 3)
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let nl = parse_texts(NL).unwrap();
        let en = parse_texts(EN).unwrap();
        let nk: Vec<_> = nl.keys().collect();
        let ek: Vec<_> = en.keys().collect();
        assert_eq!(nk, ek);
        for (k, v) in nl.iter().chain(en.iter()) {
            assert!(!v.trim().is_empty(), "{k} is empty");
        }
        for b in BASES {
            assert!(nl.contains_key(&format!("basis_{}", b.key())));
        }
        for r in ROLES {
            assert!(nl.contains_key(&format!("role_{}", key_of(r))));
        }
    }

    #[test]
    fn durations_in_words_and_iso() {
        let t = Texts::load(Lang::Nl).unwrap();
        let d = |s: &str| t.duration(s).map(|d| d.as_str().to_owned());
        assert_eq!(d("7 jaar").as_deref(), Some("P7Y"));
        assert_eq!(d("7 years").as_deref(), Some("P7Y"));
        assert_eq!(d("2 jaar en 6 maanden").as_deref(), Some("P2Y6M"));
        assert_eq!(d("2 years and 6 months").as_deref(), Some("P2Y6M"));
        assert_eq!(d("4 weken").as_deref(), Some("P4W"));
        assert_eq!(d("30 dagen").as_deref(), Some("P30D"));
        assert_eq!(d("48 uur").as_deref(), Some("PT48H"));
        assert_eq!(d("p2y").as_deref(), Some("P2Y"));
        for bad in [
            "abc",
            "7",
            "jaar",
            "7 jaar 3 jaar",
            "7 eeuwen",
            "",
            "P",
            "zeven jaar",
        ] {
            assert_eq!(d(bad), None, "{bad}");
        }
    }

    #[test]
    fn single_answers_are_checked() {
        assert_eq!(check_kvk("1234 5678").as_deref(), Some("12345678"));
        assert_eq!(check_kvk("1234"), None);
        assert!(check_email("a@b.nl").is_some());
        for bad in ["a@b", "ab.nl", "a b@c.nl", "a@.nl"] {
            assert_eq!(check_email(bad), None, "{bad}");
        }
        assert!(check_phone("+31 30 123 4567").is_some());
        assert_eq!(check_phone("bel me"), None);
        assert_eq!(
            check_website("www.voorbeeld.nl").as_deref(),
            Some("https://www.voorbeeld.nl")
        );
        assert_eq!(check_website("geen site"), None);
        assert_eq!(check_country("us").as_deref(), Some("US"));
        assert_eq!(check_country("USA"), None);
        assert_eq!(check_choice("3", 6), Some(2));
        assert_eq!(check_choice("7", 6), None);
        assert_eq!(check_choice("0", 6), None);
        assert_eq!(check_choices("1, 3", 3), Some(vec![0, 2]));
        assert_eq!(check_choices("1, 4", 3), None);
        let a = check_address("Dorpsstraat 1, 1234 AB Utrecht").unwrap();
        assert_eq!(
            (a.street.as_str(), a.postcode.as_str(), a.city.as_str()),
            ("Dorpsstraat 1", "1234 AB", "Utrecht")
        );
        assert_eq!(check_address("ergens"), None);
    }

    fn sample() -> Answers {
        Answers {
            controller: ControllerAnswers {
                name: "Fietsenmaker Spaak B.V.".into(),
                kvk: Some("11223344".into()),
                address: check_address("Wielstraat 9, 9711 AA Groningen"),
                email: Some("privacy@spaak.example".into()),
                phone: Some("050-1112233".into()),
                website: Some("https://spaak.example".into()),
            },
            officer: Some(OfficerAnswers {
                name: "Privacycontact".into(),
                email: None,
                formal_dpo: false,
            }),
            subjects: vec!["Klanten".into(), "Abonnees".into()],
            purposes: vec![
                PurposeAnswers {
                    name: "Reparaties".into(),
                    subjects: vec![0],
                    basis: Some(LegalBasis::Contract),
                    data: vec!["naam".into(), "telefoonnummer".into()],
                    retention: Some(RetentionAnswer {
                        period: IsoDuration::parse("P2Y").unwrap(),
                        from: event_from_key("end_of_contract"),
                    }),
                    ..PurposeAnswers::default()
                },
                PurposeAnswers {
                    name: "Nieuwsbrief".into(),
                    subjects: vec![1],
                    basis: Some(LegalBasis::Consent),
                    data: vec!["Naam".into(), "user.contact.email".into()],
                    ..PurposeAnswers::default()
                },
            ],
            recipients: vec![RecipientAnswers {
                name: "Boekhouder Telwerk".into(),
                role: Some(RecipientRole::Processor),
                country: Some("NL".into()),
                purposes: vec![0],
                agreement: Some(true),
            }],
            cookies: vec![CookieAnswers {
                name: "_ga".into(),
                provider: Some("Google".into()),
                category: Some(CookieCategory::Analytics),
                lifetime: IsoDuration::parse("P2Y").ok(),
            }],
            automated_decisions: Some(false),
            ..Answers::default()
        }
    }

    #[test]
    fn answers_become_a_register_that_loads() {
        let text = register_toml(&sample(), Lang::Nl, "register.toml", date()).unwrap();
        assert!(text.starts_with("# Register gemaakt met `waarborg init` op 2026-12-03."));
        let p = waarborg_policy::from_toml_str(&text, "register.toml").unwrap();
        assert_eq!(p.controller.name, "Fietsenmaker Spaak B.V.");
        assert_eq!(p.controller.kvk.as_deref(), Some("11223344"));
        assert_eq!(p.controller.addresses[0].city, "Groningen");
        assert_eq!(p.statement.effective_date.0, date());
        assert_eq!(p.subjects.len(), 2);
        // "naam" and "Naam" are one data category; the fideslang key is kept as written.
        assert_eq!(p.data.len(), 3);
        let cats: Vec<&str> = p.data.iter().map(|d| d.category.as_str()).collect();
        assert_eq!(
            cats,
            [
                "user.name",
                "user.contact.phone_number",
                "user.contact.email"
            ]
        );
        let repair = &p.purposes[0];
        assert_eq!(repair.legal_basis, Some(LegalBasis::Contract));
        assert_eq!(repair.subjects, ["klanten"]);
        assert_eq!(repair.recipients, ["boekhouder-telwerk"]);
        let letter = &p.purposes[1];
        assert_eq!(letter.legal_basis, Some(LegalBasis::Consent));
        assert_eq!(letter.data, ["naam", "user-contact-email"]);
        assert!(letter.recipients.is_empty());
        assert_eq!(letter.consent.as_ref().unwrap().withdrawal.len(), 1);
        let r = &p.retention[0];
        assert_eq!(
            (r.period.as_str(), r.from.key()),
            ("P2Y", "end_of_contract")
        );
        assert_eq!(r.purpose.as_deref(), Some("reparaties"));
        assert_eq!(p.recipients[0].processor_agreement, Some(true));
        assert_eq!(p.cookies[0].consent, waarborg_policy::CookieConsent::OptIn);
        assert_eq!(p.rights.offered.len(), Right::ALL.len());
        // The lint rules that a complete answer set satisfies stay quiet.
        let diags = waarborg_policy::lint_policy(&p);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        for quiet in [
            "WB001", "WB003", "WB014", "WB022", "WB027", "WB031", "WB034",
        ] {
            assert!(!codes.contains(&quiet), "{quiet} in {codes:?}");
        }
        // The newsletter was given no retention period, and lint says so.
        let wb010: Vec<&str> = diags
            .iter()
            .filter(|d| d.code == "WB010")
            .map(|d| d.path.as_str())
            .collect();
        assert_eq!(wb010, ["purposes[1]"]);
    }

    #[test]
    fn a_minimal_register_loads_and_lint_names_what_is_missing() {
        let answers = Answers {
            controller: ControllerAnswers {
                name: "Alleen Een Naam".into(),
                ..ControllerAnswers::default()
            },
            ..Answers::default()
        };
        let text = register_toml(&answers, Lang::En, "r.toml", date()).unwrap();
        let p = waarborg_policy::from_toml_str(&text, "r.toml").unwrap();
        let codes: Vec<&str> = waarborg_policy::lint_policy(&p)
            .iter()
            .map(|d| d.code)
            .collect();
        assert!(codes.contains(&"WB001"), "{codes:?}");
    }

    #[test]
    fn names_with_quotes_and_brackets_stay_text() {
        let mut a = sample();
        a.controller.name = "De \"Beste\" ]] Winkel \\ B.V.".into();
        a.purposes[0].name = "Reparaties [spoed] = snel".into();
        let text = register_toml(&a, Lang::Nl, "r.toml", date()).unwrap();
        let p = waarborg_policy::from_toml_str(&text, "r.toml").unwrap();
        assert_eq!(p.controller.name, "De \"Beste\" ]] Winkel \\ B.V.");
        assert_eq!(p.purposes[0].name.nl, "Reparaties [spoed] = snel");
    }

    #[test]
    fn a_bad_answer_is_asked_again_with_the_reason() {
        let lines = [
            "Spaak B.V.",
            "123",
            "11223344",
            "nergens",
            "",
            "geen mail",
            "",
            "",
            "",
            "",
            "",
            "Reparaties",
            "9",
            "2",
            "naam",
            "abc",
            "7 jaar",
            "0",
            "3",
            "",
            "",
            "ja",
            "",
            "nee",
            "nee",
        ];
        let (a, out) = run(Lang::Nl, &Answers::default(), &lines);
        // Nobody receives data and no automated decisions, as confirmed; cookies not confirmed.
        assert!(a.no_recipients && !a.no_cookies);
        assert_eq!(a.automated_decisions, Some(false));
        assert_eq!(a.controller.kvk.as_deref(), Some("11223344"));
        assert_eq!(a.controller.address, None);
        assert_eq!(a.controller.email, None);
        let p = &a.purposes[0];
        assert_eq!(p.basis, Some(LegalBasis::Contract));
        assert_eq!(p.retention.as_ref().unwrap().period.as_str(), "P7Y");
        assert_eq!(
            p.retention
                .as_ref()
                .unwrap()
                .from
                .as_ref()
                .map(RetentionEvent::key),
            Some("end_of_contract")
        );
        assert!(out.contains("een KvK-nummer heeft 8 cijfers"), "{out}");
        assert!(out.contains("kies een nummer van 1 tot en met 6"), "{out}");
        assert!(out.contains("schrijf een aantal en een eenheid"), "{out}");
        assert!(out.contains("schrijf het adres zo"), "{out}");
        // No raw key shows: every text was found.
        for raw in ["q_", "err_", "sec_", "hint_", "basis_", "{"] {
            assert!(!out.contains(raw), "{raw} in {out}");
        }
    }

    #[test]
    fn english_questions_and_the_choices_that_follow_a_basis() {
        let lines = [
            "Spoke Ltd",
            "",
            "",
            "privacy@spoke.example",
            "",
            "",
            "",
            "",
            "Security",
            "6",
            "",
            "We keep our systems safe.",
            "ip address",
            "4 weeks",
            "1",
            "Tax",
            "3",
            "AWR art. 52",
            "name",
            "7 years",
            "15",
            "",
            "Host",
            "1",
            "DE",
            "1",
            "yes",
            "",
            "",
            "yes",
            "no",
        ];
        let (a, out) = run(Lang::En, &Answers::default(), &lines);
        assert!(a.no_cookies && !a.no_recipients);
        assert!(out.contains("this answer is needed"), "{out}");
        let sec = &a.purposes[0];
        assert_eq!(sec.basis, Some(LegalBasis::LegitimateInterests));
        assert_eq!(sec.interest.as_deref(), Some("We keep our systems safe."));
        let tax = &a.purposes[1];
        assert_eq!(tax.basis, Some(LegalBasis::LegalObligation));
        assert_eq!(tax.law.as_deref(), Some("AWR art. 52"));
        let r = &a.recipients[0];
        assert_eq!(
            (r.country.as_deref(), r.purposes.as_slice(), r.agreement),
            (Some("DE"), &[0][..], Some(true))
        );
        for raw in ["q_", "err_", "sec_", "hint_", "basis_", "role_", "{"] {
            assert!(!out.contains(raw), "{raw} in {out}");
        }
        let text = register_toml(&a, Lang::En, "r.toml", date()).unwrap();
        let p = waarborg_policy::from_toml_str(&text, "r.toml").unwrap();
        assert_eq!(p.data[0].category, "user.device.ip_address");
    }

    #[test]
    fn enter_keeps_prefilled_answers_and_dash_removes_them() {
        let mut pre = sample();
        pre.officer = None;
        pre.purposes[1].retention = None;
        // Enter keeps everything; "-" removes the phone number and the cookie.
        let lines = [
            "", "", "", "", "-", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
            "", "", "", "", "", "", "", "-", "", "", "",
        ];
        let (a, out) = run(Lang::Nl, &pre, &lines);
        assert!(out.contains("[Fietsenmaker Spaak B.V.]"), "{out}");
        assert_eq!(a.controller.name, pre.controller.name);
        assert_eq!(a.controller.phone, None);
        assert_eq!(a.controller.email, pre.controller.email);
        assert_eq!(a.subjects, pre.subjects);
        assert_eq!(a.purposes.len(), 2);
        assert_eq!(a.purposes[0].data, pre.purposes[0].data);
        assert_eq!(a.purposes[0].retention, pre.purposes[0].retention);
        assert_eq!(a.recipients.len(), 1);
        assert!(a.cookies.is_empty());
    }

    #[test]
    fn input_that_ends_early_is_an_error() {
        let mut output = Vec::new();
        let e = interview(
            Lang::Nl,
            &Answers::default(),
            None,
            "Spaak\n".as_bytes(),
            &mut output,
            false,
        )
        .unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::Invalid);
        assert!(e.message.contains("the answers ended"), "{}", e.message);
    }

    #[test]
    fn overwriting_needs_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.toml");
        let mut answers = sample();
        answers.purposes[1].retention = Some(RetentionAnswer {
            period: IsoDuration::parse("P1M").unwrap(),
            from: event_from_key("consent_withdrawn"),
        });
        let text = register_toml(&answers, Lang::Nl, "register.toml", date()).unwrap();
        write_register(&path, &text, false).unwrap();
        let e = write_register(&path, "x", false).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::Conflict);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        write_register(&path, &text, true).unwrap();
        let report = check_written(&path).unwrap();
        let nl = report_text(&report, Lang::Nl, "register.toml").unwrap();
        let en = report_text(&report, Lang::En, "register.toml").unwrap();
        assert!(
            nl.contains("Klaar. Het register staat in register.toml."),
            "{nl}"
        );
        assert!(
            en.contains("Done. The register is in register.toml."),
            "{en}"
        );
        assert!(nl.contains("waarborg lint register.toml"), "{nl}");
        // With a retention period for every purpose there are warnings but no errors: the
        // advice says so.
        assert_eq!(report.count(Severity::Error), 0, "{nl}");
        assert!(report.count(Severity::Warning) > 0, "{nl}");
        assert!(nl.contains("Er zijn geen fouten."), "{nl}");
        assert!(!nl.contains("Los eerst de fouten op"), "{nl}");
    }

    #[test]
    fn a_file_name_with_a_line_break_stays_in_the_comment() {
        let text = register_toml(&sample(), Lang::En, "a\nb = 1.toml", date()).unwrap();
        assert!(text.contains("waarborg lint a b = 1.toml"), "{text}");
    }
}
