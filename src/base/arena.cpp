#include "base/arena.hpp"

#include <cstdlib>
#include <new>
#include <utility>

namespace reddalert::base {

Arena::~Arena() { free_all(); }

Arena::Arena(Arena&& other) noexcept
    : chunks_(std::move(other.chunks_)),
      current_(other.current_),
      cursor_(other.cursor_),
      end_(other.end_),
      used_(other.used_),
      limit_(other.limit_),
      chunk_bytes_(other.chunk_bytes_) {
  other.chunks_.clear();
  other.current_ = 0;
  other.cursor_ = other.end_ = nullptr;
  other.used_ = 0;
}

Arena& Arena::operator=(Arena&& other) noexcept {
  if (this != &other) {
    free_all();
    chunks_ = std::move(other.chunks_);
    current_ = other.current_;
    cursor_ = other.cursor_;
    end_ = other.end_;
    used_ = other.used_;
    limit_ = other.limit_;
    chunk_bytes_ = other.chunk_bytes_;
    other.chunks_.clear();
    other.current_ = 0;
    other.cursor_ = other.end_ = nullptr;
    other.used_ = 0;
  }
  return *this;
}

void Arena::free_all() {
  for (const Chunk& c : chunks_) std::free(c.begin);
  chunks_.clear();
}

void* Arena::allocate_slow(std::size_t bytes, std::size_t align) {
  if (limit_ != 0 && used_ + bytes > limit_) throw ArenaLimit{limit_};
  // The next kept chunk that fits, else a new one placed right after the current chunk.
  std::size_t next = cursor_ == nullptr ? 0 : current_ + 1;
  for (; next < chunks_.size(); ++next) {
    const Chunk& c = chunks_[next];
    if (static_cast<std::size_t>(c.end - c.begin) >= bytes + align) break;
  }
  if (next == chunks_.size()) {
    const std::size_t size = bytes + align > chunk_bytes_ ? bytes + align : chunk_bytes_;
    char* p = static_cast<char*>(std::malloc(size));
    if (p == nullptr) throw std::bad_alloc();
    next = cursor_ == nullptr ? 0 : current_ + 1;
    chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(next), Chunk{p, p + size});
  }
  // Space skipped at the end of the chunk left behind counts as used until a release.
  if (cursor_ != nullptr) used_ += static_cast<std::size_t>(end_ - cursor_);
  current_ = next;
  cursor_ = chunks_[next].begin;
  end_ = chunks_[next].end;
  return allocate(bytes, align);
}

void Arena::release(const Mark& m) {
  if (m.cursor == nullptr) {
    current_ = 0;
    cursor_ = chunks_.empty() ? nullptr : chunks_[0].begin;
    end_ = chunks_.empty() ? nullptr : chunks_[0].end;
    used_ = 0;
    return;
  }
  current_ = m.chunk;
  cursor_ = m.cursor;
  end_ = chunks_[m.chunk].end;
  used_ = m.used;
}

std::size_t Arena::reserved() const {
  std::size_t n = 0;
  for (const Chunk& c : chunks_) n += static_cast<std::size_t>(c.end - c.begin);
  return n;
}

}  // namespace reddalert::base
