//! Where things are in a front matter's text: which lines hold which key, and how each value is
//! written (quoted, plain, flow list, block list, nested mapping). Only the block YAML that
//! people write in front matter is mapped; anything else is reported as `Written::Other` and
//! rewritten whole by the caller.
//! Not for: reading values (serde_yaml does that) or writing them (see `emit`).

use std::ops::Range;

/// One line of the front matter, by byte range (including its `\n`) in the front matter text.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub start: usize,
    /// End of the line's content, before `\n`.
    pub end: usize,
    /// Start of the next line.
    pub next: usize,
    pub indent: usize,
}

impl Line {
    pub fn content<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start + self.indent..self.end]
    }

    /// Blank or only a comment: such lines belong to no value.
    pub fn is_filler(&self, text: &str) -> bool {
        let c = self.content(text);
        c.is_empty() || c.starts_with('#')
    }
}

pub fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let next = (end + 1).min(text.len());
        let indent = text[start..end].bytes().take_while(|b| *b == b' ').count();
        out.push(Line {
            start,
            end,
            next,
            indent,
        });
        start = if end == text.len() { end + 1 } else { next };
    }
    out
}

/// How an entry's value is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// A one-line scalar after the colon; `range` is its text, without a trailing comment.
    Scalar { range: Range<usize>, quote: Quote },
    /// A one-line flow list `[a, b]`; `range` covers the brackets.
    FlowList { range: Range<usize> },
    /// Nothing after the colon, then `- item` lines.
    BlockList {
        items: Vec<Range<usize>>,
        dash_indent: usize,
    },
    /// Nothing after the colon, then `key: value` lines at `indent`.
    BlockMap { indent: usize },
    /// Nothing at all (`key:`).
    Empty,
    /// Block scalars, multi-line flow, anchors, tags, multi-line plain scalars…
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    Plain,
    Single,
    Double,
}

/// A `key: value` entry of a block mapping.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    /// The lines of the entry (index range into `lines`), without trailing blank or comment lines.
    pub lines: Range<usize>,
    /// Byte offset just after the `:` and the spaces that follow it on the key line.
    pub value_start: usize,
    pub written: Written,
}

/// The entries of the block mapping whose keys sit at `indent` within `range` of `lines`.
pub fn entries(text: &str, lines: &[Line], range: Range<usize>, indent: usize) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let line = lines[i];
        if line.is_filler(text) || line.indent != indent {
            i += 1;
            continue;
        }
        let Some((key, after_colon)) = key_of(line.content(text)) else {
            i += 1;
            continue;
        };
        let content_start = line.start + line.indent;
        let mut value_start = content_start + after_colon;
        value_start += text[value_start..line.end]
            .bytes()
            .take_while(|b| *b == b' ')
            .count();
        let inline_empty = inline_value(&text[value_start..line.end]).is_empty();
        // The entry runs until the next line at this indent or less, except that a list may sit
        // at the same indent as its key (`tags:\n- a`).
        let mut end = i + 1;
        while end < range.end {
            let l = lines[end];
            let continues = l.is_filler(text)
                || l.indent > indent
                || (inline_empty && l.indent == indent && is_dash(l.content(text)));
            if !continues {
                break;
            }
            end += 1;
        }
        while end > i + 1 && lines[end - 1].is_filler(text) {
            end -= 1;
        }
        let written = written(text, lines, i, end, value_start, indent);
        out.push(Entry {
            key,
            lines: i..end,
            value_start,
            written,
        });
        i = end;
    }
    out
}

fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// The key of a `key: value` line and the byte offset just after its colon.
fn key_of(content: &str) -> Option<(String, usize)> {
    if is_dash(content) || content.starts_with(['#', '?', '&', '*', '!', '[', '{']) {
        return None;
    }
    let (key, rest_at) = match content.chars().next()? {
        q @ ('"' | '\'') => {
            let close = quoted_end(content, q)?;
            let key: String = serde_yaml::from_str(&content[..close]).ok()?;
            (key, close)
        }
        _ => {
            let colon = content
                .match_indices(':')
                .map(|(i, _)| i)
                .find(|&i| matches!(content.as_bytes().get(i + 1), None | Some(b' ')))?;
            (content[..colon].trim_end().to_owned(), colon)
        }
    };
    let rest = &content[rest_at..];
    let spaces = rest.bytes().take_while(|b| *b == b' ').count();
    let colon_rest = &rest[spaces..];
    if !colon_rest.starts_with(':') || key.is_empty() {
        return None;
    }
    Some((key, rest_at + spaces + 1))
}

/// Byte offset just past the closing quote of a quoted scalar starting at 0.
fn quoted_end(s: &str, q: char) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        match (q, b[i]) {
            ('"', b'\\') => i += 2,
            ('"', b'"') => return Some(i + 1),
            ('\'', b'\'') if b.get(i + 1) == Some(&b'\'') => i += 2,
            ('\'', b'\'') => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The value text of the rest of a line, without a trailing comment and spaces.
pub fn inline_value(rest: &str) -> &str {
    let end = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => quoted_end(rest, q).unwrap_or(rest.len()),
        _ => rest.find(" #").unwrap_or(rest.len()),
    };
    let value = rest[..end].trim_end();
    if value.starts_with('#') {
        ""
    } else {
        value
    }
}

fn written(
    text: &str,
    lines: &[Line],
    first: usize,
    end: usize,
    value_start: usize,
    indent: usize,
) -> Written {
    let key_line = lines[first];
    let value = inline_value(&text[value_start..key_line.end]);
    let multi_line = end > first + 1;
    let range = value_start..value_start + value.len();
    if value.is_empty() {
        let Some(child) = lines[first + 1..end].iter().find(|l| !l.is_filler(text)) else {
            return Written::Empty;
        };
        if is_dash(child.content(text)) {
            let dash_indent = child.indent;
            let mut items: Vec<Range<usize>> = Vec::new();
            for l in &lines[first + 1..end] {
                if l.indent == dash_indent && is_dash(l.content(text)) {
                    items.push(l.start..l.next);
                } else if l.indent < dash_indent && !l.is_filler(text) {
                    return Written::Other;
                } else if let Some(item) = items.last_mut() {
                    item.end = l.next;
                }
            }
            // A last item keeps its own line ending but not the entry's trailing filler lines.
            return Written::BlockList { items, dash_indent };
        }
        if child.indent > indent && key_of(child.content(text)).is_some() {
            return Written::BlockMap {
                indent: child.indent,
            };
        }
        return Written::Other;
    }
    if multi_line {
        return Written::Other;
    }
    match value.as_bytes()[0] {
        b'"' => Written::Scalar {
            range,
            quote: Quote::Double,
        },
        b'\'' => Written::Scalar {
            range,
            quote: Quote::Single,
        },
        b'[' if value.ends_with(']') => Written::FlowList { range },
        b'[' | b'{' | b'|' | b'>' | b'&' | b'*' | b'!' => Written::Other,
        _ => Written::Scalar {
            range,
            quote: Quote::Plain,
        },
    }
}

/// The items of a one-line flow list's text (`[a, "b, c"]`), as byte ranges into `list`.
pub fn flow_items(list: &str) -> Option<Vec<Range<usize>>> {
    let inner = 1..list.len() - 1;
    let b = list.as_bytes();
    let mut items = Vec::new();
    let mut start = inner.start;
    let mut i = inner.start;
    let mut depth = 0usize;
    while i < inner.end {
        match b[i] {
            q @ (b'"' | b'\'') => i += quoted_end(&list[i..], q as char)? - 1,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.checked_sub(1)?,
            b',' if depth == 0 => {
                items.push(trimmed(list, start..i));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let last = trimmed(list, start..inner.end);
    if !last.is_empty() || !items.is_empty() {
        items.push(last);
    }
    Some(items)
}

fn trimmed(s: &str, r: Range<usize>) -> Range<usize> {
    let part = &s[r.clone()];
    let lead = part.len() - part.trim_start().len();
    r.start + lead..r.start + lead + part.trim().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(text: &str) -> Vec<Entry> {
        let lines = lines(text);
        entries(text, &lines, 0..lines.len(), 0)
    }

    #[test]
    fn maps_the_seed_front_matter() {
        let fm = "# 기본 설정값\nlayout: single\ntoc_sticky : true\ntoc_icon: \"fas fa-book-reader\"\n\n# 제목\ntitle:  \"[Global_Data_Issue] 2023년 3월\"\ntag: [Big Data, AI]\n";
        let e = top(fm);
        let keys: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["layout", "toc_sticky", "toc_icon", "title", "tag"]);
        let Written::Scalar {
            range,
            quote: Quote::Plain,
        } = &e[1].written
        else {
            panic!()
        };
        assert_eq!(&fm[range.clone()], "true");
        assert!(matches!(
            e[3].written,
            Written::Scalar {
                quote: Quote::Double,
                ..
            }
        ));
        // The comment line before `title` belongs to no entry.
        assert_eq!(e[2].lines, 3..4);
        let Written::FlowList { range } = &e[4].written else {
            panic!()
        };
        let list = &fm[range.clone()];
        let items: Vec<&str> = flow_items(list)
            .unwrap()
            .into_iter()
            .map(|r| &list[r])
            .collect();
        assert_eq!(items, ["Big Data", "AI"]);
    }

    #[test]
    fn block_lists_and_maps() {
        let fm = "tags:\n- a\n-  b # c\nheader:\n  teaser: /x.png\n  caption: \"y\"\n# end\n";
        let e = top(fm);
        let Written::BlockList { items, dash_indent } = &e[0].written else {
            panic!()
        };
        assert_eq!(*dash_indent, 0);
        assert_eq!(items.len(), 2);
        assert_eq!(e[1].written, Written::BlockMap { indent: 2 });
        assert_eq!(e[1].lines, 3..6);
        let lines = lines(fm);
        let children = entries(fm, &lines, 4..6, 2);
        assert_eq!(children[0].key, "teaser");
        assert_eq!(children[1].key, "caption");
    }

    #[test]
    fn quoted_keys_comments_and_block_scalars() {
        let fm = "\"odd: key\": 1 # one\nurl: http://x.y/a#b\nexcerpt: |\n  two\n  lines\n";
        let e = top(fm);
        assert_eq!(e[0].key, "odd: key");
        let Written::Scalar {
            range,
            quote: Quote::Plain,
        } = &e[0].written
        else {
            panic!()
        };
        assert_eq!(&fm[range.clone()], "1");
        assert_eq!(e[1].key, "url");
        let Written::Scalar { range, .. } = &e[1].written else {
            panic!()
        };
        assert_eq!(&fm[range.clone()], "http://x.y/a#b");
        assert_eq!(e[2].written, Written::Other);
        assert_eq!(flow_items("[]").unwrap(), Vec::<Range<usize>>::new());
        assert_eq!(flow_items("['a, b', [c, d]]").unwrap(), [1..7, 9..15]);
    }
}
