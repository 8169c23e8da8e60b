//! The lint rules, one file per rule (as ruff does). A rule's `//!` doc comment is its user
//! documentation in fixed sections; `waarborg rules` prints exactly that text, and the tests run
//! its "Example" (must trigger) and "Use instead" (must not trigger) against the rule.

use crate::lint::{Finding, RuleMeta};
use crate::model::Policy;

/// What every rule file imports.
#[allow(unused_imports)]
mod prelude {
    pub(crate) use super::helpers::*;
    pub(crate) use crate::duration::IsoDuration;
    pub(crate) use crate::lint::{Finding, RuleMeta, Severity};
    pub(crate) use crate::model::*;
}

pub(crate) mod helpers;

/// One lint rule.
#[derive(Debug)]
pub struct Rule {
    /// Code, name, severity, article, summaries.
    pub meta: &'static RuleMeta,
    /// Runs the rule on a register and adds what it finds.
    pub check: fn(&Policy, &mut Vec<Finding>),
    source: &'static str,
}

impl Rule {
    /// The rule's documentation (Markdown: What it does / Why is this bad? / Example / Use instead).
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                if out.is_empty() {
                    continue;
                }
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out.trim_end().to_owned()
    }

    /// The TOML code block under a `## heading` of the doc, if any.
    pub fn doc_example(&self, heading: &str) -> Option<String> {
        let doc = self.doc();
        let after = doc.split(&format!("## {heading}\n")).nth(1)?;
        let block = after.split("```toml\n").nth(1)?;
        block.split("```").next().map(str::to_owned)
    }
}

/// Adds the two doc-example tests (Example triggers, Use instead is clean) to a rule file.
macro_rules! doc_tests {
    ($code:literal) => {
        #[cfg(test)]
        mod tests {
            #[test]
            fn example_triggers() {
                crate::rules::testing::example_triggers($code);
            }

            #[test]
            fn use_instead_is_clean() {
                crate::rules::testing::use_instead_is_clean($code);
            }
        }
    };
}

macro_rules! rules {
    ($($m:ident),* $(,)?) => {
        $(mod $m;)*
        static ALL: &[Rule] = &[$(Rule {
            meta: &$m::META,
            check: $m::check,
            source: include_str!(concat!(stringify!($m), ".rs")),
        }),*];
    };
}

rules!(
    wb001_controller_contact,
    wb002_dpo_contact,
    wb003_purpose_legal_basis,
    wb004_legitimate_interest_missing,
    wb005_recipient_unused,
    wb006_transfer_without_mechanism,
    wb007_invalidated_transfer_mechanism,
    wb008_old_sccs,
    wb009_safeguards_not_available,
    wb010_purpose_without_retention,
    wb011_data_without_retention,
    wb012_rights_not_listed,
    wb013_withdrawal_right_not_stated,
    wb014_complaint_right_missing,
    wb015_provision_not_stated,
    wb016_automated_decision_information,
    wb017_automated_decision_without_exception,
    wb018_special_category_without_exception,
    wb019_criminal_data_without_authorisation,
    wb020_bsn_without_legal_duty,
    wb021_special_flag_missing,
    wb022_consent_without_withdrawal,
    wb023_invalid_consent_method,
    wb024_consent_settings_on_other_basis,
    wb025_single_use_consent_unbound,
    wb026_children_consent,
    wb027_processor_without_agreement,
    wb028_processor_activity_without_agreement,
    wb029_sub_processor_clause_missing,
    wb030_request_deadline_too_long,
    wb031_request_deadline_missing,
    wb032_request_fee,
    wb033_id_copy_required,
    wb034_no_request_channel,
    wb035_tracking_cookie_without_consent,
    wb036_implied_cookie_consent,
    wb037_cookie_recipient_missing,
    wb038_fiscal_hold_too_short,
    wb039_unbounded_retention_extension,
    wb040_legitimate_interest_public_authority,
    wb041_purpose_without_data,
    wb042_legal_ground_not_cited,
    wb043_dpo_required,
    wb044_no_security_measures,
    wb045_statement_predates_gdpr,
    wb046_purpose_without_subjects,
    wb047_data_unused,
    wb048_masked_id_copy_always,
    wb049_retention_until_request,
    wb050_conflicting_retention,
    wb051_contact_domain_mismatch,
    wb052_retention_below_legal_minimum,
    wb053_retention_beyond_cited_duty,
    wb054_retention_beyond_guidance,
    wb055_legal_obligation_not_a_law,
    wb056_processor_breach_notice_slow,
    wb057_processor_without_audit_right,
    wb058_tracker_declared_necessary,
    wb059_cookie_details_missing,
    wb060_retention_event_without_label,
    wb061_silent_on_cookies,
    wb062_silent_on_recipients,
    wb063_silent_on_automated_decisions,
    wb064_cookie_lifetime_missing,
    wb065_text_missing_in_language,
);

/// Every rule, in code order.
pub fn all() -> &'static [Rule] {
    ALL
}

/// The rule with this code (e.g. `WB006`) or name.
pub fn by_code(code: &str) -> Option<&'static Rule> {
    ALL.iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code) || r.meta.name == code)
}

/// The rule catalogue as JSON: code, name, severity, article, summaries and documentation.
pub fn catalogue_json() -> serde_json::Value {
    serde_json::Value::Array(
        ALL.iter()
            .map(|r| {
                serde_json::json!({
                    "code": r.meta.code,
                    "name": r.meta.name,
                    "severity": r.meta.severity,
                    "article": r.meta.article,
                    "summary": r.meta.summary,
                    "summary_nl": r.meta.summary_nl,
                    "doc": r.doc(),
                })
            })
            .collect(),
    )
}

/// The rule catalogue as a plain-text table, one rule per line.
pub fn catalogue_text() -> String {
    let mut out = String::new();
    for r in ALL {
        out.push_str(&format!(
            "{}  {:<7}  {:<40}  {}\n        {}\n",
            r.meta.code,
            r.meta.severity.as_str(),
            r.meta.name,
            r.meta.article,
            r.meta.summary
        ));
    }
    out.push_str(&format!(
        "{} rules. `waarborg rules CODE` shows one rule's documentation.\n",
        ALL.len()
    ));
    out
}

/// The catalogue as Markdown (used for docs/rules.md).
pub fn catalogue_markdown() -> String {
    let mut out = String::from(
        "# Waarborg lint rules\n\nGenerated by `waarborg rules --format md`. Each rule cites the article it \
         enforces; its Example triggers it and its Use instead does not (both are run as tests).\n\n\
         | Code | Name | Severity | Article | Summary |\n|---|---|---|---|---|\n",
    );
    for r in ALL {
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} |\n",
            r.meta.code,
            r.meta.code.to_lowercase(),
            r.meta.name,
            r.meta.severity.as_str(),
            r.meta.article,
            r.meta.summary
        ));
    }
    for r in ALL {
        out.push_str(&format!(
            "\n## {}\n\n`{}` · {} · {}\n\n{}\n\n*{}*\n\n",
            r.meta.code,
            r.meta.name,
            r.meta.severity.as_str(),
            r.meta.article,
            r.doc().replace("\n## ", "\n### "),
            r.meta.summary_nl
        ));
    }
    out
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        assert!(ALL.len() >= 30);
        let mut prev = "";
        for r in ALL {
            assert!(r.meta.code > prev, "{} out of order", r.meta.code);
            prev = r.meta.code;
            let doc = r.doc();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
            ] {
                assert!(doc.contains(section), "{} lacks {section}", r.meta.code);
            }
            assert!(r.doc_example("Example").is_some(), "{}", r.meta.code);
            assert!(r.doc_example("Use instead").is_some(), "{}", r.meta.code);
            assert!(!r.meta.article.is_empty() && !r.meta.summary_nl.is_empty());
        }
        let mut names: Vec<_> = ALL.iter().map(|r| r.meta.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }

    #[test]
    fn finds_by_code_or_name() {
        assert_eq!(by_code("wb007").map(|r| r.meta.code), Some("WB007"));
        assert!(by_code("WB999").is_none());
    }
}
