//! Whatever a post holds, its preview runs nothing: random mixes of hostile HTML and markdown
//! are rendered for the preview, and the result is parsed as a browser parses it (html5ever).
//! The page must hold only elements and attributes the preview allows, no event handlers, and
//! no link or image whose URL scheme could run code.

use std::path::Path;

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use postdesk_core::render::Target;
use postdesk_core::site::Site;
use proptest::prelude::*;

const POST: &str = "_posts/2023-03-22-gdata33.md";

/// Pieces known to have fooled sanitizers, plus the markdown and HTML around them.
const PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\"/>",
    "<a href=\"jav&#x61;script:alert(1)\">x</a>",
    "<a href=\"&#x6A&#x61;vascript:x\">y</a>",
    "<a href=\"jav&Tab;ascript:x\">z</a>",
    "<a href=\"java\tscript:x\">t</a>",
    "<a href=\"  JAVASCRIPT:x\">u</a>",
    "<a href='data:text/html,<script>1</script>'>d</a>",
    "<a href=\"vbscript:x\">v</a>",
    "<a href=x onclick=y>c</a>",
    "<svg><style><img src=x onerror=1></style></svg>",
    "<svg onload=alert(1)>",
    "<math><mi><mglyph><style><img src=x onerror=1>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<iframe srcdoc=\"<script>1</script>\"></iframe>",
    "<textarea><img src=x onerror=1></textarea>",
    "<title>",
    "<xmp><img src=x onerror=1></xmp>",
    "<object data=x></object>",
    "<embed src=x>",
    "<form action=x><input type=text onfocus=y autofocus></form>",
    "<base href=\"javascript:x\">",
    "<meta http-equiv=refresh content=\"0;url=javascript:x\">",
    "<link rel=stylesheet href=x>",
    "<style>*{background:url(x)}</style>",
    "<div style=\"width:expression(alert(1));zoom:80%\">w</div>",
    "<img src=\"a.png\" style=\"background:url(javascript:x)\">",
    "<p title='\"><script>1</script>'>q</p>",
    "<div markdown=\"1\">",
    "<span markdown=\"1\">",
    "</div>",
    "<p>",
    "</p>",
    "<!--",
    "-->",
    "<!-- include x -->",
    "<![CDATA[<img src=x onerror=1>]]>",
    "<?php x ?>",
    "</br>",
    "<",
    ">",
    "\"",
    "'",
    "&",
    "=",
    "\n\n",
    "\n",
    "text 글",
    "[l](javascript:alert(1))",
    "![i](javascript:x)",
    "[r]: javascript:x\n\n[r]",
    "{: onclick=\"x\" .c}",
    "{:.notice--info}",
    "| a | b |\n|---|---|\n| <img src=x onerror=1> | c |\n",
    "* item <b>\n",
    "```\n<script>x</script>\n```\n",
    "$$x<y$$",
    "{% raw %}<script>1</script>{% endraw %}",
];

fn allowed_scheme(url: &str) -> bool {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match url.find(':') {
        Some(colon) if !url[..colon].contains(['/', '?', '#']) => matches!(
            url[..colon].to_ascii_lowercase().as_str(),
            "http" | "https" | "mailto" | "tel" | "site"
        ),
        _ => true,
    }
}

/// Everything in the parsed page that could run code, as readable complaints.
fn dangers(node: &Handle, out: &mut Vec<String>) {
    if let NodeData::Element { name, attrs, .. } = &node.data {
        let tag = &*name.local;
        if [
            "script", "iframe", "object", "embed", "form", "svg", "math", "style", "link", "meta",
            "base", "textarea", "xmp", "noscript", "title",
        ]
        .contains(&tag)
        {
            out.push(format!("<{tag}>"));
        }
        for attr in attrs.borrow().iter() {
            let (key, value) = (&*attr.name.local, &*attr.value);
            if key.starts_with("on") || key == "srcdoc" || key == "formaction" {
                out.push(format!("<{tag} {key}>"));
            }
            if ["href", "src", "cite", "action", "data"].contains(&key) && !allowed_scheme(value) {
                out.push(format!("<{tag} {key}=\"{value}\">"));
            }
            if key == "style" && value.to_ascii_lowercase().contains("url(") {
                out.push(format!("<{tag} style=\"{value}\">"));
            }
        }
    }
    for child in node.children.borrow().iter() {
        dangers(child, out);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn nothing_in_a_post_survives_into_the_preview_that_could_run(
        pieces in prop::collection::vec(prop::sample::select(PIECES), 1..12)
    ) {
        // Rendering only reads: the sample site itself serves.
        let site = Site::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("posts")).unwrap();
        let text = format!("---\ntitle: t\n---\n{}", pieces.concat());
        let target = Target::Preview { image_base: "site://localhost/".into() };
        let html = site.render_post(POST, &text, &target).unwrap().html;
        let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html.as_str());
        let mut found = Vec::new();
        dangers(&dom.document, &mut found);
        prop_assert!(found.is_empty(), "{found:?}\nin the preview of:\n{text}\nwhich is:\n{html}");
    }
}
