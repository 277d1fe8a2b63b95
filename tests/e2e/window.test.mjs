// The real window: open the sample site, edit the gdata33 post beside its preview, save it,
// and check that nothing in a hostile post can run or reach the app.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { appPids, artifacts, eventually, launch, openPost, parentPid, processIds, requestClose, siteCopy } from "./harness.mjs";

const GDATA = "_posts/2023-03-22-gdata33.md";
const VICTIM = "_posts/2020-01-01-victim.md";
const invoke = `parent.__TAURI_INTERNALS__.invoke('save_post',{path:'${VICTIM}',text:'PWNED'});parent.document.title='PWNED'`;
const EVIL = `---
title: Hostile post
toc: true
toc_label: "<svg onload=\\"${invoke}\\"></svg>"
toc_icon: "\\"><img src=x onerror=\\"${invoke}\\">"
read_time: true
---
# Hostile

<script>${invoke}</script>

<img src="nope.png" onerror="${invoke}">

<svg onload="${invoke}"><circle r="4"/></svg>

<iframe srcdoc="<script>${invoke}</script>"></iframe>

<a id="js-link" href="javascript:${invoke}">click me</a>

[md link](javascript:alert(1))

<div class="notice--info" onmouseover="${invoke}">still a notice</div>
`;

let app;
let copy;

before(async () => {
  copy = siteCopy({ "_posts/2023-05-01-hostile.md": EVIL, [VICTIM]: "---\ntitle: Victim\n---\nuntouched\n" });
  app = await launch(copy.site, copy);
});

after(async () => {
  await app?.stop();
});

/** Runs `fn(previewDocument)` in the window and returns its result. */
function inPreview(browser, fn) {
  return browser.execute(
    new Function(`const doc = document.getElementById("preview").contentDocument; return (${fn})(doc);`),
  );
}

test("without a GPU, WebKit paints on the CPU (software OpenGL froze typing while it compiled shaders)", () => {
  const gpu = fs.existsSync("/dev/dri") && fs.readdirSync("/dev/dri").some((n) => n.startsWith("renderD"));
  const chosen = process.env.WEBKIT_SKIA_ENABLE_CPU_RENDERING;
  const [app] = appPids(copy.dir);
  const web = processIds()
    .filter((pid) => parentPid(pid) === app)
    .filter((pid) => fs.readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("WebKitWebProces"));
  assert.ok(web.length > 0, "the app's web process");
  const env = fs.readFileSync(`/proc/${web[0]}/environ`, "latin1").split("\0");
  const value = env.find((e) => e.startsWith("WEBKIT_SKIA_ENABLE_CPU_RENDERING="))?.split("=")[1];
  assert.equal(value, chosen ?? (gpu ? undefined : "1"), `GPU render node: ${gpu}`);
});

test("lists the site's posts newest first, drafts last, and filters them", async () => {
  const { browser } = app;
  await eventually("the post list", async () => (await browser.$$("#post-list li")).length >= 6);
  const titles = await browser.execute(() =>
    Array.from(document.querySelectorAll("#post-list li .title")).map((e) => e.textContent),
  );
  assert.deepEqual(titles, [
    "Hostile post",
    "Writing with Postdesk",
    "[Global_Data_Issue] 2023년 3월",
    "[Global_Data_Issue] 2023년 2월",
    "Victim",
    "다음 달 이슈 (초안)",
  ]);
  const filtered = await browser.execute(() => {
    const input = document.getElementById("filter");
    input.value = "2023년 3월";
    input.dispatchEvent(new Event("input"));
    const byTitle = Array.from(document.querySelectorAll("#post-list li .title")).map((e) => e.textContent);
    input.value = "GDATA3";
    input.dispatchEvent(new Event("input"));
    const byName = document.querySelectorAll("#post-list li .title").length;
    input.value = "";
    input.dispatchEvent(new Event("input"));
    return { byTitle, byName };
  });
  assert.deepEqual(filtered.byTitle, ["[Global_Data_Issue] 2023년 3월"]);
  assert.equal(filtered.byName, 3, "gdata32, gdata33 and the gdata34 draft");
});

test("edits gdata33 beside its live preview and saves only the typed text", async () => {
  const { browser } = app;
  const file = path.join(copy.site, GDATA);
  const original = fs.readFileSync(file, "utf8");
  await openPost(browser, "[Global_Data_Issue] 2023년 3월");

  await eventually("the post in the editor", async () => (await browser.$(".cm-content").getText()).includes("머리말"));
  await eventually("the preview heading with its kramdown id", () =>
    inPreview(browser, (doc) => doc.getElementById("머리말")?.tagName === "H1"),
  );
  const images = await eventually("every preview image loaded from the site folder", async () => {
    const imgs = await inPreview(browser, (doc) =>
      Array.from(doc.images).map((i) => ({ src: i.src, loaded: i.complete && i.naturalWidth > 0 })),
    );
    return imgs.length === 5 && imgs.every((i) => i.loaded) ? imgs : null;
  });
  assert.ok(images.some((i) => i.src.includes("%ED%99%94%EB%A9%B4%20%EC%BA%A1%EC%B2%98")), JSON.stringify(images));
  // Typora's `style="zoom:80%;"` shows as in the published page (set through the CSSOM: the
  // preview's CSP allows no style attributes in markup).
  const zooms = await inPreview(browser, (doc) => Array.from(doc.images).map((i) => i.style.zoom));
  assert.deepEqual(zooms.filter(Boolean), ["80%", "50%", "67%", "150%"], JSON.stringify(zooms));
  // Mark the image nodes: an incremental update must keep them (no reload, no flicker).
  await inPreview(browser, (doc) => Array.from(doc.images).forEach((i) => (i.dataset.kept = "yes")));

  const line = await eventually("the heading line", () =>
    browser.execute(() => Array.from(document.querySelectorAll(".cm-line")).findIndex((l) => l.textContent === "# 머리말") + 1),
  );
  await browser.$(`.cm-content > .cm-line:nth-child(${line})`).click();
  await browser.keys(["End"]);
  for (const key of " (edited by e2e)") await browser.keys([key]);

  await eventually("the unsaved mark in the title", async () => (await browser.getTitle()).startsWith("● "));
  await eventually("the preview to follow the typing", async () => {
    const h1 = await inPreview(browser, (doc) => doc.querySelector("#content h1")?.textContent);
    if (h1 !== "머리말 (edited by e2e)") throw new Error(`preview heading is ${JSON.stringify(h1)}`);
    return true;
  });
  const kept = await inPreview(browser, (doc) => Array.from(doc.images).every((i) => i.dataset.kept === "yes"));
  assert.ok(kept, "images were re-created by a preview update");

  await browser.keys(["Control", "s"]);
  const expected = original.replace("# 머리말\n", "# 머리말 (edited by e2e)\n");
  assert.notEqual(expected, original);
  await eventually("the file on disk to hold exactly the typed text", () => fs.readFileSync(file, "utf8") === expected);
  await eventually("the saved title", async () => !(await browser.getTitle()).startsWith("● "));
  assert.match(await browser.getTitle(), /\[Global_Data_Issue\] 2023년 3월 — Global Data Blog — Postdesk/);

  // Scrolling the editor scrolls the preview to the same place, down and back up.
  const previewFollows = async (keys, ok) => {
    await browser.keys(keys);
    await eventually(`the preview to follow ${keys.join("+")}`, async () => {
      const y = await inPreview(browser, (doc) => doc.defaultView.scrollY);
      const top = await browser.execute(() => document.querySelector(".cm-scroller").scrollTop);
      if (!ok(y)) throw new Error(`preview at ${y} px with the editor at ${top} px`);
      return true;
    });
  };
  await previewFollows(["Control", "End"], (y) => y > 2000);
  await previewFollows(["Control", "Home"], (y) => y < 100);

  fs.mkdirSync(artifacts, { recursive: true });
  await browser.saveScreenshot(path.join(artifacts, "window.png"));
});

/** The text of the editor's document, from the DOM CodeMirror renders. */
const editorText = (browser) =>
  browser.execute(() => Array.from(document.querySelectorAll(".cm-line")).map((l) => l.textContent).join("\n"));

test("writing keys: bold, link, undo per post, and the dirty mark follows undo", async () => {
  const { browser } = app;
  await openPost(browser, "다음 달 이슈 (초안)");
  await eventually("the draft in the editor", async () => (await editorText(browser)).includes("초안입니다."));
  await browser.$(".cm-content").click();
  await browser.keys(["Control", "End"]);
  await browser.keys(["Control", "b"]);
  await eventually("bold markup", async () => (await editorText(browser)).endsWith("**bold text**"));
  await browser.keys(["Control", "End"]);
  await browser.keys(["Control", "k"]);
  await eventually("link markup", async () => (await editorText(browser)).endsWith("**bold text**[link text](https://)"));
  assert.ok((await browser.getTitle()).startsWith("● "));

  // Another post and back: this post's undo history is still there.
  await openPost(browser, "Writing with Postdesk");
  await eventually("the guide in the editor", async () => (await editorText(browser)).includes("Writing with Postdesk"));
  await openPost(browser, "다음 달 이슈 (초안)");
  await eventually("the draft again, edits kept", async () => (await editorText(browser)).endsWith("[link text](https://)"));
  await browser.keys(["Control", "z"]);
  await browser.keys(["Control", "z"]);
  await eventually("both edits undone", async () => (await editorText(browser)).endsWith("초안입니다.\n"));
  await eventually("the dirty mark gone after undo", async () => !(await browser.getTitle()).startsWith("● "));
  await browser.keys(["Control", "Shift", "z"]);
  await eventually("redo", async () => (await editorText(browser)).endsWith("**bold text**"));
  await browser.keys(["Control", "z"]);

  await browser.keys(["Control", "f"]);
  await eventually("the find panel", () => browser.execute(() => document.querySelector(".cm-search input") !== null));
  await browser.keys(["Escape"]);
});

test("closing with unsaved changes asks first, and Cancel keeps everything", async () => {
  const { browser } = app;
  await openPost(browser, "Writing with Postdesk");
  await eventually("the guide in the editor", async () => (await editorText(browser)).includes("Writing with Postdesk"));
  await browser.$(".cm-content").click();
  await browser.keys(["Control", "End"]);
  await browser.keys(["!"]);
  await eventually("the unsaved mark", async () => (await browser.getTitle()).startsWith("● "));
  // What a window manager sends when the writer clicks the close button.
  assert.notEqual(requestClose(), 0, "no Postdesk window to close");
  await eventually("the unsaved-changes dialog", () => browser.execute(() => document.getElementById("close-dialog").open));
  await browser.$("#close-cancel").click();
  await eventually("the dialog gone", async () => !(await browser.execute(() => document.getElementById("close-dialog").open)));
  assert.ok((await editorText(browser)).endsWith("!"), "the edit is still there");
  await browser.keys(["Control", "z"]);
  await eventually("back to saved", async () => !(await browser.getTitle()).startsWith("● "));
});

test("switching the interface language", async () => {
  const { browser } = app;
  const placeholder = (lang) =>
    browser.execute((l) => {
      const select = document.getElementById("language");
      select.value = l;
      select.dispatchEvent(new Event("change"));
      return document.getElementById("filter").placeholder;
    }, lang);
  assert.equal(await placeholder("ko"), "글 찾기…");
  assert.equal(await placeholder("en"), "Filter posts…");
});

test("nothing in a hostile post runs or reaches the app", async () => {
  const { browser } = app;
  const victim = path.join(copy.site, VICTIM);
  const before = fs.readFileSync(victim, "utf8");
  await openPost(browser, "Hostile post");
  await eventually("the hostile preview", () =>
    inPreview(browser, (doc) => doc.getElementById("hostile") !== null && doc.querySelector(".notice--info") !== null),
  );
  // The page's frame around it: the title, and the TOC box with the front matter's label as text.
  const frame = await inPreview(browser, (doc) => ({
    title: doc.querySelector(".page__inner-wrap > header .page__title")?.textContent,
    label: doc.querySelector("#content > aside .nav__title")?.textContent,
  }));
  assert.equal(frame.title, "Hostile post");
  assert.match(frame.label, /^ <svg onload=/);
  const found = await inPreview(browser, (doc) => ({
    dangerous: doc.querySelectorAll("script, iframe, svg, object, embed").length,
    handlers: Array.from(doc.querySelectorAll("*")).flatMap((e) =>
      Array.from(e.attributes).filter((a) => a.name.startsWith("on")).map((a) => a.name),
    ),
    jsLinks: Array.from(doc.querySelectorAll("a[href]")).filter((a) => a.href.startsWith("javascript:")).length,
  }));
  assert.deepEqual(found, { dangerous: 0, handlers: [], jsLinks: 0 });
  // Even a click on what was a javascript: link does nothing.
  await inPreview(browser, (doc) => doc.getElementById("js-link")?.click() ?? true);
  await new Promise((r) => setTimeout(r, 1000));
  assert.notEqual(await browser.getTitle(), "PWNED");
  assert.equal(fs.readFileSync(victim, "utf8"), before);
});
