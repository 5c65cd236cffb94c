#include <nlohmann/json.hpp>
#include <sstream>

#include "cairn/report.hpp"
#include "report/text_util.hpp"

namespace cairn {
namespace {

std::string what(const std::string& table, const std::vector<std::string>& columns, bool whole) {
  return captured_data_name(table, whole ? std::vector<std::string>{} : columns);
}

std::string rows_text(std::int64_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

}  // namespace

std::string data_note_text(const DataNote& n) {
  std::string subject = what(n.table, n.columns, n.columns.empty());
  if (n.kind == DataNote::Kind::captured) {
    return "captured " + rows_text(n.rows) + " of " + subject + " into cairn_capture." + n.capture_table;
  }
  if (n.kind == DataNote::Kind::kept) {
    return "kept " + rows_text(n.rows) + " of " + subject + " in cairn_capture." + n.capture_table +
           " (not restored: `cairn capture list`)";
  }
  std::string text = "restored " + rows_text(n.rows) + " of " + subject + " from cairn_capture." + n.capture_table;
  if (n.unmatched > 0) {
    text += n.columns.empty() ? " (" + rows_text(n.unmatched) + " already present, kept as they are)"
                              : " (" + rows_text(n.unmatched) + " captured had no row with the same key)";
  }
  return text;
}

std::string capture_list_text(const std::vector<CaptureInfo>& captures, const Target& target, const TextStyle& style) {
  Paint p{style.color};
  std::ostringstream out;
  if (captures.empty()) {
    out << "no captured data on " << target.url << "\n";
    return out.str();
  }
  std::size_t vw = 7, ww = 4, tw = 13;
  for (const auto& c : captures) {
    vw = std::max(vw, std::to_string(c.version).size());
    ww = std::max(ww, display_width(what(c.table, c.columns, c.whole_table)));
    tw = std::max(tw, c.capture_table.size());
  }
  out << p.bold(pad("VERSION", vw) + "  " + pad("DATA", ww) + "  " + pad("REASON", 11) + "  " + pad("ROWS", 9) + "  " +
                pad("SIZE", 9) + "  " + pad("CAPTURE TABLE", tw) + "  CAPTURED AT")
      << "\n";
  std::int64_t rows = 0, bytes = 0;
  for (const auto& c : captures) {
    rows += c.rows;
    bytes += c.bytes;
    out << pad(std::to_string(c.version), vw) << "  " << pad(what(c.table, c.columns, c.whole_table), ww) << "  "
        << pad(c.reason, 11) << "  " << pad(std::to_string(c.rows), 9) << "  "
        << pad(c.bytes > 0 ? bytes_text(static_cast<double>(c.bytes)) : "-", 9) << "  " << pad(c.capture_table, tw)
        << "  " << c.captured_at << "\n";
  }
  out << "\n" << captures.size() << " capture(s), " << rows_text(rows);
  if (bytes > 0) out << ", " << bytes_text(static_cast<double>(bytes));
  out << ". `cairn down --restore-data` puts a version's data back; `cairn capture drop V` discards it.\n";
  for (const auto& c : captures) {
    if (c.key_columns.empty()) {
      out << p.yellow("note") << ": table " << c.table << " (version " << c.version
          << ") has no primary key: its rows come back only with --restore-data=append\n";
    }
  }
  return out.str();
}

std::string capture_list_json(const std::vector<CaptureInfo>& captures, const Target& target) {
  using nlohmann::json;
  json list = json::array();
  for (const auto& c : captures) {
    list.push_back({{"version", c.version},
                    {"generation", c.generation},
                    {"sequence", c.sequence},
                    {"table", c.table},
                    {"whole_table", c.whole_table},
                    {"key_columns", c.key_columns},
                    {"columns", c.columns},
                    {"reason", c.reason},
                    {"rows", c.rows},
                    {"bytes", c.bytes},
                    {"capture_table", c.capture_table},
                    {"captured_at", c.captured_at}});
  }
  json doc = {{"target", {{"database", target.url}, {"server", target.server}, {"migrations", target.folder}}},
              {"captures", list}};
  return doc.dump(2) + "\n";
}

}  // namespace cairn
