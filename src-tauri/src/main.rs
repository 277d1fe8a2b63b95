//! The `postdesk` command: with a subcommand it runs headless (no GTK, no display); without one
//! it opens the window. Every subcommand is a call into `postdesk_core`, nothing more.

// Opening the app on Windows opens no console window beside it (debug builds keep theirs).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod console;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use postdesk_core::document::{changed_lines, read_text, save_text};
use postdesk_core::publish::PublishOptions;
use postdesk_core::render::{file_url_base, page_document, post_stats, Target};
use postdesk_core::site::{canonical, Site};
use postdesk_core::style::{site_style, StyleSource};

#[derive(Parser)]
#[command(name = "postdesk", version, about = "Write and publish Jekyll posts")]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The Jekyll site to open (a folder with a _config.yml); default: the last one opened.
    site: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Print a post's body as HTML (front matter stripped, Liquid evaluated); with --out, write
    /// the HTML of each post given to DIR/<file name>.html instead.
    Render {
        /// The post file(s); a post's site is the nearest folder above it with a _config.yml.
        /// More than one needs --out.
        #[arg(required = true, num_args = 1..)]
        posts: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = RenderTarget::Site)]
        target: RenderTarget,
        /// Write DIR/<post file name>.html for each post instead of printing (one process for
        /// many posts: the differential tests render thousands this way).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Read or change a post's front matter; only the lines of KEY change.
    Fm {
        #[command(subcommand)]
        command: FmCommand,
    },
    /// Give a post another date or name: its file, its images/ folder, the links to that folder
    /// and its front-matter date change together, all or nothing.
    Rename {
        post: PathBuf,
        /// The new date, YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// The new name after the date (`gdata34`).
        #[arg(long)]
        slug: Option<String>,
        /// Print what would change and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Publish a draft: move _drafts/x.md to _posts/<date>-x.md with its images/ folder and
    /// the links to it. The date is the draft's front-matter `date`, else today in the site's
    /// timezone. Refused when a post or folder is already there.
    PublishDraft {
        draft: PathBuf,
        /// Print what would change and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Check a post (or every post of a site): front matter, title, date, images (missing,
    /// backslash paths, unsafe names, oversized) and Liquid. Exits 1 when it finds anything.
    Lint {
        /// A post file, or a site folder.
        path: PathBuf,
    },
    /// Publish a post with git: check, stage the post and its images, commit, rebase onto the
    /// upstream if it moved, push. Never forces; exits 1 with the reason when it cannot.
    Publish {
        post: PathBuf,
        /// The commit message (default: "Publish: <title>").
        #[arg(long)]
        message: Option<String>,
        /// Print what would be staged and committed, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Publish even when the checks found warnings.
        #[arg(long)]
        despite_warnings: bool,
        /// The longest one git call may take, in seconds.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
    },
    /// Fix the images of a post (or of every post of a site): backslash paths, `{{site.url}}`
    /// spacing, unsafe file names (renamed with every link to them), `style="zoom:N%"` (as a
    /// width), heavy images (recompressed). All or nothing.
    Normalize {
        /// A post file, or a site folder.
        path: PathBuf,
        /// Print a unified diff and the renames, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Copy images into a post's images folder (scaled down, metadata stripped, safely named)
    /// and print the markdown to insert, one line per image.
    ImportImage {
        #[arg(long)]
        post: PathBuf,
        /// Scale images wider than this down to it (default: the site's `postdesk_image_width`,
        /// else 1600).
        #[arg(long)]
        max_width: Option<u32>,
        #[arg(required = true)]
        images: Vec<PathBuf>,
    },
    /// Print a post's figures as its theme counts them: words (`strip_html | number_of_words`
    /// of the published HTML), characters with and without spaces, and the read time.
    Stats { post: PathBuf },
    /// Print a post's headings as a tree: the line each is on, its text and the id the
    /// published page gives it (`#id`); with `toc: true`, the TOC box's label first and
    /// `[toc]` on each heading the theme's TOC lists.
    Outline { post: PathBuf },
    /// Find text in every post and draft of a site, whatever its case and whether its Hangul is
    /// composed or decomposed; print `path:line: text`. Exits 1 when nothing matches.
    Search {
        /// The site folder (the one with _config.yml).
        site: PathBuf,
        query: String,
        /// QUERY is a regular expression (Rust `regex` syntax), not text.
        #[arg(long)]
        regex: bool,
    },
    /// Read HTML on stdin (what a browser, Google Docs, Word or Notion puts on the clipboard)
    /// and print it as kramdown markdown, escaped so that its text stays text.
    FromHtml,
    /// Create a post in _posts/ (and its images/ folder) and print its path.
    New {
        /// Make the next issue of this post: its front matter, title and number advanced.
        #[arg(long)]
        like: Option<PathBuf>,
        #[arg(long)]
        title: Option<String>,
        /// YYYY-MM-DD; default: today in the site's timezone.
        #[arg(long)]
        date: Option<String>,
        /// Keep the headings of the post given with --like as the new body.
        #[arg(long)]
        sections: bool,
        /// The site, when not given by --like (default: the one holding the current folder).
        #[arg(long)]
        site: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum FmCommand {
    /// Print the value of KEY (dotted for nested keys: header.teaser) as YAML.
    Get { post: PathBuf, key: String },
    /// Set KEY to VALUE, written in YAML: true, 2023-03-22, [a, b], "text".
    Set {
        post: PathBuf,
        key: String,
        value: String,
    },
    /// Remove KEY.
    Unset { post: PathBuf, key: String },
    /// Append ITEM (YAML) to the list at KEY.
    Add {
        post: PathBuf,
        key: String,
        item: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RenderTarget {
    /// What Jekyll would publish.
    Site,
    /// The editor's preview: sanitized, image sources pointing at local files.
    Preview,
    /// The preview in its layout's frame and the site's stylesheet, as one standalone HTML
    /// document (stylesheet inline, no script, nothing remote).
    Page,
}

fn main() -> ExitCode {
    let parsed = Cli::try_parse();
    if console::prints(&parsed) {
        console::attach_parent();
    }
    let cli = parsed.unwrap_or_else(|e| e.exit());
    let result = match cli.command {
        Some(Command::Render { posts, target, out }) => match out {
            Some(dir) => render_all(&posts, target, &dir),
            None => match posts.as_slice() {
                [post] => render(post, target),
                _ => Err("give --out DIR to render more than one post".to_owned()),
            },
        },
        Some(Command::Fm { command }) => fm(command),
        Some(Command::Stats { post }) => stats(&post),
        Some(Command::Outline { post }) => outline(&post),
        Some(Command::Search { site, query, regex }) => return search(&site, &query, regex),
        Some(Command::Lint { path }) => return lint(&path),
        Some(Command::FromHtml) => from_html(),
        Some(Command::Normalize { path, dry_run }) => normalize(&path, dry_run),
        Some(Command::ImportImage {
            post,
            max_width,
            images,
        }) => import_images(&post, max_width, &images),
        Some(Command::Publish {
            post,
            message,
            dry_run,
            despite_warnings,
            timeout,
        }) => {
            let options = PublishOptions {
                message,
                dry_run,
                despite_warnings,
                limit: std::time::Duration::from_secs(timeout),
            };
            return publish(&post, &options);
        }
        Some(Command::Rename {
            post,
            date,
            slug,
            dry_run,
        }) => rename(&post, date.as_deref(), slug.as_deref(), dry_run),
        Some(Command::PublishDraft { draft, dry_run }) => publish_draft(&draft, dry_run),
        Some(Command::New {
            like,
            title,
            date,
            sections,
            site,
        }) => new_post(like, title, date, sections, site),
        None => return open_window(cli.site),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("postdesk: {message}");
            ExitCode::from(2)
        }
    }
}

fn render(post: &std::path::Path, target: RenderTarget) -> Result<(), String> {
    let site = Site::containing(post).map_err(|e| e.to_string())?;
    print!("{}", render_one(&site, post, target)?);
    Ok(())
}

/// `render --out DIR POST...`: each post's HTML to `DIR/<file name>.html`, by the same path as
/// one post; a site is opened once for all its posts. Every post is tried: one that cannot be
/// rendered is reported and the run fails after the others were written.
fn render_all(
    posts: &[PathBuf],
    target: RenderTarget,
    out: &std::path::Path,
) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut sites: Vec<Site> = Vec::new();
    let mut failed = 0;
    for post in posts {
        if let Err(e) = render_into(&mut sites, post, target, out) {
            eprintln!("postdesk: {e}");
            failed += 1;
        }
    }
    match failed {
        0 => Ok(()),
        n => Err(format!("{n} of {} posts were not rendered", posts.len())),
    }
}

/// One post of `render --out`: its site taken from `sites` (or opened and kept there).
fn render_into(
    sites: &mut Vec<Site>,
    post: &std::path::Path,
    target: RenderTarget,
    out: &std::path::Path,
) -> Result<(), String> {
    let root = Site::root_of(post).map_err(|e| e.to_string())?;
    let i = match sites.iter().position(|s| s.root == root) {
        Some(i) => i,
        None => {
            sites.push(Site::open(&root).map_err(|e| e.to_string())?);
            sites.len() - 1
        }
    };
    let html = render_one(&sites[i], post, target)?;
    let name = post.file_name().ok_or("a post path names no file")?;
    let mut dest = out.join(name).into_os_string();
    dest.push(".html");
    std::fs::write(&dest, html).map_err(|e| format!("{}: {e}", dest.to_string_lossy()))
}

/// The HTML of one post of `site`; its diagnostics go to stderr.
fn render_one(site: &Site, post: &std::path::Path, target: RenderTarget) -> Result<String, String> {
    let post = canonical(post).map_err(|e| e.to_string())?;
    let rel = site.relative(&post);
    let text = site.read_post(&rel).map_err(|e| e.to_string())?;
    let target = match target {
        RenderTarget::Site => Target::Site,
        RenderTarget::Preview => Target::Preview {
            image_base: file_url_base(&site.root),
        },
        RenderTarget::Page => {
            let style = site_style(site);
            if let StyleSource::Plain { reason } = &style.source {
                eprintln!("{}: plain style: {reason}", site.root.display());
            }
            return Ok(page_document(site, &post, &text));
        }
    };
    let rendered = site
        .render_post(&rel, &text, &target)
        .map_err(|e| e.to_string())?;
    for d in &rendered.diagnostics {
        eprintln!("{}:{}: {}", post.display(), d.line, d.message);
    }
    Ok(rendered.html)
}

fn outline(post: &std::path::Path) -> Result<(), String> {
    let site = Site::containing(post).map_err(|e| e.to_string())?;
    let post = canonical(post).map_err(|e| e.to_string())?;
    let text = site
        .read_post(&site.relative(&post))
        .map_err(|e| e.to_string())?;
    let outline = postdesk_core::outline::outline(&site, &post, &text);
    if let Some(toc) = &outline.toc {
        println!("TOC: {}", toc.label);
    }
    for h in &outline.headings {
        let indent = "  ".repeat(usize::from(h.level.saturating_sub(1)));
        let id =
            h.id.as_deref()
                .map(|id| format!("  #{id}"))
                .unwrap_or_default();
        let toc = if h.in_toc { "  [toc]" } else { "" };
        println!("{:>5}  {indent}{}{id}{toc}", h.line, h.text);
    }
    Ok(())
}

fn stats(post: &std::path::Path) -> Result<(), String> {
    let site = Site::containing(post).map_err(|e| e.to_string())?;
    let post = canonical(post).map_err(|e| e.to_string())?;
    let text = site
        .read_post(&site.relative(&post))
        .map_err(|e| e.to_string())?;
    let stats = post_stats(&site, &post, &text, None);
    let counts = stats.post;
    println!("words: {}", counts.words);
    println!("characters: {}", counts.characters);
    println!(
        "characters without spaces: {}",
        counts.characters_without_spaces
    );
    println!("words per minute: {}", stats.words_per_minute);
    match counts.minutes {
        0 => println!("read time: less than 1 minute"),
        1 => println!("read time: 1 minute"),
        n => println!("read time: {n} minutes"),
    }
    Ok(())
}

fn from_html() -> Result<(), String> {
    let mut html = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut html)
        .map_err(|e| format!("cannot read the HTML on stdin: {e}"))?;
    let html = String::from_utf8(html).map_err(|_| "the HTML on stdin is not UTF-8".to_owned())?;
    println!("{}", postdesk_core::from_html::from_html(&html).markdown);
    Ok(())
}

fn search(site: &std::path::Path, query: &str, regex: bool) -> ExitCode {
    let found = Site::open(site)
        .map_err(|e| e.to_string())
        .and_then(|site| {
            postdesk_core::search::search(&site, query, regex, usize::MAX)
                .map_err(|e| e.to_string())
        });
    match found {
        Ok(found) if found.posts.is_empty() => ExitCode::from(1),
        Ok(found) => {
            for post in &found.posts {
                for line in &post.lines {
                    println!("{}:{}: {}", post.path, line.line, line.text);
                }
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("postdesk: {message}");
            ExitCode::from(2)
        }
    }
}

fn fm(command: FmCommand) -> Result<(), String> {
    use postdesk_core::front_matter as fm;
    let (post, text) = match &command {
        FmCommand::Get { post, .. }
        | FmCommand::Set { post, .. }
        | FmCommand::Unset { post, .. }
        | FmCommand::Add { post, .. } => (post, read_text(post).map_err(|e| e.to_string())?),
    };
    let edited = match &command {
        FmCommand::Get { key, .. } => {
            let value = fm::get(&text, key).map_err(|e| e.to_string())?;
            let value = value.ok_or_else(|| format!("{key} is not set in {}", post.display()))?;
            print!("{}", fm::to_yaml(&value));
            return Ok(());
        }
        FmCommand::Set { key, value, .. } => fm::set(
            &text,
            key,
            fm::parse_value(value).map_err(|e| e.to_string())?,
        ),
        FmCommand::Unset { key, .. } => fm::unset(&text, key),
        FmCommand::Add { key, item, .. } => fm::add(
            &text,
            key,
            fm::parse_value(item).map_err(|e| e.to_string())?,
        ),
    }
    .map_err(|e| e.to_string())?;
    print!("{}", changed_lines(&text, &edited));
    if edited != text {
        save_text(post, &edited).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn lint(path: &std::path::Path) -> ExitCode {
    let (site, only) = match Site::open(path) {
        Ok(site) => (Ok(site), None),
        Err(_) => (Site::containing(path), canonical(path).ok()),
    };
    let site = match site {
        Ok(site) => site,
        Err(e) => {
            eprintln!("postdesk: {e}");
            return ExitCode::from(2);
        }
    };
    let mut found = 0;
    for (rel, problems) in postdesk_core::lint::check_site(&site, only.as_deref()) {
        for p in &problems {
            println!("{rel}:{p}");
        }
        found += problems.len();
    }
    if found == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{found} {}",
            if found == 1 { "problem" } else { "problems" }
        );
        ExitCode::from(1)
    }
}

fn normalize(path: &std::path::Path, dry_run: bool) -> Result<(), String> {
    use postdesk_core::normalize;
    let site = Site::containing(path).map_err(|e| e.to_string())?;
    let only = normalize::target(&site, path);
    let plan = normalize::plan(&site, only.as_deref()).map_err(|e| e.to_string())?;
    if plan.is_empty() {
        println!("nothing to normalize");
        return Ok(());
    }
    print!("{}", plan.report());
    if !dry_run {
        for (path, before, after) in normalize::apply(&site, &plan).map_err(|e| e.to_string())? {
            println!(
                "recompressed {path}: {} KB -> {} KB",
                before / 1024,
                after / 1024
            );
        }
    }
    Ok(())
}

fn import_images(
    post: &std::path::Path,
    max_width: Option<u32>,
    images: &[PathBuf],
) -> Result<(), String> {
    let site = Site::containing(post).map_err(|e| e.to_string())?;
    let max_width = max_width.unwrap_or_else(|| postdesk_core::images::max_width(&site));
    let rel = site.path_of(post).map_err(|e| e.to_string())?;
    use postdesk_core::images::{import_files, ImportOutcome};
    let mut failed = Vec::new();
    for outcome in import_files(&site, &rel, images, max_width, &|_, _| {}) {
        match outcome {
            ImportOutcome::Imported { image } => println!("{}", image.markdown),
            ImportOutcome::Failed { message, .. } => failed.push(message),
        }
    }
    match failed.is_empty() {
        true => Ok(()),
        false => Err(failed.join("\npostdesk: ")),
    }
}

fn publish(post: &std::path::Path, options: &PublishOptions) -> ExitCode {
    let site = match Site::containing(post) {
        Ok(site) => site,
        Err(e) => {
            eprintln!("postdesk: {e}");
            return ExitCode::from(2);
        }
    };
    let rel = site
        .path_of(post)
        .unwrap_or_else(|_| post.display().to_string());
    let outcome = postdesk_core::publish::publish(&site, &rel, options, &mut |step| {
        eprintln!("{step:?}…");
    });
    println!("{}", outcome.message().trim_end());
    if outcome.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn rename(
    post: &std::path::Path,
    date: Option<&str>,
    slug: Option<&str>,
    dry_run: bool,
) -> Result<(), String> {
    use postdesk_core::rename;
    let site = Site::containing(post).map_err(|e| e.to_string())?;
    let rel = site.path_of(post).map_err(|e| e.to_string())?;
    let plan = rename::plan(&site, &rel, date, slug).map_err(|e| e.to_string())?;
    move_post(&site, &plan, dry_run)
}

fn publish_draft(draft: &std::path::Path, dry_run: bool) -> Result<(), String> {
    let site = Site::containing(draft).map_err(|e| e.to_string())?;
    let rel = site.path_of(draft).map_err(|e| e.to_string())?;
    let plan = postdesk_core::rename::plan_publish_draft(&site, &rel).map_err(|e| e.to_string())?;
    move_post(&site, &plan, dry_run)
}

/// Says what `plan` moves, and moves it unless `dry_run`.
fn move_post(
    site: &Site,
    plan: &postdesk_core::rename::RenamePlan,
    dry_run: bool,
) -> Result<(), String> {
    println!("{} -> {}", plan.from, plan.to);
    if let Some((from, to)) = &plan.images {
        println!("{from}/ -> {to}/ ({} links in the post)", plan.links);
    }
    if !dry_run {
        postdesk_core::rename::apply(site, plan).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn new_post(
    like: Option<PathBuf>,
    title: Option<String>,
    date: Option<String>,
    sections: bool,
    site: Option<PathBuf>,
) -> Result<(), String> {
    use postdesk_core::new_post;
    let site = match (&like, site) {
        (Some(post), _) => Site::containing(post),
        (None, Some(dir)) => Site::open(&dir),
        (None, None) => Site::containing(&std::env::current_dir().map_err(|e| e.to_string())?),
    }
    .map_err(|e| e.to_string())?;
    let date = date.unwrap_or_else(|| new_post::today(&site));
    let post = match (&like, &title) {
        (Some(like), _) => {
            let rel = site.path_of(like).map_err(|e| e.to_string())?;
            new_post::like(&site, &rel, title.as_deref(), &date, sections)
        }
        (None, Some(title)) => new_post::plain(&site, title, &date),
        (None, None) => {
            return Err("give the new post a --title, or --like an earlier post".to_owned())
        }
    }
    .map_err(|e| e.to_string())?;
    new_post::create(&site, &post).map_err(|e| e.to_string())?;
    println!("{}", site.root.join(&post.path).display());
    Ok(())
}

fn open_window(site: Option<PathBuf>) -> ExitCode {
    if let Some(dir) = &site {
        if let Err(e) = Site::open(dir) {
            eprintln!("postdesk: {e}");
            return ExitCode::from(2);
        }
    }
    postdesk_app::run(site);
    ExitCode::SUCCESS
}
