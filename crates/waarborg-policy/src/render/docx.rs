//! The statement, the Art. 30 register and the cookie table as a Word document (DOCX), for
//! auditors who ask for one. The Markdown the templates produce is read with pulldown-cmark and
//! written with docx-rs: headings become paragraphs in the styles `Heading1`..`Heading6` (so Word's
//! navigation pane and table of contents find them), lists become numbered or bulleted lists,
//! tables get a header row that repeats on every page, links stay links.
//!
//! The output is reproducible: the same register and templates give the same bytes. The document's
//! date is the statement's effective date, never the clock; identifiers are counted per document.
//!
//! docx-rs does not write three things a document for an auditor needs; they are filled in after
//! it has laid out the package parts: the core properties (title, language, version, dates), the
//! document language (`w:lang`, for Word's spelling check) and the header-row mark (`w:tblHeader`).
//! It also lists hyperlink relationships in hash-map order; they are sorted.

use std::io::Cursor;

use docx_rs::{
    AbstractNumbering, Docx, Hyperlink, HyperlinkData, IndentLevel, Level, LevelJc, LevelText,
    LineSpacing, NumberFormat, Numbering, NumberingId, PageMargin, PageOrientationType, Paragraph,
    ParagraphChild, Run, RunFonts, Shading, ShdType, SpecialIndentType, Start, Style, StyleType,
    Table, TableCell, TableRow, WidthType, XMLDocx,
};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{
    Format, Options as RenderOptions, RenderError, What, environment, render_template, render_with,
    tidy, view,
};
use crate::model::{Lang, Policy};

/// Renders `what` for a register as the bytes of a file in `format`: a Word document for
/// [`Format::Docx`], the UTF-8 text of [`render`] for the other formats.
pub fn render_document(
    policy: &Policy,
    what: What,
    lang: Lang,
    format: Format,
    options: &RenderOptions<'_>,
) -> Result<Vec<u8>, RenderError> {
    if format != Format::Docx {
        return render_with(policy, what, lang, format, options).map(String::into_bytes);
    }
    // The same gate as the text formats: refused when not ready to publish, unless a draft.
    let ctx = view(policy, what, lang, options)?;
    // Escaped as for HTML: the Markdown is only a step, so every character that Markdown could
    // read in a register value is escaped and comes out as written.
    let env = environment(options.templates, true)?;
    let md = tidy(&render_template(
        &env,
        &super::template_name(what, lang),
        &ctx,
    )?);
    let meta = Meta {
        lang,
        date: policy.statement.effective_date.0.to_string(),
        version: policy.statement.version.clone(),
        creator: policy.controller.name.clone(),
        // The register's and the cookie table's wide tables need the width of a landscape page.
        landscape: what != What::Statement,
    };
    markdown_to_docx(&md, &meta)
}

/// What the document says about itself (core properties).
struct Meta {
    lang: Lang,
    /// `YYYY-MM-DD`.
    date: String,
    version: String,
    creator: String,
    landscape: bool,
}

/// A4 in twentieths of a point (twips): the short and the long side.
const A4: (u32, u32) = (11906, 16838);
/// Page margins: 2 cm.
const MARGIN: u32 = 1134;
/// Left indent per list level and the hanging indent of the number or bullet (twips).
const LIST_INDENT: i32 = 720;
const LIST_HANGING: i32 = 360;
/// Heading sizes in half-points, H1..H6.
const HEADING_SIZES: [usize; 6] = [36, 30, 26, 24, 22, 22];
/// Body text size in half-points (11 pt).
const BODY_SIZE: usize = 22;

/// Where the paragraph being built goes and how it looks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Body,
    Heading(usize),
    /// A list item's first paragraph: list number, level.
    Item(usize, usize),
    /// A further paragraph of a list item, at its level.
    ItemMore(usize),
    Quote,
    Code,
    /// A table cell; `true` in the header row.
    Cell(bool),
}

/// A piece of a paragraph.
enum Inline {
    Run(Box<Run>),
    Link(Box<Hyperlink>),
}

/// A block of the document body.
enum Block {
    Para(Box<Paragraph>),
    Table(Box<Table>),
}

#[derive(Default)]
struct TableState {
    /// The rows so far: header row or not, a paragraph per cell.
    rows: Vec<(bool, Vec<Paragraph>)>,
    /// The cells of the open row.
    cells: Vec<Paragraph>,
    columns: usize,
    head: bool,
    /// Per column: the header's length and the length of all other cells, in characters.
    head_chars: Vec<usize>,
    body_chars: Vec<usize>,
    /// Per column: its longest word, which should fit on a line.
    word_chars: Vec<usize>,
}

impl TableState {
    /// Column widths (twips): each column first gets room for its longest word, then the rest
    /// of the width goes to the columns in proportion to how much text they hold (the header's
    /// length or the cells' average length, whichever is more).
    fn widths(&self, text_width: usize) -> Vec<usize> {
        /// About the width of a character of 11 pt Calibri, and a cell's left and right margin.
        const CHAR: usize = 120;
        const PADDING: usize = 240;
        let body_rows = self.rows.iter().filter(|(head, _)| !head).count().max(1);
        let min: Vec<usize> = (0..self.columns)
            .map(|i| {
                let word = self.word_chars.get(i).copied().unwrap_or(0).clamp(3, 20);
                word.saturating_mul(CHAR).saturating_add(PADDING)
            })
            .collect();
        let min_total: usize = min.iter().sum();
        if min_total >= text_width {
            let total = min_total.max(1);
            return min
                .iter()
                .map(|m| text_width.saturating_mul(*m) / total)
                .collect();
        }
        let weights: Vec<usize> = (0..self.columns)
            .map(|i| {
                let head = self.head_chars.get(i).copied().unwrap_or(0);
                let body = self.body_chars.get(i).copied().unwrap_or(0) / body_rows;
                head.max(body).clamp(1, 200)
            })
            .collect();
        let total: usize = weights.iter().sum::<usize>().max(1);
        let rest = text_width - min_total;
        min.iter()
            .zip(&weights)
            .map(|(m, w)| m.saturating_add(rest.saturating_mul(*w) / total))
            .collect()
    }
}

struct Writer {
    blocks: Vec<Block>,
    /// The paragraph being built: its kind and pieces.
    para: Option<(Kind, Vec<Inline>)>,
    /// An open link: its address and runs so far.
    link: Option<(String, Vec<Run>)>,
    bold: usize,
    italic: usize,
    strike: usize,
    quote: usize,
    code_block: bool,
    /// Open lists: (numbering id, ordered).
    lists: Vec<(usize, bool)>,
    /// Numbering definitions: (id, ordered, start).
    numberings: Vec<(usize, bool, usize)>,
    table: Option<TableState>,
    header_rows: usize,
    /// The text of the first level-1 heading: the document title.
    title: Option<String>,
    in_title: bool,
    next_para_id: u32,
    next_link_id: usize,
    /// The width between the margins (twips).
    text_width: usize,
    /// Characters in the open table cell, and its longest word.
    cell_chars: usize,
    cell_word: usize,
    /// Text not yet put in a run: Markdown escapes split a text into pieces that belong in one.
    pending: String,
}

/// Turns the Markdown of a rendered statement, register or cookie table into a DOCX package.
fn markdown_to_docx(md: &str, meta: &Meta) -> Result<Vec<u8>, RenderError> {
    let mut w = Writer {
        blocks: Vec::new(),
        para: None,
        link: None,
        bold: 0,
        italic: 0,
        strike: 0,
        quote: 0,
        code_block: false,
        lists: Vec::new(),
        numberings: Vec::new(),
        table: None,
        header_rows: 0,
        title: None,
        in_title: false,
        next_para_id: 1,
        next_link_id: 1,
        pending: String::new(),
        cell_chars: 0,
        cell_word: 0,
        text_width: usize::try_from(if meta.landscape { A4.1 } else { A4.0 })
            .unwrap_or(0)
            .saturating_sub(usize::try_from(2 * MARGIN).unwrap_or(0)),
    };
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(md, opts) {
        w.event(event);
    }
    w.flush();
    let title = w.title.clone().unwrap_or_default();
    let header_rows = w.header_rows;
    let docx = w.into_docx(meta);
    let mut xml = docx.build();
    patch(&mut xml, meta, &title, header_rows)?;
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

impl Writer {
    fn event(&mut self, event: Event<'_>) {
        if !matches!(event, Event::Text(_) | Event::SoftBreak) {
            self.flush_text();
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if self.code_block {
                    // A code block keeps its lines: one paragraph per line.
                    let mut lines = t.split('\n').peekable();
                    while let Some(line) = lines.next() {
                        self.text(line);
                        if lines.peek().is_some_and(|l| !l.is_empty()) {
                            self.flush();
                            self.para = Some((Kind::Code, Vec::new()));
                        }
                    }
                } else {
                    self.text(&t);
                }
            }
            Event::Code(t) => {
                let run = Run::new()
                    .add_text(xml_chars(&t))
                    .fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas"));
                self.push(run);
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.push(Run::new().add_break(docx_rs::BreakType::TextWrapping)),
            Event::Rule => {
                self.flush();
                self.para = Some((Kind::Body, Vec::new()));
                self.flush();
            }
            // Raw HTML cannot come from register values (they are escaped); a template's own HTML
            // has no meaning in a Word document.
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                let n = heading_number(level);
                self.in_title = n == 1 && self.title.is_none();
                if self.in_title {
                    self.title = Some(String::new());
                }
                self.para = Some((Kind::Heading(n), Vec::new()));
            }
            Tag::Paragraph => self.start_paragraph(),
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code_block = true;
                self.para = Some((Kind::Code, Vec::new()));
            }
            Tag::List(start) => {
                self.flush();
                // docx-rs writes a numbering of its own with id 1.
                let id = self.numberings.len() + 2;
                let ordered = start.is_some();
                let first = start.and_then(|s| usize::try_from(s).ok()).unwrap_or(1);
                self.numberings.push((id, ordered, first));
                self.lists.push((id, ordered));
            }
            Tag::Item => {
                self.flush();
                if let Some(&(id, _)) = self.lists.last() {
                    let level = self.lists.len().saturating_sub(1);
                    self.para = Some((Kind::Item(id, level), Vec::new()));
                }
            }
            Tag::Table(alignments) => {
                self.flush();
                self.table = Some(TableState {
                    columns: alignments.len().max(1),
                    ..TableState::default()
                });
            }
            Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.head = true;
                }
            }
            Tag::TableCell => {
                let head = self.table.as_ref().is_some_and(|t| t.head);
                self.para = Some((Kind::Cell(head), Vec::new()));
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link { dest_url, .. } => self.link = Some((dest_url.to_string(), Vec::new())),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                self.flush();
                self.in_title = false;
            }
            TagEnd::Paragraph | TagEnd::Item => self.flush(),
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                self.flush();
                self.code_block = false;
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::TableCell => {
                let para = self.take_paragraph();
                let chars = std::mem::take(&mut self.cell_chars);
                let word = std::mem::take(&mut self.cell_word);
                if let (Some(t), Some(p)) = (self.table.as_mut(), para) {
                    let col = t.cells.len();
                    let sums = if t.head {
                        &mut t.head_chars
                    } else {
                        &mut t.body_chars
                    };
                    if sums.len() <= col {
                        sums.resize(col + 1, 0);
                    }
                    if let Some(sum) = sums.get_mut(col) {
                        *sum = sum.saturating_add(chars);
                    }
                    if t.word_chars.len() <= col {
                        t.word_chars.resize(col + 1, 0);
                    }
                    if let Some(longest) = t.word_chars.get_mut(col) {
                        *longest = (*longest).max(word);
                    }
                    t.cells.push(p);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    let cells = std::mem::take(&mut t.cells);
                    if !cells.is_empty() {
                        t.rows.push((t.head, cells));
                    }
                    t.head = false;
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let widths = t.widths(self.text_width);
                    let mut rows = Vec::with_capacity(t.rows.len());
                    for (head, paras) in t.rows {
                        let cells = paras
                            .into_iter()
                            .enumerate()
                            .map(|(i, p)| {
                                let width = widths.get(i).copied().unwrap_or(0);
                                let cell = TableCell::new()
                                    .add_paragraph(p)
                                    .width(width, WidthType::Dxa);
                                if head {
                                    cell.shading(
                                        Shading::new().shd_type(ShdType::Clear).fill("D9E2F3"),
                                    )
                                } else {
                                    cell
                                }
                            })
                            .collect();
                        rows.push(if head {
                            // `cantSplit` marks the header row; `patch` adds `tblHeader` to it.
                            self.header_rows += 1;
                            TableRow::new(cells).cant_split()
                        } else {
                            TableRow::new(cells)
                        });
                    }
                    let table = Table::new(rows)
                        .set_grid(widths)
                        .width(self.text_width, WidthType::Dxa);
                    self.blocks.push(Block::Table(Box::new(table)));
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => {
                if let Some((url, runs)) = self.link.take() {
                    let rid = format!("rIdHyperlink{}", self.next_link_id);
                    self.next_link_id = self.next_link_id.saturating_add(1);
                    let link = Hyperlink {
                        link: HyperlinkData::External {
                            rid,
                            path: escape_xml(&url),
                        },
                        history: None,
                        children: runs
                            .into_iter()
                            .map(|r| ParagraphChild::Run(Box::new(r)))
                            .collect(),
                    };
                    self.ensure_paragraph();
                    if let Some((_, inlines)) = self.para.as_mut() {
                        inlines.push(Inline::Link(Box::new(link)));
                    }
                }
            }
            _ => {}
        }
    }

    /// A Markdown paragraph: in a tight list item the item's own paragraph; after that a
    /// further paragraph at the item's level.
    fn start_paragraph(&mut self) {
        if let Some((Kind::Item(..) | Kind::Cell(_), inlines)) = &self.para
            && inlines.is_empty()
        {
            return;
        }
        self.flush();
        let kind = if self.quote > 0 {
            Kind::Quote
        } else if !self.lists.is_empty() {
            Kind::ItemMore(self.lists.len().saturating_sub(1))
        } else {
            Kind::Body
        };
        self.para = Some((kind, Vec::new()));
    }

    fn ensure_paragraph(&mut self) {
        if self.para.is_none() {
            self.start_paragraph();
        }
    }

    fn text(&mut self, text: &str) {
        let text = &xml_chars(text);
        if text.is_empty() {
            return;
        }
        if self.in_title
            && let Some(title) = self.title.as_mut()
        {
            title.push_str(text);
        }
        self.pending.push_str(text);
    }

    /// Puts the pending text in a run with the formatting in force.
    fn flush_text(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending);
        if matches!(self.para, Some((Kind::Cell(_), _))) {
            self.cell_chars = self.cell_chars.saturating_add(text.chars().count());
            let longest = text.split_whitespace().map(|w| w.chars().count()).max();
            self.cell_word = self.cell_word.max(longest.unwrap_or(0));
        }
        let mut run = Run::new().add_text(text);
        if self.code_block {
            run = run.fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas"));
        }
        self.push(run);
    }

    /// Adds a run with the open emphasis to the paragraph (or the open link).
    fn push(&mut self, mut run: Run) {
        let head = matches!(self.para, Some((Kind::Cell(true), _)));
        if self.bold > 0 || head {
            run = run.bold();
        }
        if self.italic > 0 {
            run = run.italic();
        }
        if self.strike > 0 {
            run = run.strike();
        }
        if let Some((_, runs)) = self.link.as_mut() {
            runs.push(run.style("Hyperlink"));
            return;
        }
        self.ensure_paragraph();
        if let Some((_, inlines)) = self.para.as_mut() {
            inlines.push(Inline::Run(Box::new(run)));
        }
    }

    /// Builds the open paragraph, if any.
    fn take_paragraph(&mut self) -> Option<Paragraph> {
        self.flush_text();
        let (kind, inlines) = self.para.take()?;
        let id = format!("{:08X}", self.next_para_id);
        self.next_para_id = self.next_para_id.saturating_add(1);
        let mut p = Paragraph::new().id(id);
        p = match kind {
            Kind::Body => p.style("Normal"),
            Kind::Heading(n) => p.style(&format!("Heading{n}")),
            Kind::Item(num, level) => p
                .style("ListParagraph")
                .numbering(NumberingId::new(num), IndentLevel::new(level)),
            Kind::ItemMore(level) => {
                p.style("ListParagraph")
                    .indent(Some(list_left(level)), None, None, None)
            }
            Kind::Quote => p.style("Quote"),
            Kind::Code => p.style("Code"),
            Kind::Cell(_) => p
                .style("Normal")
                .line_spacing(LineSpacing::new().before(0).after(0)),
        };
        for inline in inlines {
            p = match inline {
                Inline::Run(r) => p.add_run(*r),
                Inline::Link(l) => p.add_hyperlink(*l),
            };
        }
        Some(p)
    }

    /// Ends the open paragraph and puts it in the body (a table cell takes its own).
    fn flush(&mut self) {
        self.flush_text();
        if matches!(self.para, Some((Kind::Cell(_), _))) {
            return;
        }
        if let Some(p) = self.take_paragraph() {
            self.blocks.push(Block::Para(Box::new(p)));
        }
    }

    fn into_docx(self, meta: &Meta) -> Docx {
        let (w, h, orient) = if meta.landscape {
            (A4.1, A4.0, PageOrientationType::Landscape)
        } else {
            (A4.0, A4.1, PageOrientationType::Portrait)
        };
        let margin = i32::try_from(MARGIN).unwrap_or(0);
        let mut docx = Docx::new()
            .page_size(w, h)
            .page_orient(orient)
            .page_margin(PageMargin {
                top: margin,
                left: margin,
                bottom: margin,
                right: margin,
                header: margin / 2,
                footer: margin / 2,
                gutter: 0,
            })
            .default_size(BODY_SIZE)
            .default_line_spacing(LineSpacing::new().after(120))
            .default_fonts(
                RunFonts::new()
                    .ascii("Calibri")
                    .hi_ansi("Calibri")
                    .cs("Calibri"),
            )
            .add_style(
                Style::new("ListParagraph", StyleType::Paragraph)
                    .name("List Paragraph")
                    .based_on("Normal")
                    .line_spacing(LineSpacing::new().after(40))
                    .q_format(true),
            )
            .add_style(
                Style::new("Quote", StyleType::Paragraph)
                    .name("Quote")
                    .based_on("Normal")
                    .italic()
                    .indent(Some(LIST_INDENT), None, None, None),
            )
            .add_style(
                Style::new("Code", StyleType::Paragraph)
                    .name("Code")
                    .based_on("Normal")
                    .fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas")),
            )
            .add_style(
                Style::new("Hyperlink", StyleType::Character)
                    .name("Hyperlink")
                    .color("0563C1")
                    .underline("single"),
            );
        for (i, size) in HEADING_SIZES.iter().enumerate() {
            let n = i + 1;
            docx = docx.add_style(
                Style::new(format!("Heading{n}"), StyleType::Paragraph)
                    .name(format!("heading {n}"))
                    .based_on("Normal")
                    .next("Normal")
                    .q_format(true)
                    .outline_lvl(i)
                    .line_spacing(LineSpacing::new().before(240).after(80))
                    .bold()
                    .size(*size)
                    .color("1F3864"),
            );
        }
        for &(id, ordered, start) in &self.numberings {
            let mut abs = AbstractNumbering::new(id);
            for level in 0..9 {
                let (format, text) = if ordered {
                    ("decimal", format!("%{}.", level + 1))
                } else {
                    (
                        "bullet",
                        ["•", "◦", "▪"].get(level % 3).unwrap_or(&"•").to_string(),
                    )
                };
                let first = if level == 0 { start } else { 1 };
                abs = abs.add_level(
                    Level::new(
                        level,
                        Start::new(first),
                        NumberFormat::new(format),
                        LevelText::new(text),
                        LevelJc::new("left"),
                    )
                    .indent(
                        Some(list_left(level)),
                        Some(SpecialIndentType::Hanging(LIST_HANGING)),
                        None,
                        None,
                    ),
                );
            }
            docx = docx
                .add_abstract_numbering(abs)
                .add_numbering(Numbering::new(id, id));
        }
        for block in self.blocks {
            docx = match block {
                Block::Para(p) => docx.add_paragraph(*p),
                Block::Table(t) => docx.add_table(*t),
            };
        }
        docx
    }
}

fn heading_number(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn list_left(level: usize) -> i32 {
    LIST_INDENT.saturating_mul(i32::try_from(level).unwrap_or(8).saturating_add(1))
}

/// The text without the characters XML 1.0 does not allow (control characters other than tab,
/// line feed and carriage return; U+FFFE, U+FFFF): a register value can hold them (TOML's
/// `\u0001`), and Word refuses a document that has one.
fn xml_chars(text: &str) -> String {
    text.chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        })
        .collect()
}

/// Escapes text for XML element content and attribute values.
fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in xml_chars(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// Fills in what docx-rs does not write (see the module documentation).
fn patch(
    xml: &mut XMLDocx,
    meta: &Meta,
    title: &str,
    header_rows: usize,
) -> Result<(), RenderError> {
    xml.doc_props.core = core_xml(meta, title).into_bytes();

    let styles = utf8(&xml.styles, "styles")?;
    let lang = format!(
        "<w:lang w:val=\"{tag}\" w:eastAsia=\"{tag}\" w:bidi=\"{tag}\" />",
        tag = meta.lang.tag()
    );
    let marker = "</w:rPr></w:rPrDefault>";
    if styles.matches(marker).count() != 1 {
        return Err(RenderError::Docx(
            "the default run properties were not found in styles.xml (docx-rs changed its output?)"
                .into(),
        ));
    }
    xml.styles = styles
        .replacen(marker, &format!("{lang}{marker}"), 1)
        .into_bytes();

    let document = utf8(&xml.document, "document")?;
    let marker = "<w:trPr><w:cantSplit /></w:trPr>";
    if document.matches(marker).count() != header_rows {
        return Err(RenderError::Docx(
            "the table header rows were not found in document.xml (docx-rs changed its output?)"
                .into(),
        ));
    }
    xml.document = document
        .replace(marker, "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>")
        .into_bytes();

    xml.document_rels =
        sort_relationships(&utf8(&xml.document_rels, "document.xml.rels")?).into_bytes();
    Ok(())
}

fn utf8(bytes: &[u8], part: &str) -> Result<String, RenderError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| RenderError::Docx(format!("docx-rs wrote {part} that is not UTF-8")))
}

/// The core properties: title, language, creator, the statement's version and its effective
/// date as the creation and modification date.
fn core_xml(meta: &Meta, title: &str) -> String {
    let date = format!("{}T00:00:00Z", meta.date);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator><cp:lastModifiedBy>Waarborg</cp:lastModifiedBy>\
<dc:language>{lang}</dc:language><cp:version>{version}</cp:version><cp:revision>1</cp:revision>\
<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>\
<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        title = escape_xml(title),
        creator = escape_xml(&meta.creator),
        lang = meta.lang.tag(),
        version = escape_xml(&meta.version),
    )
}

/// Puts the `<Relationship .../>` elements of a relationships part in a fixed order.
fn sort_relationships(rels: &str) -> String {
    let (Some(start), Some(end)) = (rels.find("<Relationship "), rels.rfind("</Relationships>"))
    else {
        return rels.to_owned();
    };
    let (Some(head), Some(body), Some(tail)) =
        (rels.get(..start), rels.get(start..end), rels.get(end..))
    else {
        return rels.to_owned();
    };
    let mut items: Vec<&str> = body.split_inclusive("/>").collect();
    if items
        .iter()
        .any(|i| !i.trim_start().starts_with("<Relationship "))
    {
        return rels.to_owned();
    }
    items.sort_unstable();
    format!("{head}{}{tail}", items.concat())
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta {
            lang: Lang::En,
            date: "2026-03-01".into(),
            version: "2026.1".into(),
            creator: "Test & Co".into(),
            landscape: false,
        }
    }

    fn part(docx: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
        let mut f = zip.by_name(name).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).unwrap();
        s
    }

    const MD: &str = "# Title & more\n\nSee [one](https://a.example/?x=1&y=2) and \
                      [two](https://b.example/) and [three](https://c.example/).\n\n\
                      1. first\n2. second\n   - nested *it*\n\n> quoted\n";

    #[test]
    fn links_lists_and_metadata() {
        let a = markdown_to_docx(MD, &meta()).unwrap();
        let doc = part(&a, "word/document.xml");
        let rels = part(&a, "word/_rels/document.xml.rels");
        assert!(rels.contains("https://a.example/?x=1&amp;y=2"), "{rels}");
        assert!(!rels.contains("&amp;amp;"), "{rels}");
        for n in 1..=3 {
            assert!(rels.contains(&format!("Id=\"rIdHyperlink{n}\"")), "{rels}");
            assert!(doc.contains(&format!("r:id=\"rIdHyperlink{n}\"")), "{doc}");
        }
        assert!(doc.contains("<w:numPr>"), "{doc}");
        assert!(doc.contains("<w:pStyle w:val=\"Quote\" />"), "{doc}");
        let core = part(&a, "docProps/core.xml");
        assert!(
            core.contains("<dc:title>Title &amp; more</dc:title>"),
            "{core}"
        );
        assert!(core.contains("<dc:language>en-GB</dc:language>"), "{core}");
        assert!(core.contains("2026-03-01T00:00:00Z"), "{core}");
        assert!(
            core.contains("<dc:creator>Test &amp; Co</dc:creator>"),
            "{core}"
        );
        let styles = part(&a, "word/styles.xml");
        assert!(styles.contains("<w:lang w:val=\"en-GB\""), "{styles}");
    }

    #[test]
    fn columns_are_as_wide_as_their_text_needs() {
        let md = "| A | B |\n|---|---|\n| x | a much longer text that needs more room than x |\n\
                  | y | and another long one, to be sure of the average |\n";
        let doc = part(&markdown_to_docx(md, &meta()).unwrap(), "word/document.xml");
        let widths: Vec<usize> = doc
            .split("<w:gridCol w:w=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(widths.len(), 2, "{doc}");
        assert!(widths[1] > 3 * widths[0], "{widths:?}");
        assert!(
            widths.iter().sum::<usize>() <= 11906 - 2 * 1134,
            "{widths:?}"
        );
        assert_eq!(doc.matches("<w:tr>").count(), 3, "{doc}");
        assert_eq!(doc.matches("<w:tblHeader />").count(), 1, "{doc}");
    }

    #[test]
    fn characters_xml_forbids_are_left_out() {
        let md = "# A\u{1}B\n\nC\u{B}D `E\u{FFFE}F` [G\u{0}](https://x.example/\u{1F})\n";
        let mut m = meta();
        m.creator = "Org\u{2}".into();
        let docx = markdown_to_docx(md, &m).unwrap();
        for name in [
            "word/document.xml",
            "docProps/core.xml",
            "word/_rels/document.xml.rels",
        ] {
            let text = part(&docx, name);
            let bad: Vec<char> = text
                .chars()
                .filter(|c| {
                    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || *c == '\u{FFFE}'
                })
                .collect();
            assert!(bad.is_empty(), "{name}: {bad:?}");
        }
        let doc = part(&docx, "word/document.xml");
        assert!(
            doc.contains(">AB<") && doc.contains(">CD <") && doc.contains(">EF<"),
            "{doc}"
        );
        assert!(part(&docx, "docProps/core.xml").contains("<dc:title>AB</dc:title>"));
    }

    #[test]
    fn same_bytes_every_time_even_with_links() {
        let a = markdown_to_docx(MD, &meta()).unwrap();
        for _ in 0..5 {
            assert!(markdown_to_docx(MD, &meta()).unwrap() == a);
        }
    }
}
