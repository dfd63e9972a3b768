#include "model/keys.hpp"

#include <array>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/hash.hpp"

namespace reddalert::model {

namespace {

// Names are stored once and never move; the id -> name table grows in fixed chunks that
// readers reach without a lock (a chunk pointer is published before any id in it).
class KeyTable {
 public:
  static constexpr std::size_t kChunk = 4096;
  static constexpr std::size_t kChunks = 65536;

  Key intern(std::string_view name) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (const auto it = ids_.find(name); it != ids_.end()) return it->second;
    if (count_ == kChunk * kChunks) throw std::length_error("too many distinct field names");
    const std::string& stored = storage_.emplace_back(name);
    const std::size_t chunk = count_ / kChunk;
    if (names_[chunk].load(std::memory_order_relaxed) == nullptr) {
      owned_.push_back(std::make_unique<std::string_view[]>(kChunk));
      names_[chunk].store(owned_.back().get(), std::memory_order_release);
    }
    names_[chunk].load(std::memory_order_relaxed)[count_ % kChunk] = stored;
    const Key id = static_cast<Key>(count_++);
    ids_.emplace(stored, id);
    return id;
  }

  std::optional<Key> find(std::string_view name) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = ids_.find(name);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }

  std::string_view name(Key key) const { return names_[key / kChunk].load(std::memory_order_acquire)[key % kChunk]; }

 private:
  std::mutex mutex_;
  std::deque<std::string> storage_;
  std::unordered_map<std::string_view, Key> ids_;
  std::vector<std::unique_ptr<std::string_view[]>> owned_;
  std::array<std::atomic<std::string_view*>, kChunks> names_{};
  std::size_t count_ = 0;
};

KeyTable& table() {
  static KeyTable* t = new KeyTable();  // never destroyed: ids are used until exit
  return *t;
}

// A small per-thread cache in front of the table: documents repeat the same few hundred
// names millions of times.
struct CacheEntry {
  std::uint64_t hash = 0;
  std::string_view name;
  Key key = 0;
};
constexpr std::size_t kCacheSize = 1024;

}  // namespace

Key intern_key(std::string_view name) {
  thread_local std::array<CacheEntry, kCacheSize> cache{};
  const std::uint64_t h = base::hash_bytes(name);
  CacheEntry& e = cache[h & (kCacheSize - 1)];
  if (e.hash == h && e.name == name && e.name.data() != nullptr) return e.key;
  const Key k = table().intern(name);
  e = {h, table().name(k), k};
  return k;
}

std::optional<Key> find_key(std::string_view name) { return table().find(name); }

std::string_view key_name(Key key) { return table().name(key); }

}  // namespace reddalert::model
