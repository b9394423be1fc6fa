#pragma once
// Loads a game plugin (games/plugin_api.h) and registers its games with the registry, so that
// every process that reads a config naming it (`game.plugin`) knows its games: self-play,
// replay, trainer, test, evaluate, play and remote workers alike.
#include <stdexcept>
#include <string>
#include <vector>

namespace muzero {

class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Loads the shared library at `path` once per process (later calls with the same path do
// nothing) and returns the names of the games it registered. Throws PluginError saying why:
// the file cannot be loaded, it is not a muzero game plugin, it was built for another plugin
// API version, or it registered no game.
std::vector<std::string> load_game_plugin(const std::string& path);

}  // namespace muzero
