#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Ingest: formats, encodings, limits and errors.

use waarborg_reader::ingest::{Format, IngestError, MAX_INPUT_BYTES, ingest, ingest_path};
use waarborg_reader::{ReadError, read_bytes, read_path};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn html_keeps_content_and_drops_boilerplate() {
    let r = read_path(fixture("ingest_privacy.html")).unwrap();
    let t = &r.document.text;
    assert_eq!(r.document.format, Format::Html);
    assert!(t.contains("Privacyverklaring"));
    assert!(t.contains("IBAN"));
    assert!(!t.contains("Over ons"), "{t}");
    assert!(!t.contains("Accepteren"), "{t}");
    assert!(!t.contains("console.log"), "{t}");
    assert!(!t.contains("Alle rechten"), "{t}");
    assert_eq!(
        r.summary.data_categories,
        vec!["naam", "e-mailadres", "IBAN"]
    );
    assert_eq!(r.summary.retention[0].period.as_deref(), Some("P7Y"));
}

#[test]
fn latin1_text_is_decoded_with_offsets_to_the_original() {
    let raw = std::fs::read(fixture("ingest_latin1.txt")).unwrap();
    let doc = ingest_path(std::path::Path::new(&fixture("ingest_latin1.txt"))).unwrap();
    assert_eq!(doc.encoding, "windows-1252");
    assert!(doc.text.contains("Café De Hoek"));
    assert!(!doc.text.contains('\r'));
    // the offset of "De Hoek" maps back to the same bytes in the original
    let at = doc.text.find("De Hoek").unwrap();
    let orig = doc.offsets.to_original(at);
    assert_eq!(&raw[orig..orig + 7], b"De Hoek");
    let r = read_path(fixture("ingest_latin1.txt")).unwrap();
    assert_eq!(r.summary.retention[0].period.as_deref(), Some("P2Y"));
    assert_eq!(r.summary.request_deadline.as_deref(), Some("P4W"));
}

#[test]
fn utf8_bom_and_utf16() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice("Wij bewaren uw gegevens één jaar.".as_bytes());
    let doc = ingest("bom.txt", &bytes, None).unwrap();
    assert!(doc.text.starts_with("Wij"));
    assert_eq!(doc.offsets.to_original(0), 3);

    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Privacy: wij bewaren niets.".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let doc = ingest("u16.txt", &utf16, Some(Format::Txt)).unwrap();
    assert_eq!(doc.text, "Privacy: wij bewaren niets.");
    assert_eq!(doc.offsets.to_original(1), 4);
}

#[test]
fn malformed_pdf_is_a_typed_error_not_a_panic() {
    for bytes in [
        &b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"[..],
        &b"%PDF-"[..],
        &b"%PDF-1.4\n\x00\xff\xfe garbage \x01\x02"[..],
    ] {
        match read_bytes("bad.pdf", bytes, None) {
            Err(ReadError::Ingest(
                IngestError::Pdf { .. }
                | IngestError::PdfNoText { .. }
                | IngestError::PdfTimeout { .. },
            )) => {}
            other => panic!("unexpected: {:?}", other.map(|r| r.document.text)),
        }
    }
    let err = read_bytes("bad.pdf", b"%PDF-", None).unwrap_err();
    assert!(err.to_string().contains("bad.pdf"));
}

#[test]
fn oversized_input_is_refused_with_a_clear_message() {
    let big = vec![b'x'; MAX_INPUT_BYTES + 1];
    let err = read_bytes("huge.txt", &big, None).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("huge.txt") && msg.contains("limit"), "{msg}");
}

#[test]
fn missing_file_names_the_path() {
    let err = read_path("/nonexistent/privacy.txt").unwrap_err();
    assert!(err.to_string().contains("/nonexistent/privacy.txt"));
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for len in [0usize, 1, 2, 7, 64, 300, 2000] {
        let mut bytes = Vec::with_capacity(len);
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            bytes.push((seed & 0xff) as u8);
        }
        for hint in [
            None,
            Some(Format::Txt),
            Some(Format::Markdown),
            Some(Format::Html),
        ] {
            let _ = read_bytes("fuzz", &bytes, hint);
        }
    }
    // text made of markers and numbers only
    let odd = "1.\n 1.\n  a)\n• \n32.2.\nartikel 99.99.99\n(((\n:::\n€ 0,00\n".repeat(50);
    let r = read_bytes("odd.txt", odd.as_bytes(), None).unwrap();
    assert!(!r.structure.clauses.is_empty());
}

#[test]
fn huge_enumerations_stay_linear() {
    // 60 000 distinct members in one sentence: deduplication must not be quadratic.
    let members: Vec<String> = (0..60_000)
        .map(|i| {
            if i % 3 == 0 {
                "e-mailadres".to_owned()
            } else {
                format!("veld{i}")
            }
        })
        .collect();
    let text = format!("Wij verwerken: naam, {}.", members.join(", "));
    let r = read_bytes("big.txt", text.as_bytes(), None).unwrap();
    assert!(r.summary.data_categories.len() > 1000);
    let emails: Vec<String> = (0..30_000).map(|i| format!("x{i}@example.nl")).collect();
    let r = read_bytes("mails.txt", emails.join(" ").as_bytes(), None).unwrap();
    assert_eq!(r.summary.controller.emails.len(), 30_000);
}

/// Images, archives (a .docx is a ZIP), binary data and empty or near-empty text are refused with
/// a message that says what the input is, not read as a document.
#[test]
fn unreadable_input_is_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02";
    let docx = b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0word/document.xml";
    let mut noise: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
    noise.retain(|b| *b != 0);
    for (name, bytes, needle) in [
        ("scan.png", &png[..], "PNG image"),
        ("letter.docx", &docx[..], "ZIP archive"),
        ("blob.bin", &noise[..], "binary data"),
        ("nul.txt", &b"Privacy\0\0\0statement\0\0"[..], "binary data"),
        ("empty.txt", &b""[..], "no words"),
        ("blank.txt", &b"   \n\n\t \n"[..], "no words"),
        ("short.txt", &b"Privacy.\n\n12 34"[..], "only 1 word"),
    ] {
        let err = read_bytes(name, bytes, None).unwrap_err();
        assert!(err.is_unreadable(), "{name}: {err}");
        let msg = err.to_string();
        assert!(msg.contains(name) && msg.contains(needle), "{name}: {msg}");
    }
    // a short but real statement is still read
    assert!(read_bytes("ok.txt", "Wij bewaren uw gegevens 7 jaar.".as_bytes(), None).is_ok());
    // a PDF whose text layer holds no words is a scan
    let err = read_bytes("missing.txt", b"", Some(Format::Pdf)).unwrap_err();
    assert!(!matches!(
        err,
        ReadError::Ingest(IngestError::Unreadable { .. })
    ));
}
