//! Property tests of front-matter edits over every post of the sample site and of the shared
//! minimal-mistakes corpus: setting, adding and removing each kind of field changes exactly the
//! lines of that field, and the result reads back as the value asked for with every other key
//! unchanged. Also the `postdesk fm` and `postdesk new` commands on a temp copy of `posts/`.

mod common;

use std::path::{Path, PathBuf};

use common::postdesk;
use postdesk_core::document::{changed_lines, read_text};
use postdesk_core::front_matter as fm;
use postdesk_core::front_matter::{Mapping, Value};
use postdesk_core::post::Post;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// Every post with a readable front matter: `posts/`, and `../shared/corpus/` when it is there.
fn corpus() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    markdown_files(&root.join("posts"), &mut files);
    let from_posts = files.len();
    markdown_files(&root.join("../shared/corpus"), &mut files);
    eprintln!(
        "front matter corpus: {from_posts} files from posts/, {} from ../shared/corpus",
        files.len() - from_posts
    );
    files
        .into_iter()
        .filter_map(|f| {
            let text = read_text(&f).ok()?;
            Post::split(&text).front_matter?;
            fm::read(&text).ok()?;
            Some((f, text))
        })
        .collect()
}

/// Lines of the front matter, and the span (line indexes) of each top-level key, found the
/// simple way: a key line at column 0 up to the next one, without trailing blank or comment lines.
fn spans(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let close = lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim_end(), "---" | "..."))
        .unwrap()
        + 1;
    let is_key =
        |l: &str| !l.starts_with([' ', '#', '-', '\n']) && l.contains(':') && !l.trim().is_empty();
    let mut out: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    for (i, l) in lines.iter().enumerate().take(close).skip(1) {
        if is_key(l) {
            let key = fm::parse_value(&format!("{}: x", l.split(':').next().unwrap()))
                .ok()
                .and_then(|v| v.as_mapping()?.keys().next()?.as_str().map(str::to_owned))
                .unwrap_or_default();
            out.push((key, i..i + 1));
        } else if let Some(last) = out.last_mut() {
            last.1.end = i + 1;
        }
    }
    for (_, span) in &mut out {
        while span.end > span.start + 1 {
            let l = lines[span.end - 1].trim();
            if l.is_empty() || l.starts_with('#') {
                span.end -= 1;
            } else {
                break;
            }
        }
    }
    out
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| Value::Number(n.into())),
        "[ -~가-힣]{0,24}".prop_map(Value::String),
        prop::sample::select(vec![
            "yes",
            "No",
            "on",
            "null",
            "~",
            "123",
            "1:20",
            "0x1F",
            "- x",
            "# c",
            "a: b",
            "a #b",
            "[x]",
            "{y}",
            "'q'",
            "\"d\"",
            "2023-03-22",
            "2023-03-22 10:00:00 +0900",
            " lead",
            "trail ",
            "두 줄\n글",
            "tab\there",
            "back\\slash",
            "",
            "[Global_Data_Issue] 2023년 4월",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => scalar(),
        1 => prop::collection::vec(scalar(), 0..4).prop_map(Value::Sequence),
    ]
}

#[derive(Debug, Clone)]
enum Edit {
    Set(usize, Value),
    New(&'static str, Value),
    Unset(usize),
    Add(usize, Value),
}

fn edit() -> impl Strategy<Value = Edit> {
    let new_keys = prop::sample::select(vec![
        "date",
        "comments",
        "mathjax",
        "toc_label",
        "published",
        "last_modified_at",
        "layout",
    ]);
    prop_oneof![
        (any::<usize>(), value()).prop_map(|(k, v)| Edit::Set(k, v)),
        (new_keys, value()).prop_map(|(k, v)| Edit::New(k, v)),
        any::<usize>().prop_map(Edit::Unset),
        (any::<usize>(), scalar()).prop_map(|(k, v)| Edit::Add(k, v)),
    ]
}

/// Which lines an edit may change.
#[derive(Debug)]
enum Lines {
    /// Only lines of this span (the key's own lines).
    Within(std::ops::Range<usize>),
    /// None: lines are only added, starting with `key:`.
    Inserted(&'static str),
    /// Exactly this span goes, nothing is added.
    Removed(std::ops::Range<usize>),
}

fn expect(map: &Mapping, key: &str, value: Option<Value>) -> Mapping {
    let mut m = map.clone();
    match value {
        Some(v) => m.insert(key.into(), v),
        None => m.remove(key),
    };
    m
}

#[test]
fn edits_change_exactly_their_lines_and_read_back() {
    let posts = corpus();
    assert!(posts.len() >= 5, "only {} posts found", posts.len());
    let mut runner = TestRunner::new(Config {
        cases: 3000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(0..posts.len(), edit()), |(i, edit)| {
            let (file, text) = &posts[i];
            let map = fm::read(text).unwrap();
            let spans = spans(text);
            prop_assume!(!spans.is_empty());
            let pick = |k: usize| spans[k % spans.len()].clone();
            let ctx = file.display().to_string();
            let fail = |e: fm::FmError| TestCaseError::fail(format!("{ctx}: {e}"));
            // Each edit: the text it gives, the mapping that must read back, and which lines
            // may differ.
            let (out, expected, lines) = match edit {
                Edit::Set(k, v) => {
                    let (key, span) = pick(k);
                    let out = fm::set(text, &key, v.clone()).map_err(fail)?;
                    (out, expect(&map, &key, Some(v)), Lines::Within(span))
                }
                Edit::New(key, v) => {
                    prop_assume!(!map.contains_key(key));
                    let out = fm::set(text, key, v.clone()).map_err(fail)?;
                    (out, expect(&map, key, Some(v)), Lines::Inserted(key))
                }
                Edit::Unset(k) => {
                    let (key, span) = pick(k);
                    let out = fm::unset(text, &key).map_err(fail)?;
                    (out, expect(&map, &key, None), Lines::Removed(span))
                }
                Edit::Add(k, item) => {
                    let (key, span) = pick(k);
                    let items = match map.get(key.as_str()) {
                        Some(Value::Mapping(_)) => return Ok(()),
                        Some(Value::Sequence(s)) => [s.clone(), vec![item.clone()]].concat(),
                        None | Some(Value::Null) => vec![item.clone()],
                        Some(single) => vec![single.clone(), item.clone()],
                    };
                    let out = fm::add(text, &key, item).map_err(fail)?;
                    let expected = expect(&map, &key, Some(Value::Sequence(items)));
                    (out, expected, Lines::Within(span))
                }
            };
            prop_assert_eq!(fm::read(&out).unwrap(), expected, "{}", ctx);
            let c = changed_lines(text, &out);
            let at = c.line - 1;
            let ok = match &lines {
                _ if out == *text => true,
                Lines::Within(span) => at >= span.start && at + c.removed.len() <= span.end,
                Lines::Inserted(key) => {
                    c.removed.is_empty() && c.added[0].starts_with(&format!("{key}:"))
                }
                Lines::Removed(span) => {
                    c.added.is_empty() && at == span.start && c.removed.len() == span.len()
                }
            };
            prop_assert!(
                ok,
                "{ctx}: {lines:?} but line {}: -{:?} +{:?}",
                c.line,
                c.removed,
                c.added
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn every_post_s_every_field_can_be_set_to_itself_without_a_change() {
    for (file, text) in corpus() {
        for (key, v) in fm::read(&text).unwrap() {
            let key = key.as_str().unwrap().to_owned();
            let out = fm::set(&text, &key, v).unwrap();
            assert_eq!(out, text, "{}: {key}", file.display());
        }
    }
}

#[test]
fn fm_commands_edit_only_their_line_on_disk() {
    let site = common::sample_site();
    let post = site.post("_posts/2023-03-22-gdata33.md");
    let p = post.to_str().unwrap();
    let before = std::fs::read(&post).unwrap();
    let out = postdesk(&["fm", "get", p, "tag"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "- Big Data\n- AI\n");
    assert!(postdesk(&["fm", "add", p, "tag", "Korea"]).status.success());
    let set = postdesk(&["fm", "set", p, "toc_sticky", "false"]);
    assert_eq!(
        String::from_utf8_lossy(&set.stdout),
        "line 5:\n- toc_sticky : true\n+ toc_sticky : false\n"
    );
    let after = String::from_utf8(std::fs::read(&post).unwrap()).unwrap();
    let before = String::from_utf8(before).unwrap();
    let changed: Vec<(&str, &str)> = before
        .split_inclusive('\n')
        .zip(after.split_inclusive('\n'))
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(
        changed,
        [
            ("toc_sticky : true\n", "toc_sticky : false\n"),
            ("tag: [Big Data, AI]\n", "tag: [Big Data, AI, Korea]\n")
        ]
    );
    assert!(postdesk(&["fm", "unset", p, "nonexistent"])
        .status
        .success());
    let bad = postdesk(&["fm", "set", p, "tag", "[unclosed"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a YAML value"));
    let missing = postdesk(&["fm", "get", p, "nothing"]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nothing is not set"));
}

#[test]
fn a_broken_front_matter_is_reported_and_left_alone() {
    let site = common::sample_site();
    let post = site.post("_posts/broken.md");
    let broken = "---\ntitle: a\ntitle: b\n---\nbody\n";
    std::fs::write(&post, broken).unwrap();
    let out = postdesk(&["fm", "set", post.to_str().unwrap(), "toc", "true"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "postdesk: front matter line 3, column 1: `title` is set twice; remove one of them\n"
    );
    assert_eq!(std::fs::read_to_string(&post).unwrap(), broken);
    std::fs::write(&post, b"---\ntitle: \xff\n---\n").unwrap();
    let out = postdesk(&["fm", "get", post.to_str().unwrap(), "title"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not UTF-8 text"));
}

#[test]
fn new_like_makes_the_next_issue_with_its_images_folder() {
    let site = common::sample_site();
    let seed = site.post("_posts/2023-03-22-gdata33.md");
    let out = site.new_issue();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created = site.post("_posts/2023-04-22-gdata34.md");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        created.display().to_string()
    );
    let text = std::fs::read_to_string(&created).unwrap();
    let seed_text = std::fs::read_to_string(&seed).unwrap();
    // The front matter is the previous issue's, line for line, but for the title.
    let fm_end = seed_text.find("\n---\n").unwrap();
    let c = changed_lines(&seed_text[..fm_end], &text[..text.find("\n---\n").unwrap()]);
    assert_eq!(c.removed, ["title:  \"[Global_Data_Issue] 2023년 3월\"\n"]);
    assert_eq!(c.added, ["title:  \"[Global_Data_Issue] 2023년 4월\"\n"]);
    assert!(text.ends_with("\n---\n\n"), "empty body: {text}");
    assert!(site.post("images/2023-04-22-gdata34").is_dir());
    // Once made, it is never made again over itself.
    let again = postdesk(&[
        "new",
        "--like",
        seed.to_str().unwrap(),
        "--date",
        "2023-04-22",
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let sections = postdesk(&[
        "new",
        "--like",
        seed.to_str().unwrap(),
        "--date",
        "2023-05-22",
        "--sections",
        "--title",
        "5월호",
    ]);
    assert!(sections.status.success());
    let text = std::fs::read_to_string(site.post("_posts/2023-05-22-gdata34.md")).unwrap();
    assert!(
        text.contains("title:  \"5월호\"") && text.contains("\n# 머리말\n\n"),
        "{text}"
    );
}

#[test]
fn rename_moves_the_post_its_images_and_links_together() {
    let site = common::sample_site();
    let seed = site.post("_posts/2023-03-22-gdata33.md");
    let before = std::fs::read_to_string(&seed).unwrap();
    let images_before = std::fs::read_dir(site.post("images/2023-03-22-gdata33"))
        .unwrap()
        .count();
    let dry = postdesk(&[
        "rename",
        seed.to_str().unwrap(),
        "--date",
        "2023-03-25",
        "--dry-run",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&dry.stdout),
        "_posts/2023-03-22-gdata33.md -> _posts/2023-03-25-gdata33.md\n\
         images/2023-03-22-gdata33/ -> images/2023-03-25-gdata33/ (5 links in the post)\n"
    );
    assert!(seed.exists(), "a dry run changes nothing");
    // A folder in the way: refused before anything moves.
    std::fs::create_dir_all(site.post("images/2023-03-25-gdata33")).unwrap();
    let blocked = postdesk(&["rename", seed.to_str().unwrap(), "--date", "2023-03-25"]);
    assert_eq!(blocked.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&blocked.stderr)
        .contains("images/2023-03-25-gdata33 already exists"));
    assert_eq!(std::fs::read_to_string(&seed).unwrap(), before);
    std::fs::remove_dir(site.post("images/2023-03-25-gdata33")).unwrap();

    let out = postdesk(&["rename", seed.to_str().unwrap(), "--date", "2023-03-25"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!seed.exists());
    assert!(!site.post("images/2023-03-22-gdata33").exists());
    assert_eq!(
        std::fs::read_dir(site.post("images/2023-03-25-gdata33"))
            .unwrap()
            .count(),
        images_before
    );
    let after = std::fs::read_to_string(site.post("_posts/2023-03-25-gdata33.md")).unwrap();
    // Only the image links changed, and they still point at existing files, backslashes and all.
    assert_eq!(
        after,
        before.replace(
            "images\\2023-03-22-gdata33\\",
            "images\\2023-03-25-gdata33\\"
        )
    );
    assert_ne!(after, before);
    let rendered = postdesk(&[
        "render",
        site.post("_posts/2023-03-25-gdata33.md").to_str().unwrap(),
        "--target",
        "preview",
    ]);
    let html = String::from_utf8_lossy(&rendered.stdout);
    let sources: Vec<&str> = html
        .split("src=\"file://")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(sources.len(), 5);
    for src in sources {
        let path = percent_encoding::percent_decode_str(src)
            .decode_utf8_lossy()
            .into_owned();
        assert!(Path::new(&path).is_file(), "{path}");
    }
}
