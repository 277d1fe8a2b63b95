// Spelling in the real window, through WebKit's own checker (enchant with Debian's hunspell-ko):
// the DOM does not show WebKit's misspelling marks, so the test looks at the pixels WebKit paints
// under each line: its red underline is there under a misspelled word in prose, and not under
// the same word in inline code or a URL, nor under a word the site's dictionary
// (`.postdesk/dictionary.txt`) lists.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { after, before, test } from "node:test";
import { artifacts, eventually, launch, openPost, pointerOrigin, siteCopy } from "./harness.mjs";

const LINES = {
  prose: "이 문장은 됬다 뺘뺘뺘 로 끝난다",
  code: "이 문장은 `됬다 뺘뺘뺘` 로 끝난다",
  url: "주소 https://e.com/됬다뺘뺘뺘 참고",
  site: "사이트 사전의 갸갸갸 낱말",
  right: "이 문장은 됐다 로 끝난다",
};
const POST = `---\ntitle: 맞춤법\n---\n${Object.values(LINES).join("\n\n")}\n`;

let app;
let copy;

before(async () => {
  copy = siteCopy({
    "_posts/2023-05-04-spelling.md": POST,
    ".postdesk/dictionary.txt": "갸갸갸\n",
  });
  app = await launch(copy.site, copy);
  await openPost(app.browser, "맞춤법");
});

after(async () => {
  await app?.stop();
});

/** Decodes an 8-bit RGB or RGBA PNG (what WebDriver screenshots are) into {width, height, rgba}. */
function decodePng(buffer) {
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const data = [];
  while (at < buffer.length) {
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString("ascii", at + 4, at + 8);
    const body = buffer.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      assert.equal(body[8], 8, "8 bits a channel");
      channels = { 2: 3, 6: 4 }[body[9]];
      assert.ok(channels, `colour type ${body[9]}`);
    }
    if (type === "IDAT") data.push(body);
    at += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = Buffer.alloc(width * height * 4);
  let prior = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? line[x - channels] : 0;
      const b = prior[x];
      const c = x >= channels ? prior[x - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      line[x] = (line[x] + [0, a, b, (a + b) >> 1, paeth][filter]) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      out[(y * width + x) * 4] = line[x * channels];
      out[(y * width + x) * 4 + 1] = line[x * channels + 1];
      out[(y * width + x) * 4 + 2] = line[x * channels + 2];
      out[(y * width + x) * 4 + 3] = 255;
    }
    prior = line;
  }
  return { width, height, rgba: out };
}

/** How many strongly red pixels WebKit painted over the editor line that reads `text`. */
async function redPixels(text) {
  const { browser } = app;
  const rect = await browser.execute((t) => {
    const line = Array.from(document.querySelectorAll(".cm-line")).find((l) => l.textContent.startsWith(t));
    const r = line.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height, ratio: devicePixelRatio };
  }, text);
  const shot = decodePng(Buffer.from(await browser.takeScreenshot(), "base64"));
  let red = 0;
  const [x0, y0] = [Math.round(rect.x * rect.ratio), Math.round(rect.y * rect.ratio)];
  for (let y = y0; y < y0 + rect.h * rect.ratio + 2 && y < shot.height; y++) {
    for (let x = x0; x < x0 + rect.w * rect.ratio && x < shot.width; x++) {
      const i = (y * shot.width + x) * 4;
      const [r, g, b] = [shot.rgba[i], shot.rgba[i + 1], shot.rgba[i + 2]];
      if (r > 150 && r - g > 60 && r - b > 60) red++;
    }
  }
  return red;
}

/**
 * Types " x" at the end of each line: WebKit checks a paragraph when it is typed in (text only
 * opened is not checked until then, and a change CodeMirror makes itself, such as Backspace,
 * takes the marks of its line away).
 */
async function typeInEveryLine() {
  const { browser } = app;
  for (const text of Object.values(LINES)) {
    await browser.execute((t) => {
      const { view } = document.querySelector(".cm-content").cmTile.root;
      const at = view.state.doc.toString().indexOf(t) + t.length;
      view.dispatch({ selection: { anchor: at } });
      view.focus();
    }, text);
    await browser.keys([" ", "x"]);
  }
}

test("a misspelled Korean word is underlined in prose only, and the site's own words are not", async () => {
  await eventually("the post in the editor", () =>
    app.browser.execute(() => document.querySelectorAll(".cm-line").length > 5),
  );
  await typeInEveryLine();
  await eventually("the red underline under 됬다 뺘뺘뺘", async () => (await redPixels(LINES.prose)) > 10);
  fs.mkdirSync(artifacts, { recursive: true });
  await app.browser.saveScreenshot(path.join(artifacts, "spelling.png"));
  const counts = {};
  for (const [name, text] of Object.entries(LINES)) counts[name] = await redPixels(text);
  console.log(`red pixels under each line: ${JSON.stringify(counts)}`);
  assert.ok(counts.prose > 10, JSON.stringify(counts));
  assert.equal(counts.code, 0, JSON.stringify(counts));
  assert.equal(counts.url, 0, JSON.stringify(counts));
  assert.equal(counts.site, 0, JSON.stringify(counts));
  assert.equal(counts.right, 0, JSON.stringify(counts));
});

test("Learn Spelling in WebKit's own menu keeps the word in the site's dictionary", async () => {
  const { browser } = app;
  const dictionary = path.join(copy.site, ".postdesk/dictionary.txt");
  assert.ok(!fs.readFileSync(dictionary, "utf8").includes("뺘뺘뺘"));
  // The middle of 뺘뺘뺘 in the prose line (marked by the test above), in page pixels.
  const word = await browser.execute((line) => {
    const el = Array.from(document.querySelectorAll(".cm-line")).find((l) => l.textContent.startsWith(line));
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf("뺘뺘뺘");
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at + 1);
      range.setEnd(node, at + 2);
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return null;
  }, LINES.prose);
  assert.ok(word, "뺘뺘뺘 on screen");
  const { window, dx, dy } = await pointerOrigin(browser);
  execFileSync("xdotool", ["mousemove", "--window", window, String(Math.round(word.x + dx)), String(Math.round(word.y + dy)), "sleep", "0.2", "click", "3"]);
  await new Promise((resolve) => setTimeout(resolve, 800));
  execFileSync("import", ["-window", "root", path.join(artifacts, "spelling-menu.png")]);
  // "Learn Spelling" from the bottom of the menu (no mnemonics there): up past Inspect Element
  // (debug builds), Insert Unicode Control Character, Insert Emoji, Select All, Delete, Paste,
  // Copy and Cut.
  execFileSync("xdotool", ["key", "--delay", "80", ...Array(9).fill("Up"), "Return"]);
  await eventually("뺘뺘뺘 in the site's dictionary", () => fs.readFileSync(dictionary, "utf8").split("\n").includes("뺘뺘뺘"));
  assert.equal(fs.readFileSync(dictionary, "utf8"), "갸갸갸\n뺘뺘뺘\n");
});
