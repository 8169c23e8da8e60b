//! The register's types: what an organisation processes, why, on which basis, for how long,
//! with whom it shares it, and how people exercise their rights.
//!
//! Every list item carries a stable `id` so that other files (engine datasets, store records)
//! can refer to purposes, retention rules, legal holds and recipients by id. Field names are
//! the TOML keys (`snake_case`); unknown keys are refused when loading.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::duration::IsoDuration;

/// A language of the rendered statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Dutch.
    Nl,
    /// English.
    En,
}

impl Lang {
    /// The ISO 639-1 code: `nl` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The BCP 47 tag of the variant the texts are written in: `nl-NL` or `en-GB` (document
    /// metadata such as a Word document's language, for its spelling check).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl-NL",
            Lang::En => "en-GB",
        }
    }

    /// Both languages, Dutch first.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];
}

/// A language code other than `nl` or `en`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("language `{0}`: use nl or en")]
pub struct UnknownLang(pub String);

impl std::str::FromStr for Lang {
    type Err = UnknownLang;

    /// Reads the ISO 639-1 code, `nl` or `en`.
    fn from_str(s: &str) -> Result<Lang, UnknownLang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" => Ok(Lang::Nl),
            "en" => Ok(Lang::En),
            other => Err(UnknownLang(other.to_owned())),
        }
    }
}

/// A short text in Dutch and English. In TOML either a table `{ nl = "...", en = "..." }` or one
/// plain string (used for both languages).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    /// The Dutch text (may be empty when only English is given).
    pub nl: String,
    /// The English text (may be empty when only Dutch is given).
    pub en: String,
}

impl Text {
    /// The same text for both languages.
    pub fn both(text: impl Into<String>) -> Self {
        let t = text.into();
        Self {
            nl: t.clone(),
            en: t,
        }
    }

    /// The text in `lang`, falling back to the other language when it is empty.
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Nl => (&self.nl, &self.en),
            Lang::En => (&self.en, &self.nl),
        };
        if first.trim().is_empty() {
            second
        } else {
            first
        }
    }

    /// The text in `lang` only, without falling back to the other language (empty when the
    /// register gives none).
    pub fn get_exact(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }

    /// `true` when both languages are empty.
    pub fn is_empty(&self) -> bool {
        self.nl.trim().is_empty() && self.en.trim().is_empty()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a table `{ nl = \"...\", en = \"...\" }`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::both(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut text = Text::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "nl" => text.nl = map.next_value()?,
                        "en" => text.en = map.next_value()?,
                        other => return Err(de::Error::unknown_field(other, &["nl", "en"])),
                    }
                }
                Ok(text)
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// A calendar date such as `2026-01-01`. In TOML a date literal or a quoted string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDate(pub jiff::civil::Date);

impl fmt::Display for LocalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for LocalDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LocalDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Toml(toml::value::Datetime),
        }
        let text = match Raw::deserialize(deserializer).map_err(|_| {
            de::Error::custom("expected a date written as YYYY-MM-DD, e.g. 2026-01-01")
        })? {
            Raw::Text(t) => t,
            Raw::Toml(d) => d.to_string(),
        };
        text.trim()
            .parse::<jiff::civil::Date>()
            .map(LocalDate)
            .map_err(|e| {
                de::Error::custom(format!(
                    "`{text}` is not a date: {e}; write it as YYYY-MM-DD, e.g. 2026-01-01"
                ))
            })
    }
}

/// The whole register of one organisation (one `policy.toml`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The published statement generated from this register: version and effective date.
    pub statement: Statement,
    /// Who decides about the processing (Art. 4(7), Art. 13(1)(a)).
    pub controller: Controller,
    /// The data protection officer or privacy contact (Art. 13(1)(b), Art. 37).
    #[serde(default)]
    pub privacy_officer: Option<PrivacyOfficer>,
    /// The representative in the EU for a controller outside it (Art. 27).
    #[serde(default)]
    pub representative: Option<Contact>,
    /// Categories of people whose data are processed.
    #[serde(default)]
    pub subjects: Vec<SubjectCategory>,
    /// Categories of personal data (fideslang keys).
    #[serde(default)]
    pub data: Vec<DataCategory>,
    /// Why data are processed, on which legal basis.
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    /// Labels for the register's own retention events (`from = "appointment_date"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventLabel>,
    /// How long data are kept.
    #[serde(default)]
    pub retention: Vec<RetentionRule>,
    /// Legal duties to keep data that block erasure (Art. 17(3)(b)).
    #[serde(default)]
    pub legal_holds: Vec<LegalHold>,
    /// Who receives data: processors, other controllers, authorities.
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// Cookies and similar trackers (Telecommunicatiewet art. 11.7a).
    #[serde(default)]
    pub cookies: Vec<Cookie>,
    /// How people exercise their rights (Arts. 12, 15–22).
    #[serde(default)]
    pub rights: Rights,
    /// Automated decisions, including profiling (Art. 22).
    #[serde(default)]
    pub automated_decisions: Vec<AutomatedDecision>,
    /// Security measures (Art. 32), for the Art. 30(1)(g) record.
    #[serde(default)]
    pub security: Vec<SecurityMeasure>,
    /// Processing done as a processor for other controllers (Art. 28, Art. 30(2)).
    #[serde(default)]
    pub processor_activities: Vec<ProcessorActivity>,
    /// Lookup tables by id (built on first use, rebuilt when a list is replaced), so that a
    /// lint or render over a large register stays linear instead of scanning a list per
    /// reference. Not part of the register.
    #[serde(skip)]
    index: IdIndex,
}

/// The published statement's version and dates.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// A version label, e.g. `2026.1`.
    pub version: String,
    /// The date from which this statement applies.
    pub effective_date: LocalDate,
    /// The languages in which the statement is published.
    #[serde(default = "default_languages")]
    pub languages: Vec<Lang>,
    /// Where the statement is published (URL).
    #[serde(default)]
    pub url: Option<String>,
    /// The website places no cookies or similar trackers. Only with this set does the statement
    /// say so; an empty cookie list alone is silence (lint WB061), never a claim.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_cookies: bool,
    /// No data go to anyone outside the organisation (no processors, no other controllers).
    /// Only with this set does the statement say so (lint WB062).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_recipients: bool,
    /// No decisions about people are taken by computer alone (Art. 22). Only with this set
    /// does the statement say so (lint WB063).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_automated_decisions: bool,
}

fn default_languages() -> Vec<Lang> {
    vec![Lang::Nl, Lang::En]
}

/// A postal address.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street and number.
    pub street: String,
    /// Postal code.
    #[serde(default)]
    pub postcode: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country code; `NL` when left out.
    #[serde(default = "default_country")]
    pub country: String,
}

fn default_country() -> String {
    "NL".into()
}

/// The controller: the organisation that decides why and how data are processed.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    /// Legal name, e.g. `Voorbeeld Webwinkel B.V.`.
    pub name: String,
    /// Trade names and brands used towards the public.
    #[serde(default)]
    pub trade_names: Vec<String>,
    /// Chamber of Commerce (KvK) number.
    #[serde(default)]
    pub kvk: Option<String>,
    /// Postal addresses (the first is the main one).
    #[serde(default)]
    pub addresses: Vec<Address>,
    /// E-mail address for privacy questions.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Website.
    #[serde(default)]
    pub website: Option<String>,
    /// `true` for a public authority or body (Art. 6(1) second subparagraph, Art. 37(1)(a)).
    #[serde(default)]
    pub public_authority: bool,
    /// Number of employees (Art. 30(5) exemption below 250).
    #[serde(default)]
    pub employees: Option<u32>,
}

/// A contact: name and ways to reach them.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name of the person or organisation.
    pub name: String,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<Address>,
}

/// The data protection officer (Art. 37) or an internal privacy contact.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyOfficer {
    /// Name or role (e.g. `Functionaris gegevensbescherming`).
    pub name: String,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// `true` for a formally appointed DPO registered with the AP (Art. 37); `false` for a privacy contact.
    #[serde(default)]
    pub formal_dpo: bool,
}

/// A category of data subjects: customers, applicants, employees, visitors...
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectCategory {
    /// Stable id, e.g. `customers`.
    pub id: String,
    /// Name in Dutch and English.
    pub label: Text,
    /// `true` when the group can include children under 16 (UAVG art. 5, GDPR Art. 8).
    #[serde(default)]
    pub may_include_children: bool,
}

/// Special kinds of personal data under GDPR Art. 9(1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Art9Kind {
    /// Racial or ethnic origin.
    RacialOrEthnicOrigin,
    /// Political opinions.
    PoliticalOpinions,
    /// Religious or philosophical beliefs.
    ReligiousOrPhilosophicalBeliefs,
    /// Trade-union membership.
    TradeUnionMembership,
    /// Genetic data.
    Genetic,
    /// Biometric data for unique identification.
    Biometric,
    /// Data concerning health.
    Health,
    /// Sex life or sexual orientation.
    SexLifeOrOrientation,
}

/// The three kinds of sensitive data, each with its own legal regime: the Art. 9 special
/// categories, data on criminal convictions and offences (Art. 10 GDPR, e.g. a VOG), and a
/// national identification number such as the BSN (UAVG art. 46). A criminal record or the BSN
/// is not an Art. 9 special category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// An Art. 9(1) special category; needs an Art. 9(2) exception.
    Special(Art9Kind),
    /// Art. 10 data; needs a law that authorises it.
    Criminal,
    /// The BSN or another number prescribed by law; only where a law prescribes it.
    NationalId,
}

impl Sensitivity {
    /// The vocabulary key of its kind: `special`, `criminal` or `national_id`.
    pub fn kind_key(self) -> &'static str {
        match self {
            Sensitivity::Special(_) => "special",
            Sensitivity::Criminal => "criminal",
            Sensitivity::NationalId => "national_id",
        }
    }
}

/// Where a data category comes from (Art. 13 vs Art. 14).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataSource {
    /// Given by the person themselves (Art. 13).
    #[default]
    DataSubject,
    /// Obtained from someone else (Art. 14).
    ThirdParty,
    /// From public sources (Art. 14(2)(f)).
    Public,
    /// Observed or generated by our systems (logs, cookies).
    Observed,
}

impl DataSource {
    /// Where data of this source come from, in words for the person (Art. 14(2)(f), Art.
    /// 15(1)(g)); `None` for data the person gave us themselves.
    pub fn words(self, lang: Lang) -> Option<&'static str> {
        match (self, lang) {
            (DataSource::DataSubject, _) => None,
            (DataSource::ThirdParty, Lang::Nl) => Some("derden"),
            (DataSource::ThirdParty, Lang::En) => Some("third parties"),
            (DataSource::Public, Lang::Nl) => Some("openbare bronnen"),
            (DataSource::Public, Lang::En) => Some("public sources"),
            (DataSource::Observed, Lang::Nl) => Some("waargenomen door onze systemen"),
            (DataSource::Observed, Lang::En) => Some("observed by our systems"),
        }
    }
}

/// A category of personal data.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCategory {
    /// Stable id, e.g. `email`.
    pub id: String,
    /// The fideslang data category key, e.g. `user.contact.email`.
    pub category: String,
    /// Name in Dutch and English.
    pub label: Text,
    /// Art. 9(1) special kind, when this is special-category data.
    #[serde(default)]
    pub special: Option<Art9Kind>,
    /// `true` for data on criminal convictions and offences (Art. 10), including a VOG.
    #[serde(default)]
    pub criminal: bool,
    /// `true` for the BSN or another national identification number (UAVG art. 46).
    #[serde(default)]
    pub national_id: bool,
    /// Where the data come from.
    #[serde(default)]
    pub source: DataSource,
}

impl DataCategory {
    /// Its sensitive kinds: the flags, plus what the fideslang key implies.
    pub fn sensitivities(&self) -> Vec<Sensitivity> {
        let mut out = Vec::new();
        if let Some(k) = self
            .special
            .or_else(|| crate::fideslang::implied_special(&self.category))
        {
            out.push(Sensitivity::Special(k));
        }
        if self.criminal || crate::fideslang::implies_criminal(&self.category) {
            out.push(Sensitivity::Criminal);
        }
        if self.national_id || crate::fideslang::implies_national_id(&self.category) {
            out.push(Sensitivity::NationalId);
        }
        out
    }
}

/// The six legal bases of GDPR Art. 6(1), in the article's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// (a) consent.
    Consent,
    /// (b) performance of a contract or steps before one.
    Contract,
    /// (c) a legal obligation of the controller.
    LegalObligation,
    /// (d) vital interests.
    VitalInterests,
    /// (e) a task in the public interest or official authority.
    PublicTask,
    /// (f) legitimate interests.
    LegitimateInterests,
}

impl LegalBasis {
    /// All six, in the article's order (a to f).
    pub const ALL: [LegalBasis; 6] = [
        LegalBasis::Consent,
        LegalBasis::Contract,
        LegalBasis::LegalObligation,
        LegalBasis::VitalInterests,
        LegalBasis::PublicTask,
        LegalBasis::LegitimateInterests,
    ];

    /// The Art. 6(1) letter and name, e.g. `Art. 6(1)(b) GDPR`.
    pub fn article(self) -> &'static str {
        match self {
            LegalBasis::Consent => "Art. 6(1)(a) GDPR",
            LegalBasis::Contract => "Art. 6(1)(b) GDPR",
            LegalBasis::LegalObligation => "Art. 6(1)(c) GDPR",
            LegalBasis::VitalInterests => "Art. 6(1)(d) GDPR",
            LegalBasis::PublicTask => "Art. 6(1)(e) GDPR",
            LegalBasis::LegitimateInterests => "Art. 6(1)(f) GDPR",
        }
    }

    /// The article in Dutch citation style, e.g. `art. 6 lid 1 sub b AVG`.
    pub fn article_nl(self) -> &'static str {
        match self {
            LegalBasis::Consent => "art. 6 lid 1 sub a AVG",
            LegalBasis::Contract => "art. 6 lid 1 sub b AVG",
            LegalBasis::LegalObligation => "art. 6 lid 1 sub c AVG",
            LegalBasis::VitalInterests => "art. 6 lid 1 sub d AVG",
            LegalBasis::PublicTask => "art. 6 lid 1 sub e AVG",
            LegalBasis::LegitimateInterests => "art. 6 lid 1 sub f AVG",
        }
    }

    /// The basis in plain words, completing "we use these data on the basis of ...", e.g.
    /// `een wettelijke plicht` / `a legal obligation`.
    pub fn words(self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            LegalBasis::Consent => ("uw toestemming", "your consent"),
            LegalBasis::Contract => (
                "de overeenkomst met u (of de stappen daarvoor)",
                "the contract with you (or the steps before it)",
            ),
            LegalBasis::LegalObligation => ("een wettelijke plicht", "a legal obligation"),
            LegalBasis::VitalInterests => ("een vitaal belang", "a vital interest"),
            LegalBasis::PublicTask => (
                "een taak van algemeen belang",
                "a task in the public interest",
            ),
            LegalBasis::LegitimateInterests => {
                ("ons gerechtvaardigd belang", "our legitimate interest")
            }
        };
        if lang == Lang::Nl { nl } else { en }
    }

    /// The snake_case key as written in TOML.
    pub fn key(self) -> &'static str {
        match self {
            LegalBasis::Consent => "consent",
            LegalBasis::Contract => "contract",
            LegalBasis::LegalObligation => "legal_obligation",
            LegalBasis::VitalInterests => "vital_interests",
            LegalBasis::PublicTask => "public_task",
            LegalBasis::LegitimateInterests => "legitimate_interests",
        }
    }
}

/// The exceptions of GDPR Art. 9(2) that allow special-category data. In TOML either the name
/// (`health_care`) or the letter of Art. 9(2) (`"h"`, `"9(2)(h)"`); it is written back by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Art9Exception {
    /// (a) explicit consent.
    ExplicitConsent,
    /// (b) employment and social-security law.
    Employment,
    /// (c) vital interests when consent is impossible.
    VitalInterests,
    /// (d) not-for-profit body, its members.
    NotForProfit,
    /// (e) made manifestly public by the person.
    MadePublic,
    /// (f) legal claims.
    LegalClaims,
    /// (g) substantial public interest laid down by law.
    SubstantialPublicInterest,
    /// (h) preventive or occupational medicine, health care.
    HealthCare,
    /// (i) public health.
    PublicHealth,
    /// (j) archiving, research, statistics.
    Research,
}

impl Art9Exception {
    /// All ten exceptions, in the order of Art. 9(2) (a) to (j).
    pub const ALL: [Art9Exception; 10] = [
        Art9Exception::ExplicitConsent,
        Art9Exception::Employment,
        Art9Exception::VitalInterests,
        Art9Exception::NotForProfit,
        Art9Exception::MadePublic,
        Art9Exception::LegalClaims,
        Art9Exception::SubstantialPublicInterest,
        Art9Exception::HealthCare,
        Art9Exception::PublicHealth,
        Art9Exception::Research,
    ];

    /// The snake_case name as written in TOML, e.g. `health_care`.
    pub fn key(self) -> &'static str {
        match self {
            Art9Exception::ExplicitConsent => "explicit_consent",
            Art9Exception::Employment => "employment",
            Art9Exception::VitalInterests => "vital_interests",
            Art9Exception::NotForProfit => "not_for_profit",
            Art9Exception::MadePublic => "made_public",
            Art9Exception::LegalClaims => "legal_claims",
            Art9Exception::SubstantialPublicInterest => "substantial_public_interest",
            Art9Exception::HealthCare => "health_care",
            Art9Exception::PublicHealth => "public_health",
            Art9Exception::Research => "research",
        }
    }

    /// The letter of Art. 9(2), `a` to `j`.
    pub fn letter(self) -> char {
        let i = Self::ALL.iter().position(|e| *e == self).unwrap_or(0);
        char::from(b'a' + u8::try_from(i).unwrap_or(0))
    }

    /// The exception with this letter of Art. 9(2).
    pub fn from_letter(letter: char) -> Option<Self> {
        let i = u32::from(letter.to_ascii_lowercase()).checked_sub(u32::from('a'))?;
        Self::ALL.get(usize::try_from(i).ok()?).copied()
    }

    /// The article, e.g. `Art. 9(2)(h) GDPR`.
    pub fn article(self) -> String {
        format!("Art. 9(2)({}) GDPR", self.letter())
    }

    /// The article in Dutch citation style, e.g. `art. 9 lid 2 sub h AVG`.
    pub fn article_nl(self) -> String {
        format!("art. 9 lid 2 sub {} AVG", self.letter())
    }

    /// What the exception allows, in plain words (from `data/vocabulary.toml`), completing
    /// "we use these data ...".
    pub fn words(self, lang: Lang) -> String {
        crate::vocab::vocabulary()
            .art9
            .get(self.key())
            .map(|g| {
                if lang == Lang::Nl {
                    g.nl.clone()
                } else {
                    g.en.clone()
                }
            })
            .unwrap_or_else(|| self.key().replace('_', " "))
    }

    /// Reads a name (`health_care`) or a letter (`h`, `9(2)(h)`, `art. 9 lid 2 sub h`).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase();
        if let Some(e) = Self::ALL.iter().find(|e| e.key() == t) {
            return Some(*e);
        }
        let letter = if t.chars().count() == 1 {
            t.chars().next()
        } else if let Some(rest) = t.strip_suffix(')') {
            // `9(2)(h)`, `art. 9(2)(h)`.
            let (_, l) = rest.rsplit_once('(')?;
            (l.chars().count() == 1).then(|| l.chars().next()).flatten()
        } else {
            // `art. 9 lid 2 sub h`.
            let (_, l) = t.rsplit_once("sub ")?;
            (l.trim().chars().count() == 1)
                .then(|| l.trim().chars().next())
                .flatten()
        }?;
        if !letter.is_ascii_lowercase() {
            return None;
        }
        Self::from_letter(letter)
    }
}

impl<'de> Deserialize<'de> for Art9Exception {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Art9Exception::parse(&s).ok_or_else(|| {
            let names: Vec<String> = Art9Exception::ALL
                .iter()
                .map(|e| format!("{} ({})", e.key(), e.letter()))
                .collect();
            de::Error::custom(format!(
                "`{s}` is not an exception of Art. 9(2) GDPR; write its name or its letter: {}",
                names.join(", ")
            ))
        })
    }
}

/// Whether people must provide the data (Art. 13(2)(e)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provision {
    /// Required by law.
    Statutory,
    /// Required by the contract.
    Contractual,
    /// Needed to enter into a contract.
    PrerequisiteForContract,
    /// Voluntary.
    Voluntary,
}

/// A purpose of processing.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Stable id, e.g. `orders`.
    pub id: String,
    /// Short name in Dutch and English.
    pub name: Text,
    /// What is done, in plain words.
    #[serde(default)]
    pub description: Text,
    /// The Art. 6(1) basis; `None` when the organisation has not stated one (a lint error).
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    /// The legitimate interest pursued (Art. 13(1)(d)); required with `legitimate_interests`.
    #[serde(default)]
    pub legitimate_interest: Option<Text>,
    /// The law that imposes the obligation or task, e.g. `AWR art. 52` (for `legal_obligation`,
    /// `public_task`, BSN processing under UAVG art. 46, or Art. 10 data).
    #[serde(default)]
    pub legal_ground: Option<String>,
    /// The Art. 9(2) exception when special-category data are used.
    #[serde(default)]
    pub art9_exception: Option<Art9Exception>,
    /// Data category ids used for this purpose.
    #[serde(default)]
    pub data: Vec<String>,
    /// Subject category ids concerned.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Recipient ids that receive data for this purpose.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Whether people must provide the data (Art. 13(2)(e)).
    #[serde(default)]
    pub provision: Option<Provision>,
    /// What happens when people do not provide the data (Art. 13(2)(e)).
    #[serde(default)]
    pub consequence_if_not_provided: Option<Text>,
    /// Consent settings, for purposes based on consent.
    #[serde(default)]
    pub consent: Option<Consent>,
    /// Whether this processing is one of the organisation's core activities (Art. 37(1)(b)–(c)):
    /// what it is in business for, not a support function such as payroll.
    #[serde(default)]
    pub core_activity: bool,
    /// Whether it is done on a large scale (many people, much data, long, wide area; EDPB WP243).
    #[serde(default)]
    pub large_scale: bool,
    /// Whether it regularly and systematically monitors people (tracking, profiling, location,
    /// loyalty programmes, behavioural advertising; Art. 37(1)(b)).
    #[serde(default)]
    pub systematic_monitoring: bool,
}

/// How long a consent is valid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentScope {
    /// Valid until withdrawn (e.g. a newsletter).
    #[default]
    Standing,
    /// Valid for one event only (e.g. one whitepaper download shared with its sponsor).
    SingleUse,
}

/// How consent is obtained.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// An active, separate opt-in (unticked checkbox, button).
    #[default]
    OptIn,
    /// A pre-ticked box (not valid consent).
    PreTicked,
    /// "Using the site or giving us data means you agree" (not valid consent).
    Implied,
}

/// A way to do something: e-mail, web form, post...
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// E-mail.
    Email,
    /// Web form.
    WebForm,
    /// Self-service in the account / portal.
    Portal,
    /// A link in every message (unsubscribe link).
    Link,
    /// Post.
    Post,
    /// Telephone.
    Phone,
    /// In person.
    InPerson,
    /// A cookie banner or settings screen.
    CookieSettings,
}

/// A channel with its address.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// The kind of channel.
    pub kind: ChannelKind,
    /// Address, URL or number, when relevant.
    #[serde(default)]
    pub address: Option<String>,
}

/// Consent settings for one purpose (Arts. 7 and 8).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Standing or single-use.
    #[serde(default)]
    pub scope: ConsentScope,
    /// For single-use consent: what it is tied to (a download, an event).
    #[serde(default)]
    pub object: Option<String>,
    /// For consent to share data: recipient id it is given for.
    #[serde(default)]
    pub recipient: Option<String>,
    /// How consent is obtained.
    #[serde(default)]
    pub method: ConsentMethod,
    /// How consent can be withdrawn (Art. 7(3)); must not be empty.
    #[serde(default)]
    pub withdrawal: Vec<Channel>,
    /// Version of the consent text shown (recorded in the consent ledger).
    #[serde(default)]
    pub text_version: Option<String>,
    /// Minimum age to consent alone; 16 in the Netherlands (UAVG art. 5).
    #[serde(default)]
    pub minimum_age: Option<u8>,
    /// `true` when consent of a parent/guardian is obtained for people under the minimum age.
    #[serde(default)]
    pub parental_consent: bool,
}

/// The event from which a retention period runs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RetentionEvent {
    /// The moment the data were collected.
    Collection,
    /// The last contact with the person.
    LastContact,
    /// The end of the contract.
    EndOfContract,
    /// The end of the application procedure.
    EndOfApplication,
    /// Any other named event, e.g. `invoice_date`, `consent_withdrawn`, `end_of_employment`.
    Named(String),
}

impl RetentionEvent {
    /// The key as written in TOML.
    pub fn key(&self) -> &str {
        match self {
            RetentionEvent::Collection => "collection",
            RetentionEvent::LastContact => "last_contact",
            RetentionEvent::EndOfContract => "end_of_contract",
            RetentionEvent::EndOfApplication => "end_of_application",
            RetentionEvent::Named(n) => n,
        }
    }

    /// The event in plain words, for a built-in event (`data/vocabulary.toml`); other names
    /// are shown as `het moment 'x'` / `the event 'x'`. [`Policy::event_words`] also knows the
    /// register's own labels (`[[events]]`).
    pub fn words(&self, lang: Lang) -> String {
        let key = self.key();
        match crate::vocab::event_words(key, lang) {
            Some(w) => w.to_owned(),
            None => {
                let words = key.replace('_', " ");
                match lang {
                    Lang::Nl => format!("het moment '{words}'"),
                    Lang::En => format!("the event '{words}'"),
                }
            }
        }
    }

    /// `true` for an event the vocabulary knows (no label needed).
    pub fn is_built_in(&self) -> bool {
        crate::vocab::event_words(self.key(), Lang::Nl).is_some()
    }
}

/// A label for a retention event the register names itself, e.g. `appointment_date`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventLabel {
    /// The event key as used in `from`, e.g. `appointment_date`.
    pub id: String,
    /// How the statement says it, e.g. `{ nl = "de datum van de afspraak", en = "the appointment date" }`.
    pub label: Text,
}

impl Serialize for RetentionEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for RetentionEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(match s.as_str() {
            "collection" => RetentionEvent::Collection,
            "last_contact" => RetentionEvent::LastContact,
            "end_of_contract" => RetentionEvent::EndOfContract,
            "end_of_application" => RetentionEvent::EndOfApplication,
            other => {
                let valid = !other.is_empty()
                    && other
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !valid {
                    return Err(de::Error::custom(format!(
                        "`{other}` is not a retention event; use collection, last_contact, \
                         end_of_contract, end_of_application or a snake_case event name such as \
                         invoice_date"
                    )));
                }
                RetentionEvent::Named(other.to_owned())
            }
        })
    }
}

/// What happens when a retention period ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionAction {
    /// Delete the data.
    #[default]
    Delete,
    /// Make the data anonymous (no longer personal data).
    Anonymise,
}

/// A retention rule: data of a purpose and/or categories are deleted or anonymised after a period.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    /// Stable id, e.g. `customers-after-last-contact`.
    pub id: String,
    /// Purpose id this rule applies to.
    #[serde(default)]
    pub purpose: Option<String>,
    /// Data category ids this rule applies to (all data of the purpose when empty).
    #[serde(default)]
    pub data: Vec<String>,
    /// The period, e.g. `P2Y`.
    pub period: IsoDuration,
    /// The event the period runs from.
    pub from: RetentionEvent,
    /// What happens at the end.
    #[serde(default)]
    pub action: RetentionAction,
    /// `true` when the person can ask (or consent) to keep the data longer.
    #[serde(default)]
    pub extendable: bool,
    /// The longest extension the person can agree to, e.g. `P1Y`.
    #[serde(default)]
    pub extension: Option<IsoDuration>,
    /// The criteria used, for the person (Art. 13(2)(a)); published in the statement.
    #[serde(default)]
    pub explanation: Option<Text>,
    /// A note for the organisation itself; never published.
    #[serde(default)]
    pub note: Option<Text>,
}

/// A legal duty to keep data, which blocks erasure until it ends (Art. 17(3)(b)).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalHold {
    /// Stable id, e.g. `fiscal`.
    pub id: String,
    /// The law imposing it, e.g. `AWR art. 52`.
    pub law: String,
    /// How long, e.g. `P7Y`.
    pub period: IsoDuration,
    /// The event the period runs from, e.g. `invoice_date`.
    pub from: RetentionEvent,
    /// Data category ids it keeps.
    #[serde(default)]
    pub data: Vec<String>,
    /// Purpose ids whose records it keeps.
    #[serde(default)]
    pub purposes: Vec<String>,
    /// An explanation for the person; published in the statement.
    #[serde(default)]
    pub explanation: Option<Text>,
    /// A note for the organisation itself; never published.
    #[serde(default)]
    pub note: Option<Text>,
}

impl LegalHold {
    /// The GDPR exception to erasure a legal hold falls under: a legal obligation to keep the
    /// data (Art. 17(3)(b)).
    pub const GDPR_EXCEPTION: &'static str = "GDPR Art. 17(3)(b)";
}

/// The role of a recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientRole {
    /// Processes on our behalf (Art. 28).
    Processor,
    /// A sub-processor of one of our processors, or of us when we act as processor.
    SubProcessor,
    /// An independent controller (e.g. a bank, a carrier).
    Controller,
    /// A joint controller (Art. 26).
    JointController,
    /// A public authority (e.g. the tax authority).
    PublicAuthority,
}

/// The mechanism for a transfer outside the EEA (Chapter V).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferMechanism {
    /// No transfer (recipient in the EEA).
    None,
    /// An adequacy decision for the country (Art. 45).
    Adequacy,
    /// EU-US Data Privacy Framework, recipient certified (since 10 July 2023).
    DataPrivacyFramework,
    /// Standard contractual clauses 2021/914 (Art. 46(2)(c)).
    StandardContractualClauses,
    /// Old SCCs (2010/87/EU or earlier), replaced since 27 December 2022.
    OldStandardContractualClauses,
    /// Binding corporate rules (Art. 47).
    BindingCorporateRules,
    /// An Art. 49 derogation (e.g. explicit consent).
    Derogation,
    /// EU-US Privacy Shield (invalid since 16 July 2020).
    PrivacyShield,
    /// Safe Harbor (invalid since 6 October 2015).
    SafeHarbor,
    /// Not known / not stated.
    Unknown,
}

/// A recipient of personal data.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// Stable id, e.g. `mailchimp`.
    pub id: String,
    /// Name, or a category of recipients (e.g. `Pakketbezorgers`).
    pub name: Text,
    /// Role.
    pub role: RecipientRole,
    /// ISO 3166-1 alpha-2 country where the data are processed, e.g. `NL`, `US`.
    pub country: String,
    /// Transfer mechanism when the country is outside the EEA.
    #[serde(default)]
    pub transfer_mechanism: Option<TransferMechanism>,
    /// Where people can get a copy of the safeguards (Art. 13(1)(f)).
    #[serde(default)]
    pub safeguards_url: Option<String>,
    /// For processors: whether a processor agreement (Art. 28(3)) is signed.
    #[serde(default)]
    pub processor_agreement: Option<bool>,
    /// What the recipient does.
    #[serde(default)]
    pub description: Option<Text>,
}

/// Cookie category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CookieCategory {
    /// Strictly necessary for the service asked for.
    Necessary,
    /// Functional (preferences).
    Functional,
    /// Analytics / statistics.
    Analytics,
    /// Advertising, tracking, social media.
    Advertising,
}

/// The basis on which a cookie is placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CookieConsent {
    /// Placed only after an active opt-in.
    OptIn,
    /// "By using the site you agree" (not valid consent).
    Implied,
    /// Placed without asking.
    None,
    /// Exempt: necessary/functional, or analytics with little privacy impact.
    Exempt,
}

/// A cookie or similar tracker.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cookie {
    /// Stable id.
    pub id: String,
    /// Cookie name (e.g. `_ga`) or a product name.
    pub name: String,
    /// Who places or reads it, e.g. `Google`. May be left empty; lint then suggests the
    /// provider the Open Cookie Database knows for the name.
    #[serde(default)]
    pub provider: String,
    /// Category.
    pub category: CookieCategory,
    /// Lifetime, e.g. `P13M`. Leave it out only for a session cookie, and then say so with
    /// `session = true`; a cookie with neither is a lint finding (WB064).
    #[serde(default)]
    pub lifetime: Option<IsoDuration>,
    /// A session cookie: it goes when the browser closes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub session: bool,
    /// Basis on which it is placed.
    pub consent: CookieConsent,
    /// For analytics: configured privacy-friendly (IP masked, no data sharing) so it may be exempt.
    #[serde(default)]
    pub privacy_friendly: bool,
    /// Recipient id receiving the data, when it is a third party.
    #[serde(default)]
    pub recipient: Option<String>,
    /// What it is for.
    #[serde(default)]
    pub purpose: Option<Text>,
}

/// A right of the data subject (Arts. 15–22, 7(3), 77), in statement order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    /// Art. 15.
    Access,
    /// Art. 16.
    Rectification,
    /// Art. 17.
    Erasure,
    /// Art. 18.
    Restriction,
    /// Art. 20.
    Portability,
    /// Art. 21.
    Objection,
    /// Art. 7(3).
    WithdrawConsent,
    /// Art. 22.
    NoAutomatedDecision,
    /// Art. 77: complaint to the supervisory authority.
    Complaint,
}

impl Right {
    /// All rights in statement order.
    pub const ALL: [Right; 9] = [
        Right::Access,
        Right::Rectification,
        Right::Erasure,
        Right::Restriction,
        Right::Portability,
        Right::Objection,
        Right::WithdrawConsent,
        Right::NoAutomatedDecision,
        Right::Complaint,
    ];

    /// The snake_case key as written in TOML, e.g. `withdraw_consent`.
    pub fn key(self) -> &'static str {
        match self {
            Right::Access => "access",
            Right::Rectification => "rectification",
            Right::Erasure => "erasure",
            Right::Restriction => "restriction",
            Right::Portability => "portability",
            Right::Objection => "objection",
            Right::WithdrawConsent => "withdraw_consent",
            Right::NoAutomatedDecision => "no_automated_decision",
            Right::Complaint => "complaint",
        }
    }
}

/// How the identity of a requester is checked (Art. 12(6)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityCheck {
    /// A link sent to an e-mail address already known.
    EmailLink,
    /// The person is logged in to an existing account.
    Account,
    /// Questions on data only the person knows.
    KnowledgeQuestions,
    /// Showing an identity document in person (no copy).
    ShowDocument,
    /// A copy of an identity document with BSN and photo masked, only when in doubt.
    MaskedIdCopy,
    /// A masked copy of an identity document is asked with every request.
    MaskedIdCopyAlways,
    /// A full copy of an identity document is always required.
    IdCopy,
    /// No check.
    None,
}

/// Fee policy for requests (Art. 12(5)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeePolicy {
    /// Always free.
    #[default]
    Free,
    /// A reasonable fee only for manifestly unfounded or excessive requests.
    ExcessiveOnly,
    /// A fee for extra copies beyond the first (Art. 15(3)).
    ExtraCopies,
    /// A fee for repeated requests within a period.
    Repeat,
    /// A fee for every request.
    Always,
}

/// Fee settings.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// The policy.
    #[serde(default)]
    pub policy: FeePolicy,
    /// The amount in euro cents, when a fixed amount is asked.
    #[serde(default)]
    pub amount_cents: Option<u32>,
    /// For `repeat`: the period within which a new request costs money, e.g. `P6M`.
    #[serde(default)]
    pub within: Option<IsoDuration>,
}

/// How people exercise their rights.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rights {
    /// Rights the statement tells people about (Art. 13(2)(b)-(d)).
    #[serde(default)]
    pub offered: Vec<Right>,
    /// Channels for requests.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Answer deadline; at most `P1M` (Art. 12(3)).
    #[serde(default)]
    pub deadline: Option<IsoDuration>,
    /// Possible extension; at most `P2M` (Art. 12(3)).
    #[serde(default)]
    pub extension: Option<IsoDuration>,
    /// How identity is checked.
    #[serde(default)]
    pub identity_check: Option<IdentityCheck>,
    /// Fees.
    #[serde(default)]
    pub fee: Fee,
    /// The supervisory authority named for complaints, e.g. `Autoriteit Persoonsgegevens`.
    #[serde(default)]
    pub complaint_authority: Option<String>,
    /// Self-service erasure promise, e.g. `PT48H`.
    #[serde(default)]
    pub self_service_erasure: Option<IsoDuration>,
}

/// The Art. 22(2) exception that allows a solely automated decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Art22Exception {
    /// Necessary for a contract.
    Contract,
    /// Authorised by law.
    Law,
    /// Explicit consent.
    ExplicitConsent,
}

/// Automated decision-making, including profiling (Art. 22, Art. 13(2)(f)).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutomatedDecision {
    /// Stable id.
    pub id: String,
    /// Purpose id.
    pub purpose: String,
    /// What is decided.
    pub description: Text,
    /// Meaningful information about the logic involved.
    #[serde(default)]
    pub logic: Option<Text>,
    /// Significance and expected consequences.
    #[serde(default)]
    pub consequences: Option<Text>,
    /// `true` when it produces legal or similarly significant effects (Art. 22(1)).
    #[serde(default)]
    pub significant_effect: bool,
    /// `true` when profiling is involved.
    #[serde(default)]
    pub profiling: bool,
    /// The Art. 22(2) exception relied on.
    #[serde(default)]
    pub exception: Option<Art22Exception>,
    /// `true` when people can ask for a human to look at the decision (Art. 22(3)).
    #[serde(default)]
    pub human_review: bool,
}

/// A technical or organisational security measure (Art. 32).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityMeasure {
    /// Stable id, e.g. `tls`.
    pub id: String,
    /// Description.
    pub description: Text,
}

/// Processing done as a processor for another controller (e.g. a SaaS provider processing its
/// customers' staff data), with the processor agreement's key terms.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessorActivity {
    /// Stable id.
    pub id: String,
    /// Who the controller is (e.g. `Klanten (werkgevers)`).
    pub controller: Text,
    /// What is done on the controller's instructions.
    pub description: Text,
    /// Subject category ids.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Data category ids.
    #[serde(default)]
    pub data: Vec<String>,
    /// `true` when a processor agreement (Art. 28(3)) is in place.
    #[serde(default)]
    pub agreement: bool,
    /// Recipient ids of sub-processors engaged.
    #[serde(default)]
    pub sub_processors: Vec<String>,
    /// `true` when the agreement regulates sub-processors (Art. 28(2), (4)).
    #[serde(default)]
    pub sub_processor_clause: bool,
    /// Time to return or delete the data after the service ends (Art. 28(3)(g)).
    #[serde(default)]
    pub delete_after_end: Option<IsoDuration>,
    /// Time within which the controller is told about a breach (Art. 33(2)).
    #[serde(default)]
    pub breach_notice: Option<IsoDuration>,
    /// `true` when the agreement allows audits (Art. 28(3)(h)).
    #[serde(default)]
    pub audits: bool,
}

/// Looks up an item by id in a list of items that have an `id`.
pub trait HasId {
    /// The item's id.
    fn id(&self) -> &str;
}

macro_rules! has_id {
    ($($t:ty),*) => {$(
        impl HasId for $t {
            fn id(&self) -> &str {
                &self.id
            }
        }
    )*};
}

has_id!(
    EventLabel,
    SubjectCategory,
    DataCategory,
    Purpose,
    RetentionRule,
    LegalHold,
    Recipient,
    Cookie,
    AutomatedDecision,
    SecurityMeasure,
    ProcessorActivity
);

fn find<'a, T: HasId>(items: &'a [T], id: &str) -> Option<&'a T> {
    items.iter().find(|i| i.id() == id)
}

/// One list's id table: the list it was built for (address and length) and id -> first index.
struct IdTable {
    key: (usize, usize),
    map: std::collections::HashMap<String, usize>,
}

/// Id tables for the lists looked up by id (see [`Policy::purpose`] and its siblings).
#[derive(Default)]
struct IdIndex {
    tables: [std::sync::Mutex<Option<IdTable>>; 6],
}

impl Clone for IdIndex {
    fn clone(&self) -> Self {
        IdIndex::default()
    }
}

impl fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdIndex")
    }
}

impl IdIndex {
    /// The first item of `items` with `id`, through table `slot` (built on first use and
    /// whenever `items` is another list than the one it was built for). A hit is checked
    /// against the item; a table found stale falls back to the scan.
    fn find<'a, T: HasId>(&self, slot: usize, items: &'a [T], id: &str) -> Option<&'a T> {
        let Some(cell) = self.tables.get(slot) else {
            return find(items, id);
        };
        let Ok(mut guard) = cell.lock() else {
            return find(items, id);
        };
        let key = (items.as_ptr() as usize, items.len());
        if guard.as_ref().is_none_or(|t| t.key != key) {
            let mut map = std::collections::HashMap::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                map.entry(item.id().to_string()).or_insert(i);
            }
            *guard = Some(IdTable { key, map });
        }
        let hit = guard
            .as_ref()
            .and_then(|t| t.map.get(id))
            .and_then(|&i| items.get(i));
        match hit {
            Some(item) if item.id() == id => Some(item),
            Some(_) => {
                // An id was changed in place: forget the table and scan.
                *guard = None;
                find(items, id)
            }
            None => None,
        }
    }
}

impl Policy {
    /// The purpose with this id.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.index.find(0, &self.purposes, id)
    }

    /// The data category with this id.
    pub fn data_category(&self, id: &str) -> Option<&DataCategory> {
        self.index.find(1, &self.data, id)
    }

    /// The subject category with this id.
    pub fn subject(&self, id: &str) -> Option<&SubjectCategory> {
        self.index.find(2, &self.subjects, id)
    }

    /// The retention rule with this id.
    pub fn retention_rule(&self, id: &str) -> Option<&RetentionRule> {
        self.index.find(3, &self.retention, id)
    }

    /// The legal hold with this id.
    pub fn legal_hold(&self, id: &str) -> Option<&LegalHold> {
        self.index.find(4, &self.legal_holds, id)
    }

    /// The recipient with this id.
    pub fn recipient(&self, id: &str) -> Option<&Recipient> {
        self.index.find(5, &self.recipients, id)
    }

    /// A retention event in plain words: the register's own label (`[[events]]`) first, then
    /// the built-in words.
    pub fn event_words(&self, event: &RetentionEvent, lang: Lang) -> String {
        self.events
            .iter()
            .find(|e| e.id == event.key() && !e.label.get(lang).trim().is_empty())
            .map(|e| e.label.get(lang).to_owned())
            .unwrap_or_else(|| event.words(lang))
    }

    /// Retention rules that apply to a purpose (by `purpose`) or to one of its data categories.
    pub fn retention_for_purpose(&self, purpose_id: &str) -> Vec<&RetentionRule> {
        self.retention
            .iter()
            .filter(|r| r.purpose.as_deref() == Some(purpose_id))
            .collect()
    }

    /// Retention rules that cover a data category: rules naming it, or rules of a purpose that
    /// uses it without naming specific data.
    pub fn retention_for_data(&self, data_id: &str) -> Vec<&RetentionRule> {
        self.retention
            .iter()
            .filter(|r| {
                r.data.iter().any(|d| d == data_id)
                    || (r.data.is_empty()
                        && r.purpose
                            .as_deref()
                            .and_then(|p| self.purpose(p))
                            .is_some_and(|p| p.data.iter().any(|d| d == data_id)))
            })
            .collect()
    }

    /// Legal holds that keep a data category.
    pub fn holds_for_data(&self, data_id: &str) -> Vec<&LegalHold> {
        self.legal_holds
            .iter()
            .filter(|h| {
                h.data.iter().any(|d| d == data_id)
                    || h.purposes.iter().any(|p| {
                        self.purpose(p)
                            .is_some_and(|p| p.data.iter().any(|d| d == data_id))
                    })
            })
            .collect()
    }

    /// The fideslang categories of the data a legal hold keeps: its `data` ids resolved through
    /// `[[data]]` (an id the register does not define is left out; loading refuses it anyway).
    pub fn hold_categories(&self, hold: &LegalHold) -> Vec<&str> {
        hold.data
            .iter()
            .filter_map(|id| self.data_category(id))
            .map(|d| d.category.as_str())
            .collect()
    }

    /// Whether a legal hold keeps data of a fideslang category: the category is one of the
    /// hold's data categories or lies below one (`user.name.first` below `user.name`).
    pub fn hold_keeps_category(&self, hold: &LegalHold, category: &str) -> bool {
        self.hold_categories(hold).iter().any(|k| {
            category
                .strip_prefix(k)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    }

    /// A SHA-256 hex digest of the register's canonical content (its JSON serialisation with
    /// fields in declaration order). Formatting, comments and key order in the TOML file do not
    /// change it; any change of content does.
    pub fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        // Serialising plain data structures to JSON cannot fail; fall back to Debug to be safe.
        let bytes = serde_json::to_vec(self).unwrap_or_else(|_| format!("{self:?}").into_bytes());
        hex::encode(Sha256::digest(&bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys written by hand are the serde names the TOML uses.
    #[test]
    fn keys_are_the_serde_names() {
        let name = |v: serde_json::Value| v.as_str().map(str::to_owned);
        for r in Right::ALL {
            assert_eq!(
                name(serde_json::to_value(r).unwrap()).as_deref(),
                Some(r.key())
            );
        }
        for b in LegalBasis::ALL {
            assert_eq!(
                name(serde_json::to_value(b).unwrap()).as_deref(),
                Some(b.key())
            );
        }
    }
}
