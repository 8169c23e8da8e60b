//! Reads privacy statements, general terms and processor agreements (Dutch and English; txt, md,
//! html, pdf) into facts with spans and findings with exact quotes.
#![warn(missing_docs)]
