#!/usr/bin/env python3
"""fuzz.py - `make fidelity-fuzz`: Postdesk's site render against real kramdown on generated text.

N documents from gen.py (seeded) are rendered
- by kramdown (Debian's ruby-kramdown 2.4 + ruby-kramdown-parser-gfm, Jekyll 4.3's options), in
  ONE long-running Ruby process (kramdown_server.rb, which loads ../shared/tools/kramdown_render.rb);
- by Postdesk, in ONE process: the documents become posts of a temp copy of a minimal Jekyll site
  and `postdesk render --target site --out DIR POST...` renders them all;
and each pair is compared as fidelity.py's canonical DOM (`canon`, html5lib). A difference is
classified by the first canonical node where the two differ (kramdown's side first).

The smallest failing documents are kept: for the most frequent kinds of difference, the smallest
failing document of each kind is shrunk (blocks, then lines, then inline pieces are deleted while
the document still differs the same way) and written to OUT/failures/NNN.md with both HTMLs.

    python3 fuzz.py --n 1000 --seed 1 --bin target/debug/postdesk --shared ../shared [--min 97]
    python3 fuzz.py --n 1000 --shared ../shared --candidate-engine jekyll   # checks the harness
Exit status 1 when the share identical is below --min.
"""
import argparse
import difflib
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ beside gen.py nor in ../shared/tools
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

fidelity = None  # ../shared/tools/fidelity.py, imported in main()

FRONT_MATTER = "---\ntitle: fuzz\nlayout: post\n---\n"


# --- the two renderers ----------------------------------------------------------------------------
class Kramdown:
    """The long-running Ruby reference."""

    def __init__(self, shared, engine):
        self.p = subprocess.Popen(
            ["ruby", os.path.join(HERE, "kramdown_server.rb"),
             os.path.join(shared, "tools", "kramdown_render.rb"), "--engine", engine],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)

    def render(self, texts):
        """HTML (or None when kramdown failed) of each text."""
        def feed():
            for i, t in enumerate(texts):
                self.p.stdin.write(json.dumps({"id": i, "text": t, "site": gen.SITE}) + "\n")
            self.p.stdin.flush()
        w = threading.Thread(target=feed)
        w.start()
        out = [None] * len(texts)
        for _ in texts:
            line = self.p.stdout.readline()
            if not line:
                raise SystemExit("fuzz: the kramdown process ended early")
            res = json.loads(line)
            out[res["id"]] = res.get("html")
        w.join()
        return out

    def close(self):
        self.p.stdin.close()
        self.p.wait()


class Postdesk:
    """A temp minimal Jekyll site; each batch is one `postdesk render --out` run."""

    def __init__(self, binary):
        self.binary = os.path.abspath(binary)
        self.dir = tempfile.mkdtemp(prefix="postdesk-fuzz-")
        self.site = os.path.join(self.dir, "site")
        os.makedirs(os.path.join(self.site, "_posts"))
        with open(os.path.join(self.site, "_config.yml"), "w", encoding="utf-8") as f:
            f.write(f'title: fuzz\nurl: "{gen.SITE["url"]}"\n')
        self.batch = 0

    def render(self, texts, chunk=20000):
        self.batch += 1
        posts = os.path.join(self.site, "_posts")
        for name in os.listdir(posts):
            os.unlink(os.path.join(posts, name))
        out = os.path.join(self.dir, f"out{self.batch}")
        names = []
        for i, t in enumerate(texts):
            name = f"2024-01-01-fuzz-{i:05d}.md"
            with open(os.path.join(posts, name), "w", encoding="utf-8") as f:
                f.write(FRONT_MATTER + t)
            names.append(name)
        for k in range(0, len(names), chunk):
            part = names[k:k + chunk]
            try:  # a document that hangs the renderer shows as "(postdesk failed)"
                subprocess.run([self.binary, "render", "--target", "site", "--out", out]
                               + ["_posts/" + n for n in part], cwd=self.site,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=60 + 0.2 * len(part))
            except subprocess.TimeoutExpired:
                print(f"fuzz: postdesk took too long on {len(part)} documents", file=sys.stderr)
        res = []
        for n in names:
            try:
                with open(os.path.join(out, n + ".html"), encoding="utf-8") as f:
                    res.append(f.read())
            except OSError:
                res.append(None)
        shutil.rmtree(out, ignore_errors=True)
        return res

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


# --- comparing --------------------------------------------------------------------------------------
def tree(html):
    """fidelity.blocks(html), as canonical nodes instead of their repr."""
    soup = fidelity.BeautifulSoup(html, "html5lib")
    out = []
    for ch in (soup.body or soup).children:
        c = fidelity.canon(ch)
        if c is None:
            continue
        if isinstance(c, str):
            c = c.strip()
            if not c:
                continue
        out.append(c)
    return out


def label(node):
    if node is None:
        return "nothing"
    if isinstance(node, str):
        return "text"
    if node[0] in ("codeblock", "raw"):
        return node[0]
    return "<" + node[0] + ">"


def char_class(s, i):
    if i >= len(s):
        return "end"
    c = s[i]
    if "\uac00" <= c <= "\ud7a3":
        return "hangul"
    if c.isalpha():
        return "letter"
    if c.isdigit():
        return "digit"
    if c.isspace():
        return "space"
    return repr(c)


def diff_kids(a, b, parent):
    for k in range(max(len(a), len(b))):
        x = a[k] if k < len(a) else None
        y = b[k] if k < len(b) else None
        if x == y:
            continue
        if isinstance(x, str) and isinstance(y, str):
            # one text runs on where the other stops for an element: that element is the difference
            if y.startswith(x) and k + 1 < len(a) and not isinstance(a[k + 1], str):
                return f"{parent}: {label(a[k + 1])} vs text"
            if x.startswith(y) and k + 1 < len(b) and not isinstance(b[k + 1], str):
                return f"{parent}: text vs {label(b[k + 1])}"
        return first_diff(x, y, parent)
    return None


def first_diff(a, b, parent):
    """The kind of the first difference between canonical nodes a (kramdown) and b (Postdesk)."""
    if isinstance(a, str) and isinstance(b, str):
        i = 0
        while i < len(a) and i < len(b) and a[i] == b[i]:
            i += 1
        return f"{parent}: text {char_class(a, i)} vs {char_class(b, i)}"
    if a is None or b is None or isinstance(a, str) or isinstance(b, str) or a[0] != b[0]:
        return f"{parent}: {label(a)} vs {label(b)}"
    if a[0] in ("codeblock", "raw"):
        if a[1] != b[1]:
            return f"{a[0]}: language {a[1] or '-'} vs {b[1] or '-'}"
        tabs = " (source has tabs)" if "\t" in a[2] + b[2] else ""
        return f"{a[0]}: text{tabs}"
    if a[1] != b[1]:
        da, db = dict(a[1]), dict(b[1])
        keys = sorted(k for k in set(da) | set(db) if da.get(k) != db.get(k))
        return f"<{a[0]}> attribute " + ",".join(
            k + ("" if k in da and k in db else " (kramdown only)" if k in da else " (postdesk only)")
            for k in keys)
    return diff_kids(a[2], b[2], "<" + a[0] + ">")


def compare(pair):
    """(kind, top-level blocks alike, blocks): kind is None when kramdown's and Postdesk's HTML
    are the same canonical DOM; blocks are counted as fidelity.py counts them."""
    ref, cand = pair
    if ref is None:
        return "(kramdown failed)", 0, 0
    if cand is None:
        return "(postdesk failed)", 0, 1
    rb = tree(ref)
    if ref == cand:
        return None, len(rb), len(rb)
    cb = tree(cand)
    n = max(len(rb), len(cb), 1)
    if rb == cb:
        return None, n, n
    sm = difflib.SequenceMatcher(None, [repr(x) for x in rb], [repr(x) for x in cb], autojunk=False)
    alike = sum(m.size for m in sm.get_matching_blocks())
    return diff_kids(rb, cb, "top level") or "top level", alike, n


class Judge:
    def __init__(self, shared, binary, engine, jobs, candidate_engine=None):
        self.kd = Kramdown(shared, engine)
        self.pd = Kramdown(shared, candidate_engine) if candidate_engine else Postdesk(binary)
        self.pool = multiprocessing.Pool(jobs)

    def run(self, texts):
        """(kramdown html, postdesk html, kind or None) of each text."""
        ref_box = {}
        t = threading.Thread(target=lambda: ref_box.setdefault("r", self.kd.render(texts)))
        t.start()
        cand = self.pd.render(texts)
        t.join()
        ref = ref_box["r"]
        kinds = self.pool.map(compare, list(zip(ref, cand)), chunksize=max(1, len(texts) // 64))
        return [(r, c, k[0], k[1], k[2]) for r, c, k in zip(ref, cand, kinds)]

    def close(self):
        self.pool.close()
        self.kd.close()
        self.pd.close()


# --- shrinking ------------------------------------------------------------------------------------
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


class Shrinker:
    """ddmin on many documents at once: each round renders every document's candidates in one
    batch (one Postdesk run), keeping for each document the first candidate still failing the
    same way."""

    def __init__(self, judge, deadline):
        self.judge = judge
        self.deadline = deadline

    def shrink(self, items):
        """items: list of (text, kind, block_chunks). Returns the shrunk texts."""
        state = []
        for text, kind, chunks in items:
            state.append({"kind": kind, "text": text, "stage": 0, "chunks": chunks,
                          "g": 2, "done": False})
        splitters = [None, lambda t: t.splitlines(keepends=True), lambda t: TOKEN.findall(t)]
        seen = {}
        while time.monotonic() < self.deadline:
            batch = []
            for s in state:
                while not s["done"]:
                    if s["chunks"] is None:
                        s["chunks"] = splitters[s["stage"]](s["text"])
                        s["g"] = 2
                    n = len(s["chunks"])
                    if n <= 1 or s["g"] > n:
                        s["stage"] += 1
                        s["chunks"] = None
                        if s["stage"] >= len(splitters):
                            s["done"] = True
                        continue
                    break
                if s["done"]:
                    continue
                n, g = len(s["chunks"]), s["g"]
                bounds = [n * p // g for p in range(g + 1)]
                s["cands"] = []
                for p in range(g):
                    rest = s["chunks"][:bounds[p]] + s["chunks"][bounds[p + 1]:]
                    t = "".join(rest)
                    if not t.strip():
                        continue
                    if not t.endswith("\n"):
                        t += "\n"
                    s["cands"].append((t, rest))
                    if t not in seen:
                        seen[t] = None
                        batch.append(t)
            if not batch and all(s["done"] for s in state):
                break
            if batch:
                for t, (_, _, kind, _, _) in zip(batch, self.judge.run(batch)):
                    seen[t] = kind
            for s in state:
                if s["done"]:
                    continue
                hit = next((c for c in s["cands"] if seen.get(c[0]) == s["kind"]), None)
                if hit:
                    s["text"], s["chunks"] = hit
                    s["g"] = max(s["g"] - 1, 2)
                elif s["g"] >= len(s["chunks"]):
                    s["g"] = len(s["chunks"]) + 1  # next stage
                else:
                    s["g"] = min(2 * s["g"], len(s["chunks"]))
        return [s["text"] for s in state]


# --- main -----------------------------------------------------------------------------------------
def main():
    global fidelity
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--min", type=float, default=0.0, help="exit 1 below this share (%%)")
    ap.add_argument("--bin", help="the postdesk binary")
    ap.add_argument("--candidate-engine", metavar="ENGINE",
                    help="check the harness: kramdown_render.rb's ENGINE (kramdown, jekyll) in "
                         "Postdesk's place; expect 100 %%")
    ap.add_argument("--shared", required=True, help="the shared/ folder (tools/fidelity.py)")
    ap.add_argument("--out", default="target/fidelity-fuzz")
    ap.add_argument("--engine", default="kramdown", help="kramdown_render.rb's engine")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--kinds", type=int, default=25, help="show and shrink this many kinds")
    ap.add_argument("--shrink-seconds", type=float, default=45.0)
    a = ap.parse_args()
    if not a.bin and not a.candidate_engine:
        ap.error("--bin is required")

    sys.path.insert(0, os.path.join(a.shared, "tools"))
    import fidelity as fid
    fidelity = fid

    t0 = time.monotonic()
    docs = [gen.doc(a.seed, i) for i in range(a.n)]
    judge = Judge(a.shared, a.bin, a.engine, a.jobs, a.candidate_engine)
    try:
        results = judge.run([d[0] for d in docs])
        t_run = time.monotonic() - t0
        failing = [i for i, r in enumerate(results) if r[2] is not None]
        ref_failed = [i for i in failing if results[i][0] is None]
        judged = a.n - len(ref_failed)  # what kramdown itself cannot render is no test
        same = judged - (len(failing) - len(ref_failed))
        share = 100.0 * same / max(judged, 1)
        alike = sum(r[3] for r in results)
        nblocks = sum(r[4] for r in results)
        print(f"fuzz: {same:,} of {judged:,} identical ({share:.1f} %)  [seed {a.seed}, {t_run:.0f} s]")
        print(f"  top-level blocks identical: {100.0 * alike / max(nblocks, 1):.1f} % of {nblocks:,}")
        if ref_failed:
            print(f"  ({len(ref_failed)} documents left out: kramdown itself could not render them)")

        by_kind = {}
        for i in failing:
            by_kind.setdefault(results[i][2], []).append(i)
        kinds = sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0]))

        fail_dir = os.path.join(a.out, "failures")
        shutil.rmtree(fail_dir, ignore_errors=True)
        os.makedirs(fail_dir, exist_ok=True)
        # the smallest failing document of each of the most frequent kinds, shrunk
        chosen = []
        for kind, ids in kinds[:a.kinds]:
            if kind.startswith("("):
                continue
            i = min(ids, key=lambda i: (len(docs[i][0]), i))
            bl, seps = docs[i][1], docs[i][2]
            chunks = [("\n".join(b) + (seps[k] if k < len(seps) else "\n")) for k, b in enumerate(bl)]
            chosen.append((kind, i, chunks))
        shrunk = Shrinker(judge, time.monotonic() + a.shrink_seconds).shrink(
            [(docs[i][0], kind, chunks) for kind, i, chunks in chosen])
        final = judge.run(shrunk) if shrunk else []
        number = {}
        for k, ((kind, i, _), text, (ref, cand, *_)) in enumerate(zip(chosen, shrunk, final), 1):
            number[kind] = k
            base = os.path.join(fail_dir, f"{k:03d}")
            with open(base + ".md", "w", encoding="utf-8") as f:
                f.write(text)
            with open(base + ".kramdown.html", "w", encoding="utf-8") as f:
                f.write(ref or "")
            with open(base + ".postdesk.html", "w", encoding="utf-8") as f:
                f.write(cand or "")
            with open(base + ".txt", "w", encoding="utf-8") as f:
                f.write(f"kind: {kind}\nseed {a.seed}, document {i} "
                        f"(python3 tests/fidelity-fuzz/gen.py --seed {a.seed} --start {i} --n 1)\n\n"
                        f"--- original document\n{docs[i][0]}")

        if kinds:
            print(f"\n{'docs':>6} {'share':>6}  first difference (kramdown vs postdesk)  [failures/NNN.md]")
            for kind, ids in kinds[:a.kinds]:
                ex = f"  [{number[kind]:03d}]" if kind in number else ""
                print(f"{len(ids):>6} {100.0 * len(ids) / a.n:>5.1f}%  {kind}{ex}")
            if len(kinds) > a.kinds:
                rest = sum(len(ids) for _, ids in kinds[a.kinds:])
                print(f"{rest:>6} {100.0 * rest / a.n:>5.1f}%  ({len(kinds) - a.kinds} other kinds)")
            print(f"\nsmallest failing documents: {fail_dir}/ ({len(chosen)}, shrunk)")
        with open(os.path.join(a.out, "summary.json"), "w", encoding="utf-8") as f:
            json.dump({"n": a.n, "seed": a.seed, "identical": same, "share": share,
                       "blocks": nblocks, "blocks_identical": alike,
                       "kinds": [{"kind": k, "docs": ids} for k, ids in kinds]}, f, indent=1)
    finally:
        judge.close()
    print(f"fuzz: {time.monotonic() - t0:.0f} s in all")
    if share < a.min:
        print(f"fuzz: {share:.1f} % identical is below {a.min:g} %")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
