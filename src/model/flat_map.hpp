// The object type of a document's JSON: a vector of (key, value) kept sorted by key. It
// has what nlohmann::basic_json needs of its ObjectType and the order and equality of the
// default std::map, in less memory: one allocation per object instead of one per member.
// parse_document() builds each at its exact size.
#pragma once

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace reddalert::model {

template <class Key, class T, class Compare = std::less<>, class IgnoredAllocator = void>
class FlatMap : public std::vector<std::pair<Key, T>> {
  using Base = std::vector<std::pair<Key, T>>;

 public:
  using key_type = Key;
  using mapped_type = T;
  using value_type = std::pair<Key, T>;
  using key_compare = Compare;
  using typename Base::const_iterator;
  using typename Base::iterator;
  using typename Base::size_type;

  FlatMap() = default;
  template <class It>
  FlatMap(It first, It last) {
    insert(first, last);
  }
  FlatMap(std::initializer_list<value_type> init) { insert(init.begin(), init.end()); }

  template <class K>
  iterator find(const K& key) {
    const auto it = lower_bound(key);
    return it != this->end() && !Compare{}(key, it->first) ? it : this->end();
  }
  template <class K>
  const_iterator find(const K& key) const {
    const auto it = lower_bound(key);
    return it != this->end() && !Compare{}(key, it->first) ? it : this->end();
  }
  template <class K>
  size_type count(const K& key) const {
    return find(key) == this->end() ? 0 : 1;
  }

  // Inserts unless the key is there; keys arriving in order (most documents) append.
  template <class K, class V>
  std::pair<iterator, bool> emplace(K&& key, V&& value) {
    const auto it = lower_bound(key);
    if (it != this->end() && !Compare{}(key, it->first)) return {it, false};
    return {Base::emplace(it, std::forward<K>(key), std::forward<V>(value)), true};
  }
  template <class K>
  T& operator[](K&& key) {
    return emplace(std::forward<K>(key), T{}).first->second;
  }
  template <class K>
  const T& operator[](const K& key) const {
    return at(key);
  }
  template <class K>
  T& at(const K& key) {
    const auto it = find(key);
    if (it == this->end()) throw std::out_of_range("FlatMap::at: no such key");
    return it->second;
  }
  template <class K>
  const T& at(const K& key) const {
    const auto it = find(key);
    if (it == this->end()) throw std::out_of_range("FlatMap::at: no such key");
    return it->second;
  }

  using Base::erase;
  template <class K, std::enable_if_t<!std::is_convertible_v<K, const_iterator>, int> = 0>
  size_type erase(const K& key) {
    const auto it = find(key);
    if (it == this->end()) return 0;
    Base::erase(it);
    return 1;
  }

  std::pair<iterator, bool> insert(const value_type& v) { return emplace(v.first, v.second); }
  std::pair<iterator, bool> insert(value_type&& v) { return emplace(std::move(v.first), std::move(v.second)); }
  template <class It>
  void insert(It first, It last) {
    for (; first != last; ++first) insert(*first);
  }

 private:
  template <class K>
  iterator lower_bound(const K& key) {
    return std::lower_bound(this->begin(), this->end(), key,
                            [](const value_type& e, const K& k) { return Compare{}(e.first, k); });
  }
  template <class K>
  const_iterator lower_bound(const K& key) const {
    return std::lower_bound(this->begin(), this->end(), key,
                            [](const value_type& e, const K& k) { return Compare{}(e.first, k); });
  }
};

}  // namespace reddalert::model
