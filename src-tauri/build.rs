// Every command the UI may call is listed here, so each needs an explicit permission in
// src-tauri/capabilities/ (nothing is callable by default).
const COMMANDS: &[&str] = &[
    "current_site",
    "find_site",
    "open_site",
    "recent_sites",
    "open_sample",
    "documents_folder",
    "clone_site",
    "cancel_clone",
    "read_post",
    "save_post",
    "reconcile_post",
    "journal_record",
    "journal_clear",
    "recoveries",
    "render_preview",
    "post_stats",
    "post_outline",
    "move_section",
    "search_site",
    "plan_replace",
    "apply_replace",
    "site_style",
    "prefs",
    "set_language",
    "set_autosave",
    "set_site_style",
    "set_whole_page",
    "front_matter_schema",
    "inspect_front_matter",
    "edit_front_matter",
    "plan_new_post",
    "create_post",
    "plan_rename",
    "rename_post",
    "plan_publish_draft",
    "check_post",
    "publish_post",
    "repo_status",
    "import_images",
    "paste_image",
    "markdown_from_html",
    "clipboard_text",
    "image_panel",
    "remove_unused_images",
    "set_image_text",
    "image_settings",
    "set_image_settings",
    "plan_normalize",
    "apply_normalize",
];

fn main() {
    // The window's files are embedded when the app compiles: a new UI build must recompile it
    // (without this a warm build could embed an index.html naming scripts it does not hold).
    println!("cargo:rerun-if-changed=ui/dist");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
