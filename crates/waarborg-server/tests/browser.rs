#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The dashboard in a real headless Chromium (Debian's `chromium` + `chromium-driver`, driven
//! over WebDriver by fantoccini), with an accessibility check of every page by axe-core.
//!
//! One server (the demo organisation, built into a temporary folder) and two browser sessions
//! (one asking for Dutch, one for English) serve every scenario: log in; the skip link as the
//! first tab stop, with a visible focus ring, moving the focus to the main content; the overdue
//! case marked in the queue; an erasure from dry run to certificate; an extension that moves the
//! due date; a refusal; a retention sweep; an auditor who sees everything and can change nothing
//! (crafted POSTs with the session's CSRF token get 403 and change nothing); log out. axe-core
//! runs on every page and every case state, in Dutch and in English and on a 390 px screen, and
//! no `serious` or `critical` violation may be found (the others are printed).
//!
//! Needs (the test fails, naming them, when they are missing; `.ci/run` installs them):
//! - `chromium` and `chromedriver` (`apt-get install chromium chromium-driver`); other paths
//!   through `WAARBORG_CHROMEDRIVER` and `WAARBORG_CHROMIUM`;
//! - axe-core from npm: `npm install --prefix target/axe axe-core@4`, found at
//!   `target/axe/node_modules/axe-core/axe.min.js` or through `WAARBORG_AXE_JS`.

mod browser_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use browser_common::*;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use waarborg_app::{LoadedRegister, Workspace};
use waarborg_policy::Lang;
use waarborg_server::{AppState, ServerConfig};
use waarborg_store::{Case, CaseFilter, CaseKind, CaseStatus, Role, Store};

const OFFICER: (&str, &str) = ("officer@example.nl", "officer-pass-1234");
const OPERATOR: (&str, &str) = ("operator@example.nl", "operator-pass-1234");
const AUDITOR: (&str, &str) = ("auditor@example.nl", "auditor-pass-1234");

/// The demo organisation served in-process on 127.0.0.1:0, as `waarborg serve --demo` does,
/// with an officer (Dutch), an operator (English) and an auditor (Dutch).
struct Server {
    base: String,
    store: Store,
    running: waarborg_server::Running,
    _dir: tempfile::TempDir,
}

async fn start_server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut quiet = |_: &str| {};
    let org = waarborg_app::demo::build(&dir.path().join("demo"), &mut quiet)
        .await
        .unwrap();
    let register = LoadedRegister::load(&org.policy).unwrap();
    let ws = Workspace::connect(
        org.keys.clone(),
        Some(register),
        &org.datasets,
        &org.bindings,
    )
    .await
    .unwrap();
    let store = waarborg_app::config::open_store(&org.store_url, &org.keys, false, 4)
        .await
        .unwrap();
    for ((email, pw), role, lang) in [
        (OFFICER, Role::Officer, Lang::Nl),
        (OPERATOR, Role::Operator, Lang::En),
        (AUDITOR, Role::Auditor, Lang::Nl),
    ] {
        store.add_user(email, pw, role, lang).await.unwrap();
    }
    let config = ServerConfig {
        public_url: None,
        data_dir: org.folder.join("data"),
        session_ttl: Duration::from_secs(3600),
        time_zone: waarborg_app::config::time_zone(None).unwrap(),
        schema_check: None,
    };
    let state = Arc::new(AppState::new(store.clone(), ws, config).unwrap());
    let running = waarborg_server::spawn(state, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let addr = running.addr;
    Server {
        base: format!("http://{addr}"),
        store,
        running,
        _dir: dir,
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The open case of `kind` for the subject with e-mail `email`.
    async fn case_of(&self, kind: CaseKind, email: &str) -> Case {
        let filter = CaseFilter {
            open_only: true,
            kind: Some(kind),
            ..CaseFilter::default()
        };
        self.store
            .list_cases(&filter)
            .await
            .unwrap()
            .into_iter()
            .find(|c| {
                c.kind == kind
                    && c.subject
                        .as_ref()
                        .is_some_and(|s| s.0.iter().any(|(_, v)| v == email))
            })
            .unwrap_or_else(|| panic!("the demo has no open {kind:?} case for {email}"))
    }
}

/// The path of the page the browser shows.
async fn path(c: &Client) -> String {
    c.current_url().await.unwrap().path().to_string()
}

async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.unwrap().len()
}

async fn login(c: &Client, s: &Server, (email, pw): (&str, &str)) {
    c.goto(&s.url("/login")).await.unwrap();
    let form = c.form(Locator::Css("form[action='/login']")).await.unwrap();
    form.set_by_name("email", email).await.unwrap();
    form.set_by_name("password", pw).await.unwrap();
    click_to_new_page(c, "form[action='/login'] button[type=submit]").await;
    if path(c).await != "/cases" {
        let said = text(c, "main").await;
        panic!("{email} is not on the queue after logging in; the page says: {said}");
    }
    assert!(
        text(c, ".who").await.contains(email),
        "the header does not name {email}"
    );
}

async fn logout(c: &Client) {
    click_to_new_page(c, "form[action='/logout'] button").await;
    assert_eq!(path(c).await, "/login");
}

/// The session cookie the browser holds.
async fn session_cookie(c: &Client) -> String {
    let cookie = c.get_named_cookie("wb_session").await.unwrap();
    format!("wb_session={}", cookie.value())
}

/// axe-core's violations on the current page.
async fn axe_violations(c: &Client, axe_js: &str, label: &str) -> Vec<Value> {
    axe_run(c, axe_js, label).await.violations
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_in_a_real_browser() {
    let started = Instant::now();
    let axe_js = axe_source();
    let server = start_server().await;
    let driver = start_driver().await;
    let c = connect_browser(&driver, "nl").await;
    let mut result = unwind::catch(run_all(&c, &server, &axe_js)).await;
    let _ = c.close().await;
    if result.is_ok() {
        let en = connect_browser(&driver, "en").await;
        result = unwind::catch(english_and_narrow(&en, &server, &axe_js)).await;
        let _ = en.close().await;
    }
    drop(driver);
    let Server { running, store, .. } = server;
    let _ = running.stop().await;
    drop(store);
    eprintln!(
        "browser tests: {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
}

/// A browser that asks for English: the login page in English; then the operator's pages on a
/// phone-sized screen (390 px): no serious axe violation and no sideways scrolling (WCAG 1.4.10).
async fn english_and_narrow(c: &Client, s: &Server, axe_js: &str) {
    c.goto(&s.url("/login")).await.unwrap();
    assert_eq!(
        c.find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap()
            .as_deref(),
        Some("en")
    );
    assert!(
        text(c, "main h1").await.contains("Log in"),
        "the login page is not in English"
    );
    axe(c, axe_js, "login (en)").await;
    let form = c.form(Locator::Css("form[action='/login']")).await.unwrap();
    form.set_by_name("email", "nobody@example.nl")
        .await
        .unwrap();
    form.set_by_name("password", "wrong-password")
        .await
        .unwrap();
    click_to_new_page(c, "form[action='/login'] button[type=submit]").await;
    assert_eq!(count(c, ".notice.error[role=alert]").await, 1);
    axe(c, axe_js, "login with error (en)").await;

    login(c, s, OPERATOR).await;
    c.set_window_size(390, 844).await.unwrap();
    let all = s.store.list_cases(&CaseFilter::default()).await.unwrap();
    let done = all
        .iter()
        .find(|k| k.kind == CaseKind::Erasure && k.status == CaseStatus::Done)
        .expect("no erasure is done");
    let received = s
        .case_of(CaseKind::Rectification, "sanne.devries@example.nl")
        .await;
    for (path, label) in [
        ("/cases".to_string(), "queue (en, 390 px)"),
        (format!("/cases/{}", done.id), "case, done (en, 390 px)"),
        (
            format!("/cases/{}", received.id),
            "case, received, with its forms (en, 390 px)",
        ),
        ("/retention".to_string(), "retention (en, 390 px)"),
        ("/consent".to_string(), "consent (en, 390 px)"),
        ("/register".to_string(), "register (en, 390 px)"),
        ("/audit".to_string(), "audit (en, 390 px)"),
    ] {
        c.goto(&s.url(&path)).await.unwrap();
        axe(c, axe_js, label).await;
        let widths = c
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap();
        // Tables become lists on a phone: every cell names its column.
        let unlabelled = c
            .execute(
                "return [...document.querySelectorAll('main td')] \
                   .filter(td => !/\\S/.test(getComputedStyle(td, '::before').content \
                     .replace(/^none$/, '').replace(/[\"':]/g, ''))).length;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            unlabelled,
            json!(0),
            "{label}: table cells without their column's name"
        );
        let wide = c
            .execute(
                "return [...document.querySelectorAll('body *')] \
                   .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1) \
                   .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + \
                     Math.round(e.getBoundingClientRect().right));",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            widths[0].as_u64().unwrap() <= widths[1].as_u64().unwrap(),
            "{label} scrolls sideways: {widths} (content width, window width); too wide: {wide}"
        );
    }
}

mod unwind {
    use std::any::Any;
    use std::future::Future;
    use std::panic::AssertUnwindSafe;

    /// Runs `f`, catching a panic (an assertion that failed).
    pub async fn catch<F: Future<Output = ()>>(f: F) -> Result<(), Box<dyn Any + Send>> {
        let mut f = std::pin::pin!(f);
        std::future::poll_fn(move |cx| {
            match std::panic::catch_unwind(AssertUnwindSafe(|| f.as_mut().poll(cx))) {
                Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
                Ok(std::task::Poll::Ready(())) => std::task::Poll::Ready(Ok(())),
                Err(p) => std::task::Poll::Ready(Err(p)),
            }
        })
        .await
    }
}

async fn run_all(c: &Client, s: &Server, axe_js: &str) {
    let http = no_redirects();

    // --- Logging in: anonymous visitors go to the login page (Dutch by Accept-Language). ---
    c.goto(&s.url("/cases")).await.unwrap();
    assert_eq!(path(c).await, "/login");
    assert_eq!(
        c.find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap()
            .as_deref(),
        Some("nl")
    );
    axe(c, axe_js, "login (nl)").await;
    // The page's CSP is in force in the browser (an inline script added to the page does not
    // run), yet axe-core injected through WebDriver runs: WebDriver's scripts are not the page's.
    let csp = http.get(s.url("/login")).send().await.unwrap();
    assert!(
        csp.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'"),
        "the login page has no strict CSP"
    );
    let inline_ran = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             const el = document.createElement('script'); \
             el.textContent = 'window.__wb_inline_ran = true;'; \
             document.head.appendChild(el); \
             setTimeout(() => done(window.__wb_inline_ran === true), 50);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(inline_ran, json!(false), "the CSP let an inline script run");
    // axe does look: a field without a label, added to the page, is found (critical).
    c.execute(
        "const i = document.createElement('input'); i.type = 'text'; i.id = 'axe-probe'; \
         document.querySelector('main').appendChild(i);",
        vec![],
    )
    .await
    .unwrap();
    let probe = axe_violations(c, axe_js, "login with a probe").await;
    assert!(
        probe
            .iter()
            .any(|v| v["id"] == "label" && v["impact"] == "critical"),
        "axe-core does not report an unlabelled field: {probe:?}"
    );
    c.refresh().await.unwrap();
    let form = c.form(Locator::Css("form[action='/login']")).await.unwrap();
    form.set_by_name("email", OFFICER.0).await.unwrap();
    form.set_by_name("password", "wrong-password")
        .await
        .unwrap();
    click_to_new_page(c, "form[action='/login'] button[type=submit]").await;
    assert_eq!(path(c).await, "/login");
    assert!(
        count(c, ".notice.error[role=alert]").await == 1,
        "no error after a wrong password"
    );
    axe(c, axe_js, "login with error (nl)").await;
    login(c, s, OFFICER).await;

    // --- Keyboard: the skip link is the first tab stop and leads to the main content. ---
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(&Key::Tab.to_string())
        .await
        .unwrap();
    let first = c.active_element().await.unwrap();
    assert_eq!(
        first.attr("class").await.unwrap().as_deref(),
        Some("skip"),
        "the first tab stop is not the skip link"
    );
    assert_eq!(first.attr("href").await.unwrap().as_deref(), Some("#main"));
    let (x, y, w, h) = first.rectangle().await.unwrap();
    assert!(
        x >= 0.0 && y >= 0.0 && w > 0.0 && h > 0.0,
        "the focused skip link is off screen"
    );
    // Its focus ring is visible: a solid outline of at least 3:1 against the white page.
    let ring = c
        .execute(
            "const s = getComputedStyle(document.activeElement); \
             return [s.outlineStyle, s.outlineWidth, s.outlineColor];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        ring[0], "solid",
        "the focused skip link has no outline: {ring}"
    );
    let rgb: Vec<f64> = ring[2]
        .as_str()
        .unwrap()
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .take(3)
        .map(|v| v.trim().parse().unwrap())
        .collect();
    let lum = |v: f64| {
        let v = v / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lum(rgb[0]) + 0.7152 * lum(rgb[1]) + 0.0722 * lum(rgb[2]);
    let contrast = 1.05 / (l + 0.05);
    assert!(
        contrast >= 3.0,
        "the focus ring's contrast is {contrast:.1}:1, below 3:1"
    );
    // Enter follows it: the main content has the focus.
    first.send_keys(&Key::Enter.to_string()).await.unwrap();
    let focused = c.active_element().await.unwrap();
    assert_eq!(
        focused.attr("id").await.unwrap().as_deref(),
        Some("main"),
        "the skip link does not move the focus to the main content"
    );

    // --- The queue: the overdue case is marked, and it is the one the store says is overdue. ---
    axe(c, axe_js, "queue (nl)").await;
    let now = jiff::Timestamp::now();
    let overdue = s.case_of(CaseKind::Access, "daan.bakker@example.nl").await;
    assert!(
        overdue.is_overdue(now),
        "the demo's overdue case is not overdue"
    );
    let rows = c
        .find_all(Locator::Css("main table tbody tr"))
        .await
        .unwrap();
    assert!(
        rows.len() >= 4,
        "the queue shows {} cases, the demo has 4 open",
        rows.len()
    );
    let mut marked = Vec::new();
    for row in &rows {
        let href = row
            .find(Locator::Css("a"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        if !row
            .find_all(Locator::Css(".badge.overdue"))
            .await
            .unwrap()
            .is_empty()
        {
            marked.push(href);
        }
    }
    assert_eq!(
        marked,
        vec![format!("/cases/{}", overdue.id)],
        "the overdue case is not the one marked overdue"
    );
    // Sorted by due date: the overdue case comes first.
    let first_href = rows[0]
        .find(Locator::Css("a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap();
    assert_eq!(first_href, Some(format!("/cases/{}", overdue.id)));

    // A case page in each state: received (identity not yet checked).
    let received = s
        .case_of(CaseKind::Rectification, "sanne.devries@example.nl")
        .await;
    assert_eq!(received.status, CaseStatus::Received);
    c.goto(&s.url(&format!("/cases/{}", received.id)))
        .await
        .unwrap();
    assert_eq!(
        count(c, &format!("form[action='/cases/{}/verify']", received.id)).await,
        1
    );
    axe(c, axe_js, "case, received (nl)").await;

    // --- Erasure: filter the queue, open the case, dry run, carry out, certificate. ---
    c.goto(&s.url("/cases")).await.unwrap();
    c.find(Locator::Css("#kind"))
        .await
        .unwrap()
        .select_by_value("erasure")
        .await
        .unwrap();
    click_to_new_page(c, "form.filters button").await;
    let links = c
        .find_all(Locator::Css("main table tbody tr a"))
        .await
        .unwrap();
    assert_eq!(
        links.len(),
        1,
        "the filter shows {} open erasure cases, not 1",
        links.len()
    );
    let erasure = s.case_of(CaseKind::Erasure, "noor.jansen@example.nl").await;
    click_to_new_page(c, "main table tbody tr a").await;
    assert_eq!(path(c).await, format!("/cases/{}", erasure.id));
    axe(c, axe_js, "case, verified (nl)").await;
    click_to_new_page(c, "button[name=mode][value=dry_run]").await;
    assert!(
        text(c, "#result").await.contains("Proef"),
        "no dry-run heading"
    );
    let table_rows = c
        .find_all(Locator::Css("#result + table tbody tr"))
        .await
        .unwrap();
    assert!(!table_rows.is_empty(), "the dry run shows no tables");
    let mut deleted = 0u64;
    let mut masked_or_kept = 0u64;
    let mut reasons = String::new();
    for r in &table_rows {
        let cells = r.find_all(Locator::Css("td")).await.unwrap();
        assert_eq!(cells.len(), 6);
        let n = |i: usize| {
            let cell = &cells[i];
            async move { cell.text().await.unwrap().trim().parse::<u64>().unwrap() }
        };
        deleted += n(1).await;
        masked_or_kept += n(2).await + n(3).await;
        reasons.push_str(&cells[5].text().await.unwrap());
        reasons.push('\n');
    }
    assert!(deleted > 0, "the dry run deletes nothing");
    eprintln!("dry run: {deleted} deleted, {masked_or_kept} masked or kept; reasons:\n{reasons}");
    let heads = text(c, "#result + table thead").await;
    for h in ["verwijderd", "gemaskeerd", "bewaard"] {
        assert!(
            heads.to_lowercase().contains(h),
            "the dry run has no column `{h}`: {heads}"
        );
    }
    assert!(
        reasons.contains("art.") || reasons.contains("Art."),
        "the dry run's reasons name no article:\n{reasons}"
    );
    assert_eq!(
        s.store.case(&erasure.id).await.unwrap().status,
        erasure.status,
        "a dry run changed the case"
    );
    axe(c, axe_js, "case, dry run result (nl)").await;
    click_to_new_page(c, "button[name=mode][value=carry_out]").await;
    assert!(
        count(c, "main .notice[role=status]").await == 1,
        "no notice after carrying out"
    );
    assert_eq!(
        s.store.case(&erasure.id).await.unwrap().status,
        CaseStatus::Done
    );
    assert_eq!(text(c, "dl.facts dd").await.trim(), "afgehandeld");
    axe(c, axe_js, "case, done with result (nl)").await;
    c.goto(&s.url(&format!("/cases/{}", erasure.id)))
        .await
        .unwrap();
    assert_eq!(
        count(c, "main form").await,
        0,
        "a done case still offers forms"
    );
    let docs = c
        .find_all(Locator::Css("main ul li a[download]"))
        .await
        .unwrap();
    assert!(!docs.is_empty(), "the done case offers no documents");
    let mut cert_href = None;
    for d in &docs {
        let href = d.attr("href").await.unwrap().unwrap();
        if href.contains("certificate") {
            cert_href = Some(href);
        }
    }
    let cert_href = cert_href.expect("no certificate among the documents");
    axe(c, axe_js, "case, done (nl)").await;
    let cookie = session_cookie(c).await;
    let resp = http
        .get(s.url(&cert_href))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "the certificate cannot be downloaded");
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"),
    );
    let cert: Value = resp.json().await.unwrap();
    assert!(
        cert.to_string().contains(&erasure.id),
        "the certificate does not name the case"
    );
    let anon = http.get(s.url(&cert_href)).send().await.unwrap();
    assert_eq!(
        anon.status(),
        303,
        "the certificate is served without a session"
    );

    // --- Extend: reason and months; the due date moves. ---
    let young = s.case_of(CaseKind::Access, "julia.mulder@example.nl").await;
    c.goto(&s.url(&format!("/cases/{}", young.id)))
        .await
        .unwrap();
    let due_before = text(c, "dl.facts dd:nth-of-type(2)").await;
    assert!(due_before.contains(&young.due_date.to_string()));
    c.find(Locator::Css("#months"))
        .await
        .unwrap()
        .select_by_value("2")
        .await
        .unwrap();
    c.find(Locator::Css("#ext-reason"))
        .await
        .unwrap()
        .send_keys("Veel gegevens in oude systemen")
        .await
        .unwrap();
    click_to_new_page(
        c,
        &format!("form[action='/cases/{}/extend'] button", young.id),
    )
    .await;
    let after = s.store.case(&young.id).await.unwrap();
    assert!(after.extended, "the case is not extended");
    assert!(after.due_date > young.due_date, "the due date did not move");
    assert!(
        after.due_date
            >= young
                .due_date
                .checked_add(jiff::Span::new().days(55))
                .unwrap(),
        "two months' extension moved the due date from {} to {} only",
        young.due_date,
        after.due_date
    );
    let due_after = text(c, "dl.facts dd:nth-of-type(2)").await;
    assert!(
        due_after.contains(&after.due_date.to_string()) && due_after != due_before,
        "the page shows due `{due_after}` (was `{due_before}`), the store {}",
        after.due_date
    );
    assert!(
        text(c, "dl.facts")
            .await
            .contains("Veel gegevens in oude systemen")
    );
    assert_eq!(
        count(c, &format!("form[action='/cases/{}/extend']", young.id)).await,
        0,
        "an extended case can be extended again"
    );
    axe(c, axe_js, "case, extended (nl)").await;

    // --- The other pages, in Dutch. ---
    let incident = s.store.incidents().await.unwrap()[0].id.clone();
    let incident_page = format!("/breaches/{incident}");
    for (path, label) in [
        ("/breaches", "breach register (nl)"),
        (incident_page.as_str(), "breach, open (nl)"),
        ("/retention", "retention (nl)"),
        ("/consent", "consent (nl)"),
        (
            "/consent?subject=email%3Dnoor.jansen%40example.nl",
            "consent search (nl)",
        ),
        ("/register", "register (nl)"),
        ("/audit", "audit (nl)"),
        ("/cases?status=done", "queue, done filter (nl)"),
    ] {
        c.goto(&s.url(path)).await.unwrap();
        assert!(count(c, "main h1").await == 1, "{path} has no heading");
        axe(c, axe_js, label).await;
    }
    // The facts of the breach are filled in on the dashboard as they become known: the form
    // opens, keeps what was recorded, and its changes reach the register with who made them.
    c.goto(&s.url(&incident_page)).await.unwrap();
    c.find(Locator::Css("main details > summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(
        count(c, "input[name=nature][value=misdirected]:checked").await,
        1,
        "the form shows the nature recorded"
    );
    c.find(Locator::Css("input[name=nature][value=copied]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let people_max = c.find(Locator::Css("#people_max")).await.unwrap();
    people_max.clear().await.unwrap();
    people_max.send_keys("3").await.unwrap();
    c.find(Locator::Css("#measures_taken"))
        .await
        .unwrap()
        .send_keys("Ontvanger gevraagd de e-mail te verwijderen")
        .await
        .unwrap();
    axe(c, axe_js, "breach, facts form open (nl)").await;
    click_to_new_page(c, "form[action$='/facts'] button").await;
    assert_eq!(path(c).await, incident_page);
    let after = s.store.incident(&incident).await.unwrap();
    assert_eq!(after.facts.people_max, Some(3));
    assert_eq!(
        after.facts.nature,
        vec![
            waarborg_store::Nature::Copied,
            waarborg_store::Nature::Misdirected
        ]
    );
    assert_eq!(
        after.facts.measures_taken.as_deref(),
        Some("Ontvanger gevraagd de e-mail te verwijderen")
    );
    assert!(
        text(c, "main pre.letter").await.contains("gekopieerd"),
        "the AP notification follows the facts"
    );
    let events = s.store.incident_events(&incident).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.event, "updated");
    assert!(
        last.actor
            .as_deref()
            .is_some_and(|a| a.starts_with("user:")),
        "{:?}",
        last.actor
    );

    // The officer runs the retention sweep; its history grows.
    c.goto(&s.url("/retention")).await.unwrap();
    let sweeps_before = count(c, "main h2 + table tbody tr").await;
    click_to_new_page(c, "form[action='/retention/sweep'] button").await;
    assert_eq!(path(c).await, "/retention");
    assert_eq!(
        count(c, "main .notice[role=status]").await,
        1,
        "no notice after the sweep"
    );
    assert_eq!(
        count(c, "main h2 + table tbody tr").await,
        sweeps_before + 1,
        "the sweep is not in the history"
    );
    axe(c, axe_js, "retention after a sweep (nl)").await;
    for (path, label) in [
        ("/register/statement?lang=nl", "register statement (nl)"),
        ("/register/statement?lang=en", "register statement (en)"),
    ] {
        c.goto(&s.url(path)).await.unwrap();
        axe(c, axe_js, label).await;
    }
    c.goto(&s.url("/cases/no-such-case")).await.unwrap();
    assert_eq!(
        count(c, "main .notice.error").await,
        1,
        "no error page for an unknown case"
    );
    axe(c, axe_js, "error page (nl)").await;
    c.goto(&s.url("/cases")).await.unwrap();
    logout(c).await;
    let dead = http
        .get(s.url("/cases"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        dead.status(),
        303,
        "the session still works after logging out"
    );

    // --- English: the operator reads English. ---
    login(c, s, OPERATOR).await;
    assert_eq!(
        c.find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap()
            .as_deref(),
        Some("en")
    );
    assert!(
        text(c, "main h1").await.contains("Requests") || text(c, "nav").await.contains("Requests")
    );
    axe(c, axe_js, "queue (en)").await;
    for (path, label) in [
        (format!("/cases/{}", received.id), "case, received (en)"),
        (
            format!("/cases/{}", overdue.id),
            "case, overdue verified (en)",
        ),
        (format!("/cases/{}", erasure.id), "case, done (en)"),
        (format!("/cases/{}", young.id), "case, extended (en)"),
        ("/retention".to_string(), "retention (en)"),
        ("/breaches".to_string(), "breach register (en)"),
        (
            format!("/breaches/{}", s.store.incidents().await.unwrap()[0].id),
            "breach (en)",
        ),
        ("/consent".to_string(), "consent (en)"),
        ("/register".to_string(), "register (en)"),
        ("/audit".to_string(), "audit (en)"),
        ("/cases/no-such-case".to_string(), "error page (en)"),
    ] {
        c.goto(&s.url(&path)).await.unwrap();
        axe(c, axe_js, label).await;
    }
    // The last state: refused (Art. 12(4)), with the reason and the right to complain.
    c.goto(&s.url(&format!("/cases/{}", overdue.id)))
        .await
        .unwrap();
    assert!(
        text(c, &format!("form[action='/cases/{}/reject']", overdue.id))
            .await
            .contains("Autoriteit Persoonsgegevens"),
        "the refusal form does not name the right to complain"
    );
    c.find(Locator::Css("#rej-reason"))
        .await
        .unwrap()
        .send_keys("Manifestly unfounded: the fifth identical request this month")
        .await
        .unwrap();
    click_to_new_page(
        c,
        &format!("form[action='/cases/{}/reject'] button", overdue.id),
    )
    .await;
    assert_eq!(
        s.store.case(&overdue.id).await.unwrap().status,
        CaseStatus::Rejected
    );
    assert_eq!(text(c, "dl.facts dd").await.trim(), "refused");
    axe(c, axe_js, "case, refused (en)").await;
    c.goto(&s.url("/cases")).await.unwrap();
    logout(c).await;

    // --- The auditor: sees the cases, gets no action forms, and a crafted POST is refused. ---
    login(c, s, AUDITOR).await;
    assert!(
        c.find_all(Locator::Css("main table tbody tr"))
            .await
            .unwrap()
            .len()
            >= 2,
        "the auditor sees no cases"
    );
    assert_eq!(
        count(c, "main form[method=post]").await,
        0,
        "the auditor is offered a form"
    );
    axe(c, axe_js, "queue, auditor (nl)").await;
    c.goto(&s.url(&format!("/cases/{}", received.id)))
        .await
        .unwrap();
    assert_eq!(
        count(c, "main form").await,
        0,
        "the auditor is offered case actions"
    );
    assert!(
        text(c, "dl.facts")
            .await
            .contains(&received.due_date.to_string())
    );
    axe(c, axe_js, "case, auditor (nl)").await;
    c.goto(&s.url("/retention")).await.unwrap();
    assert_eq!(
        count(c, "main form").await,
        0,
        "the auditor is offered a sweep"
    );
    let csrf = c
        .find(Locator::Css("form[action='/logout'] input[name=csrf]"))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    assert!(!csrf.is_empty());
    let cookie = session_cookie(c).await;
    let before = s.store.case(&received.id).await.unwrap();
    let cases_before = s
        .store
        .list_cases(&CaseFilter::default())
        .await
        .unwrap()
        .len();
    let audit_before = waarborg_app::audit::verify(&s.store, None)
        .await
        .unwrap()
        .entries;
    for (action, form) in [
        (
            "extend",
            vec![
                ("csrf", csrf.as_str()),
                ("months", "2"),
                ("reason", "auditor"),
            ],
        ),
        (
            "verify",
            vec![("csrf", csrf.as_str()), ("method", "auditor")],
        ),
        (
            "reject",
            vec![("csrf", csrf.as_str()), ("reason", "auditor")],
        ),
    ] {
        let r = http
            .post(s.url(&format!("/cases/{}/{action}", received.id)))
            .header("cookie", &cookie)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "the auditor's {action} was not refused");
        // Refused for the role, not for the token: the CSRF token is the session's own.
        let body = r.text().await.unwrap();
        assert!(
            body.contains("your role (auditor) may not do this"),
            "the auditor's {action} was refused for another reason: {body}"
        );
    }
    let r = http
        .post(s.url("/cases"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "access"),
            ("subject", "email=x@example.nl"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "the auditor opened a case");
    // Nothing changed: the case, the number of cases, the audit trail.
    let after = s.store.case(&received.id).await.unwrap();
    assert_eq!(after.status, before.status);
    assert_eq!(after.due_at, before.due_at);
    assert_eq!(after.extended, before.extended);
    assert_eq!(after.verification, before.verification);
    assert_eq!(
        s.store
            .list_cases(&CaseFilter::default())
            .await
            .unwrap()
            .len(),
        cases_before,
        "a case was opened by the auditor"
    );
    assert_eq!(
        waarborg_app::audit::verify(&s.store, None)
            .await
            .unwrap()
            .entries,
        audit_before,
        "the auditor's refused posts left audit entries"
    );
    logout(c).await;
    c.goto(&s.url("/cases")).await.unwrap();
    assert_eq!(path(c).await, "/login", "logged out, yet in");
}
