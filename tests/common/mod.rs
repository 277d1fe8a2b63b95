//! Shared by the integration tests: a temp copy of the sample site in `posts/`, and the
//! `postdesk` command run as a real process. (Each test file uses a part of it.)
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `postdesk ARGS` as a process with no display: a subcommand must never need one.
pub fn postdesk_command<S: AsRef<OsStr>>(args: &[S]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_postdesk"));
    cmd.args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    cmd
}

pub fn postdesk<S: AsRef<OsStr>>(args: &[S]) -> Output {
    postdesk_command(args).output().expect("postdesk runs")
}

/// `git ARGS` in `dir` with `home` as HOME and no system config: nothing of this machine's git
/// configuration takes part. Panics with git's message when it fails.
pub fn git_in(home: &Path, dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub struct SampleSite {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl SampleSite {
    pub fn post(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The temp folder that holds the site (`site/`), for anything a test keeps beside it.
    pub fn dir(&self) -> &Path {
        self._dir.path()
    }

    /// `postdesk new --like` the seed post, dated 2023-04-22: makes `_posts/2023-04-22-gdata34.md`.
    pub fn new_issue(&self) -> Output {
        let seed = self.post("_posts/2023-03-22-gdata33.md");
        postdesk(&[
            "new".as_ref(),
            "--like".as_ref(),
            seed.as_os_str(),
            "--date".as_ref(),
            "2023-04-22".as_ref(),
        ] as &[&OsStr])
    }
}

/// A fresh copy of `posts/`: tests may write to it; the real sample site is never touched.
pub fn sample_site() -> SampleSite {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("posts"), &root);
    SampleSite { _dir: dir, root }
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create dir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A copy of `posts/` in a git repository with a bare remote, its git run with its own HOME.
pub struct Repo {
    pub sample: SampleSite,
    pub home: PathBuf,
    pub remote: PathBuf,
    pub site: PathBuf,
}

pub fn identify(home: &Path, dir: &Path) {
    git_in(home, dir, &["config", "user.name", "Writer"]);
    git_in(home, dir, &["config", "user.email", "writer@example.com"]);
}

/// A copy of `posts/` committed in a repository whose `main` tracks a bare remote.
pub fn repo_with_remote() -> Repo {
    let sample = sample_site();
    let home = sample.dir().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let remote = sample.dir().join("remote.git");
    let site = sample.root.clone();
    git_in(
        &home,
        sample.dir(),
        &[
            "init",
            "--quiet",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    );
    git_in(&home, &site, &["init", "--quiet", "-b", "main"]);
    identify(&home, &site);
    git_in(&home, &site, &["add", "-A"]);
    git_in(&home, &site, &["commit", "--quiet", "-m", "Sample site"]);
    let url = format!("file://{}", remote.display());
    git_in(&home, &site, &["remote", "add", "origin", &url]);
    git_in(&home, &site, &["push", "--quiet", "-u", "origin", "main"]);
    Repo {
        sample,
        home,
        remote,
        site,
    }
}

impl Repo {
    pub fn git(&self, args: &[&str]) -> String {
        git_in(&self.home, &self.site, args)
    }

    pub fn remote_git(&self, args: &[&str]) -> String {
        let mut all = vec!["--git-dir", self.remote.to_str().unwrap()];
        all.extend(args);
        git_in(&self.home, &self.site, &all)
    }

    /// A second clone of the remote, as another writer has it.
    pub fn other_clone(&self) -> PathBuf {
        let other = self.home.join("other");
        let url = format!("file://{}", self.remote.display());
        git_in(
            &self.home,
            &self.home,
            &["clone", "--quiet", &url, other.to_str().unwrap()],
        );
        identify(&self.home, &other);
        other
    }
}

/// A web server on this machine that answers every request with `response`, or never answers.
pub fn local_server(response: Option<&'static str>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten() {
            match response {
                Some(r) => {
                    let mut buf = [0u8; 4096];
                    let _ = stream.read(&mut buf);
                    let _ = stream.write_all(r.as_bytes());
                }
                None => held.push(stream),
            }
        }
    });
    port
}
