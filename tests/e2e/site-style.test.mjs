// The preview's Site style / Plain switch in the real window, on a copy of the sample site that
// vendors the minimal-mistakes theme (../shared/themes, as writers keep it in their repository)
// and on the sample site itself (remote_theme: the plain style, and the reason in the switch).
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, test } from "node:test";
import { artifacts, eventually, freePort, launch, openPost, siteCopy, vendorTheme, waitForPort } from "./harness.mjs";

const TITLE = "[Global_Data_Issue] 2023년 3월";

let app;

after(async () => {
  await app?.stop();
});

/** The computed style of the first `.notice--info` of the post and how the frame is styled. */
function previewLook(browser) {
  return browser.execute(() => {
    const doc = document.getElementById("preview").contentDocument;
    const notice = doc.querySelector("#content .notice--info");
    if (!notice) return null;
    const style = doc.defaultView.getComputedStyle(notice);
    return {
      background: style.backgroundColor,
      fontSize: style.fontSize,
      adopted: doc.adoptedStyleSheets.length,
      plainOn: !doc.querySelector('link[href="/preview.css"]').disabled,
      styleElements: doc.querySelectorAll("style").length,
      title: document.getElementById("site-style-switch").title,
    };
  });
}

test("Site style shows the post in the site's compiled stylesheet; Plain goes back", async () => {
  const copy = siteCopy();
  const config = vendorTheme(copy.site, ["_sass", "assets"]);
  const text = fs.readFileSync(config, "utf8");
  fs.writeFileSync(config, text.replace(/^minimal_mistakes_skin:.*$/m, 'minimal_mistakes_skin: "air"'));
  app = await launch(copy.site, copy);
  const { browser } = app;
  await openPost(browser, TITLE);
  const site = await eventually("the site's stylesheet in the preview", async () => {
    const look = await previewLook(browser);
    return look?.adopted === 1 && look;
  });
  assert.equal(site.plainOn, false, "the plain stylesheet is off");
  assert.equal(site.styleElements, 0, "the stylesheet comes through the CSSOM, not a <style>");
  // The theme fades #main in (its intro animation): the screenshot waits for the end of it.
  await eventually("the theme's fade-in", () =>
    browser.execute(() => {
      const doc = document.getElementById("preview").contentDocument;
      return doc.defaultView.getComputedStyle(doc.getElementById("main")).opacity === "1";
    }),
  );
  fs.mkdirSync(artifacts, { recursive: true });
  await browser.saveScreenshot(path.join(artifacts, "site-style.png"));
  const prefs = path.join(copy.dir, "xdg", "config", "dev.postdesk.app", "prefs.json");
  // Whole page: the site's masthead and the author sidebar around the post, and back.
  const chrome = () =>
    browser.execute(() => {
      const doc = document.getElementById("preview").contentDocument;
      const masthead = doc.getElementById("postdesk-masthead");
      return {
        masthead: masthead.hidden ? null : masthead.querySelector(".site-title")?.textContent,
        sidebar: !doc.getElementById("postdesk-sidebar").hidden,
        // The seed says `author_profile: false`: no author in the sidebar.
        author: doc.querySelector(".sidebar .h-card") !== null,
      };
    });
  assert.deepEqual(await chrome(), { masthead: null, sidebar: false, author: false });
  await browser.$("#whole-page").click();
  assert.deepEqual(await chrome(), { masthead: "Global Data Blog", sidebar: true, author: false });
  await eventually("the masthead's fade-in", () =>
    browser.execute(() => {
      const doc = document.getElementById("preview").contentDocument;
      return doc.defaultView.getComputedStyle(doc.querySelector(".masthead")).opacity === "1";
    }),
  );
  await eventually("Whole page remembered", () => JSON.parse(fs.readFileSync(prefs, "utf8")).wholePage === true);
  await browser.saveScreenshot(path.join(artifacts, "site-style-whole-page.png"));
  await browser.$("#whole-page").click();
  assert.deepEqual(await chrome(), { masthead: null, sidebar: false, author: false });
  await browser.$("#site-style").click();
  const plain = await eventually("the plain style again", async () => {
    const look = await previewLook(browser);
    return look?.adopted === 0 && look;
  });
  assert.equal(plain.plainOn, true);
  assert.notEqual(plain.background, site.background, "the notice looks as the theme draws it");
  await eventually("the switch remembered", () => JSON.parse(fs.readFileSync(prefs, "utf8")).siteStyle === false);
  await browser.saveScreenshot(path.join(artifacts, "site-style-plain.png"));
  await app.stop();
  app = null;
});

test("a site with remote_theme: stays plain and the switch says why", async () => {
  await app?.stop();
  const copy = siteCopy();
  app = await launch(copy.site, copy);
  const { browser } = app;
  await openPost(browser, TITLE);
  const look = await eventually("the reason in the switch", async () => {
    const l = await previewLook(browser);
    return l?.title.includes("remote_theme") && l;
  });
  assert.equal(look.adopted, 0);
  assert.equal(look.plainOn, true);
});

// ---- The preview against the page Jekyll builds, in the same WebKit --------------------------

/** The properties compared, as `../shared/tools/style_agree.py` compares them. */
const PROPS = [
  "font-size", "font-weight", "font-style", "color", "background-color", "margin-top", "margin-bottom",
  "margin-left", "padding-top", "padding-bottom", "padding-left", "border-left-width", "border-left-color",
  "text-align", "line-height", "display", "text-decoration-line",
];

/**
 * [tag, computed style] of each element inside `.page__content` of the page in the iframe
 * `frame`, in document order. Runs in the browser (WebDriver's execute).
 */
function computedStyles(props, frame) {
  const doc = document.getElementById(frame).contentDocument;
  return Array.from(doc.querySelector(".page__content").querySelectorAll("*"), (el) => {
    const cs = doc.defaultView.getComputedStyle(el);
    return [el.tagName.toLowerCase(), Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]))];
  });
}

/**
 * How many elements of `real` have an element of `candidate` with the same computed style,
 * elements paired in order by tag name (a longest common subsequence), as style_agree.py does;
 * and the properties that differed most.
 */
function agreement(real, candidate) {
  const n = real.length;
  const m = candidate.length;
  const L = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      L[i][j] = real[i][0] === candidate[j][0] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    }
  }
  let same = 0;
  const differing = new Map();
  const examples = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (real[i][0] === candidate[j][0]) {
      const bad = PROPS.filter((p) => real[i][1][p] !== candidate[j][1][p]);
      if (bad.length === 0) same++;
      for (const p of bad) differing.set(p, (differing.get(p) ?? 0) + 1);
      if (bad.length > 0 && examples.length < 3) {
        examples.push(`<${real[i][0]}> ${bad.map((p) => `${p}: ${real[i][1][p]} (preview ${candidate[j][1][p]})`).join(", ")}`);
      }
      i++;
      j++;
    } else if (L[i + 1][j] >= L[i][j + 1]) i++;
    else j++;
  }
  return { same, total: n, differing: [...differing].sort((a, b) => b[1] - a[1]), examples };
}

/** Serves `root` over local http; `/__frame.html?w=W&page=P` shows page P in a frame W px wide. */
async function serve(root) {
  const types = { ".html": "text/html", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml" };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/__frame.html") {
      const width = Number(url.searchParams.get("w"));
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(
        `<!doctype html><body style="margin:0"><iframe id="page" src="${url.searchParams.get("page")}" ` +
          `style="border:0;width:${width}px;height:860px"></iframe></body>`,
      );
      return;
    }
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": types[path.extname(file)] ?? "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** Calls WebKitWebDriver's HTTP API. */
async function webdriver(base, method, route, body) {
  const res = await fetch(base + route, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${route}: ${JSON.stringify(json)}`);
  return json.value;
}

test("in Site style, the post's elements have the computed style of the page Jekyll builds", async () => {
  // The theme as writers vendor it, and the sample posts, built by Debian's Jekyll.
  const copy = siteCopy();
  const config = vendorTheme(copy.site, ["_sass", "_includes", "_layouts", "_data", "assets"]);
  const installed = (gem) => {
    try {
      execFileSync("gem", ["list", "-i", `^${gem}$`], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  const lines = fs.readFileSync(config, "utf8").split("\n");
  fs.writeFileSync(
    config,
    lines
      .filter((l) => !l.startsWith("  - jekyll-") || installed(l.slice(4)))
      .join("\n"),
  );
  const built = path.join(copy.dir, "_site");
  const server = await serve(built);
  try {
    await compareWithJekyll(copy, built, server.address().port);
  } finally {
    server.close();
  }
});

/** Builds the site of `copy` into `built` (served on `port`) and compares the seed post. */
async function compareWithJekyll(copy, built, port) {
  const served = path.join(copy.dir, "served.yml");
  fs.writeFileSync(served, `url: "http://127.0.0.1:${port}"\n`);
  const proxy = "http://127.0.0.1:9";
  execFileSync("jekyll", ["build", "--quiet", "--config", `_config.yml,${served}`, "--destination", built], {
    cwd: copy.site,
    // The sample's Gemfile names github-pages, which Debian does not have: Jekyll alone builds it.
    env: {
      ...process.env,
      JEKYLL_NO_BUNDLER_REQUIRE: "true",
      http_proxy: proxy,
      https_proxy: proxy,
      HTTP_PROXY: proxy,
      HTTPS_PROXY: proxy,
    },
  });
  // The reference is the page without its scripts, as the preview is.
  const pagePath = "/global_data_issue/gdata33/";
  const pageFile = path.join(built, pagePath, "index.html");
  fs.writeFileSync(pageFile, fs.readFileSync(pageFile, "utf8").replace(/<script\b[\s\S]*?<\/script>/g, ""));

  // The post in the window, in Site style.
  await app?.stop();
  app = await launch(copy.site, copy);
  const { browser } = app;
  await openPost(browser, TITLE);
  await eventually(
    "the site's stylesheet and the page's frame in the preview",
    () =>
      browser.execute(() => {
        const doc = document.getElementById("preview").contentDocument;
        return (
          doc.adoptedStyleSheets.length === 1 &&
          doc.querySelector(".page__title") !== null &&
          doc.querySelector(".toc__menu") !== null &&
          // At rest: the theme's intro animation over, and its 0.2s transitions of b, i, strong, p,
          // a… (from the plain style's values to the site's) too.
          doc.getAnimations().every((a) => a.playState === "finished")
        );
      }),
    20000,
  );
  const width = await browser.execute(() => document.getElementById("preview").contentDocument.documentElement.clientWidth);
  const mine = await browser.execute(computedStyles, PROPS, "preview");
  fs.mkdirSync(artifacts, { recursive: true });
  await browser.saveScreenshot(path.join(artifacts, "computed-style-window.png"));
  await app.stop();
  app = null;

  // The page Jekyll built, in WebKit's MiniBrowser, in a frame as wide as the preview.
  const driverPort = await freePort();
  const driver = spawn("WebKitWebDriver", [`--port=${driverPort}`], { stdio: "ignore" });
  let real;
  try {
    await waitForPort(driverPort, driver);
    const base = `http://127.0.0.1:${driverPort}`;
    const binary = ["/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/libexec/webkit2gtk-4.1/MiniBrowser"].find(
      (p) => fs.existsSync(p),
    );
    assert.ok(binary, "WebKit's MiniBrowser (Debian package libwebkit2gtk-4.1-0)");
    const session = await webdriver(base, "POST", "/session", {
      capabilities: {
        alwaysMatch: {
          browserName: "MiniBrowser",
          "webkitgtk:browserOptions": { binary, args: ["--automation", `--geometry=${width + 40}x900`] },
        },
      },
    });
    const S = `/session/${session.sessionId}`;
    await webdriver(base, "POST", S + "/url", {
      url: `http://127.0.0.1:${port}/__frame.html?w=${width}&page=${encodeURIComponent(pagePath)}`,
    });
    const script = `const doc = document.getElementById("page").contentDocument;
      if (!doc || doc.readyState !== "complete" || doc.getAnimations().some((a) => a.playState !== "finished")) return null;
      return (${computedStyles}).apply(null, arguments);`;
    const deadline = Date.now() + 20000;
    while (!(real = await webdriver(base, "POST", S + "/execute/sync", { script, args: [PROPS, "page"] }))) {
      assert.ok(Date.now() < deadline, "the Jekyll page loads in MiniBrowser");
      await new Promise((r) => setTimeout(r, 200));
    }
    const shot = await webdriver(base, "GET", S + "/screenshot");
    fs.writeFileSync(path.join(artifacts, "computed-style-jekyll.png"), Buffer.from(shot, "base64"));
    await webdriver(base, "DELETE", S);
  } finally {
    driver.kill();
  }

  const { same, total, differing, examples } = agreement(real, mine);
  const percent = (100 * same) / total;
  console.log(
    `computed styles agreeing, preview ${width} px wide against Jekyll's page: ${same}/${total} elements ` +
      `(${percent.toFixed(1)} %); most differing: ${differing.slice(0, 6).map(([p, k]) => `${p} ${k}`).join(", ") || "none"}` +
      examples.map((e) => `\n  for example ${e}`).join(""),
  );
  assert.ok(total > 100, `the post's elements were found (${total})`);
  assert.ok(percent >= 95, `${same}/${total} elements agree, below 95 %`);
}
