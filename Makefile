# Postdesk: `make run` opens the app, `make test` runs every test. Both install what is missing
# (Debian/Ubuntu packages via apt, npm packages, tauri-driver) first.
SHELL := /bin/bash
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
APP := $(CARGO_TARGET_DIR)/debug/postdesk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev webkit2gtk-driver xvfb xauth fonts-noto-cjk fonts-noto-color-emoji python3-xlib xclip \
	ibus ibus-hangul dbus-x11 xdotool hunspell-ko hunspell-en-us \
	jekyll ruby-jekyll-include-cache ruby-jekyll-feed ruby-jekyll-sitemap ruby-jekyll-paginate ruby-jekyll-gist python3-tinycss2
SITE ?= posts

.PHONY: run dev build test test-rust test-e2e check-windows package package-deb package-windows test-windows test-package deps-windows check lint bench bench-render bench-style bench-publish bench-images bench-watch stress fidelity fidelity-fuzz deps deps-system ui clean

run: deps build
	$(APP) $(SITE)

# Live-reloading UI (Vite dev server) for working on ui/.
dev: deps
	ui/node_modules/.bin/tauri dev -- --no-default-features

build: ui
	cargo build --locked

test: deps build test-rust check-windows test-e2e

test-rust: ui
	cargo test --locked --workspace
	@git diff --exit-code --stat -- ui/src/bindings || \
		(echo "ui/src/bindings changed: commit the regenerated TypeScript types" && exit 1)

test-e2e: build
	cd tests/e2e && POSTDESK_BIN=$(APP) xvfb-run -a -s "-screen 0 1440x900x24" npm test

# Windows x64 is cross-built here (rustup's x86_64-pc-windows-gnu linked by Debian's mingw-w64).
WINDOWS := x86_64-pc-windows-gnu
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER := x86_64-w64-mingw32-gcc
WINDOWS_RELEASE := $(CARGO_TARGET_DIR)/$(WINDOWS)/release

# Every crate still compiles for Windows, tests included, without warnings (a check: no linking).
check-windows: ui
	@if rustup target list --installed 2>/dev/null | grep -qx $(WINDOWS) || rustup target add $(WINDOWS); then \
		$(MAKE) --no-print-directory deps-system APT_PACKAGES="gcc-mingw-w64-x86-64" && \
		cargo clippy --locked --workspace --all-targets --target $(WINDOWS) -- -D warnings; \
	else \
		echo; echo "!!!!! WINDOWS CHECK SKIPPED: rustup could not add the $(WINDOWS) target !!!!!"; echo; \
	fi

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
bench-images: ui
	@$(MAKE) --no-print-directory deps-system APT_PACKAGES="libvips-tools imagemagick python3-pil fonts-nanum"
	cargo build --release --locked --bin postdesk
	POSTDESK_BIN=$(CARGO_TARGET_DIR)/release/postdesk cargo bench --locked -p postdesk-core --bench images

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

# Packages (issue 17), in target/packages: the .deb, and for Windows x64 a portable zip and a
# per-user installer. Two release builds: not part of `make test`.
VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' Cargo.toml | head -1)
PACKAGES := $(CURDIR)/target/packages
WINDOWS_STAGE := $(PACKAGES)/windows/Postdesk
package: package-deb package-windows
	@ls -l $(PACKAGES)/*.deb $(PACKAGES)/*.zip $(PACKAGES)/*.exe

package-deb: deps-system ui
	ui/node_modules/.bin/tauri build --bundles deb
	mkdir -p $(PACKAGES)
	cp $(CARGO_TARGET_DIR)/release/bundle/deb/Postdesk_$(VERSION)_amd64.deb $(PACKAGES)/postdesk_$(VERSION)_amd64.deb

package-windows: deps-windows ui
	cargo build --locked --release --target $(WINDOWS)
	rm -rf $(PACKAGES)/windows && mkdir -p $(WINDOWS_STAGE)
	cp $(WINDOWS_RELEASE)/postdesk.exe $(WINDOWS_RELEASE)/WebView2Loader.dll $(WINDOWS_STAGE)/
	sed 's/$$/\r/' packaging/windows/README.txt > $(WINDOWS_STAGE)/README.txt
	cp -r posts $(WINDOWS_STAGE)/sample
	rm -f $(PACKAGES)/postdesk-$(VERSION)-windows-x64.zip
	cd $(PACKAGES)/windows && zip -qrX $(PACKAGES)/postdesk-$(VERSION)-windows-x64.zip Postdesk
	LC_ALL=C.UTF-8 makensis -V2 -DVERSION=$(VERSION) -DSTAGE=$(WINDOWS_STAGE) -DICON=$(CURDIR)/src-tauri/icons/icon.ico \
		-DOUTFILE=$(PACKAGES)/postdesk-$(VERSION)-windows-x64-setup.exe packaging/windows/postdesk.nsi

# The Windows build under Wine against the Linux build; the installer and uninstaller, silently.
test-windows: build package-windows
	@$(MAKE) --no-print-directory deps-system APT_PACKAGES="wine64"
	tests/windows/wine-test.sh $(APP) $(WINDOWS_STAGE) $(PACKAGES)/postdesk-$(VERSION)-windows-x64-setup.exe \
		$(CARGO_TARGET_DIR)/wine

# The .deb installed as a writer installs it, its window tested by e2e, then removed.
test-package: deps build package-deb
	$(SUDO) dpkg -i $(PACKAGES)/postdesk_$(VERSION)_amd64.deb
	@status=0; \
	for f in /usr/bin/postdesk /usr/share/applications/Postdesk.desktop /usr/share/icons/hicolor/128x128/apps/postdesk.png \
		/usr/lib/Postdesk/sample/_config.yml "/usr/lib/Postdesk/sample/images/2023-03-22-gdata33/화면 캡처 2023-03-28 150716.png"; do \
		[ -f "$$f" ] && echo "installed: $$f" || { echo "missing from the .deb: $$f"; status=1; }; \
	done; \
	grep -qx 'Exec=postdesk' /usr/share/applications/Postdesk.desktop && grep -qx 'Icon=postdesk' /usr/share/applications/Postdesk.desktop \
		|| { echo "the desktop entry does not start postdesk with its icon"; status=1; }; \
	/usr/bin/postdesk render /usr/lib/Postdesk/sample/_posts/2023-03-22-gdata33.md | cmp - <($(APP) render posts/_posts/2023-03-22-gdata33.md) \
		|| { echo "the installed postdesk renders the sample differently"; status=1; }; \
	(cd tests/e2e && POSTDESK_BIN=/usr/bin/postdesk xvfb-run -a -s "-screen 0 1440x900x24" \
		node --test --test-concurrency=1 --test-reporter=spec window.test.mjs sites.test.mjs) || status=1; \
	$(SUDO) dpkg -r postdesk; \
	exit $$status

deps-windows:
	@$(MAKE) --no-print-directory deps-system APT_PACKAGES="gcc-mingw-w64-x86-64 nsis zip"
	@rustup target list --installed | grep -qx $(WINDOWS) || rustup target add $(WINDOWS)

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules tests/e2e/node_modules
