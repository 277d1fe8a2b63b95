//! Jekyll's Liquid, run on a post's body before markdown as Jekyll does: `site` and `page`
//! variables, Jekyll's filters (`relative_url`, `absolute_url`, `markdownify`, `jsonify`,
//! `date_to_string`, `slugify`, …) and tags (`include` from `_includes/`, `highlight`,
//! `post_url`, `link`). Not for: markdown (see `kramdown`).

use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, LazyLock, Mutex};

use liquid_core::model::{
    ArrayView, DateTime, DisplayCow, KString, KStringCow, ObjectView, ScalarCow, State,
};
use liquid_core::partials::{OnDemandCompiler, PartialSource};
use liquid_core::{
    BlockReflection, Display_filter, Filter, FilterReflection, Language, ParseBlock, ParseFilter,
    ParseTag, Renderable, Result, Runtime, TagBlock, TagReflection, TagTokenIter, Value, ValueView,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_yaml::{Mapping, Value as YamlValue};

use super::{find_mark, Converter, Diagnostic};
use crate::site::Site;

/// Evaluates Liquid in the body, before markdown, as Jekyll does. On an error the body is used
/// as written and the error becomes a diagnostic.
pub(super) fn render_liquid<'b>(
    site: &Site,
    page: &Mapping,
    body: &'b str,
    body_line: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Cow<'b, str> {
    if next_tag(body) == body.len() {
        return Cow::Borrowed(body);
    }
    if let Some(filled) = plain_outputs(site, page, body) {
        return Cow::Owned(filled);
    }
    render_template(site, page, body, body_line, diagnostics)
}

/// [`render_liquid`] by the liquid crate: the body parsed as a template and rendered.
fn render_template<'b>(
    site: &Site,
    page: &Mapping,
    body: &'b str,
    body_line: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Cow<'b, str> {
    let globals = globals(site, page);
    let parser = match cached_parser(site) {
        Ok(p) => p,
        Err(e) => return liquid_failed(body, body_line, e, diagnostics),
    };
    // Jekyll parses Liquid in "warn" mode: an output tag it cannot parse renders as nothing and
    // the rest of the post still renders. The liquid crate is strict, so such tags are blanked
    // one by one (with a diagnostic each) until the template parses.
    let (mut source, runs) = skeleton(&quote_path_arguments(body));
    for _ in 0..MAX_LAX_REPAIRS {
        match parser.parse(&source) {
            Ok(template) => {
                return match template.render(&globals) {
                    Ok(out) => Cow::Owned(fill(&out, &runs)),
                    Err(e) => liquid_failed(body, body_line, e, diagnostics),
                };
            }
            Err(e) => {
                let Some(range) = error_position(&e.to_string())
                    .and_then(|(line, column)| output_tag_at(&source, line, column))
                else {
                    return liquid_failed(body, body_line, e, diagnostics);
                };
                let line = original_line(&source, range.start, &runs) + body_line;
                diagnostics.push(Diagnostic {
                    line: line as u32,
                    message: format!(
                        "Liquid: `{}` is not valid Liquid; Jekyll renders it as nothing",
                        &source[range.clone()]
                    ),
                });
                source.replace_range(range, "");
            }
        }
    }
    Cow::Borrowed(body)
}

const MAX_LAX_REPAIRS: usize = 32;

/// `site` and `page` as Liquid sees them.
fn globals(site: &Site, page: &Mapping) -> Lenient {
    let mut site_data = Lenient::from_yaml(&YamlValue::Mapping(site.config.clone()));
    if let Lenient::Object(map) = &mut site_data {
        map.entry(KString::from_static("time"))
            .or_insert_with(|| Lenient::Scalar(Value::scalar(DateTime::now())));
    }
    let mut page_data = Lenient::from_yaml(&YamlValue::Mapping(page.clone()));
    if let Lenient::Object(map) = &mut page_data {
        // Jekyll hands `page.date` over as a time, so that `date` filters work on it.
        if let Some(Lenient::Scalar(date)) = map.get_mut("date") {
            if let Some(time) = jekyll_date(&date.to_kstr()) {
                *date = Value::scalar(time);
            }
        }
    }
    let mut globals = BTreeMap::new();
    globals.insert(KString::from_static("site"), site_data);
    globals.insert(KString::from_static("page"), page_data);
    Lenient::Root(globals)
}

/// A site file's Liquid (`assets/css/main.scss` without its front matter), with `site` and an
/// empty `page`; the liquid crate's error as text when it does not render.
pub(crate) fn render_site_file(site: &Site, text: &str) -> std::result::Result<String, String> {
    let globals = globals(site, &Mapping::new());
    let parser = cached_parser(site).map_err(|e| e.to_string())?;
    let template = parser.parse(text).map_err(|e| e.to_string())?;
    template.render(&globals).map_err(|e| e.to_string())
}

/// The body filled in without a template when its only Liquid is outputs of plain variables
/// naming text, a number or a boolean (`{{ site.url }}` in image links: most posts' only
/// Liquid), with the very text the liquid crate prints for them; `None` for anything else
/// (tags, filters, other values), which [`render_template`] renders. Parsing a template is
/// most of the Liquid a keystroke costs.
fn plain_outputs(site: &Site, page: &Mapping, body: &str) -> Option<String> {
    if find_pair(body, b"{%").is_some() {
        return None;
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = find_pair(rest, b"{{") {
        let close = open + find_pair(&rest[open..], b"}}")?;
        // The liquid crate's blanks there (a tab is none: it does not parse).
        let path = rest[open + 2..close].trim_matches([' ', '\n', '\r']);
        out.push_str(&rest[..open]);
        out.push_str(&plain_variable(site, page, path)?);
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// Where the two bytes `pair` first occur in `text`. `str::find` walks Korean text slowly, and
/// a `memmem` searcher costs more to set up than a search for two bytes that are rare in posts.
fn find_pair(text: &str, pair: &[u8; 2]) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(pair[0], bytes).find(|&at| bytes.get(at + 1) == Some(&pair[1]))
}

/// What `{{ path }}` prints for a path of names (`site.url`), when that is plain text; `None`
/// when the path is more than names or names something else.
fn plain_variable(site: &Site, page: &Mapping, path: &str) -> Option<String> {
    let mut names = path.split('.');
    let first = names.next()?;
    let mut value = match first {
        "site" => &site.config,
        "page" => page,
        // The top level claims every name: an unknown one prints nothing. The liquid crate
        // reads a name that starts with a literal's word as that literal (`{{ true }}` prints
        // `true`; `{{ nilly }}` does not parse).
        _ if is_name(first) && !LITERAL_WORDS.iter().any(|w| first.starts_with(w)) => {
            return names.all(is_name).then(String::new)
        }
        _ => return None,
    };
    let mut scalar = None;
    for name in names {
        // `page.date` is a time to Liquid, `site.time` the render's.
        if !is_name(name)
            || scalar.is_some()
            || matches!((first, name), ("page", "date") | ("site", "time"))
        {
            return None;
        }
        match value.get(name) {
            Some(YamlValue::Mapping(map)) => value = map,
            Some(YamlValue::Tagged(tagged)) => match &tagged.value {
                YamlValue::Mapping(map) => value = map,
                other => scalar = Some(other),
            },
            Some(other) => scalar = Some(other),
            // A key that is not text may print as this name; `size` is Liquid's own.
            None if name == "size" || value.keys().any(|k| !k.is_string()) => return None,
            None => scalar = Some(&YamlValue::Null),
        }
    }
    match Lenient::from_yaml(scalar?) {
        Lenient::Nil => Some(String::new()),
        Lenient::Scalar(v) => Some(v.render().to_string()),
        _ => None,
    }
}

/// The words of Liquid's literals (`nil`, `true`, …) in the liquid crate's grammar.
const LITERAL_WORDS: [&str; 6] = ["nil", "null", "empty", "blank", "true", "false"];

/// A Liquid variable name as the fast path takes it (`[A-Za-z_][A-Za-z0-9_]*`).
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Marks a run of plain text taken out of the template (see [`skeleton`]).
const RUN_START: char = '\u{E000}';
const RUN_END: char = '\u{E001}';
/// Shorter runs are not worth taking out.
const MIN_RUN: usize = 64;

/// The body with its long runs of plain text (outside tags, `capture` and `highlight`) replaced
/// by short tokens, and those runs. The liquid crate parses a 200 KB post in tens of
/// milliseconds; its skeleton in well under one. White space at the edges of a run stays, so
/// `{%-`/`-%}` trim as they would.
fn skeleton(body: &str) -> (String, Vec<String>) {
    if find_mark(body, RUN_START).is_some() {
        return (body.to_owned(), Vec::new());
    }
    let mut out = String::with_capacity(body.len() / 4);
    let mut runs = Vec::new();
    let mut protected = 0usize;
    let mut rest = body;
    loop {
        let next = next_tag(rest);
        let text = &rest[..next];
        if protected == 0 && text.len() >= MIN_RUN {
            let middle = text.trim();
            let lead = &text[..text.len() - text.trim_start().len()];
            let trail = &text[lead.len() + middle.len()..];
            out.push_str(lead);
            out.push(RUN_START);
            out.push_str(&runs.len().to_string());
            out.push(RUN_END);
            out.push_str(trail);
            runs.push(middle.to_owned());
        } else {
            out.push_str(text);
        }
        if next == rest.len() {
            break;
        }
        let tag = &rest[next..];
        let close = if tag.starts_with("{{") { "}}" } else { "%}" };
        let Some(end) = tag.find(close) else {
            out.push_str(tag);
            break;
        };
        let tag_text = &tag[..end + 2];
        let name = tag_text[2..]
            .trim_start_matches('-')
            .split_whitespace()
            .next()
            .unwrap_or("");
        out.push_str(tag_text);
        rest = &tag[end + 2..];
        match name {
            "capture" | "highlight" => protected += 1,
            "endcapture" | "endhighlight" => protected = protected.saturating_sub(1),
            "raw" => {
                // Raw content is never Liquid: keep it whole, up to its end tag.
                let end_raw = rest.find("{% endraw").or_else(|| rest.find("{%- endraw"));
                let content_end = end_raw.unwrap_or(rest.len());
                out.push_str(&rest[..content_end]);
                rest = &rest[content_end..];
            }
            _ => {}
        }
    }
    (out, runs)
}

/// Where the next `{{` or `{%` starts in `text` (its length when there is none), in one pass.
fn next_tag(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find('{') {
        let at = from + i;
        if matches!(bytes.get(at + 1), Some(b'{' | b'%')) {
            return at;
        }
        from = at + 1;
    }
    text.len()
}

/// Puts the runs taken out by [`skeleton`] back into rendered output.
fn fill(rendered: &str, runs: &[String]) -> String {
    if runs.is_empty() {
        return rendered.to_owned();
    }
    let mut out =
        String::with_capacity(rendered.len() + runs.iter().map(String::len).sum::<usize>());
    let mut rest = rendered;
    while let Some(start) = find_mark(rest, RUN_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + RUN_START.len_utf8()..];
        let Some(end) = find_mark(after, RUN_END) else {
            break;
        };
        match after[..end].parse::<usize>().ok().and_then(|i| runs.get(i)) {
            Some(run) => out.push_str(run),
            None => {
                out.push_str(&rest[start..start + RUN_START.len_utf8() + end + RUN_END.len_utf8()])
            }
        }
        rest = &after[end + RUN_END.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The 0-based line in the original body of a byte offset in the skeleton.
fn original_line(skeleton: &str, offset: usize, runs: &[String]) -> usize {
    let before = &skeleton[..offset.min(skeleton.len())];
    let mut lines = before.matches('\n').count();
    let mut rest = before;
    while let Some(start) = find_mark(rest, RUN_START) {
        let after = &rest[start + RUN_START.len_utf8()..];
        let Some(end) = find_mark(after, RUN_END) else {
            break;
        };
        if let Some(run) = after[..end].parse::<usize>().ok().and_then(|i| runs.get(i)) {
            lines += run.matches('\n').count();
        }
        rest = &after[end..];
    }
    lines
}

fn liquid_failed<'b>(
    body: &'b str,
    body_line: usize,
    error: liquid_core::Error,
    diagnostics: &mut Vec<Diagnostic>,
) -> Cow<'b, str> {
    let line = error_position(&error.to_string()).map_or(body_line, |(l, _)| l + body_line - 1);
    diagnostics.push(Diagnostic {
        line: line as u32,
        message: format!("Liquid: {error}"),
    });
    Cow::Borrowed(body)
}

/// `--> 31:70` in a liquid error: the 1-based line and column in the template.
fn error_position(message: &str) -> Option<(usize, usize)> {
    let at = message.find("--> ")? + 4;
    let end = message[at..].find(|c: char| !(c.is_ascii_digit() || c == ':'))? + at;
    let (line, column) = message[at..end].split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// The `{{ … }}` that contains the given 1-based line and column (counted in characters).
fn output_tag_at(source: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let line_start = source
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum::<usize>();
    let line_text = source[line_start..].split('\n').next()?;
    let offset = line_start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
    let open = source
        .match_indices("{{")
        .map(|(i, _)| i)
        .take_while(|i| *i <= offset)
        .last()?;
    let close = source[open..].find("}}")? + open + 2;
    (close > offset && !source[open..offset].contains("}}")).then_some(open..close)
}

/// `{% post_url 2010-07-21-name %}` and `{% link _pages/about.md %}` take a bare path, which the
/// liquid crate's tag grammar cannot read: quote it.
fn quote_path_arguments(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = find_pair(rest, b"{%") {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        let Some(end) = find_pair(tag, b"%}") else {
            out.push_str(tag);
            return out;
        };
        let inner = tag[2..end].trim_matches('-').trim();
        let quoted = ["post_url", "link"].iter().find_map(|name| {
            let argument = inner.strip_prefix(name)?.trim();
            (inner.len() > name.len()
                && inner.as_bytes()[name.len()].is_ascii_whitespace()
                && !argument.starts_with(['"', '\'']))
            .then(|| format!("{{% {name} \"{argument}\" %}}"))
        });
        match quoted {
            Some(q) => out.push_str(&q),
            None => out.push_str(&tag[..end + 2]),
        }
        rest = &tag[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Site and page data as Jekyll's Liquid sees them: an unknown variable or key is nil and
/// renders empty (the liquid crate alone stops the whole template with an error).
#[derive(Debug)]
enum Lenient {
    Nil,
    Scalar(Value),
    Array(Vec<Lenient>),
    Object(BTreeMap<KString, Lenient>),
    /// The top level (`site`, `page`): it claims every name, so an unknown one is nil.
    Root(BTreeMap<KString, Lenient>),
}

static MISSING: Lenient = Lenient::Nil;
static NO_ENTRIES: BTreeMap<KString, Lenient> = BTreeMap::new();

impl Lenient {
    fn from_yaml(value: &YamlValue) -> Lenient {
        match value {
            YamlValue::Null => Lenient::Nil,
            YamlValue::Bool(b) => Lenient::Scalar(Value::scalar(*b)),
            YamlValue::Number(n) => Lenient::Scalar(match n.as_i64() {
                Some(i) => Value::scalar(i),
                None => Value::scalar(n.as_f64().unwrap_or_default()),
            }),
            YamlValue::String(s) => Lenient::Scalar(Value::scalar(s.clone())),
            YamlValue::Sequence(items) => {
                Lenient::Array(items.iter().map(Lenient::from_yaml).collect())
            }
            YamlValue::Mapping(map) => Lenient::Object(
                map.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            YamlValue::String(s) => s.clone(),
                            other => serde_yaml::to_string(other)
                                .unwrap_or_default()
                                .trim()
                                .to_owned(),
                        };
                        (KString::from_string(key), Lenient::from_yaml(v))
                    })
                    .collect(),
            ),
            YamlValue::Tagged(tagged) => Lenient::from_yaml(&tagged.value),
        }
    }

    fn items(&self) -> &[Lenient] {
        match self {
            Lenient::Array(items) => items,
            _ => &[],
        }
    }

    fn entries(&self) -> &BTreeMap<KString, Lenient> {
        match self {
            Lenient::Object(map) | Lenient::Root(map) => map,
            _ => &NO_ENTRIES,
        }
    }
}

impl ValueView for Lenient {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }

    fn render(&self) -> DisplayCow<'_> {
        match self {
            Lenient::Nil => DisplayCow::Borrowed(&""),
            Lenient::Scalar(v) => v.render(),
            _ => DisplayCow::Owned(Box::new(self.to_value().render().to_string())),
        }
    }

    fn source(&self) -> DisplayCow<'_> {
        match self {
            Lenient::Nil => DisplayCow::Borrowed(&"nil"),
            Lenient::Scalar(v) => v.source(),
            _ => DisplayCow::Owned(Box::new(self.to_value().source().to_string())),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Lenient::Nil => "nil",
            Lenient::Scalar(v) => v.type_name(),
            Lenient::Array(_) => "array",
            Lenient::Object(_) | Lenient::Root(_) => "object",
        }
    }

    fn query_state(&self, state: State) -> bool {
        match self {
            Lenient::Nil => !matches!(state, State::Truthy),
            Lenient::Scalar(v) => v.query_state(state),
            Lenient::Array(a) => matches!(state, State::Truthy) != a.is_empty(),
            Lenient::Object(o) | Lenient::Root(o) => matches!(state, State::Truthy) != o.is_empty(),
        }
    }

    fn to_kstr(&self) -> KStringCow<'_> {
        match self {
            Lenient::Scalar(v) => v.to_kstr(),
            _ => KStringCow::from_string(self.render().to_string()),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Lenient::Nil => Value::Nil,
            Lenient::Scalar(v) => v.clone(),
            Lenient::Array(items) => Value::Array(items.iter().map(ValueView::to_value).collect()),
            Lenient::Object(map) | Lenient::Root(map) => {
                let mut object = liquid::Object::new();
                for (k, v) in map {
                    object.insert(k.clone(), v.to_value());
                }
                Value::Object(object)
            }
        }
    }

    fn as_scalar(&self) -> Option<ScalarCow<'_>> {
        match self {
            Lenient::Scalar(v) => v.as_scalar(),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&dyn ArrayView> {
        matches!(self, Lenient::Array(_)).then_some(self as &dyn ArrayView)
    }

    fn as_object(&self) -> Option<&dyn ObjectView> {
        matches!(self, Lenient::Object(_) | Lenient::Root(_) | Lenient::Nil)
            .then_some(self as &dyn ObjectView)
    }

    fn is_nil(&self) -> bool {
        matches!(self, Lenient::Nil)
    }
}

impl ArrayView for Lenient {
    fn as_value(&self) -> &dyn ValueView {
        self
    }

    fn size(&self) -> i64 {
        self.items().len() as i64
    }

    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.items().iter().map(|v| v as &dyn ValueView))
    }

    fn contains_key(&self, index: i64) -> bool {
        ArrayView::get(self, index).is_some()
    }

    fn get(&self, index: i64) -> Option<&dyn ValueView> {
        let items = self.items();
        let index = if index < 0 {
            items.len() as i64 + index
        } else {
            index
        };
        usize::try_from(index)
            .ok()
            .and_then(|i| items.get(i))
            .map(|v| v as &dyn ValueView)
    }
}

impl ObjectView for Lenient {
    fn as_value(&self) -> &dyn ValueView {
        self
    }

    fn size(&self) -> i64 {
        self.entries().len() as i64
    }

    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(
            self.entries()
                .keys()
                .map(|k| KStringCow::from_ref(k.as_str())),
        )
    }

    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.entries().values().map(|v| v as &dyn ValueView))
    }

    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(
            self.entries()
                .iter()
                .map(|(k, v)| (KStringCow::from_ref(k.as_str()), v as &dyn ValueView)),
        )
    }

    fn contains_key(&self, index: &str) -> bool {
        matches!(self, Lenient::Root(_)) || self.entries().contains_key(index)
    }

    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        match self.entries().get(index) {
            Some(v) => Some(v),
            // `size` falls through to Liquid's own, as for any object.
            None if index == "size" => None,
            None => Some(&MISSING),
        }
    }
}

/// A front matter date (`2023-03-22`, `2023-03-22 10:00`, `2023-03-22 10:00:00 +0900`) as a
/// Liquid time.
fn jekyll_date(text: &str) -> Option<DateTime> {
    // `DateTime::from_str` builds a regex on every call (a tenth of a short post's render):
    // a page's date is parsed once, not on every keystroke.
    static PARSED: LazyLock<Mutex<HashMap<String, Option<DateTime>>>> =
        LazyLock::new(Default::default);
    let mut parsed = PARSED.lock().unwrap_or_else(|e| e.into_inner());
    if parsed.len() >= 64 {
        parsed.clear();
    }
    *parsed
        .entry(text.to_owned())
        .or_insert_with(|| parse_jekyll_date(text))
}

fn parse_jekyll_date(text: &str) -> Option<DateTime> {
    let text = text.trim();
    let (date, rest) = text.split_at(text.len().min(10));
    let time = match rest.trim() {
        "" => "00:00:00".to_owned(),
        t if t.len() == 5 && t.as_bytes()[2] == b':' => format!("{t}:00"),
        t => t.to_owned(),
    };
    DateTime::from_str(&format!("{date} {time}"))
}

/// Building a parser registers every tag and filter: done once per site folder (and again when
/// its converter changes, which `markdownify` uses), not per keystroke. Includes are still read
/// from disk on every render.
fn cached_parser(site: &Site) -> Result<Arc<liquid::Parser>> {
    type Cached = (Converter, Arc<liquid::Parser>);
    static PARSERS: LazyLock<Mutex<HashMap<PathBuf, Cached>>> = LazyLock::new(Default::default);
    let mut parsers = PARSERS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((converter, parser)) = parsers.get(&site.root) {
        if *converter == site.converter {
            return Ok(parser.clone());
        }
    }
    let parser = Arc::new(parser(site)?);
    parsers.insert(site.root.clone(), (site.converter.clone(), parser.clone()));
    Ok(parser)
}

fn parser(site: &Site) -> Result<liquid::Parser> {
    use liquid_lib::jekyll;
    liquid::ParserBuilder::with_stdlib()
        .filter(jekyll::Slugify)
        .filter(jekyll::Push)
        .filter(jekyll::Pop)
        .filter(jekyll::Shift)
        .filter(jekyll::Unshift)
        .filter(jekyll::ArrayToSentenceString)
        .filter(RelativeUrl)
        .filter(AbsoluteUrl)
        .filter(Jsonify)
        .filter(Markdownify {
            converter: site.converter.clone(),
        })
        .filter(DateToString)
        .filter(XmlEscape)
        .tag(jekyll::IncludeTag)
        .tag(POST_URL_TAG)
        .tag(LINK_TAG)
        .block(HighlightBlock)
        .partials(OnDemandCompiler::new(Includes {
            dir: site.root.join("_includes"),
        }))
        .build()
}

/// `_includes/` of the site. An include that is not there renders as a comment, as the
/// reference renderer stubs it, instead of failing the whole post.
#[derive(Debug)]
struct Includes {
    dir: PathBuf,
}

impl PartialSource for Includes {
    fn contains(&self, _name: &str) -> bool {
        true
    }

    fn names(&self) -> Vec<&str> {
        Vec::new()
    }

    fn try_get<'a>(&'a self, name: &str) -> Option<Cow<'a, str>> {
        let inside = !name.split(['/', '\\']).any(|p| p == "..");
        let text = inside
            .then(|| std::fs::read_to_string(self.dir.join(name)).ok())
            .flatten();
        Some(Cow::Owned(text.unwrap_or_else(|| {
            format!("<!-- include {} -->", name.replace("--", "- -"))
        })))
    }
}

fn site_setting(runtime: &dyn Runtime, key: &str) -> String {
    let path = [ScalarCow::new("site"), ScalarCow::new(key.to_owned())];
    runtime
        .try_get(&path)
        .map(|v| v.to_kstr().to_string())
        .unwrap_or_default()
}

const URL_UNSAFE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'^');

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Jekyll's `relative_url`: the site's `baseurl` in front, a leading `/`, URL-encoded.
pub(super) fn relative_url(input: &str, baseurl: &str) -> String {
    if has_scheme(input) {
        return input.to_owned();
    }
    let base = baseurl.trim_end_matches('/');
    let base = if base.is_empty() || base.starts_with('/') {
        base.to_owned()
    } else {
        format!("/{base}")
    };
    // Jekyll's ensure_leading_slash leaves an empty string empty.
    let path = if input.is_empty() || input.starts_with('/') {
        input.to_owned()
    } else {
        format!("/{input}")
    };
    utf8_percent_encode(&format!("{base}{path}"), URL_UNSAFE).to_string()
}

macro_rules! jekyll_filter {
    ($name:literal, $parse:ident, $run:ident, $doc:literal, |$input:ident, $runtime:ident| $body:expr) => {
        #[derive(Clone, ParseFilter, FilterReflection)]
        #[filter(name = $name, description = $doc, parsed($run))]
        struct $parse;

        #[derive(Debug, Default, Display_filter)]
        #[name = $name]
        struct $run;

        impl Filter for $run {
            fn evaluate(&self, $input: &dyn ValueView, $runtime: &dyn Runtime) -> Result<Value> {
                $body
            }
        }
    };
}

jekyll_filter!(
    "relative_url",
    RelativeUrl,
    RelativeUrlFilter,
    "Prefixes the site's baseurl.",
    |input, runtime| {
        let baseurl = site_setting(runtime, "baseurl");
        Ok(Value::scalar(relative_url(&input.to_kstr(), &baseurl)))
    }
);

jekyll_filter!(
    "absolute_url",
    AbsoluteUrl,
    AbsoluteUrlFilter,
    "Prefixes the site's url and baseurl.",
    |input, runtime| {
        let text = input.to_kstr();
        if has_scheme(&text) {
            return Ok(Value::scalar(text.into_owned()));
        }
        let relative = relative_url(&text, &site_setting(runtime, "baseurl"));
        let url = site_setting(runtime, "url");
        Ok(Value::scalar(format!(
            "{}{relative}",
            url.trim_end_matches('/')
        )))
    }
);

jekyll_filter!(
    "jsonify",
    Jsonify,
    JsonifyFilter,
    "The value as JSON.",
    |input, _runtime| {
        let json = serde_json::to_string(&input.to_value())
            .map_err(|e| liquid_core::Error::with_msg(e.to_string()))?;
        Ok(Value::scalar(json))
    }
);

/// `markdownify` with the site's own converter and options, as Jekyll's filter uses them.
#[derive(Clone, FilterReflection)]
#[filter(
    name = "markdownify",
    description = "Markdown to HTML with the site's converter.",
    parsed(MarkdownifyFilter)
)]
struct Markdownify {
    converter: Converter,
}

impl ParseFilter for Markdownify {
    fn parse(
        &self,
        mut arguments: liquid_core::parser::FilterArguments,
    ) -> Result<Box<dyn Filter>> {
        if arguments.positional.next().is_some() || arguments.keyword.next().is_some() {
            return Err(liquid_core::Error::with_msg(
                "markdownify takes no arguments",
            ));
        }
        Ok(Box::new(MarkdownifyFilter {
            converter: self.converter.clone(),
        }))
    }

    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

#[derive(Debug, Display_filter)]
#[name = "markdownify"]
struct MarkdownifyFilter {
    converter: Converter,
}

impl Filter for MarkdownifyFilter {
    fn evaluate(&self, input: &dyn ValueView, _runtime: &dyn Runtime) -> Result<Value> {
        Ok(Value::scalar(
            self.converter.to_html(&input.to_kstr(), false),
        ))
    }
}

jekyll_filter!(
    "date_to_string",
    DateToString,
    DateToStringFilter,
    "A date as `22 Mar 2023`.",
    |input, _runtime| {
        let date = input
            .as_scalar()
            .and_then(|s| s.to_date_time())
            .ok_or_else(|| liquid_core::Error::with_msg("date_to_string needs a date"))?;
        let text = date
            .format("%d %b %Y")
            .map_err(|e| liquid_core::Error::with_msg(e.to_string()))?;
        Ok(Value::scalar(text))
    }
);

jekyll_filter!(
    "xml_escape",
    XmlEscape,
    XmlEscapeFilter,
    "Escapes &, <, >, \" and '.",
    |input, _runtime| {
        let escaped = input
            .to_kstr()
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;");
        Ok(Value::scalar(escaped))
    }
);

/// `{% post_url 2010-07-21-name %}` and `{% link path %}`: the URL as the reference renderer
/// stubs it (`/2010-07-21-name/`, `/path`).
#[derive(Clone, Copy, Debug)]
struct PathTag {
    name: &'static str,
    description: &'static str,
    /// What goes after the path.
    suffix: &'static str,
}

const POST_URL_TAG: PathTag = PathTag {
    name: "post_url",
    description: "The URL of another post.",
    suffix: "/",
};

const LINK_TAG: PathTag = PathTag {
    name: "link",
    description: "The URL of a page of the site.",
    suffix: "",
};

#[derive(Debug)]
struct FixedText(String);

impl Renderable for FixedText {
    fn render_to(&self, writer: &mut dyn Write, _runtime: &dyn Runtime) -> Result<()> {
        writer.write_all(self.0.as_bytes()).map_err(write_error)
    }
}

fn write_error(e: std::io::Error) -> liquid_core::Error {
    liquid_core::Error::with_msg(format!("failed to write: {e}"))
}

fn rest_of_tag(arguments: TagTokenIter<'_>) -> String {
    arguments
        .map(|t| t.as_str().trim_matches(['"', '\'']).to_owned())
        .collect::<String>()
}

impl TagReflection for PathTag {
    fn tag(&self) -> &'static str {
        self.name
    }
    fn description(&self) -> &'static str {
        self.description
    }
}

impl ParseTag for PathTag {
    fn parse(&self, arguments: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        let path = rest_of_tag(arguments);
        Ok(Box::new(FixedText(format!("/{path}{}", self.suffix))))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// `{% highlight ruby %}…{% endhighlight %}` as Jekyll writes it (without rouge's colours).
#[derive(Clone, Copy, Debug)]
struct HighlightBlock;

#[derive(Debug)]
struct Highlight {
    language: String,
    line_numbers: bool,
    body: liquid_core::Template,
}

impl BlockReflection for HighlightBlock {
    fn start_tag(&self) -> &str {
        "highlight"
    }
    fn end_tag(&self) -> &str {
        "endhighlight"
    }
    fn description(&self) -> &str {
        "A highlighted code block."
    }
}

impl ParseBlock for HighlightBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let language = arguments
            .next()
            .map_or_else(|| "plaintext".to_owned(), |t| t.as_str().to_owned());
        let line_numbers = arguments.any(|t| t.as_str() == "linenos");
        let body = liquid_core::Template::new(tokens.parse_all(options)?);
        tokens.assert_empty();
        Ok(Box::new(Highlight {
            language,
            line_numbers,
            body,
        }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

impl Renderable for Highlight {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let code = self.body.render(runtime)?;
        let code = code.trim_matches('\n');
        let mut escaped = String::with_capacity(code.len());
        comrak::html::escape(&mut escaped, code)
            .map_err(|_| write_error(std::io::ErrorKind::Other.into()))?;
        let lang = self.language.replace('"', "");
        let code = if self.line_numbers {
            // rouge's table: line numbers in a gutter cell beside the code.
            let numbers: String = (1..=code.lines().count())
                .map(|n| format!("{n}\n"))
                .collect();
            format!(
                "<table class=\"rouge-table\"><tbody><tr><td class=\"gutter gl\"><pre class=\"lineno\">{numbers}</pre></td><td class=\"code\"><pre>{escaped}\n</pre></td></tr></tbody></table>"
            )
        } else {
            escaped
        };
        write!(
            writer,
            "<figure class=\"highlight\"><pre><code class=\"language-{lang}\" data-lang=\"{lang}\">{code}</code></pre></figure>"
        )
        .map_err(write_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::site;

    fn render(body: &str) -> (String, Vec<Diagnostic>) {
        let (_dir, site) = site("title: T\nbaseurl: /b\nlist: [x, y]\n");
        let mut diagnostics = Vec::new();
        let page: Mapping = serde_yaml::from_str("title: P\ntags: [a, b]").unwrap();
        let out = render_liquid(&site, &page, body, 1, &mut diagnostics).into_owned();
        (out, diagnostics)
    }

    /// Every body the fast path fills in comes out as the liquid crate renders it, and the
    /// ones it must leave to the crate are left.
    #[test]
    fn plain_outputs_print_what_the_template_prints() {
        let (_dir, site) = site(
            "url: \"https://x.github.io\"\nn: 3\nf: 1.50\nyes: on\nnull_key: ~\nauthor:\n  name: 김\n  links: [a]\ntagged: !t v\n1: one\n",
        );
        let page: Mapping =
            serde_yaml::from_str("title: \"제목: 1\"\ntoc: true\ndate: 2023-03-22\nnum: 010")
                .unwrap();
        let filled = [
            "![a]({{site.url}}/images/a.png) {{ site.url }}",
            "{{ page.title }}|{{ page.toc }}|{{ page.num }}|{{ page.nothing }}|{{ nothing.at.all }}",
            "{{site.n}} {{site.f}} {{ site.null_key }} {{ site.author.name }} {{ site.tagged }}",
            "{{ site.author.nothing }} { not liquid } }} {{\n site.url\n}}",
        ];
        for body in filled {
            let fast = plain_outputs(&site, &page, body).unwrap_or_else(|| panic!("{body}"));
            let mut diagnostics = Vec::new();
            let full = render_template(&site, &page, body, 1, &mut diagnostics);
            assert_eq!(fast, full, "{body}");
            assert!(diagnostics.is_empty());
        }
        let left = [
            "{% if x %}{% endif %}",
            "{{ site.url | append: 'x' }}",
            "{{ site.author }}",
            "{{ site.author.links }}",
            "{{ site.author.name.first }}",
            "{{ page.date }}",
            "{{ site.time }}",
            "{{ site.size }}",
            "{{ site.one }}",
            "{{ site.yes }}",
            "{{ site.url",
            "{{- site.url -}}",
            "{{ site['url'] }}",
            "{{ true }}",
            "{{ false }}",
            "{{ nilly }}",
            "{{\tsite.url }}",
        ];
        for body in left {
            assert_eq!(plain_outputs(&site, &page, body), None, "{body}");
        }
    }

    #[test]
    fn unknown_variables_are_nil_as_in_jekyll() {
        let (out, diagnostics) = render(
            "[{{ site.data.theme.version }}][{{ nothing }}][{{ page.title }}][{{ site.list | size }}]{% if site.nope %}no{% else %}yes{% endif %}{% for t in page.tags %}{{ t }}{% endfor %}{% assign x = 2 %}{{ x }}{{ page.tags.first }}{{ page.tags.size }}",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(out, "[][][P][2]yesab2a2");
    }

    #[test]
    fn includes_and_jekyll_tags() {
        let (out, _) = render("{% include figure caption=\"c\" %}|{% post_url 2010-07-21-x %}|{% highlight ruby %}\na < b\n{% endhighlight %}|{{ \"/x\" | relative_url }}");
        assert_eq!(
            out,
            "<!-- include figure -->|/2010-07-21-x/|<figure class=\"highlight\"><pre><code class=\"language-ruby\" data-lang=\"ruby\">a &lt; b</code></pre></figure>|/b/x"
        );
    }

    #[test]
    fn unparsable_output_tags_render_as_nothing_like_jekyll() {
        let (out, diagnostics) =
            render("a {{ not liquid }} b {{ page.title }} {% link _pages/about.md %}");
        assert_eq!(out, "a  b P /_pages/about.md");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(diagnostics[0].message.contains("{{ not liquid }}"));
    }

    #[test]
    fn long_plain_text_is_taken_out_and_put_back() {
        let long = "plain text that is long enough to be taken out of the template. ".repeat(3);
        let body = format!(
            "{long}\n{{{{ page.title }}}}\n{long}{{% raw %}}{long}{{{{ x }}}}{{% endraw %}}{{% capture c %}}{long}{{% endcapture %}}{{{{ c | upcase }}}}\n{long}{{{{ not valid }}}}"
        );
        let (skeleton, runs) = skeleton(&body);
        assert!(skeleton.len() < body.len() / 2, "{skeleton}");
        assert!(!runs.is_empty());
        let (out, diagnostics) = render(&body);
        let expected = format!(
            "{long}\nP\n{long}{long}{{{{ x }}}}{}\n{long}",
            long.to_uppercase()
        );
        assert_eq!(out, expected);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].line, 4, "{diagnostics:?}");
    }

    #[test]
    fn relative_urls_as_jekyll_makes_them() {
        assert_eq!(relative_url("/docs/", ""), "/docs/");
        assert_eq!(relative_url("", "/blog"), "/blog");
        assert_eq!(relative_url("docs", "/blog/"), "/blog/docs");
        assert_eq!(
            relative_url("/a b/화.png", "blog"),
            "/blog/a%20b/%ED%99%94.png"
        );
        assert_eq!(
            relative_url("https://x.example/a", "/blog"),
            "https://x.example/a"
        );
    }
}
