//! Unsaved text kept safe between crashes: each dirty buffer is written (atomically) to a folder
//! of the app's, and the next start offers back whatever was never saved.
//! Not for: saving posts (see `document`), or merging with a file changed meanwhile (see
//! `reconcile`, which a recovery goes through).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::document::{self, write_atomic};
use crate::site::Site;

/// One buffer as it was when last journaled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JournalEntry {
    /// The site folder.
    #[ts(type = "string")]
    pub site: PathBuf,
    /// The post, from the site folder (`_posts/…`).
    pub post: String,
    /// The text the buffer started from (last loaded or saved).
    pub base: String,
    /// The buffer's text.
    pub text: String,
    /// When it was journaled (RFC 3339, UTC).
    pub saved_at: String,
}

/// A buffer the last run did not save, offered back to the writer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Recovery {
    #[serde(flatten)]
    pub entry: JournalEntry,
    /// The file as it is now; `None` when it no longer exists.
    pub disk: Option<String>,
    /// What the recovered text changes in the file, as a unified diff.
    pub diff: String,
}

/// The folder of journaled buffers.
pub struct Journal {
    dir: PathBuf,
}

impl Journal {
    /// The journal kept in `data_dir` (the app's data folder).
    pub fn new(data_dir: &Path) -> Journal {
        Journal {
            dir: data_dir.join("journal"),
        }
    }

    fn file(&self, site: &Path, post: &str) -> PathBuf {
        let mut hash = Sha256::new();
        hash.update(site.as_os_str().as_encoded_bytes());
        hash.update([0]);
        hash.update(post.as_bytes());
        let hex: String = hash.finalize()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.dir.join(format!("{hex}.json"))
    }

    /// Keeps `text` of `post` (started from `base`) until it is saved or discarded.
    pub fn record(&self, site: &Path, post: &str, base: &str, text: &str) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let entry = JournalEntry {
            site: site.to_owned(),
            post: post.to_owned(),
            base: base.to_owned(),
            text: text.to_owned(),
            saved_at: jiff::Timestamp::now().to_string(),
        };
        let json = serde_json::to_vec(&entry).map_err(io::Error::other)?;
        write_atomic(&self.file(site, post), &json)
    }

    /// Forgets `post` (it was saved, or its edits were undone or discarded).
    pub fn clear(&self, site: &Path, post: &str) -> io::Result<()> {
        match fs::remove_file(self.file(site, post)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Every journaled buffer of `site`, oldest first. Unreadable entries are skipped (and kept:
    /// they may still be worth something to a person).
    pub fn entries(&self, site: &Path) -> Vec<JournalEntry> {
        let Ok(files) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut entries: Vec<JournalEntry> = files
            .flatten()
            .filter(|f| f.path().extension().is_some_and(|e| e == "json"))
            .filter_map(|f| fs::read(f.path()).ok())
            .filter_map(|bytes| serde_json::from_slice::<JournalEntry>(&bytes).ok())
            .filter(|e| e.site == site)
            .collect();
        entries.sort_by(|a, b| a.saved_at.cmp(&b.saved_at));
        entries
    }

    /// What the last run left unsaved in `site`. Entries whose text the file already holds are
    /// cleared on the way: nothing is left to recover from them.
    pub fn recoveries(&self, site: &Site) -> Vec<Recovery> {
        let mut out = Vec::new();
        for entry in self.entries(&site.root) {
            let disk = site.read_post(&entry.post).ok();
            if disk.as_deref() == Some(entry.text.as_str()) {
                let _ = self.clear(&site.root, &entry.post);
                continue;
            }
            let diff = document::unified_diff(
                disk.as_deref().unwrap_or(""),
                &entry.text,
                (&format!("a/{}", entry.post), &format!("b/{}", entry.post)),
                2,
            );
            out.push(Recovery { entry, disk, diff });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("_config.yml"), "title: t\n").unwrap();
        fs::create_dir(dir.path().join("_posts")).unwrap();
        fs::write(dir.path().join("_posts/2023-03-22-a.md"), "# 제목\nold\n").unwrap();
        let site = Site::open(dir.path()).unwrap();
        (dir, site)
    }

    #[test]
    fn unsaved_text_comes_back_with_its_diff() {
        let (_dir, site) = site();
        let data = tempfile::tempdir().unwrap();
        let journal = Journal::new(data.path());
        let post = "_posts/2023-03-22-a.md";
        journal
            .record(&site.root, post, "# 제목\nold\n", "# 제목\nnew 글\n")
            .unwrap();
        // The newest record of a post replaces the older one.
        journal
            .record(&site.root, post, "# 제목\nold\n", "# 제목\nnewer 글\n")
            .unwrap();
        let found = journal.recoveries(&site);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].entry.text, "# 제목\nnewer 글\n");
        assert_eq!(found[0].disk.as_deref(), Some("# 제목\nold\n"));
        assert!(
            found[0].diff.contains("-old\n+newer 글\n"),
            "{}",
            found[0].diff
        );
        // Another site's journal is not offered here.
        journal
            .record(Path::new("/elsewhere"), post, "", "x")
            .unwrap();
        assert_eq!(journal.recoveries(&site).len(), 1);
        journal.clear(&site.root, post).unwrap();
        journal.clear(&site.root, post).unwrap();
        assert!(journal.recoveries(&site).is_empty());
    }

    #[test]
    fn text_already_on_disk_is_not_offered() {
        let (dir, site) = site();
        let data = tempfile::tempdir().unwrap();
        let journal = Journal::new(data.path());
        let post = "_posts/2023-03-22-a.md";
        journal
            .record(&site.root, post, "# 제목\nold\n", "saved later\n")
            .unwrap();
        fs::write(dir.path().join(post), "saved later\n").unwrap();
        assert!(journal.recoveries(&site).is_empty());
        assert!(journal.entries(&site.root).is_empty(), "cleared on the way");
    }

    #[test]
    fn a_deleted_post_is_still_offered() {
        let (dir, site) = site();
        let data = tempfile::tempdir().unwrap();
        let journal = Journal::new(data.path());
        let post = "_posts/2023-03-22-a.md";
        journal
            .record(&site.root, post, "# 제목\nold\n", "kept\n")
            .unwrap();
        fs::remove_file(dir.path().join(post)).unwrap();
        let found = journal.recoveries(&site);
        assert_eq!(found[0].disk, None);
        assert!(found[0].diff.contains("+kept\n"));
    }
}
