//! The image manager: bringing an image into a post (processed, safely named, in the post's
//! folder, never twice) and writing the link the site's posts use.
//! Not for: showing images in the preview (see `render`), or checking posts (see `lint`).

mod name;
mod process;

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub use name::{alt_text, safe_stem};
pub use process::{process, ImageError, Processed};

use crate::site::{Site, SiteError};

/// The width images are scaled down to unless the writer says otherwise.
pub const DEFAULT_MAX_WIDTH: u32 = 1600;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error("{path} could not be read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the image could not be written into {folder}: {source}")]
    Write {
        folder: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Site(#[from] SiteError),
}

/// An image brought into a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImageImport {
    /// The file, from the site root: `images/2023-03-22-gdata33/screenshot-2023-03-28-150716.png`.
    pub file: String,
    /// The markdown to insert: `![alt]({{ site.url }}/images/…/name.png)`.
    pub markdown: String,
    /// An identical image was in the folder already and is used instead of a copy.
    pub reused: bool,
    pub bytes: u64,
    pub original_bytes: u64,
    pub width: u32,
    pub height: u32,
}

/// The folder a post's images go to, from the site root: `postdesk_images` in `_config.yml`
/// (`assets/images/{post}`), else the convention the site's posts show, else `images/<post>`.
pub fn folder_for(site: &Site, post_rel: &str) -> String {
    let name = post_rel.rsplit('/').next().unwrap_or(post_rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let pattern = match site.setting("postdesk_images") {
        "" => site_convention(site).unwrap_or_else(|| "images/{post}".to_owned()),
        set => set.trim_matches('/').to_owned(),
    };
    pattern.replace("{post}", stem)
}

/// `dir/{post}` when the site's posts keep their images in a folder named after the post.
fn site_convention(site: &Site) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for post in site.posts().iter().take(200) {
        let Ok(text) = site.read_post(&post.path) else {
            continue;
        };
        let name = post.path.rsplit('/').next().unwrap_or(&post.path);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let text = text.replace('\\', "/");
        let needle = format!("/{stem}/");
        for (at, _) in text.match_indices(&needle) {
            let before = &text[..at];
            let start = before
                .rfind(|c: char| c.is_whitespace() || "(\"'}".contains(c))
                .map_or(0, |i| i + 1);
            let dir = before[start..].trim_matches('/');
            if !dir.is_empty() && !dir.contains(':') {
                *counts.entry(format!("{dir}/{{post}}")).or_default() += 1;
            }
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(p, _)| p)
}

/// How the site's posts start an image link (`{{ site.url }}/`, `{{ site.baseurl }}/`, `/`),
/// by the links they have; `{{ site.url }}/` when they show none.
fn link_prefix(site: &Site) -> &'static str {
    const STYLES: &[(&str, &[&str])] = &[
        ("{{ site.url }}/", &["{{ site.url }}", "{{site.url}}"]),
        (
            "{{ site.baseurl }}/",
            &["{{ site.baseurl }}", "{{site.baseurl}}"],
        ),
    ];
    let mut counts = [0usize; 3];
    for post in site.posts().iter().take(200) {
        let Ok(text) = site.read_post(&post.path) else {
            continue;
        };
        for (i, (_, forms)) in STYLES.iter().enumerate() {
            counts[i] += forms
                .iter()
                .map(|f| text.matches(&format!("]({f}")).count())
                .sum::<usize>();
        }
        counts[2] += text.matches("](/").count();
    }
    match counts
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
    {
        Some((2, n)) if *n > 0 => "/",
        Some((1, n)) if *n > 0 => STYLES[1].0,
        _ => STYLES[0].0,
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Brings the image file at `source` into the post at `post_rel`.
pub fn import_file(
    site: &Site,
    post_rel: &str,
    source: &Path,
    max_width: u32,
) -> Result<ImageImport, ImportError> {
    let bytes = fs::read(source).map_err(|e| ImportError::Read {
        path: source.display().to_string(),
        source: e,
    })?;
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "image".to_owned());
    import_bytes(site, post_rel, &name, &bytes, max_width)
}

/// Brings an image (its bytes and original name) into the post at `post_rel`: processed, under a
/// safe name in the post's folder, or the identical image already there.
pub fn import_bytes(
    site: &Site,
    post_rel: &str,
    original_name: &str,
    bytes: &[u8],
    max_width: u32,
) -> Result<ImageImport, ImportError> {
    let processed = process(original_name, bytes, max_width)?;
    let folder = folder_for(site, post_rel);
    let dir = site.file(&folder)?;
    let write_err = |source| ImportError::Write {
        folder: folder.clone(),
        source,
    };
    fs::create_dir_all(&dir).map_err(write_err)?;
    let stem = safe_stem(original_name);
    let ext = name::extension(original_name, processed.ext);
    let wanted = [digest(&processed.bytes), digest(bytes)];
    let mut taken = Vec::new();
    let mut reused = None;
    for entry in fs::read_dir(&dir).map_err(write_err)?.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let same_size = entry.metadata().is_ok_and(|m| {
            m.len() == processed.bytes.len() as u64 || m.len() == bytes.len() as u64
        });
        if reused.is_none() && same_size {
            if let Ok(existing) = fs::read(entry.path()) {
                if wanted.contains(&digest(&existing)) {
                    reused = Some(file_name.clone());
                }
            }
        }
        taken.push(file_name.to_lowercase());
    }
    let file_name = match &reused {
        Some(name) => name.clone(),
        None => write_new(&dir, &stem, &ext, &taken, &processed.bytes).map_err(write_err)?,
    };
    let file = format!("{folder}/{file_name}");
    let size = fs::metadata(dir.join(&file_name)).map_or(0, |m| m.len());
    Ok(ImageImport {
        markdown: format!(
            "![{}]({}{file})",
            alt_text(original_name),
            link_prefix(site)
        ),
        file,
        reused: reused.is_some(),
        bytes: size,
        original_bytes: bytes.len() as u64,
        width: processed.width,
        height: processed.height,
    })
}

/// Writes `bytes` as `stem.ext` in `dir` (or `stem-2.ext`, … when taken), atomically and never
/// over an existing file. Returns the file name.
fn write_new(
    dir: &Path,
    stem: &str,
    ext: &str,
    taken: &[String],
    bytes: &[u8],
) -> std::io::Result<String> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".postdesk-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    for n in 1.. {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        if taken.contains(&name.to_lowercase()) {
            continue;
        }
        match tmp.persist_noclobber(dir.join(&name)) {
            Ok(_) => return Ok(name),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(e.error),
        }
    }
    unreachable!("some suffix is free")
}
