//! `cargo bench -p postdesk-core --bench style`: how long the site's stylesheet takes to
//! compile (minimal-mistakes 4.27.3 from `../shared/themes/`, vendored into a temp site as
//! writers keep it), the first time in the process (cold), again after `invalidate_style`, and
//! when it is kept. Passes or fails nothing.

mod common;

use std::fs;
use std::path::Path;
use std::time::Instant;

use postdesk_core::site::Site;
use postdesk_core::style::{invalidate_style, site_style, StyleSource};

const THEME: &str = "../../../shared/themes/minimal-mistakes-4.27.3";
const ROUNDS: usize = 9;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn main() {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join(THEME);
    let dir = tempfile::tempdir().unwrap();
    for part in ["_sass", "assets"] {
        copy_dir(&theme.join(part), &dir.path().join(part));
    }
    fs::write(
        dir.path().join("_config.yml"),
        "minimal_mistakes_skin: \"default\"\n",
    )
    .unwrap();
    let site = Site::open(dir.path()).unwrap();
    let started = Instant::now();
    let style = site_style(&site);
    let cold = started.elapsed();
    assert_eq!(style.source, StyleSource::Theme);
    let [recompile, kept] = common::medians(
        ROUNDS,
        [
            &mut || {
                invalidate_style(&site.root);
                site_style(&site);
            },
            &mut || {
                site_style(&site);
            },
        ],
    );
    println!(
        "site stylesheet ({} KB of CSS): cold {:.0} ms, recompiled {:.0} ms, kept {:.1} µs",
        style.css.len() / 1024,
        cold.as_secs_f64() * 1e3,
        recompile.as_secs_f64() * 1e3,
        kept.as_secs_f64() * 1e6
    );
}
