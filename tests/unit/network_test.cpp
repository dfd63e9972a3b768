#include <gtest/gtest.h>

#include "eval/interval_set.hpp"
#include "eval/network.hpp"

namespace reddalert::eval {
namespace {

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
  const IpSet set(Value(List{Value("10.0.0.0/9"), Value("10.128.0.0/9"), Value("2001:db8::/32")}));
  ASSERT_TRUE(set.valid());
  EXPECT_TRUE(set.contains(*parse_ip_range("10.200.0.0/16")));
  EXPECT_TRUE(set.contains(*parse_ip_range("10.0.0.0/8")));  // only as the merge of two halves
  EXPECT_FALSE(set.contains(*parse_ip_range("11.0.0.1")));
  EXPECT_TRUE(set.contains(*parse_ip_range("2001:db8:1::/48")));
  EXPECT_FALSE(set.contains(*parse_ip_range("0.0.0.0/0")));
  EXPECT_FALSE(IpSet(Value(List{Value("nope")})).valid());
}

TEST(MembershipSet, NumbersRangesStrings) {
  const MembershipSet set(Value(List{Value(22), Value(Range{8000, 8100}), Value(Range{8050, 9000}), Value("tcp")}));
  EXPECT_TRUE(set.contains(Value(22)));
  EXPECT_TRUE(set.contains(Value(8999)));
  EXPECT_FALSE(set.contains(Value(23)));
  EXPECT_TRUE(set.contains(Value("tcp")));
  EXPECT_FALSE(set.contains(Value("udp")));
  EXPECT_FALSE(set.contains(Value()));
}

}  // namespace
}  // namespace reddalert::eval
