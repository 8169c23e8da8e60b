#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `waarborg init` end to end: the real binary, its questions on standard output and the
//! answers written line by line to its standard input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use waarborg_policy::{LegalBasis, RecipientRole};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `waarborg init ARGS` in `dir`, writing `lines` to its standard input.
fn init(dir: &Path, args: &[&str], lines: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_waarborg"))
        .arg("init")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = lines.join("\n");
    input.push('\n');
    {
        let mut stdin = child.stdin.take().unwrap();
        // The child may stop reading early (an error); a broken pipe is then expected.
        let _ = stdin.write_all(input.as_bytes());
    }
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Counts how often `needle` occurs in `hay`.
fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn dutch_answers_become_a_register_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        // Organisation: name, KvK (first too short), address, e-mail, phone, website.
        "Fietsenmaker Spaak B.V.",
        "1234",
        "11223344",
        "Wielstraat 9, 9711 AA Groningen",
        "privacy@spaak.example",
        "050-1112233",
        "www.spaak.example",
        // Privacy contact, e-mail, formal DPO.
        "Privacycontact Spaak",
        "",
        "nee",
        // Groups.
        "Klanten",
        "",
        // Purpose 1: basis 9 is no choice, then 2 (contract); data; "abc" is no duration.
        "Reparaties",
        "9",
        "2",
        "naam, telefoonnummer, e-mailadres",
        "abc",
        "2 jaar",
        "3",
        // Purpose 2: consent, no retention.
        "Nieuwsbrief",
        "1",
        "naam, e-mailadres",
        "",
        "",
        // Recipient: processor in NL, for purpose 1, agreement signed.
        "Boekhouder Telwerk",
        "1",
        "",
        "1",
        "ja",
        "",
        // Cookie.
        "_ga",
        "Google",
        "3",
        "2 jaar",
        "",
        // Does a computer alone decide about people? No.
        "nee",
    ];
    let o = init(dir.path(), &[], &lines);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    // The questions are in Dutch, and bad answers were asked again with a reason.
    assert!(
        out.contains("Wat is de officiële naam van uw organisatie?"),
        "{out}"
    );
    assert!(out.contains("een KvK-nummer heeft 8 cijfers"), "{out}");
    assert!(out.contains("kies een nummer van 1 tot en met 6"), "{out}");
    assert!(out.contains("schrijf een aantal en een eenheid"), "{out}");
    assert_eq!(count(&out, "Wat is uw KvK-nummer?"), 2, "{out}");
    assert_eq!(
        count(&out, "Hoe lang bewaart u de gegevens voor 'Reparaties'?"),
        2,
        "{out}"
    );
    // The findings at the end, in Dutch, with what to do next.
    assert!(
        out.contains("Klaar. Het register staat in register.toml."),
        "{out}"
    );
    assert!(
        out.contains("Ik heb het register gecontroleerd. Fouten: "),
        "{out}"
    );
    assert!(out.contains("waarschuwing WB"), "{out}");
    assert!(out.contains("Wat nu?"), "{out}");

    let path = dir.path().join("register.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# Register gemaakt met `waarborg init`"),
        "{text}"
    );
    let p = waarborg_policy::load_file(&path).unwrap();
    // The answers are Dutch: the texts are Dutch only, the statement is published in Dutch, and
    // an English rendering marks them instead of mixing them in.
    assert_eq!(p.statement.languages, vec![waarborg_policy::Lang::Nl]);
    assert!(p.purposes[0].name.en.is_empty() && !p.purposes[0].name.nl.is_empty());
    assert_eq!(p.controller.name, "Fietsenmaker Spaak B.V.");
    assert_eq!(p.controller.kvk.as_deref(), Some("11223344"));
    assert_eq!(p.controller.addresses[0].postcode, "9711 AA");
    assert_eq!(
        p.controller.website.as_deref(),
        Some("https://www.spaak.example")
    );
    assert_eq!(
        p.privacy_officer.as_ref().unwrap().name,
        "Privacycontact Spaak"
    );
    assert_eq!(p.purposes.len(), 2);
    assert_eq!(p.purposes[0].legal_basis, Some(LegalBasis::Contract));
    assert_eq!(p.purposes[1].legal_basis, Some(LegalBasis::Consent));
    assert_eq!(p.purposes[0].data.len(), 3);
    assert_eq!(p.retention.len(), 1);
    assert_eq!(p.retention[0].period.as_str(), "P2Y");
    assert_eq!(p.retention[0].from.key(), "end_of_contract");
    assert_eq!(p.recipients[0].role, RecipientRole::Processor);
    assert_eq!(p.recipients[0].processor_agreement, Some(true));
    assert_eq!(p.purposes[0].recipients, ["boekhouder-telwerk"]);
    assert!(p.purposes[1].recipients.is_empty());
    assert_eq!(p.cookies[0].name, "_ga");
    assert_eq!(p.cookies[0].lifetime.as_ref().unwrap().as_str(), "P2Y");

    // `waarborg lint` agrees that it loads.
    let lint = Command::new(env!("CARGO_BIN_EXE_waarborg"))
        .args(["lint", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_ne!(lint.status.code(), Some(2), "{}", stderr(&lint));
}

#[test]
fn english_answers_and_errors_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        "Spoke Ltd",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "Security",
        "seven",
        "6",
        "We keep our systems safe.",
        "ip address",
        "4 weeks",
        "1",
        "",
        "Cloud Host",
        "1",
        "USA",
        "US",
        "",
        "",
        "",
        // No cookies at all: yes; automated decisions: no.
        "yes",
        "no",
    ];
    let o = init(dir.path(), &["--lang", "en", "--out", "spoke.toml"], &lines);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    assert!(
        out.contains("What is the official name of your organisation?"),
        "{out}"
    );
    assert!(out.contains("choose a number from 1 to 6"), "{out}");
    assert!(out.contains("write the two-letter country code"), "{out}");
    assert!(!out.contains("Wat is"), "{out}");
    // No e-mail, phone or address: WB001 is an error; the US recipient without a mechanism too.
    assert!(out.contains("error WB001"), "{out}");
    assert!(out.contains("error WB006"), "{out}");
    assert!(out.contains("First fix the errors in spoke.toml"), "{out}");
    let p = waarborg_policy::load_file(dir.path().join("spoke.toml")).unwrap();
    assert_eq!(p.controller.name, "Spoke Ltd");
    assert_eq!(
        p.purposes[0].legal_basis,
        Some(LegalBasis::LegitimateInterests)
    );
    assert_eq!(
        p.purposes[0]
            .legitimate_interest
            .as_ref()
            .unwrap()
            .get(waarborg_policy::Lang::En),
        "We keep our systems safe."
    );
    assert_eq!(p.retention[0].period.as_str(), "P4W");
    assert_eq!(p.recipients[0].country, "US");
    // What the organisation confirmed is stated; nothing is read from silence.
    assert!(p.statement.no_cookies && p.statement.no_automated_decisions);
    assert!(!p.statement.no_recipients);
}

#[test]
fn an_existing_file_is_kept_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.toml");
    std::fs::write(&path, "# mine\n").unwrap();
    let o = init(dir.path(), &[], &["Naam B.V."]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("exists already"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    // Refused before any question was asked, and the file is untouched.
    assert!(
        !stdout(&o).contains("Wat is de officiële naam"),
        "{}",
        stdout(&o)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");

    // With --force it is replaced by a register that loads.
    let lines = [
        "Naam B.V.",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ];
    let o = init(dir.path(), &["--force"], &lines);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let p = waarborg_policy::load_file(&path).unwrap();
    assert_eq!(p.controller.name, "Naam B.V.");
}

#[test]
fn answers_that_end_early_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = init(dir.path(), &[], &["Naam B.V.", "12345678"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the answers ended"), "{}", stderr(&o));
    assert!(!dir.path().join("register.toml").exists());
}

#[test]
fn from_a_statement_prefills_and_enter_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture("bakkerij-privacy.txt");
    // Enter everywhere: every pre-filled answer is kept. The purpose found gets a basis
    // (contract, pre-filled) and an event for its retention period (asked, line 13: 3).
    let mut lines = vec![""; 40];
    lines[12] = "3";
    let o = init(
        dir.path(),
        &["--from", from.to_str().unwrap(), "--out", "bakkerij.toml"],
        &lines,
    );
    let out = stdout(&o);
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    assert!(out.contains("[Bakkerij De Gouden Korst B.V.]"), "{out}");
    assert!(out.contains("[87654321]"), "{out}");
    let p = waarborg_policy::load_file(dir.path().join("bakkerij.toml")).unwrap();
    assert_eq!(p.controller.name, "Bakkerij De Gouden Korst B.V.");
    assert_eq!(p.controller.kvk.as_deref(), Some("87654321"));
    assert_eq!(
        p.controller.email.as_deref(),
        Some("privacy@goudenkorst.example")
    );
    assert_eq!(p.controller.addresses[0].city, "Utrecht");
    assert_eq!(p.purposes.len(), 1, "{out}");
    assert_eq!(p.purposes[0].legal_basis, Some(LegalBasis::Contract));
    let labels: Vec<&str> = p.data.iter().map(|d| d.label.nl.as_str()).collect();
    assert!(labels.contains(&"e-mailadres"), "{labels:?}");
    assert_eq!(p.retention[0].period.as_str(), "P2Y");
    assert_eq!(p.retention[0].from.key(), "end_of_contract");
    assert!(
        p.recipients.iter().any(|r| r.name.nl == "Mailchimp"),
        "{out}"
    );
}

#[test]
fn from_a_statement_a_typed_answer_replaces_the_prefilled_one() {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture("bakkerij-privacy.txt");
    let mut lines = vec![""; 40];
    lines[0] = "Bakkerij Nieuwe Naam B.V.";
    lines[12] = "3";
    let o = init(dir.path(), &["--from", from.to_str().unwrap()], &lines);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let p = waarborg_policy::load_file(dir.path().join("register.toml")).unwrap();
    assert_eq!(p.controller.name, "Bakkerij Nieuwe Naam B.V.");
    assert_eq!(p.controller.kvk.as_deref(), Some("87654321"));
}

#[test]
fn help_names_the_flags() {
    let o = Command::new(env!("CARGO_BIN_EXE_waarborg"))
        .args(["init", "--help"])
        .output()
        .unwrap();
    let out = stdout(&o);
    for flag in ["--lang", "--from", "--out", "--force"] {
        assert!(out.contains(flag), "{flag} in {out}");
    }
}
