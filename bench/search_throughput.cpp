// Self-play search speed without the rest of training: B CartPole games searched in lock-step
// by one process with an untrained network of the shipped config's shape, on one core.
//   build/bench/search_throughput [B] [SIMULATIONS] [MOVES] [puct|gumbel] [native|torch] [cpu|cuda]
//   [CONFIG [key=value ...]]
// (cuda: LibTorch inference on the GPU, as self_play.device: cuda; CONFIG and overrides pick
// another game or network, e.g. configs/connect4.yaml network.type=residual)
// Prints moves/s, simulations/s (moves x simulations), network calls/s and microseconds per
// call; then the floor: the same backend's recurrent inferences alone, B at a time in a plain
// loop with no search around them (the arithmetic every simulation needs at least).
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include "games/registry.h"
#include "models/device.h"
#include "models/evaluator_factory.h"
#include "models/math_threads.h"
#include "models/network.h"
#include "muzero/config.h"
#include "self_play/lockstep_self_play.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Recurrent inferences per second of `evaluator` alone, `batch` at a time for about a second.
double floor_inferences_per_second(muzero::NetworkEvaluator& evaluator, int batch,
                                   std::span<const float> observations) {
  using namespace muzero;
  evaluator.reserve_states(2 * batch);
  std::vector<int> slots(batch), children(batch);
  std::iota(slots.begin(), slots.end(), 0);
  std::iota(children.begin(), children.end(), batch);
  std::vector<Action> actions(batch);
  for (int b = 0; b < batch; ++b) actions[b] = b % evaluator.action_space_size();
  InferenceOutputs out;
  evaluator.initial_inference(observations, slots, out);
  long calls = 0;
  const auto start = std::chrono::steady_clock::now();
  while (calls < 200 || seconds_since(start) < 1.0) {
    evaluator.recurrent_inference(slots, actions, children, out);
    ++calls;
  }
  return calls * batch / seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace muzero;
  const int games = argc > 1 ? std::atoi(argv[1]) : 16;
  const int simulations = argc > 2 ? std::atoi(argv[2]) : 50;
  const int moves = argc > 3 ? std::atoi(argv[3]) : 100;
  const std::string search = argc > 4 ? argv[4] : "puct";
  const std::string inference = argc > 5 ? argv[5] : "native";
  const torch::Device device = select_device(argc > 6 ? argv[6] : "cpu");
  use_single_math_thread();
  torch::manual_seed(0);
  std::vector<std::string> overrides;
  for (int i = 8; i < argc; ++i) overrides.push_back(argv[i]);
  Config config =
      load_config(argc > 7 ? argv[7] : MUZERO_SOURCE_DIR "/configs/cartpole.yaml", overrides);
  config.self_play.search.num_simulations = simulations;
  config.self_play.search.algorithm = search;
  const auto probe = make_game(config.game_name);
  auto network =
      make_network(config.network, probe->observation_shape(), probe->action_space_size());
  auto evaluator = make_evaluator(config.network, probe->observation_shape(),
                                  probe->action_space_size(), inference, device);
  evaluator->load(to_parameters(*network));
  const SelfPlayParams params = config.self_play;
  LockstepSelfPlay self_play([&] { return make_game(config.game_name); }, games, params, 0);
  self_play.step(*evaluator, 1.0);  // warm-up
  const long calls_before = evaluator->calls();
  const auto start = std::chrono::steady_clock::now();
  for (int m = 0; m < moves; ++m) self_play.step(*evaluator, 1.0);
  const double seconds = seconds_since(start);
  const long calls = evaluator->calls() - calls_before;
  std::printf(
      "%s %s on %s, %d games x %d simulations: %.0f moves/s, %.0f simulations/s, %.0f network "
      "calls/s, %.1f us per call\n",
      inference.c_str(), search.c_str(), device.str().c_str(), games, simulations,
      games * moves / seconds, double(games) * moves * simulations / seconds, calls / seconds,
      1e6 * seconds / calls);
  std::vector<float> observations;
  for (int g = 0; g < games; ++g) {
    const auto game = make_game(config.game_name);
    const auto obs = game->reset(g);
    observations.insert(observations.end(), obs.begin(), obs.end());
  }
  const double floor = floor_inferences_per_second(*evaluator, games, observations);
  std::printf(
      "%s floor, batch %d: %.0f recurrent inferences/s alone; the search reaches %.2f of it\n",
      inference.c_str(), games, floor, double(games) * moves * simulations / seconds / floor);
  return 0;
}
