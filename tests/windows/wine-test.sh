#!/usr/bin/env bash
# The Windows build under Wine (`make test-windows`). Two checks:
#  1. The engine commands give the same bytes as the Linux build: the same commands on two copies
#     of the sample site, one through Windows paths (a drive letter, backslashes, a Hangul folder,
#     a screenshot named `화면 캡처 …`, a post with CRLF line endings), then every output and
#     every file of the two sites compared.
#  2. The installer, run silently (`setup.exe /S`), installs a postdesk.exe that runs a
#     subcommand from the install folder, and its uninstaller removes it.
# The window itself cannot run here: Wine has no WebView2 runtime.
#
# usage: wine-test.sh LINUX_POSTDESK WINDOWS_BUILD_DIR SETUP_EXE WORK_DIR
set -euo pipefail
linux_bin=$(realpath "$1")
windows_dir=$(realpath "$2")
setup=$(realpath "$3")
work=$4
repo=$(cd "$(dirname "$0")/../.." && pwd)

wine=/usr/lib/wine/wine64 # Debian's 64-bit loader, not on PATH
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree,mshtml="
[ -x "$wine" ] || { echo "no $wine: apt-get install wine64"; exit 1; }

rm -rf "$work/drive" "$work/bin" "$work/out"
mkdir -p "$work/drive" "$work/bin" "$work/out/linux" "$work/out/windows"
if [ ! -d "$WINEPREFIX/drive_c" ]; then
	echo "making the Wine prefix (once)"
	"$wine" wineboot -i >/dev/null 2>&1
fi
# P: is a folder of ours, so that Windows sees P:\내 블로그\site where Linux sees $drive/….
drive=$work/drive
ln -sfn "$drive" "$WINEPREFIX/dosdevices/p:"

# Rust's std needs ProcessPrng, which Wine 8 lacks: a stand-in beside the exe (tests only).
cp "$windows_dir/postdesk.exe" "$windows_dir/WebView2Loader.dll" "$work/bin/"
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bin/bcryptprimitives.dll" \
	"$repo/tests/windows/bcryptprimitives.c" -ladvapi32

# Two identical sites, each in a Hangul folder with a space; the seed post with CRLF endings; a
# screenshot outside the site, named as Windows names it.
for side in linux windows; do
	site="$drive/$side/내 블로그/site"
	mkdir -p "$(dirname "$site")" "$drive/$side/다운로드"
	cp -r "$repo/posts" "$site"
	perl -pi -e 's/\n/\r\n/' "$site/_posts/2023-03-22-gdata33.md"
	cp "$repo/posts/images/2023-03-22-gdata33/화면 캡처 2023-03-28 150716.png" "$drive/$side/다운로드/"
done

passed=0
failed=0
step=0
# run NAME ARGS...: ARGS use {site}, {dl} and / as separators; each side gets its own form.
run() {
	local name=$1
	shift
	step=$((step + 1))
	local id
	id=$(printf '%02d-%s' "$step" "$name")
	local linux_args=() windows_args=() a
	for a in "$@"; do
		linux_args+=("$(sed -e "s|{site}|$drive/linux/내 블로그/site|g" -e "s|{dl}|$drive/linux/다운로드|g" <<<"$a")")
		a=$(sed -e 's|{site}|P:\\windows\\내 블로그\\site|g' -e 's|{dl}|P:\\windows\\다운로드|g' <<<"$a")
		# Paths given to the Windows build use backslashes only.
		case "$a" in P:*) a=${a//\//\\} ;; esac
		windows_args+=("$a")
	done
	local rc=0
	(cd "$drive/linux" && "$linux_bin" "${linux_args[@]}") >"$work/out/linux/$id.out" 2>"$work/out/linux/$id.err" || rc=$?
	echo "$rc" >"$work/out/linux/$id.rc"
	rc=0
	(cd "$drive/windows" && "$wine" "$work/bin/postdesk.exe" "${windows_args[@]}") \
		>"$work/out/windows/$id.out" 2>"$work/out/windows/$id.err" || rc=$?
	echo "$rc" >"$work/out/windows/$id.rc"
	# The site's own place differs, and is written as each system writes it: compare from there.
	local f
	for f in out err; do
		sed -i -e "s|$drive/linux/내 블로그/site/|SITE/|g" -e "s|$drive/linux/다운로드/|DL/|g" \
			-e "s|file://$drive/linux/|file:///ROOT/|g" "$work/out/linux/$id.$f"
		sed -i -e 's|P:\\windows\\내 블로그\\site\\|SITE/|g' -e 's|P:\\windows\\다운로드\\|DL/|g' \
			-e 's|file:///P:/windows/|file:///ROOT/|g' "$work/out/windows/$id.$f"
	done
	if cmp -s "$work/out/linux/$id.out" "$work/out/windows/$id.out" &&
		cmp -s "$work/out/linux/$id.err" "$work/out/windows/$id.err" &&
		cmp -s "$work/out/linux/$id.rc" "$work/out/windows/$id.rc"; then
		echo "ok   $id (exit $(cat "$work/out/linux/$id.rc"), $(wc -c <"$work/out/linux/$id.out") bytes out)"
		passed=$((passed + 1))
	else
		echo "FAIL $id: Linux and Windows differ"
		diff <(cat "$work/out/linux/$id".{rc,out,err}) <(cat "$work/out/windows/$id".{rc,out,err}) | head -20 || true
		failed=$((failed + 1))
	fi
}

post={site}/_posts/2023-03-22-gdata33.md
run version --version
run render-site render "$post"
run render-preview render --target preview "$post"
run render-many render --out {site}/../html "$post" {site}/_posts/2023-02-22-gdata32.md
run lint-site lint {site}
run lint-post lint "$post"
run fm-get fm get "$post" tag
run fm-set fm set "$post" toc_sticky false
run fm-set-list fm set "$post" tag "[Big Data, AI, 한국]"
run fm-add fm add "$post" tag 데이터
run normalize-dry normalize --dry-run "$post"
run normalize normalize {site}
run lint-normalized lint "$post"
run new-like new --like "$post" --date 2023-04-26 --sections
new={site}/_posts/2023-04-26-gdata34.md
run import-image import-image --post "$new" "{dl}/화면 캡처 2023-03-28 150716.png"
run render-new render "$new"
run rename rename "$new" --date 2023-04-27

# Every file the commands wrote or left, byte for byte.
step=$((step + 1))
if diff -r "$drive/linux" "$drive/windows" >"$work/out/trees.diff"; then
	echo "ok   $(printf %02d $step)-files: the two sites are identical ($(find "$drive/linux" -type f | wc -l) files)"
	passed=$((passed + 1))
else
	echo "FAIL $(printf %02d $step)-files: the sites differ"
	head -40 "$work/out/trees.diff"
	failed=$((failed + 1))
fi

# The installer, silently, into the user's AppData (no administrator rights).
appdata=$("$wine" cmd /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r')
installed_unix=$("$wine" winepath -u "$appdata\\Programs\\Postdesk" 2>/dev/null | tr -d '\r')
rm -rf "$installed_unix"
step=$((step + 1))
if "$wine" "$setup" /S && [ -f "$installed_unix/postdesk.exe" ] && [ -f "$installed_unix/uninstall.exe" ] &&
	[ -f "$installed_unix/WebView2Loader.dll" ] && [ -f "$installed_unix/sample/_config.yml" ] &&
	[ ! -e "$installed_unix/bcryptprimitives.dll" ]; then
	menu=$("$wine" winepath -u "$("$wine" cmd /c 'echo %APPDATA%' | tr -d '\r')\\Microsoft\\Windows\\Start Menu\\Programs\\Postdesk.lnk")
	if [ -f "$menu" ]; then
		echo "ok   $(printf %02d $step)-setup: installed into $appdata\\Programs\\Postdesk with a Start-menu entry"
		passed=$((passed + 1))
	else
		echo "FAIL $(printf %02d $step)-setup: no Start-menu entry at $menu"
		failed=$((failed + 1))
	fi
else
	echo "FAIL $(printf %02d $step)-setup: setup.exe /S did not install postdesk.exe, its DLL and the sample"
	ls -la "$installed_unix" || true
	failed=$((failed + 1))
fi

# The installed exe renders the installed sample (with the test-only stand-in DLL put beside it).
step=$((step + 1))
cp "$work/bin/bcryptprimitives.dll" "$installed_unix/"
"$linux_bin" render "$repo/posts/_posts/2023-03-22-gdata33.md" >"$work/out/installed.expected"
if (cd "$installed_unix" && "$wine" postdesk.exe render 'sample\_posts\2023-03-22-gdata33.md') >"$work/out/installed.out" &&
	cmp -s "$work/out/installed.expected" "$work/out/installed.out"; then
	echo "ok   $(printf %02d $step)-installed-exe: render from the install folder gives Linux's bytes"
	passed=$((passed + 1))
else
	echo "FAIL $(printf %02d $step)-installed-exe: render from the install folder"
	failed=$((failed + 1))
fi
rm "$installed_unix/bcryptprimitives.dll"

step=$((step + 1))
"$wine" "$installed_unix/uninstall.exe" /S
# The uninstaller copies itself to a temp folder and returns at once: give it time.
for _ in $(seq 50); do [ -e "$installed_unix" ] || break; sleep 0.2; done
if [ ! -e "$installed_unix" ] && ! "$wine" reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Postdesk' >/dev/null 2>&1; then
	echo "ok   $(printf %02d $step)-uninstall: the folder and the uninstall entry are gone"
	passed=$((passed + 1))
else
	echo "FAIL $(printf %02d $step)-uninstall: $(ls "$installed_unix" 2>&1)"
	failed=$((failed + 1))
fi

echo "windows: $passed passed, $failed failed"
[ "$failed" = 0 ]
