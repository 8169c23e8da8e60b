//! The data subject's portal as use cases: a person asks for one of the rights the register
//! offers with only an e-mail address; Waarborg mails a single-use, expiring link; following
//! it opens (or joins) a verified case with the register's deadline. The person follows the
//! case through a status link and gets the answer by mail (an access export through a
//! single-use download link). Consent preferences and one-click unsubscribe work the same way.
//!
//! No enumeration: asking never looks the address up, so the answer and the work done are the
//! same whether or not the organisation knows the address. Identity is proven by the mailbox,
//! never by a copy of an identity document. Mails go through the store's outbox.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;
use waarborg_policy::{Lang, LegalBasis, Policy, Right};
use waarborg_store::{
    Case, CaseKind, CaseStatus, LinkPurpose, NewLink, NewMail, PortalRequest, Store,
};

use crate::cases::{self, OpenCase};
use crate::error::{AppError, Result};
use crate::letters::{self, LetterKind};
use crate::mail::MailTemplates;
use crate::register::LoadedRegister;

/// The request kind that leads to the consent preferences instead of a case.
pub const WITHDRAW_CONSENT: &str = "withdraw_consent";

/// How the portal links and mails are made.
#[derive(Debug, Clone)]
pub struct PortalSettings {
    /// The URL people reach the portal at, without a trailing slash
    /// (`https://privacy.example.nl`).
    pub public_url: String,
    /// How long a verification link works.
    pub verify_ttl: Duration,
    /// How long a status link works.
    pub status_ttl: Duration,
    /// How long a download link works.
    pub download_ttl: Duration,
    /// How long a preferences or unsubscribe link works.
    pub preferences_ttl: Duration,
    /// The mail texts.
    pub templates: MailTemplates,
    /// The time zone dates in letters are written in.
    pub time_zone: jiff::tz::TimeZone,
}

impl PortalSettings {
    /// Settings with the default lifetimes (verification 24 hours, status 90 days, download 7
    /// days, preferences and unsubscribe 365 days).
    pub fn new(
        public_url: &str,
        templates: MailTemplates,
        time_zone: jiff::tz::TimeZone,
    ) -> PortalSettings {
        PortalSettings {
            public_url: public_url.trim_end_matches('/').to_string(),
            verify_ttl: Duration::from_secs(24 * 3600),
            status_ttl: Duration::from_secs(90 * 24 * 3600),
            download_ttl: Duration::from_secs(7 * 24 * 3600),
            preferences_ttl: Duration::from_secs(365 * 24 * 3600),
            templates,
            time_zone,
        }
    }

    /// The link `/portal/{path}/{token}?lang=..` (the page opens in the person's language).
    fn link(&self, path: &str, token: &str, lang: Lang) -> String {
        format!(
            "{}/portal/{path}/{token}?lang={}",
            self.public_url,
            lang.code()
        )
    }
}

/// The request kinds the portal offers: the register's offered rights that a person can ask
/// for (in the register's order), as `access`, `rectification`, ..., `withdraw_consent`.
pub fn offered_kinds(register: Option<&LoadedRegister>) -> Vec<&'static str> {
    let Some(r) = register else {
        return Vec::new();
    };
    r.policy
        .rights
        .offered
        .iter()
        .filter_map(|right| match right {
            Right::WithdrawConsent => Some(WITHDRAW_CONSENT),
            other => case_kind(*other).map(CaseKind::as_str),
        })
        .collect()
}

/// The case kind a right asks for, when it is a request a case answers.
pub fn case_kind(right: Right) -> Option<CaseKind> {
    match right {
        Right::Access => Some(CaseKind::Access),
        Right::Rectification => Some(CaseKind::Rectification),
        Right::Erasure => Some(CaseKind::Erasure),
        Right::Restriction => Some(CaseKind::Restriction),
        Right::Portability => Some(CaseKind::Portability),
        Right::Objection => Some(CaseKind::Objection),
        _ => None,
    }
}

fn controller(register: Option<&LoadedRegister>) -> String {
    register
        .map(|r| r.policy.controller.name.clone())
        .unwrap_or_default()
}

fn kind_words(kind: &str, lang: Lang) -> String {
    // The letters already name every kind; `withdraw_consent` is the case kind's word.
    let key = if kind == WITHDRAW_CONSENT {
        "consent_withdrawal"
    } else {
        kind
    };
    letters::kind_words(key, lang)
}

/// Takes a request: checks the kind against the register, then mails a verification link to
/// `email`. The same work is done for every address (the address is never looked up).
pub async fn request(
    store: &Store,
    register: Option<&LoadedRegister>,
    settings: &PortalSettings,
    kind: &str,
    email: &str,
    lang: Lang,
    now: Timestamp,
) -> Result<()> {
    if !offered_kinds(register).contains(&kind) {
        return Err(AppError::invalid(format!(
            "`{kind}` is not a request this organisation's register offers; choose one of: {}",
            offered_kinds(register).join(", ")
        )));
    }
    let email = waarborg_store::normalize_email(email)?;
    let token = store
        .create_link(
            &NewLink {
                purpose: LinkPurpose::Verify,
                subject: email.clone(),
                kind: Some(kind.to_string()),
                lang: lang.code().to_string(),
                case_id: None,
                purpose_id: None,
            },
            now,
            settings.verify_ttl,
        )
        .await?;
    let mut v = BTreeMap::new();
    v.insert("controller", controller(register));
    v.insert("kind", kind_words(kind, lang));
    v.insert("link", settings.link("verify", &token, lang));
    v.insert("hours", (settings.verify_ttl.as_secs() / 3600).to_string());
    let t = &settings.templates;
    store
        .enqueue_mail(
            &NewMail {
                kind: "verification".into(),
                to: email,
                subject: t.fill(lang, "verification_subject", &v),
                body: t.fill(lang, "verification_body", &v),
                list_unsubscribe: None,
                case_id: None,
            },
            now,
        )
        .await?;
    Ok(())
}

/// Where a followed verification link leads.
#[derive(Debug)]
pub enum Verified {
    /// A case was opened and verified, or an open one of the same kind joined.
    Case {
        /// The case.
        case: Box<Case>,
        /// The token of the case's status link.
        status_token: String,
        /// Whether an open case was joined instead of a new one opened.
        joined: bool,
        /// Whether the register promises self-service for this request, so that the front
        /// end carries it out at once ([`crate::requests::carry_out`]).
        self_service: bool,
    },
    /// The person asked to withdraw consent: the token of their preferences link.
    Preferences {
        /// The token.
        token: String,
    },
}

/// Follows a verification link (single use, expiring): opens the case with the register's
/// deadline (the self-service promise for a self-service erasure), verified by the mail link,
/// or joins the person's open case of the same kind; queues the receipt with the status link.
pub async fn verify(
    store: &Store,
    register: Option<&LoadedRegister>,
    settings: &PortalSettings,
    token: &str,
    now: Timestamp,
) -> Result<Verified> {
    let link = store.use_link(token, LinkPurpose::Verify, now).await?;
    let lang = link.lang.parse::<Lang>().unwrap_or(Lang::Nl);
    let kind = link.kind.clone().unwrap_or_default();
    if kind == WITHDRAW_CONSENT {
        let token = preferences_link(store, settings, &link.subject, lang, now).await?;
        return Ok(Verified::Preferences { token });
    }
    let case_kind = kind
        .parse::<CaseKind>()
        .map_err(|e| AppError::invalid(e.to_string()))?;
    let promise = self_service_promise(register, case_kind);
    let (case, joined) = match store.open_portal_case(&link.subject, &kind).await? {
        Some(id) => (store.case(&id).await?, true),
        None => {
            let c = cases::open(
                store,
                OpenCase {
                    kind: case_kind,
                    subject: vec![format!("email={}", link.subject)],
                    received: Some(now),
                    deadline: promise,
                    note: Some("received through the portal".into()),
                },
                register,
            )
            .await?;
            let c = cases::verify(store, &c.id, "email_link").await?;
            store
                .record_portal_request(
                    &PortalRequest {
                        case_id: c.id.clone(),
                        kind: kind.clone(),
                        subject: link.subject.clone(),
                        lang: lang.code().to_string(),
                    },
                    now,
                )
                .await?;
            (c, false)
        }
    };
    let status_token = store
        .create_link(
            &NewLink {
                purpose: LinkPurpose::Status,
                subject: link.subject.clone(),
                kind: None,
                lang: lang.code().to_string(),
                case_id: Some(case.id.clone()),
                purpose_id: None,
            },
            now,
            settings.status_ttl,
        )
        .await?;
    let body = letters::letter(
        &case,
        LetterKind::Receipt,
        register.map(|r| &r.policy),
        lang,
        &settings.time_zone,
    )?;
    let mut v = BTreeMap::new();
    v.insert("case", short(&case.id));
    v.insert("link", settings.link("status", &status_token, lang));
    let t = &settings.templates;
    store
        .enqueue_mail(
            &NewMail {
                kind: "receipt".into(),
                to: link.subject.clone(),
                subject: t.fill(lang, "receipt_subject", &v),
                body: format!("{body}\n{}\n", t.fill(lang, "status_line", &v)),
                list_unsubscribe: None,
                case_id: Some(case.id.clone()),
            },
            now,
        )
        .await?;
    let self_service = promise.is_some() && !joined && case.status == CaseStatus::Verified;
    Ok(Verified::Case {
        case: Box::new(case),
        status_token,
        joined,
        self_service,
    })
}

/// The self-service promise of the register for a case of `kind` (today: erasure, through
/// `rights.self_service_erasure`).
pub fn self_service_promise(
    register: Option<&LoadedRegister>,
    kind: CaseKind,
) -> Option<jiff::Span> {
    match kind {
        CaseKind::Erasure => register
            .and_then(|r| r.policy.rights.self_service_erasure.as_ref())
            .map(|d| d.span()),
        _ => None,
    }
}

fn short(id: &str) -> String {
    id.chars().take(13).collect()
}

/// The case behind a status link, with the person's language. One link shows one case: the
/// case of the link, never another.
pub async fn status(store: &Store, token: &str, now: Timestamp) -> Result<(Case, Lang)> {
    let link = store.use_link(token, LinkPurpose::Status, now).await?;
    let id = link
        .case_id
        .ok_or_else(|| AppError::internal("a status link without a case"))?;
    let case = store.case(&id).await?;
    Ok((case, link.lang.parse::<Lang>().unwrap_or(Lang::Nl)))
}

/// Spends a download link (single use): the case whose answer it downloads.
pub async fn download(store: &Store, token: &str, now: Timestamp) -> Result<Case> {
    let link = store.use_link(token, LinkPurpose::Download, now).await?;
    let id = link
        .case_id
        .ok_or_else(|| AppError::internal("a download link without a case"))?;
    Ok(store.case(&id).await?)
}

/// Mails the extension notice of portal cases that were extended (Art. 12(3)), and the answer
/// (or refusal) of portal cases that were closed and not answered yet; an access answer carries
/// a single-use download link. Returns how many mails were queued. Run it
/// now and then (the server's mail worker does).
pub async fn answer_closed(
    store: &Store,
    register: Option<&LoadedRegister>,
    settings: &PortalSettings,
    now: Timestamp,
) -> Result<usize> {
    let mut n = 0;
    for req in store.unnotified_extensions(50).await? {
        let case = store.case(&req.case_id).await?;
        let lang = req.lang.parse::<Lang>().unwrap_or(Lang::Nl);
        let letter = letters::letter(
            &case,
            LetterKind::Extension,
            register.map(|r| &r.policy),
            lang,
            &settings.time_zone,
        )?;
        let mut v = BTreeMap::new();
        v.insert("case", short(&case.id));
        let mail = NewMail {
            kind: "extension".into(),
            to: req.subject.clone(),
            subject: settings.templates.fill(lang, "extension_subject", &v),
            body: letter,
            list_unsubscribe: None,
            case_id: Some(case.id.clone()),
        };
        if store.notify_extension(&case.id, &mail, now).await? {
            n += 1;
        }
    }
    for req in store.unanswered_portal_requests(50).await? {
        let case = store.case(&req.case_id).await?;
        let lang = req.lang.parse::<Lang>().unwrap_or(Lang::Nl);
        let rejected = case.status == CaseStatus::Rejected;
        let letter_kind = if rejected {
            LetterKind::Refusal
        } else {
            LetterKind::Answer
        };
        let letter = letters::letter(
            &case,
            letter_kind,
            register.map(|r| &r.policy),
            lang,
            &settings.time_zone,
        )?;
        let t = &settings.templates;
        let mut v = BTreeMap::new();
        v.insert("case", short(&case.id));
        let mut extra = Vec::new();
        if !rejected && matches!(case.kind, CaseKind::Access | CaseKind::Portability) {
            let token = store
                .create_link(
                    &NewLink {
                        purpose: LinkPurpose::Download,
                        subject: req.subject.clone(),
                        kind: None,
                        lang: req.lang.clone(),
                        case_id: Some(case.id.clone()),
                        purpose_id: None,
                    },
                    now,
                    settings.download_ttl,
                )
                .await?;
            v.insert("link", settings.link("download", &token, lang));
            v.insert(
                "days",
                (settings.download_ttl.as_secs() / 86_400).to_string(),
            );
            extra.push(t.fill(lang, "download_line", &v));
        } else if !rejected && let Some(o) = &case.outcome {
            v.insert("outcome", o.clone());
            extra.push(t.fill(lang, "summary_line", &v));
        }
        let subject_key = if rejected {
            "rejection_subject"
        } else {
            "answer_subject"
        };
        let mut body = letter;
        for e in extra {
            body.push('\n');
            body.push_str(&e);
            body.push('\n');
        }
        let mail = NewMail {
            kind: if rejected { "rejection" } else { "answer" }.into(),
            to: req.subject.clone(),
            subject: t.fill(lang, subject_key, &v),
            body,
            list_unsubscribe: None,
            case_id: Some(case.id.clone()),
        };
        if store.answer_portal_request(&case.id, &mail, now).await? {
            n += 1;
        }
    }
    Ok(n)
}

/// Makes a preferences link for `subject` and mails it; returns its token.
pub async fn preferences_link(
    store: &Store,
    settings: &PortalSettings,
    subject: &str,
    lang: Lang,
    now: Timestamp,
) -> Result<String> {
    let token = store
        .create_link(
            &NewLink {
                purpose: LinkPurpose::Preferences,
                subject: subject.to_string(),
                kind: None,
                lang: lang.code().to_string(),
                case_id: None,
                purpose_id: None,
            },
            now,
            settings.preferences_ttl,
        )
        .await?;
    Ok(token)
}

/// The person behind a preferences link, with their language.
pub async fn preferences(store: &Store, token: &str, now: Timestamp) -> Result<(String, Lang)> {
    let link = store.use_link(token, LinkPurpose::Preferences, now).await?;
    Ok((link.subject, link.lang.parse::<Lang>().unwrap_or(Lang::Nl)))
}

/// A consent purpose as the person sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConsentPurpose {
    /// The register's purpose id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The exact wording shown (and recorded with a grant).
    pub wording: String,
    /// Whether a standing consent is in force.
    pub granted: bool,
}

/// The wording shown for purpose `id` in `lang`: its name and description from the register.
pub fn wording(policy: &Policy, id: &str, lang: Lang) -> Option<String> {
    policy
        .purpose(id)
        .map(|p| format!("{}: {}", p.name.get(lang), p.description.get(lang)))
}

/// Every consent purpose of the register (standing consent) with the person's state.
pub async fn consent_purposes(
    store: &Store,
    register: Option<&LoadedRegister>,
    subject: &str,
    lang: Lang,
) -> Result<Vec<ConsentPurpose>> {
    let Some(r) = register else {
        return Ok(Vec::new());
    };
    let states = crate::consent::show(store, subject, None).await?;
    Ok(r.policy
        .purposes
        .iter()
        .filter(|p| p.legal_basis == Some(LegalBasis::Consent))
        .filter(|p| {
            p.consent
                .as_ref()
                .is_none_or(|c| c.scope != waarborg_policy::ConsentScope::SingleUse)
        })
        .map(|p| ConsentPurpose {
            id: p.id.clone(),
            name: p.name.get(lang).to_string(),
            wording: wording(&r.policy, &p.id, lang).unwrap_or_default(),
            granted: states.iter().any(|s| s.purpose == p.id && s.in_force()),
        })
        .collect())
}

/// A change of one consent by the person.
#[derive(Debug, Clone, Copy)]
pub struct ConsentChange<'a> {
    /// The person (their address).
    pub subject: &'a str,
    /// The register's purpose.
    pub purpose: &'a str,
    /// Grant (`true`) or withdraw.
    pub grant: bool,
    /// The language the wording was shown in.
    pub lang: Lang,
}

/// Grants (with the exact wording shown and the register's version) or withdraws the person's
/// consent for `purpose`, through [`crate::consent`] (ledger and audit trail). A grant mails a
/// confirmation with a one-click unsubscribe link (RFC 8058).
pub async fn set_consent(
    store: &Store,
    register: Option<&LoadedRegister>,
    settings: &PortalSettings,
    change: &ConsentChange<'_>,
    now: Timestamp,
) -> Result<()> {
    let ConsentChange {
        subject,
        purpose,
        grant,
        lang,
    } = *change;
    let r = register.ok_or_else(|| AppError::conflict("no register: nothing to consent to"))?;
    if !grant {
        crate::consent::withdraw(store, subject, purpose, "portal").await?;
        return Ok(());
    }
    let text = wording(&r.policy, purpose, lang)
        .ok_or_else(|| AppError::invalid(format!("the register has no purpose `{purpose}`")))?;
    crate::consent::grant(
        store,
        register,
        crate::consent::Grant {
            subject: subject.to_string(),
            purpose: purpose.to_string(),
            single_use: None,
            wording: Some(text.clone()),
            wording_sha256: None,
            source: "portal".into(),
            register_hash: None,
        },
    )
    .await?;
    let token = store
        .create_link(
            &NewLink {
                purpose: LinkPurpose::Unsubscribe,
                subject: subject.to_string(),
                kind: None,
                lang: lang.code().to_string(),
                case_id: None,
                purpose_id: Some(purpose.to_string()),
            },
            now,
            settings.preferences_ttl,
        )
        .await?;
    let url = settings.link("unsubscribe", &token, lang);
    let mut v = BTreeMap::new();
    v.insert("controller", r.policy.controller.name.clone());
    v.insert(
        "purpose",
        r.policy
            .purpose(purpose)
            .map(|p| p.name.get(lang).to_string())
            .unwrap_or_default(),
    );
    v.insert("wording", text);
    v.insert("unsubscribe", url.clone());
    let t = &settings.templates;
    store
        .enqueue_mail(
            &NewMail {
                kind: "consent".into(),
                to: subject.to_string(),
                subject: t.fill(lang, "consent_subject", &v),
                body: t.fill(lang, "consent_body", &v),
                list_unsubscribe: Some(url),
                case_id: None,
            },
            now,
        )
        .await?;
    Ok(())
}

/// What an unsubscribe link withdraws: the person, the purpose's name and the language.
pub async fn unsubscribe_target(
    store: &Store,
    register: Option<&LoadedRegister>,
    token: &str,
    now: Timestamp,
) -> Result<(String, String, String, Lang)> {
    let link = store.use_link(token, LinkPurpose::Unsubscribe, now).await?;
    let lang = link.lang.parse::<Lang>().unwrap_or(Lang::Nl);
    let purpose = link.purpose_id.unwrap_or_default();
    let name = register
        .and_then(|r| r.policy.purpose(&purpose))
        .map(|p| p.name.get(lang).to_string())
        .unwrap_or_else(|| purpose.clone());
    Ok((link.subject, purpose, name, lang))
}

/// Withdraws the consent an unsubscribe link is for (one click, RFC 8058); recorded as a
/// withdrawal with source `unsubscribe link`. Withdrawing twice is not an error.
pub async fn unsubscribe(
    store: &Store,
    register: Option<&LoadedRegister>,
    token: &str,
    now: Timestamp,
) -> Result<(String, Lang)> {
    let (subject, purpose, name, lang) = unsubscribe_target(store, register, token, now).await?;
    let states = crate::consent::show(store, &subject, Some(&purpose)).await?;
    if states.iter().any(|s| s.in_force()) {
        crate::consent::withdraw(store, &subject, &purpose, "unsubscribe link").await?;
    }
    Ok((name, lang))
}
