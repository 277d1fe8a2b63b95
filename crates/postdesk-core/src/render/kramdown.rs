//! Markdown to HTML as kramdown (GFM input, Jekyll's defaults) writes it, on top of comrak.
//!
//! comrak parses; this module then applies kramdown's rules where they differ from CommonMark:
//! inline attribute lists (`{: .notice--info}`, `[link](url){: .btn}`), smart quotes and
//! typographic symbols, header ids from the converted text, code as Jekyll's rouge emits it,
//! footnotes and table alignment as kramdown writes them.
//! Not for: Liquid (runs before) or sanitizing (runs after, for the preview only).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::rc::Rc;
use std::sync::Arc;

use comrak::html::{self, ChildRendering, Context};
use comrak::nodes::{AstNode, NodeValue, TableAlignment};
use comrak::{Arena, Options};

use super::images::ImageResolver;
use super::prepass;

/// With `images` (the preview), markdown images point at local files and blocks carry their
/// source lines.
pub(super) fn markdown_to_html(markdown: &str, images: Option<Arc<ImageResolver>>) -> String {
    render_prepared(&prepare(markdown, images.clone()), &options(images))
}

/// The HTML of markdown the prepass made ready, rendered whole.
pub(super) fn render_prepared(prepared: &prepass::Prepared, options: &Options) -> String {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, &prepared.markdown, options);
    render_parsed(prepared, root, &prepared.markdown, options, |_, _| {
        HashMap::new()
    })
}

/// The HTML of `root`, parsed from `source` (the markdown `prepared` made, or a piece of it),
/// its automatic header ids numbered on from `ids` (how often each was given before `source`,
/// asked with the tree and its attribute lists).
pub(super) fn render_parsed<'a>(
    prepared: &prepass::Prepared,
    root: &'a AstNode<'a>,
    source: &str,
    options: &Options,
    ids: impl FnOnce(&'a AstNode<'a>, &HashMap<usize, Attributes>) -> HashMap<String, usize>,
) -> String {
    let attributes = attribute_lists(root);
    let ids = ids(root, &attributes);
    let html = format(
        root,
        attributes,
        source,
        options,
        &prepared.abbreviations,
        ids,
    );
    prepared.finish(html)
}

/// comrak's options for kramdown's syntax; with `images`, for the preview.
pub(super) fn options(images: Option<Arc<ImageResolver>>) -> Options<'static> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.footnotes = true;
    options.extension.description_lists = true;
    options.extension.math_dollars = true;
    options.extension.tasklist = true;
    options.parse.escaped_char_spans = true;
    options.render.r#unsafe = true;
    options.render.sourcepos = images.is_some();
    if let Some(images) = images {
        options.extension.image_url_rewriter = Some(Arc::new(move |url: &str| {
            images.local_src(url).unwrap_or_else(|| url.to_owned())
        }));
    }
    options
}

/// The prepass over `markdown` (see [`prepass`]), rendering `markdown="1"` content with
/// [`markdown_to_html`].
pub(super) fn prepare(markdown: &str, images: Option<Arc<ImageResolver>>) -> prepass::Prepared {
    prepass::prepare(markdown, |inner, span| {
        // Untrusted posts may nest `markdown="1"` blocks without end: past a sane depth the
        // content is shown as text instead of overflowing the stack.
        if NESTING.get() >= MAX_NESTING {
            let mut escaped = String::new();
            let _ = html::escape(&mut escaped, inner);
            return escaped;
        }
        NESTING.set(NESTING.get() + 1);
        let html = markdown_to_html(inner, images.clone());
        NESTING.set(NESTING.get() - 1);
        if span {
            let html = html.trim_end();
            let html = html.strip_prefix("<p>").unwrap_or(html);
            html.strip_suffix("</p>").unwrap_or(html).to_owned()
        } else {
            html
        }
    })
}

/// The attributes kramdown's attribute lists give the nodes of `root` (the lists themselves are
/// taken out of the tree).
fn attribute_lists<'a>(root: &'a AstNode<'a>) -> HashMap<usize, Attributes> {
    let mut attributes = HashMap::new();
    apply_attribute_lists(root, &mut attributes);
    attributes
}

/// The automatic ids of the headers of `root` before numbering (`a` for what becomes `a-1`), in
/// order; headers with an id of their own are not counted.
pub(super) fn heading_bases<'a>(
    root: &'a AstNode<'a>,
    attributes: &HashMap<usize, Attributes>,
) -> Vec<String> {
    root.descendants()
        .filter(|node| matches!(node.data().value, NodeValue::Heading(_)))
        .filter(|node| {
            attributes
                .get(&key(node))
                .is_none_or(|attrs| attrs.iter().all(|(k, _)| k != "id"))
        })
        .map(|node| heading_id(&heading_text(node)))
        .collect()
}

/// HTML of `root` (parsed from `source`), the automatic header ids numbered on from `ids` (how
/// often each was given before this part of the document).
fn format<'a>(
    root: &'a AstNode<'a>,
    attributes: HashMap<usize, Attributes>,
    source: &str,
    options: &Options,
    abbreviations: &[(String, String)],
    ids: HashMap<String, usize>,
) -> String {
    let pending = Rc::new(RefCell::new(None));
    let state = State {
        source: Rc::from(source),
        line_starts: std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1))
            .collect(),
        abbreviations: abbreviations.to_vec(),
        attributes,
        ids,
        pending: pending.clone(),
    };
    let mut html = String::with_capacity(source.len() * 3 / 2);
    let mut writer = AttributeWriter {
        out: &mut html,
        pending,
        tag: None,
    };
    // Writing into a String cannot fail.
    let _ = html::format_document_with_formatter(
        root,
        options,
        &mut writer,
        &comrak::options::Plugins::default(),
        format_node,
        state,
    );
    html
}

pub(super) type Attributes = Vec<(String, String)>;

const MAX_NESTING: usize = 16;

thread_local! {
    static NESTING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

struct State {
    /// The markdown comrak parsed, to read link destinations as written.
    source: Rc<str>,
    /// Byte offset of each line of `source`.
    line_starts: Vec<usize>,
    /// Abbreviations to mark up in text, longest first.
    abbreviations: Vec<(String, String)>,
    /// Attributes from attribute lists, by node address.
    attributes: HashMap<usize, Attributes>,
    /// How often each automatic header id was given, for `-1`, `-2` suffixes.
    ids: HashMap<String, usize>,
    /// Attributes to add to the next opening tag written (see [`AttributeWriter`]).
    pending: Rc<RefCell<Option<Attributes>>>,
}

fn key<'a>(node: &'a AstNode<'a>) -> usize {
    node as *const AstNode<'_> as usize
}

fn format_node<'a>(
    context: &mut Context<State>,
    node: &'a AstNode<'a>,
    entering: bool,
) -> Result<ChildRendering, fmt::Error> {
    let mut attributes = if entering {
        context.user.attributes.remove(&key(node))
    } else {
        None
    };
    let data = node.data();
    match data.value {
        NodeValue::Text(ref text) => {
            if entering {
                let converted = convert_text(node, text);
                if context.user.abbreviations.is_empty() {
                    context.escape(&converted)?;
                } else {
                    let abbreviations = context.user.abbreviations.clone();
                    write_with_abbreviations(context, &converted, &abbreviations)?;
                }
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::Escaped => {
            // Escaped characters are literal: no smart quotes, no typographic symbols.
            if entering {
                let mut literal = String::new();
                collect_text(node, &mut literal);
                context.escape(&literal)?;
            }
            Ok(ChildRendering::Skip)
        }
        NodeValue::Code(ref code) => {
            if entering {
                set_pending(context, attributes.take());
                context.write_str("<code class=\"language-plaintext highlighter-rouge\">")?;
                context.escape(&code.literal)?;
                context.write_str("</code>")?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::CodeBlock(ref block) if entering => {
            let language = block
                .info
                .split_whitespace()
                .next()
                .map(|l| l.split('?').next().unwrap_or(l))
                .filter(|l| !l.is_empty())
                .unwrap_or("plaintext");
            context.cr()?;
            set_pending(context, attributes.take());
            context.write_str("<div class=\"language-")?;
            context.escape(language)?;
            context.write_str(" highlighter-rouge\"")?;
            html::render_sourcepos(context, node)?;
            context.write_str("><div class=\"highlight\"><pre class=\"highlight\"><code>")?;
            context.escape(&block.literal)?;
            context.write_str("</code></pre></div></div>")?;
            context.lf()?;
            Ok(ChildRendering::HTML)
        }
        NodeValue::Heading(ref heading) => {
            if entering {
                let mut attrs = attributes.take().unwrap_or_default();
                let id = match attrs.iter().position(|(k, _)| k == "id") {
                    Some(i) => attrs.remove(i).1,
                    None => next_heading_id(&mut context.user.ids, &heading_text(node)),
                };
                context.cr()?;
                write!(context, "<h{} id=\"", heading.level)?;
                context.escape(&id)?;
                context.write_str("\"")?;
                write_attributes(context, &attrs)?;
                html::render_sourcepos(context, node)?;
                context.write_str(">")?;
            } else {
                write!(context, "</h{}>", heading.level)?;
                context.lf()?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::TableCell => {
            let (header, alignment) = cell_position(node);
            let tag = if header { "th" } else { "td" };
            if entering {
                context.cr()?;
                write!(context, "<{tag}")?;
                match alignment {
                    TableAlignment::Left => context.write_str(" style=\"text-align: left\"")?,
                    TableAlignment::Center => context.write_str(" style=\"text-align: center\"")?,
                    TableAlignment::Right => context.write_str(" style=\"text-align: right\"")?,
                    TableAlignment::None => {}
                }
                html::render_sourcepos(context, node)?;
                context.write_str(">")?;
            } else {
                write!(context, "</{tag}>")?;
                context.lf()?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::FootnoteReference(ref reference) => {
            if entering {
                let id = if reference.ref_num <= 1 {
                    reference.name.clone()
                } else {
                    format!("{}:{}", reference.name, reference.ref_num - 1)
                };
                context.write_str("<sup id=\"fnref:")?;
                context.escape(&id)?;
                context.write_str("\" role=\"doc-noteref\"><a href=\"#fn:")?;
                context.escape_href(&reference.name)?;
                write!(
                    context,
                    "\" class=\"footnote\" rel=\"footnote\">{}</a></sup>",
                    reference.ix
                )?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::FootnoteDefinition(ref definition) => {
            let first = !node
                .previous_sibling()
                .is_some_and(|p| matches!(p.data().value, NodeValue::FootnoteDefinition(_)));
            let last = !node
                .next_sibling()
                .is_some_and(|n| matches!(n.data().value, NodeValue::FootnoteDefinition(_)));
            if entering {
                if first {
                    context.cr()?;
                    context.write_str("<div class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n")?;
                }
                context.write_str("<li id=\"fn:")?;
                context.escape(&definition.name)?;
                context.write_str("\" role=\"doc-endnote\">")?;
                context.lf()?;
            } else {
                context.write_str("</li>\n")?;
                if last {
                    context.write_str("</ol>\n</div>\n")?;
                }
            }
            Ok(ChildRendering::HTML)
        }
        // `$$ … $$` on lines of its own is a display math block, not a paragraph.
        NodeValue::Paragraph if only_display_math(node) => Ok(ChildRendering::HTML),
        NodeValue::Paragraph if in_list_item(node) => {
            // kramdown decides item by item whether its first paragraph is wrapped in <p>.
            let wrapped = node.previous_sibling().is_some() || !transparent_first_paragraph(node);
            if wrapped {
                if entering {
                    context.cr()?;
                    set_pending(context, attributes.take());
                    context.write_str("<p")?;
                    html::render_sourcepos(context, node)?;
                    context.write_str(">")?;
                } else {
                    context.write_str("</p>")?;
                    context.lf()?;
                }
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::Paragraph if !entering => {
            // The last paragraph of a footnote ends with kramdown's links back to each reference.
            let definition = node.parent().and_then(|p| match p.data().value {
                NodeValue::FootnoteDefinition(ref d) if node.next_sibling().is_none() => {
                    Some(d.clone())
                }
                _ => None,
            });
            match definition {
                Some(d) => {
                    for n in 0..d.total_references {
                        context.write_str(" <a href=\"#fnref:")?;
                        context.escape_href(&d.name)?;
                        if n > 0 {
                            write!(context, ":{n}")?;
                        }
                        context.write_str(
                            "\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;",
                        )?;
                        if n > 0 {
                            write!(context, "<sup>{}</sup>", n + 1)?;
                        }
                        context.write_str("</a>")?;
                    }
                    context.write_str("</p>")?;
                    context.lf()?;
                    Ok(ChildRendering::HTML)
                }
                None => html::format_node_default(context, node, entering),
            }
        }
        // URLs as kramdown writes them: only HTML-escaped (comrak would percent-encode the
        // backslashes and non-ASCII letters writers use in image paths).
        NodeValue::Image(ref link) => {
            if entering {
                set_pending(context, attributes.take());
                let written = written_destination(&context.user, node, &link.url);
                let url = match &context.options.extension.image_url_rewriter {
                    Some(rewriter) => rewriter.to_html(&written),
                    None => written.into_owned(),
                };
                context.write_str("<img")?;
                html::render_sourcepos(context, node)?;
                context.write_str(" src=\"")?;
                html::escape(context, &url)?;
                context.write_str("\" alt=\"")?;
                Ok(ChildRendering::Plain)
            } else {
                if !link.title.is_empty() {
                    context.write_str("\" title=\"")?;
                    html::escape(context, &link.title)?;
                }
                context.write_str("\" />")?;
                Ok(ChildRendering::HTML)
            }
        }
        NodeValue::Link(ref link) => {
            if entering {
                set_pending(context, attributes.take());
                context.write_str("<a")?;
                html::render_sourcepos(context, node)?;
                context.write_str(" href=\"")?;
                let written = written_destination(&context.user, node, &link.url);
                html::escape(context, &written)?;
                if !link.title.is_empty() {
                    context.write_str("\" title=\"")?;
                    html::escape(context, &link.title)?;
                }
                context.write_str("\">")?;
            } else {
                context.write_str("</a>")?;
            }
            Ok(ChildRendering::HTML)
        }
        // Task lists as kramdown-parser-gfm writes them.
        NodeValue::TaskItem(ref task) => {
            if entering {
                context.cr()?;
                set_pending(context, attributes.take());
                context.write_str("<li class=\"task-list-item\"")?;
                html::render_sourcepos(context, node)?;
                context.write_str("><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled=\"disabled\"")?;
                if task.symbol.is_some() {
                    context.write_str(" checked=\"checked\"")?;
                }
                context.write_str(" />")?;
            } else {
                context.write_str("</li>")?;
                context.lf()?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::List(_)
            if entering
                && node
                    .children()
                    .any(|c| matches!(c.data().value, NodeValue::TaskItem(_))) =>
        {
            let mut attrs = attributes.take().unwrap_or_default();
            merge_into(&mut attrs, vec![("class".into(), "task-list".into())]);
            set_pending(context, Some(attrs));
            html::format_node_default(context, node, entering)
        }
        NodeValue::Math(ref math) => {
            if entering {
                // `$$…$$` inside running text is inline math for kramdown.
                let block = node.parent().is_some_and(only_display_math);
                let (open, close) = if math.display_math && block {
                    ("\\[", "\\]")
                } else {
                    ("\\(", "\\)")
                };
                context.write_str(open)?;
                context.escape(math.literal.trim())?;
                context.write_str(close)?;
            }
            Ok(ChildRendering::HTML)
        }
        _ => {
            set_pending(context, attributes.take());
            html::format_node_default(context, node, entering)
        }
    }
}

/// A link's destination as written: kramdown does not process backslash escapes there
/// (`images\_posts\a.png` keeps its backslashes), CommonMark does. Falls back to `url`.
fn written_destination<'a, 'u>(state: &State, node: &'a AstNode<'a>, url: &'u str) -> Cow<'u, str> {
    let source = &*state.source;
    if !source.contains('\\') || !url.contains(|c: char| c.is_ascii_punctuation()) {
        return Cow::Borrowed(url);
    }
    let pos = node.data().sourcepos;
    let offset = |line: usize, column: usize| {
        let start = state.line_starts.get(line.saturating_sub(1)).copied();
        start.unwrap_or(source.len()) + column.saturating_sub(1)
    };
    let (start, end) = (
        offset(pos.start.line, pos.start.column),
        offset(pos.end.line, pos.end.column),
    );
    let Some(written) = source
        .get(start..=end)
        .and_then(|s| s.strip_suffix(')'))
        .and_then(|s| s.rfind("](").map(|i| &s[i + 2..]))
        .map(|d| d.split_whitespace().next().unwrap_or(""))
    else {
        return Cow::Borrowed(url);
    };
    // Only when the difference is the escapes: anything else (entities, <…>) stays comrak's.
    let unescaped: String = {
        let mut out = String::new();
        let mut chars = written.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('\\', Some(n)) if n.is_ascii_punctuation() => {}
                _ => out.push(c),
            }
        }
        out
    };
    if written.contains('\\') && unescaped == url {
        Cow::Owned(written.to_owned())
    } else {
        Cow::Borrowed(url)
    }
}

fn only_display_math<'a>(node: &'a AstNode<'a>) -> bool {
    node.first_child().is_some_and(|c| {
        c.next_sibling().is_none()
            && matches!(c.data().value, NodeValue::Math(ref m) if m.display_math)
    })
}

fn in_list_item<'a>(node: &'a AstNode<'a>) -> bool {
    node.parent()
        .is_some_and(|p| matches!(p.data().value, NodeValue::Item(_) | NodeValue::TaskItem(_)))
}

/// Whether a blank line follows `node` before `next` (from their source lines).
fn blank_between<'a>(node: &'a AstNode<'a>, next: &'a AstNode<'a>) -> bool {
    next.data().sourcepos.start.line > node.data().sourcepos.end.line + 1
}

/// Whether a blank line follows `first` inside `item`: before its next block, or before lines
/// of the item that made no block (link definitions).
fn blank_after_in_item<'a>(first: &'a AstNode<'a>, item: &'a AstNode<'a>) -> bool {
    match first.next_sibling() {
        Some(next) => blank_between(first, next),
        None => item.data().sourcepos.end.line > first.data().sourcepos.end.line + 1,
    }
}

/// kramdown's rule (parser/kramdown/list.rb): an item's first paragraph goes without <p> when
/// no blank line follows it, neither inside the item nor before the next item; the last item
/// of a list of several only when an earlier item went without.
fn transparent_first_paragraph<'a>(paragraph: &'a AstNode<'a>) -> bool {
    let Some(item) = paragraph.parent() else {
        return false;
    };
    let plain = |item: &'a AstNode<'a>| -> bool {
        let Some(first) = item.first_child() else {
            return true;
        };
        if !matches!(first.data().value, NodeValue::Paragraph) {
            return true;
        }
        let blank_inside = blank_after_in_item(first, item);
        let blank_after = item.next_sibling().is_some_and(|n| blank_between(item, n));
        !(blank_inside || blank_after)
    };
    if item.next_sibling().is_some() || item.previous_sibling().is_none() {
        return plain(item);
    }
    !blank_after_in_item(paragraph, item) && item.preceding_siblings().skip(1).any(plain)
}

/// Writes text with each defined abbreviation wrapped in `<abbr title="…">`, where it stands as
/// a word of its own.
fn write_with_abbreviations(
    context: &mut Context<State>,
    text: &str,
    abbreviations: &[(String, String)],
) -> fmt::Result {
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for (i, _) in rest.char_indices() {
            let before = rest[..i].chars().last();
            if before.is_some_and(is_word) {
                continue;
            }
            for (name, title) in abbreviations {
                if rest[i..].starts_with(name.as_str())
                    && !rest[i + name.len()..].chars().next().is_some_and(is_word)
                {
                    context.escape(&rest[..i])?;
                    context.write_str("<abbr title=\"")?;
                    html::escape(context, title)?;
                    context.write_str("\">")?;
                    context.escape(name)?;
                    context.write_str("</abbr>")?;
                    rest = &rest[i + name.len()..];
                    continue 'scan;
                }
            }
        }
        break;
    }
    context.escape(rest)
}

fn set_pending(context: &mut Context<State>, attributes: Option<Attributes>) {
    if let Some(a) = attributes.filter(|a| !a.is_empty()) {
        *context.user.pending.borrow_mut() = Some(a);
    }
}

pub(super) fn write_attributes(
    out: &mut dyn fmt::Write,
    attributes: &[(String, String)],
) -> fmt::Result {
    for (k, v) in attributes {
        write!(out, " {k}=\"")?;
        html::escape(out, v)?;
        out.write_char('"')?;
    }
    Ok(())
}

/// Adds pending attributes to the first tag written after they were set: comrak's own
/// rendering of a paragraph, list, link or image then carries the attribute list's attributes.
struct AttributeWriter<'o> {
    out: &'o mut String,
    pending: Rc<RefCell<Option<Attributes>>>,
    tag: Option<String>,
}

impl fmt::Write for AttributeWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.tag.is_none() && self.pending.borrow().is_none() {
            self.out.push_str(s);
            return Ok(());
        }
        for c in s.chars() {
            match self.tag.as_mut() {
                Some(tag) => {
                    tag.push(c);
                    if c == '>' {
                        let tag = self.tag.take().unwrap_or_default();
                        let attributes = self.pending.borrow_mut().take().unwrap_or_default();
                        add_attributes(self.out, &tag, &attributes)?;
                    }
                }
                None if c == '<' && self.pending.borrow().is_some() => {
                    self.tag = Some(String::from("<"));
                }
                None => self.out.push(c),
            }
        }
        Ok(())
    }
}

/// Writes `tag` (`<p>`, `<img … />`, `<code class="…">`) with `attributes` added; classes are
/// merged into an existing `class`.
fn add_attributes(out: &mut String, tag: &str, attributes: &Attributes) -> fmt::Result {
    let (body, end) = match tag.strip_suffix(" />") {
        Some(b) => (b, " />"),
        None => match tag.strip_suffix("/>") {
            Some(b) => (b, " />"),
            None => (tag.strip_suffix('>').unwrap_or(tag), ">"),
        },
    };
    let mut body = body.to_owned();
    let mut extra = String::new();
    for (k, v) in attributes {
        let existing = format!(" {k}=\"");
        match body.find(&existing) {
            Some(at) if k == "class" => {
                let value_start = at + existing.len();
                let value_end = body[value_start..]
                    .find('"')
                    .map_or(body.len(), |i| value_start + i);
                let mut classes = String::new();
                html::escape(&mut classes, v)?;
                body.insert_str(value_end, &format!(" {classes}"));
            }
            Some(_) => {}
            None => write_attributes(&mut extra, &[(k.clone(), v.clone())])?,
        }
    }
    out.push_str(&body);
    out.push_str(&extra);
    out.push_str(end);
    Ok(())
}

/// A header's text as kramdown-parser-gfm computes its id from: converted text, code as is.
fn heading_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    for child in node.children() {
        match child.data().value {
            NodeValue::Text(ref t) => text.push_str(&convert_text(child, t)),
            NodeValue::Code(ref c) => text.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            _ => text.push_str(&heading_text(child)),
        }
    }
    text
}

fn next_heading_id(seen: &mut HashMap<String, usize>, text: &str) -> String {
    let base = heading_id(text);
    let count = seen.entry(base.clone()).or_insert(0);
    *count += 1;
    match *count {
        1 => base,
        n => format!("{base}-{}", n - 1),
    }
}

/// kramdown-parser-gfm's `generate_gfm_header_id`: downcase, keep word characters, `-`, spaces
/// and tabs, then spaces and tabs become `-`.
pub fn heading_id(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' | '\t' => Some('-'),
            '-' | '_' => Some(c),
            // Hangul syllables first: they are alphabetic, and a table lookup each is slow.
            '\u{AC00}'..='\u{D7A3}' => Some(c),
            c if c.is_alphanumeric() || is_mark(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn is_mark(c: char) -> bool {
    // Combining marks (Ruby's \p{Word} includes \p{M}): the common blocks suffice for ids.
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF | 0x3099..=0x309A)
}

fn collect_text<'a>(node: &'a AstNode<'a>, out: &mut String) {
    for child in node.children() {
        match child.data().value {
            NodeValue::Text(ref t) => out.push_str(t),
            _ => collect_text(child, out),
        }
    }
}

fn cell_position<'a>(cell: &'a AstNode<'a>) -> (bool, TableAlignment) {
    let index = cell.preceding_siblings().count() - 1;
    let row = cell.parent();
    let header = row.is_some_and(|r| matches!(r.data().value, NodeValue::TableRow(true)));
    let alignment = row
        .and_then(|r| r.parent())
        .and_then(|t| match t.data().value {
            NodeValue::Table(ref table) => table.alignments.get(index).copied(),
            _ => None,
        })
        .unwrap_or(TableAlignment::None);
    (header, alignment)
}

// ---- smart quotes and typographic symbols ---------------------------------------------------

/// A text node's text with kramdown's typography; the neighbours are only looked at when the
/// text has something to convert (most text nodes have not).
fn convert_text<'a, 't>(node: &'a AstNode<'a>, text: &'t str) -> Cow<'t, str> {
    let bytes = text.as_bytes();
    let within = memchr::memchr2(b'\'', b'"', bytes).is_some()
        || memchr::memchr3_iter(b'-', b'.', b'<', bytes)
            .chain(memchr::memchr_iter(b'>', bytes))
            .any(|i| bytes.get(i + 1) == Some(&bytes[i]));
    // A symbol may also start at the last byte and run on into what follows the node (` >>`
    // across a link, `..` + `.`); or a quote near the end may look at it.
    let runs_on = matches!(bytes.last(), Some(b'-' | b'.' | b'<' | b'>' | b' '))
        || text.chars().rev().take(3).any(|c| c == '\'' || c == '"');
    if !within && !runs_on {
        // Most text: single periods and hyphens only.
        return Cow::Borrowed(text);
    }
    let after = if runs_on {
        text_after(node)
    } else {
        String::new()
    };
    if !within {
        let last = bytes[bytes.len() - 1];
        let next = if last == b' ' { b'>' } else { last };
        if after.as_bytes().first() != Some(&next) {
            return Cow::Borrowed(text);
        }
    }
    typography(text, text_before(node), &after)
}

/// The source character just before a text node, as kramdown's span parser would see it:
/// `None` when the previous span element consumed it (or the text starts its block).
fn text_before<'a>(node: &'a AstNode<'a>) -> Option<char> {
    let previous = node.previous_sibling()?;
    let value = &previous.data().value;
    match value {
        NodeValue::Text(t) => t.chars().last(),
        NodeValue::SoftBreak => Some('\n'),
        _ => None,
    }
}

/// The source text that follows a text node up to the end of its line, approximated from the
/// following siblings (emphasis markers, code backticks, link brackets).
fn text_after<'a>(node: &'a AstNode<'a>) -> String {
    let mut after = String::new();
    let mut next = node.next_sibling();
    while let Some(n) = next {
        match n.data().value {
            NodeValue::Text(ref t) => after.push_str(t),
            NodeValue::SoftBreak | NodeValue::LineBreak => {
                after.push('\n');
                break;
            }
            NodeValue::Emph => after.push('*'),
            NodeValue::Strong => after.push_str("**"),
            NodeValue::Code(_) => after.push('`'),
            NodeValue::Link(_) => after.push('['),
            NodeValue::Image(_) => after.push_str("!["),
            NodeValue::HtmlInline(ref h) => after.push_str(h),
            _ => after.push('\u{1}'),
        }
        if after.chars().count() > 3 {
            break;
        }
        if !matches!(n.data().value, NodeValue::Text(_)) {
            let mut inner = String::new();
            collect_text(n, &mut inner);
            after.push_str(&inner);
            break;
        }
        next = n.next_sibling();
    }
    after
}

fn is_sq_punct(c: char) -> bool {
    c.is_ascii_punctuation()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

/// kramdown's typographic symbols and smart quotes (kramdown/parser/kramdown/smart_quotes.rb
/// and typographic_symbol.rb), applied to one text node. `before` is the unconsumed source
/// character before the text, `after` the source that follows it.
fn typography<'t>(text: &'t str, before: Option<char>, after: &str) -> Cow<'t, str> {
    // The symbols are ASCII, so the text is walked by bytes; other characters are copied in
    // runs. `ahead(i, p)` looks past the end of the text into what follows it.
    let bytes = text.as_bytes();
    let ahead = |i: usize, pattern: &str| {
        let own = &text[i..];
        if own.len() >= pattern.len() {
            own.starts_with(pattern)
        } else {
            pattern.starts_with(own) && after.starts_with(&pattern[own.len()..])
        }
    };
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Every symbol but a quote starts with two of its bytes, or one at the end of the text.
        let pair = |second: u8| bytes.get(i + 1).is_none_or(|&b| b == second);
        let (replacement, len): (Cow<'_, str>, usize) = match bytes[i] {
            b'-' | b'.' | b'<' | b'>' if !pair(bytes[i]) => {
                i += 1;
                continue;
            }
            b' ' if !pair(b'>') => {
                i += 1;
                continue;
            }
            b'-' if ahead(i, "---") => ("—".into(), 3),
            b'-' if ahead(i, "--") => ("–".into(), 2),
            b'.' if ahead(i, "...") => ("…".into(), 3),
            b'<' if ahead(i, "<< ") => ("«\u{a0}".into(), 3),
            b' ' if ahead(i, " >>") => ("\u{a0}»".into(), 3),
            b'<' if ahead(i, "<<") => ("«".into(), 2),
            b'>' if ahead(i, ">>") => ("»".into(), 2),
            q @ (b'"' | b'\'') => {
                let prev = if i == 0 {
                    before
                } else {
                    text[..i].chars().last()
                };
                let mut next = text[i + 1..].chars().chain(after.chars());
                let (quotes, len) =
                    smart_quote(prev, q as char, [next.next(), next.next(), next.next()]);
                (quotes.into(), len)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[copied..i]);
        out.push_str(&replacement);
        // A match may run past the end of this text node (into `after`): stop there.
        i = (i + len).min(bytes.len());
        copied = i;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Decides a quote (and a quote right after it) as kramdown's SQ_RULES do. `prev` is the source
/// character before the quote that the rules may look at (`None` when consumed), `next` the three
/// after it; returns the replacement and how many characters it covers from the quote on.
fn smart_quote(prev: Option<char>, q: char, next: [Option<char>; 3]) -> (String, usize) {
    let double = q == '"';
    let left = if double { '“' } else { '‘' };
    let right = if double { '”' } else { '’' };
    let [n1, n2, n3] = next;
    let ws = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let word = |c: Option<char>| c.is_some_and(is_word);
    // Rules 1 and 2 only apply when the quote itself starts the scan (its previous character
    // was consumed by another span element).
    if prev.is_none() {
        // 1: ("|')(?=[_*]{1,2}\S)
        let emphasis = |c: Option<char>| matches!(c, Some('_' | '*'));
        if emphasis(n1)
            && (n2.is_some_and(|c| !c.is_whitespace() && c != '_' && c != '*')
                || (emphasis(n2) && n3.is_some_and(|c| !c.is_whitespace())))
        {
            return (left.to_string(), 1);
        }
        // 2: ("|')(?=PUNCT(?!\.\.)\B)
        if n1.is_some_and(is_sq_punct)
            && !(n2 == Some('.') && n3 == Some('.'))
            && word(n1) == word(n2)
        {
            return (right.to_string(), 1);
        }
    }
    // 3, 4: "' or '" before a word
    if (prev.is_none() || ws(prev)) && n1 == Some(if double { '\'' } else { '"' }) && word(n2) {
        let inner = if double { '‘' } else { '“' };
        return (format!("{left}{inner}"), 2);
    }
    // 5: '(?=\d\ds)
    if !double
        && (prev.is_none() || ws(prev))
        && n1.is_some_and(|c| c.is_ascii_digit())
        && n2.is_some_and(|c| c.is_ascii_digit())
        && n3 == Some('s')
    {
        return ('’'.to_string(), 1);
    }
    // 6: (\s)('|")(?=\w)
    if ws(prev) && word(n1) {
        return (left.to_string(), 1);
    }
    // 7: (SQ_CLOSE)('|") — any character but whitespace, backslash, [ { ( -
    if prev.is_some_and(|c| !c.is_whitespace() && !matches!(c, '\\' | '[' | '{' | '(' | '-')) {
        return (right.to_string(), 1);
    }
    // 8: ("|')(?=\s|s\b|$)
    if prev.is_none() && (n1.is_none_or(char::is_whitespace) || (n1 == Some('s') && !word(n2))) {
        return (right.to_string(), 1);
    }
    // 9, 10: anything else opens.
    (left.to_string(), 1)
}

// ---- inline attribute lists -------------------------------------------------------------------

/// Parses `{: .a .b #id key="v"}` (also `{:.a}`, `{#id}`), or `None` when `text` is not one.
pub(super) fn parse_attribute_list(text: &str) -> Option<Attributes> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    let inner = match inner.strip_prefix(':') {
        Some(rest) => rest,
        None if inner.starts_with('#') => inner,
        None => return None,
    };
    let mut attributes: Attributes = Vec::new();
    let mut classes: Vec<String> = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(char::is_whitespace).unwrap_or(r.len());
            classes.push(r[..end].to_owned());
            rest = r[end..].trim_start();
        } else if let Some(r) = rest.strip_prefix('#') {
            let end = r.find(char::is_whitespace).unwrap_or(r.len());
            attributes.retain(|(k, _)| k != "id");
            attributes.push(("id".into(), r[..end].to_owned()));
            rest = r[end..].trim_start();
        } else {
            let eq = rest.find('=')?;
            let name = rest[..eq].trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || "-_:".contains(c))
            {
                return None;
            }
            let value_part = &rest[eq + 1..];
            let (value, after) = match value_part.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = value_part[1..].find(q)? + 1;
                    (&value_part[1..close], &value_part[close + 1..])
                }
                _ => {
                    let end = value_part
                        .find(char::is_whitespace)
                        .unwrap_or(value_part.len());
                    (&value_part[..end], &value_part[end..])
                }
            };
            attributes.push((name.to_owned(), value.to_owned()));
            rest = after.trim_start();
        }
    }
    if !classes.is_empty() {
        attributes.insert(0, ("class".into(), classes.join(" ")));
    }
    Some(attributes)
}

fn merge_into(target: &mut Attributes, add: Attributes) {
    for (k, v) in add {
        match target.iter_mut().find(|(tk, _)| *tk == k) {
            Some((_, tv)) if k == "class" => {
                tv.push(' ');
                tv.push_str(&v);
            }
            Some((_, tv)) => *tv = v,
            None => target.push((k, v)),
        }
    }
}

/// The text of a text node that may hold an attribute list (only those are copied).
fn text_of<'a>(node: &'a AstNode<'a>) -> Option<String> {
    match node.data().value {
        NodeValue::Text(ref t) if t.contains('{') => Some(t.to_string()),
        _ => None,
    }
}

/// Finds kramdown attribute lists in the tree, removes them from the text and records their
/// attributes against the element they apply to.
fn apply_attribute_lists<'a>(root: &'a AstNode<'a>, attributes: &mut HashMap<usize, Attributes>) {
    let nodes: Vec<&'a AstNode<'a>> = root.descendants().collect();
    for node in nodes {
        if node.parent().is_none() {
            continue;
        }
        let is_block = matches!(
            node.data().value,
            NodeValue::Paragraph | NodeValue::Heading(_)
        );
        if is_block {
            block_attribute_list(node, attributes);
        }
        if let Some(text) = text_of(node) {
            span_attribute_list(node, &text, attributes);
        }
    }
}

/// `{: …}` as the last line of a paragraph (or a paragraph of its own), and `{#id}` at the end
/// of a header.
fn block_attribute_list<'a>(node: &'a AstNode<'a>, attributes: &mut HashMap<usize, Attributes>) {
    // An attribute list on the line before a paragraph's text applies to the paragraph.
    if let Some(first) = node.first_child() {
        let list = text_of(first).and_then(|t| parse_attribute_list(&t));
        let line_follows = first
            .next_sibling()
            .filter(|n| matches!(n.data().value, NodeValue::SoftBreak));
        if let (Some(list), Some(softbreak)) = (list, line_follows) {
            first.detach();
            softbreak.detach();
            merge_into(attributes.entry(key(node)).or_default(), list);
        }
    }
    let Some(last) = node.last_child() else {
        return;
    };
    let Some(text) = text_of(last) else {
        return;
    };
    if matches!(node.data().value, NodeValue::Heading(_)) {
        if let Some(start) = text.rfind("{#") {
            if let Some(list) = parse_attribute_list(&text[start..]) {
                let kept = text[..start].trim_end().to_owned();
                last.data_mut().value = NodeValue::Text(Cow::Owned(kept));
                merge_into(attributes.entry(key(node)).or_default(), list);
            }
        }
        return;
    }
    let Some(list) = parse_attribute_list(&text) else {
        return;
    };
    let starts_line = last
        .previous_sibling()
        .is_none_or(|p| matches!(p.data().value, NodeValue::SoftBreak));
    if !starts_line {
        return;
    }
    let alone = last.previous_sibling().is_none();
    let target = if alone {
        // A paragraph that is only an attribute list: it belongs to the block right above it
        // when nothing separates them, else to the block below.
        let line = node.data().sourcepos.start.line;
        let previous = node.previous_sibling();
        let adjacent =
            previous.filter(|p| p.data().sourcepos.end.line + 1 == line && is_attributable(p));
        let next = node.next_sibling();
        let target = adjacent.or(next);
        node.detach();
        match target {
            Some(t) => t,
            None => return,
        }
    } else {
        // The attribute list line ended this paragraph; a line that continued a list item or a
        // quote lazily names the list or quote itself, as kramdown reads it.
        if let Some(sb) = last.previous_sibling() {
            sb.detach();
        }
        last.detach();
        lazy_container(node, last.data().sourcepos.start.column).unwrap_or(node)
    };
    merge_into(attributes.entry(key(target)).or_default(), list);
}

fn is_attributable<'a>(node: &'a AstNode<'a>) -> bool {
    !matches!(
        node.data().value,
        NodeValue::HtmlBlock(_) | NodeValue::FootnoteDefinition(_)
    )
}

/// The outermost list or block quote that a lazy line at `column` escaped from, if any.
fn lazy_container<'a>(paragraph: &'a AstNode<'a>, column: usize) -> Option<&'a AstNode<'a>> {
    let mut found = None;
    let mut current = paragraph.parent();
    while let Some(n) = current {
        let value = n.data().value.clone();
        let escaped = column <= n.data().sourcepos.start.column;
        match value {
            NodeValue::Item(_) if escaped => found = n.parent(),
            NodeValue::BlockQuote if escaped => found = Some(n),
            NodeValue::Document => break,
            _ => {}
        }
        current = n.parent();
    }
    found
}

/// `{: …}` right after a link, image, emphasis or code span applies to it.
fn span_attribute_list<'a>(
    node: &'a AstNode<'a>,
    text: &str,
    attributes: &mut HashMap<usize, Attributes>,
) {
    if !text.starts_with("{:") {
        return;
    }
    let Some(previous) = node.previous_sibling() else {
        return;
    };
    let spans = matches!(
        previous.data().value,
        NodeValue::Link(_)
            | NodeValue::Image(_)
            | NodeValue::Emph
            | NodeValue::Strong
            | NodeValue::Code(_)
            | NodeValue::Strikethrough
    );
    let Some(end) = text.find('}') else {
        return;
    };
    if !spans {
        return;
    }
    let Some(list) = parse_attribute_list(&text[..=end]) else {
        return;
    };
    let rest = text[end + 1..].to_owned();
    if rest.is_empty() {
        node.detach();
    } else {
        node.data_mut().value = NodeValue::Text(Cow::Owned(rest));
    }
    merge_into(attributes.entry(key(previous)).or_default(), list);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        markdown_to_html(md, None)
    }

    #[test]
    fn headings_get_kramdown_ids_from_converted_text() {
        assert_eq!(heading_id("머리말"), "머리말");
        assert_eq!(
            heading_id("중국판 Chat GPT, MOSS의 성능은? 💬"),
            "중국판-chat-gpt-moss의-성능은-"
        );
        // The shortcut for Hangul syllables keeps exactly what the general rule keeps.
        assert!(('\u{AC00}'..='\u{D7A3}').all(char::is_alphanumeric));
        assert_eq!(
            html("## Hello -- world --- again\n"),
            "<h2 id=\"hello--world--again\">Hello – world — again</h2>\n"
        );
        assert_eq!(
            html("# A\n\n# A\n\n## Custom {#mine}\n"),
            "<h1 id=\"a\">A</h1>\n<h1 id=\"a-1\">A</h1>\n<h2 id=\"mine\">Custom</h2>\n"
        );
    }

    #[test]
    fn smart_quotes_follow_kramdown() {
        assert_eq!(
            html("He said \"hello\" and 'goodbye'. It's the '80s, isn't it?\n"),
            "<p>He said “hello” and ‘goodbye’. It’s the ’80s, isn’t it?</p>\n"
        );
        assert_eq!(
            html("\"**bold quote**\" and \"*em*\".\n"),
            "<p>“<strong>bold quote</strong>” and “<em>em</em>”.</p>\n"
        );
        assert_eq!(
            html("Dashes -- en and --- em... << a >>\n"),
            "<p>Dashes – en and — em… «\u{a0}a\u{a0}»</p>\n"
        );
        assert_eq!(
            html("`\"kept\" -- ...`\n"),
            "<p><code class=\"language-plaintext highlighter-rouge\">&quot;kept&quot; -- ...</code></p>\n"
        );
    }

    #[test]
    fn block_attribute_lists() {
        assert_eq!(
            html("A notice.\n{: .notice--info}\n"),
            "<p class=\"notice--info\">A notice.</p>\n"
        );
        assert_eq!(
            html("{: .notice--warning}\nNext paragraph.\n"),
            "<p class=\"notice--warning\">Next paragraph.</p>\n"
        );
        assert_eq!(
            html("- one\n- two\n{: .list}\n"),
            "<ul class=\"list\">\n<li>one</li>\n<li>two</li>\n</ul>\n"
        );
        assert_eq!(
            html("Two.\n{: .a .b #c data-x=\"y\"}\n"),
            "<p class=\"a b\" id=\"c\" data-x=\"y\">Two.</p>\n"
        );
    }

    #[test]
    fn span_attribute_lists() {
        assert_eq!(
            html("[Paper](https://x.example/a.pdf){: .btn .btn--primary}\n"),
            "<p><a href=\"https://x.example/a.pdf\" class=\"btn btn--primary\">Paper</a></p>\n"
        );
        assert_eq!(
            html("`code`{: .y} after\n"),
            "<p><code class=\"language-plaintext highlighter-rouge y\">code</code> after</p>\n"
        );
    }

    #[test]
    fn hostile_nesting_does_not_overflow() {
        let deep = "<div markdown=\"1\">\n".repeat(5000);
        assert!(!html(&deep).is_empty());
        let quotes = format!("{}x\n", ">".repeat(5000));
        assert!(html(&quotes).contains('x'));
        let lists = (0..2000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect::<String>();
        assert!(html(&lists).contains('x'));
    }

    #[test]
    fn link_destinations_keep_their_backslashes_as_in_kramdown() {
        assert_eq!(
            html("A [source code](https://x.example/docs/\\_posts/a.md) link.\n"),
            "<p>A <a href=\"https://x.example/docs/\\_posts/a.md\">source code</a> link.</p>\n"
        );
        assert_eq!(
            html("한글 ![moss](images\\_x\\moss.png)\n"),
            "<p>한글 <img src=\"images\\_x\\moss.png\" alt=\"moss\" /></p>\n"
        );
    }

    #[test]
    fn code_blocks_as_rouge_wraps_them() {
        assert_eq!(
            html("```yaml\na: 1\n```\n"),
            "<div class=\"language-yaml highlighter-rouge\"><div class=\"highlight\"><pre class=\"highlight\"><code>a: 1\n</code></pre></div></div>\n"
        );
        assert!(html("    indented\n").contains("language-plaintext highlighter-rouge"));
    }
}
