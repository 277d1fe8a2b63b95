//! The Postdesk window: creates it, holds the open site, and exposes the engine to the UI
//! through the commands in `commands.rs`. Not for: logic of its own (that lives in the engine).

mod commands;
mod state;

use std::path::PathBuf;

use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

use state::Session;

/// Opens the window on `site`, or on the last site opened, or on the bundled sample site.
pub fn run(site: Option<PathBuf>) {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .register_asynchronous_uri_scheme_protocol("site", |ctx, request, responder| {
            let session = ctx.app_handle().state::<Session>();
            responder.respond(session.site_file(request.uri().path()));
        })
        .setup(move |app| {
            let session = Session::start(app.handle(), site.clone())?;
            app.manage(session);
            let window = WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
                .title("Postdesk")
                .inner_size(1280.0, 800.0)
                .min_inner_size(640.0, 400.0)
                .build()?;
            enable_input_method_preedit(&window)?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::current_site,
            commands::open_site,
            commands::read_post,
            commands::save_post,
            commands::reconcile_post,
            commands::journal_record,
            commands::journal_clear,
            commands::recoveries,
            commands::render_preview,
            commands::prefs,
            commands::set_language,
            commands::set_autosave,
            commands::front_matter_schema,
            commands::inspect_front_matter,
            commands::edit_front_matter,
            commands::plan_new_post,
            commands::create_post,
            commands::plan_rename,
            commands::rename_post,
            commands::check_post,
            commands::publish_post,
            commands::repo_status,
            commands::import_images,
            commands::paste_image,
            commands::image_panel,
            commands::remove_unused_images,
            commands::image_settings,
            commands::set_image_settings,
            commands::plan_normalize,
            commands::apply_normalize,
        ])
        .run(tauri::generate_context!())
        .expect("the Postdesk window could not start");
}

/// wry turns off the input method's preedit on Linux; Hangul then composes in a floating box
/// instead of in place. Turn it back on.
#[cfg(target_os = "linux")]
fn enable_input_method_preedit(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    window.with_webview(|webview| {
        use webkit2gtk::{InputMethodContextExt, WebViewExt};
        if let Some(context) = webview.inner().input_method_context() {
            context.set_enable_preedit(true);
        }
    })
}

#[cfg(not(target_os = "linux"))]
fn enable_input_method_preedit(_window: &tauri::WebviewWindow) -> tauri::Result<()> {
    Ok(())
}
