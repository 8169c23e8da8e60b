//! Cookies known by name: the Open Cookie Database (Apache-2.0, bundled unmodified in
//! `data/open-cookie-database/` with its licence and attribution) read into a lookup table.
//!
//! A name is looked up exactly first, then ignoring letter case, then against the database's
//! prefix entries (`Wildcard match` = 1, e.g. `_ga_` for `_ga_ABC123`; the longest prefix wins).
//! A register may also name a family with a `*` (`li_*`, `_ga_*`): that matches the database's
//! prefix entry written the same way, or else every known name that starts the same.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::duration::IsoDuration;
use crate::model::{Cookie, CookieCategory};

/// The bundled database (CSV, unmodified).
pub const BUNDLED_CSV: &str = include_str!("../data/open-cookie-database/open-cookie-database.csv");

/// The bundled database's version line (source, commit, date, licence), as written by the
/// refresh command (`examples/refresh_cookie_db.rs`).
pub const BUNDLED_VERSION_FILE: &str = include_str!("../data/open-cookie-database/VERSION");

/// The bundled database's version line without its line end.
pub fn bundled_version() -> &'static str {
    BUNDLED_VERSION_FILE.trim()
}

/// Provider aliases (`Meta` = `Facebook`), as data.
const PROVIDERS_TOML: &str = include_str!("../data/cookie-providers.toml");

/// The columns the CSV must have, in any order.
pub const COLUMNS: [&str; 10] = [
    "ID",
    "Platform",
    "Category",
    "Cookie / Data Key name",
    "Domain",
    "Description",
    "Retention period",
    "Data Controller",
    "User Privacy & GDPR Rights Portals",
    "Wildcard match",
];

/// Why a cookie database file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CookieDbError {
    /// A column is missing from the header.
    #[error(
        "the cookie database has no column `{0}`; expected the Open Cookie Database CSV with the columns {cols}",
        cols = COLUMNS.join(", ")
    )]
    MissingColumn(String),
    /// A row cannot be read.
    #[error("the cookie database's line {line} cannot be read: {reason}; fix or remove that row")]
    BadRow {
        /// Line number (1 is the header).
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// No entries at all.
    #[error("the cookie database has no entries; is it the Open Cookie Database CSV?")]
    Empty,
}

/// How long a known cookie lives, as the database says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "period")]
pub enum KnownLifetime {
    /// Until the browser is closed.
    Session,
    /// A period, e.g. `P2Y` for "2 years".
    Period(IsoDuration),
    /// Not stated in a form we read ("Unknown", "Varies", "forever").
    Unknown,
}

/// One cookie (or storage key) of the database.
#[derive(Clone, Debug, Serialize)]
pub struct KnownCookie {
    /// The database's id (a UUID).
    pub id: String,
    /// The platform or product, e.g. `Google Analytics`.
    pub platform: String,
    /// The category in Waarborg's vocabulary.
    pub category: CookieCategory,
    /// The category as the database writes it (`Marketing`, `Security`, ...).
    pub category_label: String,
    /// The name, or the prefix when `wildcard` is set.
    pub name: String,
    /// The domain it is set on, when given.
    pub domain: String,
    /// What it does (English, as in the database).
    pub description: String,
    /// The retention period as written, e.g. `2 years`.
    pub retention: String,
    /// The retention period read.
    pub lifetime: KnownLifetime,
    /// The data controller, e.g. `Google`.
    pub controller: String,
    /// The controller's privacy page.
    pub privacy_url: String,
    /// `true` when `name` is a prefix (`_ga_` for `_ga_ABC123`).
    pub wildcard: bool,
}

impl KnownCookie {
    /// `true` for analytics and advertising cookies (those that need consent unless configured
    /// privacy-friendly).
    pub fn is_tracker(&self) -> bool {
        matches!(
            self.category,
            CookieCategory::Analytics | CookieCategory::Advertising
        )
    }

    /// Who to name as provider: the controller, or else the platform.
    pub fn provider(&self) -> &str {
        if self.controller.trim().is_empty() {
            &self.platform
        } else {
            &self.controller
        }
    }
}

/// How a name matched an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The same name.
    Exact,
    /// The same name in other letter case.
    IgnoringCase,
    /// The database entry is a prefix of the name (`_ga_` for `_ga_ABC123`).
    Prefix,
    /// The name is a pattern with `*` (`li_*`) and the entry falls under it.
    Pattern,
}

/// One entry found for a name.
#[derive(Clone, Copy, Debug)]
pub struct Match<'a> {
    /// The entry.
    pub cookie: &'a KnownCookie,
    /// How it matched.
    pub kind: MatchKind,
}

#[derive(Debug, Default, Deserialize)]
struct Providers {
    groups: Vec<Vec<String>>,
    ignore: Vec<String>,
}

/// The database, ready for lookups.
#[derive(Debug)]
pub struct CookieDb {
    cookies: Vec<KnownCookie>,
    providers: Providers,
}

impl CookieDb {
    /// Reads an Open Cookie Database CSV.
    pub fn from_csv(text: &str) -> Result<Self, CookieDbError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| CookieDbError::BadRow {
                line: 1,
                reason: e.to_string(),
            })?
            .clone();
        let mut index = BTreeMap::new();
        for col in COLUMNS {
            let i = headers
                .iter()
                .position(|h| h.trim() == col)
                .ok_or_else(|| CookieDbError::MissingColumn(col.to_owned()))?;
            index.insert(col, i);
        }
        let mut cookies = Vec::new();
        for (n, row) in reader.records().enumerate() {
            let line = u64::try_from(n).unwrap_or(u64::MAX).saturating_add(2);
            let row = row.map_err(|e| CookieDbError::BadRow {
                line,
                reason: e.to_string(),
            })?;
            let get = |col: &str| -> String {
                index
                    .get(col)
                    .and_then(|i| row.get(*i))
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            };
            let raw_name = get("Cookie / Data Key name");
            if raw_name.is_empty() {
                return Err(CookieDbError::BadRow {
                    line,
                    reason: "the name is empty".into(),
                });
            }
            let category_label = get("Category");
            let category = category_of(&category_label).ok_or_else(|| CookieDbError::BadRow {
                line,
                reason: format!(
                    "unknown category `{category_label}` (known: Functional, Personalization, \
                     Analytics, Marketing, Security, Necessary)"
                ),
            })?;
            let (name, star) = match raw_name.strip_suffix('*') {
                Some(prefix) => (prefix.to_owned(), true),
                None => (raw_name, false),
            };
            let retention = get("Retention period");
            cookies.push(KnownCookie {
                id: get("ID"),
                platform: get("Platform"),
                category,
                category_label,
                name,
                domain: get("Domain"),
                description: get("Description"),
                lifetime: parse_lifetime(&retention),
                retention,
                controller: get("Data Controller"),
                privacy_url: get("User Privacy & GDPR Rights Portals"),
                wildcard: star || get("Wildcard match") == "1",
            });
        }
        if cookies.is_empty() {
            return Err(CookieDbError::Empty);
        }
        Ok(Self {
            cookies,
            providers: toml::from_str(PROVIDERS_TOML).unwrap_or_default(),
        })
    }

    /// The bundled database, read once.
    pub fn bundled() -> Result<&'static CookieDb, &'static CookieDbError> {
        static DB: OnceLock<Result<CookieDb, CookieDbError>> = OnceLock::new();
        DB.get_or_init(|| CookieDb::from_csv(BUNDLED_CSV)).as_ref()
    }

    /// All entries.
    pub fn cookies(&self) -> &[KnownCookie] {
        &self.cookies
    }

    /// The entries for a cookie name (see the module docs for the order of matching).
    pub fn lookup(&self, name: &str) -> Vec<Match<'_>> {
        let name = name.trim();
        if name.is_empty() {
            return Vec::new();
        }
        let with = |kind, f: &dyn Fn(&KnownCookie) -> bool| -> Vec<Match<'_>> {
            self.cookies
                .iter()
                .filter(|c| f(c))
                .map(|cookie| Match { cookie, kind })
                .collect()
        };
        if let Some((prefix, _)) = name.split_once('*') {
            if prefix.is_empty() {
                return Vec::new();
            }
            let same = with(MatchKind::Exact, &|c| c.wildcard && c.name == prefix);
            if !same.is_empty() {
                return same;
            }
            return with(MatchKind::Pattern, &|c| c.name.starts_with(prefix));
        }
        let exact = with(MatchKind::Exact, &|c| c.name == name);
        if !exact.is_empty() {
            return exact;
        }
        let case = with(MatchKind::IgnoringCase, &|c| {
            c.name.eq_ignore_ascii_case(name)
        });
        if !case.is_empty() {
            return case;
        }
        let longest = self
            .cookies
            .iter()
            .filter(|c| c.wildcard && name.starts_with(c.name.as_str()))
            .map(|c| c.name.len())
            .max();
        match longest {
            Some(len) => with(MatchKind::Prefix, &|c| {
                c.wildcard && c.name.len() == len && name.starts_with(c.name.as_str())
            }),
            None => Vec::new(),
        }
    }

    /// Known names close to `name` (for "did you mean"), best first.
    pub fn similar(&self, name: &str, max: usize) -> Vec<&str> {
        let lower = name.to_lowercase();
        let mut scored: Vec<(f64, &str)> = self
            .cookies
            .iter()
            .map(|c| {
                (
                    strsim::jaro_winkler(&lower, &c.name.to_lowercase()),
                    c.name.as_str(),
                )
            })
            .filter(|(s, _)| *s >= 0.85)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let mut out: Vec<&str> = Vec::new();
        for (_, n) in scored {
            if !out.contains(&n) {
                out.push(n);
            }
            if out.len() >= max {
                break;
            }
        }
        out
    }

    /// Entries whose platform contains `text` (ignoring case), e.g. all `Hotjar` cookies.
    pub fn by_platform(&self, text: &str) -> Vec<&KnownCookie> {
        let t = text.trim().to_lowercase();
        if t.len() < 3 {
            return Vec::new();
        }
        self.cookies
            .iter()
            .filter(|c| c.platform.to_lowercase().contains(&t))
            .collect()
    }

    fn words(&self, text: &str) -> Vec<String> {
        text.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !self.providers.ignore.iter().any(|i| i == w))
            .map(str::to_owned)
            .collect()
    }

    /// `true` when a register's provider names the same company as the entry (directly or
    /// through an alias group such as Meta = Facebook).
    pub fn same_provider(&self, provider: &str, cookie: &KnownCookie) -> bool {
        let theirs = self.words(&format!(
            "{} {} {}",
            cookie.platform, cookie.controller, cookie.domain
        ));
        self.words(provider).iter().any(|w| {
            theirs.contains(w)
                || self
                    .providers
                    .groups
                    .iter()
                    .filter(|g| g.contains(w))
                    .any(|g| g.iter().any(|alias| theirs.contains(alias)))
        })
    }

    /// The entries that tell something reliable about a register's cookie: those matching its
    /// name and, when it names a provider, that provider. When the provider names someone else,
    /// only a distinctive name (four characters or more, or starting with `_`) is trusted: a
    /// first-party cookie called `c` or `token` is not Adform's or Piano's.
    pub fn reliable_matches(&self, cookie: &Cookie) -> Vec<Match<'_>> {
        let matches = self.lookup(&cookie.name);
        if matches.is_empty() {
            return matches;
        }
        if cookie.provider.trim().is_empty() {
            // Nothing confirms or contradicts the provider: trust the name, but not a prefix as
            // short as Adform's `SR` or `CT` (`SRV_ID` is not theirs).
            return matches
                .into_iter()
                .filter(|m| m.kind != MatchKind::Prefix || m.cookie.name.chars().count() >= 4)
                .collect();
        }
        let same: Vec<Match<'_>> = matches
            .iter()
            .copied()
            .filter(|m| self.same_provider(&cookie.provider, m.cookie))
            .collect();
        if !same.is_empty() {
            return same;
        }
        let name = cookie.name.trim();
        let stem = name.split('*').next().unwrap_or(name);
        let distinctive = stem.chars().count() >= 4 || (stem.starts_with('_') && stem.len() >= 3);
        let trusted = matches.iter().all(|m| match m.kind {
            MatchKind::Exact | MatchKind::IgnoringCase | MatchKind::Pattern => distinctive,
            MatchKind::Prefix => m.cookie.name.chars().count() >= 4,
        });
        if trusted { matches } else { Vec::new() }
    }
}

/// The answer to `waarborg cookies lookup NAME`: what the database knows about a name, as text
/// in Dutch or English and as JSON.
#[derive(Clone, Debug)]
pub struct LookupAnswer {
    /// `true` when the database knows the name.
    pub found: bool,
    /// The answer as text.
    pub text: String,
    /// The answer as JSON: `{ "name", "found", "matches": [{ "match", ...entry }], "similar" }`.
    pub json: serde_json::Value,
}

fn register_snippet(name: &str, c: &KnownCookie) -> String {
    let id: String = name
        .trim_matches(|ch: char| !ch.is_ascii_alphanumeric())
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() {
                ch.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let id = if id.is_empty() {
        "cookie".to_owned()
    } else {
        id
    };
    let category = serde_json::to_value(c.category)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let consent = if c.is_tracker() { "opt_in" } else { "exempt" };
    let mut out = format!(
        "[[cookies]]\nid = \"{id}\"\nname = \"{}\"\nprovider = \"{}\"\ncategory = \"{category}\"\nconsent = \"{consent}\"\n",
        name.replace('"', ""),
        c.provider().replace('"', "")
    );
    if let KnownLifetime::Period(d) = &c.lifetime {
        out.push_str(&format!("lifetime = \"{d}\"\n"));
    }
    out
}

impl CookieDb {
    /// Looks a name up and writes the answer in `lang`.
    pub fn answer(&self, name: &str, lang: crate::model::Lang) -> LookupAnswer {
        use crate::vocab::{cookie_category, label};
        let l = |k: &str| label(&format!("lookup.{k}"), lang);
        let matches = self.lookup(name);
        let mut text = String::new();
        if matches.is_empty() {
            text.push_str(&format!("{name}: {}\n", l("not_found")));
            let similar = self.similar(name, 5);
            if !similar.is_empty() {
                text.push_str(&format!(
                    "  {}: {}\n",
                    l("did_you_mean"),
                    similar.join(", ")
                ));
            }
            let platform = self.by_platform(name);
            if !platform.is_empty() {
                let names: Vec<String> = platform
                    .iter()
                    .take(12)
                    .map(|c| format!("{}{}", c.name, if c.wildcard { "*" } else { "" }))
                    .collect();
                text.push_str(&format!("  {}: {}\n", l("platform_hint"), names.join(", ")));
            }
            let json = serde_json::json!({ "name": name, "found": false, "matches": [], "similar": similar });
            return LookupAnswer {
                found: false,
                text,
                json,
            };
        }
        let pattern = matches.iter().all(|m| m.kind == MatchKind::Pattern);
        if pattern {
            text.push_str(&format!("{name}: {} ({})\n", l("pattern"), matches.len()));
            for m in &matches {
                let c = m.cookie;
                text.push_str(&format!(
                    "  {}{}  {}, {}, {}\n",
                    c.name,
                    if c.wildcard { "*" } else { "" },
                    c.platform,
                    cookie_category(c.category, lang),
                    c.retention
                ));
            }
        } else {
            for m in &matches {
                let c = m.cookie;
                let shown = if c.wildcard {
                    format!("{}*", c.name)
                } else {
                    c.name.clone()
                };
                match m.kind {
                    MatchKind::Prefix => {
                        text.push_str(&format!("{name}: {} {shown}\n", l("prefix")))
                    }
                    MatchKind::IgnoringCase => text.push_str(&format!("{shown} {}\n", l("case"))),
                    _ => text.push_str(&format!("{shown}\n")),
                }
                let lifetime = match &c.lifetime {
                    KnownLifetime::Session => l("session"),
                    KnownLifetime::Period(d) => format!("{} ({d})", d.words(lang)),
                    KnownLifetime::Unknown if c.retention.is_empty() => l("unknown_lifetime"),
                    KnownLifetime::Unknown => c.retention.clone(),
                };
                let consent = match c.category {
                    CookieCategory::Advertising => l("consent_needed_ads"),
                    CookieCategory::Analytics => l("consent_needed"),
                    _ => l("consent_exempt"),
                };
                let mut rows = vec![
                    (l("platform"), c.platform.clone()),
                    (
                        l("category"),
                        format!(
                            "{} ({})",
                            cookie_category(c.category, lang),
                            c.category_label
                        ),
                    ),
                    (l("provider"), c.provider().to_owned()),
                    (l("lifetime"), lifetime),
                    (l("consent"), consent),
                ];
                if !c.domain.is_empty() {
                    rows.push((l("domain"), c.domain.clone()));
                }
                if !c.description.is_empty() {
                    rows.push((l("description"), c.description.clone()));
                }
                if !c.privacy_url.is_empty() {
                    rows.push((l("privacy"), c.privacy_url.clone()));
                }
                let width = rows
                    .iter()
                    .map(|(k, _)| k.chars().count())
                    .max()
                    .unwrap_or(0);
                for (k, v) in rows {
                    let pad = " ".repeat(width.saturating_sub(k.chars().count()));
                    text.push_str(&format!("  {k}:{pad} {v}\n"));
                }
                let register_name = if c.wildcard {
                    format!("{}*", c.name)
                } else {
                    name.to_owned()
                };
                text.push_str(&format!("  {}:\n", l("register")));
                for line in register_snippet(&register_name, c).lines() {
                    text.push_str(&format!("    {line}\n"));
                }
                text.push('\n');
            }
        }
        text.push_str(&format!("{}: {}\n", l("source"), bundled_version()));
        let json = serde_json::json!({
            "name": name,
            "found": true,
            "matches": matches.iter().map(|m| serde_json::json!({ "match": m.kind, "cookie": m.cookie })).collect::<Vec<_>>(),
        });
        LookupAnswer {
            found: true,
            text,
            json,
        }
    }
}

fn category_of(label: &str) -> Option<CookieCategory> {
    Some(match label.trim().to_ascii_lowercase().as_str() {
        "functional" | "personalization" | "personalisation" | "preferences" => {
            CookieCategory::Functional
        }
        "analytics" | "statistics" => CookieCategory::Analytics,
        "marketing" | "advertising" => CookieCategory::Advertising,
        "security" | "necessary" | "strictly necessary" => CookieCategory::Necessary,
        _ => return None,
    })
}

/// Reads a retention period as the database writes it: `2 years`, `13 months`, `30 minutes`,
/// `session`, `2 years after last activity`...
pub fn parse_lifetime(text: &str) -> KnownLifetime {
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return KnownLifetime::Unknown;
    }
    if t.starts_with("session") || t.starts_with("end of session") || t == "sessions" {
        return KnownLifetime::Session;
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let Ok(n) = digits.parse::<u32>() else {
        return KnownLifetime::Unknown;
    };
    let rest = t.get(digits.len()..).unwrap_or("").trim_start();
    let unit: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    let iso = match unit.as_str() {
        "second" | "seconds" | "sec" | "secs" => format!("PT{n}S"),
        "minute" | "minutes" | "min" | "mins" => format!("PT{n}M"),
        "hour" | "hours" | "hr" | "hrs" => format!("PT{n}H"),
        "day" | "days" => format!("P{n}D"),
        "week" | "weeks" => format!("P{n}W"),
        "month" | "months" => format!("P{n}M"),
        "year" | "years" => format!("P{n}Y"),
        _ => return KnownLifetime::Unknown,
    };
    IsoDuration::parse(&iso)
        .map(KnownLifetime::Period)
        .unwrap_or(KnownLifetime::Unknown)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn db() -> &'static CookieDb {
        CookieDb::bundled().expect("the bundled database reads")
    }

    fn one(name: &str) -> &'static KnownCookie {
        let m = db().lookup(name);
        assert!(!m.is_empty(), "{name} not found");
        m[0].cookie
    }

    #[test]
    fn the_bundled_database_reads_completely() {
        assert_eq!(db().cookies().len(), 2264);
        let wild = db().cookies().iter().filter(|c| c.wildcard).count();
        assert!(wild >= 260, "{wild}");
    }

    #[test]
    fn well_known_trackers_are_known_as_such() {
        for (name, category, provider) in [
            ("_ga", CookieCategory::Analytics, "Google"),
            ("_gid", CookieCategory::Analytics, "Google"),
            ("NID", CookieCategory::Advertising, "Google"),
            ("IDE", CookieCategory::Advertising, "Google"),
            ("_fbp", CookieCategory::Advertising, "Facebook"),
            ("li_sugr", CookieCategory::Advertising, "LinkedIn"),
        ] {
            let c = one(name);
            assert_eq!(c.category, category, "{name}");
            assert_eq!(c.provider(), provider, "{name}");
            assert!(c.is_tracker());
        }
        assert_eq!(
            one("_ga").lifetime,
            KnownLifetime::Period(IsoDuration::parse("P2Y").unwrap())
        );
        assert_eq!(one("PHPSESSID").category, CookieCategory::Functional);
        assert_eq!(one("PHPSESSID").lifetime, KnownLifetime::Session);
    }

    #[test]
    fn prefixes_and_patterns() {
        let m = db().lookup("_ga_X1Y2Z3");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].kind, MatchKind::Prefix);
        assert_eq!(m[0].cookie.name, "_ga_");
        // The register's own pattern for the same family.
        let m = db().lookup("_ga_*");
        assert_eq!((m.len(), m[0].kind), (1, MatchKind::Exact));
        // `li_*` is no prefix entry of the database: every LinkedIn `li_` cookie falls under it.
        let m = db().lookup("li_*");
        assert!(m.len() > 10, "{}", m.len());
        assert!(m.iter().all(|m| m.kind == MatchKind::Pattern));
        assert!(m.iter().any(|m| m.cookie.is_tracker()));
        assert!(m.iter().any(|m| !m.cookie.is_tracker()));
        // The longest prefix wins: `_gac_gb_` (Google Ads) before `_gac_`.
        let m = db().lookup("_gac_gb_123");
        assert!(m.iter().all(|m| m.cookie.name == "_gac_gb_"));
        assert!(db().lookup("*").is_empty());
        assert!(db().lookup("").is_empty());
        assert!(db().lookup("surely-no-such-cookie-name").is_empty());
        assert_eq!(db().lookup("phpsessid")[0].kind, MatchKind::IgnoringCase);
    }

    #[test]
    fn providers_and_aliases() {
        let fbp = one("_fbp");
        assert!(db().same_provider("Meta Platforms Ireland", fbp));
        assert!(db().same_provider("Facebook", fbp));
        assert!(!db().same_provider("Voorbeeld B.V.", fbp));
        assert!(db().same_provider("Google (DoubleClick)", one("IDE")));
    }

    #[test]
    fn reliable_matches_distrust_short_names_of_another_provider() {
        let cookie = |name: &str, provider: &str| Cookie {
            id: "c".into(),
            name: name.into(),
            provider: provider.into(),
            category: CookieCategory::Necessary,
            lifetime: None,
            session: true,
            consent: crate::model::CookieConsent::Exempt,
            privacy_friendly: false,
            recipient: None,
            purpose: None,
        };
        // Our own session cookie called `c` is not Adform's.
        assert!(db().reliable_matches(&cookie("c", "Fietsclub")).is_empty());
        assert!(
            db().reliable_matches(&cookie("NID", "Eigen website"))
                .is_empty()
        );
        assert!(!db().reliable_matches(&cookie("NID", "Google")).is_empty());
        assert!(!db().reliable_matches(&cookie("NID", "")).is_empty());
        // Without a provider a short prefix entry is not trusted, a name is.
        assert!(db().reliable_matches(&cookie("SRV_ID", "")).is_empty());
        assert!(!db().lookup("SRV_ID").is_empty());
        assert!(!db().reliable_matches(&cookie("_ga_X1", "")).is_empty());
        // A distinctive name is trusted whoever the register names.
        assert!(
            !db()
                .reliable_matches(&cookie("_fbp", "Webshop B.V."))
                .is_empty()
        );
    }

    #[test]
    fn answers_in_dutch_and_english() {
        use crate::model::Lang;
        let nl = db().answer("_ga", Lang::Nl);
        assert!(nl.found);
        assert!(nl.text.contains("soort:"), "{}", nl.text);
        assert!(nl.text.contains("analytisch (Analytics)"), "{}", nl.text);
        assert!(nl.text.contains("2 jaar (P2Y)"), "{}", nl.text);
        assert!(nl.text.contains("lifetime = \"P2Y\""), "{}", nl.text);
        assert!(nl.text.contains("consent = \"opt_in\""), "{}", nl.text);
        let en = db().answer("_ga_ABC123", Lang::En);
        assert!(
            en.text
                .starts_with("_ga_ABC123: belongs to the name family _ga_*"),
            "{}",
            en.text
        );
        assert!(en.text.contains("name = \"_ga_*\""), "{}", en.text);
        assert_eq!(en.json["matches"][0]["match"], "prefix");
        let missing = db().answer("_gaa", Lang::En);
        assert!(!missing.found);
        assert!(missing.text.contains("did you mean"), "{}", missing.text);
        let family = db().answer("li_*", Lang::En);
        assert!(
            family.found && family.text.contains("li_sugr"),
            "{}",
            family.text
        );
        let platform = db().answer("Hotjar", Lang::En);
        assert!(
            !platform.found && platform.text.contains("_hjid"),
            "{}",
            platform.text
        );
    }

    #[test]
    fn lifetimes_are_read() {
        let p = |t: &str| KnownLifetime::Period(IsoDuration::parse(t).unwrap());
        assert_eq!(parse_lifetime("2 years"), p("P2Y"));
        assert_eq!(parse_lifetime("13 Months"), p("P13M"));
        assert_eq!(parse_lifetime("30 minutes"), p("PT30M"));
        assert_eq!(parse_lifetime("24 hours"), p("PT24H"));
        assert_eq!(parse_lifetime("2 years after last activity"), p("P2Y"));
        assert_eq!(parse_lifetime("Session"), KnownLifetime::Session);
        assert_eq!(
            parse_lifetime("End of session (browser)"),
            KnownLifetime::Session
        );
        assert_eq!(parse_lifetime("Unknown"), KnownLifetime::Unknown);
        assert_eq!(parse_lifetime("forever"), KnownLifetime::Unknown);
    }

    #[test]
    fn refuses_a_file_that_is_not_the_database() {
        assert!(matches!(
            CookieDb::from_csv("a,b\n1,2\n"),
            Err(CookieDbError::MissingColumn(_))
        ));
        let header = COLUMNS.join(",");
        assert_eq!(
            CookieDb::from_csv(&format!("{header}\n")).unwrap_err(),
            CookieDbError::Empty
        );
        let bad = format!("{header}\nx,P,Weird,n,,d,1 year,C,,0\n");
        let e = CookieDb::from_csv(&bad).unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
