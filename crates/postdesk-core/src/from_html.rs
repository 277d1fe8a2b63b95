//! Paste from the web and from documents: the HTML a browser, Google Docs, Word or Notion puts on
//! the clipboard, written as kramdown markdown in the style of this blog's posts (`#` headings,
//! `-` lists, `**bold**`, `<br/>` line breaks) that kramdown reads back as the same structure.
//! Text that kramdown would read as syntax is escaped, so it stays text.
//!
//! Not for: rendering markdown (`render`), fetching or storing images (`images`: remote images
//! are linked where they are), or HTML that the writer types into a post (kept as it is).

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use serde::Serialize;
use ts_rs::TS;

/// Pasted HTML as markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Pasted {
    /// The markdown, with no blank line before or after it.
    pub markdown: String,
    /// The HTML was a run of text within one paragraph: it goes where the cursor is, not as a
    /// block of its own.
    pub inline: bool,
}

/// Converts clipboard HTML (a whole document or a fragment) to kramdown markdown.
pub fn from_html(html: &str) -> Pasted {
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    let mut reader = Reader::default();
    let mut flow = Flow::default();
    reader.walk(&dom.document, Style::default(), &mut flow);
    let blocks = flow.finish();
    let inline = matches!(blocks.as_slice(), [Block::Paragraph(_)]);
    let writer = Writer {
        links: &reader.links,
    };
    Pasted {
        markdown: writer.blocks(&blocks),
        inline,
    }
}

// ---------------------------------------------------------------------------------------------
// The document as blocks of flat runs of text (each run with its marks), read from the DOM.

#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading(u8, Vec<Piece>),
    Paragraph(Vec<Piece>),
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Code {
        lang: String,
        text: String,
    },
    Table {
        head: bool,
        rows: Vec<Vec<Vec<Piece>>>,
    },
    Rule,
    /// A paragraph of a Word list (`mso-list: l0 level2`), gathered into lists by `word_lists`.
    WordItem {
        level: u32,
        ordered: bool,
        blocks: Vec<Block>,
    },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Marks {
    strong: bool,
    em: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Piece {
    kind: Kind,
    marks: Marks,
    /// Index into `Reader::links`.
    link: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Text(String),
    Code(String),
    Image {
        src: String,
        alt: String,
        title: String,
    },
    Break,
}

#[derive(Debug, Clone, PartialEq)]
struct Link {
    href: String,
    title: String,
}

/// What an element passes down to what it holds.
#[derive(Debug, Clone, Copy, Default)]
struct Style {
    marks: Marks,
    code: bool,
    link: Option<usize>,
}

/// The blocks read so far in one container, and the paragraph being read.
#[derive(Default)]
struct Flow {
    blocks: Vec<Block>,
    line: Vec<Piece>,
    /// The marker text of the Word list item being read (`1.`, `·`).
    word_marker: Option<String>,
}

impl Flow {
    fn ends_in_space(&self) -> bool {
        match self.line.last() {
            None => true,
            Some(Piece {
                kind: Kind::Text(t) | Kind::Code(t),
                ..
            }) => t.ends_with(' '),
            Some(Piece {
                kind: Kind::Break, ..
            }) => true,
            Some(_) => false,
        }
    }

    /// Adds text as a browser lays it out: runs of white space are one space, none at the start
    /// of a line.
    fn text(&mut self, text: &str, style: Style) {
        let mut out = String::new();
        let mut space = self.ends_in_space();
        for c in text.chars() {
            if c.is_whitespace() {
                if !space {
                    out.push(' ');
                }
                space = true;
            } else {
                out.push(c);
                space = false;
            }
        }
        if !out.is_empty() {
            self.push(
                if style.code {
                    Kind::Code(out)
                } else {
                    Kind::Text(out)
                },
                style,
            );
        }
    }

    fn push(&mut self, kind: Kind, style: Style) {
        let (marks, link) = (style.marks, style.link);
        if let Some(last) = self.line.last_mut() {
            if last.marks == marks && last.link == link {
                match (&mut last.kind, &kind) {
                    (Kind::Text(a), Kind::Text(b)) | (Kind::Code(a), Kind::Code(b)) => {
                        a.push_str(b);
                        return;
                    }
                    _ => {}
                }
            }
        }
        self.line.push(Piece { kind, marks, link });
    }

    fn line_break(&mut self) {
        trim_end(&mut self.line);
        self.line.push(Piece {
            kind: Kind::Break,
            marks: Marks::default(),
            link: None,
        });
    }

    /// Ends the paragraph being read; one with nothing to show is dropped.
    fn flush(&mut self) {
        let mut line = std::mem::take(&mut self.line);
        trim_end(&mut line);
        while matches!(line.first(), Some(p) if p.kind == Kind::Break) {
            line.remove(0);
        }
        if !line.is_empty() {
            self.blocks.push(Block::Paragraph(line));
        }
    }

    fn block(&mut self, block: Block) {
        self.flush();
        // Lists of one kind one after the other show as one (Notion writes a list per item).
        if let (
            Some(Block::List { ordered, items }),
            Block::List {
                ordered: next,
                items: more,
            },
        ) = (self.blocks.last_mut(), &block)
        {
            if ordered == next {
                items.extend(more.iter().cloned());
                return;
            }
        }
        self.blocks.push(block);
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        word_lists(self.blocks)
    }
}

/// Drops the white space and line breaks that end a line: a browser does not show them.
fn trim_end(line: &mut Vec<Piece>) {
    while let Some(last) = line.last_mut() {
        match &mut last.kind {
            Kind::Break => {
                line.pop();
            }
            Kind::Text(t) | Kind::Code(t) => {
                let kept = t.trim_end_matches(' ').len();
                if kept > 0 {
                    t.truncate(kept);
                    return;
                }
                line.pop();
            }
            Kind::Image { .. } => return,
        }
    }
}

#[derive(Default)]
struct Reader {
    links: Vec<Link>,
}

/// Elements that hold nothing to paste.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
    "canvas", "video", "audio", "button", "input", "select", "textarea", "colgroup", "o:p", "meta",
    "link", "title",
];

/// Elements laid out as blocks: what comes before and after them is another paragraph.
const BLOCKS: &[&str] = &[
    "html",
    "body",
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "center",
    "dl",
    "dt",
    "dd",
    "form",
    "fieldset",
    "legend",
    "caption",
    "li",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
    "hgroup",
];

impl Reader {
    fn walk(&mut self, node: &Handle, style: Style, flow: &mut Flow) {
        match &node.data {
            NodeData::Document => self.children(node, style, flow),
            NodeData::Text { contents } => flow.text(&contents.borrow(), style),
            NodeData::Element { name, .. } => self.element(node, &name.local, style, flow),
            _ => {}
        }
    }

    fn children(&mut self, node: &Handle, style: Style, flow: &mut Flow) {
        for child in node.children.borrow().iter() {
            self.walk(child, style, flow);
        }
    }

    /// The blocks of what `node` holds, read as a container of its own.
    fn contents(&mut self, node: &Handle, style: Style) -> Vec<Block> {
        let mut flow = Flow::default();
        self.children(node, style, &mut flow);
        flow.finish()
    }

    fn element(&mut self, node: &Handle, name: &str, mut style: Style, flow: &mut Flow) {
        let css = declarations(node);
        let prop = |name: &str| {
            css.iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        if SKIPPED.contains(&name)
            || prop("display") == Some("none")
            || prop("mso-hide") == Some("all")
        {
            return;
        }
        if prop("mso-list") == Some("ignore") {
            // Word's own list marker (`1.`, `·`): the list is written by `word_lists`.
            flow.word_marker = Some(text_content(node));
            return;
        }
        match prop("font-weight") {
            Some("bold" | "bolder" | "600" | "700" | "800" | "900") => style.marks.strong = true,
            Some("normal" | "lighter" | "100" | "200" | "300" | "400" | "500") => {
                style.marks.strong = false
            }
            _ => {}
        }
        match prop("font-style") {
            Some("italic" | "oblique") => style.marks.em = true,
            Some("normal") => style.marks.em = false,
            _ => {}
        }
        match name {
            "b" | "strong" if prop("font-weight").is_none() => style.marks.strong = true,
            "i" | "em" | "cite" | "dfn" | "var" if prop("font-style").is_none() => {
                style.marks.em = true
            }
            _ => {}
        }
        match name {
            "br" => flow.line_break(),
            "hr" => flow.block(Block::Rule),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                let pieces = inline_of(self.contents(node, style));
                flow.flush();
                if !pieces.is_empty() {
                    flow.block(Block::Heading(level, pieces));
                }
            }
            "ul" | "ol" => {
                let list = self.list(node, name == "ol", style);
                flow.block(list);
            }
            "blockquote" => {
                let blocks = self.contents(node, style);
                flow.block(Block::Quote(blocks));
            }
            "pre" => {
                let text = pre_text(node);
                let text = text.strip_suffix('\n').unwrap_or(&text).to_owned();
                flow.block(Block::Code {
                    lang: language(node),
                    text,
                });
            }
            "table" => {
                let table = self.table(node, style);
                flow.block(table);
            }
            "img" => {
                let src = web_url(&attr(node, "src"));
                if let Some(src) = src {
                    flow.push(
                        Kind::Image {
                            src,
                            alt: collapse(&attr(node, "alt")),
                            title: collapse(&attr(node, "title")),
                        },
                        style,
                    );
                }
            }
            "code" | "kbd" | "samp" | "tt" => {
                style.code = true;
                self.children(node, style, flow);
            }
            "a" => {
                let href = attr(node, "href");
                let href = href.trim();
                if !href.is_empty() && !href.starts_with('#') && !href.starts_with("javascript:") {
                    self.links.push(Link {
                        href: href.to_owned(),
                        title: collapse(&attr(node, "title")),
                    });
                    style.link = Some(self.links.len() - 1);
                }
                self.children(node, style, flow);
            }
            _ if BLOCKS.contains(&name) => {
                let level = prop("mso-list").and_then(word_level);
                flow.flush();
                match level {
                    Some(level) => {
                        let mut item = Flow::default();
                        self.children(node, style, &mut item);
                        let ordered = item.word_marker.take().is_some_and(|m| {
                            m.trim()
                                .trim_end_matches(['.', ')'])
                                .chars()
                                .all(|c| c.is_alphanumeric())
                                && m.trim().ends_with(['.', ')'])
                        });
                        flow.blocks.push(Block::WordItem {
                            level,
                            ordered,
                            blocks: item.finish(),
                        });
                    }
                    None => {
                        self.children(node, style, flow);
                        flow.flush();
                    }
                }
            }
            _ => self.children(node, style, flow),
        }
    }

    fn list(&mut self, node: &Handle, ordered: bool, style: Style) -> Block {
        let mut items: Vec<Vec<Block>> = Vec::new();
        for child in node.children.borrow().iter() {
            let NodeData::Element { name, .. } = &child.data else {
                // Text between items (white space) is not shown.
                continue;
            };
            match &*name.local {
                "li" => items.push(self.contents(child, style)),
                // Google Docs puts a nested list beside the items, not in the one before it.
                "ul" | "ol" => {
                    let nested = self.list(child, &*name.local == "ol", style);
                    match items.last_mut() {
                        Some(item) => item.push(nested),
                        None => items.push(vec![nested]),
                    }
                }
                _ => {
                    let mut flow = Flow::default();
                    self.walk(child, style, &mut flow);
                    let blocks = flow.finish();
                    if !blocks.is_empty() {
                        items.push(blocks);
                    }
                }
            }
        }
        Block::List { ordered, items }
    }

    fn table(&mut self, node: &Handle, style: Style) -> Block {
        let mut rows: Vec<(bool, Vec<Vec<Piece>>)> = Vec::new();
        self.rows(node, style, false, &mut rows);
        let head = rows.first().is_some_and(|(head, _)| *head) && rows.len() > 1;
        Block::Table {
            head,
            rows: rows.into_iter().map(|(_, cells)| cells).collect(),
        }
    }

    /// The rows of a table, each with whether it is a header row (in `thead`, or all `th`).
    fn rows(
        &mut self,
        node: &Handle,
        style: Style,
        in_head: bool,
        rows: &mut Vec<(bool, Vec<Vec<Piece>>)>,
    ) {
        for child in node.children.borrow().iter() {
            let NodeData::Element { name, .. } = &child.data else {
                continue;
            };
            match &*name.local {
                "thead" => self.rows(child, style, true, rows),
                "tbody" | "tfoot" => self.rows(child, style, false, rows),
                "tr" => {
                    let mut cells = Vec::new();
                    let mut all_th = true;
                    for cell in child.children.borrow().iter() {
                        let NodeData::Element { name, .. } = &cell.data else {
                            continue;
                        };
                        if matches!(&*name.local, "td" | "th") {
                            all_th &= &*name.local == "th";
                            cells.push(inline_of(self.contents(cell, style)));
                        }
                    }
                    if !cells.is_empty() {
                        rows.push((in_head || all_th, cells));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Groups the paragraphs of Word lists into lists, nested by their level.
fn word_lists(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut items: Vec<(u32, bool, Vec<Block>)> = Vec::new();
    for block in blocks {
        match block {
            Block::WordItem {
                level,
                ordered,
                blocks,
            } => items.push((level, ordered, blocks)),
            other => {
                if !items.is_empty() {
                    out.push(nest(std::mem::take(&mut items)));
                }
                out.push(other);
            }
        }
    }
    if !items.is_empty() {
        out.push(nest(items));
    }
    out
}

fn nest(items: Vec<(u32, bool, Vec<Block>)>) -> Block {
    let base = items.iter().map(|i| i.0).min().unwrap_or(1);
    let ordered = items[0].1;
    let mut list: Vec<Vec<Block>> = Vec::new();
    let mut deeper: Vec<(u32, bool, Vec<Block>)> = Vec::new();
    for (level, ordered, blocks) in items {
        if level > base {
            deeper.push((level, ordered, blocks));
            continue;
        }
        if !deeper.is_empty() {
            let nested = nest(std::mem::take(&mut deeper));
            match list.last_mut() {
                Some(item) => item.push(nested),
                None => list.push(vec![nested]),
            }
        }
        list.push(blocks);
    }
    if !deeper.is_empty() {
        let nested = nest(deeper);
        match list.last_mut() {
            Some(item) => item.push(nested),
            None => list.push(vec![nested]),
        }
    }
    Block::List {
        ordered,
        items: list,
    }
}

/// `level2` of Word's `mso-list: l0 level2 lfo1`.
fn word_level(value: &str) -> Option<u32> {
    value
        .split_whitespace()
        .find_map(|w| w.strip_prefix("level"))
        .and_then(|n| n.parse().ok())
}

/// The pieces of blocks read where only a line of text can be (a heading, a table cell): the
/// blocks one after another, with a line break between.
fn inline_of(blocks: Vec<Block>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let add = |pieces: Vec<Piece>, out: &mut Vec<Piece>| {
        if pieces.is_empty() {
            return;
        }
        if !out.is_empty() {
            out.push(Piece {
                kind: Kind::Break,
                marks: Marks::default(),
                link: None,
            });
        }
        out.extend(pieces);
    };
    for block in blocks {
        match block {
            Block::Heading(_, pieces) | Block::Paragraph(pieces) => add(pieces, &mut out),
            Block::List { items, .. } => {
                for item in items {
                    add(inline_of(item), &mut out);
                }
            }
            Block::Quote(blocks) | Block::WordItem { blocks, .. } => {
                add(inline_of(blocks), &mut out)
            }
            Block::Code { text, .. } => add(
                vec![Piece {
                    kind: Kind::Code(collapse(&text)),
                    marks: Marks::default(),
                    link: None,
                }],
                &mut out,
            ),
            Block::Table { rows, .. } => {
                for cell in rows.into_iter().flatten() {
                    add(cell, &mut out);
                }
            }
            Block::Rule => {}
        }
    }
    out
}

fn attr(node: &Handle, name: &str) -> String {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The declarations of an element's `style` attribute, names and values in lower case.
fn declarations(node: &Handle) -> Vec<(String, String)> {
    attr(node, "style")
        .split(';')
        .filter_map(|d| {
            let (k, v) = d.split_once(':')?;
            let v = v.trim().trim_end_matches("!important").trim();
            Some((k.trim().to_ascii_lowercase(), v.to_ascii_lowercase()))
        })
        .collect()
}

fn text_content(node: &Handle) -> String {
    let mut out = String::new();
    fn add(node: &Handle, out: &mut String) {
        match &node.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            _ => node.children.borrow().iter().for_each(|c| add(c, out)),
        }
    }
    add(node, &mut out);
    out
}

/// The text of a `pre` as it shows: `<br>` is a new line, tags are dropped.
fn pre_text(node: &Handle) -> String {
    let mut out = String::new();
    fn add(node: &Handle, out: &mut String) {
        match &node.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. } if &*name.local == "br" => out.push('\n'),
            NodeData::Element { name, .. }
                if SKIPPED.contains(&&*name.local) && &*name.local != "o:p" => {}
            _ => node.children.borrow().iter().for_each(|c| add(c, out)),
        }
    }
    add(node, &mut out);
    out.replace("\r\n", "\n").replace('\u{a0}', " ")
}

/// The language of a code block: `language-x` / `lang-x` on the `pre` or its `code`.
fn language(node: &Handle) -> String {
    let of = |n: &Handle| {
        attr(n, "class").split_whitespace().find_map(|c| {
            c.strip_prefix("language-")
                .or_else(|| c.strip_prefix("lang-"))
                .map(str::to_owned)
        })
    };
    of(node)
        .or_else(|| {
            node.children.borrow().iter().find_map(|c| match &c.data {
                NodeData::Element { name, .. } if &*name.local == "code" => of(c),
                _ => None,
            })
        })
        .filter(|l| {
            l.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-_#.".contains(c))
        })
        .unwrap_or_default()
}

/// An image's address when a published page can load it: `http(s)` (a page's `//host/x`
/// as https). A `data:` or `file:` image (Word's temp files) cannot be linked.
fn web_url(src: &str) -> Option<String> {
    let src = src.trim();
    if let Some(rest) = src.strip_prefix("//") {
        return Some(format!("https://{rest}"));
    }
    let lower = src.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| src.to_owned())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// The markdown writer.

struct Writer<'a> {
    links: &'a [Link],
}

/// A piece to write, or a link with the pieces it holds; `marks` are what all of it has.
enum Unit<'a> {
    Piece(&'a Piece),
    Link(usize, &'a [Piece]),
}

impl Unit<'_> {
    fn marks(&self) -> Marks {
        match self {
            Unit::Piece(p) => p.marks,
            Unit::Link(_, pieces) => pieces.iter().fold(
                Marks {
                    strong: true,
                    em: true,
                },
                |m, p| Marks {
                    strong: m.strong && p.marks.strong,
                    em: m.em && p.marks.em,
                },
            ),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Strong,
    Em,
}

impl Mark {
    fn of(self, marks: Marks) -> bool {
        match self {
            Mark::Strong => marks.strong,
            Mark::Em => marks.em,
        }
    }

    fn add(self, mut marks: Marks) -> Marks {
        match self {
            Mark::Strong => marks.strong = true,
            Mark::Em => marks.em = true,
        }
        marks
    }

    fn delimiter(self) -> &'static str {
        match self {
            Mark::Strong => "**",
            Mark::Em => "*",
        }
    }
}

/// Where inline text goes: a paragraph writes a line break as `<br/>` and a new line; a
/// heading or a table cell must stay on one line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    Many,
    One,
}

impl Writer<'_> {
    fn blocks(&self, blocks: &[Block]) -> String {
        let mut out = String::new();
        for block in blocks {
            let text = self.block(block);
            if text.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&text);
        }
        out
    }

    fn block(&self, block: &Block) -> String {
        match block {
            Block::Heading(level, pieces) => {
                let text = self.inline(pieces, Line::One, true);
                format!("{} {text}", "#".repeat(usize::from(*level)))
            }
            Block::Paragraph(pieces) => self
                .inline(pieces, Line::Many, false)
                .split('\n')
                .map(escape_line_start)
                .collect::<Vec<_>>()
                .join("\n"),
            Block::List { ordered, items } => self.list(*ordered, items),
            Block::Quote(blocks) => self
                .blocks(blocks)
                .split('\n')
                .map(|l| {
                    if l.is_empty() {
                        ">".to_owned()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Code { lang, text } => {
                let longest = longest_run(text, '`');
                let fence = "`".repeat(longest.max(2) + 1);
                format!("{fence}{lang}\n{text}\n{fence}")
            }
            Block::Table { head, rows } => self.table(*head, rows),
            Block::Rule => "---".to_owned(),
            Block::WordItem { blocks, .. } => self.blocks(blocks),
        }
    }

    fn list(&self, ordered: bool, items: &[Vec<Block>]) -> String {
        let mut out = String::new();
        for (n, item) in items.iter().enumerate() {
            let marker = if ordered {
                format!("{}. ", n + 1)
            } else {
                "- ".to_owned()
            };
            let indent = " ".repeat(marker.len());
            let mut body = String::new();
            for (i, block) in item.iter().enumerate() {
                let text = self.block(block);
                if text.is_empty() {
                    continue;
                }
                if !body.is_empty() {
                    // Text then its nested list stays one tight item.
                    let tight = i > 0
                        && matches!(item[i - 1], Block::Paragraph(_))
                        && matches!(block, Block::List { .. });
                    body.push_str(if tight { "\n" } else { "\n\n" });
                }
                body.push_str(&text);
            }
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(marker.trim_end());
            for (i, line) in body.split('\n').enumerate() {
                match (i, line.is_empty()) {
                    (0, true) => {}
                    (0, false) => {
                        out.push(' ');
                        out.push_str(line);
                    }
                    (_, true) => out.push('\n'),
                    (_, false) => {
                        out.push('\n');
                        out.push_str(&indent);
                        out.push_str(line);
                    }
                }
            }
        }
        out
    }

    fn table(&self, head: bool, rows: &[Vec<Vec<Piece>>]) -> String {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut out = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            let mut line = String::from("|");
            for c in 0..columns {
                let text = row
                    .get(c)
                    .map(|cell| self.inline(cell, Line::One, false))
                    .unwrap_or_default();
                line.push(' ');
                line.push_str(&text);
                line.push_str(" |");
            }
            out.push(line);
            if r == 0 && head {
                out.push(format!("|{}", "---|".repeat(columns)));
            }
        }
        out.join("\n")
    }

    /// Inline pieces as markdown: links as units, then bold and italic opened over the longest
    /// runs that carry them, so that what is bold together is one `**…**`.
    fn inline(&self, pieces: &[Piece], line: Line, heading: bool) -> String {
        let mut units = Vec::new();
        let mut i = 0;
        while i < pieces.len() {
            match pieces[i].link {
                Some(link) => {
                    let end = i + pieces[i..]
                        .iter()
                        .take_while(|p| p.link == Some(link))
                        .count();
                    units.push(Unit::Link(link, &pieces[i..end]));
                    i = end;
                }
                None => {
                    units.push(Unit::Piece(&pieces[i]));
                    i += 1;
                }
            }
        }
        let mut out = String::new();
        self.units(&units, Marks::default(), line, heading, &mut out);
        out
    }

    fn units(&self, units: &[Unit], open: Marks, line: Line, heading: bool, out: &mut String) {
        let mut i = 0;
        while i < units.len() {
            let marks = units[i].marks();
            let run = |mark: Mark| {
                units[i..]
                    .iter()
                    .take_while(|u| mark.of(u.marks()) && !is_break(u))
                    .count()
            };
            let needed: Vec<Mark> = [Mark::Strong, Mark::Em]
                .into_iter()
                .filter(|m| m.of(marks) && !m.of(open) && !is_break(&units[i]))
                .collect();
            let Some(mark) = needed.into_iter().max_by_key(|m| run(*m)) else {
                self.unit(&units[i], open, line, heading, out);
                i += 1;
                continue;
            };
            let end = i + run(mark);
            let mut inner = String::new();
            self.units(&units[i..end], mark.add(open), line, heading, &mut inner);
            // kramdown opens no emphasis before a space and closes none after one.
            let body = inner.trim_matches(' ');
            let lead = inner.len() - inner.trim_start_matches(' ').len();
            out.push_str(&inner[..lead]);
            if !body.is_empty() {
                out.push_str(mark.delimiter());
                out.push_str(body);
                out.push_str(mark.delimiter());
                out.push_str(&inner[lead + body.len()..]);
            }
            i = end;
        }
    }

    fn unit(&self, unit: &Unit, open: Marks, line: Line, heading: bool, out: &mut String) {
        match unit {
            Unit::Piece(piece) => self.piece(piece, line, heading, out),
            Unit::Link(index, pieces) => {
                let link = &self.links[*index];
                let units: Vec<Unit> = pieces.iter().map(Unit::Piece).collect();
                let mut text = String::new();
                self.units(&units, open, Line::One, heading, &mut text);
                let text = text.trim_matches(' ');
                if text.is_empty() {
                    return;
                }
                out.push('[');
                out.push_str(text);
                out.push_str("](");
                out.push_str(&link_url(&link.href));
                out.push_str(&link_title(&link.title));
                out.push(')');
            }
        }
    }

    fn piece(&self, piece: &Piece, line: Line, heading: bool, out: &mut String) {
        match &piece.kind {
            Kind::Text(text) => {
                let escaped = escape_text(text);
                if heading {
                    out.push_str(&escaped.replace('#', "\\#"));
                } else {
                    out.push_str(&escaped);
                }
            }
            Kind::Code(code) => {
                let ticks = "`".repeat(longest_run(code, '`') + 1);
                let pad = if code.starts_with('`') || code.ends_with('`') {
                    " "
                } else {
                    ""
                };
                out.push_str(&format!("{ticks}{pad}{code}{pad}{ticks}"));
            }
            Kind::Image { src, alt, title } => {
                out.push_str(&format!(
                    "![{}]({}{})",
                    escape_text(alt),
                    link_url(src),
                    link_title(title)
                ));
            }
            Kind::Break => out.push_str(match line {
                Line::Many => "<br/>\n",
                Line::One => "<br/>",
            }),
        }
    }
}

fn is_break(unit: &Unit) -> bool {
    matches!(
        unit,
        Unit::Piece(Piece {
            kind: Kind::Break,
            ..
        })
    )
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// A link's address as kramdown reads it back whole: white space and unbalanced brackets are
/// percent-encoded (a browser sends them so).
fn link_url(url: &str) -> String {
    let mut depth = 0i32;
    let mut balanced = true;
    for c in url.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                balanced &= depth >= 0;
            }
            _ => {}
        }
    }
    balanced &= depth == 0;
    let mut out = String::new();
    for c in url.chars() {
        match c {
            ' ' | '\t' | '\n' | '\r' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' if !balanced => out.push_str("%28"),
            ')' if !balanced => out.push_str("%29"),
            _ => out.push(c),
        }
    }
    out
}

fn link_title(title: &str) -> String {
    if title.is_empty() {
        String::new()
    } else if !title.contains('"') {
        format!(" \"{title}\"")
    } else {
        format!(" '{}'", title.replace('\'', "\u{2019}"))
    }
}

/// Characters kramdown escapes with a backslash (kramdown's `ESCAPED_CHARS`).
const ESCAPABLE: &str = "\\.*_+-`()[]{}#!:|\"'$=<>";

/// Text escaped so that kramdown (and Jekyll's Liquid before it) reads it as the same text.
fn escape_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        match (c, next) {
            ('\\', n) if n.is_none_or(|n| ESCAPABLE.contains(n)) => out.push_str("\\\\"),
            ('*' | '`' | '[' | ']' | '<' | '|', _) => {
                out.push('\\');
                out.push(c);
            }
            // `_` inside a word opens no emphasis in kramdown (`snake_case` stays as it is).
            ('_', _) if !prev.is_some_and(|p| p.is_alphanumeric() || p == '-') => {
                out.push_str("\\_")
            }
            // `$$` is kramdown's math.
            ('$', _) if prev == Some('$') || next == Some('$') => out.push_str("\\$"),
            // `{:` is an attribute list, `{#` a header id.
            ('{', Some(':' | '#')) => out.push_str("\\{"),
            // Liquid runs before kramdown: `{{` and `{%` are written as Liquid strings.
            ('{', Some(n @ ('{' | '%'))) => {
                out.push_str(&format!("{{{{ \"{{{n}\" }}}}"));
                i += 1;
            }
            ('&', _) if is_entity(&chars[i..]) => out.push_str("&amp;"),
            // `~~` is strikethrough in GFM, `>>` a guillemet.
            ('~', _) if prev == Some('~') => out.push_str("&#126;"),
            ('>', Some('>')) => out.push_str("\\>"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Whether `&…` reads as an entity (`&amp;`, `&#39;`, `&#x27;`).
fn is_entity(chars: &[char]) -> bool {
    let rest: String = chars.iter().skip(1).take(40).collect();
    let Some(end) = rest.find(';') else {
        return false;
    };
    let name = &rest[..end];
    if let Some(num) = name.strip_prefix('#') {
        return match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        };
    }
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A line of a paragraph whose text kramdown would read as the start of a block (a heading, a
/// quote, a list, a definition, a setext underline), escaped. (A `~~~` fence is escaped as
/// text: see `escape_text`.)
fn escape_line_start(line: &str) -> String {
    let Some(first) = line.chars().next() else {
        return String::new();
    };
    match first {
        '#' | '>' | '-' | '+' | ':' | '=' => format!("\\{line}"),
        '0'..='9' => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let rest = &line[digits..];
            match rest.strip_prefix('.') {
                Some(after) if after.is_empty() || after.starts_with([' ', '\t']) => {
                    format!("{}\\.{after}", &line[..digits])
                }
                _ => line.to_owned(),
            }
        }
        _ => line.to_owned(),
    }
}

#[cfg(test)]
#[path = "from_html/tests.rs"]
mod tests;
