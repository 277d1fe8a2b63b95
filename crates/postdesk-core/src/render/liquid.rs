//! Jekyll's Liquid, run on a post's body before markdown as Jekyll does: `site` and `page`
//! variables, Jekyll's filters (`relative_url`, `absolute_url`, `markdownify`, `jsonify`,
//! `date_to_string`, `slugify`, …) and tags (`include` from `_includes/`, `highlight`,
//! `post_url`, `link`). Not for: markdown (see `kramdown`).

use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;

use liquid_core::model::ScalarCow;
use liquid_core::partials::{OnDemandCompiler, PartialSource};
use liquid_core::{
    BlockReflection, Display_filter, Filter, FilterReflection, Language, ParseBlock, ParseFilter,
    ParseTag, Renderable, Result, Runtime, TagBlock, TagReflection, TagTokenIter, Value, ValueView,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_yaml::Mapping;

use super::Diagnostic;
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
    if !body.contains("{{") && !body.contains("{%") {
        return Cow::Borrowed(body);
    }
    let result = (|| {
        let mut globals = liquid::Object::new();
        globals.insert("site".into(), liquid::model::to_value(&site.config)?);
        globals.insert("page".into(), liquid::model::to_value(page)?);
        parser(site)?.parse(body)?.render(&globals)
    })();
    match result {
        Ok(out) => Cow::Owned(out),
        Err(e) => {
            diagnostics.push(Diagnostic {
                line: body_line as u32,
                message: format!("Liquid: {e}"),
            });
            Cow::Borrowed(body)
        }
    }
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
        .filter(Markdownify)
        .filter(DateToString)
        .filter(XmlEscape)
        .tag(jekyll::IncludeTag)
        .tag(PostUrlTag)
        .tag(LinkTag)
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
fn relative_url(input: &str, baseurl: &str) -> String {
    if has_scheme(input) {
        return input.to_owned();
    }
    let base = baseurl.trim_end_matches('/');
    let base = if base.is_empty() || base.starts_with('/') {
        base.to_owned()
    } else {
        format!("/{base}")
    };
    let path = if input.starts_with('/') {
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

jekyll_filter!(
    "markdownify",
    Markdownify,
    MarkdownifyFilter,
    "Markdown to HTML, as kramdown writes it.",
    |input, _runtime| {
        Ok(Value::scalar(super::kramdown::markdown_to_html(
            &input.to_kstr(),
            None,
        )))
    }
);

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
struct PostUrlTag;
#[derive(Clone, Copy, Debug)]
struct LinkTag;

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
        .map(|t| t.as_str().to_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

impl TagReflection for PostUrlTag {
    fn tag(&self) -> &'static str {
        "post_url"
    }
    fn description(&self) -> &'static str {
        "The URL of another post."
    }
}

impl ParseTag for PostUrlTag {
    fn parse(&self, arguments: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(FixedText(format!("/{}/", rest_of_tag(arguments)))))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

impl TagReflection for LinkTag {
    fn tag(&self) -> &'static str {
        "link"
    }
    fn description(&self) -> &'static str {
        "The URL of a page of the site."
    }
}

impl ParseTag for LinkTag {
    fn parse(&self, arguments: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(FixedText(format!("/{}", rest_of_tag(arguments)))))
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
        arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let language = rest_of_tag(arguments)
            .split_whitespace()
            .next()
            .unwrap_or("plaintext")
            .to_owned();
        let body = liquid_core::Template::new(tokens.parse_all(options)?);
        tokens.assert_empty();
        Ok(Box::new(Highlight { language, body }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

impl Renderable for Highlight {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let code = self.body.render(runtime)?;
        let code = code.trim_matches('\n');
        let escaped = code
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let lang = self.language.replace('"', "");
        write!(
            writer,
            "<figure class=\"highlight\"><pre><code class=\"language-{lang}\" data-lang=\"{lang}\">{escaped}</code></pre></figure>"
        )
        .map_err(write_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_as_jekyll_makes_them() {
        assert_eq!(relative_url("/docs/", ""), "/docs/");
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
