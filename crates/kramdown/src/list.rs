//! Lists and definition lists: kramdown's parser/kramdown/list.rb with kramdown-parser-gfm's
//! `parse_list` (task lists). Written from kramdown 2.4 and kramdown-parser-gfm 1.1
//! (© Thomas Leitner, MIT).
//!
//! An item's lines are gathered with its indentation taken off, then parsed as blocks of their
//! own. Its first paragraph is then written without `<p>` (`:transparent`) when no blank line
//! follows it (or, in the last item, the blank line is all that follows and no `^` ended the
//! list), unless it is the last of several items and every other item starts with a paragraph
//! in `<p>`. A definition's first paragraph is transparent unless a blank line came before it.
//!
//! Ruby builds the item patterns per indentation (`PARSE_FIRST_LIST_LINE_REGEXP_CACHE`); here
//! the content, lazy and indent patterns are matched by hand ([`content_line`], [`lazy_line`]),
//! and the negative look-aheads of `LIST_ITEM_IAL` and `IAL_BLOCK` are checked in code.
//! Patterns matched at the scanner's position have no `^`: Ruby's `StringScanner` takes the
//! position as the start of the text, so `^` always holds there.
//! Not kept: `options[:first_list_marker]` (only kramdown's own kramdown converter reads it).

use crate::block::{BLANK_LINE, EOB_MARKER};
use crate::html::{lazy_end_html_start, lazy_end_html_stop};
use crate::scanner::Scanner;
use crate::tree::{Element, Type};
use crate::Parser;

const TAIL: &str = r"([\t| ].*?\n)";

crate::re!(LIST_START = format!(r"( {{0,3}}[+*\-]){TAIL}|( {{0,3}}[0-9]+\.){TAIL}"));
crate::re!(DEFINITION_LIST_START = format!(r"( {{0,3}}:){TAIL}"));
// `LIST_ITEM_IAL` after its `\s*\{:` and look-ahead: the attribute list text and the rest.
crate::re!(ITEM_IAL_TAIL = r"((?:\\\}|[^\}])+)\}[ \t\n\x0B\f\r]*");
// `LIST_ITEM_IAL` then `\s*\n`, after the `\s*\{:` and look-ahead.
crate::re!(ONLY_IAL_TAIL = r"(?:\\\}|[^\}])+\}[ \t\n\x0B\f\r]*\n");
// `IAL_BLOCK` after its `\{:` and look-ahead.
crate::re!(IAL_BLOCK_TAIL = r"(?:\\\}|[^\}])+\}[ \t\n\x0B\f\r]*?\n");

/// `fetch_pattern(type, indentation)`: how far the next item's marker may be indented (less
/// than the item's content, at most three spaces).
fn max_marker_indent(indentation: usize) -> usize {
    indentation.clamp(1, 4) - 1
}

/// An item's first line at the start of `rest` as `( {0,max_indent}MARKER)([\t| ].*?\n)` matches
/// it (kramdown's `LIST_START_UL`/`_OL`, `DEFINITION_LIST_START` and `fetch_pattern`), by hand:
/// the end of the marker and of the line.
fn item_start(kind: Type, max_indent: usize, rest: &[u8]) -> Option<(usize, usize)> {
    let indent = rest
        .iter()
        .take(max_indent)
        .take_while(|&&b| b == b' ')
        .count();
    let marker_end = match kind {
        Type::Ul => matches!(rest.get(indent), Some(b'+' | b'*' | b'-')).then_some(indent + 1)?,
        Type::Ol => {
            let digits = rest[indent..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            (digits > 0 && rest.get(indent + digits) == Some(&b'.'))
                .then_some(indent + digits + 1)?
        }
        _ => (rest.get(indent) == Some(&b':')).then_some(indent + 1)?,
    };
    if !matches!(rest.get(marker_end), Some(b'\t' | b'|' | b' ')) {
        return None;
    }
    let newline = memchr::memchr(b'\n', &rest[marker_end..])?;
    Some((marker_end, marker_end + newline + 1))
}

fn is_ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `{:` then `LIST_ITEM_IAL`'s and `IAL_BLOCK`'s look-ahead `(?!(?:ALD_ID_NAME)?:|\/)` (with
/// `allow_name` false only `:` and `/` are refused, as `IAL_BLOCK`'s `(?!:|\/)`).
fn ial_opening(text: &str, at: usize, allow_name: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes[at..].starts_with(b"{:") {
        return None;
    }
    let after = at + 2;
    match bytes.get(after) {
        Some(b':' | b'/') => return None,
        Some(&b) if allow_name && is_ascii_word(b) => {
            let mut j = after + 1;
            while j < bytes.len() && (is_ascii_word(bytes[j]) || bytes[j] == b'-') {
                j += 1;
            }
            if bytes.get(j) == Some(&b':') {
                return None;
            }
        }
        _ => {}
    }
    Some(after)
}

/// `LIST_ITEM_IAL` at the start of `text` (`^\s*\{:…\}\s*`): the attribute list's text and the
/// end of the match.
fn item_ial(text: &str) -> Option<(&str, usize)> {
    let ws = text
        .bytes()
        .take_while(|b| crate::block::is_space(*b))
        .count();
    let after = ial_opening(text, ws, true)?;
    let caps = ITEM_IAL_TAIL.match_at(text, after)?;
    let group = crate::scanner::group(text, &caps, 1)?;
    let end = caps.get_match()?.end();
    Some((group, end))
}

/// `LIST_ITEM_IAL_CHECK` (`^LIST_ITEM_IAL?\s*\n`) on a first line: nothing but an attribute
/// list on it, or nothing at all.
fn only_ial(content: &str) -> bool {
    let ws = content
        .bytes()
        .take_while(|b| crate::block::is_space(*b))
        .count();
    if content.as_bytes()[..ws].contains(&b'\n') {
        return true;
    }
    ial_opening(content, ws, true).is_some_and(|after| ONLY_IAL_TAIL.matches_at(content, after))
}

/// `parse_first_list_line(indentation, content)`: the item's first line without its leading
/// blanks (tabs expanded to the next multiple of four) and the item's content indentation.
fn parse_first_list_line(indentation: usize, content: &str) -> (String, usize) {
    let mut content = content.to_owned();
    let mut indentation = indentation;
    if only_ial(&content) {
        indentation = 4;
    } else {
        loop {
            let spaces = content.bytes().take_while(|b| *b == b' ').count();
            let tabs = content.as_bytes()[spaces..]
                .iter()
                .take_while(|b| **b == b'\t')
                .count();
            if tabs == 0 {
                break;
            }
            let temp = spaces + indentation;
            let fill = 4 - (temp % 4) + (tabs - 1) * 4;
            content.replace_range(spaces..spaces + tabs, &" ".repeat(fill));
        }
        indentation += content.bytes().take_while(|b| *b == b' ').count();
    }
    let ws = content
        .bytes()
        .take_while(|b| crate::block::is_space(*b))
        .count();
    content.drain(..ws);
    (content, indentation)
}

/// The line at the start of `rest` up to and with its `\n`, when the text after `prefix` has
/// a non-blank character (`.*\S.*\n`).
fn line_with_text(rest: &str, prefix: usize) -> Option<usize> {
    let end = memchr::memchr(b'\n', rest.as_bytes())?;
    let line = &rest.as_bytes()[..end];
    (prefix <= end && line[prefix..].iter().any(|b| !crate::block::is_space(*b))).then_some(end + 1)
}

/// `(?:\t| {4}){n}` at the start of `line`: its length.
fn indent_units(line: &[u8], n: usize) -> Option<usize> {
    let mut i = 0;
    for _ in 0..n {
        if line.get(i) == Some(&b'\t') {
            i += 1;
        } else if line.len() >= i + 4 && &line[i..i + 4] == b"    " {
            i += 4;
        } else {
            return None;
        }
    }
    Some(i)
}

/// The content pattern of an item indented by `indentation`:
/// `^(?:(?:\t| {4}){i/4} {i%4}|(?:\t| {4}){i/4+1}).*\S.*\n`; the length of the line.
fn content_line(rest: &str, indentation: usize) -> Option<usize> {
    let bytes = rest.as_bytes();
    let (q, r) = (indentation / 4, indentation % 4);
    let first = indent_units(bytes, q)
        .filter(|&i| bytes.len() >= i + r && bytes[i..i + r].iter().all(|b| *b == b' '))
        .map(|i| i + r);
    if let Some(end) = first.and_then(|p| line_with_text(rest, p)) {
        return Some(end);
    }
    indent_units(bytes, q + 1).and_then(|p| line_with_text(rest, p))
}

/// The lazy pattern: `(?!^ {0,min(i,3)}(?:IAL_BLOCK|LAZY_END_HTML_STOP|LAZY_END_HTML_START)).*\S.*\n`
/// at `pos` of `text` (a line start); the length of the line.
fn lazy_line(text: &str, pos: usize, indentation: usize) -> Option<usize> {
    let max = indentation.min(3);
    let spaces = text.as_bytes()[pos..]
        .iter()
        .take(max)
        .take_while(|b| **b == b' ')
        .count();
    let at = pos + spaces;
    let ial_block =
        ial_opening(text, at, false).is_some_and(|after| IAL_BLOCK_TAIL.matches_at(text, after));
    if ial_block || lazy_end_html_stop(text, at) || lazy_end_html_start(text, at) {
        return None;
    }
    line_with_text(&text[pos..], 0)
}

/// `result.sub!(/^(\t+)/) { " " * 4 * $1.length }`.
fn expand_leading_tabs(line: &mut String) {
    let tabs = line.bytes().take_while(|b| *b == b'\t').count();
    if tabs > 0 {
        line.replace_range(..tabs, &" ".repeat(4 * tabs));
    }
}

/// `sub!(indent_re, '')` (`^ {indentation}`): whether the indentation was there.
fn strip_indent(line: &mut String, indentation: usize) -> bool {
    let found =
        line.len() >= indentation && line.as_bytes()[..indentation].iter().all(|b| *b == b' ');
    if found {
        line.drain(..indentation);
    }
    found
}

const BOX_UNCHECKED: &str =
    r#"<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" />"#;
const BOX_CHECKED: &str = r#"<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />"#;

/// GFM's `gsub!(/\A\s*\[ \]\s+/, box)` and `gsub!(/\A\s*\[x\]\s+/i, box)` on an item's first
/// paragraph text: whether a box was put in.
fn task_box(text: &mut String) -> bool {
    let ws = text
        .bytes()
        .take_while(|b| crate::block::is_space(*b))
        .count();
    let bytes = text.as_bytes();
    if bytes.len() < ws + 4 || bytes[ws] != b'[' || bytes[ws + 2] != b']' {
        return false;
    }
    let checkbox = match bytes[ws + 1] {
        b' ' => BOX_UNCHECKED,
        b'x' | b'X' => BOX_CHECKED,
        _ => return false,
    };
    let after = bytes[ws + 3..]
        .iter()
        .take_while(|b| crate::block::is_space(**b))
        .count();
    if after == 0 {
        return false;
    }
    text.replace_range(..ws + 3 + after, checkbox);
    true
}

impl Parser {
    /// `@src.skip(BLANK_LINE)`, the regex run only on a line that starts with a blank (a list's
    /// lines of text do not).
    fn skip_blank_line(&mut self) -> Option<usize> {
        let blank = self.src.byte_at(0).is_some_and(crate::block::is_space);
        blank.then(|| self.src.skip(&BLANK_LINE)).flatten()
    }

    /// An item's attribute list (`LIST_ITEM_IAL`) taken off the start of `value` into the
    /// element's IAL.
    fn take_item_ial(&mut self, el: &mut Element, value: &mut String) {
        if let Some((text, end)) = item_ial(value) {
            let text = text.to_owned();
            let mut ial = el.options.ial.take().unwrap_or_default();
            self.parse_attribute_list(&text, &mut ial);
            el.options.ial = Some(ial);
            value.drain(..end);
        }
    }

    /// `parse_list`: an ordered or unordered list at the position, with GFM's task lists.
    pub(crate) fn parse_list(&mut self) -> bool {
        let start_line = self.src.current_line_number();
        let kind = if item_start(Type::Ul, 3, self.src.rest().as_bytes()).is_some() {
            Type::Ul
        } else {
            Type::Ol
        };
        let mut max_indent = 3;
        let mut list = self.new_block_el(Element::new(kind).at(start_line));

        // Each item with its text: parts parsed one after the other into the same item.
        let mut items: Vec<(Element, Vec<String>)> = Vec::new();
        let mut indentation = 0;
        let mut eob_found = false;
        let mut nested_list_found = false;
        let mut last_is_blank = false;
        while !self.src.eos() {
            let line = self.src.current_line_number();
            if last_is_blank && crate::block::hr_line_len(self.src.rest()).is_some() {
                break;
            } else if self.src.byte_at(0) == Some(b'^') && self.src.skip(&EOB_MARKER).is_some() {
                eob_found = true;
                break;
            } else if let Some((marker, end)) =
                item_start(kind, max_indent, self.src.rest().as_bytes())
            {
                let content = &self.src.rest()[marker..end];
                let (mut value, ind) = parse_first_list_line(marker, content);
                self.src.set_pos(self.src.pos() + end);
                indentation = ind;
                let mut item = Element::new(Type::Li).at(line);
                self.take_item_ial(&mut item, &mut value);
                max_indent = max_marker_indent(indentation);
                nested_list_found = LIST_START.matches_at(&value, 0);
                last_is_blank = false;
                items.push((item, vec![value]));
            } else if let Some(len) = match items.last() {
                None => None,
                Some(_) => content_line(self.src.rest(), indentation).or_else(|| {
                    if last_is_blank {
                        None
                    } else {
                        lazy_line(self.src.string(), self.src.pos(), indentation)
                    }
                }),
            } {
                let mut result = self.src.rest()[..len].to_owned();
                self.src.set_pos(self.src.pos() + len);
                expand_leading_tabs(&mut result);
                let indentation_found = strip_indent(&mut result, indentation);
                let parts = &mut items.last_mut().expect("an item").1;
                if !nested_list_found && indentation_found && LIST_START.matches_at(&result, 0) {
                    parts.push(String::new());
                    nested_list_found = true;
                } else if nested_list_found
                    && !indentation_found
                    && LIST_START.matches_at(&result, 0)
                {
                    result.insert_str(0, &" ".repeat(indentation + 4));
                }
                parts.last_mut().expect("a part").push_str(&result);
                last_is_blank = false;
            } else if let (Some(len), Some(item)) = (self.skip_blank_line(), items.last_mut()) {
                let blank = &self.src.string()[self.src.pos() - len..self.src.pos()];
                nested_list_found = true;
                last_is_blank = true;
                item.1.last_mut().expect("a part").push_str(blank);
            } else {
                break;
            }
        }

        let count = items.len();
        let mut last: Option<Element> = None;
        for (index, (mut item, parts)) in items.into_iter().enumerate() {
            let mut temp = Element::new(Type::Temp).at(item.options.location);
            let env = self.save_env();
            let mut location = item.options.location;
            for part in parts {
                self.src = Scanner::new(part, location);
                temp = self.parse_blocks(temp, None).0;
                location = self.src.current_line_number();
            }
            self.restore_env(env);
            item.children = temp.children;

            let children = &mut item.children;
            if children.is_empty() {
                list.children.push(item);
                continue;
            }
            // An end-of-block marker a block IAL put after the first paragraph.
            if children[0].kind == Type::P
                && children.len() >= 2
                && children[1].kind == Type::Eob
                && children[0].options.ial.is_some()
            {
                children.remove(1);
            }
            let is_last = index + 1 == count;
            if children[0].kind == Type::P
                && (children.len() < 2
                    || children[1].kind != Type::Blank
                    || (is_last && children.len() == 2 && !eob_found))
                && (!is_last
                    || count == 1
                    || list.children.iter().any(|it| {
                        it.children
                            .first()
                            .is_none_or(|c| c.kind != Type::P || c.options.transparent)
                    }))
            {
                if children.len() > 1 && children[1].kind != Type::Blank {
                    if let Some(text) = children[0].children.first_mut() {
                        text.value_mut().push('\n');
                    }
                }
                children[0].options.transparent = true;
            }
            last = if children.last().is_some_and(|c| c.kind == Type::Blank) {
                children.pop()
            } else {
                None
            };
            list.children.push(item);
        }

        if self.options.gfm {
            let mut is_tasklist = false;
            for item in &mut list.children {
                let Some(first) = item.children.first_mut() else {
                    continue;
                };
                if first.kind != Type::P {
                    continue;
                }
                if let Some(text) = first.children.first_mut() {
                    if task_box(text.value_mut()) {
                        is_tasklist = true;
                    }
                }
                if is_tasklist {
                    item.set_attr("class", "task-list-item");
                }
            }
            if is_tasklist {
                list.set_attr("class", "task-list");
            }
        }

        self.tree.children.push(list);
        if let Some(blank) = last {
            if !eob_found {
                self.tree.children.push(blank);
            }
        }
        true
    }

    /// `parse_definition_list`: definitions (`: …`) of the terms in the paragraph just before.
    pub(crate) fn parse_definition_list(&mut self) -> bool {
        let children = &self.tree.children;
        let n = children.len();
        let fits = match n {
            0 => false,
            1 => children[0].kind == Type::P,
            _ => {
                children[n - 1].kind == Type::P
                    || (children[n - 1].kind == Type::Blank
                        && children[n - 1].value_str() == "\n"
                        && children[n - 2].kind == Type::P)
            }
        };
        if !fits {
            return false;
        }

        let mut first_as_para = false;
        let mut deflist = self.new_block_el(Element::new(Type::Dl));
        let mut para = self.tree.children.pop().expect("checked");
        if para.kind == Type::Blank {
            para = self.tree.children.pop().expect("checked");
            first_as_para = true;
        }
        deflist.options.location = para.options.location;
        let line = self.src.current_line_number();
        // The terms, and the definitions with their text.
        let mut entries: Vec<(Element, Option<String>)> = Vec::new();
        let terms = para.children.first().map_or("", Element::value_str);
        let mut lines: Vec<&str> = terms.split('\n').collect();
        while lines.last() == Some(&"") {
            lines.pop();
        }
        for term in lines {
            let mut dt = Element::new(Type::Dt).at(line);
            let mut term = term.to_owned();
            self.take_item_ial(&mut dt, &mut term);
            dt.options.rare_mut().raw_text = Some(term.clone());
            dt.children.push(Element::with_value(Type::RawText, term));
            entries.push((dt, None));
        }
        deflist.options.ial = para.options.ial.take();

        let mut max_indent = 3;
        let mut indentation = 0;
        let mut have_item = false;
        let mut last_is_blank = false;
        while !self.src.eos() {
            let line = self.src.current_line_number();
            if let Some((marker, end)) =
                item_start(Type::Dl, max_indent, self.src.rest().as_bytes())
            {
                let content = &self.src.rest()[marker..end];
                let (mut value, ind) = parse_first_list_line(marker, content);
                self.src.set_pos(self.src.pos() + end);
                indentation = ind;
                let mut item = Element::new(Type::Dd).at(line);
                item.options.first_as_para = first_as_para;
                self.take_item_ial(&mut item, &mut value);
                entries.push((item, Some(value)));
                have_item = true;
                max_indent = max_marker_indent(indentation);
                first_as_para = false;
                last_is_blank = false;
            } else if self.src.byte_at(0) == Some(b'^') && self.src.matches(&EOB_MARKER) {
                break;
            } else if let Some(len) = have_item
                .then(|| {
                    content_line(self.src.rest(), indentation).or_else(|| {
                        if last_is_blank {
                            None
                        } else {
                            lazy_line(self.src.string(), self.src.pos(), indentation)
                        }
                    })
                })
                .flatten()
            {
                let mut result = self.src.rest()[..len].to_owned();
                self.src.set_pos(self.src.pos() + len);
                expand_leading_tabs(&mut result);
                strip_indent(&mut result, indentation);
                if let Some((_, Some(value))) = entries.last_mut() {
                    value.push_str(&result);
                }
                first_as_para = false;
                last_is_blank = false;
            } else if let Some(len) = have_item.then(|| self.skip_blank_line()).flatten() {
                let blank = &self.src.string()[self.src.pos() - len..self.src.pos()];
                if let Some((_, Some(value))) = entries.last_mut() {
                    value.push_str(blank);
                }
                first_as_para = true;
                last_is_blank = true;
            } else {
                break;
            }
        }

        let mut last: Option<Element> = None;
        for (item, value) in entries {
            let Some(value) = value else {
                deflist.children.push(item);
                continue;
            };
            let (mut item, _) = self.parse_blocks(item, Some(value));
            if !item.children.is_empty() {
                last = if item.children.last().is_some_and(|c| c.kind == Type::Blank) {
                    item.children.pop()
                } else {
                    None
                };
                let first_is_p = item.children.first().is_some_and(|c| c.kind == Type::P);
                if first_is_p && !std::mem::take(&mut item.options.first_as_para) {
                    let more = item.children.len() > 1;
                    let first = &mut item.children[0];
                    if more {
                        if let Some(text) = first.children.first_mut() {
                            text.value_mut().push('\n');
                        }
                    }
                    first.options.transparent = true;
                }
            }
            deflist.children.push(item);
        }

        let children = &mut self.tree.children;
        let n = children.len();
        if n >= 1 && children[n - 1].kind == Type::Dl {
            children[n - 1].children.append(&mut deflist.children);
        } else if n >= 2 && children[n - 1].kind == Type::Blank && children[n - 2].kind == Type::Dl
        {
            children.pop();
            children[n - 2].children.append(&mut deflist.children);
        } else {
            children.push(deflist);
        }
        if let Some(blank) = last {
            children.push(blank);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assert_tree;

    /// The hand matcher agrees with kramdown's item regexes, for each kind and indentation,
    /// on every string of up to six characters made of what an item's first line holds.
    #[test]
    fn item_starts_by_hand_as_the_regexes_match_them() {
        use crate::scanner::Re;
        let alphabet = [' ', '-', '*', '1', '.', ':', '\t', '|', 'a', '\n', '한'];
        let mut texts = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..6 {
            last = last
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        for (kind, marker) in [
            (Type::Ul, r"[+*\-]"),
            (Type::Ol, r"[0-9]+\."),
            (Type::Dl, ":"),
        ] {
            for n in 0..=3 {
                let re = Re::new(&format!(r"( {{0,{n}}}{marker}){TAIL}"));
                for text in &texts {
                    let expected = re.match_at(text, 0).map(|caps| {
                        (
                            caps.get_group(1).unwrap().end,
                            caps.get_match().unwrap().end(),
                        )
                    });
                    assert_eq!(
                        item_start(kind, n, text.as_bytes()),
                        expected,
                        "{text:?} {n}"
                    );
                }
            }
        }
    }

    /// Items next to each other: no `<p>` in any.
    #[test]
    fn tight_list_items_are_transparent() {
        assert_tree(
            "- a\n- b\n- c\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a" @1
    li @2
      p @2 transparent
        text "b" @2
    li @3
      p @3 transparent
        text "c" @3
"#,
        );
    }

    /// A blank line after an item's paragraph keeps its `<p>`; the last item keeps one when the others do.
    #[test]
    fn blank_line_after_first_item_makes_it_a_paragraph() {
        assert_tree(
            "- a\n\n- b\n- c\n",
            r#"root @1
  ul @1
    li @1
      p @1
        text "a" @1
    li @3
      p @3 transparent
        text "b" @3
    li @4
      p @4 transparent
        text "c" @4
"#,
        );
    }

    /// The last item, after a blank line, when all others are transparent: stays transparent.
    #[test]
    fn last_item_after_a_blank_line() {
        assert_tree(
            "- a\n- b\n\n- c\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a" @1
    li @2
      p @2
        text "b" @2
    li @4
      p @4 transparent
        text "c" @4
"#,
        );
    }

    /// Items all apart by blank lines: every item a `<p>`.
    #[test]
    fn all_items_apart() {
        assert_tree(
            "1. a\n\n2. b\n\n3. c\n",
            r#"root @1
  ol @1
    li @1
      p @1
        text "a" @1
    li @3
      p @3
        text "b" @3
    li @5
      p @5
        text "c" @5
"#,
        );
    }

    /// Text before a nested list is transparent, with a newline added (Hangul).
    #[test]
    fn text_before_nested_list() {
        assert_tree(
            "- 첫째 항목\n  - 중첩 하나\n  - 중첩 둘\n- 마지막\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "첫째 항목\n" @1
      ul @2
        li @2
          p @2 transparent
            text "중첩 하나" @2
        li @3
          p @3 transparent
            text "중첩 둘" @3
    li @4
      p @4 transparent
        text "마지막" @4
"#,
        );
    }

    /// A blank line between the text and the nested list: a paragraph.
    #[test]
    fn text_before_nested_list_after_blank() {
        assert_tree(
            "- 한글 문단\n\n  - 중첩\n- 끝\n",
            r#"root @1
  ul @1
    li @1
      p @1
        text "한글 문단" @1
      blank "\n" @0
      ul @3
        li @3
          p @3 transparent
            text "중첩" @3
    li @4
      p @4
        text "끝" @4
"#,
        );
    }

    /// Blank line inside the nested list only.
    #[test]
    fn nested_list_with_blank_between_items() {
        assert_tree(
            "- a\n  - b\n\n  - c\n- d\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a\n" @1
      ul @2
        li @2
          p @2
            text "b" @2
        li @4
          p @4
            text "c" @4
    li @5
      p @5 transparent
        text "d" @5
"#,
        );
    }

    /// Indented lines continue the item; a second paragraph after a blank line.
    #[test]
    fn continuation_and_second_paragraph() {
        assert_tree(
            "- a\n  b\n- c\n  d\n\n  e\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a\nb" @1
    li @3
      p @3
        text "c\nd" @3
      blank "\n" @0
      p @6
        text "e" @6
"#,
        );
    }

    /// An unindented line right after an item is lazy: it joins the paragraph.
    #[test]
    fn lazy_line_joins_the_item() {
        assert_tree(
            "* a\nlazy line\n* b\n\n    more text\n* c\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a\nlazy line" @1
    li @3
      p @3
        text "b" @3
      blank "\n" @0
      p @5
        text "more text" @5
    li @6
      p @6 transparent
        text "c" @6
"#,
        );
    }

    /// Ordered lists nest by indentation.
    #[test]
    fn ordered_list_nested() {
        assert_tree(
            "1. one\n2. two\n   1. nested\n   2. nested2\n3. three\n",
            r#"root @1
  ol @1
    li @1
      p @1 transparent
        text "one" @1
    li @2
      p @2 transparent
        text "two\n" @2
      ol @3
        li @3
          p @3 transparent
            text "nested" @3
        li @4
          p @4 transparent
            text "nested2" @4
    li @5
      p @5 transparent
        text "three" @5
"#,
        );
    }

    /// `10.` makes the content four columns in.
    #[test]
    fn wide_marker_indentation() {
        assert_tree(
            "10. a\n11. b\n\n    para\n",
            r#"root @1
  ol @1
    li @1
      p @1 transparent
        text "a" @1
    li @2
      p @2
        text "b" @2
      blank "\n" @0
      p @4
        text "para" @4
"#,
        );
    }

    /// Trailing blank lines go after the list; text after it is a paragraph.
    #[test]
    fn blank_lines_end_the_list_before_text() {
        assert_tree(
            "- a\n- b\n\n\n- c\n\nafter\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a" @1
    li @2
      p @2
        text "b" @2
    li @5
      p @5 transparent
        text "c" @5
  blank "\n" @0
  p @7
    text "after" @7
"#,
        );
    }

    /// `^` ends the list; the next list starts anew.
    #[test]
    fn eob_marker_ends_the_list() {
        assert_tree(
            "- a\n^\n- b\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a" @1
  ul @3
    li @3
      p @3 transparent
        text "b" @3
"#,
        );
    }

    /// Tabs after the marker and before content are expanded to four columns.
    #[test]
    fn tabs_in_first_line_and_content() {
        assert_tree(
            "*\ta\n\t* b\n\tmore\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a\n" @1
      ul @2
        li @2
          p @2 transparent
            text "b\nmore" @2
"#,
        );
    }

    /// Markers indented by up to three spaces; deeper ones nest.
    #[test]
    fn marker_indentation_up_to_three() {
        assert_tree(
            "   - a\n - b\n    - c\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a" @1
    li @2
      p @2 transparent
        text "b\n" @2
      ul @3
        li @3
          p @3 transparent
            text "c" @3
"#,
        );
    }

    /// A line of spaces is a blank line.
    #[test]
    fn blank_with_spaces_between_items() {
        assert_tree(
            "* a\n\n* b\n  \n* c\n",
            r#"root @1
  ul @1
    li @1
      p @1
        text "a" @1
    li @3
      p @3
        text "b" @3
    li @5
      p @5
        text "c" @5
"#,
        );
    }

    /// `1)` and `2.c` are not list markers.
    #[test]
    fn not_list_markers() {
        assert_tree(
            "1. a\n1) b\n2.c\n3.\td\n",
            r#"root @1
  ol @1
    li @1
      p @1 transparent
        text "a\n1) b\n2.c" @1
    li @4
      p @4 transparent
        text "d" @4
"#,
        );
    }

    /// A list right after a paragraph line (GFM ends the paragraph).
    #[test]
    fn paragraph_before_list() {
        assert_tree(
            "para\n- a\n- b\n",
            r#"root @1
  p @1
    text "para" @1
  ul @2
    li @2
      p @2 transparent
        text "a" @2
    li @3
      p @3 transparent
        text "b" @3
"#,
        );
    }

    /// Text after a nested list, apart by a blank line.
    #[test]
    fn text_after_nested_list_in_item() {
        assert_tree(
            "- a\n- b\n  - c\n\n  text\n- d\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a" @1
    li @2
      p @2 transparent
        text "b\n" @2
      ul @3
        li @3
          p @3 transparent
            text "c" @3
      blank "\n" @0
      p @5
        text "text" @5
    li @6
      p @6 transparent
        text "d" @6
"#,
        );
    }

    /// Another marker starts another list.
    #[test]
    fn different_markers_split_lists() {
        assert_tree(
            "- a\n+ b\n* c\n1. d\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a" @1
    li @2
      p @2 transparent
        text "b" @2
    li @3
      p @3 transparent
        text "c\n" @3
      ol @4
        li @4
          p @4 transparent
            text "d" @4
"#,
        );
    }

    /// A block HTML line is not a lazy continuation.
    #[test]
    fn html_line_ends_lazy_continuation() {
        assert_tree(
            "- a\n<div>x</div>\n- b\n",
            r#"root @1
  ul @1
    li @1
      p @1 transparent
        text "a" @1
  html_element "div" @2 category=Block content_model=Raw
    text "x" @2
  ul @3
    li @3
      p @3 transparent
        text "b" @3
"#,
        );
    }

    /// Terms and definitions; a blank line before a definition makes it a paragraph.
    #[test]
    fn definition_lists() {
        assert_tree(
            "a\nb\n: x\n\n: y\n\n  more\nc\n: z\n",
            r#"root @1
  dl @1
    dt @3
      text "a" @0
    dt @3
      text "b" @0
    dd @3
      p @3 transparent
        text "x" @3
    dd @5
      p @5
        text "y" @5
      blank "\n" @0
      p @7
        text "more\nc" @7
    dd @9
      p @9 transparent
        text "z" @9
"#,
        );
    }

    /// A definition's later paragraphs; another term joins the same list.
    #[test]
    fn definition_with_paragraphs() {
        assert_tree(
            "term\n:   def\n    cont\n\n    para\n\nother\n: d2\n",
            r#"root @1
  dl @1
    dt @2
      text "term" @0
    dd @2
      p @2 transparent
        text "def\ncont\n" @2
      blank "\n" @0
      p @5
        text "para" @5
    dt @8
      text "other" @0
    dd @8
      p @8 transparent
        text "d2" @8
"#,
        );
    }

    /// A definition without a term before it is a paragraph.
    #[test]
    fn definition_without_term() {
        assert_tree(
            ": orphan\n",
            r#"root @1
  p @1
    text ": orphan" @1
"#,
        );
    }

    /// Two blank lines: no definition list.
    #[test]
    fn definition_after_two_blank_lines() {
        assert_tree(
            "p\n\n\n: x\n",
            r#"root @1
  p @1
    text "p" @1
  blank "\n\n" @0
  p @4
    text ": x" @4
"#,
        );
    }

    /// Hangul terms and a definition after a blank line.
    #[test]
    fn definition_hangul() {
        assert_tree(
            "용어\n: 정의 하나\n\n: 정의 둘\n",
            r#"root @1
  dl @1
    dt @2
      text "용어" @0
    dd @2
      p @2 transparent
        text "정의 하나" @2
    dd @4
      p @4
        text "정의 둘" @4
"#,
        );
    }

    /// A definition holding a list.
    #[test]
    fn definition_holding_a_list() {
        assert_tree(
            "x\n: - a\n  - b\n",
            r#"root @1
  dl @1
    dt @2
      text "x" @0
    dd @2
      ul @2
        li @2
          p @2 transparent
            text "a" @2
        li @3
          p @3 transparent
            text "b" @3
"#,
        );
    }

    #[test]
    fn task_list_classes() {
        // kramdown: the first item and every item with a paragraph after a task item get
        // `task-list-item`; the list gets `task-list`; an item before any task gets nothing.
        let doc = crate::parse(
            "- plain\n- [ ]  a\n- b\n- [X]\tc\n- [x]d\n",
            &crate::Options::default(),
        );
        let list = &doc.root.children[0];
        assert_eq!(list.attr("class"), Some("task-list"));
        let classes: Vec<Option<&str>> = list.children.iter().map(|li| li.attr("class")).collect();
        assert_eq!(
            classes,
            [
                None,
                Some("task-list-item"),
                Some("task-list-item"),
                Some("task-list-item"),
                Some("task-list-item")
            ]
        );
    }

    #[test]
    fn task_boxes_replace_the_brackets() {
        let mut text = "[ ]  a".to_owned();
        assert!(task_box(&mut text));
        assert_eq!(text, format!("{BOX_UNCHECKED}a"));
        let mut text = " [X]\tc".to_owned();
        assert!(task_box(&mut text));
        assert_eq!(text, format!("{BOX_CHECKED}c"));
        let mut text = "[x]d".to_owned();
        assert!(!task_box(&mut text), "a blank must follow the box");
        let mut text = "[ ]".to_owned();
        assert!(!task_box(&mut text));
    }

    #[test]
    fn first_list_line_indentation() {
        // Ruby's parse_first_list_line(indentation, content) on these.
        let cases = [
            (1, " a\n", "a\n", 2),
            (1, "\ta\n", "a\n", 4),
            (1, "  \t\tb\n", "b\n", 8),
            (2, " \tc\n", "c\n", 4),
            (1, " {:.x}\n", "{:.x}\n", 4),
            (1, " {:.x} y\n", "{:.x} y\n", 2),
            (1, " \n", "", 4),
            (3, "    deep\n", "deep\n", 7),
        ];
        for (indentation, content, text, result) in cases {
            assert_eq!(
                parse_first_list_line(indentation, content),
                (text.to_owned(), result),
                "{content:?}"
            );
        }
    }

    #[test]
    fn item_attribute_lists() {
        // Ruby's LIST_ITEM_IAL.match: group 1 and the end of the match.
        assert_eq!(item_ial("{:.a} x\n"), Some((".a", 6)));
        assert_eq!(item_ial("  {:#i .c}\n"), Some(("#i .c", 11)));
        assert_eq!(item_ial("{:ald: x}"), None, "an ALD is not an IAL");
        assert_eq!(item_ial("{::ext}"), None);
        assert_eq!(item_ial("{:/}"), None);
        assert_eq!(item_ial("{:a\\} b}  c"), Some(("a\\} b", 10)));
    }

    #[test]
    fn content_and_lazy_lines() {
        assert_eq!(content_line("  a\n", 2), Some(4));
        assert_eq!(
            content_line("\ta\n", 2),
            Some(3),
            "a tab is a full indentation step"
        );
        assert_eq!(content_line(" a\n", 2), None);
        assert_eq!(
            content_line("      \n", 2),
            None,
            "blank lines are not content"
        );
        assert_eq!(content_line("    \tb\n", 4), Some(7));
        assert_eq!(lazy_line("x\nlazy\n", 2, 2), Some(5));
        assert_eq!(lazy_line("x\n  {:.c}\n", 2, 2), None, "a block IAL");
        assert_eq!(lazy_line("x\n<div>\n", 2, 2), None, "a block HTML start");
        assert_eq!(lazy_line("x\n</p>\n", 2, 2), None, "a block HTML end");
        assert_eq!(
            lazy_line("x\n<span>s\n", 2, 2),
            Some(8),
            "a span element is text"
        );
        assert_eq!(
            lazy_line("x\n    <div>\n", 2, 2),
            Some(10),
            "more than the indentation"
        );
    }
}
