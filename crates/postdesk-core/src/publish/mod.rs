//! Publishing a post with git: check it, stage exactly the post and its images (and what
//! Postdesk moved for it), commit, rebase onto the upstream when it moved, push. Every way git
//! can say no is an outcome with a plain message and a next step, never a panic, and nothing is
//! ever forced, reset or discarded: a refused push leaves the commit in place.
//! Not for: the checks themselves (see `lint`) or computing URLs (see `permalink`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use crate::front_matter;
use crate::git::{remote_lines, remote_trouble, Git, GitError, RemoteTrouble};
use crate::lint::{self, Problem, Severity};
use crate::permalink;
use crate::site::Site;

/// How publishing goes.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The commit message; `None` gives `Publish: <title>`.
    pub message: Option<String>,
    /// Say what would be staged and committed, and do nothing.
    pub dry_run: bool,
    /// Publish even when the checks found warnings (errors always stop).
    pub despite_warnings: bool,
    /// The longest any one git call may take (fetch and push talk to the network).
    pub limit: Duration,
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            message: None,
            dry_run: false,
            despite_warnings: false,
            limit: Duration::from_secs(60),
        }
    }
}

/// The step publishing is at, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PublishStep {
    Checking,
    Staging,
    Committing,
    Fetching,
    Rebasing,
    Pushing,
}

/// How publishing ended. Only `Published`, `AlreadyPublished` and `DryRun` are successes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum PublishOutcome {
    Published {
        commit: String,
        branch: String,
        url: Option<String>,
        /// The commit was rebased onto changes someone else pushed first.
        rebased: bool,
        /// Changed files of the working tree that were not published, left as they were.
        left_alone: Vec<String>,
    },
    AlreadyPublished {
        url: Option<String>,
    },
    DryRun {
        stage: Vec<String>,
        message: String,
        left_alone: Vec<String>,
    },
    ChecksFailed {
        problems: Vec<Problem>,
    },
    GitMissing,
    NotARepository,
    NoRemote,
    NoUpstream {
        branch: String,
    },
    DetachedHead,
    InProgress {
        /// `rebase`, `merge`, `cherry-pick` or `revert`.
        operation: String,
    },
    NoIdentity,
    NeedsCredentials {
        remote: String,
        committed: bool,
    },
    Unreachable {
        remote: String,
        detail: String,
        committed: bool,
    },
    TimedOut {
        step: PublishStep,
        committed: bool,
    },
    PushRejected {
        committed: bool,
    },
    HookRejected {
        message: String,
        committed: bool,
    },
    RebaseConflict {
        files: Vec<String>,
    },
    GitFailed {
        step: PublishStep,
        message: String,
    },
}

impl PublishOutcome {
    pub fn is_success(&self) -> bool {
        matches!(
            self,
            PublishOutcome::Published { .. }
                | PublishOutcome::AlreadyPublished { .. }
                | PublishOutcome::DryRun { .. }
        )
    }

    /// What happened and what to do next, in English (the window has its own Korean words).
    pub fn message(&self) -> String {
        use PublishOutcome::*;
        let kept = |committed: &bool| {
            if *committed {
                " Your commit is kept; Publish again to push it."
            } else {
                ""
            }
        };
        match self {
            Published { commit, branch, url, rebased, left_alone } => {
                let mut m = format!("Published as {commit} on {branch}");
                if *rebased {
                    m.push_str(", after the changes others had pushed");
                }
                if let Some(url) = url {
                    m.push_str(&format!(". It will be at {url}"));
                }
                m.push('.');
                if !left_alone.is_empty() {
                    m.push_str(&format!(
                        " {} other changed file(s) were not published and are as they were: {}.",
                        left_alone.len(),
                        left_alone.join(", ")
                    ));
                }
                m
            }
            AlreadyPublished { url } => match url {
                Some(url) => format!("Nothing new to publish: the post is already published at {url}."),
                None => "Nothing new to publish.".to_owned(),
            },
            DryRun { stage, message, left_alone } => {
                let mut m = format!("Would commit \"{message}\" with:\n");
                for p in stage {
                    m.push_str(&format!("  {p}\n"));
                }
                if !left_alone.is_empty() {
                    m.push_str(&format!("Left as they are: {}\n", left_alone.join(", ")));
                }
                m
            }
            ChecksFailed { problems } => {
                let mut m = "The post is not ready to publish:\n".to_owned();
                for p in problems {
                    m.push_str(&format!("  {p}\n"));
                }
                m
            }
            GitMissing => "git is not installed: install it (https://git-scm.com) and publish again.".to_owned(),
            NotARepository => "This site is not in a git repository. Make it one with `git init`, add your blog's remote with `git remote add origin URL`, and push once with `git push -u origin main`.".to_owned(),
            NoRemote => "The repository has no remote to publish to. Add one with `git remote add origin URL` and push once with `git push -u origin BRANCH`.".to_owned(),
            NoUpstream { branch } => format!("The branch {branch} does not track a remote branch. Push it once with `git push -u origin {branch}`."),
            DetachedHead => "git is not on a branch (detached HEAD). Check out your blog's branch (`git switch main`) and publish again.".to_owned(),
            InProgress { operation } => format!("git is in the middle of a {operation}. Finish or abort it first (`git status` says how)."),
            NoIdentity => "git does not know who you are. Set it once with `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`.".to_owned(),
            NeedsCredentials { remote, committed } => format!("{remote} asks who you are and Postdesk cannot ask you: set up an SSH key or a credential helper for it (a `git push` in a terminal shows how).{}", kept(committed)),
            Unreachable { remote, detail, committed } => format!("{remote} cannot be reached ({detail}). Check the connection.{}", kept(committed)),
            TimedOut { step, committed } => format!("git took too long while {} and was stopped.{}", step_words(*step), kept(committed)),
            PushRejected { committed } => format!("The remote has changes that arrived while publishing. Publish again to put your post after them.{}", kept(committed)),
            HookRejected { message, committed } => format!("The remote refused the push: {message}{}", kept(committed)),
            RebaseConflict { files } => format!("Someone else changed the same lines of {} and pushed first. Nothing was lost: your commit is kept and the rebase was undone. Pull in a terminal (`git pull --rebase`), settle the conflict, and publish again.", files.join(", ")),
            GitFailed { step, message } => format!("git failed while {}: {message}", step_words(*step)),
        }
    }
}

fn step_words(step: PublishStep) -> &'static str {
    match step {
        PublishStep::Checking => "checking the repository",
        PublishStep::Staging => "staging",
        PublishStep::Committing => "committing",
        PublishStep::Fetching => "fetching",
        PublishStep::Rebasing => "rebasing",
        PublishStep::Pushing => "pushing",
    }
}

/// Where the post's repository is and which branch it publishes to.
struct Repo {
    git: Git,
    top: PathBuf,
    branch: String,
    remote: String,
}

fn open_repo(site: &Site, limit: Duration) -> Result<Repo, PublishOutcome> {
    let here = Git::new(&site.root, limit);
    let top = match here.run(&["rev-parse", "--show-toplevel"]) {
        Ok(top) => PathBuf::from(top.trim_end()),
        Err(GitError::Missing) => return Err(PublishOutcome::GitMissing),
        Err(_) => return Err(PublishOutcome::NotARepository),
    };
    let git = Git::new(&top, limit);
    for (name, operation) in [
        ("rebase-merge", "rebase"),
        ("rebase-apply", "rebase"),
        ("MERGE_HEAD", "merge"),
        ("CHERRY_PICK_HEAD", "cherry-pick"),
        ("REVERT_HEAD", "revert"),
    ] {
        if git.git_path(name).is_some_and(|p| p.exists()) {
            return Err(PublishOutcome::InProgress {
                operation: operation.to_owned(),
            });
        }
    }
    let Some(branch) = git.ask(&["symbolic-ref", "--quiet", "--short", "HEAD"]) else {
        return Err(PublishOutcome::DetachedHead);
    };
    let remote = git.ask(&["config", &format!("branch.{branch}.remote")]);
    let tracked = git.ask(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]);
    let (Some(remote), Some(_)) = (remote, tracked) else {
        let remotes = git.ask(&["remote"]).unwrap_or_default();
        return Err(if remotes.is_empty() {
            PublishOutcome::NoRemote
        } else {
            PublishOutcome::NoUpstream { branch }
        });
    };
    Ok(Repo {
        git,
        top,
        branch,
        remote,
    })
}

impl Repo {
    /// `rel` (from the site root) as a path from the top of the repository, `/`-separated.
    fn path(&self, site: &Site, rel: &str) -> String {
        let abs = site.root.join(rel);
        let from_top = abs.strip_prefix(&self.top).unwrap_or(&abs);
        from_top
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Changed paths of the working tree (`git status`), from the top of the repository.
    fn changed(&self) -> Result<Vec<String>, GitError> {
        let out = self
            .git
            .run(&["status", "--porcelain=v1", "-z", "--untracked-files=all"])?;
        let mut paths = Vec::new();
        let mut fields = out.split('\0');
        while let Some(entry) = fields.next() {
            if entry.len() < 4 {
                continue;
            }
            paths.push(entry[3..].to_owned());
            // A rename lists its old path as the next field.
            if entry.starts_with('R') || entry.starts_with('C') {
                if let Some(old) = fields.next() {
                    paths.push(old.to_owned());
                }
            }
        }
        Ok(paths)
    }

    fn is_tracked(&self, path: &str) -> bool {
        self.git
            .ask(&["ls-files", "--", path])
            .is_some_and(|s| !s.is_empty())
    }
}

/// The files Postdesk moved for a post (renames), kept in the git directory until published.
fn moves_file(git: &Git) -> Option<PathBuf> {
    git.git_path("postdesk-moves")
}

/// Remembers that Postdesk moved `from` to `to` (paths from the site root), so that publishing
/// `to` also publishes the removal of `from`. Outside a git repository it does nothing.
pub fn remember_move(site: &Site, from: &str, to: &str) {
    let git = Git::new(&site.root, Duration::from_secs(10));
    let (Some(file), Some(top)) = (moves_file(&git), git.ask(&["rev-parse", "--show-toplevel"]))
    else {
        return;
    };
    let repo_path = |rel: &str| {
        let abs = site.root.join(rel);
        abs.strip_prefix(&top)
            .unwrap_or(&abs)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut text = std::fs::read_to_string(&file).unwrap_or_default();
    text.push_str(&format!("{}\t{}\n", repo_path(from), repo_path(to)));
    // Remembering is best effort: without it, the old file is only left for the writer to commit.
    let _ = crate::document::write_atomic(&file, text.as_bytes());
}

/// Paths from the top of the repository that were moved to one of `targets`, transitively.
fn moved_to(git: &Git, targets: &[String]) -> Vec<String> {
    let text = moves_file(git)
        .and_then(|f| std::fs::read_to_string(f).ok())
        .unwrap_or_default();
    let mut wanted: Vec<String> = targets.to_vec();
    let mut out = Vec::new();
    for line in text.lines().rev() {
        if let Some((from, to)) = line.split_once('\t') {
            if wanted.iter().any(|w| w == to) && !wanted.iter().any(|w| w == from) {
                wanted.push(from.to_owned());
                out.push(from.to_owned());
            }
        }
    }
    out
}

fn forget_moves(git: &Git, published: &[String]) {
    let Some(file) = moves_file(git) else { return };
    let Ok(text) = std::fs::read_to_string(&file) else {
        return;
    };
    let kept: String = text
        .lines()
        .filter(|l| {
            !l.split_once('\t')
                .is_some_and(|(from, _)| published.iter().any(|p| p == from))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let _ = crate::document::write_atomic(&file, kept.as_bytes());
}

/// The published URL of the post at `rel` with text `text`.
pub fn url_of(site: &Site, rel: &str, text: &str) -> Option<String> {
    let own = front_matter::read(text).unwrap_or_default();
    permalink::post_url(site, rel, &site.page_variables(rel, &own))
}

/// Publishes the post at `rel` (from the site root) as it is on disk.
pub fn publish(
    site: &Site,
    rel: &str,
    options: &PublishOptions,
    progress: &mut dyn FnMut(PublishStep),
) -> PublishOutcome {
    progress(PublishStep::Checking);
    let repo = match open_repo(site, options.limit) {
        Ok(r) => r,
        Err(outcome) => return outcome,
    };
    let text = match site.read_post(rel) {
        Ok(t) => t,
        Err(e) => {
            return PublishOutcome::ChecksFailed {
                problems: vec![Problem {
                    severity: Severity::Error,
                    line: None,
                    message: e.to_string(),
                    fix: None,
                    known: None,
                }],
            }
        }
    };
    let problems = lint::check_post(site, rel, &text);
    let errors = problems.iter().any(|p| p.severity == Severity::Error);
    if errors || (!problems.is_empty() && !options.despite_warnings) {
        return PublishOutcome::ChecksFailed { problems };
    }
    let url = url_of(site, rel, &text);
    let title = front_matter::read(&text)
        .ok()
        .and_then(|m| m.get("title").and_then(|t| t.as_str()).map(str::to_owned))
        .unwrap_or_else(|| rel.to_owned());
    let message = options
        .message
        .clone()
        .unwrap_or_else(|| format!("Publish: {title}"));

    // What belongs to this post: the file, its images folder, and what Postdesk moved for them.
    let stem = Path::new(rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let own = vec![
        repo.path(site, rel),
        repo.path(site, &format!("images/{stem}")),
    ];
    let mut paths = own.clone();
    let moved = moved_to(&repo.git, &own);
    paths.extend(moved.iter().cloned());
    paths.retain(|p| repo.top.join(p).exists() || repo.is_tracked(p));
    let belongs = |changed: &str| {
        paths
            .iter()
            .any(|p| changed == p || changed.starts_with(&format!("{p}/")))
    };
    let changed = match repo.changed() {
        Ok(c) => c,
        Err(e) => return failed(PublishStep::Checking, e),
    };
    let (stage, left_alone): (Vec<String>, Vec<String>) =
        changed.into_iter().partition(|c| belongs(c));
    if options.dry_run {
        return PublishOutcome::DryRun {
            stage,
            message,
            left_alone,
        };
    }

    progress(PublishStep::Staging);
    let mut committed = false;
    if !stage.is_empty() {
        let mut add = vec!["--literal-pathspecs", "add", "-A", "--"];
        add.extend(paths.iter().map(String::as_str));
        if let Err(e) = repo.git.run(&add) {
            return failed(PublishStep::Staging, e);
        }
        progress(PublishStep::Committing);
        // `--only`: exactly these paths, whatever else the writer had staged.
        let mut commit = vec![
            "--literal-pathspecs",
            "commit",
            "--only",
            "-m",
            &message,
            "--",
        ];
        commit.extend(paths.iter().map(String::as_str));
        match repo.git.run(&commit) {
            Ok(_) => committed = true,
            Err(GitError::Failed { stderr })
                if stderr.contains("tell me who you are")
                    || stderr.contains("unable to auto-detect email") =>
            {
                return PublishOutcome::NoIdentity
            }
            Err(e) => return failed(PublishStep::Committing, e),
        }
        forget_moves(&repo.git, &moved);
    }

    progress(PublishStep::Fetching);
    let remote = repo.remote.clone();
    if let Err(e) = repo.git.run(&["fetch", "--quiet", &remote]) {
        return network(PublishStep::Fetching, &remote, e, committed);
    }
    let count = |range: &str| {
        repo.git
            .ask(&["rev-list", "--count", range])
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    };
    if count("@{u}..HEAD") == 0 {
        return PublishOutcome::AlreadyPublished { url };
    }
    let rebased = count("HEAD..@{u}") > 0;
    if rebased {
        progress(PublishStep::Rebasing);
        // --autostash: other changes the writer has not committed are put aside and back.
        if let Err(e) = repo.git.run(&["rebase", "--autostash", "@{u}"]) {
            let files = repo
                .git
                .ask(&["diff", "--name-only", "--diff-filter=U"])
                .map(|s| s.lines().map(str::to_owned).collect::<Vec<_>>())
                .unwrap_or_default();
            let aborted = repo.git.run(&["rebase", "--abort"]);
            if files.is_empty() || aborted.is_err() {
                return failed(PublishStep::Rebasing, e);
            }
            return PublishOutcome::RebaseConflict { files };
        }
    }

    progress(PublishStep::Pushing);
    let upstream_branch = repo
        .git
        .ask(&["config", &format!("branch.{}.merge", repo.branch)])
        .unwrap_or_else(|| format!("refs/heads/{}", repo.branch));
    let refspec = format!("HEAD:{upstream_branch}");
    if let Err(e) = repo.git.run(&["push", &remote, &refspec]) {
        let stderr = match &e {
            GitError::Failed { stderr } => stderr.clone(),
            _ => String::new(),
        };
        if stderr.contains("[remote rejected]") || stderr.contains("hook declined") {
            let said = remote_lines(&stderr);
            return PublishOutcome::HookRejected {
                message: if said.is_empty() {
                    stderr.trim().to_owned()
                } else {
                    said
                },
                committed,
            };
        }
        if stderr.contains("[rejected]")
            || stderr.contains("non-fast-forward")
            || stderr.contains("fetch first")
        {
            return PublishOutcome::PushRejected { committed };
        }
        return network(PublishStep::Pushing, &remote, e, committed);
    }
    let commit = repo
        .git
        .ask(&["rev-parse", "--short", "HEAD"])
        .unwrap_or_default();
    PublishOutcome::Published {
        commit,
        branch: repo.branch.clone(),
        url,
        rebased,
        left_alone,
    }
}

fn failed(step: PublishStep, e: GitError) -> PublishOutcome {
    match e {
        GitError::Missing => PublishOutcome::GitMissing,
        GitError::TimedOut => PublishOutcome::TimedOut {
            step,
            committed: false,
        },
        GitError::Failed { stderr } => PublishOutcome::GitFailed {
            step,
            message: stderr.trim().to_owned(),
        },
    }
}

fn network(step: PublishStep, remote: &str, e: GitError, committed: bool) -> PublishOutcome {
    match remote_trouble(&e) {
        RemoteTrouble::NeedsCredentials => PublishOutcome::NeedsCredentials {
            remote: remote.to_owned(),
            committed,
        },
        RemoteTrouble::Unreachable => PublishOutcome::Unreachable {
            remote: remote.to_owned(),
            detail: match &e {
                GitError::Failed { stderr } => stderr
                    .lines()
                    .find(|l| l.starts_with("fatal:") || l.contains("ssh:"))
                    .unwrap_or("")
                    .trim_start_matches("fatal:")
                    .trim()
                    .to_owned(),
                _ => String::new(),
            },
            committed,
        },
        RemoteTrouble::TimedOut => PublishOutcome::TimedOut { step, committed },
        RemoteTrouble::Other => match e {
            GitError::Failed { stderr } => PublishOutcome::GitFailed {
                step,
                message: stderr.trim().to_owned(),
            },
            other => failed(step, other),
        },
    }
}

/// The working tree and branch as the status line shows them (no network).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RepoStatus {
    /// Why there is nothing to show (not a repository, detached HEAD, …), as a message.
    pub problem: Option<String>,
    pub branch: Option<String>,
    /// Commits not pushed yet, and commits of the upstream not here (as of the last fetch).
    pub ahead: u32,
    pub behind: u32,
    /// The post or its images differ from the last commit.
    pub uncommitted: bool,
    /// Other changed files of the working tree.
    pub other_changes: u32,
    /// When the post was last pushed (`2023-03-22T10:00:00+09:00`), from the upstream's history.
    pub last_published: Option<String>,
}

pub fn status(site: &Site, rel: &str) -> RepoStatus {
    let mut out = RepoStatus {
        problem: None,
        branch: None,
        ahead: 0,
        behind: 0,
        uncommitted: false,
        other_changes: 0,
        last_published: None,
    };
    let repo = match open_repo(site, Duration::from_secs(10)) {
        Ok(r) => r,
        Err(outcome) => {
            out.problem = Some(outcome.message());
            return out;
        }
    };
    out.branch = Some(repo.branch.clone());
    let count = |range: &str| {
        repo.git
            .ask(&["rev-list", "--count", range])
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    out.ahead = count("@{u}..HEAD");
    out.behind = count("HEAD..@{u}");
    let stem = Path::new(rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let own = [
        repo.path(site, rel),
        repo.path(site, &format!("images/{stem}")),
    ];
    for changed in repo.changed().unwrap_or_default() {
        if own
            .iter()
            .any(|p| changed == *p || changed.starts_with(&format!("{p}/")))
        {
            out.uncommitted = true;
        } else {
            out.other_changes += 1;
        }
    }
    out.last_published = repo
        .git
        .ask(&["log", "-1", "--format=%cI", "@{u}", "--", &own[0]])
        .filter(|s| !s.is_empty());
    out
}
