//! The `postdesk` command line, run as a real process on a temp copy of the sample site.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::postdesk;

use percent_encoding::percent_decode_str;

const GDATA: &str = "_posts/2023-03-22-gdata33.md";

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "postdesk failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn render_prints_what_jekyll_publishes() {
    let site = common::sample_site();
    let post = site.post(GDATA);
    let html = stdout(&postdesk(&["render".as_ref(), post.as_os_str()]));
    assert!(html.contains("<h1 id=\"머리말\">머리말</h1>"), "{html}");
    assert!(
        html.contains("<h1 id=\"중국판-chat-gpt-moss의-성능은-\">"),
        "{html}"
    );
    assert!(
        !html.contains("toc_sticky"),
        "front matter must be stripped"
    );
    assert!(
        html.contains(r#"src="https://gdata-sample.github.io\images\2023-03-22-gdata33\m.png""#),
        "Liquid runs and the site target keeps paths as written: {html}"
    );
    let explicit = stdout(&postdesk(&[
        "render".as_ref(),
        "--target".as_ref(),
        "site".as_ref(),
        post.as_os_str(),
    ]));
    assert_eq!(explicit, html);
}

#[test]
fn render_many_posts_writes_each_as_its_single_render_prints_it() {
    let site = common::sample_site();
    // A second site beside the first: each post renders with its own site's _config.yml.
    let other = site.dir().join("other");
    std::fs::create_dir_all(other.join("_posts")).unwrap();
    std::fs::write(
        other.join("_config.yml"),
        "url: \"https://other.example\"\n",
    )
    .unwrap();
    let foreign = other.join("_posts/2024-01-01-x.md");
    std::fs::write(&foreign, "---\ntitle: x\n---\n![a]({{ site.url }}/a.png)\n").unwrap();
    let posts = [
        site.post(GDATA),
        site.post("_posts/2023-02-22-gdata32.md"),
        site.post("_pages/about.md"),
        foreign,
    ];
    let out = site.dir().join("out");
    let mut args = vec![
        "render".as_ref(),
        "--target".as_ref(),
        "site".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend(posts.iter().map(|p| p.as_os_str()));
    assert_eq!(
        stdout(&postdesk(&args)),
        "",
        "nothing is printed with --out"
    );
    for post in &posts {
        let name = format!("{}.html", post.file_name().unwrap().to_string_lossy());
        let written = std::fs::read_to_string(out.join(&name)).expect("one file per post");
        let single = stdout(&postdesk(&["render".as_ref(), post.as_os_str()]));
        assert_eq!(written, single, "{name}");
    }
    let foreign_html = std::fs::read_to_string(out.join("2024-01-01-x.md.html")).unwrap();
    assert!(
        foreign_html.contains("https://other.example/a.png"),
        "{foreign_html}"
    );

    // A post that cannot render fails the run, and the others are still written.
    let again = site.dir().join("again");
    let missing = site.post("_posts/missing.md");
    let out = postdesk(&[
        "render".as_ref(),
        "--out".as_ref(),
        again.as_os_str(),
        missing.as_os_str(),
        site.post(GDATA).as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(again.join("2023-03-22-gdata33.md.html").is_file());

    // More than one post needs --out.
    let out = postdesk(&[
        "render".as_ref(),
        site.post(GDATA).as_os_str(),
        site.post("_posts/2023-02-22-gdata32.md").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--out"), "{err}");
}

#[test]
fn render_preview_points_every_image_at_an_existing_local_file() {
    let site = common::sample_site();
    let html = stdout(&postdesk(&[
        "render".as_ref(),
        "--target".as_ref(),
        "preview".as_ref(),
        site.post(GDATA).as_os_str(),
    ]));
    let sources: Vec<&str> = html
        .split("<img ")
        .skip(1)
        .filter_map(|tag| tag.split("src=\"").nth(1)?.split('"').next())
        .collect();
    assert_eq!(sources.len(), 5, "{html}");
    for src in sources {
        let path = src
            .strip_prefix("file://")
            .unwrap_or_else(|| panic!("{src} is not a file URL"));
        let path = PathBuf::from(percent_decode_str(path).decode_utf8().unwrap().as_ref());
        assert!(path.is_file(), "{src} names no file");
        assert!(path.starts_with(site.root.canonicalize().unwrap()));
    }
}

#[test]
fn clear_errors_for_paths_outside_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let stray = dir.path().join("stray.md");
    std::fs::write(&stray, "# hi").unwrap();
    let out = postdesk(&["render".as_ref(), stray.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no Jekyll site holds"), "{err}");

    // Opening a folder that is not a site fails before any window (no display here).
    let out = postdesk(&[dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("has no _config.yml"), "{err}");

    let out = postdesk(&["render".as_ref(), dir.path().join("missing.md").as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn new_without_site_makes_the_post_in_the_site_of_the_current_folder() {
    let site = common::sample_site();
    for (folder, date) in [
        (site.root.clone(), "2024-01-01"),
        (site.post("_posts"), "2024-01-02"),
    ] {
        let out = common::postdesk_command(&["new", "--title", "Hello", "--date", date])
            .current_dir(&folder)
            .output()
            .expect("postdesk runs");
        let printed = stdout(&out);
        let made = PathBuf::from(printed.trim());
        assert!(made.is_file(), "{printed}");
        assert!(
            made.starts_with(site.root.canonicalize().unwrap()),
            "{printed}"
        );
    }
}
