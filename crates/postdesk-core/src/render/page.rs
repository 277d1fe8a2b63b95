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

use super::counts::{html_words, minutes, strip_html, words_per_minute, WordMode};
use super::liquid::relative_url;
use super::sanitize::{escape_into, url_allowed};
use super::{file_url_base, local_url, render_post, Target};
use crate::permalink::slugify;
use crate::post::Post;
use crate::site::{date_prefix, string_list, Site};
use crate::style::{modified, site_style};

/// The page the preview shows a post in (`ui/public/preview.html`): the theme's elements around
/// the content, empty, with the slots [`PageFrame`]'s parts and the content go in. The window
/// fills it block by block; `page_document` as a whole. One skeleton for both.
const SKELETON: &str = include_str!("../../../../ui/public/preview.html");
const STYLESHEET_SLOT: &str = "<link rel=\"stylesheet\" href=\"/preview.css\" />";
const ICONS_SLOT: &str = "<link rel=\"stylesheet\" href=\"/icons.css\" />";
/// The theme's icons as local glyphs, in the window and in the page alike.
const ICONS_CSS: &str = include_str!("../../../../ui/public/icons.css");
const MASTHEAD_SLOT: &str = "<div id=\"postdesk-masthead\" hidden></div>";
const SIDEBAR_SLOT: &str = "<div id=\"postdesk-sidebar\" hidden></div>";
const HEADER_SLOT: &str = "<header></header>";
const CONTENT_SLOT: &str = "<section id=\"content\" class=\"page__content\"></section>";
const FOOTER_SLOT: &str = "<footer class=\"page__meta\"></footer>";

/// The post at `post_path` (inside `site`), whose text is `text`, as a standalone HTML page in
/// the site's style; images point at the site's files (`file://`).
pub fn page_document(site: &Site, post_path: &Path, text: &str) -> String {
    let image_base = file_url_base(&site.root);
    let preview = Target::Preview {
        image_base: image_base.clone(),
    };
    let content = render_post(site, post_path, text, &preview).html;
    let published = render_post(site, post_path, text, &Target::Site).html;
    let front_matter = Post::split(text).front_matter_map().unwrap_or_default();
    let page = site.page_variables(&site.relative(post_path), &front_matter);
    let frame = page_frame(
        site,
        &page,
        &ThemeData::read(site),
        &image_base,
        &published,
        html_words(&published, WordMode::of(site)),
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
        (ICONS_SLOT, ["<style>\n", ICONS_CSS, "</style>"].concat()),
        (MASTHEAD_SLOT, frame.masthead),
        (SIDEBAR_SLOT, frame.sidebar),
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
    /// The site's masthead (title and main links), shown when the window shows the whole page.
    pub masthead: String,
    /// The author sidebar (`author_profile`), or nothing; shown with the masthead.
    pub sidebar: String,
    /// What the page's `<header>` holds: the title and the read time.
    pub header: String,
    /// The TOC box the content starts with (`toc: true`), or nothing.
    pub toc: String,
    /// What the page's `<footer class="page__meta">` holds: tags, categories and the date.
    pub footer: String,
}

/// The frame of a post whose `page` variables (defaults merged) are `page`, whose HTML is
/// `html` (the TOC is made from its headings) and which has `words` words (for the read time);
/// as Jekyll makes them from the published HTML. Files of the site (the author's avatar) are
/// loaded from `image_base`.
pub(crate) fn page_frame(
    site: &Site,
    page: &Mapping,
    data: &ThemeData,
    image_base: &str,
    html: &str,
    words: usize,
) -> PageFrame {
    let labels = &data.labels;
    let mut header = String::new();
    let title = text_of(page, "title");
    if !title.is_empty() {
        header.push_str("<h1 id=\"page-title\" class=\"page__title\">");
        escape_into(&mut header, &title);
        header.push_str("</h1>\n");
    }
    if is_true(page.get("read_time")) {
        let per_minute = words_per_minute(site, page);
        header.push_str(
            "<p class=\"page__meta\">\n<span class=\"page__meta-readtime\">\
             <i class=\"far fa-clock\" aria-hidden=\"true\"></i> ",
        );
        escape_into(&mut header, &read_time(words, per_minute, labels));
        header.push_str("</span>\n</p>\n");
    }
    let mut b = String::new();
    if let Some(toc_box) = toc_box(page, labels) {
        let sticky = if toc_box.sticky { " sticky" } else { "" };
        b.push_str(&format!(
            "<aside class=\"sidebar__right{sticky}\">\n<nav class=\"toc\">\n<header>\
             <h4 class=\"nav__title\"><i class=\"fas fa-"
        ));
        escape_into(&mut b, &toc_box.icon);
        b.push_str("\"></i> ");
        escape_into(&mut b, &toc_box.label);
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
        masthead: masthead(site, data),
        sidebar: sidebar(site, page, data, image_base),
        header,
        toc: b,
        footer: a,
    }
}

/// The theme's `_includes/masthead.html`: the site's title (and subtitle) and the main links of
/// `_data/navigation.yml`. Not its logo, search or menu buttons (they need the theme's scripts).
fn masthead(site: &Site, data: &ThemeData) -> String {
    let base = site.setting("baseurl");
    let mut m = String::from(
        "<div class=\"masthead\">\n<div class=\"masthead__inner-wrap\">\n\
         <div class=\"masthead__menu\">\n<nav id=\"site-nav\" class=\"greedy-nav\">\n\
         <a class=\"site-title\" href=\"",
    );
    escape_into(&mut m, &relative_url("/", base));
    m.push_str("\">");
    let title = match site.setting("masthead_title") {
        "" => site.setting("title"),
        title => title,
    };
    escape_into(&mut m, title.trim());
    let subtitle = site.setting("subtitle").trim();
    if !subtitle.is_empty() {
        m.push_str("<span class=\"site-subtitle\">");
        escape_into(&mut m, subtitle);
        m.push_str("</span>");
    }
    m.push_str("</a>\n<ul class=\"visible-links\">");
    let links = data
        .navigation
        .as_ref()
        .and_then(|n| n.get("main"))
        .and_then(Value::as_sequence);
    for link in links.into_iter().flatten() {
        let text = |key| link.get(key).and_then(Value::as_str);
        let (Some(title), Some(url)) = (text("title"), text("url")) else {
            continue;
        };
        if !url_allowed(url, None) {
            continue;
        }
        m.push_str("<li class=\"masthead__menu-item\"><a href=\"");
        escape_into(&mut m, &relative_url(url, base));
        m.push_str("\">");
        escape_into(&mut m, title);
        m.push_str("</a></li>");
    }
    m.push_str("</ul>\n</nav>\n</div>\n</div>\n</div>\n");
    m
}

/// The theme's `_includes/sidebar.html` with its `author-profile.html` when the page has
/// `author_profile`: the author (`page.author`, else `page.authors[0]`, else `site.author`; a
/// name is looked up in `_data/authors.yml`) with avatar, name, bio, location and links. An
/// avatar shows when it is a file of the site: nothing is fetched.
fn sidebar(site: &Site, page: &Mapping, data: &ThemeData, image_base: &str) -> String {
    if !is_true(page.get("author_profile")) {
        return String::new();
    }
    fn given(v: Option<&Value>) -> Option<&Value> {
        v.filter(|v| !v.is_null())
    }
    let author = given(page.get("author"))
        .or_else(|| given(page.get("authors").and_then(|a| a.get(0))))
        .or_else(|| given(site.config.get("author")));
    let author = match author {
        Some(Value::String(name)) => data
            .authors
            .as_ref()
            .and_then(|a| a.get(name.as_str()))
            .or(author),
        other => other,
    };
    let field = |key: &str| {
        author
            .and_then(|a| a.get(key))
            .map(|v| text_value(Some(v)))
            .unwrap_or_default()
    };
    let base = site.setting("baseurl");
    let home = field("home");
    let home = match home.as_str() {
        home if !home.is_empty() && url_allowed(home, None) => relative_url(home, base),
        _ => relative_url("/", base),
    };
    let name = field("name");
    let mut s = String::from("<div class=\"sidebar sticky\">\n<div class=\"h-card\">\n");
    let avatar = field("avatar");
    let avatar_file = avatar
        .strip_prefix(base.trim_end_matches('/'))
        .unwrap_or(&avatar)
        .trim_start_matches('/');
    if !avatar_file.is_empty() && site.file(avatar_file).is_ok_and(|f| f.is_file()) {
        s.push_str("<div class=\"author__avatar\">\n<a href=\"");
        escape_into(&mut s, &home);
        s.push_str("\"><img src=\"");
        escape_into(&mut s, &local_url(image_base, avatar_file));
        s.push_str("\" alt=\"");
        escape_into(&mut s, &name);
        s.push_str("\" class=\"u-photo\"></a>\n</div>\n");
    }
    s.push_str("<div class=\"author__content\">\n<h3 class=\"author__name p-name\"><a class=\"u-url\" href=\"");
    escape_into(&mut s, &home);
    s.push_str("\">");
    escape_into(&mut s, &name);
    s.push_str("</a></h3>\n");
    let bio = field("bio");
    if !bio.is_empty() {
        s.push_str("<div class=\"author__bio p-note\"><p>");
        escape_into(&mut s, bio.trim());
        s.push_str("</p></div>\n");
    }
    s.push_str("</div>\n<div class=\"author__urls-wrapper\">\n<button class=\"btn btn--inverse\">");
    escape_into(
        &mut s,
        &data.labels.get("follow_label", "Follow").replace(':', ""),
    );
    s.push_str("</button>\n<ul class=\"author__urls social-icons\">\n");
    let location = field("location");
    if !location.is_empty() {
        s.push_str(
            "<li><i class=\"fas fa-fw fa-map-marker-alt\" aria-hidden=\"true\"></i> \
             <span class=\"p-locality\">",
        );
        escape_into(&mut s, &location);
        s.push_str("</span></li>\n");
    }
    let links = author
        .and_then(|a| a.get("links"))
        .and_then(Value::as_sequence);
    for link in links.into_iter().flatten() {
        let text = |key| text_value(link.get(key));
        let (label, url, icon) = (text("label"), text("url"), text("icon"));
        // The post can name its author: its links are checked as the post's own are.
        if label.is_empty() || url.is_empty() || !url_allowed(&url, None) {
            continue;
        }
        s.push_str("<li><a href=\"");
        escape_into(&mut s, &url);
        s.push_str("\"><i class=\"");
        escape_into(
            &mut s,
            if icon.is_empty() {
                "fas fa-link"
            } else {
                &icon
            },
        );
        s.push_str("\" aria-hidden=\"true\"></i><span class=\"label\">");
        escape_into(&mut s, &label);
        s.push_str("</span></a></li>\n");
    }
    s.push_str("</ul>\n</div>\n</div>\n</div>\n");
    s
}

/// The theme's read time text (`_includes/page__meta.html`) for `words` read at `per_minute`.
fn read_time(words: usize, per_minute: u64, labels: &Labels) -> String {
    let minute_read = labels.get("minute_read", "minute read");
    match minutes(words, per_minute) {
        0 => format!("{} 1 {minute_read}", labels.get("less_than", "less than")),
        n => format!("{n} {minute_read}"),
    }
}

/// The TOC box the theme's `single` layout prints when the page has `toc: true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TocBox {
    /// `toc_label`, else the theme's `toc_label` for the site's locale, else "On this page".
    pub label: String,
    /// `toc_icon` (a Font Awesome name), else `file-alt`.
    pub icon: String,
    /// `toc_sticky`: the box stays in view while the page scrolls.
    pub sticky: bool,
}

/// The TOC box of a page whose variables are `page`, or `None` without `toc: true`.
pub(crate) fn toc_box(page: &Mapping, labels: &Labels) -> Option<TocBox> {
    if !is_true(page.get("toc")) {
        return None;
    }
    let icon = text_of(page, "toc_icon");
    let label = text_of(page, "toc_label");
    Some(TocBox {
        label: match label.as_str() {
            "" => labels.get("toc_label", "On this page"),
            _ => label,
        },
        icon: if icon.is_empty() {
            "file-alt".to_owned()
        } else {
            icon
        },
        sticky: is_true(page.get("toc_sticky")),
    })
}

/// One line of the theme's TOC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TocEntry {
    /// Where the heading's `<h` starts in the HTML the TOC was made from.
    pub at: usize,
    pub level: u32,
    /// The id, without `"`, `<` or `>`.
    pub id: String,
    /// The heading's text as HTML (character references kept), without `<` or `>`.
    pub text: String,
}

/// The headings the theme's `_includes/toc.html` (jekyll-toc 1.2.1, © Vladimir Jimenez, MIT)
/// lists with `sanitize=true h_min=1 h_max=6 class="toc__menu" skip_no_ids=true`: the HTML cut
/// at each `<h`, the levels below the first heading's left out.
pub(crate) fn toc_entries(html: &str) -> Vec<TocEntry> {
    let mut entries = Vec::new();
    let trimmed = html.trim_start();
    let offset = html.len() - trimmed.len();
    let trimmed = trimmed.trim_end();
    let mut min_level = 1;
    let mut first = true;
    let mut start = 0;
    for node in trimmed.split("<h") {
        let at = offset + start;
        start += node.len() + 2;
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
        entries.push(TocEntry {
            // The first node is the text before any `<h`.
            at: if at == offset { at } else { at - 2 },
            level,
            id: id.replace(['"', '<', '>'], ""),
            text,
        });
        first = false;
    }
    entries
}

/// The TOC list as the theme's `_includes/toc.html` builds it: [`toc_entries`] nested by level.
fn toc(html: &str) -> String {
    let mut list = String::new();
    let mut min_level = 1;
    let mut last_level = 0;
    for (
        i,
        TocEntry {
            level, id, text, ..
        },
    ) in toc_entries(html).into_iter().enumerate()
    {
        if i == 0 {
            min_level = level;
        }
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
#[derive(Debug, Default)]
pub(crate) struct Labels(Option<Mapping>);

/// What the frame reads of the site's `_data/`: the theme's interface text, the masthead's
/// links and the authors.
#[derive(Debug)]
pub(crate) struct ThemeData {
    labels: Labels,
    navigation: Option<Value>,
    authors: Option<Value>,
    /// How the site's `page__meta.html` counts words.
    pub(crate) word_mode: WordMode,
}

/// The data files [`ThemeData`] is read from.
const DATA_FILES: [&str; 3] = [
    "_data/ui-text.yml",
    "_data/navigation.yml",
    "_data/authors.yml",
];

/// The files [`KeptData`] watches: the data files and the include [`WordMode::of`] reads.
const KEPT_FILES: [&str; 4] = [
    DATA_FILES[0],
    DATA_FILES[1],
    DATA_FILES[2],
    super::counts::PAGE_META,
];

impl ThemeData {
    fn read(site: &Site) -> ThemeData {
        let [ui_text, navigation, authors] = DATA_FILES.map(|file| {
            crate::document::read_text(&site.root.join(file))
                .ok()
                .and_then(|t| crate::yaml::load(&t).ok())
                .map(|l| l.value)
        });
        ThemeData {
            labels: Labels::of_locale(site, ui_text.as_ref()),
            navigation,
            authors,
            word_mode: WordMode::of(site),
        }
    }
}

/// [`ThemeData`] kept by the live preview while the site, its locale and the files'
/// modification times stay the same: a keystroke does not read them again.
#[derive(Debug, Default)]
pub(crate) struct KeptData(Option<(DataKey, Arc<ThemeData>)>);

type DataKey = (PathBuf, String, [Option<SystemTime>; KEPT_FILES.len()]);

impl KeptData {
    pub(crate) fn of(&mut self, site: &Site) -> Arc<ThemeData> {
        // Taken before the files are read: a change made meanwhile is seen by the next call.
        let modified = KEPT_FILES.map(|file| modified(&site.root.join(file)));
        let key = (
            site.root.clone(),
            site.setting("locale").to_owned(),
            modified,
        );
        match &self.0 {
            Some((kept, data)) if *kept == key => data.clone(),
            _ => {
                let data = Arc::new(ThemeData::read(site));
                self.0 = Some((key, data.clone()));
                data
            }
        }
    }
}

impl Labels {
    /// The labels of the site's `locale` in its `_data/ui-text.yml`.
    pub(crate) fn read(site: &Site) -> Labels {
        let ui_text = crate::document::read_text(&site.root.join(DATA_FILES[0]))
            .ok()
            .and_then(|t| crate::yaml::load(&t).ok())
            .map(|l| l.value);
        Labels::of_locale(site, ui_text.as_ref())
    }

    fn of_locale(site: &Site, ui_text: Option<&Value>) -> Labels {
        Labels(
            ui_text
                .and_then(|d| d.get(site.setting("locale")))
                .and_then(Value::as_mapping)
                .cloned(),
        )
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
    text_value(page.get(key))
}

/// A value as Liquid prints it, for text, numbers and booleans; nothing for others.
fn text_value(value: Option<&Value>) -> String {
    match value {
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
    fn masthead_and_sidebar_as_the_themes_includes_draw_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("_config.yml"),
            "title: 블로그\nsubtitle: 매월\nbaseurl: /b\nlocale: ko-KR\n\
             author:\n  name: Site Author\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("_data")).unwrap();
        std::fs::create_dir_all(root.join("assets")).unwrap();
        std::fs::write(root.join("assets/김.jpg"), b"jpg").unwrap();
        std::fs::write(
            root.join("_data/navigation.yml"),
            "main:\n  - title: 소개\n    url: /about/\n  - title: Bad\n    url: \"javascript:x\"\n",
        )
        .unwrap();
        std::fs::write(
            root.join("_data/authors.yml"),
            "kim:\n  name: 김 <기자>\n  avatar: /b/assets/김.jpg\n  bio: 데이터\n  location: 서울\n  \
             home: \"javascript:y\"\n  links:\n    - label: GitHub\n      url: https://github.com/kim\n      \
             icon: fab fa-github\n    - label: Evil\n      url: \"javascript:z\"\n",
        )
        .unwrap();
        std::fs::write(
            root.join("_data/ui-text.yml"),
            "ko-KR:\n  follow_label: \"팔로우:\"\n",
        )
        .unwrap();
        let site = Site::open(root).unwrap();
        let data = ThemeData::read(&site);
        let frame = |front_matter: &str| {
            let page: Mapping = serde_yaml::from_str(front_matter).unwrap();
            page_frame(&site, &page, &data, "site://localhost/", "", 0)
        };

        let shown = frame("author_profile: true\nauthor: kim\n");
        assert_eq!(
            shown.masthead,
            "<div class=\"masthead\">\n<div class=\"masthead__inner-wrap\">\n\
             <div class=\"masthead__menu\">\n<nav id=\"site-nav\" class=\"greedy-nav\">\n\
             <a class=\"site-title\" href=\"/b/\">블로그<span class=\"site-subtitle\">매월</span></a>\n\
             <ul class=\"visible-links\"><li class=\"masthead__menu-item\"><a href=\"/b/about/\">소개</a></li>\
             </ul>\n</nav>\n</div>\n</div>\n</div>\n"
        );
        let sidebar = &shown.sidebar;
        assert!(
            sidebar.contains(
                "<img src=\"site://localhost/assets/%EA%B9%80.jpg\" alt=\"김 &lt;기자&gt;\""
            ),
            "{sidebar}"
        );
        assert!(
            sidebar.contains("<a class=\"u-url\" href=\"/b/\">김 &lt;기자&gt;</a>"),
            "{sidebar}"
        );
        assert!(sidebar.contains("<p>데이터</p>") && sidebar.contains(">서울</span>"));
        assert!(sidebar.contains(">팔로우</button>"), "{sidebar}");
        assert!(sidebar.contains("<a href=\"https://github.com/kim\"><i class=\"fab fa-github\""));
        assert!(
            !sidebar.contains("javascript") && !sidebar.contains("Evil"),
            "{sidebar}"
        );

        // The site's author when the post names none; no sidebar without `author_profile`.
        let site_author = frame("author_profile: true\n").sidebar;
        assert!(site_author.contains(">Site Author</a>") && !site_author.contains("<img"));
        assert_eq!(frame("author: kim\n").sidebar, "");
    }
}
