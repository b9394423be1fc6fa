#include "muzero/ipc/counters.h"

#include <array>
#include <cmath>

namespace muzero::counters {
namespace {

constexpr auto kTrainer = PeerRole::kTrainer;
constexpr auto kSelfPlay = PeerRole::kSelfPlay;
constexpr auto kTest = PeerRole::kTest;
constexpr auto kReanalyse = PeerRole::kReanalyse;

const std::array kRules{
    Rule{kTrainingStep, kTrainer, false},
    Rule{kPlayedGames, kSelfPlay, true},
    Rule{kPlayedSteps, kSelfPlay, true},
    Rule{kWeightsVersion, std::nullopt, false},
    Rule{kTrainingDone, kTrainer, false},
    Rule{kBufferReady, kTrainer, false},
    Rule{kTotalLoss, kTrainer, false},
    Rule{kValueLoss, kTrainer, false},
    Rule{kRewardLoss, kTrainer, false},
    Rule{kPolicyLoss, kTrainer, false},
    Rule{kConsistencyLoss, kTrainer, false},
    Rule{kLookaheadLoss, kTrainer, false},
    Rule{kAllMovesConsistencyLoss, kTrainer, false},
    Rule{kLearningRate, kTrainer, false},
    Rule{kSkippedBatches, kTrainer, true},
    Rule{kTestReward, kTest, false},
    Rule{kTestMeanValue, kTest, false},
    Rule{kTestEpisodeLength, kTest, false},
    Rule{kTestMuZeroReward, kTest, false},
    Rule{kTestOpponentReward, kTest, false},
    Rule{kTestRounds, kTest, true},
    Rule{kInferenceCalls, kSelfPlay, true},
    Rule{kInferences, kSelfPlay, true},
    Rule{kSelfPlayWeightsVersion, kSelfPlay, false},
    Rule{kReanalysedPositions, kReanalyse, true},
    Rule{kFreshSamples, kTrainer, true},
    Rule{kTrainedSamples, kTrainer, true},
    Rule{kFreshTargetAge, kTrainer, false},
    Rule{kRefusedByStorage, std::nullopt, true},
    Rule{kWorkersLocal, std::nullopt, false},
    Rule{kWorkersRemote, std::nullopt, false},
    Rule{kPlayedStepsRemote, std::nullopt, true},
};

}  // namespace

std::span<const Rule> rules() {
  return kRules;
}

const Rule* find_rule(std::string_view name) {
  for (const Rule& rule : kRules) {
    if (rule.name == name) return &rule;
  }
  return nullptr;
}

std::optional<std::string> refusal(std::string_view name, bool add, double value, PeerRole writer) {
  const Rule* rule = find_rule(name);
  // The name is not echoed: it is the peer's text, and may hold anything.
  if (rule == nullptr) return "an unknown counter (" + std::to_string(name.size()) + " bytes)";
  const std::string counter(name);
  if (rule->writer != writer) {
    return counter + " is not the " + std::string(role_name(writer)) + "'s to change";
  }
  if (add != rule->additive) {
    return counter + (rule->additive ? " is only added to" : " is only set");
  }
  if (!std::isfinite(value)) return counter + ": a value that is not finite";
  if (add && value < 0) return counter + ": a negative increment";
  return std::nullopt;
}

}  // namespace muzero::counters
