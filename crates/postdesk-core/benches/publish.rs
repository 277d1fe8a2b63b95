//! `cargo bench -p postdesk-core --bench publish`: publishing a post with 20 images to a bare
//! remote on this machine (`file://`), against a reference made in the same run: the bare git
//! commands a writer would type (`git add`, `git commit`, `git push`) for the same files.
//! Publish does more (checks, status, fetch); the ratio says what that costs. Prints figures.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use postdesk_core::publish::{publish, PublishOptions};
use postdesk_core::site::Site;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of posts/ in a repository that tracks a bare remote, with a new post of 20 images
/// (each a distinct PNG of 20–90 KB) not yet committed. Returns the post's path.
fn prepared(dir: &Path) -> String {
    let site = dir.join("blog");
    let remote = dir.join("remote.git");
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../posts"),
        &site,
    );
    git(
        dir,
        &[
            "init",
            "--quiet",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    );
    git(&site, &["init", "--quiet", "-b", "main"]);
    git(&site, &["config", "user.name", "Bench"]);
    git(&site, &["config", "user.email", "bench@example.com"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "--quiet", "-m", "Sample site"]);
    git(
        &site,
        &[
            "remote",
            "add",
            "origin",
            &format!("file://{}", remote.display()),
        ],
    );
    git(&site, &["push", "--quiet", "-u", "origin", "main"]);
    let images = site.join("images/2023-04-22-bench");
    std::fs::create_dir_all(&images).unwrap();
    let png = std::fs::read(site.join("images/2023-03-22-gdata33/moss.png")).unwrap();
    let mut body = String::from("---\ntitle: \"Bench\"\n---\n\n");
    for i in 0..20 {
        // Distinct bytes (an extra chunk after IEND) so git stores 20 blobs.
        let mut bytes = png.clone();
        bytes.extend(std::iter::repeat_n(i as u8, 20_000 + 3_500 * i));
        std::fs::write(images.join(format!("shot-{i:02}.png")), bytes).unwrap();
        body.push_str(&format!(
            "![shot {i}]({{{{ site.url }}}}/images/2023-04-22-bench/shot-{i:02}.png)\n\n"
        ));
    }
    std::fs::write(site.join("_posts/2023-04-22-bench.md"), body).unwrap();
    "_posts/2023-04-22-bench.md".to_owned()
}

fn main() {
    const RUNS: u32 = 5;
    let mut ours = Duration::ZERO;
    let mut reference = Duration::ZERO;
    for _ in 0..RUNS {
        let dir = tempfile::tempdir().unwrap();
        let rel = prepared(dir.path());
        let site = Site::open(&dir.path().join("blog")).unwrap();
        let started = Instant::now();
        let outcome = publish(&site, &rel, &PublishOptions::default(), &mut |_| {});
        ours += started.elapsed();
        assert!(outcome.is_success(), "{}", outcome.message());

        let dir = tempfile::tempdir().unwrap();
        let rel = prepared(dir.path());
        let blog = dir.path().join("blog");
        let started = Instant::now();
        git(&blog, &["add", "-A", "--", &rel, "images/2023-04-22-bench"]);
        git(&blog, &["commit", "--quiet", "-m", "Publish: Bench"]);
        git(&blog, &["push", "--quiet"]);
        reference += started.elapsed();
    }
    let ours = ours / RUNS;
    let reference = reference / RUNS;
    println!("publish a post with 20 images to a local bare remote (mean of {RUNS})");
    println!(
        "  postdesk publish (checks, stage, commit, fetch, push): {:>6.0} ms",
        ours.as_secs_f64() * 1e3
    );
    println!(
        "  reference: git add + commit + push:                    {:>6.0} ms",
        reference.as_secs_f64() * 1e3
    );
    println!(
        "  ratio: {:.2}",
        ours.as_secs_f64() / reference.as_secs_f64()
    );
}
