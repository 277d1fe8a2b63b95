//! Finding text in every post and draft of a site, the way a writer means it: case makes no
//! difference, nor does the form Hangul is stored in (composed, NFC, as most programs write it,
//! or decomposed, NFD, as macOS file names and some pastes bring it); and replacing what was
//! found, every change shown first, then written all or nothing.
//! Not for: the post list's filter (the window's, on titles).

use rayon::prelude::*;
use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::site::{Site, SiteError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("give some text to search for")]
    Empty,
    #[error("{0}")]
    Pattern(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ReplaceError {
    #[error("{0} changed since the replacement was shown: nothing was replaced. Look again.")]
    ChangedMeanwhile(String),
    #[error("nothing was replaced: {0}")]
    Site(#[from] SiteError),
}

/// What a search found, post by post in the order of the post list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SearchResults {
    pub posts: Vec<PostMatches>,
    /// More lines matched than were asked for: the last are left out.
    pub truncated: bool,
}

/// The lines of one post that match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PostMatches {
    /// From the site root (`_posts/2023-03-22-gdata33.md`).
    pub path: String,
    pub lines: Vec<LineMatch>,
}

/// A line that matches: its text as the file holds it, and where the matches are in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LineMatch {
    /// 1-based, counting the front matter's lines.
    pub line: u32,
    pub text: String,
    /// Each match as `[start, end)` in UTF-16 code units of `text` (as the editor counts); a
    /// match that goes on past the line ends with it.
    pub ranges: Vec<(u32, u32)>,
}

/// The lines of `site`'s posts and drafts matching `query` (a regular expression when `regex`,
/// else the text itself), at most `limit` of them.
pub fn search(
    site: &Site,
    query: &str,
    regex: bool,
    limit: usize,
) -> Result<SearchResults, SearchError> {
    let pattern = pattern(query, regex)?;
    let found: Vec<PostMatches> = site
        .post_paths()
        .into_par_iter()
        .filter_map(|path| {
            let text = site.read_post(&path).ok()?;
            let lines = matching_lines(&pattern, &text);
            (!lines.is_empty()).then_some(PostMatches { path, lines })
        })
        .collect();
    let mut left = limit;
    let mut posts = Vec::with_capacity(found.len());
    let mut truncated = false;
    for mut post in found {
        truncated = post.lines.len() > left;
        post.lines.truncate(left);
        left -= post.lines.len();
        if !post.lines.is_empty() {
            posts.push(post);
        }
        if truncated {
            break;
        }
    }
    Ok(SearchResults { posts, truncated })
}

/// What replacing every match of `query` with `replacement` would change, post by post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReplacePlan {
    pub posts: Vec<PostReplace>,
}

/// One post's change: its whole text before and after, and the lines that change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PostReplace {
    pub path: String,
    pub before: String,
    pub after: String,
    pub lines: Vec<LineChange>,
}

/// Lines that change, from 1-based `line` of the text before (a match across lines changes
/// several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LineChange {
    pub line: u32,
    pub before: String,
    pub after: String,
}

/// The changes replacing each match of `query` (as [`search`] finds it) with `replacement`
/// would make in `site`'s posts and drafts. With `regex`, `$1` and `${name}` in `replacement`
/// stand for what the groups matched. Nothing is written.
pub fn plan_replace(
    site: &Site,
    query: &str,
    regex: bool,
    replacement: &str,
) -> Result<ReplacePlan, SearchError> {
    let pattern = pattern(query, regex)?;
    let posts = site
        .post_paths()
        .into_par_iter()
        .filter_map(|path| {
            let before = site.read_post(&path).ok()?;
            let after = replaced(&pattern, &before, replacement, regex)?;
            let lines = line_changes(&before, &after);
            Some(PostReplace {
                path,
                before,
                after,
                lines,
            })
        })
        .collect();
    Ok(ReplacePlan { posts })
}

/// Writes every post of `plan`, each only over the text it was planned from; when one cannot
/// be written, those written already are put back: all or nothing.
pub fn apply_replace(site: &Site, plan: &ReplacePlan) -> Result<(), ReplaceError> {
    // Looked at before anything is written: a post changed meanwhile stops it all.
    for post in &plan.posts {
        if site.read_post(&post.path)? != post.before {
            return Err(ReplaceError::ChangedMeanwhile(post.path.clone()));
        }
    }
    site.save_all(
        plan.posts
            .iter()
            .map(|p| (p.path.as_str(), p.before.as_str(), p.after.as_str())),
    )
    .map_err(|not_saved| match not_saved.error {
        None => ReplaceError::ChangedMeanwhile(not_saved.path),
        Some(e) => ReplaceError::Site(e),
    })
}

/// `text` with each match of `pattern` (in its composed form) replaced, or `None` when nothing
/// matches. A match in decomposed text replaces the whole characters it covers.
fn replaced(pattern: &Regex, text: &str, replacement: &str, expand: bool) -> Option<String> {
    let composed = Composed::of(text);
    let mut out = String::with_capacity(text.len());
    let mut kept = 0;
    for caps in pattern.captures_iter(&composed.text) {
        let m = caps.get(0).expect("group 0 is the match");
        if m.is_empty() {
            continue;
        }
        let (from, to) = (
            composed.original(m.start(), false),
            composed.original(m.end(), true),
        );
        out.push_str(&text[kept..from]);
        match expand {
            true => caps.expand(replacement, &mut out),
            false => out.push_str(replacement),
        }
        kept = to;
    }
    (kept > 0).then(|| out + &text[kept..])
}

/// The runs of lines that differ between `before` and `after`.
fn line_changes(before: &str, after: &str) -> Vec<LineChange> {
    let diff = similar::TextDiff::from_lines(before, after);
    let lines = |text: &str, range: std::ops::Range<usize>| {
        text.split_inclusive('\n')
            .skip(range.start)
            .take(range.len())
            .collect::<String>()
            .trim_end_matches(['\n', '\r'])
            .to_owned()
    };
    diff.ops()
        .iter()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .map(|op| LineChange {
            line: op.old_range().start as u32 + 1,
            before: lines(before, op.old_range()),
            after: lines(after, op.new_range()),
        })
        .collect()
}

/// The expression `query` stands for: case-insensitive, in composed form, `^` and `$` at
/// each line (LF or CRLF).
fn pattern(query: &str, regex: bool) -> Result<Regex, SearchError> {
    if query.is_empty() {
        return Err(SearchError::Empty);
    }
    let composed: String = query.nfc().collect();
    let source = match regex {
        true => composed,
        false => regex::escape(&composed),
    };
    RegexBuilder::new(&source)
        .case_insensitive(true)
        .multi_line(true)
        .crlf(true)
        .build()
        .map_err(|e| SearchError::Pattern(e.to_string()))
}

/// The lines of `text` `pattern` matches, searched in the composed form of `text`.
fn matching_lines(pattern: &Regex, text: &str) -> Vec<LineMatch> {
    let composed = Composed::of(text);
    let mut lines: Vec<LineMatch> = Vec::new();
    // The line reached so far: its number and where it starts in `text`.
    let (mut number, mut start) = (1, 0);
    for m in pattern.find_iter(&composed.text) {
        if m.is_empty() {
            continue;
        }
        let (from, to) = (
            composed.original(m.start(), false),
            composed.original(m.end(), true),
        );
        number += memchr::memchr_iter(b'\n', &text.as_bytes()[start..from]).count();
        start = text[..from].rfind('\n').map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&text[start..end]);
        let utf16 = |at: usize| line[..at.min(line.len())].encode_utf16().count() as u32;
        let range = (utf16(from - start), utf16(to - start));
        match lines.last_mut() {
            Some(last) if last.line == number as u32 => last.ranges.push(range),
            _ => lines.push(LineMatch {
                line: number as u32,
                text: line.to_owned(),
                ranges: vec![range],
            }),
        }
    }
    lines
}

/// A text in composed form (NFC), with where each of its segments starts in the original.
struct Composed<'a> {
    text: std::borrow::Cow<'a, str>,
    /// `(composed offset, original offset)` at the start of each segment; empty when the text
    /// was composed already.
    starts: Vec<(usize, usize)>,
}

impl Composed<'_> {
    fn of(text: &str) -> Composed<'_> {
        if plainly_composed(text) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
            return Composed {
                text: text.into(),
                starts: Vec::new(),
            };
        }
        // A segment starts at each character nothing before it can compose with, so that the
        // segments compose one by one.
        let mut composed = String::with_capacity(text.len());
        let mut starts = Vec::new();
        let mut segment = 0;
        for (at, c) in text.char_indices().chain([(text.len(), '\n')]) {
            let starter = canonical_combining_class(c) == 0
                && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes;
            if starter && at > segment {
                starts.push((composed.len(), segment));
                composed.extend(text[segment..at].nfc());
                segment = at;
            }
        }
        starts.push((composed.len(), text.len()));
        Composed {
            text: composed.into(),
            starts,
        }
    }

    /// The offset in the original of `at` in the composed text: the start of its segment, or
    /// the end when `end` (so that a match covers the whole characters it touches).
    fn original(&self, at: usize, end: bool) -> usize {
        if self.starts.is_empty() {
            return at;
        }
        let i = self.starts.partition_point(|&(composed, _)| composed <= at);
        match (end, self.starts.get(i.saturating_sub(1))) {
            (false, Some(&(_, original))) => original,
            (true, Some(&(composed, original))) if composed == at => original,
            _ => self
                .starts
                .get(i)
                .map_or(usize::MAX, |&(_, original)| original),
        }
    }
}

/// Characters composition leaves as they are and that compose with nothing before them (each
/// one checked by a test): Latin below U+0300, punctuation, arrows, symbols and box drawing,
/// CJK punctuation, ideographs, Hangul syllables, full-width forms, emoji.
const PLAIN: [std::ops::Range<u32>; 11] = [
    0..0x300,
    0x2010..0x2028,
    0x2030..0x205F,
    // Not U+2329 and U+232A, which become U+3008 and U+3009.
    0x2190..0x2329,
    0x232B..0x2400,
    0x2500..0x27C0,
    0x3001..0x302A,
    0x4E00..0xA000,
    0xAC00..0xD7A4,
    0xFF01..0xFFEF,
    0x1F300..0x1FB00,
];

/// Whether `text` is made of [`PLAIN`] characters only, so composed already. Nearly every post
/// is; this costs a fraction of the full check.
fn plainly_composed(text: &str) -> bool {
    text.chars()
        .all(|c| PLAIN.iter().any(|r| r.contains(&(c as u32))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line found as (number, text, ranges).
    type Found = Vec<(u32, String, Vec<(u32, u32)>)>;

    fn find(query: &str, regex: bool, text: &str) -> Found {
        matching_lines(&pattern(query, regex).unwrap(), text)
            .into_iter()
            .map(|l| (l.line, l.text, l.ranges))
            .collect()
    }

    #[test]
    fn plain_characters_are_composed_and_compose_with_nothing() {
        for c in PLAIN
            .iter()
            .flat_map(|r| r.clone())
            .filter_map(char::from_u32)
        {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
        assert!(plainly_composed("Chat GPT와 漢字 😀 café ─┼ “인용” ∞"));
        for text in ["\u{1112}\u{1161}", "e\u{301}", "\u{2000}", "\u{302A}"] {
            assert!(!plainly_composed(text), "{text:?}");
        }
    }

    #[test]
    fn composed_and_decomposed_hangul_find_each_other() {
        let nfd: String = "머리말 한글\n둘째 줄 한글".nfd().collect();
        let found = find("한글", false, &nfd);
        let line = |s: &str| s.nfd().collect::<String>();
        // 한글 is 6 jamo in NFD: the range covers them, after 머리말 and a space (2 + 2 + 3
        // jamo and 1).
        assert_eq!(
            found,
            [
                (1, line("머리말 한글"), vec![(8, 14)]),
                (2, line("둘째 줄 한글"), vec![(10, 16)])
            ]
        );
        let decomposed_query: String = "한글".nfd().collect();
        assert_eq!(
            find(&decomposed_query, false, "앞 한글 뒤\r\n"),
            [(1, "앞 한글 뒤".to_owned(), vec![(2, 4)])]
        );
    }

    #[test]
    fn case_regex_and_lines() {
        let text = "---\ntitle: GPT\n---\nChat gpt와 chatGPT\n\nno\n";
        assert_eq!(
            find("gpt", false, text),
            [
                (2, "title: GPT".to_owned(), vec![(7, 10)]),
                (4, "Chat gpt와 chatGPT".to_owned(), vec![(5, 8), (14, 17)])
            ]
        );
        assert_eq!(
            find(r"^chat\w*", true, text),
            [(4, "Chat gpt와 chatGPT".to_owned(), vec![(0, 4)])]
        );
        assert_eq!(find("a.b", false, "axb"), []);
        assert!(matches!(pattern("(", true), Err(SearchError::Pattern(_))));
        assert_eq!(pattern("", false).unwrap_err(), SearchError::Empty);
    }

    #[test]
    fn a_search_gives_at_most_the_lines_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("_config.yml"), "title: t\n").unwrap();
        for folder in ["_posts", "_drafts"] {
            std::fs::create_dir(root.join(folder)).unwrap();
        }
        std::fs::write(root.join("_posts/2023-01-01-a.md"), "x\nx x\n").unwrap();
        std::fs::write(root.join("_posts/2023-01-02-b.md"), "x\n").unwrap();
        std::fs::write(root.join("_drafts/c.md"), "y\nx\n").unwrap();
        let site = Site::open(root).unwrap();
        let shape = |limit| {
            let found = search(&site, "X", false, limit).unwrap();
            let posts: Vec<(String, Vec<u32>)> = found
                .posts
                .into_iter()
                .map(|p| (p.path, p.lines.iter().map(|l| l.line).collect()))
                .collect();
            (posts, found.truncated)
        };
        let post = |path: &str, lines: &[u32]| (path.to_owned(), lines.to_vec());
        // Newest post first, drafts last, as the post list.
        assert_eq!(
            shape(10),
            (
                vec![
                    post("_posts/2023-01-02-b.md", &[1]),
                    post("_posts/2023-01-01-a.md", &[1, 2]),
                    post("_drafts/c.md", &[2]),
                ],
                false
            )
        );
        assert_eq!(
            shape(2),
            (
                vec![
                    post("_posts/2023-01-02-b.md", &[1]),
                    post("_posts/2023-01-01-a.md", &[1]),
                ],
                true
            )
        );
        assert_eq!(
            shape(3),
            (
                vec![
                    post("_posts/2023-01-02-b.md", &[1]),
                    post("_posts/2023-01-01-a.md", &[1, 2]),
                ],
                true
            )
        );
    }

    #[test]
    fn replacing_changes_the_matches_only() {
        let replace =
            |query, regex, with, text| replaced(&pattern(query, regex).unwrap(), text, with, regex);
        let nfd: String = "맥의 한글, 한글.".nfd().collect();
        assert_eq!(
            replace("한글", false, "우리말", &nfd),
            Some(format!(
                "{}우리말, 우리말.",
                "맥의 ".nfd().collect::<String>()
            ))
        );
        assert_eq!(
            replace(r"chat ?(gpt)", true, "${1}-4", "Chat GPT와 chatgpt"),
            Some("GPT-4와 gpt-4".to_owned())
        );
        assert_eq!(
            replace("$1", false, "x", "a $1 b"),
            Some("a x b".to_owned())
        );
        assert_eq!(replace("없음", false, "x", "text"), None);
    }

    #[test]
    fn a_replacement_is_written_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("_config.yml"), "title: t\n").unwrap();
        std::fs::create_dir(root.join("_posts")).unwrap();
        let post = |name: &str| root.join("_posts").join(name);
        std::fs::write(
            post("2023-01-01-a.md"),
            "---\ntitle: A\n---\nChat GPT\nnone\n",
        )
        .unwrap();
        std::fs::write(post("2023-01-02-b.md"), "one\ntwo chat gpt three\n").unwrap();
        std::fs::write(post("2023-01-03-c.md"), "nothing here\n").unwrap();
        let site = Site::open(root).unwrap();
        let plan = plan_replace(&site, "chat gpt", false, "ChatGPT").unwrap();
        let changes: Vec<(&str, &[LineChange])> = plan
            .posts
            .iter()
            .map(|p| (p.path.as_str(), p.lines.as_slice()))
            .collect();
        let change = |line, before: &str, after: &str| LineChange {
            line,
            before: before.to_owned(),
            after: after.to_owned(),
        };
        assert_eq!(
            changes,
            [
                (
                    "_posts/2023-01-02-b.md",
                    &[change(2, "two chat gpt three", "two ChatGPT three")][..]
                ),
                (
                    "_posts/2023-01-01-a.md",
                    &[change(4, "Chat GPT", "ChatGPT")][..]
                ),
            ]
        );

        // One post changed since the plan was shown: nothing is written.
        std::fs::write(post("2023-01-01-a.md"), "---\ntitle: A\n---\nChat GPT!\n").unwrap();
        assert!(matches!(
            apply_replace(&site, &plan),
            Err(ReplaceError::ChangedMeanwhile(p)) if p == "_posts/2023-01-01-a.md"
        ));
        assert_eq!(
            std::fs::read_to_string(post("2023-01-02-b.md")).unwrap(),
            "one\ntwo chat gpt three\n"
        );

        let plan = plan_replace(&site, "chat gpt", false, "ChatGPT").unwrap();
        apply_replace(&site, &plan).unwrap();
        assert_eq!(
            std::fs::read_to_string(post("2023-01-01-a.md")).unwrap(),
            "---\ntitle: A\n---\nChatGPT!\n"
        );
        assert_eq!(
            std::fs::read_to_string(post("2023-01-02-b.md")).unwrap(),
            "one\ntwo ChatGPT three\n"
        );
    }
}
