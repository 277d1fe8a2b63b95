// The preview: a sandboxed iframe (no scripts run in it) whose DOM this module updates in place.
// Only the top-level blocks that changed are replaced, so images do not reload and the scroll
// position stays where it is while the writer types.

const SOURCEPOS = / data-sourcepos="[^"]*"/g;

export class Preview {
  private keys = new WeakMap<Node, string>();

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

  private attach(): void {
    const doc = this.doc;
    if (!doc) return;
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

  /** Whether the iframe has loaded and can take content. */
  ready(): boolean {
    return this.content !== null;
  }

  /** Replaces the preview's content with `html` (already sanitized by the engine). */
  show(html: string): void {
    const content = this.content;
    const doc = this.doc;
    if (!content || !doc) return;
    const template = doc.createElement("template");
    template.innerHTML = html;
    const fresh = Array.from(template.content.childNodes);
    const old = Array.from(content.childNodes);
    const freshKeys = fresh.map((n) => keyOf(n));
    const oldKeys = old.map((n) => this.keys.get(n) ?? keyOf(n));

    let start = 0;
    while (start < old.length && start < fresh.length && oldKeys[start] === freshKeys[start]) start++;
    let end = 0;
    while (
      end < old.length - start &&
      end < fresh.length - start &&
      oldKeys[old.length - 1 - end] === freshKeys[fresh.length - 1 - end]
    )
      end++;

    // Kept blocks may have moved lines: carry over their new source positions for scroll sync.
    const keep = (i: number, j: number) => {
      const a = old[i];
      const b = fresh[j];
      if (a instanceof Element && b instanceof Element) {
        const pos = b.getAttribute("data-sourcepos");
        if (pos !== null && a.getAttribute("data-sourcepos") !== pos) a.setAttribute("data-sourcepos", pos);
      }
    };
    for (let i = 0; i < start; i++) keep(i, i);
    for (let k = 1; k <= end; k++) keep(old.length - k, fresh.length - k);

    const before = old[old.length - end] ?? null;
    for (let i = start; i < old.length - end; i++) content.removeChild(old[i]);
    for (let j = start; j < fresh.length - end; j++) {
      const node = fresh[j];
      this.keys.set(node, freshKeys[j]);
      applyStyles(node);
      content.insertBefore(node, before);
    }
  }

  /** Scrolls so that source line `line` (with a fraction) is at the top. */
  scrollToLine(line: number): void {
    const content = this.content;
    const doc = this.doc;
    if (!content || !doc?.defaultView) return;
    let prev: { line: number; top: number } = { line: 1, top: 0 };
    let next: { line: number; top: number } | null = null;
    for (const el of Array.from(content.children)) {
      const pos = el.getAttribute("data-sourcepos");
      if (!pos) continue;
      const start = parseInt(pos, 10);
      const top = (el as HTMLElement).offsetTop;
      if (start <= line) prev = { line: start, top };
      else {
        next = { line: start, top };
        break;
      }
    }
    const end = next ?? { line: prev.line + 1, top: prev.top };
    const fraction = (line - prev.line) / Math.max(1, end.line - prev.line);
    doc.defaultView.scrollTo({ top: prev.top + fraction * (end.top - prev.top) });
  }
}

function keyOf(node: Node): string {
  return node instanceof Element ? node.outerHTML.replace(SOURCEPOS, "") : (node.textContent ?? "");
}

/**
 * The page's CSP forbids style attributes in markup, so the inline styles posts use (already
 * filtered by the engine to layout properties such as `zoom` and `width`) go through the CSSOM.
 */
function applyStyles(node: Node): void {
  if (!(node instanceof Element)) return;
  const styled = node.matches("[style]") ? [node] : [];
  for (const el of [...styled, ...Array.from(node.querySelectorAll("[style]"))]) {
    (el as HTMLElement).style.cssText = el.getAttribute("style") ?? "";
  }
}
