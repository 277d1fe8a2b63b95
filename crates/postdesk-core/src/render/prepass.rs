//! kramdown's block rules where they differ from CommonMark, applied to the text before comrak
//! parses it, without changing its line count (the preview maps lines back to the editor).
//!
//! HTML: kramdown reads a block-level element (`<div>`, `<figure>`, `<hr/>`, custom tags …) from its
//! start tag to its matching end tag, blank lines and all, and keeps it raw unless it says
//! `markdown="1"`; a span-level element (`<img>`, `<br/>`, `<a>` …) at the start of a line starts
//! a paragraph. CommonMark ends HTML blocks at a blank line and turns a lone `<img>` or `<br/>`
//! line into a raw block, so such elements are swapped for placeholders that comrak passes
//! through untouched, and put back afterwards.
//!
//! Lists and tables: a `1.` line right under a `- ` item (no blank line) continues that item
//! lazily and so starts a list nested in it; `1)` is no list marker; a table needs a blank line
//! (or the end) after it, else its lines are a paragraph. Line breaks: of three or more trailing
//! spaces, only the last two make the break.
//! Not for: HTML inside list items or block quotes (left to comrak).

use super::lead_byte;
use super::sanitize::numeric_reference;

/// Elements kramdown parses as span-level (kramdown/parser/html.rb, HTML_SPAN_ELEMENTS).
const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "samp", "select", "small", "span", "strong", "sub", "sup", "tt", "u", "var",
];

/// Elements without a body (HTML_ELEMENTS_WITHOUT_BODY).
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// Elements whose content kramdown parses as blocks when they say `markdown="1"`.
const BLOCK_CONTENT: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "fieldset",
    "figure",
    "figcaption",
    "footer",
    "form",
    "header",
    "hgroup",
    "iframe",
    "li",
    "main",
    "map",
    "menu",
    "nav",
    "noscript",
    "object",
    "section",
    "summary",
    "td",
];

/// Elements whose content is span-level markdown when they say `markdown="1"`.
const SPAN_CONTENT: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "caption", "del", "dfn", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label", "legend", "optgroup", "p", "q",
    "rb", "rbc", "rp", "rt", "rtc", "ruby", "select", "small", "span", "strong", "sub", "sup",
    "th", "tt",
];

/// The private-use characters the prepass marks text with, taken out of the HTML afterwards:
/// two of U+F000–U+F8FF (one first byte in UTF-8, see [`without_marks`]) that the markdown does
/// not hold, as characters or references, so that a writer's own (U+F8FF is Apple's logo on a
/// Mac) stays.
#[derive(Clone, Copy)]
struct Marks {
    /// Put before a line that starts with a span-level tag so that comrak reads it as
    /// paragraph text; removed from the HTML.
    paragraph: char,
    /// Stands for a trailing space kramdown keeps before a line break; a space again.
    kept_space: char,
}

const MARKS_FIRST: char = '\u{F000}';
const MARKS_LAST: char = '\u{F8FF}';

impl Marks {
    fn unused_in(markdown: &str) -> Marks {
        let range = MARKS_FIRST as usize..=MARKS_LAST as usize;
        let mut used = Vec::new();
        let written = memchr::memchr_iter(lead_byte(MARKS_LAST), markdown.as_bytes())
            .filter_map(|at| markdown[at..].chars().next());
        // comrak writes what a numeric reference (`&#xF8FF;`) stands for.
        let referenced = memchr::memmem::find_iter(markdown.as_bytes(), b"&#")
            .filter_map(|at| numeric_reference(&markdown[at + 2..]).map(|(c, _)| c));
        for c in written.chain(referenced).map(|c| c as usize) {
            if range.contains(&c) {
                used.resize(range.end() - range.start() + 1, false);
                used[c - range.start()] = true;
            }
        }
        let mut unused = (MARKS_FIRST..=MARKS_LAST)
            .rev()
            .filter(|c| !used.get(*c as usize - range.start()).is_some_and(|u| *u));
        // A text that holds all 2,304 loses its own copies of the last two.
        Marks {
            paragraph: unused.next().unwrap_or(MARKS_LAST),
            kept_space: unused.next().unwrap_or('\u{F8FE}'),
        }
    }
}

pub(super) struct Prepared {
    pub markdown: String,
    /// Abbreviations defined with `*[HTML]: Hyper Text Markup Language`, longest first.
    pub abbreviations: Vec<(String, String)>,
    blocks: Vec<String>,
    marks: Marks,
}

impl Prepared {
    /// The HTML blocks whose placeholders are in `text` (a part of `markdown`), in order.
    pub fn blocks_in<'p>(&'p self, text: &'p str) -> impl Iterator<Item = &'p str> {
        text.match_indices(PLACEHOLDER_START).filter_map(|(at, _)| {
            let rest = &text[at + PLACEHOLDER_START.len()..];
            let end = rest.find(PLACEHOLDER_END)?;
            let i = rest[..end].parse::<usize>().ok()?;
            self.blocks.get(i).map(String::as_str)
        })
    }

    /// Puts the HTML blocks back in place of their placeholders in comrak's output, and takes
    /// the marks of the prepass out of it.
    pub fn finish(&self, html: String) -> String {
        let html = if self.blocks.is_empty() {
            html
        } else {
            self.put_back_blocks(&html)
        };
        without_marks(html, self.marks)
    }

    fn put_back_blocks(&self, html: &str) -> String {
        // One pass: placeholders come out of comrak in order, and what replaces them is not
        // scanned again.
        let extra: usize = self.blocks.iter().map(String::len).sum();
        let mut out = String::with_capacity(html.len() + extra);
        let mut rest = html;
        while let Some(at) = rest.find(PLACEHOLDER_START) {
            out.push_str(&rest[..at]);
            let after = &rest[at + PLACEHOLDER_START.len()..];
            let found = after.find(PLACEHOLDER_END).and_then(|end| {
                let block = after[..end]
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| self.blocks.get(i))?;
                Some((end, block))
            });
            match found {
                Some((end, block)) => {
                    out.push_str(block);
                    rest = &after[end + PLACEHOLDER_END.len()..];
                }
                None => {
                    out.push_str(PLACEHOLDER_START);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// `html` without paragraph marks, and with a space for each kept space, in one pass.
fn without_marks(html: String, marks: Marks) -> String {
    // All marks share their first byte: one search finds both (see `find_mark` for why not
    // `str::find`).
    let lead = lead_byte(MARKS_LAST);
    let mut out = String::new();
    let mut copied = 0;
    for at in memchr::memchr_iter(lead, html.as_bytes()) {
        let Some(mark) = html[at..]
            .chars()
            .next()
            .filter(|&c| c == marks.paragraph || c == marks.kept_space)
        else {
            continue;
        };
        if copied == 0 {
            out.reserve(html.len());
        }
        out.push_str(&html[copied..at]);
        if mark == marks.kept_space {
            out.push(' ');
        }
        copied = at + mark.len_utf8();
    }
    if copied == 0 {
        return html;
    }
    out.push_str(&html[copied..]);
    out
}

const PLACEHOLDER_START: &str = "<pre data-postdesk-html=\"";
const PLACEHOLDER_END: &str = "\"></pre>";

fn placeholder(i: usize) -> String {
    format!("{PLACEHOLDER_START}{i}{PLACEHOLDER_END}")
}

/// Rewrites `markdown` as described above. `render(inner, span)` renders the content of an
/// element that says `markdown="1"` (as blocks, or as span text when `span`).
pub(super) fn prepare(markdown: &str, render: impl Fn(&str, bool) -> String) -> Prepared {
    let marks = Marks::unused_in(markdown);
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    // Table cells and markdown="1" blocks are rendered on their own: they still need the
    // document's link definitions.
    let definitions: String = lines
        .iter()
        .filter(|l| is_link_definition(l))
        .copied()
        .collect();
    let render = |inner: &str, span: bool| {
        if definitions.is_empty() {
            render(inner, span)
        } else {
            render(&format!("{inner}\n\n{definitions}"), span)
        }
    };
    let mut abbreviations = Vec::new();
    let escape_tables = tables_without_boundaries(&lines);
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut blocks = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut list: Vec<ListItem> = Vec::new();
    let mut previous_blank = true;
    let mut pos = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let line_end = pos + line.len();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = &line[indent..];

        if let Some((ch, len)) = fence {
            let run = content.chars().take_while(|c| *c == ch).count();
            if run >= len && content[run..].trim().is_empty() {
                fence = None;
            }
            out.push_str(line);
            pos = line_end;
            i += 1;
            continue;
        }
        if indent <= 3 {
            let ch = content.chars().next().unwrap_or(' ');
            let run = content.chars().take_while(|c| *c == ch).count();
            if (ch == '`' || ch == '~') && run >= 3 {
                fence = Some((ch, run));
                out.push_str(line);
                pos = line_end;
                previous_blank = false;
                i += 1;
                continue;
            }
        }
        if indent <= 3 && content.starts_with('<') && !content.starts_with("<!--") {
            if let Some(tag) = open_tag(&markdown[pos + indent..]) {
                if !SPAN_ELEMENTS.contains(&tag.name.as_str()) {
                    if let Some(block) = html_block(markdown, pos + indent, &tag, &render) {
                        out.push_str(&placeholder(blocks.len()));
                        blocks.push(block.html);
                        // Keep the line count: the block's other lines become empty lines.
                        let covered = markdown[pos..block.end].matches('\n').count().max(1);
                        out.extend(std::iter::repeat_n('\n', covered));
                        while i < lines.len() && pos < block.end {
                            pos += lines[i].len();
                            i += 1;
                        }
                        list.clear();
                        previous_blank = false;
                        continue;
                    }
                }
            }
        }

        let boundary_before =
            previous_blank || (i > 0 && lines[i - 1].trim_start().starts_with("{:"));
        if indent <= 3 && boundary_before && !escape_tables.contains(&(i + 1)) {
            if let Some((html, consumed)) = table(&lines[i..], &render) {
                out.push_str(&placeholder(blocks.len()));
                blocks.push(html);
                out.extend(std::iter::repeat_n('\n', consumed));
                for line in &lines[i..i + consumed] {
                    pos += line.len();
                }
                i += consumed;
                list.clear();
                previous_blank = false;
                continue;
            }
        }

        if let Some(definition) = abbreviation(line).filter(|_| indent <= 3) {
            abbreviations.push(definition);
            out.push('\n');
            pos = line_end;
            previous_blank = true;
            i += 1;
            continue;
        }

        let blank = line.trim().is_empty();
        let mut adjusted = String::new();
        // A span-level element starting the line starts a paragraph.
        if indent <= 3 && starts_with_span_tag(content) {
            adjusted.push(marks.paragraph);
        }
        let nest = list_rules(content, indent, &mut list, previous_blank, blank);
        adjusted.extend(std::iter::repeat_n(' ', nest));
        let paren = paren_list_marker(line);
        let table_pipe = escape_tables.contains(&i).then(|| line.find('|')).flatten();
        let next_blank = lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
        let break_spaces = !next_blank && line.trim_end_matches(['\n', '\r']).ends_with("   ");
        if paren.is_none() && table_pipe.is_none() && !break_spaces {
            out.push_str(&adjusted);
            out.push_str(line);
        } else {
            let mut text = line.to_owned();
            if let Some(at) = paren.or(table_pipe) {
                text.insert(at, '\\');
            }
            if break_spaces {
                keep_break_spaces(&mut text, marks.kept_space);
            }
            out.push_str(&adjusted);
            out.push_str(&text);
        }
        previous_blank = blank;
        pos = line_end;
        i += 1;
    }
    abbreviations.sort_by_key(|(a, _): &(String, String)| std::cmp::Reverse(a.len()));
    Prepared {
        markdown: out,
        abbreviations,
        blocks,
        marks,
    }
}

/// `[name]: url` (not a footnote).
fn is_link_definition(line: &str) -> bool {
    let t = line.trim_start();
    line.len() - t.len() <= 3
        && t.starts_with('[')
        && !t.starts_with("[^")
        && t.find("]:").is_some_and(|end| end > 1)
}

/// `*[HTML]: Hyper Text Markup Language` (kramdown's abbreviation definition).
fn abbreviation(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix("*[")?;
    let end = rest.find("]:")?;
    let name = rest[..end].trim();
    (!name.is_empty()).then(|| (name.to_owned(), rest[end + 2..].trim().to_owned()))
}

/// Whether `line` holds a pipe that can split table cells (kramdown's TABLE_PIPE_CHECK).
fn has_table_pipe(line: &str) -> bool {
    let t = line.trim_end_matches(['\n', '\r']);
    t.trim_start().starts_with('|')
        || t.char_indices()
            .any(|(i, c)| c == '|' && i > 0 && !t[..i].ends_with('\\'))
}

fn is_separator(line: &str, fill: char) -> bool {
    let t = line.trim();
    t.contains(fill)
        && t.chars()
            .all(|c| c == fill || matches!(c, '+' | '|' | ':' | ' ' | '\t'))
}

/// Cells of a table row: split at pipes that are neither escaped nor in a code span.
fn split_cells(row: &str, leading_pipe: bool) -> Vec<String> {
    let row = row.trim_end_matches(['\n', '\r']).trim();
    let mut cells = vec![String::new()];
    let mut chars = row.chars().peekable();
    let mut code: Option<usize> = None;
    while let Some(c) = chars.next() {
        match c {
            '`' => {
                let mut run = 1;
                while chars.peek() == Some(&'`') {
                    chars.next();
                    run += 1;
                }
                code = match code {
                    Some(open) if open == run => None,
                    None => Some(run),
                    other => other,
                };
                cells
                    .last_mut()
                    .into_iter()
                    .for_each(|cell| cell.extend(std::iter::repeat_n('`', run)));
            }
            // An escaped pipe stays escaped: the cell's markdown turns it into `|`.
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                cells
                    .last_mut()
                    .into_iter()
                    .for_each(|cell| cell.push_str("\\|"));
            }
            '|' if code.is_none() => cells.push(String::new()),
            c => cells.last_mut().into_iter().for_each(|cell| cell.push(c)),
        }
    }
    if leading_pipe && cells.first().is_some_and(|c| c.trim().is_empty()) {
        cells.remove(0);
    }
    if cells.len() > 1 && cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells.into_iter().map(|c| c.trim().to_owned()).collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Default,
    Left,
    Center,
    Right,
}

fn alignments(separator: &str) -> Vec<Align> {
    separator
        .trim()
        .split(['|', '+'])
        .filter(|part| part.contains('-'))
        .map(|part| {
            let part = part.trim();
            match (part.starts_with(':'), part.ends_with(':')) {
                (true, true) => Align::Center,
                (true, false) => Align::Left,
                (false, true) => Align::Right,
                (false, false) => Align::Default,
            }
        })
        .collect()
}

/// A kramdown table starting at `lines[0]` (kramdown/parser/kramdown/table.rb): header rows
/// above a `|---|` line, bodies split by further `|---|` lines, a footer below `|===|`, and a
/// block attribute list right after. Returns its HTML and how many lines it took.
fn table(lines: &[&str], render: &impl Fn(&str, bool) -> String) -> Option<(String, usize)> {
    // Every line needs a pipe outside code spans (kramdown checks `pipe_on_line`).
    let run = lines
        .iter()
        .take_while(|l| {
            !l.trim().is_empty()
                && has_table_pipe(l)
                && (l.trim_start().starts_with('|') || split_cells(l, false).len() > 1)
        })
        .count();
    if run == 0 {
        return None;
    }
    let after = lines.get(run).map(|l| l.trim());
    let attribute_list = after
        .filter(|l| l.starts_with("{:"))
        .and_then(super::kramdown::parse_attribute_list);
    if !(after.is_none_or(str::is_empty) || attribute_list.is_some()) {
        return None;
    }
    let leading_pipe = lines[0].trim_start().starts_with('|');
    let mut sections: Vec<(&str, Vec<Vec<String>>)> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut align: Vec<Align> = Vec::new();
    let mut footer = false;
    for line in &lines[..run] {
        if is_separator(line, '-') {
            if rows.is_empty() {
                continue;
            }
            if align.is_empty() && !footer && sections.is_empty() {
                align = alignments(line);
                sections.push(("thead", std::mem::take(&mut rows)));
            } else if !footer {
                sections.push(("tbody", std::mem::take(&mut rows)));
            }
        } else if is_separator(line, '=') {
            if !rows.is_empty() {
                sections.push(("tbody", std::mem::take(&mut rows)));
            }
            footer = true;
        } else {
            rows.push(split_cells(line, leading_pipe));
        }
    }
    if !rows.is_empty() {
        sections.push((if footer { "tfoot" } else { "tbody" }, rows));
    }
    if !sections.iter().any(|(kind, _)| *kind == "tbody") {
        return None;
    }
    let columns = sections
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(Vec::len))
        .max()
        .unwrap_or(0);
    align.resize(columns, Align::Default);
    let mut html = String::from("<table");
    if let Some(attributes) = &attribute_list {
        // Writing into a String cannot fail.
        let _ = super::kramdown::write_attributes(&mut html, attributes);
    }
    html.push_str(">\n");
    for (kind, rows) in &sections {
        let cell_tag = if *kind == "thead" { "th" } else { "td" };
        html.push_str(&format!("  <{kind}>\n"));
        for row in rows {
            html.push_str("    <tr>\n");
            for (column, a) in align.iter().enumerate() {
                let text = row.get(column).map_or("", String::as_str);
                let style = match a {
                    Align::Default => "",
                    Align::Left => " style=\"text-align: left\"",
                    Align::Center => " style=\"text-align: center\"",
                    Align::Right => " style=\"text-align: right\"",
                };
                let content = if text.is_empty() {
                    "\u{a0}".to_owned()
                } else {
                    render(text, true)
                };
                html.push_str(&format!(
                    "      <{cell_tag}{style}>{content}</{cell_tag}>\n"
                ));
            }
            html.push_str("    </tr>\n");
        }
        html.push_str(&format!("  </{kind}>\n"));
    }
    html.push_str("</table>\n");
    Some((html, run + usize::from(attribute_list.is_some())))
}

fn starts_with_span_tag(content: &str) -> bool {
    let name = match content.strip_prefix("</") {
        Some(_) => close_tag_name(content),
        None => open_tag(content).map(|t| t.name),
    };
    name.is_some_and(|n| SPAN_ELEMENTS.contains(&n.as_str()))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Bullet,
    Ordered,
}

#[derive(Clone, Copy)]
struct ListItem {
    kind: ListKind,
    /// Column where the item's content starts (after any shift).
    content: usize,
    /// Spaces put before the item's marker line to nest it (see [`list_rules`]).
    shift: usize,
}

/// A list marker at the start of `content`: its kind and the width of marker plus spaces.
fn list_marker(content: &str) -> Option<(ListKind, usize)> {
    let bytes = content.as_bytes();
    let (kind, marker_len) = match bytes.first()? {
        b'-' | b'*' | b'+' => (ListKind::Bullet, 1),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || bytes.get(digits) != Some(&b'.') {
                return None;
            }
            (ListKind::Ordered, digits + 1)
        }
        _ => return None,
    };
    let spaces = bytes[marker_len..]
        .iter()
        .take_while(|b| **b == b' ')
        .count();
    let rest = &content[marker_len + spaces..];
    if spaces == 0 || rest.trim().is_empty() {
        return None;
    }
    // `* * *` and `- - -` are rules, not lists.
    if kind == ListKind::Bullet
        && content
            .trim()
            .chars()
            .all(|c| c == bytes[0] as char || c == ' ')
    {
        return None;
    }
    Some((kind, marker_len + spaces.min(4)))
}

/// Tracks the open list items a line may belong to and returns how many spaces to put before
/// the line so that comrak nests it as kramdown does.
fn list_rules(
    content: &str,
    indent: usize,
    list: &mut Vec<ListItem>,
    previous_blank: bool,
    blank: bool,
) -> usize {
    if blank {
        return 0;
    }
    let marker = if indent <= 3 {
        list_marker(content)
    } else {
        None
    };
    let Some((kind, width)) = marker else {
        if previous_blank {
            list.retain(|item| item.content <= indent);
        }
        return 0;
    };
    // A marker of the kind of an enclosing item is that item's sibling.
    if let Some(level) = list
        .iter()
        .rposition(|item| item.kind == kind && indent + item.shift < item.content)
    {
        let shift = list[level].shift;
        list.truncate(level);
        list.push(ListItem {
            kind,
            content: indent + shift + width,
            shift,
        });
        return shift;
    }
    match list.last().copied() {
        // kramdown reads a marker of another kind right under an item (no blank line) as a lazy
        // continuation of the item, where it starts a nested list; comrak would end the list.
        Some(item) if item.kind != kind && !previous_blank && indent < item.content => {
            let shift = item.content - indent;
            list.push(ListItem {
                kind,
                content: item.content + width,
                shift,
            });
            shift
        }
        _ => {
            list.retain(|item| item.content <= indent);
            list.push(ListItem {
                kind,
                content: indent + width,
                shift: 0,
            });
            0
        }
    }
}

/// Where to put a backslash so that `1) text` stays text: kramdown knows only `1.` lists.
fn paren_list_marker(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let digits = line[indent..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let at = indent + digits;
    (digits > 0
        && digits <= 9
        && line[at..].starts_with(')')
        && line[at + 1..].starts_with([' ', '\t', '\n']))
    .then_some(at)
}

/// Of three or more spaces before a line break, kramdown keeps all but the last two as text.
fn keep_break_spaces(line: &mut String, kept_space: char) {
    let body = line.trim_end_matches(['\n', '\r']);
    let spaces = body.len() - body.trim_end_matches(' ').len();
    if spaces >= 3 && !body.trim().is_empty() {
        let start = body.len() - spaces;
        let kept: String = std::iter::repeat_n(kept_space, spaces - 2).collect();
        line.replace_range(start..start + spaces - 2, &kept);
    }
}

/// Indexes of table delimiter lines whose table kramdown would not take: a table must start
/// and end at a block boundary (a blank line, the start or end, or a block attribute list).
fn tables_without_boundaries(lines: &[&str]) -> Vec<usize> {
    let boundary = |l: Option<&&str>| {
        l.is_none_or(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with("{:")
        })
    };
    let has_pipe = |l: &str| l.contains('|') && !l.trim().is_empty();
    let is_delimiter = |l: &str| {
        let t = l.trim();
        t.contains('-')
            && t.chars()
                .all(|c| matches!(c, '|' | ':' | '-' | ' ' | '\t' | '+'))
    };
    let mut escape = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !has_pipe(lines[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && has_pipe(lines[i]) {
            i += 1;
        }
        let before = start.checked_sub(1).map(|b| &lines[b]);
        if let Some(d) = (start..i).find(|k| is_delimiter(lines[*k])) {
            if !boundary(before) || !boundary(lines.get(i)) {
                escape.push(d);
            }
        }
    }
    escape
}

struct OpenTag {
    name: String,
    /// Length of the whole start tag, `<` to `>`.
    len: usize,
    self_closing: bool,
    /// The value of `markdown="…"`, if any, and the tag written without it.
    markdown: Option<String>,
    without_markdown: String,
}

/// Parses a start tag at the beginning of `text` (attributes may span lines).
fn open_tag(text: &str) -> Option<OpenTag> {
    let rest = text.strip_prefix('<')?;
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':' || c == '_'))
        .unwrap_or(rest.len());
    if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = rest[..name_len].to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut i = 1 + name_len;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => break,
            None if b == b'<' => return None,
            None => {}
        }
        i += 1;
    }
    if i >= bytes.len() {
        return None;
    }
    let len = i + 1;
    let tag_text = &text[..len];
    let self_closing = tag_text[..len - 1].trim_end().ends_with('/');
    let (markdown, without_markdown) = take_markdown_attribute(tag_text);
    Some(OpenTag {
        name,
        len,
        self_closing,
        markdown,
        without_markdown,
    })
}

fn take_markdown_attribute(tag: &str) -> (Option<String>, String) {
    if !tag.contains("markdown") {
        return (None, tag.to_owned());
    }
    for quote in ['"', '\''] {
        for spacing in ["", " "] {
            let needle = format!(" markdown{spacing}={spacing}{quote}");
            if let Some(start) = tag.find(&needle) {
                let value_start = start + needle.len();
                if let Some(close) = tag[value_start..].find(quote) {
                    let value = tag[value_start..value_start + close].to_owned();
                    let rest = format!("{}{}", &tag[..start], &tag[value_start + close + 1..]);
                    return (Some(value), rest);
                }
            }
        }
    }
    (None, tag.to_owned())
}

fn close_tag_name(text: &str) -> Option<String> {
    let rest = text.strip_prefix("</")?;
    let end = rest.find('>')?;
    let name = rest[..end].trim();
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| name.to_ascii_lowercase())
}

struct Block {
    html: String,
    /// Byte offset just past the block (past the end of its last line).
    end: usize,
}

/// The block-level element starting at `start`: to its matching end tag, through the end of
/// that line. `None` when text follows the end tag on its line (left to comrak).
fn html_block(
    markdown: &str,
    start: usize,
    tag: &OpenTag,
    render: &impl Fn(&str, bool) -> String,
) -> Option<Block> {
    let body_start = start + tag.len;
    let (inner_end, close_end) = if tag.self_closing || VOID_ELEMENTS.contains(&tag.name.as_str()) {
        (body_start, body_start)
    } else {
        matching_close(markdown, body_start, &tag.name).unwrap_or((markdown.len(), markdown.len()))
    };
    let line_end = markdown[close_end..]
        .find('\n')
        .map_or(markdown.len(), |i| close_end + i + 1);
    if !markdown[close_end..line_end].trim().is_empty() {
        return None;
    }
    let inner = &markdown[body_start..inner_end];
    let close = &markdown[inner_end..close_end];
    let mode = match tag.markdown.as_deref() {
        Some("1") if BLOCK_CONTENT.contains(&tag.name.as_str()) => Some(false),
        Some("1") if SPAN_CONTENT.contains(&tag.name.as_str()) => Some(true),
        Some("block") => Some(false),
        Some("span") => Some(true),
        _ => None,
    };
    let html = match mode {
        None => markdown[start..close_end].to_owned(),
        Some(span) => {
            let inner = inner.strip_prefix('\n').unwrap_or(inner);
            let rendered = render(inner, span);
            let sep = if span { "" } else { "\n" };
            format!("{}{sep}{rendered}{close}", tag.without_markdown)
        }
    };
    Some(Block {
        html: format!("{html}\n"),
        end: line_end,
    })
}

/// Finds `</name>` matching an element whose body starts at `from`, counting nested elements
/// of the same name and skipping comments. Returns (start, end) of the end tag.
fn matching_close(markdown: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let bytes = markdown.as_bytes();
    // `<name` or `</name` followed by `>`, `/` or white space, in any letter case.
    let tag_at = |at: usize, closing: bool| {
        let start = at + 1 + usize::from(closing);
        let end = start + name.len();
        (!closing || bytes.get(at + 1) == Some(&b'/'))
            && bytes
                .get(start..end)
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && bytes
                .get(end)
                .is_some_and(|b| *b == b'>' || *b == b'/' || b.is_ascii_whitespace())
    };
    let mut depth = 1;
    let mut i = from;
    while i < bytes.len() {
        let next = markdown[i..].find('<')? + i;
        if markdown[next..].starts_with("<!--") {
            i = markdown[next..]
                .find("-->")
                .map_or(bytes.len(), |e| next + e + 3);
            continue;
        }
        if tag_at(next, true) {
            let end = markdown[next..]
                .find('>')
                .map_or(bytes.len(), |e| next + e + 1);
            depth -= 1;
            if depth == 0 {
                return Some((next, end));
            }
            i = end;
        } else if tag_at(next, false) {
            let self_closing = open_tag(&markdown[next..]).is_some_and(|t| t.self_closing);
            if !self_closing {
                depth += 1;
            }
            i = next + 1 + name.len();
        } else {
            i = next + 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepare_plain(md: &str) -> Prepared {
        prepare(md, |inner, _| format!("[md:{inner}]"))
    }

    #[test]
    fn block_elements_become_placeholders_and_keep_line_count() {
        let md = "<div class=\"n\">\n\nraw **text**\n\n</div>\n<br/>\nafter\n";
        let p = prepare_plain(md);
        assert_eq!(p.markdown.matches('\n').count(), md.matches('\n').count());
        assert!(p
            .markdown
            .starts_with("<pre data-postdesk-html=\"0\"></pre>\n"));
        assert!(p.markdown.contains("\u{F8FF}<br/>\nafter"));
        assert_eq!(p.blocks[0], "<div class=\"n\">\n\nraw **text**\n\n</div>\n");
    }

    #[test]
    fn nested_same_name_elements_and_markdown_attribute() {
        let md = "<div markdown=\"1\" class=\"x\">\n<div>inner</div>\n**b**\n</div>\n";
        let p = prepare_plain(md);
        assert_eq!(p.blocks.len(), 1);
        assert_eq!(
            p.blocks[0],
            "<div class=\"x\">\n[md:<div>inner</div>\n**b**\n]</div>\n"
        );
    }

    #[test]
    fn tables_need_a_pipe_outside_code_and_boundaries() {
        let render = |inner: &str, _| format!("[{inner}]");
        let (html, lines) = table(
            &["| a | b \\| c |\n", "|---|---|\n", "| `x|y` | 2 |\n"],
            &render,
        )
        .unwrap();
        assert_eq!(lines, 3);
        assert!(html.contains("<th>[b \\| c]</th>"), "{html}");
        assert!(html.contains("<td>[`x|y`]</td>"), "{html}");
        assert!(table(&["`a | b`\n"], &render).is_none());
        assert!(table(&["| a |\n", "|---|\n", "| b |\n", "text\n"], &render).is_none());
        let (html, _) = table(&["| a |\n", "| b |\n", "{: .t}\n"], &render).unwrap();
        assert!(html.starts_with("<table class=\"t\">\n  <tbody>"), "{html}");
    }

    #[test]
    fn code_fences_and_void_elements() {
        let md = "```\n<div>\n```\n<hr/>\ntext\n";
        let p = prepare_plain(md);
        assert!(p
            .markdown
            .starts_with("```\n<div>\n```\n<pre data-postdesk-html=\"0\">"));
        assert_eq!(p.blocks[0], "<hr/>\n");
        assert_eq!(
            p.finish("<pre data-postdesk-html=\"0\"></pre>".into()),
            "<hr/>\n"
        );
    }
}
