// The CodeMirror 6 editor: one view, one state per open post (so each post keeps its own undo
// history), and the keyboard habits writers bring from VS Code and Typora.
import { ChangeSet, EditorSelection, EditorState, type Extension } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, keymap, runScopeHandlers, type Command } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab, insertNewline, isolateHistory } from "@codemirror/commands";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { markdown } from "@codemirror/lang-markdown";
import { yamlFrontmatter } from "@codemirror/lang-yaml";
import { t } from "./i18n";
import { spelling } from "./spelling";

export interface EditorEvents {
  /** The text of the shown post changed (typing, undo, paste…), from line `firstLine` on. */
  changed(firstLine: number): void;
  /** Ctrl+S / Cmd+S. */
  save(): void;
  /** The editor scrolled: `line` is the 1-based line at the top, with a fraction. */
  scrolled(line: number): void;
  /** The selection changed and the text did not. */
  selected(): void;
}

/** Wraps each selection in `mark` (`**`, `*`), or unwraps it when it is wrapped already. */
function toggleWrap(mark: string, placeholder: () => string): Command {
  return (view) => {
    const { state } = view;
    view.dispatch(
      state.changeByRange((range) => {
        const before = state.sliceDoc(range.from - mark.length, range.from);
        const after = state.sliceDoc(range.to, range.to + mark.length);
        if (!range.empty && before === mark && after === mark) {
          return {
            changes: [
              { from: range.from - mark.length, to: range.from },
              { from: range.to, to: range.to + mark.length },
            ],
            range: EditorSelection.range(range.from - mark.length, range.to - mark.length),
          };
        }
        const text = range.empty ? placeholder() : state.sliceDoc(range.from, range.to);
        const start = range.from + mark.length;
        return {
          changes: { from: range.from, to: range.to, insert: mark + text + mark },
          range: EditorSelection.range(start, start + text.length),
        };
      }),
      { scrollIntoView: true, userEvent: "input.format" },
    );
    return true;
  };
}

/** `[selection](|)`, or `[link text](url)` with the link text selected when nothing is. */
const insertLink: Command = (view) => {
  const { state } = view;
  view.dispatch(
    state.changeByRange((range) => {
      if (range.empty) {
        const text = t("linkText");
        return {
          changes: { from: range.from, insert: `[${text}](https://)` },
          range: EditorSelection.range(range.from + 1, range.from + 1 + text.length),
        };
      }
      const text = state.sliceDoc(range.from, range.to);
      const cursor = range.from + text.length + 3;
      return {
        changes: { from: range.from, to: range.to, insert: `[${text}]()` },
        range: EditorSelection.cursor(cursor),
      };
    }),
    { scrollIntoView: true, userEvent: "input.format" },
  );
  return true;
};

/**
 * A line break the browser was about to make itself: the Enter that ends an input method's
 * composition (ibus-hangul commits the syllable, then passes the key on). CodeMirror leaves that
 * key to the browser, as WebKit on macOS sends the Enter confirming a composition after
 * `compositionend`, but WebKitGTK then inserts a line break of its own, which CodeMirror reads as
 * two. The editor's own Enter binding makes it instead: one newline, a list continued, as for an
 * Enter typed outside a composition.
 */
const lineBreakAfterComposition = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== "insertParagraph" && event.inputType !== "insertLineBreak") return false;
    event.preventDefault();
    if (!runScopeHandlers(view, new KeyboardEvent("keydown", { key: "Enter" }), "editor")) insertNewline(view);
    return true;
  },
});

export class PostEditor {
  readonly view: EditorView;
  private states = new Map<string, EditorState>();
  private extensions: Extension[];
  /** The post the view shows. */
  private current: string | null = null;

  constructor(parent: HTMLElement, events: EditorEvents) {
    this.extensions = [
      history(),
      drawSelection(),
      highlightActiveLine(),
      EditorView.lineWrapping,
      yamlFrontmatter({ content: markdown() }),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      search({ top: true }),
      highlightSelectionMatches(),
      lineBreakAfterComposition,
      keymap.of([
        { key: "Mod-s", run: () => (events.save(), true), preventDefault: true },
        { key: "Mod-b", run: toggleWrap("**", () => t("bold")) },
        { key: "Mod-i", run: toggleWrap("*", () => t("italic")) },
        { key: "Mod-k", run: insertLink, preventDefault: true },
        ...searchKeymap,
        ...historyKeymap,
        ...defaultKeymap,
        indentWithTab,
      ]),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) {
          if (update.selectionSet) events.selected();
          return;
        }
        if (this.changes) this.changes = this.changes.compose(update.changes);
        let first = Infinity;
        update.changes.iterChangedRanges((_fromA, _toA, fromB) => {
          first = Math.min(first, update.state.doc.lineAt(fromB).number);
        });
        events.changed(first);
      }),
      EditorView.cspNonce.of((document.getElementById("csp-nonce") as HTMLStyleElement | null)?.nonce ?? ""),
      EditorView.contentAttributes.of({ autocorrect: "off", "aria-label": "Markdown" }),
      spelling,
    ];
    this.view = new EditorView({ parent, state: EditorState.create({ extensions: this.extensions }) });
    this.view.scrollDOM.addEventListener("scroll", () => events.scrolled(this.topLine()), { passive: true });
  }

  /**
   * Resolves once no input-method composition is going on in the editor (at once when none is).
   * What changes the text from outside the keyboard (a merge, a form edit, a reload) or saves it
   * waits for this, so that a Hangul syllable being composed is never cut or saved half-made.
   */
  async composed(): Promise<void> {
    while (this.view.compositionStarted) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** The changes made to the shown post since `takeChanges`, or null when they are not known. */
  private changes: ChangeSet | null = null;

  /**
   * The changes made to the shown post `path` since the last call, as `(from, to, inserted)`
   * replacements of the text then (UTF-16 positions, ascending), or null when they are not known
   * (first call, another post shown meanwhile). Counting starts again from the text now.
   */
  takeChanges(path: string): [number, number, string][] | null {
    const known = path === this.current ? this.changes : null;
    this.changes = path === this.current ? ChangeSet.empty(this.view.state.doc.length) : null;
    if (!known) return null;
    const edits: [number, number, string][] = [];
    known.iterChanges((from, to, _fromB, _toB, inserted) => edits.push([from, to, inserted.toString()]));
    return edits;
  }

  /** Makes the next `takeChanges` say the changes are not known. */
  forgetChanges(): void {
    this.changes = null;
  }

  /** Whether the text of `path` is `text` (without building the text when the lengths differ). */
  holds(path: string, text: string): boolean {
    const state = path === this.current ? this.view.state : this.states.get(path);
    return state !== undefined && state.doc.length === text.length && state.doc.toString() === text;
  }

  /** Shows `path`, creating its state from `text` the first time it is opened. */
  show(path: string, text: () => string): void {
    this.changes = null;
    let state = this.states.get(path);
    if (!state) {
      state = EditorState.create({ doc: text(), extensions: this.extensions });
      this.states.set(path, state);
    }
    this.view.setState(state);
    this.current = path;
    this.view.focus();
  }

  /** Creates the state of `path` with `text` without showing it (a recovered buffer). */
  create(path: string, text: string): void {
    this.states.set(path, EditorState.create({ doc: text, extensions: this.extensions }));
  }

  /** Remembers the shown post's state (selection, undo history) before another is shown. */
  stash(path: string): void {
    this.states.set(path, this.view.state);
  }

  /** Drops what is kept of `path` (after it was renamed on disk). */
  forget(path: string): void {
    this.states.delete(path);
  }

  /** Drops every post's state: the site they belong to was left. */
  forgetAll(): void {
    this.states.clear();
    this.current = null;
    this.changes = null;
  }

  has(path: string): boolean {
    return this.states.has(path);
  }

  /** The current text of `path`: the live view's when shown, else its kept state's. */
  textOf(path: string): string | undefined {
    if (path === this.current) return this.view.state.doc.toString();
    return this.states.get(path)?.doc.toString();
  }

  /**
   * Makes the text of `path` (the shown post when omitted) `text` by one change of the part that
   * differs, so that the cursor, the undo history and the preview's untouched blocks stay as
   * they are. The change is one undo step.
   */
  replaceText(text: string, userEvent: string, path?: string): void {
    const kept = path === undefined || path === this.current ? undefined : this.states.get(path);
    const state = kept ?? this.view.state;
    const doc = state.doc.toString();
    const max = Math.min(doc.length, text.length);
    let start = 0;
    while (start < max && doc.charCodeAt(start) === text.charCodeAt(start)) start++;
    let end = 0;
    while (end < max - start && doc.charCodeAt(doc.length - 1 - end) === text.charCodeAt(text.length - 1 - end)) end++;
    // Never split a surrogate pair (emoji, rare Hanja) between kept and changed text.
    const high = (s: string, i: number) => i > 0 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800;
    if (high(doc, start)) start--;
    if (end > 0 && (doc.charCodeAt(doc.length - end) & 0xfc00) === 0xdc00) end--;
    if (start === doc.length - end && start === text.length - end) return;
    const spec = {
      changes: { from: start, to: doc.length - end, insert: text.slice(start, text.length - end) },
      userEvent,
      // Its own undo step, never joined to typing or to another such change just before.
      annotations: isolateHistory.of("full"),
    };
    if (kept) this.states.set(path!, state.update(spec).state);
    else this.view.dispatch(spec);
  }

  /** Moves what is kept of `from` (text, selection, history) to `to` (the file moved on disk). */
  rename(from: string, to: string): void {
    const state = this.states.get(from);
    if (state) this.states.set(to, state);
    this.states.delete(from);
    if (this.current === from) this.current = to;
  }

  /** Puts the cursor at the start of 1-based `line` and shows it. */
  goToLine(line: number): void {
    this.selectInLine(line, 0, 0);
  }

  /** Selects [from, to) of 1-based `line` (UTF-16 positions in it) and shows it mid-view. */
  selectInLine(line: number, from: number, to: number): void {
    const { doc } = this.view.state;
    const l = doc.line(Math.min(Math.max(1, line), doc.lines));
    const at = (n: number) => l.from + Math.min(Math.max(0, n), l.length);
    this.view.dispatch({
      selection: { anchor: at(from), head: at(to) },
      effects: EditorView.scrollIntoView(at(from), { y: "center" }),
    });
    this.view.focus();
  }

  /** The main selection's UTF-16 positions, or null when it is empty. */
  selection(): [number, number] | null {
    const { from, to, empty } = this.view.state.selection.main;
    return empty ? null : [from, to];
  }

  private topLine(): number {
    const { view } = this;
    // Height, from the top of the document, of the first visible pixel.
    const top = view.scrollDOM.getBoundingClientRect().top - view.documentTop;
    const block = view.lineBlockAtHeight(Math.max(0, top));
    const line = view.state.doc.lineAt(block.from).number;
    return line + Math.min(1, Math.max(0, (top - block.top) / Math.max(1, block.height)));
  }
}
