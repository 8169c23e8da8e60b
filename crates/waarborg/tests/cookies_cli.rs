#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `waarborg cookies lookup` end to end: well-known names from the bundled Open Cookie Database,
//! prefixes and patterns, NL/EN, JSON, exit codes, and a newer CSV given with `--db`.

use std::process::{Command, Output};

fn waarborg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waarborg"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn well_known_names_in_dutch_and_english() {
    let o = waarborg(&["cookies", "lookup", "_ga", "NID", "_fbp"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = stdout(&o);
    for needle in [
        "soort:",
        "analytisch (Analytics)",
        "advertenties en tracking (Marketing)",
        "aanbieder:",
        "Facebook",
        "name = \"_fbp\"",
        "consent = \"opt_in\"",
        "Open Cookie Database, commit",
    ] {
        assert!(text.contains(needle), "lacks `{needle}`:\n{text}");
    }
    let en = stdout(&waarborg(&["cookies", "lookup", "--lang", "en", "IDE"]));
    assert!(
        en.contains("category:") && en.contains("2 years (P2Y)"),
        "{en}"
    );
}

#[test]
fn prefixes_patterns_and_unknown_names() {
    let o = waarborg(&["cookies", "lookup", "--lang", "en", "_ga_G1234", "li_*"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains("_ga_G1234: belongs to the name family _ga_*"),
        "{text}"
    );
    assert!(
        text.contains("li_*: known names under this pattern"),
        "{text}"
    );
    let o = waarborg(&["cookies", "lookup", "--lang", "en", "_ga", "_gaa_nope_x"]);
    assert_eq!(o.status.code(), Some(1), "one unknown name exits 1");
    assert!(stdout(&o).contains("not known in the Open Cookie Database"));
}

#[test]
fn json_output() {
    let o = waarborg(&["cookies", "lookup", "--format", "json", "_gid"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["found"], true);
    assert_eq!(v[0]["matches"][0]["match"], "exact");
    assert_eq!(v[0]["matches"][0]["cookie"]["category"], "analytics");
    assert_eq!(v[0]["matches"][0]["cookie"]["controller"], "Google");
}

#[test]
fn a_newer_database_can_be_given_and_a_broken_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("newer.csv");
    std::fs::write(
        &csv,
        "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n\
         x1,Nieuwtracker,Marketing,_nt,,Tracks,6 months,Nieuwtracker B.V.,,0\n",
    )
    .unwrap();
    let p = csv.display().to_string();
    let o = waarborg(&["cookies", "lookup", "--lang", "en", "--db", &p, "_nt"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Nieuwtracker B.V."));
    std::fs::write(&csv, "name,category\n_nt,Marketing\n").unwrap();
    let o = waarborg(&["cookies", "lookup", "--db", &p, "_nt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no column"));
}
