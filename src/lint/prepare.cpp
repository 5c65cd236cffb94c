#include "lint/prepare.hpp"

#include <algorithm>

#include "cairn/sql.hpp"
#include "core/parallel.hpp"
#include "sql/parse_tree.hpp"

namespace cairn::lint {

namespace {

Parsed parse_statement(const std::string& sql) {
  Parsed p;
  if (auto doc = sql::parse_tree_document(sql)) {
    p.doc = std::move(*doc);
    const auto& stmts = items(p.doc.root(), "stmts");
    if (!stmts.empty()) p.tree = field(stmts[0], "stmt");
    return p;
  }
  // No tree: the parser's message and position when it does not parse (a
  // statement too deeply nested to hold as a tree parses, and has neither).
  ParseOutput r = parse_postgres(sql);
  p.error = std::move(r.error);
  p.error_position = r.error_position;
  return p;
}

// Files smaller than this are not worth a thread.
constexpr std::size_t kStatementsPerWorker = 64;

// How many files the workers may prepare beyond the one the rules are on.
// Parse trees take several times the size of their SQL: left to run ahead
// without bound, the workers held every file's trees at once, and first
// touches of that much fresh memory cost more than the parsing. Too short a
// window idles them instead: the rules' thread helps by parsing the next
// unclaimed file when it would wait, and while it is busy with that one, a
// window of 16 files was often full (the worker idle for up to a quarter of
// the run). 64 files keep the worker busy and their trees few.
constexpr std::size_t kWindow = 64;

}  // namespace

FilePipeline::FilePipeline(std::vector<LintFile>& files, Dialect dialect, Ahead ahead)
    : files_(files),
      dialect_(dialect),
      ahead_(std::move(ahead)),
      prepared_(files.size()),
      errors_(files.size()),
      ready_(std::make_unique<std::atomic<bool>[]>(files.size())) {
  std::size_t statements = 0;
  for (const auto& f : files) statements += f.split_pending ? 8 : f.statements.size();
  unsigned cores = parallel::core_count();
  // The calling thread runs the rules and helps when it would wait: one
  // worker per remaining core keeps every core busy.
  unsigned workers = statements >= kStatementsPerWorker ? std::max(1u, cores - 1) : 0;
  if (!workers) return;
  workers_ = std::make_unique<parallel::Helpers>(workers, [this] {
    for (;;) {
      std::size_t at = current_.load(std::memory_order_acquire);
      if (at == kStopped) return;
      if (next_.load(std::memory_order_relaxed) >= at + kWindow) {
        current_.wait(at, std::memory_order_acquire);
        continue;
      }
      if (!prepare_next()) return;
    }
  });
}

FilePipeline::~FilePipeline() {
  // Stop handing out work, then wait for what is in progress.
  next_.store(files_.size());
  current_.store(kStopped, std::memory_order_release);
  current_.notify_all();
  workers_.reset();
}

bool FilePipeline::prepare_next() {
  std::size_t i = next_.fetch_add(1);
  if (i >= files_.size()) return false;
  try {
    prepare(i);
    if (ahead_) ahead_(i, prepared_[i]);
  } catch (...) {
    errors_[i] = std::current_exception();
  }
  ready_[i].store(true, std::memory_order_release);
  ready_[i].notify_all();
  return true;
}

void FilePipeline::prepare(std::size_t i) {
  LintFile& file = files_[i];
  PreparedFile& out = prepared_[i];
  if (file.split_pending && file.script) {
    auto split = split_and_parse_postgres(file.script->file.string(), file.script->text, file.script->sql_offset,
                                          file.script->sql_offset + file.script->sql.size());
    file.statements = std::move(split.statements);
    out.whole = std::move(split.parsed);
  }
  file.split_pending = false;
  out.statements.resize(file.statements.size());
  if (out.whole && out.whole->trees.size() == file.statements.size()) {
    for (std::size_t s = 0; s < file.statements.size(); ++s) {
      out.statements[s].tree = out.whole->trees[s];
      out.statements[s].location_base = out.whole->bases[s];
    }
    return;
  }
  // A file that does not parse as a whole (or SQLite's): statement by
  // statement, so that a syntax error is pinned on its own statement.
  for (std::size_t s = 0; s < file.statements.size(); ++s) {
    out.statements[s] = parse_statement(file.statements[s].text);
  }
}

PreparedFile& FilePipeline::get(std::size_t i) {
  current_.store(i, std::memory_order_release);
  current_.notify_all();
  while (!ready_[i].load(std::memory_order_acquire)) {
    if (!prepare_next()) ready_[i].wait(false, std::memory_order_acquire);
  }
  if (errors_[i]) std::rethrow_exception(errors_[i]);
  return prepared_[i];
}

}  // namespace cairn::lint
