#include "muzero/persist/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace muzero {
namespace {

constexpr std::size_t kBufferSize = 1 << 16;

std::string reason(int error) {
  return std::strerror(error);
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::filesystem::path path, mode_t mode)
    : path_(std::move(path)), temporary_(path_.string() + ".tmp") {
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd_ < 0) fail("creating a temporary file beside it", errno);
  // An older temporary file keeps its mode through O_TRUNC: a secret must not stay readable.
  if (::fchmod(fd_, mode) != 0) fail("setting its mode", errno);
  buffer_.reserve(kBufferSize);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temporary_.c_str());
}

void AtomicFileWriter::fail(const char* step, int error) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(temporary_.c_str());
  committed_ = true;  // nothing left to remove
  throw FileWriteError("cannot save " + path_.string() + ": " + reason(error) + " (" + step +
                       "; the previous file, if any, is unchanged)");
}

void AtomicFileWriter::write(const void* data, std::size_t size) {
  if (fd_ < 0) throw FileWriteError("cannot save " + path_.string() + ": already failed");
  const char* bytes = static_cast<const char*>(data);
  if (buffer_.size() + size > kBufferSize) flush();
  if (size >= kBufferSize) {
    buffer_.assign(bytes, bytes + size);
    flush();
    return;
  }
  buffer_.insert(buffer_.end(), bytes, bytes + size);
}

void AtomicFileWriter::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("writing", n < 0 ? errno : EIO);
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void AtomicFileWriter::commit() {
  if (fd_ < 0) throw FileWriteError("cannot save " + path_.string() + ": already failed");
  flush();
  if (::fsync(fd_) != 0) fail("flushing to disk", errno);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) fail("closing", errno);
  if (::rename(temporary_.c_str(), path_.c_str()) != 0) fail("renaming into place", errno);
  committed_ = true;
  // The rename is durable only once the directory is synced; a failure here loses nothing.
  const std::filesystem::path directory =
      path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  AtomicFileWriter writer(path, mode);
  writer.write(data);
  writer.commit();
}

}  // namespace muzero
