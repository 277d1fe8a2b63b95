// Publish in the real window, against a real bare remote: edit a post, press Publish, and the
// commit (with the edit) is on the remote; a post with a problem is stopped with a one-click fix.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { artifacts, eventually, launch, openPost, siteCopy } from "./harness.mjs";

const GUIDE = "_posts/2023-04-05-postdesk-guide.md";

let app;
let copy;
let remote;

const git = (cwd, ...args) => execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });

before(async () => {
  copy = siteCopy({ "_posts/2023-05-01-untitled.md": "---\nlayout: single\n---\nNo title yet.\n" });
  remote = path.join(copy.dir, "remote.git");
  git(copy.dir, "init", "--quiet", "--bare", "-b", "main", remote);
  git(copy.site, "init", "--quiet", "-b", "main");
  git(copy.site, "config", "user.name", "Writer");
  git(copy.site, "config", "user.email", "writer@example.com");
  git(copy.site, "add", "-A");
  git(copy.site, "commit", "--quiet", "-m", "Sample site");
  git(copy.site, "remote", "add", "origin", `file://${remote}`);
  git(copy.site, "push", "--quiet", "-u", "origin", "main");
  app = await launch(copy.site, copy);
});

after(async () => {
  await app?.stop();
});

const statusLine = (browser) => browser.execute(() => document.getElementById("repo-status").textContent);

const outcome = (browser) =>
  browser.execute(() => {
    const p = document.getElementById("publish-outcome");
    return p.dataset.kind ? `${p.dataset.kind}: ${p.textContent}` : "";
  });

test("edit, Publish, and the commit is on the remote", async () => {
  const { browser } = app;
  await openPost(browser, "Writing with Postdesk");
  await eventually("the status line", async () => (await statusLine(browser)).includes("main"));
  await browser.execute(() => document.querySelector(".cm-content").focus());
  await browser.keys(["Control", "End"]);
  for (const key of "\nPublished from the window.") await browser.keys([key === "\n" ? "Enter" : key]);
  await eventually("the status line to show the unsaved edit", async () =>
    /Unsaved|저장하지 않은/.test(await statusLine(browser)),
  );
  await browser.$("#publish").click();
  await eventually("the checks to pass", async () =>
    browser.execute(() => document.querySelector("#publish-problems li.ok") !== null),
  );
  await browser.$("#publish-go").click();
  const said = await eventually("the outcome", () => outcome(browser), 30000);
  assert.match(said, /^published: /, said);
  assert.match(said, /gdata-sample\.github\.io\/guide\/postdesk-guide\//, said);
  const steps = await browser.execute(() =>
    Array.from(document.querySelectorAll("#publish-steps li")).map((li) => `${li.dataset.step}:${li.className}`),
  );
  assert.deepEqual(steps.filter((s) => s.endsWith(":done")).map((s) => s.split(":")[0]), [
    "checking", "staging", "committing", "fetching", "pushing",
  ]);
  fs.mkdirSync(artifacts, { recursive: true });
  await browser.saveScreenshot(path.join(artifacts, "publish.png"));
  await browser.$("#publish-close").click();
  const pushed = execFileSync("git", ["--git-dir", remote, "show", `main:${GUIDE}`], { encoding: "utf8" });
  assert.match(pushed, /Published from the window\.\n?$/);
  assert.equal(
    execFileSync("git", ["--git-dir", remote, "log", "-1", "--format=%s", "main"], { encoding: "utf8" }).trim(),
    "Publish: Writing with Postdesk",
  );
  await eventually("the status line to say published", async () =>
    /published \d{4}-\d{2}-\d{2}|\d{4}-\d{2}-\d{2} 게시/.test(await statusLine(browser)),
  );
});

test("a post without a title is stopped, and the fix makes it publishable", async () => {
  const { browser } = app;
  await openPost(browser, "untitled");
  await browser.$("#publish").click();
  await eventually("the missing title", async () =>
    browser.execute(() => document.querySelector("#publish-problems li.error")?.textContent ?? "").then((t) => t.includes("no title")),
  );
  assert.ok(await browser.$("#publish-go").getAttribute("disabled") !== null, "publishing is stopped");
  await browser.$("#publish-problems li.error button").click();
  await eventually("the checks to pass after the fix", async () =>
    browser.execute(() => document.querySelector("#publish-problems li.ok") !== null),
  );
  const text = fs.readFileSync(path.join(copy.site, "_posts/2023-05-01-untitled.md"), "utf8");
  assert.equal(text, "---\nlayout: single\ntitle: untitled\n---\nNo title yet.\n");
  await browser.$("#publish-close").click();
});

test("image warnings offer Fix, which normalizes the post and clears them", async () => {
  const { browser } = app;
  await openPost(browser, "[Global_Data_Issue] 2023년 3월");
  await browser.$("#publish").click();
  await eventually("the backslash warnings", async () =>
    browser.execute(() => document.querySelectorAll("#publish-problems li.warning").length).then((n) => n >= 5),
  );
  assert.ok(await browser.execute(() => !document.getElementById("publish-go").disabled), "warnings alone do not stop publishing");
  await browser.$("#publish-problems li.warning button:not(.link)").click();
  await eventually("the checks to pass after the fix", async () =>
    browser.execute(() => document.querySelector("#publish-problems li.ok") !== null),
  );
  const text = fs.readFileSync(path.join(copy.site, "_posts/2023-03-22-gdata33.md"), "utf8");
  assert.ok(!text.includes("\\images\\") && text.includes("screenshot-2023-03-28-150716.png"));
  await browser.$("#publish-close").click();
});
