//! `waarborg breach`: the breach register (GDPR Art. 33(5)): record an incident, keep its
//! 72-hour clock to the Autoriteit Persoonsgegevens, assess it, record the notifications and
//! export the documents. Times are given and shown as RFC 3339 with their offset.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use waarborg_app::breach;
use waarborg_store::{Assessment, IncidentFacts, Nature, Risk};

use super::store::{OutFormat, StoreArg, open, open_existing, print_json};

/// The commands of this area.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// The breach register (GDPR Art. 33, 34): open, update, assess, notify, inform, close,
    /// list, show, export.
    #[command(subcommand)]
    Breach(BreachCmd),
}

/// `breach` subcommands.
#[derive(Debug, Subcommand)]
pub enum BreachCmd {
    /// Record a new incident. The AP must be notified within 72 hours of --aware.
    Open {
        #[command(flatten)]
        store: StoreArg,
        /// What happened, in a sentence.
        #[arg(long)]
        summary: String,
        /// When the organisation became aware of the personal-data breach (RFC 3339 with
        /// offset, e.g. 2026-03-28T12:00:00+01:00); the 72 hours count from here.
        #[arg(long)]
        aware: String,
        #[command(flatten)]
        facts: Box<FactArgs>,
        /// The register, to check the processor activities named.
        #[arg(long)]
        policy: Option<std::path::PathBuf>,
        #[command(flatten)]
        by: ByArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: OutFormat,
    },
    /// Change the facts of an incident: the flags given replace what was recorded.
    Update {
        #[command(flatten)]
        store: StoreArg,
        /// The incident id.
        id: String,
        /// A new summary.
        #[arg(long)]
        summary: Option<String>,
        #[command(flatten)]
        facts: Box<FactArgs>,
        /// The register, to check the processor activities named.
        #[arg(long)]
        policy: Option<std::path::PathBuf>,
        #[command(flatten)]
        by: ByArg,
    },
    /// Record the assessment: the risk, whether to notify the AP (Art. 33(1)) and whether to
    /// inform the people (Art. 34), each with its reason.
    Assess {
        #[command(flatten)]
        store: StoreArg,
        /// The incident id.
        id: String,
        /// The risk to the people: none, risk or high.
        #[arg(long)]
        risk: String,
        /// Why this risk.
        #[arg(long)]
        reasons: String,
        /// Notify the AP.
        #[arg(long, value_enum)]
        notify_ap: YesNo,
        /// Why (not).
        #[arg(long)]
        notify_reason: String,
        /// Inform the people affected.
        #[arg(long, value_enum)]
        inform: YesNo,
        /// Why (not): e.g. encrypted data, risk contained, disproportionate effort (Art. 34(3)).
        #[arg(long)]
        inform_reason: String,
        #[command(flatten)]
        by: ByArg,
    },
    /// Record a notification to the AP (the first, or a follow-up in phases, Art. 33(4)).
    Notify {
        #[command(flatten)]
        store: StoreArg,
        /// The incident id.
        id: String,
        /// When it was sent (RFC 3339 with offset; default now).
        #[arg(long)]
        at: Option<String>,
        /// The AP's reference.
        #[arg(long)]
        reference: Option<String>,
        /// The reason for a notification later than 72 hours (required then, Art. 33(1)).
        #[arg(long)]
        late_reason: Option<String>,
        #[command(flatten)]
        by: ByArg,
    },
    /// Record that the people affected were informed (Art. 34), and how.
    Inform {
        #[command(flatten)]
        store: StoreArg,
        /// The incident id.
        id: String,
        /// When (RFC 3339 with offset; default now).
        #[arg(long)]
        at: Option<String>,
        /// How: letter, e-mail, public notice.
        #[arg(long)]
        how: String,
        #[command(flatten)]
        by: ByArg,
    },
    /// Record that the controller of a processor activity was told (Art. 33(2)): as its
    /// processor, within the agreement's period (default 24 hours).
    TellController {
        #[command(flatten)]
        store: StoreArg,
        /// The incident id.
        id: String,
        /// The register's processor activity whose controller was told.
        #[arg(long)]
        activity: String,
        /// When (RFC 3339 with offset; default now).
        #[arg(long)]
        at: Option<String>,
        /// How: e-mail to the contact in the agreement, phone, the customer portal.
        #[arg(long)]
        how: String,
        #[command(flatten)]
        by: ByArg,
    },
    /// Close an incident; it stays in the register.
    Close {
        #[command(flatten)]
        store: StoreArg,
        /// The incident id.
        id: String,
        /// What was done.
        #[arg(long)]
        note: String,
        #[command(flatten)]
        by: ByArg,
    },
    /// The register: every incident with its AP deadline and clock.
    List {
        #[command(flatten)]
        store: StoreArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: OutFormat,
    },
    /// One incident with its history and, as a processor, the clock of each controller to
    /// be told.
    Show {
        #[command(flatten)]
        store: StoreArg,
        /// The incident id.
        id: String,
        /// The register, for the processor agreements' notice periods.
        #[arg(long)]
        policy: Option<std::path::PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: OutFormat,
    },
    /// A document of an incident: the notification as the AP's form asks for it, the notice
    /// to the people affected, or (as a processor) the notice to a controller.
    Export {
        #[command(flatten)]
        store: StoreArg,
        /// The incident id.
        id: String,
        /// Which document.
        #[arg(long, value_enum, default_value_t = Document::Notification)]
        what: Document,
        /// Language.
        #[arg(long, default_value = "nl", value_parser = ["nl", "en"])]
        lang: String,
        /// Markdown or JSON (the notification).
        #[arg(long, value_enum, default_value_t = DocFormat::Md)]
        format: DocFormat,
        /// The processor activity whose controller the notice is for (with `--what controller`).
        #[arg(long)]
        activity: Option<String>,
        /// The register, for the organisation's name, KvK number and contact.
        #[arg(long)]
        policy: Option<std::path::PathBuf>,
    },
}

/// Who makes a change, for the incident's history and the audit trail.
#[derive(Debug, Clone, Args)]
pub struct ByArg {
    /// Who makes the change (a name or role); default `cli:` and the operating-system user.
    #[arg(long = "by")]
    by: Option<String>,
}

impl ByArg {
    fn actor(&self) -> String {
        self.by
            .clone()
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| {
                let user = std::env::var("USER")
                    .or_else(|_| std::env::var("LOGNAME"))
                    .unwrap_or_else(|_| "unknown".into());
                format!("cli:{user}")
            })
    }
}

/// Yes or no.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum YesNo {
    /// Yes.
    Yes,
    /// No.
    No,
}

/// A document of an incident.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Document {
    /// The notification to the AP.
    Notification,
    /// The notice to the people affected (Art. 34(2)).
    People,
    /// The processor's notice to a controller (Art. 33(2)); needs `--activity`.
    Controller,
}

/// Document formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DocFormat {
    /// Markdown.
    Md,
    /// JSON.
    Json,
}

/// The facts of an incident, as flags.
#[derive(Debug, Clone, Args)]
pub struct FactArgs {
    /// When discovered (RFC 3339 with offset).
    #[arg(long)]
    discovered: Option<String>,
    /// Who reported it (a role or department).
    #[arg(long)]
    reported_by: Option<String>,
    /// Whether it is still going on.
    #[arg(long, value_enum)]
    ongoing: Option<YesNo>,
    /// What happened to the data: read, copied, altered, deleted, lost, stolen, misdirected
    /// (repeatable).
    #[arg(long)]
    nature: Vec<String>,
    /// A system involved (repeatable).
    #[arg(long)]
    system: Vec<String>,
    /// A data category (the register's fideslang key; repeatable).
    #[arg(long)]
    category: Vec<String>,
    /// Special categories or criminal data are involved.
    #[arg(long)]
    special: bool,
    /// The BSN is involved.
    #[arg(long)]
    bsn: bool,
    /// People affected, at least.
    #[arg(long)]
    people_min: Option<u64>,
    /// People affected, at most.
    #[arg(long)]
    people_max: Option<u64>,
    /// Records, at least.
    #[arg(long)]
    records_min: Option<u64>,
    /// Records, at most.
    #[arg(long)]
    records_max: Option<u64>,
    /// A group of people affected (repeatable).
    #[arg(long)]
    group: Vec<String>,
    /// Whether the data was encrypted or hashed so that it cannot be read.
    #[arg(long, value_enum)]
    encrypted: Option<YesNo>,
    /// Likely consequences.
    #[arg(long)]
    consequences: Option<String>,
    /// Measures taken.
    #[arg(long)]
    measures_taken: Option<String>,
    /// Measures planned.
    #[arg(long)]
    measures_planned: Option<String>,
    /// Cross-border aspects.
    #[arg(long)]
    cross_border: Option<String>,
    /// The DPO or contact.
    #[arg(long)]
    contact: Option<String>,
    /// A processor activity of the register involved: data processed for another controller,
    /// who must be told (repeatable).
    #[arg(long)]
    processor_activity: Vec<String>,
}

impl FactArgs {
    /// The flags given, over `base`.
    fn over(&self, mut f: IncidentFacts) -> anyhow::Result<IncidentFacts> {
        let yn = |v: Option<YesNo>| v.map(|v| matches!(v, YesNo::Yes));
        if let Some(d) = &self.discovered {
            f.discovered_at = Some(breach::parse_moment(d)?);
        }
        if self.reported_by.is_some() {
            f.reported_by = self.reported_by.clone();
        }
        if self.ongoing.is_some() {
            f.ongoing = yn(self.ongoing);
        }
        if !self.nature.is_empty() {
            f.nature = self
                .nature
                .iter()
                .map(|n| n.parse::<Nature>())
                .collect::<Result<_, _>>()?;
        }
        if !self.system.is_empty() {
            f.systems = self.system.clone();
        }
        if !self.category.is_empty() {
            f.categories = self.category.clone();
        }
        f.special_categories |= self.special;
        f.bsn |= self.bsn;
        f.people_min = self.people_min.or(f.people_min);
        f.people_max = self.people_max.or(f.people_max);
        f.records_min = self.records_min.or(f.records_min);
        f.records_max = self.records_max.or(f.records_max);
        if !self.group.is_empty() {
            f.groups = self.group.clone();
        }
        if !self.processor_activity.is_empty() {
            f.processor_activities = self.processor_activity.clone();
        }
        if self.encrypted.is_some() {
            f.encrypted = yn(self.encrypted);
        }
        for (dst, src) in [
            (&mut f.consequences, &self.consequences),
            (&mut f.measures_taken, &self.measures_taken),
            (&mut f.measures_planned, &self.measures_planned),
            (&mut f.cross_border, &self.cross_border),
            (&mut f.contact, &self.contact),
        ] {
            if src.is_some() {
                dst.clone_from(src);
            }
        }
        Ok(f)
    }
}

/// Runs one command of this area.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let Commands::Breach(c) = cmd;
    rt.block_on(run_async(c))
}

fn tz() -> anyhow::Result<jiff::tz::TimeZone> {
    Ok(waarborg_app::config::time_zone(
        std::env::var(waarborg_app::config::TZ_ENV).ok().as_deref(),
    )?)
}

fn moment(s: Option<&str>) -> anyhow::Result<jiff::Timestamp> {
    Ok(breach::moment_or_now(s)?)
}

fn incident_json(i: &waarborg_store::Incident, tz: &jiff::tz::TimeZone) -> serde_json::Value {
    let mut v = serde_json::to_value(i).unwrap_or(serde_json::Value::Null);
    if let Some(o) = v.as_object_mut() {
        let c = breach::clock(i, jiff::Timestamp::now(), tz);
        o.insert("ap_deadline".into(), c.ap_deadline.clone().into());
        o.insert("aware_at".into(), breach::rfc3339(i.aware_at, tz).into());
        o.insert("clock".into(), serde_json::to_value(&c).unwrap_or_default());
    }
    v
}

fn line(i: &waarborg_store::Incident, tz: &jiff::tz::TimeZone) {
    let c = breach::clock(i, jiff::Timestamp::now(), tz);
    let flag = if c.overdue {
        "  OVERDUE / TE LAAT"
    } else if c.notification_due {
        "  to notify / te melden"
    } else {
        ""
    };
    println!(
        "{}  {:<9} AP deadline {}{flag}  {}",
        i.id,
        i.status.as_str(),
        c.ap_deadline,
        i.summary
    );
}

async fn run_async(cmd: BreachCmd) -> anyhow::Result<ExitCode> {
    let tz = tz()?;
    match cmd {
        BreachCmd::Open {
            store,
            summary,
            aware,
            facts,
            policy,
            by,
            format,
        } => {
            let aware = breach::parse_moment(&aware)?;
            let facts = facts.over(IncidentFacts::default())?;
            let register = waarborg_app::register::load_optional(policy.as_deref())?;
            let store = open(&store).await?;
            let i = breach::open(
                &store,
                register.as_ref().map(|r| &r.policy),
                &by.actor(),
                &summary,
                aware,
                facts,
            )
            .await?;
            match format {
                OutFormat::Json => print_json(&incident_json(&i, &tz))?,
                OutFormat::Text => {
                    println!("opened incident {}", i.id);
                    println!(
                        "  notify the AP by {} (72 hours after {})",
                        breach::rfc3339(i.ap_deadline, &tz),
                        breach::rfc3339(i.aware_at, &tz)
                    );
                }
            }
        }
        BreachCmd::Update {
            store,
            id,
            summary,
            facts,
            policy,
            by,
        } => {
            let register = waarborg_app::register::load_optional(policy.as_deref())?;
            let store = open_existing(&store).await?;
            let old = store.incident(&id).await?;
            let facts = facts.over(old.facts.clone())?;
            let i = breach::update(
                &store,
                register.as_ref().map(|r| &r.policy),
                &by.actor(),
                &id,
                summary.as_deref(),
                facts,
            )
            .await?;
            println!("incident {} updated", i.id);
        }
        BreachCmd::Assess {
            store,
            id,
            risk,
            reasons,
            notify_ap,
            notify_reason,
            inform,
            inform_reason,
            by,
        } => {
            let store = open_existing(&store).await?;
            let a = Assessment {
                risk: risk.parse::<Risk>()?,
                reasons,
                notify_ap: matches!(notify_ap, YesNo::Yes),
                notify_ap_reason: notify_reason,
                inform_people: matches!(inform, YesNo::Yes),
                inform_people_reason: inform_reason,
                at: jiff::Timestamp::now(),
            };
            let i = breach::assess(&store, &by.actor(), &id, a).await?;
            line(&i, &tz);
        }
        BreachCmd::Notify {
            store,
            id,
            at,
            reference,
            late_reason,
            by,
        } => {
            let store = open_existing(&store).await?;
            let i = breach::notify(
                &store,
                &by.actor(),
                &id,
                moment(at.as_deref())?,
                reference.as_deref(),
                late_reason.as_deref(),
            )
            .await?;
            println!(
                "notification {} to the AP recorded for incident {}",
                i.notifications.len(),
                i.id
            );
        }
        BreachCmd::Inform {
            store,
            id,
            at,
            how,
            by,
        } => {
            let store = open_existing(&store).await?;
            let i = breach::inform(&store, &by.actor(), &id, moment(at.as_deref())?, &how).await?;
            println!("informing the people recorded for incident {}", i.id);
        }
        BreachCmd::TellController {
            store,
            id,
            activity,
            at,
            how,
            by,
        } => {
            let store = open_existing(&store).await?;
            let i = breach::tell_controller(
                &store,
                &by.actor(),
                &id,
                &activity,
                moment(at.as_deref())?,
                &how,
            )
            .await?;
            println!(
                "telling the controller of `{}` recorded for incident {}",
                activity.trim(),
                i.id
            );
        }
        BreachCmd::Close {
            store,
            id,
            note,
            by,
        } => {
            let store = open_existing(&store).await?;
            let i = breach::close(&store, &by.actor(), &id, &note).await?;
            println!("incident {} closed", i.id);
        }
        BreachCmd::List { store, format } => {
            let store = open_existing(&store).await?;
            let list = breach::register(&store).await?;
            match format {
                OutFormat::Json => print_json(
                    &list
                        .iter()
                        .map(|i| incident_json(i, &tz))
                        .collect::<Vec<_>>(),
                )?,
                OutFormat::Text => {
                    if list.is_empty() {
                        println!("no incidents / geen datalekken");
                    }
                    for i in &list {
                        line(i, &tz);
                    }
                }
            }
        }
        BreachCmd::Show {
            store,
            id,
            policy,
            format,
        } => {
            let register = waarborg_app::register::load_optional(policy.as_deref())?;
            let store = open_existing(&store).await?;
            let i = store.incident(&id).await?;
            let events = store.incident_events(&i.id).await?;
            let controllers = breach::processor_clocks(
                &i,
                register.as_ref().map(|r| &r.policy),
                waarborg_policy::Lang::En,
                jiff::Timestamp::now(),
                &tz,
            )?;
            match format {
                OutFormat::Json => {
                    let mut v = incident_json(&i, &tz);
                    if let Some(o) = v.as_object_mut() {
                        o.insert(
                            "history".into(),
                            events
                                .iter()
                                .map(|e| {
                                    serde_json::json!({
                                        "at": breach::rfc3339(e.at, &tz),
                                        "event": e.event,
                                        "by": e.actor,
                                        "audit_seq": e.audit_seq,
                                    })
                                })
                                .collect::<Vec<_>>()
                                .into(),
                        );
                        o.insert("controllers".into(), serde_json::to_value(&controllers)?);
                    }
                    print_json(&v)?;
                }
                OutFormat::Text => {
                    line(&i, &tz);
                    for c in &controllers {
                        let state = match (&c.told, c.overdue) {
                            (Some(t), false) => format!("told {t}"),
                            (Some(t), true) => format!("told LATE {t}"),
                            (None, true) => "OVERDUE / TE LAAT".to_string(),
                            (None, false) => "to tell / te melden".to_string(),
                        };
                        println!(
                            "  controller {} ({}): by {}  {state}",
                            c.controller, c.activity, c.deadline
                        );
                    }
                    for e in &events {
                        println!(
                            "  {}  {:<15} by {} (audit seq {})",
                            breach::rfc3339(e.at, &tz),
                            e.event,
                            e.actor.as_deref().unwrap_or("?"),
                            e.audit_seq
                        );
                    }
                }
            }
        }
        BreachCmd::Export {
            store,
            id,
            what,
            lang,
            format,
            activity,
            policy,
        } => {
            let lang = lang
                .parse::<waarborg_policy::Lang>()
                .map_err(|e| anyhow::anyhow!("--lang: {e}"))?;
            let register = waarborg_app::register::load_optional(policy.as_deref())?;
            let policy = register.as_ref().map(|r| &r.policy);
            let store = open_existing(&store).await?;
            let i = store.incident(&id).await?;
            match (what, format) {
                (Document::Notification, DocFormat::Json) => {
                    print_json(&breach::ap_notification(&i, policy, lang, &tz)?)?
                }
                (Document::Notification, DocFormat::Md) => print!(
                    "{}",
                    breach::notification_markdown(&breach::ap_notification(&i, policy, lang, &tz)?)
                ),
                (Document::People, _) => print!("{}", breach::people_notice(&i, policy, lang)?),
                (Document::Controller, _) => {
                    let Some(activity) = activity else {
                        anyhow::bail!(
                            "--what controller needs --activity: the processor activity whose controller the notice is for"
                        );
                    };
                    print!(
                        "{}",
                        breach::controller_notice(&i, &activity, policy, lang, &tz)?
                    )
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
