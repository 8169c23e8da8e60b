//! The dashboard's templates (minijinja, compiled into the binary, HTML autoescaped).

use waarborg_app::AppError;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("cases.html", include_str!("../templates/cases.html")),
    ("case.html", include_str!("../templates/case.html")),
    (
        "retention.html",
        include_str!("../templates/retention.html"),
    ),
    ("consent.html", include_str!("../templates/consent.html")),
    ("register.html", include_str!("../templates/register.html")),
    ("audit.html", include_str!("../templates/audit.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("breaches.html", include_str!("../templates/breaches.html")),
    ("breach.html", include_str!("../templates/breach.html")),
    (
        "portal_base.html",
        include_str!("../templates/portal_base.html"),
    ),
    ("privacy.html", include_str!("../templates/privacy.html")),
    (
        "portal_form.html",
        include_str!("../templates/portal_form.html"),
    ),
    (
        "portal_message.html",
        include_str!("../templates/portal_message.html"),
    ),
    (
        "portal_confirm.html",
        include_str!("../templates/portal_confirm.html"),
    ),
    (
        "portal_status.html",
        include_str!("../templates/portal_status.html"),
    ),
    (
        "portal_preferences.html",
        include_str!("../templates/portal_preferences.html"),
    ),
    ("outbox.html", include_str!("../templates/outbox.html")),
    (
        "demo_mail.html",
        include_str!("../templates/demo_mail.html"),
    ),
];

/// The dashboard's stylesheet.
pub(crate) const CSS: &str = include_str!("../static/app.css");

/// The template environment.
pub(crate) fn environment() -> Result<minijinja::Environment<'static>, AppError> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| AppError::internal(format!("template {name}: {e}")))?;
    }
    Ok(env)
}
