//! Ingest: bytes → [`Document`] (normalised text, an offset map back to the original bytes, and
//! line starts).
//!
//! Supported formats: plain text, Markdown (kept as written, so quotes stay verbatim), HTML
//! (navigation, footers, scripts, styles and cookie banners dropped; headings and lists kept) and
//! PDF (the text layer, extracted in an isolated thread with a timeout, so a malformed PDF is an
//! error, never a crash).
//!
//! Normalisation is deliberately light: the encoding is decoded (BOM, UTF-8, else a guess such as
//! Windows-1252), line endings become `\n`, and exotic white space (no-break space, thin space,
//! ...) becomes a plain space. Nothing else changes, so every quote taken from
//! [`Document::text`] is the original text once runs of white space are collapsed.

use std::ops::Range;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use thiserror::Error;

/// The largest input the reader accepts, in bytes (50 MiB). Larger inputs are refused with
/// [`IngestError::TooLarge`] instead of using unbounded memory.
pub const MAX_INPUT_BYTES: usize = 50 * 1024 * 1024;

/// The deepest element nesting the reader parses in HTML. The HTML parser walks the stack of open
/// elements for many tags, so deeper nesting costs time quadratic in the input (50 000 nested
/// `<div>`s take minutes); such input is refused with [`IngestError::Html`]. Browsers cap the
/// tree depth for the same reason (Blink's parser at 512).
pub const MAX_HTML_DEPTH: usize = 512;

/// How long PDF text extraction may take before it is abandoned.
pub const PDF_TIMEOUT: Duration = Duration::from_secs(30);

/// The format of an input document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Plain text.
    Txt,
    /// Markdown.
    Markdown,
    /// HTML.
    Html,
    /// PDF (text layer only).
    Pdf,
}

impl Format {
    /// The format for a file name's extension (`.txt`, `.md`, `.markdown`, `.html`, `.htm`,
    /// `.xhtml`, `.pdf`), case-insensitive; `None` for anything else.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Self::Txt),
            "md" | "markdown" => Some(Self::Markdown),
            "html" | "htm" | "xhtml" => Some(Self::Html),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }

    /// Guesses the format from the first bytes: `%PDF-` is PDF, a leading `<!doctype html`,
    /// `<html` or `<body` (after white space) is HTML, anything else is plain text.
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"%PDF-") {
            return Self::Pdf;
        }
        let head: Vec<u8> = bytes
            .iter()
            .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
            .take(64)
            .map(u8::to_ascii_lowercase)
            .collect();
        if head.starts_with(b"<!doctype html")
            || head.starts_with(b"<html")
            || head.starts_with(b"<head")
            || head.starts_with(b"<body")
            || head.starts_with(b"<?xml")
        {
            return Self::Html;
        }
        Self::Txt
    }

    /// A short lowercase name: `txt`, `md`, `html`, `pdf`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Txt => "txt",
            Self::Markdown => "md",
            Self::Html => "html",
            Self::Pdf => "pdf",
        }
    }
}

/// Why a document could not be read. Every message says what to do about it.
#[derive(Debug, Error)]
pub enum IngestError {
    /// The input is larger than [`MAX_INPUT_BYTES`].
    #[error(
        "{source_name}: the input is {size} bytes, more than the limit of {limit} bytes; split the document or extract the relevant part"
    )]
    TooLarge {
        /// The document's name.
        source_name: String,
        /// Its size in bytes (at least; reading stops after the limit).
        size: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// The file could not be read.
    #[error("{path}: cannot read the file ({error}); check the path and its permissions")]
    Io {
        /// The path as given.
        path: String,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },
    /// The PDF could not be parsed (malformed, encrypted, or the extractor failed).
    #[error(
        "{source_name}: cannot extract text from this PDF ({reason}); export it again as PDF or as text and retry"
    )]
    Pdf {
        /// The document's name.
        source_name: String,
        /// What went wrong.
        reason: String,
    },
    /// PDF text extraction took longer than [`PDF_TIMEOUT`].
    #[error(
        "{source_name}: extracting text from this PDF took longer than {seconds} s; convert it to text (e.g. `pdftotext`) and read that"
    )]
    PdfTimeout {
        /// The document's name.
        source_name: String,
        /// The timeout in seconds.
        seconds: u64,
    },
    /// The PDF has no text layer (a scan).
    #[error(
        "{source_name}: this PDF has no text layer (probably a scan); run OCR on it first and read the result"
    )]
    PdfNoText {
        /// The document's name.
        source_name: String,
    },
    /// The input is no text document: an image, an archive (a `.docx` is one), an executable,
    /// other binary data, or a file with (almost) no words in it.
    #[error("{source_name}: this is not a readable document ({reason}); {advice}")]
    Unreadable {
        /// The document's name.
        source_name: String,
        /// What the input looks like instead.
        reason: String,
        /// What to do about it.
        advice: &'static str,
    },
    /// The HTML could not be turned into text.
    #[error(
        "{source_name}: cannot turn this HTML into text ({reason}); save the page as text and retry"
    )]
    Html {
        /// The document's name.
        source_name: String,
        /// What went wrong.
        reason: String,
    },
}

/// A piecewise-linear map from byte offsets in [`Document::text`] to byte offsets in the original
/// input. Exact for text and Markdown in any supported encoding. For HTML and PDF the "original"
/// is the extracted plain text (the markup itself has no offsets that a quote could point to).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// `(normalised offset, original offset)` at every point where the difference between the
    /// two changes; sorted by both.
    points: Vec<(usize, usize)>,
}

impl OffsetMap {
    fn push(&mut self, norm: usize, orig: usize) {
        if let Some(&(n, o)) = self.points.last() {
            if orig.wrapping_sub(norm) == o.wrapping_sub(n) {
                return;
            }
            if n == norm {
                self.points.pop();
            }
        }
        self.points.push((norm, orig));
    }

    /// The original byte offset for a byte offset into the normalised text.
    #[must_use]
    pub fn to_original(&self, offset: usize) -> usize {
        let idx = self.points.partition_point(|&(n, _)| n <= offset);
        match idx.checked_sub(1).and_then(|i| self.points.get(i)) {
            Some(&(n, o)) => o.saturating_add(offset.saturating_sub(n)),
            None => offset,
        }
    }
}

/// A document read into normalised text.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it came from (the path as given, or a name chosen by the caller).
    pub source: String,
    /// Its format.
    pub format: Format,
    /// The encoding it was decoded from (`UTF-8`, `windows-1252`, ...).
    pub encoding: &'static str,
    /// The normalised text (see the module documentation).
    pub text: String,
    /// Normalised offsets → original offsets.
    pub offsets: OffsetMap,
    /// Byte offset of the start of every line in [`Document::text`]; the first is 0.
    pub lines: Vec<usize>,
}

impl Document {
    /// The 1-based line and column (in characters) of a byte offset into [`Document::text`].
    #[must_use]
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let idx = self.lines.partition_point(|&s| s <= offset);
        let line_start = idx
            .checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .copied()
            .unwrap_or(0);
        let col = self
            .text
            .get(line_start..offset.min(self.text.len()))
            .map_or(0, |s| s.chars().count());
        (idx.max(1), col.saturating_add(1))
    }

    /// The text of a byte range of [`Document::text`], if the range is valid.
    #[must_use]
    pub fn slice(&self, range: Range<usize>) -> Option<&str> {
        self.text.get(range)
    }

    /// The text of a byte range with runs of white space collapsed to one space and trimmed:
    /// the form in which evidence is quoted. Empty when the range is invalid.
    #[must_use]
    pub fn quote(&self, range: Range<usize>) -> String {
        self.slice(range).map(collapse_ws).unwrap_or_default()
    }
}

/// Collapses runs of white space to one space and trims the ends.
#[must_use]
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Reads a file (refusing files larger than [`MAX_INPUT_BYTES`]) and ingests it; the format comes
/// from the extension, else from the content.
///
/// # Errors
/// [`IngestError::Io`] when the file cannot be read, or any error of [`ingest`].
pub fn ingest_path(path: &Path) -> Result<Document, IngestError> {
    use std::io::Read;
    let name = path.display().to_string();
    let io = |error| IngestError::Io {
        path: name.clone(),
        error,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let limit = u64::try_from(MAX_INPUT_BYTES).unwrap_or(u64::MAX);
    if len > limit {
        return Err(IngestError::TooLarge {
            source_name: name,
            size: len,
            limit: MAX_INPUT_BYTES,
        });
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    ingest(&name, &bytes, Format::from_path(path))
}

/// Ingests bytes. `hint` is the format when known (e.g. from the file extension); without it the
/// format is sniffed from the content.
///
/// # Errors
/// [`IngestError::TooLarge`] above [`MAX_INPUT_BYTES`]; PDF and HTML extraction errors.
pub fn ingest(source: &str, bytes: &[u8], hint: Option<Format>) -> Result<Document, IngestError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(IngestError::TooLarge {
            source_name: source.to_owned(),
            size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            limit: MAX_INPUT_BYTES,
        });
    }
    let format = hint.unwrap_or_else(|| Format::sniff(bytes));
    let doc = match format {
        Format::Txt | Format::Markdown => {
            if let Some(kind) = binary_kind(bytes) {
                return Err(IngestError::Unreadable {
                    source_name: source.to_owned(),
                    reason: kind.to_owned(),
                    advice: BINARY_ADVICE,
                });
            }
            let (text, offsets, encoding) = decode_normalise(bytes);
            build(source, format, encoding, text, offsets)
        }
        Format::Html => {
            let (html, _, encoding) = decode_normalise(bytes);
            let plain = html_to_text(&html).map_err(|reason| IngestError::Html {
                source_name: source.to_owned(),
                reason,
            })?;
            let (text, offsets) = normalise_str(&plain);
            build(source, format, encoding, text, offsets)
        }
        Format::Pdf => {
            let plain = pdf_to_text(source, bytes)?;
            let (text, offsets) = normalise_str(&plain);
            build(source, format, "PDF", text, offsets)
        }
    };
    Ok(doc)
}

const BINARY_ADVICE: &str =
    "give the statement as .txt, .md, .html or .pdf (a Word file: save it as PDF or text first)";

/// The fewest words (runs of two or more letters) a document must have to be read.
pub const MIN_WORDS: usize = 3;

/// What binary data the bytes start with (images, archives, executables), or contain (NUL
/// bytes outside UTF-16, many control characters); `None` for text.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"II*\0", "a TIFF image"),
        (b"MM\0*", "a TIFF image"),
        (b"PK\x03\x04", "a ZIP archive (also .docx, .xlsx, .odt)"),
        (b"\xD0\xCF\x11\xE0", "an old Office file (.doc, .xls)"),
        (b"\x1F\x8B", "gzip-compressed data"),
        (b"\x7FELF", "an executable"),
        (b"{\\rtf", "an RTF file"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(kind);
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Some("a WebP image");
    }
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return None;
    }
    let head = bytes.get(..8192).unwrap_or(bytes);
    let control = head
        .iter()
        .filter(|b| b.is_ascii_control() && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    if head.contains(&0) || control.saturating_mul(20) > head.len() {
        return Some("binary data");
    }
    None
}

/// Refuses text with fewer than [`MIN_WORDS`] words (empty, white space, stray marks: nothing a
/// reader could quote), or with many replacement or control characters (binary read as text).
/// [`crate::read_bytes`] and [`crate::read_path`] call it after [`ingest`], which itself only
/// refuses bytes that are plainly no text (images, archives, NUL bytes).
///
/// # Errors
/// [`IngestError::Unreadable`], or [`IngestError::PdfNoText`] for a PDF without words.
pub fn check_readable(doc: &Document) -> Result<(), IngestError> {
    let mut words = 0usize;
    let mut run = 0usize;
    let mut chars = 0usize;
    let mut junk = 0usize;
    // the first 64 KiB tell binary from text; past them only the word count can still matter
    let text = doc.text.as_str();
    let bytes = text.as_bytes();
    let mut at = 0usize;
    // each char in turn; an ASCII byte is tested without decoding (the same answers as the
    // `char` methods: its control characters are U+0000..U+001F and U+007F, of which U+0009..
    // U+000D are white space)
    while let Some(&b) = bytes.get(at) {
        if at >= 65_536 && words >= MIN_WORDS {
            break;
        }
        let (alphabetic, junky, len) = if b.is_ascii() {
            (
                b.is_ascii_alphabetic(),
                b.is_ascii_control() && !(0x09..=0x0D).contains(&b),
                1,
            )
        } else {
            let c = text
                .get(at..)
                .and_then(|r| r.chars().next())
                .unwrap_or('\u{FFFD}');
            (
                c.is_alphabetic(),
                c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()),
                c.len_utf8(),
            )
        };
        at = at.saturating_add(len);
        chars = chars.saturating_add(1);
        if junky {
            junk = junk.saturating_add(1);
        }
        if alphabetic {
            run = run.saturating_add(1);
        } else {
            if run >= 2 {
                words = words.saturating_add(1);
            }
            run = 0;
        }
    }
    if run >= 2 {
        words = words.saturating_add(1);
    }
    if junk.saturating_mul(10) > chars {
        return Err(IngestError::Unreadable {
            source_name: doc.source.clone(),
            reason: "binary data (many characters that are no text)".to_owned(),
            advice: BINARY_ADVICE,
        });
    }
    if words < MIN_WORDS {
        if doc.format == Format::Pdf {
            return Err(IngestError::PdfNoText {
                source_name: doc.source.clone(),
            });
        }
        return Err(IngestError::Unreadable {
            source_name: doc.source.clone(),
            reason: if words == 0 {
                "it holds no words".to_owned()
            } else {
                format!("it holds only {words} word(s)")
            },
            advice: "give the full text of the statement, terms or agreement",
        });
    }
    Ok(())
}

fn build(
    source: &str,
    format: Format,
    encoding: &'static str,
    text: String,
    offsets: OffsetMap,
) -> Document {
    let mut lines = vec![0];
    // the line breaks found with a memchr search, not byte by byte
    lines.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i.saturating_add(1)));
    Document {
        source: source.to_owned(),
        format,
        encoding,
        text,
        offsets,
        lines,
    }
}

/// Decodes (BOM, UTF-8, else a chardetng guess) and normalises in one pass.
fn decode_normalise(bytes: &[u8]) -> (String, OffsetMap, &'static str) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if enc == encoding_rs::UTF_8 {
            let s = String::from_utf8_lossy(body);
            let (text, offsets) = normalise_utf8(&s, bom_len);
            return (text, offsets, enc.name());
        }
        let (s, _) = enc.decode_without_bom_handling(body);
        let (text, offsets) = normalise_chars(&s, bom_len, |c| c.len_utf16().saturating_mul(2));
        return (text, offsets, enc.name());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        let (text, offsets) = normalise_utf8(s, 0);
        return (text, offsets, "UTF-8");
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let enc = det.guess(None, true);
    let (s, _) = enc.decode_without_bom_handling(bytes);
    if enc.is_single_byte() {
        let (text, offsets) = normalise_chars(&s, 0, |_| 1);
        (text, offsets, enc.name())
    } else {
        // Multi-byte legacy encodings: offsets are approximate (per UTF-8 byte).
        let (text, offsets) = normalise_chars(&s, 0, char::len_utf8);
        (text, offsets, enc.name())
    }
}

fn normalise_str(s: &str) -> (String, OffsetMap) {
    normalise_utf8(s, 0)
}

/// The offset of the first byte at or after `i` that is `\r` or not ASCII (`bytes.len()` when
/// there is none): eight bytes at a time.
fn next_special(bytes: &[u8], mut i: usize) -> usize {
    const LOW: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const CR: u64 = u64::from_ne_bytes([b'\r'; 8]);
    while let Some(chunk) = bytes.get(i..i.saturating_add(8))
        && let Ok(word) = <[u8; 8]>::try_from(chunk)
    {
        let w = u64::from_ne_bytes(word);
        // a byte with its high bit set, or a byte equal to `\r` (the zero-byte test on
        // `w ^ CR`: exact for the lowest such byte, which is all that matters here, since a
        // false hit above it is found again byte by byte below)
        let x = w ^ CR;
        if (w | (x.wrapping_sub(LOW) & !x)) & HIGH != 0 {
            break;
        }
        i = i.saturating_add(8);
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'\r' || b >= 0x80 {
            return i;
        }
        i = i.saturating_add(1);
    }
    bytes.len()
}

/// [`normalise_chars`] for text whose original is UTF-8: copies runs of untouched bytes (and
/// untouched multi-byte characters) at once and only looks at `\r` and multi-byte characters one
/// by one.
fn normalise_utf8(s: &str, start: usize) -> (String, OffsetMap) {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut map = OffsetMap::default();
    map.push(0, start);
    let mut run = 0usize;
    let mut i = 0usize;
    loop {
        i = next_special(bytes, i);
        if i >= bytes.len() {
            break;
        }
        let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let w = c.len_utf8();
        let mut next = i.saturating_add(w);
        let replacement = match c {
            '\r' => {
                if bytes.get(next) == Some(&b'\n') {
                    next = next.saturating_add(1);
                }
                '\n'
            }
            '\u{2028}' | '\u{2029}' | '\u{85}' => '\n',
            c if c.is_whitespace() => ' ',
            // kept as it is: part of the untouched run
            _ => {
                i = next;
                continue;
            }
        };
        // flush the untouched run
        out.push_str(s.get(run..i).unwrap_or_default());
        out.push(replacement);
        map.push(out.len(), start.saturating_add(next));
        run = next;
        i = next;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    (out, map)
}

/// Line endings → `\n`, exotic white space → space. `width` gives each char's size in the
/// original bytes.
fn normalise_chars(s: &str, start: usize, width: impl Fn(char) -> usize) -> (String, OffsetMap) {
    let mut out = String::with_capacity(s.len());
    let mut map = OffsetMap::default();
    let mut orig = start;
    map.push(0, orig);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let w = width(c);
        match c {
            '\r' => {
                out.push('\n');
                orig = orig.saturating_add(w);
                if chars.peek() == Some(&'\n') {
                    chars.next();
                    orig = orig.saturating_add(width('\n'));
                }
            }
            '\n' | '\t' | ' ' => {
                out.push(c);
                orig = orig.saturating_add(w);
            }
            '\u{2028}' | '\u{2029}' | '\u{85}' => {
                out.push('\n');
                orig = orig.saturating_add(w);
            }
            c if c.is_whitespace() => {
                out.push(' ');
                orig = orig.saturating_add(w);
            }
            c => {
                out.push(c);
                orig = orig.saturating_add(w);
                if w == c.len_utf8() {
                    // same size in both: the offset difference does not change
                    continue;
                }
            }
        }
        map.push(out.len(), orig);
    }
    (out, map)
}

/// Drops boilerplate elements and renders the rest as text with headings and lists.
fn html_to_text(html: &str) -> Result<String, String> {
    use std::sync::LazyLock;
    if html_nesting_exceeds(html.as_bytes(), MAX_HTML_DEPTH) {
        return Err(format!(
            "its elements are nested more than {MAX_HTML_DEPTH} deep, which would take the HTML \
             parser minutes"
        ));
    }
    static DROP: LazyLock<Option<scraper::Selector>> = LazyLock::new(|| {
        scraper::Selector::parse(
            "script, style, noscript, template, nav, footer, header nav, iframe, svg, form, \
             [role=navigation], [role=banner] nav, [aria-hidden=true], \
             [id*=cookie], [class*=cookie], [id*=consent], [class*=consent], \
             [class*=banner], [id*=banner], [class*=navbar], [class*=menu], [id*=menu], \
             [class*=breadcrumb], [class*=sidebar], [class*=skip-link]",
        )
        .ok()
    });
    let mut doc = scraper::Html::parse_document(html);
    if let Some(sel) = DROP.as_ref() {
        let ids: Vec<_> = doc.select(sel).map(|e| e.id()).collect();
        for id in ids {
            // Never drop the document's root elements, whatever their class says.
            let keep = doc
                .tree
                .get(id)
                .and_then(|n| n.value().as_element())
                .is_some_and(|e| matches!(e.name(), "html" | "body" | "main" | "article"));
            if !keep && let Some(mut node) = doc.tree.get_mut(id) {
                node.detach();
            }
        }
    }
    let cleaned = doc.html();
    html2text::from_read(cleaned.as_bytes(), 2000).map_err(|e| e.to_string())
}

/// Elements that never stay open: void elements, and elements whose start tag closes an open
/// sibling of the same kind (`<li><li>`, `<p><p>`, `<td><td>`), so that they do not nest.
const NON_NESTING: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"keygen",
    b"frame",
    b"basefont",
    b"bgsound",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"optgroup",
    b"rb",
    b"rt",
    b"rp",
    b"rtc",
    b"thead",
    b"tbody",
    b"tfoot",
    b"colgroup",
    b"caption",
];

/// Elements whose content is raw text: `<` inside them starts no tag.
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"plaintext",
    b"noscript",
];

/// Whether the element nesting of `html` goes deeper than `limit`, estimated in one linear scan
/// with a stack of at most `limit` open tag names: start tags push (except [`NON_NESTING`] ones
/// and `/>` inside `<svg>`/`<math>`), end tags pop back to the matching open tag (and are
/// ignored without one), comments and raw-text elements are skipped.
fn html_nesting_exceeds(html: &[u8], limit: usize) -> bool {
    let find = |from: usize, needle: &[u8]| -> Option<usize> {
        let hay = html.get(from..)?;
        hay.windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|p| from.saturating_add(p))
    };
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut foreign = 0usize;
    let mut i = 0usize;
    while let Some(lt) = html
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        let at = i.saturating_add(lt);
        let rest = html.get(at.saturating_add(1)..).unwrap_or_default();
        if rest.starts_with(b"!--") {
            let Some(end) = find(at.saturating_add(4), b"-->") else {
                break;
            };
            i = end.saturating_add(3);
            continue;
        }
        let (closing, name_from) = match rest.first() {
            Some(b'/') => (true, at.saturating_add(2)),
            Some(b) if b.is_ascii_alphabetic() => (false, at.saturating_add(1)),
            _ => {
                i = at.saturating_add(1);
                continue;
            }
        };
        let tail = html.get(name_from..).unwrap_or_default();
        let name_len = tail
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))
            .unwrap_or(tail.len());
        let name = tail
            .get(..name_len)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let after = name_from.saturating_add(name_len);
        let Some(gt) = html
            .get(after..)
            .and_then(|r| r.iter().position(|&b| b == b'>'))
            .map(|p| after.saturating_add(p))
        else {
            break;
        };
        i = gt.saturating_add(1);
        if name.is_empty() {
            continue;
        }
        if closing {
            if let Some(pos) = stack.iter().rposition(|n| *n == name) {
                if name == b"svg" || name == b"math" {
                    foreign = foreign.saturating_sub(1);
                }
                stack.truncate(pos);
            }
            continue;
        }
        let self_closing = gt > 0 && html.get(gt.saturating_sub(1)) == Some(&b'/');
        if NON_NESTING.contains(&name.as_slice()) || (foreign > 0 && self_closing) {
            continue;
        }
        if RAW_TEXT.contains(&name.as_slice()) {
            let mut end_tag = b"</".to_vec();
            end_tag.extend_from_slice(&name);
            match find(i, &end_tag) {
                Some(end) => i = end,
                None => break,
            }
            continue;
        }
        if name == b"svg" || name == b"math" {
            foreign = foreign.saturating_add(1);
        }
        stack.push(name);
        if stack.len() > limit {
            return true;
        }
    }
    false
}

/// Extracts a PDF's text layer in a separate thread: panics are caught, and the caller stops
/// waiting after [`PDF_TIMEOUT`].
fn pdf_to_text(source: &str, bytes: &[u8]) -> Result<String, IngestError> {
    let owned = bytes.to_vec();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("waarborg-pdf".into())
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                pdf_extract::extract_text_from_mem(&owned).map_err(|e| e.to_string())
            }));
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(IngestError::Pdf {
            source_name: source.to_owned(),
            reason: format!("cannot start the extraction thread: {e}"),
        });
    }
    match rx.recv_timeout(PDF_TIMEOUT) {
        Ok(Ok(Ok(text))) => {
            if text.trim().is_empty() {
                Err(IngestError::PdfNoText {
                    source_name: source.to_owned(),
                })
            } else {
                Ok(text)
            }
        }
        Ok(Ok(Err(reason))) => Err(IngestError::Pdf {
            source_name: source.to_owned(),
            reason,
        }),
        Ok(Err(_)) => Err(IngestError::Pdf {
            source_name: source.to_owned(),
            reason: "the PDF parser crashed on this file".into(),
        }),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(IngestError::PdfTimeout {
            source_name: source.to_owned(),
            seconds: PDF_TIMEOUT.as_secs(),
        }),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(IngestError::Pdf {
            source_name: source.to_owned(),
            reason: "the PDF parser stopped without a result".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `check_readable` tests ASCII bytes without the `char` methods: the same answers.
    #[test]
    fn ascii_classes_match_char_methods() {
        for b in 0u8..128 {
            let c = char::from(b);
            assert_eq!(c.is_alphabetic(), b.is_ascii_alphabetic(), "{b}");
            assert_eq!(
                c.is_control() && !c.is_whitespace(),
                b.is_ascii_control() && !(0x09..=0x0D).contains(&b),
                "{b}"
            );
            assert_eq!(c.is_alphanumeric(), b.is_ascii_alphanumeric(), "{b}");
        }
    }

    #[test]
    fn crlf_and_nbsp_are_normalised_with_offsets() {
        let doc = ingest("t", "a\r\nb\u{a0}c".as_bytes(), Some(Format::Txt)).unwrap();
        assert_eq!(doc.text, "a\nb c");
        assert_eq!(doc.offsets.to_original(2), 3);
        assert_eq!(doc.offsets.to_original(4), 6);
        assert_eq!(doc.lines, vec![0, 2]);
        assert_eq!(doc.line_col(4), (2, 3));
    }

    #[test]
    fn fast_utf8_path_matches_the_general_one() {
        for t in [
            "a\r\nb\u{a0}c",
            "één\u{2028}twee\rdrie\r\n\u{202f}vier ✓",
            "",
            "\r",
            "plain ascii only",
            "é\u{3000}x\u{85}y",
        ] {
            let (a, ma) = normalise_utf8(t, 3);
            let (b, mb) = normalise_chars(t, 3, char::len_utf8);
            assert_eq!(a, b, "{t:?}");
            for i in 0..=a.len() {
                assert_eq!(ma.to_original(i), mb.to_original(i), "{t:?} at {i}");
            }
        }
    }

    #[test]
    fn windows_1252_is_detected() {
        let bytes = b"Wij verwerken uw gegevens voor het beheer van uw account en de facturatie. \
Caf\xe9 en cr\xe8me br\xfbl\xe9e zijn lekker; wij bewaren uw gegevens niet langer dan nodig.";
        let doc = ingest("t", bytes, Some(Format::Txt)).unwrap();
        assert!(doc.text.contains("Café"), "{}", doc.text);
        let i = doc.text.find("en cr").unwrap();
        assert_eq!(doc.offsets.to_original(i), i - 1);
    }

    #[test]
    fn html_drops_navigation() {
        let html = "<html><body><nav>Home | Over ons</nav><h1>Privacyverklaring</h1>\
<ul><li>naam</li><li>e-mailadres</li></ul><div class=\"cookie-banner\">Accepteer</div>\
<script>var x=1;</script><footer>© 2024</footer></body></html>";
        let doc = ingest("t.html", html.as_bytes(), None).unwrap();
        assert!(doc.text.contains("Privacyverklaring"));
        assert!(doc.text.contains("naam"));
        assert!(!doc.text.contains("Home"));
        assert!(!doc.text.contains("Accepteer"));
        assert!(!doc.text.contains("var x"));
    }

    #[test]
    fn html_nesting_is_estimated() {
        let deep = "<div>".repeat(600);
        assert!(html_nesting_exceeds(deep.as_bytes(), 512));
        let closed = "<div></div>".repeat(5000);
        assert!(!html_nesting_exceeds(closed.as_bytes(), 512));
        let list = format!("<ul>{}</ul>", "<li>x".repeat(5000));
        assert!(!html_nesting_exceeds(list.as_bytes(), 512));
        let svg = format!("<svg>{}</svg>", "<path d=\"M0\"/>".repeat(5000));
        assert!(!html_nesting_exceeds(svg.as_bytes(), 512));
        let script = format!("<script>{}</script>", "if (a<b) {}".repeat(5000));
        assert!(!html_nesting_exceeds(script.as_bytes(), 512));
        let stray = "<div></nope>".repeat(600);
        assert!(html_nesting_exceeds(stray.as_bytes(), 512));
    }

    #[test]
    fn bad_pdf_is_an_error() {
        let err = ingest("x.pdf", b"%PDF-1.4\n garbage", None).unwrap_err();
        assert!(matches!(
            err,
            IngestError::Pdf { .. } | IngestError::PdfNoText { .. }
        ));
    }

    #[test]
    fn too_large_is_refused() {
        let big = vec![b'a'; MAX_INPUT_BYTES + 1];
        assert!(matches!(
            ingest("big", &big, None),
            Err(IngestError::TooLarge { .. })
        ));
    }
}
