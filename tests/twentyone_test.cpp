#include "games/twentyone.h"

#include <gtest/gtest.h>

#include <cmath>

namespace muzero {
namespace {

// Hands dealt from a stacked deck, settled by hand.
TEST(TwentyOne, HandsByHand) {
  TwentyOne game;
  game.stack_cards({10, 7, 6, 10});  // player 10, dealer 7; hit 6 -> 16; dealer draws 10 -> 17
  game.reset(0);
  StepResult step = game.step(TwentyOne::kHit);
  EXPECT_FALSE(step.done);
  EXPECT_EQ(game.player_total(), 16);
  step = game.step(TwentyOne::kStand);
  EXPECT_TRUE(step.done);
  EXPECT_EQ(game.dealer_total(), 17);
  EXPECT_EQ(step.reward, -1.0f);

  TwentyOne bust;
  bust.stack_cards({9, 5, 10, 5});  // 9, hit 10 -> 19, hit 5 -> 24: over, the dealer never draws
  bust.reset(0);
  bust.step(TwentyOne::kHit);
  step = bust.step(TwentyOne::kHit);
  EXPECT_TRUE(step.done);
  EXPECT_EQ(step.reward, -1.0f);
  EXPECT_EQ(bust.dealer_total(), 5);

  TwentyOne exact;
  exact.stack_cards(
      {10, 10, 10, 1});  // 10, hit 10 -> 20; hit 1 -> 21 stands by itself; dealer 10 stays
  exact.reset(0);
  exact.step(TwentyOne::kHit);
  step = exact.step(TwentyOne::kHit);
  EXPECT_TRUE(step.done);
  EXPECT_EQ(exact.legal_actions().size(), 0u);
  EXPECT_EQ(step.reward, 1.0f);

  TwentyOne tie;
  tie.stack_cards({10, 10, 8, 8});  // player 18 stands; dealer 10 + 8 = 18: a tie
  tie.reset(0);
  tie.step(TwentyOne::kHit);
  EXPECT_EQ(tie.step(TwentyOne::kStand).reward, 0.0f);
}

// The exact values: standing on 21 against a dealer's 10 wins unless the dealer reaches 21
// too; and the optimal strategy's expected score, computed by dynamic programming, matches
// the expert's average over 100000 random hands within three standard errors.
TEST(TwentyOne, OptimalStrategyIsExactAndTheExpertPlaysIt) {
  EXPECT_GT(TwentyOne::stand_value(21, 10), 0.8);
  EXPECT_LT(TwentyOne::stand_value(21, 10), 1.0);
  EXPECT_DOUBLE_EQ(TwentyOne::stand_value(22, 5), -1.0);
  // Hitting 11 can never go over, so it beats standing on 11 against any card.
  for (int dealer = 1; dealer <= 10; ++dealer) {
    EXPECT_GT(TwentyOne::hit_value(11, dealer), TwentyOne::stand_value(11, dealer));
  }
  const double exact = TwentyOne::optimal_expected_score();
  double sum = 0, sum_squares = 0;
  const int hands = 100000;
  for (int i = 0; i < hands; ++i) {
    TwentyOne game;
    game.reset(static_cast<std::uint64_t>(i));
    float reward = 0;
    while (!game.is_terminal()) reward = game.step(*game.expert_action()).reward;
    sum += reward;
    sum_squares += reward * reward;
  }
  const double mean = sum / hands;
  const double error = std::sqrt((sum_squares / hands - mean * mean) / hands);
  EXPECT_NEAR(mean, exact, 3 * error) << "exact " << exact;
}

}  // namespace
}  // namespace muzero
