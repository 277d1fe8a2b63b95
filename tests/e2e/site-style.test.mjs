// The preview's Site style / Plain switch in the real window, on a copy of the sample site that
// vendors the minimal-mistakes theme (../shared/themes, as writers keep it in their repository)
// and on the sample site itself (remote_theme: the plain style, and the reason in the switch).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { artifacts, eventually, launch, openPost, repo, siteCopy } from "./harness.mjs";

const THEME = path.join(repo, "../shared/themes/minimal-mistakes-4.27.3");
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
      plainOn: !doc.querySelector('link[rel="stylesheet"]').disabled,
      styleElements: doc.querySelectorAll("style").length,
      title: document.getElementById("site-style-switch").title,
    };
  });
}

test("Site style shows the post in the site's compiled stylesheet; Plain goes back", async () => {
  const copy = siteCopy();
  for (const part of ["_sass", "assets"]) {
    fs.cpSync(path.join(THEME, part), path.join(copy.site, part), { recursive: true });
  }
  const config = path.join(copy.site, "_config.yml");
  const text = fs.readFileSync(config, "utf8").replace(/^remote_theme:.*\n/m, "");
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
  await browser.$("#site-style").click();
  const plain = await eventually("the plain style again", async () => {
    const look = await previewLook(browser);
    return look?.adopted === 0 && look;
  });
  assert.equal(plain.plainOn, true);
  assert.notEqual(plain.background, site.background, "the notice looks as the theme draws it");
  const prefs = path.join(copy.dir, "xdg", "config", "dev.postdesk.app", "prefs.json");
  await eventually("the switch remembered", () => JSON.parse(fs.readFileSync(prefs, "utf8")).siteStyle === false);
  await browser.saveScreenshot(path.join(artifacts, "site-style-plain.png"));
  await app.stop();
  app = null;
});

test("a site with remote_theme: stays plain and the switch says why", async () => {
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
