//! Who may do what: one permission table for every front end (the dashboard's buttons, the
//! API's endpoints). The roles are the store's [`Role`]: the auditor reads everything and
//! changes nothing; the operator carries out cases; the officer does everything, including
//! users and sweeps.

pub use waarborg_store::Role;

use crate::error::{AppError, Result};

/// Something a user asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read cases, consents, the register, the audit trail.
    Read,
    /// Open, verify, extend, reject, dry-run and carry out cases.
    WorkCases,
    /// Record consents and withdrawals on a person's behalf.
    RecordConsent,
    /// Record a breach and its facts.
    RecordBreach,
    /// Assess a breach, record its notifications, close it.
    DecideBreach,
    /// Run a retention sweep (not a dry run).
    Sweep,
    /// Add users, change roles, issue tokens for others.
    Admin,
}

impl Action {
    /// Whether `role` may do this.
    pub fn allowed(self, role: Role) -> bool {
        match self {
            Action::Read => true,
            Action::WorkCases | Action::RecordConsent | Action::RecordBreach => {
                role.can_change_cases()
            }
            Action::Sweep | Action::Admin | Action::DecideBreach => role.can_admin(),
        }
    }
}

/// `Ok` when `role` may do `action`, else a `Forbidden` error saying who may.
pub fn permit(role: Role, action: Action) -> Result<()> {
    if action.allowed(role) {
        return Ok(());
    }
    let who = match action {
        Action::Read => "everyone",
        Action::WorkCases | Action::RecordConsent | Action::RecordBreach => {
            "an operator or the officer"
        }
        Action::Sweep | Action::Admin | Action::DecideBreach => "the officer",
    };
    Err(AppError::forbidden(format!(
        "your role ({}) may not do this; {who} may",
        role.as_str()
    )))
}
