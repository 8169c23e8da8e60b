#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The register commands end to end: `waarborg lint`, `waarborg rules`, `waarborg render`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> String {
    root()
        .join(format!("examples/{name}/policy.toml"))
        .display()
        .to_string()
}

fn waarborg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waarborg"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn lint_clean_demo_exits_0() {
    let o = waarborg(&["lint", "examples/demo/policy.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("0 errors"));
}

#[test]
fn lint_finding_exits_1_with_source_lines() {
    let o = waarborg(&["lint", "examples/kvgo/policy.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("error[WB007]"), "{out}");
    assert!(out.contains("--> examples/kvgo/policy.toml:"), "{out}");
    assert!(
        out.contains("| transfer_mechanism = \"privacy_shield\""),
        "{out}"
    );
    assert!(out.contains("= article:"), "{out}");
}

#[test]
fn lint_json_over_all_examples() {
    let names = [
        "demo",
        "crmned-kantoor",
        "kvgo",
        "cantorclin",
        "werktijden",
        "leerwerkburo",
    ];
    let paths: Vec<String> = names.iter().map(|n| example(n)).collect();
    let mut args = vec!["lint", "--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    let o = waarborg(&args);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), names.len());
    let codes = |i: usize| -> Vec<String> {
        files[i]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(codes(0).is_empty());
    assert!(codes(2).contains(&"WB007".to_owned()));
    assert!(codes(5).contains(&"WB032".to_owned()));
    let d = &files[2]["diagnostics"][0];
    assert!(d["location"]["line"].as_u64().unwrap() >= 1);
    assert!(v["summary"]["errors"].as_u64().unwrap() > 0);
}

#[test]
fn lint_sarif_is_2_1_0() {
    let o = waarborg(&[
        "lint",
        "--format",
        "sarif",
        "examples/leerwerkburo/policy.toml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert!(run["tool"]["driver"]["rules"].as_array().unwrap().len() >= 30);
    let r = &run["results"][0];
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/leerwerkburo/policy.toml"
    );
    assert!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            >= 1
    );
}

#[test]
fn lint_input_errors_exit_2() {
    let o = waarborg(&["lint", "does/not/exist.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read register `does/not/exist.toml`"),
        "{}",
        stderr(&o)
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("policy.toml");
    std::fs::write(
        &bad,
        "[statement]\nversion = \"1\"\neffective_date = 2026-01-01\n[controller]\nname = \"X\"\n\n[[retention]]\nid = \"r\"\ndata = []\nperiod = \"4 weeks\"\nfrom = \"collection\"\n",
    )
    .unwrap();
    let o = waarborg(&["lint", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("policy.toml:10:"), "{err}");
    assert!(err.contains("ISO 8601") && err.contains("P4W"), "{err}");

    let o = waarborg(&["lint", "--format", "xml", "examples/demo/policy.toml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn rules_lists_thirty_or_more_with_articles() {
    let o = waarborg(&["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = v.as_array().unwrap();
    assert!(rules.len() >= 30);
    for r in rules {
        assert!(r["code"].as_str().unwrap().starts_with("WB"));
        assert!(!r["article"].as_str().unwrap().is_empty());
        assert!(["error", "warning", "info"].contains(&r["severity"].as_str().unwrap()));
    }
    let o = waarborg(&["rules", "WB007"]);
    assert!(stdout(&o).contains("## Use instead"));
    let o = waarborg(&["rules", "WB999"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn render_statement_register_and_cookies() {
    let o = waarborg(&["render", "examples/demo/policy.toml", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("# Privacy statement of Voorbeeld Webwinkel B.V."));

    // A register with error-level findings is not published: exit 1, the findings with their
    // lines on standard error, nothing on standard output. `--draft` renders the marked draft.
    let o = waarborg(&[
        "render",
        "examples/cantorclin/policy.toml",
        "--lang",
        "nl",
        "--format",
        "html",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("is not ready to publish"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("error[WB063]"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("examples/cantorclin/policy.toml:"),
        "{}",
        stderr(&o)
    );
    let o = waarborg(&[
        "render",
        "examples/cantorclin/policy.toml",
        "--lang",
        "nl",
        "--format",
        "html",
        "--draft",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("<h1>Privacyverklaring van Cantorclin</h1>"));
    assert!(stdout(&o).contains("CONCEPT: niet publiceren"));
    assert!(stdout(&o).contains("ONTBREEKT: of wij automatische besluiten nemen (WB063)"));

    let o = waarborg(&[
        "render",
        "examples/demo/policy.toml",
        "--what",
        "register",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("controller,purpose_id,"));

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cookies.md");
    let o = waarborg(&[
        "render",
        "examples/demo/policy.toml",
        "--what",
        "cookies",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&out).unwrap().contains("_stats_id"));

    let o = waarborg(&["render", "missing.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: cannot read register"));
}

#[test]
fn odd_inputs_exit_2_with_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        ("latin1.toml", b"[statement]\nversion = \"caf\xe9\"\n", "latin1.toml:2:"),
        ("binary.toml", &[0x7f, b'E', b'L', b'F', 2, 1, 0xff, 0], "not UTF-8"),
        ("empty.toml", b"", "the register is empty"),
        ("unicode.toml", "[statement]\nversion = \"1\"\neffective_date = 2026-01-01\n[controller]\nname = \"x\"\n\"naïve-ключ\" = 1\n".as_bytes(), "unicode.toml:6:1"),
        ("deep.toml", b"", "deep.toml"),
    ];
    let deep = format!("a = {}{}\n", "[".repeat(5000), "]".repeat(5000));
    for (name, bytes, needle) in cases {
        let path = dir.path().join(name);
        if *name == "deep.toml" {
            std::fs::write(&path, &deep).unwrap();
        } else {
            std::fs::write(&path, bytes).unwrap();
        }
        for cmd in ["lint", "render"] {
            let o = waarborg(&[cmd, path.to_str().unwrap()]);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{cmd} {name}: {err}");
            assert!(err.contains(needle), "{cmd} {name}: {err}");
            assert!(!err.contains("panicked"), "{cmd} {name}: {err}");
            // A minified or deeply nested line is cut, not printed whole.
            assert!(err.lines().all(|l| l.chars().count() < 400), "{cmd} {name}");
        }
    }
    // A directory and a missing file: the reason once, not twice.
    for (path, reason) in [
        (dir.path().to_str().unwrap(), "directory"),
        ("no/such.toml", "No such file"),
    ] {
        let o = waarborg(&["render", path]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(stderr(&o).matches(reason).count(), 1, "{}", stderr(&o));
    }
}

#[test]
fn render_docx_needs_a_file_and_writes_one_a_zip_reader_opens() {
    // Not to standard output (a terminal or a pipe), with or without `-o -`.
    for extra in [&[][..], &["-o", "-"][..]] {
        let mut args = vec![
            "render",
            "examples/demo/policy.toml",
            "--what",
            "register",
            "--format",
            "docx",
        ];
        args.extend_from_slice(extra);
        let o = waarborg(&args);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(o.stdout.is_empty(), "binary written to standard output");
        let err = stderr(&o);
        assert!(
            err.contains("--format docx") && err.contains("--out FILE"),
            "{err}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    // A statement that is not ready to publish is refused in Word too; nothing is written.
    let refused = dir.path().join("refused.docx");
    let o = waarborg(&[
        "render",
        "examples/kvgo/policy.toml",
        "--format",
        "docx",
        "--out",
        refused.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!refused.exists());
    for (lang, what) in [("nl", "statement"), ("en", "register")] {
        let out = dir.path().join(format!("{what}.{lang}.docx"));
        let o = waarborg(&[
            "render",
            "examples/kvgo/policy.toml",
            "--lang",
            lang,
            "--what",
            what,
            "--format",
            "docx",
            "--draft",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(o.stdout.is_empty());
        let bytes = std::fs::read(&out).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
            .unwrap();
        assert!(doc.contains("<w:pStyle w:val=\"Heading1\" />"), "{doc}");
        assert!(doc.contains("KVGO"), "{doc}");
        zip.by_name("[Content_Types].xml").unwrap();
        // Written in place of the file by a rename: no temporary file left beside it.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".docx"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    let o = waarborg(&["render", "--help"]);
    assert!(stdout(&o).contains("docx"), "{}", stdout(&o));
    assert!(stdout(&o).contains("--out"), "{}", stdout(&o));
}
