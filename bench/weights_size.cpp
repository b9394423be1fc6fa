// What one published version of the weights weighs, per shipped config: the Parameters encoding
// that crosses the network (models/parameters.h) against a LibTorch archive of the same network.
//   build/bench/weights_size [CONFIG...]   (default: the shipped CartPole, TicTacToe, Connect4)
#include <torch/torch.h>

#include <cstdio>
#include <string>
#include <vector>

#include "games/registry.h"
#include "models/network.h"
#include "models/network_layout.h"
#include "muzero/config.h"

int main(int argc, char** argv) {
  using namespace muzero;
  std::vector<std::string> configs(argv + 1, argv + argc);
  if (configs.empty()) {
    for (const char* name : {"cartpole", "tictactoe", "connect4"}) {
      configs.push_back(std::string(MUZERO_SOURCE_DIR) + "/configs/" + name + ".yaml");
    }
  }
  for (const std::string& path : configs) {
    const Config config = load_config(path);
    const GameSpec game = game_spec(config.game_name);
    auto network =
        make_network(config.network, game.observation_shape, game.action_space_size);
    std::size_t values = 0;
    const ParameterLayout layout =
        network_layout(config.network, game.observation_shape, game.action_space_size);
    for (const TensorSpec& spec : layout) values += element_count(spec.shape);
    std::printf("%s: %zu parameters in %zu tensors; Parameters %zu bytes, LibTorch archive %zu "
                "bytes\n",
                config.game_name.c_str(), values, layout.size(),
                encode_parameters(to_parameters(*network)).size(),
                serialize_weights(*network).size());
  }
  return 0;
}
