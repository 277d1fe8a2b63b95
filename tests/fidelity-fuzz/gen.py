#!/usr/bin/env python3
"""gen.py - seeded generator of small markdown documents as Korean and English bloggers write them.

A document is a list of blocks; each block is a list of lines. Blocks are drawn from a weighted
grammar (paragraphs, headers, lists, quotes, code, math, tables, HTML, IAL/ALD, definitions...)
whose text is drawn from weighted inline pieces (Hangul with particles glued to emphasis, code
spans, links and images with odd URLs, quotes, math, HTML spans, entities, typographic marks...).
Document i of seed S depends on (S, i) only: `doc(S, i)` is the same whatever N is.

Liquid: only `{{ site.url }}` (spelled with and without spaces); SITE says what it stands for.

    python3 gen.py --seed 1 --n 3        # print three documents
"""
import argparse
import random

SITE = {"url": "https://fuzz.example.com"}

# --- words -------------------------------------------------------------------------------------
HANGUL = ["스프링", "컨트롤러", "기저벡터", "행렬", "데이터", "모델", "함수", "서버", "요청", "응답",
          "블로그", "포스트", "이미지", "벡터", "공간", "선형대수", "프론트", "백엔드", "사용자",
          "설정", "예제", "결과", "코드", "파일", "테이블", "학습", "정리", "오늘", "문제", "해결"]
PARTICLE = ["이다", "를", "을", "은", "는", "가", "이", "에서", "으로", "의", "와", "도", "에",
            "입니다", "이다.", "를.", "라고", "처럼", "만"]
ENGLISH = ["the", "controller", "vector", "space", "model", "request", "Spring", "Jekyll", "post",
           "image", "data", "server", "function", "value", "basis", "matrix", "we", "can", "use",
           "static", "tool", "Front", "Controller", "API", "HTTP", "is", "a", "of", "to", "and"]
PAREN = ["(Controller)", "(Front Controller)", "(basis)", "(API)", "(예시)", "(e.g. x)", "(1)"]
URLS = [
    "https://example.com", "https://example.com/a/b.html", "http://example.com/path?q=1&r=2",
    "/assets/img/pic.png", "images/a.png", "https://x.github.io\\images\\post\\main.png",
    "{{ site.url }}/images/2023-11-26-vector/vector_ perspective.png",
    "{{site.url}}/images/post/pic.png", "{{ site.url }}/assets/a b c.jpg",
    "https://example.com/path with space", "#section", "mailto:me@example.com",
    "https://ko.wikipedia.org/wiki/선형대수학", "../img/x_y.png", "https://example.com/a_b_c",
    "{{ site.url }}\\images\\post\\b.png",
]
LANGS = ["python", "ruby", "js", "java", "bash", "c", "", "", "text", "yaml", "plaintext",
         "unknownlang", "html", "sql", "diff"]
ENTITIES = ["&amp;", "&copy;", "&#8212;", "&nbsp;", "&lt;", "&gt;", "&quot;", "&hellip;",
            "&#x27;", "&rarr;", "&", "&foo;"]


def pick(r, weighted):
    """weighted: list of (weight, value); value may be a function of r."""
    total = sum(w for w, _ in weighted)
    x = r.random() * total
    for w, v in weighted:
        x -= w
        if x < 0:
            return v(r) if callable(v) else v
    v = weighted[-1][1]
    return v(r) if callable(v) else v


class Doc:
    """What a document's pieces refer to, so that its definitions can follow."""

    def __init__(self, r):
        self.r = r
        self.refs = []        # reference-link names used
        self.notes = []       # footnote names used
        self.abbrs = []       # abbreviations used
        self.ids = 0


# --- inline pieces ---------------------------------------------------------------------------------
def hangul(r, n=None):
    n = n or r.randint(1, 3)
    return " ".join(r.choice(HANGUL) + (r.choice(PARTICLE) if r.random() < 0.5 else "")
                    for _ in range(n))


def english(r, n=None):
    n = n or r.randint(1, 4)
    return " ".join(r.choice(ENGLISH) for _ in range(n))


def words(r):
    return pick(r, [(5, hangul), (4, english),
                    (2, lambda r: hangul(r, 1) + r.choice(PAREN)),
                    (1, lambda r: r.choice(HANGUL) + r.choice(["'", "’"]) + r.choice(PARTICLE))])


def quoted(r):
    q = r.choice(['"', '"', "'", "“", "‘"])
    close = {"“": "”", "‘": "’"}.get(q, q)
    inner = pick(r, [(3, lambda r: r.choice(HANGUL)), (2, english), (1, hangul)])
    after = r.choice(["", "", r.choice(PARTICLE), " ", "."])
    return q + inner + close + after


def emphasis(r, d, depth):
    mark = pick(r, [(5, "**"), (4, "*"), (2, "__"), (2, "_"), (1, "***")])
    inner = pick(r, [
        (4, lambda r: r.choice(HANGUL) + (r.choice(PAREN) if r.random() < 0.4 else "")),
        (2, lambda r: '"' + r.choice(HANGUL) + '"'),
        (1, lambda r: "'" + r.choice(ENGLISH) + "'"),
        (2, english),
        (1, lambda r: inline(r, d, depth + 1, 1, 2)),
        (1, lambda r: "`" + r.choice(ENGLISH) + "`"),
    ])
    if r.random() < 0.08:
        inner = " " + inner  # a space inside: not emphasis for kramdown
    glued = pick(r, [(6, lambda r: r.choice(PARTICLE)), (3, ""), (1, "."), (1, ","),
                     (1, lambda r: r.choice(HANGUL))])
    before = pick(r, [(6, ""), (1, lambda r: r.choice(HANGUL)), (1, "(")])
    ial = "{: .highlight}" if r.random() < 0.04 else ""
    return before + mark + inner + mark + ial + glued


def code_span(r):
    return pick(r, [(5, lambda r: "`" + r.choice(["x = 1", "render_post", "a*b*c", "<div>",
                                                     "$x$", "__init__", "코드", "a | b",
                                                     "{: .x}", "&amp;", "a\\b"]) + "`"),
                    (1, lambda r: "`` a`b ``"), (1, lambda r: "``" + r.choice(ENGLISH) + "``")])


def url(r):
    u = r.choice(URLS)
    if r.random() < 0.15:
        u = "<" + u + ">"
    if r.random() < 0.15:
        u += ' "' + pick(r, [(1, "Title"), (1, lambda r: r.choice(HANGUL)), (1, "a 'b'")]) + '"'
    return u


def link(r, d, depth):
    text = pick(r, [(3, words), (1, lambda r: emphasis(r, d, depth + 1)), (1, code_span)])
    kind = pick(r, [(6, "inline"), (2, "ref"), (1, "collapsed"), (1, "shortcut"), (1, "auto")])
    if kind == "inline":
        return f"[{text}]({url(r)})"
    if kind == "auto":
        return r.choice(["<https://example.com/a>", "<me@example.com>", "https://example.com/b",
                         "www.example.com"])
    name = r.choice(["ref", "1", "링크", "Spring Docs", "a_b"])
    if r.random() < 0.85:
        d.refs.append(name)
    if kind == "ref":
        return f"[{text}][{name}]"
    if kind == "collapsed":
        return f"[{name}][]"
    return f"[{name}]"


def image(r, d):
    alt = pick(r, [(2, lambda r: r.choice(HANGUL)), (1, lambda r: "vector_ perspective"),
                   (1, english), (1, "")])
    src = pick(r, [(5, url), (1, lambda r: "{{ site.url }}/images/a\nb.png")])
    out = f"![{alt}]({src})"
    if r.random() < 0.1:
        name = r.choice(["img", "그림"])
        d.refs.append(name)
        out = f"![{alt}][{name}]"
    if r.random() < 0.35:
        out += r.choice(["{: .align-center}", "{: .align-center }", "{: width=\"50%\"}",
                         "{:.img-responsive}", "{: .align-left style=\"zoom:50%\"}"])
    return out


def math_inline(r):
    body = r.choice(["x^2", "a_i + b_i", "\\vec{v}", "\\frac{1}{2}", "xy", "x", "|A|",
                     "\\{a, b\\}", "A^T A", "e^{i\\pi}"])
    return pick(r, [(3, "$$" + body + "$$"), (2, "$" + body + "$"),
                    (1, "\\$" + body + "$"), (1, "$5 and $6")])


def html_span(r, d, depth):
    return pick(r, [
        (3, "<br>"), (1, "<br/>"), (1, "<br />"),
        (2, lambda r: f'<span style="color:red">{words(r)}</span>'),
        (1, lambda r: f'<span class="x" markdown="1">*{r.choice(HANGUL)}*</span>'),
        (2, lambda r: f"<kbd>Ctrl</kbd>+<kbd>{r.choice('CVZ')}</kbd>"),
        (1, lambda r: f"<b>{words(r)}</b>"), (1, lambda r: f"<sup>{r.randint(1, 9)}</sup>"),
        (1, "<html>"), (1, "<T>"), (1, "List<String>"), (1, "a < b > c"),
        (1, lambda r: f"<a href=\"{r.choice(URLS[:4])}\">{words(r)}</a>"),
        (1, "<!-- note -->"), (1, "<img src=\"/a.png\" alt=\"a\">"),
    ])


def footnote_ref(r, d):
    name = r.choice(["1", "2", "note", "주석"])
    if r.random() < 0.9:
        d.notes.append(name)
    return f"[^{name}]"


def abbr(r, d):
    a = r.choice(["HTML", "API", "CSS", "MVC"])
    d.abbrs.append(a)
    return a


def typo(r):
    return r.choice(["--", "---", "...", "<<", ">>", " -- ", "…", "->", "=>", "1--2", "a...b"])


def escape(r):
    return r.choice(["\\*", "\\_", "\\|", "\\$", "\\[", "\\#", "\\\\", "\\`", "\\<", "\\{"])


def inline_piece(r, d, depth):
    pieces = [
        (14, words), (9, lambda r: emphasis(r, d, depth)), (3, quoted), (3, code_span),
        (4, lambda r: link(r, d, depth)), (2, lambda r: image(r, d)), (2, math_inline),
        (2, lambda r: html_span(r, d, depth)), (1, lambda r: "~~" + words(r) + "~~"),
        (1, lambda r: r.choice(ENTITIES)), (2, typo), (1, lambda r: footnote_ref(r, d)),
        (1, lambda r: abbr(r, d)), (1, escape),
        (1, lambda r: r.choice(["1)", "2.", "a)", "|", "#", "+", "*", "_", "~", "$", "}",
                                "[", "]", ":", "100%", "5*3", "2 * 3", "snake_case_name"])),
    ]
    if depth > 1:
        pieces = pieces[:4]
    return pick(r, pieces)


def inline(r, d, depth=0, lo=2, hi=7):
    out = ""
    for _ in range(r.randint(lo, hi)):
        p = inline_piece(r, d, depth)
        if out and not out.endswith((" ", "\n")):
            sep = pick(r, [(8, " "), (2, ""), (1, "  ")])
            out += sep
        out += p
    return out.strip(" ") or hangul(r)


def text_lines(r, d, lo=1, hi=3):
    lines = [inline(r, d) for _ in range(r.randint(lo, hi))]
    # hard breaks: two spaces or a backslash at a line's end
    for i in range(len(lines) - 1):
        if r.random() < 0.12:
            lines[i] += r.choice(["  ", "\\\\", "\\"])
    out = []
    for ln in lines:
        out.extend(ln.split("\n"))
    return out


# --- blocks ----------------------------------------------------------------------------------------
def paragraph(r, d):
    lines = text_lines(r, d)
    if r.random() < 0.12:
        lines.append(r.choice(["{: .notice}", "{: .notice--info}", "{:.text-center}",
                               "{: #para-id}", "{: style=\"color: red\"}"]))
    return lines


def header(r, d):
    level = pick(r, [(3, 1), (4, 2), (3, 3), (1, 4), (1, 5), (1, 6)])
    text = pick(r, [(3, hangul), (2, english), (2, lambda r: inline(r, d, 1, 1, 3)),
                    (1, lambda r: "<br>"), (1, lambda r: hangul(r, 1) + " " + quoted(r))])
    text = text.replace("\n", " ")
    form = pick(r, [(8, "atx"), (2, "setext")])
    suffix = pick(r, [(8, ""), (1, lambda r: " {#" + r.choice(["intro", "sec-1", "머리말"]) + "}"),
                      (1, lambda r: " " + "#" * level)])
    if form == "setext" and level <= 2:
        under = ("=" if level == 1 else "-") * r.randint(2, 8)
        return [text + suffix, under]
    sp = " " if r.random() < 0.93 else ""
    lines = ["#" * level + sp + text + suffix]
    if r.random() < 0.1:
        lines.append(r.choice(["{: .no_toc}", "{: .text-center}", "{:#custom-id}"]))
    return lines


def item_text(r, d):
    return pick(r, [(5, lambda r: inline(r, d, 0, 1, 4)),
                    (1, lambda r: "[ ] " + words(r)), (1, lambda r: "[x] " + words(r)),
                    (1, lambda r: words(r) + " | " + words(r)),
                    (1, lambda r: words(r) + " 1) " + words(r))]).split("\n")


def list_block(r, d, depth=0):
    ordered = r.random() < 0.4
    if ordered:
        style = pick(r, [(6, "."), (1, ")")])
        start = pick(r, [(6, 1), (1, 0), (1, 3)])
    else:
        bullet = r.choice("-*+")
    loose = r.random() < 0.3
    lines = []
    n = r.randint(1, 4)
    for i in range(n):
        marker = f"{start + i if r.random() < 0.8 else 1}{style}" if ordered else bullet
        gap = pick(r, [(10, " "), (1, "  "), (1, "\t"), (1, "   ")])
        prefix = marker + gap
        indent = " " * len(prefix) if "\t" not in gap else "\t"
        txt = item_text(r, d)
        lines.append(prefix + txt[0])
        for t in txt[1:]:
            lines.append(indent + t)
        if r.random() < 0.15:  # lazy continuation
            lines.append(inline(r, d, 0, 1, 2).split("\n")[0])
        if r.random() < 0.12:  # a second paragraph in the item
            lines.append("")
            lines.append(indent + inline(r, d, 0, 1, 3).split("\n")[0])
        if r.random() < 0.08:  # code in the item
            lines.append("")
            if r.random() < 0.5:
                lines += [indent + "```", indent + "x\t= 1", indent + "```"]
            else:
                lines += [indent + "    code", indent + "\tmore"]
        if depth < 2 and r.random() < 0.25:  # nested list
            sub_indent = pick(r, [(4, indent), (2, "  "), (2, "    "), (1, "\t"), (1, " ")])
            if r.random() < 0.3:
                lines.append("")
            for ln in list_block(r, d, depth + 1):
                lines.append(sub_indent + ln if ln else "")
        if loose and i < n - 1:
            lines.append("")
    return lines


def blockquote(r, d, depth=0):
    inner = pick(r, [(5, lambda r: text_lines(r, d)), (1, lambda r: list_block(r, d, 1)),
                     (1, lambda r: fenced(r)), (1, lambda r: header(r, d))])
    if depth == 0 and r.random() < 0.15:
        inner = inner + [""] + blockquote(r, d, 1)
    out = []
    for i, ln in enumerate(inner):
        if i > 0 and r.random() < 0.12 and ln and not ln.startswith((" ", "\t", "`", "~")):
            out.append(ln)  # lazy
        else:
            out.append((">" + (" " if r.random() < 0.9 else "") + ln) if ln else ">")
    return out


def code_body(r):
    lines = []
    for _ in range(r.randint(1, 4)):
        lines.append(pick(r, [
            (3, lambda r: r.choice(["def f(x):", "x = 1", "print(\"안녕\")", "if a < b && c:",
                                    "<div class=\"x\">", "int main() {", "  return 0;", "}",
                                    "SELECT * FROM t;", "# comment", "a | b | c"])),
            (2, lambda r: "\t" + r.choice(["return x", "x\t= 1", "pass"])),
            (1, lambda r: "  a\tb\tc"), (1, lambda r: "ab\tc"), (1, ""),
            (1, lambda r: "$$x$$ and *not* emphasis"),
        ]))
    while lines and not lines[-1]:
        lines.pop()
    return lines or ["x"]


def fenced(r):
    fence = pick(r, [(4, "```"), (1, "~~~"), (1, "````")])
    lang = r.choice(LANGS)
    sp = " " if lang and r.random() < 0.2 else ""
    out = [fence + sp + lang] + code_body(r)
    if r.random() < 0.97:
        out.append(fence)
    return out


def indented(r):
    return [pick(r, [(3, "    "), (1, "\t"), (1, "     ")]) + ln if ln else "" for ln in code_body(r)]


def math_block(r):
    body = r.choice(["x^2 + y^2 = 1", "\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}",
                     "\\vec{v} = a\\vec{i} + b\\vec{j}", "A = \\begin{bmatrix} 1 & 2 \\end{bmatrix}"])
    return pick(r, [(3, ["$$", body, "$$"]), (2, ["$$" + body + "$$"]),
                    (1, ["$$", body, "$$", "$$", "y = 2", "$$"]),
                    (1, ["$$", body, "", "z", "$$"]), (1, ["$" + body + "$"])])


def table(r, d):
    cols = r.randint(1, 4)
    lead = r.random() < 0.8
    def row(cells):
        s = " | ".join(cells)
        return ("| " + s + " |") if lead else s
    head = [pick(r, [(2, lambda r: r.choice(HANGUL)), (1, lambda r: r.choice(ENGLISH)),
                     (1, lambda r: "**" + r.choice(HANGUL) + "**")]) for _ in range(cols)]
    aligns = [r.choice(["---", ":---", "---:", ":---:", "-"]) for _ in range(cols)]
    out = [row(head), row(aligns)]
    for _ in range(r.randint(0, 3)):
        out.append(row([inline(r, d, 1, 1, 2).replace("\n", " ").replace("|", "\\|")
                        for _ in range(cols)]))
    return out


def hr(r):
    return [r.choice(["---", "***", "* * *", "___", "- - -", "----------"])]


def html_block(r, d):
    return pick(r, [
        (3, lambda r: ['<div markdown="1">', *text_lines(r, d, 1, 2), "</div>"]),
        (2, lambda r: ["<div class=\"notice\">", *text_lines(r, d, 1, 1), "</div>"]),
        (1, lambda r: ['<p align="center">', f'  <img src="{{{{ site.url }}}}/a.png" width="50%">', "</p>"]),
        (1, lambda r: ["<details>", f"<summary>{r.choice(HANGUL)}</summary>", "",
                       *text_lines(r, d, 1, 1), "", "</details>"]),
        (1, lambda r: ["<!-- " + words(r) + " -->"]), (1, lambda r: ["<br>"]),
        (1, lambda r: ["<center>" + words(r) + "</center>"]),
        (1, lambda r: ['<div markdown="block">', "", "- " + words(r), "", "</div>"]),
        (1, lambda r: ["<table>", "<tr><td>" + words(r) + "</td></tr>", "</table>"]),
        (1, lambda r: ['<span markdown="1">*' + r.choice(HANGUL) + "*</span>"]),
        (1, lambda r: ["<script>var a = 1 < 2;</script>"]),
    ])


def ald_block(r):
    name = r.choice(["cls", "note"])
    return [f"{{:{name}: .{r.choice(['red', 'big'])} #{r.choice(['x', 'y'])}}}",
            "", r.choice(HANGUL) + r.choice(PARTICLE), f"{{: {name}}}"]


def toc(r):
    return [r.choice(["* TOC", "1. TOC", "- toc"]), "{:toc}"]


def block(r, d):
    return pick(r, [
        (30, lambda r: paragraph(r, d)), (10, lambda r: header(r, d)),
        (12, lambda r: list_block(r, d)), (5, lambda r: blockquote(r, d)),
        (6, fenced), (2, indented), (4, math_block), (4, lambda r: table(r, d)), (3, hr),
        (4, lambda r: html_block(r, d)), (1, ald_block), (1, toc),
    ])


def definitions(r, d):
    """Blocks defining what the document referred to (most of it; some stay undefined)."""
    out = []
    for name in dict.fromkeys(d.refs):
        out.append([f"[{name}]: {url(r)}"])
    for name in dict.fromkeys(d.notes):
        lines = [f"[^{name}]: {inline(r, d, 0, 1, 3)}".split("\n")[0]]
        if r.random() < 0.2:
            lines += ["", "    " + words(r)]
        out.append(lines)
    for a in dict.fromkeys(d.abbrs):
        if r.random() < 0.8:
            out.append([f"*[{a}]: " + r.choice(["Hyper Text Markup Language", "응용 프로그램 인터페이스",
                                                "Model View Controller", ""])])
    return out


def blocks(seed, i):
    """Document i of `seed` as a list of blocks (each a list of lines)."""
    r = random.Random(f"{seed}:{i}")
    d = Doc(r)
    target = r.randint(5, 30)
    out, n = [], 0
    tries = 0
    while n < target and tries < 20:
        tries += 1
        mark = (len(d.refs), len(d.notes), len(d.abbrs))
        b = block(r, d)
        defs = 2 * (len(set(d.refs)) + len(set(d.notes)) + len(set(d.abbrs)))
        if n + len(b) + defs > 30:  # too long here: draw another (and forget what it referred to)
            del d.refs[mark[0]:], d.notes[mark[1]:], d.abbrs[mark[2]:]
            continue
        out.append(b)
        n += len(b) + 1
    defs = definitions(r, d)
    if defs and r.random() < 0.15:  # definitions may come first
        out = defs + out
    else:
        out += defs
    return out, r


def doc(seed, i):
    """(text, blocks, separators): the document and its parts (for the shrinker)."""
    bl, r = blocks(seed, i)
    seps = [pick(r, [(12, "\n\n"), (2, "\n"), (1, "\n\n\n")]) for _ in range(len(bl) - 1)]
    return assemble(bl, seps), bl, seps


def assemble(bl, seps):
    text = ""
    for k, b in enumerate(bl):
        if k:
            text += seps[k - 1] if k - 1 < len(seps) else "\n\n"
        text += "\n".join(b)
    return text + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", default="1")
    ap.add_argument("--n", type=int, default=3)
    ap.add_argument("--start", type=int, default=0)
    a = ap.parse_args()
    for i in range(a.start, a.start + a.n):
        print(f"======== doc {i}")
        print(doc(a.seed, i)[0], end="")


if __name__ == "__main__":
    main()
