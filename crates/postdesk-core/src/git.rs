//! Running the system `git` the way publishing and cloning need it: it knows the writer's SSH
//! keys and credential helpers, but it must never ask a question (there is no terminal) and never
//! hang (every call has a time limit). Failures of the network steps are sorted into what a
//! writer can act on.
//! Not for: deciding what to publish or where to clone (see `publish` and `clone`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

/// How a git call went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitError {
    /// `git` is not installed (or not on PATH).
    Missing,
    /// It ran longer than its time limit and was stopped.
    TimedOut,
    /// It exited with an error; `stderr` is what it said.
    Failed { stderr: String },
}

/// One git working tree, and the time limit of each call.
#[derive(Debug, Clone)]
pub struct Git {
    pub dir: PathBuf,
    pub limit: Duration,
}

impl Git {
    pub fn new(dir: &Path, limit: Duration) -> Git {
        Git {
            dir: dir.to_owned(),
            limit,
        }
    }

    /// Starts `git ARGS` in the working tree, set up never to prompt, its output piped.
    pub fn spawn(&self, args: &[&str]) -> Result<Child, GitError> {
        self.start(args, false)
    }

    /// Like `spawn`, with git leading a process group of its own (on Unix), so that `stop` ends
    /// the helpers it starts (remote helper, index-pack, ssh) with it. Not for a command that a
    /// terminal's Ctrl+C must reach.
    pub fn spawn_stoppable(&self, args: &[&str]) -> Result<Child, GitError> {
        self.start(args, true)
    }

    fn start(&self, args: &[&str], own_group: bool) -> Result<Child, GitError> {
        let mut cmd = Command::new("git");
        // Messages in English (they are classified below), paths unquoted (Hangul names),
        // no colour, no pager, no editor, and no prompt of any kind.
        cmd.args(["-c", "core.quotePath=false", "-c", "color.ui=false"])
            .args([
                "-c",
                "http.lowSpeedLimit=1000",
                "-c",
                "http.lowSpeedTime=20",
            ])
            .args(args)
            .current_dir(&self.dir)
            .env("LC_ALL", "C")
            .env("LANGUAGE", "C")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_PAGER", "cat")
            .env("GIT_EDITOR", "true")
            .env("GCM_INTERACTIVE", "never")
            .env_remove("GIT_ASKPASS")
            .env_remove("SSH_ASKPASS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if std::env::var_os("GIT_SSH_COMMAND").is_none() {
            // BatchMode: ssh fails instead of asking for a passphrase or a host key.
            cmd.env(
                "GIT_SSH_COMMAND",
                "ssh -o BatchMode=yes -o ConnectTimeout=15",
            );
        }
        #[cfg(unix)]
        if own_group {
            std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        }
        #[cfg(windows)]
        {
            // `taskkill /T` stops the tree on Windows, group or not.
            let _ = own_group;
            no_console_window(&mut cmd);
        }
        cmd.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => GitError::Missing,
            _ => GitError::Failed {
                stderr: e.to_string(),
            },
        })
    }

    /// Runs `git ARGS` in the working tree; its standard output on success.
    pub fn run(&self, args: &[&str]) -> Result<String, GitError> {
        let mut child = self.spawn(args)?;
        // Both pipes are read while git runs, so that a chatty git never blocks on a full pipe.
        let read = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut out = Vec::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_end(&mut out);
                }
                String::from_utf8_lossy(&out).into_owned()
            })
        };
        let stdout = read(child.stdout.take().map(|p| Box::new(p) as _));
        let stderr = read(child.stderr.take().map(|p| Box::new(p) as _));
        let status = match child.wait_timeout(self.limit) {
            Ok(Some(status)) => status,
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                // The readers end when git's helpers see their pipes close; nobody waits for them.
                return Err(GitError::TimedOut);
            }
        };
        let out = stdout.join().unwrap_or_default();
        let err = stderr.join().unwrap_or_default();
        if status.success() {
            Ok(out)
        } else {
            Err(GitError::Failed { stderr: err })
        }
    }

    /// Like `run`, for questions whose "no" is an exit status (`rev-parse @{u}` without upstream).
    pub fn ask(&self, args: &[&str]) -> Option<String> {
        self.run(args).ok().map(|s| s.trim_end().to_owned())
    }

    /// The path of `name` inside the git directory (`rebase-merge`, `MERGE_HEAD`).
    pub fn git_path(&self, name: &str) -> Option<PathBuf> {
        self.ask(&["rev-parse", "--git-path", name])
            .map(|p| self.dir.join(p))
    }
}

/// Ends `child` (started by `spawn_stoppable`) and every process it started, and reaps it.
pub fn stop(child: &mut Child) {
    let pid = child.id().to_string();
    #[cfg(unix)]
    let mut kill = {
        let mut kill = Command::new("kill");
        kill.args(["-KILL", "--", &format!("-{pid}")]);
        kill
    };
    #[cfg(windows)]
    let mut kill = {
        let mut kill = Command::new("taskkill");
        kill.args(["/T", "/F", "/PID", &pid]);
        no_console_window(&mut kill);
        kill
    };
    let _ = kill
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// A console program started by a windowed one opens a console window of its own, unless told
/// not to.
#[cfg(windows)]
fn no_console_window(cmd: &mut Command) {
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    std::os::windows::process::CommandExt::creation_flags(cmd, CREATE_NO_WINDOW);
}

/// What went wrong talking to a remote, as a writer can act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteTrouble {
    NeedsCredentials,
    Unreachable,
    TimedOut,
    Other,
}

pub fn remote_trouble(e: &GitError) -> RemoteTrouble {
    let stderr = match e {
        GitError::TimedOut => return RemoteTrouble::TimedOut,
        GitError::Missing => return RemoteTrouble::Other,
        GitError::Failed { stderr } => stderr.to_ascii_lowercase(),
    };
    const CREDENTIALS: &[&str] = &[
        "terminal prompts disabled",
        "could not read username",
        "could not read password",
        "authentication failed",
        "permission denied (publickey",
        "permission denied, please try again",
        "host key verification failed",
        "invalid username or password",
        "http basic: access denied",
        "the requested url returned error: 401",
        "the requested url returned error: 403",
    ];
    const UNREACHABLE: &[&str] = &[
        "could not resolve host",
        "could not resolve hostname",
        "name or service not known",
        "temporary failure in name resolution",
        "connection refused",
        "connection timed out",
        "operation timed out",
        "network is unreachable",
        "no route to host",
        "unable to access",
        "does not appear to be a git repository",
        "could not read from remote repository",
        "repository not found",
        "failed to connect",
    ];
    if CREDENTIALS.iter().any(|s| stderr.contains(s)) {
        RemoteTrouble::NeedsCredentials
    } else if UNREACHABLE.iter().any(|s| stderr.contains(s)) {
        RemoteTrouble::Unreachable
    } else {
        RemoteTrouble::Other
    }
}

/// The lines a remote sent back (`remote: …`), where a server hook says why it refused.
pub fn remote_lines(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("remote:"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_failures_are_sorted() {
        let failed = |s: &str| GitError::Failed { stderr: s.into() };
        assert_eq!(
            remote_trouble(&failed(
                "fatal: could not read Username for 'https://x': terminal prompts disabled"
            )),
            RemoteTrouble::NeedsCredentials
        );
        assert_eq!(
            remote_trouble(&failed("ssh: Could not resolve hostname github.com: Name or service not known\nfatal: Could not read from remote repository.")),
            RemoteTrouble::Unreachable
        );
        assert_eq!(remote_trouble(&GitError::TimedOut), RemoteTrouble::TimedOut);
        assert_eq!(
            remote_lines("remote: \nremote: posts are frozen\nTo file:///x\n ! [remote rejected]"),
            "posts are frozen"
        );
    }

    #[test]
    fn a_hanging_git_is_stopped_at_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let git = Git::new(dir.path(), Duration::from_millis(300));
        // `git -c alias.x=!sleep…` runs a shell command through git itself.
        let started = std::time::Instant::now();
        let out = git.run(&["-c", "alias.wait=!sleep 30", "wait"]);
        assert_eq!(out, Err(GitError::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}
