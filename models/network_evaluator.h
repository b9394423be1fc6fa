#pragma once
// An evaluator backed by a network whose parameters can be replaced: what self-play, the test
// worker, evaluate and play hold. One implementation per backend (LibTorch, native); the search
// still sees only the Evaluator interface.
#include <span>
#include <stdexcept>
#include <string>

#include "models/parameters.h"
#include "self_play/evaluator.h"

namespace muzero {

class NetworkEvaluator : public Evaluator {
 public:
  // Replaces the parameters. Throws ParametersError, leaving the evaluator as it was, for
  // parameters of another architecture.
  virtual void load(const Parameters& parameters) = 0;
  virtual std::string backend() const = 0;  // "native" or "torch"
  // Inference calls and the inferences they held, for the mean batch size.
  long calls() const { return calls_; }
  long inferences() const { return inferences_; }

 protected:
  void count_call(long batch) {
    ++calls_;
    inferences_ += batch;
  }
  // std::out_of_range unless every slot is in 0 .. capacity - 1.
  static void check_slots(std::span<const int> slots, int capacity) {
    for (int slot : slots) {
      if (slot < 0 || slot >= capacity) throw std::out_of_range("evaluator slot out of range");
    }
  }

 private:
  long calls_ = 0;
  long inferences_ = 0;
};

}  // namespace muzero
