// Paste in the real window: HTML on the X clipboard (as a browser or Google Docs puts it there)
// pastes as markdown that the preview shows bold, linked and listed; Ctrl+Shift+V pastes the
// clipboard's text as it is. xclip owns the clipboard while the keys are pressed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { artifacts, eventually, launch, openPost, siteCopy } from "./harness.mjs";

let app;
let copy;

before(async () => {
  copy = siteCopy();
  app = await launch(copy.site, copy);
});

after(async () => {
  await app?.stop();
});

const editorText = (browser) => browser.execute(() => document.querySelector(".cm-content").innerText);

/** Runs `fn` while xclip offers `data` as `target` on the clipboard. */
async function withClipboard(target, data, fn) {
  const file = path.join(copy.dir, "clipboard");
  fs.writeFileSync(file, data);
  // -quiet keeps xclip in the foreground, so that stopping it stops it.
  const clip = spawn("xclip", ["-quiet", "-selection", "clipboard", "-t", target, "-i", file], { stdio: "ignore" });
  try {
    await new Promise((r) => setTimeout(r, 300));
    return await fn();
  } finally {
    clip.kill();
  }
}

const DOCS = `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-4f1e2d3c-7fff-1a2b-3c4d-5e6f7a8b9c0d"><h2 dir="ltr"><span style="font-size:16pt;font-weight:400;">붙여 넣은 제목</span></h2><p dir="ltr"><span style="font-weight:700;">컨트롤러(Controller)</span><span style="font-weight:400;">이다. </span><span style="font-style:italic;font-weight:400;">기울임</span><span style="font-weight:400;"> 그리고 </span><a href="https://example.com/search?q=moss&amp;page=2"><span style="color:#1155cc;text-decoration:underline;">검색 결과</span></a><span style="font-weight:400;"> *별표*</span></p><ul><li aria-level="1"><p dir="ltr" role="presentation"><span>첫째</span></p></li><ul><li aria-level="2"><p dir="ltr" role="presentation"><span>안쪽</span></p></li></ul></ul></b>`;

const MARKDOWN = [
  "## 붙여 넣은 제목",
  "",
  "**컨트롤러(Controller)**이다. *기울임* 그리고 [검색 결과](https://example.com/search?q=moss&page=2) \\*별표\\*",
  "",
  "- 첫째",
  "  - 안쪽",
].join("\n");

test("HTML on the clipboard pastes as markdown the preview shows as it was", async () => {
  const { browser } = app;
  await openPost(browser, "Writing with Postdesk");
  await eventually("the editor", async () => (await editorText(browser)).includes("Writing with Postdesk"));
  const before = await editorText(browser);
  await withClipboard("text/html", DOCS, async () => {
    await browser.execute(() => document.querySelector(".cm-content").focus());
    await browser.keys(["Control", "End"]);
    await browser.keys(["Control", "v"]);
    await eventually("the markdown in the editor", async () => (await editorText(browser)).includes(MARKDOWN));
  });
  const text = await editorText(browser);
  assert.ok(text.startsWith(before.trimEnd()), "what was there stays");
  assert.ok(text.includes(`\n\n${MARKDOWN}`), `a block of its own after a blank line:\n${text.slice(-400)}`);
  const preview = await eventually("the pasted part in the preview", async () =>
    browser.execute(() => {
      const doc = document.getElementById("preview").contentDocument;
      const h2 = Array.from(doc.querySelectorAll("h2")).find((h) => h.textContent === "붙여 넣은 제목");
      if (!h2) return null;
      const p = h2.nextElementSibling;
      const list = p?.nextElementSibling;
      return {
        strong: p?.querySelector("strong")?.textContent,
        after: p?.querySelector("strong")?.nextSibling?.textContent,
        em: p?.querySelector("em")?.textContent,
        href: p?.querySelector("a")?.getAttribute("href"),
        text: p?.textContent,
        nested: list?.querySelector("li > ul > li")?.textContent,
      };
    }),
  );
  assert.deepEqual(preview, {
    strong: "컨트롤러(Controller)",
    after: "이다. ",
    em: "기울임",
    href: "https://example.com/search?q=moss&page=2",
    text: "컨트롤러(Controller)이다. 기울임 그리고 검색 결과 *별표*",
    nested: "안쪽",
  });
  assert.match(await browser.execute(() => document.getElementById("status").textContent), /markdown|마크다운/);
  fs.mkdirSync(artifacts, { recursive: true });
  await browser.saveScreenshot(path.join(artifacts, "paste.png"));
  // One paste, one undo step.
  await browser.keys(["Control", "z"]);
  await eventually("the paste undone", async () => !(await editorText(browser)).includes("붙여 넣은 제목"));
});

test("Ctrl+Shift+V pastes the clipboard's text as it is", async () => {
  const { browser } = app;
  const plain = "<b>굵게</b> *그대로* [x](y)";
  await withClipboard("UTF8_STRING", plain, async () => {
    await browser.execute(() => document.querySelector(".cm-content").focus());
    await browser.keys(["Control", "End"]);
    await browser.keys(["Enter", "Enter"]);
    await browser.keys(["Control", "Shift", "v"]);
    await eventually("the plain text in the editor", async () => (await editorText(browser)).includes(plain));
  });
  const lines = (await editorText(browser)).split("\n");
  assert.equal(lines.filter((l) => l === plain).length, 1, "pasted once, unchanged");
});
