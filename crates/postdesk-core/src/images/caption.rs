//! An image's alt text and caption as a post writes them, read and changed in place. A caption
//! is written the way the theme shows one: in a `<figure>` with a `<figcaption>`, or as the
//! paragraph right after the image marked `{: .caption}` or `{: .text-center}` when the site's
//! posts already write captions that way. Only the lines of that image change.
//! Not for: where images live or how they are named (see `images`).

use std::ops::Range;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{links, Link};
use crate::render::{ImageResolver, SiteImage};
use crate::site::Site;

/// What a reader gets of an image besides its pixels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImageText {
    pub alt: String,
    pub caption: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaptionError {
    #[error("the post no longer shows {0}: look at its images again")]
    NotShown(String),
    #[error("{0} shares its line with other text: put the image on a line of its own to give it a caption")]
    NotAlone(String),
}

/// Classes of the paragraph after an image that make it the image's caption.
const CAPTION_CLASSES: &[&str] = &["caption", "text-center"];

/// How one image is written in a post's text.
struct Written {
    /// The whole image: `![alt](dest)` or the `<img …>` tag.
    image: Range<usize>,
    /// The alt text's bytes: inside `![…]`, or the `alt="…"` value (None: no `alt` attribute).
    alt: Option<Range<usize>>,
    html: bool,
    /// The destination as written.
    dest: Range<usize>,
    caption: Option<Caption>,
}

enum Caption {
    /// `<figure>` … `</figure>` around the image, and its `<figcaption>` element when it has one.
    Figure {
        figure: Range<usize>,
        figcaption: Option<Range<usize>>,
    },
    /// The paragraph after the image, its text and the whole of it with the IAL line.
    Paragraph {
        text: Range<usize>,
        whole: Range<usize>,
    },
}

/// The alt text and caption of the first place `post_rel`'s text shows the site image `file`.
pub fn image_text(site: &Site, post_rel: &str, text: &str, file: &str) -> Option<ImageText> {
    Some(read(text, &find(site, post_rel, text, file)?))
}

/// The alt text and caption of the image whose link destination is `dest` (a range of `text`,
/// as `links` finds it), for a caller that has the links already.
pub(crate) fn image_text_at(text: &str, dest: &Range<usize>) -> Option<ImageText> {
    Some(read(text, &written(text, dest)?))
}

fn read(text: &str, w: &Written) -> ImageText {
    let alt = w.alt.clone().map_or(String::new(), |r| {
        if w.html {
            unescape_html(&text[r])
        } else {
            unescape_markdown(&text[r])
        }
    });
    let caption = match &w.caption {
        Some(Caption::Figure {
            figcaption: Some(r),
            ..
        }) => {
            let inner = &text[r.clone()];
            let start = inner.find('>').map_or(0, |i| i + 1);
            let end = inner.rfind("</").unwrap_or(inner.len());
            unescape_html(inner[start..end].trim())
        }
        Some(Caption::Paragraph { text: r, .. }) => text[r.clone()].trim().to_owned(),
        _ => String::new(),
    };
    ImageText { alt, caption }
}

/// `text` with the first image showing `file` given `wanted`'s alt text and caption (an empty
/// caption takes the caption away). Only the image's own lines change.
pub fn set_image_text(
    site: &Site,
    post_rel: &str,
    text: &str,
    file: &str,
    wanted: &ImageText,
) -> Result<String, CaptionError> {
    let w = find(site, post_rel, text, file).ok_or_else(|| CaptionError::NotShown(file.into()))?;
    let alt = wanted.alt.split_whitespace().collect::<Vec<_>>().join(" ");
    let caption = wanted
        .caption
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let now = read(text, &w);
    // Disjoint replacements, made from the end of the text backwards.
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut alt_done = alt == now.alt;
    if caption != now.caption {
        let element = format!("<figcaption>{}</figcaption>", escape_html(&caption));
        match (&w.caption, caption.is_empty()) {
            // The blank line, the paragraph and its IAL line go.
            (Some(Caption::Paragraph { whole, .. }), true) => {
                edits.push((w.image.end..whole.end, String::new()))
            }
            (Some(Caption::Paragraph { text: r, .. }), false) => {
                edits.push((r.clone(), caption.clone()))
            }
            (
                Some(Caption::Figure {
                    figcaption: Some(r),
                    ..
                }),
                true,
            ) => {
                let line_start = text[..r.start].rfind('\n').map_or(0, |i| i + 1);
                let start = if text[line_start..r.start].trim().is_empty() {
                    line_start.saturating_sub(1)
                } else {
                    r.start
                };
                edits.push((start..r.end, String::new()));
            }
            (
                Some(Caption::Figure {
                    figcaption: Some(r),
                    ..
                }),
                false,
            ) => edits.push((r.clone(), element)),
            (Some(Caption::Figure { figure, .. }), false) => {
                let close = figure.end - "</figure>".len();
                let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
                if text[line_start..close].trim().is_empty() {
                    edits.push((line_start..line_start, format!("  {element}\n")));
                } else {
                    edits.push((close..close, element));
                }
            }
            (None, false) => {
                let line_start = text[..w.image.start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[w.image.end..]
                    .find('\n')
                    .map_or(text.len(), |i| w.image.end + i);
                let rest = text[w.image.end..line_end].trim();
                if !text[line_start..w.image.start].trim().is_empty()
                    || !(rest.is_empty() || rest.starts_with("{:"))
                {
                    return Err(CaptionError::NotAlone(file.into()));
                }
                match (caption_style(site), w.html) {
                    (Some(class), false) => {
                        edits.push((line_end..line_end, format!("\n\n{caption}\n{{: .{class}}}")));
                    }
                    (_, false) => {
                        // Markdown is not read inside a `<figure>`: the image becomes an `<img>`.
                        let src = text[w.dest.clone()].replace('"', "%22");
                        let img = format!("<img src=\"{src}\" alt=\"{}\">", escape_html(&alt));
                        edits.push((
                            w.image.clone(),
                            format!("<figure>\n  {img}\n  {element}\n</figure>"),
                        ));
                        alt_done = true;
                    }
                    (_, true) => {
                        edits.push((w.image.start..w.image.start, "<figure>\n  ".to_owned()));
                        edits.push((
                            w.image.end..w.image.end,
                            format!("\n  {element}\n</figure>"),
                        ));
                    }
                }
            }
            (_, true) => {}
        }
    }
    if !alt_done {
        edits.push(match (&w.alt, w.html) {
            (Some(r), true) => (r.clone(), escape_html(&alt)),
            (Some(r), false) => (r.clone(), escape_markdown(&alt)),
            // `<img` then ` alt="…"`.
            (None, _) => (
                w.image.start + 4..w.image.start + 4,
                format!(" alt=\"{}\"", escape_html(&alt)),
            ),
        });
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse((r.start, r.end)));
    let mut out = text.to_owned();
    for (range, with) in edits {
        out.replace_range(range, &with);
    }
    Ok(out)
}

/// How the site's posts write captions: the class of the paragraph after an image, or None for
/// `<figure>` (also when no post writes one).
fn caption_style(site: &Site) -> Option<&'static str> {
    for post in site.post_paths().iter().take(200) {
        let Ok(text) = site.read_post(post) else {
            continue;
        };
        if text.contains("<figcaption") {
            return None;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(class) = CAPTION_CLASSES
                .iter()
                .find(|c| line.trim() == format!("{{: .{c}}}"))
            else {
                continue;
            };
            // `![…](…)`, a blank line, the caption's line, then this one.
            if i >= 3
                && lines[i - 2].trim().is_empty()
                && lines[i - 3].trim_start().starts_with("![")
            {
                return Some(class);
            }
        }
    }
    None
}

/// Where and how the first image showing `file` is written.
fn find(site: &Site, post_rel: &str, text: &str, file: &str) -> Option<Written> {
    let resolver = ImageResolver::new(site, &site.root.join(post_rel), "");
    let link = links(text, &resolver).into_iter().find(
        |l: &Link| matches!(&l.target, SiteImage::Found(f) | SiteImage::Missing(f) if f == file),
    )?;
    written(text, &link.range)
}

/// How the image whose link destination is `dest` (a range of `text`) is written.
fn written(text: &str, dest: &Range<usize>) -> Option<Written> {
    let dest = dest.clone();
    let line_start = text[..dest.start].rfind('\n').map_or(0, |i| i + 1);
    let written = if text[..dest.start].ends_with("](") {
        // `![alt](dest …)`: the last `![` before it on its line.
        let open = line_start + text[line_start..dest.start].rfind("![")?;
        let close = dest.start - 2;
        let end = dest.end + text[dest.end..].find(')')? + 1;
        Written {
            image: open..end,
            alt: Some(open + 2..close),
            html: false,
            dest: dest.clone(),
            caption: None,
        }
    } else {
        let open = text[..dest.start].rfind("<img")?;
        let end = dest.end + text[dest.end..].find('>')? + 1;
        let tag = &text[open..end];
        let alt = tag.find(" alt=\"").map(|i| {
            let start = open + i + 6;
            start..start + text[start..end].find('"').unwrap_or(0)
        });
        Written {
            image: open..end,
            alt,
            html: true,
            dest: dest.clone(),
            caption: None,
        }
    };
    Some(Written {
        caption: figure(text, &written.image).or_else(|| paragraph(text, &written.image)),
        ..written
    })
}

/// The `<figure>` around `image`, with its `<figcaption>`.
fn figure(text: &str, image: &Range<usize>) -> Option<Caption> {
    let open = text[..image.start].rfind("<figure")?;
    if text[open..image.start].contains("</figure>") {
        return None;
    }
    let end = image.end + text[image.end..].find("</figure>")? + "</figure>".len();
    let inside = &text[open..end];
    let figcaption = inside.find("<figcaption").and_then(|s| {
        let e = inside[s..].find("</figcaption>")? + s + "</figcaption>".len();
        Some(open + s..open + e)
    });
    Some(Caption::Figure {
        figure: open..end,
        figcaption,
    })
}

/// The paragraph after `image` (alone on its line), a blank line between, marked as a caption.
fn paragraph(text: &str, image: &Range<usize>) -> Option<Caption> {
    let after = &text[image.end..];
    let rest = after
        .strip_prefix('\n')
        .or_else(|| after.strip_prefix("\r\n"))?;
    let blank = rest.find('\n')?;
    if !rest[..blank].trim().is_empty() {
        return None;
    }
    let start = image.end + (after.len() - rest.len()) + blank + 1;
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let ial_end = text[line_end..]
        .get(1..)
        .map(|r| r.find('\n').map_or(text.len(), |i| line_end + 1 + i))?;
    let ial = text.get(line_end + 1..ial_end)?.trim();
    let marked = CAPTION_CLASSES.iter().any(|c| ial == format!("{{: .{c}}}"));
    (marked && !text[start..line_end].trim().is_empty()).then_some(Caption::Paragraph {
        text: start..line_end,
        whole: start..ial_end,
    })
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Alt text inside `![…]`: brackets and backslashes escaped so that the link stays whole.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn unescape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: &str = "_posts/2023-03-22-gdata33.md";
    const FILE: &str = "images/2023-03-22-gdata33/moss.png";

    /// A site with the post `POST` whose text is `text` (and `others` beside it), its image there.
    fn site_with(text: &str, others: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let (dir, site) = crate::testing::site("title: t\n");
        for (rel, body) in [(POST, text)].iter().chain(others) {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
        let image = dir.path().join(FILE);
        std::fs::create_dir_all(image.parent().unwrap()).unwrap();
        std::fs::write(image, b"png").unwrap();
        (dir, site)
    }

    fn set(site: &Site, text: &str, alt: &str, caption: &str) -> String {
        let wanted = ImageText {
            alt: alt.into(),
            caption: caption.into(),
        };
        let after = set_image_text(site, POST, text, FILE, &wanted).unwrap();
        // What is written reads back as what was asked.
        assert_eq!(
            image_text(site, POST, &after, FILE),
            Some(wanted),
            "{after}"
        );
        after
    }

    const MD: &str = "---\ntitle: t\n---\n앞 문단\n\n![moss]({{site.url}}\\images\\2023-03-22-gdata33\\moss.png)\n\n뒤 문단\n";

    #[test]
    fn markdown_alt_text_is_changed_in_place_with_brackets_escaped() {
        let (_dir, site) = site_with(MD, &[]);
        assert_eq!(
            image_text(&site, POST, MD, FILE),
            Some(ImageText {
                alt: "moss".into(),
                caption: String::new()
            })
        );
        let after = set(&site, MD, "이끼 [moss] 사진", "");
        assert_eq!(after, MD.replace("![moss]", "![이끼 \\[moss\\] 사진]"));
    }

    #[test]
    fn a_caption_is_a_figure_unless_the_site_writes_caption_paragraphs() {
        let (_dir, site) = site_with(MD, &[]);
        let after = set(&site, MD, "이끼", "그림 1. 이끼 & 돌");
        assert_eq!(
            after,
            MD.replace(
                "![moss]({{site.url}}\\images\\2023-03-22-gdata33\\moss.png)",
                "<figure>\n  <img src=\"{{site.url}}\\images\\2023-03-22-gdata33\\moss.png\" alt=\"이끼\">\n  <figcaption>그림 1. 이끼 &amp; 돌</figcaption>\n</figure>"
            )
        );
        // Changed, then taken away: the figure stays, its caption line goes.
        let changed = set(&site, &after, "이끼", "그림 2");
        assert!(
            changed.contains("  <figcaption>그림 2</figcaption>\n</figure>"),
            "{changed}"
        );
        let gone = set(&site, &changed, "이끼", "");
        assert!(gone.contains("alt=\"이끼\">\n</figure>"), "{gone}");
        assert_eq!(
            set(&site, &gone, "이끼", "다시"),
            changed.replace("그림 2", "다시")
        );
    }

    #[test]
    fn the_sites_caption_paragraph_style_is_followed() {
        let other = "---\ntitle: o\n---\n![a](/images/a.png)\n\n사진 설명\n{: .text-center}\n";
        let (_dir, site) = site_with(MD, &[("_posts/2023-02-22-gdata32.md", other)]);
        let after = set(&site, MD, "moss", "이끼 사진");
        assert_eq!(
            after,
            MD.replace("moss.png)\n", "moss.png)\n\n이끼 사진\n{: .text-center}\n")
        );
        let changed = set(&site, &after, "moss", "바뀐 설명");
        assert_eq!(changed, after.replace("이끼 사진", "바뀐 설명"));
        assert_eq!(set(&site, &changed, "moss", ""), MD);
    }

    #[test]
    fn an_img_tag_gets_an_alt_attribute_and_a_figure_around_it() {
        let text = "---\ntitle: t\n---\n<img src=\"/images/2023-03-22-gdata33/moss.png\" style=\"zoom:50%\">\n";
        let (_dir, site) = site_with(text, &[]);
        assert_eq!(
            image_text(&site, POST, text, FILE),
            Some(ImageText::default())
        );
        let alt = set(&site, text, "이끼 \"moss\"", "");
        assert!(
            alt.contains("<img alt=\"이끼 &quot;moss&quot;\" src="),
            "{alt}"
        );
        let figure = set(&site, &alt, "이끼", "설명 <b>");
        assert!(
            figure.contains("<figure>\n  <img alt=\"이끼\" src=\"/images/2023-03-22-gdata33/moss.png\" style=\"zoom:50%\">\n  <figcaption>설명 &lt;b&gt;</figcaption>\n</figure>\n"),
            "{figure}"
        );
    }

    #[test]
    fn an_image_inside_a_sentence_gets_no_caption_and_a_missing_image_no_text() {
        let text = "---\ntitle: t\n---\n보세요 ![moss](/images/2023-03-22-gdata33/moss.png) 여기\n";
        let (_dir, site) = site_with(text, &[]);
        let wanted = ImageText {
            alt: "moss".into(),
            caption: "설명".into(),
        };
        assert_eq!(
            set_image_text(&site, POST, text, FILE, &wanted),
            Err(CaptionError::NotAlone(FILE.into()))
        );
        assert_eq!(
            set_image_text(&site, POST, "---\ntitle: t\n---\n", FILE, &wanted),
            Err(CaptionError::NotShown(FILE.into()))
        );
    }
}
