use super::*;

fn md(html: &str) -> String {
    from_html(html).markdown
}

/// The HTML kramdown (Jekyll's options) makes of `markdown`, for the rules that are about what
/// reads back.
fn kramdown(markdown: &str) -> String {
    let doc = postdesk_kramdown::parse(markdown, &postdesk_kramdown::Options::default());
    postdesk_kramdown::to_html(&doc, &postdesk_kramdown::Hooks::default())
}

#[test]
fn headings_paragraphs_and_rules() {
    assert_eq!(
        md("<h1>제목</h1><p>첫 문단</p><hr><h3>작은   제목</h3><p>둘째\n문단</p>"),
        "# 제목\n\n첫 문단\n\n---\n\n### 작은 제목\n\n둘째 문단"
    );
}

#[test]
fn white_space_collapses_as_a_browser_lays_it_out() {
    assert_eq!(md("<p>  a \n\t <b> b </b>  c&nbsp;</p>"), "a **b** c");
    assert_eq!(md("<div>a<div>b</div>c</div>"), "a\n\nb\n\nc");
    assert!(from_html("<span>한 줄</span>").inline);
    assert!(!from_html("<p>a</p><p>b</p>").inline);
}

#[test]
fn bold_and_italic_from_tags_and_styles() {
    assert_eq!(
        md("<b>굵게</b> <i>기울임</i> <strong><em>둘 다</em></strong>"),
        "**굵게** *기울임* ***둘 다***"
    );
    assert_eq!(
        md(
            r#"<span style="font-weight:700">굵게</span><span style="font-style: italic">기울임</span>"#
        ),
        "**굵게***기울임*"
    );
    // Google Docs wraps the whole document in a <b> that is not bold.
    assert_eq!(
        md(
            r#"<b style="font-weight:normal;" id="docs-internal-guid-1"><p><span style="font-weight:400">보통</span> <span style="font-weight:700">굵게</span></p></b>"#
        ),
        "보통 **굵게**"
    );
    // Word's mso-bidi-font-weight:normal is another property: the <b> stays bold.
    assert_eq!(
        md("<b style='mso-bidi-font-weight:normal'>굵게</b>"),
        "**굵게**"
    );
    assert_eq!(
        md("<i>기울임 <b>둘 다</b> 기울임</i>"),
        "*기울임 **둘 다** 기울임*"
    );
}

#[test]
fn emphasis_keeps_spaces_outside_its_markers() {
    assert_eq!(md("<p>a<b> b </b>c</p>"), "a **b** c");
    assert_eq!(md("<p><b> </b>a</p>"), "a");
}

#[test]
fn bold_glued_to_korean_particles_reads_back_bold() {
    let markdown = md("<p><b>컨트롤러(Controller)</b>이다, <b>MOSS</b>를, <i>\"인용\"</i>은</p>");
    assert_eq!(
        markdown,
        "**컨트롤러(Controller)**이다, **MOSS**를, *\"인용\"*은"
    );
    let html = kramdown(&markdown);
    assert!(
        html.contains("<strong>컨트롤러(Controller)</strong>이다"),
        "{html}"
    );
    assert!(html.contains("<strong>MOSS</strong>를"), "{html}");
    assert!(html.contains("<em>“인용”</em>은"), "{html}");
}

#[test]
fn links_keep_ampersands_titles_and_brackets() {
    assert_eq!(
        md(r#"<a href="https://x.com/?a=1&amp;b=2" title="제목">기사 [1]</a>"#),
        r#"[기사 \[1\]](https://x.com/?a=1&b=2 "제목")"#
    );
    assert_eq!(
        md(
            r#"<a href="https://x.com/a b)">x</a> <a href="https://en.wikipedia.org/wiki/Rust_(language)">y</a>"#
        ),
        "[x](https://x.com/a%20b%29) [y](https://en.wikipedia.org/wiki/Rust_(language))"
    );
    assert_eq!(
        md(r##"<a href="#top">위로</a> <a href="javascript:void(0)">x</a>"##),
        "위로 x"
    );
    assert_eq!(
        md(r#"<b>see <a href="https://a.kr">this</a></b>"#),
        "**see [this](https://a.kr)**"
    );
    let html = kramdown(&md(
        r#"<a href="https://x.com/?a=1&amp;b=2&amp;c">a &amp; b</a>"#,
    ));
    assert!(
        html.contains(r#"href="https://x.com/?a=1&amp;b=2&amp;c">a &amp; b</a>"#),
        "{html}"
    );
}

#[test]
fn images_are_linked_where_they_are_on_the_web() {
    assert_eq!(
        md(
            r#"<img src="https://img.kr/a.png" alt="그림 [1]" title="t"><img src="//cdn.kr/b.jpg"><img src="file:///C:/x.png"><img src="data:image/png;base64,AAAA">"#
        ),
        r#"![그림 \[1\]](https://img.kr/a.png "t")![](https://cdn.kr/b.jpg)"#
    );
}

#[test]
fn nested_lists_and_google_docs_sibling_lists() {
    assert_eq!(
        md("<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li><li>d</li></ul>"),
        "- a\n  - b\n    1. c\n- d"
    );
    assert_eq!(
        md("<ol><li><p>one</p></li><ol><li><p>inner</p></li></ol><li><p>two</p></li></ol>"),
        "1. one\n   1. inner\n2. two"
    );
    let html = kramdown(&md("<ul><li>a<ul><li>b</li></ul></li><li>d</li></ul>"));
    assert_eq!(html.matches("<ul>").count(), 2, "{html}");
    // Notion writes a list per item.
    assert_eq!(
        md("<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol>"),
        "- a\n- b\n\n1. c"
    );
}

#[test]
fn word_list_paragraphs_become_lists() {
    let html = "<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>1.<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span></span><![endif]>첫째<o:p></o:p></p>\
<p class=MsoListParagraphCxSpMiddle style='mso-list:l0 level2 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span>&nbsp; </span></span></span><![endif]>안쪽<o:p></o:p></p>\
<p class=MsoListParagraphCxSpLast style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>2.<span>&nbsp; </span></span><![endif]>둘째<o:p></o:p></p><p class=MsoNormal>끝<o:p>&nbsp;</o:p></p>";
    assert_eq!(md(html), "1. 첫째\n   - 안쪽\n2. 둘째\n\n끝");
}

#[test]
fn quotes_code_and_line_breaks() {
    assert_eq!(
        md("<blockquote><p>인용</p><p>둘째</p></blockquote>"),
        "> 인용\n>\n> 둘째"
    );
    assert_eq!(md("<p>a<br>b<br><br></p>"), "a<br/>\nb");
    assert_eq!(
        md("<pre><code class=\"language-rust\">fn main() {\n    let x = \"```\";\n}\n</code></pre>"),
        "````rust\nfn main() {\n    let x = \"```\";\n}\n````"
    );
    assert_eq!(
        md("<p>run <code>a*b</code> and <code>x`y</code></p>"),
        "run `a*b` and ``x`y``"
    );
    assert_eq!(md("<pre>a<br>b</pre>"), "```\na\nb\n```");
}

#[test]
fn tables_as_pipe_tables() {
    assert_eq!(
        md("<table><thead><tr><th>이름</th><th>값</th></tr></thead><tbody><tr><td>a|b</td><td><p>x</p><p>y</p></td></tr><tr><td>c</td></tr></tbody></table>"),
        "| 이름 | 값 |\n|---|---|\n| a\\|b | x<br/>y |\n| c |  |"
    );
    // A table without a header row (Google Docs, Word) has no separator line.
    assert_eq!(
        md("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>"),
        "| a | b |\n| c | d |"
    );
    let html = kramdown(&md(
        "<table><tr><th>h</th></tr><tr><td>a|b</td></tr></table>",
    ));
    assert!(
        html.contains("<th>h</th>") && html.contains("<td>a|b</td>"),
        "{html}"
    );
}

#[test]
fn markdown_syntax_in_text_is_escaped() {
    assert_eq!(
        md(
            r"<p>*별* _밑줄_ snake_case [링크](x) `코드` <b>태그</b> a|b $$x$$ {:.c} {#id} C:\dir\* 5$</p>"
        ),
        r"\*별\* \_밑줄_ snake_case \[링크\](x) \`코드\` **태그** a\|b \$\$x\$\$ \{:.c} \{#id} C:\dir\\\* 5$"
    );
    assert_eq!(
        md("<p>&lt;b&gt; &amp;amp; &amp;#39; &amp; ~~취소~~ a&gt;&gt;b</p>"),
        r"\<b> &amp;amp; &amp;#39; & ~&#126;취소~&#126; a\>>b"
    );
    assert_eq!(
        md("<p>{{ site.url }} {% raw %}</p>"),
        r#"{{ "{{" }} site.url }} {{ "{%" }} raw %}"#
    );
}

#[test]
fn block_syntax_at_the_start_of_a_line_is_escaped() {
    assert_eq!(
        md("<p># 해시<br>&gt; 인용 아님<br>1. 목록 아님<br>- 아님<br>+ 아님<br>: 정의 아님<br>===<br>~~~<br>2024.<br>3.14</p>"),
        "\\# 해시<br/>\n\\> 인용 아님<br/>\n1\\. 목록 아님<br/>\n\\- 아님<br/>\n\\+ 아님<br/>\n\\: 정의 아님<br/>\n\\===<br/>\n~&#126;&#126;<br/>\n2024.<br/>\n3.14"
    );
    assert_eq!(md("<h2>C# 입문 #</h2>"), r"## C\# 입문 \#");
    assert_eq!(md("<p>2024.</p>"), r"2024\.");
}

#[test]
fn escaped_text_reads_back_as_the_same_text() {
    let text = r"*별* _밑줄_ snake_case [링크](x) `코드` a|b $$x$$ {:.c} C:\dir\* ~~s~~ &amp; 1. # > - : \";
    let html = kramdown(&md(&format!(
        "<p>{}</p>",
        text.replace('&', "&amp;").replace('>', "&gt;")
    )));
    let expected = text.replace('&', "&amp;").replace('>', "&gt;");
    assert_eq!(html.trim(), format!("<p>{expected}</p>"), "{html}");
    for line in [
        "# 해시",
        "> 인용",
        "1. 목록",
        "- 목록",
        "+ 목록",
        ": 정의",
        "~~~",
        "===",
    ] {
        let html = kramdown(&md(&format!("<p>앞<br>{}</p>", line.replace('>', "&gt;"))));
        assert!(html.starts_with("<p>앞<br />\n"), "{line}: {html}");
        assert!(
            !html.contains("<h")
                && !html.contains("<blockquote")
                && !html.contains("<ol")
                && !html.contains("<ul")
                && !html.contains("<pre")
                && !html.contains("<dl"),
            "{line}: {html}"
        );
    }
}

#[test]
fn scripts_styles_comments_and_hidden_text_are_dropped() {
    assert_eq!(
        md("<style>p{color:red}</style><script>alert(1)</script><!--StartFragment--><p>보임<span style='display:none'>숨김</span><span style='mso-hide:all'>x</span></p><!--EndFragment-->"),
        "보임"
    );
}
