//! Writing YAML values the way a person would type them in front matter: plain where that reads
//! back as the same value (in serde_yaml and in Jekyll's YAML 1.1), quoted otherwise, lists in
//! flow or block style.
//! Not for: deciding where in the text a value goes (see `edit`).

use serde_yaml::Value;

use crate::site::date_prefix;
use crate::yaml;

use super::scan::Quote;

/// Where a scalar is written: flow context forbids `,[]{}` in plain scalars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Block,
    Flow,
}

/// A scalar value as text, in `quote` style when that style can hold it.
pub fn scalar(value: &Value, quote: Quote, context: Context) -> Option<String> {
    Some(match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, quote, context),
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => return None,
    })
}

fn string(s: &str, quote: Quote, context: Context) -> String {
    match quote {
        Quote::Plain if plain_ok(s, context) => s.to_owned(),
        Quote::Single if !s.chars().any(char::is_control) => format!("'{}'", s.replace('\'', "''")),
        _ => double_quoted(s),
    }
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Words YAML 1.1 (Ruby's Psych, so Jekyll) reads as booleans or null, though YAML 1.2 does not.
const YAML11_SPECIAL: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
];

/// Whether `s` can be written without quotes and read back as the same string by both readers.
fn plain_ok(s: &str, context: Context) -> bool {
    if s.is_empty()
        || s != s.trim()
        || YAML11_SPECIAL.contains(&s)
        || s.chars().any(|c| c.is_control() || c == '\u{feff}')
        || (context == Context::Flow && s.contains([',', '[', ']', '{', '}']))
        // Numbers in any base or with `_`/`:` (YAML 1.1 sexagesimal) are not strings to Ruby.
        || s.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '+' || c == '-')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "._:+-".contains(c))
            && date_prefix(s).is_none()
    {
        return false;
    }
    let doc = match context {
        Context::Block => format!("k: {s}"),
        Context::Flow => format!("k: [{s}]"),
    };
    let expect = Value::String(s.to_owned());
    let reads_back = |back: Option<Value>| match (back, context) {
        (Some(Value::Mapping(m)), Context::Block) => m.get("k") == Some(&expect),
        (Some(Value::Mapping(m)), Context::Flow) => {
            m.get("k").and_then(Value::as_sequence).map(Vec::as_slice)
                == Some(std::slice::from_ref(&expect))
        }
        _ => false,
    };
    reads_back(serde_yaml::from_str::<Value>(&doc).ok())
        && reads_back(yaml::load(&doc).ok().map(|loaded| loaded.value))
}

/// A list of scalars as a one-line flow list, reusing `keep(item)` text where it gives one.
pub fn flow_list(
    items: &[Value],
    keep: impl Fn(&Value) -> Option<String>,
    sep: &str,
) -> Option<String> {
    let parts = items
        .iter()
        .map(|v| keep(v).or_else(|| scalar(v, Quote::Plain, Context::Flow)))
        .collect::<Option<Vec<_>>>()?;
    Some(format!("[{}]", parts.join(sep)))
}

/// A value written after `key:` in block style, as lines at `indent` (the text starts with a
/// space or a newline, so that it can follow the colon directly).
pub fn block_value(value: &Value, indent: usize, prefer_flow: bool) -> String {
    let pad = " ".repeat(indent);
    match value {
        Value::Sequence(items) if items.is_empty() => " []".to_owned(),
        Value::Mapping(m) if m.is_empty() => " {}".to_owned(),
        Value::Sequence(items) => {
            if prefer_flow {
                if let Some(flow) = flow_list(items, |_| None, ", ") {
                    return format!(" {flow}");
                }
            }
            let mut out = String::new();
            for item in items {
                out.push('\n');
                out.push_str(&pad);
                out.push('-');
                match item {
                    Value::Mapping(m) if !m.is_empty() => {
                        let inner = block_value(item, indent + 2, prefer_flow);
                        // `- key: value` puts the first key on the dash line.
                        out.push(' ');
                        out.push_str(inner.trim_start_matches('\n').trim_start());
                    }
                    _ => out.push_str(&block_value(item, indent + 2, prefer_flow)),
                }
            }
            out
        }
        Value::Mapping(m) => {
            let mut out = String::new();
            for (k, v) in m {
                out.push('\n');
                out.push_str(&pad);
                out.push_str(&key(k));
                out.push(':');
                out.push_str(&block_value(v, indent + 2, prefer_flow));
            }
            out
        }
        Value::Tagged(t) => block_value(&t.value, indent, prefer_flow),
        scalar_value => {
            let text = scalar(scalar_value, Quote::Plain, Context::Block).unwrap_or_default();
            format!(" {text}")
        }
    }
}

/// A mapping key as text.
pub fn key(k: &Value) -> String {
    scalar(k, Quote::Plain, Context::Block).unwrap_or_else(|| "?".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.to_owned())
    }

    #[test]
    fn plain_only_when_both_readers_agree() {
        let plain = |v: &str| scalar(&s(v), Quote::Plain, Context::Block).unwrap();
        assert_eq!(plain("single"), "single");
        assert_eq!(plain("목차"), "목차");
        assert_eq!(plain("2023-03-22"), "2023-03-22");
        assert_eq!(plain("yes"), "\"yes\"");
        assert_eq!(plain("123"), "\"123\"");
        assert_eq!(plain("1:20"), "\"1:20\"");
        assert_eq!(plain("a: b"), "\"a: b\"");
        assert_eq!(plain("a #b"), "\"a #b\"");
        assert_eq!(plain("[x]"), "\"[x]\"");
        assert_eq!(plain(" x"), "\" x\"");
        assert_eq!(plain("two\nlines"), "\"two\\nlines\"");
        assert_eq!(
            scalar(&s("a, b"), Quote::Plain, Context::Flow).unwrap(),
            "\"a, b\""
        );
        assert_eq!(
            scalar(&s("it's"), Quote::Single, Context::Block).unwrap(),
            "'it''s'"
        );
        assert_eq!(
            scalar(&s("say \"hi\""), Quote::Double, Context::Block).unwrap(),
            "\"say \\\"hi\\\"\""
        );
    }

    #[test]
    fn block_values_read_back() {
        let v: Value = serde_yaml::from_str("{a: [1, x], b: {c: d}, e: [{f: g, h: i}]}").unwrap();
        let text = format!("k:{}\n", block_value(&v, 2, false));
        let back: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back.get("k"), Some(&v), "{text}");
        let flow = format!("k:{}\n", block_value(&v, 2, true));
        assert!(flow.contains("a: [1, x]"), "{flow}");
    }
}
