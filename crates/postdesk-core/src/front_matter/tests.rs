use super::*;

const SEED: &str = "---\n# 기본 설정값\nlayout: single\ntoc: true\ntoc_sticky : true\ntoc_label : 목차\ntoc_icon: \"fas fa-book-reader\"\nauthor_profile: false\nsearch: true\n\n# 제목, 카테고리, 태그\ntitle:  \"[Global_Data_Issue] 2023년 3월\"\ncategories: \"Global_Data_Issue\"\ntag: [Big Data, AI]\n---\n\n# 머리말\n";

fn v(yaml: &str) -> Value {
    parse_value(yaml).unwrap()
}

fn changed<'a>(a: &'a str, b: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let c = crate::document::changed_lines(a, b);
    (c.removed, c.added)
}

#[test]
fn setting_a_field_changes_only_its_line_in_its_style() {
    let out = set(SEED, "title", v("\"[Global_Data_Issue] 2023년 4월\"")).unwrap();
    assert_eq!(
        changed(SEED, &out),
        (
            vec!["title:  \"[Global_Data_Issue] 2023년 3월\"\n"],
            vec!["title:  \"[Global_Data_Issue] 2023년 4월\"\n"]
        )
    );
    let out = set(SEED, "toc_sticky", v("false")).unwrap();
    assert_eq!(changed(SEED, &out).1, ["toc_sticky : false\n"]);
    let out = set(SEED, "toc_label", v("차례")).unwrap();
    assert_eq!(changed(SEED, &out).1, ["toc_label : 차례\n"]);
    // A plain value that would read back differently gets quotes.
    let out = set(SEED, "toc_label", v("\"yes\"")).unwrap();
    assert_eq!(changed(SEED, &out).1, ["toc_label : \"yes\"\n"]);
}

#[test]
fn flow_lists_stay_flow() {
    let out = add(SEED, "tag", v("Korea")).unwrap();
    assert_eq!(changed(SEED, &out).1, ["tag: [Big Data, AI, Korea]\n"]);
    let out = set(SEED, "tag", v("[AI]")).unwrap();
    assert_eq!(changed(SEED, &out).1, ["tag: [AI]\n"]);
    let out = add(SEED, "tag", v("\"a, b\"")).unwrap();
    assert_eq!(changed(SEED, &out).1, ["tag: [Big Data, AI, \"a, b\"]\n"]);
    // A single category becomes a list keeping its quotes.
    let out = add(SEED, "categories", v("Data")).unwrap();
    assert_eq!(
        changed(SEED, &out).1,
        ["categories: [\"Global_Data_Issue\", Data]\n"]
    );
}

#[test]
fn block_lists_stay_block() {
    let text = "---\ntitle: x\ntags:\n  - one\n  - \"two\"\n# tail\n---\nbody\n";
    let out = add(text, "tags", v("three")).unwrap();
    assert_eq!(changed(text, &out), (vec![], vec!["  - three\n"]));
    let out = set(text, "tags", v("[two]")).unwrap();
    assert_eq!(changed(text, &out), (vec!["  - one\n"], vec![]));
    let out = set(text, "tags", v("[]")).unwrap();
    assert_eq!(read(&out).unwrap().get("tags"), Some(&v("[]")));
}

#[test]
fn new_keys_go_beside_related_keys() {
    let out = set(SEED, "date", v("2023-03-22")).unwrap();
    let (removed, added) = changed(SEED, &out);
    assert!(removed.is_empty());
    assert_eq!(added, ["date: 2023-03-22\n"]);
    assert!(
        out.contains("2023년 3월\"\ndate: 2023-03-22\ncategories"),
        "{out}"
    );
    let out = set(SEED, "comments", v("true")).unwrap();
    assert!(
        out.contains("author_profile: false\ncomments: true\nsearch"),
        "{out}"
    );
    let out = set(SEED, "mathjax", v("true")).unwrap();
    assert!(
        out.ends_with("tag: [Big Data, AI]\nmathjax: true\n---\n\n# 머리말\n"),
        "{out}"
    );
    let out = set(SEED, "header.teaser", v("/images/t.png")).unwrap();
    assert_eq!(
        changed(SEED, &out).1,
        ["header:\n", "  teaser: /images/t.png\n"]
    );
}

#[test]
fn nested_keys() {
    let text =
        "---\ntitle: x\nheader:\n  teaser: /a.png # old\n  caption: \"c\"\nsearch: true\n---\n";
    let out = set(text, "header.teaser", v("/b.png")).unwrap();
    assert_eq!(changed(text, &out).1, ["  teaser: /b.png # old\n"]);
    let out = set(text, "header.image", v("/i.png")).unwrap();
    assert_eq!(changed(text, &out), (vec![], vec!["  image: /i.png\n"]));
    let out = unset(text, "header.caption").unwrap();
    assert_eq!(changed(text, &out), (vec!["  caption: \"c\"\n"], vec![]));
    let once = unset(text, "header.caption").unwrap();
    let out = unset(&once, "header.teaser").unwrap();
    assert_eq!(out, "---\ntitle: x\nsearch: true\n---\n");
    let flow = "---\nheader: {teaser: /a.png}\n---\n";
    let out = set(flow, "header.image", v("/i.png")).unwrap();
    assert_eq!(get(&out, "header.image").unwrap(), Some(v("/i.png")));
    assert_eq!(get(&out, "header.teaser").unwrap(), Some(v("/a.png")));
}

#[test]
fn unset_removes_only_the_key_lines() {
    let out = unset(SEED, "toc_icon").unwrap();
    assert_eq!(
        changed(SEED, &out),
        (vec!["toc_icon: \"fas fa-book-reader\"\n"], vec![])
    );
    assert_eq!(unset(SEED, "nothing").unwrap(), SEED);
    let out = unset(SEED, "tag").unwrap();
    assert!(out.contains("categories: \"Global_Data_Issue\"\n---\n"));
}

#[test]
fn a_post_without_front_matter_gets_one() {
    let out = set("# Hi\n", "title", v("Hello")).unwrap();
    assert_eq!(out, "---\ntitle: Hello\n---\n# Hi\n");
    let out = set("---\n---\nbody", "toc", v("true")).unwrap();
    assert_eq!(out, "---\ntoc: true\n---\nbody");
}

#[test]
fn complex_values_are_rewritten_whole_and_read_back() {
    let text = "---\nexcerpt: |\n  two\n  lines\ngallery:\n  - url: /a.png\n    alt: a\n---\n";
    let out = set(text, "excerpt", v("one line")).unwrap();
    assert_eq!(
        changed(text, &out),
        (
            vec!["excerpt: |\n", "  two\n", "  lines\n"],
            vec!["excerpt: one line\n"]
        )
    );
    let out = add(text, "gallery", v("{url: /b.png, alt: b}")).unwrap();
    assert_eq!(
        get(&out, "gallery").unwrap(),
        Some(v("[{url: /a.png, alt: a}, {url: /b.png, alt: b}]"))
    );
    let out = set(text, "excerpt", v("\"두 줄\\n글\"")).unwrap();
    assert_eq!(
        get(&out, "excerpt").unwrap(),
        Some(Value::String("두 줄\n글".into()))
    );
}

#[test]
fn bad_front_matter_is_refused_with_its_line() {
    let unclosed = "---\ntitle: x\nno end\n";
    assert_eq!(set(unclosed, "toc", v("true")), Err(FmError::Unclosed));
    let list = "---\n- a\n---\n";
    assert!(matches!(
        set(list, "toc", v("true")),
        Err(FmError::Invalid(FrontMatterError::NotAMapping { .. }))
    ));
    let dup = "---\ntitle: a\ntitle: b\n---\n";
    let err = set(dup, "toc", v("true")).unwrap_err().to_string();
    assert_eq!(
        err,
        "front matter line 3, column 1: `title` is set twice; remove one of them"
    );
    let later = "---\nlayout: single\ntoc: true\ntitle: a\ncategories: x\ntitle: b\n---\n";
    let err = set(later, "toc", v("false")).unwrap_err().to_string();
    assert_eq!(
        err,
        "front matter line 6, column 1: `title` is set twice; remove one of them"
    );
    let tabs = "---\ntitle: a\nheader:\n\tteaser: x\n---\n";
    let err = set(tabs, "toc", v("true")).unwrap_err().to_string();
    assert_eq!(
        err,
        "front matter line 4, column 1: this line is indented with a tab; YAML needs spaces"
    );
    assert!(matches!(set(SEED, "a..b", v("1")), Err(FmError::BadKey(_))));
    assert_eq!(
        get(&add(SEED, "header.x", v("1")).unwrap(), "header.x").unwrap(),
        Some(v("[1]"))
    );
    let nested = set(SEED, "title.sub", v("1")).unwrap_err();
    assert!(
        matches!(nested, FmError::ParentNotAMapping { .. }),
        "{nested}"
    );
}

#[test]
fn a_one_megabyte_front_matter_is_edited() {
    let mut text = String::from("---\n");
    for i in 0..30_000 {
        text.push_str(&format!("key{i}: \"value number {i} with some words\"\n"));
    }
    text.push_str("---\nbody\n");
    assert!(text.len() > 1_000_000);
    let out = set(&text, "key29999", v("changed")).unwrap();
    assert_eq!(changed(&text, &out).1, ["key29999: \"changed\"\n"]);
}
