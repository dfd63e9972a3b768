#include "config/yaml_json.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include <yaml-cpp/eventhandler.h>

namespace reddalert::config {

namespace {

// What a YAML file may expand to, aliases followed: 495 bytes of nested aliases (a billion
// laughs) would otherwise become gigabytes of JSON. Far more than a file written by hand.
constexpr std::size_t kMaxNodes = 1'000'000;
// As deep as yaml-cpp itself parses; aliases could nest deeper, and readers recurse.
constexpr std::size_t kMaxDepth = 2000;

std::string line_of(const YAML::Mark& m) { return std::to_string(m.line + 1); }

// Walks the document as its readers will, aliases expanded, before any of them does:
// refuses a mapping key given twice (yaml-cpp keeps both, and readers would take one)
// and a document past kMaxNodes nodes or kMaxDepth levels.
void check_document(const YAML::Node& root) {
  std::vector<std::pair<YAML::Node, std::size_t>> todo{{root, 1}};  // node, depth
  std::size_t count = 0;
  while (!todo.empty()) {
    const auto [n, depth] = todo.back();
    todo.pop_back();
    if (++count > kMaxNodes) {
      throw YAML::ParserException(
          n.Mark(), "the document expands to more than " + std::to_string(kMaxNodes) + " nodes (through aliases?)");
    }
    if (depth > kMaxDepth) {
      throw YAML::ParserException(
          n.Mark(), "the document nests more than " + std::to_string(kMaxDepth) + " levels deep (through aliases?)");
    }
    if (n.IsSequence()) {
      for (const auto& e : n) todo.emplace_back(e, depth + 1);
    } else if (n.IsMap()) {
      std::map<std::string, YAML::Mark> keys;
      for (const auto& kv : n) {
        const auto [first, fresh] = keys.try_emplace(kv.first.Scalar(), kv.first.Mark());
        if (!fresh) {
          throw YAML::ParserException(kv.first.Mark(), "`" + kv.first.Scalar() +
                                                           "` is given twice in one mapping (first at line " +
                                                           line_of(first->second) + ")");
        }
        todo.emplace_back(kv.second, depth + 1);
      }
    }
  }
}

// A plain scalar that reads as a number as JSON (or simdjson) would: an integer of 64
// bits, else a finite decimal; one beyond that range is an error at its place, as in a
// snapshot. nullopt for other text (`inf` and `nan` stay strings: YAML writes .inf, .nan).
std::optional<nlohmann::json> plain_number(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  const char* const end_of_text = s.c_str() + s.size();
  const auto out_of_range = [&] { return YAML::ParserException(n.Mark(), "the number " + s + " is out of range"); };
  char* end = nullptr;
  errno = 0;
  const long long i = std::strtoll(s.c_str(), &end, 10);
  if (end == end_of_text) {
    if (errno == 0) return nlohmann::json(i);
    errno = 0;
    const unsigned long long u = s[0] == '-' ? 0 : std::strtoull(s.c_str(), &end, 10);
    if (s[0] != '-' && errno == 0) return nlohmann::json(u);
    throw out_of_range();
  }
  errno = 0;
  const double d = std::strtod(s.c_str(), &end);
  if (end != end_of_text) return std::nullopt;
  if (errno == ERANGE && std::fabs(d) > 1) throw out_of_range();
  if (!std::isfinite(d)) return std::nullopt;
  return nlohmann::json(d);
}

}  // namespace

nlohmann::json yaml_to_json(const YAML::Node& n) {
  using nlohmann::json;
  switch (n.Type()) {
    case YAML::NodeType::Null: return nullptr;
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& e : n) out.push_back(yaml_to_json(e));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : n) out[kv.first.Scalar()] = yaml_to_json(kv.second);
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
      if (s == "null" || s == "~" || s == "Null" || s == "NULL") return nullptr;
      return plain_number(n).value_or(json(s));
    }
    default: return nullptr;
  }
}

namespace {

// yaml-cpp counts columns in bytes.
base::Location at_mark(const base::SourcePtr& file, const YAML::Mark& mark, std::size_t length) {
  const std::size_t line_start = file->line_start(static_cast<std::uint32_t>(mark.line + 1));
  return base::location_at(file, line_start + static_cast<std::size_t>(mark.column), length);
}

}  // namespace

base::Location yaml_location(const base::SourcePtr& file, const YAML::Mark& mark) {
  if (mark.line < 0) return {file, 1, 1, 1};
  return at_mark(file, mark, 1);
}

// Counts documents, looking at no more than `most`: yaml-cpp 0.7's parser can report
// documents without end on some malformed text (YAML::LoadAll then never returns).
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  std::vector<YAML::Mark> starts;
};

std::vector<YAML::Mark> document_starts(const std::string& text, std::size_t most) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentCounter counter;
  while (counter.starts.size() < most && parser.HandleNextDocument(counter)) {
  }
  return counter.starts;
}

std::optional<YAML::Node> parse_yaml(const base::SourcePtr& file, const char* code, base::Diagnostics& diags) {
  try {
    const YAML::Node document = YAML::Load(file->text());
    // A second document would be ignored: a `---` pasted in by mistake hides what follows.
    const std::vector<YAML::Mark> starts = document_starts(file->text(), 2);
    if (starts.size() > 1) {
      throw YAML::ParserException(starts[1], "a second document in the file (after `---`); it holds one");
    }
    if (!document.IsDefined()) return YAML::Node();
    check_document(document);
    return document;
  } catch (const YAML::ParserException& e) {
    diags.error(code, yaml_location(file, e.mark), "invalid YAML: " + e.msg);
  } catch (const YAML::Exception& e) {
    diags.error(code, yaml_location(file, e.mark), std::string("invalid YAML: ") + e.what());
  }
  return std::nullopt;
}

base::Location yaml_location(const base::SourcePtr& file, const YAML::Node& n, std::size_t length) {
  const YAML::Mark m = n.Mark();
  if (m.line < 0) return {file, 0, 0, 1};
  return at_mark(file, m, length);
}

}  // namespace reddalert::config
