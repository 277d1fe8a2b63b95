//! The preview a window shows, kept between keystrokes, so that each render sends the window
//! only the blocks that changed: a keystroke in a long post replaces one paragraph of the
//! preview, not the whole page (images do not reload, the scroll position stays).
//! Not for: rendering itself (see [`super::render_post`]).

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use super::{render_preview, Block, Diagnostic};
use crate::site::{Site, SiteError};

/// What changed in the preview since the render the window shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PreviewUpdate {
    /// This render, for the window to name as the one it shows when it asks for the next.
    pub id: u32,
    /// The render these changes apply to; `None`: `insert` is the whole page.
    pub base: Option<u32>,
    /// Blocks `start .. start + remove` of the base are replaced by `insert`.
    pub start: u32,
    pub remove: u32,
    pub insert: Vec<String>,
    /// The source line of each block of the new page (0 when a block does not say).
    pub lines: Vec<u32>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The last preview rendered for a window.
#[derive(Debug, Default)]
pub struct LivePreview {
    id: u32,
    post: PathBuf,
    blocks: Vec<Block>,
}

impl LivePreview {
    /// Renders the post at `rel` with `text` for the preview (images through `image_base`), as
    /// changes to the render `shown` when that is the last one rendered here for this post.
    pub fn render(
        &mut self,
        site: &Site,
        rel: &str,
        text: &str,
        image_base: &str,
        shown: Option<u32>,
    ) -> Result<PreviewUpdate, SiteError> {
        let post = site.file(rel)?;
        let page = render_preview(site, &post, text, image_base);
        let base = shown.filter(|&id| id == self.id && post == self.post);
        let old: &[Block] = if base.is_some() { &self.blocks } else { &[] };
        let new = &page.blocks;
        let start = old
            .iter()
            .zip(new)
            .take_while(|(a, b)| a.html == b.html)
            .count();
        let end = old[start..]
            .iter()
            .rev()
            .zip(new[start..].iter().rev())
            .take_while(|(a, b)| a.html == b.html)
            .count();
        let update = PreviewUpdate {
            id: self.id.wrapping_add(1),
            base,
            start: start as u32,
            remove: (old.len() - start - end) as u32,
            insert: new[start..new.len() - end]
                .iter()
                .map(|b| b.html.clone())
                .collect(),
            lines: new.iter().map(|b| b.line).collect(),
            diagnostics: page.diagnostics,
        };
        *self = LivePreview {
            id: update.id,
            post,
            blocks: page.blocks,
        };
        Ok(update)
    }
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

    #[test]
    fn a_keystroke_sends_only_the_block_it_changed() {
        let (_d, site) = site();
        let mut live = LivePreview::default();
        let text = "---\nt: 1\n---\n# 머리말\n\none\n\ntwo\n\n![x](a.png)\n";
        let first = live.render(&site, A, text, BASE, None).unwrap();
        assert_eq!(first.base, None);
        assert_eq!((first.start, first.remove, first.insert.len()), (0, 0, 4));
        assert_eq!(first.lines, [4, 6, 8, 10]);

        // A new line typed in the first paragraph: one block replaced, later lines moved.
        let typed = text.replace("one\n", "one\nmore\n");
        let second = live.render(&site, A, &typed, BASE, Some(first.id)).unwrap();
        assert_eq!(second.base, Some(first.id));
        assert_eq!((second.start, second.remove), (1, 1));
        assert_eq!(second.insert, ["<p>one\nmore</p>\n"]);
        assert_eq!(second.lines, [4, 6, 9, 11]);

        // A window that shows an older render (or none) gets the whole page.
        let whole = live.render(&site, A, &typed, BASE, Some(first.id)).unwrap();
        assert_eq!(
            (whole.base, whole.start, whole.remove, whole.insert.len()),
            (None, 0, 0, 4)
        );
        // Nothing changed: nothing sent.
        let same = live.render(&site, A, &typed, BASE, Some(whole.id)).unwrap();
        assert_eq!((same.remove, same.insert.len()), (0, 0));
        // Another post is never diffed against this one.
        let other = live
            .render(&site, "_posts/2023-03-23-b.md", &typed, BASE, Some(same.id))
            .unwrap();
        assert_eq!((other.base, other.insert.len()), (None, 4));
    }
}
