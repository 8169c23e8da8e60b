//! The Waarborg register: an organisation's processing of personal data as policy-as-code.
//!
//! This crate is the ground floor of Waarborg: it knows the register's types, loads them from
//! TOML with precise error locations, lints them against the GDPR and Dutch law, and renders
//! the privacy statement and the Art. 30 register from them. It does no I/O beyond reading a file.
#![warn(missing_docs)]
