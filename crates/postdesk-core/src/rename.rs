//! Giving a post another date or slug, or publishing a draft (`_drafts/x.md` to
//! `_posts/<date>-x.md`): its file, its `images/<stem>/` folder, the links to that folder in the
//! post and its front-matter `date` change together, all or nothing.
//! Not for: creating posts (see `new_post`) or renaming single images (see the image manager).

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_yaml::Value;
use ts_rs::TS;

use crate::document;
use crate::front_matter::{self, FmError};
use crate::new_post;
use crate::publish;
use crate::site::{date_prefix, Site, SiteError};

#[derive(Debug, thiserror::Error)]
pub enum RenameError {
    #[error("{0} already exists; pick another date or name")]
    Exists(String),
    #[error("`{0}` is not a date; write it as YYYY-MM-DD")]
    BadDate(String),
    #[error("`{0}` cannot be a file name: use letters, digits and `-`")]
    BadSlug(String),
    #[error("{0}")]
    FrontMatter(#[from] FmError),
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error("{path} could not be moved, nothing was changed: {source}")]
    Move {
        path: String,
        source: std::io::Error,
    },
}

/// What a rename will do, shown to the writer before it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RenamePlan {
    pub from: String,
    pub to: String,
    /// The images folder and where it goes, when the post has one.
    pub images: Option<(String, String)>,
    /// How many links to the images folder the post's text has (all are rewritten).
    pub links: u32,
    /// The post's text after the rename.
    pub text: String,
}

/// Why a draft cannot be published, in a form the window says in the writer's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum DraftProblem {
    /// A post or an images folder is already where the draft would go.
    #[error("{path} already exists; rename the draft or give it another date, then publish it")]
    TargetExists { path: String },
    #[error("{path} is not a draft: drafts are the files in _drafts/")]
    NotADraft { path: String },
    #[error("{message}")]
    Other { message: String },
}

impl From<RenameError> for DraftProblem {
    fn from(e: RenameError) -> DraftProblem {
        match e {
            RenameError::Exists(path) => DraftProblem::TargetExists { path },
            other => DraftProblem::Other {
                message: other.to_string(),
            },
        }
    }
}

/// The rename of the post at `rel` to `date` and/or `slug` (each defaults to the current one).
pub fn plan(
    site: &Site,
    rel: &str,
    date: Option<&str>,
    slug: Option<&str>,
) -> Result<RenamePlan, RenameError> {
    let dir = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    plan_into(site, rel, dir, date, slug)
}

/// The move of the draft at `rel` (`_drafts/x.md`) to `_posts/<date>-x.md`, dated by its
/// front-matter `date`, else today in the site's time zone. `apply` does it.
pub fn plan_publish_draft(site: &Site, rel: &str) -> Result<RenamePlan, DraftProblem> {
    let inner = rel
        .strip_prefix("_drafts/")
        .ok_or_else(|| DraftProblem::NotADraft {
            path: rel.to_owned(),
        })?;
    let text = site.read_post(rel).map_err(RenameError::from)?;
    let date = match front_matter::get(&text, "date").map_err(RenameError::from)? {
        Some(Value::String(d)) => date_prefix(&d).map(str::to_owned),
        _ => None,
    }
    .unwrap_or_else(|| new_post::today(site));
    let dir = match inner.rsplit_once('/') {
        Some((sub, _)) => format!("_posts/{sub}"),
        None => "_posts".to_owned(),
    };
    Ok(plan_into(site, rel, &dir, Some(&date), None)?)
}

/// The move of the post at `rel` into the folder `dir`, to `date` and/or `slug`.
fn plan_into(
    site: &Site,
    rel: &str,
    dir: &str,
    date: Option<&str>,
    slug: Option<&str>,
) -> Result<RenamePlan, RenameError> {
    let text = site.read_post(rel)?;
    let name = rel.rsplit_once('/').map_or(rel, |(_, name)| name);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, "md"));
    let old_date = date_prefix(stem);
    let old_slug = old_date.map_or(stem, |_| stem[10..].trim_start_matches('-'));
    let date = date.or(old_date);
    if let Some(d) = date {
        if d.len() != 10 || d.parse::<jiff::civil::Date>().is_err() {
            return Err(RenameError::BadDate(d.to_owned()));
        }
    }
    let slug = slug.unwrap_or(old_slug);
    let bad = |c: char| c.is_whitespace() || c.is_control() || "/\\:*?\"<>|#%".contains(c);
    if slug.is_empty() || slug.contains(bad) || slug.starts_with('.') {
        return Err(RenameError::BadSlug(slug.to_owned()));
    }
    let new_stem = match date {
        Some(d) => format!("{d}-{slug}"),
        None => slug.to_owned(),
    };
    let to = if dir.is_empty() {
        format!("{new_stem}.{ext}")
    } else {
        format!("{dir}/{new_stem}.{ext}")
    };
    if to != rel && site.file(&to)?.exists() {
        return Err(RenameError::Exists(to));
    }
    let images_dir = format!("images/{stem}");
    let images = site
        .file(&images_dir)?
        .is_dir()
        .then(|| (images_dir, format!("images/{new_stem}")));
    if let Some((_, to_dir)) = &images {
        if to != rel && site.file(to_dir)?.exists() {
            return Err(RenameError::Exists(to_dir.clone()));
        }
    }
    let mut new_text = text.clone();
    let mut links = 0;
    if new_stem != stem {
        for sep in ['/', '\\'] {
            let old = format!("images{sep}{stem}{sep}");
            links += new_text.matches(&old).count() as u32;
            new_text = new_text.replace(&old, &format!("images{sep}{new_stem}{sep}"));
        }
    }
    if let (Some(d), Some(Value::String(old))) = (date, front_matter::get(&text, "date")?) {
        if date_prefix(&old).is_some_and(|o| o != d) {
            let moved = format!("{d}{}", &old[10..]);
            new_text = front_matter::set(&new_text, "date", Value::String(moved))?;
        }
    }
    Ok(RenamePlan {
        from: rel.to_owned(),
        to,
        images,
        links,
        text: new_text,
    })
}

/// Does `plan`: the images folder moves, the new post is written, the old file goes. When a
/// step fails, the steps before it are undone.
pub fn apply(site: &Site, plan: &RenamePlan) -> Result<(), RenameError> {
    let from = site.file(&plan.from)?;
    let to = site.file(&plan.to)?;
    let move_err = |path: &str| {
        let path = path.to_owned();
        move |source| RenameError::Move { path, source }
    };
    if plan.to != plan.from && to.exists() {
        return Err(RenameError::Exists(plan.to.clone()));
    }
    let moved = match &plan.images {
        Some((a, b)) if a != b => {
            let (a_path, b_path) = (site.file(a)?, site.file(b)?);
            if b_path.exists() {
                return Err(RenameError::Exists(b.clone()));
            }
            fs::rename(&a_path, &b_path).map_err(move_err(a))?;
            Some((a_path, b_path))
        }
        _ => None,
    };
    let undo_images = |moved: &Option<(std::path::PathBuf, std::path::PathBuf)>| {
        if let Some((a, b)) = moved {
            let _ = fs::rename(b, a);
        }
    };
    // The new file keeps the old one's line endings and BOM.
    let written = if plan.to == plan.from {
        document::save_text(&from, &plan.text).map_err(|e| RenameError::Site(e.into()))
    } else {
        copy_then_save(&from, &to, &plan.text).map_err(move_err(&plan.to))
    };
    if let Err(e) = written {
        undo_images(&moved);
        return Err(e);
    }
    if plan.to != plan.from {
        if let Err(e) = fs::remove_file(&from) {
            let _ = fs::remove_file(&to);
            undo_images(&moved);
            return Err(move_err(&plan.from)(e));
        }
        // Publishing the renamed post also publishes the removal of the old names.
        publish::remember_move(site, &plan.from, &plan.to);
        if let Some((a, b)) = &plan.images {
            publish::remember_move(site, a, b);
        }
    }
    Ok(())
}

fn copy_then_save(from: &Path, to: &Path, text: &str) -> std::io::Result<()> {
    let original = fs::read_to_string(from)?;
    // A published draft may be the site's first post: `_posts/` may not be there yet.
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir)?;
    }
    document::write_atomic(to, document::encode(text, &original).as_bytes())
}
