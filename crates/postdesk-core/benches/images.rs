//! `make bench-images`: a 3840×2160 screenshot (`../shared/tools/make-screenshot.py`) scaled to
//! 1600 px wide by Postdesk's image processing, by `vipsthumbnail` and by ImageMagick's
//! `convert -resize 1600x`, in the same run, taking turns: wall time and output bytes of each. Then a batch of
//! four screenshots imported at once (both cores) against one after the other. Prints figures.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use postdesk_core::images::{import_files, process, ImportOutcome};
use postdesk_core::site::Site;

const RUNS: usize = 9;

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("the tool runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("screenshot.png");
    let tool =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools/make-screenshot.py");
    // Debian's Python, which has the Pillow that `make bench-images` installs.
    run(Command::new("/usr/bin/python3").arg(&tool).arg(&input));
    let bytes = std::fs::read(&input).unwrap();

    let vips_out = dir.path().join("vips.png");
    let magick_out = dir.path().join("magick.png");
    let [ours, vips, magick] = common::medians(
        RUNS,
        [
            &mut || {
                process("screenshot.png", &bytes, 1600).unwrap();
            },
            &mut || {
                run(Command::new("vipsthumbnail")
                    .arg(&input)
                    .args(["-s", "1600x"])
                    .arg("-o")
                    .arg(&vips_out));
            },
            &mut || {
                run(Command::new("convert")
                    .arg(&input)
                    .args(["-resize", "1600x"])
                    .arg(&magick_out));
            },
        ],
    );
    let our_bytes = process("screenshot.png", &bytes, 1600).unwrap().bytes.len();
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    println!(
        "3840×2160 screenshot ({} KB) to 1600 px wide, median of {RUNS} rounds (the three take turns)",
        bytes.len() / 1024
    );
    println!(
        "  postdesk      {:>7.0} ms  {:>6} KB",
        ms(ours),
        our_bytes / 1024
    );
    println!(
        "  vipsthumbnail {:>7.0} ms  {:>6} KB",
        ms(vips),
        size(&vips_out) / 1024
    );
    println!(
        "  convert       {:>7.0} ms  {:>6} KB",
        ms(magick),
        size(&magick_out) / 1024
    );
    println!(
        "  time postdesk/vipsthumbnail: {:.2}   bytes postdesk/convert: {:.2}",
        ours.as_secs_f64() / vips.as_secs_f64(),
        our_bytes as f64 / size(&magick_out) as f64
    );

    // A batch of four: imported together (processed on every core) or one by one.
    let site_dir = dir.path().join("site");
    std::fs::create_dir_all(site_dir.join("_posts")).unwrap();
    std::fs::write(site_dir.join("_config.yml"), "title: Bench\n").unwrap();
    std::fs::write(
        site_dir.join("_posts/2023-04-22-bench.md"),
        "---\ntitle: Bench\n---\n",
    )
    .unwrap();
    let site = Site::open(&site_dir).unwrap();
    let files: Vec<_> = (0..4)
        .map(|i| {
            let f = dir.path().join(format!("shot-{i}.png"));
            let mut b = bytes.clone();
            b.extend([i as u8; 16]);
            std::fs::write(&f, b).unwrap();
            f
        })
        .collect();
    let started = Instant::now();
    let outcomes = import_files(
        &site,
        "_posts/2023-04-22-bench.md",
        &files,
        1600,
        &|_, _| {},
    );
    let batch = started.elapsed();
    assert!(outcomes
        .iter()
        .all(|o| matches!(o, ImportOutcome::Imported { .. })));
    let started = Instant::now();
    for f in &files {
        process("shot.png", &std::fs::read(f).unwrap(), 1600).unwrap();
    }
    let one_by_one = started.elapsed();
    println!(
        "4 screenshots: imported as a batch {:.0} ms, processed one by one {:.0} ms, ratio {:.2} ({} cores)",
        ms(batch),
        ms(one_by_one),
        batch.as_secs_f64() / one_by_one.as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}
