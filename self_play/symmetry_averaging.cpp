#include "self_play/symmetry_averaging.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "games/symmetry.h"

namespace muzero {
namespace {

// Probabilities from logits, max-subtracted so that large logits cannot overflow.
void softmax_into(std::span<const float> logits, std::span<double> probabilities) {
  const float top = *std::max_element(logits.begin(), logits.end());
  double total = 0.0;
  for (std::size_t a = 0; a < logits.size(); ++a) {
    probabilities[a] = std::exp(static_cast<double>(logits[a] - top));
    total += probabilities[a];
  }
  for (double& p : probabilities) p /= total;
}

}  // namespace

SymmetryAveragingEvaluator::SymmetryAveragingEvaluator(Evaluator& inner,
                                                       std::vector<Symmetry> symmetries)
    : inner_(inner), symmetries_(std::move(symmetries)) {
  for (const Symmetry& s : symmetries_) {
    if (static_cast<int>(s.action_image.size()) != inner_.action_space_size()) {
      throw std::invalid_argument("a symmetry's action image does not cover the action space");
    }
  }
}

// Slot k * capacity + s holds view k of the state in slot s (view 0 is the original), so the
// views never overwrite a state the search still uses.
void SymmetryAveragingEvaluator::reserve_states(int capacity) {
  capacity_ = capacity;
  inner_.reserve_states(capacity * static_cast<int>(symmetries_.size() + 1));
}

void SymmetryAveragingEvaluator::initial_inference(std::span<const float> observations,
                                                   std::span<const int> slots,
                                                   InferenceOutputs& out) {
  if (symmetries_.empty() || slots.empty()) {
    inner_.initial_inference(observations, slots, out);
    return;
  }
  const std::size_t batch = slots.size();
  const std::size_t views = symmetries_.size() + 1;
  const std::size_t observation_size = observations.size() / batch;
  view_observations_.assign(observations.begin(), observations.end());
  view_observations_.resize(views * observations.size());
  view_slots_.assign(slots.begin(), slots.end());
  view_slots_.resize(views * batch);
  for (std::size_t k = 1; k < views; ++k) {
    for (std::size_t i = 0; i < batch; ++i) {
      const std::span<float> view(view_observations_.data() + (k * batch + i) * observation_size,
                                  observation_size);
      std::copy_n(observations.begin() + static_cast<std::ptrdiff_t>(i * observation_size),
                  observation_size, view.begin());
      relabel_observation_in_place(symmetries_[k - 1], view);
      view_slots_[k * batch + i] = static_cast<int>(k) * capacity_ + slots[i];
    }
  }
  inner_.initial_inference(view_observations_, view_slots_, view_outputs_);

  const std::size_t actions = static_cast<std::size_t>(action_space_size());
  out.values.assign(batch, 0.0f);
  out.rewards.assign(view_outputs_.rewards.begin(),
                     view_outputs_.rewards.begin() + static_cast<std::ptrdiff_t>(batch));
  out.policy_logits.resize(batch * actions);
  std::vector<double> view_probabilities(actions);
  std::vector<double> mean(actions);
  for (std::size_t i = 0; i < batch; ++i) {
    std::fill(mean.begin(), mean.end(), 0.0);
    double value = 0.0;
    for (std::size_t k = 0; k < views; ++k) {
      const std::size_t row = k * batch + i;
      value += view_outputs_.values[row];
      softmax_into({view_outputs_.policy_logits.data() + row * actions, actions},
                   view_probabilities);
      // View k's action action_image[a] is the original's action a.
      for (std::size_t a = 0; a < actions; ++a) {
        const std::size_t image =
            k == 0 ? a : static_cast<std::size_t>(symmetries_[k - 1].action_image[a]);
        mean[a] += view_probabilities[image];
      }
    }
    out.values[i] = static_cast<float>(value / static_cast<double>(views));
    // Logits whose softmax is the mean distribution; the floor keeps them finite.
    for (std::size_t a = 0; a < actions; ++a) {
      out.policy_logits[i * actions + a] =
          static_cast<float>(std::log(std::max(mean[a] / static_cast<double>(views), 1e-30)));
    }
  }
}

void SymmetryAveragingEvaluator::recurrent_inference(std::span<const int> parent_slots,
                                                     std::span<const Action> actions,
                                                     std::span<const int> slots,
                                                     InferenceOutputs& out) {
  inner_.recurrent_inference(parent_slots, actions, slots, out);
}

}  // namespace muzero
