// Standard-output formats of `check`: text grouped by policy, and JSON.
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/alert.hpp"

namespace reddalert::app {

void write_text(const std::vector<model::Alert>& alerts, std::ostream& out, bool color);
void write_json(const std::vector<model::Alert>& alerts, const nlohmann::json& summary, std::ostream& out);

}  // namespace reddalert::app
