// Field names interned to small integers, once per process: the document reader files each
// object member under the id of its name and the compiler turns every field name a policy
// reads into the same id, so a field access compares integers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace reddalert::model {

using Key = std::uint32_t;

// The id of `name`, assigned on first use. Thread-safe.
Key intern_key(std::string_view name);
// The id of `name` if it was ever interned. Thread-safe.
std::optional<Key> find_key(std::string_view name);
// The name of an interned id; the view lives as long as the process. Safe to call from any
// thread for ids it obtained.
std::string_view key_name(Key key);

}  // namespace reddalert::model
