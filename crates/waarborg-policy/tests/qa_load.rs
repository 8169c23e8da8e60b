#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Loading inputs a register author does not mean to give: a Latin-1 file, binary data, an
//! empty file, a minified one-line file, huge and odd durations. Each gives a located error
//! that says how to fix it, never a panic.

use waarborg_policy::load::ProblemKind;
use waarborg_policy::{LoadError, from_toml_str, load_document};

/// Kind, message, help and (line, column) of each problem.
type Seen = (ProblemKind, String, Option<String>, Option<(usize, usize)>);

fn problems_of(e: &LoadError) -> Vec<Seen> {
    e.problems()
        .iter()
        .map(|p| {
            (
                p.kind,
                p.message.clone(),
                p.help.clone(),
                p.location.as_ref().map(|l| (l.line, l.column)),
            )
        })
        .collect()
}

#[test]
fn latin1_file_names_the_line_and_column_of_the_bad_byte() {
    let dir = tempfile_dir();
    let path = dir.join("latin1.toml");
    std::fs::write(&path, b"[statement]\nversion = \"1\"\n# caf\xe9\n").unwrap();
    let e = load_document(&path).unwrap_err();
    let p = problems_of(&e);
    assert_eq!(p.len(), 1, "{e}");
    assert_eq!(p[0].3, Some((3, 6)), "{e}");
    assert!(
        p[0].1.contains("not UTF-8") && p[0].1.contains("0xE9"),
        "{e}"
    );
    assert!(
        p[0].2
            .as_deref()
            .unwrap()
            .contains("save the file as UTF-8"),
        "{e}"
    );
    assert!(e.to_string().contains("latin1.toml:3:6"), "{e}");
}

#[test]
fn binary_file_is_refused_with_a_location() {
    let dir = tempfile_dir();
    let path = dir.join("bin.toml");
    std::fs::write(&path, [0x89, b'P', b'N', b'G', 0, 0xff, 0xfe]).unwrap();
    let e = load_document(&path).unwrap_err();
    assert!(e.to_string().contains("not UTF-8"), "{e}");
    assert!(e.to_string().contains("bin.toml:1:1"), "{e}");
}

#[test]
fn empty_file_says_what_a_register_needs() {
    for text in ["", "   \n\n\t\n"] {
        let e = from_toml_str(text, "empty.toml").unwrap_err();
        let p = problems_of(&e);
        assert_eq!(p[0].0, ProblemKind::MissingKey, "{e}");
        assert!(p[0].1.contains("empty"), "{e}");
        assert!(p[0].2.as_deref().unwrap().contains("[statement]"), "{e}");
    }
    let e = from_toml_str("[controller]\nname = \"x\"\n", "p.toml").unwrap_err();
    assert!(e.to_string().contains("add a `[statement]` table"), "{e}");
}

#[test]
fn a_minified_line_is_cut_around_the_error() {
    let text = format!(
        "[statement]\nversion = \"1\"\neffective_date = 2026-01-01\n[controller]\nname = \"x\"\ntrade_names = [{}\"a\", 1]\n",
        "\"b\", ".repeat(500)
    );
    let e = from_toml_str(&text, "long.toml").unwrap_err();
    for line in e.to_string().lines() {
        assert!(line.chars().count() < 300, "{line}");
    }
}

#[test]
fn odd_durations_never_panic() {
    for d in [
        "P99999Y",
        "P19998Y",
        "PT0S",
        "P0D",
        "PT",
        "P",
        "-P1D",
        "P1.5Y",
        "PT999999999999H",
        "P1W2D",
        "p4w",
        "P١Y",
    ] {
        let text = format!(
            "[statement]\nversion = \"1\"\neffective_date = 2026-01-01\n[controller]\nname = \"x\"\n[rights]\ndeadline = \"{d}\"\nextension = \"{d}\"\n"
        );
        match from_toml_str(&text, "d.toml") {
            Ok(p) => {
                let doc = waarborg_policy::document_from_toml_str(&text, "d.toml").unwrap();
                let _ = waarborg_policy::lint(&doc);
                for lang in [waarborg_policy::Lang::Nl, waarborg_policy::Lang::En] {
                    waarborg_policy::render::render_with(
                        &p,
                        waarborg_policy::render::What::Statement,
                        lang,
                        waarborg_policy::render::Format::Html,
                        &waarborg_policy::render::Options {
                            draft: true,
                            templates: None,
                        },
                    )
                    .unwrap();
                }
            }
            Err(e) => assert!(e.to_string().contains("d.toml:7:"), "{d}: {e}"),
        }
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "waarborg-qa-load-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_country_name_instead_of_a_code_is_refused_with_the_code() {
    let text = "[statement]\nversion = \"1\"\neffective_date = 2026-01-01\n[controller]\nname = \"x\"\n\n[[recipients]]\nid = \"r\"\nname = \"R\"\nrole = \"controller\"\ncountry = \"USA\"\n";
    let e = from_toml_str(text, "c.toml").unwrap_err();
    let p = problems_of(&e);
    assert_eq!(p[0].0, ProblemKind::InvalidValue, "{e}");
    assert_eq!(p[0].3.map(|l| l.0), Some(11), "{e}");
    assert!(p[0].2.as_deref().unwrap().contains("`US`"), "{e}");
    assert!(from_toml_str(&text.replace("\"USA\"", "\"us\""), "c.toml").is_ok());
}
