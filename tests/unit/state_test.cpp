// The status file: empty, round trip, formats 1 and the original tool's migrated,
// corruption, retention, pending alerts, the lock, and what a hostile state directory
// (symbolic links, stale temporaries, permissions) cannot make it do.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "state/state.hpp"
#include "test_support.hpp"

namespace reddalert::state {
namespace {

namespace fs = std::filesystem;

class StateFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("reddalert-state-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "state.json").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::size_t files() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++n;
    return n;
  }
  static unsigned mode(const std::string& path) {
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_mode & 0777;
  }

  fs::path dir_;
  std::string path_;
};

model::Alert pending_alert(const std::string& id, base::Millis until, bool resolved = false) {
  model::Alert a;
  a.policy = "elbs";
  a.id = id;
  a.fingerprint = "sha256:" + id;
  a.policy_fingerprint = "sha256:p";
  a.severity = "high";
  a.title = "t";
  a.messages = {"m1", "m2"};
  a.details = {R"({"port":22})"};
  a.resources = {"elb-1"};
  a.collection = "aws.loadBalancers";
  a.file = "policies/elbs.policy";
  a.line = 3;
  a.first_seen = 5;
  a.since = 1;
  a.until = until;
  a.resolved = resolved;
  a.last_seen = resolved ? 7 : 0;
  return a;
}

TEST_F(StateFile, MissingFileIsAnEmptyState) {
  const State s = load(path_);
  EXPECT_FALSE(s.legacy_since);
  EXPECT_TRUE(s.policies.empty());
  EXPECT_TRUE(s.alerts.empty());
}

TEST_F(StateFile, CommitThenLoadGivesTheSameState) {
  State s;
  s.policies["ami"].until = 1764547200000;
  s.policies["ami"].first_seen["ami-0abc"] = 1764500000000;
  s.policies["ami"].first_seen["{\"a\":1}"] = 1764500000001;
  s.policies["iam"].until = 1764540000000;
  s.alerts["sha256:x"] = {"secgroups", "sg-1 (web)", 1, 2};
  commit(path_, s);
  const State back = load(path_);
  EXPECT_EQ(back.policies.at("ami").until, 1764547200000);
  EXPECT_EQ(back.policies.at("ami").first_seen, s.policies.at("ami").first_seen);
  EXPECT_EQ(back.policies.at("iam").until, 1764540000000);
  EXPECT_FALSE(back.legacy_since);
  ASSERT_EQ(back.alerts.size(), 1U);
  EXPECT_EQ(back.alerts.at("sha256:x").id, "sg-1 (web)");
  EXPECT_EQ(back.alerts.at("sha256:x").last, 2);
  EXPECT_TRUE(back.pending.empty());
  const std::string text = testing::read_file(path_);
  EXPECT_EQ(text.find("pending"), std::string::npos);  // only when there are some
  EXPECT_NE(text.find("\"format\": \"reddalert-state/2\""), std::string::npos);
  EXPECT_EQ(files(), 1U);  // the temporary was renamed
}

TEST_F(StateFile, PendingAlertsRoundTripWhole) {
  State s;
  s.pending["email"] = {pending_alert("a", 100), pending_alert("b", 100, true)};
  commit(path_, s);
  const State back = load(path_);
  ASSERT_EQ(back.pending.at("email").size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(model::to_json(back.pending.at("email")[i]), model::to_json(s.pending.at("email")[i]));
  }
  EXPECT_TRUE(back.pending.at("email")[1].resolved);
  EXPECT_EQ(back.pending.at("email")[1].last_seen, 7);
}

TEST_F(StateFile, FormatOneIsMigrated) {
  testing::write_file(path_, R"({"format": "reddalert-state/1", "since": 1700000000000,
    "policies": {"ami": {"first_seen": {"ami-1": 5}}},
    "alerts": {"sha256:x": {"policy": "elbs", "id": "e", "first": 1, "last": 2}},
    "deliveries": {"sha256:y": {"policy": "elbs", "id": "f", "outputs": ["email"], "until": 3}}})");
  const State s = load(path_);
  EXPECT_FALSE(s.migrated);
  EXPECT_EQ(s.legacy_since, 1700000000000);
  EXPECT_FALSE(s.policies.at("ami").until);
  EXPECT_EQ(s.policies.at("ami").first_seen.at("ami-1"), 5);
  EXPECT_EQ(s.alerts.at("sha256:x").id, "e");
  EXPECT_EQ(s.legacy_deliveries.at("sha256:y").outputs, std::set<std::string>{"email"});
}

TEST_F(StateFile, TheOriginalStatusFileIsMigrated) {
  testing::write_file(path_, R"({"since": 1700000000000, "plugin.ami": {"first_seen": {"ami-1": 1690000000000}},
                                 "plugin.iam": {}})");
  const State s = load(path_);
  EXPECT_TRUE(s.migrated);
  EXPECT_EQ(s.legacy_since, 1700000000000);
  EXPECT_EQ(s.policies.at("ami").first_seen.at("ami-1"), 1690000000000);
}

TEST_F(StateFile, ACorruptFileIsAnErrorAndIsLeftAlone) {
  const std::string broken = "{\"format\": \"reddalert-state/2\", \"since\": 17";
  testing::write_file(path_, broken);
  try {
    load(path_);
    FAIL() << "a corrupt file must not load";
  } catch (const StateError& e) {
    EXPECT_NE(e.message.find(path_), std::string::npos);
    EXPECT_NE(e.message.find("at byte"), std::string::npos);
  }
  EXPECT_EQ(testing::read_file(path_), broken);
}

TEST_F(StateFile, ANumberOutOfRangeIsAnErrorNotACrash) {
  for (const std::string text :
       {R"({"format": "reddalert-state/2", "policies": {"a": {"until": 1e400}}})",
        R"({"format": "reddalert-state/2", "policies": {"a": {"until": 1e300}}})", R"({"since": 1e400})"}) {
    testing::write_file(path_, text);
    EXPECT_THROW(load(path_), StateError) << text;
  }
}

TEST_F(StateFile, AFileOfTheWrongShapeIsAnErrorAndIsLeftAlone) {
  for (const std::string text : {R"({"format": "reddalert-state/2", "alerts": [1, 2]})",
                                 R"({"format": "reddalert-state/2", "policies": {"ami": 3}})",
                                 R"({"format": "reddalert-state/2", "policies": {"ami": {"until": "soon"}}})",
                                 R"({"format": "reddalert-state/2", "pending": {"email": [{"id": 1}]}})",
                                 R"({"format": "reddalert-state/1", "deliveries": {"sha256:x": "email"}})"}) {
    testing::write_file(path_, text);
    try {
      load(path_);
      ADD_FAILURE() << "a file of the wrong shape must not load: " << text;
    } catch (const StateError& e) {
      EXPECT_NE(e.message.find("unexpected shape"), std::string::npos) << e.message;
    }
    EXPECT_EQ(testing::read_file(path_), text);
  }
}

TEST_F(StateFile, AnUnknownFormatIsAnError) {
  testing::write_file(path_, R"({"format": "reddalert-state/9"})");
  EXPECT_THROW(load(path_), StateError);
}

TEST_F(StateFile, RetentionDropsWhatWasNotSeenLately) {
  State s;
  s.policies["ami"].first_seen["old"] = 100;
  s.policies["ami"].first_seen["new"] = 900;
  s.policies["gone"].first_seen["x"] = 1;
  s.policies["ran"].until = 1;  // a window is never forgotten
  s.alerts["a"] = {"p", "old", 1, 100};
  s.alerts["b"] = {"p", "new", 1, 900};
  s.pending["email"] = {pending_alert("old", 100), pending_alert("new", 900)};
  s.pending["file"] = {pending_alert("old", 100)};
  prune(s, 1000, 500);
  EXPECT_EQ(s.policies.size(), 2U);
  EXPECT_EQ(s.policies.at("ami").first_seen.count("new"), 1U);
  EXPECT_EQ(s.policies.at("ami").first_seen.count("old"), 0U);
  EXPECT_EQ(s.policies.count("ran"), 1U);
  EXPECT_EQ(s.alerts.size(), 1U);
  EXPECT_EQ(s.alerts.count("b"), 1U);
  ASSERT_EQ(s.pending.size(), 1U);
  ASSERT_EQ(s.pending.at("email").size(), 1U);
  EXPECT_EQ(s.pending.at("email")[0].id, "new");
}

TEST_F(StateFile, ASymlinkedStateIsRefusedNotFollowed) {
  const std::string target = (dir_ / "elsewhere.json").string();
  testing::write_file(target, R"({"format": "reddalert-state/2"})");
  fs::create_symlink(target, path_);
  EXPECT_THROW(load(path_), StateError);
  EXPECT_THROW(commit(path_, State{}), StateError);
  EXPECT_TRUE(fs::is_symlink(path_));
  EXPECT_EQ(testing::read_file(target), R"({"format": "reddalert-state/2"})");
}

TEST_F(StateFile, APlantedLockSymlinkIsRefusedAndItsTargetUntouched) {
  const std::string target = (dir_ / "precious").string();
  testing::write_file(target, "keep me\n");
  fs::create_symlink(target, path_ + ".lock");
  EXPECT_THROW(Lock lock(path_), StateError);
  EXPECT_EQ(testing::read_file(target), "keep me\n");
}

TEST_F(StateFile, ANewStateIsOwnerOnlyAndAnExistingOneKeepsItsMode) {
  commit(path_, State{});
  EXPECT_EQ(mode(path_), 0600U);
  ::chmod(path_.c_str(), 0640);
  commit(path_, State{});
  EXPECT_EQ(mode(path_), 0640U);
}

TEST_F(StateFile, TakingTheLockRemovesTemporariesOfDeadRuns) {
  testing::write_file((dir_ / ".state.json.tmp.0123456789abcdef").string(), "half");
  testing::write_file((dir_ / "state.json.tmp.4242").string(), "half");  // format 1's name
  testing::write_file((dir_ / "other.json.tmp.1").string(), "not ours");
  const Lock lock(path_);
  EXPECT_FALSE(fs::exists(dir_ / ".state.json.tmp.0123456789abcdef"));
  EXPECT_FALSE(fs::exists(dir_ / "state.json.tmp.4242"));
  EXPECT_TRUE(fs::exists(dir_ / "other.json.tmp.1"));
}

TEST_F(StateFile, ASecondLockIsRefusedWithTheHoldersPid) {
  const Lock held(path_);
  try {
    const Lock second(path_);
    FAIL() << "the second lock must be refused";
  } catch (const LockBusy& busy) {
    EXPECT_EQ(busy.pid, ::getpid());
    EXPECT_EQ(busy.path, path_ + ".lock");
  }
}

TEST_F(StateFile, ALockIsFreeAgainOnceReleased) {
  { const Lock first(path_); }
  EXPECT_NO_THROW(Lock again(path_));
}

}  // namespace
}  // namespace reddalert::state
