//! The editor's text against the file on disk when either may have changed: reload, three-way
//! merge, or a conflict the writer settles. Nothing here writes; it says what the text should be.
//! Not for: noticing changes (see `watch`) or keeping unsaved text across crashes (see `journal`).

use serde::Serialize;
use ts_rs::TS;

/// What to do with a post's buffer now that the file on disk is `disk`, the buffer holds `mine`
/// and both started from `base` (the text last loaded from or saved to disk).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Reconciled {
    /// The file holds `base`: nothing changed outside (Postdesk's own saves end here).
    Unchanged,
    /// The file changed and the buffer has no edits of its own (or the same ones): show `text`,
    /// which is also the new base.
    Reload { text: String },
    /// Both changed, in different places: `text` has both, `disk` is the new base.
    Merged { text: String, disk: String },
    /// Both changed the same lines. `marked` is the merge with conflict markers, for a writer
    /// who wants to settle it by hand; `disk` is the file's text and the new base.
    Conflict { disk: String, marked: String },
    /// The file is gone (deleted, or moved away). `moved_to` is a post of the site that holds
    /// exactly the buffer's base, when there is one: most likely where the file went.
    Missing {
        #[serde(rename = "movedTo")]
        moved_to: Option<String>,
    },
}

/// Decides what the buffer becomes; `disk` is `None` when the file no longer exists.
pub fn reconcile(base: &str, mine: &str, disk: Option<&str>) -> Reconciled {
    let Some(disk) = disk else {
        return Reconciled::Missing { moved_to: None };
    };
    if disk == base {
        return Reconciled::Unchanged;
    }
    if mine == base || mine == disk {
        return Reconciled::Reload {
            text: disk.to_owned(),
        };
    }
    let mut options = diffy::MergeOptions::new();
    options.set_conflict_style(diffy::ConflictStyle::Merge);
    match options.merge(base, mine, disk) {
        Ok(text) => Reconciled::Merged {
            text,
            disk: disk.to_owned(),
        },
        Err(marked) => Reconciled::Conflict {
            disk: disk.to_owned(),
            marked: marked
                .replace("<<<<<<< ours\n", "<<<<<<< Postdesk\n")
                .replace(">>>>>>> theirs\n", ">>>>>>> disk\n"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "---\ntitle: A\n---\none\ntwo\nthree\nfour\nfive\n";

    #[test]
    fn own_save_and_no_change_are_unchanged() {
        assert_eq!(reconcile(BASE, BASE, Some(BASE)), Reconciled::Unchanged);
        let mine = BASE.replace("two", "TWO");
        assert_eq!(reconcile(BASE, &mine, Some(BASE)), Reconciled::Unchanged);
    }

    #[test]
    fn clean_buffer_reloads() {
        let disk = BASE.replace("five", "5");
        assert_eq!(
            reconcile(BASE, BASE, Some(&disk)),
            Reconciled::Reload { text: disk.clone() }
        );
        // The same edit made on both sides is no conflict.
        assert_eq!(
            reconcile(BASE, &disk, Some(&disk)),
            Reconciled::Reload { text: disk }
        );
    }

    #[test]
    fn edits_in_different_places_merge() {
        let mine = BASE.replace("two", "two, typed in Postdesk");
        let disk = BASE.replace("five", "five, from git pull");
        let Reconciled::Merged { text, disk: d } = reconcile(BASE, &mine, Some(&disk)) else {
            panic!("expected a merge");
        };
        assert_eq!(d, disk);
        assert_eq!(
            text,
            "---\ntitle: A\n---\none\ntwo, typed in Postdesk\nthree\nfour\nfive, from git pull\n"
        );
    }

    #[test]
    fn edits_of_the_same_line_conflict_and_keep_both() {
        let mine = BASE.replace("three", "셋 (mine)");
        let disk = BASE.replace("three", "three (theirs)");
        let Reconciled::Conflict { disk: d, marked } = reconcile(BASE, &mine, Some(&disk)) else {
            panic!("expected a conflict");
        };
        assert_eq!(d, disk);
        assert!(
            marked.contains("<<<<<<< Postdesk\n셋 (mine)\n=======\nthree (theirs)\n>>>>>>> disk\n"),
            "{marked}"
        );
        assert!(marked.starts_with("---\ntitle: A\n---\none\ntwo\n"));
    }

    #[test]
    fn deleted_file_is_missing() {
        assert_eq!(
            reconcile(BASE, BASE, None),
            Reconciled::Missing { moved_to: None }
        );
    }
}
