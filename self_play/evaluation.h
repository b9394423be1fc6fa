#pragma once
// Summaries of evaluation episodes: win/draw/loss counts with 95% confidence intervals for
// two-player games, mean and standard deviation of the reward for one-player games.
#include <span>
#include <string>

#include "self_play/episode.h"

namespace muzero {

struct Proportion {
  int count = 0;
  double rate = 0;
  double low = 0, high = 0;  // Wilson score interval, 95%
};

// Wilson score interval for `successes` out of `trials` (z = 1.96).
Proportion wilson_interval(int successes, int trials);

struct EvaluationSummary {
  int games = 0;
  int distinct_games = 0;  // different move sequences: deterministic players repeat one game
  bool two_player = false;
  Proportion wins, draws, losses;  // for the seat `seat`, two-player games
  double mean_reward = 0, std_reward = 0, mean_length = 0;
};

// A game counts as won by `seat` when its moves earned more reward than the other seat's.
EvaluationSummary summarize(std::span<const EpisodeResult> episodes, int seat);

std::string to_text(const EvaluationSummary& summary);
std::string to_json(const EvaluationSummary& summary);

}  // namespace muzero
