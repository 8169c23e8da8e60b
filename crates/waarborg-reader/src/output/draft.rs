//! `--draft-policy`: a first register (policy TOML for `waarborg lint`) written from a document's
//! facts. It is a starting point: every entry says where it came from, unknowns are left for the
//! officer to fill in, and the register loads with `waarborg_policy`'s own loader before it is
//! returned, so a draft never fails to load.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use thiserror::Error;
use toml::{Table, Value};

use crate::Report;
use crate::facts::lexicon::Lexicon;
use crate::summary::{LegalBasis, SpecialCategory};

/// Why no draft could be written.
#[derive(Debug, Error)]
pub enum DraftError {
    /// The draft did not serialise.
    #[error("could not write the draft register: {0}")]
    Serialize(String),
    /// The draft did not load with the register loader (a defect of the draft writer).
    #[error("the draft register does not load: {0}")]
    Load(String),
}

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

/// A slug id: lower-case ASCII letters and digits joined by `-`, at most 40 characters, unique
/// within `used` (a `-2`, `-3`... suffix when taken); the id is added to `used`.
pub fn slug(text: &str, used: &mut BTreeSet<String>) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        let c = match c {
            'à' | 'á' | 'ä' | 'â' => 'a',
            'è' | 'é' | 'ë' | 'ê' => 'e',
            'ì' | 'í' | 'ï' | 'î' => 'i',
            'ò' | 'ó' | 'ö' | 'ô' => 'o',
            'ù' | 'ú' | 'ü' | 'û' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let id =
        waarborg_policy::texts::unique_id(out.trim_matches('-'), "item", |id| used.contains(id));
    used.insert(id.clone());
    id
}

/// The fideslang data categories a phrase of data can get, in the order they are tried: a more
/// specific category before the one whose word it holds ("ip address" holds "address").
pub const FIDESLANG_ORDER: &[&str] = &[
    "user.device.ip_address",
    "user.contact.email",
    "user.contact.phone_number",
    "user.contact.address",
    "user.device.cookie_id",
    "user.demographic.date_of_birth",
    "user.demographic.gender",
    "user.government_id.national_identification_number",
    "user.government_id",
    "user.financial.bank_account",
    "user.health_and_medical",
    "user.authorization.credentials",
    "user.name",
    "user.device",
    "user.financial",
];

/// A fideslang data category for a phrase, by the words of every language's `[fideslang]`
/// lexicon section; `user` when none fits.
pub fn fideslang_for(phrase: &str) -> &'static str {
    static MAP: LazyLock<Vec<(&'static str, Vec<String>)>> = LazyLock::new(|| {
        FIDESLANG_ORDER
            .iter()
            .filter(|key| waarborg_policy::fideslang::is_known(key))
            .map(|key| {
                let words = crate::facts::lexicon::all()
                    .iter()
                    .flat_map(|l| Lexicon::words(&l.raw.fideslang, key))
                    .map(|w| w.to_lowercase())
                    .collect();
                (*key, words)
            })
            .collect()
    });
    let p = phrase.to_lowercase();
    MAP.iter()
        .find(|(_, words)| words.iter().any(|w| p.contains(w.as_str())))
        .map_or("user", |(key, _)| key)
}

/// (fideslang key, Art. 9 kind, criminal, national id)
fn special(c: SpecialCategory) -> (&'static str, Option<&'static str>, bool, bool) {
    match c {
        SpecialCategory::Health => ("user.health_and_medical", Some("health"), false, false),
        SpecialCategory::Bsn => (
            "user.government_id.national_identification_number",
            None,
            false,
            true,
        ),
        SpecialCategory::Criminal => ("user.criminal_history", None, true, false),
        SpecialCategory::RacialEthnic => (
            "user.demographic.race_ethnicity",
            Some("racial_or_ethnic_origin"),
            false,
            false,
        ),
        SpecialCategory::Political => (
            "user.demographic.political_opinion",
            Some("political_opinions"),
            false,
            false,
        ),
        SpecialCategory::Religious => (
            "user.demographic.religious_belief",
            Some("religious_or_philosophical_beliefs"),
            false,
            false,
        ),
        SpecialCategory::TradeUnion => (
            "user.demographic",
            Some("trade_union_membership"),
            false,
            false,
        ),
        SpecialCategory::Genetic => (
            "user.health_and_medical.genetic",
            Some("genetic"),
            false,
            false,
        ),
        SpecialCategory::Biometric => ("user.biometric", Some("biometric"), false, false),
        SpecialCategory::SexLifeOrientation => (
            "user.demographic.sexual_orientation",
            Some("sex_life_or_orientation"),
            false,
            false,
        ),
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // civil-from-days (H. Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Splits "Street 12, 1234 AB City" into (street, postcode, city); `None` without a Dutch
/// postcode (four digits, two capitals) between a street and a city.
pub fn split_address(a: &str) -> Option<(String, String, String)> {
    let bytes: Vec<char> = a.chars().collect();
    // find a Dutch postcode: 4 digits, optional space, 2 upper-case letters
    for i in 0..bytes.len() {
        let digits = (0..4).all(|k| bytes.get(i + k).is_some_and(char::is_ascii_digit));
        if !digits || (i > 0 && bytes.get(i - 1).is_some_and(char::is_ascii_digit)) {
            continue;
        }
        let mut j = i + 4;
        if bytes.get(j) == Some(&' ') {
            j += 1;
        }
        let letters = (0..2).all(|k| bytes.get(j + k).is_some_and(char::is_ascii_uppercase));
        if !letters {
            continue;
        }
        let street: String = bytes.get(..i)?.iter().collect();
        let postcode: String = bytes.get(i..j + 2)?.iter().collect();
        let city: String = bytes.get(j + 2..)?.iter().collect();
        let street = street.trim().trim_end_matches(',').trim().to_owned();
        let city = city.trim().trim_start_matches(',').trim().to_owned();
        if street.is_empty() || city.is_empty() {
            return None;
        }
        return Some((street, postcode, city));
    }
    None
}

fn is_us_service(name: &str) -> bool {
    crate::problems::data::lexicon().is_ok_and(|l| l.matches("us_service", name))
}

fn is_ad_tracker(name: &str) -> bool {
    crate::problems::data::lexicon().is_ok_and(|l| l.matches("ad_tracker", name))
}

/// Writes the draft register of one report as TOML that `waarborg_policy` loads.
///
/// # Errors
/// [`DraftError`] when the draft cannot be serialised or does not load (a defect, reported rather
/// than written).
pub fn draft_policy(report: &Report) -> Result<String, DraftError> {
    let sm = &report.summary;
    let source = sm.source.as_deref().unwrap_or(&report.document.source);
    let has_rule = |code: &str| sm.problems.iter().any(|p| p.rule == code);
    let mut root = Table::new();

    let date = sm.last_updated.clone().unwrap_or_else(today);
    let mut statement = Table::new();
    statement.insert("version".into(), s(format!("draft-{date}")));
    if let Ok(d) = date.parse::<toml::value::Datetime>() {
        statement.insert("effective_date".into(), Value::Datetime(d));
    }
    statement.insert(
        "languages".into(),
        Value::Array(vec![s(sm.language.code())]),
    );
    root.insert("statement".into(), Value::Table(statement));

    let mut controller = Table::new();
    controller.insert(
        "name".into(),
        s(sm.controller
            .name
            .clone()
            .unwrap_or_else(|| "UNKNOWN (fill in)".to_owned())),
    );
    if let Some(k) = &sm.controller.kvk {
        let digits: String = k.chars().filter(char::is_ascii_digit).collect();
        controller.insert("kvk".into(), s(digits));
    }
    if let Some(e) = sm.controller.emails.first() {
        controller.insert("email".into(), s(e.clone()));
    }
    if let Some(p) = sm.controller.phones.first() {
        controller.insert("phone".into(), s(p.clone()));
    }
    let addresses: Vec<Value> = sm
        .controller
        .addresses
        .iter()
        .filter_map(|a| split_address(a))
        .map(|(street, postcode, city)| {
            let mut t = Table::new();
            t.insert("street".into(), s(street));
            t.insert("postcode".into(), s(postcode));
            t.insert("city".into(), s(city));
            Value::Table(t)
        })
        .collect();
    if !addresses.is_empty() {
        controller.insert("addresses".into(), Value::Array(addresses));
    }
    root.insert("controller".into(), Value::Table(controller));

    if let Some(dpo) = &sm.privacy_contact {
        let mut t = Table::new();
        t.insert("name".into(), s(dpo.clone()));
        root.insert("privacy_officer".into(), Value::Table(t));
    }

    let mut used = BTreeSet::new();
    let mut data = Vec::new();
    let mut data_ids = Vec::new();
    for phrase in &sm.data_categories {
        let id = slug(phrase, &mut used);
        let mut t = Table::new();
        t.insert("id".into(), s(id.clone()));
        t.insert("category".into(), s(fideslang_for(phrase)));
        t.insert("label".into(), s(phrase.clone()));
        data.push(Value::Table(t));
        data_ids.push(id);
    }
    for c in &sm.special_categories {
        let (key, art9, criminal, national_id) = special(*c);
        let key = if waarborg_policy::fideslang::is_known(key) {
            key
        } else {
            "user"
        };
        let label = serde_json::to_value(c)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let id = slug(&format!("special {label}"), &mut used);
        let mut t = Table::new();
        t.insert("id".into(), s(id.clone()));
        t.insert("category".into(), s(key));
        t.insert("label".into(), s(label));
        if let Some(k) = art9 {
            t.insert("special".into(), s(k));
        }
        if criminal {
            t.insert("criminal".into(), Value::Boolean(true));
        }
        if national_id {
            t.insert("national_id".into(), Value::Boolean(true));
        }
        data.push(Value::Table(t));
        data_ids.push(id);
    }
    // every retention rule must apply to some data: the categories its text names, else all
    let mut retention_data: Vec<Vec<String>> = Vec::new();
    for r in &sm.retention {
        let what = r.what.to_lowercase();
        let named: Vec<String> = sm
            .data_categories
            .iter()
            .zip(&data_ids)
            .filter(|(label, _)| what.contains(&label.to_lowercase()))
            .map(|(_, id)| id.clone())
            .collect();
        retention_data.push(if named.is_empty() {
            data_ids.clone()
        } else {
            named
        });
    }
    if data_ids.is_empty() && sm.retention.iter().any(|r| r.period.is_some()) {
        let id = slug("personal data (unspecified)", &mut used);
        let mut t = Table::new();
        t.insert("id".into(), s(id.clone()));
        t.insert("category".into(), s("user"));
        t.insert(
            "label".into(),
            s("Personal data the document does not specify (fill in)"),
        );
        data.push(Value::Table(t));
        data_ids.push(id.clone());
        for d in &mut retention_data {
            d.push(id.clone());
        }
    }
    if !data.is_empty() {
        root.insert("data".into(), Value::Array(data));
    }

    let mut recipients = Vec::new();
    let mut recipient_ids = Vec::new();
    for name in &sm.recipients {
        let id = slug(name, &mut used);
        let us = is_us_service(name);
        let mut t = Table::new();
        t.insert("id".into(), s(id.clone()));
        t.insert("name".into(), s(name.clone()));
        t.insert("role".into(), s("processor"));
        t.insert("country".into(), s(if us { "US" } else { "NL" }));
        if us {
            let mech = sm
                .third_country_transfer
                .mechanism
                .as_deref()
                .map(str::to_lowercase)
                .unwrap_or_default();
            let m = if mech.contains("privacy shield") {
                "privacy_shield"
            } else if mech.contains("framework") {
                "data_privacy_framework"
            } else if mech.contains("contract") || mech.contains("scc") {
                "standard_contractual_clauses"
            } else {
                "unknown"
            };
            t.insert("transfer_mechanism".into(), s(m));
        }
        recipients.push(Value::Table(t));
        recipient_ids.push(id);
    }

    let basis = if sm.legal_bases.len() == 1 {
        sm.legal_bases.first().copied().map(LegalBasis::key)
    } else {
        None
    };
    let mut purposes = Vec::new();
    for p in &sm.purposes {
        let id = slug(p, &mut used);
        let mut t = Table::new();
        t.insert("id".into(), s(id));
        t.insert("name".into(), s(p.clone()));
        if let Some(b) = basis {
            t.insert("legal_basis".into(), s(b));
        }
        purposes.push(Value::Table(t));
    }
    if !purposes.is_empty() {
        root.insert("purposes".into(), Value::Array(purposes));
    }

    let mut retention = Vec::new();
    for (r, ids) in sm.retention.iter().zip(&retention_data) {
        let Some(period) = &r.period else {
            continue;
        };
        let id = slug(&format!("retention {}", r.what), &mut used);
        let mut t = Table::new();
        t.insert("id".into(), s(id));
        t.insert("period".into(), s(period.clone()));
        t.insert("from".into(), s("collection"));
        t.insert(
            "data".into(),
            Value::Array(ids.iter().map(|i| s(i.clone())).collect()),
        );
        t.insert(
            "note".into(),
            s(format!(
                "{}: \"{}\" (check the start event)",
                r.what, r.evidence
            )),
        );
        retention.push(Value::Table(t));
    }
    if !retention.is_empty() {
        root.insert("retention".into(), Value::Array(retention));
    }
    if !recipients.is_empty() {
        root.insert("recipients".into(), Value::Array(recipients));
    }

    let mut cookies = Vec::new();
    for c in &sm.cookies {
        let id = slug(&format!("cookie {c}"), &mut used);
        let lower = c.to_lowercase();
        let category = if is_ad_tracker(c) {
            "advertising"
        } else if lower.contains("analytic") {
            "analytics"
        } else {
            "functional"
        };
        let consent = if has_rule("RD-COOKIE-IMPLIED") {
            "implied"
        } else if has_rule("RD-COOKIE-NO-CONSENT") || has_rule("RD-CONTRA-COOKIES") {
            "none"
        } else {
            "opt_in"
        };
        let mut t = Table::new();
        t.insert("id".into(), s(id));
        t.insert("name".into(), s(c.clone()));
        t.insert("provider".into(), s(c.clone()));
        t.insert("category".into(), s(category));
        t.insert("consent".into(), s(consent));
        let rid = slug(c, &mut BTreeSet::new());
        if recipient_ids.contains(&rid) {
            t.insert("recipient".into(), s(rid));
        }
        cookies.push(Value::Table(t));
    }
    if !cookies.is_empty() {
        root.insert("cookies".into(), Value::Array(cookies));
    }

    let mut rights = Table::new();
    let mut offered: Vec<Value> = Vec::new();
    for r in &sm.rights {
        let v = s(r.key());
        if !offered.contains(&v) {
            offered.push(v);
        }
    }
    if sm.complaint_authority_mentioned {
        offered.push(s("complaint"));
        rights.insert(
            "complaint_authority".into(),
            s("Autoriteit Persoonsgegevens"),
        );
    }
    rights.insert("offered".into(), Value::Array(offered));
    if let Some(d) = &sm.request_deadline {
        rights.insert("deadline".into(), s(d.clone()));
    }
    if has_rule("RD-ID-COPY") {
        rights.insert("identity_check".into(), s("id_copy"));
    }
    if has_rule("RD-FEE-REQUEST") {
        let mut fee = Table::new();
        fee.insert("policy".into(), s("repeat"));
        rights.insert("fee".into(), Value::Table(fee));
    }
    root.insert("rights".into(), Value::Table(rights));

    let body = toml::to_string(&root).map_err(|e| DraftError::Serialize(e.to_string()))?;
    let mut out = format!(
        "# Draft register written by `waarborg read --draft-policy` from {source}.\n# It holds what the document states, not what the organisation does: review every entry,\n# fill in what is missing (legal bases, data per purpose, retention start events, recipients'\n# countries) and run `waarborg lint` on it.\n"
    );
    for p in &sm.problems {
        out.push_str(&format!(
            "# problem {}: {}\n",
            p.rule,
            one_line(&p.explanation)
        ));
    }
    out.push('\n');
    out.push_str(&body);
    waarborg_policy::from_toml_str(&out, source).map_err(|e| DraftError::Load(e.to_string()))?;
    Ok(out)
}

fn one_line(s: &str) -> String {
    let c = crate::ingest::collapse_ws(s);
    if c.chars().count() > 160 {
        let head: String = c.chars().take(160).collect();
        format!("{head}…")
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split() {
        assert_eq!(
            split_address("Voorbeeldstraat 12, 1234 AB Utrecht"),
            Some((
                "Voorbeeldstraat 12".into(),
                "1234 AB".into(),
                "Utrecht".into()
            ))
        );
        assert_eq!(split_address("nowhere"), None);
    }

    #[test]
    fn date_is_iso() {
        let d = today();
        assert_eq!(d.len(), 10);
        assert!(d.starts_with("20"));
    }

    #[test]
    fn ip_address_is_not_a_postal_address() {
        assert_eq!(fideslang_for("IP-adres"), "user.device.ip_address");
        assert_eq!(fideslang_for("ip address"), "user.device.ip_address");
        assert_eq!(fideslang_for("adres"), "user.contact.address");
    }

    #[test]
    fn slugs_are_unique() {
        let mut used = BTreeSet::new();
        assert_eq!(slug("E-mailadres", &mut used), "e-mailadres");
        assert_eq!(slug("E-mailadres", &mut used), "e-mailadres-2");
        assert_eq!(slug("Naam én adres", &mut used), "naam-en-adres");
    }
}
