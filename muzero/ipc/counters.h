#pragma once
// The counters kept by shared storage, and who may change each: a kStats update naming another
// counter, or one owned by another role, or with a value that is not finite, is refused whole.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "muzero/ipc/peer_role.h"

namespace muzero::counters {

inline constexpr const char* kTrainingStep = "training_step";
inline constexpr const char* kPlayedGames = "played_games";
inline constexpr const char* kPlayedSteps = "played_steps";
inline constexpr const char* kWeightsVersion = "weights_version";  // storage's own
inline constexpr const char* kTrainingDone = "training_done";
inline constexpr const char* kBufferReady = "buffer_ready";  // the replay buffer serves batches
inline constexpr const char* kTotalLoss = "total_loss";
inline constexpr const char* kValueLoss = "value_loss";
inline constexpr const char* kRewardLoss = "reward_loss";
inline constexpr const char* kPolicyLoss = "policy_loss";
inline constexpr const char* kConsistencyLoss = "consistency_loss";
inline constexpr const char* kLookaheadLoss = "lookahead_loss";
inline constexpr const char* kAllMovesConsistencyLoss = "all_moves_consistency_loss";
inline constexpr const char* kLearningRate = "learning_rate";
inline constexpr const char* kSkippedBatches = "skipped_batches";  // non-finite losses
inline constexpr const char* kTestReward = "test_reward";
inline constexpr const char* kTestMeanValue = "test_mean_value";
inline constexpr const char* kTestEpisodeLength = "test_episode_length";
inline constexpr const char* kTestMuZeroReward = "test_muzero_reward";
inline constexpr const char* kTestOpponentReward = "test_opponent_reward";
inline constexpr const char* kTestRounds = "test_rounds";
inline constexpr const char* kInferenceCalls = "inference_calls";
inline constexpr const char* kInferences = "inferences";
inline constexpr const char* kSelfPlayWeightsVersion = "self_play_weights_version";
// Reanalyse: positions searched again (by the reanalyse workers); the samples trained on that
// started at a fresh position, and the mean age in training steps of their targets when the
// trainer drew them, over its last batch with any (by the trainer).
inline constexpr const char* kReanalysedPositions = "reanalysed_positions";
inline constexpr const char* kFreshSamples = "fresh_samples";
inline constexpr const char* kTrainedSamples = "trained_samples";
inline constexpr const char* kFreshTargetAge = "fresh_target_age";
// Counted by storage itself: connections and messages it refused; the self-play workers
// connected to it now, on this machine (Unix socket) and on others (TCP); the moves the remote
// ones played (their share of played_steps).
inline constexpr const char* kRefusedByStorage = "refused_by_storage";
inline constexpr const char* kWorkersLocal = "workers_local";
inline constexpr const char* kWorkersRemote = "workers_remote";
inline constexpr const char* kPlayedStepsRemote = "played_steps_remote";

struct Rule {
  std::string_view name;
  std::optional<PeerRole> writer;  // nullopt: kept by storage itself, written by nobody else
  bool additive;                   // updated by adding a delta >= 0, else set to a value
};

std::span<const Rule> rules();
const Rule* find_rule(std::string_view name);

// Why `writer` may not apply this update, or nullopt when it may.
std::optional<std::string> refusal(std::string_view name, bool add, double value, PeerRole writer);

}  // namespace muzero::counters
