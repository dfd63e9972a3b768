// Baseline for bench/run.sh: read and parse every collection file of a snapshot with
// nlohmann::json, nothing else. Prints the number of top-level documents.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: json_parse_only SNAPSHOT_DIR\n";
    return 2;
  }
  std::size_t documents = 0;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "manifest.json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const nlohmann::json j = nlohmann::json::parse(in);
    documents += j.size();
  }
  std::cout << documents << " documents\n";
  return 0;
}
