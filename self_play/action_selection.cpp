#include "self_play/action_selection.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace muzero {

Action select_action(std::span<const int> visit_counts, double temperature, std::mt19937_64& rng,
                     std::span<const float> tie_break_values) {
  if (visit_counts.empty()) throw std::invalid_argument("select_action: no actions");
  if (!tie_break_values.empty() && tie_break_values.size() != visit_counts.size())
    throw std::invalid_argument("select_action: tie-break values do not match the actions");
  if (temperature == 0.0) {
    std::size_t best = 0;
    for (std::size_t a = 1; a < visit_counts.size(); ++a) {
      const bool tie_won = visit_counts[a] == visit_counts[best] && !tie_break_values.empty() &&
                           tie_break_values[a] > tie_break_values[best];
      if (visit_counts[a] > visit_counts[best] || tie_won) best = a;
    }
    return static_cast<Action>(best);
  }
  const int max_visits = *std::max_element(visit_counts.begin(), visit_counts.end());
  std::vector<double> weights(visit_counts.size());
  for (std::size_t a = 0; a < visit_counts.size(); ++a) {
    // Scaled by the maximum first so that large counts with small temperatures stay finite.
    weights[a] = visit_counts[a] == 0 ? 0.0
                                      : std::pow(static_cast<double>(visit_counts[a]) / max_visits,
                                                 1.0 / temperature);
  }
  std::discrete_distribution<int> distribution(weights.begin(), weights.end());
  return distribution(rng);
}

Action move_after_search(const SearchResult& result, double temperature, std::mt19937_64& rng) {
  if (result.chosen_action) return *result.chosen_action;
  return select_action(result.visit_counts, temperature, rng, result.action_values);
}

std::vector<float> visit_distribution(std::span<const int> visit_counts) {
  const double total = std::accumulate(visit_counts.begin(), visit_counts.end(), 0.0);
  std::vector<float> distribution(visit_counts.size(), 0.0f);
  if (total <= 0.0) return distribution;
  for (std::size_t a = 0; a < visit_counts.size(); ++a) {
    distribution[a] = static_cast<float>(visit_counts[a] / total);
  }
  return distribution;
}

double scheduled_temperature(std::span<const TemperatureStep> schedule, long trained_steps,
                             long training_steps) {
  if (schedule.empty()) return 1.0;
  const double progress =
      training_steps > 0 ? static_cast<double>(trained_steps) / static_cast<double>(training_steps)
                         : 0.0;
  for (const TemperatureStep& step : schedule) {
    if (progress < step.until_fraction) return step.temperature;
  }
  return schedule.back().temperature;
}

}  // namespace muzero
