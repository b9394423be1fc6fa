#include "trainer/trainer.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

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
  const double lr = learning_rate();
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(lr);
  network_->train();
  LossTerms terms = muzero_loss(*network_, batch, params_.value_loss_weight, device_);
  optimizer_->zero_grad();
  terms.total.backward();
  optimizer_->step();
  ++steps_;

  TrainStepResult result;
  result.total_loss = terms.total.item<double>();
  result.value_loss = terms.value.item<double>();
  result.reward_loss = terms.reward.item<double>();
  result.policy_loss = terms.policy.item<double>();
  result.learning_rate = lr;
  const torch::Tensor errors = terms.value_errors.to(torch::kCPU).contiguous();
  result.value_errors.assign(errors.data_ptr<float>(), errors.data_ptr<float>() + errors.numel());
  return result;
}

void Trainer::save_checkpoint(const std::string& path) const {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive network_archive;
  network_->save(network_archive);
  archive.write("network", network_archive);
  torch::serialize::OutputArchive optimizer_archive;
  optimizer_->save(optimizer_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("steps", torch::tensor(static_cast<int64_t>(steps_)));
  const std::string temporary = path + ".tmp";
  archive.save_to(temporary);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("could not move checkpoint into place at " + path);
  }
}

void Trainer::load_checkpoint(const std::string& path) {
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    torch::serialize::InputArchive network_archive;
    archive.read("network", network_archive);
    network_->load(network_archive);
    torch::serialize::InputArchive optimizer_archive;
    archive.read("optimizer", optimizer_archive);
    optimizer_->load(optimizer_archive);
    torch::Tensor steps;
    archive.read("steps", steps);
    steps_ = steps.item<int64_t>();
  } catch (const c10::Error& error) {
    throw std::runtime_error("cannot load checkpoint " + path + ": " +
                             error.what_without_backtrace());
  }
  network_->to(device_);
}

}  // namespace muzero
