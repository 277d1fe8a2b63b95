//! Shared by the integration tests: a temp copy of the sample site in `posts/`.

use std::fs;
use std::path::{Path, PathBuf};

pub struct SampleSite {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl SampleSite {
    pub fn post(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}

/// A fresh copy of `posts/`: tests may write to it; the real sample site is never touched.
pub fn sample_site() -> SampleSite {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("posts"), &root);
    SampleSite { _dir: dir, root }
}

fn copy_dir(from: &Path, to: &Path) {
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
