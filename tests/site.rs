//! The engine on a temp copy of the sample site: listing, reading, saving and rendering posts.

mod common;

use std::fs;

use postdesk_core::render::Target;
use postdesk_core::site::Site;

const GDATA: &str = "_posts/2023-03-22-gdata33.md";

#[test]
fn the_sample_site_lists_its_posts() {
    let copy = common::sample_site();
    let site = Site::open(&copy.root).unwrap();
    let overview = site.overview();
    assert_eq!(overview.title, "Global Data Blog");
    let gdata = overview.posts.iter().find(|p| p.path == GDATA).unwrap();
    assert_eq!(gdata.title, "[Global_Data_Issue] 2023년 3월");
    assert_eq!(gdata.date.as_deref(), Some("2023-03-22"));
    assert_eq!(gdata.categories, ["Global_Data_Issue"]);
    assert!(overview.posts.last().unwrap().draft);
}

#[test]
fn the_seed_post_is_the_shared_fixture_byte_for_byte() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/2023-03-22-gdata33.md");
    if let Ok(expected) = fs::read(&fixture) {
        let ours = fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("posts")
                .join(GDATA),
        );
        assert_eq!(ours.unwrap(), expected);
    }
}

#[test]
fn saving_changes_only_the_edited_line() {
    let copy = common::sample_site();
    let site = Site::open(&copy.root).unwrap();
    let path = copy.post(GDATA);
    let before = fs::read(&path).unwrap();
    let text = site.read_post(GDATA).unwrap();
    site.save_post(GDATA, &text, Some(&text)).unwrap();
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "saving unchanged text changes nothing"
    );

    let edited = text.replacen("# 머리말\n", "# 머리말 (수정)\n", 1);
    site.save_post(GDATA, &edited, Some(&text)).unwrap();
    let after = fs::read_to_string(&path).unwrap();
    let before = String::from_utf8(before).unwrap();
    let changed: Vec<_> = before
        .split('\n')
        .zip(after.split('\n'))
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed, [("# 머리말", "# 머리말 (수정)")]);
    assert_eq!(before.split('\n').count(), after.split('\n').count());
    assert!(
        !after.ends_with('\n'),
        "the fixture has no final newline, and keeps none"
    );
}

#[test]
fn a_crlf_draft_stays_crlf() {
    let copy = common::sample_site();
    let site = Site::open(&copy.root).unwrap();
    let rel = "_drafts/gdata34-draft.md";
    let text = site.read_post(rel).unwrap();
    assert!(!text.contains('\r'));
    site.save_post(rel, &format!("{text}추가한 줄\n"), Some(&text))
        .unwrap();
    let bytes = fs::read_to_string(copy.post(rel)).unwrap();
    assert!(bytes.ends_with("초안입니다.\r\n추가한 줄\r\n"), "{bytes:?}");
    assert!(!bytes.replace("\r\n", "").contains('\n'));
}

#[test]
fn posts_outside_the_site_are_refused() {
    let copy = common::sample_site();
    let site = Site::open(&copy.root).unwrap();
    let err = site.read_post("../../etc/passwd").unwrap_err().to_string();
    assert!(err.contains("not a file of this site"), "{err}");
    assert!(site.save_post("../escape.md", "x", None).is_err());
    assert!(!copy.root.parent().unwrap().join("escape.md").exists());
}

#[test]
fn preview_images_resolve_and_are_served_only_from_the_site() {
    let copy = common::sample_site();
    let site = Site::open(&copy.root).unwrap();
    let text = site.read_post(GDATA).unwrap();
    let target = Target::Preview {
        image_base: "site://localhost/".into(),
    };
    let html = site.render_post(GDATA, &text, &target).unwrap().html;
    let sources: Vec<&str> = html
        .split("src=\"site://localhost")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(sources.len(), 5, "{html}");
    for src in sources {
        let (file, mime) = site.image(src).unwrap();
        assert!(file.is_file(), "{src}");
        assert!(mime.starts_with("image/"));
    }
    assert!(
        site.image("/_config.yml").is_err(),
        "only images are served"
    );
    assert!(site.image("/../../etc/passwd.png").is_err());
}
