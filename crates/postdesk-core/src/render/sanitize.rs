//! The preview's defence: removes everything in untrusted post HTML that could run code or reach
//! the app. Not for: the `site` target, which is what Jekyll publishes, unsanitized.

use std::borrow::Cow;
use std::sync::Arc;

use super::images::ImageResolver;

/// Removes everything that could run code or reach the app from untrusted post HTML, keeping
/// what Jekyll posts use (classes, ids, images, tables, notices, inline layout styles).
pub(super) fn sanitize(html: &str, images: Arc<ImageResolver>) -> String {
    let html = show_missing_includes(html);
    // Markdown images arrive already mapped to the local image URL: let its scheme through.
    let scheme = images.image_base.split_once(':').map(|(s, _)| s.to_owned());
    let mut builder = ammonia::Builder::default();
    if let Some(scheme) = &scheme {
        builder.add_url_schemes([scheme.as_str()]);
    }
    builder
        .add_tags([
            "div",
            "span",
            "figure",
            "figcaption",
            "center",
            "font",
            "mark",
            "section",
            "kbd",
        ])
        .add_generic_attributes([
            "class",
            "id",
            "style",
            "align",
            "data-sourcepos",
            "title",
            "lang",
            "dir",
        ])
        .add_tag_attributes("img", ["width", "height", "loading"])
        .add_tag_attributes("a", ["name"])
        // Task list checkboxes: shown, never editable.
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked"])
        .set_tag_attribute_value("input", "disabled", "disabled")
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(
            [
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
            ]
            .into(),
        )
        .strip_comments(true)
        .attribute_filter(move |element, attribute, value| {
            if element == "img" && attribute == "src" {
                if let Some(local) = images.local_src(value) {
                    return Some(Cow::Owned(local));
                }
            }
            Some(Cow::Borrowed(value))
        });
    builder.clean(&html).to_string()
}

/// Jekyll would fail on an include the site does not have; the published stand-in is a comment
/// (see `liquid`). The preview shows it, so the writer sees that something is missing there.
fn show_missing_includes(html: &str) -> Cow<'_, str> {
    const OPEN: &str = "<!-- include ";
    if !html.contains(OPEN) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let Some(end) = after.find(" -->") else {
            out.push_str(&rest[at..]);
            return Cow::Owned(out);
        };
        let name = &after[..end];
        out.push_str("<span class=\"postdesk-missing-include\">{% include ");
        // Writing into a String cannot fail.
        let _ = comrak::html::escape(&mut out, name);
        out.push_str(" %}</span>");
        rest = &after[end + 4..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}
