#include "games/cartpole.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace muzero {

std::vector<float> CartPole::reset(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-0.05, 0.05);
  for (double& v : state_) v = uniform(rng);
  steps_ = 0;
  done_ = false;
  return observation();
}

StepResult CartPole::step(Action action) {
  if (done_) throw std::logic_error("CartPole::step called on a finished episode");
  if (action != 0 && action != 1) throw std::invalid_argument("CartPole action must be 0 or 1");
  auto& [x, x_dot, theta, theta_dot] = state_;
  constexpr double total_mass = kCartMass + kPoleMass;
  constexpr double pole_mass_length = kPoleMass * kPoleHalfLength;
  const double force = action == 1 ? kForce : -kForce;
  const double cos_theta = std::cos(theta);
  const double sin_theta = std::sin(theta);
  const double temp = (force + pole_mass_length * theta_dot * theta_dot * sin_theta) / total_mass;
  const double theta_acc =
      (kGravity * sin_theta - cos_theta * temp) /
      (kPoleHalfLength * (4.0 / 3.0 - kPoleMass * cos_theta * cos_theta / total_mass));
  const double x_acc = temp - pole_mass_length * theta_acc * cos_theta / total_mass;
  x += kTau * x_dot;
  x_dot += kTau * x_acc;
  theta += kTau * theta_dot;
  theta_dot += kTau * theta_acc;
  ++steps_;
  const bool failed = x < -kXLimit || x > kXLimit || theta < -kThetaLimit || theta > kThetaLimit;
  done_ = failed || steps_ >= kMaxSteps;
  return {observation(), 1.0f, done_, !failed && done_};
}

std::vector<float> CartPole::observation() const {
  return {static_cast<float>(state_[0]), static_cast<float>(state_[1]),
          static_cast<float>(state_[2]), static_cast<float>(state_[3])};
}

std::string CartPole::render() const {
  std::ostringstream out;
  out << "step " << steps_ << "  x=" << state_[0] << " x_dot=" << state_[1]
      << " theta=" << state_[2] << " theta_dot=" << state_[3] << "\n";
  return out.str();
}

std::string CartPole::action_to_string(Action action) const {
  return action == 0 ? "left" : "right";
}

std::optional<Action> CartPole::action_from_string(std::string_view text) const {
  if (text == "0" || text == "left") return 0;
  if (text == "1" || text == "right") return 1;
  return std::nullopt;
}

}  // namespace muzero
