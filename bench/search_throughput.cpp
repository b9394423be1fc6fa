// Self-play search speed without the rest of training: B CartPole games searched in lock-step
// by one process with an untrained network of the shipped config's shape.
//   build/bench/search_throughput [B] [SIMULATIONS] [MOVES] [puct|gumbel]
// Prints moves per second, network calls per second and microseconds per call.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "games/registry.h"
#include "models/math_threads.h"
#include "models/torch_evaluator.h"
#include "muzero/config.h"
#include "self_play/lockstep_self_play.h"

int main(int argc, char** argv) {
  using namespace muzero;
  const int games = argc > 1 ? std::atoi(argv[1]) : 16;
  const int simulations = argc > 2 ? std::atoi(argv[2]) : 50;
  const int moves = argc > 3 ? std::atoi(argv[3]) : 100;
  const std::string search = argc > 4 ? argv[4] : "puct";
  use_single_math_thread();
  torch::manual_seed(0);
  Config config = load_config(MUZERO_SOURCE_DIR "/configs/cartpole.yaml");
  config.self_play.search.num_simulations = simulations;
  config.self_play.search.algorithm = search;
  const auto probe = make_game(config.game_name);
  auto network =
      make_network(config.network, probe->observation_shape(), probe->action_space_size());
  TorchEvaluator evaluator(network, probe->observation_shape(), torch::kCPU);
  const SelfPlayParams params = config.self_play;
  LockstepSelfPlay self_play([&] { return make_game(config.game_name); }, games, params, 0);
  self_play.step(evaluator, 1.0);  // warm-up
  const long calls_before = evaluator.calls();
  const auto start = std::chrono::steady_clock::now();
  for (int m = 0; m < moves; ++m) self_play.step(evaluator, 1.0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long calls = evaluator.calls() - calls_before;
  std::printf(
      "%s, %d games x %d simulations: %.0f moves/s, %.0f network calls/s, %.1f us per call\n",
      search.c_str(), games, simulations, games * moves / seconds, calls / seconds,
      1e6 * seconds / calls);
  return 0;
}
