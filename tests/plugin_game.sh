#!/bin/bash
# A game from a shared library, end to end: the SDK is installed from the build, the example
# plugin (examples/plugin_game) builds against it alone, and a run loads it with game.plugin:
# it trains, evaluates beside the game's expert and plays; the checkpoint remembers the
# plugin. A plugin built for another API version, a library that is not a plugin and a missing
# file are refused with status 2 and the reason.
#   tests/plugin_game.sh MUZERO BUILD_DIR SOURCE_DIR
set -u
muzero="$1"
build="$2"
source=$(cd "$3" && pwd)
work=$(mktemp -d)
trap 'pkill -KILL -f "$work" 2>/dev/null; rm -rf "$work"' EXIT
failures=0
passes=0
check() {  # check DESCRIPTION COMMAND...
  description="$1"; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $description"; failures=$((failures + 1)); fi
}

cmake --install "$build" --component sdk --prefix "$work/sdk" > "$work/install.log" 2>&1
check "the SDK installs" [ -f "$work/sdk/lib/cmake/muzero/muzeroConfig.cmake" ]
check "with the Game interface" [ -f "$work/sdk/include/muzero/games/game.h" ]
cmake -S "$source/examples/plugin_game" -B "$work/plugin" -DCMAKE_PREFIX_PATH="$work/sdk" \
  -DCMAKE_BUILD_TYPE=Release > "$work/plugin.log" 2>&1 &&
  cmake --build "$work/plugin" >> "$work/plugin.log" 2>&1
plugin="$work/plugin/libcatch_game.so"
check "the example plugin builds against the installed SDK alone" [ -f "$plugin" ]
[ -f "$plugin" ] || cat "$work/plugin.log"

"$muzero" train --config "$source/examples/plugin_game/config.yaml" --set game.plugin="$plugin" \
  --set training.training_steps=300 --set output.results_dir="$work/runs" > "$work/train.log" 2>&1
check "a run of the plugin's game trains" [ $? -eq 0 ]
run=$(find "$work/runs/catch" -mindepth 1 -maxdepth 1 -type d | head -n 1)
check "its resolved config names the plugin by absolute path" grep -q "plugin: $plugin" "$run/config.yaml"
check "every training step ran" grep -q "finished after 300 training steps" "$work/train.log"
[ "$failures" -eq 0 ] || tail -20 "$work/train.log"
"$muzero" evaluate --checkpoint "$run/checkpoint.pt" --games 20 --baseline expert > "$work/eval.txt" 2>&1
check "the checkpoint evaluates (it loads the plugin itself)" grep -q "MuZero did as well in" "$work/eval.txt"
"$muzero" play --checkpoint "$run/checkpoint.pt" > "$work/play.txt" 2>&1 < /dev/null
check "and plays" grep -q "episode over after 4 moves" "$work/play.txt"
[ "$failures" -eq 0 ] || { cat "$work/eval.txt"; cat "$work/play.txt"; }

# A plugin of another API version, a library without the entry points, a missing file.
cat > "$work/other.cpp" <<'CPP'
extern "C" int muzero_plugin_api_version() { return 999; }
extern "C" void muzero_plugin_register_games(void*) {}
CPP
echo 'int nothing_here() { return 0; }' > "$work/none.cpp"
g++ -shared -fPIC -o "$work/libother.so" "$work/other.cpp"
g++ -shared -fPIC -o "$work/libnone.so" "$work/none.cpp"
refused() {  # refused PLUGIN PATTERN: train exits 2 and says PATTERN
  "$muzero" train --config "$source/examples/plugin_game/config.yaml" --set game.plugin="$1" \
    --set output.results_dir="$work/refused" > "$work/refused.log" 2>&1
  local status=$?
  [ "$status" -eq 2 ] && grep -q "$2" "$work/refused.log" || { cat "$work/refused.log"; return 1; }
}
check "another API version is refused" \
  refused "$work/libother.so" "built for plugin API version 999, this muzero has version"
check "a library that is not a plugin is refused" refused "$work/libnone.so" "not a muzero game plugin"
check "a missing plugin is refused" refused "$work/missing.so" "cannot load it"
mv "$plugin" "$work/moved.so"
"$muzero" evaluate --checkpoint "$run/checkpoint.pt" --games 1 > "$work/gone.txt" 2>&1
check "a checkpoint whose plugin is gone is refused with status 2" [ $? -eq 2 ]
check "naming the plugin" grep -q "libcatch_game.so: cannot load it" "$work/gone.txt"

# The run and its checkpoints record the plugin's SHA-256: a rebuilt or replaced plugin is
# refused, naming both digests, until a resume accepts it.
mv "$work/moved.so" "$plugin"
digest=$(sha256sum "$plugin" | cut -d' ' -f1)
check "the run records the plugin's SHA-256" grep -q "plugin_sha256: .*$digest" "$run/config.yaml"
printf 'rebuilt' >> "$plugin"  # still loads: the loader ignores bytes past the ELF contents
changed=$(sha256sum "$plugin" | cut -d' ' -f1)
"$muzero" evaluate --checkpoint "$run/checkpoint.pt" --games 1 > "$work/changed.txt" 2>&1
check "a checkpoint whose plugin changed is refused with status 2" [ $? -eq 2 ]
check "giving both digests" grep -q "SHA-256 $digest, but that file now has SHA-256 $changed" \
  "$work/changed.txt"
"$muzero" train --resume "$run" --set training.training_steps=320 > "$work/resume_refused.log" 2>&1
check "so is resuming its run" [ $? -eq 2 ]
"$muzero" train --resume "$run" --set game.plugin_sha256="$changed" \
  --set training.training_steps=320 > "$work/resume.log" 2>&1
check "until a resume accepts the new build" grep -q "finished after 320 training steps" "$work/resume.log"
"$muzero" evaluate --checkpoint "$run/checkpoint.pt" --games 2 > "$work/accepted.txt" 2>&1
check "whose checkpoints then record it" grep -q "MuZero did as well in\|reward" "$work/accepted.txt"
[ "$failures" -eq 0 ] || { cat "$work/changed.txt" "$work/resume.log" "$work/accepted.txt"; }

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
