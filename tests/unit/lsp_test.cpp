// The language server's pieces below the protocol: the framing (tests/integration/
// lsp_test.py drives the whole server), UTF-16 positions, and the position -> node lookup.
#include <gtest/gtest.h>

#include <sstream>

#include "lsp/locate.hpp"
#include "lsp/position.hpp"
#include "lsp/transport.hpp"
#include "syntax/parse.hpp"

namespace reddalert::testing {
namespace {

using lsp::ReadResult;

std::string framed(const std::string& body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::vector<ReadResult> read_all(const std::string& input, std::size_t max = lsp::kMaxMessageBytes) {
  std::istringstream in(input);
  std::ostringstream out;
  lsp::Transport t(in, out, max);
  std::vector<ReadResult> results;
  for (int i = 0; i < 20; ++i) {
    results.push_back(t.read());
    if (results.back().kind == ReadResult::Kind::End || results.back().kind == ReadResult::Kind::Truncated) break;
  }
  return results;
}

std::vector<ReadResult::Kind> kinds(const std::vector<ReadResult>& results) {
  std::vector<ReadResult::Kind> out;
  for (const auto& r : results) out.push_back(r.kind);
  return out;
}

using K = ReadResult::Kind;

TEST(LspTransport, ReadsFramedMessagesAndHeadersInAnyCase) {
  const auto r =
      read_all(framed(R"({"id":1})") +
               "content-length: 8\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"id\":2}");
  ASSERT_EQ(kinds(r), (std::vector<K>{K::Message, K::Message, K::End}));
  EXPECT_EQ(r[0].message["id"], 1);
  EXPECT_EQ(r[1].message["id"], 2);
}

TEST(LspTransport, WritesContentLengthInBytes) {
  std::istringstream in;
  std::ostringstream out;
  lsp::Transport t(in, out);
  t.write({{"text", "é"}});
  EXPECT_EQ(out.str(), "Content-Length: 13\r\n\r\n{\"text\":\"é\"}");
}

TEST(LspTransport, BadContentLengthIsAnErrorAndTheNextMessageIsRead) {
  // The body of the bad message has no line break: the next header follows it directly.
  const auto r = read_all("Content-Length: abc\r\n\r\n{\"id\":1}" + framed(R"({"id":2})"));
  ASSERT_EQ(kinds(r), (std::vector<K>{K::BadHeader, K::Message, K::End}));
  EXPECT_EQ(r[0].error, "Content-Length `abc` is not a byte count");
  EXPECT_EQ(r[1].message["id"], 2);
}

TEST(LspTransport, MissingContentLengthAndMalformedLines) {
  auto r = read_all("Content-Type: x\r\n\r\n{}" + framed("{}"));
  ASSERT_EQ(kinds(r), (std::vector<K>{K::BadHeader, K::Message, K::End}));
  EXPECT_EQ(r[0].error, "the message header has no Content-Length");
  // A line without a colon, with a usable length: the body is skipped, and nothing is lost.
  r = read_all("garbage\r\nContent-Length: 2\r\n\r\n{}" + framed(R"({"id":3})"));
  ASSERT_EQ(kinds(r), (std::vector<K>{K::BadHeader, K::Message, K::End}));
  EXPECT_EQ(r[1].message["id"], 3);
}

TEST(LspTransport, InvalidJsonAndInvalidUtf8AreBadJson) {
  const auto r = read_all(framed("{\"id\":") + framed("{\"a\":\"\xff\"}") + framed("[]"));
  ASSERT_EQ(kinds(r), (std::vector<K>{K::BadJson, K::BadJson, K::Message, K::End}));
}

TEST(LspTransport, OversizedMessagesAreSkippedNotHeld) {
  const auto r = read_all(framed(std::string(100, ' ')) + framed("{}"), 50);
  ASSERT_EQ(kinds(r), (std::vector<K>{K::TooLarge, K::Message, K::End}));
  // A length far past what the input holds: skipped to the end, never allocated.
  const auto huge = read_all("Content-Length: 18446744073709551615\r\n\r\n{}");
  EXPECT_EQ(huge.back().kind, K::Truncated);
  const auto overflow = read_all("Content-Length: 99999999999999999999999\r\n\r\n{}");
  EXPECT_EQ(overflow[0].kind, K::BadHeader);
}

TEST(LspTransport, TruncatedInput) {
  EXPECT_EQ(read_all("Content-Length: 10\r\n\r\n{}").back().kind, K::Truncated);
  EXPECT_EQ(read_all("Content-Len").back().kind, K::Truncated);
  EXPECT_EQ(read_all("").back().kind, K::End);
  // An endless header line is cut at the limit, not held.
  EXPECT_EQ(read_all(std::string(100000, 'x') + "\r\n\r\n" + framed("{}"))[0].kind, K::BadHeader);
}

base::SourcePtr file_of(const std::string& text) { return std::make_shared<base::SourceFile>("/t/a.policy", text); }

TEST(LspPosition, Utf16ColumnsBothWays) {
  // é: 2 bytes, 1 UTF-16 unit; 😀: 4 bytes, 2 UTF-16 units (a surrogate pair).
  const auto f = file_of("ab\n\"é😀\" x\n");
  // Line 2, character column 6 is `x` (", é, 😀, ", space).
  EXPECT_EQ(lsp::position(*f, 2, 6), (nlohmann::json{{"line", 1}, {"character", 6}}));
  EXPECT_EQ(lsp::position(*f, 2, 3), (nlohmann::json{{"line", 1}, {"character", 2}}));
  EXPECT_EQ(f->text()[lsp::offset(*f, {{"line", 1}, {"character", 6}})], 'x');
  EXPECT_EQ(lsp::offset(*f, {{"line", 1}, {"character", 2}}), 3u + 3u);  // after "é
  // Inside the surrogate pair: the code point's start; past the line's end: the line's end.
  EXPECT_EQ(lsp::offset(*f, {{"line", 1}, {"character", 3}}), 6u);
  EXPECT_EQ(lsp::offset(*f, {{"line", 0}, {"character", 99}}), 2u);
  EXPECT_EQ(lsp::offset(*f, {{"line", 99}, {"character", 0}}), f->text().size());
  EXPECT_EQ(lsp::whole_range(*f)["end"], (nlohmann::json{{"line", 2}, {"character", 0}}));
}

TEST(LspPosition, FileUris) {
  EXPECT_EQ(lsp::uri_of("/a b/é.policy"), "file:///a%20b/%C3%A9.policy");
  EXPECT_EQ(lsp::path_of("file:///a%20b/%C3%A9.policy"), "/a b/é.policy");
  EXPECT_EQ(lsp::path_of("file://localhost/x"), "/x");
  EXPECT_EQ(lsp::path_of("file://elsewhere/x"), "");
  EXPECT_EQ(lsp::path_of("untitled:Untitled-1"), "");
  EXPECT_EQ(lsp::path_of("file:///a%00b"), "");
}

const char* kPolicy = R"(reddalert 1

const PORTS = [22]
def open(g) = any(p in g.ipPermissions: p.fromPort in PORTS)

policy p {
  title "t"
  severity low
  param limit = 3
  for g in aws.securityGroups
  let n = len(g.ipPermissions)
  where open(g) and n > limit
  alert g.groupId
  message "{g.groupName}"
}
)";

TEST(LspLocate, FindsTheNodeUnderAnOffset) {
  const auto f = file_of(kPolicy);
  const auto parsed = syntax::parse(f);
  ASSERT_TRUE(parsed.module);
  const auto at = [&](const std::string& needle, std::size_t into = 0) {
    return lsp::locate(*parsed.module, f->text().find(needle) + into);
  };
  using HK = lsp::Hit::Kind;
  EXPECT_EQ(at("PORTS =").kind, HK::Const);
  EXPECT_EQ(at("open(g) =").kind, HK::Def);
  EXPECT_EQ(at("open(g) =", 5).kind, HK::Binder);  // the def's parameter
  EXPECT_EQ(at("p in g").kind, HK::Binder);        // a quantifier's variable
  EXPECT_EQ(at("limit =").kind, HK::Param);
  EXPECT_EQ(at("n = len").kind, HK::Binder);
  const lsp::Hit call = at("len(", 1);
  ASSERT_EQ(call.kind, HK::Expr);
  EXPECT_EQ(call.name, "len");
  EXPECT_TRUE(call.expr->as<ast::Call>());
  const lsp::Hit field = at("groupId", 3);
  ASSERT_EQ(field.kind, HK::Field);
  EXPECT_EQ(field.name, "groupId");
  // Just after a name is still on it; inside a template string's part too.
  const lsp::Hit name = at("limit\n", 5);
  ASSERT_EQ(name.kind, HK::Expr);
  EXPECT_EQ(name.name, "limit");
  EXPECT_EQ(at("{g.groupName", 1).name, "g");
  EXPECT_EQ(at("aws.securityGroups", 4).expr->as<ast::CollectionRef>()->name, "securityGroups");
  EXPECT_EQ(at("\n\nconst").kind, HK::None);
}

TEST(LspLocate, EnclosingItemAndLastLine) {
  const auto f = file_of(kPolicy);
  const auto parsed = syntax::parse(f);
  ASSERT_TRUE(parsed.module);
  const auto in = [&](const std::string& needle) { return lsp::enclosing(*parsed.module, f->text().find(needle)); };
  EXPECT_TRUE(in("any(").def);
  EXPECT_TRUE(in("[22]").constant);
  EXPECT_TRUE(in("where").policy);
  EXPECT_EQ(lsp::last_line(parsed.module->policies[0]), 14u);
}

}  // namespace
}  // namespace reddalert::testing
