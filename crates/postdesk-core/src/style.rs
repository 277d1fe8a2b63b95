//! The site's own stylesheet, compiled as Jekyll compiles it but without Jekyll or the network:
//! `assets/css/main.scss` with its front matter taken off and its Liquid evaluated
//! (`minimal_mistakes_skin`), compiled by grass with imports from the site's `_sass/`, then from
//! the folder of the gem `theme:` names when it is installed. Compiled once per site and kept
//! until one of the files it read changes (or [`invalidate_style`]).
//! Not for: the page around a post (see `render::page`) or fetching themes (`remote_theme:`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde_yaml::Mapping;
use ts_rs::TS;
use wait_timeout::ChildExt;

use crate::post::Post;
use crate::render::render_site_file;
use crate::site::Site;

/// The stylesheet the preview shows a post in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SiteStyle {
    pub css: String,
    pub source: StyleSource,
}

/// Where [`SiteStyle::css`] comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum StyleSource {
    /// The stylesheet of the site (or of its theme gem), compiled.
    Theme,
    /// Postdesk's own plain style, and why the site's could not be used, with what would fix it.
    Plain { reason: String },
}

/// Postdesk's plain style: readable text, and the theme's classes a post uses (notices,
/// buttons, the TOC box) drawn simply. The one the preview's Plain shows (`ui/public/`).
pub const PLAIN_CSS: &str = include_str!("../../../ui/public/preview.css");

/// The site's stylesheet, compiled on first use and kept while the files it was made from do
/// not change.
pub fn site_style(site: &Site) -> Arc<SiteStyle> {
    let cache = || CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(kept) = cache().get(&site.root) {
        if kept.config == site.config && kept.inputs.iter().all(|(p, t)| modified(p) == *t) {
            return kept.style.clone();
        }
    }
    // Compiled without holding the cache: finding a theme gem runs bundle or gem (a second or
    // more), which must not hold up the watcher's `invalidate_style` or another site's style.
    let mut inputs = Vec::new();
    let style = Arc::new(compile(site, &mut inputs));
    cache().insert(
        site.root.clone(),
        Kept {
            config: site.config.clone(),
            inputs,
            style: style.clone(),
        },
    );
    style
}

/// The site's stylesheet as the window's preview shows it: box-shadows blurred by 2px or less are
/// drawn sharp. WebKitGTK paints a blurred shadow in software, over the whole box, whenever
/// something next to the box is repainted: minimal-mistakes' TOC box (`0 1px 1px`) of 100
/// entries cost ~100 ms of painting for each key typed in the heading below it (Site style at
/// 2.2× the plain style's keystroke latency; with the shadow sharp, 0.6–0.9×). A blur that small
/// does not show at 1:1; larger ones stay, and `render --target page` keeps the stylesheet as
/// compiled.
pub fn window_style(site: &Site) -> SiteStyle {
    let style = site_style(site);
    SiteStyle {
        css: sharpen_small_blurs(&style.css),
        source: style.source.clone(),
    }
}

/// `css` with the blur of each `box-shadow` (and `-webkit-box-shadow`) at most 2px set to 0.
fn sharpen_small_blurs(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("box-shadow:") {
        let start = at + "box-shadow:".len();
        let end = start + rest[start..].find([';', '}']).unwrap_or(rest.len() - start);
        out.push_str(&rest[..start]);
        out.push_str(&sharpen_shadows(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// One `box-shadow` value with its small blurs set to 0: in each shadow (commas outside
/// parentheses part them) the third length is the blur.
fn sharpen_shadows(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let (mut depth, mut lengths, mut word_start) = (0, 0, 0);
    let bytes = value.as_bytes();
    for i in 0..=bytes.len() {
        let c = bytes.get(i).copied();
        let ends_word = depth == 0 && matches!(c, None | Some(b' ' | b',' | b'\t' | b'\n'));
        if ends_word && word_start < i {
            let word = &value[word_start..i];
            let px = word.strip_suffix("px").unwrap_or(word);
            let length = (word == "0" || px.len() < word.len())
                .then(|| px.parse::<f64>().ok())
                .flatten();
            if length.is_some() {
                lengths += 1;
            }
            match length {
                Some(blur) if lengths == 3 && blur > 0.0 && blur <= 2.0 => out.push('0'),
                _ => out.push_str(word),
            }
        }
        if ends_word {
            word_start = i + 1;
            if let Some(c) = c {
                out.push(c as char);
            }
            if c == Some(b',') {
                lengths = 0;
            }
            continue;
        }
        match c {
            Some(b'(') => depth += 1,
            Some(b')') => depth -= 1,
            _ => {}
        }
    }
    out
}

/// Forgets the stylesheet kept for the site at `root`: the watcher calls it when a `.scss` file
/// or `_config.yml` of the site changes, so a file added next to the ones read is seen too.
pub fn invalidate_style(root: &Path) {
    CACHE.lock().unwrap_or_else(|e| e.into_inner()).remove(root);
}

/// Whether a changed file (site-relative, `/` separators) can change the site's stylesheet.
pub fn affects_style(rel: &str) -> bool {
    rel.ends_with(".scss") || rel.ends_with(".sass") || rel == "_config.yml"
}

struct Kept {
    config: Mapping,
    inputs: Inputs,
    style: Arc<SiteStyle>,
}

/// Every file a compile read or looked for, with its modification time taken before it was
/// read: a change made while the compile runs is seen by the next call.
type Inputs = Vec<(PathBuf, Option<SystemTime>)>;

fn noted(path: &Path) -> (PathBuf, Option<SystemTime>) {
    (path.to_owned(), modified(path))
}

static CACHE: LazyLock<Mutex<HashMap<PathBuf, Kept>>> = LazyLock::new(Default::default);

pub(crate) fn modified(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

fn plain(reason: String) -> SiteStyle {
    SiteStyle {
        css: PLAIN_CSS.to_owned(),
        source: StyleSource::Plain { reason },
    }
}

/// Where themes keep the stylesheet Jekyll compiles (minimal-mistakes, minima), from the
/// folder of the site or the theme.
const MAIN_SCSS: [&str; 2] = ["assets/css/main.scss", "assets/main.scss"];

/// Compiles the site's stylesheet, noting in `inputs` each file it read or looked for.
fn compile(site: &Site, inputs: &mut Inputs) -> SiteStyle {
    let theme = match site.setting("theme") {
        "" => None,
        name => Some((name, theme_folder(&site.root, name))),
    };
    let mut folders = vec![site.root.as_path()];
    let mut load_paths = vec![site.root.join("_sass")];
    if let Some((_, Ok(folder))) = &theme {
        folders.push(folder);
        load_paths.push(folder.join("_sass"));
    }
    // The site's own copy first, then the theme's.
    let found = folders.iter().find_map(|folder| {
        MAIN_SCSS.iter().map(|m| folder.join(m)).find(|main| {
            inputs.push(noted(main));
            main.is_file()
        })
    });
    let Some(main) = found else {
        return plain(missing_reason(site, theme.as_ref().map(|(n, f)| (*n, f))));
    };
    let text = match std::fs::read_to_string(&main) {
        Ok(text) => text,
        Err(e) => return plain(format!("{} could not be read: {e}", main.display())),
    };
    let source = match render_site_file(site, Post::split(&text).body) {
        Ok(source) => source,
        Err(e) => return plain(format!("{}: Liquid: {e}", main.display())),
    };
    let fs = Overlay {
        main: main.clone(),
        source,
        read: RefCell::default(),
    };
    let options = grass::Options::default()
        .fs(&fs)
        .style(grass::OutputStyle::Expanded)
        .load_paths(&load_paths)
        .quiet(true);
    let compiled = grass::from_path(&main, &options);
    inputs.extend(fs.read.take());
    match compiled {
        Ok(css) => SiteStyle {
            css: without_remote(&css),
            source: StyleSource::Theme,
        },
        Err(e) => {
            let mut reason = format!("{} does not compile: {e}", main.display());
            if let Some(hint) = remote_hint(site) {
                reason.push_str(&format!(" ({hint})"));
            }
            plain(reason)
        }
    }
}

/// Why there is no `main.scss` to compile, and what would give one.
fn missing_reason(site: &Site, theme: Option<(&str, &Result<PathBuf, String>)>) -> String {
    if let Some(hint) = remote_hint(site) {
        return hint;
    }
    match theme {
        Some((_, Err(why))) => why.clone(),
        Some((name, Ok(folder))) => format!(
            "the theme {name} ({}) has no assets/css/main.scss or assets/main.scss",
            folder.display()
        ),
        None => {
            "the site has no assets/css/main.scss (or assets/main.scss) and names no theme: gem"
                .to_owned()
        }
    }
}

fn remote_hint(site: &Site) -> Option<String> {
    match site.setting("remote_theme") {
        "" => None,
        name => Some(format!(
            "remote_theme: {name} is downloaded when GitHub Pages builds the site, and Postdesk \
             downloads nothing; copy the theme's _sass/ and assets/css/main.scss into the site \
             (or install its gem and name it in theme:) to see its style"
        )),
    }
}

/// The folder of the installed gem `name`: `bundle info --path` in the site (its Gemfile's
/// gems), else `gem contents --show-install-dir` (the machine's gems).
fn theme_folder(root: &Path, name: &str) -> Result<PathBuf, String> {
    let mut asks = vec![("gem", ["contents", "--show-install-dir", name])];
    if root.join("Gemfile").is_file() {
        asks.insert(0, ("bundle", ["info", "--path", name]));
    }
    for (program, args) in asks {
        let found = run(root, program, &args).map(|out| PathBuf::from(out.trim()));
        if let Some(dir) = found.filter(|dir| dir.join("_sass").is_dir()) {
            return Ok(dir);
        }
    }
    Err(format!(
        "theme: {name} is not installed on this machine (neither bundle info nor gem contents \
         finds it); run `bundle install` in the site folder, or copy the theme's _sass/ and \
         assets/css/main.scss into the site"
    ))
}

/// What `program args` prints when it succeeds within a few seconds.
fn run(dir: &Path, program: &str, args: &[&str]) -> Option<String> {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        stdout.read_to_string(&mut out).map(|_| out)
    });
    match child.wait_timeout(Duration::from_secs(20)) {
        Ok(Some(status)) if status.success() => reader.join().ok()?.ok(),
        Ok(Some(_)) => None,
        _ => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    }
}

/// The file system as grass sees it: `main.scss` as its Liquid made it, and every other file
/// as it is on disk, with the files read noted.
#[derive(Debug)]
struct Overlay {
    main: PathBuf,
    source: String,
    read: RefCell<Inputs>,
}

impl grass::Fs for Overlay {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if path == self.main {
            return Ok(self.source.as_bytes().to_vec());
        }
        self.read.borrow_mut().push(noted(path));
        std::fs::read(path)
    }
}

/// The compiled CSS without what would reach the network: plain CSS `@import`s (web fonts) and
/// declarations with a remote `url(…)`. Fonts then fall back to those on the machine.
fn without_remote(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let trimmed = line.trim_start();
        let remote = trimmed.starts_with("@import")
            || [
                "url(http:",
                "url(https:",
                "url(//",
                "url(\"http",
                "url('http",
                "url(\"//",
            ]
            .iter()
            .any(|u| trimmed.contains(u));
        if !remote {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_blurs_are_drawn_sharp_in_the_window() {
        let css = ".toc { -webkit-box-shadow: 0 1px 1px rgba(0, 0, 0, 0.125); box-shadow: 0 1px 1px rgba(0, 0, 0, 0.125); }\n\
                   .a{box-shadow:inset 0 1px 2px rgba(1,2,3,.05), 0 0 5px rgba(1, 2, 3, 0.7)}\n\
                   .b { box-shadow: 0 2px 4px 0 #000, 0 2px 1.5px 0 #111; }\n.c { box-shadow: none; }\n\
                   .d { box-shadow: 1px 1px red; color: #000 }";
        assert_eq!(
            sharpen_small_blurs(css),
            ".toc { -webkit-box-shadow: 0 1px 0 rgba(0, 0, 0, 0.125); box-shadow: 0 1px 0 rgba(0, 0, 0, 0.125); }\n\
             .a{box-shadow:inset 0 1px 0 rgba(1,2,3,.05), 0 0 5px rgba(1, 2, 3, 0.7)}\n\
             .b { box-shadow: 0 2px 4px 0 #000, 0 2px 0 0 #111; }\n.c { box-shadow: none; }\n\
             .d { box-shadow: 1px 1px red; color: #000 }"
        );
    }
    use std::fs;

    fn site_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let site = Site::open(dir.path()).unwrap();
        (dir, site)
    }

    const MAIN: &str = "---\n---\n@import \"skins/{{ site.skin | default: 'plain' }}\";\n\
                        @import url(https://fonts.example/css);\n\
                        p { color: $text; background: url(https://cdn.example/x.png); }\n";

    #[test]
    fn compiles_main_scss_with_its_liquid_and_the_sites_sass() {
        let (_dir, site) = site_with(&[
            ("_config.yml", "skin: dark\n"),
            ("assets/css/main.scss", MAIN),
            ("_sass/skins/_dark.scss", "$text: #eee;\n"),
        ]);
        let style = site_style(&site);
        assert_eq!(style.source, StyleSource::Theme);
        assert!(style.css.contains("color: #eee;"), "{}", style.css);
        assert!(!style.css.contains("http"), "{}", style.css);
    }

    #[test]
    fn recompiles_when_a_file_it_read_changes() {
        let (dir, site) = site_with(&[
            ("_config.yml", "title: t\n"),
            ("assets/css/main.scss", MAIN),
            ("_sass/skins/_plain.scss", "$text: #111;\n"),
        ]);
        assert!(site_style(&site).css.contains("#111"));
        let skin = dir.path().join("_sass/skins/_plain.scss");
        fs::write(&skin, "$text: #222;\n").unwrap();
        let later = SystemTime::now() + Duration::from_secs(5);
        fs::File::options()
            .write(true)
            .open(&skin)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert!(site_style(&site).css.contains("#222"));
    }

    #[test]
    fn remote_theme_gives_the_plain_style_and_says_why() {
        let (_dir, site) = site_with(&[("_config.yml", "remote_theme: mmistakes/mm@4.24.0\n")]);
        let style = site_style(&site);
        assert_eq!(style.css, PLAIN_CSS);
        let StyleSource::Plain { reason } = &style.source else {
            panic!("{style:?}")
        };
        assert!(
            reason.contains("remote_theme: mmistakes/mm@4.24.0"),
            "{reason}"
        );
    }

    #[test]
    fn a_theme_gem_not_installed_is_named() {
        let (_dir, site) = site_with(&[("_config.yml", "theme: no-such-theme-gem-xyz\n")]);
        let StyleSource::Plain { reason } = &site_style(&site).source else {
            panic!()
        };
        assert!(
            reason.contains("theme: no-such-theme-gem-xyz is not installed"),
            "{reason}"
        );
    }
}
