//! The consent ledger as use cases: grant, withdraw, use and show consent, checked against the
//! register so that the ledger only holds consents the register asks for.

use waarborg_policy::{Art9Exception, ConsentScope as RegisterScope, LegalBasis, Policy};
use waarborg_store::{ConsentEvent, ConsentGrant, ConsentScope, ConsentState, ConsentUse, Store};

use crate::error::{AppError, Result};
use crate::register::LoadedRegister;

/// With a register, a consent is only recorded for a purpose of that register that rests on
/// consent (Art. 6(1)(a), or explicit consent under Art. 9(2)(a)); a typo or a contract
/// purpose would otherwise become evidence of a consent nobody asked for. A purpose that asks
/// single-use consent needs the object and recipient.
pub fn check_purpose(policy: &Policy, purpose: &str, single_use_given: bool) -> Result<()> {
    let Some(p) = policy.purpose(purpose) else {
        let ids: Vec<&str> = policy
            .purposes
            .iter()
            .filter(|p| p.legal_basis == Some(LegalBasis::Consent))
            .map(|p| p.id.as_str())
            .collect();
        return Err(AppError::invalid(format!(
            "the register has no purpose `{purpose}`; its purposes based on consent are: {}",
            if ids.is_empty() {
                "none".to_owned()
            } else {
                ids.join(", ")
            }
        )));
    };
    let consent = p.legal_basis == Some(LegalBasis::Consent)
        || p.art9_exception == Some(Art9Exception::ExplicitConsent);
    if !consent {
        return Err(AppError::invalid(format!(
            "purpose `{purpose}` rests on {}, not on consent, in the register; recording a consent \
             for it would tell the person they can stop it by withdrawing",
            p.legal_basis.map_or("no legal basis", LegalBasis::key)
        )));
    }
    let single_use = p
        .consent
        .as_ref()
        .is_some_and(|c| c.scope == RegisterScope::SingleUse);
    if single_use && !single_use_given {
        return Err(AppError::invalid(format!(
            "purpose `{purpose}` asks single-use consent in the register: give the object and the recipient"
        )));
    }
    Ok(())
}

/// A consent to record.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The person (a stable subject key, e.g. an e-mail address or customer number).
    pub subject: String,
    /// The register's purpose id.
    pub purpose: String,
    /// Single use: what the consent is for (a whitepaper id) and who receives the data.
    pub single_use: Option<(String, String)>,
    /// The wording shown to the person, or its SHA-256.
    pub wording: Option<String>,
    /// SHA-256 of the wording, when the wording itself is kept elsewhere.
    pub wording_sha256: Option<String>,
    /// Where the consent was given (`portal`, `web form`, ...).
    pub source: String,
    /// The register version the consent was asked under, when not the workspace's.
    pub register_hash: Option<String>,
}

/// Records a consent, after checking it against the register when there is one.
pub async fn grant(
    store: &Store,
    register: Option<&LoadedRegister>,
    g: Grant,
) -> Result<ConsentEvent> {
    if g.wording.is_none() && g.wording_sha256.is_none() {
        return Err(AppError::invalid(
            "give the wording shown to the person (or its SHA-256): consent must be provable (Art. 7(1))",
        ));
    }
    if let Some(r) = register {
        check_purpose(&r.policy, &g.purpose, g.single_use.is_some())?;
    }
    let register_hash = g
        .register_hash
        .or_else(|| register.map(|r| r.digest.clone()));
    let scope = match g.single_use {
        Some((object, recipient)) => ConsentScope::SingleUse { object, recipient },
        None => ConsentScope::Standing,
    };
    Ok(store
        .grant_consent(&ConsentGrant {
            subject: g.subject,
            purpose: g.purpose,
            scope,
            register_hash,
            wording: g.wording,
            wording_sha256: g.wording_sha256,
            source: g.source,
        })
        .await?)
}

/// Records a withdrawal (Art. 7(3)): as easy as giving it, effective at once.
pub async fn withdraw(
    store: &Store,
    subject: &str,
    purpose: &str,
    source: &str,
) -> Result<ConsentEvent> {
    Ok(store.withdraw_consent(subject, purpose, source).await?)
}

/// Records a use of a consent; refused when none is in force or a single-use one is used up.
pub async fn use_consent(store: &Store, u: &ConsentUse) -> Result<ConsentEvent> {
    Ok(store.use_consent(u).await?)
}

/// The consent state of a person, for one purpose or all.
pub async fn show(
    store: &Store,
    subject: &str,
    purpose: Option<&str>,
) -> Result<Vec<ConsentState>> {
    Ok(store.consent_state(subject, purpose).await?)
}

/// Counts per purpose over the whole ledger.
pub async fn summary(store: &Store) -> Result<Vec<waarborg_store::PurposeSummary>> {
    Ok(store.consent_summary().await?)
}
