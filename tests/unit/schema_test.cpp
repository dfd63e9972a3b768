// The collection table's notation (kinds, `name?:` for fields EDDA may omit, `= VALUE`
// examples), the table itself, and what `reddalert schema` resolves a path to.
#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>

#include "app/schema_doc.hpp"
#include "model/collections.hpp"
#include "model/schema.hpp"

namespace reddalert::model {
namespace {

const std::map<std::string, SchemaPtr, std::less<>> kNoDefs;

SchemaPtr parse(std::string_view text) { return parse_schema(text, kNoDefs); }

TEST(SchemaNotation, QuestionMarkMarksAFieldEddaMayOmit) {
  const SchemaPtr s = parse("{fromPort?: number, ipProtocol: string}");
  ASSERT_NE(s->field_entry("fromPort"), nullptr);
  EXPECT_TRUE(s->field_entry("fromPort")->optional);
  EXPECT_FALSE(s->field_entry("ipProtocol")->optional);
  EXPECT_EQ(s->field("fromPort")->kind, Schema::Kind::Number);
  EXPECT_EQ(s->field_names(), (std::vector<std::string>{"fromPort", "ipProtocol"}));
}

TEST(SchemaNotation, ExamplesAreKeptAsCompactJson) {
  const SchemaPtr s = parse(
      R"~({groupId: string = "sg-0417692d096f4e57c", fromPort?: number = 22, public: bool = false,
          ipRanges: [string] = ["0.0.0.0/0", "10.0.0.0/8"], reason: string = "User initiated (a, b)",
          state: {code: number, name: string} = {"code": 16, "name": "running"}, extra: any = {"k": [1]},
          tags: [{key: string, *}] = [{"key": "owner", "owner": "jdoe"}], bare: string})~");
  EXPECT_EQ(s->field_entry("groupId")->example, R"("sg-0417692d096f4e57c")");
  EXPECT_EQ(s->field_entry("fromPort")->example, "22");
  EXPECT_TRUE(s->field_entry("fromPort")->optional);
  EXPECT_EQ(s->field_entry("public")->example, "false");
  EXPECT_EQ(s->field_entry("ipRanges")->example, R"(["0.0.0.0/0","10.0.0.0/8"])");
  EXPECT_EQ(s->field_entry("reason")->example, R"~("User initiated (a, b)")~");
  EXPECT_EQ(s->field_entry("state")->example, R"({"code":16,"name":"running"})");
  EXPECT_EQ(s->field_entry("extra")->example, R"({"k":[1]})");
  EXPECT_EQ(s->field_entry("tags")->example, R"([{"key":"owner","owner":"jdoe"}])");
  EXPECT_EQ(s->field_entry("bare")->example, "");
}

TEST(SchemaNotation, MalformedEntriesThrow) {
  for (const char* bad : {
           "{a: number = \"22\"}",            // the example is not of the field's kind
           "{a: string = sg-1}",              // not JSON
           "{a: string = }",                  // no value
           "{a: any = null}",                 // null shows nothing
           "{a: [number] = [1, \"x\"]}",      // an element of the wrong kind
           "{a: {k: bool} = {\"j\": true}}",  // a key a closed object does not have
           "{a?? : string}",                  // one marker
           "{a ?: string}",                   // the marker belongs to the name
           "{a: string, a?: string}",         // a field twice
           "{a: string = \"x\" \"y\"}",       // two values
           "{a: strin}",                      // an unknown kind
       }) {
    EXPECT_THROW(parse(bad), std::invalid_argument) << bad;
  }
}

// Every field of every collection, with its path.
void each_field(const Schema& s, const std::string& path,
                const std::function<void(const std::string&, const SchemaField&)>& f) {
  const Schema* at = &s;
  while (at->kind == Schema::Kind::List) at = at->element.get();
  for (const auto& [name, field] : at->fields) {
    f(path + "." + name, field);
    each_field(*field.schema, path + "." + name, f);
  }
}

bool leaf(const Schema& s) {
  const Schema* at = &s;
  while (at->kind == Schema::Kind::List) at = at->element.get();
  return at->kind != Schema::Kind::Object && at->kind != Schema::Kind::Any;
}

TEST(CollectionTable, EveryCollectionIsDescribedAndEveryLeafFieldHasAnExample) {
  for (const std::string& name : collection_names()) {
    const CollectionInfo* c = find_collection(name);
    EXPECT_FALSE(c->description.empty()) << name;
    EXPECT_EQ(c->description.find('\n'), std::string::npos) << name;
    each_field(*c->schema, name, [](const std::string& path, const SchemaField& f) {
      if (leaf(*f.schema)) {
        EXPECT_FALSE(f.example.empty()) << path << " has no example";
      }
    });
  }
}

TEST(CollectionTable, FieldsAwsLeavesOutAreOptional) {
  const auto entry = [](std::string_view collection, std::vector<std::string> path) {
    const Schema* s = find_collection(collection)->schema.get();
    const SchemaField* f = nullptr;
    for (const std::string& p : path) {
      while (s->kind == Schema::Kind::List) s = s->element.get();
      f = s->field_entry(p);
      if (!f) throw std::logic_error("no field " + p);
      s = f->schema.get();
    }
    return f;
  };
  EXPECT_TRUE(entry("aws.securityGroups", {"ipPermissions", "fromPort"})->optional);  // protocol -1
  EXPECT_TRUE(entry("aws.securityGroups", {"ipPermissions", "toPort"})->optional);
  EXPECT_TRUE(entry("aws.securityGroups", {"ipPermissions", "ipv6Ranges"})->optional);  // old documents
  EXPECT_TRUE(entry("aws.securityGroups", {"ipPermissions", "ipv4Ranges", "description"})->optional);
  EXPECT_TRUE(entry("view.instances", {"publicIpAddress"})->optional);  // a private instance
  EXPECT_TRUE(entry("aws.instances", {"instances", "publicIpAddress"})->optional);
  EXPECT_FALSE(entry("aws.securityGroups", {"groupId"})->optional);
  EXPECT_FALSE(entry("aws.securityGroups", {"ipPermissions", "ipProtocol"})->optional);
  EXPECT_EQ(entry("aws.securityGroups", {"ipPermissions", "fromPort"})->example, "22");
}

}  // namespace
}  // namespace reddalert::model

namespace reddalert::app {
namespace {

TEST(SchemaPath, ResolvesNestedFieldsThroughLists) {
  std::string error;
  for (const char* path : {"aws.securityGroups.ipPermissions", "aws.securityGroups.ipPermissions[*]",
                           "aws.securityGroups.ipPermissions[]"}) {
    const auto t = model::resolve_field_path(path, error);
    ASSERT_TRUE(t) << path << ": " << error;
    EXPECT_EQ(t->path, "ipPermissions");
    EXPECT_EQ(t->shown->kind, model::Schema::Kind::Object);
    EXPECT_NE(t->shown->field("fromPort"), nullptr);
  }
  const auto state = model::resolve_field_path("aws.instances.instances.state", error);
  ASSERT_TRUE(state) << error;
  EXPECT_EQ(state->path, "instances.state");
  EXPECT_NE(state->shown->field("name"), nullptr);
  const auto leaf = model::resolve_field_path("aws.securityGroups.ipPermissions[*].fromPort", error);
  ASSERT_TRUE(leaf) << error;
  EXPECT_EQ(leaf->shown->kind, model::Schema::Kind::Number);
  EXPECT_TRUE(leaf->field->optional);
  const auto doc = model::resolve_field_path("aws.securityGroups", error);
  ASSERT_TRUE(doc) << error;
  EXPECT_EQ(doc->field, nullptr);
  EXPECT_EQ(doc->path, "");
}

TEST(SchemaPath, UnknownNamesSayWhatWasMeant) {
  const auto fails = [](std::string_view path) {
    std::string error;
    EXPECT_FALSE(model::resolve_field_path(path, error)) << path;
    return error;
  };
  EXPECT_EQ(fails("aws.securityGroup"), "unknown collection `aws.securityGroup`; did you mean `aws.securityGroups`?");
  EXPECT_EQ(fails("aws.securityGroup.ipPermissions"),
            "unknown collection `aws.securityGroup`; did you mean `aws.securityGroups`?");
  EXPECT_EQ(fails("aws.securityGroups.ipPermision"),
            "no field `ipPermision` in aws.securityGroups documents; did you mean `ipPermissions`?");
  EXPECT_EQ(fails("aws.securityGroups.ipPermissions.fromPrt"),
            "no field `fromPrt` in `aws.securityGroups.ipPermissions`; did you mean `fromPort`?");
  EXPECT_EQ(fails("aws.securityGroups.groupId.x"), "`aws.securityGroups.groupId` is a string: it has no field `x`");
  EXPECT_EQ(fails("aws.securityGroups.groupId[*]"),
            "`aws.securityGroups.groupId` is a string, not a list: drop the `[*]`");
  EXPECT_EQ(fails("aws.securityGroups.ipPermissions[*][*]"),
            "`aws.securityGroups.ipPermissions` is an object, not a list: drop the `[*]`");
  EXPECT_NE(fails("aws.securityGroups..groupId").find("is not a field path"), std::string::npos);
  EXPECT_NE(fails("aws.securityGroups.groupId.").find("is not a field path"), std::string::npos);
  EXPECT_NE(fails("aws.securityGroups.ipPermissions[0]").find("is not a field path"), std::string::npos);
  EXPECT_NE(fails("aws.alarms.state").find("the object is open"), std::string::npos);
  EXPECT_NE(fails("").find("unknown collection"), std::string::npos);
}

TEST(SchemaPage, ListsEveryCollectionAndNestedFieldsAsPaths) {
  const std::string page = schema_page();
  for (const std::string& n : model::collection_names())
    EXPECT_NE(page.find("\n## " + n + "\n"), std::string::npos) << n;
  EXPECT_NE(page.find("| `ipPermissions[].fromPort` | number | yes | `22` |"), std::string::npos);
  EXPECT_NE(page.find("| `groupId` | string |  | `\"sg-"), std::string::npos);
}

}  // namespace
}  // namespace reddalert::app
