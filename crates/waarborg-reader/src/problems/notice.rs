//! Missing GDPR Art. 13 information in a privacy statement.
//!
//! Checked: 13(1)(a) identity and contact (no contact route, or the controller named only by
//! a role), 13(1)(c) legal basis, 13(1)(d) the legitimate interests, 13(1)(e) recipients (none
//! named at all, not even "we share with nobody"), 13(1)(f) transfers (when US services are
//! named), 13(2)(a) retention, 13(2)(b) rights (with 21(4): objection), 13(2)(c) withdrawal of
//! consent (only where consent is used), 13(2)(d) complaint to the supervisory authority, 13(2)(e)
//! whether the person must provide the data and what happens if not, 14(1)(d) categories of
//! data (no kind of data named at all).
//!
//! 13(1)(d) is reported only where no mention of legitimate interests says, or points at, which
//! interests they are (a first rule that flagged mentions next to a purpose was wrong four times
//! in five).
//!
//! Not reported, on purpose: 13(1)(b) (a DPO is optional), 13(2)(f) (only where automated
//! decisions with effects are shown).

use std::ops::Range;

use super::contradictions::named;
use super::{Arg, Doc, Draft};

/// The Art. 13(2)(b) rights: the pattern group that finds each, and the message naming it.
pub(super) const RIGHTS: &[(&str, &str)] = &[
    ("right_access", "right_access"),
    ("right_rectification", "right_rectification"),
    ("right_erasure", "right_erasure"),
    ("right_restriction", "right_restriction"),
    ("right_objection", "right_objection"),
    ("right_portability", "right_portability"),
];

pub(crate) fn run(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    if !doc.parts.privacy {
        return;
    }
    identity(doc, out);
    basis(doc, out);
    interests(doc, out);
    let services = services_named(doc);
    recipients(doc, out, &services);
    transfer(doc, out, services);
    if !doc.has("retention_words") {
        out.push(Draft::new("RD-ART13-RETENTION", Vec::new()).item("13(2)(a)"));
    }
    // A period for part of the data answers 13(2)(a) under the checklist the reader follows
    // (GDPR-T200, corpus notes): the former RD-ART13-RETENTION-PARTIAL, which reported periods
    // that left out the sensitive data, was wrong on all six documents it fired on.
    let rights_evidence = rights_evidence(doc);
    rights(doc, out, &rights_evidence);
    let complaint_named = doc.sentences_with("complaint").iter().any(|(i, _)| {
        (i.saturating_sub(1)..=*i + 1).any(|j| doc.sentence_has(j, "complaint_context"))
    });
    if !complaint_named {
        out.push(
            Draft::new("RD-ART13-COMPLAINT", rights_evidence)
                .item("13(2)(d)")
                .detail("art13_complaint", []),
        );
    }
    requirement(doc, out);
    categories(doc, out);
}

/// The first sentence that says which data are collected (the nearest quote for an item about
/// providing data), else the first sentence about the person's data, else the first that names
/// a kind of data (a statement that only lists "Personal Data: ..." per service).
fn collection_evidence(doc: &Doc<'_>) -> Vec<Range<usize>> {
    ["data_collection", "privacy_signal", "data_category_words"]
        .iter()
        .find_map(|g| doc.sentences_with(g).into_iter().next())
        .map(|(i, h)| vec![doc.evidence(i, &h)])
        .unwrap_or_default()
}

/// 13(1)(e): no recipient, no category of recipients and no statement that no third party
/// receives the data. A sharing verb without a party ("we do not share any personal
/// information") names nobody; it is the quote when there is one. A service's name inside an
/// e-mail address or a web address ("...@gmail.com") names no recipient.
fn recipients(doc: &Doc<'_>, out: &mut Vec<Draft>, services: &[(usize, Range<usize>)]) {
    if doc.has("recipient_words") || !services.is_empty() {
        return;
    }
    let evidence = doc
        .sentences_with("share_unnamed")
        .into_iter()
        .next()
        .map(|(i, h)| vec![doc.evidence(i, &h)])
        .unwrap_or_else(|| collection_evidence(doc));
    if evidence.is_empty() {
        return;
    }
    out.push(Draft::new("RD-ART13-RECIPIENTS", evidence).item("13(1)(e)"));
}

/// 14(1)(d): no kind of personal data named anywhere (only "personal data" or "user
/// information") and no statement that none are collected.
fn categories(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    if doc.has("no_data_collected") || names_a_category(doc) {
        return;
    }
    out.push(Draft::new("RD-ART14-CATEGORIES", collection_evidence(doc)).item("14(1)(d)"));
}

/// Whether some kind of data is named: a `data_category_words` match that is not the first part
/// of a compound ("gender-neutral"), not the label of a contact route ("E-mail: info@...") and,
/// for a weak word ("device"), has a word about data near it (`category_weak_context`).
fn names_a_category(doc: &Doc<'_>) -> bool {
    if !doc.has("data_category_words") {
        return false;
    }
    let Some(words) = doc.lex.group("data_category_words") else {
        return false;
    };
    let lower = doc.lower;
    words.find_iter(lower).any(|m| {
        let after = lower.get(m.end()..).unwrap_or("");
        if after.starts_with('-') || doc.lex.matches_lower("category_label", after) {
            return false;
        }
        if !doc.lex.matches_lower("category_weak", m.as_str()) {
            return true;
        }
        let window = lower
            .get(
                lower.floor_char_boundary(m.start().saturating_sub(40))
                    ..lower.floor_char_boundary(m.end() + 60),
            )
            .unwrap_or("");
        doc.lex.matches_lower("category_weak_context", window)
    })
}

/// The sentences that name a US service, leaving out a name that is part of an e-mail address or
/// a web address ("...@gmail.com", "www.facebook.com/..." names a contact route, not a recipient).
fn services_named(doc: &Doc<'_>) -> Vec<(usize, Range<usize>)> {
    doc.sentences_with("us_service")
        .into_iter()
        .filter(|(_, h)| {
            let before = h
                .start
                .checked_sub(1)
                .and_then(|i| doc.lower.as_bytes().get(i));
            !matches!(before, Some(b'@' | b'.' | b'/'))
        })
        .collect()
}

/// 13(2)(e): nothing on whether the person must provide the data (statutory, contractual, needed
/// for a contract) and what happens if they do not.
fn requirement(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    if doc.has("provision_requirement") {
        return;
    }
    let evidence = collection_evidence(doc);
    if evidence.is_empty() {
        return;
    }
    out.push(Draft::new("RD-ART13-REQUIREMENT", evidence).item("13(2)(e)"));
}

/// 13(1)(a): the controller's identity and contact details. Contact details are an e-mail
/// address, a phone number, a postal address, or a web address in or just after a sentence about
/// contacting the controller (a contact page); a date or an age is none. Identity is missing
/// where the party that speaks as "we" is named only by a role ("App Developer built the app").
fn identity(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let web_contact = doc
        .sentences_with("web_address")
        .iter()
        .any(|(i, _)| (i.saturating_sub(2)..=*i).any(|j| doc.sentence_has(j, "contact_words")));
    let has_contact = doc.has("contact_details") || web_contact;
    let role_only = doc.sentences_with("controller_role_only");
    if let Some((i, h)) = role_only.first() {
        let d = Draft::new("RD-ART13-IDENTITY", vec![doc.evidence(*i, h)]).item("13(1)(a)");
        out.push(if has_contact {
            d.detail("art13_identity_role", [])
        } else {
            d.detail("art13_identity_role_no_contact", [])
        });
    } else if !has_contact {
        out.push(Draft::new("RD-ART13-IDENTITY", Vec::new()).item("13(1)(a)"));
    }
}

fn basis(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    if basis_stated(doc) {
        return;
    }
    // quote where the purposes are stated: under a purposes heading if there is one
    let purposes = doc.sentences_with("purpose_sentence");
    let under_heading: Vec<&(usize, Range<usize>)> = purposes
        .iter()
        .filter(|(i, _)| {
            doc.seg
                .sentence(*i)
                .and_then(|s| doc.seg.heading_before(s.start))
                .and_then(|h| doc.seg.lines.get(h))
                .and_then(|r| doc.lower.get(r.clone()))
                .is_some_and(|l| doc.lex.matches_lower("purpose_heading", l))
        })
        .collect();
    let chosen: Vec<&(usize, Range<usize>)> = if under_heading.is_empty() {
        purposes.iter().collect()
    } else {
        under_heading
    };
    let evidence = chosen
        .iter()
        .take(3)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    out.push(
        Draft::new("RD-ART13-BASIS", evidence)
            .item("13(1)(c)")
            .detail("art13_basis", []),
    );
}

/// 13(1)(d): legitimate interests are relied on, but no mention says which interests they are.
/// Whether a legal basis is stated: a `legal_basis` mention that is not a condition for sharing
/// or a right ("without your consent", "withdraw your consent", "uw toestemming intrekken") and
/// not in a sentence that deems consent given by using the service ("By using the app, you
/// consent to ...", `basis_deemed`): neither says on which basis the data are processed.
fn basis_stated(doc: &Doc<'_>) -> bool {
    let Some(basis) = doc.lex.group("legal_basis") else {
        return doc.has("legal_basis");
    };
    doc.sentences_with("legal_basis").iter().any(|(i, _)| {
        if doc.sentence_has(*i, "basis_deemed") {
            return false;
        }
        let lower = doc.lower_sentence(*i);
        basis.find_iter(lower).any(|m| {
            let before = lower.get(..m.start()).unwrap_or("");
            let after = lower.get(m.end()..).unwrap_or("");
            !doc.lex.matches_lower("basis_negated_before", before)
                && !doc.lex.matches_lower("basis_negated_after", after)
        })
    })
}

/// A mention says so when words that name or point at the interests follow it ("such as fraud
/// prevention", "in improving our service", a colon, "listed above") or when the sentence ties it
/// to a purpose before it ("for this purpose", a table cell or list item "purpose – legitimate
/// interest"). A mention that only repeats the law's wording ("pursued by the controller or by a
/// third party") names none; the evidence is the first two mentions that name none.
fn interests(doc: &Doc<'_>, out: &mut Vec<Draft>) {
    let Some(mention) = doc.lex.group("li_mention") else {
        return;
    };
    let mut unspecified: Vec<Range<usize>> = Vec::new();
    for (i, _) in doc.sentences_with("li_mention") {
        let Some(s) = doc.seg.sentence(i) else {
            continue;
        };
        let lower = doc.lower_sentence(i);
        for m in mention.find_iter(lower) {
            let before = lower.get(..m.start()).unwrap_or("");
            let after = lower.get(m.end()..).unwrap_or("");
            if doc.lex.matches_lower("li_specified_after", after)
                || doc.lex.matches_lower("li_specified_before", before)
            {
                return;
            }
            if unspecified.len() < 2 {
                let hit = s.start + m.start()..s.start + m.end();
                unspecified.push(doc.evidence(i, &hit));
            }
        }
    }
    if unspecified.is_empty() {
        return;
    }
    out.push(Draft::new("RD-ART13-INTERESTS", unspecified).item("13(1)(d)"));
}

/// 13(1)(f): US services or companies are named but no transfer outside the EEA is mentioned.
/// `services`: the sentences naming a US service ([`services_named`]).
fn transfer(doc: &Doc<'_>, out: &mut Vec<Draft>, services: Vec<(usize, Range<usize>)>) {
    if doc.has("transfer_words") || doc.has("eu_only") {
        return;
    }
    let mut us = services;
    us.extend(doc.sentences_with("us_company"));
    us.sort_by_key(|(i, _)| *i);
    us.dedup_by_key(|(i, _)| *i);
    if us.is_empty() {
        return;
    }
    let names = named(doc, &us, &["us_service", "us_company"]);
    let evidence = us
        .iter()
        .take(2)
        .map(|(i, h)| doc.evidence(*i, h))
        .collect();
    out.push(
        Draft::new("RD-ART13-TRANSFER", evidence)
            .item("13(1)(f)")
            .detail("art13_transfer", [("names", names)]),
    );
}

/// Quotes that show where the rights are listed: the rights heading, the first sentence under it
/// and the first sentence naming a right.
fn rights_evidence(doc: &Doc<'_>) -> Vec<Range<usize>> {
    let right_kinds = |i: usize| {
        RIGHTS
            .iter()
            .filter(|(g, _)| doc.sentence_has(i, g))
            .count()
    };
    for h in &doc.seg.headings {
        let Some(r) = doc.seg.lines.get(*h) else {
            continue;
        };
        let line = doc.text.get(r.clone()).unwrap_or("");
        let lower_line = line.to_ascii_lowercase();
        if !doc.lex.matches_lower("rights_heading", &lower_line)
            || doc.lex.matches_lower("rights_heading_not", &lower_line)
        {
            continue;
        }
        let Some(first) = doc.seg.sentence_at(r.end) else {
            continue;
        };
        let window = first..first + 6;
        let kinds: usize = RIGHTS
            .iter()
            .filter(|(g, _)| window.clone().any(|i| doc.sentence_has(i, g)))
            .count();
        if kinds < 2 {
            continue;
        }
        let mut ev = Vec::new();
        let lead = line.len() - line.trim_start().len();
        let t = line.trim();
        if !t.is_empty() {
            ev.push(r.start + lead..r.start + lead + t.len());
        }
        let mut picks = vec![first];
        picks.extend(window.clone().filter(|i| right_kinds(*i) > 0).take(4));
        picks.dedup();
        for i in picks {
            if let Some(e) = doc.sentence_evidence(i)
                && !ev.iter().any(|x| x.start <= e.start && e.end <= x.end)
            {
                ev.push(e);
            }
        }
        return ev;
    }
    // no heading: sentences that speak of rights and name one
    doc.sentences_with("rights_context")
        .iter()
        .filter(|(i, _)| right_kinds(*i) > 0)
        .take(2)
        .filter_map(|(i, _)| doc.sentence_evidence(*i))
        .collect()
}

fn rights(doc: &Doc<'_>, out: &mut Vec<Draft>, evidence: &[Range<usize>]) {
    let missing: Vec<&'static str> = RIGHTS
        .iter()
        .filter(|(g, _)| !doc.has(g))
        .map(|(_, name)| *name)
        .collect();
    let mut consent = doc.sentences_with("consent_used");
    if consent.is_empty() {
        consent = doc.sentences_with("consent_other");
    }
    if let Some((i, h)) = consent.first()
        && !doc.has("right_withdraw")
    {
        out.push(Draft::new("RD-ART13-WITHDRAW", vec![doc.evidence(*i, h)]).item("13(2)(c)"));
    }
    if missing.is_empty() {
        return;
    }
    let d = Draft::new("RD-ART13-RIGHTS", evidence.to_vec()).item("13(2)(b)");
    let objection = missing.contains(&"right_objection");
    let rights = Arg::List(missing.iter().copied().map(Arg::Word).collect(), "list_sep");
    out.push(if missing.len() >= RIGHTS.len() {
        d.detail("art13_rights_none", [])
    } else if objection {
        // the right to object must be brought to the person's attention explicitly (Art. 21(4))
        d.detail("art13_rights_missing_objection", [("rights", rights)])
    } else {
        d.detail("art13_rights_missing", [("rights", rights)])
    });
}
