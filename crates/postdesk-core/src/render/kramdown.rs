//! Markdown to HTML as kramdown (GFM input, Jekyll's defaults) writes it, on top of comrak.
//! Not for: Liquid (runs before) or sanitizing (runs after, for the preview only).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use comrak::adapters::HeadingAdapter;
use comrak::nodes::Sourcepos;

use super::images::ImageResolver;

/// With `images` (the preview), markdown images point at local files and blocks carry their
/// source lines.
pub(super) fn markdown_to_html(markdown: &str, images: Option<Arc<ImageResolver>>) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.footnotes = true;
    options.render.r#unsafe = true;
    options.render.sourcepos = images.is_some();
    if let Some(images) = images {
        options.extension.image_url_rewriter = Some(Arc::new(move |url: &str| {
            images.local_src(url).unwrap_or_else(|| url.to_owned())
        }));
    }
    let headings = KramdownHeadings::default();
    let mut plugins = comrak::options::Plugins::default();
    plugins.render.heading_adapter = Some(&headings);
    comrak::markdown_to_html_with_plugins(markdown, &options, &plugins)
}

/// Writes `<hN id="…">` with ids made as kramdown's GFM parser makes them (Hangul kept,
/// punctuation dropped, spaces to `-`, `-1`, `-2` … for repeats).
#[derive(Default)]
struct KramdownHeadings {
    seen: Mutex<HashMap<String, usize>>,
}

impl HeadingAdapter for KramdownHeadings {
    fn enter(
        &self,
        output: &mut dyn std::fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
        sourcepos: Option<Sourcepos>,
    ) -> std::fmt::Result {
        let base = heading_id(&heading.content);
        let id = {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            match *count {
                1 => base,
                n => format!("{base}-{}", n - 1),
            }
        };
        write!(output, "<h{} id=\"", heading.level)?;
        escape_attr(output, &id)?;
        output.write_char('"')?;
        if let Some(sp) = sourcepos {
            write!(output, " data-sourcepos=\"{sp}\"")?;
        }
        output.write_char('>')
    }

    fn exit(
        &self,
        output: &mut dyn std::fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
    ) -> std::fmt::Result {
        writeln!(output, "</h{}>", heading.level)
    }
}

/// kramdown-parser-gfm's `generate_gfm_header_id`: downcase, keep word characters, `-`, spaces
/// and tabs, then spaces and tabs become `-`.
pub fn heading_id(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' | '\t' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() || is_mark(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn is_mark(c: char) -> bool {
    // Combining marks (Ruby's \p{Word} includes \p{M}): the common blocks suffice for ids.
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF | 0x3099..=0x309A)
}

fn escape_attr(out: &mut dyn std::fmt::Write, s: &str) -> std::fmt::Result {
    for c in s.chars() {
        match c {
            '&' => out.write_str("&amp;")?,
            '"' => out.write_str("&quot;")?,
            '<' => out.write_str("&lt;")?,
            '>' => out.write_str("&gt;")?,
            c => out.write_char(c)?,
        }
    }
    Ok(())
}
