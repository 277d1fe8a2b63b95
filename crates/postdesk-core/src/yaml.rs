//! YAML read as Jekyll reads it: Ruby's Psych (YAML 1.1), as `Psych.safe_load` resolves plain
//! scalars (`yes`/`on` are true, `010` is 8, `1_000` is 1000, `1:20` is base 60), quoted ones
//! staying strings, and a key given twice keeping its first place with its last value. The keys
//! given twice are returned with their lines, for lint to report.
//! Not for: writing YAML (see `front_matter::emit`) or finding where a key is written in the
//! text (see `front_matter::scan`).
//!
//! Dates and times stay the strings they are written as, as Postdesk read them before: the
//! renderer and the sidebar read dates from text.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_yaml::{Mapping, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// YAML that does not parse, with the 1-based line and column of the fault in the text given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A key given twice in one mapping: Jekyll keeps the last value, at the first key's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key, with the keys of the mappings around it (`kramdown`, `defaults.0.values.layout`).
    pub key: String,
    /// 1-based line of the key's first occurrence in the text given.
    pub first_line: usize,
    /// 1-based line of the occurrence that wins: the last one so far.
    pub line: usize,
}

/// A YAML document as Jekyll reads it, and the keys it gives twice.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The first document (`Null` for an empty text, as Psych gives `nil`).
    pub value: Value,
    pub duplicates: Vec<DuplicateKey>,
}

/// Reads the first YAML document of `text` as Jekyll does.
pub fn load(text: &str) -> Result<Loaded, YamlError> {
    let mut text = Cow::Borrowed(text);
    loop {
        match load_as_is(&text) {
            Err(e) if e.message.contains("valid YAML whitespace") => {
                // libyaml takes a tab after `key:` as the space; yaml-rust2 does not. The tab
                // becomes a space, which moves nothing, and the text is read again.
                match tab_after_colon(&text, &e) {
                    Some(at) => text.to_mut().replace_range(at..=at, " "),
                    None => return Err(e),
                }
            }
            other => return other,
        }
    }
}

/// The byte of the tab after the `:` that `e` is about: a `:\t` of its line around its column.
fn tab_after_colon(text: &str, e: &YamlError) -> Option<usize> {
    let start = text
        .split_inclusive('\n')
        .take(e.line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let line = text[start..].split('\n').next()?;
    let at = |column: usize| {
        line.char_indices()
            .nth(column)
            .map_or(line.len(), |(i, _)| i)
    };
    let (from, to) = (at(e.column.saturating_sub(3)), at(e.column + 1));
    line[from..to].rfind(":\t").map(|i| start + from + i + 1)
}

fn load_as_is(text: &str) -> Result<Loaded, YamlError> {
    // libyaml reads a byte-order mark as the stream's encoding, not as text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut loader = Loader {
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        duplicates: Vec::new(),
        path: Vec::new(),
    };
    let value = loader.document()?;
    Ok(Loaded {
        value,
        duplicates: loader.duplicates,
    })
}

struct Loader<'a> {
    parser: Parser<std::str::Chars<'a>>,
    anchors: HashMap<usize, Value>,
    duplicates: Vec<DuplicateKey>,
    /// The keys (and list positions) of the collections being read, for `DuplicateKey::key`.
    path: Vec<String>,
}

impl Loader<'_> {
    fn next(&mut self) -> Result<(Event, Marker), YamlError> {
        self.parser.next_token().map_err(|e| YamlError {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_owned(),
        })
    }

    /// The first document; later ones are not read, as `Psych.safe_load` stops at the first.
    fn document(&mut self) -> Result<Value, YamlError> {
        loop {
            let (event, mark) = self.next()?;
            match event {
                Event::StreamStart | Event::Nothing => {}
                Event::StreamEnd => return Ok(Value::Null),
                Event::DocumentStart => {
                    let (event, mark) = self.next()?;
                    return self.node(event, mark);
                }
                other => return self.node(other, mark),
            }
        }
    }

    fn node(&mut self, event: Event, mark: Marker) -> Result<Value, YamlError> {
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => (scalar(text, style, tag.as_ref()), anchor),
            Event::Alias(id) => {
                return self.anchors.get(&id).cloned().ok_or_else(|| YamlError {
                    line: mark.line(),
                    column: mark.col() + 1,
                    message: "an alias (`*name`) to an anchor that is not set".to_owned(),
                })
            }
            Event::SequenceStart(anchor, _) => (self.sequence()?, anchor),
            Event::MappingStart(anchor, _) => (self.mapping()?, anchor),
            other => {
                return Err(YamlError {
                    line: mark.line(),
                    column: mark.col() + 1,
                    message: format!("unexpected {other:?}"),
                })
            }
        };
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        Ok(value)
    }

    fn sequence(&mut self) -> Result<Value, YamlError> {
        let mut items = Vec::new();
        loop {
            let (event, mark) = self.next()?;
            if event == Event::SequenceEnd {
                return Ok(Value::Sequence(items));
            }
            self.path.push(items.len().to_string());
            let item = self.node(event, mark);
            self.path.pop();
            items.push(item?);
        }
    }

    /// A mapping as Psych's `revive_hash` builds it: `<<` merges, a repeated key replaces the
    /// value in place.
    fn mapping(&mut self) -> Result<Value, YamlError> {
        let mut map = Mapping::new();
        // The keys written in this mapping (not merged into it), with their lines.
        let mut written: Vec<(Value, usize)> = Vec::new();
        loop {
            let (event, mark) = self.next()?;
            if event == Event::MappingEnd {
                return Ok(Value::Mapping(map));
            }
            let tagged_str = matches!(&event, Event::Scalar(_, _, _, Some(tag)) if is_str_tag(tag));
            let line = mark.line();
            let key = self.node(event, mark)?;
            let (event, mark) = self.next()?;
            let merges = matches!(event, Event::Alias(_) | Event::MappingStart(..));
            let merges_list = matches!(event, Event::SequenceStart(..));
            self.path.push(key_label(&key));
            let value = self.node(event, mark);
            self.path.pop();
            let value = value?;
            if key.as_str() == Some("<<") && !tagged_str {
                match value {
                    Value::Mapping(from) if merges => {
                        map.extend(from);
                        continue;
                    }
                    Value::Sequence(items)
                        if merges_list && items.iter().all(Value::is_mapping) =>
                    {
                        // Earlier mappings of the list win over later ones.
                        let mut merged = Mapping::new();
                        for item in items.into_iter().rev() {
                            if let Value::Mapping(m) = item {
                                merged.extend(m);
                            }
                        }
                        map.extend(merged);
                        continue;
                    }
                    other => {
                        map.insert(key, other);
                        continue;
                    }
                }
            }
            if let Some((_, first_line)) = written.iter().find(|(k, _)| *k == key) {
                let mut path = self.path.clone();
                path.push(key_label(&key));
                self.duplicates.push(DuplicateKey {
                    key: path.join("."),
                    first_line: *first_line,
                    line,
                });
            } else {
                written.push((key.clone(), line));
            }
            // `IndexMap` keeps a replaced key at its first place, as a Ruby `Hash` does.
            map.insert(key, value);
        }
    }
}

fn key_label(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

fn is_str_tag(tag: &Tag) -> bool {
    tag.suffix == "str" || tag.suffix == "tag:yaml.org,2002:str"
}

/// A scalar as Psych's `deserialize` gives it: an untagged quoted or block scalar is a string;
/// a tag (which libyaml reports as not quoted) decides: `!!str` a string, `!!float` a float, any
/// other goes through `tokenize` (`!!int '7'` is 7).
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    match tag {
        None if style == TScalarStyle::Plain => tokenize(&text),
        None => Value::String(text),
        Some(tag) if is_str_tag(tag) => Value::String(text),
        Some(tag) if tag.suffix == "float" || tag.suffix == "tag:yaml.org,2002:float" => {
            match tokenize(&text) {
                Value::Number(n) => n.as_f64().map_or(Value::Number(n), Value::from),
                other => other,
            }
        }
        Some(_) => tokenize(&text),
    }
}

/// Psych's `ScalarScanner#tokenize` (Psych 4, Ruby 3.1), branch by branch. Where Psych builds a
/// Date, a Time or a Symbol the text stays a string: Postdesk reads dates from their text, and
/// `Psych.safe_load` refuses symbols (the gem's SafeYAML, which Jekyll 4.3 uses, keeps them as
/// strings).
fn tokenize(s: &str) -> Value {
    let string = || Value::String(s.to_owned());
    if s.is_empty() {
        return Value::Null;
    }
    if word_like(s) || s.contains('\n') {
        if s.chars().count() > 5 {
            return string();
        }
        let lower = s.to_ascii_lowercase();
        return match lower.as_str() {
            "~" | "null" => Value::Null,
            "yes" | "true" | "on" => Value::Bool(true),
            "no" | "false" | "off" => Value::Bool(false),
            _ => string(),
        };
    }
    // Psych's `TIME` and date patterns come here: they stay strings, and no later pattern
    // matches them.
    match s.to_ascii_lowercase().as_str() {
        ".inf" | "+.inf" => return Value::from(f64::INFINITY),
        "-.inf" => return Value::from(f64::NEG_INFINITY),
        ".nan" => return Value::from(f64::NAN),
        _ => {}
    }
    if s.starts_with(':') && s.len() > 1 {
        return string();
    }
    if let Some(v) = sexagesimal(s) {
        return v;
    }
    if is_float(s) {
        if matches!(s, "." | "+." | "-.") {
            return string();
        }
        return float(s).map_or_else(string, Value::from);
    }
    if is_integer(s) {
        return integer(s).unwrap_or_else(string);
    }
    string()
}

/// `/^[^\d.:-]?[[:alpha:]_\s!@#$%\^&*(){}<>|\/\\~;=]+/`: text that starts like a word, which
/// Psych only checks for booleans and null.
fn word_like(s: &str) -> bool {
    let in_class = |c: char| {
        c.is_alphabetic() || c.is_ascii_whitespace() || "_!@#$%^&*(){}<>|/\\~;=".contains(c)
    };
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    in_class(first)
        || (!(first.is_ascii_digit() || ".:-".contains(first))
            && chars.next().is_some_and(in_class))
}

/// Base 60: `^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}(\.[0-9_]*)?$`. Psych weighs the parts by
/// 60^|i-2|, so `1:20` is 1·3600 + 20·60 = 4800 (not 80) and `1:20:30` is 4830.
fn sexagesimal(s: &str) -> Option<Value> {
    let (whole, fraction) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    if fraction.is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit() || b == b'_')) {
        return None;
    }
    let parts: Vec<&str> = whole.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let head = parts[0].strip_prefix(['-', '+']).unwrap_or(parts[0]);
    if !head.starts_with(|c: char| c.is_ascii_digit())
        || !head.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return None;
    }
    let sixty = |p: &&str| {
        let b = p.as_bytes();
        match b {
            [d] => d.is_ascii_digit(),
            [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
            _ => false,
        }
    };
    if !parts[1..].iter().all(sixty) {
        return None;
    }
    let weight = |i: usize| 60_i64.pow(i.abs_diff(2) as u32);
    match fraction {
        None => {
            let mut total: i64 = 0;
            for (i, part) in parts.iter().enumerate() {
                total = total.checked_add(ruby_to_i(part)?.checked_mul(weight(i))?)?;
            }
            Some(Value::from(total))
        }
        Some(f) => {
            let last = parts.len() - 1;
            let total: f64 = parts
                .iter()
                .enumerate()
                .map(|(i, part)| {
                    let n = if i == last {
                        ruby_to_f(&format!("{part}.{f}"))
                    } else {
                        ruby_to_f(part)
                    };
                    n * weight(i) as f64
                })
                .sum();
            Some(Value::from(total))
        }
    }
}

/// Ruby's `String#to_i` on `[-+]?[0-9][0-9_]*`: digits, with single `_` between them.
fn ruby_to_i(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut n: i64 = 0;
    let mut last_was_digit = false;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => {
                n = n.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
                last_was_digit = true;
            }
            b'_' if last_was_digit => last_was_digit = false,
            _ => break,
        }
    }
    Some(if negative { -n } else { n })
}

/// Ruby's `String#to_f` on the parts of a base-60 number: underscores between digits dropped.
fn ruby_to_f(s: &str) -> f64 {
    s.replace('_', "").parse().unwrap_or(0.0)
}

/// Psych's `FLOAT`: `^[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?$` (a dot is needed; an
/// exponent needs its sign: `1e3` and `1.5e3` are strings).
fn is_float(s: &str) -> bool {
    let mut p = Scan(s.as_bytes());
    let _ = p.eat(b'+') || p.eat(b'-');
    if p.0.first().is_some_and(u8::is_ascii_digit) {
        while p
            .0
            .first()
            .is_some_and(|b| b.is_ascii_digit() || *b == b'_' || *b == b',')
        {
            p.0 = &p.0[1..];
        }
    }
    if !p.eat(b'.') {
        return false;
    }
    p.digits(0, usize::MAX);
    // An exponent needs its sign and a digit.
    let exponent = p.eat(b'e') || p.eat(b'E');
    if exponent && !((p.eat(b'+') || p.eat(b'-')) && p.digits(1, usize::MAX)) {
        return false;
    }
    p.0.is_empty()
}

/// `Float(s.gsub(/[,_]|\.([Ee]|$)/, '\1'))`.
fn float(s: &str) -> Option<f64> {
    let cleaned: String = s.chars().filter(|c| *c != ',' && *c != '_').collect();
    let cleaned = cleaned
        .replace(".e", "e")
        .replace(".E", "E")
        .trim_end_matches('.')
        .to_owned();
    cleaned.parse().ok()
}

/// Psych's `INTEGER`: binary `0b…`, octal `0…`, decimal (with `,` or `_` between digits) and
/// hexadecimal `0x…`, each signed.
fn is_integer(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let all = |rest: &str, ok: fn(u8) -> bool| {
        !rest.is_empty() && rest.bytes().all(|b| ok(b) || b == b'_' || b == b',')
    };
    if let Some(rest) = body.strip_prefix("0b") {
        return all(rest, |b| b == b'0' || b == b'1');
    }
    if let Some(rest) = body.strip_prefix("0x") {
        return all(rest, |b| b.is_ascii_hexdigit());
    }
    if body == "0" {
        return true;
    }
    if let Some(rest) = body.strip_prefix('0') {
        return all(rest, |b| (b'0'..=b'7').contains(&b));
    }
    // `[1-9](?:[0-9]|,[0-9]|_[0-9])*`
    let b = body.as_bytes();
    if !b.first().is_some_and(|c| (b'1'..=b'9').contains(c)) {
        return false;
    }
    let mut i = 1;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            i += 1;
        } else if (b[i] == b',' || b[i] == b'_') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 2;
        } else {
            return false;
        }
    }
    true
}

/// Ruby's `Integer(s.gsub(/[,_]/, ''))`: a leading `0` is octal, `0b` binary, `0x` hex.
fn integer(s: &str) -> Option<Value> {
    let cleaned: String = s.chars().filter(|c| *c != ',' && *c != '_').collect();
    let (negative, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        _ => (false, cleaned.as_str()),
    };
    let (digits, radix) = if let Some(d) = body.strip_prefix("0b") {
        (d, 2)
    } else if let Some(d) = body.strip_prefix("0x") {
        (d, 16)
    } else if body.len() > 1 && body.starts_with('0') {
        (&body[1..], 8)
    } else {
        (body, 10)
    };
    let n = i128::from_str_radix(digits, radix).ok()?;
    let n = if negative { -n } else { n };
    if let Ok(i) = i64::try_from(n) {
        Some(Value::Number(Number::from(i)))
    } else {
        u64::try_from(n)
            .ok()
            .map(|u| Value::Number(Number::from(u)))
    }
}

/// A cursor over ASCII text for the patterns above.
struct Scan<'a>(&'a [u8]);

impl Scan<'_> {
    fn eat(&mut self, b: u8) -> bool {
        if self.0.first() == Some(&b) {
            self.0 = &self.0[1..];
            true
        } else {
            false
        }
    }

    /// Eats `min..=max` digits; false (and eats nothing) when there are fewer than `min`.
    fn digits(&mut self, min: usize, max: usize) -> bool {
        let n = self
            .0
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if n < min {
            return false;
        }
        self.0 = &self.0[n..];
        true
    }
}
#[cfg(test)]
mod tests;
