#pragma once
// Names of the counters kept by shared storage.
namespace muzero::counters {

inline constexpr const char* kTrainingStep = "training_step";
inline constexpr const char* kPlayedGames = "played_games";
inline constexpr const char* kPlayedSteps = "played_steps";
inline constexpr const char* kWeightsVersion = "weights_version";
inline constexpr const char* kTrainingDone = "training_done";
inline constexpr const char* kBufferReady = "buffer_ready";  // the replay buffer serves batches
inline constexpr const char* kTotalLoss = "total_loss";
inline constexpr const char* kValueLoss = "value_loss";
inline constexpr const char* kRewardLoss = "reward_loss";
inline constexpr const char* kPolicyLoss = "policy_loss";
inline constexpr const char* kConsistencyLoss = "consistency_loss";
inline constexpr const char* kLookaheadLoss = "lookahead_loss";
inline constexpr const char* kLearningRate = "learning_rate";
inline constexpr const char* kTestReward = "test_reward";
inline constexpr const char* kTestMeanValue = "test_mean_value";
inline constexpr const char* kTestEpisodeLength = "test_episode_length";
inline constexpr const char* kTestMuZeroReward = "test_muzero_reward";
inline constexpr const char* kTestOpponentReward = "test_opponent_reward";
inline constexpr const char* kTestRounds = "test_rounds";
inline constexpr const char* kInferenceCalls = "inference_calls";
inline constexpr const char* kInferences = "inferences";
inline constexpr const char* kSelfPlayWeightsVersion = "self_play_weights_version";

}  // namespace muzero::counters
