#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! What a person reads, pinned: for the demo shop and the five seed organisations
//! (examples/<org>/policy.toml with its datasets.toml and SQL, on SQLite), the Art. 15(1)
//! information in Dutch and English with the export's `information.txt`, the erasure
//! certificate and the sweep report. Times the run itself stamps are redacted.

mod common;

use common::*;
use waarborg_engine::{
    Datasets, Engine, EraseOptions, Lang, Subject, SweepOptions, art15_info, run_script,
    write_access_export,
};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/");

#[tokio::test]
async fn access_information_certificate_and_sweep_texts() {
    let demo = [("demo", "shop", "sanne.devries@example.nl")];
    let seeds = SEEDS.iter().map(|s| (s.org, s.db, s.erase));
    for (org, dbname, person) in demo.into_iter().chain(seeds) {
        let dir = format!("{EXAMPLES}{org}/");
        let db = new_db(Kind::Sqlite).await;
        run_script(
            &db.url,
            &std::fs::read_to_string(format!("{dir}{org}.sql")).unwrap(),
        )
        .await
        .unwrap();
        let ds = Datasets::load(std::path::Path::new(&format!("{dir}datasets.toml"))).unwrap();
        let reg = waarborg_policy::load_file(format!("{dir}policy.toml")).unwrap();
        let engine = Engine::connect(&ds, &[(dbname.into(), db.url.clone())])
            .await
            .unwrap();
        let who = Subject::new("email", person);
        let report = engine.access(&who).await.unwrap();
        for (lang, code) in [(Lang::Nl, "nl"), (Lang::En, "en")] {
            let info = art15_info(Some(&reg), &report, lang);
            insta::assert_json_snapshot!(format!("{org}_art15_{code}"), info);
            let out = tempfile::tempdir().unwrap();
            write_access_export(out.path(), &report, &info).unwrap();
            let text = std::fs::read_to_string(out.path().join("information.txt")).unwrap();
            let html = std::fs::read_to_string(out.path().join("information.html")).unwrap();
            let html_body = html.split("</style>").nth(1).unwrap_or_default();
            for letter in [text.as_str(), html_body] {
                assert_plain(letter, lang, &format!("{org} {code}"));
            }
            assert!(
                html.starts_with("<!doctype html>")
                    && html.contains(&format!("<html lang=\"{code}\">"))
            );
            insta::assert_snapshot!(format!("{org}_information_{code}"), text);
        }
        let opts = EraseOptions {
            now: Some(now()),
            hash_key: Some(b"texts".to_vec()),
            request_id: Some("texts".into()),
            ..EraseOptions::default()
        };
        let cert = engine.erase(&who, Some(&reg), &opts).await.unwrap();
        insta::assert_json_snapshot!(format!("{org}_certificate"), cert, {
            ".started_at" => "[time]",
            ".finished_at" => "[time]",
        });
        let sweep = engine
            .sweep(
                &reg,
                now(),
                &SweepOptions {
                    hash_key: Some(b"texts".to_vec()),
                    ..SweepOptions::default()
                },
            )
            .await
            .unwrap();
        insta::assert_json_snapshot!(format!("{org}_sweep"), sweep);
    }
}

/// A text meant for a person holds no register key, fideslang code, ISO duration, template
/// placeholder or snake_case identifier, and a Dutch text no English legal citation.
fn assert_plain(text: &str, lang: Lang, what: &str) {
    for word in text.split(|c: char| c.is_whitespace() || "(),;:<>\"".contains(c)) {
        let w = word.trim_end_matches('.');
        assert!(
            !w.starts_with("user."),
            "{what}: fideslang key `{w}`\n{text}"
        );
        assert!(
            !w.contains('{') && !w.contains('}'),
            "{what}: placeholder `{w}`\n{text}"
        );
        let rest = w.strip_prefix('P').unwrap_or_default();
        let iso = rest.len() > 1
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || "YMWDTHS".contains(c))
            && rest.chars().any(|c| c.is_ascii_digit());
        assert!(!iso, "{what}: ISO duration `{w}`\n{text}");
        let snake = w.contains('_') && w.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        assert!(!snake, "{what}: identifier `{w}`\n{text}");
    }
    if lang == Lang::Nl {
        for english in ["GDPR", " from ", " the "] {
            assert!(
                !text.contains(english),
                "{what}: `{english}` in Dutch\n{text}"
            );
        }
    }
}
