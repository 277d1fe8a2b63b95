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

/// The figures the theme gives `html` (a post's published content) through its own
/// `_includes/page__meta.html` (the site's copy when it has one), rendered by Ruby's Liquid with
/// Jekyll 4.3's filters (Debian's jekyll): the words it counts, its read time, and the
/// characters of the text a reader sees, with and without spaces.
fn theme_figures(html: &str, words_per_minute: u32, include: &std::path::Path) -> String {
    const SCRIPT: &str = r##"
require "jekyll"
require "cgi"
html = STDIN.read
Liquid::Template.register_filter(Jekyll::Filters)
meta = File.read(ARGV[1])
mode = meta[/number_of_words:\s*["'](\w+)["']/, 1]
page = { "read_time" => true, "content" => html, "words_per_minute" => ARGV[0].to_i }
shown = Liquid::Template.parse(meta).render("page" => page, "site" => { "data" => {} })
read = shown[/(less than 1|\d+) minute read/, 1]
words = Liquid::Template.parse("{{ c | strip_html | number_of_words: m }}").render("c" => html, "m" => mode)
text = CGI.unescapeHTML(Liquid::Template.parse("{{ c | strip_html }}").render("c" => html))
text = text.unicode_normalize(:nfc).strip
puts "words: #{words}"
puts "characters: #{text.gsub(/[[:space:]]+/, " ").length}"
puts "characters without spaces: #{text.gsub(/[[:space:]]+/, "").length}"
puts "words per minute: #{ARGV[0]}"
puts "read time: #{read == "less than 1" ? "less than 1 minute" : read == "1" ? "1 minute" : "#{read} minutes"}"
"##;
    let mut ruby = std::process::Command::new("ruby")
        .args(["-e", SCRIPT, &words_per_minute.to_string()])
        .arg(include)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("ruby runs (Debian package jekyll)");
    use std::io::Write;
    ruby.stdin
        .take()
        .unwrap()
        .write_all(html.as_bytes())
        .unwrap();
    stdout(&ruby.wait_with_output().unwrap())
}

#[test]
fn stats_counts_as_the_theme_counts() {
    let site = common::sample_site();
    let post = site.post("_posts/2023-05-01-counts.md");
    // 한글 as macOS pastes it (NFD): Jekyll counts what the file holds, jamo by jamo in `cjk`.
    let decomposed = "맥에서 붙여 넣은 \u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}";
    std::fs::write(
        &post,
        format!(
            "---\ntitle: 글자 수\nread_time: true\nwords_per_minute: 7\n---\n\
             # 이번 달의 데이터 뉴스\n\n\
             OpenAI가 **GPT-4**를 발표했습니다. 성능은 [논문](https://example.com/a?b=1&c=2)에 \
             나옵니다 & 더 많은 것은 다음 달에.\n\n\
             * 첫째: 데이터 분석\n* 둘째: R &lt;-&gt; Python\n\n\
             {decomposed}\n\n\
             ```python\nprint(\"안녕\")\n```\n\n\
             > 인용문\u{a0}끝\n"
        ),
    )
    .unwrap();
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/themes/minimal-mistakes-4.27.3");
    let include = theme.join("_includes/page__meta.html");
    let html = stdout(&postdesk(&["render".as_ref(), post.as_os_str()]));
    let ours = stdout(&postdesk(&["stats".as_ref(), post.as_os_str()]));
    assert_eq!(ours, theme_figures(&html, 7, &include));
    assert!(ours.starts_with("words: 29\n"), "{ours}");
    assert!(ours.ends_with("read time: 4 minutes\n"), "{ours}");

    // A site whose copy of the include counts in `cjk` mode: each syllable is a word.
    let includes = site.post("_includes");
    std::fs::create_dir_all(&includes).unwrap();
    let cjk = std::fs::read_to_string(&include)
        .unwrap()
        .replace("number_of_words", "number_of_words: \"cjk\"");
    std::fs::write(includes.join("page__meta.html"), cjk).unwrap();
    let ours = stdout(&postdesk(&["stats".as_ref(), post.as_os_str()]));
    assert_eq!(
        ours,
        theme_figures(&html, 7, &includes.join("page__meta.html"))
    );
    assert!(ours.starts_with("words: 77\n"), "{ours}");
    assert!(ours.ends_with("read time: 11 minutes\n"), "{ours}");
}

#[test]
fn search_finds_text_whatever_its_case_and_hangul_form() {
    let site = common::sample_site();
    let search = |query: &str, regex: bool| {
        let mut args = vec!["search".as_ref(), site.root.as_os_str(), query.as_ref()];
        if regex {
            args.push("--regex".as_ref());
        }
        postdesk(&args)
    };
    // 한글 as macOS writes it (NFD), in a post; the query composed (NFC), and the other way.
    let nfd = "\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}";
    std::fs::write(
        site.post("_posts/2023-05-01-nfd.md"),
        format!("---\ntitle: NFD\n---\nmacOS {nfd} text\n"),
    )
    .unwrap();
    std::fs::write(
        site.post("_posts/2023-05-02-nfc.md"),
        "---\ntitle: NFC\n---\n\n둘째 줄의 한글과 ChatGPT\n",
    )
    .unwrap();
    let composed = stdout(&search("한글", false));
    let decomposed = stdout(&search(nfd, false));
    assert_eq!(composed, decomposed);
    assert!(
        composed.contains(&format!("_posts/2023-05-01-nfd.md:4: macOS {nfd} text\n")),
        "{composed}"
    );
    assert!(
        composed.contains("_posts/2023-05-02-nfc.md:5: 둘째 줄의 한글과 ChatGPT\n"),
        "{composed}"
    );

    // Case makes no difference; each line is printed once, posts in the post list's order.
    let gpt = stdout(&search("chatgpt", false));
    assert!(
        gpt.contains("_posts/2023-05-02-nfc.md:5: 둘째 줄의 한글과 ChatGPT\n"),
        "{gpt}"
    );
    assert_eq!(gpt.lines().filter(|l| l.contains("nfc.md:5:")).count(), 1);

    // A regular expression, and text that only looks like one.
    let regex = stdout(&search(r"^둘째 \S+ 한.", true));
    assert_eq!(
        regex,
        "_posts/2023-05-02-nfc.md:5: 둘째 줄의 한글과 ChatGPT\n"
    );
    let out = search("한.과", false);
    assert_eq!(out.status.code(), Some(1), "a dot is a dot without --regex");

    // Nothing found: exit 1, nothing printed; a broken expression: exit 2 with the reason.
    let out = search("없는 말 zzq", false);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let out = search("(", true);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("regex parse error"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A draft with a front-matter date and an image in `images/<its name>/`, linked twice.
const DRAFT: &str =
    "---\ntitle: \"4월호 초안\"\ndate: 2023-04-22\ncategories: Global_Data_Issue\n---\n\
    ![m](/images/april/m.png)\n\n<img src=\"{{ site.url }}/images/april/m.png\" alt=\"m\">\n";

fn with_draft(root: &std::path::Path) -> PathBuf {
    let draft = root.join("_drafts/april.md");
    std::fs::write(&draft, DRAFT).unwrap();
    std::fs::create_dir_all(root.join("images/april")).unwrap();
    std::fs::copy(
        root.join("images/2023-03-22-gdata33/m.png"),
        root.join("images/april/m.png"),
    )
    .unwrap();
    draft
}

#[test]
fn publish_draft_moves_the_draft_its_images_and_links_and_refuses_a_taken_name() {
    let site = common::sample_site();
    let draft = with_draft(&site.root);
    let dry = stdout(&postdesk(&[
        "publish-draft".as_ref(),
        draft.as_os_str(),
        "--dry-run".as_ref(),
    ]));
    assert_eq!(
        dry,
        "_drafts/april.md -> _posts/2023-04-22-april.md\n\
         images/april/ -> images/2023-04-22-april/ (2 links in the post)\n"
    );
    assert!(draft.exists(), "a dry run changes nothing");

    // A post of that date and name is there already: refused, nothing moves.
    let taken = site.post("_posts/2023-04-22-april.md");
    std::fs::write(&taken, "---\ntitle: taken\n---\n").unwrap();
    let refused = postdesk(&["publish-draft".as_ref(), draft.as_os_str()]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        "postdesk: _posts/2023-04-22-april.md already exists; rename the draft or give it \
         another date, then publish it\n"
    );
    assert_eq!(std::fs::read_to_string(&draft).unwrap(), DRAFT);
    assert!(site.post("images/april/m.png").is_file());
    std::fs::remove_file(&taken).unwrap();

    stdout(&postdesk(&["publish-draft".as_ref(), draft.as_os_str()]));
    assert!(!draft.exists() && !site.post("images/april").exists());
    assert!(site.post("images/2023-04-22-april/m.png").is_file());
    assert_eq!(
        std::fs::read_to_string(&taken).unwrap(),
        DRAFT.replace("/images/april/", "/images/2023-04-22-april/")
    );
    // Published, it renders with its image found.
    let html = stdout(&postdesk(&[
        "render".as_ref(),
        taken.as_os_str(),
        "--target".as_ref(),
        "preview".as_ref(),
    ]));
    let sources: Vec<PathBuf> = html
        .split("src=\"file://")
        .skip(1)
        .map(|s| {
            percent_decode_str(&s[..s.find('"').unwrap()])
                .decode_utf8_lossy()
                .into_owned()
        })
        .map(PathBuf::from)
        .collect();
    assert_eq!(sources.len(), 2, "{html}");
    assert!(sources.iter().all(|s| s.is_file()), "{sources:?}");

    // A draft without a date is dated today (in the site's timezone, as `new` dates posts).
    let undated = site.post("_drafts/gdata34-draft.md");
    let out = stdout(&postdesk(&[
        "publish-draft".as_ref(),
        undated.as_os_str(),
        "--dry-run".as_ref(),
    ]));
    let made = stdout(&postdesk(&[
        "new".as_ref(),
        "--site".as_ref(),
        site.root.as_os_str(),
        "--title".as_ref(),
        "today".as_ref(),
    ]));
    let today = &made[made.find("_posts").unwrap() + 7..][..10];
    assert_eq!(
        out,
        format!("_drafts/gdata34-draft.md -> _posts/{today}-gdata34-draft.md\n")
    );
    // Only drafts are published this way.
    let post = site.post(GDATA);
    let not_draft = postdesk(&["publish-draft".as_ref(), post.as_os_str()]);
    assert_eq!(not_draft.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&not_draft.stderr)
        .contains("_posts/2023-03-22-gdata33.md is not a draft"));
}

#[test]
fn lint_warns_on_a_future_post_only_when_the_site_has_future_false() {
    let site = common::sample_site();
    let later = "_posts/2999-01-01-later.md";
    std::fs::write(
        site.post(later),
        "---\ntitle: Later\ncategories: news\ndate: 2999-01-01 09:00:00 +0900\n---\nSoon.\n",
    )
    .unwrap();
    // Dated by its file name only.
    let named = "_posts/2999-02-01-named.md";
    std::fs::write(site.post(named), "---\ntitle: Named\n---\nSoon.\n").unwrap();
    let past = "_posts/2000-01-01-past.md";
    std::fs::write(
        site.post(past),
        "---\ntitle: Past\ndate: 2000-01-01 09:00\n---\nDone.\n",
    )
    .unwrap();
    let lint = |rel: &str| postdesk(&["lint".as_ref(), site.post(rel).as_os_str()]);
    // The sample's _config.yml sets no `future`: Jekyll 4.3's default is false.
    let out = lint(later);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "_posts/2999-01-01-later.md:4: warning: Jekyll will not publish this post until \
         2999-01-01 09:00:00 +0900: the site has `future: false`\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&lint(named).stdout),
        "_posts/2999-02-01-named.md:warning: Jekyll will not publish this post until \
         2999-02-01: the site has `future: false`\n"
    );
    assert!(lint(past).status.success());
    let config = site.post("_config.yml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}future: true\n")).unwrap();
    for rel in [later, named, past] {
        let out = lint(rel);
        assert!(
            out.status.success(),
            "{rel}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn outline_prints_the_headings_with_the_ids_the_site_render_gives() {
    let site = common::sample_site();
    let post = site.post(GDATA);
    let text = std::fs::read_to_string(&post).unwrap();
    let html = stdout(&postdesk(&["render".as_ref(), post.as_os_str()]));
    let ours = stdout(&postdesk(&["outline".as_ref(), post.as_os_str()]));
    let mut lines = ours.lines();
    assert_eq!(lines.next(), Some("TOC: 목차"), "{ours}");
    let mut ids = Vec::new();
    for line in lines {
        // `   17  머리말  #머리말  [toc]`
        let (number, rest) = line.trim_start().split_once("  ").expect(line);
        let number: usize = number.parse().expect(line);
        let (heading, id) = rest
            .trim_start()
            .rsplit_once("  #")
            .map_or((rest, ""), |(h, i)| (h, i));
        let id = id.trim_end_matches("  [toc]");
        let written = text.lines().nth(number - 1).expect(line);
        assert!(written.starts_with('#'), "line {number} is {written:?}");
        assert!(
            written.ends_with(heading.trim()),
            "{written:?} vs {heading:?}"
        );
        ids.push(format!("id=\"{id}\""));
    }
    assert!(ids.len() >= 5, "{ours}");
    let published: Vec<&str> = html
        .match_indices("<h")
        .filter(|(at, _)| html[at + 2..].starts_with(|c: char| c.is_ascii_digit()))
        .filter_map(|(at, _)| html[at..].split('>').next()?.split(' ').nth(1))
        .collect();
    assert_eq!(ids, published);
    assert!(ours.contains("머리말  #머리말  [toc]"), "{ours}");
}
