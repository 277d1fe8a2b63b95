//! The preview's defence: removes everything in untrusted post HTML that could run code or reach
//! the app, and cuts what is left into top-level blocks (the units the preview updates).
//! Not for: the `site` target, which is what Jekyll publishes, unsanitized.
//!
//! The HTML is read token by token the way a browser tokenizes it, and written again from those
//! tokens: only elements and attributes on the lists below, every attribute value quoted and
//! escaped, URLs checked after decoding character references, no comments, no raw-text elements.
//! What comes out is therefore safe however the input was meant to be read: a browser can only
//! see the tags written here. Elements are balanced per block (an end tag closes what it skipped,
//! a stray one is dropped, whatever is open at the end is closed), so one block's broken HTML
//! cannot swallow the next.

use std::borrow::Cow;

use super::images::ImageResolver;

/// One top-level piece of the preview: an element (with the whitespace after it) or text, and
/// the line of the post file it starts at (0 when it does not say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub html: String,
    pub line: u32,
}

impl Block {
    /// The block of a piece of a page, with its line counted from the top of the page when the
    /// piece has `lines_before` lines above it (0 still says nothing).
    pub(super) fn moved_down(mut self, lines_before: u32) -> Block {
        if self.line != 0 {
            self.line = self.line.saturating_add(lines_before);
        }
        self
    }
}

/// Elements a post may show. Everything else is dropped (its text stays, except in the
/// raw-text elements below, whose content goes with them). Sorted: looked up by halving.
const ALLOWED: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "wbr",
];

/// [`ALLOWED`] as [`key`]s, in the same order.
const ALLOWED_KEYS: [u128; ALLOWED.len()] = {
    let mut keys = [0; ALLOWED.len()];
    let mut i = 0;
    while i < ALLOWED.len() {
        keys[i] = key(ALLOWED[i].as_bytes());
        i += 1;
    }
    keys
};

/// A name of up to 15 bytes as one number: its bytes from the top, its length in the lowest
/// byte. Names without NUL bytes sort as their keys do, and equal keys are equal names; a tag
/// is looked up by comparing numbers instead of strings.
const fn key(name: &[u8]) -> u128 {
    let mut key = 0u128;
    let mut i = 0;
    while i < 15 {
        key <<= 8;
        if i < name.len() {
            key |= name[i] as u128;
        }
        i += 1;
    }
    (key << 8) | name.len() as u128
}

/// The allowed element named `name`, if it is one.
fn allowed(name: &str) -> Option<&'static str> {
    if name.len() > 15 {
        return None;
    }
    let at = ALLOWED_KEYS.binary_search(&key(name.as_bytes())).ok()?;
    Some(ALLOWED[at])
}

/// Elements without content or end tag.
const VOID: &[&str] = &["br", "col", "hr", "img", "input", "wbr"];

/// Elements whose content a browser reads as text up to their end tag: dropped with it.
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

/// Whether any allowed element may keep `attribute`.
fn generic_attribute(attribute: &str) -> bool {
    matches!(
        attribute,
        "class" | "id" | "style" | "align" | "title" | "lang" | "dir"
    )
}

/// Attributes particular elements may keep, beside the generic ones.
fn tag_allows(tag: &str, attribute: &str) -> bool {
    match tag {
        "a" => matches!(attribute, "href" | "hreflang" | "name"),
        "img" => matches!(attribute, "src" | "alt" | "width" | "height" | "loading"),
        "td" | "th" => matches!(attribute, "colspan" | "rowspan" | "headers" | "scope"),
        "col" | "colgroup" => attribute == "span",
        "ol" => matches!(attribute, "start" | "type" | "reversed"),
        "li" | "data" => attribute == "value",
        "blockquote" | "q" => attribute == "cite",
        "del" | "ins" => matches!(attribute, "cite" | "datetime"),
        "time" => attribute == "datetime",
        "hr" => matches!(attribute, "size" | "width"),
        "table" => attribute == "summary",
        "details" => attribute == "open",
        "input" => matches!(attribute, "type" | "checked"),
        _ => false,
    }
}

/// URL schemes a link or image may use (relative URLs always may); the preview's own image
/// scheme is added by the caller.
const SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Style properties kept: the layout posts use (Typora's `zoom`, widths, alignment, colours).
const STYLE_PROPERTIES: &[&str] = &[
    "zoom",
    "width",
    "height",
    "max-width",
    "text-align",
    "color",
    "background-color",
    "font-size",
    "font-weight",
    "font-style",
    "text-decoration",
    "margin",
    "margin-left",
    "margin-right",
    "margin-top",
    "margin-bottom",
    "padding",
    "float",
    "display",
    "border",
    "vertical-align",
];

/// Elements that close an open `<p>`, as in a browser. Sorted: looked up by halving.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "div",
    "dl",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
];

/// Removes everything that could run code or reach the app from untrusted post HTML, keeping
/// what Jekyll posts use (classes, ids, images, tables, notices, inline layout styles); images
/// that are files of the site point at them through `images`.
fn sanitize(html: &str, images: &ImageResolver) -> Vec<Block> {
    let scheme = images.image_base.split_once(':').map(|(s, _)| s);
    let mut cleaner = Cleaner {
        images,
        image_scheme: scheme,
        blocks: Vec::new(),
        out: String::with_capacity(html.len() + html.len() / 8),
        open: Vec::new(),
        line: 0,
        ended: false,
    };
    cleaner.run(html);
    cleaner.finish()
}

/// What the sanitizer makes of HTML after one piece of a page when nothing of the piece is left
/// open: a block of its own.
const PROBE: &str = "<p>probe</p>";

/// [`sanitize`] for one piece of a page (see `pieces`), its blocks' lines moved down by
/// `lines_before`; `None` when the piece leaves something open (an element, a comment, raw text)
/// that would take in the next piece, unless it is the `last`.
pub(super) fn sanitize_piece(
    html: &str,
    images: &ImageResolver,
    lines_before: usize,
    last: bool,
) -> Option<Vec<Block>> {
    let mut blocks = if last {
        sanitize(html, images)
    } else {
        let mut blocks = sanitize(&[html, PROBE].concat(), images);
        blocks.pop().filter(|probe| probe.html == PROBE)?;
        blocks
    };
    if lines_before > 0 {
        let lines_before = u32::try_from(lines_before).unwrap_or(u32::MAX);
        blocks = blocks
            .into_iter()
            .map(|b| b.moved_down(lines_before))
            .collect();
    }
    Some(blocks)
}

struct Cleaner<'i> {
    images: &'i ImageResolver,
    image_scheme: Option<&'i str>,
    blocks: Vec<Block>,
    /// The block being written.
    out: String,
    /// Allowed elements open in it, innermost last.
    open: Vec<&'static str>,
    /// The source line of the block being written.
    line: u32,
    /// The block's top-level element has ended: what follows other than whitespace starts the
    /// next block.
    ended: bool,
}

/// A tag as read: name lowercased, attributes as written (names lowercased).
struct Tag<'h> {
    name: Cow<'h, str>,
    attributes: Vec<Attribute<'h>>,
}

/// An attribute as read: its name lowercased, its value as written.
type Attribute<'h> = (Cow<'h, str>, &'h str);

impl<'i> Cleaner<'i> {
    fn run(&mut self, html: &str) {
        let bytes = html.as_bytes();
        // The attribute list each tag is read into, kept from tag to tag.
        let mut spare = Vec::new();
        let mut i = 0;
        while i < html.len() {
            let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|at| i + at) else {
                self.text(&html[i..]);
                break;
            };
            self.text(&html[i..lt]);
            let next = bytes.get(lt + 1).copied();
            i = match next {
                Some(b'!') if html[lt..].starts_with("<!--") => self.comment(html, lt),
                Some(b'!' | b'?') => skip_past(html, lt + 2, ">"),
                Some(b'/') => match bytes.get(lt + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let (tag, end) = read_tag(html, lt + 2, std::mem::take(&mut spare));
                        if let Some(tag) = tag {
                            self.end_tag(&tag.name);
                            spare = tag.attributes;
                        }
                        end
                    }
                    Some(b'>') => lt + 3,
                    // `</` then anything else: a bogus comment up to `>`.
                    _ => skip_past(html, lt + 2, ">"),
                },
                Some(c) if c.is_ascii_alphabetic() => {
                    let (tag, end) = read_tag(html, lt + 1, std::mem::take(&mut spare));
                    match tag {
                        Some(tag) if RAW_TEXT.contains(&&*tag.name) => {
                            raw_text_end(html, end, &tag.name)
                        }
                        Some(tag) if tag.name == "plaintext" => html.len(),
                        Some(tag) => {
                            self.start_tag(&tag);
                            spare = tag.attributes;
                            end
                        }
                        // A tag cut off by the end of the input is no tag.
                        None => html.len(),
                    }
                }
                _ => {
                    self.text("&lt;");
                    lt + 1
                }
            };
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_to(0);
        self.cut();
        self.blocks
    }

    /// Ends the block being written (if it holds anything).
    fn cut(&mut self) {
        if !self.out.is_empty() {
            // Copied at its size: the buffer stays, grown, for the next block.
            self.blocks.push(Block {
                html: self.out.as_str().to_owned(),
                line: self.line,
            });
            self.out.clear();
        }
        self.line = 0;
        self.ended = false;
    }

    /// Top-level content other than whitespace after a finished element starts a new block.
    fn before_content(&mut self) {
        if self.ended && self.open.is_empty() {
            self.cut();
        }
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if text.bytes().all(|b| b.is_ascii_whitespace()) {
            // Between top-level blocks it shows nothing, and kramdown writes one newline more
            // for a blank line: a block is the same whatever follows it.
            if self.open.is_empty() && (self.ended || self.out.is_empty()) {
                return;
            }
        } else {
            self.before_content();
        }
        // Text holds no `<` (that starts a tag); `&` and `>` mean in the output what they meant
        // in the input.
        self.out.push_str(text);
    }

    /// A comment is dropped, except the stand-in for an include the site lacks (see `liquid`),
    /// which the preview shows so the writer sees something is missing there.
    fn comment(&mut self, html: &str, lt: usize) -> usize {
        let body_start = lt + 4;
        // `<!-->` and `<!--->` are whole comments.
        for short in [">", "->"] {
            if html[body_start..].starts_with(short) {
                return body_start + short.len();
            }
        }
        let Some(len) = html[body_start..].find("-->") else {
            return html.len();
        };
        let body = &html[body_start..body_start + len];
        if let Some(name) = body
            .strip_prefix(" include ")
            .and_then(|n| n.strip_suffix(' '))
        {
            self.before_content();
            self.out
                .push_str("<span class=\"postdesk-missing-include\">{% include ");
            escape_into(&mut self.out, name);
            self.out.push_str(" %}</span>");
            self.ended |= self.open.is_empty();
        }
        body_start + len + 3
    }

    fn start_tag(&mut self, tag: &Tag<'_>) {
        let Some(name) = allowed(&tag.name) else {
            return;
        };
        // The end tags a browser would imply before this one.
        let top = self.open.last().copied();
        let implied = match name {
            "li" => top == Some("li"),
            "dt" | "dd" => matches!(top, Some("dt" | "dd")),
            "tr" => top == Some("tr"),
            "td" | "th" => matches!(top, Some("td" | "th")),
            _ => top == Some("p") && CLOSES_P.binary_search(&name).is_ok(),
        };
        if implied {
            self.close_to(self.open.len() - 1);
        }
        self.before_content();
        if self.open.is_empty() && self.out.trim().is_empty() {
            self.line = source_line(tag).unwrap_or(0);
        }
        self.out.push('<');
        self.out.push_str(name);
        let mut href = false;
        for (i, (attribute, raw)) in tag.attributes.iter().enumerate() {
            // A browser keeps the first of repeated attributes.
            if tag.attributes[..i].iter().any(|(a, _)| a == attribute) {
                continue;
            }
            href |= attribute == "href";
            if let Some(value) = self.attribute_value(name, attribute, raw) {
                self.out.push(' ');
                self.out.push_str(attribute);
                self.out.push_str("=\"");
                escape_into(&mut self.out, &value);
                self.out.push('"');
            }
        }
        if name == "a" && href {
            self.out.push_str(" rel=\"noopener noreferrer\"");
        }
        if name == "input" {
            // Task list checkboxes: shown, never editable.
            self.out.push_str(" disabled=\"disabled\"");
        }
        self.out.push('>');
        if VOID.contains(&name) {
            self.ended |= self.open.is_empty();
        } else {
            self.open.push(name);
        }
    }

    fn end_tag(&mut self, name: &str) {
        if let Some(at) = self.open.iter().rposition(|&open| open == name) {
            self.close_to(at);
        } else if name == "br" {
            // `</br>` is a line break to a browser.
            self.start_tag(&Tag {
                name: "br".into(),
                attributes: Vec::new(),
            });
        }
    }

    /// Writes the end tags of the open elements from `depth` in.
    fn close_to(&mut self, depth: usize) {
        while self.open.len() > depth {
            let name = self.open.pop().unwrap_or_default();
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
        if depth == 0 && !self.out.is_empty() {
            self.ended = true;
        }
    }

    /// The value to write for `attribute` of `tag` as written (`raw`), or `None` to drop it.
    fn attribute_value<'r>(
        &self,
        tag: &str,
        attribute: &str,
        raw: &'r str,
    ) -> Option<Cow<'r, str>> {
        if !generic_attribute(attribute) && !tag_allows(tag, attribute) {
            return None;
        }
        let (value, certain) = decode_references(raw);
        match attribute {
            "href" | "src" | "cite" => {
                if tag == "img" && attribute == "src" {
                    if let Some(local) = self.images.local_src(&value) {
                        return Some(local.into());
                    }
                }
                // An unknown reference before a `:` could hide a scheme.
                (certain || !value.contains(':')).then_some(())?;
                self.url_allowed(&value).then_some(value)
            }
            "style" => certain
                .then(|| filter_style(&value))
                .flatten()
                .map(Cow::Owned),
            "type" if tag == "input" => value.eq_ignore_ascii_case("checkbox").then_some(value),
            _ => Some(value),
        }
    }

    fn url_allowed(&self, url: &str) -> bool {
        url_allowed(url, self.image_scheme)
    }
}

/// Whether a link may go to `url` in the preview: relative, or with one of the [`SCHEMES`]
/// (or `image_scheme`, the preview's own for the site's files) as a browser reads it.
pub(super) fn url_allowed(url: &str, image_scheme: Option<&str>) -> bool {
    // As a browser reads it: outer whitespace and controls trimmed, tabs and newlines inside
    // removed.
    let url = url.trim_matches(|c: char| c <= ' ');
    let url: Cow<'_, str> = if url.contains(['\t', '\n', '\r']) {
        Cow::Owned(
            url.chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect(),
        )
    } else {
        Cow::Borrowed(url)
    };
    let Some(colon) = url.find(':') else {
        return true;
    };
    let scheme = &url[..colon];
    if scheme.contains(['/', '?', '#']) {
        return true;
    }
    // The schemes are lower case: a scheme is one of them in any case.
    SCHEMES
        .iter()
        .chain(&image_scheme)
        .any(|s| s.eq_ignore_ascii_case(scheme))
}

/// The line in `data-sourcepos="L:C-L:C"` of `tag`, if it has one.
fn source_line(tag: &Tag<'_>) -> Option<u32> {
    let (_, value) = tag
        .attributes
        .iter()
        .find(|(name, _)| name == "data-sourcepos")?;
    value.split(':').next()?.parse().ok()
}

/// The index just past the first `end` at or after `from`, or the end of `html`.
fn skip_past(html: &str, from: usize, end: &str) -> usize {
    html.get(from..)
        .and_then(|rest| rest.find(end))
        .map_or(html.len(), |at| from + at + end.len())
}

/// Past the end tag of the raw-text element `name` whose content starts at `from`.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(found) = html[at..].find("</") {
        let start = at + found + 2;
        let end = start + name.len();
        let matches = html
            .get(start..end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes
                .get(end)
                .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'));
        if matches {
            return read_tag(html, start, Vec::new()).1;
        }
        at = start;
    }
    html.len()
}

/// `text` in ASCII lower case, not copied when it is already (as the HTML we write is).
fn ascii_lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Reads the tag whose name starts at `from` (just after `<` or `</`) as the HTML tokenizer
/// does, its attributes into `attributes` (emptied first); returns it (`None` when the input
/// ends inside it) and the index after its `>`.
fn read_tag<'h>(
    html: &'h str,
    from: usize,
    mut attributes: Vec<Attribute<'h>>,
) -> (Option<Tag<'h>>, usize) {
    attributes.clear();
    let bytes = html.as_bytes();
    let is_space = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let mut i = from;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = ascii_lowercase(&html[from..i]);
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None => return (None, html.len()),
            Some(b'>') => return (Some(Tag { name, attributes }), i + 1),
            Some(_) => {}
        }
        // An attribute name: up to space, `/`, `>` or `=` (a leading `=` belongs to it).
        let start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attribute = ascii_lowercase(&html[start..i]);
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut value = "";
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let Some(len) = memchr::memchr(quote, &bytes[i + 1..]) else {
                        return (None, html.len());
                    };
                    value = &html[i + 1..i + 1 + len];
                    i += len + 2;
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = &html[start..i];
                }
            }
        }
        attributes.push((attribute, value));
    }
}

/// The character of a numeric character reference, from the text after its `&#`, and the length
/// of its number (`x` included); `None` without digits. An invalid number is U+FFFD.
pub(super) fn numeric_reference(numeric: &str) -> Option<(char, usize)> {
    let (digits, radix) = match numeric.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16),
        None => (numeric, 10),
    };
    let len = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    let code = u32::from_str_radix(digits.get(..len).filter(|d| !d.is_empty())?, radix);
    let c = code.ok().and_then(char::from_u32).filter(|&c| c != '\0');
    Some((c.unwrap_or('\u{FFFD}'), numeric.len() - digits.len() + len))
}

/// `raw` with its character references decoded; false when a reference was left undecoded (its
/// meaning unknown here).
fn decode_references(raw: &str) -> (Cow<'_, str>, bool) {
    if memchr::memchr(b'&', raw.as_bytes()).is_none() {
        return (Cow::Borrowed(raw), true);
    }
    let mut out = String::with_capacity(raw.len());
    let mut certain = true;
    let mut rest = raw;
    while let Some(at) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some((c, len)) = rest.strip_prefix('#').and_then(numeric_reference) {
            out.push(c);
            let after = &rest[1 + len..];
            rest = after.strip_prefix(';').unwrap_or(after);
            continue;
        }
        let len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = &rest[..len];
        let terminated = rest[len..].starts_with(';');
        let known = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" if terminated => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "colon" if terminated => Some(':'),
            "Tab" if terminated => Some('\t'),
            "NewLine" if terminated => Some('\n'),
            "sol" if terminated => Some('/'),
            "num" if terminated => Some('#'),
            "quest" if terminated => Some('?'),
            _ => None,
        };
        match known {
            Some(c) => {
                out.push(c);
                rest = &rest[len + usize::from(terminated)..];
            }
            None => {
                certain &= name.is_empty();
                out.push('&');
            }
        }
    }
    out.push_str(rest);
    (Cow::Owned(out), certain)
}

/// The declarations of `style` whose property is on the list and whose value loads nothing.
fn filter_style(style: &str) -> Option<String> {
    let kept: Vec<String> = style
        .split(';')
        .filter_map(|declaration| {
            let (property, value) = declaration.split_once(':')?;
            let property = property.trim().to_ascii_lowercase();
            let value = value.trim();
            let lower = value.to_ascii_lowercase();
            let loads = lower.contains("url(")
                || lower.contains("expression")
                || value.contains(['\\', '<', '>', '"', '\'']);
            (STYLE_PROPERTIES.contains(&property.as_str()) && !loads && !value.is_empty())
                .then(|| format!("{property}:{value}"))
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join(";"))
}

/// Escapes text for a double-quoted attribute value.
pub(super) fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    for (at, &b) in bytes.iter().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(with);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_looked_up_by_halving_are_sorted() {
        assert!(super::ALLOWED.is_sorted());
        assert!(super::ALLOWED_KEYS.is_sorted());
        assert!(super::CLOSES_P.is_sorted());
    }

    #[test]
    fn an_element_is_allowed_by_its_exact_name() {
        for name in super::ALLOWED {
            assert_eq!(super::allowed(name), Some(*name));
            for longer in [format!("{name}\0"), format!("{name}a"), format!("x{name}")] {
                assert_ne!(super::allowed(&longer), Some(*name), "{longer:?}");
            }
            assert_ne!(super::allowed(&name[1..]), Some(*name));
        }
        for name in [
            "",
            "script",
            "iframe",
            "a\0",
            "\0a",
            "figcaptionfigcaption",
            "svg",
        ] {
            assert_eq!(super::allowed(name), None, "{name:?}");
        }
    }
}
