// The self-play workers and the test worker: both act with the latest published weights.
#include <spdlog/spdlog.h>

#include <cmath>
#include <thread>

#include "games/registry.h"
#include "models/native/backends.h"
#include "models/parameters.h"
#include "muzero/ipc/counters.h"
#include "muzero/runtime/acting_network.h"
#include "muzero/runtime/roles.h"
#include "muzero/runtime/storage_client.h"
#include "self_play/episode.h"

namespace muzero {

bool refresh_weights(StorageClient& storage, NetworkEvaluator& evaluator, std::int64_t& version,
                     std::int64_t* training_step) {
  const WeightsMessage weights = storage.weights_newer_than(version);
  if (weights.blob.empty()) return false;
  try {
    evaluator.load(decode_parameters(weights.blob));
  } catch (const ParametersError& error) {
    // Storage checks weights before it takes them, so this is a storage of another run or a
    // bug; playing on with the weights held beats a crash loop.
    spdlog::error("weights version {} refused ({}); playing on with version {}", weights.version,
                  error.what(), version);
    version = weights.version;
    return false;
  }
  version = weights.version;
  if (training_step) *training_step = weights.training_step;
  return true;
}

void wait_for_weights(StorageClient& storage, NetworkEvaluator& evaluator, std::int64_t& version,
                      const std::atomic<bool>& stop, std::int64_t* training_step) {
  while (!stop.load() && !refresh_weights(storage, evaluator, version, training_step)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Acting networks run on the CPU: batches of a few games are too small to gain from a GPU
// (muzero-general's selfplay_on_gpu defaults to false too). The backend is self_play.inference:
// the native one here, LibTorch through the context's factory (the muzero binary sets it).
std::unique_ptr<NetworkEvaluator> make_player(const RoleContext& context) {
  const Config& config = context.config;
  if (context.make_evaluator) return context.make_evaluator(config);
  if (!acts_natively(config)) {
    throw std::runtime_error("self_play.inference " + config.inference + " with a " +
                             config.network.type +
                             " network needs LibTorch: run this role with the muzero binary");
  }
  const GameSpec game = game_spec(config.game_name);
  return make_native_evaluator(config.network, game.observation_shape, game.action_space_size);
}

namespace {

// A line in the worker's log every kPeriod: what it has played, at what rate, with which
// weights (a remote worker's only sign of life on its own machine).
class WorkerProgress {
 public:
  static constexpr auto kPeriod = std::chrono::seconds(10);
  explicit WorkerProgress(int worker_id) : worker_id_(worker_id) {}
  void add(double moves, double games, std::int64_t version) {
    moves_ += moves;
    games_ += games;
    const auto now = std::chrono::steady_clock::now();
    if (now - logged_at_ < kPeriod) return;
    const double seconds = std::chrono::duration<double>(now - logged_at_).count();
    spdlog::info(
        "self-play worker {}: {:.0f} games, {:.0f} moves ({:.0f} moves/s), weights "
        "version {}",
        worker_id_, games_, moves_, (moves_ - moves_logged_) / seconds, version);
    logged_at_ = now;
    moves_logged_ = moves_;
  }

 private:
  int worker_id_;
  double moves_ = 0, games_ = 0, moves_logged_ = 0;
  std::chrono::steady_clock::time_point logged_at_ = std::chrono::steady_clock::now();
};

// The longest a worker ahead of the ratio waits before it looks again (a trainer that stopped
// stepping: restarted, or done).
constexpr auto kRatioWait = std::chrono::milliseconds(50);

}  // namespace

int run_self_play_role(const RoleContext& context) {
  const Config& config = context.config;
  const std::unique_ptr<NetworkEvaluator> evaluator = make_player(context);
  StorageClient storage(context.storage_address, context.connection(PeerRole::kSelfPlay));
  Connection replay(context.replay_address, context.connection(PeerRole::kSelfPlay));
  std::int64_t version = -1, weights_step = -1;
  wait_for_weights(storage, *evaluator, version, *context.stop, &weights_step);
  const std::uint64_t seed = config.seed + 7919ull * (context.worker_id + 1) + context.seed_salt;
  LockstepSelfPlay self_play([&] { return make_game(config.game_name); }, config.num_parallel_games,
                             config.self_play, seed);
  double moves = 0, games = 0;
  long calls_reported = 0, inferences_reported = 0;
  WorkerProgress progress(context.worker_id);
  while (!context.stop->load()) {
    progress.add(moves, games, version);
    const auto counts = storage.update(
        {{counters::kPlayedSteps, true, moves},
         {counters::kPlayedGames, true, games},
         {counters::kInferenceCalls, true, double(evaluator->calls() - calls_reported)},
         {counters::kInferences, true, double(evaluator->inferences() - inferences_reported)},
         {counters::kSelfPlayWeightsVersion, false, static_cast<double>(version)}});
    calls_reported = evaluator->calls();
    inferences_reported = evaluator->inferences();
    moves = games = 0;
    if (counter(counts, counters::kTrainingDone) > 0) break;
    if (counter(counts, counters::kWeightsVersion) > version) {
      refresh_weights(storage, *evaluator, version, &weights_step);
    }
    const double trained = counter(counts, counters::kTrainingStep);
    // Self-play may run ahead of the ratio by one round of moves of every worker (remote ones
    // included), so that the two sides do not take turns move by move.
    const double workers =
        std::max<double>(config.num_workers, counter(counts, counters::kWorkersLocal) +
                                                 counter(counts, counters::kWorkersRemote));
    const double slack = static_cast<double>(config.num_parallel_games) * workers;
    const double needed =
        config.ratio ? *config.ratio * (counter(counts, counters::kPlayedSteps) - slack) : 0;
    if (config.ratio && counter(counts, counters::kPlayedGames) >= config.start_after_games &&
        counter(counts, counters::kBufferReady) > 0 && trained < config.training_steps &&
        trained < needed) {
      // Training is behind: storage answers once it has caught up. Polling every 2 ms instead
      // cost the learner's machine half a core with 4 remote workers (TLS requests), which the
      // trainer then lacked.
      storage.wait_for_step(static_cast<std::int64_t>(std::ceil(needed)), kRatioWait);
      continue;
    }
    const double temperature = scheduled_temperature(
        config.visit_softmax_temperature, static_cast<long>(trained), config.training_steps);
    for (GameHistory& game : self_play.step(*evaluator, temperature, weights_step)) {
      replay.request(MessageType::kGame, encode_game(game));
      ++games;
    }
    moves += self_play.num_parallel_games();
  }
  return 0;
}

int run_test_role(const RoleContext& context) {
  const Config& config = context.config;
  if (config.test_episodes == 0) return 0;
  const std::unique_ptr<NetworkEvaluator> evaluator = make_player(context);
  StorageClient storage(context.storage_address, context.connection(PeerRole::kTest));
  std::int64_t version = -1;
  wait_for_weights(storage, *evaluator, version, *context.stop);
  std::mt19937_64 rng(config.seed + 104729ull + context.seed_salt);
  const EpisodeSettings settings{config.self_play.search, config.self_play.max_moves,
                                 parse_opponent(config.opponent), config.muzero_player,
                                 config.test_random_opening};
  // A round every test.interval_steps training steps, and one on the final weights; testing
  // continuously would take a core from self-play and training.
  std::int64_t tested_version = -1;
  double next_test_step = 0;
  while (!context.stop->load()) {
    const auto counts = storage.update({});
    const bool done = counter(counts, counters::kTrainingDone) > 0;
    const double step = counter(counts, counters::kTrainingStep);
    if (!done && step < next_test_step) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    refresh_weights(storage, *evaluator, version);
    if (version == tested_version) {
      if (done) break;  // the final weights have been tested
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    tested_version = version;
    next_test_step = step + config.test_interval_steps;
    std::vector<std::uint64_t> seeds(config.test_episodes);
    for (std::uint64_t& s : seeds) s = rng();
    const auto results = play_episodes([&] { return make_game(config.game_name); }, seeds,
                                       *evaluator, settings, rng);
    double reward = 0, muzero = 0, opponent = 0, length = 0, value = 0;
    for (const EpisodeResult& r : results) {
      reward += r.total_reward;
      muzero += r.muzero_reward;
      opponent += r.opponent_reward;
      length += r.length;
      value += r.mean_root_value;
    }
    const double n = static_cast<double>(results.size());
    storage.update({{counters::kTestReward, false, reward / n},
                    {counters::kTestMuZeroReward, false, muzero / n},
                    {counters::kTestOpponentReward, false, opponent / n},
                    {counters::kTestEpisodeLength, false, length / n},
                    {counters::kTestMeanValue, false, value / n},
                    {counters::kTestRounds, true, 1}});
    if (done) break;
  }
  return 0;
}

int run_role(const std::string& name, const RoleContext& context) {
  if (name == "storage") return run_storage_role(context);
  if (name == "replay") return run_replay_role(context);
  if (name == "trainer") {
    throw std::invalid_argument("the trainer runs in the muzero binary, not in muzero-role");
  }
  if (name == "self_play") return run_self_play_role(context);
  if (name == "test") return run_test_role(context);
  if (name == "reanalyse") return run_reanalyse_role(context);
  throw std::invalid_argument("unknown role '" + name + "'");
}

}  // namespace muzero
