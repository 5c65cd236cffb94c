#pragma once
// Shared by the schema readers and writers; not part of the public API.
#include <optional>
#include <string>
#include <string_view>

#include "cairn/database.hpp"
#include "cairn/schema.hpp"

namespace cairn::schema_detail {

Schema read_postgres(Database& db, const SchemaOptions& options);
Schema read_sqlite(Database& db, const SchemaOptions& options);

// Puts every list of the model in its canonical order.
void sort_schema(Schema& schema);

// PostgreSQL identifier quoting as quote_ident() does it: only when needed.
std::string quote_ident(std::string_view name);
// "schema"."name", leaving public implicit.
std::string qualified(const std::string& schema, const std::string& name);

inline std::string text(const Row& row, std::size_t i) { return row.at(i).value_or(""); }
inline std::optional<std::string> maybe(const Row& row, std::size_t i) { return row.at(i); }
inline bool flag(const Row& row, std::size_t i) { return row.at(i).value_or("0") == "1"; }

}  // namespace cairn::schema_detail
