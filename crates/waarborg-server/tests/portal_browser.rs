#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
//! The data subject's portal in a real Chromium, with its mails sent over real SMTP to the
//! library's sink on loopback: a person asks for access, follows the mailed link, the case is
//! verified in the officer's queue, the officer carries it out, the person downloads the export
//! once (a second download gets 410); a self-service erasure is carried out within its promise;
//! consent is given and withdrawn on the preferences page and withdrawn by a one-click
//! unsubscribe (RFC 8058 POST). axe-core runs on every public page (privacy statement NL and EN,
//! request form, status page, preferences page, unsubscribe page): no serious or critical
//! violation.
//!
//! Needs chromium, chromedriver and axe-core, as tests/browser.rs (it fails naming them).

mod browser_common;
mod portal_common;

use browser_common::{axe, axe_source, click_to_new_page, connect_browser, start_driver, text};

use fantoccini::{Client, Locator};
use portal_common::{OFFICER, Server, client, csrf, start};
use reqwest::StatusCode;
use waarborg_store::{CaseFilter, CaseKind, CaseStatus, ConsentAction};

async fn attr(c: &Client, css: &str, name: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no `{css}` on the page: {e}"))
        .attr(name)
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Asks for `kind` through the form in the browser and follows the mailed verification link;
/// returns the mail's verify link (spent).
async fn ask_and_verify(
    c: &Client,
    s: &Server,
    axe_js: Option<&str>,
    kind: &str,
    email: &str,
) -> String {
    c.goto(&s.url("/portal?lang=en")).await.unwrap();
    if let Some(a) = axe_js {
        axe(c, a, "the request form (EN)").await;
    }
    c.find(Locator::Css(&format!("#kind-{kind}")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("#email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    click_to_new_page(c, "form[action='/portal/request'] button[type=submit]").await;
    assert!(
        text(c, "main").await.contains("Check your mailbox"),
        "{}",
        text(c, "main").await
    );
    let mail = s.mail(email, "Confirm your request").await;
    let link = s.link(&mail, "verify");
    c.goto(&link).await.unwrap();
    click_to_new_page(c, "main form button[type=submit]").await;
    link
}

async fn run(c: &Client, s: &Server, axe_js: &str) {
    // 1. The privacy statement from the register, in Dutch (Accept-Language) and English.
    c.goto(&s.url("/privacy")).await.unwrap();
    assert_eq!(text(c, "h1").await, "Privacyverklaring");
    assert_eq!(attr(c, "html", "lang").await, "nl");
    assert!(
        c.find_all(Locator::Css("nav.toc li a"))
            .await
            .unwrap()
            .len()
            >= 5,
        "no table of contents"
    );
    assert_eq!(
        attr(c, "a[href^='mailto:']", "href").await,
        "mailto:privacy@voorbeeldwebwinkel.example"
    );
    assert_eq!(
        attr(
            c,
            "a[href^='https://autoriteitpersoonsgegevens.nl']",
            "href"
        )
        .await,
        "https://autoriteitpersoonsgegevens.nl/"
    );
    assert!(
        text(c, "main").await.contains("2026.1"),
        "no version on the statement"
    );
    axe(c, axe_js, "/privacy (NL)").await;
    click_to_new_page(c, "a[hreflang=en]").await;
    assert_eq!(text(c, "h1").await, "Privacy statement");
    assert_eq!(attr(c, "html", "lang").await, "en");
    axe(c, axe_js, "/privacy (EN)").await;

    // 2. Access: ask, verify by the mailed link, the status page shows it verified.
    let person = "sanne.devries@example.nl";
    let verify_link = ask_and_verify(c, s, Some(axe_js), "access", person).await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/portal/status/")
    );
    assert_eq!(attr(c, "#case-status", "data-status").await, "verified");
    axe(c, axe_js, "the status page").await;
    let status_url = c.current_url().await.unwrap().to_string();
    // The verification link works once.
    let http = client();
    let tok = csrf(&http, &verify_link).await;
    assert_eq!(
        http.post(&verify_link)
            .form(&[("csrf", tok.as_str())])
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::GONE
    );

    // 3. The officer sees it verified in the queue and carries it out.
    let case = s
        .store
        .list_cases(&CaseFilter {
            open_only: true,
            kind: Some(CaseKind::Access),
            ..CaseFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .find(|c| {
            c.subject
                .as_ref()
                .is_some_and(|s| s.0.iter().any(|(_, v)| v == person))
                && c.verification.as_deref() == Some("email_link")
        })
        .expect("the portal's case is not in the queue");
    assert_eq!(case.status, CaseStatus::Verified);
    c.goto(&s.url("/login")).await.unwrap();
    let form = c.form(Locator::Css("form[action='/login']")).await.unwrap();
    form.set_by_name("email", OFFICER.0).await.unwrap();
    form.set_by_name("password", OFFICER.1).await.unwrap();
    click_to_new_page(c, "form[action='/login'] button[type=submit]").await;
    assert!(
        text(c, "main").await.contains(&case.id[..13]),
        "the case is not on the officer's queue"
    );
    c.goto(&s.url(&format!("/cases/{}", case.id)))
        .await
        .unwrap();
    click_to_new_page(c, "form[action$='/run'] button[value=carry_out]").await;
    assert_eq!(
        s.store.case(&case.id).await.unwrap().status,
        CaseStatus::Done
    );
    c.goto(&s.url("/mail")).await.unwrap();
    assert!(text(c, "#outbox-counts").await.contains("sent"));
    c.goto(&status_url).await.unwrap();
    assert_eq!(attr(c, "#case-status", "data-status").await, "done");

    // 4. The answer mail carries a single-use download link: once, then 410.
    let answer = s.mail(person, "The answer to your request").await;
    let dl = s.link(&answer, "download");
    let tok = csrf(&http, &dl).await;
    let first = http
        .post(&dl)
        .form(&[("csrf", tok.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert!(
        first.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    assert_eq!(first.headers()["content-type"], "application/zip");
    let bytes = first.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    assert!(
        part("access.json").contains(person),
        "the export does not hold the person's data"
    );
    // The Art. 15 letter goes with it, in words, as text and as a page.
    let letter = part("information.txt");
    assert!(
        letter.contains("Why we use your data")
            || letter.contains("Waarom wij uw gegevens gebruiken"),
        "{letter}"
    );
    assert!(part("information.html").starts_with("<!doctype html>"));
    let second = http
        .post(&dl)
        .form(&[("csrf", tok.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::GONE);

    // 5. Self-service erasure: carried out at once, within the register's 48 hours.
    let eraser = "lucas.smit@example.nl";
    ask_and_verify(c, s, None, "erasure", eraser).await;
    assert_eq!(attr(c, "#case-status", "data-status").await, "done");
    assert!(
        text(c, "#outcome").await.contains("erased"),
        "{}",
        text(c, "#outcome").await
    );
    let erased = s
        .store
        .list_cases(&CaseFilter {
            kind: Some(CaseKind::Erasure),
            ..CaseFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.verification.as_deref() == Some("email_link"))
        .unwrap();
    let promise = erased
        .received_at
        .checked_add(jiff::SignedDuration::from_hours(48))
        .unwrap();
    assert!(
        erased.due_at
            <= promise
                .checked_add(jiff::SignedDuration::from_hours(24))
                .unwrap()
    );
    assert!(
        erased.closed_at.unwrap() <= promise,
        "not carried out within the promise"
    );
    let summary = s.mail(eraser, "The answer to your request").await;
    assert!(
        summary.body().contains("What we did: erased"),
        "{}",
        summary.body()
    );

    // 6. Consent: "withdraw consent" leads to the preferences page; grant and withdraw in one
    // click each, into the ledger with the wording shown.
    let subscriber = "emma.visser@example.nl";
    ask_and_verify(c, s, None, "withdraw_consent", subscriber).await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/portal/preferences/")
    );
    axe(c, axe_js, "the preferences page").await;
    click_to_new_page(c, "#grant-newsletter").await;
    assert_eq!(attr(c, "#state-newsletter", "data-granted").await, "true");
    let events = s
        .store
        .consent_events(subscriber, "newsletter")
        .await
        .unwrap();
    let g = events.last().unwrap();
    assert_eq!(g.action, ConsentAction::Granted);
    assert!(
        g.wording.as_deref().unwrap().starts_with("Newsletter: "),
        "{:?}",
        g.wording
    );
    assert!(g.register_hash.is_some() && g.audit_seq > 0);
    click_to_new_page(c, "#withdraw-newsletter").await;
    assert_eq!(attr(c, "#state-newsletter", "data-granted").await, "false");
    assert_eq!(
        s.store
            .consent_events(subscriber, "newsletter")
            .await
            .unwrap()
            .last()
            .unwrap()
            .action,
        ConsentAction::Withdrawn
    );

    // 7. One-click unsubscribe (RFC 8058) from the mail sent about the subscription.
    click_to_new_page(c, "#grant-newsletter").await;
    let sub_mail = s.mail(subscriber, "You have signed up").await;
    let header = sub_mail
        .header("List-Unsubscribe")
        .expect("no List-Unsubscribe header");
    assert_eq!(
        sub_mail.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let url = header
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    assert!(url.starts_with(&s.url("/portal/unsubscribe/")), "{url}");
    c.goto(&url).await.unwrap();
    axe(c, axe_js, "the unsubscribe page").await;
    let r = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let last = s
        .store
        .consent_events(subscriber, "newsletter")
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(last.action, ConsentAction::Withdrawn);
    assert_eq!(last.source, "unsubscribe link");
    // Another person's preferences are never reachable without their link.
    let other = reqwest::Client::new()
        .get(s.url(&format!("/portal/preferences/{}", "cd".repeat(32))))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portal_in_a_real_browser() {
    let axe_js = axe_source();
    let s = start(|_, _| {}).await;
    let driver = start_driver().await;
    let c = connect_browser(&driver, "nl").await;
    let result = tokio::spawn({
        let c = c.clone();
        async move {
            let s = s;
            run(&c, &s, &axe_js).await;
            s
        }
    })
    .await;
    let _ = c.close().await;
    match result {
        Ok(s) => s.stop().await,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
