//! Output formats: human report, JSON / JSON Lines, SARIF 2.1.0, self-contained HTML, draft register.
