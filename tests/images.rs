//! `postdesk normalize`, `import-image` and `lint` on a temp copy of the sample site, whose seed
//! post carries the writers' real problems: backslash paths, `{{site.url}}`, a screenshot named
//! `화면 캡처 2023-03-28 150716.png`, and Typora's `style="zoom:N%"`.

mod common;

use std::io::Cursor;
use std::path::Path;

use common::postdesk;
use image::{DynamicImage, ImageBuffer, Rgb};

const SEED: &str = "_posts/2023-03-22-gdata33.md";
const SHOT: &str = "images/2023-03-22-gdata33/화면 캡처 2023-03-28 150716.png";

fn out(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A screenshot-like PNG (flat areas, some text-like detail) of `w`×`h`, stored uncompressed-ish.
fn screenshot(w: u32, h: u32) -> Vec<u8> {
    let img = ImageBuffer::from_fn(w, h, |x, y| {
        let band = ((y / 40) % 4) as u8;
        let text = (x % 7 == 0 || y % 11 == 0) && (x / 50 + y / 30) % 3 == 0;
        if text {
            Rgb([30, 30, 30])
        } else {
            Rgb([240 - band * 20, 244 - band * 10, 250])
        }
    });
    let mut bytes = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        Cursor::new(&mut bytes),
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::NoFilter,
    );
    DynamicImage::ImageRgb8(img)
        .write_with_encoder(encoder)
        .unwrap();
    bytes
}

/// A screenshot of more than 256 colours: flat panels and anti-aliased dots (every edge pixel a
/// blend of ink and panel), as a real one's text is.
fn antialiased_screenshot() -> image::RgbImage {
    ImageBuffer::from_fn(400, 240, |x, y| {
        let panel = [[250.0, 250.0, 252.0], [30.0, 58.0, 138.0]][(x / 200) as usize];
        let ink = [
            [20.0, 20.0, 20.0],
            [255.0, 255.0, 255.0],
            [200.0, 40.0, 40.0],
        ][(y / 80) as usize];
        let (cx, cy) = (f64::from(x % 16) - 7.3, f64::from(y % 16) - 7.6);
        let radius = 2.5 + f64::from((x / 16 + 7 * (y / 16)) % 9) * 0.31;
        let cover: f64 = ((radius - (cx * cx + cy * cy).sqrt()) / 1.4).clamp(0.0, 1.0);
        Rgb([0, 1, 2].map(|k: usize| (panel[k] + (ink[k] - panel[k]) * cover).round() as u8))
    })
}

/// The PNG colour type in a PNG's header: 2 RGB, 3 palette.
fn png_colour_type(bytes: &[u8]) -> u8 {
    bytes[25]
}

#[test]
fn screenshots_become_a_palette_unless_the_site_keeps_them_lossless() {
    let site = common::sample_site();
    let post = site.post(SEED);
    let shot = antialiased_screenshot();
    let file = site.dir().join("ui.png");
    DynamicImage::ImageRgb8(shot.clone()).save(&file).unwrap();
    let stored = site.post("images/2023-03-22-gdata33/ui.png");

    assert!(import_image(&post, &[file.to_str().unwrap()])
        .status
        .success());
    let bytes = std::fs::read(&stored).unwrap();
    assert_eq!(png_colour_type(&bytes), 3, "a palette by default");
    let quantized = image::load_from_memory(&bytes).unwrap().into_rgb8();
    assert!(quantized != shot);
    std::fs::remove_file(&stored).unwrap();

    let config = site.post("_config.yml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("postdesk_lossless_screenshots: true\n");
    std::fs::write(&config, text).unwrap();
    assert!(import_image(&post, &[file.to_str().unwrap()])
        .status
        .success());
    let bytes = std::fs::read(&stored).unwrap();
    assert_eq!(png_colour_type(&bytes), 2, "every pixel as it was");
    assert!(image::load_from_memory(&bytes).unwrap().into_rgb8() == shot);
}

/// `postdesk import-image --post POST ARGS…`.
fn import_image(post: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["import-image", "--post", post.to_str().unwrap()];
    all.extend(args);
    postdesk(&all)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn normalize_fixes_the_seed_post_and_nothing_else() {
    let site = common::sample_site();
    let seed = site.post(SEED);
    let before = std::fs::read(&seed).unwrap();
    // Another post links the same screenshot, percent-encoded: it must follow the rename.
    let other = site.post("_posts/2023-03-30-other.md");
    std::fs::write(&other, "---\ntitle: Other\n---\n![shot](/images/2023-03-22-gdata33/%ED%99%94%EB%A9%B4%20%EC%BA%A1%EC%B2%98%202023-03-28%20150716.png)\n").unwrap();

    let dry = postdesk(&["normalize", "--dry-run", seed.to_str().unwrap()]);
    assert!(dry.status.success());
    let report = out(&dry);
    assert!(report.contains("-![moss]({{site.url}}\\images\\2023-03-22-gdata33\\moss.png)\n+![moss]({{ site.url }}/images/2023-03-22-gdata33/moss.png)\n"), "{report}");
    assert!(report.contains("rename images/2023-03-22-gdata33/화면 캡처 2023-03-28 150716.png -> images/2023-03-22-gdata33/screenshot-2023-03-28-150716.png"), "{report}");
    assert!(
        report.contains("+++ b/_posts/2023-03-30-other.md"),
        "{report}"
    );
    assert_eq!(
        std::fs::read(&seed).unwrap(),
        before,
        "a dry run changes nothing"
    );
    assert!(site.post(SHOT).exists());

    assert!(postdesk(&["normalize", seed.to_str().unwrap()])
        .status
        .success());
    let after = std::fs::read_to_string(&seed).unwrap();
    let before = String::from_utf8(before).unwrap();
    let changed: Vec<usize> = before
        .split_inclusive('\n')
        .zip(after.split_inclusive('\n'))
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        changed,
        [32, 51, 73, 96, 131],
        "only the five image lines change"
    );
    assert_eq!(before.lines().count(), after.lines().count());
    assert!(after.contains(
        "<img src=\"{{ site.url }}/images/2023-03-22-gdata33/m.png\" alt=\"m\" width=\"416\" />"
    ));
    assert!(after.contains(
        "screenshot-2023-03-28-150716.png\" alt=\"화면 캡처 2023-03-28 150716\" width=\"803\" />"
    ));
    assert!(!site.post(SHOT).exists());
    assert!(site
        .post("images/2023-03-22-gdata33/screenshot-2023-03-28-150716.png")
        .exists());
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        "---\ntitle: Other\n---\n![shot](/images/2023-03-22-gdata33/screenshot-2023-03-28-150716.png)\n"
    );
    // Every image still shows, and lint has nothing left to say about the seed.
    let lint = postdesk(&["lint", seed.to_str().unwrap()]);
    assert_eq!(out(&lint), "", "{}", String::from_utf8_lossy(&lint.stderr));
    assert_eq!(lint.status.code(), Some(0));
    let again = postdesk(&["normalize", seed.to_str().unwrap()]);
    assert_eq!(out(&again), "nothing to normalize\n");
}

#[test]
fn normalize_recompresses_heavy_images() {
    let site = common::sample_site();
    let heavy = site.post("images/2023-04-05-postdesk-guide/big.png");
    std::fs::create_dir_all(heavy.parent().unwrap()).unwrap();
    std::fs::write(&heavy, screenshot(2400, 1200)).unwrap();
    let before = std::fs::metadata(&heavy).unwrap().len();
    assert!(before > 500 * 1024, "{before}");
    let post = site.post("_posts/2023-04-05-postdesk-guide.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(
        &post,
        text + "\n![big](/images/2023-04-05-postdesk-guide/big.png)\n",
    )
    .unwrap();
    let lint = postdesk(&["lint", post.to_str().unwrap()]);
    assert_eq!(lint.status.code(), Some(1));
    assert!(out(&lint).contains("big.png weighs"), "{}", out(&lint));
    let run = postdesk(&["normalize", post.to_str().unwrap()]);
    assert!(
        out(&run).contains("recompress images/2023-04-05-postdesk-guide/big.png"),
        "{}",
        out(&run)
    );
    let after = std::fs::metadata(&heavy).unwrap().len();
    assert!(after * 4 < before, "{before} -> {after}");
    let (w, h) = image::image_dimensions(&heavy).unwrap();
    assert_eq!((w, h), (1600, 800));
}

#[test]
fn import_image_processes_names_and_reuses() {
    let site = common::sample_site();
    let post = site.post("_posts/2023-04-05-postdesk-guide.md");
    let incoming = site.dir().join("incoming");
    std::fs::create_dir_all(&incoming).unwrap();
    let shot = incoming.join("화면 캡처 2023-03-28 150716.png");
    std::fs::write(&shot, screenshot(2400, 1200)).unwrap();
    let run = import_image(&post, &[shot.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        out(&run),
        "![화면 캡처 2023-03-28 150716]({{ site.url }}/images/2023-04-05-postdesk-guide/screenshot-2023-03-28-150716.png)\n"
    );
    let folder = site.post("images/2023-04-05-postdesk-guide");
    let stored = folder.join("screenshot-2023-03-28-150716.png");
    assert_eq!(image::image_dimensions(&stored).unwrap(), (1600, 800));
    assert!(
        std::fs::metadata(&stored).unwrap().len() < std::fs::metadata(&shot).unwrap().len() / 4
    );
    // The same image again is the same file; another image of the same name gets a suffix.
    let again = import_image(&post, &[shot.to_str().unwrap()]);
    assert_eq!(out(&again), out(&run));
    std::fs::write(&shot, screenshot(800, 600)).unwrap();
    let other = import_image(&post, &["--max-width", "400", shot.to_str().unwrap()]);
    assert!(
        out(&other).ends_with("/screenshot-2023-03-28-150716-2.png)\n"),
        "{}",
        out(&other)
    );
    assert_eq!(
        image::image_dimensions(folder.join("screenshot-2023-03-28-150716-2.png")).unwrap(),
        (400, 300)
    );
    assert_eq!(
        files_in(&folder),
        [
            "screenshot-2023-03-28-150716-2.png",
            "screenshot-2023-03-28-150716.png"
        ]
    );
}

#[test]
fn bad_images_are_refused_and_leave_nothing_behind() {
    let site = common::sample_site();
    let post = site.post("_posts/2023-04-05-postdesk-guide.md");
    let incoming = site.dir().join("incoming");
    std::fs::create_dir_all(&incoming).unwrap();
    let good = screenshot(64, 64);
    let mut bomb = good.clone();
    bomb[16..24].copy_from_slice(&[0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0]);
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.png", b"", "is empty"),
        ("notes.png", b"just some text", "is not an image"),
        (
            "cut.png",
            &good[..good.len() / 2],
            "is damaged or cut short",
        ),
        ("tampered.png", &bomb, "damaged or cut short"),
    ];
    for (name, bytes, says) in cases {
        let file = incoming.join(name);
        std::fs::write(&file, bytes).unwrap();
        let run = import_image(&post, &[file.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
    }
    assert_eq!(
        files_in(&site.post("images/2023-04-05-postdesk-guide")),
        Vec::<String>::new()
    );
}

#[test]
fn a_folder_that_cannot_be_written_is_a_clear_error() {
    let site = common::sample_site();
    let post = site.post("_posts/2023-04-05-postdesk-guide.md");
    // A file where the images folder should be: nothing can be written into it.
    std::fs::write(
        site.post("images/2023-04-05-postdesk-guide"),
        "not a folder",
    )
    .unwrap();
    let shot = site.dir().join("shot.png");
    std::fs::write(&shot, screenshot(100, 50)).unwrap();
    let run = import_image(&post, &[shot.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("could not be written into images/2023-04-05-postdesk-guide"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(site.post("images/2023-04-05-postdesk-guide")).unwrap(),
        "not a folder"
    );
}

#[test]
fn the_site_setting_sets_the_width_and_unused_images_can_be_removed() {
    let site = common::sample_site();
    let opened = postdesk_core::site::Site::open(&site.root).unwrap();
    postdesk_core::images::set_settings(&opened, None, Some(800)).unwrap();
    let post = site.post(SEED);
    let shot = site.dir().join("wide.png");
    std::fs::write(&shot, screenshot(2400, 1200)).unwrap();
    let run = import_image(&post, &[shot.to_str().unwrap()]);
    assert!(
        out(&run).contains("/images/2023-03-22-gdata33/wide.png)"),
        "{}",
        out(&run)
    );
    let stored = site.post("images/2023-03-22-gdata33/wide.png");
    assert_eq!(image::image_dimensions(&stored).unwrap(), (800, 400));
    // Not linked by any post: the only one removed.
    let s = postdesk_core::site::Site::open(&site.root).unwrap();
    let text = s.read_post(SEED).unwrap();
    let removed = postdesk_core::images::remove_unused(&s, SEED, &text).unwrap();
    assert_eq!(removed, ["images/2023-03-22-gdata33/wide.png"]);
    assert!(!stored.exists());
    assert_eq!(files_in(&site.post("images/2023-03-22-gdata33")).len(), 5);
    // Once the post links it (even unsaved), it is used.
    std::fs::write(&stored, screenshot(10, 10)).unwrap();
    let linked = format!("{text}\n![w](/images/2023-03-22-gdata33/wide.png)\n");
    assert!(postdesk_core::images::remove_unused(&s, SEED, &linked)
        .unwrap()
        .is_empty());
}

#[test]
fn image_settings_are_written_into_config_yml_and_taken_back() {
    use postdesk_core::images::{set_settings, settings, ImageSettings, LinkIndex};
    use postdesk_core::site::Site;
    let sample = common::sample_site();
    let config = sample.post("_config.yml");
    let before = std::fs::read_to_string(&config).unwrap();
    let site = Site::open(&sample.root).unwrap();
    assert_eq!(
        settings(&site, &LinkIndex::default()),
        ImageSettings {
            folder: "images/{post}".into(),
            folder_set: false,
            max_width: 1600,
            max_width_set: false
        }
    );
    set_settings(&site, Some("/assets/shots/{post}/"), Some(800)).unwrap();
    let after = std::fs::read_to_string(&config).unwrap();
    assert!(
        after.starts_with(&before) && after.lines().count() == before.lines().count() + 2,
        "only two lines added:\n{after}"
    );
    let site = Site::open(&sample.root).unwrap();
    assert_eq!(
        settings(&site, &LinkIndex::default()),
        ImageSettings {
            folder: "assets/shots/{post}".into(),
            folder_set: true,
            max_width: 800,
            max_width_set: true
        }
    );
    for bad in ["../outside/{post}", "images"] {
        let err = set_settings(&site, Some(bad), None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("must be inside the site and contain {post}"),
            "{err}"
        );
    }
    let err = set_settings(&site, None, Some(5)).unwrap_err().to_string();
    assert!(err.contains("16 to 20000"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        after,
        "refused: nothing written"
    );
    set_settings(&site, None, None).unwrap();
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        before,
        "removing them gives the file back byte for byte"
    );
}

#[test]
fn the_panel_follows_other_posts_through_its_index() {
    use postdesk_core::images::{panel, LinkIndex};
    use postdesk_core::site::Site;
    let sample = common::sample_site();
    let site = Site::open(&sample.root).unwrap();
    let spare = "images/2023-03-22-gdata33/spare.png";
    std::fs::write(sample.post(spare), screenshot(10, 10)).unwrap();
    let seed = site.read_post(SEED).unwrap();
    let index = LinkIndex::default();
    let unused = || -> Vec<String> {
        panel(&site, &index, SEED, &seed, "")
            .unused
            .into_iter()
            .map(|i| i.file)
            .collect()
    };
    assert_eq!(unused(), [spare]);
    // Another post starts showing it (saved by another program): the next panel sees it.
    let guide = "_posts/2023-04-05-postdesk-guide.md";
    let text = site.read_post(guide).unwrap();
    std::fs::write(
        sample.post(guide),
        format!("{text}\n![spare](/images/2023-03-22-gdata33/spare.png)\n"),
    )
    .unwrap();
    assert!(unused().is_empty());
    // And stops: unused again.
    std::fs::write(sample.post(guide), &text).unwrap();
    assert_eq!(unused(), [spare]);
    // The open post's own unsaved text counts, not its file.
    let linked = format!("{seed}\n![spare](/images/2023-03-22-gdata33/spare.png)\n");
    assert!(panel(&site, &index, SEED, &linked, "").unused.is_empty());
}

#[test]
fn normalize_of_a_site_gives_safe_names_to_images_no_post_links_yet() {
    let site = common::sample_site();
    let folder = "images/2023-03-22-gdata33";
    let unlinked = [
        format!("{folder}/화면 캡처 2023-03-30 091500.png"),
        format!("{folder}/diagram (1).png"),
    ];
    // A safe name stays; so do images outside the posts' own folders (a theme's, a page's).
    let kept = [
        format!("{folder}/ok-chart.png"),
        "assets/images/My Logo.png".to_owned(),
    ];
    for file in unlinked.iter().chain(&kept) {
        let path = site.post(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, screenshot(40, 20)).unwrap();
    }
    let root = &site.root;
    let seed = site.post(SEED);

    // One post's normalize touches only what that post links.
    let one = postdesk(&["normalize", "--dry-run", seed.to_str().unwrap()]);
    assert!(!out(&one).contains("091500"), "{}", out(&one));

    let dry = postdesk(&["normalize", "--dry-run", root.to_str().unwrap()]);
    let report = out(&dry);
    for file in &unlinked {
        assert!(report.contains(&format!("rename {file} -> ")), "{report}");
    }
    for file in &kept {
        assert!(!report.contains(file.as_str()), "{report}");
    }
    let run = postdesk(&["normalize", root.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let names = files_in(&site.post(folder));
    for file in &unlinked {
        let name = file.rsplit('/').next().unwrap();
        assert!(!names.iter().any(|n| n == name), "{names:?}");
    }
    assert!(
        names.iter().all(|n| !n.contains(' ') && !n.contains('(')),
        "{names:?}"
    );
    assert!(names.contains(&"ok-chart.png".to_owned()), "{names:?}");
    assert!(site.post("assets/images/My Logo.png").is_file());
    let again = postdesk(&["normalize", root.to_str().unwrap()]);
    assert_eq!(out(&again), "nothing to normalize\n");
}

#[test]
fn lint_warns_of_an_image_without_alt_text() {
    let site = common::sample_site();
    let post = site.post("_posts/2023-04-05-postdesk-guide.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(
        &post,
        text + "\n![](/images/2023-02-22-gdata32/chart.png)\n\n<img src=\"/images/2023-02-22-gdata32/chart.png\" alt=\" \">\n\n![차트](/images/2023-02-22-gdata32/chart.png)\n",
    )
    .unwrap();
    let lint = postdesk(&["lint", post.to_str().unwrap()]);
    let said = out(&lint);
    let lines = std::fs::read_to_string(&post).unwrap().lines().count();
    // The two without alt text, each at its line (the image they share is named once for the
    // other checks); the one with alt text says nothing.
    let warnings: Vec<&str> = said
        .lines()
        .filter(|l| l.contains("has no alt text"))
        .collect();
    assert_eq!(warnings.len(), 2, "{said}");
    for (warning, line) in warnings.iter().zip([lines - 4, lines - 2]) {
        assert!(
            warning.ends_with(&format!(".md:{line}: warning: the image chart.png has no alt text: readers who cannot see it (screen readers, a failed load, search engines) get nothing")),
            "{said}"
        );
    }
    assert_eq!(lint.status.code(), Some(1));
}
