#include "sql/json_tree.hpp"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>

namespace cairn::sql {

namespace {
const Json kNull;
}

const Json& JsonDocument::root() const { return root_ ? *root_ : kNull; }

void* JsonBuilder::allocate(std::size_t bytes, std::size_t align) {
  std::size_t aligned = (used_ + align - 1) & ~(align - 1);
  if (doc_.blocks_.empty() || aligned + bytes > capacity_) {
    capacity_ = std::max(next_block_, bytes);
    next_block_ *= 2;
    doc_.blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(capacity_));
    aligned = 0;
  }
  used_ = aligned + bytes;
  return doc_.blocks_.back().get() + aligned;
}

Json JsonBuilder::string(std::string_view s) {
  char* stored = static_cast<char*>(allocate(s.size() + 1, 1));
  if (!s.empty()) std::memcpy(stored, s.data(), s.size());
  stored[s.size()] = '\0';
  return view(std::string_view(stored, s.size()));
}

// Moves the children pushed since `opened` into the arena, in one block.
template <typename T>
const T* JsonBuilder::settle(std::vector<T>& open, std::size_t opened) {
  std::size_t n = open.size() - opened;
  T* stored = nullptr;
  if (n) {
    stored = static_cast<T*>(allocate(n * sizeof(T), alignof(T)));
    std::memcpy(static_cast<void*>(stored), open.data() + opened, n * sizeof(T));
  }
  open.resize(opened);
  return stored;
}

Json JsonBuilder::close_array(std::size_t opened) {
  Json out;
  out.type_ = Json::Type::array;
  out.size_ = static_cast<std::uint32_t>(items_.size() - opened);
  out.items_ = settle(items_, opened);
  return out;
}

Json JsonBuilder::close_object(std::size_t opened) {
  Json out;
  out.type_ = Json::Type::object;
  out.size_ = static_cast<std::uint32_t>(members_.size() - opened);
  out.members_ = settle(members_, opened);
  return out;
}

Json JsonBuilder::object_of_one(std::string_view key, const Json& value) {
  auto* stored = static_cast<JsonMember*>(allocate(sizeof(JsonMember), alignof(JsonMember)));
  new (stored) JsonMember{key, value};
  Json out;
  out.type_ = Json::Type::object;
  out.size_ = 1;
  out.members_ = stored;
  return out;
}

Json JsonBuilder::array_of(std::size_t n) {
  Json out;
  out.type_ = Json::Type::array;
  out.size_ = static_cast<std::uint32_t>(n);
  if (n) {
    auto* stored = static_cast<Json*>(allocate(n * sizeof(Json), alignof(Json)));
    std::uninitialized_default_construct_n(stored, n);
    out.items_ = stored;
  }
  return out;
}

JsonDocument JsonBuilder::finish(const Json& root) {
  auto* stored = static_cast<Json*>(allocate(sizeof(Json), alignof(Json)));
  *stored = root;
  doc_.root_ = stored;
  return std::move(doc_);
}

class JsonParser {
 public:
  // The first block is sized from the text: a statement's tree takes about
  // as many bytes as its JSON, so most documents need exactly one block.
  // The document owns the text from here on, parsed or not: its strings
  // point into it.
  JsonParser(char* text, std::size_t size) : builder_(size + size / 2), p_(text), end_(text + size) {
    builder_.doc_.text_.reset(text);
  }

  std::optional<JsonDocument> parse_document() {
    Json root;
    if (!value(root, 0)) return std::nullopt;
    skip_space();
    if (p_ != end_) return std::nullopt;
    return builder_.finish(root);
  }

 private:
  // Deep enough for any statement the parser accepts; a bound keeps a hostile
  // input from exhausting the stack.
  static constexpr int kMaxDepth = 3000;

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(const char* word, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }

  bool value(Json& out, int depth) {
    if (depth > kMaxDepth) return false;
    skip_space();
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(out, depth);
      case '[': return array(out, depth);
      case '"': {
        std::string_view s;
        if (!string(s)) return false;
        out = JsonBuilder::view(s);
        return true;
      }
      case 't':
        out = JsonBuilder::boolean(true);
        return literal("true", 4);
      case 'f':
        out = JsonBuilder::boolean(false);
        return literal("false", 5);
      case 'n':
        out = Json();
        return literal("null", 4);
      default: return number(out);
    }
  }

  bool number(Json& out) {
    const char* start = p_;
    if (p_ != end_ && *p_ == '-') ++p_;
    const char* digits = p_;
    long long v = 0;
    bool overflow = false;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
      if (v > (9223372036854775807LL - 9) / 10) overflow = true;
      v = v * 10 + (*p_ - '0');
      ++p_;
    }
    if (p_ == digits) return false;
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) overflow = true;
    if (!overflow) {
      out = JsonBuilder::integer(*start == '-' ? -v : v);
      return true;
    }
    // The text buffer ends with a NUL, so strtod stops in time.
    char* stop = nullptr;
    out = JsonBuilder::real(std::strtod(start, &stop));
    if (stop == start) return false;
    p_ = stop;
    return true;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool code_unit(unsigned& out) {
    if (end_ - p_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hex(p_[i]);
      if (h < 0) return false;
      out = out * 16 + static_cast<unsigned>(h);
    }
    p_ += 4;
    return true;
  }

  // The first '"' or '\\' at or after `from` (or end_). Eight bytes at a
  // time: scanning strings is most of the parse, and libpg_query's trees
  // hold long ones (function bodies, view definitions).
  const char* quote_or_backslash(const char* from) const {
    if constexpr (std::endian::native == std::endian::little) {
      constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
      while (end_ - from >= 8) {
        std::uint64_t x;
        std::memcpy(&x, from, 8);
        std::uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
        // A byte of q or b is zero where x holds '"' or '\\'; the lowest
        // flagged byte is exact (borrows only flag bytes above it).
        std::uint64_t hits = ((q - ones) & ~q & highs) | ((b - ones) & ~b & highs);
        if (hits) return from + std::countr_zero(hits) / 8;
        from += 8;
      }
    }
    while (from != end_ && *from != '"' && *from != '\\') ++from;
    return from;
  }

  // Unescapes in place: the result is never longer than the escaped text.
  bool string(std::string_view& out) {
    ++p_;  // opening quote
    char* start = p_;
    // Most strings hold no escape: find the end without copying anything.
    p_ = const_cast<char*>(quote_or_backslash(p_));
    char* w = p_;
    while (p_ != end_ && *p_ != '"') {
      if (*p_ != '\\') {
        // A run without escapes, moved down over the bytes the escapes freed.
        char* run_end = const_cast<char*>(quote_or_backslash(p_));
        std::memmove(w, p_, static_cast<std::size_t>(run_end - p_));
        w += run_end - p_;
        p_ = run_end;
        continue;
      }
      if (++p_ == end_) return false;
      char e = *p_++;
      switch (e) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u': {
          unsigned cp = 0;
          if (!code_unit(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF && end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u') {
            p_ += 2;
            unsigned low = 0;
            if (!code_unit(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          if (cp < 0x80) {
            *w++ = static_cast<char>(cp);
          } else if (cp < 0x800) {
            *w++ = static_cast<char>(0xC0 | (cp >> 6));
            *w++ = static_cast<char>(0x80 | (cp & 0x3F));
          } else if (cp < 0x10000) {
            *w++ = static_cast<char>(0xE0 | (cp >> 12));
            *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            *w++ = static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            *w++ = static_cast<char>(0xF0 | (cp >> 18));
            *w++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            *w++ = static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default: return false;
      }
    }
    if (p_ == end_) return false;
    ++p_;  // closing quote
    out = std::string_view(start, static_cast<std::size_t>(w - start));
    return true;
  }

  bool array(Json& out, int depth) {
    ++p_;
    std::size_t opened = builder_.open_array();
    skip_space();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
    } else {
      for (;;) {
        Json item;
        if (!value(item, depth + 1)) return false;
        builder_.item(item);
        skip_space();
        if (p_ == end_) return false;
        if (*p_ == ',') {
          ++p_;
          continue;
        }
        if (*p_ != ']') return false;
        ++p_;
        break;
      }
    }
    out = builder_.close_array(opened);
    return true;
  }

  bool object(Json& out, int depth) {
    ++p_;
    std::size_t opened = builder_.open_object();
    skip_space();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
    } else {
      for (;;) {
        skip_space();
        if (p_ == end_ || *p_ != '"') return false;
        std::string_view key;
        if (!string(key)) return false;
        skip_space();
        if (p_ == end_ || *p_ != ':') return false;
        ++p_;
        Json member;
        if (!value(member, depth + 1)) return false;
        builder_.member(key, member);
        skip_space();
        if (p_ == end_) return false;
        if (*p_ == ',') {
          ++p_;
          continue;
        }
        if (*p_ != '}') return false;
        ++p_;
        break;
      }
    }
    out = builder_.close_object(opened);
    return true;
  }

  JsonBuilder builder_;
  char* p_;
  char* end_;
};

void JsonDocument::Free::operator()(char* p) const { std::free(p); }

std::optional<JsonDocument> JsonDocument::parse(std::string_view text) {
  auto* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (!copy) throw std::bad_alloc();
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return parse_malloced(copy, text.size());
}

std::optional<JsonDocument> JsonDocument::parse_malloced(char* text, std::size_t size) {
  JsonParser parser(text, size);
  return parser.parse_document();
}

}  // namespace cairn::sql
