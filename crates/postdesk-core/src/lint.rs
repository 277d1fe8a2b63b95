//! What is wrong with a post before it is published: front matter that does not parse, a missing
//! title or date, a date Jekyll leaves for later, a key given twice (in the front matter or
//! `_config.yml`), images that are missing, written with backslashes, badly named or too heavy,
//! and Liquid that does not render.
//! Each problem says where it is and, when one exists, the fix. `postdesk lint` prints these;
//! Publish checks them first.
//! Not for: fixing images (the image manager does that) or rendering (see `render`).

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};
use ts_rs::TS;

use crate::dates;
use crate::front_matter;
use crate::render::{self, ImageResolver, SiteImage, Target};
use crate::site::{date_prefix, Site};
use crate::yaml::DuplicateKey;

/// Images heavier than this are reported (the writers' 1198×595 screenshot weighed 996 KB).
pub const IMAGE_SIZE_LIMIT: u64 = 500 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Severity {
    /// Publishing would give a broken page: fix it first.
    Error,
    /// Works, but should be fixed: publishing anyway is the writer's call.
    Warning,
}

/// A change that fixes a problem in one click.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Fix {
    /// Set a front-matter field.
    SetField {
        key: String,
        #[ts(type = "unknown")]
        value: Value,
    },
    /// Normalize the post's images (see `normalize`): links, names, sizes.
    Normalize,
}

/// A problem the window says in the writer's language (other problems it shows as `message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum KnownProblem {
    /// The post is dated later than now and the site has `future: false`.
    HeldUntil { date: String },
    /// An image shown without alt text (`![](…)`, `<img>` without `alt`): the image's name.
    NoAlt { image: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Problem {
    pub severity: Severity,
    /// 1-based line of the post, when the problem has one.
    pub line: Option<u32>,
    pub message: String,
    pub fix: Option<Fix>,
    /// The problem in a form the window words in the writer's language.
    pub known: Option<KnownProblem>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.line {
            Some(line) => write!(f, "{line}: {kind}: {}", self.message),
            None => write!(f, "{kind}: {}", self.message),
        }
    }
}

/// The problems of the post at `rel` whose text is `text`, errors first.
pub fn check_post(site: &Site, rel: &str, text: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let problem = |severity, line: Option<usize>, message: String, fix| Problem {
        severity,
        line: line.map(|l| l as u32),
        message,
        fix,
        known: None,
    };
    let (front, duplicates) = match front_matter::read_with_duplicates(text) {
        Ok(read) => read,
        Err(e) => {
            let (line, _) = e.position();
            problems.push(problem(Severity::Error, Some(line), e.to_string(), None));
            (Mapping::new(), Vec::new())
        }
    };
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let title = front
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim();
    if problems.is_empty() && title.is_empty() {
        let guess = date_prefix(stem).map_or(stem, |_| stem[10..].trim_start_matches('-'));
        problems.push(problem(
            Severity::Error,
            None,
            "the post has no title".to_owned(),
            Some(Fix::SetField {
                key: "title".to_owned(),
                value: Value::String(guess.replace(['-', '_'], " ")),
            }),
        ));
    }
    for d in duplicates {
        problems.push(problem(
            Severity::Warning,
            Some(d.line),
            given_twice(&d),
            None,
        ));
    }
    if rel.starts_with("_posts/") && date_prefix(stem).is_none() {
        problems.push(problem(
            Severity::Error,
            None,
            format!(
                "Jekyll skips {name}: a post's file name must start with its date (YYYY-MM-DD-)"
            ),
            None,
        ));
    }
    if let Some(held) = dates::held_back(site, rel, text, jiff::Timestamp::now()) {
        problems.push(Problem {
            known: Some(KnownProblem::HeldUntil {
                date: held.until.clone(),
            }),
            ..problem(
                Severity::Warning,
                held.line,
                format!(
                    "Jekyll will not publish this post until {}: the site has `future: false`",
                    held.until
                ),
                None,
            )
        });
    }
    let rendered = render::render_post(site, &site.root.join(rel), text, &Target::Site);
    // The renderer reports a broken front matter too: it is listed once, above.
    let front_matter_error = problems.first().map(|p| p.message.clone());
    for d in &rendered.diagnostics {
        if Some(&d.message) != front_matter_error.as_ref() {
            problems.push(problem(
                Severity::Error,
                Some(d.line as usize),
                d.message.clone(),
                None,
            ));
        }
    }
    let resolver = ImageResolver::new(site, &site.root.join(rel), "");
    let mut seen = Vec::new();
    for (src, alt) in image_sources(&rendered.html) {
        // The n-th image showing a file is on the n-th line naming it.
        let nth = seen.iter().filter(|s| **s == src).count();
        let line = line_of(text, &src, nth);
        if alt.is_none_or(|a| a.trim().is_empty()) {
            let image = src.rsplit(['/', '\\']).next().unwrap_or(&src);
            let image = percent_encoding::percent_decode_str(image)
                .decode_utf8_lossy()
                .into_owned();
            problems.push(Problem {
                known: Some(KnownProblem::NoAlt {
                    image: image.clone(),
                }),
                ..problem(
                    Severity::Warning,
                    line,
                    format!("the image {image} has no alt text: readers who cannot see it (screen readers, a failed load, search engines) get nothing"),
                    None,
                )
            });
        }
        let first = nth == 0;
        seen.push(src.clone());
        if !first {
            continue;
        }
        let found = resolver.find(&src);
        if src.contains('\\') {
            let shown = match &found {
                SiteImage::Found(f) | SiteImage::Missing(f) => f.as_str(),
                SiteImage::Elsewhere => src.as_str(),
            };
            problems.push(problem(
                Severity::Warning,
                line,
                format!("the link to {shown} is written with backslashes (\\); write `/` so that every tool finds it"),
                Some(Fix::Normalize),
            ));
        }
        match found {
            SiteImage::Found(file) => {
                let file_name = file.rsplit('/').next().unwrap_or(&file);
                if !safe_name(file_name) {
                    problems.push(problem(
                        Severity::Warning,
                        line,
                        format!("{file} has spaces or signs in its name that links must escape"),
                        Some(Fix::Normalize),
                    ));
                }
                let size = std::fs::metadata(site.root.join(&file)).map_or(0, |m| m.len());
                if size > IMAGE_SIZE_LIMIT {
                    problems.push(problem(
                        Severity::Warning,
                        line,
                        format!(
                            "{file} weighs {} KB (more than {} KB): readers wait for it",
                            size / 1024,
                            IMAGE_SIZE_LIMIT / 1024
                        ),
                        Some(Fix::Normalize),
                    ));
                }
            }
            SiteImage::Missing(file) => problems.push(problem(
                Severity::Error,
                line,
                format!("{file} is missing"),
                None,
            )),
            SiteImage::Elsewhere => {}
        }
    }
    problems.sort_by_key(|p| (p.severity != Severity::Error, p.line));
    problems
}

/// A key given twice, as a writer can act on it.
fn given_twice(d: &DuplicateKey) -> String {
    format!(
        "`{}` is set twice (lines {} and {}): Jekyll uses the last one; remove the other",
        d.key, d.first_line, d.line
    )
}

/// The keys `_config.yml` gives twice, as problems of that file.
pub fn check_config(site: &Site) -> Vec<Problem> {
    site.config_duplicates
        .iter()
        .map(|d| Problem {
            severity: Severity::Warning,
            line: Some(d.line as u32),
            message: given_twice(d),
            fix: None,
            known: None,
        })
        .collect()
}

/// The `src` of every `<img>` in published HTML, unescaped.
fn image_sources(html: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        rest = &rest[at + 4..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        let attribute = |name: &str| {
            let s = tag.find(name).map(|i| &tag[i + name.len()..])?;
            Some(
                s[..s.find('"').unwrap_or(s.len())]
                    .replace("&amp;", "&")
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
            )
        };
        if let Some(src) = attribute(" src=\"") {
            out.push((src, attribute(" alt=\"")));
        }
    }
    out
}

/// The `nth` (from 0) line of `text` that names the file of `src` (as written, or
/// percent-decoded), else the first.
fn line_of(text: &str, src: &str, nth: usize) -> Option<usize> {
    let name = src.rsplit(['/', '\\']).next().filter(|n| !n.is_empty())?;
    let decoded = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
    let naming = |l: &&str| l.contains(name) || l.contains(decoded.as_ref());
    let lines = || text.lines().enumerate().filter(|(_, l)| naming(l));
    lines()
        .nth(nth)
        .or_else(|| lines().next())
        .map(|(i, _)| i + 1)
}

/// A file name that needs no escaping in a link: letters (Hangul too), digits, `-`, `_`, `.`.
pub fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The problems of `_config.yml` and of every post of `site` (or of the one post `only`), by
/// file; `_config.yml` is listed only when it has problems.
pub fn check_site(site: &Site, only: Option<&Path>) -> Vec<(String, Vec<Problem>)> {
    let rels: Vec<String> = match only {
        Some(file) => vec![site.relative(file)],
        None => site.posts().into_iter().map(|p| p.path).collect(),
    };
    let config = check_config(site);
    let config = (!config.is_empty()).then(|| ("_config.yml".to_owned(), config));
    let posts = rels.into_iter().map(|rel| {
        let problems = match site.read_post(&rel) {
            Ok(text) => check_post(site, &rel, &text),
            Err(e) => vec![Problem {
                severity: Severity::Error,
                line: None,
                message: e.to_string(),
                fix: None,
                known: None,
            }],
        };
        (rel, problems)
    });
    config.into_iter().chain(posts).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `_config.yml` shaped like the Korean blog's: a second `kramdown:` on line 16.
    const CONFIG: &str = "title: 블로그\nlocale: ko-KR\nurl: https://x.github.io\n\
        markdown: kramdown\nkramdown:\n  input: GFM\n  hard_wrap: false\n\
        highlighter: rouge\npaginate: 5\ntimezone: Asia/Seoul\ninclude:\n  - _pages\n\
        plugins:\n  - jekyll-feed\n\nkramdown:\n  syntax_highlighter_opts:\n    disable: true\n";

    #[test]
    fn a_key_given_twice_is_a_warning_on_its_second_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("_config.yml"), CONFIG).unwrap();
        std::fs::create_dir(dir.path().join("_posts")).unwrap();
        let post =
            "---\ntitle: 첫 글\ntoc: yes\ncategories: [a]\ntitle: 두 번째 제목\n---\n# 머리말\n";
        std::fs::write(dir.path().join("_posts/2023-03-22-p.md"), post).unwrap();
        let site = Site::open(dir.path()).unwrap();
        let report = check_site(&site, None);
        assert_eq!(report.len(), 2);
        let (file, problems) = &report[0];
        assert_eq!(file, "_config.yml");
        assert_eq!(
            problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["16: warning: `kramdown` is set twice (lines 5 and 16): Jekyll uses the last one; remove the other"]
        );
        let (file, problems) = &report[1];
        assert_eq!(file, "_posts/2023-03-22-p.md");
        assert_eq!(
            problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["5: warning: `title` is set twice (lines 2 and 5): Jekyll uses the last one; remove the other"]
        );
        // The post renders as Jekyll renders it (Debian's Jekyll 4.3.1 gives this paragraph).
        let rendered = site
            .render_post(
                "_posts/2023-03-22-p.md",
                &post.replace("# 머리말", "{{ page.title }} {{ page.toc }}"),
                &Target::Site,
            )
            .unwrap();
        assert_eq!(rendered.html, "<p>두 번째 제목 true</p>\n");
        assert!(rendered.diagnostics.is_empty());
    }
}
