#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `waarborg read`: formats, folders, order, unreadable files, --out, --draft-policy, size limit.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_waarborg"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../waarborg-reader/tests/fixtures")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn json_for_one_file() {
    let f = fixture("problems_nl_terms.txt");
    let out = run(&["read", s(&f), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["doc_type"], "terms");
    assert!(
        v["source"]
            .as_str()
            .unwrap()
            .ends_with("problems_nl_terms.txt")
    );
    assert!(!v["problems"].as_array().unwrap().is_empty());
}

#[test]
fn folder_in_input_order_with_jsonl_and_json_array() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "problems_nl_terms.txt",
        "problems_en_dpa.txt",
        "problems_en_privacy.txt",
    ] {
        std::fs::copy(fixture(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("ignored.csv"), "a,b").unwrap();
    let out = run(&["read", s(dir.path()), "--format", "jsonl", "-j", "2"]);
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let sources: Vec<&str> = lines
        .iter()
        .map(|v| v["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 3);
    assert!(sources[0].ends_with("problems_en_dpa.txt"));
    assert!(sources[1].ends_with("problems_en_privacy.txt"));
    assert!(sources[2].ends_with("problems_nl_terms.txt"));

    let out = run(&["read", s(dir.path()), "--format", "json"]);
    let arr: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(arr.as_array().unwrap().len(), 3);
}

#[test]
fn json_out_folder_one_file_per_input() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pred");
    let a = fixture("problems_nl_terms.txt");
    let b = fixture("problems_en_dpa.txt");
    let out = run(&[
        "read",
        s(&a),
        s(&b),
        "--format",
        "json",
        "--out",
        s(&out_dir),
    ]);
    assert!(out.status.success());
    for stem in ["problems_nl_terms", "problems_en_dpa"] {
        let v: Value = serde_json::from_str(
            &std::fs::read_to_string(out_dir.join(format!("{stem}.json"))).unwrap(),
        )
        .unwrap();
        assert!(v["problems"].is_array());
    }
}

#[test]
fn unreadable_file_is_reported_and_the_rest_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let good = fixture("problems_en_dpa.txt");
    let out = run(&["read", s(&missing), s(&good), "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing.txt"), "{err}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.contains("problems_en_dpa.txt"));
}

#[test]
fn sarif_and_html_and_human() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture("problems_nl_privacy_defects.txt");
    let out = run(&["read", s(&f), "--format", "sarif"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());

    let page = dir.path().join("page.html");
    let out = run(&["read", s(&f), "--format", "html", "--out", s(&page)]);
    assert!(out.status.success());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("RD-OUTDATED-WBP"));

    let out = run(&["read", s(&f)]);
    let text = String::from_utf8(out.stdout).unwrap();
    // a Dutch document: the human report is in Dutch ("regel" for line)
    assert!(
        text.contains("RD-COOKIE-IMPLIED") && text.contains("regel "),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when not on a terminal");

    // several files as html need a folder
    let g = fixture("problems_en_dpa.txt");
    let out = run(&["read", s(&f), s(&g), "--format", "html"]);
    assert_eq!(out.status.code(), Some(2));
    let pages = dir.path().join("pages");
    let out = run(&["read", s(&f), s(&g), "--format", "html", "--out", s(&pages)]);
    assert!(out.status.success());
    assert!(pages.join("problems_en_dpa.html").exists());
}

#[test]
fn draft_policy_loads_in_lint() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft.toml");
    let f = fixture("problems_nl_privacy_defects.txt");
    let out = run(&[
        "read",
        s(&f),
        "--format",
        "jsonl",
        "--draft-policy",
        s(&draft),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = std::fs::read_to_string(&draft).unwrap();
    assert!(toml.contains("[controller]"));
    let lint = run(&["lint", s(&draft), "--format", "json"]);
    // 0 or 1 (findings), never 2 (could not load)
    assert_ne!(
        lint.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
}

#[test]
fn a_100_mb_input_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        let line = "Wij bewaren uw gegevens 7 jaar. ".repeat(32);
        let mut written = 0usize;
        while written < 100 * 1024 * 1024 {
            f.write_all(line.as_bytes()).unwrap();
            f.write_all(b"\n").unwrap();
            written += line.len() + 1;
        }
    }
    let out = run(&["read", s(&big), "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("big.txt") && err.contains("limit"), "{err}");
}

#[test]
fn an_image_or_empty_file_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("scan.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01").unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"  \n").unwrap();
    for f in [&png, &empty] {
        let out = run(&["read", s(f), "--format", "json"]);
        assert_eq!(out.status.code(), Some(2), "{}", f.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a readable document"), "{err}");
        assert!(
            out.stdout.is_empty() || !String::from_utf8_lossy(&out.stdout).contains("problems")
        );
    }
}

/// `read DIR` with a symbolic link loop and a FIFO named `*.txt` in it: the loop is listed
/// once, the FIFO skipped with a warning (never opened, so nothing blocks), the real file read.
#[test]
fn folder_with_a_link_loop_and_a_fifo_finishes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("problems_nl_terms.txt"),
        dir.path().join("terms.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let fifo = dir.path().join("pipe.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut child = bin()
        .args(["read", s(dir.path()), "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if t0.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("read DIR did not finish in 60 s (a loop or a blocking FIFO)");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("pipe.txt: not a regular file"), "{err}");
    assert!(err.contains("listed already"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["source"].as_str().unwrap().ends_with("terms.txt"), "{v}");
}

/// Outputs only write: `--draft-policy` (like every output path of the CLI, through
/// `waarborg_engine::write_output`) writes a symbolic link's target and leaves the link a link,
/// and writes a device in place (`/dev/null` stays a character device).
#[test]
fn draft_policy_through_a_link_and_to_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.toml");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let f = fixture("problems_nl_privacy_defects.txt");
    for out_path in [link.as_path(), Path::new("/dev/null")] {
        let out = run(&[
            "read",
            s(&f),
            "--format",
            "jsonl",
            "--draft-policy",
            s(out_path),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("[controller]")
    );
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

/// `waarborg rules` lists the reader's RD rules after the register rules, shows one by code
/// (an `RD-OUTDATED-*` code through the shared entry), and gives them as JSON with --reader.
#[test]
fn rules_lists_the_reader_rules() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("WB007") && text.contains("RD-PENALTY-MODERATION"),
        "{text}"
    );
    let o = run(&["rules", "RD-OUTDATED-WBP"]);
    assert_eq!(o.status.code(), Some(0));
    let doc = String::from_utf8_lossy(&o.stdout);
    assert!(doc.contains("## Nederlands"), "{doc}");
    assert!(doc.contains("niet meer geldt"), "{doc}");
    let o = run(&["rules", "--reader", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = v.as_array().unwrap();
    assert!(rules.len() >= 40);
    for r in rules {
        assert!(r["code"].as_str().unwrap().starts_with("RD-"));
        assert!(!r["law"].as_str().unwrap().is_empty());
        assert!(!r["title_nl"].as_str().unwrap().is_empty());
    }
    assert_eq!(run(&["rules", "RD-NO-SUCH-RULE"]).status.code(), Some(2));
}

#[test]
fn lang_sets_the_language_of_the_human_and_html_reports() {
    let f = fixture("report_nl_bakery.txt");
    // a Dutch document: Dutch by default
    let out = run(&["read", s(&f)]);
    assert!(out.status.success());
    let nl = String::from_utf8(out.stdout).unwrap();
    assert!(
        nl.contains("VEROUDERDE VERWIJZINGEN") && nl.contains("regel "),
        "{nl}"
    );
    assert!(nl.contains("geldt niet meer sinds"), "{nl}");
    // --lang en: English
    let out = run(&["read", s(&f), "--lang", "en"]);
    assert!(out.status.success());
    let en = String::from_utf8(out.stdout).unwrap();
    assert!(
        en.contains("OUTDATED REFERENCES") && en.contains("line "),
        "{en}"
    );
    assert!(
        en.contains("no longer applies since") && !en.contains("geldt niet meer"),
        "{en}"
    );
    // an English document with --lang nl: Dutch
    let g = fixture("problems_en_privacy.txt");
    let out = run(&["read", s(&g), "--lang", "nl"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("problemen") && text.contains("wet: "),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let out = run(&["read", s(&f), "--format", "html", "--out", s(&page)]);
    assert!(out.status.success());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<html lang=\"nl\">") && html.contains("<h2>Problemen</h2>"));
    let out = run(&[
        "read",
        s(&f),
        "--format",
        "html",
        "--lang",
        "en",
        "--out",
        s(&page),
    ]);
    assert!(out.status.success());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("<h2>Problems</h2>"));

    // JSON is the same whatever --lang says, and English
    let a = run(&["read", s(&f), "--format", "json"]).stdout;
    let b = run(&["read", s(&f), "--format", "json", "--lang", "nl"]).stdout;
    assert_eq!(a, b);
    assert!(
        String::from_utf8(a)
            .unwrap()
            .contains("no longer applies since")
    );

    // an unknown language is a usage error
    let out = run(&["read", s(&f), "--lang", "de"]);
    assert_eq!(out.status.code(), Some(2));
}
