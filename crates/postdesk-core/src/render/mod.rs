//! A post's body to HTML, as Jekyll publishes it (`Target::Site`) or as the editor's preview
//! shows it (`Target::Preview`: sanitized, images pointing at local files, source lines marked).
//! Rendering never fails: problems come back as diagnostics beside the best HTML we could make.
//! Not for: reading or saving files, or deciding which post is open.

mod counts;
mod images;
mod liquid;
mod live;
mod markdown;
mod page;
mod pieces;
mod sanitize;

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use serde_yaml::Mapping;
use ts_rs::TS;

pub(crate) use counts::{decode_references, strip_html};
pub use counts::{post_stats, Counts, PostStats};
pub use images::{file_url_base, local_url};
pub(crate) use images::{ImageResolver, SiteImage};
use liquid::render_liquid;
pub(crate) use liquid::render_site_file;
pub use live::{LivePreview, PreviewText, PreviewUpdate, Splice};
pub(crate) use markdown::Converter;
pub use page::TocBox;
pub use page::{page_document, PageFrame};
pub(crate) use page::{toc_box, toc_entries, Labels};
use pieces::PieceCache;
use sanitize::sanitize_piece;
pub(crate) use sanitize::Block;

use crate::post::Post;
use crate::site::Site;

/// What the HTML is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// What Jekyll would publish: no sanitizing, URLs as the writer wrote them.
    Site,
    /// The editor's preview: untrusted content sanitized, every image that resolves to a file
    /// in the site pointing at `image_base` + its percent-encoded path from the site root,
    /// cut into top-level blocks that each know their source line (see [`live`]).
    Preview { image_base: String },
}

/// A problem found while rendering, at a line of the post file (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Diagnostic {
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders the post at `post_path` (inside `site`) whose current text is `text`.
pub fn render_post(site: &Site, post_path: &Path, text: &str, target: &Target) -> Rendered {
    match target {
        Target::Site => {
            let Liquified {
                body, diagnostics, ..
            } = run_liquid(site, post_path, text);
            let pieces = pieces::render(
                &body,
                &site.converter,
                false,
                pieces::pieces_for(body.len()),
                |html, _, _| Some(html),
            );
            // One piece (a post too short to cut) is the HTML as it is, not copied.
            let html = match <[String; 1]>::try_from(pieces) {
                Ok([html]) => html,
                Err(pieces) => pieces.concat(),
            };
            Rendered { html, diagnostics }
        }
        Target::Preview { image_base } => {
            let page = render_preview(site, post_path, text, image_base, None);
            let mut html = String::with_capacity(page.blocks.iter().map(|b| b.html.len()).sum());
            for block in &page.blocks {
                html.push_str(&block.html);
            }
            Rendered {
                html,
                diagnostics: page.diagnostics,
            }
        }
    }
}

/// The preview of a post, as the top-level blocks the window updates one by one.
pub(crate) struct PreviewPage {
    pub blocks: Vec<Block>,
    /// The post's page variables (its front matter with the site's defaults).
    pub page: Arc<Mapping>,
    pub diagnostics: Vec<Diagnostic>,
}

/// `Target::Preview` of [`render_post`], cut into blocks that each say their source line; with
/// a `cache`, the pieces of the post the last render left there are taken again when unchanged.
pub(crate) fn render_preview(
    site: &Site,
    post_path: &Path,
    text: &str,
    image_base: &str,
    cache: Option<&mut PieceCache>,
) -> PreviewPage {
    let Liquified {
        body,
        body_line,
        page,
        diagnostics,
    } = run_liquid(site, post_path, text);
    let images = Arc::new(ImageResolver::new(site, post_path, image_base));
    // Blank lines in front make source positions count lines of the whole file.
    let mut padded = String::with_capacity(body_line + body.len());
    padded.extend(std::iter::repeat_n('\n', body_line - 1));
    padded.push_str(&body);
    let blocks = match cache {
        Some(cache) => pieces::render_cached(&padded, &site.converter, &images, cache).0,
        None => pieces::render(
            &padded,
            &site.converter,
            true,
            pieces::pieces_for(padded.len()),
            |html, lines_before, last| sanitize_piece(&html, &images, lines_before, last),
        )
        .concat(),
    };
    PreviewPage {
        blocks,
        page,
        diagnostics,
    }
}

/// A post's published HTML with each markdown heading marked with its line (see
/// [`Converter::to_html_marking_headings`]) and the post's page variables: what the outline is
/// read from.
pub(crate) struct MarkedHeadings {
    pub html: String,
    pub page: Arc<Mapping>,
    /// The file line the body starts at.
    body_line: usize,
    /// The body after Liquid, when Liquid changed it (the marks count its lines).
    liquified: Option<String>,
}

/// The post at `post_path` with `text` as the site render converts it, headings marked.
pub(crate) fn marked_headings(site: &Site, post_path: &Path, text: &str) -> MarkedHeadings {
    let Liquified {
        body,
        body_line,
        page,
        ..
    } = run_liquid(site, post_path, text);
    let html = site.converter.to_html_marking_headings(&body);
    MarkedHeadings {
        html,
        page,
        body_line,
        liquified: match body {
            Cow::Borrowed(_) => None,
            Cow::Owned(body) => Some(body),
        },
    }
}

impl MarkedHeadings {
    /// The 1-based lines of `text` (the post these marks were made from) that the headings
    /// marked at `lines` (ascending) are written on. Where Liquid changed the body, each is the
    /// next line of the body that reads the same, else the one that starts the most alike
    /// (`# A {{ page.t }}` for `# A 1`).
    pub(crate) fn file_lines(&self, text: &str, lines: &[usize]) -> Vec<u32> {
        let file_line = |i: usize| u32::try_from(i + self.body_line).unwrap_or(u32::MAX);
        let Some(liquified) = &self.liquified else {
            return lines.iter().map(|l| file_line(l - 1)).collect();
        };
        let body: Vec<&str> = Post::split(text).body.split('\n').collect();
        let new: Vec<&str> = liquified.split('\n').collect();
        let mut from = 0;
        let mut out = Vec::with_capacity(lines.len());
        for &l in lines {
            let written = new.get(l - 1).copied().unwrap_or("");
            let candidates = from..body.len().max(from);
            let found = candidates
                .clone()
                .find(|&i| body[i] == written)
                .or_else(|| {
                    candidates
                        .rev()
                        .max_by_key(|&i| common_prefix(body[i], written))
                        .filter(|&i| common_prefix(body[i], written) > 0)
                })
                .unwrap_or(from.min(body.len().saturating_sub(1)));
            from = found + 1;
            out.push(file_line(found));
        }
        out
    }
}

/// How many bytes `a` and `b` start with alike.
fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// Where `mark`, one of the private-use characters the pipeline marks text with, first occurs
/// in `text`. `str::find` looks for a character by its last byte, which in Korean text nearly
/// every syllable has; the first byte of these marks is in no Hangul or ASCII character.
fn find_mark(text: &str, mark: char) -> Option<usize> {
    memchr::memchr_iter(lead_byte(mark), text.as_bytes()).find(|&at| text[at..].starts_with(mark))
}

/// The first byte of `c` in UTF-8.
fn lead_byte(c: char) -> u8 {
    c.encode_utf8(&mut [0; 4]).as_bytes()[0]
}

/// A post's body after Liquid.
struct Liquified<'t> {
    body: Cow<'t, str>,
    /// The file line the body starts at.
    body_line: usize,
    /// The page variables Liquid saw.
    page: Arc<Mapping>,
    /// What went wrong.
    diagnostics: Vec<Diagnostic>,
}

fn run_liquid<'t>(site: &Site, post_path: &Path, text: &'t str) -> Liquified<'t> {
    let post = Post::split(text);
    let mut diagnostics = Vec::new();
    let rel = site.relative(post_path);
    let key = (rel, post.front_matter.map(str::to_owned));
    let mut last = site.last_page.0.lock().unwrap_or_else(|e| e.into_inner());
    let page = match last.as_ref() {
        Some((k, page)) if *k == key => page.clone(),
        _ => {
            let front_matter = post.front_matter_map().unwrap_or_else(|e| {
                diagnostics.push(Diagnostic {
                    line: 1,
                    message: e.to_string(),
                });
                Mapping::new()
            });
            let page = Arc::new(site.page_variables(&key.0, &front_matter));
            // Kept only when there is no error to report again.
            *last = diagnostics.is_empty().then(|| (key, page.clone()));
            page
        }
    };
    drop(last);
    let body = render_liquid(site, &page, post.body, post.body_line, &mut diagnostics);
    Liquified {
        body,
        body_line: post.body_line,
        page,
        diagnostics,
    }
}

/// The page variables of the post rendered last, by its path and front matter: a keystroke in
/// the body does not read the front matter again. A copy of a site starts without.
#[derive(Debug, Default)]
pub(crate) struct LastPage(LastPageEntry);

type LastPageEntry = std::sync::Mutex<Option<((String, Option<String>), Arc<Mapping>)>>;

impl Clone for LastPage {
    fn clone(&self) -> Self {
        LastPage::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::path::PathBuf;

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
        let (_d, site, post) = sample_site();
        let html = render_post(
            &site,
            &post,
            "# 머리말\n\n# 중국판 Chat GPT, MOSS의 성능은? 💬\n\n## Default layout\n",
            &Target::Site,
        )
        .html;
        assert_eq!(
            html,
            "<h1 id=\"머리말\">머리말</h1>\n\n<h1 id=\"중국판-chat-gpt-moss의-성능은-\">중국판 Chat GPT, MOSS의 성능은? 💬</h1>\n\n<h2 id=\"default-layout\">Default layout</h2>\n"
        );
        let html = render_post(&site, &post, "# A\n\n# A\n\n## B c\n", &Target::Site).html;
        assert_eq!(
            html,
            "<h1 id=\"a\">A</h1>\n\n<h1 id=\"a-1\">A</h1>\n\n<h2 id=\"b-c\">B c</h2>\n"
        );
    }

    #[test]
    fn a_writers_private_use_characters_stay() {
        // The prepass marks span-tag lines and kept spaces with private-use characters; U+F8FF
        // is also Apple's logo, typed on a Mac with ⌥⇧K.
        let (_d, site, post) = sample_site();
        let text = "Mac \u{F8FF} and \u{F8FE}\n\n<div>raw \u{F8FF}</div>\n\n\
                    <div markdown=\"1\">\n*in* \u{F8FF}\n</div>\n\n<span>a</span> b   \nc\n";
        let html = render_post(&site, &post, text, &Target::Site).html;
        assert_eq!(html.matches('\u{F8FF}').count(), 3, "{html}");
        assert_eq!(html.matches('\u{F8FE}').count(), 1, "{html}");
        // The marks still did their work: a paragraph, one kept space.
        assert!(
            html.ends_with("<p><span>a</span> b <br />\nc</p>\n"),
            "{html}"
        );
        // Written as numeric references, which kramdown turns into the characters.
        let text = "&#xF8FF; and &#63742;\n\n<span>a</span> b   \nc\n";
        let html = render_post(&site, &post, text, &Target::Site).html;
        assert_eq!(
            html,
            "<p>\u{F8FF} and \u{F8FE}</p>\n\n<p><span>a</span> b <br />\nc</p>\n"
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
    fn markdownify_uses_the_sites_converter() {
        let dir = tempfile::tempdir().unwrap();
        let markdownify = "{{ \"**굵게(Bold)**이다\" | markdownify }}\n";
        for (config, html) in [
            ("title: t\n", "<strong>굵게(Bold)</strong>이다"),
            ("markdown: CommonMark\n", "**굵게(Bold)**이다"),
        ] {
            fs::write(dir.path().join("_config.yml"), config).unwrap();
            fs::create_dir_all(dir.path().join("_posts")).unwrap();
            let site = Site::open(dir.path()).unwrap();
            let post = site.root.join("_posts/2023-03-22-p.md");
            let out = render_post(&site, &post, markdownify, &Target::Site).html;
            assert!(out.contains(html), "{config}: {out}");
        }
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
    fn a_missing_include_is_visible_in_the_preview_and_a_comment_when_published() {
        let (_d, site, post) = sample_site();
        let text = "{% include video id=\"x\" %}\n";
        let published = render_post(&site, &post, text, &Target::Site).html;
        assert!(published.contains("<!-- include video -->"), "{published}");
        let shown = preview(&site, &post, text).html;
        assert!(
            shown.contains("<span class=\"postdesk-missing-include\">{% include video %}</span>"),
            "{shown}"
        );
    }

    #[test]
    fn preview_blocks_say_their_source_lines() {
        let (_d, site, post) = sample_site();
        let page = render_preview(
            &site,
            &post,
            "---\nt: 1\n---\n# H\n\npara\n\n<div markdown=\"1\">\n*x*\n</div>\n",
            "site://localhost/",
            None,
        );
        let blocks: Vec<(&str, u32)> = page
            .blocks
            .iter()
            .map(|b| (b.html.as_str(), b.line))
            .collect();
        assert_eq!(
            blocks,
            [
                ("<h1 id=\"h\">H</h1>", 4),
                ("<p>para</p>", 6),
                ("<div>\n  <p><em>x</em></p>\n</div>", 8)
            ]
        );
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
