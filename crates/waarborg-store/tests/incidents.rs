#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The breach register on SQLite and PostgreSQL: the 72-hour clock across daylight saving time,
//! the register keeps incidents that are never notified, a late notification needs its reason,
//! every change is an event in the audit trail, and an edited incident is caught.

mod common;

use common::Ctx;
use jiff::Timestamp;
use waarborg_store::{
    Assessment, Backend, IncidentFacts, IncidentStatus, Nature, ProblemKind, Risk,
};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn assessment(risk: Risk, notify: bool) -> Assessment {
    Assessment {
        risk,
        reasons: "names and e-mail addresses, not encrypted".into(),
        notify_ap: notify,
        notify_ap_reason: if notify {
            "a risk"
        } else {
            "no risk: the file was encrypted"
        }
        .into(),
        inform_people: risk == Risk::High,
        inform_people_reason: "see the risk".into(),
        at: Timestamp::now(),
    }
}

async fn register(backend: Backend) {
    let ctx = Ctx::new(backend).await;
    let s = &ctx.store;
    // 72 calendar hours: across the switch to summer time (29 March 2026) the local clock
    // shows 73 hours later.
    let aware = ts("2026-03-27T12:00:00+01:00");
    let facts = IncidentFacts {
        nature: vec![Nature::Stolen],
        people_min: Some(100),
        people_max: Some(250),
        ..Default::default()
    };
    let i = s
        .open_incident("officer", "Laptop stolen", aware, facts)
        .await
        .unwrap();
    assert_eq!(i.ap_deadline, ts("2026-03-30T13:00:00+02:00"));
    assert_eq!(i.ap_deadline.duration_since(i.aware_at).as_hours(), 72);
    // And across the switch back (25 October 2026): the local clock shows 71 hours later.
    let j = s
        .open_incident(
            "officer",
            "E-mail to the wrong customer",
            ts("2026-10-23T09:30:00+02:00"),
            IncidentFacts::default(),
        )
        .await
        .unwrap();
    assert_eq!(j.ap_deadline, ts("2026-10-26T08:30:00+01:00"));
    assert!(j.ap_overdue(ts("2026-10-26T08:30:00+01:00")));
    assert!(!j.ap_overdue(ts("2026-10-26T08:29:59+01:00")));
    // A moment in the future is refused.
    assert!(
        s.open_incident(
            "officer",
            "x",
            Timestamp::now() + jiff::SignedDuration::from_hours(2),
            IncidentFacts::default()
        )
        .await
        .is_err()
    );

    // A late first notification needs its reason; a follow-up does not.
    let err = s
        .record_ap_notification(
            "officer",
            &i.id,
            ts("2026-03-31T10:00:00+02:00"),
            None,
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("reason for the delay"), "{err}");
    assert!(
        s.incident(&i.id).await.unwrap().notifications.is_empty(),
        "nothing was recorded"
    );
    let err = s
        .assess_incident(
            "officer",
            &i.id,
            Assessment {
                notify_ap: false,
                ..assessment(Risk::High, false)
            },
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("notified"), "{err}");
    s.assess_incident("officer", &i.id, assessment(Risk::High, true))
        .await
        .unwrap();
    let i = s
        .record_ap_notification(
            "officer",
            &i.id,
            ts("2026-03-31T10:00:00+02:00"),
            Some("AP-1"),
            Some("the scope became clear only after forensics"),
        )
        .await
        .unwrap();
    assert_eq!(i.status, IncidentStatus::Notified);
    let i = s
        .record_ap_notification(
            "officer",
            &i.id,
            ts("2026-04-03T10:00:00+02:00"),
            Some("AP-1"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        i.notifications.iter().map(|n| n.phase).collect::<Vec<_>>(),
        vec![1, 2]
    );
    let err = s
        .close_incident("officer", &j.id, "done")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("assess"), "{err}");

    // An incident that is never notified stays in the register (Art. 33(5)).
    s.assess_incident("officer", &j.id, assessment(Risk::None, false))
        .await
        .unwrap();
    s.close_incident(
        "officer",
        &j.id,
        "contained the same day; recipient deleted the e-mail",
    )
    .await
    .unwrap();
    let all = s.incidents().await.unwrap();
    assert_eq!(all.len(), 2);
    let closed = all.iter().find(|x| x.id == j.id).unwrap();
    assert_eq!(closed.status, IncidentStatus::Closed);
    assert!(closed.notifications.is_empty());
    assert!(
        s.update_incident("officer", &j.id, None, IncidentFacts::default())
            .await
            .is_err(),
        "closed stays as it is"
    );

    // The history and the chain.
    let events = s.incident_events(&i.id).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.event.as_str()).collect::<Vec<_>>(),
        vec!["opened", "assessed", "notified", "notified"]
    );
    let r = s.verify_audit().await.unwrap();
    assert!(r.ok(), "{r:?}");

    // Someone edits the incident behind the chain's back: caught.
    ctx.raw(&format!(
        "UPDATE incidents SET doc = REPLACE(doc, 'Laptop stolen', 'Nothing happened') WHERE id = '{}'",
        i.id
    ))
    .await;
    let r = s.verify_audit().await.unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == ProblemKind::RecordChanged && p.message.contains(&i.id)),
        "{r:?}"
    );
    // And an event rewritten to match: caught by the entry's commitment.
    ctx.raw(&format!(
        "UPDATE incident_events SET doc = REPLACE(doc, 'Laptop stolen', 'Nothing happened') WHERE incident_id = '{}'",
        i.id
    ))
    .await;
    let r = s.verify_audit().await.unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.message.contains("changed after it was written")),
        "{r:?}"
    );
}
both!(register);

/// As a processor (Art. 33(2)): the controllers named in the facts must be told before the
/// incident can be closed; who did what is kept and committed to by the audit trail.
async fn processor_side(backend: Backend) {
    let ctx = Ctx::new(backend).await;
    let s = &ctx.store;
    let aware = ts("2026-03-27T12:00:00+01:00");
    let i = s
        .open_incident(
            "user:7",
            "Planning export sent to the wrong customer",
            aware,
            IncidentFacts {
                processor_activities: vec!["staff-planning".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(
        s.open_incident(" ", "x", aware, IncidentFacts::default())
            .await
            .is_err()
    );
    let err = s
        .record_controller_told("user:7", &i.id, "payroll", aware, "e-mail")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("payroll"), "{err}");
    s.assess_incident("user:1", &i.id, assessment(Risk::None, false))
        .await
        .unwrap();
    let err = s
        .close_incident("user:1", &i.id, "contained")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("staff-planning"), "{err}");
    let told = s
        .record_controller_told(
            "user:1",
            &i.id,
            "staff-planning",
            ts("2026-03-28T09:00:00+01:00"),
            "e-mail to the customer's contact",
        )
        .await
        .unwrap();
    assert_eq!(told.controllers_told.len(), 1);
    assert_eq!(told.controllers_not_told().count(), 0);
    s.close_incident("user:1", &i.id, "contained")
        .await
        .unwrap();
    let events = s.incident_events(&i.id).await.unwrap();
    assert_eq!(
        events
            .iter()
            .map(|e| (e.event.as_str(), e.actor.as_deref()))
            .collect::<Vec<_>>(),
        vec![
            ("opened", Some("user:7")),
            ("assessed", Some("user:1")),
            ("controller_told", Some("user:1")),
            ("closed", Some("user:1")),
        ]
    );
    let r = s.verify_audit().await.unwrap();
    assert!(r.ok(), "{r:?}");
    // Someone changes who did it: caught.
    ctx.raw(&format!(
        "UPDATE incident_events SET actor = 'user:9' WHERE incident_id = '{}' AND event = 'opened'",
        i.id
    ))
    .await;
    let r = s.verify_audit().await.unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.message.contains("changed after it was written")),
        "{r:?}"
    );
}
both!(processor_side);
