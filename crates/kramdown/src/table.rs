//! kramdown's tables (parser/kramdown/table.rb): rows of `|`-separated cells, separator lines
//! (`|---|:-:|`) making the rows above a header and giving the alignments, `=` lines a footer.
//! Cells keep their text as `raw_text` (spans are parsed later, with the rest of the tree).
//!
//! Written from kramdown 2.4's Ruby (© Thomas Leitner, MIT). The look-arounds of its regexes
//! (TABLE_START's `(?=\S)`, the cell split's `(?<!\\)\|`) are checked by hand.

use crate::block::{is_space, ruby_strip};
use crate::scanner::Scanner;
use crate::tree::{Align, Element, Type, Value};
use crate::{Parser, SpanParser};

// A superset of Ruby's TABLE_START (`^OPT_SPACE(?=\S)TABLE_LINE`): `parse_table` checks the
// look-ahead.
crate::re!(TABLE_START = r"^ {0,3}(?:\||.*?[^\\\n]\|).*?\n");
// TABLE_LINE: `(?:\||.*?[^\\\n]\|).*?\n`.
crate::re!(TABLE_LINE = r"(?:\||.*?[^\\\n]\|).*?\n");
crate::re!(TABLE_SEP_LINE = r"^([+|: \t-]*?-[+|: \t-]*?)[ \t]*\n");
crate::re!(TABLE_HSEP_ALIGN = r"[ \t]?(:?)-+(:?)[ \t]?");
crate::re!(TABLE_FSEP_LINE = r"^[+|: \t=]*?=[+|: \t=]*?[ \t]*\n");
crate::re!(TABLE_ROW_LINE = r"^(.*?)[ \t]*\n");
crate::re!(CODE_HTML = r"<code.*?>.*?</code>");

/// TABLE_PIPE_CHECK at the start of a line: a `|` first, or one not after a backslash.
fn pipe_check(line: &str) -> bool {
    let b = line.as_bytes();
    b.first() == Some(&b'|') || (1..b.len()).any(|i| b[i] == b'|' && b[i - 1] != b'\\')
}

/// Ruby's `str.split("\n")`: trailing empty fields dropped.
fn split_lines(s: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = s.split('\n').collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// `value.split(/(?<!\\)\|/, -1).map {|t| t.gsub(/\\\|/, '|') }`.
fn split_cells(value: &str) -> Vec<String> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..b.len() {
        if b[i] == b'|' && (i == 0 || b[i - 1] != b'\\') {
            out.push(value[start..i].replace("\\|", "|"));
            start = i + 1;
        }
    }
    out.push(value[start..].replace("\\|", "|"));
    out
}

/// `(cells.empty? ? cells : cells.last) << text`.
fn append_to_last(cells: &mut Vec<String>, text: &str) {
    match cells.last_mut() {
        Some(last) => last.push_str(text),
        None => cells.push(text.to_owned()),
    }
}

impl Parser {
    pub(crate) fn parse_table(&mut self) -> bool {
        if !self.after_block_boundary() {
            return false;
        }
        // ^OPT_SPACE(?=\S)TABLE_LINE
        {
            let rest = self.src.rest().as_bytes();
            let indent = rest.iter().take(3).take_while(|&&b| b == b' ').count();
            if rest.get(indent).is_none_or(|&b| is_space(b))
                || TABLE_LINE
                    .end_at(self.src.string(), self.src.pos() + indent)
                    .is_none()
            {
                return false;
            }
        }

        let saved = self.src.save_pos();
        let orig_pos = self.src.pos();
        let location = self.src.current_line_number();
        let mut table = self.new_block_el(Element::new(Type::Table).at(location));
        let leading_pipe = {
            let rest = self.src.rest();
            let line = &rest[..TABLE_LINE.end_at(rest, 0).unwrap_or(0)];
            ruby_strip_start_is_pipe(line)
        };
        self.src.skip(&TABLE_SEP_LINE);

        let mut rows: Vec<Element> = Vec::new();
        let mut has_footer = false;
        let mut columns = 0;
        let mut alignment: Vec<Align> = Vec::new();

        fn add_container(
            table: &mut Element,
            rows: &mut Vec<Element>,
            has_footer: bool,
            kind: Type,
            force: bool,
        ) {
            if !has_footer || kind != Type::Tbody || force {
                let mut cont = Element::new(kind);
                cont.children = std::mem::take(rows);
                table.children.push(cont);
            }
        }

        while !self.src.eos() {
            if !self.src.matches(&TABLE_LINE) {
                break;
            }
            if let Some(caps) = self.src.scan(&TABLE_SEP_LINE) {
                if rows.is_empty() {
                    // Nothing: a separator line at the start is dropped.
                } else if alignment.is_empty() && !has_footer {
                    add_container(&mut table, &mut rows, has_footer, Type::Thead, false);
                    let spec = self.src.group(&caps, 1).unwrap_or("").to_owned();
                    let mut at = 0;
                    while let Some(c) = TABLE_HSEP_ALIGN.captures_from(&spec, at) {
                        let m = c.get_match().expect("matched");
                        let left = c.get_group(1).is_some_and(|g| !g.is_empty());
                        let right = c.get_group(2).is_some_and(|g| !g.is_empty());
                        alignment.push(match (left, right) {
                            (false, false) => Align::Default,
                            (true, false) => Align::Left,
                            (false, true) => Align::Right,
                            (true, true) => Align::Center,
                        });
                        at = m.end().max(m.start() + 1);
                    }
                } else {
                    add_container(&mut table, &mut rows, has_footer, Type::Tbody, false);
                }
            } else if self.src.skip(&TABLE_FSEP_LINE).is_some() {
                if !rows.is_empty() {
                    add_container(&mut table, &mut rows, has_footer, Type::Tbody, true);
                }
                has_footer = true;
            } else if let Some(caps) = self.src.scan(&TABLE_ROW_LINE) {
                let line_text = self.src.group(&caps, 1).unwrap_or("").to_owned();
                let row = self.table_row(&line_text, leading_pipe);
                columns = columns.max(row.children.len());
                rows.push(row);
            } else {
                break;
            }
        }

        if !self.before_block_boundary() {
            self.src.revert_pos(saved);
            return false;
        }

        // The table's text again, with code spans and HTML spans parsed: each line must hold
        // a pipe outside of them.
        let end = self.src.pos().saturating_sub(1).max(orig_pos);
        let text = self.src.string()[orig_pos..end].to_owned();
        let line = self.src.current_line_number();
        let env = self.save_env();
        self.src = Scanner::new(text, line);
        self.text_type = Type::RawText;
        let (root, _) = self.parse_spans(
            Element::new(Type::Root),
            None,
            Some(&[SpanParser::Codespan, SpanParser::SpanHtml]),
            Some(Type::RawText),
        );
        self.restore_env(env);

        let mut pipe_on_line = false;
        for c in &root.children {
            let Value::Str(value) = &c.value else {
                continue;
            };
            let lines = split_lines(value);
            if c.kind == Type::Codespan {
                if lines.len() > 2 || (lines.len() == 2 && !pipe_on_line) {
                    break;
                } else if lines.len() == 2 && pipe_on_line {
                    pipe_on_line = false;
                }
            } else {
                if lines.len() > 1 && !pipe_on_line && !pipe_check(lines[0]) {
                    break;
                }
                pipe_on_line = (lines.len() <= 1 && pipe_on_line)
                    || lines.last().is_some_and(|l| pipe_check(l));
            }
        }
        if !pipe_on_line {
            self.src.revert_pos(saved);
            return false;
        }

        if !rows.is_empty() {
            let kind = if has_footer { Type::Tfoot } else { Type::Tbody };
            add_container(&mut table, &mut rows, has_footer, kind, false);
        }

        if !table.children.iter().any(|c| c.kind == Type::Tbody) {
            self.warning(format!(
                "Found table without body on line {location} - ignoring it"
            ));
            self.src.revert_pos(saved);
            return false;
        }

        for kind in &mut table.children {
            for row in &mut kind.children {
                while row.children.len() < columns {
                    row.children.push(Element::new(Type::Td));
                }
            }
        }
        alignment.resize(columns, Align::Default);
        table.options.rare_mut().alignment = alignment;
        self.tree.children.push(table);
        true
    }

    /// One row's cells: code spans (and `<code>…</code>`) keep their pipes.
    fn table_row(&mut self, line_text: &str, leading_pipe: bool) -> Element {
        let mut row = Element::new(Type::Tr);
        let mut cells: Vec<String> = Vec::new();
        let line = self.src.current_line_number();
        let env = self.save_env();
        let mut at = 0;
        let mut pieces: Vec<(bool, &str)> = Vec::new();
        while let Some((s, e)) = CODE_HTML.find_from(line_text, at) {
            pieces.push((false, &line_text[at..s]));
            pieces.push((true, &line_text[s..e]));
            at = e;
        }
        pieces.push((false, &line_text[at..]));
        // Ruby's split drops the empty fields at the end.
        while pieces.last().is_some_and(|(_, p)| p.is_empty()) {
            pieces.pop();
        }
        for (is_code, piece) in pieces {
            if is_code {
                append_to_last(&mut cells, piece);
                continue;
            }
            self.src = Scanner::new(piece, line);
            self.text_type = Type::RawText;
            let (root, _) = self.parse_spans(
                Element::new(Type::Root),
                None,
                Some(&[SpanParser::Codespan]),
                Some(Type::RawText),
            );
            for c in &root.children {
                if c.kind == Type::RawText {
                    let mut parts = split_cells(c.value_str()).into_iter();
                    if let Some(first) = parts.next() {
                        append_to_last(&mut cells, &first);
                    }
                    cells.extend(parts);
                } else {
                    let value = c.value_str();
                    let mut longest = 0;
                    let mut run = 0;
                    for b in value.bytes() {
                        run = if b == b'`' { run + 1 } else { 0 };
                        longest = longest.max(run);
                    }
                    let delim = "`".repeat(longest + 1);
                    let pad = if delim.len() > 1 { " " } else { "" };
                    append_to_last(&mut cells, &format!("{delim}{pad}{value}{pad}{delim}"));
                }
            }
        }
        self.restore_env(env);

        if leading_pipe && cells.first().is_some_and(|c| ruby_strip(c).is_empty()) {
            cells.remove(0);
        }
        if cells.last().is_some_and(|c| ruby_strip(c).is_empty()) {
            cells.pop();
        }
        for cell in cells {
            let mut td = Element::new(Type::Td);
            td.children
                .push(Element::with_value(Type::RawText, ruby_strip(&cell)));
            row.children.push(td);
        }
        row
    }
}

/// `line =~ /^\s*\|/`.
fn ruby_strip_start_is_pipe(line: &str) -> bool {
    line.bytes().find(|&b| !is_space(b)) == Some(b'|')
}

#[cfg(test)]
mod tests {
    use crate::assert_tree;

    #[test]
    fn tables_with_header_and_alignment() {
        assert_tree(
            "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n| 4 |\n",
            r#"root @1
  table @1 alignment=[Left, Center, Right]
    thead @0
      tr @0
        td @0
          text "a" @0
        td @0
          text "b" @0
        td @0
          text "c" @0
    tbody @0
      tr @0
        td @0
          text "1" @0
        td @0
          text "2" @0
        td @0
          text "3" @0
      tr @0
        td @0
          text "4" @0
        td @0
        td @0
"#,
        );
    }

    #[test]
    fn tables_with_footer_and_body_separators() {
        assert_tree(
            "| a | b\n|---\n| c | d\n|---\n| e | f\n|===\n| g | h\n",
            r#"root @1
  table @1 alignment=[Default, Default]
    thead @0
      tr @0
        td @0
          text "a" @0
        td @0
          text "b" @0
    tbody @0
      tr @0
        td @0
          text "c" @0
        td @0
          text "d" @0
    tbody @0
      tr @0
        td @0
          text "e" @0
        td @0
          text "f" @0
    tfoot @0
      tr @0
        td @0
          text "g" @0
        td @0
          text "h" @0
"#,
        );
    }

    #[test]
    fn tables_without_leading_pipe() {
        assert_tree(
            "a | b\n--|--\nx | y\n",
            r#"root @1
  table @1 alignment=[Default, Default]
    thead @0
      tr @0
        td @0
          text "a" @0
        td @0
          text "b" @0
    tbody @0
      tr @0
        td @0
          text "x" @0
        td @0
          text "y" @0
"#,
        );
    }

    #[test]
    fn table_escaped_pipe_and_empty_cells() {
        assert_tree(
            "|x|\n|-|\n|y\\|z|\n|  |\n||\n",
            r#"root @1
  table @1 alignment=[Default]
    thead @0
      tr @0
        td @0
          text "x" @0
    tbody @0
      tr @0
        td @0
          text "y|z" @0
      tr @0
        td @0
      tr @0
        td @0
"#,
        );
    }

    #[test]
    fn table_needs_a_block_boundary() {
        assert_tree(
            "Para\n| not | table |\n\n| 한 | 글 |\n",
            r#"root @1
  p @1
    text "Para\n| not | table |" @1
  blank "\n" @0
  table @4 alignment=[Default, Default]
    tbody @0
      tr @0
        td @0
          text "한" @0
        td @0
          text "글" @0
"#,
        );
    }

    #[test]
    fn table_without_body_is_no_table() {
        assert_tree(
            "| a | b |\n|-|-|\n",
            r#"root @1
  p @1
    text "| a | b |\n|-|-|" @1
"#,
        );
    }
}
