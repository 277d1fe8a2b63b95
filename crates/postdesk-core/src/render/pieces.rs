//! A long post rendered in pieces, one per core, with exactly the HTML of a render of the whole.
//!
//! After the prepass (which sees the whole post: HTML blocks, tables, abbreviations), the
//! markdown is cut before top-level ATX headers that follow a blank line. Each piece is parsed
//! and formatted on its own thread; header ids number on across pieces (each piece publishes
//! the ids its headers ask for, and formats once the pieces before it have). A cut must not
//! change the meaning of either side, and each piece proves that it does not:
//! - comrak parses the piece together with the next piece's first line, which must come out as
//!   a top-level header (nothing of the piece left open: a code fence, an HTML comment);
//! - the caller's `each` may refuse a piece's HTML (the preview's sanitizer does when an element
//!   is left open that would take in what follows).
//!
//! A refused cut renders the whole post on one thread. Posts with link or footnote definitions
//! (`]:`), which reach across the whole post, are never cut.
//! Not for: Liquid (runs before, on the whole post) or what a piece's HTML becomes.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options};

use super::images::ImageResolver;
use super::kramdown;
use super::prepass::Prepared;

/// Below this size a post is rendered whole: starting threads would cost more than they save
/// (measured: a 12 KB post took 1.2–1.5× as long in two pieces, a 230 KB post 0.65–0.8×).
const PIECES_FROM: usize = 32 * 1024;

/// More pieces than this gain nothing on a writer's machine.
const MAX_PIECES: usize = 4;

/// How many pieces to cut markdown of `len` bytes into.
pub(super) fn pieces_for(len: usize) -> usize {
    if len < PIECES_FROM {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_PIECES))
}

/// `markdown` rendered as [`kramdown::markdown_to_html`] renders it, in up to `pieces` pieces;
/// `each(html, lines_before, last)` makes a piece's part of the result from its HTML, the
/// number of lines of `markdown` before it and whether it is the last piece, or refuses it
/// (`None`; never for the last piece). The parts come back in order.
pub(super) fn render<T: Send>(
    markdown: &str,
    images: Option<Arc<ImageResolver>>,
    pieces: usize,
    each: impl Fn(String, usize, bool) -> Option<T> + Sync,
) -> Vec<T> {
    let options = kramdown::options(images.clone());
    let prepared = kramdown::prepare(markdown, images);
    let cuts = cut_points(&prepared.markdown, pieces);
    if !cuts.is_empty() {
        if let Some(parts) = in_pieces(&prepared, &options, &cuts, &each) {
            return parts;
        }
    }
    let html = kramdown::render_prepared(&prepared, &options);
    each(html, 0, true).into_iter().collect()
}

/// Renders the pieces that start at `cuts` (and at 0) in parallel; `None` when a piece refuses
/// its cut.
fn in_pieces<T: Send>(
    prepared: &Prepared,
    options: &Options,
    cuts: &[usize],
    each: &(impl Fn(String, usize, bool) -> Option<T> + Sync),
) -> Option<Vec<T>> {
    let markdown = prepared.markdown.as_str();
    let bounds: Vec<usize> = std::iter::once(0)
        .chain(cuts.iter().copied())
        .chain(std::iter::once(markdown.len()))
        .collect();
    let count = bounds.len() - 1;
    let ids = HeaderIds {
        published: Mutex::new(vec![None; count]),
        ready: Condvar::new(),
    };
    let piece = |k: usize| -> Option<T> {
        let mut publish = Publish {
            ids: &ids,
            piece: k,
            bases: Vec::new(),
        };
        let (start, end) = (bounds[k], bounds[k + 1]);
        let last = k + 1 == count;
        let with_next_line = if last {
            end
        } else {
            memchr::memchr(b'\n', &markdown.as_bytes()[end..])
                .map_or(markdown.len(), |i| end + i + 1)
        };
        let text = &markdown[start..with_next_line];
        let arena = Arena::new();
        let root = comrak::parse_document(&arena, text, options);
        let lines = memchr::memchr_iter(b'\n', &markdown.as_bytes()[start..end]).count();
        let alone = last || detach_header_at(root, lines + 1);
        let attributes = kramdown::attribute_lists(root);
        publish.bases = kramdown::heading_bases(root, &attributes);
        drop(publish);
        if !alone {
            return None;
        }
        let seen = ids.before(k);
        let html = kramdown::format(
            root,
            attributes,
            text,
            options,
            &prepared.abbreviations,
            seen,
        );
        let lines_before = memchr::memchr_iter(b'\n', &markdown.as_bytes()[..start]).count();
        each(prepared.finish(html), lines_before, last)
    };
    let parts: Vec<Option<T>> = std::thread::scope(|scope| {
        let piece = &piece;
        // The default stack of a spawned thread is smaller than the main thread's: a post's
        // nesting gets the same room on every piece.
        let spawned: Vec<_> = (1..count)
            .map(|k| {
                std::thread::Builder::new()
                    .stack_size(8 << 20)
                    .spawn_scoped(scope, move || piece(k))
            })
            .collect();
        let first = piece(0);
        std::iter::once(first)
            .chain(spawned.into_iter().map(|handle| {
                match handle {
                    Ok(handle) => handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    // No thread: later pieces only wait for earlier ones, so nothing hangs.
                    Err(_) => None,
                }
            }))
            .collect()
    });
    parts.into_iter().collect()
}

/// The automatic header ids each piece asks for, published as pieces get parsed.
struct HeaderIds {
    published: Mutex<Vec<Option<Vec<String>>>>,
    ready: Condvar,
}

impl HeaderIds {
    /// How often each id was given before piece `k`, once all of those pieces are parsed.
    fn before(&self, k: usize) -> HashMap<String, usize> {
        let mut published = self
            .published
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        while published[..k].iter().any(Option::is_none) {
            published = self
                .ready
                .wait(published)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        let mut seen = HashMap::new();
        for base in published[..k].iter().flatten().flatten() {
            *seen.entry(base.clone()).or_insert(0) += 1;
        }
        seen
    }
}

/// A piece's header ids, published when dropped: also when the piece panics, so that the
/// pieces after it do not wait for ever.
struct Publish<'i> {
    ids: &'i HeaderIds,
    piece: usize,
    bases: Vec<String>,
}

impl Drop for Publish<'_> {
    fn drop(&mut self) {
        let mut published = self
            .ids
            .published
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        published[self.piece] = Some(std::mem::take(&mut self.bases));
        self.ids.ready.notify_all();
    }
}

/// Takes out the top-level header that starts at `line` as the last block of `root`; false when
/// the last block is anything else (the line before it left something open).
fn detach_header_at<'a>(root: &'a AstNode<'a>, line: usize) -> bool {
    let Some(last) = root.last_child() else {
        return false;
    };
    let data = last.data();
    let header = matches!(data.value, NodeValue::Heading(ref h) if !h.setext)
        && data.sourcepos.start.line == line
        && data.sourcepos.start.column == 1;
    drop(data);
    if header {
        last.detach();
    }
    header
}

/// Where to cut `markdown` into about `pieces` pieces of even size: before ATX headers at the
/// start of a line that follow a blank line (not an attribute list, which could belong to the
/// header) outside code fences. None when the post defines links or footnotes.
fn cut_points(markdown: &str, pieces: usize) -> Vec<usize> {
    if pieces < 2 || memchr::memmem::find(markdown.as_bytes(), b"]:").is_some() {
        return Vec::new();
    }
    let mut candidates = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut blank_before = false;
    let mut after_attributes = false;
    let mut start = 0;
    for line in markdown.split_inclusive('\n') {
        let at = start;
        start += line.len();
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        let bytes = content.as_bytes();
        let first = bytes.first().copied().unwrap_or(b'\n');
        let run = bytes.iter().take_while(|&&b| b == first).count();
        if let Some((ch, len)) = fence {
            if first == ch && run >= len && content[run..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if indent <= 3 && (first == b'`' || first == b'~') && run >= 3 {
            fence = Some((first, run));
            blank_before = false;
            continue;
        }
        let blank = content.trim().is_empty();
        let header = indent == 0
            && first == b'#'
            && run <= 6
            && matches!(bytes.get(run), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
        if header && blank_before && !after_attributes && at > 0 {
            candidates.push(at);
        }
        if !blank {
            after_attributes = content.starts_with("{:") || content.starts_with("{#");
        }
        blank_before = blank;
    }
    let mut cuts: Vec<usize> = Vec::new();
    for k in 1..pieces {
        let target = markdown.len() * k / pieces;
        let nearest = candidates
            .iter()
            .copied()
            .min_by_key(|&c| c.abs_diff(target));
        if let Some(cut) = nearest.filter(|&c| cuts.last().is_none_or(|&l| c > l)) {
            cuts.push(cut);
        }
    }
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::Post;
    use crate::render::sanitize_piece;
    use std::path::Path;

    /// The HTML of `markdown` in `pieces` pieces (for the site), and whether it was cut.
    fn site(markdown: &str, pieces: usize) -> (String, bool) {
        let options = kramdown::options(None);
        let prepared = kramdown::prepare(markdown, None);
        let cuts = cut_points(&prepared.markdown, pieces);
        let parts = in_pieces(&prepared, &options, &cuts, &|html, _, _| Some(html));
        let cut = parts.is_some() && !cuts.is_empty();
        (
            render(markdown, None, pieces, |html, _, _| Some(html)).concat(),
            cut,
        )
    }

    /// Every markdown file under `dir`, as (name, body without front matter).
    fn bodies_in(dir: &Path, found: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                bodies_in(&path, found);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                let body = Post::split(&text).body.to_owned();
                found.push((path.display().to_string(), body));
            }
        }
    }

    /// The conformance cases and the sample posts, and the shared minimal-mistakes corpus when
    /// it is beside the checkout (as on CI).
    fn bodies() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut found = Vec::new();
        bodies_in(&root.join("tests/conformance/cases"), &mut found);
        bodies_in(&root.join("posts/_posts"), &mut found);
        assert!(found.len() >= 15, "the conformance cases and sample posts");
        bodies_in(
            &root.join("../shared/corpus/minimal-mistakes/docs"),
            &mut found,
        );
        found
    }

    #[test]
    fn pieces_give_the_html_of_the_whole() {
        let mut cut = 0;
        let bodies = bodies();
        for (name, body) in &bodies {
            let whole = kramdown::markdown_to_html(body, None);
            for pieces in [2, 3, 4, 7] {
                let (html, was_cut) = site(body, pieces);
                assert_eq!(html, whole, "{name} in {pieces} pieces");
                cut += usize::from(was_cut);
            }
        }
        // Most files have headers to cut at: the comparison above saw real cuts.
        assert!(cut > bodies.len(), "only {cut} cut renders");
    }

    #[test]
    fn preview_pieces_give_the_blocks_of_the_whole() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../posts");
        let site = crate::site::Site::open(&root).unwrap();
        let post = root.join("_posts/2023-03-22-gdata33.md");
        let images = Arc::new(ImageResolver::new(&site, &post, "site://localhost/"));
        let blocks = |markdown: &str, pieces: usize| {
            render(
                markdown,
                Some(images.clone()),
                pieces,
                |html, lines, last| sanitize_piece(&html, &images, lines, last),
            )
            .concat()
        };
        let mut bodies = bodies();
        bodies.push((
            "raw text left open".into(),
            "para <textarea>\n\n# A\n\ntext\n\n# B\n\nmore\n".into(),
        ));
        let mut with_lines = 0;
        for (name, body) in &bodies {
            let padded = format!("\n\n\n{body}");
            let whole = blocks(&padded, 1);
            with_lines += usize::from(whole.iter().filter(|b| b.line > 3).count() > 1);
            for pieces in [2, 3, 5] {
                assert_eq!(blocks(&padded, pieces), whole, "{name} in {pieces} pieces");
            }
        }
        // The lines after a cut are counted from the top of the page, not of the piece.
        assert!(
            with_lines * 2 > bodies.len(),
            "{with_lines} of {}",
            bodies.len()
        );
    }

    #[test]
    fn header_ids_number_on_across_pieces() {
        let md = "# A\n\ntext\n\n# A\n\n## B {#own}\n\n# A\n\n## B\n\n# B\n";
        let (html, cut) = site(md, 4);
        assert!(cut);
        assert_eq!(html, kramdown::markdown_to_html(md, None));
        assert!(
            html.contains("id=\"a-2\"")
                && html.contains("id=\"b-1\"")
                && html.contains("id=\"own\""),
            "{html}"
        );
    }

    #[test]
    fn a_cut_inside_something_left_open_renders_whole() {
        for md in [
            // The scanner takes the fence for a top-level one closed before the header; comrak
            // closes it with the list item and opens a new one that takes in the header.
            "- item\n\n  ```\n  code\n\n# A\n  ```\n\n# B\n\ntext\n```\n",
            // An HTML comment open across the header.
            "<!--\nnote\n\n# A\n-->\n\n# B\n\nend\n",
            "<script>\nx\n\n# A\n</script>\n\n# B\n",
        ] {
            let (html, _) = site(md, 2);
            assert_eq!(html, kramdown::markdown_to_html(md, None), "{md}");
        }
        let md = "- item\n\n  ```\n  code\n\n# A\n  ```\n\n# B\n\ntext\n```\n";
        let prepared = kramdown::prepare(md, None);
        let cuts = cut_points(&prepared.markdown, 2);
        assert!(!cuts.is_empty(), "the scanner offers a cut");
        let options = kramdown::options(None);
        assert!(
            in_pieces(&prepared, &options, &cuts, &|html, _, _| Some(html)).is_none(),
            "the piece refuses it"
        );
    }

    #[test]
    fn definitions_keep_a_post_whole() {
        for md in ["[a]\n\n# X\n\n[a]: /x\n", "t[^1]\n\n# X\n\n[^1]: n\n"] {
            let prepared = kramdown::prepare(md, None);
            assert!(cut_points(&prepared.markdown, 2).is_empty(), "{md}");
        }
    }
}
