//! The commands the UI calls: each one line into the engine. Async ones run off the main thread.

use std::path::PathBuf;

use postdesk_core::prefs::Prefs;
use postdesk_core::render::{Rendered, Target};
use postdesk_core::site::SiteOverview;
use tauri::State;

use crate::state::{Session, IMAGE_BASE};

#[tauri::command]
pub fn current_site(session: State<Session>) -> Option<SiteOverview> {
    session.overview()
}

#[tauri::command(async)]
pub fn open_site(session: State<Session>, path: PathBuf) -> Result<SiteOverview, String> {
    session.open(&path)
}

#[tauri::command(async)]
pub fn read_post(session: State<Session>, path: String) -> Result<String, String> {
    session.with_site(|site| site.read_post(&path))
}

#[tauri::command(async)]
pub fn save_post(session: State<Session>, path: String, text: String) -> Result<(), String> {
    session.with_site(|site| site.save_post(&path, &text))
}

#[tauri::command(async)]
pub fn render_preview(
    session: State<Session>,
    path: String,
    text: String,
) -> Result<Rendered, String> {
    let target = Target::Preview {
        image_base: IMAGE_BASE.to_owned(),
    };
    session.with_site(|site| site.render_post(&path, &text, &target))
}

#[tauri::command]
pub fn prefs(session: State<Session>) -> Prefs {
    session.prefs()
}

#[tauri::command(async)]
pub fn set_language(session: State<Session>, language: Option<String>) -> Result<(), String> {
    session.set_language(language)
}
