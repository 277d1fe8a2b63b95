//! What Postdesk remembers between runs (the sites opened, most recent first), kept as JSON in a
//! folder the caller chooses (the app's config folder). Not for: anything about a site's own
//! content.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::document::write_atomic;

const FILE: &str = "prefs.json";

/// How many sites the recent list keeps.
const RECENT: usize = 10;

/// A site opened before, as the recent list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecentSite {
    pub root: PathBuf,
    /// Its title when it was last opened.
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct Prefs {
    /// Sites opened, most recent first: the first is the one opened at start.
    pub recent_sites: Vec<RecentSite>,
    /// Where "Try the sample blog" copied the sample site, to open that copy again.
    pub sample_site: Option<PathBuf>,
    /// `ko` or `en`; `None` follows the system language.
    pub language: Option<String>,
    /// Save a post shortly after typing stops, and when the window loses focus or closes.
    pub autosave: bool,
    /// How long typing must stop before an autosave, in milliseconds.
    pub autosave_delay_ms: u32,
    /// The preview shows posts in the site's own stylesheet (else in Postdesk's plain one).
    pub site_style: bool,
    /// The preview shows the whole page: the site's masthead and the author sidebar too.
    pub whole_page: bool,
}

impl Default for Prefs {
    fn default() -> Prefs {
        Prefs {
            recent_sites: Vec::new(),
            sample_site: None,
            language: None,
            autosave: true,
            autosave_delay_ms: 2000,
            site_style: true,
            whole_page: false,
        }
    }
}

impl Prefs {
    /// Reads the prefs in `dir`; missing or unreadable prefs are the defaults (they are only
    /// conveniences, never worth refusing to start over).
    pub fn load(dir: &Path) -> Prefs {
        fs::read(dir.join(FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Puts the site at `root` first in the recent list.
    pub fn remember_site(&mut self, root: &Path, title: &str) {
        self.recent_sites.retain(|s| s.root != root);
        self.recent_sites.insert(
            0,
            RecentSite {
                root: root.to_owned(),
                title: title.to_owned(),
            },
        );
        self.recent_sites.truncate(RECENT);
    }

    /// The recent sites that are there now (a site on a drive not plugged in is kept for when
    /// it is back, but not offered).
    pub fn recent_sites_present(&self) -> Vec<RecentSite> {
        self.recent_sites
            .iter()
            .filter(|s| s.root.join("_config.yml").is_file())
            .cloned()
            .collect()
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        fs::create_dir_all(dir)?;
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        write_atomic(&dir.join(FILE), &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_tolerates_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("nested");
        assert_eq!(Prefs::load(&conf), Prefs::default());
        let prefs = Prefs {
            recent_sites: vec![RecentSite {
                root: PathBuf::from("/home/김/blog"),
                title: "김의 블로그".into(),
            }],
            sample_site: Some(PathBuf::from("/home/김/Documents/Postdesk sample blog")),
            language: Some("ko".into()),
            autosave: false,
            autosave_delay_ms: 5000,
            site_style: false,
            whole_page: true,
        };
        prefs.save(&conf).unwrap();
        assert_eq!(Prefs::load(&conf), prefs);
        // Prefs written by an older version keep the newer settings' defaults.
        fs::write(conf.join(FILE), r#"{"language":"en"}"#).unwrap();
        assert!(Prefs::load(&conf).autosave);
        assert!(Prefs::load(&conf).site_style);
        assert!(!Prefs::load(&conf).whole_page);
        fs::write(conf.join(FILE), "{not json").unwrap();
        assert_eq!(Prefs::load(&conf), Prefs::default());
    }

    #[test]
    fn recent_sites_are_most_recent_first_without_repeats() {
        let dir = tempfile::tempdir().unwrap();
        let site = |name: &str| {
            let root = dir.path().join(name);
            fs::create_dir_all(&root).unwrap();
            fs::write(root.join("_config.yml"), "").unwrap();
            root
        };
        let (a, b) = (site("a"), site("b"));
        let mut prefs = Prefs::default();
        prefs.remember_site(&a, "A");
        prefs.remember_site(&b, "B");
        prefs.remember_site(&a, "A again");
        let shown = |p: &Prefs| -> Vec<(PathBuf, String)> {
            p.recent_sites_present()
                .into_iter()
                .map(|s| (s.root, s.title))
                .collect()
        };
        assert_eq!(
            shown(&prefs),
            [(a.clone(), "A again".into()), (b.clone(), "B".into())]
        );
        // A site that is gone is not offered, but kept for when it is back.
        fs::rename(&b, dir.path().join("elsewhere")).unwrap();
        assert_eq!(shown(&prefs), [(a.clone(), "A again".into())]);
        assert_eq!(prefs.recent_sites.len(), 2);
        for i in 0..20 {
            prefs.remember_site(&dir.path().join(i.to_string()), "");
        }
        assert_eq!(prefs.recent_sites.len(), RECENT);
    }
}
