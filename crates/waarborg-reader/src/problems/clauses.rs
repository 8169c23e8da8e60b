//! Questionable clauses: text that is lawful-looking but conflicts with the GDPR, the cookie rule
//! or Dutch contract law.
//!
//! - `RD-FEE-REQUEST` (Art. 12(5)), `RD-ID-COPY` (Art. 12(2)/(6), AP), `RD-COPY-EXCESSIVE`
//!   (Art. 5(1)(c)).
//! - `RD-COOKIE-IMPLIED`, `RD-CONSENT-DEEMED`, `RD-COOKIE-NO-CONSENT` (Tw 11.7a, Art. 4(11), 7).
//! - In processor agreements: `RD-DPA-LIABILITY` (Art. 32, 82) and `RD-DPA-BREACH-THRESHOLD`
//!   (Art. 33(2)).

use std::ops::Range;

use super::contradictions::tracker_sentences;
use super::{Doc, Draft};

pub(crate) fn run(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    fee(doc, out);
    id_copy(doc, out);
    group(doc, out, "excessive_copy", "RD-COPY-EXCESSIVE", 3);
    let implied = cookie_implied(doc, out);
    deemed_consent(doc, out, &implied);
    cookie_no_consent(doc, out, !implied.is_empty());
    processor_denied(doc, out);
    employee_consent(doc, out);
    analytics_claim(doc, out);
    group(doc, out, "rights_narrowed", "RD-RIGHTS-NARROWED", 3);
    if doc.parts.dpa {
        group(doc, out, "liability_security", "RD-DPA-LIABILITY", 4);
        breach_threshold(doc, out);
        group(doc, out, "subproc_carveout", "RD-DPA-SUBPROC-CARVEOUT", 2);
    }
    if doc.parts.dpa || doc.parts.terms {
        group(doc, out, "dpa_keep_after_end", "RD-DPA-KEEP-AFTER-END", 2);
    }
    group(
        doc,
        out,
        "penalty_no_moderation",
        "RD-PENALTY-MODERATION",
        2,
    );
    group(doc, out, "withdrawal_waiver", "RD-WITHDRAWAL-WAIVER", 2);
    consent_bundled(doc, out);
    placeholders(doc, out);
    if doc.parts.terms && doc.has("consumer") {
        group(doc, out, "no_setoff", "RD-TERMS-SETOFF", 2);
        if !doc.has("collection_costs_capped") {
            group(
                doc,
                out,
                "collection_costs_all",
                "RD-TERMS-COLLECTION-COSTS",
                2,
            );
        }
    }
    if doc.parts.terms && !doc.has("liability_carveout") {
        liability_total(doc, out);
    }
    if doc.parts.privacy {
        special_without_exception(doc, out);
        public_task_legitimate_interest(doc, out);
    }
}

/// Template placeholders for the publishing party's own details; those for the other party of a
/// model contract (the customer, the controller) are left open on purpose.
fn placeholders(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let evidence: Vec<Range<usize>> = doc
        .sentences_with("placeholder")
        .iter()
        .filter(|(i, _)| !doc.sentence_has(*i, "placeholder_counterparty"))
        .take(3)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    if !evidence.is_empty() {
        out.push(Draft::new("RD-PLACEHOLDER", evidence));
    }
}

/// Art. 7(2): consent folded into the terms or the privacy statement, in sentences that
/// `RD-COOKIE-IMPLIED` and `RD-CONSENT-DEEMED` do not already report; added to the
/// `RD-CONSENT-DEEMED` finding when there is one.
fn consent_bundled(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let evidence: Vec<Range<usize>> = doc
        .sentences_with("consent_bundled")
        .iter()
        .filter(|(i, _)| {
            !doc.sentence_has(*i, "consent_deemed") && !doc.sentence_has(*i, "cookie_implied")
        })
        .take(3)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    if evidence.is_empty() {
        return;
    }
    // the same defect as deemed consent: one finding, with both quotes
    if let Some(d) = out.iter_mut().find(|d| d.code == "RD-CONSENT-DEEMED") {
        d.evidence.extend(evidence);
        return;
    }
    out.push(Draft::new("RD-CONSENT-BUNDLED", evidence));
}

/// BW 6:248(2), 3:40: liability for any damage excluded, not tied to one cause, in a document
/// that nowhere excepts intent or gross negligence.
fn liability_total(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let evidence: Vec<Range<usize>> = doc
        .sentences_with("liability_total")
        .iter()
        .filter(|(i, _)| {
            !doc.sentence_has(*i, "liability_scoped") && !near(doc, *i, 1, 1, "liability_saving")
        })
        .take(2)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    if !evidence.is_empty() {
        out.push(Draft::new("RD-LIABILITY-TOTAL", evidence));
    }
}

/// GDPR Art. 9(1)-(2): the statement says it processes special categories of data but names no
/// Art. 9(2) exception (explicit consent, an article of the UAVG, ...) anywhere. A sentence that
/// denies the processing ("we do not process ...") is no evidence.
fn special_without_exception(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    if doc.has("special_exception") {
        return;
    }
    let hits = doc.sentences_with("special_processed");
    // "only where the law requires it" names an exception (Art. 9(2)(b), (g))
    if hits
        .iter()
        .any(|(i, _)| doc.sentence_has(*i, "special_law"))
    {
        return;
    }
    let evidence: Vec<Range<usize>> = hits
        .iter()
        .filter(|(i, _)| !doc.sentence_has(*i, "negation") && !doc.sentence_text(*i).contains('?'))
        .take(2)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    if !evidence.is_empty() {
        out.push(Draft::new("RD-SPECIAL-NO-EXCEPTION", evidence));
    }
}

/// GDPR Art. 6(1), last subparagraph: a body that relies on a task in the public interest (a
/// public authority) cannot rely on legitimate interests for the processing it does in performing
/// its tasks. A sentence that lists all the bases of Art. 6 (also "vital interests") only explains
/// the law and is no evidence.
fn public_task_legitimate_interest(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let enumerates = |i: usize| {
        let s = doc.lower_sentence(i);
        s.contains("vita")
    };
    let Some(task) = doc
        .sentences_with("public_task")
        .into_iter()
        .find(|(i, _)| {
            !enumerates(*i)
                && !doc.sentence_has(*i, "negation")
                && doc.sentence_has(*i, "basis_claim")
                && !doc.sentence_has(*i, "public_task_noise")
        })
    else {
        return;
    };
    let interests: Vec<(usize, Range<usize>)> = doc
        .sentences_with("legit_interest")
        .into_iter()
        .filter(|(i, _)| {
            !enumerates(*i)
                && !doc.sentence_has(*i, "negation")
                && !doc.sentence_has(*i, "public_task_noise")
        })
        .collect();
    if interests.is_empty() {
        return;
    }
    let mut evidence = vec![doc.evidence(task.0, &task.1)];
    evidence.extend(
        interests
            .iter()
            .filter(|(i, _)| *i != task.0)
            .take(2)
            .map(|(i, h)| doc.evidence(*i, h)),
    );
    out.push(Draft::new("RD-PUBLIC-LEGITIMATE-INTEREST", evidence));
}

/// One problem quoting every sentence (up to `max`) where `pattern` matches.
fn group(doc: &Doc<'_>, out: &mut Vec<Draft>, pattern: &str, code: &str, max: usize) {
    let hits = doc.sentences_with(pattern);
    if hits.is_empty() {
        return;
    }
    let evidence = hits
        .iter()
        .take(max)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    out.push(Draft::new(code, evidence));
}

fn near(doc: &Doc<'_>, i: usize, before: usize, after: usize, group: &str) -> bool {
    (i.saturating_sub(before)..=i + after).any(|j| doc.sentence_has(j, group))
}

fn fee(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let mut hits: Vec<(usize, Range<usize>)> = doc.sentences_with("money");
    hits.extend(doc.sentences_with("fee_nomoney"));
    hits.sort_by_key(|(i, _)| *i);
    hits.dedup_by_key(|(i, _)| *i);
    let evidence: Vec<Range<usize>> = hits
        .iter()
        .filter(|(i, _)| {
            doc.sentence_matches(*i, "fee_charge")
                && near(doc, *i, 1, 0, "fee_request_context")
                && !near(doc, *i, 0, 1, "fee_allowed")
        })
        .take(3)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    let mut evidence = evidence;
    // "free of charge once a year": every further request is charged
    for (i, h) in doc.sentences_with("fee_once_free").iter().take(2) {
        evidence.push(doc.evidence(*i, h));
    }
    if !evidence.is_empty() {
        out.push(Draft::new("RD-FEE-REQUEST", evidence).detail("fee_request", []));
    }
}

fn id_copy(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    // with an account where the person sees and changes their data, identity is known: a
    // (masked) ID copy on top of it is more than needed (Art. 5(1)(c), 12(6))
    let account = doc.has("account_self_service");
    let evidence: Vec<Range<usize>> = doc
        .sentences_with("id_copy")
        .iter()
        .filter(|(i, _)| {
            near(doc, *i, 2, 0, "id_request_context")
                && (account || !near(doc, *i, 0, 2, "masking"))
        })
        .take(2)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    if !evidence.is_empty() {
        out.push(Draft::new("RD-ID-COPY", evidence));
    }
}

fn cookie_implied(doc: &Doc<'_>, out: &mut Vec<Draft>) -> Vec<usize> {
    let hits: Vec<(usize, Range<usize>)> = doc
        .sentences_with("cookie_implied")
        .into_iter()
        .filter(|(i, _)| {
            near(doc, *i, 3, 0, "cookie_word") || doc.sentence_matches(*i, "cookie_data_words")
        })
        .collect();
    if hits.is_empty() {
        return Vec::new();
    }
    let evidence = hits
        .iter()
        .take(3)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    out.push(Draft::new("RD-COOKIE-IMPLIED", evidence));
    hits.into_iter().map(|(i, _)| i).collect()
}

fn deemed_consent(doc: &Doc<'_>, out: &mut Vec<Draft>, skip: &[usize]) {
    let evidence: Vec<Range<usize>> = doc
        .sentences_with("consent_deemed")
        .iter()
        .filter(|(i, _)| !skip.contains(i))
        .take(3)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    if !evidence.is_empty() {
        out.push(Draft::new("RD-CONSENT-DEEMED", evidence));
    }
}

fn cookie_no_consent(doc: &Doc<'_>, out: &mut Vec<Draft>, implied: bool) {
    if implied || doc.has("only_functional_cookies") {
        // reported as RD-COOKIE-IMPLIED or RD-CONTRA-COOKIES
        return;
    }
    // analytics cookies need consent too unless set up privacy-friendly (AP guidance on Tw 11.7a)
    let mut candidates = tracker_sentences(doc);
    if !doc.has("analytics_settings") {
        candidates.extend(doc.sentences_with("analytics_tracker"));
        candidates.sort_by_key(|(i, _)| *i);
        candidates.dedup_by_key(|(i, _)| *i);
    }
    let trackers: Vec<(usize, Range<usize>)> = candidates
        .into_iter()
        .filter(|(i, _)| doc.sentence_has(*i, "ad_cookie") || near(doc, *i, 1, 1, "cookie_word"))
        .collect();
    if trackers.is_empty() {
        return;
    }
    let consent_for_cookies = doc.sentences_with("cookie_word").iter().any(|(i, _)| {
        doc.sentence_has(*i, "consent_word") && !doc.sentence_has(*i, "consent_weak")
    });
    if consent_for_cookies {
        return;
    }
    let mut evidence: Vec<Range<usize>> = trackers
        .iter()
        .take(2)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    // browser settings offered in place of consent
    if let Some((i, h)) = doc.sentences_with("browser_settings").first() {
        evidence.push(doc.evidence(*i, h));
    }
    out.push(Draft::new("RD-COOKIE-NO-CONSENT", evidence));
}

fn breach_threshold(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let evidence: Vec<Range<usize>> = doc
        .sentences_with("breach_threshold")
        .iter()
        .filter(|(i, _)| doc.sentence_has(*i, "breach_notify"))
        .take(2)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    if !evidence.is_empty() {
        out.push(Draft::new("RD-DPA-BREACH-THRESHOLD", evidence));
    }
}

fn processor_denied(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let evidence: Vec<Range<usize>> = doc
        .sentences_with("processor_denied")
        .iter()
        .filter(|(i, _)| near(doc, *i, 2, 0, "supplier"))
        .take(2)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    if !evidence.is_empty() {
        out.push(Draft::new("RD-PROCESSOR-DENIED", evidence));
    }
}

fn employee_consent(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let hits = doc.sentences_with("employee_consent");
    let Some((i, h)) = hits.first() else {
        return;
    };
    let mut evidence = Vec::new();
    // the sentence before usually lists the (special) data the consent is for
    if let Some(e) = i
        .checked_sub(1)
        .filter(|p| doc.sentence_has(*p, "special_data"))
        .and_then(|p| doc.sentence_evidence(p))
    {
        evidence.push(e);
    }
    evidence.push(doc.evidence(*i, h));
    let special = near(doc, *i, 3, 0, "special_data");
    let mut d = Draft::new("RD-CONSENT-EMPLOYEE", evidence);
    if special {
        d = d.detail("consent_employee_special", []);
    }
    out.push(d);
}

fn analytics_claim(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    if doc.has("analytics_settings") {
        return;
    }
    let analytics = |j: usize| {
        let s = doc.sentence_text(j).to_lowercase();
        s.contains("analytic") || s.contains("analytisch")
    };
    let Some((i, h)) = doc
        .sentences_with("analytics_claim")
        .into_iter()
        .find(|(i, _)| (i.saturating_sub(1)..=i + 1).any(analytics))
    else {
        return;
    };
    let mut evidence = vec![doc.evidence(i, &h)];
    for j in i + 1..=i + 3 {
        if let Some(e) = Some(j)
            .filter(|j| analytics(*j))
            .and_then(|j| doc.sentence_evidence(j))
        {
            evidence.push(e);
        }
    }
    out.push(Draft::new("RD-ANALYTICS-CLAIM", evidence));
}
