//! A post's front matter read as Jekyll reads it (see `yaml`) and changed by targeted edits of
//! its text, so that a changed field changes only its own lines: comments, key order, blank
//! lines, quoting, flow or block lists and spacing of everything else stay byte for byte. Every
//! edit is read back and checked against the value it was meant to give before it is returned;
//! a front matter that gives a key twice is not edited.
//! Not for: splitting a post (see `post`) or saving files (see `document`).

mod emit;
mod scan;
mod schema;

pub use serde_yaml::{Mapping, Value};

pub use schema::{schema, FieldKind, FieldSchema, FrontMatterSchema};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::post::{FrontMatterError, Post};
use crate::site::Site;
use crate::yaml;
use crate::yaml::DuplicateKey;
use scan::{Entry, Line, Quote, Written};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FmError {
    #[error(transparent)]
    Invalid(#[from] FrontMatterError),
    #[error(
        "the front matter starting on line 1 has no closing `---` line; add one after the last key"
    )]
    Unclosed,
    #[error("`{0}` is not a key: use names like `title` or `header.teaser`")]
    BadKey(String),
    #[error("`{key}` holds {found}, not a list: set it with `fm set` instead")]
    NotAList { key: String, found: &'static str },
    #[error("`{key}` is inside `{parent}`, which is {found}, not a mapping")]
    ParentNotAMapping {
        key: String,
        parent: String,
        found: &'static str,
    },
    #[error("`{0}` could not be written so that it reads back as the value given; the text is unchanged")]
    CannotWrite(String),
    #[error("`{text}` is not a YAML value: {message}")]
    BadValue { text: String, message: String },
}

impl FmError {
    /// The file line and column the error is at (line 1 when it is about the whole block).
    pub fn position(&self) -> (usize, usize) {
        match self {
            FmError::Invalid(FrontMatterError::Yaml { line, column, .. }) => (*line, *column),
            FmError::Invalid(FrontMatterError::NotAMapping { .. }) => (2, 1),
            _ => (1, 1),
        }
    }
}

/// A dotted key (`header.teaser`) as its parts.
pub fn key_path(key: &str) -> Result<Vec<String>, FmError> {
    let parts: Vec<String> = key.split('.').map(str::to_owned).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.trim() != p || p.contains(['\n', ':', '#']))
    {
        return Err(FmError::BadKey(key.to_owned()));
    }
    Ok(parts)
}

/// A value typed as YAML (`true`, `2023-03-22`, `[a, b]`, `"text"`), read as Jekyll reads it
/// (`yes` is true).
pub fn parse_value(text: &str) -> Result<Value, FmError> {
    yaml::load(text)
        .map(|loaded| loaded.value)
        .map_err(|e| FmError::BadValue {
            text: text.to_owned(),
            message: e.to_string(),
        })
}

/// One change to one key, as the front-matter form asks for it.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(tag = "op", rename_all = "camelCase")]
#[ts(export)]
pub enum FrontMatterChange {
    Set {
        #[ts(type = "unknown")]
        value: Value,
    },
    /// The value typed as YAML text (the form's generic field).
    SetYaml {
        yaml: String,
    },
    Unset,
    Add {
        #[ts(type = "unknown")]
        item: Value,
    },
}

/// `text` with `change` made to `key`.
pub fn apply(text: &str, key: &str, change: FrontMatterChange) -> Result<String, FmError> {
    match change {
        FrontMatterChange::Set { value } => set(text, key, value),
        FrontMatterChange::SetYaml { yaml } => set(text, key, parse_value(&yaml)?),
        FrontMatterChange::Unset => unset(text, key),
        FrontMatterChange::Add { item } => add(text, key, item),
    }
}

/// What the form shows of a post's front matter.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FrontMatterView {
    /// The post's own keys and values, in its order.
    #[ts(type = "Record<string, unknown>")]
    pub values: Mapping,
    /// What the post gets without setting it: `_config.yml` `defaults:` and the file name's date.
    #[ts(type = "Record<string, unknown>")]
    pub inherited: Mapping,
    /// Why the form cannot be used until the text is fixed.
    pub problem: Option<FrontMatterProblem>,
    /// The 1-based line on which the body starts: edits above it change the front matter.
    pub body_line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FrontMatterProblem {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The front matter of the post at `rel` whose current text is `text`, for the form.
pub fn view(site: &Site, rel: &str, text: &str) -> FrontMatterView {
    let post = Post::split(text);
    let own = read_with_duplicates(text);
    // The form edits, so it is read-only where an edit is refused (a key given twice).
    let to_edit = match &own {
        Ok((_, duplicates)) => crate::post::refuse_duplicates(duplicates).map_err(FmError::from),
        Err(_) => Ok(()),
    };
    let problem = own.as_ref().err().or(to_edit.as_ref().err()).map(|e| {
        let (line, column) = e.position();
        let message = match e {
            FmError::Invalid(FrontMatterError::Yaml { message, .. }) => message.clone(),
            other => other.to_string(),
        };
        FrontMatterProblem {
            line: line as u32,
            column: column as u32,
            message,
        }
    });
    let mut inherited = site.page_variables(rel, &Mapping::new());
    let values = own.map(|(map, _)| map).unwrap_or_default();
    inherited.retain(|k, _| !values.contains_key(k));
    FrontMatterView {
        values,
        inherited,
        problem,
        body_line: post.body_line as u32,
    }
}

/// A value as YAML text, as `postdesk fm get` prints it.
pub fn to_yaml(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// The front matter of `text` as a mapping (empty when there is none).
pub fn read(text: &str) -> Result<Mapping, FmError> {
    read_with_duplicates(text).map(|(map, _)| map)
}

/// As [`read`], with the keys the front matter gives twice (lines in the file).
pub fn read_with_duplicates(text: &str) -> Result<(Mapping, Vec<DuplicateKey>), FmError> {
    let post = split(text)?;
    Ok(post.front_matter_with_duplicates()?)
}

/// The value at `key` (dotted) in the front matter of `text`, if set.
pub fn get(text: &str, key: &str) -> Result<Option<Value>, FmError> {
    let map = read(text)?;
    let path = key_path(key)?;
    Ok(lookup(&map, &path).cloned())
}

/// The file line of the top-level `key` in the front matter of `text` (the last one when it
/// is given twice: that is the one Jekyll uses).
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    let front = Post::split(text).front_matter?;
    let lines = scan::lines(front);
    let entries = scan::entries(front, &lines, 0..lines.len(), 0);
    // The front matter starts on the file's line 2.
    entries
        .iter()
        .rev()
        .find(|e| e.key == key)
        .map(|e| e.lines.start + 2)
}

/// `text` with `key` set to `value`.
pub fn set(text: &str, key: &str, value: Value) -> Result<String, FmError> {
    edit(text, key, Op::Set(value))
}

/// `text` without `key` (unchanged when it is not set). Mappings left empty go too.
pub fn unset(text: &str, key: &str) -> Result<String, FmError> {
    edit(text, key, Op::Unset)
}

/// `text` with `item` appended to the list at `key` (a single value becomes a list).
pub fn add(text: &str, key: &str, item: Value) -> Result<String, FmError> {
    edit(text, key, Op::Add(item))
}

enum Op {
    Set(Value),
    Unset,
    Add(Value),
}

fn split(text: &str) -> Result<Post<'_>, FmError> {
    let post = Post::split(text);
    let opens = text.lines().next().is_some_and(|l| l.trim_end() == "---");
    if post.front_matter.is_none() && opens {
        return Err(FmError::Unclosed);
    }
    Ok(post)
}

fn edit(text: &str, key: &str, op: Op) -> Result<String, FmError> {
    let path = key_path(key)?;
    let post = split(text)?;
    let map = post.front_matter_to_edit()?;
    let value = match op {
        Op::Unset if lookup(&map, &path).is_none() => return Ok(text.to_owned()),
        Op::Unset => None,
        Op::Set(v) => Some(v),
        Op::Add(item) => Some(match lookup(&map, &path) {
            None | Some(Value::Null) => Value::Sequence(vec![item]),
            Some(Value::Sequence(items)) => {
                let mut items = items.clone();
                items.push(item);
                Value::Sequence(items)
            }
            Some(Value::Mapping(_)) => {
                return Err(FmError::NotAList {
                    key: key.to_owned(),
                    found: "a mapping",
                })
            }
            Some(single) => Value::Sequence(vec![single.clone(), item]),
        }),
    };
    let old = lookup(&map, &path);
    if old == value.as_ref() {
        return Ok(text.to_owned());
    }
    // A mapping set over a mapping is the change of each of its keys, so that unchanged keys
    // keep their lines.
    if let (Some(Value::Mapping(old)), Some(Value::Mapping(new))) = (old, &value) {
        let mut out = text.to_owned();
        for k in old.keys().filter(|k| !new.contains_key(*k)) {
            out = edit(&out, &child_key(key, k)?, Op::Unset)?;
        }
        for (k, v) in new {
            out = edit(&out, &child_key(key, k)?, Op::Set(v.clone()))?;
        }
        return Ok(out);
    }
    let expected = with_value(&map, &path, value)?;
    Ok(match post.front_matter {
        Some(fm) => {
            let start = fm.as_ptr() as usize - text.as_ptr() as usize;
            let new_fm = FrontMatterText::new(fm).edit(&path, &expected)?;
            format!("{}{new_fm}{}", &text[..start], &text[start + fm.len()..])
        }
        None => {
            let new_fm = FrontMatterText::new("").edit(&path, &expected)?;
            format!("---\n{new_fm}---\n{text}")
        }
    })
}

fn child_key(parent: &str, k: &Value) -> Result<String, FmError> {
    match k.as_str() {
        Some(k) if !k.contains('.') => Ok(format!("{parent}.{k}")),
        _ => Err(FmError::CannotWrite(parent.to_owned())),
    }
}

fn lookup<'a>(map: &'a Mapping, path: &[String]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let v = map.get(first.as_str())?;
    if rest.is_empty() {
        return Some(v);
    }
    match v {
        Value::Mapping(m) => lookup(m, rest),
        _ => None,
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// `map` with `path` set to `value` (or removed, with mappings left empty removed too).
fn with_value(map: &Mapping, path: &[String], value: Option<Value>) -> Result<Mapping, FmError> {
    let mut out = map.clone();
    let (first, rest) = path.split_first().expect("key paths are never empty");
    let key = Value::String(first.clone());
    if rest.is_empty() {
        match value {
            Some(v) => {
                out.insert(key, v);
            }
            None => {
                out.remove(&key);
            }
        }
        return Ok(out);
    }
    let child = match out.get(&key) {
        None | Some(Value::Null) => Mapping::new(),
        Some(Value::Mapping(m)) => m.clone(),
        Some(other) => {
            return Err(FmError::ParentNotAMapping {
                key: path.join("."),
                parent: first.clone(),
                found: kind_name(other),
            })
        }
    };
    let child = with_value(&child, rest, value)?;
    if child.is_empty() {
        out.remove(&key);
    } else {
        out.insert(key, Value::Mapping(child));
    }
    Ok(out)
}

/// Keys in the order minimal-mistakes documents them: a new key goes after the nearest one
/// before it in this order that the post has.
const KEY_ORDER: &[&str] = &[
    "layout",
    "title",
    "excerpt",
    "date",
    "last_modified_at",
    "categories",
    "category",
    "tags",
    "tag",
    "header",
    "toc",
    "toc_label",
    "toc_icon",
    "toc_sticky",
    "author_profile",
    "read_time",
    "comments",
    "share",
    "related",
    "search",
    "published",
    "permalink",
];

/// The front matter's text with its lines mapped, ready for one edit.
struct FrontMatterText<'a> {
    text: &'a str,
    lines: Vec<Line>,
    /// Lists of new values are written in flow style (`[a, b]`) unless the post writes block lists.
    prefer_flow: bool,
}

/// A replacement of `range` of the front matter text by `with`.
struct Splice {
    range: std::ops::Range<usize>,
    with: String,
}

impl<'a> FrontMatterText<'a> {
    fn new(text: &'a str) -> Self {
        let lines = scan::lines(text);
        let top = scan::entries(text, &lines, 0..lines.len(), 0);
        let block = top
            .iter()
            .any(|e| matches!(e.written, Written::BlockList { .. }));
        let flow = top
            .iter()
            .any(|e| matches!(e.written, Written::FlowList { .. }));
        FrontMatterText {
            text,
            lines,
            prefer_flow: flow || !block,
        }
    }

    fn edit(&self, path: &[String], expected: &Mapping) -> Result<String, FmError> {
        let key = path.join(".");
        let targeted = self.splice(path, expected, false);
        if let Some(out) = targeted.and_then(|s| self.checked(s, expected)) {
            return Ok(out);
        }
        // The targeted edit did not read back right (an unusual way of writing the value): write
        // the whole top-level entry again instead.
        self.splice(path, expected, true)
            .and_then(|s| self.checked(s, expected))
            .ok_or(FmError::CannotWrite(key))
    }

    fn checked(&self, splice: Splice, expected: &Mapping) -> Option<String> {
        let mut out = String::with_capacity(self.text.len() + splice.with.len());
        out.push_str(&self.text[..splice.range.start]);
        out.push_str(&splice.with);
        out.push_str(&self.text[splice.range.end..]);
        let back = match yaml::load(&out).ok()?.value {
            Value::Mapping(m) => m,
            Value::Null => Mapping::new(),
            _ => return None,
        };
        (back == *expected).then_some(out)
    }

    fn splice(&self, path: &[String], expected: &Mapping, whole: bool) -> Option<Splice> {
        let mut range = 0..self.lines.len();
        let mut indent = 0;
        let mut parents: Vec<Entry> = Vec::new();
        for (depth, key) in path.iter().enumerate() {
            let entries = scan::entries(self.text, &self.lines, range.clone(), indent);
            let here = &path[..=depth];
            let Some(entry) = entries.iter().find(|e| e.key == *key) else {
                // Not there: a new entry at this level holding the rest of the path.
                let v = lookup(expected, here)?;
                return Some(self.insert(&entries, range.end, indent, key, v, depth == 0));
            };
            if whole && depth == 0 && path.len() > 1 || depth + 1 == path.len() {
                let Some(v) = lookup(expected, here) else {
                    return Some(self.remove(entry, &parents, expected, path));
                };
                if whole {
                    return Some(self.rewrite(entry, v, indent));
                }
                return Some(self.replace(entry, v, indent));
            }
            match entry.written {
                Written::BlockMap { indent: child } => {
                    range = entry.lines.start + 1..entry.lines.end;
                    indent = child;
                    parents.push(entry.clone());
                }
                _ => return Some(self.rewrite(entry, lookup(expected, here)?, indent)),
            }
        }
        None
    }

    /// Removes `entry`; when it was the only key of its parent mapping, the parent goes too.
    fn remove(
        &self,
        entry: &Entry,
        parents: &[Entry],
        expected: &Mapping,
        path: &[String],
    ) -> Splice {
        for (depth, parent) in parents.iter().enumerate().rev() {
            if lookup(expected, &path[..=depth]).is_some() {
                break;
            }
            if depth == 0 || lookup(expected, &path[..depth]).is_some() {
                return self.remove_lines(parent);
            }
        }
        self.remove_lines(entry)
    }

    fn remove_lines(&self, entry: &Entry) -> Splice {
        let start = self.lines[entry.lines.start].start;
        let end = self.lines[entry.lines.end - 1].next;
        Splice {
            range: start..end,
            with: String::new(),
        }
    }

    /// Where a new key goes: after the nearest key before it in `KEY_ORDER` (top level), else
    /// after the last key of the mapping.
    fn insert(
        &self,
        entries: &[Entry],
        range_end: usize,
        indent: usize,
        key: &str,
        v: &Value,
        top: bool,
    ) -> Splice {
        let rank = |k: &str| KEY_ORDER.iter().position(|o| *o == k);
        let after = match (top, rank(key)) {
            (true, Some(r)) => entries
                .iter()
                .filter_map(|e| rank(&e.key).filter(|er| *er < r).map(|er| (er, e)))
                .max_by_key(|(er, _)| *er)
                .map(|(_, e)| e),
            _ => entries.last(),
        };
        let at = match (after, entries.first()) {
            (Some(e), _) => self.lines[e.lines.end - 1].next,
            // Ranked before every key the post has: first.
            (None, Some(first)) => self.lines[first.lines.start].start,
            (None, None) => self
                .lines
                .get(range_end)
                .map_or(self.text.len(), |l| l.start),
        };
        let mut with = format!(
            "{}{}:{}\n",
            " ".repeat(indent),
            emit::key(&Value::String(key.to_owned())),
            emit::block_value(v, indent + 2, self.prefer_flow)
        );
        // The front matter's last line may lack its `\n` only when it is the end of the file.
        if at == self.text.len() && !self.text.is_empty() && !self.text.ends_with('\n') {
            with.insert(0, '\n');
        }
        Splice {
            range: at..at,
            with,
        }
    }

    /// The smallest change that gives `entry` the value `v`, in the style it is written in.
    fn replace(&self, entry: &Entry, v: &Value, indent: usize) -> Splice {
        let text = self.text;
        let parse = |s: &str| yaml::load(s).ok().map(|loaded| loaded.value);
        match (&entry.written, v) {
            (Written::Scalar { range, quote }, v) if !is_collection(v) => Splice {
                range: range.clone(),
                with: emit::scalar(v, *quote, emit::Context::Block).unwrap_or_default(),
            },
            (Written::Empty, v) if !is_collection(v) => {
                let space = if text[..entry.value_start].ends_with(' ') {
                    ""
                } else {
                    " "
                };
                Splice {
                    range: entry.value_start..entry.value_start,
                    with: format!(
                        "{space}{}",
                        emit::scalar(v, Quote::Plain, emit::Context::Block).unwrap_or_default()
                    ),
                }
            }
            (Written::FlowList { range }, Value::Sequence(items)) => {
                let list = &text[range.clone()];
                let old: Vec<&str> = scan::flow_items(list)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| &list[r])
                    .collect();
                let sep = flow_separator(list, &old);
                let with = emit::flow_list(
                    items,
                    |item| {
                        reuse(&old, item, |t| {
                            parse(&format!("[{t}]"))
                                .and_then(|v| v.as_sequence().and_then(|s| s.first().cloned()))
                        })
                    },
                    &sep,
                );
                match with {
                    Some(with) => Splice {
                        range: range.clone(),
                        with,
                    },
                    None => self.rewrite(entry, v, indent),
                }
            }
            (Written::Scalar { range, .. }, Value::Sequence(items)) if self.prefer_flow => {
                let old = [&text[range.clone()]];
                let with = emit::flow_list(items, |item| reuse(&old, item, |t| parse(t)), ", ");
                match with {
                    Some(with) => Splice {
                        range: range.clone(),
                        with,
                    },
                    None => self.rewrite(entry, v, indent),
                }
            }
            (
                Written::BlockList {
                    items: old_items,
                    dash_indent,
                },
                Value::Sequence(items),
            ) => {
                let old: Vec<&str> = old_items.iter().map(|r| &text[r.clone()]).collect();
                let dedent = |t: &str| {
                    t.lines()
                        .map(|l| l.get(*dash_indent..).unwrap_or(""))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                let mut used = vec![false; old.len()];
                let mut with = String::new();
                for item in items {
                    let found = old.iter().enumerate().position(|(i, t)| {
                        !used[i]
                            && parse(&dedent(t))
                                .and_then(|v| v.as_sequence().and_then(|s| s.first().cloned()))
                                .as_ref()
                                == Some(item)
                    });
                    match found {
                        Some(i) => {
                            used[i] = true;
                            with.push_str(old[i]);
                            if !old[i].ends_with('\n') {
                                with.push('\n');
                            }
                        }
                        None => {
                            let one = emit::block_value(
                                &Value::Sequence(vec![item.clone()]),
                                *dash_indent,
                                false,
                            );
                            with.push_str(one.trim_start_matches('\n'));
                            with.push('\n');
                        }
                    }
                }
                let start = old_items[0].start;
                let end = old_items.last().map_or(start, |r| r.end);
                if with.is_empty() || !text[..end].ends_with('\n') {
                    return self.rewrite(entry, v, indent);
                }
                Splice {
                    range: start..end,
                    with,
                }
            }
            _ => self.rewrite(entry, v, indent),
        }
    }

    /// Writes `entry`'s value again from scratch (its key text and colon stay).
    fn rewrite(&self, entry: &Entry, v: &Value, indent: usize) -> Splice {
        let colon = self.text[..entry.value_start].trim_end_matches(' ').len();
        let end = self.lines[entry.lines.end - 1].end;
        Splice {
            range: colon..end,
            with: emit::block_value(v, indent + 2, self.prefer_flow),
        }
    }
}

fn is_collection(v: &Value) -> bool {
    matches!(v, Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_))
}

/// The text of an old item whose value is `item`, so that unchanged items keep their quoting.
fn reuse(old: &[&str], item: &Value, parse: impl Fn(&str) -> Option<Value>) -> Option<String> {
    old.iter()
        .find(|t| parse(t).as_ref() == Some(item))
        .map(|t| (*t).to_owned())
}

/// The separator between flow items as the list writes it (`, ` or `,`), `, ` when unknown.
fn flow_separator(list: &str, items: &[&str]) -> String {
    if let [a, b, ..] = items {
        let a_end = a.as_ptr() as usize - list.as_ptr() as usize + a.len();
        let b_start = b.as_ptr() as usize - list.as_ptr() as usize;
        return list[a_end..b_start].to_owned();
    }
    ", ".to_owned()
}

#[cfg(test)]
mod tests;
