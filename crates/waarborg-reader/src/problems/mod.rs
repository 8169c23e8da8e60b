//! Findings: problems in a document, each with a stable rule code, the law it rests on and exact quotes.
