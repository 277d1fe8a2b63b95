//! The `postdesk` command: with a subcommand it runs headless (no GTK, no display); without one
//! it opens the window. Every subcommand is a call into `postdesk_core`, nothing more.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use postdesk_core::render::{file_url_base, Target};
use postdesk_core::site::Site;

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
    /// Print a post's body as HTML (front matter stripped, Liquid evaluated).
    Render {
        /// The post file; its site is the nearest folder above it with a _config.yml.
        post: PathBuf,
        #[arg(long, value_enum, default_value_t = RenderTarget::Site)]
        target: RenderTarget,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RenderTarget {
    /// What Jekyll would publish.
    Site,
    /// The editor's preview: sanitized, image sources pointing at local files.
    Preview,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Render { post, target }) => render(&post, target),
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
    let post = post.canonicalize().map_err(|e| e.to_string())?;
    let target = match target {
        RenderTarget::Site => Target::Site,
        RenderTarget::Preview => Target::Preview {
            image_base: file_url_base(&site.root),
        },
    };
    let rel = site.relative(&post);
    let text = site.read_post(&rel).map_err(|e| e.to_string())?;
    let rendered = site
        .render_post(&rel, &text, &target)
        .map_err(|e| e.to_string())?;
    for d in &rendered.diagnostics {
        eprintln!("{}:{}: {}", post.display(), d.line, d.message);
    }
    print!("{}", rendered.html);
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
