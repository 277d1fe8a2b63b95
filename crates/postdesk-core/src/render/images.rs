//! Where the preview finds a post's images: the sources writers use (`{{ site.url }}/images/…`,
//! `{{site.url}}\\images\\…`, `/images/…`, `../images/…`) mapped to files inside the site, and
//! the URLs the preview loads them from. Not for: serving the files (the shell does that).

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use unicode_normalization::UnicodeNormalization;

use crate::site::Site;

/// A `file://` URL for a folder, ending in `/`, to use as a preview `image_base` outside the app.
pub fn file_url_base(dir: &Path) -> String {
    let mut url = String::from("file://");
    let text = dir.to_string_lossy();
    let text = text.strip_prefix(r"\\?\").unwrap_or(&text);
    let mut parts: Vec<&str> = text.split(['/', '\\']).collect();
    if parts.first().is_some_and(|p| !p.is_empty()) {
        parts.insert(0, "");
    }
    url.push_str(
        &parts
            .iter()
            .map(|p| {
                let drive =
                    p.len() == 2 && p.ends_with(':') && p.as_bytes()[0].is_ascii_alphabetic();
                if drive {
                    (*p).to_owned()
                } else {
                    utf8_percent_encode(p, SEGMENT).to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("/"),
    );
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

/// Where an image source points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SiteImage {
    /// A file of the site, by its `/`-separated path from the site root.
    Found(String),
    /// Into the site, but no such file: the path it would have.
    Missing(String),
    /// Another web site, or data.
    Elsewhere,
}

/// Maps the image sources a writer uses (`{{ site.url }}/images/…`, `{{site.url}}\images\…`,
/// `/images/…`, `../images/…`, `images/…`) to a file in the site.
pub(crate) struct ImageResolver {
    root: PathBuf,
    post_dir: PathBuf,
    prefixes: Vec<String>,
    pub(super) image_base: String,
    /// Every source [`ImageResolver::local_src`] was asked for and what it gave, since
    /// [`ImageResolver::take_lookups`].
    lookups: Mutex<Vec<(String, Option<String>)>>,
}

impl ImageResolver {
    pub(crate) fn new(site: &Site, post_path: &Path, image_base: &str) -> ImageResolver {
        let url = site.setting("url").trim_end_matches('/');
        let baseurl = site.setting("baseurl").trim_matches('/');
        let mut prefixes = Vec::new();
        for host in [url, ""] {
            if !baseurl.is_empty() {
                prefixes.push(format!("{host}/{baseurl}"));
            }
            if !host.is_empty() {
                prefixes.push(host.to_owned());
            }
        }
        ImageResolver {
            root: site.root.clone(),
            post_dir: post_path.parent().unwrap_or(&site.root).to_owned(),
            prefixes,
            image_base: image_base.to_owned(),
            lookups: Mutex::new(Vec::new()),
        }
    }

    /// The local URL for `src`, or `None` when it names no file in the site; remembered for
    /// [`ImageResolver::take_lookups`].
    pub(super) fn local_src(&self, src: &str) -> Option<String> {
        let found = self.lookup(src);
        self.lookups
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push((src.to_owned(), found.clone()));
        found
    }

    /// The sources looked up since the last call, with what each gave: what HTML made with
    /// them depends on (see `pieces::PieceCache`).
    pub(super) fn take_lookups(&self) -> Vec<(String, Option<String>)> {
        std::mem::take(&mut self.lookups.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// [`ImageResolver::local_src`] without remembering it.
    pub(super) fn lookup(&self, src: &str) -> Option<String> {
        let SiteImage::Found(rel) = self.find(src) else {
            return None;
        };
        Some(local_url(&self.image_base, &rel))
    }

    /// The file of the site that `src` names, as written or in the other Unicode normal form
    /// (a name typed on macOS is NFD).
    pub(crate) fn find(&self, src: &str) -> SiteImage {
        let src = src.trim().replace('\\', "/");
        let src = strip_liquid_site_url(&src);
        let mut path = src;
        for prefix in &self.prefixes {
            if let Some(rest) = path.strip_prefix(prefix.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    path = rest;
                    break;
                }
            }
        }
        if path.contains("://") || path.starts_with("data:") || path.starts_with("//") {
            return SiteImage::Elsewhere;
        }
        let path = path.split(['?', '#']).next().unwrap_or("");
        let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
            return SiteImage::Missing(path.to_owned());
        };
        let candidates: Vec<&Path> = if decoded.starts_with('/') {
            vec![&self.root]
        } else {
            vec![&self.post_dir, &self.root]
        };
        let mut first = None;
        for base in candidates {
            let Some(rel) = self.inside_root(base, &decoded) else {
                continue;
            };
            if self.root.join(&rel).is_file() {
                return SiteImage::Found(rel);
            }
            // The other normal forms only when the name as written is not there.
            for form in [rel.nfc().collect::<String>(), rel.nfd().collect()] {
                if form != rel && self.root.join(&form).is_file() {
                    return SiteImage::Found(form);
                }
            }
            first.get_or_insert(rel);
        }
        SiteImage::Missing(first.unwrap_or_else(|| decoded.into_owned()))
    }

    /// `path` joined onto `base`, as a `/`-separated path from the site root, if it stays inside.
    fn inside_root(&self, base: &Path, path: &str) -> Option<String> {
        let base_rel = base.strip_prefix(&self.root).ok()?;
        let mut parts: Vec<Cow<'_, str>> = base_rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                p => parts.push(Cow::Borrowed(p)),
            }
        }
        (!parts.is_empty()).then(|| parts.join("/"))
    }
}

/// `{{site.url}}`/`{{ site.baseurl }}` left in a source when Liquid could not run.
fn strip_liquid_site_url(src: &str) -> &str {
    let mut s = src;
    while let Some(rest) = s.strip_prefix("{{") {
        let Some(end) = rest.find("}}") else { break };
        let inner = rest[..end].trim().trim_matches('-').trim();
        if inner != "site.url" && inner != "site.baseurl" {
            break;
        }
        s = &rest[end + 2..];
    }
    s
}

const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The URL the window loads the site file `rel` from: `image_base` + its percent-encoded path.
pub fn local_url(image_base: &str, rel: &str) -> String {
    let mut url = String::with_capacity(image_base.len() + rel.len() * 3);
    url.push_str(image_base);
    for (i, segment) in rel.split('/').enumerate() {
        if i > 0 {
            url.push('/');
        }
        url.extend(utf8_percent_encode(segment, SEGMENT));
    }
    url
}
