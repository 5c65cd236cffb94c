#pragma once
// The migration guide: one Markdown document for a version range, written
// only from the facts of an UpgradePlan (and release notes, when given), and
// the index of the guides in a folder. Pure functions: no database, no files.
#include <optional>
#include <string>
#include <vector>

#include "cairn/plan.hpp"

namespace cairn {

struct GuideInput {
  UpgradePlan plan;
  std::optional<ReleaseNotes> release;
  std::string date;                          // "2026-03-01" as given; "" prints no date
  std::string history_table = "schema_migrations";
};

// The whole guide. Its first line is a comment the index reads back
// (parse_guide_summary), so guides in a folder can be listed without the
// database they were written from.
std::string guide_markdown(const GuideInput& input);

// "v20260101090000-to-v20260301090600.md"; v0 when the range starts empty.
std::string guide_file_name(const UpgradePlan& plan);

// One row of the impact matrix: a kind of change in one guide.
struct GuideImpact {
  std::string kind;        // change_kind_name(), or "api-changes", "config-changes", "deprecations", "code-steps"
  int count = 0;
  Risk impact = Risk::low;
  int complexity = 0;      // 0 simple, 1 moderate, 2 complex
  int rollback = 0;        // 0 easy, 1 hard (data comes back only from a backup), 2 no down
};

// What the index shows of one guide.
struct GuideSummary {
  std::string file;        // the guide's file name inside the folder
  Version from = 0, to = 0;
  std::string app_from, app_to;  // from the release notes, when given
  Risk risk = Risk::low;
  int migrations = 0;
  int breaking = 0;
  double seconds = -1;     // estimated run time; -1 when sizes were unknown
  bool downtime = false;
  bool data_loss = false;
  std::vector<GuideImpact> impacts;
};

// The summary written into a guide's first line; nullopt when `markdown` is
// not a guide cairn wrote.
std::optional<GuideSummary> parse_guide_summary(const std::string& markdown, const std::string& file);

// README.md of a guide folder: every guide, newest range first, and the
// breaking-change impact matrix over all of them.
std::string guide_index_markdown(std::vector<GuideSummary> guides);

// Impact, complexity and rollback difficulty as the matrix words them.
const char* complexity_name(int complexity);   // "simple", "moderate", "complex"
const char* rollback_name(int rollback);       // "easy", "hard", "restore from backup"

}  // namespace cairn
