//! Small helpers shared by the rules.

use crate::model::{Art9Exception, DataCategory, LegalBasis, Policy, Purpose, RecipientRole};

/// EEA member states (EU 27 plus Iceland, Liechtenstein, Norway), ISO 3166-1 alpha-2.
const EEA: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// Countries with an EU adequacy decision for the whole country (Art. 45). The United States
/// is left out: its decision (DPF) covers only certified organisations.
const ADEQUATE: &[&str] = &[
    "AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY",
];

/// `true` for a country inside the EEA (also `EU` and `EEA` as written by some registers).
pub(crate) fn in_eea(country: &str) -> bool {
    let c = country.trim().to_ascii_uppercase();
    // `EL` is the EU's own code for Greece.
    c == "EU" || c == "EEA" || c == "EL" || EEA.contains(&c.as_str())
}

/// `true` for a country with a country-wide adequacy decision.
pub(crate) fn adequate(country: &str) -> bool {
    ADEQUATE.contains(&country.trim().to_ascii_uppercase().as_str())
}

/// The data categories a purpose uses, with their index in `policy.data`.
pub(crate) fn purpose_data<'a>(
    policy: &'a Policy,
    purpose: &'a Purpose,
) -> impl Iterator<Item = &'a DataCategory> + 'a {
    purpose
        .data
        .iter()
        .filter_map(|id| policy.data_category(id))
}

/// `true` when a purpose relies on consent: Art. 6(1)(a), or explicit consent under Art. 9(2)(a)
/// for special-category data (Art. 13(2)(c) names both).
pub(crate) fn relies_on_consent(purpose: &Purpose) -> bool {
    purpose.legal_basis == Some(LegalBasis::Consent)
        || purpose.art9_exception == Some(Art9Exception::ExplicitConsent)
}

/// `true` when any purpose relies on consent (Art. 6(1)(a) or Art. 9(2)(a)).
pub(crate) fn uses_consent(policy: &Policy) -> bool {
    policy.purposes.iter().any(relies_on_consent)
}

/// `true` for processors and sub-processors.
pub(crate) fn is_processor(role: RecipientRole) -> bool {
    matches!(role, RecipientRole::Processor | RecipientRole::SubProcessor)
}

/// One period that keeps a data category of a purpose: a retention rule or a legal hold.
pub(crate) struct Keeping<'a> {
    /// The TOML path of its `period`, e.g. `retention[3].period`.
    pub path: String,
    /// The rule's or hold's id.
    pub id: &'a str,
    /// The period.
    pub period: &'a crate::duration::IsoDuration,
}

/// The retention rules and legal holds that keep data category `data_id` as used for
/// `purpose`: rules of the purpose (without a data list, or naming the data), rules without a
/// purpose naming the data, and holds on the data or the purpose.
pub(crate) fn keeping<'a>(
    policy: &'a Policy,
    purpose: &Purpose,
    data_id: &str,
) -> Vec<Keeping<'a>> {
    let mut out = Vec::new();
    for (i, r) in policy.retention.iter().enumerate() {
        let names = r.data.iter().any(|d| d == data_id);
        let applies = match r.purpose.as_deref() {
            Some(pid) => pid == purpose.id && (r.data.is_empty() || names),
            None => names,
        };
        if applies {
            out.push(Keeping {
                path: format!("retention[{i}].period"),
                id: &r.id,
                period: &r.period,
            });
        }
    }
    for (i, h) in policy.legal_holds.iter().enumerate() {
        if h.data.iter().any(|d| d == data_id) || h.purposes.contains(&purpose.id) {
            out.push(Keeping {
                path: format!("legal_holds[{i}].period"),
                id: &h.id,
                period: &h.period,
            });
        }
    }
    out
}
