#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
//! The statement and the Art. 30 register of every example as a Word document: a valid DOCX
//! package whose headings are heading-styled paragraphs, whose tables hold the cell texts with a
//! repeating header row, with no Markdown syntax in the text, and the same bytes every time.

mod common;
use common::{EXAMPLES, example};

use std::io::{Cursor, Read};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use waarborg_policy::render::{Format, Options as RenderOptions, What, render, render_document};

/// The examples are the seeds' registers with their lint errors: rendered as marked drafts.
const DRAFT: RenderOptions<'static> = RenderOptions {
    draft: true,
    templates: None,
};
use waarborg_policy::Lang;

fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut f = zip
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name} missing: {e}"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A paragraph of document.xml: its style, its text, whether it is in a table cell.
#[derive(Debug)]
struct Para {
    style: Option<String>,
    text: String,
    in_cell: bool,
}

fn paragraphs(doc: &str) -> Vec<Para> {
    let mut out = Vec::new();
    let mut rest = doc;
    let mut consumed = 0;
    while let Some(i) = rest.find("<w:p ").or_else(|| rest.find("<w:p>")) {
        let start = consumed + i;
        let end = start + doc[start..].find("</w:p>").unwrap();
        let p = &doc[start..end];
        let before = &doc[..start];
        let in_cell = before.matches("<w:tc>").count() > before.matches("</w:tc>").count();
        let style_at = "<w:pStyle w:val=\"";
        let style = p.find(style_at).map(|j| {
            let v = &p[j + style_at.len()..];
            v[..v.find('"').unwrap()].to_owned()
        });
        let mut text = String::new();
        let mut r = p;
        while let Some(j) = r
            .find("<w:t xml:space=\"preserve\">")
            .or_else(|| r.find("<w:t>"))
        {
            let open = r[j..].find('>').unwrap() + j + 1;
            let close = open + r[open..].find("</w:t>").unwrap();
            text.push_str(&unescape(&r[open..close]));
            r = &r[close..];
        }
        out.push(Para {
            style,
            text,
            in_cell,
        });
        consumed = end;
        rest = &doc[end..];
    }
    out
}

/// The headings (level, text) and the table cell texts of the Markdown.
fn markdown_outline(md: &str) -> (Vec<(usize, String)>, Vec<String>, Vec<String>) {
    let mut headings = Vec::new();
    let mut cells = Vec::new();
    let mut texts = Vec::new();
    let mut current: Option<String> = None;
    let mut level = 0;
    for e in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match e {
            Event::Start(Tag::Heading { level: l, .. }) => {
                level = l as usize;
                current = Some(String::new());
            }
            Event::Start(Tag::TableCell) => current = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.push((level, current.take().unwrap())),
            Event::End(TagEnd::TableCell) => cells.push(current.take().unwrap()),
            Event::Text(t) | Event::Code(t) => {
                texts.push(t.to_string());
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::SoftBreak => {
                if let Some(c) = current.as_mut() {
                    c.push(' ');
                }
            }
            _ => {}
        }
    }
    (headings, cells, texts)
}

fn check(name: &str, what: What, lang: Lang) {
    let policy = example(name);
    let docx = render_document(&policy, what, lang, Format::Docx, &DRAFT).unwrap();
    let label = format!("{name} {what:?} {lang:?}");

    // A DOCX package: content types, the main part and its relationships.
    assert!(docx.starts_with(b"PK\x03\x04"), "{label}: not a zip");
    let types = part(&docx, "[Content_Types].xml");
    assert!(
        types.contains(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        ),
        "{label}: {types}"
    );
    assert!(part(&docx, "_rels/.rels").contains("word/document.xml"));
    let doc = part(&docx, "word/document.xml");
    let paras = paragraphs(&doc);

    let md = waarborg_policy::render::render_with(&policy, what, lang, Format::Markdown, &DRAFT)
        .unwrap();
    let (headings, cells, texts) = markdown_outline(&md);
    assert!(!headings.is_empty(), "{label}: no headings in the Markdown");

    // Every Markdown heading is a heading-styled paragraph, in order, at its level.
    let doc_headings: Vec<(usize, String)> = paras
        .iter()
        .filter_map(|p| {
            let n = p.style.as_deref()?.strip_prefix("Heading")?.parse().ok()?;
            Some((n, p.text.clone()))
        })
        .collect();
    assert_eq!(doc_headings, headings, "{label}");

    // Tables: the cell texts in order, one header row per table, marked to repeat.
    let doc_cells: Vec<String> = paras
        .iter()
        .filter(|p| p.in_cell)
        .map(|p| p.text.clone())
        .collect();
    assert_eq!(doc_cells, cells, "{label}");
    let tables = doc.matches("<w:tbl>").count();
    assert_eq!(doc.matches("<w:tblHeader />").count(), tables, "{label}");
    if what == What::Register {
        assert!(tables >= 1, "{label}: the register has no table");
    }

    // The text is all there, and no Markdown syntax is.
    let all: String = paras.iter().map(|p| format!("{}\n", p.text)).collect();
    for t in &texts {
        assert!(all.contains(t.trim()), "{label}: text `{t}` missing");
    }
    for syntax in ["**", "|---", "## ", "](", "\\", "&amp;", "&lt;"] {
        assert!(
            !all.contains(syntax),
            "{label}: `{syntax}` in the text:\n{all}"
        );
    }

    // Metadata: title (the first heading), language, the statement's date, not the clock.
    let core = part(&docx, "docProps/core.xml");
    let title = headings.iter().find(|(l, _)| *l == 1).unwrap().1.clone();
    let esc = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    assert!(
        core.contains(&format!("<dc:title>{esc}</dc:title>")),
        "{label}: {core}"
    );
    assert!(
        core.contains(&format!("<dc:language>{}</dc:language>", lang.tag())),
        "{core}"
    );
    let date = format!(
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{}T00:00:00Z</dcterms:created>",
        policy.statement.effective_date
    );
    assert!(core.contains(&date), "{label}: {core}");
    let styles = part(&docx, "word/styles.xml");
    assert!(
        styles.contains(&format!("<w:lang w:val=\"{}\"", lang.tag())),
        "{label}"
    );
    assert!(
        styles.contains("<w:name w:val=\"heading 1\" />"),
        "{label}: {styles}"
    );
    assert!(styles.contains("<w:outlineLvl w:val=\"0\" />"), "{label}");

    // Reproducible: the same bytes again.
    let again = render_document(&policy, what, lang, Format::Docx, &DRAFT).unwrap();
    assert!(again == docx, "{label}: two renders differ");
}

#[test]
fn statements_of_every_example_in_both_languages() {
    for name in EXAMPLES {
        for lang in Lang::ALL {
            check(name, What::Statement, lang);
        }
    }
}

#[test]
fn registers_of_every_example() {
    for name in EXAMPLES {
        for lang in Lang::ALL {
            check(name, What::Register, lang);
        }
    }
}

#[test]
fn the_cookie_table_too() {
    check("demo", What::Cookies, Lang::Nl);
}

#[test]
fn lists_are_numbered_paragraphs() {
    let policy = example("demo");
    let docx = render_document(&policy, What::Statement, Lang::En, Format::Docx, &DRAFT).unwrap();
    let doc = part(&docx, "word/document.xml");
    let numbering = part(&docx, "word/numbering.xml");
    let md = render(&policy, What::Statement, Lang::En, Format::Markdown, None).unwrap();
    assert!(doc.contains("<w:numPr>"), "no list paragraphs");
    assert!(numbering.contains("<w:abstractNum "), "{numbering}");
    // The first list of the statement (who we are: address, e-mail) is a bulleted one, and no
    // paragraph uses the decimal numbering docx-rs declares of its own (id 1).
    assert!(md.contains("\n- "), "the template has no bulleted list");
    let first = doc.find("<w:numId w:val=\"").unwrap() + 16;
    let id: String = doc[first..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert_ne!(id, "1");
    let abs = numbering
        .find(&format!("<w:abstractNum w:abstractNumId=\"{id}\""))
        .unwrap_or_else(|| panic!("abstract numbering {id} missing: {numbering}"));
    let fmt = &numbering[abs..];
    assert!(
        fmt[..fmt.find("</w:lvl>").unwrap()].contains("<w:numFmt w:val=\"bullet\" />"),
        "{fmt}"
    );
    // The rights list: each right's name is bold, its description plain, no `**` left.
    assert!(
        md.contains("- **"),
        "the template no longer has a bold list"
    );
    assert!(doc.contains("<w:b />"), "no bold run");
}

#[test]
fn text_formats_come_back_as_their_utf8_bytes() {
    let policy = example("demo");
    for format in [Format::Markdown, Format::Html, Format::Csv] {
        let text =
            waarborg_policy::render::render_with(&policy, What::Register, Lang::Nl, format, &DRAFT)
                .unwrap();
        let bytes = render_document(&policy, What::Register, Lang::Nl, format, &DRAFT).unwrap();
        assert_eq!(bytes, text.into_bytes());
    }
    let err = render(&policy, What::Register, Lang::Nl, Format::Docx, None).unwrap_err();
    assert!(err.to_string().contains("render_document"), "{err}");
}

#[test]
fn register_values_stay_text() {
    let mut policy = example("demo");
    policy.controller.name = "**Bold** <script>x</script> [a](javascript:1) ## & co |---".into();
    let docx = render_document(&policy, What::Register, Lang::En, Format::Docx, &DRAFT).unwrap();
    let doc = part(&docx, "word/document.xml");
    let paras = paragraphs(&doc);
    let title = &paras[0].text;
    assert!(
        title.contains("**Bold** <script>x</script> [a](javascript:1) ## & co |---"),
        "{title}"
    );
    assert!(!doc.contains("<w:hyperlink"), "a value became a link");
}
