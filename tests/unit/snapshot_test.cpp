// EDDA time semantics over envelopes (edda.md 2.3) and plain documents (cli.md 5).
#include <gtest/gtest.h>

#include "edda/snapshot.hpp"
#include "eval/value.hpp"
#include "model/json_reader.hpp"
#include "test_support.hpp"

namespace reddalert::testing {
namespace {

using json = nlohmann::json;

std::string name_of(const model::Doc& d) { return std::string(eval::Value::of(d).get("name").str()); }
json as_json(const model::Doc* d) { return d ? model::to_json(*d) : json(); }

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

std::vector<std::string> names(std::span<const model::Doc> docs) {
  std::vector<std::string> out;
  for (const model::Doc& d : docs) out.push_back(name_of(d));
  return out;
}

TEST(Snapshot, TimeSemantics) {
  const auto s = edda::Snapshot::from_json({{"aws.iamUsers", users()}}, {120, 300});
  EXPECT_EQ(names(s->current("aws.iamUsers")), (std::vector<std::string>{"alice", "carol", "dave"}));
  EXPECT_EQ(names(s->changed("aws.iamUsers")), (std::vector<std::string>{"alice", "carol"}));
  ASSERT_NE(s->previous("aws.iamUsers", "alice"), nullptr);
  EXPECT_EQ(as_json(s->previous("aws.iamUsers", "alice"))["groups"], json({"dev"}));
  EXPECT_NE(s->previous("aws.iamUsers", "bob"), nullptr);    // alive at since, gone by until
  EXPECT_EQ(s->previous("aws.iamUsers", "carol"), nullptr);  // created inside the window
  const model::Doc& alice = s->changed("aws.iamUsers")[0];
  ASSERT_NE(s->resource(alice), nullptr);
  EXPECT_EQ(s->resource(alice)->id, "alice");
  EXPECT_EQ(as_json(s->previous(alice))["groups"], json({"dev"}));
}

TEST(Snapshot, ChangeInstantBelongsToTheNewRevision) {
  // At a change instant both revisions match EDDA's _at; the newer one wins.
  const auto s = edda::Snapshot::from_json({{"aws.iamUsers", users()}}, {200, 200});
  EXPECT_EQ(as_json(&s->current("aws.iamUsers")[0])["groups"], json({"dev", "admins"}));
  EXPECT_EQ(as_json(s->previous("aws.iamUsers", "alice"))["groups"], json({"dev", "admins"}));
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

TEST(Documents, TheReaderBuildsWhatJsonParseBuilds) {
  const std::string text =
      R"([{"z": [1, -2, 3.5, 18446744073709551615, "s\u00e9", null, true, {}, []], "a": {"y": {"b": 1, "a": 2}}, "m": "x",)"
      R"( "m": "last"}, 7])";
  base::Arena arena;
  model::DocBuilder builder(arena);
  std::vector<model::Doc> docs;
  model::TextSource source(text);
  model::read_array(source, "t.json", [&](const model::Element& e) { docs.push_back(builder.build(e, nullptr)); });
  ASSERT_EQ(docs.size(), 2U);
  const json parsed = json::parse(text);  // duplicate keys: the last value, as nlohmann's parser
  EXPECT_EQ(model::to_json(docs[0]), parsed[0]);
  EXPECT_EQ(model::to_json(docs[0]).dump(), parsed[0].dump());
  std::string compact;
  model::append_json(compact, docs[0]);
  EXPECT_EQ(compact, parsed[0].dump());  // numbers as written, keys in order
  EXPECT_EQ(model::to_json(docs[1]), 7);
  const model::Doc& z = docs[0].object->values()[docs[0].size - 1];
  EXPECT_EQ(z.items[3].rep, static_cast<std::uint8_t>(model::NumberRep::UInt));
  EXPECT_EQ(z.items[1].rep, static_cast<std::uint8_t>(model::NumberRep::Int));
  EXPECT_EQ(z.items[2].rep, static_cast<std::uint8_t>(model::NumberRep::Float));
  EXPECT_EQ(model::key_name(docs[0].object->keys()[0]), "a");  // sorted
}

TEST(Documents, ABrokenArrayNamesTheByte) {
  const auto error_of = [](const std::string& text) {
    model::TextSource source(text);
    try {
      model::read_array(source, "t.json", [](const model::Element&) {});
    } catch (const model::DataError& e) {
      return e.message;
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of(R"([{"a": 1}, {"b": )"), "t.json: invalid JSON at byte 17: the text ends inside the array");
  EXPECT_EQ(error_of(R"([{"a": 1}, {"b": 1e400}])"),
            "t.json: invalid JSON at byte 11: a number that is malformed or out of range");
  EXPECT_EQ(error_of(R"([1, 2,])"), "t.json: invalid JSON at byte 6: a comma with no value after it");
  EXPECT_EQ(error_of(R"([1] x)"), "t.json: invalid JSON at byte 4: text after the end of the array");
  EXPECT_EQ(error_of(R"({"a": 1})"), "t.json: expected a JSON array, found an object");
  EXPECT_EQ(error_of("[\"a\\\"]"), "t.json: invalid JSON at byte 6: the text ends inside a string");
}

}  // namespace
}  // namespace reddalert::testing
