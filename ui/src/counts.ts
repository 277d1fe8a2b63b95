// The status bar under the editor: the shown post's words, characters and read time as its
// theme counts them, and the selection's when there is one. The engine renders and counts (the
// same function as `postdesk stats`); this only asks, a moment after the writer stops, and shows.
import { api } from "./api";
import type { Counts } from "./bindings/Counts";
import type { PostStats } from "./bindings/PostStats";
import { t } from "./i18n";

/** What to count: the post, its text, and the selection's UTF-16 positions when not empty. */
export interface CountsSource {
  path: string;
  text: string;
  selection: [number, number] | null;
}

export class CountsBar {
  private timer: number | undefined;
  /** The number of the last request: an answer to an older one is dropped. */
  private asked = 0;
  private stats: PostStats | null = null;
  /** What the figures shown were asked for: a cursor moved without a selection asks nothing. */
  private counted: CountsSource | null = null;

  constructor(
    private bar: HTMLElement,
    private source: () => CountsSource | null,
  ) {}

  /** Counts again `delay` ms from now, unless asked again before. */
  schedule(delay = 250): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.refresh(), delay);
  }

  /** Shows nothing (no post is shown). */
  clear(): void {
    window.clearTimeout(this.timer);
    this.asked++;
    this.stats = null;
    this.counted = null;
    this.draw();
  }

  private async refresh(): Promise<void> {
    const now = this.source();
    if (!now) return this.clear();
    const last = this.counted;
    if (last && last.path === now.path && last.text === now.text && String(last.selection) === String(now.selection)) return;
    const asked = ++this.asked;
    const stats = await api.postStats(now.path, now.text, now.selection);
    if (asked !== this.asked) return;
    this.stats = stats;
    this.counted = now;
    this.draw();
  }

  /** Draws the last figures again (in another language). */
  draw(): void {
    const [post, selection] = this.bar.children as unknown as [HTMLElement, HTMLElement];
    const stats = this.stats;
    this.bar.hidden = stats === null;
    if (!stats) return;
    this.bar.title = t("countsHint", String(stats.wordsPerMinute));
    const read = stats.post.minutes === 0 ? t("readUnderAMinute") : t("readMinutes", String(stats.post.minutes));
    show(post, stats.post, t("countsPost", ...figures(stats.post), read));
    selection.hidden = stats.selection === null;
    if (stats.selection) show(selection, stats.selection, t("countsSelection", ...figures(stats.selection)));
  }
}

function figures(counts: Counts): [string, string, string] {
  const n = (x: number) => x.toLocaleString();
  return [n(counts.words), n(counts.characters), n(counts.charactersWithoutSpaces)];
}

/** `text` in `el`, with the figures as data attributes (what the end-to-end tests read). */
function show(el: HTMLElement, counts: Counts, text: string): void {
  el.textContent = text;
  el.dataset.words = String(counts.words);
  el.dataset.characters = String(counts.characters);
  el.dataset.charactersWithoutSpaces = String(counts.charactersWithoutSpaces);
  el.dataset.minutes = String(counts.minutes);
}
