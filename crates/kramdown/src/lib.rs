//! kramdown 2.4 with kramdown-parser-gfm 1.1 — the markdown Jekyll publishes (`markdown: kramdown`,
//! `input: GFM`) — in Rust, rule by rule: the block parsers in kramdown's order, its span parsers,
//! and its HTML converter.
//!
//! Written from kramdown's Ruby source (© Thomas Leitner, MIT: <https://kramdown.gettalong.org>)
//! and kramdown-parser-gfm's (MIT); each module names the Ruby file it follows. Differences from
//! the Ruby are listed where they are made.
//!
//! Not for: Liquid, Jekyll's site settings, sanitizing (the engine does those around it).

mod block;
mod convert;
mod entities;
mod extensions;
mod html;
mod list;
mod scanner;
mod span;
mod table;
pub mod tree;

use std::collections::HashMap;
use std::mem;

pub use convert::{to_html, Hooks};
use scanner::Scanner;
use tree::{Element, Ial, Type};

/// kramdown's options (kramdown/options.rb) with Jekyll 4.3's defaults
/// (`Jekyll::Configuration::DEFAULTS["kramdown"]` and `KramdownParser#setup`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `input: GFM` (Jekyll's default) or `input: kramdown`.
    pub gfm: bool,
    pub hard_wrap: bool,
    /// `gfm_quirks: paragraph_end` (the default).
    pub quirk_paragraph_end: bool,
    /// `gfm_quirks: no_auto_typographic`.
    pub quirk_no_auto_typographic: bool,
    pub auto_ids: bool,
    pub auto_id_prefix: String,
    pub auto_id_stripping: bool,
    pub transliterated_header_ids: bool,
    pub toc_levels: Vec<u8>,
    pub parse_block_html: bool,
    pub parse_span_html: bool,
    pub html_to_native: bool,
    pub footnote_nr: u32,
    pub footnote_backlink: String,
    pub footnote_backlink_inline: bool,
    pub footnote_prefix: String,
    /// `entity_output`: `as_char` (Jekyll), `as_input`, `numeric`, `symbolic`.
    pub entity_output: String,
    /// The four entity names of `smart_quotes` (`lsquo,rsquo,ldquo,rdquo`).
    pub smart_quotes: [String; 4],
    /// `typographic_symbols`: a symbol's name (`hellip`) and what to write instead.
    pub typographic_symbols: Vec<(String, String)>,
    pub header_offset: i32,
    /// `syntax_highlighter`: `rouge` in Jekyll (its wrapper is written; tokens are not coloured).
    pub syntax_highlighter: Option<String>,
    /// `syntax_highlighter_opts.default_lang` (Jekyll: `plaintext`).
    pub default_lang: Option<String>,
    /// `math_engine`: `mathjax` (the default) or none.
    pub math_engine: Option<String>,
    pub remove_block_html_tags: bool,
    pub remove_span_html_tags: bool,
    pub remove_line_breaks_for_cjk: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            gfm: true,
            hard_wrap: false,
            quirk_paragraph_end: true,
            quirk_no_auto_typographic: false,
            auto_ids: true,
            auto_id_prefix: String::new(),
            auto_id_stripping: false,
            transliterated_header_ids: false,
            toc_levels: (1..=6).collect(),
            parse_block_html: false,
            parse_span_html: true,
            html_to_native: false,
            footnote_nr: 1,
            footnote_backlink: "&#8617;".into(),
            footnote_backlink_inline: false,
            footnote_prefix: String::new(),
            entity_output: "as_char".into(),
            smart_quotes: ["lsquo", "rsquo", "ldquo", "rdquo"].map(String::from),
            typographic_symbols: Vec::new(),
            header_offset: 0,
            syntax_highlighter: Some("rouge".into()),
            default_lang: Some("plaintext".into()),
            math_engine: Some("mathjax".into()),
            remove_block_html_tags: true,
            remove_span_html_tags: false,
            remove_line_breaks_for_cjk: false,
        }
    }
}

/// A footnote definition (`[^name]: …`) as the parser keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FootnoteDef {
    pub content: Element,
    /// A marker refers to it (unreferenced definitions are dropped with a warning).
    pub referenced: bool,
    /// The definition ended at an end-of-block marker `^` (`:eob`).
    pub eob: bool,
}

/// A parsed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub root: Element,
    /// Footnote definitions by name; markers (`Type::Footnote`) carry the name in
    /// `options.rare().name`.
    pub footnotes: HashMap<String, FootnoteDef>,
    /// Abbreviations (`*[HTML]: …`): the title of each.
    pub abbrev_defs: HashMap<String, String>,
    /// Attributes an IAL after an abbreviation definition gives it.
    pub abbrev_attr: HashMap<String, Vec<(String, String)>>,
    /// The options as the document left them (`{::options … /}` can change some).
    pub options: Options,
    pub warnings: Vec<String>,
}

/// Parses `source` as kramdown does with `options`.
pub fn parse(source: &str, options: &Options) -> Document {
    parse_unnumbered(source, options).number(&HashMap::new())
}

/// Parses `source` up to GFM's last pass, which numbers automatic header ids: a part of a
/// document can be numbered on from the parts before it (see [`Unnumbered::number`]).
pub fn parse_unnumbered(source: &str, options: &Options) -> Unnumbered {
    let mut parser = Parser::new(options.clone());
    let mut root = Element::new(Type::Root).at(1);
    root = parser.parse_blocks(root, Some(adapt_source(source))).0;
    parser.update_tree(&mut root);
    parser.correct_abbreviations_attributes();
    parser.replace_abbreviations(&mut root);
    let names: Vec<String> = parser.footnotes.keys().cloned().collect();
    for name in names {
        let def = parser.footnotes.get_mut(&name).expect("listed");
        let mut content = mem::replace(&mut def.content, Element::new(Type::Temp));
        parser.update_tree(&mut content);
        parser.replace_abbreviations(&mut content);
        parser.footnotes.get_mut(&name).expect("listed").content = content;
    }
    Unnumbered { parser, root }
}

/// A document parsed but for GFM's last pass (hard line breaks, automatic header ids).
pub struct Unnumbered {
    parser: Parser,
    pub root: Element,
}

impl Unnumbered {
    /// Whether an HTML element was left without its end tag (kramdown closed it at the end of
    /// the text it was in, so what follows the text could have been inside it).
    pub fn left_open(&self) -> bool {
        self.parser
            .warnings
            .iter()
            .any(|w| w.starts_with("Found no end tag"))
    }

    /// The automatic ids GFM's pass gives the headers, before numbering (`a` for what becomes
    /// `a-1`), in order; empty when it gives none.
    pub fn header_bases(&self) -> Vec<String> {
        fn walk(el: &Element, out: &mut Vec<String>) {
            for child in &el.children {
                match child.kind {
                    Type::HtmlElement => {}
                    Type::Header if child.attr("id").is_none() => {
                        out.push(block::gfm_id_base(
                            child.options.rare().raw_text.as_deref().unwrap_or(""),
                        ));
                    }
                    _ => walk(child, out),
                }
            }
        }
        let mut out = Vec::new();
        if self.parser.options.gfm && self.parser.options.auto_ids {
            walk(&self.root, &mut out);
        }
        out
    }

    /// The document, its automatic header ids numbered on from `before` (how often each was
    /// given before this text).
    pub fn number(self, before: &HashMap<String, usize>) -> Document {
        let Unnumbered {
            mut parser,
            mut root,
        } = self;
        if parser.options.gfm {
            for (base, count) in before {
                parser.id_counter.insert(base.clone(), *count as i64 - 1);
            }
            parser.update_elements(&mut root);
        }
        Document {
            root,
            footnotes: parser.footnotes,
            abbrev_defs: parser.abbrev_defs,
            abbrev_attr: parser.abbrev_attr,
            options: parser.options,
            warnings: parser.warnings,
        }
    }
}

/// kramdown's `adapt_source`: `\r\n` and `\r` become `\n`, the text ends in exactly one `\n`
/// more than it had without its last newline.
fn adapt_source(source: &str) -> String {
    let mut text = if source.contains('\r') {
        source.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        source.to_owned()
    };
    if text.ends_with('\n') {
        text.pop();
    }
    text.push('\n');
    text
}

/// The block parsers, in the order kramdown tries them (`@block_parsers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockParser {
    BlankLine,
    Codeblock,
    CodeblockFenced,
    Blockquote,
    AtxHeader,
    HorizontalRule,
    List,
    DefinitionList,
    BlockHtml,
    SetextHeader,
    BlockMath,
    Table,
    FootnoteDefinition,
    LinkDefinition,
    AbbrevDefinition,
    BlockExtensions,
    EobMarker,
    Paragraph,
}

/// [`BlockParser`]s in kramdown's order; GFM's replacements are made where each is tried.
const BLOCK_PARSERS: [BlockParser; 18] = {
    use BlockParser::*;
    [
        BlankLine,
        Codeblock,
        CodeblockFenced,
        Blockquote,
        AtxHeader,
        HorizontalRule,
        List,
        DefinitionList,
        BlockHtml,
        SetextHeader,
        BlockMath,
        Table,
        FootnoteDefinition,
        LinkDefinition,
        AbbrevDefinition,
        BlockExtensions,
        EobMarker,
        Paragraph,
    ]
};

/// The span parsers, in kramdown's order (`@span_parsers`, GFM's changes applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SpanParser {
    Emphasis,
    Codespan,
    Autolink,
    SpanHtml,
    FootnoteMarker,
    Link,
    SmartQuotes,
    InlineMath,
    SpanExtensions,
    HtmlEntity,
    TypographicSyms,
    LineBreak,
    EscapedChars,
    Strikethrough,
}

/// Where `parse_spans` stops (its `stop_re` and block): `pattern` must match where the Ruby
/// regex matches (a Rust regex, without look-around); `accept` then decides, checking what
/// the Ruby regex's look-around said and what its block did. It runs with the scanner at the
/// match.
pub(crate) struct Stop<'a> {
    pub pattern: &'a str,
    pub accept: &'a mut dyn FnMut(&mut Parser) -> bool,
}

/// The parser's state: kramdown's instance variables.
pub(crate) struct Parser {
    pub options: Options,
    pub src: Scanner,
    /// The element being filled (`@tree`).
    pub tree: Element,
    /// `@block_ial`: the IAL waiting for the next block.
    pub block_ial: Option<Ial>,
    /// `@text_type`: `RawText` while parsing blocks, `Text` in spans.
    pub text_type: Type,
    pub alds: HashMap<String, Ial>,
    pub footnotes: HashMap<String, FootnoteDef>,
    /// Link definitions by normalized name: (url, title).
    pub link_defs: HashMap<String, (String, Option<String>)>,
    pub abbrev_defs: HashMap<String, String>,
    pub abbrev_attr: HashMap<String, Vec<(String, String)>>,
    pub warnings: Vec<String>,
    pub span_parsers: Vec<SpanParser>,
    /// The IAL given to a definition (after it, or as block IAL before it), by the kind of
    /// definition (`"link_def"`, `"abbrev_def"`, `"footnote_def"`) and its name: Ruby keeps
    /// it on the definition's `:eob` marker, which it keeps in `@link_defs` etc.
    pub def_ials: HashMap<(&'static str, String), Ial>,
    /// How many times each GFM header id was given (`@id_counter`).
    pub id_counter: HashMap<String, i64>,
    /// How deep `parse_blocks` / `parse_spans` are nested: hostile input is cut off.
    pub depth: usize,
    /// The kinds of the elements `parse_spans` is filling around `tree` (kramdown's `@stack` as
    /// the span parsers look at it: no emphasis in emphasis, no link in a link).
    pub span_stack: Vec<Type>,
}

/// Past this nesting of blocks or spans the rest is kept as text (Ruby would overflow its
/// stack at some depth too).
pub(crate) const MAX_DEPTH: usize = 200;

/// Every [`SpanParser`] in kramdown's order, GFM's strikethrough last (`Parser::new` leaves
/// out what the options turn off).
pub(crate) const SPAN_PARSERS: [SpanParser; 14] = {
    use SpanParser::*;
    [
        Emphasis,
        Codespan,
        Autolink,
        SpanHtml,
        FootnoteMarker,
        Link,
        SmartQuotes,
        InlineMath,
        SpanExtensions,
        HtmlEntity,
        TypographicSyms,
        LineBreak,
        EscapedChars,
        Strikethrough,
    ]
};

impl Parser {
    pub fn new(options: Options) -> Parser {
        use SpanParser::*;
        let mut span_parsers = SPAN_PARSERS.to_vec();
        let mut options = options;
        if options.gfm {
            options.auto_id_stripping = true;
            if options.hard_wrap {
                span_parsers.retain(|p| *p != LineBreak);
            }
            if options.quirk_no_auto_typographic {
                span_parsers.retain(|p| *p != TypographicSyms);
            }
        } else {
            span_parsers.retain(|p| *p != Strikethrough);
        }
        Parser {
            options,
            src: Scanner::new("", 1),
            tree: Element::new(Type::Root),
            block_ial: None,
            text_type: Type::RawText,
            alds: HashMap::new(),
            footnotes: HashMap::new(),
            link_defs: HashMap::new(),
            abbrev_defs: HashMap::new(),
            abbrev_attr: HashMap::new(),
            warnings: Vec::new(),
            span_parsers,
            def_ials: HashMap::new(),
            id_counter: HashMap::new(),
            depth: 0,
            span_stack: Vec::new(),
        }
    }

    pub fn warning(&mut self, text: impl Into<String>) {
        self.warnings.push(text.into());
    }

    /// kramdown's `parse_blocks(el, text)`: parses `text` (or, without it, the rest of the
    /// current source) into `el`'s children; returns `el` and whether a parser stopped the
    /// parsing (`throw :stop_block_parsing`).
    pub fn parse_blocks(&mut self, el: Element, text: Option<String>) -> (Element, bool) {
        let location = el.options.location;
        let saved_tree = mem::replace(&mut self.tree, el);
        let saved_ial = self.block_ial.take();
        let saved_src = text.map(|t| mem::replace(&mut self.src, Scanner::new(t, location)));
        self.depth += 1;
        let mut stopped = false;
        if self.depth > MAX_DEPTH {
            self.add_rest_as_text();
        }
        while !self.src.eos() && !stopped {
            let mut handled = false;
            for parser in BLOCK_PARSERS {
                match self.try_block(parser) {
                    BlockResult::NotHere => continue,
                    BlockResult::Handled => {
                        handled = true;
                        break;
                    }
                    BlockResult::Stop => {
                        handled = true;
                        stopped = true;
                        break;
                    }
                }
            }
            if !handled {
                self.warning("Warning: this should not occur - no block parser handled the line");
                let line = self.scan_line();
                self.add_text(&line);
            }
        }
        self.depth -= 1;
        if let Some(src) = saved_src {
            self.src = src;
        }
        self.block_ial = saved_ial;
        (mem::replace(&mut self.tree, saved_tree), stopped)
    }

    /// The rest of the current line, its `\n` included (`@src.scan(/.*\n/)`).
    pub fn scan_line(&mut self) -> String {
        let rest = self.src.rest();
        let len = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let line = rest[..len].to_owned();
        self.src.set_pos(self.src.pos() + len);
        line
    }

    /// One block parser at the current position.
    fn try_block(&mut self, parser: BlockParser) -> BlockResult {
        use BlockParser::*;
        let gfm = self.options.gfm;
        if !may_start(parser, self.src.rest().as_bytes(), gfm) {
            return BlockResult::NotHere;
        }
        let here = match parser {
            // `parse_blank_line` checks BLANK_LINE itself (by hand, `blank_line_len`).
            BlankLine => true,
            Codeblock => self.src.matches(&block::CODEBLOCK_START),
            CodeblockFenced if gfm => self.src.matches(&block::FENCED_CODEBLOCK_START_GFM),
            CodeblockFenced => self.src.matches(&block::FENCED_CODEBLOCK_START),
            Blockquote => self.src.matches(&block::BLOCKQUOTE_START),
            AtxHeader if gfm => block::atx_header_gfm(self.src.rest()).is_some(),
            AtxHeader => self.src.matches(&block::ATX_HEADER_START),
            // `parse_horizontal_rule` checks HR_START itself (by hand, `hr_line_len`).
            HorizontalRule => true,
            List => self.src.matches(&list::LIST_START),
            DefinitionList => self.src.matches(&list::DEFINITION_LIST_START),
            BlockHtml => self.src.matches(&html::HTML_BLOCK_START),
            SetextHeader => self.src.matches(&block::SETEXT_HEADER_START),
            BlockMath => self.src.matches(&block::BLOCK_MATH_START),
            Table => self.src.matches(&table::TABLE_START),
            FootnoteDefinition => self.src.matches(&block::FOOTNOTE_DEFINITION_START),
            LinkDefinition => self.src.matches(&block::LINK_DEFINITION_START),
            AbbrevDefinition => self.src.matches(&block::ABBREV_DEFINITION_START),
            BlockExtensions => self.src.matches(&extensions::BLOCK_EXTENSIONS_START),
            EobMarker => self.src.matches(&block::EOB_MARKER),
            Paragraph => paragraph_here(self.src.rest()),
        };
        if !here {
            return BlockResult::NotHere;
        }
        let done = match parser {
            BlankLine => self.parse_blank_line(),
            Codeblock => self.parse_codeblock(),
            CodeblockFenced => self.parse_codeblock_fenced(),
            Blockquote => self.parse_blockquote(),
            AtxHeader if gfm && self.options.quirk_paragraph_end => {
                self.parse_atx_header_gfm_quirk()
            }
            AtxHeader => self.parse_atx_header(),
            HorizontalRule => self.parse_horizontal_rule(),
            List => self.parse_list(),
            DefinitionList => self.parse_definition_list(),
            BlockHtml => return self.parse_block_html(),
            SetextHeader => self.parse_setext_header(),
            BlockMath => self.parse_block_math(),
            Table => self.parse_table(),
            FootnoteDefinition => self.parse_footnote_definition(),
            LinkDefinition => self.parse_link_definition(),
            AbbrevDefinition => self.parse_abbrev_definition(),
            BlockExtensions => self.parse_block_extensions(),
            EobMarker => self.parse_eob_marker(),
            Paragraph => self.parse_paragraph(),
        };
        if done {
            BlockResult::Handled
        } else {
            BlockResult::NotHere
        }
    }

    /// kramdown's `update_tree`: spans parsed in `raw_text`, `eob` markers applied and dropped,
    /// blank runs joined, IALs applied, header and `dt` raw text kept.
    pub fn update_tree(&mut self, element: &mut Element) {
        let location = element.options.location;
        let mut children = mem::take(&mut element.children);
        if let [only] = children.as_slice() {
            if only.kind == Type::RawText {
                // A paragraph's or header's text, the most common case: its spans are its children.
                let only = children.pop().expect("one child");
                element.children = self.parse_raw_text(only, location);
                return;
            }
        }
        let mut out: Vec<Element> = Vec::with_capacity(children.len());
        let mut last_blank: Option<usize> = None;
        for mut child in children {
            match child.kind {
                Type::RawText => {
                    last_blank = None;
                    out.extend(self.parse_raw_text(child, location));
                }
                Type::Eob => {
                    if let Some(ial) = child.options.ial.take() {
                        // The marker's own attributes go nowhere: it is dropped.
                        self.update_attr_with_ial(&mut child.attr, &ial);
                    }
                }
                Type::Blank => {
                    if let Some(i) = last_blank {
                        let more = child.value_str().to_owned();
                        out[i].value_mut().push_str(&more);
                    } else {
                        last_blank = Some(out.len());
                        out.push(child);
                    }
                }
                _ => {
                    last_blank = None;
                    self.update_tree(&mut child);
                    if let Some(ial) = child.options.ial.take() {
                        self.update_attr_with_ial(&mut child.attr, &ial);
                        child.options.ial = Some(ial);
                    }
                    if child.kind == Type::Dt
                        || (child.kind == Type::Header && self.options.auto_id_stripping)
                    {
                        self.update_raw_text(&mut child);
                    }
                    out.push(child);
                }
            }
        }
        element.children = out;
    }

    /// The spans of a `:raw_text` element of an element at `location`.
    fn parse_raw_text(&mut self, mut raw: Element, location: u32) -> Vec<Element> {
        let text = match mem::take(&mut raw.value) {
            tree::Value::Str(s) => s,
            _ => String::new(),
        };
        let env = self.save_env();
        self.src = Scanner::new(text, location);
        self.text_type = Type::Text;
        let (parsed, _) = self.parse_spans(raw, None, None, Some(Type::Text));
        self.restore_env(env);
        parsed.children
    }

    /// kramdown's `update_attr_with_ial`: the ALDs it refers to, then its own attributes
    /// (classes added, others set).
    pub fn update_attr_with_ial(&self, attr: &mut Vec<(String, String)>, ial: &Ial) {
        for name in &ial.refs {
            if let Some(ald) = self.alds.get(name) {
                let ald = ald.clone();
                self.update_attr_with_ial(attr, &ald);
            }
        }
        for (k, v) in &ial.attrs {
            if k == "class" {
                let joined = match attr.iter().find(|(n, _)| n == "class") {
                    Some((_, old)) => format!("{old} {v}").trim_start().to_owned(),
                    None => v.trim_start().to_owned(),
                };
                tree::set_attr(attr, "class", joined);
            } else {
                tree::set_attr(attr, k, v.clone());
            }
        }
    }

    /// GFM's `update_raw_text`: the text of a header or `dt` with entities, quotes and symbols
    /// as characters, for its id.
    fn update_raw_text(&self, item: &mut Element) {
        fn append(el: &Element, out: &mut String, gfm: bool) {
            match el.kind {
                Type::Text => out.push_str(el.value_str()),
                Type::Codespan | Type::Math if gfm => out.push_str(el.value_str()),
                Type::Entity if gfm => {
                    if let tree::Value::Entity(e) = &el.value {
                        out.extend(e.char());
                    }
                }
                Type::SmartQuote | Type::TypographicSym if gfm => match el.value_str() {
                    // A no-break space, as gfm.rb writes it.
                    "laquo_space" => out.push_str("«\u{a0}"),
                    "raquo_space" => out.push_str("\u{a0}»"),
                    name => out.extend(tree::Entity::from_name(name).and_then(|e| e.char())),
                },
                _ => {
                    for child in &el.children {
                        append(child, out, gfm);
                    }
                }
            }
        }
        let mut raw = String::new();
        append(item, &mut raw, self.options.gfm);
        item.options.rare_mut().raw_text = Some(raw);
    }

    /// kramdown's `parse_spans`: spans of the current source into `el` until the end, or
    /// until `stop` says so; returns `el` and whether `stop` was found. `parsers` limits the
    /// span parsers tried (in kramdown's order); `text_type` is what plain text becomes.
    pub fn parse_spans(
        &mut self,
        el: Element,
        mut stop: Option<Stop<'_>>,
        parsers: Option<&[SpanParser]>,
        text_type: Option<Type>,
    ) -> (Element, bool) {
        let saved_tree = mem::replace(&mut self.tree, el);
        self.span_stack.push(saved_tree.kind);
        let saved_type = self.text_type;
        if let Some(t) = text_type {
            self.text_type = t;
        }
        // A copy on the stack (the parsers may change `self.span_parsers` meanwhile).
        let mut buf = [SpanParser::Emphasis; 16];
        let list = parsers.unwrap_or(&self.span_parsers);
        buf[..list.len()].copy_from_slice(list);
        let parsers = &buf[..list.len()];
        // The union regex, built (or taken from its cache) once it is needed: without a stop
        // pattern `find_span_start` does its work.
        let stop_pattern = stop.as_ref().map(|s| s.pattern);
        let mut used = None;
        let stop_re = stop.as_ref().map(|s| span::cached_re(s.pattern));
        self.depth += 1;
        let mut stop_found = false;
        if self.depth > MAX_DEPTH {
            self.add_rest_as_text();
        }
        // Without a stop pattern, or with one whose matches start where a parser's do,
        // `find_span_start` finds where the union regex would match.
        let by_hand = stop_pattern.is_none_or(|p| span::stop_starts_at_parser_start(p, parsers));
        while !self.src.eos() && !stop_found {
            let found = if by_hand {
                span::find_span_start(self.src.string(), self.src.pos(), parsers)
                    .map(|start| start.map(|start| self.src.skip_to(start)))
            } else {
                None
            };
            let found = match found {
                Some(found) => found,
                None => self
                    .src
                    .scan_before(used.get_or_insert_with(|| span::start_re(parsers, stop_pattern))),
            };
            match found {
                Some(range) => {
                    let kind = self.text_type;
                    Self::add_text_to(&mut self.tree, &self.src.string()[range], kind);
                    if let (Some(stop), Some(stop_re)) = (stop.as_mut(), stop_re.as_ref()) {
                        if self.src.matches(stop_re) {
                            stop_found = (stop.accept)(self);
                        }
                    }
                    let mut processed = false;
                    if !stop_found {
                        for &p in parsers {
                            if self.try_span(p) {
                                processed = true;
                                break;
                            }
                        }
                    }
                    if !processed && !stop_found {
                        if let Some(c) = self.src.getch() {
                            self.add_text(c.encode_utf8(&mut [0; 4]));
                        }
                    }
                }
                None => {
                    if stop.is_none() {
                        self.add_rest_as_text();
                    }
                    break;
                }
            }
        }
        self.depth -= 1;
        self.text_type = saved_type;
        self.span_stack.pop();
        (mem::replace(&mut self.tree, saved_tree), stop_found)
    }

    /// The rest of the source as text (`add_text(@src.rest); @src.terminate`), not copied first.
    fn add_rest_as_text(&mut self) {
        Self::add_text_to(&mut self.tree, self.src.rest(), self.text_type);
        self.src.terminate();
    }

    /// kramdown's `add_text`: appended to the last child when it is text of the same type.
    pub fn add_text(&mut self, text: &str) {
        let kind = self.text_type;
        Self::add_text_to(&mut self.tree, text, kind);
    }

    pub fn add_text_to(tree: &mut Element, text: &str, kind: Type) {
        let tree_location = tree.options.location;
        match tree.children.last_mut() {
            Some(last) if last.kind == kind => last.value_mut().push_str(text),
            last => {
                if !text.is_empty() {
                    // Ruby: `last.options[:location] || tree.options[:location]` (a `del`
                    // has no location).
                    let location = last
                        .map(|l| l.options.location)
                        .filter(|&l| l != 0)
                        .unwrap_or(tree_location);
                    tree.children
                        .push(Element::with_value(kind, text).at(location));
                }
            }
        }
    }

    /// kramdown's `new_block_el`: the waiting block IAL goes to the new element.
    pub fn new_block_el(&mut self, mut el: Element) -> Element {
        if let Some(ial) = self.block_ial.take() {
            el.options.ial = Some(Box::new(ial));
        }
        el
    }

    /// `save_env`: what `reset_env` / `restore_env` swap.
    pub fn save_env(&mut self) -> Env {
        Env {
            src: mem::replace(&mut self.src, Scanner::new("", 1)),
            block_ial: self.block_ial.take(),
            text_type: self.text_type,
            span_stack: mem::take(&mut self.span_stack),
        }
    }

    pub fn restore_env(&mut self, env: Env) {
        self.src = env.src;
        self.block_ial = env.block_ial;
        self.text_type = env.text_type;
        self.span_stack = env.span_stack;
    }
}

/// `PARAGRAPH_START` (`^ {0,3}[^ \t].*?\n`) matches at the start of `rest`: after at most three
/// spaces a character not a blank (a `\n` too), and a `\n` after it.
fn paragraph_here(rest: &str) -> bool {
    let indent = rest.bytes().take(3).take_while(|&b| b == b' ').count();
    match rest[indent..].chars().next() {
        None | Some(' ' | '\t') => false,
        Some(c) => memchr::memchr(b'\n', &rest.as_bytes()[indent + c.len_utf8()..]).is_some(),
    }
}

/// Whether the start regex of `parser` can match at the start of `rest`: what each needs first
/// (after its ` {0,3}`), looked at before the regex runs. `false` only where the regex cannot
/// match.
fn may_start(parser: BlockParser, rest: &[u8], gfm: bool) -> bool {
    use BlockParser::*;
    let first = rest.first().copied();
    // The byte after at most three spaces.
    let indent = rest.iter().take(3).take_while(|&&b| b == b' ').count();
    let after = rest.get(indent).copied();
    let line_end = || memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
    match parser {
        BlankLine => first.is_some_and(block::is_space),
        Codeblock => matches!(first, Some(b'\t' | b' ')),
        CodeblockFenced if gfm => matches!(after, Some(b'~' | b'`')),
        CodeblockFenced => first == Some(b'~'),
        Blockquote => after == Some(b'>'),
        AtxHeader => first == Some(b'#'),
        HorizontalRule => matches!(after, Some(b'*' | b'-' | b'_')),
        List => matches!(after, Some(b'+' | b'*' | b'-' | b'0'..=b'9')),
        DefinitionList => after == Some(b':'),
        BlockHtml => after == Some(b'<'),
        SetextHeader => {
            // The underline starts a following line: the second, or the third when the
            // contents' first character is the line's `\n`.
            let first_end = line_end();
            let second_end = first_end
                + memchr::memchr(b'\n', &rest[first_end..])
                    .map_or(rest.len() - first_end, |i| i + 1);
            matches!(rest.get(first_end), Some(b'-' | b'='))
                || matches!(rest.get(second_end), Some(b'-' | b'='))
        }
        BlockMath => matches!(after, Some(b'\\' | b'$')),
        Table => memchr::memchr(b'|', &rest[..line_end()]).is_some(),
        FootnoteDefinition | LinkDefinition => after == Some(b'['),
        AbbrevDefinition => after == Some(b'*'),
        BlockExtensions => after == Some(b'{'),
        EobMarker => first == Some(b'^'),
        Paragraph => true,
    }
}

/// What one block parser did.
pub(crate) enum BlockResult {
    NotHere,
    Handled,
    /// `throw :stop_block_parsing`.
    Stop,
}

/// The parser state `save_env` keeps (the tree is kept by the callers of parse_* themselves).
pub(crate) struct Env {
    src: Scanner,
    block_ial: Option<Ial>,
    text_type: Type,
    /// `reset_env` starts with an empty `@stack`.
    span_stack: Vec<Type>,
}

/// Compiles a pattern once per process.
#[macro_export]
#[doc(hidden)]
macro_rules! re {
    ($name:ident = $pattern:expr) => {
        pub(crate) static $name: std::sync::LazyLock<$crate::scanner::Re> =
            std::sync::LazyLock::new(|| $crate::scanner::Re::new(&$pattern));
    };
}

/// Our tree of `markdown` against real kramdown's (`tools/dump-tree.rb` prints it, with
/// Jekyll's options): the tests' ground truth.
#[cfg(test)]
fn assert_tree(markdown: &str, expected: &str) {
    let doc = parse(markdown, &Options::default());
    assert_eq!(doc.root.dump(), expected, "{markdown:?}");
}

/// Every string of up to `len` characters of `alphabet`: the tests check hand-written matchers
/// against the regexes they replace on all of them.
#[cfg(test)]
fn strings(alphabet: &[char], len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = all.clone();
    for _ in 0..len {
        last = last
            .iter()
            .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scanner::Re;

    #[test]
    fn sources_end_in_one_newline() {
        assert_eq!(adapt_source("a\r\nb\rc\n\n"), "a\nb\nc\n\n");
        assert_eq!(adapt_source("a"), "a\n");
    }

    #[test]
    fn header_ids_take_guillemets_with_their_no_break_space() {
        // gfm.rb's raw text of `raquo_space` is "\u{a0}»", which the id leaves out whole.
        let doc = parse("### b >>\n\n# << a\n", &Options::default());
        let ids: Vec<_> = doc
            .root
            .children
            .iter()
            .filter_map(|h| h.attr("id"))
            .collect();
        assert_eq!(ids, ["b", "a"]);
    }

    #[test]
    fn line_starts_checked_by_hand_match_the_regexes() {
        let blank = Re::new(r"^[ \t\n\x0B\f\r]*\n");
        let paragraph = Re::new(r"^ {0,3}[^ \t].*?\n");
        for text in [
            "",
            "\n",
            " \n",
            "\t\n",
            " \r\n",
            "  ",
            "a",
            "a\n",
            "   a\n",
            "    a\n",
            "\ta\n",
            "   \n",
            "  \nb",
            " \u{3000}\n",
            "한\n",
            "\r\n",
            "\x0B\x0C\n",
            "\n\n",
            " x",
        ] {
            assert_eq!(
                block::blank_line_len(text),
                blank.end_at(text, 0),
                "{text:?}"
            );
            assert_eq!(
                paragraph_here(text),
                paragraph.matches_at(text, 0),
                "{text:?}"
            );
        }
    }

    #[test]
    fn re_is_anchored_where_asked() {
        let re = scanner::Re::new("b+");
        assert!(re.match_at("abb", 1).is_some());
        assert!(re.match_at("abb", 0).is_none());
    }
}
