#include "trainer/trainer.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "trainer/bootstrap_values.h"
#include "trainer/loss.h"

namespace muzero {

Trainer::Trainer(std::shared_ptr<MuZeroNetwork> network, TrainParams params, torch::Device device,
                 std::shared_ptr<MuZeroNetwork> target_network)
    : network_(std::move(network)),
      target_network_(std::move(target_network)),
      params_(std::move(params)),
      device_(device) {
  if (params_.target_update_interval < 0) {
    throw std::invalid_argument("target_update_interval must be 0 or more");
  }
  if (params_.target_update_interval == 0) target_network_.reset();
  if (params_.target_update_interval > 0 && !target_network_) {
    throw std::invalid_argument("target_update_interval needs a target network");
  }
  network_->to(device_);
  network_->train();
  if (target_network_) {
    target_network_->to(device_);
    target_network_->eval();
    refresh_target_network();
  }
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

void Trainer::refresh_target_network() {
  if (!target_network_) return;
  torch::NoGradGuard no_gradient;
  const auto from = network_->named_parameters(), to = target_network_->named_parameters();
  const auto from_buffers = network_->named_buffers(),
             to_buffers = target_network_->named_buffers();
  if (from.size() != to.size() || from_buffers.size() != to_buffers.size()) {
    throw std::invalid_argument("the target network's architecture differs from the network's");
  }
  for (const auto& item : from) to[item.key()].copy_(item.value());
  for (const auto& item : from_buffers) to_buffers[item.key()].copy_(item.value());
}

double Trainer::learning_rate() const {
  return params_.lr_init *
         std::pow(params_.lr_decay_rate, static_cast<double>(steps_) / params_.lr_decay_steps);
}

TrainStepResult Trainer::train_step(const Batch& batch) {
  if (!batch.bootstrap_rows.empty()) {
    Batch completed = batch;
    add_bootstrap_values(bootstrap_network(), completed, device_);
    return finish_step(train_step_on(completed));
  }
  return finish_step(train_step_on(batch));
}

TrainStepResult Trainer::finish_step(TrainStepResult result) {
  if (target_network_ && !result.skipped && steps_ % params_.target_update_interval == 0) {
    refresh_target_network();
  }
  return result;
}

TrainStepResult Trainer::train_step_on(const Batch& batch) {
  const double lr = learning_rate();
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(lr);
  network_->train();
  LossTerms terms =
      muzero_loss(*network_, batch,
                  {params_.value_loss_weight, params_.consistency_loss_weight,
                   params_.lookahead_reward_loss_weight, params_.all_moves_consistency_loss_weight},
                  device_);
  // Every reported scalar in one transfer to the host (one sync on a GPU), before backward
  // so that a non-finite loss is skipped.
  const torch::Tensor reported =
      torch::stack({terms.total.detach(), terms.value, terms.reward, terms.policy,
                    terms.consistency, terms.lookahead, terms.all_moves_consistency})
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
  result.all_moves_consistency_loss = scalars[6];
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
  refresh_target_network();  // not saved: a resumed run starts it from the trained weights
  return info;
}

}  // namespace muzero
