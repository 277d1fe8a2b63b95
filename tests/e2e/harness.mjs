// Starts the real Postdesk binary in WebKitGTK through tauri-driver (which drives
// WebKitWebDriver) on a temp copy of the sample site, and hands back a WebdriverIO session.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { remote } from "webdriverio";

export const repo = path.resolve(import.meta.dirname, "../..");
export const artifacts = path.join(repo, "target", "e2e-artifacts");

export function appBinary() {
  const target = process.env.CARGO_TARGET_DIR ?? path.join(repo, "target");
  const bin = process.env.POSTDESK_BIN ?? path.join(target, "debug", "postdesk");
  if (!fs.existsSync(bin)) throw new Error(`${bin} does not exist: build the app first (make build)`);
  return bin;
}

/** A temp copy of posts/, plus any extra files given as {relativePath: text}. */
export function siteCopy(extra = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postdesk-e2e-"));
  const site = path.join(dir, "site");
  fs.cpSync(path.join(repo, "posts"), site, { recursive: true });
  for (const [rel, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(site, rel)), { recursive: true });
    fs.writeFileSync(path.join(site, rel), text);
  }
  return { dir, site };
}

/** The minimal-mistakes theme as writers vendor it (MIT, test material). */
export const THEME = path.join(repo, "../shared/themes/minimal-mistakes-4.27.3");

/**
 * Puts the theme's folders `parts` into the site at `site` and takes its `remote_theme:` out, so
 * that the site's own stylesheet is used; returns the path of its `_config.yml`.
 */
export function vendorTheme(site, parts) {
  for (const part of parts) fs.cpSync(path.join(THEME, part), path.join(site, part), { recursive: true });
  const config = path.join(site, "_config.yml");
  fs.writeFileSync(config, fs.readFileSync(config, "utf8").replace(/^remote_theme:.*\n/m, ""));
  return config;
}

/** A TCP port nothing listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Waits until `child` (a WebDriver server) listens on `port`. */
export async function waitForPort(port, child, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  const name = path.basename(child.spawnfile);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.end(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms`);
}

/** Where the app started by `launch` keeps its data (the crash journal) for the copy `dir`. */
export function dataDir(dir) {
  return path.join(dir, "xdg", "data", "dev.postdesk.app");
}

/**
 * Launches the app on `site`; returns { browser, stop }. The app's config goes to a temp
 * XDG_CONFIG_HOME so tests never read or write the real user's preferences. Autosave is off
 * unless `autosave` is given (most tests look at unsaved state on purpose); other options are
 * written into the prefs as they are.
 */
export async function launch(site, { dir }, args = [site], { autosave = false, ...more } = {}) {
  const port = await freePort();
  const nativePort = await freePort();
  const home = path.join(dir, "xdg");
  const config = path.join(home, "config", "dev.postdesk.app");
  const prefsFile = path.join(config, "prefs.json");
  const prefs = fs.existsSync(prefsFile) ? JSON.parse(fs.readFileSync(prefsFile, "utf8")) : {};
  fs.mkdirSync(config, { recursive: true });
  fs.writeFileSync(prefsFile, JSON.stringify({ ...prefs, autosave, ...more }));
  const driver = spawn(
    process.env.TAURI_DRIVER ?? "tauri-driver",
    ["--port", String(port), "--native-port", String(nativePort), "--native-driver", "/usr/bin/WebKitWebDriver"],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(home, "config"),
        XDG_DATA_HOME: path.join(home, "data"),
        XDG_CACHE_HOME: path.join(home, "cache"),
      },
    },
  );
  // tauri-driver listens before the WebKitWebDriver it starts does: wait for both, or the
  // first session request can fail with a connection error.
  await waitForPort(port, driver);
  await waitForPort(nativePort, driver);
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      "tauri:options": { application: appBinary(), args },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  shownBrowser = browser;
  const stop = async () => {
    if (shownBrowser === browser) shownBrowser = null;
    await browser.deleteSession().catch(() => {});
    driver.kill();
    // An app that did not close (a test left unsaved text, so it asks first) would outlive the
    // test and hold its output open: it is killed.
    const deadline = Date.now() + 3000;
    while (appPids(dir).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const pid of appPids(dir)) process.kill(pid, "SIGKILL");
  };
  return { browser, stop };
}

/** The ids of the processes running now. */
export function processIds() {
  return fs
    .readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .map(Number);
}

/** The parent of process `pid`, or null when it is gone. */
export function parentPid(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name in parentheses: the state, then the parent's id.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/** The Postdesk processes started by `launch` for the copy `dir` (found by their config folder). */
export function appPids(dir) {
  const marker = `XDG_CONFIG_HOME=${path.join(dir, "xdg", "config")}\0`;
  const pids = [];
  for (const pid of processIds()) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postdesk") continue;
      if (fs.readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker)) pids.push(Number(pid));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

/**
 * Asks the Postdesk window to close the way a window manager does when the writer clicks its
 * close button (WM_DELETE_WINDOW); returns how many windows were asked.
 */
export function requestClose() {
  const asked = execFileSync("/usr/bin/python3", [path.join(import.meta.dirname, "wm-close.py"), "Postdesk"], {
    env: process.env,
  });
  return Number(asked.toString().trim());
}

/** The window of the running test, looked at when a wait times out. */
let shownBrowser = null;

/**
 * What the window showed when a wait timed out: title, status line, open dialogs, focus and a
 * screenshot in target/e2e-artifacts, so a failure on CI says more than "timed out".
 */
async function windowState(what) {
  if (!shownBrowser) return "";
  try {
    const state = await shownBrowser.execute(() => ({
      title: document.title,
      status: document.getElementById("status")?.textContent,
      dialogs: Array.from(document.querySelectorAll("dialog[open]")).map((d) => d.id),
      banner: document.getElementById("file-banner")?.hidden ? null : document.getElementById("file-banner")?.textContent,
      focus: document.activeElement?.id || document.activeElement?.className,
    }));
    fs.mkdirSync(artifacts, { recursive: true });
    const shot = path.join(artifacts, `timeout-${what.replace(/[^\w]+/g, "-").slice(0, 60)}.png`);
    await shownBrowser.saveScreenshot(shot).catch(() => {});
    return `\nwindow: ${JSON.stringify(state)}\nscreenshot: ${shot}`;
  } catch (e) {
    return `\nwindow: not readable (${e})`;
  }
}

/** Polls `fn` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function eventually(what, fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})${await windowState(what)}`);
}

/** Waits until the app's window is gone (WebDriver can no longer reach it). */
export async function windowGone(browser) {
  await eventually("the window gone", async () => {
    try {
      await browser.getTitle();
      return false;
    } catch {
      return true;
    }
  });
}

/** Clicks the post titled `title` in the sidebar, once it is listed. */
export async function openPost(browser, title) {
  await eventually(`the post "${title}" in the sidebar`, async () => {
    const titles = await browser.execute(() =>
      Array.from(document.querySelectorAll("#post-list li .title")).map((e) => e.textContent),
    );
    const index = titles.indexOf(title) + 1;
    if (index === 0) return false;
    // The list is drawn again when files change on disk: an item gone stale is looked up again.
    await browser.$(`#post-list li:nth-child(${index})`).click();
    return true;
  });
}

/** The window's X id and the offset from page coordinates to window coordinates. */
export async function pointerOrigin(browser) {
  const ids = execFileSync("xdotool", ["search", "--onlyvisible", "--name", "Postdesk"], { encoding: "utf8" }).trim().split("\n");
  const window = ids[ids.length - 1];
  await browser.execute(() => {
    window.__pointerSeen = null;
    window.addEventListener("pointermove", (e) => (window.__pointerSeen = [e.clientX, e.clientY]));
  });
  execFileSync("xdotool", ["mousemove", "--window", window, "400", "300"]);
  const seen = await eventually("the pointer seen by the page", () => browser.execute(() => window.__pointerSeen));
  return { window, dx: 400 - seen[0], dy: 300 - seen[1] };
}
