// `check` as a whole, with its world replaced by twins: documents in memory, memory in
// memory (which can fail a commit), and a sink that records what it was sent (and can
// fail). What the integration tests show with real files, disks and servers, shown here
// stage by stage and without a process per run.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "app/check_run.hpp"
#include "app/engine.hpp"
#include "test_support.hpp"

namespace reddalert::app {
namespace {

namespace fs = std::filesystem;

const char* const kPolicies = R"(reddalert 1

policy open-group {
  title "t"
  description "d"
  severity high
  for g in aws.securityGroups
  where g.groupName != "closed"
  alert g.groupId
  message "{g.groupName} is open"
}

policy public-db {
  title "t"
  description "d"
  severity high
  for db in aws.databases
  where db.publiclyAccessible == true
  alert db.DBInstanceIdentifier
  message "public"
}
)";

// A sink that keeps every report it was sent, or fails while `failing` is set.
struct Recorder : sinks::Sink {
  std::vector<std::vector<std::string>> sent;  // alert ids per send
  bool failing = false;
  std::string name() const override { return "recorder"; }
  void send(const sinks::Report& r) override {
    if (failing) throw sinks::SinkError{"recorder: refused"};
    std::vector<std::string> ids;
    for (const model::Alert& a : r.alerts) ids.push_back(a.id);
    for (const model::Alert& a : r.resolved) ids.push_back("resolved:" + a.id);
    sent.push_back(ids);
  }
};

// A sink handed to make_sinks' twin; the recorder outlives the run's unique_ptr.
struct Forward : sinks::Sink {
  Recorder& to;
  explicit Forward(Recorder& r) : to(r) {}
  std::string name() const override { return to.name(); }
  void send(const sinks::Report& r) override { to.send(r); }
};

// The run owns its store; the test keeps what was committed in a MemoryStore of its own.
struct Borrowed : state::Store {
  state::MemoryStore& to;
  explicit Borrowed(state::MemoryStore& m) : to(m) {}
  std::string describe() const override { return to.describe(); }
  state::State load() override { return to.load(); }
  void commit(const state::State& s) override { to.commit(s); }
};

class CheckRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("reddalert-check-run-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    testing::write_file((dir_ / "p.policy").string(), kPolicies);
    groups_ = nlohmann::json::array(
        {{{"groupId", "sg-1"}, {"groupName", "web"}}, {{"groupId", "sg-2"}, {"groupName", "closed"}}});
    world_.source = [this](const RunSettings&, net::HttpClient&, auto) {
      std::map<std::string, nlohmann::json> data{{"aws.securityGroups", groups_}};
      if (with_databases_) data["aws.databases"] = nlohmann::json::array();
      return memory_source(data,
                           with_databases_ ? std::vector<std::string>{} : std::vector<std::string>{"aws.databases"});
    };
    world_.store = [this](const std::string&) { return std::make_unique<Borrowed>(store_); };
    world_.sinks = [this](const std::vector<std::string>&, const sinks::Options&, net::HttpClient&,
                          base::Diagnostics&) {
      std::vector<std::unique_ptr<sinks::Sink>> out;
      out.push_back(std::make_unique<Forward>(recorder_));
      return out;
    };
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Alerts and resolved events the status file holds for the recorder.
  std::size_t pending() const {
    const auto it = store_.stored->pending.find("recorder");
    return it == store_.stored->pending.end() ? 0 : it->second.size();
  }

  int check(std::vector<std::string> extra_policies = {}) {
    CheckOptions o;
    o.paths = {(dir_ / "p.policy").string()};
    o.config_path = kNoConfig;
    o.snapshot = "memory";  // a source must be named; the twin ignores it
    o.state_path = "memory";
    o.outputs = {"recorder"};
    o.since = 1000;
    o.until = until_;
    o.quiet = true;
    o.selection.policies = std::move(extra_policies);
    std::ostringstream out;
    err_.str("");
    return run_check(o, out, err_, world_);
  }

  fs::path dir_;
  nlohmann::json groups_;
  bool with_databases_ = true;
  base::Millis until_ = 2000;
  World world_;
  state::MemoryStore store_;
  Recorder recorder_;
  std::ostringstream err_;
};

TEST_F(CheckRunTest, AnAlertGoesOutOnceThenItsResolutionOnce) {
  EXPECT_EQ(check(), kAlerts) << err_.str();
  EXPECT_EQ(recorder_.sent, (std::vector<std::vector<std::string>>{{"sg-1"}}));
  EXPECT_EQ(check(), kOk) << err_.str();  // repeated: nothing sent
  EXPECT_EQ(recorder_.sent.size(), 1U);
  groups_[0]["groupName"] = "closed";
  EXPECT_EQ(check(), kOk) << err_.str();
  EXPECT_EQ(recorder_.sent, (std::vector<std::vector<std::string>>{{"sg-1"}, {"resolved:sg-1"}}));
  ASSERT_TRUE(store_.stored);
  EXPECT_EQ(pending(), 0U);
}

TEST_F(CheckRunTest, AFailedCommitSendsNothingAndTheNextRunSendsItOnce) {
  store_.fail_after = 0;
  EXPECT_EQ(check(), kDataFailure);
  EXPECT_NE(err_.str().find("the status file was not committed; nothing was sent"), std::string::npos) << err_.str();
  EXPECT_TRUE(recorder_.sent.empty());
  EXPECT_FALSE(store_.stored);
  store_.fail_after.reset();
  EXPECT_EQ(check(), kAlerts);
  EXPECT_EQ(check(), kOk);
  EXPECT_EQ(recorder_.sent, (std::vector<std::vector<std::string>>{{"sg-1"}}));
}

TEST_F(CheckRunTest, AFailedOutputKeepsItsAlertsPendingForTheNextRun) {
  recorder_.failing = true;
  EXPECT_EQ(check(), kDataFailure);
  ASSERT_TRUE(store_.stored);
  EXPECT_EQ(pending(), 1U);
  recorder_.failing = false;
  until_ = 3000;
  EXPECT_EQ(check(), kOk);  // the alert is a repeat now, but the output still takes it, once
  EXPECT_EQ(recorder_.sent, (std::vector<std::vector<std::string>>{{"sg-1"}}));
  EXPECT_EQ(check(), kOk);
  EXPECT_EQ(recorder_.sent.size(), 1U);
  EXPECT_EQ(pending(), 0U);
}

TEST_F(CheckRunTest, APolicyOnACollectionTheSourceLacksIsNotEvaluatedAndItsWindowStays) {
  with_databases_ = false;
  EXPECT_EQ(check(), kNotEvaluated);
  EXPECT_NE(err_.str().find("policy public-db was not evaluated: no aws.databases in memory; its window did not move"),
            std::string::npos)
      << err_.str();
  ASSERT_TRUE(store_.stored);
  EXPECT_EQ(store_.stored->policies.at("open-group").until, 2000);
  EXPECT_FALSE(store_.stored->policies.count("public-db") && store_.stored->policies.at("public-db").until);
  EXPECT_EQ(recorder_.sent, (std::vector<std::vector<std::string>>{{"sg-1"}}));
}

TEST_F(CheckRunTest, ARunOfOnePolicyMovesOnlyItsWindow) {
  EXPECT_EQ(check({"public-db"}), kOk);
  ASSERT_TRUE(store_.stored);
  EXPECT_EQ(store_.stored->policies.at("public-db").until, 2000);
  EXPECT_FALSE(store_.stored->policies.count("open-group"));
}

}  // namespace
}  // namespace reddalert::app
