// Sorted sets built at compile time from constant lists, for `in` and `within`.
#pragma once

#include <string>
#include <vector>

#include "base/ip.hpp"
#include "eval/value.hpp"

namespace reddalert::eval {

// `x in [22, 443, 8000..8100, "tcp"]` as merged number intervals and sorted strings;
// elements of other kinds are compared one by one. The list's data must outlive the set.
class MembershipSet {
 public:
  explicit MembershipSet(const Value& list);
  bool contains(const Value& x) const;
  std::string describe() const;

 private:
  std::vector<Range> numbers_;  // merged, sorted
  std::vector<std::string> strings_;
  std::vector<Value> others_;
};

// `ip within ["10.0.0.0/8", ...]` as merged address intervals per family. Construction
// fails (returns false from valid()) when an element is not a CIDR.
class IpSet {
 public:
  explicit IpSet(const Value& list);
  bool valid() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool contains(const base::IpRange& r) const;
  std::string describe() const;

 private:
  std::vector<base::IpRange> ranges_;  // merged, sorted by (family, lo)
  std::string error_;
};

}  // namespace reddalert::eval
