//! kramdown's HTML converter (converter/html.rb). STUB.

use crate::Document;

/// What Postdesk's preview changes in the HTML.
#[derive(Default)]
pub struct Hooks<'h> {
    /// A new `src` for an image (the preview's local files).
    pub image_src: Option<&'h dyn Fn(&str) -> Option<String>>,
    /// Top-level blocks say their first source line (`data-sourcepos="L:1-L:1"`).
    pub sourcepos: bool,
}

pub fn to_html(doc: &Document, _hooks: &Hooks<'_>) -> String {
    doc.root.dump()
}
