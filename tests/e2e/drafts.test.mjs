// Drafts and dates in the real window: "Publish draft" moves a draft into _posts/ with its
// images and links (and refuses a name that is taken), a post dated later than now is warned
// about in the publish dialog of a site with `future: false`, and `published: false` is marked
// in the post list.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { artifacts, eventually, launch, openPost, siteCopy } from "./harness.mjs";

const APRIL = "---\ntitle: April\ndate: 2023-04-22\n---\n![m](/images/april/m.png)\n";
const LATER = "---\ntitle: Later\ncategories: news\ndate: 2999-01-01 09:00:00 +0900\n---\nSoon.\n";

let app;
let copy;

const git = (cwd, ...args) => execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });

before(async () => {
  copy = siteCopy({
    "_drafts/april.md": APRIL,
    // Dated as a post that is there already.
    "_drafts/clash.md": "---\ntitle: Clash\ndate: 2023-03-22\n---\nSame day.\n",
    "_posts/2023-03-22-clash.md": "---\ntitle: Clash (published)\n---\nFirst.\n",
    "_posts/2999-01-01-later.md": LATER,
    "_posts/2023-05-02-hidden.md": "---\ntitle: Hidden one\npublished: false\n---\nNot yet.\n",
  });
  fs.mkdirSync(path.join(copy.site, "images/april"));
  fs.copyFileSync(path.join(copy.site, "images/2023-03-22-gdata33/m.png"), path.join(copy.site, "images/april/m.png"));
  git(copy.site, "init", "--quiet", "-b", "main");
  git(copy.site, "config", "user.name", "Writer");
  git(copy.site, "config", "user.email", "writer@example.com");
  git(copy.site, "add", "-A");
  git(copy.site, "commit", "--quiet", "-m", "Sample site");
  app = await launch(copy.site, copy);
});

after(async () => {
  await app?.stop();
});

const mark = (browser, rel) =>
  browser.execute((rel) => {
    const span = document.querySelector(`#post-list li[data-path="${rel}"] .unpublished`);
    return span ? { text: span.textContent, title: span.title } : null;
  }, rel);

test("published: false is marked in the post list, with a tooltip", async () => {
  const { browser } = app;
  const hidden = await eventually("the mark", () => mark(browser, "_posts/2023-05-02-hidden.md"));
  assert.match(hidden.text, /^(Hidden|비공개)$/);
  assert.match(hidden.title, /^published: false — (Jekyll leaves this post out of the site|Jekyll이 이 글을 사이트에 싣지 않습니다)$/);
  assert.equal(await mark(browser, "_posts/2023-03-22-gdata33.md"), null);
});

/**
 * Clicks "Publish draft" until its dialog opens (right after a post opens, WebKitWebDriver
 * sometimes loses a click; see the rename test).
 */
async function openDraftDialog(browser) {
  await eventually("the draft dialog", async () => {
    if (await browser.execute(() => document.getElementById("draft-dialog").open)) return true;
    await browser.$("#publish-draft").click();
    await new Promise((r) => setTimeout(r, 300));
    return false;
  });
}

const plan = (browser) =>
  browser.execute(() => {
    const line = document.getElementById("draft-plan");
    // (A result with an `error` key would read as a WebDriver error.)
    return { text: line.textContent, refused: line.classList.contains("error"), ok: !document.getElementById("draft-ok").disabled };
  });

test("Publish draft refuses a taken name, and moves a draft with its images and links", async () => {
  const { browser } = app;
  await openPost(browser, "[Global_Data_Issue] 2023년 3월");
  await eventually("the file name", async () => browser.execute(() => document.getElementById("fm-file-name").textContent === "_posts/2023-03-22-gdata33.md"));
  assert.equal(await browser.execute(() => document.getElementById("publish-draft").hidden), true, "posts have no draft action");

  await openPost(browser, "Clash");
  await eventually("the draft action", async () => browser.execute(() => !document.getElementById("publish-draft").hidden));
  await openDraftDialog(browser);
  const refused = await eventually("the refusal", async () => {
    const p = await plan(browser);
    return p.refused && p;
  });
  assert.match(refused.text, /^_posts\/2023-03-22-clash\.md( already exists\. Rename the draft or give it another date|이\(가\) 이미 있습니다\. 초안의 이름이나 날짜를 바꾼 뒤)/, refused.text);
  assert.equal(refused.ok, false, "nothing can be moved");
  await browser.$('#draft-dialog button[value="cancel"]').click();
  assert.ok(fs.existsSync(path.join(copy.site, "_drafts/clash.md")));

  await openPost(browser, "April");
  await eventually("the April draft shown", async () => browser.execute(() => document.getElementById("fm-file-name").textContent === "_drafts/april.md"));
  await openDraftDialog(browser);
  const shown = await eventually("the plan", async () => {
    const p = await plan(browser);
    return p.ok && p;
  });
  assert.match(shown.text, /^_drafts\/april\.md → _posts\/2023-04-22-april\.md/);
  assert.match(shown.text, /images\/april\/.*images\/2023-04-22-april\/.*1/);
  await browser.$("#draft-ok").click();
  const moved = path.join(copy.site, "_posts/2023-04-22-april.md");
  await eventually("the draft moved on disk", () => fs.existsSync(moved));
  assert.equal(fs.readFileSync(moved, "utf8"), APRIL.replace("/images/april/", "/images/2023-04-22-april/"));
  assert.ok(!fs.existsSync(path.join(copy.site, "_drafts/april.md")));
  assert.ok(fs.existsSync(path.join(copy.site, "images/2023-04-22-april/m.png")));
  assert.ok(!fs.existsSync(path.join(copy.site, "images/april")));
  await eventually("the post shown in the list", async () =>
    browser.execute(() => document.querySelector('#post-list li[aria-selected="true"]')?.dataset.path === "_posts/2023-04-22-april.md"),
  );
  assert.equal(await browser.execute(() => document.getElementById("publish-draft").hidden), true);
  assert.match(await browser.execute(() => document.getElementById("status").textContent), /_posts\/2023-04-22-april\.md/);
});

test("a post dated later than now is warned about in the publish dialog", async () => {
  const { browser } = app;
  await openPost(browser, "Later");
  await browser.$("#publish").click();
  const warning = await eventually("the warning", async () =>
    browser.execute(() => {
      const li = document.querySelector("#publish-problems li.warning");
      return li && { text: li.textContent, line: li.querySelector("button.link")?.textContent ?? "" };
    }),
  );
  assert.match(
    warning.text,
    /(Jekyll will not publish this post until 2999-01-01 09:00:00 \+0900: its date is later than now and the site has future: false\.|Jekyll은 2999-01-01 09:00:00 \+0900이\(가\) 되기 전에는 이 글을 게시하지 않습니다)/,
    warning.text,
  );
  assert.match(warning.line, /4/);
  // The list's Hidden mark and the warning, for a look: target/e2e-artifacts/drafts.png.
  fs.mkdirSync(artifacts, { recursive: true });
  await browser.saveScreenshot(path.join(artifacts, "drafts.png"));
  assert.ok(await browser.execute(() => !document.getElementById("publish-go").disabled), "a warning alone does not stop publishing");
  await browser.$("#publish-close").click();
});
