// A bump allocator: memory is handed out from large chunks and given back all at once, or
// back to a mark. Documents live in one arena per collection; evaluation allocates every
// value it computes in the arena of the binding being evaluated and releases it when the
// binding is done, so steady-state evaluation calls malloc only to grow a chunk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace reddalert::base {

// Thrown when an arena with a limit would grow past it (a hostile policy building ever
// longer strings); the evaluator reports it as a run-time problem.
struct ArenaLimit {
  std::size_t limit;
};

class Arena {
 public:
  explicit Arena(std::size_t chunk_bytes = std::size_t{64} << 10) : chunk_bytes_(chunk_bytes) {}
  ~Arena();
  Arena(Arena&& other) noexcept;
  Arena& operator=(Arena&& other) noexcept;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // `bytes` of uninitialised memory aligned to `align` (a power of two, at most 16).
  void* allocate(std::size_t bytes, std::size_t align = 8) {
    auto p = reinterpret_cast<std::uintptr_t>(cursor_);
    const std::uintptr_t aligned = (p + (align - 1)) & ~static_cast<std::uintptr_t>(align - 1);
    if (cursor_ != nullptr && aligned + bytes <= reinterpret_cast<std::uintptr_t>(end_)) {
      used_ += aligned + bytes - p;
      cursor_ = reinterpret_cast<char*>(aligned + bytes);
      return reinterpret_cast<void*>(aligned);
    }
    return allocate_slow(bytes, align);
  }
  // `n` uninitialised objects of a trivially copyable type.
  template <class T>
  T* array(std::size_t n) {
    return static_cast<T*>(allocate(n * sizeof(T), alignof(T) < 8 ? 8 : alignof(T)));
  }
  // A copy of `s`, not NUL-terminated; stable for the arena's life (or until a release).
  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  struct Mark {
    std::size_t chunk = 0;
    char* cursor = nullptr;
    std::size_t used = 0;
  };
  Mark mark() const { return {current_, cursor_, used_}; }
  // Gives back everything allocated since `m`; the chunks are kept for reuse.
  void release(const Mark& m);
  // Gives back everything.
  void reset() { release(Mark{}); }

  // Bytes handed out since construction or the last release.
  std::size_t used() const { return used_; }
  // Bytes held from the system.
  std::size_t reserved() const;
  // Allocations past `bytes` (counted from the last reset) throw ArenaLimit; 0: no limit.
  void set_limit(std::size_t bytes) { limit_ = bytes; }

 private:
  struct Chunk {
    char* begin;
    char* end;
  };
  void* allocate_slow(std::size_t bytes, std::size_t align);
  void free_all();

  std::vector<Chunk> chunks_;
  std::size_t current_ = 0;  // index of the chunk cursor_ points into
  char* cursor_ = nullptr;
  char* end_ = nullptr;
  std::size_t used_ = 0;
  std::size_t limit_ = 0;
  std::size_t chunk_bytes_;
};

}  // namespace reddalert::base
