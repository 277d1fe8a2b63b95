//! kramdown's block parsers but lists, tables, HTML and extensions (parser/kramdown/*.rb:
//! blank_line, eob, paragraph, header, blockquote, codeblock, horizontal_rule, math, footnote,
//! link, abbreviation, block_boundary) with GFM's changes (kramdown-parser-gfm's gfm.rb), and
//! GFM's pass after parsing (`update_elements`: hard line breaks, header ids).
//!
//! Written from kramdown 2.4's Ruby (© Thomas Leitner, MIT) and kramdown-parser-gfm 1.1's (MIT).
//! Ruby's look-arounds and back-references (fenced code's closing fence, the link definition's
//! title quote, the code block's lazy lines, `\Z`) are checked by hand, in the order Ruby's
//! backtracking tries them. Ruby's `\s`, `\w`, `\d` are ASCII.
//!
//! Differences from the Ruby: where Ruby would loop forever or raise (an indented line whose
//! first non-blank is a vertical tab or form feed, a paragraph without a final newline in a
//! nested text) the parser takes the line as it is instead.
//!
//! Definitions (`[id]: url`, `*[abbr]: …`, `[^fn]: …`) leave an end-of-block marker (`:eob`)
//! with their kind as value and their name in `options.rare().name`; an IAL given right after
//! one (or before it, as block IAL) is kept in `Parser::def_ials` under (kind, name), where the
//! spans parser finds it: Ruby keeps the marker element itself.

use std::fmt::Write as _;

use memchr::memchr;

use crate::scanner::{Re, Scanner};
use crate::tree::{Category, Element, Type, Value};
use crate::Parser;

/// Ruby's `\s`: ASCII whitespace.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// A word character as Ruby's `\b` sees it (Unicode letters, digits, `_`, marks).
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    let mut buf = [0; 4];
    WORD_CHAR.is_match(c.encode_utf8(&mut buf))
}

crate::re!(WORD_CHAR = r"\w");

/// Ruby's `strip`: ASCII whitespace and NUL at both ends.
pub(crate) fn ruby_strip(s: &str) -> &str {
    ruby_rstrip(ruby_lstrip(s))
}

pub(crate) fn ruby_lstrip(s: &str) -> &str {
    s.trim_start_matches(|c: char| c == '\0' || (c.is_ascii() && is_space(c as u8)))
}

pub(crate) fn ruby_rstrip(s: &str) -> &str {
    s.trim_end_matches(|c: char| c == '\0' || (c.is_ascii() && is_space(c as u8)))
}

/// Ruby's `downcase`: each character's full lower case, without context (a final `Σ` is `σ`).
pub(crate) fn ruby_downcase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars().flat_map(char::to_lowercase).collect()
}

/// The end of the line at `from` (after its `\n`), or the end of the text.
fn line_end(text: &str, from: usize) -> usize {
    memchr(b'\n', &text.as_bytes()[from..]).map_or(text.len(), |i| from + i + 1)
}

/// Where a run of `[ \t]` from `from` ends.
fn skip_blanks(b: &[u8], mut from: usize) -> usize {
    while from < b.len() && (b[from] == b' ' || b[from] == b'\t') {
        from += 1;
    }
    from
}

// Ruby: BLANK_LINE = /(?>^\s*\n)+/
crate::re!(BLANK_LINE = r"^[ \t\n\x0B\f\r]*\n");
// Ruby: EOB_MARKER = /^\^\s*?\n/
crate::re!(EOB_MARKER = r"^\^[ \t\x0B\f\r]*\n");
crate::re!(CODEBLOCK_START = r"^(?:\t| {4})");
crate::re!(FENCED_CODEBLOCK_START = r"^~{3,}");
crate::re!(FENCED_CODEBLOCK_START_GFM = r"^[ ]{0,3}[~`]{3,}");
crate::re!(BLOCKQUOTE_START = r"^ {0,3}> ?");
crate::re!(ATX_HEADER_START = r"^(?P<level>#{1,6})[\t ]*(?P<contents>[^ \t].*)\n");
crate::re!(ATX_HEADER_START_GFM = r"^(?P<level>#{1,6})[\t ]+(?P<contents>.*)\n");
crate::re!(
    SETEXT_HEADER_START = r"^ {0,3}(?P<contents>[^ \t].*)\n(?P<level>[-=])[-=]*[ \t\r\f\x0B]*\n"
);
crate::re!(BLOCK_MATH_START = r"(?s)^ {0,3}(\\)?\$\$(.*?)\$\$([ \t\n\x0B\f\r]*?\n)?");
// The start of Ruby's FOOTNOTE_DEFINITION_START (the rest, a CODEBLOCK_MATCH, is by hand).
crate::re!(FOOTNOTE_DEFINITION_START = r"^ {0,3}\[\^([A-Za-z0-9_][A-Za-z0-9_-]*)\]:");
// The start of Ruby's LINK_DEFINITION_START (the rest is matched by hand).
crate::re!(LINK_DEFINITION_START = r"^ {0,3}\[([^\n\]]+)\]:[ \t]*");
crate::re!(ABBREV_DEFINITION_START = r"^ {0,3}\*\[(.+?)\]:(.*?)\n");

/// IAL_BLOCK_START: `^ {0,3}\{:(?!:|\/)(ALD_ANY_CHARS+)\}\s*?\n`, the look-ahead folded into
/// the first character.
pub(crate) const IAL_BLOCK_START_STR: &str =
    r"^ {0,3}\{:((?:\\\}|[^:/\}])(?:\\\}|[^\}])*)\}[ \t\x0B\f\r]*\n";
crate::re!(IAL_BLOCK_START = IAL_BLOCK_START_STR);

// The parts of kramdown's PARAGRAPH_END (LAZY_END | DEFINITION_LIST_START) a regex can say;
// the HTML tags and `\Z` are checked by hand.
crate::re!(
    PARAGRAPH_END = [
        r"^[ \t\n\x0B\f\r]*\n",
        IAL_BLOCK_START_STR,
        r"^\^[ \t\x0B\f\r]*\n",
        r"^ {0,3}:[\t| ].*?\n",
    ]
    .join("|")
);
// The same for GFM's PARAGRAPH_END_GFM (LAZY_END, LIST_START, ATX_HEADER_START,
// DEFINITION_LIST_START, BLOCKQUOTE_START, FENCED_CODEBLOCK_START).
crate::re!(
    PARAGRAPH_END_GFM = [
        r"^[ \t\n\x0B\f\r]*\n",
        IAL_BLOCK_START_STR,
        r"^\^[ \t\x0B\f\r]*\n",
        r"^ {0,3}[+*-][\t| ].*?\n",
        r"^ {0,3}[0-9]+\.[\t| ].*?\n",
        r"^#{1,6}[\t ]+.*\n",
        r"^ {0,3}:[\t| ].*?\n",
        r"^ {0,3}> ?",
        r"^[ ]{0,3}[~`]{3,}",
    ]
    .join("|")
);
// LAZY_END without the HTML tags and `\Z`.
crate::re!(
    LAZY_END_RE = [
        r"^[ \t\n\x0B\f\r]*\n",
        IAL_BLOCK_START_STR,
        r"^\^[ \t\x0B\f\r]*\n",
    ]
    .join("|")
);
// BLOCK_BOUNDARY without `\Z`.
crate::re!(
    BLOCK_BOUNDARY = [
        r"^[ \t\n\x0B\f\r]*\n",
        r"^\^[ \t\x0B\f\r]*\n",
        IAL_BLOCK_START_STR,
    ]
    .join("|")
);

/// ATX_HEADER_START_GFM (`^(#{1,6})[\t ]+(.*)\n`) at the start of `s`, by hand: the level, where
/// the contents lie and where the match ends.
pub(crate) fn atx_header_gfm(s: &str) -> Option<(u8, std::ops::Range<usize>, usize)> {
    let b = s.as_bytes();
    let level = b.iter().take_while(|&&c| c == b'#').count();
    if !(1..=6).contains(&level) || !matches!(b.get(level), Some(b'\t' | b' ')) {
        return None;
    }
    let start = skip_blanks(b, level);
    let end = start + memchr(b'\n', &b[start..])?;
    Some((level as u8, start..end, end + 1))
}

/// Whether a line starting with `first` may match PARAGRAPH_END_GFM (whose first characters
/// take in those of PARAGRAPH_END and LAZY_END_RE): `false` only where none
/// can, so that the regex need not run on the lines of a paragraph's running text.
fn may_end_paragraph(first: u8) -> bool {
    matches!(
        first,
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b'{' | b'^' | b'+' | b'*' | b'-' | b'0'
            ..=b'9' | b'#' | b':' | b'>' | b'~' | b'`'
    )
}

/// `^OPT_SPACE LAZY_END_HTML_STOP | ^OPT_SPACE LAZY_END_HTML_START` at the start of `s`.
pub(crate) fn lazy_end_html(s: &str) -> bool {
    let i = s.bytes().take(3).take_while(|&b| b == b' ').count();
    crate::html::lazy_end_html_stop(s, i) || crate::html::lazy_end_html_start(s, i)
}

/// Ruby's `\Z` at the start of `s`: the end, or a last `\n`.
fn at_end(s: &str) -> bool {
    s.is_empty() || s == "\n"
}

/// kramdown's LAZY_END at the start of `s` (a line's start).
pub(crate) fn lazy_end(s: &str) -> bool {
    (s.as_bytes().first().is_some_and(|&b| may_end_paragraph(b)) && LAZY_END_RE.matches_at(s, 0))
        || lazy_end_html(s)
        || at_end(s)
}

/// Ruby's BLANK_LINE at the start of `s`, by hand: its length, up to the last `\n` of the
/// blanks that start `s`.
pub(crate) fn blank_line_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let blanks = b.iter().take_while(|&&c| is_space(c)).count();
    memchr::memrchr(b'\n', &b[..blanks]).map(|i| i + 1)
}

/// `INDENT[ \t]*\S.*\n` at `at`: the line's length.
fn indented_line_len(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    let indent = if b.get(at) == Some(&b'\t') {
        1
    } else if b.len() >= at + 4 && &b[at..at + 4] == b"    " {
        4
    } else {
        return None;
    };
    nonblank_line_len(text, at + indent).map(|l| l + indent)
}

/// `[ \t]*\S.*\n` at `at`: the line's length.
fn nonblank_line_len(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    let i = skip_blanks(b, at);
    if i >= b.len() || is_space(b[i]) {
        return None;
    }
    let end = line_end(text, i);
    (b[end - 1] == b'\n').then_some(end - at)
}

/// Ruby's CODEBLOCK_MATCH at `at`: `(?:BLANK_LINE?(?:INDENT[ \t]*\S.*\n)+(?:(?!IAL_BLOCK_START|
/// EOB_MARKER|^OPT_SPACE LAZY_END_HTML_STOP|^OPT_SPACE LAZY_END_HTML_START)^[ \t]*\S.*\n)*)*`,
/// its length (it always matches, maybe empty).
pub(crate) fn codeblock_match_len(text: &str, at: usize) -> usize {
    let mut end = at;
    loop {
        let mut p = end;
        if let Some(n) = blank_line_len(&text[p..]) {
            p += n;
        }
        let mut q = p;
        while let Some(n) = indented_line_len(text, q) {
            q += n;
        }
        if q == p {
            return end - at;
        }
        loop {
            let rest = &text[q..];
            if IAL_BLOCK_START.matches_at(rest, 0)
                || EOB_MARKER.matches_at(rest, 0)
                || lazy_end_html(rest)
            {
                break;
            }
            match nonblank_line_len(text, q) {
                Some(n) => q += n,
                None => break,
            }
        }
        end = q;
    }
}

/// Ruby's HR_START at the start of `s` (`^OPT_SPACE(\*|-|_)[ \t]*\1[ \t]*\1(\1|[ \t])*\n`):
/// the line's length.
pub(crate) fn hr_line_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < 3 && b.get(i) == Some(&b' ') {
        i += 1;
    }
    let c = *b.get(i).filter(|c| matches!(c, b'*' | b'-' | b'_'))?;
    let mut count = 0;
    while i < b.len() && b[i] != b'\n' {
        if b[i] == c {
            count += 1;
        } else if b[i] != b' ' && b[i] != b'\t' {
            return None;
        }
        i += 1;
    }
    (count >= 3 && i < b.len()).then_some(i + 1)
}

/// kramdown's `normalize_link_id`: runs of whitespace as one space, lower case.
pub(crate) fn normalize_link_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut in_space = false;
    for c in id.chars() {
        if c.is_ascii() && is_space(c as u8) {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    ruby_downcase(&out)
}

/// What Ruby's FENCED_CODEBLOCK_MATCH captured.
struct Fenced {
    /// The match's length.
    end: usize,
    body: (usize, usize),
    /// Group 3 (the info string with its `?…`) and group 4 (the language).
    info: Option<((usize, usize), (usize, usize))>,
}

/// Ruby's FENCED_CODEBLOCK_MATCH (GFM's when `gfm`) at the start of `s`:
/// `^[ ]{0,3}(([~`]){3,})\s*?((\S+?)(?:\?\S*)?)?\s*?\n(.*?)^[ ]{0,3}\1\2*\s*?\n` (/m), tried in
/// the order Ruby's backtracking tries it.
fn fenced_match(s: &str, gfm: bool) -> Option<Fenced> {
    let b = s.as_bytes();
    let mut start = 0;
    if gfm {
        while start < 3 && b.get(start) == Some(&b' ') {
            start += 1;
        }
    }
    let mut run = start;
    while run < b.len() && (b[run] == b'~' || (gfm && b[run] == b'`')) {
        run += 1;
    }
    if run - start < 3 {
        return None;
    }
    for fence_end in (start + 3..=run).rev() {
        let mut search = FenceSearch {
            s,
            fence: &s[start..fence_end],
            last: b[fence_end - 1],
            gfm,
            failed_from: usize::MAX,
        };
        let mut p1 = fence_end;
        loop {
            // Group 3 present: `\S+?` grows one character at a time.
            let mut k = p1;
            while k < b.len() && !is_space(b[k]) {
                k += utf8_len(b[k]);
                if b.get(k) == Some(&b'?') {
                    let mut run_end = k + 1;
                    while run_end < b.len() && !is_space(b[run_end]) {
                        run_end += 1;
                    }
                    let mut info_end = run_end;
                    while info_end > k {
                        if s.is_char_boundary(info_end) {
                            if let Some((end, body)) = search.tail(info_end) {
                                return Some(Fenced {
                                    end,
                                    body,
                                    info: Some(((p1, info_end), (p1, k))),
                                });
                            }
                        }
                        info_end -= 1;
                    }
                }
                if let Some((end, body)) = search.tail(k) {
                    return Some(Fenced {
                        end,
                        body,
                        info: Some(((p1, k), (p1, k))),
                    });
                }
            }
            if let Some((end, body)) = search.tail(p1) {
                return Some(Fenced {
                    end,
                    body,
                    info: None,
                });
            }
            if p1 < b.len() && is_space(b[p1]) {
                p1 += 1;
            } else {
                break;
            }
        }
    }
    None
}

fn utf8_len(first: u8) -> usize {
    match first {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// The closing part of a fenced code block for one fence: `\s*?\n(.*?)^[ ]{0,3}\1\2*\s*?\n`.
struct FenceSearch<'s> {
    s: &'s str,
    fence: &'s str,
    last: u8,
    gfm: bool,
    /// A body start from which no closing fence was found (nor is one from later starts).
    failed_from: usize,
}

impl FenceSearch<'_> {
    /// From `x`: the end of the match and the body.
    fn tail(&mut self, x: usize) -> Option<(usize, (usize, usize))> {
        let b = self.s.as_bytes();
        let mut i = x;
        while i < b.len() && b[i] != b'\n' {
            if !is_space(b[i]) {
                return None;
            }
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let body_start = i + 1;
        if body_start >= self.failed_from {
            return None;
        }
        let mut line = body_start;
        while line <= b.len() {
            if let Some(end) = self.closing_at(line) {
                return Some((end, (body_start, line)));
            }
            if line == b.len() {
                break;
            }
            line = line_end(self.s, line);
        }
        self.failed_from = body_start;
        None
    }

    /// `[ ]{0,3}\1\2*\s*?\n` at a line's start: the end.
    fn closing_at(&self, at: usize) -> Option<usize> {
        let b = self.s.as_bytes();
        let mut i = at;
        if self.gfm {
            while i < at + 3 && b.get(i) == Some(&b' ') {
                i += 1;
            }
        }
        if !self.s[i..].starts_with(self.fence) {
            return None;
        }
        i += self.fence.len();
        while b.get(i) == Some(&self.last) {
            i += 1;
        }
        while i < b.len() && b[i] != b'\n' && is_space(b[i]) {
            i += 1;
        }
        (b.get(i) == Some(&b'\n')).then_some(i + 1)
    }
}

/// What Ruby's LINK_DEFINITION_START captured after the id.
struct LinkDef {
    end: usize,
    url: String,
    /// The url was written without `<…>` (group 3).
    bare: bool,
    title: Option<String>,
}

/// The rest of Ruby's LINK_DEFINITION_START from `x0` (after `[id]:[ \t]*`):
/// `(?:<(.*?)>|([^\n]*?\S[^\n]*?))(?:(?:[ \t]*?\n|[ \t]+?)[ \t]*?(["'])(.+?)\4)?[ \t]*?\n`,
/// in the order Ruby's backtracking tries it.
fn link_definition_rest(text: &str, x0: usize) -> Option<LinkDef> {
    let b = text.as_bytes();
    let nl = memchr(b'\n', &b[x0..])? + x0;
    // After the last character of the line that is not a space or tab.
    let mut t = nl;
    while t > x0 && (b[t - 1] == b' ' || b[t - 1] == b'\t') {
        t -= 1;
    }
    // A title on the same line after `p_end`: `[ \t]+` then a quote, closed by the line's last
    // non-blank character.
    let title_here = |p_end: usize| -> Option<(usize, (usize, usize))> {
        if p_end >= t || !(b[p_end] == b' ' || b[p_end] == b'\t') {
            return None;
        }
        let w = skip_blanks(b, p_end);
        if w < t && (b[w] == b'"' || b[w] == b'\'') && b[t - 1] == b[w] && t - 1 > w + 1 {
            Some((nl + 1, (w + 1, t - 1)))
        } else {
            None
        }
    };
    // At `p_end == t`: a title on the next line, or none.
    let line_end_tail = || -> (usize, Option<(usize, usize)>) {
        let z = nl + 1;
        let w = skip_blanks(b, z);
        if w < b.len() && (b[w] == b'"' || b[w] == b'\'') {
            if let Some(nl2) = memchr(b'\n', &b[w..]).map(|i| i + w) {
                let mut t2 = nl2;
                while t2 > w && (b[t2 - 1] == b' ' || b[t2 - 1] == b'\t') {
                    t2 -= 1;
                }
                if b[t2 - 1] == b[w] && t2 - 1 > w + 1 {
                    return (nl2 + 1, Some((w + 1, t2 - 1)));
                }
            }
        }
        (nl + 1, None)
    };
    let title_of = |(s, e): (usize, usize)| text[s..e].to_owned();
    // `<(.*?)>`
    if b.get(x0) == Some(&b'<') {
        for g in (x0 + 1..nl).filter(|&g| b[g] == b'>') {
            let p_end = g + 1;
            let url = text[x0 + 1..g].to_owned();
            if p_end == t {
                let (end, title) = line_end_tail();
                return Some(LinkDef {
                    end,
                    url,
                    bare: false,
                    title: title.map(title_of),
                });
            }
            if let Some((end, title)) = title_here(p_end) {
                return Some(LinkDef {
                    end,
                    url,
                    bare: false,
                    title: Some(title_of(title)),
                });
            }
        }
    }
    // `([^\n]*?\S[^\n]*?)`: the shortest url with a non-space that the rest allows.
    let first_nonspace = (x0..nl).find(|&i| !is_space(b[i]))?;
    let mut p_end = first_nonspace + utf8_len(b[first_nonspace]);
    while p_end <= t {
        if p_end == t {
            let (end, title) = line_end_tail();
            return Some(LinkDef {
                end,
                url: text[x0..p_end].to_owned(),
                bare: true,
                title: title.map(title_of),
            });
        }
        if let Some((end, title)) = title_here(p_end) {
            return Some(LinkDef {
                end,
                url: text[x0..p_end].to_owned(),
                bare: true,
                title: Some(title_of(title)),
            });
        }
        p_end += utf8_len(b[p_end]);
    }
    None
}

// GFM's NON_WORD_RE (`[^\p{Word}\- \t]`; Rust's `\w` also holds the joiners, Ruby's not).
crate::re!(NON_WORD = r"[^\w\- \t]|[\x{200C}\x{200D}]");
crate::re!(
    HEADER_ID = r"[\t ]\{#(?P<id>[:A-Z_a-z\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{2FF}\x{370}-\x{37D}\x{37F}-\x{1FFF}\x{200C}-\x{200D}\x{2070}-\x{218F}\x{2C00}-\x{2FEF}\x{3001}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFFD}\x{10000}-\x{EFFFF}][:A-Z_a-z\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{2FF}\x{370}-\x{37D}\x{37F}-\x{1FFF}\x{200C}-\x{200D}\x{2070}-\x{218F}\x{2C00}-\x{2FEF}\x{3001}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFFD}\x{10000}-\x{EFFFF}\-\.0-9\x{B7}\x{300}-\x{36F}\x{203F}-\x{2040}]*)\}\z"
);

/// kramdown's `parse_header_contents`: the text without a trailing `{#id}`, and the id.
fn parse_header_contents(contents: &str) -> (String, Option<String>) {
    let text = ruby_rstrip(contents);
    if let Some(caps) = HEADER_ID.captures_from(text, 0) {
        let start = caps.get_match().expect("matched").start();
        let id = crate::scanner::named(text, &caps, "id").map(str::to_owned);
        return (ruby_rstrip(&text[..start]).to_owned(), id);
    }
    (text.to_owned(), None)
}

/// The kinds of definitions an IAL after them goes to (their eob markers' values).
const DEF_KINDS: [&str; 3] = ["link_def", "abbrev_def", "footnote_def"];

/// The kind of definition `el` is the end-of-block marker of, if it is one.
pub(crate) fn definition_kind(el: &Element) -> Option<&'static str> {
    if el.kind != Type::Eob {
        return None;
    }
    DEF_KINDS.iter().copied().find(|k| *k == el.value_str())
}

impl Parser {
    /// kramdown's `after_block_boundary?`.
    pub(crate) fn after_block_boundary(&self) -> bool {
        match self.tree.children.last() {
            None => true,
            Some(last) => {
                last.kind == Type::Blank
                    || (last.kind == Type::Eob && last.value == Value::None)
                    || self.block_ial.is_some()
            }
        }
    }

    /// kramdown's `before_block_boundary?`.
    pub(crate) fn before_block_boundary(&self) -> bool {
        let rest = self.src.rest();
        BLOCK_BOUNDARY.matches_at(rest, 0) || at_end(rest)
    }

    /// An end-of-block marker for a definition (`new_block_el(:eob, kind)`), its name kept;
    /// a waiting block IAL goes to the definition.
    fn push_def_eob(&mut self, kind: &'static str, name: &str) {
        let mut eob = self.new_block_el(Element::with_value(Type::Eob, kind));
        eob.options.rare_mut().name = Some(name.to_owned());
        let key = (kind, name.to_owned());
        match &eob.options.ial {
            Some(ial) => {
                self.def_ials.insert(key, (**ial).clone());
            }
            None => {
                self.def_ials.remove(&key);
            }
        }
        self.tree.children.push(eob);
    }

    /// After an IAL was added to the last child: a definition's marker keeps it for the
    /// definition.
    pub(crate) fn keep_def_ial(&mut self) {
        let Some(last) = self.tree.children.last() else {
            return;
        };
        let Some(kind) = definition_kind(last) else {
            return;
        };
        if let (Some(name), Some(ial)) = (&last.options.rare().name, &last.options.ial) {
            self.def_ials.insert((kind, name.clone()), (**ial).clone());
        }
    }

    pub(crate) fn parse_blank_line(&mut self) -> bool {
        let Some(len) = blank_line_len(self.src.rest()) else {
            return false;
        };
        let start = self.src.pos();
        self.src.set_pos(start + len);
        let matched = &self.src.string()[start..start + len];
        match self.tree.children.last_mut() {
            Some(last) if last.kind == Type::Blank => last.value_mut().push_str(matched),
            _ => {
                let blank = Element::with_value(Type::Blank, matched);
                let blank = self.new_block_el(blank);
                self.tree.children.push(blank);
            }
        }
        true
    }

    pub(crate) fn parse_eob_marker(&mut self) -> bool {
        let Some(len) = EOB_MARKER.end_at(self.src.rest(), 0) else {
            return false;
        };
        self.src.set_pos(self.src.pos() + len);
        let eob = self.new_block_el(Element::new(Type::Eob));
        self.tree.children.push(eob);
        true
    }

    /// `@paragraph_end` at the position.
    fn paragraph_end_here(&self, at: usize) -> bool {
        let rest = &self.src.string()[at..];
        let re = if self.options.gfm && self.options.quirk_paragraph_end {
            &PARAGRAPH_END_GFM
        } else {
            &PARAGRAPH_END
        };
        (rest
            .as_bytes()
            .first()
            .is_some_and(|&b| may_end_paragraph(b))
            && re.matches_at(rest, 0))
            || lazy_end_html(rest)
            || at_end(rest)
    }

    pub(crate) fn parse_paragraph(&mut self) -> bool {
        let pos = self.src.pos();
        let start_line = self.src.current_line_number();
        let text = self.src.string();
        let mut end = line_end(text, pos);
        while end < text.len() && !self.paragraph_end_here(end) {
            end = line_end(text, end);
        }
        let result = ruby_rstrip(&text[pos..end]).to_owned();
        let joiner = if pos >= 3 && &text.as_bytes()[pos - 3..pos] == b"  \n" {
            "  \n"
        } else {
            "\n"
        };
        self.src.set_pos(end);
        let text_type = self.text_type;
        match self.tree.children.last_mut() {
            Some(last) if last.kind == Type::P => match last.children.last_mut() {
                Some(item) if item.kind == text_type => {
                    let value = item.value_mut();
                    value.push_str(joiner);
                    value.push_str(&result);
                }
                _ => Parser::add_text_to(last, &result, text_type),
            },
            _ => {
                let mut p = self.new_block_el(Element::new(Type::P).at(start_line));
                Parser::add_text_to(&mut p, ruby_lstrip(&result), text_type);
                self.tree.children.push(p);
            }
        }
        true
    }

    /// kramdown's `add_header`: the match ends at `end`.
    fn add_header(&mut self, level: u8, text: String, id: Option<String>, end: usize) {
        let start_line = self.src.current_line_number();
        self.src.set_pos(end);
        let mut el = self.new_block_el(Element::new(Type::Header).at(start_line));
        el.options.level = level;
        Parser::add_text_to(&mut el, &text, self.text_type);
        el.options.rare_mut().raw_text = Some(text);
        if let Some(id) = id {
            el.set_attr("id", id);
        }
        self.tree.children.push(el);
    }

    pub(crate) fn parse_setext_header(&mut self) -> bool {
        if !self.after_block_boundary() {
            return false;
        }
        let Some(caps) = self.src.check(&SETEXT_HEADER_START) else {
            return false;
        };
        let (text, id) = parse_header_contents(self.src.named(&caps, "contents").unwrap_or(""));
        if text.is_empty() {
            return false;
        }
        let level = if self.src.named(&caps, "level") == Some("-") {
            2
        } else {
            1
        };
        let end = caps.get_match().expect("matched").end();
        self.add_header(level, text, id, end);
        true
    }

    /// kramdown's `parse_atx_header` (GFM's `atx_header_gfm` uses it with its own start).
    pub(crate) fn parse_atx_header(&mut self) -> bool {
        if !self.after_block_boundary() {
            return false;
        }
        let re = if self.options.gfm {
            &ATX_HEADER_START_GFM
        } else {
            &ATX_HEADER_START
        };
        let Some(caps) = self.src.check(re) else {
            return false;
        };
        let (mut text, id) = parse_header_contents(self.src.named(&caps, "contents").unwrap_or(""));
        // text.sub!(/(?<!\\)#+\z/, '') && text.rstrip!
        let hashes = text.len() - text.trim_end_matches('#').len();
        if hashes > 0 {
            let mut start = text.len() - hashes;
            if start > 0 && text.as_bytes()[start - 1] == b'\\' {
                start += 1;
            }
            if start < text.len() {
                text.truncate(start);
                let kept = ruby_rstrip(&text).len();
                text.truncate(kept);
            }
        }
        if text.is_empty() {
            return false;
        }
        let level = self.src.named(&caps, "level").map_or(1, str::len) as u8;
        let end = caps.get_match().expect("matched").end();
        self.add_header(level, text, id, end);
        true
    }

    /// GFM's `parse_atx_header_gfm_quirk`: no block boundary needed, `#`s closing only after a
    /// space.
    pub(crate) fn parse_atx_header_gfm_quirk(&mut self) -> bool {
        let Some((level, contents, len)) = atx_header_gfm(self.src.rest()) else {
            return false;
        };
        let (mut text, id) = parse_header_contents(&self.src.rest()[contents]);
        // text.sub!(/[\t ]#+\z/, '') && text.rstrip!
        let hashes = text.len() - text.trim_end_matches('#').len();
        let start = text.len() - hashes;
        if hashes > 0 && start > 0 && matches!(text.as_bytes()[start - 1], b' ' | b'\t') {
            text.truncate(start - 1);
            let kept = ruby_rstrip(&text).len();
            text.truncate(kept);
        }
        if text.is_empty() {
            return false;
        }
        let end = self.src.pos() + len;
        self.add_header(level, text, id, end);
        true
    }

    pub(crate) fn parse_blockquote(&mut self) -> bool {
        let start_line = self.src.current_line_number();
        let text = self.src.string();
        let pos = self.src.pos();
        let mut end = line_end(text, pos);
        while !lazy_end(&text[end..]) {
            end = line_end(text, end);
        }
        // result.gsub!(BLOCKQUOTE_START, '') on every line.
        let mut result = String::with_capacity(end - pos);
        for line in text[pos..end].split_inclusive('\n') {
            let b = line.as_bytes();
            let mut i = 0;
            while i < 3 && b.get(i) == Some(&b' ') {
                i += 1;
            }
            if b.get(i) == Some(&b'>') {
                i += 1;
                if b.get(i) == Some(&b' ') {
                    i += 1;
                }
                result.push_str(&line[i..]);
            } else {
                result.push_str(line);
            }
        }
        self.src.set_pos(end);
        let el = self.new_block_el(Element::new(Type::Blockquote).at(start_line));
        let (el, _) = self.parse_blocks(el, Some(result));
        self.tree.children.push(el);
        true
    }

    pub(crate) fn parse_codeblock(&mut self) -> bool {
        let pos = self.src.pos();
        let len = codeblock_match_len(self.src.string(), pos);
        if len == 0 {
            // Ruby matches nothing here and would loop forever.
            return false;
        }
        let start_line = self.src.current_line_number();
        let raw = &self.src.string()[pos..pos + len];
        // data.gsub!(/\n( {0,3}\S)/, ' \\1'): lazy lines join the line before.
        let mut joined = String::with_capacity(raw.len());
        let rb = raw.as_bytes();
        let mut last = 0;
        for i in memchr::memchr_iter(b'\n', rb) {
            let mut j = i + 1;
            while j < i + 4 && rb.get(j) == Some(&b' ') {
                j += 1;
            }
            if j < rb.len() && !is_space(rb[j]) {
                joined.push_str(&raw[last..i]);
                joined.push(' ');
                last = i + 1;
            }
        }
        joined.push_str(&raw[last..]);
        // data.gsub!(INDENT, '')
        let mut data = String::with_capacity(joined.len());
        for line in joined.split_inclusive('\n') {
            let line = line
                .strip_prefix('\t')
                .or_else(|| line.strip_prefix("    "))
                .unwrap_or(line);
            data.push_str(line);
        }
        self.src.set_pos(pos + len);
        let el = self.new_block_el(Element::with_value(Type::Codeblock, data).at(start_line));
        self.tree.children.push(el);
        true
    }

    pub(crate) fn parse_codeblock_fenced(&mut self) -> bool {
        let Some(m) = fenced_match(self.src.rest(), self.options.gfm) else {
            return false;
        };
        let start_line = self.src.current_line_number();
        let pos = self.src.pos();
        let rest = self.src.rest();
        let body = rest[m.body.0..m.body.1].to_owned();
        let info = m
            .info
            .map(|((s3, e3), (s4, e4))| (rest[s3..e3].to_owned(), rest[s4..e4].to_owned()));
        self.src.set_pos(pos + m.end);
        let mut el = self.new_block_el(Element::with_value(Type::Codeblock, body).at(start_line));
        if let Some((info, lang)) = info {
            let info = ruby_strip(&info);
            if !info.is_empty() {
                el.options.rare_mut().lang = Some(info.to_owned());
                el.set_attr("class", format!("language-{lang}"));
            }
        }
        self.tree.children.push(el);
        true
    }

    pub(crate) fn parse_horizontal_rule(&mut self) -> bool {
        let Some(len) = hr_line_len(self.src.rest()) else {
            return false;
        };
        let start_line = self.src.current_line_number();
        self.src.set_pos(self.src.pos() + len);
        let el = self.new_block_el(Element::new(Type::Hr).at(start_line));
        self.tree.children.push(el);
        true
    }

    pub(crate) fn parse_block_math(&mut self) -> bool {
        let start_line = self.src.current_line_number();
        if !self.after_block_boundary() {
            return false;
        }
        let Some(caps) = self.src.check(&BLOCK_MATH_START) else {
            return false;
        };
        if caps.get_group(1).is_some() {
            if caps.get_group(3).is_some() {
                // @src.scan(/^#{OPT_SPACE}\\/)
                let rest = self.src.rest().as_bytes();
                let spaces = rest.iter().take(3).take_while(|&&b| b == b' ').count();
                if rest.get(spaces) == Some(&b'\\') {
                    self.src.set_pos(self.src.pos() + spaces + 1);
                }
            }
            return false;
        }
        let saved = self.src.save_pos();
        let end = caps.get_match().expect("matched").end();
        let data = ruby_strip(self.src.group(&caps, 2).unwrap_or("")).to_owned();
        self.src.set_pos(end);
        if self.before_block_boundary() {
            let mut el = self.new_block_el(Element::with_value(Type::Math, data).at(start_line));
            el.options.category = Some(Category::Block);
            self.tree.children.push(el);
            true
        } else {
            self.src.revert_pos(saved);
            false
        }
    }

    pub(crate) fn parse_footnote_definition(&mut self) -> bool {
        let Some(caps) = self.src.check(&FOOTNOTE_DEFINITION_START) else {
            return false;
        };
        let text = self.src.string();
        let name = self.src.group(&caps, 1).unwrap_or("").to_owned();
        // \s*?(.*?\n#{CODEBLOCK_MATCH})
        let content_start = caps.get_match().expect("matched").end();
        let first_end = line_end(text, content_start);
        if text.as_bytes()[first_end - 1] != b'\n' {
            return false;
        }
        let end = first_end + codeblock_match_len(text, first_end);
        let mut content = String::with_capacity(end - content_start);
        for line in text[content_start..end].split_inclusive('\n') {
            let line = line
                .strip_prefix('\t')
                .or_else(|| line.strip_prefix("    "))
                .unwrap_or(line);
            content.push_str(line);
        }
        let start_line = self.src.current_line_number();
        self.src.set_pos(end);
        let el = Element::new(Type::FootnoteDef).at(start_line);
        let (el, _) = self.parse_blocks(el, Some(content));
        if self.footnotes.contains_key(&name) {
            self.warning(format!(
                "Duplicate footnote name '{name}' on line {start_line} - overwriting"
            ));
        }
        self.push_def_eob("footnote_def", &name);
        self.footnotes.insert(
            name,
            crate::FootnoteDef {
                content: el,
                referenced: false,
                eob: true,
            },
        );
        true
    }

    pub(crate) fn parse_link_definition(&mut self) -> bool {
        let Some(caps) = self.src.check(&LINK_DEFINITION_START) else {
            return false;
        };
        let x0 = caps.get_match().expect("matched").end();
        let Some(def) = link_definition_rest(self.src.string(), x0) else {
            return false;
        };
        // return false if @src[3].to_s =~ /[ \t]+["']/
        if def.bare {
            let u = def.url.as_bytes();
            if u.windows(2)
                .any(|w| matches!(w[0], b' ' | b'\t') && matches!(w[1], b'"' | b'\''))
            {
                return false;
            }
        }
        let id = normalize_link_id(self.src.group(&caps, 1).unwrap_or(""));
        self.src.set_pos(def.end);
        if self.link_defs.contains_key(&id) {
            let line = self.src.current_line_number();
            self.warning(format!(
                "Duplicate link ID '{id}' on line {line} - overwriting"
            ));
        }
        self.push_def_eob("link_def", &id);
        self.link_defs.insert(id, (def.url, def.title));
        true
    }

    pub(crate) fn parse_abbrev_definition(&mut self) -> bool {
        let Some(caps) = self.src.check(&ABBREV_DEFINITION_START) else {
            return false;
        };
        let start_line = self.src.current_line_number();
        let id = self.src.group(&caps, 1).unwrap_or("").to_owned();
        let title = ruby_strip(self.src.group(&caps, 2).unwrap_or("")).to_owned();
        self.src.set_pos(caps.get_match().expect("matched").end());
        if self.abbrev_defs.contains_key(&id) {
            self.warning(format!(
                "Duplicate abbreviation ID '{id}' on line {start_line} - overwriting"
            ));
        }
        self.push_def_eob("abbrev_def", &id);
        self.abbrev_defs.insert(id, title);
        true
    }

    /// kramdown's `correct_abbreviations_attributes`: each abbreviation's attributes from the
    /// IAL its definition got.
    pub(crate) fn correct_abbreviations_attributes(&mut self) {
        let ids: Vec<String> = self.abbrev_defs.keys().cloned().collect();
        for id in ids {
            let mut attr = Vec::new();
            if let Some(ial) = self.def_ials.get(&("abbrev_def", id.clone())) {
                self.update_attr_with_ial(&mut attr, ial);
            }
            self.abbrev_attr.insert(id, attr);
        }
    }

    /// kramdown's `replace_abbreviations`: text split around the abbreviations it holds.
    pub(crate) fn replace_abbreviations(&mut self, el: &mut Element) {
        if self.abbrev_defs.is_empty() {
            return;
        }
        let mut keys: Vec<&str> = self.abbrev_defs.keys().map(String::as_str).collect();
        keys.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let pattern = keys
            .iter()
            .map(|k| escape_regex(k))
            .collect::<Vec<_>>()
            .join("|");
        let union = crate::span::cached_re(&pattern);
        replace_abbreviations_in(el, &keys, &union);
    }

    /// GFM's `update_elements`: hard line breaks in text, ids for headers.
    pub(crate) fn update_elements(&mut self, element: &mut Element) {
        let hard_break = if self.options.hard_wrap { "\n" } else { "\\\n" };
        if !element
            .children
            .iter()
            .any(|c| c.kind == Type::Text && has_hard_break(c.value_str(), hard_break))
        {
            // Nothing to split: the children stay where they are.
            for child in element.children.iter_mut() {
                if child.kind == Type::HtmlElement {
                } else if child.kind == Type::Header
                    && self.options.auto_ids
                    && child.attr("id").is_none()
                {
                    let raw = child.options.rare().raw_text.clone().unwrap_or_default();
                    let id = self.generate_gfm_header_id(&raw);
                    child.set_attr("id", id);
                } else {
                    self.update_elements(child);
                }
            }
            return;
        }
        let children = std::mem::take(&mut element.children);
        let count = children.len();
        let block = element.is_block();
        let mut out = Vec::with_capacity(count);
        for (i, mut child) in children.into_iter().enumerate() {
            if child.kind == Type::Text && has_hard_break(child.value_str(), hard_break) {
                update_text_type(&mut out, block && i + 1 == count, &child, hard_break);
            } else if child.kind == Type::HtmlElement {
                out.push(child);
            } else if child.kind == Type::Header
                && self.options.auto_ids
                && child.attr("id").is_none()
            {
                let raw = child.options.rare().raw_text.clone().unwrap_or_default();
                let id = self.generate_gfm_header_id(&raw);
                child.set_attr("id", id);
                out.push(child);
            } else {
                self.update_elements(&mut child);
                out.push(child);
            }
        }
        element.children = out;
    }

    /// GFM's `generate_gfm_header_id`.
    pub(crate) fn generate_gfm_header_id(&mut self, text: &str) -> String {
        let base = gfm_id_base(text);
        let counter = match self.id_counter.get_mut(&base) {
            Some(counter) => counter,
            None => self.id_counter.entry(base.clone()).or_insert(-1),
        };
        *counter += 1;
        let mut id = String::with_capacity(self.options.auto_id_prefix.len() + base.len() + 4);
        id.push_str(&self.options.auto_id_prefix);
        id.push_str(&base);
        if *counter > 0 {
            let _ = write!(id, "-{counter}");
        }
        id
    }
}

/// GFM's header id of `text` before numbering (`generate_gfm_header_id` without its counter):
/// lower case, what is not a word character, `-`, space or tab (`NON_WORD_RE`) dropped,
/// spaces and tabs `-`.
pub(crate) fn gfm_id_base(text: &str) -> String {
    let mut result = String::with_capacity(text.len());
    let mut keep = |c: char| match c {
        ' ' | '\t' => result.push('-'),
        c if id_char(c) => result.push(c),
        _ => {}
    };
    for c in text.chars() {
        if c.is_ascii() {
            keep(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut keep);
        }
    }
    result
}

/// Whether an id keeps `c` (lower case already): a word character or `-` (`NON_WORD`, with
/// ASCII, Hangul syllables and CJK ideographs told without it).
fn id_char(c: char) -> bool {
    match c {
        'a'..='z' | '0'..='9' | '_' | '-' => true,
        c if c.is_ascii() => false,
        '\u{AC00}'..='\u{D7A3}' | '\u{4E00}'..='\u{9FFF}' => true,
        c => NON_WORD.find_from(c.encode_utf8(&mut [0; 4]), 0).is_none(),
    }
}

/// Whether `text` holds `hard_break` (`"\n"` or `"\\\n"`), looked for at its newlines.
fn has_hard_break(text: &str, hard_break: &str) -> bool {
    let bytes = text.as_bytes();
    if hard_break == "\n" {
        return memchr::memchr(b'\n', bytes).is_some();
    }
    debug_assert_eq!(hard_break, "\\\n");
    memchr::memchr_iter(b'\n', bytes).any(|i| i > 0 && bytes[i - 1] == b'\\')
}

/// GFM's `update_text_type`: a text split at its hard line breaks, with `br`s between.
fn update_text_type(out: &mut Vec<Element>, last_of_block: bool, child: &Element, hb: &str) {
    let lines: Vec<&str> = child.value_str().split(hb).collect();
    let omit_trailing_br = lines.last().is_some_and(|l| l.is_empty()) && last_of_block;
    let location = child.options.location;
    let n = lines.len();
    for (index, line) in lines.iter().enumerate() {
        let at = location + index as u32;
        let value = if index > 0 {
            format!("\n{line}")
        } else {
            (*line).to_owned()
        };
        out.push(Element::with_value(Type::Text, value).at(at));
        if index + 2 < n || (index + 2 == n && !omit_trailing_br) {
            out.push(Element::new(Type::Br).at(at));
        }
    }
}

/// Ruby's `Regexp.escape` for a literal in a pattern.
fn escape_regex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        if c == '\n' {
            out.push_str("\\n");
        } else if c == '\t' {
            out.push_str("\\t");
        } else {
            out.push(c);
        }
    }
    out
}

fn is_ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The abbreviations of `el`'s texts (`replace_abbreviations(el, regexps)`).
fn replace_abbreviations_in(el: &mut Element, keys: &[&str], union: &Re) {
    let raw = el.options.content_model == Some(crate::tree::ContentModel::Raw);
    let children = std::mem::take(&mut el.children);
    let mut out = Vec::with_capacity(children.len());
    for mut child in children {
        if child.kind == Type::Text && !raw {
            if union.find_from(child.value_str(), 0).is_some() {
                split_abbreviations(&child, keys, union, &mut out);
            } else {
                out.push(child);
            }
        } else {
            if child.kind != Type::Text {
                replace_abbreviations_in(&mut child, keys, union);
            }
            out.push(child);
        }
    }
    el.children = out;
}

/// `(?=(?:\W|^)UNION(?!\w))` searched from `from` (`^` also at `from`, as Ruby's scanner
/// sees it): where it holds.
fn next_abbreviation(text: &str, from: usize, keys: &[&str], union: &Re) -> Option<usize> {
    // Some key followed by a non-word character at `q`.
    let valid = |q: usize| {
        keys.iter().any(|k| {
            text[q..].starts_with(k)
                && !text[q + k.len()..]
                    .chars()
                    .next()
                    .is_some_and(is_ascii_word)
        })
    };
    let mut at = from;
    while let Some((q, _)) = union.find_from(text, at) {
        if valid(q) {
            // \W before it (the smaller position), else ^ at it.
            if let Some(prev) = text[from..q].chars().next_back() {
                if !is_ascii_word(prev) {
                    return Some(q - prev.len_utf8());
                }
            }
            if q == from || text.as_bytes()[q - 1] == b'\n' {
                return Some(q);
            }
        }
        at = q + text[q..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn split_abbreviations(child: &Element, keys: &[&str], union: &Re, out: &mut Vec<Element>) {
    let text = child.value_str();
    let mut scanner = Scanner::new(text, child.options.location);
    let mut text_line = scanner.current_line_number();
    while let Some(p) = next_abbreviation(text, scanner.pos(), keys, union) {
        let mut temp = text[scanner.pos()..p].to_owned();
        scanner.set_pos(p);
        let abbr_line = scanner.current_line_number();
        let mut abbr = union.end_at(text, p).map(|e| (p, e));
        if abbr.is_none() {
            // temp << strscan.scan(/\W|^/)
            if let Some(c) = text[p..].chars().next().filter(|c| !is_ascii_word(*c)) {
                temp.push(c);
                scanner.set_pos(p + c.len_utf8());
            }
            abbr = union
                .end_at(text, scanner.pos())
                .map(|e| (scanner.pos(), e));
        }
        let Some((s, e)) = abbr else {
            break;
        };
        scanner.set_pos(e);
        out.push(Element::with_value(Type::Text, temp).at(text_line));
        out.push(Element::with_value(Type::Abbreviation, &text[s..e]).at(abbr_line));
        text_line = scanner.current_line_number();
    }
    out.push(Element::with_value(Type::Text, scanner.rest()).at(text_line));
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_keep_what_the_non_word_pattern_keeps() {
        // What `id_char` is given: characters in lower case.
        let ranges = [0..0x80, 0xAC00..0xD7A4, 0x4E00..0xA000];
        let lower = |c: &char| c.to_lowercase().eq([*c]);
        for c in ranges
            .into_iter()
            .flatten()
            .filter_map(char::from_u32)
            .filter(lower)
        {
            let text = c.to_string();
            let by_pattern = super::NON_WORD.find_from(&text, 0).is_none();
            let kept = matches!(c, ' ' | '\t') || super::id_char(c);
            assert_eq!(kept, by_pattern, "{c:?}");
        }
    }

    use crate::{assert_tree, strings, Options};

    #[test]
    fn atx_headers_by_hand_are_the_regex_ones() {
        let alphabet = ['#', ' ', '\t', 'a', '\n', '한', '\r'];
        for text in strings(&alphabet, 7) {
            let want = super::ATX_HEADER_START_GFM.match_at(&text, 0).map(|caps| {
                (
                    caps.get_group_by_name("level").unwrap().len() as u8,
                    caps.get_group_by_name("contents").unwrap().range(),
                    caps.get_match().unwrap().end(),
                )
            });
            assert_eq!(super::atx_header_gfm(&text), want, "{text:?}");
        }
    }

    /// A line whose first byte `may_end_paragraph` turns down matches none of the regexes it
    /// stands before.
    #[test]
    fn lines_turned_down_by_their_first_byte_end_no_paragraph() {
        let firsts = (0..128u8).map(char::from).chain(['한', 'é', '\u{a0}']);
        let tails = strings(&[' ', '\n', '{', ':', '}', '.', '1', '`', 'a'], 4);
        for first in firsts {
            if first.is_ascii() && super::may_end_paragraph(first as u8) {
                continue;
            }
            for tail in &tails {
                let text = format!("{first}{tail}");
                for re in [
                    &super::PARAGRAPH_END_GFM,
                    &super::PARAGRAPH_END,
                    &super::LAZY_END_RE,
                ] {
                    assert_eq!(re.end_at(&text, 0), None, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn paragraphs_join_lines_and_strip() {
        assert_tree(
            "  첫 문단의 첫 줄\n둘째 줄   \n\n\n셋째 문단\n",
            r#"root @1
  p @1
    text "첫 문단의 첫 줄\n둘째 줄" @1
  blank "\n\n" @0
  p @5
    text "셋째 문단" @5
"#,
        );
    }

    #[test]
    fn paragraph_ends_at_gfm_block_starts() {
        assert_tree(
            "Para one\n> quote\n\nPara two\n# Head\n\nPara three\n```\ncode\n```\n\nPara four\n{: .x}\nafter\n\nPara five\n^\nafter eob\n",
            r#"root @1
  p @1
    text "Para one" @1
  blockquote @2
    p @2
      text "quote" @2
  blank "\n" @0
  p @4
    text "Para two" @4
  header id="head" @5 level=1
    text "Head" @5
  blank "\n" @0
  p @7
    text "Para three" @7
  codeblock "code\n" @8
  blank "\n" @0
  p class="x" @12
    text "Para four" @12
  p @14
    text "after" @14
  blank "\n" @0
  p @16
    text "Para five" @16
  p @18
    text "after eob" @18
"#,
        );
    }

    #[test]
    fn setext_headers_need_a_block_boundary() {
        assert_tree(
            "Title\n=====\n\nSub {#sub-id}\n---\n\nPara\nnot a header\n===\n",
            r#"root @1
  header id="title" @1 level=1
    text "Title" @1
  blank "\n" @0
  header id="sub-id" @4 level=2
    text "Sub" @4
  blank "\n" @0
  p @7
    text "Para\nnot a header\n===" @7
"#,
        );
    }

    #[test]
    fn atx_headers_gfm_quirk() {
        assert_tree(
            "# One\n## 두 번째 ##\n### Hash#\n#### Keep #x\n#\n#no space\n# only #\n#\ttab\n###### six\n####### seven\n",
            r########"root @1
  header id="one" @1 level=1
    text "One" @1
  header id="두-번째" @2 level=2
    text "두 번째" @2
  header id="hash" @3 level=3
    text "Hash#" @3
  header id="keep-x" @4 level=4
    text "Keep #x" @4
  p @5
    text "#\n#no space" @5
  header id="only" @7 level=1
    text "only" @7
  header id="tab" @8 level=1
    text "tab" @8
  header id="six" @9 level=6
    text "six" @9
  p @10
    text "####### seven" @10
"########,
        );
    }

    #[test]
    fn header_ids_gfm() {
        assert_tree(
            "# Dup\n# Dup\n## Dup!\n# 헤더 제목 (Korean) stuff\n# Ünïcödé Wörds\n# a\ttab\n# Custom {#my-id}\n",
            r#"root @1
  header id="dup" @1 level=1
    text "Dup" @1
  header id="dup-1" @2 level=1
    text "Dup" @2
  header id="dup-2" @3 level=2
    text "Dup!" @3
  header id="헤더-제목-korean-stuff" @4 level=1
    text "헤더 제목 (Korean) stuff" @4
  header id="ünïcödé-wörds" @5 level=1
    text "Ünïcödé Wörds" @5
  header id="a-tab" @6 level=1
    text "a\ttab" @6
  header id="my-id" @7 level=1
    text "Custom" @7
"#,
        );
    }

    #[test]
    fn blockquotes_lazy_and_nested() {
        assert_tree(
            "> quote line\ncontinued lazily\n> > nested\n\n> a\n\n> b\n",
            r#"root @1
  blockquote @1
    p @1
      text "quote line\ncontinued lazily" @1
    blockquote @3
      p @3
        text "nested" @3
  blank "\n" @0
  blockquote @5
    p @5
      text "a" @5
  blank "\n" @0
  blockquote @7
    p @7
      text "b" @7
"#,
        );
    }

    #[test]
    fn indented_code_blocks() {
        assert_tree(
            "    code block\n    more code\nlazy line\n\n\ttab code\n\n    after blank\n\nPara\n",
            r#"root @1
  codeblock "code block\nmore code lazy line\n\ntab code\n\nafter blank\n" @1
  blank "\n" @0
  p @9
    text "Para" @9
"#,
        );
    }

    #[test]
    fn fenced_code_blocks() {
        assert_tree(
            "```ruby\nputs 1\n```\n\n~~~ python?x=1\ncode\n~~~~\n\n  ```\n  indented fence\n   ```\n\n````\nfour closed by three\n```\n\n```ruby linenos\nnot code\n```\n\n```\nno close\n",
            r#"root @1
  codeblock "puts 1\n" class="language-ruby" @1 lang="ruby"
  blank "\n" @0
  codeblock "code\n" class="language-python" @5 lang="python?x=1"
  blank "\n" @0
  codeblock "  indented fence\n" @9
  blank "\n" @0
  codeblock "four closed by three\n" class="language-`" @13 lang="`"
  blank "\n" @0
  p @17
    text "```ruby linenos\nnot code" @17
  codeblock "\n" @19
  p @22
    text "no close" @22
"#,
        );
    }

    #[test]
    fn horizontal_rules() {
        assert_tree(
            "* * *\n---\n___\n - - - -\n**\n",
            r#"root @1
  hr @1
  hr @2
  hr @3
  hr @4
  p @5
    text "**" @5
"#,
        );
    }

    #[test]
    fn block_math() {
        assert_tree(
            "$$\nx^2\n$$\n\n$$\nmulti\nline $$\n\n$$ a $$\n",
            r#"root @1
  math "x^2" @1 category=Block
  blank "\n" @0
  math "multi\nline" @5 category=Block
  blank "\n" @0
  math "a" @9 category=Block
"#,
        );
    }

    #[test]
    fn hard_line_breaks_gfm() {
        assert_tree(
            "Line one\\\nline two\\\nlast\\\n\n한글 문단\\\n둘째 줄\n",
            r#"root @1
  p @1
    text "Line one" @1
    br @1
    text "\nline two" @2
    br @2
    text "\nlast\\" @3
  blank "\n" @0
  p @5
    text "한글 문단" @5
    br @5
    text "\n둘째 줄" @6
"#,
        );
    }

    #[test]
    fn abbreviations() {
        assert_tree(
            "*[HTML]: Hyper Text Markup Language\n*[W3C]:  World Wide Web Consortium\n\nThe HTML spec by W3C. HTML이 좋다. XHTML no. (HTML) yes.\nHTML\nat line start, W3CHTML none.\n",
            r#"root @1
  blank "\n" @0
  p @4
    text "The " @4
    abbreviation "HTML" @4
    text " spec by " @4
    abbreviation "W3C" @4
    text ". " @4
    abbreviation "HTML" @4
    text "이 좋다. XHTML no. (" @4
    abbreviation "HTML" @4
    text ") yes.\n" @4
    abbreviation "HTML" @5
    text "\nat line start, W3CHTML none." @6
"#,
        );
    }

    #[test]
    fn eob_marker_and_definitions_leave_no_trace() {
        assert_tree(
            "Para\n^\nNext\n\n*[A]: b\n{: .c}\n\nText A.\n",
            r#"root @1
  p @1
    text "Para" @1
  p @3
    text "Next" @3
  blank "\n\n" @0
  p @8
    text "Text " @8
    abbreviation "A" @8
    text "." @8
"#,
        );
    }

    /// The parser after the blocks and `update_tree`, for the definitions it keeps.
    fn parsed(markdown: &str) -> crate::Parser {
        let mut parser = crate::Parser::new(Options::default());
        let root = crate::tree::Element::new(crate::tree::Type::Root).at(1);
        let (mut root, _) = parser.parse_blocks(root, Some(crate::adapt_source(markdown)));
        parser.update_tree(&mut root);
        parser.correct_abbreviations_attributes();
        let names: Vec<String> = parser.footnotes.keys().cloned().collect();
        for name in names {
            let mut content = parser.footnotes[&name].content.clone();
            parser.update_tree(&mut content);
            parser.footnotes.get_mut(&name).expect("listed").content = content;
        }
        parser
    }

    fn ial(attrs: &[(&str, &str)], refs: &[&str]) -> crate::tree::Ial {
        crate::tree::Ial {
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            refs: refs.iter().map(|r| r.to_string()).collect(),
        }
    }

    // Expected values: kramdown's @link_defs, @footnotes, @alds, abbrev_defs/abbrev_attr
    // after parsing the same text (Kramdown::Parser::GFM with Jekyll's options).
    #[test]
    fn link_definitions() {
        let p = parsed(concat!(
            "[a]: http://a.com \"Title\"\n",
            "[b]: http://b.com \"Ti\"tle\"\n",
            "[c]: <http://c.com> (paren)\n",
            "[e]: url1 url2\n",
            "[F  G]: http://fg.com\n",
            "{: .linkcls}\n",
            "[h]: http://h.com 'single'  \n",
            "[i]: http://i.com\n",
            "  \"next line\"\n",
            "[j]: <http://j> \"x\"\n",
            "[k]: http://k.com\"no space\"\n",
            "[L]: <a>b> \"t\"\n",
            "[M]:    spaced     \n",
            "[n]: x \"a\" \"b\"\n",
            "[링크]: http://ko \"제목\"\n",
        ));
        let def = |id: &str| p.link_defs.get(id).cloned();
        let some = |u: &str, t: Option<&str>| Some((u.to_owned(), t.map(str::to_owned)));
        assert_eq!(def("a"), some("http://a.com", Some("Title")));
        assert_eq!(def("b"), some("http://b.com", Some("Ti\"tle")));
        assert_eq!(def("c"), some("<http://c.com> (paren)", None));
        assert_eq!(def("e"), some("url1 url2", None));
        assert_eq!(def("f g"), some("http://fg.com", None));
        assert_eq!(def("h"), some("http://h.com", Some("single")));
        assert_eq!(def("i"), some("http://i.com", Some("next line")));
        assert_eq!(def("j"), some("http://j", Some("x")));
        assert_eq!(def("k"), some("http://k.com\"no space\"", None));
        assert_eq!(def("l"), some("a>b", Some("t")));
        assert_eq!(def("m"), some("spaced", None));
        assert_eq!(def("n"), some("x", Some("a\" \"b")));
        assert_eq!(def("링크"), some("http://ko", Some("제목")));
        assert_eq!(p.link_defs.len(), 13);
        assert_eq!(
            p.def_ials.get(&("link_def", "f g".to_owned())),
            Some(&ial(&[("class", "linkcls")], &[]))
        );
        assert_eq!(p.def_ials.get(&("link_def", "a".to_owned())), None);
    }

    #[test]
    fn link_definitions_that_are_paragraphs() {
        for text in [
            "[a]: http://a.com \"Title\" extra\n",
            "[o]: x 'a\"\n",
            "[d]:\n",
        ] {
            let p = parsed(text);
            assert!(p.link_defs.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn footnote_definitions() {
        let p = parsed(concat!(
            "Text\n\n[^fn]: Note 한글\n{: .fncls}\n\n",
            "[^fn2]:\n    indented start\n\n    second para\n\n",
            "[^fn]: dup\n    code?\n\n[^a]: one\n{: .fncls #x}\n",
        ));
        assert_eq!(
            p.footnotes["fn"].content.dump(),
            "footnote_def @11\n  p @11\n    text \"dup\\ncode?\" @11\n"
        );
        assert_eq!(
            p.footnotes["fn2"].content.dump(),
            concat!(
                "footnote_def @6\n  blank \"\\n\" @0\n  p @7\n    text \"indented start\" @7\n",
                "  blank \"\\n\" @0\n  p @9\n    text \"second para\" @9\n"
            )
        );
        assert_eq!(
            p.warnings,
            ["Duplicate footnote name 'fn' on line 11 - overwriting"]
        );
        assert_eq!(p.def_ials.get(&("footnote_def", "fn".to_owned())), None);
        assert_eq!(
            p.def_ials.get(&("footnote_def", "a".to_owned())),
            Some(&ial(&[("class", "fncls"), ("id", "x")], &[]))
        );
    }

    #[test]
    fn abbreviation_definitions_and_their_attributes() {
        let p = parsed(concat!(
            "*[HTML]: Hyper Text\n*[W3C]:  World Wide Web\n{: ref1 .abbr-cls}\n",
            "*[HTML]: Dup\n\n{:ref1: .fromald title=\"t \\\" q\" data-x='y\\}'}\n",
        ));
        assert_eq!(p.abbrev_defs["HTML"], "Dup");
        assert_eq!(p.abbrev_defs["W3C"], "World Wide Web");
        assert!(p.abbrev_attr["HTML"].is_empty());
        let attr = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert_eq!(
            p.abbrev_attr["W3C"],
            [
                attr("class", "fromald abbr-cls"),
                attr("title", "t \" q"),
                attr("data-x", "y}")
            ]
        );
        assert_eq!(
            p.alds["ref1"],
            ial(
                &[("class", "fromald"), ("title", "t \" q"), ("data-x", "y}")],
                &[]
            )
        );
        assert_eq!(
            p.warnings,
            ["Duplicate abbreviation ID 'HTML' on line 4 - overwriting"]
        );
    }

    #[test]
    fn link_ids_are_normalized() {
        assert_eq!(super::normalize_link_id("Foo \t\n Bar"), "foo bar");
        assert_eq!(super::normalize_link_id("ΟΔΟΣ"), "οδοσ");
    }
}
