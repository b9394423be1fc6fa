#pragma once
// Saving a file so that no failure can destroy the previous one: the data go to PATH.tmp, every
// write is checked, the file is flushed to disk (fsync) and only then renamed over PATH, and the
// directory is synced so that the rename survives a power cut. A full disk, a read-only file
// system or a crash at any point leaves PATH as it was.
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace muzero {

// what(): "cannot save PATH: No space left on device" (the system's words for errno).
class FileWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AtomicFileWriter {
 public:
  // Creates PATH.tmp with `mode` (0600 for secrets); throws FileWriteError.
  explicit AtomicFileWriter(std::filesystem::path path, mode_t mode = 0644);
  ~AtomicFileWriter();  // an uncommitted temporary file is removed
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(const void* data, std::size_t size);  // buffered; throws FileWriteError
  void write(std::string_view data) { write(data.data(), data.size()); }
  // Flushes, syncs and renames into place; throws FileWriteError, PATH then unchanged.
  void commit();

 private:
  void flush();
  [[noreturn]] void fail(const char* step, int error);

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  std::vector<char> buffer_;
  bool committed_ = false;
};

void write_file_atomically(const std::filesystem::path& path, std::string_view data,
                           mode_t mode = 0644);

}  // namespace muzero
