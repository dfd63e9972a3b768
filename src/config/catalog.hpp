// The controls the policy library is measured against (compliance/controls.yaml, carried in
// the binary): CIS AWS Foundations v1.5, v2.0, v3.0 and Prowler's AWS checks of the kinds
// EDDA serves, each with its class. `check --format compliance` lists them with the results
// of the policies mapped to them; `doc --coverage` writes docs/coverage.md from them.
#pragma once

#include <string>
#include <vector>

namespace reddalert::config {

struct Control {
  std::string id;     // "1.13", "ec2_instance_public_ip"
  std::string title;  // empty for Prowler checks listed by id only
  // E (decided exactly from EDDA data), Ea (with an approximation), X (the fields are not in
  // EDDA: a guarded policy), N (needs data outside EDDA: not covered).
  std::string cls;
  std::vector<std::string> checks;  // CIS: the Prowler checks of the control
  std::string severity, service;    // Prowler
  std::string fields;               // what it reads (E, Ea, X)
  std::string why;                  // N: the data it needs
};

struct Framework {
  std::string id, title;
  std::vector<Control> controls;  // in the file's order
};

struct Catalog {
  std::vector<Framework> frameworks;
  const Framework* find(const std::string& id) const;
};

// The catalog the binary carries, read once. A malformed file is a build's bug: it throws.
const Catalog& builtin_catalog();
// `text` read as compliance/controls.yaml is; throws std::runtime_error naming the line.
Catalog read_catalog(const std::string& text);

}  // namespace reddalert::config
