#include <openssl/evp.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "cairn/error.hpp"
#include "cairn/hash.hpp"

namespace cairn {
namespace {
// Fetched once: OpenSSL 3 otherwise looks the algorithm up in its provider
// tables on every call, which costs more than hashing a small migration.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md ? md : EVP_sha256();
}

void digest(std::string_view data, unsigned char out[32]) {
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, sha256_algorithm(), nullptr);
}

std::string hex_of(const unsigned char md[32]) {
  static const char* hex = "0123456789abcdef";
  std::string out(64, '0');
  for (int i = 0; i < 32; ++i) {
    out[2 * i] = hex[md[i] >> 4];
    out[2 * i + 1] = hex[md[i] & 15];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char md[32];
  digest(data, md);
  return hex_of(md);
}

std::string sha256_file_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::failed, "cannot read " + path, "check that the file exists and is readable");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), sha256_algorithm(), nullptr);
  std::string buffer(1 << 16, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw Error(ErrorKind::failed, "cannot read " + path);
  unsigned char md[32];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  return hex_of(md);
}

std::int64_t sha256_int64(std::string_view data) {
  unsigned char md[32];
  digest(data, md);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | md[i];
  std::int64_t out;
  std::memcpy(&out, &v, sizeof out);
  return out;
}

}  // namespace cairn
