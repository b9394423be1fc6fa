#include "trainer/trainer.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "trainer/bootstrap_values.h"
#include "trainer/loss.h"

namespace muzero {

Trainer::Trainer(std::shared_ptr<MuZeroNetwork> network, TrainParams params, torch::Device device)
    : network_(std::move(network)), params_(std::move(params)), device_(device) {
  network_->to(device_);
  network_->train();
  if (params_.optimizer == "adam") {
    optimizer_ = std::make_unique<torch::optim::Adam>(
        network_->parameters(),
        torch::optim::AdamOptions(params_.lr_init).weight_decay(params_.weight_decay));
  } else if (params_.optimizer == "sgd") {
    optimizer_ = std::make_unique<torch::optim::SGD>(network_->parameters(),
                                                     torch::optim::SGDOptions(params_.lr_init)
                                                         .momentum(params_.momentum)
                                                         .weight_decay(params_.weight_decay));
  } else {
    throw std::invalid_argument("unknown optimizer '" + params_.optimizer + "' (adam or sgd)");
  }
}

Trainer::~Trainer() = default;

double Trainer::learning_rate() const {
  return params_.lr_init *
         std::pow(params_.lr_decay_rate, static_cast<double>(steps_) / params_.lr_decay_steps);
}

TrainStepResult Trainer::train_step(const Batch& batch) {
  if (!batch.bootstrap_rows.empty()) {
    Batch completed = batch;
    add_bootstrap_values(*network_, completed, device_);
    return train_step_on(completed);
  }
  return train_step_on(batch);
}

TrainStepResult Trainer::train_step_on(const Batch& batch) {
  const double lr = learning_rate();
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(lr);
  network_->train();
  LossTerms terms = muzero_loss(*network_, batch,
                                {params_.value_loss_weight, params_.consistency_loss_weight,
                                 params_.lookahead_reward_loss_weight},
                                device_);
  // Every reported scalar in one transfer to the host (one sync on a GPU), before backward
  // so that a non-finite loss is skipped.
  const torch::Tensor reported = torch::stack({terms.total.detach(), terms.value, terms.reward,
                                               terms.policy, terms.consistency, terms.lookahead})
                                     .to(torch::kCPU, torch::kDouble);
  const double* scalars = reported.data_ptr<double>();
  TrainStepResult result;
  result.learning_rate = lr;
  result.total_loss = scalars[0];
  if (!std::isfinite(result.total_loss)) {
    result.skipped = true;
    return result;
  }
  optimizer_->zero_grad();
  terms.total.backward();
  optimizer_->step();
  ++steps_;

  result.value_loss = scalars[1];
  result.reward_loss = scalars[2];
  result.policy_loss = scalars[3];
  result.consistency_loss = scalars[4];
  result.lookahead_loss = scalars[5];
  const torch::Tensor errors = terms.value_errors.to(torch::kCPU).contiguous();
  result.value_errors.assign(errors.data_ptr<float>(), errors.data_ptr<float>() + errors.numel());
  return result;
}

void Trainer::save_checkpoint(const std::string& path, const std::string& config_yaml) const {
  write_checkpoint(path, config_yaml, steps_, *network_, optimizer_.get());
}

CheckpointInfo Trainer::load_checkpoint(const std::string& path) {
  const CheckpointInfo info = read_checkpoint_info(path);
  load_checkpoint_weights(path, *network_);
  load_checkpoint_optimizer(path, *optimizer_);
  steps_ = static_cast<long>(info.training_step);
  network_->to(device_);
  return info;
}

}  // namespace muzero
