//! Files changing under an open site, on the real filesystem with real git: the watcher reports
//! what changed (and nothing of git's or Jekyll's own files), and what a change means for an
//! open buffer (reload, merge, conflict, gone) is decided without ever overwriting anything.

mod common;

use std::fs;
use std::path::Path;
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use common::{git_in, repo_with_remote};
use postdesk_core::reconcile::Reconciled;
use postdesk_core::site::Site;
use postdesk_core::watch::{SiteChanges, SiteWatcher};

const GUIDE: &str = "_posts/2023-04-05-postdesk-guide.md";

fn watch(root: &Path) -> (SiteWatcher, Receiver<SiteChanges>) {
    let (tx, rx) = channel();
    let watcher = SiteWatcher::start(root, move |c| {
        let _ = tx.send(c);
    })
    .expect("the site can be watched");
    (watcher, rx)
}

/// Waits for a batch of changes that satisfies `want`; panics with what came instead.
fn wait_for(
    rx: &Receiver<SiteChanges>,
    what: &str,
    want: impl Fn(&SiteChanges) -> bool,
) -> SiteChanges {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(c) if want(&c) => return c,
            Ok(c) => seen.push(c),
            Err(_) => break,
        }
    }
    panic!("no change batch with {what}; saw {seen:#?}");
}

/// Every batch that arrives within `quiet` of the last one.
fn drain(rx: &Receiver<SiteChanges>, quiet: Duration) -> Vec<SiteChanges> {
    let mut all = Vec::new();
    while let Ok(c) = rx.recv_timeout(quiet) {
        all.push(c);
    }
    all
}

fn has_post(c: &SiteChanges, rel: &str) -> bool {
    c.posts.iter().any(|p| p == rel)
}

#[test]
fn outside_saves_in_place_and_by_rename_reload_a_clean_buffer() {
    let copy = common::sample_site();
    let site = Site::open(&copy.root).unwrap();
    let file = copy.post(GUIDE);
    let base = site.read_post(GUIDE).unwrap();
    let (_w, rx) = watch(&site.root);

    let edited = base.replace("## Links\n", "## Links (VS Code)\n");
    fs::write(&file, &edited).unwrap();
    wait_for(&rx, "the guide written in place", |c| has_post(c, GUIDE));
    assert_eq!(
        site.reconcile_post(GUIDE, &base, &base).unwrap(),
        Reconciled::Reload {
            text: edited.clone()
        }
    );

    // vim: the old file moves to a backup, a new one is written, the backup is removed.
    let vimmed = edited.replace("## Links (VS Code)\n", "## Links (vim)\n");
    let backup = file.with_file_name("2023-04-05-postdesk-guide.md~");
    fs::rename(&file, &backup).unwrap();
    fs::write(&file, &vimmed).unwrap();
    fs::remove_file(&backup).unwrap();
    let seen = wait_for(&rx, "the vim save", |c| has_post(c, GUIDE));
    assert!(
        seen.posts.iter().all(|p| !p.ends_with('~')),
        "the backup is not a post: {seen:?}"
    );
    assert_eq!(
        site.reconcile_post(GUIDE, &edited, &edited).unwrap(),
        Reconciled::Reload { text: vimmed }
    );
}

#[test]
fn postdesks_own_save_comes_back_as_unchanged() {
    let copy = common::sample_site();
    let site = Site::open(&copy.root).unwrap();
    let base = site.read_post(GUIDE).unwrap();
    let (_w, rx) = watch(&site.root);
    let mine = format!("{base}한 줄 더\n");
    assert_eq!(
        site.save_post(GUIDE, &mine, Some(&base)).unwrap(),
        Reconciled::Unchanged
    );
    let seen = wait_for(&rx, "the save", |c| has_post(c, GUIDE));
    assert!(
        seen.posts.iter().all(|p| !p.contains(".postdesk-")),
        "{seen:?}"
    );
    // The buffer's base is now `mine`: the event means nothing for it.
    assert_eq!(
        site.reconcile_post(GUIDE, &mine, &mine).unwrap(),
        Reconciled::Unchanged
    );
}

#[test]
fn a_save_over_an_outside_change_writes_nothing_and_merges_or_conflicts() {
    let copy = common::sample_site();
    let site = Site::open(&copy.root).unwrap();
    let file = copy.post(GUIDE);
    let base = site.read_post(GUIDE).unwrap();
    let theirs = base.replace("## Links\n", "## Links (theirs)\n");
    fs::write(&file, &theirs).unwrap();

    let apart = base.replace("## Images\n", "## Images (mine)\n");
    match site.save_post(GUIDE, &apart, Some(&base)).unwrap() {
        Reconciled::Merged { text, disk } => {
            assert_eq!(disk, theirs);
            assert!(text.contains("## Images (mine)\n") && text.contains("## Links (theirs)\n"));
        }
        other => panic!("expected a merge, got {other:?}"),
    }
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        theirs,
        "nothing written"
    );

    let same_line = base.replace("## Links\n", "## Links (mine)\n");
    let Reconciled::Conflict { disk, marked } =
        site.save_post(GUIDE, &same_line, Some(&base)).unwrap()
    else {
        panic!("expected a conflict");
    };
    assert_eq!(disk, theirs);
    assert!(marked
        .contains("<<<<<<< Postdesk\n## Links (mine)\n=======\n## Links (theirs)\n>>>>>>> disk\n"));
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        theirs,
        "nothing written"
    );

    // A file deleted meanwhile is written again: the writer's text is all there is.
    fs::remove_file(&file).unwrap();
    assert_eq!(
        site.save_post(GUIDE, &same_line, Some(&base)).unwrap(),
        Reconciled::Unchanged
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), same_line);
}

#[test]
fn a_burst_of_1000_writes_comes_as_a_few_batches_with_the_last_text() {
    let copy = common::sample_site();
    let site = Site::open(&copy.root).unwrap();
    let file = copy.post(GUIDE);
    let base = site.read_post(GUIDE).unwrap();
    let (_w, rx) = watch(&site.root);
    for i in 0..1000 {
        fs::write(&file, format!("{base}write {i}\n")).unwrap();
    }
    let batches = drain(&rx, Duration::from_millis(1500));
    assert!(
        !batches.is_empty() && batches.len() <= 10,
        "1,000 writes gave {} batches",
        batches.len()
    );
    assert!(batches.iter().any(|c| has_post(c, GUIDE)));
    assert_eq!(
        site.reconcile_post(GUIDE, &base, &base).unwrap(),
        Reconciled::Reload {
            text: format!("{base}write 999\n")
        }
    );
}

#[test]
fn git_jekyll_and_scratch_files_are_not_reported() {
    let copy = common::sample_site();
    let root = &copy.root;
    fs::create_dir_all(root.join(".git/objects/ab")).unwrap();
    fs::create_dir_all(root.join("_site")).unwrap();
    let (_w, rx) = watch(root);
    fs::write(root.join(".git/objects/ab/cdef"), "blob").unwrap();
    fs::write(root.join(".git/index"), "index").unwrap();
    fs::write(root.join("_site/index.html"), "<html>").unwrap();
    fs::write(root.join("_posts/.postdesk-abc.tmp"), "half a save").unwrap();
    fs::write(root.join("_posts/.guide.md.swp"), "vim swap").unwrap();
    let noise = drain(&rx, Duration::from_millis(1200));
    assert!(noise.is_empty(), "reported: {noise:#?}");

    // The watcher is alive: a real change right after is reported, alone.
    fs::write(copy.post(GUIDE), "changed\n").unwrap();
    let seen = wait_for(&rx, "the guide", |c| has_post(c, GUIDE));
    assert_eq!(seen.posts, [GUIDE]);
    assert!(seen.images.is_empty() && !seen.site);
}

#[test]
fn new_moved_and_deleted_posts_and_images_are_reported() {
    let copy = common::sample_site();
    let root = &copy.root;
    let (_w, rx) = watch(root);

    let new = "_posts/2023-05-01-새-글.md";
    fs::write(root.join(new), "---\ntitle: 새 글\n---\n").unwrap();
    wait_for(&rx, "the new post", |c| c.list && has_post(c, new));

    let moved = "_posts/2023-05-02-moved.md";
    fs::rename(root.join(new), root.join(moved)).unwrap();
    let seen = wait_for(&rx, "the move", |c| !c.renamed.is_empty());
    assert_eq!(seen.renamed, [(new.to_owned(), moved.to_owned())]);
    assert!(seen.list);

    // Without the watcher's word for it, the moved file is found by its text.
    let site = Site::open(root).unwrap();
    let text = site.read_post(moved).unwrap();
    assert_eq!(
        site.reconcile_post(new, &text, &format!("{text}unsaved\n"))
            .unwrap(),
        Reconciled::Missing {
            moved_to: Some(moved.to_owned())
        }
    );

    fs::remove_file(root.join(moved)).unwrap();
    wait_for(&rx, "the removal", |c| c.list && has_post(c, moved));

    fs::write(root.join("_config.yml"), "title: Renamed blog\n").unwrap();
    wait_for(&rx, "the config", |c| c.site);

    // A top-level folder made after the watch started is watched too.
    fs::create_dir(root.join("assets")).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    fs::create_dir(root.join("assets/img")).unwrap();
    fs::write(root.join("assets/img/화면 캡처.png"), "png").unwrap();
    wait_for(&rx, "the image in the new folder", |c| {
        c.images.iter().any(|i| i == "assets/img/화면 캡처.png")
    });

    // A folder moved in from outside the site: what it holds is reported, and it is watched.
    let outside = copy.dir().join("photos");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("old.jpg"), "jpg").unwrap();
    fs::rename(&outside, root.join("photos")).unwrap();
    wait_for(&rx, "the moved-in folder's image", |c| {
        c.images.iter().any(|i| i == "photos/old.jpg")
    });
    fs::write(root.join("photos/new.jpg"), "jpg").unwrap();
    wait_for(&rx, "an image written in it after", |c| {
        c.images.iter().any(|i| i == "photos/new.jpg")
    });
}

#[test]
fn a_git_pull_that_changes_the_open_post_merges_into_unsaved_edits() {
    let repo = repo_with_remote();
    let root = &repo.site;
    let site = Site::open(root).unwrap();
    let base = site.read_post(GUIDE).unwrap();
    let mine = base.replace("## Images\n", "## Images (typing, unsaved)\n");

    let theirs = format!("{base}\nA paragraph pushed by another writer.\n");
    let other = repo.other_clone();
    fs::write(other.join(GUIDE), &theirs).unwrap();
    git_in(&repo.home, &other, &["commit", "-qam", "Another writer"]);
    git_in(&repo.home, &other, &["push", "-q"]);

    let (_w, rx) = watch(root);
    repo.git(&["pull", "-q", "--ff-only"]);
    wait_for(&rx, "the pulled post", |c| has_post(c, GUIDE));
    let Reconciled::Merged { text, disk } = site.reconcile_post(GUIDE, &base, &mine).unwrap()
    else {
        panic!("expected a merge");
    };
    assert_eq!(disk, theirs);
    assert_eq!(
        text,
        format!("{mine}\nA paragraph pushed by another writer.\n")
    );
}

#[test]
fn checking_out_a_branch_without_the_post_makes_it_missing_and_back() {
    let repo = repo_with_remote();
    let root = &repo.site;
    let site = Site::open(root).unwrap();
    let base = site.read_post(GUIDE).unwrap();
    repo.git(&["checkout", "-q", "-b", "without-guide"]);
    repo.git(&["rm", "-q", GUIDE]);
    repo.git(&["commit", "-qm", "No guide"]);
    repo.git(&["checkout", "-q", "main"]);

    let (_w, rx) = watch(root);
    repo.git(&["checkout", "-q", "without-guide"]);
    wait_for(&rx, "the guide gone", |c| c.list && has_post(c, GUIDE));
    assert_eq!(
        site.reconcile_post(GUIDE, &base, &base).unwrap(),
        Reconciled::Missing { moved_to: None }
    );
    repo.git(&["checkout", "-q", "main"]);
    wait_for(&rx, "the guide back", |c| has_post(c, GUIDE));
    assert_eq!(
        site.reconcile_post(GUIDE, &base, &base).unwrap(),
        Reconciled::Unchanged
    );
}
