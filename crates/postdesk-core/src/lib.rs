//! Postdesk's engine: a Jekyll site, its posts, how they render and how they are saved.
//!
//! It knows nothing of windows or Tauri: the desktop shell, the `postdesk` command line and the
//! tests all call these same functions. Not for: UI state, IPC or anything that needs a display.

pub mod clone;
pub mod dates;
pub mod document;
pub mod from_html;
pub mod front_matter;
mod git;
pub mod images;
pub mod journal;
pub mod lint;
pub mod new_post;
pub mod normalize;
pub mod outline;
pub mod permalink;
pub mod post;
pub mod prefs;
pub mod publish;
pub mod reconcile;
pub mod rename;
pub mod render;
pub mod sample;
pub mod search;
pub mod site;
pub mod spelling;
pub mod style;
pub mod watch;
pub mod yaml;

/// What the engine's unit tests share.
#[cfg(test)]
pub(crate) mod testing {
    /// A site in a temporary folder whose `_config.yml` is `config` (kept while the folder is).
    pub(crate) fn site(config: &str) -> (tempfile::TempDir, crate::site::Site) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("_config.yml"), config).unwrap();
        let site = crate::site::Site::open(dir.path()).unwrap();
        (dir, site)
    }
}
