#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `waarborg breach`: record, assess, notify and export an incident from the command line.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waarborg"))
        .args(args)
        .env_remove("WAARBORG_STORE")
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn a_breach_from_open_to_the_documents() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("w.db").display().to_string();
    let policy = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/demo/policy.toml"
    );
    ok(&[
        "breach",
        "open",
        "--store",
        &store,
        "--summary",
        "Klantbestand naar verkeerde ontvanger gemaild",
        "--aware",
        "2026-03-28T12:00:00+01:00",
        "--nature",
        "misdirected",
        "--category",
        "user.contact.email",
        "--people-min",
        "40",
        "--people-max",
        "40",
        "--encrypted",
        "no",
    ]);
    let list: serde_json::Value = serde_json::from_str(&ok(&[
        "breach", "list", "--store", &store, "--format", "json",
    ]))
    .unwrap();
    let id = list[0]["id"].as_str().unwrap().to_string();
    // 72 hours later, across the change to summer time: 13:00 local time.
    assert_eq!(list[0]["ap_deadline"], "2026-03-31T13:00:00+02:00");
    assert_eq!(list[0]["clock"]["overdue"], true);

    // A late notification without its reason is refused (exit 2), with one it is recorded.
    let o = run(&[
        "breach",
        "notify",
        "--store",
        &store,
        &id,
        "--at",
        "2026-04-01T09:00:00+02:00",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("reason for the delay"));
    ok(&[
        "breach",
        "assess",
        "--store",
        &store,
        &id,
        "--risk",
        "risk",
        "--reasons",
        "e-mailadressen van 40 klanten",
        "--notify-ap",
        "yes",
        "--notify-reason",
        "risico op phishing",
        "--inform",
        "no",
        "--inform-reason",
        "de ontvanger heeft het bestand aantoonbaar verwijderd",
    ]);
    let nl = ok(&[
        "breach", "export", "--store", &store, &id, "--policy", policy, "--lang", "nl",
    ]);
    assert!(
        nl.contains("Melding datalek") && nl.contains("Voorbeeld Webwinkel"),
        "{nl}"
    );
    assert!(nl.contains("naar de verkeerde persoon gestuurd"), "{nl}");
    ok(&[
        "breach",
        "notify",
        "--store",
        &store,
        &id,
        "--at",
        "2026-04-01T09:00:00+02:00",
        "--late-reason",
        "pas op 1 april gemeld door de ontvanger",
    ]);
    let en: serde_json::Value = serde_json::from_str(&ok(&[
        "breach", "export", "--store", &store, &id, "--lang", "en", "--format", "json",
    ]))
    .unwrap();
    assert!(en["sections"].as_array().unwrap().len() >= 10);
    let people = ok(&[
        "breach", "export", "--store", &store, &id, "--what", "people", "--policy", policy,
        "--lang", "en",
    ]);
    assert!(people.contains("E-mail address"), "{people}");
    let show = ok(&["breach", "show", "--store", &store, &id]);
    for e in ["opened", "assessed", "notified"] {
        assert!(show.contains(e), "{show}");
    }
    assert!(ok(&["audit", "verify", "--store", &store]).contains("intact"));
    let help = ok(&["breach", "--help"]);
    assert!(help.contains("open") && help.contains("export"));
}

/// As a processor (Art. 33(2)): the incident names the processor activity, `show` gives the
/// controller's clock from the agreement (36 hours in the Werktijden register), the notice to
/// the controller is exported, closing waits until the controller is told, and the history
/// says who did what.
#[test]
fn a_processor_tells_its_controller() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("w.db").display().to_string();
    let policy = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/werktijden/policy.toml"
    );
    // An activity the register does not know is refused.
    let o = run(&[
        "breach",
        "open",
        "--store",
        &store,
        "--policy",
        policy,
        "--summary",
        "x",
        "--aware",
        "2026-03-28T12:00:00+01:00",
        "--processor-activity",
        "payroll",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("staff-planning"));
    let opened: serde_json::Value = serde_json::from_str(&ok(&[
        "breach",
        "open",
        "--store",
        &store,
        "--policy",
        policy,
        "--summary",
        "Roosterexport van een klant bij een andere klant beland",
        "--aware",
        "2026-03-28T12:00:00+01:00",
        "--processor-activity",
        "staff-planning",
        "--by",
        "servicedesk",
        "--format",
        "json",
    ]))
    .unwrap();
    let id = opened["id"].as_str().unwrap().to_string();
    let show: serde_json::Value = serde_json::from_str(&ok(&[
        "breach", "show", "--store", &store, &id, "--policy", policy, "--format",
        "json",
        // 36 hours, across the change to summer time (29 March): 01:00 local time.
    ]))
    .unwrap();
    assert_eq!(
        show["controllers"][0]["deadline"],
        "2026-03-30T01:00:00+02:00"
    );
    assert_eq!(show["controllers"][0]["period"], "PT36H");
    assert_eq!(show["history"][0]["by"], "servicedesk");
    let notice = ok(&[
        "breach",
        "export",
        "--store",
        &store,
        &id,
        "--what",
        "controller",
        "--activity",
        "staff-planning",
        "--policy",
        policy,
        "--lang",
        "nl",
    ]);
    assert!(
        notice.contains("Klanten (werkgevers)") && notice.contains("artikel 33 lid 2"),
        "{notice}"
    );
    let o = run(&[
        "breach",
        "export",
        "--store",
        &store,
        &id,
        "--what",
        "controller",
    ]);
    assert!(!o.status.success(), "a controller notice needs --activity");
    ok(&[
        "breach",
        "assess",
        "--store",
        &store,
        &id,
        "--risk",
        "none",
        "--reasons",
        "alleen roosters, binnen een uur verwijderd",
        "--notify-ap",
        "no",
        "--notify-reason",
        "geen risico",
        "--inform",
        "no",
        "--inform-reason",
        "geen risico",
    ]);
    let o = run(&["breach", "close", "--store", &store, &id, "--note", "klaar"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("tell-controller"));
    ok(&[
        "breach",
        "tell-controller",
        "--store",
        &store,
        &id,
        "--activity",
        "staff-planning",
        "--at",
        "2026-03-28T15:00:00+01:00",
        "--how",
        "e-mail aan de contactpersoon",
        "--by",
        "fg",
    ]);
    ok(&[
        "breach", "close", "--store", &store, &id, "--note", "klaar", "--by", "fg",
    ]);
    let text = ok(&["breach", "show", "--store", &store, &id, "--policy", policy]);
    assert!(text.contains("told 2026-03-28T15:00:00+01:00"), "{text}");
    assert!(
        text.contains("controller_told") && text.contains("by fg"),
        "{text}"
    );
    assert!(ok(&["audit", "verify", "--store", &store]).contains("intact"));
}
