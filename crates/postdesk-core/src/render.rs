//! A post's body to HTML, as Jekyll publishes it (`Target::Site`) or as the editor's preview
//! shows it (`Target::Preview`: sanitized, images pointing at local files, source lines marked).
//! Rendering never fails: problems come back as diagnostics beside the best HTML we could make.
//! Not for: reading or saving files, or deciding which post is open.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use comrak::adapters::HeadingAdapter;
use comrak::nodes::Sourcepos;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_yaml::Mapping;
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use crate::post::Post;
use crate::site::Site;

/// What the HTML is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// What Jekyll would publish: no sanitizing, URLs as the writer wrote them.
    Site,
    /// The editor's preview: untrusted content sanitized, every image that resolves to a file
    /// in the site pointing at `image_base` + its percent-encoded path from the site root,
    /// and block elements carrying `data-sourcepos` for scroll sync.
    Preview { image_base: String },
}

/// A problem found while rendering, at a line of the post file (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Diagnostic {
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Rendered {
    pub html: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders the post at `post_path` (inside `site`) whose current text is `text`.
pub fn render_post(site: &Site, post_path: &Path, text: &str, target: &Target) -> Rendered {
    let post = Post::split(text);
    let mut diagnostics = Vec::new();
    let front_matter = post.front_matter_map().unwrap_or_else(|e| {
        diagnostics.push(Diagnostic {
            line: 1,
            message: e.to_string(),
        });
        Mapping::new()
    });
    let rel = site.relative(post_path);
    let page = site.page_variables(&rel, &front_matter);
    let body = render_liquid(site, &page, post.body, post.body_line, &mut diagnostics);
    let html = match target {
        Target::Site => markdown_to_html(&body, None),
        Target::Preview { image_base } => {
            let images = Arc::new(ImageResolver::new(site, post_path, image_base));
            // Blank lines in front make `data-sourcepos` count lines of the whole file.
            let padded = "\n".repeat(post.body_line - 1) + &body;
            sanitize(&markdown_to_html(&padded, Some(images.clone())), images)
        }
    };
    Rendered { html, diagnostics }
}

/// A `file://` URL for a folder, ending in `/`, to use as a preview `image_base` outside the app.
pub fn file_url_base(dir: &Path) -> String {
    let mut url = String::from("file://");
    let text = dir.to_string_lossy();
    let text = text.strip_prefix(r"\\?\").unwrap_or(&text);
    let mut parts: Vec<&str> = text.split(['/', '\\']).collect();
    if parts.first().is_some_and(|p| !p.is_empty()) {
        parts.insert(0, "");
    }
    url.push_str(
        &parts
            .iter()
            .map(|p| {
                let drive =
                    p.len() == 2 && p.ends_with(':') && p.as_bytes()[0].is_ascii_alphabetic();
                if drive {
                    (*p).to_owned()
                } else {
                    encode_segment(p)
                }
            })
            .collect::<Vec<_>>()
            .join("/"),
    );
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

static LIQUID: LazyLock<liquid::Parser> = LazyLock::new(|| {
    liquid::ParserBuilder::with_stdlib()
        .build()
        .expect("the standard Liquid library always builds")
});

/// Evaluates Liquid in the body, before markdown, as Jekyll does. On an error the body is used
/// as written and the error becomes a diagnostic.
fn render_liquid<'b>(
    site: &Site,
    page: &Mapping,
    body: &'b str,
    body_line: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Cow<'b, str> {
    if !body.contains("{{") && !body.contains("{%") {
        return Cow::Borrowed(body);
    }
    let globals = (|| {
        let mut globals = liquid::Object::new();
        globals.insert("site".into(), liquid::model::to_value(&site.config)?);
        globals.insert("page".into(), liquid::model::to_value(page)?);
        Ok::<_, liquid::Error>(globals)
    })();
    let result = globals.and_then(|g| LIQUID.parse(body)?.render(&g));
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

/// With `images` (the preview), markdown images point at local files and blocks carry their
/// source lines.
fn markdown_to_html(markdown: &str, images: Option<Arc<ImageResolver>>) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.footnotes = true;
    options.render.r#unsafe = true;
    options.render.sourcepos = images.is_some();
    if let Some(images) = images {
        options.extension.image_url_rewriter = Some(Arc::new(move |url: &str| {
            images.local_src(url).unwrap_or_else(|| url.to_owned())
        }));
    }
    let headings = KramdownHeadings::default();
    let mut plugins = comrak::options::Plugins::default();
    plugins.render.heading_adapter = Some(&headings);
    comrak::markdown_to_html_with_plugins(markdown, &options, &plugins)
}

/// Writes `<hN id="…">` with ids made as kramdown's GFM parser makes them (Hangul kept,
/// punctuation dropped, spaces to `-`, `-1`, `-2` … for repeats).
#[derive(Default)]
struct KramdownHeadings {
    seen: Mutex<HashMap<String, usize>>,
}

impl HeadingAdapter for KramdownHeadings {
    fn enter(
        &self,
        output: &mut dyn std::fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
        sourcepos: Option<Sourcepos>,
    ) -> std::fmt::Result {
        let base = heading_id(&heading.content);
        let id = {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            match *count {
                1 => base,
                n => format!("{base}-{}", n - 1),
            }
        };
        write!(output, "<h{} id=\"", heading.level)?;
        escape_attr(output, &id)?;
        output.write_char('"')?;
        if let Some(sp) = sourcepos {
            write!(output, " data-sourcepos=\"{sp}\"")?;
        }
        output.write_char('>')
    }

    fn exit(
        &self,
        output: &mut dyn std::fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
    ) -> std::fmt::Result {
        writeln!(output, "</h{}>", heading.level)
    }
}

/// kramdown-parser-gfm's `generate_gfm_header_id`: downcase, keep word characters, `-`, spaces
/// and tabs, then spaces and tabs become `-`.
pub fn heading_id(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' | '\t' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() || is_mark(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn is_mark(c: char) -> bool {
    // Combining marks (Ruby's \p{Word} includes \p{M}): the common blocks suffice for ids.
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF | 0x3099..=0x309A)
}

fn escape_attr(out: &mut dyn std::fmt::Write, s: &str) -> std::fmt::Result {
    for c in s.chars() {
        match c {
            '&' => out.write_str("&amp;")?,
            '"' => out.write_str("&quot;")?,
            '<' => out.write_str("&lt;")?,
            '>' => out.write_str("&gt;")?,
            c => out.write_char(c)?,
        }
    }
    Ok(())
}

/// Maps the image sources a writer uses (`{{ site.url }}/images/…`, `{{site.url}}\images\…`,
/// `/images/…`, `../images/…`, `images/…`) to a file in the site.
struct ImageResolver {
    root: PathBuf,
    post_dir: PathBuf,
    prefixes: Vec<String>,
    image_base: String,
}

impl ImageResolver {
    fn new(site: &Site, post_path: &Path, image_base: &str) -> ImageResolver {
        let url = site.setting("url").trim_end_matches('/');
        let baseurl = site.setting("baseurl").trim_matches('/');
        let mut prefixes = Vec::new();
        for host in [url, ""] {
            if !baseurl.is_empty() {
                prefixes.push(format!("{host}/{baseurl}"));
            }
            if !host.is_empty() {
                prefixes.push(host.to_owned());
            }
        }
        ImageResolver {
            root: site.root.clone(),
            post_dir: post_path.parent().unwrap_or(&site.root).to_owned(),
            prefixes,
            image_base: image_base.to_owned(),
        }
    }

    /// The local URL for `src`, or `None` when it names no file in the site.
    fn local_src(&self, src: &str) -> Option<String> {
        let src = src.trim().replace('\\', "/");
        let src = strip_liquid_site_url(&src);
        let mut path = src;
        for prefix in &self.prefixes {
            if let Some(rest) = path.strip_prefix(prefix.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    path = rest;
                    break;
                }
            }
        }
        if path.contains("://") || path.starts_with("data:") || path.starts_with("//") {
            return None;
        }
        let path = path.split(['?', '#']).next().unwrap_or("");
        let decoded = percent_decode_str(path).decode_utf8().ok()?;
        let candidates: Vec<&Path> = if decoded.starts_with('/') {
            vec![&self.root]
        } else {
            vec![&self.post_dir, &self.root]
        };
        for base in candidates {
            let Some(rel) = self.inside_root(base, &decoded) else {
                continue;
            };
            for form in [rel.clone(), rel.nfc().collect(), rel.nfd().collect()] {
                if self.root.join(&form).is_file() {
                    return Some(format!(
                        "{}{}",
                        self.image_base,
                        form.split('/')
                            .map(encode_segment)
                            .collect::<Vec<_>>()
                            .join("/")
                    ));
                }
            }
        }
        None
    }

    /// `path` joined onto `base`, as a `/`-separated path from the site root, if it stays inside.
    fn inside_root(&self, base: &Path, path: &str) -> Option<String> {
        let base_rel = base.strip_prefix(&self.root).ok()?;
        let mut parts: Vec<String> = base_rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                p => parts.push(p.to_owned()),
            }
        }
        (!parts.is_empty()).then(|| parts.join("/"))
    }
}

/// `{{site.url}}`/`{{ site.baseurl }}` left in a source when Liquid could not run.
fn strip_liquid_site_url(src: &str) -> &str {
    let mut s = src;
    while let Some(rest) = s.strip_prefix("{{") {
        let Some(end) = rest.find("}}") else { break };
        let inner = rest[..end].trim().trim_matches('-').trim();
        if inner != "site.url" && inner != "site.baseurl" {
            break;
        }
        s = &rest[end + 2..];
    }
    s
}

const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// Removes everything that could run code or reach the app from untrusted post HTML, keeping
/// what Jekyll posts use (classes, ids, images, tables, notices, inline layout styles).
fn sanitize(html: &str, images: Arc<ImageResolver>) -> String {
    // Markdown images arrive already mapped to the local image URL: let its scheme through.
    let scheme = images.image_base.split_once(':').map(|(s, _)| s.to_owned());
    let mut builder = ammonia::Builder::default();
    if let Some(scheme) = &scheme {
        builder.add_url_schemes([scheme.as_str()]);
    }
    builder
        .add_tags([
            "div",
            "span",
            "figure",
            "figcaption",
            "center",
            "font",
            "mark",
            "section",
            "kbd",
        ])
        .add_generic_attributes([
            "class",
            "id",
            "style",
            "align",
            "data-sourcepos",
            "title",
            "lang",
            "dir",
        ])
        .add_tag_attributes("img", ["width", "height", "loading"])
        .add_tag_attributes("a", ["name"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(
            [
                "zoom",
                "width",
                "height",
                "max-width",
                "text-align",
                "color",
                "background-color",
                "font-size",
                "font-weight",
                "font-style",
                "text-decoration",
                "margin",
                "margin-left",
                "margin-right",
                "margin-top",
                "margin-bottom",
                "padding",
                "float",
                "display",
                "border",
                "vertical-align",
            ]
            .into(),
        )
        .strip_comments(true)
        .attribute_filter(move |element, attribute, value| {
            if element == "img" && attribute == "src" {
                if let Some(local) = images.local_src(value) {
                    return Some(Cow::Owned(local));
                }
            }
            Some(Cow::Borrowed(value))
        });
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn sample_site() -> (tempfile::TempDir, Site, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(
            root.join("_config.yml"),
            "url: \"https://blog.example\"\ntitle: Blog\n",
        )
        .unwrap();
        fs::create_dir_all(root.join("_posts")).unwrap();
        fs::create_dir_all(root.join("images/2023-03-22-p")).unwrap();
        for name in ["moss.png", "화면 캡처 2023-03-28 150716.png"] {
            fs::write(root.join("images/2023-03-22-p").join(name), b"png").unwrap();
        }
        let post = root.join("_posts/2023-03-22-p.md");
        fs::write(&post, "").unwrap();
        let site = Site::open(root).unwrap();
        let post = site.root.join("_posts/2023-03-22-p.md");
        (dir, site, post)
    }

    fn preview(site: &Site, post: &Path, text: &str) -> Rendered {
        render_post(
            site,
            post,
            text,
            &Target::Preview {
                image_base: "site://localhost/".into(),
            },
        )
    }

    #[test]
    fn headings_get_kramdown_ids() {
        assert_eq!(heading_id("머리말"), "머리말");
        assert_eq!(
            heading_id("중국판 Chat GPT, MOSS의 성능은? 💬"),
            "중국판-chat-gpt-moss의-성능은-"
        );
        assert_eq!(heading_id("Default layout"), "default-layout");
        let (_d, site, post) = sample_site();
        let html = render_post(&site, &post, "# A\n\n# A\n\n## B c\n", &Target::Site).html;
        assert_eq!(
            html,
            "<h1 id=\"a\">A</h1>\n<h1 id=\"a-1\">A</h1>\n<h2 id=\"b-c\">B c</h2>\n"
        );
    }

    #[test]
    fn liquid_runs_before_markdown_with_site_and_page() {
        let (_d, site, post) = sample_site();
        let text = "---\ntitle: Hello\n---\n{{ page.title }} on {{ site.title }}: {{site.url}}\\images\\x.png\n";
        let r = render_post(&site, &post, text, &Target::Site);
        assert_eq!(
            r.html,
            "<p>Hello on Blog: https://blog.example\\images\\x.png</p>\n"
        );
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn a_liquid_error_is_a_diagnostic_not_a_blank_preview() {
        let (_d, site, post) = sample_site();
        let r = render_post(
            &site,
            &post,
            "---\na: 1\n---\ntext {% nosuchtag %}\n",
            &Target::Site,
        );
        assert!(r.html.contains("text"), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].line, 4);
    }

    #[test]
    fn preview_maps_every_image_form_to_the_local_file() {
        let (_d, site, post) = sample_site();
        let moss = "site://localhost/images/2023-03-22-p/moss.png";
        for src in [
            "{{ site.url }}/images/2023-03-22-p/moss.png",
            "{{site.url}}\\images\\2023-03-22-p\\moss.png",
            "/images/2023-03-22-p/moss.png",
            "../images/2023-03-22-p/moss.png",
            "images/2023-03-22-p/moss.png",
            "https://blog.example/images/2023-03-22-p/moss.png",
        ] {
            let md = format!("![m]({src})\n\n<img src=\"{src}\" style=\"zoom:80%;\">\n");
            let html = preview(&site, &post, &md).html;
            assert_eq!(html.matches(moss).count(), 2, "{src} gave {html}");
            assert!(html.contains("zoom:80%"), "{html}");
        }
        let html = preview(
            &site,
            &post,
            "<img src=\"{{site.url}}\\images\\2023-03-22-p\\화면 캡처 2023-03-28 150716.png\">",
        )
        .html;
        assert!(
            html.contains("site://localhost/images/2023-03-22-p/%ED%99%94%EB%A9%B4%20%EC%BA%A1%EC%B2%98%202023-03-28%20150716.png"),
            "{html}"
        );
    }

    #[test]
    fn images_outside_the_site_are_not_mapped() {
        let (_d, site, post) = sample_site();
        let html = preview(
            &site,
            &post,
            "![x](../../../etc/passwd)\n![y](https://other.example/a.png)",
        )
        .html;
        assert!(!html.contains("site://"), "{html}");
        assert!(html.contains("https://other.example/a.png"), "{html}");
    }

    #[test]
    fn preview_removes_everything_that_runs() {
        let (_d, site, post) = sample_site();
        let evil = r#"<script>window.parent.__TAURI_INTERNALS__.invoke('x')</script>

<img src="x" onerror="alert(1)">

<svg onload="alert(1)"><circle r="1"/></svg>

[link](javascript:alert(1)) <a href="javascript:alert(1)">a</a>

<iframe src="https://evil.example"></iframe>

<div class="notice--info" onclick="x()" style="background:url(javascript:x)">note</div>

<object data="x"></object><embed src="x"><form action="x"><input></form>
"#;
        let html = preview(&site, &post, evil).html.to_lowercase();
        for bad in [
            "<script",
            "onerror",
            "onload",
            "href=\"javascript:",
            "<iframe",
            "onclick",
            "<svg",
            "<object",
            "<embed",
            "<form",
            "background",
        ] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
        assert!(html.contains("class=\"notice--info\""), "{html}");
    }

    #[test]
    fn preview_marks_source_lines_for_scroll_sync() {
        let (_d, site, post) = sample_site();
        let html = preview(&site, &post, "---\nt: 1\n---\n# H\n\npara\n").html;
        assert!(html.contains("data-sourcepos=\"4:1-4:3\""), "{html}");
    }

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(
            file_url_base(Path::new("/tmp/my site")),
            "file:///tmp/my%20site/"
        );
        assert_eq!(
            file_url_base(Path::new(r"\\?\C:\Users\김")),
            "file:///C:/Users/%EA%B9%80/"
        );
    }
}
