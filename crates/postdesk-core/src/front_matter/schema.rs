//! What front matter a site uses, learned from the site itself: every key its posts set, the kind
//! of value each holds and the values used most, with the fields of Jekyll and minimal-mistakes
//! known by name. The front-matter form is built from this.
//! Not for: editing front matter text (see the parent module).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Serialize;
use serde_yaml::{Mapping, Value};
use ts_rs::TS;

use crate::post::Post;
use crate::site::{date_prefix, Site};

/// Which widget edits a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FieldKind {
    Text,
    LongText,
    Toggle,
    DateTime,
    /// A list of words (categories, tags) edited as chips.
    Chips,
    Number,
    /// A path to one of the site's images.
    Image,
    /// One of `choices` (layouts).
    Choice,
    /// Anything else (nested lists, mappings): edited as YAML.
    Yaml,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldSchema {
    /// Dotted for nested keys: `header.teaser`.
    pub key: String,
    pub kind: FieldKind,
    /// A field of Jekyll or minimal-mistakes, always offered; else one of the site's own keys.
    pub known: bool,
    /// How many of the site's posts set it.
    pub used_by: u32,
    /// Values the site uses (most used first), or the choices of a `Choice` field.
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FrontMatterSchema {
    /// Known fields first (in the order of the form), then the site's own keys by use.
    pub fields: Vec<FieldSchema>,
    /// Image paths from the site root, `/`-separated, for image fields.
    pub images: Vec<String>,
    /// `timezone` from `_config.yml` (an IANA name such as `Asia/Seoul`), if set.
    pub timezone: Option<String>,
}

/// minimal-mistakes' layouts, offered even when the theme is a gem or a remote theme.
const THEME_LAYOUTS: &[&str] = &[
    "single",
    "splash",
    "archive",
    "archive-taxonomy",
    "home",
    "posts",
    "categories",
    "tags",
    "category",
    "tag",
    "collection",
    "search",
    "default",
];

const KNOWN: &[(&str, FieldKind)] = &[
    ("title", FieldKind::Text),
    ("date", FieldKind::DateTime),
    ("layout", FieldKind::Choice),
    ("categories", FieldKind::Chips),
    ("tags", FieldKind::Chips),
    ("tag", FieldKind::Chips),
    ("excerpt", FieldKind::LongText),
    ("toc", FieldKind::Toggle),
    ("toc_label", FieldKind::Text),
    ("toc_icon", FieldKind::Text),
    ("toc_sticky", FieldKind::Toggle),
    ("author_profile", FieldKind::Toggle),
    ("search", FieldKind::Toggle),
    ("comments", FieldKind::Toggle),
    ("share", FieldKind::Toggle),
    ("published", FieldKind::Toggle),
    ("header.teaser", FieldKind::Image),
    ("header.image", FieldKind::Image),
    ("permalink", FieldKind::Text),
    ("last_modified_at", FieldKind::DateTime),
];

#[derive(Default)]
struct Seen {
    used_by: u32,
    kinds: BTreeMap<&'static str, u32>,
    values: BTreeMap<String, u32>,
}

/// The front-matter schema of `site`, from its posts, drafts and `_config.yml`.
pub fn schema(site: &Site) -> FrontMatterSchema {
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    for post in site.posts() {
        let Ok(text) = site.read_post(&post.path) else {
            continue;
        };
        if let Ok(map) = Post::split(&text).front_matter_map() {
            learn(&mut seen, "", &map);
        }
    }
    let mut fields: Vec<FieldSchema> = KNOWN
        .iter()
        .map(|(key, kind)| {
            let s = seen.remove(*key).unwrap_or_default();
            let values = match kind {
                FieldKind::Choice => layouts(site),
                _ => by_use(s.values),
            };
            FieldSchema {
                key: (*key).to_owned(),
                kind: *kind,
                known: true,
                used_by: s.used_by,
                values,
            }
        })
        .collect();
    let mut own: Vec<FieldSchema> = seen
        .into_iter()
        .map(|(key, s)| {
            let kind = match s.kinds.iter().max_by_key(|(_, n)| **n).map(|(k, _)| *k) {
                Some("bool") => FieldKind::Toggle,
                Some("number") => FieldKind::Number,
                Some("date") => FieldKind::DateTime,
                Some("words") => FieldKind::Chips,
                Some("text") => FieldKind::Text,
                _ => FieldKind::Yaml,
            };
            FieldSchema {
                key,
                kind,
                known: false,
                used_by: s.used_by,
                values: by_use(s.values),
            }
        })
        .collect();
    own.sort_by(|a, b| b.used_by.cmp(&a.used_by).then_with(|| a.key.cmp(&b.key)));
    fields.extend(own);
    let mut images = Vec::new();
    for dir in ["images", "assets/images", "assets/img"] {
        collect_images(site, &site.root.join(dir), &mut images);
    }
    images.sort();
    FrontMatterSchema {
        fields,
        images,
        timezone: site
            .config
            .get("timezone")
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

fn learn(seen: &mut BTreeMap<String, Seen>, prefix: &str, map: &Mapping) {
    for (k, v) in map {
        let Some(k) = k.as_str() else { continue };
        let key = format!("{prefix}{k}");
        if let Value::Mapping(inner) = v {
            if inner
                .values()
                .all(|v| !matches!(v, Value::Mapping(_) | Value::Sequence(_)))
            {
                learn(seen, &format!("{key}."), inner);
                continue;
            }
        }
        let s = seen.entry(key).or_default();
        s.used_by += 1;
        let kind = match v {
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(t) if date_prefix(t).is_some() => "date",
            Value::String(_) => "text",
            Value::Sequence(items) if items.iter().all(|i| i.is_string()) => "words",
            _ => "yaml",
        };
        *s.kinds.entry(kind).or_default() += 1;
        let words: Vec<&str> = match v {
            Value::String(t) if t.len() <= 80 && kind == "text" => vec![t.as_str()],
            Value::Sequence(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for w in words {
            *s.values.entry(w.to_owned()).or_default() += 1;
        }
    }
}

fn by_use(values: BTreeMap<String, u32>) -> Vec<String> {
    let mut v: Vec<(String, u32)> = values.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().take(200).map(|(s, _)| s).collect()
}

/// The site's own `_layouts/` first, then the theme's.
fn layouts(site: &Site) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(site.root.join("_layouts"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".html").map(str::to_owned)
        })
        .collect();
    out.sort();
    for l in THEME_LAYOUTS {
        if !out.iter().any(|o| o == l) {
            out.push((*l).to_owned());
        }
    }
    out
}

fn collect_images(site: &Site, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_images(site, &path, out);
        } else if out.len() < 5000 && site.image(&site.relative(&path)).is_ok() {
            out.push(site.relative(&path));
        }
    }
}
