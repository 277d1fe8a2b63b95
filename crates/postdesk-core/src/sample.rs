//! The sample blog a writer can try Postdesk on: the site shipped with the app, copied into the
//! writer's documents folder the first time (the installed copy is never edited), and that copy
//! opened again after.
//! Not for: where the app ships it or where the documents folder is (the shell knows both).

use std::fs;
use std::path::{Path, PathBuf};

/// The name of the copy; a second one (the first was moved away or deleted) is numbered.
const NAME: &str = "Postdesk sample blog";

#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error(
        "the sample blog that comes with Postdesk is missing from {0}: install Postdesk again"
    )]
    NotShipped(PathBuf),
    #[error("the sample blog could not be copied into {folder}: {source}")]
    Copy {
        folder: PathBuf,
        source: std::io::Error,
    },
}

/// The sample blog to open: `copied` when that earlier copy is still a site, else a new copy of
/// `shipped` in `documents` (created if missing) under the first free name. The copy appears
/// whole or not at all.
pub fn sample_site(
    shipped: &Path,
    documents: &Path,
    copied: Option<&Path>,
) -> Result<PathBuf, SampleError> {
    if let Some(earlier) = copied.filter(|c| c.join("_config.yml").is_file()) {
        return Ok(earlier.to_owned());
    }
    if !shipped.join("_config.yml").is_file() {
        return Err(SampleError::NotShipped(shipped.to_owned()));
    }
    let failed = |source| SampleError::Copy {
        folder: documents.to_owned(),
        source,
    };
    fs::create_dir_all(documents).map_err(failed)?;
    let temp = tempfile::Builder::new()
        .prefix(".postdesk-sample-")
        .tempdir_in(documents)
        .map_err(failed)?;
    let staged = temp.path().join(NAME);
    copy_tree(shipped, &staged).map_err(failed)?;
    let target = (1..)
        .map(|n| match n {
            1 => documents.join(NAME),
            n => documents.join(format!("{NAME} {n}")),
        })
        .find(|p| !p.exists())
        .expect("some number is free");
    fs::rename(&staged, &target).map_err(failed)?;
    Ok(target)
}

/// Copies the folder `from` to `to`, its files written afresh: an installed sample may be
/// read-only, and the writer's copy must not be.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            fs::write(&target, fs::read(entry.path())?)?;
        }
    }
    Ok(())
}
