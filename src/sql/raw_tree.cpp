// libpg_query's parse tree as cairn's JSON document, read straight from the
// parser's C structures when PostgreSQL's server headers were there at build
// time (CAIRN_RAW_PARSE_TREES), otherwise through libpg_query's JSON output.
// Both give the same document; writing the JSON and reading it back were
// over half of what parsing cost the linter.
#include <pg_query.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

#include "sql/parse_tree.hpp"

namespace cairn::sql {

std::optional<JsonDocument> parse_tree_document_from_json(const std::string& sql) {
  PgQueryParseResult result = pg_query_parse(sql.c_str());
  std::optional<JsonDocument> doc;
  if (!result.error && result.parse_tree) {
    // The tree's JSON runs to several times the size of the SQL: read in place, not copied.
    char* json = std::exchange(result.parse_tree, nullptr);
    doc = JsonDocument::parse_malloced(json, std::strlen(json));
  }
  pg_query_free_parse_result(result);
  return doc;
}

}  // namespace cairn::sql

#if CAIRN_RAW_PARSE_TREES

// The version the JSON reports is libpg_query's (pg_query.h), which
// PostgreSQL's pg_config.h below would redefine as the headers' own.
namespace {
constexpr long long kPgQueryVersion = PG_VERSION_NUM;
}
#undef PG_VERSION_NUM
#undef PG_VERSION
#undef PG_MAJORVERSION

// PostgreSQL's headers redefine printf and friends as macros: they come last,
// after every C++ header.
extern "C" {
#include "postgres.h"
#include "nodes/parsenodes.h"
#include "nodes/pg_list.h"
}

extern "C" {
// From libpg_query's pg_query_internal.h, which needs PostgreSQL's headers
// set up the way libpg_query's own build does; these declarations are all it takes.
struct CairnRawParseResult {
  List* tree;
  char* stderr_buffer;
  PgQueryError* error;
};
CairnRawParseResult pg_query_raw_parse(const char* input);
MemoryContext pg_query_enter_memory_context(void);
void pg_query_exit_memory_context(MemoryContext context);
void pg_query_free_error(PgQueryError* error);
}

namespace cairn::sql {
namespace {

// Writes nodes as libpg_query's JSON writer does: a node as {"Type": {body}},
// a field only when it is set (not NULL, 0, false or empty), enums by name,
// a node-typed field's body without its type when the field's type says it.
class NodeReader {
 public:
  explicit NodeReader(JsonBuilder& b) : b_(b) {}

  // Whether every node was of a kind this reader knows.
  bool complete() const { return complete_; }
  // What it did not know, when it did not.
  const std::string& unknown() const { return unknown_; }

  Json wrapped(const Node* node) {
    if (!node) return empty_object();
    const char* name = node_name(nodeTag(node));
    if (!name) {
      fail("node tag " + std::to_string(int(nodeTag(node))));
      return Json();
    }
    return b_.object_of_one(name, body(node));
  }

  Json body(const Node* node) {
    if (++depth_ > kMaxDepth) fail("a tree deeper than " + std::to_string(kMaxDepth));
    std::size_t opened = b_.open_object();
    if (complete_) read_body(node);
    --depth_;
    return b_.close_object(opened);
  }

  Json items(const List* list) {
    if (list->type != T_List) {
      fail("an integer or OID list");  // never in a raw parse tree
      return b_.array_of(0);
    }
    Json out = b_.array_of(static_cast<std::size_t>(list->length));
    for (int i = 0; i < list->length && complete_; ++i) {
      JsonBuilder::set_item(out, i, wrapped(static_cast<const Node*>(list->elements[i].ptr_value)));
    }
    return out;
  }

  // Field writers, called by the generated code in node_readers.inc.
  template <typename T>
  void scalar(const char* key, const T& value) {
    if constexpr (std::is_same_v<T, char*> || std::is_same_v<T, const char*>) {
      if (value) b_.member(key, b_.string(value));
    } else if constexpr (std::is_same_v<T, char>) {
      if (value) b_.member(key, b_.string(std::string_view(&value, 1)));
    } else if constexpr (std::is_same_v<T, bool>) {
      if (value) b_.member(key, JsonBuilder::boolean(true));
    } else if constexpr (std::is_floating_point_v<T>) {
      if (value != 0) b_.member(key, JsonBuilder::real(value));
    } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
      if (value != 0) b_.member(key, JsonBuilder::integer(static_cast<long long>(value)));
    } else {
      fail(std::string("the type of field ") + key);
    }
  }

  template <typename T>
  void enumeration(const char* key, const T& value, const char* (*name_of)(long long)) {
    auto number = static_cast<long long>(value);
    const char* name = name_of(number);
    if (!name) {
      fail(std::string("value ") + std::to_string(number) + " of enum field " + key);
      return;
    }
    b_.member(key, JsonBuilder::view(name));
  }

  template <typename T>
  void node(const char* key, const T& value) {
    // An embedded Expr header (the "xpr" of expression nodes) holds only a
    // node tag, which the JSON writer leaves out.
    if constexpr (std::is_pointer_v<T>) {
      if (value) b_.member(key, wrapped(reinterpret_cast<const Node*>(value)));
    }
  }

  template <typename T>
  void body(const char* key, const T& value) {
    if constexpr (std::is_pointer_v<T>) {
      if (value) b_.member(key, body(reinterpret_cast<const Node*>(value)));
    } else {
      fail(std::string("embedded field ") + key);
    }
  }

  template <typename T>
  void list(const char* key, const T& value) {
    if constexpr (std::is_convertible_v<T, const List*>) {
      if (value) b_.member(key, items(value));
    } else {
      fail(std::string("list field ") + key + " that is no List");
    }
  }

 private:
  static constexpr int kMaxDepth = 3000;

  Json empty_object() { return b_.close_object(b_.open_object()); }
  void fail(std::string what) {
    if (complete_) unknown_ = std::move(what);
    complete_ = false;
  }

  static const char* node_name(NodeTag tag);
  void read_body(const Node* node);

  // libpg_query writes an Integer's value only when it is positive.
  void integer_value(int value) {
    if (value > 0) b_.member("ival", JsonBuilder::integer(value));
  }
  // An A_Const holds its value inline, as a value node keyed by its kind:
  // {"ival": {"ival": 1}}, {"sval": {"sval": "x"}}, ...
  void a_const(const A_Const& c) {
    if (c.isnull) {
      b_.member("isnull", JsonBuilder::boolean(true));
    } else if (const char* key = value_key(nodeTag(&c.val))) {
      b_.member(key, body(&c.val.node));
    } else {
      fail("an A_Const of tag " + std::to_string(int(nodeTag(&c.val))));
    }
    scalar("location", c.location);
  }
  static const char* value_key(NodeTag tag) {
    switch (tag) {
      case T_Integer: return "ival";
      case T_Float: return "fval";
      case T_Boolean: return "boolval";
      case T_String: return "sval";
      case T_BitString: return "bsval";
      default: return nullptr;
    }
  }

  JsonBuilder& b_;
  bool complete_ = true;
  std::string unknown_;
  int depth_ = 0;
};

// Whether an enum's values are 0 .. N-1 in some order: numbered by the
// compiler, so libpg_query's order (the proto's) is the one that counts.
template <std::size_t N>
constexpr bool implicitly_numbered(const long long (&values)[N]) {
  for (std::size_t want = 0; want < N; ++want) {
    bool found = false;
    for (long long v : values) found = found || v == static_cast<long long>(want);
    if (!found) return false;
  }
  return true;
}

template <bool kImplicit, std::size_t N>
const char* enum_name(long long value, const long long (&values)[N], const char* const (&names)[N]) {
  if constexpr (kImplicit) return value >= 0 && value < static_cast<long long>(N) ? names[value] : nullptr;
  for (std::size_t i = 0; i < N; ++i) {
    if (values[i] == value) return names[i];
  }
  return nullptr;
}

#include "node_readers.inc"

const char* NodeReader::node_name(NodeTag tag) {
  switch (tag) {
    case T_Integer: return "Integer";
    case T_Float: return "Float";
    case T_Boolean: return "Boolean";
    case T_String: return "String";
    case T_BitString: return "BitString";
    case T_List: return "List";
    case T_A_Const: return "A_Const";
    default: return generated_node_name(tag);
  }
}

void NodeReader::read_body(const Node* node) {
  switch (nodeTag(node)) {
    case T_Integer: integer_value(reinterpret_cast<const Integer*>(node)->ival); return;
    case T_Float: scalar("fval", reinterpret_cast<const Float*>(node)->fval); return;
    case T_Boolean: scalar("boolval", reinterpret_cast<const Boolean*>(node)->boolval); return;
    case T_String: scalar("sval", reinterpret_cast<const String*>(node)->sval); return;
    case T_BitString: scalar("bsval", reinterpret_cast<const BitString*>(node)->bsval); return;
    case T_List: b_.member("items", items(reinterpret_cast<const List*>(node))); return;
    case T_A_Const: a_const(*reinterpret_cast<const A_Const*>(node)); return;
    default:
      if (!read_generated(*this, node)) fail("node tag " + std::to_string(int(nodeTag(node))));
  }
}

// The document of a parsed script, or nullopt when some node is of a kind
// the reader does not know.
std::optional<JsonDocument> document_of(const List* statements, std::size_t size_hint, std::string& unknown) {
  JsonBuilder b(size_hint);
  NodeReader reader(b);
  std::size_t root = b.open_object();
  b.member("version", JsonBuilder::integer(kPgQueryVersion));
  std::size_t stmts = b.open_array();
  for (int i = 0; statements && i < statements->length; ++i) {
    b.item(reader.body(static_cast<const Node*>(statements->elements[i].ptr_value)));
  }
  b.member("stmts", b.close_array(stmts));
  Json top = b.close_object(root);
  if (!reader.complete()) {
    unknown = reader.unknown();
    return std::nullopt;
  }
  return b.finish(top);
}

}  // namespace

bool parse_tree_from_structures() { return true; }

StructureParse parse_tree_document_from_structures(const std::string& sql) {
  MemoryContext context = pg_query_enter_memory_context();
  CairnRawParseResult result = pg_query_raw_parse(sql.c_str());
  StructureParse out;
  out.parsed = !result.error;
  // A tree takes about five times the bytes of its text.
  if (out.parsed) out.doc = document_of(result.tree, sql.size() * 5, out.unknown);
  if (result.error) pg_query_free_error(result.error);
  std::free(result.stderr_buffer);
  pg_query_exit_memory_context(context);
  return out;
}

std::optional<JsonDocument> parse_tree_document(const std::string& sql) {
  StructureParse direct = parse_tree_document_from_structures(sql);
  if (direct.parsed && !direct.doc) return parse_tree_document_from_json(sql);
  return std::move(direct.doc);
}

}  // namespace cairn::sql

#else

namespace cairn::sql {

bool parse_tree_from_structures() { return false; }

StructureParse parse_tree_document_from_structures(const std::string&) { return {}; }

std::optional<JsonDocument> parse_tree_document(const std::string& sql) { return parse_tree_document_from_json(sql); }

}  // namespace cairn::sql

#endif
