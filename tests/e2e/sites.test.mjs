// Opening sites in the real window: started with no site it welcomes the writer; a folder the
// folder picker would give opens (a folder that is not a site is said so); a blog is cloned from
// a local bare repository with progress, after the unsaved post of the open site is saved; the
// recent sites list goes back; a clone from a remote that never answers is cancelled and leaves
// nothing, and so does closing the window during one; the sample blog is copied into the
// documents folder and opened from there.
//
// The system's folder picker (a GTK dialog) is not driven: the tests call the function its
// choice goes to, `window.__postdeskOpenFolder`, as the picker's button does.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import { eventually, launch, openPost, repo, requestClose, siteCopy, windowGone } from "./harness.mjs";

const GDATA = "_posts/2023-03-22-gdata33.md";

let app;
let copy;
let remote;
let documents;
let silent;

const git = (cwd, ...args) =>
  execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });

before(async () => {
  copy = siteCopy();
  // The blog to clone: the sample site under another title, in a bare repository.
  const source = path.join(copy.dir, "source");
  fs.cpSync(copy.site, source, { recursive: true });
  const config = path.join(source, "_config.yml");
  fs.writeFileSync(config, fs.readFileSync(config, "utf8").replace('title: "Global Data Blog"', 'title: "Cloned Blog"'));
  remote = path.join(copy.dir, "blog.git");
  git(copy.dir, "init", "--quiet", "--bare", "-b", "main", remote);
  git(source, "init", "--quiet", "-b", "main");
  git(source, "-c", "user.name=Writer", "-c", "user.email=w@example.com", "add", "-A");
  git(source, "-c", "user.name=Writer", "-c", "user.email=w@example.com", "commit", "--quiet", "-m", "Blog");
  git(source, "push", "--quiet", `file://${remote}`, "main");
  // The writer's documents folder, as the system names it (XDG user dirs).
  documents = path.join(copy.dir, "문서");
  const xdgConfig = path.join(copy.dir, "xdg", "config");
  fs.mkdirSync(xdgConfig, { recursive: true });
  fs.writeFileSync(path.join(xdgConfig, "user-dirs.dirs"), `XDG_DOCUMENTS_DIR="${documents}"\n`);
  // A git remote that accepts connections and never answers.
  silent = net.createServer(() => {});
  await new Promise((resolve) => silent.listen(0, "127.0.0.1", resolve));
  app = await launch(copy.site, copy, [], { language: "en" });
});

after(async () => {
  await app?.stop();
  silent?.close();
});

const shows = (browser, id) =>
  browser.execute((id) => {
    const el = document.getElementById(id);
    return el !== null && getComputedStyle(el).display !== "none" && !el.closest("dialog:not([open])");
  }, id);

const text = (browser, id) => browser.execute((id) => document.getElementById(id).textContent, id);

/** Types `text` at the end of the post in the editor, once the editor has the focus. */
async function typeAtEnd(browser, text) {
  await eventually("the editor's focus", () =>
    browser.execute(() => {
      document.querySelector(".cm-content").focus();
      return Boolean(document.activeElement?.closest(".cm-editor"));
    }),
  );
  await browser.keys(["Control", "End"]);
  for (const key of text) await browser.keys([key]);
}

const openFolder = (browser, folder) =>
  browser.executeAsync((folder, done) => window.__postdeskOpenFolder(folder).then(done, (e) => done(String(e))), folder);

test("with no site, the window welcomes the writer with the three ways in", async () => {
  const { browser } = app;
  await eventually("the welcome page", () => shows(browser, "welcome"));
  assert.equal(await shows(browser, "workspace"), false);
  assert.equal(await browser.getTitle(), "Postdesk");
  for (const [id, label] of [
    ["open-site", "Open site…"],
    ["clone-blog", "Clone a blog…"],
    ["try-sample", "Try the sample blog"],
  ]) {
    assert.equal(await text(browser, id), label);
  }
  assert.match(await text(browser, "recent-sites"), /Sites you open will be listed here/);
});

test("a folder that is not a site is said so; the site's folder (or one inside it) opens", async () => {
  const { browser } = app;
  const plain = path.join(copy.dir, "plain");
  fs.mkdirSync(plain);
  assert.equal(await openFolder(browser, plain), false);
  assert.match(await text(browser, "sites-message"), new RegExp(`${plain} is not a Jekyll site: it has no _config.yml`));
  assert.equal(await shows(browser, "welcome"), true, "the welcome page stays");

  assert.equal(await openFolder(browser, path.join(copy.site, "_posts")), true);
  await eventually("the site", () => shows(browser, "workspace"));
  assert.equal(await shows(browser, "welcome"), false);
  assert.equal(await browser.getTitle(), "Global Data Blog — Postdesk");
  assert.equal(await browser.execute(() => document.getElementById("site-title").title), fs.realpathSync(copy.site));
  await openPost(browser, "[Global_Data_Issue] 2023년 3월");
  await eventually("the post's name in the title", async () =>
    (await browser.getTitle()) === "[Global_Data_Issue] 2023년 3월 — Global Data Blog — Postdesk",
  );
});

test("Clone a blog… clones with progress, saves the open post first, and opens the clone", async () => {
  const { browser } = app;
  // An unsaved edit (autosave is off): switching must not lose it.
  await typeAtEnd(browser, "Kept on switch.");
  await eventually("the unsaved mark", async () => (await browser.getTitle()).startsWith("● "));

  await browser.$("#sites").click();
  await eventually("the Sites dialog", () => browser.execute(() => document.getElementById("sites-dialog").open));
  await browser.$("#clone-blog").click();
  await eventually("the clone dialog", () => browser.execute(() => document.getElementById("clone-dialog").open));
  // The documents folder is where a clone goes unless the writer chooses.
  assert.equal(await browser.$("#clone-parent").getValue(), documents);
  const into = path.join(copy.dir, "clones");
  fs.mkdirSync(into);
  await browser.$("#clone-url").setValue(`file://${remote}`);
  assert.equal(await browser.$("#clone-name").getValue(), "blog", "named after the repository");
  await browser.$("#clone-parent").setValue(into);
  await browser.execute(() => document.getElementById("clone-parent").dispatchEvent(new Event("input")));
  assert.equal(await text(browser, "clone-target"), `Clones into ${path.join(into, "blog")}`);
  // Everything the progress line says, as it says it.
  await browser.execute(() => {
    window.__cloneSaid = [];
    const status = document.getElementById("clone-status");
    new MutationObserver(() => window.__cloneSaid.push(status.textContent)).observe(status, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await browser.$("#clone-go").click();

  await eventually("the question about the unsaved post", () =>
    browser.execute(() => document.getElementById("close-dialog").open),
  );
  assert.equal(await text(browser, "close-question"), "Some posts have unsaved changes. Save them before opening another site?");
  await browser.$("#close-save").click();
  await eventually("the cloned site", async () => (await browser.getTitle()) === "Cloned Blog — Postdesk", 20000);
  assert.match(fs.readFileSync(path.join(copy.site, GDATA), "utf8"), /Kept on switch\.\n?$/, "saved before switching");

  const said = await browser.execute(() => window.__cloneSaid);
  assert.ok(said.includes("Connecting to the repository…"), said.join(" | "));
  assert.ok(
    said.some((s) => /^Downloading… 100% \(.+\)$/.test(s)),
    `the download's progress: ${said.join(" | ")}`,
  );
  const clone = path.join(into, "blog");
  assert.deepEqual(fs.readdirSync(into), ["blog"], "no temp folder left");
  assert.equal(await browser.execute(() => document.getElementById("site-title").title), fs.realpathSync(clone));
  assert.equal(git(clone, "rev-parse", "--abbrev-ref", "@{u}").trim(), "origin/main");
  assert.equal(await browser.execute(() => document.getElementById("sites-dialog").open), false);
  await openPost(browser, "[Global_Data_Issue] 2023년 3월");
  await eventually("the clone's post", async () =>
    (await browser.getTitle()) === "[Global_Data_Issue] 2023년 3월 — Cloned Blog — Postdesk",
  );
  const shownText = await browser.execute(() => document.querySelector(".cm-content").textContent);
  assert.ok(!shownText.includes("Kept on switch."), "the clone's post, not the other site's buffer");
});

test("the recent sites go back to the site opened before", async () => {
  const { browser } = app;
  await browser.$("#sites").click();
  await eventually("the recent site", async () => (await text(browser, "recent-sites")).includes("Global Data Blog"));
  assert.ok(!(await text(browser, "recent-sites")).includes("Cloned Blog"), "the open site is not offered");
  await browser.$("#recent-sites button").click();
  await eventually("the first site again", async () => (await browser.getTitle()) === "Global Data Blog — Postdesk");
});

test("a clone from a remote that never answers is cancelled and leaves nothing", async () => {
  const { browser } = app;
  await browser.$("#sites").click();
  await browser.$("#clone-blog").click();
  const into = path.join(copy.dir, "cancelled");
  fs.mkdirSync(into);
  await browser.$("#clone-url").setValue(`http://127.0.0.1:${silent.address().port}/blog.git`);
  await browser.$("#clone-parent").setValue(into);
  await browser.execute(() => document.getElementById("clone-parent").dispatchEvent(new Event("input")));
  await browser.$("#clone-go").click();
  await eventually("the clone under way", async () => (await text(browser, "clone-status")) === "Connecting to the repository…");
  assert.ok(fs.readdirSync(into).length > 0, "git is writing into its temp folder");
  await browser.$("#clone-cancel").click();
  await eventually("the cancelled clone", async () => (await text(browser, "clone-status")) === "Cancelled. Nothing was kept.");
  assert.deepEqual(fs.readdirSync(into), []);
  assert.equal(await browser.execute(() => document.getElementById("clone-url").disabled), false);
  await browser.$("#clone-cancel").click();
  await browser.$("#sites-close").click();
  assert.equal(await browser.getTitle(), "Global Data Blog — Postdesk", "the open site stays");
});

test("Try the sample blog copies it into the documents folder once, and opens that copy", async () => {
  const { browser } = app;
  await browser.$("#sites").click();
  await browser.$("#try-sample").click();
  const sample = path.join(documents, "Postdesk sample blog");
  await eventually("the sample blog", async () =>
    (await browser.execute(() => document.getElementById("site-title").title)) === fs.realpathSync(sample),
  );
  // The status line is written once the site is shown, after its title.
  await eventually("the sample's status", async () =>
    /The sample blog is in .*Postdesk sample blog/.test(await text(browser, "status")),
  );
  assert.deepEqual(fs.readdirSync(documents), ["Postdesk sample blog"]);
  // Edits go to the copy, never to the sample shipped with the app.
  await openPost(browser, "[Global_Data_Issue] 2023년 3월");
  await eventually("the post", async () => (await browser.getTitle()).startsWith("[Global_Data_Issue] 2023년 3월"));
  await typeAtEnd(browser, "Mine.");
  await eventually("the unsaved mark", async () => (await browser.getTitle()).startsWith("● "));
  await browser.keys(["Control", "s"]);
  await eventually("the saved copy", () => fs.readFileSync(path.join(sample, GDATA), "utf8").includes("Mine."));
  assert.ok(!fs.readFileSync(path.join(repo, "posts", GDATA), "utf8").includes("Mine."));

  // Again, from another site: the same copy opens, no second one is made.
  await browser.$("#sites").click();
  await browser.$("#recent-sites button").click();
  await eventually("the site opened before", async () =>
    (await browser.execute(() => document.getElementById("site-title").title)) === fs.realpathSync(copy.site),
  );
  await browser.$("#sites").click();
  await browser.$("#try-sample").click();
  await eventually("the same copy", async () =>
    (await browser.execute(() => document.getElementById("site-title").title)) === fs.realpathSync(sample),
  );
  assert.deepEqual(fs.readdirSync(documents), ["Postdesk sample blog"]);
});

test("closing the window during a clone cancels it first and leaves nothing", async () => {
  const { browser } = app;
  await browser.$("#sites").click();
  await browser.$("#clone-blog").click();
  const into = path.join(copy.dir, "closed");
  fs.mkdirSync(into);
  await browser.$("#clone-url").setValue(`http://127.0.0.1:${silent.address().port}/blog.git`);
  await browser.$("#clone-parent").setValue(into);
  await browser.execute(() => document.getElementById("clone-parent").dispatchEvent(new Event("input")));
  await browser.$("#clone-go").click();
  await eventually("the clone under way", async () => fs.readdirSync(into).length > 0);
  // What a window manager sends when the writer clicks the close button.
  assert.notEqual(requestClose(), 0, "no Postdesk window to close");
  await windowGone(browser);
  assert.deepEqual(fs.readdirSync(into), [], "git's hidden folder went with the clone");
});
