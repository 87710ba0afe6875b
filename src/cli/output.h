// Output for people (aligned tables) and machines (CSV with RFC 4180 quoting, JSON).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace onecard::cli {

enum class Format { kTable, kCsv, kJson };

// Columns are aligned to their widest cell; numeric-looking cells are right-aligned.
std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);
std::string CsvField(std::string_view text);
std::string JsonString(std::string_view text);

}  // namespace onecard::cli
