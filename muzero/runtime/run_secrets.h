#pragma once
// The run's secrets in its directory: RUN_DIR/token (the secret and the certificate's
// fingerprint, mode 0600), RUN_DIR/tls.crt and RUN_DIR/tls.key (0600), made when a run starts
// and kept when it resumes, and the private directory of its Unix sockets (0700).
#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>

#include "muzero/ipc/run_token.h"

namespace muzero {

// For `muzero train`: makes the secrets of a new run, or checks those of a resumed one (a token
// whose certificate is missing or another is refused). Throws TokenError or FileWriteError.
RunToken prepare_run_secrets(const std::filesystem::path& run_dir);

// For `muzero train --secrets DIR`: copies secrets made ahead (`muzero secrets`) into a new run,
// or checks that a resumed run has the same token. Throws TokenError or FileWriteError.
void import_run_secrets(const std::filesystem::path& from, const std::filesystem::path& run_dir);

// For the run's processes. Throws TokenError naming the file.
RunToken load_run_token(const std::filesystem::path& run_dir);
std::shared_ptr<boost::asio::ssl::context> load_server_tls(const std::filesystem::path& run_dir);

// Creates `directory` with mode 0700, or checks that an existing one is a real directory of
// this user that nobody else can enter; throws std::runtime_error otherwise.
void ensure_private_directory(const std::filesystem::path& directory);

}  // namespace muzero
