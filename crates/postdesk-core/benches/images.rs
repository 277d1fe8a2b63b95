//! `make bench-images`: a 3840×2160 screenshot (`../shared/tools/make-screenshot.py`) scaled to
//! 1600 px wide by Postdesk's image processing (in this process, and the whole `postdesk
//! import-image` command as a writer runs it: `POSTDESK_BIN`, the release binary), by
//! `vipsthumbnail` and by ImageMagick's `convert -resize 1600x`, in the same run, taking turns:
//! wall time and output bytes of each. Then screenshots kept as a palette against lossless (bytes,
//! PSNR, time), on a real UI screenshot and the 4K one. Then a batch of four screenshots imported
//! at once (both cores) against one after the other. Prints figures.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use postdesk_core::images::{import_files, process, ImportOutcome, Screenshots};
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

/// The PSNR (dB) of `b` against `a`, both RGB pixels.
fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let sse: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum();
    10.0 * (255.0f64.powi(2) * a.len() as f64 / sse).log10()
}

fn rgb(png: &[u8]) -> Vec<u8> {
    image::load_from_memory(png).unwrap().into_rgb8().into_raw()
}

/// A site of one post for `postdesk import-image`.
fn site(dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("_posts")).unwrap();
    std::fs::write(dir.join("_config.yml"), "title: Bench\n").unwrap();
    let post = dir.join("_posts/2023-04-22-bench.md");
    std::fs::write(&post, "---\ntitle: Bench\n---\n").unwrap();
    post
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
    // The whole command, as a writer runs it: start-up, the site, decoding, writing.
    let bin = std::env::var_os("POSTDESK_BIN");
    let post = site(&dir.path().join("cmd"));
    let imported = dir.path().join("cmd/images/2023-04-22-bench");
    let mut command = || {
        if let Some(bin) = &bin {
            let _ = std::fs::remove_dir_all(&imported);
            run(Command::new(bin)
                .arg("import-image")
                .arg("--post")
                .arg(&post)
                .arg(&input)
                .stdout(std::process::Stdio::null()));
        }
    };
    let [ours, cmd, vips, magick] = common::medians(
        RUNS,
        [
            &mut || {
                process("screenshot.png", &bytes, 1600, Screenshots::Palette).unwrap();
            },
            &mut command,
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
    let our_bytes = process("screenshot.png", &bytes, 1600, Screenshots::Palette)
        .unwrap()
        .bytes
        .len();
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let cmd_bytes = size(&imported.join("screenshot.png"));
    println!(
        "3840×2160 screenshot ({} KB) to 1600 px wide, median of {RUNS} rounds (the four take turns)",
        bytes.len() / 1024
    );
    println!(
        "  postdesk (in process)  {:>7.0} ms  {:>6} KB",
        ms(ours),
        our_bytes / 1024
    );
    match bin {
        Some(_) => println!(
            "  postdesk import-image  {:>7.0} ms  {:>6} KB  (the whole command)",
            ms(cmd),
            cmd_bytes / 1024
        ),
        None => println!("  postdesk import-image  (set POSTDESK_BIN to the release binary)"),
    }
    println!(
        "  vipsthumbnail          {:>7.0} ms  {:>6} KB",
        ms(vips),
        size(&vips_out) / 1024
    );
    println!(
        "  convert                {:>7.0} ms  {:>6} KB",
        ms(magick),
        size(&magick_out) / 1024
    );
    println!(
        "  time postdesk/vipsthumbnail: {:.2} in process, {:.2} the whole command   bytes postdesk/convert: {:.2}",
        ours.as_secs_f64() / vips.as_secs_f64(),
        cmd.as_secs_f64() / vips.as_secs_f64(),
        our_bytes as f64 / size(&magick_out) as f64
    );

    // Screenshots as a palette where it cannot be seen, against lossless.
    let ui =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/screenshot-ui.png");
    println!("screenshots: palette (kept at PSNR ≥ 40 dB) against lossless, median of {RUNS}");
    for (name, file) in [
        ("screenshot-ui.png 1280×800", ui.as_path()),
        ("3840×2160 → 1600", input.as_path()),
    ] {
        let Ok(original) = std::fs::read(file) else {
            println!("  {name}: missing");
            continue;
        };
        let mut palette = Vec::new();
        let mut lossless = Vec::new();
        let [t_palette, t_lossless] = common::medians(
            RUNS,
            [
                &mut || {
                    palette = process("shot.png", &original, 1600, Screenshots::Palette)
                        .unwrap()
                        .bytes
                },
                &mut || {
                    lossless = process("shot.png", &original, 1600, Screenshots::Lossless)
                        .unwrap()
                        .bytes
                },
            ],
        );
        let kept = if palette == lossless {
            "kept lossless".to_owned()
        } else {
            format!(
                "palette, PSNR {:.1} dB",
                psnr(&rgb(&lossless), &rgb(&palette))
            )
        };
        println!(
            "  {name}: original {} KB, lossless {} KB ({:.0} ms), palette {} KB ({:.0} ms): {:.2}× lossless, {kept}",
            original.len() / 1024,
            lossless.len() / 1024,
            ms(t_lossless),
            palette.len() / 1024,
            ms(t_palette),
            palette.len() as f64 / lossless.len() as f64,
        );
    }

    // A batch of four: imported together (processed on every core) or one by one.
    let site_dir = dir.path().join("site");
    site(&site_dir);
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
        process(
            "shot.png",
            &std::fs::read(f).unwrap(),
            1600,
            Screenshots::Palette,
        )
        .unwrap();
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
