//! Getting a blog onto the machine, against real git and real folders: cloning from bare
//! repositories over `file://` (with progress, and with Cancel in the middle), remotes that are
//! missing, want credentials or never answer, and the sample blog copied out of the install.
//! Whatever fails, the folder the clone was to go into holds exactly what it held before.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{git_in, local_server, repo_with_remote};
use postdesk_core::clone::{clone_site, CloneOutcome, CloneProgress, CloneStep, QUIET_LIMIT};
use postdesk_core::sample::sample_site;
use postdesk_core::site::{OpenProblem, Site};

/// The names in `dir`, sorted: what a failed clone must leave as it found.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Clones `url` into `target`; the outcome and every progress report.
fn clone(url: &str, target: &Path) -> (CloneOutcome, Vec<CloneProgress>) {
    let mut seen = Vec::new();
    let outcome = clone_site(
        url,
        target,
        QUIET_LIMIT,
        &AtomicBool::new(false),
        &mut |p| seen.push(p),
    );
    (outcome, seen)
}

#[test]
fn a_blog_is_cloned_with_progress_and_opens_as_a_site() {
    let repo = repo_with_remote();
    let into = tempfile::tempdir().unwrap();
    let target = into.path().join("내 블로그");
    let url = format!("file://{}", repo.remote.display());

    let (outcome, seen) = clone(&url, &target);
    assert_eq!(
        outcome,
        CloneOutcome::Cloned {
            folder: target.display().to_string()
        }
    );
    assert_eq!(names(into.path()), ["내 블로그"], "no temp folder is left");
    let steps: Vec<CloneStep> = seen.iter().map(|p| p.step).collect();
    assert_eq!(steps.first(), Some(&CloneStep::Connecting));
    let receiving: Vec<&CloneProgress> = seen
        .iter()
        .filter(|p| p.step == CloneStep::Receiving)
        .collect();
    assert_eq!(
        receiving.last().and_then(|p| p.percent),
        Some(100),
        "{seen:?}"
    );
    assert!(receiving.iter().any(|p| p.received.is_some()), "{seen:?}");
    assert!(steps.contains(&CloneStep::Preparing), "{seen:?}");

    let site = Site::find(&target).unwrap();
    assert_eq!(site.title(), "Global Data Blog");
    assert_eq!(
        fs::read(target.join("_posts/2023-03-22-gdata33.md")).unwrap(),
        fs::read(repo.site.join("_posts/2023-03-22-gdata33.md")).unwrap()
    );
    // It is a working clone: its branch tracks the remote it came from.
    assert_eq!(
        git_in(&repo.home, &target, &["rev-parse", "--abbrev-ref", "@{u}"]).trim(),
        "origin/main"
    );
}

#[test]
fn an_empty_folder_may_be_the_target_and_a_full_one_is_refused() {
    let repo = repo_with_remote();
    let into = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.remote.display());

    let empty = into.path().join("empty");
    fs::create_dir(&empty).unwrap();
    assert!(matches!(clone(&url, &empty).0, CloneOutcome::Cloned { .. }));
    assert!(empty.join("_config.yml").is_file());

    let full = into.path().join("full");
    fs::create_dir(&full).unwrap();
    fs::write(full.join("notes.txt"), "mine").unwrap();
    let before = names(into.path());
    let (outcome, seen) = clone(&url, &full);
    assert_eq!(
        outcome,
        CloneOutcome::FolderNotEmpty {
            folder: full.display().to_string()
        }
    );
    assert!(seen.is_empty(), "git was not even started");
    assert_eq!(names(into.path()), before);
    assert_eq!(names(&full), ["notes.txt"]);
}

#[test]
fn a_failed_clone_says_why_and_leaves_nothing() {
    let into = tempfile::tempdir().unwrap();
    fs::write(into.path().join("already.txt"), "here before").unwrap();
    let target = into.path().join("blog");
    let missing = into.path().join("nothing-here.git");

    let (outcome, _) = clone(&format!("file://{}", missing.display()), &target);
    assert!(
        matches!(outcome, CloneOutcome::NotFound { .. }),
        "{outcome:?}"
    );
    assert_eq!(names(into.path()), ["already.txt"]);

    let asks = local_server(Some(
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"blog\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    ));
    let (outcome, _) = clone(&format!("http://127.0.0.1:{asks}/blog.git"), &target);
    assert!(
        matches!(outcome, CloneOutcome::NeedsCredentials { .. }),
        "{outcome:?}"
    );
    assert_eq!(names(into.path()), ["already.txt"]);

    let (outcome, _) = clone("http://nowhere.invalid/blog.git", &target);
    assert!(
        matches!(outcome, CloneOutcome::Unreachable { .. }),
        "{outcome:?}"
    );
    assert_eq!(names(into.path()), ["already.txt"]);

    // An option where the address goes never reaches git.
    let (outcome, _) = clone("--upload-pack=touch /tmp/pwned", &target);
    assert!(
        matches!(outcome, CloneOutcome::BadAddress { .. }),
        "{outcome:?}"
    );
    let (outcome, _) = clone("file:///x", &into.path().join("no/such/parent"));
    assert!(
        matches!(outcome, CloneOutcome::NoSuchFolder { .. }),
        "{outcome:?}"
    );
    assert_eq!(names(into.path()), ["already.txt"]);
}

#[test]
fn a_remote_that_never_answers_is_given_up_or_cancelled_and_leaves_nothing() {
    let into = tempfile::tempdir().unwrap();
    let target = into.path().join("blog");
    let url = format!("http://127.0.0.1:{}/blog.git", local_server(None));

    let started = Instant::now();
    let outcome = clone_site(
        &url,
        &target,
        Duration::from_secs(1),
        &AtomicBool::new(false),
        &mut |_| {},
    );
    assert_eq!(outcome, CloneOutcome::TimedOut);
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(names(into.path()).is_empty());

    let cancel = AtomicBool::new(false);
    let started = Instant::now();
    let outcome = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(500));
            cancel.store(true, Ordering::SeqCst);
        });
        clone_site(&url, &target, QUIET_LIMIT, &cancel, &mut |_| {})
    });
    assert_eq!(outcome, CloneOutcome::Cancelled);
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(names(into.path()).is_empty());
}

/// Bytes no compressor can shrink (xorshift), so that a clone of them takes a while.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn cancel_in_the_middle_of_receiving_leaves_nothing() {
    let repo = repo_with_remote();
    fs::write(repo.site.join("images/big.bin"), noise(24 << 20)).unwrap();
    repo.git(&["add", "images/big.bin"]);
    repo.git(&["commit", "--quiet", "-m", "A big file"]);
    repo.git(&["push", "--quiet"]);
    let into = tempfile::tempdir().unwrap();
    let target = into.path().join("blog");
    let url = format!("file://{}", repo.remote.display());

    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let outcome = clone_site(&url, &target, QUIET_LIMIT, &cancel, &mut |p| {
        // The first report from git itself: the remote has started packing.
        if p.step != CloneStep::Connecting {
            cancel.store(true, Ordering::SeqCst);
        }
        seen.push(p);
    });
    assert_eq!(outcome, CloneOutcome::Cancelled, "{seen:?}");
    assert!(seen.len() >= 2, "{seen:?}");
    assert!(names(into.path()).is_empty(), "{:?}", names(into.path()));
}

#[test]
fn a_folder_that_is_not_a_site_is_said_plainly() {
    let copy = common::sample_site();
    let plain = copy.dir().join("plain");
    fs::create_dir(&plain).unwrap();
    fs::write(plain.join("notes.md"), "x").unwrap();
    let problem = OpenProblem::from(Site::find(&plain).unwrap_err());
    assert_eq!(
        problem,
        OpenProblem::NotASite {
            folder: plain.display().to_string()
        }
    );
    assert!(problem.to_string().contains("has no _config.yml"));
    // The folder that holds the site (as a clone's repository may) opens it.
    assert_eq!(
        Site::find(copy.dir()).unwrap().root,
        copy.root.canonicalize().unwrap()
    );
}

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("posts")
}

#[test]
fn the_sample_blog_is_copied_once_into_documents_and_opened_from_there() {
    let home = tempfile::tempdir().unwrap();
    let documents = home.path().join("Documents");

    let first = sample_site(&shipped(), &documents, None).unwrap();
    assert_eq!(first, documents.join("Postdesk sample blog"));
    assert_eq!(
        names(&documents),
        ["Postdesk sample blog"],
        "no temp folder"
    );
    assert_eq!(
        fs::read(first.join("_posts/2023-03-22-gdata33.md")).unwrap(),
        fs::read(shipped().join("_posts/2023-03-22-gdata33.md")).unwrap()
    );
    assert_eq!(
        Site::open(&first).unwrap().overview().posts.len(),
        Site::open(&shipped()).unwrap().overview().posts.len()
    );

    // The copy made before is the one opened again.
    assert_eq!(
        sample_site(&shipped(), &documents, Some(&first)).unwrap(),
        first
    );
    // Gone (moved away, deleted): a new copy, beside whatever took the name.
    fs::remove_file(first.join("_config.yml")).unwrap();
    let second = sample_site(&shipped(), &documents, Some(&first)).unwrap();
    assert_eq!(second, documents.join("Postdesk sample blog 2"));
    assert!(second.join("_config.yml").is_file());

    let err = sample_site(&home.path().join("not-installed"), &documents, None).unwrap_err();
    assert!(err.to_string().contains("install Postdesk again"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_read_only_install_gives_a_writable_copy() {
    use std::os::unix::fs::PermissionsExt;
    let copy = common::sample_site();
    let post = copy.root.join("_posts/2023-03-22-gdata33.md");
    fs::set_permissions(&post, fs::Permissions::from_mode(0o444)).unwrap();
    let documents = copy.dir().join("Documents");
    let site = sample_site(&copy.root, &documents, None).unwrap();
    let mode = fs::metadata(site.join("_posts/2023-03-22-gdata33.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_ne!(mode & 0o200, 0, "the writer's copy can be saved ({mode:o})");
}
