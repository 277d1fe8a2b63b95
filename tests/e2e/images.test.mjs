// Images in the real window: a file dropped from "the file manager" (a real XDND drag under
// Xvfb) lands in images/<post>/ under a safe name and its link appears where it was dropped; a
// screenshot on the clipboard pastes in; the panel lists the post's images; Fix repairs the seed
// post's backslash links and badly named screenshot.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { artifacts, eventually, launch, openPost, repo, siteCopy } from "./harness.mjs";

const SHOT = "화면 캡처 2023-03-28 150716.png";
let app;
let copy;

before(async () => {
  copy = siteCopy();
  app = await launch(copy.site, copy);
});

after(async () => {
  await app?.stop();
});

const editorText = (browser) => browser.execute(() => document.querySelector(".cm-content").textContent);

test("a file dropped on the editor is stored safely and linked where it was dropped", async () => {
  const { browser } = app;
  await openPost(browser, "Writing with Postdesk");
  await eventually("the editor", async () => (await editorText(browser)).includes("Writing with Postdesk"));
  const incoming = path.join(copy.dir, "incoming");
  fs.mkdirSync(incoming, { recursive: true });
  const dropped = path.join(incoming, SHOT);
  fs.copyFileSync(path.join(repo, "posts/images/2023-03-22-gdata33", SHOT), dropped);
  // The drop point: the start of the editor's last line with text, in window pixels.
  const target = await browser.execute(() => Array.from(document.querySelectorAll(".cm-line")).filter((l) => l.textContent).at(-1).textContent);
  const point = await browser.execute(() => {
    const lines = Array.from(document.querySelectorAll(".cm-line")).filter((l) => l.textContent);
    const r = lines[lines.length - 1].getBoundingClientRect();
    return { x: Math.round((r.left + 4) * devicePixelRatio), y: Math.round((r.top + 8) * devicePixelRatio) };
  });
  const said = execFileSync("/usr/bin/python3", [path.join(repo, "tests/e2e/xdnd-drop.py"), "Postdesk", String(point.x), String(point.y), dropped], { encoding: "utf8", timeout: 20000 });
  assert.equal(said.trim(), "finished");
  const link = "![화면 캡처 2023-03-28 150716]({{ site.url }}/images/2023-04-05-postdesk-guide/screenshot-2023-03-28-150716.png)";
  await eventually("the link in the editor", async () => (await editorText(browser)).includes(link));
  const stored = path.join(copy.site, "images/2023-04-05-postdesk-guide/screenshot-2023-03-28-150716.png");
  assert.ok(fs.existsSync(stored));
  // Dropped at the start of that line: the link comes right before it, as its own paragraph.
  const lines = await browser.execute(() => Array.from(document.querySelectorAll(".cm-line")).map((l) => l.textContent));
  const at = lines.indexOf(link);
  assert.deepEqual(lines.slice(at, at + 3), [link, "", target], lines.slice(-5).join("\n"));
  await eventually("the image in the preview", async () =>
    browser.execute(() => {
      const doc = document.getElementById("preview").contentDocument;
      const img = Array.from(doc.querySelectorAll("img")).find((i) => i.src.includes("screenshot-2023-03-28-150716"));
      return img !== undefined && img.complete && img.naturalWidth === 1198;
    }),
  );
  await eventually("the image in the panel", async () =>
    browser.execute(() => document.querySelector('#image-list li[data-file$="screenshot-2023-03-28-150716.png"] .meta')?.textContent ?? "").then((t) => t.startsWith("1198×595")),
  );
  fs.mkdirSync(artifacts, { recursive: true });
  await browser.saveScreenshot(path.join(artifacts, "images.png"));
  // Undo takes the link away; the file stays until it is cleaned up.
  await browser.execute(() => document.querySelector(".cm-content").focus());
  await browser.keys(["Control", "z"]);
  await eventually("the link gone after undo", async () => !(await editorText(browser)).includes("screenshot-2023-03-28-150716"));
  assert.ok(fs.existsSync(stored));
});

test("a screenshot on the clipboard pastes into the post", async () => {
  const { browser } = app;
  const png = path.join(repo, "posts/images/2023-03-22-gdata33/m.png");
  // xclip owns the clipboard until it is stopped after the test (-quiet keeps it in the
  // foreground, so that stopping it stops it).
  const clip = spawn("xclip", ["-quiet", "-selection", "clipboard", "-t", "image/png", "-i", png], { stdio: "ignore" });
  try {
    await new Promise((r) => setTimeout(r, 300));
    await browser.execute(() => document.querySelector(".cm-content").focus());
    await browser.keys(["Control", "End"]);
    await browser.keys(["Control", "v"]);
    const link = await eventually("the pasted screenshot's link", async () =>
      (await editorText(browser)).match(/!\[Screenshot \d{4}-\d\d-\d\d \d{6}\]\(\{\{ site\.url \}\}\/images\/2023-04-05-postdesk-guide\/screenshot-\d{4}-\d\d-\d\d-\d{6}\.png\)/)?.[0],
    );
    const file = link.match(/images\/2023-04-05-postdesk-guide\/[^)]+/)[0];
    assert.ok(fs.existsSync(path.join(copy.site, file)), file);
  } finally {
    clip.kill();
  }
});

test("Fix repairs the seed post's images: backslashes, spacing, names, zoom", async () => {
  const { browser } = app;
  await openPost(browser, "[Global_Data_Issue] 2023년 3월");
  await eventually("the problems in the panel", async () =>
    browser.execute(() => !document.getElementById("fix-images").hidden),
  );
  await browser.$("#fix-images").click();
  await eventually("the fix to be done", async () =>
    browser.execute(() => document.getElementById("status").textContent).then((t) => /Fixed|고침/.test(t)),
  );
  const onDisk = fs.readFileSync(path.join(copy.site, "_posts/2023-03-22-gdata33.md"), "utf8");
  assert.ok(onDisk.includes('alt="m" width="416"'), "zoom became a width");
  assert.ok(fs.existsSync(path.join(copy.site, "images/2023-03-22-gdata33/screenshot-2023-03-28-150716.png")));
  assert.ok(!fs.existsSync(path.join(copy.site, "images/2023-03-22-gdata33", SHOT)));
  assert.ok(!onDisk.includes("\\images\\") && onDisk.includes("{{ site.url }}/images/2023-03-22-gdata33/screenshot-2023-03-28-150716.png"));
  // Not dirty: the editor holds exactly the fixed text that is on disk.
  assert.ok(!(await browser.getTitle()).startsWith("●"), "the editor shows what is on disk");
  await eventually("all five images in the preview", async () =>
    browser.execute(() => {
      const imgs = Array.from(document.getElementById("preview").contentDocument.querySelectorAll("img"));
      return imgs.length === 5 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    }),
  );
});

test("the site's image folder and width are set in a dialog and land in _config.yml", async () => {
  const { browser } = app;
  await openPost(browser, "Writing with Postdesk");
  const config = path.join(copy.site, "_config.yml");
  const before = fs.readFileSync(config, "utf8");
  await browser.$("#image-settings").click();
  await eventually("the settings dialog", () => browser.execute(() => document.getElementById("image-settings-dialog").open));
  const shown = await browser.execute(() => [
    document.getElementById("image-folder").placeholder,
    document.getElementById("image-width").placeholder,
  ]);
  assert.deepEqual(shown, ["images/{post}", "1600"], "what is in effect, learned from the posts");
  // A folder without {post} is refused in the dialog, and nothing is written.
  await browser.$("#image-folder").setValue("images");
  await browser.$("#image-settings-save").click();
  await eventually("the refusal", async () =>
    /\{post\}/.test(await browser.execute(() => document.getElementById("image-settings-error").textContent)),
  );
  assert.equal(fs.readFileSync(config, "utf8"), before);
  await browser.$("#image-folder").setValue("assets/shots/{post}");
  await browser.$("#image-width").setValue("800");
  await browser.$("#image-settings-save").click();
  await eventually("the dialog closed", async () => !(await browser.execute(() => document.getElementById("image-settings-dialog").open)));
  const after = fs.readFileSync(config, "utf8");
  assert.ok(after.startsWith(before), "the rest of _config.yml is untouched");
  assert.match(after.slice(before.length), /^postdesk_images: .*assets\/shots\/\{post\}.*\npostdesk_image_width: 800\n$/);
  await eventually("the panel to show the new folder", async () =>
    (await browser.execute(() => document.getElementById("images-folder").textContent)) === "assets/shots/2023-04-05-postdesk-guide",
  );
});

test("alt text and a caption typed in the panel are written into the post as the theme shows them", async () => {
  const { browser } = app;
  await openPost(browser, "[Global_Data_Issue] 2023년 3월");
  const item = 'li[data-file="images/2023-03-22-gdata33/moss.png"]';
  const alt = await browser.$(`#image-list ${item} input.alt`);
  await alt.waitForDisplayed();
  assert.equal(await alt.getValue(), "moss");
  const before = await browser.execute(() => document.querySelector(".cm-content").cmTile.root.view.state.doc.toString());
  // Typed over what is there, as a writer does (WebDriver's setValue would clear it first, a
  // change of its own).
  await alt.click();
  await browser.keys(["Control", "a"]);
  await alt.addValue("이끼 [moss]");
  await browser.keys(["Enter"]);
  const caption = await browser.$(`#image-list ${item} input.caption`);
  await caption.click();
  await caption.addValue("그림 1. 이끼 & 돌");
  await browser.keys(["Enter"]);
  const doc = () => browser.execute(() => document.querySelector(".cm-content").cmTile.root.view.state.doc.toString());
  await eventually("the figure in the editor", async () =>
    (await doc()).includes('alt="이끼 [moss]">\n  <figcaption>그림 1. 이끼 &amp; 돌</figcaption>\n</figure>'),
  );
  await eventually("the caption in the preview", async () =>
    browser.execute(() => {
      const figure = document.getElementById("preview").contentDocument.querySelector("figure");
      return figure?.querySelector("figcaption")?.textContent === "그림 1. 이끼 & 돌" && figure.querySelector("img")?.alt === "이끼 [moss]";
    }),
  );
  // Each field is one undo step: two undos give the text back.
  await browser.execute(() => document.querySelector(".cm-content").focus());
  await browser.keys(["Control", "z"]);
  await browser.keys(["Control", "z"]);
  await eventually("the text as before after two undos", async () => (await doc()) === before);
});
