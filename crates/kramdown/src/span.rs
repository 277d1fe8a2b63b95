//! kramdown's span parsers (lib/kramdown/parser/kramdown/*.rb: emphasis, codespan, autolink,
//! footnote markers, link, smart_quotes, math, extensions' span part, html_entity,
//! typographic_symbol, line_break, escaped_chars) with kramdown-parser-gfm's
//! (`escaped_chars_gfm`, `strikethrough_gfm`), and the regex that finds where one may start
//! (`span_parser_regexps` / `span_pattern_cache`).
//!
//! Written from kramdown 2.4's Ruby (© Thomas Leitner, MIT) and kramdown-parser-gfm 1.1's (MIT);
//! the smart-quote rules come from RubyPants / SmartyPants (© John Gruber, Christian
//! Neukirchen, BSD-style licences, as kramdown credits them).
//!
//! Ruby's look-arounds and back-references, which Rust's regexes lack, are checked by hand
//! after the match, each where the Ruby regex has it. Ruby's `\s`, `\w`, `\d` are ASCII;
//! `[[:alpha:]]` is Unicode's Alphabetic, `[[:alnum:]]` that and the decimal digits (Nd), and
//! `\b` uses Unicode's word characters.
//!
//! Definitions' IALs (`[id]: url` or `[^fn]: …` then `{: .x}`) are in `Parser::def_ials`
//! (Ruby keeps them on the definitions' `:eob` markers).
//!
//! Differences from the Ruby: a numeric character reference past `u32` keeps `u32::MAX` as its
//! code point (Ruby's is a bignum; neither is a character, so the converter writes the
//! reference as written); options only kramdown's own converters read are not kept (a code
//! span's `codespan_delimiter`, a `del`'s `line`). Like kramdown, a paragraph of many
//! unclosed image openers (`![a ![b ![c …`) takes time exponential in their number: each
//! one parses the rest of the paragraph again.
//!
//! Not for: span HTML (html.rs), extension tags and attribute lists themselves
//! (extensions.rs), block math (block.rs).

use std::sync::{Arc, LazyLock, Mutex};

use crate::block;
use crate::html::FnvMap;
use crate::scanner::Re;
use crate::tree::{Category, Element, Entity, Ial, Type, Value};
use crate::{Parser, SpanParser, Stop};

/// The pattern (Ruby's `span_start`) that finds where `parser` may start: the earliest match
/// of any of these (or of the stop pattern) is where `parse_spans` next tries the parsers.
/// Look-aheads are matched as text: only where a match starts counts.
fn span_start(parser: SpanParser) -> &'static str {
    use SpanParser::*;
    match parser {
        Emphasis => r"\*|_",
        Codespan => "`",
        Autolink => "<",
        SpanHtml => crate::html::HTML_SPAN_START_STR,
        FootnoteMarker => r"\[",
        Link => r"!?\[",
        SmartQuotes => r#"[^\\]?["']"#,
        InlineMath => r"\$",
        SpanExtensions => r"\{:",
        HtmlEntity => "&",
        TypographicSyms => r"--|\.\.\.|(?:\\| )?(?:<<|>>)",
        // `(  |\\)(?=\n)`
        LineBreak => r"(?:  |\\)\n",
        EscapedChars => r"\\",
        Strikethrough => "~~",
    }
}

fn parser_bit(parser: SpanParser) -> u32 {
    1 << (parser as u32)
}

/// Start regexes by parser set (a bit each) and, with a stop pattern, by that too.
#[derive(Default)]
struct StartCache {
    plain: FnvMap<u32, Arc<Re>>,
    with_stop: FnvMap<u32, FnvMap<String, Arc<Re>>>,
}

/// How many patterns a cache keeps before it starts again.
const CACHE_LIMIT: usize = 512;

static START_CACHE: LazyLock<Mutex<StartCache>> = LazyLock::new(Default::default);
static PATTERN_CACHE: LazyLock<Mutex<FnvMap<String, Arc<Re>>>> = LazyLock::new(Default::default);

/// The regex that finds where any of `parsers` may start, or `stop` matches (Ruby's
/// `span_start_re` and `span_pattern_cache`), compiled once per parser set and stop pattern.
/// Where the match starts is what counts (it stands for Ruby's `(?=…)`), so the order of the
/// alternatives does not matter.
pub(crate) fn start_re(parsers: &[SpanParser], stop: Option<&str>) -> Arc<Re> {
    let set = parsers.iter().fold(0, |set, &p| set | parser_bit(p));
    let build = || {
        let mut pattern = String::new();
        if let Some(stop) = stop {
            pattern.push_str("(?:");
            pattern.push_str(stop);
            pattern.push(')');
        }
        for &p in parsers {
            if !pattern.is_empty() {
                pattern.push('|');
            }
            pattern.push_str("(?:");
            pattern.push_str(span_start(p));
            pattern.push(')');
        }
        if pattern.is_empty() {
            // No parser and no stop: nothing starts anywhere.
            pattern.push_str(r"[^\s\S]");
        }
        Arc::new(Re::new(&pattern))
    };
    let mut cache = START_CACHE.lock().unwrap_or_else(|e| e.into_inner());
    match stop {
        None => cache.plain.entry(set).or_insert_with(build).clone(),
        Some(stop) => {
            let by_stop = cache.with_stop.entry(set).or_default();
            if let Some(re) = by_stop.get(stop) {
                return re.clone();
            }
            if by_stop.len() >= CACHE_LIMIT {
                // Stop patterns come from the text (HTML tag names): the cache lives as long
                // as the process, so it is not let grow without end.
                by_stop.clear();
            }
            let re = build();
            by_stop.insert(stop.to_owned(), re.clone());
            re
        }
    }
}

/// The bytes `find_span_start` looks at.
static SPAN_TRIGGER: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"*_`<>[\"'${&-.\\\n~";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// The first byte at or after `from` that [`SPAN_TRIGGER`] takes (the length when none): eight
/// bytes at a time, with one branch for the eight, over the text no parser looks at.
fn next_trigger(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    for chunk in bytes[from..].chunks_exact(8) {
        if chunk
            .iter()
            .fold(false, |any, &b| any | SPAN_TRIGGER[b as usize])
        {
            break;
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&b| SPAN_TRIGGER[b as usize])
        .map_or(bytes.len(), |n| i + n)
}

/// The start of the first match of `start_re(parsers, None)` in `text[pos..]` (the regex sees
/// the text from `pos` on), found byte by byte: each alternative of the union has a byte it
/// needs, and a match starts at most two characters before it. `None` when the set is one
/// this does not handle (the regex is used then); `Some(None)` when nothing matches.
pub(crate) fn find_span_start(
    text: &str,
    pos: usize,
    parsers: &[SpanParser],
) -> Option<Option<usize>> {
    use SpanParser::*;
    let set = parsers.iter().fold(0, |set, &p| set | parser_bit(p));
    let has = |p: SpanParser| set & parser_bit(p) != 0;
    if set == 0 || (has(SpanHtml) && !has(Autolink)) {
        // `<(?:name|!--|/)` alone needs more than its `<`.
        return None;
    }
    let bytes = text.as_bytes();
    let len = bytes.len();
    let at = |i: usize| bytes.get(i).copied();
    let mut i = pos;
    loop {
        i = next_trigger(bytes, i);
        if i >= len {
            break;
        }
        let b = bytes[i];
        let found = match b {
            b'*' | b'_' => has(Emphasis),
            b'`' => has(Codespan),
            b'<' | b'>' => {
                let double = at(i + 1) == Some(b);
                if has(TypographicSyms) && double && i > pos && matches!(bytes[i - 1], b' ' | b'\\')
                {
                    return Some(Some(i - 1));
                }
                (b == b'<' && has(Autolink)) || (has(TypographicSyms) && double)
            }
            b'[' => {
                if has(Link) && i > pos && bytes[i - 1] == b'!' {
                    return Some(Some(i - 1));
                }
                has(Link) || has(FootnoteMarker)
            }
            b'"' | b'\'' if has(SmartQuotes) => {
                if i > pos {
                    let before = text[pos..i].chars().next_back().expect("a character");
                    if before != '\\' {
                        return Some(Some(i - before.len_utf8()));
                    }
                }
                true
            }
            b'$' => has(InlineMath),
            b'{' => has(SpanExtensions) && at(i + 1) == Some(b':'),
            b'&' => has(HtmlEntity),
            b'-' => has(TypographicSyms) && at(i + 1) == Some(b'-'),
            b'.' => has(TypographicSyms) && bytes[i..].starts_with(b"..."),
            b'\\' => {
                has(EscapedChars)
                    || (has(TypographicSyms)
                        && (bytes[i + 1..].starts_with(b"<<") || bytes[i + 1..].starts_with(b">>")))
                    || (has(LineBreak) && at(i + 1) == Some(b'\n'))
            }
            b'\n' => {
                if has(LineBreak) && i >= pos + 2 && &bytes[i - 2..i] == b"  " {
                    return Some(Some(i - 2));
                }
                false
            }
            b'~' => has(Strikethrough) && at(i + 1) == Some(b'~'),
            _ => false,
        };
        if found {
            return Some(Some(i));
        }
        i += 1;
    }
    Some(None)
}

/// Whether every match of the stop pattern `stop` starts where one of `parsers` may start, so
/// that the union regex with it matches where the one without it does: emphasis's delimiters
/// (`\*`, `\*\*`, `_`, `__`) start at a `*` or `_`, where the emphasis parser's start matches.
pub(crate) fn stop_starts_at_parser_start(stop: &str, parsers: &[SpanParser]) -> bool {
    matches!(stop, r"\*" | r"\*\*" | "_" | "__") && parsers.contains(&SpanParser::Emphasis)
}

/// `pattern` compiled once per process.
pub(crate) fn cached_re(pattern: &str) -> Arc<Re> {
    let mut cache = PATTERN_CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(re) = cache.get(pattern) {
        return re.clone();
    }
    if cache.len() >= CACHE_LIMIT {
        cache.clear();
    }
    let re = Arc::new(Re::new(pattern));
    cache.insert(pattern.to_owned(), re.clone());
    re
}

// Ruby's character classes, as kramdown's regexes use them.

/// Ruby's `\s` of a character.
fn is_space(c: char) -> bool {
    c.is_ascii() && block::is_space(c as u8)
}

/// Ruby's `\w`: ASCII letters, digits, `_`.
fn is_ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Ruby's `[[:alnum:]]`: Alphabetic or a decimal digit.
fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let mut buf = [0; 4];
    UNICODE_ALNUM.is_match(c.encode_utf8(&mut buf))
}

fn char_at(s: &str, at: usize) -> Option<char> {
    s.get(at..).and_then(|r| r.chars().next())
}

fn char_before(s: &str, at: usize) -> Option<char> {
    s[..at].chars().next_back()
}

crate::re!(UNICODE_ALNUM = r"^[\p{Alphabetic}\p{Nd}]$");

// codespan.rb
crate::re!(CODESPAN_DELIMITER = r"`+");
// autolink.rb: ACHARS = '[[:alnum:]]-_.'
crate::re!(
    AUTOLINK_START =
        r"<((mailto|https?|ftps?):.+?|[\p{Alphabetic}\p{Nd}\-_.]+?@[\p{Alphabetic}\p{Nd}\-_.]+?)>"
);
// footnote.rb: `\[\^(ALD_ID_NAME)\]`
crate::re!(FOOTNOTE_MARKER_START = r"\[\^([A-Za-z0-9_][A-Za-z0-9_-]*)\]");
// link.rb
const LINK_BRACKET_STOP: &str = r"\]|!?\[";
crate::re!(LINK_BRACKET_STOP_RE = LINK_BRACKET_STOP);
// `(\()|(\))|\s(?=['"])`: the quote is looked at, not taken.
crate::re!(LINK_PAREN_STOP_RE = r#"(\()|(\))|[ \t\n\x0B\f\r]['"]"#);
crate::re!(LINK_INLINE_ID_RE = r"[ \t\n\x0B\f\r]*?\[([^\]]+)?\]");
crate::re!(LINK_URL_ANGLE = r"\(<(.*?)>");
crate::re!(ESCAPED_CHARS = r#"\\([\\.*_+`<>()\[\]{}#!:|"'$=-])"#);
// math.rb
crate::re!(INLINE_MATH_START = r"(?s)\$\$(.*?)\$\$");
// extensions.rb
crate::re!(
    EXT_SPAN_START = r"\{::([A-Za-z0-9_]+)(?:[ \t\n\x0B\f\r]((?:\\\}|[^}])*?)|)(/)?\}|\{:/([A-Za-z0-9_][A-Za-z0-9_-]*)?\}"
);
crate::re!(IAL_SPAN_START = r"\{:((?:\\\}|[^}])+)\}");
// html/parser.rb's HTML_ENTITY_RE
crate::re!(HTML_ENTITY_RE = r"&([A-Za-z0-9_:][\-A-Za-z0-9_.:]*);|&#([0-9]+);|&#x([0-9a-fA-F]+);");
// typographic_symbol.rb
crate::re!(TYPOGRAPHIC_SYMS_RE = r"---|--|\.\.\.|\\<<|\\>>|<< | >>|<<|>>");
// gfm.rb
crate::re!(ESCAPED_CHARS_GFM = r#"\\([\\.*_+`<>()\[\]{}#!:|"'$=\-~])"#);
// `~~(?!\s|~).*?[^\s~]~~` (m): the look-ahead is checked by hand.
crate::re!(STRIKETHROUGH_MATCH = r"(?s)~~.*?[^ \t\n\x0B\f\r~]~~");

/// `TYPOGRAPHIC_SYMS`: what each symbol becomes (a symbol name; `\<<`, `\>>` are two entities).
fn typographic_sym(text: &str) -> &'static str {
    match text {
        "---" => "mdash",
        "--" => "ndash",
        "..." => "hellip",
        "<< " => "laquo_space",
        " >>" => "raquo_space",
        "<<" => "laquo",
        _ => "raquo",
    }
}

/// The quote substitutions (`SQ_SUBSTS`): a rule's opening or closing quote by its character.
fn quote_name(close: bool, quote: char) -> &'static str {
    match (close, quote) {
        (true, '"') => "rdquo",
        (true, _) => "rsquo",
        (false, '"') => "ldquo",
        (false, _) => "lsquo",
    }
}

/// `SQ_PUNCT`: ASCII punctuation but `&`.
fn is_sq_punct(c: char) -> bool {
    c.is_ascii_punctuation() && c != '&'
}

/// `SQ_CLOSE`: `[^\ \\\t\r\n\[{(-]`.
fn is_sq_close(c: char) -> bool {
    !matches!(c, ' ' | '\\' | '\t' | '\r' | '\n' | '[' | '{' | '(' | '-')
}

fn is_quote(c: Option<char>) -> bool {
    matches!(c, Some('"' | '\''))
}

/// What a smart-quote rule gives: how many bytes it takes, the text before the quotes (its
/// group 1, as text) and the quote names.
struct QuoteMatch {
    len: usize,
    text_len: usize,
    quotes: [Option<&'static str>; 2],
}

/// `SQ_RULES` tried in order at `at` (the first that matches wins).
fn smart_quote_rule(s: &str, at: usize) -> Option<QuoteMatch> {
    let mut chars = s[at..].chars();
    let c0 = chars.next()?;
    let c1 = chars.next();
    let c2 = chars.next();
    let c3 = chars.next();
    let c4 = chars.next();
    let w0 = c0.len_utf8();
    let q0 = matches!(c0, '"' | '\'');
    let one = |close: bool, quote: char| QuoteMatch {
        len: quote.len_utf8(),
        text_len: 0,
        quotes: [Some(quote_name(close, quote)), None],
    };
    let ascii_word = |c: Option<char>| c.is_some_and(is_ascii_word);
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let space = |c: Option<char>| c.is_some_and(is_space);

    // /("|')(?=[_*]{1,2}\S)/ → lquote1
    if q0 && matches!(c1, Some('_' | '*')) && c2.is_some_and(|c| !is_space(c)) {
        return Some(one(false, c0));
    }
    // /("|')(?=#{SQ_PUNCT}(?!\.\.)\B)/ → rquote1
    if q0 {
        if let Some(p) = c1.filter(|&c| is_sq_punct(c)) {
            let not_dots = !(c2 == Some('.') && c3 == Some('.'));
            let no_boundary = block::is_word_char(p) == c2.is_some_and(block::is_word_char);
            if not_dots && no_boundary {
                return Some(one(true, c0));
            }
        }
    }
    // /(\s?)"'(?=\w)/ → [1, :ldquo, :lsquo] and /(\s?)'"(?=\w)/ → [1, :lsquo, :ldquo]
    for (a, b, names) in [
        ('"', '\'', ["ldquo", "lsquo"]),
        ('\'', '"', ["lsquo", "ldquo"]),
    ] {
        let hit = if is_space(c0) && c1 == Some(a) && c2 == Some(b) && ascii_word(c3) {
            Some(w0)
        } else if c0 == a && c1 == Some(b) && ascii_word(c2) {
            Some(0)
        } else {
            None
        };
        if let Some(text_len) = hit {
            return Some(QuoteMatch {
                len: text_len + 2,
                text_len,
                quotes: [Some(names[0]), Some(names[1])],
            });
        }
    }
    // /(\s?)'(?=\d\ds)/ → [1, :rsquo]
    let decade = if is_space(c0) && c1 == Some('\'') && digit(c2) && digit(c3) && c4 == Some('s') {
        Some(w0)
    } else if c0 == '\'' && digit(c1) && digit(c2) && c3 == Some('s') {
        Some(0)
    } else {
        None
    };
    if let Some(text_len) = decade {
        return Some(QuoteMatch {
            len: text_len + 1,
            text_len,
            quotes: [Some("rsquo"), None],
        });
    }
    // /(\s)('|")(?=\w)/ → [1, :lquote2]
    if is_space(c0) && is_quote(c1) && ascii_word(c2) {
        return Some(QuoteMatch {
            len: w0 + 1,
            text_len: w0,
            quotes: [Some(quote_name(false, c1?)), None],
        });
    }
    // /(#{SQ_CLOSE})('|")/ → [1, :rquote2]
    if is_sq_close(c0) && is_quote(c1) {
        return Some(QuoteMatch {
            len: w0 + 1,
            text_len: w0,
            quotes: [Some(quote_name(true, c1?)), None],
        });
    }
    // /("|')(?=\s|s\b|$)/ → rquote1
    if q0
        && (space(c1)
            || (c1 == Some('s') && !c2.is_some_and(block::is_word_char))
            || c1.is_none()
            || c1 == Some('\n'))
    {
        return Some(one(true, c0));
    }
    // /(.?)'/m → [1, :lsquo] and /(.?)"/m → [1, :ldquo]
    for (quote, name) in [('\'', "lsquo"), ('"', "ldquo")] {
        let text_len = if c1 == Some(quote) {
            w0
        } else if c0 == quote {
            0
        } else {
            continue;
        };
        return Some(QuoteMatch {
            len: text_len + 1,
            text_len,
            quotes: [Some(name), None],
        });
    }
    None
}

/// Ruby's `[[:alpha:]]-?[[:alpha:]]*\z` on the text before an underscore: it ends in a letter,
/// or in a letter and `-`.
fn ends_in_word_part(before: &str) -> bool {
    let mut rev = before.chars().rev();
    match rev.next() {
        Some(c) if c.is_alphabetic() => true,
        Some('-') => rev.next().is_some_and(char::is_alphabetic),
        _ => false,
    }
}

impl Parser {
    /// One span parser at the current position: its start regex anchored here and, when it
    /// matches, the parser (Ruby: `processed` is then true whatever the parser did).
    pub(crate) fn try_span(&mut self, parser: SpanParser) -> bool {
        let pos = self.src.pos();
        let processed = self.run_span_parser(parser);
        if processed && self.src.pos() == pos {
            // Every parser moves on when it ran; should one not, the character is text
            // (else parse_spans would try it again forever).
            self.add_getch();
        }
        processed
    }

    fn run_span_parser(&mut self, parser: SpanParser) -> bool {
        use SpanParser::*;
        // What each start regex needs first, looked at before the regex runs.
        let rest = self.src.rest().as_bytes();
        let first = rest.first().copied();
        let may_start = match parser {
            Codespan => first == Some(b'`'),
            Autolink | SpanHtml => first == Some(b'<'),
            FootnoteMarker => rest.starts_with(b"[^"),
            InlineMath => rest.starts_with(b"$$"),
            HtmlEntity => first == Some(b'&'),
            TypographicSyms => matches!(first, Some(b'-' | b'.' | b'\\' | b'<' | b'>' | b' ')),
            EscapedChars => first == Some(b'\\'),
            _ => true,
        };
        if !may_start {
            return false;
        }
        match parser {
            Emphasis => self.parse_emphasis(),
            Codespan => self.parse_codespan(),
            Autolink => self.parse_autolink(),
            SpanHtml => {
                // `<(?:NAME|!--|/)`: an ASCII letter or `_` starts a name.
                let here = match rest.get(1) {
                    Some(b) if b.is_ascii_alphabetic() || *b == b'_' || *b == b'/' => true,
                    Some(b'!') => rest[1..].starts_with(b"!--"),
                    Some(&b) if b >= 0x80 => self.src.matches(&crate::html::HTML_SPAN_START),
                    _ => false,
                };
                if !here {
                    return false;
                }
                self.parse_span_html();
                true
            }
            FootnoteMarker => self.parse_footnote_marker(),
            Link => self.parse_link(),
            SmartQuotes => self.parse_smart_quotes(),
            InlineMath => self.parse_inline_math(),
            SpanExtensions => self.parse_span_extensions(),
            HtmlEntity => self.parse_html_entity(),
            TypographicSyms => self.parse_typographic_syms(),
            LineBreak => self.parse_line_break(),
            EscapedChars => self.parse_escaped_chars(),
            Strikethrough => self.parse_strikethrough_gfm(),
        }
    }

    fn push_span(&mut self, el: Element) {
        self.tree.children.push(el);
    }

    /// Whether an element of `kind` is being filled here or around (`@tree` and `@stack`).
    fn inside(&self, kind: Type) -> bool {
        self.tree.kind == kind || self.span_stack.contains(&kind)
    }

    /// emphasis.rb: `*em*`, `**strong**`, `_em_`, `__strong__`.
    fn parse_emphasis(&mut self) -> bool {
        let start = self.src.pos();
        let bytes = self.src.string().as_bytes();
        let c = match bytes.get(start) {
            Some(&c @ (b'*' | b'_')) => c,
            _ => return false,
        };
        let double = bytes.get(start + 1) == Some(&c);
        let result: &'static str = match (c, double) {
            (b'*', false) => "*",
            (b'*', true) => "**",
            (_, false) => "_",
            (_, true) => "__",
        };
        let start_line = self.src.current_line_number();
        let saved = self.src.save_pos();
        self.src.set_pos(start + result.len());
        let element = if double { Type::Strong } else { Type::Em };
        let kind = &result[..1];

        let s = self.src.string();
        if (c == b'_' && ends_in_word_part(&s[..start]))
            || char_at(s, start + result.len()).is_some_and(is_space)
            || self.inside(element)
        {
            self.add_text(result);
            return true;
        }

        let (mut found, mut el) = self.emphasis_sub_parse(result, element, kind, start_line);
        let mut delim_len = result.len();
        if !found && element == Type::Strong && self.tree.kind != Type::Em {
            self.src.revert_pos(saved);
            self.src.set_pos(self.src.pos() + 1);
            (found, el) = self.emphasis_sub_parse(kind, Type::Em, kind, start_line);
            delim_len = 1;
        }
        if found {
            self.src.set_pos(self.src.pos() + delim_len);
            self.push_span(el);
        } else {
            self.src.revert_pos(saved);
            self.src.set_pos(self.src.pos() + result.len());
            self.add_text(result);
        }
        true
    }

    /// emphasis.rb's `sub_parse`: the spans up to `delim`, where it may close.
    fn emphasis_sub_parse(
        &mut self,
        delim: &'static str,
        elem: Type,
        kind: &'static str,
        start_line: u32,
    ) -> (bool, Element) {
        let el = Element::new(elem).at(start_line);
        let pattern = if delim.starts_with('*') {
            &r"\*\*"[..2 * delim.len()]
        } else {
            delim
        };
        let mut accept = |p: &mut Parser| {
            let s = p.src.string();
            let pos = p.src.pos();
            let rest = &s[pos..];
            // (@src.pre_match[-1, 1] !~ /\s/)
            !char_before(s, pos).is_some_and(is_space)
                // (elem != :em || !@src.match?(/#{delim * 2}(?!#{delim})/))
                && (elem != Type::Em
                    || !(rest.len() >= 2
                        && rest.as_bytes()[..2].iter().all(|&b| b == delim.as_bytes()[0])
                        && !rest[2..].starts_with(delim)))
                // (type != '_' || !@src.match?(/#{delim}[[:alnum:]]/))
                && (kind != "_"
                    || !(rest.starts_with(delim)
                        && char_at(rest, delim.len()).is_some_and(is_alnum)))
                && !p.tree.children.is_empty()
        };
        let stop = Stop {
            pattern,
            accept: &mut accept,
        };
        let (el, found) = self.parse_spans(el, Some(stop), None, None);
        (found, el)
    }

    /// codespan.rb: `` `code` ``, ``` `` co`de `` ```.
    fn parse_codespan(&mut self) -> bool {
        let start = self.src.pos();
        let Some(end) = CODESPAN_DELIMITER.end_at(self.src.string(), start) else {
            return false;
        };
        let start_line = self.src.current_line_number();
        self.src.set_pos(end);
        let result_len = end - start;
        let simple = result_len == 1;
        let saved = self.src.save_pos();
        let s = self.src.string();
        // @src.pre_match =~ /\s\Z|\A\Z/ && @src.match?(/\s/)
        let before = &s[..start];
        if simple
            && (before.is_empty() || before == "\n" || before.ends_with(is_space))
            && char_at(s, end).is_some_and(is_space)
        {
            self.add_text("`");
            return true;
        }
        let delimiter = &s[start..end];
        match memchr::memmem::find(&s.as_bytes()[end..], delimiter.as_bytes()) {
            Some(i) => {
                let mut text = &s[end..end + i];
                if !simple {
                    text = text.strip_prefix(' ').unwrap_or(text);
                    text = text.strip_suffix(' ').unwrap_or(text);
                }
                let el = Element::with_value(Type::Codespan, text).at(start_line);
                self.src.set_pos(end + i + result_len);
                self.push_span(el);
            }
            None => {
                let delimiter = delimiter.to_owned();
                self.src.revert_pos(saved);
                self.add_text(&delimiter);
            }
        }
        true
    }

    /// autolink.rb: `<https://…>`, `<a@b.c>`.
    fn parse_autolink(&mut self) -> bool {
        // Most `<` start no autolink: what it needs after the `<` (a scheme, or name
        // characters and `@`) is looked at first, then the regex without the groups.
        let after = &self.src.rest().as_bytes()[1..];
        let scheme = ["mailto:", "http:", "https:", "ftp:", "ftps:"]
            .iter()
            .any(|s| after.starts_with(s.as_bytes()));
        let run = after
            .iter()
            .take_while(|&&b| {
                b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') || b >= 0x80
            })
            .count();
        let email = run > 0 && after.get(run) == Some(&b'@');
        if !(scheme || email) {
            return false;
        }
        if !self.src.matches(&AUTOLINK_START) {
            return false;
        }
        let Some(caps) = self.src.check(&AUTOLINK_START) else {
            return false;
        };
        let start_line = self.src.current_line_number();
        let end = caps.get_match().map_or(0, |m| m.end());
        let target = self.src.group(&caps, 1).unwrap_or("").to_owned();
        let has_scheme = caps.get_group(2).is_some();
        self.src.set_pos(end);
        let href = if has_scheme {
            target.clone()
        } else {
            format!("mailto:{target}")
        };
        let mut el = Element::new(Type::A).at(start_line);
        el.set_attr("href", href);
        let text = target.strip_prefix("mailto:").unwrap_or(&target);
        Parser::add_text_to(&mut el, text, self.text_type);
        self.push_span(el);
        true
    }

    /// footnote.rb's `parse_footnote_marker`: `[^name]`.
    fn parse_footnote_marker(&mut self) -> bool {
        let Some(caps) = self.src.check(&FOOTNOTE_MARKER_START) else {
            return false;
        };
        let start_line = self.src.current_line_number();
        let end = caps.get_match().map_or(0, |m| m.end());
        let matched = self.src.matched().to_owned();
        let name = self.src.group(&caps, 1).unwrap_or("").to_owned();
        self.src.set_pos(end);
        if let Some(def) = self.footnotes.get_mut(&name) {
            def.referenced = true;
            let mut el = Element::new(Type::Footnote).at(start_line);
            // The attributes and IAL of the definition's end-of-block marker: kramdown gives
            // the marker the marker's own attributes, to which the IAL is applied twice (by the
            // first marker and by `update_tree` when it meets the end-of-block marker).
            if let Some(ial) = self.def_ials.get(&("footnote_def", name.clone())) {
                let ial = ial.clone();
                self.update_attr_with_ial(&mut el.attr, &ial);
                self.update_attr_with_ial(&mut el.attr, &ial);
                el.options.ial = Some(Box::new(ial));
            }
            el.options.rare_mut().name = Some(name);
            self.push_span(el);
        } else {
            self.warning(format!(
                "Footnote definition for '{name}' not found on line {start_line}"
            ));
            self.add_text(&matched);
        }
        true
    }

    /// link.rb's `add_link`.
    fn add_link(
        &mut self,
        mut el: Element,
        href: String,
        title: Option<String>,
        alt_text: &str,
        ial: Option<Ial>,
    ) {
        if let Some(ial) = &ial {
            self.update_attr_with_ial(&mut el.attr, ial);
        }
        el.options.ial = ial.map(Box::new);
        if el.kind == Type::A {
            el.set_attr("href", href);
        } else {
            el.set_attr("src", href);
            el.set_attr("alt", alt_text);
            el.children.clear();
        }
        if let Some(title) = title {
            el.set_attr("title", title);
        }
        self.push_span(el);
    }

    /// link.rb: `[text](url "title")`, `[text][id]`, `[id]`, and the same with `!` for images.
    fn parse_link(&mut self) -> bool {
        // LINK_START = /!?\[(?=[^^])/
        let start = self.src.pos();
        let rest = self.src.rest();
        let img = rest.starts_with('!');
        let result: &'static str = if img { "![" } else { "[" };
        if !rest.starts_with(result) || rest[result.len()..].is_empty() {
            return false;
        }
        if rest[result.len()..].starts_with('^') {
            return false;
        }
        let start_line = self.src.current_line_number();
        self.src.set_pos(start + result.len());
        let cur_pos = self.src.pos();
        let saved = self.src.save_pos();
        let link_type = if img { Type::Img } else { Type::A };

        // no nested links allowed
        if link_type == Type::A && (self.inside(Type::Img) || self.inside(Type::A)) {
            self.add_text(result);
            return true;
        }
        let el = Element::new(link_type).at(start_line);
        let mut count: i64 = 1;
        let mut accept = |p: &mut Parser| {
            count += if p.src.rest().starts_with(']') { -1 } else { 1 };
            let images = p
                .tree
                .children
                .iter()
                .filter(|c| c.kind == Type::Img)
                .count();
            count - images as i64 == 0
        };
        let stop = Stop {
            pattern: LINK_BRACKET_STOP,
            accept: &mut accept,
        };
        let (el, found) = self.parse_spans(el, Some(stop), None, None);
        if !found {
            self.src.revert_pos(saved);
            self.add_text(result);
            return true;
        }
        let s = self.src.string();
        let alt_text = unescape(&s[cur_pos..self.src.pos()]);
        self.src.scan(&LINK_BRACKET_STOP_RE);

        // reference style link or no link url
        let id_caps = self.src.scan(&LINK_INLINE_ID_RE);
        if id_caps.is_some() || !self.src.rest().starts_with('(') {
            let id = id_caps.as_ref().and_then(|c| self.src.group(c, 1));
            let emit_warning = id.is_none();
            let link_id = crate::block::normalize_link_id(id.unwrap_or(&alt_text));
            if let Some((url, title)) = self.link_defs.get(&link_id).cloned() {
                let ial = self.def_ials.get(&("link_def", link_id)).cloned();
                self.add_link(el, url, title, &alt_text, ial);
            } else {
                if emit_warning {
                    self.warning(format!(
                        "No link definition for link ID '{link_id}' found on line {start_line}"
                    ));
                }
                self.src.revert_pos(saved);
                self.add_text(result);
            }
            return true;
        }

        // link url in parentheses
        let link_url;
        if let Some(caps) = self.src.scan(&LINK_URL_ANGLE) {
            link_url = self.src.group(&caps, 1).unwrap_or("").to_owned();
            if self.src.rest().starts_with(')') {
                self.src.set_pos(self.src.pos() + 1);
                self.add_link(el, link_url, None, &alt_text, None);
                return true;
            }
        } else {
            let s = self.src.string();
            let from = self.src.pos();
            let mut pos = from;
            let mut nr_of_brackets = 0;
            while let Some(caps) = LINK_PAREN_STOP_RE.captures_from(s, pos) {
                let m = caps.get_match().expect("matched");
                if caps.get_group(2).is_some() {
                    pos = m.end();
                    nr_of_brackets -= 1;
                    if nr_of_brackets == 0 {
                        break;
                    }
                } else if caps.get_group(1).is_some() {
                    pos = m.end();
                    nr_of_brackets += 1;
                } else {
                    // the whitespace only: the quote is looked at
                    pos = m.start() + 1;
                    break;
                }
            }
            // link_url[1..-2].strip!: the `(` and the last character taken off
            let url = s.get(from + 1..pos.saturating_sub(1)).unwrap_or("");
            link_url = block::ruby_strip(url).to_owned();
            self.src.set_pos(pos);
            if nr_of_brackets == 0 {
                self.add_link(el, link_url, None, &alt_text, None);
                return true;
            }
        }

        match self.scan_link_title() {
            Some(title) => self.add_link(el, link_url, Some(title), &alt_text, None),
            None => {
                self.src.revert_pos(saved);
                self.add_text(result);
            }
        }
        true
    }

    /// `LINK_INLINE_TITLE_RE = /\s*?(["'])(.+?)\1\s*?\)/m`: the title, moving past the `)`.
    fn scan_link_title(&mut self) -> Option<String> {
        let s = self.src.string();
        let start = self.src.pos();
        let open = start + (s[start..].len() - s[start..].trim_start_matches(is_space).len());
        let quote = char_at(s, open).filter(|&c| c == '"' || c == '\'')?;
        let body = open + 1;
        let first = char_at(s, body)?;
        let mut from = body + first.len_utf8();
        while let Some(i) = memchr::memchr(quote as u8, &s.as_bytes()[from..]) {
            let close = from + i;
            let after = &s[close + 1..];
            let trimmed = after.trim_start_matches(is_space);
            if trimmed.starts_with(')') {
                let title = s[body..close].to_owned();
                let end = s.len() - trimmed.len() + 1;
                self.src.set_pos(end);
                return Some(title);
            }
            from = close + 1;
        }
        None
    }

    /// smart_quotes.rb.
    fn parse_smart_quotes(&mut self) -> bool {
        // SMART_QUOTES_RE = /[^\\]?["']/
        let s = self.src.string();
        let pos = self.src.pos();
        let Some(c0) = char_at(s, pos) else {
            return false;
        };
        if !(is_quote(Some(c0)) || (c0 != '\\' && is_quote(char_at(s, pos + c0.len_utf8())))) {
            return false;
        }
        let start_line = self.src.current_line_number();
        let s = self.src.string();
        let Some(m) = smart_quote_rule(s, pos) else {
            // Cannot happen: the last two rules match wherever SMART_QUOTES_RE does.
            return false;
        };
        if m.text_len > 0 {
            let text = s[pos..pos + m.text_len].to_owned();
            self.add_text(&text);
        }
        self.src.set_pos(pos + m.len);
        for name in m.quotes.into_iter().flatten() {
            self.push_span(Element::with_value(Type::SmartQuote, name).at(start_line));
        }
        true
    }

    /// math.rb's `parse_inline_math`: `$$…$$` in a paragraph.
    fn parse_inline_math(&mut self) -> bool {
        let Some(caps) = self.src.check(&INLINE_MATH_START) else {
            return false;
        };
        let start_line = self.src.current_line_number();
        let end = caps.get_match().map_or(0, |m| m.end());
        let value = block::ruby_strip(self.src.group(&caps, 1).unwrap_or("")).to_owned();
        self.src.set_pos(end);
        let mut el = Element::with_value(Type::Math, value).at(start_line);
        el.options.category = Some(Category::Span);
        self.push_span(el);
        true
    }

    /// extensions.rb's `parse_span_extensions`: `{::comment}…{:/}` and the like, and a span IAL
    /// (`{: .class}`) for the element just before.
    fn parse_span_extensions(&mut self) -> bool {
        if !self.src.rest().starts_with("{:") {
            return false;
        }
        if self.src.matches(&EXT_SPAN_START) {
            self.parse_extension_start_tag(Category::Span);
        } else if let Some(caps) = self.src.check(&IAL_SPAN_START) {
            let last_is_element = self
                .tree
                .children
                .last()
                .is_some_and(|last| last.kind != Type::Text);
            if last_is_element {
                let end = caps.get_match().map_or(0, |m| m.end());
                let text = self.src.group(&caps, 1).unwrap_or("").to_owned();
                self.src.set_pos(end);
                let mut attr = Ial::default();
                self.parse_attribute_list(&text, &mut attr);
                let last = self.tree.children.last_mut().expect("an element");
                update_ial_with_ial(last.options.ial.get_or_insert_default(), &attr);
                let mut attrs = std::mem::take(&mut last.attr);
                self.update_attr_with_ial(&mut attrs, &attr);
                self.tree.children.last_mut().expect("an element").attr = attrs;
            } else {
                self.warning("Found span IAL after text - ignoring it");
                self.add_getch();
            }
        } else {
            self.add_getch();
        }
        true
    }

    /// `add_text(@src.getch)`.
    fn add_getch(&mut self) {
        if let Some(c) = self.src.getch() {
            self.add_text(c.encode_utf8(&mut [0; 4]));
        }
    }

    /// html_entity.rb: `&amp;`, `&#123;`, `&#x1F600;`.
    fn parse_html_entity(&mut self) -> bool {
        let Some(caps) = self.src.check(&HTML_ENTITY_RE) else {
            return false;
        };
        let start_line = self.src.current_line_number();
        let end = caps.get_match().map_or(0, |m| m.end());
        let matched = self.src.matched().to_owned();
        let entity = if let Some(name) = self.src.group(&caps, 1) {
            Entity::from_name(name)
        } else if let Some(dec) = self.src.group(&caps, 2) {
            // A number past Unicode's stays one (Ruby's bignum): no character, so the
            // converter writes what was written.
            Some(Entity::from_code_point(dec.parse().unwrap_or(u32::MAX)))
        } else {
            let hex = self.src.group(&caps, 3).unwrap_or("");
            Some(Entity::from_code_point(
                u32::from_str_radix(hex, 16).unwrap_or(u32::MAX),
            ))
        };
        self.src.set_pos(end);
        match entity {
            Some(entity) => {
                let mut el = Element::new(Type::Entity).at(start_line);
                el.value = Value::Entity(entity);
                el.options.rare_mut().original = Some(matched);
                self.push_span(el);
            }
            None => {
                let mut el = Element::new(Type::Entity).at(start_line);
                el.value = Value::Entity(Entity::from_name("amp").expect("amp"));
                self.push_span(el);
                self.add_text(&matched[1..]);
            }
        }
        true
    }

    /// typographic_symbol.rb: `---`, `--`, `...`, `<<`, `>>` (and `\<<`, `\>>`).
    fn parse_typographic_syms(&mut self) -> bool {
        let start = self.src.pos();
        let Some(end) = TYPOGRAPHIC_SYMS_RE.end_at(self.src.string(), start) else {
            return false;
        };
        let start_line = self.src.current_line_number();
        self.src.set_pos(end);
        let matched = &self.src.string()[start..end];
        let entity = match matched {
            "\\<<" => Some("lt"),
            "\\>>" => Some("gt"),
            _ => None,
        };
        let sym = typographic_sym(matched);
        match entity {
            None => {
                let el = Element::with_value(Type::TypographicSym, sym);
                self.push_span(el.at(start_line));
            }
            Some(name) => {
                for _ in 0..2 {
                    let mut el = Element::new(Type::Entity).at(start_line);
                    el.value = Value::Entity(Entity::from_name(name).expect("known entity"));
                    self.push_span(el);
                }
            }
        }
        true
    }

    /// line_break.rb: two spaces or `\\` before a newline.
    fn parse_line_break(&mut self) -> bool {
        // LINE_BREAK = /(  |\\\\)(?=\n)/
        let rest = self.src.rest();
        if !(rest.starts_with("  \n") || rest.starts_with("\\\\\n")) {
            return false;
        }
        let line = self.src.current_line_number();
        self.push_span(Element::new(Type::Br).at(line));
        self.src.set_pos(self.src.pos() + 2);
        true
    }

    /// escaped_chars.rb (and GFM's, which escapes `~` too).
    fn parse_escaped_chars(&mut self) -> bool {
        let re = if self.options.gfm {
            &ESCAPED_CHARS_GFM
        } else {
            &ESCAPED_CHARS
        };
        let Some(end) = re.end_at(self.src.string(), self.src.pos()) else {
            return false;
        };
        let start = self.src.pos();
        self.src.set_pos(end);
        let s = self.src.string();
        let c = s[start + 1..end].to_owned();
        self.add_text(&c);
        true
    }

    /// gfm.rb's `parse_strikethrough_gfm`: `~~text~~` becomes a `del` element.
    fn parse_strikethrough_gfm(&mut self) -> bool {
        let s = self.src.string();
        let start = self.src.pos();
        // ~~(?!\s|~)
        if !s[start..].starts_with("~~")
            || char_at(s, start + 2).is_none_or(|c| is_space(c) || c == '~')
        {
            return false;
        }
        let Some(end) = STRIKETHROUGH_MATCH.end_at(s, start) else {
            return false;
        };
        let line = self.src.current_line_number();
        self.src.set_pos(end);
        let inner = self.src.string()[start + 2..end - 2].to_owned();
        // Element.new(:html_element, 'del', {}, category: :span, line: line_number): no location.
        let mut el = Element::with_value(Type::HtmlElement, "del");
        el.options.category = Some(Category::Span);

        // save_env; reset_env(src: …, text_type: :text): a new scanner, no tree, no stack.
        let env = self.save_env();
        self.src = crate::scanner::Scanner::new(inner, line);
        self.text_type = Type::Text;
        let outer = std::mem::replace(&mut self.tree, Element::new(Type::Temp));
        let (el, _) = self.parse_spans(el, None, None, None);
        self.tree = outer;
        self.restore_env(env);
        self.push_span(el);
        true
    }
}

/// `gsub(ESCAPED_CHARS, '\1')`: kramdown's escapes (not GFM's `\~`) taken out.
fn unescape(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some((start, end)) = ESCAPED_CHARS.find_from(text, at) {
        out.push_str(&text[at..start]);
        out.push_str(&text[start + 1..end]);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// extensions.rb's `update_ial_with_ial`: references added, classes joined, the rest set.
fn update_ial_with_ial(ial: &mut Ial, opts: &Ial) {
    ial.refs.extend(opts.refs.iter().cloned());
    for (k, v) in &opts.attrs {
        if k == "class" {
            let old = ial
                .attrs
                .iter()
                .find(|(n, _)| n == "class")
                .map_or("", |(_, v)| v.as_str());
            let joined = block::ruby_lstrip(&format!("{old} {v}")).to_owned();
            crate::tree::set_attr(&mut ial.attrs, "class", joined);
        } else {
            crate::tree::set_attr(&mut ial.attrs, k, v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FootnoteDef, Options};

    #[test]
    fn span_starts_found_by_hand_are_the_union_regex_ones() {
        use SpanParser::*;
        let all = crate::SPAN_PARSERS;
        let sets: [&[SpanParser]; 4] = [
            &all,
            &all[..13],
            &[Emphasis, Link, SmartQuotes, EscapedChars],
            &[Autolink, SpanHtml, TypographicSyms, LineBreak],
        ];
        let texts = [
            "plain 한국어 text.\n",
            "a \"q\" 'b' 한\"c\" \\\"d\"",
            "x  \ny\\\nz \\<< a >> b<<c\\>>",
            "**b** _i_ `c` <br/> [l](u) ![i](s) $$m$$ {:.c} &amp; -- ... ~~s~~ ~x",
            "a.b-c\n\nd { e ! f",
            "\"start",
            " <<",
            "ab  \n",
            "한국어 텍스트가 길게 이어지는 문장입니다 그리고 *강조* 뒤에도 계속됩니다 'ㅎ'\n",
            "abcdefghijklmnopqrstuvwxyz0123456789~~ abcdefghijklmnop<br/>qrstuvwxyz0123456789--",
        ];
        for text in texts {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let naive = (from..bytes.len())
                    .find(|&i| SPAN_TRIGGER[bytes[i] as usize])
                    .unwrap_or(bytes.len());
                assert_eq!(next_trigger(bytes, from), naive, "{text:?} from {from}");
            }
        }
        // Emphasis's stop patterns add no start to a set with the emphasis parser.
        for parsers in sets {
            for stop in [r"\*", r"\*\*", "_", "__"] {
                if !stop_starts_at_parser_start(stop, parsers) {
                    continue;
                }
                let with_stop = start_re(parsers, Some(stop));
                for text in texts {
                    for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
                        let want = with_stop.find_from(&text[pos..], 0).map(|(s, _)| s + pos);
                        assert_eq!(
                            find_span_start(text, pos, parsers),
                            Some(want),
                            "{text:?} at {pos} stopping at {stop}"
                        );
                    }
                }
            }
        }
        for parsers in sets {
            let re = start_re(parsers, None);
            for text in texts {
                for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
                    let want = re.find_from(&text[pos..], 0).map(|(s, _)| s + pos);
                    assert_eq!(
                        find_span_start(text, pos, parsers),
                        Some(want),
                        "{text:?} at {pos}"
                    );
                }
            }
        }
    }

    /// The span children of a one-paragraph text, dumped as `tools/dump-tree.rb` dumps
    /// kramdown's (the paragraph's children, unindented).
    fn spans_with(text: &str, setup: impl FnOnce(&mut Parser)) -> (String, Parser) {
        let mut parser = Parser::new(Options::default());
        setup(&mut parser);
        let mut p = Element::new(Type::P).at(1);
        p.children
            .push(Element::with_value(Type::RawText, text).at(1));
        let mut root = Element::new(Type::Root).at(1);
        root.children.push(p);
        parser.update_tree(&mut root);
        let dump = root.children[0]
            .children
            .iter()
            .map(Element::dump)
            .collect();
        (dump, parser)
    }

    fn spans(text: &str) -> String {
        spans_with(text, |_| {}).0
    }

    /// Each case's spans as real kramdown 2.4 (GFM, Jekyll's options) gives them.
    fn check(cases: &[(&str, &str)]) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|&(input, expected)| {
                let got = spans(input);
                (got != expected)
                    .then(|| format!("{input:?}\n--- kramdown\n{expected}--- ours\n{got}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn emphasis_as_kramdown() {
        check(EMPHASIS);
    }

    #[test]
    fn smart_quotes_as_kramdown() {
        check(QUOTES);
    }

    #[test]
    fn other_spans_as_kramdown() {
        check(OTHER);
    }

    #[test]
    fn links_use_the_link_definitions() {
        let text =
            "[a] and [b][id] and [c][] and [x][nope] and ![i][id] and [ID] and [A  B](#x) [a\n b]";
        let (got, parser) = spans_with(text, |p| {
            p.link_defs
                .insert("a".into(), ("/u".into(), Some("T".into())));
            p.link_defs.insert("id".into(), ("/v".into(), None));
            p.link_defs.insert("a b".into(), ("/ab".into(), None));
        });
        // kramdown, with `[a]: /u "T"`, `[id]: /v`, `[a b]: /ab` after the paragraph:
        let expected = r##"a href="/u" title="T" @1
  text "a" @1
text " and " @1
a href="/v" @1
  text "b" @1
text " and [c][] and [x][nope] and " @1
img src="/v" alt="i" @1
text " and " @1
a href="/v" @1
  text "ID" @1
text " and " @1
a href="#x" @1
  text "A  B" @1
text " " @1
a href="/ab" @1
  text "a\n b" @1
"##;
        assert_eq!(got, expected);
        assert_eq!(
            parser.warnings,
            [
                "No link definition for link ID 'c' found on line 1",
                "No link definition for link ID '' found on line 1",
                "No link definition for link ID 'nope' found on line 1"
            ]
        );
    }

    #[test]
    fn footnote_markers_refer_to_definitions() {
        let (got, parser) = spans_with("x[^1] y[^1] z[^n] **a[^1]**", |p| {
            let def = FootnoteDef {
                content: Element::new(Type::FootnoteDef),
                referenced: false,
                eob: false,
            };
            p.footnotes.insert("1".into(), def);
        });
        let expected = r#"text "x" @1
footnote @1
text " y" @1
footnote @1
text " z[^n] " @1
strong @1
  text "a" @1
  footnote @1
"#;
        assert_eq!(got, expected);
        assert!(parser.footnotes["1"].referenced);
        assert_eq!(
            parser.warnings,
            ["Footnote definition for 'n' not found on line 1"]
        );
        let (tree, _) = spans_with("[^1]", |p| {
            let def = FootnoteDef {
                content: Element::new(Type::FootnoteDef),
                referenced: false,
                eob: false,
            };
            p.footnotes.insert("1".into(), def);
        });
        assert_eq!(tree, "footnote @1\n");
    }

    #[test]
    fn definitions_give_their_ials() {
        let ial = Ial {
            attrs: vec![("class".into(), "c".into()), ("id".into(), "i".into())],
            refs: Vec::new(),
        };
        let (got, _) = spans_with("[a] ![b][a]", |p| {
            p.link_defs
                .insert("a".into(), ("/u".into(), Some("T".into())));
            p.def_ials.insert(("link_def", "a".into()), ial.clone());
        });
        // `[a]: /u "T"` and `{: .c #i}` after the paragraph:
        let expected = r#"a class="c" id="i" href="/u" title="T" @1
  text "a" @1
text " " @1
img class="c" id="i" src="/u" alt="b" title="T" @1
"#;
        assert_eq!(got, expected);
        let (got, _) = spans_with("x[^1]", |p| {
            let def = FootnoteDef {
                content: Element::new(Type::FootnoteDef),
                referenced: false,
                eob: false,
            };
            p.footnotes.insert("1".into(), def);
            let ial = Ial {
                attrs: vec![("class".into(), "c".into())],
                refs: Vec::new(),
            };
            p.def_ials.insert(("footnote_def", "1".into()), ial);
        });
        // `[^1]: note` and `{: .c}`: kramdown applies the IAL twice.
        assert_eq!(got, "text \"x\" @1\nfootnote class=\"c c\" @1\n");
    }

    #[test]
    fn kramdown_input_has_no_gfm_spans() {
        let mut parser = Parser::new(Options {
            gfm: false,
            ..Options::default()
        });
        let mut p = Element::new(Type::P).at(1);
        p.children
            .push(Element::with_value(Type::RawText, r"a\~b ~~c~~ \*").at(1));
        parser.update_tree(&mut p);
        // kramdown with `input: kramdown`:
        assert_eq!(p.children.len(), 1);
        assert_eq!(p.children[0].value_str(), r"a\~b ~~c~~ *");
    }

    #[test]
    fn a_span_ial_after_text_is_text() {
        let (got, parser) = spans_with("a{: .y}", |_| {});
        assert_eq!(got, "text \"a{: .y}\" @1\n");
        assert_eq!(parser.warnings, ["Found span IAL after text - ignoring it"]);
    }

    #[test]
    fn start_regexes_are_cached() {
        let parsers = [SpanParser::Emphasis, SpanParser::Codespan];
        let a = start_re(&parsers, Some(r"\*"));
        let b = start_re(&parsers, Some(r"\*"));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &start_re(&parsers, None)));
        assert_eq!(a.find_from("ab`c*", 0), Some((2, 3)));
        assert!(Arc::ptr_eq(&cached_re("x+"), &cached_re("x+")));
        assert_eq!(start_re(&[], None).find_from("a*`", 0), None);
    }

    #[test]
    fn ruby_character_classes() {
        assert!(is_alnum('한') && is_alnum('٣') && !is_alnum('²') && !is_alnum('_'));
        assert!(block::is_word_char('한') && block::is_word_char('_') && !block::is_word_char('.'));
        assert!(!is_space('\u{a0}') && is_space('\x0B'));
        assert!(ends_in_word_part("한") && ends_in_word_part("a-") && !ends_in_word_part("1"));
        assert_eq!(crate::block::normalize_link_id("ΑΣ \n\tB"), "ασ b");
        assert_eq!(block::ruby_strip("\0 a \t"), "a");
    }

    /// `ruby tools/dump-tree.rb` on each input (the paragraph's children).
    const EMPHASIS: &[(&str, &str)] = &[
        (
            r#"**굵게**이다"#,
            r#"strong @1
  text "굵게" @1
text "이다" @1
"#,
        ),
        (
            r#"**컨트롤러(Controller)**이다"#,
            r#"strong @1
  text "컨트롤러(Controller)" @1
text "이다" @1
"#,
        ),
        (
            r#"*기울임*이다"#,
            r#"em @1
  text "기울임" @1
text "이다" @1
"#,
        ),
        (
            r#"_밑줄_이다"#,
            r#"text "_밑줄_이다" @1
"#,
        ),
        (
            r#"__굵게__이다"#,
            r#"text "__굵게__이다" @1
"#,
        ),
        (
            r#"이것은 **굵게**, 그리고 *기울임*."#,
            r#"text "이것은 " @1
strong @1
  text "굵게" @1
text ", 그리고 " @1
em @1
  text "기울임" @1
text "." @1
"#,
        ),
        (
            r#"**굵게 **이다"#,
            r#"text "**굵게 **이다" @1
"#,
        ),
        (
            r#"** 굵게**이다"#,
            r#"text "** 굵게**이다" @1
"#,
        ),
        (
            r#"한_글_자"#,
            r#"text "한_글_자" @1
"#,
        ),
        (
            r#"snake_case_word"#,
            r#"text "snake_case_word" @1
"#,
        ),
        (
            r#"a-_b_"#,
            r#"text "a-_b_" @1
"#,
        ),
        (
            r#"*a **b** c*"#,
            r#"em @1
  text "a " @1
  strong @1
    text "b" @1
  text " c" @1
"#,
        ),
        (
            r#"**a *b* c**"#,
            r#"strong @1
  text "a " @1
  em @1
    text "b" @1
  text " c" @1
"#,
        ),
        (
            r#"***abc***"#,
            r#"strong @1
  em @1
    text "abc" @1
"#,
        ),
        (
            r#"***a** b*"#,
            r#"em @1
  strong @1
    text "a" @1
  text " b" @1
"#,
        ),
        (
            r#"***a* b**"#,
            r#"strong @1
  em @1
    text "a" @1
  text " b" @1
"#,
        ),
        (
            r#"**a*"#,
            r#"em @1
  text "*a" @1
"#,
        ),
        (
            r#"*a**"#,
            r#"text "*a**" @1
"#,
        ),
        (
            r#"_a __b__ c_"#,
            r#"em @1
  text "a " @1
  strong @1
    text "b" @1
  text " c" @1
"#,
        ),
        (
            r#"__a_"#,
            r#"em @1
  text "_a" @1
"#,
        ),
        (
            r#"a\*b\* \_c\_ \~ \\ \# \|"#,
            r#"text "a*b* _c_ ~ \\ # |" @1
"#,
        ),
        (
            r#"[**굵은 링크**](/url)이다"#,
            r#"a href="/url" @1
  strong @1
    text "굵은 링크" @1
text "이다" @1
"#,
        ),
        (
            r#"a*b*c a_b_c *a*b _a_b"#,
            r#"text "a" @1
em @1
  text "b" @1
text "c a_b_c " @1
em @1
  text "a" @1
text "b _a_b" @1
"#,
        ),
        (
            r#"**a**b**c**"#,
            r#"strong @1
  text "a" @1
text "b" @1
strong @1
  text "c" @1
"#,
        ),
        (
            r#"*한글*한글*"#,
            r#"em @1
  text "한글" @1
text "한글*" @1
"#,
        ),
        (
            r#"**굵게**는"#,
            r#"strong @1
  text "굵게" @1
text "는" @1
"#,
        ),
        (
            r#"**굵게**."#,
            r#"strong @1
  text "굵게" @1
text "." @1
"#,
        ),
        (
            r#"(**굵게**)"#,
            r#"text "(" @1
strong @1
  text "굵게" @1
text ")" @1
"#,
        ),
        (
            r#"**굵게.**이다"#,
            r#"strong @1
  text "굵게." @1
text "이다" @1
"#,
        ),
        (
            r#"**굵게!**이다"#,
            r#"strong @1
  text "굵게!" @1
text "이다" @1
"#,
        ),
        (
            r#"**「괄호」**이다"#,
            r#"strong @1
  text "「괄호」" @1
text "이다" @1
"#,
        ),
        (
            r#"**《책》**이다"#,
            r#"strong @1
  text "《책》" @1
text "이다" @1
"#,
        ),
        (
            r#"**컨트롤러(Controller)**이다"#,
            r#"strong @1
  text "컨트롤러(Controller)" @1
text "이다" @1
"#,
        ),
        (
            r#"**컨트롤러 (Controller)**이다"#,
            r#"strong @1
  text "컨트롤러 (Controller)" @1
text "이다" @1
"#,
        ),
        (
            r#"*컨트롤러(Controller)*이다"#,
            r#"em @1
  text "컨트롤러(Controller)" @1
text "이다" @1
"#,
        ),
        (
            r#"_컨트롤러(Controller)_이다"#,
            r#"text "_컨트롤러(Controller)_이다" @1
"#,
        ),
        (
            r#"__컨트롤러(Controller)__이다"#,
            r#"text "__컨트롤러(Controller)__이다" @1
"#,
        ),
        (
            r#"이것은__굵게__이다"#,
            r#"text "이것은__굵게__이다" @1
"#,
        ),
        (
            r#"이것은_기울임_이다"#,
            r#"text "이것은_기울임_이다" @1
"#,
        ),
        (
            r#"이것은*기울임*이다"#,
            r#"text "이것은" @1
em @1
  text "기울임" @1
text "이다" @1
"#,
        ),
        (
            r#"이것은**굵게**이다"#,
            r#"text "이것은" @1
strong @1
  text "굵게" @1
text "이다" @1
"#,
        ),
        (
            r#"**1.** 첫째"#,
            r#"strong @1
  text "1." @1
text " 첫째" @1
"#,
        ),
        (
            r#"**Note:** 참고"#,
            r#"strong @1
  text "Note:" @1
text " 참고" @1
"#,
        ),
        (
            r#"*a*한"#,
            r#"em @1
  text "a" @1
text "한" @1
"#,
        ),
        (
            r#"한*a*"#,
            r#"text "한" @1
em @1
  text "a" @1
"#,
        ),
        (
            r#"한 * 별"#,
            r#"text "한 * 별" @1
"#,
        ),
        (
            r#"*한 *"#,
            r#"text "*한 *" @1
"#,
        ),
        (
            r#"**a**,**b**"#,
            r#"strong @1
  text "a" @1
text "," @1
strong @1
  text "b" @1
"#,
        ),
        (
            r#"**한**_글_"#,
            r#"strong @1
  text "한" @1
em @1
  text "글" @1
"#,
        ),
        (
            r#"_한_**글**"#,
            r#"em @1
  text "한" @1
strong @1
  text "글" @1
"#,
        ),
        (
            r#"***굵은기울임***이다"#,
            r#"strong @1
  em @1
    text "굵은기울임" @1
text "이다" @1
"#,
        ),
        (
            r#"**굵게 *기울임* 굵게**이다"#,
            r#"strong @1
  text "굵게 " @1
  em @1
    text "기울임" @1
  text " 굵게" @1
text "이다" @1
"#,
        ),
        (
            r#"*기울임 **굵게** 기울임*이다"#,
            r#"em @1
  text "기울임 " @1
  strong @1
    text "굵게" @1
  text " 기울임" @1
text "이다" @1
"#,
        ),
        (
            r#"**a
b**"#,
            r#"strong @1
  text "a\nb" @1
"#,
        ),
        (
            r#"*a
*b"#,
            r#"text "*a\n*b" @1
"#,
        ),
        (
            r#"a * b * c"#,
            r#"text "a * b * c" @1
"#,
        ),
        (
            r#"2*3*4"#,
            r#"text "2" @1
em @1
  text "3" @1
text "4" @1
"#,
        ),
        (
            r#"x**2**y"#,
            r#"text "x" @1
strong @1
  text "2" @1
text "y" @1
"#,
        ),
        (
            r#"**[링크](/u)**이다"#,
            r#"strong @1
  a href="/u" @1
    text "링크" @1
text "이다" @1
"#,
        ),
        (
            r#"[**a**](/u)"#,
            r#"a href="/u" @1
  strong @1
    text "a" @1
"#,
        ),
        (
            r#"**`코드`**이다"#,
            r#"strong @1
  codespan "코드" @1
text "이다" @1
"#,
        ),
        (
            r#"`**a**`"#,
            r#"codespan "**a**" @1
"#,
        ),
        (
            r#"**a `b** c`**"#,
            r#"strong @1
  text "a " @1
  codespan "b** c" @1
"#,
        ),
        (
            r#"**$$x$$**이다"#,
            r#"strong @1
  math "x" @1 category=Span
text "이다" @1
"#,
        ),
        (
            r#"**&amp;**이다"#,
            r#"strong @1
  entity &38 @1
text "이다" @1
"#,
        ),
        (
            r#"**...**이다"#,
            r#"strong @1
  typographic_sym "hellip" @1
text "이다" @1
"#,
        ),
        (
            r#"**--**이다"#,
            r#"strong @1
  typographic_sym "ndash" @1
text "이다" @1
"#,
        ),
        (
            r#"**~~a~~**이다"#,
            r#"strong @1
  html_element "del" @0 category=Span
    text "a" @0
text "이다" @1
"#,
        ),
        (
            r#"~~**a**~~"#,
            r#"html_element "del" @0 category=Span
  strong @1
    text "a" @1
"#,
        ),
        (
            r#"*a ~~b *c* d~~ e*"#,
            r#"em @1
  text "a " @1
  html_element "del" @0 category=Span
    text "b " @0
    em @1
      text "c" @1
    text " d" @1
  text " e" @1
"#,
        ),
        (
            r#"**a ~~b **c** d~~ e**"#,
            r#"strong @1
  text "a " @1
  html_element "del" @0 category=Span
    text "b " @0
    strong @1
      text "c" @1
    text " d" @1
  text " e" @1
"#,
        ),
        (
            r#"**a\*\*b**"#,
            r#"strong @1
  text "a**b" @1
"#,
        ),
        (
            r#"**a\**"#,
            r#"em @1
  text "*a*" @1
"#,
        ),
        (
            r#"\**a**"#,
            r#"text "**a**" @1
"#,
        ),
        (
            r#"_a\_b_"#,
            r#"em @1
  text "a_b" @1
"#,
        ),
        (
            r#"a_\_b_c"#,
            r#"text "a__b_c" @1
"#,
        ),
        (
            r#"_a_-_b_"#,
            r#"em @1
  text "a" @1
text "-" @1
em @1
  text "b" @1
"#,
        ),
        (
            r#"한-_a_"#,
            r#"text "한-_a_" @1
"#,
        ),
        (
            r#"-_a_"#,
            r#"text "-" @1
em @1
  text "a" @1
"#,
        ),
        (
            r#"_a_1"#,
            r#"text "_a_1" @1
"#,
        ),
        (
            r#"_a_한"#,
            r#"text "_a_한" @1
"#,
        ),
        (
            r#"*a*1"#,
            r#"em @1
  text "a" @1
text "1" @1
"#,
        ),
        (
            r#"![a\*b](/i.png) ![*a*](/i.png)"#,
            r#"img src="/i.png" alt="a*b" @1
text " " @1
img src="/i.png" alt="*a*" @1
"#,
        ),
        (
            r#"<a.b-c_d@ex-ample.com> <한글@예.한국> <a@b>"#,
            r#"a href="mailto:a.b-c_d@ex-ample.com" @1
  text "a.b-c_d@ex-ample.com" @1
text " " @1
a href="mailto:한글@예.한국" @1
  text "한글@예.한국" @1
text " " @1
a href="mailto:a@b" @1
  text "a@b" @1
"#,
        ),
        (
            r#"~~*a*~~"#,
            r#"html_element "del" @0 category=Span
  em @1
    text "a" @1
"#,
        ),
        (
            r#"**굵게**(괄호)"#,
            r#"strong @1
  text "굵게" @1
text "(괄호)" @1
"#,
        ),
        (
            r#"**굵게**…이다"#,
            r#"strong @1
  text "굵게" @1
text "…이다" @1
"#,
        ),
        (
            r#"『**굵게**』"#,
            r#"text "『" @1
strong @1
  text "굵게" @1
text "』" @1
"#,
        ),
        (
            r#"**굵게**、그리고"#,
            r#"strong @1
  text "굵게" @1
text "、그리고" @1
"#,
        ),
        (
            r#"**‘굵게’**이다"#,
            r#"strong @1
  text "‘굵게’" @1
text "이다" @1
"#,
        ),
        (
            r#"**“굵게”**이다"#,
            r#"strong @1
  text "“굵게”" @1
text "이다" @1
"#,
        ),
        (
            r#"*“a”*이다"#,
            r#"em @1
  text "“a”" @1
text "이다" @1
"#,
        ),
        (
            r#"_‘a’_이다"#,
            r#"text "_‘a’_이다" @1
"#,
        ),
        (
            r#"__a__b"#,
            r#"text "__a__b" @1
"#,
        ),
        (
            r#"**a**_b_"#,
            r#"strong @1
  text "a" @1
em @1
  text "b" @1
"#,
        ),
        (
            r#"**1**번"#,
            r#"strong @1
  text "1" @1
text "번" @1
"#,
        ),
        (
            r#"**100%**이다"#,
            r#"strong @1
  text "100%" @1
text "이다" @1
"#,
        ),
        (
            r#"**#태그**"#,
            r##"strong @1
  text "#태그" @1
"##,
        ),
        (
            r#"**@user**님"#,
            r#"strong @1
  text "@user" @1
text "님" @1
"#,
        ),
        (
            r#"**a/b** **a-b** **a_b**"#,
            r#"strong @1
  text "a/b" @1
text " " @1
strong @1
  text "a-b" @1
text " " @1
strong @1
  text "a_b" @1
"#,
        ),
        (
            r#"*a_b* _a*b_"#,
            r#"em @1
  text "a_b" @1
text " " @1
em @1
  text "a*b" @1
"#,
        ),
        (
            r#"**굵게**: 설명"#,
            r#"strong @1
  text "굵게" @1
text ": 설명" @1
"#,
        ),
        (
            r#"**굵게**? 설명"#,
            r#"strong @1
  text "굵게" @1
text "? 설명" @1
"#,
        ),
        (
            r#"**질문?**이다"#,
            r#"strong @1
  text "질문?" @1
text "이다" @1
"#,
        ),
        (
            r#"*기울임,*이다"#,
            r#"em @1
  text "기울임," @1
text "이다" @1
"#,
        ),
        (
            r#"_기울임._이다"#,
            r#"text "_기울임._이다" @1
"#,
        ),
        (
            r#"__굵게!__이다"#,
            r#"text "__굵게!__이다" @1
"#,
        ),
        (
            r#"__굵게__!"#,
            r#"strong @1
  text "굵게" @1
text "!" @1
"#,
        ),
        (
            r#"(_기울임_)"#,
            r#"text "(" @1
em @1
  text "기울임" @1
text ")" @1
"#,
        ),
        (
            r#"한글_기울임_"#,
            r#"text "한글_기울임_" @1
"#,
        ),
        (
            r#"한글 _기울임_ 한글"#,
            r#"text "한글 " @1
em @1
  text "기울임" @1
text " 한글" @1
"#,
        ),
        (
            r#"**굵게**:**굵게**"#,
            r#"strong @1
  text "굵게" @1
text ":" @1
strong @1
  text "굵게" @1
"#,
        ),
        (
            r#"**a*b**"#,
            r#"strong @1
  text "a*b" @1
"#,
        ),
        (
            r#"**a * b**"#,
            r#"strong @1
  text "a * b" @1
"#,
        ),
        (
            r#"*a ** b*"#,
            r#"em @1
  text "a ** b" @1
"#,
        ),
        (
            r#"*a **b*"#,
            r#"em @1
  text "a **b" @1
"#,
        ),
        (
            r#"_a __b_"#,
            r#"em @1
  text "a __b" @1
"#,
        ),
    ];

    const QUOTES: &[(&str, &str)] = &[
        (
            r#"**"기저벡터"**이다"#,
            r#"strong @1
  smart_quote "ldquo" @1
  text "기저벡터" @1
  smart_quote "rdquo" @1
text "이다" @1
"#,
        ),
        (
            r#"*"인용"*이다"#,
            r#"em @1
  smart_quote "ldquo" @1
  text "인용" @1
  smart_quote "rdquo" @1
text "이다" @1
"#,
        ),
        (
            r#"**'작은'**따옴표"#,
            r#"strong @1
  smart_quote "lsquo" @1
  text "작은" @1
  smart_quote "rsquo" @1
text "따옴표" @1
"#,
        ),
        (
            r#""큰따옴표"와 '작은따옴표'"#,
            r#"smart_quote "ldquo" @1
text "큰따옴표" @1
smart_quote "rdquo" @1
text "와 " @1
smart_quote "lsquo" @1
text "작은따옴표" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#"It's the '80s and "quoted" text."#,
            r#"text "It" @1
smart_quote "rsquo" @1
text "s the " @1
smart_quote "rsquo" @1
text "80s and " @1
smart_quote "ldquo" @1
text "quoted" @1
smart_quote "rdquo" @1
text " text." @1
"#,
        ),
        (
            r#"He said, "'Quoted' words in a larger quote.""#,
            r#"text "He said, " @1
smart_quote "ldquo" @1
smart_quote "lsquo" @1
text "Quoted" @1
smart_quote "rsquo" @1
text " words in a larger quote." @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#""*emph*" and '**strong**'"#,
            r#"smart_quote "ldquo" @1
em @1
  text "emph" @1
smart_quote "rdquo" @1
text " and " @1
smart_quote "lsquo" @1
strong @1
  text "strong" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#"'(a)' and "[b]" and "a." and "_a""#,
            r#"smart_quote "lsquo" @1
text "(a)" @1
smart_quote "rsquo" @1
text " and " @1
smart_quote "ldquo" @1
text "[b]" @1
smart_quote "rdquo" @1
text " and " @1
smart_quote "ldquo" @1
text "a." @1
smart_quote "rdquo" @1
text " and " @1
smart_quote "ldquo" @1
text "_a" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#"He said "hello"... and -- then --- ok"#,
            r#"text "He said " @1
smart_quote "ldquo" @1
text "hello" @1
smart_quote "rdquo" @1
typographic_sym "hellip" @1
text " and " @1
typographic_sym "ndash" @1
text " then " @1
typographic_sym "mdash" @1
text " ok" @1
"#,
        ),
        (
            r#"[link](http://a.com) and [t](http://a.com "title") and ![img](a.png 'T')"#,
            r#"a href="http://a.com" @1
  text "link" @1
text " and " @1
a href="http://a.com" title="title" @1
  text "t" @1
text " and " @1
img src="a.png" alt="img" title="T" @1
"#,
        ),
        (
            r#"[a](b "c" ) and [a](b 'c' d)"#,
            r#"a href="b" title="c" @1
  text "a" @1
text " and [a](b " @1
smart_quote "lsquo" @1
text "c" @1
smart_quote "rsquo" @1
text " d)" @1
"#,
        ),
        (
            r#""a" 'b'"#,
            r#"smart_quote "ldquo" @1
text "a" @1
smart_quote "rdquo" @1
text " " @1
smart_quote "lsquo" @1
text "b" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#"x"y'z"#,
            r#"text "x" @1
smart_quote "rdquo" @1
text "y" @1
smart_quote "rsquo" @1
text "z" @1
"#,
        ),
        (
            r#"'hello'"#,
            r#"smart_quote "lsquo" @1
text "hello" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#""'"#,
            r#"smart_quote "rdquo" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#""**굵게**""#,
            r#"smart_quote "ldquo" @1
strong @1
  text "굵게" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#"'**굵게**'"#,
            r#"smart_quote "lsquo" @1
strong @1
  text "굵게" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#"**"인용"**"#,
            r#"strong @1
  smart_quote "ldquo" @1
  text "인용" @1
  smart_quote "rdquo" @1
"#,
        ),
        (
            r#"**'인용'**이다"#,
            r#"strong @1
  smart_quote "lsquo" @1
  text "인용" @1
  smart_quote "rsquo" @1
text "이다" @1
"#,
        ),
        (
            r#"**"a"**,**"b"**"#,
            r#"strong @1
  smart_quote "ldquo" @1
  text "a" @1
  smart_quote "rdquo" @1
text "," @1
strong @1
  smart_quote "ldquo" @1
  text "b" @1
  smart_quote "rdquo" @1
"#,
        ),
        (
            r#""**a**"이다"#,
            r#"smart_quote "ldquo" @1
strong @1
  text "a" @1
smart_quote "ldquo" @1
text "이다" @1
"#,
        ),
        (
            r#"'*a*'이다"#,
            r#"smart_quote "lsquo" @1
em @1
  text "a" @1
smart_quote "lsquo" @1
text "이다" @1
"#,
        ),
        (
            r#"**a'**b"#,
            r#"strong @1
  text "a" @1
  smart_quote "rsquo" @1
text "b" @1
"#,
        ),
        (
            r#"*a"*b"#,
            r#"em @1
  text "a" @1
  smart_quote "rdquo" @1
text "b" @1
"#,
        ),
        (
            r#"a"*b*""#,
            r#"text "a" @1
smart_quote "rdquo" @1
em @1
  text "b" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#""_a_""#,
            r#"smart_quote "ldquo" @1
em @1
  text "a" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#"'_a_'"#,
            r#"smart_quote "lsquo" @1
em @1
  text "a" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#"_"a"_"#,
            r#"em @1
  smart_quote "ldquo" @1
  text "a" @1
  smart_quote "rdquo" @1
"#,
        ),
        (
            r#"__"a"__이다"#,
            r#"text "__" @1
smart_quote "ldquo" @1
text "a" @1
smart_quote "rdquo" @1
text "__이다" @1
"#,
        ),
        (
            r#"*"'a'"*"#,
            r#"em @1
  smart_quote "ldquo" @1
  smart_quote "lsquo" @1
  text "a" @1
  smart_quote "rsquo" @1
  smart_quote "rdquo" @1
"#,
        ),
        (
            r#""'a""#,
            r#"smart_quote "ldquo" @1
smart_quote "lsquo" @1
text "a" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#"'"a'"#,
            r#"smart_quote "lsquo" @1
smart_quote "ldquo" @1
text "a" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#""a'b""#,
            r#"smart_quote "ldquo" @1
text "a" @1
smart_quote "rsquo" @1
text "b" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#"1'2"3"#,
            r#"text "1" @1
smart_quote "rsquo" @1
text "2" @1
smart_quote "rdquo" @1
text "3" @1
"#,
        ),
        (
            r#"'80s '90s"#,
            r#"smart_quote "rsquo" @1
text "80s " @1
smart_quote "rsquo" @1
text "90s" @1
"#,
        ),
        (
            r#"'80s"#,
            r#"smart_quote "rsquo" @1
text "80s" @1
"#,
        ),
        (
            r#""s"s 's's"#,
            r#"smart_quote "rdquo" @1
text "s" @1
smart_quote "rdquo" @1
text "s " @1
smart_quote "lsquo" @1
text "s" @1
smart_quote "rsquo" @1
text "s" @1
"#,
        ),
        (
            r#"a"b"c"#,
            r#"text "a" @1
smart_quote "rdquo" @1
text "b" @1
smart_quote "rdquo" @1
text "c" @1
"#,
        ),
        (
            r#"x" y""#,
            r#"text "x" @1
smart_quote "rdquo" @1
text " y" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#"x "y" z."#,
            r#"text "x " @1
smart_quote "ldquo" @1
text "y" @1
smart_quote "rdquo" @1
text " z." @1
"#,
        ),
        (
            r#"(")"#,
            r#"text "(" @1
smart_quote "ldquo" @1
text ")" @1
"#,
        ),
        (
            r#"["] [']"#,
            r#"text "[" @1
smart_quote "rdquo" @1
text "] [" @1
smart_quote "rsquo" @1
text "]" @1
"#,
        ),
        (
            r#"{'} {"}"#,
            r#"text "{" @1
smart_quote "lsquo" @1
text "} {" @1
smart_quote "ldquo" @1
text "}" @1
"#,
        ),
        (
            r#"-"- -'-"#,
            r#"text "-" @1
smart_quote "ldquo" @1
text "- -" @1
smart_quote "lsquo" @1
text "-" @1
"#,
        ),
        (
            r#"".""#,
            r#"smart_quote "rdquo" @1
text "." @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#""...""#,
            r#"smart_quote "ldquo" @1
typographic_sym "hellip" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#"'..'"#,
            r#"smart_quote "rsquo" @1
text ".." @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#""_" "a_""#,
            r#"smart_quote "ldquo" @1
em @1
  smart_quote "rdquo" @1
  text " " @1
  smart_quote "ldquo" @1
  text "a" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#""__""#,
            r#"smart_quote "ldquo" @1
text "__" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#""?""#,
            r#"smart_quote "rdquo" @1
text "?" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#""?a""#,
            r#"smart_quote "ldquo" @1
text "?a" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#""한글""#,
            r#"smart_quote "ldquo" @1
text "한글" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#"'한글'"#,
            r#"smart_quote "lsquo" @1
text "한글" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#""ok","#,
            r#"smart_quote "ldquo" @1
text "ok" @1
smart_quote "rdquo" @1
text "," @1
"#,
        ),
        (
            r#""ok"?"#,
            r#"smart_quote "ldquo" @1
text "ok" @1
smart_quote "rdquo" @1
text "?" @1
"#,
        ),
        (
            r#"it's"#,
            r#"text "it" @1
smart_quote "rsquo" @1
text "s" @1
"#,
        ),
        (
            r#"Bob's 'quote'"#,
            r#"text "Bob" @1
smart_quote "rsquo" @1
text "s " @1
smart_quote "lsquo" @1
text "quote" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#""'""#,
            r#"smart_quote "rdquo" @1
smart_quote "rsquo" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#"''"#,
            r#"smart_quote "rsquo" @1
smart_quote "rsquo" @1
"#,
        ),
        (
            r#""""#,
            r#"smart_quote "rdquo" @1
smart_quote "rdquo" @1
"#,
        ),
        (
            r#"[a](http://x.com/a_b_c) and [b](/u "t \"q\"")"#,
            r#"a href="http://x.com/a_b_c" @1
  text "a" @1
text " and " @1
a href="/u" title="t \\\"q\\\"" @1
  text "b" @1
"#,
        ),
        (
            r#"[a](/u 'it''s') [b](/u "x" "y")"#,
            r#"a href="/u" title="it''s" @1
  text "a" @1
text " " @1
a href="/u" title="x\" \"y" @1
  text "b" @1
"#,
        ),
        (
            r#"[a](/u
"title")"#,
            r#"a href="/u" title="title" @1
  text "a" @1
"#,
        ),
        (
            r#"[a](  /u  ) [b](/u  "t"  )"#,
            r#"a href="/u" @1
  text "a" @1
text " " @1
a href="/u" title="t" @1
  text "b" @1
"#,
        ),
        (
            r#"[a](/u(1)(2)) [b](/u(1 "t")"#,
            r#"a href="/u(1)(2)" @1
  text "a" @1
text " " @1
a href="/u(1" title="t" @1
  text "b" @1
"#,
        ),
        (
            r#"[a](/u (x)) [c](<> "t")"#,
            r#"a href="/u (x)" @1
  text "a" @1
text " " @1
a href="" title="t" @1
  text "c" @1
"#,
        ),
        (
            r#"[a](/u "t"#,
            r#"text "[a](/u " @1
smart_quote "ldquo" @1
text "t" @1
"#,
        ),
        (
            r#"\` \* \_ \{ \} \[ \] \( \) \# \+ \- \. \! \: \| \" \' \$ \= \< \> \~ \a \\"#,
            r#"text "` * _ { } [ ] ( ) # + - . ! : | \" ' $ = < > ~ \\a \\" @1
"#,
        ),
        (
            r#"x'&y "&" a'&$$/"#,
            r#"text "x" @1
smart_quote "rsquo" @1
text "&y " @1
smart_quote "ldquo" @1
text "&" @1
smart_quote "rdquo" @1
text " a" @1
smart_quote "rsquo" @1
text "&$$/" @1
"#,
        ),
        (
            r#"'_'&b"#,
            r#"smart_quote "lsquo" @1
text "_" @1
smart_quote "lsquo" @1
text "&b" @1
"#,
        ),
    ];

    const OTHER: &[(&str, &str)] = &[
        (
            r#"<< a >> and << b>> \<< \>>"#,
            r#"typographic_sym "laquo_space" @1
text "a" @1
typographic_sym "raquo_space" @1
text " and " @1
typographic_sym "laquo_space" @1
text "b" @1
typographic_sym "raquo" @1
text " " @1
entity &60 @1
entity &60 @1
text " " @1
entity &62 @1
entity &62 @1
"#,
        ),
        (
            r#"`code` and ``co`de`` and ` a` and `unclosed"#,
            r#"codespan "code" @1
text " and " @1
codespan "co`de" @1
text " and ` a" @1
codespan " and " @1
text "unclosed" @1
"#,
        ),
        (
            r#"a `` ` `` b"#,
            r#"text "a " @1
codespan "`" @1
text " b" @1
"#,
        ),
        (
            r#"<https://example.com> and <me@example.com> <mailto:x@y.z>"#,
            r#"a href="https://example.com" @1
  text "https://example.com" @1
text " and " @1
a href="mailto:me@example.com" @1
  text "me@example.com" @1
text " " @1
a href="mailto:x@y.z" @1
  text "x@y.z" @1
"#,
        ),
        (
            r#"~~삭제~~이다 and ~~ a~~ and ~~a ~~ and ~~~a~~"#,
            r#"html_element "del" @0 category=Span
  text "삭제" @0
text "이다 and ~~ a~~ and " @1
html_element "del" @0 category=Span
  text "a ~~ and ~~~a" @0
"#,
        ),
        (
            r#"$$x^2$$ 수식 $$ a $$"#,
            r#"math "x^2" @1 category=Span
text " 수식 " @1
math "a" @1 category=Span
"#,
        ),
        (
            "line one  \nline two\\\\\nline three",
            r#"text "line one" @1
br @1
text "\nline two" @1
br @2
text "\nline three" @2
"#,
        ),
        (
            r#"[a (b)](http://x.com/(y)) and [c](<d e>) and [f]( g )"#,
            r#"a href="http://x.com/(y)" @1
  text "a (b)" @1
text " and " @1
a href="d e" @1
  text "c" @1
text " and " @1
a href="g" @1
  text "f" @1
"#,
        ),
        (
            r#"[nodef] and [text][nodef] and []"#,
            r#"text "[nodef] and [text][nodef] and []" @1
"#,
        ),
        (
            r#"[a [b] c](/u)"#,
            r#"a href="/u" @1
  text "a [b] c" @1
"#,
        ),
        (
            r#"[a ![i](x.png) c](/u)"#,
            r#"a href="/u" @1
  text "a " @1
  img src="x.png" alt="i" @1
  text " c" @1
"#,
        ),
        (
            r#"![a [b](/x) c](/y)"#,
            r#"img src="/y" alt="a [b](/x) c" @1
"#,
        ),
        (
            r#"[a]( ) [b]()"#,
            r#"a href="" @1
  text "a" @1
text " " @1
a href="" @1
  text "b" @1
"#,
        ),
        (
            r#"[a]
(b)"#,
            r#"text "[a]\n(b)" @1
"#,
        ),
        (
            r#"[a] (b)"#,
            r#"text "[a] (b)" @1
"#,
        ),
        (
            r#"[a][] [b] [c]"#,
            r#"text "[a][] [b] [c]" @1
"#,
        ),
        (
            r#"[a\]b](/u) [c\[d](/u)"#,
            r#"a href="/u" @1
  text "a]b" @1
text " " @1
a href="/u" @1
  text "c[d" @1
"#,
        ),
        (
            r#"![](/i.png)"#,
            r#"img src="/i.png" alt="" @1
"#,
        ),
        (
            r#"[![img](/i.png)](/u)"#,
            r#"a href="/u" @1
  img src="/i.png" alt="img" @1
"#,
        ),
        (
            r#"[a [b](/x) c](/y)"#,
            r#"a href="/y" @1
  text "a [b](/x) c" @1
"#,
        ),
        (
            r#"[a[^1]](/u)"#,
            r#"text "[a[^1]](/u)" @1
"#,
        ),
        (
            r#"[^1] [^nope]"#,
            r#"text "[^1] [^nope]" @1
"#,
        ),
        (
            r#"[^] [^a b]"#,
            r#"text "[^] [^a b]" @1
"#,
        ),
        (
            r#"!x [ ] !["#,
            r#"text "!x [ ] ![" @1
"#,
        ),
        (
            r#"<https://a.com/b?c=d&e=f> <ftp://x> <http:>"#,
            r#"a href="https://a.com/b?c=d&e=f" @1
  text "https://a.com/b?c=d&e=f" @1
text " " @1
a href="ftp://x" @1
  text "ftp://x" @1
text " <http:>" @1
"#,
        ),
        (
            r#"<mailto:a@b.c>"#,
            r#"a href="mailto:a@b.c" @1
  text "a@b.c" @1
"#,
        ),
        (
            r#"x &nbsp; &NotAName; &#0; &#x0; &#65; &#x41;&#x1F600; &amp"#,
            r#"text "x " @1
entity &160 @1
text " " @1
entity &38 @1
text "NotAName; " @1
entity &0 @1
text " " @1
entity &0 @1
text " " @1
entity &65 @1
text " " @1
entity &65 @1
entity &128512 @1
text " &amp" @1
"#,
        ),
        (
            r#"&#150; &#x80; &AElig; &lt;&gt;"#,
            r#"entity &8211 @1
text " " @1
entity &8364 @1
text " " @1
entity &198 @1
text " " @1
entity &60 @1
entity &62 @1
"#,
        ),
        (
            r#"a `b` c `` d `` e ``` f ` g ```"#,
            r#"text "a " @1
codespan "b" @1
text " c " @1
codespan "d" @1
text " e " @1
codespan "f ` g" @1
"#,
        ),
        (
            r#"` a`"#,
            r#"text "` a`" @1
"#,
        ),
        (
            r#"x ` a`"#,
            r#"text "x ` a`" @1
"#,
        ),
        (
            r#"x` a`"#,
            r#"text "x" @1
codespan " a" @1
"#,
        ),
        (
            r#"`` `a` ``"#,
            r#"codespan "`a`" @1
"#,
        ),
        (
            r#"`a``"#,
            r#"codespan "a" @1
text "`" @1
"#,
        ),
        (
            r#"``a`"#,
            r#"text "``a`" @1
"#,
        ),
        (
            r#"`"#,
            r#"text "`" @1
"#,
        ),
        (
            r#"foo -- bar --- baz ---- qux ----- x"#,
            r#"text "foo " @1
typographic_sym "ndash" @1
text " bar " @1
typographic_sym "mdash" @1
text " baz " @1
typographic_sym "mdash" @1
text "- qux " @1
typographic_sym "mdash" @1
typographic_sym "ndash" @1
text " x" @1
"#,
        ),
        (
            r#"a... b.... c....."#,
            r#"text "a" @1
typographic_sym "hellip" @1
text " b" @1
typographic_sym "hellip" @1
text ". c" @1
typographic_sym "hellip" @1
text ".." @1
"#,
        ),
        (
            r#"<<a>> << a >> a <<b >>"#,
            r#"typographic_sym "laquo" @1
text "a" @1
typographic_sym "raquo" @1
text " " @1
typographic_sym "laquo_space" @1
text "a" @1
typographic_sym "raquo_space" @1
text " a " @1
typographic_sym "laquo" @1
text "b" @1
typographic_sym "raquo_space" @1
"#,
        ),
        (
            r#"\<< \>> \<<<"#,
            r#"entity &60 @1
entity &60 @1
text " " @1
entity &62 @1
entity &62 @1
text " " @1
entity &60 @1
entity &60 @1
text "<" @1
"#,
        ),
        (
            r#"a<<"#,
            r#"text "a" @1
typographic_sym "laquo" @1
"#,
        ),
        (
            r#"a\\
b"#,
            r#"text "a" @1
br @1
text "\nb" @1
"#,
        ),
        (
            "a   \nb",
            r#"text "a " @1
br @1
text "\nb" @1
"#,
        ),
        (
            "a\\\\  \nb",
            r#"text "a\\" @1
br @1
text "\nb" @1
"#,
        ),
        (
            r#"~~a~~ ~~a ~~ ~~ a~~ ~~~~ ~~a~~~ a~~b~~c"#,
            r#"html_element "del" @0 category=Span
  text "a" @0
text " " @1
html_element "del" @0 category=Span
  text "a ~~ ~~ a" @0
text " ~~~~ " @1
html_element "del" @0 category=Span
  text "a" @0
text "~ a" @1
html_element "del" @0 category=Span
  text "b" @0
text "c" @1
"#,
        ),
        (
            r#"~~a
b~~"#,
            r#"html_element "del" @0 category=Span
  text "a\nb" @0
"#,
        ),
        (
            r#"~~a \~~ b~~"#,
            r#"html_element "del" @0 category=Span
  text "a \\" @0
text " b~~" @1
"#,
        ),
        (
            r#"$$a$$ $$ b
c $$ $a$ $$$x$$$"#,
            r#"math "a" @1 category=Span
text " " @1
math "b\nc" @1 category=Span
text " $a$ " @1
math "$x" @2 category=Span
text "$" @2
"#,
        ),
        (
            r#"$$"#,
            r#"text "$$" @1
"#,
        ),
        (
            r#"{:.x"#,
            r#"text "{:.x" @1
"#,
        ),
    ];
}
