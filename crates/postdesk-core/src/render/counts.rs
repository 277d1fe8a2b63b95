//! What a post counts as its theme counts it: words as minimal-mistakes' `page__meta.html` takes
//! them (`content | strip_html | number_of_words`, in the mode the site's copy of that include
//! asks for), the read time (`words_per_minute`), and the characters with and without spaces
//! that Korean writers count. Always of the HTML Jekyll publishes, never of the markdown.
//! Not for: drawing the read time in the page (see `page`).

use std::path::Path;
use std::sync::LazyLock;

use postdesk_kramdown::tree::Entity;
use regex::Regex;
use serde::Serialize;
use serde_yaml::{Mapping, Value};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use super::live::byte_offset;
use super::sanitize::numeric_reference;
use super::{render_post, Target};
use crate::post::Post;
use crate::site::Site;

/// The figures of a post, and of the writer's selection when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PostStats {
    pub post: Counts,
    pub selection: Option<Counts>,
    /// The reading speed the theme divides by: the post's `words_per_minute`, else the site's,
    /// else 200.
    pub words_per_minute: u32,
}

/// What one piece of published text counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Counts {
    /// `strip_html | number_of_words` as the theme counts them.
    pub words: u32,
    /// Characters as a reader sees them (a Hangul syllable is one), each gap between words one
    /// space.
    pub characters: u32,
    pub characters_without_spaces: u32,
    /// The theme's read time in whole minutes: words divided by `words_per_minute`, rounded
    /// down; 0 is its "less than 1 minute".
    pub minutes: u32,
}

/// The modes of Jekyll 4.3's `number_of_words` filter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum WordMode {
    /// No mode: the text split at white space.
    #[default]
    Split,
    /// `"cjk"`: each Han, Katakana, Hiragana or Hangul character is a word, and so is each run
    /// of other characters between white space.
    Cjk,
    /// `"auto"`: `Cjk` when the text has such a character, else `Split`.
    Auto,
}

/// The site's copy of the theme's include that counts a post's words.
pub(crate) const PAGE_META: &str = "_includes/page__meta.html";

impl WordMode {
    /// The mode the site's `_includes/page__meta.html` (its own copy of the theme's include)
    /// gives `number_of_words`; the theme's include gives none.
    pub(crate) fn of(site: &Site) -> WordMode {
        let include = crate::document::read_text(&site.root.join(PAGE_META));
        let Some(after) = include
            .ok()
            .and_then(|t| Some(t.split_once("number_of_words")?.1.to_owned()))
        else {
            return WordMode::Split;
        };
        let argument = after
            .trim_start()
            .strip_prefix(':')
            .map(|a| a.trim_start().trim_start_matches(['"', '\'']));
        match argument {
            Some(a) if a.starts_with("cjk") => WordMode::Cjk,
            Some(a) if a.starts_with("auto") => WordMode::Auto,
            _ => WordMode::Split,
        }
    }
}

/// The figures of the post at `post_path` (inside `site`) whose text is `text`, and of the part
/// of it between `selection`'s UTF-16 positions (as the editor counts) when given and not
/// empty. A selection is rendered as the post's body would be, with its front matter; the part
/// of it inside the front matter counts nothing.
pub fn post_stats(
    site: &Site,
    post_path: &Path,
    text: &str,
    selection: Option<(u32, u32)>,
) -> PostStats {
    let split = Post::split(text);
    let front_matter = split.front_matter_map().unwrap_or_default();
    let page = site.page_variables(&site.relative(post_path), &front_matter);
    let per_minute = words_per_minute(site, &page);
    let mode = WordMode::of(site);
    let count = |text: &str| {
        let html = render_post(site, post_path, text, &Target::Site).html;
        Counts::of(&html, mode, per_minute)
    };
    let body_start = text.len() - split.body.len();
    let selected = selection
        .and_then(|(from, to)| Some((byte_offset(text, from)?, byte_offset(text, to)?)))
        .map(|(from, to)| (from.max(body_start), to))
        .filter(|(from, to)| from < to);
    PostStats {
        post: count(text),
        selection: selection.map(|_| match selected {
            Some((from, to)) => count(&[&text[..body_start], &text[from..to]].concat()),
            None => Counts::default(),
        }),
        words_per_minute: per_minute as u32,
    }
}

impl Counts {
    /// The figures of published `html`, its words counted in `mode`, read at `per_minute`.
    pub(crate) fn of(html: &str, mode: WordMode, per_minute: u64) -> Counts {
        let stripped = strip_html(html);
        let words = words(&stripped, mode);
        let mut characters = 0;
        let mut without_spaces = 0;
        let mut gap = false;
        for c in decode_references(stripped.trim()).nfc() {
            if c.is_whitespace() {
                gap = true;
                continue;
            }
            characters += 1 + u32::from(gap && without_spaces > 0);
            without_spaces += 1;
            gap = false;
        }
        Counts {
            words: words as u32,
            characters,
            characters_without_spaces: without_spaces,
            minutes: minutes(words, per_minute) as u32,
        }
    }
}

/// The words per minute the theme reads `page` (its variables, defaults merged) at:
/// `page.words_per_minute | default: site.words_per_minute | default: 200`.
pub(crate) fn words_per_minute(site: &Site, page: &Mapping) -> u64 {
    [
        page.get("words_per_minute"),
        site.config.get("words_per_minute"),
    ]
    .into_iter()
    .flatten()
    .find_map(Value::as_u64)
    .filter(|&n| n > 0)
    .unwrap_or(200)
}

/// The theme's read time in minutes (`_includes/page__meta.html`): `words` divided by
/// `per_minute`, rounded down; 0 when fewer than `per_minute` ("less than 1").
pub(crate) fn minutes(words: usize, per_minute: u64) -> u64 {
    words as u64 / per_minute
}

/// The words of published `html` as the theme counts them: `strip_html | number_of_words`.
pub(crate) fn html_words(html: &str, mode: WordMode) -> usize {
    words(&strip_html(html), mode)
}

/// Jekyll's `number_of_words(text, mode)`. Ruby's `split` parts text at ASCII white space only
/// (a no-break space is inside a word), vertical tab included.
fn words(text: &str, mode: WordMode) -> usize {
    static CJK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[\p{sc=Han}\p{sc=Katakana}\p{sc=Hiragana}\p{sc=Hangul}]").expect("valid")
    });
    static OTHER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[^\p{sc=Han}\p{sc=Katakana}\p{sc=Hiragana}\p{sc=Hangul} \t\n\x0B\x0C\r]+")
            .expect("valid")
    });
    let split = || {
        text.split([' ', '\t', '\n', '\x0B', '\x0C', '\r'])
            .filter(|w| !w.is_empty())
            .count()
    };
    let cjk = || CJK.find_iter(text).count();
    match mode {
        WordMode::Split => split(),
        WordMode::Cjk => cjk() + OTHER.find_iter(text).count(),
        WordMode::Auto => match cjk() {
            0 => split(),
            n => n + OTHER.find_iter(text).count(),
        },
    }
}

/// Liquid's `strip_html`: scripts, styles and comments go with their text, other tags alone.
pub(crate) fn strip_html(html: &str) -> String {
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

/// `text` with the character references kramdown writes (`&amp;`, `&ldquo;`, `&#8617;`)
/// decoded, as a reader sees them; an unknown one stays as it is.
pub(crate) fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let decoded = match rest.strip_prefix('#') {
            Some(numeric) => numeric_reference(numeric).map(|(c, len)| (c, len + 1)),
            None => {
                let len = rest
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(rest.len());
                rest[len..]
                    .starts_with(';')
                    .then(|| Entity::from_name(&rest[..len])?.char())
                    .flatten()
                    .map(|c| (c, len))
            }
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_of_words_in_its_three_modes() {
        let text = "한국어 텍스트, abc\u{a0}def\x0Bx 漢字かなカナ!";
        assert_eq!(words(text, WordMode::Split), 5);
        // 한 국 어 텍 스 트 漢 字 か な カ ナ, then ",", "abc\u{a0}def", "x", "!".
        assert_eq!(words(text, WordMode::Cjk), 16);
        assert_eq!(words(text, WordMode::Auto), 16);
        assert_eq!(words("plain words only", WordMode::Auto), 3);
    }

    #[test]
    fn read_time_is_words_divided_by_words_per_minute_rounded_down() {
        let text = |n: usize| "<p>word</p> ".repeat(n);
        let read = |n| minutes(html_words(&text(n), WordMode::Split), 200);
        assert_eq!([read(199), read(200), read(399), read(400)], [0, 1, 1, 2]);
    }

    #[test]
    fn characters_are_those_a_reader_sees() {
        let html = "<h1 id=\"x\">머리말</h1>\n<p>&ldquo;Hi&rdquo; &amp; 한글\n<em>둘</em></p>\n\
                    <p>\u{1112}\u{1161}\u{11AB} &#8617;</p>\n";
        let counts = Counts::of(html, WordMode::Split, 2);
        // 머리말 / “Hi” / & / 한글 / 둘 / 한 (composed) / ↩
        assert_eq!(counts.words, 7);
        assert_eq!(counts.characters_without_spaces, 3 + 4 + 1 + 2 + 1 + 1 + 1);
        assert_eq!(counts.characters, counts.characters_without_spaces + 6);
        assert_eq!(counts.minutes, 3);
    }

    #[test]
    fn a_selection_counts_what_it_renders_to_and_the_site_chooses_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("_config.yml"), "words_per_minute: 2\n").unwrap();
        std::fs::create_dir_all(root.join("_posts")).unwrap();
        let post = root.join("_posts/2023-01-01-a.md");
        let text =
            "---\ntitle: 제목\n---\n# 머리말\n\n**굵은** 글씨와 [링크](https://a.b/?c=1&d=2) 셋\n";
        std::fs::write(&post, text).unwrap();
        let site = Site::open(root).unwrap();
        let utf16 = |s: &str| s.encode_utf16().count() as u32;
        let at = |needle: &str| utf16(&text[..text.find(needle).unwrap()]);

        let stats = post_stats(&site, &post, text, None);
        assert_eq!((stats.post.words, stats.post.minutes), (5, 2));
        assert_eq!(stats.post.characters_without_spaces, 3 + 2 + 3 + 2 + 1);
        assert_eq!((stats.selection, stats.words_per_minute), (None, 2));

        // The link's markdown counts as the words it shows; the front matter counts nothing.
        let link = post_stats(&site, &post, text, Some((at("[링크]"), at(" 셋")))).selection;
        assert_eq!(link.map(|c| (c.words, c.characters)), Some((1, 2)));
        let from_top = post_stats(&site, &post, text, Some((0, at("\n\n**")))).selection;
        assert_eq!(from_top.map(|c| (c.words, c.characters)), Some((1, 3)));
        let front_matter = post_stats(&site, &post, text, Some((0, 8))).selection;
        assert_eq!(front_matter, Some(Counts::default()));

        // The site's copy of the theme's include asks for `cjk`: each syllable is a word.
        std::fs::create_dir_all(root.join("_includes")).unwrap();
        std::fs::write(
            root.join("_includes/page__meta.html"),
            "{% assign words = document.content | strip_html | number_of_words: 'cjk' %}",
        )
        .unwrap();
        assert_eq!(post_stats(&site, &post, text, None).post.words, 11);
    }

    #[test]
    fn strip_html_drops_scripts_and_comments_with_their_text() {
        assert_eq!(
            strip_html("a<script>x y</script> b<!-- c d --> <b>e</b>"),
            "a b e"
        );
    }
}
