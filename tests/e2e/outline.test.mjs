// The outline in the real window: the post's headings with the ids the site render gives them
// (Hangul, a duplicate's `-1`, a custom id) and the theme's TOC marks; a click puts the editor's
// cursor on the heading and scrolls the preview to it; dragging a heading with the real mouse
// (xdotool: X pointer events, as a writer's mouse makes them) moves its section, and one Ctrl+Z
// takes the move back.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { artifacts, eventually, launch, openPost, pointerOrigin, siteCopy } from "./harness.mjs";

/** Paragraphs enough that each section is taller than the preview. */
const filler = (word) => Array.from({ length: 14 }, (_, i) => `${word} ${i + 1}: 데이터 뉴스의 한 문단입니다. A paragraph of news.`).join("\n\n");

const POST = `---
title: 개요 시험
toc: true
toc_label: 목차
---
# 머리말

${filler("머리말")}

## 세부 사항

${filler("세부")}

\`\`\`sh
# not a heading
\`\`\`

# 중국판 Chat GPT, MOSS의 성능은? 💬

${filler("모스")}

# 머리말

${filler("둘째")}

# Last part {#the-end}

${filler("끝")}
`;

const EXPECTED = [
  { level: 1, text: "머리말", id: "머리말" },
  { level: 2, text: "세부 사항", id: "세부-사항" },
  { level: 1, text: "중국판 Chat GPT, MOSS의 성능은? 💬", id: "중국판-chat-gpt-moss의-성능은-" },
  { level: 1, text: "머리말", id: "머리말-1" },
  { level: 1, text: "Last part", id: "the-end" },
];

let app;
let copy;

before(async () => {
  copy = siteCopy({ "_posts/2023-06-01-outline.md": POST });
  app = await launch(copy.site, copy);
});

after(async () => {
  await app?.stop();
});

const view = (browser, fn) =>
  browser.execute(new Function(`const view = document.querySelector(".cm-content").cmTile.root.view; return (${fn})(view);`));
const editorText = (browser) => view(browser, (v) => v.state.doc.toString());

/** The outline as the panel shows it. */
const tree = (browser) =>
  browser.execute(() =>
    Array.from(document.querySelectorAll("#outline-list li[data-index]")).map((li) => ({
      level: Number(li.getAttribute("aria-level")),
      text: li.querySelector(".text").textContent,
      id: li.dataset.id,
      line: Number(li.dataset.line),
      inToc: li.classList.contains("in-toc"),
      selected: li.getAttribute("aria-selected") === "true",
    })),
  );

/** Opens the panel with Ctrl+Shift+O unless it shows. */
async function showOutline(browser) {
  await eventually("the outline panel", async () => {
    if (await browser.execute(() => !document.getElementById("outline-panel").hidden)) return true;
    await browser.keys(["Control", "Shift", "o"]);
    await new Promise((r) => setTimeout(r, 200));
    return false;
  });
}

test("the outline lists the headings with the site's ids and the TOC the theme prints", async () => {
  const { browser } = app;
  await openPost(browser, "개요 시험");
  await showOutline(browser);
  const shown = await eventually("the headings", async () => {
    const t = await tree(browser);
    return t.length === EXPECTED.length && t;
  });
  assert.deepEqual(
    shown.map(({ level, text, id }) => ({ level, text, id })),
    EXPECTED,
  );
  // Every heading is marked as listed in the theme's TOC, whose label the panel names.
  assert.ok(shown.every((h) => h.inToc), JSON.stringify(shown));
  assert.match(await browser.execute(() => document.getElementById("outline-toc").textContent), /“목차”/);
  // Each line is the heading's line in the editor, and the preview has an element with each id.
  const lines = (await editorText(browser)).split("\n");
  for (const h of shown) assert.match(lines[h.line - 1], new RegExp(`^#+ ${h.text.replace(/[?()]/g, "\\$&")}`), JSON.stringify(h));
  const inPreview = await browser.execute(
    (ids) => ids.map((id) => document.getElementById("preview").contentDocument.getElementById(id)?.tagName ?? null),
    EXPECTED.map((h) => h.id),
  );
  assert.deepEqual(inPreview, ["H1", "H2", "H1", "H1", "H1"]);
  // The TOC box the preview shows lists the same ids.
  const tocLinks = await browser.execute(() =>
    Array.from(document.getElementById("preview").contentDocument.querySelectorAll(".toc__menu a")).map((a) => decodeURIComponent(a.getAttribute("href"))),
  );
  assert.deepEqual(tocLinks, EXPECTED.map((h) => `#${h.id}`));
  fs.mkdirSync(artifacts, { recursive: true });
  await browser.saveScreenshot(path.join(artifacts, "outline.png"));
});

test("a click moves the editor's cursor to the heading and scrolls the preview to it", async () => {
  const { browser } = app;
  const target = (await tree(browser))[3];
  await browser.$("#outline-list li[data-index='3']").click();
  const cursorLine = await eventually("the cursor on the heading", async () => {
    const line = await view(browser, (v) => v.state.doc.lineAt(v.state.selection.main.head).number);
    return line === target.line && line;
  });
  assert.equal(cursorLine, target.line);
  // The heading is in view in the editor and at the top of the preview.
  const placed = await eventually("the preview scrolled to the heading", async () => {
    const p = await browser.execute((id) => {
      const frame = document.getElementById("preview");
      const h = frame.contentDocument.getElementById(id);
      const top = h.getBoundingClientRect().top;
      return { top, scrolled: frame.contentWindow.scrollY, height: frame.clientHeight };
    }, target.id);
    return p.scrolled > 0 && Math.abs(p.top) < 40 && p;
  });
  assert.ok(placed.scrolled > 200, JSON.stringify(placed));
  const inEditor = await view(browser, (v) => {
    const line = v.state.doc.lineAt(v.state.selection.main.head);
    const box = v.coordsAtPos(line.from);
    const frame = v.scrollDOM.getBoundingClientRect();
    return box !== null && box.top >= frame.top && box.bottom <= frame.bottom;
  });
  assert.ok(inEditor, "the heading is in view in the editor");
  assert.ok((await tree(browser))[3].selected);
});

/** Drags with the real mouse from the middle of `from` to `y` in the same column. */
async function drag(browser, from, toY) {
  const { window, dx, dy } = await pointerOrigin(browser);
  const x = Math.round(from.x + dx);
  const y0 = Math.round(from.y + dy);
  const y1 = Math.round(toY + dy);
  const steps = [];
  for (let i = 1; i <= 8; i++) steps.push("mousemove", "--window", window, String(x), String(Math.round(y0 + ((y1 - y0) * i) / 8)), "sleep", "0.05");
  execFileSync("xdotool", ["mousemove", "--window", window, String(x), String(y0), "sleep", "0.1", "mousedown", "1", "sleep", "0.1", ...steps, "sleep", "0.1", "mouseup", "1"]);
}

test("dragging a heading moves its section, and Ctrl+Z takes the move back in one step", async () => {
  const { browser } = app;
  const original = await editorText(browser);
  // "Last part" above the first 머리말.
  const boxes = await browser.execute(() =>
    Array.from(document.querySelectorAll("#outline-list li[data-index]")).map((li) => {
      const r = li.getBoundingClientRect();
      return { x: r.left + 30, y: r.top + r.height / 2, top: r.top };
    }),
  );
  await drag(browser, boxes[4], boxes[0].top + 2);
  const lastPart = original.slice(original.indexOf("# Last part"));
  const moved = await eventually("the section moved", async () => {
    const text = await editorText(browser);
    return text !== original && text;
  });
  assert.equal(moved, original.replace(lastPart, "").replace("# 머리말", `${lastPart}\n# 머리말`).replace(/\n\n$/, "\n"));
  assert.ok(moved.indexOf("# Last part") < moved.indexOf("# 머리말"));
  assert.equal(moved.length, original.length, "nothing lost or doubled");
  await eventually("the outline after the move", async () => (await tree(browser))[0]?.id === "the-end");
  assert.deepEqual(
    (await tree(browser)).map((h) => h.id),
    ["the-end", "머리말", "세부-사항", "중국판-chat-gpt-moss의-성능은-", "머리말-1"],
  );
  // The section moved with its subsections: 세부 사항 follows 머리말 still.
  assert.ok(moved.indexOf("## 세부 사항") > moved.indexOf("# 머리말"));

  await browser.execute(() => document.querySelector(".cm-content").focus());
  await browser.keys(["Control", "z"]);
  await eventually("the move undone", async () => (await editorText(browser)) === original);
  await eventually("the outline as it was", async () => (await tree(browser))[0]?.id === "머리말");
});

test("Alt+Down on a selected heading moves its section below the next one", async () => {
  const { browser } = app;
  const original = await editorText(browser);
  await browser.$("#outline-list li[data-index='2']").click();
  await eventually("the heading selected", async () => (await tree(browser))[2]?.selected);
  await browser.keys(["Alt", "ArrowDown"]);
  await eventually("the section moved down", async () => (await tree(browser))[3]?.id === "중국판-chat-gpt-moss의-성능은-");
  // The ids follow the render: the second 머리말 is now the one before 중국판.
  assert.deepEqual(
    (await tree(browser)).map((h) => h.id),
    ["머리말", "세부-사항", "머리말-1", "중국판-chat-gpt-moss의-성능은-", "the-end"],
  );
  assert.ok((await tree(browser))[3].selected, "the moved heading stays selected");
  await browser.execute(() => document.querySelector(".cm-content").focus());
  await browser.keys(["Control", "z"]);
  await eventually("the move undone", async () => (await editorText(browser)) === original);
});
