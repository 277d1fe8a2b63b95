//! kramdown's attribute lists and extensions (parser/kramdown/extensions.rb): ALDs
//! (`{:name: …}`), block IALs (`{: #id .class key="v"}`), and the extensions `{::comment}`,
//! `{::nomarkdown}`, `{::options … /}`, as blocks here and as spans for `span.rs`
//! (`parse_extension_start_tag(Category::Span)` after `EXT_SPAN_START` matched,
//! `parse_attribute_list` for span IALs).
//!
//! Written from kramdown 2.4's Ruby (© Thomas Leitner, MIT). The attribute list's regex
//! (ALD_TYPE_ANY, with look-ahead and a back-reference to the quote) is matched by hand in the
//! order Ruby's backtracking tries it.
//!
//! Differences from the Ruby: `{::options}` sets the options this crate's `Options` has
//! (`typographic_symbols`, a YAML hash in Ruby, is accepted and left as it is; `hard_wrap`
//! and `gfm_quirks` are accepted and change nothing, as in Ruby where the GFM parser read
//! them when it was made).

use memchr::memmem;

use crate::block::{definition_kind, is_space, IAL_BLOCK_START};
use crate::tree::{set_attr, Category, Element, Ial, Type};
use crate::Parser;

// BLOCK_EXTENSIONS_START: where the block parser for ALDs, IALs and extensions is tried.
crate::re!(BLOCK_EXTENSIONS_START = r"^ {0,3}\{:");
crate::re!(
    ALD_START = r"^ {0,3}\{:([A-Za-z0-9_][A-Za-z0-9_-]*):((?:\\\}|[^\}])+)\}[ \t\x0B\f\r]*\n"
);
// Ruby's EXT_BLOCK_START: an extension's start tag (or a stray stop tag) on its own line.
crate::re!(
    EXT_BLOCK_START = r"^ {0,3}(?:\{::([A-Za-z0-9_]+)(?:[ \t\n\x0B\f\r]((?:\\\}|[^\}])*?)|)(/)?\}|\{:/([A-Za-z0-9_][A-Za-z0-9_-]*)?\})[ \t\x0B\f\r]*\n"
);
// Ruby's EXT_SPAN_START: an extension's start tag (or a stray stop tag) in a span.
crate::re!(
    EXT_SPAN_START = r"\{::([A-Za-z0-9_]+)(?:[ \t\n\x0B\f\r]((?:\\\}|[^\}])*?)|)(/)?\}|\{:/([A-Za-z0-9_][A-Za-z0-9_-]*)?\}"
);

/// The kramdown options (kramdown 2.4 and kramdown-parser-gfm 1.1): others are unknown.
const KNOWN_OPTIONS: &[&str] = &[
    "template",
    "auto_ids",
    "auto_id_stripping",
    "auto_id_prefix",
    "transliterated_header_ids",
    "parse_block_html",
    "parse_span_html",
    "html_to_native",
    "link_defs",
    "footnote_nr",
    "entity_output",
    "toc_levels",
    "line_width",
    "latex_headers",
    "smart_quotes",
    "typographic_symbols",
    "remove_block_html_tags",
    "remove_span_html_tags",
    "header_offset",
    "syntax_highlighter",
    "syntax_highlighter_opts",
    "math_engine",
    "math_engine_opts",
    "footnote_backlink",
    "footnote_backlink_inline",
    "footnote_prefix",
    "remove_line_breaks_for_cjk",
    "forbidden_inline_options",
    "list_indent",
    "hard_wrap",
    "gfm_quirks",
];

/// One item of an attribute list.
enum AttrItem {
    KeyValue {
        key: String,
        value: String,
    },
    Ref(String),
    /// `#id` (false) and `.class` (true) in order.
    IdOrClass(Vec<(bool, String)>),
}

fn is_ald_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// `(?=\s|\Z)` at `at`.
fn item_ends(b: &[u8], at: usize) -> bool {
    at >= b.len() || is_space(b[at])
}

/// ALD_TYPE_KEY_VALUE_PAIR | ALD_TYPE_REF | ALD_TYPE_ID_OR_CLASS_MULTI followed by `(?=\s|\Z)`
/// at `at`: the end and the item.
fn item_at(s: &str, at: usize) -> Option<(usize, AttrItem)> {
    let b = s.as_bytes();
    // ALD_ID_NAME: \w[\w-]*
    let name_end = if b
        .get(at)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        let mut i = at + 1;
        while i < b.len() && is_ald_id_char(b[i]) {
            i += 1;
        }
        Some(i)
    } else {
        None
    };
    if let Some(ne) = name_end {
        // (ALD_ID_NAME)=("|')((?:\\\}|\\\2|[^\}\2])*?)\2
        if b.get(ne) == Some(&b'=') && matches!(b.get(ne + 1), Some(b'"' | b'\'')) {
            let q = b[ne + 1];
            if let Some(close) = quoted_value_end(b, ne + 2, q) {
                let raw = &s[ne + 2..close];
                let mut value = String::with_capacity(raw.len());
                let mut chars = raw.chars().peekable();
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        if let Some(&n) = chars.peek() {
                            if n == '}' || n == q as char {
                                value.push(n);
                                chars.next();
                                continue;
                            }
                        }
                    }
                    value.push(c);
                }
                let key = s[at..ne].to_owned();
                return Some((close + 1, AttrItem::KeyValue { key, value }));
            }
        }
        if item_ends(b, ne) {
            return Some((ne, AttrItem::Ref(s[at..ne].to_owned())));
        }
    }
    // ((?:#([A-Za-z][\w:-]*)|\.([^\s\.#]+))+)
    let mut items = Vec::new();
    let mut i = at;
    loop {
        match b.get(i) {
            Some(b'#') if b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                let mut j = i + 2;
                while j < b.len() && (is_ald_id_char(b[j]) || b[j] == b':') {
                    j += 1;
                }
                items.push((false, s[i + 1..j].to_owned()));
                i = j;
            }
            Some(b'.') => {
                let mut j = i + 1;
                while j < b.len() && !is_space(b[j]) && b[j] != b'.' && b[j] != b'#' {
                    j += 1;
                }
                if j == i + 1 {
                    break;
                }
                items.push((true, s[i + 1..j].to_owned()));
                i = j;
            }
            _ => break,
        }
    }
    if !items.is_empty() && item_ends(b, i) {
        return Some((i, AttrItem::IdOrClass(items)));
    }
    None
}

/// `((?:\\\}|\\\2|[^\}\2])*?)\2(?=\s|\Z)` from `start` (`\2` in the class is Ruby's octal
/// `\x02`): where the closing quote is, the first Ruby's backtracking finds.
fn quoted_value_end(b: &[u8], start: usize, q: u8) -> Option<usize> {
    let mut failed = vec![false; b.len() + 1 - start];
    let mut stack = vec![start];
    while let Some(p) = stack.pop() {
        if failed[p - start] {
            continue;
        }
        failed[p - start] = true;
        if b.get(p) == Some(&q) && item_ends(b, p + 1) {
            return Some(p);
        }
        let Some(&c) = b.get(p) else {
            continue;
        };
        // Alternatives pushed last-first, so the first is tried first.
        if c != b'}' && c != 0x02 {
            let len = match c {
                0..=0x7F => 1,
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            stack.push(p + len);
        }
        if c == b'\\' && b.get(p + 1) == Some(&q) {
            stack.push(p + 2);
        }
        if c == b'\\' && b.get(p + 1) == Some(&b'}') {
            stack.push(p + 2);
        }
    }
    None
}

/// Ruby's `"".split(/\s+/)`: fields between runs of whitespace, a leading empty one kept.
fn split_whitespace_ruby(s: &str) -> Vec<String> {
    let mut fields: Vec<String> = s
        .split(|c: char| c.is_ascii() && is_space(c as u8))
        .collect::<Vec<_>>()
        .into_iter()
        .enumerate()
        .filter(|(i, f)| *i == 0 || !f.is_empty())
        .map(|(_, f)| f.to_owned())
        .collect();
    while fields.last().is_some_and(String::is_empty) {
        fields.pop();
    }
    fields
}

impl Parser {
    /// kramdown's `parse_attribute_list`: the items of `text` into `ial`.
    pub(crate) fn parse_attribute_list(&mut self, text: &str, ial: &mut Ial) {
        let trimmed = crate::block::ruby_strip(text);
        if trimmed.is_empty() || trimmed == ":" {
            return;
        }
        let b = text.as_bytes();
        let mut found = false;
        let mut pos = 0;
        // str.scan(ALD_TYPE_ANY): each match starts at \A or after one whitespace.
        while pos < b.len() {
            let mut hit = None;
            let mut s = pos;
            while s < b.len() {
                if s == 0 {
                    if let Some(m) = item_at(text, 0) {
                        hit = Some(m);
                        break;
                    }
                }
                if is_space(b[s]) {
                    if let Some(m) = item_at(text, s + 1) {
                        hit = Some(m);
                        break;
                    }
                }
                s += 1;
            }
            let Some((end, item)) = hit else {
                break;
            };
            found = true;
            pos = end;
            match item {
                AttrItem::Ref(name) => ial.refs.push(name),
                AttrItem::IdOrClass(items) => {
                    for (is_class, name) in items {
                        if is_class {
                            let old = ial
                                .attrs
                                .iter()
                                .find(|(k, _)| k == "class")
                                .map_or("", |(_, v)| v.as_str());
                            let joined = format!("{old} {name}").trim_start().to_owned();
                            set_attr(&mut ial.attrs, "class", joined);
                        } else {
                            set_attr(&mut ial.attrs, "id", name);
                        }
                    }
                }
                AttrItem::KeyValue { key, value } => set_attr(&mut ial.attrs, &key, value),
            }
        }
        if !found {
            self.warning(format!(
                "No or invalid attributes found in IAL/ALD content: {text}"
            ));
        }
    }

    /// kramdown's `parse_block_extensions`.
    pub(crate) fn parse_block_extensions(&mut self) -> bool {
        if let Some(caps) = self.src.check(&ALD_START) {
            let name = self.src.group(&caps, 1).unwrap_or("").to_owned();
            let body = self.src.group(&caps, 2).unwrap_or("").to_owned();
            self.src.set_pos(caps.get_match().expect("matched").end());
            let mut ald = self.alds.remove(&name).unwrap_or_default();
            self.parse_attribute_list(&body, &mut ald);
            self.alds.insert(name, ald);
            let eob = self.new_block_el(Element::with_value(Type::Eob, "ald"));
            self.tree.children.push(eob);
            true
        } else if self.src.matches(&EXT_BLOCK_START) {
            self.parse_extension_start_tag(Category::Block)
        } else if let Some(caps) = self.src.check(&IAL_BLOCK_START) {
            let body = self.src.group(&caps, 1).unwrap_or("").to_owned();
            self.src.set_pos(caps.get_match().expect("matched").end());
            let to_last = self.tree.children.last().is_some_and(|last| {
                last.kind != Type::Blank
                    && (last.kind != Type::Eob || definition_kind(last).is_some())
            });
            if to_last {
                let last = self.tree.children.last_mut().expect("checked");
                let mut ial = last.options.ial.take().unwrap_or_default();
                self.parse_attribute_list(&body, &mut ial);
                self.tree.children.last_mut().expect("checked").options.ial = Some(ial);
                self.keep_def_ial();
                if !self.src.matches(&IAL_BLOCK_START) {
                    let eob = self.new_block_el(Element::with_value(Type::Eob, "ial"));
                    self.tree.children.push(eob);
                }
            } else {
                let mut ial = self.block_ial.take().unwrap_or_default();
                self.parse_attribute_list(&body, &mut ial);
                self.block_ial = Some(ial);
            }
            true
        } else {
            false
        }
    }

    /// kramdown's `parse_extension_start_tag(type)`: at a match of EXT_BLOCK_START (block) or
    /// EXT_SPAN_START (span). False, the position back, when it is no extension (a span then
    /// takes its first character as text).
    pub(crate) fn parse_extension_start_tag(&mut self, category: Category) -> bool {
        let re = match category {
            Category::Block => &EXT_BLOCK_START,
            Category::Span => &EXT_SPAN_START,
        };
        let Some(caps) = self.src.check(re) else {
            return false;
        };
        let saved = self.src.save_pos();
        let start_line = self.src.current_line_number();
        let matched = self.src.matched().to_owned();
        let ext = self.src.group(&caps, 1).map(str::to_owned);
        let attrs = self.src.group(&caps, 2).unwrap_or("").to_owned();
        let closed = caps.get_group(3).is_some();
        let stop_name = self.src.group(&caps, 4).map(str::to_owned);
        self.src.set_pos(caps.get_match().expect("matched").end());

        let error = |parser: &mut Parser, msg: String| {
            parser.warning(msg);
            parser.src.revert_pos(saved);
            if category == Category::Span {
                if let Some(c) = parser.src.getch() {
                    parser.add_text(c.encode_utf8(&mut [0; 4]));
                }
            }
            false
        };

        if stop_name.is_some() || matched == "{:/}" {
            let name = stop_name.map_or(String::new(), |n| format!("for '{n}' "));
            return error(
                self,
                format!(
                    "Invalid extension stop tag {name} found on line {start_line} - ignoring it"
                ),
            );
        }
        let ext = ext.unwrap_or_default();
        let mut opts = Ial::default();
        self.parse_attribute_list(&attrs, &mut opts);

        let mut body = None;
        if !closed {
            match self.find_extension_stop(&ext, category) {
                Some((start, end)) => {
                    let mut text = self.src.string()[self.src.pos()..start].to_owned();
                    if category == Category::Block {
                        // chomp
                        if text.ends_with('\n') {
                            text.pop();
                            if text.ends_with('\r') {
                                text.pop();
                            }
                        } else if text.ends_with('\r') {
                            text.pop();
                        }
                    }
                    self.src.set_pos(end);
                    body = Some(text);
                }
                None => {
                    return error(
                        self,
                        format!(
                            "No stop tag for extension '{ext}' found on line {start_line} - ignoring it"
                        ),
                    )
                }
            }
        }

        if self.handle_extension(&ext, &opts, body, category, start_line) {
            true
        } else {
            error(
                self,
                format!(
                    "Invalid extension with name '{ext}' specified on line {start_line} - ignoring it"
                ),
            )
        }
    }

    /// The stop tag of extension `ext` after the position: Ruby's
    /// `^#{OPT_SPACE}\{:/(ext)?\} *?\n` (block; Ruby's `"\s"` is a space there) or
    /// `\{:/(ext)?\}` (span). Where it starts and ends.
    fn find_extension_stop(&self, ext: &str, category: Category) -> Option<(usize, usize)> {
        let text = self.src.string();
        let b = text.as_bytes();
        let from = self.src.pos();
        let tag_end = |at: usize| -> Option<usize> {
            let rest = &text[at..];
            let rest = rest.strip_prefix("{:/")?;
            let rest = rest
                .strip_prefix(ext)
                .filter(|r| r.starts_with('}'))
                .unwrap_or(rest);
            rest.starts_with('}').then(|| text.len() - rest.len() + 1)
        };
        let finder = memmem::Finder::new("{:/");
        let mut at = from;
        while let Some(i) = finder.find(&b[at..]) {
            let tag = at + i;
            at = tag + 1;
            let Some(end) = tag_end(tag) else {
                continue;
            };
            if category == Category::Span {
                return Some((tag, end));
            }
            // A line of its own: up to three spaces before, spaces and a newline after.
            let line_start = b[..tag]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |i| i + 1)
                .max(from);
            if tag - line_start > 3 || b[line_start..tag].iter().any(|&c| c != b' ') {
                continue;
            }
            let mut e = end;
            while b.get(e) == Some(&b' ') {
                e += 1;
            }
            if b.get(e) == Some(&b'\n') {
                return Some((line_start, e + 1));
            }
        }
        None
    }

    /// kramdown's `handle_extension`.
    fn handle_extension(
        &mut self,
        name: &str,
        opts: &Ial,
        body: Option<String>,
        category: Category,
        line: u32,
    ) -> bool {
        match name {
            "comment" => {
                if let Some(body) = body {
                    let mut el = Element::with_value(Type::Comment, body).at(line);
                    el.options.category = Some(category);
                    self.tree.children.push(el);
                }
                true
            }
            "nomarkdown" => {
                if let Some(body) = body {
                    let mut el = Element::with_value(Type::Raw, body).at(line);
                    el.options.category = Some(category);
                    let types = opts
                        .attrs
                        .iter()
                        .find(|(k, _)| k == "type")
                        .map_or("", |(_, v)| v.as_str());
                    el.options.rare_mut().types = split_whitespace_ruby(types);
                    self.tree.children.push(el);
                }
                true
            }
            "options" => {
                let mut unknown = Vec::new();
                if !opts.refs.is_empty() {
                    unknown.push("refs".to_owned());
                }
                for (key, value) in &opts.attrs {
                    if !KNOWN_OPTIONS.contains(&key.as_str()) {
                        unknown.push(key.clone());
                    } else if key == "template" || key == "forbidden_inline_options" {
                        self.warning(format!("Option {key} may not be set inline"));
                    } else {
                        self.set_inline_option(key, value);
                    }
                }
                for key in unknown {
                    self.warning(format!("Unknown kramdown option '{key}'"));
                }
                if category == Category::Block {
                    let eob = self.new_block_el(Element::with_value(Type::Eob, "extension"));
                    self.tree.children.push(eob);
                }
                true
            }
            _ => false,
        }
    }

    /// `Kramdown::Options.parse(key, value)` into the options (a value that does not parse is
    /// ignored, as Ruby rescues it).
    fn set_inline_option(&mut self, key: &str, value: &str) {
        fn boolean(v: &str) -> bool {
            v.to_lowercase().trim() != "false" && !v.is_empty()
        }
        fn symbol(v: &str) -> Option<String> {
            let v = v.trim();
            let v = v.strip_prefix(':').unwrap_or(v);
            (!v.is_empty() && v != "nil").then(|| v.to_owned())
        }
        let o = &mut self.options;
        match key {
            "auto_ids" => o.auto_ids = boolean(value),
            "auto_id_stripping" => o.auto_id_stripping = boolean(value),
            "auto_id_prefix" => o.auto_id_prefix = value.to_owned(),
            "transliterated_header_ids" => o.transliterated_header_ids = boolean(value),
            "parse_block_html" => o.parse_block_html = boolean(value),
            "parse_span_html" => o.parse_span_html = boolean(value),
            "html_to_native" => o.html_to_native = boolean(value),
            "footnote_nr" => {
                if let Ok(n) = value.trim().parse() {
                    o.footnote_nr = n;
                }
            }
            "header_offset" => {
                if let Ok(n) = value.trim().parse() {
                    o.header_offset = n;
                }
            }
            "entity_output" => {
                if let Some(v) = symbol(value) {
                    o.entity_output = v;
                }
            }
            "syntax_highlighter" => o.syntax_highlighter = symbol(value),
            "math_engine" => o.math_engine = symbol(value),
            "footnote_backlink" => o.footnote_backlink = value.to_owned(),
            "footnote_backlink_inline" => o.footnote_backlink_inline = boolean(value),
            "footnote_prefix" => o.footnote_prefix = value.to_owned(),
            "remove_block_html_tags" => o.remove_block_html_tags = boolean(value),
            "remove_span_html_tags" => o.remove_span_html_tags = boolean(value),
            "remove_line_breaks_for_cjk" => o.remove_line_breaks_for_cjk = boolean(value),
            "smart_quotes" => {
                let parts: Vec<&str> = value.split(',').collect();
                if let [a, b, c, d] = parts[..] {
                    o.smart_quotes = [a, b, c, d].map(String::from);
                }
            }
            "toc_levels" => {
                let b = value.as_bytes();
                let levels: Option<Vec<u8>> = if b.len() == 4
                    && b[0].is_ascii_digit()
                    && &b[1..3] == b".."
                    && b[3].is_ascii_digit()
                {
                    Some((b[0] - b'0'..=b[3] - b'0').collect())
                } else if !value.is_empty()
                    && value
                        .split(',')
                        .all(|p| p.len() == 1 && p.as_bytes()[0].is_ascii_digit())
                {
                    let mut v: Vec<u8> = Vec::new();
                    for p in value.split(',') {
                        let n = p.as_bytes()[0] - b'0';
                        if !v.contains(&n) {
                            v.push(n);
                        }
                    }
                    Some(v)
                } else {
                    None
                };
                if let Some(levels) = levels.filter(|l| l.iter().all(|n| (1..=6).contains(n))) {
                    o.toc_levels = levels;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{assert_tree, parse, Options};

    #[test]
    fn alds_and_ials() {
        assert_tree(
            "{:a1: #id1 .c1 .c2 k=\"v1\"}\n{:a2: a1 .c3}\n\nPara\n{: a2 k=\"v2\" .c4 #id2}\n",
            r#"root @1
  blank "\n" @0
  p id="id2" class="c1 c2 c3 c4" k="v2" @4
    text "Para" @4
"#,
        );
    }

    #[test]
    fn ial_values_and_classes() {
        assert_tree(
            "Para\n{: title=\"say \\\" hi\" other='it\\'s' bad=noquote .x.y#z}\n",
            r#"root @1
  p title="say \" hi" other="it's" class="x y" id="z" @1
    text "Para" @1
"#,
        );
    }

    #[test]
    fn block_ial_goes_to_next_block() {
        assert_tree(
            "{: .block}\nPara with block IAL\n\n{: #first}\n{: .second}\nTwo IALs\n\n{: .lost}\n\nAfter blank\n",
            r#"root @1
  p class="block" @2
    text "Para with block IAL" @2
  blank "\n" @0
  p id="first" class="second" @6
    text "Two IALs" @6
  blank "\n\n" @0
  p class="lost" @10
    text "After blank" @10
"#,
        );
    }

    #[test]
    fn comment_and_nomarkdown() {
        assert_tree(
            "{::comment}\nhidden\n{:/comment}\n\n{::nomarkdown type=\" html  latex \"}\n<x>\n{:/nomarkdown}\n\n{::comment /}\nPara\n",
            r#"root @1
  comment "hidden" @1 category=Block
  blank "\n" @0
  raw "<x>" @5 category=Block
  blank "\n" @0
  p @10
    text "Para" @10
"#,
        );
    }

    #[test]
    fn unknown_extension_is_text() {
        assert_tree(
            "{::unknown}\nbody\n",
            r#"root @1
  p @1
    text "{::unknown}\nbody" @1
"#,
        );
    }

    #[test]
    fn options_extension() {
        assert_tree(
            "{::options auto_ids=\"false\" /}\n# No id\n",
            r#"root @1
  header @2 level=1
    text "No id" @2
"#,
        );
    }

    // Expected: kramdown's raw elements' `options[:type]`, `root.options[:options]` and
    // the block parsers' warnings (the spans' come after them) for the same text.
    #[test]
    fn extension_options_types_and_warnings() {
        let doc = parse(
            concat!(
                "{::nomarkdown type=\" html  latex \"}\n<x>\n{:/nomarkdown}\n\n",
                "{::nomarkdown}\ny\n{:/}\n\n",
                "{::options footnote_nr=\"5\" unknown_opt=\"1\" template=\"x\" toc_levels=\"2..3\" /}\n\n",
                "{:/comment}\n\n{::comment}\nnever closed\n\n{: #1bad}\n\nPara\n",
            ),
            &Options::default(),
        );
        let raws: Vec<&Vec<String>> = doc
            .root
            .children
            .iter()
            .filter(|c| c.kind == crate::tree::Type::Raw)
            .map(|c| &c.options.rare().types)
            .collect();
        assert_eq!(
            raws,
            [&vec!["".to_owned(), "html".into(), "latex".into()], &vec![]]
        );
        assert_eq!(doc.options.footnote_nr, 5);
        assert_eq!(doc.options.toc_levels, [2, 3]);
        assert_eq!(
            doc.warnings[..5],
            [
                "Option template may not be set inline",
                "Unknown kramdown option 'unknown_opt'",
                "Invalid extension stop tag for 'comment'  found on line 11 - ignoring it",
                "No stop tag for extension 'comment' found on line 13 - ignoring it",
                "No or invalid attributes found in IAL/ALD content:  #1bad",
            ]
        );
    }
}
