//! Commands of the accounts area: `user` (accounts of the server) and `token` (API tokens).
//! The logic lives in `waarborg-store`; this module only parses arguments, reads passwords and
//! prints. Every command takes `--store URL` like the store commands.
//!
//! Passwords never come from the command line (it shows in `ps` and the shell history): from
//! `WAARBORG_PASSWORD`, from one line of standard input with `--password-stdin`, or typed twice
//! on the terminal without echo.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use jiff::Timestamp;
use waarborg_policy::Lang;
use waarborg_store::deadline::{self, fmt_ts};
use waarborg_store::{ApiToken, Role, Store, User};

use super::register::LangArg;
use super::store::{OutFormat, StoreArg, open, open_existing, print_json};

/// The environment variable a password may come from.
pub const PASSWORD_ENV: &str = "WAARBORG_PASSWORD";

/// The commands of this area.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Accounts of the server (`waarborg serve`): add, list, change role or password, disable.
    #[command(subcommand)]
    User(UserCmd),
    /// API tokens for the JSON API: add, list, revoke.
    #[command(subcommand)]
    Token(TokenCmd),
}

/// `waarborg user ...`
#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user. The password (at least 12 characters) comes from WAARBORG_PASSWORD,
    /// from standard input with --password-stdin, or is asked twice on the terminal.
    Add(UserAddArgs),
    /// List the users (id, e-mail address, role, language, enabled or disabled).
    List(UserListArgs),
    /// Change a user's role; it takes effect at the user's next request.
    Role(UserRoleArgs),
    /// Set a new password for a user (ends the user's sessions).
    Password(UserPasswordArgs),
    /// Disable a user: no more logins, sessions end, API tokens stop working.
    Disable(UserDisableArgs),
}

/// A role, for the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Everything, including users, API tokens, sweeps and the register.
    Officer,
    /// Carries out cases and records consent.
    Operator,
    /// Reads everything, changes nothing.
    Auditor,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Officer => Role::Officer,
            RoleArg::Operator => Role::Operator,
            RoleArg::Auditor => Role::Auditor,
        }
    }
}

/// Where the password comes from.
#[derive(Debug, Clone, Args)]
pub struct PasswordArg {
    /// Read the password from one line of standard input (for scripts) instead of
    /// WAARBORG_PASSWORD or a prompt.
    #[arg(long)]
    password_stdin: bool,
}

/// Arguments of `user add`.
#[derive(Debug, Args)]
pub struct UserAddArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The user's e-mail address (the login name; stored lower-case).
    #[arg(value_name = "EMAIL")]
    email: String,
    /// What the user may do.
    #[arg(long, value_enum)]
    role: RoleArg,
    /// The language of the dashboard for this user.
    #[arg(long, value_enum, default_value = "nl")]
    lang: LangArg,
    #[command(flatten)]
    password: PasswordArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: OutFormat,
}

/// Arguments of `user list`.
#[derive(Debug, Args)]
pub struct UserListArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: OutFormat,
}

/// Arguments of `user role`.
#[derive(Debug, Args)]
pub struct UserRoleArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The user's e-mail address.
    #[arg(value_name = "EMAIL")]
    email: String,
    /// The new role.
    #[arg(long, value_enum)]
    role: RoleArg,
}

/// Arguments of `user password`.
#[derive(Debug, Args)]
pub struct UserPasswordArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The user's e-mail address.
    #[arg(value_name = "EMAIL")]
    email: String,
    #[command(flatten)]
    password: PasswordArg,
}

/// Arguments of `user disable`.
#[derive(Debug, Args)]
pub struct UserDisableArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The user's e-mail address.
    #[arg(value_name = "EMAIL")]
    email: String,
}

/// `waarborg token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Make an API token for a user; it is printed once, on standard output.
    Add(TokenAddArgs),
    /// List API tokens (never the tokens themselves: their first characters).
    List(TokenListArgs),
    /// Revoke an API token by its id (see `token list`); it stops working at once.
    Revoke(TokenRevokeArgs),
}

/// Arguments of `token add`.
#[derive(Debug, Args)]
pub struct TokenAddArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The e-mail address of the user the token acts as (with that user's role).
    #[arg(long, value_name = "EMAIL")]
    user: String,
    /// What the token is for (ci, portal, ...).
    #[arg(long)]
    name: String,
    /// How many days the token works.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,
}

/// Arguments of `token list`.
#[derive(Debug, Args)]
pub struct TokenListArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Only the tokens of this user (e-mail address); default: every user's.
    #[arg(long, value_name = "EMAIL")]
    user: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: OutFormat,
}

/// Arguments of `token revoke`.
#[derive(Debug, Args)]
pub struct TokenRevokeArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The token's id (from `token list`).
    #[arg(value_name = "ID")]
    id: i64,
}

/// Runs one command of this area and returns the process exit code.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        match cmd {
            Commands::User(c) => run_user(c).await,
            Commands::Token(c) => run_token(c).await,
        }
    })
}

fn lang(l: LangArg) -> Lang {
    match l {
        LangArg::Nl => Lang::Nl,
        LangArg::En => Lang::En,
    }
}

/// The password from WAARBORG_PASSWORD, standard input (`--password-stdin`) or the terminal
/// (asked twice, without echo).
fn read_password(p: &PasswordArg) -> anyhow::Result<String> {
    if p.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        if pw.is_empty() {
            bail!("standard input held no password / er kwam geen wachtwoord op standaardinvoer");
        }
        return Ok(pw);
    }
    if let Ok(pw) = std::env::var(PASSWORD_ENV)
        && !pw.is_empty()
    {
        return Ok(pw);
    }
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Wachtwoord / Password: ")
            .context("cannot read the password from the terminal")?;
        let again = rpassword::prompt_password("Nogmaals / Again: ")
            .context("cannot read the password from the terminal")?;
        if first != again {
            bail!("the two passwords differ / de twee wachtwoorden verschillen");
        }
        return Ok(first);
    }
    bail!(
        "no password: set {PASSWORD_ENV}, pass --password-stdin, or run on a terminal / geen \
         wachtwoord: zet {PASSWORD_ENV}, geef --password-stdin of gebruik een terminal"
    )
}

async fn find_user(store: &Store, email: &str) -> anyhow::Result<User> {
    match store.user_by_email(email).await? {
        Some(u) => Ok(u),
        None => bail!(
            "no user with e-mail address {email} (see `waarborg user list`) / geen gebruiker met \
             dit e-mailadres"
        ),
    }
}

fn state(u: &User) -> &'static str {
    if u.disabled {
        "disabled/uitgeschakeld"
    } else {
        "enabled/actief"
    }
}

fn print_user_line(u: &User) {
    println!(
        "{:>4}  {:<36} {:<9} {}  {}",
        u.id,
        u.email,
        u.role.as_str(),
        u.lang.code(),
        state(u)
    );
}

fn day(ts: Timestamp) -> String {
    deadline::local_date(ts)
        .map(|d| d.to_string())
        .unwrap_or_else(|_| fmt_ts(ts))
}

fn token_state(t: &ApiToken, now: Timestamp) -> &'static str {
    if t.revoked_at.is_some() {
        "revoked/ingetrokken"
    } else if now >= t.expires_at {
        "expired/verlopen"
    } else {
        "active/actief"
    }
}

async fn run_user(cmd: UserCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCmd::Add(a) => {
            let password = read_password(&a.password)?;
            let store = open(&a.store).await?;
            let u = store
                .add_user(&a.email, &password, a.role.into(), lang(a.lang))
                .await?;
            match a.format {
                OutFormat::Json => print_json(&u)?,
                OutFormat::Text => {
                    println!(
                        "user {} added / gebruiker toegevoegd: {} ({}, {})",
                        u.id,
                        u.email,
                        u.role.as_str(),
                        u.lang.code()
                    );
                }
            }
            store.close().await;
        }
        UserCmd::List(a) => {
            let store = open_existing(&a.store).await?;
            let users = store.users().await?;
            match a.format {
                OutFormat::Json => print_json(&users)?,
                OutFormat::Text => {
                    if users.is_empty() {
                        println!("no users / geen gebruikers (add one with `waarborg user add`)");
                    }
                    for u in &users {
                        print_user_line(u);
                    }
                }
            }
            store.close().await;
        }
        UserCmd::Role(a) => {
            let store = open_existing(&a.store).await?;
            let u = find_user(&store, &a.email).await?;
            let before = u.role;
            let u = store.set_role(u.id, a.role.into()).await?;
            if before == u.role {
                println!(
                    "user {} is already {} / gebruiker heeft deze rol al",
                    u.id,
                    u.role.as_str()
                );
            } else {
                println!(
                    "user {}: role {} -> {} / rol gewijzigd",
                    u.id,
                    before.as_str(),
                    u.role.as_str()
                );
            }
            store.close().await;
        }
        UserCmd::Password(a) => {
            let password = read_password(&a.password)?;
            let store = open_existing(&a.store).await?;
            let u = find_user(&store, &a.email).await?;
            store.set_password(u.id, &password).await?;
            println!(
                "user {}: password set, sessions ended / wachtwoord gewijzigd, sessies beëindigd",
                u.id
            );
            store.close().await;
        }
        UserCmd::Disable(a) => {
            let store = open_existing(&a.store).await?;
            let u = find_user(&store, &a.email).await?;
            let was = u.disabled;
            let u = store.disable_user(u.id).await?;
            if was {
                println!(
                    "user {} was already disabled / gebruiker was al uitgeschakeld",
                    u.id
                );
            } else {
                println!(
                    "user {} disabled: sessions ended, API tokens stopped / gebruiker \
                     uitgeschakeld: sessies beëindigd, API-tokens werken niet meer",
                    u.id
                );
            }
            store.close().await;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_token(cmd: TokenCmd) -> anyhow::Result<ExitCode> {
    let now = deadline::now();
    match cmd {
        TokenCmd::Add(a) => {
            let store = open_existing(&a.store).await?;
            let u = find_user(&store, &a.user).await?;
            let ttl = Duration::from_secs(u64::from(a.days) * 86_400);
            let (secret, t) = store.create_api_token(u.id, &a.name, now, ttl).await?;
            eprintln!(
                "API token {} ({}) for user {} ({}), valid until {}.",
                t.id,
                t.prefix,
                u.id,
                u.role.as_str(),
                day(t.expires_at)
            );
            eprintln!(
                "It is shown only now: store it safely. / Het token wordt alleen nu getoond: \
                 bewaar het veilig."
            );
            println!("{}", secret.as_str());
            store.close().await;
        }
        TokenCmd::List(a) => {
            let store = open_existing(&a.store).await?;
            let users = match &a.user {
                Some(email) => vec![find_user(&store, email).await?],
                None => store.users().await?,
            };
            let mut rows: Vec<(ApiToken, String)> = Vec::new();
            for u in &users {
                for t in store.api_tokens(u.id).await? {
                    rows.push((t, u.email.clone()));
                }
            }
            rows.sort_by_key(|(t, _)| t.id);
            match a.format {
                OutFormat::Json => {
                    let v: Vec<serde_json::Value> = rows
                        .iter()
                        .map(|(t, email)| {
                            let mut v = serde_json::to_value(t).unwrap_or_default();
                            if let Some(o) = v.as_object_mut() {
                                o.insert("user_email".into(), email.clone().into());
                                o.insert("active".into(), t.active(now).into());
                            }
                            v
                        })
                        .collect();
                    print_json(&v)?;
                }
                OutFormat::Text => {
                    if rows.is_empty() {
                        println!("no API tokens / geen API-tokens");
                    }
                    for (t, email) in &rows {
                        println!(
                            "{:>4}  {}…  {:<16} {:<32} until {}  last used {}  {}",
                            t.id,
                            t.prefix,
                            t.name,
                            email,
                            day(t.expires_at),
                            t.last_used_at.map_or_else(|| "never/nooit".into(), day),
                            token_state(t, now)
                        );
                    }
                }
            }
            store.close().await;
        }
        TokenCmd::Revoke(a) => {
            let store = open_existing(&a.store).await?;
            let t = store.revoke_api_token(a.id).await?;
            println!("API token {} ({}…) revoked / ingetrokken", t.id, t.prefix);
            store.close().await;
        }
    }
    Ok(ExitCode::SUCCESS)
}
