//! What Postdesk remembers between runs (the last site opened), kept as JSON in a folder the
//! caller chooses (the app's config folder). Not for: anything about a site's own content.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::document::write_atomic;

const FILE: &str = "prefs.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct Prefs {
    pub last_site: Option<PathBuf>,
    /// `ko` or `en`; `None` follows the system language.
    pub language: Option<String>,
    /// Save a post shortly after typing stops, and when the window loses focus or closes.
    pub autosave: bool,
    /// How long typing must stop before an autosave, in milliseconds.
    pub autosave_delay_ms: u32,
    /// The preview shows posts in the site's own stylesheet (else in Postdesk's plain one).
    pub site_style: bool,
}

impl Default for Prefs {
    fn default() -> Prefs {
        Prefs {
            last_site: None,
            language: None,
            autosave: true,
            autosave_delay_ms: 2000,
            site_style: true,
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
            last_site: Some(PathBuf::from("/home/김/blog")),
            language: Some("ko".into()),
            autosave: false,
            autosave_delay_ms: 5000,
            site_style: false,
        };
        prefs.save(&conf).unwrap();
        assert_eq!(Prefs::load(&conf), prefs);
        // Prefs written by an older version keep the newer settings' defaults.
        fs::write(conf.join(FILE), r#"{"language":"en"}"#).unwrap();
        assert!(Prefs::load(&conf).autosave);
        assert!(Prefs::load(&conf).site_style);
        fs::write(conf.join(FILE), "{not json").unwrap();
        assert_eq!(Prefs::load(&conf), Prefs::default());
    }
}
