//! New posts: a plain one with the site's defaults, or the next issue of a series made from the
//! previous one ("[Global_Data_Issue] 2023년 3월", `gdata33` → "2023년 4월", `gdata34`), with its
//! images folder ready.
//! Not for: editing an existing post's front matter (see `front_matter`).

use std::fs;

use serde::{Deserialize, Serialize};
use serde_yaml::Value;
use ts_rs::TS;

use crate::document;
use crate::front_matter::{self, FmError};
use crate::permalink::slugify;
use crate::post::Post;
use crate::site::{date_prefix, Site, SiteError};

#[derive(Debug, thiserror::Error)]
pub enum NewPostError {
    #[error("{0} already exists; pick another title or date")]
    Exists(String),
    #[error("`{0}` is not a date; write it as YYYY-MM-DD")]
    BadDate(String),
    #[error("the title gives no file name; use letters or digits in it")]
    NoSlug,
    #[error("the post to copy has front matter Postdesk cannot read: {0}")]
    FrontMatter(#[from] FmError),
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error("{path} could not be created: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// A post about to be created: where, and its text. Shown to the writer before it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewPost {
    /// From the site root: `_posts/2023-04-22-gdata34.md`.
    pub path: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The images folder made for it: `images/2023-04-22-gdata34`.
    pub images: String,
    pub text: String,
}

/// Today in the site's `timezone` (the computer's when the site sets none), as Jekyll dates posts.
pub fn today(site: &Site) -> String {
    let zone = crate::dates::site_zone(site);
    jiff::Timestamp::now().to_zoned(zone).date().to_string()
}

/// A new post titled `title` that takes everything else from the site's `defaults:`.
pub fn plain(site: &Site, title: &str, date: &str) -> Result<NewPost, NewPostError> {
    check_date(date)?;
    let text = front_matter::set("---\n---\n\n", "title", Value::String(title.to_owned()))?;
    let stem = format!("{date}-{}", slug(title).ok_or(NewPostError::NoSlug)?);
    finish(site, &stem, title, date, text)
}

/// The next post of the series `previous` (a path from the site root) belongs to: its front
/// matter with the title and numbering advanced and `date` moved to `date`. The body is empty, or
/// keeps the previous post's headings when `sections` is set.
pub fn like(
    site: &Site,
    previous: &str,
    title: Option<&str>,
    date: &str,
    sections: bool,
) -> Result<NewPost, NewPostError> {
    check_date(date)?;
    let old = site.read_post(previous)?;
    let map = front_matter::read(&old)?;
    let old_title = map.get("title").and_then(Value::as_str).unwrap_or("");
    let title = match title {
        Some(t) => t.to_owned(),
        None => advance(old_title).unwrap_or_else(|| old_title.to_owned()),
    };
    let post = Post::split(&old);
    let mut text = match post.front_matter {
        Some(fm) => format!("---\n{fm}---\n\n"),
        None => "---\n---\n\n".to_owned(),
    };
    text = front_matter::set(&text, "title", Value::String(title.clone()))?;
    if let Some(Value::String(d)) = map.get("date") {
        let moved = match date_prefix(d) {
            Some(_) => format!("{date}{}", &d[10..]),
            None => date.to_owned(),
        };
        text = front_matter::set(&text, "date", Value::String(moved))?;
    }
    text = front_matter::unset(&text, "last_modified_at")?;
    if sections {
        text.push_str(&headings(post.body));
    }
    let name = previous.rsplit('/').next().unwrap_or(previous);
    let old_stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let old_slug =
        date_prefix(old_stem).map_or(old_stem, |_| old_stem[10..].trim_start_matches('-'));
    let new_slug = match advance_number(old_slug) {
        Some(s) => s,
        None => slug(&title).ok_or(NewPostError::NoSlug)?,
    };
    finish(site, &format!("{date}-{new_slug}"), &title, date, text)
}

/// Writes `post` (never over an existing file) and makes its images folder.
pub fn create(site: &Site, post: &NewPost) -> Result<(), NewPostError> {
    let file = site.file(&post.path)?;
    if file.exists() {
        return Err(NewPostError::Exists(post.path.clone()));
    }
    let write_err = |path: &str| {
        let path = path.to_owned();
        move |source| NewPostError::Write { path, source }
    };
    if let Some(dir) = file.parent() {
        fs::create_dir_all(dir).map_err(write_err(&post.path))?;
    }
    fs::create_dir_all(site.file(&post.images)?).map_err(write_err(&post.images))?;
    document::write_atomic(&file, post.text.as_bytes()).map_err(write_err(&post.path))
}

fn finish(
    site: &Site,
    stem: &str,
    title: &str,
    date: &str,
    text: String,
) -> Result<NewPost, NewPostError> {
    let path = format!("_posts/{stem}.md");
    if site.file(&path)?.exists() {
        return Err(NewPostError::Exists(path));
    }
    Ok(NewPost {
        path,
        title: title.to_owned(),
        date: date.to_owned(),
        images: format!("images/{stem}"),
        text,
    })
}

fn check_date(date: &str) -> Result<(), NewPostError> {
    match date.parse::<jiff::civil::Date>() {
        Ok(_) if date.len() == 10 => Ok(()),
        _ => Err(NewPostError::BadDate(date.to_owned())),
    }
}

/// The previous post's headings, outside code blocks, each followed by a blank line.
fn headings(body: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        match fence {
            Some(f) if t.starts_with(f) => fence = None,
            Some(_) => {}
            None if t.starts_with("```") || t.starts_with("~~~") => fence = Some(&t[..3]),
            None if line.starts_with('#') && line.trim_start_matches('#').starts_with(' ') => {
                out.push_str(line);
                out.push_str("\n\n");
            }
            None => {}
        }
    }
    out
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The title of the next issue: a month moved on (`2023년 3월`, `March 2023`, `2023-03`), else the
/// last number counted up (`Issue 33` → `Issue 34`). `None` when the title shows no series.
pub fn advance(title: &str) -> Option<String> {
    advance_korean_month(title)
        .or_else(|| advance_english_month(title))
        .or_else(|| advance_iso_month(title))
        .or_else(|| advance_number(title))
}

/// Digit runs of `s` as byte ranges.
fn numbers(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn next_month(year: u32, month: u32) -> (u32, u32) {
    if month >= 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

fn advance_korean_month(t: &str) -> Option<String> {
    let nums = numbers(t);
    nums.windows(2).find_map(|w| {
        let ((ys, ye), (ms, me)) = (w[0], w[1]);
        let between = &t[ye..ms];
        let ok = ye - ys == 4 && between.trim() == "년" && t[me..].starts_with('월');
        let month: u32 = t[ms..me]
            .parse()
            .ok()
            .filter(|m| (1..=12).contains(m) && ok)?;
        let (y, m) = next_month(t[ys..ye].parse().ok()?, month);
        Some(format!("{}{y}{between}{m}{}", &t[..ys], &t[me..]))
    })
}

fn advance_english_month(t: &str) -> Option<String> {
    for (i, name) in MONTHS.iter().enumerate() {
        let Some(at) = t.find(name) else { continue };
        let after = &t[at + name.len()..];
        let digits = after.trim_start_matches(' ');
        let year_len = digits.bytes().take_while(u8::is_ascii_digit).count();
        if year_len != 4 {
            continue;
        }
        let year: u32 = digits[..4].parse().ok()?;
        let (y, m) = next_month(year, i as u32 + 1);
        let gap = &after[..after.len() - digits.len()];
        return Some(format!(
            "{}{}{gap}{y}{}",
            &t[..at],
            MONTHS[m as usize - 1],
            &digits[4..]
        ));
    }
    None
}

fn advance_iso_month(t: &str) -> Option<String> {
    let nums = numbers(t);
    nums.windows(2).find_map(|w| {
        let ((ys, ye), (ms, me)) = (w[0], w[1]);
        let sep = &t[ye..ms];
        let ok = ye - ys == 4 && me - ms == 2 && (sep == "-" || sep == ".");
        // `2023-03-22` is a day, not a month of a series.
        let followed_by_day =
            t[me..].starts_with(sep) && t[me + 1..].starts_with(|c: char| c.is_ascii_digit());
        let month: u32 = t[ms..me]
            .parse()
            .ok()
            .filter(|m| (1..=12).contains(m) && ok && !followed_by_day)?;
        let (y, m) = next_month(t[ys..ye].parse().ok()?, month);
        Some(format!("{}{y}{sep}{m:02}{}", &t[..ys], &t[me..]))
    })
}

/// `s` with its last number counted up, keeping zero padding (`gdata33` → `gdata34`, `ep09` → `ep10`).
fn advance_number(s: &str) -> Option<String> {
    let (start, end) = *numbers(s).last()?;
    let n: u64 = s[start..end].parse().ok()?;
    let width = end - start;
    Some(format!("{}{:0width$}{}", &s[..start], n + 1, &s[end..]))
}

/// A file name slug of a title, as Jekyll's `slugify` makes it (NFC first: a name typed on macOS
/// is NFD); `None` when nothing is left.
fn slug(title: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let slug = slugify(&title.nfc().collect::<String>(), false);
    (!slug.is_empty()).then_some(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_advance_by_their_pattern() {
        assert_eq!(
            advance("[Global_Data_Issue] 2023년 3월").unwrap(),
            "[Global_Data_Issue] 2023년 4월"
        );
        assert_eq!(advance("2023년 12월 이슈").unwrap(), "2024년 1월 이슈");
        assert_eq!(advance("News, March 2023").unwrap(), "News, April 2023");
        assert_eq!(advance("Digest 2023-12").unwrap(), "Digest 2024-01");
        assert_eq!(advance("Issue 09").unwrap(), "Issue 10");
        assert_eq!(advance("Hello"), None);
        assert_eq!(advance_number("gdata33").unwrap(), "gdata34");
        assert_eq!(
            slug("Writing with Postdesk!").unwrap(),
            "writing-with-postdesk"
        );
        assert_eq!(slug("데이터 이야기").unwrap(), "데이터-이야기");
        assert_eq!(slug("!!!"), None);
    }

    #[test]
    fn only_headings_outside_code_are_kept() {
        let body = "\n# 머리말\ntext\n```\n# not a heading\n```\n## 1. 데이터\n#nospace\n";
        assert_eq!(headings(body), "# 머리말\n\n## 1. 데이터\n\n");
    }
}
