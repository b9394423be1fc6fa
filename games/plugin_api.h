#pragma once
// What a game plugin (a shared library loaded with `game.plugin` in a config) is built against:
// the Game interface (games/game.h, header-only) and two C entry points this header defines.
// In the plugin's one source file that registers its games:
//
//   #include "games/plugin_api.h"   // from the SDK: find_package(muzero), target muzero::sdk
//   MUZERO_GAME_PLUGIN(add) {
//     add("my_game", [] () -> muzero::Game* { return new MyGame(); });
//   }
//
// The core checks muzero_plugin_api_version() against its own kGamePluginApiVersion before it
// calls anything else, and refuses a plugin built against another version with a message
// saying both. Game objects cross the boundary as C++ objects, so the plugin must be built
// with the same compiler and standard library as muzero (Debian's g++ for Debian's muzero).
#include "games/game.h"

namespace muzero {

// Raised whenever games/game.h or this header changes in a way that breaks built plugins.
inline constexpr int kGamePluginApiVersion = 2;  // 2: Game::lookahead_copy

// A game factory as the plugin hands it over: a new game the core takes ownership of.
using PluginGameFactory = Game* (*)();
// Registers one game under a name (the name `game.name` uses in configs).
using PluginAddGame = void (*)(const char* name, PluginGameFactory make);

}  // namespace muzero

// The entry points' names, as the core looks them up.
#define MUZERO_PLUGIN_API_VERSION_SYMBOL "muzero_plugin_api_version"
#define MUZERO_PLUGIN_REGISTER_SYMBOL "muzero_plugin_register_games"

// Defines both entry points; the block that follows registers the plugin's games with `add`.
#define MUZERO_GAME_PLUGIN(add)                                                        \
  extern "C" __attribute__((visibility("default"))) int muzero_plugin_api_version() {  \
    return ::muzero::kGamePluginApiVersion;                                            \
  }                                                                                    \
  static void muzero_plugin_games(::muzero::PluginAddGame add);                        \
  extern "C" __attribute__((visibility("default"))) void muzero_plugin_register_games( \
      ::muzero::PluginAddGame add_game) {                                              \
    muzero_plugin_games(add_game);                                                     \
  }                                                                                    \
  static void muzero_plugin_games(::muzero::PluginAddGame add)
