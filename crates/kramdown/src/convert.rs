//! kramdown's HTML converter (kramdown/converter/html.rb, with converter/base.rb, utils/html.rb,
//! converter/math_engine/mathjax.rb and converter/syntax_highlighter/rouge.rb) — kramdown is
//! © Thomas Leitner, MIT. Each `convert_*` method follows its Ruby namesake, indentation
//! included (`@indent` is 2, `inner` converts children two spaces deeper).
//!
//! Differences from the Ruby, all deliberate:
//! - rouge (Jekyll's `syntax_highlighter: rouge`) is not run: its wrapper is written around the
//!   code escaped as rouge escapes it (`& < >`), without token `<span>`s. Whether rouge knows a
//!   language is decided from rouge 3.30's table of lexer names (`ROUGE_LEXERS`); `guess` is
//!   taken to find a lexer, and `guess_lang` is taken as Jekyll's `true`.
//! - `transliterated_header_ids` (Unidecoder) is not supported: ids are made from the text as is.
//! - The placeholders for `{:toc}` and `{:footnotes}` lists are fixed strings with NUL bytes
//!   instead of random ones.
//! - `remove_block_html_tags` belongs to kramdown's RemoveHtmlTags converter, which Jekyll does
//!   not run: it changes nothing here.
//!
//! Postdesk's hooks (`Hooks`) add to this: a new `src` for images, and `data-sourcepos` on the
//! top-level blocks.
//!
//! Not for: parsing (the element tree comes from `crate::parse`).

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::block;
use crate::tree::{Align, Category, ContentModel, Element, Entity, Type, Value};
use crate::{Document, Options};

/// The `image_src` hook: the new `src` of an image, if any.
pub type ImageSrc<'h> = &'h dyn Fn(&str) -> Option<String>;

/// What Postdesk's preview changes in the HTML.
#[derive(Default)]
pub struct Hooks<'h> {
    /// A new `src` for an image (the preview's local files): markdown images and `<img>`
    /// elements the HTML parser made (not tags inside raw HTML such as a `<div>` without
    /// `markdown="1"`, which stays text).
    pub image_src: Option<ImageSrc<'h>>,
    /// Top-level blocks say their first source line (`data-sourcepos="L:1-L:1"`).
    pub sourcepos: bool,
}

/// Where the `{:footnotes}` list is, until the footnotes are written (Ruby: a random string).
const FOOTNOTES_MARK: &str = "\0kramdown-footnotes\0";
/// Where the `{:toc}` list is, until the table of contents is written.
const TOC_MARK: &str = "\0kramdown-toc\0";

/// kramdown's `Html.convert(root)` with the document's options: the HTML of a parsed document.
pub fn to_html(doc: &Document, hooks: &Hooks<'_>) -> String {
    let mut converter = Converter::new(doc, hooks);
    let mut out = String::with_capacity(64 * doc.root.children.len() + 256);
    converter.convert_root(&doc.root, &mut out);
    out
}

/// The elements being converted, innermost first (kramdown's `@stack`).
#[derive(Clone, Copy)]
struct Parent<'p> {
    el: &'p Element,
    up: Option<&'p Parent<'p>>,
}

/// `entity_output`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EntityOutput {
    AsChar,
    AsInput,
    Numeric,
    Symbolic,
}

/// What `escape_html` escapes (`:all`, `:text`, `:attribute`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// `< > &`.
    All,
    /// `< > &`, except an `&` that starts a character reference.
    Text,
    /// As `Text`, and `"`.
    Attribute,
}

/// A footnote as it is first referred to: `[name, data, number, repeat]` in the Ruby.
struct FootnoteUse {
    /// The name with `footnote_prefix`.
    name: String,
    /// The key of `Document::footnotes`.
    key: String,
    number: u32,
    /// How many more times it was referred to.
    repeat: u32,
}

/// kramdown's converter instance: its state while converting.
struct Converter<'d, 'h> {
    doc: &'d Document,
    options: &'d Options,
    image_src: Option<ImageSrc<'h>>,
    sourcepos: bool,
    /// The line the next opening tag says (`Hooks::sourcepos`), taken by the first one written.
    pending_sourcepos: Option<u32>,
    entity_output: EntityOutput,
    /// The four smart quote entities (`smart_quotes`).
    quotes: [Option<Entity>; 4],
    /// `entity_to_str(ENTITY_NBSP)`.
    nbsp: String,
    /// `entity_to_str` of the entities of each of `TYPOGRAPHIC_SYMS`.
    typographic_syms: Vec<String>,
    /// `syntax_highlighter: rouge` (any other highlighter is not available, as in kramdown).
    rouge: bool,
    /// `math_engine: mathjax` (any other engine is not available).
    mathjax: bool,
    footnote_counter: u32,
    footnotes: Vec<FootnoteUse>,
    footnotes_by_name: HashMap<String, usize>,
    /// A `{:footnotes}` list was replaced by `FOOTNOTES_MARK`.
    footnote_location: bool,
    /// Some list asks for a table of contents: only then are headers kept for it.
    toc_wanted: bool,
    /// `@toc`: level, id and (a copy of) the children of each header.
    toc: Vec<(u8, String, Vec<Element>)>,
    /// `@toc_code`: the type and attributes of the `{:toc}` list.
    toc_code: Option<(Type, Vec<(String, String)>)>,
    /// `@used_ids` of `generate_id`.
    used_ids: HashMap<String, u32>,
}

impl<'d, 'h> Converter<'d, 'h> {
    fn new(doc: &'d Document, hooks: &Hooks<'h>) -> Converter<'d, 'h> {
        let options = &doc.options;
        let entity_output = match options.entity_output.as_str() {
            "as_input" => EntityOutput::AsInput,
            "numeric" => EntityOutput::Numeric,
            "symbolic" => EntityOutput::Symbolic,
            _ => EntityOutput::AsChar,
        };
        // Options#smart_quotes: numbers are code points, others entity names.
        let quotes = std::array::from_fn(|i| {
            let q = options.smart_quotes[i].trim();
            match q.parse::<u32>() {
                Ok(cp) => Some(Entity::from_code_point(cp)),
                Err(_) => Entity::from_name(q),
            }
        });
        let toc_wanted =
            wants_toc(&doc.root) || doc.footnotes.values().any(|f| wants_toc(&f.content));
        let mut converter = Converter {
            doc,
            options,
            image_src: hooks.image_src,
            sourcepos: hooks.sourcepos,
            pending_sourcepos: None,
            entity_output,
            quotes,
            nbsp: String::new(),
            typographic_syms: Vec::new(),
            rouge: options.syntax_highlighter.as_deref() == Some("rouge"),
            mathjax: options.math_engine.as_deref() == Some("mathjax"),
            footnote_counter: options.footnote_nr,
            footnotes: Vec::new(),
            footnotes_by_name: HashMap::new(),
            footnote_location: false,
            toc_wanted,
            toc: Vec::new(),
            toc_code: None,
            used_ids: HashMap::new(),
        };
        let mut nbsp = String::new();
        if let Some(e) = Entity::from_name("nbsp") {
            converter.entity_to_str(&mut nbsp, &e, None);
        }
        converter.nbsp = nbsp;
        converter.typographic_syms = TYPOGRAPHIC_SYMS
            .iter()
            .map(|(_, names)| {
                let mut text = String::new();
                for e in names.iter().filter_map(|n| Entity::from_name(n)) {
                    converter.entity_to_str(&mut text, &e, None);
                }
                text
            })
            .collect();
        converter
    }

    /// `convert(el, indent)`: dispatches on the type. `index` is the element's place among its
    /// parent's children (for `convert_td`'s alignment).
    fn convert(
        &mut self,
        el: &Element,
        indent: i32,
        parent: Option<&Parent<'_>>,
        index: usize,
        out: &mut String,
    ) {
        match el.kind {
            Type::Root => self.convert_root(el, out),
            Type::Blank => out.push('\n'),
            Type::Text | Type::RawText => self.convert_text(el, out),
            Type::P => self.convert_p(el, indent, parent, out),
            Type::Codeblock => self.convert_codeblock(el, indent, out),
            Type::Blockquote => self.indented_block("blockquote", el, indent, parent, out),
            Type::Header => self.convert_header(el, indent, parent, out),
            Type::Hr => {
                pad(out, indent);
                out.push_str("<hr");
                self.write_attrs(out, pairs(&el.attr));
                out.push_str(" />\n");
            }
            Type::Ul | Type::Ol => self.convert_ul(el, indent, parent, out),
            Type::Dl => self.indented_block("dl", el, indent, parent, out),
            Type::Li => self.convert_li("li", el, indent, parent, out),
            Type::Dd => self.convert_li("dd", el, indent, parent, out),
            Type::Dt => self.convert_dt(el, indent, parent, out),
            Type::HtmlElement => self.convert_html_element(el, indent, parent, out),
            Type::XmlComment | Type::XmlPi => {
                if el.options.category == Some(Category::Block) && !in_raw_html(parent) {
                    pad(out, indent);
                    out.push_str(el.value_str());
                    out.push('\n');
                } else {
                    out.push_str(el.value_str());
                }
            }
            Type::Table => self.indented_block("table", el, indent, parent, out),
            Type::Thead => self.indented_block("thead", el, indent, parent, out),
            Type::Tbody => self.indented_block("tbody", el, indent, parent, out),
            Type::Tfoot => self.indented_block("tfoot", el, indent, parent, out),
            Type::Tr => self.indented_block("tr", el, indent, parent, out),
            Type::Td => self.convert_td(el, indent, parent, index, out),
            Type::Comment => {
                if el.options.category == Some(Category::Block) {
                    pad(out, indent);
                    out.push_str("<!-- ");
                    out.push_str(el.value_str());
                    out.push_str(" -->\n");
                } else {
                    out.push_str("<!-- ");
                    out.push_str(el.value_str());
                    out.push_str(" -->");
                }
            }
            Type::Br => out.push_str("<br />"),
            Type::A => self.span("a", el, indent, parent, out),
            Type::Img => {
                out.push_str("<img");
                self.write_img_attrs(out, &el.attr);
                out.push_str(" />");
            }
            Type::Codespan => self.convert_codespan(el, out),
            Type::Footnote => self.convert_footnote(el, out),
            Type::Raw => {
                let types = &el.options.rare().types;
                if types.is_empty() || types.iter().any(|t| t == "html") {
                    out.push_str(el.value_str());
                    if el.options.category == Some(Category::Block) {
                        out.push('\n');
                    }
                }
            }
            Type::Em => self.span("em", el, indent, parent, out),
            Type::Strong => self.span("strong", el, indent, parent, out),
            Type::Entity => {
                if let Value::Entity(e) = &el.value {
                    self.entity_to_str(out, e, el.options.rare().original.as_deref());
                }
            }
            Type::TypographicSym => self.convert_typographic_sym(el, out),
            Type::SmartQuote => {
                let i = match el.value_str() {
                    "lsquo" => 0,
                    "rsquo" => 1,
                    "ldquo" => 2,
                    _ => 3,
                };
                if let Some(e) = self.quotes[i] {
                    self.entity_to_str(out, &e, None);
                }
            }
            Type::Math => self.convert_math(el, indent, out),
            Type::Abbreviation => self.convert_abbreviation(el, out),
            // Not in a parsed tree (kramdown has no converter for them): their content, if any.
            Type::FootnoteDef | Type::Temp => self.inner(el, indent, parent, out),
            Type::Eob => {}
        }
    }

    /// `inner(el, indent)`: the children, two spaces deeper, with `el` on the stack.
    fn inner(&mut self, el: &Element, indent: i32, parent: Option<&Parent<'_>>, out: &mut String) {
        let here = Parent { el, up: parent };
        for (i, child) in el.children.iter().enumerate() {
            self.convert(child, indent + 2, Some(&here), i, out);
        }
    }

    fn convert_root(&mut self, root: &Element, out: &mut String) {
        // inner(el, -2): the children at indent 0.
        let here = Parent { el: root, up: None };
        for (i, child) in root.children.iter().enumerate() {
            if self.sourcepos && says_sourcepos(child) {
                self.pending_sourcepos = Some(child.options.location);
            }
            self.convert(child, 0, Some(&here), i, out);
            self.pending_sourcepos = None;
        }
        let footnotes = self.footnote_content();
        if self.footnote_location {
            replace_first(out, FOOTNOTES_MARK, &footnotes);
        } else {
            out.push_str(&footnotes);
        }
        if let Some((kind, attr)) = self.toc_code.take() {
            let tree = self.generate_toc_tree(kind, attr);
            let mut text = String::new();
            if !tree.children.is_empty() {
                self.convert(&tree, 0, None, 0, &mut text);
            }
            replace_first(out, TOC_MARK, &text);
        }
    }

    fn convert_text(&mut self, el: &Element, out: &mut String) {
        if self.options.remove_line_breaks_for_cjk {
            let mut escaped = String::new();
            escape_html(&mut escaped, el.value_str(), Escape::Text);
            fix_cjk_line_break(out, &escaped);
        } else {
            escape_html(out, el.value_str(), Escape::Text);
        }
    }

    fn convert_p(
        &mut self,
        el: &Element,
        indent: i32,
        parent: Option<&Parent<'_>>,
        out: &mut String,
    ) {
        if el.options.transparent {
            self.inner(el, indent, parent, out);
        } else if el.children.len() == 1
            && el.children[0].kind == Type::Img
            && has_ref(&el.children[0], "standalone")
        {
            self.convert_standalone_image(el, indent, out);
        } else {
            self.block_open("p", &el.attr, indent, out);
            self.inner(el, indent, parent, out);
            out.push_str("</p>\n");
        }
    }

    /// `convert_standalone_image`: a paragraph of one `{:standalone}` image is a figure.
    fn convert_standalone_image(&mut self, el: &Element, indent: i32, out: &mut String) {
        let mut figure_attr = el.attr.clone();
        let mut image_attr = el.children[0].attr.clone();
        for key in ["class", "id"] {
            if figure_attr.iter().all(|(k, _)| k != key) {
                if let Some(i) = image_attr.iter().position(|(k, _)| k == key) {
                    let (k, v) = image_attr.remove(i);
                    figure_attr.push((k, v));
                }
            }
        }
        pad(out, indent);
        out.push_str("<figure");
        self.write_attrs(out, pairs(&figure_attr));
        out.push_str(">\n");
        pad(out, indent + 2);
        out.push_str("<img");
        self.write_img_attrs(out, &image_attr);
        out.push_str(" />\n");
        pad(out, indent + 2);
        out.push_str("<figcaption>");
        if let Some((_, alt)) = image_attr.iter().find(|(k, _)| k == "alt") {
            out.push_str(alt);
        }
        out.push_str("</figcaption>\n");
        pad(out, indent);
        out.push_str("</figure>\n");
    }

    fn convert_codeblock(&mut self, el: &Element, indent: i32, out: &mut String) {
        let mut attr = el.attr.clone();
        let lang = extract_code_language_bang(&mut attr);
        let hl_lang = el.options.rare().lang.as_deref().or(lang.as_deref());
        if self.highlights(hl_lang) {
            let default_lang = self.options.default_lang.as_deref();
            add_syntax_highlighter_to_class_attr(&mut attr, lang.as_deref().or(default_lang));
            pad(out, indent);
            out.push_str("<div");
            self.write_attrs(out, pairs(&attr));
            // Rouge's HTMLLegacy formatter, `css_class: highlight`, tokens not coloured.
            out.push_str("><div class=\"highlight\"><pre class=\"highlight\"><code>");
            escape_html(out, el.value_str(), Escape::All);
            out.push_str("</code></pre></div>");
            pad(out, indent);
            out.push_str("</div>\n");
        } else {
            let mut result = String::new();
            escape_html(&mut result, el.value_str(), Escape::All);
            chomp(&mut result);
            if el
                .attr("class")
                .is_some_and(|c| contains_word(c, "show-whitespaces"))
            {
                result = show_whitespaces(&result);
            }
            pad(out, indent);
            out.push_str("<pre");
            self.write_attrs(out, pairs(&attr));
            out.push_str("><code");
            if let Some(lang) = &lang {
                let class = format!("language-{lang}");
                self.write_attrs(out, [("class", class.as_str())]);
            }
            out.push('>');
            out.push_str(&result);
            out.push_str("\n</code></pre>\n");
        }
    }

    fn convert_header(
        &mut self,
        el: &Element,
        indent: i32,
        parent: Option<&Parent<'_>>,
        out: &mut String,
    ) {
        let mut new_id = None;
        if self.options.auto_ids && el.attr("id").is_none() {
            new_id = Some(self.generate_id(el.options.rare().raw_text.as_deref().unwrap_or("")));
        }
        let id = el.attr("id").or(new_id.as_deref());
        if self.toc_wanted {
            if let Some(id) = id {
                if self.in_toc(el) {
                    let entry = (el.options.level, id.to_owned(), el.children.clone());
                    self.toc.push(entry);
                }
            }
        }
        let level = (i32::from(el.options.level) + self.options.header_offset).clamp(1, 6);
        pad(out, indent);
        let _ = write!(out, "<h{level}");
        let extra = new_id.as_deref().map(|id| ("id", id));
        self.write_attrs(out, pairs(&el.attr).chain(extra));
        out.push('>');
        self.inner(el, indent, parent, out);
        let _ = writeln!(out, "</h{level}>");
    }

    /// `in_toc?`.
    fn in_toc(&self, el: &Element) -> bool {
        self.options.toc_levels.contains(&el.options.level)
            && !contains_word(el.attr("class").unwrap_or(""), "no_toc")
    }

    fn convert_ul(
        &mut self,
        el: &Element,
        indent: i32,
        parent: Option<&Parent<'_>>,
        out: &mut String,
    ) {
        if self.toc_code.is_none() && has_ref(el, "toc") {
            self.toc_code = Some((el.kind, el.attr.clone()));
            out.push_str(TOC_MARK);
        } else if !self.footnote_location && has_ref(el, "footnotes") {
            self.footnote_location = true;
            out.push_str(FOOTNOTES_MARK);
        } else {
            let tag = if el.kind == Type::Ol { "ol" } else { "ul" };
            self.indented_block(tag, el, indent, parent, out);
        }
    }

    /// `convert_li` (and `convert_dd`).
    fn convert_li(
        &mut self,
        tag: &str,
        el: &Element,
        indent: i32,
        parent: Option<&Parent<'_>>,
        out: &mut String,
    ) {
        pad(out, indent);
        out.push('<');
        out.push_str(tag);
        self.write_attrs(out, pairs(&el.attr));
        out.push('>');
        let first_transparent = el
            .children
            .first()
            .is_none_or(|c| c.kind == Type::P && c.options.transparent);
        if first_transparent {
            self.inner(el, indent, parent, out);
            // res =~ /\n\Z/ (the item's own tag ends in `>`, so only its content counts)
            if out.ends_with('\n') {
                pad(out, indent);
            }
        } else {
            out.push('\n');
            self.inner(el, indent, parent, out);
            pad(out, indent);
        }
        out.push_str("</");
        out.push_str(tag);
        out.push_str(">\n");
    }

    fn convert_dt(
        &mut self,
        el: &Element,
        indent: i32,
        parent: Option<&Parent<'_>>,
        out: &mut String,
    ) {
        let mut new_id = None;
        if el.attr("id").is_none() {
            let refs = parent
                .and_then(|p| p.el.options.ial.as_ref())
                .map(|ial| &ial.refs);
            for r in refs.into_iter().flatten() {
                // /\Aauto_ids(?:-([\w-]+))?/
                if let Some(rest) = r.strip_prefix("auto_ids") {
                    let prefix = rest
                        .strip_prefix('-')
                        .map(|p| {
                            let n = p
                                .bytes()
                                .take_while(|b| {
                                    b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'
                                })
                                .count();
                            &p[..n]
                        })
                        .unwrap_or("");
                    let id = format!(
                        "{prefix}{}",
                        basic_generate_id(el.options.rare().raw_text.as_deref().unwrap_or(""))
                    );
                    new_id = Some(block::ruby_lstrip(&id).to_owned());
                    break;
                }
            }
        }
        pad(out, indent);
        out.push_str("<dt");
        let extra = new_id.as_deref().map(|id| ("id", id));
        self.write_attrs(out, pairs(&el.attr).chain(extra));
        out.push('>');
        self.inner(el, indent, parent, out);
        out.push_str("</dt>\n");
    }

    fn convert_html_element(
        &mut self,
        el: &Element,
        indent: i32,
        parent: Option<&Parent<'_>>,
        out: &mut String,
    ) {
        let tag = el.value_str();
        let void = HTML_ELEMENTS_WITHOUT_BODY.contains(&tag);
        if el.options.category == Some(Category::Span) {
            out.push('<');
            out.push_str(tag);
            self.write_html_attrs(tag, out, &el.attr);
            let gt = out.len();
            out.push('>');
            self.inner(el, indent, parent, out);
            if out.len() == gt + 1 && void {
                out.truncate(gt);
                out.push_str(" />");
            } else {
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
            return;
        }
        let outside_raw = !in_raw_html(parent);
        if outside_raw {
            pad(out, indent);
        }
        out.push('<');
        out.push_str(tag);
        self.write_html_attrs(tag, out, &el.attr);
        let gt = out.len();
        out.push('>');
        let res_start = out.len();
        self.inner(el, indent, parent, out);
        let res_empty = out.len() == res_start;
        let model = el.options.content_model;
        if el.options.is_closed && model == Some(ContentModel::Raw) {
            out.truncate(gt);
            out.push_str(" />");
        } else if !res_empty && model != Some(ContentModel::Block) {
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        } else if !res_empty {
            chomp_from(out, res_start);
            out.insert(res_start, '\n');
            out.push('\n');
            pad(out, indent);
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        } else if void {
            out.truncate(gt);
            out.push_str(" />");
        } else {
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
        if outside_raw {
            out.push('\n');
        }
    }

    fn convert_td(
        &mut self,
        el: &Element,
        indent: i32,
        parent: Option<&Parent<'_>>,
        index: usize,
        out: &mut String,
    ) {
        let section = parent.and_then(|p| p.up);
        let tag = if section.is_some_and(|s| s.el.kind == Type::Thead) {
            "th"
        } else {
            "td"
        };
        let alignment = section
            .and_then(|s| s.up)
            .and_then(|t| t.el.options.rare().alignment.get(index).copied());
        let align = match alignment {
            Some(Align::Default) => None,
            Some(Align::Left) => Some("left"),
            Some(Align::Center) => Some("center"),
            Some(Align::Right) => Some("right"),
            // Ruby: `nil != :default`, and "text-align: #{nil}".
            None => Some(""),
        };
        pad(out, indent);
        out.push('<');
        out.push_str(tag);
        match align {
            None => self.write_attrs(out, pairs(&el.attr)),
            Some(align) => {
                // attr['style'] = (old style + '; ') + "text-align: …", in place or last.
                let style = match el.attr("style") {
                    Some(s) => format!("{s}; text-align: {align}"),
                    None => format!("text-align: {align}"),
                };
                let had_style = el.attr("style").is_some();
                let attrs = pairs(&el.attr)
                    .map(|(k, v)| (k, if k == "style" { style.as_str() } else { v }))
                    .chain((!had_style).then_some(("style", style.as_str())));
                self.write_attrs(out, attrs);
            }
        }
        out.push('>');
        let start = out.len();
        self.inner(el, indent, parent, out);
        if out.len() == start {
            out.push_str(&self.nbsp);
        }
        out.push_str("</");
        out.push_str(tag);
        out.push_str(">\n");
    }

    fn convert_codespan(&mut self, el: &Element, out: &mut String) {
        let lang = extract_code_language(&el.attr);
        out.push_str("<code");
        if self.highlights(lang) {
            let mut attr = el.attr.clone();
            let default_lang = self.options.default_lang.as_deref();
            add_syntax_highlighter_to_class_attr(&mut attr, lang.or(default_lang));
            self.write_attrs(out, pairs(&attr));
        } else {
            self.write_attrs(out, pairs(&el.attr));
        }
        out.push('>');
        // Rouge escapes as escape_html(:all) does; its tokens are not coloured.
        escape_html(out, el.value_str(), Escape::All);
        out.push_str("</code>");
    }

    /// Whether `highlight_code` returns something: kramdown's rouge highlighter with Jekyll's
    /// `guess_lang: true` finds a lexer (`Rouge::Lexer.find_fancy`).
    fn highlights(&self, lang: Option<&str>) -> bool {
        if !self.rouge {
            return false;
        }
        let Some(name) = lang.or(self.options.default_lang.as_deref()) else {
            // find_fancy(nil): rouge guesses, and always finds one.
            return true;
        };
        let name = name.split('?').next().unwrap_or("");
        name == "guess" || ROUGE_LEXERS.binary_search(&name).is_ok()
    }

    fn convert_footnote(&mut self, el: &Element, out: &mut String) {
        let key = el.options.rare().name.as_deref().unwrap_or("");
        let name = format!("{}{key}", self.options.footnote_prefix);
        let (number, repeat) = match self.footnotes_by_name.get(&name) {
            Some(&i) => {
                let f = &mut self.footnotes[i];
                f.repeat += 1;
                (f.number, format!(":{}", f.repeat))
            }
            None => {
                let number = self.footnote_counter;
                self.footnote_counter += 1;
                self.footnotes_by_name
                    .insert(name.clone(), self.footnotes.len());
                self.footnotes.push(FootnoteUse {
                    name: name.clone(),
                    key: key.to_owned(),
                    number,
                    repeat: 0,
                });
                (number, String::new())
            }
        };
        let _ = write!(
            out,
            "<sup id=\"fnref:{name}{repeat}\" role=\"doc-noteref\">\
             <a href=\"#fn:{name}\" class=\"footnote\" rel=\"footnote\">{number}</a></sup>"
        );
    }

    fn convert_typographic_sym(&mut self, el: &Element, out: &mut String) {
        let name = el.value_str();
        if let Some((_, text)) = self
            .options
            .typographic_symbols
            .iter()
            .find(|(k, _)| k == name)
        {
            escape_html(out, text, Escape::Text);
            return;
        }
        if let Some(i) = TYPOGRAPHIC_SYMS.iter().position(|(n, _)| *n == name) {
            out.push_str(&self.typographic_syms[i]);
        }
    }

    fn convert_math(&mut self, el: &Element, indent: i32, out: &mut String) {
        let block = el.options.category == Some(Category::Block);
        if self.mathjax {
            // math_engine/mathjax.rb; with the sourcepos hook a block is written as if it had
            // attributes (in a div), so that it has a tag to say its line.
            if block {
                if el.attr.is_empty() && self.pending_sourcepos.is_none() {
                    mathjax_block(out, el.value_str());
                } else {
                    pad(out, indent);
                    out.push_str("<div");
                    self.write_attrs(out, pairs(&el.attr));
                    out.push('>');
                    mathjax_block(out, el.value_str());
                    out.push_str("</div>\n");
                }
            } else if el.attr.is_empty() {
                out.push_str("\\(");
                escape_html(out, el.value_str(), Escape::All);
                out.push_str("\\)");
            } else {
                out.push_str("<span");
                self.write_attrs(out, pairs(&el.attr));
                out.push_str(">$");
                out.push_str(el.value_str());
                out.push_str("$</span>");
            }
            return;
        }
        let mut attr = el.attr.clone();
        let class = format!("{} kdmath", el.attr("class").unwrap_or(""));
        crate::tree::set_attr(&mut attr, "class", block::ruby_lstrip(&class).to_owned());
        if block {
            pad(out, indent);
            out.push_str("<div");
            self.write_attrs(out, pairs(&attr));
            out.push_str(">$$\n");
            out.push_str(el.value_str());
            out.push_str("\n$$</div>\n");
        } else {
            out.push_str("<span");
            self.write_attrs(out, pairs(&attr));
            out.push_str(">$");
            out.push_str(el.value_str());
            out.push_str("$</span>");
        }
    }

    fn convert_abbreviation(&mut self, el: &Element, out: &mut String) {
        let abbr = el.value_str();
        let title = self.doc.abbrev_defs.get(abbr).map_or("", String::as_str);
        let mut attr = self.doc.abbrev_attr.get(abbr).cloned().unwrap_or_default();
        if !title.is_empty() {
            crate::tree::set_attr(&mut attr, "title", title.to_owned());
        }
        out.push_str("<abbr");
        self.write_attrs(out, pairs(&attr));
        out.push('>');
        out.push_str(abbr);
        out.push_str("</abbr>");
    }

    /// `format_as_span_html(name, el.attr, inner(el, indent))`.
    fn span(
        &mut self,
        tag: &str,
        el: &Element,
        indent: i32,
        parent: Option<&Parent<'_>>,
        out: &mut String,
    ) {
        out.push('<');
        out.push_str(tag);
        self.write_attrs(out, pairs(&el.attr));
        out.push('>');
        self.inner(el, indent, parent, out);
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }

    /// The start of `format_as_block_html`: the indent and the opening tag.
    fn block_open(&mut self, tag: &str, attr: &[(String, String)], indent: i32, out: &mut String) {
        pad(out, indent);
        out.push('<');
        out.push_str(tag);
        self.write_attrs(out, pairs(attr));
        out.push('>');
    }

    /// `format_as_indented_block_html(tag, el.attr, inner(el, indent), indent)`.
    fn indented_block(
        &mut self,
        tag: &str,
        el: &Element,
        indent: i32,
        parent: Option<&Parent<'_>>,
        out: &mut String,
    ) {
        self.block_open(tag, &el.attr, indent, out);
        out.push('\n');
        self.inner(el, indent, parent, out);
        pad(out, indent);
        out.push_str("</");
        out.push_str(tag);
        out.push_str(">\n");
    }

    /// `html_attributes`, after the pending `data-sourcepos` of the hook.
    fn write_attrs<'x>(
        &mut self,
        out: &mut String,
        attrs: impl IntoIterator<Item = (&'x str, &'x str)>,
    ) {
        if let Some(line) = self.pending_sourcepos.take() {
            let _ = write!(out, " data-sourcepos=\"{line}:1-{line}:1\"");
        }
        for (k, v) in attrs {
            if k == "id" && block::ruby_strip(v).is_empty() {
                continue;
            }
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            escape_html(out, v, Escape::Attribute);
            out.push('"');
        }
    }

    /// An HTML element's attributes: an `<img>`'s `src` as the `image_src` hook says too.
    fn write_html_attrs(&mut self, tag: &str, out: &mut String, attr: &[(String, String)]) {
        if tag == "img" {
            self.write_img_attrs(out, attr);
        } else {
            self.write_attrs(out, pairs(attr));
        }
    }

    /// An image's attributes, its `src` as the `image_src` hook says.
    fn write_img_attrs(&mut self, out: &mut String, attr: &[(String, String)]) {
        let new_src = match self.image_src {
            Some(hook) => attr
                .iter()
                .find(|(k, _)| k == "src")
                .and_then(|(_, v)| hook(v)),
            None => None,
        };
        match new_src {
            None => self.write_attrs(out, pairs(attr)),
            Some(src) => self.write_attrs(
                out,
                attr.iter().map(|(k, v)| {
                    (
                        k.as_str(),
                        if k == "src" { src.as_str() } else { v.as_str() },
                    )
                }),
            ),
        }
    }

    /// `entity_to_str(e, original)` (utils/html.rb), per `entity_output`.
    fn entity_to_str(&self, out: &mut String, e: &Entity, original: Option<&str>) {
        let c = e.char();
        let special = matches!(c, Some('<' | '>' | '&' | '"'));
        if self.entity_output == EntityOutput::AsChar {
            if let Some(c) = c {
                if c == '"' || !special {
                    out.push(c);
                    return;
                }
            }
        }
        if matches!(
            self.entity_output,
            EntityOutput::AsInput | EntityOutput::AsChar
        ) {
            if let Some(original) = original {
                out.push_str(original);
                return;
            }
        }
        match e.name {
            Some(name) if self.entity_output == EntityOutput::Symbolic || special => {
                let _ = write!(out, "&{name};");
            }
            _ => {
                let _ = write!(out, "&#{};", e.code_point);
            }
        }
    }

    /// `generate_id` (converter/base.rb).
    fn generate_id(&mut self, text: &str) -> String {
        let mut id = basic_generate_id(text);
        if id.is_empty() {
            id.push_str("section");
        }
        match self.used_ids.get_mut(&id) {
            Some(n) => {
                *n += 1;
                let _ = write!(id, "-{n}");
            }
            None => {
                self.used_ids.insert(id.clone(), 0);
            }
        }
        format!("{}{id}", self.options.auto_id_prefix)
    }

    /// `footnote_content`: the footnotes referred to, in order, with their backlinks.
    fn footnote_content(&mut self) -> String {
        let mut items = String::new();
        let mut backlink_text = String::new();
        escape_html(
            &mut backlink_text,
            &self.options.footnote_backlink,
            Escape::Text,
        );
        let mut i = 0;
        while i < self.footnotes.len() {
            let FootnoteUse {
                ref name,
                ref key,
                repeat,
                ..
            } = self.footnotes[i];
            let name = name.clone();
            let mut li = Element::new(Type::Li);
            li.attr = vec![
                ("id".to_owned(), format!("fn:{name}")),
                ("role".to_owned(), "doc-endnote".to_owned()),
            ];
            li.children = self
                .doc
                .footnotes
                .get(key)
                .map(|f| f.content.children.clone())
                .unwrap_or_default();
            // The last paragraph (or header) when the content ends in one, or with
            // `footnote_backlink_inline`; else a new paragraph.
            let look = li.children.last().is_some_and(|c| c.kind == Type::P)
                || self.options.footnote_backlink_inline;
            let insert_space = look && last_para(&mut li).is_some();
            if !insert_space {
                li.children.push(Element::new(Type::P));
            }
            if !self.options.footnote_backlink.is_empty() {
                let nbsp = self.nbsp.as_str();
                let space = if insert_space { nbsp } else { "" };
                let mut raws = vec![format!(
                    "{space}<a href=\"#fnref:{name}\" class=\"reversefootnote\" \
                     role=\"doc-backlink\">{backlink_text}</a>"
                )];
                for index in 1..=repeat {
                    raws.push(format!(
                        "{nbsp}<a href=\"#fnref:{name}:{index}\" class=\"reversefootnote\" \
                         role=\"doc-backlink\">{backlink_text}<sup>{}</sup></a>",
                        index + 1
                    ));
                }
                if let Some(para) = last_para(&mut li) {
                    para.children
                        .extend(raws.into_iter().map(|r| Element::with_value(Type::Raw, r)));
                }
            }
            self.convert(&li, 4, None, 0, &mut items);
            i += 1;
        }
        if items.is_empty() {
            return String::new();
        }
        let mut out = String::with_capacity(items.len() + 80);
        out.push_str("<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol");
        if self.options.footnote_nr != 1 {
            let start = self.options.footnote_nr.to_string();
            self.write_attrs(&mut out, [("start", start.as_str())]);
        }
        out.push_str(">\n");
        out.push_str(&items);
        out.push_str("  </ol>\n</div>\n");
        out
    }

    /// `generate_toc_tree`: nested lists of links to the headers kept in `@toc`.
    fn generate_toc_tree(&mut self, kind: Type, attr: Vec<(String, String)>) -> Element {
        let mut sections = Element::new(kind);
        sections.attr = attr;
        if sections.attr("id").is_none() {
            sections.set_attr("id", "markdown-toc");
        }
        let sections_id = sections.attr("id").unwrap_or("").to_owned();
        let mut stack: Vec<Element> = Vec::new();
        for (level, id, children) in std::mem::take(&mut self.toc) {
            let mut li = Element::new(Type::Li);
            li.options.level = level;
            let mut p = Element::new(Type::P);
            p.options.transparent = true;
            let mut a = Element::new(Type::A);
            a.set_attr("href", format!("#{id}"));
            a.set_attr("id", format!("{sections_id}-{id}"));
            a.children = fix_for_toc_entry(children);
            p.children.push(a);
            li.children.push(p);
            li.children.push(Element::new(kind));
            loop {
                match stack.last_mut() {
                    None => {
                        stack.push(li);
                        break;
                    }
                    Some(top) if top.options.level < level => {
                        stack.push(li);
                        break;
                    }
                    Some(_) => pop_toc_item(&mut stack, &mut sections),
                }
            }
        }
        while !stack.is_empty() {
            pop_toc_item(&mut stack, &mut sections);
        }
        sections
    }
}

/// The `item = stack.pop` of `generate_toc_tree`: its empty sub-list dropped, and it put where
/// the Ruby put it when it was pushed (the list of the item above it, or the top list).
fn pop_toc_item(stack: &mut Vec<Element>, sections: &mut Element) {
    let Some(mut item) = stack.pop() else { return };
    if item.children.last().is_some_and(|l| l.children.is_empty()) {
        item.children.pop();
    }
    match stack.last_mut().and_then(|top| top.children.last_mut()) {
        Some(list) => list.children.push(item),
        None => sections.children.push(item),
    }
}

/// `fix_for_toc_entry`: footnotes removed, links unwrapped.
fn fix_for_toc_entry(elements: Vec<Element>) -> Vec<Element> {
    let mut out = Vec::with_capacity(elements.len());
    for mut c in elements {
        if c.kind == Type::Footnote {
            continue;
        }
        let children = std::mem::take(&mut c.children);
        c.children = fix_for_toc_entry(children);
        if c.kind == Type::A {
            out.append(&mut c.children);
        } else {
            out.push(c);
        }
    }
    out
}

/// The paragraph a footnote's backlink goes in: the last child when it is a `p` or header,
/// else the same in the last child (`while … parent = parent.children.last`).
fn last_para(parent: &mut Element) -> Option<&mut Element> {
    let last = parent.children.last_mut()?;
    if matches!(last.kind, Type::P | Type::Header) {
        Some(last)
    } else {
        last_para(last)
    }
}

/// Some `ul`/`ol` has the IAL reference `toc`. Only what can hold lists is searched (not
/// paragraphs, headers, table cells, spans): a tree walk touches every element it visits.
fn wants_toc(el: &Element) -> bool {
    match el.kind {
        Type::Ul | Type::Ol if has_ref(el, "toc") => true,
        Type::Root
        | Type::Blockquote
        | Type::Ul
        | Type::Ol
        | Type::Li
        | Type::Dl
        | Type::Dd
        | Type::FootnoteDef
        | Type::Temp => el.children.iter().any(wants_toc),
        Type::HtmlElement => {
            el.options.category != Some(Category::Span) && el.children.iter().any(wants_toc)
        }
        _ => false,
    }
}

/// The element's IAL refers to `name` (`el.options[:ial][:refs].include?(name)`).
fn has_ref(el: &Element, name: &str) -> bool {
    el.options
        .ial
        .as_ref()
        .is_some_and(|ial| ial.refs.iter().any(|r| r == name))
}

/// A top-level element the sourcepos hook marks: block-level elements with a tag of their own.
fn says_sourcepos(el: &Element) -> bool {
    match el.kind {
        Type::P => !el.options.transparent,
        Type::Header
        | Type::Ul
        | Type::Ol
        | Type::Dl
        | Type::Blockquote
        | Type::Codeblock
        | Type::Table
        | Type::Hr => true,
        Type::HtmlElement | Type::Math => el.options.category != Some(Category::Span),
        _ => false,
    }
}

/// The parent on the stack is an HTML element with raw content (`@stack.last.type ==
/// :html_element && @stack.last.options[:content_model] == :raw`).
fn in_raw_html(parent: Option<&Parent<'_>>) -> bool {
    parent.is_some_and(|p| {
        p.el.kind == Type::HtmlElement && p.el.options.content_model == Some(ContentModel::Raw)
    })
}

fn pairs(attr: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> + Clone {
    attr.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

/// `' ' * indent`.
fn pad(out: &mut String, indent: i32) {
    const SPACES: &str = "                                                                ";
    let mut n = usize::try_from(indent).unwrap_or(0);
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

fn mathjax_block(out: &mut String, value: &str) {
    out.push_str("\\[");
    escape_html(out, value, Escape::All);
    out.push_str("\\]\n");
}

/// `str.sub!(marker, text)`: the first occurrence replaced.
fn replace_first(out: &mut String, marker: &str, text: &str) {
    if let Some(i) = out.find(marker) {
        out.replace_range(i..i + marker.len(), text);
    }
}

/// Ruby's `chomp!`: one `\r\n`, `\n` or `\r` off the end.
fn chomp(s: &mut String) {
    chomp_from(s, 0);
}

/// `chomp!` of the part of `s` from `start`.
fn chomp_from(s: &mut String, start: usize) {
    if s.len() > start && s.ends_with("\r\n") && s.len() >= start + 2 {
        s.truncate(s.len() - 2);
    } else if s.len() > start && (s.ends_with('\n') || s.ends_with('\r')) {
        s.pop();
    }
}

crate::re!(CJK_CHAR = r"[\p{Han}\p{Hiragana}\p{Katakana}]");

/// `\b` at byte `i` of `s`, where the character at `i` is a word character.
fn word_start(s: &str, i: usize) -> bool {
    s[..i]
        .chars()
        .next_back()
        .is_none_or(|c| !block::is_word_char(c))
}

/// `s =~ /\bword\b/` for a word that starts and ends with word characters.
fn contains_word(s: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(off) = s[from..].find(word) {
        let i = from + off;
        let end = i + word.len();
        if word_start(s, i)
            && s[end..]
                .chars()
                .next()
                .is_none_or(|c| !block::is_word_char(c))
        {
            return true;
        }
        from = i + 1;
        while !s.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// The first `\blanguage-\S+` of a class: its start and end.
fn find_language(class: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(off) = class[from..].find("language-") {
        let i = from + off;
        let lang_start = i + "language-".len();
        let n = class.as_bytes()[lang_start..]
            .iter()
            .take_while(|b| !block::is_space(**b))
            .count();
        if n > 0 && word_start(class, i) {
            return Some((i, lang_start + n));
        }
        from = i + 1;
    }
    None
}

/// `extract_code_language`: the language a `language-…` class names.
fn extract_code_language(attr: &[(String, String)]) -> Option<&str> {
    let class = attr.iter().find(|(k, _)| k == "class")?.1.as_str();
    let (start, end) = find_language(class)?;
    Some(&class[start + "language-".len()..end])
}

/// `extract_code_language!`: the same, the class taken out of the attributes.
fn extract_code_language_bang(attr: &mut Vec<(String, String)>) -> Option<String> {
    let i = attr.iter().position(|(k, _)| k == "class")?;
    let class = &attr[i].1;
    let (start, end) = find_language(class)?;
    let lang = class[start + "language-".len()..end].to_owned();
    let rest = format!("{}{}", &class[..start], &class[end..]);
    let rest = block::ruby_strip(&rest);
    if rest.is_empty() {
        attr.remove(i);
    } else {
        attr[i].1 = rest.to_owned();
    }
    Some(lang)
}

/// `add_syntax_highlighter_to_class_attr`: ` highlighter-rouge` added, and `language-LANG`
/// put first (replacing a `language-…` the class starts with).
fn add_syntax_highlighter_to_class_attr(attr: &mut Vec<(String, String)>, lang: Option<&str>) {
    let old = attr
        .iter()
        .find(|(k, _)| k == "class")
        .map_or("", |(_, v)| v.as_str());
    let mut class = block::ruby_lstrip(&format!("{old} highlighter-rouge")).to_owned();
    if let Some(lang) = lang {
        // sub!(/\blanguage-\S+|(^)/): at 0 either a language class or the empty line start.
        class = match find_language(&class) {
            Some((0, end)) => format!("language-{lang}{}", &class[end..]),
            _ => format!("language-{lang} {class}"),
        };
    }
    crate::tree::set_attr(attr, "class", class);
}

/// `basic_generate_id`: letters, digits, spaces and dashes after the leading non-letters of each
/// line; spaces become dashes; lower case.
fn basic_generate_id(text: &str) -> String {
    // gsub(/^[^a-zA-Z]+/, '')
    let bytes = text.as_bytes();
    let mut kept = String::with_capacity(text.len());
    let mut i = 0;
    let mut copy_from = 0;
    while i < bytes.len() {
        let line_start = i == 0 || bytes[i - 1] == b'\n';
        if line_start && !bytes[i].is_ascii_alphabetic() {
            kept.push_str(&text[copy_from..i]);
            while i < bytes.len() && !bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            copy_from = i;
        } else {
            i += 1;
        }
    }
    kept.push_str(&text[copy_from..]);
    // tr('^a-zA-Z0-9 -', ''), tr(' ', '-'), downcase
    kept.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The `show-whitespaces` class: each space and tab of a code block shown.
fn show_whitespaces(code: &str) -> String {
    let bytes = code.as_bytes();
    let mut out = String::with_capacity(code.len() * 2);
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b' ' | b'\t') {
            let next = bytes[i..]
                .iter()
                .position(|b| matches!(b, b' ' | b'\t'))
                .map_or(bytes.len(), |n| i + n);
            out.push_str(&code[i..next]);
            i = next;
            continue;
        }
        let end = bytes[i..]
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t'))
            .map_or(bytes.len(), |n| i + n);
        let suffix = if i == 0 || bytes[i - 1] == b'\n' {
            "-l"
        } else if end == bytes.len() || bytes[end] == b'\n' {
            "-r"
        } else {
            ""
        };
        for &b in &bytes[i..end] {
            if b == b'\t' {
                let _ = write!(out, "<span class=\"ws-tab{suffix}\">\t</span>");
            } else {
                let _ = write!(out, "<span class=\"ws-space{suffix}\">&#8901;</span>");
            }
        }
        i = end;
    }
    out
}

/// `fix_cjk_line_break`: a line break between Chinese or Japanese characters removed.
fn fix_cjk_line_break(out: &mut String, text: &str) {
    let is_cjk = |c: Option<char>| c.is_some_and(|c| CJK_CHAR.is_match(c.encode_utf8(&mut [0; 4])));
    let mut from = 0;
    for (i, _) in text.match_indices('\n') {
        if is_cjk(text[..i].chars().next_back()) && is_cjk(text[i + 1..].chars().next()) {
            out.push_str(&text[from..i]);
            from = i + 1;
        }
    }
    out.push_str(&text[from..]);
}

/// `escape_html(str, type)` (utils/html.rb).
fn escape_html(out: &mut String, s: &str, mode: Escape) {
    let bytes = s.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    loop {
        let found = if mode == Escape::Attribute {
            bytes[i..]
                .iter()
                .position(|b| matches!(b, b'<' | b'>' | b'&' | b'"'))
        } else {
            memchr::memchr3(b'<', b'>', b'&', &bytes[i..])
        };
        let Some(off) = found else { break };
        let j = i + off;
        i = j + 1;
        let with = match bytes[j] {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ if mode != Escape::All && is_reference(&bytes[j + 1..]) => continue,
            _ => "&amp;",
        };
        out.push_str(&s[copied..j]);
        out.push_str(with);
        copied = i;
    }
    out.push_str(&s[copied..]);
}

/// What follows an `&` is a character reference as REXML's `REFERENCE_RE` says:
/// `([\w:][\-\w\.:]*);`, `#\d+;` or `#x[0-9a-fA-F]+;` (Ruby's `\w`, `\d`: ASCII).
fn is_reference(rest: &[u8]) -> bool {
    let run = |from: usize, ok: fn(u8) -> bool| {
        rest[from.min(rest.len())..]
            .iter()
            .take_while(|b| ok(**b))
            .count()
    };
    match rest.first() {
        Some(b'#') => {
            let digits = run(1, |b| b.is_ascii_digit());
            if digits > 0 && rest.get(1 + digits) == Some(&b';') {
                return true;
            }
            let hex = run(2, |b| b.is_ascii_hexdigit());
            rest.get(1) == Some(&b'x') && hex > 0 && rest.get(2 + hex) == Some(&b';')
        }
        Some(&b) if b.is_ascii_alphanumeric() || b == b'_' || b == b':' => {
            let n = run(1, |b| {
                b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.')
            });
            rest.get(1 + n) == Some(&b';')
        }
        _ => false,
    }
}

/// `Html::TYPOGRAPHIC_SYMS`: the entities each typographic symbol is written as.
const TYPOGRAPHIC_SYMS: &[(&str, &[&str])] = &[
    ("mdash", &["mdash"]),
    ("ndash", &["ndash"]),
    ("hellip", &["hellip"]),
    ("laquo_space", &["laquo", "nbsp"]),
    ("raquo_space", &["nbsp", "raquo"]),
    ("laquo", &["laquo"]),
    ("raquo", &["raquo"]),
];

/// `Html::HTML_ELEMENTS_WITHOUT_BODY`.
const HTML_ELEMENTS_WITHOUT_BODY: &[&str] = &[
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// Rouge 3.30's lexer names and aliases (`Rouge::Lexer.registry.keys`), sorted: a language
/// rouge does not know is written as kramdown writes code without a highlighter.
#[rustfmt::skip]
const ROUGE_LEXERS: &[&str] = &[
    "Dockerfile", "HAML", "Isabelle", "LaTeX", "OCL", "R", "S", "TeX",
    "abap", "actionscript", "ada", "apache", "apex", "apib", "apiblueprint", "applescript",
    "armasm", "as", "as3", "aug", "augeas", "awk", "bash", "bat",
    "batch", "batchfile", "bbcbasic", "behat", "bib", "bibtex", "biml", "bpf",
    "brainfuck", "brightscript", "brs", "bs", "bsdmake", "bsl", "c", "c#",
    "c++", "ceylon", "cfc", "cfscript", "cl", "clean", "clj", "cljs",
    "clojure", "cmake", "cmhg", "cmm", "coffee", "coffee-script", "coffeescript", "common-lisp",
    "common_lisp", "conf", "config", "configuration", "console", "coq", "cpp", "cr",
    "crystal", "cs", "csharp", "css", "csvs", "cucumber", "cuda", "cypher",
    "cython", "d", "dafny", "dart", "datastudio", "diff", "digdag", "django",
    "dlang", "docker", "dockerfile", "dosbatch", "dot", "e-mail", "ecl", "eex",
    "eiffel", "elisp", "elixir", "elm", "emacs-lisp", "email", "eml", "epp",
    "eps", "erb", "erl", "erlang", "eruby", "esc", "escape", "ex",
    "exs", "factor", "fea", "ff", "fluent", "fortran", "freefem", "fsharp",
    "ftl", "gd", "gdscript", "ghc-cmm", "ghc-core", "gherkin", "glsl", "gnumake",
    "go", "golang", "gradle", "graphql", "groovy", "hack", "haml", "handlebars",
    "haskell", "haxe", "hbs", "hcl", "heex", "hh", "hlsl", "hocon",
    "hql", "hs", "html", "http", "hx", "hy", "hylang", "idlang",
    "idr", "idris", "igorpro", "ini", "io", "irb", "irb_output", "isa",
    "isabelle", "isbl", "j", "janet", "java", "javascript", "jdn", "jinja",
    "jl", "js", "jsl", "json", "json-doc", "jsonc", "jsonnet", "jsp",
    "jsx", "julia", "kdb+", "kotlin", "ksh", "lasso", "lassoscript", "latex",
    "lean", "leex", "lhaskell", "lhs", "liquid", "lisp", "litcoffee", "literate_coffeescript",
    "literate_haskell", "lithaskell", "livescript", "llvm", "ls", "lua", "lustre", "lutin",
    "m", "m68k", "magik", "make", "makefile", "markdown", "mason", "mathematica",
    "matlab", "md", "meson", "mf", "microsoftshell", "minizinc", "mkd", "ml",
    "moon", "moonscript", "mosel", "msgtrans", "msshell", "mustache", "mxml", "nasm",
    "nes", "nesasm", "nginx", "nial", "nim", "nimrod", "nix", "nixos",
    "obj-c", "obj-c++", "obj-cpp", "obj_c", "obj_c++", "obj_cpp", "objc", "objc++",
    "objcpp", "objective_c", "objective_cpp", "objectivec", "objectivec++", "objectivecpp", "ocaml", "ocl",
    "openedge", "opentype", "opentype_feature_file", "opentypefeature", "pascal", "patch", "perl", "php",
    "php3", "php4", "php5", "pl", "plaintext", "plist", "plsql", "pony",
    "posh", "postscr", "postscript", "powershell", "pp", "praat", "prolog", "prometheus",
    "properties", "proto", "protobuf", "pry", "ps", "puppet", "py", "pyrex",
    "python", "pyx", "q", "qml", "r", "racket", "rb", "react",
    "realbasic", "reasonml", "rego", "rescript", "rhtml", "robot", "robot-framework", "robot_framework",
    "rs", "rs,ignore", "rs,no_run", "rs,should_panic", "ruby", "rust", "rust,ignore", "rust,no_run",
    "rust,should_panic", "s", "sas", "sass", "scala", "scheme", "scss", "sed",
    "sh", "shell", "shell-session", "shell_session", "sieve", "slice", "slim", "smalltalk",
    "smarty", "sml", "solidity", "sparql", "sqf", "sql", "squeak", "ssh",
    "st", "stan", "stata", "supercollider", "swift", "systemd", "syzlang", "syzprog",
    "tap", "tcl", "terminal", "terraform", "tex", "text", "tf", "toml",
    "ts", "tsx", "ttcn3", "tulip", "turtle", "twig", "typescript", "udiff",
    "unit-file", "vala", "varnish", "varnishconf", "vb", "vcl", "velocity", "verilog",
    "vhdl", "vim", "viml", "vimscript", "visualbasic", "vue", "vuejs", "winbatch",
    "wl", "wollok", "xml", "xojo", "xpath", "xquery", "yaml", "yang",
    "yml", "zig", "zir", "zsh",
];

#[cfg(test)]
mod tests {
    //! Each case: the tree real kramdown 2.4 (GFM, Jekyll 4.3's options, rouge) makes of a
    //! markdown text (quoted above each), one element a line (type, `v=` value, `e=` entity
    //! code point, `a:k=` attributes, `@line`, options; then `footnote NAME` with its
    //! definition's tree, `abbrev NAME TITLE attributes`), and the HTML kramdown writes of it,
    //! which ours must equal byte for byte (rouge's token `<span>`s taken out of code first: they
    //! are not written here). The dumps were printed by this script, with dump-tree.rb's
    //! `OPTIONS` (merged with `eval(ENV['KD_OPTS'])` for the cases with other options) and its
    //! `rust_debug` as `q`; the HTML follows its `----` line:
    //!
    //! ```ruby
    //! def dump(el, depth, out)
    //!   out << ("  " * depth) << el.type.to_s
    //!   case el.type
    //!   when :footnote then nil
    //!   when :entity then out << " e=#{el.value.code_point}"
    //!   else out << " v=" << q(el.value.to_s) unless el.value.nil?
    //!   end
    //!   el.attr.each { |k, val| out << " a:#{k}=#{q(val.to_s)}" }
    //!   o = el.options
    //!   out << " @#{o[:location]}" if o[:location]
    //!   out << " level=#{o[:level]}" if el.type == :header
    //!   out << " transparent" if o[:transparent]
    //!   out << " cat=#{o[:category]}" if o[:category]
    //!   out << " cm=#{o[:content_model]}" if o[:content_model]
    //!   out << " closed" if o[:is_closed]
    //!   out << " align=#{o[:alignment].map { |a| a.to_s[0] }.join(',')}" if o[:alignment]
    //!   out << " lang=#{q(o[:lang])}" if o[:lang]
    //!   out << " name=#{q(o[:name])}" if o[:name]
    //!   out << " orig=#{q(o[:original])}" if o[:original]
    //!   out << " raw=#{q(o[:raw_text])}" if o[:raw_text]
    //!   out << " types=#{q(Array(o[:type]).join(','))}" if o[:type]
    //!   out << " refs=#{q(o[:ial][:refs].join(','))}" if o[:ial] && o[:ial][:refs]
    //!   out << "\n"
    //!   el.children.each { |c| dump(c, depth + 1, out) }
    //! end
    //! doc = Kramdown::Document.new($stdin.read, OPTIONS.merge(eval(ENV['KD_OPTS'] || '{}')))
    //! out = +""
    //! dump(doc.root, 0, out)
    //! fns = {}
    //! walk = lambda { |e| fns[e.options[:name]] ||= e.value if e.type == :footnote; e.children.each(&walk) }
    //! walk.call(doc.root)
    //! i = 0
    //! while i < fns.size
    //!   name, fd = fns.to_a[i]
    //!   out << "footnote #{q(name)}\n"
    //!   dump(fd, 1, out)
    //!   fd.children.each { |c| walk.call(c) }
    //!   i += 1
    //! end
    //! doc.root.options[:abbrev_defs].each do |k, t|
    //!   out << "abbrev #{q(k)} #{q(t)}"
    //!   (doc.root.options[:abbrev_attr][k] || {}).each { |ak, av| out << " a:#{ak}=#{q(av.to_s)}" }
    //!   out << "\n"
    //! end
    //! puts out, "----"
    //! print doc.to_html
    //! ```

    use super::*;
    use crate::tree::{Ial, Type};
    use crate::FootnoteDef;

    const TYPES: &[Type] = &[
        Type::Root,
        Type::Blank,
        Type::Text,
        Type::RawText,
        Type::P,
        Type::Header,
        Type::Blockquote,
        Type::Codeblock,
        Type::Codespan,
        Type::Hr,
        Type::Ul,
        Type::Ol,
        Type::Li,
        Type::Dl,
        Type::Dt,
        Type::Dd,
        Type::Table,
        Type::Thead,
        Type::Tbody,
        Type::Tfoot,
        Type::Tr,
        Type::Td,
        Type::Math,
        Type::Footnote,
        Type::FootnoteDef,
        Type::Abbreviation,
        Type::A,
        Type::Img,
        Type::Em,
        Type::Strong,
        Type::Br,
        Type::Entity,
        Type::SmartQuote,
        Type::TypographicSym,
        Type::HtmlElement,
        Type::XmlComment,
        Type::XmlPi,
        Type::Raw,
        Type::Comment,
        Type::Eob,
        Type::Temp,
    ];

    /// A quoted string of the dump (Rust's `{:?}` escapes) at the start of `s`: it and the rest.
    fn unquote(s: &str) -> (String, &str) {
        assert!(s.starts_with('"'), "not quoted: {s}");
        let mut out = String::new();
        let mut chars = s[1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return (out, &s[i + 2..]),
                '\\' => match chars.next().map(|(_, c)| c) {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('u') => {
                        let rest = &s[1 + i + 2..];
                        let end = rest.find('}').expect("\\u{…}");
                        let cp = u32::from_str_radix(&rest[1..end], 16).expect("hex");
                        out.push(char::from_u32(cp).expect("char"));
                        for _ in 0..=end {
                            chars.next();
                        }
                    }
                    Some(c) => out.push(c),
                    None => panic!("dangling escape"),
                },
                c => out.push(c),
            }
        }
        panic!("unterminated: {s}")
    }

    /// The tokens of a line: `key` or `key=value`, values quoted or not.
    fn tokens(mut s: &str) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        loop {
            s = s.trim_start_matches(' ');
            if s.is_empty() {
                return out;
            }
            if s.starts_with('"') {
                let (v, rest) = unquote(s);
                out.push((String::new(), Some(v)));
                s = rest;
                continue;
            }
            let end = s.find([' ', '=']).unwrap_or(s.len());
            let key = s[..end].to_owned();
            s = &s[end..];
            if let Some(rest) = s.strip_prefix('=') {
                if rest.starts_with('"') {
                    let (v, rest) = unquote(rest);
                    out.push((key, Some(v)));
                    s = rest;
                } else {
                    let end = rest.find(' ').unwrap_or(rest.len());
                    out.push((key, Some(rest[..end].to_owned())));
                    s = &rest[end..];
                }
            } else {
                out.push((key, None));
            }
        }
    }

    fn element(line: &str) -> Element {
        let toks = tokens(line);
        let kind = *TYPES
            .iter()
            .find(|t| t.name() == toks[0].0)
            .unwrap_or_else(|| panic!("type {line}"));
        let mut el = Element::new(kind);
        for (k, v) in toks.into_iter().skip(1) {
            let v = v.unwrap_or_default();
            let o = &mut el.options;
            match k.as_str() {
                "v" => el.value = Value::Str(v),
                "e" => el.value = Value::Entity(Entity::from_code_point(v.parse().expect("cp"))),
                "level" => o.level = v.parse().expect("level"),
                "transparent" => o.transparent = true,
                "closed" => o.is_closed = true,
                "cat" => {
                    o.category = Some(if v == "block" {
                        Category::Block
                    } else {
                        Category::Span
                    })
                }
                "cm" => {
                    o.content_model = Some(match v.as_str() {
                        "raw" => ContentModel::Raw,
                        "block" => ContentModel::Block,
                        _ => ContentModel::Span,
                    })
                }
                "align" => {
                    o.rare_mut().alignment = v
                        .split(',')
                        .map(|a| match a {
                            "l" => Align::Left,
                            "c" => Align::Center,
                            "r" => Align::Right,
                            _ => Align::Default,
                        })
                        .collect()
                }
                "lang" => o.rare_mut().lang = Some(v),
                "name" => o.rare_mut().name = Some(v),
                "orig" => o.rare_mut().original = Some(v),
                "raw" => o.rare_mut().raw_text = Some(v),
                "types" => {
                    o.rare_mut().types = v
                        .split(',')
                        .filter(|t| !t.is_empty())
                        .map(String::from)
                        .collect()
                }
                "refs" => {
                    o.ial = Some(Box::new(Ial {
                        attrs: Vec::new(),
                        refs: v.split(',').map(String::from).collect(),
                    }))
                }
                k if k.starts_with('@') => o.location = k[1..].parse().expect("line"),
                k if k.starts_with("a:") => el.attr.push((k[2..].to_owned(), v)),
                k => panic!("unknown {k} in {line}"),
            }
        }
        el
    }

    /// Builds the tree of the lines at `depth` and below, from `lines[*i]`.
    fn build(lines: &[&str], i: &mut usize, depth: usize) -> Element {
        let mut el = element(lines[*i].trim_start_matches(' '));
        *i += 1;
        while *i < lines.len() {
            let d = (lines[*i].len() - lines[*i].trim_start_matches(' ').len()) / 2;
            if d <= depth {
                break;
            }
            el.children.push(build(lines, i, depth + 1));
        }
        el
    }

    /// The document a dump describes.
    fn document(dump: &str, options: Options) -> Document {
        let lines: Vec<&str> = dump.lines().filter(|l| !l.is_empty()).collect();
        let mut i = 0;
        let root = build(&lines, &mut i, 0);
        let mut doc = Document {
            root,
            footnotes: HashMap::new(),
            abbrev_defs: HashMap::new(),
            abbrev_attr: HashMap::new(),
            options,
            warnings: Vec::new(),
        };
        while i < lines.len() {
            let toks = tokens(lines[i]);
            match toks[0].0.as_str() {
                "footnote" => {
                    let name = toks[1].1.clone().expect("name");
                    i += 1;
                    let content = build(&lines, &mut i, 1);
                    let def = FootnoteDef {
                        content,
                        referenced: true,
                        eob: false,
                    };
                    doc.footnotes.insert(name, def);
                }
                "abbrev" => {
                    let name = toks[1].1.clone().expect("name");
                    doc.abbrev_defs
                        .insert(name.clone(), toks[2].1.clone().expect("title"));
                    let attr = toks[3..]
                        .iter()
                        .map(|(k, v)| (k[2..].to_owned(), v.clone().unwrap_or_default()))
                        .collect();
                    doc.abbrev_attr.insert(name, attr);
                    i += 1;
                }
                other => panic!("unknown section {other}"),
            }
        }
        doc
    }

    /// kramdown's HTML without rouge's token spans (`<span class="…">…</span>` in code).
    fn strip_rouge_tokens(html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(i) = rest.find("<code") {
            let end = rest[i..].find("</code>").map_or(rest.len(), |e| i + e);
            out.push_str(&rest[..i]);
            let code = &rest[i..end];
            let mut c = code;
            while let Some(s) = c.find("<span class=\"") {
                if c[s..].starts_with("<span class=\"ws-") {
                    // show-whitespaces' spans are kramdown's own.
                    let close = s + c[s..].find("</span>").expect("span end") + "</span>".len();
                    out.push_str(&c[..close]);
                    c = &c[close..];
                    continue;
                }
                out.push_str(&c[..s]);
                let after = &c[s..];
                let gt = after.find('>').expect("span tag");
                c = &after[gt + 1..];
                if let Some(close) = c.find("</span>") {
                    out.push_str(&c[..close]);
                    c = &c[close + "</span>".len()..];
                }
            }
            out.push_str(c);
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    fn check_with(dump: &str, expected: &str, options: Options) {
        let doc = document(dump, options);
        let html = to_html(&doc, &Hooks::default());
        assert_eq!(html, strip_rouge_tokens(expected));
    }

    fn opts(set: impl FnOnce(&mut Options)) -> Options {
        let mut o = Options::default();
        set(&mut o);
        o
    }

    fn check(dump: &str, expected: &str) {
        check_with(dump, expected, Options::default());
    }

    #[test]
    fn abbrev() {
        // Markdown:
        // The HTML spec and W3C are here. HTML!
        //
        // *[HTML]: Hyper Text Markup Language
        // *[W3C]:  World Wide Web Consortium
        // {: .abbr-class}
        check(
            r#"root @1
  p @1
    text v="The " @1
    abbreviation v="HTML" @1
    text v=" spec and " @1
    abbreviation v="W3C" @1
    text v=" are here. " @1
    abbreviation v="HTML" @1
    text v="!" @1
  blank v="\n"
abbrev "HTML" "Hyper Text Markup Language"
abbrev "W3C" "World Wide Web Consortium" a:class="abbr-class"
"#,
            r#"<p>The <abbr title="Hyper Text Markup Language">HTML</abbr> spec and <abbr class="abbr-class" title="World Wide Web Consortium">W3C</abbr> are here. <abbr title="Hyper Text Markup Language">HTML</abbr>!</p>

"#,
        );
    }

    #[test]
    fn blanks() {
        // Markdown:
        // a
        //
        //
        // b
        //
        //
        //
        // > quote
        // >
        // > more
        //
        // ---
        //
        // * * *
        check(
            r#"root @1
  p @1
    text v="a" @1
  blank v="\n\n"
  p @4
    text v="b" @4
  blank v="\n\n\n"
  blockquote @8
    p @8
      text v="quote" @8
    blank v="\n"
    p @10
      text v="more" @10
  blank v="\n"
  hr @12
  blank v="\n"
  hr @14
"#,
            r#"<p>a</p>

<p>b</p>

<blockquote>
  <p>quote</p>

  <p>more</p>
</blockquote>

<hr />

<hr />
"#,
        );
    }

    #[test]
    fn codeblocks() {
        // Markdown:
        // ```ruby
        // x = 1 < 2 && "s"
        // ```
        //
        // ```
        // plain <b> & "q"
        // ```
        //
        // ```foo
        // unknown &
        // ```
        //
        // ```ruby?start_inline=1
        // $x = 1
        // ```
        //
        //     indented
        //     code <
        //
        // ~~~ python
        // a
        // ~~~
        // {: .foo #bar}
        //
        // * item
        //
        //   ```js
        //   var a;
        //   ```
        //
        // ```Ruby
        // capital
        // ```
        check(
            r#"root @1
  codeblock v="x = 1 < 2 && \"s\"\n" a:class="language-ruby" @1 lang="ruby"
  blank v="\n"
  codeblock v="plain <b> & \"q\"\n" @5
  blank v="\n"
  codeblock v="unknown &\n" a:class="language-foo" @9 lang="foo"
  blank v="\n"
  codeblock v="$x = 1\n" a:class="language-ruby" @13 lang="ruby?start_inline=1"
  blank v="\n"
  codeblock v="indented\ncode <\n" @17
  blank v="\n"
  codeblock v="a\n" a:class="language-python foo" a:id="bar" @20 lang="python"
  blank v="\n"
  ul @25
    li @25
      p @25
        text v="item" @25
      blank v="\n"
      codeblock v="var a;\n" a:class="language-js" @27 lang="js"
  blank v="\n"
  codeblock v="capital\n" a:class="language-Ruby" @31 lang="Ruby"
"#,
            r#"<div class="language-ruby highlighter-rouge"><div class="highlight"><pre class="highlight"><code><span class="n">x</span> <span class="o">=</span> <span class="mi">1</span> <span class="o">&lt;</span> <span class="mi">2</span> <span class="o">&amp;&amp;</span> <span class="s2">"s"</span>
</code></pre></div></div>

<div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code>plain &lt;b&gt; &amp; "q"
</code></pre></div></div>

<pre><code class="language-foo">unknown &amp;
</code></pre>

<div class="language-ruby highlighter-rouge"><div class="highlight"><pre class="highlight"><code><span class="vg">$x</span> <span class="o">=</span> <span class="mi">1</span>
</code></pre></div></div>

<div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code>indented
code &lt;
</code></pre></div></div>

<div class="language-python foo highlighter-rouge" id="bar"><div class="highlight"><pre class="highlight"><code><span class="n">a</span>
</code></pre></div></div>

<ul>
  <li>
    <p>item</p>

    <div class="language-js highlighter-rouge"><div class="highlight"><pre class="highlight"><code><span class="kd">var</span> <span class="nx">a</span><span class="p">;</span>
</code></pre></div>    </div>
  </li>
</ul>

<pre><code class="language-Ruby">capital
</code></pre>
"#,
        );
    }

    #[test]
    fn codespans() {
        // Markdown:
        // Use `a < b` and `` x`y `` and `puts 1`{: .language-ruby} and `z`{: .language-nolexer} and `c`{: .foo} 코드 `한글`이다
        check(
            r#"root @1
  p @1
    text v="Use " @1
    codespan v="a < b" @1
    text v=" and " @1
    codespan v="x`y" @1
    text v=" and " @1
    codespan v="puts 1" a:class="language-ruby" @1
    text v=" and " @1
    codespan v="z" a:class="language-nolexer" @1
    text v=" and " @1
    codespan v="c" a:class="foo" @1
    text v=" 코드 " @1
    codespan v="한글" @1
    text v="이다" @1
"#,
            r#"<p>Use <code class="language-plaintext highlighter-rouge">a &lt; b</code> and <code class="language-plaintext highlighter-rouge">x`y</code> and <code class="language-ruby highlighter-rouge"><span class="nb">puts</span> <span class="mi">1</span></code> and <code class="language-nolexer">z</code> and <code class="language-plaintext foo highlighter-rouge">c</code> 코드 <code class="language-plaintext highlighter-rouge">한글</code>이다</p>
"#,
        );
    }

    #[test]
    fn dl() {
        // Markdown:
        // Term
        // : Definition
        //
        // para
        //
        // {:auto_ids}
        // Auto Term 1
        // : def
        //
        // para
        //
        // {:auto_ids-pre-}
        // Other *Term*
        // : def
        check(
            r#"root @1
  dl @1
    dt @2 raw="Term"
      text v="Term"
    dd @2
      p @2 transparent
        text v="Definition" @2
  blank v="\n"
  p @4
    text v="para" @4
  blank v="\n"
  dl @7 refs="auto_ids"
    dt @8 raw="Auto Term 1"
      text v="Auto Term 1"
    dd @8
      p @8 transparent
        text v="def" @8
  blank v="\n"
  p @10
    text v="para" @10
  blank v="\n"
  dl @13 refs="auto_ids-pre-"
    dt @14 raw="Other Term"
      text v="Other "
      em @14
        text v="Term" @14
    dd @14
      p @14 transparent
        text v="def" @14
"#,
            r#"<dl>
  <dt>Term</dt>
  <dd>Definition</dd>
</dl>

<p>para</p>

<dl>
  <dt id="auto-term-1">Auto Term 1</dt>
  <dd>def</dd>
</dl>

<p>para</p>

<dl>
  <dt id="pre-other-term">Other <em>Term</em></dt>
  <dd>def</dd>
</dl>
"#,
        );
    }

    #[test]
    fn entities() {
        // Markdown:
        // Entities: &amp; &lt; &gt; &quot; &copy; &#169; &#x41; &nbsp;x &hellip; & plain < > and &unknownentity; &#8617;
        check(
            r#"root @1
  p @1
    text v="Entities: " @1
    entity e=38 @1 orig="&amp;"
    text v=" " @1
    entity e=60 @1 orig="&lt;"
    text v=" " @1
    entity e=62 @1 orig="&gt;"
    text v=" " @1
    entity e=34 @1 orig="&quot;"
    text v=" " @1
    entity e=169 @1 orig="&copy;"
    text v=" " @1
    entity e=169 @1 orig="&#169;"
    text v=" " @1
    entity e=65 @1 orig="&#x41;"
    text v=" " @1
    entity e=160 @1 orig="&nbsp;"
    text v="x " @1
    entity e=8230 @1 orig="&hellip;"
    text v=" & plain < > and " @1
    entity e=38 @1
    text v="unknownentity; " @1
    entity e=8617 @1 orig="&#8617;"
"#,
            r#"<p>Entities: &amp; &lt; &gt; " © © A  x … &amp; plain &lt; &gt; and &amp;unknownentity; ↩</p>
"#,
        );
    }

    #[test]
    fn fnplace() {
        // Markdown:
        // Body[^a].
        //
        // * placeholder
        // {:footnotes}
        //
        // After.
        //
        // [^a]: Note *a*
        //     ```
        //     code
        //     ```
        check(
            r#"root @1
  p @1
    text v="Body" @1
    footnote @1 name="a"
    text v="." @1
  blank v="\n"
  ul @3 refs="footnotes"
    li @3
      p @3 transparent
        text v="placeholder" @3
  blank v="\n"
  p @6
    text v="After." @6
  blank v="\n"
footnote "a"
  footnote_def @8
    p @8
      text v="Note " @8
      em @8
        text v="a" @8
    codeblock v="code\n" @9
"#,
            r##"<p>Body<sup id="fnref:a" role="doc-noteref"><a href="#fn:a" class="footnote" rel="footnote">1</a></sup>.</p>

<div class="footnotes" role="doc-endnotes">
  <ol>
    <li id="fn:a" role="doc-endnote">
      <p>Note <em>a</em></p>
      <div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code>code
</code></pre></div>      </div>
      <p><a href="#fnref:a" class="reversefootnote" role="doc-backlink">&#8617;</a></p>
    </li>
  </ol>
</div>

<p>After.</p>

"##,
        );
    }

    #[test]
    fn footnotes() {
        // Markdown:
        // Text with note[^1] and another[^two] and again[^1].
        //
        // * in list[^3]
        //
        // [^1]: First note.
        // [^two]: Second note
        //
        //     with a second paragraph.
        //
        // [^3]:
        //     ```
        //     code last
        //     ```
        check(
            r#"root @1
  p @1
    text v="Text with note" @1
    footnote @1 name="1"
    text v=" and another" @1
    footnote @1 name="two"
    text v=" and again" @1
    footnote @1 name="1"
    text v="." @1
  blank v="\n"
  ul @3
    li @3
      p @3 transparent
        text v="in list" @3
        footnote @3 name="3"
  blank v="\n\n"
footnote "1"
  footnote_def @5
    p @5
      text v="First note." @5
footnote "two"
  footnote_def @6
    p @6
      text v="Second note" @6
    blank v="\n"
    p @8
      text v="with a second paragraph." @8
footnote "3"
  footnote_def @10
    blank v="\n"
    codeblock v="code last\n" @11
"#,
            r##"<p>Text with note<sup id="fnref:1" role="doc-noteref"><a href="#fn:1" class="footnote" rel="footnote">1</a></sup> and another<sup id="fnref:two" role="doc-noteref"><a href="#fn:two" class="footnote" rel="footnote">2</a></sup> and again<sup id="fnref:1:1" role="doc-noteref"><a href="#fn:1" class="footnote" rel="footnote">1</a></sup>.</p>

<ul>
  <li>in list<sup id="fnref:3" role="doc-noteref"><a href="#fn:3" class="footnote" rel="footnote">3</a></sup></li>
</ul>

<div class="footnotes" role="doc-endnotes">
  <ol>
    <li id="fn:1" role="doc-endnote">
      <p>First note. <a href="#fnref:1" class="reversefootnote" role="doc-backlink">&#8617;</a> <a href="#fnref:1:1" class="reversefootnote" role="doc-backlink">&#8617;<sup>2</sup></a></p>
    </li>
    <li id="fn:two" role="doc-endnote">
      <p>Second note</p>

      <p>with a second paragraph. <a href="#fnref:two" class="reversefootnote" role="doc-backlink">&#8617;</a></p>
    </li>
    <li id="fn:3" role="doc-endnote">

      <div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code>code last
</code></pre></div>      </div>
      <p><a href="#fnref:3" class="reversefootnote" role="doc-backlink">&#8617;</a></p>
    </li>
  </ol>
</div>
"##,
        );
    }

    #[test]
    fn headers() {
        // Markdown:
        // # Head 컨트롤러
        //
        // ## Sub *em* `code` {#custom}
        //
        // ### Dup
        // ### Dup
        //
        // #### No toc
        // {: .no_toc .x}
        //
        // Setext **컨트롤러(Controller)**이다
        // ===
        //
        // ##### 5 & <x> "q"
        // ###### 6
        check(
            r#"root @1
  header a:id="head-컨트롤러" @1 level=1 raw="Head 컨트롤러"
    text v="Head 컨트롤러" @1
  blank v="\n"
  header a:id="custom" @3 level=2 raw="Sub em code"
    text v="Sub " @3
    em @3
      text v="em" @3
    text v=" " @3
    codespan v="code" @3
  blank v="\n"
  header a:id="dup" @5 level=3 raw="Dup"
    text v="Dup" @5
  header a:id="dup-1" @6 level=3 raw="Dup"
    text v="Dup" @6
  blank v="\n"
  header a:class="no_toc x" a:id="no-toc" @8 level=4 raw="No toc"
    text v="No toc" @8
  blank v="\n"
  header a:id="setext-컨트롤러controller이다" @11 level=1 raw="Setext 컨트롤러(Controller)이다"
    text v="Setext " @11
    strong @11
      text v="컨트롤러(Controller)" @11
    text v="이다" @11
  blank v="\n"
  header a:id="5---q" @14 level=5 raw="5 &  \"q\""
    text v="5 & " @14
    html_element v="x" @14 cat=span cm=raw
      text v=" \"q\"" @14
  header a:id="6" @15 level=6 raw="6"
    text v="6" @15
"#,
            r#"<h1 id="head-컨트롤러">Head 컨트롤러</h1>

<h2 id="custom">Sub <em>em</em> <code class="language-plaintext highlighter-rouge">code</code></h2>

<h3 id="dup">Dup</h3>
<h3 id="dup-1">Dup</h3>

<h4 class="no_toc x" id="no-toc">No toc</h4>

<h1 id="setext-컨트롤러controller이다">Setext <strong>컨트롤러(Controller)</strong>이다</h1>

<h5 id="5---q">5 &amp; <x> "q"</x></h5>
<h6 id="6">6</h6>
"#,
        );
    }

    #[test]
    fn htmlblocks() {
        // Markdown:
        // <div class="x" markdown="1">
        // Some *markdown* here.
        //
        // * list
        // </div>
        //
        // <div>
        // raw *not md*
        // </div>
        //
        // <pre>
        //   pre <b>bold</b> text
        // </pre>
        //
        // <script>
        // var a = 1 < 2;
        // </script>
        //
        // <!-- a comment -->
        //
        // <span>span *md*</span> text <br> <img src="a.png"> <em>e</em>
        //
        // <hr/>
        //
        // <p>para html</p>
        //
        // <?php echo 1; ?>
        check(
            r#"root @1
  html_element v="div" a:class="x" @1 cat=block cm=block
    p @2
      text v="Some " @2
      em @2
        text v="markdown" @2
      text v=" here." @2
    blank v="\n"
    ul @4
      li @4
        p @4 transparent
          text v="list" @4
  blank v="\n"
  html_element v="div" @7 cat=block cm=raw
    text v="\nraw *not md*\n" @7
  blank v="\n"
  html_element v="pre" @11 cat=block cm=raw
    text v="\n  pre " @11
    html_element v="b" @12 cat=block cm=raw
      text v="bold" @12
    text v=" text\n" @12
  blank v="\n"
  html_element v="script" @15 cat=block cm=raw
    raw v="\nvar a = 1 < 2;\n" @15
  blank v="\n\n"
  xml_comment v="<!-- a comment -->" @19 cat=block
  blank v="\n"
  p @21
    html_element v="span" @21 cat=span cm=span
      text v="span " @21
      em @21
        text v="md" @21
    text v=" text " @21
    html_element v="br" @21 cat=span cm=raw
    text v=" " @21
    html_element v="img" a:src="a.png" @21 cat=span cm=raw
    text v=" " @21
    html_element v="em" @21 cat=span cm=span
      text v="e" @21
  blank v="\n"
  html_element v="hr" @23 cat=block cm=raw closed
  blank v="\n\n"
  html_element v="p" @25 cat=block cm=raw
    text v="para html" @25
  blank v="\n"
  p @27
    text v="<?php echo 1; ?>" @27
"#,
            r#"<div class="x">
  <p>Some <em>markdown</em> here.</p>

  <ul>
    <li>list</li>
  </ul>
</div>

<div>
raw *not md*
</div>

<pre>
  pre <b>bold</b> text
</pre>

<script>
var a = 1 < 2;
</script>

<!-- a comment -->

<p><span>span <em>md</em></span> text <br /> <img src="a.png" /> <em>e</em></p>

<hr />

<p>para html</p>

<p>&lt;?php echo 1; ?&gt;</p>
"#,
        );
    }

    #[test]
    fn ials() {
        // Markdown:
        // A paragraph
        // {: .para #pid data-x="1"}
        //
        // A [link](http://example.com "Title"){: .lnk} and ![alt text](img.png "t"){: width="10"} and <http://auto.link>.
        //
        // [ref link][r] and ![img][r]
        //
        // [r]: http://ref.example/x?a=1&b=2 "Ref Title"
        check(
            r#"root @1
  p a:class="para" a:id="pid" a:data-x="1" @1
    text v="A paragraph" @1
  blank v="\n"
  p @4
    text v="A " @4
    a a:href="http://example.com" a:title="Title" a:class="lnk" @4
      text v="link" @4
    text v=" and " @4
    img a:src="img.png" a:alt="alt text" a:title="t" a:width="10" @4
    text v=" and " @4
    a a:href="http://auto.link" @4
      text v="http://auto.link" @4
    text v="." @4
  blank v="\n"
  p @6
    a a:href="http://ref.example/x?a=1&b=2" a:title="Ref Title" @6
      text v="ref link" @6
    text v=" and " @6
    img a:src="http://ref.example/x?a=1&b=2" a:alt="img" a:title="Ref Title" @6
  blank v="\n"
"#,
            r#"<p class="para" id="pid" data-x="1">A paragraph</p>

<p>A <a href="http://example.com" title="Title" class="lnk">link</a> and <img src="img.png" alt="alt text" title="t" width="10" /> and <a href="http://auto.link">http://auto.link</a>.</p>

<p><a href="http://ref.example/x?a=1&amp;b=2" title="Ref Title">ref link</a> and <img src="http://ref.example/x?a=1&amp;b=2" alt="img" title="Ref Title" /></p>

"#,
        );
    }

    #[test]
    fn korean() {
        // Markdown:
        // **컨트롤러(Controller)**이다. *강조*된 `코드`와 [링크](http://x.com)는 "따옴표"로...
        //
        // # 한글 제목 Title
        //
        // 1. 첫째
        // 2. 둘째
        check(
            r#"root @1
  p @1
    strong @1
      text v="컨트롤러(Controller)" @1
    text v="이다. " @1
    em @1
      text v="강조" @1
    text v="된 " @1
    codespan v="코드" @1
    text v="와 " @1
    a a:href="http://x.com" @1
      text v="링크" @1
    text v="는 " @1
    smart_quote v="ldquo" @1
    text v="따옴표" @1
    smart_quote v="rdquo" @1
    text v="로" @1
    typographic_sym v="hellip" @1
  blank v="\n"
  header a:id="한글-제목-title" @3 level=1 raw="한글 제목 Title"
    text v="한글 제목 Title" @3
  blank v="\n"
  ol @5
    li @5
      p @5 transparent
        text v="첫째" @5
    li @6
      p @6 transparent
        text v="둘째" @6
"#,
            r#"<p><strong>컨트롤러(Controller)</strong>이다. <em>강조</em>된 <code class="language-plaintext highlighter-rouge">코드</code>와 <a href="http://x.com">링크</a>는 “따옴표”로…</p>

<h1 id="한글-제목-title">한글 제목 Title</h1>

<ol>
  <li>첫째</li>
  <li>둘째</li>
</ol>
"#,
        );
    }

    #[test]
    fn lists() {
        // Markdown:
        // * a
        // * b
        //   * nested 1
        //   * nested 2
        //
        //     para in nested
        // * c
        //
        // 1. one
        // 2. two
        //
        // 3. loose three
        //
        // - item
        //
        //   second para
        // - > quote in li
        check(
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text v="a" @1
    li @2
      p @2 transparent
        text v="b\n" @2
      ul @3
        li @3
          p @3 transparent
            text v="nested 1" @3
        li @4
          p @4
            text v="nested 2" @4
          blank v="\n"
          p @6
            text v="para in nested" @6
    li @7
      p @7 transparent
        text v="c" @7
  blank v="\n"
  ol @9
    li @9
      p @9 transparent
        text v="one" @9
    li @10
      p @10
        text v="two" @10
    li @12
      p @12 transparent
        text v="loose three" @12
  blank v="\n"
  ul @14
    li @14
      p @14
        text v="item" @14
      blank v="\n"
      p @16
        text v="second para" @16
    li @17
      blockquote @17
        p @17
          text v="quote in li" @17
"#,
            r#"<ul>
  <li>a</li>
  <li>b
    <ul>
      <li>nested 1</li>
      <li>
        <p>nested 2</p>

        <p>para in nested</p>
      </li>
    </ul>
  </li>
  <li>c</li>
</ul>

<ol>
  <li>one</li>
  <li>
    <p>two</p>
  </li>
  <li>loose three</li>
</ol>

<ul>
  <li>
    <p>item</p>

    <p>second para</p>
  </li>
  <li>
    <blockquote>
      <p>quote in li</p>
    </blockquote>
  </li>
</ul>
"#,
        );
    }

    #[test]
    fn math() {
        // Markdown:
        // Inline $$a < b$$ math and $$x^2$$.
        //
        // $$
        // \frac{1}{2} < x
        // $$
        //
        // $$y = 1$$
        // {: .eq}
        //
        // * $$z$$ in list
        check(
            r#"root @1
  p @1
    text v="Inline " @1
    math v="a < b" @1 cat=span
    text v=" math and " @1
    math v="x^2" @1 cat=span
    text v="." @1
  blank v="\n"
  math v="\\frac{1}{2} < x" @3 cat=block
  blank v="\n"
  math v="y = 1" a:class="eq" @7 cat=block
  blank v="\n"
  ul @10
    li @10
      p @10 transparent
        math v="z" @10 cat=span
        text v=" in list" @10
"#,
            r#"<p>Inline \(a &lt; b\) math and \(x^2\).</p>

\[\frac{1}{2} &lt; x\]

<div class="eq">\[y = 1\]
</div>

<ul>
  <li>\(z\) in list</li>
</ul>
"#,
        );
    }

    #[test]
    fn misc() {
        // Markdown:
        // line one
        // line two\
        // line three
        //
        // ~~strike~~ and **bold _em_**
        //
        // ![Standalone](pic.png){:standalone .cls}
        //
        // {::nomarkdown}
        // <b>raw</b>
        // {:/}
        //
        // {::comment}
        // hidden
        // {:/}
        //
        // Text {::nomarkdown}<i>inline</i>{:/} more.
        //
        // {::nomarkdown type="latex"}
        // \latex
        // {:/}
        check(
            r#"root @1
  p @1
    text v="line one" @1
    br @1
    text v="\nline two" @1
    br @1
    text v="\nline three" @2
  blank v="\n"
  p @5
    html_element v="del" cat=span
      text v="strike"
    text v=" and " @5
    strong @5
      text v="bold " @5
      em @5
        text v="em" @5
  blank v="\n"
  p @7
    img a:src="pic.png" a:alt="Standalone" a:class="cls" @7 refs="standalone"
  blank v="\n"
  raw v="<b>raw</b>" @9 cat=block types=""
  blank v="\n"
  comment v="hidden" @13 cat=block
  blank v="\n"
  p @17
    text v="Text " @17
    raw v="<i>inline</i>" @17 cat=span types=""
    text v=" more." @17
  blank v="\n"
  raw v="\\latex" @19 cat=block types="latex"
"#,
            r#"<p>line one<br />
line two<br />
line three</p>

<p><del>strike</del> and <strong>bold <em>em</em></strong></p>

<figure class="cls">
  <img src="pic.png" alt="Standalone" />
  <figcaption>Standalone</figcaption>
</figure>

<b>raw</b>

<!-- hidden -->

<p>Text <i>inline</i> more.</p>

"#,
        );
    }

    #[test]
    fn smart() {
        // Markdown:
        // "Double" and 'single' quotes, it's -- and --- and ... and << guillemets >> and <<x>>.
        //
        // "한글 인용" 그리고 '작은' -- 끝...
        check(
            r#"root @1
  p @1
    smart_quote v="ldquo" @1
    text v="Double" @1
    smart_quote v="rdquo" @1
    text v=" and " @1
    smart_quote v="lsquo" @1
    text v="single" @1
    smart_quote v="rsquo" @1
    text v=" quotes, it" @1
    smart_quote v="rsquo" @1
    text v="s " @1
    typographic_sym v="ndash" @1
    text v=" and " @1
    typographic_sym v="mdash" @1
    text v=" and " @1
    typographic_sym v="hellip" @1
    text v=" and " @1
    typographic_sym v="laquo_space" @1
    text v="guillemets" @1
    typographic_sym v="raquo_space" @1
    text v=" and " @1
    typographic_sym v="laquo" @1
    text v="x" @1
    typographic_sym v="raquo" @1
    text v="." @1
  blank v="\n"
  p @3
    smart_quote v="ldquo" @3
    text v="한글 인용" @3
    smart_quote v="rdquo" @3
    text v=" 그리고 " @3
    smart_quote v="lsquo" @3
    text v="작은" @3
    smart_quote v="rsquo" @3
    text v=" " @3
    typographic_sym v="ndash" @3
    text v=" 끝" @3
    typographic_sym v="hellip" @3
"#,
            r#"<p>“Double” and ‘single’ quotes, it’s – and — and … and « guillemets » and «x».</p>

<p>“한글 인용” 그리고 ‘작은’ – 끝…</p>
"#,
        );
    }

    #[test]
    fn tables() {
        // Markdown:
        // | Left | Center | Right | None |
        // |:-----|:------:|------:|------|
        // | a    | **b**  | `c`   |      |
        // | 한글 | d      | e     | f    |
        // |------|--------|-------|------|
        // | foot | x      | y     | z    |
        //
        // | a | b |
        // |---|---|
        // | 1 |
        check(
            r#"root @1
  table @1 align=l,c,r,d
    thead
      tr
        td
          text v="Left"
        td
          text v="Center"
        td
          text v="Right"
        td
          text v="None"
    tbody
      tr
        td
          text v="a"
        td
          strong @1
            text v="b" @1
        td
          codespan v="c" @1
        td
      tr
        td
          text v="한글"
        td
          text v="d"
        td
          text v="e"
        td
          text v="f"
    tbody
      tr
        td
          text v="foot"
        td
          text v="x"
        td
          text v="y"
        td
          text v="z"
  blank v="\n"
  table @8 align=d,d
    thead
      tr
        td
          text v="a"
        td
          text v="b"
    tbody
      tr
        td
          text v="1"
        td
"#,
            r#"<table>
  <thead>
    <tr>
      <th style="text-align: left">Left</th>
      <th style="text-align: center">Center</th>
      <th style="text-align: right">Right</th>
      <th>None</th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <td style="text-align: left">a</td>
      <td style="text-align: center"><strong>b</strong></td>
      <td style="text-align: right"><code class="language-plaintext highlighter-rouge">c</code></td>
      <td> </td>
    </tr>
    <tr>
      <td style="text-align: left">한글</td>
      <td style="text-align: center">d</td>
      <td style="text-align: right">e</td>
      <td>f</td>
    </tr>
  </tbody>
  <tbody>
    <tr>
      <td style="text-align: left">foot</td>
      <td style="text-align: center">x</td>
      <td style="text-align: right">y</td>
      <td>z</td>
    </tr>
  </tbody>
</table>

<table>
  <thead>
    <tr>
      <th>a</th>
      <th>b</th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <td>1</td>
      <td> </td>
    </tr>
  </tbody>
</table>
"#,
        );
    }

    #[test]
    fn toc() {
        // Markdown:
        // * TOC
        // {:toc}
        //
        // # One
        //
        // ## Two[^n]
        //
        // ### [Linked](http://x) three
        //
        // # Four
        // {: .no_toc}
        //
        // # Five
        //
        // [^n]: note
        check(
            r#"root @1
  ul @1 refs="toc"
    li @1
      p @1 transparent
        text v="TOC" @1
  blank v="\n"
  header a:id="one" @4 level=1 raw="One"
    text v="One" @4
  blank v="\n"
  header a:id="two" @6 level=2 raw="Two"
    text v="Two" @6
    footnote @6 name="n"
  blank v="\n"
  header a:id="linked-three" @8 level=3 raw="Linked three"
    a a:href="http://x" @8
      text v="Linked" @8
    text v=" three" @8
  blank v="\n"
  header a:class="no_toc" a:id="four" @10 level=1 raw="Four"
    text v="Four" @10
  blank v="\n"
  header a:id="five" @13 level=1 raw="Five"
    text v="Five" @13
  blank v="\n"
footnote "n"
  footnote_def @15
    p @15
      text v="note" @15
"#,
            r##"<ul id="markdown-toc">
  <li><a href="#one" id="markdown-toc-one">One</a>    <ul>
      <li><a href="#two" id="markdown-toc-two">Two</a>        <ul>
          <li><a href="#linked-three" id="markdown-toc-linked-three">Linked three</a></li>
        </ul>
      </li>
    </ul>
  </li>
  <li><a href="#five" id="markdown-toc-five">Five</a></li>
</ul>

<h1 id="one">One</h1>

<h2 id="two">Two<sup id="fnref:n" role="doc-noteref"><a href="#fn:n" class="footnote" rel="footnote">1</a></sup></h2>

<h3 id="linked-three"><a href="http://x">Linked</a> three</h3>

<h1 class="no_toc" id="four">Four</h1>

<h1 id="five">Five</h1>

<div class="footnotes" role="doc-endnotes">
  <ol>
    <li id="fn:n" role="doc-endnote">
      <p>note <a href="#fnref:n" class="reversefootnote" role="doc-backlink">&#8617;</a></p>
    </li>
  </ol>
</div>
"##,
        );
    }

    #[test]
    fn cjk_breaks() {
        // Markdown:
        // 漢字の
        // テキスト
        // 한글
        // 줄바꿈 and
        // English
        // Options: {remove_line_breaks_for_cjk: true}
        let o = opts(|o| {
            o.remove_line_breaks_for_cjk = true;
        });
        check_with(
            r#"root @1
  p @1
    text v="漢字の\nテキスト\n한글\n줄바꿈 and\nEnglish" @1
"#,
            r#"<p>漢字のテキスト
한글
줄바꿈 and
English</p>
"#,
            o,
        );
    }

    #[test]
    fn entity_as_input() {
        // Markdown:
        // A &copy; &#169; &amp; &#38; &#x26; &quot; "q" &lt; &#60;
        // Options: {entity_output: :as_input}
        let o = opts(|o| {
            o.entity_output = "as_input".into();
        });
        check_with(
            r#"root @1
  p @1
    text v="A " @1
    entity e=169 @1 orig="&copy;"
    text v=" " @1
    entity e=169 @1 orig="&#169;"
    text v=" " @1
    entity e=38 @1 orig="&amp;"
    text v=" " @1
    entity e=38 @1 orig="&#38;"
    text v=" " @1
    entity e=38 @1 orig="&#x26;"
    text v=" " @1
    entity e=34 @1 orig="&quot;"
    text v=" " @1
    smart_quote v="ldquo" @1
    text v="q" @1
    smart_quote v="rdquo" @1
    text v=" " @1
    entity e=60 @1 orig="&lt;"
    text v=" " @1
    entity e=60 @1 orig="&#60;"
"#,
            r#"<p>A &copy; &#169; &amp; &#38; &#x26; &quot; &#8220;q&#8221; &lt; &#60;</p>
"#,
            o,
        );
    }

    #[test]
    fn entity_numeric() {
        // Markdown:
        // A &copy; &amp; &quot; "q" -- &#8617; &nbsp; &lt;
        // Options: {entity_output: :numeric}
        let o = opts(|o| {
            o.entity_output = "numeric".into();
        });
        check_with(
            r#"root @1
  p @1
    text v="A " @1
    entity e=169 @1 orig="&copy;"
    text v=" " @1
    entity e=38 @1 orig="&amp;"
    text v=" " @1
    entity e=34 @1 orig="&quot;"
    text v=" " @1
    smart_quote v="ldquo" @1
    text v="q" @1
    smart_quote v="rdquo" @1
    text v=" " @1
    typographic_sym v="ndash" @1
    text v=" " @1
    entity e=8617 @1 orig="&#8617;"
    text v=" " @1
    entity e=160 @1 orig="&nbsp;"
    text v=" " @1
    entity e=60 @1 orig="&lt;"
"#,
            r#"<p>A &#169; &amp; &quot; &#8220;q&#8221; &#8211; &#8617; &#160; &lt;</p>
"#,
            o,
        );
    }

    #[test]
    fn entity_symbolic() {
        // Markdown:
        // A &copy; &amp; &quot; "q" -- &#8617; &#x41; &#1234; &lt;
        // Options: {entity_output: :symbolic}
        let o = opts(|o| {
            o.entity_output = "symbolic".into();
        });
        check_with(
            r#"root @1
  p @1
    text v="A " @1
    entity e=169 @1 orig="&copy;"
    text v=" " @1
    entity e=38 @1 orig="&amp;"
    text v=" " @1
    entity e=34 @1 orig="&quot;"
    text v=" " @1
    smart_quote v="ldquo" @1
    text v="q" @1
    smart_quote v="rdquo" @1
    text v=" " @1
    typographic_sym v="ndash" @1
    text v=" " @1
    entity e=8617 @1 orig="&#8617;"
    text v=" " @1
    entity e=65 @1 orig="&#x41;"
    text v=" " @1
    entity e=1234 @1 orig="&#1234;"
    text v=" " @1
    entity e=60 @1 orig="&lt;"
"#,
            r#"<p>A &copy; &amp; &quot; &ldquo;q&rdquo; &ndash; &#8617; &#65; &#1234; &lt;</p>
"#,
            o,
        );
    }

    #[test]
    fn footnote_nobacklink() {
        // Markdown:
        // One[^a] and[^b].
        //
        // [^a]: Note a
        // [^b]:
        //     > quote
        // Options: {footnote_backlink: ""}
        let o = opts(|o| {
            o.footnote_backlink = String::new();
        });
        check_with(
            r#"root @1
  p @1
    text v="One" @1
    footnote @1 name="a"
    text v=" and" @1
    footnote @1 name="b"
    text v="." @1
  blank v="\n"
footnote "a"
  footnote_def @3
    p @3
      text v="Note a" @3
footnote "b"
  footnote_def @4
    blank v="\n"
    blockquote @5
      p @5
        text v="quote" @5
"#,
            r##"<p>One<sup id="fnref:a" role="doc-noteref"><a href="#fn:a" class="footnote" rel="footnote">1</a></sup> and<sup id="fnref:b" role="doc-noteref"><a href="#fn:b" class="footnote" rel="footnote">2</a></sup>.</p>

<div class="footnotes" role="doc-endnotes">
  <ol>
    <li id="fn:a" role="doc-endnote">
      <p>Note a</p>
    </li>
    <li id="fn:b" role="doc-endnote">

      <blockquote>
        <p>quote</p>
      </blockquote>
      <p></p>
    </li>
  </ol>
</div>
"##,
            o,
        );
    }

    #[test]
    fn footnote_options() {
        // Markdown:
        // One[^a] two[^b] one again[^a].
        //
        // [^a]: Note a
        // [^b]: Note b
        //
        //     ```
        //     code
        //     ```
        // Options: {footnote_nr: 5, footnote_backlink_inline: true, footnote_prefix: "p-", footnote_backlink: "<back> &amp;"}
        let o = opts(|o| {
            o.footnote_nr = 5;
            o.footnote_backlink_inline = true;
            o.footnote_prefix = "p-".into();
            o.footnote_backlink = "<back> &amp;".into();
        });
        check_with(
            r#"root @1
  p @1
    text v="One" @1
    footnote @1 name="a"
    text v=" two" @1
    footnote @1 name="b"
    text v=" one again" @1
    footnote @1 name="a"
    text v="." @1
  blank v="\n"
footnote "a"
  footnote_def @3
    p @3
      text v="Note a" @3
footnote "b"
  footnote_def @4
    p @4
      text v="Note b" @4
    blank v="\n"
    codeblock v="code\n" @6
"#,
            r##"<p>One<sup id="fnref:p-a" role="doc-noteref"><a href="#fn:p-a" class="footnote" rel="footnote">5</a></sup> two<sup id="fnref:p-b" role="doc-noteref"><a href="#fn:p-b" class="footnote" rel="footnote">6</a></sup> one again<sup id="fnref:p-a:1" role="doc-noteref"><a href="#fn:p-a" class="footnote" rel="footnote">5</a></sup>.</p>

<div class="footnotes" role="doc-endnotes">
  <ol start="5">
    <li id="fn:p-a" role="doc-endnote">
      <p>Note a <a href="#fnref:p-a" class="reversefootnote" role="doc-backlink">&lt;back&gt; &amp;</a> <a href="#fnref:p-a:1" class="reversefootnote" role="doc-backlink">&lt;back&gt; &amp;<sup>2</sup></a></p>
    </li>
    <li id="fn:p-b" role="doc-endnote">
      <p>Note b</p>

      <div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code>code
</code></pre></div>      </div>
      <p><a href="#fnref:p-b" class="reversefootnote" role="doc-backlink">&lt;back&gt; &amp;</a></p>
    </li>
  </ol>
</div>
"##,
            o,
        );
    }

    #[test]
    fn header_offset() {
        // Markdown:
        // # One
        //
        // ###### Six
        //
        // ## Two
        // Options: {header_offset: 2}
        let o = opts(|o| {
            o.header_offset = 2;
        });
        check_with(
            r#"root @1
  header a:id="one" @1 level=1 raw="One"
    text v="One" @1
  blank v="\n"
  header a:id="six" @3 level=6 raw="Six"
    text v="Six" @3
  blank v="\n"
  header a:id="two" @5 level=2 raw="Two"
    text v="Two" @5
"#,
            r#"<h3 id="one">One</h3>

<h6 id="six">Six</h6>

<h4 id="two">Two</h4>
"#,
            o,
        );
    }

    #[test]
    fn kramdown_input_ids() {
        // Markdown:
        // # Hello World
        //
        // # Hello World
        //
        // # 123 Numbers first
        //
        // # 한글만
        //
        // ## Auto *id* & stuff
        // {: #given}
        // Options: {input: "kramdown"}
        let o = opts(|o| {
            o.gfm = false;
        });
        check_with(
            r#"root @1
  header @1 level=1 raw="Hello World"
    text v="Hello World" @1
  blank v="\n"
  header @3 level=1 raw="Hello World"
    text v="Hello World" @3
  blank v="\n"
  header @5 level=1 raw="123 Numbers first"
    text v="123 Numbers first" @5
  blank v="\n"
  header @7 level=1 raw="한글만"
    text v="한글만" @7
  blank v="\n"
  header a:id="given" @9 level=2 raw="Auto *id* & stuff"
    text v="Auto " @9
    em @9
      text v="id" @9
    text v=" & stuff" @9
"#,
            r#"<h1 id="hello-world">Hello World</h1>

<h1 id="hello-world-1">Hello World</h1>

<h1 id="numbers-first">123 Numbers first</h1>

<h1 id="section">한글만</h1>

<h2 id="given">Auto <em>id</em> &amp; stuff</h2>
"#,
            o,
        );
    }

    #[test]
    fn no_highlighter() {
        // Markdown:
        // ```ruby
        // x = 1
        // ```
        //
        //     plain
        //
        // Code `a`{: .language-ruby} and `b`.
        //
        // ```foo
        //   lead	tab
        // mid  dle trail
        // ```
        // {: .show-whitespaces}
        // Options: {syntax_highlighter: nil}
        let o = opts(|o| {
            o.syntax_highlighter = None;
        });
        check_with(
            r#"root @1
  codeblock v="x = 1\n" a:class="language-ruby" @1 lang="ruby"
  blank v="\n"
  codeblock v="plain\n" @5
  blank v="\n"
  p @7
    text v="Code " @7
    codespan v="a" a:class="language-ruby" @7
    text v=" and " @7
    codespan v="b" @7
    text v="." @7
  blank v="\n"
  codeblock v="  lead\ttab  \nmid  dle trail   \n" a:class="language-foo show-whitespaces" @9 lang="foo"
"#,
            r#"<pre><code class="language-ruby">x = 1
</code></pre>

<pre><code>plain
</code></pre>

<p>Code <code class="language-ruby">a</code> and <code>b</code>.</p>

<pre class="show-whitespaces"><code class="language-foo"><span class="ws-space-l">&#8901;</span><span class="ws-space-l">&#8901;</span>lead<span class="ws-tab">	</span>tab<span class="ws-space-r">&#8901;</span><span class="ws-space-r">&#8901;</span>
mid<span class="ws-space">&#8901;</span><span class="ws-space">&#8901;</span>dle<span class="ws-space">&#8901;</span>trail<span class="ws-space-r">&#8901;</span><span class="ws-space-r">&#8901;</span><span class="ws-space-r">&#8901;</span>
</code></pre>
"#,
            o,
        );
    }

    #[test]
    fn no_math_engine() {
        // Markdown:
        // Inline $$a < b$$ and
        //
        // $$
        // x < y
        // $$
        //
        // $$z$${: .c}
        // Options: {math_engine: nil}
        let o = opts(|o| {
            o.math_engine = None;
        });
        check_with(
            r#"root @1
  p @1
    text v="Inline " @1
    math v="a < b" @1 cat=span
    text v=" and" @1
  blank v="\n"
  math v="x < y" @3 cat=block
  blank v="\n"
  math v="z" a:class="c" @7 cat=block
"#,
            r#"<p>Inline <span class="kdmath">$a < b$</span> and</p>

<div class="kdmath">$$
x < y
$$</div>

<div class="c kdmath">$$
z
$$</div>
"#,
            o,
        );
    }

    #[test]
    fn toc_levels() {
        // Markdown:
        // * x
        // {:toc}
        //
        // # A
        //
        // ## B
        //
        // ### C
        //
        // ## D
        // Options: {toc_levels: [2]}
        let o = opts(|o| {
            o.toc_levels = vec![2];
        });
        check_with(
            r#"root @1
  ul @1 refs="toc"
    li @1
      p @1 transparent
        text v="x" @1
  blank v="\n"
  header a:id="a" @4 level=1 raw="A"
    text v="A" @4
  blank v="\n"
  header a:id="b" @6 level=2 raw="B"
    text v="B" @6
  blank v="\n"
  header a:id="c" @8 level=3 raw="C"
    text v="C" @8
  blank v="\n"
  header a:id="d" @10 level=2 raw="D"
    text v="D" @10
"#,
            r##"<ul id="markdown-toc">
  <li><a href="#b" id="markdown-toc-b">B</a></li>
  <li><a href="#d" id="markdown-toc-d">D</a></li>
</ul>

<h1 id="a">A</h1>

<h2 id="b">B</h2>

<h3 id="c">C</h3>

<h2 id="d">D</h2>
"##,
            o,
        );
    }

    #[test]
    fn typo_symbols() {
        // Markdown:
        // "Quotes" -- and --- and ... and << x >>
        // Options: {typographic_symbols: {hellip: "...", mdash: "<--->"}, smart_quotes: [171, 187, "lsaquo", "rsaquo"]}
        let o = opts(|o| {
            o.typographic_symbols = vec![
                ("hellip".into(), "...".into()),
                ("mdash".into(), "<--->".into()),
            ];
            o.smart_quotes = ["171", "187", "lsaquo", "rsaquo"].map(String::from);
        });
        check_with(
            r#"root @1
  p @1
    smart_quote v="ldquo" @1
    text v="Quotes" @1
    smart_quote v="rdquo" @1
    text v=" " @1
    typographic_sym v="ndash" @1
    text v=" and " @1
    typographic_sym v="mdash" @1
    text v=" and " @1
    typographic_sym v="hellip" @1
    text v=" and " @1
    typographic_sym v="laquo_space" @1
    text v="x" @1
    typographic_sym v="raquo_space" @1
"#,
            r#"<p>‹Quotes› – and &lt;---&gt; and ... and « x »</p>
"#,
            o,
        );
    }

    #[test]
    fn code_nested() {
        // Markdown:
        // > ```ruby
        // > a = 1
        // > ```
        // >
        // >     indented in quote
        //
        // 1. list
        //
        //    ```guess
        //    x
        //    ```
        //
        //    ```?foo=1
        //    y
        //    ```
        //
        // ```
        // ```
        //
        // ```ruby
        // no newline end```
        //
        // - $$
        //   a < b
        //   $$
        //   {: .m}
        check(
            r#"root @1
  blockquote @1
    codeblock v="a = 1\n" a:class="language-ruby" @1 lang="ruby"
    blank v="\n"
    codeblock v="indented in quote\n" @5
  blank v="\n"
  ol @7
    li @7
      p @7
        text v="list" @7
      blank v="\n"
      codeblock v="x\n" a:class="language-guess" @9 lang="guess"
      blank v="\n"
      codeblock v="y\n" a:class="language-?foo=1" @13 lang="?foo=1"
  blank v="\n"
  codeblock v="" @17
  blank v="\n"
  p @20
    codespan v="ruby\nno newline end" @20
  blank v="\n"
  ul @23
    li @23
      math v="a < b" a:class="m" @23 cat=block
"#,
            r#"<blockquote>
  <div class="language-ruby highlighter-rouge"><div class="highlight"><pre class="highlight"><code><span class="n">a</span> <span class="o">=</span> <span class="mi">1</span>
</code></pre></div>  </div>

  <div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code>indented in quote
</code></pre></div>  </div>
</blockquote>

<ol>
  <li>
    <p>list</p>

    <div class="language-guess highlighter-rouge"><div class="highlight"><pre class="highlight"><code>x
</code></pre></div>    </div>

    <pre><code class="language-?foo=1">y
</code></pre>
  </li>
</ol>

<div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code></code></pre></div></div>

<p><code class="language-plaintext highlighter-rouge">ruby
no newline end</code></p>

<ul>
  <li>
    <div class="m">\[a &lt; b\]
</div>
  </li>
</ul>
"#,
        );
    }

    #[test]
    fn html_nested() {
        // Markdown:
        // * item
        //
        //   <div markdown="1">
        //   inner *md*
        //
        //   <div>
        //   deep raw
        //   </div>
        //   </div>
        //
        // <div/>
        //
        // <textarea></textarea>
        //
        // <iframe src="x"></iframe>
        //
        // <details markdown="1">
        // <summary>Sum *mary*</summary>
        //
        // Body text.
        // </details>
        //
        // <table>
        //   <tr><td>raw cell</td></tr>
        // </table>
        //
        // <div markdown="span">span *content*</div>
        //
        // <video src="v.mp4">
        // </video>
        //
        // Para with <!-- inline comment --> and <span/> and <br/> and <img src="x" alt="y"/> and <abbr title="t">ab</abbr>.
        //
        // <p markdown="1">P *with* md</p>
        check(
            r#"root @1
  ul @1
    li @1
      p @1
        text v="item" @1
      blank v="\n"
      html_element v="div" @3 cat=block cm=block
        p @4
          text v="inner " @4
          em @4
            text v="md" @4
        blank v="\n"
        html_element v="div" @6 cat=block cm=raw
          text v="\ndeep raw\n" @6
  blank v="\n"
  html_element v="div" @11 cat=block cm=raw closed
  blank v="\n\n"
  html_element v="textarea" @13 cat=block cm=raw
  blank v="\n"
  html_element v="iframe" a:src="x" @15 cat=block cm=raw
  blank v="\n"
  html_element v="details" @17 cat=block cm=block
    html_element v="summary" @18 cat=block cm=raw
      text v="Sum *mary*" @18
    blank v="\n"
    p @20
      text v="Body text." @20
  blank v="\n"
  html_element v="table" @23 cat=block cm=raw
    text v="\n  " @23
    html_element v="tr" @24 cat=block cm=raw
      html_element v="td" @24 cat=block cm=raw
        text v="raw cell" @24
    text v="\n" @24
  blank v="\n"
  html_element v="div" @27 cat=block cm=span
    text v="span " @27
    em @27
      text v="content" @27
  blank v="\n"
  html_element v="video" a:src="v.mp4" @29 cat=block cm=raw
    text v="\n" @29
  blank v="\n"
  p @32
    text v="Para with " @32
    xml_comment v="<!-- inline comment -->" @32 cat=span
    text v=" and " @32
    html_element v="span" @32 cat=span cm=span closed
    text v=" and " @32
    html_element v="br" @32 cat=span cm=raw closed
    text v=" and " @32
    html_element v="img" a:src="x" a:alt="y" @32 cat=span cm=raw closed
    text v=" and " @32
    html_element v="abbr" a:title="t" @32 cat=span cm=span
      text v="ab" @32
    text v="." @32
  blank v="\n"
  html_element v="p" @34 cat=block cm=span
    text v="P " @34
    em @34
      text v="with" @34
    text v=" md" @34
"#,
            r#"<ul>
  <li>
    <p>item</p>

    <div>
      <p>inner <em>md</em></p>

      <div>
deep raw
</div>
    </div>
  </li>
</ul>

<div />

<textarea></textarea>

<iframe src="x"></iframe>

<details>
  <summary>Sum *mary*</summary>

  <p>Body text.</p>
</details>

<table>
  <tr><td>raw cell</td></tr>
</table>

<div>span <em>content</em></div>

<video src="v.mp4">
</video>

<p>Para with <!-- inline comment --> and <span></span> and <br /> and <img src="x" alt="y" /> and <abbr title="t">ab</abbr>.</p>

<p>P <em>with</em> md</p>
"#,
        );
    }

    #[test]
    fn ial_attrs() {
        // Markdown:
        // > quote
        // {: .q title="a &amp; b < c" data-x='"q"'}
        //
        // * item
        // {: .list}
        //
        // ---
        // {: .rule}
        //
        // | a |
        // |---|
        // | b |
        // {: .tbl}
        //
        // ## Header with &amp; `code` {#h-id .cls}
        //
        // * {: .li-class} item with li ial
        // * plain
        //
        // ![Both](p.png){:standalone #imgid .imgcls}
        // {: #pid}
        //
        // ![Alt with "quotes" & <b>](x.png "T & t")
        check(
            r#"root @1
  blockquote a:class="q" a:title="a &amp; b < c" a:data-x="\"q\"" @1
    p @1
      text v="quote" @1
  blank v="\n"
  ul a:class="list" @4
    li @4
      p @4 transparent
        text v="item" @4
  blank v="\n"
  hr a:class="rule" @7
  blank v="\n"
  table a:class="tbl" @10 align=d
    thead
      tr
        td
          text v="a"
    tbody
      tr
        td
          text v="b"
  blank v="\n"
  header a:id="header-with--code-h-id-cls" @15 level=2 raw="Header with & code {#h-id .cls}"
    text v="Header with " @15
    entity e=38 @15 orig="&amp;"
    text v=" " @15
    codespan v="code" @15
    text v=" {#h-id .cls}" @15
  blank v="\n"
  ul @17
    li a:class="li-class" @17
      p @17 transparent
        text v="item with li ial" @17
    li @18
      p @18 transparent
        text v="plain" @18
  blank v="\n"
  p a:id="pid" @20
    img a:src="p.png" a:alt="Both" a:id="imgid" a:class="imgcls" @20 refs="standalone"
  blank v="\n"
  p @23
    text v="![Alt with " @23
    smart_quote v="ldquo" @23
    text v="quotes" @23
    smart_quote v="rdquo" @23
    text v=" & " @23
    html_element v="b" @23 cat=span cm=span
      text v="](x.png " @23
      smart_quote v="ldquo" @23
      text v="T & t" @23
      smart_quote v="rdquo" @23
      text v=")" @23
"#,
            r#"<blockquote class="q" title="a &amp; b &lt; c" data-x="&quot;q&quot;">
  <p>quote</p>
</blockquote>

<ul class="list">
  <li>item</li>
</ul>

<hr class="rule" />

<table class="tbl">
  <thead>
    <tr>
      <th>a</th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <td>b</td>
    </tr>
  </tbody>
</table>

<h2 id="header-with--code-h-id-cls">Header with &amp; <code class="language-plaintext highlighter-rouge">code</code> {#h-id .cls}</h2>

<ul>
  <li class="li-class">item with li ial</li>
  <li>plain</li>
</ul>

<figure id="pid" class="imgcls">
  <img src="p.png" alt="Both" id="imgid" />
  <figcaption>Both</figcaption>
</figure>

<p>![Alt with “quotes” &amp; <b>](x.png “T &amp; t”)</b></p>
"#,
        );
    }

    #[test]
    fn misc2() {
        // Markdown:
        // *
        // * after empty
        //
        // Term with [link](u) and footnote[^f]
        // : def
        //
        // # Header with [^f] ref and [link](u)
        //
        // [^f]: Fn text
        //     with break.
        //
        // <mail@example.com> and <http://x.y/?a&b>
        //
        // Trailing text
        check(
            r#"root @1
  p @1
    text v="*" @1
  ul @2
    li @2
      p @2 transparent
        text v="after empty" @2
  blank v="\n"
  dl @4
    dt @5 raw="Term with link and footnote"
      text v="Term with "
      a a:href="u" @5
        text v="link" @5
      text v=" and footnote" @5
      footnote @5 name="f"
    dd @5
      p @5 transparent
        text v="def" @5
  blank v="\n"
  header a:id="header-with--ref-and-link" @7 level=1 raw="Header with  ref and link"
    text v="Header with " @7
    footnote @7 name="f"
    text v=" ref and " @7
    a a:href="u" @7
      text v="link" @7
  blank v="\n\n"
  p @12
    a a:href="mailto:mail@example.com" @12
      text v="mail@example.com" @12
    text v=" and " @12
    a a:href="http://x.y/?a&b" @12
      text v="http://x.y/?a&b" @12
  blank v="\n"
  p @14
    text v="Trailing text" @14
footnote "f"
  footnote_def @9
    p @9
      text v="Fn text" @9
      br @9
      text v="\nwith break." @9
"#,
            r##"<p>*</p>
<ul>
  <li>after empty</li>
</ul>

<dl>
  <dt>Term with <a href="u">link</a> and footnote<sup id="fnref:f" role="doc-noteref"><a href="#fn:f" class="footnote" rel="footnote">1</a></sup></dt>
  <dd>def</dd>
</dl>

<h1 id="header-with--ref-and-link">Header with <sup id="fnref:f:1" role="doc-noteref"><a href="#fn:f" class="footnote" rel="footnote">1</a></sup> ref and <a href="u">link</a></h1>

<p><a href="mailto:mail@example.com">mail@example.com</a> and <a href="http://x.y/?a&amp;b">http://x.y/?a&amp;b</a></p>

<p>Trailing text</p>
<div class="footnotes" role="doc-endnotes">
  <ol>
    <li id="fn:f" role="doc-endnote">
      <p>Fn text<br />
with break. <a href="#fnref:f" class="reversefootnote" role="doc-backlink">&#8617;</a> <a href="#fnref:f:1" class="reversefootnote" role="doc-backlink">&#8617;<sup>2</sup></a></p>
    </li>
  </ol>
</div>
"##,
        );
    }

    /// Postdesk's hooks on kramdown's tree of:
    ///
    /// # Title {#t}
    /// Para ![i](a.png) ![j](http://x/b.png)
    /// {: .c}
    /// … a list, code, math, HTML, a rule, a quote, a paragraph, a definition list, a figure
    #[test]
    fn hooks_sourcepos_and_image_src() {
        let doc = document(
            r#"root @1
  header a:id="t" @1 level=1 raw="Title"
    text v="Title" @1
  blank v="\n"
  p a:class="c" @3
    text v="Para " @3
    img a:src="a.png" a:alt="i" @3
    text v=" " @3
    img a:src="http://x/b.png" a:alt="j" @3
  blank v="\n"
  ul @6
    li @6
      p @6 transparent
        text v="a" @6
  blank v="\n"
  codeblock v="x\n" a:class="language-ruby" @8 lang="ruby"
  blank v="\n"
  math v="m" @12 cat=block
  blank v="\n"
  html_element v="div" @16 cat=block cm=raw
    text v="raw" @16
  blank v="\n"
  hr @18
  blank v="\n"
  blockquote @20
    p @20
      text v="q" @20
  blank v="\n"
  p @22
    text v="| a |\n|" @22
    typographic_sym v="mdash" @23
    text v="|" @23
  blank v="\n"
  dl @25
    dt @26 raw="T"
      text v="T"
    dd @26
      p @26 transparent
        text v="d" @26
  blank v="\n"
  p @28
    img a:src="s.png" a:alt="s" @28 refs="standalone"
"#,
            Options::default(),
        );
        let local = |src: &str| (!src.starts_with("http")).then(|| format!("file:///{src}"));
        let hooks = Hooks {
            image_src: Some(&local),
            sourcepos: true,
        };
        let expected = r#"<h1 data-sourcepos="1:1-1:1" id="t">Title</h1>

<p data-sourcepos="3:1-3:1" class="c">Para <img src="file:///a.png" alt="i" /> <img src="http://x/b.png" alt="j" /></p>

<ul data-sourcepos="6:1-6:1">
  <li>a</li>
</ul>

<div data-sourcepos="8:1-8:1" class="language-ruby highlighter-rouge"><div class="highlight"><pre class="highlight"><code>x
</code></pre></div></div>

<div data-sourcepos="12:1-12:1">\[m\]
</div>

<div data-sourcepos="16:1-16:1">raw</div>

<hr data-sourcepos="18:1-18:1" />

<blockquote data-sourcepos="20:1-20:1">
  <p>q</p>
</blockquote>

<p data-sourcepos="22:1-22:1">| a |
|—|</p>

<dl data-sourcepos="25:1-25:1">
  <dt>T</dt>
  <dd>d</dd>
</dl>

<figure data-sourcepos="28:1-28:1">
  <img src="file:///s.png" alt="s" />
  <figcaption>s</figcaption>
</figure>
"#;
        assert_eq!(to_html(&doc, &hooks), expected);
        // Without hooks: kramdown's own HTML.
        let plain = to_html(&doc, &Hooks::default());
        assert!(
            plain.starts_with("<h1 id=\"t\">Title</h1>\n\n<p class=\"c\">Para <img src=\"a.png\"")
        );
        assert!(plain.contains("\n\n\\[m\\]\n\n<div>raw</div>"));
    }

    #[test]
    fn escapes_as_kramdown_does() {
        let mut out = String::new();
        escape_html(
            &mut out,
            "a&b &amp; &#38; &#x26; &x:y-1.z; &#xZ; &; <\"> &가;",
            Escape::Text,
        );
        assert_eq!(
            out,
            "a&amp;b &amp; &#38; &#x26; &x:y-1.z; &amp;#xZ; &amp;; &lt;\"&gt; &amp;가;"
        );
        out.clear();
        escape_html(&mut out, "&amp; \"q\" <", Escape::Attribute);
        assert_eq!(out, "&amp; &quot;q&quot; &lt;");
        out.clear();
        escape_html(&mut out, "&amp; \"q\"", Escape::All);
        assert_eq!(out, "&amp;amp; \"q\"");
    }

    #[test]
    fn ids_and_classes_as_kramdown_makes_them() {
        assert_eq!(
            basic_generate_id("1. Intro\n2) Next Step"),
            "intronext-step"
        );
        assert_eq!(basic_generate_id("한글 Title 2!"), "title-2");
        let mut attr = vec![("class".to_owned(), "x language-ruby y".to_owned())];
        assert_eq!(
            extract_code_language_bang(&mut attr).as_deref(),
            Some("ruby")
        );
        assert_eq!(attr, [("class".to_owned(), "x  y".to_owned())]);
        let mut attr = vec![("class".to_owned(), "élanguage-x".to_owned())];
        assert_eq!(extract_code_language_bang(&mut attr), None);
        let mut attr = vec![("class".to_owned(), "foo language-c".to_owned())];
        add_syntax_highlighter_to_class_attr(&mut attr, Some("c"));
        assert_eq!(attr[0].1, "language-c foo language-c highlighter-rouge");
        assert!(contains_word("a no_toc", "no_toc"));
        assert!(!contains_word("no_tocs", "no_toc"));
    }
    #[test]
    fn footnote_nested() {
        // Markdown:
        // Top[^outer] and[^h].
        //
        // [^outer]: Outer with inner[^inner].
        // [^inner]: Inner *note*.
        // [^h]:
        //     ## Header last
        check(
            r#"root @1
  p @1
    text v="Top" @1
    footnote @1 name="outer"
    text v=" and" @1
    footnote @1 name="h"
    text v="." @1
  blank v="\n"
footnote "outer"
  footnote_def @3
    p @3
      text v="Outer with inner" @3
      footnote @3 name="inner"
      text v="." @3
footnote "h"
  footnote_def @5
    blank v="\n"
    header @6 level=2 raw="Header last"
      text v="Header last" @6
footnote "inner"
  footnote_def @4
    p @4
      text v="Inner " @4
      em @4
        text v="note" @4
      text v="." @4
"#,
            r##"<p>Top<sup id="fnref:outer" role="doc-noteref"><a href="#fn:outer" class="footnote" rel="footnote">1</a></sup> and<sup id="fnref:h" role="doc-noteref"><a href="#fn:h" class="footnote" rel="footnote">2</a></sup>.</p>

<div class="footnotes" role="doc-endnotes">
  <ol>
    <li id="fn:outer" role="doc-endnote">
      <p>Outer with inner<sup id="fnref:inner" role="doc-noteref"><a href="#fn:inner" class="footnote" rel="footnote">3</a></sup>. <a href="#fnref:outer" class="reversefootnote" role="doc-backlink">&#8617;</a></p>
    </li>
    <li id="fn:h" role="doc-endnote">

      <h2 id="header-last">Header last</h2>
      <p><a href="#fnref:h" class="reversefootnote" role="doc-backlink">&#8617;</a></p>
    </li>
    <li id="fn:inner" role="doc-endnote">
      <p>Inner <em>note</em>. <a href="#fnref:inner" class="reversefootnote" role="doc-backlink">&#8617;</a></p>
    </li>
  </ol>
</div>
"##,
        );
    }

    #[test]
    fn header_ids_empty() {
        // Markdown:
        // # !!!
        //
        // # ...
        //
        // # "Quoted" &amp; <code>
        //
        // # Title {#}
        check(
            r#"root @1
  header a:id="" @1 level=1 raw="!!!"
    text v="!!!" @1
  blank v="\n"
  header a:id="-1" @3 level=1 raw="…"
    typographic_sym v="hellip" @3
  blank v="\n"
  header a:id="quoted--" @5 level=1 raw="“Quoted” & "
    smart_quote v="ldquo" @5
    text v="Quoted" @5
    smart_quote v="rdquo" @5
    text v=" " @5
    entity e=38 @5 orig="&amp;"
    text v=" " @5
    html_element v="code" @5 cat=span cm=raw
  blank v="\n"
  header a:id="title-" @7 level=1 raw="Title {#}"
    text v="Title {#}" @7
"#,
            r#"<h1>!!!</h1>

<h1 id="-1">…</h1>

<h1 id="quoted--">“Quoted” &amp; <code></code></h1>

<h1 id="title-">Title {#}</h1>
"#,
        );
    }

    #[test]
    fn raw_html_comments() {
        // Markdown:
        // <div>
        // <!-- inside raw -->
        // <?xml inside ?>
        // </div>
        //
        // <div markdown="1">
        // <!-- inside block -->
        //
        // text
        // </div>
        //
        // [a link](http://x.com/?a=1&amp;b=2 "T &amp; &quot;q&quot;") and [b](<u v> "t")
        check(
            r#"root @1
  html_element v="div" @1 cat=block cm=raw
    text v="\n" @1
    xml_comment v="<!-- inside raw -->" @2 cat=block
    text v="\n" @2
    xml_pi v="<?xml inside ?>" @3 cat=block
    text v="\n" @3
  blank v="\n"
  html_element v="div" @6 cat=block cm=block
    xml_comment v="<!-- inside block -->" @7 cat=block
    blank v="\n"
    p @9
      text v="text" @9
  blank v="\n"
  p @12
    a a:href="http://x.com/?a=1&amp;b=2" a:title="T &amp; &quot;q&quot;" @12
      text v="a link" @12
    text v=" and " @12
    a a:href="u v" a:title="t" @12
      text v="b" @12
"#,
            r#"<div>
<!-- inside raw -->
<?xml inside ?>
</div>

<div>
  <!-- inside block -->

  <p>text</p>
</div>

<p><a href="http://x.com/?a=1&amp;b=2" title="T &amp; &quot;q&quot;">a link</a> and <a href="u v" title="t">b</a></p>
"#,
        );
    }

    /// Cells with their own style, and a cell past the alignments (a tree built by hand in
    /// Ruby and converted by `Kramdown::Converter::Html`).
    #[test]
    fn table_cell_styles() {
        check(
            r#"root @1
  table @1 align=c
    tbody @1
      tr @1
        td a:style="color: red" a:class="c" @1
          text v="x" @1
        td @1
"#,
            "<table>\n  <tbody>\n    <tr>\n      <td style=\"color: red; text-align: center\" \
             class=\"c\">x</td>\n      <td style=\"text-align: \">\u{a0}</td>\n    </tr>\n  \
             </tbody>\n</table>\n",
        );
    }

    /// `image_src` on `<img>` tags of the markdown (`Text <img src="a.png" alt="x"> end`).
    #[test]
    fn image_src_hook_on_html_images() {
        let doc = document(
            r#"root @1
  p @1
    text v="Text " @1
    html_element v="img" a:src="a.png" a:alt="x" @1 cat=span cm=raw
    text v=" end" @1
"#,
            Options::default(),
        );
        let local = |src: &str| Some(format!("asset://{src}"));
        let hooks = Hooks {
            image_src: Some(&local),
            sourcepos: false,
        };
        assert_eq!(
            to_html(&doc, &hooks),
            "<p>Text <img src=\"asset://a.png\" alt=\"x\" /> end</p>\n"
        );
    }
}
