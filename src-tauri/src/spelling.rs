//! Spell checking in the editor with WebKitGTK's own checker (enchant, with the system's hunspell
//! dictionaries): on in the languages of the open site, with the site's own words as the
//! checker's personal word lists. A word the writer adds through the menu's "Learn Spelling"
//! lands in those lists, and from there in the site's dictionary (see `postdesk_core::spelling`).
//! Windows' WebView2 checks spelling with the system's own dictionaries: nothing here applies.
//! Not for: where the editor checks (the UI marks code, URLs and Liquid as not checked).

#[cfg(target_os = "linux")]
mod linux {
    use std::path::PathBuf;

    use postdesk_core::site::Site;
    use postdesk_core::spelling;
    use tauri::{AppHandle, Manager, WebviewWindow};

    use crate::state::Session;

    /// How long after the menu closes the word lists are read for a learned word.
    const LEARNED_AFTER: std::time::Duration = std::time::Duration::from_millis(300);

    /// enchant's personal word lists: a folder of Postdesk's own, so that a site's words never
    /// mix with the writer's other programs' (nor with another site's).
    fn word_lists() -> PathBuf {
        webkit2gtk::glib::user_data_dir()
            .join(crate::IDENTIFIER)
            .join("spelling")
    }

    /// Before WebKit starts: enchant reads its lists from `ENCHANT_CONFIG_DIR`.
    pub fn prepare() {
        if std::env::var_os("ENCHANT_CONFIG_DIR").is_none() {
            std::env::set_var("ENCHANT_CONFIG_DIR", word_lists());
        }
    }

    fn lists_dir() -> PathBuf {
        std::env::var_os("ENCHANT_CONFIG_DIR").map_or_else(word_lists, PathBuf::from)
    }

    /// Turns checking on in the window, and keeps what the writer teaches it.
    pub fn start(window: &WebviewWindow) -> tauri::Result<()> {
        let app = window.app_handle().clone();
        window.with_webview(move |webview| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            let view = webview.inner();
            if let Some(context) = view.context() {
                context.set_spell_checking_enabled(true);
            }
            // The menu is dismissed before its item's action runs: the word lists are read
            // a moment later.
            view.connect_context_menu_dismissed(move |_| {
                let app = app.clone();
                webkit2gtk::glib::timeout_add_local_once(LEARNED_AFTER, move || {
                    let session = app.state::<Session>();
                    let _ = session.with_site(|site| {
                        spelling::keep_learned(&lists_dir(), &spelling::languages(site), site)
                    });
                });
            });
        })?;
        follow(window.app_handle());
        Ok(())
    }

    /// Checks in the open site's languages, with its words.
    pub fn follow(app: &AppHandle) {
        let Some(window) = app.get_webview_window("main") else {
            return;
        };
        // Not yet while the session starts: `start` follows the site once the window is there.
        let Some(session) = app.try_state::<Session>() else {
            return;
        };
        let Ok((languages, words)) = session.with_site(|site: &Site| {
            Ok::<_, String>((spelling::languages(site), spelling::words(site)))
        }) else {
            return;
        };
        let written = spelling::write_word_lists(&lists_dir(), &languages, &words);
        if let Err(e) = written {
            eprintln!("postdesk: spelling: {e}");
        }
        let _ = window.with_webview(move |webview| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                let tags: Vec<&str> = languages.iter().map(String::as_str).collect();
                context.set_spell_checking_languages(&tags);
            }
        });
    }
}

#[cfg(target_os = "linux")]
pub use linux::{follow, prepare, start};

#[cfg(not(target_os = "linux"))]
pub fn prepare() {}

#[cfg(not(target_os = "linux"))]
pub fn start(_window: &tauri::WebviewWindow) -> tauri::Result<()> {
    Ok(())
}

#[cfg(not(target_os = "linux"))]
pub fn follow(_app: &tauri::AppHandle) {}
