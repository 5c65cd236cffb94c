#include "cairn/url.hpp"

#include "cairn/error.hpp"

namespace cairn {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      auto hexval = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// The password of a postgres URL: in the userinfo part, or as ?password=.
std::string find_password(std::string_view url, std::string* raw) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  auto rest = url.substr(scheme_end + 3);
  auto at = rest.rfind('@', rest.find('/') == std::string_view::npos ? rest.size() : rest.find('/'));
  if (at != std::string_view::npos) {
    auto userinfo = rest.substr(0, at);
    auto colon = userinfo.find(':');
    if (colon != std::string_view::npos) {
      *raw = std::string(userinfo.substr(colon + 1));
      return percent_decode(*raw);
    }
  }
  auto q = url.find('?');
  while (q != std::string_view::npos) {
    auto param = url.substr(q + 1);
    auto amp = param.find('&');
    auto item = param.substr(0, amp);
    if (starts_with(item, "password=")) {
      *raw = std::string(item.substr(9));
      return percent_decode(*raw);
    }
    q = amp == std::string_view::npos ? std::string_view::npos : q + 1 + amp;
  }
  return {};
}

}  // namespace

const char* dialect_name(Dialect d) { return d == Dialect::postgres ? "postgres" : "sqlite"; }

DatabaseUrl parse_database_url(std::string_view text) {
  DatabaseUrl url;
  url.text = std::string(text);
  if (starts_with(text, "postgres://") || starts_with(text, "postgresql://")) {
    url.dialect = Dialect::postgres;
    url.password = find_password(text, &url.password_text);
    return url;
  }
  for (std::string_view scheme : {"sqlite3://", "sqlite://", "sqlite3:", "sqlite:"}) {
    if (starts_with(text, scheme)) {
      url.dialect = Dialect::sqlite;
      url.sqlite_path = std::string(text.substr(scheme.size()));
      if (url.sqlite_path.empty()) {
        throw Error(ErrorKind::usage, "database URL '" + url.text + "' has no file path",
                    "write sqlite:path/to.db or sqlite::memory:");
      }
      return url;
    }
  }
  std::string shown(text.substr(0, text.find(':')));
  throw Error(ErrorKind::usage, "unsupported database URL scheme '" + shown + "'",
              "use postgres://user:pass@host:port/db, sqlite:path/to.db or sqlite::memory:");
}

std::string mask_secret(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  std::size_t pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    text.replace(pos, secret.size(), "****");
    pos += 4;
  }
  return text;
}

std::string DatabaseUrl::redacted() const {
  if (password.empty()) return text;
  std::string raw;
  find_password(text, &raw);
  std::string out = text;
  // Replace only the password's own place, so a password that happens to be
  // a substring of the host name does not mangle the rest.
  auto scheme_end = out.find("://");
  auto at = out.find('@', scheme_end);
  if (at != std::string::npos) {
    auto colon = out.find(':', scheme_end + 3);
    if (colon != std::string::npos && colon < at) {
      out.replace(colon + 1, at - colon - 1, "****");
    }
  }
  auto q = out.find("password=");
  if (q != std::string::npos) {
    auto end = out.find('&', q);
    out.replace(q + 9, (end == std::string::npos ? out.size() : end) - q - 9, "****");
  }
  return out;
}

std::string DatabaseUrl::without_password() const {
  if (password.empty()) return text;
  std::string out = text;
  auto scheme_end = out.find("://");
  auto slash = out.find('/', scheme_end + 3);
  auto at = out.rfind('@', slash == std::string::npos ? out.size() : slash);
  if (at != std::string::npos && at > scheme_end) {
    auto colon = out.find(':', scheme_end + 3);
    if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
  }
  auto q = out.find('?');
  if (q != std::string::npos) {
    std::string query = out.substr(q + 1), kept;
    std::size_t start = 0;
    while (start <= query.size()) {
      auto amp = query.find('&', start);
      std::string item = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      if (!item.empty() && item.rfind("password=", 0) != 0) kept += (kept.empty() ? "" : "&") + item;
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
    out = out.substr(0, q) + (kept.empty() ? "" : "?" + kept);
  }
  return out;
}

}  // namespace cairn
