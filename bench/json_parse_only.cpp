// Baseline for bench/run.sh: read and parse every collection file of a snapshot with
// nlohmann::json the way `reddalert check` does (whole file into memory, then parse;
// every document kept until the end, not freed at exit), and nothing else.
// Prints the number of top-level documents.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: json_parse_only SNAPSHOT_DIR\n";
    return 2;
  }
  auto kept = std::make_unique<std::vector<nlohmann::json>>();
  std::size_t documents = 0;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "manifest.json") continue;
    std::ifstream in(entry.path(), std::ios::binary | std::ios::ate);
    std::string text(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    kept->push_back(nlohmann::json::parse(text));
    documents += kept->back().size();
  }
  std::cout << documents << " documents\n";
  (void)kept.release();  // like check: the kernel frees the documents at exit
  return 0;
}
