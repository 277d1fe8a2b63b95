//! `postdesk publish` against real git: temp repositories with bare remotes over `file://`, a
//! second clone that pushes first, server hooks that refuse, remotes that want credentials or
//! never answer. Each test's git runs with its own HOME, so nothing of this machine's git
//! configuration (credential helpers, identity) takes part.

mod common;

use common::{git_in, identify, local_server, repo_with_remote, Repo};

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

impl Repo {
    fn postdesk(&self, args: &[&str]) -> Output {
        common::postdesk_command(args)
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap()
    }

    fn publish(&self, rel: &str, extra: &[&str]) -> (Option<i32>, String) {
        let post = self.site.join(rel);
        let mut args = vec!["publish", post.to_str().unwrap()];
        args.extend(extra);
        let out = self.postdesk(&args);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    }

    /// A new post made like gdata33, with one image in its folder: `_posts/2023-04-22-gdata34.md`.
    fn next_issue(&self) -> String {
        let out = self.sample.new_issue();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::copy(
            self.site.join("images/2023-03-22-gdata33/moss.png"),
            self.site.join("images/2023-04-22-gdata34/moss.png"),
        )
        .unwrap();
        let post = self.site.join("_posts/2023-04-22-gdata34.md");
        let text = std::fs::read_to_string(&post).unwrap();
        std::fs::write(
            &post,
            text + "# 머리말\n\n![moss]({{ site.url }}/images/2023-04-22-gdata34/moss.png)\n",
        )
        .unwrap();
        "_posts/2023-04-22-gdata34.md".to_owned()
    }
}

#[test]
fn a_first_publish_commits_exactly_the_post_and_its_images_and_pushes() {
    let repo = repo_with_remote();
    let rel = repo.next_issue();
    // Unrelated work in progress: a changed config, an untracked note, a staged file.
    let config = repo.site.join("_config.yml");
    std::fs::write(
        &config,
        std::fs::read_to_string(&config).unwrap() + "# draft setting\n",
    )
    .unwrap();
    std::fs::write(repo.site.join("notes.txt"), "ideas").unwrap();
    std::fs::write(repo.site.join("staged.txt"), "staged").unwrap();
    repo.git(&["add", "staged.txt"]);

    let (code, out) = repo.publish(&rel, &["--dry-run"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("Would commit \"Publish: [Global_Data_Issue] 2023년 4월\" with:"),
        "{out}"
    );
    assert!(
        out.contains("  _posts/2023-04-22-gdata34.md\n  images/2023-04-22-gdata34/moss.png\n"),
        "{out}"
    );
    assert_eq!(
        repo.git(&["rev-list", "--count", "HEAD"]).trim(),
        "1",
        "a dry run commits nothing"
    );

    let (code, out) = repo.publish(&rel, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("It will be at https://gdata-sample.github.io/global_data_issue/gdata34/"),
        "{out}"
    );
    assert!(
        out.contains("_config.yml") && out.contains("notes.txt"),
        "{out}"
    );
    let pushed = repo.remote_git(&["log", "-1", "--name-only", "--format=%s%n%an <%ae>", "main"]);
    assert_eq!(
        pushed.trim(),
        "Publish: [Global_Data_Issue] 2023년 4월\nWriter <writer@example.com>\n\n_posts/2023-04-22-gdata34.md\nimages/2023-04-22-gdata34/moss.png"
    );
    // The writer's other work is exactly as it was.
    let status = repo.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(status, " M _config.yml\nA  staged.txt\n?? notes.txt\n");
    // Publishing again has nothing to do.
    let (code, out) = repo.publish(&rel, &[]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("Nothing new to publish"), "{out}");
}

#[test]
fn a_publish_after_another_clone_pushed_rebases_then_pushes() {
    let repo = repo_with_remote();
    let other = repo.other_clone();
    std::fs::write(
        other.join("_pages/about.md"),
        "---\ntitle: About\n---\nhello\n",
    )
    .unwrap();
    git_in(&repo.home, &other, &["add", "-A"]);
    git_in(
        &repo.home,
        &other,
        &["commit", "--quiet", "-m", "About page"],
    );
    git_in(&repo.home, &other, &["push", "--quiet"]);

    let rel = repo.next_issue();
    let (code, out) = repo.publish(&rel, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("after the changes others had pushed"), "{out}");
    let log = repo.remote_git(&["log", "--format=%s", "main"]);
    assert_eq!(
        log,
        "Publish: [Global_Data_Issue] 2023년 4월\nAbout page\nSample site\n"
    );
    assert_eq!(
        repo.git(&["rev-parse", "HEAD"]),
        repo.remote_git(&["rev-parse", "main"])
    );
}

#[test]
fn a_conflicting_edit_keeps_the_local_commit_and_leaves_no_rebase_behind() {
    let repo = repo_with_remote();
    let rel = "_posts/2023-04-05-postdesk-guide.md";
    let other = repo.other_clone();
    let edit = |root: &Path, title: &str| {
        let file = root.join(rel);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(
            &file,
            text.replace(
                "title: \"Writing with Postdesk\"",
                &format!("title: \"{title}\""),
            ),
        )
        .unwrap();
    };
    edit(&other, "Their title");
    git_in(
        &repo.home,
        &other,
        &["commit", "--quiet", "-am", "Their edit"],
    );
    git_in(&repo.home, &other, &["push", "--quiet"]);
    edit(&repo.site, "My title");
    let before = std::fs::read_to_string(repo.site.join(rel)).unwrap();

    let (code, out) = repo.publish(rel, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!("changed the same lines of {rel}")),
        "{out}"
    );
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]).trim(),
        "Publish: My title"
    );
    assert_eq!(
        std::fs::read_to_string(repo.site.join(rel)).unwrap(),
        before
    );
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "no conflict left in the working tree"
    );
    let git_dir = repo.site.join(".git");
    assert!(!git_dir.join("rebase-merge").exists() && !git_dir.join("rebase-apply").exists());
    assert_eq!(
        repo.remote_git(&["log", "-1", "--format=%s", "main"])
            .trim(),
        "Their edit"
    );
}

#[test]
fn a_remote_hook_that_refuses_is_reported_with_its_words() {
    let repo = repo_with_remote();
    let hook = repo.remote.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'posts are frozen until Monday' >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let rel = repo.next_issue();
    let (code, out) = repo.publish(&rel, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("The remote refused the push: posts are frozen until Monday"),
        "{out}"
    );
    assert!(out.contains("Your commit is kept"), "{out}");
    assert_eq!(repo.git(&["rev-list", "--count", "@{u}..HEAD"]).trim(), "1");
}

#[test]
fn remotes_that_want_credentials_or_cannot_be_reached_fail_fast_with_a_reason() {
    let repo = repo_with_remote();
    let rel = repo.next_issue();
    let port = local_server(Some(
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"blog\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    ));
    repo.git(&[
        "remote",
        "set-url",
        "origin",
        &format!("http://127.0.0.1:{port}/blog.git"),
    ]);
    let (code, out) = repo.publish(&rel, &["--timeout", "20"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("origin asks who you are"), "{out}");
    assert!(out.contains("Your commit is kept"), "{out}");

    repo.git(&[
        "remote",
        "set-url",
        "origin",
        "file:///nonexistent/blog.git",
    ]);
    let (code, out) = repo.publish(&rel, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("origin cannot be reached"), "{out}");

    // A server that accepts and never answers: stopped at the time limit, not hung.
    let silent = local_server(None);
    repo.git(&[
        "remote",
        "set-url",
        "origin",
        &format!("http://127.0.0.1:{silent}/blog.git"),
    ]);
    let started = Instant::now();
    let (code, out) = repo.publish(&rel, &["--timeout", "2"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("took too long while fetching"), "{out}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn repository_states_that_cannot_publish_each_say_what_to_do() {
    // Not a repository at all.
    let plain = common::sample_site();
    let guide = plain.post("_posts/2023-04-05-postdesk-guide.md");
    let out = common::postdesk_command(&["publish", guide.to_str().unwrap()])
        .env("GIT_CEILING_DIRECTORIES", plain.dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not in a git repository"));

    let repo = repo_with_remote();
    let rel = "_posts/2023-04-05-postdesk-guide.md";
    repo.git(&["checkout", "--quiet", "--detach"]);
    assert!(repo.publish(rel, &[]).1.contains("detached HEAD"));
    repo.git(&["checkout", "--quiet", "-b", "local-only"]);
    assert!(repo
        .publish(rel, &[])
        .1
        .contains("does not track a remote branch"));
    repo.git(&["checkout", "--quiet", "main"]);
    // A merge stopped by a conflict.
    repo.git(&["checkout", "--quiet", "-b", "side"]);
    std::fs::write(repo.site.join(rel), "---\ntitle: Side\n---\n").unwrap();
    repo.git(&["commit", "--quiet", "-am", "side"]);
    repo.git(&["checkout", "--quiet", "main"]);
    std::fs::write(repo.site.join(rel), "---\ntitle: Main\n---\n").unwrap();
    repo.git(&["commit", "--quiet", "-am", "main"]);
    let merge = Command::new("git")
        .args(["merge", "side"])
        .current_dir(&repo.site)
        .env("HOME", &repo.home)
        .output()
        .unwrap();
    assert!(!merge.status.success());
    let (code, out) = repo.publish(rel, &[]);
    assert_eq!(code, Some(1));
    assert!(out.contains("in the middle of a merge"), "{out}");
    repo.git(&["merge", "--abort"]);

    // No identity: git refuses to commit, Postdesk says how to set it.
    repo.git(&["config", "--unset", "user.name"]);
    repo.git(&["config", "--unset", "user.email"]);
    repo.git(&["config", "user.useConfigOnly", "true"]);
    let edited = std::fs::read_to_string(repo.site.join(rel)).unwrap() + "more\n";
    std::fs::write(repo.site.join(rel), edited).unwrap();
    let (code, out) = repo.publish(rel, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("git does not know who you are"), "{out}");
    identify(&repo.home, &repo.site);

    // No remote at all.
    repo.git(&["remote", "remove", "origin"]);
    let (code, out) = repo.publish(rel, &[]);
    assert_eq!(code, Some(1));
    assert!(out.contains("has no remote to publish to"), "{out}");
}

#[test]
fn checks_stop_a_broken_post_and_warnings_need_consent() {
    let repo = repo_with_remote();
    let (code, out) = repo.publish("_posts/2023-03-22-gdata33.md", &[]);
    assert_eq!(code, Some(1));
    assert!(out.contains("is written with backslashes"), "{out}");
    let missing = "_posts/2023-05-01-missing.md";
    std::fs::write(
        repo.site.join(missing),
        "---\ntitle: x\n---\n![a](/images/nope.png)\n",
    )
    .unwrap();
    let (code, out) = repo.publish(missing, &["--despite-warnings"]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("4: error: images/nope.png is missing"),
        "{out}"
    );
    let (code, out) = repo.publish("_posts/2023-03-22-gdata33.md", &["--despite-warnings"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("Nothing new to publish"), "{out}");
}

#[test]
fn publishing_a_renamed_post_publishes_the_move() {
    let repo = repo_with_remote();
    let old = repo.site.join("_posts/2023-02-22-gdata32.md");
    let out = repo.postdesk(&["rename", old.to_str().unwrap(), "--date", "2023-02-23"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, out) = repo.publish("_posts/2023-02-23-gdata32.md", &["--despite-warnings"]);
    assert_eq!(code, Some(0), "{out}");
    let changes = repo.remote_git(&["show", "--name-status", "--format=", "-M", "main"]);
    let mut lines: Vec<&str> = changes.lines().collect();
    lines.sort();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with('R') && l.ends_with("_posts/2023-02-23-gdata32.md")),
        "{changes}"
    );
    assert!(
        lines
            .iter()
            .all(|l| !l.starts_with('A') || l.contains("2023-02-23")),
        "{changes}"
    );
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "nothing of the move is left behind"
    );
}

#[test]
fn publishing_a_published_draft_publishes_the_move_from_drafts() {
    let repo = repo_with_remote();
    let draft = repo.site.join("_drafts/april.md");
    std::fs::write(
        &draft,
        "---\ntitle: April\ndate: 2023-04-22\n---\n![m](/images/april/m.png)\n",
    )
    .unwrap();
    std::fs::create_dir_all(repo.site.join("images/april")).unwrap();
    std::fs::copy(
        repo.site.join("images/2023-03-22-gdata33/m.png"),
        repo.site.join("images/april/m.png"),
    )
    .unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "--quiet", "-m", "Draft"]);
    let out = repo.postdesk(&["publish-draft", draft.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, out) = repo.publish("_posts/2023-04-22-april.md", &[]);
    assert_eq!(code, Some(0), "{out}");
    let files = repo.remote_git(&["ls-tree", "-r", "--name-only", "main"]);
    let files: Vec<&str> = files.lines().collect();
    assert!(files.contains(&"_posts/2023-04-22-april.md"), "{files:?}");
    assert!(
        files.contains(&"images/2023-04-22-april/m.png"),
        "{files:?}"
    );
    assert!(
        !files
            .iter()
            .any(|f| *f == "_drafts/april.md" || f.starts_with("images/april/")),
        "the draft's old names are gone from the remote: {files:?}"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}
