// Never lose a word, in the real window: outside edits reload or merge, a conflict is shown
// side by side and nothing is overwritten, a deleted post can be saved again, autosave saves,
// and after the app is killed the next start recovers the unsaved text.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { appPids, artifacts, dataDir, eventually, launch, openPost, requestClose, siteCopy, windowGone } from "./harness.mjs";

const GUIDE = "_posts/2023-04-05-postdesk-guide.md";
const TITLE = "Writing with Postdesk";

/** The editor's whole text (CodeMirror keeps its view on the content element's tile). */
const editorText = (browser) =>
  browser.execute(() => document.querySelector(".cm-content").cmTile.root.view.state.doc.toString());
const cursor = (browser) =>
  browser.execute(() => document.querySelector(".cm-content").cmTile.root.view.state.selection.main.head);
const status = (browser) => browser.execute(() => document.getElementById("status").textContent);
const banner = (browser) =>
  browser.execute(() => {
    const b = document.getElementById("file-banner");
    return b.hidden ? "" : document.getElementById("file-banner-text").textContent;
  });
const dirty = async (browser) => (await browser.getTitle()).startsWith("● ");

/** Types `text` at the end of the line that reads `line` exactly. */
async function typeAtLine(browser, line, text) {
  const n = await eventually(`the line ${JSON.stringify(line)}`, () =>
    browser.execute((l) => Array.from(document.querySelectorAll(".cm-line")).findIndex((e) => e.textContent === l) + 1, line),
  );
  await browser.$(`.cm-content > .cm-line:nth-child(${n})`).click();
  await browser.keys(["End"]);
  for (const key of text) await browser.keys([key]);
}

/** Another program's save: a temp file renamed over the post, as vim and many editors do. */
function saveLikeVim(file, text) {
  fs.writeFileSync(`${file}.tmp~`, text);
  fs.renameSync(`${file}.tmp~`, file);
}

async function withApp(copy, options, body) {
  const app = await launch(copy.site, copy, [copy.site], options);
  try {
    await body(app.browser);
  } finally {
    await app.stop();
  }
}

/** Runs `body` with the guide post open in a fresh copy of the sample site. */
async function withGuide(options, body) {
  const copy = siteCopy();
  const file = path.join(copy.site, GUIDE);
  const original = fs.readFileSync(file, "utf8");
  await withApp(copy, options, async (browser) => {
    await openPost(browser, TITLE);
    await eventually("the guide in the editor", async () => (await editorText(browser)) === original);
    await body({ browser, file, original });
  });
}

test("an outside edit reloads a clean post in place, and merges into unsaved edits", async () => {
  await withGuide({}, async ({ browser, file, original }) => {
    await browser.$(".cm-content > .cm-line:nth-child(3)").click();
    const at = await cursor(browser);

    // Clean: the new text is shown, the cursor stays, nothing is dirty.
    const outside = original.replace("## Links\n", "## Links (from vim)\n");
    assert.notEqual(outside, original);
    saveLikeVim(file, outside);
    await eventually("the reloaded text", async () => (await editorText(browser)) === outside);
    assert.equal(await cursor(browser), at, "the cursor stays where it was");
    assert.ok(!(await dirty(browser)), "a reload is not an unsaved edit");
    assert.match(await status(browser), /changed on disk|디스크에서 바뀌어/);

    // Dirty: an edit elsewhere in the file merges with the typing.
    await typeAtLine(browser, "## Links (from vim)", " typed");
    await eventually("the unsaved mark", () => dirty(browser));
    const pulled = outside.trimEnd() + "\n\nA paragraph from git pull.\n";
    fs.writeFileSync(file, pulled);
    const merged = pulled.replace("## Links (from vim)\n", "## Links (from vim) typed\n");
    await eventually("the merged text", async () => (await editorText(browser)) === merged);
    assert.match(await status(browser), /merged|합쳤습니다/);
    assert.equal(fs.readFileSync(file, "utf8"), pulled, "nothing was saved without the writer");
    await browser.keys(["Control", "s"]);
    await eventually("the merge saved", () => fs.readFileSync(file, "utf8") === merged);
  });
});

test("a conflict shows both versions, overwrites nothing, and the other version is one undo away", async () => {
  await withGuide({}, async ({ browser, file, original }) => {
    await typeAtLine(browser, "## Links", " 내 글");
    const mine = original.replace("## Links\n", "## Links 내 글\n");
    await eventually("the typing", async () => (await editorText(browser)) === mine);
    const theirs = original.replace("## Links\n", "## Links (theirs)\n");
    fs.writeFileSync(file, theirs);

    await eventually("the conflict dialog", () => browser.execute(() => document.getElementById("conflict-dialog").open));
    const sides = await browser.execute(() =>
      Array.from(document.querySelectorAll("#conflict-merge .cm-content")).map((c) => c.textContent),
    );
    assert.equal(sides.length, 2);
    assert.ok(sides[0].includes("## Links 내 글") && sides[1].includes("## Links (theirs)"), JSON.stringify(sides));
    fs.mkdirSync(artifacts, { recursive: true });
    await browser.saveScreenshot(path.join(artifacts, "conflict.png"));

    // Ctrl+S while the conflict is open or put off writes nothing.
    await browser.$("#conflict-later").click();
    assert.match(await banner(browser), /changed on disk and here|함께 바뀌었습니다/);
    await browser.keys(["Control", "s"]);
    await eventually("the dialog again", () => browser.execute(() => document.getElementById("conflict-dialog").open));
    assert.equal(fs.readFileSync(file, "utf8"), theirs);

    await browser.$("#conflict-disk").click();
    await eventually("the file's version in the editor", async () => (await editorText(browser)) === theirs);
    assert.ok(!(await dirty(browser)));
    assert.equal(await banner(browser), "");
    await browser.execute(() => document.querySelector(".cm-content").focus());
    await browser.keys(["Control", "z"]);
    await eventually("my version back after undo", async () => (await editorText(browser)) === mine);
    await browser.keys(["Control", "s"]);
    await eventually("mine saved, by choice", () => fs.readFileSync(file, "utf8") === mine);
  });
});

test("autosave saves typing; a post deleted on disk keeps its text and can be saved again, or followed when moved", async () => {
  await withGuide({ autosave: true }, async ({ browser, file, original }) => {
    await typeAtLine(browser, "## Links", " autosaved");
    const typed = original.replace("## Links\n", "## Links autosaved\n");
    await eventually("the autosave", () => fs.readFileSync(file, "utf8") === typed, 15000);
    await eventually("the clean title", async () => !(await dirty(browser)));

    fs.rmSync(file);
    await eventually("the deleted banner", async () => /no longer on disk|디스크에 없습니다/.test(await banner(browser)));
    assert.equal(await editorText(browser), typed, "the text stays");
    const listed = await browser.execute(() =>
      Array.from(document.querySelectorAll("#post-list li .title")).map((e) => e.textContent),
    );
    assert.ok(!listed.includes(TITLE), "the sidebar follows the disk");
    // Autosave does not bring back a file someone deleted; the writer can.
    await new Promise((r) => setTimeout(r, 3000));
    assert.ok(!fs.existsSync(file));
    await browser.$("#banner-save").click();
    await eventually("the post saved again", () => fs.existsSync(file) && fs.readFileSync(file, "utf8") === typed);
    await eventually("the banner gone", async () => (await banner(browser)) === "");

    // Moved by another program: go on in the moved file, and autosave writes there.
    const moved = path.join(path.dirname(file), "2023-04-06-moved-guide.md");
    fs.renameSync(file, moved);
    await eventually("the moved banner", async () => /moved to|옮겼습니다/.test(await banner(browser)));
    await browser.$("#banner-follow").click();
    await eventually("the moved file shown", async () =>
      (await browser.execute(() => document.getElementById("fm-file-name").textContent)) === "_posts/2023-04-06-moved-guide.md",
    );
    assert.equal(await banner(browser), "");
    await typeAtLine(browser, "## Links autosaved", " again");
    await eventually("the autosave into the moved file", () =>
      fs.readFileSync(moved, "utf8") === typed.replace("## Links autosaved\n", "## Links autosaved again\n"),
    15000);
    assert.ok(!fs.existsSync(file), "the old name is not written again");
  });
});

test("closing the window with autosave on saves, without asking", async () => {
  // A long delay: what saves here is the close, not the timer.
  await withGuide({ autosave: true, autosaveDelayMs: 600000 }, async ({ browser, file, original }) => {
    await typeAtLine(browser, "## Links", " saved on close");
    await eventually("the unsaved mark", () => dirty(browser));
    assert.notEqual(requestClose(), 0, "no Postdesk window to close");
    await eventually("the text saved by the close", () =>
      fs.readFileSync(file, "utf8") === original.replace("## Links\n", "## Links saved on close\n"),
    );
    await windowGone(browser);
  });
});

test("after the app is killed, the next start recovers the unsaved text", async () => {
  const copy = siteCopy();
  const file = path.join(copy.site, GUIDE);
  const original = fs.readFileSync(file, "utf8");
  const typed = original.replace("## Links\n", "## Links 살아남은 글\n");
  const app = await launch(copy.site, copy, [copy.site]);
  try {
    await openPost(app.browser, TITLE);
    await eventually("the guide in the editor", async () => (await editorText(app.browser)) === original);
    await typeAtLine(app.browser, "## Links", " 살아남은 글");
    await eventually("the typing", async () => (await editorText(app.browser)) === typed);
    const journal = path.join(dataDir(copy.dir), "journal");
    // Only a renamed entry counts: a temp file still being synced is not in the journal yet (a
    // kill then loses it, as it should: the entry before it is what the next start offers).
    await eventually("the journal to hold the typing", () =>
      fs.existsSync(journal) &&
      fs
        .readdirSync(journal)
        .filter((f) => f.endsWith(".json"))
        .some((f) => JSON.parse(fs.readFileSync(path.join(journal, f), "utf8")).text === typed),
    );
    // SIGKILL: no close handler, no chance to save.
    const pids = appPids(copy.dir);
    assert.equal(pids.length, 1, "one app to kill");
    process.kill(pids[0], "SIGKILL");
  } finally {
    await app.stop();
  }
  assert.equal(fs.readFileSync(file, "utf8"), original, "the kill saved nothing");

  await withApp(copy, {}, async (browser) => {
    await eventually("the recovery dialog", () => browser.execute(() => document.getElementById("recover-dialog").open));
    const offered = await browser.execute(() =>
      Array.from(document.querySelectorAll("#recover-list li")).map((li) => [li.dataset.path, li.querySelector("pre").textContent]),
    );
    assert.equal(offered.length, 1);
    assert.equal(offered[0][0], GUIDE);
    assert.match(offered[0][1], /-## Links\n\+## Links 살아남은 글\n/);
    await browser.$("#recover-list button.recover").click();
    await eventually("the recovered text", async () => (await editorText(browser)) === typed);
    assert.ok(await dirty(browser), "recovered, not saved yet");
    await browser.keys(["Control", "s"]);
    await eventually("the recovered text saved", () => fs.readFileSync(file, "utf8") === typed);
  });
});
