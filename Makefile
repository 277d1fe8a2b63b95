# Postdesk: `make run` opens the app, `make test` runs every test. Both install what is missing
# (Debian/Ubuntu packages via apt, npm packages, tauri-driver) first.
SHELL := /bin/bash
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
APP := $(CARGO_TARGET_DIR)/debug/postdesk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev webkit2gtk-driver xvfb xauth fonts-noto-cjk fonts-noto-color-emoji python3-xlib xclip \
	jekyll ruby-jekyll-include-cache ruby-jekyll-feed ruby-jekyll-sitemap ruby-jekyll-paginate ruby-jekyll-gist python3-tinycss2
SITE ?= posts

.PHONY: run dev build test test-rust test-e2e check lint bench bench-render bench-style bench-publish bench-images bench-watch stress fidelity fidelity-fuzz deps deps-system ui clean

run: deps build
	$(APP) $(SITE)

# Live-reloading UI (Vite dev server) for working on ui/.
dev: deps
	ui/node_modules/.bin/tauri dev -- --no-default-features

build: ui
	cargo build --locked

test: deps build test-rust test-e2e

test-rust: ui
	cargo test --locked --workspace
	@git diff --exit-code --stat -- ui/src/bindings || \
		(echo "ui/src/bindings changed: commit the regenerated TypeScript types" && exit 1)

test-e2e: build
	cd tests/e2e && POSTDESK_BIN=$(APP) xvfb-run -a -s "-screen 0 1440x900x24" npm test

lint: deps ui
	cargo fmt --all -- --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	npm --prefix ui run typecheck

check: lint test

bench: deps ui
	cargo build --locked --release
	cd tests/e2e && POSTDESK_BIN=$(CARGO_TARGET_DIR)/release/postdesk xvfb-run -a -s "-screen 0 1440x900x24" node bench.mjs

UI_SOURCES := $(shell find ui/src ui/public -type f 2>/dev/null) ui/index.html ui/vite.config.ts ui/tsconfig.json
# How many posts of the minimal-mistakes corpus (../shared/corpus) render exactly as Jekyll
# publishes them; fails below FIDELITY_MIN.
SHARED ?= $(CURDIR)/../shared
FIDELITY_MIN ?= 88
fidelity: build
	@python3 -c 'import bs4, html5lib' 2>/dev/null || pip install --quiet beautifulsoup4 html5lib
	cd $(SHARED)/corpus && python3 ../tools/fidelity.py --corpus minimal-mistakes \
		--reference minimal-mistakes.expected --cmd '$(APP) render --target site {}' | tee $(CARGO_TARGET_DIR)/fidelity.txt | tail -1
	@matched=$$(tail -1 $(CARGO_TARGET_DIR)/fidelity.txt | sed -E 's/posts matched: ([0-9]+).*/\1/'); \
	[ "$$matched" -ge $(FIDELITY_MIN) ] || { echo "fidelity $$matched is below $(FIDELITY_MIN)"; exit 1; }

# Differential test on N generated documents (seeded): Postdesk's site render against Debian's
# kramdown (one Ruby process) as canonical DOM; prints the share identical and the kinds of
# difference, keeps the smallest failing documents (shrunk) in target/fidelity-fuzz/failures/,
# fails below MIN %.
N ?= 1000
SEED ?= 1
MIN ?= 0
fidelity-fuzz: build
	@python3 -c 'import bs4, html5lib' 2>/dev/null || pip install --quiet beautifulsoup4 html5lib
	@$(MAKE) --no-print-directory deps-system APT_PACKAGES="ruby-kramdown ruby-kramdown-parser-gfm ruby-rouge"
	python3 tests/fidelity-fuzz/fuzz.py --n $(N) --seed $(SEED) --min $(MIN) --bin $(APP) \
		--shared $(SHARED) --out $(CURDIR)/target/fidelity-fuzz

# Preview pipeline throughput against plain comrak, on the seed post and a 230 KB post.
bench-render:
	cargo bench --locked -p postdesk-core --bench render

# Cold compile of the site stylesheet (minimal-mistakes from ../shared/themes), again, and kept.
bench-style:
	cargo bench --locked -p postdesk-core --bench style

bench-publish:
	cargo bench --locked -p postdesk-core --bench publish

# The references (vipsthumbnail, ImageMagick) and the screenshot maker's Pillow come from Debian.
bench-images:
	@$(MAKE) --no-print-directory deps-system APT_PACKAGES="libvips-tools imagemagick python3-pil fonts-nanum"
	cargo bench --locked -p postdesk-core --bench images

# Watching 10,000 files: memory and CPU against inotifywait (Debian inotify-tools).
bench-watch:
	@$(MAKE) --no-print-directory deps-system APT_PACKAGES="inotify-tools"
	cargo bench --locked -p postdesk-core --bench watch

# SIGKILL at 1,000 random moments of a save (CI runs 100 of them in the normal tests).
stress:
	POSTDESK_KILLS=1000 cargo test --locked --test durability -- --nocapture

ui: ui/dist/index.html
ui/dist/index.html: ui/node_modules/.stamp $(UI_SOURCES)
	npm --prefix ui run build

deps: deps-system ui/node_modules/.stamp tests/e2e/node_modules/.stamp
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --version '^2' --locked

deps-system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

ui/node_modules/.stamp: ui/package-lock.json
	npm --prefix ui ci --no-audit --no-fund
	touch $@

tests/e2e/node_modules/.stamp: tests/e2e/package-lock.json
	npm --prefix tests/e2e ci --no-audit --no-fund
	touch $@

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules tests/e2e/node_modules
