// Directives are comments at the top of a file or section; they end where the
// first SQL begins, so a comment deep inside a script never changes how it runs.
#include <string>

#include "cairn/error.hpp"
#include "cairn/source.hpp"

namespace cairn {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits "ARG -- reason" into its two halves.
std::pair<std::string_view, std::string_view> split_reason(std::string_view rest) {
  auto sep = rest.find("--");
  if (sep == std::string_view::npos) return {trim(rest), {}};
  return {trim(rest.substr(0, sep)), trim(rest.substr(sep + 2))};
}

constexpr const char* kKnown =
    "known directives: cairn:no-transaction, cairn:timeout D, cairn:lock-timeout D, "
    "cairn:allow RULE[,RULE] -- reason, cairn:irreversible -- reason";

void apply_directive(Directives& d, std::string_view body, const SourceLocation& where) {
  // body starts right after "cairn:"
  std::size_t word_end = 0;
  while (word_end < body.size() && body[word_end] != ' ' && body[word_end] != '\t') ++word_end;
  std::string_view word = body.substr(0, word_end);
  std::string_view rest = trim(body.substr(word_end));

  auto duration_arg = [&](std::string_view what) {
    auto [arg, reason] = split_reason(rest);
    (void)reason;
    if (arg.empty()) {
      throw Error(ErrorKind::usage, "directive cairn:" + std::string(what) + " needs a duration",
                  "write e.g. '-- cairn:" + std::string(what) + " 30s'", where);
    }
    try {
      return parse_duration(arg);
    } catch (const Error& e) {
      // Point at the value, not the directive: that is what needs fixing.
      SourceLocation at = where;
      at.column += static_cast<int>(6 + (arg.data() - body.data()));
      throw Error(ErrorKind::usage, "directive cairn:" + std::string(what) + ": " + e.what(), e.hint(), at);
    }
  };

  if (word == "no-transaction") {
    d.no_transaction = true;
  } else if (word == "timeout") {
    d.timeout = duration_arg(word);
  } else if (word == "lock-timeout") {
    d.lock_timeout = duration_arg(word);
  } else if (word == "allow") {
    auto [rules_text, reason] = split_reason(rest);
    Allowance allow;
    allow.reason = std::string(reason);
    allow.where = where;
    std::size_t start = 0;
    while (start <= rules_text.size()) {
      auto comma = rules_text.find(',', start);
      auto rule = trim(rules_text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (!rule.empty()) allow.rules.emplace_back(rule);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    d.header_allowances.push_back(std::move(allow));
  } else if (word == "irreversible") {
    auto [arg, reason] = split_reason(rest);
    (void)arg;
    d.irreversible_reason = std::string(reason);
  } else {
    throw Error(ErrorKind::usage, "unknown directive 'cairn:" + std::string(word) + "'", kKnown, where);
  }
}

}  // namespace

Directives parse_directives(const std::string& file, const std::string& text, std::size_t begin,
                            std::size_t end) {
  Directives d;
  std::size_t pos = begin;
  bool in_block_comment = false;
  while (pos < end) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos || eol > end) eol = end;
    std::string_view line = trim(std::string_view(text).substr(pos, eol - pos));
    if (in_block_comment) {
      if (line.find("*/") != std::string_view::npos) in_block_comment = false;
    } else if (line.empty()) {
      // blank lines may separate directives
    } else if (line.substr(0, 2) == "--") {
      std::string_view comment = trim(line.substr(2));
      if (comment.substr(0, 6) == "cairn:") {
        auto col = text.find("cairn:", pos) - pos + 1;
        SourceLocation where = locate(file, text, pos);
        where.column = static_cast<int>(col);
        apply_directive(d, comment.substr(6), where);
      }
    } else if (line.substr(0, 2) == "/*") {
      if (line.find("*/", 2) == std::string_view::npos) in_block_comment = true;
    } else {
      break;  // the first statement: the header is over
    }
    pos = eol + 1;
  }
  return d;
}

}  // namespace cairn
