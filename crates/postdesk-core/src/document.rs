//! A post file as bytes on disk versus text in the editor: encoding, BOM, line endings, and the
//! atomic write that puts edited text back without changing anything the writer did not touch.
//! Not for: front matter or markdown (see `post`), or knowing which files are posts (see `site`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const BOM: &str = "\u{feff}";

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("{path} could not be read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8 in another editor first"
    )]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error("{path} could not be saved, the file on disk is unchanged: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The one stretch of lines where `new` differs from `old` (each line with its `\n`): how
/// `postdesk fm` tells what it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedLines<'a> {
    /// The 1-based line of `old` where the difference starts.
    pub line: usize,
    pub removed: Vec<&'a str>,
    pub added: Vec<&'a str>,
}

pub fn changed_lines<'a>(old: &'a str, new: &'a str) -> ChangedLines<'a> {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    ChangedLines {
        line: head + 1,
        removed: a[head..a.len() - tail].to_vec(),
        added: b[head..b.len() - tail].to_vec(),
    }
}

impl std::fmt::Display for ChangedLines<'_> {
    /// `line 5:` then `- old` and `+ new` lines, as a writer reads a diff.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.removed.is_empty() && self.added.is_empty() {
            return writeln!(f, "no change");
        }
        writeln!(f, "line {}:", self.line)?;
        for (mark, lines) in [("-", &self.removed), ("+", &self.added)] {
            for l in lines.iter() {
                writeln!(f, "{mark} {}", l.trim_end_matches('\n'))?;
            }
        }
        Ok(())
    }
}

/// `new` against `old` as a unified diff with `context` lines around each change (what a dry
/// run or a crash recovery shows the writer).
pub fn unified_diff(old: &str, new: &str, names: (&str, &str), context: usize) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(context)
        .header(names.0, names.1)
        .to_string()
}

/// Reads a text file as the editor sees it: without BOM, every line ending as `\n`.
pub fn read_text(path: &Path) -> Result<String, DocumentError> {
    let bytes = fs::read(path).map_err(|source| DocumentError::Read {
        path: path.to_owned(),
        source,
    })?;
    let text = decode(&bytes).map_err(|offset| DocumentError::NotUtf8 {
        path: path.to_owned(),
        offset,
    })?;
    Ok(editor_text(text))
}

/// Saves editor text (lines ended by `\n`) to `path`, atomically. The BOM, and the line ending of
/// every line that did not change, are taken from the file as it is on disk now; new lines get
/// the file's most common ending. A new file gets `\n` and no BOM.
pub fn save_text(path: &Path, text: &str) -> Result<(), DocumentError> {
    let write_err = |source| DocumentError::Write {
        path: path.to_owned(),
        source,
    };
    let original = match fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).unwrap_or_default(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(write_err(e)),
    };
    write_atomic(path, encode(text, &original).as_bytes()).map_err(write_err)
}

fn decode(bytes: &[u8]) -> Result<&str, usize> {
    std::str::from_utf8(bytes).map_err(|e| e.valid_up_to())
}

fn editor_text(file_text: &str) -> String {
    let text = file_text.strip_prefix(BOM).unwrap_or(file_text);
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Splits text into (line content, line ending) pairs; the last line may have an empty ending.
fn lines_with_endings(text: &str) -> Vec<(&str, &str)> {
    let mut lines = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push((&text[start..i], &text[i..i + 1]));
                start = i + 1;
            }
            b'\r' => {
                let end = if bytes.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                lines.push((&text[start..i], &text[i..end]));
                start = end;
                i = end - 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        lines.push((&text[start..], ""));
    }
    lines
}

/// Turns editor text back into file text shaped like `original` (see [`save_text`]).
pub fn encode(text: &str, original: &str) -> String {
    let bom = original.starts_with(BOM);
    let original = original.strip_prefix(BOM).unwrap_or(original);
    let old = lines_with_endings(original);
    let new = lines_with_endings(text);

    let (mut lf, mut crlf, mut cr) = (0, 0, 0);
    for (_, ending) in &old {
        match *ending {
            "\n" => lf += 1,
            "\r\n" => crlf += 1,
            "\r" => cr += 1,
            _ => {}
        }
    }
    let dominant = if crlf > lf && crlf >= cr {
        "\r\n"
    } else if cr > lf && cr > crlf {
        "\r"
    } else {
        "\n"
    };

    // Unchanged lines at the start and at the end keep their own endings (mixed files stay mixed).
    let same = |a: &(&str, &str), b: &(&str, &str)| a.0 == b.0 && a.1.is_empty() == b.1.is_empty();
    let prefix = old.iter().zip(&new).take_while(|(o, n)| same(o, n)).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(o, n)| same(o, n))
        .count();

    let mut out = String::with_capacity(text.len() + text.len() / 16 + 3);
    if bom {
        out.push_str(BOM);
    }
    for (i, (content, ending)) in new.iter().enumerate() {
        out.push_str(content);
        if ending.is_empty() {
            continue;
        }
        let from_end = new.len() - i;
        let kept = if i < prefix {
            Some(old[i].1)
        } else if from_end <= suffix {
            Some(old[old.len() - from_end].1)
        } else {
            // A changed line keeps the ending of the line it replaced, where there is one.
            old.get(i)
                .filter(|_| i < old.len() - suffix)
                .map(|l| l.1)
                .filter(|e| !e.is_empty())
        };
        out.push_str(kept.unwrap_or(dominant));
    }
    out
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk, and renames it over
/// `path`: readers see the old file or the new one, never a torn one. Permissions are kept.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // A symlinked post stays a link: the file it points at is what gets replaced.
    let resolved;
    let path = if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = fs::canonicalize(path)?;
        resolved.as_path()
    } else {
        path
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".postdesk-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if let Ok(meta) = fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    remove_stale_temp_files(dir);
    Ok(())
}

/// Temp files older than an hour are what a killed writer left behind (a live one finishes in
/// well under a second): they are removed so they never pile up beside the posts.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".postdesk-")
            && name.ends_with(".tmp")
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < hour_ago)
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    // Makes the rename itself durable; a failure here cannot un-write the file, so it is ignored.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(file: &str) {
        let editor = editor_text(file);
        assert!(!editor.contains('\r'));
        assert_eq!(
            encode(&editor, file),
            file,
            "unchanged text must give the same bytes"
        );
    }

    #[test]
    fn unchanged_text_round_trips_exactly() {
        for file in [
            "",
            "a",
            "a\n",
            "a\r\nb\r\n",
            "a\r\nb",
            "\u{feff}---\r\ntitle: x\r\n---\r\nbody",
            "mixed\nline\r\nendings\rhere\n",
            "\n\n\r\n",
            "한글 제목\n",
        ] {
            round_trip(file);
        }
    }

    #[test]
    fn edits_keep_crlf_and_bom() {
        let file = "\u{feff}one\r\ntwo\r\nthree";
        let edited = editor_text(file).replace("two", "two and more\nnew line");
        assert_eq!(
            encode(&edited, file),
            "\u{feff}one\r\ntwo and more\r\nnew line\r\nthree"
        );
    }

    #[test]
    fn edits_in_a_mixed_file_leave_other_lines_alone() {
        let file = "a\r\nb\nc\r\nd\n";
        let edited = editor_text(file).replace("c", "C");
        assert_eq!(encode(&edited, file), "a\r\nb\nC\r\nd\n");
    }

    #[test]
    fn trailing_newline_is_the_writers_choice() {
        assert_eq!(encode("a\r\nb", "a\r\nb\r\n").as_str(), "a\r\nb");
        assert_eq!(encode("a\nb\n", "a\r\nb").as_str(), "a\r\nb\r\n");
    }

    #[test]
    fn save_is_atomic_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        fs::write(&path, "x\r\ny\r\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        save_text(&path, "x\nz\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"x\r\nz\r\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file may stay behind");
    }

    #[test]
    fn diff_names_the_changed_lines() {
        let diff = unified_diff("a\nb\n", "a\nc\n", ("disk", "recovered"), 3);
        assert!(diff.contains("--- disk\n+++ recovered\n"), "{diff}");
        assert!(diff.contains("-b\n+c\n"), "{diff}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_post_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        fs::write(&real, "old\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        save_text(&link, "new\n").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
    }

    #[test]
    fn stale_temp_files_are_cleaned_up_and_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".postdesk-killed.tmp");
        let fresh = dir.path().join(".postdesk-working.tmp");
        fs::write(&stale, "half").unwrap();
        fs::write(&fresh, "half").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        write_atomic(&dir.path().join("post.md"), b"x").unwrap();
        assert!(!stale.exists());
        assert!(fresh.exists());
    }

    #[test]
    fn non_utf8_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin1.md");
        fs::write(&path, b"caf\xe9").unwrap();
        let err = read_text(&path).unwrap_err().to_string();
        assert!(
            err.contains("not UTF-8") && err.contains("offset 3"),
            "{err}"
        );
    }
}
