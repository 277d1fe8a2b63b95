// The writing desk in the real window: the status bar's counts (the post's, and the
// selection's) are the figures `postdesk stats` prints, and Ctrl+Shift+F searches every post,
// composed and decomposed Hangul alike, a click opening the post at the line found.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { appBinary, eventually, launch, openPost, siteCopy } from "./harness.mjs";

const FRONT = "---\ntitle: 글자 세기\nread_time: true\nwords_per_minute: 5\n---\n";
const SELECTED = "**GPT-4** 발표 & [논문](https://e.com/?a=1&b=2) 참고.";
const COUNTS = `${FRONT}# 이번 달의 데이터 뉴스\n\n${SELECTED}\n\nOpenAI가 GPT-4를 발표했습니다. 성능은 논문에 나옵니다.\n\n* 첫째: 데이터 분석\n* 둘째: R과 Python\n`;
/** 한글 as macOS writes it (NFD). */
const NFD = "\u1112\u1161\u11ab\u1100\u1173\u11af";
const NFD_POST = "_posts/2023-05-02-nfd.md";

let app;
let copy;

before(async () => {
  copy = siteCopy({
    "_posts/2023-05-01-counts.md": COUNTS,
    // The selected line alone, with the same front matter: what the selection's figures must be.
    "selection.md": `${FRONT}${SELECTED}\n`,
    [NFD_POST]: `---\ntitle: 맥에서 쓴 글\n---\n\n첫 줄\n\n맥에서 쓴 ${NFD} 문장\n`,
  });
  app = await launch(copy.site, copy);
});

after(async () => {
  await app?.stop();
});

/** `postdesk stats FILE` as figures: {words, characters, …}. */
function stats(rel) {
  const out = execFileSync(appBinary(), ["stats", path.join(copy.site, rel)], { encoding: "utf8" });
  const get = (label) => Number(out.match(new RegExp(`^${label}: (\\d+)`, "m"))?.[1] ?? NaN);
  const read = out.match(/^read time: (less than 1|\d+)/m)[1];
  return {
    words: get("words"),
    characters: get("characters"),
    charactersWithoutSpaces: get("characters without spaces"),
    minutes: read === "less than 1" ? 0 : Number(read),
  };
}

/** The figures the status bar shows in `#id`, or null when it is hidden. */
const shown = (browser, id) =>
  browser.execute((id) => {
    const el = document.getElementById(id);
    if (el.hidden || el.closest("[hidden]")) return null;
    const { words, characters, charactersWithoutSpaces, minutes } = el.dataset;
    return { words: +words, characters: +characters, charactersWithoutSpaces: +charactersWithoutSpaces, minutes: +minutes, text: el.textContent };
  }, id);

const view = (browser, fn) =>
  browser.execute(new Function(`const view = document.querySelector(".cm-content").cmTile.root.view; return (${fn})(view);`));

test("the status bar counts the post and the selection as `postdesk stats` does", async () => {
  const { browser } = app;
  await openPost(browser, "글자 세기");
  const expected = stats("_posts/2023-05-01-counts.md");
  assert.ok(expected.words > 10 && expected.minutes >= 2, JSON.stringify(expected));
  const post = await eventually("the post's counts", async () => {
    const figures = await shown(browser, "counts-post");
    return figures?.words === expected.words && figures;
  });
  assert.deepEqual({ ...post, text: undefined }, { ...expected, text: undefined });
  assert.match(post.text, new RegExp(`${expected.words}`));
  assert.equal(await shown(browser, "counts-selection"), null, "no selection, no selection figures");

  // Select the paragraph with the keyboard: line 8 (after 5 of front matter, the heading, a blank).
  await browser.$(".cm-content").click();
  await browser.keys(["Control", "Home"]);
  for (let i = 0; i < 7; i++) await browser.keys(["ArrowDown"]);
  await browser.keys(["Home"]);
  // Shift+ArrowRight per character (Shift+End stops where a wrapped line breaks).
  for (let i = 0; i < SELECTED.length; i++) await browser.keys(["Shift", "ArrowRight"]);
  assert.equal(await view(browser, (v) => v.state.sliceDoc(v.state.selection.main.from, v.state.selection.main.to)), SELECTED);
  const selection = stats("selection.md");
  const counted = await eventually("the selection's counts", async () => {
    const figures = await shown(browser, "counts-selection");
    return figures?.words === selection.words && figures;
  });
  assert.equal(counted.characters, selection.characters);
  assert.equal(counted.charactersWithoutSpaces, selection.charactersWithoutSpaces);
  assert.ok(counted.words < post.words);

  // The selection gone, so are its figures; the post's stay.
  await browser.keys(["ArrowRight"]);
  await eventually("the selection's counts gone", async () => (await shown(browser, "counts-selection")) === null);
  assert.equal((await shown(browser, "counts-post")).words, expected.words);

  // Typing counts again: one more word.
  await browser.keys(["End"]);
  for (const key of " more") await browser.keys([key]);
  await eventually("a word more", async () => (await shown(browser, "counts-post"))?.words === expected.words + 1);
});

test("Ctrl+Shift+F searches every post; a click opens the post at the line", async () => {
  const { browser } = app;
  await browser.keys(["Control", "Shift", "f"]);
  await eventually("the search panel", () =>
    browser.execute(() => !document.getElementById("search-panel").hidden && document.activeElement?.id === "search-query"),
  );
  assert.equal(await browser.execute(() => document.getElementById("post-list").offsetParent), null, "it takes the list's place");

  // Composed 한글 finds the decomposed one and the sample's own.
  for (const key of "GPT") await browser.keys([key]);
  await eventually("posts with GPT", async () => {
    const paths = await browser.execute(() => [...document.querySelectorAll(".search-post")].map((p) => p.dataset.path));
    return paths.includes("_posts/2023-05-01-counts.md") && paths.includes("_posts/2023-03-22-gdata33.md");
  });
  await browser.execute(() => {
    const input = document.getElementById("search-query");
    input.value = "한글";
    input.dispatchEvent(new Event("input"));
  });
  const group = await eventually("the NFD post among the results", () =>
    browser.execute((p) => {
      const post = document.querySelector(`.search-post[data-path="${p}"]`);
      if (!post) return null;
      return {
        title: post.querySelector(".search-post-title").textContent,
        lines: [...post.querySelectorAll(".search-line")].map((l) => [l.dataset.line, l.querySelector("mark").textContent]),
      };
    }, NFD_POST),
  );
  assert.deepEqual(group, { title: "맥에서 쓴 글", lines: [["7", NFD]] });
  const summary = await browser.execute(() => document.getElementById("search-summary").textContent);
  assert.match(summary, /\d/);
  // In English, the words agree with the numbers ("1 post", "3 lines").
  const english = summary.match(/^(\d+) (lines?) in (\d+) (posts?)$/);
  if (english) {
    assert.equal(english[2], english[1] === "1" ? "line" : "lines", summary);
    assert.equal(english[4], english[3] === "1" ? "post" : "posts", summary);
  }

  await browser.$(`.search-post[data-path="${NFD_POST}"] .search-line`).click();
  await eventually("the NFD post open with the match selected", async () => {
    const at = await view(browser, (v) => {
      const { from, to } = v.state.selection.main;
      return { line: v.state.doc.lineAt(from).number, text: v.state.sliceDoc(from, to), doc: v.state.doc.toString() };
    });
    return at.doc.includes("맥에서 쓴") && at.line === 7 && at.text === NFD;
  });

  // Nothing found is said; Escape gives the post list back.
  await browser.execute(() => {
    const input = document.getElementById("search-query");
    input.value = "없는말zzq";
    input.dispatchEvent(new Event("input"));
  });
  await eventually("nothing found", () =>
    browser.execute(() => document.querySelectorAll(".search-post").length === 0 && document.getElementById("search-summary").textContent !== ""),
  );
  await browser.$("#search-query").click();
  await browser.keys(["Escape"]);
  await eventually("the post list back", () => browser.execute(() => document.getElementById("post-list").offsetParent !== null));
});

test("Replace all lists every change first, writes them, and each open post undoes in one step", async () => {
  const { browser } = app;
  await browser.keys(["Control", "Shift", "f"]);
  await eventually("the search panel", () => browser.execute(() => !document.getElementById("search-panel").hidden));
  await browser.execute(() => {
    const input = document.getElementById("search-query");
    input.value = "한글";
    input.dispatchEvent(new Event("input"));
    document.getElementById("replace-with").value = "우리말";
  });
  await eventually("Replace all… enabled", () => browser.execute(() => !document.getElementById("replace-all").disabled));
  await browser.$("#replace-all").click();
  const listed = await eventually("the changes listed", () =>
    browser.execute(() => {
      if (!document.getElementById("replace-dialog").open) return null;
      return [...document.querySelectorAll("#replace-list > li")].map((post) => [
        post.dataset.path,
        [...post.querySelectorAll(".replace-change")].map((c) => [c.dataset.line, c.querySelector("del").textContent, c.querySelector("ins").textContent]),
      ]);
    }),
  );
  assert.deepEqual(listed, [[NFD_POST, [["7", `맥에서 쓴 ${NFD} 문장`, "맥에서 쓴 우리말 문장"]]]]);
  const file = path.join(copy.site, NFD_POST);
  const before = fs.readFileSync(file, "utf8");
  assert.ok(before.includes(NFD), "nothing is written before Replace all");

  await browser.$("#replace-go").click();
  await eventually("the post replaced on disk", () => fs.readFileSync(file, "utf8").includes("맥에서 쓴 우리말 문장"));
  assert.equal(fs.readFileSync(file, "utf8"), before.replace(NFD, "우리말"));
  // The open post shows it, saved; one Ctrl+Z takes it back.
  const text = () => view(browser, (v) => v.state.doc.toString());
  await eventually("the editor shows the replacement", async () => (await text()) === before.replace(NFD, "우리말"));
  assert.ok(!(await browser.getTitle()).startsWith("● "), "saved");
  await browser.$(".cm-content").click();
  await browser.keys(["Control", "z"]);
  assert.equal(await text(), before);
});
