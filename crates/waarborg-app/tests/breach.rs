#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The breach documents for a sample incident, in Dutch and English (snapshots), the AP clock,
//! and the processor's clock and notice to its controllers.

use waarborg_app::breach;
use waarborg_policy::Lang;
use waarborg_store::{
    Assessment, Incident, IncidentFacts, IncidentStatus, Nature, Notification, Risk,
};

fn sample() -> Incident {
    let aware: jiff::Timestamp = "2026-03-27T12:00:00+01:00".parse().unwrap();
    Incident {
        id: "01a00000-0000-7000-8000-000000000001".into(),
        summary: "A laptop with an unencrypted export of the customer file was stolen from a car."
            .into(),
        aware_at: aware,
        ap_deadline: aware + waarborg_store::incidents::AP_PERIOD,
        status: IncidentStatus::Notified,
        facts: IncidentFacts {
            discovered_at: Some("2026-03-27T08:15:00+01:00".parse().unwrap()),
            reported_by: Some("customer service".into()),
            ongoing: Some(false),
            nature: vec![Nature::Stolen, Nature::Read],
            systems: vec!["laptop".into(), "CRM export".into()],
            categories: vec!["user.contact.email".into(), "user.name".into()],
            special_categories: false,
            bsn: false,
            people_min: Some(1200),
            people_max: Some(1500),
            records_min: Some(1200),
            records_max: Some(1500),
            groups: vec!["customers".into()],
            encrypted: Some(false),
            consequences: Some("Phishing e-mails in the shop's name.".into()),
            measures_taken: Some("Remote wipe requested; passwords reset.".into()),
            measures_planned: Some("Full-disk encryption on every laptop.".into()),
            cross_border: Some("Customers in Belgium".into()),
            contact: Some("privacy@voorbeeldwebwinkel.example".into()),
            processor_activities: Vec::new(),
        },
        assessment: Some(Assessment {
            risk: Risk::High,
            reasons: "Unencrypted names and e-mail addresses of many customers.".into(),
            notify_ap: true,
            notify_ap_reason: "A risk to the customers.".into(),
            inform_people: true,
            inform_people_reason: "High risk of phishing.".into(),
            at: "2026-03-28T10:00:00+01:00".parse().unwrap(),
        }),
        notifications: vec![Notification {
            phase: 1,
            at: "2026-03-29T16:00:00+02:00".parse().unwrap(),
            reference: Some("AP-2026-0042".into()),
            late_reason: None,
        }],
        people_informed: None,
        controllers_told: Vec::new(),
        closing_note: None,
        created_at: aware,
    }
}

#[test]
fn documents_in_both_languages() {
    let policy = waarborg_policy::load_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/demo/policy.toml"
    )))
    .unwrap();
    let tz = waarborg_app::config::time_zone(None).unwrap();
    let i = sample();
    for lang in Lang::ALL {
        let n = breach::ap_notification(&i, Some(&policy), lang, &tz).unwrap();
        insta::assert_snapshot!(
            format!("notification_{}", lang.code()),
            breach::notification_markdown(&n)
        );
        insta::assert_snapshot!(
            format!("people_{}", lang.code()),
            breach::people_notice(&i, Some(&policy), lang).unwrap()
        );
    }
}

#[test]
fn the_clock() {
    let tz = waarborg_app::config::time_zone(None).unwrap();
    let mut i = sample();
    i.notifications.clear();
    i.status = IncidentStatus::Open;
    let c = breach::clock(&i, "2026-03-30T12:00:00+02:00".parse().unwrap(), &tz);
    assert_eq!(c.ap_deadline, "2026-03-30T13:00:00+02:00");
    assert_eq!(c.hours_left, 1);
    assert!(c.notification_due && !c.overdue);
    let c = breach::clock(&i, "2026-03-30T13:00:00+02:00".parse().unwrap(), &tz);
    assert!(c.overdue);
    assert!(
        breach::parse_moment("2026-03-30 13:00").is_err(),
        "a moment needs its offset"
    );
}

fn werktijden() -> waarborg_policy::Policy {
    waarborg_policy::load_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/werktijden/policy.toml"
    )))
    .unwrap()
}

#[test]
fn processor_clocks_follow_the_agreement() {
    let tz = waarborg_app::config::time_zone(None).unwrap();
    let policy = werktijden();
    let mut i = sample();
    // The processor agreement promises 36 hours from becoming aware.
    i.facts.processor_activities = vec!["staff-planning".into()];
    let now: jiff::Timestamp = "2026-03-28T12:00:00+01:00".parse().unwrap();
    let c = breach::processor_clocks(&i, Some(&policy), Lang::En, now, &tz).unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].deadline, "2026-03-29T00:00:00+01:00");
    assert_eq!(c[0].period, "PT36H");
    assert_eq!(c[0].controller, "Customers (employers)");
    assert!(c[0].told.is_none() && !c[0].overdue);
    let late: jiff::Timestamp = "2026-03-29T00:00:00+01:00".parse().unwrap();
    assert!(breach::processor_clocks(&i, Some(&policy), Lang::En, late, &tz).unwrap()[0].overdue);

    // Without a register (or an agreement that names no period): 24 hours.
    let c = breach::processor_clocks(&i, None, Lang::Nl, now, &tz).unwrap();
    assert_eq!(c[0].deadline, "2026-03-28T12:00:00+01:00");
    assert_eq!(c[0].period, "default");

    // Told in time: no longer overdue, whenever it is looked at.
    i.controllers_told.push(waarborg_store::ControllerTold {
        activity: "staff-planning".into(),
        at: "2026-03-28T09:00:00+01:00".parse().unwrap(),
        how: "e-mail".into(),
    });
    let c = breach::processor_clocks(&i, Some(&policy), Lang::En, late, &tz).unwrap();
    assert!(
        c[0].told
            .as_deref()
            .unwrap()
            .starts_with("2026-03-28T09:00:00+01:00")
    );
    assert!(!c[0].overdue);
}

#[test]
fn controller_notice_in_both_languages() {
    let tz = waarborg_app::config::time_zone(None).unwrap();
    let policy = werktijden();
    let mut i = sample();
    i.facts.processor_activities = vec!["staff-planning".into()];
    for lang in Lang::ALL {
        insta::assert_snapshot!(
            format!("controller_{}", lang.code()),
            breach::controller_notice(&i, "staff-planning", Some(&policy), lang, &tz).unwrap()
        );
    }
    assert!(
        breach::controller_notice(&i, "payroll", Some(&policy), Lang::En, &tz).is_err(),
        "only for an activity the incident names"
    );
}
