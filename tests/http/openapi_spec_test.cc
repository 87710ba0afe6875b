// api/openapi.yaml and the served routes describe each other: every served route is in the spec
// and every spec route is served. The spec's paths are read with a line scan (no YAML library):
// a path is a two-space-indented key starting with '/', its methods four-space-indented keys.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "server/api.h"

namespace onecard::server {
namespace {

std::set<std::string> SpecRoutes() {
  std::ifstream in(std::string(ONECARD_SOURCE_DIR) + "/api/openapi.yaml");
  EXPECT_TRUE(in.good());
  const std::regex path_line(R"(^  (/[^:]*):\s*$)");
  const std::regex method_line(R"(^    (get|post|put|patch|delete):\s*$)");
  std::set<std::string> routes;
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ') in_paths = line.rfind("paths:", 0) == 0;
    if (!in_paths) continue;
    std::smatch match;
    if (std::regex_match(line, match, path_line)) {
      path = match[1];
    } else if (std::regex_match(line, match, method_line)) {
      std::string method = match[1];
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      routes.insert(method + " " + path);
    }
  }
  return routes;
}

TEST(OpenApiSpecTest, SpecAndServedRoutesAgree) {
  std::set<std::string> served;
  for (const RouteSpec& route : Api::Routes()) served.insert(route.method + " " + route.pattern);
  const std::set<std::string> spec = SpecRoutes();
  EXPECT_GE(spec.size(), 11u);
  for (const std::string& route : served)
    EXPECT_TRUE(spec.contains(route)) << "not in spec: " << route;
  for (const std::string& route : spec)
    EXPECT_TRUE(served.contains(route)) << "not served: " << route;
}

}  // namespace
}  // namespace onecard::server
