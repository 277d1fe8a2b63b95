//! Jekyll's Liquid, run on a post's body before markdown as Jekyll does: `site` and `page`
//! variables. Not for: markdown (see `kramdown`).

use std::borrow::Cow;
use std::sync::LazyLock;

use serde_yaml::Mapping;

use super::Diagnostic;
use crate::site::Site;

static LIQUID: LazyLock<liquid::Parser> = LazyLock::new(|| {
    liquid::ParserBuilder::with_stdlib()
        .build()
        .expect("the standard Liquid library always builds")
});

/// Evaluates Liquid in the body, before markdown, as Jekyll does. On an error the body is used
/// as written and the error becomes a diagnostic.
pub(super) fn render_liquid<'b>(
    site: &Site,
    page: &Mapping,
    body: &'b str,
    body_line: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Cow<'b, str> {
    if !body.contains("{{") && !body.contains("{%") {
        return Cow::Borrowed(body);
    }
    let globals = (|| {
        let mut globals = liquid::Object::new();
        globals.insert("site".into(), liquid::model::to_value(&site.config)?);
        globals.insert("page".into(), liquid::model::to_value(page)?);
        Ok::<_, liquid::Error>(globals)
    })();
    let result = globals.and_then(|g| LIQUID.parse(body)?.render(&g));
    match result {
        Ok(out) => Cow::Owned(out),
        Err(e) => {
            diagnostics.push(Diagnostic {
                line: body_line as u32,
                message: format!("Liquid: {e}"),
            });
            Cow::Borrowed(body)
        }
    }
}
