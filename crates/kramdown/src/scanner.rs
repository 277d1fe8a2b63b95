//! Ruby's `StringScanner` as kramdown uses it (kramdown/utils/string_scanner.rb): a position in
//! a text, regexes matched anchored there, and the source line of the position. As in Ruby 3.1,
//! a pattern sees the text from the position on only: `^`, `\A` and `\b` take the position for
//! the start of the text.
//! Not for: patterns Ruby's regexes can say and Rust's cannot (look-around, back-references):
//! the parsers check those by hand after a match.

use regex_automata::meta::Regex;
use regex_automata::util::captures::GroupInfo;
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, Match, PatternID, Span};

/// A compiled pattern with Ruby's defaults: `^` and `$` match at every line, `.` not at `\n`.
/// Write Ruby's `\s`, `\w`, `\d` (ASCII in Ruby) as `[ \t\n\x0B\f\r]`, `[A-Za-z0-9_]`, `[0-9]`.
pub struct Re(Regex);

impl Re {
    pub fn new(pattern: &str) -> Re {
        let regex = Regex::builder()
            .syntax(syntax::Config::new().multi_line(true))
            .build(pattern)
            .unwrap_or_else(|e| panic!("bad pattern {pattern:?}: {e}"));
        Re(regex)
    }

    /// The groups of a search of `input` whose places are moved by `base`.
    fn search_caps(&self, input: &Input<'_>, base: usize) -> Option<Caps> {
        let info = self.0.group_info();
        let len = info.slot_len();
        let mut slots = if len <= INLINE_SLOTS {
            Slots::Inline([None; INLINE_SLOTS])
        } else {
            Slots::Heap(vec![None; len])
        };
        self.0.search_slots(input, &mut slots.as_mut()[..len])?;
        Some(Caps {
            base,
            info: info.clone(),
            slots,
        })
    }

    /// Matched anchored at `at` of `text` (the text before `at` still counts for `^` and `\b`).
    pub fn match_at(&self, text: &str, at: usize) -> Option<Caps> {
        let input = Input::new(text).range(at..).anchored(Anchored::Yes);
        self.search_caps(&input, 0)
    }

    /// Whether the pattern matches anchored at `at` (the search stops at the first match state
    /// instead of finding where the match ends).
    pub fn matches_at(&self, text: &str, at: usize) -> bool {
        let input = Input::new(text).range(at..).anchored(Anchored::Yes);
        self.0.is_match(input)
    }

    /// Where the pattern matches anchored at `at`, without groups: the end of the match.
    pub fn end_at(&self, text: &str, at: usize) -> Option<usize> {
        let input = Input::new(text).range(at..).anchored(Anchored::Yes);
        self.0.search(&input).map(|m| m.end())
    }

    /// The first match at or after `at`.
    pub fn find_from(&self, text: &str, at: usize) -> Option<(usize, usize)> {
        let input = Input::new(text).range(at..);
        self.0.search(&input).map(|m| (m.start(), m.end()))
    }

    /// The first match at or after `at`, with its groups.
    pub fn captures_from(&self, text: &str, at: usize) -> Option<Caps> {
        let input = Input::new(text).range(at..);
        self.search_caps(&input, 0)
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

/// A group of a match as text (`None` when it did not take part).
pub fn group<'t>(text: &'t str, caps: &Caps, i: usize) -> Option<&'t str> {
    caps.get_group(i).map(|span| &text[span.range()])
}

/// A named group of a match as text.
pub fn named<'t>(text: &'t str, caps: &Caps, name: &str) -> Option<&'t str> {
    caps.get_group_by_name(name).map(|span| &text[span.range()])
}

/// Groups up to this many slots (two a group) are kept without an allocation.
const INLINE_SLOTS: usize = 24;

enum Slots {
    Inline([Option<NonMaxUsize>; INLINE_SLOTS]),
    Heap(Vec<Option<NonMaxUsize>>),
}

impl Slots {
    fn as_mut(&mut self) -> &mut [Option<NonMaxUsize>] {
        match self {
            Slots::Inline(a) => a,
            Slots::Heap(v) => v,
        }
    }

    fn as_ref(&self) -> &[Option<NonMaxUsize>] {
        match self {
            Slots::Inline(a) => a,
            Slots::Heap(v) => v,
        }
    }
}

/// The groups of a match, at their places in the whole text.
pub struct Caps {
    base: usize,
    info: GroupInfo,
    slots: Slots,
}

impl Caps {
    pub fn get_match(&self) -> Option<Match> {
        Some(Match::new(PatternID::ZERO, self.get_group(0)?))
    }

    pub fn get_group(&self, i: usize) -> Option<Span> {
        if i >= self.info.group_len(PatternID::ZERO) {
            return None;
        }
        let slots = self.slots.as_ref();
        let start = slots.get(2 * i).copied().flatten()?.get();
        let end = slots.get(2 * i + 1).copied().flatten()?.get();
        Some(Span {
            start: start + self.base,
            end: end + self.base,
        })
    }

    pub fn get_group_by_name(&self, name: &str) -> Option<Span> {
        self.get_group(self.info.to_index(PatternID::ZERO, name)?)
    }
}

/// A text being scanned, with the line its first line has in the document.
#[derive(Debug, Clone)]
pub struct Scanner {
    text: String,
    pos: usize,
    start_line: u32,
    /// The last match of `check`/`scan` as (start, end), for `matched`.
    last: Option<(usize, usize)>,
    previous_pos: usize,
    previous_line: u32,
}

/// A place to go back to (`save_pos` / `revert_pos`).
#[derive(Debug, Clone, Copy)]
pub struct Saved {
    pos: usize,
    previous_pos: usize,
    previous_line: u32,
}

impl Scanner {
    pub fn new(text: impl Into<String>, start_line: u32) -> Scanner {
        let start_line = start_line.max(1);
        Scanner {
            text: text.into(),
            pos: 0,
            start_line,
            last: None,
            previous_pos: 0,
            previous_line: start_line,
        }
    }

    pub fn string(&self) -> &str {
        &self.text
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn set_pos(&mut self, pos: usize) {
        if self.pos > pos {
            self.previous_line = self.start_line;
            self.previous_pos = 0;
        }
        self.pos = pos;
    }

    pub fn eos(&self) -> bool {
        self.pos >= self.text.len()
    }

    pub fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    /// The byte at the position plus `n` (a cheap look before a regex runs).
    pub fn byte_at(&self, n: usize) -> Option<u8> {
        self.text.as_bytes().get(self.pos + n).copied()
    }

    pub fn terminate(&mut self) {
        self.pos = self.text.len();
    }

    /// The pattern matched anchored at the start of the rest of the text (groups relative to it).
    fn anchored(&self, re: &Re) -> Option<Caps> {
        let input = Input::new(&self.text[self.pos..]).anchored(Anchored::Yes);
        re.search_caps(&input, self.pos)
    }

    /// The first match in the rest of the text, as places in the whole text.
    fn first(&self, re: &Re) -> Option<(usize, usize)> {
        let m = re.0.search(&Input::new(&self.text[self.pos..]))?;
        Some((self.pos + m.start(), self.pos + m.end()))
    }

    /// The pattern anchored at the position, without moving (Ruby's `check`); its groups.
    pub fn check(&mut self, re: &Re) -> Option<Caps> {
        let caps = self.anchored(re)?;
        let m = caps.get_match()?;
        self.last = Some((m.start(), m.end()));
        Some(caps)
    }

    /// Whether the pattern matches anchored at the position (`check` without the groups).
    pub fn matches(&self, re: &Re) -> bool {
        re.matches_at(&self.text[self.pos..], 0)
    }

    /// The pattern anchored at the position, moving past it (Ruby's `scan`).
    pub fn scan(&mut self, re: &Re) -> Option<Caps> {
        let caps = self.check(re)?;
        self.pos = caps.get_match()?.end();
        Some(caps)
    }

    /// Moves past the pattern anchored here; how many bytes (Ruby's `skip`).
    pub fn skip(&mut self, re: &Re) -> Option<usize> {
        let input = Input::new(&self.text[self.pos..]).anchored(Anchored::Yes);
        let len = re.0.search(&input)?.end();
        self.last = Some((self.pos, self.pos + len));
        self.pos += len;
        Some(len)
    }

    /// Moves to the start of the next match of the pattern and returns where the text passed
    /// lies (Ruby's `scan_until(/(?=X)/)`; the text is `&self.string()[range]`).
    pub fn scan_before(&mut self, re: &Re) -> Option<std::ops::Range<usize>> {
        let (start, _) = self.first(re)?;
        self.last = Some((start, start));
        let passed = self.pos..start;
        self.pos = start;
        Some(passed)
    }

    /// Moves to `start` (at or after the position), found by hand where `scan_before` would
    /// have found a match starting; where the text passed lies.
    pub fn skip_to(&mut self, start: usize) -> std::ops::Range<usize> {
        self.last = Some((start, start));
        let passed = self.pos..start;
        self.pos = start;
        passed
    }

    /// The text of the last match (`matched`).
    pub fn matched(&self) -> &str {
        self.last.map_or("", |(s, e)| &self.text[s..e])
    }

    /// A group of a `check`/`scan` (given its captures) as text.
    pub fn group(&self, caps: &Caps, i: usize) -> Option<&str> {
        caps.get_group(i).map(|span| &self.text[span.range()])
    }

    pub fn named(&self, caps: &Caps, name: &str) -> Option<&str> {
        caps.get_group_by_name(name)
            .map(|span| &self.text[span.range()])
    }

    /// The next character, moving past it (`getch`).
    pub fn getch(&mut self) -> Option<char> {
        let c = self.text[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub fn save_pos(&self) -> Saved {
        Saved {
            pos: self.pos,
            previous_pos: self.previous_pos,
            previous_line: self.previous_line,
        }
    }

    pub fn revert_pos(&mut self, saved: Saved) {
        self.set_pos(saved.pos);
        self.previous_pos = saved.previous_pos;
        self.previous_line = saved.previous_line;
    }

    /// kramdown's `current_line_number`: the start line plus the newlines up to and including
    /// the position's own character.
    pub fn current_line_number(&mut self) -> u32 {
        let upto = (self.pos + 1).min(self.text.len());
        if self.previous_pos < upto {
            let newlines =
                memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.previous_pos..upto]).count();
            self.previous_line += newlines as u32;
        }
        self.previous_pos = if self.eos() { self.pos } else { self.pos + 1 };
        self.previous_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_take_the_position_for_the_start_of_the_text() {
        // Ruby 3.1: StringScanner.new("ab\ncd").tap { _1.pos = 1 }.check(/^b/) is "b".
        let re = Re::new(r"^#+");
        let mut s = Scanner::new("a\n## b", 1);
        assert!(s.check(&re).is_none());
        s.set_pos(2);
        assert_eq!(s.current_line_number(), 2);
        let caps = s.scan(&re).unwrap();
        assert_eq!(s.group(&caps, 0), Some("##"));
        assert_eq!(caps.get_match().unwrap().start(), 2);
        assert_eq!(s.pos(), 4);
        s.set_pos(3);
        assert!(s.check(&re).is_some(), "^ at the position");
        let mut s = Scanner::new("xa\nb", 1);
        s.set_pos(1);
        assert_eq!(s.scan_before(&Re::new("^b")), Some(1..3));
        let mut s = Scanner::new("a b", 1);
        s.set_pos(2);
        assert!(s.check(&Re::new(r"\bb")).is_some());
    }

    #[test]
    fn line_numbers_count_the_newline_at_the_position() {
        let mut s = Scanner::new("a\nb\n", 5);
        assert_eq!(s.current_line_number(), 5);
        s.set_pos(1);
        assert_eq!(
            s.current_line_number(),
            6,
            "kramdown counts the \\n under the position"
        );
        s.set_pos(2);
        assert_eq!(s.current_line_number(), 6);
        s.set_pos(0);
        assert_eq!(s.current_line_number(), 5);
    }
}
