//! The window's session: which site is open and the remembered preferences.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, TryLockError};
use std::time::Duration;

use postdesk_core::images::LinkIndex;
use postdesk_core::journal::Journal;
use postdesk_core::prefs::Prefs;
use postdesk_core::render::LivePreview;
use postdesk_core::sample;
use postdesk_core::site::{OpenProblem, Site, SiteOverview};
use postdesk_core::watch::{SiteChanges, SiteWatcher};
use tauri::http::{header, Response, StatusCode};
use tauri::path::BaseDirectory;
use tauri::{AppHandle, Emitter, Manager};

/// Where the preview loads a site's images from (see the `site` protocol in `lib.rs`).
pub const IMAGE_BASE: &str = if cfg!(windows) {
    "http://site.localhost/"
} else {
    "site://localhost/"
};

/// The event the window hears when files of the open site change (payload: `SiteChanges`).
pub const SITE_CHANGED: &str = "site-changed";

pub struct Session {
    site: RwLock<Option<Site>>,
    prefs: Mutex<Prefs>,
    config_dir: PathBuf,
    journal: Journal,
    watcher: Mutex<Option<SiteWatcher>>,
    /// What each post of the open site shows of its images, for the image panel.
    link_index: Mutex<Arc<LinkIndex>>,
    /// What the window's preview shows, so each render sends only what changed.
    preview: Mutex<LivePreview>,
    /// Set to stop the clone in progress.
    clone_cancel: AtomicBool,
    app: AppHandle,
}

impl Session {
    /// Opens the site asked for on the command line, else the last one opened; else none (the
    /// window welcomes the writer).
    pub fn start(app: &AppHandle, asked: Option<PathBuf>) -> tauri::Result<Session> {
        let config_dir = app.path().app_config_dir()?;
        let prefs = Prefs::load(&config_dir);
        let last = prefs.recent_sites.first().map(|s| s.root.clone());
        let site = [asked, last]
            .into_iter()
            .flatten()
            .find_map(|dir| Site::open(&dir).ok());
        let session = Session {
            site: RwLock::new(None),
            prefs: Mutex::new(prefs),
            config_dir,
            journal: Journal::new(&app.path().app_data_dir()?),
            watcher: Mutex::new(None),
            link_index: Mutex::new(Arc::default()),
            preview: Mutex::default(),
            clone_cancel: AtomicBool::new(false),
            app: app.clone(),
        };
        if let Some(site) = site {
            session.remember(site);
        }
        Ok(session)
    }

    pub fn with_site<T, E: std::fmt::Display>(
        &self,
        f: impl FnOnce(&Site) -> Result<T, E>,
    ) -> Result<T, String> {
        let guard = self.site.read().unwrap_or_else(|e| e.into_inner());
        let site = guard.as_ref().ok_or("no site is open")?;
        f(site).map_err(|e| e.to_string())
    }

    pub fn overview(&self) -> Option<SiteOverview> {
        let guard = self.site.read().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().map(Site::overview)
    }

    /// Opens the site the writer means by the folder `dir` (see `Site::find`).
    pub fn open(&self, dir: &Path) -> Result<SiteOverview, OpenProblem> {
        let site = Site::find(dir)?;
        let overview = site.overview();
        self.remember(site);
        Ok(overview)
    }

    /// Opens the writer's copy of the sample blog, copying it into the documents folder first
    /// when there is none.
    pub fn open_sample(&self) -> Result<SiteOverview, String> {
        let copied = self.prefs().sample_site;
        let site =
            sample::sample_site(&self.shipped_sample(), &self.documents(), copied.as_deref())
                .map_err(|e| e.to_string())?;
        // Remembering is a convenience: without it, the next time makes another copy.
        let _ = self.update_prefs(|p| p.sample_site = Some(site.clone()));
        self.open(&site).map_err(|e| e.to_string())
    }

    /// The sample site as the app ships it (a resource of the bundle); a build run from the
    /// repository has no bundle, and uses the repository's `posts/`.
    fn shipped_sample(&self) -> PathBuf {
        let bundled = (self.app.path())
            .resolve("sample", BaseDirectory::Resource)
            .unwrap_or_default();
        if cfg!(debug_assertions) && !bundled.join("_config.yml").is_file() {
            return Path::new(env!("CARGO_MANIFEST_DIR")).join("posts");
        }
        bundled
    }

    /// The writer's documents folder (`~/Documents` when the system names none).
    pub fn documents(&self) -> PathBuf {
        let path = self.app.path();
        path.document_dir()
            .or_else(|_| path.home_dir().map(|home| home.join("Documents")))
            .unwrap_or_else(|_| PathBuf::from("Documents"))
    }

    /// The flag that stops a clone, cleared for a new one.
    pub fn start_clone(&self) -> &AtomicBool {
        self.clone_cancel.store(false, Ordering::SeqCst);
        &self.clone_cancel
    }

    pub fn cancel_clone(&self) {
        self.clone_cancel.store(true, Ordering::SeqCst);
    }

    fn remember(&self, site: Site) {
        {
            let mut prefs = self.prefs.lock().unwrap_or_else(|e| e.into_inner());
            prefs.remember_site(&site.root, &site.title());
            // Remembering is a convenience: a read-only config folder must not stop the writer.
            let _ = prefs.save(&self.config_dir);
        }
        let app = self.app.clone();
        let emit = move |changes: SiteChanges| {
            if changes.site {
                // `_config.yml` (or what renders with it) changed: read the config again.
                if let Some(session) = app.try_state::<Session>() {
                    session.reload_site();
                }
            }
            let _ = app.emit_to("main", SITE_CHANGED, changes);
        };
        // The old site's watcher stops (is dropped) before the new one starts.
        let mut watcher = self.watcher.lock().unwrap_or_else(|e| e.into_inner());
        *watcher = None;
        *watcher = match SiteWatcher::start(&site.root, emit.clone()) {
            Ok(w) => Some(w),
            Err(trouble) => {
                emit(SiteChanges {
                    trouble: Some(trouble),
                    ..SiteChanges::default()
                });
                None
            }
        };
        *self.link_index.lock().unwrap_or_else(|e| e.into_inner()) = Arc::default();
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = Some(site);
        crate::spelling::follow(&self.app);
    }

    pub fn link_index(&self) -> Arc<LinkIndex> {
        self.link_index
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reads the open site's `_config.yml` again (it changed on disk). A config that no longer
    /// reads keeps the last good one: the writer sees the error where the config is used.
    pub fn reload_site(&self) {
        // Waits without queueing as a writer: a queued writer would hold up every command
        // behind a long one that reads the site (a publish waiting on the network).
        let mut guard = loop {
            match self.site.try_write() {
                Ok(guard) => break guard,
                Err(TryLockError::Poisoned(e)) => break e.into_inner(),
                Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        if let Some(site) = guard.as_ref().and_then(|s| Site::open(&s.root).ok()) {
            *guard = Some(site);
        }
    }

    /// Runs `f` on the window's live preview (one render at a time).
    pub fn preview<T>(&self, f: impl FnOnce(&mut LivePreview) -> T) -> T {
        f(&mut self.preview.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn prefs(&self) -> Prefs {
        self.prefs.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Changes the remembered preferences with `change` and saves them.
    pub fn update_prefs(&self, change: impl FnOnce(&mut Prefs)) -> Result<(), String> {
        let mut prefs = self.prefs.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut prefs);
        prefs.save(&self.config_dir).map_err(|e| e.to_string())
    }

    /// Serves an image of the open site to the preview; nothing else is reachable.
    pub fn site_file(&self, url_path: &str) -> Response<Vec<u8>> {
        let found = self.with_site(|site| site.image(url_path));
        match found.and_then(|(path, mime)| {
            std::fs::read(&path)
                .map(|bytes| (bytes, mime))
                .map_err(|e| e.to_string())
        }) {
            Ok((bytes, mime)) => Response::builder()
                .header(header::CONTENT_TYPE, mime)
                .body(bytes),
            Err(message) => Response::builder()
                .status(StatusCode::NOT_FOUND)
                .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
                .body(message.into_bytes()),
        }
        .unwrap_or_else(|_| Response::new(Vec::new()))
    }
}
