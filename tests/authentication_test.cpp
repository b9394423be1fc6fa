// The handshake's proofs, the run token, and who may change which counter.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "muzero/ipc/counters.h"
#include "muzero/ipc/handshake.h"
#include "muzero/ipc/run_token.h"
#include "muzero/ipc/wire.h"

namespace muzero {
namespace {

Secret secret_of(std::uint8_t fill) {
  Secret secret;
  secret.fill(fill);
  return secret;
}

// A proof is an HMAC of the secret over both nonces and the role: a proof seen on one
// connection is worthless on another, for another role, or in the other direction.
TEST(Handshake, ProofsAreHmacSha256OfTheNoncesAndRole) {
  const Secret secret = secret_of(1);
  const Nonce a = random_nonce(), b = random_nonce();
  EXPECT_NE(a, b);
  const Proof client = client_proof(secret, a, b, PeerRole::kSelfPlay);
  EXPECT_TRUE(proofs_equal(client, client_proof(secret, a, b, PeerRole::kSelfPlay)));
  // Each input matters, and a client's proof is never a server's (no reflection).
  EXPECT_FALSE(proofs_equal(client, server_proof(secret, a, b, PeerRole::kSelfPlay)));
  EXPECT_FALSE(proofs_equal(client, client_proof(secret_of(2), a, b, PeerRole::kSelfPlay)));
  EXPECT_FALSE(proofs_equal(client, client_proof(secret, b, a, PeerRole::kSelfPlay)));
  EXPECT_FALSE(proofs_equal(client, client_proof(secret, a, b, PeerRole::kTrainer)));
}

TEST(Handshake, MessagesRoundTripAndRefuseOtherSizes) {
  const Nonce nonce = random_nonce();
  EXPECT_EQ(decode_hello(encode_hello(nonce)), nonce);
  const AuthRequest request{PeerRole::kTest, random_nonce(),
                            client_proof(secret_of(3), nonce, nonce, PeerRole::kTest)};
  const AuthRequest back = decode_auth_request(encode_auth_request(request));
  EXPECT_EQ(back.role, PeerRole::kTest);
  EXPECT_EQ(back.client_nonce, request.client_nonce);
  EXPECT_EQ(back.proof, request.proof);
  std::vector<std::byte> unknown_role = encode_auth_request(request);
  unknown_role[0] = std::byte{0};
  EXPECT_THROW(decode_auth_request(unknown_role), DecodeError);
  std::vector<std::byte> longer = encode_auth_request(request);
  longer.push_back(std::byte{0});
  EXPECT_THROW(decode_auth_request(longer), DecodeError);
  EXPECT_THROW(decode_hello(std::vector<std::byte>(31)), DecodeError);
  EXPECT_THROW(decode_auth_reply(std::vector<std::byte>(33)), DecodeError);
}

TEST(RunToken, RoundTripsAsTextAndRefusesMalformedTokens) {
  RunToken token;
  token.secret = random_secret();
  token.certificate_sha256.fill(0xAB);
  const std::string text = token.to_text();
  EXPECT_EQ(text.rfind("muzero-token-1:", 0), 0u);
  EXPECT_EQ(text.size(), 15u + 64 + 1 + 64);
  const RunToken back = RunToken::from_text(text + "\n");
  EXPECT_EQ(back.secret, token.secret);
  EXPECT_EQ(back.certificate_sha256, token.certificate_sha256);
  EXPECT_THROW(RunToken::from_text("hunter2"), TokenError);
  EXPECT_THROW(RunToken::from_text(text.substr(0, 40)), TokenError);
  std::string not_hex = text;
  not_hex[20] = 'z';
  try {
    RunToken::from_text(not_hex);
    FAIL();
  } catch (const TokenError& error) {
    // Never echoes the text, which holds the secret.
    EXPECT_EQ(std::string(error.what()), "the token's secret is not hexadecimal");
  }
}

TEST(RunToken, AFileOthersCanReadIsRefused) {
  const auto path =
      std::filesystem::temp_directory_path() / ("muzero_token_test_" + std::to_string(getpid()));
  RunToken token;
  token.secret = random_secret();
  write_token_file(path, token);
  EXPECT_EQ(read_token_file(path).secret, token.secret);
  std::filesystem::permissions(path, std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  try {
    read_token_file(path);
    FAIL() << "read a token file that others can read";
  } catch (const TokenError& error) {
    EXPECT_NE(std::string(error.what()).find("chmod 600"), std::string::npos);
  }
  std::filesystem::remove(path);
  EXPECT_THROW(read_token_file(path), TokenError);
}

TEST(Counters, EachIsWrittenOnlyByItsOwnerWithFiniteValues) {
  using counters::refusal;
  EXPECT_EQ(refusal("training_step", false, 10, PeerRole::kTrainer), std::nullopt);
  EXPECT_EQ(refusal("played_games", true, 3, PeerRole::kSelfPlay), std::nullopt);
  EXPECT_EQ(refusal("test_rounds", true, 1, PeerRole::kTest), std::nullopt);
  // A worker that says training is done stopped self-play and left the trainer waiting forever.
  EXPECT_EQ(refusal("training_done", false, 1, PeerRole::kSelfPlay),
            "training_done is not the self_play's to change");
  EXPECT_EQ(refusal("weights_version", false, 1, PeerRole::kTrainer),
            "weights_version is not the trainer's to change");
  EXPECT_EQ(refusal("played_games", false, 0, PeerRole::kSelfPlay),
            "played_games is only added to");
  EXPECT_EQ(refusal("training_step", true, 1, PeerRole::kTrainer), "training_step is only set");
  EXPECT_EQ(refusal("played_steps", true, -5, PeerRole::kSelfPlay),
            "played_steps: a negative increment");
  EXPECT_EQ(refusal("total_loss", false, std::nan(""), PeerRole::kTrainer),
            "total_loss: a value that is not finite");
  EXPECT_EQ(
      refusal("total_loss", false, std::numeric_limits<double>::infinity(), PeerRole::kTrainer),
      "total_loss: a value that is not finite");
  EXPECT_EQ(refusal("odd\nname 1\ntraining_step", false, 0, PeerRole::kTrainer),
            "an unknown counter (24 bytes)");
  EXPECT_EQ(refusal("", false, 0, PeerRole::kSupervisor), "an unknown counter (0 bytes)");
  for (const counters::Rule& rule : counters::rules()) {
    EXPECT_NE(refusal(rule.name, rule.additive, 1, PeerRole::kSupervisor), std::nullopt)
        << "the supervisor only reads";
  }
}

}  // namespace
}  // namespace muzero
