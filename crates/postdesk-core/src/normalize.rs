//! Fixing the images of existing posts: backslash paths written with `/`, `{{site.url}}` written
//! `{{ site.url }}`, image files with unsafe names renamed (and every link to them in the site
//! changed with them), Typora's `style="zoom:N%"` turned into the `width` it meant, heavy images
//! recompressed. All or nothing: every change is planned first, shown as a diff when asked, then
//! made; a failure part way puts back what was done. Bytes outside the edits stay identical.
//! Not for: importing new images (see `images`).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::document;
use crate::images::{self, links, safe_stem};
use crate::lint::{safe_name, IMAGE_SIZE_LIMIT};
use crate::render::{ImageResolver, SiteImage};
use crate::site::{Site, SiteError};

#[derive(Debug, thiserror::Error)]
pub enum NormalizeError {
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error(
        "{0} changed on disk since the changes were planned, so nothing was changed; look again"
    )]
    ChangedMeanwhile(String),
    #[error("{path} could not be changed, so nothing was: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// What normalizing will do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NormalizePlan {
    /// Posts whose text changes: path from the site root, old text, new text.
    pub posts: Vec<PostChange>,
    /// Image files renamed: from, to (paths from the site root).
    pub renames: Vec<(String, String)>,
    /// Images to recompress (heavier than the lint limit): path, bytes now.
    pub recompress: Vec<(String, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PostChange {
    pub path: String,
    pub before: String,
    pub after: String,
}

impl NormalizePlan {
    pub fn is_empty(&self) -> bool {
        self.posts.is_empty() && self.renames.is_empty() && self.recompress.is_empty()
    }

    /// A unified diff of every post, then the renames and recompressions, as `--dry-run` prints.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for p in &self.posts {
            out.push_str(&document::unified_diff(
                &p.before,
                &p.after,
                (&format!("a/{}", p.path), &format!("b/{}", p.path)),
                1,
            ));
        }
        for (from, to) in &self.renames {
            out.push_str(&format!("rename {from} -> {to}\n"));
        }
        for (path, bytes) in &self.recompress {
            out.push_str(&format!("recompress {path} ({} KB)\n", bytes / 1024));
        }
        out
    }
}

/// The edits of one post's text: `{{site.url}}` spacing, backslash paths, renamed files, zoom.
fn edit_text(site: &Site, rel: &str, text: &str, renames: &BTreeMap<String, String>) -> String {
    let resolver = ImageResolver::new(site, &site.root.join(rel), "");
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for link in links(text, &resolver) {
        let dest = &text[link.range.clone()];
        let into_site = !matches!(link.target, SiteImage::Elsewhere);
        let mut new = dest.to_owned();
        if into_site {
            new = new.replace('\\', "/");
        }
        if let SiteImage::Found(file) = &link.target {
            if let Some(to) = renames.get(file) {
                new = replace_name(&new, to.rsplit('/').next().unwrap_or(to));
            }
        }
        if new != dest {
            edits.push((link.range, new));
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, new) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&new);
        at = range.end;
    }
    out.push_str(&text[at..]);
    let out = space_site_url(&out);
    unzoom(site, &resolver, &out, renames)
}

/// `dest` (a link that resolves to the renamed file) with its file name, however it is written
/// there (raw, NFD, percent-encoded), replaced by `new`; a `?query` or `#fragment` stays.
fn replace_name(dest: &str, new: &str) -> String {
    let tail_at = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, tail) = dest.split_at(tail_at);
    let name_at = path.rfind(['/', '\\']).map_or(0, |i| i + 1);
    format!("{}{new}{tail}", &path[..name_at])
}

/// `{{site.url}}` and `{{site.baseurl}}` written with spaces, as Liquid is usually written.
fn space_site_url(text: &str) -> String {
    text.replace("{{site.url}}", "{{ site.url }}")
        .replace("{{site.baseurl}}", "{{ site.baseurl }}")
}

/// `style="zoom:80%;"` on an `<img>` becomes `width="W"`: 80% of the image's real width.
fn unzoom(
    site: &Site,
    resolver: &ImageResolver,
    text: &str,
    renames: &BTreeMap<String, String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<img") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        out.push_str(&rest[..at]);
        out.push_str(&unzoom_tag(site, &rest[at..end], resolver, renames));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn unzoom_tag(
    site: &Site,
    tag: &str,
    resolver: &ImageResolver,
    renames: &BTreeMap<String, String>,
) -> String {
    let Some(style_at) = tag.find(" style=\"") else {
        return tag.to_owned();
    };
    let value_start = style_at + 8;
    let Some(value_len) = tag[value_start..].find('"') else {
        return tag.to_owned();
    };
    let style = &tag[value_start..value_start + value_len];
    let mut zoom = None;
    let mut kept = Vec::new();
    for decl in style.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        match decl.split_once(':') {
            Some((p, v)) if p.trim().eq_ignore_ascii_case("zoom") => {
                zoom = v
                    .trim()
                    .strip_suffix('%')
                    .and_then(|n| n.trim().parse::<f64>().ok());
            }
            _ => kept.push(decl),
        }
    }
    let (Some(zoom), Some(src)) = (zoom, attribute(tag, "src")) else {
        return tag.to_owned();
    };
    // The file as it is on disk now (the text may already name it by its planned new name).
    let on_disk = match resolver.find(&src) {
        SiteImage::Found(file) => file,
        SiteImage::Missing(file) => match renames.iter().find(|(_, to)| **to == file) {
            Some((from, _)) => from.clone(),
            None => return tag.to_owned(),
        },
        SiteImage::Elsewhere => return tag.to_owned(),
    };
    let Ok((w, _)) = image::image_dimensions(site.root.join(&on_disk)) else {
        return tag.to_owned();
    };
    let width = (w as f64 * zoom / 100.0).round() as u32;
    let replacement = if kept.is_empty() {
        format!(" width=\"{width}\"")
    } else {
        format!(" style=\"{};\" width=\"{width}\"", kept.join("; "))
    };
    format!(
        "{}{replacement}{}",
        &tag[..style_at],
        &tag[value_start + value_len + 1..]
    )
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_owned())
}

/// What normalizing the post at `only` (or every post of the site) would do.
pub fn plan(site: &Site, only: Option<&str>) -> Result<NormalizePlan, NormalizeError> {
    let all: Vec<String> = site.posts().into_iter().map(|p| p.path).collect();
    let targets: Vec<String> = match only {
        Some(rel) => vec![rel.to_owned()],
        None => all.clone(),
    };
    // Image files with unsafe names that the targeted posts use: renamed, linked from anywhere.
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let mut heavy: Vec<String> = Vec::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for rel in &targets {
        let text = site.read_post(rel)?;
        texts.insert(rel.clone(), text.clone());
        let resolver = ImageResolver::new(site, &site.root.join(rel), "");
        for link in links(&text, &resolver) {
            let SiteImage::Found(file) = link.target else {
                continue;
            };
            plan_rename(site, &file, &mut renames);
            let size = fs::metadata(site.root.join(&file)).map_or(0, |m| m.len());
            if size > IMAGE_SIZE_LIMIT && !heavy.contains(&file) {
                heavy.push(file);
            }
        }
    }
    // A whole site: image files in the posts' own folders that no post links yet get safe names
    // too, so that a link written later needs no escaping.
    if only.is_none() {
        for file in images::unlinked_post_images(site)? {
            plan_rename(site, &file, &mut renames);
        }
    }
    let mut posts = Vec::new();
    let linking: Vec<&String> = if renames.is_empty() {
        targets.iter().collect()
    } else {
        all.iter().collect()
    };
    for rel in linking {
        let before = match texts.remove(rel) {
            Some(text) => text,
            None => site.read_post(rel)?,
        };
        let targeted = targets.contains(rel);
        let after = if targeted {
            edit_text(site, rel, &before, &renames)
        } else {
            rename_only(site, rel, &before, &renames)
        };
        if after != before {
            posts.push(PostChange {
                path: rel.clone(),
                before,
                after,
            });
        }
    }
    // Heavy images are listed with their size; they are processed once, when the plan is applied.
    let recompress = heavy
        .into_iter()
        .map(|file| {
            let size = fs::metadata(site.root.join(&file)).map_or(0, |m| m.len());
            (file, size)
        })
        .collect();
    Ok(NormalizePlan {
        posts,
        renames: renames.into_iter().collect(),
        recompress,
    })
}

/// Plans a safe name for the image `file` (from the site root) when its name is unsafe: in the
/// same folder, numbered past the files there and the names already planned.
fn plan_rename(site: &Site, file: &str, renames: &mut BTreeMap<String, String>) {
    let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
    if safe_name(name) || renames.contains_key(file) {
        return;
    }
    let ext = name
        .rsplit_once('.')
        .map_or("png", |(_, e)| e)
        .to_lowercase();
    let stem = safe_stem(name);
    let mut n = 1;
    let to = loop {
        let candidate = match n {
            1 => format!("{dir}/{stem}.{ext}"),
            _ => format!("{dir}/{stem}-{n}.{ext}"),
        };
        if !site.root.join(&candidate).exists() && !renames.values().any(|t| *t == candidate) {
            break candidate;
        }
        n += 1;
    };
    renames.insert(file.to_owned(), to);
}

/// Whether recompressed bytes of format `ext` can keep the name `file` (a PNG stays `.png`).
fn same_format(file: &str, ext: &str) -> bool {
    let own = file
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    own == ext || (ext == "jpg" && own == "jpeg")
}

/// Only the renames, in a post that was not asked to be normalized but links a renamed file.
fn rename_only(site: &Site, rel: &str, text: &str, renames: &BTreeMap<String, String>) -> String {
    let resolver = ImageResolver::new(site, &site.root.join(rel), "");
    let mut out = text.to_owned();
    let mut found: Vec<(std::ops::Range<usize>, String)> = links(text, &resolver)
        .into_iter()
        .filter_map(|l| match &l.target {
            SiteImage::Found(f) => renames.get(f).map(|to| {
                let new = to.rsplit('/').next().unwrap_or(to);
                (l.range.clone(), replace_name(&text[l.range.clone()], new))
            }),
            _ => None,
        })
        .collect();
    found.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (range, new) in found {
        out.replace_range(range, &new);
    }
    out
}

/// Does `plan`. Renames first, then the posts, then recompression; a failure puts back the
/// renames and posts already done. Returns the images recompressed: path, bytes before, after
/// (an image that would not get smaller, or would change format, is left as it is).
pub fn apply(site: &Site, plan: &NormalizePlan) -> Result<Vec<(String, u64, u64)>, NormalizeError> {
    let err = |path: &str| {
        let path = path.to_owned();
        move |source| NormalizeError::Write { path, source }
    };
    let mut renamed: Vec<(&String, &String)> = Vec::new();
    let undo = |renamed: &[(&String, &String)]| {
        for (from, to) in renamed.iter().rev() {
            let _ = fs::rename(site.root.join(to), site.root.join(from));
        }
    };
    for (from, to) in &plan.renames {
        if let Err(e) = fs::rename(site.root.join(from), site.root.join(to)) {
            undo(&renamed);
            return Err(err(from)(e));
        }
        renamed.push((from, to));
    }
    // Saved only over the text the plan was made from: an edit made meanwhile is not lost.
    let saved = site.save_all(
        plan.posts
            .iter()
            .map(|c| (c.path.as_str(), c.before.as_str(), c.after.as_str())),
    );
    if let Err(not_saved) = saved {
        undo(&renamed);
        return Err(match not_saved.error {
            None => NormalizeError::ChangedMeanwhile(not_saved.path),
            Some(SiteError::Document(d)) => {
                err(&not_saved.path)(std::io::Error::other(d.to_string()))
            }
            Some(other) => NormalizeError::Site(other),
        });
    }
    let mut recompressed = Vec::new();
    for (file, _) in &plan.recompress {
        let target = plan
            .renames
            .iter()
            .find(|(from, _)| from == file)
            .map_or(file.as_str(), |(_, to)| to.as_str());
        let path = site.root.join(target);
        let bytes = fs::read(&path).map_err(err(target))?;
        if let Ok(p) = images::process(
            target,
            &bytes,
            images::max_width(site),
            images::screenshots(site),
        ) {
            if p.bytes.len() < bytes.len() && same_format(target, p.ext) {
                document::write_atomic(&path, &p.bytes).map_err(err(target))?;
                recompressed.push((target.to_owned(), bytes.len() as u64, p.bytes.len() as u64));
            }
        }
    }
    Ok(recompressed)
}

/// The post path given on the command line, as a path from the site root (or `None` for a site).
pub fn target(site: &Site, path: &Path) -> Option<String> {
    site.path_of(path).ok().filter(|rel| !rel.is_empty())
}
