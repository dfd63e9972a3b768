// Where documents come from during evaluation: the interface between the evaluator and
// the data sources (a snapshot directory, or a live EDDA over HTTP).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/flat_map.hpp"

namespace reddalert::model {

// A document's JSON. Other JSON (configuration, outputs, the status file) is plain
// nlohmann::json; the two convert into each other.
using Json = nlohmann::basic_json<FlatMap>;

// Parses JSON text into a document, each object and array allocated once at its exact
// size. Throws Json::parse_error (and the other nlohmann exceptions) as Json::parse does.
Json parse_document(std::string_view text);

// Identity of a resource document: its EDDA record id and collection.
struct ResourceRef {
  std::string collection;
  std::string id;
};

class DataSet {
 public:
  virtual ~DataSet() = default;
  // Documents current at the end of the window.
  virtual const std::vector<const Json*>& current(std::string_view collection) const = 0;
  // Newest revision of each resource whose revision started inside the window.
  virtual const std::vector<const Json*>& changed(std::string_view collection) const = 0;
  // The revision of resource `id` current at the start of the window, or null.
  virtual const Json* previous(std::string_view collection, std::string_view id) const = 0;
  // The identity of a document served by current() or changed(), or null for other values.
  virtual const ResourceRef* resource(const Json* document) const = 0;
};

}  // namespace reddalert::model
