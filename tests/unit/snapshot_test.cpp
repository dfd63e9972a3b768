// EDDA time semantics over envelopes (edda.md 2.3) and plain documents (cli.md 5).
#include <gtest/gtest.h>

#include "edda/snapshot.hpp"
#include "test_support.hpp"

namespace reddalert::testing {
namespace {

using json = model::Json;  // documents

json envelope(const std::string& id, long long stime, json ltime, json data) {
  return {{"id", id},       {"stime", stime},         {"ltime", ltime}, {"ctime", 1},
          {"mtime", stime}, {"tags", json::object()}, {"data", data}};
}

json users() {
  return json::array({
      envelope("alice", 100, 200, {{"name", "alice"}, {"groups", {"dev"}}}),
      envelope("alice", 200, nullptr, {{"name", "alice"}, {"groups", {"dev", "admins"}}}),
      envelope("bob", 50, 150, {{"name", "bob"}, {"groups", json::array()}}),
      envelope("carol", 250, nullptr, {{"name", "carol"}, {"groups", {"ops"}}}),
      envelope("dave", 10, 30, {{"name", "dave"}, {"groups", json::array()}}),
      envelope("dave", 30, nullptr, {{"name", "dave"}, {"groups", {"x"}}}),
  });
}

std::vector<std::string> names(const std::vector<const json*>& docs) {
  std::vector<std::string> out;
  for (const json* d : docs) out.push_back((*d)["name"].get<std::string>());
  return out;
}

TEST(Snapshot, TimeSemantics) {
  const auto s = edda::Snapshot::from_json({{"aws.iamUsers", users()}}, {120, 300});
  EXPECT_EQ(names(s->current("aws.iamUsers")), (std::vector<std::string>{"alice", "carol", "dave"}));
  EXPECT_EQ(names(s->changed("aws.iamUsers")), (std::vector<std::string>{"alice", "carol"}));
  ASSERT_NE(s->previous("aws.iamUsers", "alice"), nullptr);
  EXPECT_EQ((*s->previous("aws.iamUsers", "alice"))["groups"], json({"dev"}));
  EXPECT_NE(s->previous("aws.iamUsers", "bob"), nullptr);    // alive at since, gone by until
  EXPECT_EQ(s->previous("aws.iamUsers", "carol"), nullptr);  // created inside the window
  const json* alice = s->changed("aws.iamUsers")[0];
  ASSERT_NE(s->resource(alice), nullptr);
  EXPECT_EQ(s->resource(alice)->id, "alice");
}

TEST(Snapshot, ChangeInstantBelongsToTheNewRevision) {
  // At a change instant both revisions match EDDA's _at; the newer one wins.
  const auto s = edda::Snapshot::from_json({{"aws.iamUsers", users()}}, {200, 200});
  EXPECT_EQ((*s->current("aws.iamUsers")[0])["groups"], json({"dev", "admins"}));
  EXPECT_EQ((*s->previous("aws.iamUsers", "alice"))["groups"], json({"dev", "admins"}));
}

TEST(Snapshot, PlainDocumentsAreCurrentAndChangedWithoutHistory) {
  const json docs = json::array({{{"groupId", "sg-1"}}, {{"groupId", "sg-2"}}});
  const auto s = edda::Snapshot::from_json({{"aws.securityGroups", docs}}, {0, 10});
  EXPECT_EQ(s->current("aws.securityGroups").size(), 2U);
  EXPECT_EQ(s->changed("aws.securityGroups").size(), 2U);
  EXPECT_EQ(s->previous("aws.securityGroups", "sg-1"), nullptr);
  EXPECT_EQ(s->resource(s->current("aws.securityGroups")[1])->id, "sg-2");
}

TEST(Snapshot, PreviousDrivesTheIamRule) {
  const std::string policy = R"(reddalert 1
policy iam-groups {
  title "User added to a group"
  severity medium
  description "d"
  for u in changed aws.iamUsers
  let before = previous(u)
  let added = u.groups - (before.groups ?? [])
  where before == null or len(added) > 0
  alert u.name
  message "{if before == null then 'new user' else 'added to ' + join(added, ', ')}"
}
)";
  const json out = run_policies("iam.policy", policy, {{"aws.iamUsers", users()}}, 120, 300);
  ASSERT_FALSE(out.contains("lint")) << out;
  ASSERT_EQ(out["alerts"].size(), 2U) << out.dump(2);
  EXPECT_EQ(out["alerts"][0]["id"], "alice");
  EXPECT_EQ(out["alerts"][0]["messages"], json({"added to admins"}));
  EXPECT_EQ(out["alerts"][0]["resources"], json({"alice"}));
  EXPECT_EQ(out["alerts"][0]["collection"], "aws.iamUsers");
  EXPECT_EQ(out["alerts"][1]["id"], "carol");
  EXPECT_EQ(out["alerts"][1]["messages"], json({"new user"}));
}

TEST(Snapshot, FindingsMergeByAlertIdKeepingEveryMessage) {
  const std::string policy = R"(reddalert 1
policy open {
  title "t"
  severity high
  description "d"
  for sg in aws.securityGroups
  for p in sg.ipPermissions
  where "0.0.0.0/0" in p.ipRanges
  alert sg.groupId
  message "{p.fromPort}"
  details {port: p.fromPort}
}
)";
  const json sgs = json::array({{{"groupId", "sg-1"},
                                 {"ipPermissions", json::array({{{"fromPort", 22}, {"ipRanges", {"0.0.0.0/0"}}},
                                                                {{"fromPort", 23}, {"ipRanges", {"0.0.0.0/0"}}},
                                                                {{"fromPort", 23}, {"ipRanges", {"0.0.0.0/0"}}},
                                                                {{"fromPort", 80}, {"ipRanges", {"10.0.0.0/8"}}}})}}});
  const json out = run_policies("m.policy", policy, {{"aws.securityGroups", sgs}}, 0, 10);
  ASSERT_EQ(out["alerts"].size(), 1U) << out.dump(2);
  EXPECT_EQ(out["alerts"][0]["messages"], json({"22", "23"}));
  EXPECT_EQ(out["alerts"][0]["details"], nlohmann::json::parse(R"([{"port":22},{"port":23}])"));
}

TEST(Snapshot, RuntimeProblemSkipsTheFindingAndNamesTheResource) {
  const std::string policy = R"(reddalert 1
policy bad {
  title "t"
  severity low
  description "d"
  for sg in aws.securityGroups
  where sg.vpcId within ["10.0.0.0/8"]
  alert sg.groupId
  message "m"
}
)";
  const json sgs =
      json::array({{{"groupId", "sg-1"}, {"vpcId", "vpc-1"}}, {{"groupId", "sg-2"}, {"vpcId", "10.1.1.1"}}});
  const json out = run_policies("b.policy", policy, {{"aws.securityGroups", sgs}}, 0, 10);
  ASSERT_EQ(out["problems"].size(), 1U) << out.dump(2);
  EXPECT_EQ(out["problems"][0]["resource"], "sg-1");
  EXPECT_EQ(out["problems"][0]["line"], 7);
  EXPECT_EQ(out["problems"][0]["message"], "invalid IP or CIDR \"vpc-1\"");
  ASSERT_EQ(out["alerts"].size(), 1U);
  EXPECT_EQ(out["alerts"][0]["id"], "sg-2");
}

}  // namespace
}  // namespace reddalert::testing

namespace reddalert::testing {
namespace {

TEST(Documents, ParseDocumentBuildsWhatJsonParseBuilds) {
  const std::string text =
      R"({"z": [1, -2, 3.5, 18446744073709551615, "s", null, true, {}, []], "a": {"y": {"b": 1, "a": 2}}, "m": "x",)"
      R"( "m": "last"})";
  const model::Json doc = model::parse_document(text);
  EXPECT_EQ(doc, model::Json::parse(text));  // duplicate keys: the last value, as nlohmann's parser
  EXPECT_EQ(doc.dump(), nlohmann::json::parse(text).dump());
  EXPECT_EQ(doc["m"], "last");
  EXPECT_TRUE(doc["z"][3].is_number_unsigned());
  EXPECT_TRUE(doc["z"][1].is_number_integer());
  EXPECT_TRUE(doc["z"][2].is_number_float());
  const auto& members = doc.get_ref<const model::Json::object_t&>();
  EXPECT_EQ(members.capacity(), members.size());  // built at its exact size
  EXPECT_EQ(members.front().first, "a");          // sorted
  try {
    model::parse_document(R"([{"a": 1}, {"b": )");
    ADD_FAILURE() << "truncated JSON must throw";
  } catch (const model::Json::parse_error& e) {
    EXPECT_EQ(e.byte, 18U);
  }
}

}  // namespace
}  // namespace reddalert::testing
