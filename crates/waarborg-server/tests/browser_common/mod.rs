//! What the browser tests share: chromedriver and headless Chromium (Debian's packages; the
//! tests fail naming what to install when they are missing), a click that waits for the next
//! page, and axe-core run on the current page (no serious or critical violation allowed).
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A program from `env` or the first of `candidates` that exists (absolute, or on PATH).
pub fn find_program(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for c in candidates {
        let p = Path::new(c);
        if p.is_absolute() {
            if p.is_file() {
                return Some(p.to_path_buf());
            }
            continue;
        }
        for dir in std::env::split_paths(&path) {
            let full = dir.join(c);
            if full.is_file() {
                return Some(full);
            }
        }
    }
    None
}

pub const INSTALL: &str = "the browser tests need Debian's Chromium and its WebDriver: \
    `apt-get install -y chromium chromium-driver` (.ci/run installs them), or point \
    WAARBORG_CHROMEDRIVER / WAARBORG_CHROMIUM at them";

/// axe-core's browser bundle.
pub fn axe_source() -> String {
    let path = std::env::var_os("WAARBORG_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/axe/node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing at {} ({e}): install it with \
             `npm install --prefix target/axe axe-core@4` (.ci/run does), or set WAARBORG_AXE_JS \
             to axe.min.js",
            path.display()
        )
    })
}

/// chromedriver as a child process, killed when dropped.
pub struct Driver {
    child: Child,
    /// Where chromedriver answers.
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver (`WAARBORG_CHROMEDRIVER`, else Debian's), started on a free port; fails loudly
/// when it or Chromium is missing.
pub async fn start_driver() -> Driver {
    let exe = find_program(
        "WAARBORG_CHROMEDRIVER",
        &["/usr/bin/chromedriver", "chromedriver"],
    )
    .unwrap_or_else(|| panic!("chromedriver not found; {INSTALL}"));
    assert!(
        find_program("WAARBORG_CHROMIUM", &["/usr/bin/chromium", "chromium"]).is_some(),
        "chromium not found; {INSTALL}"
    );
    let port = free_port();
    let child = Command::new(&exe)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}; {INSTALL}", exe.display()));
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::Client::new();
    let start = Instant::now();
    loop {
        if let Ok(r) = http.get(format!("{}/status", driver.url)).send().await
            && r.status().is_success()
        {
            return driver;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not answer on {} within 20 s",
            driver.url
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A Chromium session whose `Accept-Language` is `lang`.
pub async fn connect_browser(driver: &Driver, lang: &str) -> Client {
    let mut opts = json!({
        "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"],
        "prefs": {"intl.accept_languages": lang},
    });
    if let Some(bin) = find_program("WAARBORG_CHROMIUM", &["/usr/bin/chromium", "chromium"]) {
        opts["binary"] = json!(bin);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), opts);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("cannot start a Chromium session: {e}; {INSTALL}"))
}

/// Clicks the element at `css`, which submits a form or follows a link, and waits until the
/// browser shows the new page (a click does not always wait for the navigation it starts).
pub async fn click_to_new_page(c: &Client, css: &str) {
    let el = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no `{css}` on the page: {e}"));
    c.execute("window.__wb_old_page = true;", vec![])
        .await
        .unwrap();
    el.click().await.unwrap();
    let start = Instant::now();
    loop {
        let state = c
            .execute(
                "return window.__wb_old_page === true ? 'old' : document.readyState;",
                vec![],
            )
            .await;
        if let Ok(Value::String(s)) = state
            && s == "complete"
        {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "clicking `{css}` led to no new page within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no `{css}` on the page: {e}"))
        .text()
        .await
        .unwrap()
}

/// Runs axe-core on the current page; fails on `serious` or `critical` violations and prints
/// the others. Returns the number of violations of lower impact.
pub async fn axe(c: &Client, axe_js: &str, label: &str) -> usize {
    let result = axe_run(c, axe_js, label).await;
    assert!(
        result.passes >= 10,
        "axe-core checked only {} rules on {label}: did it run?",
        result.passes
    );
    for v in &result.incomplete {
        eprintln!(
            "axe {label}: to review by hand: {} ({}): {} at {}",
            v["id"], v["impact"], v["help"], v["nodes"]
        );
    }
    let (bad, minor): (Vec<Value>, Vec<Value>) = result
        .violations
        .into_iter()
        .partition(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")));
    for v in &minor {
        eprintln!(
            "axe {label}: {} ({}): {} at {}",
            v["id"], v["impact"], v["help"], v["nodes"]
        );
    }
    assert!(
        bad.is_empty(),
        "axe-core finds serious or critical violations on {label}:\n{}",
        serde_json::to_string_pretty(&bad).unwrap()
    );
    eprintln!(
        "axe {label}: {} rules pass, no serious or critical violations ({} minor, {} to review)",
        result.passes,
        minor.len(),
        result.incomplete.len()
    );
    minor.len()
}

/// What axe-core finds on the current page.
pub struct AxeResult {
    /// Rules broken.
    pub violations: Vec<Value>,
    /// Rules axe could not decide (e.g. contrast over a background image): to review.
    pub incomplete: Vec<Value>,
    /// How many rules passed.
    pub passes: usize,
}

/// Runs axe-core (all rules but the experimental ones) on the current page.
pub async fn axe_run(c: &Client, axe_js: &str, label: &str) -> AxeResult {
    // Injected through WebDriver (the DevTools protocol evaluates it): the page's CSP, which
    // forbids inline scripts, does not apply to it.
    let loaded = c
        .execute(&format!("{axe_js}\n;return typeof window.axe;"), vec![])
        .await
        .unwrap();
    assert_eq!(loaded, json!("object"), "axe-core did not load on {label}");
    // Judge the page at rest: a focused skip link would cover the header.
    c.execute(
        "document.activeElement && document.activeElement.blur();",
        vec![],
    )
    .await
    .unwrap();
    let out = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               const brief = list => list.map(v => ({
                   id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
               axe.run(document)
                 .then(r => done({violations: brief(r.violations),
                                  incomplete: brief(r.incomplete),
                                  passes: r.passes.length}))
                 .catch(e => done({error: String(e)}));"#,
            vec![],
        )
        .await
        .unwrap();
    if let Some(e) = out.get("error") {
        panic!("axe-core failed on {label}: {e}");
    }
    let list = |k: &str| {
        out[k]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("axe-core answered {out} on {label}"))
    };
    AxeResult {
        violations: list("violations"),
        incomplete: list("incomplete"),
        passes: out["passes"].as_u64().unwrap_or(0) as usize,
    }
}
