#include "eval/interval_set.hpp"

#include <algorithm>

namespace reddalert::eval {

MembershipSet::MembershipSet(const Value& list) {
  list.each([&](const Value& e) {
    switch (e.kind) {
      case Kind::Number: numbers_.push_back({e.num, e.num}); break;
      case Kind::Range:
        numbers_.push_back(*e.range);
        others_.push_back(e);  // a range on the left matches an equal range
        break;
      case Kind::String: strings_.emplace_back(e.str()); break;
      default: others_.push_back(e);
    }
    return true;
  });
  std::sort(numbers_.begin(), numbers_.end(), [](const Range& a, const Range& b) { return a.lo < b.lo; });
  std::vector<Range> merged;
  for (const Range& r : numbers_) {
    if (!merged.empty() && r.lo <= merged.back().hi) {
      merged.back().hi = std::max(merged.back().hi, r.hi);
    } else {
      merged.push_back(r);
    }
  }
  numbers_ = std::move(merged);
  std::sort(strings_.begin(), strings_.end());
  strings_.erase(std::unique(strings_.begin(), strings_.end()), strings_.end());
}

bool MembershipSet::contains(const Value& x) const {
  switch (x.kind) {
    case Kind::Null: return false;
    case Kind::Number: {
      const double d = x.num;
      auto it =
          std::upper_bound(numbers_.begin(), numbers_.end(), d, [](double v, const Range& r) { return v < r.lo; });
      return it != numbers_.begin() && d <= std::prev(it)->hi;
    }
    case Kind::String: return std::binary_search(strings_.begin(), strings_.end(), x.str(), std::less<>());
    default: return std::any_of(others_.begin(), others_.end(), [&](const Value& o) { return equal(o, x); });
  }
}

std::string MembershipSet::describe() const {
  return std::to_string(numbers_.size()) + " intervals, " + std::to_string(strings_.size()) + " strings";
}

IpSet::IpSet(const Value& list) {
  list.each([&](const Value& e) {
    if (e.kind != Kind::String) {
      error_ = "`within` needs CIDR strings, found a " + std::string(kind_name(e.kind));
      return false;
    }
    const auto r = base::parse_ip_range(e.str());
    if (!r) {
      error_ = "invalid CIDR \"" + std::string(e.str()) + "\"";
      return false;
    }
    ranges_.push_back(*r);
    return true;
  });
  using base::IpRange;
  std::sort(ranges_.begin(), ranges_.end(), [](const IpRange& a, const IpRange& b) {
    return a.family != b.family ? a.family < b.family : a.lo < b.lo;
  });
  std::vector<IpRange> merged;
  for (const IpRange& r : ranges_) {
    if (!merged.empty() && merged.back().family == r.family &&
        (r.lo <= merged.back().hi || r.lo - 1 == merged.back().hi)) {
      merged.back().hi = std::max(merged.back().hi, r.hi);
    } else {
      merged.push_back(r);
    }
  }
  ranges_ = std::move(merged);
}

bool IpSet::contains(const base::IpRange& r) const {
  using base::IpRange;
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), r, [](const IpRange& v, const IpRange& e) {
    return v.family != e.family ? v.family < e.family : v.lo < e.lo;
  });
  if (it == ranges_.begin()) return false;
  return std::prev(it)->contains(r);
}

std::string IpSet::describe() const { return std::to_string(ranges_.size()) + " merged CIDR intervals"; }

}  // namespace reddalert::eval
