#pragma once
// muzero-general's TwentyOne (games/twentyone.py), written here: a Blackjack-like game against
// a dealer, with chance in the cards. Cards are drawn with replacement from 1..13 and count
// their value up to 10 (aces 1, pictures 10). The player starts with one card and the dealer
// with one; the player hits (0) or stands (1); a hand over 21 loses at once, a hand of exactly
// 21 stands by itself. Then the dealer draws while it has 16 or less. The reward, at the end:
// 1 for a higher hand or a dealer over 21, 0 for a tie, -1 otherwise.
// Its expert is the optimal strategy, found exactly by dynamic programming over (player's
// total, dealer's card); its expected score is the best any player can get.
#include <cstdint>
#include <random>
#include <vector>

#include "games/game.h"

namespace muzero {

class TwentyOne final : public Game {
 public:
  enum Move { kHit = 0, kStand = 1 };

  std::vector<float> reset(std::uint64_t seed) override;
  StepResult step(Action action) override;
  std::vector<float> observation() const override;
  std::vector<Action> legal_actions() const override {
    return done_ ? std::vector<Action>{} : std::vector<Action>{kHit, kStand};
  }
  bool is_terminal() const override { return done_; }
  int to_play() const override { return 0; }
  int num_players() const override { return 1; }
  int action_space_size() const override { return 2; }
  ObservationShape observation_shape() const override { return {1, 1, 2}; }
  std::string render() const override;
  std::string action_to_string(Action action) const override;
  std::optional<Action> action_from_string(std::string_view text) const override;
  std::optional<Action> expert_action() const override;
  std::unique_ptr<Game> clone() const override { return std::make_unique<TwentyOne>(*this); }

  // The exact expected reward of each move from a player's total against a dealer's card,
  // under optimal play afterwards; and of the optimal strategy over a whole hand.
  static double stand_value(int player_total, int dealer_card);
  static double hit_value(int player_total, int dealer_card);
  static double optimal_expected_score();
  // The chance of drawing a card of each value 1..10: 1..9 one in 13 each, 10 four in 13.
  static double card_chance(int value) { return value == 10 ? 4.0 / 13.0 : 1.0 / 13.0; }
  // For tests: the next cards drawn, before any random one.
  void stack_cards(std::vector<int> cards) { stacked_ = std::move(cards); }
  int player_total() const { return player_; }
  int dealer_total() const { return dealer_; }

 private:
  int draw();
  int player_ = 0, dealer_ = 0;
  bool done_ = true;
  std::mt19937_64 rng_;
  std::vector<int> stacked_;
};

}  // namespace muzero
