//! A long post rendered in pieces, one per core, with exactly the HTML of a render of the whole.
//!
//! The markdown is cut before top-level ATX headers that follow a blank line. Each piece is
//! parsed and converted on its own thread; GFM header ids number on across pieces (each piece
//! publishes the ids its headers ask for, and numbers them once the pieces before it have). A
//! cut must not change the meaning of either side, and each piece proves that it does not:
//! - kramdown parses the piece together with the next piece's first line, which must come out
//!   as a top-level header (nothing of the piece left open: a code fence, an HTML block);
//! - the caller's `each` may refuse a piece's HTML (the preview's sanitizer does when an element
//!   is left open that would take in what follows).
//!
//! A refused cut renders the whole post on one thread. Posts with definitions that reach across
//! the whole post (links, footnotes, abbreviations: `]:`; attribute definitions: `{:name:`) or a
//! table of contents (`{:toc}`) are never cut, nor posts of sites whose converter is not
//! kramdown with GFM input (their header ids are numbered by the converter).
//!
//! The live preview cuts before every header it may cut at and keeps the pieces of its last
//! render ([`PieceCache`]): a keystroke renders the piece it is in, and the pieces whose header
//! numbers (`-1`, `-2`) it changed.
//! Not for: Liquid (runs before, on the whole post) or what a piece's HTML becomes.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Condvar, Mutex};

use postdesk_kramdown::tree::Type;
use postdesk_kramdown::{Hooks, Options};

use super::images::ImageResolver;
use super::markdown::Converter;
use super::sanitize::{sanitize_piece, Block};

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

/// `markdown` rendered as `converter` renders it, in up to `pieces` pieces; with `sourcepos`,
/// top-level blocks say their source line. `each(html, lines_before, last)` makes a piece's
/// part of the result from its HTML, the number of lines of `markdown` before it and whether
/// it is the last piece, or refuses it (`None`; never for the last piece). The parts come back
/// in order.
pub(super) fn render<T: Send>(
    markdown: &str,
    converter: &Converter,
    sourcepos: bool,
    pieces: usize,
    each: impl Fn(String, usize, bool) -> Option<T> + Sync,
) -> Vec<T> {
    if let Some(options) = cuttable(converter) {
        let cuts = cut_points(markdown, pieces);
        if !cuts.is_empty() {
            if let Some(parts) = in_pieces(markdown, options, sourcepos, &cuts, &each) {
                return parts;
            }
        }
    }
    let html = converter.to_html(markdown, sourcepos);
    each(html, 0, true).into_iter().collect()
}

/// The kramdown options of `converter` when posts it converts may be cut into pieces.
fn cuttable(converter: &Converter) -> Option<&Options> {
    match converter {
        Converter::Kramdown(options) if options.gfm => Some(options),
        _ => None,
    }
}

/// Renders the pieces that start at `cuts` (and at 0) in parallel; `None` when a piece refuses
/// its cut.
fn in_pieces<T: Send>(
    markdown: &str,
    options: &Options,
    sourcepos: bool,
    cuts: &[usize],
    each: &(impl Fn(String, usize, bool) -> Option<T> + Sync),
) -> Option<Vec<T>> {
    let bounds = bounds(cuts.iter().copied(), markdown.len());
    let count = bounds.len() - 1;
    let ids = HeaderIds {
        published: Mutex::new(vec![None; count]),
        ready: Condvar::new(),
    };
    let piece = |k: usize| -> Option<T> {
        // Created first: the piece's header ids get published whatever happens to it, so that
        // the pieces after it never wait for ever.
        let mut publish = Publish {
            ids: &ids,
            piece: k,
            bases: Vec::new(),
        };
        let (start, end) = (bounds[k], bounds[k + 1]);
        let lines_before = memchr::memchr_iter(b'\n', &markdown.as_bytes()[..start]).count();
        let piece = Piece {
            start,
            end,
            last: k + 1 == count,
        };
        render_piece(
            markdown,
            options,
            sourcepos,
            &piece,
            |bases| {
                publish.bases = bases.to_vec();
                drop(publish);
                ids.before(k)
            },
            |html| each(html, lines_before, piece.last),
        )
    };
    let parts: Vec<Option<T>> = std::thread::scope(|scope| {
        let piece = &piece;
        // The default stack of a spawned thread is smaller than the main thread's: a post's
        // nesting gets the same room on every piece.
        let mut spawned = Vec::new();
        for k in 1..count {
            let thread = std::thread::Builder::new().stack_size(8 << 20);
            match thread.spawn_scoped(scope, move || piece(k)) {
                Ok(handle) => spawned.push(handle),
                // No thread: the pieces after it would wait for its header ids, so they are not
                // started either, and the post renders whole.
                Err(_) => break,
            }
        }
        let first = piece(0);
        std::iter::once(first)
            .chain(spawned.into_iter().map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            }))
            .collect()
    });
    if parts.len() < count {
        return None;
    }
    parts.into_iter().collect()
}

/// The preview's pieces of the last render of a post, to take again when it renders once more
/// with most of its text unchanged: a keystroke in a long post renders the piece it is in (and
/// those whose header ids it changed).
#[derive(Debug, Default)]
pub(crate) struct PieceCache {
    /// By a hash of the piece's text.
    pieces: HashMap<u64, Vec<Cached>>,
}

#[derive(Debug)]
struct Cached {
    /// The piece's markdown, compared on a hit.
    text: String,
    /// The automatic header ids it asks for, each with how often it had been given before the
    /// piece: its headers' numbers (`-1`, `-2`) hold while those counts do.
    bases: Vec<(String, usize)>,
    /// Its preview blocks, lines counted from its first line.
    blocks: Vec<Block>,
    /// It was the end of the post, so nothing proved that it leaves nothing open: it is taken
    /// again only as the end.
    last: bool,
    /// The image sources it looked up and what each gave, looked up again on a hit: an image
    /// imported since changes the piece.
    images: Vec<(String, Option<String>)>,
}

/// The preview blocks of `markdown` (the same as [`render`] with [`sanitize_piece`] gives),
/// cut before every header it may be cut at, taking from `cache` the pieces the last render
/// made from the same text; `cache` then holds this render's pieces. Also says how many pieces
/// were rendered.
pub(super) fn render_cached(
    markdown: &str,
    converter: &Converter,
    images: &Arc<ImageResolver>,
    cache: &mut PieceCache,
) -> (Vec<Block>, usize) {
    let Some(options) = cuttable(converter) else {
        let html = converter.to_html(markdown, true);
        let blocks = sanitize_piece(&html, images, 0, true).expect("the last piece is kept");
        return (blocks, 1);
    };
    let bounds = bounds(candidates(markdown), markdown.len());
    let mut last_render = std::mem::take(&mut cache.pieces);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut found_now: HashMap<String, Option<String>> = HashMap::new();
    let mut blocks = Vec::new();
    let mut rendered = 0;
    let mut lines_before = 0;
    let mut k = 0;
    while k + 1 < bounds.len() {
        let (start, end) = (bounds[k], bounds[k + 1]);
        let text = &markdown[start..end];
        let mut key = DefaultHasher::new();
        text.hash(&mut key);
        let key = key.finish();
        let same = |c: &Cached| {
            c.text == text
                && (!c.last || end == markdown.len())
                && c.bases
                    .iter()
                    .all(|(base, before)| seen.get(base).copied().unwrap_or(0) == *before)
                && c.images.iter().all(|(src, found)| {
                    // Each source is looked up on disk once per render, however many pieces
                    // show it.
                    let now = found_now
                        .entry(src.clone())
                        .or_insert_with(|| images.lookup(src));
                    now == found
                })
        };
        let hit = last_render.get_mut(&key).and_then(|candidates| {
            let i = candidates.iter().position(same)?;
            Some(candidates.swap_remove(i))
        });
        let (piece, end) = match hit {
            Some(piece) => (piece, end),
            None => {
                rendered += 1;
                let cut = Piece {
                    start,
                    end,
                    last: end == markdown.len(),
                };
                let rest = Piece {
                    start,
                    end: markdown.len(),
                    last: true,
                };
                // A piece that leaves something open takes in the rest of the post.
                [cut, rest]
                    .into_iter()
                    .find_map(|piece| {
                        images.take_lookups();
                        let mut bases = Vec::new();
                        let blocks = render_piece(
                            markdown,
                            options,
                            true,
                            &piece,
                            |asked| {
                                bases = asked
                                    .iter()
                                    .map(|b| (b.clone(), seen.get(b).copied().unwrap_or(0)))
                                    .collect();
                                seen.clone()
                            },
                            |html| sanitize_piece(&html, images, 0, piece.last),
                        )?;
                        let cached = Cached {
                            text: markdown[piece.start..piece.end].to_owned(),
                            bases,
                            blocks,
                            last: piece.last,
                            images: images.take_lookups(),
                        };
                        Some((cached, piece.end))
                    })
                    .expect("the last piece is never refused")
            }
        };
        for (base, _) in &piece.bases {
            *seen.entry(base.clone()).or_insert(0) += 1;
        }
        blocks.extend(
            piece
                .blocks
                .iter()
                .map(|b| b.clone().moved_down(lines_before)),
        );
        let lines = memchr::memchr_iter(b'\n', &markdown.as_bytes()[start..end]).count();
        lines_before = lines_before.saturating_add(u32::try_from(lines).unwrap_or(u32::MAX));
        // A piece that took in the rest of the post is not kept: its text is not the cut's, so
        // it could never be found again.
        if piece.text.len() == text.len() {
            cache.pieces.entry(key).or_default().push(piece);
        }
        k = bounds.partition_point(|&b| b < end);
    }
    (blocks, rendered)
}

/// Where the pieces of markdown of `len` bytes cut at `cuts` start, and where the last ends.
fn bounds(cuts: impl IntoIterator<Item = usize>, len: usize) -> Vec<usize> {
    std::iter::once(0)
        .chain(cuts)
        .chain(std::iter::once(len))
        .collect()
}

/// Where a piece is in the markdown.
struct Piece {
    start: usize,
    end: usize,
    /// The last piece: it ends where the post does.
    last: bool,
}

/// Renders `piece` of `markdown`: `ids` gets the automatic header ids the piece asks for and
/// says how often each was given before it; `each` makes the result from the piece's HTML.
/// `None` when the piece leaves something open at its end (or `each` refuses it).
fn render_piece<T>(
    markdown: &str,
    options: &Options,
    sourcepos: bool,
    piece: &Piece,
    ids: impl FnOnce(&[String]) -> HashMap<String, usize>,
    each: impl FnOnce(String) -> Option<T>,
) -> Option<T> {
    // The next piece's first line too: it must come out as a top-level header.
    let with_next_line = if piece.last {
        piece.end
    } else {
        memchr::memchr(b'\n', &markdown.as_bytes()[piece.end..])
            .map_or(markdown.len(), |i| piece.end + i + 1)
    };
    let text = &markdown[piece.start..with_next_line];
    let mut parsed = postdesk_kramdown::parse_unnumbered(text, options);
    if !piece.last && parsed.left_open() {
        return None;
    }
    if !piece.last {
        let lines =
            memchr::memchr_iter(b'\n', &markdown.as_bytes()[piece.start..piece.end]).count();
        let last = parsed.root.children.pop()?;
        let header = last.kind == Type::Header && last.options.location as usize == lines + 1;
        if !header {
            return None;
        }
    }
    let before = ids(&parsed.header_bases());
    let doc = parsed.number(&before);
    each(postdesk_kramdown::to_html(
        &doc,
        &Hooks {
            sourcepos,
            ..Default::default()
        },
    ))
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

/// Where to cut `markdown` into about `pieces` pieces of even size (see [`candidates`]).
fn cut_points(markdown: &str, pieces: usize) -> Vec<usize> {
    if pieces < 2 {
        return Vec::new();
    }
    let candidates = candidates(markdown);
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

/// Where `markdown` may be cut: before ATX headers at the start of a line that follow a blank
/// line (not an attribute list, which could belong to the header), unless something that
/// kramdown reads across blank lines could hold the header: a line that may open a code fence,
/// block math, an HTML comment, an extension, a processing instruction or a tag before it and
/// one that may close it after it
/// (a line, not a parse, decides: a fence inside a list item counts too). None when the post
/// has definitions that reach across it or a table of contents.
fn candidates(markdown: &str) -> Vec<usize> {
    let bytes = markdown.as_bytes();
    let whole_post = memchr::memmem::find(bytes, b"]:").is_some()
        || memchr::memmem::find(bytes, b"toc}").is_some()
        || memchr::memmem::find_iter(bytes, b"{:")
            .any(|at| defines_attributes(&markdown[at + 2..]));
    if whole_post {
        return Vec::new();
    }
    let mut headers = Vec::new();
    let mut spans: [Span; SPANNING.len()] = Default::default();
    // Kinds whose opening text the post does not hold are not looked for line by line.
    let present: Vec<bool> = SPANNING
        .iter()
        .map(|kind| memchr::memmem::find(bytes, kind.needle).is_some())
        .collect();
    let mut blank_before = false;
    let mut after_attributes = false;
    let mut start = 0;
    for (n, line) in markdown.split_inclusive('\n').enumerate() {
        let at = start;
        start += line.len();
        for ((kind, span), _) in SPANNING
            .iter()
            .zip(spans.iter_mut())
            .zip(&present)
            .filter(|(_, present)| **present)
        {
            if span.first_opener.is_none() && (kind.opens)(line) {
                span.first_opener = Some(n);
            }
            if (kind.closes)(line) {
                span.last_closer = Some(n);
            }
        }
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        let bytes = content.as_bytes();
        let run = bytes.iter().take_while(|&&b| b == b'#').count();
        let blank = content.trim().is_empty();
        let header = indent == 0
            && (1..=6).contains(&run)
            && matches!(bytes.get(run), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
        if header && blank_before && !after_attributes && at > 0 {
            headers.push((n, at));
        }
        if !blank {
            after_attributes = content.starts_with("{:") || content.starts_with("{#");
        }
        blank_before = blank;
    }
    headers
        .into_iter()
        .filter(|&(n, _)| {
            spans.iter().all(|s| {
                !(s.first_opener.is_some_and(|o| o < n) && s.last_closer.is_some_and(|c| c >= n))
            })
        })
        .map(|(_, at)| at)
        .collect()
}

/// Where the lines that may open and close one kind of [`Spanning`] are.
#[derive(Default)]
struct Span {
    first_opener: Option<usize>,
    last_closer: Option<usize>,
}

/// What kramdown reads across blank lines, by the lines that may open and close it.
struct Spanning {
    /// Text every line that opens it holds.
    needle: &'static [u8],
    opens: fn(&str) -> bool,
    closes: fn(&str) -> bool,
}

const SPANNING: [Spanning; 7] = [
    Spanning {
        needle: b"```",
        opens: |l| l.trim_start().starts_with("```"),
        closes: |l| l.trim_start().starts_with("```"),
    },
    Spanning {
        needle: b"~~~",
        opens: |l| l.trim_start().starts_with("~~~"),
        closes: |l| l.trim_start().starts_with("~~~"),
    },
    Spanning {
        needle: b"$$",
        opens: |l| {
            let l = l.trim_start();
            l.starts_with("$$") || l.starts_with("\\$$")
        },
        closes: |l| l.contains("$$"),
    },
    Spanning {
        needle: b"<!--",
        opens: |l| l.contains("<!--"),
        closes: |l| l.contains("-->"),
    },
    Spanning {
        needle: b"{::",
        opens: |l| l.contains("{::"),
        closes: |l| l.contains("{:/"),
    },
    Spanning {
        needle: b"<?",
        opens: |l| l.contains("<?"),
        closes: |l| l.contains("?>"),
    },
    // A tag whose attributes go on past the line.
    Spanning {
        needle: b"<",
        opens: |l| {
            l.rfind('<').is_some_and(|at| {
                let after = &l[at + 1..];
                after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
                    && !after.contains('>')
            })
        },
        closes: |l| l.contains('>'),
    },
];

/// Whether what follows a `{:` names an attribute list definition (`{:name: …}`).
fn defines_attributes(after: &str) -> bool {
    let name = after
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    name > 0 && after.as_bytes().get(name) == Some(&b':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::Post;
    use crate::render::sanitize_piece;
    use std::path::Path;

    fn kramdown() -> Converter {
        Converter::Kramdown(Box::default())
    }

    /// The HTML of `markdown` rendered whole (for the site).
    fn whole(markdown: &str) -> String {
        kramdown().to_html(markdown, false)
    }

    /// The HTML of `markdown` in `pieces` pieces (for the site), and whether it was cut.
    fn site(markdown: &str, pieces: usize) -> (String, bool) {
        let options = Options::default();
        let cuts = cut_points(markdown, pieces);
        let parts = in_pieces(markdown, &options, false, &cuts, &|html, _, _| Some(html));
        let cut = parts.is_some() && !cuts.is_empty();
        (
            render(markdown, &kramdown(), false, pieces, |html, _, _| {
                Some(html)
            })
            .concat(),
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
            let whole = whole(body);
            for pieces in [2, 3, 4, 7] {
                let (html, was_cut) = site(body, pieces);
                assert_eq!(html, whole, "{name} in {pieces} pieces");
                cut += usize::from(was_cut);
            }
        }
        // Most files have headers to cut at: the comparison above saw real cuts.
        assert!(cut * 2 > bodies.len(), "only {cut} cut renders");
    }

    #[test]
    fn preview_pieces_give_the_blocks_of_the_whole() {
        let images = sample_images();
        let blocks = |markdown: &str, pieces: usize| {
            render(markdown, &kramdown(), true, pieces, |html, lines, last| {
                sanitize_piece(&html, &images, lines, last)
            })
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

    /// What the preview shows of `markdown` rendered afresh (whole, no cache).
    fn fresh(markdown: &str, images: &Arc<ImageResolver>) -> Vec<Block> {
        render(markdown, &kramdown(), true, 1, |html, lines, last| {
            sanitize_piece(&html, images, lines, last)
        })
        .concat()
    }

    fn sample_images() -> Arc<ImageResolver> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../posts");
        let site = crate::site::Site::open(&root).unwrap();
        let post = root.join("_posts/2023-03-22-gdata33.md");
        Arc::new(ImageResolver::new(&site, &post, "site://localhost/"))
    }

    /// Edit number `step` of a series: a letter typed, a header added, a line cut short, an
    /// HTML block opened, at places spread over the text.
    fn edit(text: &str, step: usize) -> String {
        let mut at = text.len() * ((step * 37 + 11) % 100) / 100;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let (before, after) = text.split_at(at);
        match step % 4 {
            0 => format!("{before}x{after}"),
            1 => format!("{before}\n\n# Added header\n\n{after}"),
            2 => format!(
                "{before}{}",
                &after[after.find('\n').unwrap_or(after.len())..]
            ),
            _ => format!("{before}\n\n<div>\n\n{after}"),
        }
    }

    #[test]
    fn cached_pieces_give_the_blocks_of_a_fresh_render() {
        let images = sample_images();
        let (mut pieces, mut rendered) = (0, 0);
        for (name, body) in bodies() {
            let mut text = format!("\n\n{body}");
            let mut cache = PieceCache::default();
            for step in 0..8 {
                let (blocks, made) = render_cached(&text, &kramdown(), &images, &mut cache);
                assert_eq!(blocks, fresh(&text, &images), "{name} after {step} edits");
                if step > 0 {
                    pieces += candidates(&text).len() + 1;
                    rendered += made;
                }
                text = edit(&text, step);
            }
        }
        // Edits re-rendered a small part of the pieces: the comparisons above saw reuse.
        assert!(
            rendered * 3 < pieces,
            "{rendered} of {pieces} pieces rendered"
        );
    }

    #[test]
    fn a_keystroke_renders_the_pieces_it_changes() {
        let images = sample_images();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../posts");
        let seed = std::fs::read_to_string(root.join("_posts/2023-03-22-gdata33.md")).unwrap();
        let text = Post::split(&seed).body.repeat(20);
        let mut cache = PieceCache::default();
        let (_, first) = render_cached(&text, &kramdown(), &images, &mut cache);
        assert!(first > 60, "{first} pieces");
        // A letter in a paragraph halfway down: its piece alone.
        let middle = text[text.len() / 2..].find("\n\n").unwrap() + text.len() / 2;
        let typed = format!("{}x{}", &text[..middle], &text[middle..]);
        assert_eq!(render_cached(&typed, &kramdown(), &images, &mut cache).1, 1);
        assert_eq!(
            render_cached(&text, &kramdown(), &images, &mut cache).1,
            1,
            "and back"
        );
        // A letter in the first `# 머리말`: its piece, and the nineteen whose `머리말` headers
        // now get other numbers.
        let header = text.find("# 머리말").unwrap() + "# 머리말".len();
        let typed = format!("{}x{}", &text[..header], &text[header..]);
        let (blocks, made) = render_cached(&typed, &kramdown(), &images, &mut cache);
        assert_eq!(made, 20);
        assert_eq!(blocks, fresh(&typed, &images));
    }

    #[test]
    fn a_cached_piece_sees_an_image_arrive() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("_config.yml"), "title: t\n").unwrap();
        std::fs::create_dir_all(dir.path().join("_posts")).unwrap();
        std::fs::create_dir_all(dir.path().join("images")).unwrap();
        let site = crate::site::Site::open(dir.path()).unwrap();
        let post = site.root.join("_posts/2023-03-22-a.md");
        let images = Arc::new(ImageResolver::new(&site, &post, "site://localhost/"));
        let text = "# A\n\ntext\n\n# B\n\n![new](/images/new.png)\n\n# C\n\nend\n";
        let mut cache = PieceCache::default();
        let (before, _) = render_cached(text, &kramdown(), &images, &mut cache);
        assert!(!before
            .iter()
            .any(|b| b.html.contains("site://localhost/images/new.png")));
        std::fs::write(site.root.join("images/new.png"), b"png").unwrap();
        let (after, made) = render_cached(text, &kramdown(), &images, &mut cache);
        assert_eq!(made, 1, "the piece with the image");
        assert!(
            after
                .iter()
                .any(|b| b.html.contains("site://localhost/images/new.png")),
            "{after:?}"
        );
    }

    #[test]
    fn header_ids_number_on_across_pieces() {
        let md = "# A\n\ntext\n\n# A\n\n## B {#own}\n\n# A\n\n## B\n\n# B\n";
        let (html, cut) = site(md, 4);
        assert!(cut);
        assert_eq!(html, whole(md));
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
            // The scanner takes the fence for a top-level one closed before the header;
            // kramdown's list item takes in the fence, which takes in the header.
            "- item\n\n  ```\n  code\n\n# A\n  ```\n\n# B\n\ntext\n```\n",
            // An HTML comment open across the header.
            "<!--\nnote\n\n# A\n-->\n\n# B\n\nend\n",
            "<script>\nx\n\n# A\n</script>\n\n# B\n",
        ] {
            let (html, _) = site(md, 2);
            assert_eq!(html, whole(md), "{md}");
        }
        // A line that may open a fence before the header and one that may close it after:
        // no cut there, whatever the lines turn out to be.
        assert!(candidates("```\nx\n\n# A\n```\n").is_empty());
        assert!(candidates("<!--\nx\n\n# A\n-->\n").is_empty());
        assert_eq!(candidates("```\nx\n```\n\n# A\n").len(), 1);
        // An element without its end tag in the piece: kramdown's warning refuses the cut.
        let md = "<div>\n\n# A\n</div>\n\n# B\n\nend\n";
        assert_eq!(html_of_cut(md), None, "the piece refuses it");
        assert_eq!(site(md, 2).0, whole(md));
    }

    /// The HTML of `md` cut at its first candidate, when the pieces accept the cut.
    fn html_of_cut(md: &str) -> Option<String> {
        let cuts = candidates(md)[..1].to_vec();
        in_pieces(md, &Options::default(), false, &cuts, &|html, _, _| {
            Some(html)
        })
        .map(|parts| parts.concat())
    }

    #[test]
    fn definitions_keep_a_post_whole() {
        for md in [
            "[a]\n\n# X\n\n[a]: /x\n",
            "t[^1]\n\n# X\n\n[^1]: n\n",
            "{:x: .c}\n\n# X\n\n{: x}\npara\n",
            "* toc\n{:toc}\n\n# X\n\n# Y\n",
        ] {
            assert!(cut_points(md, 2).is_empty(), "{md}");
        }
    }
}
