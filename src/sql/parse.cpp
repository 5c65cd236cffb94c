#include <pg_query.h>

#include "cairn/sql.hpp"

namespace cairn {
namespace {

// Reads pg_query_scan's ScanResult protobuf: only the tokens' start, end and kind.
class Reader {
 public:
  Reader(const char* data, std::size_t size) : p_(reinterpret_cast<const unsigned char*>(data)), end_(p_ + size) {}
  bool done() const { return p_ >= end_; }
  bool varint(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      unsigned char b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  // Skips a field of the given wire type; false on malformed input.
  bool skip(std::uint64_t wire) {
    std::uint64_t n = 0;
    switch (wire) {
      case 0: return varint(n);
      case 1: return advance(8);
      case 2: return varint(n) && advance(n);
      case 5: return advance(4);
      default: return false;
    }
  }
  bool advance(std::uint64_t n) {
    if (n > static_cast<std::uint64_t>(end_ - p_)) return false;
    p_ += n;
    return true;
  }
  const unsigned char* here() const { return p_; }

 private:
  const unsigned char* p_;
  const unsigned char* end_;
};

std::vector<SqlToken> scan_tokens(const std::string& sql) {
  std::vector<SqlToken> out;
  PgQueryScanResult r = pg_query_scan(sql.c_str());
  if (!r.error) {
    Reader top(r.pbuf.data, r.pbuf.len);
    std::uint64_t key = 0;
    while (!top.done() && top.varint(key)) {
      if (key != ((2 << 3) | 2)) {
        if (!top.skip(key & 7)) break;
        continue;
      }
      std::uint64_t len = 0;
      if (!top.varint(len)) break;
      const char* at = reinterpret_cast<const char*>(top.here());
      if (!top.advance(len)) break;
      Reader tok(at, len);
      SqlToken t;
      std::uint64_t k = 0;
      while (!tok.done() && tok.varint(k)) {
        std::uint64_t field = k >> 3, wire = k & 7;
        std::uint64_t v = 0;
        if (wire == 0 && (field == 1 || field == 2 || field == 4)) {
          if (!tok.varint(v)) break;
          if (field == 1) t.start = v;
          else if (field == 2) t.end = v;
          else t.kind = v;
        } else if (!tok.skip(wire)) {
          break;
        }
      }
      out.push_back(t);
    }
  }
  pg_query_free_scan_result(r);
  return out;
}

}  // namespace

std::vector<SqlToken> scan_postgres(const std::string& statement) { return scan_tokens(statement); }

ParseOutput parse_postgres(const std::string& statement) {
  ParseOutput out;
  PgQueryParseResult r = pg_query_parse(statement.c_str());
  if (r.error) {
    out.error = r.error->message ? r.error->message : "syntax error";
    out.error_position = r.error->cursorpos;
  } else if (r.parse_tree) {
    out.tree_json = r.parse_tree;
  }
  pg_query_free_parse_result(r);
  return out;
}

}  // namespace cairn
