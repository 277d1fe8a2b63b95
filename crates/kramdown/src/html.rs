//! HTML in markdown: kramdown's parser/kramdown/html.rb (block and span HTML, `markdown="…"`)
//! and the parts of parser/html.rb it includes (`Kramdown::Parser::Html::Parser`: start tags,
//! attributes, raw HTML, the element tables). Written from kramdown 2.4 (© Thomas Leitner, MIT).
//!
//! Not here: `html_to_native` (parser/html.rb's `ElementConverter`), which only runs with that
//! option on (Jekyll: off); the converter writes the elements this module makes.
//!
//! Ruby's HTML regexes use an atomic group (`HTML_TAG_RE`) and back-references (`("|').*?\3`),
//! which Rust's regexes cannot say: the start tag is matched by hand ([`match_tag`]) exactly as
//! the Ruby regex matches, and a quote is matched by two alternatives. A tag name is REXML's
//! `UNAME_STR`, whose `[[:alpha:]]`/`[[:alnum:]]` are Unicode in Ruby (Alphabetic, and
//! Alphabetic or Nd). Patterns matched at the scanner's position have no `^`: Ruby's
//! `StringScanner` takes the position as the start of the text, so `^` always holds there.

use std::hash::BuildHasherDefault;

use crate::tree::{Category, ContentModel, Element, Type};
use crate::{BlockResult, Parser, SpanParser, Stop};

/// REXML's `UNAME_STR`: an XML name with an optional prefix.
const NAME: &str = r"(?:[\p{Alphabetic}_][\-\p{Alphabetic}\p{Nd}._]*:)?[\p{Alphabetic}_][\-\p{Alphabetic}\p{Nd}._]*";

/// Ruby's `\s` (ASCII).
const WS: &str = r"[ \t\n\x0B\f\r]";

crate::re!(HTML_BLOCK_START = format!(r" {{0,3}}<(?:{NAME}|!--|/)"));
crate::re!(HTML_SPAN_START = format!(r"<(?:{NAME}|!--|/)"));

/// Where the span HTML parser may start, for the span parsers' union (kramdown's
/// `define_parser(:span_html, HTML_SPAN_START, '<')`): [`HTML_SPAN_START`] is then checked at
/// the position before [`Parser::parse_span_html`] runs.
pub(crate) const HTML_SPAN_START_STR: &str = "<";

crate::re!(NAME_RE = NAME);
crate::re!(HTML_COMMENT_RE = r"(?s)<!--(.*?)-->");
crate::re!(HTML_INSTRUCTION_RE = r"(?s)<\?(.*?)\?>");
crate::re!(HTML_TAG_CLOSE_RE = format!(r"</({NAME}){WS}*>"));
crate::re!(HTML_TAG_CLOSE_BLOCK_RE = format!(r" {{0,3}}</({NAME}){WS}*>"));
// Ruby's `\p{Word}+` (Rust's Unicode `\w`).
crate::re!(WORD_RUN = r"\w+");
crate::re!(TRAILING_WHITESPACE = r"[ \t]*\n");
crate::re!(HTML_RAW_START = format!(r"<(?:{NAME}|/|!--|\?)"));
/// `LAZY_END_HTML_SPAN_ELEMENTS` and `script`: paragraph.rb's negative look-ahead takes these
/// names followed by `\b` ([`lazy_end_span_name`]).
const LAZY_END_SPAN_NAMES: [&str; 39] = [
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "samp", "select", "small", "span", "strong", "sub", "sup", "tt", "u", "var",
    "script",
];
crate::re!(LAZY_END_HTML_STOP_TAIL = format!(r"(?s){NAME}{WS}*>"));

const HTML_CONTENT_MODEL_BLOCK: &[&str] = &[
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
const HTML_CONTENT_MODEL_SPAN: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "caption", "del", "dfn", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label", "legend", "optgroup", "p", "q",
    "rb", "rbc", "rp", "rt", "rtc", "ruby", "select", "small", "span", "strong", "sub", "sup",
    "th", "tt",
];
const HTML_CONTENT_MODEL_RAW: &[&str] = &[
    "script", "style", "math", "option", "textarea", "pre", "code", "kbd", "samp", "var",
];
const HTML_SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "samp", "select", "small", "span", "strong", "sub", "sup", "tt", "u", "var",
];
const HTML_BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "applet",
    "body",
    "blockquote",
    "caption",
    "col",
    "colgroup",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "head",
    "iframe",
    "legend",
    "menu",
    "li",
    "main",
    "map",
    "nav",
    "ol",
    "optgroup",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tfoot",
    "tr",
    "ul",
];
const HTML_ELEMENTS_WITHOUT_BODY: &[&str] = &[
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// `HTML_CONTENT_MODEL[name]` (`:raw` for a name it does not list).
pub(crate) fn html_content_model(name: &str) -> ContentModel {
    content_model_of(html_flags(name))
}

/// `HTML_CONTENT_MODEL` for a name with these `html_flags`.
fn content_model_of(flags: u8) -> ContentModel {
    if flags & CM_BLOCK != 0 {
        ContentModel::Block
    } else if flags & CM_SPAN != 0 {
        ContentModel::Span
    } else {
        ContentModel::Raw
    }
}

/// `HTML_ELEMENT[name]`: a name kramdown knows as HTML (its case is then ignored).
pub(crate) fn is_html_element(name: &str) -> bool {
    html_flags(name) != 0
}

const SPAN_EL: u8 = 1;
const BLOCK_EL: u8 = 2;
const NO_BODY: u8 = 4;
const CM_BLOCK: u8 = 8;
const CM_SPAN: u8 = 16;
const CM_RAW: u8 = 32;

/// FNV-1a: a quick hash for short names and patterns (the keys of the parser's own caches,
/// where SipHash's guard against chosen keys costs more than it is worth).
pub(crate) struct Fnv(u64);

/// A map hashed with [`Fnv`].
pub(crate) type FnvMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fnv>>;

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Which of kramdown's HTML name lists hold `name` (a bit each), looked up at once.
fn html_flags(name: &str) -> u8 {
    html_flag_map().get(name).copied().unwrap_or(0)
}

/// Every name on kramdown's HTML name lists, with the lists that hold it (a bit each).
fn html_flag_map() -> &'static FnvMap<&'static str, u8> {
    static FLAGS: std::sync::LazyLock<FnvMap<&'static str, u8>> = std::sync::LazyLock::new(|| {
        let mut map = FnvMap::default();
        for (list, bit) in [
            (HTML_SPAN_ELEMENTS, SPAN_EL),
            (HTML_BLOCK_ELEMENTS, BLOCK_EL),
            (HTML_ELEMENTS_WITHOUT_BODY, NO_BODY),
            (HTML_CONTENT_MODEL_BLOCK, CM_BLOCK),
            (HTML_CONTENT_MODEL_SPAN, CM_SPAN),
            (HTML_CONTENT_MODEL_RAW, CM_RAW),
        ] {
            for &name in list {
                *map.entry(name).or_insert(0) |= bit;
            }
        }
        map
    });
    &FLAGS
}

/// The name on kramdown's HTML name lists that `name` is in lower case, and the lists that
/// hold it ([`html_flags`]); `None` when it is on none. An ASCII name is lowered without a copy.
fn known_name(name: &str) -> Option<(&'static str, u8)> {
    let mut buffer = [0u8; 16];
    let lowered;
    let lower = match buffer.get_mut(..name.len()) {
        Some(lower) if name.is_ascii() => {
            lower.copy_from_slice(name.as_bytes());
            lower.make_ascii_lowercase();
            std::str::from_utf8(lower).ok()?
        }
        _ => {
            lowered = downcase(name);
            &lowered
        }
    };
    let (&known, &flags) = html_flag_map().get_key_value(lower)?;
    Some((known, flags))
}

/// `HTML_MARKDOWN_ATTR_MAP`: `None` stands for `:default` (the element's own content model).
fn markdown_attr(value: Option<&str>) -> Option<Option<ContentModel>> {
    match value? {
        "0" => Some(Some(ContentModel::Raw)),
        "1" => Some(None),
        "span" => Some(Some(ContentModel::Span)),
        "block" => Some(Some(ContentModel::Block)),
        _ => None,
    }
}

/// A start tag as `HTML_TAG_RE` matches it: the end of the match, group 1 (the name), group 2
/// (the attributes) and whether group 4 (`/` before `>`) took part.
pub(crate) struct Tag {
    pub end: usize,
    pub name: (usize, usize),
    pub attrs: (usize, usize),
    pub closed: bool,
}

fn skip_ws(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while i < bytes.len() && crate::block::is_space(bytes[i]) {
        i += 1;
    }
    i
}

/// `\s*(\/)?>` at `i`: the end and whether the `/` was there.
fn tag_end(text: &str, i: usize) -> Option<(usize, bool)> {
    let i = skip_ws(text, i);
    let rest = &text.as_bytes()[i..];
    if rest.starts_with(b"/>") {
        Some((i + 2, true))
    } else if rest.first() == Some(&b'>') {
        Some((i + 1, false))
    } else {
        None
    }
}

/// `\s*=\s*(?:\p{Word}+|("|').*?\3)` at `i` (inside the atomic group: its first match only).
fn attr_value(text: &str, i: usize) -> Option<usize> {
    let i = skip_ws(text, i);
    if text.as_bytes().get(i) != Some(&b'=') {
        return None;
    }
    let i = skip_ws(text, i + 1);
    if let Some(end) = word_end(text, i) {
        return Some(end);
    }
    let rest = &text[i..];
    let quote = *rest.as_bytes().first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    memchr::memchr(quote, &rest.as_bytes()[1..]).map(|j| i + 1 + j + 1)
}

/// `NAME_RE` anchored at `at`: by hand on ASCII names, by the regex when a character that
/// decides the match is not ASCII.
pub(crate) fn name_end(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let starts = |c: u8| c.is_ascii_alphabetic() || c == b'_';
    let run_end = |mut i: usize| {
        while bytes
            .get(i)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
        {
            i += 1;
        }
        i
    };
    let not_ascii = |i: usize| bytes.get(i).is_some_and(|&c| c >= 0x80);
    match bytes.get(at) {
        Some(&c) if starts(c) => {}
        _ if not_ascii(at) => return NAME_RE.end_at(text, at),
        _ => return None,
    }
    let end = run_end(at + 1);
    if not_ascii(end) {
        return NAME_RE.end_at(text, at);
    }
    // `prefix:name`, when a name follows the colon.
    if bytes.get(end) == Some(&b':') {
        match bytes.get(end + 1) {
            Some(&c) if starts(c) => {
                let local_end = run_end(end + 2);
                if not_ascii(local_end) {
                    return NAME_RE.end_at(text, at);
                }
                return Some(local_end);
            }
            _ if not_ascii(end + 1) => return NAME_RE.end_at(text, at),
            _ => {}
        }
    }
    Some(end)
}

/// `HTML_TAG_RE` anchored at `at`:
/// `<((?>NAME))\s*((?>\s+NAME(?:\s*=\s*(?:\p{Word}+|("|').*?\3))?)*)\s*(\/)?>` (Ruby, `/m`).
/// Each attribute is atomic: its quoted value ends at the first matching quote even when the
/// tag then does not end there.
pub(crate) fn match_tag(text: &str, at: usize) -> Option<Tag> {
    if text.as_bytes().get(at) != Some(&b'<') {
        return None;
    }
    let end_of_name = name_end(text, at + 1)?;
    let name = (at + 1, end_of_name);
    let ws_end = skip_ws(text, end_of_name);
    if let Some((end, closed)) = tag_end(text, ws_end) {
        return Some(Tag {
            end,
            name,
            attrs: (ws_end, ws_end),
            closed,
        });
    }
    if ws_end == end_of_name {
        return None;
    }
    // The `\s*` before the attributes gives its last blank back to their `\s+`.
    let attrs_start = ws_end - 1;
    let mut j = attrs_start;
    loop {
        let k = skip_ws(text, j);
        if k == j {
            break;
        }
        let Some(n_end) = name_end(text, k) else {
            break;
        };
        j = attr_value(text, n_end).unwrap_or(n_end);
    }
    let (end, closed) = tag_end(text, j)?;
    Some(Tag {
        end,
        name,
        attrs: (attrs_start, j),
        closed,
    })
}

/// One of [`LAZY_END_SPAN_NAMES`] at `at`, followed by no word character (Unicode's `\w`: the
/// regex's `\b`).
fn lazy_end_span_name(text: &str, at: usize) -> bool {
    let rest = &text.as_bytes()[at..];
    LAZY_END_SPAN_NAMES.iter().any(|name| {
        rest.starts_with(name.as_bytes())
            && match rest.get(name.len()) {
                None => true,
                Some(&b) if b < 0x80 => !(b.is_ascii_alphanumeric() || b == b'_'),
                Some(_) => !WORD_RUN.matches_at(text, at + name.len()),
            }
    })
}

/// paragraph.rb's `LAZY_END_HTML_START` anchored at `at`: `<` and a name that is not a span
/// element's (nor `script`).
pub(crate) fn lazy_end_html_start(text: &str, at: usize) -> bool {
    text.as_bytes().get(at) == Some(&b'<')
        && !lazy_end_span_name(text, at + 1)
        && name_end(text, at + 1).is_some()
}

/// paragraph.rb's `LAZY_END_HTML_STOP` anchored at `at`: `</name\s*>` of such a name.
pub(crate) fn lazy_end_html_stop(text: &str, at: usize) -> bool {
    text.as_bytes()[at..].starts_with(b"</")
        && !lazy_end_span_name(text, at + 2)
        && LAZY_END_HTML_STOP_TAIL.matches_at(text, at + 2)
}

/// Ruby's `Regexp.escape` for a tag name (a name's characters: letters, digits, `-._:`).
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Ruby's `scan_until(/(?=<\/#{name}\s*>)/mi)` with the name not escaped (a `.` in it matches
/// any character): the start of the first such end tag at or after `from`. Case is compared
/// by simple lowercase mapping.
fn find_end_tag(text: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut start = from;
    while let Some(i) = memchr::memmem::find(&bytes[start..], b"</") {
        let at = start + i;
        let mut rest = text[at + 2..].chars();
        let mut ok = true;
        for n in name.chars() {
            match rest.next() {
                Some(c) if n == '.' || fold(c) == fold(n) => {}
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            let after = text.len() - rest.as_str().len();
            let k = skip_ws(text, after);
            if bytes.get(k) == Some(&b'>') {
                return Some(at);
            }
        }
        start = at + 1;
    }
    None
}

fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Ruby's `String#downcase` for a tag name.
fn downcase(name: &str) -> String {
    if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        name.to_lowercase()
    }
}

/// `WORD_RUN` anchored at `at`: by hand over ASCII, by the regex once a character of the run
/// is not ASCII.
fn word_end(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = at;
    while bytes
        .get(i)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
    {
        i += 1;
    }
    if bytes.get(i).is_some_and(|&b| b >= 0x80) {
        return WORD_RUN.end_at(text, at);
    }
    (i > at).then_some(i)
}

/// A match of HTML_ATTRIBUTE_RE: its end, the name, the value.
type AttributeMatch = (
    usize,
    std::ops::Range<usize>,
    Option<std::ops::Range<usize>>,
);

/// HTML_ATTRIBUTE_RE (`WS*(NAME)(?:WS*=WS*(?:(\w+)|"(.*?)"|'(.*?)'))?`, searched from `at`) by
/// hand ([`name_end`] and [`word_end`] take the regexes where a character is not ASCII): the
/// end of the first match, the name and the value (the group that took part).
fn html_attribute(text: &str, at: usize) -> Option<AttributeMatch> {
    let bytes = text.as_bytes();
    let skip = |mut i: usize, f: &dyn Fn(u8) -> bool| {
        while i < bytes.len() && f(bytes[i]) {
            i += 1;
        }
        i
    };
    // The leftmost start: blanks (maybe none) and a name.
    let mut p = at;
    let (q, name_stop) = loop {
        if p >= bytes.len() {
            return None;
        }
        let q = skip(p, &crate::block::is_space);
        if let Some(end) = name_end(text, q) {
            break (q, end);
        }
        // No match starts inside a character.
        p = q + text
            .get(q..)
            .and_then(|r| r.chars().next())
            .map_or(1, char::len_utf8);
    };
    let name = q..name_stop;
    let j = skip(name_stop, &crate::block::is_space);
    if bytes.get(j) != Some(&b'=') {
        return Some((name_stop, name, None));
    }
    let k = skip(j + 1, &crate::block::is_space);
    if let Some(end) = word_end(text, k) {
        return Some((end, name, Some(k..end)));
    }
    match bytes.get(k) {
        Some(&quote @ (b'"' | b'\'')) => match memchr::memchr(quote, &bytes[k + 1..]) {
            Some(i) => Some((k + 2 + i, name, Some(k + 1..k + 1 + i))),
            None => Some((name_stop, name, None)),
        },
        _ => Some((name_stop, name, None)),
    }
}

impl Parser {
    /// `parse_html_attributes`: the attributes in `text` in order (a repeated one keeps its
    /// first place and takes the last value, with a warning); names lowercased when
    /// `in_html_tag`.
    pub(crate) fn parse_html_attributes(
        &mut self,
        text: &str,
        line: Option<u32>,
        in_html_tag: bool,
    ) -> Vec<(String, String)> {
        let mut attrs: Vec<(String, String)> = Vec::new();
        if text.bytes().all(|b| b.is_ascii_whitespace() || b == 0x0B) {
            // An attribute needs a name: blanks alone have none.
            return attrs;
        }
        let mut at = 0;
        while let Some((end, name, value)) = html_attribute(text, at) {
            at = end.max(at + 1);
            let mut name = text[name].to_owned();
            let value = value.map_or("", |v| &text[v]).to_owned();
            if in_html_tag {
                name = downcase(&name);
            }
            if attrs.iter().any(|(k, _)| *k == name) {
                let line = line.map_or("?".to_owned(), |l| l.to_string());
                self.warning(format!(
                    "Duplicate HTML attribute '{name}' on line {line} - overwriting previous one"
                ));
            }
            crate::tree::set_attr(&mut attrs, &name, value);
            if at > text.len() {
                break;
            }
        }
        attrs
    }

    /// `handle_html_start_tag` with kramdown's block (`handle_kramdown_html_tag`): the start tag
    /// `tag` (already passed in the source) becomes an `:html_element` of the current tree,
    /// its body parsed as its content model says.
    fn handle_html_start_tag(&mut self, line: u32, tag: &Tag) {
        let text = self.src.string();
        let raw_name = &text[tag.name.0..tag.name.1];
        let lower = downcase(raw_name);
        let name = if is_html_element(&lower) {
            lower
        } else {
            raw_name.to_owned()
        };
        let attrs_text = text[tag.attrs.0..tag.attrs.1].to_owned();
        let mut closed = tag.closed;
        let in_html = is_html_element(&name);
        let attrs = self.parse_html_attributes(&attrs_text, Some(line), in_html);

        let mut el = Element::with_value(Type::HtmlElement, name.as_str()).at(line);
        el.attr = attrs;
        el.options.category = Some(Category::Block);

        if !closed && html_flags(&name) & NO_BODY != 0 {
            closed = true;
        }
        let el = if name == "script" || name == "style" {
            self.handle_raw_html_tag(&mut el, &name);
            self.handle_kramdown_html_tag(el, false, false)
        } else {
            self.handle_kramdown_html_tag(el, closed, true)
        };
        self.tree.children.push(el);
    }

    /// `handle_raw_html_tag`: the text up to `</name>` is the element's raw content.
    fn handle_raw_html_tag(&mut self, el: &mut Element, name: &str) {
        let curpos = self.src.pos();
        if let Some(end) = find_end_tag(self.src.string(), curpos, name) {
            let content = self.src.string()[curpos..end].to_owned();
            Parser::add_text_to(el, &content, Type::Raw);
            self.src.set_pos(end);
            self.src.skip(&HTML_TAG_CLOSE_RE);
        } else {
            let rest = self.src.rest().to_owned();
            Parser::add_text_to(el, &rest, Type::Raw);
            self.src.terminate();
            self.warning(format!("Found no end tag for '{name}' - auto-closing it"));
        }
    }

    /// `handle_kramdown_html_tag(el, closed, handle_body)`: the element's content model
    /// (`parse_block_html`, the parent's, `markdown="…"`) and its body.
    fn handle_kramdown_html_tag(
        &mut self,
        mut el: Element,
        closed: bool,
        handle_body: bool,
    ) -> Element {
        if let Some(ial) = self.block_ial.take() {
            el.options.ial = Some(Box::new(ial));
        }
        let parent_raw = self.tree.kind == Type::HtmlElement
            && self.tree.options.content_model == Some(ContentModel::Raw);
        let own = html_content_model(el.value_str());
        let mut content_model = if !parent_raw && self.options.parse_block_html {
            own
        } else {
            ContentModel::Raw
        };
        let markdown = el.remove_attr("markdown");
        if let Some(val) = markdown_attr(markdown.as_deref()) {
            content_model = val.unwrap_or(own);
        }

        if content_model == ContentModel::Block {
            self.src.skip(&TRAILING_WHITESPACE);
        }
        el.options.content_model = Some(content_model);
        el.options.is_closed = closed;

        if !closed && handle_body {
            match content_model {
                ContentModel::Block => {
                    let (parsed, found) = self.parse_blocks(el, None);
                    el = parsed;
                    if !found {
                        self.warning(format!(
                            "Found no end tag for '{}' (line {}) - auto-closing it",
                            el.value_str(),
                            el.options.location
                        ));
                    }
                }
                ContentModel::Span => {
                    let curpos = self.src.pos();
                    if let Some(end) = find_end_tag(self.src.string(), curpos, el.value_str()) {
                        let content = self.src.string()[curpos..end].to_owned();
                        Parser::add_text_to(&mut el, &content, self.text_type);
                        self.src.set_pos(end);
                        self.src.skip(&HTML_TAG_CLOSE_RE);
                    } else {
                        let rest = self.src.rest().to_owned();
                        Parser::add_text_to(&mut el, &rest, self.text_type);
                        self.src.terminate();
                        self.warning(format!(
                            "Found no end tag for '{}' (line {}) - auto-closing it",
                            el.value_str(),
                            el.options.location
                        ));
                    }
                }
                ContentModel::Raw => {
                    el = self.parse_raw_html(el);
                }
            }
            let still_raw = self.tree.kind == Type::HtmlElement
                && self.tree.options.content_model == Some(ContentModel::Raw);
            if !still_raw {
                self.src.skip(&TRAILING_WHITESPACE);
            }
        }
        el
    }

    /// `parse_raw_html(el)`: HTML from the position into `el` (text, comments, processing
    /// instructions, nested elements) up to `el`'s end tag or the end.
    fn parse_raw_html(&mut self, el: Element) -> Element {
        let saved = std::mem::replace(&mut self.tree, el);
        let mut done = false;
        self.depth += 1;
        if self.depth > crate::MAX_DEPTH {
            // Not in Ruby (which would run out of stack somewhere): the rest stays text.
            let rest = self.src.rest().to_owned();
            Parser::add_text_to(&mut self.tree, &rest, Type::Text);
            self.src.terminate();
        }
        while !self.src.eos() && !done {
            if let Some(range) = self.src.scan_before(&HTML_RAW_START) {
                Parser::add_text_to(&mut self.tree, &self.src.string()[range], Type::Text);
                let line = self.src.current_line_number();
                // The regexes need their first characters: looked at before they run.
                let rest = self.src.rest();
                let comment = rest.starts_with("<!--");
                let instruction = rest.starts_with("<?");
                let close = rest.starts_with("</");
                if let Some(caps) = comment.then(|| self.src.scan(&HTML_COMMENT_RE)).flatten() {
                    let text = self.src.group(&caps, 0).unwrap_or("").to_owned();
                    self.push_xml(Type::XmlComment, text, Category::Block, line);
                } else if let Some(caps) = instruction
                    .then(|| self.src.scan(&HTML_INSTRUCTION_RE))
                    .flatten()
                {
                    let text = self.src.group(&caps, 0).unwrap_or("").to_owned();
                    self.push_xml(Type::XmlPi, text, Category::Block, line);
                } else if let Some(tag) = match_tag(self.src.string(), self.src.pos()) {
                    self.src.set_pos(tag.end);
                    self.handle_html_start_tag(line, &tag);
                } else if let Some(caps) =
                    close.then(|| self.src.scan(&HTML_TAG_CLOSE_RE)).flatten()
                {
                    let found = self.src.group(&caps, 1).unwrap_or("").to_owned();
                    let matched = self.src.group(&caps, 0).unwrap_or("").to_owned();
                    let own = self.tree.value_str();
                    let compared = if is_html_element(own) {
                        downcase(&found)
                    } else {
                        found.clone()
                    };
                    if own == compared {
                        done = true;
                    } else {
                        Parser::add_text_to(&mut self.tree, &matched, Type::Text);
                        self.warning(format!(
                            "Found invalidly used HTML closing tag for '{found}' on line {line} - ignoring it"
                        ));
                    }
                } else if let Some(c) = self.src.getch() {
                    Parser::add_text_to(&mut self.tree, c.encode_utf8(&mut [0; 4]), Type::Text);
                }
            } else {
                let rest = self.src.rest().to_owned();
                Parser::add_text_to(&mut self.tree, &rest, Type::Text);
                self.src.terminate();
                if self.tree.kind == Type::HtmlElement {
                    let msg = format!(
                        "Found no end tag for '{}' on line {} - auto-closing it",
                        self.tree.value_str(),
                        self.tree.options.location
                    );
                    self.warning(msg);
                }
                done = true;
            }
        }
        self.depth -= 1;
        std::mem::replace(&mut self.tree, saved)
    }

    fn push_xml(&mut self, kind: Type, text: String, category: Category, line: u32) {
        let mut el = Element::with_value(kind, text).at(line);
        el.options.category = Some(category);
        self.tree.children.push(el);
    }

    /// `parse_block_html`: a comment, a start tag of a non-span element (its body parsed), or
    /// the end tag of the element being filled (`throw :stop_block_parsing`).
    pub(crate) fn parse_block_html(&mut self) -> BlockResult {
        let line = self.src.current_line_number();
        // Each regex needs its first characters: looked at before it runs.
        let comment = self.src.rest().starts_with("<!--");
        if let Some(caps) = comment.then(|| self.src.scan(&HTML_COMMENT_RE)).flatten() {
            let text = self.src.group(&caps, 0).unwrap_or("").to_owned();
            self.push_xml(Type::XmlComment, text, Category::Block, line);
            self.src.skip(&TRAILING_WHITESPACE);
            return BlockResult::Handled;
        }
        let pos = self.src.pos();
        let text = self.src.string();
        let spaces = text.as_bytes()[pos..]
            .iter()
            .take(3)
            .take_while(|b| **b == b' ')
            .count();
        if let Some(tag) = match_tag(text, pos + spaces) {
            if known_name(&text[tag.name.0..tag.name.1]).is_none_or(|(_, f)| f & SPAN_EL == 0) {
                self.src.set_pos(tag.end);
                self.handle_html_start_tag(line, &tag);
                return BlockResult::Handled;
            }
        }
        let close = text.as_bytes()[pos + spaces..].starts_with(b"</");
        if let Some(caps) = close
            .then(|| self.src.check(&HTML_TAG_CLOSE_BLOCK_RE))
            .flatten()
        {
            let name = downcase(self.src.group(&caps, 1).unwrap_or(""));
            let end = caps.get_match().map_or(pos, |m| m.end());
            if html_flags(&name) & SPAN_EL != 0 {
                return BlockResult::NotHere;
            }
            if self.tree.kind == Type::HtmlElement && self.tree.value_str() == name {
                self.src.set_pos(end);
                return BlockResult::Stop;
            }
        }
        BlockResult::NotHere
    }

    /// `parse_span_html`, run where [`HTML_SPAN_START`] matched: a comment, a stray end tag
    /// (kept as text), or a span element whose body is parsed (or kept raw) up to its end tag.
    pub(crate) fn parse_span_html(&mut self) {
        let line = self.src.current_line_number();
        // Both regexes need their first characters: looked at before they run.
        let comment = self.src.rest().starts_with("<!--");
        let close = self.src.byte_at(1) == Some(b'/');
        if let Some(caps) = comment.then(|| self.src.scan(&HTML_COMMENT_RE)).flatten() {
            let text = self.src.group(&caps, 0).unwrap_or("").to_owned();
            self.push_xml(Type::XmlComment, text, Category::Span, line);
        } else if let Some(caps) = close.then(|| self.src.scan(&HTML_TAG_CLOSE_RE)).flatten() {
            let name = self.src.group(&caps, 1).unwrap_or("").to_owned();
            let result = self.src.group(&caps, 0).unwrap_or("").to_owned();
            self.warning(format!(
                "Found invalidly used HTML closing tag for '{name}' on line {line}"
            ));
            self.add_text(&result);
        } else if let Some(tag) = match_tag(self.src.string(), self.src.pos()) {
            self.src.set_pos(tag.end);
            let text = self.src.string();
            let raw_name = &text[tag.name.0..tag.name.1];
            // The lists' names are lower case: a name not found lower cased is in none.
            let (tag_name, flags) = match known_name(raw_name) {
                Some((name, flags)) => (name.to_owned(), flags),
                None => (raw_name.to_owned(), 0),
            };
            if flags & BLOCK_EL != 0 {
                let result = text[tag.name.0 - 1..tag.end].to_owned();
                self.warning(format!(
                    "Found block HTML tag '{tag_name}' in span-level text on line {line}"
                ));
                self.add_text(&result);
                return;
            }
            let attrs_text = text[tag.attrs.0..tag.attrs.1].to_owned();
            let in_html = flags != 0;
            let mut attrs = self.parse_html_attributes(&attrs_text, Some(line), in_html);
            for (_, value) in attrs.iter_mut() {
                if value.contains('\n') {
                    *value = squeeze_newlines(value);
                }
            }
            let own = content_model_of(flags);
            let mut do_parsing = if own == ContentModel::Raw
                || self.tree.options.content_model == Some(ContentModel::Raw)
            {
                false
            } else {
                self.options.parse_span_html
            };
            let markdown = attrs
                .iter()
                .position(|(k, _)| k == "markdown")
                .map(|i| attrs.remove(i).1);
            match markdown_attr(markdown.as_deref()) {
                Some(Some(ContentModel::Block)) => self.warning(format!(
                    "Cannot use block-level parsing in span-level HTML tag (line {line}) - using default mode"
                )),
                Some(Some(ContentModel::Span)) => do_parsing = true,
                Some(None) => do_parsing = own != ContentModel::Raw,
                Some(Some(ContentModel::Raw)) => do_parsing = false,
                None => {}
            }
            let mut el = Element::with_value(Type::HtmlElement, tag_name).at(line);
            el.attr = attrs;
            el.options.category = Some(Category::Span);
            el.options.content_model = Some(if do_parsing {
                ContentModel::Span
            } else {
                ContentModel::Raw
            });
            el.options.is_closed = tag.closed;
            if !tag.closed && flags & NO_BODY == 0 {
                // Scoped, so that the span parsers' union can take it as it is.
                let flags = if in_html { "i" } else { "" };
                let pattern = format!("(?{flags}:</{}{WS}*>)", regex_escape(el.value_str()));
                let only_html = [SpanParser::SpanHtml];
                let parsers: Option<&[SpanParser]> =
                    if do_parsing { None } else { Some(&only_html) };
                let mut accept = |_: &mut Parser| true;
                let stop = Stop {
                    pattern: &pattern,
                    accept: &mut accept,
                };
                let (parsed, found) = self.parse_spans(el, Some(stop), parsers, None);
                el = parsed;
                if found {
                    let stop_re = crate::span::cached_re(&pattern);
                    self.src.skip(&stop_re);
                } else {
                    self.warning(format!(
                        "Found no end tag for '{}' (line {line}) - auto-closing it",
                        el.value_str()
                    ));
                    let rest = self.src.rest().to_owned();
                    let kind = self.text_type;
                    Parser::add_text_to(&mut el, &rest, kind);
                    self.src.terminate();
                }
            }
            self.tree.children.push(el);
        } else if let Some(c) = self.src.getch() {
            self.add_text(c.encode_utf8(&mut [0; 4]));
        }
    }
}

/// `value.gsub!(/\n+/, ' ')`.
fn squeeze_newlines(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut in_run = false;
    for c in value.chars() {
        if c == '\n' {
            if !in_run {
                out.push(' ');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{assert_tree, strings};

    /// The hand matcher agrees with the regex on every string of up to five characters made
    /// of what a name may and may not hold.
    #[test]
    fn names_by_hand_as_the_regex_matches_them() {
        let alphabet = ['a', 'Z', '_', '-', '.', ':', '1', ' ', 'é', '٣', '>'];
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.chars().count() == texts.last().unwrap().chars().count())
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        for text in &texts {
            assert_eq!(name_end(text, 0), NAME_RE.end_at(text, 0), "{text:?}");
        }
    }

    #[test]
    fn word_runs_by_hand_are_the_regex_ones() {
        // ASCII word characters, a Hangul syllable, a combining mark, an Arabic-Indic digit
        // (Nd), a connector (Pc), and characters no `\w` takes.
        let alphabet = ['a', '9', '_', '한', '\u{301}', '٣', '‿', ' ', '-', '→', '"'];
        for text in strings(&alphabet, 4) {
            for (at, _) in text.char_indices() {
                assert_eq!(
                    word_end(&text, at),
                    WORD_RUN.end_at(&text, at),
                    "{text:?} at {at}"
                );
            }
        }
    }

    #[test]
    fn lazy_end_span_names_by_hand_are_the_regex_ones() {
        let names = LAZY_END_SPAN_NAMES.join("|");
        let re = crate::scanner::Re::new(&format!(r"(?:{names})\b"));
        let mut texts: Vec<String> = Vec::new();
        let tails = strings(
            &[' ', '>', '/', 'a', '한', '\u{301}', '_', '-', '1', '٣'],
            2,
        );
        for name in LAZY_END_SPAN_NAMES.iter().chain(&["abc", "scrip", "x", ""]) {
            texts.extend(tails.iter().map(|t| format!("{name}{t}")));
        }
        texts.extend(strings(&['a', 'b', 'r', 'i', 's', '/', '한', ' ', '>'], 4));
        for text in texts {
            assert_eq!(
                lazy_end_span_name(&text, 0),
                re.matches_at(&text, 0),
                "{text:?}"
            );
        }
    }

    crate::re!(
        HTML_ATTRIBUTE_RE =
            format!(r#"{WS}*({NAME})(?:{WS}*={WS}*(?:(\w+)|"((?s).*?)"|'((?s).*?)'))?"#)
    );

    /// The attribute found by hand against the regex (Ruby's, back-reference written as two
    /// alternatives), searched from every character of `text`.
    fn check_attribute(text: &str) {
        let re = &HTML_ATTRIBUTE_RE;
        for at in text.char_indices().map(|(i, _)| i).chain([text.len()]) {
            let want = re.captures_from(text, at).map(|caps| {
                let value = (2..=4).find_map(|i| caps.get_group(i)).map(|s| s.range());
                (
                    caps.get_match().unwrap().end(),
                    caps.get_group(1).unwrap().range(),
                    value,
                )
            });
            assert_eq!(html_attribute(text, at), want, "{text:?} at {at}");
        }
    }

    #[test]
    fn attributes_by_hand_are_the_regex_ones() {
        let texts = [
            r#" src="a b" alt='c' style = "zoom:80%;" "#,
            " a=b c = d e= 'f g' h",
            " x:y=1 :z x: 9a -b _c=\"\" d='' e=\"unclosed f='u",
            " a.b-c_d:e.f=g!h  =i \n\tj\x0B=\x0Ck",
            "   ",
            " =\"v\" 1 2 a",
            r#" src="{{site.url}}\images\화면 캡처.png" alt="화면 캡처 2023" style="zoom: 67%;" "#,
            " 이름=값 é=à 한a=b한 a=한글b c=→ d=٣ ü:ö=x ·a 한:=1 a:한=2",
        ];
        for text in texts {
            check_attribute(text);
        }
        let alphabet = ['a', '한', '1', '=', ' ', '"', ':', '-', '\u{301}', '→', '٣'];
        for text in strings(&alphabet, 5) {
            check_attribute(&text);
        }
    }

    /// `parse_block_html` is off (Jekyll): a block element's body is raw HTML text.
    #[test]
    fn block_html_is_raw_by_default() {
        assert_tree(
            "<div>\n*a*\n</div>\n\nafter\n",
            r#"root @1
  html_element "div" @1 category=Block content_model=Raw
    text "\n*a*\n" @1
  blank "\n" @0
  p @5
    text "after" @5
"#,
        );
    }

    /// `markdown="1"` on a block element: its body is kramdown.
    #[test]
    fn markdown_1_parses_the_body_as_blocks() {
        assert_tree(
            "<div markdown=\"1\">\n- a\n- b\n</div>\n\nafter\n",
            r#"root @1
  html_element "div" @1 category=Block content_model=Block
    ul @2
      li @2
        p @2 transparent
          text "a" @2
      li @3
        p @3 transparent
          text "b" @3
  blank "\n" @0
  p @6
    text "after" @6
"#,
        );
    }

    /// `<details>` (raw) with a `<summary>` inside and a blank line (Hangul).
    #[test]
    fn details_with_summary() {
        assert_tree(
            "<details>\n<summary>요약</summary>\n\n내용이다\n\n</details>\n",
            r#"root @1
  html_element "details" @1 category=Block content_model=Raw
    text "\n" @1
    html_element "summary" @2 category=Block content_model=Raw
      text "요약" @2
    text "\n\n내용이다\n\n" @2
"#,
        );
    }

    /// Attributes in every form; void and self-closed elements inside raw HTML.
    #[test]
    fn attributes_void_and_closed_elements() {
        assert_tree(
            "<div class=\"a\" id=b data-x = \"1 2\" checked>\n<p>hi<br/>there</p>\n<img src=\"x.png\" alt=\"a\">\n</div>\n",
            r#"root @1
  html_element "div" class="a" id="b" data-x="1 2" checked="" @1 category=Block content_model=Raw
    text "\n" @1
    html_element "p" @2 category=Block content_model=Raw
      text "hi" @2
      html_element "br" @2 category=Block content_model=Raw
      text "there" @2
    text "\n" @2
    html_element "img" src="x.png" alt="a" @3 category=Block content_model=Raw
    text "\n" @3
"#,
        );
    }

    /// A paragraph that starts with an unknown block tag; `markdown="block"` nesting; a processing instruction.
    #[test]
    fn span_element_at_block_start_and_nesting() {
        assert_tree(
            "para <div> inline\n\n<div markdown=\"block\">\n<div markdown=\"1\">\nin\n</div>\n</div>\n<?php x ?>\n",
            r#"root @1
  p @1
    text "para <div> inline" @1
  blank "\n" @0
  html_element "div" @3 category=Block content_model=Block
    html_element "div" @4 category=Block content_model=Block
      p @5
        text "in" @5
  p @8
    text "<?php x ?>" @8
"#,
        );
    }

    /// Comments and processing instructions inside raw HTML; a stray end tag stays text.
    #[test]
    fn comments_pis_and_stray_end_tags_in_raw_html() {
        assert_tree(
            "<div>\n<!-- c -->\n<?pi x?>\n</span></div>\n<a href=\"x\"\ntitle=\"y\">link</a>\n",
            r#"root @1
  html_element "div" @1 category=Block content_model=Raw
    text "\n" @1
    xml_comment "<!-- c -->" @2 category=Block
    text "\n" @2
    xml_pi "<?pi x?>" @3 category=Block
    text "\n</span>" @3
  p @5
    html_element "a" href="x" title="y" @5 category=Span content_model=Span
      text "link" @5
"#,
        );
    }

    /// `markdown="0"` inside `markdown="1"` is raw again; a span element starts a paragraph.
    #[test]
    fn markdown_0_inside_markdown_1() {
        assert_tree(
            "<div markdown=\"1\">\n<div markdown=\"0\">\n*raw*\n</div>\n</div>\n<span>x</span>\n",
            r#"root @1
  html_element "div" @1 category=Block content_model=Block
    html_element "div" @2 category=Block content_model=Raw
      text "\n*raw*\n" @2
  p @6
    html_element "span" @6 category=Span content_model=Span
      text "x" @6
"#,
        );
    }

    /// `<ul>` and `<table>` are raw.
    #[test]
    fn lists_and_tables_in_html_are_raw() {
        assert_tree(
            "<ul>\n<li>a</li>\n</ul>\n\n<table><tr><td>1</td></tr></table>\n",
            r#"root @1
  html_element "ul" @1 category=Block content_model=Raw
    text "\n" @1
    html_element "li" @2 category=Block content_model=Raw
      text "a" @2
    text "\n" @2
  blank "\n" @0
  html_element "table" @5 category=Block content_model=Raw
    html_element "tr" @5 category=Block content_model=Raw
      html_element "td" @5 category=Block content_model=Raw
        text "1" @5
"#,
        );
    }

    /// A block element without its end tag takes the rest.
    #[test]
    fn unclosed_block_element() {
        assert_tree(
            "<div>\nunclosed\n",
            r#"root @1
  html_element "div" @1 category=Block content_model=Raw
    text "\nunclosed\n" @1
"#,
        );
    }

    /// `<p>` elements, then a paragraph.
    #[test]
    fn paragraph_elements_and_text_after() {
        assert_tree(
            "<p>a</p>\n<p>b</p>\ntext\n",
            r#"root @1
  html_element "p" @1 category=Block content_model=Raw
    text "a" @1
  html_element "p" @2 category=Block content_model=Raw
    text "b" @2
  p @3
    text "text" @3
"#,
        );
    }

    /// A start tag over several lines.
    #[test]
    fn multi_line_start_tag() {
        assert_tree(
            "<div\n  class=\"a\"\n  id=\"b\">\ncontent\n</div>\n",
            r#"root @1
  html_element "div" class="a" id="b" @1 category=Block content_model=Raw
    text "\ncontent\n" @1
"#,
        );
    }

    /// A nested element of the same name closes first.
    #[test]
    fn nested_same_elements() {
        assert_tree(
            "<div>\n<div>\ninner\n</div>\n</div>\nafter\n",
            r#"root @1
  html_element "div" @1 category=Block content_model=Raw
    text "\n" @1
    html_element "div" @2 category=Block content_model=Raw
      text "\ninner\n" @2
    text "\n" @2
  p @6
    text "after" @6
"#,
        );
    }

    /// Hangul and prefixed tag names (not HTML elements: case kept).
    #[test]
    fn non_ascii_and_prefixed_names() {
        assert_tree(
            "<한글>x</한글>\n<x:y a:b=\"1\">z</x:y>\n",
            r#"root @1
  html_element "한글" @1 category=Block content_model=Raw
    text "x" @1
  html_element "x:y" a:b="1" @2 category=Block content_model=Raw
    text "z" @2
"#,
        );
    }

    /// Span HTML: a comment, `markdown="0"`, a raw element (`kbd`), a stray end tag, a void element, a block tag kept as text.
    #[test]
    fn span_html_comment_raw_and_stray_tags() {
        assert_tree(
            "a <!-- x --> b <span class=\"x\" markdown=\"0\">r</span> <kbd>k</kbd> </p> c <br> <div>d</div>\n",
            r#"root @1
  p @1
    text "a " @1
    xml_comment "<!-- x -->" @1 category=Span
    text " b " @1
    html_element "span" class="x" @1 category=Span content_model=Raw
      text "r" @1
    text " " @1
    html_element "kbd" @1 category=Span content_model=Raw
      text "k" @1
    text " </p> c " @1
    html_element "br" @1 category=Span content_model=Raw
    text " <div>d</div>" @1
"#,
        );
    }

    /// An unclosed span element, attribute values over lines, end tags in another case, an unknown element (raw).
    #[test]
    fn span_html_unclosed_multiline_and_case() {
        assert_tree(
            "a <span>unclosed\n\nb <b\nclass=\"x\ny\">t</B> <x-Foo>q</x-Foo>\n",
            r#"root @1
  p @1
    text "a " @1
    html_element "span" @1 category=Span content_model=Span
      text "unclosed" @1
  blank "\n" @0
  p @3
    text "b " @3
    html_element "b" class="x y" @3 category=Span content_model=Span
      text "t" @3
    text " " @3
    html_element "x-Foo" @5 category=Span content_model=Raw
      text "q" @5
"#,
        );
    }

    /// A closed or void block element does not take the newline after it: the blank-line parser does, at the scanner's position (Ruby's `^` matches there), as after `</script>`.
    #[test]
    fn closed_elements_leave_their_newline() {
        assert_tree(
            "<div a=\"x\" a=\"y\"></div>\n<br>\n<hr/>\n<img src=\"a\">\n<script>\nvar a = \"<div>\";\n</script>\n",
            r#"root @1
  html_element "div" a="y" @1 category=Block content_model=Raw
  p @2
    html_element "br" @2 category=Span content_model=Raw
  html_element "hr" @3 category=Block content_model=Raw
  blank "\n" @0
  p @4
    html_element "img" src="a" @4 category=Span content_model=Raw
    text "\n" @4
    html_element "script" @5 category=Span content_model=Raw
      text "\nvar a = \"<div>\";\n" @5
"#,
        );
    }

    /// Elements inside a raw span element are raw too.
    #[test]
    fn span_html_nested_in_raw_elements() {
        assert_tree(
            "a <kbd><b>x</b> <!-- c --></kbd> <code><i>y</i></code>\n",
            r#"root @1
  p @1
    text "a " @1
    html_element "kbd" @1 category=Span content_model=Raw
      html_element "b" @1 category=Span content_model=Raw
        text "x" @1
      text " " @1
      xml_comment "<!-- c -->" @1 category=Span
    text " " @1
    html_element "code" @1 category=Span content_model=Raw
      html_element "i" @1 category=Span content_model=Raw
        text "y" @1
"#,
        );
    }

    /// Block HTML in list items; an unclosed `markdown="1"` element ends with its item.
    #[test]
    fn html_in_list_items() {
        assert_tree(
            "- <div>\n  x\n  </div>\n- <div markdown=\"1\">\n  y\n- z\n",
            r#"root @1
  ul @1
    li @1
      html_element "div" @1 category=Block content_model=Raw
        text "\nx\n" @1
    li @4
      html_element "div" @4 category=Block content_model=Block
        p @5
          text "y" @5
    li @6
      p @6 transparent
        text "z" @6
"#,
        );
    }

    /// End tags of HTML elements in any case; an unknown element's end tag must match its case.
    #[test]
    fn end_tag_case_and_unknown_elements() {
        assert_tree(
            "<DIV CLASS=\"A\">x</div>\n<Foo>y</foo>\n\n<Foo>y</Foo>\n",
            r#"root @1
  html_element "div" class="A" @1 category=Block content_model=Raw
    text "x" @1
  html_element "Foo" @2 category=Block content_model=Raw
    text "y</foo>\n\n" @2
    html_element "Foo" @4 category=Block content_model=Raw
      text "y" @4
    text "\n" @4
"#,
        );
    }

    /// `<script>` and `<style>` bodies are raw text.
    #[test]
    fn script_and_style_are_raw() {
        assert_tree(
            "<script src=\"a.js\"></script>\n<style>\n.a{}\n</style>\nafter\n",
            r#"root @1
  html_element "script" src="a.js" @1 category=Block content_model=Raw
  blank "\n" @0
  html_element "style" @2 category=Block content_model=Raw
    raw "\n.a{}\n" @2
  blank "\n" @0
  p @5
    text "after" @5
"#,
        );
    }

    #[test]
    fn deeply_nested_raw_html_is_cut_off() {
        let text = "<div>".repeat(20_000);
        let doc = crate::parse(&text, &crate::Options::default());
        let mut depth = 0;
        let mut el = &doc.root;
        while let Some(child) = el.children.first() {
            depth += 1;
            el = child;
        }
        assert!(depth <= crate::MAX_DEPTH + 2, "{depth}");
    }

    fn tag(text: &str) -> Option<(&str, &str, &str, bool)> {
        let t = match_tag(text, 0)?;
        Some((
            &text[..t.end],
            &text[t.name.0..t.name.1],
            &text[t.attrs.0..t.attrs.1],
            t.closed,
        ))
    }

    #[test]
    fn start_tags_match_as_ruby_matches_them() {
        // Ruby's HTML_TAG_RE.match: groups 0, 1, 2 and whether 4 took part.
        assert_eq!(
            tag("<div a=\"x\"b> y \"z\" >"),
            None,
            "an attribute is atomic"
        );
        assert_eq!(
            tag("<a  b=c d='e f' g>"),
            Some(("<a  b=c d='e f' g>", "a", " b=c d='e f' g", false))
        );
        assert_eq!(tag("<br/>"), Some(("<br/>", "br", "", true)));
        assert_eq!(tag("<p\n>"), Some(("<p\n>", "p", "", false)));
        assert_eq!(tag("<a\"x\">"), None);
        assert_eq!(tag("<x:y z>"), Some(("<x:y z>", "x:y", " z", false)));
        assert_eq!(
            tag("<a b =\n \"c\">"),
            Some(("<a b =\n \"c\">", "a", " b =\n \"c\"", false))
        );
        assert_eq!(tag("<한글>"), Some(("<한글>", "한글", "", false)));
    }

    #[test]
    fn attributes_in_order_with_duplicates() {
        let mut parser = Parser::new(crate::Options::default());
        let attrs = parser.parse_html_attributes(" B=1 c='x y' d e=\"2\" b=3", Some(4), true);
        let expected = [("b", "3"), ("c", "x y"), ("d", ""), ("e", "2")];
        assert_eq!(
            attrs,
            expected.map(|(k, v)| (k.to_owned(), v.to_owned())).to_vec()
        );
        assert_eq!(
            parser.warnings,
            ["Duplicate HTML attribute 'b' on line 4 - overwriting previous one"]
        );
        let kept = parser.parse_html_attributes(" dataX=1", None, false);
        assert_eq!(
            kept[0].0, "dataX",
            "names of unknown elements keep their case"
        );
    }

    #[test]
    fn end_tags_are_found_as_ruby_finds_them() {
        assert_eq!(find_end_tag("ab</DIV >", 0, "div"), Some(2));
        assert_eq!(find_end_tag("</divx></div>", 0, "div"), Some(7));
        assert_eq!(
            find_end_tag("</a-b></a.b>", 0, "a.b"),
            Some(0),
            "an unescaped `.`"
        );
        assert_eq!(find_end_tag("</div", 0, "div"), None);
    }

    #[test]
    fn lazy_html_ends() {
        assert!(lazy_end_html_start("<div>", 0));
        assert!(
            lazy_end_html_start("<A>", 0),
            "the span names are lowercase only"
        );
        assert!(!lazy_end_html_start("<span>", 0));
        assert!(lazy_end_html_start("<spanx>", 0));
        assert!(!lazy_end_html_start("<script>", 0));
        assert!(lazy_end_html_stop("</div >", 0));
        assert!(!lazy_end_html_stop("</em>", 0));
        assert!(!lazy_end_html_stop("</div", 0));
    }
}
