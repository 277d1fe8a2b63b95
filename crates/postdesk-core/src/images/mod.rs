//! The image manager: bringing an image into a post (processed, safely named, in the post's
//! folder, never twice) and writing the link the site's posts use.
//! Not for: showing images in the preview (see `render`), or checking posts (see `lint`).

mod caption;
mod name;
mod process;
mod quantize;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub use caption::{image_text, set_image_text, CaptionError, ImageText};
pub use name::{alt_text, safe_stem};
pub use process::{process, ImageError, Processed, Screenshots};

use crate::render::{ImageResolver, SiteImage};
use crate::site::{Site, SiteError};

/// A link destination in a post's text: its byte range and where it points.
pub(crate) struct Link {
    pub(crate) range: std::ops::Range<usize>,
    pub(crate) target: SiteImage,
}

/// The destinations of markdown links and images and of HTML `src`/`href` attributes.
pub(crate) fn links(text: &str, resolver: &ImageResolver) -> Vec<Link> {
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize| {
        let dest = &text[start..end];
        if !dest.is_empty() {
            out.push(Link {
                range: start..end,
                target: resolver.find(dest),
            });
        }
    };
    // `](dest)` and `](dest "title")`, with Liquid `{{ … }}` and spaces inside the destination.
    for (at, _) in text.match_indices("](") {
        let start = at + 2;
        let mut depth = 0usize;
        let mut end = None;
        for (i, c) in text[start..].char_indices() {
            match c {
                '\n' => break,
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = Some(start + i);
                    break;
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
        let Some(end) = end else { continue };
        let inner = &text[start..end];
        let dest_len = match inner.rfind(" \"") {
            Some(t) if inner.ends_with('"') => t,
            _ => inner.len(),
        };
        let trimmed = inner[..dest_len].trim_end();
        let lead = trimmed.len() - trimmed.trim_start().len();
        push(start + lead, start + trimmed.len());
    }
    for attr in [" src=\"", " href=\""] {
        for (at, _) in text.match_indices(attr) {
            let start = at + attr.len();
            if let Some(len) = text[start..].find(['"', '\n']) {
                push(start, start + len);
            }
        }
    }
    out
}

/// An image of the panel: a file the post shows, or one of its folder that no post uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImageInfo {
    /// From the site root.
    pub file: String,
    /// Where the window loads it from (for the thumbnail).
    pub url: String,
    /// The first line of the post that shows it.
    pub line: Option<u32>,
    pub missing: bool,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    /// What is wrong with how it is named, linked or sized (`normalize` fixes these).
    pub problems: Vec<String>,
    /// Its alt text and caption where the post first shows it (None: the post does not).
    pub text: Option<ImageText>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImagePanel {
    /// The post's images folder, from the site root.
    pub folder: String,
    pub used: Vec<ImageInfo>,
    /// Files in the post's folder that no post of the site shows.
    pub unused: Vec<ImageInfo>,
}

const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp"];

pub(crate) fn is_image_path(path: &str) -> bool {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    IMAGE_EXTENSIONS.contains(&ext.as_str())
}

fn info(site: &Site, image_base: &str, file: &str, line: Option<u32>) -> ImageInfo {
    let path = site.root.join(file);
    let bytes = fs::metadata(&path).map_or(0, |m| m.len());
    let (width, height) = image::image_dimensions(&path).unwrap_or((0, 0));
    let name = file.rsplit('/').next().unwrap_or(file);
    let mut problems = Vec::new();
    if !crate::lint::safe_name(name) {
        problems.push("unsafeName".to_owned());
    }
    if bytes > crate::lint::IMAGE_SIZE_LIMIT {
        problems.push("heavy".to_owned());
    }
    ImageInfo {
        file: file.to_owned(),
        url: crate::render::local_url(image_base, file),
        line,
        missing: !path.is_file(),
        bytes,
        width,
        height,
        problems,
        text: None,
    }
}

/// The image panel of the post at `post_rel` whose text is `text`; thumbnails load from
/// `image_base` (see `render::Target::Preview`).
pub fn panel(
    site: &Site,
    index: &LinkIndex,
    post_rel: &str,
    text: &str,
    image_base: &str,
) -> ImagePanel {
    let resolver = ImageResolver::new(site, &site.root.join(post_rel), "");
    let mut used: Vec<ImageInfo> = Vec::new();
    for link in links(text, &resolver) {
        let line = text[..link.range.start].matches('\n').count() as u32 + 1;
        let dest = &text[link.range.clone()];
        let (file, found) = match link.target {
            SiteImage::Found(f) => (f, true),
            SiteImage::Missing(f) if is_image_path(&f) => (f, false),
            _ => continue,
        };
        if used.iter().any(|u| u.file == file) {
            continue;
        }
        let mut item = info(site, image_base, &file, Some(line));
        item.missing = !found;
        item.text = caption::image_text_at(text, &link.range);
        if dest.contains('\\') {
            item.problems.push("backslash".to_owned());
        }
        used.push(item);
    }
    let folder = SiteStyle::of(site, index).folder_of(post_rel);
    let mut shown_anywhere: HashSet<String> = PostFacts::of(site, post_rel, text)
        .shown
        .into_iter()
        .collect();
    for post in site.post_paths() {
        if post != post_rel {
            if let Some(facts) = index.facts(site, &post) {
                shown_anywhere.extend(facts.shown.iter().cloned());
            }
        }
    }
    let mut unused: Vec<ImageInfo> = folder_images(site, &folder)
        .filter(|f| !shown_anywhere.contains(f))
        .map(|f| info(site, image_base, &f, None))
        .collect();
    unused.sort_by(|a, b| a.file.cmp(&b.file));
    ImagePanel {
        folder,
        used,
        unused,
    }
}

/// The image files of `folder` (from the site root), as paths from the site root.
fn folder_images<'a>(site: &Site, folder: &'a str) -> impl Iterator<Item = String> + 'a {
    fs::read_dir(site.root.join(folder))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(move |e| format!("{folder}/{}", e.file_name().to_string_lossy()))
        .filter(|f| is_image_path(f))
}

/// The image files (from the site root) in the posts' own image folders that no post shows.
pub fn unlinked_post_images(site: &Site) -> Result<Vec<String>, SiteError> {
    let index = LinkIndex::default();
    let style = SiteStyle::of(site, &index);
    let mut shown: HashSet<String> = HashSet::new();
    let mut folders: Vec<String> = Vec::new();
    for post in site.post_paths() {
        shown.extend(PostFacts::of(site, &post, &site.read_post(&post)?).shown);
        folders.push(style.folder_of(&post));
    }
    folders.sort();
    folders.dedup();
    let mut unlinked: Vec<String> = folders
        .iter()
        .flat_map(|folder| folder_images(site, folder))
        .filter(|f| !shown.contains(f))
        .collect();
    unlinked.sort();
    Ok(unlinked)
}

/// The width images are scaled down to unless the writer says otherwise.
pub const DEFAULT_MAX_WIDTH: u32 = 1600;

/// The site's image settings as the app shows them: what is in effect, and whether
/// `_config.yml` sets it (else it is learned from the posts, or the default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImageSettings {
    /// Where a post's images go, `{post}` standing for the post's file name without extension.
    pub folder: String,
    pub folder_set: bool,
    /// The widest an imported image is kept, in pixels.
    pub max_width: u32,
    pub max_width_set: bool,
}

const FOLDER_SETTING: &str = "postdesk_images";
const WIDTH_SETTING: &str = "postdesk_image_width";

pub fn settings(site: &Site, index: &LinkIndex) -> ImageSettings {
    ImageSettings {
        folder: SiteStyle::of(site, index).folder,
        folder_set: !site.setting(FOLDER_SETTING).is_empty(),
        max_width: max_width(site),
        max_width_set: site.config.contains_key(WIDTH_SETTING),
    }
}

/// Writes the image settings into `_config.yml` (`None` removes one: back to what the posts
/// show, or the default). A folder must stay inside the site and name the post.
pub fn set_settings(
    site: &Site,
    folder: Option<&str>,
    max_width: Option<u32>,
) -> Result<(), SiteError> {
    let folder = folder
        .map(|f| f.trim().trim_matches('/'))
        .filter(|f| !f.is_empty());
    if let Some(f) = folder {
        if !f.contains("{post}") || site.resolve(f).is_none() || f.split('/').any(|p| p == "..") {
            return Err(SiteError::Config {
                line: 1,
                message: format!(
                    "the images folder `{f}` must be inside the site and contain {{post}} (e.g. images/{{post}})"
                ),
            });
        }
    }
    if let Some(w) = max_width.filter(|w| !(16..=20_000).contains(w)) {
        return Err(SiteError::Config {
            line: 1,
            message: format!("an image width of {w} px is not sensible: give 16 to 20000"),
        });
    }
    site.set_setting(FOLDER_SETTING, folder.map(|f| f.into()))?;
    site.set_setting(WIDTH_SETTING, max_width.map(|w| w.into()))
}

/// The width the site's images are scaled down to: `postdesk_image_width` in `_config.yml`,
/// else 1600 px.
pub fn max_width(site: &Site) -> u32 {
    site.config
        .get(WIDTH_SETTING)
        .and_then(serde_yaml::Value::as_u64)
        .map_or(DEFAULT_MAX_WIDTH, |w| w.clamp(16, 20_000) as u32)
}

const LOSSLESS_SETTING: &str = "postdesk_lossless_screenshots";

/// How the site keeps screenshots: `postdesk_lossless_screenshots: true` in `_config.yml` keeps
/// every pixel; by default a palette is used where it cannot be seen.
pub fn screenshots(site: &Site) -> Screenshots {
    match site
        .config
        .get(LOSSLESS_SETTING)
        .and_then(serde_yaml::Value::as_bool)
    {
        Some(true) => Screenshots::Lossless,
        _ => Screenshots::Palette,
    }
}

/// Deletes the images of the post's folder that no post shows (the open post by its current
/// `text`). Returns what was deleted, from the site root.
pub fn remove_unused(site: &Site, post_rel: &str, text: &str) -> Result<Vec<String>, ImportError> {
    // Deleting acts on what the files hold now: a fresh index, nothing remembered.
    let unused = panel(site, &LinkIndex::default(), post_rel, text, "").unused;
    let mut removed = Vec::new();
    for image in unused {
        fs::remove_file(site.root.join(&image.file)).map_err(|source| ImportError::Write {
            folder: image.file.clone(),
            source,
        })?;
        removed.push(image.file);
    }
    Ok(removed)
}

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

/// How the site keeps and links its images, learned from its posts (read once per import or
/// batch, not once per image).
struct SiteStyle {
    /// `postdesk_images` from `_config.yml`, else `dir/{post}` when the posts keep their images in
    /// a folder named after the post, else `images/{post}`.
    folder: String,
    /// How the posts start an image link: `{{ site.url }}/` (also when they show none),
    /// `{{ site.baseurl }}/` or `/`.
    link_prefix: &'static str,
}

/// What one post shows of the site's images and how it writes image links.
struct PostFacts {
    /// The site's images the post shows.
    shown: Vec<String>,
    /// Links written in each of the `LINK_STYLES` ways, then as `](/`.
    link_styles: [usize; 3],
    /// The folders named after the post that its text goes through (`images/{post}`), once per use.
    folders: Vec<String>,
}

impl PostFacts {
    fn of(site: &Site, rel: &str, text: &str) -> PostFacts {
        let resolver = ImageResolver::new(site, &site.root.join(rel), "");
        let shown = links(text, &resolver)
            .into_iter()
            .filter_map(|l| match l.target {
                SiteImage::Found(f) => Some(f),
                _ => None,
            })
            .collect();
        let mut link_styles = [0usize; 3];
        for (i, (_, forms)) in LINK_STYLES.iter().enumerate() {
            link_styles[i] = forms
                .iter()
                .map(|f| text.matches(&format!("]({f}")).count())
                .sum::<usize>();
        }
        link_styles[2] = text.matches("](/").count();
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let text = text.replace('\\', "/");
        let mut folders = Vec::new();
        for (at, _) in text.match_indices(&format!("/{stem}/")) {
            let before = &text[..at];
            let start = before
                .rfind(|c: char| c.is_whitespace() || "(\"'}".contains(c))
                .map_or(0, |i| i + 1);
            let dir = before[start..].trim_matches('/');
            if !dir.is_empty() && !dir.contains(':') {
                folders.push(format!("{dir}/{{post}}"));
            }
        }
        PostFacts {
            shown,
            link_styles,
            folders,
        }
    }
}

/// The facts of each post read so far, kept between calls: a post is read again only when its
/// file changed (size, modification time or, on Unix, the file itself after an atomic save). The
/// image panel asks on every pause in typing, and a site may hold thousands of posts. Deleting
/// (`remove_unused`) never trusts it: it reads everything afresh.
#[derive(Default)]
pub struct LinkIndex {
    posts: Mutex<HashMap<String, (FileStamp, Arc<PostFacts>)>>,
}

type FileStamp = (Option<std::time::SystemTime>, u64, u64);

fn stamp(meta: &fs::Metadata) -> FileStamp {
    #[cfg(unix)]
    let file = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let file = 0;
    (meta.modified().ok(), meta.len(), file)
}

impl LinkIndex {
    fn facts(&self, site: &Site, rel: &str) -> Option<Arc<PostFacts>> {
        let now = stamp(&fs::metadata(site.root.join(rel)).ok()?);
        let mut posts = self.posts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((known, facts)) = posts.get(rel) {
            if *known == now {
                return Some(facts.clone());
            }
        }
        let text = site.read_post(rel).ok()?;
        let facts = Arc::new(PostFacts::of(site, rel, &text));
        posts.insert(rel.to_owned(), (now, facts.clone()));
        Some(facts)
    }
}

const LINK_STYLES: &[(&str, &[&str])] = &[
    ("{{ site.url }}/", &["{{ site.url }}", "{{site.url}}"]),
    (
        "{{ site.baseurl }}/",
        &["{{ site.baseurl }}", "{{site.baseurl}}"],
    ),
];

impl SiteStyle {
    /// Learned from the site's 200 newest posts.
    fn of(site: &Site, index: &LinkIndex) -> SiteStyle {
        let mut folders: HashMap<String, usize> = HashMap::new();
        let mut links = [0usize; 3];
        for post in site.post_paths().iter().take(200) {
            let Some(facts) = index.facts(site, post) else {
                continue;
            };
            for (all, n) in links.iter_mut().zip(facts.link_styles) {
                *all += n;
            }
            for folder in &facts.folders {
                *folders.entry(folder.clone()).or_default() += 1;
            }
        }
        let folder = match site.setting(FOLDER_SETTING) {
            "" => folders
                .into_iter()
                .max_by_key(|(_, n)| *n)
                .map_or_else(|| "images/{post}".to_owned(), |(p, _)| p),
            set => set.trim_matches('/').to_owned(),
        };
        let link_prefix = match links
            .iter()
            .enumerate()
            .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
        {
            Some((2, n)) if *n > 0 => "/",
            Some((1, n)) if *n > 0 => LINK_STYLES[1].0,
            _ => LINK_STYLES[0].0,
        };
        SiteStyle {
            folder,
            link_prefix,
        }
    }

    /// The images folder of the post at `post_rel`, from the site root.
    fn folder_of(&self, post_rel: &str) -> String {
        let name = post_rel.rsplit('/').next().unwrap_or(post_rel);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        self.folder.replace("{post}", stem)
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
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
    let processed = process(original_name, bytes, max_width, screenshots(site))?;
    store(
        site,
        &SiteStyle::of(site, &LinkIndex::default()),
        post_rel,
        original_name,
        bytes,
        &processed,
    )
}

/// How bringing in one image of a batch went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum ImportOutcome {
    Imported { image: ImageImport },
    Failed { name: String, message: String },
}

/// Brings several image files into a post. The images are processed on every core; they are
/// stored one after the other (so that names and reuse are decided in order). `progress` hears
/// how many are done.
pub fn import_files(
    site: &Site,
    post_rel: &str,
    files: &[std::path::PathBuf],
    max_width: u32,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<ImportOutcome> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let screenshots = screenshots(site);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(files.len().max(1));
    type Work = (usize, String, Vec<u8>, Result<Processed, ImportError>);
    let mut processed: Vec<Work> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(path) = files.get(i) else { break };
                        let name = path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_else(|| "image".to_owned());
                        let result = fs::read(path).map_err(|e| ImportError::Read {
                            path: path.display().to_string(),
                            source: e,
                        });
                        let (bytes, result) = match result {
                            Ok(bytes) => {
                                let p = process(&name, &bytes, max_width, screenshots)
                                    .map_err(ImportError::from);
                                (bytes, p)
                            }
                            Err(e) => (Vec::new(), Err(e)),
                        };
                        mine.push((i, name, bytes, result));
                        let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        progress(n, files.len());
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    processed.sort_by_key(|(i, ..)| *i);
    let style = SiteStyle::of(site, &LinkIndex::default());
    processed
        .into_iter()
        .map(|(_, name, bytes, result)| {
            match result.and_then(|p| store(site, &style, post_rel, &name, &bytes, &p)) {
                Ok(image) => ImportOutcome::Imported { image },
                Err(e) => ImportOutcome::Failed {
                    name,
                    message: e.to_string(),
                },
            }
        })
        .collect()
}

/// Brings an image from the clipboard (RGBA pixels) into a post, named as the screenshot it
/// usually is: `screenshot-2023-03-28-150716.png`, from the time it was pasted.
pub fn import_pixels(
    site: &Site,
    post_rel: &str,
    width: u32,
    height: u32,
    rgba: Vec<u8>,
    max_width: u32,
) -> Result<ImageImport, ImportError> {
    let name = format!(
        "Screenshot {}.png",
        jiff::Zoned::now().strftime("%Y-%m-%d %H%M%S")
    );
    let damaged = || ImageError::Damaged {
        name: name.clone(),
        detail: "the clipboard's pixels do not make an image".to_owned(),
    };
    let img = image::RgbaImage::from_raw(width, height, rgba).ok_or_else(damaged)?;
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|_| damaged())?;
    import_bytes(site, post_rel, &name, &png, max_width)
}

/// Puts a processed image in the post's folder (or finds the identical one there) and makes its link.
fn store(
    site: &Site,
    style: &SiteStyle,
    post_rel: &str,
    original_name: &str,
    bytes: &[u8],
    processed: &Processed,
) -> Result<ImageImport, ImportError> {
    let folder = style.folder_of(post_rel);
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
            style.link_prefix
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
