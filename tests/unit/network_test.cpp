#include <gtest/gtest.h>

#include "base/ip.hpp"
#include "eval/interval_set.hpp"

namespace reddalert::eval {
namespace {

using base::format_ip_range;
using base::parse_ip_range;

// Values for the sets below, in an arena that lives as long as the test binary.
base::Arena& arena() {
  static base::Arena a;
  return a;
}
Value list(std::initializer_list<Value> items) {
  Value* out = arena().array<Value>(items.size());
  std::copy(items.begin(), items.end(), out);
  return Value::list(out, items.size());
}
Value num(double d) { return Value::number(d); }
Value str(std::string_view s) { return Value::string(arena().copy(s)); }
Value range(double lo, double hi) {
  Range* r = arena().array<Range>(1);
  *r = {lo, hi};
  Value v;
  v.kind = Kind::Range;
  v.range = r;
  return v;
}

TEST(Network, ParsesAndNormalises) {
  EXPECT_EQ(format_ip_range(*parse_ip_range("10.1.2.3/8")), "10.0.0.0/8");
  EXPECT_EQ(format_ip_range(*parse_ip_range("10.1.2.3")), "10.1.2.3/32");
  EXPECT_EQ(format_ip_range(*parse_ip_range("2001:DB8::1/32")), "2001:db8::/32");
  EXPECT_EQ(format_ip_range(*parse_ip_range("::/0")), "::/0");
  EXPECT_FALSE(parse_ip_range("10.0.0.0/33"));
  EXPECT_FALSE(parse_ip_range("10.0.0"));
  EXPECT_FALSE(parse_ip_range("::/129"));
  EXPECT_FALSE(parse_ip_range(""));
}

TEST(Network, FamiliesNeverContainEachOther) {
  EXPECT_FALSE(parse_ip_range("0.0.0.0/0")->contains(*parse_ip_range("::/0")));
  EXPECT_FALSE(parse_ip_range("::/0")->contains(*parse_ip_range("0.0.0.0/0")));
  EXPECT_TRUE(parse_ip_range("::/0")->contains(*parse_ip_range("2001:db8::1")));
}

TEST(IpSet, MergesAndContains) {
  const IpSet set(list({str("10.0.0.0/9"), str("10.128.0.0/9"), str("2001:db8::/32")}));
  ASSERT_TRUE(set.valid());
  EXPECT_TRUE(set.contains(*parse_ip_range("10.200.0.0/16")));
  EXPECT_TRUE(set.contains(*parse_ip_range("10.0.0.0/8")));  // only as the merge of two halves
  EXPECT_FALSE(set.contains(*parse_ip_range("11.0.0.1")));
  EXPECT_TRUE(set.contains(*parse_ip_range("2001:db8:1::/48")));
  EXPECT_FALSE(set.contains(*parse_ip_range("0.0.0.0/0")));
  EXPECT_FALSE(IpSet(list({str("nope")})).valid());
}

TEST(MembershipSet, NumbersRangesStrings) {
  const MembershipSet set(list({num(22), range(8000, 8100), range(8050, 9000), str("tcp")}));
  EXPECT_TRUE(set.contains(num(22)));
  EXPECT_TRUE(set.contains(num(8999)));
  EXPECT_FALSE(set.contains(num(23)));
  EXPECT_TRUE(set.contains(str("tcp")));
  EXPECT_FALSE(set.contains(str("udp")));
  EXPECT_FALSE(set.contains(Value()));
}

}  // namespace
}  // namespace reddalert::eval
