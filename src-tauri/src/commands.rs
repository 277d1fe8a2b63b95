//! The commands the UI calls: each one line into the engine. Async ones run off the main thread.

use std::path::PathBuf;

use postdesk_core::clone::{self, CloneOutcome, CloneProgress};
use postdesk_core::from_html::{self, Pasted};
use postdesk_core::front_matter::{self, FrontMatterChange, FrontMatterSchema, FrontMatterView};
use postdesk_core::images::{
    self, ImageImport, ImagePanel, ImageSettings, ImageText, ImportOutcome,
};
use postdesk_core::journal::Recovery;
use postdesk_core::lint::{self, Problem};
use postdesk_core::new_post::{self, NewPost};
use postdesk_core::normalize::{self, NormalizePlan};
use postdesk_core::outline::{self, Outline, SectionMove};
use postdesk_core::prefs::{Prefs, RecentSite};
use postdesk_core::publish::{self, PublishOptions, PublishOutcome, PublishStep, RepoStatus};
use postdesk_core::reconcile::Reconciled;
use postdesk_core::rename::{self, DraftProblem, RenamePlan};
use postdesk_core::render::{self, PostStats, PreviewText, PreviewUpdate};
use postdesk_core::search::{self, ReplacePlan, SearchResults};
use postdesk_core::site::{OpenProblem, Site, SiteError, SiteOverview};
use postdesk_core::style::{self, SiteStyle};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::{Session, IMAGE_BASE};

#[tauri::command]
pub fn current_site(session: State<Session>) -> Option<SiteOverview> {
    session.overview()
}

/// The root of the site the writer means by the folder `path` (in it, above it, or just inside
/// it), without opening it.
#[tauri::command(async)]
pub fn find_site(path: PathBuf) -> Result<PathBuf, OpenProblem> {
    Ok(Site::find(&path)?.root)
}

/// Opens the site in (or above, or just inside) the folder `path`: the folder picker's choice,
/// a recent site, a fresh clone.
#[tauri::command(async)]
pub fn open_site(session: State<Session>, path: PathBuf) -> Result<SiteOverview, OpenProblem> {
    session.open(&path)
}

/// The sites opened before that are there now, most recent first. Off the window's thread:
/// looking at a site on a network drive that is gone can take seconds.
#[tauri::command(async)]
pub fn recent_sites(session: State<Session>) -> Vec<RecentSite> {
    session.prefs().recent_sites_present()
}

/// Opens the writer's copy of the sample blog (made in the documents folder the first time).
#[tauri::command(async)]
pub fn open_sample(session: State<Session>) -> Result<SiteOverview, String> {
    session.open_sample()
}

/// Where a clone goes unless the writer chooses otherwise.
#[tauri::command]
pub fn documents_folder(session: State<Session>) -> PathBuf {
    session.documents()
}

/// Clones `url` into the folder `folder` with the system git, reporting progress, until done or
/// `cancel_clone`; nothing is left on disk unless it is done.
#[tauri::command(async)]
pub fn clone_site(
    session: State<Session>,
    url: String,
    folder: PathBuf,
    on_progress: Channel<CloneProgress>,
) -> CloneOutcome {
    clone::clone_site(
        &url,
        &folder,
        clone::QUIET_LIMIT,
        session.start_clone(),
        &mut |p| {
            let _ = on_progress.send(p);
        },
    )
}

#[tauri::command]
pub fn cancel_clone(session: State<Session>) {
    session.cancel_clone()
}

#[tauri::command(async)]
pub fn read_post(session: State<Session>, path: String) -> Result<String, String> {
    session.with_site(|site| site.read_post(&path))
}

/// Saves `text` when the file still holds `base`; otherwise writes nothing and says how the
/// file's new text and `text` go together.
#[tauri::command(async)]
pub fn save_post(
    session: State<Session>,
    path: String,
    text: String,
    base: Option<String>,
) -> Result<Reconciled, String> {
    session.with_site(|site| site.save_post(&path, &text, base.as_deref()))
}

#[tauri::command(async)]
pub fn reconcile_post(
    session: State<Session>,
    path: String,
    base: String,
    mine: String,
) -> Result<Reconciled, String> {
    session.with_site(|site| site.reconcile_post(&path, &base, &mine))
}

/// Keeps an unsaved buffer where a crash cannot take it.
#[tauri::command(async)]
pub fn journal_record(
    session: State<Session>,
    path: String,
    base: String,
    text: String,
) -> Result<(), String> {
    session.with_site(|site| session.journal().record(&site.root, &path, &base, &text))
}

#[tauri::command(async)]
pub fn journal_clear(session: State<Session>, path: String) -> Result<(), String> {
    session.with_site(|site| session.journal().clear(&site.root, &path))
}

/// Buffers of the open site that the last run left unsaved.
#[tauri::command(async)]
pub fn recoveries(session: State<Session>) -> Result<Vec<Recovery>, String> {
    session.with_site(|site| Ok::<_, String>(session.journal().recoveries(site)))
}

/// The preview of `path` with `text`, as changes to the render the window shows (`shown`);
/// `None` when `text` is edits the engine cannot apply (then the window sends the whole text).
#[tauri::command(async)]
pub fn render_preview(
    session: State<Session>,
    path: String,
    text: PreviewText,
    shown: Option<u32>,
) -> Result<Option<PreviewUpdate>, String> {
    session.with_site(|site| session.preview(|p| p.render(site, &path, text, IMAGE_BASE, shown)))
}

/// The figures of `path` with `text` as its theme counts them, and of the text between the
/// UTF-16 positions `selection` when given.
#[tauri::command(async)]
pub fn post_stats(
    session: State<Session>,
    path: String,
    text: String,
    selection: Option<(u32, u32)>,
) -> Result<PostStats, String> {
    session.with_site(|site| {
        let post = site.file(&path)?;
        Ok::<_, SiteError>(render::post_stats(site, &post, &text, selection))
    })
}

/// The headings of `path` with `text`, with the ids the site gives them, and the theme's TOC.
#[tauri::command(async)]
pub fn post_outline(
    session: State<Session>,
    path: String,
    text: String,
) -> Result<Outline, String> {
    session.with_site(|site| Ok::<_, SiteError>(outline::outline(site, &site.file(&path)?, &text)))
}

/// The change of `text` that moves the section of heading `section` of `path` before heading
/// `before` (to the end when `None`).
#[tauri::command(async)]
pub fn move_section(
    session: State<Session>,
    path: String,
    text: String,
    section: usize,
    before: Option<usize>,
) -> Result<SectionMove, String> {
    session.with_site(|site| {
        let post = site.file(&path).map_err(|e| e.to_string())?;
        outline::move_post_section(site, &post, &text, section, before).map_err(|e| e.to_string())
    })
}

/// The lines of the open site's posts and drafts that match `query`, at most `limit`.
#[tauri::command(async)]
pub fn search_site(
    session: State<Session>,
    query: String,
    regex: bool,
    limit: usize,
) -> Result<SearchResults, String> {
    session.with_site(|site| search::search(site, &query, regex, limit))
}

/// What replacing every match of `query` with `replacement` would change; nothing is written.
#[tauri::command(async)]
pub fn plan_replace(
    session: State<Session>,
    query: String,
    regex: bool,
    replacement: String,
) -> Result<ReplacePlan, String> {
    session.with_site(|site| search::plan_replace(site, &query, regex, &replacement))
}

/// Writes every post of `plan`, all or nothing.
#[tauri::command(async)]
pub fn apply_replace(session: State<Session>, plan: ReplacePlan) -> Result<(), String> {
    session.with_site(|site| search::apply_replace(site, &plan))
}

/// The open site's stylesheet for the preview's Site style (compiled once, then kept), as the
/// window draws it, or the plain style and why.
#[tauri::command(async)]
pub fn site_style(session: State<Session>) -> Result<SiteStyle, String> {
    session.with_site(|site| Ok::<_, String>(style::window_style(site)))
}

#[tauri::command]
pub fn prefs(session: State<Session>) -> Prefs {
    session.prefs()
}

#[tauri::command(async)]
pub fn set_language(session: State<Session>, language: Option<String>) -> Result<(), String> {
    session.update_prefs(|p| p.language = language)
}

#[tauri::command(async)]
pub fn set_autosave(session: State<Session>, autosave: bool) -> Result<(), String> {
    session.update_prefs(|p| p.autosave = autosave)
}

#[tauri::command(async)]
pub fn set_site_style(session: State<Session>, site_style: bool) -> Result<(), String> {
    session.update_prefs(|p| p.site_style = site_style)
}

#[tauri::command(async)]
pub fn set_whole_page(session: State<Session>, whole_page: bool) -> Result<(), String> {
    session.update_prefs(|p| p.whole_page = whole_page)
}

#[tauri::command(async)]
pub fn front_matter_schema(session: State<Session>) -> Result<FrontMatterSchema, String> {
    session.with_site(|site| Ok::<_, String>(front_matter::schema(site)))
}

#[tauri::command(async)]
pub fn inspect_front_matter(
    session: State<Session>,
    path: String,
    text: String,
) -> Result<FrontMatterView, String> {
    session.with_site(|site| Ok::<_, String>(front_matter::view(site, &path, &text)))
}

#[tauri::command(async)]
pub fn edit_front_matter(
    text: String,
    key: String,
    change: FrontMatterChange,
) -> Result<String, String> {
    front_matter::apply(&text, &key, change).map_err(|e| e.to_string())
}

/// The post "New post" or "New post like this one" would create, for the writer to confirm.
#[tauri::command(async)]
pub fn plan_new_post(
    session: State<Session>,
    like: Option<String>,
    title: Option<String>,
    date: Option<String>,
    sections: bool,
) -> Result<NewPost, String> {
    session.with_site(|site| {
        let date = date.unwrap_or_else(|| new_post::today(site));
        match (&like, &title) {
            (Some(like), _) => new_post::like(site, like, title.as_deref(), &date, sections),
            (None, title) => new_post::plain(site, title.as_deref().unwrap_or_default(), &date),
        }
    })
}

#[tauri::command(async)]
pub fn create_post(session: State<Session>, post: NewPost) -> Result<SiteOverview, String> {
    session.with_site(|site| new_post::create(site, &post).map(|()| site.overview()))
}

#[tauri::command(async)]
pub fn plan_rename(
    session: State<Session>,
    path: String,
    date: Option<String>,
    slug: Option<String>,
) -> Result<RenamePlan, String> {
    session.with_site(|site| rename::plan(site, &path, date.as_deref(), slug.as_deref()))
}

/// The move of the draft at `path` into `_posts/`, shown before `rename_post` does it.
#[tauri::command(async)]
pub fn plan_publish_draft(
    session: State<Session>,
    path: String,
) -> Result<RenamePlan, DraftProblem> {
    session
        .with_site(|site| Ok::<_, String>(rename::plan_publish_draft(site, &path)))
        .unwrap_or_else(|message| Err(DraftProblem::Other { message }))
}

#[tauri::command(async)]
pub fn rename_post(session: State<Session>, plan: RenamePlan) -> Result<SiteOverview, String> {
    session.with_site(|site| rename::apply(site, &plan).map(|()| site.overview()))
}

/// The problems Publish would stop at, for the post as it is on disk.
#[tauri::command(async)]
pub fn check_post(session: State<Session>, path: String) -> Result<Vec<Problem>, String> {
    session.with_site(|site| {
        site.read_post(&path)
            .map(|text| lint::check_post(site, &path, &text))
    })
}

#[tauri::command(async)]
pub fn publish_post(
    session: State<Session>,
    path: String,
    message: Option<String>,
    despite_warnings: bool,
    on_step: Channel<PublishStep>,
) -> Result<PublishOutcome, String> {
    let options = PublishOptions {
        message,
        despite_warnings,
        ..PublishOptions::default()
    };
    session.with_site(|site| {
        Ok::<_, String>(publish::publish(site, &path, &options, &mut |step| {
            let _ = on_step.send(step);
        }))
    })
}

#[tauri::command(async)]
pub fn repo_status(session: State<Session>, path: String) -> Result<RepoStatus, String> {
    session.with_site(|site| Ok::<_, String>(publish::status(site, &path)))
}

/// Brings image files (dropped or picked) into the post, reporting progress as `[done, total]`.
#[tauri::command(async)]
pub fn import_images(
    session: State<Session>,
    path: String,
    files: Vec<PathBuf>,
    on_progress: Channel<(usize, usize)>,
) -> Result<Vec<ImportOutcome>, String> {
    session.with_site(|site| {
        Ok::<_, String>(images::import_files(
            site,
            &path,
            &files,
            images::max_width(site),
            &|done, total| {
                let _ = on_progress.send((done, total));
            },
        ))
    })
}

/// Brings the image on the clipboard into the post; `None` when the clipboard holds no image.
/// (On Linux the webview's paste event carries no image, so the clipboard is read here.)
#[tauri::command(async)]
pub fn paste_image(session: State<Session>, path: String) -> Result<Option<ImageImport>, String> {
    let Ok(image) = arboard::Clipboard::new().and_then(|mut c| c.get_image()) else {
        return Ok(None);
    };
    session.with_site(|site| {
        images::import_pixels(
            site,
            &path,
            image.width as u32,
            image.height as u32,
            image.bytes.into_owned(),
            images::max_width(site),
        )
        .map(Some)
    })
}

/// Pasted HTML (a web page, Google Docs, Word, Notion) as the markdown to insert.
#[tauri::command(async)]
pub fn markdown_from_html(html: String) -> Pasted {
    from_html::from_html(&html)
}

/// The text on the clipboard, for Ctrl+Shift+V (the webview has no paste of its own for it).
#[tauri::command(async)]
pub fn clipboard_text() -> Option<String> {
    arboard::Clipboard::new()
        .and_then(|mut c| c.get_text())
        .ok()
}

#[tauri::command(async)]
pub fn image_panel(
    session: State<Session>,
    path: String,
    text: String,
) -> Result<ImagePanel, String> {
    let index = session.link_index();
    session.with_site(|site| Ok::<_, String>(images::panel(site, &index, &path, &text, IMAGE_BASE)))
}

#[tauri::command(async)]
pub fn remove_unused_images(
    session: State<Session>,
    path: String,
    text: String,
) -> Result<Vec<String>, String> {
    session.with_site(|site| images::remove_unused(site, &path, &text))
}

#[tauri::command(async)]
pub fn set_image_text(
    session: State<Session>,
    path: String,
    text: String,
    file: String,
    wanted: ImageText,
) -> Result<String, String> {
    session.with_site(|site| images::set_image_text(site, &path, &text, &file, &wanted))
}

#[tauri::command(async)]
pub fn image_settings(session: State<Session>) -> Result<ImageSettings, String> {
    let index = session.link_index();
    session.with_site(|site| Ok::<_, String>(images::settings(site, &index)))
}

/// Writes the image settings into `_config.yml` and gives them back as they now are.
#[tauri::command(async)]
pub fn set_image_settings(
    session: State<Session>,
    folder: Option<String>,
    max_width: Option<u32>,
) -> Result<ImageSettings, String> {
    session.with_site(|site| images::set_settings(site, folder.as_deref(), max_width))?;
    session.reload_site();
    image_settings(session)
}

#[tauri::command(async)]
pub fn plan_normalize(session: State<Session>, path: String) -> Result<NormalizePlan, String> {
    session.with_site(|site| normalize::plan(site, Some(&path)))
}

#[tauri::command(async)]
pub fn apply_normalize(session: State<Session>, plan: NormalizePlan) -> Result<(), String> {
    session.with_site(|site| normalize::apply(site, &plan).map(|_| ()))
}
