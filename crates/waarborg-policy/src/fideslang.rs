//! The fideslang data-category keys Waarborg knows, and what they imply legally.

use crate::model::Art9Kind;

const RAW: &str = include_str!("../data/fideslang_data_categories.txt");

/// All known fideslang data-category keys, in file order.
pub fn data_categories() -> impl Iterator<Item = &'static str> {
    RAW.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// `true` when `key` is a known fideslang data-category key.
pub fn is_known(key: &str) -> bool {
    data_categories().any(|k| k == key)
}

/// The known key closest to `key`, when one is reasonably close ("did you mean").
pub fn suggest(key: &str) -> Option<&'static str> {
    let last = |k: &str| k.rsplit('.').next().unwrap_or(k).to_owned();
    let typed_last = last(key);
    let mut best: Option<(&'static str, f64)> = None;
    for k in data_categories() {
        // The whole key, or its last segment (people often get the middle of the path wrong).
        let score =
            strsim::jaro_winkler(key, k).max(strsim::jaro_winkler(&typed_last, &last(k)) - 0.02);
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((k, score));
        }
    }
    best.filter(|(_, s)| *s > 0.8).map(|(k, _)| k)
}

/// The Art. 9(1) kind a key implies, if any.
pub fn implied_special(key: &str) -> Option<Art9Kind> {
    let under = |prefix: &str| key == prefix || key.starts_with(&format!("{prefix}."));
    if under("user.health_and_medical.genetic") {
        Some(Art9Kind::Genetic)
    } else if under("user.health_and_medical") || key == "user.biometric.health" {
        Some(Art9Kind::Health)
    } else if under("user.biometric") || key == "user.authorization.biometric" {
        Some(Art9Kind::Biometric)
    } else if under("user.demographic.race_ethnicity") {
        Some(Art9Kind::RacialOrEthnicOrigin)
    } else if under("user.demographic.political_opinion") {
        Some(Art9Kind::PoliticalOpinions)
    } else if under("user.demographic.religious_belief") {
        Some(Art9Kind::ReligiousOrPhilosophicalBeliefs)
    } else if under("user.demographic.sexual_orientation") {
        Some(Art9Kind::SexLifeOrOrientation)
    } else {
        None
    }
}

/// `true` when a key implies criminal-offence data (Art. 10).
pub fn implies_criminal(key: &str) -> bool {
    key == "user.criminal_history" || key.starts_with("user.criminal_history.")
}

/// `true` when a key implies a national identification number (BSN, UAVG art. 46).
pub fn implies_national_id(key: &str) -> bool {
    key == "user.government_id.national_identification_number"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_common_keys() {
        assert!(is_known("user.contact.email"));
        assert!(is_known(
            "user.government_id.national_identification_number"
        ));
        assert!(!is_known("user.contact.emial"));
        assert!(data_categories().count() > 60);
    }

    #[test]
    fn suggests_close_keys() {
        assert_eq!(suggest("user.contact.emial"), Some("user.contact.email"));
        assert_eq!(suggest("user.email"), Some("user.contact.email"));
        assert_eq!(suggest("user.emial"), Some("user.contact.email"));
        assert_eq!(
            suggest("user.contact.phone"),
            Some("user.contact.phone_number")
        );
        assert_eq!(suggest("zzzz"), None);
    }

    #[test]
    fn implications() {
        assert_eq!(
            implied_special("user.health_and_medical"),
            Some(Art9Kind::Health)
        );
        assert_eq!(implied_special("user.contact.email"), None);
        assert!(implies_criminal("user.criminal_history"));
        assert!(implies_national_id(
            "user.government_id.national_identification_number"
        ));
    }
}
