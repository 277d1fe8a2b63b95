// The last site opened is the one Postdesk opens next time, with no argument.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { eventually, launch, siteCopy } from "./harness.mjs";

test("reopens the last site when started without one", async () => {
  const copy = siteCopy();
  const config = path.join(copy.site, "_config.yml");
  fs.writeFileSync(config, fs.readFileSync(config, "utf8").replace('title: "Global Data Blog"', 'title: "Remembered Blog"'));
  const siteTitle = (browser) =>
    eventually("the site title", async () => (await browser.execute(() => document.getElementById("site-title").textContent)) || null);

  const first = await launch(copy.site, copy);
  try {
    assert.equal(await siteTitle(first.browser), "Remembered Blog");
  } finally {
    await first.stop();
  }
  const second = await launch(copy.site, copy, []);
  try {
    assert.equal(await siteTitle(second.browser), "Remembered Blog");
    const root = await second.browser.execute(() => document.getElementById("site-title").title);
    assert.equal(root, fs.realpathSync(copy.site));
  } finally {
    await second.stop();
  }
});
