//! Waarborg's own state: data-subject request cases with deadlines, the consent ledger and the
//! tamper-evident audit hash chain; SQLite by default, PostgreSQL by URL.
#![warn(missing_docs)]
