// The preview: a sandboxed iframe (no scripts run in it) whose DOM this module updates in place.
// The engine sends what changed since the render shown (blocks removed and inserted at one
// place), so a keystroke replaces one paragraph: images elsewhere do not reload and the scroll
// position stays where it is.
import type { PageFrame } from "./bindings/PageFrame";
import type { PreviewUpdate } from "./bindings/PreviewUpdate";

/** Separates the blocks of one update in the HTML parsed at once (the engine drops comments). */
const SEPARATOR = "<!--postdesk-block-->";

export class Preview {
  /** The DOM nodes of each block of the page shown, in order. */
  private blocks: Node[][] = [];
  /** The source line of each block (0: unknown), for scroll sync. */
  private lines: number[] = [];
  /** The render shown, to name when asking for the next one. */
  private id: number | null = null;
  /** The site's stylesheet the preview shows its content in; null: the plain style. */
  private siteCss: string | null = null;
  /** The nodes of the TOC box the content starts with (the frame's, not a block's). */
  private toc: Node[] = [];
  /** Whether the masthead and the sidebar show. */
  private wholePage = false;
  /**
   * The frame shown, to replace only its parts that change: a heading typed changes the TOC, not
   * the masthead (whose images would reload) nor the header.
   */
  private pageFrame: PageFrame | null = null;

  constructor(private frame: HTMLIFrameElement) {
    frame.addEventListener("load", () => this.attach());
    this.attach();
  }

  private get doc(): Document | null {
    return this.frame.contentDocument;
  }

  private get content(): HTMLElement | null {
    return this.doc?.getElementById("content") ?? null;
  }

  /** Where the masthead or the sidebar goes. */
  private slot(which: "masthead" | "sidebar"): HTMLElement | null {
    return this.doc?.getElementById(`postdesk-${which}`) ?? null;
  }

  /** Shows the site's masthead and the author sidebar around the post, or not. */
  setWholePage(on: boolean): void {
    this.wholePage = on;
    for (const which of ["masthead", "sidebar"] as const) {
      const slot = this.slot(which);
      if (slot) slot.hidden = !on;
    }
  }

  /** The page's own header or footer (a post's HTML has its own inside the content). */
  private part(tag: "header" | "footer"): HTMLElement | null {
    return this.doc?.querySelector<HTMLElement>(`.page__inner-wrap > ${tag}`) ?? null;
  }

  private attach(): void {
    const doc = this.doc;
    if (!doc) return;
    // A (re)loaded frame shows nothing of what was rendered before.
    this.blocks = [];
    this.lines = [];
    this.toc = [];
    this.pageFrame = null;
    this.id = null;
    this.applySiteStyle();
    this.setWholePage(this.wholePage);
    // Links must not navigate the preview away: in-page anchors scroll, others do nothing here.
    doc.addEventListener("click", (event) => {
      const link = (event.target as Element | null)?.closest?.("a");
      if (!link) return;
      event.preventDefault();
      const href = link.getAttribute("href") ?? "";
      if (href.startsWith("#")) {
        doc.getElementById(decodeURIComponent(href.slice(1)))?.scrollIntoView();
      }
    });
  }

  /** Shows nothing (no post is open). */
  clear(): void {
    this.content?.replaceChildren();
    for (const part of [this.part("header"), this.part("footer"), this.slot("masthead"), this.slot("sidebar")]) {
      part?.replaceChildren();
    }
    this.blocks = [];
    this.lines = [];
    this.toc = [];
    this.pageFrame = null;
    this.id = null;
  }

  /** Shows the content in the site's stylesheet `css` (from the engine), or in the plain one. */
  setSiteStyle(css: string | null): void {
    this.siteCss = css;
    this.applySiteStyle();
  }

  /**
   * The page's CSP allows no <style> element: the site's stylesheet goes in through the CSSOM
   * (a constructed sheet of the frame's own window), and the plain stylesheet is turned off.
   */
  private applySiteStyle(): void {
    const doc = this.doc;
    const view = doc?.defaultView as (Window & typeof globalThis) | null | undefined;
    if (!doc || !view) return;
    const plain = doc.querySelector<HTMLLinkElement>('link[href="/preview.css"]');
    if (this.siteCss === null) {
      doc.adoptedStyleSheets = [];
      if (plain) plain.disabled = false;
      return;
    }
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(this.siteCss);
    doc.adoptedStyleSheets = [sheet];
    if (plain) plain.disabled = true;
  }

  /** Whether the iframe has loaded and can take content. */
  ready(): boolean {
    return this.content !== null;
  }

  /** The render the preview shows, or null when it must get a whole page. */
  shown(): number | null {
    return this.id;
  }

  /**
   * Applies an update from the engine (already sanitized there); false when it changes a render
   * this preview does not show (the frame reloaded meanwhile): then a whole page is needed.
   */
  apply(update: PreviewUpdate): boolean {
    const content = this.content;
    const doc = this.doc;
    if (!content || !doc) return false;
    if (update.base === null) {
      content.replaceChildren();
      this.blocks = [];
      this.toc = [];
      this.pageFrame = null;
    } else if (update.base !== this.id) {
      this.id = null;
      return false;
    }
    if (update.frame) this.setFrame(doc, content, update.frame);
    // Every inserted block of every splice, parsed at once.
    const template = doc.createElement("template");
    template.innerHTML = update.splices.flatMap((s) => s.insert).join(SEPARATOR);
    const parsed: Node[][] = [[]];
    for (const node of Array.from(template.content.childNodes)) {
      if (node.nodeType === Node.COMMENT_NODE) parsed.push([]);
      else parsed[parsed.length - 1].push(node);
    }
    let next = 0;
    const fresh = update.splices.map((s) => parsed.slice(next, (next += s.insert.length)));
    // From the last splice to the first: the base's block numbers stay valid.
    for (let i = update.splices.length - 1; i >= 0; i--) {
      const { start, remove } = update.splices[i];
      const removed = this.blocks.splice(start, remove, ...fresh[i]);
      for (const node of removed.flat()) node.parentNode?.removeChild(node);
      const before = this.blocks.slice(start + fresh[i].length).find((b) => b.length > 0)?.[0] ?? null;
      for (const node of fresh[i].flat()) {
        applyStyles(node);
        content.insertBefore(node, before);
      }
    }
    this.lines = update.lines;
    this.id = update.id;
    return true;
  }

  /**
   * Puts the theme's page around the content: the masthead and the sidebar (shown with the whole
   * page), title and read time, the TOC box, the footer.
   */
  private setFrame(doc: Document, content: HTMLElement, frame: PageFrame): void {
    const shown = this.pageFrame;
    this.pageFrame = frame;
    const parts: [HTMLElement | null, keyof PageFrame][] = [
      [this.slot("masthead"), "masthead"],
      [this.slot("sidebar"), "sidebar"],
      [this.part("header"), "header"],
      [this.part("footer"), "footer"],
    ];
    for (const [element, key] of parts) {
      if (element && frame[key] !== shown?.[key]) element.innerHTML = frame[key];
    }
    if (frame.toc === shown?.toc) return;
    const template = doc.createElement("template");
    template.innerHTML = frame.toc;
    for (const node of this.toc) node.parentNode?.removeChild(node);
    this.toc = Array.from(template.content.childNodes);
    const first = content.firstChild;
    for (const node of this.toc) content.insertBefore(node, first);
  }

  /**
   * Scrolls the element with `id` (a heading) to the top, now and once the editor's own scroll,
   * which the preview follows by line, has been seen.
   */
  scrollToId(id: string): void {
    const show = () => this.doc?.getElementById(id)?.scrollIntoView({ block: "start" });
    show();
    requestAnimationFrame(() => requestAnimationFrame(show));
  }

  /** Scrolls so that source line `line` (with a fraction) is at the top. */
  scrollToLine(line: number): void {
    const view = this.doc?.defaultView;
    if (!view) return;
    let prev: { line: number; top: number } = { line: 1, top: 0 };
    let next: { line: number; top: number } | null = null;
    for (const [i, nodes] of this.blocks.entries()) {
      const start = this.lines[i];
      const element = nodes.find(isElement);
      if (!start || !element) continue;
      const top = element.offsetTop;
      if (start <= line) prev = { line: start, top };
      else {
        next = { line: start, top };
        break;
      }
    }
    const end = next ?? { line: prev.line + 1, top: prev.top };
    const fraction = (line - prev.line) / Math.max(1, end.line - prev.line);
    view.scrollTo({ top: prev.top + fraction * (end.top - prev.top) });
  }
}

/**
 * The page's CSP forbids style attributes in markup, so the inline styles posts use (already
 * filtered by the engine to layout properties such as `zoom` and `width`) go through the CSSOM.
 */
function applyStyles(node: Node): void {
  if (!isElement(node)) return;
  const styled = node.matches("[style]") ? [node] : [];
  for (const el of [...styled, ...Array.from(node.querySelectorAll<HTMLElement>("[style]"))]) {
    (el as HTMLElement).style.cssText = el.getAttribute("style") ?? "";
  }
}

/** Whether `node` is an element (of any window: the frame's nodes are not this window's). */
function isElement(node: Node): node is HTMLElement {
  return node.nodeType === Node.ELEMENT_NODE;
}
