#include "games/plugin_loader.h"

#include <dlfcn.h>

#include <map>
#include <memory>
#include <mutex>

#include "games/plugin_api.h"
#include "games/registry.h"

namespace muzero {
namespace {

// The games of the plugin being registered (dlopen and the registration run under the lock).
std::vector<std::string>* g_registering = nullptr;

void add_game(const char* name, PluginGameFactory make) {
  if (name == nullptr || *name == '\0' || make == nullptr) return;
  register_game(name, [make] { return std::unique_ptr<Game>(make()); });
  g_registering->push_back(name);
}

}  // namespace

std::vector<std::string> load_game_plugin(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::vector<std::string>> loaded;
  std::lock_guard lock(mutex);
  if (auto it = loaded.find(path); it != loaded.end()) return it->second;
  // Never closed: the games it made live as long as the process.
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    throw PluginError("game plugin " + path + ": cannot load it (" +
                      (why ? std::string(why) : "unknown reason") + ")");
  }
  using VersionFn = int (*)();
  using RegisterFn = void (*)(PluginAddGame);
  auto version = reinterpret_cast<VersionFn>(dlsym(library, MUZERO_PLUGIN_API_VERSION_SYMBOL));
  auto register_games = reinterpret_cast<RegisterFn>(dlsym(library, MUZERO_PLUGIN_REGISTER_SYMBOL));
  if (version == nullptr || register_games == nullptr) {
    throw PluginError("game plugin " + path +
                      ": not a muzero game plugin (no MUZERO_GAME_PLUGIN entry points)");
  }
  if (const int built_for = version(); built_for != kGamePluginApiVersion) {
    throw PluginError("game plugin " + path + ": built for plugin API version " +
                      std::to_string(built_for) + ", this muzero has version " +
                      std::to_string(kGamePluginApiVersion) +
                      "; rebuild the plugin against this muzero's SDK");
  }
  std::vector<std::string> names;
  g_registering = &names;
  register_games(add_game);
  g_registering = nullptr;
  if (names.empty()) throw PluginError("game plugin " + path + ": it registered no game");
  loaded[path] = names;
  return names;
}

}  // namespace muzero
