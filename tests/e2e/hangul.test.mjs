// Hangul composed through a real input method (Debian's ibus with ibus-hangul, keys sent to the X
// server with xdotool) in the real window: Enter, arrows and clicks end a composition without
// losing or doubling a syllable, and autosave, an outside change arriving on disk and the
// front-matter form's tag field wait for the composition to end before touching the text.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { eventually, launch, openPost, siteCopy } from "./harness.mjs";

const POST = "_posts/2023-05-03-hangul.md";
const FRONT = "---\ntitle: 한글 입력\ntag: [데이터]\n---\n";
const BODY = "첫째 줄\n\n둘째 줄\n\n셋째 줄\n";
const AUTOSAVE_MS = 300;

let app;
let copy;
let daemon;
let busPid;

/** A session bus, an ibus daemon on it with the Hangul engine, and the app using it. */
before(async () => {
  const bus = execFileSync("dbus-launch", ["--sh-syntax"], { encoding: "utf8" });
  for (const [, name, value] of bus.matchAll(/^(\w+)='?([^';\n]*)'?;/gm)) process.env[name] = value;
  busPid = Number(process.env.DBUS_SESSION_BUS_PID);
  daemon = spawn("ibus-daemon", ["--replace", "--xim", "--panel=disable"], { stdio: "ignore" });
  await eventually("ibus with its Hangul engine", () => {
    try {
      execFileSync("ibus", ["engine", "hangul"], { stdio: "ignore" });
      return execFileSync("ibus", ["engine"], { encoding: "utf8" }).trim() === "hangul";
    } catch {
      return false;
    }
  });
  // The app finds the daemon by this address: the harness gives it a config folder of its own,
  // where ibus would otherwise look for it.
  process.env.IBUS_ADDRESS = execFileSync("ibus", ["address"], { encoding: "utf8" }).trim();
  process.env.GTK_IM_MODULE = "ibus";
  process.env.XMODIFIERS = "@im=ibus";
  copy = siteCopy({ [POST]: FRONT + BODY });
  app = await launch(copy.site, copy, [copy.site], { autosave: true, autosaveDelayMs: AUTOSAVE_MS });
  await openPost(app.browser, "한글 입력");
  await eventually("the post in the editor", async () => (await editorText()) === FRONT + BODY);
  // ibus-hangul starts in Latin mode: Shift+Space (one of its switch keys) turns Hangul on.
  await cursorAfter("셋째 줄");
  keys("shift+space");
  keys("g", "k", "s", "space");
  await eventually("Hangul mode", async () => (await editorText()).includes("셋째 줄한 \n"));
  keys("BackSpace", "BackSpace");
  await eventually("the probe taken back", async () => (await editorText()) === FRONT + BODY);
});

after(async () => {
  await app?.stop();
  daemon?.kill();
  if (busPid) process.kill(busPid);
});

const editorText = () =>
  app.browser.execute(() => document.querySelector(".cm-content").cmTile.root.view.state.doc.toString());
const composing = () =>
  app.browser.execute(() => document.querySelector(".cm-content").cmTile.root.view.compositionStarted);
const onDisk = () => fs.readFileSync(path.join(copy.site, POST), "utf8");
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Key presses through the X server, as a keyboard sends them (ibus sees each one). */
function keys(...names) {
  execFileSync("xdotool", ["key", "--delay", "60", ...names]);
}

/** Puts the editor's cursor at the end of the first occurrence of `text`, focused. */
async function cursorAfter(text) {
  await app.browser.execute((t) => {
    const { view } = document.querySelector(".cm-content").cmTile.root;
    const at = view.state.doc.toString().indexOf(t) + t.length;
    view.dispatch({ selection: { anchor: at } });
    view.focus();
  }, text);
  await pause(100);
}

/** Waits until everything typed is on disk (autosave), so that each test starts saved. */
async function settled() {
  await eventually("the text saved", async () => !(await composing()) && (await editorText()) === onDisk());
}

test("Enter, an arrow key and a click end a composition with the syllable kept once", async () => {
  await settled();
  await cursorAfter("첫째 줄");
  keys("g", "k", "s", "r", "m", "f");
  await eventually("글 being composed", async () => (await composing()) && (await editorText()).includes("줄한글\n"));
  keys("Return");
  // One line break, as Enter makes outside a composition (WebKitGTK's own made two).
  await eventually("Enter to commit and break the line", async () =>
    (await editorText()).startsWith(`${FRONT}첫째 줄한글\n\n\n둘째 줄\n`),
  );
  assert.equal(await composing(), false);

  await cursorAfter("둘째 줄");
  keys("r", "m", "f", "Left");
  await eventually("Left to commit", async () => (await editorText()).includes("둘째 줄글\n"));
  const head = await app.browser.execute(
    () => document.querySelector(".cm-content").cmTile.root.view.state.selection.main.head,
  );
  const text = await editorText();
  assert.equal(head, text.indexOf("둘째 줄글") + "둘째 줄".length, "the cursor moved one left of the committed 글");

  await cursorAfter("셋째 줄");
  keys("g", "k", "s");
  await eventually("한 being composed", async () => await composing());
  await app.browser.$(".cm-line=첫째 줄한글").click();
  await eventually("a click to commit", async () => !(await composing()));
  assert.ok((await editorText()).includes("셋째 줄한\n"), "한 kept, once");
  await settled();
});

test("autosave waits for the composition to end", async () => {
  await settled();
  const before = onDisk();
  await cursorAfter("셋째 줄한");
  keys("r", "m", "f");
  await eventually("글 being composed", async () => (await composing()) && (await editorText()).includes("셋째 줄한글\n"));
  // Many autosave delays pass with 글 still being composed: nothing is written.
  await pause(AUTOSAVE_MS * 8);
  assert.equal(await composing(), true, "the composition is still going on");
  assert.equal(onDisk(), before, "nothing saved while composing");
  keys("space");
  await eventually("the composed text saved once it ended", () => onDisk().includes("셋째 줄한글 \n"));
  assert.equal(await editorText(), onDisk());
});

test("an outside change arriving during a composition is merged after it", async () => {
  await settled();
  await cursorAfter("둘째 줄글");
  keys("g", "k", "s", "r");
  await eventually("ㄱ being composed after 한", async () => (await editorText()).includes("둘째 줄글한ㄱ\n"));
  // Another program changes the first line meanwhile.
  const outside = onDisk().replace("첫째 줄한글\n", "첫째 줄한글 (밖에서)\n");
  fs.writeFileSync(path.join(copy.site, POST), outside);
  await pause(2000);
  assert.equal(await composing(), true, "the composition is still going on");
  assert.ok(!(await editorText()).includes("(밖에서)"), "the outside change waits");
  keys("m", "f", "space");
  await eventually("both the outside change and the composed 한글", async () => {
    const text = await editorText();
    return text.includes("첫째 줄한글 (밖에서)\n") && text.includes("둘째 줄글한글 \n");
  });
  await settled();
  assert.ok(onDisk().includes("첫째 줄한글 (밖에서)\n") && onDisk().includes("둘째 줄글한글 \n"));
});

test("Enter ending a composition in the tag field adds the whole tag once", async () => {
  await settled();
  if (!(await app.browser.execute(() => document.body.classList.contains("fm-open")))) {
    await app.browser.$("#toggle-fm").click();
  }
  const input = await app.browser.$('.fm-row[data-key="tag"] input');
  await input.waitForDisplayed();
  await input.click();
  await pause(200);
  keys("g", "k", "s", "r", "m", "f", "Return");
  await eventually("the new tag", async () =>
    app.browser
      .execute(() =>
        Array.from(document.querySelectorAll('.fm-row[data-key="tag"] .chip')).map((c) => c.firstChild.textContent).join(","),
      )
      .then((tags) => tags === "데이터,한글"),
  );
  await pause(500);
  assert.equal(await input.getValue(), "", "nothing of 한글 left behind in the field");
  assert.ok((await editorText()).includes("tag: [데이터, 한글]\n"));
});
