#include "app/output.hpp"

namespace reddalert::app {

void write_text(const std::vector<model::Alert>& alerts, std::ostream& out, bool color) {
  const char* bold = color ? "\x1b[1m" : "";
  const char* red = color ? "\x1b[31m" : "";
  const char* dim = color ? "\x1b[2m" : "";
  const char* off = color ? "\x1b[0m" : "";
  std::string current;
  for (const model::Alert& a : alerts) {
    if (a.policy != current) {
      if (!current.empty()) out << '\n';
      current = a.policy;
      std::size_t n = 0;
      for (const auto& x : alerts) n += x.policy == a.policy;
      out << bold << a.policy << off << " [" << red << a.severity << off << "] " << a.title << "  " << dim << a.file
          << ':' << a.line << off << "  (" << n << (n == 1 ? " alert" : " alerts") << ")\n";
    }
    out << "  " << bold << a.id << off << '\n';
    for (const std::string& m : a.messages) out << "    " << m << '\n';
  }
}

void write_json(const std::vector<model::Alert>& alerts, const nlohmann::json& summary, std::ostream& out) {
  nlohmann::json arr = nlohmann::json::array();
  for (const model::Alert& a : alerts) arr.push_back(model::to_json(a));
  out << nlohmann::json{{"alerts", arr}, {"summary", summary}}.dump(2) << '\n';
}

}  // namespace reddalert::app
