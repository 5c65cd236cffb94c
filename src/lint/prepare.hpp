#pragma once
// Getting files ready for the rules: split (PostgreSQL files the caller left
// unsplit) and parse every statement. The rules must see the files in order,
// one after the other, because each file is checked against the catalogue of
// the files before it; the preparation of each file is independent. So worker
// threads prepare files ahead while the calling thread runs the rules, and the
// rules' sequential part overlaps the parsing instead of following it.
#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cairn/lint.hpp"
#include "lint/node.hpp"
#include "sql/parse_tree.hpp"

namespace cairn::lint {

struct Parsed {
  JsonDocument doc;               // when the statement was parsed on its own
  const Json* tree = nullptr;     // {"SelectStmt": {...}}, or nullptr on error
  std::size_t location_base = 0;  // subtracted from the tree's locations
  std::string error;
  int error_position = 0;  // 1-based character in the statement
};

struct PreparedFile {
  std::shared_ptr<const ParsedStatements> whole;  // the file parsed in one pass, when it parses
  std::vector<Parsed> statements;                 // one per LintFile statement
};

class FilePipeline {
 public:
  // Splits and parses files[i] for every i, in worker threads; `files` must
  // outlive the pipeline, and its pending splits are filled in place.
  FilePipeline(std::vector<LintFile>& files, Dialect dialect);
  ~FilePipeline();
  FilePipeline(const FilePipeline&) = delete;
  FilePipeline& operator=(const FilePipeline&) = delete;

  // Waits for file i (helping with the queue meanwhile) and returns it
  // prepared; rethrows what preparing it threw.
  const PreparedFile& get(std::size_t i);
  // Frees file i's trees once the rules are done with it.
  void release(std::size_t i) { prepared_[i] = PreparedFile{}; }

 private:
  void prepare(std::size_t i);
  bool prepare_next();

  std::vector<LintFile>& files_;
  Dialect dialect_;
  std::vector<PreparedFile> prepared_;
  std::vector<std::exception_ptr> errors_;
  std::unique_ptr<std::atomic<bool>[]> ready_;
  std::atomic<std::size_t> next_{0};
  // The file the rules are on (workers stay within a window past it), or
  // kStopped when the pipeline is being destroyed.
  static constexpr std::size_t kStopped = static_cast<std::size_t>(-1);
  std::atomic<std::size_t> current_{0};
  std::vector<std::thread> workers_;
};

}  // namespace cairn::lint
