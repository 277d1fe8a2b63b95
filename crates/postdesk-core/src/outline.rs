//! A post's outline: its headings as the site render makes them (level, text, the id kramdown
//! gives each, whether the theme's TOC lists it) with the lines of each one's section, and
//! moving a section (a heading with everything under it) before another or to the end.
//! Not for: rendering (the ids and text come from the site render, see `render`) or the TOC box's
//! HTML (see `render::page`).

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::render::{
    decode_references, marked_headings, strip_html, toc_box, toc_entries, Labels, TocBox,
};
use crate::site::Site;

/// A heading of the post, as the site render makes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Heading {
    /// 1 to 6, as published (kramdown's `header_offset` applied).
    pub level: u8,
    /// The heading as a reader sees it: the rendered text without markup.
    pub text: String,
    /// The id the published page gives it (`None` when it has none: `auto_ids: false`).
    pub id: Option<String>,
    /// The 1-based file line the heading is written on (the text line of a setext heading).
    pub line: u32,
    /// The 1-based file line its section ends on, inclusive: the line before the next heading of
    /// the same or a higher level (or its `{: …}` line), else the post's last line.
    pub end_line: u32,
    /// Written at the top of the body, not in a list, quote or HTML block: its section can be
    /// moved, and another moved before it.
    pub movable: bool,
    /// Listed in the TOC box the theme prints (only when the page has `toc: true`).
    pub in_toc: bool,
}

/// The post's headings in order, and the theme's TOC box when the page has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub toc: Option<TocBox>,
}

/// The outline of the post at `post_path` (inside `site`) whose text is `text`.
pub fn outline(site: &Site, post_path: &Path, text: &str) -> Outline {
    let marked = marked_headings(site, post_path, text);
    // The theme's words (`_data/ui-text.yml`) are read only for a TOC the page does not name.
    let mut toc = toc_box(&marked.page, &Labels::default());
    let named = match marked.page.get("toc_label") {
        Some(serde_yaml::Value::String(own)) => !own.is_empty(),
        other => other.is_some_and(|v| !v.is_null()),
    };
    if toc.is_some() && !named {
        toc = toc_box(&marked.page, &Labels::read(site));
    }
    let listed: Vec<usize> = match toc {
        Some(_) => toc_entries(&marked.html).iter().map(|e| e.at).collect(),
        None => Vec::new(),
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let found = marked_html_headings(&marked.html);
    let markdown_lines: Vec<usize> = found.iter().map(|h| h.markdown_line).collect();
    let file_lines = marked.file_lines(text, &markdown_lines);
    let mut headings = Vec::new();
    for (found, line) in found.into_iter().zip(file_lines) {
        headings.push(Heading {
            level: found.level,
            text: found.text,
            id: found.id,
            line,
            end_line: 0,
            movable: written_at_top(&lines, line as usize - 1),
            in_toc: listed.contains(&found.at),
        });
    }
    let last_line = u32::try_from(text.split_inclusive('\n').count()).unwrap_or(u32::MAX);
    for i in 0..headings.len() {
        let next = headings[i + 1..]
            .iter()
            .find(|h| h.level <= headings[i].level)
            .map_or(last_line + 1, |h| section_start(&lines, h.line));
        headings[i].end_line = next.saturating_sub(1).max(headings[i].line);
    }
    Outline { headings, toc }
}

/// A heading found in the marked HTML.
struct MarkedHeading {
    /// Where its `<h` is.
    at: usize,
    level: u8,
    markdown_line: usize,
    id: Option<String>,
    text: String,
}

/// The headings in `html` that carry their markdown line (`data-sourcepos="L:…"`), with the id
/// and text as the theme's TOC reads them (the first `id="…"`: comrak writes it on an anchor).
fn marked_html_headings(html: &str) -> Vec<MarkedHeading> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find("<h") {
        let at = from + i;
        from = at + 2;
        let Some(level) = html[from..]
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .filter(|l| (1..=6).contains(l))
        else {
            continue;
        };
        let Some(open_end) = html[at..].find('>').map(|e| at + e) else {
            break;
        };
        let opening = &html[at..open_end];
        let Some(markdown_line) = attribute(opening, "data-sourcepos")
            .and_then(|p| p.split(':').next())
            .and_then(|l| l.parse().ok())
            .filter(|&l| l > 0)
        else {
            continue;
        };
        let close = format!("</h{level}>");
        let inner_end = html[open_end..]
            .find(&close)
            .map_or(html.len(), |e| open_end + e);
        let inner = &html[open_end + 1..inner_end];
        let id = attribute(opening, "id")
            .or_else(|| attribute(inner, "id"))
            .filter(|id| !id.is_empty())
            .map(decode_references);
        found.push(MarkedHeading {
            at,
            level: level as u8,
            markdown_line,
            id,
            text: decode_references(strip_html(inner).trim()),
        });
        from = inner_end;
    }
    found
}

/// The value of the first ` name="…"` in `tag`.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    tag[start..].split('"').next()
}

/// Whether the heading on line `index` (0-based) is written at the top level of the body: an
/// ATX heading starts its line with `#`, a setext heading's text starts with no space, quote
/// or list marker.
fn written_at_top(lines: &[&str], index: usize) -> bool {
    let Some(line) = lines.get(index) else {
        return false;
    };
    if line.starts_with('#') {
        return true;
    }
    let nested = line.starts_with([' ', '\t', '>'])
        || ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m))
        || line.split_once(['.', ')']).is_some_and(|(n, rest)| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with(' ')
        });
    !nested && lines.get(index + 1).is_some_and(|u| is_setext_underline(u))
}

fn is_setext_underline(line: &str) -> bool {
    let line = line.trim_end();
    !line.is_empty() && (line.bytes().all(|b| b == b'=') || line.bytes().all(|b| b == b'-'))
}

/// The 1-based line a section whose heading is on `line` starts on: the heading's, or that of a
/// `{: …}` attribute line right before it (after a blank line), which kramdown gives the heading.
fn section_start(lines: &[&str], line: u32) -> u32 {
    let index = line as usize - 1;
    let is_ial = |l: &str| {
        let l = l.trim_end();
        l.starts_with("{:") && l.ends_with('}') && !l.starts_with("{::")
    };
    if index >= 1 && is_ial(lines[index - 1]) && (index == 1 || lines[index - 2].trim().is_empty())
    {
        line - 1
    } else {
        line
    }
}

/// Why a section cannot be moved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveProblem {
    #[error("the post has no heading number {0} (it has {1})")]
    NoSuchHeading(usize, usize),
    #[error("the heading on line {0} is inside a list, a quote or an HTML block: move its section by hand")]
    Nested(u32),
    #[error("the section of line {0} cannot go inside itself")]
    IntoItself(u32),
}

/// A move as one change of the editor's text: the text between `from` and `to` becomes
/// `insert`. Positions are in UTF-16 code units, as the editor counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SectionMove {
    pub from: u32,
    pub to: u32,
    pub insert: String,
    /// Where the moved section starts in the new text.
    pub section: u32,
}

impl SectionMove {
    /// `text` with the move made.
    pub fn apply(&self, text: &str) -> String {
        let from = byte_offset(text, self.from);
        let to = byte_offset(text, self.to);
        [&text[..from], &self.insert, &text[to..]].concat()
    }
}

/// Moves the section of `outline.headings[section]` (the heading and everything under it, up to
/// its `end_line`) before the section of `outline.headings[before]`, or to the end of the post
/// when `before` is `None`. The section's trailing blank lines stay behind; one blank line
/// separates it from what comes before and after in its new place. `outline` must be the
/// outline of `text`.
pub fn move_section(
    text: &str,
    outline: &Outline,
    section: usize,
    before: Option<usize>,
) -> Result<SectionMove, MoveProblem> {
    let heading = |i: usize| {
        let h = outline
            .headings
            .get(i)
            .ok_or(MoveProblem::NoSuchHeading(i + 1, outline.headings.len()))?;
        match h.movable {
            true => Ok(h),
            false => Err(MoveProblem::Nested(h.line)),
        }
    };
    let moved = heading(section)?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // Line starts in bytes; `starts[lines.len()]` is the end of the text.
    let mut starts = Vec::with_capacity(lines.len() + 1);
    let mut at = 0;
    starts.push(0);
    for line in &lines {
        at += line.len();
        starts.push(at);
    }
    let split: Vec<&str> = text.split('\n').collect();
    let start = section_start(&split, moved.line) as usize - 1;
    let end = (moved.end_line as usize).min(lines.len());
    let target = match before {
        Some(b) => section_start(&split, heading(b)?.line) as usize - 1,
        None => lines.len(),
    };
    if target > start && target < end {
        return Err(MoveProblem::IntoItself(moved.line));
    }
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let blank = |l: &str| l.trim().is_empty();
    // The section without its trailing blank lines, ending with a line break.
    let mut core_end = end;
    while core_end > start + 1 && blank(lines[core_end - 1]) {
        core_end -= 1;
    }
    let mut core = text[starts[start]..starts[core_end]].to_owned();
    if !core.ends_with('\n') {
        core.push_str(eol);
    }
    // The new text of lines [from, to) and where the section starts in it.
    let (from, to, insert, core_at) = if target == start || target == end {
        (start, start, String::new(), 0)
    } else if target < start {
        // [target, start) follows the section now.
        let mut insert = core.clone();
        insert.push_str(eol);
        insert.push_str(&text[starts[target]..starts[start]]);
        // What ends the post now ends as the post did: no blank line after it.
        if end == lines.len() {
            insert.truncate(insert.trim_end_matches(['\r', '\n']).len());
            if text.ends_with('\n') {
                insert.push_str(eol);
            }
        }
        (target, end, insert, 0)
    } else {
        // [end, target) comes before the section now.
        let mut insert = text[starts[end]..starts[target]].to_owned();
        if !insert.ends_with('\n') {
            insert.push_str(eol);
        }
        if !insert.lines().last().is_some_and(blank) {
            insert.push_str(eol);
        }
        let core_at = insert.len();
        insert.push_str(&core);
        if target < lines.len() {
            insert.push_str(eol);
        } else if !text.ends_with('\n') {
            insert.truncate(insert.trim_end_matches(['\r', '\n']).len());
        }
        (start, target, insert, core_at)
    };
    let from_utf16 = utf16_len(&text[..starts[from]]);
    Ok(SectionMove {
        from: from_utf16,
        to: utf16_len(&text[..starts[to]]),
        section: from_utf16 + utf16_len(&insert[..core_at]),
        insert,
    })
}

/// [`move_section`] on the outline of the post at `post_path` (inside `site`) with `text`.
pub fn move_post_section(
    site: &Site,
    post_path: &Path,
    text: &str,
    section: usize,
    before: Option<usize>,
) -> Result<SectionMove, MoveProblem> {
    move_section(text, &outline(site, post_path, text), section, before)
}

fn utf16_len(text: &str) -> u32 {
    u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// The byte offset of the UTF-16 position `at` in `text` (its end when past it).
fn byte_offset(text: &str, at: u32) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= at as usize {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{render_post, Target};

    fn outline_of(config: &str, text: &str) -> (Outline, String) {
        let (_dir, site) = crate::testing::site(config);
        let post = site.root.join("_posts/2023-03-22-p.md");
        let published = render_post(&site, &post, text, &Target::Site).html;
        (outline(&site, &post, text), published)
    }

    /// The ids of the headings in published HTML, in order.
    fn published_ids(html: &str) -> Vec<String> {
        let re = regex::Regex::new(r#"<h[1-6][^>]* id="([^"]*)""#).unwrap();
        re.captures_iter(html).map(|c| c[1].to_owned()).collect()
    }

    fn summary(outline: &Outline) -> Vec<(u8, &str, &str, u32, u32)> {
        outline
            .headings
            .iter()
            .map(|h| {
                let id = h.id.as_deref().unwrap_or("");
                (h.level, h.text.as_str(), id, h.line, h.end_line)
            })
            .collect()
    }

    const POST: &str = "---\ntitle: \"# not a heading\"\ntoc: true\n---\n\
# 머리말\n\nText.\n\n## 중국판 Chat GPT, MOSS의 성능은? 💬\n\n```sh\n# a comment\n```\n\n\
{% raw %}\n~~~\n# {{ not liquid }}\n~~~\n{% endraw %}\n\n## 머리말\n\nSetext *emphasis*\n--------\n\n\
# 머리말\n\n## Custom {#own-id}\n\n## With IAL\n{: #ial-id .no_toc}\n\n    # indented code\n\n\
> # Quoted\n\nLast & least\n=====\n";

    #[test]
    fn ids_text_and_lines_are_the_site_renders() {
        let (o, published) = outline_of("title: t\n", POST);
        assert_eq!(
            summary(&o),
            [
                (1, "머리말", "머리말", 5, 25),
                (
                    2,
                    "중국판 Chat GPT, MOSS의 성능은? 💬",
                    "중국판-chat-gpt-moss의-성능은-",
                    9,
                    20
                ),
                (2, "머리말", "머리말-1", 21, 22),
                (2, "Setext emphasis", "setext-emphasis", 23, 25),
                (1, "머리말", "머리말-2", 26, 34),
                (2, "Custom", "own-id", 28, 29),
                (2, "With IAL", "ial-id", 30, 34),
                (1, "Quoted", "quoted", 35, 36),
                (1, "Last & least", "last--least", 37, 38),
            ]
        );
        let ids: Vec<&str> = o.headings.iter().filter_map(|h| h.id.as_deref()).collect();
        assert_eq!(ids, published_ids(&published));
        let movable: Vec<bool> = o.headings.iter().map(|h| h.movable).collect();
        assert_eq!(
            movable,
            [true, true, true, true, true, true, true, false, true]
        );
    }

    #[test]
    fn the_toc_lists_what_the_theme_lists_under_its_label() {
        let (o, _) = outline_of("title: t\n", POST);
        let listed: Vec<&str> = o
            .headings
            .iter()
            .filter(|h| h.in_toc)
            .map(|h| h.id.as_deref().unwrap())
            .collect();
        // `.no_toc` is left out, as the theme's include does.
        assert_eq!(
            listed,
            [
                "머리말",
                "중국판-chat-gpt-moss의-성능은-",
                "머리말-1",
                "setext-emphasis",
                "머리말-2",
                "own-id",
                "quoted",
                "last--least"
            ]
        );
        let toc = o.toc.unwrap();
        assert_eq!(
            (toc.label.as_str(), toc.icon.as_str(), toc.sticky),
            ("On this page", "file-alt", false)
        );

        // The label and icon of the post, else the theme's words for the site's locale.
        let text = "---\ntoc: true\ntoc_label: 목차\ntoc_icon: cog\ntoc_sticky: true\n---\n## 둘\n\n# 하나\n";
        let (o, _) = outline_of("title: t\n", text);
        let toc = o.toc.unwrap();
        assert_eq!(
            (toc.label.as_str(), toc.icon.as_str(), toc.sticky),
            ("목차", "cog", true)
        );
        // The theme leaves out levels above the first heading's.
        let listed: Vec<bool> = o.headings.iter().map(|h| h.in_toc).collect();
        assert_eq!(listed, [true, false]);

        let (dir, site) = crate::testing::site("locale: ko-KR\n");
        std::fs::create_dir_all(dir.path().join("_data")).unwrap();
        std::fs::write(
            dir.path().join("_data/ui-text.yml"),
            "en:\n  toc_label: On this page\nko-KR:\n  toc_label: 이 페이지에서\n",
        )
        .unwrap();
        let post = site.root.join("_posts/2023-03-22-p.md");
        let o = outline(&site, &post, "---\ntoc: true\n---\n# A\n");
        assert_eq!(o.toc.unwrap().label, "이 페이지에서");

        // Without `toc: true` (nor `defaults:` giving it) no TOC, and nothing is listed.
        let (o, _) = outline_of("title: t\n", "# A\n");
        assert!(o.toc.is_none() && !o.headings[0].in_toc);
        let defaults = "defaults:\n  - scope: {path: \"\"}\n    values: {toc: true}\n";
        let (o, _) = outline_of(defaults, "# A\n");
        assert!(o.toc.is_some() && o.headings[0].in_toc);
    }

    #[test]
    fn lines_are_the_files_when_liquid_adds_or_removes_lines() {
        let text = "---\nt: 1\n---\n{% comment %}\nmany\nlines\n{% endcomment %}\n# A {{ page.t }}\n\n\
                    {% if false %}\n# Hidden\n{% endif %}\n{% capture x %}\n1\n2\n{% endcapture %}\n# B\n";
        let (o, published) = outline_of("title: t\n", text);
        assert_eq!(
            summary(&o),
            [(1, "A 1", "a-1", 8, 16), (1, "B", "b", 17, 17)]
        );
        assert_eq!(published_ids(&published), ["a-1", "b"]);
    }

    #[test]
    fn kramdown_input_and_commonmark_sites_give_their_own_ids() {
        let text = "# Hello, 세계!\n\n# Hello, 세계!\n";
        for config in [
            "kramdown:\n  input: kramdown\n",
            "markdown: CommonMark\n",
            "kramdown:\n  auto_id_prefix: x-\n",
        ] {
            let (o, published) = outline_of(config, text);
            let ids: Vec<&str> = o.headings.iter().filter_map(|h| h.id.as_deref()).collect();
            assert_eq!(ids.len(), 2, "{config}: {published}");
            assert_eq!(ids, published_ids(&published), "{config}");
            assert_eq!(o.headings[1].line, 3, "{config}");
            assert_eq!(o.headings[0].text, "Hello, 세계!", "{config}");
        }
        let (o, _) = outline_of("kramdown:\n  auto_ids: false\n", text);
        assert_eq!(o.headings[0].id, None);
    }

    fn moved(text: &str, section: usize, before: Option<usize>) -> Result<String, MoveProblem> {
        let (_dir, site) = crate::testing::site("title: t\n");
        let post = site.root.join("_posts/2023-03-22-p.md");
        let o = outline(&site, &post, text);
        let change = move_section(text, &o, section, before)?;
        let after = change.apply(text);
        // The change says where the section is now.
        let at = byte_offset(&after, change.section);
        let start = section_start(
            &text.split('\n').collect::<Vec<_>>(),
            o.headings[section].line,
        );
        let first = text.split('\n').nth(start as usize - 1).unwrap();
        assert!(after[at..].starts_with(first), "{after:?} at {at}");
        Ok(after)
    }

    const SECTIONS: &str = "---\nt: 1\n---\nIntro.\n\n# 하나\n\nOne.\n\n## 하나 둘\n\nSub.\n\n\n# 둘\n\nTwo.\n# 셋\nThree.\n";

    #[test]
    fn a_section_moves_with_its_subsections_and_one_blank_line_around() {
        // Up: 셋 before 하나.
        assert_eq!(
            moved(SECTIONS, 3, Some(0)).unwrap(),
            "---\nt: 1\n---\nIntro.\n\n# 셋\nThree.\n\n# 하나\n\nOne.\n\n## 하나 둘\n\nSub.\n\n\n# 둘\n\nTwo.\n"
        );
        // Down: 하나 (with 하나 둘) to the end; its trailing blank lines stay behind.
        assert_eq!(
            moved(SECTIONS, 0, None).unwrap(),
            "---\nt: 1\n---\nIntro.\n\n# 둘\n\nTwo.\n# 셋\nThree.\n\n# 하나\n\nOne.\n\n## 하나 둘\n\nSub.\n"
        );
        // Down before another: 하나 before 셋.
        assert_eq!(
            moved(SECTIONS, 0, Some(3)).unwrap(),
            "---\nt: 1\n---\nIntro.\n\n# 둘\n\nTwo.\n\n# 하나\n\nOne.\n\n## 하나 둘\n\nSub.\n\n# 셋\nThree.\n"
        );
        // A subsection alone, to the end of the post.
        assert_eq!(
            moved(SECTIONS, 1, None).unwrap(),
            "---\nt: 1\n---\nIntro.\n\n# 하나\n\nOne.\n\n# 둘\n\nTwo.\n# 셋\nThree.\n\n## 하나 둘\n\nSub.\n"
        );
        // The last section moved up: what ends the post now has no blank line after it.
        assert_eq!(
            moved("# A\n\na\n\n# B\n\nb\n", 1, Some(0)).unwrap(),
            "# B\n\nb\n\n# A\n\na\n"
        );
        // Where it is already: nothing changes.
        assert_eq!(moved(SECTIONS, 2, Some(3)).unwrap(), SECTIONS);
        assert_eq!(moved(SECTIONS, 3, None).unwrap(), SECTIONS);
    }

    #[test]
    fn a_move_keeps_a_missing_final_newline_crlf_and_the_attribute_line() {
        let text = "# A\r\n\r\na\r\n\r\n{: .no_toc}\r\n# B\r\n\r\nb";
        assert_eq!(
            moved(text, 1, Some(0)).unwrap(),
            "{: .no_toc}\r\n# B\r\n\r\nb\r\n\r\n# A\r\n\r\na"
        );
        assert_eq!(
            moved(text, 0, None).unwrap(),
            "{: .no_toc}\r\n# B\r\n\r\nb\r\n\r\n# A\r\n\r\na"
        );
    }

    #[test]
    fn a_move_that_cannot_be_made_says_why() {
        assert_eq!(moved(SECTIONS, 0, Some(1)), Err(MoveProblem::IntoItself(6)));
        assert_eq!(
            moved(SECTIONS, 7, None),
            Err(MoveProblem::NoSuchHeading(8, 4))
        );
        let quoted = "# A\n\n> # Q\n\n# B\n";
        assert_eq!(moved(quoted, 1, None), Err(MoveProblem::Nested(3)));
        assert_eq!(moved(quoted, 0, Some(1)), Err(MoveProblem::Nested(3)));
        assert_eq!(
            MoveProblem::Nested(3).to_string(),
            "the heading on line 3 is inside a list, a quote or an HTML block: move its section by hand"
        );
    }
}
