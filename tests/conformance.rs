//! The conformance suite: each `tests/conformance/cases/*.md` rendered for the site must equal
//! what real Jekyll/kramdown published (`expected/*.md.html`, made by `conformance/generate`),
//! compared as canonical DOM trees the way `shared/tools/fidelity.py` compares them.
//! Cases listed in `pending.txt` do not match yet; one that starts matching must leave the list.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use postdesk_core::render::Target;
use postdesk_core::site::{canonical, Site};

const KEEP: &[&str] = &[
    "id", "class", "href", "src", "alt", "title", "width", "height", "align", "colspan", "rowspan",
];

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
        + if s.ends_with(char::is_whitespace) && !s.trim().is_empty() {
            " "
        } else {
            ""
        }
}

fn text_of(node: &Handle) -> String {
    let mut out = String::new();
    match &node.data {
        NodeData::Text { contents } => out.push_str(&contents.borrow()),
        _ => {
            for child in node.children.borrow().iter() {
                out.push_str(&text_of(child));
            }
        }
    }
    out
}

fn attr(node: &Handle, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

fn language(node: &Handle) -> String {
    attr(node, "class")
        .unwrap_or_default()
        .split_whitespace()
        .find_map(|c| c.strip_prefix("language-").map(str::to_owned))
        .unwrap_or_default()
}

fn find_code(node: &Handle) -> Option<Handle> {
    for child in node.children.borrow().iter() {
        if let NodeData::Element { name, .. } = &child.data {
            if &*name.local == "code" {
                return Some(child.clone());
            }
        }
        if let Some(found) = find_code(child) {
            return Some(found);
        }
    }
    None
}

/// One node in canonical form, written as a line-friendly string; `None` for what does not show.
fn canon(node: &Handle) -> Option<String> {
    match &node.data {
        NodeData::Comment { .. } => None,
        NodeData::Text { contents } => {
            let t = contents.borrow().to_string();
            (!t.trim().is_empty()).then(|| collapse(&t))
        }
        NodeData::Element { name, attrs, .. } => {
            let tag = name.local.to_string();
            let class = attr(node, "class").unwrap_or_default();
            if tag == "div" && class.split_whitespace().any(|c| c == "highlighter-rouge") {
                let code = find_code(node).map_or_else(|| text_of(node), |c| text_of(&c));
                return Some(format!(
                    "codeblock[{}]{:?}",
                    language(node),
                    code.trim_matches('\n')
                ));
            }
            if tag == "pre" {
                let lang = find_code(node)
                    .map(|c| language(&c))
                    .filter(|l| !l.is_empty());
                let lang = lang.unwrap_or_else(|| language(node));
                return Some(format!(
                    "codeblock[{lang}]{:?}",
                    text_of(node).trim_matches('\n')
                ));
            }
            if tag == "script" || tag == "style" {
                return Some(format!("raw[{tag}]{:?}", text_of(node)));
            }
            let mut kept: Vec<(String, String)> = attrs
                .borrow()
                .iter()
                .filter(|a| KEEP.contains(&&*a.name.local))
                .map(|a| {
                    let k = a.name.local.to_string();
                    let mut v = a.value.to_string();
                    if k == "class" {
                        let mut classes: Vec<&str> = v.split_whitespace().collect();
                        classes.sort_unstable();
                        v = classes.join(" ");
                    }
                    if k == "href" || k == "src" {
                        v = v.replace('\\', "/").trim().to_owned();
                    }
                    (k, v)
                })
                .collect();
            kept.sort();
            let mut kids: Vec<String> = Vec::new();
            let mut last_text = false;
            for child in node.children.borrow().iter() {
                let Some(c) = canon(child) else { continue };
                let is_text = matches!(child.data, NodeData::Text { .. });
                if is_text && last_text {
                    let merged = collapse(&(kids.pop().unwrap_or_default() + &c));
                    kids.push(merged);
                } else {
                    kids.push(c);
                }
                last_text = is_text;
            }
            if let Some(first) = kids.first_mut() {
                *first = first.trim_start().to_owned();
            }
            if let Some(last) = kids.last_mut() {
                *last = last.trim_end().to_owned();
            }
            kids.retain(|k| !k.is_empty());
            let mut out = format!("<{tag}");
            for (k, v) in kept {
                let _ = write!(out, " {k}={v:?}");
            }
            let _ = write!(out, ">{}</{tag}>", kids.join("|"));
            Some(out)
        }
        _ => None,
    }
}

/// The canonical top-level blocks of an HTML body.
fn blocks(html: &str) -> Vec<String> {
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    let html_el = dom.document.children.borrow()[0].clone();
    let body = html_el
        .children
        .borrow()
        .iter()
        .find(|c| matches!(&c.data, NodeData::Element { name, .. } if &*name.local == "body"))
        .cloned()
        .expect("html5ever always makes a body");
    let blocks = body.children.borrow().iter().filter_map(canon).collect();
    blocks
}

#[test]
fn cases_render_as_jekyll_publishes_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let pending_text = fs::read_to_string(dir.join("pending.txt")).unwrap_or_default();
    let pending: Vec<&str> = pending_text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    let mut cases: Vec<_> = fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the conformance cases are missing");
    let mut failures = Vec::new();
    let mut matched = 0;
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected = fs::read_to_string(dir.join("expected").join(format!("{name}.html")))
            .unwrap_or_else(|_| {
                panic!("no expected HTML for {name}: run tests/conformance/generate")
            });
        let site = Site::containing(case).unwrap();
        let rel = site.relative(&canonical(case).unwrap());
        let text = site.read_post(&rel).unwrap();
        let ours = site.render_post(&rel, &text, &Target::Site).unwrap().html;
        let (want, got) = (blocks(&expected), blocks(&ours));
        let same = want == got;
        matched += usize::from(same);
        let is_pending = pending.contains(&name.as_str());
        if same && is_pending {
            failures.push(format!("{name} matches now: remove it from pending.txt"));
        } else if !same && !is_pending {
            let mut diff = format!("{name} differs from Jekyll:\n");
            for (i, (w, g)) in want.iter().zip(&got).enumerate() {
                if w != g {
                    let _ = writeln!(diff, "  block {i}\n  - jekyll: {w}\n  + ours:   {g}");
                    break;
                }
            }
            if want.len() != got.len() {
                let _ = writeln!(
                    diff,
                    "  {} blocks in Jekyll's, {} in ours",
                    want.len(),
                    got.len()
                );
            }
            failures.push(diff);
        }
    }
    println!("conformance: {matched}/{} cases match Jekyll", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
