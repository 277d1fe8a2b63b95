//! The Postdesk window: creates it, holds the open site, and exposes the engine to the UI
//! through the commands in `commands.rs`. Not for: logic of its own (that lives in the engine).

mod commands;
mod spelling;
mod state;

use std::path::{Path, PathBuf};

use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

use state::Session;

/// The app's identifier (`tauri.conf.json`), which names its folders (the spell checker's word
/// lists: Linux only).
#[cfg(target_os = "linux")]
pub(crate) const IDENTIFIER: &str = "dev.postdesk.app";

/// Opens the window on `site`, or on the last site opened, or on the welcome page.
pub fn run(site: Option<PathBuf>) {
    paint_on_cpu_without_gpu();
    spelling::prepare();
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
            spelling::start(&window)?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::current_site,
            commands::find_site,
            commands::open_site,
            commands::recent_sites,
            commands::open_sample,
            commands::documents_folder,
            commands::clone_site,
            commands::cancel_clone,
            commands::read_post,
            commands::save_post,
            commands::reconcile_post,
            commands::journal_record,
            commands::journal_clear,
            commands::recoveries,
            commands::render_preview,
            commands::post_stats,
            commands::post_outline,
            commands::move_section,
            commands::search_site,
            commands::plan_replace,
            commands::apply_replace,
            commands::site_style,
            commands::prefs,
            commands::set_language,
            commands::set_autosave,
            commands::set_site_style,
            commands::set_whole_page,
            commands::front_matter_schema,
            commands::inspect_front_matter,
            commands::edit_front_matter,
            commands::plan_new_post,
            commands::create_post,
            commands::plan_rename,
            commands::rename_post,
            commands::plan_publish_draft,
            commands::check_post,
            commands::publish_post,
            commands::repo_status,
            commands::import_images,
            commands::paste_image,
            commands::markdown_from_html,
            commands::clipboard_text,
            commands::image_panel,
            commands::remove_unused_images,
            commands::set_image_text,
            commands::image_settings,
            commands::set_image_settings,
            commands::plan_normalize,
            commands::apply_normalize,
        ])
        .run(tauri::generate_context!())
        .expect("the Postdesk window could not start");
}

/// Without a GPU (no DRM render node: a virtual machine, a remote desktop), WebKitGTK still
/// paints through OpenGL, on Mesa's software rasterizer: each frame costs more than painting on
/// the CPU, and the first use of each shader stops the window while LLVM compiles it (measured
/// here: 1.2–1.3 s of frozen typing on the first keystrokes in a long post). WebKit paints on
/// the CPU then, unless the writer chose otherwise.
fn paint_on_cpu_without_gpu() {
    const CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
    if cfg!(target_os = "linux")
        && std::env::var_os(CPU_RENDERING).is_none()
        && !has_render_node(Path::new("/dev/dri"))
    {
        // Before any thread runs, and inherited by WebKit's web process.
        std::env::set_var(CPU_RENDERING, "1");
    }
}

/// Whether `dri` (Linux's `/dev/dri`) has a render node, the device a GPU draws through.
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
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

#[cfg(test)]
mod tests {
    use super::has_render_node;

    #[cfg(target_os = "linux")]
    #[test]
    fn the_identifier_is_tauri_confs() {
        let conf = include_str!("../../tauri.conf.json");
        assert!(conf.contains(&format!("\"identifier\": \"{}\"", super::IDENTIFIER)));
    }

    #[test]
    fn a_gpu_is_a_render_node() {
        let dri = tempfile::tempdir().unwrap();
        assert!(!has_render_node(&dri.path().join("missing")));
        std::fs::write(dri.path().join("card0"), "").unwrap();
        assert!(
            !has_render_node(dri.path()),
            "a display card alone does not render"
        );
        std::fs::write(dri.path().join("renderD128"), "").unwrap();
        assert!(has_render_node(dri.path()));
    }
}
