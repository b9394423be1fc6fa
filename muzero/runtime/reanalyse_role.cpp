// The reanalyse worker (reanalyse.num_workers of them): takes windows of stored positions from
// the replay buffer, searches them again with the latest weights, and sends the new policy and
// value targets back. The buffer keeps a target only when it is newer than the one it holds,
// and serves no work while its fresh windows are ahead of the trainer (back-pressure).
#include <spdlog/spdlog.h>

#include <random>
#include <thread>

#include "games/registry.h"
#include "muzero/ipc/counters.h"
#include "muzero/ipc/messages.h"
#include "muzero/ipc/reanalyse_messages.h"
#include "muzero/runtime/acting_network.h"
#include "muzero/runtime/roles.h"
#include "self_play/reanalyse.h"

namespace muzero {
namespace {

// How long a worker that got no work (too few games yet, or enough fresh targets waiting)
// rests before it asks again.
constexpr auto kIdleWait = std::chrono::milliseconds(20);

}  // namespace

int run_reanalyse_role(const RoleContext& context) {
  const Config& config = context.config;
  const std::unique_ptr<NetworkEvaluator> evaluator = make_player(context);
  StorageClient storage(context.storage_address, context.connection(PeerRole::kReanalyse));
  Connection replay(context.replay_address, context.connection(PeerRole::kReanalyse));
  std::int64_t version = -1, weights_step = -1;
  wait_for_weights(storage, *evaluator, version, *context.stop, &weights_step);
  const GameSpec game = game_spec(config.game_name);
  BatchedSearch search(config.self_play.search, game.num_players, game.action_space_size);
  std::mt19937_64 rng(config.seed + 15485863ull * (context.worker_id + 1) + context.seed_salt);
  const ReanalyseShape shape{game.observation_shape.size(), game.action_space_size,
                             config.replay.targets.num_unroll_steps + 1, config.reanalyse_windows};
  double positions = 0;  // not yet reported
  while (!context.stop->load()) {
    const auto counts = storage.update({{counters::kReanalysedPositions, true, positions}});
    positions = 0;
    if (counter(counts, counters::kTrainingDone) > 0) break;
    if (counter(counts, counters::kWeightsVersion) > version) {
      refresh_weights(storage, *evaluator, version, &weights_step);
    }
    const Frame frame =
        replay.request(MessageType::kReanalyseRequest, encode_int(config.reanalyse_windows));
    if (frame.type != MessageType::kReanalyseWork) {
      throw std::runtime_error("the replay buffer sent no reanalyse work");
    }
    const ReanalyseWork work = decode_reanalyse_work(frame.payload, shape);
    if (work.num_positions() == 0) {
      std::this_thread::sleep_for(kIdleWait);
      continue;
    }
    const ReanalysedTargets targets = reanalyse(search, *evaluator, work, weights_step, rng);
    replay.request(MessageType::kReanalysedTargets, encode_reanalysed_targets(targets));
    positions += work.num_positions();
  }
  return 0;
}

}  // namespace muzero
