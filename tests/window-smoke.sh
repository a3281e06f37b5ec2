#!/usr/bin/env bash
# Real-window smoke test: starts the editor under Xvfb on the sample map, checks that the
# window appears with the right title and draws a map (not a blank screen), opens a second
# file given on the command line, and that a bad file leaves the app running with its message.
# Needs: xvfb xdotool imagemagick libxcursor1 libxi6 libxkbcommon-x11-0 libegl1 libgl1-mesa-dri
# (.ci/run installs them). Usage: tests/window-smoke.sh [path/to/journeymap]
set -euo pipefail
bin=${1:-target/debug/journeymap}
[ -x "$bin" ] || cargo build
out=$(mktemp -d)
# A display number nobody uses (no lock file), and an X server that answers before the app
# starts (a loaded CI machine can take more than a second to bring Xvfb up). -noreset: by
# default an X server resets when its last client leaves, and refuses connections meanwhile
# (a killed app followed by the next one raced that).
n=$((60 + RANDOM % 30))
while [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
display=:$n
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb=$!
app=
cleanup() { [ -n "$app" ] && kill "$app" 2>/dev/null; kill "$xvfb" 2>/dev/null; rm -rf "$out"; }
trap cleanup EXIT
export DISPLAY=$display
for _ in $(seq 1 40); do
  xdotool getdisplaygeometry >/dev/null 2>&1 && break
  sleep 0.25
done
xdotool getdisplaygeometry >/dev/null 2>&1 || { echo "FAIL: Xvfb did not start on $display"; exit 1; }

run_app() { # FILE... ; leaves $app running
  XDG_DATA_HOME="$out/data" "$bin" "$@" >"$out/log" 2>&1 &
  app=$!
  for _ in $(seq 1 60); do
    if xdotool search --name "Journeymap" >/dev/null 2>&1; then return 0; fi
    kill -0 "$app" 2>/dev/null || { echo "FAIL: the app exited"; cat "$out/log"; exit 1; }
    sleep 0.5
  done
  echo "FAIL: no window appeared"; cat "$out/log"; exit 1
}

passed=0; failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAIL: $1"; fi; }

# 1. No argument: the sample map.
run_app
sleep 3
title=$(xdotool getwindowname "$(xdotool search --name Journeymap | head -1)")
check "title names the sample map ($title)" '[[ "$title" == *"Sorting out a surprise on my bill"*Journeymap* ]]'
/usr/bin/import -window root "$out/shot.png"
colours=$(/usr/bin/convert "$out/shot.png" -format %k info:)
check "the window draws a map ($colours colours)" '[ "$colours" -gt 200 ]'
kill "$app"; wait "$app" 2>/dev/null || true; app=

# 2. A file argument opens that file.
cp examples/surprise-bill.journeymap.json "$out/copy.journeymap.json"
run_app "$out/copy.journeymap.json"
sleep 2
title=$(xdotool getwindowname "$(xdotool search --name Journeymap | head -1)")
check "title names the opened file ($title)" '[[ "$title" == "copy.journeymap.json"*Journeymap* ]]'
kill "$app"; wait "$app" 2>/dev/null || true; app=

# 3. A bad file: the app stays up (showing the error) and the file is untouched.
printf '{"format": "journeymap", "version": 1, "map": {' > "$out/bad.json"
before=$(sha256sum "$out/bad.json")
run_app "$out/bad.json"
sleep 2
check "the app is still running after a bad file" 'kill -0 "$app" 2>/dev/null'
check "the bad file is untouched" '[ "$(sha256sum "$out/bad.json")" = "$before" ]'
kill "$app"; wait "$app" 2>/dev/null || true; app=

# 4. File → Export (Ctrl+E, Enter takes the suggested path next to the map) writes a PNG;
#    Export again (Ctrl+Shift+E) writes it again without asking.
cp examples/surprise-bill.journeymap.json "$out/bill.journeymap.json"
run_app "$out/bill.journeymap.json"
sleep 2
win=$(xdotool search --name Journeymap | head -1)
xdotool windowfocus --sync "$win" 2>/dev/null || true
xdotool key --window "$win" ctrl+e
sleep 1
xdotool key --window "$win" Return
for _ in $(seq 1 40); do [ -s "$out/bill.png" ] && break; sleep 0.25; done
check "Ctrl+E, Enter exports bill.png" '[ "$(head -c 4 "$out/bill.png" 2>/dev/null | od -An -c | tr -d " ")" = "211PNG" ]'
rm -f "$out/bill.png"
xdotool key --window "$win" ctrl+shift+e
for _ in $(seq 1 40); do [ -s "$out/bill.png" ] && break; sleep 0.25; done
check "Ctrl+Shift+E exports again" '[ -s "$out/bill.png" ]'
check "no temporary files are left" '[ -z "$(ls -A "$out" | grep "\.tmp$")" ]'
kill "$app"; wait "$app" 2>/dev/null || true; app=

# 5. Never lose work: an edit is autosaved to the recovery folder (not the map file) within
#    seconds, the map file is untouched until Ctrl+S, and saving removes the recovery file.
cp examples/surprise-bill.journeymap.json "$out/work.journeymap.json"
before=$(sha256sum "$out/work.journeymap.json")
run_app "$out/work.journeymap.json"
sleep 2
win=$(xdotool search --name Journeymap | head -1)
xdotool windowfocus --sync "$win" 2>/dev/null || true
xdotool key --window "$win" ctrl+a
sleep 0.5
xdotool key --window "$win" Delete
rec="$out/data/journeymap/recovery"
for _ in $(seq 1 60); do ls "$rec"/*.meta.json >/dev/null 2>&1 && break; sleep 0.5; done
check "the edit is autosaved to the recovery folder" 'ls "$rec"/*.meta.json >/dev/null 2>&1'
check "the map file is untouched by autosave" '[ "$(sha256sum "$out/work.journeymap.json")" = "$before" ]'
xdotool key --window "$win" ctrl+s
sleep 2
check "Ctrl+S saves the map" '[ "$(sha256sum "$out/work.journeymap.json")" != "$before" ]'
check "saving removes the recovery file" '! ls "$rec"/*.meta.json >/dev/null 2>&1'
kill "$app"; wait "$app" 2>/dev/null || true; app=

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
