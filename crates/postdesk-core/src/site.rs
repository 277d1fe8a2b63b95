//! A Jekyll site on disk: where it is, what its `_config.yml` says, and which posts it has.
//! Not for: the text of one post (see `post`) or turning it into HTML (see `render`).

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_yaml::{Mapping, Value};
use ts_rs::TS;

use crate::document;
use crate::front_matter;
use crate::post::{FrontMatterError, Post};
use crate::reconcile::{reconcile, Reconciled};
use crate::render::{self, Rendered, Target};
use crate::yaml::{self, DuplicateKey};

/// Why [`Site::save_all`] saved nothing: the post at `path` changed since its text was planned
/// (`error` is `None`), or could not be written.
#[derive(Debug)]
pub struct NotSaved {
    pub path: String,
    pub error: Option<SiteError>,
}

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(
        "{0} is not a Jekyll site: it has no _config.yml. Open the folder that holds _config.yml."
    )]
    NoConfig(PathBuf),
    #[error("no Jekyll site holds {0}: none of the folders above it has a _config.yml")]
    NotInSite(PathBuf),
    #[error("{path} could not be read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("_config.yml line {line}: {message}")]
    Config { line: usize, message: String },
    #[error("{0} is not a file of this site")]
    OutsideSite(String),
    #[error(transparent)]
    Document(#[from] document::DocumentError),
}

/// Why the window could not open a folder, in a form it can say in the writer's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum OpenProblem {
    /// Neither the folder, nor one above it, nor one folder inside it has a `_config.yml`.
    #[error("{folder} is not a Jekyll site: it has no _config.yml")]
    NotASite { folder: String },
    /// The folder or its `_config.yml` cannot be read; `message` says where and why.
    #[error("{message}")]
    Unreadable { message: String },
}

impl From<SiteError> for OpenProblem {
    fn from(e: SiteError) -> OpenProblem {
        match e {
            SiteError::NoConfig(dir) => OpenProblem::NotASite {
                folder: dir.display().to_string(),
            },
            other => OpenProblem::Unreadable {
                message: other.to_string(),
            },
        }
    }
}

/// An open Jekyll site: its root folder and `_config.yml`.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    /// `_config.yml` as Jekyll reads it (see `yaml`).
    pub config: Mapping,
    /// The keys `_config.yml` gives twice: Jekyll uses the last value, lint warns.
    pub config_duplicates: Vec<DuplicateKey>,
    /// The markdown converter `config` chooses, with its options (made once, not per render).
    pub(crate) converter: render::Converter,
    pub(crate) last_page: render::LastPage,
}

/// One post in the sidebar: enough to list, filter and sort, not its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PostSummary {
    /// Path from the site root, with `/` separators (`_posts/2023-03-22-gdata33.md`).
    pub path: String,
    pub title: String,
    /// `YYYY-MM-DD`, from the front matter `date` or else the file name.
    pub date: Option<String>,
    pub categories: Vec<String>,
    pub draft: bool,
    /// False when Jekyll leaves the post out of the site: `published: false` (or empty), in its
    /// front matter or the site's `defaults:`.
    pub published: bool,
}

/// What the window shows of a site when it opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SiteOverview {
    /// The site folder, as the operating system names it.
    pub root: String,
    /// `title` from `_config.yml`, else the folder name.
    pub title: String,
    pub posts: Vec<PostSummary>,
}

/// `path` absolute, with its links resolved, in the form its system writes it. Windows' own
/// canonical form is the verbatim `\\?\C:\blog`, which writers never type and which no plain
/// `C:\blog` path is a prefix of: every path compared with a site's root, or shown, comes from
/// here, so they all have one form.
pub fn canonical(path: &Path) -> std::io::Result<PathBuf> {
    dunce::canonicalize(path)
}

impl Site {
    /// Opens the site whose root is `dir` (it must hold `_config.yml`).
    pub fn open(dir: &Path) -> Result<Site, SiteError> {
        let root = canonical(dir).map_err(|source| SiteError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let config_path = root.join("_config.yml");
        if !config_path.is_file() {
            return Err(SiteError::NoConfig(dir.to_owned()));
        }
        let text = document::read_text(&config_path).map_err(|e| SiteError::Config {
            line: 1,
            message: e.to_string(),
        })?;
        let loaded = yaml::load(&text).map_err(|e| SiteError::Config {
            line: e.line,
            message: e.message,
        })?;
        let config = match loaded.value {
            Value::Mapping(m) => m,
            _ => Mapping::new(),
        };
        Ok(Site {
            root,
            converter: render::Converter::of_site(&config),
            last_page: render::LastPage::default(),
            config,
            config_duplicates: loaded.duplicates,
        })
    }

    /// Opens the site a writer means by picking the folder `dir`: `dir` itself, the site it is
    /// in (`_posts/` picked), or the one site directly inside it (a repository whose site is in
    /// `docs/`).
    pub fn find(dir: &Path) -> Result<Site, SiteError> {
        if let Ok(root) = Site::root_of(dir) {
            return Site::open(&root);
        }
        let inside: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(|source| SiteError::Io {
                path: dir.to_owned(),
                source,
            })?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join("_config.yml").is_file())
            .collect();
        match inside.as_slice() {
            [one] => Site::open(one),
            _ => Err(SiteError::NoConfig(dir.to_owned())),
        }
    }

    /// Opens the site that holds `file`: the nearest folder with a `_config.yml` above it (or
    /// `file` itself, a site's folder).
    pub fn containing(file: &Path) -> Result<Site, SiteError> {
        Site::open(&Site::root_of(file)?)
    }

    /// The root of the site that holds `file` (canonical), without opening it.
    pub fn root_of(file: &Path) -> Result<PathBuf, SiteError> {
        let abs = canonical(file).map_err(|source| SiteError::Io {
            path: file.to_owned(),
            source,
        })?;
        abs.ancestors()
            .find(|dir| dir.join("_config.yml").is_file())
            .map(Path::to_owned)
            .ok_or_else(|| SiteError::NotInSite(file.to_owned()))
    }

    /// A top-level `_config.yml` string setting (`url`, `baseurl`, …), empty when unset.
    pub fn setting(&self, key: &str) -> &str {
        self.config.get(key).and_then(Value::as_str).unwrap_or("")
    }

    /// The site's posts (`_posts/`) and drafts (`_drafts/`), newest first.
    /// The paths of the site's posts and drafts without reading them (the posts newest first by
    /// file name, then the drafts): for what needs every post but not its summary.
    pub fn post_paths(&self) -> Vec<String> {
        let mut paths = Vec::new();
        for folder in ["_posts", "_drafts"] {
            let mut files = Vec::new();
            collect_markdown(&self.root.join(folder), &mut files);
            files.sort_by(|a, b| b.file_name().cmp(&a.file_name()));
            paths.extend(files.iter().map(|f| self.relative(f)));
        }
        paths
    }

    pub fn posts(&self) -> Vec<PostSummary> {
        let mut posts = Vec::new();
        for (folder, draft) in [("_posts", false), ("_drafts", true)] {
            let mut files = Vec::new();
            collect_markdown(&self.root.join(folder), &mut files);
            posts.extend(files.into_iter().map(|f| self.summary(&f, draft)));
        }
        posts.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
        posts
    }

    fn summary(&self, file: &Path, draft: bool) -> PostSummary {
        let text = document::read_text(file).unwrap_or_default();
        let fm = Post::split(&text).front_matter_map().unwrap_or_default();
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file_date = date_prefix(&stem);
        let title = match fm.get("title") {
            Some(Value::String(t)) if !t.trim().is_empty() => t.trim().to_owned(),
            _ => file_date
                .and_then(|_| stem.get(11..))
                .unwrap_or(&stem)
                .to_owned(),
        };
        let date = fm
            .get("date")
            .and_then(Value::as_str)
            .and_then(date_prefix)
            .or(file_date)
            .map(str::to_owned);
        let categories = ["categories", "category"]
            .iter()
            .filter_map(|k| fm.get(*k))
            .flat_map(string_list)
            .collect();
        let path = self.relative(file);
        let published = !matches!(
            self.page_variables(&path, &fm).get("published"),
            Some(Value::Bool(false) | Value::Null)
        );
        PostSummary {
            path,
            title,
            date,
            categories,
            draft,
            published,
        }
    }

    /// `file` relative to the site root with `/` separators, whatever the platform.
    pub fn relative(&self, file: &Path) -> String {
        let rel = file.strip_prefix(&self.root).unwrap_or(file);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The path from the root (`_posts/x.md`) of `file` however it was named: from the current
    /// folder, through `..` or a link. The root itself is `""`.
    pub fn path_of(&self, file: &Path) -> Result<String, SiteError> {
        let abs = canonical(file).map_err(|source| SiteError::Io {
            path: file.to_owned(),
            source,
        })?;
        Ok(self.relative(&abs))
    }

    /// Resolves a site-relative path (`_posts/x.md`) to a file inside the site. Paths that would
    /// leave the site (`..`, absolute paths) give `None`.
    pub fn resolve(&self, rel: &str) -> Option<PathBuf> {
        let mut path = self.root.clone();
        for part in rel.split(['/', '\\']) {
            match part {
                "" | "." => {}
                ".." => return None,
                p if p.contains(':') => return None,
                p => path.push(p),
            }
        }
        Some(path)
    }

    /// `title` from `_config.yml`, else the folder name.
    pub fn title(&self) -> String {
        match self.setting("title") {
            "" => self
                .root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            t => t.to_owned(),
        }
    }

    pub fn overview(&self) -> SiteOverview {
        SiteOverview {
            root: self.root.display().to_string(),
            title: self.title(),
            posts: self.posts(),
        }
    }

    /// The image file named by a URL path (`/images/a%20b.png`) and its MIME type, for the
    /// preview. Only image files inside the site are given out.
    pub fn image(&self, url_path: &str) -> Result<(PathBuf, &'static str), SiteError> {
        let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8_lossy();
        let path = self.file(&decoded)?;
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let mime = match ext.as_str() {
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "webp" => "image/webp",
            "avif" => "image/avif",
            "svg" => "image/svg+xml",
            "bmp" => "image/bmp",
            "ico" => "image/x-icon",
            _ => return Err(SiteError::OutsideSite(decoded.into_owned())),
        };
        Ok((path, mime))
    }

    /// The file of a post given by its path from the site root, refusing paths outside the site.
    pub fn file(&self, rel: &str) -> Result<PathBuf, SiteError> {
        self.resolve(rel)
            .ok_or_else(|| SiteError::OutsideSite(rel.to_owned()))
    }

    /// The text of the post at `rel`, as the editor shows it.
    pub fn read_post(&self, rel: &str) -> Result<String, SiteError> {
        Ok(document::read_text(&self.file(rel)?)?)
    }

    /// Saves editor text to the post at `rel` (see [`document::save_text`]) when the file still
    /// holds `base` (the text the editor last loaded or saved; `None` saves unconditionally, a
    /// missing file counts as holding any base). When another program changed it meanwhile,
    /// nothing is written and the answer says how the two versions go together.
    pub fn save_post(
        &self,
        rel: &str,
        text: &str,
        base: Option<&str>,
    ) -> Result<Reconciled, SiteError> {
        let path = self.file(rel)?;
        if let Some(base) = base {
            if let Some(disk) = read_if_exists(&path)?.filter(|d| d != base) {
                return Ok(reconcile(base, text, Some(&disk)));
            }
        }
        document::save_text(&path, text)?;
        Ok(Reconciled::Unchanged)
    }

    /// Saves each `(path, before, after)` over exactly the text `before` (see
    /// [`Site::save_post`]); when one is not saved, those saved already get their `before` back:
    /// all or nothing.
    pub fn save_all<'c>(
        &self,
        changes: impl IntoIterator<Item = (&'c str, &'c str, &'c str)>,
    ) -> Result<(), NotSaved> {
        let mut written: Vec<(&str, &str)> = Vec::new();
        for (path, before, after) in changes {
            let saved = self.save_post(path, after, Some(before));
            if !matches!(saved, Ok(Reconciled::Unchanged)) {
                for (done, before) in written.iter().rev() {
                    let _ = self.save_post(done, before, None);
                }
                return Err(NotSaved {
                    path: path.to_owned(),
                    error: saved.err(),
                });
            }
            written.push((path, before));
        }
        Ok(())
    }

    /// Sets (`Some`) or removes (`None`) a top-level setting of `_config.yml` on disk, changing
    /// only its lines (comments, order and the rest of the file stay as they are). The site is
    /// opened again to see it.
    pub fn set_setting(&self, key: &str, value: Option<Value>) -> Result<(), SiteError> {
        let path = self.root.join("_config.yml");
        let text = document::read_text(&path)?;
        // The front matter editor does the targeted edit: the config is a front matter without
        // a post around it.
        let newline = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        let wrapped = format!("---\n{text}{newline}---\n");
        let edited = match value {
            Some(v) => front_matter::set(&wrapped, key, v),
            None => front_matter::unset(&wrapped, key),
        }
        .map_err(|e| SiteError::Config {
            line: e.position().0.saturating_sub(1).max(1),
            // The line is said once, as a line of `_config.yml`.
            message: match e {
                front_matter::FmError::Invalid(FrontMatterError::Yaml { message, .. }) => message,
                other => other.to_string(),
            },
        })?;
        let inner = &edited[4..edited.len() - 4];
        let inner = if newline.is_empty() {
            inner
        } else {
            inner.strip_suffix('\n').unwrap_or(inner)
        };
        Ok(document::save_text(&path, inner)?)
    }

    /// What the buffer of `rel` (started from `base`, now `mine`) should become, given the file
    /// as it is on disk now.
    pub fn reconcile_post(
        &self,
        rel: &str,
        base: &str,
        mine: &str,
    ) -> Result<Reconciled, SiteError> {
        let disk = read_if_exists(&self.file(rel)?)?;
        Ok(match reconcile(base, mine, disk.as_deref()) {
            Reconciled::Missing { .. } => Reconciled::Missing {
                moved_to: self
                    .post_paths()
                    .into_iter()
                    .find(|p| self.read_post(p).is_ok_and(|text| text == base)),
            },
            other => other,
        })
    }

    /// Renders the post at `rel` whose current text is `text`.
    pub fn render_post(
        &self,
        rel: &str,
        text: &str,
        target: &Target,
    ) -> Result<Rendered, SiteError> {
        Ok(render::render_post(self, &self.file(rel)?, text, target))
    }

    /// The `page` variables of a post: the site's `defaults:` that apply to it, overridden by
    /// its own front matter, as Jekyll merges them.
    pub fn page_variables(&self, rel_path: &str, front_matter: &Mapping) -> Mapping {
        let mut page = Mapping::new();
        let post_type = if rel_path.starts_with("_drafts/") {
            "drafts"
        } else if rel_path.starts_with("_posts/") {
            "posts"
        } else {
            "pages"
        };
        let defaults = self.config.get("defaults").and_then(Value::as_sequence);
        for entry in defaults.into_iter().flatten() {
            let scope = entry.get("scope");
            let path = scope
                .and_then(|s| s.get("path"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let kind = scope.and_then(|s| s.get("type")).and_then(Value::as_str);
            let path_matches = path.is_empty() || rel_path.starts_with(path.trim_matches('/'));
            let type_matches =
                kind.is_none_or(|k| k == post_type || (k == "posts" && post_type == "drafts"));
            if let (true, true, Some(Value::Mapping(values))) =
                (path_matches, type_matches, entry.get("values"))
            {
                for (k, v) in values {
                    page.insert(k.clone(), v.clone());
                }
            }
        }
        for (k, v) in front_matter {
            page.insert(k.clone(), v.clone());
        }
        // A post without a `date` is dated by its file name, as Jekyll does.
        if !page.contains_key("date") {
            let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
            if let Some(date) = date_prefix(name) {
                page.insert("date".into(), Value::String(date.to_owned()));
            }
        }
        page
    }
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect_markdown(&path, out);
        } else if is_markdown_path(&path) {
            out.push(path);
        }
    }
}

/// The text of `path`, or `None` when there is no such file.
fn read_if_exists(path: &Path) -> Result<Option<String>, SiteError> {
    match document::read_text(path) {
        Ok(text) => Ok(Some(text)),
        Err(document::DocumentError::Read { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether Jekyll reads `path` as markdown (by its extension).
pub(crate) fn is_markdown_path(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown" | "mkd" | "mkdn" | "mdown")
    )
}

/// `2023-03-22` from the start of `s`, when `s` starts with a date (`2023-03-22 10:00 +0900`
/// too: Jekyll reads such plain values as dates).
pub(crate) fn date_prefix(s: &str) -> Option<&str> {
    let d = s.get(..10)?;
    let b = d.as_bytes();
    let shape = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    (shape && (s.len() == 10 || !s.as_bytes()[10].is_ascii_digit())).then_some(d)
}

/// A YAML value that is a string (possibly space-separated, as Jekyll reads `categories: a b`)
/// or a list of strings.
pub(crate) fn string_list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => s.split_whitespace().map(str::to_owned).collect(),
        Value::Sequence(items) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let site = Site::open(dir.path()).unwrap();
        (dir, site)
    }

    #[test]
    fn a_post_named_by_any_path_to_it_is_relative_to_the_root() {
        let (dir, site) = site_with(&[
            ("_config.yml", "title: t\n"),
            ("_posts/2023-03-22-a.md", "---\n---\n"),
        ]);
        let roundabout = dir.path().join("_posts").join("..").join("_posts");
        let post = canonical(&roundabout.join("2023-03-22-a.md")).unwrap();
        assert_eq!(site.relative(&post), "_posts/2023-03-22-a.md");
        assert_eq!(
            site.path_of(&roundabout.join("2023-03-22-a.md")).unwrap(),
            "_posts/2023-03-22-a.md"
        );
        assert_eq!(site.path_of(dir.path()).unwrap(), "");
        assert_eq!(Site::root_of(&post).unwrap(), site.root);
        // A folder of the site, the root included, is held by it too (`postdesk new` run there).
        assert_eq!(
            Site::root_of(&dir.path().join("_posts")).unwrap(),
            site.root
        );
        assert_eq!(Site::root_of(&roundabout.join("..")).unwrap(), site.root);
        // Windows' verbatim form (\\?\C:\…) is what no writer types, nor any path they give.
        assert!(!site.root.to_string_lossy().starts_with(r"\\?\"));
    }

    #[test]
    fn lists_posts_and_drafts_newest_first() {
        let (_dir, site) = site_with(&[
            ("_config.yml", "url: https://x.example\n"),
            ("_posts/2023-03-22-gdata33.md", "---\ntitle: \"[Global_Data_Issue] 2023년 3월\"\ncategories: \"Global_Data_Issue\"\n---\nbody"),
            ("_posts/2024-01-05-no-front-matter.md", "just text"),
            ("_posts/2022/2022-12-01-nested.md", "---\ntitle: Nested\ncategories: [a, b]\n---\n"),
            ("_drafts/idea.md", "---\ntitle: Idea\npublished: false\n---\n"),
            ("_posts/notes.txt", "not a post"),
        ]);
        let posts = site.posts();
        let paths: Vec<_> = posts.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "_posts/2024-01-05-no-front-matter.md",
                "_posts/2023-03-22-gdata33.md",
                "_posts/2022/2022-12-01-nested.md",
                "_drafts/idea.md"
            ]
        );
        assert_eq!(posts[0].title, "no-front-matter");
        assert_eq!(posts[1].title, "[Global_Data_Issue] 2023년 3월");
        assert_eq!(posts[1].categories, ["Global_Data_Issue"]);
        assert_eq!(posts[1].date.as_deref(), Some("2023-03-22"));
        assert_eq!(posts[2].categories, ["a", "b"]);
        assert!(posts[3].draft && posts[3].date.is_none());
        assert!(!posts[3].published && posts[..3].iter().all(|p| p.published));
    }

    #[test]
    fn a_folder_without_config_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = Site::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("has no _config.yml"), "{err}");
        fs::write(dir.path().join("post.md"), "x").unwrap();
        let err = Site::containing(&dir.path().join("post.md"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no Jekyll site holds"), "{err}");
    }

    #[test]
    fn a_picked_folder_finds_the_site_it_means() {
        let dir = tempfile::tempdir().unwrap();
        let blog = dir.path().join("blog");
        fs::create_dir_all(blog.join("docs/_posts")).unwrap();
        fs::write(blog.join("docs/_config.yml"), "title: Docs\n").unwrap();
        fs::write(blog.join("README.md"), "x").unwrap();
        let root = blog.join("docs").canonicalize().unwrap();
        // The site itself, a folder inside it, and the repository that holds it in docs/.
        for picked in [blog.join("docs"), blog.join("docs/_posts"), blog.clone()] {
            assert_eq!(Site::find(&picked).unwrap().root, root, "{picked:?}");
        }
        // Two sites inside: which one is meant is not guessed.
        fs::create_dir_all(blog.join("other")).unwrap();
        fs::write(blog.join("other/_config.yml"), "").unwrap();
        let problem = OpenProblem::from(Site::find(&blog).unwrap_err());
        assert_eq!(
            problem,
            OpenProblem::NotASite {
                folder: blog.display().to_string()
            }
        );
        assert!(matches!(
            OpenProblem::from(Site::find(&dir.path().join("missing")).unwrap_err()),
            OpenProblem::Unreadable { .. }
        ));
    }

    #[test]
    fn resolve_stays_inside_the_site() {
        let (_dir, site) = site_with(&[("_config.yml", "")]);
        assert_eq!(
            site.resolve("images\\a b\\x.png"),
            Some(site.root.join("images").join("a b").join("x.png"))
        );
        assert_eq!(site.resolve("../etc/passwd"), None);
        assert_eq!(site.resolve("images/../../x"), None);
        assert_eq!(site.resolve("C:/Windows"), None);
    }

    #[test]
    fn defaults_apply_by_scope_and_front_matter_wins() {
        let (_dir, site) = site_with(&[(
            "_config.yml",
            "defaults:\n  - scope: {path: \"\", type: posts}\n    values: {layout: single, toc: false}\n  - scope: {path: \"_pages\"}\n    values: {layout: page}\n",
        )]);
        let fm: Mapping = serde_yaml::from_str("toc: true").unwrap();
        let page = site.page_variables("_posts/2023-03-22-x.md", &fm);
        assert_eq!(page.get("layout").and_then(Value::as_str), Some("single"));
        assert_eq!(page.get("toc").and_then(Value::as_bool), Some(true));
        let draft = site.page_variables("_drafts/x.md", &Mapping::new());
        assert_eq!(draft.get("layout").and_then(Value::as_str), Some("single"));
    }

    /// The Korean blog's `_config.yml` gives `kramdown:` twice: Jekyll builds it with the last
    /// mapping (at the first one's place), so Postdesk renders its posts too.
    #[test]
    fn config_read_as_jekyll_reads_it() {
        let config = "title: 블로그\nmarkdown: kramdown\nkramdown:\n  input: GFM\n\
                      toc_sticky: on\nfuture: no\nlimit: 010\n\
                      kramdown:\n  input: GFM\n  hard_wrap: false\n";
        let (_dir, site) = site_with(&[
            ("_config.yml", config),
            (
                "_posts/2023-03-22-p.md",
                "---\ntitle: P\ntoc: yes\nquoted: 'yes'\nviews: 1_000\n---\n\
                 {{ page.toc }} {{ page.quoted }} {{ page.views }} {{ site.toc_sticky }} \
                 {{ site.future }} {{ site.limit }} {{ site.kramdown.hard_wrap }}\n",
            ),
        ]);
        let keys: Vec<_> = site.config.keys().filter_map(Value::as_str).collect();
        assert_eq!(
            keys,
            [
                "title",
                "markdown",
                "kramdown",
                "toc_sticky",
                "future",
                "limit"
            ]
        );
        assert_eq!(site.config_duplicates.len(), 1);
        assert_eq!(site.config_duplicates[0].line, 8);
        let rel = "_posts/2023-03-22-p.md";
        let text = site.read_post(rel).unwrap();
        let r = site.render_post(rel, &text, &Target::Site).unwrap();
        // Debian's Jekyll 4.3.1 builds the same two files to this paragraph.
        assert_eq!(r.html, "<p>true yes 1000 true false 8 false</p>\n");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        // A setting is not written into a file that gives a key twice: which one would it be?
        let err = site
            .set_setting("future", Some(Value::Bool(true)))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "_config.yml line 8: `kramdown` is set twice; remove one of them"
        );
    }
}
