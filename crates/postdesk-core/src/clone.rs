//! Cloning a writer's blog with the system `git`: progress as it goes, Cancel, and all or
//! nothing on disk. git clones into a hidden temp folder beside the target, which is renamed
//! into place only when the clone is complete; a failure or Cancel removes it.
//! Not for: opening the clone as a site (see `site`) or how git is run (see `git`).

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde::Serialize;
use ts_rs::TS;

use crate::git::{self, remote_trouble, Git, GitError, RemoteTrouble};

/// How long git may go without saying anything before the clone is given up (a remote that
/// stopped answering). A slow but moving clone is never stopped.
pub const QUIET_LIMIT: Duration = Duration::from_secs(120);

/// What the clone is doing, as git reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CloneStep {
    /// Reaching the remote (and signing in with the credential helper or SSH key).
    Connecting,
    /// The remote is counting and packing what to send.
    Preparing,
    Receiving,
    /// Unpacking what was received.
    Resolving,
    /// Writing the blog's files.
    CheckingOut,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CloneProgress {
    pub step: CloneStep,
    /// How far the step is, when git says.
    pub percent: Option<u8>,
    /// What has come in so far while receiving, as git writes it (`1.20 MiB | 640.00 KiB/s`).
    pub received: Option<String>,
}

/// How a clone ended. Only `Cloned` made anything on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum CloneOutcome {
    Cloned {
        folder: String,
    },
    Cancelled,
    /// Not something git could clone from (empty, spaces, or an option in disguise).
    BadAddress {
        url: String,
    },
    /// The target holds files already; git would refuse, and nothing there may be touched.
    FolderNotEmpty {
        folder: String,
    },
    /// The folder the clone was to go into does not exist.
    NoSuchFolder {
        folder: String,
    },
    /// The clone could not be written there (permissions, a full disk).
    CannotWrite {
        folder: String,
        detail: String,
    },
    GitMissing,
    /// The remote wants a sign-in that no credential helper or SSH key gave (or, on hosts that
    /// hide private repositories, the repository does not exist).
    NeedsCredentials {
        url: String,
    },
    NotFound {
        url: String,
    },
    Unreachable {
        url: String,
        detail: String,
    },
    /// git said nothing for `QUIET_LIMIT` and was stopped.
    TimedOut,
    GitFailed {
        message: String,
    },
}

/// Clones `url` into the folder `target` (which must not exist, or be empty), calling
/// `progress` as git reports it, until done or until `cancel` is set. Whatever the outcome,
/// `target` is either the complete clone or as it was before.
pub fn clone_site(
    url: &str,
    target: &Path,
    quiet_limit: Duration,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(CloneProgress),
) -> CloneOutcome {
    let url = url.trim();
    if url.is_empty() || url.starts_with('-') || url.chars().any(char::is_whitespace) {
        return CloneOutcome::BadAddress {
            url: url.to_owned(),
        };
    }
    let shown = |p: &Path| p.display().to_string();
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return CloneOutcome::NoSuchFolder {
            folder: shown(target),
        };
    };
    if !parent.is_dir() {
        return CloneOutcome::NoSuchFolder {
            folder: shown(parent),
        };
    }
    if target.exists() && !is_empty_dir(target) {
        return CloneOutcome::FolderNotEmpty {
            folder: shown(target),
        };
    }
    let temp = match tempfile::Builder::new()
        .prefix(".postdesk-clone-")
        .tempdir_in(parent)
    {
        Ok(t) => t,
        Err(e) => {
            return CloneOutcome::CannotWrite {
                folder: shown(parent),
                detail: e.to_string(),
            }
        }
    };
    let into = temp.path().join(name);
    progress(CloneProgress {
        step: CloneStep::Connecting,
        percent: None,
        received: None,
    });
    let ended = run_clone(url, &into, parent, quiet_limit, cancel, progress);
    let outcome = match ended {
        Ok(()) => move_into_place(&into, target),
        Err(outcome) => outcome,
    };
    if !matches!(outcome, CloneOutcome::Cloned { .. }) {
        remove_all(temp.path());
    }
    // What is left of the temp folder (empty after a clone moved out of it) goes with it.
    drop(temp);
    outcome
}

/// How git's run ended, when not with a complete clone in `into`.
fn run_clone(
    url: &str,
    into: &Path,
    parent: &Path,
    quiet_limit: Duration,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(CloneProgress),
) -> Result<(), CloneOutcome> {
    let into_arg = into.to_string_lossy();
    let git = Git::new(parent, quiet_limit);
    let mut child = match git.spawn_stoppable(&["clone", "--progress", "--", url, &into_arg]) {
        Ok(c) => c,
        Err(GitError::Missing) => return Err(CloneOutcome::GitMissing),
        Err(e) => return Err(failure(url, e)),
    };
    if let Some(mut out) = child.stdout.take() {
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    }
    // git rewrites its progress line with `\r`: each rewrite is one message.
    let (lines, heard) = mpsc::channel::<String>();
    if let Some(mut err) = child.stderr.take() {
        std::thread::spawn(move || {
            let mut line = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = err.read(&mut buf) {
                for &b in &buf[..n] {
                    if b == b'\r' || b == b'\n' {
                        if !line.is_empty() {
                            let _ = lines.send(String::from_utf8_lossy(&line).into_owned());
                            line.clear();
                        }
                    } else {
                        line.push(b);
                    }
                }
            }
            if !line.is_empty() {
                let _ = lines.send(String::from_utf8_lossy(&line).into_owned());
            }
        });
    }
    let mut said: Vec<String> = Vec::new();
    let mut last_shown: Option<CloneProgress> = None;
    let mut last_heard = Instant::now();
    let mut exited: Option<(std::process::ExitStatus, Instant)> = None;
    let stop = |child: &mut std::process::Child, outcome: CloneOutcome| {
        git::stop(child);
        // git's helpers (index-pack, the remote helper) could write into the folder after it
        // is removed; they hold git's stderr, so its end means they are gone.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Err(RecvTimeoutError::Disconnected) =
                heard.recv_timeout(Duration::from_millis(100))
            {
                break;
            }
        }
        Err(outcome)
    };
    loop {
        match heard.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => {
                last_heard = Instant::now();
                match parse_progress(&line) {
                    Some(p) if last_shown.as_ref() != Some(&p) => {
                        progress(p.clone());
                        last_shown = Some(p);
                    }
                    Some(_) => {}
                    None => said.push(line),
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            // Everything git and its helpers had to say is in.
            Err(RecvTimeoutError::Disconnected) if exited.is_some() => break,
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(Duration::from_millis(20)),
        }
        if cancel.load(Ordering::SeqCst) {
            return stop(&mut child, CloneOutcome::Cancelled);
        }
        match exited {
            None => match child.try_wait() {
                Ok(Some(status)) => exited = Some((status, Instant::now())),
                Ok(None) if last_heard.elapsed() > quiet_limit => {
                    return stop(&mut child, CloneOutcome::TimedOut)
                }
                Ok(None) => {}
                Err(e) => {
                    return stop(
                        &mut child,
                        failure(
                            url,
                            GitError::Failed {
                                stderr: e.to_string(),
                            },
                        ),
                    )
                }
            },
            // A helper that outlives git (an SSH connection kept for reuse) may hold stderr.
            Some((_, at)) if at.elapsed() > Duration::from_secs(2) => break,
            Some(_) => {}
        }
    }
    let (status, _) = exited.expect("the loop ends only once git has exited");
    if status.success() {
        Ok(())
    } else {
        Err(failure(
            url,
            GitError::Failed {
                stderr: said.join("\n"),
            },
        ))
    }
}

/// What git's complaint means for the writer.
fn failure(url: &str, e: GitError) -> CloneOutcome {
    let url = url.to_owned();
    if let GitError::Failed { stderr } = &e {
        let lower = stderr.to_ascii_lowercase();
        const NOT_FOUND: &[&str] = &[
            "repository not found",
            "does not appear to be a git repository",
            "' not found",
            "does not exist",
            "the requested url returned error: 404",
        ];
        if NOT_FOUND.iter().any(|s| lower.contains(s)) {
            return CloneOutcome::NotFound { url };
        }
    }
    match remote_trouble(&e) {
        RemoteTrouble::NeedsCredentials => CloneOutcome::NeedsCredentials { url },
        RemoteTrouble::TimedOut => CloneOutcome::TimedOut,
        RemoteTrouble::Unreachable => CloneOutcome::Unreachable {
            url,
            detail: last_fatal(&e),
        },
        RemoteTrouble::Other => CloneOutcome::GitFailed {
            message: last_fatal(&e),
        },
    }
}

/// git's last `fatal:`/`error:` line (its reason), else its last line.
fn last_fatal(e: &GitError) -> String {
    let GitError::Failed { stderr } = e else {
        return String::new();
    };
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .iter()
        .rev()
        .find_map(|l| {
            l.strip_prefix("fatal:")
                .or_else(|| l.strip_prefix("error:"))
        })
        .or(lines.last().copied())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Reads one of git's progress lines: `Receiving objects:  45% (9/20), 1.20 MiB | 640.00 KiB/s`.
fn parse_progress(line: &str) -> Option<CloneProgress> {
    let line = line.strip_prefix("remote:").unwrap_or(line).trim();
    let (what, rest) = line.split_once(':')?;
    let step = match what {
        "Enumerating objects" | "Counting objects" | "Compressing objects" => CloneStep::Preparing,
        "Receiving objects" => CloneStep::Receiving,
        "Resolving deltas" => CloneStep::Resolving,
        "Updating files" | "Checking out files" => CloneStep::CheckingOut,
        _ => return None,
    };
    let percent = rest
        .split_once('%')
        .and_then(|(n, _)| n.trim().parse::<u8>().ok());
    let received = (step == CloneStep::Receiving)
        .then(|| {
            rest.split_once("), ")
                .map(|(_, r)| r.trim_end_matches(", done.").trim())
        })
        .flatten()
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    Some(CloneProgress {
        step,
        percent,
        received,
    })
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Renames the complete clone `from` to `target` (an empty `target` folder gives way to it).
fn move_into_place(from: &Path, target: &Path) -> CloneOutcome {
    let moved = if target.is_dir() {
        std::fs::remove_dir(target).and_then(|()| std::fs::rename(from, target))
    } else {
        std::fs::rename(from, target)
    };
    match moved {
        Ok(()) => CloneOutcome::Cloned {
            folder: target.display().to_string(),
        },
        Err(e) => CloneOutcome::CannotWrite {
            folder: target.display().to_string(),
            detail: e.to_string(),
        },
    }
}

/// Removes `dir` and everything in it, trying again for a while: on Windows a file that a
/// process just closed can refuse deletion for a moment.
fn remove_all(dir: &Path) {
    for _ in 0..20 {
        if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_progress_lines_are_read() {
        assert_eq!(
            parse_progress("Receiving objects:  45% (9/20), 1.20 MiB | 640.00 KiB/s"),
            Some(CloneProgress {
                step: CloneStep::Receiving,
                percent: Some(45),
                received: Some("1.20 MiB | 640.00 KiB/s".into()),
            })
        );
        assert_eq!(
            parse_progress("Receiving objects: 100% (20/20), 3.10 MiB | 2.00 MiB/s, done."),
            Some(CloneProgress {
                step: CloneStep::Receiving,
                percent: Some(100),
                received: Some("3.10 MiB | 2.00 MiB/s".into()),
            })
        );
        assert_eq!(
            parse_progress("remote: Counting objects:  50% (10/20)"),
            Some(CloneProgress {
                step: CloneStep::Preparing,
                percent: Some(50),
                received: None,
            })
        );
        assert_eq!(
            parse_progress("remote: Enumerating objects: 23, done.").map(|p| p.percent),
            Some(None)
        );
        assert_eq!(
            parse_progress("Resolving deltas: 100% (2/2), done.").map(|p| p.step),
            Some(CloneStep::Resolving)
        );
        assert_eq!(parse_progress("Cloning into '/tmp/x/blog'..."), None);
        assert_eq!(parse_progress("fatal: repository 'x' does not exist"), None);
    }

    #[test]
    fn complaints_are_sorted() {
        let said = |s: &str| failure("URL", GitError::Failed { stderr: s.into() });
        assert_eq!(
            said("fatal: repository 'https://github.com/a/b/' not found"),
            CloneOutcome::NotFound { url: "URL".into() }
        );
        assert_eq!(
            said("ERROR: Repository not found.\nfatal: Could not read from remote repository."),
            CloneOutcome::NotFound { url: "URL".into() }
        );
        assert_eq!(
            said("fatal: could not read Username for 'https://github.com': terminal prompts disabled"),
            CloneOutcome::NeedsCredentials { url: "URL".into() }
        );
        assert_eq!(
            said("git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository."),
            CloneOutcome::NeedsCredentials { url: "URL".into() }
        );
        assert_eq!(
            said("fatal: unable to access 'https://nowhere.invalid/b.git/': Could not resolve host: nowhere.invalid"),
            CloneOutcome::Unreachable {
                url: "URL".into(),
                detail: "unable to access 'https://nowhere.invalid/b.git/': Could not resolve host: nowhere.invalid".into()
            }
        );
        assert_eq!(
            said("Cloning into 'x'...\nerror: unable to write file a.md\nfatal: cannot create directory"),
            CloneOutcome::GitFailed {
                message: "cannot create directory".into()
            }
        );
    }
}
