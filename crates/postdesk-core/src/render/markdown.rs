//! Which markdown converter a site's `_config.yml` chooses, with the options Jekyll 4.3 gives it:
//! kramdown (the default: `postdesk-kramdown`, its `kramdown:` settings deep-merged over Jekyll's
//! defaults as `KramdownParser#setup` does) or CommonMark (`markdown: CommonMark` /
//! `CommonMarkGhPages`, jekyll-commonmark: comrak).
//! Not for: cutting a post into pieces (see `pieces`) or Liquid.

use serde_yaml::{Mapping, Value};

use postdesk_kramdown::tree::{Element, Type};
use postdesk_kramdown::Options;

/// A site's markdown converter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Converter {
    Kramdown(Box<Options>),
    CommonMark,
}

impl Converter {
    /// What `_config.yml` (`markdown:`, `kramdown:`, `highlighter:`) chooses.
    pub(crate) fn of_site(config: &Mapping) -> Converter {
        let markdown = config
            .get("markdown")
            .and_then(Value::as_str)
            .unwrap_or("kramdown");
        if markdown.to_ascii_lowercase().starts_with("commonmark") {
            return Converter::CommonMark;
        }
        let settings = config.get("kramdown").and_then(Value::as_mapping);
        Converter::Kramdown(Box::new(kramdown_options(
            settings,
            config.get("highlighter"),
        )))
    }

    /// `markdown` to HTML, whole; with `sourcepos`, top-level blocks say their first line.
    pub(crate) fn to_html(&self, markdown: &str, sourcepos: bool) -> String {
        match self {
            Converter::Kramdown(options) => {
                let doc = postdesk_kramdown::parse(markdown, options);
                postdesk_kramdown::to_html(
                    &doc,
                    &postdesk_kramdown::Hooks {
                        sourcepos,
                        ..Default::default()
                    },
                )
            }
            Converter::CommonMark => {
                comrak::markdown_to_html(markdown, &commonmark_options(sourcepos))
            }
        }
    }
}

impl Converter {
    /// `markdown` to HTML, whole, every markdown heading saying its source line
    /// (`data-sourcepos="L:…"`) and nothing else marked: the headings the outline reads, with the
    /// ids and text the site render gives them.
    pub(crate) fn to_html_marking_headings(&self, markdown: &str) -> String {
        match self {
            Converter::Kramdown(options) => {
                let mut doc = postdesk_kramdown::parse(markdown, options);
                mark_headers(&mut doc.root);
                postdesk_kramdown::to_html(&doc, &postdesk_kramdown::Hooks::default())
            }
            // comrak marks every block; the outline reads the headings' marks only.
            Converter::CommonMark => comrak::markdown_to_html(markdown, &commonmark_options(true)),
        }
    }
}

/// Gives each header under `el` the attribute comrak's `sourcepos` writes: the converter writes
/// it as it writes the header's other attributes, and ids do not depend on attributes.
fn mark_headers(el: &mut Element) {
    for child in &mut el.children {
        if child.kind == Type::Header {
            let line = child.options.location;
            child.set_attr("data-sourcepos", format!("{line}:1-{line}:1"));
        }
        mark_headers(child);
    }
}

/// jekyll-commonmark's defaults (GitHub's extensions, raw HTML kept).
fn commonmark_options(sourcepos: bool) -> comrak::Options<'static> {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.extension.header_id_prefix = Some(String::new());
    options.render.r#unsafe = true;
    options.render.sourcepos = sourcepos;
    options
}

/// kramdown's options from the site's `kramdown:` settings over Jekyll's defaults.
fn kramdown_options(settings: Option<&Mapping>, highlighter: Option<&Value>) -> Options {
    let mut o = Options::default();
    let get = |key: &str| settings.and_then(|s| s.get(key));
    let flag = |key: &str, default: bool| get(key).map_or(default, truthy);
    let text = |key: &str| get(key).and_then(scalar_text);
    if let Some(input) = text("input") {
        o.gfm = input.eq_ignore_ascii_case("gfm");
    }
    o.hard_wrap = flag("hard_wrap", o.hard_wrap);
    o.auto_ids = flag("auto_ids", o.auto_ids);
    o.auto_id_stripping = flag("auto_id_stripping", o.auto_id_stripping);
    o.transliterated_header_ids = flag("transliterated_header_ids", o.transliterated_header_ids);
    o.parse_block_html = flag("parse_block_html", o.parse_block_html);
    o.parse_span_html = flag("parse_span_html", o.parse_span_html);
    o.footnote_backlink_inline = flag("footnote_backlink_inline", o.footnote_backlink_inline);
    o.remove_block_html_tags = flag("remove_block_html_tags", o.remove_block_html_tags);
    o.remove_span_html_tags = flag("remove_span_html_tags", o.remove_span_html_tags);
    o.remove_line_breaks_for_cjk = flag("remove_line_breaks_for_cjk", o.remove_line_breaks_for_cjk);
    if let Some(prefix) = text("auto_id_prefix") {
        o.auto_id_prefix = prefix;
    }
    if let Some(backlink) = text("footnote_backlink") {
        o.footnote_backlink = backlink;
    }
    if let Some(prefix) = text("footnote_prefix") {
        o.footnote_prefix = prefix;
    }
    if let Some(output) = text("entity_output") {
        o.entity_output = output;
    }
    if let Some(nr) = get("footnote_nr").and_then(Value::as_u64) {
        o.footnote_nr = u32::try_from(nr).unwrap_or(1);
    }
    if let Some(offset) = get("header_offset").and_then(Value::as_i64) {
        o.header_offset = i32::try_from(offset).unwrap_or(0);
    }
    if let Some(levels) = get("toc_levels").and_then(toc_levels) {
        o.toc_levels = levels;
    }
    if let Some(quotes) = get("smart_quotes").and_then(smart_quotes) {
        o.smart_quotes = quotes;
    }
    if let Some(quirks) = get("gfm_quirks") {
        let names: Vec<String> = match quirks {
            Value::Sequence(items) => items.iter().filter_map(scalar_text).collect(),
            other => scalar_text(other)
                .map(|s| s.split(',').map(|q| q.trim().to_owned()).collect())
                .unwrap_or_default(),
        };
        o.quirk_paragraph_end = names.iter().any(|q| q == "paragraph_end");
        o.quirk_no_auto_typographic = names.iter().any(|q| q == "no_auto_typographic");
    }
    if let Some(Value::Mapping(symbols)) = get("typographic_symbols") {
        o.typographic_symbols = symbols
            .iter()
            .filter_map(|(k, v)| Some((scalar_text(k)?, scalar_text(v)?)))
            .collect();
    }
    if let Some(engine) = get("math_engine") {
        o.math_engine = scalar_text(engine).filter(|e| !e.is_empty());
    }
    // `KramdownParser#setup`: the highlighter is kramdown's own setting, else the site's
    // `highlighter:` (rouge when unset).
    o.syntax_highlighter = match get("syntax_highlighter").or(highlighter) {
        Some(Value::Null) => None,
        Some(value) => scalar_text(value).filter(|h| !h.is_empty() && h != "none"),
        None => Some("rouge".into()),
    };
    if let Some(lang) = get("syntax_highlighter_opts")
        .and_then(Value::as_mapping)
        .and_then(|opts| opts.get("default_lang"))
    {
        o.default_lang = scalar_text(lang);
    }
    o
}

/// A YAML scalar as Ruby's `to_s` writes it.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Ruby's truthiness of a setting (`nil` and `false` are false).
fn truthy(value: &Value) -> bool {
    !matches!(value, Value::Null | Value::Bool(false))
}

/// `toc_levels`: a list (`[1, 2, 3]`), a range (`1..3`) or a comma list (`"1,2"`).
fn toc_levels(value: &Value) -> Option<Vec<u8>> {
    let levels: Vec<u8> = match value {
        Value::Sequence(items) => items
            .iter()
            .filter_map(|v| u8::try_from(v.as_u64()?).ok())
            .collect(),
        Value::String(s) => match s.split_once("..") {
            Some((a, b)) => (a.trim().parse().ok()?..=b.trim().parse().ok()?).collect(),
            None => s.split(',').filter_map(|l| l.trim().parse().ok()).collect(),
        },
        Value::Number(n) => vec![u8::try_from(n.as_u64()?).ok()?],
        _ => return None,
    };
    (!levels.is_empty()).then_some(levels)
}

/// `smart_quotes`: four entity names, as a list or a comma-separated string.
fn smart_quotes(value: &Value) -> Option<[String; 4]> {
    let names: Vec<String> = match value {
        Value::Sequence(items) => items.iter().filter_map(scalar_text).collect(),
        other => scalar_text(other)?
            .split(',')
            .map(|q| q.trim().to_owned())
            .collect(),
    };
    names.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converter(yaml: &str) -> Converter {
        Converter::of_site(&serde_yaml::from_str(yaml).unwrap())
    }

    #[test]
    fn kramdown_with_jekylls_defaults_unless_the_site_says_otherwise() {
        assert_eq!(converter("title: x"), Converter::Kramdown(Box::default()));
        let Converter::Kramdown(o) = converter(
            "kramdown:\n  input: kramdown\n  hard_wrap: true\n  toc_levels: 1..3\n  \
             smart_quotes: apos,apos,quot,quot\n  math_engine: null\n  \
             syntax_highlighter_opts: {default_lang: text}\n  gfm_quirks: []\n",
        ) else {
            panic!("kramdown")
        };
        assert!(!o.gfm && o.hard_wrap && !o.quirk_paragraph_end);
        assert_eq!(o.toc_levels, [1, 2, 3]);
        assert_eq!(o.smart_quotes, ["apos", "apos", "quot", "quot"]);
        assert_eq!(o.math_engine, None);
        assert_eq!(o.default_lang.as_deref(), Some("text"));
        assert_eq!(
            converter("markdown: CommonMarkGhPages"),
            Converter::CommonMark
        );
        let Converter::Kramdown(o) = converter("highlighter: null") else {
            panic!("kramdown")
        };
        assert_eq!(o.syntax_highlighter, None);
    }

    #[test]
    fn each_converter_reads_emphasis_by_its_own_rules() {
        let text = "스프링 **프론트 컨트롤러(Front Controller)**이다.\n";
        // kramdown's emphasis (real kramdown 2.4) ...
        assert_eq!(
            converter("title: x").to_html(text, false),
            "<p>스프링 <strong>프론트 컨트롤러(Front Controller)</strong>이다.</p>\n"
        );
        // ... and CommonMark's flanking rule, as jekyll-commonmark publishes it.
        assert_eq!(
            converter("markdown: CommonMark").to_html(text, false),
            "<p>스프링 **프론트 컨트롤러(Front Controller)**이다.</p>\n"
        );
    }
}
