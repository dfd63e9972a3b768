// The building blocks in base/: digests, arenas, the JSON writer, the thread pool, source
// positions and the renderings of diagnostics.
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <stdexcept>

#include "base/arena.hpp"
#include "base/diagnostic.hpp"
#include "base/gzip.hpp"
#include "base/json_text.hpp"
#include "base/process.hpp"
#include "base/sha256.hpp"
#include "base/text.hpp"
#include "base/thread_pool.hpp"
#include "base/time.hpp"
#include "base/url.hpp"

namespace reddalert::base {
namespace {

TEST(SourceFile, ColumnsCountCharactersAndOffsetsInvertThem) {
  // "ï" and "é" are two bytes, "€" three; the second line starts at byte 11.
  const auto file = std::make_shared<SourceFile>("p.policy",
                                                 "a\xc3\xaf"
                                                 "b \xe2\x82\xac x\nc\xc3\xa9"
                                                 "d\n");
  EXPECT_EQ(file->position(0), std::make_pair(1u, 1u));
  EXPECT_EQ(file->position(3), std::make_pair(1u, 3u));   // the b after ï
  EXPECT_EQ(file->position(9), std::make_pair(1u, 7u));   // the x after €
  EXPECT_EQ(file->position(14), std::make_pair(2u, 3u));  // the d after é
  EXPECT_EQ(file->offset(1, 7), 9u);
  EXPECT_EQ(file->offset(2, 3), 14u);
  EXPECT_EQ(file->offset(2, 99), 15u);  // past the line: its end
  EXPECT_EQ(file->offset(9, 1), 0u);
  const Location euro = location_at(file, 5, 3);  // € is one character long
  EXPECT_EQ(euro.column, 5u);
  EXPECT_EQ(euro.length, 1u);
  EXPECT_EQ(euro.end_column(), 6u);
  EXPECT_EQ(euro.offset(), 5u);
}

TEST(Diagnostic, GithubCommandsEscapeMessagesAndProperties) {
  const auto file = std::make_shared<SourceFile>("a,b:50%.policy", "x\n");
  const Diagnostic d{.severity = Severity::Warning,
                     .code = "W0201",
                     .location = location_at(file, 0),
                     .message = "100% sure\r\nreally",
                     .hint = "h",
                     .notes = {}};
  EXPECT_EQ(render_github(d),
            "::warning file=a%2Cb%3A50%25.policy,line=1,col=1,endLine=1,endColumn=2,title=W0201::"
            "100%25 sure%0D%0Areally%0Ahint: h");
  const Diagnostic nowhere{
      .severity = Severity::Error, .code = "E0119", .location = {}, .message = "m", .hint = {}, .notes = {}};
  EXPECT_EQ(render_github(nowhere), "::error title=E0119::m");
}

TEST(Diagnostic, ALongLineIsCutAroundTheCaret) {
  std::string line(200, 'a');
  line.replace(150, 3, "\xc3\xaf\xc3\xaf\xc3\xaf");  // three ï: characters 150..152
  const auto file = std::make_shared<SourceFile>("p.policy", line + "\n");
  const Diagnostic d{.severity = Severity::Error,
                     .code = "E0001",
                     .location = location_at(file, 152, 4),  // the second and third ï: column 152, 2 long
                     .message = "m",
                     .hint = {},
                     .notes = {}};
  const std::string text = render(d);
  // Shown: 120 characters from 40 before the caret, but the line ends first, so its last 120
  // (80..199) with `...` before them.
  EXPECT_NE(text.find(" 1 | ..." + std::string(70, 'a') + "\xc3\xaf\xc3\xaf\xc3\xaf"), std::string::npos) << text;
  EXPECT_EQ(text.find("a..."), std::string::npos) << text;  // not cut at the end: it is shown up to there
  // The caret: 3 for `...`, then the 71 characters from 80 to the first ï.
  EXPECT_NE(text.find("   | " + std::string(3 + 71, ' ') + "^^\n"), std::string::npos) << text;
}

TEST(Sha256, KnownDigestsAcrossBlockBoundaries) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Lengths around the 56-byte limit of one padded block, and around two blocks.
  const std::pair<std::size_t, const char*> xs[] = {
      {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
      {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
      {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
      {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
      {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
      {128, "24da1b81d0b16df6428eee73c69fcb2a93c76bc6df706f0c6670fe6bfe800464"},
  };
  for (const auto& [n, digest] : xs) {
    EXPECT_EQ(sha256_hex(std::string(n, 'x')), digest) << n;
    EXPECT_EQ(detail::sha256_hex_portable(std::string(n, 'x')), digest) << n;
  }
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Arena, MarksGiveMemoryBackForReuse) {
  Arena a(1024);
  const Arena::Mark start = a.mark();
  char* first = static_cast<char*>(a.allocate(100, 8));
  const Arena::Mark after_first = a.mark();
  a.allocate(5000, 8);  // larger than a chunk: a chunk of its own
  EXPECT_GE(a.used(), 5100U);
  a.release(after_first);
  EXPECT_EQ(a.used(), 100U);
  a.release(start);
  EXPECT_EQ(a.used(), 0U);
  EXPECT_EQ(static_cast<char*>(a.allocate(100, 8)), first);  // the same memory again
  const std::size_t held = a.reserved();
  for (int i = 0; i < 10; ++i) {
    const Arena::Mark m = a.mark();
    a.allocate(5000, 8);
    a.release(m);
  }
  EXPECT_EQ(a.reserved(), held);  // released chunks are reused, not allocated again
}

TEST(Arena, ALimitThrowsInsteadOfGrowing) {
  Arena a(1024);
  a.set_limit(4096);
  a.allocate(3000, 8);
  EXPECT_THROW(a.allocate(3000, 8), ArenaLimit);
  a.reset();
  EXPECT_NO_THROW(a.allocate(3000, 8));
}

TEST(JsonWriter, WritesWhatNlohmannWrites) {
  const nlohmann::json docs[] = {
      nlohmann::json::parse(R"({"b": [1, 2.5, {"c": null, "d": []}], "a": {}, "e": "x\ny\u0001", "f": [[]]})"),
      nlohmann::json::array(),
      nlohmann::json::object(),
      nlohmann::json::parse(R"([1e+20, -0.0, 18446744073709551615, -9223372036854775808, true, "\u00e9"])"),
  };
  for (const nlohmann::json& j : docs) {
    for (const int indent : {-1, 2, 4}) {
      std::string direct, from_raw;
      JsonWriter(direct, indent).json(j);
      EXPECT_EQ(direct, json_text(j, indent)) << indent;
      JsonWriter(from_raw, indent).raw(json_text(j));  // compact text re-indented
      EXPECT_EQ(from_raw, json_text(j, indent)) << indent;
    }
  }
  // A value nested in a document written piece by piece.
  std::string out;
  JsonWriter w(out, 2);
  w.begin_object();
  w.key("list");
  w.begin_array();
  w.raw(R"({"k":[1,2],"s":"a,b:c"})");
  w.value(std::int64_t{3});
  w.end_array();
  w.key("z");
  w.value("end");
  w.end_object();
  EXPECT_EQ(out, json_text(nlohmann::json::parse(R"({"list": [{"k": [1, 2], "s": "a,b:c"}, 3], "z": "end"})"), 2));
}

TEST(ThreadPool, RunsEveryTaskAndRethrowsTheFirstFailure) {
  for (const unsigned threads : {1U, 2U, 4U}) {
    ThreadPool pool(threads);
    std::vector<int> seen(1000, 0);
    pool.run(seen.size(), [&](std::size_t i) { seen[i] += static_cast<int>(i); });
    for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], static_cast<int>(i));
    std::atomic<int> ran{0};
    EXPECT_THROW(pool.run(100,
                          [&](std::size_t i) {
                            ++ran;
                            if (i == 50) throw std::runtime_error("task 50");
                          }),
                 std::runtime_error);
    EXPECT_EQ(ran.load(), 100);        // the others still ran
    pool.run(3, [&](std::size_t) {});  // and the pool is usable after a failure
  }
}

TEST(Text, ParsesByteSizes) {
  EXPECT_EQ(parse_bytes("512MiB"), std::size_t{512} << 20);
  EXPECT_EQ(parse_bytes("1GiB"), std::size_t{1} << 30);
  EXPECT_EQ(parse_bytes("64KiB"), std::size_t{64} << 10);
  EXPECT_EQ(parse_bytes("1000"), 1000U);
  EXPECT_FALSE(parse_bytes("1GB"));
  EXPECT_FALSE(parse_bytes("MiB"));
  EXPECT_FALSE(parse_bytes("99999999999999999999"));
  EXPECT_FALSE(parse_bytes("17179869185GiB"));  // 2^64 + 1GiB: no wrapping to 1GiB
  EXPECT_EQ(format_bytes(std::size_t{1} << 20), "1MiB");
  EXPECT_EQ(format_bytes(std::size_t{2} << 30), "2GiB");
  EXPECT_EQ(format_bytes(1536), "1536B");
}

TEST(Text, Base64Decode) {
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8"), "fo");                 // padding left out
  EXPECT_EQ(base64_decode("Zm9v\nYmFy\r\n"), "foobar");  // wrapped lines
  EXPECT_EQ(base64_decode(base64(std::string("\0\xff\x10", 3))), std::string("\0\xff\x10", 3));
  EXPECT_FALSE(base64_decode("Zm9v!"));   // not the alphabet
  EXPECT_FALSE(base64_decode("Zg==Zg"));  // a digit after padding
  EXPECT_FALSE(base64_decode("Z"));       // one digit carries no byte
  EXPECT_FALSE(base64_decode("Zg="));     // padding short
}

namespace {
std::string gzip(const std::string& bytes) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, bytes.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}
}  // namespace

TEST(Gzip, InflatesWholeStreamsWithinTheLimit) {
  const std::string script = "#!/bin/sh\nexport DB_PASSWORD=hunter2\n";
  const std::string packed = gzip(script);
  EXPECT_TRUE(is_gzip(packed));
  EXPECT_FALSE(is_gzip(script));
  EXPECT_EQ(gunzip(packed, 1024), script);
  EXPECT_FALSE(gunzip(packed.substr(0, packed.size() - 6), 1024));  // cut short
  EXPECT_FALSE(gunzip(script, 1024));                               // not gzip
  // Two megabytes of zeros pack into about two kilobytes: refused at a one-megabyte limit,
  // after inflating no more than the limit and a chunk.
  const std::string bomb = gzip(std::string(std::size_t{2} << 20, '\0'));
  EXPECT_LT(bomb.size(), 4096U);
  EXPECT_FALSE(gunzip(bomb, std::size_t{1} << 20));
  EXPECT_EQ(gunzip(bomb, std::size_t{2} << 20)->size(), std::size_t{2} << 20);
}

TEST(Text, Base64AndFirstLines) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("reddalert:p@ss"), "cmVkZGFsZXJ0OnBAc3M=");
  EXPECT_EQ(first_line("one\ntwo"), "one");
  EXPECT_EQ(first_line("one\r\ntwo"), "one");
  EXPECT_EQ(first_line(std::string(300, 'x'), 200), std::string(200, 'x') + "...");
}

TEST(Time, DurationsDoNotWrap) {
  EXPECT_EQ(parse_duration("90d"), 90 * 86400000LL);
  EXPECT_EQ(parse_duration("2932896d"), 2932896LL * 86400000);  // the valid time range, 1970 to 9999
  EXPECT_FALSE(parse_duration("2932897d"));
  EXPECT_FALSE(parse_duration("106751991168d"));  // past 2^63 ms: it wrapped to a negative number
  EXPECT_FALSE(parse_duration("10y"));
}

// A configuration's diagnostics show its lines through this mask: each secret byte
// becomes `*` in place, so columns after it stay right.
TEST(Url, MaskSecretsInText) {
  EXPECT_EQ(mask_url_secrets("edda: http://reddalert:s3cret@edda:8080/edda # live\n"),
            "edda: http://reddalert:******@edda:8080/**** # live\n");
  EXPECT_EQ(mask_url_secrets("{url: \"https://hooks.slack.com/services/T0/B0/X\", format: slack}"),
            "{url: \"https://hooks.slack.com/****************\", format: slack}");
  EXPECT_EQ(mask_url_secrets("es: http://es:9200\nsmtp: smtps://u@mail:465/"),
            "es: http://es:9200\nsmtp: smtps://u@mail:465/");
  EXPECT_EQ(mask_url_secrets("a://:p@h x://"), "a://:*@h x://");
  EXPECT_EQ(mask_url_secrets("no url at all"), "no url at all");
}

TEST(Url, SecretsAreNeverShown) {
  EXPECT_EQ(redact_url("http://reddalert:s3cret@edda:8080/edda/api/v2/aws/instances;_at=1"),
            "http://***@edda:8080/edda/api/v2/aws/instances;_at=1");
  EXPECT_EQ(redact_url("https://u:p@ss@es:9200"), "https://***@es:9200");  // an unencoded @ in the password
  EXPECT_EQ(redact_url("user:pw@edda/edda"), "***@edda/edda");             // no scheme: libcurl would guess one
  EXPECT_EQ(redact_url("http://edda:8080/edda"), "http://edda:8080/edda");
  EXPECT_EQ(redact_url_path("https://hooks.slack.com/services/T000/B000/XXXX"), "https://hooks.slack.com/...");
  EXPECT_EQ(redact_url_path("https://me:pw@hooks.example.com:8443/x?token=1"),
            "https://***@hooks.example.com:8443/...");
  EXPECT_EQ(redact_url_path("http://hooks.example.com/"), "http://hooks.example.com");
}

TEST(Url, OnlyTheAllowedSchemes) {
  const std::vector<std::string>& web = kHttpSchemes;
  EXPECT_EQ(url_problem("http://edda:8080/edda", web), "");
  EXPECT_EQ(url_problem("HTTPS://edda/edda", web), "");
  EXPECT_EQ(url_problem("file:///etc/passwd", web), "its scheme is file://; only http://, https:// are allowed");
  EXPECT_EQ(url_problem("gopher://x:70/1", web), "its scheme is gopher://; only http://, https:// are allowed");
  EXPECT_EQ(url_problem("edda:8080/edda", web), "it is not an absolute URL; it must start with http://, https://");
  EXPECT_EQ(url_problem("http:///edda", web), "it names no host");
  EXPECT_EQ(url_problem("http://edda/a b", web), "it contains a space or a control character");
  EXPECT_EQ(url_problem("smtps://mail:465", kSmtpSchemes), "");
  EXPECT_EQ(url_kind(kHttpSchemes), "an http:// or https:// URL");
}

TEST(Url, APasswordGoesIntoTheUserinfoEncoded) {
  EXPECT_EQ(with_password("http://reddalert@edda/edda", "p@ss:w/rd"), "http://reddalert:p%40ss%3Aw%2Frd@edda/edda");
  EXPECT_EQ(with_password("http://reddalert:old@edda/edda", "new"), "http://reddalert:new@edda/edda");
  EXPECT_EQ(with_password("http://edda/edda", "pw"), "http://:pw@edda/edda");
}

}  // namespace
TEST(Process, RunsWithoutAShellAndReadsBothStreams) {
  const ProcessResult r = run_process({"sh", "-c", "printf 'a b'; printf err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "a b");
  EXPECT_EQ(r.err, "err");
  // An argument is passed as it is: `$(...)` and `;` reach the program, no shell sees them.
  const ProcessResult echo = run_process({"printf", "%s", "$(id); x"});
  EXPECT_EQ(echo.out, "$(id); x");
  const ProcessResult missing = run_process({"no-such-program-reddalert"});
  EXPECT_EQ(missing.exit_code, -1);
  EXPECT_NE(missing.failure.find("cannot run no-such-program-reddalert"), std::string::npos) << missing.failure;
  ProcessOptions small;
  small.max_output = 1000;
  const ProcessResult big = run_process({"yes"}, small);  // never ends by itself
  EXPECT_EQ(big.exit_code, -1);
  EXPECT_NE(big.failure.find("wrote more than"), std::string::npos) << big.failure;
}

TEST(Text, EditDistanceCountsASwapOfNeighboursAsOneEdit) {
  EXPECT_EQ(edit_distance("lenght", "length"), 1u);
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);  // no substring is edited twice
  EXPECT_EQ(edit_distance("Kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(closest("gorupName", {"groupName", "groupId"}), "groupName");
}

}  // namespace reddalert::base
