#include "games/twentyone.h"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>
#include <string>

namespace muzero {
namespace {

// The dealer's final total from `total`, drawing while it has 16 or less: chances of 17..21,
// and of going over (index 0). Remembered per total (1..26): the recursion repeats itself.
std::array<double, 22> dealer_finals(int total) {
  static std::array<std::optional<std::array<double, 22>>, 27> memo;
  if (total >= 0 && total < 27 && memo[total]) return *memo[total];
  std::array<double, 22> finals{};
  if (total > 21) {
    finals[0] = 1.0;
  } else if (total >= 17) {
    finals[total] = 1.0;
  } else {
    for (int card = 1; card <= 10; ++card) {
      const std::array<double, 22> after = dealer_finals(total + card);
      for (int t = 0; t < 22; ++t) finals[t] += TwentyOne::card_chance(card) * after[t];
    }
  }
  if (total >= 0 && total < 27) memo[total] = finals;
  return finals;
}

// The value of a player's total once the play is over (standing, or 21), against a dealer's card.
double showdown(int player, int dealer_card) {
  if (player > 21) return -1.0;
  const std::array<double, 22> finals = dealer_finals(dealer_card);
  double value = finals[0];  // the dealer goes over
  for (int t = 17; t <= 21; ++t) value += finals[t] * (player > t ? 1.0 : player < t ? -1.0 : 0.0);
  return value;
}

// The value of holding `player` (not yet over, not 21) and choosing the best move, or of a
// total that ends the hand.
double best_value(int player, int dealer_card) {
  if (player > 21) return -1.0;
  if (player == 21) return showdown(21, dealer_card);
  static std::array<std::array<std::optional<double>, 11>, 22> memo;  // [player][dealer card]
  std::optional<double>& known = memo[player][dealer_card];
  if (!known) {
    known = std::max(TwentyOne::stand_value(player, dealer_card),
                     TwentyOne::hit_value(player, dealer_card));
  }
  return *known;
}

}  // namespace

double TwentyOne::stand_value(int player_total, int dealer_card) {
  return showdown(player_total, dealer_card);
}

double TwentyOne::hit_value(int player_total, int dealer_card) {
  double value = 0.0;
  for (int card = 1; card <= 10; ++card) {
    value += TwentyOne::card_chance(card) * best_value(player_total + card, dealer_card);
  }
  return value;
}

double TwentyOne::optimal_expected_score() {
  double score = 0.0;
  for (int player = 1; player <= 10; ++player) {
    for (int dealer = 1; dealer <= 10; ++dealer) {
      score += TwentyOne::card_chance(player) * TwentyOne::card_chance(dealer) *
               best_value(player, dealer);
    }
  }
  return score;
}

int TwentyOne::draw() {
  if (!stacked_.empty()) {
    const int card = stacked_.front();
    stacked_.erase(stacked_.begin());
    return card;
  }
  return std::min(10, std::uniform_int_distribution<int>(1, 13)(rng_));
}

std::vector<float> TwentyOne::reset(std::uint64_t seed) {
  rng_.seed(seed);
  player_ = draw();
  dealer_ = draw();
  done_ = false;
  return observation();
}

StepResult TwentyOne::step(Action action) {
  if (done_) throw std::logic_error("TwentyOne::step called on a finished hand");
  if (action != kHit && action != kStand) {
    throw std::invalid_argument("twentyone action must be 0 (hit) or 1 (stand)");
  }
  if (action == kHit) player_ += draw();
  done_ = action == kStand || player_ >= 21;
  float reward = 0.0f;
  if (done_) {
    if (player_ <= 21) {
      while (dealer_ <= 16) dealer_ += draw();
    }
    reward = player_ > 21                        ? -1.0f
             : dealer_ > 21 || dealer_ < player_ ? 1.0f
             : dealer_ == player_                ? 0.0f
                                                 : -1.0f;
  }
  return {observation(), reward, done_, false};
}

std::vector<float> TwentyOne::observation() const {
  return {static_cast<float>(player_) / 21.0f, static_cast<float>(dealer_) / 21.0f};
}

std::string TwentyOne::render() const {
  return "dealer " + std::to_string(dealer_) + ", player " + std::to_string(player_) + "\n";
}

std::string TwentyOne::action_to_string(Action action) const {
  return action == kHit ? "hit" : "stand";
}

std::optional<Action> TwentyOne::action_from_string(std::string_view text) const {
  if (text == "h" || text == "hit" || text == "0") return kHit;
  if (text == "s" || text == "stand" || text == "1") return kStand;
  return std::nullopt;
}

std::optional<Action> TwentyOne::expert_action() const {
  if (done_) return std::nullopt;
  return hit_value(player_, dealer_) > stand_value(player_, dealer_) ? kHit : kStand;
}

}  // namespace muzero
