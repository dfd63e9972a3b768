#include "config/catalog.hpp"

#include <stdexcept>

#include <yaml-cpp/yaml.h>

namespace reddalert::config {

extern const char* const kControlsYaml[];  // generated from compliance/controls.yaml, in pieces

namespace {

std::string text(const YAML::Node& n, const char* key) { return n[key] ? n[key].as<std::string>() : std::string(); }

[[noreturn]] void bad(const YAML::Node& n, const std::string& what) {
  throw std::runtime_error("compliance/controls.yaml:" + std::to_string(n.Mark().line + 1) + ": " + what);
}

}  // namespace

const Framework* Catalog::find(const std::string& id) const {
  for (const Framework& f : frameworks) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

Catalog read_catalog(const std::string& yaml) {
  const YAML::Node root = YAML::Load(yaml);
  Catalog out;
  for (const YAML::Node& f : root["frameworks"]) out.frameworks.push_back({text(f, "id"), text(f, "title"), {}});
  const YAML::Node controls = root["controls"];
  for (Framework& f : out.frameworks) {
    const YAML::Node list = controls[f.id];
    if (!list || !list.IsSequence()) bad(controls, "framework `" + f.id + "` has no list of controls");
    for (const YAML::Node& c : list) {
      Control control{.id = text(c, "id"),
                      .title = text(c, "title"),
                      .cls = text(c, "class"),
                      .checks = {},
                      .severity = text(c, "severity"),
                      .service = text(c, "service"),
                      .fields = text(c, "fields"),
                      .why = text(c, "why")};
      if (control.id.empty()) bad(c, "a control without an id");
      if (control.cls != "E" && control.cls != "Ea" && control.cls != "X" && control.cls != "N")
        bad(c, "control `" + control.id + "`: class is E, Ea, X or N");
      if (control.cls == "N" && control.why.empty()) bad(c, "control `" + control.id + "` of class N says no `why`");
      if (const YAML::Node checks = c["checks"]) {
        for (const YAML::Node& k : checks) control.checks.push_back(k.as<std::string>());
      }
      f.controls.push_back(std::move(control));
    }
  }
  return out;
}

const Catalog& builtin_catalog() {
  static const Catalog catalog = [] {
    std::string text;
    for (const char* const* piece = kControlsYaml; *piece; ++piece) text += *piece;
    return read_catalog(text);
  }();
  return catalog;
}

}  // namespace reddalert::config
