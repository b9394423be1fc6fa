#pragma once
// The secret of a training run. Every connection to the run's storage and replay buffer proves
// that it holds it (handshake.h), and over TCP the token also pins the run's own TLS certificate
// (tls.h), so that a worker talks only to its run. One line of text, which a user copies to
// another machine as a file (`muzero worker --token-file FILE`) or in MUZERO_TOKEN:
//   muzero-token-1:<secret, 64 hex digits>:<SHA-256 of the run's certificate, 64 hex digits>
#include <array>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace muzero {

constexpr std::size_t kTokenSecretBytes = 32;
constexpr const char* kTokenEnvironmentVariable = "MUZERO_TOKEN";

class TokenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunToken {
  std::array<std::uint8_t, kTokenSecretBytes> secret{};
  std::array<std::uint8_t, 32> certificate_sha256{};

  std::string to_text() const;
  // Throws TokenError saying what is wrong (never echoing the text, which may hold a secret).
  static RunToken from_text(const std::string& text);
};

// A new secret from the system's cryptographic random generator (OpenSSL's RAND_bytes).
std::array<std::uint8_t, kTokenSecretBytes> random_secret();

// Writes the token with mode 0600; throws FileWriteError.
void write_token_file(const std::filesystem::path& path, const RunToken& token);
// Reads a token file; throws TokenError naming the file and the problem (missing, readable by
// others than its owner, malformed).
RunToken read_token_file(const std::filesystem::path& path);
// `muzero worker`: the file when one is named, else MUZERO_TOKEN; throws TokenError when neither.
RunToken token_from_file_or_environment(const std::string& path);

}  // namespace muzero
