//! A post in its layout's frame as minimal-mistakes' `single` layout draws it (title, read
//! time, the TOC box, the content, tags, categories and date), with the site's stylesheet, as
//! one standalone document: no script, nothing remote. The frame is written here with the
//! theme's classes so that its CSS applies; the TOC follows the theme's `_includes/toc.html`
//! and the read time its `_includes/page__meta.html`. Labels come from the site's
//! `_data/ui-text.yml` for its `locale`, as the theme takes them.
//! Not for: the content's HTML (see `render_post`) or compiling the stylesheet (see `style`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::Serialize;
use serde_yaml::{Mapping, Value};
use ts_rs::TS;

use super::sanitize::escape_into;
use super::{file_url_base, render_post, Target};
use crate::permalink::slugify;
use crate::post::Post;
use crate::site::{date_prefix, string_list, Site};
use crate::style::site_style;

/// The page the preview shows a post in (`ui/public/preview.html`): the theme's elements around
/// the content, empty, with the slots [`PageFrame`]'s parts and the content go in. The window
/// fills it block by block; `page_document` as a whole. One skeleton for both.
const SKELETON: &str = include_str!("../../../../ui/public/preview.html");
const STYLESHEET_SLOT: &str = "<link rel=\"stylesheet\" href=\"/preview.css\" />";
const HEADER_SLOT: &str = "<header></header>";
const CONTENT_SLOT: &str = "<section id=\"content\" class=\"page__content\"></section>";
const FOOTER_SLOT: &str = "<footer class=\"page__meta\"></footer>";

/// The post at `post_path` (inside `site`), whose text is `text`, as a standalone HTML page in
/// the site's style; images point at the site's files (`file://`).
pub fn page_document(site: &Site, post_path: &Path, text: &str) -> String {
    let preview = Target::Preview {
        image_base: file_url_base(&site.root),
    };
    let content = render_post(site, post_path, text, &preview).html;
    let published = render_post(site, post_path, text, &Target::Site).html;
    let front_matter = Post::split(text).front_matter_map().unwrap_or_default();
    let page = site.page_variables(&site.relative(post_path), &front_matter);
    let frame = page_frame(
        site,
        &page,
        &Labels::of(site),
        &published,
        words(&published),
    );
    let style = site_style(site);
    let lang = site.setting("locale").chars().take(2).collect::<String>();
    let mut html = String::from("<html lang=\"");
    escape_into(&mut html, if lang.is_empty() { "en" } else { &lang });
    html.push_str("\">");
    let mut head = String::from("<title>");
    escape_into(&mut head, &text_of(&page, "title"));
    // `</style` cannot occur in compiled CSS outside a string; it would end the element early.
    head.push_str("</title>\n    <style>\n");
    head.push_str(&style.css.replace("</style", "<\\/style"));
    head.push_str("</style>");
    let parts = [
        ("<html>", html),
        (STYLESHEET_SLOT, head),
        (
            HEADER_SLOT,
            ["<header>\n", &frame.header, "</header>"].concat(),
        ),
        (
            CONTENT_SLOT,
            [
                "<section id=\"content\" class=\"page__content\">\n",
                &frame.toc,
                &content,
                "\n</section>",
            ]
            .concat(),
        ),
        (
            FOOTER_SLOT,
            [
                "<footer class=\"page__meta\">\n",
                &frame.footer,
                "</footer>",
            ]
            .concat(),
        ),
    ];
    let mut out = String::with_capacity(SKELETON.len() + style.css.len() + content.len() + 4096);
    let mut rest = SKELETON;
    for (slot, filled) in parts {
        let (before, after) = rest
            .split_once(slot)
            .expect("ui/public/preview.html holds each slot, in this order");
        out.push_str(before);
        out.push_str(&filled);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The theme's page around a post's content (its layout `single`), in the parts the window
/// puts around the content it updates block by block: all of it text the engine wrote, every
/// value from the post escaped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PageFrame {
    /// What the page's `<header>` holds: the title and the read time.
    pub header: String,
    /// The TOC box the content starts with (`toc: true`), or nothing.
    pub toc: String,
    /// What the page's `<footer class="page__meta">` holds: tags, categories and the date.
    pub footer: String,
}

/// The frame of a post whose `page` variables (defaults merged) are `page`, whose HTML is
/// `html` (the TOC is made from its headings) and which has `words` words (for the read time);
/// as Jekyll makes them from the published HTML.
pub(crate) fn page_frame(
    site: &Site,
    page: &Mapping,
    labels: &Labels,
    html: &str,
    words: usize,
) -> PageFrame {
    let mut header = String::new();
    let title = text_of(page, "title");
    if !title.is_empty() {
        header.push_str("<h1 id=\"page-title\" class=\"page__title\">");
        escape_into(&mut header, &title);
        header.push_str("</h1>\n");
    }
    if is_true(page.get("read_time")) {
        let per_minute = [
            page.get("words_per_minute"),
            site.config.get("words_per_minute"),
        ]
        .into_iter()
        .flatten()
        .find_map(Value::as_u64)
        .filter(|&n| n > 0)
        .unwrap_or(200);
        header.push_str(
            "<p class=\"page__meta\">\n<span class=\"page__meta-readtime\">\
             <i class=\"far fa-clock\" aria-hidden=\"true\"></i> ",
        );
        escape_into(&mut header, &read_time(words, per_minute, labels));
        header.push_str("</span>\n</p>\n");
    }
    let mut b = String::new();
    if is_true(page.get("toc")) {
        let sticky = if is_true(page.get("toc_sticky")) {
            " sticky"
        } else {
            ""
        };
        b.push_str(&format!(
            "<aside class=\"sidebar__right{sticky}\">\n<nav class=\"toc\">\n<header>\
             <h4 class=\"nav__title\"><i class=\"fas fa-"
        ));
        let icon = text_of(page, "toc_icon");
        escape_into(&mut b, if icon.is_empty() { "file-alt" } else { &icon });
        b.push_str("\"></i> ");
        let label = text_of(page, "toc_label");
        let label = match label.as_str() {
            "" => labels.get("toc_label", "On this page"),
            l => l.to_owned(),
        };
        escape_into(&mut b, &label);
        b.push_str("</h4></header>\n");
        b.push_str(&toc(html));
        b.push_str("\n</nav>\n</aside>\n");
    }
    let mut a = String::new();
    // The theme's `page__taxonomy.html`: a list shows when the archive has a `type` and the page
    // has such words, and its `tag-list.html` / `category-list.html` when it has a `path`.
    let archives = [
        (
            "tag_archive",
            taxonomy(page, "tag", "tags", false),
            "tags_label",
            "Tags:",
            "tags",
        ),
        (
            "category_archive",
            taxonomy(page, "category", "categories", true),
            "categories_label",
            "Categories:",
            "folder-open",
        ),
    ];
    for (archive, mut words, label, default, icon) in archives {
        let archive_setting = site.config.get(archive);
        let Some(path) = archive_setting
            .filter(|a| is_true(a.get("type")))
            .and_then(|a| a.get("path"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        if words.is_empty() {
            continue;
        }
        // `sort_natural`: case left out of the order.
        words.sort_by_key(|w| w.to_lowercase());
        a.push_str(&format!(
            "<p class=\"page__taxonomy\">\n<strong><i class=\"fas fa-fw fa-{icon}\" \
             aria-hidden=\"true\"></i> "
        ));
        escape_into(&mut a, &labels.get(label, default));
        a.push_str(" </strong>\n<span itemprop=\"keywords\">\n");
        let base = site.setting("baseurl").trim_end_matches('/');
        let hash = if archive_setting.and_then(|a| a.get("type")) == Some(&Value::from("liquid")) {
            "#"
        } else {
            ""
        };
        for (i, word) in words.iter().enumerate() {
            a.push_str("<a href=\"");
            escape_into(
                &mut a,
                &format!("{base}{path}{hash}{}", slugify(word, false)),
            );
            a.push_str("\" class=\"page__taxonomy-item p-category\" rel=\"tag\">");
            escape_into(&mut a, word);
            a.push_str("</a>");
            if i + 1 < words.len() {
                a.push_str("<span class=\"sep\">, </span>");
            }
        }
        a.push_str("\n</span>\n</p>\n");
    }
    let date = ["last_modified_at", "date"]
        .iter()
        .find_map(|k| page.get(*k).and_then(Value::as_str));
    if let Some(date) =
        date.and_then(|d| jiff::civil::Date::strptime("%Y-%m-%d", date_prefix(d)?).ok())
    {
        let format = match site.setting("date_format") {
            "" => "%B %-d, %Y",
            f => f,
        };
        a.push_str(
            "<p class=\"page__date\"><strong><i class=\"fas fa-fw fa-calendar-alt\" \
             aria-hidden=\"true\"></i> ",
        );
        escape_into(&mut a, &labels.get("date_label", "Updated:"));
        a.push_str(&format!(
            "</strong> <time class=\"dt-published\" datetime=\"{date}\">"
        ));
        escape_into(
            &mut a,
            &jiff::fmt::strtime::format(format, date).unwrap_or_else(|_| date.to_string()),
        );
        a.push_str("</time></p>\n");
    }
    PageFrame {
        header,
        toc: b,
        footer: a,
    }
}

/// The theme's read time (`_includes/page__meta.html`): `words` (of the published HTML without
/// its tags: `strip_html | number_of_words`) divided by `per_minute`, rounded down.
fn read_time(words: usize, per_minute: u64, labels: &Labels) -> String {
    let words = words as u64;
    let minute_read = labels.get("minute_read", "minute read");
    if words < per_minute {
        format!("{} 1 {minute_read}", labels.get("less_than", "less than"))
    } else {
        format!("{} {minute_read}", words / per_minute)
    }
}

/// The words of `html` as Liquid counts them: `strip_html | number_of_words`.
pub(crate) fn words(html: &str) -> usize {
    strip_html(html).split_ascii_whitespace().count()
}

/// Liquid's `strip_html`: scripts, styles and comments go with their text, other tags alone.
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let lower = rest.get(..7).unwrap_or(rest).to_ascii_lowercase();
        let end = if lower.starts_with("<script") {
            find_end(rest, "</script>")
        } else if lower.starts_with("<style") {
            find_end(rest, "</style>")
        } else if rest.starts_with("<!--") {
            find_end(rest, "-->")
        } else {
            rest.find('>').map(|i| i + 1)
        };
        match end {
            Some(end) => rest = &rest[end..],
            None => {
                out.push_str(rest);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn find_end(text: &str, close: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    lower.find(close).map(|i| i + close.len())
}

/// The TOC list as the theme's `_includes/toc.html` (jekyll-toc 1.2.1, © Vladimir Jimenez, MIT)
/// builds it with `sanitize=true h_min=1 h_max=6 class="toc__menu" skip_no_ids=true`: the HTML
/// cut at each `<h`, nested by heading level.
fn toc(html: &str) -> String {
    let mut list = String::new();
    let mut min_level = 1;
    let mut last_level = 0;
    let mut first = true;
    for node in html.trim().split("<h") {
        let Some(level) = node
            .replace('"', "")
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
        else {
            continue;
        };
        if !(min_level..=6).contains(&level) {
            continue;
        }
        let head = node.split("</h").next().unwrap_or(node);
        let attribute = |name: &str| {
            head.split(name)
                .nth(1)
                .and_then(|rest| rest.split('"').next())
        };
        if attribute("class=\"").is_some_and(|c| c.contains("no_toc")) {
            continue;
        }
        if first {
            min_level = level;
        }
        let Some(id) = attribute("id=\"").filter(|id| !id.is_empty()) else {
            continue;
        };
        let opening = head.split('>').next().unwrap_or(head);
        // Unlike the include, no `<`, `>` or `"` of a hostile heading goes through as markup
        // (entities stay as they are).
        let text =
            strip_html(&head.replacen(&format!("{opening}>"), "", 1)).replace(['<', '>'], "");
        let id = id.replace(['"', '<', '>'], "");
        if level > last_level {
            list.push_str("<ul>");
        } else if level < last_level {
            for _ in level..last_level {
                list.push_str("</li></ul>");
            }
            list.push_str("</li>");
        } else {
            list.push_str("</li>");
        }
        list.push_str(&format!("<li><a href=\"#{id}\">{text}</a>"));
        last_level = level;
        first = false;
    }
    for _ in 0..last_level.saturating_sub(min_level - 1) {
        list.push_str("</li></ul>");
    }
    match list.strip_prefix("<ul>") {
        Some(rest) => format!("<ul class=\"toc__menu\">{rest}"),
        None => list,
    }
}

/// The theme's interface text for the site's `locale` (`_data/ui-text.yml`).
#[derive(Debug)]
pub(crate) struct Labels(Option<Mapping>);

/// Where a site keeps the theme's interface text.
const UI_TEXT: &str = "_data/ui-text.yml";

/// [`Labels`] kept by the live preview while the site, its locale and the file's modification
/// time stay the same: a keystroke does not read the file again.
#[derive(Debug, Default)]
pub(crate) struct KeptLabels(Option<(LabelsKey, Arc<Labels>)>);

type LabelsKey = (PathBuf, String, Option<SystemTime>);

impl KeptLabels {
    pub(crate) fn of(&mut self, site: &Site) -> Arc<Labels> {
        let file = site.root.join(UI_TEXT);
        let modified = file.metadata().and_then(|m| m.modified()).ok();
        let key = (file, site.setting("locale").to_owned(), modified);
        match &self.0 {
            Some((kept, labels)) if *kept == key => labels.clone(),
            _ => {
                let labels = Arc::new(Labels::of(site));
                self.0 = Some((key, labels.clone()));
                labels
            }
        }
    }
}

impl Labels {
    fn of(site: &Site) -> Labels {
        let text = crate::document::read_text(&site.root.join(UI_TEXT)).ok();
        let data = text
            .and_then(|t| crate::yaml::load(&t).ok())
            .map(|l| l.value);
        let locale = site.setting("locale");
        let labels = data
            .as_ref()
            .and_then(|d| d.get(locale))
            .and_then(Value::as_mapping)
            .cloned();
        Labels(labels)
    }

    fn get(&self, key: &str, default: &str) -> String {
        self.0
            .as_ref()
            .and_then(|m| m.get(key))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or(default)
            .to_owned()
    }
}

/// A front matter value as Liquid prints it, for text, numbers and booleans.
fn text_of(page: &Mapping, key: &str) -> String {
    match page.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// `page.tags` or `page.categories` as Jekyll makes them (`Document#populate_tags`,
/// `#populate_categories`): the singular key's value as it is (`tag: a b` is one word) when
/// given, else the plural key's (text split at white space, or a list). Categories also keep
/// those `categories:` gives, each once; tags keep repeats.
fn taxonomy(page: &Mapping, singular: &str, plural: &str, categories: bool) -> Vec<String> {
    let given = match page.get(singular) {
        Some(Value::String(s)) => Some(vec![s.clone()]),
        Some(Value::Number(n)) => Some(vec![n.to_string()]),
        Some(list @ Value::Sequence(_)) => Some(string_list(list)),
        _ => None,
    };
    let plural_words = || page.get(plural).map(string_list).unwrap_or_default();
    let words = given.unwrap_or_else(plural_words);
    if !categories {
        return words;
    }
    let mut all: Vec<String> = Vec::new();
    for word in plural_words().into_iter().chain(words) {
        if !all.contains(&word) {
            all.push(word);
        }
    }
    all
}

/// Liquid's truthiness: everything but `false` and `nil`.
fn is_true(value: Option<&Value>) -> bool {
    !matches!(value, None | Some(Value::Null) | Some(Value::Bool(false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toc_nests_headings_as_the_themes_include_does() {
        let html = "<h1 id=\"a\">A</h1><p>x</p><h2 id=\"b\">B <em>c</em></h2><hr />\
                    <h2 class=\"no_toc\" id=\"n\">N</h2><h3>no id</h3><h1 id=\"d\">D</h1>";
        assert_eq!(
            toc(html),
            "<ul class=\"toc__menu\"><li><a href=\"#a\">A</a><ul><li><a href=\"#b\">B c</a>\
             </li></ul></li><li><a href=\"#d\">D</a></li></ul>"
        );
    }

    #[test]
    fn a_hostile_heading_makes_no_markup_in_the_toc() {
        let html = "<h2 id=\"a&quot;\" x=\"\">1 &lt; 2 <script>x</script></h2>\
                    <h2 id=\"b\">c<img src=x onerror=y></h2>";
        assert_eq!(
            toc(html),
            "<ul class=\"toc__menu\"><li><a href=\"#a&quot;\">1 &lt; 2 </a></li>\
             <li><a href=\"#b\">c</a></li></ul>"
        );
    }

    #[test]
    fn read_time_is_words_divided_by_words_per_minute_rounded_down() {
        let labels = Labels(None);
        let text = |n: usize| "<p>word</p> ".repeat(n);
        assert_eq!(
            read_time(words(&text(199)), 200, &labels),
            "less than 1 minute read"
        );
        assert_eq!(read_time(words(&text(200)), 200, &labels), "1 minute read");
        assert_eq!(read_time(words(&text(399)), 200, &labels), "1 minute read");
        assert_eq!(read_time(words(&text(400)), 200, &labels), "2 minute read");
    }

    #[test]
    fn tags_and_categories_are_read_as_jekyll_reads_them() {
        let page: Mapping =
            serde_yaml::from_str("tag: one word\ntags: [a, b]\ncategory: x\ncategories: y x z y\n")
                .unwrap();
        assert_eq!(taxonomy(&page, "tag", "tags", false), ["one word"]);
        assert_eq!(
            taxonomy(&page, "category", "categories", true),
            ["y", "x", "z"]
        );
        let page: Mapping = serde_yaml::from_str("tags: a a b\n").unwrap();
        assert_eq!(taxonomy(&page, "tag", "tags", false), ["a", "a", "b"]);
    }

    #[test]
    fn strip_html_drops_scripts_and_comments_with_their_text() {
        assert_eq!(
            strip_html("a<script>x y</script> b<!-- c d --> <b>e</b>"),
            "a b e"
        );
    }
}
