#include "self_play/reanalyse.h"

#include <stdexcept>

namespace muzero {

ReanalysedTargets reanalyse(BatchedSearch& search, Evaluator& evaluator, const ReanalyseWork& work,
                            std::int64_t weights_step, std::mt19937_64& rng) {
  const std::size_t P = static_cast<std::size_t>(work.num_positions());
  const std::size_t O = static_cast<std::size_t>(work.observation_size);
  const std::size_t A = static_cast<std::size_t>(work.action_space_size);
  if (work.observations.size() != P * O || work.legal_masks.size() != P * A) {
    throw std::invalid_argument("reanalyse: work of inconsistent sizes");
  }
  ReanalysedTargets targets;
  targets.weights_step = weights_step;
  targets.windows = work.windows;
  if (P == 0) return targets;
  std::vector<SearchRoot> roots(P);
  std::vector<std::mt19937_64> rngs;
  rngs.reserve(P);
  for (std::size_t p = 0; p < P; ++p) {
    roots[p].observation = std::span<const float>(work.observations).subspan(p * O, O);
    for (std::size_t a = 0; a < A; ++a) {
      if (work.legal_masks[p * A + a] != 0)
        roots[p].legal_actions.push_back(static_cast<Action>(a));
    }
    roots[p].to_play = work.to_play[p];
    rngs.emplace_back(rng());
  }
  const std::vector<SearchResult> results = search.run(evaluator, roots, rngs);
  targets.policies.reserve(P * A);
  targets.root_values.reserve(P);
  for (const SearchResult& result : results) {
    targets.policies.insert(targets.policies.end(), result.policy_target.begin(),
                            result.policy_target.end());
    targets.root_values.push_back(result.root_value);
  }
  return targets;
}

}  // namespace muzero
