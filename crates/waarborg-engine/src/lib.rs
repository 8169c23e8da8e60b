//! Enforces the register on the organisation's own SQL databases (SQLite, PostgreSQL):
//! access, erasure and rectification requests, and retention sweeps.
#![warn(missing_docs)]
