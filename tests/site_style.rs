//! The site's style against real Jekyll: a temp site made of the minimal-mistakes theme as
//! writers vendor it (`../shared/themes/minimal-mistakes-4.27.3/`) and the sample posts, built by
//! `jekyll build` (Debian's Jekyll 4.3, libsass) for three skins; the stylesheet in Postdesk's
//! `render --target page` must hold ≥ 95 % of the style rules of Jekyll's `main.css` with equal
//! declarations (`../shared/tools/css_agree.py`). Nothing is downloaded: every process runs with
//! a proxy that refuses connections.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, postdesk_command};

const THEME: &str = "../shared/themes/minimal-mistakes-4.27.3";
const SEED: &str = "_posts/2023-03-22-gdata33.md";
const MIN_AGREEMENT: f64 = 95.0;
/// Any attempt to reach the network fails at once.
const NO_NETWORK: [(&str, &str); 4] = [
    ("http_proxy", "http://127.0.0.1:9"),
    ("https_proxy", "http://127.0.0.1:9"),
    ("HTTP_PROXY", "http://127.0.0.1:9"),
    ("HTTPS_PROXY", "http://127.0.0.1:9"),
];

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The theme's files and the sample posts, with `_config.yml` naming `skin` and no
/// `remote_theme:`, and only the plugins installed on this machine.
fn vendored_site(dir: &Path, skin: &str) -> PathBuf {
    let root = dir.join(skin);
    let theme = manifest().join(THEME);
    for part in ["_sass", "_includes", "_layouts", "_data", "assets"] {
        copy_dir(&theme.join(part), &root.join(part));
    }
    for part in ["_posts", "images"] {
        copy_dir(&manifest().join("posts").join(part), &root.join(part));
    }
    let config = fs::read_to_string(manifest().join("posts/_config.yml")).unwrap();
    let config: Vec<String> = config
        .lines()
        .filter(|l| !l.starts_with("remote_theme:"))
        .filter(|l| match l.strip_prefix("  - jekyll-") {
            Some(plugin) => installed(&format!("jekyll-{plugin}")),
            None => true,
        })
        .map(|l| match l.starts_with("minimal_mistakes_skin:") {
            true => format!("minimal_mistakes_skin: \"{skin}\""),
            false => l.to_owned(),
        })
        .collect();
    fs::write(root.join("_config.yml"), config.join("\n") + "\n").unwrap();
    root
}

fn installed(gem: &str) -> bool {
    Command::new("gem")
        .args(["list", "-i", &format!("^{gem}$")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `css rules agreeing: N/M (P%)` of css_agree.py, and P.
fn agreement(real_css: &Path, page: &Path) -> (String, f64) {
    // Debian's python3-tinycss2 is in the system Python, which another python3 on PATH hides.
    let python = ["python3", "/usr/bin/python3"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .args(["-c", "import tinycss2"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("a python3 with tinycss2 (Debian package python3-tinycss2)");
    let out = Command::new(python)
        .arg(manifest().join("../shared/tools/css_agree.py"))
        .args([real_css, page])
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(
        out.status.success(),
        "css_agree.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let percent = text
        .rsplit_once('(')
        .and_then(|(_, p)| p.trim_end_matches("%)").parse().ok())
        .unwrap_or_else(|| panic!("unexpected css_agree output: {text}"));
    (text, percent)
}

/// `jekyll build` of the site at `root`, which must succeed.
fn jekyll_build(root: &Path) {
    let jekyll = Command::new("jekyll")
        .args(["build", "--quiet"])
        .current_dir(root)
        .envs(NO_NETWORK)
        .output()
        .expect("jekyll runs (Debian package jekyll)");
    assert!(
        jekyll.status.success(),
        "jekyll build failed: {}",
        String::from_utf8_lossy(&jekyll.stderr)
    );
}

/// `postdesk render --target page POST`, which must succeed and say nothing on stderr.
fn render_page(post: &Path) -> String {
    let page = postdesk_command(&[
        "render".as_ref(),
        "--target".as_ref(),
        "page".as_ref(),
        post.as_os_str(),
    ])
    .envs(NO_NETWORK)
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&page.stderr);
    assert!(page.status.success() && stderr.is_empty(), "{stderr}");
    String::from_utf8(page.stdout).unwrap()
}

#[test]
fn the_page_stylesheet_agrees_with_jekylls_for_three_skins() {
    let dir = tempfile::tempdir().unwrap();
    let mut figures = Vec::new();
    for skin in ["default", "air", "contrast"] {
        let root = vendored_site(dir.path(), skin);
        jekyll_build(&root);
        let html = render_page(&root.join(SEED));
        for remote in ["<script", "src=\"http", "url(http", "url(\"http", "@import"] {
            assert!(!html.contains(remote), "{skin}: the page holds {remote}");
        }
        let page_file = dir.path().join(format!("{skin}.html"));
        fs::write(&page_file, &html).unwrap();
        let (text, percent) = agreement(&root.join("_site/assets/css/main.css"), &page_file);
        eprintln!("{skin}: {text}");
        figures.push((skin, text, percent));
    }
    for (skin, text, percent) in &figures {
        assert!(
            *percent >= MIN_AGREEMENT,
            "{skin}: {text}, below {MIN_AGREEMENT} %"
        );
    }
}

/// A site that keeps no theme files but names an installed theme gem (`theme: minima`, which
/// Debian's Jekyll brings): the stylesheet and its imports come from the gem's folder.
#[test]
fn a_theme_gem_installed_on_the_machine_gives_its_stylesheet() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("_posts")).unwrap();
    fs::write(root.join("_config.yml"), "title: Blog\ntheme: minima\n").unwrap();
    let post = root.join("_posts/2023-03-22-hello.md");
    fs::write(
        &post,
        "---\nlayout: post\ntitle: 안녕\n---\n\n# 머리말\n\n본문.\n",
    )
    .unwrap();
    jekyll_build(root);
    let html = render_page(&post);
    let page_file = root.join("page.html");
    fs::write(&page_file, html).unwrap();
    let (text, percent) = agreement(&root.join("_site/assets/main.css"), &page_file);
    eprintln!("theme: minima (gem): {text}");
    assert!(percent >= MIN_AGREEMENT, "{text}");
}
