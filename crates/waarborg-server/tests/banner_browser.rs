#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The cookie banner in a real headless Chromium (Debian's `chromium` + `chromium-driver` over
//! WebDriver, driven by fantoccini), on the demo shop page `waarborg serve --demo` serves:
//!
//! - before a choice no cookie at all is set and no inert script has run;
//! - the first layer shows "reject all" and "accept all" side by side, reachable by keyboard
//!   only, with a visible focus ring; "reject all" by keyboard leaves only necessary cookies;
//! - the choice is remembered (no banner on the next page), the reopen link brings it back;
//!   "accept all" runs the analytics and advertising stand-ins, which set their cookies;
//! - per-category choice on the second layer;
//! - a browser with Global Privacy Control (`navigator.globalPrivacyControl`, injected before
//!   any page script with the DevTools command `Page.addScriptToEvaluateOnNewDocument`; and
//!   separately a browser that only sends `Sec-GPC: 1`, set with `Network.setExtraHTTPHeaders`)
//!   gets "reject all" without a banner, recorded as a GPC refusal, and can still choose otherwise;
//! - every choice is read back from the consent ledger through the store;
//! - axe-core finds no serious or critical violation on the shop page with the banner open
//!   (both layers) and on `/cookies` in Dutch and English.
//!
//! Needs Chromium, chromedriver and axe-core like `tests/browser.rs` (it fails, naming them,
//! when they are missing).

mod browser_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use browser_common::*;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use waarborg_app::{LoadedRegister, Workspace};
use waarborg_server::{AppState, BannerSettings, ServerConfig};
use waarborg_store::{ConsentAction, Store};

const NECESSARY: [&str; 2] = ["session_id", "waarborg_consent"];

struct Server {
    base: String,
    store: Store,
    register_digest: String,
    running: waarborg_server::Running,
    _dir: tempfile::TempDir,
}

/// The demo organisation served as `waarborg serve --demo` does (demo shop page on).
async fn start_server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut quiet = |_: &str| {};
    let org = waarborg_app::demo::build(&dir.path().join("demo"), &mut quiet)
        .await
        .unwrap();
    let register = LoadedRegister::load(&org.policy).unwrap();
    let register_digest = register.digest.clone();
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
    let config = ServerConfig {
        public_url: None,
        data_dir: org.folder.join("data"),
        session_ttl: Duration::from_secs(3600),
        time_zone: waarborg_app::config::time_zone(None).unwrap(),
        schema_check: None,
    };
    let state = AppState::new(store.clone(), ws, config)
        .unwrap()
        .with_banner(BannerSettings {
            demo: true,
            ..BannerSettings::default()
        })
        .unwrap();
    let state = Arc::new(state);
    let running = waarborg_server::spawn(state, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let addr = running.addr;
    Server {
        base: format!("http://{addr}"),
        store,
        register_digest,
        running,
        _dir: dir,
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The last ledger event of the visitor for `purpose`.
    async fn last_event(&self, visitor: &str, purpose: &str) -> waarborg_store::ConsentEvent {
        self.store
            .consent_events(&format!("visitor:{visitor}"), purpose)
            .await
            .unwrap()
            .pop()
            .unwrap_or_else(|| panic!("no ledger event of visitor {visitor} for {purpose}"))
    }

    async fn in_force(&self, visitor: &str, purpose: &str) -> bool {
        self.store
            .consent_state(&format!("visitor:{visitor}"), Some(purpose))
            .await
            .unwrap()
            .first()
            .is_some_and(|s| s.in_force())
    }
}

/// A DevTools command through chromedriver's `goog/cdp/execute`.
async fn cdp(driver: &Driver, c: &Client, cmd: &str, params: Value) {
    let sid = c.session_id().await.unwrap().unwrap();
    let r = reqwest::Client::new()
        .post(format!("{}/session/{sid}/goog/cdp/execute", driver.url))
        .json(&json!({"cmd": cmd, "params": params}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "CDP {cmd}: {}", r.status());
}

async fn cookie_names(c: &Client) -> Vec<String> {
    let mut v: Vec<String> = c
        .get_all_cookies()
        .await
        .unwrap()
        .iter()
        .map(|k| k.name().to_owned())
        .collect();
    v.sort();
    v
}

/// Waits until `js` (an expression) is truthy.
async fn wait_for(c: &Client, js: &str, what: &str) {
    let start = Instant::now();
    loop {
        let v = c
            .execute(&format!("return !!({js});"), vec![])
            .await
            .unwrap();
        if v == json!(true) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "waited 10 s for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn banner_open(c: &Client) {
    wait_for(
        c,
        "document.querySelector('.wb-banner[role=dialog] .wb-row button')",
        "the banner",
    )
    .await;
}

async fn banner_closed(c: &Client) {
    wait_for(
        c,
        "!document.querySelector('.wb-banner')",
        "the banner to close",
    )
    .await;
}

/// The visitor id in the choice cookie.
async fn visitor(c: &Client) -> String {
    wait_for(
        c,
        "document.cookie.indexOf('waarborg_consent=') >= 0",
        "the choice cookie",
    )
    .await;
    let v = c
        .execute(
            "const k = document.cookie.split('; ').find(x => x.startsWith('waarborg_consent='));
             return JSON.parse(decodeURIComponent(k.slice(17))).v;",
            vec![],
        )
        .await
        .unwrap();
    let id = v.as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32, "visitor id {id}");
    id
}

/// The banner's buttons in order, as the visitor reads them.
async fn buttons(c: &Client) -> Vec<String> {
    let mut out = Vec::new();
    for b in c
        .find_all(Locator::Css(".wb-banner .wb-row button"))
        .await
        .unwrap()
    {
        out.push(b.text().await.unwrap());
    }
    out
}

async fn click_button(c: &Client, label: &str) {
    for b in c
        .find_all(Locator::Css(".wb-banner .wb-row button"))
        .await
        .unwrap()
    {
        if b.text().await.unwrap() == label {
            b.click().await.unwrap();
            return;
        }
    }
    panic!("no banner button `{label}`: {:?}", buttons(c).await);
}

fn only_necessary(names: &[String]) -> bool {
    names.iter().all(|n| NECESSARY.contains(&n.as_str()))
}

async fn press(c: &Client, key: Key) {
    c.active_element()
        .await
        .unwrap()
        .send_keys(&key.to_string())
        .await
        .unwrap();
}

async fn focused_text(c: &Client) -> String {
    c.active_element().await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cookie_banner_in_a_real_browser() {
    let axe_js = axe_source();
    let s = start_server().await;
    let driver = start_driver().await;
    let shop = s.url("/demo/shop");

    // --- Dutch visitor: nothing before a choice. ---
    let c = connect_browser(&driver, "nl-NL,nl").await;
    c.goto(&shop).await.unwrap();
    banner_open(&c).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        cookie_names(&c).await.is_empty(),
        "cookies before a choice: {:?}",
        cookie_names(&c).await
    );
    let ran = c
        .execute(
            "return document.documentElement.getAttribute('data-demo-analytics');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        ran,
        Value::Null,
        "the analytics stand-in ran before a choice"
    );
    // Both choices on the first layer, the same size and style.
    assert_eq!(
        buttons(&c).await,
        ["Alles weigeren", "Alles accepteren", "Zelf kiezen"]
    );
    let look = c
        .execute(
            "const b = document.querySelectorAll('.wb-banner .wb-row button');
             const st = e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
               return [s.backgroundColor, s.color, s.fontSize, s.fontWeight, Math.round(r.height)].join('|'); };
             return [st(b[0]), st(b[1])];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        look[0], look[1],
        "reject and accept are not equally prominent"
    );
    let dialog = c
        .execute(
            "const d = document.querySelector('.wb-banner');
             return [d.getAttribute('role'), document.getElementById(d.getAttribute('aria-labelledby')).textContent];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(dialog, json!(["dialog", "Cookies op deze website"]));
    axe(&c, &axe_js, "shop with the banner (nl)").await;

    // --- Keyboard only: the banner has the focus; Tab reaches both buttons; Enter rejects. ---
    c.goto(&shop).await.unwrap();
    banner_open(&c).await;
    let active = c
        .execute(
            "return document.activeElement.classList.contains('wb-banner');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(active, json!(true), "the banner does not get the focus");
    press(&c, Key::Tab).await;
    assert_eq!(focused_text(&c).await, "Alles weigeren");
    let ring = c
        .execute(
            "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ring[0], "solid", "no visible focus ring: {ring}");
    press(&c, Key::Tab).await;
    assert_eq!(focused_text(&c).await, "Alles accepteren");
    // Shift+Tab goes back.
    c.active_element()
        .await
        .unwrap()
        .send_keys(&format!("{}{}{}", Key::Shift, Key::Tab, Key::Null))
        .await
        .unwrap();
    assert_eq!(focused_text(&c).await, "Alles weigeren");
    press(&c, Key::Enter).await;
    banner_closed(&c).await;
    let v1 = visitor(&c).await;
    let names = cookie_names(&c).await;
    assert!(only_necessary(&names), "after reject all: {names:?}");
    assert_eq!(names, ["waarborg_consent"]);
    for purpose in ["analytics", "advertising"] {
        let e = s.last_event(&v1, purpose).await;
        assert_eq!(e.action, ConsentAction::Withdrawn, "{purpose}");
        assert_eq!(e.source, "cookie-banner");
        assert!(!s.in_force(&v1, purpose).await);
    }

    // The choice is remembered: no banner on the next page view, nothing runs.
    c.goto(&shop).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        c.execute("return !!document.querySelector('.wb-banner');", vec![])
            .await
            .unwrap(),
        json!(false),
        "the banner asks again after a choice"
    );
    assert!(only_necessary(&cookie_names(&c).await));

    // --- Reopen, accept all: the stand-ins run and set their cookies. ---
    c.find(Locator::Css("[data-waarborg-reopen]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    banner_open(&c).await;
    click_button(&c, "Alles accepteren").await;
    banner_closed(&c).await;
    wait_for(
        &c,
        "document.cookie.indexOf('_stats_id=') >= 0 && document.cookie.indexOf('_ad_id=') >= 0",
        "the analytics and advertising cookies",
    )
    .await;
    assert_eq!(visitor(&c).await, v1, "the visitor id changed on reopening");
    let g = s.last_event(&v1, "analytics").await;
    assert_eq!(g.action, ConsentAction::Granted);
    assert_eq!(g.register_hash.as_deref(), Some(s.register_digest.as_str()));
    assert!(
        g.wording.as_deref().unwrap().contains("_stats_id"),
        "the wording shown is not kept: {:?}",
        g.wording
    );
    assert!(s.in_force(&v1, "advertising").await);

    // --- Second layer, a fresh visitor: analytics only. ---
    c.delete_all_cookies().await.unwrap();
    c.goto(&shop).await.unwrap();
    banner_open(&c).await;
    click_button(&c, "Zelf kiezen").await;
    wait_for(
        &c,
        "document.querySelector('#wb-cat-analytics')",
        "the second layer",
    )
    .await;
    assert_eq!(
        buttons(&c).await,
        [
            "Keuze opslaan",
            "Alles weigeren",
            "Alles accepteren",
            "Terug"
        ]
    );
    let necessary = c
        .execute(
            "const n = document.querySelector('#wb-cat-necessary'); return [n.checked, n.disabled];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(necessary, json!([true, true]));
    axe(&c, &axe_js, "shop with the second layer (nl)").await;
    c.find(Locator::Css("label[for=wb-cat-analytics]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_button(&c, "Keuze opslaan").await;
    banner_closed(&c).await;
    wait_for(
        &c,
        "document.cookie.indexOf('_stats_id=') >= 0",
        "the analytics cookie",
    )
    .await;
    let v2 = visitor(&c).await;
    assert_ne!(v2, v1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let names = cookie_names(&c).await;
    assert!(
        !names.contains(&"_ad_id".to_owned()),
        "advertising cookie without consent: {names:?}"
    );
    assert!(s.in_force(&v2, "analytics").await);
    assert!(!s.in_force(&v2, "advertising").await);

    // --- /cookies in Dutch (Accept-Language) and English (?lang=en). ---
    c.goto(&s.url("/cookies")).await.unwrap();
    let h1 = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(h1, "Cookies");
    let lang = c
        .execute("return document.documentElement.lang;", vec![])
        .await
        .unwrap();
    assert_eq!(lang, json!("nl"));
    let body = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("_stats_id") && body.contains("13 maanden"),
        "{body}"
    );
    axe(&c, &axe_js, "/cookies (nl)").await;
    c.goto(&s.url("/cookies?lang=en")).await.unwrap();
    let body = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("13 months") && body.contains("Only with your consent"),
        "{body}"
    );
    axe(&c, &axe_js, "/cookies (en)").await;
    c.close().await.unwrap();

    // --- Global Privacy Control in the browser: reject all, recorded as such, no banner. ---
    let g = connect_browser(&driver, "en-GB,en").await;
    cdp(
        &driver,
        &g,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true});"}),
    )
    .await;
    g.goto(&shop).await.unwrap();
    let v3 = visitor(&g).await;
    assert_eq!(
        g.execute("return navigator.globalPrivacyControl;", vec![])
            .await
            .unwrap(),
        json!(true)
    );
    assert_eq!(
        g.execute("return !!document.querySelector('.wb-banner');", vec![])
            .await
            .unwrap(),
        json!(false),
        "a GPC browser is asked anyway"
    );
    assert!(only_necessary(&cookie_names(&g).await));
    for purpose in ["analytics", "advertising"] {
        let e = s.last_event(&v3, purpose).await;
        assert_eq!(e.action, ConsentAction::Withdrawn);
        assert_eq!(e.source, waarborg_app::banner::SOURCE_GPC);
    }
    // ... unless the visitor chooses otherwise.
    g.find(Locator::Css("[data-waarborg-reopen]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    banner_open(&g).await;
    assert!(
        g.find(Locator::Css(".wb-gpc"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("Global Privacy Control")
    );
    axe(&g, &axe_js, "shop with the banner after GPC (en)").await;
    click_button(&g, "Accept all").await;
    banner_closed(&g).await;
    wait_for(
        &g,
        "document.cookie.indexOf('_stats_id=') >= 0",
        "the analytics cookie",
    )
    .await;
    let e = s.last_event(&v3, "analytics").await;
    assert_eq!(
        (e.action, e.source.as_str()),
        (ConsentAction::Granted, "cookie-banner")
    );
    g.close().await.unwrap();

    // --- Only the Sec-GPC header (the server sees it): reject all too. ---
    let h = connect_browser(&driver, "nl-NL,nl").await;
    cdp(&driver, &h, "Network.enable", json!({})).await;
    cdp(
        &driver,
        &h,
        "Network.setExtraHTTPHeaders",
        json!({"headers": {"Sec-GPC": "1"}}),
    )
    .await;
    h.goto(&shop).await.unwrap();
    let v4 = visitor(&h).await;
    let e = s.last_event(&v4, "analytics").await;
    assert_eq!(
        (e.action, e.source.as_str()),
        (ConsentAction::Withdrawn, waarborg_app::banner::SOURCE_GPC)
    );
    assert!(only_necessary(&cookie_names(&h).await));
    h.close().await.unwrap();

    let _ = s.running.stop().await;
}
