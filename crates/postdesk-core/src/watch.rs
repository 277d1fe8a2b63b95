//! Noticing what changes in a site's folder while it is open: other editors, `git pull`, a sync
//! client. Events are debounced and folded into one [`SiteChanges`] per burst; what a change
//! means for an open buffer is `reconcile`'s business (which also makes Postdesk's own saves
//! come to nothing: the file then holds exactly the buffer's base).
//! Not for: reading or writing posts.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use notify_debouncer_full::notify::event::{ModifyKind, RenameMode};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use serde::Serialize;
use ts_rs::TS;

use crate::images::is_image_path;
use crate::site::is_markdown_path;
use crate::style::{affects_style, invalidate_style};

/// How long a file must stay quiet before its change is reported.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

/// Folders that are never the writer's content: tools' output, caches, git's own files.
const IGNORED_DIRS: &[&str] = &[
    ".git",
    "_site",
    ".jekyll-cache",
    ".jekyll-metadata",
    ".sass-cache",
    ".bundle",
    "node_modules",
    "vendor",
];

/// What changed in the site during one burst of events. Paths are from the site folder, with `/`.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SiteChanges {
    /// Posts and drafts created, changed, removed or moved (both names of a move).
    pub posts: Vec<String>,
    /// Moves the system reported whole, `[from, to]`: a post moved by another tool.
    pub renamed: Vec<(String, String)>,
    /// The list of posts may have changed (a post or folder of posts came, went or moved).
    pub list: bool,
    /// Image files created, changed or removed.
    pub images: Vec<String>,
    /// Something every post's rendering reads: `_config.yml`, `_includes/`, `_layouts/`, `_data/`.
    pub site: bool,
    /// A stylesheet of the site (`.scss`, `.sass`) or `_config.yml` changed: the site's style is
    /// compiled again when next asked for (see `style`).
    pub style: bool,
    /// The system lost track (event overflow): treat every open post as possibly changed.
    pub rescan: bool,
    /// Why some changes may go unnoticed (e.g. the system's limit of watched folders).
    pub trouble: Option<String>,
}

impl SiteChanges {
    pub fn is_empty(&self) -> bool {
        self == &SiteChanges::default()
    }
}

type SiteDebouncer = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Watches a site folder until dropped.
pub struct SiteWatcher {
    _debouncer: Arc<Mutex<SiteDebouncer>>,
}

impl SiteWatcher {
    /// Starts watching `root`; `on_change` is called from a background thread once per burst.
    pub fn start(
        root: &Path,
        on_change: impl Fn(SiteChanges) + Send + 'static,
    ) -> Result<SiteWatcher, String> {
        let root = root.to_owned();
        let (tx, rx) = mpsc::channel::<DebounceEventResult>();
        let debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|e| trouble(&root, &e))?;
        let debouncer = Arc::new(Mutex::new(debouncer));
        let mut first_trouble = None;
        {
            let mut d = debouncer.lock().unwrap_or_else(|e| e.into_inner());
            d.watch(&root, RecursiveMode::NonRecursive)
                .map_err(|e| trouble(&root, &e))?;
            for dir in content_dirs(&root) {
                if let Err(e) = d.watch(&dir, RecursiveMode::Recursive) {
                    first_trouble.get_or_insert_with(|| trouble(&dir, &e));
                }
            }
        }
        let weak = Arc::downgrade(&debouncer);
        std::thread::Builder::new()
            .name("postdesk-watch".into())
            .spawn(move || {
                if let Some(message) = first_trouble {
                    on_change(SiteChanges {
                        trouble: Some(message),
                        ..SiteChanges::default()
                    });
                }
                // Ends when the debouncer (and with it the sender) is dropped.
                while let Ok(first) = rx.recv() {
                    let mut changes = SiteChanges::default();
                    fold(&root, &weak, first, &mut changes);
                    while let Ok(more) = rx.try_recv() {
                        fold(&root, &weak, more, &mut changes);
                    }
                    if !changes.is_empty() {
                        on_change(changes);
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(SiteWatcher {
            _debouncer: debouncer,
        })
    }
}

fn trouble(path: &Path, e: &notify_debouncer_full::notify::Error) -> String {
    format!(
        "Postdesk cannot watch {} for outside changes ({e}); changes made by other programs show \
         only after the site is opened again",
        path.display()
    )
}

/// The site's top-level folders worth watching (everything but tools' output and caches).
fn content_dirs(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !IGNORED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        .map(|e| e.path())
        .collect()
}

/// Files other tools (and Postdesk's atomic writes) create and remove on the way to a save.
fn is_scratch(name: &str) -> bool {
    name.starts_with(".postdesk-")
        || name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
}

/// `path` from the site root with `/`, or `None` for what is not the writer's content.
fn site_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        let Component::Normal(part) = c else {
            return None;
        };
        parts.push(part.to_string_lossy());
    }
    if parts
        .first()
        .is_some_and(|p| IGNORED_DIRS.contains(&p.as_ref()))
        || parts.last().is_some_and(|p| is_scratch(p))
    {
        return None;
    }
    Some(parts.join("/"))
}

fn fold(
    root: &Path,
    debouncer: &Weak<Mutex<SiteDebouncer>>,
    result: DebounceEventResult,
    changes: &mut SiteChanges,
) {
    let events = match result {
        Ok(events) => events,
        Err(errors) => {
            changes.rescan = true;
            if let Some(e) = errors.first() {
                changes.trouble.get_or_insert_with(|| trouble(root, e));
            }
            return;
        }
    };
    let mut posts: BTreeSet<String> = changes.posts.drain(..).collect();
    let mut images: BTreeSet<String> = changes.images.drain(..).collect();
    for event in events {
        if event.need_rescan() {
            changes.rescan = true;
            changes.list = true;
        }
        let kind = event.kind;
        if matches!(kind, EventKind::Access(_)) {
            continue;
        }
        let mut paths: Vec<PathBuf> = event.paths.clone();
        if kind.is_create() || matches!(kind, EventKind::Modify(ModifyKind::Name(_))) {
            // Files made in a new folder before the system watched it (mkdir then write, a
            // checkout), or moved in with their folder, raise no event of their own: what the
            // folder holds counts as created.
            for dir in event.paths.iter().filter(|p| p.is_dir()) {
                files_under(dir, &mut paths);
            }
        }
        let rels: Vec<Option<String>> = paths.iter().map(|p| site_path(root, p)).collect();
        if let (EventKind::Modify(ModifyKind::Name(RenameMode::Both)), [Some(from), Some(to)]) =
            (kind, rels.as_slice())
        {
            if is_post(from) || is_post(to) {
                changes.renamed.push((from.clone(), to.clone()));
            }
        }
        for (path, rel) in paths.iter().zip(&rels) {
            let Some(rel) = rel else { continue };
            let top = rel.split('/').next().unwrap_or("");
            let arrived = kind.is_create()
                || matches!(
                    kind,
                    EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
                );
            if !rel.contains('/') && arrived && path.is_dir() {
                // A new top-level folder (`_drafts/`, `assets/`, made or moved in): watch it too.
                if let Some(d) = debouncer.upgrade() {
                    let mut d = d.lock().unwrap_or_else(|e| e.into_inner());
                    if let Err(e) = d.watch(path, RecursiveMode::Recursive) {
                        changes.trouble.get_or_insert_with(|| trouble(path, &e));
                    }
                }
            }
            // Content or metadata changes leave the list of posts as it is.
            let structural = !matches!(
                kind,
                EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Metadata(_) | ModifyKind::Any)
            );
            if is_post(rel) {
                posts.insert(rel.clone());
                changes.list |= structural;
            } else if matches!(top, "_posts" | "_drafts") && structural && !is_image_path(rel) {
                // A folder of posts came, went or moved.
                changes.list = true;
            }
            if is_image_path(rel) {
                images.insert(rel.clone());
            }
            if rel == "_config.yml" || matches!(top, "_includes" | "_layouts" | "_data") {
                changes.site = true;
            }
            changes.style |= affects_style(rel);
        }
    }
    if changes.style || changes.rescan {
        invalidate_style(root);
    }
    changes.posts = posts.into_iter().collect();
    changes.images = images.into_iter().collect();
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        match entry.file_type() {
            Ok(t) if t.is_dir() => files_under(&entry.path(), out),
            Ok(_) => out.push(entry.path()),
            Err(_) => {}
        }
    }
}

fn is_post(rel: &str) -> bool {
    (rel.starts_with("_posts/") || rel.starts_with("_drafts/")) && is_markdown_path(Path::new(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_skip_tool_output_and_scratch_files() {
        let root = Path::new("/site");
        let p = |s: &str| site_path(root, &root.join(s));
        assert_eq!(
            p("_posts/2023-03-22-a.md").as_deref(),
            Some("_posts/2023-03-22-a.md")
        );
        assert_eq!(
            p("images/화면 캡처.png").as_deref(),
            Some("images/화면 캡처.png")
        );
        for ignored in [
            ".git/index",
            "_site/index.html",
            ".jekyll-cache/x",
            "_posts/.postdesk-abc.tmp",
            "_posts/.a.md.swp",
            "_posts/a.md~",
            "_posts/4913",
        ] {
            assert_eq!(p(ignored), None, "{ignored}");
        }
        assert_eq!(site_path(root, Path::new("/elsewhere/a.md")), None);
    }

    #[test]
    fn posts_are_markdown_in_posts_or_drafts() {
        assert!(is_post("_posts/2023/2023-03-22-a.md"));
        assert!(is_post("_drafts/idea.markdown"));
        assert!(!is_post("_posts/notes.txt"));
        assert!(!is_post("about.md"));
    }
}
