#pragma once
// Turning root visit counts into a move, and the visit-temperature schedule.
#include <random>
#include <span>
#include <vector>

#include "games/game.h"
#include "self_play/mcts.h"

namespace muzero {

// Temperature 0 picks the most visited action; ties go to the higher `tie_break_values` entry
// (the search's action values; empty: none), then to the lower index. Without this, a game
// whose actions the search cannot tell apart always gets action 0 (CartPole: always push
// left). Otherwise samples with probability proportional to visits^(1/temperature).
Action select_action(std::span<const int> visit_counts, double temperature, std::mt19937_64& rng,
                     std::span<const float> tie_break_values = {});

// The move to play after a search: the search's own choice where it made one (gumbel), else
// select_action on the visit counts at `temperature`, ties broken by the action values.
Action move_after_search(const SearchResult& result, double temperature, std::mt19937_64& rng);

// visits / sum(visits): the policy target stored in the game history.
std::vector<float> visit_distribution(std::span<const int> visit_counts);

// Piecewise-constant temperature as a function of training progress: the first step whose
// `until_fraction` exceeds trained_steps / training_steps applies; the last one applies after.
struct TemperatureStep {
  double until_fraction = 1.0;
  double temperature = 1.0;
};
double scheduled_temperature(std::span<const TemperatureStep> schedule, long trained_steps,
                             long training_steps);

}  // namespace muzero
