#include "self_play/evaluation.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

namespace muzero {

Proportion wilson_interval(int successes, int trials) {
  Proportion p;
  p.count = successes;
  if (trials <= 0) return p;
  const double n = trials, z = 1.96;
  p.rate = successes / n;
  const double center = (p.rate + z * z / (2 * n)) / (1 + z * z / n);
  const double half =
      z * std::sqrt(p.rate * (1 - p.rate) / n + z * z / (4 * n * n)) / (1 + z * z / n);
  p.low = std::max(0.0, center - half);
  p.high = std::min(1.0, center + half);
  return p;
}

EvaluationSummary summarize(std::span<const EpisodeResult> episodes, int seat) {
  EvaluationSummary s;
  s.games = static_cast<int>(episodes.size());
  int wins = 0, draws = 0, losses = 0;
  double sum = 0, sum_squares = 0, length = 0;
  std::set<std::vector<Action>> distinct;
  for (const EpisodeResult& e : episodes) {
    distinct.insert(e.moves);
    s.two_player = e.rewards_by_player.size() == 2;
    const double own = e.rewards_by_player.empty() ? e.total_reward : e.rewards_by_player[seat];
    sum += own;
    sum_squares += own * own;
    length += e.length;
    if (s.two_player) {
      const double other = e.rewards_by_player[1 - seat];
      (own > other ? wins : own < other ? losses : draws) += 1;
    }
  }
  if (s.games > 0) {
    s.mean_reward = sum / s.games;
    s.std_reward = std::sqrt(std::max(0.0, sum_squares / s.games - s.mean_reward * s.mean_reward));
    s.mean_length = length / s.games;
  }
  s.distinct_games = static_cast<int>(distinct.size());
  s.wins = wilson_interval(wins, s.games);
  s.draws = wilson_interval(draws, s.games);
  s.losses = wilson_interval(losses, s.games);
  return s;
}

namespace {

std::string format(const char* pattern, auto... values) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, pattern, values...);
  return buffer;
}

std::string proportion_text(const char* name, const Proportion& p) {
  return format("%-7s %5d  %5.1f%%  (95%% CI %5.1f%% - %5.1f%%)\n", name, p.count, 100 * p.rate,
                100 * p.low, 100 * p.high);
}

std::string proportion_json(const char* name, const Proportion& p) {
  return format("\"%s\":{\"count\":%d,\"rate\":%.6g,\"ci95\":[%.6g,%.6g]}", name, p.count, p.rate,
                p.low, p.high);
}

}  // namespace

std::string to_text(const EvaluationSummary& s) {
  std::string out = format("games   %5d\n", s.games);
  if (s.two_player && s.distinct_games < s.games) {
    // Confidence intervals assume independent games; identical ones are not.
    out += format("distinct %4d  (the other games repeat these; see --random-opening)\n",
                  s.distinct_games);
  }
  if (s.two_player) {
    out += proportion_text("wins", s.wins);
    out += proportion_text("draws", s.draws);
    out += proportion_text("losses", s.losses);
  } else {
    out += format("reward  %.2f +- %.2f (mean +- std)\nlength  %.1f moves on average\n",
                  s.mean_reward, s.std_reward, s.mean_length);
  }
  return out;
}

std::string to_json(const EvaluationSummary& s) {
  std::string out = format(
      "{\"games\":%d,\"distinct_games\":%d,\"mean_reward\":%.6g,\"std_reward\":%.6g,"
      "\"mean_length\":%.6g",
      s.games, s.distinct_games, s.mean_reward, s.std_reward, s.mean_length);
  if (s.two_player) {
    for (const auto& [name, p] :
         {std::pair{"wins", s.wins}, std::pair{"draws", s.draws}, std::pair{"losses", s.losses}}) {
      out += ',';
      out += proportion_json(name, p);
    }
  }
  out += '}';
  return out;
}

}  // namespace muzero
