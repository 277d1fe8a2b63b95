//! The preview a window shows, kept between keystrokes, so that each render sends the window
//! only the blocks that changed: a keystroke in a long post replaces one paragraph of the
//! preview, not the whole page (images do not reload, the scroll position stays).
//! The window need not send the whole post either: edits to the text of the last render do.
//! Not for: rendering itself (see [`super::render_post`]).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::counts::{html_words, WordMode};
use super::page::{page_frame, KeptData, PageFrame};
use super::{render_preview, Block, Diagnostic, PieceCache};
use crate::site::{Site, SiteError};

/// What changed in the preview since the render the window shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PreviewUpdate {
    /// This render, for the window to name as the one it shows when it asks for the next.
    pub id: u32,
    /// The render these changes apply to; `None`: one splice inserts the whole page.
    pub base: Option<u32>,
    /// The changed runs of blocks, in ascending order of the base's blocks, not overlapping.
    pub splices: Vec<Splice>,
    /// The source line of each block of the new page (0 when a block does not say).
    pub lines: Vec<u32>,
    /// The theme's page around the content, when it is not the base's (the base's stays).
    pub frame: Option<PageFrame>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Blocks `start .. start + remove` of the base (numbered as in the base) are replaced by
/// `insert`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Splice {
    pub start: u32,
    pub remove: u32,
    pub insert: Vec<String>,
}

/// The text to render: whole, or as edits to the text of the render the window shows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum PreviewText {
    Whole {
        text: String,
    },
    /// `(from, to, inserted)` replacements in ascending order, positions in UTF-16 code units of
    /// the old text (as the editor counts), and the length of the new text, likewise.
    Edits {
        edits: Vec<(u32, u32, String)>,
        length: u32,
    },
}

/// The last preview rendered for a window.
#[derive(Debug, Default)]
pub struct LivePreview {
    id: u32,
    post: PathBuf,
    text: String,
    blocks: Vec<Block>,
    /// The words of each block, for the read time: a keystroke counts those of its block only.
    words: Vec<usize>,
    /// How those words were counted (the site's `page__meta.html` can change it).
    mode: WordMode,
    frame: Option<PageFrame>,
    /// The pieces of that render, for the next one to take again where the text is unchanged.
    pieces: PieceCache,
    /// The site's `_data/` files the frame reads.
    data: KeptData,
}

impl LivePreview {
    /// Renders the post at `rel` with `text` for the preview (images through `image_base`), as
    /// changes to the render `shown` when that is the last one rendered here for this post.
    /// `None` when `text` is edits this preview cannot apply (it is not at the render `shown`,
    /// or the edits do not fit its text): the window then sends the whole text.
    pub fn render(
        &mut self,
        site: &Site,
        rel: &str,
        text: PreviewText,
        image_base: &str,
        shown: Option<u32>,
    ) -> Result<Option<PreviewUpdate>, SiteError> {
        let post = site.file(rel)?;
        let in_step = shown == Some(self.id) && post == self.post;
        let text = match text {
            PreviewText::Whole { text } => text,
            PreviewText::Edits { edits, length } => {
                let edited = in_step.then(|| apply_edits(&self.text, &edits, length));
                match edited.flatten() {
                    Some(text) => text,
                    None => {
                        // Out of step: nothing here is a base for edits until a whole text.
                        *self = LivePreview::default();
                        return Ok(None);
                    }
                }
            }
        };
        let mut pieces = std::mem::take(&mut self.pieces);
        let page = render_preview(site, &post, &text, image_base, Some(&mut pieces));
        let (old, old_words): (&[Block], &[usize]) = match in_step {
            true => (&self.blocks, &self.words),
            false => (&[], &[]),
        };
        let data = self.data.of(site);
        let mode = data.word_mode;
        let (splices, mut block_words) = splices(old, old_words, &page.blocks, mode);
        if mode != self.mode {
            block_words = page
                .blocks
                .iter()
                .map(|b| html_words(&b.html, mode))
                .collect();
        }
        // The TOC is made of the headings: only blocks with one need be looked at.
        let headings: String = page
            .blocks
            .iter()
            .filter(|b| b.html.contains("<h"))
            .map(|b| b.html.as_str())
            .collect();
        let frame = page_frame(
            site,
            &page.page,
            &data,
            image_base,
            &headings,
            block_words.iter().sum(),
        );
        let update = PreviewUpdate {
            id: self.id.wrapping_add(1),
            base: in_step.then_some(self.id),
            splices,
            lines: page.blocks.iter().map(|b| b.line).collect(),
            frame: (!in_step || self.frame.as_ref() != Some(&frame)).then(|| frame.clone()),
            diagnostics: page.diagnostics,
        };
        *self = LivePreview {
            id: update.id,
            post,
            text,
            blocks: page.blocks,
            words: block_words,
            mode,
            frame: Some(frame),
            pieces,
            data: std::mem::take(&mut self.data),
        };
        Ok(Some(update))
    }
}

/// The runs of blocks that differ between `old` and `new`, found by their HTML: an edit that
/// changes blocks far apart (a heading whose id shifts every later heading of the same name)
/// replaces those blocks only, not everything between them. With the words of each new block:
/// those of an unchanged block are taken from `old_words`, the others counted.
fn splices(
    old: &[Block],
    old_words: &[usize],
    new: &[Block],
    mode: WordMode,
) -> (Vec<Splice>, Vec<usize>) {
    let old_html: Vec<&str> = old.iter().map(|b| b.html.as_str()).collect();
    let new_html: Vec<&str> = new.iter().map(|b| b.html.as_str()).collect();
    let mut splices: Vec<Splice> = Vec::new();
    let mut new_words = Vec::with_capacity(new.len());
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &old_html, &new_html) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            new_words.extend_from_slice(&old_words[old_range]);
            continue;
        }
        new_words.extend(
            new_html[new_range.clone()]
                .iter()
                .map(|h| html_words(h, mode)),
        );
        let insert = new_html[new_range].iter().map(|h| (*h).to_owned());
        match splices.last_mut() {
            Some(last) if (last.start + last.remove) as usize == old_range.start => {
                last.remove += old_range.len() as u32;
                last.insert.extend(insert);
            }
            _ => splices.push(Splice {
                start: old_range.start as u32,
                remove: old_range.len() as u32,
                insert: insert.collect(),
            }),
        }
    }
    (splices, new_words)
}

/// `text` with `edits` applied, if they fit it and give a text of `length` UTF-16 code units.
fn apply_edits(text: &str, edits: &[(u32, u32, String)], length: u32) -> Option<String> {
    let mut out = text.to_owned();
    // From the last: earlier positions stay valid.
    for (from, to, inserted) in edits.iter().rev() {
        let start = byte_offset(&out, *from)?;
        let end = byte_offset(&out, *to)?;
        if start > end {
            return None;
        }
        out.replace_range(start..end, inserted);
    }
    (out.encode_utf16().count() == length as usize).then_some(out)
}

/// The byte offset of UTF-16 position `at` in `text`, if it falls on a character boundary.
pub(super) fn byte_offset(text: &str, at: u32) -> Option<usize> {
    let mut units = 0;
    for (offset, c) in text.char_indices() {
        if units == at as usize {
            return Some(offset);
        }
        units += c.len_utf16();
        if units > at as usize {
            return None;
        }
    }
    (units == at as usize).then_some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site() -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("_config.yml"), "title: t\n").unwrap();
        fs::create_dir(dir.path().join("_posts")).unwrap();
        for name in ["2023-03-22-a.md", "2023-03-23-b.md"] {
            fs::write(dir.path().join("_posts").join(name), "").unwrap();
        }
        let site = Site::open(dir.path()).unwrap();
        (dir, site)
    }

    const A: &str = "_posts/2023-03-22-a.md";
    const BASE: &str = "site://localhost/";

    fn whole(text: &str) -> PreviewText {
        PreviewText::Whole {
            text: text.to_owned(),
        }
    }

    /// Each splice as (start, remove, number inserted).
    fn shape(update: &PreviewUpdate) -> Vec<(u32, u32, usize)> {
        update
            .splices
            .iter()
            .map(|s| (s.start, s.remove, s.insert.len()))
            .collect()
    }

    #[test]
    fn a_keystroke_sends_only_the_block_it_changed() {
        let (_d, site) = site();
        let mut live = LivePreview::default();
        let text = "---\nt: 1\n---\n# 머리말\n\none\n\ntwo\n\n![x](a.png)\n";
        let first = live
            .render(&site, A, whole(text), BASE, None)
            .unwrap()
            .unwrap();
        assert_eq!(first.base, None);
        assert_eq!(shape(&first), [(0, 0, 4)]);
        assert_eq!(first.lines, [4, 6, 8, 10]);

        // A new line typed in the first paragraph: one block replaced, later lines moved.
        let typed = text.replace("one\n", "one\nmore\n");
        let second = live
            .render(&site, A, whole(&typed), BASE, Some(first.id))
            .unwrap()
            .unwrap();
        assert_eq!(second.base, Some(first.id));
        assert_eq!(shape(&second), [(1, 1, 1)]);
        assert_eq!(second.splices[0].insert, ["<p>one\nmore</p>"]);
        assert_eq!(second.lines, [4, 6, 9, 11]);

        // A window that shows an older render (or none) gets the whole page.
        let all = live
            .render(&site, A, whole(&typed), BASE, Some(first.id))
            .unwrap()
            .unwrap();
        assert_eq!((all.base, shape(&all)), (None, vec![(0, 0, 4)]));
        // Nothing changed: nothing sent.
        let same = live
            .render(&site, A, whole(&typed), BASE, Some(all.id))
            .unwrap()
            .unwrap();
        assert_eq!(shape(&same), []);
        // Another post is never diffed against this one.
        let other = live
            .render(
                &site,
                "_posts/2023-03-23-b.md",
                whole(&typed),
                BASE,
                Some(same.id),
            )
            .unwrap()
            .unwrap();
        assert_eq!((other.base, shape(&other)), (None, vec![(0, 0, 4)]));
    }

    #[test]
    fn blocks_far_apart_are_replaced_alone() {
        let (_d, site) = site();
        let mut live = LivePreview::default();
        // Two headings of one name: the second is `a-1`; renaming the first makes it `a`.
        let text = "# A\n\none\n\n![x](x.png)\n\ntwo\n\n# A\n\nthree\n";
        let first = live
            .render(&site, A, whole(text), BASE, None)
            .unwrap()
            .unwrap();
        let second = live
            .render(
                &site,
                A,
                whole(&text.replacen("# A", "# B", 1)),
                BASE,
                Some(first.id),
            )
            .unwrap()
            .unwrap();
        assert_eq!(shape(&second), [(0, 1, 1), (4, 1, 1)]);
        assert_eq!(second.splices[1].insert, ["<h1 id=\"a\">A</h1>"]);
        // Blocks removed at one place and added at another.
        let third = live
            .render(
                &site,
                A,
                whole("# B\n\n![x](x.png)\n\ntwo\n\n# A\n\nthree\n\nfour\n"),
                BASE,
                Some(second.id),
            )
            .unwrap()
            .unwrap();
        assert_eq!(shape(&third), [(1, 1, 0), (6, 0, 1)]);
    }

    #[test]
    fn the_frame_is_sent_when_it_changes() {
        let (dir, site) = site();
        fs::write(
            dir.path().join("_config.yml"),
            "title: t\ntag_archive:\n  type: liquid\n  path: /tags/\n",
        )
        .unwrap();
        let site = Site::open(site.root.as_path()).unwrap();
        let mut live = LivePreview::default();
        let text = "---\ntitle: \"<b>제목</b>\"\ntoc: true\nread_time: true\nwords_per_minute: 2\n\
                    tags: [\"<i>x</i>\"]\n---\n# A\n\nword word\n";
        let render = |live: &mut LivePreview, text: &str, shown| {
            live.render(&site, A, whole(text), BASE, shown)
                .unwrap()
                .unwrap()
        };
        let first = render(&mut live, text, None);
        let frame = first
            .frame
            .clone()
            .expect("a whole page comes with its frame");
        assert!(
            frame.header.contains(">&lt;b&gt;제목&lt;/b&gt;</h1>"),
            "{}",
            frame.header
        );
        assert!(
            frame.header.contains("> 1 minute read</span>"),
            "three words, two a minute"
        );
        assert!(frame.toc.contains("<a href=\"#a\">A</a>"), "{}", frame.toc);
        assert!(
            frame.footer.contains(">&lt;i&gt;x&lt;/i&gt;</a>"),
            "{}",
            frame.footer
        );

        // A word more: the read time changes; another word changes nothing of the frame.
        let second = render(
            &mut live,
            &text.replace("word word", "word word word"),
            Some(first.id),
        );
        assert!(second
            .frame
            .expect("a new read time")
            .header
            .contains("> 2 minute read"));
        let third = render(
            &mut live,
            &text.replace("word word", "word word wor"),
            Some(second.id),
        );
        assert_eq!(third.frame, None);
        // A heading added: the TOC changes.
        let fourth = render(&mut live, &[text, "\n## B\n"].concat(), Some(third.id));
        assert!(fourth
            .frame
            .expect("a new TOC")
            .toc
            .contains("<a href=\"#b\">B</a>"));
    }

    #[test]
    fn the_words_of_the_blocks_are_those_of_the_page() {
        let blocks: Vec<Block> = [
            "<h1 id=\"a\">A b</h1>\n",
            "<p>c <em>d</em>e</p>\n",
            "<p>f</p>",
        ]
        .map(|html| Block {
            html: html.to_owned(),
            line: 0,
        })
        .into();
        let (_, counted) = splices(&[], &[], &blocks, WordMode::Split);
        assert_eq!(counted, [2, 2, 1]);
        // Kept blocks keep the count they had (here made up, to tell it from a recount).
        let (_, kept) = splices(&blocks, &[7, 8, 9], &blocks[1..], WordMode::Split);
        assert_eq!(kept, [8, 9]);
        let whole: String = blocks.iter().map(|b| b.html.as_str()).collect();
        assert_eq!(
            counted.iter().sum::<usize>(),
            html_words(&whole, WordMode::Split)
        );
    }

    #[test]
    fn edits_apply_to_the_text_of_the_render_shown() {
        let (_d, site) = site();
        let mut live = LivePreview::default();
        // UTF-16 positions, as the editor counts: the emoji is two units, each Hangul one.
        let text = "# 제목 😀\n\none\n";
        let first = live
            .render(&site, A, whole(text), BASE, None)
            .unwrap()
            .unwrap();
        let edit = |edits: Vec<(u32, u32, &str)>, length| PreviewText::Edits {
            edits: edits
                .into_iter()
                .map(|(a, b, s)| (a, b, s.to_owned()))
                .collect(),
            length,
        };
        // "# 제목 😀" is 7 units; replace "one" (units 9..12) and add after the emoji.
        let second = live
            .render(
                &site,
                A,
                edit(vec![(7, 7, "!"), (9, 12, "two")], 14),
                BASE,
                Some(first.id),
            )
            .unwrap()
            .unwrap();
        assert_eq!(second.base, Some(first.id));
        assert_eq!(
            second.splices[0].insert,
            ["<h1 id=\"제목-\">제목 😀!</h1>", "<p>two</p>"]
        );
        // Edits to a render the window does not show, or that do not fit, ask for the whole text.
        assert_eq!(
            live.render(&site, A, edit(vec![(0, 0, "x")], 15), BASE, Some(first.id))
                .unwrap(),
            None
        );
        let third = live
            .render(&site, A, whole("a\n"), BASE, None)
            .unwrap()
            .unwrap();
        assert_eq!(
            live.render(&site, A, edit(vec![(0, 0, "x")], 9), BASE, Some(third.id))
                .unwrap(),
            None,
            "the length says the edits were made to another text"
        );
        // Splitting the emoji's surrogate pair is no edit of this text.
        assert_eq!(byte_offset("😀", 1), None);
        assert_eq!(byte_offset("😀", 2), Some(4));
    }
}
