// Where the window's spell checker looks: the post's prose. Code, URLs, HTML tags, math,
// Liquid and the front matter's keys are marked `spellcheck="false"`, which WebKit honours on
// any element inside the editable text; the checker itself (languages, the site's words) is
// set up by the shell (src-tauri/src/spelling.rs).
import { syntaxTree } from "@codemirror/language";
import { RangeSetBuilder, type EditorState, type Extension } from "@codemirror/state";
import { Decoration, EditorView, ViewPlugin, type DecorationSet, type ViewUpdate } from "@codemirror/view";

/** Markdown syntax nodes that hold no prose. */
const NOT_PROSE = new Set(["FencedCode", "CodeBlock", "InlineCode", "URL", "Autolink", "HTMLBlock", "HTMLTag", "Comment", "CommentBlock"]);

/** Liquid, display and inline math, and bare URLs, wherever they are. */
const NOT_PROSE_TEXT = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\$\$[\s\S]*?\$\$|https?:\/\/[^\s)<>\]]+/g;

const unchecked = Decoration.mark({ attributes: { spellcheck: "false" } });

/** The [from, to) ranges of `state` between `from` and `to` the checker must leave alone. */
function notProse(state: EditorState, from: number, to: number): [number, number][] {
  const ranges: [number, number][] = [];
  syntaxTree(state).iterate({
    from,
    to,
    enter: (node) => {
      if (!NOT_PROSE.has(node.name)) return;
      ranges.push([node.from, node.to]);
      return false;
    },
  });
  const text = state.sliceDoc(from, to);
  for (const m of text.matchAll(NOT_PROSE_TEXT)) ranges.push([from + m.index, from + m.index + m[0].length]);
  // The front matter's keys (`title:`), between its `---` lines.
  const doc = state.doc;
  if (doc.lines > 1 && doc.line(1).text === "---") {
    for (let n = 2; n <= doc.lines; n++) {
      const line = doc.line(n);
      if (line.text === "---" || line.text === "...") break;
      if (line.to < from) continue;
      if (line.from > to) break;
      const key = /^\s*(?:-\s*)?[^\s:#][^:]*:/.exec(line.text);
      if (key) ranges.push([line.from, line.from + key[0].length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [a, b] of ranges) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else if (b > a) merged.push([a, b]);
  }
  return merged;
}

function decorations(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  let end = -1;
  for (const { from, to } of view.visibleRanges) {
    for (const [a, b] of notProse(view.state, from, to)) {
      if (b <= end) continue;
      builder.add(Math.max(a, end), b, unchecked);
      end = b;
    }
  }
  return builder.finish();
}

/** The editor checks spelling in prose only. */
export const spelling: Extension = [
  EditorView.contentAttributes.of({ spellcheck: "true" }),
  // A right-click selects the word under the pointer (unless it is in the selection already):
  // WebKit's menu offers "Learn Spelling" and "Ignore Spelling" only for a selected word.
  EditorView.domEventHandlers({
    contextmenu(event, view) {
      const pos = view.posAtCoords({ x: event.clientX, y: event.clientY });
      const word = pos === null ? null : view.state.wordAt(pos);
      const { from, to } = view.state.selection.main;
      if (word && (pos! < from || pos! > to || from === to)) view.dispatch({ selection: { anchor: word.from, head: word.to } });
      return false;
    },
  }),
  ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = decorations(view);
      }
      update(update: ViewUpdate) {
        if (update.docChanged || update.viewportChanged || syntaxTree(update.state) !== syntaxTree(update.startState)) {
          this.decorations = decorations(update.view);
        }
      }
    },
    { decorations: (plugin) => plugin.decorations },
  ),
];
