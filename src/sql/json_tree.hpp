#pragma once
// A read-only JSON tree for libpg_query's parse trees, built for speed: the
// whole document lives in one arena (strings unescaped in place, values in
// contiguous blocks), so parsing is a single pass with a handful of
// allocations and reading a field is a short linear scan. A general-purpose
// JSON library spends most of its time allocating one map and one string per
// node, which made it the bulk of the linter's cost.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sql {

struct JsonMember;

class Json {
 public:
  enum class Type : std::uint8_t { null, boolean, integer, real, string, array, object };

  Json() : integer_(0) {}

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool is_boolean() const { return type_ == Type::boolean; }
  bool is_number_integer() const { return type_ == Type::integer; }
  bool is_string() const { return type_ == Type::string; }
  bool is_array() const { return type_ == Type::array; }
  bool is_object() const { return type_ == Type::object; }

  // Items of an array or members of an object; 0 for anything else.
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // An array's items (an empty range for anything else).
  const Json* begin() const { return type_ == Type::array ? items_ : nullptr; }
  const Json* end() const { return type_ == Type::array ? items_ + size_ : nullptr; }
  const Json& operator[](std::size_t i) const { return items_[i]; }

  // An object's members in document order (an empty span for anything else).
  std::span<const JsonMember> members() const;
  // The member's value, or nullptr when absent or not an object.
  const Json* find(std::string_view key) const;

  bool boolean() const { return type_ == Type::boolean && boolean_; }
  long long integer() const { return type_ == Type::integer ? integer_ : 0; }
  std::string_view string() const { return type_ == Type::string ? std::string_view(string_, size_) : std::string_view(); }

 private:
  friend class JsonBuilder;
  Type type_ = Type::null;
  std::uint32_t size_ = 0;  // items, members, or string bytes
  union {
    bool boolean_;
    long long integer_;
    double real_;
    const char* string_;
    const Json* items_;
    const JsonMember* members_;
  };
};

struct JsonMember {
  std::string_view key;
  Json value;
};

inline std::span<const JsonMember> Json::members() const {
  if (type_ != Type::object) return {};
  return {members_, size_};
}

inline const Json* Json::find(std::string_view key) const {
  for (const auto& m : members()) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

// Owns a parsed document. Moving it keeps every Json pointer into it valid.
class JsonDocument {
 public:
  JsonDocument() = default;
  JsonDocument(JsonDocument&&) noexcept = default;
  JsonDocument& operator=(JsonDocument&&) noexcept = default;

  // nullopt when `text` is not valid JSON.
  static std::optional<JsonDocument> parse(std::string_view text);
  // The same for a NUL-terminated buffer from malloc (such as libpg_query's
  // output), which the document takes over and parses in place instead of
  // copying: it is freed with free(), even when the text is not valid JSON.
  static std::optional<JsonDocument> parse_malloced(char* text, std::size_t size);

  const Json& root() const;

 private:
  friend class JsonBuilder;
  friend class JsonParser;
  struct Free {
    void operator()(char* p) const;
  };
  std::unique_ptr<char, Free> text_;  // the input, with strings unescaped in place
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  const Json* root_ = nullptr;
};

// Builds a document value by value, children before their parent: open an
// array or object, add its items or members (each built completely first),
// close it. Containers land in the document's arena in one block each.
class JsonBuilder {
 public:
  // size_hint: about the bytes the document will take, for its first block.
  explicit JsonBuilder(std::size_t size_hint = 4096) : next_block_(std::max<std::size_t>(1024, size_hint)) {}

  static Json boolean(bool v) {
    Json j;
    j.type_ = Json::Type::boolean;
    j.boolean_ = v;
    return j;
  }
  static Json integer(long long v) {
    Json j;
    j.type_ = Json::Type::integer;
    j.integer_ = v;
    return j;
  }
  static Json real(double v) {
    Json j;
    j.type_ = Json::Type::real;
    j.real_ = v;
    return j;
  }
  // A string the document does not own: a literal, or text it holds already.
  static Json view(std::string_view s) {
    Json j;
    j.type_ = Json::Type::string;
    j.string_ = s.data();
    j.size_ = static_cast<std::uint32_t>(s.size());
    return j;
  }
  // A string copied into the document.
  Json string(std::string_view s);

  std::size_t open_array() const { return items_.size(); }
  void item(const Json& value) { items_.push_back(value); }
  Json close_array(std::size_t opened);

  std::size_t open_object() const { return members_.size(); }
  // The key is not copied: a literal, or text the document holds.
  void member(std::string_view key, const Json& value) { members_.push_back({key, value}); }
  Json close_object(std::size_t opened);

  // Containers whose size is known before their children are built, written
  // straight into the arena: an object of one member, and an array of `n`
  // items to be set one by one with set_item() before the document is finished.
  Json object_of_one(std::string_view key, const Json& value);
  Json array_of(std::size_t n);
  static void set_item(Json& array, std::size_t i, const Json& value) {
    const_cast<Json*>(array.items_)[i] = value;
  }

  // The document with `root` at its top; the builder is spent.
  JsonDocument finish(const Json& root);

 private:
  friend class JsonParser;
  void* allocate(std::size_t bytes, std::size_t align);
  template <typename T>
  const T* settle(std::vector<T>& open, std::size_t opened);

  JsonDocument doc_;
  std::size_t used_ = 0;
  std::size_t capacity_ = 0;
  std::size_t next_block_;
  // Children of the open containers, until each closes and moves into the
  // arena in one block.
  std::vector<Json> items_;
  std::vector<JsonMember> members_;
};

}  // namespace cairn::sql
