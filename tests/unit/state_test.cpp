// The status file: empty, round trip, the original tool's format, corruption, retention,
// the lock.
#include <gtest/gtest.h>

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

  fs::path dir_;
  std::string path_;
};

TEST_F(StateFile, MissingFileIsAnEmptyState) {
  const State s = load(path_);
  EXPECT_FALSE(s.since);
  EXPECT_TRUE(s.first_seen.empty());
  EXPECT_TRUE(s.alerts.empty());
}

TEST_F(StateFile, CommitThenLoadGivesTheSameState) {
  State s;
  s.since = 1764547200000;
  s.first_seen["ami"]["ami-0abc"] = 1764500000000;
  s.first_seen["ami"]["{\"a\":1}"] = 1764500000001;
  s.alerts["sha256:x"] = {"secgroups", "sg-1 (web)", 1, 2};
  commit(path_, s);
  const State back = load(path_);
  EXPECT_EQ(back.since, s.since);
  EXPECT_EQ(back.first_seen, s.first_seen);
  ASSERT_EQ(back.alerts.size(), 1U);
  EXPECT_EQ(back.alerts.at("sha256:x").id, "sg-1 (web)");
  EXPECT_EQ(back.alerts.at("sha256:x").last, 2);
  EXPECT_TRUE(back.deliveries.empty());
  EXPECT_EQ(testing::read_file(path_).find("deliveries"), std::string::npos);  // only when there are some
  // Nothing but the file itself is left in the directory: the temporary was renamed.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1U);
  EXPECT_NE(testing::read_file(path_).find("\"format\": \"reddalert-state/1\""), std::string::npos);
}

TEST_F(StateFile, PartialDeliveriesRoundTrip) {
  State s;
  s.deliveries["sha256:y"] = {"elbs", "legacy-api", {"email", "elasticsearch"}, 1764547200000};
  commit(path_, s);
  const State back = load(path_);
  ASSERT_EQ(back.deliveries.size(), 1U);
  const Delivery& d = back.deliveries.at("sha256:y");
  EXPECT_EQ(d.policy, "elbs");
  EXPECT_EQ(d.id, "legacy-api");
  EXPECT_EQ(d.outputs, (std::set<std::string>{"elasticsearch", "email"}));
  EXPECT_EQ(d.until, 1764547200000);
  EXPECT_FALSE(back.since);
}

TEST_F(StateFile, TheOriginalStatusFileIsMigrated) {
  testing::write_file(path_, R"({"since": 1700000000000, "plugin.ami": {"first_seen": {"ami-1": 1690000000000}},
                                 "plugin.iam": {}})");
  const State s = load(path_);
  EXPECT_TRUE(s.migrated);
  EXPECT_EQ(s.since, 1700000000000);
  EXPECT_EQ(s.first_seen.at("ami").at("ami-1"), 1690000000000);
}

TEST_F(StateFile, ACorruptFileIsAnErrorAndIsLeftAlone) {
  const std::string broken = "{\"format\": \"reddalert-state/1\", \"since\": 17";
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

TEST_F(StateFile, AFileOfTheWrongShapeIsAnErrorAndIsLeftAlone) {
  for (const std::string text : {R"({"format": "reddalert-state/1", "alerts": [1, 2]})",
                                 R"({"format": "reddalert-state/1", "policies": {"ami": 3}})",
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
  s.first_seen["ami"]["old"] = 100;
  s.first_seen["ami"]["new"] = 900;
  s.first_seen["gone"]["x"] = 1;
  s.alerts["a"] = {"p", "old", 1, 100};
  s.alerts["b"] = {"p", "new", 1, 900};
  s.deliveries["c"] = {"p", "old", {"email"}, 100};
  s.deliveries["d"] = {"p", "new", {"email"}, 900};
  prune(s, 1000, 500);
  EXPECT_EQ(s.deliveries.size(), 1U);
  EXPECT_EQ(s.deliveries.count("d"), 1U);
  EXPECT_EQ(s.first_seen.size(), 1U);
  EXPECT_EQ(s.first_seen.at("ami").count("new"), 1U);
  EXPECT_EQ(s.first_seen.at("ami").count("old"), 0U);
  EXPECT_EQ(s.alerts.size(), 1U);
  EXPECT_EQ(s.alerts.count("b"), 1U);
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
